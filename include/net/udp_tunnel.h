/* SPDX-License-Identifier: GPL-2.0 */
/*
 * UDP tunnel sockets (include/net/udp_tunnel.h): a tunnel driver claims a
 * UDP port on the host's addresses; IPv4/IPv6 local delivery
 * (net/ipv4/ip_input.c, net/ipv6/ip6_input.c) hands it the datagrams
 * that arrive for that port on a local address.
 *
 * encap_rcv gets the skb with data at the UDP header, network_header at
 * the outer IP header, transport_header at the UDP header; it consumes
 * the skb in every case.  Registration is a control-plane act (rtnl);
 * delivery is an RCU reader.
 */
#ifndef _NET_UDP_TUNNEL_H
#define _NET_UDP_TUNNEL_H

#include <linux/compiler.h>
#include <linux/skbuff.h>

struct udp_tunnel_sock_cfg {
	void *sk_user_data;
	int (*encap_rcv)(void *sk_user_data, struct sk_buff *skb);
};

/* family AF_INET or AF_INET6; -EADDRINUSE when the port is taken */
int udp_tunnel_sock_register(int family, __be16 port, const struct udp_tunnel_sock_cfg *cfg);
void udp_tunnel_sock_release(int family, __be16 port);
/* the cfg for port, or NULL (RCU) */
const struct udp_tunnel_sock_cfg *udp_tunnel_sock_lookup(int family, __be16 port);
/*
 * Local delivery of a UDP datagram to the tunnel on its destination port
 * (RCU): transport_header at the UDP header, avail bytes of IP payload
 * from there, saddr/daddr the family's addresses (__be32 or in6_addr) for
 * the checksum.  Consumes skb; drops what is short, unclaimed or corrupt.
 */
int udp_tunnel_deliver(struct sk_buff *skb, int family, const void *saddr, const void *daddr,
		       unsigned int avail);

#endif
