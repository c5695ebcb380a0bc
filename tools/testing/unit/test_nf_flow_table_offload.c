// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the flowtable's hardware offload
 * (net/netfilter/nf_flow_table_offload.c): a test-double driver registers
 * on a zone's flowtable and records what it is asked.  Connections get in
 * as in test_nf_flow_table.c: ct actions built by the real parser,
 * packets through tcf_exts_exec().  The offload worker runs for real;
 * tests wait for it with nf_flow_table_offload_flush().
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
#include <linux/tc_act/tc_csum.h>
#include <linux/netdev.h>
#include <linux/rcupdate.h>
#include <net/act_api.h>
#include <net/flow_offload.h>
#include <net/pkt_cls.h>
#include <net/tc_act/tc_ct.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_flow_table.h>

static struct skb_pool pool;
static struct net_device dev = { .name = "ft0", .ifindex = 9 };

#define ZONE	3

/* ---- the test double: a driver that records (and may refuse) ---- */

#define DRV_RULES	8

struct drv_rule {
	unsigned long cookie;
	struct fl_flow_key key, mask;
	unsigned long long used_keys;
	unsigned int n;
	struct flow_action_entry act[16];
};

struct drv {
	bool refuse;
	bool record;			/* keep the rules (not in the churn test) */
	unsigned int replace, destroy, stats;
	unsigned long destroyed[DRV_RULES];
	struct drv_rule rules[DRV_RULES];
	unsigned int nrules;
	/* what STATS answers for each direction (the test zeroes it once asked) */
	u64 pkts, bytes, lastused;
	bool lastused_sticky;		/* answer "used just now" every time */
};

static int drv_cb(enum tc_setup_type type, void *type_data, void *cb_priv)
{
	struct flow_cls_offload *f = type_data;
	struct drv *d = cb_priv;
	struct drv_rule *r;

	/* no cmocka assert here: this runs on the offload worker thread */
	if (type != TC_SETUP_CLSFLOWER)
		return -EOPNOTSUPP;
	switch (f->command) {
	case FLOW_CLS_REPLACE:
		d->replace++;
		if (d->refuse)
			return -EOPNOTSUPP;
		if (d->record && d->nrules < DRV_RULES) {
			r = &d->rules[d->nrules++];
			r->cookie = f->cookie;
			r->key = *f->rule->match.key;
			r->mask = *f->rule->match.mask;
			r->used_keys = f->rule->match.dissector->used_keys;
			r->n = f->rule->action.num_entries;
			memcpy(r->act, f->rule->action.entries, r->n * sizeof(r->act[0]));
		}
		return 0;
	case FLOW_CLS_DESTROY:
		if (d->destroy < DRV_RULES)
			d->destroyed[d->destroy] = f->cookie;
		d->destroy++;
		return 0;
	case FLOW_CLS_STATS:
		d->stats++;
		flow_stats_update(&f->stats, d->bytes, d->pkts, 0,
				  d->lastused_sticky ? jiffies_ms() : d->lastused,
				  FLOW_ACTION_HW_STATS_DELAYED);
		return 0;
	default:
		return -EOPNOTSUPP;
	}
}

/* ---- actions ---- */

enum nat { NAT_NONE, NAT_SRC, NAT_DST, NAT_APPLY };

static void ct_action(struct tcf_exts *exts, enum nat nat, bool commit, int family,
		      const char *addr, u16 port)
{
	char buf[1024];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nlattr *tb[TCA_FLOWER_MAX + 1] = {};
	struct nlattr *acts, *act, *opts;
	struct tc_ct parm = { .action = TC_ACT_PIPE };
	u16 flags = commit ? TCA_CT_ACT_COMMIT : 0;
	u8 a[16];

	if (nat != NAT_NONE)
		flags |= TCA_CT_ACT_NAT;
	if (nat == NAT_SRC)
		flags |= TCA_CT_ACT_NAT_SRC;
	if (nat == NAT_DST)
		flags |= TCA_CT_ACT_NAT_DST;
	acts = mnl_attr_nest_start(nlh, TCA_FLOWER_ACT);
	act = mnl_attr_nest_start(nlh, 1);
	mnl_attr_put_strz(nlh, TCA_ACT_KIND, "ct");
	opts = mnl_attr_nest_start(nlh, TCA_ACT_OPTIONS);
	mnl_attr_put(nlh, TCA_CT_PARMS, sizeof(parm), &parm);
	mnl_attr_put_u16(nlh, TCA_CT_ACTION, flags);
	mnl_attr_put_u16(nlh, TCA_CT_ZONE, ZONE);
	if (nat == NAT_SRC || nat == NAT_DST) {
		assert_int_equal(inet_pton(family, addr, a), 1);
		if (family == AF_INET) {
			mnl_attr_put(nlh, TCA_CT_NAT_IPV4_MIN, 4, a);
			mnl_attr_put(nlh, TCA_CT_NAT_IPV4_MAX, 4, a);
		} else {
			mnl_attr_put(nlh, TCA_CT_NAT_IPV6_MIN, 16, a);
			mnl_attr_put(nlh, TCA_CT_NAT_IPV6_MAX, 16, a);
		}
		mnl_attr_put_u16(nlh, TCA_CT_NAT_PORT_MIN, htons(port));
		mnl_attr_put_u16(nlh, TCA_CT_NAT_PORT_MAX, htons(port));
	}
	mnl_attr_nest_end(nlh, opts);
	mnl_attr_nest_end(nlh, act);
	mnl_attr_nest_end(nlh, acts);
	tb[TCA_FLOWER_ACT] = acts;
	assert_int_equal(tcf_exts_init(exts, TCA_FLOWER_ACT, 0), 0);
	assert_int_equal(tcf_exts_validate(NULL, tb, exts, 0, NULL), 0);
}

