// SPDX-License-Identifier: GPL-2.0
/*
 * VXLAN devices (drivers/net/vxlan): links made and deleted with
 * RTM_NEWLINK/RTM_DELLINK as `ip link` sends them; encapsulation of a
 * frame carrying act_tunnel_key's metadata, checked byte by byte on the
 * underlay device (outer IPv4 and IPv6, checksums, VNI, ports, the
 * source port's range and stability); decapsulation through the UDP
 * port's encap_rcv into the vxlan device's ingress, where a flower filter
 * on enc_* keys redirects the inner frame with its rx metadata to a
 * capture device; malformed and foreign datagrams dropped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <endian.h>
#include <arpa/inet.h>
#include "testbed_nl.h"
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/if_addr.h>
#include <linux/tc_act/tc_mirred.h>
#include <linux/slab.h>
#include <net/checksum.h>
#include <net/dst_metadata.h>
#include <net/neighbour.h>
#include <net/pkt_cls.h>
#include <net/rtnetlink.h>
#include <net/udp_tunnel.h>
#include <net/vxlan.h>

static struct skb_pool pool;
static struct net_device *ul0, *cap0;

static const u8 ul0_mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0xaa };
static const u8 peer_mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0xbb };

/* the last frame each capture device sent, and its tunnel metadata */
static struct capture ul0_cap, cap0_cap;

static enum netdev_tx capture_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct capture *c = dev == ul0 ? &ul0_cap : &cap0_cap;
	const struct ip_tunnel_info *info = skb_tunnel_info(skb);

	memcpy(c->frame, skb->data, skb->len);
	c->len = skb->len;
	c->count++;
	c->has_info = info;
	if (info)
		c->info = *info;
	kfree_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops capture_ops = {
	.ndo_start_xmit = capture_xmit,
};

/* ---- netlink requests (testbed_nl.h) ---- */

/* `ip link add NAME type vxlan ...`: the caller fills IFLA_INFO_DATA */
static struct nlattr *link_add_begin(struct req *r, const char *name, const char *kind,
				     struct nlattr **linkinfo)
{
	struct ifinfomsg *ifm = req_init(r, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof(*ifm));

