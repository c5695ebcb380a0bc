// SPDX-License-Identifier: GPL-2.0
/*
 * ctbench: packets per second through the real datapath, with the real tc
 * installing the filters through the daemon's netlink server.
 *
 * Path "mirred": generator port (uplink) -> representor ingress -> flower
 * (K filters in one priority, one of them matching) -> mirred to a VF
 * representor -> sink port.  One datapath thread (the calling one).
 *
 * Paths "slowpath" and "fastpath": the seed's software rule set on the same ports (chain 0
 * `ct_state -trk action ct pipe action goto chain 2`, chain 2 `+trk+new ct
 * commit, mirred` and `+trk+est mirred`), over C connections.  A row first
 * opens the C connections through the datapath (every packet a new
 * connection: "new conns/s" is that commit rate), marks them as having
 * seen a reply (the generator sends one direction only; set-up, not
 * measured), then measures established packets per second, uniform over
 * the C connections; bytes/conn is the allocator's growth per connection.
 * "slowpath" runs with act_ct's flowtables disabled
 * (net.netfilter.nf_flowtable_enable=0): every packet goes through
 * conntrack.  "fastpath" runs with them: the connections entered their
 * zone's flowtable when committed, and once assured every packet takes the
 * flowtable lookup instead of conntrack.  "offload" runs the same filters
 * on representors that offload tc: the driver splits the ct filter into
 * pre_ct / post_ct FTEs of the eswitch model, and once the connections are
 * assured the flowtable's offload worker gives them to the driver, which
 * inserts their ct FTEs ("hw conns/s" is that drain rate, both directions
 * of each connection); then every packet is handled by the model, software
 * never sees it.  "B/conn" of the offload row is the model's own memory
 * (FTEs, counters, modify headers) per connection.  A "ratio" row follows
 * each set.
 *
 *   ctbench [--json] [--seconds S | --packets N] [--filters K[,K...]]
 *           [--conns C[,C...]] [--flows N] [--buckets N]
 *           [--only slowpath|fastpath]
 *
 * --buckets N sizes conntrack's (and so the flowtables') hash table up
 * front (default 262 144, Linux's nf_conntrack_buckets); --only runs one
 * path of each pair (tools/bench/ipp.sh); --offload-conns 0 skips the
 * offload_events rows (default 100 000 connections).
 *
 * --packets N forwards exactly N packets per row (no warm-up) instead of
 * running for S seconds: with valgrind --tool=callgrind, two runs with
 * different N give exact instructions per packet.
 */
#include <getopt.h>
#include <malloc.h>
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
#include <net/port.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_flow_table.h>
#include <net/tc_act/tc_ct.h>
#include "../../drivers/net/ethernet/mellanox/mlx5/core/eswitch.h"
#include "../../drivers/net/ethernet/mellanox/mlx5/core/fs_core.h"
#include "../../drivers/net/ethernet/mellanox/mlx5/core/en/tc_ct.h"
#include "bench_ct.h"

enum bench_path {
	PATH_SLOW,		/* nf_flowtable_enable=0 */
	PATH_FAST,		/* the flowtable's software fast path */
	PATH_HW,		/* the eswitch model */
};
static const char *const path_names[] = { "slowpath", "fastpath", "offload" };

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

/* a tc batch file in the run directory, starting from a fresh ingress qdisc */
static FILE *tc_batch_open(const char *name, char *path, size_t size)
{
	FILE *f;

	snprintf(path, size, "%s/%s", rundir, name);
	f = fopen(path, "w");
	if (f)
		fprintf(f, "qdisc del dev bench ingress\nqdisc add dev bench ingress\n");
	return f;
}

/* run it with the real tc, through the shim */
static int tc_batch_run(FILE *f, const char *path)
{
	char cmd[2048];

	fclose(f);
	snprintf(cmd, sizeof(cmd), "CTOFFLOAD_RUNDIR=%s %s -n bench exec tc -force -batch %s 2>&1 | "
		 "grep -v 'Cannot find specified qdisc' | grep -v '^Command failed' | grep -v '^$'",
		 rundir, ctoffload_bin, path);
	return system(cmd) == -1 ? -1 : 0;
}

