// SPDX-License-Identifier: GPL-2.0
/*
 * The sysctl registry: tables under dotted paths, read and written as text
 * the way /proc/sys files are.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/sysctl.h>

#define SYSCTL_MAX_TABLES	16
#define SYSCTL_NAME_MAX		128

static struct {
	char path[64];		/* "net.netfilter" */
	struct ctl_table *table;
} sysctl_tables[SYSCTL_MAX_TABLES];
static int sysctl_ntables;

int register_net_sysctl(const char *path, struct ctl_table *table)
{
	char *p;

	if (sysctl_ntables == SYSCTL_MAX_TABLES)
		return -ENOSPC;
	snprintf(sysctl_tables[sysctl_ntables].path, sizeof(sysctl_tables[0].path), "%s", path);
	for (p = sysctl_tables[sysctl_ntables].path; *p; p++)
		if (*p == '/')
			*p = '.';
	sysctl_tables[sysctl_ntables++].table = table;
	return 0;
}

/* a decimal integer and nothing else but surrounding blanks */
static int parse_long(const char *buf, long long *val)
{
	char *end;

	errno = 0;
	*val = strtoll(buf, &end, 10);
	if (errno || end == buf)
		return -EINVAL;
	while (*end == ' ' || *end == '\t' || *end == '\n')
		end++;
	return *end ? -EINVAL : 0;
}

int proc_dointvec(const struct ctl_table *table, int write, char *buf, size_t size)
{
	int *v = table->data;
	long long val;

	if (!write)
		return snprintf(buf, size, "%d", *v) < 0 ? -EINVAL : 0;
	if (parse_long(buf, &val) || val < INT_MIN || val > INT_MAX)
		return -EINVAL;
	*v = val;
	return 0;
}

int proc_douintvec(const struct ctl_table *table, int write, char *buf, size_t size)
{
	unsigned int *v = table->data;
	long long val;

	if (!write)
		return snprintf(buf, size, "%u", *v) < 0 ? -EINVAL : 0;
	if (parse_long(buf, &val) || val < 0 || val > UINT_MAX)
		return -EINVAL;
	*v = val;
	return 0;
}

int proc_dointvec_minmax(const struct ctl_table *table, int write, char *buf, size_t size)
{
	const int *min = table->extra1, *max = table->extra2;
	int *v = table->data;
	long long val;

	if (!write)
		return proc_dointvec(table, write, buf, size);
	if (parse_long(buf, &val) || (min && val < *min) || (max && val > *max))
		return -EINVAL;
	*v = val;
	return 0;
}

static const struct ctl_table *sysctl_find(const char *name)
{
	int i;

	for (i = 0; i < sysctl_ntables; i++) {
		size_t plen = strlen(sysctl_tables[i].path);
		const struct ctl_table *t;

		if (strncmp(name, sysctl_tables[i].path, plen) || name[plen] != '.')
			continue;
		for (t = sysctl_tables[i].table; t->procname; t++)
			if (!strcmp(name + plen + 1, t->procname))
				return t;
	}
	return NULL;
}

int sysctl_read(const char *name, char *buf, size_t size)
{
	const struct ctl_table *t = sysctl_find(name);

	if (!t)
		return -ENOENT;
	return t->proc_handler(t, 0, buf, size);
}

int sysctl_write(const char *name, const char *value)
{
	const struct ctl_table *t = sysctl_find(name);
	char buf[64];

	if (!t)
		return -ENOENT;
	if (!(t->mode & 0200))
		return -EPERM;
	snprintf(buf, sizeof(buf), "%s", value);
	return t->proc_handler(t, 1, buf, sizeof(buf));
}

int sysctl_for_each(int (*fn)(const char *name, const char *value, void *arg), void *arg)
{
	char name[SYSCTL_NAME_MAX], value[64];
	const struct ctl_table *t;
	int i, err;

	for (i = 0; i < sysctl_ntables; i++) {
		for (t = sysctl_tables[i].table; t->procname; t++) {
			int n = snprintf(name, sizeof(name), "%s.%s", sysctl_tables[i].path,
					 t->procname);

			if (n < 0 || (size_t)n >= sizeof(name) ||
			    t->proc_handler(t, 0, value, sizeof(value)))
				continue;
			err = fn(name, value, arg);
			if (err)
				return err;
		}
	}
	return 0;
}
