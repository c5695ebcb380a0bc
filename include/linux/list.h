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

#define list_add_rcu(n, h)	cds_list_add_rcu(n, h)
#define list_add_tail_rcu(n, h)	cds_list_add_tail_rcu(n, h)
#define list_del_rcu(e)		cds_list_del_rcu(e)
#define list_replace_rcu(o, n)	cds_list_replace_rcu(o, n)
#define list_for_each_entry_rcu(p, h, m) cds_list_for_each_entry_rcu(p, h, m)

#endif
