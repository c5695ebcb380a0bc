/* SPDX-License-Identifier: GPL-2.0 */
/*
 * flow_offload: how tc filters and flowtable connections are described to
 * drivers (net/core/flow_offload.c), with the kernel's names.
 *
 * A driver sees a struct flow_rule: a match (which keys, their values and
 * masks) and a list of flow_action entries.  It gets rules through
 * callbacks it registers on a struct flow_block: a tc block asks each
 * device that binds to it with ndo_setup_tc(TC_SETUP_BLOCK, struct
 * flow_block_offload) and the device adds its callback to the offload's
 * cb_list (flow_block_cb_setup_simple() does this for the common case);
 * from then on every filter of the block reaches the callback as
 * TC_SETUP_CLSFLOWER with a struct flow_cls_offload (REPLACE, DESTROY,
 * STATS).  A flowtable offers its connections the same way, also as
 * TC_SETUP_CLSFLOWER, to the callbacks registered on its own block
 * (include/net/netfilter/nf_flow_table.h).
 *
 * The match: unlike the kernel, whose dissector records where each key
 * sits in the caller's own key struct, every rule here keeps its keys in a
 * struct fl_flow_key (include/net/flow_dissector.h), and
 * match.dissector->used_keys says which of them the rule uses.  Drivers
 * read keys only through flow_rule_match_*(), as in the kernel, so they
 * never depend on that layout.
 *
 * Locking: a flow_block's cb_list is changed and walked under rtnl_lock()
 * for tc blocks; a flowtable guards its own block (see nf_flow_table.h).
 */
#ifndef _NET_FLOW_OFFLOAD_H
#define _NET_FLOW_OFFLOAD_H

#include <linux/compiler.h>
#include <linux/list.h>
#include <linux/netdev.h>
#include <net/flow_dissector.h>

struct netlink_ext_ack;
struct ip_tunnel_info;		/* act_tunnel_key's metadata: include/net/ip_tunnels.h */
struct nf_flowtable;		/* include/net/netfilter/nf_flow_table.h */
struct Qdisc;

/* ---- match ---- */

struct flow_match {
	struct flow_dissector *dissector;
	struct fl_flow_key *mask;
	struct fl_flow_key *key;
};

struct flow_match_meta {
	struct flow_dissector_key_meta *key, *mask;
};

struct flow_match_basic {
	struct flow_dissector_key_basic *key, *mask;
};

struct flow_match_control {
	struct flow_dissector_key_control *key, *mask;
};

struct flow_match_eth_addrs {
	struct flow_dissector_key_eth_addrs *key, *mask;
};

struct flow_match_vlan {
	struct flow_dissector_key_vlan *key, *mask;
};

struct flow_match_arp {
	struct flow_dissector_key_arp *key, *mask;
};

struct flow_match_ipv4_addrs {
	struct flow_dissector_key_ipv4_addrs *key, *mask;
};

struct flow_match_ipv6_addrs {
	struct flow_dissector_key_ipv6_addrs *key, *mask;
};

struct flow_match_ip {
	struct flow_dissector_key_ip *key, *mask;
};

struct flow_match_ports {
	struct flow_dissector_key_ports *key, *mask;
};

struct flow_match_ports_range {
	struct flow_dissector_key_ports_range *key, *mask;
};

struct flow_match_icmp {
	struct flow_dissector_key_icmp *key, *mask;
};

struct flow_match_tcp {
	struct flow_dissector_key_tcp *key, *mask;
};

struct flow_match_enc_keyid {
	struct flow_dissector_key_keyid *key, *mask;
};

struct flow_match_ct {
	struct flow_dissector_key_ct *key, *mask;
};

struct flow_rule;

/*
 * Each sets out->key and out->mask to that part of the rule's key and
 * mask.  Check flow_rule_match_key() first: an unused key reads as all
 * zeroes here (in the kernel it is not there at all).
 */
