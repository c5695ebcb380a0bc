// SPDX-License-Identifier: GPL-2.0
/*
 * `ip neigh` (the rtnetlink half of net/core/neighbour.c): RTM_NEWNEIGH
 * (add, replace), RTM_DELNEIGH (del; `flush` is a dump and deletes),
 * RTM_GETNEIGH dumps of arp_tbl and nd_tbl, filled as neigh_fill_info()
 * does, and RTNLGRP_NEIGH events for what the control plane changes
 * (changes the datapath makes are announced to drivers with netevents
 * only: netlink events are sent from the control thread).
 */
#include <errno.h>
#include <sys/socket.h>
#include <linux/if_ether.h>
#include <linux/init.h>
#include <linux/jiffies.h>
#include <linux/netdev.h>
#include <net/neighbour.h>
#include <net/rtnetlink.h>

static const struct nla_policy nda_policy[NDA_MAX + 1] = {
	[NDA_DST] = { .type = NLA_BINARY, .len = 16 },
	[NDA_LLADDR] = { .type = NLA_BINARY, .len = 32 },
	[NDA_PROBES] = { .type = NLA_U32 },
	[NDA_IFINDEX] = { .type = NLA_U32 },
	[NDA_MASTER] = { .type = NLA_U32 },
	[NDA_PROTOCOL] = { .type = NLA_U8 },
	[NDA_FLAGS_EXT] = { .type = NLA_U32 },
};

static int neigh_fill_info(struct nl_out *out, struct neighbour *n, int type, u32 seq,
			   u16 flags)
{
	struct nlmsghdr *nlh = nl_out_put(out, seq, type, flags, sizeof(struct ndmsg));
	u64 now = jiffies_ms();
	struct nda_cacheinfo ci;
	unsigned char ha[ETH_ALEN];
	struct ndmsg *ndm;
	u8 state;

	if (!nlh)
		return -EMSGSIZE;
	state = neigh_state_now(n);
	ndm = mnl_nlmsg_get_payload(nlh);
	ndm->ndm_family = n->tbl->family;
	ndm->ndm_flags = n->flags;
	ndm->ndm_type = RTN_UNICAST;
	ndm->ndm_ifindex = n->dev->ifindex;
	ndm->ndm_state = state;
	nla_put(nlh, NDA_DST, n->tbl->key_len, n->primary_key);
	if (state & NUD_VALID) {
		neigh_ha_snapshot(ha, n);
		nla_put(nlh, NDA_LLADDR, ETH_ALEN, ha);
	}
	ci.ndm_confirmed = jiffies_to_clock_t(now - READ_ONCE(n->confirmed));
	ci.ndm_used = jiffies_to_clock_t(now - READ_ONCE(n->used));
	ci.ndm_updated = jiffies_to_clock_t(now - READ_ONCE(n->updated));
	ci.ndm_refcnt = refcount_read(&n->refcnt) - 1;
	nla_put(nlh, NDA_CACHEINFO, sizeof(ci), &ci);
	nla_put_u32(nlh, NDA_PROBES, READ_ONCE(n->probes));
	nl_out_end(out, nlh);
	return 0;
}

static void neigh_notify(struct neighbour *n, int type, const struct nlmsghdr *req)
{
	struct nl_out ev;

	nl_out_init(&ev, 0);
	if (!neigh_fill_info(&ev, n, type, req->nlmsg_seq, 0))
		rtnl_notify(&ev, NETLINK_ROUTE, RTNLGRP_NEIGH);
	nl_out_free(&ev);
}

/* the table, device and key an RTM_*NEIGH names */
static int neigh_parse(struct nlmsghdr *n, struct nlattr **tb, struct neigh_table **tbl,
		       struct net_device **dev, struct netlink_ext_ack *extack)
{
	struct ndmsg *ndm = mnl_nlmsg_get_payload(n);
	int err;

