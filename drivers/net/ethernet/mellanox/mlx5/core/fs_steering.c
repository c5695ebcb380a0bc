// SPDX-License-Identifier: GPL-2.0
/*
 * A burst of packets through the FDB: what a ConnectX eswitch does to
 * packets coming from a vport's wire side (see fs_core.h).
 *
 * Each packet is parsed once into a struct mlx5_fte_match_param (the
 * "packet view": outer L2 with one 802.1Q tag, IPv4/IPv6, TCP/UDP ports,
 * ICMP type/code, a VXLAN packet's VNI and inner frame, the source vport
 * and the registers), then walks the tables from the root.  In a table
 * each group is tried in order: the packet's words under the group's
 * mask, hashed, looked up in the group's hash table; the first hit wins.
 * A hit applies the FTE's actions in the device's order; a miss goes to
 * the table's miss table, or to software.  Actions that change the
 * frame's structure (decap, encap, VLAN push/pop) parse it again; field
 * rewrites keep the view in step themselves (fs_action.c).
 *
 * No allocation per packet and no lock: the caller holds rcu_read_lock()
 * and the objects seen are freed only after a grace period.  Statistics
 * are per thread, added once per burst.
 */
#include <stdlib.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/jiffies.h>
#include <linux/unaligned.h>
#include <net/pkt_trace.h>
#include "fs_priv.h"

/*
 * Source vport metadata in reg_c_0[31:16]: the uplink 1, vport n (a VF,
 * n >= 1) n + 1, the manager (vport 0, never a wire source) 0xffff.
 * Never 0, so a match on it never matches a cleared register; injective
 * over the vports that exist (0xfffe is not one).
 */
u16 mlx5_eswitch_get_vport_metadata_for_match(struct mlx5_core_dev *dev, u16 vport)
{
	if (vport == MLX5_VPORT_UPLINK)
		return 1;
	if (vport == MLX5_VPORT_MANAGER)
		return 0xffff;
	return vport + 1;
}

/* ---- the parser ---- */

/* where the parser found headers; offsets from the frame's start, 0: absent */
struct fs_hdrs {
	u16 l3_off;
	u16 l4_off;
	u8 l3;
	u8 l4_proto;
};

static void fs_parse_l4(const u8 *d, unsigned int len, unsigned int off, u8 proto,
			struct mlx5_fte_match_set_lyr_2_4 *h,
			struct mlx5_fte_match_set_misc3 *misc3, struct fs_hdrs *o)
{
	const u8 *l4 = d + off;

	switch (proto) {
	case IPPROTO_TCP:
		if (len < off + 20)
			return;
		h->tcp_sport = get_unaligned_be16(l4);
		h->tcp_dport = get_unaligned_be16(l4 + 2);
		h->tcp_flags = (l4[12] & 1) << 8 | l4[13];
		break;
	case IPPROTO_UDP:
		if (len < off + 8)
			return;
		h->udp_sport = get_unaligned_be16(l4);
		h->udp_dport = get_unaligned_be16(l4 + 2);
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		if (len < off + 4 || (proto == IPPROTO_ICMP) != (o->l3 == 4))
			return;
		if (misc3) {
			misc3->icmp_type = l4[0];
			misc3->icmp_code = l4[1];
		}
		break;
	default:
		return;
	}
	o->l4_off = off;
	o->l4_proto = proto;
}

static void fs_parse_ipv4(const u8 *d, unsigned int len, unsigned int off,
			  struct mlx5_fte_match_set_lyr_2_4 *h,
			  struct mlx5_fte_match_set_misc3 *misc3, struct fs_hdrs *o)
{
	const u8 *ip = d + off;
	unsigned int ihl;

	if (len < off + 20 || ip[0] >> 4 != 4)
		return;
	ihl = (ip[0] & 0xf) * 4;
	if (ihl < 20 || len < off + ihl)
		return;
	h->ip_version = 4;
	h->ip_dscp = ip[1] >> 2;
	h->ip_ecn = ip[1] & 3;
	h->ttl_hoplimit = ip[8];
	h->ip_protocol = ip[9];
	memcpy(h->src_ipv4_src_ipv6 + 12, ip + 12, 4);
	memcpy(h->dst_ipv4_dst_ipv6 + 12, ip + 16, 4);
	o->l3 = 4;
	o->l3_off = off;
	/* a fragment, first or not, shows no L4: software reassembles */
	if (get_unaligned_be16(ip + 6) & 0x3fff) {
		h->frag = 1;
		return;
	}
	fs_parse_l4(d, len, off + ihl, ip[9], h, misc3, o);
}

