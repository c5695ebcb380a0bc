// SPDX-License-Identifier: GPL-2.0
/*
 * The steering dump behind `ctoffload steering show` (text, or JSON with
 * -j) and `ctoffload steering dot` (Graphviz): every table in (prio,
 * level) order with where its misses go, its groups and their criteria,
 * each FTE's match as readable "field=value[/mask]", its actions and its
 * counter, then the device's statistics and usage.
 *
 * Runs under the steering lock, so it sees one consistent state; it is
 * a control path and allocates freely (strings, FTE lists).
 */
#include <stdio.h>
#include <stdlib.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/slab.h>
#include <net/ctoffload.h>
#include <net/protocol.h>
#include "fs_priv.h"

/* ---- match fields ---- */

enum fs_fmt {
	FS_FMT_DEC,
	FS_FMT_HEX,
	FS_FMT_HEX32,			/* registers: all eight digits */
	FS_FMT_MAC,
	FS_FMT_ETHERTYPE,
	FS_FMT_PROTO,
	FS_FMT_IP,
};

struct fs_field_desc {
	const char *name;
	u16 offset;			/* in the match set */
	u8 size;			/* bytes */
	u8 fmt;				/* enum fs_fmt */
	u32 full;			/* the mask that means "exactly", for numbers */
};

#define L24(f)	offsetof(struct mlx5_fte_match_set_lyr_2_4, f), \
		sizeof(((struct mlx5_fte_match_set_lyr_2_4 *)0)->f)

static const struct fs_field_desc fs_l2_4_fields[] = {
	{ "smac", L24(smac), FS_FMT_MAC, 0 },
	{ "dmac", L24(dmac), FS_FMT_MAC, 0 },
	{ "ethertype", L24(ethertype), FS_FMT_ETHERTYPE, 0xffff },
	{ "vlan_tag", L24(cvlan_tag), FS_FMT_DEC, 1 },
	{ "vlan_id", L24(first_vid), FS_FMT_DEC, 0xfff },
	{ "vlan_prio", L24(first_prio), FS_FMT_DEC, 7 },
	{ "ip_version", L24(ip_version), FS_FMT_DEC, 0xff },
	{ "ip_proto", L24(ip_protocol), FS_FMT_PROTO, 0xff },
	{ "ip_dscp", L24(ip_dscp), FS_FMT_DEC, 0x3f },
	{ "ip_ecn", L24(ip_ecn), FS_FMT_DEC, 3 },
	{ "ttl", L24(ttl_hoplimit), FS_FMT_DEC, 0xff },
	{ "frag", L24(frag), FS_FMT_DEC, 1 },
	{ "tcp_flags", L24(tcp_flags), FS_FMT_HEX, 0x1ff },
	{ "tcp_sport", L24(tcp_sport), FS_FMT_DEC, 0xffff },
	{ "tcp_dport", L24(tcp_dport), FS_FMT_DEC, 0xffff },
	{ "udp_sport", L24(udp_sport), FS_FMT_DEC, 0xffff },
	{ "udp_dport", L24(udp_dport), FS_FMT_DEC, 0xffff },
	{ "src_ip", L24(src_ipv4_src_ipv6), FS_FMT_IP, 0 },
	{ "dst_ip", L24(dst_ipv4_dst_ipv6), FS_FMT_IP, 0 },
};

#define MP(f)	offsetof(struct mlx5_fte_match_param, f), \
		sizeof(((struct mlx5_fte_match_param *)0)->f)

static const struct fs_field_desc fs_misc_fields[] = {
	{ "source_port", MP(misc_parameters.source_port), FS_FMT_DEC, 0xffff },
	{ "vni", MP(misc_parameters.vxlan_vni), FS_FMT_DEC, 0xffffff },
	{ "reg_c_0", MP(misc_parameters_2.metadata_reg_c[0]), FS_FMT_HEX32, 0xffffffff },
	{ "reg_c_1", MP(misc_parameters_2.metadata_reg_c[1]), FS_FMT_HEX32, 0xffffffff },
	{ "reg_c_2", MP(misc_parameters_2.metadata_reg_c[2]), FS_FMT_HEX32, 0xffffffff },
	{ "reg_c_3", MP(misc_parameters_2.metadata_reg_c[3]), FS_FMT_HEX32, 0xffffffff },
	{ "reg_c_4", MP(misc_parameters_2.metadata_reg_c[4]), FS_FMT_HEX32, 0xffffffff },
	{ "reg_c_5", MP(misc_parameters_2.metadata_reg_c[5]), FS_FMT_HEX32, 0xffffffff },
	{ "reg_c_6", MP(misc_parameters_2.metadata_reg_c[6]), FS_FMT_HEX32, 0xffffffff },
	{ "reg_c_7", MP(misc_parameters_2.metadata_reg_c[7]), FS_FMT_HEX32, 0xffffffff },
	{ "icmp_type", MP(misc_parameters_3.icmp_type), FS_FMT_DEC, 0xff },
	{ "icmp_code", MP(misc_parameters_3.icmp_code), FS_FMT_DEC, 0xff },
};