	ifm->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(r->nlh, IFLA_IFNAME, name);
	*linkinfo = mnl_attr_nest_start(r->nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(r->nlh, IFLA_INFO_KIND, kind);
	return mnl_attr_nest_start(r->nlh, IFLA_INFO_DATA);
}

static int link_add_end(struct req *r, struct nlattr *linkinfo, struct nlattr *data)
{
	mnl_attr_nest_end(r->nlh, data);
	mnl_attr_nest_end(r->nlh, linkinfo);
	return req_send(r);
}

static int vxlan_add_external(const char *name, u16 port)
{
	struct nlattr *li, *data;
	struct req r;

	data = link_add_begin(&r, name, "vxlan", &li);
	mnl_attr_put_u8(r.nlh, IFLA_VXLAN_COLLECT_METADATA, 1);
	mnl_attr_put_u8(r.nlh, IFLA_VXLAN_LEARNING, 0);
	mnl_attr_put_u16(r.nlh, IFLA_VXLAN_PORT, htons(port));
	return link_add_end(&r, li, data);
}

static int vxlan_add_fixed(const char *name, u32 vni, const char *remote, u16 port)
{
	struct nlattr *li, *data;
	struct req r;
	u32 a;

	data = link_add_begin(&r, name, "vxlan", &li);
	mnl_attr_put_u32(r.nlh, IFLA_VXLAN_ID, vni);
	if (remote) {
		assert_int_equal(inet_pton(AF_INET, remote, &a), 1);
		mnl_attr_put(r.nlh, IFLA_VXLAN_GROUP, 4, &a);
	}
	mnl_attr_put_u16(r.nlh, IFLA_VXLAN_PORT, htons(port));
	return link_add_end(&r, li, data);
}

static int link_set_up(const char *name, bool up)
{
	struct net_device *dev = dev_get_by_name(name);
	struct ifinfomsg *ifm;
	struct req r;

	assert_non_null(dev);
	ifm = req_init(&r, RTM_NEWLINK, 0, sizeof(*ifm));
	ifm->ifi_index = dev->ifindex;
	ifm->ifi_change = IFF_UP;
	ifm->ifi_flags = up ? IFF_UP : 0;
	return req_send(&r);
}

static int link_del(const char *name)
{
	struct ifinfomsg *ifm;
	struct req r;

	ifm = req_init(&r, RTM_DELLINK, 0, sizeof(*ifm));
	mnl_attr_put_strz(r.nlh, IFLA_IFNAME, name);
	return req_send(&r);
}

/* `ip addr add ADDR/PLEN dev ul0` */
static void addr_add(int family, const char *addr, u8 plen)
{
	struct ifaddrmsg *ifa;
	struct req r;
	u8 a[16];

	ifa = req_init(&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, sizeof(*ifa));
	ifa->ifa_family = family;
	ifa->ifa_prefixlen = plen;
	ifa->ifa_index = ul0->ifindex;
	assert_int_equal(inet_pton(family, addr, a), 1);
	mnl_attr_put(r.nlh, IFA_LOCAL, family == AF_INET ? 4 : 16, a);
	mnl_attr_put(r.nlh, IFA_ADDRESS, family == AF_INET ? 4 : 16, a);
	assert_int_equal(req_send(&r), 0);
}

/* a permanent neighbour, as `ip neigh add ... lladdr ... nud permanent` */
static void neigh_add(struct neigh_table *tbl, int family, const char *addr)
{
	struct neighbour *n;
	u8 a[16];

	assert_int_equal(inet_pton(family, addr, a), 1);
	n = neigh_lookup_create(tbl, a, ul0);
	assert_non_null(n);
	neigh_update(n, peer_mac, NUD_PERMANENT, NEIGH_UPDATE_F_OVERRIDE | NEIGH_UPDATE_F_ADMIN);
	neigh_release(n);
}

/*
 * tc qdisc add dev DEV ingress; tc filter add dev DEV ingress flower
 * enc_key_id VNI enc_dst_ip DST enc_dst_port 4789 action mirred egress
 * redirect dev cap0
 */
static void enc_filter_add(struct net_device *dev, u32 vni, const char *dst)
{
	struct tc_mirred m = { .action = TC_ACT_STOLEN, .eaction = TCA_EGRESS_REDIR,
			       .ifindex = cap0->ifindex };
	struct nlattr *opts, *acts;
	struct act_nest n;
	struct tcmsg *t;
	struct req r;
	int order = 0;
	u32 a;

	ingress_add(dev);
	t = tc_req(&r, RTM_NEWTFILTER, NLM_F_CREATE | NLM_F_EXCL, dev, TC_INGRESS_PARENT);
	t->tcm_info = TC_H_MAKE(1 << 16, htons(ETH_P_ALL));
	t->tcm_handle = 1;
	mnl_attr_put_strz(r.nlh, TCA_KIND, "flower");
	opts = mnl_attr_nest_start(r.nlh, TCA_OPTIONS);
	mnl_attr_put_u32(r.nlh, TCA_FLOWER_KEY_ENC_KEY_ID, htonl(vni));
	assert_int_equal(inet_pton(AF_INET, dst, &a), 1);
	mnl_attr_put_u32(r.nlh, TCA_FLOWER_KEY_ENC_IPV4_DST, a);
	mnl_attr_put_u32(r.nlh, TCA_FLOWER_KEY_ENC_IPV4_DST_MASK, 0xffffffff);
	mnl_attr_put_u16(r.nlh, TCA_FLOWER_KEY_ENC_UDP_DST_PORT, htons(4789));
	mnl_attr_put_u16(r.nlh, TCA_FLOWER_KEY_ENC_UDP_DST_PORT_MASK, 0xffff);
	acts = mnl_attr_nest_start(r.nlh, TCA_FLOWER_ACT);
	n = act_begin(&r, &order, "mirred");
	mnl_attr_put(r.nlh, TCA_MIRRED_PARMS, sizeof(m), &m);
	act_end(&r, n);
	mnl_attr_nest_end(r.nlh, acts);
	mnl_attr_nest_end(r.nlh, opts);
	assert_int_equal(req_send(&r), 0);
}

/* ---- packets ---- */

/* the inner frame on vxlan's egress, with tunnel_key's tx metadata (or none) */
static struct sk_buff *tx_skb(struct net_device *dev, int family, u16 sport, u8 tun_flags)
{
	struct sk_buff *skb = alloc_skb(&pool);
	struct metadata_dst *md;

