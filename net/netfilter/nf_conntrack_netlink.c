// SPDX-License-Identifier: GPL-2.0
/*
 * ctnetlink: the conntrack table over NETLINK_NETFILTER, subsystem
 * NFNL_SUBSYS_CTNETLINK, as `conntrack` (conntrack-tools) uses it:
 *
 *   IPCTNL_MSG_CT_GET        dump (-L, with family/mark/status filters) or one
 *                            entry by tuple (-G); CT_GET_CTRZERO also zeroes
 *                            the counters it reports (-L -z)
 *   IPCTNL_MSG_CT_DELETE     one entry by tuple (+ CTA_ID), or a flush (-F)
 *   IPCTNL_MSG_CT_NEW        create (-I) or update (-U) an entry
 *   IPCTNL_MSG_CT_GET_STATS_CPU / GET_STATS   -S and -C
 *   IPCTNL_MSG_CT_GET_DYING / GET_UNCONFIRMED  always-empty dumps
 *
 * and the event notifier that multicasts NEW / UPDATE / DESTROY messages to
 * NFNLGRP_CONNTRACK_* listeners (-E).
 *
 * Messages carry the attributes Linux 6.1 puts in them, in its order, so
 * that `conntrack` prints the same text and a byte-level capture compares
 * (tools/testing/selftests/ctoffload/ct-cases/).  Where our connection has
 * no counterpart of a kernel extension (helpers, expectations, sequence
 * adjustment, synproxy, directional zones) we say so: see the comments at
 * each place.
 *
 * Locking: nfnetlink calls us on the control thread inside rcu_read_lock();
 * datapath threads change the same connections, so fields are written
 * with WRITE_ONCE/atomics and the TCP state under ct->lock.
 */
#include <arpa/inet.h>
#include <endian.h>
#include <limits.h>
#include <stdlib.h>
#include <linux/init.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <net/netfilter/nfnetlink.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_ecache.h>
#include <net/netfilter/nf_conntrack_l4proto.h>
#include <net/netfilter/nf_nat.h>

/*
 * CTA_FILTER_{ORIG,REPLY}_FLAGS: which parts of a filter tuple to compare.
 * The values are ABI (libnetfilter_conntrack sends them).
 */
#define CTA_FILTER_F_CTA_IP_SRC			(1 << 0)
#define CTA_FILTER_F_CTA_IP_DST			(1 << 1)
#define CTA_FILTER_F_CTA_TUPLE_ZONE		(1 << 2)
#define CTA_FILTER_F_CTA_PROTO_NUM		(1 << 3)
#define CTA_FILTER_F_CTA_PROTO_SRC_PORT		(1 << 4)
#define CTA_FILTER_F_CTA_PROTO_DST_PORT		(1 << 5)
#define CTA_FILTER_F_CTA_PROTO_ICMP_TYPE	(1 << 6)
#define CTA_FILTER_F_CTA_PROTO_ICMP_CODE	(1 << 7)
#define CTA_FILTER_F_CTA_PROTO_ICMP_ID		(1 << 8)
#define CTA_FILTER_F_CTA_PROTO_ICMPV6_TYPE	(1 << 9)
#define CTA_FILTER_F_CTA_PROTO_ICMPV6_CODE	(1 << 10)
#define CTA_FILTER_F_CTA_PROTO_ICMPV6_ID	(1 << 11)
#define CTA_FILTER_F_ALL			((1 << 12) - 1)
#define CTA_FILTER_F_ALL_PROTO_FIELDS		(CTA_FILTER_F_ALL & ~0xf)

/*
 * Linux counts timeouts in jiffies and caps them at INT_MAX: with Debian's
 * HZ=250 the longest timeout is INT_MAX / 250 s (99 days).
 */
#define CTNL_TIMEOUT_MAX_MS	((u64)INT_MAX * (1000 / 250))

static void nla_put_be16(struct nlmsghdr *nlh, u16 type, u16 v)
{
	nla_put_u16(nlh, type, htons(v));
}

static void nla_put_be32(struct nlmsghdr *nlh, u16 type, u32 v)
{
	nla_put_u32(nlh, type, htonl(v));
}

/* x86 reads 64-bit values unaligned, so Linux adds no pad attribute there */
static void nla_put_be64(struct nlmsghdr *nlh, u16 type, u64 v)
{
	u64 be = htobe64(v);

	nla_put(nlh, type, sizeof(be), &be);
}

static u16 nla_get_be16(const struct nlattr *a)
{
	return ntohs(nla_get_u16(a));
}

static u32 nla_get_be32(const struct nlattr *a)
{
	return ntohl(nla_get_u32(a));
}

/*
 * Events a request caused go out before its answer, as in Linux, where
 * they are sent from within the request: a `conntrack -E` sees them in
 * order, and the queue's references (CTA_USE) are gone when the next
 * request looks.  We are on the control thread, which owns the sockets.
 */
static void ctnetlink_deliver_events(void)
{
	nf_conntrack_ecache_deliver();
}

/* ---- the protocol-specific parts: tuple fields and private state ---- */

struct ctnl_l4proto {
	/* CTA_PROTO_* besides CTA_PROTO_NUM: both ways */
	void (*tuple_to_nlattr)(struct nlmsghdr *nlh, const struct nf_conntrack_tuple *t);
	int (*nlattr_to_tuple)(struct nlattr *tb[], struct nf_conntrack_tuple *t, u32 flags);
	const struct nla_policy *nla_policy;
	/* CTA_PROTOINFO_*: the tracker's state (TCP only) */
	void (*to_nlattr)(struct nlmsghdr *nlh, struct nf_conn *ct, bool destroy);
	int (*from_nlattr)(struct nlattr *tb[], struct nf_conn *ct);
};

static void ports_to_nlattr(struct nlmsghdr *nlh, const struct nf_conntrack_tuple *t)
{
	nla_put_u16(nlh, CTA_PROTO_SRC_PORT, t->src.u.all);
	nla_put_u16(nlh, CTA_PROTO_DST_PORT, t->dst.u.all);
}

static int nlattr_to_ports(struct nlattr *tb[], struct nf_conntrack_tuple *t, u32 flags)
{
	if (flags & CTA_FILTER_F_CTA_PROTO_SRC_PORT) {
		if (!tb[CTA_PROTO_SRC_PORT])
			return -EINVAL;
		t->src.u.all = nla_get_u16(tb[CTA_PROTO_SRC_PORT]);
	}
	if (flags & CTA_FILTER_F_CTA_PROTO_DST_PORT) {
		if (!tb[CTA_PROTO_DST_PORT])
			return -EINVAL;
		t->dst.u.all = nla_get_u16(tb[CTA_PROTO_DST_PORT]);
	}
	return 0;
}

static const struct nla_policy ports_nla_policy[CTA_PROTO_MAX + 1] = {
	[CTA_PROTO_NUM]		= { .type = NLA_U8 },
	[CTA_PROTO_SRC_PORT]	= { .type = NLA_U16 },
	[CTA_PROTO_DST_PORT]	= { .type = NLA_U16 },
};

/*
 * ICMP and ICMPv6 share the tuple layout (id in src, type and code in dst)
 * but not the attribute numbers; only a type with an inverse (an echo, a
 * timestamp...) can be a connection, as for packets.
 */
static void icmp_to_nlattr(struct nlmsghdr *nlh, const struct nf_conntrack_tuple *t)
{
	nla_put_u16(nlh, CTA_PROTO_ICMP_ID, t->src.u.icmp.id);
	nla_put_u8(nlh, CTA_PROTO_ICMP_TYPE, t->dst.u.icmp.type);
	nla_put_u8(nlh, CTA_PROTO_ICMP_CODE, t->dst.u.icmp.code);
}

static void icmpv6_to_nlattr(struct nlmsghdr *nlh, const struct nf_conntrack_tuple *t)
{
	nla_put_u16(nlh, CTA_PROTO_ICMPV6_ID, t->src.u.icmp.id);
	nla_put_u8(nlh, CTA_PROTO_ICMPV6_TYPE, t->dst.u.icmp.type);
	nla_put_u8(nlh, CTA_PROTO_ICMPV6_CODE, t->dst.u.icmp.code);
}

struct icmp_attrs {
	u16 type, code, id;			/* CTA_PROTO_* numbers */
	u32 type_flag, code_flag, id_flag;	/* CTA_FILTER_F_* */
	bool (*invert)(struct nf_conntrack_tuple *tuple,
		       const struct nf_conntrack_tuple *orig);
};

static const struct icmp_attrs icmpv4_attrs = {
	CTA_PROTO_ICMP_TYPE, CTA_PROTO_ICMP_CODE, CTA_PROTO_ICMP_ID,
	CTA_FILTER_F_CTA_PROTO_ICMP_TYPE, CTA_FILTER_F_CTA_PROTO_ICMP_CODE,
	CTA_FILTER_F_CTA_PROTO_ICMP_ID, nf_conntrack_icmp_invert_tuple,
};

static const struct icmp_attrs icmpv6_attrs = {
	CTA_PROTO_ICMPV6_TYPE, CTA_PROTO_ICMPV6_CODE, CTA_PROTO_ICMPV6_ID,
	CTA_FILTER_F_CTA_PROTO_ICMPV6_TYPE, CTA_FILTER_F_CTA_PROTO_ICMPV6_CODE,
	CTA_FILTER_F_CTA_PROTO_ICMPV6_ID, nf_conntrack_icmpv6_invert_tuple,
};

static int nlattr_to_icmp_common(struct nlattr *tb[], struct nf_conntrack_tuple *t,
				 u32 flags, const struct icmp_attrs *a)
{
	struct nf_conntrack_tuple inverse;

	if (flags & a->type_flag) {
		if (!tb[a->type])
			return -EINVAL;
		t->dst.u.icmp.type = nla_get_u8(tb[a->type]);
		if (!a->invert(&inverse, t))
			return -EINVAL;
	}
	if (flags & a->code_flag) {
		if (!tb[a->code])
			return -EINVAL;
		t->dst.u.icmp.code = nla_get_u8(tb[a->code]);
	}
	if (flags & a->id_flag) {
		if (!tb[a->id])
			return -EINVAL;
		t->src.u.icmp.id = nla_get_u16(tb[a->id]);
	}
	return 0;
}

