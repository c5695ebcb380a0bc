// SPDX-License-Identifier: GPL-2.0
/*
 * NETLINK_CTOFFLOAD: the daemon's own requests (include/uapi/ctoffload/
 * ctoffload.h), answered on the control thread: sysctls and the clock.
 */
#include <errno.h>
#include <stdio.h>
#include <linux/netlink.h>
#include <linux/init.h>
#include <linux/jiffies.h>
#include <linux/sysctl.h>
#include <net/netlink.h>
#include <net/netlink_server.h>
#include <stdlib.h>
#include <net/netfilter/nf_flow_table.h>
#include <net/tc_act/tc_ct.h>
#include <net/ctoffload.h>
#include <uapi/ctoffload/ctoffload.h>
#include "ctoffload_netlink.h"
#include "ctoffload_explain.h"

static const struct nla_policy cto_policy[CTO_A_MAX + 1] = {
	[CTO_A_SYSCTL_NAME] = { .type = NLA_NUL_STRING, .len = 127 },
	[CTO_A_SYSCTL_VALUE] = { .type = NLA_NUL_STRING, .len = 63 },
	[CTO_A_CLOCK_NOW_MS] = { .type = NLA_U64 },
	[CTO_A_CLOCK_ADVANCE_MS] = { .type = NLA_U64 },
	[CTO_A_CLOCK_VIRTUAL] = { .type = NLA_U8 },
	[CTO_A_STEERING_FORMAT] = { .type = NLA_U8 },
	[CTO_A_TRACE_DEV] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[CTO_A_TRACE_FRAME] = { .type = NLA_BINARY, .len = SKB_DATA_MAX },
	[CTO_A_TRACE_COMMIT] = { .type = NLA_U8 },
	[CTO_A_TRACE_COUNT] = { .type = NLA_U32 },
	[CTO_A_TRACE_KEY] = { .type = NLA_BINARY, .len = sizeof(struct fl_flow_key) },
	[CTO_A_TRACE_MASK] = { .type = NLA_BINARY, .len = sizeof(struct fl_flow_key) },
	[CTO_A_EXPLAIN_DEV] = { .type = NLA_NUL_STRING, .len = IFNAMSIZ - 1 },
	[CTO_A_EXPLAIN_CHAIN] = { .type = NLA_U32 },
	[CTO_A_EXPLAIN_PRIO] = { .type = NLA_U32 },
	[CTO_A_FT_ZONE] = { .type = NLA_U16 },
	[CTO_A_FT_L3PROTO] = { .type = NLA_U8 },
	[CTO_A_FT_L4PROTO] = { .type = NLA_U8 },
	[CTO_A_FT_ORIG_SRC] = { .type = NLA_BINARY, .len = 16 },
	[CTO_A_FT_ORIG_DST] = { .type = NLA_BINARY, .len = 16 },
	[CTO_A_FT_ORIG_SPORT] = { .type = NLA_U16 },
	[CTO_A_FT_ORIG_DPORT] = { .type = NLA_U16 },
};

/* ---- the device's steering dump (ctoffload steering) ---- */

static ctoffload_dump_fn *cto_steering_dump_fn;
static void *cto_steering_dump_priv;

void ctoffload_register_steering_dump(ctoffload_dump_fn *fn, void *priv)
{
	cto_steering_dump_fn = fn;
	cto_steering_dump_priv = priv;
}

#define CTO_TEXT_PIECE	8192

int cto_put_text(struct nlmsghdr *n, struct nl_out *out, int msgtype, int attr,
		 const char *text, size_t len)
{
	size_t off;

	for (off = 0; off < len; off += CTO_TEXT_PIECE) {
		struct nlmsghdr *nlh = nl_out_put(out, n->nlmsg_seq, msgtype, NLM_F_MULTI, 0);

		if (!nlh)
			return -ENOBUFS;
		nla_put(nlh, attr, min(len - off, (size_t)CTO_TEXT_PIECE), text + off);
		nl_out_end(out, nlh);
	}
	return 0;
}

static int cto_steering(struct nlmsghdr *n, struct nlattr **tb, struct nl_out *out,
			struct netlink_ext_ack *extack)
{
	int format = tb[CTO_A_STEERING_FORMAT] ? nla_get_u8(tb[CTO_A_STEERING_FORMAT]) : 0;
	char *text = NULL;
	size_t len = 0;
	FILE *f;
	int err;

	if (!cto_steering_dump_fn) {
		NL_SET_ERR_MSG(extack, "this daemon has no eswitch");
		return -ENODEV;
	}
	if (format > CTO_STEERING_DOT) {
		NL_SET_ERR_MSG(extack, "unknown steering dump format");
		return -EINVAL;
	}
	f = open_memstream(&text, &len);
	if (!f)
		return -ENOMEM;
	err = cto_steering_dump_fn(f, format, cto_steering_dump_priv);
	fclose(f);
	if (!err)
		err = cto_put_text(n, out, CTO_MSG_STEERING_GET, CTO_A_STEERING_TEXT, text, len);
	free(text);
	return err;
}

