// SPDX-License-Identifier: GPL-2.0
/*
 * IPv4 addresses of devices (net/ipv4/devinet.c): `ip addr add/del/show`
 * and `ip -4 addr flush`, with Linux 6.1's answers.  An address makes its
 * prefix a connected route: route.c reads the address lists directly, so
 * nothing is installed here.  The RTM_*ADDR handlers serve both families
 * (rtnetlink here keys handlers by message type only) and pass AF_INET6
 * to addrconf.c.
 *
 * Writers hold rtnl; readers (ARP, local delivery, route lookups) walk
 * ifa_list under RCU.
 */
#include <errno.h>
#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/init.h>
#include <linux/jiffies.h>
#include <linux/netdev.h>
#include <linux/slab.h>
#include <linux/inetdevice.h>
#include <net/neighbour.h>
#include <net/route.h>
#include <net/rtnetlink.h>

#define INFINITY_LIFE_TIME	0xFFFFFFFF

static const struct nla_policy ifa_ipv4_policy[IFA_MAX + 1] = {
	[IFA_LOCAL] = { .type = NLA_U32 },
	[IFA_ADDRESS] = { .type = NLA_U32 },
	[IFA_BROADCAST] = { .type = NLA_U32 },
	[IFA_LABEL] = { .type = NLA_STRING, .len = IFNAMSIZ - 1 },
	[IFA_CACHEINFO] = { .type = NLA_UNSPEC, .len = sizeof(struct ifa_cacheinfo) },
	[IFA_FLAGS] = { .type = NLA_U32 },
	[IFA_RT_PRIORITY] = { .type = NLA_U32 },
};

static bool inet_ifa_match(__be32 addr, const struct in_ifaddr *ifa)
{
	return !((addr ^ ifa->ifa_address) & ifa->ifa_mask);
}

bool inet_addr_is_local(const struct net_device *dev, __be32 addr)
{
	struct in_device *in_dev = rcu_dereference(dev->ip_ptr);
	struct in_ifaddr *ifa;

	if (!in_dev)
		return false;
	for (ifa = rcu_dereference(in_dev->ifa_list); ifa; ifa = rcu_dereference(ifa->ifa_next))
		if (ifa->ifa_local == addr)
			return true;
	return false;
}

struct net_device *__ip_dev_find(__be32 addr)
{
	struct net_device *dev;

	for_each_netdev(dev)
		if (inet_addr_is_local(dev, addr))
			return dev;
	return NULL;
}

__be32 inet_select_addr(const struct net_device *dev, __be32 dst, int scope)
{
	struct in_device *in_dev = rcu_dereference(dev->ip_ptr);
	struct in_ifaddr *ifa;
	__be32 first = 0;

	if (!in_dev)
		return 0;
	for (ifa = rcu_dereference(in_dev->ifa_list); ifa; ifa = rcu_dereference(ifa->ifa_next)) {
		if (ifa->ifa_scope > scope || (ifa->ifa_flags & IFA_F_SECONDARY))
			continue;
		if (!dst || inet_ifa_match(dst, ifa))
			return ifa->ifa_local;
		if (!first)
			first = ifa->ifa_local;
	}
	return first;
}

static int inet_fill_ifaddr(struct nl_out *out, const struct net_device *dev,
			    const struct in_ifaddr *ifa, int type, u32 seq, u16 flags)
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
	ifm->ifa_family = AF_INET;
	ifm->ifa_prefixlen = ifa->ifa_prefixlen;
	ifm->ifa_flags = ifa->ifa_flags;
	ifm->ifa_scope = ifa->ifa_scope;
	ifm->ifa_index = dev->ifindex;
	nla_put(nlh, IFA_ADDRESS, 4, &ifa->ifa_address);
	nla_put(nlh, IFA_LOCAL, 4, &ifa->ifa_local);
	if (ifa->ifa_broadcast)
		nla_put(nlh, IFA_BROADCAST, 4, &ifa->ifa_broadcast);
	nla_put_string(nlh, IFA_LABEL, ifa->ifa_label);
	nla_put_u32(nlh, IFA_FLAGS, ifa->ifa_flags);
	nla_put(nlh, IFA_CACHEINFO, sizeof(ci), &ci);
	nl_out_end(out, nlh);
	return 0;
}

static void inet_notify_ifaddr(const struct net_device *dev, const struct in_ifaddr *ifa,
			       int type, const struct nlmsghdr *req)
{
	struct nl_out ev;

	nl_out_init(&ev, 0);
	if (!inet_fill_ifaddr(&ev, dev, ifa, type, req ? req->nlmsg_seq : 0, 0))
		rtnl_notify(&ev, NETLINK_ROUTE, RTNLGRP_IPV4_IFADDR);
	nl_out_free(&ev);
}

static struct in_device *inetdev_get(struct net_device *dev)
{
	struct in_device *in_dev = dev->ip_ptr;

