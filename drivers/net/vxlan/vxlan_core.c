// SPDX-License-Identifier: GPL-2.0
/*
 * VXLAN devices (drivers/net/vxlan/vxlan_core.c), as Linux 6.1 makes,
 * shows, transmits and receives them, in software.
 *
 * `ip link add NAME type vxlan ...` (rtnl_link_ops "vxlan") makes either
 * a collect-metadata device (`external`: each packet's outer header comes
 * from its tunnel metadata, act_tunnel_key's "set") or a fixed one (`id
 * VNI remote ADDR`: one peer, no FDB here).  Up, a device claims its UDP
 * port (a vxlan_sock shared with the other devices on the port); down it
 * lets go.
 *
 * Transmit: VXLAN, UDP and IPv4/IPv6 headers go in front of the Ethernet
 * frame, the outer destination is routed (net/route.h) and handed to its
 * next hop's neighbour entry (net/neighbour.h) on the underlay device.
 * Receive: the underlay's local delivery gives us the port's datagrams
 * (net/udp_tunnel.h); the device owning the VNI gets the inner frame on
 * its ingress, with rx tunnel metadata (flower's enc_* keys) when it is a
 * collect-metadata device.
 */
#include <stdio.h>
#include <sys/random.h>
#include <linux/if_link.h>
#include <linux/if_ether.h>
#include <netinet/ip.h>
#include <netinet/ip6.h>
#include <netinet/udp.h>
#include <xxhash.h>
#include <linux/etherdevice.h>
#include <linux/init.h>
#include <linux/slab.h>
#include <net/addrconf.h>
#include <net/checksum.h>
#include <net/dst_metadata.h>
#include <net/neighbour.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netlink.h>
#include <net/route.h>
#include <net/rtnetlink.h>
#include <net/udp_tunnel.h>
#include <net/vxlan.h>
#include <net/pkt_trace.h>
#include <arpa/inet.h>

#define VXLAN_VNI_MASK		0xffffff00	/* of vx_vni, host order */
#define FDB_AGE_DEFAULT		300
#define IP_DEFAULT_TTL		64		/* net.ipv4.ip_default_ttl */
#define IPV6_DEFAULT_HOPLIMIT	64
/* net.ipv4.ip_local_port_range: the source ports when the device sets none */
#define LOCAL_PORT_MIN		32768
#define LOCAL_PORT_MAX		60999
#ifndef ETH_MIN_MTU
#define ETH_MIN_MTU		68
#endif

static struct rtnl_link_ops vxlan_link_ops;
static LIST_HEAD(vxlan_list);		/* every vxlan device (rtnl) */
static LIST_HEAD(vxlan_socks);		/* the ports devices that are up hold (rtnl) */

bool netif_is_vxlan(const struct net_device *dev)
{
	return dev->rtnl_link_ops == &vxlan_link_ops;
}

bool vxlan_port_in_use(__be16 port)
{
	struct vxlan_sock *vs;

	list_for_each_entry_rcu(vs, &vxlan_socks, list)
		if (vs->port == port)
			return true;
	return false;
}

static bool vxlan_addr_any(const union vxlan_addr *ip)
{
	if (ip->sa.sa_family == AF_INET6)
		return IN6_IS_ADDR_UNSPECIFIED(&ip->sin6.sin6_addr);
	return ip->sin.sin_addr.s_addr == htonl(INADDR_ANY);
}

static bool vxlan_addr_multicast(const union vxlan_addr *ip)
{
	if (ip->sa.sa_family == AF_INET6)
		return IN6_IS_ADDR_MULTICAST(&ip->sin6.sin6_addr);
	return IN_MULTICAST(ntohl(ip->sin.sin_addr.s_addr));
}

/* ---- receive ---- */

/* the device of vs that takes vni: a collect-metadata socket's only one takes any */
static struct vxlan_dev *vxlan_vs_find_vni(struct vxlan_sock *vs, u32 vni)
{
	struct vxlan_dev_node *node;

	list_for_each_entry_rcu(node, &vs->devs, list)
		if ((vs->flags & VXLAN_F_COLLECT_METADATA) || node->vxlan->cfg.vni == vni)
			return node->vxlan;
	return NULL;
}

/* udp_tun_rx_dst(): where the packet came from, for flower's enc_* keys */
static struct metadata_dst *vxlan_rx_dst(const struct sk_buff *skb, int family,
					 const struct udphdr *uh, u32 vni)
{
	struct metadata_dst *md = metadata_dst_alloc();
	struct ip_tunnel_info *info;

	if (!md)
		return NULL;
	info = &md->tun_info;
	/* outer headers have no alignment to rely on: copy, do not cast */
	if (family == AF_INET) {
		struct iphdr iph;

		memcpy(&iph, skb_network_header(skb), sizeof(iph));
		info->key.u.ipv4.src = iph.saddr;
		info->key.u.ipv4.dst = iph.daddr;
		info->key.tos = iph.tos;
		info->key.ttl = iph.ttl;
	} else {
		struct ip6_hdr ip6h;

		memcpy(&ip6h, skb_network_header(skb), sizeof(ip6h));
		info->mode = IP_TUNNEL_INFO_IPV6;
		info->key.u.ipv6.src = ip6h.ip6_src;
		info->key.u.ipv6.dst = ip6h.ip6_dst;
		info->key.tos = (ntohl(ip6h.ip6_flow) >> 20) & 0xff;
		info->key.ttl = ip6h.ip6_hlim;
	}
	info->key.tun_id = key32_to_tunnel_id(htonl(vni));
	info->key.tun_flags = TUNNEL_KEY | (uh->check ? TUNNEL_CSUM : 0);
	info->key.tp_src = uh->source;
	info->key.tp_dst = uh->dest;
	return md;
}

/*
 * encap_rcv of a vxlan port (vxlan_rcv()): data at the UDP header.  Bad
 * VXLAN headers and unknown VNIs are dropped silently, as Linux does.
 */
