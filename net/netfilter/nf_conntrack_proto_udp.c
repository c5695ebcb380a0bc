// SPDX-License-Identifier: GPL-2.0
/*
 * UDP tracking: no state beyond "has it seen a reply".  An unreplied flow
 * lives udp_timeout; once replied, a flow that keeps going for more than
 * two seconds is a stream: it gets udp_timeout_stream and is ASSURED (safe
 * from early drop), as in Linux.
 */
#include <net/checksum.h>
#include <net/netfilter/nf_conntrack_l4proto.h>
#include <net/netfilter/nf_conntrack_ecache.h>

#define UDP_STREAM_AFTER_MS	2000

int nf_conntrack_udp_packet(struct nf_conn *ct, struct sk_buff *skb,
			    unsigned int dataoff, enum ip_conntrack_info ctinfo)
{
	u64 timeout = nf_ct_net.udp_timeout * 1000ULL;

	if (!nf_ct_is_confirmed(ct))
		ct->proto.udp.stream_ts = jiffies_ms() + UDP_STREAM_AFTER_MS;

	/* SEEN_REPLY is set after this runs: the first reply still counts as unreplied */
	if (test_bit(IPS_SEEN_REPLY_BIT, &ct->status)) {
		bool stream = (s64)(jiffies_ms() - ct->proto.udp.stream_ts) > 0;

		if (stream)
			timeout = nf_ct_net.udp_timeout_stream * 1000ULL;
		nf_ct_refresh_acct(ct, ctinfo, skb, timeout);
		if (stream && !test_and_set_bit(IPS_ASSURED_BIT, &ct->status))
			nf_conntrack_event_cache(IPCT_ASSURED, ct);
	} else {
		nf_ct_refresh_acct(ct, ctinfo, skb, timeout);
	}
	return NF_ACCEPT;
}

/*
 * Length and (with nf_conntrack_checksum) checksum.  A zero checksum means
 * none: conntrack lets it be, on IPv6 too (where the receiving stack, not
 * conntrack, refuses it), as Linux's udp_error() does.
 */
int nf_conntrack_udp_error(struct sk_buff *skb, unsigned int dataoff, u16 l3num)
{
	const u8 *uh = skb->data + dataoff;
	unsigned int len = skb->len - dataoff;
	const u8 *nh = skb_network_header(skb);
	u16 ulen, check;

	if (len < 8)
		return -NF_ACCEPT;
	ulen = uh[4] << 8 | uh[5];
	if (ulen > len || ulen < 8)
		return -NF_ACCEPT;
	memcpy(&check, uh + 6, 2);
	if (!check || !nf_ct_net.checksum)
		return NF_ACCEPT;
	if (l3num == NFPROTO_IPV4) {
		__be32 saddr, daddr;

		memcpy(&saddr, nh + 12, 4);
		memcpy(&daddr, nh + 16, 4);
		if (csum_tcpudp_magic(saddr, daddr, ulen, IPPROTO_UDP, csum_partial(uh, ulen, 0)))
			return -NF_ACCEPT;
	} else {
		if (csum_ipv6_magic((const struct in6_addr *)(nh + 8),
				    (const struct in6_addr *)(nh + 24), ulen, IPPROTO_UDP,
				    csum_partial(uh, ulen, 0)))
			return -NF_ACCEPT;
	}
	return NF_ACCEPT;
}
