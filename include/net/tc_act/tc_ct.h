/* SPDX-License-Identifier: GPL-2.0 */
/*
 * act_ct (net/sched/act_ct.c): what other parts (flower offload, the
 * driver's CT split) may read of a ct action.
 */
#ifndef __NET_TC_CT_H
#define __NET_TC_CT_H

#include <linux/tc_act/tc_ct.h>
#include <net/act_api.h>
#include <net/netfilter/nf_nat.h>

struct tcf_ct_flow_table;

struct tcf_ct_params {
	u16 ct_action;			/* TCA_CT_ACT_* */
	u16 zone;
	u32 mark;
	u32 mark_mask;
	u32 labels[NF_CT_LABELS_MAX_SIZE / sizeof(u32)];
	u32 labels_mask[NF_CT_LABELS_MAX_SIZE / sizeof(u32)];
	struct nf_nat_range2 range;
	bool ipv4_range;		/* range holds IPv4 addresses */
	struct tcf_ct_flow_table *ct_ft;	/* the zone's flowtable (not with clear) */
	struct rcu_head rcu;
};

struct tcf_ct {
	struct tc_action common;
	struct tcf_ct_params *params;	/* RCU: replaced whole on change */
};

/*
 * A driver restores the connection a hardware-handled packet belongs to
 * after a miss (cookie: FLOW_ACTION_CT_METADATA's, the connection and its
 * ctinfo): the skb then looks to flower and act_ct as if act_ct had just
 * tracked it in the connection's zone (+trk, est or est+rpl).
 * Datapath, under rcu_read_lock().
 */
void tcf_ct_flow_table_restore_skb(struct sk_buff *skb, unsigned long cookie);
/* the zone's flowtable while some ct action holds it, or NULL (tests, tools) */
struct nf_flowtable *tcf_ct_zone_flowtable(u16 zone);
/* the zones that have a flowtable now, up to max of them (unordered); how many */
unsigned int tcf_ct_zones_get(u16 *zones, unsigned int max);
/* the action's flowtable, for FLOW_ACTION_CT (NULL for clear) */
struct nf_flowtable *tcf_ct_ft(const struct tc_action *a);

#define to_ct(a) ((struct tcf_ct *)(a))
#define to_ct_params(a) ((struct tcf_ct_params *)rcu_dereference(to_ct(a)->params))

static inline u16 tcf_ct_zone(const struct tc_action *a)
{
	return to_ct_params(a)->zone;
}
static inline int tcf_ct_action(const struct tc_action *a)
{
	return to_ct_params(a)->ct_action;
}
static inline bool is_tcf_ct(const struct tc_action *a)
{
	return a->ops && a->ops->id == TCA_ID_CT;
}

#endif