void flow_rule_match_meta(const struct flow_rule *rule, struct flow_match_meta *out);
void flow_rule_match_basic(const struct flow_rule *rule, struct flow_match_basic *out);
void flow_rule_match_control(const struct flow_rule *rule, struct flow_match_control *out);
void flow_rule_match_eth_addrs(const struct flow_rule *rule,
			       struct flow_match_eth_addrs *out);
void flow_rule_match_vlan(const struct flow_rule *rule, struct flow_match_vlan *out);
void flow_rule_match_cvlan(const struct flow_rule *rule, struct flow_match_vlan *out);
void flow_rule_match_arp(const struct flow_rule *rule, struct flow_match_arp *out);
void flow_rule_match_ipv4_addrs(const struct flow_rule *rule,
				struct flow_match_ipv4_addrs *out);
void flow_rule_match_ipv6_addrs(const struct flow_rule *rule,
				struct flow_match_ipv6_addrs *out);
void flow_rule_match_ip(const struct flow_rule *rule, struct flow_match_ip *out);
void flow_rule_match_ports(const struct flow_rule *rule, struct flow_match_ports *out);
void flow_rule_match_ports_range(const struct flow_rule *rule,
				 struct flow_match_ports_range *out);
void flow_rule_match_tcp(const struct flow_rule *rule, struct flow_match_tcp *out);
void flow_rule_match_icmp(const struct flow_rule *rule, struct flow_match_icmp *out);
void flow_rule_match_enc_control(const struct flow_rule *rule,
				 struct flow_match_control *out);
void flow_rule_match_enc_ipv4_addrs(const struct flow_rule *rule,
				    struct flow_match_ipv4_addrs *out);
void flow_rule_match_enc_ipv6_addrs(const struct flow_rule *rule,
				    struct flow_match_ipv6_addrs *out);
void flow_rule_match_enc_ip(const struct flow_rule *rule, struct flow_match_ip *out);
void flow_rule_match_enc_ports(const struct flow_rule *rule, struct flow_match_ports *out);
void flow_rule_match_enc_keyid(const struct flow_rule *rule,
			       struct flow_match_enc_keyid *out);
void flow_rule_match_ct(const struct flow_rule *rule, struct flow_match_ct *out);

/* ---- actions ---- */

/* Linux 6.1's ids, in its order */
enum flow_action_id {
	FLOW_ACTION_ACCEPT		= 0,
	FLOW_ACTION_DROP,
	FLOW_ACTION_TRAP,
	FLOW_ACTION_GOTO,
	FLOW_ACTION_REDIRECT,
	FLOW_ACTION_MIRRED,
	FLOW_ACTION_REDIRECT_INGRESS,
	FLOW_ACTION_MIRRED_INGRESS,
	FLOW_ACTION_VLAN_PUSH,
	FLOW_ACTION_VLAN_POP,
	FLOW_ACTION_VLAN_MANGLE,
	FLOW_ACTION_TUNNEL_ENCAP,
	FLOW_ACTION_TUNNEL_DECAP,
	FLOW_ACTION_MANGLE,
	FLOW_ACTION_ADD,
	FLOW_ACTION_CSUM,
	FLOW_ACTION_MARK,
	FLOW_ACTION_PTYPE,
	FLOW_ACTION_PRIORITY,
	FLOW_ACTION_RX_QUEUE_MAPPING,
	FLOW_ACTION_WAKE,
	FLOW_ACTION_QUEUE,
	FLOW_ACTION_SAMPLE,
	FLOW_ACTION_POLICE,
	FLOW_ACTION_CT,
	FLOW_ACTION_CT_METADATA,
	FLOW_ACTION_MPLS_PUSH,
	FLOW_ACTION_MPLS_POP,
	FLOW_ACTION_MPLS_MANGLE,
	FLOW_ACTION_GATE,
	FLOW_ACTION_PPPOE_PUSH,
	FLOW_ACTION_JUMP,
	FLOW_ACTION_PIPE,
	FLOW_ACTION_VLAN_PUSH_ETH,
	FLOW_ACTION_VLAN_POP_ETH,
	FLOW_ACTION_CONTINUE,
	NUM_FLOW_ACTIONS,
};

