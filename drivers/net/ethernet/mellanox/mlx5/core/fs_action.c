// SPDX-License-Identifier: GPL-2.0
/*
 * Modify-header and packet-reformat objects, and what they, VLAN push/pop
 * and decap do to a packet in the pipeline.
 *
 * A modify-header object is a validated list of PRM set/add/copy actions.
 * Applied to a packet, each action reads its field (from the packet view,
 * which the parser and every rewrite keep equal to the bytes), computes
 * the new value and writes it to the bytes and the view; rewriting an
 * IPv4/IPv6 address, a port, TCP flags, the TTL or DSCP fixes the IPv4
 * header checksum and the TCP/UDP (or ICMPv6) checksum incrementally, as
 * the device does.  A field the packet does not have (a TCP port of a UDP
 * packet, the IPv4 address of an IPv6 one, L4 of a fragment) is left
 * alone.
 *
 * A packet reformat object is an L2_TO_VXLAN header template; encap
 * pushes it into the skb's headroom and fills the lengths, the IPv4
 * checksum and the UDP source port (entropy from the inner headers).
 */
#include <stdio.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/slab.h>
#include <linux/unaligned.h>
#include <net/checksum.h>
#include "fs_priv.h"

#define FS_VXLAN_SPORT_BASE	49152
#define FS_VXLAN_SPORT_RANGE	16384

/* ---- the fields ---- */

struct fs_field {
	const char *name;
	u8 width;			/* bits; 0: not a field */
};

static const struct fs_field fs_fields[] = {
	[MLX5_ACTION_IN_FIELD_OUT_SMAC_47_16]	= { "smac_47_16", 32 },
	[MLX5_ACTION_IN_FIELD_OUT_SMAC_15_0]	= { "smac_15_0", 16 },
	[MLX5_ACTION_IN_FIELD_OUT_ETHERTYPE]	= { "ethertype", 16 },
	[MLX5_ACTION_IN_FIELD_OUT_DMAC_47_16]	= { "dmac_47_16", 32 },
	[MLX5_ACTION_IN_FIELD_OUT_DMAC_15_0]	= { "dmac_15_0", 16 },
	[MLX5_ACTION_IN_FIELD_OUT_IP_DSCP]	= { "ip_dscp", 6 },
	[MLX5_ACTION_IN_FIELD_OUT_TCP_FLAGS]	= { "tcp_flags", 9 },
	[MLX5_ACTION_IN_FIELD_OUT_TCP_SPORT]	= { "tcp_sport", 16 },
	[MLX5_ACTION_IN_FIELD_OUT_TCP_DPORT]	= { "tcp_dport", 16 },
	[MLX5_ACTION_IN_FIELD_OUT_IP_TTL]	= { "ttl", 8 },
	[MLX5_ACTION_IN_FIELD_OUT_UDP_SPORT]	= { "udp_sport", 16 },
	[MLX5_ACTION_IN_FIELD_OUT_UDP_DPORT]	= { "udp_dport", 16 },
	[MLX5_ACTION_IN_FIELD_OUT_SIPV6_127_96]	= { "src_ipv6_127_96", 32 },
	[MLX5_ACTION_IN_FIELD_OUT_SIPV6_95_64]	= { "src_ipv6_95_64", 32 },
	[MLX5_ACTION_IN_FIELD_OUT_SIPV6_63_32]	= { "src_ipv6_63_32", 32 },
	[MLX5_ACTION_IN_FIELD_OUT_SIPV6_31_0]	= { "src_ipv6_31_0", 32 },
	[MLX5_ACTION_IN_FIELD_OUT_DIPV6_127_96]	= { "dst_ipv6_127_96", 32 },
	[MLX5_ACTION_IN_FIELD_OUT_DIPV6_95_64]	= { "dst_ipv6_95_64", 32 },
	[MLX5_ACTION_IN_FIELD_OUT_DIPV6_63_32]	= { "dst_ipv6_63_32", 32 },
	[MLX5_ACTION_IN_FIELD_OUT_DIPV6_31_0]	= { "dst_ipv6_31_0", 32 },
	[MLX5_ACTION_IN_FIELD_OUT_SIPV4]	= { "src_ipv4", 32 },
	[MLX5_ACTION_IN_FIELD_OUT_DIPV4]	= { "dst_ipv4", 32 },
	[MLX5_ACTION_IN_FIELD_OUT_FIRST_VID]	= { "vlan_id", 12 },
	[MLX5_ACTION_IN_FIELD_OUT_IPV6_HOPLIMIT] = { "ipv6_hoplimit", 8 },
	[MLX5_ACTION_IN_FIELD_METADATA_REG_C_0]	= { "reg_c_0", 32 },
	[MLX5_ACTION_IN_FIELD_METADATA_REG_C_1]	= { "reg_c_1", 32 },
	[MLX5_ACTION_IN_FIELD_METADATA_REG_C_2]	= { "reg_c_2", 32 },
	[MLX5_ACTION_IN_FIELD_METADATA_REG_C_3]	= { "reg_c_3", 32 },
	[MLX5_ACTION_IN_FIELD_METADATA_REG_C_4]	= { "reg_c_4", 32 },
	[MLX5_ACTION_IN_FIELD_METADATA_REG_C_5]	= { "reg_c_5", 32 },
	[MLX5_ACTION_IN_FIELD_METADATA_REG_C_6]	= { "reg_c_6", 32 },
	[MLX5_ACTION_IN_FIELD_METADATA_REG_C_7]	= { "reg_c_7", 32 },
};