static u32 fs_read_num(const u8 *p, unsigned int size)
{
	u32 v32;
	u16 v16;

	switch (size) {
	case 1:
		return *p;
	case 2:
		memcpy(&v16, p, 2);
		return v16;
	default:
		memcpy(&v32, p, 4);
		return v32;
	}
}

static bool fs_is_zero(const u8 *p, unsigned int size)
{
	while (size--)
		if (*p++)
			return false;
	return true;
}

static void fs_print_mac(FILE *f, const u8 *m)
{
	fprintf(f, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

/* IPv4 when the header says so, or when only the IPv4 part is used */
static bool fs_hdr_is_ipv4(const struct mlx5_fte_match_set_lyr_2_4 *v,
			   const struct mlx5_fte_match_set_lyr_2_4 *m)
{
	if (m->ip_version)
		return v->ip_version == 4;
	if (m->ethertype)
		return v->ethertype == ETH_P_IP;
	return fs_is_zero(m->src_ipv4_src_ipv6, 12) && fs_is_zero(m->dst_ipv4_dst_ipv6, 12);
}

static int fs_prefix_len(const u8 *mask, unsigned int size)
{
	unsigned int i, bits = 0;

	for (i = 0; i < size * 8; i++) {
		if (!(mask[i / 8] & (0x80 >> (i % 8))))
			break;
		bits++;
	}
	for (; i < size * 8; i++)
		if (mask[i / 8] & (0x80 >> (i % 8)))
			return -1;
	return bits;
}

static void fs_print_ip(FILE *f, const u8 *v, const u8 *m, bool ipv4)
{
	char buf[INET6_ADDRSTRLEN];
	unsigned int size = ipv4 ? 4 : 16;
	int plen;

	if (ipv4) {
		v += 12;
		m += 12;
	}
	inet_ntop(ipv4 ? AF_INET : AF_INET6, v, buf, sizeof(buf));
	fputs(buf, f);
	plen = fs_prefix_len(m, size);
	if (plen == (int)size * 8)
		return;
	if (plen >= 0) {
		fprintf(f, "/%d", plen);
	} else {
		inet_ntop(ipv4 ? AF_INET : AF_INET6, m, buf, sizeof(buf));
		fprintf(f, "/%s", buf);
	}
}

static void fs_print_num(FILE *f, u32 v, enum fs_fmt fmt)
{
	const char *name;

	switch (fmt) {
	case FS_FMT_HEX32:
		fprintf(f, "0x%08x", v);
		break;
	case FS_FMT_HEX:
		fprintf(f, "0x%x", v);
		break;
	case FS_FMT_ETHERTYPE:
		fprintf(f, "0x%04x", v);
		break;
	case FS_FMT_PROTO:
		name = inet_proto_name(v);
		if (name)
			fputs(name, f);
		else
			fprintf(f, "%u", v);
		break;
	default:
		fprintf(f, "%u", v);
		break;
	}
}

static void fs_print_value(FILE *f, const struct fs_field_desc *d, const u8 *v, const u8 *m,
			   bool ipv4)
{
	u32 mask;

	switch (d->fmt) {
	case FS_FMT_MAC:
		fs_print_mac(f, v);
		if (memcmp(m, "\xff\xff\xff\xff\xff\xff", ETH_ALEN)) {
			fputc('/', f);
			fs_print_mac(f, m);
		}
		return;
	case FS_FMT_IP:
		fs_print_ip(f, v, m, ipv4);
		return;
	default:
		fs_print_num(f, fs_read_num(v, d->size), d->fmt);
		mask = fs_read_num(m, d->size);
		if (mask != d->full) {
			fputc('/', f);
			fs_print_num(f, mask, d->fmt == FS_FMT_PROTO ? FS_FMT_HEX : d->fmt);
		}
	}
}

/* called for each field the mask uses; value is "value[/mask]" */
typedef void (*fs_field_fn)(void *arg, const char *name, const char *value);

static void fs_field_emit(fs_field_fn fn, void *arg, const char *prefix,
			  const struct fs_field_desc *d, const u8 *v, const u8 *m, bool ipv4)
{
	char name[48], *value = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&value, &len);

	if (!f)
		return;
	fs_print_value(f, d, v, m, ipv4);
	fclose(f);
	snprintf(name, sizeof(name), "%s%s", prefix, d->name);
	fn(arg, name, value);
	free(value);
}

static void fs_for_each_l2_4(const struct mlx5_fte_match_set_lyr_2_4 *v,
			     const struct mlx5_fte_match_set_lyr_2_4 *m, const char *prefix,
			     fs_field_fn fn, void *arg)
{
	bool ipv4 = fs_hdr_is_ipv4(v, m);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(fs_l2_4_fields); i++) {
		const struct fs_field_desc *d = &fs_l2_4_fields[i];

		if (fs_is_zero((const u8 *)m + d->offset, d->size))
			continue;
		fs_field_emit(fn, arg, prefix, d, (const u8 *)v + d->offset,
			      (const u8 *)m + d->offset, ipv4);
	}
}

