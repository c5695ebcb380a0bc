/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The daemon's netlink endpoint (net/core/netlink_server.c): clients reach
 * it through the LD_PRELOAD shim (include/uapi/ctoffload/nlshim.h).
 */
#ifndef _NET_NETLINK_SERVER_H
#define _NET_NETLINK_SERVER_H

#include <sys/types.h>
#include <net/netlink.h>

struct nl_server_config {
	const char *path;	/* socket path */
	gid_t group;		/* besides root, members of this group may connect */
	bool group_set;
};

int nl_server_start(const struct nl_server_config *cfg);
/* serve until nl_server_stop() (runs the control plane on the calling thread) */
int nl_server_run(void);
/* handle the events ready within timeout_ms; 1 once stopped, else 0 or -errno */
int nl_server_poll(int timeout_ms);
void nl_server_stop(void);
void nl_server_cleanup(void);

/* a netlink protocol's request handler (NETLINK_ROUTE: rtnetlink_rcv_msg) */
typedef int (*nl_rcv_func)(struct nlmsghdr *n, struct nl_out *out,
			   struct netlink_ext_ack *extack);
typedef bool (*nl_is_dump_func)(const struct nlmsghdr *n);
void nl_server_register_protocol(int protocol, nl_rcv_func rcv, nl_is_dump_func is_dump);

/* does any client of protocol listen to group (1-based)?  Any thread, no lock */
bool nl_server_has_listeners(int protocol, unsigned int group);
/*
 * Serve fd on the control thread too: cb(arg) runs (under no lock) when it
 * is readable.  For event queues (eventfd) and timers (timerfd).  After
 * nl_server_start().
 */
int nl_server_add_fd(int fd, void (*cb)(void *arg), void *arg);
/* run cb(arg) on the control thread every interval_ms (the kernel's periodic work) */
int nl_server_add_timer(unsigned int interval_ms, void (*cb)(void *arg), void *arg);

#endif
