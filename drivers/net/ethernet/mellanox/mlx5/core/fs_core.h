/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The eswitch steering model: the "hardware" half of the NIC.
 *
 * What the driver sees is mlx5's flow steering API (include/linux/mlx5/fs.h
 * in the kernel): flow tables in the FDB namespace, flow groups with match
 * criteria, FTEs (flow table entries) added with mlx5_add_flow_rules(),
 * modify-header and packet-reformat objects, flow counters.  What the
 * model does with them is what a ConnectX FDB does with a packet
 * (fs_steering.c): parse it into a struct mlx5_fte_match_param, walk from
 * the root table through the tables it is forwarded to, and in each table
 * take the first flow group (lowest start index) whose masked key has an
 * FTE; apply that FTE's actions in the device's order; a table miss goes
 * to the table's miss table, or to software (the source vport's
 * representor, with the registers the miss carries: see struct
 * mlx5_cqe_md).
 *
 * The model knows nothing of tc or conntrack: only packet fields, the
 * source vport and the metadata registers reg_c_0..reg_c_7.
 *
 * Files: fs_core.c (tables, groups, FTEs), fs_counters.c (flow counters,
 * bulk query), fs_action.c (modify header and packet reformat objects and
 * how they change a packet), fs_steering.c (a packet through the tables),
 * fs_dump.c (`ctoffload steering show`, Graphviz dot).
 *
 * Locking: tables, groups and FTEs are created and destroyed on control
 * threads (rtnl, or the flowtable offload worker), serialised by the
 * steering's mutex; the datapath walks them under rcu_read_lock() only,
 * and objects are freed after a grace period.
 *
 * Finite resources and fault injection (struct mlx5_fs_caps, sysctls
 * mlx5.<pf>.*): FTEs per table, tables, modify-header objects, packet
 * reformat objects, counters.  A full resource fails the insert with
 * -ENOSPC; the fault mode fails every Nth FTE insert with -EIO and can
 * delay each insert, like a busy firmware command interface.
 */
#ifndef __MLX5_FS_CORE_H__
#define __MLX5_FS_CORE_H__

#include <linux/compiler.h>
#include <linux/if_ether.h>
#include <linux/etherdevice.h>
#include <linux/list.h>
#include <linux/skbuff.h>
#include <stdio.h>
#include "mlx5_core.h"

struct mlx5_core_dev;
struct mlx5_flow_table;
struct mlx5_flow_group;
struct mlx5_flow_handle;
struct mlx5_modify_hdr;
struct mlx5_pkt_reformat;
struct mlx5_fc;
struct mlx5_flow_steering;

/* ---- what an FTE matches: a subset of the PRM's fte_match_param ---- */

/*
 * Host byte order for numbers (as MLX5_SET takes them), network order for
 * addresses; an IPv4 address sits in the last 4 bytes of its 16-byte
 * field (the PRM's ipv4_layout).  Every struct is a multiple of 8 bytes
 * so matching works on 64-bit words.
 */
struct mlx5_fte_match_set_lyr_2_4 {
	u8 smac[ETH_ALEN];
	u8 dmac[ETH_ALEN];
	u16 ethertype;			/* after the vlan tag, if any */
	u16 first_vid;			/* 12 bits */
	u8 first_prio;			/* 3 bits */
	u8 cvlan_tag;			/* 1: the frame has an 802.1Q tag */
	u8 ip_version;			/* 4 or 6 */
	u8 ip_protocol;
	u8 ip_dscp;			/* 6 bits */
	u8 ip_ecn;			/* 2 bits */
	u8 ttl_hoplimit;
	u8 frag;			/* 1: an IP fragment */
	u16 tcp_flags;			/* 9 bits, FIN = 0x1 ... */
	u16 tcp_sport;
	u16 tcp_dport;
	u16 udp_sport;
	u16 udp_dport;
	u8 src_ipv4_src_ipv6[16];
	u8 dst_ipv4_dst_ipv6[16];
	u8 __pad[6];
};

