// SPDX-License-Identifier: GPL-2.0
/*
 * tc flower offload for the eswitch representors (en_tc.h).
 *
 * A representor's tc block calls mlx5e_rep_setup_tc_cb() with each flower
 * filter (FLOW_CLS_REPLACE), its removal (DESTROY) and stats requests
 * (STATS).  REPLACE parses the filter's match into a struct
 * mlx5_flow_spec (parse_cls_flower) and its actions into a struct
 * mlx5_flow_attr (parse_tc_fdb_actions), gives it a counter, and hands it
 * to the ct split (en/tc_ct.c) when it has a ct action, else to the
 * eswitch as one FTE (eswitch_offloads.c).  Anything the model cannot do
 * exactly as software would is refused with -EOPNOTSUPP and an extack
 * message; cls_flower then keeps the filter in software only (or fails
 * it, for skip_sw).  The extack is cls_flower's own: it keeps the sentence
 * with the filter (ctoffload explain) and passes it on to tc only for
 * skip_sw / verbose filters, as Linux does.
 *
 * Each representor keeps its flows in a hash table by filter cookie
 * (struct mlx5e_tc_table: chained buckets through flow->list, grown as
 * filters are added: a representor can hold tens of thousands).
 *
 * Locking: every call comes under rtnl_lock() (tc's control path), which
 * serialises the table; the model has its own lock.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <linux/if_ether.h>
#include <linux/slab.h>
#include <net/flow_offload.h>
#include <net/netlink.h>
#include <net/pkt_cls.h>
#include "en_tc.h"
#include "en_rep.h"
#include "eswitch.h"
#include "en/tc_priv.h"
#include "en/tc_ct.h"
#include "en/tc_tun.h"
#include "lib/fs_chains.h"
#include <net/vxlan.h>
#include <net/ctoffload.h>

/* ---- the representor's flows, by cookie ---- */

#define MLX5E_TC_TABLE_MIN_BITS		8
#define MLX5E_TC_TABLE_MAX_BITS		20

struct mlx5e_tc_table {
	struct list_head *buckets;	/* struct mlx5e_tc_flow, by ->list */
	unsigned int bits;
	unsigned int count;
};

static unsigned int tc_table_hash(const struct mlx5e_tc_table *t, unsigned long cookie)
{
	/* cookies are pointers: the multiplication spreads their high bits down */
	return (u64)cookie * 0x9e3779b97f4a7c15ull >> (64 - t->bits);
}

static struct list_head *tc_table_buckets_alloc(unsigned int bits)
{
	struct list_head *b = kcalloc(1u << bits, sizeof(*b), GFP_KERNEL);
	unsigned int i;

	if (!b)
		return NULL;
	for (i = 0; i < 1u << bits; i++)
		INIT_LIST_HEAD(&b[i]);
	return b;
}

static struct mlx5e_tc_table *tc_table_create(void)
{
	struct mlx5e_tc_table *t = kzalloc(sizeof(*t), GFP_KERNEL);

	if (!t)
		return NULL;
	t->bits = MLX5E_TC_TABLE_MIN_BITS;
	t->buckets = tc_table_buckets_alloc(t->bits);
	if (!t->buckets) {
		kfree(t);
		return NULL;
	}
	return t;
}

static struct mlx5e_tc_flow *tc_table_lookup(struct mlx5e_tc_table *t, unsigned long cookie)
{
	struct mlx5e_tc_flow *flow;

	list_for_each_entry(flow, &t->buckets[tc_table_hash(t, cookie)], list)
		if (flow->cookie == cookie)
			return flow;
	return NULL;
}

/* twice as many buckets; on no memory the chains just get longer */
static void tc_table_grow(struct mlx5e_tc_table *t)
{
	unsigned int old_bits = t->bits, i;
	struct list_head *old = t->buckets, *b;
	struct mlx5e_tc_flow *flow, *tmp;

	b = tc_table_buckets_alloc(old_bits + 1);
	if (!b)
		return;
	t->buckets = b;
	t->bits = old_bits + 1;
	for (i = 0; i < 1u << old_bits; i++)
		list_for_each_entry_safe(flow, tmp, &old[i], list)
			list_add_tail(&flow->list, &b[tc_table_hash(t, flow->cookie)]);
	kfree(old);
}

static void tc_table_insert(struct mlx5e_tc_table *t, struct mlx5e_tc_flow *flow)
{
	if (t->count >= 2u << t->bits && t->bits < MLX5E_TC_TABLE_MAX_BITS)
		tc_table_grow(t);
	list_add_tail(&flow->list, &t->buckets[tc_table_hash(t, flow->cookie)]);
	t->count++;
}

static void tc_table_remove(struct mlx5e_tc_table *t, struct mlx5e_tc_flow *flow)
{
	list_del(&flow->list);
	t->count--;
}

/* ---- the match ---- */

/* the keys parse_cls_flower() turns into FTE matches */
#define MLX5E_TC_SUPPORTED_KEYS (BIT_ULL(FLOW_DISSECTOR_KEY_META) |		\
				 BIT_ULL(FLOW_DISSECTOR_KEY_CONTROL) |		\
				 BIT_ULL(FLOW_DISSECTOR_KEY_BASIC) |		\
				 BIT_ULL(FLOW_DISSECTOR_KEY_ETH_ADDRS) |	\
				 BIT_ULL(FLOW_DISSECTOR_KEY_VLAN) |		\
				 BIT_ULL(FLOW_DISSECTOR_KEY_IPV4_ADDRS) |	\
				 BIT_ULL(FLOW_DISSECTOR_KEY_IPV6_ADDRS) |	\
				 BIT_ULL(FLOW_DISSECTOR_KEY_IP) |		\
				 BIT_ULL(FLOW_DISSECTOR_KEY_PORTS) |		\
				 BIT_ULL(FLOW_DISSECTOR_KEY_TCP) |		\
				 BIT_ULL(FLOW_DISSECTOR_KEY_ICMP) |		\
				 BIT_ULL(FLOW_DISSECTOR_KEY_CT))

