/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What en_tc.c, en/tc_ct.c and eswitch_offloads.c share about one
 * offloaded tc filter: its parsed form (struct mlx5_flow_attr) and the
 * driver's object for it (struct mlx5e_tc_flow), as in the kernel's
 * en/tc_priv.h.
 */
#ifndef __MLX5_EN_TC_PRIV_H__
#define __MLX5_EN_TC_PRIV_H__

#include <linux/list.h>
#include <linux/refcount.h>
#include "../fs_core.h"
#include "mod_hdr.h"
#include "tc_ct.h"

#define MLX5_MAX_FLOW_FWD_VPORTS	4

/* attr->flags */
enum {
	MLX5_ATTR_FLAG_CT		= BIT(0),	/* split by en/tc_ct.c */
	MLX5_ATTR_FLAG_NO_IN_PORT	= BIT(1),	/* no source vport match (ct, post_ct tables) */
	MLX5_ATTR_FLAG_SLOW_PATH	= BIT(2),
	/* eswitch_offloads.c allocated modify_hdr from mod_hdr_acts: it frees it */
	MLX5_ATTR_FLAG_ESW_MOD_HDR	= BIT(3),
};

/* esw_attr dests[].flags */
enum {
	MLX5_ESW_DEST_ENCAP		= BIT(0),	/* pkt_reformat applies on this dest */
};

/*
 * One rule's parsed actions.  The rule's FTE goes to ft if set (the ct
 * split's pre_ct / post_ct rules, the CT tables), else to the (chain,
 * prio) table of fs_chains.  A goto is dest_chain (fs_chains' table for
 * (dest_chain, prio 1)) or dest_ft.
 */
struct mlx5_flow_attr {
	u32 action;			/* MLX5_FLOW_CONTEXT_ACTION_* */
	struct mlx5_fc *counter;
	struct mlx5_modify_hdr *modify_hdr;
	struct mlx5e_tc_mod_hdr_acts mod_hdr_acts;	/* pedit etc., turned into modify_hdr */
	struct mlx5_ct_attr ct_attr;
	u32 chain;
	u16 prio;
	u32 dest_chain;
	struct mlx5_flow_table *ft;
	struct mlx5_flow_table *dest_ft;
	u32 flags;			/* MLX5_ATTR_FLAG_* */
	/* the eswitch part (the kernel's struct mlx5_esw_flow_attr) */
	u16 in_vport;			/* the representor's vport: the rule matches it */
	int out_count;
	struct {
		u16 vport;
		u32 flags;		/* MLX5_ESW_DEST_* */
		struct mlx5_pkt_reformat *pkt_reformat;
	} dests[MLX5_MAX_FLOW_FWD_VPORTS];
	struct mlx5_fs_vlan vlan;	/* VLAN_PUSH */
	u32 tunnel_id;			/* TUNNEL_TO_REG to write (a decap rule) */
};

/* one tc filter the driver took, per representor that offered it */
struct mlx5e_tc_flow {
	unsigned long cookie;		/* flow_cls_offload cookie: the tc filter */
	struct list_head list;		/* the representor's flows */
	struct mlx5_flow_attr *attr;
	struct mlx5_flow_spec spec;	/* the filter's match, kept for the ct split */
	struct mlx5_flow_handle *rule;	/* its FTE (the pre_ct FTE for a ct filter) */
	struct mlx5e_tc_flow_ct *ct;	/* the ct split's objects, or NULL */
	struct net_device *filter_dev;	/* a tunnel device (indirect block), or the representor */
	u32 tunnel_id;			/* a tunnel mapping id held (decap, or enc_* match) */
	struct mlx5e_encap_entry *encap;	/* en/tc_tun.c, or NULL */
	struct list_head encap_list;	/* in encap->flows */
	int encap_out_index;		/* attr->dests[] slot of the encap */
	/* the slow path: while the encap is unresolved, one FTE to software */
	struct mlx5_flow_attr *slow_attr;
	u32 slow_chain_mapping;
	u64 last_packets, last_bytes;	/* what the last STATS answer reported */
};

#endif
