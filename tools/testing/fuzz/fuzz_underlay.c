// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the host stack behind the underlay: one Ethernet
 * frame from the uplink's wire, as the representor receives it after a
 * hardware miss (eth_type_trans, netif_receive_skb), into ARP, IPv4
 * (ICMP echo, UDP to a tunnel port), IPv6 (extension headers, ICMPv6
 * echo, neighbour discovery), the neighbour tables, and VXLAN decap into
 * a collect-metadata device on port 4789.
 *
 * The setup is built once: ul0 (02:00:00:00:00:aa, 7.7.7.7/24 and
 * 2001:db8::1/64), vxlan0 (external, dstport 4789, up) whose ingress
 * sends VNI 42 back out re-encapsulated (tunnel_key set + mirred to
 * vxlan0, so the inner frame goes through the transmit path and the
 * underlay's neighbours) and everything else to sink0.  Every device
 * frees what it transmits.
 *
 * The neighbour tables are put back into the same state before each
 * input, so an input replays alike: 7.7.7.8 and 2001:db8::2 INCOMPLETE
 * with a packet queued (an ARP reply or NA for them sends it), 7.7.7.9
 * and 2001:db8::3 STALE; everything a frame creates goes with the next
 * input.  The virtual clock does not move.
 *
 * Each input is received twice: as it is, and then with its IPv4 header
 * checksum and its UDP, ICMP or ICMPv6 checksum made right (what its
 * sender could have done), so that mutations behind a checksum (ND
 * options, ICMP, VXLAN over IPv6) reach the code behind it.
 *
 * Seeds: tools/testing/fuzz/corpus/underlay/ (make_underlay_seeds.py).
 */
#include <stdio.h>
#include <stdlib.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_link.h>
#include <linux/pkt_cls.h>
#include <linux/tc_act/tc_mirred.h>
#include <linux/tc_act/tc_tunnel_key.h>
#include <linux/etherdevice.h>
#include <linux/jiffies.h>
#include <linux/rcupdate.h>
#include <linux/skbuff.h>
#include <linux/netdev.h>
#include <linux/inetdevice.h>
#include <net/addrconf.h>
#include <net/checksum.h>
#include <net/ipv6.h>
#include <net/neighbour.h>
#include <net/rtnetlink.h>

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define FUZZ_NOW_MS	1000000

static struct skb_pool pool;
static struct net_device *ul0, *sink0, *vxlan0;
static bool verbose;	/* FUZZ_UNDERLAY_VERBOSE=1: what became of each input */

static enum netdev_tx sink_xmit(struct sk_buff *skb, struct net_device *dev)
{
	kfree_skb(skb);
	return NETDEV_TX_OK;
}

static const struct net_device_ops sink_ops = { .ndo_start_xmit = sink_xmit };

/* ---- netlink requests, as ip and tc send them ---- */

struct req {
	char buf[4096];
	struct nlmsghdr *nlh;
	struct netlink_ext_ack extack;
	struct nl_out out;
};

static void *req_init(struct req *r, u16 type, u16 flags, size_t hdrlen)
{
	memset(r, 0, sizeof(*r));
	r->nlh = mnl_nlmsg_put_header(r->buf);
	r->nlh->nlmsg_type = type;
	r->nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	return mnl_nlmsg_put_extra_header(r->nlh, hdrlen);
}

static void req_send(struct req *r, const char *what)
{
	int err;

	nl_out_init(&r->out, 0);
	rtnl_lock();
	err = rtnetlink_rcv_msg(r->nlh, &r->out, &r->extack);
	rtnl_unlock();
	nl_out_free(&r->out);
	if (err) {
		fprintf(stderr, "fuzz_underlay: %s: %d %s\n", what, err,
			r->extack._msg ? r->extack._msg : "");
		abort();
	}
}

static struct net_device *sink_dev(const char *name, u8 last)
{
	struct net_device *dev = alloc_netdev(0, name, &sink_ops);

	if (!dev)
		abort();
	dev->dev_addr[0] = 0x02;
	dev->dev_addr[5] = last;
	rtnl_lock();
	if (register_netdev(dev))
		abort();
	dev->flags |= IFF_UP | IFF_RUNNING;
	rtnl_unlock();
	return dev;
}

/* ip addr add ADDR/PLEN dev ul0 */
static void addr_add(int family, const char *addr, u8 plen)
{
	struct ifaddrmsg *ifa;
	struct req r;
	u8 a[16];

	ifa = req_init(&r, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, sizeof(*ifa));
	ifa->ifa_family = family;
	ifa->ifa_prefixlen = plen;
	ifa->ifa_index = ul0->ifindex;
	if (inet_pton(family, addr, a) != 1)
		abort();
	mnl_attr_put(r.nlh, IFA_LOCAL, family == AF_INET ? 4 : 16, a);
	mnl_attr_put(r.nlh, IFA_ADDRESS, family == AF_INET ? 4 : 16, a);
	req_send(&r, "addr add");
}

/* ip link add vxlan0 type vxlan external dstport 4789 nolearning; ip link set vxlan0 up */
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
	req_send(&r, "vxlan add");
	vxlan0 = dev_get_by_name("vxlan0");
	if (!vxlan0)
		abort();

	ifm = req_init(&r, RTM_NEWLINK, 0, sizeof(*ifm));
	ifm->ifi_index = vxlan0->ifindex;
	ifm->ifi_change = IFF_UP;
	ifm->ifi_flags = IFF_UP;
	req_send(&r, "vxlan up");
}