	err = nlmsg_parse(n, sizeof(*ndm), tb, NDA_MAX, nda_policy, extack);
	if (err < 0)
		return err;
	if (!tb[NDA_DST]) {
		NL_SET_ERR_MSG(extack, "Network address not specified");
		return -EINVAL;
	}
	*tbl = neigh_find_table(ndm->ndm_family);
	if (!*tbl)
		return -EAFNOSUPPORT;
	if (nla_len(tb[NDA_DST]) < (int)(*tbl)->key_len) {
		NL_SET_ERR_MSG(extack, "Invalid network address");
		return -EINVAL;
	}
	*dev = ndm->ndm_ifindex ? dev_get_by_index(ndm->ndm_ifindex) : NULL;
	if (!*dev) {
		NL_SET_ERR_MSG(extack, "Device not specified");
		return ndm->ndm_ifindex ? -ENODEV : -EINVAL;
	}
	return 0;
}

static int neigh_add(struct nlmsghdr *nlh, struct nl_out *out, struct netlink_ext_ack *extack)
{
	struct ndmsg *ndm = mnl_nlmsg_get_payload(nlh);
	struct nlattr *tb[NDA_MAX + 1];
	struct neigh_table *tbl;
	struct net_device *dev;
	struct neighbour *n;
	const u8 *lladdr = NULL;
	int err;

	err = neigh_parse(nlh, tb, &tbl, &dev, extack);
	if (err)
		return err;
	if (tb[NDA_LLADDR]) {
		if (nla_len(tb[NDA_LLADDR]) < dev->addr_len) {
			NL_SET_ERR_MSG(extack, "Invalid link address");
			return -EINVAL;
		}
		lladdr = nla_data(tb[NDA_LLADDR]);
	}
	n = neigh_lookup(tbl, nla_data(tb[NDA_DST]), dev);
	if (n && (nlh->nlmsg_flags & NLM_F_EXCL)) {
		neigh_release(n);
		return -EEXIST;
	}
	if (!n) {
		if (!(nlh->nlmsg_flags & NLM_F_CREATE)) {
			NL_SET_ERR_MSG(extack, "Neighbour entry not found");
			return -ENOENT;
		}
		n = neigh_lookup_create(tbl, nla_data(tb[NDA_DST]), dev);
		if (!n)
			return -ENOBUFS;
	}
	err = neigh_update(n, lladdr, ndm->ndm_state,
			   NEIGH_UPDATE_F_ADMIN | NEIGH_UPDATE_F_OVERRIDE);
	if (!err)
		neigh_notify(n, RTM_NEWNEIGH, nlh);
	neigh_release(n);
	return err;
}

static int neigh_delete(struct nlmsghdr *nlh, struct nl_out *out, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[NDA_MAX + 1];
	struct neigh_table *tbl;
	struct net_device *dev;
	struct neighbour *n;
	int err;

	err = neigh_parse(nlh, tb, &tbl, &dev, extack);
	if (err)
		return err;
	n = neigh_lookup(tbl, nla_data(tb[NDA_DST]), dev);
	if (!n)
		return -ENOENT;
	neigh_remove(n);
	neigh_notify(n, RTM_DELNEIGH, nlh);
	neigh_release(n);
	return 0;
}

static void neigh_dump_table(struct neigh_table *tbl, struct nl_out *out, u32 seq)
{
	struct neighbour *n;

	list_for_each_entry_rcu(n, &tbl->entries, list)
		neigh_fill_info(out, n, RTM_NEWNEIGH, seq, NLM_F_MULTI);
}

/* both tables for AF_UNSPEC; iproute2 filters by device and state itself */
static int neigh_dump_info(struct nlmsghdr *nlh, struct nl_out *out,
			   struct netlink_ext_ack *extack)
{
	struct ndmsg *ndm = mnl_nlmsg_get_payload(nlh);
	u8 family = nlh->nlmsg_len >= NLMSG_LENGTH(1) ? ndm->ndm_family : AF_UNSPEC;

	rcu_read_lock();
	if (family == AF_INET || family == AF_UNSPEC)
		neigh_dump_table(&arp_tbl, out, nlh->nlmsg_seq);
	if (family == AF_INET6 || family == AF_UNSPEC)
		neigh_dump_table(&nd_tbl, out, nlh->nlmsg_seq);
	rcu_read_unlock();
	return 0;
}

static void neigh_netlink_init(void)
{
	rtnl_register(RTM_NEWNEIGH, neigh_add, NULL);
	rtnl_register(RTM_DELNEIGH, neigh_delete, NULL);
	rtnl_register(RTM_GETNEIGH, NULL, neigh_dump_info);
}

module_init(neigh_netlink_init);
