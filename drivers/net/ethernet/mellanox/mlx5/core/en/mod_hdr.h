/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Building modify-header action lists (en/mod_hdr.c): the driver collects
 * the register writes and header rewrites of one rule in a growing
 * struct mlx5e_tc_mod_hdr_acts, then allocates one modify-header object
 * from it (mlx5_modify_header_alloc).
 */
#ifndef __MLX5E_EN_MOD_HDR_H__
#define __MLX5E_EN_MOD_HDR_H__

#include <pthread.h>
#include <linux/list.h>
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

/*
 * Shared modify-header objects (the kernel's mod_hdr_tbl): rules whose
 * action lists are identical (connections without NAT that carry the same
 * mark, labels and zone) use one device object, refcounted, as mlx5 does;
 * the device has only so many.  Callers serialise on the table's lock.
 */
#define MOD_HDR_TBL_BUCKETS	1024

struct mod_hdr_tbl {
	pthread_mutex_t lock;
	struct list_head hlist[MOD_HDR_TBL_BUCKETS];
};

struct mlx5e_mod_hdr_handle;

void mlx5e_mod_hdr_tbl_init(struct mod_hdr_tbl *tbl);
void mlx5e_mod_hdr_tbl_destroy(struct mod_hdr_tbl *tbl);
/* the object for these actions, new or shared; ERR_PTR on failure */
struct mlx5e_mod_hdr_handle *mlx5e_mod_hdr_attach(struct mlx5_core_dev *mdev,
						  struct mod_hdr_tbl *tbl,
						  enum mlx5_flow_namespace_type namespace,
						  const struct mlx5e_tc_mod_hdr_acts *mod_hdr_acts);
void mlx5e_mod_hdr_detach(struct mlx5_core_dev *mdev, struct mod_hdr_tbl *tbl,
			  struct mlx5e_mod_hdr_handle *mh);
struct mlx5_modify_hdr *mlx5e_mod_hdr_get(struct mlx5e_mod_hdr_handle *mh);

#endif