/* why each other key is refused: one sentence per key, for `tc`'s "Error:" */
static const char * const mlx5e_tc_unsupported_key_msgs[FLOW_DISSECTOR_KEY_MAX] = {
	[FLOW_DISSECTOR_KEY_PORTS_RANGE]	= "Match on port ranges is not supported",
	[FLOW_DISSECTOR_KEY_TIPC]		= "Match on TIPC keys is not supported",
	[FLOW_DISSECTOR_KEY_ARP]		= "Match on ARP keys is not supported",
	[FLOW_DISSECTOR_KEY_FLOW_LABEL]		= "Match on IPv6 flow label is not supported",
	[FLOW_DISSECTOR_KEY_GRE_KEYID]		= "Match on GRE key is not supported",
	[FLOW_DISSECTOR_KEY_MPLS_ENTROPY]	= "Match on MPLS keys is not supported",
	[FLOW_DISSECTOR_KEY_MPLS]		= "Match on MPLS keys is not supported",
	[FLOW_DISSECTOR_KEY_ENC_KEYID]		= "Match on tunnel keys (enc_*) is not supported",
	[FLOW_DISSECTOR_KEY_ENC_IPV4_ADDRS]	= "Match on tunnel keys (enc_*) is not supported",
	[FLOW_DISSECTOR_KEY_ENC_IPV6_ADDRS]	= "Match on tunnel keys (enc_*) is not supported",
	[FLOW_DISSECTOR_KEY_ENC_CONTROL]	= "Match on tunnel keys (enc_*) is not supported",
	[FLOW_DISSECTOR_KEY_ENC_PORTS]		= "Match on tunnel keys (enc_*) is not supported",
	[FLOW_DISSECTOR_KEY_ENC_IP]		= "Match on tunnel keys (enc_*) is not supported",
	[FLOW_DISSECTOR_KEY_ENC_OPTS]		= "Match on tunnel options is not supported",
	[FLOW_DISSECTOR_KEY_CVLAN]		= "Match on inner VLAN (cvlan) is not supported",
	[FLOW_DISSECTOR_KEY_HASH]		= "Match on hash is not supported",
};

/* the tunnel keys a filter on a tunnel device may match (en/tc_tun.c) */
#define MLX5E_TC_ENC_KEYS (BIT_ULL(FLOW_DISSECTOR_KEY_ENC_KEYID) |		\
			   BIT_ULL(FLOW_DISSECTOR_KEY_ENC_IPV4_ADDRS) |	\
			   BIT_ULL(FLOW_DISSECTOR_KEY_ENC_IPV6_ADDRS) |	\
			   BIT_ULL(FLOW_DISSECTOR_KEY_ENC_CONTROL) |		\
			   BIT_ULL(FLOW_DISSECTOR_KEY_ENC_PORTS) |		\
			   BIT_ULL(FLOW_DISSECTOR_KEY_ENC_IP))

static int mlx5e_tc_check_keys(const struct flow_rule *rule, bool tunnel,
			       struct netlink_ext_ack *extack)
{
	u64 supported = MLX5E_TC_SUPPORTED_KEYS | (tunnel ? MLX5E_TC_ENC_KEYS : 0);
	u64 unsupported = rule->match.dissector->used_keys & ~supported;
	unsigned int key;

	if (!unsupported)
		return 0;
	key = __builtin_ctzll(unsupported);
	if (key < FLOW_DISSECTOR_KEY_MAX && mlx5e_tc_unsupported_key_msgs[key])
		NL_SET_ERR_MSG_MOD(extack, mlx5e_tc_unsupported_key_msgs[key]);
	else
		NL_SET_ERR_MSG_MOD(extack, "Unsupported key used in the match");
	return -EOPNOTSUPP;
}

/* what one parse has seen so far, for the keys that depend on others */
struct mlx5e_tc_parse {
	struct mlx5_fte_match_set_lyr_2_4 *hc;	/* outer headers' criteria */
	struct mlx5_fte_match_set_lyr_2_4 *hv;	/* and values */
	u16 addr_type;
	u8 ip_proto;
	u8 ip_proto_mask;
	bool inner;			/* hc/hv are the inner headers (a decap rule) */
};

static int parse_match_meta(struct mlx5e_tc_flow *flow, const struct flow_rule *rule,
			    struct netlink_ext_ack *extack)
{
	struct flow_match_meta match;

	flow_rule_match_meta(rule, &match);
	if (match.mask->ingress_iftype) {
		NL_SET_ERR_MSG_MOD(extack, "Match on ingress device type is not supported");
		return -EOPNOTSUPP;
	}
	if (!match.mask->ingress_ifindex)
		return 0;
	if (match.mask->ingress_ifindex != -1) {
		NL_SET_ERR_MSG_MOD(extack, "Unsupported ingress ifindex mask");
		return -EOPNOTSUPP;
	}
	/* the rule matches the representor's vport already: only that device can be named */
	if (match.key->ingress_ifindex != flow->filter_dev->ifindex) {
		NL_SET_ERR_MSG_MOD(extack, "Match on another ingress device is not supported");
		return -EOPNOTSUPP;
	}
	return 0;
}

static int parse_match_control(struct mlx5e_tc_parse *p, const struct flow_rule *rule,
			       struct netlink_ext_ack *extack)
{
	struct flow_match_control match;

	flow_rule_match_control(rule, &match);
	if (match.mask->addr_type)
		p->addr_type = match.key->addr_type;
	if (match.mask->flags & FLOW_DIS_FIRST_FRAG) {
		/* the device sees "a fragment", not which one */
		NL_SET_ERR_MSG_MOD(extack, "Match on frag first/later is not supported");
		return -EOPNOTSUPP;
	}
	if (match.mask->flags & FLOW_DIS_IS_FRAGMENT) {
		p->hc->frag = 1;
		p->hv->frag = !!(match.key->flags & FLOW_DIS_IS_FRAGMENT);
	}
	return 0;
}

static void parse_match_basic(struct mlx5e_tc_parse *p, const struct flow_rule *rule)
{
	struct flow_match_basic match;

	flow_rule_match_basic(rule, &match);
	p->hc->ethertype = ntohs(match.mask->n_proto);
	p->hv->ethertype = ntohs(match.key->n_proto & match.mask->n_proto);
	p->hc->ip_protocol = match.mask->ip_proto;
	p->hv->ip_protocol = match.key->ip_proto & match.mask->ip_proto;
	p->ip_proto = p->hv->ip_protocol;
	p->ip_proto_mask = match.mask->ip_proto;
}

static void parse_match_eth_addrs(struct mlx5e_tc_parse *p, const struct flow_rule *rule)
{
	struct flow_match_eth_addrs match;
	int i;

	flow_rule_match_eth_addrs(rule, &match);
	for (i = 0; i < ETH_ALEN; i++) {
		p->hc->dmac[i] = match.mask->dst[i];
		p->hv->dmac[i] = match.key->dst[i] & match.mask->dst[i];
		p->hc->smac[i] = match.mask->src[i];
		p->hv->smac[i] = match.key->src[i] & match.mask->src[i];
	}
}

static int parse_match_vlan(struct mlx5e_tc_parse *p, const struct flow_rule *rule,
			    struct netlink_ext_ack *extack)
{
	struct flow_match_vlan match;