static void ct_action_destroy(struct tcf_exts *exts)
{
	tcf_exts_destroy(exts);
	rcu_barrier();
	rcu_barrier();
}

/* ---- packets ---- */

#define TCP_FIN	0x01
#define TCP_SYN	0x02
#define TCP_ACK	0x10

struct frame {
	u8 b[256];
	unsigned int len;
};

/* Ethernet + IPv4/IPv6 + TCP/UDP; checksums zero (conntrack's checks are off) */
static void frame(struct frame *f, int family, u8 proto, const char *src, u16 sport,
		  const char *dst, u16 dport, u32 seq, u32 ack, u8 flags, unsigned int payload)
{
	unsigned int l4 = proto == IPPROTO_TCP ? 20 : 8;
	unsigned int l3 = family == AF_INET ? 20 : 40;
	u8 *ip = f->b + 14, *th = ip + l3;
	u16 v;

	memset(f, 0, sizeof(*f));
	memcpy(f->b, "\x02\0\0\0\0\x02\x02\0\0\0\0\x01", 12);
	if (family == AF_INET) {
		memcpy(f->b + 12, "\x08\x00", 2);
		ip[0] = 0x45;
		v = htons(l3 + l4 + payload);
		memcpy(ip + 2, &v, 2);
		ip[8] = 64;
		ip[9] = proto;
		assert_int_equal(inet_pton(AF_INET, src, ip + 12), 1);
		assert_int_equal(inet_pton(AF_INET, dst, ip + 16), 1);
	} else {
		memcpy(f->b + 12, "\x86\xdd", 2);
		ip[0] = 0x60;
		v = htons(l4 + payload);
		memcpy(ip + 4, &v, 2);
		ip[6] = proto;
		ip[7] = 64;
		assert_int_equal(inet_pton(AF_INET6, src, ip + 8), 1);
		assert_int_equal(inet_pton(AF_INET6, dst, ip + 24), 1);
	}
	v = htons(sport);
	memcpy(th, &v, 2);
	v = htons(dport);
	memcpy(th + 2, &v, 2);
	if (proto == IPPROTO_TCP) {
		seq = htonl(seq);
		ack = htonl(ack);
		memcpy(th + 4, &seq, 4);
		memcpy(th + 8, &ack, 4);
		th[12] = 5 << 4;
		th[13] = flags;
		v = htons(65000);
		memcpy(th + 14, &v, 2);
	} else {
		v = htons(8 + payload);
		memcpy(th + 4, &v, 2);
	}
	memset(th + l4, 0xab, payload);
	f->len = 14 + l3 + l4 + payload;
}

static struct nf_conn *run(struct tcf_exts *exts, const struct frame *f)
{
	struct tcf_result res;
	struct sk_buff *skb = alloc_skb(&pool);
	enum ip_conntrack_info info;
	struct nf_conn *ct;

	assert_non_null(skb);
	memcpy(skb->data, f->b, f->len);
	skb->len = f->len;
	skb->dev = &dev;
	skb->tc_at_ingress = 1;
	rcu_read_lock();
	tcf_exts_exec(skb, exts, &res);
	ct = nf_ct_get(skb, &info);
	kfree_skb(skb);
	rcu_read_unlock();
	return ct;
}

/*
 * The client c:cp opens to s:sp through orig; the server's SYN-ACK comes
 * back from rs:rsp to rd:rdp (the NAT mapping) through reply.
 */
