// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for NETLINK_NETFILTER (nfnetlink + ctnetlink): each
 * input is one record sent by a client socket to the real netlink server,
 * as the shim would send what `conntrack` writes: IPCTNL_MSG_CT_* requests
 * (or anything else).  A second client listens to the NEW, UPDATE and
 * DESTROY groups, so every change also builds its event.  The conntrack
 * table carries over between inputs (entries made by one input are
 * listed, updated, deleted by the next).  Replies are read and dropped.
 * Seeds: capture_ctnetlink_seeds.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <linux/rcupdate.h>
#include <linux/netfilter/nfnetlink.h>
#include <net/netlink_server.h>
#include <net/netfilter/nf_conntrack.h>
#include <uapi/ctoffload/nlshim.h>

static int client_fd = -1, listener_fd = -1;

static void drain(int fd, bool *moved)
{
	char buf[65536];

	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
		*moved = true;
}

/* run the server until it has nothing left to do, reading what it says */
static void settle(void)
{
	int idle = 0;

	while (idle < 2) {
		bool moved = false;

		if (nl_server_poll(0) < 0)
			abort();
		drain(client_fd, &moved);
		drain(listener_fd, &moved);
		idle = moved ? 0 : idle + 1;
	}
}

static void send_ctl(int fd, u32 op, u32 arg, u32 val)
{
	struct cto_shim_ctl ctl = { CTO_SHIM_MAGIC, op, arg, val };

	if (send(fd, &ctl, sizeof(ctl), 0) != sizeof(ctl))
		abort();
}

static int connect_client(const char *path)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	int fd;

	strcpy(sun.sun_path, path);
	fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sun, sizeof(sun)))
		abort();
	nl_server_poll(100);	/* accept */
	send_ctl(fd, CTO_SHIM_HELLO, NETLINK_NETFILTER, 0);
	return fd;
}

/* entries carried between inputs are freed before the leak check at exit */
static void teardown(void)
{
	nf_conntrack_cleanup();
}

static void setup(void)
{
	static char path[108];
	struct nl_server_config cfg = { .path = path };
	unsigned int group;

	rcu_register_thread();
	snprintf(path, sizeof(path), "/tmp/ctoffload-fuzz-ct.%d.sock", getpid());
	if (nl_server_start(&cfg) || nf_conntrack_init() || nf_conntrack_start())
		abort();
	client_fd = connect_client(path);
	send_ctl(client_fd, CTO_SHIM_SETOPT, NETLINK_EXT_ACK, 1);
	listener_fd = connect_client(path);
	for (group = NFNLGRP_CONNTRACK_NEW; group <= NFNLGRP_CONNTRACK_DESTROY; group++)
		send_ctl(listener_fd, CTO_SHIM_SETOPT, NETLINK_ADD_MEMBERSHIP, group);
	unlink(path);
	settle();
	atexit(teardown);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (client_fd < 0)
		setup();
	if (!size || size > 65536)
		return 0;
	if (send(client_fd, data, size, 0) != (ssize_t)size)
		abort();
	settle();
	return 0;
}
