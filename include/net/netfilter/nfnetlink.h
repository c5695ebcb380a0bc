/* SPDX-License-Identifier: GPL-2.0 */
/*
 * NETLINK_NETFILTER (net/netfilter/nfnetlink.c): one netlink protocol shared
 * by netfilter subsystems.  A message type is (subsystem id << 8 | message),
 * every message starts with a struct nfgenmsg, and each subsystem declares
 * a table of callbacks indexed by message, each with the policy of its
 * top-level attributes.  The dispatcher validates those attributes before
 * the callback sees them.  ctnetlink (NFNL_SUBSYS_CTNETLINK) is the one
 * subsystem we serve; `conntrack` talks to it.
 *
 * Callbacks run on the control thread (the netlink server's), one at a
 * time: they need no lock against each other, only RCU against datapath
 * threads.
 */
#ifndef _NET_NETFILTER_NFNETLINK_H
#define _NET_NETFILTER_NFNETLINK_H

#include <linux/netfilter/nfnetlink.h>
#include <net/netlink.h>

/* what a callback knows about the request it answers */
struct nfnl_info {
	const struct nlmsghdr *nlh;
	const struct nfgenmsg *nfmsg;
	struct nl_out *out;		/* the reply; out->portid is the requester */
	struct netlink_ext_ack *extack;
};

static inline u32 nfnl_portid(const struct nfnl_info *info)
{
	return info->out->portid;
}

/* the kernel's nlmsg_report(): did the requester ask for an echo? */
static inline int nfnl_report(const struct nfnl_info *info)
{
	return !!(info->nlh->nlmsg_flags & NLM_F_ECHO);
}

struct nfnl_callback {
	int (*call)(const struct nfnl_info *info, const struct nlattr * const cda[]);
	const struct nla_policy *policy;	/* of attributes 0..attr_count */
	u16 attr_count;				/* highest attribute type */
	/*
	 * The callback answers NLM_F_DUMP requests with a dump (a GET): the
	 * server then ends its answer with NLMSG_DONE instead of an ack.
	 * Only such callbacks look at the flag, as NLM_F_DUMP's bits are
	 * NLM_F_CREATE/NLM_F_EXCL's in a NEW request.
	 */
	bool dumps;
};

struct nfnetlink_subsystem {
	const char *name;
	u8 subsys_id;			/* NFNL_SUBSYS_* */
	u8 cb_count;			/* messages 0..cb_count-1 */
	const struct nfnl_callback *cb;
};

int nfnetlink_subsys_register(const struct nfnetlink_subsystem *n);
void nfnetlink_subsys_unregister(const struct nfnetlink_subsystem *n);

static inline u16 nfnl_msg_type(u8 subsys, u8 msg_type)
{
	return subsys << 8 | msg_type;
}

/* start a message with its nfgenmsg; res_id is stored big-endian */
struct nlmsghdr *nfnl_msg_put(struct nl_out *out, u32 seq, u16 type, u16 flags,
			      u8 family, u8 version, u16 res_id);

/* is anybody subscribed to NFNLGRP_* group? (any thread) */
bool nfnetlink_has_listeners(unsigned int group);
/* multicast the messages of out to group's subscribers (control thread) */
void nfnetlink_send(struct nl_out *out, unsigned int group);

/* the netlink server's entry points (registered by nfnetlink itself) */
int nfnetlink_rcv_msg(struct nlmsghdr *nlh, struct nl_out *out,
		      struct netlink_ext_ack *extack);
bool nfnetlink_is_dump(const struct nlmsghdr *nlh);

#endif
