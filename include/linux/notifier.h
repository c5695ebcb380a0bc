/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Notifier chains (include/linux/notifier.h): a list of callbacks, called
 * in priority order with an event and a pointer.  Only the atomic flavour
 * is here: callers may be datapath threads, so a callback must not sleep
 * long (the usual answer is to queue work, as mlx5 does on neighbour
 * events).  Registering and unregistering take the chain's lock; calling
 * walks the chain under RCU.
 */
#ifndef _LINUX_NOTIFIER_H
#define _LINUX_NOTIFIER_H

#include <pthread.h>

struct notifier_block;
typedef int (*notifier_fn_t)(struct notifier_block *nb, unsigned long action, void *data);

struct notifier_block {
	notifier_fn_t notifier_call;
	struct notifier_block *next;
	int priority;
};

struct atomic_notifier_head {
	pthread_mutex_t lock;
	struct notifier_block *head;
};

#define ATOMIC_NOTIFIER_HEAD(name)					\
	struct atomic_notifier_head name = {				\
		.lock = PTHREAD_MUTEX_INITIALIZER, .head = NULL }

#define NOTIFY_DONE		0x0000
#define NOTIFY_OK		0x0001
#define NOTIFY_STOP_MASK	0x8000
#define NOTIFY_BAD		(NOTIFY_STOP_MASK | 0x0002)

int atomic_notifier_chain_register(struct atomic_notifier_head *nh, struct notifier_block *nb);
/* returns after any call in progress on another thread has left nb */
int atomic_notifier_chain_unregister(struct atomic_notifier_head *nh, struct notifier_block *nb);
int atomic_notifier_call_chain(struct atomic_notifier_head *nh, unsigned long val, void *v);

#endif
