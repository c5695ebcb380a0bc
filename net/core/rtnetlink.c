// SPDX-License-Identifier: GPL-2.0
/*
 * rtnetlink (net/core/rtnetlink.c): the handler table per message type and
 * the link messages (RTM_GETLINK dump/get, RTM_NEWLINK/SETLINK to change
 * flags, MTU and address), filled the way the kernel fills them so that
 * `ip link` and tc's name lookups work unchanged.
 *
 * Link types (struct rtnl_link_ops): `ip link add NAME type KIND` creates
 * a device of a registered kind (vxlan), `ip link del` removes it, and
 * `ip -d link show` gets the kind's IFLA_LINKINFO.  Representors are made
 * by the eswitch, not by a link type, and cannot be deleted.
 */
#include <linux/if_link.h>
#include <linux/slab.h>
#include <net/if_arp.h>
#include <linux/netdev.h>
#include <net/act_api.h>
#include <net/rtnetlink.h>
#include <net/sch_generic.h>

static LIST_HEAD(link_ops);

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

static const struct nla_policy ifla_info_policy[IFLA_INFO_MAX + 1] = {
	[IFLA_INFO_KIND] = { .type = NLA_STRING },
	[IFLA_INFO_DATA] = { .type = NLA_NESTED },
	[IFLA_INFO_SLAVE_KIND] = { .type = NLA_STRING },
	[IFLA_INFO_SLAVE_DATA] = { .type = NLA_NESTED },
};

int rtnl_link_register(struct rtnl_link_ops *ops)
{
	struct rtnl_link_ops *o;

	list_for_each_entry(o, &link_ops, list)
		if (!strcmp(o->kind, ops->kind))
			return -EEXIST;
	list_add_tail(&ops->list, &link_ops);
	return 0;
}

/* the devices of the kind go first, as __rtnl_link_unregister() does */
void rtnl_link_unregister(struct rtnl_link_ops *ops)
{
	struct net_device *dev, *tmp;

	rtnl_lock();
	list_for_each_entry_safe(dev, tmp, &net_device_list, dev_list)
		if (dev->rtnl_link_ops == ops)
			rtnl_delete_link(dev);
	list_del(&ops->list);
	rtnl_unlock();
}

/*
 * The daemon's exit: devices made with `ip link add` go first, while
 * what they point at (the eswitch, the flowtables their ct actions hold)
 * still exists, as the kernel's default_device_exit_batch() deletes a
 * namespace's virtual devices before its physical ones go.
 */
void rtnl_link_exit(void)
{
	struct net_device *dev, *tmp;

	rtnl_lock();
	list_for_each_entry_safe(dev, tmp, &net_device_list, dev_list)
		if (dev->rtnl_link_ops)
			rtnl_delete_link(dev);
	rtnl_unlock();
}

static const struct rtnl_link_ops *rtnl_link_ops_get(const struct nlattr *kind)
{
	const struct rtnl_link_ops *ops;

	list_for_each_entry(ops, &link_ops, list)
		if (!nla_strcmp(kind, ops->kind))
			return ops;
	return NULL;
}

static u8 dev_operstate(const struct net_device *dev)
{
	if (!(dev->flags & IFF_UP))
		return OPER_DOWN;
	/*
	 * Software links (lo, vxlan) never report a carrier change, so Linux
	 * leaves them IF_OPER_UNKNOWN once up: `state UNKNOWN`.
	 */
	if (dev->flags & IFF_LOOPBACK || dev->rtnl_link_ops)
		return OPER_UNKNOWN;
	return OPER_UP;
}

static void rtnl_fill_stats(struct nlmsghdr *nlh, const struct net_device *dev)
{
	struct rtnl_link_stats64 s64;
	struct rtnl_link_stats s32;

	dev_get_stats(dev, &s64);
	s32 = (struct rtnl_link_stats){
		.rx_packets = s64.rx_packets, .tx_packets = s64.tx_packets,
		.rx_bytes = s64.rx_bytes, .tx_bytes = s64.tx_bytes,
		.rx_errors = s64.rx_errors, .tx_errors = s64.tx_errors,
		.rx_dropped = s64.rx_dropped, .tx_dropped = s64.tx_dropped,
		.multicast = s64.multicast,
	};

	nla_put_64bit(nlh, IFLA_STATS64, sizeof(s64), &s64, IFLA_PAD);
	nla_put(nlh, IFLA_STATS, sizeof(s32), &s32);
}