static void fs_for_each_field(const union mlx5_fs_match *value, const union mlx5_fs_match *mask,
			      fs_field_fn fn, void *arg)
{
	const struct mlx5_fte_match_param *v = &value->param, *m = &mask->param;
	unsigned int i;

	fs_for_each_l2_4(&v->outer_headers, &m->outer_headers, "", fn, arg);
	for (i = 0; i < ARRAY_SIZE(fs_misc_fields); i++) {
		const struct fs_field_desc *d = &fs_misc_fields[i];

		if (fs_is_zero((const u8 *)m + d->offset, d->size))
			continue;
		fs_field_emit(fn, arg, "", d, (const u8 *)v + d->offset,
			      (const u8 *)m + d->offset, false);
	}
	fs_for_each_l2_4(&v->inner_headers, &m->inner_headers, "inner_", fn, arg);
}

/* ---- actions ---- */

static const char *fs_vport_name(u16 vport, char *buf, size_t size)
{
	if (vport == MLX5_VPORT_UPLINK)
		return "uplink";
	if (vport == MLX5_VPORT_MANAGER)
		return "software";
	snprintf(buf, size, "vport %u", vport);
	return buf;
}

static bool fs_field_is_addr(u8 field)
{
	return field == MLX5_ACTION_IN_FIELD_OUT_SIPV4 || field == MLX5_ACTION_IN_FIELD_OUT_DIPV4;
}

static bool fs_field_is_decimal(u8 field)
{
	switch (field) {
	case MLX5_ACTION_IN_FIELD_OUT_TCP_SPORT:
	case MLX5_ACTION_IN_FIELD_OUT_TCP_DPORT:
	case MLX5_ACTION_IN_FIELD_OUT_UDP_SPORT:
	case MLX5_ACTION_IN_FIELD_OUT_UDP_DPORT:
	case MLX5_ACTION_IN_FIELD_OUT_IP_TTL:
	case MLX5_ACTION_IN_FIELD_OUT_IPV6_HOPLIMIT:
	case MLX5_ACTION_IN_FIELD_OUT_IP_DSCP:
	case MLX5_ACTION_IN_FIELD_OUT_FIRST_VID:
		return true;
	default:
		return false;
	}
}

/* "set reg_c_2[0:16]=0x5" ([offset:length]), "set src_ipv4=10.0.0.1", "add ttl+=255", "copy ..." */
static void fs_print_mod_action(FILE *f, const struct mlx5_action_in *a)
{
	unsigned int width = mlx5_fs_action_field_width(a->field);
	unsigned int len = a->length ? a->length : 32;
	const char *name = mlx5_fs_action_field_name(a->field);
	bool whole = !a->offset && len >= width;
	u32 data = a->data;

	switch (a->action_type) {
	case MLX5_ACTION_TYPE_SET:
		if (whole)
			fprintf(f, "set %s=", name);
		else
			fprintf(f, "set %s[%u:%u]=", name, a->offset, len);
		if (whole && fs_field_is_addr(a->field)) {
			struct in_addr addr = { .s_addr = htonl(data) };

			fputs(inet_ntoa(addr), f);
		} else if (fs_field_is_decimal(a->field)) {
			fprintf(f, "%u", data & (len >= 32 ? ~0u : (1u << len) - 1));
		} else {
			fprintf(f, "0x%x", data & (len >= 32 ? ~0u : (1u << len) - 1));
		}
		break;
	case MLX5_ACTION_TYPE_ADD:
		fprintf(f, "add %s+=%u", name, data);
		break;
	default:
		fprintf(f, "copy %s[%u:%u] to %s[%u:%u]", name, a->offset, len,
			mlx5_fs_action_field_name(a->dst_field), a->dst_offset, len);
		break;
	}
}

