// SPDX-License-Identifier: GPL-2.0
/*
 * ctoffload steering: the eswitch model's tables, groups, FTEs and
 * counters, as the daemon renders them.
 *   ctoffload steering [show] [-j]   text, or JSON
 *   ctoffload steering dot           Graphviz (pipe it to `dot -Tsvg`)
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <uapi/ctoffload/ctoffload.h>
#include "cto_nl.h"
#include "commands.h"

static int print_piece(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *attr;

	(void)data;
	mnl_attr_for_each(attr, nlh, 0)
		if (mnl_attr_get_type(attr) == CTO_A_STEERING_TEXT)
			fwrite(mnl_attr_get_payload(attr), 1, mnl_attr_get_payload_len(attr), stdout);
	return MNL_CB_OK;
}

int cmd_steering(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	unsigned char format = CTO_STEERING_TEXT;
	int i, fd, err;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "show") && i == 1)
			continue;
		if (!strcmp(argv[i], "dot") && i == 1)
			format = CTO_STEERING_DOT;
		else if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json"))
			format = CTO_STEERING_JSON;
		else {
			fprintf(stderr, "usage: ctoffload steering [show] [-j] | dot\n");
			return 2;
		}
	}
	nlh->nlmsg_type = CTO_MSG_STEERING_GET;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	mnl_attr_put_u8(nlh, CTO_A_STEERING_FORMAT, format);
	fd = cto_nl_open(NETLINK_CTOFFLOAD);
	if (fd < 0)
		return 1;
	err = cto_nl_request(fd, nlh, print_piece, NULL, "ctoffload");
	fflush(stdout);
	close(fd);
	return err ? 1 : 0;
}
