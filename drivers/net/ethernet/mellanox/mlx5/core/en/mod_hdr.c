// SPDX-License-Identifier: GPL-2.0
/*
 * Modify-header action lists (en/mod_hdr.h): a growing array the parsers
 * append to, turned into one device object when the rule is added.
 */
#include <linux/slab.h>
#include "mod_hdr.h"

#define MOD_HDR_ACTS_CHUNK	8

struct mlx5_action_in *mlx5e_mod_hdr_alloc(struct mlx5e_tc_mod_hdr_acts *acts)
{
	if (acts->num_actions == acts->max_actions) {
		int max = acts->max_actions + MOD_HDR_ACTS_CHUNK;
		struct mlx5_action_in *a;

		a = realloc(acts->actions, max * sizeof(*a));
		if (!a)
			return NULL;
		acts->actions = a;
		acts->max_actions = max;
	}
	memset(&acts->actions[acts->num_actions], 0, sizeof(acts->actions[0]));
	return &acts->actions[acts->num_actions];
}

void mlx5e_mod_hdr_dealloc(struct mlx5e_tc_mod_hdr_acts *acts)
{
	kfree(acts->actions);
	acts->actions = NULL;
	acts->num_actions = 0;
	acts->max_actions = 0;
}
