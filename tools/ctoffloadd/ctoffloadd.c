// SPDX-License-Identifier: GPL-2.0
/*
 * ctoffloadd: one eswitch device (uplink + VFs in switchdev mode), its
 * representors, the datapath threads and the netlink server that the real
 * tc / ip / conntrack talk to through `ctoffload exec`.
 *
 *   ctoffloadd [-n NAME] --pf PF --vfs N [--uplink tap|pcap:IN[,OUT]|gen]
 *              [--vf-port tap|...] [--hw-tc-offload on|off] [--group GROUP]
 *              [--rundir DIR] [--cores N]
 */
#include <getopt.h>
#include <grp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <linux/rcupdate.h>
#include <net/datapath.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_flow_table.h>
#include <net/netlink_server.h>
#include <net/rtnetlink.h>
#include <uapi/ctoffload/nlshim.h>
#include "../../drivers/net/ethernet/mellanox/mlx5/core/eswitch.h"

struct net_device *loopback_net_init(void);

static void usage(FILE *f)
{
	fprintf(f,
		"usage: ctoffloadd [-n NAME] --pf PF --vfs N [--uplink tap|pcap:IN[,OUT]|gen]\n"
		"                  [--vf-port KIND] [--hw-tc-offload on|off] [--group GROUP]\n"
		"                  [--rundir DIR] [--cores N]\n"
		"  One eswitch device: representors PF (uplink) and PF_0..PF_<N-1>;\n"
		"  host TAPs PFv0.. (VF sides) and PFwire (the uplink's wire side).\n"
		"  --hw-tc-offload off: tc filters stay in software, as on a device\n"
		"  without offload (ethtool -K REP hw-tc-offload off).\n"
		"  --cores N: datapath threads (default: one per online core, at most %d);\n"
		"  each polls its share of the ports' queues.\n"
		"  Clients: ctoffload [-n NAME] exec tc|ip|conntrack ...\n", DP_MAX_THREADS);
}

static void on_signal(int sig)
{
	(void)sig;
	nl_server_stop();
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' },
		{ "pf", required_argument, NULL, 'p' },
		{ "vfs", required_argument, NULL, 'v' },
		{ "uplink", required_argument, NULL, 'u' },
		{ "vf-port", required_argument, NULL, 'V' },
		{ "hw-tc-offload", required_argument, NULL, 'H' },
		{ "group", required_argument, NULL, 'g' },
		{ "rundir", required_argument, NULL, 'r' },
		{ "cores", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	struct mlx5_esw_config ecfg = { .num_vfs = 0 };
	struct nl_server_config ncfg = {};
	const char *name = "default", *rundir = getenv("CTOFFLOAD_RUNDIR");
	struct port *ports[MLX5_ESW_MAX_VFS + 1];
	struct mlx5_eswitch *esw;
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	struct datapath *dp;
	char path[512];
	int c, err, nports;

	while ((c = getopt_long(argc, argv, "n:h", opts, NULL)) != -1) {
		switch (c) {
		case 'n': name = optarg; break;
		case 'p': ecfg.pf = optarg; break;
		case 'v': ecfg.num_vfs = atoi(optarg); break;
		case 'u': ecfg.uplink_port = optarg; break;
		case 'V': ecfg.vf_port = optarg; break;
		case 'H':
			if (strcmp(optarg, "on") && strcmp(optarg, "off")) {
				usage(stderr);
				return 1;
			}
			ecfg.no_hw_tc_offload = !strcmp(optarg, "off");
			break;
		case 'g': {
			struct group *gr = getgrnam(optarg);

			if (!gr) {
				fprintf(stderr, "ctoffloadd: unknown group %s\n", optarg);
				return 1;
			}
			ncfg.group = gr->gr_gid;
			ncfg.group_set = true;
			break;
		}
		case 'r': rundir = optarg; break;
		case 'c':
			cores = strtol(optarg, NULL, 10);
			if (cores < 1 || cores > DP_MAX_THREADS) {
				fprintf(stderr, "ctoffloadd: --cores takes 1 to %d\n", DP_MAX_THREADS);
				return 1;
			}
			break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 1;
		}
	}
	if (!ecfg.pf || optind != argc) {
		usage(stderr);
		return 1;
	}
	if (!rundir)
		rundir = CTO_RUNDIR_DEFAULT;
	mkdir(rundir, 0755);
	snprintf(path, sizeof(path), "%s/%s.sock", rundir, name);
	ncfg.path = path;

	rcu_register_thread();
	rtnl_lock();
	loopback_net_init();
	rtnl_unlock();
	esw = mlx5_eswitch_create(&ecfg);
	if (!esw) {
		fprintf(stderr, "ctoffloadd: cannot create the eswitch: %s\n", strerror(errno));
		return 1;
	}
	nl_server_register_protocol(NETLINK_ROUTE, rtnetlink_rcv_msg, rtnetlink_is_dump);
	err = nl_server_start(&ncfg);
	if (err) {
		fprintf(stderr, "ctoffloadd: cannot listen on %s: %s\n", path, strerror(-err));
		mlx5_eswitch_destroy(esw);
		return 1;
	}
	err = nf_conntrack_init();
	if (!err)
		err = nf_conntrack_start();
	if (!err)
		err = nf_flow_table_start();
	if (err) {
		fprintf(stderr, "ctoffloadd: cannot start conntrack: %s\n", strerror(-err));
		return 1;
	}
	nports = mlx5_eswitch_ports(esw, ports, ARRAY_SIZE(ports));
	if (cores < 1)
		cores = 1;
	dp = dp_start(ports, nports, min_t(long, cores, DP_MAX_THREADS));
	if (!dp) {
		fprintf(stderr, "ctoffloadd: cannot start the datapath\n");
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGPIPE, SIG_IGN);
	fprintf(stderr, "ctoffloadd: %s ready: %s with %d VFs, %ld datapath threads, socket %s\n",
		name, ecfg.pf, ecfg.num_vfs, min_t(long, cores, DP_MAX_THREADS), path);
	nl_server_run();
	dp_stop(dp);
	nl_server_cleanup();
	rtnl_link_exit();
	mlx5_eswitch_destroy(esw);
	nf_conntrack_cleanup();
	rcu_barrier();
	rcu_unregister_thread();
	return 0;
}