static int vxlan_rcv(void *sk_user_data, struct sk_buff *skb)
{
	struct vxlan_sock *vs = sk_user_data;
	struct metadata_dst *md = NULL;
	struct vxlan_dev *vxlan;
	const struct ethhdr *eth;
	struct vxlanhdr vxh;
	struct udphdr uh_copy, *uh = &uh_copy;
	u32 flags, vni;

	if (skb->len < VXLAN_HLEN) {
		kfree_skb_reason(skb, SKB_DROP_REASON_PKT_TOO_SMALL);
		return 0;
	}
	memcpy(uh, skb->data, sizeof(*uh));
	memcpy(&vxh, skb->data + sizeof(*uh), sizeof(vxh));
	flags = ntohl(vxh.vx_flags);
	vni = ntohl(vxh.vx_vni);
	/* the I flag is required; any other flag or reserved bit is malformed */
	if (!(flags & VXLAN_HF_VNI) || (flags & ~VXLAN_HF_VNI) || (vni & ~VXLAN_VNI_MASK))
		goto drop;
	vni >>= 8;
	vxlan = vxlan_vs_find_vni(vs, vni);
	if (!vxlan)
		goto drop;
	/* udpv6: a zero checksum only where the socket allows it (udp6zerocsumrx) */
	if (vs->family == AF_INET6 && !uh->check && !(vs->flags & VXLAN_F_UDP_ZERO_CSUM6_RX))
		goto drop;
	if (vxlan->cfg.flags & VXLAN_F_COLLECT_METADATA) {
		md = vxlan_rx_dst(skb, vs->family, uh, vni);
		if (!md) {
			DEV_STATS_INC(vxlan->dev, rx_dropped);
			kfree_skb_reason(skb, SKB_DROP_REASON_NOMEM);
			return 0;
		}
	}
	skb_pull(skb, VXLAN_HLEN);
	if (skb->len < ETH_HLEN) {
		DEV_STATS_INC(vxlan->dev, rx_errors);
		dst_release(md);
		kfree_skb_reason(skb, SKB_DROP_REASON_PKT_TOO_SMALL);
		return 0;
	}
	/* our own frames coming back: a loop (vxlan_set_mac()) */
	eth = (const struct ethhdr *)skb->data;
	if (!memcmp(eth->h_source, vxlan->dev->dev_addr, ETH_ALEN)) {
		dst_release(md);
		kfree_skb_reason(skb, SKB_DROP_REASON_NOT_SPECIFIED);
		return 0;
	}
	/* a new packet on the vxlan device: nothing of the outer one stays (skb_scrub_packet) */
	nf_reset_ct(skb);
	skb->post_ct = 0;
	skb->mark = 0;
	skb_dst_drop(skb);
	if (md)
		skb_dst_set(skb, md);
	pkt_trace(skb, "stack", "\"dev\":\"%s\",\"proto\":\"vxlan\",\"what\":\"vxlan decap vni %u -> %s\"",
		  skb->dev->name, vni, vxlan->dev->name);
	skb->dev = vxlan->dev;
	skb_reset_mac_header(skb);
	skb->protocol = eth_type_trans(skb, vxlan->dev);
	netif_receive_skb(skb);
	return 0;

drop:
	kfree_skb_reason(skb, SKB_DROP_REASON_NOT_SPECIFIED);
	return 0;
}

/* ---- transmit ---- */

/* the outer header of one packet, from its metadata or the device's config */
struct vxlan_tx {
	int family;
	union vxlan_addr daddr, saddr;
	u32 vni;
	__be16 dst_port;
	u8 tos, ttl;
	bool df, csum;
	int oif;
};

/*
 * udp_flow_src_port(): a source port from the inner flow, so one flow
 * keeps one port (and one path through the underlay's ECMP/RSS).  The
 * hash covers the IP 5-tuple when there is one, else the MAC header.
 */
static __be16 vxlan_src_port(const struct sk_buff *skb, const struct vxlan_config *cfg)
{
	const u8 *p = skb->data;
	u32 min = cfg->port_min, max = cfg->port_max, hash;
	u8 tuple[40];
	unsigned int n = 0, l4 = 0;
	u16 type;

	if (!min && !max) {
		min = LOCAL_PORT_MIN;
		max = LOCAL_PORT_MAX;
	}
	type = p[12] << 8 | p[13];
	/* byte offsets: the inner headers are not aligned */
	if (type == ETH_P_IP && skb->len >= ETH_HLEN + 20) {
		const u8 *iph = p + ETH_HLEN;
		u8 proto = iph[9];

		memcpy(tuple, iph + 12, 8);	/* saddr, daddr */
		tuple[8] = proto;
		n = 9;
		/* ports of a first (or only) fragment */
		if (!((iph[6] << 8 | iph[7]) & 0x1fff) &&
		    (proto == IPPROTO_TCP || proto == IPPROTO_UDP || proto == IPPROTO_SCTP))
			l4 = ETH_HLEN + (iph[0] & 0xf) * 4;
	} else if (type == ETH_P_IPV6 && skb->len >= ETH_HLEN + 40) {
		const u8 *ip6h = p + ETH_HLEN;

		memcpy(tuple, ip6h + 8, 32);	/* saddr, daddr */
		tuple[32] = ip6h[6];
		n = 33;
		if (ip6h[6] == IPPROTO_TCP || ip6h[6] == IPPROTO_UDP)
			l4 = ETH_HLEN + 40;
	} else {
		memcpy(tuple, p, ETH_HLEN);
		n = ETH_HLEN;
	}
	if (l4 && skb->len >= l4 + 4) {
		memcpy(tuple + n, p + l4, 4);
		n += 4;
	}
	hash = XXH32(tuple, n, 0);
	return htons((((u64)hash * (max - min)) >> 32) + min);
}

/* the inner frame's DS field, for `tos inherit` and ECN (ip_tunnel_get_dsfield) */
static u8 vxlan_inner_dsfield(const struct sk_buff *skb)
{
	const u8 *p = skb->data;
	u16 type = p[12] << 8 | p[13];

	if (type == ETH_P_IP && skb->len >= ETH_HLEN + 20)
		return p[ETH_HLEN + 1];
	if (type == ETH_P_IPV6 && skb->len >= ETH_HLEN + 40)
		return (p[ETH_HLEN] << 4 | p[ETH_HLEN + 1] >> 4) & 0xff;
	return 0;
}

/* ip_tunnel_ecn_encap(): the outer ECN follows the inner one, CE as ECT(0) */
static u8 vxlan_ecn_encap(u8 tos, u8 inner)
{
	tos &= ~0x03;
	return tos | ((inner & 0x03) == 0x03 ? 0x02 : (inner & 0x03));
}

