// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the mlx5 tc offload (en_tc.c, eswitch_offloads.c,
 * lib/fs_chains.c) over the eswitch steering model: filters are built
 * as cls_flower builds them (a struct fl_flow_key key and mask, the
 * dissector's used keys computed from the mask, flow_action entries as
 * tc_setup_flow_action() fills them) and offered to a representor's
 * block callback, mlx5e_rep_setup_tc_cb(), on an eswitch made by
 * mlx5_eswitch_create() with "null" ports.
 *
 * What is checked: the FTEs and tables a filter makes (the model's usage
 * figures, the steering dump's table names, and packets sent through the
 * model with mlx5_steering_rx_burst: dropped, forwarded, or missed with
 * the right chain tag), the refusals (-EOPNOTSUPP and the extack
 * message), that everything is freed again (usage back to what the
 * eswitch alone uses), and stats deltas.  End-to-end tests with real tc
 * and traffic are in tools/testing/selftests.
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
#include <linux/pkt_cls.h>
#include <linux/tc_act/tc_ct.h>
#include <linux/jiffies.h>
#include <linux/netdev.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <net/act_api.h>
#include <net/flow_offload.h>
#include <net/netlink.h>
#include <net/pkt_cls.h>
#include <net/tc_act/tc_ct.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_flow_table.h>
#include "../../../drivers/net/ethernet/mellanox/mlx5/core/eswitch.h"
#include "../../../drivers/net/ethernet/mellanox/mlx5/core/en_rep.h"
#include "../../../drivers/net/ethernet/mellanox/mlx5/core/en_tc.h"
#include "../../../drivers/net/ethernet/mellanox/mlx5/core/fs_core.h"
#include "../../../drivers/net/ethernet/mellanox/mlx5/core/en/mapping.h"
#include "../../../drivers/net/ethernet/mellanox/mlx5/core/en/tc_priv.h"
#include "../../../drivers/net/ethernet/mellanox/mlx5/core/lib/fs_chains.h"
#include "tfilter.h"

static struct mlx5_eswitch *esw;
static struct net_device *plain;	/* a device of no eswitch */
static struct skb_pool pool;
static struct mlx5_fs_usage base;	/* what the eswitch uses without filters */

#define VF0	(&esw->vfs[0])
#define VF1	(&esw->vfs[1])

/* ---- filters, as cls_flower hands them over ---- */

static void tf_init(struct tfilter *t, unsigned long cookie, u32 chain, u32 prio,
		    unsigned int nr_actions)
{
	tf_alloc(t, cookie, nr_actions);
	t->f.common.chain_index = chain;
	t->f.common.prio = prio;
}

static void tf_free(struct tfilter *t)
{
	kfree(t->rule);
	t->rule = NULL;
}

static void tf_goto(struct tfilter *t, unsigned int i, u32 chain)
{
	tf_act(t, i, FLOW_ACTION_GOTO)->chain_index = chain;
}

static void tf_redirect(struct tfilter *t, unsigned int i, struct net_device *dev)
{
	tf_act(t, i, FLOW_ACTION_REDIRECT)->dev = dev;
}

static void tf_ipv4(struct tfilter *t, u8 ip_proto, const char *dst)
{
	t->key.basic.n_proto = htons(ETH_P_IP);
	t->mask.basic.n_proto = htons(0xffff);
	if (ip_proto) {
		t->key.basic.ip_proto = ip_proto;
		t->mask.basic.ip_proto = 0xff;
	}
	if (dst) {
		t->key.control.addr_type = FLOW_DISSECTOR_KEY_IPV4_ADDRS;
		t->mask.control.addr_type = 0xffff;
		t->key.ipv4.dst = inet_addr(dst);
		t->mask.ipv4.dst = 0xffffffff;
	}
}

static void tf_dport(struct tfilter *t, u16 dport)
{
	t->key.tp.dst = htons(dport);
	t->mask.tp.dst = 0xffff;
}

static int tc_call(struct net_device *rep, struct flow_cls_offload *f)
{
	int err;

	rtnl_lock();
	err = mlx5e_rep_setup_tc_cb(TC_SETUP_CLSFLOWER, f, netdev_priv(rep));
	rtnl_unlock();
	return err;
}

static int tf_offer(struct tfilter *t, struct net_device *rep)
{
	t->dissector.used_keys = tf_used_keys(t);
	t->f.command = FLOW_CLS_REPLACE;
	t->extack._msg = NULL;
	return tc_call(rep, &t->f);
}

static int tf_destroy(unsigned long cookie, struct net_device *rep)
{
	struct flow_cls_offload f = { .command = FLOW_CLS_DESTROY, .cookie = cookie };

	return tc_call(rep, &f);
}

static void tf_stats(unsigned long cookie, struct net_device *rep, u64 *pkts, u64 *bytes)
{
	struct flow_cls_offload f = { .command = FLOW_CLS_STATS, .cookie = cookie };

	assert_int_equal(tc_call(rep, &f), 0);
	assert_true(f.stats.used_hw_stats_valid);
	assert_int_equal(f.stats.used_hw_stats, FLOW_ACTION_HW_STATS_DELAYED);
	*pkts = f.stats.pkts;
	*bytes = f.stats.bytes;
}