static struct nf_conn *handshake(struct tcf_exts *orig, struct tcf_exts *reply, int family,
				 const char *c, u16 cp, const char *s, u16 sp,
				 const char *rs, u16 rsp, const char *rd, u16 rdp)
{
	struct frame f;

	frame(&f, family, IPPROTO_TCP, c, cp, s, sp, 1000, 0, TCP_SYN, 0);
	run(orig, &f);
	frame(&f, family, IPPROTO_TCP, rs, rsp, rd, rdp, 5000, 1001, TCP_SYN | TCP_ACK, 0);
	run(reply, &f);
	frame(&f, family, IPPROTO_TCP, c, cp, s, sp, 1001, 5001, TCP_ACK, 0);
	return run(orig, &f);
}

static struct nf_flowtable *zone_ft(void)
{
	struct nf_flowtable *ft = tcf_ct_zone_flowtable(ZONE);

	assert_non_null(ft);
	return ft;
}

static struct nf_flow_table_stat stats(void)
{
	struct nf_flow_table_stat s;

	nf_flow_table_stats(zone_ft(), &s);
	return s;
}

static void gc_and_flush(void)
{
	nf_flow_table_gc_run_all();
	nf_flow_table_offload_flush(zone_ft());
}

/* ---- expectations ---- */

struct mangle {
	enum flow_action_mangle_base htype;
	u32 offset;
	u32 mask;		/* network order, as the entry holds it */
	u32 val;
};

static u32 addr4(const char *s)
{
	return inet_addr(s);
}

/* IPv6 address word i, network order */
static u32 addr6(const char *s, int i)
{
	u8 a[16];
	u32 w;

	assert_int_equal(inet_pton(AF_INET6, s, a), 1);
	memcpy(&w, a + 4 * i, 4);
	return w;
}

static void check_match(const struct drv_rule *r, int family, u8 proto, const char *src,
			u16 sport, const char *dst, u16 dport)
{
	unsigned long long want = BIT_ULL(FLOW_DISSECTOR_KEY_CONTROL) |
				  BIT_ULL(FLOW_DISSECTOR_KEY_BASIC) |
				  BIT_ULL(FLOW_DISSECTOR_KEY_PORTS);
	u8 a[16], m[16];

	want |= BIT_ULL(family == AF_INET ? FLOW_DISSECTOR_KEY_IPV4_ADDRS :
			FLOW_DISSECTOR_KEY_IPV6_ADDRS);
	if (proto == IPPROTO_TCP)
		want |= BIT_ULL(FLOW_DISSECTOR_KEY_TCP);
	assert_int_equal(r->used_keys, want);
	assert_int_equal(r->key.basic.n_proto, htons(family == AF_INET ? 0x0800 : 0x86dd));
	assert_int_equal(r->mask.basic.n_proto, 0xffff);
	assert_int_equal(r->key.basic.ip_proto, proto);
	assert_int_equal(r->mask.basic.ip_proto, 0xff);
	assert_int_equal(r->key.control.addr_type,
			 family == AF_INET ? FLOW_DISSECTOR_KEY_IPV4_ADDRS :
			 FLOW_DISSECTOR_KEY_IPV6_ADDRS);
	memset(m, 0xff, sizeof(m));
	if (family == AF_INET) {
		assert_int_equal(r->key.ipv4.src, addr4(src));
		assert_int_equal(r->key.ipv4.dst, addr4(dst));
		assert_int_equal(r->mask.ipv4.src, 0xffffffff);
		assert_int_equal(r->mask.ipv4.dst, 0xffffffff);
	} else {
		inet_pton(AF_INET6, src, a);
		assert_memory_equal(&r->key.ipv6.src, a, 16);
		inet_pton(AF_INET6, dst, a);
		assert_memory_equal(&r->key.ipv6.dst, a, 16);
		assert_memory_equal(&r->mask.ipv6.src, m, 16);
		assert_memory_equal(&r->mask.ipv6.dst, m, 16);
	}
	assert_int_equal(r->key.tp.src, htons(sport));
	assert_int_equal(r->key.tp.dst, htons(dport));
	assert_int_equal(r->mask.tp.src, 0xffff);
	assert_int_equal(r->mask.tp.dst, 0xffff);
	if (proto == IPPROTO_TCP) {
		/* no FIN, no RST: those miss and tear the entry down in software */
		assert_int_equal(r->key.tcp.flags, 0);
		assert_int_equal(r->mask.tcp.flags, htons(0x0005));
	}
}