static bool vxlan_tx_from_info(struct vxlan_tx *tx, const struct ip_tunnel_info *info,
			       const struct vxlan_dev *vxlan)
{
	if (!info || !(info->mode & IP_TUNNEL_INFO_TX))
		return false;
	tx->family = ip_tunnel_info_af(info);
	if (tx->family == AF_INET) {
		tx->daddr.sin.sin_addr.s_addr = info->key.u.ipv4.dst;
		tx->saddr.sin.sin_addr.s_addr = info->key.u.ipv4.src;
	} else {
		tx->daddr.sin6.sin6_addr = info->key.u.ipv6.dst;
		tx->saddr.sin6.sin6_addr = info->key.u.ipv6.src;
	}
	tx->vni = ntohl(tunnel_id_to_key32(info->key.tun_id));
	tx->dst_port = info->key.tp_dst ? info->key.tp_dst : vxlan->cfg.dst_port;
	tx->tos = info->key.tos;
	tx->ttl = info->key.ttl;
	tx->df = info->key.tun_flags & TUNNEL_DONT_FRAGMENT;
	tx->csum = info->key.tun_flags & TUNNEL_CSUM;
	tx->oif = 0;
	return true;
}

static void vxlan_tx_from_cfg(struct vxlan_tx *tx, const struct vxlan_dev *vxlan,
			      const struct sk_buff *skb)
{
	const struct vxlan_config *cfg = &vxlan->cfg;

	tx->family = cfg->remote_ip.sa.sa_family;
	tx->daddr = cfg->remote_ip;
	tx->saddr = cfg->saddr;
	tx->vni = cfg->vni;
	tx->dst_port = cfg->dst_port;
	/* tos 1 is `tos inherit` */
	tx->tos = cfg->tos == 1 ? vxlan_inner_dsfield(skb) : cfg->tos;
	tx->ttl = cfg->ttl;
	if (cfg->flags & VXLAN_F_TTL_INHERIT) {
		const u8 *p = skb->data;
		u16 type = p[12] << 8 | p[13];

		if (type == ETH_P_IP && skb->len >= ETH_HLEN + 20)
			tx->ttl = p[ETH_HLEN + 8];
		else if (type == ETH_P_IPV6 && skb->len >= ETH_HLEN + 40)
			tx->ttl = p[ETH_HLEN + 7];
	}
	tx->df = cfg->df == VXLAN_DF_SET;
	if (cfg->df == VXLAN_DF_INHERIT && skb->len >= ETH_HLEN + 20 &&
	    (skb->data[12] << 8 | skb->data[13]) == ETH_P_IP)
		tx->df = skb->data[ETH_HLEN + 6] & 0x40;
	if (tx->family == AF_INET6)
		tx->csum = !(cfg->flags & VXLAN_F_UDP_ZERO_CSUM6_TX);
	else
		tx->csum = !(cfg->flags & VXLAN_F_UDP_ZERO_CSUM_TX);
	tx->oif = cfg->remote_ifindex;
}

/*
 * VXLAN and UDP headers in front of the frame, returning where the UDP
 * header starts; its checksum (which needs the IP addresses) is the
 * caller's.  Headers are copied in: nothing says data is aligned.
 */
static u8 *vxlan_push_udp(struct sk_buff *skb, const struct vxlan_tx *tx, __be16 src_port)
{
	struct vxlanhdr vxh = {
		.vx_flags = htonl(VXLAN_HF_VNI),
		.vx_vni = vxlan_vni_field(tx->vni),
	};
	struct udphdr uh = { .source = src_port, .dest = tx->dst_port };

	memcpy(skb_push(skb, sizeof(vxh)), &vxh, sizeof(vxh));
	skb_push(skb, sizeof(uh));
	uh.len = htons(skb->len);
	memcpy(skb->data, &uh, sizeof(uh));
	skb->transport_header = skb->data - skb->head;
	return skb->data;
}

static void vxlan_udp_set_check(u8 *udp, __sum16 check)
{
	if (!check)
		check = 0xffff;		/* CSUM_MANGLED_0: 0 means none */
	memcpy(udp + offsetof(struct udphdr, check), &check, sizeof(check));
}

static void vxlan_tx_error(struct vxlan_dev *vxlan, struct sk_buff *skb,
			   enum skb_drop_reason reason)
{
	DEV_STATS_INC(vxlan->dev, tx_errors);
	kfree_skb_reason(skb, reason);
}

/* `ctoffload trace`: the encapsulation, from the outer headers at skb->data */
static void vxlan_trace_xmit(struct sk_buff *skb, struct neigh_table *tbl, const void *nexthop,
			     const struct net_device *out, bool resolved)
{
	bool v6 = tbl->family == AF_INET6;
	const u8 *vx = skb->data + (v6 ? 40 : 20) + 8;
	char dst[INET6_ADDRSTRLEN], nh[INET6_ADDRSTRLEN];

	inet_ntop(tbl->family, skb->data + (v6 ? 24 : 16), dst, sizeof(dst));
	inet_ntop(tbl->family, nexthop, nh, sizeof(nh));
	pkt_trace(skb, "stack", "\"dev\":\"%s\",\"proto\":\"vxlan\",\"what\":\"vxlan encap vni %u to %s via %s%s%s%s\"",
		  out->name, vx[4] << 16 | vx[5] << 8 | vx[6], dst, out->name,
		  resolved ? "" : "; neighbour ", resolved ? "" : nh,
		  resolved ? "" : " unresolved: queued");
}

/* hand the packet (data at the outer IP header) to the next hop's neighbour */
static void vxlan_neigh_output(struct vxlan_dev *vxlan, struct sk_buff *skb,
			       struct neigh_table *tbl, const void *nexthop,
			       struct net_device *out)
{
	struct neighbour *n = neigh_lookup_create(tbl, nexthop, out);

	if (!n) {
		vxlan_tx_error(vxlan, skb, SKB_DROP_REASON_NOMEM);
		return;
	}
	if (!neigh_valid(n))
		vxlan->tx_neigh_queued++;
	if (unlikely(skb->trace))
		vxlan_trace_xmit(skb, tbl, nexthop, out, neigh_valid(n));
	skb->dev = out;
	neigh_output(n, skb);
	neigh_release(n);
}

