// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the per-packet trace (include/net/pkt_trace.h): the
 * stages a traced packet goes through write their JSON lines, in order,
 * and a dry run sends nothing and counts nothing.
 *
 * The setup is test_mlx5_tc_tun.c's: an eswitch over the steering model
 * with ports that record what they send, a collect-metadata vxlan0, the
 * uplink with 7.7.7.7/24 and its neighbour 7.7.7.8 resolved, and the
 * seed's ct filters on VF 0's representor (vxlan_scenario.sh vx_filters),
 * made with netlink requests as tc builds them:
 *
 *   chain 0 prio 1 proto ip flower ct_state -trk action ct pipe action goto chain 2
 *   chain 2 prio 1 proto ip flower ct_state +trk+new action ct commit pipe
 *	action tunnel_key set src_ip 0.0.0.0 dst_ip 7.7.7.8 id 98 dst_port 4789
 *	action mirred egress redirect dev vxlan0
 *
 * A TCP SYN from VF 0, traced, goes through the model (the pre_ct rule,
 * a miss in ct), software's chain 0 and 2 and out of the uplink in VXLAN.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/if_addr.h>
#include <linux/pkt_cls.h>
#include <linux/tc_act/tc_ct.h>
#include <linux/tc_act/tc_gact.h>
#include <linux/tc_act/tc_mirred.h>
#include <linux/tc_act/tc_tunnel_key.h>
#include <linux/jiffies.h>
#include <linux/netdev.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/checksum.h>
#include <net/dst_metadata.h>
#include <net/flow_offload.h>
#include <net/ip_tunnels.h>
#include <net/neighbour.h>
#include <net/netlink.h>
#include <net/pkt_cls.h>
#include <net/port.h>
#include <net/rtnetlink.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_flow_table.h>
#include "../../../drivers/net/ethernet/mellanox/mlx5/core/eswitch.h"
#include "../../../drivers/net/ethernet/mellanox/mlx5/core/en_rep.h"
#include "../../../drivers/net/ethernet/mellanox/mlx5/core/en_tc.h"
#include "../../../drivers/net/ethernet/mellanox/mlx5/core/fs_core.h"
#include "../../../drivers/net/ethernet/mellanox/mlx5/core/fs_priv.h"
#include "../../../drivers/net/ethernet/mellanox/mlx5/core/en/mapping.h"
#include "../../../drivers/net/ethernet/mellanox/mlx5/core/en/tc_priv.h"
#include "../../../drivers/net/ethernet/mellanox/mlx5/core/en/tc_tun.h"
#include <net/pkt_trace.h>

static struct mlx5_eswitch *esw;
static struct net_device *vxlan0;
static struct skb_pool pool;

#define VF0	(&esw->vfs[0])
#define UPLINK	(&esw->uplink)

static const u8 peer_mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0xbb };

/* ---- capture: a port kind and a netdev that keep the last frame they sent ---- */

struct capture {
	u8 frame[SKB_BUF_SIZE];
	unsigned int len;
	unsigned int count;
	bool has_info;
	struct ip_tunnel_info info;
};

static int cap_port_open(struct port *p, const char *arg)
{
	p->priv = kzalloc(sizeof(struct capture), GFP_KERNEL);
	return p->priv ? 0 : -ENOMEM;
}

static int cap_port_rx_burst(struct port *p, struct sk_buff **skbs, int max,
			     struct skb_pool *pool)
{
	return 0;
}

static int cap_port_xmit(struct port *p, const struct sk_buff *skb)
{
	struct capture *c = p->priv;

	memcpy(c->frame, skb->data, skb->len);
	c->len = skb->len;
	c->count++;
	return 0;
}

static void cap_port_close(struct port *p)
{
	kfree(p->priv);
}

static const struct port_ops cap_port_ops = {
	.kind = "cap",
	.open = cap_port_open,
	.rx_burst = cap_port_rx_burst,
	.xmit = cap_port_xmit,
	.close = cap_port_close,
};

