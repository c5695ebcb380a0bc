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
	/*
	 * ctoffload trace: TRACE_DEV (the representor whose vport the frame
	 * enters by), TRACE_FRAME, TRACE_COMMIT (u8, 1: for real; else a dry
	 * run that changes nothing).  Answered as a dump: the stages (JSON
	 * lines, include/net/pkt_trace.h) in TRACE_TEXT pieces.
	 */
	CTO_MSG_TRACE,
	/*
	 * ctoffload trace --live: TRACE_DEV, TRACE_COUNT (u32), TRACE_KEY and
	 * TRACE_MASK (struct fl_flow_key, the packets to trace; absent: all)
	 * arm it; TRACE_COUNT 0 disarms.  TRACE_LIVE_GET (dump) returns the
	 * traces completed since the last call, each as TRACE_INDEX (u32, 1 for
	 * the first packet traced) + TRACE_TEXT pieces, and one last message
	 * with TRACE_COUNT = packets still to trace (0: done).
	 */
	CTO_MSG_TRACE_LIVE,
	CTO_MSG_TRACE_LIVE_GET,
	/*
	 * ctoffload explain filter: EXPLAIN_DEV [EXPLAIN_CHAIN] [EXPLAIN_PRIO];
	 * explain conn: [FT_ZONE] and a tuple in FT_L3PROTO, FT_L4PROTO,
	 * FT_ORIG_SRC/DST/SPORT/DPORT (any absent member matches all), or
	 * NLM_F_DUMP for every connection.  Dumps: one JSON object per filter /
	 * connection, in EXPLAIN_TEXT (one message each).
	 */
	CTO_MSG_EXPLAIN_FILTER,
	CTO_MSG_EXPLAIN_CONN,
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
	CTO_A_TRACE_DEV,		/* string, a device name */
	CTO_A_TRACE_FRAME,		/* binary, an Ethernet frame */
	CTO_A_TRACE_COMMIT,		/* u8 */
	CTO_A_TRACE_COUNT,		/* u32 */
	CTO_A_TRACE_KEY,		/* binary, struct fl_flow_key */
	CTO_A_TRACE_MASK,		/* binary, struct fl_flow_key */
	CTO_A_TRACE_INDEX,		/* u32 */
	CTO_A_TRACE_TEXT,		/* binary: the next piece of JSON lines */
	CTO_A_EXPLAIN_DEV,		/* string */
	CTO_A_EXPLAIN_CHAIN,		/* u32 */
	CTO_A_EXPLAIN_PRIO,		/* u32 */
	CTO_A_EXPLAIN_TEXT,		/* string: one JSON object */
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
