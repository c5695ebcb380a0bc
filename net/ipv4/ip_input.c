// SPDX-License-Identifier: GPL-2.0
/*
 * IPv4 local delivery (net/ipv4/ip_input.c, the part an underlay needs):
 * checks the header, keeps what is addressed to one of the receiving
 * device's addresses, and hands UDP to the tunnel registered on its
 * destination port (udp_tunnel.h) and ICMP to icmp.c.  No reassembly,
 * no sockets: everything else is dropped as unhandled.
 */
#include <arpa/inet.h>
#include <netinet/ip.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/init.h>
#include <linux/netdev.h>
#include <linux/inetdevice.h>
#include <net/checksum.h>
#include <net/icmp.h>
#include <net/udp_tunnel.h>
#include <net/pkt_trace.h>

#define IP_MF		0x2000
#define IP_OFFSET	0x1fff

static int ip_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt)
{
	struct iphdr hdr, *iph = &hdr;
	unsigned int ihl;

	if (!rcu_dereference(dev->ip_ptr)) {
		kfree_skb_reason(skb, SKB_DROP_REASON_NO_STACK);
		return 0;
	}
	if (skb->pkt_type == PACKET_OTHERHOST) {
		kfree_skb_reason(skb, SKB_DROP_REASON_OTHERHOST);
		return 0;
	}
	if (skb->len < ETH_HLEN + sizeof(*iph))
		goto drop_small;
	/* headers are read through copies: a frame's IP header is 2-byte aligned */
	memcpy(iph, skb->data + ETH_HLEN, sizeof(*iph));
	ihl = iph->ihl * 4;
	if (iph->version != 4 || ihl < sizeof(*iph) || skb->len < ETH_HLEN + ihl ||
	    ntohs(iph->tot_len) < ihl || skb->len < ETH_HLEN + (unsigned int)ntohs(iph->tot_len) ||
	    ip_fast_csum(skb->data + ETH_HLEN, iph->ihl))
		goto drop_small;
	if (!inet_addr_is_local(dev, iph->daddr)) {
		kfree_skb_reason(skb, SKB_DROP_REASON_OTHERHOST);
		return 0;
	}
	if (ntohs(iph->frag_off) & (IP_MF | IP_OFFSET)) {
		kfree_skb_reason(skb, SKB_DROP_REASON_UNHANDLED_PROTO);
		return 0;
	}
	skb->network_header = skb->data - skb->head + ETH_HLEN;
	skb->transport_header = skb->network_header + ihl;
	pkt_trace(skb, "stack", "\"dev\":\"%s\",\"proto\":\"ip\",\"what\":\"for this host, protocol %u\"",
		  dev->name, iph->protocol);
	switch (iph->protocol) {
	case IPPROTO_UDP:
		return udp_tunnel_deliver(skb, AF_INET, &iph->saddr, &iph->daddr,
					  ntohs(iph->tot_len) - ihl);
	case IPPROTO_ICMP:
		return icmp_rcv(skb, dev);
	default:
		kfree_skb_reason(skb, SKB_DROP_REASON_UNHANDLED_PROTO);
		return 0;
	}
drop_small:
	kfree_skb_reason(skb, SKB_DROP_REASON_PKT_TOO_SMALL);
	return 0;
}

static struct packet_type ip_packet_type = {
	.func = ip_rcv,
};

static void ip_input_init(void)
{
	ip_packet_type.type = htons(ETH_P_IP);
	dev_add_pack(&ip_packet_type);
}

module_init(ip_input_init);
