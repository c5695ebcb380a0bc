// SPDX-License-Identifier: GPL-2.0
/*
 * The synchronisation objects include/linux/rcupdate.h's ThreadSanitizer
 * annotations release and acquire (only built into the TSan build).
 */
#include <linux/rcupdate.h>

#ifdef __SANITIZE_THREAD__
char rcu_tsan_gp;
char rcu_tsan_cb_done;
#endif
