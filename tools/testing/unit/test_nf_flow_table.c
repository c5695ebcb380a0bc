// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for act_ct's flowtables and the software fast path
 * (net/netfilter/nf_flow_table_core.c, net/sched/act_ct.c): which
 * connections enter, that later packets skip conntrack, teardown on
 * FIN/RST, identical bytes on both paths with NAT, the gc, and the
 * per-zone refcount.  Actions are built from netlink attributes by the
 * real parser, as tc sends them; packets go through tcf_exts_exec().
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <limits.h>
#include <cmocka.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/pkt_cls.h>
#include <linux/tc_act/tc_ct.h>
#include <linux/netdev.h>
#include <linux/rcupdate.h>
#include <net/act_api.h>
#include <net/pkt_cls.h>
#include <net/tc_act/tc_ct.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_flow_table.h>

static struct skb_pool pool;
static struct net_device dev = { .name = "ft0", .ifindex = 9 };

/* ---- actions ---- */

static void ct_action(struct tcf_exts *exts, u16 ct_action, u16 zone, const char *snat)
{
	char buf[1024];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlattr *tb[TCA_FLOWER_MAX + 1] = {};
	struct nlattr *acts, *act, *opts;
	struct tc_ct parm = { .action = TC_ACT_PIPE };

	acts = mnl_attr_nest_start(nlh, TCA_FLOWER_ACT);
	act = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_strz(nlh, TCA_ACT_KIND, "ct");
	opts = mnl_attr_nest_start(nlh, TCA_ACT_OPTIONS);
	mnl_attr_put(nlh, TCA_CT_PARMS, sizeof(parm), &parm);
	mnl_attr_put_u16(nlh, TCA_CT_ACTION, ct_action);
	mnl_attr_put_u16(nlh, TCA_CT_ZONE, zone);
	if (snat) {
		mnl_attr_put_u32(nlh, TCA_CT_NAT_IPV4_MIN, inet_addr(snat));
		mnl_attr_put_u32(nlh, TCA_CT_NAT_IPV4_MAX, inet_addr(snat));
		mnl_attr_put_u16(nlh, TCA_CT_NAT_PORT_MIN, htons(2000));
		mnl_attr_put_u16(nlh, TCA_CT_NAT_PORT_MAX, htons(2000));
	}
	mnl_attr_nest_end(nlh, opts);
	mnl_attr_nest_end(nlh, act);
	mnl_attr_nest_end(nlh, acts);
	tb[TCA_FLOWER_ACT] = acts;
	assert_int_equal(tcf_exts_init(exts, TCA_FLOWER_ACT, 0), 0);
	assert_int_equal(tcf_exts_validate(NULL, tb, exts, 0, NULL), 0);
}

/* the last reference to a zone's flowtable goes after a grace period */
static void ct_action_destroy(struct tcf_exts *exts)
{
	tcf_exts_destroy(exts);
	rcu_barrier();
	rcu_barrier();
}

/* ---- packets ---- */

#define TCP_FIN	0x01
#define TCP_SYN	0x02
#define TCP_RST	0x04
#define TCP_PSH	0x08
#define TCP_ACK	0x10

struct frame {
	u8 b[256];
	unsigned int len;
};

/* Ethernet + IPv4 + TCP/UDP/ICMP; checksums are left zero (conntrack's checks are off) */
static void frame4(struct frame *f, u8 proto, const char *src, u16 sport, const char *dst,
		   u16 dport, u32 seq, u32 ack, u8 flags, unsigned int payload)
{
	unsigned int l4 = proto == IPPROTO_TCP ? 20 : 8, iplen = 20 + l4 + payload;
	u8 *ip = f->b + 14, *th = ip + 20;
	u32 a;
	u16 v;

	memset(f, 0, sizeof(*f));
	memcpy(f->b, "\x02\0\0\0\0\x02\x02\0\0\0\0\x01\x08\x00", 14);
	ip[0] = 0x45;
	v = htons(iplen);
	memcpy(ip + 2, &v, 2);
	ip[8] = 64;
	ip[9] = proto;
	a = inet_addr(src);
	memcpy(ip + 12, &a, 4);
	a = inet_addr(dst);
	memcpy(ip + 16, &a, 4);
	if (proto == IPPROTO_ICMP) {
		th[0] = 8;		/* echo request, id sport */
		v = htons(sport);
		memcpy(th + 4, &v, 2);
	} else {
		v = htons(sport);
		memcpy(th, &v, 2);
		v = htons(dport);
		memcpy(th + 2, &v, 2);
	}
	if (proto == IPPROTO_TCP) {
		seq = htonl(seq);
		ack = htonl(ack);
		memcpy(th + 4, &seq, 4);
		memcpy(th + 8, &ack, 4);
		th[12] = 5 << 4;
		th[13] = flags;
		v = htons(65000);
		memcpy(th + 14, &v, 2);
	} else if (proto == IPPROTO_UDP) {
		v = htons(8 + payload);
		memcpy(th + 4, &v, 2);
	}
	memset(th + l4, 0xab, payload);
	f->len = 14 + iplen;
}