static void fs_parse_ipv6(const u8 *d, unsigned int len, unsigned int off,
			  struct mlx5_fte_match_set_lyr_2_4 *h,
			  struct mlx5_fte_match_set_misc3 *misc3, struct fs_hdrs *o)
{
	const u8 *ip = d + off;
	u8 tclass;

	if (len < off + 40 || ip[0] >> 4 != 6)
		return;
	tclass = (ip[0] & 0x0f) << 4 | ip[1] >> 4;
	h->ip_version = 6;
	h->ip_dscp = tclass >> 2;
	h->ip_ecn = tclass & 3;
	h->ttl_hoplimit = ip[7];
	h->ip_protocol = ip[6];
	memcpy(h->src_ipv4_src_ipv6, ip + 8, 16);
	memcpy(h->dst_ipv4_dst_ipv6, ip + 24, 16);
	o->l3 = 6;
	o->l3_off = off;
	/* only the first next header is looked at; a fragment header shows no L4 */
	if (ip[6] == IPPROTO_FRAGMENT) {
		h->frag = 1;
		if (len >= off + 48)
			h->ip_protocol = ip[40];
		return;
	}
	fs_parse_l4(d, len, off + 40, ip[6], h, misc3, o);
}

static void fs_parse_frame(const u8 *d, unsigned int len, struct mlx5_fte_match_set_lyr_2_4 *h,
			   struct mlx5_fte_match_set_misc3 *misc3, struct fs_hdrs *o)
{
	unsigned int off = ETH_HLEN;
	u16 type;

	memset(o, 0, sizeof(*o));
	if (len < ETH_HLEN)
		return;
	memcpy(h->dmac, d, ETH_ALEN);
	memcpy(h->smac, d + ETH_ALEN, ETH_ALEN);
	type = get_unaligned_be16(d + 12);
	if (type == ETH_P_8021Q && len >= ETH_HLEN + VLAN_HLEN) {
		u16 tci = get_unaligned_be16(d + 14);

		h->cvlan_tag = 1;
		h->first_vid = tci & 0xfff;
		h->first_prio = tci >> 13;
		type = get_unaligned_be16(d + 16);
		off += VLAN_HLEN;
	}
	h->ethertype = type;
	if (type == ETH_P_IP)
		fs_parse_ipv4(d, len, off, h, misc3, o);
	else if (type == ETH_P_IPV6)
		fs_parse_ipv6(d, len, off, h, misc3, o);
}

/* the view's parsed parts are zero; source_port and registers are set */
static void __fs_parse(struct fs_pkt *pkt)
{
	struct mlx5_fte_match_param *m = &pkt->m.param;
	struct sk_buff *skb = pkt->skb;
	const u8 *d = skb->data;
	struct fs_hdrs o;

	fs_parse_frame(d, skb->len, &m->outer_headers, &m->misc_parameters_3, &o);
	pkt->l3_off = o.l3_off;
	pkt->l4_off = o.l4_off;
	pkt->l3 = o.l3;
	pkt->l4_proto = o.l4_proto;
	pkt->inner_off = 0;
	if (o.l4_off && o.l4_proto == IPPROTO_UDP &&
	    m->outer_headers.udp_dport == MLX5_FS_VXLAN_PORT &&
	    skb->len >= o.l4_off + 8u + VXLAN_HLEN && (d[o.l4_off + 8] & VXLAN_FLAG_VNI)) {
		const u8 *vx = d + o.l4_off + 8;
		struct fs_hdrs inner;

		m->misc_parameters.vxlan_vni = vx[4] << 16 | vx[5] << 8 | vx[6];
		pkt->inner_off = o.l4_off + 8 + VXLAN_HLEN;
		fs_parse_frame(d + pkt->inner_off, skb->len - pkt->inner_off,
			       &m->inner_headers, NULL, &inner);
	}
	skb->mac_header = skb_headroom(skb);
	if (o.l3_off)
		skb->network_header = skb->mac_header + o.l3_off;
	if (o.l4_off)
		skb->transport_header = skb->mac_header + o.l4_off;
	if (skb->len >= ETH_HLEN && get_unaligned_be16(d + 12) >= ETH_P_802_3_MIN)
		skb->protocol = htons(get_unaligned_be16(d + 12));
}

