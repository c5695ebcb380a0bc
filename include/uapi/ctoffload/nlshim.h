/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The wire protocol between the LD_PRELOAD netlink shim (tools/lib/nlshim.c)
 * and ctoffloadd's netlink server (net/core/netlink_server.c).
 *
 * A client's AF_NETLINK socket becomes a connected AF_UNIX SOCK_SEQPACKET
 * socket: one record = one netlink datagram, so message boundaries, MSG_PEEK
 * and MSG_TRUNC behave as they do on a real netlink socket.  The shim opens
 * with a hello naming the netlink protocol; the daemon answers with the port
 * id it assigned, as the kernel does at autobind.  Socket options that the
 * kernel would act on (group membership, ext ack) travel as control records.
 * A control record can never be mistaken for netlink traffic: it starts with
 * a magic that is not a plausible nlmsg_len (> 1 GiB).
 */
#ifndef _UAPI_CTOFFLOAD_NLSHIM_H
#define _UAPI_CTOFFLOAD_NLSHIM_H

#include <linux/types.h>

#define CTO_SHIM_MAGIC		0xc70ff10dU
#define CTO_SHIM_VERSION	1

/* environment handed to the shim by `ctoffload exec` */
#define CTO_ENV_SOCK		"CTOFFLOAD_SOCK"
#define CTO_RUNDIR_DEFAULT	"/run/ctoffload"

enum cto_shim_op {
	CTO_SHIM_HELLO = 1,	/* arg = netlink protocol (NETLINK_ROUTE, ...) */
	CTO_SHIM_SETOPT,	/* arg = SOL_NETLINK option, val = its int value */
};

/* shim -> daemon: first record on the connection, and every control record */
struct cto_shim_ctl {
	__u32 magic;		/* CTO_SHIM_MAGIC */
	__u32 op;		/* enum cto_shim_op */
	__u32 arg;
	__u32 val;
};

/* daemon -> shim: the only non-netlink record, the answer to HELLO */
struct cto_shim_hello_reply {
	__u32 magic;		/* CTO_SHIM_MAGIC */
	__s32 error;		/* 0 or a negative errno (e.g. -EPROTONOSUPPORT) */
	__u32 portid;		/* what getsockname() reports as nl_pid */
	__u32 pad;
};

#endif
