// SPDX-License-Identifier: GPL-2.0
/*
 * ICMP tracking.  Query messages (echo, timestamp, info, address mask) are
 * connections keyed by type, code and id: the request starts one, the
 * matching reply is its reply direction.  Error messages belong to the
 * connection of the packet they quote, as RELATED.
 */
#include <netinet/ip_icmp.h>
#include <net/checksum.h>
#include <net/ipv6.h>
#include <net/netfilter/nf_conntrack_l4proto.h>

/* request type -> reply type + 1 (0: no reply, cannot start a connection) */
static const u8 icmp_invmap[] = {
	[ICMP_ECHO] = ICMP_ECHOREPLY + 1,
	[ICMP_ECHOREPLY] = ICMP_ECHO + 1,
	[ICMP_TIMESTAMP] = ICMP_TIMESTAMPREPLY + 1,
	[ICMP_TIMESTAMPREPLY] = ICMP_TIMESTAMP + 1,
	[ICMP_INFO_REQUEST] = ICMP_INFO_REPLY + 1,
	[ICMP_INFO_REPLY] = ICMP_INFO_REQUEST + 1,
	[ICMP_ADDRESS] = ICMP_ADDRESSREPLY + 1,
	[ICMP_ADDRESSREPLY] = ICMP_ADDRESS + 1,
};

bool nf_conntrack_icmp_invert_tuple(struct nf_conntrack_tuple *tuple,
				    const struct nf_conntrack_tuple *orig)
{
	u8 type = orig->dst.u.icmp.type;

	if (type >= sizeof(icmp_invmap) || !icmp_invmap[type])
		return false;
	tuple->src.u.icmp.id = orig->src.u.icmp.id;
	tuple->dst.u.icmp.type = icmp_invmap[type] - 1;
	tuple->dst.u.icmp.code = orig->dst.u.icmp.code;
	return true;
}

int nf_conntrack_icmp_packet(struct nf_conn *ct, struct sk_buff *skb,
			     unsigned int dataoff, enum ip_conntrack_info ctinfo)
{
	/* only a request may start a connection */
	static const u8 valid_new[] = {
		[ICMP_ECHO] = 1,
		[ICMP_TIMESTAMP] = 1,
		[ICMP_INFO_REQUEST] = 1,
		[ICMP_ADDRESS] = 1,
	};

	if (!nf_ct_is_confirmed(ct)) {
		u8 type = ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple.dst.u.icmp.type;

		if (type >= sizeof(valid_new) || !valid_new[type])
			return -NF_ACCEPT;
	}
	nf_ct_refresh_acct(ct, ctinfo, skb, nf_ct_net.icmp_timeout * 1000ULL);
	return NF_ACCEPT;
}

int nf_conntrack_inet_error(struct sk_buff *skb, const u8 *inner, unsigned int inner_len,
			    u16 l3num, u16 zone, bool *related)
{
	struct nf_conntrack_tuple orig, inv;
	struct nf_conntrack_tuple_hash *h;
	enum ip_conntrack_info ctinfo;
	const u8 *outer = skb_network_header(skb);
	unsigned int l4off;
	struct nf_conn *ct;
	u8 protonum;

	if (l3num == NFPROTO_IPV4) {
		u16 frag;

		if (inner_len < 20 || inner[0] >> 4 != 4)
			return -NF_ACCEPT;
		l4off = (inner[0] & 0xf) * 4;
		memcpy(&frag, inner + 6, 2);
		if (l4off < 20 || l4off > inner_len || ntohs(frag) & 0x1fff)
			return -NF_ACCEPT;
		protonum = inner[9];
	} else {
		int off;
		u16 frag_off;

		if (inner_len < 40 || inner[0] >> 4 != 6)
			return -NF_ACCEPT;
		off = ipv6_skip_exthdr(inner, inner_len, &protonum, &frag_off);
		if (off < 0 || frag_off)
			return -NF_ACCEPT;
		l4off = off;
	}
	/* the quote holds at least the first 8 bytes of the L4 header */
	if (!nf_ct_get_tuple_raw(inner, inner + l4off, inner_len - l4off, l3num, protonum, &orig))
		return -NF_ACCEPT;
	/* the quoted packet went the other way: look up its inverse */
	if (!nf_ct_invert_tuple(&inv, &orig))
		return -NF_ACCEPT;
	h = nf_conntrack_find(zone, &inv);
	if (!h)
		return -NF_ACCEPT;
	ct = nf_ct_tuplehash_to_ctrack(h);
	/* the error must be addressed to the host that sent the quoted packet */
	if (memcmp(l3num == NFPROTO_IPV4 ? outer + 16 : outer + 24,
		   &ct->tuplehash[NF_CT_DIRECTION(h)].tuple.dst.u3,
		   l3num == NFPROTO_IPV4 ? 4 : 16))
		return -NF_ACCEPT;
	ctinfo = IP_CT_RELATED;
	if (NF_CT_DIRECTION(h) == IP_CT_DIR_REPLY)
		ctinfo += IP_CT_IS_REPLY;
	nf_ct_set(skb, ct, ctinfo);
	*related = true;
	return NF_ACCEPT;
}

static bool icmp_is_error(u8 type)
{
	return type == ICMP_DEST_UNREACH || type == ICMP_SOURCE_QUENCH ||
	       type == ICMP_TIME_EXCEEDED || type == ICMP_PARAMETERPROB ||
	       type == ICMP_REDIRECT;
}

int nf_conntrack_icmpv4_error(struct sk_buff *skb, unsigned int dataoff, u16 zone,
			      bool *related)
{
	const u8 *ih = skb->data + dataoff;
	unsigned int len = skb->len - dataoff;

	if (len < 8)
		return -NF_ACCEPT;
	if (nf_ct_net.checksum && csum_fold(csum_partial(ih, len, 0)))
		return -NF_ACCEPT;
	/* types beyond the last one Linux knows are invalid, as there */
	if (ih[0] > NR_ICMP_TYPES)
		return -NF_ACCEPT;
	if (!icmp_is_error(ih[0]))
		return NF_ACCEPT;
	return nf_conntrack_inet_error(skb, ih + 8, len - 8, NFPROTO_IPV4, zone, related);
}