static void check_actions(const struct drv_rule *r, const struct mangle *m, unsigned int nm,
			  bool csum, struct nf_conn *ct, enum ip_conntrack_info ctinfo,
			  bool orig_dir)
{
	const struct flow_action_entry *e = r->act;
	unsigned int i;

	assert_int_equal(r->n, nm + csum + 1);
	for (i = 0; i < nm; i++, e++) {
		assert_int_equal(e->id, FLOW_ACTION_MANGLE);
		assert_int_equal(e->mangle.htype, m[i].htype);
		assert_int_equal(e->mangle.offset, m[i].offset);
		assert_int_equal(e->mangle.mask, m[i].mask);
		assert_int_equal(e->mangle.val, m[i].val);
	}
	if (csum) {
		assert_int_equal(e->id, FLOW_ACTION_CSUM);
		assert_int_equal(e->csum_flags,
				 TCA_CSUM_UPDATE_FLAG_IPV4HDR | TCA_CSUM_UPDATE_FLAG_TCP);
		e++;
	}
	assert_int_equal(e->id, FLOW_ACTION_CT_METADATA);
	assert_int_equal(e->ct_metadata.cookie, (unsigned long)ct | ctinfo);
	assert_int_equal(e->ct_metadata.mark, 0x42);
	assert_int_equal(e->ct_metadata.labels[0], 0x11);
	assert_int_equal(e->ct_metadata.labels[3], 0x44);
	assert_int_equal(e->ct_metadata.orig_dir, orig_dir);
}

static const struct flow_offload_tuple *cookie_tuple(unsigned long cookie)
{
	return (const struct flow_offload_tuple *)cookie;
}

/* ---- setup ---- */

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

static void kill_connections(void)
{
	rcu_read_lock();
	nf_ct_iterate(kill_all, NULL, 0, 0);
	rcu_read_unlock();
}

static int teardown_all(void **state)
{
	nf_flow_table_module_exit();
	nf_conntrack_cleanup();
	skb_pool_destroy(&pool);
	rcu_unregister_thread();
	return 0;
}

/* ---- one TCP connection, every NAT kind, both families ---- */

struct conn_case {
	int family;
	enum nat nat;
	const char *c, *s;		/* client, server as the client sees it */
	u16 cp, sp;
	const char *nat_addr;		/* the mapping */
	u16 nat_port;
	/* the reply tuple (ct's): rs:rsp -> rd:rdp */
	const char *rs, *rd;
	u16 rsp, rdp;
	struct mangle m[2][10];
	unsigned int nm;
};

static void run_case(const struct conn_case *cc)
{
	struct tcf_exts orig, reply;
	struct drv d = { .record = true };
	struct nf_flowtable *ft;
	struct nf_conn *ct;
	struct frame f;
	bool v4 = cc->family == AF_INET;

	ct_action(&orig, cc->nat, true, cc->family, cc->nat_addr, cc->nat_port);
	ct_action(&reply, cc->nat == NAT_NONE ? NAT_NONE : NAT_APPLY, false, cc->family, NULL, 0);
	ft = zone_ft();
	assert_int_equal(nf_flow_table_offload_add_cb(ft, drv_cb, &d), 0);
	assert_int_equal(nf_flow_table_offload_add_cb(ft, drv_cb, &d), -EEXIST);

	/* hold the worker: the rule is built when it runs, with the metadata set below */
	nf_flow_table_offload_pause(true);
	ct = handshake(&orig, &reply, cc->family, cc->c, cc->cp, cc->s, cc->sp,
		       cc->rs, cc->rsp, cc->rd, cc->rdp);
	assert_non_null(ct);
	assert_true(test_bit(IPS_OFFLOAD_BIT, &ct->status));
	assert_int_equal(nf_flow_table_offload_pending(), 1);
	ct->mark = 0x42;
	ct->labels[0] = 0x11;
	ct->labels[3] = 0x44;
	nf_flow_table_offload_flush(ft);

	assert_int_equal(d.replace, 2);
	assert_int_equal(d.nrules, 2);
	assert_true(test_bit(IPS_HW_OFFLOAD_BIT, &ct->status));
	assert_int_equal(stats().hw_add, 1);
	/* cookie = the direction's tuple */
	assert_int_equal(cookie_tuple(d.rules[0].cookie)->dir, FLOW_OFFLOAD_DIR_ORIGINAL);
	assert_int_equal(cookie_tuple(d.rules[1].cookie)->dir, FLOW_OFFLOAD_DIR_REPLY);
	check_match(&d.rules[0], cc->family, IPPROTO_TCP, cc->c, cc->cp, cc->s, cc->sp);
	check_match(&d.rules[1], cc->family, IPPROTO_TCP, cc->rs, cc->rsp, cc->rd, cc->rdp);
	check_actions(&d.rules[0], cc->m[0], cc->nm, v4 && cc->nat != NAT_NONE, ct,
		      IP_CT_ESTABLISHED, true);
	check_actions(&d.rules[1], cc->m[1], cc->nm, v4 && cc->nat != NAT_NONE, ct,
		      IP_CT_ESTABLISHED_REPLY, false);

	/* a gc pass in between asks nothing: the entry used <10% of its timeout */
	gc_and_flush();
	assert_int_equal(d.stats, 0);
	assert_int_equal(d.replace, 2);

	/* FIN: torn down in software; the rules go before the entry */
	frame(&f, cc->family, IPPROTO_TCP, cc->c, cc->cp, cc->s, cc->sp, 1001, 5001,
	      TCP_FIN | TCP_ACK, 0);
	run(&orig, &f);
	assert_false(test_bit(IPS_OFFLOAD_BIT, &ct->status));
	nf_flow_table_offload_pause(true);
	nf_flow_table_gc_run_all();
	/* destroy queued (HW_DYING), not run: the entry must stay */
	assert_int_equal(nf_flow_table_count(ft), 1);
	nf_flow_table_gc_run_all();
	assert_int_equal(nf_flow_table_count(ft), 1);
	nf_flow_table_offload_flush(ft);
	assert_int_equal(d.destroy, 2);
	assert_int_equal(d.destroyed[0], d.rules[0].cookie);
	assert_int_equal(d.destroyed[1], d.rules[1].cookie);
	assert_false(test_bit(IPS_HW_OFFLOAD_BIT, &ct->status));
	nf_flow_table_gc_run_all();
	assert_int_equal(nf_flow_table_count(ft), 0);
	assert_int_equal(stats().hw_del, 1);

	nf_flow_table_offload_del_cb(ft, drv_cb, &d);
	ct_action_destroy(&orig);
	ct_action_destroy(&reply);
	kill_connections();
}

