// SPDX-License-Identifier: GPL-2.0
/*
 * Qdisc netlink (net/sched/sch_api.c).  Devices here have no queues: the
 * root qdisc is always noqueue (as on a Linux virtual device), and the only
 * qdiscs that can be attached are the filter-holding ingress and clsact,
 * at parent ffff:fff1.
 */
#include <linux/slab.h>
#include <net/pkt_cls.h>
#include <net/rtnetlink.h>

size_t qdisc_priv_size(void);

static struct Qdisc_ops *qdisc_ops_table[8];
static int qdisc_nops;

void register_qdisc(struct Qdisc_ops *ops)
{
	if (qdisc_nops < (int)ARRAY_SIZE(qdisc_ops_table))
		qdisc_ops_table[qdisc_nops++] = ops;
}

static struct Qdisc_ops *qdisc_lookup_ops(const struct nlattr *kind)
{
	int i;

	for (i = 0; i < qdisc_nops; i++)
		if (!nla_strcmp(kind, qdisc_ops_table[i]->id))
			return qdisc_ops_table[i];
	return NULL;
}

static const struct nla_policy rtm_tca_policy[TCA_MAX + 1] = {
	[TCA_KIND] = { .type = NLA_STRING },
	[TCA_OPTIONS] = { .type = NLA_NESTED },
	[TCA_INGRESS_BLOCK] = { .type = NLA_U32 },
	[TCA_EGRESS_BLOCK] = { .type = NLA_U32 },
	[TCA_DUMP_INVISIBLE] = { .type = NLA_FLAG },
};

static void tc_fill_stats(struct nlmsghdr *nlh, u64 bytes, u64 packets, u64 drops)
{
	struct gnet_stats_basic sb = { .bytes = bytes, .packets = packets };
	struct gnet_stats_queue q = { .drops = drops };
	struct tc_stats st = { .bytes = bytes, .packets = packets, .drops = drops };
	struct nlattr *nest;

	if ((nlh->nlmsg_len + MNL_ATTR_HDRLEN) % 8)
		mnl_attr_put(nlh, TCA_PAD, 0, NULL);
	nest = nla_nest_start(nlh, TCA_STATS2);
	nla_put_64bit(nlh, TCA_STATS_BASIC, sizeof(sb), &sb, TCA_STATS_PAD);
	nla_put(nlh, TCA_STATS_QUEUE, sizeof(q), &q);
	nla_nest_end(nlh, nest);
	nla_put(nlh, TCA_STATS, sizeof(st), &st);
}

/* the noqueue root every device has */
static void tc_fill_root(struct nl_out *out, struct net_device *dev, u32 seq, u16 flags)
{
	struct nlmsghdr *nlh = nl_out_put(out, seq, RTM_NEWQDISC, flags, sizeof(struct tcmsg));
	struct tcmsg *tcm;

	if (!nlh)
		return;
	tcm = mnl_nlmsg_get_payload(nlh);
	tcm->tcm_family = AF_UNSPEC;
	tcm->tcm_ifindex = dev->ifindex;
	tcm->tcm_parent = TC_H_ROOT;
	tcm->tcm_info = 2;		/* refcnt */
	nla_put_string(nlh, TCA_KIND, "noqueue");
	tc_fill_stats(nlh, 0, 0, 0);
	nl_out_end(out, nlh);
}

static int tc_fill_qdisc(struct nl_out *out, struct Qdisc *q, u32 seq, u16 flags, int event)
{
	struct nlmsghdr *nlh = nl_out_put(out, seq, event, flags, sizeof(struct tcmsg));
	u64 bytes = 0, packets = 0, drops = 0;
	struct tcmsg *tcm;
	u32 block;

	if (!nlh)
		return -EMSGSIZE;
	tcm = mnl_nlmsg_get_payload(nlh);
	tcm->tcm_family = AF_UNSPEC;
	tcm->tcm_ifindex = q->dev->ifindex;
	tcm->tcm_parent = q->parent;
	tcm->tcm_handle = q->handle;
	/* the qdisc's refcount: gone once it is deleted (tc prints "refcnt 0") */
	tcm->tcm_info = event == RTM_DELQDISC ? 0 : 1;
	nla_put_string(nlh, TCA_KIND, q->ops->id);
	if (q->ops->ingress_block_get && (block = q->ops->ingress_block_get(q)))
		nla_put_u32(nlh, TCA_INGRESS_BLOCK, block);
	if (q->ops->egress_block_get && (block = q->ops->egress_block_get(q)))
		nla_put_u32(nlh, TCA_EGRESS_BLOCK, block);
	q->ops->dump(q, nlh);
	if (q->ops->stats)
		q->ops->stats(q, &bytes, &packets, &drops);
	tc_fill_stats(nlh, bytes, packets, drops);
	nl_out_end(out, nlh);
	return 0;
}

static void qdisc_notify(const struct nlmsghdr *n, struct Qdisc *q, int event)
{
	struct nl_out ev;

	nl_out_init(&ev, 0);
	if (!tc_fill_qdisc(&ev, q, n->nlmsg_seq, n->nlmsg_flags & NLM_F_ECHO, event))
		rtnl_notify(&ev, NETLINK_ROUTE, RTNLGRP_TC);
	nl_out_free(&ev);
}

