// SPDX-License-Identifier: GPL-2.0
/*
 * IPv6 output routes (net/ipv6/route.c, main table): the prefix of every
 * device address (proto kernel, metric 256), plus `ip -6 route add`
 * routes (metric 1024 unless given).  Longest prefix wins, then the lower
 * metric.  Same shape as net/ipv4/route.c: lists walked under RCU by
 * ip6_route_output(), which allocates nothing; writers hold rtnl.
 */
#include <errno.h>
#include <stdlib.h>
#include <linux/icmpv6.h>
#include <linux/if_addr.h>
#include <linux/netdev.h>
#include <linux/slab.h>
#include <net/addrconf.h>
#include <net/fib_common.h>
#include <net/ipv6.h>
#include <net/route.h>
#include <net/rtnetlink.h>

#define IP6_RT_PRIO_USER	1024
#define IP6_RT_PRIO_ADDRCONF	256

struct fib6_route {
	struct list_head list;
	struct in6_addr dst;
	u8 dst_len;
	u8 protocol;
	u32 metric;
	struct in6_addr gw;		/* :: on link */
	struct net_device *dev;
	struct rcu_head rcu;
};

static LIST_HEAD(fib6_routes);

static const struct nla_policy rtm_ipv6_policy[RTA_MAX + 1] = {
	[RTA_DST] = { .type = NLA_EXACT_LEN, .len = sizeof(struct in6_addr) },
	[RTA_GATEWAY] = { .type = NLA_EXACT_LEN, .len = sizeof(struct in6_addr) },
	[RTA_OIF] = { .type = NLA_U32 },
	[RTA_PRIORITY] = { .type = NLA_U32 },
	[RTA_TABLE] = { .type = NLA_U32 },
	[RTA_PREF] = { .type = NLA_U8 },
};

/* the longest address prefix of dev holding addr, or -1 (RCU) */
static int fib6_connected_len(const struct net_device *dev, const struct in6_addr *addr)
{
	struct inet6_dev *idev = rcu_dereference(dev->ip6_ptr);
	struct inet6_ifaddr *ifp;
	int best = -1;

	if (!idev || !(dev->flags & IFF_UP))
		return -1;
	for (ifp = rcu_dereference(idev->addr_list); ifp; ifp = rcu_dereference(ifp->if_next))
		if (ifp->prefix_len > best && ipv6_prefix_equal(addr, &ifp->addr, ifp->prefix_len))
			best = ifp->prefix_len;
	return best;
}

int ip6_route_output(struct flowi6 *fl6, struct ip6_route_result *res)
{
	const struct fib6_route *rt, *best_rt = NULL;
	struct net_device *dev, *best_dev = NULL;
	int best_len = -1;

	for_each_netdev(dev) {
		int len;

		if (fl6->flowi6_oif && dev->ifindex != fl6->flowi6_oif)
			continue;
		len = fib6_connected_len(dev, &fl6->daddr);
		if (len > best_len) {
			best_len = len;
			best_dev = dev;
		}
	}
	list_for_each_entry_rcu(rt, &fib6_routes, list) {
		if (rt->dst_len < best_len || (rt->dst_len == best_len && best_rt && rt->metric >= best_rt->metric) ||
		    (rt->dst_len == best_len && !best_rt) ||
		    !ipv6_prefix_equal(&fl6->daddr, &rt->dst, rt->dst_len) ||
		    (fl6->flowi6_oif && rt->dev->ifindex != fl6->flowi6_oif) ||
		    !(rt->dev->flags & IFF_UP))
			continue;
		best_len = rt->dst_len;
		best_rt = rt;
	}
	if (best_len < 0)
		return -ENETUNREACH;
	if (best_rt) {
		best_dev = best_rt->dev;
		res->nexthop = ipv6_addr_any(&best_rt->gw) ? fl6->daddr : best_rt->gw;
	} else {
		res->nexthop = fl6->daddr;
	}
	res->dev = best_dev;
	if (ipv6_addr_any(&fl6->saddr) &&
	    ipv6_dev_get_saddr(best_dev, &fl6->daddr, &fl6->saddr))
		return -ENETUNREACH;
	return 0;
}

/* ---- rtnetlink ---- */