	if (in_dev)
		return in_dev;
	in_dev = kzalloc(sizeof(*in_dev), GFP_KERNEL);
	if (!in_dev)
		return NULL;
	in_dev->dev = dev;
	rcu_assign_pointer(dev->ip_ptr, in_dev);
	return in_dev;
}

static void inet_ifa_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct in_ifaddr, rcu));
}

static void in_dev_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct in_device, rcu));
}

/* the last address went: the device leaves IPv4 (routes, neighbours, ip_ptr) */
static void inetdev_release(struct net_device *dev)
{
	struct in_device *in_dev = dev->ip_ptr;

	ip_route_flush_dev(dev);
	neigh_ifdown(&arp_tbl, dev);
	rcu_assign_pointer(dev->ip_ptr, NULL);
	call_rcu(&in_dev->rcu, in_dev_free_rcu);
}

/* unlink *ifap (rtnl); its secondaries go with a primary, as without promote_secondaries */
static void inet_del_ifa(struct net_device *dev, struct in_ifaddr **ifap,
			 const struct nlmsghdr *req)
{
	struct in_device *in_dev = dev->ip_ptr;
	struct in_ifaddr *ifa = *ifap, **p;

	rcu_assign_pointer(*ifap, ifa->ifa_next);
	if (!(ifa->ifa_flags & IFA_F_SECONDARY)) {
		for (p = &in_dev->ifa_list; *p;) {
			struct in_ifaddr *sec = *p;

			if (!(sec->ifa_flags & IFA_F_SECONDARY) || sec->ifa_mask != ifa->ifa_mask ||
			    !inet_ifa_match(sec->ifa_address, ifa)) {
				p = &sec->ifa_next;
				continue;
			}
			rcu_assign_pointer(*p, sec->ifa_next);
			inet_notify_ifaddr(dev, sec, RTM_DELADDR, req);
			call_rcu(&sec->rcu, inet_ifa_free_rcu);
		}
	}
	inet_notify_ifaddr(dev, ifa, RTM_DELADDR, req);
	call_rcu(&ifa->rcu, inet_ifa_free_rcu);
	if (!in_dev->ifa_list)
		inetdev_release(dev);
}

/* link ifa in (rtnl): after the primaries when secondary, as __inet_insert_ifa does */
static int inet_insert_ifa(struct net_device *dev, struct in_ifaddr *ifa,
			   const struct nlmsghdr *req, struct netlink_ext_ack *extack)
{
	struct in_device *in_dev = inetdev_get(dev);
	struct in_ifaddr **ifap, **last_primary, *i;

	if (!in_dev)
		return -ENOBUFS;
	last_primary = &in_dev->ifa_list;
	for (ifap = &in_dev->ifa_list; (i = *ifap); ifap = &i->ifa_next) {
		if (!(i->ifa_flags & IFA_F_SECONDARY))
			last_primary = &i->ifa_next;
		if (i->ifa_mask != ifa->ifa_mask || !inet_ifa_match(ifa->ifa_address, i))
			continue;
		if (i->ifa_local == ifa->ifa_local)
			return -EEXIST;
		if (i->ifa_scope != ifa->ifa_scope) {
			NL_SET_ERR_MSG(extack, "ipv4: Invalid scope value");
			return -EINVAL;
		}
		ifa->ifa_flags |= IFA_F_SECONDARY;
	}
	/* secondaries go last, primaries after the last primary */
	if (!(ifa->ifa_flags & IFA_F_SECONDARY))
		ifap = last_primary;
	ifa->ifa_next = *ifap;
	rcu_assign_pointer(*ifap, ifa);
	inet_notify_ifaddr(dev, ifa, RTM_NEWADDR, req);
	return 0;
}

static struct net_device *inet_rtm_dev(const struct ifaddrmsg *ifm)
{
	return ifm->ifa_index ? dev_get_by_index(ifm->ifa_index) : NULL;
}

static int inet_rtm_newaddr(struct nlmsghdr *n, struct nl_out *out,
			    struct netlink_ext_ack *extack)
{
	struct ifaddrmsg *ifm = mnl_nlmsg_get_payload(n);
	struct nlattr *tb[IFA_MAX + 1];
	struct net_device *dev;
	struct in_ifaddr *ifa;
	int err;