struct mlx5_fte_match_set_misc {
	u32 vxlan_vni;			/* 24 bits, of a recognised VXLAN packet */
	u16 source_port;		/* the vport the packet came from */
	u8 __pad[2];
};

struct mlx5_fte_match_set_misc2 {
	u32 metadata_reg_c[8];		/* reg_c_0 .. reg_c_7 */
};

struct mlx5_fte_match_set_misc3 {
	u8 icmp_type;			/* ICMP or ICMPv6 */
	u8 icmp_code;
	u8 __pad[6];
};

struct mlx5_fte_match_param {
	struct mlx5_fte_match_set_lyr_2_4 outer_headers;
	struct mlx5_fte_match_set_misc misc_parameters;
	/* the encapsulated frame of a recognised VXLAN packet */
	struct mlx5_fte_match_set_lyr_2_4 inner_headers;
	struct mlx5_fte_match_set_misc2 misc_parameters_2;
	struct mlx5_fte_match_set_misc3 misc_parameters_3;
};

/* match_criteria_enable: which parts of the criteria are in use */
enum {
	MLX5_MATCH_OUTER_HEADERS	= BIT(0),
	MLX5_MATCH_MISC_PARAMETERS	= BIT(1),
	MLX5_MATCH_INNER_HEADERS	= BIT(2),
	MLX5_MATCH_MISC_PARAMETERS_2	= BIT(3),
	MLX5_MATCH_MISC_PARAMETERS_3	= BIT(4),
};

/* criteria is the mask; value is compared under it */
struct mlx5_flow_spec {
	u8 match_criteria_enable;
	struct mlx5_fte_match_param match_criteria;
	struct mlx5_fte_match_param match_value;
};

/* ---- modify header (PRM set_action_in / add_action_in / copy_action_in) ---- */

enum {
	MLX5_ACTION_TYPE_SET	= 0x1,
	MLX5_ACTION_TYPE_ADD	= 0x2,
	MLX5_ACTION_TYPE_COPY	= 0x3,
};

/* the PRM's field ids */
enum mlx5_action_in_field {
	MLX5_ACTION_IN_FIELD_OUT_SMAC_47_16	= 0x1,
	MLX5_ACTION_IN_FIELD_OUT_SMAC_15_0	= 0x2,
	MLX5_ACTION_IN_FIELD_OUT_ETHERTYPE	= 0x3,
	MLX5_ACTION_IN_FIELD_OUT_DMAC_47_16	= 0x4,
	MLX5_ACTION_IN_FIELD_OUT_DMAC_15_0	= 0x5,
	MLX5_ACTION_IN_FIELD_OUT_IP_DSCP	= 0x6,
	MLX5_ACTION_IN_FIELD_OUT_TCP_FLAGS	= 0x7,
	MLX5_ACTION_IN_FIELD_OUT_TCP_SPORT	= 0x8,
	MLX5_ACTION_IN_FIELD_OUT_TCP_DPORT	= 0x9,
	MLX5_ACTION_IN_FIELD_OUT_IP_TTL		= 0xa,
	MLX5_ACTION_IN_FIELD_OUT_UDP_SPORT	= 0xb,
	MLX5_ACTION_IN_FIELD_OUT_UDP_DPORT	= 0xc,
	MLX5_ACTION_IN_FIELD_OUT_SIPV6_127_96	= 0xd,
	MLX5_ACTION_IN_FIELD_OUT_SIPV6_95_64	= 0xe,
	MLX5_ACTION_IN_FIELD_OUT_SIPV6_63_32	= 0xf,
	MLX5_ACTION_IN_FIELD_OUT_SIPV6_31_0	= 0x10,
	MLX5_ACTION_IN_FIELD_OUT_DIPV6_127_96	= 0x11,
	MLX5_ACTION_IN_FIELD_OUT_DIPV6_95_64	= 0x12,
	MLX5_ACTION_IN_FIELD_OUT_DIPV6_63_32	= 0x13,
	MLX5_ACTION_IN_FIELD_OUT_DIPV6_31_0	= 0x14,
	MLX5_ACTION_IN_FIELD_OUT_SIPV4		= 0x15,
	MLX5_ACTION_IN_FIELD_OUT_DIPV4		= 0x16,
	MLX5_ACTION_IN_FIELD_OUT_FIRST_VID	= 0x17,
	MLX5_ACTION_IN_FIELD_OUT_IPV6_HOPLIMIT	= 0x47,
	MLX5_ACTION_IN_FIELD_METADATA_REG_C_0	= 0x51,
	MLX5_ACTION_IN_FIELD_METADATA_REG_C_1	= 0x52,
	MLX5_ACTION_IN_FIELD_METADATA_REG_C_2	= 0x53,
	MLX5_ACTION_IN_FIELD_METADATA_REG_C_3	= 0x54,
	MLX5_ACTION_IN_FIELD_METADATA_REG_C_4	= 0x55,
	MLX5_ACTION_IN_FIELD_METADATA_REG_C_5	= 0x56,
	MLX5_ACTION_IN_FIELD_METADATA_REG_C_6	= 0x57,
	MLX5_ACTION_IN_FIELD_METADATA_REG_C_7	= 0x58,
};

