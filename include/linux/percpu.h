/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-thread counters, the userspace stand-in for per-cpu data: every
 * thread that updates counters gets a slot (smp_processor_id()), writers
 * touch only their slot, readers sum all slots.  Slots are never reused,
 * so NR_CPUS bounds the threads that count, not the machine's cores.
 */
#ifndef _LINUX_PERCPU_H
#define _LINUX_PERCPU_H

#include <linux/compiler.h>

#define NR_CPUS		64

extern __thread int percpu_slot;
int percpu_slot_alloc(void);

static inline int smp_processor_id(void)
{
	if (unlikely(percpu_slot < 0))
		return percpu_slot_alloc();
	return percpu_slot;
}

#define for_each_possible_cpu(cpu) for ((cpu) = 0; (cpu) < NR_CPUS; (cpu)++)

#endif
