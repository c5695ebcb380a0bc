// SPDX-License-Identifier: GPL-2.0
/*
 * Connection tracking offload for the eswitch (en/tc_ct.h has the
 * design): the pre_ct / post_ct split of filters with a ct action, the
 * ct and ct_nat tables that hold one FTE per offloaded connection
 * direction, and the restore of a connection after a miss.
 *
 * Who calls what, on which thread:
 *  - en_tc.c, under rtnl: match_add/del, parse_action, flow_offload,
 *    delete_flow.  These take ct_priv->control_lock (zone objects, fte_ids).
 *  - the flowtable's offload worker: mlx5_tc_ct_block_flow_offload()
 *    (REPLACE / DESTROY / STATS of one connection direction), with the
 *    flowtable's flow_block_lock held for reading and rcu_read_lock.
 *    It takes ct_priv->entries_lock only, never control_lock, because the
 *    control side holds control_lock while nf_flow_table_offload_del_cb()
 *    waits for the worker to leave the callback.
 *  - datapath threads: mlx5e_tc_ct_restore_flow(), lock-free under
 *    rcu_read_lock on the restore tables (cds_lfht); entries are freed
 *    with call_rcu.
 */
#include <pthread.h>
#include <xxhash.h>
#include <arpa/inet.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <linux/tc_act/tc_ct.h>
#include <linux/idr.h>
#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <urcu/rculfhash.h>
#include <net/netlink.h>
#include <net/flow_offload.h>
#include <net/pkt_cls.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_flow_table.h>
#include <net/tc_act/tc_ct.h>
#include "../eswitch.h"
#include "../en_tc.h"
#include "../lib/fs_chains.h"
#include "mapping.h"
#include "mod_hdr.h"
#include "tc_priv.h"
#include "tc_ct.h"

/* ids must fit their registers (en/tc_regs.c) */
#define MLX5_CT_ZONE_RESTORE_MAX	((1u << 8) - 1)
#define MLX5_CT_FTE_ID_MAX		((1u << 24) - 1)
#define MLX5_CT_LABELS_ID_MAX		0xffffffffu
#define MLX5_CT_ZONE_MASK		0xffff

/* one table each for every zone's connections: sized for many of them */
#define MLX5_CT_TABLE_SIZE		(1 << 22)
/* the tuple kinds (v4/v6 x tcp/udp) each make one auto group */
#define MLX5_CT_TABLE_GROUPS		8
#define MLX5_POST_CT_TABLE_SIZE		(1 << 16)
#define MLX5_POST_CT_TABLE_GROUPS	4

/* the model's tcp_flags field (host order, 9 bits) */
#define MLX5_TCP_FLAG_FIN		0x001
#define MLX5_TCP_FLAG_SYN		0x002
#define MLX5_TCP_FLAG_RST		0x004
#define MLX5_TCP_FLAGS_MASK		0x1ff

#define MLX5_CT_LABELS_WORDS		4

/* the ct_state flags flower knows (linux/pkt_cls.h) */
#define MLX5_CT_FLOWER_STATE_FLAGS	(TCA_FLOWER_KEY_CT_FLAGS_NEW |		\
					 TCA_FLOWER_KEY_CT_FLAGS_ESTABLISHED |	\
					 TCA_FLOWER_KEY_CT_FLAGS_RELATED |	\
					 TCA_FLOWER_KEY_CT_FLAGS_TRACKED |	\
					 TCA_FLOWER_KEY_CT_FLAGS_INVALID |	\
					 TCA_FLOWER_KEY_CT_FLAGS_REPLY)

/*
 * What a connection direction's packets carry, as the restore tables key
 * it: IPv4 addresses in the first 4 bytes of their field, the rest zero,
 * so the whole struct is the key.
 */
struct mlx5_ct_tuple {
	u8 src[16];
	u8 dst[16];
	__be16 src_port;
	__be16 dst_port;
	u16 zone;
	u8 l3;				/* 4 or 6 */
	u8 ip_proto;
};

/* a node of a restore table (ct_tuples_ht or ct_tuples_nat_ht) */
struct mlx5_ct_tuple_node {
	struct cds_lfht_node node;
	struct mlx5_ct_tuple tuple;
	unsigned long restore_cookie;	/* FLOW_ACTION_CT_METADATA's cookie */
	bool linked;
};

/* one FTE in ct or ct_nat */
struct mlx5_ct_zone_rule {
	struct mlx5_flow_handle *rule;
	struct mlx5_modify_hdr *modify_hdr;	/* NAT: the rule's own */
	struct mlx5e_mod_hdr_handle *mh;	/* no NAT: shared (ct_priv->mod_hdr_tbl) */
};

enum {
	MLX5_CT_RULE_PLAIN,		/* in ct */
	MLX5_CT_RULE_NAT,		/* in ct_nat */
	MLX5_CT_RULE_MAX,
};

/* what REPLACE's flow_rule says, parsed */
struct mlx5_ct_rule_desc {
	struct mlx5_ct_tuple tuple;	/* as it arrives */
	struct mlx5_ct_tuple tuple_nat;	/* as it leaves ct_nat */
	u16 tcp_flags_mask;		/* the rule's, widened to FIN|SYN|RST */
	bool has_nat;
	struct mlx5e_tc_mod_hdr_acts nat_acts;	/* the rewrites, for ct_nat */
	unsigned long cookie;		/* CT_METADATA's */
	u32 mark;
	u32 labels[MLX5_CT_LABELS_WORDS];
	bool orig_dir;
	bool have_metadata;
};

/* one offloaded connection direction */
struct mlx5_ct_entry {
	struct cds_lfht_node node;	/* ct_priv->ct_entries_ht, by cookie */
	struct list_head list;		/* its zone's entries */
	struct mlx5_ct_ft *ft;
	unsigned long cookie;		/* the flowtable's: the direction's tuple */
	struct mlx5_ct_tuple_node tuple_node;
	struct mlx5_ct_tuple_node tuple_nat_node;
	struct mlx5_fc *counter;
	struct mlx5_ct_zone_rule zone_rules[MLX5_CT_RULE_MAX];
	u32 labels_id;
	u64 last_packets, last_bytes;	/* what the last STATS reported */
	struct rcu_head rcu;
};

/* a zone some offloaded filter uses: we are registered on its flowtable */
struct mlx5_ct_ft {
	struct list_head list;		/* ct_priv->zones */
	struct mlx5_tc_ct_priv *ct_priv;
	u16 zone;
	u32 zone_restore_id;
	refcount_t refcount;		/* offloaded filters with this zone */
	struct nf_flowtable *nf_ft;
	struct list_head ct_entries;	/* under entries_lock */
};

/* the split of one filter (flow->ct) */
struct mlx5e_tc_flow_ct {
	struct mlx5_ct_ft *ft;
	u32 fte_id;
	u32 chain_mapping;
	struct mlx5_modify_hdr *pre_ct_modify_hdr;
	struct mlx5_flow_attr *pre_ct_attr;
	struct mlx5_flow_attr *post_ct_attr;
	struct mlx5_flow_handle *pre_ct_rule;
	struct mlx5_flow_handle *post_ct_rule;
	struct mlx5_flow_spec post_ct_spec;
};

struct mlx5_tc_ct_priv {
	struct mlx5_eswitch *esw;
	struct mlx5_core_dev *dev;
	struct mlx5_fs_chains *chains;
	struct mlx5_flow_table *ct;
	struct mlx5_flow_table *ct_nat;
	struct mlx5_flow_table *post_ct;
	struct mapping_ctx *zone_mapping;	/* zone -> ZONE_RESTORE_TO_REG */
	struct mapping_ctx *labels_mapping;	/* u32[4] -> LABELS_TO_REG */
	/* register-only modify headers, shared between connections */
	struct mod_hdr_tbl mod_hdr_tbl;
	/* rtnl side: zones, fte_ids */
	pthread_mutex_t control_lock;
	struct list_head zones;
	struct idr fte_ids;
	/* offload worker side: the entry tables' writers */
	pthread_mutex_t entries_lock;
	struct cds_lfht *ct_entries_ht;		/* by flowtable cookie */
	struct cds_lfht *ct_tuples_ht;		/* restore, by the pre-NAT tuple */
	struct cds_lfht *ct_tuples_nat_ht;	/* restore, by the post-NAT tuple */
	unsigned int entries;			/* directions offloaded */
};

/* ---- the hash tables ---- */

static unsigned long mlx5_ct_tuple_hash(const struct mlx5_ct_tuple *tuple)
{
	return XXH3_64bits(tuple, sizeof(*tuple));
}

static int mlx5_ct_tuple_match(struct cds_lfht_node *node, const void *key)
{
	const struct mlx5_ct_tuple_node *tn =
		container_of(node, struct mlx5_ct_tuple_node, node);

	rcu_tsan_subscribe(node);	/* found inside liburcu's table */
	return !memcmp(&tn->tuple, key, sizeof(tn->tuple));
}

