// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the driver's CT offload (drivers/.../mlx5/core/en/tc_ct.c)
 * over the steering model: ct matches into register matches, the ct
 * action's checks, the pre_ct / post_ct split and its registration on the
 * zone's flowtable, and the flowtable callback fed with connection
 * directions built as net/netfilter/nf_flow_table_offload.c builds them
 * (REPLACE, STATS, DESTROY), then the restore of a connection after a
 * miss.  Packets through the model are the end-to-end tests' job.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/tcp.h>
#include <linux/if_ether.h>
#include <linux/etherdevice.h>
#include <linux/pkt_cls.h>
#include <linux/tc_act/tc_ct.h>
#include <linux/tc_act/tc_csum.h>
#include <linux/jiffies.h>
#include <linux/rcupdate.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <net/netlink.h>
#include <net/flow_offload.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_flow_table.h>
#include "../../../drivers/net/ethernet/mellanox/mlx5/core/eswitch.h"
#include "../../../drivers/net/ethernet/mellanox/mlx5/core/fs_core.h"
#include "../../../drivers/net/ethernet/mellanox/mlx5/core/en_tc.h"
#include "../../../drivers/net/ethernet/mellanox/mlx5/core/en/tc_priv.h"
#include "../../../drivers/net/ethernet/mellanox/mlx5/core/en/tc_ct.h"

#define ZONE		7
#define VPORT		1

static struct skb_pool pool;
static struct mlx5_core_dev mdev = { .name = "tcct0" };
static struct mlx5_eswitch esw;
static struct mlx5_tc_ct_priv *ct_priv;
static struct nf_flowtable nf_ft = { .flags = NF_FLOWTABLE_HW_OFFLOAD };

static void wire_xmit(struct mlx5_core_dev *dev, u16 vport, struct sk_buff *skb)
{
	kfree_skb(skb);
}

static bool wire_exists(struct mlx5_core_dev *dev, u16 vport)
{
	return vport == VPORT || vport == MLX5_VPORT_UPLINK;
}

static const struct mlx5_wire_ops wire_ops = {
	.vport_xmit = wire_xmit,
	.vport_exists = wire_exists,
};

/* ---- flower rules with a ct key ---- */

struct ct_match {
	struct flow_dissector dissector;
	struct fl_flow_key key, mask;
	struct flow_rule *rule;
	struct flow_cls_offload f;
	struct netlink_ext_ack extack;
};

static void ct_match_init(struct ct_match *m)
{
	memset(m, 0, sizeof(*m));
	m->rule = flow_rule_alloc(0);
	assert_non_null(m->rule);
	m->rule->match.dissector = &m->dissector;
	m->rule->match.key = &m->key;
	m->rule->match.mask = &m->mask;
	m->dissector.used_keys = BIT_ULL(FLOW_DISSECTOR_KEY_CT);
	m->f.command = FLOW_CLS_REPLACE;
	m->f.rule = m->rule;
	m->f.common.extack = &m->extack;
}

static int ct_match_add(struct ct_match *m, struct mlx5_flow_spec *spec,
			struct mlx5_ct_attr *ct_attr)
{
	memset(spec, 0, sizeof(*spec));
	memset(ct_attr, 0, sizeof(*ct_attr));
	return mlx5_tc_ct_match_add(ct_priv, spec, &m->f, ct_attr, &m->extack);
}

static void reg_match(const struct mlx5_flow_spec *spec, enum mlx5e_tc_attr_to_reg type,
		      u32 *data, u32 *mask)
{
	mlx5e_tc_match_to_reg_get_match(spec, type, data, mask);
}

