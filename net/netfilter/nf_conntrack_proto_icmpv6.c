// SPDX-License-Identifier: GPL-2.0
/*
 * ICMPv6 tracking: echo and node information queries are connections;
 * errors (below 128) are RELATED to the connection they quote.  Neighbour
 * discovery and MLD are informational messages with no reply that starts a
 * connection: they pass untracked-invalid, as Linux leaves them.
 */
#include <netinet/icmp6.h>
#include <net/checksum.h>
#include <net/netfilter/nf_conntrack_l4proto.h>

#define ICMPV6_NI_QUERY		139
#define ICMPV6_NI_REPLY		140

static u8 icmpv6_reply_of(u8 type)
{
	switch (type) {
	case ICMP6_ECHO_REQUEST:	return ICMP6_ECHO_REPLY;
	case ICMP6_ECHO_REPLY:		return ICMP6_ECHO_REQUEST;
	case ICMPV6_NI_QUERY:		return ICMPV6_NI_REPLY;
	case ICMPV6_NI_REPLY:		return ICMPV6_NI_QUERY;
	default:			return 0;
	}
}

bool nf_conntrack_icmpv6_invert_tuple(struct nf_conntrack_tuple *tuple,
				      const struct nf_conntrack_tuple *orig)
{
	u8 type = icmpv6_reply_of(orig->dst.u.icmp.type);

	if (!type)
		return false;
	tuple->src.u.icmp.id = orig->src.u.icmp.id;
	tuple->dst.u.icmp.type = type;
	tuple->dst.u.icmp.code = orig->dst.u.icmp.code;
	return true;
}

int nf_conntrack_icmpv6_packet(struct nf_conn *ct, struct sk_buff *skb,
			       unsigned int dataoff, enum ip_conntrack_info ctinfo)
{
	if (!nf_ct_is_confirmed(ct)) {
		u8 type = ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple.dst.u.icmp.type;

		if (type != ICMP6_ECHO_REQUEST && type != ICMPV6_NI_QUERY)
			return -NF_ACCEPT;
	}
	nf_ct_refresh_acct(ct, ctinfo, skb, nf_ct_net.icmpv6_timeout * 1000ULL);
	return NF_ACCEPT;
}

int nf_conntrack_icmpv6_error(struct sk_buff *skb, unsigned int dataoff, u16 zone,
			      bool *related)
{
	const u8 *ih = skb->data + dataoff;
	const u8 *nh = skb_network_header(skb);
	unsigned int len = skb->len - dataoff;

	if (len < 8)
		return -NF_ACCEPT;
	if (nf_ct_net.checksum &&
	    csum_ipv6_magic((const struct in6_addr *)(nh + 8), (const struct in6_addr *)(nh + 24),
			    len, IPPROTO_ICMPV6, csum_partial(ih, len, 0)))
		return -NF_ACCEPT;
	/* informational messages are tracked (or not) by the packet handler */
	if (ih[0] & ICMP6_INFOMSG_MASK)
		return NF_ACCEPT;
	return nf_conntrack_inet_error(skb, ih + 8, len - 8, NFPROTO_IPV6, zone, related);
}
