// SPDX-License-Identifier: GPL-2.0
/*
 * Mirred (net/sched/act_mirred.c): send the packet, or a copy of it, to
 * another device's egress (transmit) or ingress (receive).  Redirect
 * consumes the packet; mirror sends a copy and lets the original go on.
 * Nesting (redirect to a device whose ingress redirects again) is bounded
 * like the kernel's MIRRED_NEST_LIMIT.
 */
#include <linux/init.h>
#include <linux/slab.h>
#include <net/tc_act/tc_mirred.h>
#include <net/pkt_trace.h>

#define MIRRED_NEST_LIMIT	4

static struct tc_action_ops act_mirred_ops;
static __thread int mirred_nest_level;

static bool tcf_mirred_is_act_redirect(int action)
{
	return action == TCA_EGRESS_REDIR || action == TCA_INGRESS_REDIR;
}

static bool tcf_mirred_act_wants_ingress(int action)
{
	return action == TCA_INGRESS_REDIR || action == TCA_INGRESS_MIRROR;
}

static const struct nla_policy mirred_policy[TCA_MIRRED_MAX + 1] = {
	[TCA_MIRRED_PARMS] = { .type = NLA_EXACT_LEN, .len = sizeof(struct tc_mirred) },
};

static int tcf_mirred_init(struct nlattr *nla, struct tc_action **a, struct tcf_proto *tp,
			   u32 flags, struct netlink_ext_ack *extack)
{
	bool bind = flags & TCA_ACT_FLAGS_BIND;
	struct nlattr *tb[TCA_MIRRED_MAX + 1];
	struct tcf_chain *goto_ch = NULL;
	struct net_device *dev = NULL;
	struct tc_mirred *parm;
	struct tcf_mirred *m;
	bool exists;
	u32 index;
	int ret = 0, err;

	if (!nla) {
		NL_SET_ERR_MSG_MOD(extack, "Mirred requires attributes to be passed");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, TCA_MIRRED_MAX, nla, mirred_policy, extack);
	if (err < 0)
		return err;
	if (!tb[TCA_MIRRED_PARMS]) {
		NL_SET_ERR_MSG_MOD(extack, "Missing required mirred parameters");
		return -EINVAL;
	}
	parm = (struct tc_mirred *)nla_data(tb[TCA_MIRRED_PARMS]);
	index = parm->index;
	err = tcf_idr_check_alloc(&act_mirred_ops, &index, a, bind);
	if (err < 0)
		return err;
	exists = err;
	if (exists && bind)
		return 0;
	switch (parm->eaction) {
	case TCA_EGRESS_MIRROR:
	case TCA_EGRESS_REDIR:
	case TCA_INGRESS_REDIR:
	case TCA_INGRESS_MIRROR:
		break;
	default:
		if (exists)
			tcf_idr_release(*a, bind);
		NL_SET_ERR_MSG_MOD(extack, "Unknown mirred option");
		return -EINVAL;
	}
	if (parm->ifindex) {
		dev = dev_get_by_index(parm->ifindex);
		if (!dev) {
			if (exists)
				tcf_idr_release(*a, bind);
			return -ENODEV;
		}
	}
	if (!exists) {
		if (!dev) {
			NL_SET_ERR_MSG_MOD(extack, "Specified device does not exist");
			return -EINVAL;
		}
		ret = tcf_idr_create(&act_mirred_ops, index, a, bind, flags);
		if (ret)
			return ret;
		ret = ACT_P_CREATED;
	} else if (!(flags & TCA_ACT_FLAGS_REPLACE)) {
		tcf_idr_release(*a, bind);
		return -EEXIST;
	}
	err = tcf_action_check_ctrlact(parm->action, tp, &goto_ch, extack);
	if (err < 0) {
		tcf_idr_release(*a, bind);
		return err;
	}
	m = to_mirred(*a);
	goto_ch = tcf_action_set_ctrlact(*a, parm->action, goto_ch);
	m->tcfm_eaction = parm->eaction;
	if (dev) {
		rcu_assign_pointer(m->tcfm_dev, dev);
		m->tcfm_mac_header_xmit = true;	/* every device here is Ethernet */
	}
	if (goto_ch)
		tcf_chain_put_by_act(goto_ch);
	return ret;
}

