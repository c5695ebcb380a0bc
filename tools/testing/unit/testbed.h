/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The test bed the eswitch unit tests share (test_explain.c,
 * test_mlx5_tc_tun.c, test_pkt_trace.c): a real eswitch over the steering
 * model whose ports record what they send, conntrack and the flowtable, a
 * collect-metadata vxlan0 and, when asked, cap0, a plain netdev that
 * records what it sends.  Links, addresses, qdiscs and flower filters are
 * made with netlink requests built as ip(8) and tc(8) build them and
 * handed to the real rtnetlink handlers.
 *
 * Static helpers in a header: each unit test is one .c file linked with
 * the core objects, and includes this once.  What a test does not use is
 * __maybe_unused.
 */
#ifndef _TOOLS_TESTING_UNIT_TESTBED_H
#define _TOOLS_TESTING_UNIT_TESTBED_H

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
#include <linux/compiler.h>
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
#include "testbed_nl.h"
#include "../../../drivers/net/ethernet/mellanox/mlx5/core/eswitch.h"
#include "../../../drivers/net/ethernet/mellanox/mlx5/core/en_rep.h"
#include "../../../drivers/net/ethernet/mellanox/mlx5/core/en_tc.h"
#include "../../../drivers/net/ethernet/mellanox/mlx5/core/fs_core.h"
#include "../../../drivers/net/ethernet/mellanox/mlx5/core/fs_priv.h"
#include "../../../drivers/net/ethernet/mellanox/mlx5/core/en/mapping.h"
#include "../../../drivers/net/ethernet/mellanox/mlx5/core/en/tc_priv.h"
#include "../../../drivers/net/ethernet/mellanox/mlx5/core/en/tc_tun.h"

static struct mlx5_eswitch *esw;
static struct net_device *vxlan0, *cap0 __maybe_unused;
static struct skb_pool pool;

#define VF0	(&esw->vfs[0])
#define VF1	(&esw->vfs[1])
#define UPLINK	(&esw->uplink)

/* ---- capture: a port kind and a netdev that keep the last frame they sent ---- */

static int cap_port_open(struct port *p, const char *arg)
{
	p->priv = kzalloc(sizeof(struct capture), GFP_KERNEL);
	return p->priv ? 0 : -ENOMEM;
}