/* ---- flowtable entries, every zone's (ctoffload flowtable) ---- */

struct cto_ft_arg {
	struct nl_out *out;
	const struct nlmsghdr *req;
	u16 zone;
};

static void cto_put_ft_tuple(struct nlmsghdr *nlh, const struct flow_offload_tuple *t, int src,
			     int dst, int sport, int dport)
{
	if (t->l3proto == NFPROTO_IPV4) {
		nla_put(nlh, src, sizeof(t->src_v4), &t->src_v4);
		nla_put(nlh, dst, sizeof(t->dst_v4), &t->dst_v4);
	} else {
		nla_put(nlh, src, sizeof(t->src_v6), &t->src_v6);
		nla_put(nlh, dst, sizeof(t->dst_v6), &t->dst_v6);
	}
	nla_put_u16(nlh, sport, t->src_port);
	nla_put_u16(nlh, dport, t->dst_port);
}

static int cto_put_ft_entry(const struct flow_offload *flow, void *data)
{
	const struct flow_offload_tuple *o = &flow->tuplehash[FLOW_OFFLOAD_DIR_ORIGINAL].tuple;
	const struct flow_offload_tuple *r = &flow->tuplehash[FLOW_OFFLOAD_DIR_REPLY].tuple;
	struct cto_ft_arg *a = data;
	s64 left = (s64)(READ_ONCE(flow->timeout) - jiffies_ms());
	struct nlmsghdr *nlh;

	nlh = nl_out_put(a->out, a->req->nlmsg_seq, CTO_MSG_FLOWTABLE_GET, NLM_F_MULTI, 0);
	if (!nlh)
		return -ENOBUFS;
	nla_put_u16(nlh, CTO_A_FT_ZONE, a->zone);
	nla_put_u8(nlh, CTO_A_FT_L3PROTO, o->l3proto);
	nla_put_u8(nlh, CTO_A_FT_L4PROTO, o->l4proto);
	cto_put_ft_tuple(nlh, o, CTO_A_FT_ORIG_SRC, CTO_A_FT_ORIG_DST, CTO_A_FT_ORIG_SPORT,
			 CTO_A_FT_ORIG_DPORT);
	cto_put_ft_tuple(nlh, r, CTO_A_FT_REPLY_SRC, CTO_A_FT_REPLY_DST, CTO_A_FT_REPLY_SPORT,
			 CTO_A_FT_REPLY_DPORT);
	nla_put_u32(nlh, CTO_A_FT_FLAGS, (u32)READ_ONCE(flow->flags));
	/* seconds as conntrack rounds them: a part-second left counts as one */
	nla_put_u32(nlh, CTO_A_FT_TIMEOUT_S, left > 0 ? (u32)((left + 999) / 1000) : 0);
	nl_out_end(a->out, nlh);
	return 0;
}

static int cmp_u16(const void *a, const void *b)
{
	return (int)*(const u16 *)a - (int)*(const u16 *)b;
}

static int cto_flowtable(struct nlmsghdr *n, struct nl_out *out)
{
	static u16 zones[65536];
	struct cto_ft_arg a = { .out = out, .req = n };
	unsigned int i, nz;
	int err;

	/* zones are created and freed by tc on this (the control) thread */
	nz = tcf_ct_zones_get(zones, 65536);
	qsort(zones, nz, sizeof(zones[0]), cmp_u16);
	for (i = 0; i < nz; i++) {
		struct nf_flowtable *ft = tcf_ct_zone_flowtable(zones[i]);

		if (!ft)
			continue;
		a.zone = zones[i];
		err = nf_flow_table_for_each(ft, zones[i], cto_put_ft_entry, &a);
		if (err)
			return err;
	}
	return 0;
}

static void cto_put_sysctl(struct nl_out *out, const struct nlmsghdr *req, const char *name,
			   const char *value)
{
	struct nlmsghdr *nlh = nl_out_put(out, req->nlmsg_seq, CTO_MSG_SYSCTL_GET,
					  req->nlmsg_flags & NLM_F_DUMP ? NLM_F_MULTI : 0, 0);

	if (!nlh)
		return;
	nla_put_string(nlh, CTO_A_SYSCTL_NAME, name);
	nla_put_string(nlh, CTO_A_SYSCTL_VALUE, value);
	nl_out_end(out, nlh);
}

struct cto_dump_arg {
	struct nl_out *out;
	const struct nlmsghdr *req;
};

static int cto_dump_one(const char *name, const char *value, void *arg)
{
	struct cto_dump_arg *d = arg;

	cto_put_sysctl(d->out, d->req, name, value);
	return 0;
}

static int cto_sysctl(struct nlmsghdr *n, struct nlattr **tb, struct nl_out *out,
		      struct netlink_ext_ack *extack)
{
	const char *name = tb[CTO_A_SYSCTL_NAME] ? nla_data(tb[CTO_A_SYSCTL_NAME]) : NULL;
	char value[64];
	int err;