/* run the frame through exts; out (if not NULL) gets the frame as it leaves */
static int run(struct tcf_exts *exts, const struct frame *f, struct frame *out,
	       struct nf_conn **ct, enum ip_conntrack_info *ctinfo)
{
	struct tcf_result res;
	struct sk_buff *skb = alloc_skb(&pool);
	struct nf_conn *c;
	enum ip_conntrack_info info;
	int verdict;

	assert_non_null(skb);
	memcpy(skb->data, f->b, f->len);
	skb->len = f->len;
	skb->dev = &dev;
	skb->tc_at_ingress = 1;
	rcu_read_lock();
	verdict = tcf_exts_exec(skb, exts, &res);
	c = nf_ct_get(skb, &info);
	if (ct)
		*ct = c;
	if (ctinfo)
		*ctinfo = info;
	if (out) {
		out->len = skb->len;
		memcpy(out->b, skb->data, skb->len);
	}
	kfree_skb(skb);
	rcu_read_unlock();
	return verdict;
}

static struct nf_flow_table_stat stats(u16 zone)
{
	struct nf_flowtable *ft = tcf_ct_zone_flowtable(zone);
	struct nf_flow_table_stat s = {};

	if (ft)
		nf_flow_table_stats(ft, &s);
	return s;
}

static unsigned int entries(u16 zone)
{
	struct nf_flowtable *ft = tcf_ct_zone_flowtable(zone);

	return ft ? nf_flow_table_count(ft) : 0;
}

/* the three-way handshake through exts (both directions); returns the connection */
static struct nf_conn *handshake(struct tcf_exts *orig, struct tcf_exts *reply, u16 sport,
				 struct frame *syn_ack_out)
{
	struct frame f;
	struct nf_conn *ct;

	frame4(&f, IPPROTO_TCP, "10.0.0.1", sport, "10.0.0.2", 80, 1000, 0, TCP_SYN, 0);
	run(orig, &f, NULL, NULL, NULL);
	if (syn_ack_out) {
		/* the caller built the reply frame (to a NAT mapping) */
		run(reply, syn_ack_out, NULL, NULL, NULL);
	} else {
		frame4(&f, IPPROTO_TCP, "10.0.0.2", 80, "10.0.0.1", sport, 5000, 1001,
		       TCP_SYN | TCP_ACK, 0);
		run(reply, &f, NULL, NULL, NULL);
	}
	frame4(&f, IPPROTO_TCP, "10.0.0.1", sport, "10.0.0.2", 80, 1001, 5001, TCP_ACK, 0);
	run(orig, &f, NULL, &ct, NULL);
	return ct;
}

/* ---- tests ---- */

static int setup(void **state)
{
	rcu_register_thread();
	jiffies_set_virtual(1000000);
	nf_ct_net.checksum = 0;
	if (nf_conntrack_init() || nf_flow_table_module_init() || skb_pool_init(&pool, 64))
		return -1;
	skb_local_pool = &pool;
	dev.flags = IFF_UP;
	return 0;
}

static int kill_all(struct nf_conn *ct, void *data)
{
	return 1;
}

/* after each test: no connection, no entry */
static int flush(void **state)
{
	rcu_read_lock();
	nf_ct_iterate(kill_all, NULL, 0, 0);
	rcu_read_unlock();
	nf_flow_table_gc_run_all();
	rcu_barrier();
	nf_ft_net.enable = 1;
	return 0;
}

static int teardown_all(void **state)
{
	nf_flow_table_module_exit();
	nf_conntrack_cleanup();
	skb_pool_destroy(&pool);
	rcu_unregister_thread();
	return 0;
}

