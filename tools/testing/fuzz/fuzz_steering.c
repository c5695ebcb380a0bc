// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the eswitch model's packet path: the hardware
 * parser (outer and VXLAN-inner headers), the table walk, and every action
 * kind on whatever the frame turns out to be: register and header
 * rewrites with checksum fix-ups (IPv4 and IPv6 NAT), VLAN pop and push,
 * VXLAN decap and encap, mirroring to several vports, counters, misses.
 *
 * The input is one byte choosing the source vport (uplink, VF 1, VF 2)
 * and then one Ethernet frame.  The pipeline is built once: a managed
 * root table that classifies (IPv4 TCP, IPv6, VXLAN VNI 42, VLAN 5, and
 * everything else misses), an unmanaged "ct" table with NAT rules on
 * masked tuples, and a "post" table that encapsulates and mirrors.  The
 * masks are loose on purpose, so random frames reach every action.
 *
 * Seeds: tools/testing/fuzz/corpus/steering/ (frames of the flow
 * dissector's corpus with a vport byte in front).
 */
#include <stdio.h>
#include <stdlib.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/rcupdate.h>
#include <linux/skbuff.h>
#include "../../../drivers/net/ethernet/mellanox/mlx5/core/fs_core.h"

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static void fuzz_vport_xmit(struct mlx5_core_dev *dev, u16 vport, struct sk_buff *skb)
{
	kfree_skb(skb);
}

static bool fuzz_vport_exists(struct mlx5_core_dev *dev, u16 vport)
{
	return vport == MLX5_VPORT_UPLINK || vport == 1 || vport == 2;
}

static const struct mlx5_wire_ops fuzz_wire = {
	.vport_xmit = fuzz_vport_xmit,
	.vport_exists = fuzz_vport_exists,
};

static struct mlx5_core_dev dev = { .name = "fz0", .wire = &fuzz_wire };
static struct skb_pool pool;

static struct mlx5_flow_table *table(const char *name, int prio, u32 flags)
{
	struct mlx5_flow_table_attr attr = {
		.prio = prio, .max_fte = 64, .flags = flags, .name = name,
		.autogroup.max_num_groups = 8,
	};
	struct mlx5_flow_table *ft;

	ft = mlx5_create_auto_grouped_flow_table(mlx5_get_flow_namespace(&dev,
							MLX5_FLOW_NAMESPACE_FDB), &attr);
	if (IS_ERR(ft))
		abort();
	return ft;
}

static struct mlx5_modify_hdr *mod_hdr(const struct mlx5_action_in *a, int n)
{
	struct mlx5_modify_hdr *mh = mlx5_modify_header_alloc(&dev, MLX5_FLOW_NAMESPACE_FDB, n, a);

	if (IS_ERR(mh))
		abort();
	return mh;
}

static void add(struct mlx5_flow_table *ft, const struct mlx5_flow_spec *spec,
		struct mlx5_flow_act *act, struct mlx5_flow_destination *dest, int n)
{
	struct mlx5_flow_spec s = *spec;
	struct mlx5_flow_handle *h;

	/* every part the rules here use */
	s.match_criteria_enable = MLX5_MATCH_OUTER_HEADERS | MLX5_MATCH_MISC_PARAMETERS |
				  MLX5_MATCH_MISC_PARAMETERS_2;
	h = mlx5_add_flow_rules(ft, &s, act, dest, n);

	if (IS_ERR(h)) {
		fprintf(stderr, "fuzz_steering: rule in %s: %ld\n", mlx5_flow_table_name(ft), PTR_ERR(h));
		abort();
	}
}

#define SET(f, off, len, v) { .action_type = MLX5_ACTION_TYPE_SET, .field = (f), \
			      .offset = (off), .length = (len), .data = (v) }
#define ADD(f, v) { .action_type = MLX5_ACTION_TYPE_ADD, .field = (f), .data = (v) }

/* outer Ethernet + IPv4 + UDP + VXLAN (VNI 42) towards 7.7.7.8 */
static const u8 vxlan_template[] = {
	0x02, 0, 0, 0, 0, 0x08, 0x02, 0, 0, 0, 0, 0x07, 0x08, 0x00,
	0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, 17, 0, 0, 7, 7, 7, 7, 7, 7, 7, 8,
	0, 0, 0x12, 0xb5, 0, 0, 0, 0,
	0x08, 0, 0, 0, 0, 0, 42, 0,
};