/*
 * One modify-header action.  SET: bits [offset, offset + length) of field
 * become data's low length bits; ADD: data is added to the field (modulo
 * its width; offset and length unused); COPY: length bits of field from
 * offset go to dst_field at dst_offset.  length 0 means 32.  Packet
 * fields keep their checksums right: the device fixes the IPv4 header
 * checksum and the TCP/UDP checksum after rewriting addresses or ports.
 */
struct mlx5_action_in {
	u8 action_type;			/* MLX5_ACTION_TYPE_* */
	u8 field;			/* enum mlx5_action_in_field */
	u8 offset;
	u8 length;
	u8 dst_field;			/* COPY */
	u8 dst_offset;			/* COPY */
	u32 data;			/* SET, ADD */
};

/* ---- actions and destinations ---- */

enum {
	MLX5_FLOW_CONTEXT_ACTION_ALLOW		= BIT(0),
	MLX5_FLOW_CONTEXT_ACTION_DROP		= BIT(1),
	MLX5_FLOW_CONTEXT_ACTION_FWD_DEST	= BIT(2),
	MLX5_FLOW_CONTEXT_ACTION_COUNT		= BIT(3),
	MLX5_FLOW_CONTEXT_ACTION_PACKET_REFORMAT = BIT(4),
	MLX5_FLOW_CONTEXT_ACTION_DECAP		= BIT(5),
	MLX5_FLOW_CONTEXT_ACTION_MOD_HDR	= BIT(6),
	MLX5_FLOW_CONTEXT_ACTION_VLAN_POP	= BIT(7),
	MLX5_FLOW_CONTEXT_ACTION_VLAN_PUSH	= BIT(8),
};

struct mlx5_fs_vlan {
	__be16 ethtype;
	u16 vid;
	u8 prio;
};

/* flow_act.flags */
enum {
	FLOW_ACT_NO_APPEND		= BIT(0),	/* never merge into an FTE with the same match */
	FLOW_ACT_IGNORE_FLOW_LEVEL	= BIT(1),	/* may forward to a table of any level */
};

/*
 * The device applies an FTE's actions in this order: DECAP, VLAN_POP,
 * MOD_HDR, VLAN_PUSH, PACKET_REFORMAT (encap), COUNT, then DROP or
 * FWD_DEST (to vports, or to one flow table where the lookup goes on).
 */
struct mlx5_flow_act {
	u32 action;			/* MLX5_FLOW_CONTEXT_ACTION_* */
	struct mlx5_modify_hdr *modify_hdr;
	struct mlx5_pkt_reformat *pkt_reformat;
	struct mlx5_fs_vlan vlan[1];
	u32 flags;			/* FLOW_ACT_* */
};

enum mlx5_flow_destination_type {
	MLX5_FLOW_DESTINATION_TYPE_NONE,
	MLX5_FLOW_DESTINATION_TYPE_VPORT,
	MLX5_FLOW_DESTINATION_TYPE_FLOW_TABLE,
	MLX5_FLOW_DESTINATION_TYPE_COUNTER,
};