void mlx5_fs_parse(struct fs_pkt *pkt)
{
	struct mlx5_fte_match_param *m = &pkt->m.param;

	memset(&m->outer_headers, 0, sizeof(m->outer_headers));
	memset(&m->inner_headers, 0, sizeof(m->inner_headers));
	memset(&m->misc_parameters_3, 0, sizeof(m->misc_parameters_3));
	m->misc_parameters.vxlan_vni = 0;
	__fs_parse(pkt);
	pkt->skb->flow_key_valid = 0;
}

/* ---- the walk ---- */

/*
 * A burst walks the tables one level at a time, all its packets
 * together, so that one packet's cache misses overlap with the others'
 * (with many connections the ct table's bucket, FTE and counter are
 * cold for every packet).  A round takes each packet still walking one
 * table further, in passes over the burst:
 *
 *   1. the key and hash for the table's first group; prefetch the bucket
 *   2. read the bucket's first FTE; prefetch it
 *   3. the lookup proper (fs_group_lookup() with its resize retry, then
 *      the table's other groups if need be); prefetch the hit's counter
 *   4. the hit's actions, or the table's miss
 *
 * Passes 1 and 2 only warm the cache: pass 3 looks up as a lone packet
 * would.  Where a packet ends up (a vport, software) is done after the
 * last round, in input order, so software's misses and each port's
 * packets keep the order they came in.
 */

enum fs_end {
	FS_WALKING,
	FS_END_CONSUMED,		/* dropped: nothing left to do */
	FS_END_SOFTWARE,
	FS_END_VPORT,			/* to walk->fte's dest_vport */
	FS_END_VPORTS,			/* to walk->fte's ext->vports[] */
};

struct fs_walk {
	struct fs_pkt pkt;
	struct mlx5_flow_table *ft;	/* the table to look up next */
	const struct mlx5_flow_group *fg;	/* ft's first group, keyed in pass 1 */
	const struct fs_fte *fte;	/* pass 3's hit; at the end, the last one */
	unsigned long hash;		/* of key */
	u8 hops;
	u8 end;				/* enum fs_end */
	u64 key[MLX5_FS_MATCH_WORDS];	/* pkt's words under fg's mask */
};

struct fs_burst {
	struct mlx5_flow_steering *steering;
	struct mlx5_core_dev *dev;
	u64 now;
	struct sk_buff **miss;
	struct mlx5_cqe_md *md;
	int nmiss;
	bool traced;			/* a packet of the burst is traced */
	struct mlx5_fs_stats stats;
	/*
	 * The counter the last packet hit, and what it owes: a table level
	 * of the burst mostly hits one shared FTE (pre_ct, post_ct, a
	 * chain's rule), so its counter takes one atomic add per burst,
	 * not one per packet from every datapath thread.
	 */
	struct mlx5_fc *fc;
	u32 fc_packets;
	u64 fc_bytes;
};

/* the packet's words under fg's mask into key, and their hash */
static __always_inline unsigned long fs_group_key(const struct mlx5_flow_group *fg,
						  const struct fs_pkt *pkt, u64 *key, u64 seed)
{
	unsigned int i, n = fg->nwords;
	u64 h = seed;

	/*
	 * Mask and hash in one pass (fs_key_hash() step by step, last word
	 * first), unrolled for the usual key lengths.
	 */
#define FS_KEY_WORD(i) (key[i] = pkt->m.w[fg->words[i]] & fg->mask[i], \
			h = fs_key_hash_step(h, key[i]))
	switch (n) {
	case 8: FS_KEY_WORD(7); fallthrough;
	case 7: FS_KEY_WORD(6); fallthrough;
	case 6: FS_KEY_WORD(5); fallthrough;
	case 5: FS_KEY_WORD(4); fallthrough;
	case 4: FS_KEY_WORD(3); fallthrough;
	case 3: FS_KEY_WORD(2); fallthrough;
	case 2: FS_KEY_WORD(1); fallthrough;
	case 1: FS_KEY_WORD(0); fallthrough;
	case 0: break;
	default:
		for (i = n; i--; )
			FS_KEY_WORD(i);
	}
