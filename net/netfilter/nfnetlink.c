// SPDX-License-Identifier: GPL-2.0
/*
 * NETLINK_NETFILTER: the dispatcher in front of the netfilter subsystems.
 *
 * A request's type names its subsystem (high byte) and message (low byte);
 * the subsystem's callback table gives the handler and the policy of the
 * top-level attributes, which are validated here first.  As in Linux, a
 * message too short for its struct nfgenmsg is ignored, an unknown
 * subsystem or message is -EINVAL, and a batch (nftables' transactions) is
 * refused with -EOPNOTSUPP: no subsystem we serve takes batches.
 *
 * Everything runs on the control thread; datapath threads only ever ask
 * nfnetlink_has_listeners().
 */
#include <arpa/inet.h>
#include <linux/init.h>
#include <linux/rcupdate.h>
#include <net/netlink_server.h>
#include <net/rtnetlink.h>
#include <net/netfilter/nfnetlink.h>

/* the most attributes a callback may declare (the kernel's NFNL_MAX_ATTR_COUNT) */
#define NFNL_MAX_ATTR_COUNT	32

static const struct nfnetlink_subsystem *nfnl_subsys[NFNL_SUBSYS_COUNT];

int nfnetlink_subsys_register(const struct nfnetlink_subsystem *n)
{
	unsigned int i;

	if (n->subsys_id >= NFNL_SUBSYS_COUNT)
		return -ENOENT;
	for (i = 0; i < n->cb_count; i++)
		if (n->cb[i].attr_count > NFNL_MAX_ATTR_COUNT)
			return -EINVAL;
	if (nfnl_subsys[n->subsys_id])
		return -EBUSY;
	nfnl_subsys[n->subsys_id] = n;
	return 0;
}

void nfnetlink_subsys_unregister(const struct nfnetlink_subsystem *n)
{
	if (n->subsys_id < NFNL_SUBSYS_COUNT && nfnl_subsys[n->subsys_id] == n)
		nfnl_subsys[n->subsys_id] = NULL;
}

struct nlmsghdr *nfnl_msg_put(struct nl_out *out, u32 seq, u16 type, u16 flags,
			      u8 family, u8 version, u16 res_id)
{
	struct nlmsghdr *nlh;
	struct nfgenmsg *nfmsg;

	nlh = nl_out_put(out, seq, type, flags, sizeof(*nfmsg));
	if (!nlh)
		return NULL;
	nfmsg = mnl_nlmsg_get_payload(nlh);
	nfmsg->nfgen_family = family;
	nfmsg->version = version;
	nfmsg->res_id = htons(res_id);
	return nlh;
}

bool nfnetlink_has_listeners(unsigned int group)
{
	return nl_server_has_listeners(NETLINK_NETFILTER, group);
}

void nfnetlink_send(struct nl_out *out, unsigned int group)
{
	rtnl_notify(out, NETLINK_NETFILTER, group);
}

/* the callback a request is for, or NULL; the request must hold its nfgenmsg */
static const struct nfnl_callback *nfnl_find_callback(const struct nlmsghdr *nlh)
{
	const struct nfnetlink_subsystem *ss;
	u8 subsys_id = NFNL_SUBSYS_ID(nlh->nlmsg_type);
	u8 cb_id = NFNL_MSG_TYPE(nlh->nlmsg_type);

	if (subsys_id >= NFNL_SUBSYS_COUNT)
		return NULL;
	ss = nfnl_subsys[subsys_id];
	if (!ss || cb_id >= ss->cb_count)
		return NULL;
	return &ss->cb[cb_id];
}

static bool nfnl_has_header(const struct nlmsghdr *nlh)
{
	return nlh->nlmsg_len >= MNL_NLMSG_HDRLEN + sizeof(struct nfgenmsg);
}

bool nfnetlink_is_dump(const struct nlmsghdr *nlh)
{
	const struct nfnl_callback *nc;

	if (!nfnl_has_header(nlh))
		return false;
	nc = nfnl_find_callback(nlh);
	return nc && nc->dumps && (nlh->nlmsg_flags & NLM_F_DUMP);
}

int nfnetlink_rcv_msg(struct nlmsghdr *nlh, struct nl_out *out,
		      struct netlink_ext_ack *extack)
{
	struct nlattr *cda[NFNL_MAX_ATTR_COUNT + 1];
	const struct nfnl_callback *nc;
	struct nfnl_info info = {
		.nlh = nlh,
		.nfmsg = mnl_nlmsg_get_payload(nlh),
		.out = out,
		.extack = extack,
	};
	int err;

	/* Linux drops, without a word, what cannot even hold an nfgenmsg */
	if (!nfnl_has_header(nlh))
		return 0;
	if (nlh->nlmsg_type == NFNL_MSG_BATCH_BEGIN)
		return -EOPNOTSUPP;
	nc = nfnl_find_callback(nlh);
	if (!nc || !nc->call)
		return -EINVAL;
	err = nlmsg_parse(nlh, sizeof(struct nfgenmsg), cda, nc->attr_count,
			  nc->policy, extack);
	if (err < 0)
		return err;
	rcu_read_lock();
	err = nc->call(&info, (const struct nlattr * const *)cda);
	rcu_read_unlock();
	return err;
}

static void nfnetlink_init(void)
{
	nl_server_register_protocol(NETLINK_NETFILTER, nfnetlink_rcv_msg, nfnetlink_is_dump);
}

module_init(nfnetlink_init);