static struct tcmsg *tc_req(struct req *r, u16 type, u32 parent)
{
	struct tcmsg *t = req_init(r, type, NLM_F_CREATE | NLM_F_EXCL, sizeof(*t));

	t->tcm_family = AF_UNSPEC;
	t->tcm_ifindex = vxlan0->ifindex;
	t->tcm_parent = parent;
	return t;
}

static void mirred_put(struct req *r, int index, int eaction, struct net_device *to)
{
	struct tc_mirred m = { .action = TC_ACT_STOLEN, .eaction = eaction,
			       .ifindex = to->ifindex };
	struct nlattr *act, *opts;

	act = mnl_attr_nest_start(r->nlh, index);
	mnl_attr_put_strz(r->nlh, TCA_ACT_KIND, "mirred");
	opts = mnl_attr_nest_start(r->nlh, TCA_ACT_OPTIONS);
	mnl_attr_put(r->nlh, TCA_MIRRED_PARMS, sizeof(m), &m);
	mnl_attr_nest_end(r->nlh, opts);
	mnl_attr_nest_end(r->nlh, act);
}

/*
 * tc qdisc add dev vxlan0 ingress
 * tc filter add dev vxlan0 ingress prio 1 flower enc_key_id 42 enc_dst_port 4789 \
 *	action tunnel_key set id 43 src_ip 7.7.7.7 dst_ip 7.7.7.8 dst_port 4789 \
 *	action mirred egress redirect dev vxlan0
 * tc filter add dev vxlan0 ingress prio 2 flower action mirred egress redirect dev sink0
 */
