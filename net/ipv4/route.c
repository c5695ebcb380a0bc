// SPDX-License-Identifier: GPL-2.0
/*
 * IPv4 output routes (net/ipv4/route.c and the main table of fib_*.c):
 * the connected prefix of every device address, read from the address
 * lists, plus what `ip route add` installs (a prefix via an on-link
 * gateway, or on a device).  The longest prefix wins.  A handful of
 * routes on an underlay, so lists: ip_route_output() walks them under
 * RCU and allocates nothing (vxlan calls it per packet).
 *
 * The RTM_*ROUTE handlers serve both families and pass AF_INET6 on to
 * net/ipv6/route.c.  Writers hold rtnl.
 */
#include <errno.h>
#include <stdlib.h>
#include <arpa/inet.h>
#include <linux/if_addr.h>
#include <linux/init.h>
#include <linux/netdev.h>
#include <linux/slab.h>
#include <linux/inetdevice.h>
#include <net/fib_common.h>
#include <net/route.h>
#include <net/rtnetlink.h>

struct fib4_route {
	struct list_head list;
	__be32 dst;
	u8 dst_len;
	u8 protocol;			/* RTPROT_* */
	u8 scope;			/* RT_SCOPE_* */
	u32 priority;
	__be32 gw;			/* 0: on link */
	__be32 prefsrc;
	struct net_device *dev;
	struct rcu_head rcu;
};

static LIST_HEAD(fib4_routes);

static const struct nla_policy rtm_ipv4_policy[RTA_MAX + 1] = {
	[RTA_DST] = { .type = NLA_U32 },
	[RTA_GATEWAY] = { .type = NLA_U32 },
	[RTA_OIF] = { .type = NLA_U32 },
	[RTA_PRIORITY] = { .type = NLA_U32 },
	[RTA_PREFSRC] = { .type = NLA_U32 },
	[RTA_TABLE] = { .type = NLA_U32 },
};

static bool fib4_match(__be32 addr, __be32 dst, u8 dst_len)
{
	return !((addr ^ dst) & inet_make_mask(dst_len));
}

/* the on-link (connected) address of a device whose prefix holds addr (RCU) */
static const struct in_ifaddr *fib4_connected(const struct net_device *dev, __be32 addr)
{
	struct in_device *in_dev = rcu_dereference(dev->ip_ptr);
	const struct in_ifaddr *ifa, *best = NULL;

	if (!in_dev || !(dev->flags & IFF_UP))
		return NULL;
	for (ifa = rcu_dereference(in_dev->ifa_list); ifa; ifa = rcu_dereference(ifa->ifa_next))
		if (!(ifa->ifa_flags & IFA_F_SECONDARY) &&
		    fib4_match(addr, ifa->ifa_address, ifa->ifa_prefixlen) &&
		    (!best || ifa->ifa_prefixlen > best->ifa_prefixlen))
			best = ifa;
	return best;
}

int ip_route_output(struct flowi4 *fl4, struct ip_route_result *res)
{
	const struct fib4_route *rt, *best_rt = NULL;
	struct net_device *dev, *best_dev = NULL;
	__be32 prefsrc = 0;
	int best_len = -1;

	for_each_netdev(dev) {
		const struct in_ifaddr *ifa;

		if (fl4->flowi4_oif && dev->ifindex != fl4->flowi4_oif)
			continue;
		ifa = fib4_connected(dev, fl4->daddr);
		if (ifa && ifa->ifa_prefixlen > best_len) {
			best_len = ifa->ifa_prefixlen;
			best_dev = dev;
			prefsrc = ifa->ifa_local;
		}
	}
	list_for_each_entry_rcu(rt, &fib4_routes, list) {
		if (rt->dst_len <= best_len || !fib4_match(fl4->daddr, rt->dst, rt->dst_len) ||
		    (fl4->flowi4_oif && rt->dev->ifindex != fl4->flowi4_oif) ||
		    !(rt->dev->flags & IFF_UP))
			continue;
		best_len = rt->dst_len;
		best_rt = rt;
	}
	if (best_len < 0)
		return -ENETUNREACH;
	if (best_rt) {
		best_dev = best_rt->dev;
		res->nexthop = best_rt->gw ? best_rt->gw : fl4->daddr;
		prefsrc = best_rt->prefsrc ? best_rt->prefsrc :
			  inet_select_addr(best_dev, res->nexthop, RT_SCOPE_UNIVERSE);
	} else {
		res->nexthop = fl4->daddr;
	}
	res->dev = best_dev;
	if (!fl4->saddr)
		fl4->saddr = prefsrc;
	return 0;
}

/* ---- rtnetlink ---- */