unsigned int mlx5_fs_action_field_width(u8 field)
{
	return field < ARRAY_SIZE(fs_fields) ? fs_fields[field].width : 0;
}

const char *mlx5_fs_action_field_name(u8 field)
{
	return mlx5_fs_action_field_width(field) ? fs_fields[field].name : "?";
}

bool mlx5_fs_action_field_is_reg(u8 field)
{
	return field >= MLX5_ACTION_IN_FIELD_METADATA_REG_C_0 &&
	       field <= MLX5_ACTION_IN_FIELD_METADATA_REG_C_7;
}

static u32 fs_bits(unsigned int n)
{
	return n >= 32 ? 0xffffffffu : (1u << n) - 1;
}

/* ---- modify-header objects ---- */

static int fs_check_action(const struct mlx5_action_in *a)
{
	unsigned int width = mlx5_fs_action_field_width(a->field);
	unsigned int len = a->length ? a->length : 32;

	if (!width)
		return -EINVAL;
	switch (a->action_type) {
	case MLX5_ACTION_TYPE_SET:
		return a->offset + len <= width ? 0 : -EINVAL;
	case MLX5_ACTION_TYPE_ADD:
		return 0;
	case MLX5_ACTION_TYPE_COPY:
		if (!mlx5_fs_action_field_width(a->dst_field))
			return -EINVAL;
		if (a->offset + len > width ||
		    a->dst_offset + len > mlx5_fs_action_field_width(a->dst_field))
			return -EINVAL;
		return 0;
	default:
		return -EINVAL;
	}
}

static size_t fs_modify_hdr_size(unsigned int num_actions)
{
	/* at most one op per action */
	return sizeof(struct mlx5_modify_hdr) +
	       num_actions * (sizeof(struct fs_mh_op) + sizeof(struct mlx5_action_in));
}

/* all register SETs: fold them, in order, into mh->reg_keep/reg_val */
static void fs_modify_hdr_fold_regs(struct mlx5_modify_hdr *mh)
{
	unsigned int i;

	BUILD_BUG_ON(offsetof(struct mlx5_fte_match_param,
			      misc_parameters_2.metadata_reg_c) % sizeof(u64));
	for (i = 0; i < mh->num_ops; i++)
		if (mh->ops[i].type != FS_MH_REG_SET)
			return;
	memset(&mh->reg_keep, 0xff, sizeof(mh->reg_keep));
	for (i = 0; i < mh->num_ops; i++) {
		const struct fs_mh_op *op = &mh->ops[i];

		mh->reg_keep.reg_c[op->reg] &= ~op->mask;
		mh->reg_val.reg_c[op->reg] = (mh->reg_val.reg_c[op->reg] & ~op->mask) | op->val;
	}
	mh->regs_only = true;
}

/*
 * Compile the (checked) actions into mh->ops.  Adjacent SETs of one
 * register fold into one op: nothing reads the register between them.
 */