static void fs_print_encap(FILE *f, const struct mlx5_pkt_reformat *pr)
{
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	const u8 *ip = pr->data + ETH_HLEN;
	const u8 *udp = ip + (pr->ip_version == 4 ? 20 : 40);
	const u8 *vx = udp + 8;

	if (pr->ip_version == 4) {
		inet_ntop(AF_INET, ip + 12, src, sizeof(src));
		inet_ntop(AF_INET, ip + 16, dst, sizeof(dst));
	} else {
		inet_ntop(AF_INET6, ip + 8, src, sizeof(src));
		inet_ntop(AF_INET6, ip + 24, dst, sizeof(dst));
	}
	fprintf(f, "encap vxlan vni %u src %s dst %s dport %u",
		vx[4] << 16 | vx[5] << 8 | vx[6], src, dst, udp[2] << 8 | udp[3]);
}

typedef void (*fs_action_fn)(void *arg, const char *action);

static void fs_action_emit(fs_action_fn fn, void *arg, char *s)
{
	fn(arg, s);
	free(s);
}

#define FS_EMIT(fn, arg, ...) do {				\
		char *__s = NULL;				\
								\
		if (asprintf(&__s, __VA_ARGS__) >= 0)		\
			fs_action_emit(fn, arg, __s);		\
	} while (0)

static void fs_for_each_action(const struct fs_fte *fte, fs_action_fn fn, void *arg)
{
	char vbuf[16], *s;
	size_t len;
	FILE *f;
	int i;

	if (fte->action & MLX5_FLOW_CONTEXT_ACTION_DECAP)
		fn(arg, "decap");
	if (fte->action & MLX5_FLOW_CONTEXT_ACTION_VLAN_POP)
		fn(arg, "vlan_pop");
	for (i = 0; fte->modify_hdr && i < fte->modify_hdr->num_actions; i++) {
		s = NULL;
		f = open_memstream(&s, &len);
		if (!f)
			continue;
		fs_print_mod_action(f, &fte->modify_hdr->actions[i]);
		fclose(f);
		fs_action_emit(fn, arg, s);
	}
	if (fte->action & MLX5_FLOW_CONTEXT_ACTION_VLAN_PUSH)
		FS_EMIT(fn, arg, "vlan_push id %u prio %u", fte->ext->vlan.vid, fte->ext->vlan.prio);
	if (fte->action & MLX5_FLOW_CONTEXT_ACTION_PACKET_REFORMAT) {
		s = NULL;
		f = open_memstream(&s, &len);
		if (f) {
			fs_print_encap(f, fte->ext->pkt_reformat);
			fclose(f);
			fs_action_emit(fn, arg, s);
		}
	}
	switch (fte->dest) {
	case FS_DEST_NONE:
		fn(arg, "drop");
		break;
	case FS_DEST_TABLE:
		FS_EMIT(fn, arg, "fwd table \"%s\"", fte->dest_ft->name);
		break;
	case FS_DEST_VPORT:
		FS_EMIT(fn, arg, "fwd %s", fs_vport_name(fte->dest_vport, vbuf, sizeof(vbuf)));
		break;
	case FS_DEST_VPORTS:
		for (i = 0; i < fte->ext->num_vports; i++) {
			s = NULL;
			f = open_memstream(&s, &len);
			if (!f)
				continue;
			fprintf(f, "fwd %s", fs_vport_name(fte->ext->vports[i].num, vbuf, sizeof(vbuf)));
			if (fte->ext->vports[i].pkt_reformat) {
				fputs(" (", f);
				fs_print_encap(f, fte->ext->vports[i].pkt_reformat);
				fputc(')', f);
			}
			fclose(f);
			fs_action_emit(fn, arg, s);
		}
		break;
	}
}

