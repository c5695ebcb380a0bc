/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tunables with the kernel's names (kernel/sysctl.c): a subsystem
 * registers a table under a path ("net/netfilter"); `ctoffload sysctl`
 * reads and writes them by their dotted name, as sysctl(8) does /proc/sys.
 */
#ifndef _LINUX_SYSCTL_H
#define _LINUX_SYSCTL_H

#include <stddef.h>
#include <linux/compiler.h>

struct ctl_table;
/* write: parse buf into the value; read: print it into buf (size bytes) */
typedef int proc_handler(const struct ctl_table *table, int write, char *buf, size_t size);

struct ctl_table {
	const char *procname;
	void *data;
	int maxlen;
	unsigned short mode;		/* 0444 read-only, 0644 */
	proc_handler *proc_handler;
	const void *extra1;		/* min, for the _minmax handlers */
	const void *extra2;		/* max */
};

int proc_dointvec(const struct ctl_table *table, int write, char *buf, size_t size);
int proc_douintvec(const struct ctl_table *table, int write, char *buf, size_t size);
int proc_dointvec_minmax(const struct ctl_table *table, int write, char *buf, size_t size);

/*
 * The table ends with an empty entry and must live until it is
 * unregistered (static tables simply never are).
 */
int register_net_sysctl(const char *path, struct ctl_table *table);
/* forget every table registered under path; none is in use on return */
void unregister_net_sysctl(const char *path);

/* by dotted name ("net.netfilter.nf_conntrack_max"): 0 or -ENOENT/-EINVAL/-EPERM */
int sysctl_read(const char *name, char *buf, size_t size);
int sysctl_write(const char *name, const char *value);
/* every entry in registration order; fn returns non-zero to stop */
int sysctl_for_each(int (*fn)(const char *name, const char *value, void *arg), void *arg);

#endif