static void fs_modify_hdr_compile(struct mlx5_modify_hdr *mh)
{
	struct fs_mh_op *op = NULL;
	unsigned int i, n = 0;

	for (i = 0; i < mh->num_actions; i++) {
		const struct mlx5_action_in *a = &mh->actions[i];
		u32 len = fs_bits(a->length ? a->length : 32);
		u8 reg = a->field - MLX5_ACTION_IN_FIELD_METADATA_REG_C_0;

		if (mlx5_fs_action_field_is_reg(a->field) && a->action_type == MLX5_ACTION_TYPE_SET) {
			u32 mask = len << a->offset;
			u32 val = (a->data & len) << a->offset;

			if (op && op->type == FS_MH_REG_SET && op->reg == reg) {
				op->mask |= mask;
				op->val = (op->val & ~mask) | val;
				continue;
			}
			op = &mh->ops[n++];
			*op = (struct fs_mh_op){ .type = FS_MH_REG_SET, .reg = reg,
						 .mask = mask, .val = val };
			continue;
		} else if (mlx5_fs_action_field_is_reg(a->field) &&
			   a->action_type == MLX5_ACTION_TYPE_ADD) {
			op = &mh->ops[n++];
			*op = (struct fs_mh_op){ .type = FS_MH_REG_ADD, .reg = reg, .val = a->data };
		} else {
			op = &mh->ops[n++];
			*op = (struct fs_mh_op){ .type = FS_MH_GENERIC, .idx = i };
		}
	}
	mh->num_ops = n;
	fs_modify_hdr_fold_regs(mh);
}

struct mlx5_modify_hdr *mlx5_modify_header_alloc(struct mlx5_core_dev *dev,
						 enum mlx5_flow_namespace_type ns_type,
						 u8 num_actions, const struct mlx5_action_in *actions)
{
	struct mlx5_flow_steering *steering = mlx5_fs_steering(dev);
	struct mlx5_modify_hdr *mh;
	int i, err;

	if (!steering || ns_type != MLX5_FLOW_NAMESPACE_FDB || !num_actions || !actions)
		return ERR_PTR(-EINVAL);
	for (i = 0; i < num_actions; i++) {
		err = fs_check_action(&actions[i]);
		if (err)
			return ERR_PTR(err);
	}
	mlx5_fs_lock(steering);
	if (num_actions > READ_ONCE(steering->caps.max_modify_actions)) {
		mh = ERR_PTR(-E2BIG);
		goto out;
	}
	if (steering->nmodify_hdrs >= READ_ONCE(steering->caps.max_modify_hdr)) {
		mh = ERR_PTR(-ENOSPC);
		goto out;
	}
	mh = kzalloc(fs_modify_hdr_size(num_actions), GFP_KERNEL);
	if (!mh) {
		mh = ERR_PTR(-ENOMEM);
		goto out;
	}
	fs_obj_init(&mh->obj, steering, fs_modify_hdr_size(num_actions),
		    offsetof(struct mlx5_modify_hdr, obj));
	mh->num_actions = num_actions;
	mh->actions = (struct mlx5_action_in *)&mh->ops[num_actions];
	memcpy(mh->actions, actions, num_actions * sizeof(*actions));
	fs_modify_hdr_compile(mh);
	steering->nmodify_hdrs++;
out:
	mlx5_fs_unlock(steering);
	return mh;
}

void mlx5_modify_header_dealloc(struct mlx5_core_dev *dev, struct mlx5_modify_hdr *modify_hdr)
{
	struct mlx5_flow_steering *steering;

	if (IS_ERR_OR_NULL(modify_hdr))
		return;
	steering = modify_hdr->obj.steering;
	mlx5_fs_lock(steering);
	fs_obj_release(&modify_hdr->obj, "modify header", &steering->nmodify_hdrs);
	mlx5_fs_unlock(steering);
}

/* ---- packet reformat objects ---- */

/* outer Ethernet, IPv4 (no options) or IPv6, UDP, VXLAN with a VNI */
static int fs_check_vxlan_template(const u8 *p, size_t size, u8 *ip_version)
{
	size_t l3len;
	u16 type;

	if (size < ETH_HLEN)
		return -EINVAL;
	type = p[12] << 8 | p[13];
	if (type == ETH_P_IP) {
		l3len = 20;
		if (size != ETH_HLEN + l3len + 8 + VXLAN_HLEN || p[ETH_HLEN] != 0x45 ||
		    p[ETH_HLEN + 9] != IPPROTO_UDP)
			return -EINVAL;
		*ip_version = 4;
	} else if (type == ETH_P_IPV6) {
		l3len = 40;
		if (size != ETH_HLEN + l3len + 8 + VXLAN_HLEN || (p[ETH_HLEN] >> 4) != 6 ||
		    p[ETH_HLEN + 6] != IPPROTO_UDP)
			return -EINVAL;
		*ip_version = 6;
	} else {
		return -EINVAL;
	}
	if (!(p[ETH_HLEN + l3len + 8] & VXLAN_FLAG_VNI))
		return -EINVAL;
	return 0;
}