static unsigned long mlx5_ct_cookie_hash(unsigned long cookie)
{
	return XXH3_64bits(&cookie, sizeof(cookie));
}

static int mlx5_ct_cookie_match(struct cds_lfht_node *node, const void *key)
{
	const struct mlx5_ct_entry *entry = container_of(node, struct mlx5_ct_entry, node);

	rcu_tsan_subscribe(node);	/* found inside liburcu's table */
	return entry->cookie == *(const unsigned long *)key;
}

static struct cds_lfht *mlx5_ct_ht_new(void)
{
	return cds_lfht_new_flavor(1024, 1024, 1UL << 24,
				   CDS_LFHT_AUTO_RESIZE | CDS_LFHT_ACCOUNTING,
				   &urcu_memb_flavor, NULL);
}

/* entries_lock held */
static struct mlx5_ct_entry *mlx5_tc_ct_entry_lookup(struct mlx5_tc_ct_priv *ct_priv,
						     unsigned long cookie)
{
	struct cds_lfht_iter iter;
	struct cds_lfht_node *node;

	rcu_read_lock();
	cds_lfht_lookup(ct_priv->ct_entries_ht, mlx5_ct_cookie_hash(cookie),
			mlx5_ct_cookie_match, &cookie, &iter);
	node = cds_lfht_iter_get_node(&iter);
	rcu_read_unlock();
	return node ? container_of(node, struct mlx5_ct_entry, node) : NULL;
}

/*
 * Two connections never share a tuple in one zone (conntrack sees to
 * that), so a clash means a stale entry; the newcomer is then simply not
 * restorable and its packets are tracked again in software.
 */
static void mlx5_tc_ct_tuple_link(struct cds_lfht *ht, struct mlx5_ct_tuple_node *tn)
{
	struct cds_lfht_node *node;

	cds_lfht_node_init(&tn->node);
	rcu_tsan_publish(&tn->node);
	rcu_read_lock();
	node = cds_lfht_add_unique(ht, mlx5_ct_tuple_hash(&tn->tuple), mlx5_ct_tuple_match,
				   &tn->tuple, &tn->node);
	rcu_read_unlock();
	tn->linked = node == &tn->node;
}

static void mlx5_tc_ct_tuple_unlink(struct cds_lfht *ht, struct mlx5_ct_tuple_node *tn)
{
	if (!tn->linked)
		return;
	rcu_read_lock();
	cds_lfht_del(ht, &tn->node);
	rcu_read_unlock();
	tn->linked = false;
}

/* ---- parsing a connection direction (FLOW_CLS_REPLACE) ---- */

static int mlx5_tc_ct_parse_match(const struct flow_rule *rule, struct mlx5_ct_rule_desc *desc,
				  struct netlink_ext_ack *extack)
{
	const unsigned long long supported = BIT_ULL(FLOW_DISSECTOR_KEY_CONTROL) |
					     BIT_ULL(FLOW_DISSECTOR_KEY_BASIC) |
					     BIT_ULL(FLOW_DISSECTOR_KEY_IPV4_ADDRS) |
					     BIT_ULL(FLOW_DISSECTOR_KEY_IPV6_ADDRS) |
					     BIT_ULL(FLOW_DISSECTOR_KEY_PORTS) |
					     BIT_ULL(FLOW_DISSECTOR_KEY_TCP);
	struct mlx5_ct_tuple *tuple = &desc->tuple;
	struct flow_match_control control;
	struct flow_match_basic basic;
	struct flow_match_ports ports;

	if (rule->match.dissector->used_keys & ~supported) {
		NL_SET_ERR_MSG_MOD(extack, "connection match has keys the ct table can't match");
		return -EOPNOTSUPP;
	}
	flow_rule_match_basic(rule, &basic);
	flow_rule_match_control(rule, &control);
	switch (control.key->addr_type) {
	case FLOW_DISSECTOR_KEY_IPV4_ADDRS: {
		struct flow_match_ipv4_addrs addrs;

		flow_rule_match_ipv4_addrs(rule, &addrs);
		tuple->l3 = 4;
		memcpy(tuple->src, &addrs.key->src, 4);
		memcpy(tuple->dst, &addrs.key->dst, 4);
		break;
	}
	case FLOW_DISSECTOR_KEY_IPV6_ADDRS: {
		struct flow_match_ipv6_addrs addrs;

		flow_rule_match_ipv6_addrs(rule, &addrs);
		tuple->l3 = 6;
		memcpy(tuple->src, &addrs.key->src, 16);
		memcpy(tuple->dst, &addrs.key->dst, 16);
		break;
	}
	default:
		NL_SET_ERR_MSG_MOD(extack, "connection is neither IPv4 nor IPv6");
		return -EOPNOTSUPP;
	}
	tuple->ip_proto = basic.key->ip_proto;
	if (tuple->ip_proto != IPPROTO_TCP && tuple->ip_proto != IPPROTO_UDP) {
		NL_SET_ERR_MSG_MOD(extack, "only TCP and UDP connections are offloaded");
		return -EOPNOTSUPP;
	}
	flow_rule_match_ports(rule, &ports);
	tuple->src_port = ports.key->src;
	tuple->dst_port = ports.key->dst;

	/*
	 * FIN and RST must reach software, which tears the entry down; so
	 * must a SYN, which on an offloaded tuple means the port was reused
	 * and conntrack has to see the new connection.
	 */
	if (tuple->ip_proto == IPPROTO_TCP) {
		struct flow_match_tcp tcp;

		flow_rule_match_tcp(rule, &tcp);
		desc->tcp_flags_mask = (ntohs(tcp.mask->flags) | MLX5_TCP_FLAG_FIN |
					MLX5_TCP_FLAG_SYN | MLX5_TCP_FLAG_RST) &
				       MLX5_TCP_FLAGS_MASK;
	}
	desc->tuple_nat = *tuple;
	return 0;
}

static int mlx5_tc_ct_mod_hdr_set(struct mlx5e_tc_mod_hdr_acts *acts, u8 field, u8 length,
				  u32 data)
{
	struct mlx5_action_in *a = mlx5e_mod_hdr_alloc(acts);

	if (!a)
		return -ENOMEM;
	a->action_type = MLX5_ACTION_TYPE_SET;
	a->field = field;
	a->length = length;
	a->data = data;
	acts->num_actions++;
	return 0;
}

/* IPv4 saddr (12) or daddr (16), rewritten whole */
static int mlx5_tc_ct_parse_mangle_ip4(const struct flow_action_entry *act,
				       struct mlx5_ct_rule_desc *desc)
{
	u32 offset = act->mangle.offset;
	u8 *addr;
	u8 field;

	if (act->mangle.mask)
		return -EOPNOTSUPP;
	if (offset == offsetof(struct iphdr, saddr)) {
		field = MLX5_ACTION_IN_FIELD_OUT_SIPV4;
		addr = desc->tuple_nat.src;
	} else if (offset == offsetof(struct iphdr, daddr)) {
		field = MLX5_ACTION_IN_FIELD_OUT_DIPV4;
		addr = desc->tuple_nat.dst;
	} else {
		return -EOPNOTSUPP;
	}
	memcpy(addr, &act->mangle.val, 4);
	return mlx5_tc_ct_mod_hdr_set(&desc->nat_acts, field, 0, ntohl(act->mangle.val));
}

/* one 32-bit word of an IPv6 source (8..23) or destination (24..39) */
static int mlx5_tc_ct_parse_mangle_ip6(const struct flow_action_entry *act,
				       struct mlx5_ct_rule_desc *desc)
{
	static const u8 src_fields[] = {
		MLX5_ACTION_IN_FIELD_OUT_SIPV6_127_96, MLX5_ACTION_IN_FIELD_OUT_SIPV6_95_64,
		MLX5_ACTION_IN_FIELD_OUT_SIPV6_63_32, MLX5_ACTION_IN_FIELD_OUT_SIPV6_31_0,
	};
	static const u8 dst_fields[] = {
		MLX5_ACTION_IN_FIELD_OUT_DIPV6_127_96, MLX5_ACTION_IN_FIELD_OUT_DIPV6_95_64,
		MLX5_ACTION_IN_FIELD_OUT_DIPV6_63_32, MLX5_ACTION_IN_FIELD_OUT_DIPV6_31_0,
	};
	const u32 src = offsetof(struct ip6_hdr, ip6_src), dst = offsetof(struct ip6_hdr, ip6_dst);
	u32 offset = act->mangle.offset;
	unsigned int word;
	u8 field;

