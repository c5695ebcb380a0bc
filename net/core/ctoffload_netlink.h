/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The handlers of NETLINK_CTOFFLOAD requests that live in their own files
 * (net/core/ctoffload_netlink.c dispatches).
 */
#ifndef _NET_CORE_CTOFFLOAD_NETLINK_H
#define _NET_CORE_CTOFFLOAD_NETLINK_H

#include <net/netlink.h>
#include <net/flow_dissector.h>
#include <linux/skbuff.h>
#include <net/if.h>

/* ctoffload_trace.c */
int cto_trace(struct nlmsghdr *n, struct nlattr **tb, struct nl_out *out,
	      struct netlink_ext_ack *extack);
int cto_trace_live(struct nlmsghdr *n, struct nlattr **tb, struct nl_out *out,
		   struct netlink_ext_ack *extack);
int cto_trace_live_get(struct nlmsghdr *n, struct nl_out *out);
/* text in pieces of at most 8 KB, one message each, type msgtype, attribute attr */
int cto_put_text(struct nlmsghdr *n, struct nl_out *out, int msgtype, int attr,
		 const char *text, size_t len);

#endif