	err = nlmsg_parse(n, sizeof(*ifm), tb, IFA_MAX, ifa_ipv4_policy, extack);
	if (err < 0)
		return err;
	if (ifm->ifa_prefixlen > 32 || !tb[IFA_LOCAL])
		return -EINVAL;
	dev = inet_rtm_dev(ifm);
	if (!dev)
		return -ENODEV;
	ifa = kzalloc(sizeof(*ifa), GFP_KERNEL);
	if (!ifa)
		return -ENOBUFS;
	ifa->ifa_prefixlen = ifm->ifa_prefixlen;
	ifa->ifa_mask = inet_make_mask(ifm->ifa_prefixlen);
	ifa->ifa_local = nla_get_u32(tb[IFA_LOCAL]);
	ifa->ifa_address = tb[IFA_ADDRESS] ? nla_get_u32(tb[IFA_ADDRESS]) : ifa->ifa_local;
	if (tb[IFA_BROADCAST])
		ifa->ifa_broadcast = nla_get_u32(tb[IFA_BROADCAST]);
	ifa->ifa_flags = (tb[IFA_FLAGS] ? nla_get_u32(tb[IFA_FLAGS]) : ifm->ifa_flags) |
			 IFA_F_PERMANENT;
	ifa->ifa_flags &= ~IFA_F_SECONDARY;
	ifa->ifa_scope = ifm->ifa_scope;
	if (tb[IFA_LABEL])
		nla_strscpy(ifa->ifa_label, tb[IFA_LABEL], IFNAMSIZ);
	else
		memcpy(ifa->ifa_label, dev->name, IFNAMSIZ);
	err = inet_insert_ifa(dev, ifa, n, extack);
	if (err)
		kfree(ifa);
	return err;
}

static int inet_rtm_deladdr(struct nlmsghdr *n, struct nl_out *out,
			    struct netlink_ext_ack *extack)
{
	struct ifaddrmsg *ifm = mnl_nlmsg_get_payload(n);
	struct nlattr *tb[IFA_MAX + 1];
	struct in_ifaddr **ifap, *ifa;
	struct net_device *dev;
	int err;

	err = nlmsg_parse(n, sizeof(*ifm), tb, IFA_MAX, ifa_ipv4_policy, extack);
	if (err < 0)
		return err;
	dev = inet_rtm_dev(ifm);
	if (!dev)
		return -ENODEV;
	if (!dev->ip_ptr)
		return -EADDRNOTAVAIL;
	for (ifap = &dev->ip_ptr->ifa_list; (ifa = *ifap); ifap = &ifa->ifa_next) {
		if (tb[IFA_LOCAL] && ifa->ifa_local != nla_get_u32(tb[IFA_LOCAL]))
			continue;
		if (tb[IFA_LABEL] && nla_strcmp(tb[IFA_LABEL], ifa->ifa_label))
			continue;
		if (tb[IFA_ADDRESS] && (ifm->ifa_prefixlen != ifa->ifa_prefixlen ||
					!inet_ifa_match(nla_get_u32(tb[IFA_ADDRESS]), ifa)))
			continue;
		inet_del_ifa(dev, ifap, n);
		return 0;
	}
	return -EADDRNOTAVAIL;
}

static void inet_dump_dev(struct nl_out *out, const struct net_device *dev, u32 seq)
{
	struct in_ifaddr *ifa;

	if (!dev->ip_ptr)
		return;
	for (ifa = dev->ip_ptr->ifa_list; ifa; ifa = ifa->ifa_next)
		inet_fill_ifaddr(out, dev, ifa, RTM_NEWADDR, seq, NLM_F_MULTI);
}

/* every device's addresses; iproute2 filters by device itself */
static int inet_dump_ifaddr(struct nlmsghdr *n, struct nl_out *out,
			    struct netlink_ext_ack *extack)
{
	struct ifaddrmsg *ifm = mnl_nlmsg_get_payload(n);
	u8 family = n->nlmsg_len >= NLMSG_LENGTH(1) ? ifm->ifa_family : AF_UNSPEC;
	struct net_device *dev;

	if (family == AF_INET || family == AF_UNSPEC)
		for_each_netdev(dev)
			inet_dump_dev(out, dev, n->nlmsg_seq);
	if (family == AF_INET6 || family == AF_UNSPEC)
		return inet6_dump_ifaddr(n, out, extack);
	return 0;
}

static int rtm_newaddr(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack)
{
	struct ifaddrmsg *ifm = mnl_nlmsg_get_payload(n);

	switch (ifm->ifa_family) {
	case AF_INET:
		return inet_rtm_newaddr(n, out, extack);
	case AF_INET6:
		return inet6_rtm_newaddr(n, out, extack);
	default:
		return -EAFNOSUPPORT;
	}
}

static int rtm_deladdr(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack)
{
	struct ifaddrmsg *ifm = mnl_nlmsg_get_payload(n);

	switch (ifm->ifa_family) {
	case AF_INET:
		return inet_rtm_deladdr(n, out, extack);
	case AF_INET6:
		return inet6_rtm_deladdr(n, out, extack);
	default:
		return -EAFNOSUPPORT;
	}
}

void inetdev_destroy(struct net_device *dev)
{
	while (dev->ip_ptr)
		inet_del_ifa(dev, &dev->ip_ptr->ifa_list, NULL);
}

static void devinet_init(void)
{
	rtnl_register(RTM_NEWADDR, rtm_newaddr, NULL);
	rtnl_register(RTM_DELADDR, rtm_deladdr, NULL);
	rtnl_register(RTM_GETADDR, NULL, inet_dump_ifaddr);
}

module_init(devinet_init);
