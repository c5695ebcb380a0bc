/* SPDX-License-Identifier: GPL-2.0 */
/* refcount_t: atomic reference counts with the kernel's names. */
#ifndef _LINUX_REFCOUNT_H
#define _LINUX_REFCOUNT_H

#include <linux/compiler.h>

typedef struct { int refs; } refcount_t;

static inline void refcount_set(refcount_t *r, int n) { __atomic_store_n(&r->refs, n, __ATOMIC_RELAXED); }
static inline int refcount_read(const refcount_t *r) { return __atomic_load_n(&r->refs, __ATOMIC_RELAXED); }
static inline void refcount_inc(refcount_t *r) { __atomic_add_fetch(&r->refs, 1, __ATOMIC_RELAXED); }
/* true when the count dropped to zero: the caller frees */
static inline bool refcount_dec_and_test(refcount_t *r)
{
	return __atomic_sub_fetch(&r->refs, 1, __ATOMIC_ACQ_REL) == 0;
}
static inline bool refcount_inc_not_zero(refcount_t *r)
{
	int old = refcount_read(r);

	do {
		if (!old)
			return false;
	} while (!__atomic_compare_exchange_n(&r->refs, &old, old + 1, false,
					      __ATOMIC_ACQUIRE, __ATOMIC_RELAXED));
	return true;
}

#endif
