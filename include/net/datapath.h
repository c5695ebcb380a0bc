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
/*
 * For `ctoffload trace`, on the control thread (the datapath thread
 * started last; -ENODEV without one):
 * dp_call() runs fn(arg) on the datapath thread between two bursts, with
 * its pool and under rcu_read_lock(), and returns when it has run;
 * dp_pause() holds the thread between bursts (it holds no lock then)
 * until dp_resume().
 */
int dp_call(void (*fn)(void *arg), void *arg);
int dp_pause(void);
void dp_resume(void);
/* run one poll round on the calling thread (benchmarks, tests); returns frames moved */
int dp_poll_once(struct port **ports, int nports, struct skb_pool *pool);

#endif