/* K filters in one priority, the last one matching the generator's flows */
static int install_filters(int k)
{
	char path[200];
	FILE *f = tc_batch_open("filters.tc", path, sizeof(path));
	int i;

	if (!f)
		return -1;
	for (i = 0; i < k - 1; i++)
		fprintf(f, "filter add dev bench ingress prio 1 proto ip flower dst_ip 10.%d.%d.%d action drop\n",
			100 + (i >> 16), (i >> 8) & 0xff, i & 0xff);
	fprintf(f, "filter add dev bench ingress prio 1 proto ip flower dst_ip 10.0.0.2 "
		   "action mirred egress redirect dev bench_0\n");
	return tc_batch_run(f, path);
}

/* the seed's software rules (seed-spec.md), on the uplink representor */
#define SEED_FILTERS \
	"filter add dev bench ingress prio 1 chain 0 proto ip flower ct_state -trk " \
	"action ct pipe action goto chain 2\n" \
	"filter add dev bench ingress prio 1 chain 2 proto ip flower ct_state +trk+new " \
	"action ct commit pipe action mirred egress redirect dev bench_0\n" \
	"filter add dev bench ingress prio 1 chain 2 proto ip flower ct_state +trk+est " \
	"action mirred egress redirect dev bench_0\n"

static int install_ct_filters(void)
{
	char path[200];
	FILE *f = tc_batch_open("ct.tc", path, sizeof(path));

	if (!f)
		return -1;
	fputs(SEED_FILTERS, f);
	return tc_batch_run(f, path);
}

struct result {
	int filters;
	int conns;
	int cores;
	double mpps, ns_per_pkt;
	double new_per_s;		/* connections committed per second (offload: into hw) */
	double bytes_per_conn;
	u64 packets;
	u64 sw_rx;			/* packets software received meanwhile (offload) */
};

#define MAX_PAIRS	16
#define MAX_CORES	4

/* the datapath thread counts measured, --cores */
static int bench_cores[MAX_CORES] = { 1 };
static int nbench_cores = 1;

static void measure(struct mlx5_eswitch *esw, struct skb_pool *pool, int cores,
		    double seconds, u64 packets, struct result *r);

/* the mirred rows: one per core count */
static void run_one(struct mlx5_eswitch *esw, struct skb_pool *pool, int k, int flows,
		    double seconds, u64 packets, struct result *out)
{
	int c;

	install_filters(k);
	gen_port_set_flows(esw->uplink.port, flows);
	for (c = 0; c < nbench_cores; c++) {
		out[c] = (struct result){ .filters = k, .conns = flows };
		measure(esw, pool, bench_cores[c], seconds, packets, &out[c]);
	}
}

static u64 dev_rx_packets(const struct net_device *dev)
{
	struct rtnl_link_stats64 s;

	dev_get_stats(dev, &s);
	return s.rx_packets;
}

/* offer every assured flowtable entry to the driver, and wait until it took them */
static double offload_all(struct mlx5_eswitch *esw, int conns)
{
	struct nf_flowtable *ft = tcf_ct_zone_flowtable(0);
	unsigned int saved_max = nf_ft_net.offload_queue_max;
	double t0;

	if (!ft)
		return 0;
	if (nf_ft_net.offload_queue_max < (unsigned int)conns + 1024)
		nf_ft_net.offload_queue_max = conns + 1024;
	nf_flow_table_offload_pause(true);
	nf_flow_table_gc_run_all();		/* offers what is not queued yet */
	t0 = now_s();
	nf_flow_table_offload_flush(ft);
	t0 = now_s() - t0;
	nf_ft_net.offload_queue_max = saved_max;
	if (mlx5_tc_ct_entries(esw->ct_priv) < 2u * conns)
		fprintf(stderr, "ctbench: only %u of %d connection directions in hardware\n",
			mlx5_tc_ct_entries(esw->ct_priv), 2 * conns);
	return t0;
}

/*
 * One path at one size: the connections are opened on one thread (the
 * set-up rates are one core's), then measured at each core count.
 */
static void run_ct(struct mlx5_eswitch *esw, struct skb_pool *pool, int conns,
		   enum bench_path path, double seconds, u64 packets, struct result *out)
{
	struct port *in = esw->uplink.port;
	struct result r = { .filters = 3, .conns = conns };
	struct mlx5_fs_usage u0, u1;
	u64 rx0;
	size_t mem0;
	double t0;
	int c;