static int nlattr_to_icmp(struct nlattr *tb[], struct nf_conntrack_tuple *t, u32 flags)
{
	return nlattr_to_icmp_common(tb, t, flags, &icmpv4_attrs);
}

static int nlattr_to_icmpv6(struct nlattr *tb[], struct nf_conntrack_tuple *t, u32 flags)
{
	return nlattr_to_icmp_common(tb, t, flags, &icmpv6_attrs);
}

static const struct nla_policy icmp_nla_policy[CTA_PROTO_MAX + 1] = {
	[CTA_PROTO_NUM]		= { .type = NLA_U8 },
	[CTA_PROTO_ICMP_TYPE]	= { .type = NLA_U8 },
	[CTA_PROTO_ICMP_CODE]	= { .type = NLA_U8 },
	[CTA_PROTO_ICMP_ID]	= { .type = NLA_U16 },
};

static const struct nla_policy icmpv6_nla_policy[CTA_PROTO_MAX + 1] = {
	[CTA_PROTO_NUM]		= { .type = NLA_U8 },
	[CTA_PROTO_ICMPV6_TYPE]	= { .type = NLA_U8 },
	[CTA_PROTO_ICMPV6_CODE]	= { .type = NLA_U8 },
	[CTA_PROTO_ICMPV6_ID]	= { .type = NLA_U16 },
};

/* TCP: the state, and per direction the window scale and the IP_CT_TCP_FLAG_* */
static void tcp_to_nlattr(struct nlmsghdr *nlh, struct nf_conn *ct, bool destroy)
{
	struct nf_ct_tcp_flags flags = {};
	struct nlattr *nest;

	spin_lock(&ct->lock);
	nest = nla_nest_start(nlh, CTA_PROTOINFO_TCP);
	nla_put_u8(nlh, CTA_PROTOINFO_TCP_STATE, ct->proto.tcp.state);
	/* a DESTROY event tells only the state the connection died in */
	if (!destroy) {
		nla_put_u8(nlh, CTA_PROTOINFO_TCP_WSCALE_ORIGINAL, ct->proto.tcp.seen[0].td_scale);
		nla_put_u8(nlh, CTA_PROTOINFO_TCP_WSCALE_REPLY, ct->proto.tcp.seen[1].td_scale);
		/* the mask byte means nothing in a dump: Linux leaves it 0 */
		flags.flags = ct->proto.tcp.seen[0].flags;
		nla_put(nlh, CTA_PROTOINFO_TCP_FLAGS_ORIGINAL, sizeof(flags), &flags);
		flags.flags = ct->proto.tcp.seen[1].flags;
		nla_put(nlh, CTA_PROTOINFO_TCP_FLAGS_REPLY, sizeof(flags), &flags);
	}
	nla_nest_end(nlh, nest);
	spin_unlock(&ct->lock);
}

static const struct nla_policy tcp_nla_policy[CTA_PROTOINFO_TCP_MAX + 1] = {
	[CTA_PROTOINFO_TCP_STATE]		= { .type = NLA_U8 },
	[CTA_PROTOINFO_TCP_WSCALE_ORIGINAL]	= { .type = NLA_U8 },
	[CTA_PROTOINFO_TCP_WSCALE_REPLY]	= { .type = NLA_U8 },
	[CTA_PROTOINFO_TCP_FLAGS_ORIGINAL]	= { .len = sizeof(struct nf_ct_tcp_flags) },
	[CTA_PROTOINFO_TCP_FLAGS_REPLY]		= { .len = sizeof(struct nf_ct_tcp_flags) },
};

/* only the bits the mask selects change */
static void tcp_apply_flags(struct ip_ct_tcp_state *seen, const struct nlattr *a)
{
	const struct nf_ct_tcp_flags *f = nla_data(a);

	seen->flags = (seen->flags & ~f->mask) | (f->flags & f->mask);
}

static int nlattr_to_tcp(struct nlattr *cda[], struct nf_conn *ct)
{
	struct nlattr *tb[CTA_PROTOINFO_TCP_MAX + 1];
	struct ip_ct_tcp *tcp = &ct->proto.tcp;
	int err;

	/* an update may well say nothing about the TCP state */
	if (!cda[CTA_PROTOINFO_TCP])
		return 0;
	err = nla_parse_nested(tb, CTA_PROTOINFO_TCP_MAX, cda[CTA_PROTOINFO_TCP],
			       tcp_nla_policy, NULL);
	if (err < 0)
		return err;
	if (tb[CTA_PROTOINFO_TCP_STATE] &&
	    nla_get_u8(tb[CTA_PROTOINFO_TCP_STATE]) >= TCP_CONNTRACK_MAX)
		return -EINVAL;

	spin_lock(&ct->lock);
	if (tb[CTA_PROTOINFO_TCP_STATE])
		tcp->state = nla_get_u8(tb[CTA_PROTOINFO_TCP_STATE]);
	if (tb[CTA_PROTOINFO_TCP_FLAGS_ORIGINAL])
		tcp_apply_flags(&tcp->seen[0], tb[CTA_PROTOINFO_TCP_FLAGS_ORIGINAL]);
	if (tb[CTA_PROTOINFO_TCP_FLAGS_REPLY])
		tcp_apply_flags(&tcp->seen[1], tb[CTA_PROTOINFO_TCP_FLAGS_REPLY]);
	/* a scale only means something once both sides announced scaling */
	if (tb[CTA_PROTOINFO_TCP_WSCALE_ORIGINAL] && tb[CTA_PROTOINFO_TCP_WSCALE_REPLY] &&
	    (tcp->seen[0].flags & IP_CT_TCP_FLAG_WINDOW_SCALE) &&
	    (tcp->seen[1].flags & IP_CT_TCP_FLAG_WINDOW_SCALE)) {
		tcp->seen[0].td_scale = nla_get_u8(tb[CTA_PROTOINFO_TCP_WSCALE_ORIGINAL]);
		tcp->seen[1].td_scale = nla_get_u8(tb[CTA_PROTOINFO_TCP_WSCALE_REPLY]);
	}
	spin_unlock(&ct->lock);
	return 0;
}

static const struct ctnl_l4proto ctnl_l4proto_tcp = {
	.tuple_to_nlattr = ports_to_nlattr,
	.nlattr_to_tuple = nlattr_to_ports,
	.nla_policy = ports_nla_policy,
	.to_nlattr = tcp_to_nlattr,
	.from_nlattr = nlattr_to_tcp,
};

/* UDP, UDP-Lite, SCTP, DCCP: ports, and no state we report */
static const struct ctnl_l4proto ctnl_l4proto_ports = {
	.tuple_to_nlattr = ports_to_nlattr,
	.nlattr_to_tuple = nlattr_to_ports,
	.nla_policy = ports_nla_policy,
};

static const struct ctnl_l4proto ctnl_l4proto_icmp = {
	.tuple_to_nlattr = icmp_to_nlattr,
	.nlattr_to_tuple = nlattr_to_icmp,
	.nla_policy = icmp_nla_policy,
};

static const struct ctnl_l4proto ctnl_l4proto_icmpv6 = {
	.tuple_to_nlattr = icmpv6_to_nlattr,
	.nlattr_to_tuple = nlattr_to_icmpv6,
	.nla_policy = icmpv6_nla_policy,
};

/* addresses and protocol number only (GRE too: the core keeps no keys) */
static const struct ctnl_l4proto ctnl_l4proto_generic = {};

static const struct ctnl_l4proto *ctnl_l4proto_find(u8 protonum)
{
	switch (protonum) {
	case IPPROTO_TCP:
		return &ctnl_l4proto_tcp;
	case IPPROTO_UDP:
	case IPPROTO_UDPLITE:
	case IPPROTO_SCTP:
	case IPPROTO_DCCP:
		return &ctnl_l4proto_ports;
	case IPPROTO_ICMP:
		return &ctnl_l4proto_icmp;
	case IPPROTO_ICMPV6:
		return &ctnl_l4proto_icmpv6;
	default:
		return &ctnl_l4proto_generic;
	}
}

/* ---- building messages ---- */

static void ctnetlink_dump_tuple(struct nlmsghdr *nlh, u16 type,
				 const struct nf_conntrack_tuple *t)
{
	const struct ctnl_l4proto *l4proto = ctnl_l4proto_find(t->dst.protonum);
	struct nlattr *outer, *nest;

	outer = nla_nest_start(nlh, type);
	nest = nla_nest_start(nlh, CTA_TUPLE_IP);
	if (t->src.l3num == NFPROTO_IPV4) {
		nla_put(nlh, CTA_IP_V4_SRC, 4, &t->src.u3.ip);
		nla_put(nlh, CTA_IP_V4_DST, 4, &t->dst.u3.ip);
	} else {
		nla_put(nlh, CTA_IP_V6_SRC, 16, &t->src.u3.in6);
		nla_put(nlh, CTA_IP_V6_DST, 16, &t->dst.u3.in6);
	}
	nla_nest_end(nlh, nest);
	nest = nla_nest_start(nlh, CTA_TUPLE_PROTO);
	nla_put_u8(nlh, CTA_PROTO_NUM, t->dst.protonum);
	if (l4proto->tuple_to_nlattr)
		l4proto->tuple_to_nlattr(nlh, t);
	nla_nest_end(nlh, nest);
	nla_nest_end(nlh, outer);
}

static void ctnetlink_dump_tuples(struct nlmsghdr *nlh, const struct nf_conn *ct)
{
	ctnetlink_dump_tuple(nlh, CTA_TUPLE_ORIG, nf_ct_tuple(ct, IP_CT_DIR_ORIGINAL));
	ctnetlink_dump_tuple(nlh, CTA_TUPLE_REPLY, nf_ct_tuple(ct, IP_CT_DIR_REPLY));
	/* the default zone is implied */
	if (nf_ct_zone_id(ct) != NF_CT_DEFAULT_ZONE_ID)
		nla_put_be16(nlh, CTA_ZONE, nf_ct_zone_id(ct));
}

