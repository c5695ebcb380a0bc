/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Flowtables (net/netfilter/nf_flow_table_core.c): connections that
 * conntrack has seen through their handshake, kept in a table of their own
 * so that act_ct can forward later packets without running conntrack (the
 * software fast path), and so that drivers can be offered them (the
 * offload half, NF_FLOWTABLE_HW_OFFLOAD: not here yet).
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
 */
#ifndef _NF_FLOW_TABLE_H
#define _NF_FLOW_TABLE_H

#include <linux/compiler.h>
#include <linux/bitops.h>
#include <linux/list.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
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
};

struct nf_flowtable {
	struct list_head list;		/* in the list the gc walks */
	unsigned int flags;		/* NF_FLOWTABLE_* */
	/*
	 * The offload half registers its flow_block here (drivers'
	 * callbacks, nf_flow_table_offload_add_cb); until then an entry of a
	 * NF_FLOWTABLE_HW_OFFLOAD table is only marked NF_FLOW_HW.
	 */
	void *flow_block;
	unsigned int count;		/* entries linked */
	struct nf_flow_table_stat stats[NR_CPUS];
};

#define NF_FLOW_TABLE_STAT_INC(ft, field)	((ft)->stats[smp_processor_id()].field++)

/* net.netfilter.nf_flowtable_* */
struct nf_flowtable_net {
	unsigned int tcp_timeout;	/* seconds, nf_flowtable_tcp_timeout */
	unsigned int udp_timeout;	/* seconds, nf_flowtable_udp_timeout */
	int enable;			/* nf_flowtable_enable: 0 keeps act_ct on the slow path */
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

/* the hash table, before any flowtable (daemon, benchmark, tests) */
int nf_flow_table_module_init(void);
/* the daemon's control-thread work: the periodic gc */
int nf_flow_table_start(void);
void nf_flow_table_module_exit(void);

#endif