	bench_ct_flush_all();
	if (path == PATH_HW) {
		bench_set_hw_tc_offload(esw, true);
		install_ct_filters();
	}
	/* offload: connections reach the hardware once assured, so they are
	 * opened in conntrack alone and enter the flowtable afterwards */
	nf_ft_net.enable = path == PATH_FAST;
	gen_port_set_flows(in, conns);
	mem0 = mallinfo2().uordblks;
	t0 = now_s();
	while (nf_conntrack_count() < (unsigned int)conns)
		dp_poll_once(&in, 1, 0, pool);
	r.new_per_s = conns / (now_s() - t0);
	r.bytes_per_conn = (double)(mallinfo2().uordblks - mem0) / conns;
	rcu_read_lock();
	nf_ct_iterate(bench_ct_mark_replied, NULL, 0, 0);
	rcu_read_unlock();
	if (path == PATH_HW) {
		struct nf_flowtable *ft = tcf_ct_zone_flowtable(0);

		nf_ft_net.enable = 1;
		nf_flow_table_offload_pause(true);	/* offload_all() times the drain */
		while (ft && nf_flow_table_count(ft) < (unsigned int)conns)
			dp_poll_once(&in, 1, 0, pool);
		mlx5_fs_get_usage(esw->dev, &u0);
		t0 = offload_all(esw, conns);
		mlx5_fs_get_usage(esw->dev, &u1);
		r.new_per_s = t0 > 0 ? conns / t0 : 0;
		r.bytes_per_conn = (double)(u1.bytes - u0.bytes) / conns;
	}
	for (c = 0; c < nbench_cores; c++) {
		out[c] = r;
		rx0 = dev_rx_packets(esw->uplink.rep);
		measure(esw, pool, bench_cores[c], seconds, packets, &out[c]);
		out[c].sw_rx = dev_rx_packets(esw->uplink.rep) - rx0;
	}
	if (path == PATH_HW) {
		unsigned int saved_max = nf_ft_net.offload_queue_max;
		int pass;

		/*
		 * Every entry's rules are destroyed before it can go (one gc
		 * pass queues the destroy, one after it ran unlinks): room
		 * for all the destroys at once, and passes until none is left.
		 */
		nf_ft_net.offload_queue_max = conns + 1024;
		for (pass = 0; pass < 10 && nf_conntrack_count(); pass++) {
			bench_ct_flush_all();
			nf_flow_table_offload_flush(tcf_ct_zone_flowtable(0));
		}
		nf_ft_net.offload_queue_max = saved_max;
		bench_set_hw_tc_offload(esw, false);
		install_ct_filters();
	}
}

/* ---- setup_tcp: connections per second through the whole path ---- */

/* the seed's filters on the uplink's representor, and the way back on VF 0's */
static int install_tcp_filters(void)
{
	char path[200];
	FILE *f = tc_batch_open("tcp.tc", path, sizeof(path));

	if (!f)
		return -1;
	fprintf(f, "qdisc del dev bench_0 ingress\nqdisc add dev bench_0 ingress\n" SEED_FILTERS
		"filter add dev bench_0 ingress prio 1 chain 0 proto ip flower ct_state -trk "
		"action ct pipe action goto chain 2\n"
		"filter add dev bench_0 ingress prio 1 chain 2 proto ip flower ct_state +trk+est "
		"action mirred egress redirect dev bench\n");
	return tc_batch_run(f, path);
}

struct setup_result {
	int conns;
	double handshake_s, offload_s;	/* SYN .. ACK; then until all are in the model */
	unsigned int established, in_hw;
};

/* one step of the handshake from port p, all of it */
static void tcp_step(struct port *p, enum gen_tcp_step step, int conns, struct skb_pool *pool)
{
	gen_port_set_tcp(p, step, conns);
	while (dp_poll_once(&p, 1, 0, pool))
		;
}

static int count_established(struct nf_conn *ct, void *data)
{
	if (READ_ONCE(ct->proto.tcp.state) == TCP_CONNTRACK_ESTABLISHED)
		(*(unsigned int *)data)++;
	return 0;
}

/*
 * conns TCP connections opened through the offloaded path: the SYNs from
 * the wire (the model misses, tc commits them), the SYN-ACKs from VF 0,
 * the ACKs from the wire (conntrack: ESTABLISHED, assured; act_ct puts
 * them in the flowtable, which offers them to the driver), timed until
 * both directions of every connection are rules in the model.
 */
static void run_tcp_setup(struct mlx5_eswitch *esw, struct skb_pool *pool, int conns,
			  struct setup_result *res)
{
	struct port *up = esw->uplink.port, *vf = esw->vfs[0].port;
	unsigned int saved_max = nf_ft_net.offload_queue_max;
	double t0, t1;
	int pass;

