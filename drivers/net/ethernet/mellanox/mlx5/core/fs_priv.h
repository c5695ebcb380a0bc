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
/*
 * XXH3 for encap's UDP source port entropy (the key hash is below), its
 * small-input paths inlined.  xxhash.h uses the word "fallthrough" that
 * compiler.h defines.
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

/*
 * A group's FTEs by key hash: a bucket array of singly linked chains.  One
 * writer (the steering lock), lock-free readers under RCU.  Every FTE has
 * two links, next[0] and next[1]; a table chains through next[gen].  A
 * resize builds the new table through the other link while readers still
 * walk the current one, publishes it, and frees the old bucket array after
 * a grace period.  The resize after that rewrites the links the old
 * table's readers may still follow: such a reader can be led astray (to
 * other FTEs of the group, never into a loop: each rebuild links an FTE
 * only to ones it rebuilt before) and miss, so every resize first bumps
 * fg->resize_seq, and a reader that misses while it changed looks again.
 * Resizes never wait for readers.
 */
struct fs_htab {
	unsigned long mask;		/* buckets - 1 */
	unsigned int gen;		/* the FTE link this table uses */
	struct rcu_head rcu;
	struct fs_fte *b[];		/* RCU */
};

struct mlx5_flow_group {
	/* the packet path: the key is mask[i] & packet word words[i] */
	struct fs_htab *ht;		/* RCU; FTEs by masked key */
	unsigned int resize_seq;	/* bumped before a resize rewrites links */
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
	struct fs_fte *next[2];		/* RCU; in fg->ht, see struct fs_htab */
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

/*
 * An FTE's key hash and compare: the insert and the lookup must agree.
 * Keys are a few whole words, so hash words rather than bytes: each word
 * is folded into the state by xor, an odd multiply and a rotate (each a
 * bijection, so two keys that differ in one word only never collide), and
 * a 64-bit finaliser spreads every input bit over the low bits that pick
 * the bucket.
 */
static inline u64 fs_rotl64(u64 v, unsigned int r)
{
	return v << r | v >> (64 - r);
}

static inline u64 fs_key_hash_step(u64 h, u64 w)
{
	return fs_rotl64((h ^ w) * 0x9e3779b97f4a7c15ull, 29);
}

static inline unsigned long fs_key_hash_final(u64 h)
{
	h ^= h >> 32;
	h *= 0xd6e8feb86659fd93ull;
	h ^= h >> 32;
	return h;
}

static inline unsigned long fs_key_hash(const u64 *w, unsigned int n, u64 seed)
{
	u64 h = seed;
	unsigned int i;

	/* last word first, as the packet path's unrolled loop goes */
	for (i = n; i--; )
		h = fs_key_hash_step(h, w[i]);
	return fs_key_hash_final(h);
}

static inline bool fs_fte_key_eq(const struct fs_fte *fte, const u64 *w, unsigned int n)
{
	const u64 *k = fte->key;
	u64 diff = 0;
	unsigned int i;

	/*
	 * A few words: cheaper than a call to memcmp(), and unrolled for the
	 * usual key lengths (a loop costs as much as the compare per word).
	 */
	switch (n) {
	case 8: diff |= k[7] ^ w[7]; fallthrough;
	case 7: diff |= k[6] ^ w[6]; fallthrough;
	case 6: diff |= k[5] ^ w[5]; fallthrough;
	case 5: diff |= k[4] ^ w[4]; fallthrough;
	case 4: diff |= k[3] ^ w[3]; fallthrough;
	case 3: diff |= k[2] ^ w[2]; fallthrough;
	case 2: diff |= k[1] ^ w[1]; fallthrough;
	case 1: diff |= k[0] ^ w[0]; fallthrough;
	case 0: break;
	default:
		for (i = 0; i < n; i++)
			diff |= k[i] ^ w[i];
	}
	return !diff;
}

/* the group's FTE with this key (of fg->nwords words), or NULL; under RCU */
static inline struct fs_fte *fs_group_lookup(const struct mlx5_flow_group *fg, const u64 *w,
					     unsigned long hash)
{
	unsigned int n = fg->nwords, seq, gen, hops;
	const struct fs_htab *ht;
	struct fs_fte *fte;

again:
	/* READ_ONCE: a resize bumps it meanwhile (WRITE_ONCE, fs_group_resize) */
	seq = READ_ONCE(fg->resize_seq);
	cmm_smp_rmb();
	ht = rcu_dereference(fg->ht);
	gen = ht->gen;
	hops = 0;
	for (fte = rcu_dereference(ht->b[hash & ht->mask]); fte;
	     fte = rcu_dereference(fte->next[gen])) {
		if (fs_fte_key_eq(fte, w, n))
			return fte;
		/* a walk that resizes keep rewriting under it: start over */
		if (unlikely(++hops % 64 == 0) && READ_ONCE(fg->resize_seq) != seq)
			goto again;
	}
	cmm_smp_rmb();
	if (unlikely(READ_ONCE(fg->resize_seq) != seq))
		goto again;
	return NULL;
}

static inline struct fs_fte *fs_handle_to_fte(struct mlx5_flow_handle *handle)
{
	return (struct fs_fte *)handle;
}

/*
 * A modify-header action compiled for the packet path.  Register SETs and
 * ADDs (what the CT split writes on every packet) need neither the field
 * table nor the packet: reg = (reg & ~mask) | val, or reg += val.  Every
 * other action is run from its PRM form (actions[idx]).
 */
enum fs_mh_op_type {
	FS_MH_REG_SET,
	FS_MH_REG_ADD,
	FS_MH_GENERIC,
};

struct fs_mh_op {
	u8 type;			/* enum fs_mh_op_type */
	u8 reg;				/* REG_*: reg_c index */
	u8 idx;				/* GENERIC: index in actions[] */
	u32 mask;			/* REG_SET: the bits written */
	u32 val;			/* REG_SET: already shifted; REG_ADD: the addend */
};

/* the registers reg_c_0..7 as match words (they are 8-byte aligned) */
#define MLX5_FS_REG_WORD	(offsetof(struct mlx5_fte_match_param, \
					  misc_parameters_2.metadata_reg_c) / sizeof(u64))