struct mlx5_pkt_reformat *mlx5_packet_reformat_alloc(struct mlx5_core_dev *dev,
						     const struct mlx5_pkt_reformat_params *params,
						     enum mlx5_flow_namespace_type ns_type)
{
	struct mlx5_flow_steering *steering = mlx5_fs_steering(dev);
	struct mlx5_pkt_reformat *pr;
	u8 ip_version;
	int err;

	if (!steering || !params || ns_type != MLX5_FLOW_NAMESPACE_FDB || !params->data)
		return ERR_PTR(-EINVAL);
	if (params->type != MLX5_REFORMAT_TYPE_L2_TO_VXLAN)
		return ERR_PTR(-EOPNOTSUPP);
	err = fs_check_vxlan_template(params->data, params->size, &ip_version);
	if (err)
		return ERR_PTR(err);
	mlx5_fs_lock(steering);
	if (steering->npkt_reformats >= READ_ONCE(steering->caps.max_pkt_reformat)) {
		pr = ERR_PTR(-ENOSPC);
		goto out;
	}
	pr = kzalloc(sizeof(*pr) + params->size, GFP_KERNEL);
	if (!pr) {
		pr = ERR_PTR(-ENOMEM);
		goto out;
	}
	fs_obj_init(&pr->obj, steering, sizeof(*pr) + params->size,
		    offsetof(struct mlx5_pkt_reformat, obj));
	pr->type = params->type;
	pr->size = params->size;
	pr->ip_version = ip_version;
	memcpy(pr->data, params->data, params->size);
	steering->npkt_reformats++;
out:
	mlx5_fs_unlock(steering);
	return pr;
}

void mlx5_packet_reformat_dealloc(struct mlx5_core_dev *dev, struct mlx5_pkt_reformat *reformat)
{
	struct mlx5_flow_steering *steering;

	if (IS_ERR_OR_NULL(reformat))
		return;
	steering = reformat->obj.steering;
	mlx5_fs_lock(steering);
	fs_obj_release(&reformat->obj, "packet reformat", &steering->npkt_reformats);
	mlx5_fs_unlock(steering);
}

/* ---- reading and writing packet fields ---- */

/* checksum fields may sit at any even offset: go through a local */
static void fs_csum2(u8 *csum, u16 from, u16 to, bool pseudohdr)
{
	__sum16 s;

	memcpy(&s, csum, sizeof(s));
	inet_proto_csum_replace2(&s, htons(from), htons(to), pseudohdr);
	memcpy(csum, &s, sizeof(s));
}

static void fs_csum4(u8 *csum, u32 from, u32 to, bool pseudohdr)
{
	__sum16 s;

	memcpy(&s, csum, sizeof(s));
	inet_proto_csum_replace4(&s, htonl(from), htonl(to), pseudohdr);
	memcpy(csum, &s, sizeof(s));
}

static u8 *fs_pkt_l3(const struct fs_pkt *pkt)
{
	return pkt->skb->data + pkt->l3_off;
}

static u8 *fs_pkt_l4(const struct fs_pkt *pkt)
{
	return pkt->skb->data + pkt->l4_off;
}

/* the L4 checksum that covers the given change, or NULL (none, or UDP's "no checksum") */
static u8 *fs_l4_csum(const struct fs_pkt *pkt, bool pseudohdr)
{
	u8 *l4 = fs_pkt_l4(pkt);

	if (!pkt->l4_off)
		return NULL;
	switch (pkt->l4_proto) {
	case IPPROTO_TCP:
		return l4 + 16;
	case IPPROTO_UDP:
		return get_unaligned_be16(l4 + 6) ? l4 + 6 : NULL;
	case IPPROTO_ICMPV6:
		/* ICMPv6 covers the pseudo-header, ICMP does not */
		return pseudohdr ? l4 + 2 : NULL;
	default:
		return NULL;
	}
}

/* a UDP checksum that comes out zero is sent as all ones: zero means none */
static void fs_l4_csum_fixup(const struct fs_pkt *pkt, u8 *csum)
{
	if (pkt->l4_proto == IPPROTO_UDP && !get_unaligned_be16(csum))
		put_unaligned_be16(0xffff, csum);
}

