// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for connection tracking as packets reach it: act_ct
 * (built from netlink attributes by the real parser), reassembly,
 * conntrack and its trackers, NAT and its checksum rewrites, flower's view
 * of the result, and the garbage collector under a moving clock.
 *
 * The input is a sequence of records, each one frame:
 *   u8 op: bits 0-2 the ct action to run (table below), bit 3 advance the
 *          clock 40 s first, bit 4 run `ct` (zone 0) before the action, as
 *          the seed's chain 0 does before chain 2's `ct commit`
 *   u16 len (little endian), then len bytes of Ethernet frame.
 * Between inputs every connection and held fragment is dropped, so each
 * input starts from an empty table.
 *
 * Seeds: tools/testing/fuzz/corpus/conntrack/ (a handshake, NAT, an ICMP
 * error quoting a NATed flow, fragments), written by
 * tools/testing/fuzz/make_conntrack_seeds.py.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <libmnl/libmnl.h>
#include <linux/pkt_cls.h>
#include <linux/tc_act/tc_ct.h>
#include <linux/netdev.h>
#include <linux/rcupdate.h>
#include <net/act_api.h>
#include <net/pkt_cls.h>
#include <net/flow_dissector.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_defrag.h>
#include <net/netfilter/nf_flow_table.h>

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

#define NR_SETS 8

static struct tcf_exts sets[NR_SETS];
static struct skb_pool pool;
static struct net_device fuzz_dev = { .name = "fuzz0", .ifindex = 7 };

/* one `action ct ...` as tc would send it, parsed by the real tcf_exts_validate() */
static void build_set(int i, u16 ct_action, u16 zone, bool nat4, bool nat6, bool dst)
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
	if (ct_action & TCA_CT_ACT_COMMIT) {
		mnl_attr_put_u32(nlh, TCA_CT_MARK, 5);
		mnl_attr_put_u32(nlh, TCA_CT_MARK_MASK, 0xff);
	}
	if (nat4) {
		mnl_attr_put_u32(nlh, TCA_CT_NAT_IPV4_MIN, htonl(dst ? 0x0a010101 : 0x0a090909));
		mnl_attr_put_u32(nlh, TCA_CT_NAT_IPV4_MAX, htonl(dst ? 0x0a010103 : 0x0a090909));
		/* a tiny port range: clashes and exhaustion come quickly */
		mnl_attr_put_u16(nlh, TCA_CT_NAT_PORT_MIN, htons(1000));
		mnl_attr_put_u16(nlh, TCA_CT_NAT_PORT_MAX, htons(1003));
	}
	if (nat6) {
		struct in6_addr a = { .s6_addr = { 0xfd, [15] = 0x99 } };

		mnl_attr_put(nlh, TCA_CT_NAT_IPV6_MIN, sizeof(a), &a);
		mnl_attr_put(nlh, TCA_CT_NAT_IPV6_MAX, sizeof(a), &a);
	}
	mnl_attr_nest_end(nlh, opts);
	mnl_attr_nest_end(nlh, act);
	mnl_attr_nest_end(nlh, acts);
	tb[TCA_FLOWER_ACT] = acts;
	tcf_exts_init(&sets[i], TCA_FLOWER_ACT, 0);
	if (tcf_exts_validate(NULL, tb, &sets[i], 0, NULL))
		abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	rcu_register_thread();
	jiffies_set_virtual(1000000);
	nf_ct_net.max = 512;		/* early drop happens */
	nf_ct_net.buckets = 1024;	/* every input walks the tables: keep them small */
	if (nf_conntrack_init() || skb_pool_init(&pool, 1024))
		abort();
	skb_local_pool = &pool;
	fuzz_dev.flags = IFF_UP;
	build_set(0, 0, 0, false, false, false);
	build_set(1, TCA_CT_ACT_COMMIT, 0, false, false, false);
	build_set(2, TCA_CT_ACT_COMMIT | TCA_CT_ACT_NAT | TCA_CT_ACT_NAT_SRC, 0, true, false, false);
	build_set(3, TCA_CT_ACT_COMMIT | TCA_CT_ACT_NAT | TCA_CT_ACT_NAT_DST, 0, true, false, true);
	build_set(4, TCA_CT_ACT_NAT, 0, false, false, false);
	build_set(5, TCA_CT_ACT_CLEAR, 0, false, false, false);
	build_set(6, TCA_CT_ACT_COMMIT | TCA_CT_ACT_FORCE, 7, false, false, false);
	build_set(7, TCA_CT_ACT_COMMIT | TCA_CT_ACT_NAT | TCA_CT_ACT_NAT_SRC, 0, false, true, false);
	return 0;
}

static int kill_all(struct nf_conn *ct, void *data)
{
	return 1;
}

static void run_frame(u8 op, const u8 *frame, unsigned int len)
{
	struct tcf_result res;
	struct sk_buff *skb;
	int verdict;

	if (op & 0x08) {
		jiffies_advance(40000);
		nf_conntrack_gc(UINT_MAX);
	}
	skb = alloc_skb(&pool);
	if (!skb)
		abort();		/* the pool leaks: a bug */
	memcpy(skb->data, frame, len);
	skb->len = len;
	skb->dev = &fuzz_dev;
	skb->tc_at_ingress = 1;

	rcu_read_lock();
	verdict = TC_ACT_PIPE;
	if (op & 0x10)
		verdict = tcf_exts_exec(skb, &sets[0], &res);
	if (verdict == TC_ACT_PIPE)
		verdict = tcf_exts_exec(skb, &sets[op & 7], &res);
	/* what flower would see, and the packet as it would leave */
	if (verdict != TC_ACT_STOLEN) {
		const struct fl_flow_key *key = skb_flow_key(skb);
		struct sk_buff *f;

		if (key->ct.ct_state & ~0x7f)
			abort();
		for (f = skb; f; f = f->frag_next)
			if (f->len > SKB_DATA_MAX || f->data < f->head)
				abort();
		kfree_skb(skb);
	}
	rcu_read_unlock();
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	while (size >= 3) {
		u8 op = data[0];
		unsigned int len = data[1] | data[2] << 8;

		data += 3;
		size -= 3;
		if (len > size)
			len = size;
		if (len <= SKB_DATA_MAX)
			run_frame(op, data, len);
		data += len;
		size -= len;
	}
	/* the next input starts from nothing */
	nf_defrag_flush();
	rcu_read_lock();
	nf_ct_iterate(kill_all, NULL, 0, 0);
	rcu_read_unlock();
	/* act_ct's flowtable entries hold their connections until the gc */
	nf_flow_table_gc_run_all();
	if (pool.nfree != pool.size)
		abort();		/* an skb was lost */
	return 0;
}