#define MLX5_FS_REG_WORDS	4

/* the registers seen both ways, as in union mlx5_fs_match */
union fs_regs {
	u64 w[MLX5_FS_REG_WORDS];
	u32 reg_c[2 * MLX5_FS_REG_WORDS];
};

/*
 * What the device objects FTEs point at (modify headers, packet
 * reformats, counters) share, as the kernel's fs_node does: the owner's
 * reference and each FTE's, an id for the dump, the bytes they count in
 * the device's usage, and a free after a grace period (packets may still
 * be using the object).  The object is one allocation: obj sits offset
 * bytes into it.
 */
struct fs_obj {
	struct mlx5_flow_steering *steering;
	unsigned int refcnt;
	u32 id;
	unsigned int bytes;
	u16 offset;
	struct rcu_head rcu;
};

/* steering lock held */
void fs_obj_init(struct fs_obj *obj, struct mlx5_flow_steering *steering, unsigned int bytes,
		 size_t offset);
static inline void fs_obj_get(struct fs_obj *obj)
{
	obj->refcnt++;
}
void fs_obj_put(struct fs_obj *obj);
/* the owner lets go; FTEs still using it keep it (with a warning) until they go */
void fs_obj_release(struct fs_obj *obj, const char *kind, unsigned int *count);

struct mlx5_modify_hdr {
	/*
	 * The packet path.  An object of register SETs only (the CT split's)
	 * is one masked write of the four register words: in any order, SETs
	 * with nothing reading between them fold into one.
	 */
	bool regs_only;
	u8 num_ops;
	u8 num_actions;
	union fs_regs reg_keep;		/* regs_only: the bits kept */
	union fs_regs reg_val;		/* regs_only: the bits set */
	struct mlx5_action_in *actions;	/* as given, in the same allocation */
	struct fs_obj obj;		/* the control path */
	struct fs_mh_op ops[];		/* then actions[] */
};

struct mlx5_pkt_reformat {
	struct fs_obj obj;
	int type;
	u16 size;			/* of data */
	u8 ip_version;			/* of the outer header */
	u8 data[];
};

struct mlx5_fc {
	/* the packet path: relaxed atomics */
	u64 packets;
	u64 bytes;
	u64 lastuse;
	bool aging;
	struct fs_obj obj;
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

/* fs_dump.c: an FTE's actions as a JSON array, as the dump prints them (caller frees) */
char *mlx5_fs_fte_actions_json(const struct fs_fte *fte);

/* fs_counters.c: FTE references (steering lock held) */
static inline void mlx5_fc_add(struct mlx5_fc *fc, u64 packets, u64 bytes, u64 now)
{
	__atomic_fetch_add(&fc->packets, packets, __ATOMIC_RELAXED);
	__atomic_fetch_add(&fc->bytes, bytes, __ATOMIC_RELAXED);
	if (__atomic_load_n(&fc->lastuse, __ATOMIC_RELAXED) != now)
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

/* what an FTE's actions do to a packet; false: the packet must be dropped */
void mlx5_fs_apply_action(struct fs_pkt *pkt, const struct mlx5_action_in *a);

/* inline: the CT split runs one or two of these per packet, all register ops */
static inline void mlx5_fs_apply_modify_hdr(struct fs_pkt *pkt, const struct mlx5_modify_hdr *mh)
{
	u32 *reg_c = pkt->m.param.misc_parameters_2.metadata_reg_c;
	const struct fs_mh_op *op = mh->ops, *end = op + mh->num_ops;
	unsigned int i;

	if (likely(mh->regs_only)) {
		/* through the union: the registers are u32 in the param */
		for (i = 0; i < MLX5_FS_REG_WORDS; i++)
			pkt->m.w[MLX5_FS_REG_WORD + i] =
				(pkt->m.w[MLX5_FS_REG_WORD + i] & mh->reg_keep.w[i]) |
				mh->reg_val.w[i];
		pkt->skb->flow_key_valid = 0;
		return;
	}
	for (; op < end; op++) {
		if (likely(op->type == FS_MH_REG_SET))
			reg_c[op->reg] = (reg_c[op->reg] & ~op->mask) | op->val;
		else if (op->type == FS_MH_REG_ADD)
			reg_c[op->reg] += op->val;
		else
			mlx5_fs_apply_action(pkt, &mh->actions[op->idx]);
	}
	pkt->skb->flow_key_valid = 0;
}

bool mlx5_fs_apply_reformat(struct fs_pkt *pkt, const struct mlx5_pkt_reformat *pr);
void mlx5_fs_apply_decap(struct fs_pkt *pkt);
void mlx5_fs_apply_vlan_pop(struct fs_pkt *pkt);
bool mlx5_fs_apply_vlan_push(struct fs_pkt *pkt, const struct mlx5_fs_vlan *vlan);

/* for the dump */
const char *mlx5_fs_action_field_name(u8 field);
unsigned int mlx5_fs_action_field_width(u8 field);
bool mlx5_fs_action_field_is_reg(u8 field);

#endif
