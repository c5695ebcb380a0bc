// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the driver's VXLAN offload (en/tc_tun.c, en_tc.c's
 * tunnel parts, en_rep.c's indirect block and tunnel restore) over the
 * eswitch steering model.  Devices, addresses, qdiscs and filters are
 * made with netlink requests built as ip(8) and tc(8) build them and
 * handed to the real rtnetlink handlers: a collect-metadata vxlan0, whose
 * filters reach the uplink representor through the indirect block, and
 * the representors' own filters.  Refusals whose extack tc does not show
 * (filters on a vxlan device cannot be skip_sw) are offered to the
 * driver's flower entry point directly, as cls_flower would build them.
 *
 * What is checked: the tc flags (in_hw), the FTEs in the steering dump
 * (outer match, VNI, inner match, decap, encap, the TUNNEL_TO_REG
 * write), the encap entries' reformat objects, and packets through the
 * model on ports that record what they send: VXLAN in on the uplink and
 * out of VF 0 decapsulated, from VF 0 out of the uplink encapsulated,
 * misses restored onto vxlan0 with their tunnel metadata.  Neighbours
 * are resolved with neigh_update(), whose NETEVENT_NEIGH_UPDATE queues
 * the driver's work; the tests flush its workqueue.
 */
#include "testbed.h"
#include "tfilter.h"

static struct mlx5_fs_usage base;	/* what the eswitch uses without filters */

static const u8 peer_mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0xbb };
static const u8 peer_mac2[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0xcc };

/* TCA_FLOWER_FLAGS and TCA_FLOWER_IN_HW_COUNT of the filter at (chain, prio) on dev */
static void fl_flags(struct net_device *dev, u32 chain, u32 prio, u32 *flags, u32 *in_hw_count)
{
	const struct nlattr *a, *o;
	struct nlmsghdr *nlh;
	struct nl_out out;
	struct tcmsg *t;
	bool found = false;
	struct req r;
	int len;

	tc_req(&r, RTM_GETTFILTER, NLM_F_DUMP, dev, TC_INGRESS_PARENT);
	nl_out_init(&out, 0);
	assert_int_equal(req_send_out(&r, &out), 0);
	len = out.len;
	for (nlh = (struct nlmsghdr *)out.buf; mnl_nlmsg_ok(nlh, len);
	     nlh = mnl_nlmsg_next(nlh, &len)) {
		u32 c = 0;

		if (nlh->nlmsg_type != RTM_NEWTFILTER)
			continue;
		t = mnl_nlmsg_get_payload(nlh);
		if (TC_H_MAJ(t->tcm_info) != prio << 16 || !t->tcm_handle)
			continue;
		mnl_attr_for_each(a, nlh, sizeof(*t))
			if (mnl_attr_get_type(a) == TCA_CHAIN)
				c = mnl_attr_get_u32(a);
		if (c != chain)
			continue;
		found = true;
		*flags = 0;
		*in_hw_count = 0;
		mnl_attr_for_each(a, nlh, sizeof(*t)) {
			if (mnl_attr_get_type(a) != TCA_OPTIONS)
				continue;
			mnl_attr_for_each_nested(o, a) {
				if (mnl_attr_get_type(o) == TCA_FLOWER_FLAGS)
					*flags = mnl_attr_get_u32(o);
				else if (mnl_attr_get_type(o) == TCA_FLOWER_IN_HW_COUNT)
					*in_hw_count = mnl_attr_get_u32(o);
			}
		}
	}
	nl_out_free(&out);
	assert_true(found);
}

static void expect_in_hw(struct net_device *dev, u32 chain, u32 prio)
{
	u32 flags, count;

	fl_flags(dev, chain, prio, &flags, &count);
	assert_int_equal(flags, TCA_CLS_FLAGS_IN_HW);
	assert_int_equal(count, 1);
}

/* ---- the driver's flower entry point, for refusals tc would not show ---- */