	if (act->mangle.mask || offset % 4)
		return -EOPNOTSUPP;
	if (offset >= src && offset < src + 16) {
		word = (offset - src) / 4;
		field = src_fields[word];
		memcpy(&desc->tuple_nat.src[word * 4], &act->mangle.val, 4);
	} else if (offset >= dst && offset < dst + 16) {
		word = (offset - dst) / 4;
		field = dst_fields[word];
		memcpy(&desc->tuple_nat.dst[word * 4], &act->mangle.val, 4);
	} else {
		return -EOPNOTSUPP;
	}
	return mlx5_tc_ct_mod_hdr_set(&desc->nat_acts, field, 0, ntohl(act->mangle.val));
}

/*
 * Ports: the first word of the L4 header, source port in its high half;
 * the mangle's mask holds the bits kept, so a kept low half means the
 * source port is rewritten.
 */
static int mlx5_tc_ct_parse_mangle_ports(const struct flow_action_entry *act,
					 struct mlx5_ct_rule_desc *desc)
{
	bool tcp = act->mangle.htype == FLOW_ACT_MANGLE_HDR_TYPE_TCP;
	u32 keep = ntohl(act->mangle.mask);
	u32 val = ntohl(act->mangle.val);
	int err;

	if (act->mangle.offset != 0 || (keep != 0 && keep != 0xffff && keep != 0xffff0000))
		return -EOPNOTSUPP;
	if ((tcp && desc->tuple.ip_proto != IPPROTO_TCP) ||
	    (!tcp && desc->tuple.ip_proto != IPPROTO_UDP))
		return -EOPNOTSUPP;
	if (!(keep & 0xffff0000)) {
		desc->tuple_nat.src_port = htons(val >> 16);
		err = mlx5_tc_ct_mod_hdr_set(&desc->nat_acts,
					     tcp ? MLX5_ACTION_IN_FIELD_OUT_TCP_SPORT :
						   MLX5_ACTION_IN_FIELD_OUT_UDP_SPORT,
					     16, val >> 16);
		if (err)
			return err;
	}
	if (!(keep & 0xffff)) {
		desc->tuple_nat.dst_port = htons(val & 0xffff);
		err = mlx5_tc_ct_mod_hdr_set(&desc->nat_acts,
					     tcp ? MLX5_ACTION_IN_FIELD_OUT_TCP_DPORT :
						   MLX5_ACTION_IN_FIELD_OUT_UDP_DPORT,
					     16, val & 0xffff);
		if (err)
			return err;
	}
	return 0;
}

static int mlx5_tc_ct_parse_mangle(const struct flow_action_entry *act,
				   struct mlx5_ct_rule_desc *desc)
{
	switch (act->mangle.htype) {
	case FLOW_ACT_MANGLE_HDR_TYPE_IP4:
		if (desc->tuple.l3 != 4)
			return -EOPNOTSUPP;
		return mlx5_tc_ct_parse_mangle_ip4(act, desc);
	case FLOW_ACT_MANGLE_HDR_TYPE_IP6:
		if (desc->tuple.l3 != 6)
			return -EOPNOTSUPP;
		return mlx5_tc_ct_parse_mangle_ip6(act, desc);
	case FLOW_ACT_MANGLE_HDR_TYPE_TCP:
	case FLOW_ACT_MANGLE_HDR_TYPE_UDP:
		return mlx5_tc_ct_parse_mangle_ports(act, desc);
	default:
		return -EOPNOTSUPP;
	}
}

static int mlx5_tc_ct_parse_actions(const struct flow_rule *rule, struct mlx5_ct_rule_desc *desc,
				    struct netlink_ext_ack *extack)
{
	const struct flow_action_entry *act;
	unsigned int i;
	int err;

	flow_action_for_each(i, act, &rule->action) {
		switch (act->id) {
		case FLOW_ACTION_MANGLE:
			err = mlx5_tc_ct_parse_mangle(act, desc);
			if (err) {
				NL_SET_ERR_MSG_MOD(extack, "unsupported NAT rewrite");
				return err;
			}
			desc->has_nat = true;
			break;
		case FLOW_ACTION_CSUM:
			/* the device fixes checksums after every rewrite */
			break;
		case FLOW_ACTION_CT_METADATA:
			desc->cookie = act->ct_metadata.cookie;
			desc->mark = act->ct_metadata.mark;
			memcpy(desc->labels, act->ct_metadata.labels, sizeof(desc->labels));
			desc->orig_dir = act->ct_metadata.orig_dir;
			desc->have_metadata = true;
			break;
		default:
			NL_SET_ERR_MSG_MOD(extack, "unsupported action in a connection's rule");
			return -EOPNOTSUPP;
		}
	}
	if (!desc->have_metadata) {
		NL_SET_ERR_MSG_MOD(extack, "connection rule without ct metadata");
		return -EOPNOTSUPP;
	}
	return 0;
}

/* ---- one connection direction's FTEs ---- */

static void mlx5_tc_ct_set_tuple_match(struct mlx5_flow_spec *spec,
				       const struct mlx5_ct_rule_desc *desc)
{
	struct mlx5_fte_match_set_lyr_2_4 *c = &spec->match_criteria.outer_headers;
	struct mlx5_fte_match_set_lyr_2_4 *v = &spec->match_value.outer_headers;
	const struct mlx5_ct_tuple *tuple = &desc->tuple;

	spec->match_criteria_enable |= MLX5_MATCH_OUTER_HEADERS;
	c->ethertype = 0xffff;
	c->ip_protocol = 0xff;
	v->ip_protocol = tuple->ip_proto;
	if (tuple->l3 == 4) {
		v->ethertype = ETH_P_IP;
		/* the PRM's ipv4_layout: the address in the last 4 bytes */
		memset(&c->src_ipv4_src_ipv6[12], 0xff, 4);
		memset(&c->dst_ipv4_dst_ipv6[12], 0xff, 4);
		memcpy(&v->src_ipv4_src_ipv6[12], tuple->src, 4);
		memcpy(&v->dst_ipv4_dst_ipv6[12], tuple->dst, 4);
	} else {
		v->ethertype = ETH_P_IPV6;
		memset(c->src_ipv4_src_ipv6, 0xff, 16);
		memset(c->dst_ipv4_dst_ipv6, 0xff, 16);
		memcpy(v->src_ipv4_src_ipv6, tuple->src, 16);
		memcpy(v->dst_ipv4_dst_ipv6, tuple->dst, 16);
	}
	if (tuple->ip_proto == IPPROTO_TCP) {
		c->tcp_sport = 0xffff;
		c->tcp_dport = 0xffff;
		v->tcp_sport = ntohs(tuple->src_port);
		v->tcp_dport = ntohs(tuple->dst_port);
		c->tcp_flags = desc->tcp_flags_mask;
		v->tcp_flags = 0;
	} else {
		c->udp_sport = 0xffff;
		c->udp_dport = 0xffff;
		v->udp_sport = ntohs(tuple->src_port);
		v->udp_dport = ntohs(tuple->dst_port);
	}
}

/*
 * The ct state a hit gives, as act_ct would set it for the cookie's
 * ctinfo: a one-way UDP original direction is still "new".
 */
static u32 mlx5_tc_ct_entry_state(const struct mlx5_ct_rule_desc *desc, bool nat)
{
	u32 state = MLX5_CT_STATE_TRK_BIT;

	if ((desc->cookie & NFCT_INFOMASK) == IP_CT_NEW)
		state |= MLX5_CT_STATE_NEW_BIT;
	else
		state |= MLX5_CT_STATE_ESTABLISHED_BIT;
	if (!desc->orig_dir)
		state |= MLX5_CT_STATE_REPLY_BIT;
	if (nat)
		state |= MLX5_CT_STATE_NAT_BIT;
	return state;
}

static int mlx5_tc_ct_entry_set_registers(struct mlx5e_tc_mod_hdr_acts *acts,
					  const struct mlx5_ct_rule_desc *desc,
					  const struct mlx5_ct_entry *entry, bool nat)
{
	int err;

	err = mlx5e_tc_match_to_reg_set(acts, CTSTATE_TO_REG, mlx5_tc_ct_entry_state(desc, nat));
	if (!err)
		err = mlx5e_tc_match_to_reg_set(acts, MARK_TO_REG, desc->mark);
	if (!err)
		err = mlx5e_tc_match_to_reg_set(acts, LABELS_TO_REG, entry->labels_id);
	if (!err)
		err = mlx5e_tc_match_to_reg_set(acts, ZONE_RESTORE_TO_REG,
						entry->ft->zone_restore_id);
	return err;
}

static void mlx5_tc_ct_entry_del_rule(struct mlx5_tc_ct_priv *ct_priv, struct mlx5_ct_entry *entry,
				      int which)
{
	struct mlx5_ct_zone_rule *zr = &entry->zone_rules[which];

	if (zr->rule)
		mlx5_del_flow_rules(zr->rule);
	if (zr->mh)
		mlx5e_mod_hdr_detach(ct_priv->dev, &ct_priv->mod_hdr_tbl, zr->mh);
	else if (zr->modify_hdr)
		mlx5_modify_header_dealloc(ct_priv->dev, zr->modify_hdr);
	zr->rule = NULL;
	zr->modify_hdr = NULL;
	zr->mh = NULL;
}

