// SPDX-License-Identifier: GPL-2.0
/* The injectable clock of include/linux/jiffies.h. */
#include <time.h>
#include <linux/jiffies.h>

static bool clock_virtual;
static u64 clock_virtual_ms;

__thread u64 jiffies_burst;

u64 jiffies_read(void)
{
	struct timespec ts;

	if (unlikely(READ_ONCE(clock_virtual)))
		return READ_ONCE(clock_virtual_ms);
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void jiffies_set_virtual(u64 now_ms)
{
	WRITE_ONCE(clock_virtual_ms, now_ms);
	WRITE_ONCE(clock_virtual, true);
}

void jiffies_advance(u64 ms)
{
	WRITE_ONCE(clock_virtual_ms, clock_virtual_ms + ms);
}

void jiffies_burst_begin(void)
{
	jiffies_burst = jiffies_read();
}

void jiffies_burst_end(void)
{
	jiffies_burst = 0;
}

bool jiffies_is_virtual(void)
{
	return READ_ONCE(clock_virtual);
}