	flow_rule_match_vlan(rule, &match);
	if (match.mask->vlan_tpid && match.key->vlan_tpid != htons(ETH_P_8021Q)) {
		NL_SET_ERR_MSG_MOD(extack, "Only 802.1Q VLAN tags can be matched");
		return -EOPNOTSUPP;
	}
	if (match.mask->vlan_dei) {
		NL_SET_ERR_MSG_MOD(extack, "Match on VLAN DEI is not supported");
		return -EOPNOTSUPP;
	}
	p->hc->cvlan_tag = 1;
	p->hv->cvlan_tag = 1;
	p->hc->first_vid = match.mask->vlan_id;
	p->hv->first_vid = match.key->vlan_id & match.mask->vlan_id;
	p->hc->first_prio = match.mask->vlan_priority;
	p->hv->first_prio = match.key->vlan_priority & match.mask->vlan_priority;
	return 0;
}

void mlx5e_tc_match_bytes(u8 *c, u8 *v, const void *key, const void *mask, size_t len)
{
	const u8 *k = key, *m = mask;
	size_t i;

	for (i = 0; i < len; i++) {
		c[i] = m[i];
		v[i] = k[i] & m[i];
	}
}

/* IPv4 sits in the last 4 bytes of the 16-byte address fields */
static void parse_match_ipv4(struct mlx5e_tc_parse *p, const struct flow_rule *rule)
{
	struct flow_match_ipv4_addrs match;

	flow_rule_match_ipv4_addrs(rule, &match);
	mlx5e_tc_match_bytes(p->hc->src_ipv4_src_ipv6 + 12, p->hv->src_ipv4_src_ipv6 + 12,
		    &match.key->src, &match.mask->src, 4);
	mlx5e_tc_match_bytes(p->hc->dst_ipv4_dst_ipv6 + 12, p->hv->dst_ipv4_dst_ipv6 + 12,
		    &match.key->dst, &match.mask->dst, 4);
}

static void parse_match_ipv6(struct mlx5e_tc_parse *p, const struct flow_rule *rule)
{
	struct flow_match_ipv6_addrs match;

	flow_rule_match_ipv6_addrs(rule, &match);
	mlx5e_tc_match_bytes(p->hc->src_ipv4_src_ipv6, p->hv->src_ipv4_src_ipv6,
		    &match.key->src, &match.mask->src, 16);
	mlx5e_tc_match_bytes(p->hc->dst_ipv4_dst_ipv6, p->hv->dst_ipv4_dst_ipv6,
		    &match.key->dst, &match.mask->dst, 16);
}

static void parse_match_ip(struct mlx5e_tc_parse *p, const struct flow_rule *rule)
{
	struct flow_match_ip match;

	flow_rule_match_ip(rule, &match);
	p->hc->ip_dscp = match.mask->tos >> 2;
	p->hv->ip_dscp = (match.key->tos & match.mask->tos) >> 2;
	p->hc->ip_ecn = match.mask->tos & 0x3;
	p->hv->ip_ecn = match.key->tos & match.mask->tos & 0x3;
	p->hc->ttl_hoplimit = match.mask->ttl;
	p->hv->ttl_hoplimit = match.key->ttl & match.mask->ttl;
}

static int parse_match_ports(struct mlx5e_tc_parse *p, const struct flow_rule *rule,
			     struct netlink_ext_ack *extack)
{
	struct flow_match_ports match;
	u16 sc, sv, dc, dv;

	flow_rule_match_ports(rule, &match);
	sc = ntohs(match.mask->src);
	sv = ntohs(match.key->src & match.mask->src);
	dc = ntohs(match.mask->dst);
	dv = ntohs(match.key->dst & match.mask->dst);
	if (p->ip_proto_mask == 0xff && p->ip_proto == IPPROTO_TCP) {
		p->hc->tcp_sport = sc;
		p->hv->tcp_sport = sv;
		p->hc->tcp_dport = dc;
		p->hv->tcp_dport = dv;
	} else if (p->ip_proto_mask == 0xff && p->ip_proto == IPPROTO_UDP) {
		p->hc->udp_sport = sc;
		p->hv->udp_sport = sv;
		p->hc->udp_dport = dc;
		p->hv->udp_dport = dv;
	} else {
		NL_SET_ERR_MSG_MOD(extack, "Only UDP and TCP transports are supported for port matching");
		return -EOPNOTSUPP;
	}
	return 0;
}

#define MLX5E_TC_TCP_FLAGS_MASK	0x1ff	/* FIN .. NS: what the device matches */

static int parse_match_tcp(struct mlx5e_tc_parse *p, const struct flow_rule *rule,
			   struct netlink_ext_ack *extack)
{
	struct flow_match_tcp match;
	u16 mask;

	flow_rule_match_tcp(rule, &match);
	mask = ntohs(match.mask->flags);
	if (mask & ~MLX5E_TC_TCP_FLAGS_MASK) {
		NL_SET_ERR_MSG_MOD(extack, "Match on reserved TCP flag bits is not supported");
		return -EOPNOTSUPP;
	}
	p->hc->tcp_flags = mask;
	p->hv->tcp_flags = ntohs(match.key->flags) & mask;
	return 0;
}

static int parse_match_icmp(struct mlx5_flow_spec *spec, const struct flow_rule *rule,
			    struct netlink_ext_ack *extack)
{
	struct mlx5_fte_match_set_misc3 *c = &spec->match_criteria.misc_parameters_3;
	struct mlx5_fte_match_set_misc3 *v = &spec->match_value.misc_parameters_3;
	struct flow_match_icmp match;

	flow_rule_match_icmp(rule, &match);
	if (match.mask->id) {
		NL_SET_ERR_MSG_MOD(extack, "Match on ICMP id is not supported");
		return -EOPNOTSUPP;
	}
	if (!match.mask->type && !match.mask->code)
		return 0;
	c->icmp_type = match.mask->type;
	v->icmp_type = match.key->type & match.mask->type;
	c->icmp_code = match.mask->code;
	v->icmp_code = match.key->code & match.mask->code;
	spec->match_criteria_enable |= MLX5_MATCH_MISC_PARAMETERS_3;
	return 0;
}

static bool lyr_2_4_is_zero(const struct mlx5_fte_match_set_lyr_2_4 *h)
{
	static const struct mlx5_fte_match_set_lyr_2_4 zero;

	return !memcmp(h, &zero, sizeof(zero));
}

/*
 * A filter on a tunnel device.  At chain 0 it is a decap rule: the
 * outer headers and VNI are matched, the packet decapsulated, and
 * flower's other keys describe the inner frame.  It writes the tunnel
 * mapping id; filters of later chains match enc_* as that id.
 */
static int parse_tunnel_attr(struct mlx5_eswitch *esw, struct mlx5e_tc_flow *flow,
			     const struct flow_rule *rule, struct mlx5e_tc_parse *p,
			     struct netlink_ext_ack *extack)
{
	struct mlx5_flow_attr *attr = flow->attr;
	struct mlx5_flow_spec *spec = &flow->spec;
	int err;

