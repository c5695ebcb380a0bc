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
	__CTO_MSG_MAX
};

enum {
	CTO_A_UNSPEC,
	CTO_A_SYSCTL_NAME,		/* string, "net.netfilter.nf_conntrack_max" */
	CTO_A_SYSCTL_VALUE,		/* string, as /proc/sys shows it */
	CTO_A_CLOCK_NOW_MS,		/* u64 */
	CTO_A_CLOCK_ADVANCE_MS,		/* u64 */
	CTO_A_CLOCK_VIRTUAL,		/* u8 */
	__CTO_A_MAX
};
#define CTO_A_MAX (__CTO_A_MAX - 1)

#endif
