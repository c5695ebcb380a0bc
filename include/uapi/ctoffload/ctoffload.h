/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ctoffloadd's own netlink protocol, for what Linux does not answer over
 * netlink: sysctls (Linux: /proc/sys) and the test clock.  Spoken by the
 * `ctoffload` client over the same socket as the shim (hello with protocol
 * NETLINK_CTOFFLOAD), with plain nlmsghdr + attributes.
 */
#ifndef _UAPI_CTOFFLOAD_CTOFFLOAD_H
#define _UAPI_CTOFFLOAD_CTOFFLOAD_H

#include <linux/types.h>

#define NETLINK_CTOFFLOAD	31	/* a protocol number no kernel family uses */

enum {
	CTO_MSG_SYSCTL_GET = 16,	/* NAME: that one; none + NLM_F_DUMP: all */
	CTO_MSG_SYSCTL_SET,		/* NAME, VALUE */
	CTO_MSG_CLOCK_GET,		/* reply: NOW_MS, VIRTUAL */
	CTO_MSG_CLOCK_SET,		/* VIRTUAL=1 switches to a test clock; ADVANCE_MS moves it */
	CTO_MSG_FLOWTABLE_GET,		/* NLM_F_DUMP: one message per flowtable entry, FT_* */
	CTO_MSG_STEERING_GET,		/* STEERING_FORMAT; dump: the text in STEERING_TEXT pieces */
	__CTO_MSG_MAX
};

enum {
	CTO_A_UNSPEC,
	CTO_A_SYSCTL_NAME,		/* string, "net.netfilter.nf_conntrack_max" */
	CTO_A_SYSCTL_VALUE,		/* string, as /proc/sys shows it */
	CTO_A_CLOCK_NOW_MS,		/* u64 */
	CTO_A_CLOCK_ADVANCE_MS,		/* u64 */
	CTO_A_CLOCK_VIRTUAL,		/* u8 */
	CTO_A_FT_ZONE,			/* u16, the act_ct zone whose flowtable holds it */
	CTO_A_FT_L3PROTO,		/* u8, NFPROTO_IPV4 / NFPROTO_IPV6 */
	CTO_A_FT_L4PROTO,		/* u8, IPPROTO_TCP / IPPROTO_UDP */
	CTO_A_FT_ORIG_SRC,		/* binary, 4 or 16 bytes: the original direction's tuple */
	CTO_A_FT_ORIG_DST,
	CTO_A_FT_ORIG_SPORT,		/* u16, network order */
	CTO_A_FT_ORIG_DPORT,
	CTO_A_FT_REPLY_SRC,		/* the reply direction's tuple, likewise */
	CTO_A_FT_REPLY_DST,
	CTO_A_FT_REPLY_SPORT,
	CTO_A_FT_REPLY_DPORT,
	CTO_A_FT_FLAGS,			/* u32, 1 << NF_FLOW_* (SNAT, DNAT, TEARDOWN, HW...) */
	CTO_A_FT_TIMEOUT_S,		/* u32, seconds until it expires (0: due) */
	CTO_A_STEERING_FORMAT,		/* u8, CTO_STEERING_* */
	CTO_A_STEERING_TEXT,		/* binary: the next piece of the dump's text */
	__CTO_A_MAX
};
#define CTO_A_MAX (__CTO_A_MAX - 1)

/* the eswitch model's dump: tables, groups, FTEs and counters */
enum {
	CTO_STEERING_TEXT,
	CTO_STEERING_JSON,
	CTO_STEERING_DOT,		/* Graphviz */
};

#endif