static void fib4_fill(struct nl_out *out, const struct fib4_route *rt, int type, u32 seq,
		      u16 flags)
{
	struct nlmsghdr *nlh = nl_out_put(out, seq, type, flags, sizeof(struct rtmsg));
	struct rtmsg *rtm;

	if (!nlh)
		return;
	rtm = mnl_nlmsg_get_payload(nlh);
	rtm->rtm_family = AF_INET;
	rtm->rtm_dst_len = rt->dst_len;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = rt->protocol;
	rtm->rtm_scope = rt->scope;
	rtm->rtm_type = RTN_UNICAST;
	nla_put_u32(nlh, RTA_TABLE, RT_TABLE_MAIN);
	if (rt->dst_len)
		nla_put(nlh, RTA_DST, 4, &rt->dst);
	if (rt->priority)
		nla_put_u32(nlh, RTA_PRIORITY, rt->priority);
	if (rt->prefsrc)
		nla_put(nlh, RTA_PREFSRC, 4, &rt->prefsrc);
	if (rt->gw)
		nla_put(nlh, RTA_GATEWAY, 4, &rt->gw);
	nla_put_u32(nlh, RTA_OIF, rt->dev->ifindex);
	nl_out_end(out, nlh);
}

static void fib4_notify(const struct fib4_route *rt, int type, const struct nlmsghdr *req)
{
	struct nl_out ev;

	nl_out_init(&ev, 0);
	fib4_fill(&ev, rt, type, req ? req->nlmsg_seq : 0, 0);
	rtnl_notify(&ev, NETLINK_ROUTE, RTNLGRP_IPV4_ROUTE);
	nl_out_free(&ev);
}

static int fib4_cmp(const void *a, const void *b)
{
	const struct fib4_route *x = a, *y = b;
	u32 ka = ntohl(x->dst), kb = ntohl(y->dst);

	if (ka != kb)
		return ka < kb ? -1 : 1;
	return (int)x->dst_len - (int)y->dst_len;
}

/* the connected routes (one per primary prefix) and the added ones, in key order */
static int inet_dump_fib(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack)
{
	struct fib_dump_array rts = FIB_DUMP_ARRAY_INIT(struct fib4_route);
	struct fib4_route *rt, conn;
	struct net_device *dev;
	struct in_ifaddr *ifa;
	size_t i;

	for_each_netdev(dev) {
		if (!dev->ip_ptr || !(dev->flags & IFF_UP))
			continue;
		for (ifa = dev->ip_ptr->ifa_list; ifa; ifa = ifa->ifa_next) {
			if (ifa->ifa_flags & IFA_F_SECONDARY)
				continue;
			conn = (struct fib4_route) {
				.dst = ifa->ifa_address & ifa->ifa_mask,
				.dst_len = ifa->ifa_prefixlen, .protocol = RTPROT_KERNEL,
				.scope = RT_SCOPE_LINK, .prefsrc = ifa->ifa_local, .dev = dev,
			};
			if (fib_dump_add(&rts, &conn))
				goto out;
		}
	}
	list_for_each_entry(rt, &fib4_routes, list)
		if (fib_dump_add(&rts, rt))
			goto out;
	rt = rts.routes;
	if (rts.nr)
		qsort(rt, rts.nr, sizeof(*rt), fib4_cmp);
	for (i = 0; i < rts.nr; i++)
		fib4_fill(out, &rt[i], RTM_NEWROUTE, n->nlmsg_seq, NLM_F_MULTI);
out:
	fib_dump_free(&rts);
	return 0;
}

static struct fib4_route *fib4_find(const struct fib4_route *key, bool exact_nh)
{
	struct fib4_route *rt;

	list_for_each_entry(rt, &fib4_routes, list) {
		if (rt->dst != key->dst || rt->dst_len != key->dst_len)
			continue;
		if (key->priority && rt->priority != key->priority)
			continue;
		if (exact_nh && ((key->gw && rt->gw != key->gw) || (key->dev && rt->dev != key->dev)))
			continue;
		return rt;
	}
	return NULL;
}

/* parse an RTM_NEWROUTE/DELROUTE into key (rtnl) */
static int fib4_parse(struct nlmsghdr *n, struct fib4_route *key, struct netlink_ext_ack *extack)
{
	struct rtmsg *rtm = mnl_nlmsg_get_payload(n);
	struct nlattr *tb[RTA_MAX + 1];
	int err;

	err = nlmsg_parse(n, sizeof(*rtm), tb, RTA_MAX, rtm_ipv4_policy, extack);
	if (err < 0)
		return err;
	err = fib_rtm_check(n, tb, 32, extack);
	if (err)
		return err;
	memset(key, 0, sizeof(*key));
	key->dst = tb[RTA_DST] ? nla_get_u32(tb[RTA_DST]) : 0;
	if (key->dst & ~inet_make_mask(rtm->rtm_dst_len)) {
		NL_SET_ERR_MSG(extack, "Invalid prefix for given prefix length");
		return -EINVAL;
	}
	key->dst_len = rtm->rtm_dst_len;
	key->protocol = rtm->rtm_protocol;
	key->scope = rtm->rtm_scope;
	key->gw = tb[RTA_GATEWAY] ? nla_get_u32(tb[RTA_GATEWAY]) : 0;
	key->prefsrc = tb[RTA_PREFSRC] ? nla_get_u32(tb[RTA_PREFSRC]) : 0;
	key->priority = tb[RTA_PRIORITY] ? nla_get_u32(tb[RTA_PRIORITY]) : 0;
	if (tb[RTA_OIF] && nla_get_u32(tb[RTA_OIF])) {
		key->dev = dev_get_by_index(nla_get_u32(tb[RTA_OIF]));
		if (!key->dev)
			return -ENODEV;
	}
	return 0;
}