/*
 * One FTE: the tuple in the entry's zone; set the ct registers (and, in
 * ct_nat, rewrite the packet); count; go on in post_ct.
 */
static int mlx5_tc_ct_entry_add_rule(struct mlx5_tc_ct_priv *ct_priv, struct mlx5_ct_entry *entry,
				     const struct mlx5_ct_rule_desc *desc, int which,
				     struct netlink_ext_ack *extack)
{
	struct mlx5_ct_zone_rule *zr = &entry->zone_rules[which];
	bool nat = which == MLX5_CT_RULE_NAT && desc->has_nat;
	struct mlx5e_tc_mod_hdr_acts acts = {};
	struct mlx5_flow_destination dest[2] = {};
	struct mlx5_flow_act flow_act = {};
	struct mlx5_flow_spec *spec;
	int i, err;

	spec = kzalloc(sizeof(*spec), GFP_KERNEL);
	if (!spec)
		return -ENOMEM;
	if (nat) {
		for (i = 0; i < desc->nat_acts.num_actions; i++) {
			struct mlx5_action_in *a = mlx5e_mod_hdr_alloc(&acts);

			if (!a) {
				err = -ENOMEM;
				goto out;
			}
			*a = desc->nat_acts.actions[i];
			acts.num_actions++;
		}
	}
	err = mlx5_tc_ct_entry_set_registers(&acts, desc, entry, nat);
	if (err)
		goto out;
	/*
	 * Without NAT the actions are register writes that many connections
	 * share (same state, mark, labels, zone): one device object for all
	 * of them, as mlx5 attaches them to its mod_hdr table.
	 */
	if (nat) {
		zr->modify_hdr = mlx5_modify_header_alloc(ct_priv->dev, MLX5_FLOW_NAMESPACE_FDB,
							  acts.num_actions, acts.actions);
	} else {
		zr->mh = mlx5e_mod_hdr_attach(ct_priv->dev, &ct_priv->mod_hdr_tbl,
					      MLX5_FLOW_NAMESPACE_FDB, &acts);
		zr->modify_hdr = IS_ERR(zr->mh) ? (void *)zr->mh : mlx5e_mod_hdr_get(zr->mh);
		if (IS_ERR(zr->mh))
			zr->mh = NULL;
	}
	if (IS_ERR(zr->modify_hdr)) {
		err = PTR_ERR(zr->modify_hdr);
		zr->modify_hdr = NULL;
		NL_SET_ERR_MSG_MOD(extack, "no modify header for the connection's rule");
		goto out;
	}

	mlx5_tc_ct_set_tuple_match(spec, desc);
	mlx5e_tc_match_to_reg_match(spec, ZONE_TO_REG, entry->ft->zone, MLX5_CT_ZONE_MASK);

	flow_act.action = MLX5_FLOW_CONTEXT_ACTION_MOD_HDR | MLX5_FLOW_CONTEXT_ACTION_FWD_DEST |
			  MLX5_FLOW_CONTEXT_ACTION_COUNT;
	flow_act.modify_hdr = zr->modify_hdr;
	dest[0].type = MLX5_FLOW_DESTINATION_TYPE_FLOW_TABLE;
	dest[0].ft = ct_priv->post_ct;
	dest[1].type = MLX5_FLOW_DESTINATION_TYPE_COUNTER;
	dest[1].counter = entry->counter;
	zr->rule = mlx5_add_flow_rules(which == MLX5_CT_RULE_NAT ? ct_priv->ct_nat : ct_priv->ct,
				       spec, &flow_act, dest, ARRAY_SIZE(dest));
	if (IS_ERR(zr->rule)) {
		err = PTR_ERR(zr->rule);
		zr->rule = NULL;
		NL_SET_ERR_MSG_MOD(extack, "couldn't add the connection's rule");
		mlx5_tc_ct_entry_del_rule(ct_priv, entry, which);
	}
out:
	mlx5e_mod_hdr_dealloc(&acts);
	kfree(spec);
	return err;
}

static void mlx5_tc_ct_entry_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct mlx5_ct_entry, rcu));
}

/* entries_lock held; the entry is in the tables */
static void mlx5_tc_ct_entry_del(struct mlx5_tc_ct_priv *ct_priv, struct mlx5_ct_entry *entry)
{
	mlx5_tc_ct_tuple_unlink(ct_priv->ct_tuples_ht, &entry->tuple_node);
	mlx5_tc_ct_tuple_unlink(ct_priv->ct_tuples_nat_ht, &entry->tuple_nat_node);
	rcu_read_lock();
	cds_lfht_del(ct_priv->ct_entries_ht, &entry->node);
	rcu_read_unlock();
	list_del(&entry->list);
	mlx5_tc_ct_entry_del_rule(ct_priv, entry, MLX5_CT_RULE_NAT);
	mlx5_tc_ct_entry_del_rule(ct_priv, entry, MLX5_CT_RULE_PLAIN);
	if (entry->counter)
		mlx5_fc_destroy(ct_priv->dev, entry->counter);
	if (entry->labels_id)
		mapping_remove(ct_priv->labels_mapping, entry->labels_id);
	__atomic_sub_fetch(&ct_priv->entries, 1, __ATOMIC_RELAXED);
	/* a datapath thread may be reading its restore cookie */
	call_rcu(&entry->rcu, mlx5_tc_ct_entry_free_rcu);
}

static bool mlx5_tc_ct_labels_zero(const u32 *labels)
{
	int i;

	for (i = 0; i < MLX5_CT_LABELS_WORDS; i++)
		if (labels[i])
			return false;
	return true;
}

/*
 * entries_lock held.  prev: the entry this one updates, already gone but
 * for its counter, which the new rules count on (the flowtable's stats
 * are deltas of it), or NULL.
 */
static int mlx5_tc_ct_entry_add(struct mlx5_tc_ct_priv *ct_priv, struct mlx5_ct_ft *ft,
				unsigned long cookie, const struct mlx5_ct_rule_desc *desc,
				const struct mlx5_ct_entry *prev, struct netlink_ext_ack *extack)
{
	struct mlx5_ct_entry *entry;
	int err;

	entry = kzalloc(sizeof(*entry), GFP_KERNEL);
	if (!entry)
		return -ENOMEM;
	entry->ft = ft;
	entry->cookie = cookie;
	entry->tuple_node.tuple = desc->tuple;
	entry->tuple_node.tuple.zone = ft->zone;
	entry->tuple_node.restore_cookie = desc->cookie;
	entry->tuple_nat_node.tuple = desc->tuple_nat;
	entry->tuple_nat_node.tuple.zone = ft->zone;
	entry->tuple_nat_node.restore_cookie = desc->cookie;

	/* all-zero labels are register value 0, as for an unlabelled packet */
	if (!mlx5_tc_ct_labels_zero(desc->labels)) {
		err = mapping_add(ct_priv->labels_mapping, desc->labels, &entry->labels_id);
		if (err) {
			NL_SET_ERR_MSG_MOD(extack, "no labels id left for the connection");
			goto err_labels;
		}
	}
	if (prev) {
		entry->counter = prev->counter;
		entry->last_bytes = prev->last_bytes;
		entry->last_packets = prev->last_packets;
	} else {
		entry->counter = mlx5_fc_create(ct_priv->dev, true);
	}
	if (IS_ERR(entry->counter)) {
		err = PTR_ERR(entry->counter);
		NL_SET_ERR_MSG_MOD(extack, "no counter left for the connection");
		goto err_counter;
	}
	err = mlx5_tc_ct_entry_add_rule(ct_priv, entry, desc, MLX5_CT_RULE_PLAIN, extack);
	if (err)
		goto err_plain;
	err = mlx5_tc_ct_entry_add_rule(ct_priv, entry, desc, MLX5_CT_RULE_NAT, extack);
	if (err)
		goto err_nat;

	cds_lfht_node_init(&entry->node);
	rcu_tsan_publish(&entry->node);
	rcu_read_lock();
	cds_lfht_add(ct_priv->ct_entries_ht, mlx5_ct_cookie_hash(cookie), &entry->node);
	rcu_read_unlock();
	list_add_tail(&entry->list, &ft->ct_entries);
	mlx5_tc_ct_tuple_link(ct_priv->ct_tuples_ht, &entry->tuple_node);
	if (desc->has_nat)
		mlx5_tc_ct_tuple_link(ct_priv->ct_tuples_nat_ht, &entry->tuple_nat_node);
	__atomic_add_fetch(&ct_priv->entries, 1, __ATOMIC_RELAXED);
	return 0;

err_nat:
	mlx5_tc_ct_entry_del_rule(ct_priv, entry, MLX5_CT_RULE_PLAIN);
err_plain:
	mlx5_fc_destroy(ct_priv->dev, entry->counter);
err_counter:
	if (entry->labels_id)
		mapping_remove(ct_priv->labels_mapping, entry->labels_id);
err_labels:
	kfree(entry);
	return err;
}

