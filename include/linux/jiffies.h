/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one clock: milliseconds of CLOCK_MONOTONIC, or a virtual clock that
 * tests drive (so timeouts are tested without sleeping).
 */
#ifndef _LINUX_JIFFIES_H
#define _LINUX_JIFFIES_H

#include <linux/compiler.h>

#define USER_HZ	100	/* what tc's clock_t values count in */

/* the clock itself */
u64 jiffies_read(void);
/*
 * A datapath thread reads the clock once per burst: every packet of a
 * burst is stamped with the same time, as kernel jiffies tick far slower
 * than a burst takes.  Outside a burst, jiffies_ms() reads the clock.
 */
extern __thread u64 jiffies_burst;
void jiffies_burst_begin(void);
void jiffies_burst_end(void);
static inline u64 jiffies_ms(void)
{
	return likely(jiffies_burst) ? jiffies_burst : jiffies_read();
}
/* switch to a virtual clock starting at now_ms (tests) */
void jiffies_set_virtual(u64 now_ms);
void jiffies_advance(u64 ms);
bool jiffies_is_virtual(void);

static inline u64 jiffies_to_clock_t(u64 ms)
{
	return ms / (1000 / USER_HZ);
}

#endif
