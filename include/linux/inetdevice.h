/* SPDX-License-Identifier: GPL-2.0 */
/*
 * IPv4 addresses of a device (include/linux/inetdevice.h,
 * net/ipv4/devinet.c), set with `ip addr add/del` (RTM_NEWADDR/DELADDR)
 * and listed with `ip addr show` (RTM_GETADDR), as Linux 6.1 does.
 * dev->ip_ptr is NULL until the device's first IPv4 address.
 *
 * Readers (the datapath: ARP, local delivery, source address selection)
 * walk ifa_list under RCU; writers hold rtnl.
 */
#ifndef _LINUX_INETDEVICE_H
#define _LINUX_INETDEVICE_H

#include <netinet/in.h>
#include <net/if.h>
#include <linux/compiler.h>
#include <linux/rcupdate.h>

struct net_device;

struct in_ifaddr {
	struct in_ifaddr *ifa_next;	/* RCU */
	__be32 ifa_local;
	__be32 ifa_address;		/* the peer (or ifa_local) */
	__be32 ifa_mask;
	__be32 ifa_broadcast;
	u8 ifa_prefixlen;
	u8 ifa_scope;			/* RT_SCOPE_* */
	u32 ifa_flags;			/* IFA_F_* */
	char ifa_label[IFNAMSIZ];
	struct rcu_head rcu;
};

struct in_device {
	struct net_device *dev;
	struct in_ifaddr *ifa_list;	/* RCU; primary addresses first */
	struct rcu_head rcu;
};

/* an address of dev on dst's subnet, else its first one, else 0 */
__be32 inet_select_addr(const struct net_device *dev, __be32 dst, int scope);
/* the device that owns addr as a local address, or NULL (RCU or rtnl) */
struct net_device *__ip_dev_find(__be32 addr);
/* addr is one of dev's local addresses (RCU or rtnl) */
bool inet_addr_is_local(const struct net_device *dev, __be32 addr);
/* the device is going away: its addresses, routes and neighbours go (rtnl) */
void inetdev_destroy(struct net_device *dev);

static inline __be32 inet_make_mask(int plen)
{
	return plen ? htonl(~0U << (32 - plen)) : 0;
}

/* RTM_{NEW,DEL,GET}ADDR for AF_INET6, called by devinet.c's handlers */
struct nlmsghdr;
struct nl_out;
struct netlink_ext_ack;
int inet6_rtm_newaddr(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack);
int inet6_rtm_deladdr(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack);
int inet6_dump_ifaddr(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack);

#endif
