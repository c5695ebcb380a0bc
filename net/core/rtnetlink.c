// SPDX-License-Identifier: GPL-2.0
/*
 * rtnetlink (net/core/rtnetlink.c): the handler table per message type and
 * the link messages (RTM_GETLINK dump/get, RTM_NEWLINK/SETLINK to change
 * flags, MTU and address), filled the way the kernel fills them so that
 * `ip link` and tc's name lookups work unchanged.
 */
#include <linux/if_link.h>
#include <net/if_arp.h>
#include <linux/netdev.h>
#include <net/act_api.h>
#include <net/rtnetlink.h>
#include <net/sch_generic.h>

/* RFC 2863 operational states (IF_OPER_* of <linux/if.h>, which clashes with <net/if.h>) */
enum { OPER_UNKNOWN = 0, OPER_DOWN = 2, OPER_UP = 6 };

struct rtnl_link {
	rtnl_doit_func doit;
	rtnl_doit_func dumpit;
};

static struct rtnl_link rtnl_msg_handlers[RTM_MAX + 1];

void rtnl_register(int msgtype, rtnl_doit_func doit, rtnl_doit_func dumpit)
{
	rtnl_msg_handlers[msgtype].doit = doit;
	rtnl_msg_handlers[msgtype].dumpit = dumpit;
}