/* the header a MANGLE / ADD rewrites (pedit's header types) */
enum flow_action_mangle_base {
	FLOW_ACT_MANGLE_UNSPEC		= 0,
	FLOW_ACT_MANGLE_HDR_TYPE_ETH,
	FLOW_ACT_MANGLE_HDR_TYPE_IP4,
	FLOW_ACT_MANGLE_HDR_TYPE_IP6,
	FLOW_ACT_MANGLE_HDR_TYPE_TCP,
	FLOW_ACT_MANGLE_HDR_TYPE_UDP,
};

/*
 * Which counters an action wants (tc's "hw_stats" keyword): the values
 * equal TCA_ACT_HW_STATS_*; DONT_CARE is "any of them, or none".
 */
enum flow_action_hw_stats_bit {
	FLOW_ACTION_HW_STATS_IMMEDIATE_BIT,
	FLOW_ACTION_HW_STATS_DELAYED_BIT,
	FLOW_ACTION_HW_STATS_DISABLED_BIT,
	FLOW_ACTION_HW_STATS_NUM_BITS
};

enum flow_action_hw_stats {
	FLOW_ACTION_HW_STATS_IMMEDIATE = BIT(FLOW_ACTION_HW_STATS_IMMEDIATE_BIT),
	FLOW_ACTION_HW_STATS_DELAYED = BIT(FLOW_ACTION_HW_STATS_DELAYED_BIT),
	FLOW_ACTION_HW_STATS_ANY = FLOW_ACTION_HW_STATS_IMMEDIATE |
				   FLOW_ACTION_HW_STATS_DELAYED,
	FLOW_ACTION_HW_STATS_DISABLED = BIT(FLOW_ACTION_HW_STATS_DISABLED_BIT),
	FLOW_ACTION_HW_STATS_DONT_CARE = BIT(FLOW_ACTION_HW_STATS_NUM_BITS) - 1,
};

/* releases what an entry holds (e.g. a tunnel's metadata) */
typedef void (*action_destr)(void *priv);

struct flow_action_entry {
	enum flow_action_id id;
	u32 hw_index;			/* the tc action's index */
	unsigned long cookie;		/* the tc action it came from */
	enum flow_action_hw_stats hw_stats;
	action_destr destructor;
	void *destructor_priv;
	union {
		u32 chain_index;	/* FLOW_ACTION_GOTO */
		struct net_device *dev;	/* FLOW_ACTION_REDIRECT, _MIRRED (and _INGRESS) */
		struct {		/* FLOW_ACTION_VLAN_PUSH, _MANGLE */
			u16 vid;
			__be16 proto;
			u8 prio;
		} vlan;
		/*
		 * FLOW_ACTION_MANGLE, _ADD: the 32-bit word at offset bytes
		 * into the htype header becomes (word & mask) ^ val for
		 * MANGLE (pedit's convention: mask holds the bits kept), or
		 * word + val for ADD.  Network byte order.
		 */
		struct {
			enum flow_action_mangle_base htype;
			u32 offset;
			u32 mask;
			u32 val;
		} mangle;
		const struct ip_tunnel_info *tunnel;	/* FLOW_ACTION_TUNNEL_ENCAP */
		u32 csum_flags;		/* FLOW_ACTION_CSUM: TCA_CSUM_UPDATE_FLAG_* */
		u32 mark;		/* FLOW_ACTION_MARK */
		u16 ptype;		/* FLOW_ACTION_PTYPE */
		u16 rx_queue;		/* FLOW_ACTION_RX_QUEUE_MAPPING */
		u32 priority;		/* FLOW_ACTION_PRIORITY */
		struct {		/* FLOW_ACTION_CT */
			int action;	/* TCA_CT_ACT_* */
			u16 zone;
			struct nf_flowtable *flow_table;
		} ct;
		/*
		 * FLOW_ACTION_CT_METADATA: a flowtable connection's state, for
		 * the driver to set in its registers.  cookie identifies the
		 * connection and carries its ctinfo in the low bits.
		 */
		struct {
			unsigned long cookie;
			u32 mark;
			u32 labels[4];
			bool orig_dir;
		} ct_metadata;
		struct {		/* FLOW_ACTION_MPLS_PUSH */
			u32 label;
			__be16 proto;
			u8 tc;
			u8 bos;
			u8 ttl;
		} mpls_push;
		struct {		/* FLOW_ACTION_MPLS_POP */
			__be16 proto;
		} mpls_pop;
		struct {		/* FLOW_ACTION_MPLS_MANGLE */
			u32 label;
			u8 tc;
			u8 bos;
			u8 ttl;
		} mpls_mangle;
	};
};