static int tcf_mirred_act(struct sk_buff *skb, const struct tc_action *a,
			  struct tcf_result *res)
{
	struct tcf_mirred *m = to_mirred(a);
	int m_eaction = READ_ONCE(m->tcfm_eaction);
	int retval = READ_ONCE(a->tcfa_action);
	bool is_redirect = tcf_mirred_is_act_redirect(m_eaction);
	struct net_device *dev;
	struct sk_buff *skb2;

	(void)res;
	tcf_lastuse_update(&m->common.tcfa_tm);
	tcf_action_update_bstats(&m->common, skb);

	if (unlikely(mirred_nest_level >= MIRRED_NEST_LIMIT))
		goto overlimit;
	dev = rcu_dereference(m->tcfm_dev);
	if (unlikely(!dev || !(dev->flags & IFF_UP)))
		goto overlimit;

	/* a redirect that ends the pipeline can send the packet itself */
	if (is_redirect && retval == TC_ACT_STOLEN) {
		skb2 = skb;
	} else {
		skb2 = skb_copy(skb);
		if (!skb2)
			goto overlimit;
	}
	skb2->dev = dev;
	skb2->redirected = 1;
	skb2->from_ingress = skb->tc_at_ingress;
	/* the stage before the ones the packet goes through on dev */
	if (unlikely(skb2->trace))
		tcf_action_trace(skb2->trace, a, retval);
	mirred_nest_level++;
	if (tcf_mirred_act_wants_ingress(m_eaction))
		netif_receive_skb(skb2);
	else
		dev_queue_xmit(skb2);
	mirred_nest_level--;
	return retval;

overlimit:
	tcf_action_inc_overlimit_qstats(&m->common);
	if (is_redirect && retval == TC_ACT_STOLEN)
		retval = TC_ACT_SHOT;
	if (unlikely(skb->trace))
		tcf_action_trace(skb->trace, a, retval);
	return retval;
}

static void tcf_mirred_trace(const struct tc_action *a, char *buf, size_t size)
{
	const struct tcf_mirred *m = to_mirred(a);
	const struct net_device *dev = rcu_dereference(m->tcfm_dev);
	int eaction = READ_ONCE(m->tcfm_eaction);

	snprintf(buf, size, ",\"to\":\"%s\",\"mode\":\"%s\",\"direction\":\"%s\"%s",
		 dev ? dev->name : "", tcf_mirred_is_act_redirect(eaction) ? "redirect" : "mirror",
		 tcf_mirred_act_wants_ingress(eaction) ? "ingress" : "egress",
		 !dev || !(dev->flags & IFF_UP) ? ",\"error\":\"device gone or down\"" :
		 mirred_nest_level >= MIRRED_NEST_LIMIT ? ",\"error\":\"nested too deep\"" : "");
}

static int tcf_mirred_dump(struct nlmsghdr *nlh, struct tc_action *a, int bind, int ref)
{
	struct tcf_mirred *m = to_mirred(a);
	struct net_device *dev = m->tcfm_dev;
	struct tc_mirred opt = {
		.index = a->tcfa_index,
		.refcnt = refcount_read(&a->tcfa_refcnt) - ref,
		.bindcnt = a->tcfa_bindcnt - bind,
		.action = a->tcfa_action,
		.eaction = m->tcfm_eaction,
		.ifindex = dev ? dev->ifindex : 0,
	};
	struct tcf_t t;

	nla_put(nlh, TCA_MIRRED_PARMS, sizeof(opt), &opt);
	tcf_tm_dump(&t, &a->tcfa_tm);
	nla_put_64bit(nlh, TCA_MIRRED_TM, sizeof(t), &t, TCA_MIRRED_PAD);
	return 1;
}

/* the device goes away: the action stays, and drops what it would send */
static void tcf_mirred_dev_unregister(struct tc_action *a, struct net_device *dev)
{
	struct tcf_mirred *m = to_mirred(a);

	if (m->tcfm_dev == dev)
		rcu_assign_pointer(m->tcfm_dev, NULL);
}

static struct tc_action_ops act_mirred_ops = {
	.kind = "mirred",
	.id = TCA_ID_MIRRED,
	.size = sizeof(struct tcf_mirred),
	.act = tcf_mirred_act,
	.init = tcf_mirred_init,
	.dump = tcf_mirred_dump,
	.dev_unregister = tcf_mirred_dev_unregister,
	.trace = tcf_mirred_trace,
	.trace_own = true,
};

static void mirred_init_module(void)
{
	tcf_register_action(&act_mirred_ops);
}
module_init(mirred_init_module);