	if (!attr->chain) {
		err = mlx5e_tc_tun_parse_decap(esw, flow->filter_dev, rule, spec, extack);
		if (err)
			return err;
		attr->action |= MLX5_FLOW_CONTEXT_ACTION_DECAP;
		p->hc = &spec->match_criteria.inner_headers;
		p->hv = &spec->match_value.inner_headers;
		p->inner = true;
	} else if (!(rule->match.dissector->used_keys & MLX5E_TC_ENC_KEYS)) {
		return 0;
	}
	err = mlx5e_tc_tun_get_id(esw, flow->filter_dev, rule, &flow->tunnel_id);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "No tunnel mapping id left");
		return err;
	}
	if (attr->chain)
		mlx5e_tc_match_to_reg_match(spec, TUNNEL_TO_REG, flow->tunnel_id, 0xffffff);
	else
		attr->tunnel_id = flow->tunnel_id;
	return 0;
}

/*
 * flower's match into spec.  Keys the model has no field for are
 * refused; a key that depends on another (ports on ip_proto, addresses
 * on addr_type) is checked against it.  The ct keys become register
 * matches (en/tc_ct.c), taking what they need in attr->ct_attr.
 */
static int parse_cls_flower(struct mlx5e_rep_priv *rpriv, struct mlx5e_tc_flow *flow,
			    struct flow_cls_offload *f, bool *ct_matched)
{
	bool tunnel = flow->filter_dev != rpriv->netdev;
	struct mlx5_eswitch *esw = mlx5e_rep_esw(rpriv);
	struct netlink_ext_ack *extack = f->common.extack;
	const struct flow_rule *rule = flow_cls_offload_flow_rule(f);
	struct mlx5_flow_spec *spec = &flow->spec;
	struct mlx5e_tc_parse p = {
		.hc = &spec->match_criteria.outer_headers,
		.hv = &spec->match_value.outer_headers,
	};
	int err;

	err = mlx5e_tc_check_keys(rule, tunnel, extack);
	if (err)
		return err;
	if (tunnel) {
		err = parse_tunnel_attr(esw, flow, rule, &p, extack);
		if (err)
			return err;
	}
	if (flow_rule_match_key(rule, FLOW_DISSECTOR_KEY_META)) {
		err = parse_match_meta(flow, rule, extack);
		if (err)
			return err;
	}
	if (flow_rule_match_key(rule, FLOW_DISSECTOR_KEY_CONTROL)) {
		err = parse_match_control(&p, rule, extack);
		if (err)
			return err;
	}
	if (flow_rule_match_key(rule, FLOW_DISSECTOR_KEY_BASIC))
		parse_match_basic(&p, rule);
	if (flow_rule_match_key(rule, FLOW_DISSECTOR_KEY_ETH_ADDRS))
		parse_match_eth_addrs(&p, rule);
	if (flow_rule_match_key(rule, FLOW_DISSECTOR_KEY_VLAN)) {
		err = parse_match_vlan(&p, rule, extack);
		if (err)
			return err;
	}
	/* ipv4 and ipv6 share their bytes in flower's key: addr_type says which is meant */
	if (p.addr_type == FLOW_DISSECTOR_KEY_IPV4_ADDRS &&
	    flow_rule_match_key(rule, FLOW_DISSECTOR_KEY_IPV4_ADDRS))
		parse_match_ipv4(&p, rule);
	else if (p.addr_type == FLOW_DISSECTOR_KEY_IPV6_ADDRS &&
		 flow_rule_match_key(rule, FLOW_DISSECTOR_KEY_IPV6_ADDRS))
		parse_match_ipv6(&p, rule);
	if (flow_rule_match_key(rule, FLOW_DISSECTOR_KEY_IP))
		parse_match_ip(&p, rule);
	if (flow_rule_match_key(rule, FLOW_DISSECTOR_KEY_PORTS)) {
		err = parse_match_ports(&p, rule, extack);
		if (err)
			return err;
	}
	if (flow_rule_match_key(rule, FLOW_DISSECTOR_KEY_TCP)) {
		err = parse_match_tcp(&p, rule, extack);
		if (err)
			return err;
	}
	if (flow_rule_match_key(rule, FLOW_DISSECTOR_KEY_ICMP)) {
		err = parse_match_icmp(spec, rule, extack);
		if (err)
			return err;
	}
	/*
	 * Without a VLAN key the device would match tagged frames too (its
	 * ethertype is the one after the tag); software's does not: match
	 * untagged frames only, as mlx5 does.
	 */
	if (!flow_rule_match_key(rule, FLOW_DISSECTOR_KEY_VLAN) && !lyr_2_4_is_zero(p.hc)) {
		p.hc->cvlan_tag = 1;
		p.hv->cvlan_tag = 0;
	}
	if (!lyr_2_4_is_zero(p.hc))
		spec->match_criteria_enable |= p.inner ? MLX5_MATCH_INNER_HEADERS :
							 MLX5_MATCH_OUTER_HEADERS;
	if (flow_rule_match_key(rule, FLOW_DISSECTOR_KEY_CT)) {
		if (!esw->ct_priv) {
			NL_SET_ERR_MSG_MOD(extack, "offload of ct matching isn't available");
			return -EOPNOTSUPP;
		}
		err = mlx5_tc_ct_match_add(esw->ct_priv, spec, f, &flow->attr->ct_attr, extack);
		if (err)
			return err;
		*ct_matched = true;
	}
	return 0;
}

/* ---- the actions ---- */

static const char * const mlx5e_tc_action_names[NUM_FLOW_ACTIONS] = {
	[FLOW_ACTION_TRAP]		= "trap",
	[FLOW_ACTION_REDIRECT_INGRESS]	= "mirred ingress redirect",
	[FLOW_ACTION_MIRRED_INGRESS]	= "mirred ingress mirror",
	[FLOW_ACTION_VLAN_PUSH]		= "vlan push",
	[FLOW_ACTION_VLAN_POP]		= "vlan pop",
	[FLOW_ACTION_VLAN_MANGLE]	= "vlan modify",
	[FLOW_ACTION_TUNNEL_ENCAP]	= "tunnel_key set",
	[FLOW_ACTION_TUNNEL_DECAP]	= "tunnel_key unset",
	[FLOW_ACTION_MANGLE]		= "pedit",
	[FLOW_ACTION_ADD]		= "pedit add",
	[FLOW_ACTION_CSUM]		= "csum",
	[FLOW_ACTION_MARK]		= "skbedit mark",
	[FLOW_ACTION_PTYPE]		= "skbedit ptype",
	[FLOW_ACTION_PRIORITY]		= "skbedit priority",
	[FLOW_ACTION_RX_QUEUE_MAPPING]	= "skbedit queue_mapping",
	[FLOW_ACTION_SAMPLE]		= "sample",
	[FLOW_ACTION_POLICE]		= "police",
	[FLOW_ACTION_CT_METADATA]	= "ct metadata",
	[FLOW_ACTION_MPLS_PUSH]		= "mpls push",
	[FLOW_ACTION_MPLS_POP]		= "mpls pop",
	[FLOW_ACTION_MPLS_MANGLE]	= "mpls modify",
	[FLOW_ACTION_GATE]		= "gate",
	[FLOW_ACTION_PPPOE_PUSH]	= "pppoe push",
	[FLOW_ACTION_JUMP]		= "jump",
	[FLOW_ACTION_PIPE]		= "pipe",
	[FLOW_ACTION_CONTINUE]		= "continue",
};