static struct capture *port_cap(struct mlx5_vport *vport)
{
	return vport->port->priv;
}


/* ---- netlink requests ---- */

struct req {
	char buf[4096];
	struct nlmsghdr *nlh;
	struct netlink_ext_ack extack;
};

static void *req_init(struct req *r, u16 type, u16 flags, size_t hdrlen)
{
	memset(r, 0, sizeof(*r));
	r->nlh = mnl_nlmsg_put_header(r->buf);
	r->nlh->nlmsg_type = type;
	r->nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	return mnl_nlmsg_put_extra_header(r->nlh, hdrlen);
}

static int req_send_out(struct req *r, struct nl_out *out)
{
	return rtnetlink_rcv_msg(r->nlh, out, &r->extack);
}

static int req_send(struct req *r)
{
	struct nl_out out;
	int err;

	nl_out_init(&out, 0);
	err = req_send_out(r, &out);
	nl_out_free(&out);
	return err;
}

/* ip link add vxlan0 type vxlan external dstport 4789 nolearning */
static void vxlan_add(void)
{
	struct nlattr *li, *data;
	struct ifinfomsg *ifm;
	struct req r;

	ifm = req_init(&r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof(*ifm));
	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(r.nlh, IFLA_IFNAME, "vxlan0");
	li = mnl_attr_nest_start(r.nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(r.nlh, IFLA_INFO_KIND, "vxlan");
	data = mnl_attr_nest_start(r.nlh, IFLA_INFO_DATA);
	mnl_attr_put_u8(r.nlh, IFLA_VXLAN_COLLECT_METADATA, 1);
	mnl_attr_put_u8(r.nlh, IFLA_VXLAN_LEARNING, 0);
	mnl_attr_put_u16(r.nlh, IFLA_VXLAN_PORT, htons(4789));
	mnl_attr_nest_end(r.nlh, data);
	mnl_attr_nest_end(r.nlh, li);
	assert_int_equal(req_send(&r), 0);
}

static void link_set_up(struct net_device *dev)
{
	struct ifinfomsg *ifm;
	struct req r;

	ifm = req_init(&r, RTM_NEWLINK, 0, sizeof(*ifm));
	ifm->ifi_index = dev->ifindex;
	ifm->ifi_change = IFF_UP;
	ifm->ifi_flags = IFF_UP;
	assert_int_equal(req_send(&r), 0);
}

/* ip addr add|del 7.7.7.7/24 dev <uplink representor> */
static void uplink_addr(u16 type)
{
	struct ifaddrmsg *ifa;
	struct req r;
	__be32 a = inet_addr("7.7.7.7");

	ifa = req_init(&r, type, type == RTM_NEWADDR ? NLM_F_CREATE | NLM_F_EXCL : 0,
		       sizeof(*ifa));
	ifa->ifa_family = AF_INET;
	ifa->ifa_prefixlen = 24;
	ifa->ifa_index = UPLINK->rep->ifindex;
	mnl_attr_put(r.nlh, IFA_LOCAL, 4, &a);
	mnl_attr_put(r.nlh, IFA_ADDRESS, 4, &a);
	assert_int_equal(req_send(&r), 0);
}

#define TC_INGRESS_PARENT	TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS)

static void *tc_req(struct req *r, u16 type, u16 flags, struct net_device *dev, u32 parent)
{
	struct tcmsg *t = req_init(r, type, flags, sizeof(*t));

	t->tcm_family = AF_UNSPEC;
	t->tcm_ifindex = dev->ifindex;
	t->tcm_parent = parent;
	return t;
}

/* tc qdisc add dev DEV ingress */
static void ingress_add(struct net_device *dev)
{
	struct tcmsg *t;
	struct req r;

	t = tc_req(&r, RTM_NEWQDISC, NLM_F_CREATE | NLM_F_EXCL, dev, TC_H_INGRESS);
	t->tcm_handle = TC_H_MAKE(TC_H_INGRESS, 0);
	mnl_attr_put_strz(r.nlh, TCA_KIND, "ingress");
	mnl_attr_nest_end(r.nlh, mnl_attr_nest_start(r.nlh, TCA_OPTIONS));
	assert_int_equal(req_send(&r), 0);
}

/* ---- the seed's filters ---- */

struct act_nest {
	struct nlattr *act, *opts;
};

static struct act_nest act_begin(struct req *r, int *order, const char *kind)
{
	struct act_nest n;

	n.act = mnl_attr_nest_start(r->nlh, ++*order);
	mnl_attr_put_strz(r->nlh, TCA_ACT_KIND, kind);
	n.opts = mnl_attr_nest_start(r->nlh, TCA_ACT_OPTIONS);
	return n;
}

static void act_end(struct req *r, struct act_nest n)
{
	mnl_attr_nest_end(r->nlh, n.opts);
	mnl_attr_nest_end(r->nlh, n.act);
}

static struct nlattr *seed_filter_begin(struct req *r, struct net_device *dev, u32 chain,
					u16 ct_state, u16 ct_mask)
{
	struct nlattr *opts;
	struct tcmsg *t;

	t = tc_req(r, RTM_NEWTFILTER, NLM_F_CREATE | NLM_F_EXCL, dev, TC_INGRESS_PARENT);
	t->tcm_info = TC_H_MAKE(1 << 16, htons(ETH_P_IP));
	t->tcm_handle = 1;
	mnl_attr_put_strz(r->nlh, TCA_KIND, "flower");
	if (chain)
		mnl_attr_put_u32(r->nlh, TCA_CHAIN, chain);
	opts = mnl_attr_nest_start(r->nlh, TCA_OPTIONS);
	mnl_attr_put_u16(r->nlh, TCA_FLOWER_KEY_ETH_TYPE, htons(ETH_P_IP));
	mnl_attr_put_u16(r->nlh, TCA_FLOWER_KEY_CT_STATE, ct_state);
	mnl_attr_put_u16(r->nlh, TCA_FLOWER_KEY_CT_STATE_MASK, ct_mask);
	return opts;
}

static void put_ct(struct req *r, int *order, u16 ct_action)
{
	struct tc_ct p = { .action = TC_ACT_PIPE };
	struct act_nest n = act_begin(r, order, "ct");

	mnl_attr_put(r->nlh, TCA_CT_PARMS, sizeof(p), &p);
	if (ct_action)
		mnl_attr_put_u16(r->nlh, TCA_CT_ACTION, ct_action);
	act_end(r, n);
}

static void seed_filters_add(void)
{
	struct tc_tunnel_key tk = { .action = TC_ACT_PIPE, .t_action = TCA_TUNNEL_KEY_ACT_SET };
	struct tc_mirred m = { .action = TC_ACT_STOLEN, .eaction = TCA_EGRESS_REDIR };
	struct tc_gact g = { .action = TC_ACT_GOTO_CHAIN | 2 };
	struct nlattr *opts, *acts;
	struct act_nest n;
	struct req r;
	int order = 0;

	/* chain 0: ct_state -trk action ct pipe action goto chain 2 */
	opts = seed_filter_begin(&r, VF0->rep, 0, 0, TCA_FLOWER_KEY_CT_FLAGS_TRACKED);
	acts = mnl_attr_nest_start(r.nlh, TCA_FLOWER_ACT);
	put_ct(&r, &order, 0);
	n = act_begin(&r, &order, "gact");
	mnl_attr_put(r.nlh, TCA_GACT_PARMS, sizeof(g), &g);
	act_end(&r, n);
	mnl_attr_nest_end(r.nlh, acts);
	mnl_attr_nest_end(r.nlh, opts);
	assert_int_equal(req_send(&r), 0);

	/* chain 2: ct_state +trk+new action ct commit pipe, tunnel_key set, mirred to vxlan0 */
	order = 0;
	opts = seed_filter_begin(&r, VF0->rep, 2,
				 TCA_FLOWER_KEY_CT_FLAGS_TRACKED | TCA_FLOWER_KEY_CT_FLAGS_NEW,
				 TCA_FLOWER_KEY_CT_FLAGS_TRACKED | TCA_FLOWER_KEY_CT_FLAGS_NEW);
	acts = mnl_attr_nest_start(r.nlh, TCA_FLOWER_ACT);
	put_ct(&r, &order, TCA_CT_ACT_COMMIT);
	n = act_begin(&r, &order, "tunnel_key");
	mnl_attr_put(r.nlh, TCA_TUNNEL_KEY_PARMS, sizeof(tk), &tk);
	mnl_attr_put_u32(r.nlh, TCA_TUNNEL_KEY_ENC_IPV4_SRC, 0);
	mnl_attr_put_u32(r.nlh, TCA_TUNNEL_KEY_ENC_IPV4_DST, inet_addr("7.7.7.8"));
	mnl_attr_put_u32(r.nlh, TCA_TUNNEL_KEY_ENC_KEY_ID, htonl(98));
	mnl_attr_put_u16(r.nlh, TCA_TUNNEL_KEY_ENC_DST_PORT, htons(4789));
	act_end(&r, n);
	m.ifindex = vxlan0->ifindex;
	n = act_begin(&r, &order, "mirred");
	mnl_attr_put(r.nlh, TCA_MIRRED_PARMS, sizeof(m), &m);
	act_end(&r, n);
	mnl_attr_nest_end(r.nlh, acts);
	mnl_attr_nest_end(r.nlh, opts);
	if (req_send(&r))
		print_message("chain 2: %s\n", r.extack._msg ? r.extack._msg : "");
}

/* ---- packets ---- */

#define SYN_LEN	(14 + 20 + 20)

/* a TCP SYN 10.0.0.1:sport -> 10.0.0.2:5001 from VF 0, checksums right */
static struct sk_buff *syn_skb(u16 sport)
{
	static const u8 eth[14] = { 0x24, 0x8a, 0x07, 0xa5, 0x28, 0x02,
				    0x24, 0x8a, 0x07, 0xa5, 0x28, 0x01, 0x08, 0x00 };
	struct sk_buff *skb = alloc_skb(&pool);
	__be32 saddr = inet_addr("10.0.0.1"), daddr = inet_addr("10.0.0.2");
	__sum16 check;
	u8 *p, *tcp;

	assert_non_null(skb);
	p = skb->data;
	memset(p, 0, SYN_LEN);
	memcpy(p, eth, sizeof(eth));
	p[14] = 0x45;
	p[17] = SYN_LEN - 14;
	p[22] = 64;
	p[23] = IPPROTO_TCP;
	memcpy(p + 26, &saddr, 4);
	memcpy(p + 30, &daddr, 4);
	check = ip_fast_csum(p + 14, 5);
	memcpy(p + 24, &check, 2);
	tcp = p + 34;
	tcp[0] = sport >> 8;
	tcp[1] = sport;
	tcp[2] = 5001 >> 8;
	tcp[3] = 5001 & 0xff;
	tcp[7] = 1;			/* seq 1 */
	tcp[12] = 5 << 4;
	tcp[13] = 0x02;			/* SYN */
	tcp[14] = 0xff;			/* window */
	check = csum_tcpudp_magic(saddr, daddr, 20, IPPROTO_TCP, csum_partial(tcp, 20, 0));
	memcpy(tcp + 16, &check, 2);
	skb_put(skb, SYN_LEN);
	return skb;
}

static void rx_traced(struct sk_buff *skb, struct pkt_trace *t)
{
	pkt_trace_attach(skb, t, VF0->port);
	rcu_read_lock();
	mlx5e_rep_rx_burst(VF0->port, &skb, 1);
	rcu_read_unlock();
}

/*
 * The trace's lines in order: each expectation is a stage and strings
 * its line holds, found on the next line of that stage.  Every line of
 * the trace must be one of them (no stage missing, none extra).
 */
struct expect {
	const char *stage;
	const char *has[4];
};

static void expect_trace(const struct pkt_trace *t, const struct expect *e, unsigned int n)
{
	char *text = strndup(t->buf ? t->buf : "", t->len), *line, *save = NULL;
	unsigned int i = 0, j;
	char want[64];

	assert_non_null(text);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save), i++) {
		if (i >= n)
			fail_msg("extra stage: %s", line);
		snprintf(want, sizeof(want), "{\"stage\":\"%s\"", e[i].stage);
		if (strncmp(line, want, strlen(want)))
			fail_msg("stage %u: want %s, got %s", i, e[i].stage, line);
		for (j = 0; j < ARRAY_SIZE(e[i].has) && e[i].has[j]; j++)
			if (!strstr(line, e[i].has[j]))
				fail_msg("stage %u: no %s in %s", i, e[i].has[j], line);
		if (line[strlen(line) - 1] != '}')
			fail_msg("stage %u: not an object: %s", i, line);
	}
	if (i != n)
		fail_msg("%u stages, want %u (next: %s)", i, n, e[i].stage);
	assert_int_equal(t->nstages, n);
	assert_false(t->truncated);
	free(text);
}