static void test_match_ct_state(void **state)
{
	struct mlx5_ct_attr ct_attr;
	struct mlx5_flow_spec spec;
	struct ct_match m;
	u32 data, mask;

	ct_match_init(&m);
	/* +trk+est */
	m.key.ct.ct_state = TCA_FLOWER_KEY_CT_FLAGS_TRACKED | TCA_FLOWER_KEY_CT_FLAGS_ESTABLISHED;
	m.mask.ct.ct_state = m.key.ct.ct_state;
	assert_int_equal(ct_match_add(&m, &spec, &ct_attr), 0);
	reg_match(&spec, CTSTATE_TO_REG, &data, &mask);
	assert_int_equal(data, MLX5_CT_STATE_TRK_BIT | MLX5_CT_STATE_ESTABLISHED_BIT);
	assert_int_equal(mask, MLX5_CT_STATE_TRK_BIT | MLX5_CT_STATE_ESTABLISHED_BIT);
	assert_true(spec.match_criteria_enable & MLX5_MATCH_MISC_PARAMETERS_2);
	/* nothing else matched */
	reg_match(&spec, ZONE_TO_REG, &data, &mask);
	assert_int_equal(mask, 0);

	/* -trk */
	m.key.ct.ct_state = 0;
	m.mask.ct.ct_state = TCA_FLOWER_KEY_CT_FLAGS_TRACKED;
	assert_int_equal(ct_match_add(&m, &spec, &ct_attr), 0);
	reg_match(&spec, CTSTATE_TO_REG, &data, &mask);
	assert_int_equal(data, 0);
	assert_int_equal(mask, MLX5_CT_STATE_TRK_BIT);

	/* +trk+est+rpl, -new: what hardware never sets is matched as clear */
	m.key.ct.ct_state = TCA_FLOWER_KEY_CT_FLAGS_TRACKED | TCA_FLOWER_KEY_CT_FLAGS_ESTABLISHED |
			    TCA_FLOWER_KEY_CT_FLAGS_REPLY;
	m.mask.ct.ct_state = m.key.ct.ct_state | TCA_FLOWER_KEY_CT_FLAGS_NEW;
	assert_int_equal(ct_match_add(&m, &spec, &ct_attr), 0);
	reg_match(&spec, CTSTATE_TO_REG, &data, &mask);
	assert_int_equal(data, MLX5_CT_STATE_TRK_BIT | MLX5_CT_STATE_ESTABLISHED_BIT |
			       MLX5_CT_STATE_REPLY_BIT);
	assert_int_equal(mask, MLX5_CT_STATE_TRK_BIT | MLX5_CT_STATE_ESTABLISHED_BIT |
			       MLX5_CT_STATE_REPLY_BIT | MLX5_CT_STATE_NEW_BIT);

	/* zone and mark (with its mask) */
	m.key.ct.ct_zone = ZONE;
	m.mask.ct.ct_zone = 0xffff;
	m.key.ct.ct_mark = 0x1234;
	m.mask.ct.ct_mark = 0xff00;
	assert_int_equal(ct_match_add(&m, &spec, &ct_attr), 0);
	reg_match(&spec, ZONE_TO_REG, &data, &mask);
	assert_int_equal(data, ZONE);
	assert_int_equal(mask, 0xffff);
	reg_match(&spec, MARK_TO_REG, &data, &mask);
	assert_int_equal(data, 0x1200);
	assert_int_equal(mask, 0xff00);
	reg_match(&spec, LABELS_TO_REG, &data, &mask);
	assert_int_equal(mask, 0);
	kfree(m.rule);
}

static void test_match_unsupported(void **state)
{
	static const struct {
		u16 flag;
		const char *msg;
	} cases[] = {
		{ TCA_FLOWER_KEY_CT_FLAGS_NEW, "matching on ct_state +new isn't supported" },
		{ TCA_FLOWER_KEY_CT_FLAGS_INVALID, "matching on ct_state +inv isn't supported" },
		{ TCA_FLOWER_KEY_CT_FLAGS_RELATED, "matching on ct_state +rel isn't supported" },
	};
	struct mlx5_ct_attr ct_attr;
	struct mlx5_flow_spec spec;
	struct ct_match m;
	unsigned int i;

	ct_match_init(&m);
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		m.key.ct.ct_state = TCA_FLOWER_KEY_CT_FLAGS_TRACKED | cases[i].flag;
		m.mask.ct.ct_state = m.key.ct.ct_state;
		m.extack._msg = NULL;
		assert_int_equal(ct_match_add(&m, &spec, &ct_attr), -EOPNOTSUPP);
		assert_string_equal(m.extack._msg, cases[i].msg);
	}

	/* a label match on some bits: hardware holds an id, not the bits */
	memset(&m.key.ct, 0, sizeof(m.key.ct));
	memset(&m.mask.ct, 0, sizeof(m.mask.ct));
	m.key.ct.ct_labels[0] = 1;
	m.mask.ct.ct_labels[0] = 0xffffffff;
	assert_int_equal(ct_match_add(&m, &spec, &ct_attr), -EOPNOTSUPP);
	assert_non_null(m.extack._msg);
	assert_int_equal(ct_attr.ct_labels_id, 0);
	kfree(m.rule);
}

