// SPDX-License-Identifier: GPL-2.0
/*
 * The datapath and the control plane at the same time, for TSan (make
 * tsan) as much as for the accounting.  The generator on the uplink sends
 * 64-byte UDP frames over GEN_FLOWS flows, split by flow between two
 * datapath threads, which run them through the eswitch model and the
 * seed's three filters on the uplink representor (chain 0 `ct_state -trk
 * action ct pipe action goto chain 2`; chain 2 `+trk+new ct commit pipe,
 * mirred redirect to VF0's representor` and `+trk+est mirred redirect to
 * VF0's representor`).  Meanwhile this (the control) thread, for about
 * RUN_SECONDS: deletes and re-adds the +trk+est filter, flushes
 * conntrack, marks the connections answered (the generator sends one way)
 * and runs the flowtable's gc (the periodic work) so that they are
 * offered to the driver, dumps the filters with their stats as `tc -s
 * filter show` does, reads the device counters, and turns hw-tc-offload off and on on
 * the representors (filters re-added each time, as ctbench does), so that
 * the driver, the eswitch model and the flowtable's offload work run too.
 *
 * Then, the datapath stopped: every frame the uplink received was sent
 * out of a port, or dropped with a reason (skb_drop_count()) or by the
 * model (hw_dropped, loop_dropped), exactly once; the model saw each of
 * them once; and traffic moved in both phases: forwarded by software with
 * hw-tc-offload off, forwarded by the model with it on.
 */
#include <time.h>
#include <unistd.h>
#include <net/datapath.h>
#include <net/tc_act/tc_ct.h>
#include "testbed.h"
#include "../../bench/bench_ct.h"

#define GEN_FLOWS	64
#define RUN_SECONDS	2.0
#define PHASES		4			/* off, on, off, on */
#define PHASE_MAX_SECONDS 10.0		/* a phase waits this long for traffic */

#define CT_TRK		TCA_FLOWER_KEY_CT_FLAGS_TRACKED
#define CT_NEW		TCA_FLOWER_KEY_CT_FLAGS_NEW
#define CT_EST		TCA_FLOWER_KEY_CT_FLAGS_ESTABLISHED

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- the control plane's requests ---- */

/* chain 2 prio 2: ct_state +trk+est action mirred egress redirect dev VF0 */
static void est_filter_add(void)
{
	struct fl est = { .chain = 2, .prio = 2, .ip = true,
			  .ct_state = CT_TRK | CT_EST, .redirect = VF0->rep };

	fl_add_ok(UPLINK->rep, &est);
}

/* tc qdisc del dev UPLINK ingress */
static void ingress_del(struct net_device *dev)
{
	struct tcmsg *t;
	struct req r;

	t = tc_req(&r, RTM_DELQDISC, 0, dev, TC_H_INGRESS);
	t->tcm_handle = TC_H_MAKE(TC_H_INGRESS, 0);
	assert_int_equal(req_send(&r), 0);
}

/* a fresh ingress qdisc on the uplink representor with the seed's filters */
static void install_ct_filters(bool del_qdisc)
{
	struct fl trk = { .chain = 0, .prio = 1, .ip = true, .ct_state = 0,
			  .ct_state_mask = CT_TRK, .ct = true, .goto_chain = 2 };
	struct fl new = { .chain = 2, .prio = 1, .ip = true, .ct_state = CT_TRK | CT_NEW,
			  .ct = true, .ct_commit = true, .redirect = VF0->rep };

	if (del_qdisc)
		ingress_del(UPLINK->rep);
	ingress_add(UPLINK->rep);
	fl_add_ok(UPLINK->rep, &trk);
	fl_add_ok(UPLINK->rep, &new);
	est_filter_add();
}

/* tc -s filter show dev UPLINK ingress: the dump with its stats, thrown away */
static void dump_filters(void)
{
	struct nl_out out;
	struct req r;

	tc_req(&r, RTM_GETTFILTER, NLM_F_DUMP, UPLINK->rep, TC_INGRESS_PARENT);
	nl_out_init(&out, 0);
	assert_int_equal(req_send_out(&r, &out), 0);
	nl_out_free(&out);
}


static void ct_mark_all_replied(void)
{
	rcu_read_lock();
	nf_ct_iterate(bench_ct_mark_replied, NULL, 0, 0);
	rcu_read_unlock();
}

/* ---- what the counters say ---- */

struct acct {
	u64 rx;			/* the uplink's port received */
	u64 tx;			/* every port sent (or failed to) */
	u64 vf0_tx;		/* of which VF0's port */
	u64 sw_dropped;		/* freed with a drop reason */
	struct mlx5_fs_stats fs;
};

/*
 * A port's counters while the datapath runs (plain u64s the datapath
 * thread increments: tools/testing/tsan.supp names this function until
 * they are per-thread)
 */
static void acct_read(struct acct *a)
{
	struct port_stats_total up, vf0;
	int r;

	memset(a, 0, sizeof(*a));
	port_get_stats(UPLINK->port, &up);
	port_get_stats(VF0->port, &vf0);
	a->rx = up.rx_packets;
	a->tx = up.tx_packets + up.tx_errors + vf0.tx_packets + vf0.tx_errors;
	a->vf0_tx = vf0.tx_packets;
	for (r = 0; r < SKB_DROP_REASON_MAX; r++)
		a->sw_dropped += skb_drop_count(r);
	mlx5_fs_get_stats(esw->dev, &a->fs);
}

