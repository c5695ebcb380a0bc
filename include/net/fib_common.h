/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the IPv4 and IPv6 route tables (net/ipv4/route.c, net/ipv6/route.c)
 * share, in net/core/fib_common.c: the checks of an RTM_NEWROUTE/DELROUTE
 * request that do not depend on the family (as rtm_to_fib_config() and
 * rtm_to_fib6_config() make them), and the array a route dump collects
 * its routes into before sorting them.  Both under rtnl.
 */
#ifndef _NET_FIB_COMMON_H
#define _NET_FIB_COMMON_H

#include <stddef.h>
#include <linux/compiler.h>
#include <net/netlink.h>

/*
 * 0, or an error with the reason in extack: the prefix length is at most
 * max_prefixlen, the table (RTA_TABLE or rtm_table) is the main one, and
 * a new route is unicast.  tb is the request's parsed attributes.
 */
int fib_rtm_check(const struct nlmsghdr *n, struct nlattr **tb, u8 max_prefixlen,
		  struct netlink_ext_ack *extack);

/* a growing array of routes of size bytes each */
struct fib_dump_array {
	void *routes;
	size_t nr, cap, size;
};

#define FIB_DUMP_ARRAY_INIT(type) { .size = sizeof(type) }

/* a copy of rt appended; -ENOMEM */
int fib_dump_add(struct fib_dump_array *a, const void *rt);
void fib_dump_free(struct fib_dump_array *a);

#endif
