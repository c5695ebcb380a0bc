// SPDX-License-Identifier: GPL-2.0
/*
 * IPv6 addresses of devices (net/ipv6/addrconf.c), only what an underlay
 * needs: static addresses from `ip -6 addr add/del/show`, usable at once.
 * There is no autoconfiguration, no link-local address and no DAD (as
 * with `nodad`), and no lifetimes: every address is permanent.  The
 * prefix of an address is a connected route (route.c reads the list).
 * devinet.c's RTM_*ADDR handlers call in here for AF_INET6.
 *
 * Writers hold rtnl; readers walk addr_list under RCU.
 */
#include <errno.h>
#include <linux/if_addr.h>
#include <linux/netdev.h>
#include <linux/slab.h>
#include <linux/inetdevice.h>
#include <net/addrconf.h>
#include <net/ipv6.h>
#include <net/neighbour.h>
#include <net/route.h>
#include <net/rtnetlink.h>

#define INFINITY_LIFE_TIME	0xFFFFFFFF

static const struct nla_policy ifa_ipv6_policy[IFA_MAX + 1] = {
	[IFA_ADDRESS] = { .type = NLA_EXACT_LEN, .len = sizeof(struct in6_addr) },
	[IFA_LOCAL] = { .type = NLA_EXACT_LEN, .len = sizeof(struct in6_addr) },
	[IFA_CACHEINFO] = { .type = NLA_UNSPEC, .len = sizeof(struct ifa_cacheinfo) },
	[IFA_FLAGS] = { .type = NLA_U32 },
	[IFA_RT_PRIORITY] = { .type = NLA_U32 },
};

bool ipv6_addr_is_local(const struct net_device *dev, const struct in6_addr *addr)
{
	struct inet6_dev *idev = rcu_dereference(dev->ip6_ptr);
	struct inet6_ifaddr *ifp;

	if (!idev)
		return false;
	for (ifp = rcu_dereference(idev->addr_list); ifp; ifp = rcu_dereference(ifp->if_next))
		if (!memcmp(&ifp->addr, addr, sizeof(*addr)))
			return true;
	return false;
}

struct net_device *ipv6_dev_find(const struct in6_addr *addr)
{
	struct net_device *dev;

	for_each_netdev(dev)
		if (ipv6_addr_is_local(dev, addr))
			return dev;
	return NULL;
}

int ipv6_dev_get_saddr(const struct net_device *dev, const struct in6_addr *daddr,
		       struct in6_addr *saddr)
{
	struct inet6_dev *idev = rcu_dereference(dev->ip6_ptr);
	struct inet6_ifaddr *ifp, *first = NULL;

	if (!idev)
		return -EADDRNOTAVAIL;
	for (ifp = rcu_dereference(idev->addr_list); ifp; ifp = rcu_dereference(ifp->if_next)) {
		if (daddr && ipv6_prefix_equal(&ifp->addr, daddr, ifp->prefix_len)) {
			*saddr = ifp->addr;
			return 0;
		}
		if (!first)
			first = ifp;
	}
	if (!first)
		return -EADDRNOTAVAIL;
	*saddr = first->addr;
	return 0;
}

static int inet6_fill_ifaddr(struct nl_out *out, const struct net_device *dev,
			     const struct inet6_ifaddr *ifp, int type, u32 seq, u16 flags)
{
	struct nlmsghdr *nlh = nl_out_put(out, seq, type, flags, sizeof(struct ifaddrmsg));
	struct ifa_cacheinfo ci = {
		.ifa_prefered = INFINITY_LIFE_TIME,
		.ifa_valid = INFINITY_LIFE_TIME,
	};
	struct ifaddrmsg *ifm;

	if (!nlh)
		return -EMSGSIZE;
	ifm = mnl_nlmsg_get_payload(nlh);
	ifm->ifa_family = AF_INET6;
	ifm->ifa_prefixlen = ifp->prefix_len;
	ifm->ifa_flags = ifp->flags;
	ifm->ifa_scope = ifp->scope;
	ifm->ifa_index = dev->ifindex;
	nla_put(nlh, IFA_ADDRESS, sizeof(ifp->addr), &ifp->addr);
	nla_put(nlh, IFA_CACHEINFO, sizeof(ci), &ci);
	nla_put_u32(nlh, IFA_FLAGS, ifp->flags);
	nl_out_end(out, nlh);
	return 0;
}

static void inet6_notify_ifaddr(const struct net_device *dev, const struct inet6_ifaddr *ifp,
				int type, const struct nlmsghdr *req)
{
	struct nl_out ev;

	nl_out_init(&ev, 0);
	if (!inet6_fill_ifaddr(&ev, dev, ifp, type, req ? req->nlmsg_seq : 0, 0))
		rtnl_notify(&ev, NETLINK_ROUTE, RTNLGRP_IPV6_IFADDR);
	nl_out_free(&ev);
}

static void inet6_ifa_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct inet6_ifaddr, rcu));
}

static void inet6_dev_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct inet6_dev, rcu));
}

