// SPDX-License-Identifier: GPL-2.0
/*
 * Network devices and the packet path between them (net/core/dev.c).
 *
 * Receive: netif_receive_skb() runs the device's ingress tc hook
 * (sch_handle_ingress) and then hands what is left to the host stack,
 * which a representor does not have: such packets are counted and dropped.
 * Transmit: dev_queue_xmit() runs the egress hook (clsact) and then the
 * driver's ndo_start_xmit.
 */
#include <pthread.h>
#include <stdio.h>
#include <net/if_arp.h>
#include <linux/slab.h>
#include <linux/netdev.h>
#include <linux/percpu.h>
#include <net/pkt_cls.h>
#include <net/netlink.h>
#include <linux/inetdevice.h>
#include <net/addrconf.h>
#include <linux/if_ether.h>
#include <net/pkt_trace.h>

LIST_HEAD(net_device_list);
static int dev_next_ifindex = 1;
static pthread_mutex_t rtnl_mutex = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static __thread int rtnl_depth;

void rtnl_lock(void)
{
	pthread_mutex_lock(&rtnl_mutex);
	rtnl_depth++;
}

void rtnl_unlock(void)
{
	rtnl_depth--;
	pthread_mutex_unlock(&rtnl_mutex);
}

bool rtnl_is_locked(void)
{
	return rtnl_depth > 0;
}

struct net_device *alloc_netdev(size_t priv_size, const char *name,
				const struct net_device_ops *ops)
{
	struct net_device *dev = kzalloc(sizeof(*dev) + priv_size, GFP_KERNEL);

	if (!dev)
		return NULL;
	dev->tstats = alloc_percpu(struct pcpu_sw_netstats);
	if (!dev->tstats) {
		kfree(dev);
		return NULL;
	}
	snprintf(dev->name, sizeof(dev->name), "%s", name);
	dev->netdev_ops = ops;
	dev->type = ARPHRD_ETHER;
	dev->addr_len = ETH_ALEN;
	dev->mtu = 1500;
	dev->min_mtu = 68;
	dev->max_mtu = SKB_DATA_MAX - 18;
	dev->tx_queue_len = 1000;
	memset(dev->broadcast, 0xff, ETH_ALEN);
	dev->priv = priv_size ? (void *)(dev + 1) : NULL;
	return dev;
}

void free_netdev(struct net_device *dev)
{
	if (dev)
		free_percpu(dev->tstats);
	kfree(dev);
}

void dev_get_stats(const struct net_device *dev, struct rtnl_link_stats64 *s)
{
	int cpu;

	memset(s, 0, sizeof(*s));
	for_each_possible_cpu(cpu) {
		const struct pcpu_sw_netstats *t = per_cpu_ptr(dev->tstats, cpu);

		s->rx_packets += u64_stats_read(&t->rx_packets);
		s->rx_bytes += u64_stats_read(&t->rx_bytes);
		s->tx_packets += u64_stats_read(&t->tx_packets);
		s->tx_bytes += u64_stats_read(&t->tx_bytes);
	}
	s->rx_errors = DEV_STATS_READ(dev, rx_errors);
	s->tx_errors = DEV_STATS_READ(dev, tx_errors);
	s->rx_dropped = DEV_STATS_READ(dev, rx_dropped);
	s->tx_dropped = DEV_STATS_READ(dev, tx_dropped);
	s->multicast = DEV_STATS_READ(dev, multicast);
}

int register_netdev(struct net_device *dev)
{
	if (dev_get_by_name(dev->name))
		return -EEXIST;
	dev->ifindex = dev_next_ifindex++;
	list_add_tail_rcu(&dev->dev_list, &net_device_list);
	return 0;
}

void unregister_netdev(struct net_device *dev)
{
	/* its addresses take their routes and neighbours with them */
	rtnl_lock();
	inetdev_destroy(dev);
	addrconf_ifdown(dev);
	rtnl_unlock();
	if (dev->netdev_ops->ndo_uninit)
		dev->netdev_ops->ndo_uninit(dev);
	list_del_rcu(&dev->dev_list);
	synchronize_rcu();
}

struct net_device *dev_get_by_index(int ifindex)
{
	struct net_device *dev;