static void test_match_labels(void **state)
{
	struct mlx5_ct_attr a1, a2, a3;
	struct mlx5_flow_spec spec;
	struct ct_match m;
	u32 data, mask;

	ct_match_init(&m);
	m.key.ct.ct_labels[0] = 0xabcd;
	m.key.ct.ct_labels[3] = 0x1;
	memset(m.mask.ct.ct_labels, 0xff, sizeof(m.mask.ct.ct_labels));
	assert_int_equal(ct_match_add(&m, &spec, &a1), 0);
	assert_int_not_equal(a1.ct_labels_id, 0);
	reg_match(&spec, LABELS_TO_REG, &data, &mask);
	assert_int_equal(data, a1.ct_labels_id);
	assert_int_equal(mask, 0xffffffff);

	/* the same labels share the id */
	assert_int_equal(ct_match_add(&m, &spec, &a2), 0);
	assert_int_equal(a2.ct_labels_id, a1.ct_labels_id);

	/* no labels is register value 0 and takes no id */
	memset(m.key.ct.ct_labels, 0, sizeof(m.key.ct.ct_labels));
	assert_int_equal(ct_match_add(&m, &spec, &a3), 0);
	assert_int_equal(a3.ct_labels_id, 0);
	reg_match(&spec, LABELS_TO_REG, &data, &mask);
	assert_int_equal(data, 0);
	assert_int_equal(mask, 0xffffffff);

	mlx5_tc_ct_match_del(ct_priv, &a1);
	assert_int_equal(a1.ct_labels_id, 0);
	mlx5_tc_ct_match_del(ct_priv, &a2);
	mlx5_tc_ct_match_del(ct_priv, &a3);

	/* released: other labels now get the lowest id again */
	m.key.ct.ct_labels[1] = 0x77;
	assert_int_equal(ct_match_add(&m, &spec, &a1), 0);
	assert_int_equal(a1.ct_labels_id, 1);
	mlx5_tc_ct_match_del(ct_priv, &a1);
	kfree(m.rule);
}

/* ---- the ct action ---- */

static void ct_act(struct flow_action_entry *act, int action, struct nf_flowtable *ft)
{
	memset(act, 0, sizeof(*act));
	act->id = FLOW_ACTION_CT;
	act->ct.action = action;
	act->ct.zone = ZONE;
	act->ct.flow_table = ft;
}

static void test_parse_action(void **state)
{
	struct netlink_ext_ack extack = {};
	struct flow_action_entry act;
	struct mlx5_flow_attr attr = {};

	ct_act(&act, TCA_CT_ACT_CLEAR, NULL);
	assert_int_equal(mlx5_tc_ct_parse_action(ct_priv, &attr, &act, &extack), -EOPNOTSUPP);
	assert_string_equal(extack._msg, "ct clear isn't supported");
	ct_act(&act, TCA_CT_ACT_COMMIT | TCA_CT_ACT_FORCE, &nf_ft);
	assert_int_equal(mlx5_tc_ct_parse_action(ct_priv, &attr, &act, &extack), -EOPNOTSUPP);
	ct_act(&act, 0, NULL);
	assert_int_equal(mlx5_tc_ct_parse_action(ct_priv, &attr, &act, &extack), -EOPNOTSUPP);
	assert_int_equal(mlx5_tc_ct_parse_action(NULL, &attr, &act, &extack), -EOPNOTSUPP);

	/* commit and nat are taken: hardware sees committed connections only */
	ct_act(&act, TCA_CT_ACT_COMMIT | TCA_CT_ACT_NAT | TCA_CT_ACT_NAT_SRC, &nf_ft);
	assert_int_equal(mlx5_tc_ct_parse_action(ct_priv, &attr, &act, &extack), 0);
	assert_int_equal(attr.ct_attr.zone, ZONE);
	assert_ptr_equal(attr.ct_attr.nf_ft, &nf_ft);
	assert_true(attr.ct_attr.ct_action & TCA_CT_ACT_NAT);
	assert_true(attr.flags & MLX5_ATTR_FLAG_CT);
	/* a second ct action in the same filter */
	assert_int_equal(mlx5_tc_ct_parse_action(ct_priv, &attr, &act, &extack), -EOPNOTSUPP);
}

/* ---- the split ---- */

struct ct_filter {
	struct mlx5e_tc_flow flow;
	struct mlx5_flow_attr attr;
	struct mlx5_flow_handle *rule;
};

static void ct_filter_add(struct ct_filter *flt, u32 chain, int ct_action)
{
	struct netlink_ext_ack extack = {};
	struct flow_action_entry act;

	memset(flt, 0, sizeof(*flt));
	flt->attr.chain = chain;
	flt->attr.prio = 1;
	flt->attr.in_vport = VPORT;
	flt->attr.dest_chain = 2;
	flt->attr.action = MLX5_FLOW_CONTEXT_ACTION_FWD_DEST | MLX5_FLOW_CONTEXT_ACTION_COUNT;
	flt->attr.counter = mlx5_fc_create(&mdev, true);
	assert_false(IS_ERR(flt->attr.counter));
	flt->flow.attr = &flt->attr;
	ct_act(&act, ct_action, &nf_ft);
	assert_int_equal(mlx5_tc_ct_parse_action(ct_priv, &flt->attr, &act, &extack), 0);
	flt->rule = mlx5_tc_ct_flow_offload(ct_priv, &flt->flow, &flt->flow.spec, &flt->attr,
					    &extack);
	if (IS_ERR(flt->rule))
		fail_msg("flow_offload: %ld (%s)", PTR_ERR(flt->rule), extack._msg);
	assert_non_null(flt->flow.ct);
}

static void ct_filter_del(struct ct_filter *flt)
{
	mlx5_tc_ct_delete_flow(ct_priv, &flt->flow, &flt->attr);
	assert_null(flt->flow.ct);
	mlx5_fc_destroy(&mdev, flt->attr.counter);
}

