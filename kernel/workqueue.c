// SPDX-License-Identifier: GPL-2.0
/*
 * The workqueue of include/linux/workqueue.h: a list under a mutex and a
 * worker thread that sleeps on a condition variable.  The rate of work
 * here (offload requests) is far below what a lock-free queue would buy.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

struct workqueue_struct {
	pthread_mutex_t lock;
	pthread_cond_t more;		/* work queued, or stop */
	pthread_cond_t idle;		/* nothing queued or running */
	struct list_head list;
	unsigned int pending;
	bool running;			/* the worker is inside an item */
	bool paused;
	bool frozen;			/* freeze_workqueues(): hold the worker */
	bool stop;
	struct list_head all;		/* workqueues */
	pthread_t thread;
	char name[16];
};

/* every workqueue, for freezing them all (a fork must find no item running) */
static LIST_HEAD(workqueues);
static pthread_mutex_t workqueues_lock = PTHREAD_MUTEX_INITIALIZER;

static void *worker_thread(void *arg)
{
	struct workqueue_struct *wq = arg;
	struct work_struct *work;

	rcu_register_thread();
	pthread_mutex_lock(&wq->lock);
	for (;;) {
		while ((list_empty(&wq->list) || wq->paused || wq->frozen) && !wq->stop) {
			pthread_cond_broadcast(&wq->idle);
			pthread_cond_wait(&wq->more, &wq->lock);
		}
		if (list_empty(&wq->list))
			break;		/* stopping, and everything has run */
		work = list_first_entry(&wq->list, struct work_struct, entry);
		list_del_init(&work->entry);
		work->pending = false;
		wq->pending--;
		wq->running = true;
		pthread_mutex_unlock(&wq->lock);

		/* the item may free itself: nothing touches it after this */
		rcu_read_lock();
		work->func(work);
		rcu_read_unlock();

		pthread_mutex_lock(&wq->lock);
		wq->running = false;
	}
	pthread_cond_broadcast(&wq->idle);
	pthread_mutex_unlock(&wq->lock);
	rcu_unregister_thread();
	return NULL;
}

struct workqueue_struct *alloc_workqueue(const char *name, unsigned int flags, int max_active)
{
	struct workqueue_struct *wq = kzalloc(sizeof(*wq), GFP_KERNEL);

	if (!wq)
		return NULL;
	pthread_mutex_init(&wq->lock, NULL);
	pthread_cond_init(&wq->more, NULL);
	pthread_cond_init(&wq->idle, NULL);
	INIT_LIST_HEAD(&wq->list);
	strncpy(wq->name, name, sizeof(wq->name) - 1);
	if (pthread_create(&wq->thread, NULL, worker_thread, wq)) {
		kfree(wq);
		return NULL;
	}
	/* a thread name holds 15 characters, as the kernel's task comm */
	pthread_setname_np(wq->thread, wq->name);
	pthread_mutex_lock(&workqueues_lock);
	list_add_tail(&wq->all, &workqueues);
	pthread_mutex_unlock(&workqueues_lock);
	return wq;
}

void destroy_workqueue(struct workqueue_struct *wq)
{
	if (!wq)
		return;
	pthread_mutex_lock(&workqueues_lock);
	list_del(&wq->all);
	pthread_mutex_unlock(&workqueues_lock);
	pthread_mutex_lock(&wq->lock);
	wq->stop = true;
	wq->paused = false;
	pthread_cond_signal(&wq->more);
	pthread_mutex_unlock(&wq->lock);
	pthread_join(wq->thread, NULL);
	pthread_cond_destroy(&wq->more);
	pthread_cond_destroy(&wq->idle);
	pthread_mutex_destroy(&wq->lock);
	kfree(wq);
}

bool queue_work(struct workqueue_struct *wq, struct work_struct *work)
{
	bool queued = false;

	pthread_mutex_lock(&wq->lock);
	if (!work->pending && !wq->stop) {
		list_add_tail(&work->entry, &wq->list);
		work->pending = true;
		wq->pending++;
		queued = true;
		pthread_cond_signal(&wq->more);
	}
	pthread_mutex_unlock(&wq->lock);
	return queued;
}

void flush_workqueue(struct workqueue_struct *wq)
{
	pthread_mutex_lock(&wq->lock);
	/* a paused queue would never drain: flushing lets it go */
	wq->paused = false;
	pthread_cond_signal(&wq->more);
	while (!list_empty(&wq->list) || wq->running)
		pthread_cond_wait(&wq->idle, &wq->lock);
	pthread_mutex_unlock(&wq->lock);
}

unsigned int workqueue_pending(struct workqueue_struct *wq)
{
	unsigned int n;

	pthread_mutex_lock(&wq->lock);
	n = wq->pending;
	pthread_mutex_unlock(&wq->lock);
	return n;
}

void workqueue_pause(struct workqueue_struct *wq, bool pause)
{
	pthread_mutex_lock(&wq->lock);
	wq->paused = pause;
	if (!pause)
		pthread_cond_signal(&wq->more);
	pthread_mutex_unlock(&wq->lock);
}

/*
 * Hold every worker between items, and wait until none is inside one
 * (the kernel's freeze_workqueues_begin() + freeze_workqueues_busy()):
 * then no worker holds a lock of ours, and the daemon may fork a copy of
 * itself.  Items still queue meanwhile.  thaw_workqueues() lets them go.
 * Holds the list's lock until the thaw: no workqueue comes or goes.
 */
void freeze_workqueues(void)
{
	struct workqueue_struct *wq;

	pthread_mutex_lock(&workqueues_lock);
	list_for_each_entry(wq, &workqueues, all) {
		pthread_mutex_lock(&wq->lock);
		wq->frozen = true;
		while (wq->running)
			pthread_cond_wait(&wq->idle, &wq->lock);
		pthread_mutex_unlock(&wq->lock);
	}
}

void thaw_workqueues(void)
{
	struct workqueue_struct *wq;

	list_for_each_entry(wq, &workqueues, all) {
		pthread_mutex_lock(&wq->lock);
		wq->frozen = false;
		pthread_cond_signal(&wq->more);
		pthread_mutex_unlock(&wq->lock);
	}
	pthread_mutex_unlock(&workqueues_lock);
}
