// SPDX-License-Identifier: GPL-2.0
/*
 * ctoffload clock: the daemon's one clock (timeouts, aging, stats).  Tests
 * switch it to virtual time and move it forward instead of sleeping:
 *   ctoffload clock                 now, and whether it is virtual
 *   ctoffload clock virtual         stop following real time
 *   ctoffload clock advance 30s     move virtual time (ms, s, m, h suffixes)
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uapi/ctoffload/ctoffload.h>
#include "cto_nl.h"
#include "commands.h"

static int print_clock(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *attr;
	uint64_t now = 0;
	int virt = 0;

	mnl_attr_for_each(attr, nlh, 0) {
		if (mnl_attr_get_type(attr) == CTO_A_CLOCK_NOW_MS)
			now = mnl_attr_get_u64(attr);
		else if (mnl_attr_get_type(attr) == CTO_A_CLOCK_VIRTUAL)
			virt = mnl_attr_get_u8(attr);
	}
	printf("%s clock: %" PRIu64 ".%03" PRIu64 " s\n", virt ? "virtual" : "real",
	       now / 1000, now % 1000);
	return MNL_CB_OK;
}

/* "1500", "1500ms", "30s", "2m", "1h" -> ms */
static int parse_duration(const char *s, uint64_t *ms)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || v < 0)
		return -EINVAL;
	if (!*end || !strcmp(end, "ms"))
		*ms = v;
	else if (!strcmp(end, "s"))
		*ms = v * 1000;
	else if (!strcmp(end, "m"))
		*ms = v * 60000;
	else if (!strcmp(end, "h"))
		*ms = v * 3600000;
	else
		return -EINVAL;
	return 0;
}

int cmd_clock(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	uint64_t ms;
	int fd, err;

	if (argc == 1 || !strcmp(argv[1], "show")) {
		nlh->nlmsg_type = CTO_MSG_CLOCK_GET;
	} else if (!strcmp(argv[1], "virtual") && argc == 2) {
		nlh->nlmsg_type = CTO_MSG_CLOCK_SET;
		mnl_attr_put_u8(nlh, CTO_A_CLOCK_VIRTUAL, 1);
	} else if (!strcmp(argv[1], "advance") && argc == 3 && !parse_duration(argv[2], &ms)) {
		nlh->nlmsg_type = CTO_MSG_CLOCK_SET;
		mnl_attr_put_u64(nlh, CTO_A_CLOCK_ADVANCE_MS, ms);
	} else {
		fprintf(stderr, "usage: ctoffload clock [show | virtual | advance DURATION]\n");
		return 2;
	}
	fd = cto_nl_open(NETLINK_CTOFFLOAD);
	if (fd < 0)
		return 1;
	err = cto_nl_request(fd, nlh, print_clock, NULL, "ctoffload");
	close(fd);
	return err ? 1 : 0;
}