#undef FS_KEY_WORD
	return fs_key_hash_final(h);
}

static struct mlx5_flow_group *fs_first_group(const struct mlx5_flow_table *ft)
{
	struct cds_list_head *first = rcu_dereference(ft->groups.next);

	return first == &ft->groups ? NULL : cds_list_entry(first, struct mlx5_flow_group, list);
}

/* pass 3: the first hit in ft's groups, w->fg (already keyed) first; under RCU */
static const struct fs_fte *fs_table_lookup(struct fs_walk *w, u64 seed)
{
	const struct mlx5_flow_table *ft = w->ft;
	struct mlx5_flow_group *fg;
	struct fs_fte *fte;

	if (!w->fg)
		return NULL;
	fte = fs_group_lookup(w->fg, w->key, w->hash);
	if (fte)
		return fte;
	/* a group unlinked since pass 1 still leads back to the list */
	for (fg = cds_list_entry(rcu_dereference(w->fg->list.next), struct mlx5_flow_group, list);
	     &fg->list != &ft->groups;
	     fg = cds_list_entry(rcu_dereference(fg->list.next), struct mlx5_flow_group, list)) {
		fte = fs_group_lookup(fg, w->key, fs_group_key(fg, &w->pkt, w->key, seed));
		if (fte)
			return fte;
	}
	return NULL;
}

/* software gets the packet with the CQE's flow tag and reg_b */
static void fs_to_software(struct fs_burst *b, struct fs_pkt *pkt, struct sk_buff *skb)
{
	const u32 *reg_c = pkt->m.param.misc_parameters_2.metadata_reg_c;

	b->miss[b->nmiss] = skb;
	b->md[b->nmiss].flow_tag = reg_c[0] & 0xffff;
	b->md[b->nmiss].ft_metadata = reg_c[1];
	b->nmiss++;
	b->stats.miss_to_sw++;
}

static void fs_xmit(struct fs_burst *b, u16 vport, struct sk_buff *skb)
{
	b->dev->wire->vport_xmit(b->dev, vport, skb);
}

/* ---- `ctoffload trace`: what the model did to a traced packet ---- */

static void fs_trace_fwd(struct sk_buff *skb, u16 vport, bool encap)
{
	pkt_trace(skb, "hw_fwd", "\"vport\":%u,\"uplink\":%s,\"encap\":%s", vport,
		  vport == MLX5_VPORT_UPLINK ? "true" : "false", encap ? "true" : "false");
}

/*
 * Several vports: a copy to each but the last, which gets the packet; a
 * per-destination reformat changes that copy only.  The packet counts as
 * software's if one copy went there, else as forwarded if one left.
 */
static void fs_fwd_vports(struct fs_burst *b, struct fs_pkt *pkt, const struct fs_fte_ext *ext)
{
	struct sk_buff *skb = pkt->skb, *to_sw = NULL;
	int i, last = ext->num_vports - 1;
	bool sent = false;
	struct fs_pkt copy;

	for (i = 0; i <= last; i++) {
		struct fs_pkt *p = pkt;

		if (i != last) {
			copy = *pkt;
			copy.skb = skb_copy(skb);
			if (!copy.skb)
				continue;
			p = &copy;
		}
		if (ext->vports[i].pkt_reformat &&
		    !mlx5_fs_apply_reformat(p, ext->vports[i].pkt_reformat)) {
			kfree_skb(p->skb);
			continue;
		}
		if (ext->vports[i].num == MLX5_VPORT_MANAGER) {
			to_sw = p->skb;
			continue;
		}
		if (unlikely(b->traced))
			fs_trace_fwd(p->skb, ext->vports[i].num,
				     ext->vports[i].pkt_reformat || ext->pkt_reformat);
		fs_xmit(b, ext->vports[i].num, p->skb);
		sent = true;
	}
	if (to_sw)
		fs_to_software(b, pkt, to_sw);
	else if (sent)
		b->stats.hw_forwarded++;
	else
		b->stats.hw_dropped++;
}