/* cls_flower's fl_init_dissector(): enc_control comes with the enc addresses */
static void tf_set_used_keys(struct tfilter *t)
{
	unsigned long long used = tf_used_keys(t);

	if (used & BIT_ULL(FLOW_DISSECTOR_KEY_ENC_IPV4_ADDRS))
		used |= BIT_ULL(FLOW_DISSECTOR_KEY_ENC_CONTROL);
	t->dissector.used_keys |= used;
}

/* proto ip, enc_key_id 98 enc_src_ip 7.7.7.8 enc_dst_ip 7.7.7.7 enc_dst_port 4789 */
static void tf_init(struct tfilter *t, unsigned long cookie, unsigned int nr_actions)
{
	tf_alloc(t, cookie, nr_actions);
	t->f.common.prio = 1;
	t->key.basic.n_proto = htons(ETH_P_IP);
	t->mask.basic.n_proto = 0xffff;
	t->key.enc_key_id.keyid = htonl(98);
	t->mask.enc_key_id.keyid = 0xffffffff;
	t->key.enc_control.addr_type = FLOW_DISSECTOR_KEY_IPV4_ADDRS;
	t->mask.enc_control.addr_type = 0xffff;
	t->key.enc_ipv4.src = inet_addr("7.7.7.8");
	t->mask.enc_ipv4.src = 0xffffffff;
	t->key.enc_ipv4.dst = inet_addr("7.7.7.7");
	t->mask.enc_ipv4.dst = 0xffffffff;
	t->key.enc_tp.dst = htons(4789);
	t->mask.enc_tp.dst = 0xffff;
}

/* offered on dev (vxlan0 through the uplink, or a representor): refused with msg, nothing left */
static void expect_refused(struct tfilter *t, struct net_device *dev, const char *msg)
{
	struct mlx5e_rep_priv *rpriv = netdev_priv(dev == vxlan0 ? UPLINK->rep : dev);
	struct flow_cls_offload destroy = { .command = FLOW_CLS_DESTROY, .cookie = t->f.cookie };
	struct mlx5_fs_usage before, u;
	int err;

	tf_set_used_keys(t);
	t->f.command = FLOW_CLS_REPLACE;
	mlx5_fs_get_usage(esw->dev, &before);
	rtnl_lock();
	err = mlx5e_tc_setup_flower(rpriv, dev, &t->f);
	rtnl_unlock();
	assert_int_equal(err, -EOPNOTSUPP);
	assert_non_null(t->extack._msg);
	assert_string_equal(t->extack._msg, msg);
	rtnl_lock();
	assert_int_equal(mlx5e_tc_setup_flower(rpriv, dev, &destroy), -EINVAL);
	rtnl_unlock();
	mlx5_fs_get_usage(esw->dev, &u);
	assert_int_equal(u.ftes, before.ftes);
	assert_int_equal(u.modify_hdrs, before.modify_hdrs);
	assert_int_equal(u.pkt_reformats, before.pkt_reformats);
	assert_int_equal(mapping_count(esw->tun.tunnel_mapping), 0);
	assert_true(list_empty(&esw->tun.encap_tbl));
	kfree(t->rule);
}

/* ---- packets ---- */

/* an inner Ethernet + IPv4 + UDP frame, 10.0.0.1:sport -> 10.0.0.2:5001, 32 bytes of payload */
#define VXLAN_LEN	(14 + 20 + 8 + 8 + INNER_LEN)

static u16 get16(const u8 *p)
{
	return p[0] << 8 | p[1];
}

static void put16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

/* 7.7.7.8:50000 -> 7.7.7.7:4789, VNI vni, around the inner frame; as the wire gives it */
static struct sk_buff *vxlan_skb(u32 vni)
{
	struct sk_buff *skb = alloc_skb(&pool);
	u8 *p;
	u32 a;

