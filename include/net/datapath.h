/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Datapath threads (net/core/datapath.c): each polls its ports, takes
 * bursts of up to SKB_BURST frames from its own buffer pool and runs them
 * to completion (port -> eswitch -> representor -> tc -> out port) under
 * rcu_read_lock().  The control plane never runs here.
 */
#ifndef _NET_DATAPATH_H
#define _NET_DATAPATH_H

#include <net/port.h>

#define DP_POOL_SKBS	4096

struct dp_thread;

struct dp_thread *dp_thread_start(struct port **ports, int nports);
void dp_thread_stop(struct dp_thread *dp);
/* run one poll round on the calling thread (benchmarks, tests); returns frames moved */
int dp_poll_once(struct port **ports, int nports, struct skb_pool *pool);

#endif
