/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tc actions (net/sched/act_api.c): one struct tc_action_ops per kind
 * (gact, mirred, ct, ...), instances kept per kind by index so that
 * standalone actions (`tc actions add`) can be shared by filters
 * (refcnt/bindcnt), and the per-filter action list (struct tcf_exts).
 */
#ifndef _NET_ACT_API_H
#define _NET_ACT_API_H

#include <linux/gen_stats.h>
#include <linux/idr.h>
#include <linux/tc_act/tc_gact.h>
#include <net/sch_generic.h>
#include <linux/jiffies.h>
#include <linux/percpu.h>

/* counters; updated by the datapath, read by dumps */
/*
 * An action's counters: the software ones per thread (cpu_stats, as the
 * kernel's cpu_bstats/cpu_qstats), the drivers' ones (tcfa_stats_hw)
 * added atomically from the control and offload threads.
 */
struct tc_action_stats {
	u64_stats_t bytes;
	u64_stats_t packets;
	u64_stats_t drops;
	u64_stats_t overlimits;
};

/* the sums, for dumps */
struct tc_action_stats_total {
	u64 bytes, packets, drops, overlimits;
};

struct tcf_idrinfo;

struct tc_action {
	const struct tc_action_ops *ops;
	u32 type;
	struct tcf_idrinfo *idrinfo;
	u32 tcfa_index;
	refcount_t tcfa_refcnt;
	int tcfa_bindcnt;
	int tcfa_action;		/* the control verdict (TC_ACT_*) */
	struct tcf_t tcfa_tm;		/* UAPI struct, here in ms of jiffies_ms() */
	struct tc_action_stats __percpu *cpu_stats;	/* software */
	struct tc_action_stats tcfa_stats_hw;	/* reported by drivers */
	struct tcf_chain *goto_chain;	/* TC_ACT_GOTO_CHAIN target */
	u32 tcfa_flags;			/* TCA_ACT_FLAGS_* */
	u8 hw_stats;			/* TCA_ACT_HW_STATS_* asked */
	u8 used_hw_stats;
	bool used_hw_stats_valid;
	u8 *cookie;			/* TCA_ACT_COOKIE, len in cookie_len */
	u8 cookie_len;
	struct rcu_head tcfa_rcu;
};

#define TCA_ACT_HW_STATS_ANY	(TCA_ACT_HW_STATS_IMMEDIATE | TCA_ACT_HW_STATS_DELAYED)
#define TCA_ACT_MAX_PRIO_MASK	0x1FF

#define ACT_P_CREATED	1
#define ACT_P_DELETED	1

/* TCA_ACT_FLAGS_* beyond the UAPI ones, for init's flags argument */
#define TCA_ACT_FLAGS_POLICE	(1U << 31)
#define TCA_ACT_FLAGS_BIND	(1U << 30)
#define TCA_ACT_FLAGS_REPLACE	(1U << 29)
#define TCA_ACT_FLAGS_NO_RTNL	(1U << 28)

struct tc_action_ops {
	struct list_head head;
	char kind[IFNAMSIZ];
	int id;				/* TCA_ID_* */
	size_t size;			/* of the containing struct (tcf_gact, ...) */
	int (*act)(struct sk_buff *skb, const struct tc_action *a,
		   struct tcf_result *res);
	/*
	 * Create or update the action at *a from its TCA_ACT_OPTIONS (nla).
	 * Use tcf_idr_check_alloc()/tcf_idr_create() for the index.  Returns
	 * ACT_P_CREATED for a new action, 0 for an updated one, or -errno.
	 */
	int (*init)(struct nlattr *nla, struct tc_action **a, struct tcf_proto *tp,
		    u32 flags, struct netlink_ext_ack *extack);
	/* fill the kind's TCA_*_PARMS etc. inside TCA_ACT_OPTIONS */
	int (*dump)(struct nlmsghdr *nlh, struct tc_action *a, int bind, int ref);
	void (*cleanup)(struct tc_action *a);
	/* devices the action points at are going away */
	void (*dev_unregister)(struct tc_action *a, struct net_device *dev);
	/*
	 * Add counters read from elsewhere (hw: a driver's, for the
	 * filter this action belongs to) and move lastuse (jiffies_ms()) up
	 * to lastuse.  Kinds without it count as tcf_action_update_stats().
	 */
	void (*stats_update)(struct tc_action *a, u64 bytes, u64 packets, u64 drops,
			     u64 lastuse, bool hw);
	/*
	 * `ctoffload trace`: the action's details for its tc_action stage,
	 * as JSON members after "kind" and "result" (",\"to\":\"eth0\""),
	 * into buf.  trace_own: the action writes its stage itself with
	 * tcf_action_trace() (mirred: before the packet leaves, so that the
	 * stages stay in order), not tcf_action_exec() after it ran.
	 */
	void (*trace)(const struct tc_action *a, char *buf, size_t size);
	bool trace_own;
};

