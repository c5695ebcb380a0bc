/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tunnel metadata (include/net/ip_tunnels.h): the outer header a tunnel
 * device should build for a packet (act_tunnel_key "set"), or the one a
 * received packet came in (a tunnel device's rx, not modelled yet).
 */
#ifndef _NET_IP_TUNNELS_H
#define _NET_IP_TUNNELS_H

#include <endian.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <linux/compiler.h>

/*
 * tun_flags.  The kernel keeps them as __be16 constants; here they are
 * plain bits, the values are never on the wire.
 */
#define TUNNEL_CSUM		0x01	/* compute the outer UDP checksum */
#define TUNNEL_KEY		0x04	/* tun_id is set */
#define TUNNEL_DONT_FRAGMENT	0x0100

/* ip_tunnel_info.mode */
#define IP_TUNNEL_INFO_TX	0x01	/* for transmit (encap), not from rx */
#define IP_TUNNEL_INFO_IPV6	0x02	/* u.ipv6 holds the addresses */

struct ip_tunnel_key {
	__be64 tun_id;			/* VNI, as be64 of its numeric value */
	union {
		struct {
			__be32 src;
			__be32 dst;
		} ipv4;
		struct {
			struct in6_addr src;
			struct in6_addr dst;
		} ipv6;
	} u;
	u16 tun_flags;			/* TUNNEL_* */
	u8 tos;
	u8 ttl;				/* 0: the device's default */
	__be16 tp_src;
	__be16 tp_dst;			/* 0: the device's port */
};

struct ip_tunnel_info {
	struct ip_tunnel_key key;
	u8 options_len;			/* no geneve/vxlan/erspan options yet: 0 */
	u8 mode;			/* IP_TUNNEL_INFO_* */
};

/* the 24-bit VNI travels as a be32 (flower, tunnel_key); tun_id is a be64 of its value */
static inline __be64 key32_to_tunnel_id(__be32 key)
{
	return htobe64(ntohl(key));
}

static inline __be32 tunnel_id_to_key32(__be64 tun_id)
{
	return htonl((u32)be64toh(tun_id));
}

static inline unsigned short ip_tunnel_info_af(const struct ip_tunnel_info *info)
{
	return info->mode & IP_TUNNEL_INFO_IPV6 ? AF_INET6 : AF_INET;
}

#endif