	assert_non_null(skb);
	inner_frame(skb->data, sport);
	skb_put(skb, INNER_LEN);
	skb_reset_mac_header(skb);
	skb->dev = dev;
	if (family == AF_UNSPEC)
		return skb;
	md = metadata_dst_alloc();
	assert_non_null(md);
	md->tun_info.mode = IP_TUNNEL_INFO_TX;
	md->tun_info.key.tun_id = key32_to_tunnel_id(htonl(98));
	md->tun_info.key.tun_flags = TUNNEL_KEY | tun_flags;
	md->tun_info.key.tp_dst = htons(4789);
	if (family == AF_INET) {
		/* tunnel_key set src_ip 0.0.0.0: the route picks the source */
		md->tun_info.key.u.ipv4.dst = inet_addr("7.7.7.8");
	} else {
		md->tun_info.mode |= IP_TUNNEL_INFO_IPV6;
		inet_pton(AF_INET6, "2001:db8::2", &md->tun_info.key.u.ipv6.dst);
	}
	skb_dst_set(skb, md);
	return skb;
}

static void xmit(struct sk_buff *skb)
{
	rcu_read_lock();
	dev_queue_xmit(skb);
	rcu_read_unlock();
}

static u16 get16(const u8 *p)
{
	return p[0] << 8 | p[1];
}

/* the UDP + VXLAN + inner part, the same for both families; returns the source port */
static u16 check_udp_vxlan(const u8 *udp, u16 inner_sport)
{
	u8 inner[INNER_LEN];
	u16 sport = get16(udp);

	assert_true(sport >= 32768 && sport < 60999);
	assert_int_equal(get16(udp + 2), 4789);
	assert_int_equal(get16(udp + 4), 8 + 8 + INNER_LEN);
	/* VXLAN: the I flag, VNI 98, reserved bits zero */
	assert_memory_equal(udp + 8, ((u8[]){ 0x08, 0, 0, 0, 0, 0, 98, 0 }), 8);
	inner_frame(inner, inner_sport);
	assert_memory_equal(udp + 16, inner, INNER_LEN);
	return sport;
}

/* ---- tests ---- */

static void test_link_add_del(void **state)
{
	struct nlattr *li, *data;
	struct net_device *dev;
	struct req r;

	(void)state;
	assert_int_equal(vxlan_add_external("vxlan0", 4789), 0);
	dev = dev_get_by_name("vxlan0");
	assert_non_null(dev);
	assert_true(netif_is_vxlan(dev));
	assert_int_equal(dev->mtu, 1500);
	assert_false(dev->flags & IFF_UP);
	assert_int_equal(vxlan_dev_dst_port(dev), htons(4789));
	/* NLM_F_EXCL on an existing name */
	assert_int_equal(vxlan_add_external("vxlan0", 4789), -EEXIST);
	/* a second collect-metadata device on the port: the VNI (0) is taken */
	assert_int_equal(vxlan_add_external("vxlan9", 4789), -EEXIST);
	/* an unknown kind */
	data = link_add_begin(&r, "bogus", "foo", &li);
	assert_int_equal(link_add_end(&r, li, data), -EOPNOTSUPP);
	assert_string_equal(r.extack._msg, "Unknown device type");
	/* a VNI out of range */
	data = link_add_begin(&r, "vx9", "vxlan", &li);
	mnl_attr_put_u32(r.nlh, IFLA_VXLAN_ID, 1 << 24);
	assert_int_equal(link_add_end(&r, li, data), -ERANGE);

	/* fixed: VNI 98 to 7.7.7.8; the same VNI and port again is refused */
	assert_int_equal(vxlan_add_fixed("vx1", 98, "7.7.7.8", 4789), 0);
	assert_int_equal(vxlan_add_fixed("vx2", 98, "7.7.7.9", 4789), -EEXIST);
	/* dstport not given: the kernel's 8472 */
	data = link_add_begin(&r, "vx3", "vxlan", &li);
	mnl_attr_put_u32(r.nlh, IFLA_VXLAN_ID, 7);
	assert_int_equal(link_add_end(&r, li, data), 0);
	assert_int_equal(vxlan_dev_dst_port(dev_get_by_name("vx3")), htons(8472));

	/* up: vxlan0 owns 4789; vx1 cannot share it (other receive flags) */
	assert_int_equal(link_set_up("vxlan0", true), 0);
	assert_true(vxlan_port_in_use(htons(4789)));
	assert_non_null(udp_tunnel_sock_lookup(AF_INET, htons(4789)));
	assert_non_null(udp_tunnel_sock_lookup(AF_INET6, htons(4789)));
	assert_int_equal(link_set_up("vx1", true), -EADDRINUSE);

	/* representors (no kind) cannot be deleted; vxlan links can */
	assert_int_equal(link_del("ul0"), -EOPNOTSUPP);
	assert_int_equal(link_del("vx1"), 0);
	assert_null(dev_get_by_name("vx1"));
	assert_int_equal(link_del("vx3"), 0);
	assert_int_equal(link_del("vx3"), -ENODEV);
}

static void test_encap_ipv4(void **state)
{
	struct net_device *dev = dev_get_by_name("vxlan0");
	u16 sport, sport2, sport3;
	const u8 *f = ul0_cap.frame, *ip = f + 14;
	u16 csum_sum;

	(void)state;
	ul0_cap.count = 0;
	xmit(tx_skb(dev, AF_INET, 40000, TUNNEL_CSUM));
	assert_int_equal(ul0_cap.count, 1);
	assert_int_equal(ul0_cap.len, 14 + 20 + 8 + 8 + INNER_LEN);
	/* Ethernet to the next hop, from the underlay */
	assert_memory_equal(f, peer_mac, ETH_ALEN);
	assert_memory_equal(f + 6, ul0_mac, ETH_ALEN);
	assert_int_equal(get16(f + 12), ETH_P_IP);
	/* IPv4: tos 0, no DF, ttl 64 (0 in the metadata), UDP, route's source */
	assert_int_equal(ip[0], 0x45);
	assert_int_equal(ip[1], 0);
	assert_int_equal(get16(ip + 2), 20 + 8 + 8 + INNER_LEN);
	assert_int_equal(get16(ip + 6), 0);
	assert_int_equal(ip[8], 64);
	assert_int_equal(ip[9], IPPROTO_UDP);
	assert_memory_equal(ip + 12, ((u8[]){ 7, 7, 7, 7, 7, 7, 7, 8 }), 8);
	assert_int_equal(ip_fast_csum(ip, 5), 0);
	/* UDP checksum: valid over the pseudo-header */
	assert_int_not_equal(get16(ip + 20 + 6), 0);
	csum_sum = csum_tcpudp_magic(inet_addr("7.7.7.7"), inet_addr("7.7.7.8"),
				     8 + 8 + INNER_LEN, IPPROTO_UDP,
				     csum_partial(ip + 20, 8 + 8 + INNER_LEN, 0));
	assert_int_equal(csum_sum, 0);
	sport = check_udp_vxlan(ip + 20, 40000);

	/* the same flow keeps its source port; another flow gets its own */
	xmit(tx_skb(dev, AF_INET, 40000, TUNNEL_CSUM));
	sport2 = check_udp_vxlan(ul0_cap.frame + 34, 40000);
	assert_int_equal(sport, sport2);
	xmit(tx_skb(dev, AF_INET, 40001, TUNNEL_CSUM));
	sport3 = check_udp_vxlan(ul0_cap.frame + 34, 40001);
	assert_int_not_equal(sport, sport3);

	/* nocsum: zero UDP checksum */
	xmit(tx_skb(dev, AF_INET, 40000, 0));
	assert_int_equal(get16(ul0_cap.frame + 34 + 6), 0);
	assert_int_equal(ul0_cap.count, 4);
}

static void test_encap_ipv6(void **state)
{
	struct net_device *dev = dev_get_by_name("vxlan0");
	const u8 *f = ul0_cap.frame, *ip6 = f + 14;
	struct in6_addr s, d;

	(void)state;
	ul0_cap.count = 0;
	xmit(tx_skb(dev, AF_INET6, 40000, TUNNEL_CSUM));
	assert_int_equal(ul0_cap.count, 1);
	assert_int_equal(ul0_cap.len, 14 + 40 + 8 + 8 + INNER_LEN);
	assert_memory_equal(f, peer_mac, ETH_ALEN);
	assert_int_equal(get16(f + 12), ETH_P_IPV6);
	assert_int_equal(ip6[0] >> 4, 6);
	assert_int_equal(get16(ip6 + 4), 8 + 8 + INNER_LEN);
	assert_int_equal(ip6[6], IPPROTO_UDP);
	assert_int_equal(ip6[7], 64);
	inet_pton(AF_INET6, "2001:db8::1", &s);
	inet_pton(AF_INET6, "2001:db8::2", &d);
	assert_memory_equal(ip6 + 8, &s, 16);
	assert_memory_equal(ip6 + 24, &d, 16);
	assert_int_equal(csum_ipv6_magic(&s, &d, 8 + 8 + INNER_LEN, IPPROTO_UDP,
					 csum_partial(ip6 + 40, 8 + 8 + INNER_LEN, 0)), 0);
	check_udp_vxlan(ip6 + 40, 40000);
}

static void test_encap_drops(void **state)
{
	struct net_device *dev = dev_get_by_name("vxlan0");
	u64 errors = DEV_STAT(dev, tx_errors);
	struct sk_buff *skb;

	(void)state;
	ul0_cap.count = 0;
	/* no metadata on a collect-metadata device: freed, as Linux does, uncounted */
	xmit(tx_skb(dev, AF_UNSPEC, 40000, 0));
	assert_int_equal(ul0_cap.count, 0);
	assert_int_equal(DEV_STAT(dev, tx_errors), errors);
	/* no route to the outer destination */
	skb = tx_skb(dev, AF_INET, 40000, TUNNEL_CSUM);
	skb->tun_dst->tun_info.key.u.ipv4.dst = inet_addr("192.0.2.1");
	xmit(skb);
	assert_int_equal(ul0_cap.count, 0);
	assert_int_equal(DEV_STAT(dev, tx_errors), errors + 1);
	/* too big for a buffer once encapsulated */
	skb = tx_skb(dev, AF_INET, 40000, TUNNEL_CSUM);
	skb->len = SKB_DATA_MAX - 20;
	xmit(skb);
	assert_int_equal(ul0_cap.count, 0);
}

/* an outer IPv4/UDP/VXLAN datagram to 7.7.7.7:port, handed to the port's encap_rcv */
static void rx(u16 port, u32 vx_flags, u32 vni_field, unsigned int inner_len, bool csum)
{
	const struct udp_tunnel_sock_cfg *cfg;
	struct sk_buff *skb = alloc_skb(&pool);
	u8 *p = skb->data;
	u32 a;
	u16 v;

	assert_non_null(skb);
	memset(p, 0, 14 + 20 + 16);
	p[14] = 0x45;
	p[15] = 0x10;
	v = htons(20 + 16 + inner_len);
	memcpy(p + 16, &v, 2);
	p[22] = 33;
	p[23] = IPPROTO_UDP;
	a = inet_addr("7.7.7.8");
	memcpy(p + 26, &a, 4);
	a = inet_addr("7.7.7.7");
	memcpy(p + 30, &a, 4);
	v = htons(50000);
	memcpy(p + 34, &v, 2);
	v = htons(port);
	memcpy(p + 36, &v, 2);
	v = htons(16 + inner_len);
	memcpy(p + 38, &v, 2);
	if (csum)
		p[40] = 0x12;	/* not checked here: the UDP layer does */
	a = htonl(vx_flags);
	memcpy(p + 42, &a, 4);
	a = htonl(vni_field);
	memcpy(p + 46, &a, 4);
	if (inner_len)
		inner_frame(p + 50, 40000);
	skb_put(skb, 14 + 20 + 16 + inner_len);
	skb->dev = ul0;
	skb->network_header = skb_headroom(skb) + 14;
	skb->transport_header = skb_headroom(skb) + 34;
	skb_pull(skb, 34);
	rcu_read_lock();
	cfg = udp_tunnel_sock_lookup(AF_INET, htons(port));
	assert_non_null(cfg);
	cfg->encap_rcv(cfg->sk_user_data, skb);
	rcu_read_unlock();
}

static void test_decap(void **state)
{
	struct net_device *dev = dev_get_by_name("vxlan0");
	const struct ip_tunnel_info *info = &cap0_cap.info;
	u8 inner[INNER_LEN];
	u64 rx_packets = DEV_STAT(dev, rx_packets);

	(void)state;
	enc_filter_add(dev, 98, "7.7.7.7");
	cap0_cap.count = 0;
	rx(4789, VXLAN_HF_VNI, 98 << 8, INNER_LEN, true);
	assert_int_equal(cap0_cap.count, 1);
	assert_int_equal(DEV_STAT(dev, rx_packets), rx_packets + 1);
	inner_frame(inner, 40000);
	assert_int_equal(cap0_cap.len, INNER_LEN);
	assert_memory_equal(cap0_cap.frame, inner, INNER_LEN);
	/* rx metadata from the outer header */
	assert_true(cap0_cap.has_info);
	assert_int_equal(info->mode, 0);
	assert_true(info->key.tun_id == key32_to_tunnel_id(htonl(98)));
	assert_int_equal(info->key.u.ipv4.src, inet_addr("7.7.7.8"));
	assert_int_equal(info->key.u.ipv4.dst, inet_addr("7.7.7.7"));
	assert_int_equal(info->key.tos, 0x10);
	assert_int_equal(info->key.ttl, 33);
	assert_int_equal(info->key.tp_src, htons(50000));
	assert_int_equal(info->key.tp_dst, htons(4789));
	assert_int_equal(info->key.tun_flags, TUNNEL_KEY | TUNNEL_CSUM);
	/* without a UDP checksum: no TUNNEL_CSUM */
	rx(4789, VXLAN_HF_VNI, 98 << 8, INNER_LEN, false);
	assert_int_equal(cap0_cap.count, 2);
	assert_int_equal(info->key.tun_flags, TUNNEL_KEY);
	/* another VNI reaches the device but not the enc_key_id 98 filter */
	rx(4789, VXLAN_HF_VNI, 99 << 8, INNER_LEN, true);
	assert_int_equal(cap0_cap.count, 2);
	assert_int_equal(DEV_STAT(dev, rx_packets), rx_packets + 3);
}

static void test_decap_drops(void **state)
{
	struct net_device *dev = dev_get_by_name("vxlan0"), *vx5;
	u64 rx_packets = DEV_STAT(dev, rx_packets);

	(void)state;
	cap0_cap.count = 0;
	/* no I flag; another flag; reserved VNI bits; short VXLAN header; no inner Ethernet */
	rx(4789, 0, 98 << 8, INNER_LEN, true);
	rx(4789, VXLAN_HF_VNI | 0x1, 98 << 8, INNER_LEN, true);
	rx(4789, VXLAN_HF_VNI, 98 << 8 | 1, INNER_LEN, true);
	rx(4789, VXLAN_HF_VNI, 98 << 8, 0, true);
	rx(4789, VXLAN_HF_VNI, 98 << 8, 10, true);
	assert_int_equal(cap0_cap.count, 0);
	assert_int_equal(DEV_STAT(dev, rx_packets), rx_packets);

	/* a fixed device takes only its VNI, and attaches no metadata */
	assert_int_equal(vxlan_add_fixed("vx5", 50, "7.7.7.8", 4790), 0);
	assert_int_equal(link_set_up("vx5", true), 0);
	vx5 = dev_get_by_name("vx5");
	rx(4790, VXLAN_HF_VNI, 51 << 8, INNER_LEN, true);
	assert_int_equal(DEV_STAT(vx5, rx_packets), 0);
	rx(4790, VXLAN_HF_VNI, 50 << 8, INNER_LEN, true);
	assert_int_equal(DEV_STAT(vx5, rx_packets), 1);
	/* fixed transmit: the configured peer and VNI, no metadata needed */
	ul0_cap.count = 0;
	xmit(tx_skb(vx5, AF_UNSPEC, 40000, 0));
	assert_int_equal(ul0_cap.count, 1);
	assert_int_equal(get16(ul0_cap.frame + 34 + 2), 4790);
	assert_memory_equal(ul0_cap.frame + 42, ((u8[]){ 0x08, 0, 0, 0, 0, 0, 50, 0 }), 8);
	/* deleted while up: its port goes with it */
	assert_int_equal(link_del("vx5"), 0);
	assert_null(udp_tunnel_sock_lookup(AF_INET, htons(4790)));
}

/* a deleted redirect target: mirred keeps its place and drops */
static void test_delete_with_qdisc(void **state)
{
	(void)state;
	assert_int_equal(link_del("vxlan0"), 0);
	assert_null(dev_get_by_name("vxlan0"));
	assert_null(udp_tunnel_sock_lookup(AF_INET, htons(4789)));
	assert_false(vxlan_port_in_use(htons(4789)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_link_add_del),
		cmocka_unit_test(test_encap_ipv4),
		cmocka_unit_test(test_encap_ipv6),
		cmocka_unit_test(test_encap_drops),
		cmocka_unit_test(test_decap),
		cmocka_unit_test(test_decap_drops),
		cmocka_unit_test(test_delete_with_qdisc),
	};
	int ret;

	rcu_register_thread();
	if (skb_pool_init(&pool, 16))
		return 1;
	skb_local_pool = &pool;
	rtnl_lock();
	ul0 = alloc_netdev(0, "ul0", &capture_ops);
	cap0 = alloc_netdev(0, "cap0", &capture_ops);
	assert_non_null(ul0);
	assert_non_null(cap0);
	memcpy(ul0->dev_addr, ul0_mac, ETH_ALEN);
	assert_int_equal(register_netdev(ul0), 0);
	assert_int_equal(register_netdev(cap0), 0);
	ul0->flags |= IFF_UP | IFF_RUNNING;
	cap0->flags |= IFF_UP | IFF_RUNNING;
	rtnl_unlock();
	addr_add(AF_INET, "7.7.7.7", 24);
	addr_add(AF_INET6, "2001:db8::1", 64);
	neigh_add(&arp_tbl, AF_INET, "7.7.7.8");
	neigh_add(&nd_tbl, AF_INET6, "2001:db8::2");
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	assert_int_equal(pool.nfree, pool.size);	/* every packet freed */
	return ret;
}
