/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The steering model's own structures (what the kernel keeps in
 * fs_core.h beside the API): shared by fs_core.c, fs_counters.c,
 * fs_action.c, fs_steering.c and fs_dump.c, and by nothing else.
 *
 * Layout is chosen for the packet path: what a lookup touches (a group's
 * word list, mask and hash table; an FTE's key and hot actions) comes
 * first, control-only fields after.  An FTE keeps only its masked key
 * words, not the 192-byte match value: a million connections are about
 * four million FTEs.
 */
#ifndef __MLX5_FS_PRIV_H__
#define __MLX5_FS_PRIV_H__

#include <pthread.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/sysctl.h>
#include <urcu/rculfhash.h>
/*
 * The keys are short: let the compiler inline XXH3's small-input paths.
 * xxhash.h uses the word "fallthrough" that compiler.h defines.
 */
#define XXH_INLINE_ALL
#pragma push_macro("fallthrough")
#undef fallthrough
#include <xxhash.h>
#pragma pop_macro("fallthrough")
#include "fs_core.h"

#define MLX5_FS_MATCH_WORDS	(sizeof(struct mlx5_fte_match_param) / sizeof(u64))
/* table lookups one packet may make before the model drops it as a loop */
#define MLX5_FS_MAX_HOPS	32
#define MLX5_FS_NAME_MAX	64
#ifndef VLAN_HLEN
#define VLAN_HLEN		4
#endif
#define VXLAN_HLEN		8
#define VXLAN_FLAG_VNI		0x08	/* the I flag: the VNI is valid */
#define MLX5_FS_VXLAN_PORT	4789

/* the match param seen as the 64-bit words lookups work on */
union mlx5_fs_match {
	struct mlx5_fte_match_param param;
	u64 w[MLX5_FS_MATCH_WORDS];
};

struct mlx5_flow_namespace {
	struct mlx5_flow_steering *steering;
	struct list_head tables;	/* every table, in (prio, level) order */
};

struct mlx5_flow_table {
	/* the packet path */
	struct list_head groups;	/* RCU; lookup order */
	struct mlx5_flow_table *miss;	/* RCU; where a miss goes now, NULL: software */
	/* the control path (steering lock) */
	struct mlx5_flow_namespace *ns;
	struct list_head list;		/* in ns->tables */
	struct mlx5_flow_table *next_ft;	/* as the user set it */
	int prio;
	u32 level;
	u32 flags;
	u32 id;
	unsigned int max_fte;
	unsigned int nftes;
	unsigned int auto_ftes;		/* FTEs in auto groups */
	unsigned int num_reserved;	/* at the end, for explicit groups */
	unsigned int max_num_groups;	/* 0: not auto-grouped */
	unsigned int num_auto_groups;
	unsigned int fwd_refs;		/* FTEs forwarding here */
	char name[MLX5_FS_NAME_MAX];
	struct rcu_head rcu;
};

static inline bool mlx5_fs_table_managed(const struct mlx5_flow_table *ft)
{
	return !(ft->flags & MLX5_FLOW_TABLE_UNMANAGED);
}

struct mlx5_flow_group {
	/* the packet path: the key is mask[i] & packet word words[i] */
	struct cds_lfht *ht;		/* FTEs by masked key */
	u8 nwords;
	u8 words[MLX5_FS_MATCH_WORDS];
	u64 mask[MLX5_FS_MATCH_WORDS];
	struct list_head list;		/* RCU; in ft->groups */
	/* the control path */
	struct mlx5_flow_table *ft;
	u32 start, end;			/* FTE indexes (auto groups: the auto region) */
	u32 id;
	unsigned int nftes;
	bool autogroup;
	u8 match_criteria_enable;
	union mlx5_fs_match criteria;
	struct rcu_head rcu;
};

/* where an FTE sends a packet that it does not drop */
enum fs_fte_dest {
	FS_DEST_NONE,			/* DROP */
	FS_DEST_TABLE,			/* fte->dest_ft */
	FS_DEST_VPORT,			/* fte->dest_vport, no per-dest reformat */
	FS_DEST_VPORTS,			/* fte->ext->vports[] */
};

/* the rarely used part of an FTE, allocated only when needed */
struct fs_fte_ext {
	struct mlx5_pkt_reformat *pkt_reformat;	/* PACKET_REFORMAT */
	struct mlx5_fs_vlan vlan;		/* VLAN_PUSH */
	u8 num_vports;
	struct {
		u16 num;
		struct mlx5_pkt_reformat *pkt_reformat;	/* this dest only, or NULL */
	} vports[MLX5_FS_MAX_DESTS];
};

/*
 * One FTE; struct mlx5_flow_handle is this FTE.  88 bytes plus 8 per key
 * word (sizeof and the word count are in the usage figures).
 */
struct fs_fte {
	struct cds_lfht_node node;
	struct mlx5_flow_group *fg;
	struct mlx5_modify_hdr *modify_hdr;
	struct mlx5_fc *counter;
	struct mlx5_flow_table *dest_ft;
	struct fs_fte_ext *ext;
	u16 action;			/* MLX5_FLOW_CONTEXT_ACTION_* */
	u16 dest_vport;
	u8 dest;			/* enum fs_fte_dest */
	u32 seq;			/* insertion order, for the dump */
	struct rcu_head rcu;
	u64 key[];			/* fg->nwords masked words */
};

/* an FTE's key hash and compare: the insert and the lookup must agree */
struct fs_key {
	const u64 *w;
	unsigned int n;
};

static inline unsigned long fs_key_hash(const u64 *w, unsigned int n, u64 seed)
{
	return XXH3_64bits_withSeed(w, n * sizeof(u64), seed);
}

static inline int fs_fte_key_match(struct cds_lfht_node *node, const void *arg)
{
	const struct fs_fte *fte = caa_container_of(node, struct fs_fte, node);
	const struct fs_key *key = arg;
	u64 diff = 0;
	unsigned int i;

	/* a few words: cheaper than a call to memcmp() */
	for (i = 0; i < key->n; i++)
		diff |= fte->key[i] ^ key->w[i];
	return !diff;
}

static inline struct fs_fte *fs_handle_to_fte(struct mlx5_flow_handle *handle)
{
	return (struct fs_fte *)handle;
}

struct mlx5_modify_hdr {
	struct mlx5_flow_steering *steering;
	unsigned int refcnt;		/* the owner's and each FTE's */
	u32 id;
	u8 num_actions;
	struct rcu_head rcu;
	struct mlx5_action_in actions[];
};

struct mlx5_pkt_reformat {
	struct mlx5_flow_steering *steering;
	unsigned int refcnt;
	u32 id;
	int type;
	u16 size;			/* of data */
	u8 ip_version;			/* of the outer header */
	struct rcu_head rcu;
	u8 data[];
};

struct mlx5_fc {
	/* the packet path: relaxed atomics */
	u64 packets;
	u64 bytes;
	u64 lastuse;
	struct mlx5_flow_steering *steering;
	unsigned int refcnt;
	u32 id;
	bool aging;
	struct rcu_head rcu;
};

struct fs_stats_slot {
	struct mlx5_fs_stats s;
} ____cacheline_aligned;

#define MLX5_FS_NUM_SYSCTLS	8

struct mlx5_flow_steering {
	/* the packet path */
	struct mlx5_core_dev *dev;
	struct mlx5_flow_table *root;	/* RCU; NULL: every packet misses */
	u64 seed;			/* of the key hash */
	/* the control path */
	pthread_mutex_t lock;		/* every change to tables, groups, FTEs, objects */
	struct mlx5_flow_namespace fdb;
	struct mlx5_fs_caps caps;
	unsigned int ntables, ngroups, nftes;
	unsigned int nmodify_hdrs, npkt_reformats, ncounters;
	size_t bytes;			/* what the objects above take */
	u32 next_id;
	u32 fte_seq;
	u64 insert_attempts;		/* for fault_every_nth */
	u64 fte_inserted, fte_deleted, fte_insert_failed;
	char sysctl_path[64];
	struct ctl_table sysctl[MLX5_FS_NUM_SYSCTLS + 1];
	struct rcu_head rcu;
	struct fs_stats_slot pcpu[NR_CPUS];
};

static inline struct mlx5_flow_steering *mlx5_fs_steering(struct mlx5_core_dev *dev)
{
	return dev->priv.steering;
}

/* fs_core.c */
void mlx5_fs_lock(struct mlx5_flow_steering *steering);
void mlx5_fs_unlock(struct mlx5_flow_steering *steering);
u32 mlx5_fs_next_id(struct mlx5_flow_steering *steering);
/* the FTEs of a group, in insertion order (caller frees; steering lock held) */
int mlx5_fs_group_ftes(struct mlx5_flow_group *fg, struct fs_fte ***ftes);
/* an FTE's match value rebuilt from its key words */
void mlx5_fs_fte_match(const struct fs_fte *fte, union mlx5_fs_match *value);

/* fs_counters.c: FTE references (steering lock held) */
void mlx5_fc_get(struct mlx5_fc *fc);
void mlx5_fc_put(struct mlx5_fc *fc);
static inline void mlx5_fc_count(struct mlx5_fc *fc, u64 bytes, u64 now)
{
	__atomic_fetch_add(&fc->packets, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&fc->bytes, bytes, __ATOMIC_RELAXED);
	__atomic_store_n(&fc->lastuse, now, __ATOMIC_RELAXED);
}

/* ---- a packet in the pipeline (fs_steering.c, fs_action.c) ---- */

/*
 * The parsed view of the packet as the FTEs see it, and where its headers
 * are (offsets from skb->data, 0: absent).  Lives on the stack.
 */
struct fs_pkt {
	union mlx5_fs_match m;
	struct sk_buff *skb;
	u16 l3_off;
	u16 l4_off;			/* TCP, UDP, ICMP/ICMPv6 of a non-fragment */
	u16 inner_off;			/* the frame inside a recognised VXLAN packet */
	u8 l3;				/* 4, 6 or 0 */
	u8 l4_proto;			/* IPPROTO_* when l4_off */
};

/* parse skb's frame into pkt (source_port and registers are kept) */
void mlx5_fs_parse(struct fs_pkt *pkt);

/* fs_action.c: FTE references (steering lock held) */
void mlx5_modify_hdr_get(struct mlx5_modify_hdr *mh);
void mlx5_modify_hdr_put(struct mlx5_modify_hdr *mh);
void mlx5_pkt_reformat_get(struct mlx5_pkt_reformat *pr);
void mlx5_pkt_reformat_put(struct mlx5_pkt_reformat *pr);

/* what an FTE's actions do to a packet; false: the packet must be dropped */
void mlx5_fs_apply_modify_hdr(struct fs_pkt *pkt, const struct mlx5_modify_hdr *mh);
bool mlx5_fs_apply_reformat(struct fs_pkt *pkt, const struct mlx5_pkt_reformat *pr);
void mlx5_fs_apply_decap(struct fs_pkt *pkt);
void mlx5_fs_apply_vlan_pop(struct fs_pkt *pkt);
bool mlx5_fs_apply_vlan_push(struct fs_pkt *pkt, const struct mlx5_fs_vlan *vlan);

/* for the dump */
const char *mlx5_fs_action_field_name(u8 field);
unsigned int mlx5_fs_action_field_width(u8 field);
bool mlx5_fs_action_field_is_reg(u8 field);

#endif
