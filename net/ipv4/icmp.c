// SPDX-License-Identifier: GPL-2.0
/*
 * ICMP (net/ipv4/icmp.c): echo requests to our addresses are answered,
 * so the underlay can be pinged from the wire; the reply is routed back
 * and resolved through arp_tbl like any packet we send.  Other types are
 * dropped as unhandled.
 */
#include <arpa/inet.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <linux/if_ether.h>
#include <linux/netdev.h>
#include <net/checksum.h>
#include <net/icmp.h>
#include <net/neighbour.h>
#include <net/route.h>

/* route and resolve skb (data at a complete IPv4 header) to daddr; consumes skb */
static int icmp_output(struct sk_buff *skb, struct net_device *dev, __be32 daddr)
{
	struct flowi4 fl4 = { .flowi4_oif = dev->ifindex, .daddr = daddr };
	struct ip_route_result res;
	struct neighbour *n;

	if (ip_route_output(&fl4, &res)) {
		kfree_skb_reason(skb, SKB_DROP_REASON_IP_NOROUTE);
		return -ENETUNREACH;
	}
	n = neigh_lookup_create(&arp_tbl, &res.nexthop, res.dev);
	if (!n) {
		kfree_skb_reason(skb, SKB_DROP_REASON_NOMEM);
		return -ENOBUFS;
	}
	neigh_output(n, skb);
	neigh_release(n);
	return 0;
}

static int icmp_echo(struct sk_buff *skb, struct net_device *dev, const struct iphdr *iph,
		     unsigned int len)
{
	struct sk_buff *nskb = alloc_skb(skb_local_pool);
	struct icmphdr *icmph;
	struct iphdr *niph;

	if (!nskb) {
		kfree_skb_reason(skb, SKB_DROP_REASON_NOMEM);
		return 0;
	}
	niph = (struct iphdr *)nskb->data;
	memset(niph, 0, sizeof(*niph));
	niph->version = 4;
	niph->ihl = 5;
	niph->tot_len = htons(sizeof(*niph) + len);
	niph->ttl = 64;
	niph->protocol = IPPROTO_ICMP;
	niph->saddr = iph->daddr;
	niph->daddr = iph->saddr;
	niph->check = ip_fast_csum(niph, niph->ihl);
	icmph = (struct icmphdr *)(niph + 1);
	memcpy(icmph, skb_transport_header(skb), len);
	icmph->type = ICMP_ECHOREPLY;
	icmph->checksum = 0;
	icmph->checksum = csum_fold(csum_partial(icmph, len, 0));
	nskb->len = sizeof(*niph) + len;
	nskb->protocol = htons(ETH_P_IP);
	nskb->network_header = nskb->data - nskb->head;
	consume_skb(skb);
	return icmp_output(nskb, dev, niph->daddr);
}

int icmp_rcv(struct sk_buff *skb, struct net_device *dev)
{
	const u8 *icmph = skb_transport_header(skb);
	unsigned int len;
	struct iphdr iph;

	/* read through a copy: the header of a received frame is not aligned */
	memcpy(&iph, skb_network_header(skb), sizeof(iph));
	len = ntohs(iph.tot_len) - iph.ihl * 4;
	if (len < sizeof(struct icmphdr) || len > SKB_DATA_MAX - 64 ||
	    csum_fold(csum_partial(icmph, len, 0))) {
		kfree_skb_reason(skb, SKB_DROP_REASON_PKT_TOO_SMALL);
		return 0;
	}
	if (icmph[0] == ICMP_ECHO && icmph[1] == 0)
		return icmp_echo(skb, dev, &iph, len);
	kfree_skb_reason(skb, SKB_DROP_REASON_UNHANDLED_PROTO);
	return 0;
}