/* ---- the flowtable's callback ---- */

static int mlx5_tc_ct_block_flow_offload_add(struct mlx5_ct_ft *ft, struct flow_cls_offload *f)
{
	struct mlx5_tc_ct_priv *ct_priv = ft->ct_priv;
	struct netlink_ext_ack *extack = f->common.extack;
	struct mlx5_ct_rule_desc desc = {};
	struct mlx5_ct_entry *old, prev;
	int err;

	err = mlx5_tc_ct_parse_match(f->rule, &desc, extack);
	if (!err)
		err = mlx5_tc_ct_parse_actions(f->rule, &desc, extack);
	if (err)
		goto out;

	pthread_mutex_lock(&ct_priv->entries_lock);
	/*
	 * A REPLACE for a direction we hold is an update (new mark or
	 * labels, a UDP connection that became established): its FTEs
	 * would clash with the new ones, so they go first.  Its packets
	 * take the software path meanwhile.
	 */
	old = mlx5_tc_ct_entry_lookup(ct_priv, f->cookie);
	if (old) {
		prev = *old;
		old->counter = NULL;		/* the new rules count on it */
		mlx5_tc_ct_entry_del(ct_priv, old);
	}
	err = mlx5_tc_ct_entry_add(ct_priv, ft, f->cookie, &desc, old ? &prev : NULL, extack);
	pthread_mutex_unlock(&ct_priv->entries_lock);
out:
	mlx5e_mod_hdr_dealloc(&desc.nat_acts);
	return err;
}

static int mlx5_tc_ct_block_flow_offload_del(struct mlx5_ct_ft *ft, struct flow_cls_offload *f)
{
	struct mlx5_tc_ct_priv *ct_priv = ft->ct_priv;
	struct mlx5_ct_entry *entry;

	pthread_mutex_lock(&ct_priv->entries_lock);
	entry = mlx5_tc_ct_entry_lookup(ct_priv, f->cookie);
	if (entry)
		mlx5_tc_ct_entry_del(ct_priv, entry);
	pthread_mutex_unlock(&ct_priv->entries_lock);
	return entry ? 0 : -ENOENT;
}

/*
 * Deltas since our last answer: the flowtable adds them to conntrack's
 * counters; lastuse keeps the software entry from expiring while
 * hardware forwards its packets.
 */
static int mlx5_tc_ct_block_flow_offload_stats(struct mlx5_ct_ft *ft, struct flow_cls_offload *f)
{
	struct mlx5_tc_ct_priv *ct_priv = ft->ct_priv;
	u64 bytes, packets, lastuse;
	struct mlx5_ct_entry *entry;

	pthread_mutex_lock(&ct_priv->entries_lock);
	entry = mlx5_tc_ct_entry_lookup(ct_priv, f->cookie);
	if (!entry) {
		pthread_mutex_unlock(&ct_priv->entries_lock);
		return -ENOENT;
	}
	mlx5_fc_query_cached(entry->counter, &bytes, &packets, &lastuse);
	flow_stats_update(&f->stats, bytes - entry->last_bytes, packets - entry->last_packets, 0,
			  lastuse, FLOW_ACTION_HW_STATS_DELAYED);
	entry->last_bytes = bytes;
	entry->last_packets = packets;
	pthread_mutex_unlock(&ct_priv->entries_lock);
	return 0;
}

static int mlx5_tc_ct_block_flow_offload(enum tc_setup_type type, void *type_data, void *cb_priv)
{
	struct flow_cls_offload *f = type_data;
	struct mlx5_ct_ft *ft = cb_priv;

	if (type != TC_SETUP_CLSFLOWER)
		return -EOPNOTSUPP;
	switch (f->command) {
	case FLOW_CLS_REPLACE:
		return mlx5_tc_ct_block_flow_offload_add(ft, f);
	case FLOW_CLS_DESTROY:
		return mlx5_tc_ct_block_flow_offload_del(ft, f);
	case FLOW_CLS_STATS:
		return mlx5_tc_ct_block_flow_offload_stats(ft, f);
	default:
		return -EOPNOTSUPP;
	}
}

/* ---- zones ---- */

/* control_lock held */
static struct mlx5_ct_ft *mlx5_tc_ct_add_ft_cb(struct mlx5_tc_ct_priv *ct_priv, u16 zone,
					       struct nf_flowtable *nf_ft,
					       struct netlink_ext_ack *extack)
{
	struct mlx5_ct_ft *ft;
	int err;

	list_for_each_entry(ft, &ct_priv->zones, list) {
		if (ft->zone == zone) {
			refcount_inc(&ft->refcount);
			return ft;
		}
	}
	ft = kzalloc(sizeof(*ft), GFP_KERNEL);
	if (!ft)
		return ERR_PTR(-ENOMEM);
	ft->ct_priv = ct_priv;
	ft->zone = zone;
	ft->nf_ft = nf_ft;
	refcount_set(&ft->refcount, 1);
	INIT_LIST_HEAD(&ft->ct_entries);
	err = mapping_add(ct_priv->zone_mapping, &zone, &ft->zone_restore_id);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "too many ct zones offloaded");
		goto err_mapping;
	}
	err = nf_flow_table_offload_add_cb(nf_ft, mlx5_tc_ct_block_flow_offload, ft);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "couldn't register on the zone's flowtable");
		goto err_add_cb;
	}
	list_add_tail(&ft->list, &ct_priv->zones);
	return ft;

err_add_cb:
	mapping_remove(ct_priv->zone_mapping, ft->zone_restore_id);
err_mapping:
	kfree(ft);
	return ERR_PTR(err);
}

/*
 * After del_cb the flowtable calls us no more for this zone (and waits
 * for a callback in progress), so its entries can go without racing the
 * worker; they stay in the software flowtable.
 */
static void mlx5_tc_ct_flush_ft(struct mlx5_tc_ct_priv *ct_priv, struct mlx5_ct_ft *ft)
{
	struct mlx5_ct_entry *entry, *tmp;

	nf_flow_table_offload_del_cb(ft->nf_ft, mlx5_tc_ct_block_flow_offload, ft);
	pthread_mutex_lock(&ct_priv->entries_lock);
	list_for_each_entry_safe(entry, tmp, &ft->ct_entries, list)
		mlx5_tc_ct_entry_del(ct_priv, entry);
	pthread_mutex_unlock(&ct_priv->entries_lock);
	mapping_remove(ct_priv->zone_mapping, ft->zone_restore_id);
	list_del(&ft->list);
	kfree(ft);
}

/* control_lock held */
static void mlx5_tc_ct_del_ft_cb(struct mlx5_tc_ct_priv *ct_priv, struct mlx5_ct_ft *ft)
{
	if (refcount_dec_and_test(&ft->refcount))
		mlx5_tc_ct_flush_ft(ct_priv, ft);
}

/* ---- filters: matches and the ct action ---- */

/*
 * Hardware sets only what a ct table hit gives: +trk with +est (or +new
 * for a one-way UDP direction), +rpl, +nat.  A +new filter could never be
 * hit by a hardware-tracked TCP packet, and +inv / +rel never: those
 * filters stay in software, where such packets are.
 */
static int mlx5_tc_ct_match_state(struct mlx5_flow_spec *spec, u16 key, u16 mask,
				  struct netlink_ext_ack *extack)
{
	static const struct {
		u16 flower;
		u32 reg;
	} bits[] = {
		{ TCA_FLOWER_KEY_CT_FLAGS_TRACKED, MLX5_CT_STATE_TRK_BIT },
		{ TCA_FLOWER_KEY_CT_FLAGS_ESTABLISHED, MLX5_CT_STATE_ESTABLISHED_BIT },
		{ TCA_FLOWER_KEY_CT_FLAGS_REPLY, MLX5_CT_STATE_REPLY_BIT },
		{ TCA_FLOWER_KEY_CT_FLAGS_NEW, MLX5_CT_STATE_NEW_BIT },
		{ TCA_FLOWER_KEY_CT_FLAGS_RELATED, MLX5_CT_STATE_RELATED_BIT },
		{ TCA_FLOWER_KEY_CT_FLAGS_INVALID, MLX5_CT_STATE_INVALID_BIT },
	};
	u32 value = 0, reg_mask = 0;
	unsigned int i;