/* offering t to VF0 fails with -EOPNOTSUPP and msg, and leaves nothing behind */
static void expect_refused(struct tfilter *t, const char *msg)
{
	struct mlx5_fs_usage before, u;

	mlx5_fs_get_usage(esw->dev, &before);
	assert_int_equal(tf_offer(t, VF0->rep), -EOPNOTSUPP);
	assert_non_null(t->extack._msg);
	assert_string_equal(t->extack._msg, msg);
	/* not taken: DESTROY does not find it */
	assert_int_equal(tf_destroy(t->f.cookie, VF0->rep), -EINVAL);
	mlx5_fs_get_usage(esw->dev, &u);
	assert_int_equal(u.ftes, before.ftes);
	assert_int_equal(u.tables, before.tables);
	assert_int_equal(u.groups, before.groups);
	assert_int_equal(u.modify_hdrs, before.modify_hdrs);
	assert_int_equal(u.counters, before.counters);
	tf_free(t);
}

/* ---- packets through the model ---- */

/* Ethernet + IPv4 + TCP from 10.0.0.1:1000 to dst:dport, on vport's wire side */
static int send_tcp(struct mlx5_vport *vport, const char *dst, u16 dport, struct mlx5_cqe_md *md)
{
	static const u8 eth[14] = { 0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01, 0x08, 0x00 };
	struct sk_buff *skb, *miss[1];
	struct mlx5_cqe_md m[1];
	u8 *ip, *th;
	u32 a;
	u16 v;
	int n;

	skb = alloc_skb(&pool);
	assert_non_null(skb);
	memset(skb->data, 0, 54);
	memcpy(skb->data, eth, sizeof(eth));
	ip = skb->data + 14;
	th = ip + 20;
	ip[0] = 0x45;
	v = htons(40);
	memcpy(ip + 2, &v, 2);
	ip[8] = 64;
	ip[9] = IPPROTO_TCP;
	a = inet_addr("10.0.0.1");
	memcpy(ip + 12, &a, 4);
	a = inet_addr(dst);
	memcpy(ip + 16, &a, 4);
	v = htons(1000);
	memcpy(th, &v, 2);
	v = htons(dport);
	memcpy(th + 2, &v, 2);
	th[12] = 5 << 4;
	th[13] = 0x10;		/* ACK */
	skb_put(skb, 54);
	rcu_read_lock();
	n = mlx5_steering_rx_burst(esw->dev, vport->vport, &skb, 1, miss, m);
	rcu_read_unlock();
	if (n) {
		if (md)
			*md = m[0];
		kfree_skb(miss[0]);
	}
	return n;
}

static u64 hw_dropped(void)
{
	struct mlx5_fs_stats s;

	mlx5_fs_get_stats(esw->dev, &s);
	return s.hw_dropped;
}


static bool dump_has(const char *what)
{
	char *text = fs_dump_text(esw->dev);
	bool has = strstr(text, what);

	free(text);
	return has;
}

static void expect_usage(int tables, int ftes, int counters)
{
	struct mlx5_fs_usage u;

	mlx5_fs_get_usage(esw->dev, &u);
	assert_int_equal(u.tables - base.tables, tables);
	assert_int_equal(u.ftes - base.ftes, ftes);
	assert_int_equal(u.counters - base.counters, counters);
}

/* ---- setup ---- */

static const struct net_device_ops plain_ops;

static int group_setup(void **state)
{
	struct mlx5_esw_config cfg = {
		.pf = "tc0", .num_vfs = 2, .uplink_port = "null", .vf_port = "null",
	};

	rcu_register_thread();
	jiffies_set_virtual(1000000);
	if (nf_conntrack_init() || nf_flow_table_module_init() || skb_pool_init(&pool, 64))
		return -1;
	skb_local_pool = &pool;
	esw = mlx5_eswitch_create(&cfg);
	if (!esw)
		return -1;
	plain = alloc_netdev(0, "plain0", &plain_ops);
	if (!plain)
		return -1;
	mlx5_fs_get_usage(esw->dev, &base);
	return 0;
}

static int group_teardown(void **state)
{
	free_netdev(plain);
	mlx5_eswitch_destroy(esw);
	rcu_barrier();
	nf_flow_table_module_exit();
	nf_conntrack_cleanup();
	skb_pool_destroy(&pool);
	rcu_unregister_thread();
	return 0;
}

/* every test leaves the device as it found it */
static int teardown(void **state)
{
	struct mlx5_fs_usage u;

	mlx5_fs_get_usage(esw->dev, &u);
	/* groups not: the model keeps a table's empty auto groups, and post_ct stays */
	assert_int_equal(u.tables, base.tables);
	assert_int_equal(u.ftes, base.ftes);
	assert_int_equal(u.modify_hdrs, base.modify_hdrs);
	assert_int_equal(u.counters, base.counters);
	assert_int_equal(mapping_count(esw->chain_mapping), 0);
	return 0;
}

/* ---- tests ---- */

