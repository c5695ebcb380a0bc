/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Flowtables (net/netfilter/nf_flow_table_core.c): connections that
 * conntrack has seen through their handshake, kept in a table of their own
 * so that act_ct can forward later packets without running conntrack (the
 * software fast path), and so that drivers can be offered them (the
 * offload half, net/netfilter/nf_flow_table_offload.c: a table with
 * NF_FLOWTABLE_HW_OFFLOAD describes its entries as flow_rules to the
 * callbacks drivers register on its flow_block).
 *
 * An entry (struct flow_offload) holds a reference on its connection and
 * one tuple per direction, as packets carry them after NAT on the way in
 * (the connection's original and reply tuples).  IPS_OFFLOAD on the
 * connection says it has an entry; while it does, conntrack keeps the
 * connection alive (nf_ct_offload_timeout) and the entry's own timeout
 * (nf_flowtable_{tcp,udp}_timeout, refreshed by every hit) decides.
 *
 * Lifetime and locking.  Every flowtable's entries are nodes of one
 * lock-free RCU hash table (cds_lfht) keyed by flowtable and tuple, like
 * conntrack's one table for all zones: lookups and adds run on datapath
 * threads with rcu_read_lock only.  Entries leave the table only in
 * nf_flow_table_gc_run() and nf_flow_table_free(), serialised by one
 * mutex; whoever unlinks the original tuple's node frees the entry (after
 * a grace period) and drops its connection reference.  A datapath thread
 * that wants an entry gone sets NF_FLOW_TEARDOWN (flow_offload_teardown):
 * lookups stop returning it at once, the gc removes it.
 *
 * Hardware offload.  An entry of a table with callbacks is marked
 * NF_FLOW_HW and its add is queued to the "flow offload" worker thread;
 * the worker asks the callbacks (under flow_block_lock, read side) and,
 * if one took it, sets IPS_HW_OFFLOAD on the connection.  Only one
 * request per entry is in flight (NF_FLOW_HW_PENDING).  A torn-down
 * NF_FLOW_HW entry stays linked until its destroy has run
 * (NF_FLOW_HW_DYING, then NF_FLOW_HW_DEAD): the gc queues the destroy and
 * unlinks the entry on a later pass, so no driver is ever left holding a
 * cookie (a tuple) whose memory is gone.  The worker runs every request
 * inside rcu_read_lock(), which keeps the entry's memory until it is done.
 */
#ifndef _NF_FLOW_TABLE_H
#define _NF_FLOW_TABLE_H

#include <linux/compiler.h>
#include <linux/bitops.h>
#include <linux/list.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <pthread.h>
#include <net/flow_offload.h>
#include <net/netfilter/nf_conntrack.h>

enum flow_offload_tuple_dir {
	FLOW_OFFLOAD_DIR_ORIGINAL = IP_CT_DIR_ORIGINAL,
	FLOW_OFFLOAD_DIR_REPLY = IP_CT_DIR_REPLY,
};
#define FLOW_OFFLOAD_DIR_MAX	IP_CT_DIR_MAX

/*
 * What a packet's headers give: the lookup key is everything before
 * __hash, zero-filled (IPv4 addresses leave the rest of the union zero).
 */
struct flow_offload_tuple {
	union {
		struct in_addr src_v4;
		struct in6_addr src_v6;
	};
	union {
		struct in_addr dst_v4;
		struct in6_addr dst_v6;
	};
	__be16 src_port;
	__be16 dst_port;
	u8 l3proto;			/* NFPROTO_IPV4 / NFPROTO_IPV6 */
	u8 l4proto;			/* IPPROTO_TCP / IPPROTO_UDP */
	struct {} __hash;
	u8 dir;				/* enum flow_offload_tuple_dir */
};
#define FLOW_OFFLOAD_TUPLE_KEY_LEN	offsetof(struct flow_offload_tuple, __hash)

struct flow_offload_tuple_rhash {
	struct cds_lfht_node node;	/* in the flowtables' hash table */
	struct flow_offload_tuple tuple;
};