/* the callback the split registered on the zone's flowtable */
static struct flow_block_cb *ct_block_cb(void)
{
	struct flow_block_cb *block_cb;

	assert_int_equal(nf_flowtable_has_cb(&nf_ft), 1);
	block_cb = list_first_entry(&nf_ft.flow_block.cb_list, struct flow_block_cb, list);
	assert_non_null(block_cb->cb);
	return block_cb;
}

/* ---- connection directions as nf_flow_table_offload.c describes them ---- */

struct conn_rule {
	struct flow_dissector dissector;
	struct fl_flow_key key, mask;
	struct flow_rule *rule;
	struct flow_cls_offload f;
	struct netlink_ext_ack extack;
};

static void conn_rule_v4(struct conn_rule *c, const char *src, const char *dst, u16 sport,
			 u16 dport, u8 proto)
{
	memset(c, 0, sizeof(*c));
	c->rule = flow_rule_alloc(8);
	assert_non_null(c->rule);
	c->rule->action.num_entries = 0;
	c->rule->match.dissector = &c->dissector;
	c->rule->match.key = &c->key;
	c->rule->match.mask = &c->mask;
	c->key.control.addr_type = FLOW_DISSECTOR_KEY_IPV4_ADDRS;
	c->mask.control.addr_type = 0xffff;
	c->key.basic.n_proto = htons(ETH_P_IP);
	c->mask.basic.n_proto = 0xffff;
	inet_pton(AF_INET, src, &c->key.ipv4.src);
	inet_pton(AF_INET, dst, &c->key.ipv4.dst);
	c->mask.ipv4.src = 0xffffffff;
	c->mask.ipv4.dst = 0xffffffff;
	c->key.basic.ip_proto = proto;
	c->mask.basic.ip_proto = 0xff;
	c->key.tp.src = htons(sport);
	c->key.tp.dst = htons(dport);
	c->mask.tp.src = 0xffff;
	c->mask.tp.dst = 0xffff;
	c->dissector.used_keys = BIT_ULL(FLOW_DISSECTOR_KEY_CONTROL) |
				 BIT_ULL(FLOW_DISSECTOR_KEY_BASIC) |
				 BIT_ULL(FLOW_DISSECTOR_KEY_IPV4_ADDRS) |
				 BIT_ULL(FLOW_DISSECTOR_KEY_PORTS);
	if (proto == IPPROTO_TCP) {
		c->mask.tcp.flags = htons(0x0005);
		c->dissector.used_keys |= BIT_ULL(FLOW_DISSECTOR_KEY_TCP);
	}
	c->f.command = FLOW_CLS_REPLACE;
	c->f.rule = c->rule;
	c->f.common.extack = &c->extack;
}

static void conn_rule_v6(struct conn_rule *c, const char *src, const char *dst, u16 sport,
			 u16 dport)
{
	conn_rule_v4(c, "0.0.0.0", "0.0.0.0", sport, dport, IPPROTO_UDP);
	c->key.control.addr_type = FLOW_DISSECTOR_KEY_IPV6_ADDRS;
	c->key.basic.n_proto = htons(ETH_P_IPV6);
	memset(&c->key.ipv6, 0, sizeof(c->key.ipv6));
	inet_pton(AF_INET6, src, &c->key.ipv6.src);
	inet_pton(AF_INET6, dst, &c->key.ipv6.dst);
	memset(&c->mask.ipv6, 0xff, sizeof(c->mask.ipv6));
	c->dissector.used_keys &= ~BIT_ULL(FLOW_DISSECTOR_KEY_IPV4_ADDRS);
	c->dissector.used_keys |= BIT_ULL(FLOW_DISSECTOR_KEY_IPV6_ADDRS);
}

static struct flow_action_entry *conn_act(struct conn_rule *c)
{
	return &c->rule->action.entries[c->rule->action.num_entries++];
}

static void conn_mangle(struct conn_rule *c, enum flow_action_mangle_base htype, u32 offset,
			__be32 val, __be32 mask)
{
	struct flow_action_entry *a = conn_act(c);

	a->id = FLOW_ACTION_MANGLE;
	a->mangle.htype = htype;
	a->mangle.offset = offset;
	a->mangle.val = val;
	a->mangle.mask = mask;
}

static void conn_snat_v4(struct conn_rule *c, const char *addr, u16 port)
{
	__be32 a;

	inet_pton(AF_INET, addr, &a);
	conn_mangle(c, FLOW_ACT_MANGLE_HDR_TYPE_IP4, offsetof(struct iphdr, saddr), a,
		    ~htonl(0xffffffff));
	conn_mangle(c, FLOW_ACT_MANGLE_HDR_TYPE_TCP, 0, htonl((u32)port << 16),
		    ~htonl(0xffff0000));
	conn_act(c)->id = FLOW_ACTION_CSUM;
}