/* vport.flags */
#define MLX5_FLOW_DEST_VPORT_REFORMAT_ID	BIT(0)	/* vport.pkt_reformat applies on this dest */

struct mlx5_flow_destination {
	enum mlx5_flow_destination_type type;
	union {
		struct mlx5_flow_table *ft;
		struct mlx5_fc *counter;
		struct {
			/*
			 * MLX5_VPORT_UPLINK, a VF (index + 1), or
			 * MLX5_VPORT_MANAGER: the eswitch manager, i.e.
			 * software: the packet goes up to its source
			 * vport's representor as a miss does.
			 */
			u16 num;
			u8 flags;
			struct mlx5_pkt_reformat *pkt_reformat;
		} vport;
	};
};

#define MLX5_FS_MAX_DESTS	8	/* vports (and one counter) per FTE */

/* ---- tables and groups ---- */

enum mlx5_flow_namespace_type {
	MLX5_FLOW_NAMESPACE_FDB,
};

enum {
	MLX5_FLOW_TABLE_TUNNEL_EN_REFORMAT	= BIT(0),
	MLX5_FLOW_TABLE_TUNNEL_EN_DECAP		= BIT(1),
	MLX5_FLOW_TABLE_UNMANAGED		= BIT(5),
};

/* the eswitch manager's vport: forwarding there hands the packet to software */
#define MLX5_VPORT_MANAGER	0

/*
 * Managed tables (no MLX5_FLOW_TABLE_UNMANAGED) are connected in (prio,
 * level) order: packets enter the first one (the FDB root) and a miss in
 * one goes to the next, unless next_ft says otherwise; a miss in the last
 * goes to software.  Unmanaged tables are reached only by forwarding to
 * them; their miss goes to next_ft, or to software.
 */
struct mlx5_flow_table_attr {
	int prio;			/* FDB priority; with level, orders the tables */
	int max_fte;			/* FTEs it can hold (the model rounds nothing) */
	u32 level;
	u32 flags;			/* MLX5_FLOW_TABLE_* */
	/* where a packet goes on a miss: that table, or software if NULL */
	struct mlx5_flow_table *next_ft;
	const char *name;		/* for the dump: "chain 0 prio 1", "ct", ... */
	struct {
		int max_num_groups;	/* auto groups created on demand, at most this many */
		int num_reserved_entries;	/* indexes at the end, for explicit groups */
	} autogroup;
};

/*
 * Explicit group (mlx5_create_flow_group): FTE indexes [start, end] of the
 * table, one mask.  Lower start index = looked at first.
 */
struct mlx5_flow_group_attr {
	u32 start_flow_index;
	u32 end_flow_index;
	u8 match_criteria_enable;
	struct mlx5_fte_match_param match_criteria;
};

/* ---- the device's resources and knobs ---- */

struct mlx5_fs_caps {
	unsigned int max_flow_tables;
	unsigned int max_fte;		/* FTEs over all tables */
	unsigned int max_modify_hdr;	/* modify-header objects */
	unsigned int max_modify_actions;	/* actions in one modify-header object */
	unsigned int max_pkt_reformat;
	unsigned int max_counters;
	/* fault injection: fail every Nth FTE insert with -EIO (0: never) */
	unsigned int fault_every_nth;
	/* and delay every FTE insert by this many microseconds */
	unsigned int insert_delay_us;
};

/* device-wide counters, for the dump and the tests */
struct mlx5_fs_stats {
	u64 rx_packets;			/* entered the pipeline */
	u64 hw_forwarded;		/* left through a vport without software */
	u64 hw_dropped;			/* dropped by an FTE */
	u64 miss_to_sw;			/* sent to a representor */
	u64 loop_dropped;		/* too many table hops */
	u64 fte_insert_failed;		/* -ENOSPC or injected */
	u64 fte_inserted;
	u64 fte_deleted;
};

