/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Connection tracking (net/netfilter/nf_conntrack_core.c).
 *
 * Lifetime.  A struct nf_conn is created by nf_conntrack_in() for the first
 * packet of a connection, unconfirmed: only that packet's skb knows it.
 * nf_conntrack_confirm() (act_ct commit) inserts both tuples into the
 * table; from then on datapath threads find it with a lock-free RCU lookup
 * and take no reference.  ct_general.use counts the long-lived holders:
 * the table, an skb holding an unconfirmed entry (skb->nfct_ref), queued
 * events, ctnetlink.  The last nf_ct_put() frees it, after an RCU grace
 * period if it was ever in the table.
 *
 * Locking.  Lookups: rcu_read_lock only.  Insert and delete: the table is
 * userspace RCU's lock-free hash table (cds_lfht, resized in the
 * background, never on a packet's path); IPS_DYING decides which of two
 * racing deleters unlinks.  ct->lock guards the protocol state (TCP window
 * tracking) against two threads seeing the two directions at once.
 */
#ifndef _NF_CONNTRACK_H
#define _NF_CONNTRACK_H

#include <linux/compiler.h>
#include <linux/bitops.h>
#include <linux/jiffies.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/percpu.h>
#include <linux/skbuff.h>
#include <linux/rcupdate.h>
#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/nf_conntrack_tcp.h>
#include <net/netfilter/nf_conntrack_tuple.h>

#define NF_CT_DEFAULT_ZONE_ID	0
#define NF_CT_LABELS_MAX_SIZE	16	/* bytes: 128 label bits */

struct ip_ct_tcp_state {
	u32 td_end;		/* max of seq + len */
	u32 td_maxend;		/* max of ack + max(win, 1) */
	u32 td_maxwin;		/* max(win) */
	u32 td_maxack;		/* max of ack */
	u8 td_scale;		/* window scale factor */
	u8 flags;		/* IP_CT_TCP_FLAG_* */
};

struct ip_ct_tcp {
	struct ip_ct_tcp_state seen[2];	/* per direction */
	u8 state;			/* enum tcp_conntrack */
	u8 last_dir;			/* direction of the last packet */
	u8 retrans;			/* retransmissions seen */
	u8 last_index;			/* index of the last packet's flags */
	u32 last_seq;			/* last sequence number seen in dir */
	u32 last_ack;			/* last ack number seen in opposite dir */
	u32 last_end;			/* last seq + len */
	u16 last_win;			/* last window seen in dir */
	u8 last_wscale;			/* last window scaling factor seen */
	u8 last_flags;			/* last flags set */
};

struct nf_ct_udp {
	u64 stream_ts;			/* jiffies_ms after which a reply makes a stream */
};

union nf_conntrack_proto {
	struct ip_ct_tcp tcp;
	struct nf_ct_udp udp;
};

struct nf_conn_counter {
	u64 packets;
	u64 bytes;
};

/*
 * Why the connection is, or is not, in hardware (`ctoffload explain
 * conn`): the last decision taken about it, set where it is taken (act_ct,
 * the flowtable, its offload worker).  Only a hint for people: written
 * without a lock, as a byte.
 */
