/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Neighbour tables (include/net/neighbour.h, net/core/neighbour.c): the
 * link-layer address of an on-link IPv4 (ARP, net/ipv4/arp.c) or IPv6
 * (ND, net/ipv6/ndisc.c) next hop, per device, with the kernel's NUD_*
 * states (UAPI <linux/neighbour.h>).
 *
 * Only devices with an address of the family (the uplink representor
 * carrying the underlay) resolve.  Output to an unresolved neighbour
 * queues the packet (a few per entry, like arp_queue) and solicits;
 * the reply, received by the datapath, sends the queue.  Every change of
 * state or address is announced with NETEVENT_NEIGH_UPDATE.
 *
 * Locking: lookups are RCU readers (datapath and control plane);
 * creating, updating and deleting take the table's lock.  An entry is
 * refcounted (the table holds one reference); it is freed after a grace
 * period once the last reference goes.  n->lock guards ha, nud_state and
 * the queue; read ha with neigh_ha_snapshot().
 */
#ifndef _NET_NEIGHBOUR_H
#define _NET_NEIGHBOUR_H

#include <pthread.h>
#include <linux/neighbour.h>
#include <linux/compiler.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/skbuff.h>
#include <linux/spinlock.h>
#include <net/flow_dissector.h>

struct net_device;
struct neighbour;

/* the kernel's internal groupings of NUD_* states */
#define NUD_IN_TIMER	(NUD_INCOMPLETE | NUD_REACHABLE | NUD_DELAY | NUD_PROBE)
#define NUD_VALID	(NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE | NUD_PROBE | NUD_STALE | NUD_DELAY)
#define NUD_CONNECTED	(NUD_PERMANENT | NUD_NOARP | NUD_REACHABLE)

#define NEIGH_QUEUE_MAX		8	/* packets waiting for resolution */
#define NEIGH_MAX_PROBES	3	/* solicits before NUD_FAILED */
#define NEIGH_RETRANS_MS	1000	/* between solicits (retrans_time) */
#define NEIGH_REACHABLE_MS	30000	/* REACHABLE turns STALE (base_reachable_time) */
#define NEIGH_DELAY_PROBE_MS	5000	/* DELAY turns PROBE (delay_first_probe_time) */
#define NEIGH_TABLE_MAX		1024	/* entries per table (gc_thresh3) */
#define NEIGH_GC_MIN_AGE_MS	5000	/* a full table keeps what changed since (neigh_forced_gc) */

/*
 * A packet waiting for resolution is a copy on the heap, not the skb: the
 * skb belongs to its datapath thread's pool, and the queue may be flushed
 * or freed by another thread (`ip neigh`, device removal, RCU callbacks).
 */
struct neigh_queued {
	__be16 protocol;
	unsigned int len;
	unsigned char data[];		/* from the network header */
};

struct neigh_table {
	int family;			/* AF_INET (arp_tbl), AF_INET6 (nd_tbl) */
	unsigned int key_len;		/* 4 or 16 */
	const char *id;			/* "arp_cache", "ndisc_cache" */
	/* send a solicitation for n's key out of n->dev (datapath or control) */
	void (*solicit)(struct neighbour *n);
	pthread_mutex_t lock;
	struct list_head entries;	/* RCU list of struct neighbour */
	unsigned int entries_count;
};

struct neighbour {
	struct list_head list;		/* in tbl->entries */
	struct neigh_table *tbl;
	struct net_device *dev;
	refcount_t refcnt;
	spinlock_t lock;
	u8 nud_state;			/* NUD_* */
	u8 flags;			/* NTF_* */
	u8 dead;			/* removed from the table */
	u8 probes;			/* solicits sent while INCOMPLETE */
	unsigned char ha[ETH_ALEN];	/* valid when nud_state & NUD_VALID */
	unsigned long updated;		/* jiffies of the last state change */
	unsigned long confirmed;	/* jiffies of the last reply/confirmation */
	unsigned long used;		/* jiffies of the last output */
	unsigned long probed;		/* jiffies of the last solicit */
	struct neigh_queued *queue[NEIGH_QUEUE_MAX];	/* oldest first */
	unsigned int queue_len;
	struct rcu_head rcu;
	u8 primary_key[16];		/* __be32 or struct in6_addr */
};

extern struct neigh_table arp_tbl;
extern struct neigh_table nd_tbl;

/* a reference to the entry for (pkey, dev), or NULL */
struct neighbour *neigh_lookup(struct neigh_table *tbl, const void *pkey,
			       const struct net_device *dev);
/* the same, creating an INCOMPLETE (NUD_NONE until output) entry if absent */
struct neighbour *neigh_lookup_create(struct neigh_table *tbl, const void *pkey,
				      struct net_device *dev);
void neigh_release(struct neighbour *n);
static inline struct neighbour *neigh_hold(struct neighbour *n)
{
	refcount_inc(&n->refcnt);
	return n;
}

/*
 * Give n a new state and (when lladdr is not NULL) address, as
 * neigh_update() does: NUD_VALID states send the queue, a change of
 * address or validity calls NETEVENT_NEIGH_UPDATE.  flags: NEIGH_UPDATE_F_*.
 */
#define NEIGH_UPDATE_F_OVERRIDE		BIT(0)
#define NEIGH_UPDATE_F_ADMIN		BIT(1)	/* from `ip neigh` */
int neigh_update(struct neighbour *n, const u8 *lladdr, u8 new_state, u32 flags);

/*
 * Send skb (data at the network header, skb->protocol the L3 type) to n:
 * with a valid address the Ethernet header is pushed and the frame goes
 * out through dev_queue_xmit(n->dev); otherwise it waits in n's queue
 * (the oldest is dropped when full) and a solicit goes out.  Consumes skb.
 * Timers are judged lazily here, as there is no timer thread: an
 * INCOMPLETE entry solicits again at most every NEIGH_RETRANS_MS and fails
 * (queue dropped, SKB_DROP_REASON_NEIGH_FAILED) after NEIGH_MAX_PROBES; a
 * FAILED one starts over NEIGH_RETRANS_MS later; STALE -> DELAY, and
 * DELAY -> PROBE (a unicast solicit) after NEIGH_DELAY_PROBE_MS.
 * Datapath threads only (it allocates from skb_local_pool); a queue made
 * valid by the control plane goes out on the next output.
 */
int neigh_output(struct neighbour *n, struct sk_buff *skb);

/* copy n->ha under n->lock */
void neigh_ha_snapshot(unsigned char *dst, struct neighbour *n);

static inline bool neigh_valid(const struct neighbour *n)
{
	return READ_ONCE(n->nud_state) & NUD_VALID;
}

/* forget every entry of dev (device going away, address removed) */
void neigh_ifdown(struct neigh_table *tbl, struct net_device *dev);
/* unlink n from its table (`ip neigh del`); rtnl or the table's users */
void neigh_remove(struct neighbour *n);
/* the state as `ip neigh` shows it now (REACHABLE ages to STALE lazily) */
u8 neigh_state_now(struct neighbour *n);

/* for arp.c / ndisc.c: a frame to dev's link, from its own MAC; consumes skb */
int neigh_xmit_ha(struct net_device *dev, const unsigned char *ha, struct sk_buff *skb);
/* the table of an address family, or NULL */
struct neigh_table *neigh_find_table(int family);

#endif