/* seconds left; skip_zero: leave it out once expired (DESTROY events) */
static void ctnetlink_dump_timeout(struct nlmsghdr *nlh, const struct nf_conn *ct,
				   bool skip_zero)
{
	u32 timeout = nf_ct_expires(ct) / 1000;

	if (skip_zero && !timeout)
		return;
	nla_put_be32(nlh, CTA_TIMEOUT, timeout);
}

static void ctnetlink_dump_protoinfo(struct nlmsghdr *nlh, struct nf_conn *ct, bool destroy)
{
	const struct ctnl_l4proto *l4proto = ctnl_l4proto_find(nf_ct_protonum(ct));
	struct nlattr *nest;

	if (!l4proto->to_nlattr)
		return;
	nest = nla_nest_start(nlh, CTA_PROTOINFO);
	l4proto->to_nlattr(nlh, ct, destroy);
	nla_nest_end(nlh, nest);
}

/* packets and bytes per direction, when nf_conntrack_acct is on; zero: -L -z */
static void ctnetlink_dump_acct(struct nlmsghdr *nlh, struct nf_conn *ct, bool zero)
{
	enum ip_conntrack_dir dir;

	if (!nf_ct_net.acct)
		return;
	for (dir = IP_CT_DIR_ORIGINAL; dir < IP_CT_DIR_MAX; dir++) {
		struct nf_conn_counter *c = &ct->acct[dir];
		struct nlattr *nest;
		u64 pkts, bytes;

		if (zero) {
			pkts = __atomic_exchange_n(&c->packets, 0, __ATOMIC_RELAXED);
			bytes = __atomic_exchange_n(&c->bytes, 0, __ATOMIC_RELAXED);
		} else {
			pkts = __atomic_load_n(&c->packets, __ATOMIC_RELAXED);
			bytes = __atomic_load_n(&c->bytes, __ATOMIC_RELAXED);
		}
		nest = nla_nest_start(nlh, dir == IP_CT_DIR_ORIGINAL ? CTA_COUNTERS_ORIG :
								     CTA_COUNTERS_REPLY);
		nla_put_be64(nlh, CTA_COUNTERS_PACKETS, pkts);
		nla_put_be64(nlh, CTA_COUNTERS_BYTES, bytes);
		nla_nest_end(nlh, nest);
	}
}

static bool ctnetlink_has_labels(const struct nf_conn *ct)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ct->labels); i++)
		if (READ_ONCE(ct->labels[i]))
			return true;
	return false;
}

/* all 128 bits, as Linux stores them (bit n of the label set is bit n of the bytes) */
static void ctnetlink_dump_labels(struct nlmsghdr *nlh, const struct nf_conn *ct)
{
	u32 labels[ARRAY_SIZE(ct->labels)];
	unsigned int i;

	if (!ctnetlink_has_labels(ct))
		return;
	for (i = 0; i < ARRAY_SIZE(labels); i++)
		labels[i] = READ_ONCE(ct->labels[i]);
	nla_put(nlh, CTA_LABELS, sizeof(labels), labels);
}

/*
 * One connection, as a dump or a get answers it: NEW message, tuples,
 * zone, then status, mark, id, use, timeout and TCP state (both left out
 * while the flow is offloaded: the flowtable owns them), then counters
 * and labels.  type is the request's message: CT_GET_CTRZERO zeroes the
 * counters it reports.
 */
static int ctnetlink_fill_info(struct nl_out *out, u32 seq, u8 type, struct nf_conn *ct,
			       u16 flags)
{
	struct nlmsghdr *nlh;

	if (out->portid)
		flags |= NLM_F_MULTI;
	nlh = nfnl_msg_put(out, seq, nfnl_msg_type(NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_NEW),
			   flags, nf_ct_l3num(ct), NFNETLINK_V0, 0);
	if (!nlh)
		return -ENOMEM;
	ctnetlink_dump_tuples(nlh, ct);
	nla_put_be32(nlh, CTA_STATUS, READ_ONCE(ct->status));
	nla_put_be32(nlh, CTA_MARK, READ_ONCE(ct->mark));
	nla_put_be32(nlh, CTA_ID, ct->id);
	nla_put_be32(nlh, CTA_USE, refcount_read(&ct->ct_general.use));
	if (!test_bit(IPS_OFFLOAD_BIT, &ct->status)) {
		ctnetlink_dump_timeout(nlh, ct, false);
		ctnetlink_dump_protoinfo(nlh, ct, false);
	}
	ctnetlink_dump_acct(nlh, ct, type == IPCTNL_MSG_CT_GET_CTRZERO);
	ctnetlink_dump_labels(nlh, ct);
	nl_out_end(out, nlh);
	return 0;
}

/* ---- parsing tuples ---- */

static const struct nla_policy tuple_nla_policy[CTA_TUPLE_MAX + 1] = {
	[CTA_TUPLE_IP]		= { .type = NLA_NESTED },
	[CTA_TUPLE_PROTO]	= { .type = NLA_NESTED },
	[CTA_TUPLE_ZONE]	= { .type = NLA_U16 },
};

static const struct nla_policy ip_nla_policy[CTA_IP_MAX + 1] = {
	[CTA_IP_V4_SRC]		= { .type = NLA_U32 },
	[CTA_IP_V4_DST]		= { .type = NLA_U32 },
	[CTA_IP_V6_SRC]		= { .len = sizeof(struct in6_addr) },
	[CTA_IP_V6_DST]		= { .len = sizeof(struct in6_addr) },
};

static const struct nla_policy proto_nla_policy[CTA_PROTO_MAX + 1] = {
	[CTA_PROTO_NUM]		= { .type = NLA_U8 },
};

static int ctnetlink_parse_addr(const struct nlattr *a, union nf_inet_addr *addr, u16 l3num)
{
	if (!a)
		return -EINVAL;
	memcpy(addr, nla_data(a), l3num == NFPROTO_IPV4 ? 4 : 16);
	return 0;
}

static int ctnetlink_parse_tuple_ip(const struct nlattr *attr, struct nf_conntrack_tuple *t,
				    u32 flags)
{
	bool v4 = t->src.l3num == NFPROTO_IPV4;
	struct nlattr *tb[CTA_IP_MAX + 1];
	int err;

	err = nla_parse_nested(tb, CTA_IP_MAX, attr, ip_nla_policy, NULL);
	if (err < 0)
		return err;
	if (flags & CTA_FILTER_F_CTA_IP_SRC) {
		err = ctnetlink_parse_addr(tb[v4 ? CTA_IP_V4_SRC : CTA_IP_V6_SRC],
					   &t->src.u3, t->src.l3num);
		if (err)
			return err;
	}
	if (flags & CTA_FILTER_F_CTA_IP_DST)
		return ctnetlink_parse_addr(tb[v4 ? CTA_IP_V4_DST : CTA_IP_V6_DST],
					    &t->dst.u3, t->src.l3num);
	return 0;
}

static int ctnetlink_parse_tuple_proto(const struct nlattr *attr,
				       struct nf_conntrack_tuple *t, u32 flags)
{
	const struct ctnl_l4proto *l4proto;
	struct nlattr *tb[CTA_PROTO_MAX + 1];
	int err;

	err = nla_parse_nested(tb, CTA_PROTO_MAX, attr, proto_nla_policy, NULL);
	if (err < 0)
		return err;
	if (!(flags & CTA_FILTER_F_CTA_PROTO_NUM))
		return 0;
	if (!tb[CTA_PROTO_NUM])
		return -EINVAL;
	t->dst.protonum = nla_get_u8(tb[CTA_PROTO_NUM]);
	l4proto = ctnl_l4proto_find(t->dst.protonum);
	if (!l4proto->nlattr_to_tuple)
		return 0;
	/* again, now that the protocol's own attributes are known */
	err = nla_parse_nested(tb, CTA_PROTO_MAX, attr, l4proto->nla_policy, NULL);
	if (err < 0)
		return err;
	return l4proto->nlattr_to_tuple(tb, t, flags);
}

/*
 * The tuple in cda[type] (CTA_TUPLE_ORIG/REPLY), of family l3num, reading
 * only the fields flags names (every field for an ordinary tuple, some for
 * a dump filter).  A zone inside a tuple makes the zone directional, which
 * our connections cannot express.
 */
static int ctnetlink_parse_tuple_filter(const struct nlattr * const cda[],
					struct nf_conntrack_tuple *t, u16 type, u8 l3num,
					u32 flags, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[CTA_TUPLE_MAX + 1];
	int err;

	memset(t, 0, sizeof(*t));
	err = nla_parse_nested(tb, CTA_TUPLE_MAX, cda[type], tuple_nla_policy, NULL);
	if (err < 0)
		return err;
	/* the family comes from the nfgenmsg: 0 (AF_UNSPEC) names no address */
	if (l3num != NFPROTO_IPV4 && l3num != NFPROTO_IPV6)
		return -EOPNOTSUPP;
	t->src.l3num = l3num;
	if (flags & (CTA_FILTER_F_CTA_IP_SRC | CTA_FILTER_F_CTA_IP_DST)) {
		if (!tb[CTA_TUPLE_IP])
			return -EINVAL;
		err = ctnetlink_parse_tuple_ip(tb[CTA_TUPLE_IP], t, flags);
		if (err < 0)
			return err;
	}
	if (flags & CTA_FILTER_F_CTA_PROTO_NUM) {
		if (!tb[CTA_TUPLE_PROTO])
			return -EINVAL;
		err = ctnetlink_parse_tuple_proto(tb[CTA_TUPLE_PROTO], t, flags);
		if (err < 0)
			return err;
	} else if (flags & CTA_FILTER_F_ALL_PROTO_FIELDS) {
		return -EINVAL;		/* ports or ICMP fields of which protocol? */
	}
	if ((flags & CTA_FILTER_F_CTA_TUPLE_ZONE) && tb[CTA_TUPLE_ZONE]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[CTA_TUPLE_ZONE],
				    "Directional zones are not supported");
		return -EOPNOTSUPP;
	}
	t->dst.dir = type == CTA_TUPLE_REPLY ? IP_CT_DIR_REPLY : IP_CT_DIR_ORIGINAL;
	return 0;
}

static int ctnetlink_parse_tuple(const struct nfnl_info *info, const struct nlattr * const cda[],
				 struct nf_conntrack_tuple *t, u16 type)
{
	return ctnetlink_parse_tuple_filter(cda, t, type, info->nfmsg->nfgen_family,
					    CTA_FILTER_F_ALL, info->extack);
}