	bench_ct_flush_all();
	bench_set_hw_tc_offload(esw, true);
	install_tcp_filters();
	nf_ft_net.enable = 1;
	nf_ft_net.offload_queue_max = conns + 1024;	/* none left to the gc's retry */
	t0 = now_s();
	tcp_step(up, GEN_TCP_SYN, conns, pool);
	tcp_step(vf, GEN_TCP_SYNACK, conns, pool);
	tcp_step(up, GEN_TCP_ACK, conns, pool);
	t1 = now_s();
	res->handshake_s = t1 - t0;
	if (tcf_ct_zone_flowtable(0))
		nf_flow_table_offload_flush(tcf_ct_zone_flowtable(0));
	res->offload_s = now_s() - t1;
	res->conns = conns;
	res->in_hw = mlx5_tc_ct_entries(esw->ct_priv) / 2;
	res->established = 0;
	rcu_read_lock();
	nf_ct_iterate(count_established, &res->established, 0, 0);
	rcu_read_unlock();

	for (pass = 0; pass < 10 && nf_conntrack_count(); pass++) {
		bench_ct_flush_all();
		nf_flow_table_offload_flush(tcf_ct_zone_flowtable(0));
	}
	nf_ft_net.offload_queue_max = saved_max;
	gen_port_set_tcp(up, GEN_UDP, 1);
	bench_set_hw_tc_offload(esw, false);
	install_ct_filters();
}

static void print_setup_row(const struct setup_result *r, bool json)
{
	double hs = r->handshake_s > 0 ? r->conns / r->handshake_s : 0;
	double all = r->handshake_s + r->offload_s > 0 ? r->conns / (r->handshake_s + r->offload_s) : 0;

	if (json)
		printf("{\"path\":\"setup_tcp\",\"filters\":5,\"conns\":%d,\"cores\":1,"
		       "\"mpps\":0,\"ns_per_pkt\":0,\"handshakes_per_s\":%.0f,"
		       "\"conns_per_s\":%.0f,\"established\":%u,\"in_hw\":%u}\n",
		       r->conns, hs, all, r->established, r->in_hw);
	else
		printf("%-9s %8d %8d  handshakes/s %9.0f (%.3f s)  into the model, conns/s %9.0f "
		       "(%.3f s more)  established %u, in hw %u\n", "setup_tcp", 5, r->conns, hs,
		       r->handshake_s, all, r->offload_s, r->established, r->in_hw);
	fflush(stdout);
}

/* ---- offload_events: the offload queue's drain rate ---- */

/* the trivial driver: accepts every add and destroy (worker thread) */
struct bench_drv {
	u64 replace, destroy;
};