	for_each_netdev(dev)
		if (dev->ifindex == ifindex)
			return dev;
	return NULL;
}

struct net_device *dev_get_by_name(const char *name)
{
	struct net_device *dev;

	for_each_netdev(dev)
		if (!strcmp(dev->name, name))
			return dev;
	return NULL;
}

int dev_change_flags(struct net_device *dev, unsigned int flags,
		     struct netlink_ext_ack *extack)
{
	bool up = flags & IFF_UP, was_up = dev->flags & IFF_UP;
	int err = 0;

	if (up && !was_up && dev->netdev_ops->ndo_open)
		err = dev->netdev_ops->ndo_open(dev);
	else if (!up && was_up && dev->netdev_ops->ndo_stop)
		err = dev->netdev_ops->ndo_stop(dev);
	if (err) {
		NL_SET_ERR_MSG(extack, "Device failed to change state");
		return err;
	}
	dev->flags = (dev->flags & ~(IFF_UP | IFF_RUNNING | IFF_LOWER_UP)) |
		     (up ? IFF_UP | IFF_RUNNING | IFF_LOWER_UP : 0);
	dev->flags = (dev->flags & ~(IFF_PROMISC | IFF_ALLMULTI | IFF_NOARP)) |
		     (flags & (IFF_PROMISC | IFF_ALLMULTI | IFF_NOARP));
	return 0;
}

/*
 * Drop accounting: each reason has a counter per datapath thread, summed
 * on read, so every packet that entered ends in exactly one bucket.
 */
const char *const skb_drop_reason_names[SKB_DROP_REASON_MAX] = {
	[SKB_NOT_DROPPED_YET] = "not_dropped",
	[SKB_DROP_REASON_NOT_SPECIFIED] = "not_specified",
	[SKB_DROP_REASON_TC_INGRESS] = "tc_ingress",
	[SKB_DROP_REASON_TC_EGRESS] = "tc_egress",
	[SKB_DROP_REASON_PKT_TOO_SMALL] = "pkt_too_small",
	[SKB_DROP_REASON_DEV_READY] = "dev_ready",
	[SKB_DROP_REASON_NO_STACK] = "no_stack",
	[SKB_DROP_REASON_OTHERHOST] = "otherhost",
	[SKB_DROP_REASON_NEIGH_FAILED] = "neigh_failed",
	[SKB_DROP_REASON_NEIGH_QUEUEFULL] = "neigh_queuefull",
	[SKB_DROP_REASON_IP_NOROUTE] = "ip_noroute",
	[SKB_DROP_REASON_UNHANDLED_PROTO] = "unhandled_proto",
	[SKB_DROP_REASON_TC_RECLASSIFY_LOOP] = "tc_reclassify_loop",
	[SKB_DROP_REASON_NOMEM] = "nomem",
};

static u64_stats_t drop_stats[NR_CPUS][SKB_DROP_REASON_MAX];

void kfree_skb_reason(struct sk_buff *skb, enum skb_drop_reason reason)
{
	pkt_trace(skb, "drop", "\"dev\":\"%s\",\"reason\":\"%s\"",
		  skb->dev ? skb->dev->name : "", skb_drop_reason_names[reason]);
	u64_stats_inc(&drop_stats[smp_processor_id()][reason]);
	kfree_skb(skb);
}

void skb_drop_count_add(enum skb_drop_reason reason)
{
	u64_stats_inc(&drop_stats[smp_processor_id()][reason]);
}

u64 skb_drop_count(enum skb_drop_reason reason)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += u64_stats_read(&drop_stats[cpu][reason]);
	return sum;
}

/*
 * The tc hook of one direction (sch_handle_ingress/_egress): classify on
 * the block and act on the verdict.  Returns the skb to go on with, or
 * NULL when tc consumed or dropped it.
 */
