/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one clock: milliseconds of CLOCK_MONOTONIC, or a virtual clock that
 * tests drive (so timeouts are tested without sleeping).
 */
#ifndef _LINUX_JIFFIES_H
#define _LINUX_JIFFIES_H

#include <linux/compiler.h>

#define USER_HZ	100	/* what tc's clock_t values count in */

u64 jiffies_ms(void);
/* switch to a virtual clock starting at now_ms (tests) */
void jiffies_set_virtual(u64 now_ms);
void jiffies_advance(u64 ms);

static inline u64 jiffies_to_clock_t(u64 ms)
{
	return ms / (1000 / USER_HZ);
}

#endif
