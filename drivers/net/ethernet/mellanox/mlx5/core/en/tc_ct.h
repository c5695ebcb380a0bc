/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Connection tracking offload (en/tc_ct.c): the seed's split.
 *
 * A filter with `action ct` becomes two FTEs:
 *  - pre_ct, in the filter's own (chain, prio) table: the filter's match;
 *    modify header: CHAIN_TO_REG = the filter's chain mapping (so a miss
 *    in the ct tables restarts software at this chain), ZONE_TO_REG =
 *    zone, FTEID_TO_REG = the flow's fte_id, CTSTATE_TO_REG cleared;
 *    forward to ct_nat if the action has nat, else to ct;
 *  - post_ct, in the post_ct table: match FTEID_TO_REG; the filter's
 *    actions after ct (goto chain, mirred, pedit...) and its counter.
 * The ct and ct_nat tables (one each, all zones) hold one FTE per
 * offloaded connection direction: match the tuple (addresses, protocol,
 * ports; TCP without FIN/RST/SYN) and ZONE_TO_REG; set CTSTATE_TO_REG
 * (+trk +est, +rpl for the reply direction, +nat in ct_nat when the
 * connection has NAT), MARK_TO_REG, LABELS_TO_REG, ZONE_RESTORE_TO_REG;
 * ct_nat also rewrites addresses and ports; forward to post_ct.  Both
 * directions' FTEs count on one counter each, which STATS reads.
 * A miss in ct/ct_nat goes to software (CHAIN_TO_REG says where to
 * restart).  A miss after them carries ZONE_RESTORE_TO_REG, which
 * mlx5e_tc_ct_restore_flow() turns back into the connection on the skb.
 *
 * Per zone, the driver registers on act_ct's flowtable
 * (nf_flow_table_offload_add_cb) while at least one offloaded filter uses
 * that zone; the flowtable then offers it each connection direction as
 * FLOW_CLS_REPLACE / DESTROY / STATS.
 */
#ifndef __MLX5_EN_TC_CT_H__
#define __MLX5_EN_TC_CT_H__

#include <linux/compiler.h>
#include <net/flow_offload.h>

struct mlx5_eswitch;
struct mlx5_fs_chains;
struct mlx5_flow_attr;
struct mlx5_flow_spec;
struct mlx5_flow_handle;
struct mlx5e_tc_flow;
struct mlx5_tc_ct_priv;
struct nf_flowtable;
struct sk_buff;
struct netlink_ext_ack;

/* CTSTATE_TO_REG bits (the kernel's) */
#define MLX5_CT_STATE_ESTABLISHED_BIT	BIT(1)
#define MLX5_CT_STATE_TRK_BIT		BIT(2)
#define MLX5_CT_STATE_NAT_BIT		BIT(3)
#define MLX5_CT_STATE_REPLY_BIT		BIT(4)
#define MLX5_CT_STATE_RELATED_BIT	BIT(5)
#define MLX5_CT_STATE_INVALID_BIT	BIT(6)
#define MLX5_CT_STATE_NEW_BIT		BIT(7)

/* what the filter's ct action and ct matches parsed into */
struct mlx5_ct_attr {
	u16 zone;
	u16 ct_action;			/* TCA_CT_ACT_* of the filter's ct action */
	struct nf_flowtable *nf_ft;	/* the zone's flowtable (FLOW_ACTION_CT's flow_table) */
	u32 ct_labels_id;		/* the labels mapping a ct_label match took, or 0 */
};

struct mlx5_tc_ct_priv *mlx5_tc_ct_init(struct mlx5_eswitch *esw, struct mlx5_fs_chains *chains);
void mlx5_tc_ct_clean(struct mlx5_tc_ct_priv *ct_priv);

/*
 * Flower's ct_state / ct_zone / ct_mark / ct_label keys into register
 * matches on spec.  -EOPNOTSUPP with a message for what cannot be
 * matched (e.g. +inv, or labels when the mapping is full).
 */
int mlx5_tc_ct_match_add(struct mlx5_tc_ct_priv *priv, struct mlx5_flow_spec *spec,
			 struct flow_cls_offload *f, struct mlx5_ct_attr *ct_attr,
			 struct netlink_ext_ack *extack);
/* release what the match took (the labels id) */
void mlx5_tc_ct_match_del(struct mlx5_tc_ct_priv *priv, struct mlx5_ct_attr *ct_attr);

/* FLOW_ACTION_CT into attr->ct_attr; -EOPNOTSUPP with a message for what the split cannot do */
int mlx5_tc_ct_parse_action(struct mlx5_tc_ct_priv *priv, struct mlx5_flow_attr *attr,
			    const struct flow_action_entry *act, struct netlink_ext_ack *extack);

/*
 * The split: attr is the whole filter (its actions after ct, counter,
 * chain, prio, in_vport), spec its match.  Adds pre_ct and post_ct and
 * registers on the zone's flowtable.  Returns the pre_ct FTE handle or
 * ERR_PTR (with an extack message).
 */
struct mlx5_flow_handle *mlx5_tc_ct_flow_offload(struct mlx5_tc_ct_priv *priv,
						 struct mlx5e_tc_flow *flow,
						 struct mlx5_flow_spec *spec,
						 struct mlx5_flow_attr *attr,
						 struct netlink_ext_ack *extack);
void mlx5_tc_ct_delete_flow(struct mlx5_tc_ct_priv *priv, struct mlx5e_tc_flow *flow,
			    struct mlx5_flow_attr *attr);

/*
 * A miss after the ct tables: zone_restore_id from reg_b.  Finds the
 * connection the packet hit (by its tuple in that zone) and puts it back
 * on skb (tcf_ct_flow_table_restore_skb) so act_ct does not track it
 * again.  false if there is nothing to restore.  Datapath, RCU.
 */
bool mlx5e_tc_ct_restore_flow(struct mlx5_tc_ct_priv *ct_priv, struct sk_buff *skb,
			      u32 zone_restore_id);

/* the split's FTEs of a ct filter (ctoffload explain filter); NULL: none */
void mlx5_tc_ct_flow_rules(const struct mlx5e_tc_flow *flow, struct mlx5_flow_handle **pre_ct,
			   struct mlx5_flow_handle **post_ct);

/* connections (directions) offloaded now, for the dump and tests */
unsigned int mlx5_tc_ct_entries(struct mlx5_tc_ct_priv *ct_priv);

#endif
