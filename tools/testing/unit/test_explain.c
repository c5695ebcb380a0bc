// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for `ctoffload explain` (net/core/ctoffload_explain.c): why a
 * filter or a connection is, or is not, in hardware.
 *
 * A real eswitch (representors tx0 (uplink), tx0_0, tx0_1) and vxlan0;
 * qdiscs and filters are made with netlink requests built as tc builds
 * them and handed to the real rtnetlink handlers.  Connections are made
 * by packets sent into VF ports through the model and the software
 * datapath (mlx5e_rep_rx_burst), so act_ct, the flowtable and its offload
 * worker take their decisions as they do in the daemon.  The explain
 * handlers are called with their netlink requests; the checks read the
 * JSON objects of the answer.
 */
#include "testbed.h"
#include "../../../net/core/ctoffload_explain.h"
#include <linux/sysctl.h>
#include <net/ctoffload.h>
#include <net/tc_act/tc_ct.h>
#include <uapi/ctoffload/ctoffload.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>

/* ---- the explain requests ---- */

/* every EXPLAIN_TEXT of the answer, one object a line (the caller frees) */
static char *answer_text(struct nl_out *out)
{
	const struct nlattr *a;
	struct nlmsghdr *nlh;
	char *text = NULL;
	size_t size = 0;
	int len = out->len;
	FILE *f = open_memstream(&text, &size);

	assert_non_null(f);
	for (nlh = (struct nlmsghdr *)out->buf; mnl_nlmsg_ok(nlh, len);
	     nlh = mnl_nlmsg_next(nlh, &len))
		mnl_attr_for_each(a, nlh, 0)
			if (mnl_attr_get_type(a) == CTO_A_EXPLAIN_TEXT)
				fprintf(f, "%s\n", (const char *)mnl_attr_get_payload(a));
	fclose(f);
	return text;
}

static char *explain_send(struct req *r, int (*handler)(struct nlmsghdr *, struct nlattr **,
							  struct nl_out *, struct netlink_ext_ack *))
{
	struct nlattr *tb[CTO_A_MAX + 1] = {};
	struct nlattr *a;
	struct nl_out out;
	char *text;

	mnl_attr_for_each(a, r->nlh, 0)
		tb[mnl_attr_get_type(a)] = a;
	nl_out_init(&out, 0);
	assert_int_equal(handler(r->nlh, tb, &out, &r->extack), 0);
	text = answer_text(&out);
	nl_out_free(&out);
	return text;
}

/* ctoffload explain filter dev DEV [prio P] */
static char *explain_filter(struct net_device *dev, u32 prio)
{
	struct req r;

	req_init(&r, CTO_MSG_EXPLAIN_FILTER, NLM_F_DUMP, 0);
	mnl_attr_put_strz(r.nlh, CTO_A_EXPLAIN_DEV, dev->name);
	if (prio)
		mnl_attr_put_u32(r.nlh, CTO_A_EXPLAIN_PRIO, prio);
	return explain_send(&r, cto_explain_filter);
}

/* ctoffload explain conn --all */
static char *explain_conns(void)
{
	struct req r;

	req_init(&r, CTO_MSG_EXPLAIN_CONN, NLM_F_DUMP, 0);
	return explain_send(&r, cto_explain_conn);
}

/* the line of text that holds every NULL-terminated string, or NULL */
static const char *line_with(const char *text, const char *first, ...)
{
	static char line[4096];
	const char *p = text;

	while (p && *p) {
		const char *nl = strchr(p, '\n'), *s;
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		bool all = true;
		va_list ap;

		snprintf(line, sizeof(line), "%.*s", (int)n, p);
		va_start(ap, first);
		for (s = first; s && all; s = va_arg(ap, const char *))
			all = strstr(line, s);
		va_end(ap);
		if (all)
			return line;
		p = nl ? nl + 1 : NULL;
	}
	return NULL;
}