static int cap_port_rx_burst(struct port *p, unsigned int queue, struct sk_buff **skbs, int max,
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

static __maybe_unused struct capture *port_cap(struct mlx5_vport *vport)
{
	return vport->port->priv;
}

static struct capture cap0_cap __maybe_unused;

static enum netdev_tx cap0_xmit(struct sk_buff *skb, struct net_device *dev)
{
	const struct ip_tunnel_info *info = skb_tunnel_info(skb);

	memcpy(cap0_cap.frame, skb->data, skb->len);
	cap0_cap.len = skb->len;
	cap0_cap.count++;
	cap0_cap.has_info = info;
	if (info)
		cap0_cap.info = *info;
	kfree_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops cap0_ops = { .ndo_start_xmit = cap0_xmit };

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

/* ip link set DEV up */
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
static __maybe_unused void uplink_addr(u16 type)
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

/* ---- flower filters, as tc builds them ---- */

struct fl {
	u32 chain, prio, flags;
	bool ip;		/* protocol ip (else all) */
	u8 ip_proto;
	u16 dport_min, dport_max;	/* dst_port MIN-MAX */
	u32 vni;		/* enc_key_id, 0: none */
	const char *enc_src, *enc_dst;
	u16 enc_dport;		/* 0: none */
	u16 ct_state, ct_state_mask;	/* ct_state S/M; M 0: S masked as itself */
	/* actions, in this order, when set */
	bool ct;		/* ct [commit] [zone Z] pipe (also made by ct_zone) */
	u16 ct_zone;
	bool ct_commit;
	bool tunnel_set;	/* tunnel_key set src_ip 0.0.0.0 dst_ip 7.7.7.8 id 98 dst_port 4789 */
	u16 ct_zone2;		/* a second ct action */
	u32 goto_chain;
	bool drop;
	struct net_device *redirect;	/* mirred egress redirect dev */
};

static void put_gact(struct req *r, int *order, int action)
{
	struct tc_gact p = { .action = action };
	struct act_nest n = act_begin(r, order, "gact");

	mnl_attr_put(r->nlh, TCA_GACT_PARMS, sizeof(p), &p);
	act_end(r, n);
}

/* ct [commit] [zone Z] pipe */
static void put_ct(struct req *r, int *order, u16 zone, bool commit)
{
	struct tc_ct p = { .action = TC_ACT_PIPE };
	struct act_nest n = act_begin(r, order, "ct");

	mnl_attr_put(r->nlh, TCA_CT_PARMS, sizeof(p), &p);
	if (zone)
		mnl_attr_put_u16(r->nlh, TCA_CT_ZONE, zone);
	if (commit)
		mnl_attr_put_u16(r->nlh, TCA_CT_ACTION, TCA_CT_ACT_COMMIT);
	act_end(r, n);
}

static void put_ip(struct req *r, u16 type, const char *addr)
{
	mnl_attr_put_u32(r->nlh, type, inet_addr(addr));
	mnl_attr_put_u32(r->nlh, type + 1, 0xffffffff);	/* the _MASK that follows */
}

/* tc filter add dev DEV ingress chain C prio P [protocol ip] flower ...; -errno, extack in r */
static int fl_add(struct req *r, struct net_device *dev, const struct fl *f)
{
	struct nlattr *opts, *acts;
	struct tcmsg *t;
	int order = 0;

	t = tc_req(r, RTM_NEWTFILTER, NLM_F_CREATE | NLM_F_EXCL, dev, TC_INGRESS_PARENT);
	t->tcm_info = TC_H_MAKE(f->prio << 16, htons(f->ip ? ETH_P_IP : ETH_P_ALL));
	t->tcm_handle = 1;
	mnl_attr_put_strz(r->nlh, TCA_KIND, "flower");
	if (f->chain)
		mnl_attr_put_u32(r->nlh, TCA_CHAIN, f->chain);
	opts = mnl_attr_nest_start(r->nlh, TCA_OPTIONS);
	if (f->flags)
		mnl_attr_put_u32(r->nlh, TCA_FLOWER_FLAGS, f->flags);
	if (f->ip)
		mnl_attr_put_u16(r->nlh, TCA_FLOWER_KEY_ETH_TYPE, htons(ETH_P_IP));
	if (f->ip_proto)
		mnl_attr_put_u8(r->nlh, TCA_FLOWER_KEY_IP_PROTO, f->ip_proto);
	if (f->dport_max) {
		mnl_attr_put_u16(r->nlh, TCA_FLOWER_KEY_PORT_DST_MIN, htons(f->dport_min));
		mnl_attr_put_u16(r->nlh, TCA_FLOWER_KEY_PORT_DST_MAX, htons(f->dport_max));
	}
	if (f->vni)
		mnl_attr_put_u32(r->nlh, TCA_FLOWER_KEY_ENC_KEY_ID, htonl(f->vni));
	if (f->enc_src)
		put_ip(r, TCA_FLOWER_KEY_ENC_IPV4_SRC, f->enc_src);
	if (f->enc_dst)
		put_ip(r, TCA_FLOWER_KEY_ENC_IPV4_DST, f->enc_dst);
	if (f->enc_dport) {
		mnl_attr_put_u16(r->nlh, TCA_FLOWER_KEY_ENC_UDP_DST_PORT, htons(f->enc_dport));
		mnl_attr_put_u16(r->nlh, TCA_FLOWER_KEY_ENC_UDP_DST_PORT_MASK, 0xffff);
	}
	if (f->ct_state || f->ct_state_mask) {
		mnl_attr_put_u16(r->nlh, TCA_FLOWER_KEY_CT_STATE, f->ct_state);
		mnl_attr_put_u16(r->nlh, TCA_FLOWER_KEY_CT_STATE_MASK,
				 f->ct_state_mask ? f->ct_state_mask : f->ct_state);
	}
	acts = mnl_attr_nest_start(r->nlh, TCA_FLOWER_ACT);
	if (f->ct || f->ct_zone)
		put_ct(r, &order, f->ct_zone, f->ct_commit);
	if (f->tunnel_set) {
		struct tc_tunnel_key p = { .action = TC_ACT_PIPE,
					   .t_action = TCA_TUNNEL_KEY_ACT_SET };
		struct act_nest n = act_begin(r, &order, "tunnel_key");

		mnl_attr_put(r->nlh, TCA_TUNNEL_KEY_PARMS, sizeof(p), &p);
		/* src_ip 0.0.0.0, as the seed says: the route picks the source */
		mnl_attr_put_u32(r->nlh, TCA_TUNNEL_KEY_ENC_IPV4_SRC, 0);
		mnl_attr_put_u32(r->nlh, TCA_TUNNEL_KEY_ENC_IPV4_DST, inet_addr("7.7.7.8"));
		mnl_attr_put_u32(r->nlh, TCA_TUNNEL_KEY_ENC_KEY_ID, htonl(98));
		mnl_attr_put_u16(r->nlh, TCA_TUNNEL_KEY_ENC_DST_PORT, htons(4789));
		act_end(r, n);
	}
	if (f->ct_zone2)
		put_ct(r, &order, f->ct_zone2, false);
	if (f->goto_chain)
		put_gact(r, &order, TC_ACT_GOTO_CHAIN | f->goto_chain);
	if (f->drop)
		put_gact(r, &order, TC_ACT_SHOT);
	if (f->redirect) {
		struct tc_mirred p = { .action = TC_ACT_STOLEN, .eaction = TCA_EGRESS_REDIR,
				       .ifindex = f->redirect->ifindex };
		struct act_nest n = act_begin(r, &order, "mirred");

		mnl_attr_put(r->nlh, TCA_MIRRED_PARMS, sizeof(p), &p);
		act_end(r, n);
	}
	mnl_attr_nest_end(r->nlh, acts);
	mnl_attr_nest_end(r->nlh, opts);
	return req_send(r);
}

/* the filter is made; quiet: and tc would print nothing (no extack) */
static void fl_add_check(struct net_device *dev, const struct fl *f, bool quiet)
{
	struct req r;
	int err = fl_add(&r, dev, f);

	if (err)
		print_message("fl_add: %d %s\n", err, r.extack._msg ? r.extack._msg : "");
	assert_int_equal(err, 0);
	if (quiet)
		assert_null(r.extack._msg);
}

static __maybe_unused void fl_add_ok(struct net_device *dev, const struct fl *f)
{
	fl_add_check(dev, f, false);
}

static __maybe_unused void fl_add_quiet(struct net_device *dev, const struct fl *f)
{
	fl_add_check(dev, f, true);
}

/* tc filter del dev DEV ingress chain C prio P */
static __maybe_unused void fl_del(struct net_device *dev, u32 chain, u32 prio)
{
	struct tcmsg *t;
	struct req r;

	t = tc_req(&r, RTM_DELTFILTER, 0, dev, TC_INGRESS_PARENT);
	t->tcm_info = TC_H_MAKE(prio << 16, 0);
	if (chain)
		mnl_attr_put_u32(r.nlh, TCA_CHAIN, chain);
	assert_int_equal(req_send(&r), 0);
}

/* ---- setup ---- */

/*
 * Conntrack, the flowtable, an eswitch PF with two VFs on capture ports,
 * cap0 when asked; vxlan0 made; vxlan0, the uplink, VF 0 and cap0 up.
 * No qdisc yet.  0 or -1.
 */
static __maybe_unused int testbed_init(const char *pf, bool with_cap0)
{
	struct mlx5_esw_config cfg = {
		.pf = pf, .num_vfs = 2, .uplink_port = "cap", .vf_port = "cap",
	};

	rcu_register_thread();
	jiffies_set_virtual(1000000);
	if (nf_conntrack_init() || nf_flow_table_module_init() || skb_pool_init(&pool, 64))
		return -1;
	skb_local_pool = &pool;
	port_register(&cap_port_ops);
	esw = mlx5_eswitch_create(&cfg);
	if (!esw)
		return -1;
	if (with_cap0) {
		rtnl_lock();
		cap0 = alloc_netdev(0, "cap0", &cap0_ops);
		if (!cap0 || register_netdev(cap0))
			return -1;
		rtnl_unlock();
	}
	vxlan_add();
	vxlan0 = dev_get_by_name("vxlan0");
	assert_non_null(vxlan0);
	link_set_up(vxlan0);
	link_set_up(UPLINK->rep);
	link_set_up(VF0->rep);
	if (cap0)
		link_set_up(cap0);
	return 0;
}

static int testbed_group_teardown(void **state)
{
	mlx5_eswitch_destroy(esw);
	rcu_barrier();
	nf_flow_table_module_exit();
	nf_conntrack_cleanup();
	return 0;
}

#endif /* _TOOLS_TESTING_UNIT_TESTBED_H */