static void fs_burst_fc_flush(struct fs_burst *b)
{
	if (b->fc)
		mlx5_fc_add(b->fc, b->fc_packets, b->fc_bytes, b->now);
	b->fc = NULL;
}

static __always_inline void fs_burst_fc_count(struct fs_burst *b, struct mlx5_fc *fc,
					      unsigned int len)
{
	if (fc != b->fc) {
		fs_burst_fc_flush(b);
		b->fc = fc;
		b->fc_packets = 0;
		b->fc_bytes = 0;
	}
	b->fc_packets++;
	b->fc_bytes += len;
}

/* pass 4: fte's actions on w's packet; w->ft is the next table, or w->end is set */
static __attribute__((always_inline)) inline void fs_fte_execute(struct fs_burst *b, struct fs_walk *w, const struct fs_fte *fte)
{
	struct fs_pkt *pkt = &w->pkt;
	unsigned int len = pkt->skb->len;
	u16 action = fte->action;

	if (unlikely(action & (MLX5_FLOW_CONTEXT_ACTION_DECAP | MLX5_FLOW_CONTEXT_ACTION_VLAN_POP))) {
		if (action & MLX5_FLOW_CONTEXT_ACTION_DECAP)
			mlx5_fs_apply_decap(pkt);
		if (action & MLX5_FLOW_CONTEXT_ACTION_VLAN_POP)
			mlx5_fs_apply_vlan_pop(pkt);
	}
	if (action & MLX5_FLOW_CONTEXT_ACTION_MOD_HDR)
		mlx5_fs_apply_modify_hdr(pkt, fte->modify_hdr);
	if (unlikely(fte->ext)) {
		if ((action & MLX5_FLOW_CONTEXT_ACTION_VLAN_PUSH) &&
		    !mlx5_fs_apply_vlan_push(pkt, &fte->ext->vlan))
			goto drop;
		if ((action & MLX5_FLOW_CONTEXT_ACTION_PACKET_REFORMAT) &&
		    !mlx5_fs_apply_reformat(pkt, fte->ext->pkt_reformat))
			goto drop;
	}
	/* the counter sees the packet the FTE matched, as tc's software stats do */
	if (fte->counter)
		fs_burst_fc_count(b, fte->counter, len);

	switch (fte->dest) {
	case FS_DEST_TABLE:
		w->ft = fte->dest_ft;
		return;
	case FS_DEST_VPORT:
		w->end = fte->dest_vport == MLX5_VPORT_MANAGER ? FS_END_SOFTWARE : FS_END_VPORT;
		w->fte = fte;
		return;
	case FS_DEST_VPORTS:
		w->end = FS_END_VPORTS;
		w->fte = fte;
		return;
	default:
		break;
	}
drop:
	kfree_skb(pkt->skb);
	b->stats.hw_dropped++;
	w->end = FS_END_CONSUMED;
}

/* where a packet that stopped walking goes; in input order */
static void fs_walk_end(struct fs_burst *b, struct fs_walk *w)
{
	switch (w->end) {
	case FS_END_SOFTWARE:
		fs_to_software(b, &w->pkt, w->pkt.skb);
		break;
	case FS_END_VPORT:
		if (unlikely(b->traced))
			fs_trace_fwd(w->pkt.skb, w->fte->dest_vport,
				     w->fte->action & MLX5_FLOW_CONTEXT_ACTION_PACKET_REFORMAT);
		fs_xmit(b, w->fte->dest_vport, w->pkt.skb);
		b->stats.hw_forwarded++;
		break;
	case FS_END_VPORTS:
		fs_fwd_vports(b, &w->pkt, w->fte->ext);
		break;
	default:
		break;
	}
}