/* ip tcp dst 10.0.0.2 dport 80 drop: one FTE in chain 0 prio 1, its own vport's packets only */
static void test_drop(void **state)
{
	struct mlx5_cqe_md md;
	struct tfilter t;
	u64 pkts, bytes, dropped;

	tf_init(&t, 0x1001, 0, 1, 1);
	tf_ipv4(&t, IPPROTO_TCP, "10.0.0.2");
	tf_dport(&t, 80);
	tf_act(&t, 0, FLOW_ACTION_DROP);
	assert_int_equal(tf_offer(&t, VF0->rep), 0);
	tf_free(&t);
	expect_usage(1, 1, 1);
	assert_true(dump_has("chain 0 prio 1"));

	dropped = hw_dropped();
	assert_int_equal(send_tcp(VF0, "10.0.0.2", 80, NULL), 0);
	assert_int_equal(hw_dropped(), dropped + 1);
	/* another port, address or vport: not this rule; a chain 0 miss carries no chain */
	assert_int_equal(send_tcp(VF0, "10.0.0.2", 81, &md), 1);
	assert_int_equal(md.flow_tag, 0);
	assert_int_equal(send_tcp(VF0, "10.0.0.3", 80, NULL), 1);
	assert_int_equal(send_tcp(VF1, "10.0.0.2", 80, NULL), 1);

	/* stats: deltas since the last answer */
	tf_stats(0x1001, VF0->rep, &pkts, &bytes);
	assert_int_equal(pkts, 1);
	assert_int_equal(bytes, 54);
	tf_stats(0x1001, VF0->rep, &pkts, &bytes);
	assert_int_equal(pkts, 0);
	assert_int_equal(bytes, 0);
	assert_int_equal(send_tcp(VF0, "10.0.0.2", 80, NULL), 0);
	assert_int_equal(send_tcp(VF0, "10.0.0.2", 80, NULL), 0);
	tf_stats(0x1001, VF0->rep, &pkts, &bytes);
	assert_int_equal(pkts, 2);

	assert_int_equal(tf_destroy(0x1001, VF0->rep), 0);
	assert_int_equal(tf_destroy(0x1001, VF0->rep), -EINVAL);
	assert_int_equal(send_tcp(VF0, "10.0.0.2", 80, NULL), 1);
}

/* redirect to VF1's representor: the packet leaves by VF1's port, untouched by software */
static void test_redirect(void **state)
{
	struct tfilter t;
	u64 tx;

	tf_init(&t, 0x1002, 0, 1, 1);
	tf_ipv4(&t, IPPROTO_TCP, "10.0.0.2");
	tf_redirect(&t, 0, VF1->rep);
	assert_int_equal(tf_offer(&t, VF0->rep), 0);
	tf_free(&t);
	expect_usage(1, 1, 1);
	tx = port_tx_packets(VF1->port);
	assert_int_equal(send_tcp(VF0, "10.0.0.2", 22, NULL), 0);
	assert_int_equal(port_tx_packets(VF1->port), tx + 1);
	assert_int_equal(tf_destroy(0x1002, VF0->rep), 0);
}

/* accept: to software (the representor), counted */
static void test_accept(void **state)
{
	struct mlx5_cqe_md md;
	struct tfilter t;
	u64 pkts, bytes;

	tf_init(&t, 0x1003, 0, 1, 1);
	tf_ipv4(&t, IPPROTO_TCP, NULL);
	tf_act(&t, 0, FLOW_ACTION_ACCEPT);
	assert_int_equal(tf_offer(&t, VF0->rep), 0);
	tf_free(&t);
	assert_int_equal(send_tcp(VF0, "10.0.0.9", 1, &md), 1);
	assert_int_equal(md.flow_tag, 0);
	tf_stats(0x1003, VF0->rep, &pkts, &bytes);
	assert_int_equal(pkts, 1);
	assert_int_equal(tf_destroy(0x1003, VF0->rep), 0);
}

/*
 * goto chain 3: chain 3's prio 1 table appears with its restore FTE, so
 * a miss there tells software to start at chain 3; a filter in chain 3
 * prio 2 moves the restore to prio 2's table, behind it.
 */