static const struct expect syn_stages[] = {
	{ "port_rx", { "\"port\":\"", "\"len\":54" } },
	{ "hw_table", { "\"fte\":" } },		/* the chain 0 rule: pre_ct */
	{ "hw_actions", { "\"actions\":[", "\"regs\":{\"reg_c_0\":\"0x", "\"reg_c_5\":" } },
	{ "hw_table", { "\"table\":\"ct\"", "\"miss\":" } },
	{ "hw_miss", { "\"dev\":\"tt0_0\"", "\"chain\":0,", "\"ct\":false" } },
	{ "tc_chain", { "\"dev\":\"tt0_0\"", "\"chain\":0" } },
	{ "tc_filter", { "\"chain\":0,", "\"prio\":1,", "\"kind\":\"flower\"", "\"in_hw\":true" } },
	{ "flowtable", { "\"zone\":0", "\"result\":\"miss\"" } },
	{ "ct", { "\"tuple\":\"tcp 10.0.0.1:40000 -> 10.0.0.2:5001\"", "\"before\":\"none\"",
		  "\"after\":\"SYN_SENT\"", "\"ctinfo\":\"new\"" } },
	{ "tc_action", { "\"kind\":\"ct\"", "\"result\":\"pipe\"" } },
	{ "tc_action", { "\"kind\":\"gact\"", "\"result\":\"goto chain 2\"" } },
	{ "tc_chain", { "\"chain\":2" } },
	{ "tc_filter", { "\"chain\":2,", "\"prio\":1,", "\"handle\":1," } },
	{ "ct", { "\"commit\":true", "\"confirmed\":true", "\"nat\":\"none\"", "\"before\":\"SYN_SENT\"" } },
	{ "tc_action", { "\"kind\":\"ct\"", "\"result\":\"pipe\"" } },
	{ "tc_action", { "\"kind\":\"tunnel_key\"", "\"tunnel\":\"set\"", "\"dst\":\"7.7.7.8\"", "\"id\":98" } },
	{ "tc_action", { "\"kind\":\"mirred\"", "\"result\":\"stolen\"", "\"to\":\"vxlan0\"",
			 "\"mode\":\"redirect\"" } },
	{ "stack", { "\"proto\":\"vxlan\"", "vxlan encap vni 98 to 7.7.7.8 via tt0" } },
	{ "tx", { "\"dev\":\"tt0\"", "\"port\":\"tt0wire\"", "\"data\":\"02000000" } },
};