/* ---- text ---- */

struct fs_text {
	FILE *f;
	bool first;
};

static void fs_text_field(void *arg, const char *name, const char *value)
{
	struct fs_text *t = arg;

	fprintf(t->f, "%s%s=%s", t->first ? "" : " ", name, value);
	t->first = false;
}

static void fs_text_name(void *arg, const char *name, const char *value)
{
	struct fs_text *t = arg;

	fprintf(t->f, "%s%s", t->first ? "" : " ", name);
	t->first = false;
}

static void fs_text_action(void *arg, const char *action)
{
	struct fs_text *t = arg;

	fprintf(t->f, "%s%s", t->first ? "" : ", ", action);
	t->first = false;
}

static void fs_miss_text(FILE *f, const struct mlx5_flow_table *ft)
{
	const struct mlx5_flow_table *miss = ft->miss;

	if (miss)
		fprintf(f, "table \"%s\"", miss->name);
	else
		fputs("software", f);
}

static void fs_text_fte(FILE *f, const struct fs_fte *fte)
{
	struct fs_text t = { .f = f, .first = true };
	union mlx5_fs_match value;
	u64 packets, bytes, lastuse;

	mlx5_fs_fte_match(fte, &value);
	fprintf(f, "    fte %u: match ", fte->seq);
	fs_for_each_field(&value, &fte->fg->criteria, fs_text_field, &t);
	if (t.first)
		fputs("any", f);
	fputs(" actions ", f);
	t.first = true;
	fs_for_each_action(fte, fs_text_action, &t);
	if (fte->counter) {
		mlx5_fc_query_cached(fte->counter, &bytes, &packets, &lastuse);
		fprintf(f, " counter %u packets %llu bytes %llu", fte->counter->obj.id,
			(unsigned long long)packets, (unsigned long long)bytes);
	}
	fputc('\n', f);
}

static void fs_text_group(FILE *f, struct mlx5_flow_group *fg)
{
	struct fs_text t = { .f = f, .first = true };
	struct fs_fte **ftes;
	int i, n;

	fprintf(f, "  group %u [%u-%u]%s ftes %u criteria ", fg->id, fg->start, fg->end,
		fg->autogroup ? " auto" : "", fg->nftes);
	fs_for_each_field(&fg->criteria, &fg->criteria, fs_text_name, &t);
	if (t.first)
		fputs("none", f);
	fputc('\n', f);
	n = mlx5_fs_group_ftes(fg, &ftes);
	for (i = 0; i < n; i++)
		fs_text_fte(f, ftes[i]);
	if (n >= 0)
		kfree(ftes);
}

static void fs_dump_text(struct mlx5_flow_steering *steering, FILE *f)
{
	struct mlx5_flow_table *ft;
	struct mlx5_flow_group *fg;

	list_for_each_entry(ft, &steering->fdb.tables, list) {
		fprintf(f, "table \"%s\" id %u prio %d level %u %s%s ftes %u/%u miss ", ft->name,
			ft->id, ft->prio, ft->level,
			mlx5_fs_table_managed(ft) ? "managed" : "unmanaged",
			ft == steering->root ? " root" : "", ft->nftes, ft->max_fte);
		fs_miss_text(f, ft);
		fputc('\n', f);
		list_for_each_entry(fg, &ft->groups, list)
			fs_text_group(f, fg);
	}
}

static void fs_dump_totals_text(FILE *f, const struct mlx5_fs_stats *s,
				const struct mlx5_fs_usage *u)
{
	fprintf(f, "stats: rx_packets %llu hw_forwarded %llu hw_dropped %llu miss_to_sw %llu loop_dropped %llu fte_inserted %llu fte_deleted %llu fte_insert_failed %llu\n",
		(unsigned long long)s->rx_packets, (unsigned long long)s->hw_forwarded,
		(unsigned long long)s->hw_dropped, (unsigned long long)s->miss_to_sw,
		(unsigned long long)s->loop_dropped, (unsigned long long)s->fte_inserted,
		(unsigned long long)s->fte_deleted, (unsigned long long)s->fte_insert_failed);
	fprintf(f, "usage: tables %u groups %u ftes %u modify_hdrs %u pkt_reformats %u counters %u bytes %zu\n",
		u->tables, u->groups, u->ftes, u->modify_hdrs, u->pkt_reformats, u->counters,
		u->bytes);
}