static void test_goto_chain(void **state)
{
	struct mlx5_cqe_md md;
	struct tfilter t;
	u32 chain;
	u64 dropped;

	tf_init(&t, 0x2001, 0, 1, 1);
	tf_ipv4(&t, IPPROTO_TCP, NULL);
	tf_goto(&t, 0, 3);
	assert_int_equal(tf_offer(&t, VF0->rep), 0);
	tf_free(&t);
	/* chain 0 prio 1 and chain 3 prio 1; the goto FTE and chain 3's restore FTE */
	expect_usage(2, 2, 1);
	assert_true(dump_has("chain 3 prio 1"));
	assert_int_equal(mapping_count(esw->chain_mapping), 1);

	assert_int_equal(send_tcp(VF0, "10.0.0.2", 80, &md), 1);
	assert_int_not_equal(md.flow_tag, 0);
	assert_int_equal(mlx5_get_chain_for_tag(esw->chains, md.flow_tag, &chain), 0);
	assert_int_equal(chain, 3);

	/* chain 3 prio 2: drop port 80 */
	tf_init(&t, 0x2002, 3, 2, 1);
	tf_ipv4(&t, IPPROTO_TCP, NULL);
	tf_dport(&t, 80);
	tf_act(&t, 0, FLOW_ACTION_DROP);
	assert_int_equal(tf_offer(&t, VF0->rep), 0);
	tf_free(&t);
	expect_usage(3, 3, 2);
	dropped = hw_dropped();
	/* chain 3 prio 1 is empty: its miss goes on to prio 2, which drops */
	assert_int_equal(send_tcp(VF0, "10.0.0.2", 80, NULL), 0);
	assert_int_equal(hw_dropped(), dropped + 1);
	/* and what prio 2 does not take is restored at chain 3 */
	assert_int_equal(send_tcp(VF0, "10.0.0.2", 81, &md), 1);
	assert_int_equal(mlx5_get_chain_for_tag(esw->chains, md.flow_tag, &chain), 0);
	assert_int_equal(chain, 3);

	/* prio 2 goes: prio 1 is the last table again and restores */
	assert_int_equal(tf_destroy(0x2002, VF0->rep), 0);
	expect_usage(2, 2, 1);
	assert_int_equal(send_tcp(VF0, "10.0.0.2", 80, &md), 1);
	assert_int_equal(mlx5_get_chain_for_tag(esw->chains, md.flow_tag, &chain), 0);
	assert_int_equal(chain, 3);

	assert_int_equal(tf_destroy(0x2001, VF0->rep), 0);
	assert_false(dump_has("chain 3 prio 1"));
}

/* a table put before others in chain 0 becomes the root; order follows prio */
static void test_chain0_prios(void **state)
{
	struct tfilter t;
	u64 dropped;
	u64 tx;

	/* prio 5: redirect to VF1; prio 2, added later: drop port 80 */
	tf_init(&t, 0x3001, 0, 5, 1);
	tf_ipv4(&t, IPPROTO_TCP, NULL);
	tf_redirect(&t, 0, VF1->rep);
	assert_int_equal(tf_offer(&t, VF0->rep), 0);
	tf_free(&t);
	tf_init(&t, 0x3002, 0, 2, 1);
	tf_ipv4(&t, IPPROTO_TCP, NULL);
	tf_dport(&t, 80);
	tf_act(&t, 0, FLOW_ACTION_DROP);
	assert_int_equal(tf_offer(&t, VF0->rep), 0);
	tf_free(&t);
	expect_usage(2, 2, 2);

	dropped = hw_dropped();
	tx = port_tx_packets(VF1->port);
	assert_int_equal(send_tcp(VF0, "10.0.0.2", 80, NULL), 0);
	assert_int_equal(hw_dropped(), dropped + 1);
	assert_int_equal(send_tcp(VF0, "10.0.0.2", 81, NULL), 0);
	assert_int_equal(port_tx_packets(VF1->port), tx + 1);

	assert_int_equal(tf_destroy(0x3002, VF0->rep), 0);
	assert_int_equal(send_tcp(VF0, "10.0.0.2", 80, NULL), 0);
	assert_int_equal(port_tx_packets(VF1->port), tx + 2);
	assert_int_equal(tf_destroy(0x3001, VF0->rep), 0);
}

/* the same cookie again replaces the filter, also with the very same match */
static void test_replace(void **state)
{
	struct tfilter t;
	u64 dropped, tx;

	tf_init(&t, 0x4001, 0, 1, 1);
	tf_ipv4(&t, IPPROTO_TCP, "10.0.0.2");
	tf_act(&t, 0, FLOW_ACTION_DROP);
	assert_int_equal(tf_offer(&t, VF0->rep), 0);
	/* same match, now a redirect */
	tf_redirect(&t, 0, VF1->rep);
	assert_int_equal(tf_offer(&t, VF0->rep), 0);
	expect_usage(1, 1, 1);
	tx = port_tx_packets(VF1->port);
	assert_int_equal(send_tcp(VF0, "10.0.0.2", 80, NULL), 0);
	assert_int_equal(port_tx_packets(VF1->port), tx + 1);
	/* another match: the new one goes in before the old one goes */
	t.key.ipv4.dst = inet_addr("10.0.0.3");
	tf_act(&t, 0, FLOW_ACTION_DROP);
	assert_int_equal(tf_offer(&t, VF0->rep), 0);
	tf_free(&t);
	expect_usage(1, 1, 1);
	dropped = hw_dropped();
	assert_int_equal(send_tcp(VF0, "10.0.0.3", 80, NULL), 0);
	assert_int_equal(hw_dropped(), dropped + 1);
	assert_int_equal(send_tcp(VF0, "10.0.0.2", 80, NULL), 1);
	assert_int_equal(tf_destroy(0x4001, VF0->rep), 0);

	/* a new version that cannot be offloaded takes the old one's rules away too */
	tf_init(&t, 0x4002, 0, 1, 1);
	tf_ipv4(&t, IPPROTO_TCP, "10.0.0.2");
	tf_act(&t, 0, FLOW_ACTION_DROP);
	assert_int_equal(tf_offer(&t, VF0->rep), 0);
	tf_act(&t, 0, FLOW_ACTION_TRAP);
	assert_int_equal(tf_offer(&t, VF0->rep), -EOPNOTSUPP);
	tf_free(&t);
	expect_usage(0, 0, 0);
	assert_int_equal(tf_destroy(0x4002, VF0->rep), -EINVAL);
}

