// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests for the TCP connection tracker
 * (net/netfilter/nf_conntrack_proto_tcp.c).
 *
 * Real IPv4/IPv6 TCP frames with correct checksums are built into a
 * buffer of exactly the frame's size (under ASan, any read past the end
 * of the packet is reported) and given to nf_conntrack_tcp_packet() the
 * way nf_conntrack_in() does: ctinfo from the direction and SEEN_REPLY,
 * then, for an accepted packet, SEEN_REPLY set after a reply and the
 * connection confirmed after its first packet.
 *
 * Connections are kzalloc'd, except where the tracker must kill one
 * (a RST answering a SYN, a SYN reopening a closed connection): those are
 * made and confirmed by the core, so nf_ct_kill() finds them in the table.
 *
 * The expected behaviour is Linux 6.1's, read from
 * net/netfilter/nf_conntrack_proto_tcp.c (the state table tcp_conntracks[],
 * nf_conntrack_tcp_packet(), tcp_in_window(), tcp_new()); each test says
 * which part of it it pins down.  The timeouts are set to values that
 * differ from each other and from the defaults, so a timeout can only be
 * right if it came from the sysctl of the right state.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>
#include <arpa/inet.h>

#include <linux/slab.h>
#include <linux/skbuff.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_l4proto.h>
#include <net/netfilter/nf_conntrack_ecache.h>

#define FIN	0x01
#define SYN	0x02
#define RST	0x04
#define PSH	0x08
#define ACK	0x10
#define URG	0x20
#define ECE	0x40
#define CWR	0x80

#define ORIG	IP_CT_DIR_ORIGINAL
#define REPL	IP_CT_DIR_REPLY

/* the tracker's flag class "no SYN/FIN/RST/ACK" (a last_index value), as in the kernel */
#define CLASS_NONE	5

#define FRAME_MAX	1600

/* distinct timeouts (seconds): a wrong state's timeout cannot pass */
static const unsigned int test_timeouts[TCP_CONNTRACK_TIMEOUT_MAX] = {
	[TCP_CONNTRACK_NONE]		= 121,
	[TCP_CONNTRACK_SYN_SENT]	= 121,
	[TCP_CONNTRACK_SYN_RECV]	= 61,
	[TCP_CONNTRACK_ESTABLISHED]	= 432001,
	[TCP_CONNTRACK_FIN_WAIT]	= 122,
	[TCP_CONNTRACK_CLOSE_WAIT]	= 62,
	[TCP_CONNTRACK_LAST_ACK]	= 31,
	[TCP_CONNTRACK_TIME_WAIT]	= 123,
	[TCP_CONNTRACK_CLOSE]		= 11,
	[TCP_CONNTRACK_SYN_SENT2]	= 124,
	[TCP_CONNTRACK_RETRANS]		= 301,
	[TCP_CONNTRACK_UNACK]		= 302,
};

static struct nf_conntrack_net saved_net;

/* ---- packets ---- */

/* one TCP segment, as a test describes it */
struct seg {
	u8 flags;
	u32 seq;
	u32 ack;
	u16 win;
	unsigned int len;	/* payload bytes */
	const u8 *opt;		/* options, a multiple of 4 bytes */
	unsigned int optlen;
	u8 doff;		/* header length field, if not the real one */
	bool bad_csum;
};

struct frame {
	u8 buf[FRAME_MAX];
	unsigned int len;
	unsigned int l3;
	unsigned int l4;
};

static const u8 v4_addr[2][4] = { { 10, 0, 0, 1 }, { 10, 0, 0, 2 } };
static const u8 v6_addr[2][16] = {
	{ 0x20, 0x01, 0x0d, 0xb8, [15] = 0x01 },
	{ 0x20, 0x01, 0x0d, 0xb8, [15] = 0x02 },
};
static const u16 ports[2] = { 40000, 80 };

static void put8(struct frame *f, u8 v)
{
	assert_true(f->len < FRAME_MAX);
	f->buf[f->len++] = v;
}

static void put16(struct frame *f, u16 v)
{
	put8(f, v >> 8);
	put8(f, v & 0xff);
}

static void put32(struct frame *f, u32 v)
{
	put16(f, v >> 16);
	put16(f, v & 0xffff);
}

static void put_bytes(struct frame *f, const void *p, unsigned int n)
{
	assert_true(f->len + n <= FRAME_MAX);
	memcpy(f->buf + f->len, p, n);
	f->len += n;
}

static void set16(struct frame *f, unsigned int off, u16 v)
{
	f->buf[off] = v >> 8;
	f->buf[off + 1] = v & 0xff;
}

/* RFC 1071 sum, written here independently of lib/checksum.c */
static u32 sum16(const u8 *p, unsigned int len, u32 sum)
{
	while (len > 1) {
		sum += p[0] << 8 | p[1];
		p += 2;
		len -= 2;
	}
	if (len)
		sum += p[0] << 8;
	return sum;
}