static int bench_drv_cb(enum tc_setup_type type, void *type_data, void *cb_priv)
{
	struct flow_cls_offload *f = type_data;
	struct bench_drv *d = cb_priv;

	if (type != TC_SETUP_CLSFLOWER)
		return -EOPNOTSUPP;
	switch (f->command) {
	case FLOW_CLS_REPLACE:
		__atomic_add_fetch(&d->replace, 1, __ATOMIC_RELAXED);
		return 0;
	case FLOW_CLS_DESTROY:
		__atomic_add_fetch(&d->destroy, 1, __ATOMIC_RELAXED);
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

struct offload_result {
	int conns;
	u64 added, destroyed, queue_full;	/* hw_add, hw_del, hw_queue_full deltas */
	double add_s, del_s;			/* drain times */
};

static int run_offload(struct mlx5_eswitch *esw, struct skb_pool *pool, int conns,
		       struct offload_result *res)
{
	struct port *in = esw->uplink.port;
	unsigned int saved_max = nf_ft_net.offload_queue_max;
	struct nf_flow_table_stat s0, s1, s2;
	struct bench_drv drv = {};
	struct nf_flowtable *ft;
	double t0;

	bench_ct_flush_all();
	nf_ft_net.enable = 1;
	ft = tcf_ct_zone_flowtable(0);
	if (!ft || nf_flow_table_offload_add_cb(ft, bench_drv_cb, &drv))
		return -1;
	if (nf_ft_net.offload_queue_max < (unsigned int)conns + 1024)
		nf_ft_net.offload_queue_max = conns + 1024;
	nf_flow_table_stats(ft, &s0);

	/* N adds queued with the worker held, then the drain timed */
	nf_flow_table_offload_pause(true);
	gen_port_set_flows(in, conns);
	while (nf_conntrack_count() < (unsigned int)conns)
		dp_poll_once(&in, 1, 0, pool);
	t0 = now_s();
	nf_flow_table_offload_flush(ft);	/* lets the worker go, waits for it */
	res->add_s = now_s() - t0;
	nf_flow_table_stats(ft, &s1);

	/* every connection killed; one gc pass queues the destroys */
	rcu_read_lock();
	nf_ct_iterate(bench_ct_kill, NULL, 0, 0);
	rcu_read_unlock();
	nf_flow_table_offload_pause(true);
	nf_flow_table_gc_run_all();
	t0 = now_s();
	nf_flow_table_offload_flush(ft);
	res->del_s = now_s() - t0;
	nf_flow_table_stats(ft, &s2);
	bench_ct_flush_all();		/* unlinks the entries whose destroy ran */

	nf_flow_table_offload_del_cb(ft, bench_drv_cb, &drv);
	nf_ft_net.offload_queue_max = saved_max;
	res->conns = conns;
	res->added = s1.hw_add - s0.hw_add;
	res->destroyed = s2.hw_del - s1.hw_del;
	res->queue_full = s2.hw_queue_full - s0.hw_queue_full;
	return 0;
}

static void print_offload_row(const struct offload_result *r, bool json)
{
	double adds = r->add_s > 0 ? r->added / r->add_s : 0;
	double dels = r->del_s > 0 ? r->destroyed / r->del_s : 0;

	if (json)
		printf("{\"path\":\"offload_events\",\"filters\":3,\"conns\":%d,\"cores\":1,"
		       "\"mpps\":0,\"ns_per_pkt\":0,\"adds_per_s\":%.0f,\"destroys_per_s\":%.0f,"
		       "\"hw_added\":%llu,\"hw_destroyed\":%llu,\"queue_full\":%llu}\n",
		       r->conns, adds, dels, (unsigned long long)r->added,
		       (unsigned long long)r->destroyed, (unsigned long long)r->queue_full);
	else
		printf("%-9s %8d %8d  adds/s %9.0f (%llu in hw, %.3f s)  destroys/s %9.0f "
		       "(%llu, %.3f s)  queue full %llu\n", "offload", 3, r->conns, adds,
		       (unsigned long long)r->added, r->add_s, dels,
		       (unsigned long long)r->destroyed, r->del_s,
		       (unsigned long long)r->queue_full);
	fflush(stdout);
}

/*
 * More than one core: each thread has its own packet pool and polls its
 * rx queue of the generator (the flows split as RSS would), as the
 * daemon's datapath threads do (net/core/datapath.c).
 */
struct bench_worker {
	pthread_t tid;
	struct port *in;
	unsigned int queue;
	bool stop;
};

static void *bench_worker_fn(void *arg)
{
	struct bench_worker *w = arg;
	struct skb_pool pool;

	rcu_register_thread();
	if (skb_pool_init(&pool, DP_POOL_SKBS))
		abort();
	skb_local_pool = &pool;
	while (!__atomic_load_n(&w->stop, __ATOMIC_RELAXED))
		dp_poll_once(&w->in, 1, w->queue, &pool);
	skb_local_pool = NULL;
	skb_pool_destroy(&pool);
	rcu_unregister_thread();
	return NULL;
}

static void measure_threads(struct mlx5_eswitch *esw, int cores, double seconds,
			    struct result *r)
{
	struct port *in = esw->uplink.port, *out = esw->vfs[0].port;
	struct bench_worker w[MAX_CORES] = {};
	u64 start;
	double t0, t;
	int i;

	port_set_queues(in, cores);
	for (i = 0; i < cores; i++) {
		w[i].in = in;
		w[i].queue = i;
		if (pthread_create(&w[i].tid, NULL, bench_worker_fn, &w[i]))
			abort();
	}
	usleep(200000);		/* warm up */
	start = port_tx_packets(out);
	t0 = now_s();
	usleep(seconds * 1e6);
	r->packets = port_tx_packets(out) - start;
	t = now_s();
	for (i = 0; i < cores; i++)
		__atomic_store_n(&w[i].stop, true, __ATOMIC_RELAXED);
	for (i = 0; i < cores; i++)
		pthread_join(w[i].tid, NULL);
	port_set_queues(in, 1);
	r->mpps = r->packets / (t - t0) / 1e6;
	/* CPU time per packet: comparable across core counts */
	r->ns_per_pkt = r->packets ? (t - t0) * 1e9 * cores / r->packets : 0;
}

static void measure(struct mlx5_eswitch *esw, struct skb_pool *pool, int cores,
		    double seconds, u64 packets, struct result *res)
{
	struct port *in = esw->uplink.port, *out = esw->vfs[0].port;
	struct result r = *res;
	u64 start;
	double t0, t;

	r.cores = cores;
	if (cores > 1 && !packets) {
		measure_threads(esw, cores, seconds, &r);
		*res = r;
		return;
	}
	for (t0 = now_s(); !packets && now_s() - t0 < 0.2;)	/* warm up */
		dp_poll_once(&in, 1, 0, pool);
	start = port_tx_packets(out);
	t0 = now_s();
	if (packets) {
		while (port_tx_packets(out) - start < packets)
			dp_poll_once(&in, 1, 0, pool);
		t = now_s();
	} else {
		do {
			int i;

			for (i = 0; i < 64; i++)
				dp_poll_once(&in, 1, 0, pool);
			t = now_s();
		} while (t - t0 < seconds);
	}
	r.packets = port_tx_packets(out) - start;
	r.mpps = r.packets / (t - t0) / 1e6;
	r.ns_per_pkt = r.packets ? (t - t0) * 1e9 / r.packets : 0;
	*res = r;
}

static void print_row(const char *path, const struct result *r, bool json)
{
	if (json) {
		printf("{\"path\":\"%s\",\"filters\":%d,\"conns\":%d,\"cores\":%d,"
		       "\"mpps\":%.3f,\"ns_per_pkt\":%.1f,\"packets\":%llu", path,
		       r->filters, r->conns, r->cores, r->mpps, r->ns_per_pkt,
		       (unsigned long long)r->packets);
		if (r->new_per_s && r->conns >= 1000)
			printf(",\"new_conns_per_s\":%.0f,\"bytes_per_conn\":%.0f",
			       r->new_per_s, r->bytes_per_conn);
		printf("}\n");
	} else {
		printf("%-9s %8d %8d %5d %8.2f %8.1f", path, r->filters, r->conns, r->cores,
		       r->mpps, r->ns_per_pkt);
		if (r->new_per_s && r->conns >= 1000)
			printf(" %12.0f %10.0f", r->new_per_s, r->bytes_per_conn);
		printf("\n");
	}
	fflush(stdout);
}

/* N cores over 1 core, for each core count after the first */
static void print_core_ratio(const char *path, const struct result *r, bool json)
{
	int k;

	for (k = 1; k < nbench_cores; k++) {
		double ratio = r[0].mpps ? r[k].mpps / r[0].mpps : 0;

		if (json)
			printf("{\"path\":\"ratio_cores\",\"of\":\"%s\",\"conns\":%d,"
			       "\"cores\":%d,\"over_cores\":%d,\"ratio\":%.2f}\n", path,
			       r[k].conns, r[k].cores, r[0].cores, ratio);
		else
			printf("%-9s %8s %8d %5s %8.2f  %d cores / %d core%s (%s)\n", "ratio", "",
			       r[k].conns, "", ratio, r[k].cores, r[0].cores,
			       r[0].cores > 1 ? "s" : "", path);
	}
	fflush(stdout);
}

static void print_path_ratio(int conns, int cores, double slow, double fast, double hw,
			     u64 hw_sw_rx, bool json)
{
	if (json)
		printf("{\"path\":\"ratio\",\"conns\":%d,\"cores\":%d,"
		       "\"fastpath_over_slowpath\":%.2f,\"offload_over_fastpath\":%.2f,"
		       "\"offload_over_slowpath\":%.2f,\"offload_sw_rx\":%llu}\n",
		       conns, cores, slow ? fast / slow : 0, fast ? hw / fast : 0,
		       slow ? hw / slow : 0, (unsigned long long)hw_sw_rx);
	else
		printf("%-9s %8s %8d %5d %8.2f  fastpath/slowpath, %.2f offload/fastpath, "
		       "%.2f offload/slowpath; software saw %llu of the offload row's packets\n",
		       "ratio", "", conns, cores, slow ? fast / slow : 0, fast ? hw / fast : 0,
		       slow ? hw / slow : 0, (unsigned long long)hw_sw_rx);
	fflush(stdout);
}

static void print_side_by_side(const struct result *sl, const struct result *fa,
			       const struct result *hw)
{
	printf("%8d %5d %9.2f %9.2f %9.2f %9.2f %9.2f", sl->conns, sl->cores, sl->mpps, fa->mpps,
	       hw->mpps, sl->mpps ? fa->mpps / sl->mpps : 0, fa->mpps ? hw->mpps / fa->mpps : 0);
	if (sl->conns >= 1000)
		printf(" %11.0f %11.0f %11.0f %7.0f %7.0f %7.0f\n", sl->new_per_s, fa->new_per_s,
		       hw->new_per_s, sl->bytes_per_conn, fa->bytes_per_conn, hw->bytes_per_conn);
	else
		printf(" %11s %11s %11s %7s %7s %7s\n", "-", "-", "-", "-", "-", "-");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "seconds", required_argument, NULL, 's' },
		{ "filters", required_argument, NULL, 'f' },
		{ "flows", required_argument, NULL, 'F' },
		{ "packets", required_argument, NULL, 'P' },
		{ "conns", required_argument, NULL, 'C' },
		{ "buckets", required_argument, NULL, 'B' },
		{ "only", required_argument, NULL, 'O' },
		{ "offload-conns", required_argument, NULL, 'E' },
		{ "cores", required_argument, NULL, 'c' },
		{ "setup-conns", required_argument, NULL, 'S' },
		{}
	};
	/* software rows first: representors start with hw-tc-offload off */
	struct mlx5_esw_config ecfg = { .pf = "bench", .num_vfs = 1, .vf_port = "gen",
					.no_hw_tc_offload = true };
	struct nl_server_config ncfg = {};
	char filters[256] = "1,100,10000", conns[256] = "1,10000,1000000", uplink[64], exe[512];
	struct mlx5_eswitch *esw;
	struct skb_pool pool;
	struct utsname un;
	double seconds = 2;
	u64 packets = 0;
	unsigned int buckets = 1 << 18;	/* nf_conntrack_buckets, as Linux */
	int c, flows = 1;
	bool json = false;
	struct result pairs[MAX_PAIRS][3][MAX_CORES];
	pthread_t ctl;
	int npairs = 0, only = 0;	/* 1 + enum bench_path: that path's rows only */
	int i, k;
	char offload_conns[256] = "100000", setup_conns[256] = "100000";
	char *tok;

	while ((c = getopt_long(argc, argv, "js:f:F:P:C:B:O:E:c:S:", opts, NULL)) != -1) {
		switch (c) {
		case 'c':
			nbench_cores = 0;
			for (tok = strtok(optarg, ","); tok && nbench_cores < MAX_CORES;
			     tok = strtok(NULL, ","))
				bench_cores[nbench_cores++] = atoi(tok);
			for (i = 0; i < nbench_cores; i++)
				if (bench_cores[i] < 1 || bench_cores[i] > MAX_CORES)
					nbench_cores = 0;
			if (nbench_cores)
				break;
			goto usage;
		case 'j': json = true; break;
		case 's': seconds = atof(optarg); break;
		case 'f': snprintf(filters, sizeof(filters), "%s", optarg); break;
		case 'F': flows = atoi(optarg); break;
		case 'P': packets = strtoull(optarg, NULL, 0); break;
		case 'C': snprintf(conns, sizeof(conns), "%s", optarg); break;
		case 'B': buckets = strtoul(optarg, NULL, 0); break;
		case 'E': snprintf(offload_conns, sizeof(offload_conns), "%s", optarg); break;
		case 'S': snprintf(setup_conns, sizeof(setup_conns), "%s", optarg); break;
		case 'O': only = !strcmp(optarg, "slowpath") ? 1 : !strcmp(optarg, "fastpath") ? 2 :
				 !strcmp(optarg, "offload") ? 3 : -1;
			  if (only > 0)
				  break;
			  /* fall through */
		default:
usage:
			fprintf(stderr, "usage: ctbench [--json] [--seconds S | --packets N] "
				"[--filters K,..] [--conns C,..] [--flows N] [--buckets N]\n"
				"               [--only slowpath|fastpath|offload] [--offload-conns N,..]"
				" [--cores N,..]\n               [--setup-conns N,..]\n");
			return 1;
		}
	}
	if (readlink("/proc/self/exe", exe, sizeof(exe) - 1) < 0)
		return 1;
	/* $CTOFFLOAD: a sanitizer build runs tc through the plain client and shim */
	if (getenv("CTOFFLOAD"))
		snprintf(ctoffload_bin, sizeof(ctoffload_bin), "%s", getenv("CTOFFLOAD"));
	else
		snprintf(ctoffload_bin, sizeof(ctoffload_bin), "%s/ctoffload", dirname(exe));
	snprintf(rundir, sizeof(rundir), "/tmp/ctbench.%d", getpid());
	mkdir(rundir, 0700);
	snprintf(sock_path, sizeof(sock_path), "%s/bench.sock", rundir);
	snprintf(uplink, sizeof(uplink), "gen:flows=%d,len=64", flows);
	ecfg.uplink_port = uplink;

	rcu_register_thread();
	nf_ct_net.max = 2 << 20;
	nf_ct_net.buckets = buckets;
	if (nf_conntrack_init())
		return 1;
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
		printf("# ctbench: %s %s, 64-byte frames, %.1f s per row; ns/pkt is CPU time "
		       "(cores x wall) per packet\n"
		       "%-9s %8s %8s %5s %8s %8s %12s %10s\n", un.nodename, un.machine, seconds,
		       "path", "filters", "conns", "cores", "Mpps", "ns/pkt", "new conns/s", "B/conn");
	for (tok = strtok(filters, ","); tok && strcmp(tok, "0"); tok = strtok(NULL, ",")) {
		struct result r[MAX_CORES];

		run_one(esw, &pool, atoi(tok), flows, seconds, packets, r);
		for (k = 0; k < nbench_cores; k++)
			print_row("mirred", &r[k], json);
		print_core_ratio("mirred", r, json);
	}
	if (strcmp(conns, "0"))
		install_ct_filters();
	for (tok = strtok(conns, ","); tok && strcmp(tok, "0"); tok = strtok(NULL, ",")) {
		struct result res[3][MAX_CORES];
		int p;

		if (only) {
			run_ct(esw, &pool, atoi(tok), only - 1, seconds, packets, res[0]);
			for (k = 0; k < nbench_cores; k++)
				print_row(path_names[only - 1], &res[0][k], json);
			continue;
		}
		for (p = PATH_SLOW; p <= PATH_HW; p++) {
			run_ct(esw, &pool, atoi(tok), p, seconds, packets, res[p]);
			for (k = 0; k < nbench_cores; k++)
				print_row(path_names[p], &res[p][k], json);
			print_core_ratio(path_names[p], res[p], json);
		}
		for (k = 0; k < nbench_cores; k++)
			print_path_ratio(res[0][k].conns, res[0][k].cores, res[0][k].mpps,
					 res[1][k].mpps, res[2][k].mpps, res[2][k].sw_rx, json);
		if (npairs < MAX_PAIRS)
			memcpy(pairs[npairs++], res, sizeof(res));
	}
	/* the three paths side by side, one line per size and core count */
	if (!json && npairs) {
		printf("\n# side by side: slowpath = nf_flowtable_enable=0, fastpath = 1, "
		       "offload = the eswitch model (B: the model's memory)\n"
		       "%8s %5s %9s %9s %9s %9s %9s %11s %11s %11s %7s %7s %7s\n", "conns", "cores",
		       "slow Mpps", "fast Mpps", "hw Mpps", "fast/slow", "hw/fast", "slow new/s",
		       "fast new/s", "hw conn/s", "slow B", "fast B", "hw B");
		for (i = 0; i < npairs; i++)
			for (k = 0; k < nbench_cores; k++)
				print_side_by_side(&pairs[i][0][k], &pairs[i][1][k], &pairs[i][2][k]);
		fflush(stdout);
	}
	if (strcmp(setup_conns, "0") && !json)
		printf("\n# TCP connection set-up: SYN, SYN-ACK, ACK through the offloaded path, "
		       "then into the model\n");
	for (tok = strtok(setup_conns, ","); tok && strcmp(tok, "0"); tok = strtok(NULL, ",")) {
		struct setup_result r = {};

		run_tcp_setup(esw, &pool, atoi(tok), &r);
		print_setup_row(&r, json);
	}
	if (strcmp(offload_conns, "0")) {
		if (!strcmp(conns, "0"))
			install_ct_filters();
		if (!json)
			printf("\n# offload events: drain rate of the offload queue, trivial driver "
			       "callback on zone 0's flowtable\n");
	}
	for (tok = strtok(offload_conns, ","); tok && strcmp(tok, "0"); tok = strtok(NULL, ",")) {
		struct offload_result o = {};

		if (run_offload(esw, &pool, atoi(tok), &o)) {
			fprintf(stderr, "ctbench: no flowtable for zone 0\n");
			break;
		}
		print_offload_row(&o, json);
	}
	bench_ct_flush_all();
	nl_server_stop();
	pthread_join(ctl, NULL);
	nl_server_cleanup();
	skb_local_pool = NULL;
	skb_pool_destroy(&pool);
	mlx5_eswitch_destroy(esw);
	nf_conntrack_cleanup();
	rcu_barrier();
	rcu_unregister_thread();
	rmdir(rundir);
	return 0;
}