static void fs_l4_replace2(const struct fs_pkt *pkt, u16 from, u16 to, bool pseudohdr)
{
	u8 *csum = fs_l4_csum(pkt, pseudohdr);

	if (csum) {
		fs_csum2(csum, from, to, pseudohdr);
		fs_l4_csum_fixup(pkt, csum);
	}
}

static void fs_l4_replace4(const struct fs_pkt *pkt, u32 from, u32 to, bool pseudohdr)
{
	u8 *csum = fs_l4_csum(pkt, pseudohdr);

	if (csum) {
		fs_csum4(csum, from, to, pseudohdr);
		fs_l4_csum_fixup(pkt, csum);
	}
}

static bool fs_pkt_l4_is(const struct fs_pkt *pkt, u8 proto)
{
	return pkt->l4_off && pkt->l4_proto == proto;
}

/* byte offset of a 32-bit address part in the IP header, or -1 if the packet has none */
static int fs_addr_offset(const struct fs_pkt *pkt, u8 field)
{
	switch (field) {
	case MLX5_ACTION_IN_FIELD_OUT_SIPV4:
		return pkt->l3 == 4 ? 12 : -1;
	case MLX5_ACTION_IN_FIELD_OUT_DIPV4:
		return pkt->l3 == 4 ? 16 : -1;
	case MLX5_ACTION_IN_FIELD_OUT_SIPV6_127_96 ... MLX5_ACTION_IN_FIELD_OUT_SIPV6_31_0:
		return pkt->l3 == 6 ? 8 + 4 * (field - MLX5_ACTION_IN_FIELD_OUT_SIPV6_127_96) : -1;
	case MLX5_ACTION_IN_FIELD_OUT_DIPV6_127_96 ... MLX5_ACTION_IN_FIELD_OUT_DIPV6_31_0:
		return pkt->l3 == 6 ? 24 + 4 * (field - MLX5_ACTION_IN_FIELD_OUT_DIPV6_127_96) : -1;
	default:
		return -1;
	}
}

/* where the address part is in the packet view */
static u8 *fs_addr_view(struct fs_pkt *pkt, u8 field)
{
	struct mlx5_fte_match_set_lyr_2_4 *h = &pkt->m.param.outer_headers;

	switch (field) {
	case MLX5_ACTION_IN_FIELD_OUT_SIPV4:
		return h->src_ipv4_src_ipv6 + 12;
	case MLX5_ACTION_IN_FIELD_OUT_DIPV4:
		return h->dst_ipv4_dst_ipv6 + 12;
	case MLX5_ACTION_IN_FIELD_OUT_SIPV6_127_96 ... MLX5_ACTION_IN_FIELD_OUT_SIPV6_31_0:
		return h->src_ipv4_src_ipv6 + 4 * (field - MLX5_ACTION_IN_FIELD_OUT_SIPV6_127_96);
	default:
		return h->dst_ipv4_dst_ipv6 + 4 * (field - MLX5_ACTION_IN_FIELD_OUT_DIPV6_127_96);
	}
}

static u8 fs_ipv6_tclass(const u8 *ip6)
{
	return (ip6[0] & 0x0f) << 4 | ip6[1] >> 4;
}

