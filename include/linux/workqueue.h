/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small workqueue with the kernel's names: work items are queued from
 * any thread and run, in order, on the queue's one worker thread.
 *
 * Every queue has exactly one worker (flags and max_active are taken for
 * the kernel's signature and ignored), so its items never run
 * concurrently with each other.  queue_work() refuses an item that is
 * still queued, as the kernel's does; a caller that must bound its
 * backlog counts its own items (nf_flow_table_offload.c does).
 *
 * The worker is an RCU reader thread (registered), and runs each item
 * inside rcu_read_lock(): an item may use objects that other threads free
 * only after a grace period, up to its last statement.
 */
#ifndef _LINUX_WORKQUEUE_H
#define _LINUX_WORKQUEUE_H

#include <stdbool.h>
#include <linux/list.h>

struct work_struct;
typedef void (*work_func_t)(struct work_struct *work);

struct work_struct {
	struct list_head entry;		/* in the queue while pending */
	work_func_t func;
	bool pending;
};

#define INIT_WORK(_work, _func)				\
	do {						\
		INIT_LIST_HEAD(&(_work)->entry);	\
		(_work)->func = (_func);		\
		(_work)->pending = false;		\
	} while (0)

struct workqueue_struct;

/* one worker thread named name */
struct workqueue_struct *alloc_workqueue(const char *name, unsigned int flags, int max_active);
/* runs what is queued, then stops the worker and frees wq */
void destroy_workqueue(struct workqueue_struct *wq);
/* false if work is already pending: then nothing more is queued */
bool queue_work(struct workqueue_struct *wq, struct work_struct *work);
/* wait until everything queued before (and while) waiting has run */
void flush_workqueue(struct workqueue_struct *wq);
/* items waiting, not counting the one running */
unsigned int workqueue_pending(struct workqueue_struct *wq);
/*
 * Hold every queue's worker between items and wait until none runs one;
 * then let them go.  For a fork of the daemon (a dry-run trace).
 */
void freeze_workqueues(void);
void thaw_workqueues(void);
/* tests: hold the worker (items queue up but do not run) or let it go */
void workqueue_pause(struct workqueue_struct *wq, bool pause);

#endif