static void expect_line(const char *text, const char *what, const char *what2)
{
	if (!line_with(text, what, what2, NULL))
		print_message("no line with %s %s in:\n%s", what, what2 ? what2 : "", text);
	assert_non_null(line_with(text, what, what2, NULL));
}

/* ---- packets ---- */

static void put16(u8 *p, u16 v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static const u8 vf0_mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x10 };
static const u8 vf1_mac[ETH_ALEN] = { 0x02, 0, 0, 0, 0, 0x11 };

/* an IPv4 frame with a TCP, UDP or ICMP echo header, checksums right */
static struct sk_buff *frame(bool from_vf0, u8 proto, u16 sport, u16 dport, u32 seq, u32 ack,
			     u8 flags)
{
	struct sk_buff *skb = alloc_skb(&pool);
	const char *src = from_vf0 ? "10.0.0.1" : "10.0.0.2", *dst = from_vf0 ? "10.0.0.2" : "10.0.0.1";
	u8 *p, *l4;
	size_t l4len = proto == IPPROTO_TCP ? 20 : 8;
	struct iphdr ip = { .version = 4, .ihl = 5, .ttl = 64, .protocol = proto };
	__be16 type = htons(ETH_P_IP);
	u32 sum = 0;
	size_t i;

	assert_non_null(skb);
	p = skb->data;
	memcpy(p, from_vf0 ? vf1_mac : vf0_mac, ETH_ALEN);
	memcpy(p + 6, from_vf0 ? vf0_mac : vf1_mac, ETH_ALEN);
	memcpy(p + 12, &type, 2);
	inet_pton(AF_INET, src, &ip.saddr);
	inet_pton(AF_INET, dst, &ip.daddr);
	ip.tot_len = htons(20 + l4len);
	memcpy(p + 14, &ip, 20);
	ip.check = ip_fast_csum(p + 14, 5);
	memcpy(p + 14, &ip, 20);
	l4 = p + 34;
	memset(l4, 0, l4len);
	if (proto == IPPROTO_TCP) {
		struct tcphdr th = { .th_sport = htons(sport), .th_dport = htons(dport),
				     .th_seq = htonl(seq), .th_ack = htonl(ack), .th_off = 5,
				     .th_flags = flags, .th_win = htons(65535) };

		memcpy(l4, &th, sizeof(th));
	} else if (proto == IPPROTO_UDP) {
		put16(l4, sport);
		put16(l4 + 2, dport);
		put16(l4 + 4, 8);
	} else {
		l4[0] = 8;		/* echo request */
		put16(l4 + 4, sport);	/* id */
		put16(l4 + 6, 1);
	}
	/* the L4 checksum: pseudo header for TCP/UDP, none for ICMP */
	if (proto != IPPROTO_ICMP) {
		for (i = 0; i < 8; i += 2)
			sum += (p[26 + i] << 8) | p[26 + i + 1];
		sum += proto + l4len;
	}
	for (i = 0; i < l4len; i += 2)
		sum += (l4[i] << 8) | l4[i + 1];
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	put16(l4 + (proto == IPPROTO_TCP ? 16 : proto == IPPROTO_UDP ? 6 : 2), ~sum & 0xffff);
	skb_put(skb, 34 + l4len);
	return skb;
}

/* through VF's vport into the model, and software for what misses */
static void send_frame(bool from_vf0, u8 proto, u16 sport, u16 dport, u32 seq, u32 ack,
		       u8 flags)
{
	struct sk_buff *skb = frame(from_vf0, proto, sport, dport, seq, ack, flags);

	rcu_read_lock();
	mlx5e_rep_rx_burst((from_vf0 ? VF0 : VF1)->port, &skb, 1);
	rcu_read_unlock();
	nf_flow_table_offload_flush(NULL);
}