static void test_tcp_established_fast_path_and_fin(void **state)
{
	struct tcf_exts commit, track;
	struct nf_flow_table_stat s;
	enum ip_conntrack_info info;
	struct nf_conn *ct, *got;
	struct frame f;
	u32 last_seq;

	ct_action(&commit, TCA_CT_ACT_COMMIT, 0, NULL);
	ct_action(&track, 0, 0, NULL);
	ct = handshake(&commit, &track, 40000, NULL);
	assert_non_null(ct);
	assert_int_equal(ct->proto.tcp.state, TCP_CONNTRACK_ESTABLISHED);
	/* the handshake's last ACK put it in: both directions liberal, held by the entry */
	assert_true(test_bit(IPS_OFFLOAD_BIT, &ct->status));
	assert_int_equal(entries(0), 1);
	assert_true(ct->proto.tcp.seen[0].flags & IP_CT_TCP_FLAG_BE_LIBERAL);
	assert_true(ct->proto.tcp.seen[1].flags & IP_CT_TCP_FLAG_BE_LIBERAL);
	assert_int_equal(refcount_read(&ct->ct_general.use), 2);
	assert_true(nf_ct_expires(ct) > 12 * 3600 * 1000ULL);

	/* data both ways: the fast path, conntrack's TCP state untouched */
	last_seq = ct->proto.tcp.last_seq;
	frame4(&f, IPPROTO_TCP, "10.0.0.1", 40000, "10.0.0.2", 80, 1001, 5001,
	       TCP_ACK | TCP_PSH, 100);
	run(&commit, &f, NULL, &got, &info);
	assert_ptr_equal(got, ct);
	assert_int_equal(info, IP_CT_ESTABLISHED);
	frame4(&f, IPPROTO_TCP, "10.0.0.2", 80, "10.0.0.1", 40000, 5001, 1101, TCP_ACK, 0);
	run(&track, &f, NULL, &got, &info);
	assert_ptr_equal(got, ct);
	assert_int_equal(info, IP_CT_ESTABLISHED_REPLY);
	s = stats(0);
	assert_int_equal(s.hit, 2);
	assert_int_equal(s.added, 1);
	assert_int_equal(ct->proto.tcp.last_seq, last_seq);

	/* FIN: torn down, and conntrack tracks it */
	frame4(&f, IPPROTO_TCP, "10.0.0.1", 40000, "10.0.0.2", 80, 1101, 5001, TCP_FIN | TCP_ACK, 0);
	run(&commit, &f, NULL, &got, NULL);
	assert_ptr_equal(got, ct);
	assert_false(test_bit(IPS_OFFLOAD_BIT, &ct->status));
	assert_int_equal(ct->proto.tcp.state, TCP_CONNTRACK_FIN_WAIT);
	assert_int_equal(stats(0).teardown, 1);
	/* the timeout conntrack gives FIN_WAIT, not a day */
	assert_true(nf_ct_expires(ct) <= nf_ct_net.tcp_timeouts[TCP_CONNTRACK_FIN_WAIT] * 1000ULL);

	/* the next packet goes through conntrack; the gc drops the entry and its reference */
	frame4(&f, IPPROTO_TCP, "10.0.0.2", 80, "10.0.0.1", 40000, 5001, 1102, TCP_ACK, 0);
	run(&track, &f, NULL, &got, NULL);
	assert_int_equal(stats(0).hit, 2);
	nf_flow_table_gc_run_all();
	assert_int_equal(entries(0), 0);
	assert_int_equal(stats(0).gc_removed, 1);
	assert_int_equal(refcount_read(&ct->ct_general.use), 1);

	ct_action_destroy(&commit);
	ct_action_destroy(&track);
}

static void test_tcp_rst_tears_down(void **state)
{
	struct tcf_exts commit, track;
	struct nf_conn *ct;
	struct frame f;

	ct_action(&commit, TCA_CT_ACT_COMMIT, 0, NULL);
	ct_action(&track, 0, 0, NULL);
	ct = handshake(&commit, &track, 40001, NULL);
	assert_true(test_bit(IPS_OFFLOAD_BIT, &ct->status));
	frame4(&f, IPPROTO_TCP, "10.0.0.2", 80, "10.0.0.1", 40001, 5001, 1001, TCP_RST, 0);
	run(&track, &f, NULL, NULL, NULL);
	assert_false(test_bit(IPS_OFFLOAD_BIT, &ct->status));
	assert_int_equal(stats(0).hit, 0);
	nf_flow_table_gc_run_all();
	assert_int_equal(entries(0), 0);
	ct_action_destroy(&commit);
	ct_action_destroy(&track);
}

