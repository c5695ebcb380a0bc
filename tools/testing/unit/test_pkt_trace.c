// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the per-packet trace (include/net/pkt_trace.h): the
 * stages a traced packet goes through write their JSON lines, in order,
 * and a dry run sends nothing and counts nothing.
 *
 * The setup is test_mlx5_tc_tun.c's: an eswitch over the steering model
 * with ports that record what they send, a collect-metadata vxlan0, the
 * uplink with 7.7.7.7/24 and its neighbour 7.7.7.8 resolved, and the
 * seed's ct filters on VF 0's representor (vxlan_scenario.sh vx_filters),
 * made with netlink requests as tc builds them:
 *
 *   chain 0 prio 1 proto ip flower ct_state -trk action ct pipe action goto chain 2
 *   chain 2 prio 1 proto ip flower ct_state +trk+new action ct commit pipe
 *	action tunnel_key set src_ip 0.0.0.0 dst_ip 7.7.7.8 id 98 dst_port 4789
 *	action mirred egress redirect dev vxlan0
 *
 * A TCP SYN from VF 0, traced, goes through the model (the pre_ct rule,
 * a miss in ct), software's chain 0 and 2 and out of the uplink in VXLAN.
 */
#include "testbed.h"
#include <net/pkt_trace.h>

static const u8 peer_mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0xbb };

/* ---- the seed's filters ---- */

static void seed_filters_add(void)
{
	/* chain 0: ct_state -trk action ct pipe action goto chain 2 */
	struct fl f0 = { .prio = 1, .ip = true, .ct_state_mask = TCA_FLOWER_KEY_CT_FLAGS_TRACKED,
			 .ct = true, .goto_chain = 2 };
	/* chain 2: ct_state +trk+new action ct commit pipe, tunnel_key set, mirred to vxlan0 */
	struct fl f2 = { .chain = 2, .prio = 1, .ip = true,
			 .ct_state = TCA_FLOWER_KEY_CT_FLAGS_TRACKED | TCA_FLOWER_KEY_CT_FLAGS_NEW,
			 .ct = true, .ct_commit = true, .tunnel_set = true, .redirect = vxlan0 };

	fl_add_ok(VF0->rep, &f0);
	fl_add_ok(VF0->rep, &f2);
}

/* ---- packets ---- */

#define SYN_LEN	(14 + 20 + 20)

/* a TCP SYN 10.0.0.1:sport -> 10.0.0.2:5001 from VF 0, checksums right */
static struct sk_buff *syn_skb(u16 sport)
{
	static const u8 eth[14] = { 0x24, 0x8a, 0x07, 0xa5, 0x28, 0x02,
				    0x24, 0x8a, 0x07, 0xa5, 0x28, 0x01, 0x08, 0x00 };
	struct sk_buff *skb = alloc_skb(&pool);
	__be32 saddr = inet_addr("10.0.0.1"), daddr = inet_addr("10.0.0.2");
	__sum16 check;
	u8 *p, *tcp;

	assert_non_null(skb);
	p = skb->data;
	memset(p, 0, SYN_LEN);
	memcpy(p, eth, sizeof(eth));
	p[14] = 0x45;
	p[17] = SYN_LEN - 14;
	p[22] = 64;
	p[23] = IPPROTO_TCP;
	memcpy(p + 26, &saddr, 4);
	memcpy(p + 30, &daddr, 4);
	check = ip_fast_csum(p + 14, 5);
	memcpy(p + 24, &check, 2);
	tcp = p + 34;
	tcp[0] = sport >> 8;
	tcp[1] = sport;
	tcp[2] = 5001 >> 8;
	tcp[3] = 5001 & 0xff;
	tcp[7] = 1;			/* seq 1 */
	tcp[12] = 5 << 4;
	tcp[13] = 0x02;			/* SYN */
	tcp[14] = 0xff;			/* window */
	check = csum_tcpudp_magic(saddr, daddr, 20, IPPROTO_TCP, csum_partial(tcp, 20, 0));
	memcpy(tcp + 16, &check, 2);
	skb_put(skb, SYN_LEN);
	return skb;
}

static void rx_traced(struct sk_buff *skb, struct pkt_trace *t)
{
	pkt_trace_attach(skb, t, VF0->port);
	rcu_read_lock();
	mlx5e_rep_rx_burst(VF0->port, &skb, 1);
	rcu_read_unlock();
}

/*
 * The trace's lines in order: each expectation is a stage and strings
 * its line holds, found on the next line of that stage.  Every line of
 * the trace must be one of them (no stage missing, none extra).
 */
struct expect {
	const char *stage;
	const char *has[4];
};

static void expect_trace(const struct pkt_trace *t, const struct expect *e, unsigned int n)
{
	char *text = strndup(t->buf ? t->buf : "", t->len), *line, *save = NULL;
	unsigned int i = 0, j;
	char want[64];

	assert_non_null(text);
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save), i++) {
		if (i >= n)
			fail_msg("extra stage: %s", line);
		snprintf(want, sizeof(want), "{\"stage\":\"%s\"", e[i].stage);
		if (strncmp(line, want, strlen(want)))
			fail_msg("stage %u: want %s, got %s", i, e[i].stage, line);
		for (j = 0; j < ARRAY_SIZE(e[i].has) && e[i].has[j]; j++)
			if (!strstr(line, e[i].has[j]))
				fail_msg("stage %u: no %s in %s", i, e[i].has[j], line);
		if (line[strlen(line) - 1] != '}')
			fail_msg("stage %u: not an object: %s", i, line);
	}
	if (i != n)
		fail_msg("%u stages, want %u (next: %s)", i, n, e[i].stage);
	assert_int_equal(t->nstages, n);
	assert_false(t->truncated);
	free(text);
}

