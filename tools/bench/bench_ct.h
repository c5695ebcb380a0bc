/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Set-up steps that ctbench and the concurrency test (test_dp_concurrent)
 * share, on the daemon's own objects: hw-tc-offload on the representors,
 * conntrack flushed, the generator's one-way flows counted as answered.
 * Static helpers in a header: each user is one program.
 */
#ifndef _TOOLS_BENCH_BENCH_CT_H
#define _TOOLS_BENCH_BENCH_CT_H

#include <linux/rcupdate.h>
#include <net/netfilter/nf_conntrack.h>
#include <net/netfilter/nf_flow_table.h>
#include "../../drivers/net/ethernet/mellanox/mlx5/core/eswitch.h"

/* ethtool -K REP hw-tc-offload on|off, for every representor; filters added after */
static inline void bench_set_hw_tc_offload(struct mlx5_eswitch *esw, bool on)
{
	int i;

	rtnl_lock();
	for (i = -1; i < esw->num_vfs; i++) {
		struct net_device *rep = i < 0 ? esw->uplink.rep : esw->vfs[i].rep;

		if (on)
			rep->features |= NETIF_F_HW_TC;
		else
			rep->features &= ~NETIF_F_HW_TC;
	}
	rtnl_unlock();
}

static inline int bench_ct_kill(struct nf_conn *ct, void *data)
{
	return 1;
}

/* the generator sends one way; count its flows as answered (set-up only) */
static inline int bench_ct_mark_replied(struct nf_conn *ct, void *data)
{
	set_bit(IPS_SEEN_REPLY_BIT, &ct->status);
	set_bit(IPS_ASSURED_BIT, &ct->status);
	return 0;
}

/* conntrack -F: no connection left, and no flowtable entry holding one */
static inline void bench_ct_flush_all(void)
{
	rcu_read_lock();
	nf_ct_iterate(bench_ct_kill, NULL, 0, 0);
	rcu_read_unlock();
	nf_flow_table_gc_run_all();
	rcu_barrier();
}

#endif
