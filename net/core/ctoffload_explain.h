/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ctoffload_explain.c's handlers, dispatched by ctoffload_netlink.c
 * (tb: the request parsed with its policy).  Both answer as dumps.
 */
#ifndef _NET_CORE_CTOFFLOAD_EXPLAIN_H
#define _NET_CORE_CTOFFLOAD_EXPLAIN_H

struct nlmsghdr;
struct nlattr;
struct nl_out;
struct netlink_ext_ack;

/* CTO_MSG_EXPLAIN_FILTER: EXPLAIN_DEV [EXPLAIN_CHAIN] [EXPLAIN_PRIO] */
int cto_explain_filter(struct nlmsghdr *n, struct nlattr **tb, struct nl_out *out,
		       struct netlink_ext_ack *extack);
/* CTO_MSG_EXPLAIN_CONN: [FT_ZONE] [FT_L3PROTO] [FT_L4PROTO] [FT_ORIG_*], or NLM_F_DUMP */
int cto_explain_conn(struct nlmsghdr *n, struct nlattr **tb, struct nl_out *out,
		     struct netlink_ext_ack *extack);

#endif