static u16 ctnetlink_parse_zone(const struct nlattr * const cda[])
{
	return cda[CTA_ZONE] ? nla_get_be16(cda[CTA_ZONE]) : NF_CT_DEFAULT_ZONE_ID;
}

/* the tuple a GET or DELETE names: the original one, else the reply one */
static int ctnetlink_parse_lookup(const struct nfnl_info *info, const struct nlattr * const cda[],
				  struct nf_conntrack_tuple *t)
{
	if (cda[CTA_TUPLE_ORIG])
		return ctnetlink_parse_tuple(info, cda, t, CTA_TUPLE_ORIG);
	if (cda[CTA_TUPLE_REPLY])
		return ctnetlink_parse_tuple(info, cda, t, CTA_TUPLE_REPLY);
	return -EINVAL;
}

/* ---- filters of dumps and flushes ---- */

struct ctnetlink_filter_u32 {
	u32 val;
	u32 mask;
};

struct ctnetlink_filter {
	u8 family;
	u32 orig_flags, reply_flags;
	struct nf_conntrack_tuple orig, reply;
	struct ctnetlink_filter_u32 mark, status;
};

static const struct nla_policy filter_nla_policy[CTA_FILTER_MAX + 1] = {
	[CTA_FILTER_ORIG_FLAGS]		= { .type = NLA_U32 },
	[CTA_FILTER_REPLY_FLAGS]	= { .type = NLA_U32 },
};

static int ctnetlink_parse_filter_flags(const struct nlattr *a, u32 *flags,
					struct netlink_ext_ack *extack)
{
	if (!a)
		return 0;
	*flags = nla_get_u32(a);
	if (*flags & ~CTA_FILTER_F_ALL) {
		NL_SET_ERR_MSG_ATTR(extack, a, "reserved bit set");
		return -EINVAL;
	}
	return 0;
}

static int ctnetlink_filter_parse_tuples(struct ctnetlink_filter *filter,
					 const struct nlattr * const cda[],
					 struct netlink_ext_ack *extack)
{
	struct nlattr *tb[CTA_FILTER_MAX + 1];
	int err;

	err = nla_parse_nested(tb, CTA_FILTER_MAX, cda[CTA_FILTER], filter_nla_policy, extack);
	if (err < 0)
		return err;
	err = ctnetlink_parse_filter_flags(tb[CTA_FILTER_ORIG_FLAGS], &filter->orig_flags, extack);
	if (!err)
		err = ctnetlink_parse_filter_flags(tb[CTA_FILTER_REPLY_FLAGS],
						   &filter->reply_flags, extack);
	if (err)
		return err;
	if (filter->orig_flags) {
		if (!cda[CTA_TUPLE_ORIG])
			return -EINVAL;
		err = ctnetlink_parse_tuple_filter(cda, &filter->orig, CTA_TUPLE_ORIG,
						   filter->family, filter->orig_flags, extack);
		if (err < 0)
			return err;
	}
	if (filter->reply_flags) {
		if (!cda[CTA_TUPLE_REPLY])
			return -EINVAL;
		err = ctnetlink_parse_tuple_filter(cda, &filter->reply, CTA_TUPLE_REPLY,
						   filter->family, filter->reply_flags, extack);
		if (err < 0)
			return err;
	}
	return 0;
}

static bool ctnetlink_needs_filter(u8 family, const struct nlattr * const cda[])
{
	return family || cda[CTA_MARK] || cda[CTA_FILTER] || cda[CTA_STATUS];
}

/*
 * A mark without a mask compares every bit; a status without a mask asks
 * for all the bits it has (and none at all matches nothing, so is refused).
 */
static int ctnetlink_filter_parse(struct ctnetlink_filter *filter, u8 family,
				  const struct nlattr * const cda[],
				  struct netlink_ext_ack *extack)
{
	memset(filter, 0, sizeof(*filter));
	filter->family = family;
	if (cda[CTA_MARK]) {
		filter->mark.val = nla_get_be32(cda[CTA_MARK]);
		filter->mark.mask = cda[CTA_MARK_MASK] ? nla_get_be32(cda[CTA_MARK_MASK]) :
							 0xffffffff;
	} else if (cda[CTA_MARK_MASK]) {
		return -EINVAL;
	}
	if (cda[CTA_STATUS]) {
		filter->status.val = nla_get_be32(cda[CTA_STATUS]);
		filter->status.mask = cda[CTA_STATUS_MASK] ? nla_get_be32(cda[CTA_STATUS_MASK]) :
							     filter->status.val;
		if (!filter->status.mask)
			return -EINVAL;
	} else if (cda[CTA_STATUS_MASK]) {
		return -EINVAL;
	}
	/*
	 * Linux 6.1 reads CTA_ZONE beside CTA_FILTER but does not compare
	 * it, so neither do we.
	 */
	if (!cda[CTA_FILTER])
		return 0;
	return ctnetlink_filter_parse_tuples(filter, cda, extack);
}

static bool ctnetlink_filter_match_addrs(const struct nf_conntrack_tuple *want,
					 const struct nf_conntrack_tuple *t, u32 flags)
{
	size_t len = want->src.l3num == NFPROTO_IPV4 ? 4 : 16;

	if ((flags & CTA_FILTER_F_CTA_IP_SRC) && memcmp(&want->src.u3, &t->src.u3, len))
		return false;
	if ((flags & CTA_FILTER_F_CTA_IP_DST) && memcmp(&want->dst.u3, &t->dst.u3, len))
		return false;
	return true;
}

static bool ctnetlink_filter_match_icmp(const struct nf_conntrack_tuple *want,
					const struct nf_conntrack_tuple *t, u32 flags,
					const struct icmp_attrs *a)
{
	if ((flags & a->type_flag) && want->dst.u.icmp.type != t->dst.u.icmp.type)
		return false;
	if ((flags & a->code_flag) && want->dst.u.icmp.code != t->dst.u.icmp.code)
		return false;
	if ((flags & a->id_flag) && want->src.u.icmp.id != t->src.u.icmp.id)
		return false;
	return true;
}

static bool ctnetlink_filter_match_tuple(const struct nf_conntrack_tuple *want,
					 const struct nf_conntrack_tuple *t, u32 flags)
{
	if (!ctnetlink_filter_match_addrs(want, t, flags))
		return false;
	if ((flags & CTA_FILTER_F_CTA_PROTO_NUM) && want->dst.protonum != t->dst.protonum)
		return false;
	switch (t->dst.protonum) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
		if ((flags & CTA_FILTER_F_CTA_PROTO_SRC_PORT) && want->src.u.all != t->src.u.all)
			return false;
		if ((flags & CTA_FILTER_F_CTA_PROTO_DST_PORT) && want->dst.u.all != t->dst.u.all)
			return false;
		return true;
	case IPPROTO_ICMP:
		return ctnetlink_filter_match_icmp(want, t, flags, &icmpv4_attrs);
	case IPPROTO_ICMPV6:
		return ctnetlink_filter_match_icmp(want, t, flags, &icmpv6_attrs);
	default:
		return true;
	}
}

static bool ctnetlink_filter_match(const struct nf_conn *ct, const struct ctnetlink_filter *filter)
{
	if (!filter)
		return true;
	if (filter->family && nf_ct_l3num(ct) != filter->family)
		return false;
	if (filter->orig_flags &&
	    !ctnetlink_filter_match_tuple(&filter->orig, nf_ct_tuple(ct, IP_CT_DIR_ORIGINAL),
					  filter->orig_flags))
		return false;
	if (filter->reply_flags &&
	    !ctnetlink_filter_match_tuple(&filter->reply, nf_ct_tuple(ct, IP_CT_DIR_REPLY),
					  filter->reply_flags))
		return false;
	if ((READ_ONCE(ct->mark) & filter->mark.mask) != filter->mark.val)
		return false;
	return ((u32)READ_ONCE(ct->status) & filter->status.mask) == filter->status.val;
}

/* ---- IPCTNL_MSG_CT_GET, CT_GET_CTRZERO ---- */

struct ctnetlink_dump_ctx {
	struct nl_out *out;
	const struct ctnetlink_filter *filter;
	u32 seq;
	u8 type;
	u16 flags;
};

static int ctnetlink_dump_one(struct nf_conn *ct, void *data)
{
	struct ctnetlink_dump_ctx *ctx = data;

	/* expired but not collected yet: collect it rather than show it */
	if (nf_ct_is_expired(ct))
		return 1;
	if (ctnetlink_filter_match(ct, ctx->filter))
		ctnetlink_fill_info(ctx->out, ctx->seq, ctx->type, ct, ctx->flags);
	return 0;
}

static int ctnetlink_dump_table(const struct nfnl_info *info, const struct nlattr * const cda[])
{
	struct ctnetlink_dump_ctx ctx = {
		.out = info->out,
		.seq = info->nlh->nlmsg_seq,
		.type = NFNL_MSG_TYPE(info->nlh->nlmsg_type),
	};
	u8 family = info->nfmsg->nfgen_family;
	struct ctnetlink_filter filter;
	int err;

	if (ctnetlink_needs_filter(family, cda)) {
		err = ctnetlink_filter_parse(&filter, family, cda, info->extack);
		if (err)
			return err;
		ctx.filter = &filter;
		ctx.flags = NLM_F_DUMP_FILTERED;
		info->out->answer_flags = NLM_F_DUMP_FILTERED;
	}
	nf_ct_iterate(ctnetlink_dump_one, &ctx, 0, 0);
	return 0;
}

static int ctnetlink_get_conntrack(const struct nfnl_info *info,
				   const struct nlattr * const cda[])
{
	struct nf_conntrack_tuple_hash *h;
	struct nf_conntrack_tuple tuple;
	struct nf_conn *ct;
	int err;

	if (info->nlh->nlmsg_flags & NLM_F_DUMP)
		return ctnetlink_dump_table(info, cda);
	err = ctnetlink_parse_lookup(info, cda, &tuple);
	if (err < 0)
		return err;
	h = nf_conntrack_find_get(ctnetlink_parse_zone(cda), &tuple);
	if (!h)
		return -ENOENT;
	ct = nf_ct_tuplehash_to_ctrack(h);
	err = ctnetlink_fill_info(info->out, info->nlh->nlmsg_seq,
				  NFNL_MSG_TYPE(info->nlh->nlmsg_type), ct, 0);
	nf_ct_put(ct);
	return err;
}

