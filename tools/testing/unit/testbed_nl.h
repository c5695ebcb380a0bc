/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Netlink requests as ip(8) and tc(8) build them, handed to the real
 * rtnetlink handlers, and the record a capture device keeps of the last
 * frame it sent: what the unit tests that make devices share
 * (test_vxlan.c, and testbed.h's eswitch tests).  Static helpers in a
 * header, each unit test being one .c file.
 */
#ifndef _TOOLS_TESTING_UNIT_TESTBED_NL_H
#define _TOOLS_TESTING_UNIT_TESTBED_NL_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include <libmnl/libmnl.h>
#include <linux/pkt_cls.h>
#include <linux/compiler.h>
#include <linux/netdev.h>
#include <linux/skbuff.h>
#include <net/ip_tunnels.h>
#include <net/netlink.h>
#include <net/rtnetlink.h>

/* the last frame a capture port or device sent, and its tunnel metadata */
struct capture {
	u8 frame[SKB_BUF_SIZE];
	unsigned int len;
	unsigned int count;
	bool has_info;
	struct ip_tunnel_info info;
};

/* ---- netlink requests ---- */

struct req {
	char buf[4096];
	struct nlmsghdr *nlh;
	struct netlink_ext_ack extack;
};

/* one counter of dev_get_stats() */
static __maybe_unused u64 dev_stat(const struct net_device *dev, size_t off)
{
	struct rtnl_link_stats64 s;

	dev_get_stats(dev, &s);
	return *(const u64 *)((const char *)&s + off);
}
#define DEV_STAT(dev, field)	dev_stat(dev, offsetof(struct rtnl_link_stats64, field))

static void *req_init(struct req *r, u16 type, u16 flags, size_t hdrlen)
{
	memset(r, 0, sizeof(*r));
	r->nlh = mnl_nlmsg_put_header(r->buf);
	r->nlh->nlmsg_type = type;
	r->nlh->nlmsg_flags = NLM_F_REQUEST | flags;
	return mnl_nlmsg_put_extra_header(r->nlh, hdrlen);
}

static __maybe_unused int req_send_out(struct req *r, struct nl_out *out)
{
	return rtnetlink_rcv_msg(r->nlh, out, &r->extack);
}

static int req_send(struct req *r)
{
	struct nl_out out;
	int err;

	nl_out_init(&out, 0);
	err = req_send_out(r, &out);
	nl_out_free(&out);
	return err;
}

#define TC_INGRESS_PARENT	TC_H_MAKE(TC_H_CLSACT, TC_H_MIN_INGRESS)

static __maybe_unused void *tc_req(struct req *r, u16 type, u16 flags, struct net_device *dev, u32 parent)
{
	struct tcmsg *t = req_init(r, type, flags, sizeof(*t));

	t->tcm_family = AF_UNSPEC;
	t->tcm_ifindex = dev->ifindex;
	t->tcm_parent = parent;
	return t;
}

/* tc qdisc add dev DEV ingress */
static __maybe_unused void ingress_add(struct net_device *dev)
{
	struct tcmsg *t;
	struct req r;

	t = tc_req(&r, RTM_NEWQDISC, NLM_F_CREATE | NLM_F_EXCL, dev, TC_H_INGRESS);
	t->tcm_handle = TC_H_MAKE(TC_H_INGRESS, 0);
	mnl_attr_put_strz(r.nlh, TCA_KIND, "ingress");
	mnl_attr_nest_end(r.nlh, mnl_attr_nest_start(r.nlh, TCA_OPTIONS));
	assert_int_equal(req_send(&r), 0);
}

struct act_nest {
	struct nlattr *act, *opts;
};

static __maybe_unused struct act_nest act_begin(struct req *r, int *order, const char *kind)
{
	struct act_nest n;

	n.act = mnl_attr_nest_start(r->nlh, ++*order);
	mnl_attr_put_strz(r->nlh, TCA_ACT_KIND, kind);
	n.opts = mnl_attr_nest_start(r->nlh, TCA_ACT_OPTIONS);
	return n;
}

static __maybe_unused void act_end(struct req *r, struct act_nest n)
{
	mnl_attr_nest_end(r->nlh, n.opts);
	mnl_attr_nest_end(r->nlh, n.act);
}

/* an inner Ethernet + IPv4 + UDP frame with 32 bytes of payload */
#define INNER_LEN	(14 + 20 + 8 + 32)

static inline void inner_frame(u8 *p, u16 sport)
{
	static const u8 eth[14] = { 0x24, 0x8a, 0x07, 0xa5, 0x28, 0x02,
				    0x24, 0x8a, 0x07, 0xa5, 0x28, 0x01, 0x08, 0x00 };
	u16 v;
	int i;

	memset(p, 0, INNER_LEN);
	memcpy(p, eth, sizeof(eth));
	p[14] = 0x45;
	v = htons(INNER_LEN - 14);
	memcpy(p + 16, &v, 2);
	p[22] = 64;
	p[23] = IPPROTO_UDP;
	memcpy(p + 26, (u8[]){ 10, 0, 0, 1, 10, 0, 0, 2 }, 8);
	v = htons(sport);
	memcpy(p + 34, &v, 2);
	v = htons(5001);
	memcpy(p + 36, &v, 2);
	v = htons(8 + 32);
	memcpy(p + 38, &v, 2);
	for (i = 0; i < 32; i++)
		p[42 + i] = i;
}

#endif /* _TOOLS_TESTING_UNIT_TESTBED_NL_H */
