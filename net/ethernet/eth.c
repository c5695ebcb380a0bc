// SPDX-License-Identifier: GPL-2.0
/* Ethernet receive helpers (net/ethernet/eth.c). */
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/etherdevice.h>
#include <linux/netdev.h>

__be16 eth_type_trans(struct sk_buff *skb, struct net_device *dev)
{
	const unsigned char *p = skb->data;
	u16 type;

	skb->dev = dev;
	skb_reset_mac_header(skb);
	if (unlikely(skb->len < ETH_HLEN))
		return 0;	/* the parser drops it; no filter protocol matches 0 */
	/* the stack ignores frames for other hosts (the rep sees the whole link) */
	if (unlikely(p[0] & 1))
		skb->pkt_type = memcmp(p, dev->broadcast, ETH_ALEN) ? PACKET_MULTICAST :
								      PACKET_BROADCAST;
	else if (likely(!memcmp(p, dev->dev_addr, ETH_ALEN)))
		skb->pkt_type = PACKET_HOST;
	else
		skb->pkt_type = PACKET_OTHERHOST;
	type = (p[12] << 8) | p[13];
	if (likely(type >= ETH_P_802_3_MIN))
		return htons(type);
	/* a length field: raw 802.3 (IPX's 0xffff) or 802.2 LLC */
	if (skb->len >= ETH_HLEN + 2 && p[14] == 0xff && p[15] == 0xff)
		return htons(ETH_P_802_3);
	return htons(ETH_P_802_2);
}