/*
 * CT_GET_DYING / CT_GET_UNCONFIRMED: an unconfirmed entry belongs to the
 * packet being tracked, and a dying one leaves the table at once; we keep
 * no list of either, so these dumps are always empty.
 */
static int ctnetlink_get_ct_empty_list(const struct nfnl_info *info,
				       const struct nlattr * const cda[])
{
	return info->nlh->nlmsg_flags & NLM_F_DUMP ? 0 : -EOPNOTSUPP;
}

/* ---- IPCTNL_MSG_CT_DELETE ---- */

struct ctnetlink_flush_ctx {
	const struct ctnetlink_filter *filter;
};

static int ctnetlink_flush_one(struct nf_conn *ct, void *data)
{
	struct ctnetlink_flush_ctx *ctx = data;

	return ctnetlink_filter_match(ct, ctx->filter);
}

/*
 * A DELETE without a tuple empties the table, or what a filter selects.
 * The family counts only from nfnetlink version 1 on: conntrack -F sends
 * version 0 with its -f family, and Linux flushes every family then.
 */
static int ctnetlink_flush_conntrack(const struct nfnl_info *info,
				     const struct nlattr * const cda[])
{
	u8 family = info->nfmsg->version ? info->nfmsg->nfgen_family : AF_UNSPEC;
	struct ctnetlink_flush_ctx ctx = {};
	struct ctnetlink_filter filter;
	int err;

	if (ctnetlink_needs_filter(family, cda)) {
		if (cda[CTA_FILTER])
			return -EOPNOTSUPP;
		err = ctnetlink_filter_parse(&filter, family, cda, info->extack);
		if (err)
			return err;
		ctx.filter = &filter;
	}
	nf_ct_iterate(ctnetlink_flush_one, &ctx, nfnl_portid(info), nfnl_report(info));
	ctnetlink_deliver_events();
	return 0;
}

static int ctnetlink_del_conntrack(const struct nfnl_info *info,
				   const struct nlattr * const cda[])
{
	struct nf_conntrack_tuple_hash *h;
	struct nf_conntrack_tuple tuple;
	struct nf_conn *ct;
	int err;

	if (!cda[CTA_TUPLE_ORIG] && !cda[CTA_TUPLE_REPLY])
		return ctnetlink_flush_conntrack(info, cda);
	err = ctnetlink_parse_lookup(info, cda, &tuple);
	if (err < 0)
		return err;
	h = nf_conntrack_find_get(ctnetlink_parse_zone(cda), &tuple);
	if (!h)
		return -ENOENT;
	ct = nf_ct_tuplehash_to_ctrack(h);
	/* an id pins the request to the entry the client saw (conntrack -D's dump) */
	if (cda[CTA_ID] && nla_get_be32(cda[CTA_ID]) != ct->id) {
		nf_ct_put(ct);
		return -ENOENT;
	}
	nf_ct_delete(ct, nfnl_portid(info), nfnl_report(info));
	nf_ct_put(ct);
	ctnetlink_deliver_events();
	return 0;
}

/* ---- IPCTNL_MSG_CT_NEW: the parts an update may change ---- */

static const struct nla_policy protoinfo_policy[CTA_PROTOINFO_MAX + 1] = {
	[CTA_PROTOINFO_TCP]	= { .type = NLA_NESTED },
	[CTA_PROTOINFO_DCCP]	= { .type = NLA_NESTED },
	[CTA_PROTOINFO_SCTP]	= { .type = NLA_NESTED },
};

static const struct nla_policy help_nla_policy[CTA_HELP_MAX + 1] = {
	[CTA_HELP_NAME]		= { .type = NLA_NUL_STRING, .len = 15 },
};

static const struct nla_policy seqadj_policy[CTA_SEQADJ_MAX + 1] = {
	[CTA_SEQADJ_CORRECTION_POS]	= { .type = NLA_U32 },
	[CTA_SEQADJ_OFFSET_BEFORE]	= { .type = NLA_U32 },
	[CTA_SEQADJ_OFFSET_AFTER]	= { .type = NLA_U32 },
};

static const struct nla_policy synproxy_policy[CTA_SYNPROXY_MAX + 1] = {
	[CTA_SYNPROXY_ISN]	= { .type = NLA_U32 },
	[CTA_SYNPROXY_ITS]	= { .type = NLA_U32 },
	[CTA_SYNPROXY_TSOFF]	= { .type = NLA_U32 },
};

/*
 * Status bits a client may set or clear: not the ones conntrack owns
 * (confirmed, dying, NAT, offload...).  SEEN_REPLY and ASSURED, once set,
 * stay.
 */
static int ctnetlink_change_status(struct nf_conn *ct, const struct nlattr * const cda[])
{
	const unsigned long changeable = ((1UL << __IPS_MAX_BIT) - 1) & ~IPS_UNCHANGEABLE_MASK;
	unsigned long status = nla_get_be32(cda[CTA_STATUS]);
	unsigned long diff = READ_ONCE(ct->status) ^ status;

	if ((diff & IPS_SEEN_REPLY) && !(status & IPS_SEEN_REPLY))
		return -EBUSY;
	if ((diff & IPS_ASSURED) && !(status & IPS_ASSURED))
		return -EBUSY;
	__atomic_fetch_or(&ct->status, status & changeable, __ATOMIC_RELAXED);
	__atomic_fetch_and(&ct->status, ~(~status & changeable), __ATOMIC_RELAXED);
	return 0;
}

static void ctnetlink_set_timeout(struct nf_conn *ct, u32 seconds)
{
	nf_ct_refresh(ct, min((u64)seconds * 1000, CTNL_TIMEOUT_MAX_MS));
}

static int ctnetlink_change_timeout(struct nf_conn *ct, const struct nlattr * const cda[])
{
	if (test_bit(IPS_FIXED_TIMEOUT_BIT, &ct->status))
		return -EPERM;
	ctnetlink_set_timeout(ct, nla_get_be32(cda[CTA_TIMEOUT]));
	return nf_ct_is_dying(ct) ? -ETIME : 0;
}

/* the bits CTA_MARK_MASK selects become CTA_MARK's; without a mask, all */
static void ctnetlink_change_mark(struct nf_conn *ct, const struct nlattr * const cda[])
{
	u32 keep = cda[CTA_MARK_MASK] ? ~nla_get_be32(cda[CTA_MARK_MASK]) : 0;
	u32 mark = (READ_ONCE(ct->mark) & keep) ^ nla_get_be32(cda[CTA_MARK]);

	if (mark != READ_ONCE(ct->mark))
		WRITE_ONCE(ct->mark, mark);
}

static int ctnetlink_change_protoinfo(struct nf_conn *ct, const struct nlattr * const cda[])
{
	const struct ctnl_l4proto *l4proto = ctnl_l4proto_find(nf_ct_protonum(ct));
	struct nlattr *tb[CTA_PROTOINFO_MAX + 1];
	int err;

	err = nla_parse_nested(tb, CTA_PROTOINFO_MAX, cda[CTA_PROTOINFO], protoinfo_policy, NULL);
	if (err < 0)
		return err;
	return l4proto->from_nlattr ? l4proto->from_nlattr(tb, ct) : 0;
}

/*
 * We run no helpers: the kernel answers a helper it does not know with
 * -EOPNOTSUPP, and "" (no helper) is what every connection has already.
 */
static int ctnetlink_parse_help(const struct nlattr * const cda[], const char **name)
{
	struct nlattr *tb[CTA_HELP_MAX + 1];
	int err;

	err = nla_parse_nested(tb, CTA_HELP_MAX, cda[CTA_HELP], help_nla_policy, NULL);
	if (err < 0)
		return err;
	if (!tb[CTA_HELP_NAME])
		return -EINVAL;
	*name = nla_data(tb[CTA_HELP_NAME]);
	return 0;
}

static int ctnetlink_change_helper(const struct nlattr * const cda[], bool create)
{
	const char *name;
	int err;

	err = ctnetlink_parse_help(cda, &name);
	if (err < 0)
		return err;
	return !create && !*name ? 0 : -EOPNOTSUPP;
}

/*
 * Sequence adjustment and synproxy state exist in Linux only for entries
 * that ctnetlink created; we keep neither, but refuse what Linux refuses
 * (an incomplete attribute) on create and ignore them otherwise.
 */
static int ctnetlink_check_seq_adj(const struct nlattr *attr)
{
	struct nlattr *tb[CTA_SEQADJ_MAX + 1];
	int err;

	if (!attr)
		return 0;
	err = nla_parse_nested(tb, CTA_SEQADJ_MAX, attr, seqadj_policy, NULL);
	if (err < 0)
		return err;
	if (!tb[CTA_SEQADJ_CORRECTION_POS] || !tb[CTA_SEQADJ_OFFSET_BEFORE] ||
	    !tb[CTA_SEQADJ_OFFSET_AFTER])
		return -EINVAL;
	return 0;
}

static int ctnetlink_check_synproxy(const struct nlattr *attr)
{
	struct nlattr *tb[CTA_SYNPROXY_MAX + 1];
	int err;

	if (!attr)
		return 0;
	err = nla_parse_nested(tb, CTA_SYNPROXY_MAX, attr, synproxy_policy, NULL);
	if (err < 0)
		return err;
	if (!tb[CTA_SYNPROXY_ISN] || !tb[CTA_SYNPROXY_ITS] || !tb[CTA_SYNPROXY_TSOFF])
		return -EINVAL;
	return 0;
}

/* (old & ~mask) ^ new per word, as Linux's connlabels; words not sent become 0 */
static bool ctnetlink_replace_labels(struct nf_conn *ct, const u32 *data, const u32 *mask,
				     unsigned int words)
{
	bool changed = false;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ct->labels); i++) {
		u32 keep = i < words && mask ? ~mask[i] : 0;
		u32 new = i < words ? data[i] : 0;
		u32 old = __atomic_load_n(&ct->labels[i], __ATOMIC_RELAXED);

		/* a datapath thread may set labels at the same moment (act_ct) */
		while (((old & keep) ^ new) != old) {
			if (__atomic_compare_exchange_n(&ct->labels[i], &old, (old & keep) ^ new,
							false, __ATOMIC_RELAXED,
							__ATOMIC_RELAXED)) {
				changed = true;
				break;
			}
		}
	}
	return changed;
}

