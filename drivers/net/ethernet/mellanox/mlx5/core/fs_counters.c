// SPDX-License-Identifier: GPL-2.0
/*
 * Flow counters: packets, bytes and the time of the last packet of the
 * FTEs that count into them.
 *
 * Datapath threads add with relaxed atomics (a flow is normally on one
 * thread, so the line is not contended); a query reads the totals.  The
 * device's bulk query is instant here, so the cached and the direct
 * query agree.  A counter lives while its owner or an FTE holds it: a
 * counter destroyed under an FTE (a driver bug the firmware would refuse)
 * stays until that FTE goes, so the packet path never sees freed memory.
 */
#include <stdio.h>
#include <linux/slab.h>
#include "fs_priv.h"

struct mlx5_fc *mlx5_fc_create(struct mlx5_core_dev *dev, bool aging)
{
	struct mlx5_flow_steering *steering = mlx5_fs_steering(dev);
	struct mlx5_fc *fc;

	if (!steering)
		return ERR_PTR(-EINVAL);
	mlx5_fs_lock(steering);
	if (steering->ncounters >= READ_ONCE(steering->caps.max_counters)) {
		fc = ERR_PTR(-ENOSPC);
		goto out;
	}
	fc = kzalloc(sizeof(*fc), GFP_KERNEL);
	if (!fc) {
		fc = ERR_PTR(-ENOMEM);
		goto out;
	}
	fs_obj_init(&fc->obj, steering, sizeof(*fc), offsetof(struct mlx5_fc, obj));
	fc->aging = aging;
	steering->ncounters++;
out:
	mlx5_fs_unlock(steering);
	return fc;
}

void mlx5_fc_destroy(struct mlx5_core_dev *dev, struct mlx5_fc *counter)
{
	struct mlx5_flow_steering *steering;

	if (IS_ERR_OR_NULL(counter))
		return;
	steering = counter->obj.steering;
	mlx5_fs_lock(steering);
	fs_obj_release(&counter->obj, "counter", &steering->ncounters);
	mlx5_fs_unlock(steering);
}

u32 mlx5_fc_id(struct mlx5_fc *counter)
{
	return counter->obj.id;
}

void mlx5_fc_query_cached(struct mlx5_fc *counter, u64 *bytes, u64 *packets, u64 *lastuse)
{
	*bytes = __atomic_load_n(&counter->bytes, __ATOMIC_RELAXED);
	*packets = __atomic_load_n(&counter->packets, __ATOMIC_RELAXED);
	*lastuse = __atomic_load_n(&counter->lastuse, __ATOMIC_RELAXED);
}

int mlx5_fc_query(struct mlx5_core_dev *dev, struct mlx5_fc *counter, u64 *packets, u64 *bytes)
{
	u64 lastuse;

	if (IS_ERR_OR_NULL(counter))
		return -EINVAL;
	mlx5_fc_query_cached(counter, bytes, packets, &lastuse);
	return 0;
}