enum nf_flow_flags {
	NF_FLOW_SNAT,
	NF_FLOW_DNAT,
	NF_FLOW_TEARDOWN,
	NF_FLOW_HW,			/* offered to the flowtable's block */
	NF_FLOW_HW_DYING,		/* its hardware rules are being destroyed */
	NF_FLOW_HW_DEAD,		/* ... and are gone */
	NF_FLOW_HW_PENDING,		/* offload work queued */
	NF_FLOW_HW_BIDIRECTIONAL,	/* the reply direction may be offloaded too */
	NF_FLOW_HW_ESTABLISHED,		/* offloaded once the connection was assured */
	/*
	 * A reply reached the flowtable: act_ct's lookup sees it before
	 * conntrack sets IPS_SEEN_REPLY, and the offload it asks for may run
	 * in between; its rules are "established" all the same.
	 */
	NF_FLOW_REPLY_SEEN,
};

struct nf_flowtable;

struct flow_offload {
	struct flow_offload_tuple_rhash tuplehash[FLOW_OFFLOAD_DIR_MAX];
	struct nf_conn *ct;		/* holds a reference */
	struct nf_flowtable *flowtable;
	unsigned long flags;		/* NF_FLOW_* bits */
	u64 timeout;			/* jiffies_ms() at which it expires */
	struct rcu_head rcu;
};

/* whether the original direction's rules say "established" (or still "new") */
static inline bool flow_offload_seen_reply(const struct flow_offload *flow)
{
	return test_bit(IPS_SEEN_REPLY_BIT, &flow->ct->status) ||
	       test_bit(NF_FLOW_REPLY_SEEN, &flow->flags);
}

enum nf_flowtable_flags {
	NF_FLOWTABLE_HW_OFFLOAD		= 0x1,	/* drivers may register on flow_block */
	NF_FLOWTABLE_COUNTER		= 0x2,	/* hits count in conntrack's counters */
};

/* per-thread counters of one flowtable; summed by nf_flow_table_stats() */
struct nf_flow_table_stat {
	u64 hit;		/* a packet took the fast path */
	u64 miss;		/* looked up, not found (or not usable) */
	u64 added;		/* flow_offload_add() succeeded */
	u64 teardown;		/* flow_offload_teardown() (FIN/RST, expiry, ct gone) */
	u64 gc_removed;		/* entries the gc unlinked and freed */
	/* the offload half (counted where the work runs, or is refused) */
	u64 hw_add;		/* an add a driver accepted: IPS_HW_OFFLOAD */
	u64 hw_refused;		/* an add no driver accepted: stays in software */
	u64 hw_retry;		/* the gc offered an entry again */
	u64 hw_del;		/* a destroy that ran */
	u64 hw_stats;		/* a stats request that ran */
	u64 hw_queue_full;	/* a request not queued: the backlog was full */
};

struct nf_flowtable {
	struct list_head list;		/* in the list the gc walks */
	unsigned int flags;		/* NF_FLOWTABLE_* */
	/*
	 * Drivers' callbacks (nf_flow_table_offload_add_cb).  The lock is
	 * taken for writing by add/del_cb and for reading by the offload
	 * worker around every call into a driver; flow_block_cbs lets the
	 * datapath see, without the lock, whether anyone listens at all.
	 */
	struct flow_block flow_block;
	pthread_rwlock_t flow_block_lock;
	unsigned int flow_block_cbs;
	unsigned int count;		/* entries linked */
	struct nf_flow_table_stat stats[NR_CPUS];
};

#define NF_FLOW_TABLE_STAT_INC(ft, field)	((ft)->stats[smp_processor_id()].field++)

/* net.netfilter.nf_flowtable_* */
struct nf_flowtable_net {
	unsigned int tcp_timeout;	/* seconds, nf_flowtable_tcp_timeout */
	unsigned int udp_timeout;	/* seconds, nf_flowtable_udp_timeout */
	int enable;			/* nf_flowtable_enable: 0 keeps act_ct on the slow path */
	unsigned int offload_queue_max;	/* nf_flowtable_offload_queue_max: backlog bound */
};
extern struct nf_flowtable_net nf_ft_net;

static inline bool nf_flowtable_hw_offload(const struct nf_flowtable *ft)
{
	return ft->flags & NF_FLOWTABLE_HW_OFFLOAD;
}