static void vxlan_xmit_ip4(struct vxlan_dev *vxlan, struct sk_buff *skb,
			   const struct vxlan_tx *tx, __be16 src_port, u8 inner_ds)
{
	struct flowi4 fl4 = {
		.flowi4_oif = tx->oif,
		.flowi4_tos = tx->tos & 0x1c,	/* RT_TOS */
		.flowi4_proto = IPPROTO_UDP,
		.daddr = tx->daddr.sin.sin_addr.s_addr,
		.saddr = tx->saddr.sin.sin_addr.s_addr,
	};
	struct ip_route_result res;
	struct iphdr iph = {};
	u8 *udp;

	if (ip_route_output(&fl4, &res)) {
		vxlan->tx_no_route++;
		vxlan_tx_error(vxlan, skb, SKB_DROP_REASON_IP_NOROUTE);
		return;
	}
	/* a route back into ourselves would loop */
	if (res.dev == vxlan->dev) {
		vxlan_tx_error(vxlan, skb, SKB_DROP_REASON_IP_NOROUTE);
		return;
	}
	udp = vxlan_push_udp(skb, tx, src_port);
	if (tx->csum)
		vxlan_udp_set_check(udp, csum_tcpudp_magic(fl4.saddr, fl4.daddr, skb->len,
							   IPPROTO_UDP,
							   csum_partial(udp, skb->len, 0)));
	iph.version = 4;
	iph.ihl = 5;
	iph.tos = vxlan_ecn_encap(tx->tos, inner_ds);
	iph.tot_len = htons(skb->len + sizeof(iph));
	iph.id = htons(__atomic_fetch_add(&vxlan->ip_id, 1, __ATOMIC_RELAXED));
	iph.frag_off = tx->df ? htons(0x4000) : 0;
	iph.ttl = tx->ttl ? tx->ttl : IP_DEFAULT_TTL;
	iph.protocol = IPPROTO_UDP;
	iph.saddr = fl4.saddr;
	iph.daddr = fl4.daddr;
	iph.check = ip_fast_csum(&iph, iph.ihl);
	memcpy(skb_push(skb, sizeof(iph)), &iph, sizeof(iph));
	skb->network_header = skb->data - skb->head;
	skb->protocol = htons(ETH_P_IP);
	vxlan_neigh_output(vxlan, skb, &arp_tbl, &res.nexthop, res.dev);
}

static void vxlan_xmit_ip6(struct vxlan_dev *vxlan, struct sk_buff *skb,
			   const struct vxlan_tx *tx, __be16 src_port, u8 inner_ds)
{
	struct flowi6 fl6 = {
		.flowi6_oif = tx->oif,
		.flowi6_proto = IPPROTO_UDP,
		.daddr = tx->daddr.sin6.sin6_addr,
		.saddr = tx->saddr.sin6.sin6_addr,
	};
	struct ip6_route_result res;
	struct ip6_hdr ip6h;
	u8 *udp;
	u32 plen;
	u8 tclass;

	if (ip6_route_output(&fl6, &res)) {
		vxlan->tx_no_route++;
		vxlan_tx_error(vxlan, skb, SKB_DROP_REASON_IP_NOROUTE);
		return;
	}
	if (res.dev == vxlan->dev) {
		vxlan_tx_error(vxlan, skb, SKB_DROP_REASON_IP_NOROUTE);
		return;
	}
	udp = vxlan_push_udp(skb, tx, src_port);
	plen = skb->len;
	if (tx->csum)
		vxlan_udp_set_check(udp, csum_ipv6_magic(&fl6.saddr, &fl6.daddr, plen, IPPROTO_UDP,
							 csum_partial(udp, plen, 0)));
	tclass = vxlan_ecn_encap(tx->tos, inner_ds);
	ip6h.ip6_flow = htonl(6u << 28 | (u32)tclass << 20 | (ntohl(vxlan->label) & 0xfffff));
	ip6h.ip6_plen = htons(plen);
	ip6h.ip6_nxt = IPPROTO_UDP;
	ip6h.ip6_hlim = tx->ttl ? tx->ttl : IPV6_DEFAULT_HOPLIMIT;
	ip6h.ip6_src = fl6.saddr;
	ip6h.ip6_dst = fl6.daddr;
	memcpy(skb_push(skb, sizeof(ip6h)), &ip6h, sizeof(ip6h));
	skb->network_header = skb->data - skb->head;
	skb->protocol = htons(ETH_P_IPV6);
	vxlan_neigh_output(vxlan, skb, &nd_tbl, &res.nexthop, res.dev);
}

static enum netdev_tx vxlan_xmit(struct sk_buff *skb, struct net_device *dev)
{
	struct vxlan_dev *vxlan = netdev_priv(dev);
	unsigned int headroom;
	struct vxlan_tx tx = {};
	__be16 src_port;
	u8 inner_ds;

	if (skb->len < ETH_HLEN) {
		DEV_STATS_INC(dev, tx_dropped);
		kfree_skb_reason(skb, SKB_DROP_REASON_PKT_TOO_SMALL);
		return NETDEV_TX_OK;
	}
	if (vxlan->cfg.flags & VXLAN_F_COLLECT_METADATA) {
		/* nothing says where to: Linux frees it without a count */
		if (!vxlan_tx_from_info(&tx, skb_tunnel_info(skb), vxlan)) {
			kfree_skb_reason(skb, SKB_DROP_REASON_NOT_SPECIFIED);
			return NETDEV_TX_OK;
		}
	} else {
		/* no remote and no FDB: no destination */
		if (vxlan_addr_any(&vxlan->cfg.remote_ip)) {
			DEV_STATS_INC(dev, tx_dropped);
			kfree_skb_reason(skb, SKB_DROP_REASON_NOT_SPECIFIED);
			return NETDEV_TX_OK;
		}
		vxlan_tx_from_cfg(&tx, vxlan, skb);
	}
	headroom = tx.family == AF_INET6 ? VXLAN6_HEADROOM : VXLAN_HEADROOM;
	if (skb->len + headroom > SKB_DATA_MAX || skb_headroom(skb) < headroom) {
		DEV_STATS_INC(dev, tx_dropped);
		kfree_skb_reason(skb, SKB_DROP_REASON_NOT_SPECIFIED);
		return NETDEV_TX_OK;
	}
	src_port = vxlan_src_port(skb, &vxlan->cfg);
	inner_ds = vxlan_inner_dsfield(skb);
	/* the outer packet is a new one: the inner's metadata and conntrack stay behind */
	skb_dst_drop(skb);
	nf_reset_ct(skb);
	skb->post_ct = 0;
	if (tx.family == AF_INET)
		vxlan_xmit_ip4(vxlan, skb, &tx, src_port, inner_ds);
	else
		vxlan_xmit_ip6(vxlan, skb, &tx, src_port, inner_ds);
	return NETDEV_TX_OK;
}