	assert_non_null(skb);
	p = skb->data;
	memset(p, 0, VXLAN_LEN - INNER_LEN);
	memcpy(p, UPLINK->rep->dev_addr, ETH_ALEN);
	memcpy(p + 6, peer_mac, ETH_ALEN);
	put16(p + 12, ETH_P_IP);
	p[14] = 0x45;
	put16(p + 16, VXLAN_LEN - 14);
	p[22] = 64;
	p[23] = IPPROTO_UDP;
	a = inet_addr("7.7.7.8");
	memcpy(p + 26, &a, 4);
	a = inet_addr("7.7.7.7");
	memcpy(p + 30, &a, 4);
	put16(p + 34, 50000);
	put16(p + 36, 4789);
	put16(p + 38, VXLAN_LEN - 34);
	p[42] = 0x08;
	p[46] = vni >> 16;
	p[47] = vni >> 8;
	p[48] = vni;
	inner_frame(p + 50, 40000);
	skb_put(skb, VXLAN_LEN);
	return skb;
}

/* skb through the model from vport; returns the misses (freed), md of the first */
static int model_rx(struct mlx5_vport *vport, struct sk_buff *skb, struct mlx5_cqe_md *md)
{
	struct sk_buff *miss[1];
	struct mlx5_cqe_md m[1];
	int n;

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

static int send_inner(struct mlx5_vport *vport)
{
	struct sk_buff *skb = alloc_skb(&pool);

	assert_non_null(skb);
	inner_frame(skb->data, 40000);
	skb_put(skb, INNER_LEN);
	return model_rx(vport, skb, NULL);
}

/* ---- the steering dump ---- */

/* the number of FTE lines that hold every one of the NULL-terminated strings */
static int fte_lines_with(const char *first, ...)
{
	char *text = fs_dump_text(esw->dev), *line, *save = NULL;
	int n = 0;

	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *s = first;
		bool all = strstr(line, "fte ");
		va_list ap;

		va_start(ap, first);
		for (; s && all; s = va_arg(ap, const char *))
			all = strstr(line, s);
		va_end(ap);
		n += all;
	}
	free(text);
	return n;
}

static unsigned int reformats(void)
{
	struct mlx5_fs_usage u;

	mlx5_fs_get_usage(esw->dev, &u);
	return u.pkt_reformats - base.pkt_reformats;
}

/* ---- setup ---- */

static int group_setup(void **state)
{
	if (testbed_init("tt0", true))
		return -1;
	ingress_add(vxlan0);
	ingress_add(VF0->rep);
	mlx5_fs_get_usage(esw->dev, &base);
	return 0;
}

/* every test leaves the device as it found it */
static int teardown(void **state)
{
	struct mlx5_fs_usage u;

	mlx5_fs_get_usage(esw->dev, &u);
	assert_int_equal(u.tables, base.tables);
	assert_int_equal(u.ftes, base.ftes);
	assert_int_equal(u.modify_hdrs, base.modify_hdrs);
	assert_int_equal(u.pkt_reformats, base.pkt_reformats);
	assert_int_equal(u.counters, base.counters);
	assert_int_equal(mapping_count(esw->chain_mapping), 0);
	assert_int_equal(mapping_count(esw->tun.tunnel_mapping), 0);
	assert_true(list_empty(&esw->tun.encap_tbl));
	return 0;
}

/* ---- tests ---- */

static const struct fl decap_fl = {
	.prio = 1, .ip = true, .vni = 98, .enc_src = "7.7.7.8", .enc_dst = "7.7.7.7",
	.enc_dport = 4789,
};

/*
 * tc filter add dev vxlan0 ingress prio 1 protocol ip flower enc_key_id 98
 * enc_src_ip 7.7.7.8 enc_dst_ip 7.7.7.7 enc_dst_port 4789 action mirred
 * egress redirect dev <VF 0's representor>
 */