static void fib6_fill(struct nl_out *out, const struct fib6_route *rt, int type, u32 seq,
		      u16 flags)
{
	struct nlmsghdr *nlh = nl_out_put(out, seq, type, flags, sizeof(struct rtmsg));
	struct rtmsg *rtm;

	if (!nlh)
		return;
	rtm = mnl_nlmsg_get_payload(nlh);
	rtm->rtm_family = AF_INET6;
	rtm->rtm_dst_len = rt->dst_len;
	rtm->rtm_table = RT_TABLE_MAIN;
	rtm->rtm_protocol = rt->protocol;
	rtm->rtm_scope = RT_SCOPE_UNIVERSE;
	rtm->rtm_type = RTN_UNICAST;
	nla_put_u32(nlh, RTA_TABLE, RT_TABLE_MAIN);
	if (rt->dst_len)
		nla_put(nlh, RTA_DST, sizeof(rt->dst), &rt->dst);
	nla_put_u32(nlh, RTA_PRIORITY, rt->metric);
	if (!ipv6_addr_any(&rt->gw))
		nla_put(nlh, RTA_GATEWAY, sizeof(rt->gw), &rt->gw);
	nla_put_u32(nlh, RTA_OIF, rt->dev->ifindex);
	nla_put_u8(nlh, RTA_PREF, ICMPV6_ROUTER_PREF_MEDIUM);
	nl_out_end(out, nlh);
}

static void fib6_notify(const struct fib6_route *rt, int type, const struct nlmsghdr *req)
{
	struct nl_out ev;

	nl_out_init(&ev, 0);
	fib6_fill(&ev, rt, type, req ? req->nlmsg_seq : 0, 0);
	rtnl_notify(&ev, NETLINK_ROUTE, RTNLGRP_IPV6_ROUTE);
	nl_out_free(&ev);
}

static int fib6_cmp(const void *a, const void *b)
{
	const struct fib6_route *x = a, *y = b;
	int c = memcmp(&x->dst, &y->dst, sizeof(x->dst));

	if (c)
		return c;
	if (x->dst_len != y->dst_len)
		return (int)x->dst_len - (int)y->dst_len;
	return x->metric < y->metric ? -1 : x->metric > y->metric;
}

int inet6_dump_fib(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack)
{
	struct fib_dump_array rts = FIB_DUMP_ARRAY_INIT(struct fib6_route);
	struct fib6_route *rt, conn;
	struct inet6_ifaddr *ifp;
	struct net_device *dev;
	size_t i, j;

	for_each_netdev(dev) {
		if (!dev->ip6_ptr || !(dev->flags & IFF_UP))
			continue;
		for (ifp = dev->ip6_ptr->addr_list; ifp; ifp = ifp->if_next) {
			memset(&conn, 0, sizeof(conn));
			for (j = 0; j < 16; j++)
				if (j * 8 < ifp->prefix_len)
					conn.dst.s6_addr[j] = ifp->addr.s6_addr[j] &
						(ifp->prefix_len >= (j + 1) * 8 ? 0xff :
						 (u8)(0xff00 >> (ifp->prefix_len % 8)));
			conn.dst_len = ifp->prefix_len;
			conn.protocol = RTPROT_KERNEL;
			conn.metric = IP6_RT_PRIO_ADDRCONF;
			conn.dev = dev;
			/* two addresses on one prefix make one route */
			for (i = 0, rt = rts.routes; i < rts.nr; i++)
				if (rt[i].dev == dev && rt[i].dst_len == conn.dst_len &&
				    !memcmp(&rt[i].dst, &conn.dst, sizeof(conn.dst)))
					break;
			if (i == rts.nr && fib_dump_add(&rts, &conn))
				goto out;
		}
	}
	list_for_each_entry(rt, &fib6_routes, list)
		if (fib_dump_add(&rts, rt))
			goto out;
	rt = rts.routes;
	if (rts.nr)
		qsort(rt, rts.nr, sizeof(*rt), fib6_cmp);
	for (i = 0; i < rts.nr; i++)
		fib6_fill(out, &rt[i], RTM_NEWROUTE, n->nlmsg_seq, NLM_F_MULTI);
out:
	fib_dump_free(&rts);
	return 0;
}