/* every key parse_cls_flower() knows, in one filter; then the untagged-only rule */
static void test_match_keys(void **state)
{
	static const u8 dmac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x02 };
	struct mlx5_cqe_md md;
	struct tfilter t;
	u64 dropped;

	tf_init(&t, 0x5001, 0, 1, 1);
	tf_ipv4(&t, IPPROTO_TCP, "10.0.0.2");
	tf_dport(&t, 80);
	memcpy(t.key.eth.dst, dmac, ETH_ALEN);
	memset(t.mask.eth.dst, 0xff, ETH_ALEN);
	t.key.ip.ttl = 64;
	t.mask.ip.ttl = 0xff;
	t.key.ip.tos = 0;
	t.mask.ip.tos = 0xfc;
	t.key.tcp.flags = htons(0x10);
	t.mask.tcp.flags = htons(0x17);
	t.mask.control.flags = FLOW_DIS_IS_FRAGMENT;	/* not a fragment */
	t.key.meta.ingress_ifindex = VF0->rep->ifindex;
	t.mask.meta.ingress_ifindex = 0xffffffff;
	tf_act(&t, 0, FLOW_ACTION_DROP);
	assert_int_equal(tf_offer(&t, VF0->rep), 0);
	tf_free(&t);
	dropped = hw_dropped();
	assert_int_equal(send_tcp(VF0, "10.0.0.2", 80, NULL), 0);
	assert_int_equal(hw_dropped(), dropped + 1);
	assert_int_equal(tf_destroy(0x5001, VF0->rep), 0);

	/* ttl 63: the packet (ttl 64) misses */
	tf_init(&t, 0x5002, 0, 1, 1);
	tf_ipv4(&t, IPPROTO_TCP, NULL);
	t.key.ip.ttl = 63;
	t.mask.ip.ttl = 0xff;
	tf_act(&t, 0, FLOW_ACTION_DROP);
	assert_int_equal(tf_offer(&t, VF0->rep), 0);
	tf_free(&t);
	assert_int_equal(send_tcp(VF0, "10.0.0.2", 80, &md), 1);
	assert_int_equal(tf_destroy(0x5002, VF0->rep), 0);

	/* vlan 10 (802.1Q): accepted; an untagged packet misses it */
	tf_init(&t, 0x5003, 0, 1, 1);
	t.key.basic.n_proto = htons(ETH_P_IP);
	t.mask.basic.n_proto = htons(0xffff);
	t.key.vlan.vlan_id = 10;
	t.mask.vlan.vlan_id = 0xfff;
	t.key.vlan.vlan_priority = 3;
	t.mask.vlan.vlan_priority = 7;
	t.key.vlan.vlan_tpid = htons(ETH_P_8021Q);
	t.mask.vlan.vlan_tpid = htons(0xffff);
	tf_act(&t, 0, FLOW_ACTION_DROP);
	assert_int_equal(tf_offer(&t, VF0->rep), 0);
	tf_free(&t);
	assert_int_equal(send_tcp(VF0, "10.0.0.2", 80, NULL), 1);
	assert_int_equal(tf_destroy(0x5003, VF0->rep), 0);

	/* IPv6 addresses, udp ports, icmp type/code: accepted */
	tf_init(&t, 0x5004, 0, 1, 1);
	t.key.basic.n_proto = htons(ETH_P_IPV6);
	t.mask.basic.n_proto = htons(0xffff);
	t.key.basic.ip_proto = IPPROTO_UDP;
	t.mask.basic.ip_proto = 0xff;
	t.key.control.addr_type = FLOW_DISSECTOR_KEY_IPV6_ADDRS;
	t.mask.control.addr_type = 0xffff;
	inet_pton(AF_INET6, "2001:db8::1", &t.key.ipv6.src);
	memset(&t.mask.ipv6.src, 0xff, 16);
	tf_dport(&t, 53);
	tf_act(&t, 0, FLOW_ACTION_DROP);
	assert_int_equal(tf_offer(&t, VF0->rep), 0);
	tf_free(&t);
	tf_init(&t, 0x5005, 0, 1, 1);
	tf_ipv4(&t, IPPROTO_ICMP, NULL);
	t.key.icmp.type = 8;
	t.mask.icmp.type = 0xff;
	t.mask.icmp.code = 0xff;
	tf_act(&t, 0, FLOW_ACTION_DROP);
	assert_int_equal(tf_offer(&t, VF0->rep), 0);
	tf_free(&t);
	expect_usage(1, 2, 2);
	assert_int_equal(tf_destroy(0x5004, VF0->rep), 0);
	assert_int_equal(tf_destroy(0x5005, VF0->rep), 0);
}