static void conn_metadata(struct conn_rule *c, struct nf_conn *ct,
			  enum ip_conntrack_info ctinfo, bool orig_dir, u32 mark)
{
	struct flow_action_entry *a = conn_act(c);

	a->id = FLOW_ACTION_CT_METADATA;
	a->ct_metadata.cookie = (unsigned long)ct | ctinfo;
	a->ct_metadata.mark = mark;
	a->ct_metadata.orig_dir = orig_dir;
}

static int conn_call(struct conn_rule *c, enum flow_cls_command cmd, unsigned long cookie)
{
	struct flow_block_cb *block_cb = ct_block_cb();

	c->f.command = cmd;
	c->f.cookie = cookie;
	c->f.rule = cmd == FLOW_CLS_REPLACE ? c->rule : NULL;
	memset(&c->f.stats, 0, sizeof(c->f.stats));
	return block_cb->cb(TC_SETUP_CLSFLOWER, &c->f, block_cb->cb_priv);
}

/* ---- frames for the restore ---- */

static struct sk_buff *frame_v4(const char *src, const char *dst, u16 sport, u16 dport,
				bool vlan)
{
	struct sk_buff *skb = alloc_skb(&pool);
	unsigned char *p;
	struct iphdr ip = { .version = 4, .ihl = 5, .ttl = 64, .protocol = IPPROTO_TCP };
	struct tcphdr tcp = { .th_sport = htons(sport), .th_dport = htons(dport), .th_off = 5,
			      .th_flags = TH_ACK };
	__be16 proto;

	assert_non_null(skb);
	p = skb->data;
	memset(p, 0, 2 * ETH_ALEN);
	p += 2 * ETH_ALEN;
	if (vlan) {
		proto = htons(ETH_P_8021Q);
		memcpy(p, &proto, 2);
		proto = htons(100);
		memcpy(p + 2, &proto, 2);
		p += 4;
	}
	proto = htons(ETH_P_IP);
	memcpy(p, &proto, 2);
	p += 2;
	inet_pton(AF_INET, src, &ip.saddr);
	inet_pton(AF_INET, dst, &ip.daddr);
	ip.tot_len = htons(sizeof(ip) + sizeof(tcp));
	memcpy(p, &ip, sizeof(ip));
	p += sizeof(ip);
	memcpy(p, &tcp, sizeof(tcp));
	p += sizeof(tcp);
	skb_put(skb, p - skb->data);
	return skb;
}

static struct sk_buff *frame_v6_udp(const char *src, const char *dst, u16 sport, u16 dport)
{
	struct sk_buff *skb = alloc_skb(&pool);
	struct ip6_hdr ip6 = {};
	__be16 proto = htons(ETH_P_IPV6), ports[4] = { htons(sport), htons(dport), htons(8), 0 };
	unsigned char *p;

	assert_non_null(skb);
	p = skb->data;
	memset(p, 0, 2 * ETH_ALEN);
	memcpy(p + 2 * ETH_ALEN, &proto, 2);
	p += ETH_HLEN;
	ip6.ip6_vfc = 0x60;
	ip6.ip6_nxt = IPPROTO_UDP;
	ip6.ip6_hlim = 64;
	ip6.ip6_plen = htons(8);
	inet_pton(AF_INET6, src, &ip6.ip6_src);
	inet_pton(AF_INET6, dst, &ip6.ip6_dst);
	memcpy(p, &ip6, sizeof(ip6));
	p += sizeof(ip6);
	memcpy(p, ports, sizeof(ports));
	p += sizeof(ports);
	skb_put(skb, p - skb->data);
	return skb;
}

/* zone restore ids come from a mapping that hands out the lowest free id */
#define ZONE_RESTORE_ID	1

/* the representor a miss arrives on: the restore runs after eth_type_trans(), as in en_rep.c */
static struct net_device rep_dev = { .name = "rep0", .ifindex = 5, .type = 1 /* ARPHRD_ETHER */ };

static bool restore(struct sk_buff *skb, u32 zone_restore_id, unsigned long *cookie)
{
	bool ok;

	skb->protocol = eth_type_trans(skb, &rep_dev);
	ok = mlx5e_tc_ct_restore_flow(ct_priv, skb, zone_restore_id);

	*cookie = skb->_nfct;
	if (ok) {
		assert_int_equal(skb->tc_zone, ZONE);
		assert_true(skb->post_ct);
	}
	kfree_skb(skb);
	return ok;
}

static struct nf_conn *conn_alloc(void)
{
	struct nf_conntrack_tuple orig = {}, repl = {};
	struct nf_conn *ct;

	orig.src.l3num = NFPROTO_IPV4;
	orig.dst.protonum = IPPROTO_TCP;
	inet_pton(AF_INET, "10.0.0.1", &orig.src.u3.ip);
	inet_pton(AF_INET, "10.0.0.2", &orig.dst.u3.ip);
	orig.src.u.tcp.port = htons(1000);
	orig.dst.u.tcp.port = htons(80);
	repl = orig;
	ct = nf_conntrack_alloc(ZONE, &orig, &repl);
	assert_non_null(ct);
	return ct;
}