struct flow_action {
	unsigned int num_entries;
	struct flow_action_entry entries[];
};

static inline bool flow_action_has_entries(const struct flow_action *action)
{
	return action->num_entries;
}

static inline bool flow_offload_has_one_action(const struct flow_action *action)
{
	return action->num_entries == 1;
}

static inline bool flow_action_is_last_entry(const struct flow_action *action,
					     const struct flow_action_entry *entry)
{
	return entry == &action->entries[action->num_entries - 1];
}

#define flow_action_for_each(__i, __act, __actions)			\
	for (__i = 0, __act = &(__actions)->entries[0];			\
	     __i < (__actions)->num_entries;				\
	     __act = &(__actions)->entries[++__i])

/*
 * Drivers that keep one counter per rule cannot give each action its own
 * kind of counter: these refuse mixed hw_stats and kinds the driver lacks,
 * with the kernel's messages.
 */
bool flow_action_mixed_hw_stats_check(const struct flow_action *action,
				      struct netlink_ext_ack *extack);
bool flow_action_hw_stats_check(const struct flow_action *action,
				struct netlink_ext_ack *extack,
				enum flow_action_hw_stats_bit allow_bit);
/* only "any" (the default) is accepted */
bool flow_action_basic_hw_stats_check(const struct flow_action *action,
				      struct netlink_ext_ack *extack);

struct flow_rule {
	struct flow_match match;
	struct flow_action action;
};

/*
 * A rule with room for num_actions entries, zeroed but for each entry's
 * hw_stats (DONT_CARE); freed with kfree().  The caller points match at
 * its dissector, key and mask, which must outlive the rule.
 */
struct flow_rule *flow_rule_alloc(unsigned int num_actions);

static inline bool flow_rule_match_key(const struct flow_rule *rule,
				       enum flow_dissector_key_id key)
{
	return dissector_uses_key(rule->match.dissector, key);
}

/* ---- statistics ---- */

/* counters a driver adds up for a STATS request (deltas since its last answer) */
struct flow_stats {
	u64 pkts;
	u64 bytes;
	u64 drops;
	u64 lastused;			/* jiffies_ms() of the last hit */
	enum flow_action_hw_stats used_hw_stats;
	bool used_hw_stats_valid;
};

/* used_hw_stats: the one kind of counter the driver used (never _ANY) */
static inline void flow_stats_update(struct flow_stats *flow_stats, u64 bytes, u64 pkts,
				     u64 drops, u64 lastused,
				     enum flow_action_hw_stats used_hw_stats)
{
	flow_stats->pkts += pkts;
	flow_stats->bytes += bytes;
	flow_stats->drops += drops;
	flow_stats->lastused = max(flow_stats->lastused, lastused);
	flow_stats->used_hw_stats |= used_hw_stats;
	flow_stats->used_hw_stats_valid = true;
}

/* ---- blocks and their callbacks ---- */

enum flow_block_command {
	FLOW_BLOCK_BIND,
	FLOW_BLOCK_UNBIND,
};