/* ---- what a miss carries to software (the CQE's flow tag and reg_b) ---- */
/*
 * A packet that reaches software (a miss, or a forward to
 * MLX5_VPORT_MANAGER) comes with reg_c_0's low 16 bits as its flow tag
 * (what the kernel's restore rules give a CQE) and reg_c_1 as reg_b, as a
 * ConnectX CQE reports them.  Nothing else of the registers survives;
 * the packet's bytes are as the FTEs left them.
 */
struct mlx5_cqe_md {
	u32 flow_tag;
	u32 ft_metadata;		/* reg_b = reg_c_1 */
};

/* ---- the API (fs_core.c) ---- */

struct mlx5_flow_namespace *mlx5_get_flow_namespace(struct mlx5_core_dev *dev,
						    enum mlx5_flow_namespace_type type);
/* ERR_PTR(-ENOSPC) when the device has no table left, -EINVAL for bad attributes */
struct mlx5_flow_table *mlx5_create_flow_table(struct mlx5_flow_namespace *ns,
					       struct mlx5_flow_table_attr *ft_attr);
struct mlx5_flow_table *mlx5_create_auto_grouped_flow_table(struct mlx5_flow_namespace *ns,
							    struct mlx5_flow_table_attr *ft_attr);
/* -EBUSY if it still has FTEs or is some FTE's destination */
int mlx5_destroy_flow_table(struct mlx5_flow_table *ft);
/* change where a miss goes (NULL: software) */
int mlx5_flow_table_set_miss(struct mlx5_flow_table *ft, struct mlx5_flow_table *next_ft);
const char *mlx5_flow_table_name(const struct mlx5_flow_table *ft);

struct mlx5_flow_group *mlx5_create_flow_group(struct mlx5_flow_table *ft,
					       const struct mlx5_flow_group_attr *attr);
void mlx5_destroy_flow_group(struct mlx5_flow_group *fg);

/*
 * Add one FTE: spec's match, flow_act's actions, dests (vports, one table,
 * a counter).  On an auto-grouped table the group with the same criteria
 * is used, or created.  Errors (ERR_PTR): -ENOSPC (table, group or device
 * full, no auto group left), -EEXIST (an FTE with the same match in that
 * group), -EINVAL (bad combination, e.g. FWD_DEST without dests, a table
 * and a vport as destinations, forwarding to a lower level without
 * FLOW_ACT_IGNORE_FLOW_LEVEL), -EIO (injected fault).
 */
struct mlx5_flow_handle *mlx5_add_flow_rules(struct mlx5_flow_table *ft,
					     const struct mlx5_flow_spec *spec,
					     struct mlx5_flow_act *flow_act,
					     struct mlx5_flow_destination *dest, int num_dest);
void mlx5_del_flow_rules(struct mlx5_flow_handle *handle);
/*
 * Where an FTE is, as `ctoffload steering show` names it: its table's
 * name and its id ("fte N" in the dump), and where it sends a packet (to:
 * a table's name, "vport N", "uplink", "software", "vports" or "drop").
 * 0, or -EINVAL for no handle.
 */
int mlx5_flow_handle_describe(struct mlx5_flow_handle *handle, char *table_name, size_t size,
			      u32 *fte_id, char *to, size_t to_size);

/* ---- modify header, packet reformat (fs_action.c) ---- */

/* ERR_PTR(-ENOSPC) when the device has none left, -E2BIG over max_modify_actions */
struct mlx5_modify_hdr *mlx5_modify_header_alloc(struct mlx5_core_dev *dev,
						 enum mlx5_flow_namespace_type ns_type,
						 u8 num_actions, const struct mlx5_action_in *actions);
void mlx5_modify_header_dealloc(struct mlx5_core_dev *dev, struct mlx5_modify_hdr *modify_hdr);

enum mlx5_reformat_ctx_type {
	MLX5_REFORMAT_TYPE_L2_TO_VXLAN = 0x2,	/* push data: outer Ethernet, IPv4/IPv6, UDP, VXLAN */
};