/* ---- the UDP ports of devices that are up ---- */

static struct vxlan_sock *vxlan_find_sock(int family, __be16 port)
{
	struct vxlan_sock *vs;

	list_for_each_entry(vs, &vxlan_socks, list)
		if (vs->family == family && vs->port == port)
			return vs;
	return NULL;
}

/* vxlan_sock_add(): join the port's socket, or open it */
static int vxlan_sock_add(struct vxlan_dev *vxlan, int family, struct vxlan_sock **vsp,
			  struct vxlan_dev_node *node)
{
	u32 flags = vxlan->cfg.flags & VXLAN_F_RCV_FLAGS;
	struct udp_tunnel_sock_cfg cfg = { .encap_rcv = vxlan_rcv };
	struct vxlan_sock *vs;
	int err;

	vs = vxlan_find_sock(family, vxlan->cfg.dst_port);
	if (vs && vs->flags != flags)
		return -EADDRINUSE;	/* the port is bound by an incompatible socket */
	if (!vs) {
		vs = kzalloc(sizeof(*vs), GFP_KERNEL);
		if (!vs)
			return -ENOMEM;
		vs->family = family;
		vs->port = vxlan->cfg.dst_port;
		vs->flags = flags;
		INIT_LIST_HEAD(&vs->devs);
		cfg.sk_user_data = vs;
		err = udp_tunnel_sock_register(family, vs->port, &cfg);
		if (err) {
			kfree(vs);
			return err;
		}
		list_add_tail_rcu(&vs->list, &vxlan_socks);
	}
	vs->users++;
	node->vxlan = vxlan;
	list_add_tail_rcu(&node->list, &vs->devs);
	*vsp = vs;
	return 0;
}

static void vxlan_sock_release(struct vxlan_sock **vsp, struct vxlan_dev_node *node)
{
	struct vxlan_sock *vs = *vsp;

	if (!vs)
		return;
	*vsp = NULL;
	list_del_rcu(&node->list);
	if (--vs->users) {
		/* node may join a socket again: no reader may still walk it */
		synchronize_rcu();
		return;
	}
	udp_tunnel_sock_release(vs->family, vs->port);
	list_del_rcu(&vs->list);
	synchronize_rcu();
	kfree(vs);
}

/* a collect-metadata device listens on both families, a fixed one on its own */
static int vxlan_open(struct net_device *dev)
{
	struct vxlan_dev *vxlan = netdev_priv(dev);
	bool metadata = vxlan->cfg.flags & VXLAN_F_COLLECT_METADATA;
	bool ipv6 = (vxlan->cfg.flags & VXLAN_F_IPV6) || metadata;
	bool ipv4 = !ipv6 || metadata;
	int err = 0;

	if (ipv6)
		err = vxlan_sock_add(vxlan, AF_INET6, &vxlan->vs6, &vxlan->node6);
	if (!err && ipv4) {
		err = vxlan_sock_add(vxlan, AF_INET, &vxlan->vs4, &vxlan->node4);
		if (err)
			vxlan_sock_release(&vxlan->vs6, &vxlan->node6);
	}
	return err;
}

static int vxlan_stop(struct net_device *dev)
{
	struct vxlan_dev *vxlan = netdev_priv(dev);

	vxlan_sock_release(&vxlan->vs4, &vxlan->node4);
	vxlan_sock_release(&vxlan->vs6, &vxlan->node6);
	return 0;
}

static const struct net_device_ops vxlan_netdev_ops = {
	.ndo_open = vxlan_open,
	.ndo_stop = vxlan_stop,
	.ndo_start_xmit = vxlan_xmit,
};

/* ---- rtnl_link_ops ---- */

static const struct nla_policy vxlan_policy[IFLA_VXLAN_MAX + 1] = {
	[IFLA_VXLAN_ID] = { .type = NLA_U32 },
	[IFLA_VXLAN_GROUP] = { .type = NLA_EXACT_LEN, .len = sizeof(struct in_addr) },
	[IFLA_VXLAN_GROUP6] = { .type = NLA_EXACT_LEN, .len = sizeof(struct in6_addr) },
	[IFLA_VXLAN_LINK] = { .type = NLA_U32 },
	[IFLA_VXLAN_LOCAL] = { .type = NLA_EXACT_LEN, .len = sizeof(struct in_addr) },
	[IFLA_VXLAN_LOCAL6] = { .type = NLA_EXACT_LEN, .len = sizeof(struct in6_addr) },
	[IFLA_VXLAN_TOS] = { .type = NLA_U8 },
	[IFLA_VXLAN_TTL] = { .type = NLA_U8 },
	[IFLA_VXLAN_LABEL] = { .type = NLA_U32 },
	[IFLA_VXLAN_LEARNING] = { .type = NLA_U8 },
	[IFLA_VXLAN_AGEING] = { .type = NLA_U32 },
	[IFLA_VXLAN_LIMIT] = { .type = NLA_U32 },
	[IFLA_VXLAN_PORT_RANGE] = { .type = NLA_EXACT_LEN, .len = sizeof(struct ifla_vxlan_port_range) },
	[IFLA_VXLAN_PROXY] = { .type = NLA_U8 },
	[IFLA_VXLAN_RSC] = { .type = NLA_U8 },
	[IFLA_VXLAN_L2MISS] = { .type = NLA_U8 },
	[IFLA_VXLAN_L3MISS] = { .type = NLA_U8 },
	[IFLA_VXLAN_COLLECT_METADATA] = { .type = NLA_U8 },
	[IFLA_VXLAN_PORT] = { .type = NLA_U16 },
	[IFLA_VXLAN_UDP_CSUM] = { .type = NLA_U8 },
	[IFLA_VXLAN_UDP_ZERO_CSUM6_TX] = { .type = NLA_U8 },
	[IFLA_VXLAN_UDP_ZERO_CSUM6_RX] = { .type = NLA_U8 },
	[IFLA_VXLAN_REMCSUM_TX] = { .type = NLA_U8 },
	[IFLA_VXLAN_REMCSUM_RX] = { .type = NLA_U8 },
	[IFLA_VXLAN_GBP] = { .type = NLA_FLAG },
	[IFLA_VXLAN_GPE] = { .type = NLA_FLAG },
	[IFLA_VXLAN_REMCSUM_NOPARTIAL] = { .type = NLA_FLAG },
	[IFLA_VXLAN_TTL_INHERIT] = { .type = NLA_FLAG },
	[IFLA_VXLAN_DF] = { .type = NLA_U8 },
	[IFLA_VXLAN_VNIFILTER] = { .type = NLA_U8 },
};

