// SPDX-License-Identifier: GPL-2.0
/*
 * `ctoffload explain`: why a filter or a connection is, or is not, in
 * hardware (include/uapi/ctoffload/ctoffload.h, CTO_MSG_EXPLAIN_*).
 * Answered on the control thread, called from ctoffload_netlink.c's
 * dispatch; each filter or connection is one JSON object in one message.
 *
 * Filters: tcf_block_explain() walks the device's ingress block and each
 * classifier writes its filters (cls_flower.c's fl_explain(): the
 * driver's extack sentence kept with the filter, or tc's own reason); the
 * FTEs come from the device through the describe hook registered here
 * (ctoffload_register_flow_describe(), eswitch.c).
 *
 * Connections: conntrack's table, each with the reason recorded on it as
 * its offload was decided (struct nf_conn's offload_reason: act_ct, the
 * flowtable and its offload worker set it), in the user's words.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/rcupdate.h>
#include <linux/rtnetlink.h>
#include <linux/string_helpers.h>
#include <net/netlink.h>
#include <net/netlink_server.h>
#include <net/rtnetlink.h>
#include <net/sch_generic.h>
#include <net/ctoffload.h>
#include <net/protocol.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_conntrack_l4proto.h>
#include <uapi/ctoffload/ctoffload.h>
#include "ctoffload_explain.h"

/* ---- helpers shared with the classifiers and drivers ---- */

void ctoffload_json_str(FILE *f, const char *s)
{
	char buf[128];

	fputc('"', f);
	while (*s)
		fwrite(buf, 1, string_escape_json(buf, sizeof(buf), &s), f);
	fputc('"', f);
}

static ctoffload_flow_describe_fn *cto_flow_describe_fn;
static void *cto_flow_describe_priv;

void ctoffload_register_flow_describe(ctoffload_flow_describe_fn *fn, void *priv)
{
	cto_flow_describe_fn = fn;
	cto_flow_describe_priv = priv;
}

void ctoffload_flow_describe(unsigned long cookie, FILE *f)
{
	if (cto_flow_describe_fn)
		cto_flow_describe_fn(cookie, f, cto_flow_describe_priv);
	else
		fputs("[]", f);
}

static int cto_explain_put(struct nl_out *out, const struct nlmsghdr *req, u16 type,
			   const char *json, size_t len)
{
	struct nlmsghdr *nlh = nl_out_put(out, req->nlmsg_seq, type, NLM_F_MULTI, 0);

	if (!nlh)
		return -ENOBUFS;
	/* one message holds up to NL_OUT_MSG_MAX bytes: a filter or a connection fits */
	if (len + 1 + 64 > NL_OUT_MSG_MAX) {
		nl_out_cancel(out, nlh);
		return -EMSGSIZE;
	}
	/* a string attribute: the text and its NUL */
	nla_put(nlh, CTO_A_EXPLAIN_TEXT, len + 1, json);
	nl_out_end(out, nlh);
	return 0;
}

/* ---- explain filter ---- */

struct cto_explain_filter_arg {
	struct nl_out *out;
	const struct nlmsghdr *req;
};

static int cto_explain_filter_emit(const char *json, size_t len, void *arg)
{
	struct cto_explain_filter_arg *a = arg;

	return cto_explain_put(a->out, a->req, CTO_MSG_EXPLAIN_FILTER, json, len);
}

int cto_explain_filter(struct nlmsghdr *n, struct nlattr **tb, struct nl_out *out,
		       struct netlink_ext_ack *extack)
{
	struct cto_explain_filter_arg a = { .out = out, .req = n };
	s64 chain = tb[CTO_A_EXPLAIN_CHAIN] ? (s64)nla_get_u32(tb[CTO_A_EXPLAIN_CHAIN]) : -1;
	s64 prio = tb[CTO_A_EXPLAIN_PRIO] ? (s64)nla_get_u32(tb[CTO_A_EXPLAIN_PRIO]) : -1;
	int err;

