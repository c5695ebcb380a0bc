/* SPDX-License-Identifier: GPL-2.0 */
/*
 * module_init(): each classifier, action and qdisc kind registers itself
 * at start-up.  Objects are linked directly (never through an archive) so
 * every constructor is kept.
 */
#ifndef _LINUX_INIT_H
#define _LINUX_INIT_H

#define module_init(fn)							\
	static void __attribute__((constructor)) __module_init_##fn(void) \
	{								\
		fn();							\
	}

#endif
