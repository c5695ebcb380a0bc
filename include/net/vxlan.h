/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VXLAN devices (include/net/vxlan.h, drivers/net/vxlan/vxlan_core.c):
 * `ip link add vxlan0 type vxlan dstport 4789 external` (collect
 * metadata: the outer header comes from the packet's tunnel metadata,
 * act_tunnel_key) or `... id 98 remote 7.7.7.8 [local 7.7.7.7]` (fixed).
 *
 * Transmit builds outer Ethernet/IP(v6)/UDP/VXLAN in the skb's headroom,
 * the UDP source port from the inner flow's hash, routes the outer
 * destination (net/route.h) and resolves the next hop (net/neighbour.h)
 * on the underlay device.  Receive: the UDP port's datagrams (from the
 * underlay's local delivery, net/udp_tunnel.h) lose their outer headers
 * and enter the vxlan device's ingress, carrying rx tunnel metadata
 * (skb->tun_dst) that flower's enc_* keys match.
 */
#ifndef _NET_VXLAN_H
#define _NET_VXLAN_H

#include <netinet/in.h>
#include <linux/compiler.h>
#include <linux/netdev.h>

#define IANA_VXLAN_UDP_PORT	4789

/* the VXLAN header (RFC 7348) */
struct vxlanhdr {
	__be32 vx_flags;		/* VXLAN_HF_VNI */
	__be32 vx_vni;			/* VNI << 8 */
};
#define VXLAN_HF_VNI	BIT(27)		/* the I flag, in host order of vx_flags */
#define VXLAN_HLEN	(8 + sizeof(struct vxlanhdr))	/* UDP + VXLAN */
#define VXLAN_HEADROOM	(14 + 20 + VXLAN_HLEN)		/* outer IPv4 */
#define VXLAN6_HEADROOM	(14 + 40 + VXLAN_HLEN)		/* outer IPv6 */

static inline __be32 vxlan_vni_field(u32 vni)
{
	return htonl(vni << 8);
}

union vxlan_addr {
	struct sockaddr_in sin;
	struct sockaddr_in6 sin6;
	struct sockaddr sa;
};

struct vxlan_config {
	union vxlan_addr remote_ip;	/* fixed mode: the peer; AF_UNSPEC: none */
	union vxlan_addr saddr;		/* local; AF_UNSPEC: chosen by route */
	u32 vni;
	int remote_ifindex;		/* `dev`: the underlay device (0: by route) */
	__be16 dst_port;
	u16 port_min, port_max;		/* UDP source port range */
	u8 tos, ttl;			/* ttl 0: 64 on the wire (ip_tunnel_get_ttl) */
	u8 df;
	u32 flags;			/* VXLAN_F_* */
	unsigned int age_interval;	/* seconds, for `ip -d link` (no FDB here) */
	unsigned int addrmax;
};

#define VXLAN_F_LEARN			0x01
#define VXLAN_F_PROXY			0x02	/* flags kept for `ip -d link` only */
#define VXLAN_F_RSC			0x04
#define VXLAN_F_L2MISS			0x08
#define VXLAN_F_L3MISS			0x10
#define VXLAN_F_UDP_ZERO_CSUM_TX	0x40	/* IPv4: no outer checksum */
#define VXLAN_F_UDP_ZERO_CSUM6_TX	0x200
#define VXLAN_F_UDP_ZERO_CSUM6_RX	0x400
#define VXLAN_F_COLLECT_METADATA	0x2000
#define VXLAN_F_TTL_INHERIT		0x10000
#define VXLAN_F_IPV6			0x20000	/* the underlay is IPv6 */
/* what devices sharing a UDP port must agree on (Linux's VXLAN_F_RCV_FLAGS) */
#define VXLAN_F_RCV_FLAGS		(VXLAN_F_COLLECT_METADATA | VXLAN_F_UDP_ZERO_CSUM6_RX)

/* IFLA_VXLAN_DF */
#define VXLAN_DF_UNSET		0
#define VXLAN_DF_SET		1
#define VXLAN_DF_INHERIT	2

#define VXLAN_DEFAULT_PORT	8472	/* the kernel's vxlan_port: `dstport` not given */
#define VXLAN_N_VID		(1u << 24)

/*
 * A UDP port a vxlan device receives on (Linux's struct vxlan_sock): one
 * per (family, port), shared by the devices that are up on it and agree
 * on VXLAN_F_RCV_FLAGS.  devs is an RCU list for the receive path.
 */
struct vxlan_sock {
	struct list_head list;		/* vxlan_socks (rtnl) */
	int family;
	__be16 port;
	u32 flags;			/* VXLAN_F_RCV_FLAGS of its devices */
	unsigned int users;
	struct list_head devs;		/* struct vxlan_dev_node, RCU */
};

struct vxlan_dev_node {
	struct list_head list;
	struct vxlan_dev *vxlan;
};

struct vxlan_dev {
	struct net_device *dev;
	struct vxlan_config cfg;
	struct list_head next;		/* every vxlan device (rtnl) */
	/* while up: the sockets it receives on (a collect-metadata device has both) */
	struct vxlan_sock *vs4, *vs6;
	struct vxlan_dev_node node4, node6;
	u32 label;			/* IPv6 flow label (be32 as given) */
	u16 ip_id;			/* outer IPv4 ids */
	u64 tx_no_route, tx_neigh_queued;	/* reasons a frame did not leave at once */
};

bool netif_is_vxlan(const struct net_device *dev);

static inline const struct vxlan_dev *vxlan_dev_priv(const struct net_device *dev)
{
	return netdev_priv(dev);
}

/* the UDP destination port dev's encap uses / receives on */
static inline __be16 vxlan_dev_dst_port(const struct net_device *dev)
{
	return vxlan_dev_priv(dev)->cfg.dst_port;
}

/* true if some vxlan device receives on UDP port (RCU or rtnl) */
bool vxlan_port_in_use(__be16 port);

#endif