static void vxlan_filters_add(void)
{
	struct tc_tunnel_key tk = { .action = TC_ACT_PIPE, .t_action = TCA_TUNNEL_KEY_ACT_SET };
	struct nlattr *opts, *acts, *act, *act_opts;
	struct tcmsg *t;
	struct req r;

	t = tc_req(&r, RTM_NEWQDISC, TC_H_INGRESS);
	t->tcm_handle = TC_H_MAKE(TC_H_INGRESS, 0);
	mnl_attr_put_strz(r.nlh, TCA_KIND, "ingress");
	mnl_attr_nest_end(r.nlh, mnl_attr_nest_start(r.nlh, TCA_OPTIONS));
	req_send(&r, "qdisc add");

	t = tc_req(&r, RTM_NEWTFILTER, TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS));
	t->tcm_info = TC_H_MAKE(1 << 16, htons(ETH_P_ALL));
	mnl_attr_put_strz(r.nlh, TCA_KIND, "flower");
	opts = mnl_attr_nest_start(r.nlh, TCA_OPTIONS);
	mnl_attr_put_u32(r.nlh, TCA_FLOWER_KEY_ENC_KEY_ID, htonl(42));
	mnl_attr_put_u16(r.nlh, TCA_FLOWER_KEY_ENC_UDP_DST_PORT, htons(4789));
	mnl_attr_put_u16(r.nlh, TCA_FLOWER_KEY_ENC_UDP_DST_PORT_MASK, 0xffff);
	acts = mnl_attr_nest_start(r.nlh, TCA_FLOWER_ACT);
	act = mnl_attr_nest_start(r.nlh, 1);
	mnl_attr_put_strz(r.nlh, TCA_ACT_KIND, "tunnel_key");
	act_opts = mnl_attr_nest_start(r.nlh, TCA_ACT_OPTIONS);
	mnl_attr_put(r.nlh, TCA_TUNNEL_KEY_PARMS, sizeof(tk), &tk);
	mnl_attr_put_u32(r.nlh, TCA_TUNNEL_KEY_ENC_KEY_ID, htonl(43));
	mnl_attr_put_u32(r.nlh, TCA_TUNNEL_KEY_ENC_IPV4_SRC, inet_addr("7.7.7.7"));
	mnl_attr_put_u32(r.nlh, TCA_TUNNEL_KEY_ENC_IPV4_DST, inet_addr("7.7.7.8"));
	mnl_attr_put_u16(r.nlh, TCA_TUNNEL_KEY_ENC_DST_PORT, htons(4789));
	mnl_attr_nest_end(r.nlh, act_opts);
	mnl_attr_nest_end(r.nlh, act);
	mirred_put(&r, 2, TCA_EGRESS_REDIR, vxlan0);
	mnl_attr_nest_end(r.nlh, acts);
	mnl_attr_nest_end(r.nlh, opts);
	req_send(&r, "filter add (vni 42)");

	t = tc_req(&r, RTM_NEWTFILTER, TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS));
	t->tcm_info = TC_H_MAKE(2 << 16, htons(ETH_P_ALL));
	mnl_attr_put_strz(r.nlh, TCA_KIND, "flower");
	opts = mnl_attr_nest_start(r.nlh, TCA_OPTIONS);
	acts = mnl_attr_nest_start(r.nlh, TCA_FLOWER_ACT);
	mirred_put(&r, 1, TCA_EGRESS_REDIR, sink0);
	mnl_attr_nest_end(r.nlh, acts);
	mnl_attr_nest_end(r.nlh, opts);
	req_send(&r, "filter add (catch-all)");
}

/* ---- the neighbour state every input starts from ---- */

static void neigh_set(struct neigh_table *tbl, const void *addr, const u8 *lladdr, u8 state)
{
	struct neighbour *n = neigh_lookup_create(tbl, addr, ul0);

	if (!n)
		abort();
	neigh_update(n, lladdr, state, NEIGH_UPDATE_F_OVERRIDE | NEIGH_UPDATE_F_ADMIN);
	neigh_release(n);
}

/* an unresolved entry with one packet waiting: the output solicits and queues it */
static void neigh_pending(struct neigh_table *tbl, const void *addr, __be16 proto)
{
	struct neighbour *n = neigh_lookup_create(tbl, addr, ul0);
	struct sk_buff *skb = alloc_skb(&pool);

	if (!n || !skb)
		abort();
	memset(skb->data, 0x45, 64);
	skb->len = 64;
	skb->protocol = proto;
	skb->network_header = skb->data - skb->head;
	rcu_read_lock();
	neigh_output(n, skb);
	rcu_read_unlock();
	neigh_release(n);
}