static void test_udp(void **state)
{
	struct tcf_exts commit, track;
	enum ip_conntrack_info info;
	struct nf_conn *ct, *got;
	struct frame f, r;

	ct_action(&commit, TCA_CT_ACT_COMMIT, 0, NULL);
	ct_action(&track, 0, 0, NULL);
	/* confirmed: in at once, one direction (what Linux 6.1 shows as [OFFLOAD] [UNREPLIED]) */
	frame4(&f, IPPROTO_UDP, "10.0.0.1", 5000, "10.0.0.2", 53, 0, 0, 0, 10);
	run(&commit, &f, NULL, &ct, NULL);
	assert_true(test_bit(IPS_OFFLOAD_BIT, &ct->status));
	assert_int_equal(entries(0), 1);
	/* not assured yet: conntrack sees the packets, which is what assures it */
	frame4(&r, IPPROTO_UDP, "10.0.0.2", 53, "10.0.0.1", 5000, 0, 0, 0, 10);
	run(&track, &r, NULL, &got, &info);
	assert_int_equal(info, IP_CT_ESTABLISHED_REPLY);
	assert_true(test_bit(IPS_SEEN_REPLY_BIT, &ct->status));
	assert_int_equal(stats(0).hit, 0);
	jiffies_advance(3000);
	run(&commit, &f, NULL, NULL, NULL);
	assert_true(test_bit(IPS_ASSURED_BIT, &ct->status));
	assert_int_equal(stats(0).hit, 0);
	/* assured: both directions on the fast path */
	run(&commit, &f, NULL, &got, &info);
	assert_int_equal(info, IP_CT_ESTABLISHED);
	run(&track, &r, NULL, &got, &info);
	assert_int_equal(info, IP_CT_ESTABLISHED_REPLY);
	assert_int_equal(stats(0).hit, 2);
	assert_int_equal(stats(0).added, 1);
	ct_action_destroy(&commit);
	ct_action_destroy(&track);
}

static void test_icmp_never(void **state)
{
	struct tcf_exts commit;
	struct nf_conn *ct;
	struct frame f;

	ct_action(&commit, TCA_CT_ACT_COMMIT, 0, NULL);
	frame4(&f, IPPROTO_ICMP, "10.0.0.1", 77, "10.0.0.2", 0, 0, 0, 0, 8);
	run(&commit, &f, NULL, &ct, NULL);
	run(&commit, &f, NULL, &ct, NULL);
	assert_non_null(ct);
	assert_false(test_bit(IPS_OFFLOAD_BIT, &ct->status));
	assert_int_equal(entries(0), 0);
	ct_action_destroy(&commit);
}

/* the disabled flowtable (nf_flowtable_enable=0) is the slow path for the same packet */
static void test_nat_same_bytes(void **state)
{
	struct tcf_exts snat, nat;
	struct frame f, slow, fast, r, rslow, rfast;
	struct nf_conn *ct;
	u64 hits;

	ct_action(&snat, TCA_CT_ACT_COMMIT | TCA_CT_ACT_NAT | TCA_CT_ACT_NAT_SRC, 0, "10.9.9.9");
	ct_action(&nat, TCA_CT_ACT_NAT, 0, NULL);
	frame4(&r, IPPROTO_TCP, "10.0.0.2", 80, "10.9.9.9", 2000, 5000, 1001, TCP_SYN | TCP_ACK, 0);
	ct = handshake(&snat, &nat, 40002, &r);
	assert_true(ct->status & IPS_SRC_NAT);
	assert_true(test_bit(IPS_OFFLOAD_BIT, &ct->status));

	frame4(&f, IPPROTO_TCP, "10.0.0.1", 40002, "10.0.0.2", 80, 1001, 5001, TCP_ACK | TCP_PSH, 50);
	frame4(&r, IPPROTO_TCP, "10.0.0.2", 80, "10.9.9.9", 2000, 5001, 1051, TCP_ACK, 0);
	nf_ft_net.enable = 0;
	run(&snat, &f, &slow, NULL, NULL);
	run(&nat, &r, &rslow, NULL, NULL);
	nf_ft_net.enable = 1;
	hits = stats(0).hit;
	run(&snat, &f, &fast, NULL, NULL);
	run(&nat, &r, &rfast, NULL, NULL);
	assert_int_equal(stats(0).hit, hits + 2);
	assert_int_equal(slow.len, fast.len);
	assert_memory_equal(slow.b, fast.b, slow.len);
	assert_int_equal(rslow.len, rfast.len);
	assert_memory_equal(rslow.b, rfast.b, rslow.len);
	/* and NAT did happen: the source is the mapping, the reply's destination the host */
	assert_memory_equal(fast.b + 14 + 12, "\x0a\x09\x09\x09", 4);
	assert_memory_equal(rfast.b + 14 + 16, "\x0a\x00\x00\x01", 4);
	ct_action_destroy(&snat);
	ct_action_destroy(&nat);
}