static void mlx5e_tc_refuse_action(const struct flow_action_entry *act,
				   struct netlink_ext_ack *extack)
{
	const char *name = act->id < NUM_FLOW_ACTIONS ? mlx5e_tc_action_names[act->id] : NULL;

	if (name)
		NL_SET_ERR_MSG_FMT(extack, "Offload of %s action is not supported", name);
	else
		NL_SET_ERR_MSG_MOD(extack, "action is not supported");
}

static int parse_action_fwd_vport(struct mlx5_eswitch *esw, struct mlx5_flow_attr *attr,
				  u16 vport, struct netlink_ext_ack *extack)
{
	if (attr->out_count >= MLX5_MAX_FLOW_FWD_VPORTS) {
		NL_SET_ERR_MSG_MOD(extack, "can't support more output ports, can't offload forwarding");
		return -EOPNOTSUPP;
	}
	attr->dests[attr->out_count].vport = vport;
	attr->dests[attr->out_count].flags = 0;
	attr->out_count++;
	attr->action |= MLX5_FLOW_CONTEXT_ACTION_FWD_DEST | MLX5_FLOW_CONTEXT_ACTION_COUNT;
	return 0;
}

/* tunnel_key set + mirred to a vxlan device: encapsulate and go out of the uplink */
static int parse_action_mirred_encap(struct mlx5_eswitch *esw, struct mlx5e_tc_flow *flow,
				     const struct flow_action_entry *act,
				     const struct ip_tunnel_info *encap_info,
				     struct netlink_ext_ack *extack)
{
	struct mlx5_flow_attr *attr = flow->attr;
	int err;

	if (!encap_info) {
		NL_SET_ERR_MSG_MOD(extack, "Forwarding to a tunnel device needs a tunnel_key set before it");
		return -EOPNOTSUPP;
	}
	err = parse_action_fwd_vport(esw, attr, MLX5_VPORT_UPLINK, extack);
	if (err)
		return err;
	return mlx5e_attach_encap(esw, flow, attr, attr->out_count - 1, encap_info, act->dev,
				  extack);
}

static int parse_action_mirred(struct mlx5_eswitch *esw, struct mlx5e_tc_flow *flow,
			       const struct flow_action_entry *act,
			       const struct ip_tunnel_info *encap_info,
			       struct netlink_ext_ack *extack)
{
	struct mlx5_flow_attr *attr = flow->attr;
	struct mlx5_vport *vport;

	if (!act->dev) {
		NL_SET_ERR_MSG_MOD(extack, "The device of the mirred action is gone");
		return -EOPNOTSUPP;
	}
	if (netif_is_vxlan(act->dev))
		return parse_action_mirred_encap(esw, flow, act, encap_info, extack);
	vport = mlx5_eswitch_rep_vport(esw, act->dev);
	if (!vport) {
		NL_SET_ERR_MSG_MOD(extack, "devices are not on same switch HW, can't offload forwarding");
		return -EOPNOTSUPP;
	}
	return parse_action_fwd_vport(esw, attr, vport->vport, extack);
}

static int parse_action_goto(struct mlx5_eswitch *esw, struct mlx5_flow_attr *attr,
			     const struct flow_action_entry *act,
			     struct netlink_ext_ack *extack)
{
	u32 dest_chain = act->chain_index;

	/* a lower chain could loop in hardware; software has no such limit */
	if (dest_chain <= attr->chain) {
		NL_SET_ERR_MSG_MOD(extack, "Goto lower numbered chain isn't supported");
		return -EOPNOTSUPP;
	}
	if (dest_chain > mlx5_chains_get_chain_range(esw->chains)) {
		NL_SET_ERR_MSG_MOD(extack, "Requested destination chain is out of supported range");
		return -EOPNOTSUPP;
	}
	if (attr->dest_chain) {
		NL_SET_ERR_MSG_MOD(extack, "Only one goto action is supported");
		return -EOPNOTSUPP;
	}
	attr->dest_chain = dest_chain;
	attr->action |= MLX5_FLOW_CONTEXT_ACTION_FWD_DEST | MLX5_FLOW_CONTEXT_ACTION_COUNT;
	return 0;
}

/*
 * ct must be the filter's first action: what comes before it would have
 * to go into the pre_ct rule, which only sets registers; what comes
 * after it goes to post_ct.  (Linux places decap and some rewrites
 * before ct; we offload none of those yet.)
 */
static int parse_action_ct(struct mlx5_eswitch *esw, struct mlx5_flow_attr *attr,
			   const struct flow_action_entry *act, unsigned int index,
			   struct netlink_ext_ack *extack)
{
	if (!esw->ct_priv) {
		NL_SET_ERR_MSG_MOD(extack, "offload of ct action isn't available");
		return -EOPNOTSUPP;
	}
	if (attr->flags & MLX5_ATTR_FLAG_CT) {
		NL_SET_ERR_MSG_MOD(extack, "Only one ct action is supported");
		return -EOPNOTSUPP;
	}
	if (index) {
		NL_SET_ERR_MSG_MOD(extack, "actions before ct are not offloaded");
		return -EOPNOTSUPP;
	}
	attr->flags |= MLX5_ATTR_FLAG_CT;
	return mlx5_tc_ct_parse_action(esw->ct_priv, attr, act, extack);
}

/* combinations one FTE cannot express */
static int mlx5e_tc_check_fate(const struct mlx5_flow_attr *attr, struct netlink_ext_ack *extack)
{
	bool fwd = attr->action & MLX5_FLOW_CONTEXT_ACTION_FWD_DEST;
	bool drop = attr->action & MLX5_FLOW_CONTEXT_ACTION_DROP;

	if (!fwd && !drop) {
		NL_SET_ERR_MSG_MOD(extack, "Rule must have at least one forward/drop action");
		return -EOPNOTSUPP;
	}
	if (fwd && drop) {
		NL_SET_ERR_MSG_MOD(extack, "Drop with forward actions isn't supported");
		return -EOPNOTSUPP;
	}
	if (attr->dest_chain && attr->out_count) {
		NL_SET_ERR_MSG_MOD(extack, "Mirroring goto chain rules isn't supported");
		return -EOPNOTSUPP;
	}
	return 0;
}

static int parse_tc_fdb_actions(struct mlx5e_rep_priv *rpriv, struct mlx5e_tc_flow *flow,
				const struct flow_action *flow_action,
				struct netlink_ext_ack *extack)
{
	struct mlx5_eswitch *esw = mlx5e_rep_esw(rpriv);
	const struct ip_tunnel_info *encap_info = NULL;
	struct mlx5_flow_attr *attr = flow->attr;
	const struct flow_action_entry *act;
	unsigned int i;
	int err;

