// SPDX-License-Identifier: GPL-2.0
/*
 * Per-thread slots for per-cpu data (linux/percpu.h): a thread takes the
 * lowest free slot on its first update and gives it back at exit, so the
 * slots of threads that come and go (workers, tests) are reused.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/percpu.h>

__thread int percpu_slot = -1;
static u32 percpu_used;		/* bit n: slot n has a live thread */
static pthread_key_t percpu_key;
static pthread_once_t percpu_once = PTHREAD_ONCE_INIT;

static void percpu_slot_release(void *arg)
{
	int slot = (int)(long)arg - 1;

	/* release: the next owner sees what this thread wrote in the slot */
	__atomic_fetch_and(&percpu_used, ~(1U << slot), __ATOMIC_RELEASE);
}

static void percpu_key_init(void)
{
	if (pthread_key_create(&percpu_key, percpu_slot_release))
		abort();
}

int percpu_slot_alloc(void)
{
	u32 used = __atomic_load_n(&percpu_used, __ATOMIC_RELAXED);
	int slot;

	BUILD_BUG_ON(NR_CPUS > 32);
	pthread_once(&percpu_once, percpu_key_init);
	do {
		if (used == ~0U) {
			fprintf(stderr, "ctoffloadd: more than %d threads count at once\n", NR_CPUS);
			abort();
		}
		slot = __builtin_ctz(~used);
	} while (!__atomic_compare_exchange_n(&percpu_used, &used, used | (1U << slot), false,
					      __ATOMIC_ACQUIRE, __ATOMIC_RELAXED));
	pthread_setspecific(percpu_key, (void *)(long)(slot + 1));
	percpu_slot = slot;
	return slot;
}

void *__alloc_percpu(size_t stride)
{
	void *p = aligned_alloc(SMP_CACHE_BYTES, NR_CPUS * stride);

	if (p)
		memset(p, 0, NR_CPUS * stride);
	return p;
}

void free_percpu(void __percpu *ptr)
{
	free(ptr);
}
