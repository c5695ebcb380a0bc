/* SPDX-License-Identifier: GPL-2.0 */
/*
 * u64_stats_t: a counter with one writer (its thread's per-cpu copy) and
 * readers on other threads.  On 64-bit the kernel needs no seqcount; the
 * accesses are relaxed atomics so that a reader never sees a torn value
 * (and ThreadSanitizer knows the race is meant), which costs plain moves.
 */
#ifndef _LINUX_U64_STATS_SYNC_H
#define _LINUX_U64_STATS_SYNC_H

#include <linux/compiler.h>

typedef struct {
	u64 v;
} u64_stats_t;

static inline u64 u64_stats_read(const u64_stats_t *p)
{
	return __atomic_load_n(&p->v, __ATOMIC_RELAXED);
}

/* the writer's own copy only */
static inline void u64_stats_add(u64_stats_t *p, unsigned long val)
{
	__atomic_store_n(&p->v, __atomic_load_n(&p->v, __ATOMIC_RELAXED) + val,
			 __ATOMIC_RELAXED);
}

static inline void u64_stats_inc(u64_stats_t *p)
{
	u64_stats_add(p, 1);
}

#endif
