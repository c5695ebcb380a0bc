/* SPDX-License-Identifier: GPL-2.0 */
/*
 * act_gact (net/sched/act_gact.c): the action and what the offload code
 * may ask of it (which verdict it gives).
 */
#ifndef __NET_TC_GACT_H
#define __NET_TC_GACT_H

#include <linux/tc_act/tc_gact.h>
#include <net/act_api.h>

struct tcf_gact {
	struct tc_action common;
	/* "random TYPE CONTROL VAL": the fallback verdict, 1 in pval packets */
	u16 tcfg_ptype;
	u16 tcfg_pval;
	int tcfg_paction;
	u32 packets;		/* for PGACT_DETERM */
};
#define to_gact(a) ((struct tcf_gact *)(a))

static inline bool is_tcf_gact(const struct tc_action *a)
{
	return a->ops && a->ops->id == TCA_ID_GACT;
}

/*
 * The verdict alone decides how a gact is offloaded, as in the kernel: a
 * "random" fallback is not looked at.
 */
static inline bool __is_tcf_gact_act(const struct tc_action *a, int act, bool is_ext)
{
	int action;

	if (!is_tcf_gact(a))
		return false;
	action = READ_ONCE(a->tcfa_action);
	return is_ext ? TC_ACT_EXT_CMP(action, act) : action == act;
}

static inline bool is_tcf_gact_ok(const struct tc_action *a)
{
	return __is_tcf_gact_act(a, TC_ACT_OK, false);
}

static inline bool is_tcf_gact_shot(const struct tc_action *a)
{
	return __is_tcf_gact_act(a, TC_ACT_SHOT, false);
}

static inline bool is_tcf_gact_trap(const struct tc_action *a)
{
	return __is_tcf_gact_act(a, TC_ACT_TRAP, false);
}

static inline bool is_tcf_gact_goto_chain(const struct tc_action *a)
{
	return __is_tcf_gact_act(a, TC_ACT_GOTO_CHAIN, true);
}

static inline u32 tcf_gact_goto_chain_index(const struct tc_action *a)
{
	return READ_ONCE(a->tcfa_action) & TC_ACT_EXT_VAL_MASK;
}

static inline bool is_tcf_gact_continue(const struct tc_action *a)
{
	return __is_tcf_gact_act(a, TC_ACT_UNSPEC, false);
}

static inline bool is_tcf_gact_reclassify(const struct tc_action *a)
{
	return __is_tcf_gact_act(a, TC_ACT_RECLASSIFY, false);
}

static inline bool is_tcf_gact_pipe(const struct tc_action *a)
{
	return __is_tcf_gact_act(a, TC_ACT_PIPE, false);
}

#endif
