/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A connection's tuple: what identifies one direction of it.  The layout
 * is the kernel's (src manipulable part, dst part with the protocol), 40
 * bytes with no padding; everything but dst.dir is the hash and compare
 * key, and unused address words are zero so IPv4 tuples compare with
 * memcmp.  The zone is not part of the tuple; the table keys on both.
 */
#ifndef _NF_CONNTRACK_TUPLE_H
#define _NF_CONNTRACK_TUPLE_H

#include <netinet/in.h>
#include <string.h>
#include <linux/compiler.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_conntrack_tuple_common.h>
#include <urcu/rculfhash.h>

struct nf_conntrack_man {
	union nf_inet_addr u3;
	union nf_conntrack_man_proto u;
	u16 l3num;			/* NFPROTO_IPV4 / NFPROTO_IPV6 */
};

struct nf_conntrack_tuple {
	struct nf_conntrack_man src;
	struct {
		union nf_inet_addr u3;
		union {
			__be16 all;
			struct { __be16 port; } tcp;
			struct { __be16 port; } udp;
			struct { u8 type, code; } icmp;
		} u;
		u8 protonum;
		u8 dir;			/* not part of the key */
	} dst;
};

/* bytes of the tuple that identify it (all but dst.dir) */
#define NF_CT_TUPLE_KEY_LEN	offsetof(struct nf_conntrack_tuple, dst.dir)

struct nf_conntrack_tuple_hash {
	struct cds_lfht_node hnnode;	/* in nf_conntrack_hash */
	struct nf_conntrack_tuple tuple;
};

static inline bool nf_ct_tuple_equal(const struct nf_conntrack_tuple *t1,
				     const struct nf_conntrack_tuple *t2)
{
	return !memcmp(t1, t2, NF_CT_TUPLE_KEY_LEN);
}

static inline bool nf_ct_tuple_src_equal(const struct nf_conntrack_tuple *t1,
					 const struct nf_conntrack_tuple *t2)
{
	return !memcmp(&t1->src.u3, &t2->src.u3, sizeof(t1->src.u3)) &&
	       t1->src.u.all == t2->src.u.all && t1->src.l3num == t2->src.l3num &&
	       t1->dst.protonum == t2->dst.protonum;
}

static inline bool nf_ct_tuple_dst_equal(const struct nf_conntrack_tuple *t1,
					 const struct nf_conntrack_tuple *t2)
{
	return !memcmp(&t1->dst.u3, &t2->dst.u3, sizeof(t1->dst.u3)) &&
	       t1->dst.u.all == t2->dst.u.all && t1->src.l3num == t2->src.l3num &&
	       t1->dst.protonum == t2->dst.protonum;
}

#define NF_CT_DIRECTION(h) ((enum ip_conntrack_dir)(h)->tuple.dst.dir)

#endif
