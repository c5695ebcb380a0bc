/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rtnetlink (net/core/rtnetlink.c): handlers are registered per message
 * type; the netlink server calls them with the request, an nl_out for the
 * reply and an extack.  Events go to the subscribers of an RTNLGRP_* group.
 */
#ifndef _NET_RTNETLINK_H
#define _NET_RTNETLINK_H

#include <linux/rtnetlink.h>
#include <net/netlink.h>

typedef int (*rtnl_doit_func)(struct nlmsghdr *n, struct nl_out *out,
			      struct netlink_ext_ack *extack);

void rtnl_register(int msgtype, rtnl_doit_func doit, rtnl_doit_func dumpit);
/* dispatch one NETLINK_ROUTE request; replies and acks are the server's job */
int rtnetlink_rcv_msg(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack);
bool rtnetlink_is_dump(const struct nlmsghdr *n);

/* send the messages in o to every socket subscribed to group (1-based) */
void rtnl_notify(struct nl_out *o, int protocol, unsigned int group);

#endif