static u16 fold(u32 sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

/* sender dir: ORIG sends 1 -> 2, REPL sends 2 -> 1 */
static void build_frame(struct frame *f, u16 l3num, enum ip_conntrack_dir dir,
			const struct seg *s)
{
	unsigned int i, tcplen;
	u32 sum;

	assert_int_equal(s->optlen % 4, 0);
	f->len = 0;
	put_bytes(f, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01", 12);
	put16(f, l3num == NFPROTO_IPV4 ? 0x0800 : 0x86dd);
	f->l3 = f->len;
	if (l3num == NFPROTO_IPV4) {
		put8(f, 0x45);
		put8(f, 0);
		put16(f, 0);		/* total length, below */
		put16(f, 0x1234);
		put16(f, 0x4000);	/* DF */
		put8(f, 64);
		put8(f, IPPROTO_TCP);
		put16(f, 0);		/* header checksum, below */
		put_bytes(f, v4_addr[dir], 4);
		put_bytes(f, v4_addr[!dir], 4);
	} else {
		put32(f, 6u << 28);
		put16(f, 0);		/* payload length, below */
		put8(f, IPPROTO_TCP);
		put8(f, 64);
		put_bytes(f, v6_addr[dir], 16);
		put_bytes(f, v6_addr[!dir], 16);
	}
	f->l4 = f->len;
	put16(f, ports[dir]);
	put16(f, ports[!dir]);
	put32(f, s->seq);
	put32(f, s->ack);
	put8(f, (s->doff ? s->doff : (20 + s->optlen) / 4) << 4);
	put8(f, s->flags);
	put16(f, s->win);
	put16(f, 0);			/* checksum, below */
	put16(f, 0);
	if (s->optlen)
		put_bytes(f, s->opt, s->optlen);
	for (i = 0; i < s->len; i++)
		put8(f, 'a' + i % 26);

	tcplen = f->len - f->l4;
	if (l3num == NFPROTO_IPV4) {
		set16(f, f->l3 + 2, f->len - f->l3);
		set16(f, f->l3 + 10, fold(sum16(f->buf + f->l3, 20, 0)));
		sum = sum16(f->buf + f->l3 + 12, 8, 0);
	} else {
		set16(f, f->l3 + 4, tcplen);
		sum = sum16(f->buf + f->l3 + 8, 32, 0);
	}
	sum += IPPROTO_TCP + tcplen;
	set16(f, f->l4 + 16, fold(sum16(f->buf + f->l4, tcplen, sum)) ^ (s->bad_csum ? 1 : 0));
}

/* a test's skb: the frame in a buffer of its exact size */
struct test_skb {
	struct sk_buff skb;
	unsigned int dataoff;
};

static void test_skb_init(struct test_skb *t, const struct frame *f)
{
	u8 *buf = malloc(f->len);

	assert_non_null(buf);
	memcpy(buf, f->buf, f->len);
	memset(&t->skb, 0, sizeof(t->skb));
	t->skb.head = buf;
	t->skb.data = buf;
	t->skb.len = f->len;
	t->skb.mac_header = 0;
	t->skb.network_header = f->l3;
	t->skb.transport_header = f->l4;
	t->dataoff = f->l4;
}

static void test_skb_free(struct test_skb *t)
{
	free(t->skb.head);
}

/* ---- connections ---- */

struct conn {
	struct nf_conn *ct;
	u16 l3num;
	bool in_table;				/* made by the core */
	u32 nxt[IP_CT_DIR_MAX];			/* next seq each side sends */
	u16 win[IP_CT_DIR_MAX];			/* window each side advertises */
};

static void fill_tuple(struct nf_conntrack_tuple *t, u16 l3num, enum ip_conntrack_dir dir)
{
	memset(t, 0, sizeof(*t));
	t->src.l3num = l3num;
	t->dst.protonum = IPPROTO_TCP;
	t->dst.dir = dir;
	if (l3num == NFPROTO_IPV4) {
		memcpy(&t->src.u3.ip, v4_addr[dir], 4);
		memcpy(&t->dst.u3.ip, v4_addr[!dir], 4);
	} else {
		memcpy(&t->src.u3.in6, v6_addr[dir], 16);
		memcpy(&t->dst.u3.in6, v6_addr[!dir], 16);
	}
	t->src.u.tcp.port = htons(ports[dir]);
	t->dst.u.tcp.port = htons(ports[!dir]);
}

static void conn_init(struct conn *c, u16 l3num, bool in_table)
{
	struct nf_conntrack_tuple orig, repl;

	memset(c, 0, sizeof(*c));
	c->l3num = l3num;
	c->in_table = in_table;
	fill_tuple(&orig, l3num, ORIG);
	fill_tuple(&repl, l3num, REPL);
	if (in_table) {
		c->ct = nf_conntrack_alloc(0, &orig, &repl);
	} else {
		c->ct = kzalloc(sizeof(*c->ct), GFP_KERNEL);
		assert_non_null(c->ct);
		refcount_set(&c->ct->ct_general.use, 1);
		c->ct->tuplehash[ORIG].tuple = orig;
		c->ct->tuplehash[REPL].tuple = repl;
	}
	assert_non_null(c->ct);
	/* the client's ISN wraps during the tests: sequence arithmetic is modular */
	c->nxt[ORIG] = 0xffffff00;
	c->nxt[REPL] = 0x20000000;
	c->win[ORIG] = 1000;
	c->win[REPL] = 2000;
}

static void conn_free(struct conn *c)
{
	if (c->in_table) {
		if (nf_ct_is_confirmed(c->ct) && !nf_ct_is_dying(c->ct))
			nf_ct_kill(c->ct);
		nf_ct_put(c->ct);	/* the allocation's reference */
	} else {
		kfree(c->ct);
	}
}

static enum ip_conntrack_info conn_ctinfo(const struct conn *c, enum ip_conntrack_dir dir)
{
	if (dir == REPL)
		return IP_CT_ESTABLISHED_REPLY;
	return test_bit(IPS_SEEN_REPLY_BIT, &c->ct->status) ? IP_CT_ESTABLISHED : IP_CT_NEW;
}

/*
 * What nf_conntrack_in() and nf_conntrack_confirm() do around the tracker:
 * the error hook first (unless error_hook is false: to test the tracker's
 * own checks), then the tracker, then SEEN_REPLY and confirmation.
 */
static int __conn_packet(struct conn *c, enum ip_conntrack_dir dir, const struct seg *s,
			 bool error_hook)
{
	enum ip_conntrack_info ctinfo = conn_ctinfo(c, dir);
	struct test_skb t;
	struct frame f;
	int ret;

	build_frame(&f, c->l3num, dir, s);
	test_skb_init(&t, &f);
	ret = error_hook ? nf_conntrack_tcp_error(&t.skb, t.dataoff, c->l3num) : NF_ACCEPT;
	if (ret == NF_ACCEPT)
		ret = nf_conntrack_tcp_packet(c->ct, &t.skb, t.dataoff, ctinfo);
	test_skb_free(&t);
	if (ret != NF_ACCEPT)
		return ret;
	if (dir == REPL)
		set_bit(IPS_SEEN_REPLY_BIT, &c->ct->status);
	if (!nf_ct_is_confirmed(c->ct)) {
		if (c->in_table)
			assert_int_equal(nf_conntrack_hash_check_insert(c->ct), 0);
		else
			set_bit(IPS_CONFIRMED_BIT, &c->ct->status);
	}
	return ret;
}

static int conn_packet(struct conn *c, enum ip_conntrack_dir dir, const struct seg *s)
{
	return __conn_packet(c, dir, s, true);
}

/* nf_conntrack_tcp_error() on the frame of s */
static int conn_error(struct conn *c, enum ip_conntrack_dir dir, const struct seg *s)
{
	struct test_skb t;
	struct frame f;
	int ret;

	build_frame(&f, c->l3num, dir, s);
	test_skb_init(&t, &f);
	ret = nf_conntrack_tcp_error(&t.skb, t.dataoff, c->l3num);
	test_skb_free(&t);
	return ret;
}

/* the next segment of dir in sequence, acking all the other side sent */
static struct seg conn_next(const struct conn *c, enum ip_conntrack_dir dir, u8 flags,
			    unsigned int len)
{
	struct seg s = {
		.flags = flags,
		.seq = c->nxt[dir],
		.ack = flags & ACK ? c->nxt[!dir] : 0,
		.win = c->win[dir],
		.len = len,
	};

	return s;
}

static void conn_advance(struct conn *c, enum ip_conntrack_dir dir, const struct seg *s)
{
	c->nxt[dir] += s->len + !!(s->flags & SYN) + !!(s->flags & FIN);
}

/* send in sequence; the sequence advances when the tracker accepted it */
static int conn_send_opt(struct conn *c, enum ip_conntrack_dir dir, u8 flags, unsigned int len,
			 const u8 *opt, unsigned int optlen)
{
	struct seg s = conn_next(c, dir, flags, len);
	int ret;

	s.opt = opt;
	s.optlen = optlen;
	ret = conn_packet(c, dir, &s);
	if (ret == NF_ACCEPT)
		conn_advance(c, dir, &s);
	return ret;
}

static int conn_send(struct conn *c, enum ip_conntrack_dir dir, u8 flags, unsigned int len)
{
	return conn_send_opt(c, dir, flags, len, NULL, 0);
}

static u8 ct_state(const struct conn *c)
{
	return c->ct->proto.tcp.state;
}

/* the connection's timeout, in whole seconds as the sysctls give them */
static void assert_timeout(const struct conn *c, unsigned int state)
{
	assert_int_equal(nf_ct_expires(c->ct), test_timeouts[state] * 1000ULL);
}

static void assert_event(struct conn *c, enum ip_conntrack_events event, bool set)
{
	assert_int_equal(!!(c->ct->ecache & (1U << event)), set);
}

/* SYN, SYN-ACK, ACK: ESTABLISHED and ASSURED */
static void conn_handshake(struct conn *c, const u8 *opt_syn, unsigned int optlen_syn,
			   const u8 *opt_synack, unsigned int optlen_synack)
{
	assert_int_equal(conn_send_opt(c, ORIG, SYN, 0, opt_syn, optlen_syn), NF_ACCEPT);
	assert_int_equal(ct_state(c), TCP_CONNTRACK_SYN_SENT);
	assert_int_equal(conn_send_opt(c, REPL, SYN | ACK, 0, opt_synack, optlen_synack),
			 NF_ACCEPT);
	assert_int_equal(ct_state(c), TCP_CONNTRACK_SYN_RECV);
	assert_int_equal(conn_send(c, ORIG, ACK, 0), NF_ACCEPT);
	assert_int_equal(ct_state(c), TCP_CONNTRACK_ESTABLISHED);
	assert_true(test_bit(IPS_ASSURED_BIT, &c->ct->status));
}

/* ---- fixtures ---- */

static int group_setup(void **state)
{
	rcu_register_thread();
	assert_int_equal(nf_conntrack_init(), 0);
	saved_net = nf_ct_net;
	return 0;
}

static int group_teardown(void **state)
{
	nf_conntrack_cleanup();
	rcu_unregister_thread();
	return 0;
}

static int setup(void **state)
{
	nf_ct_net = saved_net;
	memcpy(nf_ct_net.tcp_timeouts, test_timeouts, sizeof(test_timeouts));
	nf_ct_net.tcp_loose = 0;
	nf_ct_net.tcp_be_liberal = 0;
	nf_ct_net.tcp_max_retrans = 3;
	nf_ct_net.checksum = 1;
	nf_ct_net.acct = 1;
	jiffies_set_virtual(1000000);
	return 0;
}

/* ---- names and timeouts ---- */

static void test_names_and_state_timeout(void **state)
{
	static const char *const names[] = {
		"NONE", "SYN_SENT", "SYN_RECV", "ESTABLISHED", "FIN_WAIT",
		"CLOSE_WAIT", "LAST_ACK", "TIME_WAIT", "CLOSE", "SYN_SENT2",
	};
	unsigned int i;

	for (i = 0; i < TCP_CONNTRACK_MAX; i++) {
		assert_string_equal(tcp_conntrack_names[i], names[i]);
		assert_int_equal(nf_conntrack_tcp_state_timeout(i), test_timeouts[i] * 1000ULL);
	}
	assert_int_equal(nf_conntrack_tcp_state_timeout(TCP_CONNTRACK_UNACK), 302000);
	assert_int_equal(nf_conntrack_tcp_state_timeout(TCP_CONNTRACK_TIMEOUT_MAX), 0);
}

/* ---- the transition table ---- */

/*
 * What each (direction, flag class, state) does to a connection, read from
 * the kernel's tcp_conntracks[] and the special cases nf_conntrack_tcp_packet()
 * applies before the window check.  IV: invalid (-NF_ACCEPT, unchanged);
 * IG: let through unchanged (NF_ACCEPT).  The three cells where a SYN meets
 * TIME_WAIT/CLOSE go to SYN_SENT in the kernel's table, but the tracker
 * only reopens when the connection had really ended (a FIN, or a RST from
 * the same side: test_syn_reopens); on the bare connections used here the
 * SYN is ignored, which is what RO stands for.
 *
 * The connection in each state is bare (no window history) with liberal
 * window tracking on both sides, so only the state machine is tested here.
 * NONE is the state of an unconfirmed connection (with tcp_loose=1, so an
 * ACK may start one); its reply column is never reached by real traffic.
 * Segments without SYN/FIN/RST/ACK are always invalid: the kernel rejects
 * them already in tcp_error().
 */
#define IV	0xfe
#define IG	0xfd
#define RO	0xfc
#define NO	TCP_CONNTRACK_NONE
#define SS	TCP_CONNTRACK_SYN_SENT
#define SR	TCP_CONNTRACK_SYN_RECV
#define ES	TCP_CONNTRACK_ESTABLISHED
#define FW	TCP_CONNTRACK_FIN_WAIT
#define CW	TCP_CONNTRACK_CLOSE_WAIT
#define LA	TCP_CONNTRACK_LAST_ACK
#define TW	TCP_CONNTRACK_TIME_WAIT
#define CL	TCP_CONNTRACK_CLOSE
#define S2	TCP_CONNTRACK_SYN_SENT2

static const u8 class_flags[6] = { SYN, SYN | ACK, FIN | ACK, ACK, RST, 0 };
static const char *const class_names[6] = { "SYN", "SYN-ACK", "FIN", "ACK", "RST", "none" };

static const u8 expected[IP_CT_DIR_MAX][6][TCP_CONNTRACK_MAX] = {
	[ORIG] = {
		/*          NO  SS  SR  ES  FW  CW  LA  TW  CL  S2 */
		/* SYN */ { SS, SS, IG, IG, IG, IG, IG, RO, RO, S2 },
		/* S-A */ { IV, IV, SR, IV, IV, IV, IV, IV, IV, SR },
		/* FIN */ { IV, IV, FW, FW, LA, LA, LA, TW, CL, IV },
		/* ACK */ { ES, IV, ES, ES, CW, CW, TW, TW, CL, IV },
		/* RST */ { IV, CL, CL, CL, CL, CL, CL, CL, CL, CL },
		/* -   */ { IV, IV, IV, IV, IV, IV, IV, IV, IV, IV },
	},
	[REPL] = {
		/*          NO  SS  SR  ES  FW  CW  LA  TW  CL  S2 */
		/* SYN */ { IV, S2, IV, IV, IV, IV, IV, RO, IV, S2 },
		/* S-A */ { IV, SR, IG, IG, IG, IG, IG, IG, IG, SR },
		/* FIN */ { IV, IV, FW, FW, LA, LA, LA, TW, CL, IV },
		/* ACK */ { IV, IG, SR, ES, CW, CW, TW, TW, CL, IG },
		/* RST */ { IV, CL, CL, CL, CL, CL, CL, CL, CL, CL },
		/* -   */ { IV, IV, IV, IV, IV, IV, IV, IV, IV, IV },
	},
};

static void bare_conn(struct conn *c, u8 state)
{
	conn_init(c, NFPROTO_IPV4, false);
	if (state == TCP_CONNTRACK_NONE)
		return;
	set_bit(IPS_CONFIRMED_BIT, &c->ct->status);
	/* a RST before any reply would kill it: that is tested on its own */
	set_bit(IPS_SEEN_REPLY_BIT, &c->ct->status);
	c->ct->proto.tcp.state = state;
	c->ct->proto.tcp.seen[ORIG].flags = IP_CT_TCP_FLAG_BE_LIBERAL;
	c->ct->proto.tcp.seen[REPL].flags = IP_CT_TCP_FLAG_BE_LIBERAL;
	c->ct->proto.tcp.last_index = CLASS_NONE;
}

static void test_transition_table(void **state)
{
	unsigned int dir, cls, st;

	nf_ct_net.tcp_loose = 1;
	for (dir = 0; dir < IP_CT_DIR_MAX; dir++) {
		for (cls = 0; cls < 6; cls++) {
			for (st = 0; st < TCP_CONNTRACK_MAX; st++) {
				struct seg s = {
					.flags = class_flags[cls],
					.seq = 1000, .ack = 2000, .win = 1000,
				};
				u8 want = expected[dir][cls][st];
				struct conn c;
				int ret;

				bare_conn(&c, st);
				ret = conn_packet(&c, dir, &s);
				if (ret != (want == IV ? -NF_ACCEPT : NF_ACCEPT) ||
				    ct_state(&c) != (want >= RO ? st : want))
					fail_msg("%s %s in %s: returned %d, state %s",
						 dir == ORIG ? "original" : "reply",
						 class_names[cls], tcp_conntrack_names[st], ret,
						 tcp_conntrack_names[ct_state(&c)]);
				/* the state moved: ctnetlink is told */
				assert_int_equal(!!(c.ct->ecache & (1U << IPCT_PROTOINFO)),
						 want < RO && want != st);
				conn_free(&c);
			}
		}
	}
}

#undef IV
#undef IG
#undef RO
#undef NO
#undef SS
#undef SR
#undef ES
#undef FW
#undef CW
#undef LA
#undef TW
#undef CL
#undef S2

/* ---- a whole connection ---- */

/* the options Linux puts on a SYN: MSS, SACK permitted, timestamps, window scale */
static const u8 linux_syn_opts[20] = {
	2, 4, 0x05, 0xb4,		/* MSS 1460 */
	4, 2,				/* SACK permitted */
	8, 10, 0, 0, 0, 1, 0, 0, 0, 0,	/* timestamps */
	1,				/* NOP */
	3, 3, 7,			/* window scale 7 */
};

/*
 * Handshake, data both ways, FIN, ACK, FIN, ACK: the states and, after each
 * segment, the timeout: the state's, except while data is unacknowledged
 * (UNACK, when shorter).  Linux's options on both SYNs: scale 7 both ways.
 */
static void run_full_connection(u16 l3num)
{
	struct conn c;

	conn_init(&c, l3num, false);
	c.win[ORIG] = 64240;
	c.win[REPL] = 65160;

	assert_int_equal(conn_send_opt(&c, ORIG, SYN, 0, linux_syn_opts, 20), NF_ACCEPT);
	assert_int_equal(ct_state(&c), TCP_CONNTRACK_SYN_SENT);
	assert_timeout(&c, TCP_CONNTRACK_SYN_SENT);
	assert_event(&c, IPCT_PROTOINFO, true);
	c.ct->ecache = 0;

	jiffies_advance(100);
	assert_int_equal(conn_send_opt(&c, REPL, SYN | ACK, 0, linux_syn_opts, 20), NF_ACCEPT);
	assert_int_equal(ct_state(&c), TCP_CONNTRACK_SYN_RECV);
	assert_timeout(&c, TCP_CONNTRACK_SYN_RECV);
	assert_false(test_bit(IPS_ASSURED_BIT, &c.ct->status));
	assert_int_equal(c.ct->proto.tcp.seen[ORIG].td_scale, 7);
	assert_int_equal(c.ct->proto.tcp.seen[REPL].td_scale, 7);
	assert_true(c.ct->proto.tcp.seen[ORIG].flags & IP_CT_TCP_FLAG_SACK_PERM);
	assert_true(c.ct->proto.tcp.seen[REPL].flags & IP_CT_TCP_FLAG_SACK_PERM);
	c.ct->ecache = 0;

	/* after the SYNs, windows are scaled: 502 << 7 = 64256 */
	c.win[ORIG] = 502;
	c.win[REPL] = 509;
	jiffies_advance(100);
	assert_int_equal(conn_send(&c, ORIG, ACK, 0), NF_ACCEPT);
	assert_int_equal(ct_state(&c), TCP_CONNTRACK_ESTABLISHED);
	assert_timeout(&c, TCP_CONNTRACK_ESTABLISHED);
	/* the ACK completing the handshake assures the connection */
	assert_true(test_bit(IPS_ASSURED_BIT, &c.ct->status));
	assert_event(&c, IPCT_ASSURED, true);
	assert_event(&c, IPCT_PROTOINFO, true);
	c.ct->ecache = 0;

	jiffies_advance(1000);
	assert_int_equal(conn_send(&c, ORIG, ACK | PSH, 100), NF_ACCEPT);
	assert_timeout(&c, TCP_CONNTRACK_UNACK);
	assert_true(c.ct->proto.tcp.seen[ORIG].flags & IP_CT_TCP_FLAG_DATA_UNACKNOWLEDGED);
	/* no state change, no event */
	assert_event(&c, IPCT_PROTOINFO, false);

	jiffies_advance(10);
	assert_int_equal(conn_send(&c, REPL, ACK, 0), NF_ACCEPT);
	assert_timeout(&c, TCP_CONNTRACK_ESTABLISHED);
	assert_false(c.ct->proto.tcp.seen[ORIG].flags & IP_CT_TCP_FLAG_DATA_UNACKNOWLEDGED);

	assert_int_equal(conn_send(&c, REPL, ACK | PSH, 50), NF_ACCEPT);
	assert_timeout(&c, TCP_CONNTRACK_UNACK);
	assert_int_equal(conn_send(&c, ORIG, ACK, 0), NF_ACCEPT);
	assert_timeout(&c, TCP_CONNTRACK_ESTABLISHED);

	/* the client closes */
	jiffies_advance(5000);
	assert_int_equal(conn_send(&c, ORIG, FIN | ACK, 0), NF_ACCEPT);
	assert_int_equal(ct_state(&c), TCP_CONNTRACK_FIN_WAIT);
	assert_timeout(&c, TCP_CONNTRACK_FIN_WAIT);
	assert_true(c.ct->proto.tcp.seen[ORIG].flags & IP_CT_TCP_FLAG_CLOSE_INIT);
	assert_false(c.ct->proto.tcp.seen[REPL].flags & IP_CT_TCP_FLAG_CLOSE_INIT);
	assert_event(&c, IPCT_PROTOINFO, true);

	assert_int_equal(conn_send(&c, REPL, ACK, 0), NF_ACCEPT);
	assert_int_equal(ct_state(&c), TCP_CONNTRACK_CLOSE_WAIT);
	assert_timeout(&c, TCP_CONNTRACK_CLOSE_WAIT);

	assert_int_equal(conn_send(&c, REPL, FIN | ACK, 0), NF_ACCEPT);
	assert_int_equal(ct_state(&c), TCP_CONNTRACK_LAST_ACK);
	assert_timeout(&c, TCP_CONNTRACK_LAST_ACK);

	assert_int_equal(conn_send(&c, ORIG, ACK, 0), NF_ACCEPT);
	assert_int_equal(ct_state(&c), TCP_CONNTRACK_TIME_WAIT);
	assert_timeout(&c, TCP_CONNTRACK_TIME_WAIT);

	/* a retransmitted last ACK keeps it there */
	assert_int_equal(conn_send(&c, ORIG, ACK, 0), NF_ACCEPT);
	assert_int_equal(ct_state(&c), TCP_CONNTRACK_TIME_WAIT);

	/* every packet was counted, in its direction */
	assert_int_equal(c.ct->acct[ORIG].packets, 7);
	assert_int_equal(c.ct->acct[REPL].packets, 5);
	conn_free(&c);
}

static void test_full_connection_ipv4(void **state)
{
	run_full_connection(NFPROTO_IPV4);
}

static void test_full_connection_ipv6(void **state)
{
	run_full_connection(NFPROTO_IPV6);
}

/* the server closes first: the FIN from the reply side marks it */
static void test_server_closes_first(void **state)
{
	struct conn c;

	conn_init(&c, NFPROTO_IPV4, false);
	conn_handshake(&c, NULL, 0, NULL, 0);
	assert_int_equal(conn_send(&c, REPL, FIN | ACK, 0), NF_ACCEPT);
	assert_int_equal(ct_state(&c), TCP_CONNTRACK_FIN_WAIT);
	assert_true(c.ct->proto.tcp.seen[REPL].flags & IP_CT_TCP_FLAG_CLOSE_INIT);
	/* FIN+ACK answering it: both FINs seen, the last ACK is awaited */
	assert_int_equal(conn_send(&c, ORIG, FIN | ACK, 0), NF_ACCEPT);
	assert_int_equal(ct_state(&c), TCP_CONNTRACK_LAST_ACK);
	assert_int_equal(conn_send(&c, REPL, ACK, 0), NF_ACCEPT);
	assert_int_equal(ct_state(&c), TCP_CONNTRACK_TIME_WAIT);
	assert_timeout(&c, TCP_CONNTRACK_TIME_WAIT);
	conn_free(&c);
}

/* a SYN retransmitted before any answer does not extend the timeout */
static void test_syn_retransmit_keeps_timeout(void **state)
{
	struct conn c;
	struct seg s;

	conn_init(&c, NFPROTO_IPV4, false);
	s = conn_next(&c, ORIG, SYN, 0);
	assert_int_equal(conn_packet(&c, ORIG, &s), NF_ACCEPT);
	jiffies_advance(3000);
	assert_int_equal(conn_packet(&c, ORIG, &s), NF_ACCEPT);
	assert_int_equal(ct_state(&c), TCP_CONNTRACK_SYN_SENT);
	assert_int_equal(nf_ct_expires(c.ct), test_timeouts[TCP_CONNTRACK_SYN_SENT] * 1000 - 3000);
	conn_free(&c);
}

/* ---- windows ---- */

/*
 * Handshake without options: the client may send up to the server's
 * window (2000) past what the server acked; the server up to 1000.
 */
static void test_out_of_window(void **state)
{
	struct conn c;
	struct seg s;
	u32 base;

	conn_init(&c, NFPROTO_IPV4, false);
	conn_handshake(&c, NULL, 0, NULL, 0);
	base = c.nxt[ORIG];

	/* data starting 5000 bytes ahead: beyond the window, invalid */
	s = conn_next(&c, ORIG, ACK, 100);
	s.seq = base + 5000;
	assert_int_equal(conn_packet(&c, ORIG, &s), -NF_ACCEPT);
	assert_int_equal(c.ct->proto.tcp.seen[ORIG].td_end, base);

	/* acking data the server never sent: invalid */
	s = conn_next(&c, REPL, ACK, 0);
	s.ack = base + 500;
	assert_int_equal(conn_packet(&c, REPL, &s), -NF_ACCEPT);

	/* nf_conntrack_tcp_be_liberal: accepted, but the window does not move */
	nf_ct_net.tcp_be_liberal = 1;
	s = conn_next(&c, ORIG, ACK, 100);
	s.seq = base + 5000;
	assert_int_equal(conn_packet(&c, ORIG, &s), NF_ACCEPT);
	assert_int_equal(c.ct->proto.tcp.seen[ORIG].td_end, base);
	assert_int_equal(ct_state(&c), TCP_CONNTRACK_ESTABLISHED);
	nf_ct_net.tcp_be_liberal = 0;
	assert_int_equal(conn_packet(&c, ORIG, &s), -NF_ACCEPT);

	/* the same per connection (and per direction): IP_CT_TCP_FLAG_BE_LIBERAL */
	c.ct->proto.tcp.seen[ORIG].flags |= IP_CT_TCP_FLAG_BE_LIBERAL;
	assert_int_equal(conn_packet(&c, ORIG, &s), NF_ACCEPT);
	s = conn_next(&c, REPL, ACK, 0);
	s.ack = base + 500;
	assert_int_equal(conn_packet(&c, REPL, &s), -NF_ACCEPT);
	conn_free(&c);
}

/*
 * A segment starting a little past the window (by less than the
 * receiver's largest window) is let through without tracking, and its end
 * is remembered so that the receiver's ack of it is not refused.
 */
static void test_slight_overshoot(void **state)
{
	struct conn c;
	struct seg s;
	u32 base;

	conn_init(&c, NFPROTO_IPV4, false);
	conn_handshake(&c, NULL, 0, NULL, 0);
	base = c.nxt[ORIG];

	s = conn_next(&c, ORIG, ACK, 100);
	s.seq = base + 2010;		/* the window ends at base + 2000 */
	assert_int_equal(conn_packet(&c, ORIG, &s), NF_ACCEPT);
	assert_int_equal(c.ct->proto.tcp.seen[ORIG].td_end, base + 2110);
	assert_true(c.ct->proto.tcp.seen[ORIG].flags & IP_CT_TCP_FLAG_DATA_UNACKNOWLEDGED);
	/* the server acks it all: in window */
	s = conn_next(&c, REPL, ACK, 0);
	s.ack = base + 2110;
	assert_int_equal(conn_packet(&c, REPL, &s), NF_ACCEPT);
	conn_free(&c);
}

/*
 * Data the receiver acknowledged long ago (its end is more than the
 * receiver's window below the highest sent), sent again: let through
 * without tracking, so not even the timeout is refreshed.
 */
static void test_old_retransmission_ignored(void **state)
{
	struct conn c;
	struct seg s;
	u32 base;
	int i;

	conn_init(&c, NFPROTO_IPV4, false);
	conn_handshake(&c, NULL, 0, NULL, 0);
	base = c.nxt[ORIG];
	for (i = 0; i < 3; i++) {
		assert_int_equal(conn_send(&c, ORIG, ACK, 1000), NF_ACCEPT);
		assert_int_equal(conn_send(&c, REPL, ACK, 0), NF_ACCEPT);
	}
	assert_timeout(&c, TCP_CONNTRACK_ESTABLISHED);
	jiffies_advance(1000);
	s = conn_next(&c, ORIG, ACK, 100);
	s.seq = base;
	assert_int_equal(conn_packet(&c, ORIG, &s), NF_ACCEPT);
	assert_int_equal(nf_ct_expires(c.ct),
			 test_timeouts[TCP_CONNTRACK_ESTABLISHED] * 1000ULL - 1000);
	assert_int_equal(c.ct->proto.tcp.seen[ORIG].td_end, base + 3000);
	conn_free(&c);
}

/*
 * RFC 7323 window scaling: the factors offered in SYN and SYN-ACK apply to
 * later windows, only if both offered one.  The client sends 3000 bytes
 * past the server's ack while the server advertised 1000 << 2.
 */
static void run_window_scaling(bool server_scales)
{
	static const u8 ws7[4] = { 1, 3, 3, 7 };
	static const u8 ws2[4] = { 1, 3, 3, 2 };
	struct conn c;
	struct seg s;
	u32 base;

	conn_init(&c, NFPROTO_IPV4, false);
	c.win[REPL] = 1000;
	conn_handshake(&c, ws7, 4, server_scales ? ws2 : NULL, server_scales ? 4 : 0);
	assert_int_equal(c.ct->proto.tcp.seen[ORIG].td_scale, server_scales ? 7 : 0);
	assert_int_equal(c.ct->proto.tcp.seen[REPL].td_scale, server_scales ? 2 : 0);
	assert_true(c.ct->proto.tcp.seen[ORIG].flags & IP_CT_TCP_FLAG_WINDOW_SCALE);
	assert_int_equal(!!(c.ct->proto.tcp.seen[REPL].flags & IP_CT_TCP_FLAG_WINDOW_SCALE),
			 server_scales);
	base = c.nxt[ORIG];

	assert_int_equal(conn_send(&c, REPL, ACK, 0), NF_ACCEPT);
	s = conn_next(&c, ORIG, ACK, 100);
	s.seq = base + 3000;
	assert_int_equal(conn_packet(&c, ORIG, &s), server_scales ? NF_ACCEPT : -NF_ACCEPT);
	conn_free(&c);
}

static void test_window_scaling(void **state)
{
	run_window_scaling(true);
	run_window_scaling(false);
}

/* a factor above 14 is taken as 14 (RFC 7323 2.3) */
static void test_window_scale_clamped(void **state)
{
	static const u8 ws20[4] = { 1, 3, 3, 20 };
	struct conn c;

	conn_init(&c, NFPROTO_IPV4, false);
	conn_handshake(&c, ws20, 4, ws20, 4);
	assert_int_equal(c.ct->proto.tcp.seen[ORIG].td_scale, 14);
	assert_int_equal(c.ct->proto.tcp.seen[REPL].td_scale, 14);
	conn_free(&c);
}

/* NOP, NOP, one SACK block [left, right) */
static void sack_block(u8 *opt, u32 left, u32 right)
{
	u32 l = htonl(left), r = htonl(right);

	memcpy(opt + 4, &l, 4);
	memcpy(opt + 8, &r, 4);
}

/*
 * SACK: when the receiver of the SACK allowed it, the highest right edge
 * of the blocks counts as the ack and must not be beyond the data sent.
 */
static void run_sack(bool permitted)
{
	static const u8 sack_perm[4] = { 1, 1, 4, 2 };
	u8 sack_opt[12] = { 1, 1, 5, 10 };
	struct conn c;
	struct seg s;
	u32 base;

	conn_init(&c, NFPROTO_IPV4, false);
	conn_handshake(&c, permitted ? sack_perm : NULL, permitted ? 4 : 0, sack_perm, 4);
	base = c.nxt[ORIG];
	assert_int_equal(conn_send(&c, ORIG, ACK, 300), NF_ACCEPT);

	/* the first 100 bytes lost: SACK 100..200, within what was sent */
	s = conn_next(&c, REPL, ACK, 0);
	s.ack = base;
	s.opt = sack_opt;
	s.optlen = sizeof(sack_opt);
	sack_block(sack_opt, base + 100, base + 200);
	assert_int_equal(conn_packet(&c, REPL, &s), NF_ACCEPT);

	/* a block ending past the data sent: only checked if SACK was permitted */
	sack_block(sack_opt, base + 100, base + 400);
	assert_int_equal(conn_packet(&c, REPL, &s), permitted ? -NF_ACCEPT : NF_ACCEPT);
	conn_free(&c);
}

static void test_sack(void **state)
{
	run_sack(true);
	run_sack(false);
}

/* ---- picking up connections ---- */

static void test_midstream_pickup(void **state)
{
	struct conn c;
	struct seg s;

	/* tcp_loose=0: only a SYN starts a connection */
	conn_init(&c, NFPROTO_IPV4, false);
	s = conn_next(&c, ORIG, ACK, 10);
	assert_int_equal(conn_packet(&c, ORIG, &s), -NF_ACCEPT);
	assert_false(nf_ct_is_confirmed(c.ct));
	s = conn_next(&c, ORIG, FIN | ACK, 0);
	assert_int_equal(conn_packet(&c, ORIG, &s), -NF_ACCEPT);
	conn_free(&c);

	/* tcp_loose=1: an ACK picks it up, ESTABLISHED, liberal and SACK assumed */
	nf_ct_net.tcp_loose = 1;
	conn_init(&c, NFPROTO_IPV4, false);
	assert_int_equal(conn_send(&c, ORIG, ACK, 10), NF_ACCEPT);
	assert_int_equal(ct_state(&c), TCP_CONNTRACK_ESTABLISHED);
	assert_int_equal(c.ct->proto.tcp.seen[ORIG].flags,
			 IP_CT_TCP_FLAG_SACK_PERM | IP_CT_TCP_FLAG_BE_LIBERAL);
	assert_int_equal(c.ct->proto.tcp.seen[REPL].flags,
			 IP_CT_TCP_FLAG_SACK_PERM | IP_CT_TCP_FLAG_BE_LIBERAL);
	/*
	 * Not assured, and no ESTABLISHED timeout before an answer: the
	 * ack of nothing-seen-yet failed the (liberal) window check, so no
	 * window was recorded, and a zero last window means RETRANS.
	 */
	assert_false(test_bit(IPS_ASSURED_BIT, &c.ct->status));
	assert_timeout(&c, TCP_CONNTRACK_RETRANS);

	/* the answer: still capped, the reply was not seen before it */
	assert_int_equal(conn_send(&c, REPL, ACK, 0), NF_ACCEPT);
	assert_int_equal(ct_state(&c), TCP_CONNTRACK_ESTABLISHED);
	assert_timeout(&c, TCP_CONNTRACK_UNACK);
	assert_false(test_bit(IPS_ASSURED_BIT, &c.ct->status));

	/* the next segment finds it answered: assured, the full timeout */
	assert_int_equal(conn_send(&c, ORIG, ACK, 0), NF_ACCEPT);
	assert_true(test_bit(IPS_ASSURED_BIT, &c.ct->status));
	assert_event(&c, IPCT_ASSURED, true);
	assert_timeout(&c, TCP_CONNTRACK_ESTABLISHED);
	conn_free(&c);

	/* only ACKs: FIN or RST first never start one */
	conn_init(&c, NFPROTO_IPV4, false);
	s = conn_next(&c, ORIG, RST, 0);
	assert_int_equal(conn_packet(&c, ORIG, &s), -NF_ACCEPT);
	s = conn_next(&c, ORIG, SYN | ACK, 0);
	assert_int_equal(conn_packet(&c, ORIG, &s), -NF_ACCEPT);
	conn_free(&c);
}

/* ---- RST ---- */

static void test_rst_in_window(void **state)
{
	struct conn c;

	conn_init(&c, NFPROTO_IPV4, false);
	conn_handshake(&c, NULL, 0, NULL, 0);
	assert_int_equal(conn_send(&c, ORIG, ACK, 100), NF_ACCEPT);
	assert_int_equal(conn_send(&c, REPL, ACK, 0), NF_ACCEPT);
	/* exactly the sequence number the server acked */
	assert_int_equal(conn_send(&c, ORIG, RST | ACK, 0), NF_ACCEPT);
	assert_int_equal(ct_state(&c), TCP_CONNTRACK_CLOSE);
	assert_timeout(&c, TCP_CONNTRACK_CLOSE);
	conn_free(&c);
}

static void test_rst_out_of_window(void **state)
{
	struct conn c;
	struct seg s;

	conn_init(&c, NFPROTO_IPV4, false);
	conn_handshake(&c, NULL, 0, NULL, 0);
	assert_int_equal(conn_send(&c, ORIG, ACK, 100), NF_ACCEPT);
	assert_int_equal(conn_send(&c, REPL, ACK, 0), NF_ACCEPT);

	/* below what the peer acked: invalid */
	s = conn_next(&c, ORIG, RST, 0);
	s.seq -= 50;
	assert_int_equal(conn_packet(&c, ORIG, &s), -NF_ACCEPT);
	assert_int_equal(ct_state(&c), TCP_CONNTRACK_ESTABLISHED);
	assert_timeout(&c, TCP_CONNTRACK_ESTABLISHED);

	/*
	 * In the window but not exact (RFC 5961 3.2): the ends will exchange
	 * a challenge ACK; the state stays, the timeout becomes CLOSE's.
	 */
	s = conn_next(&c, ORIG, RST, 0);
	s.seq += 50;
	assert_int_equal(conn_packet(&c, ORIG, &s), NF_ACCEPT);
	assert_int_equal(ct_state(&c), TCP_CONNTRACK_ESTABLISHED);
	assert_timeout(&c, TCP_CONNTRACK_CLOSE);

	/* far beyond the window: invalid */
	s = conn_next(&c, ORIG, RST, 0);
	s.seq += 100000;
	assert_int_equal(conn_packet(&c, ORIG, &s), -NF_ACCEPT);
	assert_int_equal(ct_state(&c), TCP_CONNTRACK_ESTABLISHED);
	conn_free(&c);
}

/* the server refuses the SYN: RST+ACK with seq 0; the connection is killed */
static void test_rst_answering_syn(void **state)
{
	struct conn c;
	struct seg s;

	conn_init(&c, NFPROTO_IPV4, true);
	assert_int_equal(conn_send(&c, ORIG, SYN, 0), NF_ACCEPT);
	assert_true(nf_ct_is_confirmed(c.ct));
	s = conn_next(&c, REPL, RST | ACK, 0);
	s.seq = 0;
	s.win = 0;
	assert_int_equal(conn_packet(&c, REPL, &s), NF_ACCEPT);
	assert_int_equal(ct_state(&c), TCP_CONNTRACK_CLOSE);
	assert_true(nf_ct_is_dying(c.ct));
	/* counted before it went */
	assert_int_equal(c.ct->acct[REPL].packets, 1);
	conn_free(&c);
}

/* ---- reopening ---- */

static void test_syn_reopens(void **state)
{
	struct conn c;

	/* closed with FINs: TIME_WAIT, a new SYN from the client */
	conn_init(&c, NFPROTO_IPV4, true);
	conn_handshake(&c, NULL, 0, NULL, 0);
	assert_int_equal(conn_send(&c, ORIG, FIN | ACK, 0), NF_ACCEPT);
	assert_int_equal(conn_send(&c, REPL, FIN | ACK, 0), NF_ACCEPT);
	assert_int_equal(conn_send(&c, ORIG, ACK, 0), NF_ACCEPT);
	assert_int_equal(ct_state(&c), TCP_CONNTRACK_TIME_WAIT);
	c.nxt[ORIG] += 100000;
	assert_int_equal(conn_send(&c, ORIG, SYN, 0), NF_REPEAT);
	assert_true(nf_ct_is_dying(c.ct));
	conn_free(&c);

	/* TIME_WAIT, the server opens the new one (roles may swap) */
	conn_init(&c, NFPROTO_IPV4, true);
	conn_handshake(&c, NULL, 0, NULL, 0);
	assert_int_equal(conn_send(&c, REPL, FIN | ACK, 0), NF_ACCEPT);
	assert_int_equal(conn_send(&c, ORIG, FIN | ACK, 0), NF_ACCEPT);
	assert_int_equal(conn_send(&c, REPL, ACK, 0), NF_ACCEPT);
	assert_int_equal(ct_state(&c), TCP_CONNTRACK_TIME_WAIT);
	assert_int_equal(conn_send(&c, REPL, SYN, 0), NF_REPEAT);
	assert_true(nf_ct_is_dying(c.ct));
	conn_free(&c);

	/* reset by the client, then the client's new SYN */
	conn_init(&c, NFPROTO_IPV4, true);
	conn_handshake(&c, NULL, 0, NULL, 0);
	assert_int_equal(conn_send(&c, ORIG, RST, 0), NF_ACCEPT);
	assert_int_equal(ct_state(&c), TCP_CONNTRACK_CLOSE);
	c.nxt[ORIG] += 100000;
	assert_int_equal(conn_send(&c, ORIG, SYN, 0), NF_REPEAT);
	assert_true(nf_ct_is_dying(c.ct));
	conn_free(&c);
}

/*
 * Reset by the server, then a new SYN from the client: the kernel only
 * reopens after a RST from the same side, so the SYN is ignored; the
 * server's SYN-ACK acknowledging it resynchronises the entry (SYN_RECV)
 * from what was noted of the ignored SYN.
 */
static void test_ignored_syn_resync(void **state)
{
	static const u8 ws5[4] = { 1, 3, 3, 5 };
	struct conn c;

	conn_init(&c, NFPROTO_IPV4, false);
	conn_handshake(&c, NULL, 0, NULL, 0);
	assert_int_equal(conn_send(&c, REPL, RST, 0), NF_ACCEPT);
	assert_int_equal(ct_state(&c), TCP_CONNTRACK_CLOSE);

	c.nxt[ORIG] += 100000;
	assert_int_equal(conn_send_opt(&c, ORIG, SYN, 0, ws5, 4), NF_ACCEPT);
	assert_int_equal(ct_state(&c), TCP_CONNTRACK_CLOSE);
	assert_int_equal(conn_send_opt(&c, REPL, SYN | ACK, 0, ws5, 4), NF_ACCEPT);
	assert_int_equal(ct_state(&c), TCP_CONNTRACK_SYN_RECV);
	assert_timeout(&c, TCP_CONNTRACK_SYN_RECV);
	/* the ignored SYN's window scale was kept */
	assert_int_equal(c.ct->proto.tcp.seen[ORIG].td_scale, 5);
	assert_int_equal(c.ct->proto.tcp.seen[REPL].td_scale, 5);
	assert_int_equal(conn_send(&c, ORIG, ACK, 0), NF_ACCEPT);
	assert_int_equal(ct_state(&c), TCP_CONNTRACK_ESTABLISHED);
	conn_free(&c);
}

/* ---- other special cases ---- */

/* both ends send SYN: SYN_SENT2, then SYN-ACKs, then ESTABLISHED */
static void test_simultaneous_open(void **state)
{
	struct conn c;
	struct seg s;

	conn_init(&c, NFPROTO_IPV4, false);
	s = conn_next(&c, ORIG, SYN, 0);
	assert_int_equal(conn_packet(&c, ORIG, &s), NF_ACCEPT);
	s = conn_next(&c, REPL, SYN, 0);
	assert_int_equal(conn_packet(&c, REPL, &s), NF_ACCEPT);
	assert_int_equal(ct_state(&c), TCP_CONNTRACK_SYN_SENT2);
	/*
	 * The kernel does not refresh the timeout for a SYN out of SYN_SENT
	 * before a reply was seen, whatever its direction: still SYN_SENT's.
	 */
	assert_timeout(&c, TCP_CONNTRACK_SYN_SENT);

	/* each answers the other's SYN, repeating its own */
	s = conn_next(&c, ORIG, SYN | ACK, 0);
	s.ack++;
	assert_int_equal(conn_packet(&c, ORIG, &s), NF_ACCEPT);
	assert_int_equal(ct_state(&c), TCP_CONNTRACK_SYN_RECV);
	s = conn_next(&c, REPL, SYN | ACK, 0);
	s.ack++;
	assert_int_equal(conn_packet(&c, REPL, &s), NF_ACCEPT);
	assert_int_equal(ct_state(&c), TCP_CONNTRACK_SYN_RECV);

	c.nxt[ORIG]++;
	c.nxt[REPL]++;
	assert_int_equal(conn_send(&c, REPL, ACK, 0), NF_ACCEPT);
	assert_int_equal(ct_state(&c), TCP_CONNTRACK_ESTABLISHED);
	assert_true(test_bit(IPS_ASSURED_BIT, &c.ct->status));
	conn_free(&c);
}

/*
 * LAST_ACK, a new SYN from the client (ignored); an RFC 5961 server
 * answers with a challenge ACK, which must not be taken for the last ACK.
 */
static void test_challenge_ack_in_last_ack(void **state)
{
	struct conn c;
	struct seg s;

	conn_init(&c, NFPROTO_IPV4, false);
	conn_handshake(&c, NULL, 0, NULL, 0);
	assert_int_equal(conn_send(&c, REPL, FIN | ACK, 0), NF_ACCEPT);
	assert_int_equal(conn_send(&c, ORIG, FIN | ACK, 0), NF_ACCEPT);
	assert_int_equal(ct_state(&c), TCP_CONNTRACK_LAST_ACK);

	s = conn_next(&c, ORIG, SYN, 0);
	s.seq += 100000;
	assert_int_equal(conn_packet(&c, ORIG, &s), NF_ACCEPT);
	assert_int_equal(ct_state(&c), TCP_CONNTRACK_LAST_ACK);

	s = conn_next(&c, REPL, ACK, 0);
	assert_int_equal(conn_packet(&c, REPL, &s), NF_ACCEPT);
	assert_int_equal(ct_state(&c), TCP_CONNTRACK_LAST_ACK);
	/* the real last ACK, repeated, ends it */
	assert_int_equal(conn_packet(&c, REPL, &s), NF_ACCEPT);
	assert_int_equal(ct_state(&c), TCP_CONNTRACK_TIME_WAIT);
	conn_free(&c);
}

/* the same ACK again and again: after tcp_max_retrans, the RETRANS timeout */
static void test_retransmissions(void **state)
{
	struct conn c;
	struct seg s;

	conn_init(&c, NFPROTO_IPV4, false);
	conn_handshake(&c, NULL, 0, NULL, 0);
	assert_int_equal(conn_send(&c, ORIG, ACK, 100), NF_ACCEPT);
	s = conn_next(&c, REPL, ACK, 0);
	assert_int_equal(conn_packet(&c, REPL, &s), NF_ACCEPT);
	assert_timeout(&c, TCP_CONNTRACK_ESTABLISHED);
	assert_int_equal(conn_packet(&c, REPL, &s), NF_ACCEPT);
	assert_int_equal(conn_packet(&c, REPL, &s), NF_ACCEPT);
	assert_timeout(&c, TCP_CONNTRACK_ESTABLISHED);
	assert_int_equal(conn_packet(&c, REPL, &s), NF_ACCEPT);
	assert_int_equal(c.ct->proto.tcp.retrans, 3);
	assert_timeout(&c, TCP_CONNTRACK_RETRANS);
	/* something new: back to normal */
	assert_int_equal(conn_send(&c, ORIG, ACK, 10), NF_ACCEPT);
	assert_int_equal(conn_send(&c, REPL, ACK, 0), NF_ACCEPT);
	assert_int_equal(c.ct->proto.tcp.retrans, 0);
	assert_timeout(&c, TCP_CONNTRACK_ESTABLISHED);
	conn_free(&c);
}

/* a zero window advertised: the RETRANS timeout */
static void test_zero_window(void **state)
{
	struct conn c;

	conn_init(&c, NFPROTO_IPV4, false);
	conn_handshake(&c, NULL, 0, NULL, 0);
	assert_int_equal(conn_send(&c, ORIG, ACK, 100), NF_ACCEPT);
	c.win[REPL] = 0;
	assert_int_equal(conn_send(&c, REPL, ACK, 0), NF_ACCEPT);
	assert_timeout(&c, TCP_CONNTRACK_RETRANS);
	c.win[REPL] = 2000;
	assert_int_equal(conn_send(&c, REPL, ACK, 0), NF_ACCEPT);
	assert_timeout(&c, TCP_CONNTRACK_ESTABLISHED);
	conn_free(&c);
}

/*
 * An assured connection whose two sides each sent a FIN we found out of
 * window: probably dead while we are out of sync; the timeout drops to
 * UNACK.
 */
static void test_invalid_fins_shorten_timeout(void **state)
{
	struct conn c;
	struct seg s;

	conn_init(&c, NFPROTO_IPV4, false);
	conn_handshake(&c, NULL, 0, NULL, 0);
	assert_int_equal(conn_send(&c, REPL, ACK, 0), NF_ACCEPT);
	assert_timeout(&c, TCP_CONNTRACK_ESTABLISHED);

	s = conn_next(&c, ORIG, FIN | ACK, 0);
	s.seq += 50000;
	assert_int_equal(conn_packet(&c, ORIG, &s), -NF_ACCEPT);
	assert_timeout(&c, TCP_CONNTRACK_ESTABLISHED);
	s = conn_next(&c, REPL, FIN | ACK, 0);
	s.seq += 50000;
	assert_int_equal(conn_packet(&c, REPL, &s), -NF_ACCEPT);
	assert_timeout(&c, TCP_CONNTRACK_UNACK);
	assert_int_equal(ct_state(&c), TCP_CONNTRACK_ESTABLISHED);
	conn_free(&c);
}

/* ---- header checks ---- */

static void run_checksum(u16 l3num)
{
	struct conn c;
	struct seg s;

	conn_init(&c, l3num, false);
	s = conn_next(&c, ORIG, SYN, 0);
	s.opt = linux_syn_opts;
	s.optlen = sizeof(linux_syn_opts);
	assert_int_equal(conn_error(&c, ORIG, &s), NF_ACCEPT);
	s.bad_csum = true;
	assert_int_equal(conn_error(&c, ORIG, &s), -NF_ACCEPT);
	nf_ct_net.checksum = 0;
	assert_int_equal(conn_error(&c, ORIG, &s), NF_ACCEPT);
	nf_ct_net.checksum = 1;

	/* with payload (odd length), both directions */
	s = conn_next(&c, REPL, ACK | PSH, 33);
	assert_int_equal(conn_error(&c, REPL, &s), NF_ACCEPT);
	s.bad_csum = true;
	assert_int_equal(conn_error(&c, REPL, &s), -NF_ACCEPT);
	conn_free(&c);
}

static void test_checksum(void **state)
{
	run_checksum(NFPROTO_IPV4);
	run_checksum(NFPROTO_IPV6);
}

static void test_bad_headers(void **state)
{
	static const struct {
		u8 flags;
		bool valid;
	} combos[] = {
		{ SYN, true }, { SYN | ACK, true }, { ACK, true }, { FIN | ACK, true },
		{ RST, true }, { RST | ACK, true }, { SYN | URG, true }, { ACK | URG, true },
		{ FIN | ACK | URG, true }, { SYN | PSH | ECE | CWR, true },
		{ 0, false }, { PSH, false }, { FIN, false }, { SYN | FIN, false },
		{ SYN | RST, false }, { SYN | ACK | URG, false }, { RST | FIN | ACK, false },
		{ URG, false }, { SYN | FIN | RST | ACK | URG | PSH, false },
	};
	struct conn c;
	struct seg s;
	unsigned int i;

	conn_init(&c, NFPROTO_IPV4, false);
	for (i = 0; i < ARRAY_SIZE(combos); i++) {
		s = conn_next(&c, ORIG, combos[i].flags, 0);
		if (conn_error(&c, ORIG, &s) != (combos[i].valid ? NF_ACCEPT : -NF_ACCEPT))
			fail_msg("flags 0x%02x", combos[i].flags);
	}
	/* the tracker itself refuses them too */
	s = conn_next(&c, ORIG, SYN | FIN, 0);
	assert_int_equal(__conn_packet(&c, ORIG, &s, false), -NF_ACCEPT);

	/* header length below 20, or beyond the packet */
	s = conn_next(&c, ORIG, SYN, 0);
	s.doff = 4;
	assert_int_equal(conn_error(&c, ORIG, &s), -NF_ACCEPT);
	assert_int_equal(__conn_packet(&c, ORIG, &s, false), -NF_ACCEPT);
	s.doff = 6;			/* 24 bytes claimed, 20 present */
	assert_int_equal(conn_error(&c, ORIG, &s), -NF_ACCEPT);
	assert_int_equal(__conn_packet(&c, ORIG, &s, false), -NF_ACCEPT);
	s.doff = 15;
	s.len = 40;			/* here the "options" are payload */
	assert_int_equal(conn_error(&c, ORIG, &s), NF_ACCEPT);
	assert_false(nf_ct_is_confirmed(c.ct));

	/* malformed options are skipped, not read past */
	{
		static const u8 bad_opts[8] = { 1, 3, 9, 7, 2, 0, 0, 0 };

		s = conn_next(&c, ORIG, SYN, 0);
		s.opt = bad_opts;
		s.optlen = sizeof(bad_opts);
		assert_int_equal(conn_packet(&c, ORIG, &s), NF_ACCEPT);
		assert_int_equal(c.ct->proto.tcp.seen[ORIG].td_scale, 0);
	}
	conn_free(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_names_and_state_timeout, setup),
		cmocka_unit_test_setup(test_transition_table, setup),
		cmocka_unit_test_setup(test_full_connection_ipv4, setup),
		cmocka_unit_test_setup(test_full_connection_ipv6, setup),
		cmocka_unit_test_setup(test_server_closes_first, setup),
		cmocka_unit_test_setup(test_syn_retransmit_keeps_timeout, setup),
		cmocka_unit_test_setup(test_out_of_window, setup),
		cmocka_unit_test_setup(test_slight_overshoot, setup),
		cmocka_unit_test_setup(test_old_retransmission_ignored, setup),
		cmocka_unit_test_setup(test_window_scaling, setup),
		cmocka_unit_test_setup(test_window_scale_clamped, setup),
		cmocka_unit_test_setup(test_sack, setup),
		cmocka_unit_test_setup(test_midstream_pickup, setup),
		cmocka_unit_test_setup(test_rst_in_window, setup),
		cmocka_unit_test_setup(test_rst_out_of_window, setup),
		cmocka_unit_test_setup(test_rst_answering_syn, setup),
		cmocka_unit_test_setup(test_syn_reopens, setup),
		cmocka_unit_test_setup(test_ignored_syn_resync, setup),
		cmocka_unit_test_setup(test_simultaneous_open, setup),
		cmocka_unit_test_setup(test_challenge_ack_in_last_ack, setup),
		cmocka_unit_test_setup(test_retransmissions, setup),
		cmocka_unit_test_setup(test_zero_window, setup),
		cmocka_unit_test_setup(test_invalid_fins_shorten_timeout, setup),
		cmocka_unit_test_setup(test_checksum, setup),
		cmocka_unit_test_setup(test_bad_headers, setup),
	};

	return cmocka_run_group_tests_name("nf_conntrack_tcp", tests, group_setup,
					   group_teardown);
}