static void build_ct(struct mlx5_flow_table *ct, struct mlx5_flow_table *post, struct mlx5_fc *fc)
{
	static const struct mlx5_action_in nat4[] = {
		SET(MLX5_ACTION_IN_FIELD_OUT_SIPV4, 0, 0, 0x0a000064),
		SET(MLX5_ACTION_IN_FIELD_OUT_TCP_SPORT, 0, 16, 1000),
		SET(MLX5_ACTION_IN_FIELD_METADATA_REG_C_2, 16, 16, 6),
		ADD(MLX5_ACTION_IN_FIELD_OUT_IP_TTL, 0xff),
	};
	static const struct mlx5_action_in nat6[] = {
		SET(MLX5_ACTION_IN_FIELD_OUT_DIPV6_31_0, 0, 0, 0x99),
		SET(MLX5_ACTION_IN_FIELD_OUT_UDP_DPORT, 0, 16, 53),
		SET(MLX5_ACTION_IN_FIELD_OUT_TCP_DPORT, 0, 16, 80),
	};
	struct mlx5_flow_destination dest[2] = {
		{ .type = MLX5_FLOW_DESTINATION_TYPE_FLOW_TABLE, .ft = post },
		{ .type = MLX5_FLOW_DESTINATION_TYPE_COUNTER, .counter = fc },
	};
	struct mlx5_flow_act act = {
		.action = MLX5_FLOW_CONTEXT_ACTION_FWD_DEST | MLX5_FLOW_CONTEXT_ACTION_MOD_HDR |
			  MLX5_FLOW_CONTEXT_ACTION_COUNT,
		.flags = FLOW_ACT_IGNORE_FLOW_LEVEL,
	};
	struct mlx5_flow_spec spec = {};

	/* IPv4: any TCP or UDP from 10.0.0.0/8 */
	spec.match_criteria.outer_headers.ethertype = 0xffff;
	spec.match_value.outer_headers.ethertype = ETH_P_IP;
	spec.match_criteria.outer_headers.src_ipv4_src_ipv6[12] = 0xff;
	spec.match_value.outer_headers.src_ipv4_src_ipv6[12] = 10;
	act.modify_hdr = mod_hdr(nat4, ARRAY_SIZE(nat4));
	add(ct, &spec, &act, dest, 2);
	/* IPv6: anything */
	memset(&spec, 0, sizeof(spec));
	spec.match_criteria.outer_headers.ethertype = 0xffff;
	spec.match_value.outer_headers.ethertype = ETH_P_IPV6;
	act.modify_hdr = mod_hdr(nat6, ARRAY_SIZE(nat6));
	add(ct, &spec, &act, dest, 2);
}

static void build_post(struct mlx5_flow_table *post, struct mlx5_fc *fc)
{
	struct mlx5_pkt_reformat_params p = {
		.type = MLX5_REFORMAT_TYPE_L2_TO_VXLAN,
		.size = sizeof(vxlan_template), .data = vxlan_template,
	};
	struct mlx5_pkt_reformat *encap = mlx5_packet_reformat_alloc(&dev, &p,
								     MLX5_FLOW_NAMESPACE_FDB);
	struct mlx5_flow_destination dest[3] = {
		{ .type = MLX5_FLOW_DESTINATION_TYPE_VPORT,
		  .vport = { .num = MLX5_VPORT_UPLINK, .flags = MLX5_FLOW_DEST_VPORT_REFORMAT_ID,
			     .pkt_reformat = encap } },
		{ .type = MLX5_FLOW_DESTINATION_TYPE_VPORT, .vport = { .num = 2 } },
		{ .type = MLX5_FLOW_DESTINATION_TYPE_COUNTER, .counter = fc },
	};
	struct mlx5_flow_act act = {
		.action = MLX5_FLOW_CONTEXT_ACTION_FWD_DEST | MLX5_FLOW_CONTEXT_ACTION_COUNT |
			  MLX5_FLOW_CONTEXT_ACTION_VLAN_PUSH,
		.vlan[0] = { .ethtype = htons(ETH_P_8021Q), .vid = 7, .prio = 1 },
	};
	struct mlx5_flow_spec spec = {};

	if (IS_ERR(encap))
		abort();
	/* state set by the ct table: the rest misses to software */
	spec.match_criteria.misc_parameters_2.metadata_reg_c[2] = 0xffff0000;
	spec.match_value.misc_parameters_2.metadata_reg_c[2] = 6 << 16;
	add(post, &spec, &act, dest, 3);
}

