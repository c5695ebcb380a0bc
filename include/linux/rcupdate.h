/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RCU with the kernel's names over liburcu's memb flavour: datapath threads
 * register once and read under rcu_read_lock(); the control plane publishes
 * with rcu_assign_pointer() and frees after synchronize_rcu()/call_rcu().
 *
 * Under ThreadSanitizer (-fsanitize=thread, __SANITIZE_THREAD__) liburcu
 * is not instrumented, so the ordering RCU gives is told to TSan here:
 * rcu_dereference() is an acquire load and rcu_assign_pointer() a release
 * store; every rcu_read_unlock() releases rcu_tsan_gp, which
 * synchronize_rcu() and every call_rcu() callback acquire (a grace period
 * ends after the read-side sections before it); rcu_barrier() acquires
 * what the callbacks released.  Nodes published and found inside liburcu
 * (the cds_lfht hash tables) are annotated by their callers with
 * rcu_tsan_publish() / rcu_tsan_subscribe().  Without TSan all of this
 * compiles to what liburcu does.
 */
#ifndef _LINUX_RCUPDATE_H
#define _LINUX_RCUPDATE_H

#include <urcu/urcu-memb.h>
#include <urcu/rcuhlist.h>

#define rcu_register_thread()	urcu_memb_register_thread()
#define rcu_unregister_thread()	urcu_memb_unregister_thread()
#define rcu_dereference_protected(p, c) (p)
#define RCU_INIT_POINTER(p, v)	((p) = (v))

#ifdef __SANITIZE_THREAD__

#include <stdlib.h>

/* libtsan's annotation entry points */
void __tsan_acquire(void *addr);
void __tsan_release(void *addr);

/* what read-side sections released; grace periods acquire it */
extern char rcu_tsan_gp;
/* what call_rcu() callbacks released; rcu_barrier() acquires it */
extern char rcu_tsan_cb_done;

static inline void rcu_read_lock(void)
{
	urcu_memb_read_lock();
}

static inline void rcu_read_unlock(void)
{
	__tsan_release(&rcu_tsan_gp);
	urcu_memb_read_unlock();
}

static inline void synchronize_rcu(void)
{
	urcu_memb_synchronize_rcu();
	__tsan_acquire(&rcu_tsan_gp);
}

static inline void rcu_barrier(void)
{
	urcu_memb_barrier();
	__tsan_acquire(&rcu_tsan_cb_done);
}

/* call_rcu()'s callback, run by the trampoline after a grace period */
struct rcu_tsan_cb {
	struct rcu_head head;		/* what liburcu queues */
	struct rcu_head *orig;
	void (*func)(struct rcu_head *head);
};

static inline void rcu_tsan_cb_trampoline(struct rcu_head *head)
{
	struct rcu_tsan_cb *cb = caa_container_of(head, struct rcu_tsan_cb, head);
	struct rcu_head *orig;
	void (*func)(struct rcu_head *head);

	__tsan_acquire(cb);		/* the caller of call_rcu() */
	__tsan_acquire(&rcu_tsan_gp);	/* the readers before the grace period */
	orig = cb->orig;
	func = cb->func;
	free(cb);
	func(orig);
	__tsan_release(&rcu_tsan_cb_done);
}

static inline void call_rcu(struct rcu_head *head, void (*func)(struct rcu_head *head))
{
	struct rcu_tsan_cb *cb = malloc(sizeof(*cb));

	if (!cb) {			/* unannotated, but still freed */
		urcu_memb_call_rcu(head, func);
		return;
	}
	cb->orig = head;
	cb->func = func;
	__tsan_release(cb);
	urcu_memb_call_rcu(&cb->head, rcu_tsan_cb_trampoline);
}

/*
 * urcu/pointer.h's volatile accesses are plain ones to TSan: an acquire
 * load and a release store say what they mean.  (liburcu's own inline
 * list functions are redefined in linux/list.h.)
 */
#undef rcu_dereference
#define rcu_dereference(p)	__atomic_load_n(&(p), __ATOMIC_ACQUIRE)
#undef rcu_assign_pointer
#define rcu_assign_pointer(p, v)					\
	do {								\
		__typeof__(p) ___v = (v);				\
		__atomic_store_n(&(p), ___v, __ATOMIC_RELEASE);		\
	} while (0)

/* p (a node of a cds_lfht) is about to be published inside liburcu */
#define rcu_tsan_publish(p)	__tsan_release((void *)(p))
/* p was found inside liburcu (a lookup, an iteration); NULL is fine */
#define rcu_tsan_subscribe(p)						\
	do {								\
		if (p)							\
			__tsan_acquire((void *)(p));			\
	} while (0)

#else /* !__SANITIZE_THREAD__ */

#define rcu_read_lock()		urcu_memb_read_lock()
#define rcu_read_unlock()	urcu_memb_read_unlock()
#define synchronize_rcu()	urcu_memb_synchronize_rcu()
#define call_rcu(h, f)		urcu_memb_call_rcu(h, f)
#define rcu_barrier()		urcu_memb_barrier()
#define rcu_tsan_publish(p)	do { } while (0)
#define rcu_tsan_subscribe(p)	do { } while (0)

#endif /* __SANITIZE_THREAD__ */

#endif