/* where the block binds: a clsact/ingress qdisc's ingress or egress hook */
enum flow_block_binder_type {
	FLOW_BLOCK_BINDER_TYPE_UNSPEC,
	FLOW_BLOCK_BINDER_TYPE_CLSACT_INGRESS,
	FLOW_BLOCK_BINDER_TYPE_CLSACT_EGRESS,
	FLOW_BLOCK_BINDER_TYPE_RED_EARLY_DROP,
	FLOW_BLOCK_BINDER_TYPE_RED_MARK,
};

struct flow_block {
	struct list_head cb_list;	/* struct flow_block_cb, by ->list */
};

/*
 * What ndo_setup_tc(TC_SETUP_BLOCK) gets.  BIND: the driver adds the
 * callbacks it wants on block to cb_list (flow_block_cb_add()); the owner
 * of the block (tc) then offers them the block's existing rules and
 * splices them in.  UNBIND: the driver moves its callbacks from block to
 * cb_list (flow_block_cb_remove()); the owner withdraws the rules from
 * them and frees them.
 */
struct flow_block_offload {
	enum flow_block_command command;
	enum flow_block_binder_type binder_type;
	bool block_shared;		/* tc block shared by index */
	bool unlocked_driver_cb;
	struct flow_block *block;
	struct list_head cb_list;
	struct list_head *driver_block_list;	/* set by flow_block_cb_setup_simple() */
	struct netlink_ext_ack *extack;
	struct Qdisc *sch;
	struct list_head *cb_list_head;	/* &block->cb_list */
};

/* type is TC_SETUP_CLSFLOWER (tc filters and flowtable entries); 0 when the rule was taken */
typedef int flow_setup_cb_t(enum tc_setup_type type, void *type_data, void *cb_priv);

struct flow_block_cb;

/* what an indirect callback was bound for (flow_indr_block_cb_alloc) */
struct flow_block_indr {
	struct list_head list;		/* flow_indr's list of bound callbacks */
	struct net_device *dev;		/* the tunnel device */
	struct Qdisc *sch;
	enum flow_block_binder_type binder_type;
	void *data;			/* the tc block */
	void *cb_priv;			/* the indirect registration's cb_priv */
	void (*cleanup)(struct flow_block_cb *block_cb);
};

struct flow_block_cb {
	struct list_head driver_list;	/* the driver's own list of its callbacks */
	struct list_head list;		/* flow_block's cb_list, or an offload's */
	flow_setup_cb_t *cb;
	void *cb_ident;			/* (cb, cb_ident) names the callback */
	void *cb_priv;
	void (*release)(void *cb_priv);	/* called by flow_block_cb_free() */
	struct flow_block_indr indr;	/* indirect callbacks only */
	unsigned int refcnt;		/* for drivers that share one callback */
};

struct flow_block_cb *flow_block_cb_alloc(flow_setup_cb_t *cb, void *cb_ident, void *cb_priv,
					  void (*release)(void *cb_priv));
void flow_block_cb_free(struct flow_block_cb *block_cb);
struct flow_block_cb *flow_block_cb_lookup(struct flow_block *block, flow_setup_cb_t *cb,
					   void *cb_ident);
void *flow_block_cb_priv(struct flow_block_cb *block_cb);
void flow_block_cb_incref(struct flow_block_cb *block_cb);
unsigned int flow_block_cb_decref(struct flow_block_cb *block_cb);

static inline void flow_block_cb_add(struct flow_block_cb *block_cb,
				     struct flow_block_offload *offload)
{
	list_add_tail(&block_cb->list, &offload->cb_list);
}

static inline void flow_block_cb_remove(struct flow_block_cb *block_cb,
					struct flow_block_offload *offload)
{
	list_move(&block_cb->list, &offload->cb_list);
}

/* is (cb, cb_ident) already on driver_block_list (bound to another block)? */
bool flow_block_cb_is_busy(flow_setup_cb_t *cb, void *cb_ident,
			   struct list_head *driver_block_list);

