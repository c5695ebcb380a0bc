// SPDX-License-Identifier: GPL-2.0
/*
 * The register layout (en_tc.h): which metadata lives in which register
 * bits, as one table, and the only code that turns metadata into register
 * matches and register writes.  Changing the layout is a change here.
 */
#include "../en_tc.h"

#define REG_C(n)	(MLX5_ACTION_IN_FIELD_METADATA_REG_C_0 + (n))

const struct mlx5e_tc_attr_to_reg_mapping mlx5e_tc_attr_to_reg_mappings[] = {
	[CHAIN_TO_REG]		= { .mfield = REG_C(0), .moffset = 0,  .mlen = 16, .reg = 0 },
	[VPORT_TO_REG]		= { .mfield = REG_C(0), .moffset = 16, .mlen = 16, .reg = 0 },
	[ZONE_RESTORE_TO_REG]	= { .mfield = REG_C(1), .moffset = 0,  .mlen = 8,  .reg = 1 },
	[TUNNEL_TO_REG]		= { .mfield = REG_C(1), .moffset = 8,  .mlen = 24, .reg = 1 },
	[ZONE_TO_REG]		= { .mfield = REG_C(2), .moffset = 0,  .mlen = 16, .reg = 2 },
	[CTSTATE_TO_REG]	= { .mfield = REG_C(2), .moffset = 16, .mlen = 16, .reg = 2 },
	[MARK_TO_REG]		= { .mfield = REG_C(3), .moffset = 0,  .mlen = 32, .reg = 3 },
	[LABELS_TO_REG]		= { .mfield = REG_C(4), .moffset = 0,  .mlen = 32, .reg = 4 },
	[PACKET_COLOR_TO_REG]	= { .mfield = REG_C(5), .moffset = 0,  .mlen = 8,  .reg = 5 },
	[FTEID_TO_REG]		= { .mfield = REG_C(5), .moffset = 8,  .mlen = 24, .reg = 5 },
};

static u32 reg_field_mask(const struct mlx5e_tc_attr_to_reg_mapping *m)
{
	return (m->mlen == 32 ? 0xffffffffu : (1u << m->mlen) - 1) << m->moffset;
}

void mlx5e_tc_match_to_reg_match(struct mlx5_flow_spec *spec, enum mlx5e_tc_attr_to_reg type,
				 u32 data, u32 mask)
{
	const struct mlx5e_tc_attr_to_reg_mapping *m = &mlx5e_tc_attr_to_reg_mappings[type];
	u32 field = reg_field_mask(m);
	u32 *v = &spec->match_value.misc_parameters_2.metadata_reg_c[m->reg];
	u32 *c = &spec->match_criteria.misc_parameters_2.metadata_reg_c[m->reg];

	mask = (mask << m->moffset) & field;
	*c = (*c & ~field) | mask;
	*v = (*v & ~field) | ((data << m->moffset) & mask);
	spec->match_criteria_enable |= MLX5_MATCH_MISC_PARAMETERS_2;
}

void mlx5e_tc_match_to_reg_get_match(const struct mlx5_flow_spec *spec,
				     enum mlx5e_tc_attr_to_reg type, u32 *data, u32 *mask)
{
	const struct mlx5e_tc_attr_to_reg_mapping *m = &mlx5e_tc_attr_to_reg_mappings[type];
	u32 field = reg_field_mask(m);

	*data = (spec->match_value.misc_parameters_2.metadata_reg_c[m->reg] & field) >> m->moffset;
	*mask = (spec->match_criteria.misc_parameters_2.metadata_reg_c[m->reg] & field) >> m->moffset;
}

int mlx5e_tc_match_to_reg_set(struct mlx5e_tc_mod_hdr_acts *acts,
			      enum mlx5e_tc_attr_to_reg type, u32 data)
{
	const struct mlx5e_tc_attr_to_reg_mapping *m = &mlx5e_tc_attr_to_reg_mappings[type];
	struct mlx5_action_in *a = mlx5e_mod_hdr_alloc(acts);

	if (!a)
		return -ENOMEM;
	a->action_type = MLX5_ACTION_TYPE_SET;
	a->field = m->mfield;
	a->offset = m->moffset;
	a->length = m->mlen == 32 ? 0 : m->mlen;
	a->data = m->mlen == 32 ? data : data & ((1u << m->mlen) - 1);
	acts->num_actions++;
	return 0;
}

u32 mlx5e_tc_reg_get(const u32 *reg_c, enum mlx5e_tc_attr_to_reg type)
{
	const struct mlx5e_tc_attr_to_reg_mapping *m = &mlx5e_tc_attr_to_reg_mappings[type];

	return (reg_c[m->reg] & reg_field_mask(m)) >> m->moffset;
}