/* the seed's split without chains: ct commit zone Z, then across to the other VF */
static void ct_filters_add(u16 zone, u32 flags)
{
	struct fl f = { .prio = 1, .ip = true, .flags = flags, .ct_zone = zone, .ct_commit = true,
			.redirect = VF1->rep };

	fl_add_quiet(VF0->rep, &f);
	f.redirect = VF0->rep;
	fl_add_quiet(VF1->rep, &f);
}

static int conn_kill(struct nf_conn *ct, void *data)
{
	return 1;
}

/* the filters go (and the zone's flowtable with them), then every connection */
static void ct_filters_del(void)
{
	fl_del(VF0->rep, 0, 1);
	fl_del(VF1->rep, 0, 1);
	rcu_barrier();
	rcu_read_lock();
	nf_ct_iterate(conn_kill, NULL, 0, 0);
	rcu_read_unlock();
}

/* ---- setup ---- */

static int group_setup(void **state)
{
	if (testbed_init("tx0", true))
		return -1;
	link_set_up(VF1->rep);
	ingress_add(vxlan0);
	ingress_add(VF0->rep);
	ingress_add(VF1->rep);
	ingress_add(cap0);
	/* the frames are built without caring for conntrack's checksum check */
	assert_int_equal(sysctl_write("net.netfilter.nf_conntrack_checksum", "0"), 0);
	return 0;
}

/* ---- filters ---- */

/*
 * Each refused filter keeps its own sentence, and tc printed none of
 * them (they are not skip_sw); the one in hardware lists its FTE.
 */
static void test_filter_reasons(void **state)
{
	struct fl skip_hw = { .prio = 1, .ip = true, .flags = TCA_CLS_FLAGS_SKIP_HW, .drop = true };
	struct fl two_ct = { .prio = 2, .ip = true, .ct_zone = 3, .ct_zone2 = 4, .goto_chain = 1 };
	struct fl range = { .prio = 3, .ip = true, .ip_proto = IPPROTO_TCP, .dport_min = 80,
			    .dport_max = 90, .drop = true };
	struct fl foreign = { .prio = 4, .ip = true, .redirect = cap0 };
	struct fl plain = { .prio = 5, .ip = true, .drop = true };
	char *text;

	fl_add_quiet(VF0->rep, &skip_hw);
	fl_add_quiet(VF0->rep, &two_ct);
	fl_add_quiet(VF0->rep, &range);
	fl_add_quiet(VF0->rep, &foreign);
	fl_add_quiet(VF0->rep, &plain);
	text = explain_filter(VF0->rep, 0);
	expect_line(text, "\"prio\":1,", "\"reason\":\"skip_hw was set\"");
	expect_line(text, "\"prio\":1,", "\"skip_hw\":true");
	expect_line(text, "\"prio\":2,", "\"reason\":\"Only one ct action is supported\"");
	expect_line(text, "\"prio\":3,", "\"reason\":\"Match on port ranges is not supported\"");
	expect_line(text, "\"prio\":4,", "\"reason\":\"devices are not on same switch HW, can't offload forwarding\"");
	expect_line(text, "\"prio\":5,", "\"in_hw\":true,\"in_hw_count\":1");
	expect_line(text, "\"prio\":5,", "\"role\":\"rule\"");
	expect_line(text, "\"prio\":5,", "\"table\":\"chain 0 prio 5\"");
	assert_null(line_with(text, "\"prio\":5,", "\"reason\"", NULL));
	/* the port range has its own sentence, not another filter's */
	assert_null(line_with(text, "\"prio\":3,", "skip_hw was set", NULL));
	assert_null(line_with(text, "\"prio\":3,", "\"reason\":\"\"", NULL));
	free(text);
	/* one prio only */
	text = explain_filter(VF0->rep, 4);
	assert_non_null(line_with(text, "\"prio\":4,", NULL));
	assert_null(line_with(text, "\"prio\":5,", NULL));
	free(text);
	/* a plain netdev: tc's own reason */
	fl_add_quiet(cap0, &plain);
	text = explain_filter(cap0, 0);
	expect_line(text, "\"dev\":\"cap0\"", "\"reason\":\"no device on this block offloads tc\",");
	free(text);
	fl_del(cap0, 0, 5);
	for (plain.prio = 5; plain.prio; plain.prio--)
		fl_del(VF0->rep, 0, plain.prio);
}