/* the field's value, false if the packet does not have it */
static bool fs_field_get(struct fs_pkt *pkt, u8 field, u32 *val)
{
	struct mlx5_fte_match_param *m = &pkt->m.param;
	const u8 *d = pkt->skb->data;
	int off;

	switch (field) {
	case MLX5_ACTION_IN_FIELD_METADATA_REG_C_0 ... MLX5_ACTION_IN_FIELD_METADATA_REG_C_7:
		*val = m->misc_parameters_2.metadata_reg_c[field - MLX5_ACTION_IN_FIELD_METADATA_REG_C_0];
		return true;
	case MLX5_ACTION_IN_FIELD_OUT_DMAC_47_16:
		*val = get_unaligned_be32(d);
		return pkt->skb->len >= ETH_HLEN;
	case MLX5_ACTION_IN_FIELD_OUT_DMAC_15_0:
		*val = get_unaligned_be16(d + 4);
		return pkt->skb->len >= ETH_HLEN;
	case MLX5_ACTION_IN_FIELD_OUT_SMAC_47_16:
		*val = get_unaligned_be32(d + 6);
		return pkt->skb->len >= ETH_HLEN;
	case MLX5_ACTION_IN_FIELD_OUT_SMAC_15_0:
		*val = get_unaligned_be16(d + 10);
		return pkt->skb->len >= ETH_HLEN;
	case MLX5_ACTION_IN_FIELD_OUT_ETHERTYPE:
		*val = m->outer_headers.ethertype;
		return pkt->skb->len >= ETH_HLEN;
	case MLX5_ACTION_IN_FIELD_OUT_FIRST_VID:
		*val = m->outer_headers.first_vid;
		return m->outer_headers.cvlan_tag;
	case MLX5_ACTION_IN_FIELD_OUT_IP_DSCP:
		*val = m->outer_headers.ip_dscp;
		return pkt->l3;
	case MLX5_ACTION_IN_FIELD_OUT_IP_TTL:
		*val = m->outer_headers.ttl_hoplimit;
		return pkt->l3 == 4;
	case MLX5_ACTION_IN_FIELD_OUT_IPV6_HOPLIMIT:
		*val = m->outer_headers.ttl_hoplimit;
		return pkt->l3 == 6;
	case MLX5_ACTION_IN_FIELD_OUT_TCP_FLAGS:
		*val = m->outer_headers.tcp_flags;
		return fs_pkt_l4_is(pkt, IPPROTO_TCP);
	case MLX5_ACTION_IN_FIELD_OUT_TCP_SPORT:
		*val = m->outer_headers.tcp_sport;
		return fs_pkt_l4_is(pkt, IPPROTO_TCP);
	case MLX5_ACTION_IN_FIELD_OUT_TCP_DPORT:
		*val = m->outer_headers.tcp_dport;
		return fs_pkt_l4_is(pkt, IPPROTO_TCP);
	case MLX5_ACTION_IN_FIELD_OUT_UDP_SPORT:
		*val = m->outer_headers.udp_sport;
		return fs_pkt_l4_is(pkt, IPPROTO_UDP);
	case MLX5_ACTION_IN_FIELD_OUT_UDP_DPORT:
		*val = m->outer_headers.udp_dport;
		return fs_pkt_l4_is(pkt, IPPROTO_UDP);
	default:
		off = fs_addr_offset(pkt, field);
		if (off < 0)
			return false;
		*val = get_unaligned_be32(fs_pkt_l3(pkt) + off);
		return true;
	}
}

static void fs_set_dscp(struct fs_pkt *pkt, u8 dscp)
{
	u8 *ip = fs_pkt_l3(pkt);

	if (pkt->l3 == 4) {
		u16 old = get_unaligned_be16(ip);

		ip[1] = dscp << 2 | (ip[1] & 0x3);
		fs_csum2(ip + 10, old, get_unaligned_be16(ip), false);
	} else {
		u8 tclass = dscp << 2 | (fs_ipv6_tclass(ip) & 0x3);

		ip[0] = (ip[0] & 0xf0) | tclass >> 4;
		ip[1] = (ip[1] & 0x0f) | (tclass & 0x0f) << 4;
	}
	pkt->m.param.outer_headers.ip_dscp = dscp;
}

static void fs_set_addr(struct fs_pkt *pkt, u8 field, u32 val)
{
	u8 *p = fs_pkt_l3(pkt) + fs_addr_offset(pkt, field);
	u32 old = get_unaligned_be32(p);

	put_unaligned_be32(val, p);
	put_unaligned_be32(val, fs_addr_view(pkt, field));
	if (pkt->l3 == 4)
		fs_csum4(fs_pkt_l3(pkt) + 10, old, val, false);
	fs_l4_replace4(pkt, old, val, true);
}

static void fs_set_port(struct fs_pkt *pkt, unsigned int off, u16 *view, u16 val)
{
	u8 *p = fs_pkt_l4(pkt) + off;
	u16 old = get_unaligned_be16(p);

	put_unaligned_be16(val, p);
	*view = val;
	fs_l4_replace2(pkt, old, val, false);
}

