// SPDX-License-Identifier: GPL-2.0
/*
 * lo (drivers/net/loopback.c): every namespace has one, ifindex 1, so our
 * device list and ifindexes read like a fresh Linux namespace's.
 */
#include <net/if_arp.h>
#include <linux/netdev.h>

static enum netdev_tx loopback_xmit(struct sk_buff *skb, struct net_device *dev)
{
	skb->dev = dev;
	netif_receive_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops loopback_ops = {
	.ndo_start_xmit = loopback_xmit,
};

struct net_device *loopback_net_init(void)
{
	struct net_device *dev = alloc_netdev(0, "lo", &loopback_ops);

	if (!dev)
		return NULL;
	dev->type = ARPHRD_LOOPBACK;
	dev->mtu = 65536;
	dev->max_mtu = 65536;
	dev->flags = IFF_LOOPBACK | IFF_UP | IFF_RUNNING | IFF_LOWER_UP;
	memset(dev->broadcast, 0, sizeof(dev->broadcast));
	if (register_netdev(dev)) {
		free_netdev(dev);
		return NULL;
	}
	return dev;
}