#define M(h, o, m, v)	{ FLOW_ACT_MANGLE_HDR_TYPE_##h, o, m, v }

static void test_tcp_plain_v4(void **state)
{
	struct conn_case cc = {
		.family = AF_INET, .nat = NAT_NONE,
		.c = "10.0.0.1", .cp = 40000, .s = "10.0.0.2", .sp = 80,
		.rs = "10.0.0.2", .rsp = 80, .rd = "10.0.0.1", .rdp = 40000,
	};

	run_case(&cc);
}

static void test_tcp_snat_v4(void **state)
{
	struct conn_case cc = {
		.family = AF_INET, .nat = NAT_SRC, .nat_addr = "10.9.9.9", .nat_port = 2000,
		.c = "10.0.0.1", .cp = 40001, .s = "10.0.0.2", .sp = 80,
		.rs = "10.0.0.2", .rsp = 80, .rd = "10.9.9.9", .rdp = 2000,
		.nm = 2,
	};
	/* original: source address and port become the mapping's */
	struct mangle o[] = {
		M(IP4, 12, 0, addr4("10.9.9.9")),
		M(TCP, 0, ~htonl(0xffff0000), htonl(2000 << 16)),
	};
	/* reply: destination back to the client's */
	struct mangle r[] = {
		M(IP4, 16, 0, addr4("10.0.0.1")),
		M(TCP, 0, ~htonl(0xffff), htonl(40001)),
	};

	memcpy(cc.m[0], o, sizeof(o));
	memcpy(cc.m[1], r, sizeof(r));
	run_case(&cc);
}

static void test_tcp_dnat_v4(void **state)
{
	struct conn_case cc = {
		.family = AF_INET, .nat = NAT_DST, .nat_addr = "10.0.0.2", .nat_port = 8080,
		.c = "10.0.0.1", .cp = 40002, .s = "10.0.0.99", .sp = 80,
		.rs = "10.0.0.2", .rsp = 8080, .rd = "10.0.0.1", .rdp = 40002,
		.nm = 2,
	};
	/* original: destination becomes the real server */
	struct mangle o[] = {
		M(IP4, 16, 0, addr4("10.0.0.2")),
		M(TCP, 0, ~htonl(0xffff), htonl(8080)),
	};
	/* reply: the source the client talked to */
	struct mangle r[] = {
		M(IP4, 12, 0, addr4("10.0.0.99")),
		M(TCP, 0, ~htonl(0xffff0000), htonl(80 << 16)),
	};

	memcpy(cc.m[0], o, sizeof(o));
	memcpy(cc.m[1], r, sizeof(r));
	run_case(&cc);
}

static void test_tcp_plain_v6(void **state)
{
	struct conn_case cc = {
		.family = AF_INET6, .nat = NAT_NONE,
		.c = "2001:db8::1", .cp = 40003, .s = "2001:db8::2", .sp = 80,
		.rs = "2001:db8::2", .rsp = 80, .rd = "2001:db8::1", .rdp = 40003,
	};

	run_case(&cc);
}