static void test_decap(void **state)
{
	struct capture *vf0 = port_cap(VF0);
	struct fl f = decap_fl;
	struct mlx5_cqe_md md;
	u8 inner[INNER_LEN];
	unsigned int count;

	f.redirect = VF0->rep;
	fl_add_ok(vxlan0, &f);
	expect_in_hw(vxlan0, 0, 1);
	/* one FTE: outer addresses, UDP 4789, VNI, inner ethertype; decap, to VF 0 */
	assert_int_equal(fte_lines_with("src_ip=7.7.7.8", "dst_ip=7.7.7.7", "udp_dport=4789",
					"vni=98", "inner_ethertype=", "decap", "fwd vport 1",
					NULL), 1);
	assert_int_equal(mapping_count(esw->tun.tunnel_mapping), 1);

	/* from the wire: out of VF 0's port, the inner frame byte for byte */
	count = vf0->count;
	assert_int_equal(model_rx(UPLINK, vxlan_skb(98), NULL), 0);
	assert_int_equal(vf0->count, count + 1);
	inner_frame(inner, 40000);
	assert_int_equal(vf0->len, INNER_LEN);
	assert_memory_equal(vf0->frame, inner, INNER_LEN);

	/* VNI 99: not the filter's, a plain miss to software (no tunnel to restore) */
	assert_int_equal(model_rx(UPLINK, vxlan_skb(99), &md), 1);
	assert_int_equal(md.flow_tag, 0);
	assert_int_equal(mlx5e_tc_reg_get((u32[8]){ md.flow_tag, md.ft_metadata },
					  TUNNEL_TO_REG), 0);
	assert_int_equal(vf0->count, count + 1);

	fl_del(vxlan0, 0, 1);
	assert_int_equal(fte_lines_with("vni=98", NULL), 0);
	assert_int_equal(model_rx(UPLINK, vxlan_skb(98), NULL), 1);
}

