/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct net_device and the device list (net/core/dev.c).
 *
 * (Named netdev.h, not netdevice.h, so it does not shadow the UAPI
 * <linux/netdevice.h> that <linux/if_arp.h> includes.)
 *
 * Devices live on an RCU list: the datapath resolves and uses them without
 * a lock; the control plane adds and removes them under rtnl_lock().
 */
#ifndef _LINUX_NETDEV_H
#define _LINUX_NETDEV_H

#include <net/if.h>
#include <linux/compiler.h>
#include <linux/list.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/skbuff.h>
#include <net/flow_dissector.h>

#ifndef IFF_LOWER_UP
#define IFF_LOWER_UP	0x10000
#define IFF_DORMANT	0x20000
#endif

struct net_device;
struct netlink_ext_ack;
struct Qdisc;
struct mini_Qdisc;
struct in_device;
struct inet6_dev;
struct rtnl_link_ops;

enum netdev_tx {
	NETDEV_TX_OK = 0,
	NETDEV_TX_BUSY = 0x10,
};

/*
 * What ndo_setup_tc() is asked to set up, in Linux 6.1's order.  Here only
 * TC_SETUP_BLOCK (a tc block binds to or unbinds from the device: type_data
 * is a struct flow_block_offload), TC_SETUP_CLSFLOWER (a block callback
 * gets a flower filter, or a flowtable callback a connection: struct
 * flow_cls_offload) are used.  TC_SETUP_FT is where Linux's nftables binds
 * a device to a flowtable's block; act_ct's drivers register on the
 * flowtable directly (nf_flow_table_offload_add_cb), so nothing sends it.
 */
enum tc_setup_type {
	TC_QUERY_CAPS,
	TC_SETUP_QDISC_MQPRIO,
	TC_SETUP_CLSU32,
	TC_SETUP_CLSFLOWER,
	TC_SETUP_CLSMATCHALL,
	TC_SETUP_CLSBPF,
	TC_SETUP_BLOCK,
	TC_SETUP_QDISC_CBS,
	TC_SETUP_QDISC_RED,
	TC_SETUP_QDISC_PRIO,
	TC_SETUP_QDISC_MQ,
	TC_SETUP_QDISC_ETF,
	TC_SETUP_ROOT_QDISC,
	TC_SETUP_QDISC_GRED,
	TC_SETUP_QDISC_TAPRIO,
	TC_SETUP_FT,
	TC_SETUP_QDISC_ETS,
	TC_SETUP_QDISC_TBF,
	TC_SETUP_QDISC_FIFO,
	TC_SETUP_QDISC_HTB,
	TC_SETUP_ACT,
};

struct net_device_ops {
	int (*ndo_open)(struct net_device *dev);
	int (*ndo_stop)(struct net_device *dev);
	/* consumes skb in every case */
	enum netdev_tx (*ndo_start_xmit)(struct sk_buff *skb, struct net_device *dev);
	/*
	 * Hardware offload of tc (include/net/flow_offload.h): 0 or -errno;
	 * -EOPNOTSUPP for a type the device does not offload.
	 */
	int (*ndo_setup_tc)(struct net_device *dev, enum tc_setup_type type, void *type_data);
	void (*ndo_uninit)(struct net_device *dev);
};

/*
 * The kernel's rtnl_link_stats64 counters that we keep: packets and bytes
 * per thread in dev->tstats (struct pcpu_sw_netstats), the rare ones
 * (errors, drops) in dev->stats, updated with DEV_STATS_INC() from any
 * thread.  dev_get_stats() sums them.
 */
struct net_device_stats {
	u64 rx_errors, tx_errors;
	u64 rx_dropped, tx_dropped;
	u64 multicast;
};

struct pcpu_sw_netstats {
	u64_stats_t rx_packets, rx_bytes;
	u64_stats_t tx_packets, tx_bytes;
};

#define DEV_STATS_INC(dev, field) \
	__atomic_fetch_add(&(dev)->stats.field, 1, __ATOMIC_RELAXED)
#define DEV_STATS_READ(dev, field) \
	__atomic_load_n(&(dev)->stats.field, __ATOMIC_RELAXED)

/* dev->features: the one offload feature tc cares about ("hw-tc-offload") */
typedef u64 netdev_features_t;
#define NETIF_F_HW_TC	BIT_ULL(55)

struct net_device {
	struct list_head dev_list;
	char name[IFNAMSIZ];
	int ifindex;
	unsigned int flags;		/* IFF_UP, IFF_RUNNING, ... */
	netdev_features_t features;
	unsigned int mtu, min_mtu, max_mtu;
	unsigned short type;		/* ARPHRD_ETHER */
	unsigned char addr_len;
	unsigned char dev_addr[ETH_ALEN];
	unsigned char broadcast[ETH_ALEN];
	unsigned int tx_queue_len;
	const struct net_device_ops *netdev_ops;
	const char *kind;		/* IFLA_INFO_KIND, NULL for plain devices */
	const char *parentname;		/* e.g. the eswitch's PCI name */
	struct net_device_stats stats;
	struct pcpu_sw_netstats __percpu *tstats;
	/* tc: set by sch_ingress when an ingress / clsact qdisc is attached */
	struct mini_Qdisc *miniq_ingress;
	struct mini_Qdisc *miniq_egress;
	struct Qdisc *qdisc_ingress;
	/* L3 state of a device that carries addresses (the underlay) */
	struct in_device *ip_ptr;	/* RCU; linux/inetdevice.h */
	struct inet6_dev *ip6_ptr;	/* RCU; net/addrconf.h */
	/* the link type that made it (`ip link add ... type vxlan`), or NULL */
	const struct rtnl_link_ops *rtnl_link_ops;
	u32 phys_port_name_id;
	char phys_port_name[IFNAMSIZ];
	char phys_switch_id[8];
	unsigned char phys_switch_id_len;
	void *priv;
	struct rcu_head rcu;
};