	/* one counter per rule: per-action kinds of counters cannot be given */
	if (!flow_action_basic_hw_stats_check(flow_action, extack))
		return -EOPNOTSUPP;
	flow_action_for_each(i, act, flow_action) {
		switch (act->id) {
		case FLOW_ACTION_ACCEPT:
			/* to software, which takes it from the representor as a miss */
			err = parse_action_fwd_vport(esw, attr, MLX5_VPORT_MANAGER, extack);
			break;
		case FLOW_ACTION_DROP:
			attr->action |= MLX5_FLOW_CONTEXT_ACTION_DROP |
					MLX5_FLOW_CONTEXT_ACTION_COUNT;
			err = 0;
			break;
		case FLOW_ACTION_REDIRECT:
		case FLOW_ACTION_MIRRED:
			err = parse_action_mirred(esw, flow, act, encap_info, extack);
			break;
		case FLOW_ACTION_TUNNEL_ENCAP:
			/* the metadata the next mirred to a tunnel device encapsulates with */
			encap_info = act->tunnel;
			err = 0;
			break;
		case FLOW_ACTION_TUNNEL_DECAP:
			/*
			 * Software drops the metadata; a decap rule has decapsulated
			 * already and a packet from a VF carries none: nothing to do
			 */
			encap_info = NULL;
			err = 0;
			break;
		case FLOW_ACTION_GOTO:
			err = parse_action_goto(esw, attr, act, extack);
			break;
		case FLOW_ACTION_CT:
			err = parse_action_ct(esw, attr, act, i, extack);
			break;
		default:
			mlx5e_tc_refuse_action(act, extack);
			err = -EOPNOTSUPP;
			break;
		}
		if (err)
			return err;
	}
	/* a decap rule without ct says which tunnel the packet came in (pre_ct does for ct) */
	if (attr->tunnel_id && !(attr->flags & MLX5_ATTR_FLAG_CT)) {
		err = mlx5e_tc_match_to_reg_set(&attr->mod_hdr_acts, TUNNEL_TO_REG,
						attr->tunnel_id);
		if (err)
			return err;
		attr->action |= MLX5_FLOW_CONTEXT_ACTION_MOD_HDR;
	}
	return mlx5e_tc_check_fate(attr, extack);
}

/* ---- one flow ---- */

static int mlx5e_tc_check_chain_prio(struct mlx5_eswitch *esw, const struct mlx5_flow_attr *attr,
				     struct netlink_ext_ack *extack)
{
	if (attr->chain > mlx5_chains_get_chain_range(esw->chains)) {
		NL_SET_ERR_MSG_MOD(extack, "Requested chain is out of supported range");
		return -EOPNOTSUPP;
	}
	if (!attr->prio || attr->prio > mlx5_chains_get_prio_range(esw->chains)) {
		NL_SET_ERR_MSG_MOD(extack, "Requested priority is out of supported range");
		return -EOPNOTSUPP;
	}
	return 0;
}

static struct mlx5e_tc_flow *mlx5e_tc_flow_alloc(struct mlx5e_rep_priv *rpriv,
						 struct net_device *filter_dev,
						 const struct flow_cls_offload *f)
{
	struct mlx5e_tc_flow *flow = kzalloc(sizeof(*flow), GFP_KERNEL);

	if (!flow)
		return NULL;
	flow->attr = kzalloc(sizeof(*flow->attr), GFP_KERNEL);
	if (!flow->attr) {
		kfree(flow);
		return NULL;
	}
	INIT_LIST_HEAD(&flow->list);
	INIT_LIST_HEAD(&flow->encap_list);
	flow->filter_dev = filter_dev;
	flow->cookie = f->cookie;
	flow->attr->chain = f->common.chain_index;
	flow->attr->prio = f->common.prio;
	flow->attr->in_vport = rpriv->vport->vport;
	return flow;
}

static void mlx5e_tc_flow_free(struct mlx5e_tc_flow *flow)
{
	mlx5e_mod_hdr_dealloc(&flow->attr->mod_hdr_acts);
	kfree(flow->attr);
	kfree(flow);
}

static void mlx5e_tc_slow_attr_free(struct mlx5_eswitch *esw, struct mlx5e_tc_flow *flow)
{
	mlx5e_mod_hdr_dealloc(&flow->slow_attr->mod_hdr_acts);
	kfree(flow->slow_attr);
	flow->slow_attr = NULL;
	if (flow->slow_chain_mapping)
		mlx5_chains_put_chain_mapping(esw->chains, flow->slow_chain_mapping);
	flow->slow_chain_mapping = 0;
}

/*
 * While the flow's encap is unresolved: its match, forwarded to software
 * at the filter's chain (and tunnel), which does what the filter says and
 * resolves the neighbour on the way.  Not counted: software counts it.
 */
static struct mlx5_flow_handle *mlx5e_tc_offload_to_slow_path(struct mlx5_eswitch *esw,
							      struct mlx5e_tc_flow *flow)
{
	struct mlx5_flow_attr *attr = flow->attr, *slow;
	struct mlx5_flow_handle *rule;
	int err = 0;

	slow = kzalloc(sizeof(*slow), GFP_KERNEL);
	if (!slow)
		return ERR_PTR(-ENOMEM);
	flow->slow_attr = slow;
	slow->chain = attr->chain;
	slow->prio = attr->prio;
	slow->in_vport = attr->in_vport;
	slow->flags = MLX5_ATTR_FLAG_SLOW_PATH;
	slow->action = MLX5_FLOW_CONTEXT_ACTION_FWD_DEST |
		       (attr->action & MLX5_FLOW_CONTEXT_ACTION_DECAP);
	slow->dests[0].vport = MLX5_VPORT_MANAGER;
	slow->out_count = 1;
	if (attr->chain) {
		err = mlx5_chains_get_chain_mapping(esw->chains, attr->chain,
						    &flow->slow_chain_mapping);
		if (!err)
			err = mlx5e_tc_match_to_reg_set(&slow->mod_hdr_acts, CHAIN_TO_REG,
							flow->slow_chain_mapping);
	}
	if (!err && attr->tunnel_id)
		err = mlx5e_tc_match_to_reg_set(&slow->mod_hdr_acts, TUNNEL_TO_REG,
						attr->tunnel_id);
	if (!err && slow->mod_hdr_acts.num_actions)
		slow->action |= MLX5_FLOW_CONTEXT_ACTION_MOD_HDR;
	rule = err ? ERR_PTR(err) : mlx5_eswitch_add_offloaded_rule(esw, &flow->spec, slow);
	if (IS_ERR(rule))
		mlx5e_tc_slow_attr_free(esw, flow);
	return rule;
}

