/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rtnetlink (net/core/rtnetlink.c): handlers are registered per message
 * type; the netlink server calls them with the request, an nl_out for the
 * reply and an extack.  Events go to the subscribers of an RTNLGRP_* group.
 */
#ifndef _NET_RTNETLINK_H
#define _NET_RTNETLINK_H

#include <linux/list.h>
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

/*
 * Link types (`ip link add NAME type KIND ...`, include/net/rtnetlink.h):
 * RTM_NEWLINK with NLM_F_CREATE and IFLA_LINKINFO/IFLA_INFO_KIND allocates
 * a device with priv_size bytes of private data, runs setup, parses
 * IFLA_INFO_DATA with policy into data[] (maxtype entries), then newlink,
 * which registers the device.  RTM_DELLINK calls dellink (which
 * unregisters it).  fill_info puts IFLA_INFO_DATA's attributes for
 * `ip -d link show`.  All under rtnl.
 */
struct net_device;
struct nla_policy;

struct rtnl_link_ops {
	struct list_head list;
	const char *kind;
	size_t priv_size;
	void (*setup)(struct net_device *dev);
	unsigned int maxtype;
	const struct nla_policy *policy;
	int (*validate)(struct nlattr *tb[], struct nlattr *data[],
			struct netlink_ext_ack *extack);
	int (*newlink)(struct net_device *dev, struct nlattr *tb[], struct nlattr *data[],
		       struct netlink_ext_ack *extack);
	int (*changelink)(struct net_device *dev, struct nlattr *tb[], struct nlattr *data[],
			  struct netlink_ext_ack *extack);
	void (*dellink)(struct net_device *dev);
	int (*fill_info)(struct nlmsghdr *nlh, const struct net_device *dev);
};

int rtnl_link_register(struct rtnl_link_ops *ops);
void rtnl_link_unregister(struct rtnl_link_ops *ops);
/* at exit: delete every device a link type made (before the drivers go) */
void rtnl_link_exit(void);
/*
 * Delete a link made by a kind: closed, RTM_DELLINK announced, qdiscs
 * destroyed, actions pointing at it cut loose, dellink, freed (rtnl).
 */
void rtnl_delete_link(struct net_device *dev);

#endif
