/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Output routes (include/net/route.h, net/ipv4/route.c).
 *
 * The routing table holds what the device addresses make: one connected
 * (on-link) route per address prefix, plus the routes `ip route add`
 * installs (a prefix via a gateway on such a link, or on a device).
 * Longest prefix wins.  The lookup is an RCU reader and allocates
 * nothing: vxlan calls it per packet.
 */
#ifndef _NET_ROUTE_H
#define _NET_ROUTE_H

#include <netinet/in.h>
#include <linux/compiler.h>

struct net_device;

struct flowi4 {
	int flowi4_oif;			/* 0: any device */
	u8 flowi4_tos;
	u8 flowi4_proto;
	__be32 daddr;
	__be32 saddr;			/* 0: the lookup picks the device's address */
};

struct ip_route_result {
	struct net_device *dev;		/* valid under rcu_read_lock() or rtnl */
	__be32 nexthop;			/* the gateway, or daddr on link */
};

/* 0, or -ENETUNREACH; fills fl4->saddr when it was 0 */
int ip_route_output(struct flowi4 *fl4, struct ip_route_result *res);

struct flowi6 {
	int flowi6_oif;
	u8 flowi6_proto;
	struct in6_addr daddr;
	struct in6_addr saddr;		/* :: -> the device's address */
};

struct ip6_route_result {
	struct net_device *dev;
	struct in6_addr nexthop;
};

int ip6_route_output(struct flowi6 *fl6, struct ip6_route_result *res);

/*
 * Connected routes are not stored: the lookups and dumps read them from
 * the device addresses.  When a device loses its last address of a
 * family (or goes away), the routes `ip route add` put on it go (rtnl),
 * as fib_disable_ip() / rt6_disable_ip() do.
 */
void ip_route_flush_dev(struct net_device *dev);
void ip6_route_flush_dev(struct net_device *dev);

/* RTM_{NEW,DEL,GET}ROUTE for AF_INET6, called by route.c's handlers */
struct nlmsghdr;
struct nl_out;
struct netlink_ext_ack;
int inet6_rtm_newroute(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack);
int inet6_rtm_delroute(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack);
int inet6_dump_fib(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack);

#endif