static struct mlx5_flow_handle *mlx5e_tc_offload_fdb_rules(struct mlx5_eswitch *esw,
							   struct mlx5e_tc_flow *flow,
							   struct netlink_ext_ack *extack)
{
	if (flow->encap && !flow->encap->valid)
		return mlx5e_tc_offload_to_slow_path(esw, flow);
	if (flow->attr->flags & MLX5_ATTR_FLAG_CT)
		return mlx5_tc_ct_flow_offload(esw->ct_priv, flow, &flow->spec, flow->attr,
					       extack);
	return mlx5_eswitch_add_offloaded_rule(esw, &flow->spec, flow->attr);
}

static void mlx5e_tc_unoffload_fdb_rules(struct mlx5_eswitch *esw, struct mlx5e_tc_flow *flow)
{
	if (flow->slow_attr) {
		mlx5_eswitch_del_offloaded_rule(esw, flow->rule, flow->slow_attr);
		mlx5e_tc_slow_attr_free(esw, flow);
	} else if (flow->attr->flags & MLX5_ATTR_FLAG_CT)
		mlx5_tc_ct_delete_flow(esw->ct_priv, flow, flow->attr);
	else
		mlx5_eswitch_del_offloaded_rule(esw, flow->rule, flow->attr);
	flow->rule = NULL;
}

void mlx5e_tc_encap_flows_update(struct mlx5_eswitch *esw, struct mlx5e_encap_entry *e)
{
	struct mlx5_flow_handle *rule;
	struct mlx5e_tc_flow *flow;

	list_for_each_entry(flow, &e->flows, encap_list) {
		if (flow->rule)
			mlx5e_tc_unoffload_fdb_rules(esw, flow);
		flow->attr->dests[flow->encap_out_index].pkt_reformat = e->pkt_reformat;
		rule = mlx5e_tc_offload_fdb_rules(esw, flow, NULL);
		if (IS_ERR(rule)) {
			/* the filter still runs in software; nothing else to fall back to */
			fprintf(stderr, "mlx5: %s: re-offloading an encap flow failed (%ld)\n",
				esw->dev->name, PTR_ERR(rule));
			continue;
		}
		flow->rule = rule;
	}
}

/* what parsing took: the tunnel mapping, the encap entry */
static void mlx5e_tc_release_parse(struct mlx5_eswitch *esw, struct mlx5e_tc_flow *flow)
{
	mlx5e_detach_encap(esw, flow);
	mlx5e_tc_tun_put_id(esw, flow->tunnel_id);
	flow->tunnel_id = 0;
}

/* everything mlx5e_tc_add_fdb_flow() set up, in reverse */
static void mlx5e_tc_del_fdb_flow(struct mlx5_eswitch *esw, struct mlx5e_tc_flow *flow)
{
	struct mlx5_flow_attr *attr = flow->attr;

	if (flow->rule)
		mlx5e_tc_unoffload_fdb_rules(esw, flow);
	if (attr->counter)
		mlx5_fc_destroy(esw->dev, attr->counter);
	if (esw->ct_priv)
		mlx5_tc_ct_match_del(esw->ct_priv, &attr->ct_attr);
	mlx5e_tc_release_parse(esw, flow);
	mlx5e_tc_flow_free(flow);
}

static const char *mlx5e_tc_add_err_msg(int err)
{
	switch (err) {
	case -ENOSPC:
		return "Hardware steering resources are exhausted";
	case -EEXIST:
		return "A rule with the same match already exists in this chain and priority";
	default:
		return "Failed to add the rule to the hardware";
	}
}

static int mlx5e_tc_add_fdb_flow(struct mlx5e_rep_priv *rpriv, struct flow_cls_offload *f,
				 struct mlx5e_tc_flow *flow)
{
	struct mlx5_eswitch *esw = mlx5e_rep_esw(rpriv);
	struct netlink_ext_ack *extack = f->common.extack;
	struct mlx5_flow_attr *attr = flow->attr;
	struct mlx5_flow_handle *rule;
	bool ct_matched = false;
	int err;

	err = mlx5e_tc_check_chain_prio(esw, attr, extack);
	if (err)
		return err;
	err = parse_cls_flower(rpriv, flow, f, &ct_matched);
	if (err)
		goto err_parse;
	err = parse_tc_fdb_actions(rpriv, flow, &f->rule->action, extack);
	if (err)
		goto err_parse;
	if (attr->action & MLX5_FLOW_CONTEXT_ACTION_COUNT) {
		/* aging: tc's stats (and lastused) come from it */
		attr->counter = mlx5_fc_create(esw->dev, true);
		if (IS_ERR(attr->counter)) {
			err = PTR_ERR(attr->counter);
			attr->counter = NULL;
			NL_SET_ERR_MSG_MOD(extack, "Failed to allocate a flow counter");
			goto err_parse;
		}
	}
	rule = mlx5e_tc_offload_fdb_rules(esw, flow, extack);
	if (IS_ERR(rule)) {
		err = PTR_ERR(rule);
		if (extack && !extack->_msg)
			NL_SET_ERR_MSG_MOD(extack, mlx5e_tc_add_err_msg(err));
		goto err_rule;
	}
	flow->rule = rule;
	return 0;

err_rule:
	if (attr->counter)
		mlx5_fc_destroy(esw->dev, attr->counter);
	attr->counter = NULL;
err_parse:
	if (ct_matched)
		mlx5_tc_ct_match_del(esw->ct_priv, &attr->ct_attr);
	mlx5e_tc_release_parse(esw, flow);
	return err;
}

/*
 * A filter: offload it.  A cookie already offloaded is replaced: the new
 * rules go in first, then the old ones go, so packets never fall to
 * software in between.  Only when the device refuses the new FTE because
 * the old one holds the same match (-EEXIST) does the old one go first.
 * If the new version cannot be offloaded, the old one goes anyway: its
 * rules no longer say what the filter does.
 */
static int mlx5e_tc_add_flow(struct mlx5e_rep_priv *rpriv, struct net_device *filter_dev,
			     struct flow_cls_offload *f, struct mlx5e_tc_flow **flowp)
{
	struct mlx5e_tc_flow *flow;
	int err;

	flow = mlx5e_tc_flow_alloc(rpriv, filter_dev, f);
	if (!flow)
		return -ENOMEM;
	err = mlx5e_tc_add_fdb_flow(rpriv, f, flow);
	if (err) {
		mlx5e_tc_flow_free(flow);
		return err;
	}
	*flowp = flow;
	return 0;
}

static void mlx5e_tc_remove_flow(struct mlx5e_rep_priv *rpriv, struct mlx5e_tc_flow *flow)
{
	tc_table_remove(rpriv->tc_ht, flow);
	mlx5e_tc_del_fdb_flow(mlx5e_rep_esw(rpriv), flow);
}

