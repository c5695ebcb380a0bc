// SPDX-License-Identifier: GPL-2.0
/*
 * Listing a flowtable's entries (`ctoffload flowtable`).  The entries'
 * hash table is private to nf_flow_table_core.c; a connection that has an
 * entry carries IPS_OFFLOAD, and its original tuple is the entry's lookup
 * key, so the walk goes through conntrack and asks the flowtable.
 */
#include <string.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_flow_table.h>

struct nf_flow_dump_arg {
	struct nf_flowtable *ft;
	u16 zone;
	int (*fn)(const struct flow_offload *flow, void *data);
	void *data;
	int ret;
};

/* the original direction's key, as flow_offload_alloc() fills it */
static void nf_flow_dump_tuple(const struct nf_conn *ct, struct flow_offload_tuple *t)
{
	const struct nf_conntrack_tuple *ctt = &ct->tuplehash[IP_CT_DIR_ORIGINAL].tuple;

	memset(t, 0, sizeof(*t));
	t->l3proto = ctt->src.l3num;
	t->l4proto = ctt->dst.protonum;
	if (ctt->src.l3num == NFPROTO_IPV4) {
		t->src_v4 = ctt->src.u3.in;
		t->dst_v4 = ctt->dst.u3.in;
	} else {
		t->src_v6 = ctt->src.u3.in6;
		t->dst_v6 = ctt->dst.u3.in6;
	}
	t->src_port = ctt->src.u.tcp.port;
	t->dst_port = ctt->dst.u.tcp.port;
	t->dir = FLOW_OFFLOAD_DIR_ORIGINAL;
}

static int nf_flow_dump_one(struct nf_conn *ct, void *data)
{
	struct nf_flow_dump_arg *a = data;
	struct flow_offload_tuple_rhash *th;
	struct flow_offload_tuple t;

	if (a->ret || nf_ct_zone_id(ct) != a->zone || !test_bit(IPS_OFFLOAD_BIT, &ct->status))
		return 0;
	if (nf_ct_protonum(ct) != IPPROTO_TCP && nf_ct_protonum(ct) != IPPROTO_UDP)
		return 0;
	nf_flow_dump_tuple(ct, &t);
	th = flow_offload_lookup(a->ft, &t);
	if (th && flow_offload_from_tuplehash(th)->ct == ct)
		a->ret = a->fn(flow_offload_from_tuplehash(th), a->data);
	return 0;
}

int nf_flow_table_for_each(struct nf_flowtable *ft, u16 zone,
			   int (*fn)(const struct flow_offload *flow, void *data), void *data)
{
	struct nf_flow_dump_arg a = { .ft = ft, .zone = zone, .fn = fn, .data = data };

	rcu_read_lock();
	nf_ct_iterate(nf_flow_dump_one, &a, 0, 0);
	rcu_read_unlock();
	return a.ret;
}