/* an offloaded ct filter: its pre_ct FTE in its chain's table, its post_ct FTE */
static void test_filter_ct_tables(void **state)
{
	struct fl f = { .prio = 1, .ip = true, .ct_zone = 5, .goto_chain = 2 };
	char *text;

	fl_add_quiet(VF0->rep, &f);
	text = explain_filter(VF0->rep, 1);
	expect_line(text, "\"in_hw\":true", "{\"table\":\"chain 0 prio 1\",\"fte\":");
	expect_line(text, "\"role\":\"pre_ct\"", "{\"table\":\"post_ct\",\"fte\":");
	expect_line(text, "\"role\":\"post_ct\"", NULL);
	free(text);
	fl_del(VF0->rep, 0, 1);
}

/* an encap whose neighbour is not resolved yet: its slow path FTE */
static void test_filter_slow_path(void **state)
{
	struct fl f = { .prio = 1, .ip = true, .tunnel_set = true, .redirect = vxlan0 };
	char *text;

	uplink_addr(RTM_NEWADDR);
	fl_add_quiet(VF0->rep, &f);
	text = explain_filter(VF0->rep, 1);
	expect_line(text, "\"in_hw\":true", "\"role\":\"slow_path\"");
	free(text);
	fl_del(VF0->rep, 0, 1);
	uplink_addr(RTM_DELADDR);
}

/* ---- connections ---- */

#define TH_SYN_ACK	(TH_SYN | TH_ACK)

static void tcp_handshake(u16 sport)
{
	send_frame(true, IPPROTO_TCP, sport, 80, 100, 0, TH_SYN);
	send_frame(false, IPPROTO_TCP, 80, sport, 300, 101, TH_SYN_ACK);
	send_frame(true, IPPROTO_TCP, sport, 80, 101, 301, TH_ACK);
}

/* ICMP, a SYN only, established (in hardware), after a FIN, conntrack -I */
static void test_conn_states(void **state)
{
	struct nf_conntrack_tuple orig = {}, repl = {};
	struct nf_conn *ct;
	char *text;

	ct_filters_add(5, 0);
	send_frame(true, IPPROTO_ICMP, 7, 0, 0, 0, 0);
	send_frame(true, IPPROTO_TCP, 1000, 80, 100, 0, TH_SYN);
	tcp_handshake(1001);
	tcp_handshake(1002);
	send_frame(true, IPPROTO_TCP, 1002, 80, 101, 301, TH_FIN | TH_ACK);
	/* conntrack -I: a connection no ct action has seen */
	orig.src.l3num = repl.src.l3num = NFPROTO_IPV4;
	orig.dst.protonum = repl.dst.protonum = IPPROTO_UDP;
	inet_pton(AF_INET, "10.9.9.1", &orig.src.u3);
	inet_pton(AF_INET, "10.9.9.2", &orig.dst.u3);
	orig.src.u.all = htons(5);
	orig.dst.u.all = htons(6);
	repl.src.u3 = orig.dst.u3;
	repl.dst.u3 = orig.src.u3;
	repl.src.u.all = orig.dst.u.all;
	repl.dst.u.all = orig.src.u.all;
	repl.dst.dir = IP_CT_DIR_REPLY;
	ct = nf_conntrack_alloc(0, &orig, &repl);
	assert_non_null(ct);
	assert_int_equal(nf_conntrack_hash_check_insert(ct), 0);
	nf_ct_put(ct);		/* the table holds it, as after ctnetlink's insert */

	text = explain_conns();
	expect_line(text, "\"proto\":\"icmp\"", "\"reason\":\"protocol not offloadable (icmp)\"");
	expect_line(text, "sport=1000 ", "\"reason\":\"TCP not yet established\"");
	expect_line(text, "sport=1000 ", "\"state\":\"SYN_SENT\"");
	expect_line(text, "sport=1001 ", "\"flowtable\":true,\"hw\":true}");
	expect_line(text, "sport=1002 ", "\"reason\":\"torn down by FIN/RST\"");
	expect_line(text, "src=10.9.9.1 ", "\"reason\":\"not seen by a ct action\"");
	assert_non_null(line_with(text, "\"zone\":5,\"proto\":\"tcp\",\"orig\":\"src=10.0.0.1 dst=10.0.0.2 sport=1001 dport=80\",\"reply\":\"src=10.0.0.2 dst=10.0.0.1 sport=80 dport=1001\",\"state\":\"ESTABLISHED\"", NULL));
	free(text);
	ct_filters_del();
}