static int mlx5e_configure_flower(struct mlx5e_rep_priv *rpriv, struct net_device *filter_dev,
				  struct flow_cls_offload *f)
{
	struct mlx5_eswitch *esw = mlx5e_rep_esw(rpriv);
	struct netlink_ext_ack *extack = f->common.extack;
	struct mlx5e_tc_flow *flow = NULL, *old;
	int err;

	if (!rpriv->tc_ht || !esw->chains) {
		NL_SET_ERR_MSG_MOD(extack, "The eswitch is not in switchdev offloads mode");
		return -EOPNOTSUPP;
	}
	old = tc_table_lookup(rpriv->tc_ht, f->cookie);
	err = mlx5e_tc_add_flow(rpriv, filter_dev, f, &flow);
	if (err == -EEXIST && old) {
		mlx5e_tc_remove_flow(rpriv, old);
		old = NULL;
		if (extack)
			extack->_msg = NULL;
		err = mlx5e_tc_add_flow(rpriv, filter_dev, f, &flow);
	}
	if (old)
		mlx5e_tc_remove_flow(rpriv, old);
	if (err)
		return err;
	tc_table_insert(rpriv->tc_ht, flow);
	return 0;
}

static int mlx5e_delete_flower(struct mlx5e_rep_priv *rpriv, struct flow_cls_offload *f)
{
	struct mlx5e_tc_table *t = rpriv->tc_ht;
	struct mlx5e_tc_flow *flow;

	flow = t ? tc_table_lookup(t, f->cookie) : NULL;
	if (!flow)
		return -EINVAL;
	mlx5e_tc_remove_flow(rpriv, flow);
	return 0;
}

/*
 * The counter's totals (the post_ct FTE's for a ct filter: the split
 * counts there, so only packets of offloaded connections) minus what
 * the last answer reported: tc adds deltas up.
 */
static int mlx5e_stats_flower(struct mlx5e_rep_priv *rpriv, struct flow_cls_offload *f)
{
	struct mlx5e_tc_table *t = rpriv->tc_ht;
	struct mlx5e_tc_flow *flow;
	u64 bytes, packets, lastuse;

	flow = t ? tc_table_lookup(t, f->cookie) : NULL;
	if (!flow)
		return -EINVAL;
	if (!flow->attr->counter)
		return 0;
	mlx5_fc_query_cached(flow->attr->counter, &bytes, &packets, &lastuse);
	flow_stats_update(&f->stats, bytes - flow->last_bytes, packets - flow->last_packets, 0,
			  lastuse, FLOW_ACTION_HW_STATS_DELAYED);
	flow->last_bytes = bytes;
	flow->last_packets = packets;
	return 0;
}

int mlx5e_rep_setup_tc_cb(enum tc_setup_type type, void *type_data, void *cb_priv)
{
	struct mlx5e_rep_priv *rpriv = cb_priv;

	if (type != TC_SETUP_CLSFLOWER)
		return -EOPNOTSUPP;
	return mlx5e_tc_setup_flower(rpriv, rpriv->netdev, type_data);
}

int mlx5e_tc_setup_flower(struct mlx5e_rep_priv *rpriv, struct net_device *filter_dev,
			  struct flow_cls_offload *f)
{
	switch (f->command) {
	case FLOW_CLS_REPLACE:
		/*
		 * ethtool -K REP hw-tc-offload off: new filters stay in
		 * software; a skip_sw one fails as on a device that cannot
		 * offload at all (no message)
		 */
		if (!tc_can_offload(rpriv->netdev))
			return -EOPNOTSUPP;
		return mlx5e_configure_flower(rpriv, filter_dev, f);
	case FLOW_CLS_DESTROY:
		return mlx5e_delete_flower(rpriv, f);
	case FLOW_CLS_STATS:
		return mlx5e_stats_flower(rpriv, f);
	default:
		return -EOPNOTSUPP;
	}
}

/* ---- ctoffload explain filter ---- */

static void mlx5e_tc_describe_rule(FILE *f, bool *first, struct mlx5_flow_handle *rule,
				   const char *role)
{
	char table[64], to[64];
	u32 fte;

	if (mlx5_flow_handle_describe(rule, table, sizeof(table), &fte, to, sizeof(to)))
		return;
	fprintf(f, "%s{\"table\":", *first ? "" : ",");
	ctoffload_json_str(f, table);
	fprintf(f, ",\"fte\":%u,\"role\":\"%s\",\"to\":", fte, role);
	ctoffload_json_str(f, to);
	fputc('}', f);
	*first = false;
}

static void mlx5e_tc_describe_flow(FILE *f, bool *first, const struct mlx5e_tc_flow *flow)
{
	struct mlx5_flow_handle *pre_ct, *post_ct;

	if (!flow->rule)
		return;
	if (flow->slow_attr) {
		mlx5e_tc_describe_rule(f, first, flow->rule, "slow_path");
	} else if (flow->attr->flags & MLX5_ATTR_FLAG_CT) {
		mlx5_tc_ct_flow_rules(flow, &pre_ct, &post_ct);
		mlx5e_tc_describe_rule(f, first, pre_ct, "pre_ct");
		mlx5e_tc_describe_rule(f, first, post_ct, "post_ct");
	} else {
		mlx5e_tc_describe_rule(f, first, flow->rule, "rule");
	}
}

void mlx5e_tc_flow_describe(struct mlx5_eswitch *esw, unsigned long cookie, FILE *f)
{
	struct mlx5e_tc_flow *flow;
	bool first = true;
	int i;

	fputc('[', f);
	for (i = -1; i < esw->num_vfs; i++) {
		struct mlx5_vport *vport = i < 0 ? &esw->uplink : &esw->vfs[i];
		struct mlx5e_rep_priv *rpriv;

		if (!vport->rep)
			continue;
		rpriv = netdev_priv(vport->rep);
		flow = rpriv->tc_ht ? tc_table_lookup(rpriv->tc_ht, cookie) : NULL;
		if (flow)
			mlx5e_tc_describe_flow(f, &first, flow);
	}
	fputc(']', f);
}

int mlx5e_tc_esw_init(struct net_device *rep)
{
	struct mlx5e_rep_priv *rpriv = netdev_priv(rep);

	rpriv->tc_ht = tc_table_create();
	return rpriv->tc_ht ? 0 : -ENOMEM;
}

void mlx5e_tc_esw_cleanup(struct net_device *rep)
{
	struct mlx5e_rep_priv *rpriv = netdev_priv(rep);
	struct mlx5e_tc_table *t = rpriv->tc_ht;
	struct mlx5e_tc_flow *flow, *tmp;
	unsigned int i;

	if (!t)
		return;
	for (i = 0; i < 1u << t->bits; i++) {
		list_for_each_entry_safe(flow, tmp, &t->buckets[i], list)
			mlx5e_tc_remove_flow(rpriv, flow);
	}
	kfree(t->buckets);
	kfree(t);
	rpriv->tc_ht = NULL;
}
