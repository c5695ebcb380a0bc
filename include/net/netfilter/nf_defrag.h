/* SPDX-License-Identifier: GPL-2.0 */
/* IPv4/IPv6 reassembly for act_ct (net/netfilter/nf_defrag.c). */
#ifndef _NF_DEFRAG_H
#define _NF_DEFRAG_H

#include <linux/skbuff.h>
#include <linux/percpu.h>

/*
 * Hand skb (network header set, trimmed to the IP packet) to reassembly
 * in zone.  Returns 0 when skb is a whole datagram: it was not a fragment,
 * or it now heads the reassembled datagram (skb->defragged, the other
 * fragments on skb->frag_next); -EINPROGRESS when the queue keeps it; a
 * negative errno for a fragment to drop (the caller frees it).
 */
int nf_ct_defrag(struct sk_buff *skb, u16 zone, u16 family);
/* drop everything this thread holds */
void nf_defrag_flush(void);

struct nf_defrag_stats {
	u64 fragments;		/* fragments seen */
	u64 reassembled;	/* datagrams completed */
	u64 invalid;		/* dropped: overlap, bad length, contradiction */
	u64 evicted;		/* datagrams dropped incomplete: timeout or no room */
};
extern struct nf_defrag_stats nf_defrag_stats_percpu[NR_CPUS];

#endif