static void neigh_reset(void)
{
	static const u8 stale_mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0xcc };
	struct in6_addr a6;
	__be32 a4;

	neigh_ifdown(&arp_tbl, NULL);
	neigh_ifdown(&nd_tbl, NULL);
	a4 = inet_addr("7.7.7.8");
	neigh_pending(&arp_tbl, &a4, htons(ETH_P_IP));
	inet_pton(AF_INET6, "2001:db8::2", &a6);
	neigh_pending(&nd_tbl, &a6, htons(ETH_P_IPV6));
	a4 = inet_addr("7.7.7.9");
	neigh_set(&arp_tbl, &a4, stale_mac, NUD_STALE);
	inet_pton(AF_INET6, "2001:db8::3", &a6);
	neigh_set(&nd_tbl, &a6, stale_mac, NUD_STALE);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static const u8 ul0_mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0xaa };

	verbose = getenv("FUZZ_UNDERLAY_VERBOSE");
	rcu_register_thread();
	jiffies_set_virtual(FUZZ_NOW_MS);
	if (skb_pool_init(&pool, 64))
		abort();
	skb_local_pool = &pool;
	ul0 = sink_dev("ul0", 0xaa);
	memcpy(ul0->dev_addr, ul0_mac, ETH_ALEN);
	sink0 = sink_dev("sink0", 0xbb);
	addr_add(AF_INET, "7.7.7.7", 24);
	addr_add(AF_INET6, "2001:db8::1", 64);
	vxlan_add();
	vxlan_filters_add();
	return 0;
}

/* ---- checksums put right, as a sender that means it would ---- */

static void put_csum(u8 *field, __sum16 check)
{
	memcpy(field, &check, sizeof(check));
}

static void fix_l4(u8 *l4, unsigned int len, u8 proto, const u8 *saddr, const u8 *daddr,
		   bool v6)
{
	unsigned int off = proto == IPPROTO_UDP ? 6 : 2;
	__sum16 check;
	__wsum sum;

	if (len < off + 2 || (proto == IPPROTO_UDP && len < 8))
		return;
	/* a UDP datagram without a checksum stays without one */
	if (proto == IPPROTO_UDP && !l4[6] && !l4[7])
		return;
	put_csum(l4 + off, 0);
	sum = csum_partial(l4, len, 0);
	if (v6) {
		struct in6_addr s6, d6;

		memcpy(&s6, saddr, 16);
		memcpy(&d6, daddr, 16);
		check = csum_ipv6_magic(&s6, &d6, len, proto, sum);
	} else if (proto == IPPROTO_UDP) {
		__be32 s4, d4;

		memcpy(&s4, saddr, 4);
		memcpy(&d4, daddr, 4);
		check = csum_tcpudp_magic(s4, d4, len, proto, sum);
	} else {
		check = csum_fold(sum);		/* ICMP: no pseudo-header */
	}
	if (proto == IPPROTO_UDP && !check)
		check = 0xffff;
	put_csum(l4 + off, check);
}