static void test_refuse_keys(void **state)
{
	struct tfilter t;

	tf_init(&t, 0x6001, 0, 1, 1);
	tf_ipv4(&t, IPPROTO_TCP, NULL);
	t.key.tp_range.tp_min.dst = htons(10);
	t.key.tp_range.tp_max.dst = htons(20);
	t.mask.tp_range.tp_min.dst = 0xffff;
	t.mask.tp_range.tp_max.dst = 0xffff;
	tf_act(&t, 0, FLOW_ACTION_DROP);
	expect_refused(&t, "Match on port ranges is not supported");

	tf_init(&t, 0x6002, 0, 1, 1);
	t.key.basic.n_proto = htons(ETH_P_ARP);
	t.mask.basic.n_proto = htons(0xffff);
	t.key.arp.op = 1;
	t.mask.arp.op = 0xff;
	tf_act(&t, 0, FLOW_ACTION_DROP);
	expect_refused(&t, "Match on ARP keys is not supported");

	tf_init(&t, 0x6003, 0, 1, 1);
	tf_ipv4(&t, IPPROTO_UDP, NULL);
	t.key.enc_key_id.keyid = htonl(42);
	t.mask.enc_key_id.keyid = 0xffffffff;
	tf_act(&t, 0, FLOW_ACTION_DROP);
	expect_refused(&t, "Match on tunnel keys (enc_*) is not supported");

	tf_init(&t, 0x6004, 0, 1, 1);
	t.key.cvlan.vlan_id = 5;
	t.mask.cvlan.vlan_id = 0xfff;
	t.key.vlan.vlan_id = 10;
	t.mask.vlan.vlan_id = 0xfff;
	t.key.vlan.vlan_tpid = htons(ETH_P_8021AD);
	t.mask.vlan.vlan_tpid = htons(0xffff);
	tf_act(&t, 0, FLOW_ACTION_DROP);
	expect_refused(&t, "Match on inner VLAN (cvlan) is not supported");

	tf_init(&t, 0x6005, 0, 1, 1);
	t.key.vlan.vlan_id = 10;
	t.mask.vlan.vlan_id = 0xfff;
	t.key.vlan.vlan_tpid = htons(ETH_P_8021AD);
	t.mask.vlan.vlan_tpid = htons(0xffff);
	tf_act(&t, 0, FLOW_ACTION_DROP);
	expect_refused(&t, "Only 802.1Q VLAN tags can be matched");

	/* ports with no transport, or one other than TCP/UDP */
	tf_init(&t, 0x6006, 0, 1, 1);
	tf_ipv4(&t, 0, NULL);
	tf_dport(&t, 80);
	tf_act(&t, 0, FLOW_ACTION_DROP);
	expect_refused(&t, "Only UDP and TCP transports are supported for port matching");
	tf_init(&t, 0x6007, 0, 1, 1);
	tf_ipv4(&t, IPPROTO_SCTP, NULL);
	tf_dport(&t, 80);
	tf_act(&t, 0, FLOW_ACTION_DROP);
	expect_refused(&t, "Only UDP and TCP transports are supported for port matching");

	tf_init(&t, 0x6008, 0, 1, 1);
	tf_ipv4(&t, 0, NULL);
	t.key.control.flags = FLOW_DIS_IS_FRAGMENT | FLOW_DIS_FIRST_FRAG;
	t.mask.control.flags = FLOW_DIS_IS_FRAGMENT | FLOW_DIS_FIRST_FRAG;
	tf_act(&t, 0, FLOW_ACTION_DROP);
	expect_refused(&t, "Match on frag first/later is not supported");

	tf_init(&t, 0x6009, 0, 1, 1);
	tf_ipv4(&t, 0, NULL);
	t.key.meta.ingress_ifindex = VF1->rep->ifindex;
	t.mask.meta.ingress_ifindex = 0xffffffff;
	tf_act(&t, 0, FLOW_ACTION_DROP);
	expect_refused(&t, "Match on another ingress device is not supported");
}