struct tcf_idrinfo {
	struct idr action_idr;		/* index -> struct tc_action */
};

/* a filter's actions */
#define TCA_ACT_MAX_PRIO_K	32
struct tcf_exts {
	int nr_actions;
	struct tc_action *actions[TCA_ACT_MAX_PRIO_K];
	int action;			/* TCA_xxx_ACT attribute of the classifier */
	int police;
};

int tcf_register_action(struct tc_action_ops *ops);
/* the tc_action stage of a that returned ret (net/pkt_trace.h) */
struct pkt_trace;
void tcf_action_trace(struct pkt_trace *t, const struct tc_action *a, int ret);
/* dev is being unregistered: ops->dev_unregister of every action (rtnl) */
void tcf_action_dev_unregister(struct net_device *dev);

/* index management, for ops->init */
int tcf_idr_check_alloc(const struct tc_action_ops *ops, u32 *index,
			struct tc_action **a, int bind);
int tcf_idr_create(const struct tc_action_ops *ops, u32 index,
		   struct tc_action **a, int bind, u32 flags);
void tcf_idr_cleanup(const struct tc_action_ops *ops, u32 index);
int tcf_idr_insert(struct tc_action *a);
void tcf_idr_release(struct tc_action *a, bool bind);

/* goto chain targets: created on demand, held by the action */
struct tcf_chain *tcf_chain_get_by_act(struct tcf_block *block, u32 chain_index);
void tcf_chain_put_by_act(struct tcf_chain *chain);

/* the verdict for an action's control (gact/mirred/... "pipe", "goto chain 3") */
int tcf_action_check_ctrlact(int action, struct tcf_proto *tp,
			     struct tcf_chain **newchain, struct netlink_ext_ack *extack);
struct tcf_chain *tcf_action_set_ctrlact(struct tc_action *a, int action,
					 struct tcf_chain *newchain);

/* the packet path */
int tcf_action_exec(struct sk_buff *skb, struct tc_action **actions,
		    int nr_actions, struct tcf_result *res);
static inline void tcf_action_update_bstats(struct tc_action *a, struct sk_buff *skb)
{
	struct tc_action_stats *s = this_cpu_ptr(a->cpu_stats);

	u64_stats_add(&s->bytes, skb->len);
	u64_stats_inc(&s->packets);
}
static inline void tcf_action_inc_drop_qstats(struct tc_action *a)
{
	u64_stats_inc(&this_cpu_ptr(a->cpu_stats)->drops);
}
static inline void tcf_action_inc_overlimit_qstats(struct tc_action *a)
{
	u64_stats_inc(&this_cpu_ptr(a->cpu_stats)->overlimits);
}
/* any thread: the last writer wins, as in the kernel */
static inline void tcf_lastuse_update(struct tcf_t *tm)
{
	u64 now = jiffies_ms();

	if (READ_ONCE(tm->lastuse) != now)
		WRITE_ONCE(tm->lastuse, now);
	if (unlikely(!READ_ONCE(tm->firstuse)))
		WRITE_ONCE(tm->firstuse, now);
}
void tcf_tm_dump(struct tcf_t *dtm, const struct tcf_t *stm);
/*
 * Counters from outside the packet path.  hw ones go to tcfa_stats_hw,
 * which dumps add to the software counters (the kernel counts them in
 * both), so `tc -s` shows the total and the hardware part.
 */
void tcf_action_update_stats(struct tc_action *a, u64 bytes, u64 packets, u64 drops,
			     bool hw);
void tcf_action_stats_update(struct tc_action *a, u64 bytes, u64 packets, u64 drops,
			     u64 lastuse, bool hw);

/* rtnetlink: RTM_NEWACTION / RTM_DELACTION / RTM_GETACTION */
int tc_ctl_action(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack);
int tc_dump_action(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack);

/* filter actions: parse TCA_xxx_ACT of a classifier, dump them back */
int tcf_exts_init(struct tcf_exts *exts, int action, int police);
int tcf_exts_validate(struct tcf_proto *tp, struct nlattr **tb,
		      struct tcf_exts *exts, u32 flags, struct netlink_ext_ack *extack);
void tcf_exts_destroy(struct tcf_exts *exts);
int tcf_exts_dump(struct nlmsghdr *nlh, struct tcf_exts *exts);
int tcf_exts_dump_stats(struct nlmsghdr *nlh, struct tcf_exts *exts);
static inline int tcf_exts_exec(struct sk_buff *skb, struct tcf_exts *exts,
				struct tcf_result *res)
{
	return tcf_action_exec(skb, exts->actions, exts->nr_actions, res);
}
static inline bool tcf_exts_has_actions(const struct tcf_exts *exts)
{
	return exts->nr_actions;
}


#endif
