// SPDX-License-Identifier: GPL-2.0
/*
 * Switchdev offloads of the eswitch (eswitch.h): the objects tc offload
 * needs for the whole device (the chain mapping, fs_chains, the ct
 * offload), and the one function that turns a parsed rule (struct
 * mlx5_flow_attr + match) into an FTE, as the kernel's
 * mlx5_eswitch_add_offloaded_rule() does.
 *
 * Every FTE of a tc filter is added here, the ct split's too, so the
 * rules about where an FTE goes and what it always matches live in one
 * place:
 *  - the table: attr->ft, else fs_chains' (attr->chain, attr->prio)
 *    table, taken for the FTE's lifetime;
 *  - the source vport: reg_c_0[31:16] holds the vport's metadata from
 *    the moment the packet enters the FDB, so a rule of one representor
 *    never matches another vport's packets (MLX5_ATTR_FLAG_NO_IN_PORT
 *    for tables every vport shares, like ct and post_ct);
 *  - destinations: one table (dest_ft, or dest_chain's first table,
 *    taken for the FTE's lifetime), or vports, plus the counter.
 */
#include <stdio.h>
#include <linux/slab.h>
#include "eswitch.h"
#include "fs_core.h"
#include "en_tc.h"
#include "en/tc_priv.h"
#include "en/tc_ct.h"
#include "en/mapping.h"
#include "lib/fs_chains.h"

/* the tc tables' sizes: filters can number tens of thousands per (chain, prio) */
#define ESW_OFFLOADS_CHAIN_FTES		(1 << 16)
#define ESW_OFFLOADS_NUM_GROUPS		32
/* CHAIN_TO_REG is 16 bits; id 0 means chain 0 */
#define ESW_OFFLOADS_CHAIN_MAX_ID	0xffff

int esw_offloads_enable(struct mlx5_eswitch *esw)
{
	struct mlx5_chains_attr attr = {
		.ns = MLX5_FLOW_NAMESPACE_FDB,
		.max_grp_num = ESW_OFFLOADS_NUM_GROUPS,
		.max_fte = ESW_OFFLOADS_CHAIN_FTES,
	};
	struct mlx5_fs_chains *chains;
	int err;

	/* eswitch.c created the device and its steering (mlx5_init_fs) */
	if (!esw->dev || !esw->dev->priv.steering)
		return -EINVAL;
	esw->chain_mapping = mapping_create(sizeof(u32), ESW_OFFLOADS_CHAIN_MAX_ID, true);
	if (!esw->chain_mapping)
		return -ENOMEM;
	attr.mapping = esw->chain_mapping;
	chains = mlx5_chains_create(esw->dev, &attr);
	if (IS_ERR(chains)) {
		err = PTR_ERR(chains);
		goto err_chains;
	}
	esw->chains = chains;
	err = mlx5e_tc_tun_init(esw);
	if (err)
		goto err_tun;
	/*
	 * As in the kernel, a device without ct offload still offloads
	 * plain filters: en_tc.c refuses ct actions and matches when
	 * ct_priv is NULL.
	 */
	esw->ct_priv = mlx5_tc_ct_init(esw, esw->chains);
	if (IS_ERR(esw->ct_priv)) {
		fprintf(stderr, "mlx5: %s: ct offload disabled (%ld)\n", esw->dev->name,
			PTR_ERR(esw->ct_priv));
		esw->ct_priv = NULL;
	}
	return 0;

err_tun:
	mlx5_chains_destroy(esw->chains);
	esw->chains = NULL;
err_chains:
	mapping_destroy(esw->chain_mapping);
	esw->chain_mapping = NULL;
	return err;
}

/* after every representor's flows are gone (mlx5e_tc_esw_cleanup); safe if enable never ran */
void esw_offloads_disable(struct mlx5_eswitch *esw)
{
	if (esw->ct_priv)
		mlx5_tc_ct_clean(esw->ct_priv);
	esw->ct_priv = NULL;
	mlx5e_tc_tun_cleanup(esw);
	if (esw->chains)
		mlx5_chains_destroy(esw->chains);
	esw->chains = NULL;
	if (esw->chain_mapping)
		mapping_destroy(esw->chain_mapping);
	esw->chain_mapping = NULL;
}