static void test_refuse_actions(void **state)
{
	struct tfilter t;
	int i;

	/* goto: same or lower chain, or beyond the registers' range */
	tf_init(&t, 0x7001, 2, 1, 1);
	tf_goto(&t, 0, 2);
	expect_refused(&t, "Goto lower numbered chain isn't supported");
	tf_init(&t, 0x7002, 2, 1, 1);
	tf_goto(&t, 0, 1);
	expect_refused(&t, "Goto lower numbered chain isn't supported");
	tf_init(&t, 0x7003, 0, 1, 1);
	tf_goto(&t, 0, FDB_TC_MAX_CHAIN + 1);
	expect_refused(&t, "Requested destination chain is out of supported range");

	/* the filter's own chain and prio */
	tf_init(&t, 0x7004, FDB_TC_MAX_CHAIN + 1, 1, 1);
	tf_act(&t, 0, FLOW_ACTION_DROP);
	expect_refused(&t, "Requested chain is out of supported range");
	tf_init(&t, 0x7005, 0, FDB_TC_MAX_PRIO + 1, 1);
	tf_act(&t, 0, FLOW_ACTION_DROP);
	expect_refused(&t, "Requested priority is out of supported range");

	/* forwarding to a device of no eswitch, or to a gone one */
	tf_init(&t, 0x7007, 0, 1, 1);
	tf_redirect(&t, 0, plain);
	expect_refused(&t, "devices are not on same switch HW, can't offload forwarding");
	tf_init(&t, 0x7008, 0, 1, 1);
	tf_redirect(&t, 0, NULL);
	expect_refused(&t, "The device of the mirred action is gone");
	/* more output ports than an FTE takes */
	tf_init(&t, 0x7009, 0, 1, MLX5_MAX_FLOW_FWD_VPORTS + 1);
	for (i = 0; i <= MLX5_MAX_FLOW_FWD_VPORTS; i++)
		tf_act(&t, i, FLOW_ACTION_MIRRED)->dev = i & 1 ? VF1->rep : esw->uplink.rep;
	expect_refused(&t, "can't support more output ports, can't offload forwarding");

	/* combinations */
	tf_init(&t, 0x700a, 0, 1, 2);
	tf_act(&t, 0, FLOW_ACTION_MIRRED)->dev = VF1->rep;
	tf_act(&t, 1, FLOW_ACTION_DROP);
	expect_refused(&t, "Drop with forward actions isn't supported");
	tf_init(&t, 0x700b, 0, 1, 2);
	tf_act(&t, 0, FLOW_ACTION_MIRRED)->dev = VF1->rep;
	tf_goto(&t, 1, 4);
	expect_refused(&t, "Mirroring goto chain rules isn't supported");

	/* no fate at all */
	tf_init(&t, 0x700c, 0, 1, 0);
	tf_ipv4(&t, 0, NULL);
	expect_refused(&t, "Rule must have at least one forward/drop action");

	/* what the driver does not offload, by name */
	tf_init(&t, 0x700d, 0, 1, 2);
	tf_act(&t, 0, FLOW_ACTION_VLAN_PUSH)->vlan.vid = 5;
	tf_act(&t, 1, FLOW_ACTION_DROP);
	expect_refused(&t, "Offload of vlan push action is not supported");
	tf_init(&t, 0x700e, 0, 1, 1);
	tf_act(&t, 0, FLOW_ACTION_TRAP);
	expect_refused(&t, "Offload of trap action is not supported");
	tf_init(&t, 0x700f, 0, 1, 2);
	tf_act(&t, 0, FLOW_ACTION_MANGLE);
	tf_act(&t, 1, FLOW_ACTION_DROP);
	expect_refused(&t, "Offload of pedit action is not supported");
	tf_init(&t, 0x7010, 0, 1, 1);
	tf_act(&t, 0, FLOW_ACTION_REDIRECT_INGRESS)->dev = VF1->rep;
	expect_refused(&t, "Offload of mirred ingress redirect action is not supported");

	/* one counter per rule: only the default hw_stats */
	tf_init(&t, 0x7011, 0, 1, 1);
	tf_act(&t, 0, FLOW_ACTION_DROP)->hw_stats = FLOW_ACTION_HW_STATS_IMMEDIATE;
	expect_refused(&t, "Driver supports only default HW stats type \"any\"");

	/* ct after another action */
	tf_init(&t, 0x7012, 0, 1, 2);
	tf_act(&t, 0, FLOW_ACTION_MIRRED)->dev = VF1->rep;
	tf_act(&t, 1, FLOW_ACTION_CT);
	expect_refused(&t, "actions before ct are not offloaded");
}

/* ---- ct ---- */

/* a ct action of zone as tc would create it (the zone's flowtable comes with it) */
static void ct_action(struct tcf_exts *exts, u16 zone)
{
	char buf[1024];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlattr *tb[TCA_FLOWER_MAX + 1] = {};
	struct nlattr *acts, *act, *opts;
	struct tc_ct parm = { .action = TC_ACT_PIPE };

	acts = mnl_attr_nest_start(nlh, TCA_FLOWER_ACT);
	act = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_strz(nlh, TCA_ACT_KIND, "ct");
	opts = mnl_attr_nest_start(nlh, TCA_ACT_OPTIONS);
	mnl_attr_put(nlh, TCA_CT_PARMS, sizeof(parm), &parm);
	mnl_attr_put_u16(nlh, TCA_CT_ZONE, zone);
	mnl_attr_nest_end(nlh, opts);
	mnl_attr_nest_end(nlh, act);
	mnl_attr_nest_end(nlh, acts);
	tb[TCA_FLOWER_ACT] = acts;
	assert_int_equal(tcf_exts_init(exts, TCA_FLOWER_ACT, 0), 0);
	assert_int_equal(tcf_exts_validate(NULL, tb, exts, 0, NULL), 0);
}

static void tf_ct(struct tfilter *t, unsigned int i, u16 zone)
{
	struct flow_action_entry *a = tf_act(t, i, FLOW_ACTION_CT);

	a->ct.zone = zone;
	a->ct.action = 0;
	a->ct.flow_table = tcf_ct_zone_flowtable(zone);
	assert_non_null(a->ct.flow_table);
}

/*
 * The seed's chain 0 rule: ct_state -trk, ct zone 5, goto chain 2; and
 * chain 2's +trk+est: redirect.  Offloaded through the ct split;
 * everything goes again on delete.
 */
