/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tc offload for the eswitch representors (en_tc.c).
 *
 * The register layout is data: mlx5e_tc_attr_to_reg_mappings[] says, for
 * each piece of metadata the driver keeps in a packet's registers, which
 * register, bit offset and width (the kernel's layout; see
 * Documentation and ../shared/design/seed-spec.md).  Matches and
 * modify-header actions on metadata are generated from it only.
 *
 *   reg_c_0  [15:0] chain mapping id (what a miss restores)
 *            [31:16] source vport metadata
 *   reg_c_1  [7:0] zone restore id, [31:8] tunnel mapping id
 *   reg_c_2  [15:0] ct zone, [31:16] ct state bits (MLX5_CT_STATE_*)
 *   reg_c_3  ct mark
 *   reg_c_4  ct labels mapping id
 *   reg_c_5  [7:0] packet colour, [31:8] fte_id (pre_ct -> post_ct)
 */
#ifndef __MLX5_EN_TC_H__
#define __MLX5_EN_TC_H__

#include <net/flow_offload.h>
#include "fs_core.h"
#include "en/mod_hdr.h"

struct net_device;
struct mlx5_eswitch;

enum mlx5e_tc_attr_to_reg {
	CHAIN_TO_REG,
	VPORT_TO_REG,
	TUNNEL_TO_REG,
	ZONE_RESTORE_TO_REG,
	ZONE_TO_REG,
	CTSTATE_TO_REG,
	MARK_TO_REG,
	LABELS_TO_REG,
	FTEID_TO_REG,
	PACKET_COLOR_TO_REG,
};

struct mlx5e_tc_attr_to_reg_mapping {
	int mfield;			/* enum mlx5_action_in_field of the register */
	int moffset;			/* bit offset in it */
	int mlen;			/* bits */
	int reg;			/* the register's index: reg_c_<reg> */
};

extern const struct mlx5e_tc_attr_to_reg_mapping mlx5e_tc_attr_to_reg_mappings[];

/* match (data & mask) in type's bits of the register */
void mlx5e_tc_match_to_reg_match(struct mlx5_flow_spec *spec, enum mlx5e_tc_attr_to_reg type,
				 u32 data, u32 mask);
/* read it back out of a spec (driver's own checks, the dump) */
void mlx5e_tc_match_to_reg_get_match(const struct mlx5_flow_spec *spec,
				     enum mlx5e_tc_attr_to_reg type, u32 *data, u32 *mask);
/* add "set type's bits to data" to acts: 0 or -ENOMEM */
int mlx5e_tc_match_to_reg_set(struct mlx5e_tc_mod_hdr_acts *acts,
			      enum mlx5e_tc_attr_to_reg type, u32 data);
/* type's value out of a register file (the miss restore) */
u32 mlx5e_tc_reg_get(const u32 *reg_c, enum mlx5e_tc_attr_to_reg type);
/* criteria c = mask, value v = key & mask, over len bytes (addresses) */
void mlx5e_tc_match_bytes(u8 *c, u8 *v, const void *key, const void *mask, size_t len);

/* the representors' tc block callback (TC_SETUP_CLSFLOWER) */
int mlx5e_rep_setup_tc_cb(enum tc_setup_type type, void *type_data, void *cb_priv);
/*
 * One flower request for rpriv's eswitch; filter_dev is the device the
 * filter is on: rpriv's representor, or a tunnel device whose block the
 * uplink bound indirectly (rpriv is then the uplink's).
 */
struct mlx5e_rep_priv;
struct flow_cls_offload;
int mlx5e_tc_setup_flower(struct mlx5e_rep_priv *rpriv, struct net_device *filter_dev,
			  struct flow_cls_offload *f);
/* per representor: set up / tear down its tc state (all its flows go) */
/*
 * ctoffload explain filter: the FTEs of the filter with this cookie, on
 * any representor of esw (a tunnel device's filters live in the
 * uplink's), as a JSON array of {"table","fte","role"}; role "rule" (a
 * plain filter), "pre_ct" and "post_ct" (the ct split), "slow_path" (an
 * encap waiting for its neighbour).  Under rtnl_lock().
 */
void mlx5e_tc_flow_describe(struct mlx5_eswitch *esw, unsigned long cookie, FILE *f);
int mlx5e_tc_esw_init(struct net_device *rep);
void mlx5e_tc_esw_cleanup(struct net_device *rep);

#endif