/* ---- one offloaded rule ---- */

static struct mlx5_flow_table *esw_rule_get_table(struct mlx5_eswitch *esw,
						  struct mlx5_flow_attr *attr)
{
	if (attr->ft)
		return attr->ft;
	return mlx5_chains_get_table(esw->chains, attr->chain, attr->prio, 0);
}

static void esw_rule_put_table(struct mlx5_eswitch *esw, struct mlx5_flow_attr *attr)
{
	if (!attr->ft)
		mlx5_chains_put_table(esw->chains, attr->chain, attr->prio, 0);
}

static bool esw_rule_fwd_chain(const struct mlx5_flow_attr *attr)
{
	return attr->action & MLX5_FLOW_CONTEXT_ACTION_FWD_DEST && !attr->dest_ft &&
	       attr->dest_chain;
}

/*
 * attr->modify_hdr is the caller's if it set one; otherwise, when the
 * rule rewrites headers or registers (MOD_HDR with mod_hdr_acts), one is
 * allocated here for the rule's lifetime.
 */
static int esw_rule_alloc_modify_hdr(struct mlx5_eswitch *esw, struct mlx5_flow_attr *attr)
{
	struct mlx5_modify_hdr *mh;

	if (!(attr->action & MLX5_FLOW_CONTEXT_ACTION_MOD_HDR) || attr->modify_hdr ||
	    !attr->mod_hdr_acts.num_actions)
		return 0;
	mh = mlx5_modify_header_alloc(esw->dev, MLX5_FLOW_NAMESPACE_FDB,
				      attr->mod_hdr_acts.num_actions, attr->mod_hdr_acts.actions);
	if (IS_ERR(mh))
		return PTR_ERR(mh);
	attr->modify_hdr = mh;
	attr->flags |= MLX5_ATTR_FLAG_ESW_MOD_HDR;
	return 0;
}

static void esw_rule_free_modify_hdr(struct mlx5_eswitch *esw, struct mlx5_flow_attr *attr)
{
	if (!(attr->flags & MLX5_ATTR_FLAG_ESW_MOD_HDR))
		return;
	mlx5_modify_header_dealloc(esw->dev, attr->modify_hdr);
	attr->modify_hdr = NULL;
	attr->flags &= ~MLX5_ATTR_FLAG_ESW_MOD_HDR;
}

/*
 * The FTE's destinations into dest[] (room for MLX5_FS_MAX_DESTS); the
 * number of them, or -errno.  A goto takes dest_chain's first table.
 */
static int esw_rule_setup_dests(struct mlx5_eswitch *esw, struct mlx5_flow_attr *attr,
				struct mlx5_flow_act *flow_act,
				struct mlx5_flow_destination *dest)
{
	struct mlx5_flow_table *ft;
	int i, n = 0;

	if (attr->action & MLX5_FLOW_CONTEXT_ACTION_FWD_DEST) {
		if (attr->dest_ft || attr->dest_chain) {
			ft = attr->dest_ft;
			if (!ft) {
				ft = mlx5_chains_get_table(esw->chains, attr->dest_chain, 1, 0);
				if (IS_ERR(ft))
					return PTR_ERR(ft);
			}
			dest[n].type = MLX5_FLOW_DESTINATION_TYPE_FLOW_TABLE;
			dest[n++].ft = ft;
			/* chain tables' levels say nothing about who may jump where */
			flow_act->flags |= FLOW_ACT_IGNORE_FLOW_LEVEL;
		} else {
			if (attr->out_count > MLX5_MAX_FLOW_FWD_VPORTS)
				return -EINVAL;
			for (i = 0; i < attr->out_count; i++) {
				dest[n].type = MLX5_FLOW_DESTINATION_TYPE_VPORT;
				dest[n].vport.num = attr->dests[i].vport;
				if (attr->dests[i].flags & MLX5_ESW_DEST_ENCAP) {
					dest[n].vport.flags |= MLX5_FLOW_DEST_VPORT_REFORMAT_ID;
					dest[n].vport.pkt_reformat = attr->dests[i].pkt_reformat;
				}
				n++;
			}
		}
	}
	if (attr->action & MLX5_FLOW_CONTEXT_ACTION_COUNT) {
		dest[n].type = MLX5_FLOW_DESTINATION_TYPE_COUNTER;
		dest[n++].counter = attr->counter;
	}
	return n;
}