	if (mask & ~MLX5_CT_FLOWER_STATE_FLAGS) {
		NL_SET_ERR_MSG_MOD(extack, "unsupported ct_state flags");
		return -EOPNOTSUPP;
	}
	key &= mask;
	if (key & TCA_FLOWER_KEY_CT_FLAGS_NEW) {
		NL_SET_ERR_MSG_MOD(extack, "matching on ct_state +new isn't supported");
		return -EOPNOTSUPP;
	}
	if (key & TCA_FLOWER_KEY_CT_FLAGS_RELATED) {
		NL_SET_ERR_MSG_MOD(extack, "matching on ct_state +rel isn't supported");
		return -EOPNOTSUPP;
	}
	if (key & TCA_FLOWER_KEY_CT_FLAGS_INVALID) {
		NL_SET_ERR_MSG_MOD(extack, "matching on ct_state +inv isn't supported");
		return -EOPNOTSUPP;
	}
	for (i = 0; i < ARRAY_SIZE(bits); i++) {
		if (!(mask & bits[i].flower))
			continue;
		reg_mask |= bits[i].reg;
		if (key & bits[i].flower)
			value |= bits[i].reg;
	}
	if (reg_mask)
		mlx5e_tc_match_to_reg_match(spec, CTSTATE_TO_REG, value, reg_mask);
	return 0;
}

static bool mlx5_tc_ct_labels_full_mask(const u32 *mask)
{
	int i;

	for (i = 0; i < MLX5_CT_LABELS_WORDS; i++)
		if (mask[i] != 0xffffffff)
			return false;
	return true;
}

int mlx5_tc_ct_match_add(struct mlx5_tc_ct_priv *priv, struct mlx5_flow_spec *spec,
			 struct flow_cls_offload *f, struct mlx5_ct_attr *ct_attr,
			 struct netlink_ext_ack *extack)
{
	struct flow_rule *rule = flow_cls_offload_flow_rule(f);
	struct flow_dissector_key_ct *key, *mask;
	struct flow_match_ct match;
	u32 labels[MLX5_CT_LABELS_WORDS];
	int i, err;

	if (!flow_rule_match_key(rule, FLOW_DISSECTOR_KEY_CT))
		return 0;
	if (!priv) {
		NL_SET_ERR_MSG_MOD(extack, "offload of ct matching isn't available");
		return -EOPNOTSUPP;
	}
	flow_rule_match_ct(rule, &match);
	key = match.key;
	mask = match.mask;

	if (mask->ct_labels[0] || mask->ct_labels[1] || mask->ct_labels[2] ||
	    mask->ct_labels[3]) {
		/* hardware holds an id for the whole 128 bits, not the bits */
		if (!mlx5_tc_ct_labels_full_mask(mask->ct_labels)) {
			NL_SET_ERR_MSG_MOD(extack, "only a full mask on ct_label is supported");
			return -EOPNOTSUPP;
		}
	}
	err = mlx5_tc_ct_match_state(spec, key->ct_state, mask->ct_state, extack);
	if (err)
		return err;
	if (mask->ct_zone)
		mlx5e_tc_match_to_reg_match(spec, ZONE_TO_REG, key->ct_zone, mask->ct_zone);
	if (mask->ct_mark)
		mlx5e_tc_match_to_reg_match(spec, MARK_TO_REG, key->ct_mark, mask->ct_mark);
	if (mlx5_tc_ct_labels_full_mask(mask->ct_labels)) {
		for (i = 0; i < MLX5_CT_LABELS_WORDS; i++)
			labels[i] = key->ct_labels[i];
		ct_attr->ct_labels_id = 0;
		/* no labels is register value 0, which takes no id */
		if (!mlx5_tc_ct_labels_zero(labels)) {
			err = mapping_add(priv->labels_mapping, labels, &ct_attr->ct_labels_id);
			if (err) {
				NL_SET_ERR_MSG_MOD(extack, "no labels id left for ct_label");
				return -EOPNOTSUPP;
			}
		}
		mlx5e_tc_match_to_reg_match(spec, LABELS_TO_REG, ct_attr->ct_labels_id,
					    0xffffffff);
	}
	return 0;
}

void mlx5_tc_ct_match_del(struct mlx5_tc_ct_priv *priv, struct mlx5_ct_attr *ct_attr)
{
	if (!priv || !ct_attr->ct_labels_id)
		return;
	mapping_remove(priv->labels_mapping, ct_attr->ct_labels_id);
	ct_attr->ct_labels_id = 0;
}

/*
 * What the split can do with a ct action.  Hardware only ever sees
 * connections that are established in the flowtable, so:
 *  - commit (with or without mark/label setting or a nat range) is taken
 *    as a plain ct: every connection hardware can hit is committed
 *    already, and its mark and labels are what CT_METADATA says;
 *  - force is refused: a reply-direction packet would have to delete and
 *    re-create the connection, which only software can do;
 *  - clear is refused for now: it would be a register reset on the
 *    filter's own modify header, which en_tc.c builds, not the split;
 *  - nat (any form) sends pre_ct to ct_nat, which applies the mapping
 *    the connection already has.
 */
int mlx5_tc_ct_parse_action(struct mlx5_tc_ct_priv *priv, struct mlx5_flow_attr *attr,
			    const struct flow_action_entry *act, struct netlink_ext_ack *extack)
{
	if (!priv) {
		NL_SET_ERR_MSG_MOD(extack, "offload of ct action isn't available");
		return -EOPNOTSUPP;
	}
	if (act->ct.action & TCA_CT_ACT_CLEAR) {
		NL_SET_ERR_MSG_MOD(extack, "ct clear isn't supported");
		return -EOPNOTSUPP;
	}
	if (act->ct.action & TCA_CT_ACT_FORCE) {
		NL_SET_ERR_MSG_MOD(extack, "ct force isn't supported");
		return -EOPNOTSUPP;
	}
	if (attr->ct_attr.nf_ft) {
		NL_SET_ERR_MSG_MOD(extack, "only one ct action per filter is supported");
		return -EOPNOTSUPP;
	}
	if (!act->ct.flow_table || !nf_flowtable_hw_offload(act->ct.flow_table)) {
		NL_SET_ERR_MSG_MOD(extack, "the ct action's flowtable can't be offloaded");
		return -EOPNOTSUPP;
	}
	attr->ct_attr.zone = act->ct.zone;
	attr->ct_attr.ct_action = act->ct.action;
	attr->ct_attr.nf_ft = act->ct.flow_table;
	attr->flags |= MLX5_ATTR_FLAG_CT;
	return 0;
}

/* ---- the split ---- */

/*
 * pre_ct's register writes: where software resumes on a ct miss, the
 * zone the ct tables match, the fte_id post_ct matches, and a clean ct
 * state so a miss is not mistaken for a hit.  Mark and labels are left
 * alone: a hit overwrites them, and a miss leaves the registers behind.
 */
static int mlx5_tc_ct_pre_ct_mod_hdr(struct mlx5_tc_ct_priv *ct_priv,
				     struct mlx5e_tc_flow_ct *ct_flow, u16 zone,
				     u32 tunnel_id, struct netlink_ext_ack *extack)
{
	struct mlx5e_tc_mod_hdr_acts acts = {};
	int err;

	err = mlx5e_tc_match_to_reg_set(&acts, CHAIN_TO_REG, ct_flow->chain_mapping);
	if (!err)
		err = mlx5e_tc_match_to_reg_set(&acts, ZONE_TO_REG, zone);
	if (!err)
		err = mlx5e_tc_match_to_reg_set(&acts, FTEID_TO_REG, ct_flow->fte_id);
	if (!err)
		err = mlx5e_tc_match_to_reg_set(&acts, CTSTATE_TO_REG, 0);
	/* a decap rule: which tunnel, for a miss and for later chains */
	if (!err && tunnel_id)
		err = mlx5e_tc_match_to_reg_set(&acts, TUNNEL_TO_REG, tunnel_id);
	if (err)
		goto out;
	ct_flow->pre_ct_modify_hdr = mlx5_modify_header_alloc(ct_priv->dev,
							      MLX5_FLOW_NAMESPACE_FDB,
							      acts.num_actions, acts.actions);
	if (IS_ERR(ct_flow->pre_ct_modify_hdr)) {
		err = PTR_ERR(ct_flow->pre_ct_modify_hdr);
		ct_flow->pre_ct_modify_hdr = NULL;
		NL_SET_ERR_MSG_MOD(extack, "no modify header for the pre_ct rule");
	}
out:
	mlx5e_mod_hdr_dealloc(&acts);
	return err;
}

/* the filter's actions after ct, its counter, matched by fte_id only */
static int mlx5_tc_ct_add_post_ct(struct mlx5_tc_ct_priv *ct_priv,
				  struct mlx5e_tc_flow_ct *ct_flow, struct mlx5_flow_attr *attr,
				  struct netlink_ext_ack *extack)
{
	struct mlx5_flow_attr *post;