/* write a field the packet has (fs_field_get() said so); val fits its width */
static void fs_field_set(struct fs_pkt *pkt, u8 field, u32 val)
{
	struct mlx5_fte_match_set_lyr_2_4 *h = &pkt->m.param.outer_headers;
	u8 *d = pkt->skb->data, *p;
	u16 old;

	switch (field) {
	case MLX5_ACTION_IN_FIELD_METADATA_REG_C_0 ... MLX5_ACTION_IN_FIELD_METADATA_REG_C_7:
		pkt->m.param.misc_parameters_2.metadata_reg_c[field - MLX5_ACTION_IN_FIELD_METADATA_REG_C_0] = val;
		return;
	case MLX5_ACTION_IN_FIELD_OUT_DMAC_47_16:
		put_unaligned_be32(val, d);
		memcpy(h->dmac, d, 4);
		return;
	case MLX5_ACTION_IN_FIELD_OUT_DMAC_15_0:
		put_unaligned_be16(val, d + 4);
		memcpy(h->dmac + 4, d + 4, 2);
		return;
	case MLX5_ACTION_IN_FIELD_OUT_SMAC_47_16:
		put_unaligned_be32(val, d + 6);
		memcpy(h->smac, d + 6, 4);
		return;
	case MLX5_ACTION_IN_FIELD_OUT_SMAC_15_0:
		put_unaligned_be16(val, d + 10);
		memcpy(h->smac + 4, d + 10, 2);
		return;
	case MLX5_ACTION_IN_FIELD_OUT_ETHERTYPE:
		put_unaligned_be16(val, d + (h->cvlan_tag ? 16 : 12));
		h->ethertype = val;
		if (!h->cvlan_tag)
			pkt->skb->protocol = htons(val);
		return;
	case MLX5_ACTION_IN_FIELD_OUT_FIRST_VID:
		put_unaligned_be16((get_unaligned_be16(d + 14) & 0xf000) | val, d + 14);
		h->first_vid = val;
		return;
	case MLX5_ACTION_IN_FIELD_OUT_IP_DSCP:
		fs_set_dscp(pkt, val);
		return;
	case MLX5_ACTION_IN_FIELD_OUT_IP_TTL:
		p = fs_pkt_l3(pkt) + 8;
		old = get_unaligned_be16(p);
		p[0] = val;
		fs_csum2(fs_pkt_l3(pkt) + 10, old, get_unaligned_be16(p), false);
		h->ttl_hoplimit = val;
		return;
	case MLX5_ACTION_IN_FIELD_OUT_IPV6_HOPLIMIT:
		fs_pkt_l3(pkt)[7] = val;
		h->ttl_hoplimit = val;
		return;
	case MLX5_ACTION_IN_FIELD_OUT_TCP_FLAGS:
		p = fs_pkt_l4(pkt) + 12;
		old = get_unaligned_be16(p);
		put_unaligned_be16((old & ~0x1ff) | val, p);
		fs_l4_replace2(pkt, old, get_unaligned_be16(p), false);
		h->tcp_flags = val;
		return;
	case MLX5_ACTION_IN_FIELD_OUT_TCP_SPORT:
		fs_set_port(pkt, 0, &h->tcp_sport, val);
		return;
	case MLX5_ACTION_IN_FIELD_OUT_TCP_DPORT:
		fs_set_port(pkt, 2, &h->tcp_dport, val);
		return;
	case MLX5_ACTION_IN_FIELD_OUT_UDP_SPORT:
		fs_set_port(pkt, 0, &h->udp_sport, val);
		return;
	case MLX5_ACTION_IN_FIELD_OUT_UDP_DPORT:
		fs_set_port(pkt, 2, &h->udp_dport, val);
		return;
	default:
		fs_set_addr(pkt, field, val);
		return;
	}
}

static void fs_apply_action(struct fs_pkt *pkt, const struct mlx5_action_in *a)
{
	u32 width = fs_bits(fs_fields[a->field].width);
	u32 len = fs_bits(a->length ? a->length : 32);
	u32 old, val, src;

	if (!fs_field_get(pkt, a->field, &old))
		return;
	switch (a->action_type) {
	case MLX5_ACTION_TYPE_SET:
		val = (old & ~(len << a->offset)) | (a->data & len) << a->offset;
		break;
	case MLX5_ACTION_TYPE_ADD:
		val = (old + a->data) & width;
		break;
	default:	/* COPY: field is the source */
		src = old >> a->offset & len;
		if (!fs_field_get(pkt, a->dst_field, &old))
			return;
		val = (old & ~(len << a->dst_offset)) | src << a->dst_offset;
		if (old != val)
			fs_field_set(pkt, a->dst_field, val);
		return;
	}
	if (old != val)
		fs_field_set(pkt, a->field, val);
}

/* one action in its PRM form (mlx5_fs_apply_modify_hdr() does registers itself) */
void mlx5_fs_apply_action(struct fs_pkt *pkt, const struct mlx5_action_in *a)
{
	fs_apply_action(pkt, a);
}

/* ---- encap, decap, VLAN ---- */