/* returns whether anything was there to put right */
static bool fix_checksums(u8 *f, unsigned int len)
{
	u16 type;

	if (len < ETH_HLEN)
		return false;
	type = f[12] << 8 | f[13];
	f += ETH_HLEN;
	len -= ETH_HLEN;
	if (type == ETH_P_IP && len >= 20) {
		unsigned int ihl = (f[0] & 0xf) * 4, tot = f[2] << 8 | f[3];

		if (ihl < 20 || ihl > len)
			return false;
		if (tot >= ihl && tot <= len && !((f[6] << 8 | f[7]) & 0x3fff) &&
		    (f[9] == IPPROTO_UDP || f[9] == IPPROTO_ICMP))
			fix_l4(f + ihl, tot - ihl, f[9], f + 12, f + 16, false);
		put_csum(f + 10, 0);
		put_csum(f + 10, ip_fast_csum(f, ihl / 4));
		return true;
	}
	if (type == ETH_P_IPV6 && len >= 40) {
		unsigned int plen = f[4] << 8 | f[5];
		u16 frag_off;
		u8 nexthdr;
		int off;

		if (40 + plen > len)
			return false;
		off = ipv6_skip_exthdr(f, 40 + plen, &nexthdr, &frag_off);
		if (off < 0 || frag_off || (nexthdr != IPPROTO_UDP && nexthdr != IPPROTO_ICMPV6))
			return false;
		fix_l4(f + off, 40 + plen - off, nexthdr, f + 8, f + 24, true);
		return true;
	}
	return false;
}

/* one counter of dev_get_stats() */
static u64 dev_stat(const struct net_device *dev, size_t off)
{
	struct rtnl_link_stats64 s;

	dev_get_stats(dev, &s);
	return *(const u64 *)((const char *)&s + off);
}
#define DEV_STAT(dev, field)	dev_stat(dev, offsetof(struct rtnl_link_stats64, field))

static void report(const u64 *drops, u64 ul0_tx, u64 sink0_tx, u64 vx_rx)
{
	int i;

	fprintf(stderr, "fuzz_underlay: ul0 tx %llu, vxlan0 rx %llu, sink0 tx %llu, drops:",
		(unsigned long long)(DEV_STAT(ul0, tx_packets) - ul0_tx),
		(unsigned long long)(DEV_STAT(vxlan0, rx_packets) - vx_rx),
		(unsigned long long)(DEV_STAT(sink0, tx_packets) - sink0_tx));
	for (i = 0; i < SKB_DROP_REASON_MAX; i++)
		if (skb_drop_count(i) != drops[i])
			fprintf(stderr, " %s", skb_drop_reason_names[i]);
	fprintf(stderr, "\n");
}

/* one frame from ul0's wire, from the same neighbour state each time */
static void receive(const u8 *data, size_t size, bool fix)
{
	u64 drops[SKB_DROP_REASON_MAX], ul0_tx = 0, sink0_tx = 0, vx_rx = 0;
	struct sk_buff *skb;
	int i;

	jiffies_set_virtual(FUZZ_NOW_MS);
	neigh_reset();
	if (verbose) {
		for (i = 0; i < SKB_DROP_REASON_MAX; i++)
			drops[i] = skb_drop_count(i);
		ul0_tx = DEV_STAT(ul0, tx_packets);
		sink0_tx = DEV_STAT(sink0, tx_packets);
		vx_rx = DEV_STAT(vxlan0, rx_packets);
	}
	skb = alloc_skb(&pool);
	if (!skb)
		abort();
	memcpy(skb->data, data, size);
	skb_put(skb, size);
	if (fix && (!fix_checksums(skb->data, size) || !memcmp(skb->data, data, size))) {
		kfree_skb(skb);		/* nothing to put right: the first pass saw it */
		return;
	}
	/* the representor's receive after a miss (mlx5e_rep_rx_burst) */
	rcu_read_lock();
	skb->protocol = eth_type_trans(skb, ul0);
	netif_receive_skb(skb);
	rcu_read_unlock();
	if (verbose)
		report(drops, ul0_tx, sink0_tx, vx_rx);
	/* every buffer came back: nothing leaked or freed twice */
	if (pool.nfree != pool.size)
		abort();
	/* the tables hold the fixed entries and what one frame may add */
	if (arp_tbl.entries_count > 8 || nd_tbl.entries_count > 8)
		abort();
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	/* a pool buffer holds at most SKB_DATA_MAX bytes of frame */
	if (size > SKB_DATA_MAX)
		return -1;
	receive(data, size, false);
	receive(data, size, true);
	return 0;
}