/*
 * ndo_setup_tc(TC_SETUP_BLOCK) for a driver with one callback per device:
 * BIND allocates and adds (cb, cb_ident, cb_priv), UNBIND removes it.
 * -EBUSY if it is bound already (a device binds one block per hook),
 * -EOPNOTSUPP for an egress block when ingress_only.
 */
int flow_block_cb_setup_simple(struct flow_block_offload *f, struct list_head *driver_list,
			       flow_setup_cb_t *cb, void *cb_ident, void *cb_priv,
			       bool ingress_only);

/*
 * Indirect block offload (net/core/flow_offload.c): a device without
 * ndo_setup_tc (a vxlan device) cannot bind a tc block itself; drivers
 * that can offload its filters (mlx5 on the uplink that carries the
 * tunnel) register an indirect callback, and tc asks every registered
 * callback to bind when such a device gets a block.  The driver decides
 * from dev whether it cares (netif_is_vxlan), and binds with
 * flow_indr_block_cb_alloc() + flow_block_cb_add().  Unregistering runs
 * each bound callback's cleanup (tc unbinds it, its filters leave the
 * hardware) before it returns.  All under rtnl.
 */
typedef int flow_indr_block_bind_cb_t(struct net_device *dev, struct Qdisc *sch, void *cb_priv,
				      enum tc_setup_type type, void *type_data, void *data,
				      void (*cleanup)(struct flow_block_cb *block_cb));

int flow_indr_dev_register(flow_indr_block_bind_cb_t *cb, void *cb_priv);
void flow_indr_dev_unregister(flow_indr_block_bind_cb_t *cb, void *cb_priv,
			      void (*release)(void *cb_priv));
/* offer bo to every indirect callback; the count that bound, as Linux */
int flow_indr_dev_setup_offload(struct net_device *dev, struct Qdisc *sch,
				enum tc_setup_type type, void *data,
				struct flow_block_offload *bo,
				void (*cleanup)(struct flow_block_cb *block_cb));
struct flow_block_cb *flow_indr_block_cb_alloc(flow_setup_cb_t *cb, void *cb_ident,
					       void *cb_priv, void (*release)(void *cb_priv),
					       struct flow_block_offload *bo,
					       struct net_device *dev, struct Qdisc *sch,
					       void *data, void *indr_cb_priv,
					       void (*cleanup)(struct flow_block_cb *block_cb));
/* an UNBIND of an indirect callback: take it off the indirect list */
void flow_indr_block_cb_remove(struct flow_block_cb *block_cb, struct flow_block_offload *bo);

static inline void flow_block_init(struct flow_block *flow_block)
{
	INIT_LIST_HEAD(&flow_block->cb_list);
}

/* ---- classifier offload ---- */

enum flow_cls_command {
	FLOW_CLS_REPLACE,
	FLOW_CLS_DESTROY,
	FLOW_CLS_STATS,
	FLOW_CLS_TMPLT_CREATE,
	FLOW_CLS_TMPLT_DESTROY,
};

struct flow_cls_common_offload {
	u32 chain_index;
	__be16 protocol;
	u32 prio;			/* tc's pref, e.g. 1 for "prio 1" */
	/* only for skip_sw (or verbose) filters, where a refusal is the user's error */
	struct netlink_ext_ack *extack;
};

/*
 * One request to a TC_SETUP_CLSFLOWER callback.  cookie names
 * the rule across REPLACE, STATS and DESTROY (a flower filter: the filter;
 * a flowtable: the direction's tuple).  rule is set for REPLACE (and the
 * TMPLT commands) only.  STATS: the callback adds its counters to stats
 * with flow_stats_update().
 */
struct flow_cls_offload {
	struct flow_cls_common_offload common;
	enum flow_cls_command command;
	unsigned long cookie;
	struct flow_rule *rule;
	struct flow_stats stats;
	u32 classid;
};

static inline struct flow_rule *flow_cls_offload_flow_rule(struct flow_cls_offload *flow_cmd)
{
	return flow_cmd->rule;
}

#endif
