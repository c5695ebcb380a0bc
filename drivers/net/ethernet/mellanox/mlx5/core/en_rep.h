/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Representor state (en_rep.c), shared with en_tc.c: the representor's
 * netdev priv is a struct mlx5e_rep_priv, and it is the cb_priv of its tc
 * block callback (mlx5e_rep_setup_tc_cb).
 */
#ifndef __MLX5E_REP_H__
#define __MLX5E_REP_H__

#include <linux/list.h>
#include "eswitch.h"

struct mlx5e_tc_table;

struct mlx5e_rep_priv {
	struct mlx5_vport *vport;
	struct net_device *netdev;
	/* en_tc.c's flows of this representor, by tc filter cookie */
	struct mlx5e_tc_table *tc_ht;
	/* the uplink: tunnel devices whose blocks it bound indirectly */
	struct list_head indr_block_list;
};

static inline struct mlx5_eswitch *mlx5e_rep_esw(const struct mlx5e_rep_priv *rpriv)
{
	return rpriv->vport->esw;
}

#endif
