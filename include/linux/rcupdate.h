/* SPDX-License-Identifier: GPL-2.0 */
/*
 * RCU with the kernel's names over liburcu's memb flavour: datapath threads
 * register once and read under rcu_read_lock(); the control plane publishes
 * with rcu_assign_pointer() and frees after synchronize_rcu()/call_rcu().
 */
#ifndef _LINUX_RCUPDATE_H
#define _LINUX_RCUPDATE_H

#include <urcu/urcu-memb.h>
#include <urcu/rcuhlist.h>

#define rcu_read_lock()		urcu_memb_read_lock()
#define rcu_read_unlock()	urcu_memb_read_unlock()
#define synchronize_rcu()	urcu_memb_synchronize_rcu()
#define call_rcu(h, f)		urcu_memb_call_rcu(h, f)
#define rcu_register_thread()	urcu_memb_register_thread()
#define rcu_unregister_thread()	urcu_memb_unregister_thread()
#define rcu_barrier()		urcu_memb_barrier()
#define rcu_dereference_protected(p, c) (p)
#define RCU_INIT_POINTER(p, v)	((p) = (v))

#endif
