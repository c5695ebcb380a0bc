/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Classifier-side helpers (net/sched/cls_api.c): the packet entry point
 * tcf_classify(), and what classifiers call to validate and dump.
 */
#ifndef _NET_PKT_CLS_H
#define _NET_PKT_CLS_H

#include <net/sch_generic.h>
#include <net/act_api.h>

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
 * Offer a filter to the block's offload callbacks (Linux's
 * tc_setup_cb_add()); *in_hw_count is how many took it.  With err_stop
 * (skip_sw), a block that has a device unable to offload refuses with
 * -EOPNOTSUPP.  No callbacks exist yet, so nothing takes a filter: a
 * classifier then fails skip_sw filters with -EINVAL itself.
 */
int tc_setup_cb_add(struct tcf_block *block, struct tcf_proto *tp, void *type_data,
		    bool err_stop, u32 *flags, unsigned int *in_hw_count);

/* the packet's flow key, parsed on first use (flower, later the model) */
const struct fl_flow_key *skb_flow_key(struct sk_buff *skb);

#endif