static int qdisc_find_dev(const struct tcmsg *tcm, struct net_device **dev)
{
	*dev = dev_get_by_index(tcm->tcm_ifindex);
	return *dev ? 0 : -ENODEV;
}

int tc_modify_qdisc(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack)
{
	struct tcmsg *tcm = mnl_nlmsg_get_payload(n);
	struct nlattr *tca[TCA_MAX + 1];
	struct net_device *dev;
	struct Qdisc_ops *ops;
	struct Qdisc *q;
	int err;

	(void)out;
	err = nlmsg_parse(n, sizeof(*tcm), tca, TCA_MAX, rtm_tca_policy, extack);
	if (err < 0)
		return err;
	err = qdisc_find_dev(tcm, &dev);
	if (err)
		return err;
	if (tcm->tcm_parent != TC_H_INGRESS) {
		NL_SET_ERR_MSG(extack, "Only ingress and clsact qdiscs are supported");
		return -EOPNOTSUPP;
	}
	q = dev->qdisc_ingress;
	if (q) {
		if (n->nlmsg_flags & NLM_F_EXCL) {
			NL_SET_ERR_MSG(extack, "Exclusivity flag on, cannot modify");
			return -EEXIST;
		}
		if (tca[TCA_KIND] && nla_strcmp(tca[TCA_KIND], q->ops->id)) {
			NL_SET_ERR_MSG(extack, "Invalid qdisc name");
			return -EINVAL;
		}
		return 0;	/* replace with the same kind: nothing to change */
	}
	if (!(n->nlmsg_flags & NLM_F_CREATE)) {
		NL_SET_ERR_MSG(extack, "Qdisc not found. To create specify NLM_F_CREATE flag");
		return -ENOENT;
	}
	if (!tca[TCA_KIND] || !(ops = qdisc_lookup_ops(tca[TCA_KIND]))) {
		NL_SET_ERR_MSG(extack, "Specified qdisc kind is unknown");
		return -ENOENT;
	}
	q = kzalloc(sizeof(*q) + qdisc_priv_size(), GFP_KERNEL);
	if (!q)
		return -ENOMEM;
	q->ops = ops;
	q->dev = dev;
	q->priv = q + 1;
	q->handle = TC_H_MAKE(TC_H_INGRESS, 0);
	q->parent = TC_H_INGRESS;
	err = ops->init(q, tca[TCA_OPTIONS], tca, extack);
	if (err) {
		kfree(q);
		return err;
	}
	dev->qdisc_ingress = q;
	qdisc_notify(n, q, RTM_NEWQDISC);
	return 0;
}

static void qdisc_destroy(struct Qdisc *q)
{
	q->dev->qdisc_ingress = NULL;
	q->ops->destroy(q);
	kfree(q);
}

int tc_get_qdisc(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack)
{
	struct tcmsg *tcm = mnl_nlmsg_get_payload(n);
	struct nlattr *tca[TCA_MAX + 1];
	struct net_device *dev;
	struct Qdisc *q;
	int err;

	err = nlmsg_parse(n, sizeof(*tcm), tca, TCA_MAX, rtm_tca_policy, extack);
	if (err < 0)
		return err;
	err = qdisc_find_dev(tcm, &dev);
	if (err)
		return err;
	/* only the ingress/clsact slot can hold a qdisc: it is named by parent */
	if (!tcm->tcm_parent) {
		NL_SET_ERR_MSG(extack, "Classid cannot be zero");
		return -EINVAL;
	}
	q = tcm->tcm_parent == TC_H_INGRESS ? dev->qdisc_ingress : NULL;
	if (!q) {
		NL_SET_ERR_MSG(extack, "Cannot find specified qdisc on specified device");
		return -ENOENT;
	}
	if (tcm->tcm_handle && q->handle != tcm->tcm_handle) {
		NL_SET_ERR_MSG(extack, "Invalid handle");
		return -EINVAL;
	}
	if (tca[TCA_KIND] && nla_strcmp(tca[TCA_KIND], q->ops->id)) {
		NL_SET_ERR_MSG(extack, "Invalid qdisc name");
		return -EINVAL;
	}
	if (n->nlmsg_type == RTM_DELQDISC) {
		qdisc_notify(n, q, RTM_DELQDISC);
		qdisc_destroy(q);
		return 0;
	}
	return tc_fill_qdisc(out, q, n->nlmsg_seq, 0, RTM_NEWQDISC);
}

int tc_dump_qdisc(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack)
{
	struct tcmsg *tcm = mnl_nlmsg_get_payload(n);
	struct net_device *dev;

	(void)extack;
	for_each_netdev(dev) {
		if (n->nlmsg_len >= NLMSG_LENGTH(sizeof(*tcm)) && tcm->tcm_ifindex &&
		    tcm->tcm_ifindex != dev->ifindex)
			continue;
		tc_fill_root(out, dev, n->nlmsg_seq, NLM_F_MULTI);
		if (dev->qdisc_ingress)
			tc_fill_qdisc(out, dev->qdisc_ingress, n->nlmsg_seq, NLM_F_MULTI,
				      RTM_NEWQDISC);
	}
	return 0;
}

/* a device going away takes its qdisc (and filters) with it */
void dev_shutdown(struct net_device *dev)
{
	if (dev->qdisc_ingress)
		qdisc_destroy(dev->qdisc_ingress);
}
