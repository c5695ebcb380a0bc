// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the netlink control plane: each input is one record
 * sent by a real client socket to the real netlink server of a daemon with
 * an eswitch (null ports), exactly as the shim would send it: netlink
 * messages (RTM_* for links, qdiscs, chains, filters, actions) or a shim
 * control record.  State carries over between inputs, so sequences of
 * commands are explored too.  Replies are read and thrown away.
 */
#include <stdio.h>
#include <unistd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <linux/rcupdate.h>
#include <net/netlink_server.h>
#include <net/rtnetlink.h>
#include <uapi/ctoffload/nlshim.h>
#include "../../../drivers/net/ethernet/mellanox/mlx5/core/eswitch.h"

struct net_device *loopback_net_init(void);

static int client_fd = -1;

/* run the server until it has nothing left to do, reading what it says */
static void settle(void)
{
	char buf[65536];
	int idle = 0;

	while (idle < 2) {
		bool moved = false;

		if (nl_server_poll(0) < 0)
			abort();
		while (recv(client_fd, buf, sizeof(buf), MSG_DONTWAIT) > 0)
			moved = true;
		idle = moved ? 0 : idle + 1;
	}
}

static void setup(void)
{
	struct mlx5_esw_config ecfg = {
		.pf = "fz", .num_vfs = 2, .uplink_port = "null", .vf_port = "null",
	};
	struct cto_shim_ctl hello = { CTO_SHIM_MAGIC, CTO_SHIM_HELLO, NETLINK_ROUTE, 0 };
	struct cto_shim_ctl extack = { CTO_SHIM_MAGIC, CTO_SHIM_SETOPT, NETLINK_EXT_ACK, 1 };
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	static char path[108];
	struct nl_server_config cfg = { .path = path };

	rcu_register_thread();
	rtnl_lock();
	loopback_net_init();
	rtnl_unlock();
	if (!mlx5_eswitch_create(&ecfg))
		abort();
	nl_server_register_protocol(NETLINK_ROUTE, rtnetlink_rcv_msg, rtnetlink_is_dump);
	snprintf(path, sizeof(path), "/tmp/ctoffload-fuzz.%d.sock", getpid());
	if (nl_server_start(&cfg))
		abort();
	strcpy(sun.sun_path, path);
	client_fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (client_fd < 0 || connect(client_fd, (struct sockaddr *)&sun, sizeof(sun)))
		abort();
	unlink(path);
	nl_server_poll(100);	/* accept */
	if (send(client_fd, &hello, sizeof(hello), 0) != sizeof(hello) ||
	    send(client_fd, &extack, sizeof(extack), 0) != sizeof(extack))
		abort();
	settle();
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
