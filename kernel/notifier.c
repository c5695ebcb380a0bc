// SPDX-License-Identifier: GPL-2.0
/*
 * Atomic notifier chains (kernel/notifier.c): a singly linked list sorted
 * by priority (highest first).  Writers serialise on the chain's mutex and
 * publish with rcu_assign_pointer(); callers walk it under RCU, so a
 * datapath thread can announce an event without taking a lock.
 */
#include <errno.h>
#include <linux/notifier.h>
#include <linux/rcupdate.h>

static int notifier_chain_register(struct notifier_block **nl, struct notifier_block *n)
{
	while (*nl) {
		if (*nl == n)
			return -EEXIST;
		if (n->priority > (*nl)->priority)
			break;
		nl = &(*nl)->next;
	}
	n->next = *nl;
	rcu_assign_pointer(*nl, n);
	return 0;
}

static int notifier_chain_unregister(struct notifier_block **nl, struct notifier_block *n)
{
	while (*nl) {
		if (*nl == n) {
			rcu_assign_pointer(*nl, n->next);
			return 0;
		}
		nl = &(*nl)->next;
	}
	return -ENOENT;
}

int atomic_notifier_chain_register(struct atomic_notifier_head *nh, struct notifier_block *n)
{
	int ret;

	pthread_mutex_lock(&nh->lock);
	ret = notifier_chain_register(&nh->head, n);
	pthread_mutex_unlock(&nh->lock);
	return ret;
}

int atomic_notifier_chain_unregister(struct atomic_notifier_head *nh, struct notifier_block *n)
{
	int ret;

	pthread_mutex_lock(&nh->lock);
	ret = notifier_chain_unregister(&nh->head, n);
	pthread_mutex_unlock(&nh->lock);
	/* a caller on another thread may still be inside n's callback */
	synchronize_rcu();
	return ret;
}

int atomic_notifier_call_chain(struct atomic_notifier_head *nh, unsigned long val, void *v)
{
	struct notifier_block *nb;
	int ret = NOTIFY_DONE;

	rcu_read_lock();
	for (nb = rcu_dereference(nh->head); nb; nb = rcu_dereference(nb->next)) {
		ret = nb->notifier_call(nb, val, v);
		if (ret & NOTIFY_STOP_MASK)
			break;
	}
	rcu_read_unlock();
	return ret;
}
