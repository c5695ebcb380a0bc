// SPDX-License-Identifier: GPL-2.0
/*
 * ctoffload flowtable: every zone's act_ct flowtable entries, one line
 * each, the two directions' tuples as conntrack prints them:
 *   ctoffload flowtable [-j]
 *   zone 0 tcp src=10.0.0.1 dst=10.0.0.2 sport=40001 dport=8080 \
 *       src=10.0.0.2 dst=10.0.0.1 sport=8080 dport=40001 flags=- timeout=30
 * -j prints one JSON array of objects instead.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <uapi/ctoffload/ctoffload.h>
#include "cto_nl.h"
#include "commands.h"

/* the bits of enum nf_flow_flags (include/net/netfilter/nf_flow_table.h), in order */
static const char *const ft_flag_names[] = {
	"SNAT", "DNAT", "TEARDOWN", "HW", "HW_DYING", "HW_DEAD", "HW_PENDING",
	"HW_BIDIRECTIONAL", "HW_ESTABLISHED",
};

struct ft_dump {
	bool json;
	unsigned int count;
};

static void addr_str(const struct nlattr *a, char *buf, size_t size)
{
	if (!a)
		snprintf(buf, size, "?");
	else if (mnl_attr_get_payload_len(a) == 4)
		inet_ntop(AF_INET, mnl_attr_get_payload(a), buf, size);
	else if (mnl_attr_get_payload_len(a) == 16)
		inet_ntop(AF_INET6, mnl_attr_get_payload(a), buf, size);
	else
		snprintf(buf, size, "?");
}

static unsigned int port(const struct nlattr *a)
{
	return a ? ntohs(mnl_attr_get_u16(a)) : 0;
}

static const char *proto_name(unsigned int p, char *buf, size_t size)
{
	if (p == IPPROTO_TCP)
		return "tcp";
	if (p == IPPROTO_UDP)
		return "udp";
	snprintf(buf, size, "%u", p);
	return buf;
}

static int print_entry(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *tb[CTO_A_MAX + 1] = {}, *attr;
	char os[64], od[64], rs[64], rd[64], flags[160] = "", pbuf[8];
	struct ft_dump *d = data;
	unsigned int i, f, zone, l4, tmo;
	size_t len = 0;

	mnl_attr_for_each(attr, nlh, 0)
		if (mnl_attr_get_type(attr) <= CTO_A_MAX)
			tb[mnl_attr_get_type(attr)] = attr;
	if (!tb[CTO_A_FT_ZONE])
		return MNL_CB_OK;
	zone = mnl_attr_get_u16(tb[CTO_A_FT_ZONE]);
	l4 = tb[CTO_A_FT_L4PROTO] ? mnl_attr_get_u8(tb[CTO_A_FT_L4PROTO]) : 0;
	f = tb[CTO_A_FT_FLAGS] ? mnl_attr_get_u32(tb[CTO_A_FT_FLAGS]) : 0;
	tmo = tb[CTO_A_FT_TIMEOUT_S] ? mnl_attr_get_u32(tb[CTO_A_FT_TIMEOUT_S]) : 0;
	addr_str(tb[CTO_A_FT_ORIG_SRC], os, sizeof(os));
	addr_str(tb[CTO_A_FT_ORIG_DST], od, sizeof(od));
	addr_str(tb[CTO_A_FT_REPLY_SRC], rs, sizeof(rs));
	addr_str(tb[CTO_A_FT_REPLY_DST], rd, sizeof(rd));
	for (i = 0; i < sizeof(ft_flag_names) / sizeof(ft_flag_names[0]); i++) {
		if (!(f & (1u << i)))
			continue;
		if (d->json)
			len += snprintf(flags + len, sizeof(flags) - len, "%s\"%s\"",
					len ? "," : "", ft_flag_names[i]);
		else
			len += snprintf(flags + len, sizeof(flags) - len, "%s%s",
					len ? "," : "", ft_flag_names[i]);
	}
	if (d->json) {
		printf("%s{\"zone\":%u,\"protocol\":\"%s\","
		       "\"original\":{\"src\":\"%s\",\"dst\":\"%s\",\"sport\":%u,\"dport\":%u},"
		       "\"reply\":{\"src\":\"%s\",\"dst\":\"%s\",\"sport\":%u,\"dport\":%u},"
		       "\"flags\":[%s],\"timeout\":%u}",
		       d->count ? "," : "", zone, proto_name(l4, pbuf, sizeof(pbuf)),
		       os, od, port(tb[CTO_A_FT_ORIG_SPORT]), port(tb[CTO_A_FT_ORIG_DPORT]),
		       rs, rd, port(tb[CTO_A_FT_REPLY_SPORT]), port(tb[CTO_A_FT_REPLY_DPORT]),
		       flags, tmo);
	} else {
		printf("zone %u %s src=%s dst=%s sport=%u dport=%u src=%s dst=%s sport=%u dport=%u "
		       "flags=%s timeout=%u\n", zone, proto_name(l4, pbuf, sizeof(pbuf)),
		       os, od, port(tb[CTO_A_FT_ORIG_SPORT]), port(tb[CTO_A_FT_ORIG_DPORT]),
		       rs, rd, port(tb[CTO_A_FT_REPLY_SPORT]), port(tb[CTO_A_FT_REPLY_DPORT]),
		       len ? flags : "-", tmo);
	}
	d->count++;
	return MNL_CB_OK;
}

int cmd_flowtable(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ft_dump d = {};
	int fd, err;

	if (argc == 2 && (!strcmp(argv[1], "-j") || !strcmp(argv[1], "--json"))) {
		d.json = true;
	} else if (argc != 1 && !(argc == 2 && !strcmp(argv[1], "show"))) {
		fprintf(stderr, "usage: ctoffload flowtable [-j]\n");
		return 2;
	}
	nlh->nlmsg_type = CTO_MSG_FLOWTABLE_GET;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	fd = cto_nl_open(NETLINK_CTOFFLOAD);
	if (fd < 0)
		return 1;
	if (d.json)
		printf("[");
	err = cto_nl_request(fd, nlh, print_entry, &d, "ctoffload");
	if (d.json)
		printf("]\n");
	close(fd);
	return err ? 1 : 0;
}