/* ---- JSON ---- */

struct fs_json {
	FILE *f;
	bool first;
};

static void fs_json_field(void *arg, const char *name, const char *value)
{
	struct fs_json *j = arg;

	if (!j->first)
		fputc(',', j->f);
	ctoffload_json_str(j->f, name);
	fputc(':', j->f);
	ctoffload_json_str(j->f, value);
	j->first = false;
}

static void fs_json_name(void *arg, const char *name, const char *value)
{
	struct fs_json *j = arg;

	if (!j->first)
		fputc(',', j->f);
	ctoffload_json_str(j->f, name);
	j->first = false;
}

static void fs_json_action(void *arg, const char *action)
{
	fs_json_name(arg, action, NULL);
}

/* `ctoffload trace` (fs_steering.c): the FTE's actions as the JSON dump lists them */
char *mlx5_fs_fte_actions_json(const struct fs_fte *fte)
{
	struct fs_json j = { .first = true };
	char *buf = NULL;
	size_t len;

	j.f = open_memstream(&buf, &len);
	if (!j.f)
		return NULL;
	fputc('[', j.f);
	fs_for_each_action(fte, fs_json_action, &j);
	fputc(']', j.f);
	fclose(j.f);
	return buf;
}

static void fs_json_fte(FILE *f, const struct fs_fte *fte)
{
	struct fs_json j = { .f = f, .first = true };
	union mlx5_fs_match value;
	u64 packets, bytes, lastuse;

	mlx5_fs_fte_match(fte, &value);
	fprintf(f, "{\"id\":%u,\"match\":{", fte->seq);
	fs_for_each_field(&value, &fte->fg->criteria, fs_json_field, &j);
	fputs("},\"actions\":[", f);
	j.first = true;
	fs_for_each_action(fte, fs_json_action, &j);
	fputc(']', f);
	if (fte->counter) {
		mlx5_fc_query_cached(fte->counter, &bytes, &packets, &lastuse);
		fprintf(f, ",\"counter\":{\"id\":%u,\"packets\":%llu,\"bytes\":%llu,\"lastuse\":%llu}",
			fte->counter->obj.id, (unsigned long long)packets, (unsigned long long)bytes,
			(unsigned long long)lastuse);
	}
	fputc('}', f);
}

static void fs_json_group(FILE *f, struct mlx5_flow_group *fg)
{
	struct fs_json j = { .f = f, .first = true };
	struct fs_fte **ftes;
	int i, n;

	fprintf(f, "{\"id\":%u,\"start\":%u,\"end\":%u,\"auto\":%s,\"criteria\":[", fg->id,
		fg->start, fg->end, fg->autogroup ? "true" : "false");
	fs_for_each_field(&fg->criteria, &fg->criteria, fs_json_name, &j);
	fputs("],\"ftes\":[", f);
	n = mlx5_fs_group_ftes(fg, &ftes);
	for (i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		fs_json_fte(f, ftes[i]);
	}
	if (n >= 0)
		kfree(ftes);
	fputs("]}", f);
}

static void fs_json_table(FILE *f, struct mlx5_flow_steering *steering,
			  struct mlx5_flow_table *ft)
{
	struct mlx5_flow_group *fg;
	bool first = true;

	fputs("{\"name\":", f);
	ctoffload_json_str(f, ft->name);
	fprintf(f, ",\"id\":%u,\"prio\":%d,\"level\":%u,\"managed\":%s,\"root\":%s,\"ftes\":%u,\"max_fte\":%u,\"miss\":",
		ft->id, ft->prio, ft->level, mlx5_fs_table_managed(ft) ? "true" : "false",
		ft == steering->root ? "true" : "false", ft->nftes, ft->max_fte);
	if (ft->miss) {
		fputs("{\"type\":\"table\",\"name\":", f);
		ctoffload_json_str(f, ft->miss->name);
		fprintf(f, ",\"id\":%u}", ft->miss->id);
	} else {
		fputs("{\"type\":\"software\"}", f);
	}
	fputs(",\"groups\":[", f);
	list_for_each_entry(fg, &ft->groups, list) {
		if (!first)
			fputc(',', f);
		fs_json_group(f, fg);
		first = false;
	}
	fputs("]}", f);
}