bool rtnetlink_is_dump(const struct nlmsghdr *n)
{
	int kind = (n->nlmsg_type - RTM_BASE) & 3;

	return kind == 2 && (n->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP;
}

int rtnetlink_rcv_msg(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack)
{
	struct rtnl_link *link;
	int err;

	if (n->nlmsg_type < RTM_BASE || n->nlmsg_type > RTM_MAX)
		return -EOPNOTSUPP;
	link = &rtnl_msg_handlers[n->nlmsg_type];
	rtnl_lock();
	if (rtnetlink_is_dump(n))
		err = link->dumpit ? link->dumpit(n, out, extack) : -EOPNOTSUPP;
	else
		err = link->doit ? link->doit(n, out, extack) : -EOPNOTSUPP;
	rtnl_unlock();
	return err;
}

/* ---- links ---- */

static const struct nla_policy ifla_policy[IFLA_MAX + 1] = {
	[IFLA_IFNAME] = { .type = NLA_STRING, .len = IFNAMSIZ - 1 },
	[IFLA_ADDRESS] = { .type = NLA_BINARY, .len = 32 },
	[IFLA_MTU] = { .type = NLA_U32 },
	[IFLA_TXQLEN] = { .type = NLA_U32 },
	[IFLA_EXT_MASK] = { .type = NLA_U32 },
	[IFLA_LINKINFO] = { .type = NLA_NESTED },
	[IFLA_ALT_IFNAME] = { .type = NLA_STRING },
};

static u8 dev_operstate(const struct net_device *dev)
{
	if (dev->flags & IFF_LOOPBACK)
		return OPER_UNKNOWN;
	return (dev->flags & IFF_UP) ? OPER_UP : OPER_DOWN;
}

static void rtnl_fill_stats(struct nlmsghdr *nlh, const struct net_device *dev)
{
	struct rtnl_link_stats64 s64 = {
		.rx_packets = dev->stats.rx_packets, .tx_packets = dev->stats.tx_packets,
		.rx_bytes = dev->stats.rx_bytes, .tx_bytes = dev->stats.tx_bytes,
		.rx_errors = dev->stats.rx_errors, .tx_errors = dev->stats.tx_errors,
		.rx_dropped = dev->stats.rx_dropped, .tx_dropped = dev->stats.tx_dropped,
		.multicast = dev->stats.multicast,
	};
	struct rtnl_link_stats s32 = {
		.rx_packets = s64.rx_packets, .tx_packets = s64.tx_packets,
		.rx_bytes = s64.rx_bytes, .tx_bytes = s64.tx_bytes,
		.rx_errors = s64.rx_errors, .tx_errors = s64.tx_errors,
		.rx_dropped = s64.rx_dropped, .tx_dropped = s64.tx_dropped,
		.multicast = s64.multicast,
	};

	nla_put_64bit(nlh, IFLA_STATS64, sizeof(s64), &s64, IFLA_PAD);
	nla_put(nlh, IFLA_STATS, sizeof(s32), &s32);
}

static int rtnl_fill_ifinfo(struct nl_out *out, struct net_device *dev, int type,
			    u32 seq, u16 flags)
{
	struct nlmsghdr *nlh = nl_out_put(out, seq, type, flags, sizeof(struct ifinfomsg));
	struct ifinfomsg *ifm;

	if (!nlh)
		return -EMSGSIZE;
	ifm = mnl_nlmsg_get_payload(nlh);
	ifm->ifi_family = AF_UNSPEC;
	ifm->ifi_type = dev->type;
	ifm->ifi_index = dev->ifindex;
	ifm->ifi_flags = dev->flags;
	nla_put_string(nlh, IFLA_IFNAME, dev->name);
	nla_put_u32(nlh, IFLA_TXQLEN, dev->tx_queue_len);
	nla_put_u8(nlh, IFLA_OPERSTATE, dev_operstate(dev));
	nla_put_u8(nlh, IFLA_LINKMODE, 0);
	nla_put_u32(nlh, IFLA_MTU, dev->mtu);
	nla_put_u32(nlh, IFLA_MIN_MTU, dev->min_mtu);
	nla_put_u32(nlh, IFLA_MAX_MTU, dev->max_mtu);
	nla_put_u32(nlh, IFLA_GROUP, 0);
	nla_put_u32(nlh, IFLA_PROMISCUITY, 0);
	nla_put_u32(nlh, IFLA_NUM_TX_QUEUES, 1);
	nla_put_u32(nlh, IFLA_NUM_RX_QUEUES, 1);
	nla_put_u8(nlh, IFLA_CARRIER, !!(dev->flags & IFF_UP));
	nla_put_string(nlh, IFLA_QDISC, "noqueue");
	if (dev->phys_port_name[0])
		nla_put_string(nlh, IFLA_PHYS_PORT_NAME, dev->phys_port_name);
	if (dev->phys_switch_id_len)
		nla_put(nlh, IFLA_PHYS_SWITCH_ID, dev->phys_switch_id_len, dev->phys_switch_id);
	nla_put(nlh, IFLA_ADDRESS, dev->addr_len, dev->dev_addr);
	nla_put(nlh, IFLA_BROADCAST, dev->addr_len, dev->broadcast);
	rtnl_fill_stats(nlh, dev);
	if (dev->parentname)
		nla_put_string(nlh, IFLA_PARENT_DEV_NAME, dev->parentname);
	nl_out_end(out, nlh);
	return 0;
}

static struct net_device *rtnl_dev_get(const struct ifinfomsg *ifm, struct nlattr **tb)
{
	char name[IFNAMSIZ];

	if (ifm->ifi_index > 0)
		return dev_get_by_index(ifm->ifi_index);
	if (tb[IFLA_IFNAME]) {
		nla_strscpy(name, tb[IFLA_IFNAME], sizeof(name));
		return dev_get_by_name(name);
	}
	if (tb[IFLA_ALT_IFNAME]) {
		nla_strscpy(name, tb[IFLA_ALT_IFNAME], sizeof(name));
		return dev_get_by_name(name);
	}
	return NULL;
}

static int rtnl_getlink(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack)
{
	struct ifinfomsg *ifm = mnl_nlmsg_get_payload(n);
	struct nlattr *tb[IFLA_MAX + 1];
	struct net_device *dev;
	int err;

	err = nlmsg_parse(n, sizeof(*ifm), tb, IFLA_MAX, ifla_policy, extack);
	if (err < 0)
		return err;
	if (ifm->ifi_index <= 0 && !tb[IFLA_IFNAME] && !tb[IFLA_ALT_IFNAME]) {
		NL_SET_ERR_MSG(extack, "Invalid ifindex or name");
		return -EINVAL;
	}
	dev = rtnl_dev_get(ifm, tb);
	if (!dev)
		return -ENODEV;
	return rtnl_fill_ifinfo(out, dev, RTM_NEWLINK, n->nlmsg_seq, 0);
}

static int rtnl_dump_ifinfo(struct nlmsghdr *n, struct nl_out *out,
			    struct netlink_ext_ack *extack)
{
	struct net_device *dev;

	(void)extack;
	for_each_netdev(dev)
		rtnl_fill_ifinfo(out, dev, RTM_NEWLINK, n->nlmsg_seq, NLM_F_MULTI);
	return 0;
}

static void rtnl_notify_link(struct net_device *dev, const struct nlmsghdr *n)
{
	struct nl_out ev;

	nl_out_init(&ev, 0);
	if (!rtnl_fill_ifinfo(&ev, dev, RTM_NEWLINK, n->nlmsg_seq, 0))
		rtnl_notify(&ev, NETLINK_ROUTE, RTNLGRP_LINK);
	nl_out_free(&ev);
}

static int rtnl_setlink(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack)
{
	struct ifinfomsg *ifm = mnl_nlmsg_get_payload(n);
	struct nlattr *tb[IFLA_MAX + 1];
	struct net_device *dev;
	int err;

	(void)out;
	err = nlmsg_parse(n, sizeof(*ifm), tb, IFLA_MAX, ifla_policy, extack);
	if (err < 0)
		return err;
	dev = rtnl_dev_get(ifm, tb);
	if (!dev) {
		if (n->nlmsg_type == RTM_NEWLINK && (n->nlmsg_flags & NLM_F_CREATE)) {
			NL_SET_ERR_MSG(extack, "Unknown device type");
			return -EOPNOTSUPP;
		}
		return -ENODEV;
	}
	if (n->nlmsg_type == RTM_NEWLINK && (n->nlmsg_flags & NLM_F_EXCL))
		return -EEXIST;
	if (tb[IFLA_MTU]) {
		u32 mtu = nla_get_u32(tb[IFLA_MTU]);

		if (mtu < dev->min_mtu || mtu > dev->max_mtu) {
			NL_SET_ERR_MSG_FMT(extack, "mtu %s than device minimum", mtu < dev->min_mtu ?
					   "less" : "greater");
			if (mtu > dev->max_mtu)
				NL_SET_ERR_MSG(extack, "mtu greater than device maximum");
			return -EINVAL;
		}
		dev->mtu = mtu;
	}
	if (tb[IFLA_ADDRESS]) {
		if (nla_len(tb[IFLA_ADDRESS]) < dev->addr_len)
			return -EINVAL;
		memcpy(dev->dev_addr, nla_data(tb[IFLA_ADDRESS]), dev->addr_len);
	}
	if (ifm->ifi_change) {
		unsigned int flags = (dev->flags & ~ifm->ifi_change) |
				     (ifm->ifi_flags & ifm->ifi_change);

		err = dev_change_flags(dev, flags, extack);
		if (err)
			return err;
	}
	rtnl_notify_link(dev, n);
	return 0;
}

static void rtnetlink_init(void)
{
	rtnl_register(RTM_GETLINK, rtnl_getlink, rtnl_dump_ifinfo);
	rtnl_register(RTM_NEWLINK, rtnl_setlink, NULL);
	rtnl_register(RTM_SETLINK, rtnl_setlink, NULL);
	rtnl_register(RTM_NEWQDISC, tc_modify_qdisc, NULL);
	rtnl_register(RTM_DELQDISC, tc_get_qdisc, NULL);
	rtnl_register(RTM_GETQDISC, tc_get_qdisc, tc_dump_qdisc);
	rtnl_register(RTM_NEWTFILTER, tc_new_tfilter, NULL);
	rtnl_register(RTM_DELTFILTER, tc_del_tfilter, NULL);
	rtnl_register(RTM_GETTFILTER, tc_get_tfilter, tc_dump_tfilter);
	rtnl_register(RTM_NEWCHAIN, tc_ctl_chain, NULL);
	rtnl_register(RTM_DELCHAIN, tc_ctl_chain, NULL);
	rtnl_register(RTM_GETCHAIN, tc_ctl_chain, tc_dump_chain);
	rtnl_register(RTM_NEWACTION, tc_ctl_action, NULL);
	rtnl_register(RTM_DELACTION, tc_ctl_action, NULL);
	rtnl_register(RTM_GETACTION, tc_ctl_action, tc_dump_action);
}

#include <linux/init.h>
module_init(rtnetlink_init);