static void test_ct(void **state)
{
	struct tcf_exts exts;
	struct mlx5_fs_usage u;
	struct mlx5_cqe_md md;
	struct tfilter t;
	u64 pkts, bytes;
	u32 chain;

	ct_action(&exts, 5);

	tf_init(&t, 0x8001, 0, 1, 2);
	tf_ipv4(&t, IPPROTO_TCP, NULL);
	t.mask.ct.ct_state = TCA_FLOWER_KEY_CT_FLAGS_TRACKED;
	tf_ct(&t, 0, 5);
	tf_goto(&t, 1, 2);
	assert_int_equal(tf_offer(&t, VF0->rep), 0);
	tf_free(&t);

	/* a second ct action */
	tf_init(&t, 0x8002, 0, 1, 3);
	tf_ipv4(&t, IPPROTO_UDP, NULL);
	tf_ct(&t, 0, 5);
	tf_ct(&t, 1, 5);
	tf_goto(&t, 2, 2);
	expect_refused(&t, "Only one ct action is supported");
	/* ct with nothing after it: no fate */
	tf_init(&t, 0x8003, 0, 1, 1);
	tf_ipv4(&t, IPPROTO_UDP, NULL);
	tf_ct(&t, 0, 5);
	expect_refused(&t, "Rule must have at least one forward/drop action");

	tf_init(&t, 0x8004, 2, 1, 1);
	tf_ipv4(&t, IPPROTO_TCP, NULL);
	t.key.ct.ct_state = TCA_FLOWER_KEY_CT_FLAGS_TRACKED | TCA_FLOWER_KEY_CT_FLAGS_ESTABLISHED;
	t.mask.ct.ct_state = TCA_FLOWER_KEY_CT_FLAGS_TRACKED | TCA_FLOWER_KEY_CT_FLAGS_ESTABLISHED;
	tf_redirect(&t, 0, VF1->rep);
	assert_int_equal(tf_offer(&t, VF0->rep), 0);
	tf_free(&t);

	mlx5_fs_get_usage(esw->dev, &u);
	/* chain 0 prio 1 (pre_ct), chain 2 prio 1: the ct tables are the eswitch's own */
	assert_int_equal(u.tables - base.tables, 2);
	assert_true(dump_has("chain 2 prio 1"));
	/* no connection offloaded yet: pre_ct sends it to ct, which misses at chain 0 */
	assert_int_equal(send_tcp(VF0, "10.0.0.2", 80, &md), 1);
	assert_int_equal(mlx5_get_chain_for_tag(esw->chains, md.flow_tag & 0xffff, &chain), 0);
	assert_int_equal(chain, 0);
	/* the filter's counter is post_ct's: nothing hit a connection */
	tf_stats(0x8001, VF0->rep, &pkts, &bytes);
	assert_int_equal(pkts, 0);

	assert_int_equal(tf_destroy(0x8004, VF0->rep), 0);
	assert_int_equal(tf_destroy(0x8001, VF0->rep), 0);
	tcf_exts_destroy(&exts);
	rcu_barrier();
	rcu_barrier();
}

/* tens of thousands of filters in one (chain, prio) table, then none */
static void test_many(void **state)
{
	const unsigned int n = 20000;
	struct tfilter t;
	unsigned int i;
	u64 dropped;

	for (i = 0; i < n; i++) {
		tf_init(&t, 0x100000 + i, 0, 1, 1);
		tf_ipv4(&t, IPPROTO_TCP, "10.0.0.2");
		tf_dport(&t, 1 + i);
		tf_act(&t, 0, FLOW_ACTION_DROP);
		assert_int_equal(tf_offer(&t, VF0->rep), 0);
		tf_free(&t);
	}
	expect_usage(1, n, n);
	dropped = hw_dropped();
	assert_int_equal(send_tcp(VF0, "10.0.0.2", 12345, NULL), 0);
	assert_int_equal(hw_dropped(), dropped + 1);
	/* half go one by one, the rest with the representor's tc state */
	for (i = 0; i < n; i += 2)
		assert_int_equal(tf_destroy(0x100000 + i, VF0->rep), 0);
	expect_usage(1, n / 2, n / 2);
	rtnl_lock();
	mlx5e_tc_esw_cleanup(VF0->rep);
	assert_int_equal(mlx5e_tc_esw_init(VF0->rep), 0);
	rtnl_unlock();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_drop, teardown),
		cmocka_unit_test_teardown(test_redirect, teardown),
		cmocka_unit_test_teardown(test_accept, teardown),
		cmocka_unit_test_teardown(test_goto_chain, teardown),
		cmocka_unit_test_teardown(test_chain0_prios, teardown),
		cmocka_unit_test_teardown(test_replace, teardown),
		cmocka_unit_test_teardown(test_match_keys, teardown),
		cmocka_unit_test_teardown(test_refuse_keys, teardown),
		cmocka_unit_test_teardown(test_refuse_actions, teardown),
		cmocka_unit_test_teardown(test_ct, teardown),
		cmocka_unit_test_teardown(test_many, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