/* IFLA_LINKINFO: the kind and its IFLA_INFO_DATA (rtnl_link_fill) */
static int rtnl_link_fill(struct nlmsghdr *nlh, const struct net_device *dev)
{
	const struct rtnl_link_ops *ops = dev->rtnl_link_ops;
	struct nlattr *linkinfo, *data;
	int err;

	linkinfo = nla_nest_start(nlh, IFLA_LINKINFO);
	nla_put_string(nlh, IFLA_INFO_KIND, ops->kind);
	if (ops->fill_info) {
		data = nla_nest_start(nlh, IFLA_INFO_DATA);
		err = ops->fill_info(nlh, dev);
		if (err) {
			nla_nest_cancel(nlh, linkinfo);
			return err;
		}
		nla_nest_end(nlh, data);
	}
	nla_nest_end(nlh, linkinfo);
	return 0;
}

/*
 * IFLA_AF_SPEC: of the per-family link data only IPv6's address
 * generation mode is printed by `ip -d link` (addrgenmode eui64), the
 * default of every Ethernet device.
 */
static void rtnl_fill_af_spec(struct nlmsghdr *nlh)
{
	struct nlattr *af_spec, *inet6;

	af_spec = nla_nest_start_noflag(nlh, IFLA_AF_SPEC);
	inet6 = nla_nest_start_noflag(nlh, AF_INET6);
	nla_put_u8(nlh, IFLA_INET6_ADDR_GEN_MODE, IN6_ADDR_GEN_MODE_EUI64);
	nla_nest_end(nlh, inet6);
	nla_nest_end(nlh, af_spec);
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
	nla_put_u32(nlh, IFLA_ALLMULTI, 0);
	nla_put_u32(nlh, IFLA_NUM_TX_QUEUES, 1);
	/* the defaults of a device without GSO/TSO limits of its own */
	nla_put_u32(nlh, IFLA_GSO_MAX_SEGS, 65535);
	nla_put_u32(nlh, IFLA_GSO_MAX_SIZE, 65536);
	nla_put_u32(nlh, IFLA_GRO_MAX_SIZE, 65536);
	nla_put_u32(nlh, IFLA_TSO_MAX_SIZE, 65536);
	nla_put_u32(nlh, IFLA_TSO_MAX_SEGS, 65535);
	nla_put_u32(nlh, IFLA_NUM_RX_QUEUES, 1);
	nla_put_u8(nlh, IFLA_CARRIER, !!(dev->flags & IFF_UP));
	/* a device that is down has the noop qdisc (dev_deactivate) */
	nla_put_string(nlh, IFLA_QDISC, dev->flags & IFF_UP ? "noqueue" : "noop");
	if (dev->phys_port_name[0])
		nla_put_string(nlh, IFLA_PHYS_PORT_NAME, dev->phys_port_name);
	if (dev->phys_switch_id_len)
		nla_put(nlh, IFLA_PHYS_SWITCH_ID, dev->phys_switch_id_len, dev->phys_switch_id);
	nla_put(nlh, IFLA_ADDRESS, dev->addr_len, dev->dev_addr);
	nla_put(nlh, IFLA_BROADCAST, dev->addr_len, dev->broadcast);
	rtnl_fill_stats(nlh, dev);
	if (dev->rtnl_link_ops && rtnl_link_fill(nlh, dev)) {
		nl_out_cancel(out, nlh);
		return -EMSGSIZE;
	}
	rtnl_fill_af_spec(nlh);
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


static void rtnl_notify_link(struct net_device *dev, const struct nlmsghdr *n, int type)
{
	struct nl_out ev;

	nl_out_init(&ev, 0);
	if (!rtnl_fill_ifinfo(&ev, dev, type, n ? n->nlmsg_seq : 0, 0))
		rtnl_notify(&ev, NETLINK_ROUTE, RTNLGRP_LINK);
	nl_out_free(&ev);
}

/* dev_validate_mtu() */
static int rtnl_validate_mtu(const struct net_device *dev, u32 mtu,
			     struct netlink_ext_ack *extack)
{
	if (mtu < dev->min_mtu) {
		NL_SET_ERR_MSG(extack, "mtu less than device minimum");
		return -EINVAL;
	}
	if (mtu > dev->max_mtu) {
		NL_SET_ERR_MSG(extack, "mtu greater than device maximum");
		return -EINVAL;
	}
	return 0;
}

/* do_setlink(): what RTM_SETLINK and RTM_NEWLINK change on a device */
static int rtnl_do_setlink(struct net_device *dev, const struct ifinfomsg *ifm,
			   struct nlattr **tb, struct netlink_ext_ack *extack)
{
	int err;

	if (tb[IFLA_MTU]) {
		u32 mtu = nla_get_u32(tb[IFLA_MTU]);

		err = rtnl_validate_mtu(dev, mtu, extack);
		if (err)
			return err;
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

		/* Linux answers a failed ndo_open with the bare errno, no message */
		err = dev_change_flags(dev, flags, NULL);
		if (err)
			return err;
	}
	return 0;
}

/* rtnl_create_link(): a device of ops' kind, set up but not registered */
static struct net_device *rtnl_create_link(const struct rtnl_link_ops *ops, struct nlattr **tb,
					   struct netlink_ext_ack *extack, int *errp)
{
	char name[IFNAMSIZ];
	struct net_device *dev;
	int i;

	if (tb[IFLA_IFNAME]) {
		nla_strscpy(name, tb[IFLA_IFNAME], sizeof(name));
	} else {
		/* "vxlan%d": the first free number, as dev_alloc_name() */
		for (i = 0; ; i++) {
			snprintf(name, sizeof(name), "%s%d", ops->kind, i);
			if (!dev_get_by_name(name))
				break;
		}
	}
	dev = alloc_netdev(ops->priv_size, name, NULL);
	if (!dev) {
		*errp = -ENOMEM;
		return NULL;
	}
	dev->rtnl_link_ops = ops;
	ops->setup(dev);
	if (tb[IFLA_MTU]) {
		u32 mtu = nla_get_u32(tb[IFLA_MTU]);

		*errp = rtnl_validate_mtu(dev, mtu, extack);
		if (*errp) {
			free_netdev(dev);
			return NULL;
		}
		dev->mtu = mtu;
	}
	if (tb[IFLA_ADDRESS]) {
		if (nla_len(tb[IFLA_ADDRESS]) < dev->addr_len) {
			free_netdev(dev);
			*errp = -EINVAL;
			return NULL;
		}
		memcpy(dev->dev_addr, nla_data(tb[IFLA_ADDRESS]), dev->addr_len);
	}
	if (tb[IFLA_TXQLEN])
		dev->tx_queue_len = nla_get_u32(tb[IFLA_TXQLEN]);
	return dev;
}

/*
 * RTM_NEWLINK with NLM_F_CREATE and no such device: a new link of the
 * kind, registered by ops->newlink, then brought up if the request says
 * so (rtnl_configure_link).
 */
static int rtnl_newlink_create(const struct nlmsghdr *n, const struct ifinfomsg *ifm,
			       const struct rtnl_link_ops *ops, struct nlattr **tb,
			       struct nlattr **data, struct netlink_ext_ack *extack)
{
	struct net_device *dev;
	int err = 0;

	dev = rtnl_create_link(ops, tb, extack, &err);
	if (!dev)
		return err;
	err = ops->newlink(dev, tb, data, extack);
	if (err) {
		free_netdev(dev);
		return err;
	}
	rtnl_notify_link(dev, n, RTM_NEWLINK);
	if (ifm->ifi_change && (ifm->ifi_flags & ifm->ifi_change & IFF_UP)) {
		err = dev_change_flags(dev, dev->flags | IFF_UP, extack);
		if (err) {
			rtnl_delete_link(dev);
			return err;
		}
		rtnl_notify_link(dev, n, RTM_NEWLINK);
	}
	return 0;
}

static int rtnl_newlink(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack)
{
	struct ifinfomsg *ifm = mnl_nlmsg_get_payload(n);
	struct nlattr *linkinfo[IFLA_INFO_MAX + 1] = {};
	struct nlattr *tb[IFLA_MAX + 1];
	const struct rtnl_link_ops *ops = NULL;
	struct nlattr **data = NULL;
	struct net_device *dev;
	int err;

	(void)out;
	err = nlmsg_parse(n, sizeof(*ifm), tb, IFLA_MAX, ifla_policy, extack);
	if (err < 0)
		return err;
	dev = rtnl_dev_get(ifm, tb);
	if (tb[IFLA_LINKINFO]) {
		err = nla_parse_nested(linkinfo, IFLA_INFO_MAX, tb[IFLA_LINKINFO],
				       ifla_info_policy, extack);
		if (err < 0)
			return err;
	}
	if (linkinfo[IFLA_INFO_KIND])
		ops = rtnl_link_ops_get(linkinfo[IFLA_INFO_KIND]);
	if (ops && ops->maxtype) {
		data = kcalloc(ops->maxtype + 1, sizeof(*data), GFP_KERNEL);
		if (!data)
			return -ENOMEM;
		if (linkinfo[IFLA_INFO_DATA]) {
			err = nla_parse_nested(data, ops->maxtype, linkinfo[IFLA_INFO_DATA],
					       ops->policy, extack);
			if (err < 0)
				goto out;
		}
	}
	if (ops && ops->validate) {
		err = ops->validate(tb, linkinfo[IFLA_INFO_DATA] ? data : NULL, extack);
		if (err < 0)
			goto out;
	}
	if (dev) {
		if (n->nlmsg_type == RTM_NEWLINK && (n->nlmsg_flags & NLM_F_EXCL)) {
			err = -EEXIST;
			goto out;
		}
		if (linkinfo[IFLA_INFO_DATA]) {
			if (!ops || ops != dev->rtnl_link_ops || !ops->changelink) {
				err = -EOPNOTSUPP;
				goto out;
			}
			err = ops->changelink(dev, tb, data, extack);
			if (err < 0)
				goto out;
		}
		err = rtnl_do_setlink(dev, ifm, tb, extack);
		if (!err)
			rtnl_notify_link(dev, n, RTM_NEWLINK);
		goto out;
	}
	if (n->nlmsg_type != RTM_NEWLINK || !(n->nlmsg_flags & NLM_F_CREATE)) {
		err = -ENODEV;
		goto out;
	}
	if (!ops) {
		NL_SET_ERR_MSG(extack, "Unknown device type");
		err = -EOPNOTSUPP;
		goto out;
	}
	err = rtnl_newlink_create(n, ifm, ops, tb, linkinfo[IFLA_INFO_DATA] ? data : NULL,
				  extack);
out:
	kfree(data);
	return err;
}

/*
 * Take dev down and out, as unregister_netdevice_many(): closed,
 * announced (RTM_DELLINK), its qdiscs and their filters destroyed, the
 * actions pointing at it (mirred) cut loose, then unlinked by its kind
 * (which waits for the datapath to let go of it) and freed.
 */
void rtnl_delete_link(struct net_device *dev)
{
	if (dev->flags & IFF_UP)
		dev_change_flags(dev, dev->flags & ~IFF_UP, NULL);
	rtnl_notify_link(dev, NULL, RTM_DELLINK);
	dev_shutdown(dev);
	tcf_action_dev_unregister(dev);
	dev->rtnl_link_ops->dellink(dev);
	free_netdev(dev);
}

static int rtnl_dellink(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack)
{
	struct ifinfomsg *ifm = mnl_nlmsg_get_payload(n);
	struct nlattr *tb[IFLA_MAX + 1];
	struct net_device *dev;
	int err;

	(void)out;
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
	/* representors and lo: no kind, no dellink */
	if (!dev->rtnl_link_ops || !dev->rtnl_link_ops->dellink)
		return -EOPNOTSUPP;
	rtnl_delete_link(dev);
	return 0;
}

static void rtnetlink_init(void)
{
	rtnl_register(RTM_GETLINK, rtnl_getlink, rtnl_dump_ifinfo);
	rtnl_register(RTM_NEWLINK, rtnl_newlink, NULL);
	rtnl_register(RTM_SETLINK, rtnl_newlink, NULL);
	rtnl_register(RTM_DELLINK, rtnl_dellink, NULL);
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