static void test_gc(void **state)
{
	struct tcf_exts commit;
	struct nf_conn *a, *b;
	struct frame f;

	ct_action(&commit, TCA_CT_ACT_COMMIT, 0, NULL);
	frame4(&f, IPPROTO_UDP, "10.0.0.1", 6000, "10.0.0.2", 53, 0, 0, 0, 10);
	run(&commit, &f, NULL, &a, NULL);
	frame4(&f, IPPROTO_UDP, "10.0.0.1", 6001, "10.0.0.2", 53, 0, 0, 0, 10);
	run(&commit, &f, NULL, &b, NULL);
	assert_int_equal(entries(0), 2);

	/* conntrack -D: the entry goes with the connection, which is then freed (ASan) */
	nf_ct_kill(b);
	nf_flow_table_gc_run_all();
	assert_int_equal(entries(0), 1);

	/* conntrack's own gc leaves an offloaded connection alone */
	jiffies_advance(29000);
	assert_int_equal(nf_conntrack_gc(UINT_MAX), 0);
	nf_flow_table_gc_run_all();
	assert_int_equal(entries(0), 1);
	/* expired after nf_flowtable_udp_timeout: back to conntrack with 120 - 30 s */
	jiffies_advance(2000);
	nf_flow_table_gc_run_all();
	assert_int_equal(entries(0), 0);
	assert_false(test_bit(IPS_OFFLOAD_BIT, &a->status));
	assert_int_equal(refcount_read(&a->ct_general.use), 1);
	assert_true(nf_ct_expires(a) <= 90000 && nf_ct_expires(a) > 89000);
	assert_int_equal(stats(0).gc_removed, 2);
	ct_action_destroy(&commit);
}

static void test_zone_refcount(void **state)
{
	struct tcf_exts a, b, c;
	struct nf_flowtable *ft;
	struct nf_conn *ct;
	struct frame f;

	assert_null(tcf_ct_zone_flowtable(5));
	ct_action(&a, TCA_CT_ACT_COMMIT, 5, NULL);
	ct_action(&b, 0, 5, NULL);
	ct_action(&c, TCA_CT_ACT_CLEAR, 5, NULL);
	ft = tcf_ct_zone_flowtable(5);
	assert_non_null(ft);
	assert_null(tcf_ct_zone_flowtable(0));
	frame4(&f, IPPROTO_UDP, "10.0.0.1", 7000, "10.0.0.2", 53, 0, 0, 0, 10);
	run(&a, &f, NULL, &ct, NULL);
	assert_int_equal(nf_flow_table_count(ft), 1);
	nf_conntrack_get(ct);
	ct_action_destroy(&a);
	assert_ptr_equal(tcf_ct_zone_flowtable(5), ft);
	/* the last one takes its entries down: the connection is conntrack's again */
	ct_action_destroy(&b);
	assert_null(tcf_ct_zone_flowtable(5));
	assert_false(test_bit(IPS_OFFLOAD_BIT, &ct->status));
	rcu_barrier();
	assert_int_equal(refcount_read(&ct->ct_general.use), 2);
	nf_ct_put(ct);
	ct_action_destroy(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_tcp_established_fast_path_and_fin, flush),
		cmocka_unit_test_teardown(test_tcp_rst_tears_down, flush),
		cmocka_unit_test_teardown(test_udp, flush),
		cmocka_unit_test_teardown(test_icmp_never, flush),
		cmocka_unit_test_teardown(test_nat_same_bytes, flush),
		cmocka_unit_test_teardown(test_gc, flush),
		cmocka_unit_test_teardown(test_zone_refcount, flush),
	};

	return cmocka_run_group_tests(tests, setup, teardown_all);
}
