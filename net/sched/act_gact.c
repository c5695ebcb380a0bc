// SPDX-License-Identifier: GPL-2.0
/*
 * Generic actions (net/sched/act_gact.c): the action is only a verdict
 * (ok, drop, pipe, continue, reclassify, trap, goto chain N, jump N).
 */
#include <stdlib.h>
#include <linux/init.h>
#include <net/tc_act/tc_gact.h>

static struct tc_action_ops act_gact_ops;

static const struct nla_policy gact_policy[TCA_GACT_MAX + 1] = {
	[TCA_GACT_PARMS] = { .type = NLA_EXACT_LEN, .len = sizeof(struct tc_gact) },
	[TCA_GACT_PROB] = { .type = NLA_EXACT_LEN, .len = sizeof(struct tc_gact_p) },
};

static int tcf_gact_init(struct nlattr *nla, struct tc_action **a, struct tcf_proto *tp,
			 u32 flags, struct netlink_ext_ack *extack)
{
	bool bind = flags & TCA_ACT_FLAGS_BIND;
	struct nlattr *tb[TCA_GACT_MAX + 1];
	struct tcf_chain *goto_ch = NULL;
	const struct tc_gact_p *p_parm = NULL;
	struct tc_gact *parm;
	u32 index;
	int ret = 0, err;

	err = nla_parse_nested(tb, TCA_GACT_MAX, nla, gact_policy, extack);
	if (err < 0)
		return err;
	if (!tb[TCA_GACT_PARMS])
		return -EINVAL;
	parm = (struct tc_gact *)nla_data(tb[TCA_GACT_PARMS]);
	index = parm->index;
	if (tb[TCA_GACT_PROB]) {
		p_parm = nla_data(tb[TCA_GACT_PROB]);
		if (p_parm->ptype >= MAX_RAND)
			return -EINVAL;
		if (TC_ACT_EXT_CMP(p_parm->paction, TC_ACT_GOTO_CHAIN)) {
			NL_SET_ERR_MSG(extack, "goto chain not allowed on fallback");
			return -EINVAL;
		}
	}
	err = tcf_idr_check_alloc(&act_gact_ops, &index, a, bind);
	if (err < 0)
		return err;
	if (!err) {
		ret = tcf_idr_create(&act_gact_ops, index, a, bind, flags);
		if (ret)
			return ret;
		ret = ACT_P_CREATED;
	} else {
		if (bind)	/* an existing action bound to a filter is used as is */
			return 0;
		if (!(flags & TCA_ACT_FLAGS_REPLACE)) {
			tcf_idr_release(*a, bind);
			return -EEXIST;
		}
	}
	err = tcf_action_check_ctrlact(parm->action, tp, &goto_ch, extack);
	if (err < 0)
		goto release;
	goto_ch = tcf_action_set_ctrlact(*a, parm->action, goto_ch);
	if (p_parm) {
		struct tcf_gact *gact = to_gact(*a);

		gact->tcfg_paction = p_parm->paction;
		gact->tcfg_pval = p_parm->pval ? p_parm->pval : 1;
		/* pval before ptype: the datapath reads ptype first */
		__atomic_store_n(&gact->tcfg_ptype, p_parm->ptype, __ATOMIC_RELEASE);
	}
	if (goto_ch)
		tcf_chain_put_by_act(goto_ch);
	return ret;
release:
	tcf_idr_release(*a, bind);
	return err;
}

static int gact_net_rand(struct tcf_gact *gact)
{
	if (random() % gact->tcfg_pval)
		return READ_ONCE(gact->common.tcfa_action);
	return gact->tcfg_paction;
}

static int gact_determ(struct tcf_gact *gact)
{
	u32 pack = __atomic_add_fetch(&gact->packets, 1, __ATOMIC_RELAXED);

	if (pack % gact->tcfg_pval)
		return READ_ONCE(gact->common.tcfa_action);
	return gact->tcfg_paction;
}

static int tcf_gact_act(struct sk_buff *skb, const struct tc_action *a,
			struct tcf_result *res)
{
	struct tc_action *ga = (struct tc_action *)a;
	struct tcf_gact *gact = to_gact(ga);
	int action = READ_ONCE(a->tcfa_action);
	u16 ptype = __atomic_load_n(&gact->tcfg_ptype, __ATOMIC_ACQUIRE);

	(void)res;
	if (ptype) {
		action = ptype == PGACT_DETERM ? gact_determ(gact) : gact_net_rand(gact);
	}
	tcf_lastuse_update(&ga->tcfa_tm);
	tcf_action_update_bstats(ga, skb);
	if (action == TC_ACT_SHOT)
		tcf_action_inc_drop_qstats(ga);
	return action;
}

/* what hardware dropped for a drop action is dropped packets too */
static void tcf_gact_stats_update(struct tc_action *a, u64 bytes, u64 packets, u64 drops,
				  u64 lastuse, bool hw)
{
	int action = READ_ONCE(a->tcfa_action);

	tcf_action_update_stats(a, bytes, packets, action == TC_ACT_SHOT ? packets : drops, hw);
	WRITE_ONCE(a->tcfa_tm.lastuse, max(READ_ONCE(a->tcfa_tm.lastuse), lastuse));
}

static int tcf_gact_dump(struct nlmsghdr *nlh, struct tc_action *a, int bind, int ref)
{
	struct tc_gact opt = {
		.index = a->tcfa_index,
		.refcnt = refcount_read(&a->tcfa_refcnt) - ref,
		.bindcnt = a->tcfa_bindcnt - bind,
		.action = a->tcfa_action,
	};
	struct tcf_t t;

	nla_put(nlh, TCA_GACT_PARMS, sizeof(opt), &opt);
	if (to_gact(a)->tcfg_ptype) {
		struct tc_gact_p p_opt = {
			.paction = to_gact(a)->tcfg_paction,
			.pval = to_gact(a)->tcfg_pval,
			.ptype = to_gact(a)->tcfg_ptype,
		};

		nla_put(nlh, TCA_GACT_PROB, sizeof(p_opt), &p_opt);
	}
	tcf_tm_dump(&t, &a->tcfa_tm);
	nla_put_64bit(nlh, TCA_GACT_TM, sizeof(t), &t, TCA_GACT_PAD);
	return 1;
}

static struct tc_action_ops act_gact_ops = {
	.kind = "gact",
	.id = TCA_ID_GACT,
	.size = sizeof(struct tcf_gact),
	.act = tcf_gact_act,
	.init = tcf_gact_init,
	.dump = tcf_gact_dump,
	.stats_update = tcf_gact_stats_update,
};

static void gact_init_module(void)
{
	tcf_register_action(&act_gact_ops);
}
module_init(gact_init_module);