static inline void *netdev_priv(const struct net_device *dev)
{
	return dev->priv;
}

/* rtnl_lock: serialises all control-plane changes (never taken by the datapath) */
void rtnl_lock(void);
void rtnl_unlock(void);
bool rtnl_is_locked(void);

struct net_device *alloc_netdev(size_t priv_size, const char *name,
				const struct net_device_ops *ops);
int register_netdev(struct net_device *dev);
void unregister_netdev(struct net_device *dev);
void free_netdev(struct net_device *dev);

static inline void dev_sw_netstats_rx_add(struct net_device *dev, unsigned int len)
{
	struct pcpu_sw_netstats *t = this_cpu_ptr(dev->tstats);

	u64_stats_inc(&t->rx_packets);
	u64_stats_add(&t->rx_bytes, len);
}
static inline void dev_sw_netstats_tx_add(struct net_device *dev, unsigned int packets,
					  unsigned int len)
{
	struct pcpu_sw_netstats *t = this_cpu_ptr(dev->tstats);

	u64_stats_add(&t->tx_packets, packets);
	u64_stats_add(&t->tx_bytes, len);
}
struct rtnl_link_stats64;
/* every counter of dev, summed over the threads */
void dev_get_stats(const struct net_device *dev, struct rtnl_link_stats64 *s);
struct net_device *dev_get_by_index(int ifindex);	/* RCU or rtnl */
struct net_device *dev_get_by_name(const char *name);	/* RCU or rtnl */
int dev_change_flags(struct net_device *dev, unsigned int flags,
		     struct netlink_ext_ack *extack);
extern struct list_head net_device_list;
#define for_each_netdev(d) list_for_each_entry_rcu(d, &net_device_list, dev_list)

/*
 * Protocol handlers (the kernel's ptype_base): what is left of a received
 * packet after ingress tc goes to the handler of its ethertype, with
 * skb->data at the MAC header.  Only devices with addresses have a stack
 * behind them (the uplink carrying the underlay: ARP, ND, VXLAN); the
 * handlers ignore the rest.  func consumes the skb.  Registration is an
 * init-time act.
 */
struct packet_type {
	__be16 type;			/* htons(ETH_P_*) */
	int (*func)(struct sk_buff *skb, struct net_device *dev, struct packet_type *pt);
	struct list_head list;
};
void dev_add_pack(struct packet_type *pt);
void dev_remove_pack(struct packet_type *pt);

/* receive path: ingress tc, then the protocol handlers */
void netif_receive_skb(struct sk_buff *skb);
void netif_receive_skb_list(struct sk_buff **skbs, int n);
/* transmit on dev (egress tc, then ndo_start_xmit); consumes skb */
int dev_queue_xmit(struct sk_buff *skb);

/* drop accounting: every packet that is freed as a drop has a reason */
enum skb_drop_reason {
	SKB_NOT_DROPPED_YET,
	SKB_DROP_REASON_NOT_SPECIFIED,
	SKB_DROP_REASON_TC_INGRESS,	/* a tc action said drop */
	SKB_DROP_REASON_TC_EGRESS,
	SKB_DROP_REASON_PKT_TOO_SMALL,	/* malformed / truncated */
	SKB_DROP_REASON_DEV_READY,	/* device down */
	SKB_DROP_REASON_NO_STACK,	/* passed to a representor: no host stack */
	SKB_DROP_REASON_OTHERHOST,	/* the stack got a frame for another MAC */
	SKB_DROP_REASON_NEIGH_FAILED,	/* the next hop did not answer */
	SKB_DROP_REASON_NEIGH_QUEUEFULL,
	SKB_DROP_REASON_IP_NOROUTE,	/* a tunnel's outer destination has no route */
	SKB_DROP_REASON_UNHANDLED_PROTO, /* the stack does not handle it (to us, not VXLAN) */
	SKB_DROP_REASON_TC_RECLASSIFY_LOOP,
	SKB_DROP_REASON_NOMEM,
	SKB_DROP_REASON_MAX,
};
void kfree_skb_reason(struct sk_buff *skb, enum skb_drop_reason reason);
/* count a drop of a packet that is no longer an skb (a neighbour's queued copy) */
void skb_drop_count_add(enum skb_drop_reason reason);
/* totals per reason (sum of datapath threads), for accounting checks */
u64 skb_drop_count(enum skb_drop_reason reason);
extern const char *const skb_drop_reason_names[SKB_DROP_REASON_MAX];

#endif