/* UDP source port entropy: the inner frame's addresses and ports */
static u16 fs_vxlan_sport(const struct fs_pkt *pkt)
{
	const struct mlx5_fte_match_set_lyr_2_4 *h = &pkt->m.param.outer_headers;
	struct {
		u8 mac[2 * ETH_ALEN];
		u16 ethertype;
		u16 sport, dport;
		u8 ip_proto;
		u8 pad;
		u8 addr[32];
	} in;

	memcpy(in.mac, h->smac, 2 * ETH_ALEN);
	in.ethertype = h->ethertype;
	in.sport = h->tcp_sport | h->udp_sport;
	in.dport = h->tcp_dport | h->udp_dport;
	in.ip_proto = h->ip_protocol;
	in.pad = 0;
	memcpy(in.addr, h->src_ipv4_src_ipv6, 16);
	memcpy(in.addr + 16, h->dst_ipv4_dst_ipv6, 16);
	return FS_VXLAN_SPORT_BASE + XXH3_64bits(&in, sizeof(in)) % FS_VXLAN_SPORT_RANGE;
}

/*
 * IPv4's outer UDP checksum stays 0 (allowed, and what receivers expect
 * of VXLAN); IPv6 forbids 0 unless the receiver opts in
 * (udp6zerocsumrx), so the device computes it over the whole datagram.
 */
static void fs_udp6_csum(const u8 *ip6, u8 *udp, u32 len)
{
	__wsum sum = csum_partial(ip6 + 8, 32, 0);
	__be32 tail[2] = { htonl(len), htonl(IPPROTO_UDP) };
	__sum16 csum;

	sum = csum_partial(tail, sizeof(tail), sum);
	csum = csum_fold(csum_partial(udp, len, sum));
	if (!csum)
		csum = 0xffff;
	memcpy(udp + 6, &csum, sizeof(csum));
}

bool mlx5_fs_apply_reformat(struct fs_pkt *pkt, const struct mlx5_pkt_reformat *pr)
{
	struct sk_buff *skb = pkt->skb;
	unsigned int inner_len = skb->len;
	u16 sport = fs_vxlan_sport(pkt);
	u8 *p, *ip, *udp;
	__sum16 csum;

	if (skb_headroom(skb) < pr->size)
		return false;
	p = skb_push(skb, pr->size);
	memcpy(p, pr->data, pr->size);
	ip = p + ETH_HLEN;
	if (pr->ip_version == 4) {
		udp = ip + 20;
		put_unaligned_be16(pr->size - ETH_HLEN + inner_len, ip + 2);
		put_unaligned_be16(0, ip + 10);
		csum = ip_fast_csum(ip, 5);
		memcpy(ip + 10, &csum, sizeof(csum));
	} else {
		udp = ip + 40;
		put_unaligned_be16(8 + VXLAN_HLEN + inner_len, ip + 4);
	}
	put_unaligned_be16(sport, udp);
	put_unaligned_be16(8 + VXLAN_HLEN + inner_len, udp + 4);
	put_unaligned_be16(0, udp + 6);
	if (pr->ip_version == 6)
		fs_udp6_csum(ip, udp, 8 + VXLAN_HLEN + inner_len);
	mlx5_fs_parse(pkt);
	return true;
}

void mlx5_fs_apply_decap(struct fs_pkt *pkt)
{
	if (!pkt->inner_off)
		return;
	skb_pull(pkt->skb, pkt->inner_off);
	mlx5_fs_parse(pkt);
}

void mlx5_fs_apply_vlan_pop(struct fs_pkt *pkt)
{
	u8 *d = pkt->skb->data;

	if (!pkt->m.param.outer_headers.cvlan_tag)
		return;
	memmove(d + VLAN_HLEN, d, 2 * ETH_ALEN);
	skb_pull(pkt->skb, VLAN_HLEN);
	mlx5_fs_parse(pkt);
}

bool mlx5_fs_apply_vlan_push(struct fs_pkt *pkt, const struct mlx5_fs_vlan *vlan)
{
	struct sk_buff *skb = pkt->skb;
	u8 *d;

	if (skb_headroom(skb) < VLAN_HLEN || skb->len < ETH_HLEN)
		return false;
	d = skb_push(skb, VLAN_HLEN);
	memmove(d, d + VLAN_HLEN, 2 * ETH_ALEN);
	memcpy(d + 12, &vlan->ethtype, 2);
	put_unaligned_be16(vlan->prio << 13 | vlan->vid, d + 14);
	mlx5_fs_parse(pkt);
	return true;
}
