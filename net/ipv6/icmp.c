// SPDX-License-Identifier: GPL-2.0
/*
 * ICMPv6 (net/ipv6/icmp.c): checks the checksum, passes neighbour
 * discovery to ndisc.c and answers echo requests to our addresses (the
 * reply is routed and resolved through nd_tbl).  Other types are dropped.
 */
#include <arpa/inet.h>
#include <netinet/ip6.h>
#include <netinet/icmp6.h>
#include <linux/if_ether.h>
#include <linux/netdev.h>
#include <net/addrconf.h>
#include <net/checksum.h>
#include <net/icmp.h>
#include <net/neighbour.h>
#include <net/route.h>

static int icmpv6_output(struct sk_buff *skb, struct net_device *dev,
			 const struct in6_addr *daddr)
{
	struct flowi6 fl6 = { .flowi6_oif = dev->ifindex, .daddr = *daddr };
	struct ip6_route_result res;
	struct neighbour *n;

	if (ip6_route_output(&fl6, &res)) {
		kfree_skb_reason(skb, SKB_DROP_REASON_IP_NOROUTE);
		return -ENETUNREACH;
	}
	n = neigh_lookup_create(&nd_tbl, &res.nexthop, res.dev);
	if (!n) {
		kfree_skb_reason(skb, SKB_DROP_REASON_NOMEM);
		return -ENOBUFS;
	}
	neigh_output(n, skb);
	neigh_release(n);
	return 0;
}

static int icmpv6_echo_reply(struct sk_buff *skb, struct net_device *dev,
			     const struct ip6_hdr *ip6h, unsigned int len)
{
	struct sk_buff *nskb = alloc_skb(skb_local_pool);
	struct icmp6_hdr *icmph;
	struct ip6_hdr *nip6h;

	if (!ipv6_addr_is_local(dev, &ip6h->ip6_dst) || !nskb) {
		if (nskb)
			kfree_skb(nskb);
		kfree_skb_reason(skb, nskb ? SKB_DROP_REASON_UNHANDLED_PROTO :
				      SKB_DROP_REASON_NOMEM);
		return 0;
	}
	nip6h = (struct ip6_hdr *)nskb->data;
	memset(nip6h, 0, sizeof(*nip6h));
	nip6h->ip6_vfc = 6 << 4;
	nip6h->ip6_plen = htons(len);
	nip6h->ip6_nxt = IPPROTO_ICMPV6;
	nip6h->ip6_hlim = 64;
	nip6h->ip6_src = ip6h->ip6_dst;
	nip6h->ip6_dst = ip6h->ip6_src;
	icmph = (struct icmp6_hdr *)(nip6h + 1);
	memcpy(icmph, skb_transport_header(skb), len);
	icmph->icmp6_type = ICMP6_ECHO_REPLY;
	icmph->icmp6_cksum = 0;
	icmph->icmp6_cksum = csum_ipv6_magic(&nip6h->ip6_src, &nip6h->ip6_dst, len,
					     IPPROTO_ICMPV6, csum_partial(icmph, len, 0));
	nskb->len = sizeof(*nip6h) + len;
	nskb->protocol = htons(ETH_P_IPV6);
	nskb->network_header = nskb->data - nskb->head;
	consume_skb(skb);
	return icmpv6_output(nskb, dev, &nip6h->ip6_dst);
}

int icmpv6_rcv(struct sk_buff *skb, struct net_device *dev)
{
	const u8 *icmph = skb_transport_header(skb);
	struct ip6_hdr ip6h;
	unsigned int len;

	/* read through a copy: the header of a received frame is not aligned */
	memcpy(&ip6h, skb_network_header(skb), sizeof(ip6h));
	len = sizeof(ip6h) + ntohs(ip6h.ip6_plen) - (skb->transport_header - skb->network_header);
	if (len < sizeof(struct icmp6_hdr) || len > SKB_DATA_MAX - 64 ||
	    csum_ipv6_magic(&ip6h.ip6_src, &ip6h.ip6_dst, len, IPPROTO_ICMPV6,
			    csum_partial(icmph, len, 0))) {
		kfree_skb_reason(skb, SKB_DROP_REASON_PKT_TOO_SMALL);
		return 0;
	}
	switch (icmph[0]) {
	case ND_NEIGHBOR_SOLICIT:
	case ND_NEIGHBOR_ADVERT:
		return ndisc_rcv(skb, dev);
	case ICMP6_ECHO_REQUEST:
		return icmpv6_echo_reply(skb, dev, &ip6h, len);
	default:
		kfree_skb_reason(skb, SKB_DROP_REASON_UNHANDLED_PROTO);
		return 0;
	}
}