/* what the driver refuses, each with its reason; the uplink has no address yet */
static void test_refusals(void **state)
{
	struct ip_tunnel_info info = {};
	struct tfilter t;
	struct req r;
	struct fl f;

	/* no enc_key_id */
	tf_init(&t, 0x101, 1);
	t.mask.enc_key_id.keyid = 0;
	tf_act(&t, 0, FLOW_ACTION_REDIRECT)->dev = VF0->rep;
	expect_refused(&t, vxlan0, "VXLAN decap offload requires a match on enc_key_id");

	/* enc_dst_port 4790, or none */
	tf_init(&t, 0x102, 1);
	t.key.enc_tp.dst = htons(4790);
	tf_act(&t, 0, FLOW_ACTION_REDIRECT)->dev = VF0->rep;
	expect_refused(&t, vxlan0, "Matched UDP dst port is not registered as a VXLAN port");
	tf_init(&t, 0x103, 1);
	t.mask.enc_tp.dst = 0;
	tf_act(&t, 0, FLOW_ACTION_REDIRECT)->dev = VF0->rep;
	expect_refused(&t, vxlan0, "VXLAN decap offload requires a match on enc_dst_port");

	/* no enc addresses */
	tf_init(&t, 0x104, 1);
	t.mask.enc_ipv4.src = 0;
	t.mask.enc_ipv4.dst = 0;
	t.mask.enc_control.addr_type = 0;
	tf_act(&t, 0, FLOW_ACTION_REDIRECT)->dev = VF0->rep;
	expect_refused(&t, vxlan0, "Decap needs a match on the tunnel's IP addresses");

	/* tunnel options: tc itself refuses them; the driver too, should they come */
	tf_init(&t, 0x105, 1);
	t.dissector.used_keys = BIT_ULL(FLOW_DISSECTOR_KEY_ENC_OPTS);
	tf_act(&t, 0, FLOW_ACTION_REDIRECT)->dev = VF0->rep;
	expect_refused(&t, vxlan0, "Match on tunnel options is not supported");

	/* enc_* keys on a representor: not a tunnel device */
	tf_init(&t, 0x106, 1);
	tf_act(&t, 0, FLOW_ACTION_DROP);
	expect_refused(&t, VF0->rep, "Match on tunnel keys (enc_*) is not supported");

	/* mirred to vxlan0 with no tunnel_key set before it */
	tf_init(&t, 0x107, 1);
	memset(&t.mask, 0, sizeof(t.mask));
	tf_act(&t, 0, FLOW_ACTION_REDIRECT)->dev = vxlan0;
	expect_refused(&t, VF0->rep, "Forwarding to a tunnel device needs a tunnel_key set before it");
	/* tc shows the same: skip_sw on the representor */
	f = (struct fl){ .prio = 1, .ip = true, .flags = TCA_CLS_FLAGS_SKIP_SW, .redirect = vxlan0 };
	assert_int_equal(fl_add(&r, VF0->rep, &f), -EOPNOTSUPP);
	assert_non_null(r.extack._msg);
	assert_non_null(strstr(r.extack._msg,
			       "Forwarding to a tunnel device needs a tunnel_key set before it"));

	/* encap: no address on the uplink, so no route to 7.7.7.8 */
	info.key.u.ipv4.dst = inet_addr("7.7.7.8");
	info.key.tun_id = key32_to_tunnel_id(htonl(98));
	info.key.tp_dst = htons(4789);
	info.key.tun_flags = TUNNEL_KEY;
	info.mode = IP_TUNNEL_INFO_TX;
	tf_init(&t, 0x108, 2);
	memset(&t.mask, 0, sizeof(t.mask));
	tf_act(&t, 0, FLOW_ACTION_TUNNEL_ENCAP)->tunnel = &info;
	tf_act(&t, 1, FLOW_ACTION_REDIRECT)->dev = vxlan0;
	expect_refused(&t, VF0->rep, "No route to the tunnel's destination");
	f.tunnel_set = true;
	assert_int_equal(fl_add(&r, VF0->rep, &f), -EOPNOTSUPP);
	assert_non_null(r.extack._msg);
	assert_non_null(strstr(r.extack._msg, "No route to the tunnel's destination"));

	/* encap to another UDP port; with options */
	info.key.tp_dst = htons(4790);
	tf_init(&t, 0x109, 2);
	memset(&t.mask, 0, sizeof(t.mask));
	tf_act(&t, 0, FLOW_ACTION_TUNNEL_ENCAP)->tunnel = &info;
	tf_act(&t, 1, FLOW_ACTION_REDIRECT)->dev = vxlan0;
	expect_refused(&t, VF0->rep, "Encap to a UDP port other than 4789 is not supported");
	info.key.tp_dst = htons(4789);
	info.options_len = 8;
	tf_init(&t, 0x10a, 2);
	memset(&t.mask, 0, sizeof(t.mask));
	tf_act(&t, 0, FLOW_ACTION_TUNNEL_ENCAP)->tunnel = &info;
	tf_act(&t, 1, FLOW_ACTION_REDIRECT)->dev = vxlan0;
	expect_refused(&t, VF0->rep, "Encap with tunnel options is not supported");

	/* vxlan0 cannot offload by itself: its skip_sw filters are refused */
	f = decap_fl;
	f.flags = TCA_CLS_FLAGS_SKIP_SW;
	f.redirect = VF0->rep;
	assert_int_not_equal(fl_add(&r, vxlan0, &f), 0);
}

/* the reformat of the one encap entry (NULL while it is invalid) */
static const struct mlx5_pkt_reformat *encap_reformat(void)
{
	struct mlx5e_encap_entry *e;

	assert_false(list_empty(&esw->tun.encap_tbl));
	e = list_first_entry(&esw->tun.encap_tbl, struct mlx5e_encap_entry, list);
	assert_true(e->list.next == &esw->tun.encap_tbl);	/* the only one */
	return e->pkt_reformat;
}

static void neigh_set(const u8 *lladdr, u8 state)
{
	__be32 a = inet_addr("7.7.7.8");
	struct neighbour *n = neigh_lookup(&arp_tbl, &a, UPLINK->rep);

	assert_non_null(n);
	assert_int_equal(neigh_update(n, lladdr, state,
				      NEIGH_UPDATE_F_OVERRIDE | NEIGH_UPDATE_F_ADMIN), 0);
	neigh_release(n);
	flush_workqueue(esw->tun.wq);
}