static void test_tcp_snat_v6(void **state)
{
	struct conn_case cc = {
		.family = AF_INET6, .nat = NAT_SRC, .nat_addr = "2001:db8:9::9", .nat_port = 2000,
		.c = "2001:db8::1", .cp = 40004, .s = "2001:db8::2", .sp = 80,
		.rs = "2001:db8::2", .rsp = 80, .rd = "2001:db8:9::9", .rdp = 2000,
		.nm = 5,
	};
	int i;

	/* four words of the source (offset 8), then the port; no checksum action for IPv6 */
	for (i = 0; i < 4; i++) {
		cc.m[0][i] = (struct mangle)M(IP6, 8 + 4 * i, 0, addr6("2001:db8:9::9", i));
		cc.m[1][i] = (struct mangle)M(IP6, 24 + 4 * i, 0, addr6("2001:db8::1", i));
	}
	cc.m[0][4] = (struct mangle)M(TCP, 0, ~htonl(0xffff0000), htonl(2000 << 16));
	cc.m[1][4] = (struct mangle)M(TCP, 0, ~htonl(0xffff), htonl(40004));
	run_case(&cc);
}

static void test_tcp_dnat_v6(void **state)
{
	struct conn_case cc = {
		.family = AF_INET6, .nat = NAT_DST, .nat_addr = "2001:db8::2", .nat_port = 8080,
		.c = "2001:db8::1", .cp = 40005, .s = "2001:db8::99", .sp = 80,
		.rs = "2001:db8::2", .rsp = 8080, .rd = "2001:db8::1", .rdp = 40005,
		.nm = 5,
	};
	int i;

	for (i = 0; i < 4; i++) {
		cc.m[0][i] = (struct mangle)M(IP6, 24 + 4 * i, 0, addr6("2001:db8::2", i));
		cc.m[1][i] = (struct mangle)M(IP6, 8 + 4 * i, 0, addr6("2001:db8::99", i));
	}
	cc.m[0][4] = (struct mangle)M(TCP, 0, ~htonl(0xffff), htonl(8080));
	cc.m[1][4] = (struct mangle)M(TCP, 0, ~htonl(0xffff0000), htonl(80 << 16));
	run_case(&cc);
}

/* ---- stats keep it alive and reach conntrack's counters ---- */

static void test_stats_keep_alive(void **state)
{
	struct tcf_exts orig, reply;
	struct drv d = { .lastused_sticky = true };
	struct nf_flowtable *ft;
	struct nf_conn *ct;
	u64 pkts0, pkts1, bytes0, rounds;

	nf_ct_net.acct = 1;
	ct_action(&orig, NAT_NONE, true, AF_INET, NULL, 0);
	ct_action(&reply, NAT_NONE, false, AF_INET, NULL, 0);
	ft = zone_ft();
	assert_int_equal(nf_flow_table_offload_add_cb(ft, drv_cb, &d), 0);
	ct = handshake(&orig, &reply, AF_INET, "10.0.0.1", 41000, "10.0.0.2", 80,
		       "10.0.0.2", 80, "10.0.0.1", 41000);
	nf_flow_table_offload_flush(ft);
	assert_true(test_bit(IPS_HW_OFFLOAD_BIT, &ct->status));
	pkts0 = ct->acct[IP_CT_DIR_ORIGINAL].packets;
	bytes0 = ct->acct[IP_CT_DIR_ORIGINAL].bytes;
	pkts1 = ct->acct[IP_CT_DIR_REPLY].packets;

	/* busy in hardware only: 90 s, three times the flowtable's timeout */
	for (int i = 0; i < 9; i++) {
		jiffies_advance(10000);
		d.pkts = 10;
		d.bytes = 1000;
		gc_and_flush();
		d.pkts = d.bytes = 0;
		assert_int_equal(nf_flow_table_count(ft), 1);
	}
	assert_true(test_bit(IPS_OFFLOAD_BIT, &ct->status));
	rounds = stats().hw_stats;
	assert_int_equal(rounds, 9);
	assert_int_equal(d.stats, 2 * rounds);
	/* both directions' counters, each answer counted once */
	assert_int_equal(ct->acct[IP_CT_DIR_ORIGINAL].packets, pkts0 + 10 * rounds);
	assert_int_equal(ct->acct[IP_CT_DIR_ORIGINAL].bytes, bytes0 + 1000 * rounds);
	assert_int_equal(ct->acct[IP_CT_DIR_REPLY].packets, pkts1 + 10 * rounds);

	/* idle in hardware too: it expires, and its rules go first */
	d.lastused_sticky = false;
	d.lastused = 0;
	jiffies_advance(31000);
	gc_and_flush();
	nf_flow_table_gc_run_all();
	assert_int_equal(nf_flow_table_count(ft), 0);
	assert_int_equal(d.destroy, 2);
	assert_false(test_bit(IPS_OFFLOAD_BIT, &ct->status));

	nf_ct_net.acct = 0;
	nf_flow_table_offload_del_cb(ft, drv_cb, &d);
	ct_action_destroy(&orig);
	ct_action_destroy(&reply);
	kill_connections();
}

