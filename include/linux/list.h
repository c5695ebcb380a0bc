/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel list names over liburcu's lists (urcu/list.h, urcu/rculist.h),
 * which are the same doubly linked circular list; the RCU variants let the
 * datapath walk a list without a lock while the control plane edits it.
 */
#ifndef _LINUX_LIST_H
#define _LINUX_LIST_H

#include <urcu/list.h>
#include <urcu/rculist.h>
#include <linux/rcupdate.h>

#define list_head		cds_list_head
#define LIST_HEAD(name)		CDS_LIST_HEAD(name)
#define INIT_LIST_HEAD(p)	CDS_INIT_LIST_HEAD(p)
#define list_add(n, h)		cds_list_add(n, h)
#define list_add_tail(n, h)	cds_list_add_tail(n, h)
#define list_del(e)		cds_list_del(e)
#define list_del_init(e)	cds_list_del_init(e)
#define list_move(e, h)		cds_list_move(e, h)
#define list_splice(l, h)	cds_list_splice(l, h)
#define list_empty(h)		cds_list_empty(h)
#define list_entry(p, t, m)	cds_list_entry(p, t, m)
#define list_first_entry(h, t, m) cds_list_first_entry(h, t, m)
#define list_for_each_entry(p, h, m) cds_list_for_each_entry(p, h, m)
#define list_for_each_entry_safe(p, n, h, m) cds_list_for_each_entry_safe(p, n, h, m)
#define list_for_each_entry_reverse(p, h, m) cds_list_for_each_entry_reverse(p, h, m)

#ifndef __SANITIZE_THREAD__
#define list_add_rcu(n, h)	cds_list_add_rcu(n, h)
#define list_add_tail_rcu(n, h)	cds_list_add_tail_rcu(n, h)
#define list_del_rcu(e)		cds_list_del_rcu(e)
#define list_replace_rcu(o, n)	cds_list_replace_rcu(o, n)
#else
/*
 * liburcu's inline functions publish with its own rcu_assign_pointer(),
 * volatile stores TSan takes as plain: the same functions with ours
 * (release stores; readers' rcu_dereference() is an acquire load).
 */
static inline void list_add_rcu(struct cds_list_head *n, struct cds_list_head *h)
{
	n->next = h->next;
	n->prev = h;
	h->next->prev = n;
	rcu_assign_pointer(h->next, n);
}

static inline void list_add_tail_rcu(struct cds_list_head *n, struct cds_list_head *h)
{
	n->next = h;
	n->prev = h->prev;
	rcu_assign_pointer(h->prev->next, n);
	h->prev = n;
}

static inline void list_del_rcu(struct cds_list_head *e)
{
	e->next->prev = e->prev;
	__atomic_store_n(&e->prev->next, e->next, __ATOMIC_RELAXED);
}

static inline void list_replace_rcu(struct cds_list_head *o, struct cds_list_head *n)
{
	n->next = o->next;
	n->prev = o->prev;
	rcu_assign_pointer(n->prev->next, n);
	n->next->prev = n;
}
#endif
#define list_for_each_entry_rcu(p, h, m) cds_list_for_each_entry_rcu(p, h, m)

#endif
