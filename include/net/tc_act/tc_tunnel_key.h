/* SPDX-License-Identifier: GPL-2.0 */
/*
 * act_tunnel_key (net/sched/act_tunnel_key.c): the action and what the
 * offload translation may ask of it (set or unset, the metadata to encap).
 */
#ifndef __NET_TC_TUNNEL_KEY_H
#define __NET_TC_TUNNEL_KEY_H

#include <linux/tc_act/tc_tunnel_key.h>
#include <net/act_api.h>
#include <net/dst_metadata.h>

struct tcf_tunnel_key_params {
	struct rcu_head rcu;
	int tcft_action;			/* TCA_TUNNEL_KEY_ACT_* */
	struct metadata_dst *tcft_enc_metadata;	/* set only; one reference */
};

struct tcf_tunnel_key {
	struct tc_action common;
	struct tcf_tunnel_key_params *params;	/* RCU: replaced whole on change */
};
#define to_tunnel_key(a) ((struct tcf_tunnel_key *)(a))

static inline bool is_tcf_tunnel_key(const struct tc_action *a)
{
	return a->ops && a->ops->id == TCA_ID_TUNNEL_KEY;
}

static inline bool is_tcf_tunnel_set(const struct tc_action *a)
{
	return is_tcf_tunnel_key(a) &&
	       rcu_dereference(to_tunnel_key(a)->params)->tcft_action == TCA_TUNNEL_KEY_ACT_SET;
}

static inline bool is_tcf_tunnel_release(const struct tc_action *a)
{
	return is_tcf_tunnel_key(a) &&
	       rcu_dereference(to_tunnel_key(a)->params)->tcft_action == TCA_TUNNEL_KEY_ACT_RELEASE;
}

/*
 * The set action's metadata with a reference for the caller (offload:
 * the flow_action entry keeps it until its destructor), NULL for unset.
 */
static inline struct metadata_dst *tcf_tunnel_metadata_get(const struct tc_action *a)
{
	const struct tcf_tunnel_key_params *p = rcu_dereference(to_tunnel_key(a)->params);

	return dst_clone(p->tcft_enc_metadata);
}

#endif