	if (n->nlmsg_type == CTO_MSG_SYSCTL_SET) {
		if (!name || !tb[CTO_A_SYSCTL_VALUE]) {
			NL_SET_ERR_MSG(extack, "sysctl name and value required");
			return -EINVAL;
		}
		err = sysctl_write(name, nla_data(tb[CTO_A_SYSCTL_VALUE]));
		if (err == -ENOENT)
			NL_SET_ERR_MSG_FMT(extack, "cannot stat /proc/sys/%s: No such file or directory", name);
		else if (err == -EPERM)
			NL_SET_ERR_MSG_FMT(extack, "permission denied on key \"%s\"", name);
		else if (err)
			NL_SET_ERR_MSG_FMT(extack, "setting key \"%s\": Invalid argument", name);
		return err;
	}
	if (!name) {
		struct cto_dump_arg d = { .out = out, .req = n };

		return sysctl_for_each(cto_dump_one, &d);
	}
	err = sysctl_read(name, value, sizeof(value));
	if (err) {
		NL_SET_ERR_MSG_FMT(extack, "cannot stat /proc/sys/%s: No such file or directory", name);
		return err;
	}
	cto_put_sysctl(out, n, name, value);
	return 0;
}

static int cto_clock(struct nlmsghdr *n, struct nlattr **tb, struct nl_out *out,
		     struct netlink_ext_ack *extack)
{
	struct nlmsghdr *nlh;

	if (n->nlmsg_type == CTO_MSG_CLOCK_SET) {
		if (tb[CTO_A_CLOCK_VIRTUAL] && nla_get_u8(tb[CTO_A_CLOCK_VIRTUAL]) &&
		    !jiffies_is_virtual())
			jiffies_set_virtual(jiffies_ms());
		if (tb[CTO_A_CLOCK_ADVANCE_MS]) {
			if (!jiffies_is_virtual()) {
				NL_SET_ERR_MSG(extack, "the clock is real time: switch to a virtual clock first");
				return -EPERM;
			}
			jiffies_advance(nla_get_u64(tb[CTO_A_CLOCK_ADVANCE_MS]));
			/*
			 * what the flowtables' once-a-second gc would have done
			 * meanwhile, before anyone looks (conntrack's own entries
			 * expire lazily, on lookup and dump)
			 */
			nf_flow_table_gc_run_all();
		}
		return 0;
	}
	nlh = nl_out_put(out, n->nlmsg_seq, CTO_MSG_CLOCK_GET, 0, 0);
	if (!nlh)
		return -ENOBUFS;
	nla_put_u64_64bit(nlh, CTO_A_CLOCK_NOW_MS, jiffies_ms(), CTO_A_UNSPEC);
	nla_put_u8(nlh, CTO_A_CLOCK_VIRTUAL, jiffies_is_virtual());
	nl_out_end(out, nlh);
	return 0;
}

static int cto_rcv_msg(struct nlmsghdr *n, struct nl_out *out, struct netlink_ext_ack *extack)
{
	struct nlattr *tb[CTO_A_MAX + 1];
	int err;

	err = nlmsg_parse(n, 0, tb, CTO_A_MAX, cto_policy, extack);
	if (err)
		return err;
	switch (n->nlmsg_type) {
	case CTO_MSG_SYSCTL_GET:
	case CTO_MSG_SYSCTL_SET:
		return cto_sysctl(n, tb, out, extack);
	case CTO_MSG_CLOCK_GET:
	case CTO_MSG_CLOCK_SET:
		return cto_clock(n, tb, out, extack);
	case CTO_MSG_FLOWTABLE_GET:
		return cto_flowtable(n, out);
	case CTO_MSG_STEERING_GET:
		return cto_steering(n, tb, out, extack);
	case CTO_MSG_TRACE:
		return cto_trace(n, tb, out, extack);
	case CTO_MSG_TRACE_LIVE:
		return cto_trace_live(n, tb, out, extack);
	case CTO_MSG_TRACE_LIVE_GET:
		return cto_trace_live_get(n, out);
	case CTO_MSG_EXPLAIN_FILTER:
		return cto_explain_filter(n, tb, out, extack);
	case CTO_MSG_EXPLAIN_CONN:
		return cto_explain_conn(n, tb, out, extack);
	default:
		NL_SET_ERR_MSG(extack, "unknown request");
		return -EOPNOTSUPP;
	}
}

static bool cto_is_dump(const struct nlmsghdr *n)
{
	return (n->nlmsg_type == CTO_MSG_SYSCTL_GET && (n->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP) ||
	       n->nlmsg_type == CTO_MSG_EXPLAIN_FILTER || n->nlmsg_type == CTO_MSG_EXPLAIN_CONN ||
	       n->nlmsg_type == CTO_MSG_FLOWTABLE_GET || n->nlmsg_type == CTO_MSG_STEERING_GET ||
	       n->nlmsg_type == CTO_MSG_TRACE || n->nlmsg_type == CTO_MSG_TRACE_LIVE_GET;
}

static void ctoffload_netlink_init(void)
{
	nl_server_register_protocol(NETLINK_CTOFFLOAD, cto_rcv_msg, cto_is_dump);
}
module_init(ctoffload_netlink_init);