static void fs_dump_json(struct mlx5_flow_steering *steering, FILE *f)
{
	struct mlx5_flow_table *ft;
	bool first = true;

	fputs("{\"device\":", f);
	ctoffload_json_str(f, steering->dev->name);
	fputs(",\"tables\":[", f);
	list_for_each_entry(ft, &steering->fdb.tables, list) {
		if (!first)
			fputc(',', f);
		fs_json_table(f, steering, ft);
		first = false;
	}
	fputc(']', f);
}

static void fs_dump_totals_json(FILE *f, const struct mlx5_fs_stats *s,
				const struct mlx5_fs_usage *u)
{
	fprintf(f, ",\"stats\":{\"rx_packets\":%llu,\"hw_forwarded\":%llu,\"hw_dropped\":%llu,\"miss_to_sw\":%llu,\"loop_dropped\":%llu,\"fte_inserted\":%llu,\"fte_deleted\":%llu,\"fte_insert_failed\":%llu}",
		(unsigned long long)s->rx_packets, (unsigned long long)s->hw_forwarded,
		(unsigned long long)s->hw_dropped, (unsigned long long)s->miss_to_sw,
		(unsigned long long)s->loop_dropped, (unsigned long long)s->fte_inserted,
		(unsigned long long)s->fte_deleted, (unsigned long long)s->fte_insert_failed);
	fprintf(f, ",\"usage\":{\"tables\":%u,\"groups\":%u,\"ftes\":%u,\"modify_hdrs\":%u,\"pkt_reformats\":%u,\"counters\":%u,\"bytes\":%zu}}\n",
		u->tables, u->groups, u->ftes, u->modify_hdrs, u->pkt_reformats, u->counters,
		u->bytes);
}

/* ---- Graphviz ---- */

/* rows per table in the picture; the rest are summed up in one row */
#define FS_DOT_MAX_ROWS	64

static void fs_dot_escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", f);
			break;
		case '<':
			fputs("&lt;", f);
			break;
		case '>':
			fputs("&gt;", f);
			break;
		case '"':
			fputs("&quot;", f);
			break;
		default:
			fputc(*s, f);
		}
	}
}

/* the row's text is built as plain text first, then escaped */
static void fs_dot_fte(FILE *f, const struct fs_fte *fte, int row)
{
	struct fs_text t;
	union mlx5_fs_match value;
	u64 packets, bytes, lastuse;
	char *s = NULL;
	size_t len;
	FILE *m = open_memstream(&s, &len);

	if (!m)
		return;
	t.f = m;
	t.first = true;
	mlx5_fs_fte_match(fte, &value);
	fs_for_each_field(&value, &fte->fg->criteria, fs_text_field, &t);
	if (t.first)
		fputs("any", m);
	fputs(" -> ", m);
	t.first = true;
	fs_for_each_action(fte, fs_text_action, &t);
	if (fte->counter) {
		mlx5_fc_query_cached(fte->counter, &bytes, &packets, &lastuse);
		fprintf(m, " [%llu pkts]", (unsigned long long)packets);
	}
	fclose(m);
	fprintf(f, "<TR><TD PORT=\"f%d\" ALIGN=\"LEFT\">", row);
	fs_dot_escape(f, s);
	fputs("</TD></TR>", f);
	free(s);
}

static void fs_dot_vport_node(FILE *f, u16 vport)
{
	char buf[16];

	if (vport == MLX5_VPORT_MANAGER)
		return;		/* the software node */
	fprintf(f, "  vport_%u [shape=box style=rounded label=\"%s\"];\n", vport,
		fs_vport_name(vport, buf, sizeof(buf)));
}

static void fs_dot_vport_edge(FILE *f, u32 ft_id, int row, u16 vport)
{
	fs_dot_vport_node(f, vport);
	if (vport == MLX5_VPORT_MANAGER)
		fprintf(f, "  t%u:f%d -> software;\n", ft_id, row);
	else
		fprintf(f, "  t%u:f%d -> vport_%u;\n", ft_id, row, vport);
}

static void fs_dot_edges(FILE *f, const struct mlx5_flow_table *ft, const struct fs_fte *fte,
			 int row)
{
	int i;

	switch (fte->dest) {
	case FS_DEST_TABLE:
		fprintf(f, "  t%u:f%d -> t%u;\n", ft->id, row, fte->dest_ft->id);
		break;
	case FS_DEST_VPORT:
		fs_dot_vport_edge(f, ft->id, row, fte->dest_vport);
		break;
	case FS_DEST_VPORTS:
		for (i = 0; i < fte->ext->num_vports; i++)
			fs_dot_vport_edge(f, ft->id, row, fte->ext->vports[i].num);
		break;
	default:
		break;
	}
}

