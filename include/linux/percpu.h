/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-thread data, the userspace stand-in for per-cpu data: every thread
 * that updates per-cpu data gets a slot (smp_processor_id()) on its first
 * update, writers touch only their slot, readers sum all slots.  A slot is
 * given back when its thread exits and taken by the next thread that
 * counts, which goes on adding to what is there (sums stay exact), so
 * NR_CPUS bounds the threads that count at the same time.
 *
 * alloc_percpu(type) gives NR_CPUS copies of type, each on its own cache
 * lines so that two threads counting never share a line.
 */
#ifndef _LINUX_PERCPU_H
#define _LINUX_PERCPU_H

#include <stddef.h>
#include <linux/compiler.h>
#include <linux/u64_stats_sync.h>

#define NR_CPUS		32

#define __percpu

extern __thread int percpu_slot;
int percpu_slot_alloc(void);

static inline int smp_processor_id(void)
{
	if (unlikely(percpu_slot < 0))
		return percpu_slot_alloc();
	return percpu_slot;
}

#define for_each_possible_cpu(cpu) for ((cpu) = 0; (cpu) < NR_CPUS; (cpu)++)

/* the distance between two threads' copies of *ptr */
#define __percpu_stride(ptr) \
	((sizeof(*(ptr)) + SMP_CACHE_BYTES - 1) & ~(size_t)(SMP_CACHE_BYTES - 1))

void *__alloc_percpu(size_t stride);
void free_percpu(void __percpu *ptr);

#define alloc_percpu(type) \
	((type __percpu *)__alloc_percpu(__percpu_stride((type *)NULL)))
#define per_cpu_ptr(ptr, cpu) \
	((__typeof__(ptr))((char *)(ptr) + (size_t)(cpu) * __percpu_stride(ptr)))
#define this_cpu_ptr(ptr)	per_cpu_ptr(ptr, smp_processor_id())

#endif