static int ctnetlink_attach_labels(struct nf_conn *ct, const struct nlattr * const cda[])
{
	size_t len = nla_len(cda[CTA_LABELS]);
	u32 data[NF_CT_LABELS_MAX_SIZE / sizeof(u32)] = {};
	u32 mask[NF_CT_LABELS_MAX_SIZE / sizeof(u32)];

	if (len % sizeof(u32))
		return -EINVAL;
	memcpy(data, nla_data(cda[CTA_LABELS]), len);
	if (cda[CTA_LABELS_MASK]) {
		if (!nla_len(cda[CTA_LABELS_MASK]) || nla_len(cda[CTA_LABELS_MASK]) != (int)len)
			return -EINVAL;
		memcpy(mask, nla_data(cda[CTA_LABELS_MASK]), len);
	}
	if (ctnetlink_replace_labels(ct, data, cda[CTA_LABELS_MASK] ? mask : NULL,
				     len / sizeof(u32)))
		nf_conntrack_event_cache(IPCT_LABEL, ct);
	return 0;
}

/* an update of an existing entry: each part in the order Linux applies them */
static int ctnetlink_change_conntrack(struct nf_conn *ct, const struct nlattr * const cda[],
				      struct netlink_ext_ack *extack)
{
	int err;

	/* NAT and the master are decided once, when the entry is made */
	if (cda[CTA_NAT_SRC] || cda[CTA_NAT_DST] || cda[CTA_TUPLE_MASTER])
		return -EOPNOTSUPP;
	if (cda[CTA_HELP]) {
		err = ctnetlink_change_helper(cda, false);
		if (err < 0)
			return err;
	}
	if (cda[CTA_TIMEOUT]) {
		err = ctnetlink_change_timeout(ct, cda);
		if (err < 0)
			return err;
	}
	if (cda[CTA_STATUS]) {
		err = ctnetlink_change_status(ct, cda);
		if (err < 0)
			return err;
	}
	if (cda[CTA_PROTOINFO]) {
		err = ctnetlink_change_protoinfo(ct, cda);
		if (err < 0)
			return err;
	}
	if (cda[CTA_MARK])
		ctnetlink_change_mark(ct, cda);
	if (cda[CTA_LABELS])
		return ctnetlink_attach_labels(ct, cda);
	return 0;
}

/* ---- IPCTNL_MSG_CT_NEW: creating ---- */

static const struct nla_policy nat_nla_policy[CTA_NAT_MAX + 1] = {
	[CTA_NAT_V4_MINIP]	= { .type = NLA_U32 },
	[CTA_NAT_V4_MAXIP]	= { .type = NLA_U32 },
	[CTA_NAT_V6_MINIP]	= { .len = sizeof(struct in6_addr) },
	[CTA_NAT_V6_MAXIP]	= { .len = sizeof(struct in6_addr) },
	[CTA_NAT_PROTO]		= { .type = NLA_NESTED },
};

static const struct nla_policy protonat_nla_policy[CTA_PROTONAT_MAX + 1] = {
	[CTA_PROTONAT_PORT_MIN]	= { .type = NLA_U16 },
	[CTA_PROTONAT_PORT_MAX]	= { .type = NLA_U16 },
};

static int ctnetlink_parse_nat_proto(const struct nlattr *attr, struct nf_nat_range2 *range)
{
	struct nlattr *tb[CTA_PROTONAT_MAX + 1];
	int err;

	err = nla_parse_nested(tb, CTA_PROTONAT_MAX, attr, protonat_nla_policy, NULL);
	if (err < 0)
		return err;
	if (tb[CTA_PROTONAT_PORT_MIN]) {
		range->min_proto.all = nla_get_u16(tb[CTA_PROTONAT_PORT_MIN]);
		range->max_proto.all = tb[CTA_PROTONAT_PORT_MAX] ?
				       nla_get_u16(tb[CTA_PROTONAT_PORT_MAX]) :
				       range->min_proto.all;
		range->flags |= NF_NAT_RANGE_PROTO_SPECIFIED;
	}
	return 0;
}

/* CTA_NAT_*: an address range of the connection's family, maybe ports */
static int ctnetlink_parse_nat(const struct nlattr *attr, const struct nf_conn *ct,
			       struct nf_nat_range2 *range)
{
	bool v4 = nf_ct_l3num(ct) == NFPROTO_IPV4;
	size_t len = v4 ? 4 : 16;
	struct nlattr *tb[CTA_NAT_MAX + 1];
	const struct nlattr *min_ip, *max_ip;
	int err;

	memset(range, 0, sizeof(*range));
	err = nla_parse_nested(tb, CTA_NAT_MAX, attr, nat_nla_policy, NULL);
	if (err < 0)
		return err;
	min_ip = tb[v4 ? CTA_NAT_V4_MINIP : CTA_NAT_V6_MINIP];
	max_ip = tb[v4 ? CTA_NAT_V4_MAXIP : CTA_NAT_V6_MAXIP];
	if (min_ip) {
		memcpy(&range->min_addr, nla_data(min_ip), len);
		range->flags |= NF_NAT_RANGE_MAP_IPS;
	}
	memcpy(&range->max_addr, max_ip ? nla_data(max_ip) : (const void *)&range->min_addr, len);
	if (!tb[CTA_NAT_PROTO])
		return 0;
	return ctnetlink_parse_nat_proto(tb[CTA_NAT_PROTO], range);
}

/* one manip type: the given mapping, or the identity when none is given */
static int ctnetlink_setup_nat_one(struct nf_conn *ct, enum nf_nat_manip_type manip,
				   const struct nlattr *attr)
{
	struct nf_nat_range2 range;
	int err;

	if (!attr)
		return nf_nat_alloc_null_binding(ct, manip) == NF_DROP ? -ENOMEM : 0;
	err = ctnetlink_parse_nat(attr, ct, &range);
	if (err < 0)
		return err;
	return nf_nat_setup_info(ct, &range, manip) == NF_DROP ? -ENOMEM : 0;
}

static int ctnetlink_setup_nat(struct nf_conn *ct, const struct nlattr * const cda[])
{
	int err;

	if (!cda[CTA_NAT_DST] && !cda[CTA_NAT_SRC])
		return 0;
	err = ctnetlink_setup_nat_one(ct, NF_NAT_MANIP_DST, cda[CTA_NAT_DST]);
	if (err < 0)
		return err;
	return ctnetlink_setup_nat_one(ct, NF_NAT_MANIP_SRC, cda[CTA_NAT_SRC]);
}

/* fill a new, unconfirmed entry from the request, before anybody can see it */
static int ctnetlink_fill_new(struct nf_conn *ct, const struct nlattr * const cda[],
			      struct netlink_ext_ack *extack)
{
	int err;

	if (cda[CTA_HELP]) {
		err = ctnetlink_change_helper(cda, true);
		if (err < 0)
			return err;
	}
	err = ctnetlink_setup_nat(ct, cda);
	if (err < 0)
		return err;
	ctnetlink_set_timeout(ct, nla_get_be32(cda[CTA_TIMEOUT]));
	if (cda[CTA_STATUS]) {
		err = ctnetlink_change_status(ct, cda);
		if (err < 0)
			return err;
	}
	err = ctnetlink_check_seq_adj(cda[CTA_SEQ_ADJ_ORIG]);
	if (!err)
		err = ctnetlink_check_seq_adj(cda[CTA_SEQ_ADJ_REPLY]);
	if (err < 0)
		return err;
	memset(&ct->proto, 0, sizeof(ct->proto));
	if (cda[CTA_PROTOINFO]) {
		err = ctnetlink_change_protoinfo(ct, cda);
		if (err < 0)
			return err;
	}
	err = ctnetlink_check_synproxy(cda[CTA_SYNPROXY]);
	if (err < 0)
		return err;
	if (cda[CTA_MARK])
		ctnetlink_change_mark(ct, cda);
	if (cda[CTA_TUPLE_MASTER]) {
		NL_SET_ERR_MSG_ATTR(extack, cda[CTA_TUPLE_MASTER],
				    "Expectations (a master connection) are not supported");
		return -EOPNOTSUPP;
	}
	return 0;
}

static struct nf_conn *ctnetlink_create_conntrack(const struct nlattr * const cda[], u16 zone,
						  const struct nf_conntrack_tuple *otuple,
						  const struct nf_conntrack_tuple *rtuple,
						  struct netlink_ext_ack *extack)
{
	struct nf_conn *ct;
	int err;

	if (!cda[CTA_TIMEOUT])
		return ERR_PTR(-EINVAL);
	ct = nf_conntrack_alloc(zone, otuple, rtuple);
	if (!ct)
		return ERR_PTR(-ENOMEM);
	err = ctnetlink_fill_new(ct, cda, extack);
	if (!err)
		err = nf_conntrack_hash_check_insert(ct);
	if (err < 0) {
		nf_ct_put(ct);
		return ERR_PTR(err);
	}
	return ct;
}

/* what a client-made entry reports: everything it was given */
#define CTNL_NEW_EVENTS	(1 << IPCT_REPLY | 1 << IPCT_ASSURED | 1 << IPCT_HELPER | \
			 1 << IPCT_PROTOINFO | 1 << IPCT_SEQADJ | 1 << IPCT_MARK | \
			 1 << IPCT_SYNPROXY)

