// SPDX-License-Identifier: GPL-2.0
/*
 * ctoffload sysctl: the daemon's tunables, with sysctl(8)'s syntax and
 * output: `sysctl NAME`, `sysctl -w NAME=VALUE`, `sysctl -a`, `-n` for the
 * value alone.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <uapi/ctoffload/ctoffload.h>
#include "cto_nl.h"
#include "commands.h"

static int print_sysctl(const struct nlmsghdr *nlh, void *data)
{
	struct nlattr *tb[CTO_A_MAX + 1] = {};
	const struct nlattr *attr;
	bool *values_only = data;

	mnl_attr_for_each(attr, nlh, 0)
		if (mnl_attr_get_type(attr) <= CTO_A_MAX)
			tb[mnl_attr_get_type(attr)] = (struct nlattr *)attr;
	if (!tb[CTO_A_SYSCTL_NAME] || !tb[CTO_A_SYSCTL_VALUE])
		return MNL_CB_OK;
	if (*values_only)
		printf("%s\n", mnl_attr_get_str(tb[CTO_A_SYSCTL_VALUE]));
	else
		printf("%s = %s\n", mnl_attr_get_str(tb[CTO_A_SYSCTL_NAME]),
		       mnl_attr_get_str(tb[CTO_A_SYSCTL_VALUE]));
	return MNL_CB_OK;
}

/* sysctl(8) accepts "a/b/c" as well as "a.b.c" */
static void dotted(char *name)
{
	for (; *name; name++)
		if (*name == '/')
			*name = '.';
}

static int sysctl_one(int fd, char *arg, bool write, bool values_only)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	char *value = NULL;
	int err;

	if (write) {
		value = strchr(arg, '=');
		if (!value) {
			fprintf(stderr, "sysctl: \"%s\" must be of the form name=value\n", arg);
			return -EINVAL;
		}
		*value++ = '\0';
	}
	dotted(arg);
	nlh->nlmsg_type = write ? CTO_MSG_SYSCTL_SET : CTO_MSG_SYSCTL_GET;
	mnl_attr_put_strz(nlh, CTO_A_SYSCTL_NAME, arg);
	if (write)
		mnl_attr_put_strz(nlh, CTO_A_SYSCTL_VALUE, value);
	err = cto_nl_request(fd, nlh, print_sysctl, &values_only, "sysctl");
	if (!err && write && !values_only)
		printf("%s = %s\n", arg, value);
	else if (!err && write)
		printf("%s\n", value);
	return err;
}

int cmd_sysctl(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "write", no_argument, NULL, 'w' },
		{ "all", no_argument, NULL, 'a' },
		{ "values", no_argument, NULL, 'n' },
		{ }
	};
	bool write = false, all = false, values_only = false;
	int c, fd, i, ret = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+wan", opts, NULL)) != -1) {
		switch (c) {
		case 'w': write = true; break;
		case 'a': all = true; break;
		case 'n': values_only = true; break;
		default: return 2;
		}
	}
	if (!all && optind == argc) {
		fprintf(stderr, "usage: ctoffload sysctl [-n] [-w] NAME[=VALUE]... | -a\n");
		return 2;
	}
	fd = cto_nl_open(NETLINK_CTOFFLOAD);
	if (fd < 0)
		return 1;
	if (all) {
		char buf[MNL_SOCKET_BUFFER_SIZE];
		struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

		nlh->nlmsg_type = CTO_MSG_SYSCTL_GET;
		nlh->nlmsg_flags = NLM_F_DUMP;
		ret = cto_nl_request(fd, nlh, print_sysctl, &values_only, "sysctl") ? 1 : 0;
	}
	for (i = optind; i < argc; i++)
		if (sysctl_one(fd, argv[i], write, values_only))
			ret = 1;
	close(fd);
	return ret;
}