/* a full device, a full offload queue, nf_flowtable_enable=0 */
static void test_conn_refusals(void **state)
{
	char max_fte[32], queue_max[32], buf[32];
	struct mlx5_fs_usage u;
	char *text;

	ct_filters_add(5, 0);
	assert_int_equal(sysctl_read("mlx5.tx0.max_fte", max_fte, sizeof(max_fte)), 0);
	assert_int_equal(sysctl_read("net.netfilter.nf_flowtable_offload_queue_max", queue_max,
				     sizeof(queue_max)), 0);
	mlx5_fs_get_usage(esw->dev, &u);
	snprintf(buf, sizeof(buf), "%u", u.ftes);
	assert_int_equal(sysctl_write("mlx5.tx0.max_fte", buf), 0);
	send_frame(true, IPPROTO_UDP, 2000, 53, 0, 0, 0);
	assert_int_equal(sysctl_write("mlx5.tx0.max_fte", max_fte), 0);
	assert_int_equal(sysctl_write("net.netfilter.nf_flowtable_offload_queue_max", "0"), 0);
	send_frame(true, IPPROTO_UDP, 2001, 53, 0, 0, 0);
	assert_int_equal(sysctl_write("net.netfilter.nf_flowtable_offload_queue_max", queue_max), 0);
	assert_int_equal(sysctl_write("net.netfilter.nf_flowtable_enable", "0"), 0);
	send_frame(true, IPPROTO_UDP, 2002, 53, 0, 0, 0);
	assert_int_equal(sysctl_write("net.netfilter.nf_flowtable_enable", "1"), 0);

	text = explain_conns();
	expect_line(text, "sport=2000 ", "\"reason\":\"hardware table full\"");
	expect_line(text, "sport=2000 ", "\"flowtable\":true,\"hw\":false");
	expect_line(text, "sport=2001 ", "\"reason\":\"offload queue full\"");
	expect_line(text, "sport=2002 ", "\"reason\":\"flowtable disabled\"");
	free(text);
	ct_filters_del();
}

/* ct filters that are skip_hw: no driver on the zone's flowtable */
static void test_conn_no_driver(void **state)
{
	char *text;

	ct_filters_add(7, TCA_CLS_FLAGS_SKIP_HW);
	send_frame(true, IPPROTO_UDP, 3000, 53, 0, 0, 0);
	text = explain_conns();
	expect_line(text, "\"zone\":7", "\"reason\":\"zone has no offloaded ct filter\"");
	free(text);
	ct_filters_del();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filter_reasons),
		cmocka_unit_test(test_filter_ct_tables),
		cmocka_unit_test(test_filter_slow_path),
		cmocka_unit_test(test_conn_states),
		cmocka_unit_test(test_conn_refusals),
		cmocka_unit_test(test_conn_no_driver),
	};

	return cmocka_run_group_tests(tests, group_setup, testbed_group_teardown);
}