/*
 * L2_TO_VXLAN: data is the outer header as it will be sent; the device
 * fills the IP total length / payload length, the IPv4 header checksum,
 * the UDP length and the UDP source port (from a hash of the inner
 * frame's headers) on every packet, and sends the UDP checksum as zero.
 */
struct mlx5_pkt_reformat_params {
	int type;
	u8 param_0;
	u8 param_1;
	size_t size;
	const void *data;
};

struct mlx5_pkt_reformat *mlx5_packet_reformat_alloc(struct mlx5_core_dev *dev,
						     const struct mlx5_pkt_reformat_params *params,
						     enum mlx5_flow_namespace_type ns_type);
void mlx5_packet_reformat_dealloc(struct mlx5_core_dev *dev,
				  struct mlx5_pkt_reformat *reformat);

/* ---- flow counters (fs_counters.c) ---- */

/* ERR_PTR(-ENOSPC) when the device has none left */
struct mlx5_fc *mlx5_fc_create(struct mlx5_core_dev *dev, bool aging);
void mlx5_fc_destroy(struct mlx5_core_dev *dev, struct mlx5_fc *counter);
u32 mlx5_fc_id(struct mlx5_fc *counter);
/* totals, and jiffies_ms() of the last packet (0: none yet) */
void mlx5_fc_query_cached(struct mlx5_fc *counter, u64 *bytes, u64 *packets, u64 *lastuse);
/* read the counter now (the bulk query's per-counter half) */
int mlx5_fc_query(struct mlx5_core_dev *dev, struct mlx5_fc *counter, u64 *packets, u64 *bytes);

/* ---- the device (fs_core.c) ---- */

/*
 * The steering of one device (dev->priv.steering), with caps from
 * mlx5_fs_caps_default; dev->wire must be set.  The sysctls
 * mlx5.<dev->name>.<knob> show and change its caps.
 */
int mlx5_init_fs(struct mlx5_core_dev *dev);
void mlx5_cleanup_fs(struct mlx5_core_dev *dev);
extern const struct mlx5_fs_caps mlx5_fs_caps_default;
struct mlx5_fs_caps *mlx5_fs_caps(struct mlx5_core_dev *dev);
void mlx5_fs_get_stats(struct mlx5_core_dev *dev, struct mlx5_fs_stats *stats);
/* objects in use, for the dump and the memory figures */
struct mlx5_fs_usage {
	unsigned int tables, groups, ftes, modify_hdrs, pkt_reformats, counters;
	size_t bytes;			/* memory the model's objects take */
};
void mlx5_fs_get_usage(struct mlx5_core_dev *dev, struct mlx5_fs_usage *usage);

/* ---- the packet pipeline (fs_steering.c) ---- */

/*
 * A burst from src_vport's wire side enters the FDB root table with
 * reg_c_0 = source vport metadata << 16 and the other registers zero.
 * Packets the model forwards to vports are transmitted there
 * (mlx5_esw_vport_xmit) and dropped ones freed; the others are the
 * misses: they are stored in miss[] with their md[], in order, and their
 * number is returned.  The caller (the representor) owns them.
 */
int mlx5_steering_rx_burst(struct mlx5_core_dev *dev, u16 src_vport, struct sk_buff **skbs,
			   int n, struct sk_buff **miss, struct mlx5_cqe_md *md);

/* the source vport metadata the FDB sees in reg_c_0[31:16] (never 0) */
u16 mlx5_eswitch_get_vport_metadata_for_match(struct mlx5_core_dev *dev, u16 vport);

/* ---- the dump (fs_dump.c) ---- */

enum mlx5_fs_dump_format {
	MLX5_FS_DUMP_TEXT,		/* `ctoffload steering show` */
	MLX5_FS_DUMP_JSON,		/* `ctoffload steering show -j` */
	MLX5_FS_DUMP_DOT,		/* `ctoffload steering dot`: Graphviz, with counters */
};
int mlx5_fs_dump(struct mlx5_core_dev *dev, FILE *f, enum mlx5_fs_dump_format format);

#endif