/* unlink *ifpp (rtnl); the last address takes the device out of IPv6 */
static void inet6_del_ifa(struct net_device *dev, struct inet6_ifaddr **ifpp,
			  const struct nlmsghdr *req)
{
	struct inet6_dev *idev = dev->ip6_ptr;
	struct inet6_ifaddr *ifp = *ifpp;

	rcu_assign_pointer(*ifpp, ifp->if_next);
	inet6_notify_ifaddr(dev, ifp, RTM_DELADDR, req);
	call_rcu(&ifp->rcu, inet6_ifa_free_rcu);
	if (idev->addr_list)
		return;
	ip6_route_flush_dev(dev);
	neigh_ifdown(&nd_tbl, dev);
	rcu_assign_pointer(dev->ip6_ptr, NULL);
	call_rcu(&idev->rcu, inet6_dev_free_rcu);
}

static const struct in6_addr *inet6_rtm_addr(struct nlattr **tb)
{
	if (tb[IFA_LOCAL])
		return nla_data(tb[IFA_LOCAL]);
	return tb[IFA_ADDRESS] ? nla_data(tb[IFA_ADDRESS]) : NULL;
}

int inet6_rtm_newaddr(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack)
{
	struct ifaddrmsg *ifm = mnl_nlmsg_get_payload(n);
	struct inet6_ifaddr *ifp, **last;
	struct nlattr *tb[IFA_MAX + 1];
	const struct in6_addr *addr;
	struct inet6_dev *idev;
	struct net_device *dev;
	int err;

	err = nlmsg_parse(n, sizeof(*ifm), tb, IFA_MAX, ifa_ipv6_policy, extack);
	if (err < 0)
		return err;
	addr = inet6_rtm_addr(tb);
	if (!addr || ifm->ifa_prefixlen > 128)
		return -EINVAL;
	dev = ifm->ifa_index ? dev_get_by_index(ifm->ifa_index) : NULL;
	if (!dev)
		return -ENODEV;
	idev = dev->ip6_ptr;
	for (last = idev ? &idev->addr_list : NULL; last && *last; last = &(*last)->if_next)
		if (!memcmp(&(*last)->addr, addr, sizeof(*addr)))
			return -EEXIST;
	ifp = kzalloc(sizeof(*ifp), GFP_KERNEL);
	if (!idev) {
		idev = kzalloc(sizeof(*idev), GFP_KERNEL);
		if (!idev || !ifp) {
			kfree(idev);
			kfree(ifp);
			return -ENOBUFS;
		}
		idev->dev = dev;
		last = &idev->addr_list;
		rcu_assign_pointer(dev->ip6_ptr, idev);
	} else if (!ifp) {
		return -ENOBUFS;
	}
	ifp->addr = *addr;
	ifp->prefix_len = ifm->ifa_prefixlen;
	ifp->scope = RT_SCOPE_UNIVERSE;
	ifp->flags = (tb[IFA_FLAGS] ? nla_get_u32(tb[IFA_FLAGS]) : ifm->ifa_flags) & IFA_F_NODAD;
	ifp->flags |= IFA_F_PERMANENT;
	rcu_assign_pointer(*last, ifp);
	inet6_notify_ifaddr(dev, ifp, RTM_NEWADDR, n);
	return 0;
}

int inet6_rtm_deladdr(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack)
{
	struct ifaddrmsg *ifm = mnl_nlmsg_get_payload(n);
	struct nlattr *tb[IFA_MAX + 1];
	const struct in6_addr *addr;
	struct inet6_ifaddr **ifpp;
	struct net_device *dev;
	int err;

	err = nlmsg_parse(n, sizeof(*ifm), tb, IFA_MAX, ifa_ipv6_policy, extack);
	if (err < 0)
		return err;
	addr = inet6_rtm_addr(tb);
	if (!addr)
		return -EINVAL;
	dev = ifm->ifa_index ? dev_get_by_index(ifm->ifa_index) : NULL;
	if (!dev)
		return -ENODEV;
	if (!dev->ip6_ptr)
		return -EADDRNOTAVAIL;
	for (ifpp = &dev->ip6_ptr->addr_list; *ifpp; ifpp = &(*ifpp)->if_next) {
		if (memcmp(&(*ifpp)->addr, addr, sizeof(*addr)) ||
		    (*ifpp)->prefix_len != ifm->ifa_prefixlen)
			continue;
		inet6_del_ifa(dev, ifpp, n);
		return 0;
	}
	return -EADDRNOTAVAIL;
}

int inet6_dump_ifaddr(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack)
{
	struct inet6_ifaddr *ifp;
	struct net_device *dev;

	for_each_netdev(dev) {
		if (!dev->ip6_ptr)
			continue;
		for (ifp = dev->ip6_ptr->addr_list; ifp; ifp = ifp->if_next)
			inet6_fill_ifaddr(out, dev, ifp, RTM_NEWADDR, n->nlmsg_seq, NLM_F_MULTI);
	}
	return 0;
}

void addrconf_ifdown(struct net_device *dev)
{
	while (dev->ip6_ptr)
		inet6_del_ifa(dev, &dev->ip6_ptr->addr_list, NULL);
}
