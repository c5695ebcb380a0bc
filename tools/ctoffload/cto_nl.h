/* SPDX-License-Identifier: GPL-2.0 */
/* The client's netlink channel to ctoffloadd (NETLINK_CTOFFLOAD requests). */
#ifndef _CTO_NL_H
#define _CTO_NL_H

#include <stdbool.h>
#include <libmnl/libmnl.h>

extern const char *daemon_name;
int daemon_sock_path(char *buf, size_t size);

/* connect to the daemon and say hello for protocol; fd, or -errno (said on stderr) */
int cto_nl_open(int protocol);
/*
 * Send the request in buf and feed each reply message to cb until the ack
 * or NLMSG_DONE.  Returns 0 or -errno; an extack message is printed to
 * stderr prefixed with "prog: ".
 */
int cto_nl_request(int fd, struct nlmsghdr *req, mnl_cb_t cb, void *data, const char *prog);

#endif