/* ---- the test ---- */

static int group_setup(void **state)
{
	struct mlx5_esw_config cfg = {
		.pf = "dpc", .num_vfs = 1, .vf_port = "null", .no_hw_tc_offload = true,
	};
	char uplink[64];

	snprintf(uplink, sizeof(uplink), "gen:flows=%d,len=64", GEN_FLOWS);
	cfg.uplink_port = uplink;
	rcu_register_thread();
	if (nf_conntrack_init() || nf_flow_table_module_init() || skb_pool_init(&pool, 64))
		return -1;
	skb_local_pool = &pool;
	esw = mlx5_eswitch_create(&cfg);
	return esw ? 0 : -1;
}

static int group_teardown(void **state)
{
	int pass;

	/* every entry's rules go before it can: passes until none is left */
	for (pass = 0; pass < 10 && nf_conntrack_count(); pass++) {
		bench_ct_flush_all();
		nf_flow_table_offload_flush(tcf_ct_zone_flowtable(0));
	}
	ingress_del(UPLINK->rep);
	rcu_barrier();
	skb_local_pool = NULL;
	skb_pool_destroy(&pool);
	return testbed_group_teardown(state);
}

static void test_dp_concurrent(void **state)
{
	struct port *dp_ports[] = { UPLINK->port };
	struct acct a0, a1, p0, p1;
	u64 moved[PHASES] = {};
	unsigned int rounds = 0, flushes = 0, toggles = 0;
	struct datapath *dp;
	double t0, tp;
	int phase = 0;

	install_ct_filters(false);
	acct_read(&a0);
	p0 = a0;

	dp = dp_start(dp_ports, ARRAY_SIZE(dp_ports), 2);
	assert_non_null(dp);

	t0 = tp = now_s();
	while (phase < PHASES) {
		bool offload = phase & 1;
		double t = now_s();

		/* the +trk+est filter goes and comes back under traffic */
		fl_del(UPLINK->rep, 2, 2);
		est_filter_add();
		if (rounds % 8 == 7) {
			bench_ct_flush_all();
			flushes++;
		}
		ct_mark_all_replied();
		nf_flow_table_gc_run_all();	/* the periodic work: offers them to the driver */
		dump_filters();
		acct_read(&p1);
		rounds++;

		/* what moved in this phase: forwarded by software, or by the model */
		moved[phase] = offload ? p1.fs.hw_forwarded - p0.fs.hw_forwarded :
					 p1.vf0_tx - p0.vf0_tx - (p1.fs.hw_forwarded - p0.fs.hw_forwarded);
		if (t - tp < RUN_SECONDS / PHASES || (!moved[phase] && t - tp < PHASE_MAX_SECONDS)) {
			usleep(1000);
			continue;
		}
		/* next phase: hw-tc-offload toggled, the filters made again */
		if (++phase == PHASES)
			break;
		bench_ct_flush_all();
		bench_set_hw_tc_offload(esw, phase & 1);
		install_ct_filters(true);
		toggles++;
		acct_read(&p0);
		tp = now_s();
	}

	dp_stop(dp);
	acct_read(&a1);
	print_message("%.2f s, %u rounds, %u conntrack flushes, %u toggles; rx %llu: "
		      "vf0 %llu, sw dropped %llu, hw forwarded %llu, hw dropped %llu, "
		      "to software %llu; moved per phase %llu %llu %llu %llu\n",
		      now_s() - t0, rounds, flushes, toggles,
		      (unsigned long long)(a1.rx - a0.rx),
		      (unsigned long long)(a1.vf0_tx - a0.vf0_tx),
		      (unsigned long long)(a1.sw_dropped - a0.sw_dropped),
		      (unsigned long long)(a1.fs.hw_forwarded - a0.fs.hw_forwarded),
		      (unsigned long long)(a1.fs.hw_dropped - a0.fs.hw_dropped),
		      (unsigned long long)(a1.fs.miss_to_sw - a0.fs.miss_to_sw),
		      (unsigned long long)moved[0], (unsigned long long)moved[1],
		      (unsigned long long)moved[2], (unsigned long long)moved[3]);

	/* traffic moved, in every phase */
	assert_true(a1.rx - a0.rx > 0);
	for (phase = 0; phase < PHASES; phase++)
		assert_true(moved[phase] > 0);
	/* the model saw every frame once, and each ended in one place */
	assert_int_equal(a1.fs.rx_packets - a0.fs.rx_packets, a1.rx - a0.rx);
	assert_int_equal(a1.fs.rx_packets - a0.fs.rx_packets,
			 (a1.fs.hw_forwarded - a0.fs.hw_forwarded) +
			 (a1.fs.hw_dropped - a0.fs.hw_dropped) +
			 (a1.fs.miss_to_sw - a0.fs.miss_to_sw) +
			 (a1.fs.loop_dropped - a0.fs.loop_dropped));
	/* every frame received was sent out of a port or dropped, exactly once */
	assert_int_equal(a1.rx - a0.rx,
			 (a1.tx - a0.tx) + (a1.sw_dropped - a0.sw_dropped) +
			 (a1.fs.hw_dropped - a0.fs.hw_dropped) +
			 (a1.fs.loop_dropped - a0.fs.loop_dropped));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dp_concurrent),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