enum nf_ct_offload_reason {
	NF_CT_OFFLOAD_NOT_SEEN,		/* no ct action looked at it (conntrack -I) */
	NF_CT_OFFLOAD_PROTO,		/* act_ct: neither TCP nor UDP */
	NF_CT_OFFLOAD_TCP_NOT_ESTABLISHED,	/* act_ct: before ESTABLISHED, or not assured */
	NF_CT_OFFLOAD_TCP_CLOSING,	/* act_ct: past ESTABLISHED, never offloaded */
	NF_CT_OFFLOAD_UDP_NOT_CONFIRMED,	/* act_ct: not committed yet */
	NF_CT_OFFLOAD_HELPER,		/* act_ct: sequence adjustment (a helper) */
	NF_CT_OFFLOAD_DISABLED,		/* act_ct: nf_flowtable_enable=0 */
	NF_CT_OFFLOAD_NO_DRIVER,	/* flowtable: no driver callback on the zone's table */
	NF_CT_OFFLOAD_PENDING,		/* flowtable: its add is queued for the worker */
	NF_CT_OFFLOAD_HW_FULL,		/* worker: a driver answered -ENOSPC */
	NF_CT_OFFLOAD_QUEUE_FULL,	/* flowtable: nf_flowtable_offload_queue_max reached */
	NF_CT_OFFLOAD_RETRY,		/* worker: refused otherwise; the gc offers it again */
	NF_CT_OFFLOAD_TEARDOWN,		/* act_ct: a FIN or RST took it out of the flowtable */
	NF_CT_OFFLOAD_EXPIRED,		/* flowtable gc: idle past nf_flowtable_*_timeout */
	NF_CT_OFFLOAD_HW,		/* worker: a driver took it */
};

struct nf_conn {
	struct {
		refcount_t use;
	} ct_general;
	spinlock_t lock;
	u16 zone;
	u32 mark;
	u32 id;				/* CTA_ID, unique while it lives */
	u16 ecache;			/* events cached by this packet (1 << IPCT_*) */
	unsigned long status;		/* IPS_* bits (atomic bitops) */
	u64 timeout;			/* jiffies_ms() at which it expires */
	struct nf_conntrack_tuple_hash tuplehash[IP_CT_DIR_MAX];
	u32 labels[NF_CT_LABELS_MAX_SIZE / sizeof(u32)];
	struct nf_conn_counter acct[IP_CT_DIR_MAX];	/* when nf_conntrack_acct */
	union nf_conntrack_proto proto;
	u8 offload_reason;		/* enum nf_ct_offload_reason */
	struct rcu_head rcu;
};

static inline void nf_ct_set_offload_reason(struct nf_conn *ct, enum nf_ct_offload_reason r)
{
	WRITE_ONCE(ct->offload_reason, r);
}

/* ---- the skb's reference: skb->_nfct = ct | ctinfo, as in the kernel ---- */
#define NFCT_INFOMASK	7UL
#define NFCT_PTRMASK	~(NFCT_INFOMASK)

static inline struct nf_conn *nf_ct_get(const struct sk_buff *skb,
					enum ip_conntrack_info *ctinfo)
{
	*ctinfo = skb->_nfct & NFCT_INFOMASK;
	return (struct nf_conn *)(skb->_nfct & NFCT_PTRMASK);
}

/* attach a confirmed (table-held) conntrack: no reference taken */
static inline void nf_ct_set(struct sk_buff *skb, struct nf_conn *ct,
			     enum ip_conntrack_info info)
{
	skb->_nfct = (unsigned long)ct | info;
}

void nf_conntrack_destroy(struct nf_conn *ct);
static inline void nf_conntrack_get(struct nf_conn *ct)
{
	refcount_inc(&ct->ct_general.use);
}
static inline void nf_ct_put(struct nf_conn *ct)
{
	if (ct && refcount_dec_and_test(&ct->ct_general.use))
		nf_conntrack_destroy(ct);
}

/* drop the skb's conntrack (kfree_skb, act_ct clear, a new zone) */
static inline void nf_reset_ct(struct sk_buff *skb)
{
	struct nf_conn *ct = (struct nf_conn *)(skb->_nfct & NFCT_PTRMASK);

	if (skb->nfct_ref)
		nf_ct_put(ct);
	skb->_nfct = 0;
	skb->nfct_ref = 0;
}

/* an skb copy shares the original's conntrack */
static inline void nf_ct_copy(struct sk_buff *dst, const struct sk_buff *src)
{
	struct nf_conn *ct = (struct nf_conn *)(src->_nfct & NFCT_PTRMASK);

	dst->_nfct = src->_nfct;
	dst->nfct_ref = src->nfct_ref;
	if (src->nfct_ref)
		nf_conntrack_get(ct);
}