static const struct expect syn_stages[] = {
	{ "port_rx", { "\"port\":\"", "\"len\":54" } },
	{ "hw_table", { "\"fte\":" } },		/* the chain 0 rule: pre_ct */
	{ "hw_actions", { "\"actions\":[", "\"regs\":{\"reg_c_0\":\"0x", "\"reg_c_5\":" } },
	{ "hw_table", { "\"table\":\"ct\"", "\"miss\":" } },
	{ "hw_miss", { "\"dev\":\"tt0_0\"", "\"chain\":0,", "\"ct\":false" } },
	{ "tc_chain", { "\"dev\":\"tt0_0\"", "\"chain\":0" } },
	{ "tc_filter", { "\"chain\":0,", "\"prio\":1,", "\"kind\":\"flower\"", "\"in_hw\":true" } },
	{ "flowtable", { "\"zone\":0", "\"result\":\"miss\"" } },
	{ "ct", { "\"tuple\":\"tcp 10.0.0.1:40000 -> 10.0.0.2:5001\"", "\"before\":\"none\"",
		  "\"after\":\"SYN_SENT\"", "\"ctinfo\":\"new\"" } },
	{ "tc_action", { "\"kind\":\"ct\"", "\"result\":\"pipe\"" } },
	{ "tc_action", { "\"kind\":\"gact\"", "\"result\":\"goto chain 2\"" } },
	{ "tc_chain", { "\"chain\":2" } },
	{ "tc_filter", { "\"chain\":2,", "\"prio\":1,", "\"handle\":1," } },
	{ "ct", { "\"commit\":true", "\"confirmed\":true", "\"nat\":\"none\"", "\"before\":\"SYN_SENT\"" } },
	{ "tc_action", { "\"kind\":\"ct\"", "\"result\":\"pipe\"" } },
	{ "tc_action", { "\"kind\":\"tunnel_key\"", "\"tunnel\":\"set\"", "\"dst\":\"7.7.7.8\"", "\"id\":98" } },
	{ "tc_action", { "\"kind\":\"mirred\"", "\"result\":\"stolen\"", "\"to\":\"vxlan0\"",
			 "\"mode\":\"redirect\"" } },
	{ "stack", { "\"proto\":\"vxlan\"", "vxlan encap vni 98 to 7.7.7.8 via tt0" } },
	{ "tx", { "\"dev\":\"tt0\"", "\"port\":\"tt0wire\"", "\"data\":\"02000000" } },
};

/* a traced SYN: every stage, in order, and it leaves the uplink */
static void test_trace_syn(void **state)
{
	struct capture *ul = port_cap(UPLINK);
	unsigned int count = ul->count;
	struct pkt_trace t;

	pkt_trace_init(&t, false);
	rx_traced(syn_skb(40000), &t);
	if (getenv("PKT_TRACE_SHOW"))
		fwrite(t.buf, 1, t.len, stderr);
	expect_trace(&t, syn_stages, ARRAY_SIZE(syn_stages));
	assert_int_equal(ul->count, count + 1);
	/* the frame the trace shows is the frame that left */
	assert_non_null(strstr(t.buf, "\"len\":104,"));
	pkt_trace_release(&t);
}

/* the same for a new connection, dry: recorded, not sent, not counted */
static void test_trace_dry_run(void **state)
{
	struct capture *ul = port_cap(UPLINK);
	struct port_stats_total stats, after;
	unsigned int count = ul->count;
	struct pkt_trace t;

	port_get_stats(UPLINK->port, &stats);
	pkt_trace_init(&t, true);
	rx_traced(syn_skb(40001), &t);
	assert_non_null(strstr(t.buf, "{\"stage\":\"tx\""));
	assert_non_null(strstr(t.buf, "\"sent\":false"));
	assert_int_equal(ul->count, count);
	port_get_stats(UPLINK->port, &after);
	assert_memory_equal(&after, &stats, sizeof(stats));
	pkt_trace_release(&t);
}

/* untraced, nothing is written anywhere and the packet goes as before */
static void test_untraced(void **state)
{
	struct capture *ul = port_cap(UPLINK);
	unsigned int count = ul->count;
	struct sk_buff *skb = syn_skb(40002);

	rcu_read_lock();
	mlx5e_rep_rx_burst(VF0->port, &skb, 1);
	rcu_read_unlock();
	assert_int_equal(ul->count, count + 1);
}

/* JSON strings: quotes, backslashes and control characters escaped, cut to fit */
static void test_json_str(void **state)
{
	char buf[16];

	assert_string_equal(pkt_trace_json_str(buf, sizeof(buf), "a\"b\\c\n"), "a\\\"b\\\\c\\u000a");
	assert_string_equal(pkt_trace_json_str(buf, 6, "abcdefgh"), "abcde");
	assert_string_equal(pkt_trace_json_str(buf, 4, "ab\""), "ab");
}

/* ---- setup ---- */

static int group_setup(void **state)
{
	__be32 a = inet_addr("7.7.7.8");
	struct neighbour *n;

	if (testbed_init("tt0", false))
		return -1;
	ingress_add(VF0->rep);
	uplink_addr(RTM_NEWADDR);
	n = neigh_lookup_create(&arp_tbl, &a, UPLINK->rep);
	assert_non_null(n);
	assert_int_equal(neigh_update(n, peer_mac, NUD_REACHABLE,
				      NEIGH_UPDATE_F_OVERRIDE | NEIGH_UPDATE_F_ADMIN), 0);
	neigh_release(n);
	seed_filters_add();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_str),
		cmocka_unit_test(test_trace_syn),
		cmocka_unit_test(test_trace_dry_run),
		cmocka_unit_test(test_untraced),
	};

	return cmocka_run_group_tests(tests, group_setup, testbed_group_teardown);
}