static void esw_rule_cleanup_dests(struct mlx5_eswitch *esw, struct mlx5_flow_attr *attr)
{
	if (esw_rule_fwd_chain(attr))
		mlx5_chains_put_table(esw->chains, attr->dest_chain, 1, 0);
}

struct mlx5_flow_handle *mlx5_eswitch_add_offloaded_rule(struct mlx5_eswitch *esw,
							 struct mlx5_flow_spec *spec,
							 struct mlx5_flow_attr *attr)
{
	struct mlx5_flow_destination dest[MLX5_FS_MAX_DESTS] = {};
	struct mlx5_flow_act flow_act = {};
	struct mlx5_flow_handle *rule;
	struct mlx5_flow_spec *rule_spec;
	struct mlx5_flow_table *ft;
	int num_dest, err;

	if (!esw->chains)
		return ERR_PTR(-EOPNOTSUPP);
	if ((attr->action & MLX5_FLOW_CONTEXT_ACTION_COUNT) && !attr->counter)
		return ERR_PTR(-EINVAL);
	/* the source vport match goes on a copy: the caller's spec stays its own */
	rule_spec = kmemdup(spec, sizeof(*spec), GFP_KERNEL);
	if (!rule_spec)
		return ERR_PTR(-ENOMEM);
	if (!(attr->flags & MLX5_ATTR_FLAG_NO_IN_PORT)) {
		u16 metadata = mlx5_eswitch_get_vport_metadata_for_match(esw->dev,
									 attr->in_vport);

		mlx5e_tc_match_to_reg_match(rule_spec, VPORT_TO_REG, metadata, 0xffff);
	}
	ft = esw_rule_get_table(esw, attr);
	if (IS_ERR(ft)) {
		err = PTR_ERR(ft);
		goto err_table;
	}
	err = esw_rule_alloc_modify_hdr(esw, attr);
	if (err)
		goto err_modify_hdr;
	flow_act.action = attr->action;
	flow_act.modify_hdr = attr->modify_hdr;
	if (attr->action & MLX5_FLOW_CONTEXT_ACTION_VLAN_PUSH)
		flow_act.vlan[0] = attr->vlan;
	num_dest = esw_rule_setup_dests(esw, attr, &flow_act, dest);
	if (num_dest < 0) {
		err = num_dest;
		goto err_dests;
	}
	rule = mlx5_add_flow_rules(ft, rule_spec, &flow_act, dest, num_dest);
	if (IS_ERR(rule)) {
		err = PTR_ERR(rule);
		goto err_rule;
	}
	kfree(rule_spec);
	return rule;

err_rule:
	esw_rule_cleanup_dests(esw, attr);
err_dests:
	esw_rule_free_modify_hdr(esw, attr);
err_modify_hdr:
	esw_rule_put_table(esw, attr);
err_table:
	kfree(rule_spec);
	return ERR_PTR(err);
}

void mlx5_eswitch_del_offloaded_rule(struct mlx5_eswitch *esw, struct mlx5_flow_handle *rule,
				     struct mlx5_flow_attr *attr)
{
	mlx5_del_flow_rules(rule);
	esw_rule_cleanup_dests(esw, attr);
	esw_rule_free_modify_hdr(esw, attr);
	esw_rule_put_table(esw, attr);
}