static int vxlan_validate(struct nlattr *tb[], struct nlattr *data[],
			  struct netlink_ext_ack *extack)
{
	if (tb[IFLA_ADDRESS]) {
		const u8 *addr = nla_data(tb[IFLA_ADDRESS]);
		static const u8 zero[ETH_ALEN];

		if (nla_len(tb[IFLA_ADDRESS]) != ETH_ALEN) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS],
					    "Provided link layer address is not Ethernet");
			return -EINVAL;
		}
		if ((addr[0] & 1) || !memcmp(addr, zero, ETH_ALEN)) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_ADDRESS],
					    "Provided Ethernet address is not unicast");
			return -EADDRNOTAVAIL;
		}
	}
	if (tb[IFLA_MTU]) {
		u32 mtu = nla_get_u32(tb[IFLA_MTU]);

		if (mtu < ETH_MIN_MTU || mtu > ETH_MAX_MTU) {
			NL_SET_ERR_MSG_ATTR(extack, tb[IFLA_MTU], "MTU must be between 68 and 65535");
			return -EINVAL;
		}
	}
	if (!data) {
		NL_SET_ERR_MSG(extack, "Required attributes not provided to perform the operation");
		return -EINVAL;
	}
	if (data[IFLA_VXLAN_ID] && nla_get_u32(data[IFLA_VXLAN_ID]) >= VXLAN_N_VID) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_VXLAN_ID], "VXLAN ID must be lower than 16777216");
		return -ERANGE;
	}
	if (data[IFLA_VXLAN_PORT_RANGE]) {
		const struct ifla_vxlan_port_range *p = nla_data(data[IFLA_VXLAN_PORT_RANGE]);

		if (ntohs(p->high) < ntohs(p->low)) {
			NL_SET_ERR_MSG_ATTR(extack, data[IFLA_VXLAN_PORT_RANGE],
					    "Invalid source port range");
			return -EINVAL;
		}
	}
	if (data[IFLA_VXLAN_DF] && nla_get_u8(data[IFLA_VXLAN_DF]) > VXLAN_DF_INHERIT) {
		NL_SET_ERR_MSG_ATTR(extack, data[IFLA_VXLAN_DF], "Invalid DF attribute");
		return -EINVAL;
	}
	return 0;
}

/* a u8 on/off attribute: flag set when the value says "on" */
static void vxlan_nl2flag(struct vxlan_config *conf, struct nlattr *attr, u32 flag, bool on_value)
{
	if (!!nla_get_u8(attr) == on_value)
		conf->flags |= flag;
	else
		conf->flags &= ~flag;
}