	post = kmemdup(attr, sizeof(*attr), GFP_KERNEL);
	if (!post)
		return -ENOMEM;
	post->ft = ct_priv->post_ct;
	post->chain = 0;
	post->prio = 0;
	post->flags |= MLX5_ATTR_FLAG_NO_IN_PORT;
	/* a modify_hdr attr already had is its owner's to free, not post_ct's */
	post->flags &= ~(MLX5_ATTR_FLAG_CT | MLX5_ATTR_FLAG_ESW_MOD_HDR);
	/* decap happened in pre_ct, on the packet as it arrived */
	post->action &= ~MLX5_FLOW_CONTEXT_ACTION_DECAP;
	memset(&post->ct_attr, 0, sizeof(post->ct_attr));
	mlx5e_tc_match_to_reg_match(&ct_flow->post_ct_spec, FTEID_TO_REG, ct_flow->fte_id,
				    MLX5_CT_FTE_ID_MAX);
	ct_flow->post_ct_rule = mlx5_eswitch_add_offloaded_rule(ct_priv->esw,
								&ct_flow->post_ct_spec, post);
	if (IS_ERR(ct_flow->post_ct_rule)) {
		int err = PTR_ERR(ct_flow->post_ct_rule);

		ct_flow->post_ct_rule = NULL;
		kfree(post);
		NL_SET_ERR_MSG_MOD(extack, "couldn't add the post_ct rule");
		return err;
	}
	ct_flow->post_ct_attr = post;
	return 0;
}

/* the filter's match and pre-ct actions (decap), then into ct or ct_nat */
static int mlx5_tc_ct_add_pre_ct(struct mlx5_tc_ct_priv *ct_priv,
				 struct mlx5e_tc_flow_ct *ct_flow, struct mlx5_flow_spec *spec,
				 struct mlx5_flow_attr *attr, struct netlink_ext_ack *extack)
{
	bool nat = attr->ct_attr.ct_action & TCA_CT_ACT_NAT;
	struct mlx5_flow_attr *pre;

	pre = kmemdup(attr, sizeof(*attr), GFP_KERNEL);
	if (!pre)
		return -ENOMEM;
	pre->action = (attr->action & MLX5_FLOW_CONTEXT_ACTION_DECAP) |
		      MLX5_FLOW_CONTEXT_ACTION_FWD_DEST | MLX5_FLOW_CONTEXT_ACTION_MOD_HDR;
	pre->modify_hdr = ct_flow->pre_ct_modify_hdr;
	/* ours only: the filter's own rewrites belong to post_ct */
	memset(&pre->mod_hdr_acts, 0, sizeof(pre->mod_hdr_acts));
	pre->counter = NULL;
	pre->dest_chain = 0;
	pre->dest_ft = nat ? ct_priv->ct_nat : ct_priv->ct;
	pre->out_count = 0;
	pre->flags &= ~(MLX5_ATTR_FLAG_CT | MLX5_ATTR_FLAG_ESW_MOD_HDR);
	ct_flow->pre_ct_rule = mlx5_eswitch_add_offloaded_rule(ct_priv->esw, spec, pre);
	if (IS_ERR(ct_flow->pre_ct_rule)) {
		int err = PTR_ERR(ct_flow->pre_ct_rule);

		ct_flow->pre_ct_rule = NULL;
		kfree(pre);
		NL_SET_ERR_MSG_MOD(extack, "couldn't add the pre_ct rule");
		return err;
	}
	ct_flow->pre_ct_attr = pre;
	return 0;
}

static void mlx5_tc_ct_flow_free(struct mlx5_tc_ct_priv *ct_priv, struct mlx5e_tc_flow_ct *ct_flow)
{
	if (ct_flow->pre_ct_rule)
		mlx5_eswitch_del_offloaded_rule(ct_priv->esw, ct_flow->pre_ct_rule,
						ct_flow->pre_ct_attr);
	if (ct_flow->post_ct_rule)
		mlx5_eswitch_del_offloaded_rule(ct_priv->esw, ct_flow->post_ct_rule,
						ct_flow->post_ct_attr);
	kfree(ct_flow->pre_ct_attr);
	kfree(ct_flow->post_ct_attr);
	if (ct_flow->pre_ct_modify_hdr)
		mlx5_modify_header_dealloc(ct_priv->dev, ct_flow->pre_ct_modify_hdr);
	if (ct_flow->chain_mapping)
		mlx5_chains_put_chain_mapping(ct_priv->chains, ct_flow->chain_mapping);
	if (ct_flow->fte_id)
		idr_remove(&ct_priv->fte_ids, ct_flow->fte_id);
	if (ct_flow->ft)
		mlx5_tc_ct_del_ft_cb(ct_priv, ct_flow->ft);
	kfree(ct_flow);
}

struct mlx5_flow_handle *mlx5_tc_ct_flow_offload(struct mlx5_tc_ct_priv *priv,
						 struct mlx5e_tc_flow *flow,
						 struct mlx5_flow_spec *spec,
						 struct mlx5_flow_attr *attr,
						 struct netlink_ext_ack *extack)
{
	struct mlx5_ct_attr *ct_attr = &attr->ct_attr;
	struct mlx5e_tc_flow_ct *ct_flow;
	u32 fte_id = 1;
	int err;

	if (!priv || !ct_attr->nf_ft) {
		NL_SET_ERR_MSG_MOD(extack, "offload of ct action isn't available");
		return ERR_PTR(-EOPNOTSUPP);
	}
	/* post_ct must end the packet's walk: a goto, a forward or a drop */
	if (!(attr->action & (MLX5_FLOW_CONTEXT_ACTION_FWD_DEST | MLX5_FLOW_CONTEXT_ACTION_DROP))) {
		NL_SET_ERR_MSG_MOD(extack, "ct action must be followed by a goto or a forward");
		return ERR_PTR(-EOPNOTSUPP);
	}
	ct_flow = kzalloc(sizeof(*ct_flow), GFP_KERNEL);
	if (!ct_flow)
		return ERR_PTR(-ENOMEM);

	pthread_mutex_lock(&priv->control_lock);
	ct_flow->ft = mlx5_tc_ct_add_ft_cb(priv, ct_attr->zone, ct_attr->nf_ft, extack);
	if (IS_ERR(ct_flow->ft)) {
		err = PTR_ERR(ct_flow->ft);
		ct_flow->ft = NULL;
		goto err;
	}
	err = idr_alloc_u32(&priv->fte_ids, ct_flow, &fte_id, MLX5_CT_FTE_ID_MAX, GFP_KERNEL);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "no fte_id left for the ct split");
		goto err;
	}
	ct_flow->fte_id = fte_id;
	err = mlx5_chains_get_chain_mapping(priv->chains, attr->chain, &ct_flow->chain_mapping);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "no chain mapping for the ct miss");
		goto err;
	}
	err = mlx5_tc_ct_pre_ct_mod_hdr(priv, ct_flow, ct_attr->zone, attr->tunnel_id, extack);
	if (err)
		goto err;
	/* post_ct first: pre_ct forwards into it as soon as it exists */
	err = mlx5_tc_ct_add_post_ct(priv, ct_flow, attr, extack);
	if (err)
		goto err;
	err = mlx5_tc_ct_add_pre_ct(priv, ct_flow, spec, attr, extack);
	if (err)
		goto err;
	pthread_mutex_unlock(&priv->control_lock);
	flow->ct = ct_flow;
	return ct_flow->pre_ct_rule;

err:
	mlx5_tc_ct_flow_free(priv, ct_flow);
	pthread_mutex_unlock(&priv->control_lock);
	return ERR_PTR(err);
}

void mlx5_tc_ct_delete_flow(struct mlx5_tc_ct_priv *priv, struct mlx5e_tc_flow *flow,
			    struct mlx5_flow_attr *attr)
{
	struct mlx5e_tc_flow_ct *ct_flow = flow->ct;

	if (!priv || !ct_flow)
		return;
	pthread_mutex_lock(&priv->control_lock);
	mlx5_tc_ct_flow_free(priv, ct_flow);
	pthread_mutex_unlock(&priv->control_lock);
	flow->ct = NULL;
}

/* ---- restore after a miss ---- */

/*
 * The packet's tuple, from the flow key that tc's classifiers read next
 * (parsed once per packet, as mlx5 dissects the skb here): TCP or UDP over
 * IPv4/IPv6, not a fragment (a fragment's ports are not where the tuple
 * needs them).
 */