/* a packet from VF 0 leaves the uplink as VXLAN to 7.7.7.8 VNI 98, to dmac */
static void expect_encapsulated(const u8 *dmac)
{
	struct capture *ul = port_cap(UPLINK);
	const u8 *f = ul->frame, *ip = f + 14, *udp = ip + 20;
	unsigned int count = ul->count;
	u8 inner[INNER_LEN];

	assert_int_equal(send_inner(VF0), 0);
	assert_int_equal(ul->count, count + 1);
	assert_int_equal(ul->len, VXLAN_LEN);
	assert_memory_equal(f, dmac, ETH_ALEN);
	assert_memory_equal(f + 6, UPLINK->rep->dev_addr, ETH_ALEN);
	assert_int_equal(get16(f + 12), ETH_P_IP);
	assert_int_equal(ip[0], 0x45);
	assert_int_equal(get16(ip + 2), VXLAN_LEN - 14);
	assert_int_equal(ip[9], IPPROTO_UDP);
	assert_memory_equal(ip + 12, ((u8[]){ 7, 7, 7, 7, 7, 7, 7, 8 }), 8);
	assert_int_equal(ip_fast_csum(ip, 5), 0);
	assert_int_equal(get16(udp + 2), 4789);
	assert_int_equal(get16(udp + 4), VXLAN_LEN - 34);
	assert_memory_equal(udp + 8, ((u8[]){ 0x08, 0, 0, 0, 0, 0, 98, 0 }), 8);
	inner_frame(inner, 40000);
	assert_memory_equal(udp + 16, inner, INNER_LEN);
}

/*
 * ip addr add 7.7.7.7/24 dev <uplink>; no neighbour for 7.7.7.8;
 * tc filter add dev <VF 0> ingress protocol ip flower action tunnel_key set
 * dst_ip 7.7.7.8 id 98 dst_port 4789 action mirred egress redirect dev vxlan0
 */
static void test_encap(void **state)
{
	struct fl f = { .prio = 1, .ip = true, .tunnel_set = true, .redirect = vxlan0 };
	const struct mlx5_pkt_reformat *pr;
	__be32 a = inet_addr("7.7.7.8");

	uplink_addr(RTM_NEWADDR);
	assert_null(neigh_lookup(&arp_tbl, &a, UPLINK->rep));

	fl_add_ok(VF0->rep, &f);
	expect_in_hw(VF0->rep, 0, 1);
	/* the slow path: the filter's match, to software; no reformat yet */
	assert_int_equal(fte_lines_with("fwd software", "ethertype=", NULL), 1);
	assert_int_equal(fte_lines_with("encap vxlan", NULL), 0);
	assert_null(encap_reformat());
	assert_int_equal(reformats(), 0);
	assert_int_equal(send_inner(VF0), 1);

	/* the neighbour resolves: the work re-offloads with the header */
	neigh_set(peer_mac, NUD_REACHABLE);
	pr = encap_reformat();
	assert_non_null(pr);
	assert_int_equal(pr->type, MLX5_REFORMAT_TYPE_L2_TO_VXLAN);
	assert_memory_equal(pr->data, peer_mac, ETH_ALEN);
	assert_memory_equal(pr->data + ETH_ALEN, UPLINK->rep->dev_addr, ETH_ALEN);
	assert_int_equal(reformats(), 1);
	assert_int_equal(fte_lines_with("fwd uplink (encap vxlan vni 98 src 7.7.7.7 dst 7.7.7.8 dport 4789)",
					NULL), 1);
	assert_int_equal(fte_lines_with("fwd software", "ethertype=", NULL), 0);
	expect_encapsulated(peer_mac);

	/* the neighbour moves: a new header, the same flows */
	neigh_set(peer_mac2, NUD_REACHABLE);
	pr = encap_reformat();
	assert_non_null(pr);
	assert_memory_equal(pr->data, peer_mac2, ETH_ALEN);
	assert_int_equal(reformats(), 1);
	expect_encapsulated(peer_mac2);

	/* a second filter with the same tunnel shares the entry and its reformat */
	f.prio = 2;
	fl_add_ok(VF0->rep, &f);
	expect_in_hw(VF0->rep, 0, 2);
	assert_non_null(encap_reformat());
	assert_int_equal(reformats(), 1);
	assert_int_equal(fte_lines_with("encap vxlan vni 98", NULL), 2);

	/* the neighbour fails: both flows back to the slow path, the reformat freed */
	neigh_set(NULL, NUD_FAILED);
	assert_null(encap_reformat());
	assert_int_equal(reformats(), 0);
	assert_int_equal(fte_lines_with("encap vxlan", NULL), 0);
	assert_int_equal(fte_lines_with("fwd software", "ethertype=", NULL), 2);
	assert_int_equal(send_inner(VF0), 1);

	/* and resolves again */
	neigh_set(peer_mac, NUD_REACHABLE);
	assert_int_equal(reformats(), 1);
	assert_int_equal(fte_lines_with("encap vxlan vni 98", NULL), 2);
	expect_encapsulated(peer_mac);

	fl_del(VF0->rep, 0, 2);
	assert_int_equal(reformats(), 1);
	fl_del(VF0->rep, 0, 1);
	assert_int_equal(reformats(), 0);
}