/* ---- accessors ---- */
static inline struct nf_conn *nf_ct_tuplehash_to_ctrack(const struct nf_conntrack_tuple_hash *hash)
{
	return container_of(hash, struct nf_conn, tuplehash[hash->tuple.dst.dir]);
}
static inline const struct nf_conntrack_tuple *nf_ct_tuple(const struct nf_conn *ct,
							   enum ip_conntrack_dir dir)
{
	return &ct->tuplehash[dir].tuple;
}
static inline u16 nf_ct_l3num(const struct nf_conn *ct)
{
	return ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple.src.l3num;
}
static inline u8 nf_ct_protonum(const struct nf_conn *ct)
{
	return ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple.dst.protonum;
}
static inline u16 nf_ct_zone_id(const struct nf_conn *ct)
{
	return ct->zone;
}
static inline bool nf_ct_is_confirmed(const struct nf_conn *ct)
{
	return test_bit(IPS_CONFIRMED_BIT, &ct->status);
}
static inline bool nf_ct_is_dying(const struct nf_conn *ct)
{
	return test_bit(IPS_DYING_BIT, &ct->status);
}
static inline bool nf_ct_is_expired(const struct nf_conn *ct)
{
	return (s64)(READ_ONCE(ct->timeout) - jiffies_ms()) <= 0;
}
/* ms left before it expires, 0 if expired */
static inline u64 nf_ct_expires(const struct nf_conn *ct)
{
	s64 left = READ_ONCE(ct->timeout) - jiffies_ms();

	return left > 0 ? left : 0;
}

/* ---- tunables: the kernel's net.netfilter.nf_conntrack_* sysctls ---- */
struct nf_conntrack_net {
	unsigned int max;			/* nf_conntrack_max */
	unsigned int buckets;			/* nf_conntrack_buckets: the table's initial size */
	int acct;				/* nf_conntrack_acct */
	int checksum;				/* nf_conntrack_checksum */
	int events;				/* nf_conntrack_events */
	int tcp_loose;				/* nf_conntrack_tcp_loose */
	int tcp_be_liberal;			/* nf_conntrack_tcp_be_liberal */
	int tcp_max_retrans;			/* nf_conntrack_tcp_max_retrans */
	/* seconds, as the sysctls show them */
	unsigned int tcp_timeouts[TCP_CONNTRACK_TIMEOUT_MAX];
	unsigned int udp_timeout;		/* unreplied */
	unsigned int udp_timeout_stream;	/* replied, after 2 s */
	unsigned int icmp_timeout;
	unsigned int icmpv6_timeout;
	unsigned int generic_timeout;
};
extern struct nf_conntrack_net nf_ct_net;

/* per-thread statistics, conntrack -S (CTA_STATS_*) */
struct ip_conntrack_stat {
	u64 found;
	u64 invalid;
	u64 insert;
	u64 insert_failed;
	u64 drop;
	u64 early_drop;
	u64 error;
	u64 search_restart;
	u64 clash_resolve;
	u64 chaintoolong;
};
#define NF_CT_STAT_INC(field)	(nf_ct_stat_percpu[smp_processor_id()].field++)
extern struct ip_conntrack_stat nf_ct_stat_percpu[];
void nf_conntrack_stat_sum(struct ip_conntrack_stat *sum);
unsigned int nf_conntrack_count(void);
unsigned int nf_conntrack_zone_count(u16 zone);

/* ---- the packet path (act_ct) ---- */
/*
 * Track skb in zone: find its connection (or create an unconfirmed one)
 * and attach it to the skb with its ctinfo.  The network header must be
 * set (skb_flow_key()).  Returns NF_ACCEPT, with no conntrack attached
 * when the packet is invalid (flower then sees +trk+inv), or NF_DROP.
 */