/* pass 1 for a packet about to look up w->ft */
static void fs_walk_key(struct fs_burst *b, struct fs_walk *w)
{
	const struct mlx5_flow_group *fg;
	const struct fs_htab *ht;

	if (unlikely(++w->hops > MLX5_FS_MAX_HOPS)) {
		kfree_skb(w->pkt.skb);
		b->stats.loop_dropped++;
		w->end = FS_END_CONSUMED;
		return;
	}
	fg = fs_first_group(w->ft);
	w->fg = fg;
	if (!fg)
		return;
	w->hash = fs_group_key(fg, &w->pkt, w->key, b->steering->seed);
	ht = rcu_dereference(fg->ht);
	__builtin_prefetch(&ht->b[w->hash & ht->mask]);
}

/* pass 2: the bucket's first FTE, which the key compare reads */
static void fs_walk_prefetch_fte(const struct fs_walk *w)
{
	const struct fs_htab *ht;
	const struct fs_fte *fte;

	if (w->end || !w->fg)
		return;
	ht = rcu_dereference(w->fg->ht);
	fte = rcu_dereference(ht->b[w->hash & ht->mask]);
	if (fte)
		__builtin_prefetch(fte);
}

/*
 * Pass 4 for a burst with a traced packet: the same step, and for a
 * traced packet the table's result (hw_table) and what the FTE did
 * (hw_actions, with the registers after it).  The skb may be gone after
 * the actions (a drop): its trace is taken first.
 */
static void fs_walk_step_traced(struct fs_burst *b, struct fs_walk *w)
{
	const u32 *reg = w->pkt.m.param.misc_parameters_2.metadata_reg_c;
	struct pkt_trace *t = w->pkt.skb->trace;
	const struct mlx5_flow_table *ft = w->ft;
	const struct fs_fte *fte = w->fte;
	char name[2 * MLX5_FS_NAME_MAX];
	char *actions;

	if (!t) {
		if (fte)
			fs_fte_execute(b, w, fte);
		else if (!(w->ft = rcu_dereference(w->ft->miss)))
			w->end = FS_END_SOFTWARE;
		return;
	}
	pkt_trace_json_str(name, sizeof(name), ft->name);
	if (!fte) {
		const struct mlx5_flow_table *miss = rcu_dereference(ft->miss);
		char miss_name[2 * MLX5_FS_NAME_MAX];

		if (miss)
			__pkt_trace(t, "hw_table", "\"table\":\"%s\",\"id\":%u,\"miss\":\"%s\",\"miss_id\":%u",
				    name, ft->id,
				    pkt_trace_json_str(miss_name, sizeof(miss_name), miss->name),
				    miss->id);
		else
			__pkt_trace(t, "hw_table", "\"table\":\"%s\",\"id\":%u,\"miss\":\"software\"",
				    name, ft->id);
		w->ft = (struct mlx5_flow_table *)miss;
		if (!miss)
			w->end = FS_END_SOFTWARE;
		return;
	}
	__pkt_trace(t, "hw_table", "\"table\":\"%s\",\"id\":%u,\"fte\":%u", name, ft->id, fte->seq);
	fs_fte_execute(b, w, fte);
	actions = mlx5_fs_fte_actions_json(fte);
	__pkt_trace(t, "hw_actions",
		    "\"fte\":%u,\"actions\":%s,\"regs\":{\"reg_c_0\":\"0x%08x\",\"reg_c_1\":\"0x%08x\",\"reg_c_2\":\"0x%08x\",\"reg_c_3\":\"0x%08x\",\"reg_c_4\":\"0x%08x\",\"reg_c_5\":\"0x%08x\"}%s",
		    fte->seq, actions ? actions : "[]", reg[0], reg[1], reg[2], reg[3], reg[4], reg[5],
		    w->end == FS_END_CONSUMED ? ",\"dropped\":true" : "");
	free(actions);
}