	if (!tb[CTO_A_EXPLAIN_DEV]) {
		NL_SET_ERR_MSG(extack, "explain filter needs a device");
		return -EINVAL;
	}
	rtnl_lock();
	err = tcf_block_explain(nla_data(tb[CTO_A_EXPLAIN_DEV]), chain, prio,
				cto_explain_filter_emit, &a);
	rtnl_unlock();
	if (err == -ENODEV)
		NL_SET_ERR_MSG_FMT(extack, "Cannot find device \"%s\"",
				   (const char *)nla_data(tb[CTO_A_EXPLAIN_DEV]));
	else if (err == -ENOENT)
		NL_SET_ERR_MSG(extack, "the device has no ingress qdisc: no filters");
	return err;
}

/* ---- explain conn ---- */

/*
 * In hardware: a driver took it and it is still in its flowtable (a
 * torn-down entry's rules only wait for the gc to destroy them).
 */
static bool cto_conn_in_hw(const struct nf_conn *ct)
{
	return test_bit(IPS_HW_OFFLOAD_BIT, &ct->status) && test_bit(IPS_OFFLOAD_BIT, &ct->status);
}

/* the reason recorded on ct, in the user's words; NULL: in hardware */
static const char *cto_conn_reason(const struct nf_conn *ct, char *buf, size_t size)
{
	static const char *const sentences[] = {
		[NF_CT_OFFLOAD_NOT_SEEN]		= "not seen by a ct action",
		[NF_CT_OFFLOAD_TCP_NOT_ESTABLISHED]	= "TCP not yet established",
		[NF_CT_OFFLOAD_TCP_CLOSING]		= "TCP connection closing",
		[NF_CT_OFFLOAD_UDP_NOT_CONFIRMED]	= "UDP not yet confirmed",
		[NF_CT_OFFLOAD_HELPER]			= "connection has a helper",
		[NF_CT_OFFLOAD_DISABLED]		= "flowtable disabled",
		[NF_CT_OFFLOAD_NO_DRIVER]		= "zone has no offloaded ct filter",
		[NF_CT_OFFLOAD_PENDING]			= "waiting for the offload worker",
		[NF_CT_OFFLOAD_HW_FULL]			= "hardware table full",
		[NF_CT_OFFLOAD_QUEUE_FULL]		= "offload queue full",
		[NF_CT_OFFLOAD_RETRY]			= "insert failed and will be retried",
		[NF_CT_OFFLOAD_TEARDOWN]		= "torn down by FIN/RST",
		[NF_CT_OFFLOAD_EXPIRED]			= "flowtable entry expired (idle)",
		[NF_CT_OFFLOAD_HW]			= "no longer in hardware",
	};
	unsigned int r = READ_ONCE(ct->offload_reason);

	if (cto_conn_in_hw(ct))
		return NULL;
	if (r == NF_CT_OFFLOAD_PROTO) {
		u8 proto = nf_ct_protonum(ct);

		if (proto == IPPROTO_ICMP)
			snprintf(buf, size, "protocol not offloadable (icmp)");
		else if (proto == IPPROTO_ICMPV6)
			snprintf(buf, size, "protocol not offloadable (icmpv6)");
		else
			snprintf(buf, size, "protocol not offloadable (%u)", proto);
		return buf;
	}
	if (r < ARRAY_SIZE(sentences) && sentences[r])
		return sentences[r];
	return "unknown";
}

static const char *cto_proto_name(u8 proto, char *buf, size_t size)
{
	const char *name = inet_proto_name(proto);

	if (name)
		return name;
	snprintf(buf, size, "%u", proto);
	return buf;
}

/* "src=A dst=B sport=P dport=Q", as conntrack -L prints a tuple */
static void cto_put_tuple(FILE *f, const struct nf_conntrack_tuple *t)
{
	int af = t->src.l3num == NFPROTO_IPV6 ? AF_INET6 : AF_INET;
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	char text[2 * INET6_ADDRSTRLEN + 64];

	inet_ntop(af, &t->src.u3, src, sizeof(src));
	inet_ntop(af, &t->dst.u3, dst, sizeof(dst));
	switch (t->dst.protonum) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
		snprintf(text, sizeof(text), "src=%s dst=%s sport=%u dport=%u", src, dst,
			 ntohs(t->src.u.all), ntohs(t->dst.u.all));
		break;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		snprintf(text, sizeof(text), "src=%s dst=%s type=%u code=%u id=%u", src, dst,
			 t->dst.u.icmp.type, t->dst.u.icmp.code, ntohs(t->src.u.icmp.id));
		break;
	default:
		snprintf(text, sizeof(text), "src=%s dst=%s", src, dst);
		break;
	}
	ctoffload_json_str(f, text);
}

