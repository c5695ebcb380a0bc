// SPDX-License-Identifier: GPL-2.0
/*
 * IPv6 local delivery (net/ipv6/ip6_input.c, the part an underlay needs):
 * keeps what is addressed to one of the receiving device's addresses, or
 * to the all-nodes / solicited-node groups neighbour discovery uses, and
 * hands UDP to the tunnel on its port and ICMPv6 to icmp.c.  Extension
 * headers are skipped; fragments are not reassembled (dropped).
 */
#include <arpa/inet.h>
#include <netinet/ip6.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/init.h>
#include <linux/netdev.h>
#include <net/addrconf.h>
#include <net/icmp.h>
#include <net/ipv6.h>
#include <net/udp_tunnel.h>
#include <net/pkt_trace.h>

/* ff02::1, or ff02::1:ffXX:XXXX of one of dev's addresses */
static bool ip6_mc_for_us(const struct net_device *dev, const struct in6_addr *daddr)
{
	static const u8 all_nodes[16] = { 0xff, 0x02, [15] = 1 };
	static const u8 snm_prefix[13] = { 0xff, 0x02, [11] = 1, [12] = 0xff };
	struct inet6_dev *idev = rcu_dereference(dev->ip6_ptr);
	struct inet6_ifaddr *ifp;

	if (!memcmp(daddr, all_nodes, 16))
		return true;
	if (memcmp(daddr, snm_prefix, sizeof(snm_prefix)))
		return false;
	for (ifp = rcu_dereference(idev->addr_list); ifp; ifp = rcu_dereference(ifp->if_next))
		if (!memcmp(&ifp->addr.s6_addr[13], &daddr->s6_addr[13], 3))
			return true;
	return false;
}

static int ip6_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt)
{
	struct ip6_hdr hdr, *ip6h = &hdr;
	unsigned int plen;
	u16 frag_off = 0;
	int off;
	u8 nexthdr;

	if (!rcu_dereference(dev->ip6_ptr)) {
		kfree_skb_reason(skb, SKB_DROP_REASON_NO_STACK);
		return 0;
	}
	if (skb->pkt_type == PACKET_OTHERHOST) {
		kfree_skb_reason(skb, SKB_DROP_REASON_OTHERHOST);
		return 0;
	}
	if (skb->len < ETH_HLEN + sizeof(*ip6h))
		goto drop_small;
	/* read through a copy: the header of a received frame is not aligned */
	memcpy(ip6h, skb->data + ETH_HLEN, sizeof(*ip6h));
	if ((ip6h->ip6_vfc >> 4) != 6)
		goto drop_small;
	plen = ntohs(ip6h->ip6_plen);
	if (skb->len < ETH_HLEN + sizeof(*ip6h) + plen)
		goto drop_small;
	if (!ipv6_addr_is_local(dev, &ip6h->ip6_dst) && !ip6_mc_for_us(dev, &ip6h->ip6_dst)) {
		kfree_skb_reason(skb, SKB_DROP_REASON_OTHERHOST);
		return 0;
	}
	nexthdr = ip6h->ip6_nxt;
	off = ipv6_skip_exthdr(skb->data + ETH_HLEN, sizeof(*ip6h) + plen, &nexthdr, &frag_off);
	if (off < 0)
		goto drop_small;
	if (frag_off || ipv6_find_frag_hdr(skb->data + ETH_HLEN, sizeof(*ip6h) + plen)) {
		kfree_skb_reason(skb, SKB_DROP_REASON_UNHANDLED_PROTO);
		return 0;
	}
	skb->network_header = skb->data - skb->head + ETH_HLEN;
	skb->transport_header = skb->network_header + off;
	pkt_trace(skb, "stack", "\"dev\":\"%s\",\"proto\":\"ipv6\",\"what\":\"for this host, next header %u\"",
		  dev->name, nexthdr);
	switch (nexthdr) {
	case IPPROTO_UDP:
		if (!ipv6_addr_is_local(dev, &ip6h->ip6_dst))
			break;
		return udp_tunnel_deliver(skb, AF_INET6, &ip6h->ip6_src, &ip6h->ip6_dst,
					  sizeof(*ip6h) + plen - off);
	case IPPROTO_ICMPV6:
		return icmpv6_rcv(skb, dev);
	}
	kfree_skb_reason(skb, SKB_DROP_REASON_UNHANDLED_PROTO);
	return 0;
drop_small:
	kfree_skb_reason(skb, SKB_DROP_REASON_PKT_TOO_SMALL);
	return 0;
}

static struct packet_type ipv6_packet_type = {
	.func = ip6_rcv,
};

static void ip6_input_init(void)
{
	ipv6_packet_type.type = htons(ETH_P_IPV6);
	dev_add_pack(&ipv6_packet_type);
}

module_init(ip6_input_init);
