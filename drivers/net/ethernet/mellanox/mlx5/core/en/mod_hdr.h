/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Building modify-header action lists (en/mod_hdr.c): the driver collects
 * the register writes and header rewrites of one rule in a growing
 * struct mlx5e_tc_mod_hdr_acts, then allocates one modify-header object
 * from it (mlx5_modify_header_alloc).
 */
#ifndef __MLX5E_EN_MOD_HDR_H__
#define __MLX5E_EN_MOD_HDR_H__

#include "../fs_core.h"

struct mlx5e_tc_mod_hdr_acts {
	int num_actions;
	int max_actions;
	struct mlx5_action_in *actions;
};

/* room for one more action (NULL: no memory); the caller fills it and counts it */
struct mlx5_action_in *mlx5e_mod_hdr_alloc(struct mlx5e_tc_mod_hdr_acts *mod_hdr_acts);
void mlx5e_mod_hdr_dealloc(struct mlx5e_tc_mod_hdr_acts *mod_hdr_acts);
/* forget the actions, keep the memory */
static inline void mlx5e_mod_hdr_acts_reset(struct mlx5e_tc_mod_hdr_acts *acts)
{
	acts->num_actions = 0;
}

#endif