static void fs_dot_table(FILE *f, struct mlx5_flow_table *ft, FILE *edges)
{
	struct mlx5_flow_group *fg;
	struct fs_fte **ftes;
	int row = 0, hidden = 0, i, n;

	fprintf(f, "  t%u [label=<<TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"0\">"
		"<TR><TD BGCOLOR=\"%s\"><B>", ft->id,
		mlx5_fs_table_managed(ft) ? "lightblue" : "lightgrey");
	fs_dot_escape(f, ft->name);
	fprintf(f, "</B> (%u FTEs)</TD></TR>", ft->nftes);
	list_for_each_entry(fg, &ft->groups, list) {
		n = mlx5_fs_group_ftes(fg, &ftes);
		for (i = 0; i < n; i++) {
			if (row >= FS_DOT_MAX_ROWS) {
				hidden++;
				continue;
			}
			fs_dot_fte(f, ftes[i], row);
			fs_dot_edges(edges, ft, ftes[i], row);
			row++;
		}
		if (n >= 0)
			kfree(ftes);
	}
	if (hidden)
		fprintf(f, "<TR><TD>... %d more FTEs</TD></TR>", hidden);
	fputs("</TABLE>>];\n", f);
	if (ft->miss)
		fprintf(edges, "  t%u -> t%u [style=dashed label=\"miss\"];\n", ft->id, ft->miss->id);
	else
		fprintf(edges, "  t%u -> software [style=dashed label=\"miss\"];\n", ft->id);
}

static void fs_dump_dot(struct mlx5_flow_steering *steering, FILE *f)
{
	struct mlx5_flow_table *ft;
	char *edges = NULL;
	size_t len = 0;
	FILE *e = open_memstream(&edges, &len);

	if (!e)
		return;
	fputs("digraph steering {\n  rankdir=LR;\n  node [shape=plaintext fontname=\"monospace\" fontsize=10];\n", f);
	fputs("  wire [shape=circle label=\"wire\"];\n", f);
	fputs("  software [shape=box style=\"rounded,filled\" fillcolor=lightyellow label=\"software\"];\n", f);
	if (steering->root)
		fprintf(f, "  wire -> t%u;\n", steering->root->id);
	else
		fputs("  wire -> software;\n", f);
	list_for_each_entry(ft, &steering->fdb.tables, list)
		fs_dot_table(f, ft, e);
	fclose(e);
	fputs(edges, f);
	free(edges);
}

static void fs_dump_totals_dot(FILE *f, const struct mlx5_fs_stats *s,
			       const struct mlx5_fs_usage *u)
{
	fprintf(f, "  stats [shape=note label=\"rx %llu  forwarded %llu  dropped %llu  to software %llu  loops %llu\\nFTEs %u  tables %u  bytes %zu\"];\n}\n",
		(unsigned long long)s->rx_packets, (unsigned long long)s->hw_forwarded,
		(unsigned long long)s->hw_dropped, (unsigned long long)s->miss_to_sw,
		(unsigned long long)s->loop_dropped, u->ftes, u->tables, u->bytes);
}

int mlx5_fs_dump(struct mlx5_core_dev *dev, FILE *f, enum mlx5_fs_dump_format format)
{
	struct mlx5_flow_steering *steering = mlx5_fs_steering(dev);
	struct mlx5_fs_stats stats;
	struct mlx5_fs_usage usage;

	if (!steering || !f || format > MLX5_FS_DUMP_DOT)
		return -EINVAL;
	/* totals first: they take the lock themselves */
	mlx5_fs_get_stats(dev, &stats);
	mlx5_fs_get_usage(dev, &usage);
	mlx5_fs_lock(steering);
	switch (format) {
	case MLX5_FS_DUMP_TEXT:
		fs_dump_text(steering, f);
		fs_dump_totals_text(f, &stats, &usage);
		break;
	case MLX5_FS_DUMP_JSON:
		fs_dump_json(steering, f);
		fs_dump_totals_json(f, &stats, &usage);
		break;
	case MLX5_FS_DUMP_DOT:
		fs_dump_dot(steering, f);
		fs_dump_totals_dot(f, &stats, &usage);
		break;
	}
	mlx5_fs_unlock(steering);
	return ferror(f) ? -EIO : 0;
}