/* ---- a driver that refuses: software only, offered again by the gc ---- */

static void test_refused_stays_software(void **state)
{
	struct tcf_exts orig, reply;
	struct drv d = { .refuse = true };
	struct nf_flowtable *ft;
	struct nf_conn *ct, *got;
	struct frame f;

	ct_action(&orig, NAT_NONE, true, AF_INET, NULL, 0);
	ct_action(&reply, NAT_NONE, false, AF_INET, NULL, 0);
	ft = zone_ft();
	assert_int_equal(nf_flow_table_offload_add_cb(ft, drv_cb, &d), 0);
	ct = handshake(&orig, &reply, AF_INET, "10.0.0.1", 42000, "10.0.0.2", 80,
		       "10.0.0.2", 80, "10.0.0.1", 42000);
	nf_flow_table_offload_flush(ft);
	assert_int_equal(d.replace, 2);
	/* conntrack -L: [OFFLOAD], not [HW_OFFLOAD] */
	assert_true(test_bit(IPS_OFFLOAD_BIT, &ct->status));
	assert_false(test_bit(IPS_HW_OFFLOAD_BIT, &ct->status));
	assert_int_equal(stats().hw_refused, 1);
	/* the software fast path still carries it */
	frame(&f, AF_INET, IPPROTO_TCP, "10.0.0.1", 42000, "10.0.0.2", 80, 1001, 5001, TCP_ACK, 10);
	got = run(&orig, &f);
	assert_ptr_equal(got, ct);
	assert_int_equal(stats().hit, 1);

	/* every gc pass offers it again, until a driver takes it */
	gc_and_flush();
	assert_int_equal(stats().hw_retry, 1);
	assert_int_equal(stats().hw_refused, 2);
	d.refuse = false;
	gc_and_flush();
	assert_int_equal(stats().hw_retry, 2);
	assert_true(test_bit(IPS_HW_OFFLOAD_BIT, &ct->status));
	assert_int_equal(stats().hw_add, 1);
	gc_and_flush();
	assert_int_equal(stats().hw_retry, 2);

	nf_flow_table_offload_del_cb(ft, drv_cb, &d);
	ct_action_destroy(&orig);
	ct_action_destroy(&reply);
	kill_connections();
	/* the zone's table went with its last action: nothing left behind */
	assert_null(tcf_ct_zone_flowtable(ZONE));
}

/* ---- a full backlog: counted, nothing lost ---- */

static void test_queue_full(void **state)
{
	struct tcf_exts commit;
	struct drv d = {};
	struct nf_flowtable *ft;
	struct nf_conn *ct[5];
	unsigned int saved = nf_ft_net.offload_queue_max;
	struct frame f;
	int i;

	ct_action(&commit, NAT_NONE, true, AF_INET, NULL, 0);
	ft = zone_ft();
	assert_int_equal(nf_flow_table_offload_add_cb(ft, drv_cb, &d), 0);
	nf_ft_net.offload_queue_max = 2;
	nf_flow_table_offload_pause(true);
	/* UDP enters at its first packet (one direction until it is assured) */
	for (i = 0; i < 5; i++) {
		frame(&f, AF_INET, IPPROTO_UDP, "10.0.0.1", 6000 + i, "10.0.0.2", 53, 0, 0, 0, 10);
		ct[i] = run(&commit, &f);
		assert_true(test_bit(IPS_OFFLOAD_BIT, &ct[i]->status));
	}
	assert_int_equal(nf_flow_table_offload_pending(), 2);
	assert_int_equal(stats().hw_queue_full, 3);
	assert_int_equal(nf_flow_table_count(ft), 5);
	nf_flow_table_offload_flush(ft);
	assert_int_equal(d.replace, 2);

	/* the rest get in on later gc passes, as the backlog drains */
	gc_and_flush();
	gc_and_flush();
	for (i = 0; i < 5; i++)
		assert_true(test_bit(IPS_HW_OFFLOAD_BIT, &ct[i]->status));
	assert_int_equal(d.replace, 5);
	assert_int_equal(stats().hw_add, 5);

	nf_ft_net.offload_queue_max = saved;
	/* the last action takes the table, its entries and their rules down */
	ct_action_destroy(&commit);
	assert_int_equal(d.destroy, 5);
	assert_null(tcf_ct_zone_flowtable(ZONE));
	kill_connections();
}

