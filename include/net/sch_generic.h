/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tc's core objects: qdiscs (only the classifier-holding ingress and clsact
 * kinds), blocks, chains and filter instances (tcf_proto), with the kernel's
 * names.  Ownership and locking:
 *  - everything here is created, changed and freed by the control plane
 *    under rtnl_lock();
 *  - the datapath reads block -> chain -> tcf_proto -> classifier under
 *    rcu_read_lock() only; unlinked objects are freed after a grace period.
 */
#ifndef _NET_SCH_GENERIC_H
#define _NET_SCH_GENERIC_H

#include <stdio.h>
#include <linux/compiler.h>
#include <linux/percpu.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/netdev.h>
#include <linux/rtnetlink.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <net/netlink.h>
#include <net/flow_offload.h>

struct tcf_proto;
struct tcf_chain;
struct tcf_block;
struct tc_action;

struct tcf_result {
	union {
		struct {
			unsigned long class;
			u32 classid;
		};
		const struct tcf_proto *goto_tp;	/* TC_ACT_GOTO_CHAIN */
	};
};

struct tcf_walker {
	int stop;
	int skip;
	int count;
	bool nonempty;
	unsigned long cookie;
	int (*fn)(struct tcf_proto *tp, void *fh, struct tcf_walker *arg);
};

/* a classifier kind (flower, matchall, ...) */
struct tcf_proto_ops {
	struct list_head head;
	char kind[IFNAMSIZ];
	int (*classify)(struct sk_buff *skb, const struct tcf_proto *tp,
			struct tcf_result *res);
	int (*init)(struct tcf_proto *tp);
	void (*destroy)(struct tcf_proto *tp, struct netlink_ext_ack *extack);
	void *(*get)(struct tcf_proto *tp, u32 handle);
	void (*put)(struct tcf_proto *tp, void *fh);
	/*
	 * Create (*arg == NULL) or replace (*arg = the existing filter) the
	 * filter with this handle from the TCA_OPTIONS in tca; on success
	 * *arg is the new filter.  flags: TCA_ACT_FLAGS_* / NLM_F_* of the request.
	 */
	int (*change)(struct tcf_proto *tp, unsigned long base, u32 handle,
		      struct nlattr **tca, void **arg, u32 flags,
		      struct netlink_ext_ack *extack);
	int (*delete)(struct tcf_proto *tp, void *fh, bool *last,
		      struct netlink_ext_ack *extack);
	bool (*delete_empty)(struct tcf_proto *tp);
	void (*walk)(struct tcf_proto *tp, struct tcf_walker *arg);
	/* fill TCA_OPTIONS (and tcm_handle) for filter fh */
	int (*dump)(struct tcf_proto *tp, void *fh, struct nlmsghdr *nlh,
		    struct tcmsg *t);
	/* the tc_setup_cb_* answer for one filter, for dump: in_hw_count */
	u32 (*hw_count)(struct tcf_proto *tp, void *fh);
	/*
	 * Offload: offer every filter offered to the block before (add) to
	 * one more callback, or withdraw them from it (!add), when a device
	 * binds to or unbinds from the block.  hw_add/hw_del: the
	 * tc_setup_cb_*() calls tell the classifier which filters those are.
	 */
	int (*reoffload)(struct tcf_proto *tp, bool add, flow_setup_cb_t *cb,
			 void *cb_priv, struct netlink_ext_ack *extack);
	void (*hw_add)(struct tcf_proto *tp, void *type_data);
	void (*hw_del)(struct tcf_proto *tp, void *type_data);
	/*
	 * Chain templates (tc chain add ... KIND OPTIONS): parse the
	 * template from tca[TCA_OPTIONS] into a private object (or
	 * ERR_PTR), free it, and fill it back as TCA_OPTIONS.  A kind
	 * without all three cannot be used as a template.
	 */
	void *(*tmplt_create)(struct tcf_chain *chain, struct nlattr **tca,
			      struct netlink_ext_ack *extack);
	void (*tmplt_destroy)(void *tmplt_priv);
	int (*tmplt_dump)(struct nlmsghdr *nlh, void *tmplt_priv);
	/*
	 * ctoffload explain filter: write filter fh, seen from dev (a
	 * device of tp's block), as one JSON object (the members of
	 * CTO_MSG_EXPLAIN_FILTER in include/uapi/ctoffload/ctoffload.h):
	 * whether it is in hardware, where, and if not, why.
	 */
	int (*explain)(struct tcf_proto *tp, void *fh, const struct net_device *dev, FILE *out);
};

/* one (priority, protocol) slot in a chain, holding filters of one kind */
struct tcf_proto {
	struct tcf_proto *next;		/* RCU: the chain's list, by prio */
	void *root;			/* the classifier's private head */
	int (*classify)(struct sk_buff *skb, const struct tcf_proto *tp,
			struct tcf_result *res);
	__be16 protocol;
	u32 prio;
	void *data;
	const struct tcf_proto_ops *ops;
	struct tcf_chain *chain;
	refcount_t refcnt;
	bool deleting;
	struct rcu_head rcu;
};

