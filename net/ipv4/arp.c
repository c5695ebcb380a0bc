// SPDX-License-Identifier: GPL-2.0
/*
 * ARP (net/ipv4/arp.c) for Ethernet and IPv4 only: arp_tbl's solicit
 * (a broadcast request, or a unicast one to re-check a known address),
 * answers to requests for the device's own addresses, and learning from
 * what concerns us: the sender of a request to us becomes STALE (as
 * neigh_event_ns), a reply to us makes an existing entry REACHABLE.
 * Runs on the datapath thread that received the frame.
 */
#include <arpa/inet.h>
#include <net/if_arp.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/init.h>
#include <linux/rtnetlink.h>
#include <linux/netdev.h>
#include <linux/inetdevice.h>
#include <net/neighbour.h>
#include <net/pkt_trace.h>

/* the Ethernet/IPv4 ARP body after struct arphdr */
struct arp_eth_body {
	unsigned char sha[ETH_ALEN];
	unsigned char sip[4];
	unsigned char tha[ETH_ALEN];
	unsigned char tip[4];
} __attribute__((packed));

#define ARP_PKT_LEN	(sizeof(struct arphdr) + sizeof(struct arp_eth_body))

static void arp_solicit(struct neighbour *n);

struct neigh_table arp_tbl = {
	.family = AF_INET,
	.key_len = 4,
	.id = "arp_cache",
	.solicit = arp_solicit,
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.entries = { &arp_tbl.entries, &arp_tbl.entries },
};

/* build and send an ARP packet out of dev to dest_hw (arp_create + arp_xmit) */
static void arp_send(int op, struct net_device *dev, const unsigned char *dest_hw,
		     __be32 sip, const unsigned char *tha, __be32 tip)
{
	struct sk_buff *skb = skb_local_pool ? alloc_skb(skb_local_pool) : NULL;
	struct arp_eth_body *body;
	struct arphdr *arp;

	if (!skb)
		return;
	skb->network_header = skb->data - skb->head;
	skb->protocol = htons(ETH_P_ARP);
	skb->len = ARP_PKT_LEN;
	arp = (struct arphdr *)skb->data;
	arp->ar_hrd = htons(ARPHRD_ETHER);
	arp->ar_pro = htons(ETH_P_IP);
	arp->ar_hln = ETH_ALEN;
	arp->ar_pln = 4;
	arp->ar_op = htons(op);
	body = (struct arp_eth_body *)(arp + 1);
	memcpy(body->sha, dev->dev_addr, ETH_ALEN);
	memcpy(body->sip, &sip, 4);
	if (tha)
		memcpy(body->tha, tha, ETH_ALEN);
	else
		memset(body->tha, 0, ETH_ALEN);
	memcpy(body->tip, &tip, 4);
	neigh_xmit_ha(dev, dest_hw, skb);
}

static void arp_solicit(struct neighbour *n)
{
	unsigned char dest[ETH_ALEN];
	__be32 tip, sip;

	memcpy(&tip, n->primary_key, 4);
	rcu_read_lock();
	sip = inet_select_addr(n->dev, tip, RT_SCOPE_LINK);
	rcu_read_unlock();
	/* re-checking a known address (PROBE) asks its owner directly */
	if (neigh_valid(n))
		neigh_ha_snapshot(dest, n);
	else
		memcpy(dest, n->dev->broadcast, ETH_ALEN);
	arp_send(ARPOP_REQUEST, n->dev, dest, sip, NULL, tip);
}

static void arp_learn(struct net_device *dev, const struct arp_eth_body *body, bool create,
		      u8 state)
{
	struct neighbour *n;
	__be32 sip;

	memcpy(&sip, body->sip, 4);
	if (!sip)
		return;		/* a DAD probe says nothing about its sender's address */
	n = create ? neigh_lookup_create(&arp_tbl, &sip, dev) : neigh_lookup(&arp_tbl, &sip, dev);
	if (!n)
		return;
	neigh_update(n, body->sha, state, NEIGH_UPDATE_F_OVERRIDE);
	neigh_release(n);
}

static int arp_rcv(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt)
{
	const struct arp_eth_body *body;
	const struct arphdr *arp;
	__be32 tip;

	if (!rcu_dereference(dev->ip_ptr)) {
		kfree_skb_reason(skb, SKB_DROP_REASON_NO_STACK);
		return 0;
	}
	if (skb->len < ETH_HLEN + ARP_PKT_LEN) {
		kfree_skb_reason(skb, SKB_DROP_REASON_PKT_TOO_SMALL);
		return 0;
	}
	arp = (const struct arphdr *)(skb->data + ETH_HLEN);
	body = (const struct arp_eth_body *)(arp + 1);
	if (arp->ar_hrd != htons(ARPHRD_ETHER) || arp->ar_pro != htons(ETH_P_IP) ||
	    arp->ar_hln != ETH_ALEN || arp->ar_pln != 4 || skb->pkt_type == PACKET_OTHERHOST ||
	    (body->sha[0] & 1)) {
		kfree_skb_reason(skb, SKB_DROP_REASON_UNHANDLED_PROTO);
		return 0;
	}
	memcpy(&tip, body->tip, 4);
	if (!inet_addr_is_local(dev, tip)) {
		/* not about us: Linux only refreshes what it already knows */
		if (arp->ar_op == htons(ARPOP_REPLY) || arp->ar_op == htons(ARPOP_REQUEST))
			arp_learn(dev, body, false, NUD_STALE);
		consume_skb(skb);
		return 0;
	}
	if (arp->ar_op == htons(ARPOP_REQUEST)) {
		__be32 sip;

		memcpy(&sip, body->sip, 4);
		arp_learn(dev, body, true, NUD_STALE);
		pkt_trace(skb, "stack", "\"dev\":\"%s\",\"proto\":\"arp\",\"what\":\"arp request for %u.%u.%u.%u: arp reply sent\"",
			  dev->name, body->tip[0], body->tip[1], body->tip[2], body->tip[3]);
		arp_send(ARPOP_REPLY, dev, body->sha, tip, body->sha, sip);
	} else if (arp->ar_op == htons(ARPOP_REPLY)) {
		pkt_trace(skb, "stack", "\"dev\":\"%s\",\"proto\":\"arp\",\"what\":\"arp reply from %u.%u.%u.%u: neighbour updated\"",
			  dev->name, body->sip[0], body->sip[1], body->sip[2], body->sip[3]);
		arp_learn(dev, body, false, NUD_REACHABLE);
	}
	consume_skb(skb);
	return 0;
}

static struct packet_type arp_packet_type = {
	.func = arp_rcv,
};

static void arp_init(void)
{
	arp_packet_type.type = htons(ETH_P_ARP);
	dev_add_pack(&arp_packet_type);
}

module_init(arp_init);