static void build_root(struct mlx5_flow_table *root, struct mlx5_flow_table *ct)
{
	struct mlx5_flow_destination to_ct = { .type = MLX5_FLOW_DESTINATION_TYPE_FLOW_TABLE, .ft = ct };
	struct mlx5_flow_destination vf1 = { .type = MLX5_FLOW_DESTINATION_TYPE_VPORT, .vport = { .num = 1 } };
	struct mlx5_flow_act fwd = { .action = MLX5_FLOW_CONTEXT_ACTION_FWD_DEST,
				     .flags = FLOW_ACT_IGNORE_FLOW_LEVEL };
	struct mlx5_flow_act act;
	struct mlx5_flow_spec spec = {};

	/* VXLAN VNI 42: decap, then the inner frame goes to ct */
	spec.match_criteria.misc_parameters.vxlan_vni = 0xffffff;
	spec.match_value.misc_parameters.vxlan_vni = 42;
	act = fwd;
	act.action |= MLX5_FLOW_CONTEXT_ACTION_DECAP;
	add(root, &spec, &act, &to_ct, 1);
	/* VLAN 5: pop, to VF 1 */
	memset(&spec, 0, sizeof(spec));
	spec.match_criteria.outer_headers.cvlan_tag = 1;
	spec.match_value.outer_headers.cvlan_tag = 1;
	spec.match_criteria.outer_headers.first_vid = 0xfff;
	spec.match_value.outer_headers.first_vid = 5;
	act = fwd;
	act.action |= MLX5_FLOW_CONTEXT_ACTION_VLAN_POP;
	add(root, &spec, &act, &vf1, 1);
	/* IPv4 TCP, and IPv6: to ct */
	memset(&spec, 0, sizeof(spec));
	spec.match_criteria.outer_headers.ethertype = 0xffff;
	spec.match_value.outer_headers.ethertype = ETH_P_IP;
	spec.match_criteria.outer_headers.ip_protocol = 0xff;
	spec.match_value.outer_headers.ip_protocol = 6;
	add(root, &spec, &fwd, &to_ct, 1);
	spec.match_value.outer_headers.ethertype = ETH_P_IPV6;
	spec.match_criteria.outer_headers.ip_protocol = 0;
	spec.match_value.outer_headers.ip_protocol = 0;
	add(root, &spec, &fwd, &to_ct, 1);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct mlx5_flow_table *root, *ct, *post;
	struct mlx5_fc *fc;

	rcu_register_thread();
	if (mlx5_init_fs(&dev) || skb_pool_init(&pool, 64))
		abort();
	skb_local_pool = &pool;
	root = table("root", 0, 0);
	ct = table("ct", 1, MLX5_FLOW_TABLE_UNMANAGED);
	post = table("post", 2, MLX5_FLOW_TABLE_UNMANAGED);
	fc = mlx5_fc_create(&dev, true);
	if (IS_ERR(fc))
		abort();
	build_post(post, fc);
	build_ct(ct, post, fc);
	build_root(root, ct);
	return 0;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static const u16 vports[] = { MLX5_VPORT_UPLINK, 1, 2 };
	struct sk_buff *skb, *miss[1];
	struct mlx5_cqe_md md[1];
	int n;

	if (size < 1 || size - 1 > SKB_DATA_MAX)
		return -1;
	skb = alloc_skb(&pool);
	if (!skb)
		abort();
	memcpy(skb->data, data + 1, size - 1);
	skb_put(skb, size - 1);
	rcu_read_lock();
	n = mlx5_steering_rx_burst(&dev, vports[data[0] % 3], &skb, 1, miss, md);
	rcu_read_unlock();
	if (n)
		kfree_skb(miss[0]);
	/* every buffer came back: nothing leaked or freed twice */
	if (pool.nfree != pool.size)
		abort();
	return 0;
}
