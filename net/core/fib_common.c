// SPDX-License-Identifier: GPL-2.0
/*
 * Route table code both families share (include/net/fib_common.h): the
 * family-independent checks of a route request and the array a dump
 * sorts its routes in.  net/ipv4/route.c and net/ipv6/route.c keep
 * everything that knows an address.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/rtnetlink.h>
#include <net/fib_common.h>

int fib_rtm_check(const struct nlmsghdr *n, struct nlattr **tb, u8 max_prefixlen,
		  struct netlink_ext_ack *extack)
{
	const struct rtmsg *rtm = mnl_nlmsg_get_payload(n);
	u32 table;

	if (rtm->rtm_dst_len > max_prefixlen) {
		NL_SET_ERR_MSG(extack, "Invalid prefix length");
		return -EINVAL;
	}
	table = tb[RTA_TABLE] ? nla_get_u32(tb[RTA_TABLE]) : rtm->rtm_table;
	if (table != RT_TABLE_MAIN && table != RT_TABLE_UNSPEC) {
		NL_SET_ERR_MSG(extack, "Only the main table is supported");
		return -EOPNOTSUPP;
	}
	if (n->nlmsg_type == RTM_NEWROUTE && rtm->rtm_type != RTN_UNICAST) {
		NL_SET_ERR_MSG(extack, "Only unicast routes are supported");
		return -EOPNOTSUPP;
	}
	return 0;
}

int fib_dump_add(struct fib_dump_array *a, const void *rt)
{
	void *tmp;

	if (a->nr == a->cap) {
		a->cap = a->cap ? 2 * a->cap : 16;
		tmp = realloc(a->routes, a->cap * a->size);
		if (!tmp)
			return -ENOMEM;
		a->routes = tmp;
	}
	memcpy((char *)a->routes + a->nr++ * a->size, rt, a->size);
	return 0;
}

void fib_dump_free(struct fib_dump_array *a)
{
	free(a->routes);
	a->routes = NULL;
	a->nr = a->cap = 0;
}