/* walk n <= SKB_BURST packets to their end */
static void fs_walk_burst(struct fs_burst *b, struct fs_walk *walk, int n)
{
	struct fs_walk *active[SKB_BURST];
	const struct fs_fte *fte;
	struct fs_walk *w;
	int i, nactive, k;

	for (i = 0, nactive = 0; i < n; i++)
		if (!walk[i].end)
			active[nactive++] = &walk[i];
	while (nactive) {
		for (i = 0; i < nactive; i++)
			fs_walk_key(b, active[i]);
		for (i = 0; i < nactive; i++)
			fs_walk_prefetch_fte(active[i]);
		for (i = 0; i < nactive; i++) {
			w = active[i];
			if (w->end)
				continue;
			w->fte = fte = fs_table_lookup(w, b->steering->seed);
			if (fte && fte->counter)
				__builtin_prefetch(fte->counter, 1);
		}
		for (i = 0, k = 0; i < nactive; i++) {
			w = active[i];
			if (w->end)
				continue;
			if (unlikely(b->traced))
				fs_walk_step_traced(b, w);
			else if (w->fte)
				fs_fte_execute(b, w, w->fte);
			else if (!(w->ft = rcu_dereference(w->ft->miss)))
				w->end = FS_END_SOFTWARE;
			if (!w->end)
				active[k++] = w;
		}
		nactive = k;
	}
	for (i = 0; i < n; i++)
		fs_walk_end(b, &walk[i]);
}

static void fs_stats_add(struct mlx5_flow_steering *steering, const struct mlx5_fs_stats *s)
{
	struct mlx5_fs_stats *slot = &steering->pcpu[smp_processor_id()].s;

	/* relaxed atomics: slots are per thread, but more threads than NR_CPUS share */
	__atomic_fetch_add(&slot->rx_packets, s->rx_packets, __ATOMIC_RELAXED);
	if (s->hw_forwarded)
		__atomic_fetch_add(&slot->hw_forwarded, s->hw_forwarded, __ATOMIC_RELAXED);
	if (s->hw_dropped)
		__atomic_fetch_add(&slot->hw_dropped, s->hw_dropped, __ATOMIC_RELAXED);
	if (s->miss_to_sw)
		__atomic_fetch_add(&slot->miss_to_sw, s->miss_to_sw, __ATOMIC_RELAXED);
	if (s->loop_dropped)
		__atomic_fetch_add(&slot->loop_dropped, s->loop_dropped, __ATOMIC_RELAXED);
}

int mlx5_steering_rx_burst(struct mlx5_core_dev *dev, u16 src_vport, struct sk_buff **skbs,
			   int n, struct sk_buff **miss, struct mlx5_cqe_md *md)
{
	struct mlx5_flow_steering *steering = rcu_dereference(dev->priv.steering);
	struct fs_burst b = { .dev = dev, .miss = miss, .md = md };
	struct fs_walk walk[SKB_BURST];
	struct mlx5_flow_table *root;
	int i, done, chunk;
	u32 reg_c_0;

	root = steering ? rcu_dereference(steering->root) : NULL;
	if (!root) {
		/* no table packets enter: each is a miss as it came, nothing to parse */
		for (i = 0; i < n; i++) {
			miss[i] = skbs[i];
			md[i] = (struct mlx5_cqe_md){ 0 };
		}
		if (steering) {
			b.stats.rx_packets = n;
			b.stats.miss_to_sw = n;
			fs_stats_add(steering, &b.stats);
		}
		return n;
	}
	b.steering = steering;
	b.now = jiffies_ms();
	reg_c_0 = (u32)mlx5_eswitch_get_vport_metadata_for_match(dev, src_vport) << 16;
	for (done = 0; done < n; done += chunk) {
		chunk = min(n - done, SKB_BURST);
		for (i = 0; i < chunk; i++) {
			struct fs_walk *w = &walk[i];

			memset(&w->pkt.m, 0, sizeof(w->pkt.m));
			w->pkt.skb = skbs[done + i];
			b.traced |= w->pkt.skb->trace != NULL;
			w->pkt.m.param.misc_parameters.source_port = src_vport;
			w->pkt.m.param.misc_parameters_2.metadata_reg_c[0] = reg_c_0;
			__fs_parse(&w->pkt);
			w->ft = root;
			w->hops = 0;
			w->end = root ? FS_WALKING : FS_END_SOFTWARE;
		}
		fs_walk_burst(&b, walk, chunk);
	}
	fs_burst_fc_flush(&b);
	b.stats.rx_packets = n;
	fs_stats_add(steering, &b.stats);
	return b.nmiss;
}