unsigned int nf_conntrack_in(struct sk_buff *skb, u16 zone);
/* insert the skb's unconfirmed connection into the table: NF_ACCEPT or NF_DROP */
unsigned int nf_conntrack_confirm(struct sk_buff *skb);

/* the skb's L3 payload: protocol header offset from skb->data, and length */
static inline unsigned int skb_l3_len(const struct sk_buff *skb)
{
	return skb->data + skb->len - skb_network_header(skb);
}

/* the tuple nf_conntrack_in() would look the packet up by (`ctoffload trace`) */
bool nf_ct_skb_tuple(struct sk_buff *skb, struct nf_conntrack_tuple *tuple);
bool nf_ct_invert_tuple(struct nf_conntrack_tuple *inverse,
			const struct nf_conntrack_tuple *orig);

/* ---- the table ---- */
/* RCU: the caller is in a read-side section and keeps no reference */
struct nf_conntrack_tuple_hash *nf_conntrack_find(u16 zone, const struct nf_conntrack_tuple *tuple);
/* the same, with a reference the caller nf_ct_put()s */
struct nf_conntrack_tuple_hash *nf_conntrack_find_get(u16 zone, const struct nf_conntrack_tuple *tuple);
/* NAT: is the tuple used by another (confirmed) connection in ct's zone? */
bool nf_conntrack_tuple_taken(const struct nf_conntrack_tuple *tuple,
			      const struct nf_conn *ignored_conntrack);
/* NAT: set the reply tuple of an unconfirmed connection */
void nf_conntrack_alter_reply(struct nf_conn *ct, const struct nf_conntrack_tuple *newreply);

/* unlink and release; false if someone else already did */
bool nf_ct_delete(struct nf_conn *ct, u32 portid, int report);
static inline bool nf_ct_kill(struct nf_conn *ct)
{
	return nf_ct_delete(ct, 0, 0);
}
/*
 * Call iter for every confirmed connection (RCU read side held by the
 * caller); a non-zero return deletes it.  Returns how many were deleted.
 */
unsigned int nf_ct_iterate(int (*iter)(struct nf_conn *ct, void *data), void *data,
			   u32 portid, int report);

/* garbage collection: delete up to budget expired entries; returns how many */
unsigned int nf_conntrack_gc(unsigned int budget);

/* timeouts: extend to now + extra ms, and count the packet */
void nf_ct_refresh_acct(struct nf_conn *ct, enum ip_conntrack_info ctinfo,
			const struct sk_buff *skb, u64 extra_ms);
static inline void nf_ct_refresh(struct nf_conn *ct, u64 extra_ms)
{
	WRITE_ONCE(ct->timeout, jiffies_ms() + extra_ms);
}

/*
 * A connection in a flowtable (IPS_OFFLOAD): conntrack no longer sees its
 * packets, so its own timeout is kept a day away; the flowtable's entry
 * decides when it goes back to conntrack.
 */
#define NF_CT_DAY_MS		(86400ULL * 1000)
static inline void nf_ct_offload_timeout(struct nf_conn *ct)
{
	if (nf_ct_expires(ct) < NF_CT_DAY_MS / 2)
		WRITE_ONCE(ct->timeout, jiffies_ms() + NF_CT_DAY_MS);
}

/* a connection for ctnetlink's CT_NEW: unconfirmed, with both tuples */
struct nf_conn *nf_conntrack_alloc(u16 zone, const struct nf_conntrack_tuple *orig,
				   const struct nf_conntrack_tuple *repl);
void nf_conntrack_free(struct nf_conn *ct);
/* insert a connection built by nf_conntrack_alloc(): 0 or -EEXIST/-ENOMEM */
int nf_conntrack_hash_check_insert(struct nf_conn *ct);

/* the table: before any packet (daemon, benchmarks, unit tests) */
int nf_conntrack_init(void);
/* the daemon's control-thread work: gc timer and event delivery */
int nf_conntrack_start(void);
void nf_conntrack_cleanup(void);

#endif