/* ---- entries ---- */
/* an entry for ct with its two tuples (NULL if ct is dying or no memory) */
struct flow_offload *flow_offload_alloc(struct nf_conn *ct);
/* free an entry that never was in a table (flow_offload_add() failed) */
void flow_offload_free(struct flow_offload *flow);
/* link it: 0, or -EEXIST if one of its tuples is there already */
int flow_offload_add(struct nf_flowtable *ft, struct flow_offload *flow);
/* a packet used it: push its timeout (force: even within the same second) */
void flow_offload_refresh(struct nf_flowtable *ft, struct flow_offload *flow, bool force);
/* nf_flowtable_{tcp,udp}_timeout of its protocol, in ms */
u64 flow_offload_get_timeout_ms(const struct flow_offload *flow);
/* stop using it; the connection goes back to conntrack; the gc unlinks it */
void flow_offload_teardown(struct flow_offload *flow);
/* RCU read side held by the caller: the live entry with this tuple, or NULL */
struct flow_offload_tuple_rhash *flow_offload_lookup(struct nf_flowtable *ft,
						     const struct flow_offload_tuple *tuple);

static inline struct flow_offload *flow_offload_from_tuplehash(struct flow_offload_tuple_rhash *th)
{
	return container_of(th, struct flow_offload, tuplehash[th->tuple.dir]);
}

/* ---- tables ---- */
int nf_flow_table_init(struct nf_flowtable *ft);
/* tear down and free every entry; the caller frees ft after a grace period */
void nf_flow_table_free(struct nf_flowtable *ft);
/* one gc pass over ft: remove expired, torn-down and dying entries */
void nf_flow_table_gc_run(struct nf_flowtable *ft);
/* one gc pass over every flowtable (the periodic work; tests call it) */
void nf_flow_table_gc_run_all(void);
unsigned int nf_flow_table_count(const struct nf_flowtable *ft);
void nf_flow_table_stats(const struct nf_flowtable *ft, struct nf_flow_table_stat *sum);
/* ft is being freed: its counters stay in the totals */
void nf_flow_table_retire_stats(const struct nf_flowtable *ft);
/* all flowtables together (the read-only sysctls) */
void nf_flow_table_stats_all(struct nf_flow_table_stat *sum);

/* ---- listing (nf_flow_table_dump.c) ---- */
/*
 * Call fn for every live entry of ft (zone's flowtable), until fn returns
 * non-zero (which is returned).  Control thread: ft cannot be freed
 * meanwhile.  The walk goes through conntrack: each connection marked
 * IPS_OFFLOAD is looked up by its original tuple, so an entry already torn
 * down (waiting for the gc) is not listed.
 */
int nf_flow_table_for_each(struct nf_flowtable *ft, u16 zone,
			   int (*fn)(const struct flow_offload *flow, void *data), void *data);

/* ---- hardware offload (net/netfilter/nf_flow_table_offload.c) ---- */
/*
 * What drivers call: cb gets TC_SETUP_CLSFLOWER with a struct
 * flow_cls_offload (REPLACE / DESTROY / STATS, cookie = the direction's
 * struct flow_offload_tuple) for every entry from now on; entries already
 * in the table are offered by the next gc pass.  -EEXIST if (cb, cb_priv)
 * is registered already.  The flowtable must outlive the registration.
 */
int nf_flow_table_offload_add_cb(struct nf_flowtable *ft, flow_setup_cb_t *cb, void *cb_priv);
void nf_flow_table_offload_del_cb(struct nf_flowtable *ft, flow_setup_cb_t *cb, void *cb_priv);

static inline bool nf_flowtable_has_cb(const struct nf_flowtable *ft)
{
	return __atomic_load_n(&ft->flow_block_cbs, __ATOMIC_RELAXED);
}

/* queue a request for flow (never blocks; a full backlog is counted) */
void nf_flow_offload_add(struct nf_flowtable *ft, struct flow_offload *flow);
void nf_flow_offload_del(struct nf_flowtable *ft, struct flow_offload *flow);
void nf_flow_offload_stats(struct nf_flowtable *ft, struct flow_offload *flow);
/* wait until every queued request has run */
void nf_flow_table_offload_flush(struct nf_flowtable *ft);
/* offload requests queued and not yet run, over every flowtable */
unsigned int nf_flow_table_offload_pending(void);
/* tests: hold the worker (requests queue up) or let it run */
void nf_flow_table_offload_pause(bool pause);
int nf_flow_table_offload_init(void);
void nf_flow_table_offload_exit(void);

/* the hash table, before any flowtable (daemon, benchmark, tests) */
int nf_flow_table_module_init(void);
/* the daemon's control-thread work: the periodic gc */
int nf_flow_table_start(void);
void nf_flow_table_module_exit(void);

#endif