/*
 * Chain 0 on vxlan0: the decap filter with "action goto chain 1"; nothing
 * of chain 1 in hardware.  A VXLAN packet misses in chain 1 and software
 * gets it on vxlan0 at chain 1 with the tunnel metadata: chain 1's
 * software filter, which matches the enc_* keys, redirects it to cap0;
 * chain 0's software-only "drop everything" would have dropped it had tc
 * started at chain 0.
 */
static void test_miss_restore(void **state)
{
	struct fl f = decap_fl;
	const struct ip_tunnel_info *info = &cap0_cap.info;
	struct net_device *ul = UPLINK->rep;
	u64 vx_rx = DEV_STAT(vxlan0, rx_packets), ul_rx = DEV_STAT(ul, rx_packets);
	struct sk_buff *skb;
	u8 inner[INNER_LEN];

	f.goto_chain = 1;
	fl_add_ok(vxlan0, &f);
	expect_in_hw(vxlan0, 0, 1);
	f = (struct fl){ .prio = 2, .flags = TCA_CLS_FLAGS_SKIP_HW, .drop = true };
	fl_add_ok(vxlan0, &f);
	f = decap_fl;
	f.chain = 1;
	f.flags = TCA_CLS_FLAGS_SKIP_HW;
	f.redirect = cap0;
	fl_add_ok(vxlan0, &f);
	/* the decap FTE writes the tunnel id, chain 1's catch-all restores the chain */
	assert_int_equal(fte_lines_with("vni=98", "decap", "reg_c_1", "fwd table", NULL), 1);

	cap0_cap.count = 0;
	skb = vxlan_skb(98);
	rcu_read_lock();
	mlx5e_rep_rx_burst(UPLINK->port, &skb, 1);
	rcu_read_unlock();
	assert_int_equal(cap0_cap.count, 1);
	assert_int_equal(DEV_STAT(vxlan0, rx_packets), vx_rx + 1);
	assert_int_equal(DEV_STAT(ul, rx_packets), ul_rx);
	/* decapsulated by the hardware, byte for byte */
	inner_frame(inner, 40000);
	assert_int_equal(cap0_cap.len, INNER_LEN);
	assert_memory_equal(cap0_cap.frame, inner, INNER_LEN);
	/* the metadata from the decap filter's match */
	assert_true(cap0_cap.has_info);
	assert_true(info->key.tun_id == key32_to_tunnel_id(htonl(98)));
	assert_int_equal(info->key.tun_flags & TUNNEL_KEY, TUNNEL_KEY);
	assert_int_equal(info->key.u.ipv4.src, inet_addr("7.7.7.8"));
	assert_int_equal(info->key.u.ipv4.dst, inet_addr("7.7.7.7"));
	assert_int_equal(info->key.tp_dst, htons(4789));
	assert_int_equal(info->mode & IP_TUNNEL_INFO_IPV6, 0);

	fl_del(vxlan0, 1, 1);
	fl_del(vxlan0, 0, 2);
	fl_del(vxlan0, 0, 1);
}