static struct sk_buff *sch_handle(struct sk_buff *skb, struct mini_Qdisc *miniq,
				  bool ingress)
{
	struct mini_Qdisc_stats *stats;
	struct tcf_result res = {};
	int ret;

	if (!miniq)
		return skb;
	stats = this_cpu_ptr(miniq->cpu_stats);
	u64_stats_add(&stats->bytes, skb->len);
	u64_stats_inc(&stats->packets);
	skb->tc_at_ingress = ingress;
	skb->post_ct = 0;	/* tc_skb_cb is per hook; the conntrack stays */
	/* the key holds the device it is classified on: parse again here */
	skb->flow_key_valid = 0;
	ret = tcf_classify(skb, miniq->block, NULL, &res, false);
	switch (ret) {
	case TC_ACT_SHOT:
		u64_stats_inc(&stats->drops);
		/* tcf_classify may have said why (e.g. a reclassify loop) */
		kfree_skb_reason(skb, skb->drop_reason ? skb->drop_reason :
				 ingress ? SKB_DROP_REASON_TC_INGRESS :
					   SKB_DROP_REASON_TC_EGRESS);
		return NULL;
	case TC_ACT_STOLEN:
	case TC_ACT_QUEUED:
	case TC_ACT_TRAP:
		/* consumed by an action (mirred redirect, ...) */
		return NULL;
	default:
		return skb;
	}
}

/* the kernel's ptype_base: a few handlers (IPv4, ARP, IPv6), registered at init */
static LIST_HEAD(ptype_base);
static pthread_mutex_t ptype_lock = PTHREAD_MUTEX_INITIALIZER;

void dev_add_pack(struct packet_type *pt)
{
	pthread_mutex_lock(&ptype_lock);
	list_add_rcu(&pt->list, &ptype_base);
	pthread_mutex_unlock(&ptype_lock);
}

void dev_remove_pack(struct packet_type *pt)
{
	pthread_mutex_lock(&ptype_lock);
	list_del_rcu(&pt->list);
	pthread_mutex_unlock(&ptype_lock);
	synchronize_rcu();
}

/* the host stack behind a device with addresses (__netif_receive_skb_core's deliver) */
static void deliver_skb_to_stack(struct sk_buff *skb, struct net_device *dev)
{
	struct packet_type *pt;

	list_for_each_entry_rcu(pt, &ptype_base, list) {
		if (pt->type == skb->protocol) {
			pkt_trace(skb, "stack", "\"dev\":\"%s\",\"proto\":\"%s\",\"what\":\"to the host stack\"",
				  dev->name, skb->protocol == htons(ETH_P_IP) ? "ip" :
				  skb->protocol == htons(ETH_P_ARP) ? "arp" : "ipv6");
			pt->func(skb, dev, pt);
			return;
		}
	}
	kfree_skb_reason(skb, SKB_DROP_REASON_UNHANDLED_PROTO);
}

void netif_receive_skb(struct sk_buff *skb)
{
	struct net_device *dev = skb->dev;

	if (unlikely(!(dev->flags & IFF_UP))) {
		DEV_STATS_INC(dev, rx_dropped);
		kfree_skb_reason(skb, SKB_DROP_REASON_DEV_READY);
		return;
	}
	dev_sw_netstats_rx_add(dev, skb->len);
	skb = sch_handle(skb, rcu_dereference(dev->miniq_ingress), true);
	if (!skb)
		return;
	/* only a device with addresses (the underlay's uplink) has a stack behind it */
	if (rcu_dereference(dev->ip_ptr) || rcu_dereference(dev->ip6_ptr))
		deliver_skb_to_stack(skb, dev);
	else
		kfree_skb_reason(skb, SKB_DROP_REASON_NO_STACK);
}

void netif_receive_skb_list(struct sk_buff **skbs, int n)
{
	int i;

	for (i = 0; i < n; i++)
		netif_receive_skb(skbs[i]);
}

int dev_queue_xmit(struct sk_buff *skb)
{
	struct net_device *dev = skb->dev;

	if (unlikely(!(dev->flags & IFF_UP))) {
		DEV_STATS_INC(dev, tx_dropped);
		kfree_skb_reason(skb, SKB_DROP_REASON_DEV_READY);
		return -ENETDOWN;
	}
	if (!skb->tc_skip_classify) {
		skb = sch_handle(skb, rcu_dereference(dev->miniq_egress), false);
		if (!skb)
			return 0;
	}
	skb->tc_skip_classify = 0;
	dev_sw_netstats_tx_add(dev, 1, skb->len);
	dev->netdev_ops->ndo_start_xmit(skb, dev);
	return 0;
}