static bool mlx5_tc_ct_skb_to_tuple(struct sk_buff *skb, struct mlx5_ct_tuple *tuple)
{
	const struct fl_flow_key *key = skb_flow_key(skb);

	if (!key || (key->control.flags & FLOW_DIS_IS_FRAGMENT))
		return false;
	if (key->basic.ip_proto != IPPROTO_TCP && key->basic.ip_proto != IPPROTO_UDP)
		return false;
	switch (key->control.addr_type) {
	case FLOW_DISSECTOR_KEY_IPV4_ADDRS:
		tuple->l3 = 4;
		memcpy(tuple->src, &key->ipv4.src, 4);
		memcpy(tuple->dst, &key->ipv4.dst, 4);
		break;
	case FLOW_DISSECTOR_KEY_IPV6_ADDRS:
		tuple->l3 = 6;
		memcpy(tuple->src, &key->ipv6.src, 16);
		memcpy(tuple->dst, &key->ipv6.dst, 16);
		break;
	default:
		return false;
	}
	tuple->ip_proto = key->basic.ip_proto;
	tuple->src_port = key->tp.src;
	tuple->dst_port = key->tp.dst;
	return true;
}

/* rcu_read_lock held */
static struct mlx5_ct_tuple_node *mlx5_tc_ct_tuple_lookup(struct cds_lfht *ht,
							   const struct mlx5_ct_tuple *tuple)
{
	struct cds_lfht_iter iter;
	struct cds_lfht_node *node;

	cds_lfht_lookup(ht, mlx5_ct_tuple_hash(tuple), mlx5_ct_tuple_match, tuple, &iter);
	node = cds_lfht_iter_get_node(&iter);
	return node ? container_of(node, struct mlx5_ct_tuple_node, node) : NULL;
}

/*
 * The packet left ct or ct_nat as the FTE rewrote it: its tuple is the
 * pre-NAT one (ct) or the post-NAT one (ct_nat).  Both tables are looked
 * at, the plain one first, as a packet does not say which table it hit.
 */
bool mlx5e_tc_ct_restore_flow(struct mlx5_tc_ct_priv *ct_priv, struct sk_buff *skb,
			      u32 zone_restore_id)
{
	struct mlx5_ct_tuple tuple = {};
	struct mlx5_ct_tuple_node *tn;
	u16 zone;

	if (!ct_priv || !zone_restore_id)
		return false;
	if (mapping_find(ct_priv->zone_mapping, zone_restore_id, &zone))
		return false;
	if (!mlx5_tc_ct_skb_to_tuple(skb, &tuple))
		return false;
	tuple.zone = zone;

	rcu_read_lock();
	tn = mlx5_tc_ct_tuple_lookup(ct_priv->ct_tuples_ht, &tuple);
	if (!tn)
		tn = mlx5_tc_ct_tuple_lookup(ct_priv->ct_tuples_nat_ht, &tuple);
	if (tn)
		tcf_ct_flow_table_restore_skb(skb, READ_ONCE(tn->restore_cookie));
	rcu_read_unlock();
	return tn != NULL;
}

void mlx5_tc_ct_flow_rules(const struct mlx5e_tc_flow *flow, struct mlx5_flow_handle **pre_ct,
			   struct mlx5_flow_handle **post_ct)
{
	*pre_ct = flow->ct ? flow->ct->pre_ct_rule : NULL;
	*post_ct = flow->ct ? flow->ct->post_ct_rule : NULL;
}

unsigned int mlx5_tc_ct_entries(struct mlx5_tc_ct_priv *ct_priv)
{
	return ct_priv ? __atomic_load_n(&ct_priv->entries, __ATOMIC_RELAXED) : 0;
}

/* ---- init / clean ---- */

/* unmanaged: only pre_ct rules forward into them; a miss goes to software */
static struct mlx5_flow_table *mlx5_tc_ct_create_table(struct mlx5_flow_namespace *ns,
						       const char *name, int prio, int max_fte,
						       int groups)
{
	struct mlx5_flow_table_attr ft_attr = {
		.prio = prio,
		.max_fte = max_fte,
		.level = 0,
		.flags = MLX5_FLOW_TABLE_UNMANAGED,
		.next_ft = NULL,
		.name = name,
		.autogroup.max_num_groups = groups,
	};

	return mlx5_create_auto_grouped_flow_table(ns, &ft_attr);
}

/* ERR_PTR on failure: the eswitch then offloads without ct */
struct mlx5_tc_ct_priv *mlx5_tc_ct_init(struct mlx5_eswitch *esw, struct mlx5_fs_chains *chains)
{
	struct mlx5_flow_namespace *ns;
	struct mlx5_tc_ct_priv *ct_priv;
	int err = -ENOMEM;

	ns = mlx5_get_flow_namespace(esw->dev, MLX5_FLOW_NAMESPACE_FDB);
	if (!ns)
		return ERR_PTR(-EOPNOTSUPP);
	ct_priv = kzalloc(sizeof(*ct_priv), GFP_KERNEL);
	if (!ct_priv)
		return ERR_PTR(-ENOMEM);
	ct_priv->esw = esw;
	ct_priv->dev = esw->dev;
	ct_priv->chains = chains;
	pthread_mutex_init(&ct_priv->control_lock, NULL);
	pthread_mutex_init(&ct_priv->entries_lock, NULL);
	INIT_LIST_HEAD(&ct_priv->zones);
	idr_init(&ct_priv->fte_ids);

	mlx5e_mod_hdr_tbl_init(&ct_priv->mod_hdr_tbl);
	ct_priv->zone_mapping = mapping_create(sizeof(u16), MLX5_CT_ZONE_RESTORE_MAX, true);
	if (!ct_priv->zone_mapping)
		goto err;
	ct_priv->labels_mapping = mapping_create(sizeof(u32) * MLX5_CT_LABELS_WORDS,
						 MLX5_CT_LABELS_ID_MAX, true);
	if (!ct_priv->labels_mapping)
		goto err;
	ct_priv->ct_entries_ht = mlx5_ct_ht_new();
	ct_priv->ct_tuples_ht = mlx5_ct_ht_new();
	ct_priv->ct_tuples_nat_ht = mlx5_ct_ht_new();
	if (!ct_priv->ct_entries_ht || !ct_priv->ct_tuples_ht || !ct_priv->ct_tuples_nat_ht)
		goto err;

	ct_priv->post_ct = mlx5_tc_ct_create_table(ns, "post_ct", FDB_POST_CT,
						   MLX5_POST_CT_TABLE_SIZE,
						   MLX5_POST_CT_TABLE_GROUPS);
	if (IS_ERR(ct_priv->post_ct)) {
		err = PTR_ERR(ct_priv->post_ct);
		ct_priv->post_ct = NULL;
		goto err;
	}
	ct_priv->ct = mlx5_tc_ct_create_table(ns, "ct", FDB_CT, MLX5_CT_TABLE_SIZE,
					      MLX5_CT_TABLE_GROUPS);
	if (IS_ERR(ct_priv->ct)) {
		err = PTR_ERR(ct_priv->ct);
		ct_priv->ct = NULL;
		goto err;
	}
	ct_priv->ct_nat = mlx5_tc_ct_create_table(ns, "ct_nat", FDB_CT, MLX5_CT_TABLE_SIZE,
						  MLX5_CT_TABLE_GROUPS);
	if (IS_ERR(ct_priv->ct_nat)) {
		err = PTR_ERR(ct_priv->ct_nat);
		ct_priv->ct_nat = NULL;
		goto err;
	}
	return ct_priv;

err:
	mlx5_tc_ct_clean(ct_priv);
	return ERR_PTR(err);
}

void mlx5_tc_ct_clean(struct mlx5_tc_ct_priv *ct_priv)
{
	struct mlx5_ct_ft *ft, *tmp;

	if (!ct_priv)
		return;
	/* flows should be gone; whatever zone is left goes now */
	pthread_mutex_lock(&ct_priv->control_lock);
	list_for_each_entry_safe(ft, tmp, &ct_priv->zones, list)
		mlx5_tc_ct_flush_ft(ct_priv, ft);
	pthread_mutex_unlock(&ct_priv->control_lock);

	if (ct_priv->ct_nat)
		mlx5_destroy_flow_table(ct_priv->ct_nat);
	if (ct_priv->ct)
		mlx5_destroy_flow_table(ct_priv->ct);
	if (ct_priv->post_ct)
		mlx5_destroy_flow_table(ct_priv->post_ct);
	/* the entries' frees are queued; the tables are empty */
	rcu_barrier();
	if (ct_priv->ct_tuples_nat_ht)
		cds_lfht_destroy(ct_priv->ct_tuples_nat_ht, NULL);
	if (ct_priv->ct_tuples_ht)
		cds_lfht_destroy(ct_priv->ct_tuples_ht, NULL);
	if (ct_priv->ct_entries_ht)
		cds_lfht_destroy(ct_priv->ct_entries_ht, NULL);
	mapping_destroy(ct_priv->labels_mapping);
	mapping_destroy(ct_priv->zone_mapping);
	mlx5e_mod_hdr_tbl_destroy(&ct_priv->mod_hdr_tbl);
	idr_destroy(&ct_priv->fte_ids);
	pthread_mutex_destroy(&ct_priv->entries_lock);
	pthread_mutex_destroy(&ct_priv->control_lock);
	kfree(ct_priv);
}
