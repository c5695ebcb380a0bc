/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IPv6 addresses of a device (include/net/addrconf.h, net/ipv6/addrconf.c):
 * `ip -6 addr add/del/show`.  Only what the underlay needs: static
 * addresses (no autoconfiguration, no DAD: an address is usable at once).
 * dev->ip6_ptr is NULL until the device's first IPv6 address.
 * Locking as for IPv4 (linux/inetdevice.h).
 */
#ifndef _NET_ADDRCONF_H
#define _NET_ADDRCONF_H

#include <netinet/in.h>
#include <linux/compiler.h>
#include <linux/rcupdate.h>

struct net_device;

struct inet6_ifaddr {
	struct inet6_ifaddr *if_next;	/* RCU */
	struct in6_addr addr;
	u8 prefix_len;
	u8 scope;			/* RT_SCOPE_* of the UAPI */
	u32 flags;			/* IFA_F_* */
	struct rcu_head rcu;
};

struct inet6_dev {
	struct net_device *dev;
	struct inet6_ifaddr *addr_list;	/* RCU */
	struct rcu_head rcu;
};

/* the device that owns addr (RCU or rtnl), or NULL */
struct net_device *ipv6_dev_find(const struct in6_addr *addr);
/* 0 and *saddr set to an address of dev (on daddr's prefix if any), or -EADDRNOTAVAIL */
int ipv6_dev_get_saddr(const struct net_device *dev, const struct in6_addr *daddr,
		       struct in6_addr *saddr);
/* addr is one of dev's addresses (RCU or rtnl) */
bool ipv6_addr_is_local(const struct net_device *dev, const struct in6_addr *addr);
/* the device is going away: its addresses, routes and neighbours go (rtnl) */
void addrconf_ifdown(struct net_device *dev);

#endif
