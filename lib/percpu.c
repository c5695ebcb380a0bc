// SPDX-License-Identifier: GPL-2.0
#include <linux/percpu.h>

__thread int percpu_slot = -1;
static int percpu_next;

/* the first counter update of a thread picks its slot */
int percpu_slot_alloc(void)
{
	percpu_slot = __atomic_fetch_add(&percpu_next, 1, __ATOMIC_RELAXED) % NR_CPUS;
	return percpu_slot;
}
