/* SPDX-License-Identifier: GPL-2.0 */
/*
 * struct mlx5_core_dev: one ConnectX function (include/linux/mlx5/driver.h
 * in the kernel).  Here it is the eswitch manager: its steering model and
 * the driver state hanging off it.
 */
#ifndef __MLX5_CORE_H__
#define __MLX5_CORE_H__

#include <linux/compiler.h>

struct mlx5_eswitch;
struct mlx5_core_dev;
struct mlx5_flow_steering;
struct sk_buff;

#define MLX5_VPORT_UPLINK	0xffff	/* the uplink; VF i is vport i + 1 */

struct mlx5_priv {
	struct mlx5_eswitch *eswitch;
	struct mlx5_flow_steering *steering;	/* the model's state (fs_core.c) */
};

/*
 * The board's wiring, set by whoever owns the device (eswitch.c; a unit
 * test sets its own): how the model sends a frame out of a vport's wire
 * side, and which vport numbers exist.
 */
struct mlx5_wire_ops {
	/* consumes skb */
	void (*vport_xmit)(struct mlx5_core_dev *dev, u16 vport, struct sk_buff *skb);
	bool (*vport_exists)(struct mlx5_core_dev *dev, u16 vport);
};

struct mlx5_core_dev {
	char name[32];			/* the PF's name, for messages and sysctls */
	struct mlx5_priv priv;
	const struct mlx5_wire_ops *wire;
	void *wire_priv;
};

#endif