struct cto_explain_conn_arg {
	struct nl_out *out;
	const struct nlmsghdr *req;
	struct nlattr **tb;		/* NULL: every connection */
	int err;
};

static bool cto_addr_match(const struct nlattr *attr, const union nf_inet_addr *addr)
{
	return !attr || (nla_len(attr) <= (int)sizeof(*addr) &&
			 !memcmp(nla_data(attr), addr, nla_len(attr)));
}

static bool cto_conn_match(struct nlattr **tb, const struct nf_conn *ct)
{
	const struct nf_conntrack_tuple *t = nf_ct_tuple(ct, IP_CT_DIR_ORIGINAL);

	if (!tb)
		return true;
	if (tb[CTO_A_FT_ZONE] && nla_get_u16(tb[CTO_A_FT_ZONE]) != nf_ct_zone_id(ct))
		return false;
	if (tb[CTO_A_FT_L3PROTO] && nla_get_u8(tb[CTO_A_FT_L3PROTO]) != t->src.l3num)
		return false;
	if (tb[CTO_A_FT_L4PROTO] && nla_get_u8(tb[CTO_A_FT_L4PROTO]) != t->dst.protonum)
		return false;
	if (!cto_addr_match(tb[CTO_A_FT_ORIG_SRC], &t->src.u3) ||
	    !cto_addr_match(tb[CTO_A_FT_ORIG_DST], &t->dst.u3))
		return false;
	/* ports in network order, as the flowtable dump gives them */
	if (tb[CTO_A_FT_ORIG_SPORT] && nla_get_u16(tb[CTO_A_FT_ORIG_SPORT]) != t->src.u.all)
		return false;
	if (tb[CTO_A_FT_ORIG_DPORT] && nla_get_u16(tb[CTO_A_FT_ORIG_DPORT]) != t->dst.u.all)
		return false;
	return true;
}

static int cto_explain_conn_one(struct nf_conn *ct, void *data)
{
	struct cto_explain_conn_arg *a = data;
	char pbuf[8], rbuf[64];
	const char *reason;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	if (a->err || !cto_conn_match(a->tb, ct))
		return 0;
	f = open_memstream(&text, &len);
	if (!f) {
		a->err = -ENOMEM;
		return 0;
	}
	fprintf(f, "{\"zone\":%u,\"proto\":\"%s\",\"orig\":", nf_ct_zone_id(ct),
		cto_proto_name(nf_ct_protonum(ct), pbuf, sizeof(pbuf)));
	cto_put_tuple(f, nf_ct_tuple(ct, IP_CT_DIR_ORIGINAL));
	fputs(",\"reply\":", f);
	cto_put_tuple(f, nf_ct_tuple(ct, IP_CT_DIR_REPLY));
	fprintf(f, ",\"state\":\"%s\"",
		nf_ct_protonum(ct) == IPPROTO_TCP ?
		tcp_conntrack_names[READ_ONCE(ct->proto.tcp.state)] : "-");
	fprintf(f, ",\"flowtable\":%s,\"hw\":%s",
		test_bit(IPS_OFFLOAD_BIT, &ct->status) ? "true" : "false",
		cto_conn_in_hw(ct) ? "true" : "false");
	reason = cto_conn_reason(ct, rbuf, sizeof(rbuf));
	if (reason) {
		fputs(",\"reason\":", f);
		ctoffload_json_str(f, reason);
	}
	fputc('}', f);
	fclose(f);
	a->err = cto_explain_put(a->out, a->req, CTO_MSG_EXPLAIN_CONN, text, len);
	free(text);
	return 0;
}

int cto_explain_conn(struct nlmsghdr *n, struct nlattr **tb, struct nl_out *out,
		     struct netlink_ext_ack *extack)
{
	struct cto_explain_conn_arg a = { .out = out, .req = n, .tb = tb };

	if ((n->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP)
		a.tb = NULL;
	rcu_read_lock();
	nf_ct_iterate(cto_explain_conn_one, &a, 0, 0);
	rcu_read_unlock();
	return a.err;
}