/* ---- churn ---- */

/*
 * CHURN_TOTAL connections (CTO_CHURN=N in the environment for another
 * count, e.g. 1000000; make check runs the default), opened and closed
 * CHURN_CONNS at a time.  Each round opens its connections with the
 * worker held and the backlog bounded to a quarter of them, so three
 * quarters of the adds find the queue full and stay in software; the gc
 * passes offer them again until every one is in hardware.  Then all are
 * killed and the gc runs until the table is empty (the destroys overflow
 * the same bound and are retried).  Nothing may be left: no entry, no
 * connection, no queued request (and ASan's leak check at exit).
 */
#define CHURN_TOTAL	100000
#define CHURN_CONNS	10000
#define CHURN_QUEUE	(CHURN_CONNS / 4)

static void test_churn(void **state)
{
	unsigned int saved = nf_ft_net.offload_queue_max;
	const char *env = getenv("CTO_CHURN");
	struct tcf_exts commit;
	struct drv d = {};
	struct nf_flowtable *ft;
	struct nf_flow_table_stat s;
	struct frame f;
	char src[32];
	u64 total, full = 0;
	int rounds, r, i, passes;

	rounds = (env && atoi(env) > 0 ? atoi(env) : CHURN_TOTAL) / CHURN_CONNS;
	if (rounds < 1)
		rounds = 1;
	total = (u64)rounds * CHURN_CONNS;
	ct_action(&commit, NAT_NONE, true, AF_INET, NULL, 0);
	ft = zone_ft();
	assert_int_equal(nf_flow_table_offload_add_cb(ft, drv_cb, &d), 0);
	nf_ft_net.offload_queue_max = CHURN_QUEUE;
	for (r = 0; r < rounds; r++) {
		nf_flow_table_offload_pause(true);
		for (i = 0; i < CHURN_CONNS; i++) {
			snprintf(src, sizeof(src), "10.1.%d.%d", i / 250, i % 250 + 1);
			frame(&f, AF_INET, IPPROTO_UDP, src, 1024 + r % 60000, "10.0.0.2", 53,
			      0, 0, 0, 10);
			run(&commit, &f);
		}
		assert_int_equal(nf_flow_table_count(ft), CHURN_CONNS);
		assert_int_equal(nf_flow_table_offload_pending(), CHURN_QUEUE);
		s = stats();
		assert_int_equal(s.hw_queue_full - full, CHURN_CONNS - CHURN_QUEUE);
		/* the fallback: the gc offers what stayed in software again */
		for (passes = 0; stats().hw_add < (u64)(r + 1) * CHURN_CONNS; passes++) {
			assert_true(passes < 4 * CHURN_CONNS / CHURN_QUEUE);
			gc_and_flush();
		}
		kill_connections();
		/* dying connections: destroys queued, run, then the entries unlinked */
		while (nf_flow_table_count(ft))
			gc_and_flush();
		full = stats().hw_queue_full;
	}
	s = stats();
	assert_int_equal(s.added, total);
	assert_int_equal(s.gc_removed, total);
	assert_true(s.hw_queue_full >= (u64)rounds * (CHURN_CONNS - CHURN_QUEUE));
	assert_true(s.hw_retry >= (u64)rounds * (CHURN_CONNS - CHURN_QUEUE));
	/* every entry went to hardware once and had its rules destroyed once */
	assert_int_equal(s.hw_add, total);
	assert_int_equal(d.replace, total);
	assert_int_equal(d.destroy, total);
	assert_int_equal(s.hw_del, total);
	assert_int_equal(nf_flow_table_offload_pending(), 0);
	assert_int_equal(nf_flow_table_count(ft), 0);
	nf_ft_net.offload_queue_max = saved;
	nf_flow_table_offload_del_cb(ft, drv_cb, &d);
	ct_action_destroy(&commit);
	rcu_barrier();
	assert_int_equal(nf_conntrack_count(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp_plain_v4),
		cmocka_unit_test(test_tcp_snat_v4),
		cmocka_unit_test(test_tcp_dnat_v4),
		cmocka_unit_test(test_tcp_plain_v6),
		cmocka_unit_test(test_tcp_snat_v6),
		cmocka_unit_test(test_tcp_dnat_v6),
		cmocka_unit_test(test_stats_keep_alive),
		cmocka_unit_test(test_refused_stays_software),
		cmocka_unit_test(test_queue_full),
		cmocka_unit_test(test_churn),
	};

	return cmocka_run_group_tests(tests, setup, teardown_all);
}
