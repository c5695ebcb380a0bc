// SPDX-License-Identifier: GPL-2.0
/*
 * ctbench: packets per second through the real datapath, with the real tc
 * installing the filters through the daemon's netlink server.
 *
 * Path "mirred": generator port (uplink) -> representor ingress -> flower
 * (K filters in one priority, one of them matching) -> mirred to a VF
 * representor -> sink port.  One datapath thread (the calling one).
 *
 *   ctbench [--json] [--seconds S | --packets N] [--filters K[,K...]] [--flows N]
 *
 * --packets N forwards exactly N packets per row (no warm-up) instead of
 * running for S seconds: with valgrind --tool=callgrind, two runs with
 * different N give exact instructions per packet.
 */
#include <getopt.h>
#include <libgen.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <linux/rcupdate.h>
#include <net/datapath.h>
#include <net/netlink_server.h>
#include <net/rtnetlink.h>
#include "../../drivers/net/ethernet/mellanox/mlx5/core/eswitch.h"

static char ctoffload_bin[512], sock_path[300], rundir[128];

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *control_thread(void *arg)
{
	(void)arg;
	rcu_register_thread();
	nl_server_run();
	rcu_unregister_thread();
	return NULL;
}

/* install K filters with the real tc, through the shim */
static int install_filters(int k)
{
	char batch[200], cmd[2048];
	FILE *f;
	int i;

	snprintf(batch, sizeof(batch), "%s/filters.tc", rundir);
	f = fopen(batch, "w");
	if (!f)
		return -1;
	fprintf(f, "qdisc del dev bench ingress\nqdisc add dev bench ingress\n");
	for (i = 0; i < k - 1; i++)
		fprintf(f, "filter add dev bench ingress prio 1 proto ip flower dst_ip 10.%d.%d.%d action drop\n",
			100 + (i >> 16), (i >> 8) & 0xff, i & 0xff);
	fprintf(f, "filter add dev bench ingress prio 1 proto ip flower dst_ip 10.0.0.2 "
		   "action mirred egress redirect dev bench_0\n");
	fclose(f);
	snprintf(cmd, sizeof(cmd), "CTOFFLOAD_RUNDIR=%s %s -n bench exec tc -force -batch %s 2>&1 | "
		 "grep -v 'Cannot find specified qdisc' | grep -v '^Command failed' | grep -v '^$'",
		 rundir, ctoffload_bin, batch);
	return system(cmd) == -1 ? -1 : 0;
}

struct result {
	int filters;
	double mpps, ns_per_pkt;
	u64 packets;
};

static struct result run_one(struct mlx5_eswitch *esw, struct skb_pool *pool, int k,
			     double seconds, u64 packets)
{
	struct port *in = esw->uplink.port, *out = esw->vfs[0].port;
	struct result r = { .filters = k };
	u64 start;
	double t0, t;

	install_filters(k);
	for (t0 = now_s(); !packets && now_s() - t0 < 0.2;)	/* warm up */
		dp_poll_once(&in, 1, pool);
	start = out->stats.tx_packets;
	t0 = now_s();
	if (packets) {
		while (out->stats.tx_packets - start < packets)
			dp_poll_once(&in, 1, pool);
		t = now_s();
	} else {
		do {
			int i;

			for (i = 0; i < 64; i++)
				dp_poll_once(&in, 1, pool);
			t = now_s();
		} while (t - t0 < seconds);
	}
	r.packets = out->stats.tx_packets - start;
	r.mpps = r.packets / (t - t0) / 1e6;
	r.ns_per_pkt = r.packets ? (t - t0) * 1e9 / r.packets : 0;
	return r;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "seconds", required_argument, NULL, 's' },
		{ "filters", required_argument, NULL, 'f' },
		{ "flows", required_argument, NULL, 'F' },
		{ "packets", required_argument, NULL, 'P' },
		{}
	};
	struct mlx5_esw_config ecfg = { .pf = "bench", .num_vfs = 1, .vf_port = "null" };
	struct nl_server_config ncfg = {};
	char filters[256] = "1,100,10000", uplink[64], exe[512];
	struct mlx5_eswitch *esw;
	struct skb_pool pool;
	struct utsname un;
	double seconds = 2;
	u64 packets = 0;
	int c, flows = 1;
	bool json = false;
	pthread_t ctl;
	char *tok;

	while ((c = getopt_long(argc, argv, "js:f:F:P:", opts, NULL)) != -1) {
		switch (c) {
		case 'j': json = true; break;
		case 's': seconds = atof(optarg); break;
		case 'f': snprintf(filters, sizeof(filters), "%s", optarg); break;
		case 'F': flows = atoi(optarg); break;
		case 'P': packets = strtoull(optarg, NULL, 0); break;
		default:
			fprintf(stderr, "usage: ctbench [--json] [--seconds S | --packets N] "
				"[--filters K,..] [--flows N]\n");
			return 1;
		}
	}
	if (readlink("/proc/self/exe", exe, sizeof(exe) - 1) < 0)
		return 1;
	snprintf(ctoffload_bin, sizeof(ctoffload_bin), "%s/ctoffload", dirname(exe));
	snprintf(rundir, sizeof(rundir), "/tmp/ctbench.%d", getpid());
	mkdir(rundir, 0700);
	snprintf(sock_path, sizeof(sock_path), "%s/bench.sock", rundir);
	snprintf(uplink, sizeof(uplink), "gen:flows=%d,len=64", flows);
	ecfg.uplink_port = uplink;

	rcu_register_thread();
	esw = mlx5_eswitch_create(&ecfg);
	if (!esw || skb_pool_init(&pool, DP_POOL_SKBS)) {
		fprintf(stderr, "ctbench: setup failed: %s\n", strerror(errno));
		return 1;
	}
	skb_local_pool = &pool;
	nl_server_register_protocol(NETLINK_ROUTE, rtnetlink_rcv_msg, rtnetlink_is_dump);
	ncfg.path = sock_path;
	if (nl_server_start(&ncfg) || pthread_create(&ctl, NULL, control_thread, NULL))
		return 1;

	uname(&un);
	if (!json)
		printf("# ctbench: %s %s, 1 datapath thread, 64-byte frames, %d flow(s), %.1f s per row\n"
		       "%-8s %10s %10s %12s\n", un.nodename, un.machine, flows, seconds,
		       "path", "filters", "Mpps", "ns/pkt");
	for (tok = strtok(filters, ","); tok; tok = strtok(NULL, ",")) {
		struct result r = run_one(esw, &pool, atoi(tok), seconds, packets);

		if (json)
			printf("{\"path\":\"mirred\",\"filters\":%d,\"conns\":%d,\"cores\":1,"
			       "\"mpps\":%.3f,\"ns_per_pkt\":%.1f,\"packets\":%llu}\n",
			       r.filters, flows, r.mpps, r.ns_per_pkt, (unsigned long long)r.packets);
		else
			printf("%-8s %10d %10.2f %12.1f\n", "mirred", r.filters, r.mpps, r.ns_per_pkt);
		fflush(stdout);
	}
	nl_server_stop();
	pthread_join(ctl, NULL);
	nl_server_cleanup();
	skb_local_pool = NULL;
	skb_pool_destroy(&pool);
	mlx5_eswitch_destroy(esw);
	rcu_barrier();
	rcu_unregister_thread();
	rmdir(rundir);
	return 0;
}
