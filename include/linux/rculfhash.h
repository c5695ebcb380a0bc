/* SPDX-License-Identifier: GPL-2.0 */
/*
 * liburcu's lock-free resizable hash table (cds_lfht), created the one way
 * the long-lived tables here want it (conntrack, the flowtables).
 *
 * liburcu keeps the buckets of a table that may grow large in mmap()ed
 * memory, which LeakSanitizer does not scan: an entry that only its
 * bucket points at looks leaked to it (libFuzzer's per-input leak check
 * said so now and then of a connection a ctnetlink input had created).
 * Under AddressSanitizer the buckets come from calloc() instead ("order"
 * tables), which the leak check sees; elsewhere liburcu chooses.
 */
#ifndef _LINUX_RCULFHASH_H
#define _LINUX_RCULFHASH_H

#include <urcu/urcu-memb.h>
#include <urcu/rculfhash.h>

#ifdef __SANITIZE_ADDRESS__
#define RCU_LFHT_SCANNED_BUCKETS 1
#endif
#ifdef __has_feature
#if __has_feature(address_sanitizer)
#define RCU_LFHT_SCANNED_BUCKETS 1
#endif
#endif

static inline struct cds_lfht *rcu_lfht_new(unsigned long init_size, unsigned long min_buckets,
					    unsigned long max_buckets, int flags)
{
#ifdef RCU_LFHT_SCANNED_BUCKETS
	return _cds_lfht_new(init_size, min_buckets, max_buckets, flags, &cds_lfht_mm_order,
			     &urcu_memb_flavor, NULL);
#else
	return cds_lfht_new_flavor(init_size, min_buckets, max_buckets, flags, &urcu_memb_flavor,
				   NULL);
#endif
}

#endif