/* features of Linux's vxlan this model leaves out: refused rather than ignored */
static int vxlan_nl2conf_unsupported(struct nlattr *data[], struct netlink_ext_ack *extack)
{
	static const struct {
		int type;
		const char *msg;
	} unsupported[] = {
		{ IFLA_VXLAN_GBP, "VXLAN group policy (gbp) is not supported" },
		{ IFLA_VXLAN_GPE, "VXLAN-GPE is not supported" },
		{ IFLA_VXLAN_REMCSUM_NOPARTIAL, "Remote checksum offload is not supported" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(unsupported); i++) {
		if (data[unsupported[i].type]) {
			NL_SET_ERR_MSG(extack, unsupported[i].msg);
			return -EOPNOTSUPP;
		}
	}
	if ((data[IFLA_VXLAN_REMCSUM_TX] && nla_get_u8(data[IFLA_VXLAN_REMCSUM_TX])) ||
	    (data[IFLA_VXLAN_REMCSUM_RX] && nla_get_u8(data[IFLA_VXLAN_REMCSUM_RX]))) {
		NL_SET_ERR_MSG(extack, "Remote checksum offload is not supported");
		return -EOPNOTSUPP;
	}
	if (data[IFLA_VXLAN_VNIFILTER] && nla_get_u8(data[IFLA_VXLAN_VNIFILTER])) {
		NL_SET_ERR_MSG(extack, "VNI filtering is not supported");
		return -EOPNOTSUPP;
	}
	return 0;
}

/* vxlan_nl2conf() for a new device */
static int vxlan_nl2conf(struct nlattr *tb[], struct nlattr *data[], struct vxlan_config *conf,
			 u32 *label, struct netlink_ext_ack *extack)
{
	int err;

	memset(conf, 0, sizeof(*conf));
	err = vxlan_nl2conf_unsupported(data, extack);
	if (err)
		return err;
	if (data[IFLA_VXLAN_ID])
		conf->vni = nla_get_u32(data[IFLA_VXLAN_ID]);
	if (data[IFLA_VXLAN_GROUP]) {
		conf->remote_ip.sin.sin_family = AF_INET;
		memcpy(&conf->remote_ip.sin.sin_addr, nla_data(data[IFLA_VXLAN_GROUP]), 4);
	} else if (data[IFLA_VXLAN_GROUP6]) {
		conf->remote_ip.sin6.sin6_family = AF_INET6;
		memcpy(&conf->remote_ip.sin6.sin6_addr, nla_data(data[IFLA_VXLAN_GROUP6]), 16);
		conf->flags |= VXLAN_F_IPV6;
	}
	if (data[IFLA_VXLAN_LOCAL]) {
		conf->saddr.sin.sin_family = AF_INET;
		memcpy(&conf->saddr.sin.sin_addr, nla_data(data[IFLA_VXLAN_LOCAL]), 4);
	} else if (data[IFLA_VXLAN_LOCAL6]) {
		conf->saddr.sin6.sin6_family = AF_INET6;
		memcpy(&conf->saddr.sin6.sin6_addr, nla_data(data[IFLA_VXLAN_LOCAL6]), 16);
		conf->flags |= VXLAN_F_IPV6;
	}
	if (data[IFLA_VXLAN_LINK])
		conf->remote_ifindex = nla_get_u32(data[IFLA_VXLAN_LINK]);
	if (data[IFLA_VXLAN_TOS])
		conf->tos = nla_get_u8(data[IFLA_VXLAN_TOS]);
	if (data[IFLA_VXLAN_TTL])
		conf->ttl = nla_get_u8(data[IFLA_VXLAN_TTL]);
	if (data[IFLA_VXLAN_TTL_INHERIT])
		conf->flags |= VXLAN_F_TTL_INHERIT;
	if (data[IFLA_VXLAN_DF])
		conf->df = nla_get_u8(data[IFLA_VXLAN_DF]);
	if (data[IFLA_VXLAN_LABEL])
		*label = nla_get_u32(data[IFLA_VXLAN_LABEL]) & htonl(0xfffff);	/* be32 */
	/* learning is on unless the request turns it off */
	conf->flags |= VXLAN_F_LEARN;
	if (data[IFLA_VXLAN_LEARNING])
		vxlan_nl2flag(conf, data[IFLA_VXLAN_LEARNING], VXLAN_F_LEARN, true);
	conf->age_interval = data[IFLA_VXLAN_AGEING] ? nla_get_u32(data[IFLA_VXLAN_AGEING]) :
						       FDB_AGE_DEFAULT;
	if (data[IFLA_VXLAN_PROXY])
		vxlan_nl2flag(conf, data[IFLA_VXLAN_PROXY], VXLAN_F_PROXY, true);
	if (data[IFLA_VXLAN_RSC])
		vxlan_nl2flag(conf, data[IFLA_VXLAN_RSC], VXLAN_F_RSC, true);
	if (data[IFLA_VXLAN_L2MISS])
		vxlan_nl2flag(conf, data[IFLA_VXLAN_L2MISS], VXLAN_F_L2MISS, true);
	if (data[IFLA_VXLAN_L3MISS])
		vxlan_nl2flag(conf, data[IFLA_VXLAN_L3MISS], VXLAN_F_L3MISS, true);
	if (data[IFLA_VXLAN_LIMIT])
		conf->addrmax = nla_get_u32(data[IFLA_VXLAN_LIMIT]);
	if (data[IFLA_VXLAN_COLLECT_METADATA])
		vxlan_nl2flag(conf, data[IFLA_VXLAN_COLLECT_METADATA],
			      VXLAN_F_COLLECT_METADATA, true);
	if (data[IFLA_VXLAN_PORT_RANGE]) {
		const struct ifla_vxlan_port_range *p = nla_data(data[IFLA_VXLAN_PORT_RANGE]);

		conf->port_min = ntohs(p->low);
		conf->port_max = ntohs(p->high);
	}
	if (data[IFLA_VXLAN_PORT])
		conf->dst_port = nla_get_u16(data[IFLA_VXLAN_PORT]);	/* be16 on the wire */
	if (data[IFLA_VXLAN_UDP_CSUM])
		vxlan_nl2flag(conf, data[IFLA_VXLAN_UDP_CSUM], VXLAN_F_UDP_ZERO_CSUM_TX, false);
	if (data[IFLA_VXLAN_UDP_ZERO_CSUM6_TX])
		vxlan_nl2flag(conf, data[IFLA_VXLAN_UDP_ZERO_CSUM6_TX],
			      VXLAN_F_UDP_ZERO_CSUM6_TX, true);
	if (data[IFLA_VXLAN_UDP_ZERO_CSUM6_RX])
		vxlan_nl2flag(conf, data[IFLA_VXLAN_UDP_ZERO_CSUM6_RX],
			      VXLAN_F_UDP_ZERO_CSUM6_RX, true);
	return 0;
}

/* vxlan_config_validate(): families, the lower device, a VNI taken on the port */
static int vxlan_config_validate(struct vxlan_config *conf, u32 label,
				 struct net_device **lowerp, struct netlink_ext_ack *extack)
{
	bool use_ipv6 = conf->flags & VXLAN_F_IPV6;
	struct vxlan_dev *tmp;

	if (!conf->remote_ip.sa.sa_family && !conf->saddr.sa.sa_family) {
		conf->remote_ip.sa.sa_family = AF_INET;
		conf->saddr.sa.sa_family = AF_INET;
	} else if (!conf->remote_ip.sa.sa_family) {
		conf->remote_ip.sa.sa_family = conf->saddr.sa.sa_family;
	} else if (!conf->saddr.sa.sa_family) {
		conf->saddr.sa.sa_family = conf->remote_ip.sa.sa_family;
	}
	if (conf->saddr.sa.sa_family != conf->remote_ip.sa.sa_family) {
		NL_SET_ERR_MSG(extack, "Local and remote address must be from the same family");
		return -EINVAL;
	}
	if (vxlan_addr_multicast(&conf->saddr)) {
		NL_SET_ERR_MSG(extack, "Local address cannot be multicast");
		return -EINVAL;
	}
	if (vxlan_addr_multicast(&conf->remote_ip)) {
		if (!conf->remote_ifindex) {
			NL_SET_ERR_MSG(extack, "Local interface required for multicast remote destination");
			return -EINVAL;
		}
		/* no IGMP/MLD underneath: a group would never be joined */
		NL_SET_ERR_MSG(extack, "Multicast remote destinations are not supported");
		return -EOPNOTSUPP;
	}
	if (label && !use_ipv6) {
		NL_SET_ERR_MSG(extack, "Label attribute only applies to IPv6 VXLAN devices");
		return -EINVAL;
	}
	*lowerp = NULL;
	if (conf->remote_ifindex) {
		*lowerp = dev_get_by_index(conf->remote_ifindex);
		if (!*lowerp) {
			NL_SET_ERR_MSG(extack, "Invalid local interface, device not found");
			return -ENODEV;
		}
	}
	if (!conf->dst_port)
		conf->dst_port = htons(VXLAN_DEFAULT_PORT);
	list_for_each_entry(tmp, &vxlan_list, next) {
		if (tmp->cfg.vni != conf->vni || tmp->cfg.dst_port != conf->dst_port)
			continue;
		if ((tmp->cfg.flags & (VXLAN_F_RCV_FLAGS | VXLAN_F_IPV6)) !=
		    (conf->flags & (VXLAN_F_RCV_FLAGS | VXLAN_F_IPV6)))
			continue;
		NL_SET_ERR_MSG(extack, "A VXLAN device with the specified VNI already exists");
		return -EEXIST;
	}
	return 0;
}

static void vxlan_setup(struct net_device *dev)
{
	struct vxlan_dev *vxlan = netdev_priv(dev);

	dev->netdev_ops = &vxlan_netdev_ops;
	dev->flags = IFF_BROADCAST | IFF_MULTICAST;
	dev->mtu = 1500;
	dev->min_mtu = ETH_MIN_MTU;
	dev->max_mtu = ETH_MAX_MTU;
	/* eth_hw_addr_random(): locally administered, unicast */
	if (getrandom(dev->dev_addr, ETH_ALEN, 0) != ETH_ALEN)
		dev->dev_addr[5] = dev->ifindex;
	dev->dev_addr[0] = (dev->dev_addr[0] & 0xfe) | 0x02;
	vxlan->dev = dev;
	INIT_LIST_HEAD(&vxlan->next);
}

static int vxlan_newlink(struct net_device *dev, struct nlattr *tb[], struct nlattr *data[],
			 struct netlink_ext_ack *extack)
{
	struct vxlan_dev *vxlan = netdev_priv(dev);
	struct net_device *lower;
	struct vxlan_config conf;
	u32 label = 0;
	int err;

	err = vxlan_nl2conf(tb, data, &conf, &label, extack);
	if (err)
		return err;
	err = vxlan_config_validate(&conf, label, &lower, extack);
	if (err)
		return err;
	/* vxlan_config_apply(): under a lower device, room for the outer headers */
	if (lower && !tb[IFLA_MTU]) {
		int mtu = (int)lower->mtu - (conf.flags & VXLAN_F_IPV6 ? VXLAN6_HEADROOM :
								     VXLAN_HEADROOM);

		dev->mtu = mtu < ETH_MIN_MTU ? ETH_MIN_MTU : mtu;
	}
	vxlan->cfg = conf;
	vxlan->label = label;
	err = register_netdev(dev);
	if (err)
		return err;
	list_add_tail(&vxlan->next, &vxlan_list);
	return 0;
}

static void vxlan_dellink(struct net_device *dev)
{
	struct vxlan_dev *vxlan = netdev_priv(dev);

	list_del(&vxlan->next);
	unregister_netdev(dev);
}

/* vxlan_fill_info(): Linux 6.1's attributes, in its order */
static int vxlan_fill_info(struct nlmsghdr *nlh, const struct net_device *dev)
{
	const struct vxlan_dev *vxlan = netdev_priv(dev);
	const struct vxlan_config *cfg = &vxlan->cfg;
	struct ifla_vxlan_port_range ports = {
		.low = htons(cfg->port_min),
		.high = htons(cfg->port_max),
	};

	nla_put_u32(nlh, IFLA_VXLAN_ID, cfg->vni);
	if (!vxlan_addr_any(&cfg->remote_ip)) {
		if (cfg->remote_ip.sa.sa_family == AF_INET)
			nla_put(nlh, IFLA_VXLAN_GROUP, 4, &cfg->remote_ip.sin.sin_addr);
		else
			nla_put(nlh, IFLA_VXLAN_GROUP6, 16, &cfg->remote_ip.sin6.sin6_addr);
	}
	if (cfg->remote_ifindex)
		nla_put_u32(nlh, IFLA_VXLAN_LINK, cfg->remote_ifindex);
	if (!vxlan_addr_any(&cfg->saddr)) {
		if (cfg->saddr.sa.sa_family == AF_INET)
			nla_put(nlh, IFLA_VXLAN_LOCAL, 4, &cfg->saddr.sin.sin_addr);
		else
			nla_put(nlh, IFLA_VXLAN_LOCAL6, 16, &cfg->saddr.sin6.sin6_addr);
	}
	nla_put_u8(nlh, IFLA_VXLAN_TTL, cfg->ttl);
	nla_put_u8(nlh, IFLA_VXLAN_TTL_INHERIT, !!(cfg->flags & VXLAN_F_TTL_INHERIT));
	nla_put_u8(nlh, IFLA_VXLAN_TOS, cfg->tos);
	nla_put_u8(nlh, IFLA_VXLAN_DF, cfg->df);
	nla_put_u32(nlh, IFLA_VXLAN_LABEL, vxlan->label);
	nla_put_u8(nlh, IFLA_VXLAN_LEARNING, !!(cfg->flags & VXLAN_F_LEARN));
	nla_put_u8(nlh, IFLA_VXLAN_PROXY, !!(cfg->flags & VXLAN_F_PROXY));
	nla_put_u8(nlh, IFLA_VXLAN_RSC, !!(cfg->flags & VXLAN_F_RSC));
	nla_put_u8(nlh, IFLA_VXLAN_L2MISS, !!(cfg->flags & VXLAN_F_L2MISS));
	nla_put_u8(nlh, IFLA_VXLAN_L3MISS, !!(cfg->flags & VXLAN_F_L3MISS));
	nla_put_u8(nlh, IFLA_VXLAN_COLLECT_METADATA, !!(cfg->flags & VXLAN_F_COLLECT_METADATA));
	nla_put_u32(nlh, IFLA_VXLAN_AGEING, cfg->age_interval);
	nla_put_u32(nlh, IFLA_VXLAN_LIMIT, cfg->addrmax);
	nla_put(nlh, IFLA_VXLAN_PORT, sizeof(cfg->dst_port), &cfg->dst_port);
	nla_put_u8(nlh, IFLA_VXLAN_UDP_CSUM, !(cfg->flags & VXLAN_F_UDP_ZERO_CSUM_TX));
	nla_put_u8(nlh, IFLA_VXLAN_UDP_ZERO_CSUM6_TX, !!(cfg->flags & VXLAN_F_UDP_ZERO_CSUM6_TX));
	nla_put_u8(nlh, IFLA_VXLAN_UDP_ZERO_CSUM6_RX, !!(cfg->flags & VXLAN_F_UDP_ZERO_CSUM6_RX));
	nla_put_u8(nlh, IFLA_VXLAN_REMCSUM_TX, 0);
	nla_put_u8(nlh, IFLA_VXLAN_REMCSUM_RX, 0);
	nla_put(nlh, IFLA_VXLAN_PORT_RANGE, sizeof(ports), &ports);
	return 0;
}

static struct rtnl_link_ops vxlan_link_ops = {
	.kind = "vxlan",
	.priv_size = sizeof(struct vxlan_dev),
	.setup = vxlan_setup,
	.maxtype = IFLA_VXLAN_MAX,
	.policy = vxlan_policy,
	.validate = vxlan_validate,
	.newlink = vxlan_newlink,
	.dellink = vxlan_dellink,
	.fill_info = vxlan_fill_info,
};

static void vxlan_init_module(void)
{
	rtnl_link_register(&vxlan_link_ops);
}
module_init(vxlan_init_module);
