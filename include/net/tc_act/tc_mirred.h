/* SPDX-License-Identifier: GPL-2.0 */
/*
 * act_mirred (net/sched/act_mirred.c): the action and what the offload
 * code may ask of it (direction, redirect or mirror, target device).
 */
#ifndef __NET_TC_MIRRED_H
#define __NET_TC_MIRRED_H

#include <linux/tc_act/tc_mirred.h>
#include <net/act_api.h>

struct tcf_mirred {
	struct tc_action common;
	int tcfm_eaction;		/* TCA_{EGRESS,INGRESS}_{REDIR,MIRROR} */
	bool tcfm_mac_header_xmit;
	struct net_device *tcfm_dev;	/* RCU */
};
#define to_mirred(a) ((struct tcf_mirred *)(a))

static inline bool is_tcf_mirred(const struct tc_action *a)
{
	return a->ops && a->ops->id == TCA_ID_MIRRED;
}

static inline bool is_tcf_mirred_egress_redirect(const struct tc_action *a)
{
	return is_tcf_mirred(a) && to_mirred(a)->tcfm_eaction == TCA_EGRESS_REDIR;
}

static inline bool is_tcf_mirred_egress_mirror(const struct tc_action *a)
{
	return is_tcf_mirred(a) && to_mirred(a)->tcfm_eaction == TCA_EGRESS_MIRROR;
}

static inline bool is_tcf_mirred_ingress_redirect(const struct tc_action *a)
{
	return is_tcf_mirred(a) && to_mirred(a)->tcfm_eaction == TCA_INGRESS_REDIR;
}

static inline bool is_tcf_mirred_ingress_mirror(const struct tc_action *a)
{
	return is_tcf_mirred(a) && to_mirred(a)->tcfm_eaction == TCA_INGRESS_MIRROR;
}

/* NULL once the device is gone (the action then drops what it gets) */
static inline struct net_device *tcf_mirred_dev(const struct tc_action *a)
{
	return rcu_dereference(to_mirred(a)->tcfm_dev);
}

#endif