/*
 * tc filter add dev vxlan0 ingress prio 1 protocol ip flower enc_* ...
 * action ct zone 5 pipe action goto chain 2: the pre_ct FTE decaps and
 * writes TUNNEL_TO_REG (reg_c_1 bits 8-31) with the filter's tunnel id;
 * chain 2's filter on vxlan0 matches its enc_* keys as that register.  A
 * packet of no offloaded connection misses in ct and is received on
 * vxlan0 (at chain 0, as the tunnel metadata says), not on the uplink.
 */
static void test_ct_decap(void **state)
{
	struct net_device *ul = UPLINK->rep;
	u64 vx_rx = DEV_STAT(vxlan0, rx_packets), ul_rx = DEV_STAT(ul, rx_packets);
	struct fl f = decap_fl;
	struct sk_buff *skb;
	char set[64];
	u32 id;

	f.ct_zone = 5;
	f.goto_chain = 2;
	fl_add_ok(vxlan0, &f);
	expect_in_hw(vxlan0, 0, 1);
	assert_int_equal(mapping_count(esw->tun.tunnel_mapping), 1);
	/* the mapping ids start at 1: this filter's is the only one */
	id = 1;
	snprintf(set, sizeof(set), "set reg_c_1[8:24]=0x%x", id);
	assert_int_equal(fte_lines_with("src_ip=7.7.7.8", "udp_dport=4789", "vni=98", "decap",
					set, "fwd table \"ct\"", NULL), 1);
	/* and the zone, as any pre_ct */
	assert_int_equal(fte_lines_with("vni=98", "decap", set, "set reg_c_2[0:16]=0x5", NULL), 1);

	/* chain 2: +trk+est from the same tunnel, to VF 0; the tunnel as reg_c_1 */
	f = decap_fl;
	f.chain = 2;
	f.ct_state = TCA_FLOWER_KEY_CT_FLAGS_TRACKED | TCA_FLOWER_KEY_CT_FLAGS_ESTABLISHED;
	f.redirect = VF0->rep;
	fl_add_ok(vxlan0, &f);
	expect_in_hw(vxlan0, 2, 1);
	snprintf(set, sizeof(set), "reg_c_1=0x%08x/0xffffff00", id << 8);
	assert_int_equal(fte_lines_with(set, "fwd vport 1", NULL), 1);
	/* the same tunnel match: the same mapping id */
	assert_int_equal(mapping_count(esw->tun.tunnel_mapping), 1);
	assert_int_equal(fte_lines_with("vni=98", NULL), 1);

	/* a new connection: ct misses, software gets it on vxlan0 */
	skb = vxlan_skb(98);
	rcu_read_lock();
	mlx5e_rep_rx_burst(UPLINK->port, &skb, 1);
	rcu_read_unlock();
	assert_int_equal(DEV_STAT(vxlan0, rx_packets), vx_rx + 1);
	assert_int_equal(DEV_STAT(ul, rx_packets), ul_rx);

	fl_del(vxlan0, 2, 1);
	fl_del(vxlan0, 0, 1);
	rcu_barrier();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_decap, teardown),
		/* before test_encap: the uplink has no address yet */
		cmocka_unit_test_teardown(test_refusals, teardown),
		cmocka_unit_test_teardown(test_encap, teardown),
		cmocka_unit_test_teardown(test_miss_restore, teardown),
		cmocka_unit_test_teardown(test_ct_decap, teardown),
	};

	return cmocka_run_group_tests(tests, group_setup, testbed_group_teardown);
}