/*
 * The seed's kind of connection: 10.0.0.1:1000 -> 10.0.0.2:80, SNATed
 * to 1.1.1.1:2000; the reply comes back to 1.1.1.1:2000.
 */
static void test_conn_offload(void **state)
{
	unsigned long orig_cookie = 0x1000, reply_cookie = 0x2000, got;
	struct conn_rule orig, reply;
	struct ct_filter flt;
	struct nf_conn *ct = conn_alloc();

	ct_filter_add(&flt, 0, TCA_CT_ACT_NAT);
	assert_int_equal(mlx5_tc_ct_entries(ct_priv), 0);

	conn_rule_v4(&orig, "10.0.0.1", "10.0.0.2", 1000, 80, IPPROTO_TCP);
	conn_snat_v4(&orig, "1.1.1.1", 2000);
	conn_metadata(&orig, ct, IP_CT_ESTABLISHED, true, 5);
	assert_int_equal(conn_call(&orig, FLOW_CLS_REPLACE, orig_cookie), 0);
	assert_int_equal(mlx5_tc_ct_entries(ct_priv), 1);

	conn_rule_v4(&reply, "10.0.0.2", "1.1.1.1", 80, 2000, IPPROTO_TCP);
	conn_mangle(&reply, FLOW_ACT_MANGLE_HDR_TYPE_IP4, offsetof(struct iphdr, daddr),
		    inet_addr("10.0.0.1"), ~htonl(0xffffffff));
	conn_mangle(&reply, FLOW_ACT_MANGLE_HDR_TYPE_TCP, 0, htonl(1000), ~htonl(0xffff));
	conn_metadata(&reply, ct, IP_CT_ESTABLISHED_REPLY, false, 5);
	assert_int_equal(conn_call(&reply, FLOW_CLS_REPLACE, reply_cookie), 0);
	assert_int_equal(mlx5_tc_ct_entries(ct_priv), 2);

	/* the same cookie again is an update, not a second entry */
	assert_int_equal(conn_call(&orig, FLOW_CLS_REPLACE, orig_cookie), 0);
	assert_int_equal(mlx5_tc_ct_entries(ct_priv), 2);

	/* a packet out of ct (as it came) or ct_nat (rewritten) finds its connection */
	assert_true(restore(frame_v4("10.0.0.1", "10.0.0.2", 1000, 80, false), ZONE_RESTORE_ID,
			    &got));
	assert_int_equal(got, (unsigned long)ct | IP_CT_ESTABLISHED);
	assert_true(restore(frame_v4("1.1.1.1", "10.0.0.2", 2000, 80, true), ZONE_RESTORE_ID,
			    &got));
	assert_int_equal(got, (unsigned long)ct | IP_CT_ESTABLISHED);
	assert_true(restore(frame_v4("10.0.0.2", "10.0.0.1", 80, 1000, false), ZONE_RESTORE_ID,
			    &got));
	assert_int_equal(got, (unsigned long)ct | IP_CT_ESTABLISHED_REPLY);
	/* another tuple, another zone, no zone */
	assert_false(restore(frame_v4("10.0.0.1", "10.0.0.2", 1001, 80, false), ZONE_RESTORE_ID,
			     &got));
	assert_false(restore(frame_v4("10.0.0.1", "10.0.0.2", 1000, 80, false),
			     ZONE_RESTORE_ID + 1, &got));
	assert_false(restore(frame_v4("10.0.0.1", "10.0.0.2", 1000, 80, false), 0, &got));

	/* no packet went through hardware: a zero delta, delayed kind */
	assert_int_equal(conn_call(&orig, FLOW_CLS_STATS, orig_cookie), 0);
	assert_int_equal(orig.f.stats.pkts, 0);
	assert_true(orig.f.stats.used_hw_stats_valid);
	assert_int_equal(orig.f.stats.used_hw_stats, FLOW_ACTION_HW_STATS_DELAYED);
	assert_true(conn_call(&orig, FLOW_CLS_STATS, 0x9999) < 0);

	/* DESTROY: its rules and its restore go */
	assert_int_equal(conn_call(&orig, FLOW_CLS_DESTROY, orig_cookie), 0);
	assert_int_equal(mlx5_tc_ct_entries(ct_priv), 1);
	assert_false(restore(frame_v4("10.0.0.1", "10.0.0.2", 1000, 80, false), ZONE_RESTORE_ID,
			     &got));
	assert_true(conn_call(&orig, FLOW_CLS_DESTROY, orig_cookie) < 0);

	/* the zone's last filter takes the remaining connection with it */
	ct_filter_del(&flt);
	assert_int_equal(mlx5_tc_ct_entries(ct_priv), 0);
	assert_int_equal(nf_flowtable_has_cb(&nf_ft), 0);
	assert_false(restore(frame_v4("10.0.0.2", "10.0.0.1", 80, 1000, false), ZONE_RESTORE_ID,
			     &got));

	kfree(orig.rule);
	kfree(reply.rule);
	nf_ct_put(ct);
}