/* the device a gateway is on link through (fib_check_nh) */
static int fib4_check_nh(struct fib4_route *key, struct netlink_ext_ack *extack)
{
	struct net_device *dev;

	if (!key->gw) {
		if (!key->dev) {
			NL_SET_ERR_MSG(extack, "Device for nexthop is not up");
			return -ENODEV;
		}
		return 0;
	}
	for_each_netdev(dev) {
		if (key->dev && dev != key->dev)
			continue;
		if (fib4_connected(dev, key->gw)) {
			key->dev = dev;
			return 0;
		}
	}
	NL_SET_ERR_MSG(extack, "Nexthop has invalid gateway");
	return -EINVAL;
}

static void fib4_route_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct fib4_route, rcu));
}

static int inet_rtm_newroute(struct nlmsghdr *n, struct nl_out *out,
			     struct netlink_ext_ack *extack)
{
	struct fib4_route key, *rt, *old;
	int err;

	err = fib4_parse(n, &key, extack);
	if (!err)
		err = fib4_check_nh(&key, extack);
	if (err)
		return err;
	old = fib4_find(&key, false);
	if (old && !(n->nlmsg_flags & NLM_F_REPLACE))
		return -EEXIST;
	if (!old && !(n->nlmsg_flags & NLM_F_CREATE))
		return -ENOENT;
	rt = kmemdup(&key, sizeof(key), GFP_KERNEL);
	if (!rt)
		return -ENOBUFS;
	if (old) {
		list_replace_rcu(&old->list, &rt->list);
		call_rcu(&old->rcu, fib4_route_free_rcu);
	} else {
		list_add_tail_rcu(&rt->list, &fib4_routes);
	}
	fib4_notify(rt, RTM_NEWROUTE, n);
	return 0;
}

static void fib4_remove(struct fib4_route *rt, const struct nlmsghdr *req)
{
	list_del_rcu(&rt->list);
	fib4_notify(rt, RTM_DELROUTE, req);
	call_rcu(&rt->rcu, fib4_route_free_rcu);
}

static int inet_rtm_delroute(struct nlmsghdr *n, struct nl_out *out,
			     struct netlink_ext_ack *extack)
{
	struct fib4_route key, *rt;
	int err;

	err = fib4_parse(n, &key, extack);
	if (err)
		return err;
	rt = fib4_find(&key, true);
	if (!rt)
		return -ESRCH;
	fib4_remove(rt, n);
	return 0;
}

void ip_route_flush_dev(struct net_device *dev)
{
	struct fib4_route *rt, *tmp;

	list_for_each_entry_safe(rt, tmp, &fib4_routes, list)
		if (rt->dev == dev)
			fib4_remove(rt, NULL);
}

static int rtm_newroute(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack)
{
	struct rtmsg *rtm = mnl_nlmsg_get_payload(n);

	switch (rtm->rtm_family) {
	case AF_INET:
		return inet_rtm_newroute(n, out, extack);
	case AF_INET6:
		return inet6_rtm_newroute(n, out, extack);
	default:
		return -EAFNOSUPPORT;
	}
}

static int rtm_delroute(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack)
{
	struct rtmsg *rtm = mnl_nlmsg_get_payload(n);

	switch (rtm->rtm_family) {
	case AF_INET:
		return inet_rtm_delroute(n, out, extack);
	case AF_INET6:
		return inet6_rtm_delroute(n, out, extack);
	default:
		return -EAFNOSUPPORT;
	}
}

static int rtm_dump_fib(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack)
{
	struct rtmsg *rtm = mnl_nlmsg_get_payload(n);
	u8 family = n->nlmsg_len >= NLMSG_LENGTH(1) ? rtm->rtm_family : AF_UNSPEC;

	if (family == AF_INET || family == AF_UNSPEC)
		inet_dump_fib(n, out, extack);
	if (family == AF_INET6 || family == AF_UNSPEC)
		inet6_dump_fib(n, out, extack);
	return 0;
}

static void ip_rt_init(void)
{
	rtnl_register(RTM_NEWROUTE, rtm_newroute, NULL);
	rtnl_register(RTM_DELROUTE, rtm_delroute, NULL);
	rtnl_register(RTM_GETROUTE, NULL, rtm_dump_fib);
}

module_init(ip_rt_init);
