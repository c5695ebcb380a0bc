/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Classifier-side helpers (net/sched/cls_api.c): the packet entry point
 * tcf_classify(), what classifiers call to validate and dump, and the
 * hardware offload of filters through the block's flow_block callbacks.
 */
#ifndef _NET_PKT_CLS_H
#define _NET_PKT_CLS_H

#include <net/sch_generic.h>
#include <net/act_api.h>
#include <net/flow_offload.h>

/* TC_ACT_RECLASSIFY / goto chain loops are bounded, as in the kernel */
#define TC_MAX_RECLASSIFY_LOOP	16

/* run the filters of tp's chain on skb; returns a TC_ACT_* verdict or TC_ACT_UNSPEC */
int tcf_classify(struct sk_buff *skb, const struct tcf_block *block,
		 const struct tcf_proto *tp, struct tcf_result *res, bool compat_mode);

static inline bool tc_skip_sw(u32 flags)
{
	return flags & TCA_CLS_FLAGS_SKIP_SW;
}
static inline bool tc_skip_hw(u32 flags)
{
	return flags & TCA_CLS_FLAGS_SKIP_HW;
}
static inline bool tc_flags_valid(u32 flags)
{
	if (flags & ~(TCA_CLS_FLAGS_SKIP_HW | TCA_CLS_FLAGS_SKIP_SW |
		      TCA_CLS_FLAGS_VERBOSE))
		return false;
	flags &= TCA_CLS_FLAGS_SKIP_HW | TCA_CLS_FLAGS_SKIP_SW;
	if (!(flags ^ (TCA_CLS_FLAGS_SKIP_HW | TCA_CLS_FLAGS_SKIP_SW)))
		return false;
	return true;
}
static inline bool tc_in_hw(u32 flags)
{
	return flags & TCA_CLS_FLAGS_IN_HW;
}

/*
 * Filter offload: a classifier offers each filter to the callbacks that
 * the block's devices registered on block->flow_block (type_data: for
 * flower a struct flow_cls_offload), with Linux's semantics:
 *  - err_stop (the filter is skip_sw): the first callback that refuses
 *    stops the walk and its error is returned; so is -EOPNOTSUPP when a
 *    device bound to the block cannot offload at all.  Without err_stop
 *    refusals are only not counted.
 *  - *in_hw_count becomes the number of callbacks that took the filter
 *    and TCA_CLS_FLAGS_IN_HW is set in *flags while it is not zero
 *    (block->offloadcnt counts such filters).
 * add: a new filter.  replace: a new filter replacing one whose counts are
 * reset first (the classifier destroys the old one itself).  destroy:
 * withdraw a filter, resetting its counts.  call: anything else (STATS,
 * templates); returns how many callbacks answered 0, or the first error
 * with err_stop.  reoffload: one callback, when a device binds or unbinds
 * (add false: the callback drops the filter).  All under rtnl_lock().
 * add, replace and destroy return 0 or -errno.
 */
int tc_setup_cb_call(struct tcf_block *block, enum tc_setup_type type, void *type_data,
		     bool err_stop);
int tc_setup_cb_add(struct tcf_block *block, struct tcf_proto *tp, enum tc_setup_type type,
		    void *type_data, bool err_stop, u32 *flags, unsigned int *in_hw_count);
int tc_setup_cb_replace(struct tcf_block *block, struct tcf_proto *tp,
			enum tc_setup_type type, void *type_data, bool err_stop,
			u32 *old_flags, unsigned int *old_in_hw_count,
			u32 *new_flags, unsigned int *new_in_hw_count);
int tc_setup_cb_destroy(struct tcf_block *block, struct tcf_proto *tp,
			enum tc_setup_type type, void *type_data, bool err_stop,
			u32 *flags, unsigned int *in_hw_count);
int tc_setup_cb_reoffload(struct tcf_block *block, struct tcf_proto *tp, bool add,
			  flow_setup_cb_t *cb, enum tc_setup_type type, void *type_data,
			  void *cb_priv, u32 *flags, unsigned int *in_hw_count);

/* how many flow_action entries a filter's actions need */
unsigned int tcf_exts_num_actions(const struct tcf_exts *exts);
/*
 * Describe a filter's actions as flow_action entries (flow_action was
 * allocated with tcf_exts_num_actions() entries): gact ok/drop/trap/goto
 * chain, mirred redirect/mirror to egress/ingress, ct.  Any other action,
 * or verdict, is -EOPNOTSUPP with the kernel's extack message.  Undo with
 * tc_cleanup_flow_action().
 */
int tc_setup_flow_action(struct flow_action *flow_action, const struct tcf_exts *exts,
			 struct netlink_ext_ack *extack);
void tc_cleanup_flow_action(struct flow_action *flow_action);

/* the request's chain, protocol and pref; extack only where a refusal is an error */
/* may tc filters be offloaded to dev (ethtool's hw-tc-offload)? */
static inline bool tc_can_offload(const struct net_device *dev)
{
	return dev->features & NETIF_F_HW_TC;
}

static inline void tc_cls_common_offload_init(struct flow_cls_common_offload *cls_common,
					      const struct tcf_proto *tp, u32 flags,
					      struct netlink_ext_ack *extack)
{
	cls_common->chain_index = tp->chain->index;
	cls_common->protocol = tp->protocol;
	cls_common->prio = tp->prio >> 16;
	if (tc_skip_sw(flags) || flags & TCA_CLS_FLAGS_VERBOSE)
		cls_common->extack = extack;
}

/* a filter's hardware counters, as a STATS request returned them, go to each action */
static inline void tcf_exts_hw_stats_update(const struct tcf_exts *exts,
					    const struct flow_stats *stats)
{
	int i;

	for (i = 0; i < exts->nr_actions; i++) {
		struct tc_action *a = exts->actions[i];

		tcf_action_stats_update(a, stats->bytes, stats->pkts, stats->drops,
					stats->lastused, true);
		a->used_hw_stats = stats->used_hw_stats;
		a->used_hw_stats_valid = stats->used_hw_stats_valid;
	}
}

/* the packet's flow key, parsed on first use (flower, later the model) */
const struct fl_flow_key *skb_flow_key(struct sk_buff *skb);

#endif