static void test_conn_v6_dnat(void **state)
{
	struct conn_rule c;
	struct ct_filter flt;
	struct nf_conn *ct = conn_alloc();
	struct in6_addr a;
	unsigned long got;
	__be32 w;
	int i;

	ct_filter_add(&flt, 0, TCA_CT_ACT_NAT);
	/* unreplied UDP: the original direction is still "new" */
	conn_rule_v6(&c, "2001:db8::1", "2001:db8::100", 5000, 53);
	inet_pton(AF_INET6, "2001:db8::2", &a);
	for (i = 0; i < 4; i++) {
		memcpy(&w, &a.s6_addr[i * 4], 4);
		conn_mangle(&c, FLOW_ACT_MANGLE_HDR_TYPE_IP6,
			    offsetof(struct ip6_hdr, ip6_dst) + i * 4, w, ~htonl(0xffffffff));
	}
	conn_mangle(&c, FLOW_ACT_MANGLE_HDR_TYPE_UDP, 0, htonl(5353), ~htonl(0xffff));
	conn_metadata(&c, ct, IP_CT_NEW, true, 0);
	assert_int_equal(conn_call(&c, FLOW_CLS_REPLACE, 0x3000), 0);
	assert_int_equal(mlx5_tc_ct_entries(ct_priv), 1);

	assert_true(restore(frame_v6_udp("2001:db8::1", "2001:db8::2", 5000, 5353),
			    ZONE_RESTORE_ID, &got));
	assert_int_equal(got, (unsigned long)ct | IP_CT_NEW);
	assert_true(restore(frame_v6_udp("2001:db8::1", "2001:db8::100", 5000, 53),
			    ZONE_RESTORE_ID, &got));
	assert_false(restore(frame_v6_udp("2001:db8::1", "2001:db8::2", 5000, 53),
			     ZONE_RESTORE_ID, &got));

	ct_filter_del(&flt);
	assert_int_equal(mlx5_tc_ct_entries(ct_priv), 0);
	kfree(c.rule);
	nf_ct_put(ct);
}

static void test_conn_refused(void **state)
{
	struct mlx5_fs_caps *caps = mlx5_fs_caps(&mdev);
	struct ct_filter flt;
	struct conn_rule c;
	struct nf_conn *ct = conn_alloc();

	ct_filter_add(&flt, 0, 0);

	/* no metadata: nothing to set the registers from */
	conn_rule_v4(&c, "10.0.0.1", "10.0.0.2", 1, 2, IPPROTO_TCP);
	assert_true(conn_call(&c, FLOW_CLS_REPLACE, 0x4000) < 0);
	assert_non_null(c.extack._msg);
	kfree(c.rule);

	/* a key the ct table does not match on */
	conn_rule_v4(&c, "10.0.0.1", "10.0.0.2", 1, 2, IPPROTO_TCP);
	conn_metadata(&c, ct, IP_CT_ESTABLISHED, true, 0);
	c.dissector.used_keys |= BIT_ULL(FLOW_DISSECTOR_KEY_VLAN);
	assert_int_equal(conn_call(&c, FLOW_CLS_REPLACE, 0x4000), -EOPNOTSUPP);

	/* a failing device: the connection stays in software, nothing leaks */
	c.dissector.used_keys &= ~BIT_ULL(FLOW_DISSECTOR_KEY_VLAN);
	caps->fault_every_nth = 1;
	assert_true(conn_call(&c, FLOW_CLS_REPLACE, 0x4000) < 0);
	caps->fault_every_nth = 0;
	assert_int_equal(mlx5_tc_ct_entries(ct_priv), 0);
	assert_int_equal(conn_call(&c, FLOW_CLS_REPLACE, 0x4000), 0);
	assert_int_equal(mlx5_tc_ct_entries(ct_priv), 1);

	ct_filter_del(&flt);
	assert_int_equal(mlx5_tc_ct_entries(ct_priv), 0);
	kfree(c.rule);
	nf_ct_put(ct);
}

/*
 * Through the model: the original direction's packet takes pre_ct ->
 * ct_nat (SNAT, registers, count) -> post_ct -> chain 2, whose empty
 * table misses to software with the zone restore id in reg_b; a FIN
 * misses in ct_nat already, with no zone restore id.
 */