/* a traced SYN: every stage, in order, and it leaves the uplink */
static void test_trace_syn(void **state)
{
	struct capture *ul = port_cap(UPLINK);
	unsigned int count = ul->count;
	struct pkt_trace t;

	pkt_trace_init(&t, false);
	rx_traced(syn_skb(40000), &t);
	if (getenv("PKT_TRACE_SHOW"))
		fwrite(t.buf, 1, t.len, stderr);
	expect_trace(&t, syn_stages, ARRAY_SIZE(syn_stages));
	assert_int_equal(ul->count, count + 1);
	/* the frame the trace shows is the frame that left */
	assert_non_null(strstr(t.buf, "\"len\":104,"));
	pkt_trace_release(&t);
}

/* the same for a new connection, dry: recorded, not sent, not counted */
static void test_trace_dry_run(void **state)
{
	struct capture *ul = port_cap(UPLINK);
	struct port_stats stats = UPLINK->port->stats;
	unsigned int count = ul->count;
	struct pkt_trace t;

	pkt_trace_init(&t, true);
	rx_traced(syn_skb(40001), &t);
	assert_non_null(strstr(t.buf, "{\"stage\":\"tx\""));
	assert_non_null(strstr(t.buf, "\"sent\":false"));
	assert_int_equal(ul->count, count);
	assert_memory_equal(&UPLINK->port->stats, &stats, sizeof(stats));
	pkt_trace_release(&t);
}