static int fib6_parse(struct nlmsghdr *n, struct fib6_route *key, struct netlink_ext_ack *extack)
{
	struct rtmsg *rtm = mnl_nlmsg_get_payload(n);
	struct nlattr *tb[RTA_MAX + 1];
	int err;

	err = nlmsg_parse(n, sizeof(*rtm), tb, RTA_MAX, rtm_ipv6_policy, extack);
	if (err < 0)
		return err;
	err = fib_rtm_check(n, tb, 128, extack);
	if (err)
		return err;
	memset(key, 0, sizeof(*key));
	if (tb[RTA_DST])
		nla_memcpy(&key->dst, tb[RTA_DST], sizeof(key->dst));
	key->dst_len = rtm->rtm_dst_len;
	key->protocol = rtm->rtm_protocol;
	if (tb[RTA_GATEWAY])
		nla_memcpy(&key->gw, tb[RTA_GATEWAY], sizeof(key->gw));
	key->metric = tb[RTA_PRIORITY] ? nla_get_u32(tb[RTA_PRIORITY]) : 0;
	if (tb[RTA_OIF] && nla_get_u32(tb[RTA_OIF])) {
		key->dev = dev_get_by_index(nla_get_u32(tb[RTA_OIF]));
		if (!key->dev)
			return -ENODEV;
	}
	return 0;
}

static struct fib6_route *fib6_find(const struct fib6_route *key, bool exact_nh)
{
	struct fib6_route *rt;

	list_for_each_entry(rt, &fib6_routes, list) {
		if (rt->dst_len != key->dst_len || memcmp(&rt->dst, &key->dst, sizeof(rt->dst)))
			continue;
		if (key->metric && rt->metric != key->metric)
			continue;
		if (exact_nh && ((!ipv6_addr_any(&key->gw) &&
				  memcmp(&rt->gw, &key->gw, sizeof(rt->gw))) ||
				 (key->dev && rt->dev != key->dev)))
			continue;
		return rt;
	}
	return NULL;
}

/* ip6_route_check_nh: the gateway must be on link */
static int fib6_check_nh(struct fib6_route *key, struct netlink_ext_ack *extack)
{
	struct net_device *dev;

	if (ipv6_addr_any(&key->gw))
		return key->dev ? 0 : -ENODEV;
	for_each_netdev(dev) {
		if (key->dev && dev != key->dev)
			continue;
		if (fib6_connected_len(dev, &key->gw) >= 0) {
			key->dev = dev;
			return 0;
		}
	}
	return -EHOSTUNREACH;
}

static void fib6_route_free_rcu(struct rcu_head *head)
{
	kfree(container_of(head, struct fib6_route, rcu));
}

int inet6_rtm_newroute(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack)
{
	struct fib6_route key, *rt, *old;
	int err;

	err = fib6_parse(n, &key, extack);
	if (!err)
		err = fib6_check_nh(&key, extack);
	if (err)
		return err;
	if (!key.metric)
		key.metric = IP6_RT_PRIO_USER;
	old = fib6_find(&key, false);
	if (old && !(n->nlmsg_flags & NLM_F_REPLACE))
		return -EEXIST;
	if (!old && !(n->nlmsg_flags & NLM_F_CREATE))
		return -ENOENT;
	rt = kmemdup(&key, sizeof(key), GFP_KERNEL);
	if (!rt)
		return -ENOBUFS;
	if (old) {
		list_replace_rcu(&old->list, &rt->list);
		call_rcu(&old->rcu, fib6_route_free_rcu);
	} else {
		list_add_tail_rcu(&rt->list, &fib6_routes);
	}
	fib6_notify(rt, RTM_NEWROUTE, n);
	return 0;
}

static void fib6_remove(struct fib6_route *rt, const struct nlmsghdr *req)
{
	list_del_rcu(&rt->list);
	fib6_notify(rt, RTM_DELROUTE, req);
	call_rcu(&rt->rcu, fib6_route_free_rcu);
}

int inet6_rtm_delroute(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack)
{
	struct fib6_route key, *rt;
	int err;

	err = fib6_parse(n, &key, extack);
	if (err)
		return err;
	rt = fib6_find(&key, true);
	if (!rt)
		return -ESRCH;
	fib6_remove(rt, n);
	return 0;
}

void ip6_route_flush_dev(struct net_device *dev)
{
	struct fib6_route *rt, *tmp;

	list_for_each_entry_safe(rt, tmp, &fib6_routes, list)
		if (rt->dev == dev)
			fib6_remove(rt, NULL);
}