struct tcf_chain {
	struct list_head list;		/* block->chain_list */
	struct tcf_block *block;
	u32 index;
	struct tcf_proto *filter_chain;	/* RCU */
	unsigned int refcnt;		/* filters' and explicit holds */
	unsigned int action_refcnt;	/* goto chain actions pointing here */
	bool explicitly_created;
	bool flushing;
	/* chain template (tc chain add ... flower <keys>) */
	const struct tcf_proto_ops *tmplt_ops;
	void *tmplt_priv;
	struct rcu_head rcu;
};

/*
 * Offload (net/sched/cls_api.c): every device bound to the block (through
 * its qdisc) may add callbacks to flow_block; filters are offered to all
 * of them.  nooffloaddevcnt counts the bound devices that cannot offload
 * (a skip_sw filter is refused while there is one), offloadcnt the
 * filters some callback took (TCA_CLS_FLAGS_IN_HW).  All under rtnl_lock().
 */
struct tcf_block {
	struct list_head list;		/* shared blocks registry */
	struct list_head chain_list;	/* RCU */
	struct tcf_chain *chain0;	/* RCU: where classification starts */
	u32 index;			/* 0 when not shared */
	struct Qdisc *q;		/* the owning qdisc, NULL when shared */
	u32 classid;			/* parent of the last filter add, for dumps */
	refcount_t refcnt;
	struct list_head owner_list;	/* struct tcf_block_owner_item */
	struct flow_block flow_block;
	unsigned int nooffloaddevcnt;
	unsigned int offloadcnt;
	struct rcu_head rcu;
};

struct Qdisc_ops;

struct Qdisc {
	const struct Qdisc_ops *ops;
	u32 handle;
	u32 parent;
	struct net_device *dev;
	void *priv;
};

/* the lightweight view the datapath takes of an ingress/egress hook */
/* tc's per-qdisc counters, shown by tc -s qdisc: per thread */
struct mini_Qdisc_stats {
	u64_stats_t bytes, packets, drops;
};

struct mini_Qdisc {
	struct tcf_block *block;
	struct mini_Qdisc_stats __percpu *cpu_stats;
};

struct Qdisc_ops {
	char id[IFNAMSIZ];
	int (*init)(struct Qdisc *sch, struct nlattr *opt, struct nlattr **tca,
		    struct netlink_ext_ack *extack);
	void (*destroy)(struct Qdisc *sch);
	/* the block for a classid (TC_H_MIN_INGRESS / _EGRESS) */
	struct tcf_block *(*tcf_block)(struct Qdisc *sch, unsigned long cl,
				       struct netlink_ext_ack *extack);
	int (*dump)(struct Qdisc *sch, struct nlmsghdr *nlh);
	u32 (*ingress_block_get)(struct Qdisc *sch);
	u32 (*egress_block_get)(struct Qdisc *sch);
	void (*stats)(struct Qdisc *sch, u64 *bytes, u64 *packets, u64 *drops);
};

void register_qdisc(struct Qdisc_ops *ops);
void register_tcf_proto_ops(struct tcf_proto_ops *ops);

/* chain list walking from the datapath: the chain with index, or NULL */
struct tcf_chain *tcf_chain_lookup_rcu(const struct tcf_block *block, u32 chain_index);

/* how a qdisc holds a block: which of its hooks, and the shared index */
struct tcf_block_ext_info {
	enum flow_block_binder_type binder_type;
	u32 block_index;		/* 0: the qdisc's own block */
};

/*
 * Blocks of qdiscs: a shared one (ei->block_index != 0) is found or
 * created by index.  Getting a block binds q's device to it for offload
 * (ndo_setup_tc(TC_SETUP_BLOCK)), which may fail (-errno, extack);
 * putting it unbinds the device, withdrawing the block's filters from it.
 */
int tcf_block_get_ext(struct tcf_block **p_block, struct Qdisc *q,
		      struct tcf_block_ext_info *ei, struct netlink_ext_ack *extack);
void tcf_block_put_ext(struct tcf_block *block, struct Qdisc *q,
		       struct tcf_block_ext_info *ei);
static inline bool tcf_block_shared(const struct tcf_block *block)
{
	return block->index;
}

/*
 * Why a filter of block that no callback took is not in hardware, as tc
 * sees it from dev (flags: the filter's TCA_CLS_FLAGS_*): no callback on
 * the block, a device that cannot offload, hw-tc-offload off...  Never NULL.
 */
const char *tcf_block_offload_reason(const struct tcf_block *block, const struct net_device *dev,
				     u32 flags);
/*
 * ctoffload explain filter: every filter of dev's ingress block (chains
 * in index order, then priorities), or those of one chain / prio (-1:
 * any), through its classifier's explain(); emit gets each JSON object.
 * Under rtnl_lock().  0, -ENODEV (no such device), -ENOENT (no ingress
 * qdisc), or emit's error.
 */
int tcf_block_explain(const char *dev_name, s64 chain, s64 prio,
		      int (*emit)(const char *json, size_t len, void *arg), void *arg);

/* rtnetlink handlers of cls_api.c and sch_api.c */
struct nl_out;
int tc_new_tfilter(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack);
int tc_del_tfilter(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack);
int tc_get_tfilter(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack);
int tc_dump_tfilter(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack);
int tc_ctl_chain(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack);
int tc_dump_chain(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack);
int tc_modify_qdisc(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack);
int tc_get_qdisc(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack);
int tc_dump_qdisc(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack);

/* a device going away: its qdiscs, their blocks and filters are destroyed */
void dev_shutdown(struct net_device *dev);

#endif
