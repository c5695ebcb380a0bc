// SPDX-License-Identifier: GPL-2.0
/*
 * The sysctl registry: tables under dotted paths, read and written as text
 * the way /proc/sys files are.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
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
/*
 * Guards the registry and every handler call, so a table that is being
 * unregistered (a device going away) is not read at the same time.
 */
static pthread_mutex_t sysctl_lock = PTHREAD_MUTEX_INITIALIZER;

static void sysctl_path_normalize(char *dst, size_t size, const char *path)
{
	char *p;

	snprintf(dst, size, "%s", path);
	for (p = dst; *p; p++)
		if (*p == '/')
			*p = '.';
}

int register_net_sysctl(const char *path, struct ctl_table *table)
{
	int err = 0;

	pthread_mutex_lock(&sysctl_lock);
	if (sysctl_ntables == SYSCTL_MAX_TABLES) {
		err = -ENOSPC;
		goto out;
	}
	sysctl_path_normalize(sysctl_tables[sysctl_ntables].path,
			      sizeof(sysctl_tables[0].path), path);
	sysctl_tables[sysctl_ntables++].table = table;
out:
	pthread_mutex_unlock(&sysctl_lock);
	return err;
}

void unregister_net_sysctl(const char *path)
{
	char name[sizeof(sysctl_tables[0].path)];
	int i, j;

	sysctl_path_normalize(name, sizeof(name), path);
	pthread_mutex_lock(&sysctl_lock);
	for (i = 0, j = 0; i < sysctl_ntables; i++)
		if (strcmp(sysctl_tables[i].path, name))
			sysctl_tables[j++] = sysctl_tables[i];
	sysctl_ntables = j;
	pthread_mutex_unlock(&sysctl_lock);
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
	const struct ctl_table *t;
	int err = -ENOENT;

	pthread_mutex_lock(&sysctl_lock);
	t = sysctl_find(name);
	if (t)
		err = t->proc_handler(t, 0, buf, size);
	pthread_mutex_unlock(&sysctl_lock);
	return err;
}

int sysctl_write(const char *name, const char *value)
{
	const struct ctl_table *t;
	char buf[64];
	int err;

	snprintf(buf, sizeof(buf), "%s", value);
	pthread_mutex_lock(&sysctl_lock);
	t = sysctl_find(name);
	if (!t)
		err = -ENOENT;
	else if (!(t->mode & 0200))
		err = -EPERM;
	else
		err = t->proc_handler(t, 1, buf, sizeof(buf));
	pthread_mutex_unlock(&sysctl_lock);
	return err;
}

int sysctl_for_each(int (*fn)(const char *name, const char *value, void *arg), void *arg)
{
	char name[SYSCTL_NAME_MAX], value[64];
	const struct ctl_table *t;
	int i, err = 0;

	/* fn runs under the lock: it must not call back into the registry */
	pthread_mutex_lock(&sysctl_lock);
	for (i = 0; i < sysctl_ntables && !err; i++) {
		for (t = sysctl_tables[i].table; t->procname; t++) {
			int n = snprintf(name, sizeof(name), "%s.%s", sysctl_tables[i].path,
					 t->procname);

			if (n < 0 || (size_t)n >= sizeof(name) ||
			    t->proc_handler(t, 0, value, sizeof(value)))
				continue;
			err = fn(name, value, arg);
			if (err)
				break;
		}
	}
	pthread_mutex_unlock(&sysctl_lock);
	return err;
}