/* untraced, nothing is written anywhere and the packet goes as before */
static void test_untraced(void **state)
{
	struct capture *ul = port_cap(UPLINK);
	unsigned int count = ul->count;
	struct sk_buff *skb = syn_skb(40002);

	rcu_read_lock();
	mlx5e_rep_rx_burst(VF0->port, &skb, 1);
	rcu_read_unlock();
	assert_int_equal(ul->count, count + 1);
}

/* JSON strings: quotes, backslashes and control characters escaped, cut to fit */
static void test_json_str(void **state)
{
	char buf[16];

	assert_string_equal(pkt_trace_json_str(buf, sizeof(buf), "a\"b\\c\n"), "a\\\"b\\\\c\\u000a");
	assert_string_equal(pkt_trace_json_str(buf, 6, "abcdefgh"), "abcde");
	assert_string_equal(pkt_trace_json_str(buf, 4, "ab\""), "ab");
}

/* ---- setup ---- */

static int group_setup(void **state)
{
	struct mlx5_esw_config cfg = {
		.pf = "tt0", .num_vfs = 2, .uplink_port = "cap", .vf_port = "cap",
	};
	__be32 a = inet_addr("7.7.7.8");
	struct neighbour *n;

	rcu_register_thread();
	jiffies_set_virtual(1000000);
	if (nf_conntrack_init() || nf_flow_table_module_init() || skb_pool_init(&pool, 64))
		return -1;
	skb_local_pool = &pool;
	port_register(&cap_port_ops);
	esw = mlx5_eswitch_create(&cfg);
	if (!esw)
		return -1;
	vxlan_add();
	vxlan0 = dev_get_by_name("vxlan0");
	assert_non_null(vxlan0);
	link_set_up(vxlan0);
	link_set_up(UPLINK->rep);
	link_set_up(VF0->rep);
	ingress_add(VF0->rep);
	uplink_addr(RTM_NEWADDR);
	n = neigh_lookup_create(&arp_tbl, &a, UPLINK->rep);
	assert_non_null(n);
	assert_int_equal(neigh_update(n, peer_mac, NUD_REACHABLE,
				      NEIGH_UPDATE_F_OVERRIDE | NEIGH_UPDATE_F_ADMIN), 0);
	neigh_release(n);
	seed_filters_add();
	return 0;
}

static int group_teardown(void **state)
{
	mlx5_eswitch_destroy(esw);
	rcu_barrier();
	nf_flow_table_module_exit();
	nf_conntrack_cleanup();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_str),
		cmocka_unit_test(test_trace_syn),
		cmocka_unit_test(test_trace_dry_run),
		cmocka_unit_test(test_untraced),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