static int ctnetlink_new_entry(const struct nfnl_info *info, const struct nlattr * const cda[],
			       u16 zone, const struct nf_conntrack_tuple *otuple,
			       const struct nf_conntrack_tuple *rtuple)
{
	unsigned int events = 1 << IPCT_NEW;
	struct nf_conn *ct;

	if (!cda[CTA_TUPLE_ORIG] || !cda[CTA_TUPLE_REPLY])
		return -EINVAL;
	if (otuple->dst.protonum != rtuple->dst.protonum)
		return -EINVAL;
	ct = ctnetlink_create_conntrack(cda, zone, otuple, rtuple, info->extack);
	if (IS_ERR(ct))
		return PTR_ERR(ct);
	/* as in Linux, labels come once the entry is in the table, and a bad one is ignored */
	if (cda[CTA_LABELS] && !ctnetlink_attach_labels(ct, cda))
		events |= 1 << IPCT_LABEL;
	nf_conntrack_eventmask_report(CTNL_NEW_EVENTS | events, ct, nfnl_portid(info),
				      nfnl_report(info));
	nf_ct_put(ct);
	ctnetlink_deliver_events();
	return 0;
}

static int ctnetlink_new_conntrack(const struct nfnl_info *info,
				   const struct nlattr * const cda[])
{
	struct nf_conntrack_tuple otuple, rtuple;
	struct nf_conntrack_tuple_hash *h = NULL;
	u16 zone = ctnetlink_parse_zone(cda);
	struct nf_conn *ct;
	int err;

	if (cda[CTA_TUPLE_ORIG]) {
		err = ctnetlink_parse_tuple(info, cda, &otuple, CTA_TUPLE_ORIG);
		if (err < 0)
			return err;
	}
	if (cda[CTA_TUPLE_REPLY]) {
		err = ctnetlink_parse_tuple(info, cda, &rtuple, CTA_TUPLE_REPLY);
		if (err < 0)
			return err;
	}
	if (cda[CTA_TUPLE_ORIG])
		h = nf_conntrack_find_get(zone, &otuple);
	else if (cda[CTA_TUPLE_REPLY])
		h = nf_conntrack_find_get(zone, &rtuple);

	if (!h) {
		if (!(info->nlh->nlmsg_flags & NLM_F_CREATE))
			return -ENOENT;
		return ctnetlink_new_entry(info, cda, zone, &otuple, &rtuple);
	}
	ct = nf_ct_tuplehash_to_ctrack(h);
	err = -EEXIST;
	if (!(info->nlh->nlmsg_flags & NLM_F_EXCL)) {
		err = ctnetlink_change_conntrack(ct, cda, info->extack);
		if (!err)
			nf_conntrack_eventmask_report(CTNL_NEW_EVENTS | 1 << IPCT_LABEL, ct,
						      nfnl_portid(info), nfnl_report(info));
	}
	nf_ct_put(ct);
	ctnetlink_deliver_events();
	return err;
}

/* ---- IPCTNL_MSG_CT_GET_STATS_CPU, CT_GET_STATS ---- */

/*
 * Linux reports each possible CPU; our counters live in per-thread slots
 * (linux/percpu.h), given out in order as threads first count.  We report
 * slots 0 up to the last one that has counted anything, and always cpu=0,
 * so `conntrack -S` shows one line per counting thread (typically the
 * control thread and each datapath thread) and never 64 lines of zeros.
 */
static int ctnetlink_stat_cpus(void)
{
	static const struct ip_conntrack_stat zero;
	int cpu, last = 0;

	for (cpu = 0; cpu < NR_CPUS; cpu++)
		if (memcmp(&nf_ct_stat_percpu[cpu], &zero, sizeof(zero)))
			last = cpu;
	return last + 1;
}

static void ctnetlink_ct_stat_cpu_fill_info(struct nl_out *out, u32 seq, u16 cpu,
					    const struct ip_conntrack_stat *st)
{
	struct nlmsghdr *nlh;

	nlh = nfnl_msg_put(out, seq,
			   nfnl_msg_type(NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_GET_STATS_CPU),
			   out->portid ? NLM_F_MULTI : 0, AF_UNSPEC, NFNETLINK_V0, cpu);
	if (!nlh)
		return;
	/* 32-bit on the wire: the kernel's counters are unsigned int */
	nla_put_be32(nlh, CTA_STATS_FOUND, READ_ONCE(st->found));
	nla_put_be32(nlh, CTA_STATS_INVALID, READ_ONCE(st->invalid));
	nla_put_be32(nlh, CTA_STATS_INSERT, READ_ONCE(st->insert));
	nla_put_be32(nlh, CTA_STATS_INSERT_FAILED, READ_ONCE(st->insert_failed));
	nla_put_be32(nlh, CTA_STATS_DROP, READ_ONCE(st->drop));
	nla_put_be32(nlh, CTA_STATS_EARLY_DROP, READ_ONCE(st->early_drop));
	nla_put_be32(nlh, CTA_STATS_ERROR, READ_ONCE(st->error));
	nla_put_be32(nlh, CTA_STATS_SEARCH_RESTART, READ_ONCE(st->search_restart));
	nla_put_be32(nlh, CTA_STATS_CLASH_RESOLVE, READ_ONCE(st->clash_resolve));
	nla_put_be32(nlh, CTA_STATS_CHAIN_TOOLONG, READ_ONCE(st->chaintoolong));
	nl_out_end(out, nlh);
}

static int ctnetlink_stat_ct_cpu(const struct nfnl_info *info, const struct nlattr * const cda[])
{
	int cpu, cpus = ctnetlink_stat_cpus();

	if (!(info->nlh->nlmsg_flags & NLM_F_DUMP))
		return 0;
	for (cpu = 0; cpu < cpus; cpu++)
		ctnetlink_ct_stat_cpu_fill_info(info->out, info->nlh->nlmsg_seq, cpu,
						&nf_ct_stat_percpu[cpu]);
	return 0;
}

static int ctnetlink_stat_ct(const struct nfnl_info *info, const struct nlattr * const cda[])
{
	struct nl_out *out = info->out;
	struct nlmsghdr *nlh;

	nlh = nfnl_msg_put(out, info->nlh->nlmsg_seq,
			   nfnl_msg_type(NFNL_SUBSYS_CTNETLINK, IPCTNL_MSG_CT_GET_STATS),
			   out->portid ? NLM_F_MULTI : 0, AF_UNSPEC, NFNETLINK_V0, 0);
	if (!nlh)
		return -ENOMEM;
	nla_put_be32(nlh, CTA_STATS_GLOBAL_ENTRIES, nf_conntrack_count());
	nla_put_be32(nlh, CTA_STATS_GLOBAL_MAX_ENTRIES, nf_ct_net.max);
	nl_out_end(out, nlh);
	return 0;
}

/* ---- events: NFNLGRP_CONNTRACK_NEW / UPDATE / DESTROY ---- */

static unsigned int ctnetlink_event_group(unsigned int events, u8 *type, u16 *flags)
{
	*flags = 0;
	*type = IPCTNL_MSG_CT_NEW;
	if (events & 1 << IPCT_DESTROY) {
		*type = IPCTNL_MSG_CT_DELETE;
		return NFNLGRP_CONNTRACK_DESTROY;
	}
	if (events & (1 << IPCT_NEW | 1 << IPCT_RELATED)) {
		*flags = NLM_F_CREATE | NLM_F_EXCL;
		return NFNLGRP_CONNTRACK_NEW;
	}
	return events ? NFNLGRP_CONNTRACK_UPDATE : NFNLGRP_NONE;
}

static bool ctnetlink_has_listeners(unsigned int events)
{
	unsigned int group;
	u16 flags;
	u8 type;

	group = ctnetlink_event_group(events, &type, &flags);
	return group != NFNLGRP_NONE && nfnetlink_has_listeners(group);
}

/*
 * A DESTROY tells how the connection ended: timeout if any was left,
 * counters, final TCP state.  NEW and UPDATE tell the timeout and what the
 * event mask says changed.  The mark goes in when it changed or is not 0.
 */
static void ctnetlink_fill_event(struct nlmsghdr *nlh, unsigned int events, struct nf_conn *ct)
{
	ctnetlink_dump_tuples(nlh, ct);
	nla_put_be32(nlh, CTA_ID, ct->id);
	nla_put_be32(nlh, CTA_STATUS, READ_ONCE(ct->status));
	if (events & 1 << IPCT_DESTROY) {
		ctnetlink_dump_timeout(nlh, ct, true);
		ctnetlink_dump_acct(nlh, ct, false);
		ctnetlink_dump_protoinfo(nlh, ct, true);
	} else {
		ctnetlink_dump_timeout(nlh, ct, false);
		if (events & 1 << IPCT_PROTOINFO)
			ctnetlink_dump_protoinfo(nlh, ct, false);
		if (events & 1 << IPCT_LABEL)
			ctnetlink_dump_labels(nlh, ct);
	}
	if ((events & 1 << IPCT_MARK) || READ_ONCE(ct->mark))
		nla_put_be32(nlh, CTA_MARK, READ_ONCE(ct->mark));
}

static int ctnetlink_conntrack_event(unsigned int events, const struct nf_ct_event *item)
{
	struct nlmsghdr *nlh;
	unsigned int group;
	struct nl_out ev;
	u16 flags;
	u8 type;

	group = ctnetlink_event_group(events, &type, &flags);
	if (group == NFNLGRP_NONE || !nfnetlink_has_listeners(group))
		return 0;
	/* the requester's port, so that conntrack -E can say [USERSPACE] */
	nl_out_init(&ev, item->portid);
	nlh = nfnl_msg_put(&ev, 0, nfnl_msg_type(NFNL_SUBSYS_CTNETLINK, type), flags,
			   nf_ct_l3num(item->ct), NFNETLINK_V0, 0);
	if (nlh) {
		ctnetlink_fill_event(nlh, events, item->ct);
		nl_out_end(&ev, nlh);
		nfnetlink_send(&ev, group);
	}
	nl_out_free(&ev);
	return nlh ? 0 : -ENOBUFS;
}

static const struct nf_ct_event_notifier ctnl_notifier = {
	.ct_event = ctnetlink_conntrack_event,
	.has_listeners = ctnetlink_has_listeners,
};

/*
 * ---- NFNL_SUBSYS_CTNETLINK_EXP: expectations ----
 *
 * No helper creates expectations here, so the table is always empty; the
 * subsystem answers as Linux does with an empty one (`conntrack -L expect`
 * lists none, -F expect succeeds, a lookup finds nothing) and refuses to
 * create one.
 */

