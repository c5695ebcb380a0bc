/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Datapath threads (net/core/datapath.c): each polls its share of the
 * ports' rx queues, takes bursts of up to SKB_BURST frames from its own
 * buffer pool and runs them to completion (port -> eswitch -> representor
 * -> tc -> out port) under rcu_read_lock().  The control plane never runs
 * here.
 *
 * With N threads, every port that has queues (TAP with IFF_MULTI_QUEUE,
 * the generator split by flow) is given N, and thread t polls queue t of
 * each; single-queue ports (pcap, null) go round robin to one thread each.
 * Shared tables are read under RCU; counters are per thread (linux/percpu.h)
 * or atomic.
 */
#ifndef _NET_DATAPATH_H
#define _NET_DATAPATH_H

#include <net/port.h>

#define DP_POOL_SKBS	4096

#define DP_MAX_THREADS	PORT_MAX_QUEUES

struct datapath;

/* nthreads datapath threads over ports (1..DP_MAX_THREADS); NULL on failure */
struct datapath *dp_start(struct port **ports, int nports, unsigned int nthreads);
void dp_stop(struct datapath *dp);
/*
 * For `ctoffload trace`, on the control thread (the datapath started
 * last; -ENODEV without one):
 * dp_call() runs fn(arg) on its first thread between two bursts, with
 * that thread's pool and under rcu_read_lock(), and returns when it has
 * run; dp_pause() holds every thread between bursts (they hold no lock
 * then) until dp_resume().
 */
int dp_call(void (*fn)(void *arg), void *arg);
int dp_pause(void);
void dp_resume(void);
/*
 * One poll round of rx queue `queue` of each port, on the calling thread
 * (benchmarks, tests); returns the frames moved.
 */
int dp_poll_once(struct port **ports, int nports, unsigned int queue, struct skb_pool *pool);

#endif
