/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tc chains and priorities as FDB tables (lib/fs_chains.c).
 *
 * Every (chain, prio) that holds offloaded filters is one auto-grouped
 * table, created on first use and destroyed with its last user
 * (mlx5_chains_get_table / _put_table are refcounted).  Chain 0's tables
 * are managed: packets from the vports enter the first of them, and a
 * miss falls through its priorities in order and then to software.  Other
 * chains' tables are unmanaged, reached only by a goto; a miss in a
 * chain's prio table goes to the chain's next prio table, and after its
 * last one to software with the chain's mapping id written to
 * CHAIN_TO_REG (a catch-all FTE in a reserved group at the end of the
 * chain's last table), so tc in software starts at that chain.
 *
 * Chain mapping ids (mlx5_chains_get_chain_mapping) come from one
 * mapping context; chain 0 is never mapped (id 0 = "start at chain 0").
 *
 * Locking: rtnl / the caller's mutex for get/put; mlx5_get_chain_for_tag()
 * is called on a miss, from the datapath.
 */
#ifndef __MLX5_FS_CHAINS_H__
#define __MLX5_FS_CHAINS_H__

#include "../fs_core.h"

struct mlx5_fs_chains;
struct mapping_ctx;

#define FDB_TC_MAX_CHAIN	((1u << 16) - 2)	/* tc chains the registers can name */
#define FDB_TC_MAX_PRIO		0xffff	/* tc pref is 16 bits; the model orders tables by any level */
#define FDB_TC_LEVELS_PER_PRIO	2

/* FDB priorities: the tc tables first, then the ct tables, then post_ct */
enum {
	FDB_TC_OFFLOAD,
	FDB_CT,
	FDB_POST_CT,
};

struct mlx5_chains_attr {
	enum mlx5_flow_namespace_type ns;
	u32 max_grp_num;		/* auto groups per table */
	int max_fte;			/* FTEs per table */
	struct mapping_ctx *mapping;	/* chain -> id */
};

struct mlx5_fs_chains *mlx5_chains_create(struct mlx5_core_dev *dev,
					  struct mlx5_chains_attr *attr);
void mlx5_chains_destroy(struct mlx5_fs_chains *chains);

/* ERR_PTR on failure (-ENOSPC: the device has no table left, -EOPNOTSUPP: out of range) */
struct mlx5_flow_table *mlx5_chains_get_table(struct mlx5_fs_chains *chains, u32 chain,
					      u32 prio, u32 level);
void mlx5_chains_put_table(struct mlx5_fs_chains *chains, u32 chain, u32 prio, u32 level);

/* the id for chain (refcounted); chain 0 gives 0 */
int mlx5_chains_get_chain_mapping(struct mlx5_fs_chains *chains, u32 chain,
				  u32 *chain_mapping);
int mlx5_chains_put_chain_mapping(struct mlx5_fs_chains *chains, u32 chain_mapping);
/* a miss's flow tag back to a chain: 0, or -ENOENT */
int mlx5_get_chain_for_tag(struct mlx5_fs_chains *chains, u32 tag, u32 *chain);

u32 mlx5_chains_get_chain_range(struct mlx5_fs_chains *chains);
u32 mlx5_chains_get_prio_range(struct mlx5_fs_chains *chains);

#endif