static void test_conn_packets(void **state)
{
	struct sk_buff *skbs[2], *miss[2];
	struct mlx5_cqe_md md[2];
	struct conn_rule orig;
	struct ct_filter flt;
	struct nf_conn *ct = conn_alloc();
	struct iphdr ip;
	struct tcphdr tcp;
	unsigned long got;
	int n;

	ct_filter_add(&flt, 0, TCA_CT_ACT_NAT);
	conn_rule_v4(&orig, "10.0.0.1", "10.0.0.2", 1000, 80, IPPROTO_TCP);
	conn_snat_v4(&orig, "1.1.1.1", 2000);
	conn_metadata(&orig, ct, IP_CT_ESTABLISHED, true, 5);
	assert_int_equal(conn_call(&orig, FLOW_CLS_REPLACE, 0x5000), 0);

	skbs[0] = frame_v4("10.0.0.1", "10.0.0.2", 1000, 80, false);
	skbs[1] = frame_v4("10.0.0.1", "10.0.0.2", 1000, 80, false);
	/* the second one is a FIN */
	skbs[1]->data[ETH_HLEN + sizeof(struct iphdr) + 13] |= TH_FIN;
	n = mlx5_steering_rx_burst(&mdev, VPORT, skbs, 2, miss, md);
	assert_int_equal(n, 2);

	memcpy(&ip, miss[0]->data + ETH_HLEN, sizeof(ip));
	memcpy(&tcp, miss[0]->data + ETH_HLEN + sizeof(ip), sizeof(tcp));
	assert_int_equal(ip.saddr, inet_addr("1.1.1.1"));
	assert_int_equal(ntohs(tcp.th_sport), 2000);
	assert_int_equal(md[0].ft_metadata & 0xff, ZONE_RESTORE_ID);
	assert_true(restore(miss[0], md[0].ft_metadata & 0xff, &got));
	assert_int_equal(got, (unsigned long)ct | IP_CT_ESTABLISHED);

	memcpy(&ip, miss[1]->data + ETH_HLEN, sizeof(ip));
	assert_int_equal(ip.saddr, inet_addr("10.0.0.1"));
	assert_int_equal(md[1].ft_metadata & 0xff, 0);
	assert_int_equal(md[1].flow_tag, 0);	/* software restarts at chain 0 */
	kfree_skb(miss[1]);

	/* the hit counted: one packet, then nothing new */
	assert_int_equal(conn_call(&orig, FLOW_CLS_STATS, 0x5000), 0);
	assert_int_equal(orig.f.stats.pkts, 1);
	assert_true(orig.f.stats.bytes > 0);
	assert_true(orig.f.stats.lastused > 0);
	assert_int_equal(conn_call(&orig, FLOW_CLS_STATS, 0x5000), 0);
	assert_int_equal(orig.f.stats.pkts, 0);

	ct_filter_del(&flt);
	kfree(orig.rule);
	nf_ct_put(ct);
}

/* two filters in one zone share the registration; the last one undoes it */
static void test_zone_refcount(void **state)
{
	struct ct_filter a, b;
	struct mlx5_fs_usage before, after;

	mlx5_fs_get_usage(&mdev, &before);
	ct_filter_add(&a, 0, 0);
	ct_filter_add(&b, 1, TCA_CT_ACT_NAT);
	assert_int_equal(nf_flowtable_has_cb(&nf_ft), 1);
	ct_filter_del(&a);
	assert_int_equal(nf_flowtable_has_cb(&nf_ft), 1);
	ct_filter_del(&b);
	assert_int_equal(nf_flowtable_has_cb(&nf_ft), 0);
	mlx5_fs_get_usage(&mdev, &after);
	assert_int_equal(after.ftes, before.ftes);
	assert_int_equal(after.modify_hdrs, before.modify_hdrs);
	assert_int_equal(after.counters, before.counters);
}

/* ---- setup ---- */

static int setup(void **state)
{
	rcu_register_thread();
	jiffies_set_virtual(1000000);
	if (nf_conntrack_init() || nf_flow_table_module_init() || skb_pool_init(&pool, 64))
		return -1;
	skb_local_pool = &pool;
	if (nf_flow_table_init(&nf_ft))
		return -1;
	mdev.wire = &wire_ops;
	mdev.priv.eswitch = &esw;
	if (mlx5_init_fs(&mdev))
		return -1;
	esw.dev = &mdev;
	if (esw_offloads_enable(&esw) || !esw.ct_priv)
		return -1;
	ct_priv = esw.ct_priv;
	return 0;
}

static int teardown(void **state)
{
	esw_offloads_disable(&esw);
	mlx5_cleanup_fs(&mdev);
	nf_flow_table_free(&nf_ft);
	nf_flow_table_module_exit();
	nf_conntrack_cleanup();
	skb_pool_destroy(&pool);
	rcu_unregister_thread();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match_ct_state),
		cmocka_unit_test(test_match_unsupported),
		cmocka_unit_test(test_match_labels),
		cmocka_unit_test(test_parse_action),
		cmocka_unit_test(test_conn_offload),
		cmocka_unit_test(test_conn_v6_dnat),
		cmocka_unit_test(test_conn_refused),
		cmocka_unit_test(test_conn_packets),
		cmocka_unit_test(test_zone_refcount),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