static const struct nla_policy exp_nla_policy[CTA_EXPECT_MAX + 1] = {
	[CTA_EXPECT_MASTER]	= { .type = NLA_NESTED },
	[CTA_EXPECT_TUPLE]	= { .type = NLA_NESTED },
	[CTA_EXPECT_MASK]	= { .type = NLA_NESTED },
	[CTA_EXPECT_TIMEOUT]	= { .type = NLA_U32 },
	[CTA_EXPECT_ID]		= { .type = NLA_U32 },
	[CTA_EXPECT_HELP_NAME]	= { .type = NLA_NUL_STRING, .len = 15 },
	[CTA_EXPECT_ZONE]	= { .type = NLA_U16 },
	[CTA_EXPECT_FLAGS]	= { .type = NLA_U32 },
	[CTA_EXPECT_CLASS]	= { .type = NLA_U32 },
	[CTA_EXPECT_NAT]	= { .type = NLA_NESTED },
	[CTA_EXPECT_FN]		= { .type = NLA_NUL_STRING },
};

/* the master connection an expectation request names, with a reference */
static int ctnetlink_exp_find_master(const struct nfnl_info *info,
				     const struct nlattr * const cda[], struct nf_conn **ct)
{
	struct nf_conntrack_tuple_hash *h;
	struct nf_conntrack_tuple master;
	u16 zone;
	int err;

	zone = cda[CTA_EXPECT_ZONE] ? nla_get_be16(cda[CTA_EXPECT_ZONE]) : NF_CT_DEFAULT_ZONE_ID;
	err = ctnetlink_parse_tuple(info, cda, &master, CTA_EXPECT_MASTER);
	if (err < 0)
		return err;
	h = nf_conntrack_find_get(zone, &master);
	if (!h)
		return -ENOENT;
	*ct = nf_ct_tuplehash_to_ctrack(h);
	return 0;
}

static int ctnetlink_get_expect(const struct nfnl_info *info, const struct nlattr * const cda[])
{
	struct nf_conntrack_tuple tuple;
	struct nf_conn *ct;
	int err;

	if (info->nlh->nlmsg_flags & NLM_F_DUMP) {
		/* a dump of one master's expectations: the master must exist */
		if (!cda[CTA_EXPECT_MASTER])
			return 0;
		err = ctnetlink_exp_find_master(info, cda, &ct);
		if (!err)
			nf_ct_put(ct);
		return err;
	}
	if (cda[CTA_EXPECT_TUPLE])
		err = ctnetlink_parse_tuple(info, cda, &tuple, CTA_EXPECT_TUPLE);
	else if (cda[CTA_EXPECT_MASTER])
		err = ctnetlink_parse_tuple(info, cda, &tuple, CTA_EXPECT_MASTER);
	else
		return -EINVAL;
	return err < 0 ? err : -ENOENT;
}

static int ctnetlink_del_expect(const struct nfnl_info *info, const struct nlattr * const cda[])
{
	struct nf_conntrack_tuple tuple;
	int err;

	/* without a tuple: a flush (of one helper's, or all), always fine */
	if (!cda[CTA_EXPECT_TUPLE])
		return 0;
	err = ctnetlink_parse_tuple(info, cda, &tuple, CTA_EXPECT_TUPLE);
	return err < 0 ? err : -ENOENT;
}

static int ctnetlink_new_expect(const struct nfnl_info *info, const struct nlattr * const cda[])
{
	struct nf_conntrack_tuple tuple;
	struct nf_conn *ct;
	int err;

	if (!cda[CTA_EXPECT_TUPLE] || !cda[CTA_EXPECT_MASK] || !cda[CTA_EXPECT_MASTER])
		return -EINVAL;
	err = ctnetlink_parse_tuple(info, cda, &tuple, CTA_EXPECT_TUPLE);
	if (err < 0)
		return err;
	if (!(info->nlh->nlmsg_flags & NLM_F_CREATE))
		return -ENOENT;
	err = ctnetlink_parse_tuple(info, cda, &tuple, CTA_EXPECT_MASK);
	if (err < 0)
		return err;
	err = ctnetlink_exp_find_master(info, cda, &ct);
	if (err < 0)
		return err;
	nf_ct_put(ct);
	NL_SET_ERR_MSG(info->extack, "Expectations are not supported");
	return -EOPNOTSUPP;
}

/*
 * Linux answers with the CTNETLINK (not _EXP) subsystem in the type; every
 * counter is 0 as nothing is ever expected.  Slots as for CT_GET_STATS_CPU.
 */
static int ctnetlink_exp_stat_cpu(const struct nfnl_info *info,
				  const struct nlattr * const cda[])
{
	int cpu, cpus = ctnetlink_stat_cpus();
	struct nl_out *out = info->out;

	if (!(info->nlh->nlmsg_flags & NLM_F_DUMP))
		return 0;
	for (cpu = 0; cpu < cpus; cpu++) {
		struct nlmsghdr *nlh;

		nlh = nfnl_msg_put(out, info->nlh->nlmsg_seq,
				   nfnl_msg_type(NFNL_SUBSYS_CTNETLINK,
						 IPCTNL_MSG_EXP_GET_STATS_CPU),
				   out->portid ? NLM_F_MULTI : 0, AF_UNSPEC, NFNETLINK_V0, cpu);
		if (!nlh)
			return -ENOMEM;
		nla_put_be32(nlh, CTA_STATS_EXP_NEW, 0);
		nla_put_be32(nlh, CTA_STATS_EXP_CREATE, 0);
		nla_put_be32(nlh, CTA_STATS_EXP_DELETE, 0);
		nl_out_end(out, nlh);
	}
	return 0;
}

static const struct nfnl_callback ctnl_exp_cb[IPCTNL_MSG_EXP_MAX] = {
	[IPCTNL_MSG_EXP_NEW] = {
		.call = ctnetlink_new_expect,
		.attr_count = CTA_EXPECT_MAX, .policy = exp_nla_policy,
	},
	[IPCTNL_MSG_EXP_GET] = {
		.call = ctnetlink_get_expect,
		.attr_count = CTA_EXPECT_MAX, .policy = exp_nla_policy, .dumps = true,
	},
	[IPCTNL_MSG_EXP_DELETE] = {
		.call = ctnetlink_del_expect,
		.attr_count = CTA_EXPECT_MAX, .policy = exp_nla_policy,
	},
	[IPCTNL_MSG_EXP_GET_STATS_CPU] = { .call = ctnetlink_exp_stat_cpu, .dumps = true },
};

static const struct nfnetlink_subsystem ctnl_exp_subsys = {
	.name = "conntrack_expect",
	.subsys_id = NFNL_SUBSYS_CTNETLINK_EXP,
	.cb_count = IPCTNL_MSG_EXP_MAX,
	.cb = ctnl_exp_cb,
};

/* ---- registration ---- */

static const struct nla_policy ct_nla_policy[CTA_MAX + 1] = {
	[CTA_TUPLE_ORIG]	= { .type = NLA_NESTED },
	[CTA_TUPLE_REPLY]	= { .type = NLA_NESTED },
	[CTA_STATUS]		= { .type = NLA_U32 },
	[CTA_PROTOINFO]		= { .type = NLA_NESTED },
	[CTA_HELP]		= { .type = NLA_NESTED },
	[CTA_NAT_SRC]		= { .type = NLA_NESTED },
	[CTA_TIMEOUT]		= { .type = NLA_U32 },
	[CTA_MARK]		= { .type = NLA_U32 },
	[CTA_ID]		= { .type = NLA_U32 },
	[CTA_NAT_DST]		= { .type = NLA_NESTED },
	[CTA_TUPLE_MASTER]	= { .type = NLA_NESTED },
	[CTA_SEQ_ADJ_ORIG]	= { .type = NLA_NESTED },
	[CTA_SEQ_ADJ_REPLY]	= { .type = NLA_NESTED },
	[CTA_ZONE]		= { .type = NLA_U16 },
	[CTA_MARK_MASK]		= { .type = NLA_U32 },
	[CTA_LABELS]		= { .type = NLA_BINARY, .len = NF_CT_LABELS_MAX_SIZE },
	[CTA_LABELS_MASK]	= { .type = NLA_BINARY, .len = NF_CT_LABELS_MAX_SIZE },
	[CTA_FILTER]		= { .type = NLA_NESTED },
	[CTA_STATUS_MASK]	= { .type = NLA_U32 },
};

static const struct nfnl_callback ctnl_cb[IPCTNL_MSG_MAX] = {
	[IPCTNL_MSG_CT_NEW] = {
		.call = ctnetlink_new_conntrack,
		.attr_count = CTA_MAX, .policy = ct_nla_policy,
	},
	[IPCTNL_MSG_CT_GET] = {
		.call = ctnetlink_get_conntrack,
		.attr_count = CTA_MAX, .policy = ct_nla_policy, .dumps = true,
	},
	[IPCTNL_MSG_CT_DELETE] = {
		.call = ctnetlink_del_conntrack,
		.attr_count = CTA_MAX, .policy = ct_nla_policy,
	},
	[IPCTNL_MSG_CT_GET_CTRZERO] = {
		.call = ctnetlink_get_conntrack,
		.attr_count = CTA_MAX, .policy = ct_nla_policy, .dumps = true,
	},
	[IPCTNL_MSG_CT_GET_STATS_CPU] = { .call = ctnetlink_stat_ct_cpu, .dumps = true },
	[IPCTNL_MSG_CT_GET_STATS] = { .call = ctnetlink_stat_ct },
	[IPCTNL_MSG_CT_GET_DYING] = { .call = ctnetlink_get_ct_empty_list, .dumps = true },
	[IPCTNL_MSG_CT_GET_UNCONFIRMED] = { .call = ctnetlink_get_ct_empty_list, .dumps = true },
};

static const struct nfnetlink_subsystem ctnl_subsys = {
	.name = "conntrack",
	.subsys_id = NFNL_SUBSYS_CTNETLINK,
	.cb_count = IPCTNL_MSG_MAX,
	.cb = ctnl_cb,
};

static void ctnetlink_init(void)
{
	if (nfnetlink_subsys_register(&ctnl_subsys) ||
	    nfnetlink_subsys_register(&ctnl_exp_subsys))
		abort();
	nf_conntrack_register_notifier(&ctnl_notifier);
}

module_init(ctnetlink_init);
