// SPDX-License-Identifier: GPL-2.0
/*
 * ctoffload explain: why a filter or a connection is (not) in hardware.
 *
 *   ctoffload explain filter dev DEV [chain C] [prio P] [-j]
 *   ctoffload explain conn [zone Z] [proto tcp|udp|icmp|icmpv6|sctp|N]
 *                          [src A] [dst B] [sport P] [dport Q] [-j]
 *   ctoffload explain conn --all [-j]
 *
 * The daemon answers one JSON object per filter or connection
 * (CTO_A_EXPLAIN_TEXT); render.c prints each as a line, -j prints them
 * as one JSON array.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <linux/netfilter.h>
#include <uapi/ctoffload/ctoffload.h>
#include "cto_nl.h"
#include "commands.h"
#include "render.h"

#define EXPLAIN_USAGE								\
	"usage: ctoffload explain filter dev DEV [chain C] [prio P] [-j]\n"	\
	"       ctoffload explain conn [zone Z] [proto tcp|udp|icmp|icmpv6|sctp|N]\n" \
	"                              [src A] [dst B] [sport P] [dport Q] [-j]\n" \
	"       ctoffload explain conn --all [-j]\n"

struct explain_dump {
	bool json;
	unsigned int count;
	int (*render)(FILE *out, const char *json);
};

static int explain_usage(void)
{
	fputs(EXPLAIN_USAGE, stderr);
	return 2;
}

static int print_object(const struct nlmsghdr *nlh, void *data)
{
	struct explain_dump *d = data;
	const struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, 0) {
		const char *json;

		if (mnl_attr_get_type(attr) != CTO_A_EXPLAIN_TEXT)
			continue;
		json = mnl_attr_get_str(attr);
		if (d->json)
			printf("%s%s", d->count ? "," : "", json);
		else if (d->render(stdout, json))
			printf("%s\n", json);	/* not JSON: show what came */
		d->count++;
	}
	return MNL_CB_OK;
}

static int explain_request(struct nlmsghdr *nlh, struct explain_dump *d)
{
	int fd, err;

	fd = cto_nl_open(NETLINK_CTOFFLOAD);
	if (fd < 0)
		return -ENOTCONN;
	if (d->json)
		printf("[");
	err = cto_nl_request(fd, nlh, print_object, d, "Error");
	if (d->json)
		printf("]\n");
	fflush(stdout);
	close(fd);
	if (err)
		fprintf(stderr, "ctoffload: explain failed: %s\n", strerror(-err));
	return err;
}

static bool parse_u32(const char *s, unsigned long max, u_int32_t *v)
{
	unsigned long n;
	char *end;

	if (!*s || *s == '-')
		return false;
	errno = 0;
	n = strtoul(s, &end, 0);
	if (errno || *end || n > max)
		return false;
	*v = n;
	return true;
}

static int explain_filter(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct explain_dump d = { .render = explain_filter_render };
	const char *dev = NULL;
	bool has_chain = false, has_prio = false;
	u_int32_t chain = 0, prio = 0;
	int i;

	for (i = 1; i < argc; i++) {
		bool has_value = i + 1 < argc;

		if (!strcmp(argv[i], "-j") || !strcmp(argv[i], "--json")) {
			d.json = true;
		} else if (!strcmp(argv[i], "dev") && has_value) {
			dev = argv[++i];
		} else if (!strcmp(argv[i], "chain") && has_value) {
			if (!parse_u32(argv[++i], UINT32_MAX, &chain)) {
				fprintf(stderr, "Illegal \"chain\"\n");
				return 1;
			}
			has_chain = true;
		} else if ((!strcmp(argv[i], "prio") || !strcmp(argv[i], "pref")) && has_value) {
			if (!parse_u32(argv[++i], 0xffff, &prio)) {
				fprintf(stderr, "Illegal \"prio\"\n");
				return 1;
			}
			has_prio = true;
		} else {
			fprintf(stderr, "What is \"%s\"?\n", argv[i]);
			return explain_usage();
		}
	}
	if (!dev) {
		fprintf(stderr, "ctoffload: explain filter needs \"dev DEV\"\n");
		return explain_usage();
	}
	nlh->nlmsg_type = CTO_MSG_EXPLAIN_FILTER;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	mnl_attr_put_strz(nlh, CTO_A_EXPLAIN_DEV, dev);
	if (has_chain)
		mnl_attr_put_u32(nlh, CTO_A_EXPLAIN_CHAIN, chain);
	if (has_prio)
		mnl_attr_put_u32(nlh, CTO_A_EXPLAIN_PRIO, prio);
	if (explain_request(nlh, &d))
		return 1;
	if (!d.count && !d.json)
		fprintf(stderr, "ctoffload: no filter on %s%s\n", dev,
			has_chain || has_prio ? " matches" : "");
	return 0;
}

static bool parse_l4proto(const char *s, u_int32_t *v)
{
	static const struct { const char *name; u_int8_t proto; } names[] = {
		{ "tcp", IPPROTO_TCP }, { "udp", IPPROTO_UDP }, { "icmp", IPPROTO_ICMP },
		{ "icmpv6", IPPROTO_ICMPV6 }, { "sctp", IPPROTO_SCTP },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(s, names[i].name)) {
			*v = names[i].proto;
			return true;
		}
	}
	return parse_u32(s, 255, v);
}

/* an address for FT_ORIG_SRC/DST; its family, or 0 */
static int parse_addr(const char *s, unsigned char *addr)
{
	if (inet_pton(AF_INET, s, addr) == 1)
		return AF_INET;
	if (inet_pton(AF_INET6, s, addr) == 1)
		return AF_INET6;
	return 0;
}

static int explain_conn(int argc, char **argv)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct explain_dump d = { .render = explain_conn_render };
	unsigned char src[16], dst[16];
	int src_family = 0, dst_family = 0, family;
	u_int32_t zone = 0, l4 = 0, sport = 0, dport = 0;
	bool all = false, has_zone = false, has_l4 = false, has_sport = false, has_dport = false;
	int i;

	for (i = 1; i < argc; i++) {
		const char *key = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		bool ok = true;

		if (!strcmp(key, "-j") || !strcmp(key, "--json")) {
			d.json = true;
			continue;
		}
		if (!strcmp(key, "--all")) {
			all = true;
			continue;
		}
		if (!val) {
			fprintf(stderr, "What is \"%s\"?\n", key);
			return explain_usage();
		}
		i++;
		if (!strcmp(key, "zone"))
			ok = has_zone = parse_u32(val, 0xffff, &zone);
		else if (!strcmp(key, "proto"))
			ok = has_l4 = parse_l4proto(val, &l4);
		else if (!strcmp(key, "src"))
			ok = (src_family = parse_addr(val, src)) != 0;
		else if (!strcmp(key, "dst"))
			ok = (dst_family = parse_addr(val, dst)) != 0;
		else if (!strcmp(key, "sport"))
			ok = has_sport = parse_u32(val, 0xffff, &sport);
		else if (!strcmp(key, "dport"))
			ok = has_dport = parse_u32(val, 0xffff, &dport);
		else {
			fprintf(stderr, "What is \"%s\"?\n", key);
			return explain_usage();
		}
		if (!ok) {
			fprintf(stderr, "Illegal \"%s\"\n", key);
			return 1;
		}
	}
	if (src_family && dst_family && src_family != dst_family) {
		fprintf(stderr, "Illegal \"dst\": not the family of src\n");
		return 1;
	}
	family = src_family ? src_family : dst_family;
	if (all && (has_zone || has_l4 || family || has_sport || has_dport)) {
		fprintf(stderr, "ctoffload: explain conn: --all or a tuple, not both\n");
		return explain_usage();
	}
	if (!all && !(has_zone || has_l4 || family || has_sport || has_dport)) {
		fprintf(stderr, "ctoffload: explain conn needs a tuple "
			"(zone, proto, src, dst, sport, dport) or --all\n");
		return explain_usage();
	}

	nlh->nlmsg_type = CTO_MSG_EXPLAIN_CONN;
	nlh->nlmsg_flags = NLM_F_REQUEST | (all ? NLM_F_DUMP : 0);
	if (has_zone)
		mnl_attr_put_u16(nlh, CTO_A_FT_ZONE, zone);
	if (family)
		mnl_attr_put_u8(nlh, CTO_A_FT_L3PROTO,
				family == AF_INET ? NFPROTO_IPV4 : NFPROTO_IPV6);
	if (has_l4)
		mnl_attr_put_u8(nlh, CTO_A_FT_L4PROTO, l4);
	if (src_family)
		mnl_attr_put(nlh, CTO_A_FT_ORIG_SRC, src_family == AF_INET ? 4 : 16, src);
	if (dst_family)
		mnl_attr_put(nlh, CTO_A_FT_ORIG_DST, dst_family == AF_INET ? 4 : 16, dst);
	if (has_sport)
		mnl_attr_put_u16(nlh, CTO_A_FT_ORIG_SPORT, htons(sport));
	if (has_dport)
		mnl_attr_put_u16(nlh, CTO_A_FT_ORIG_DPORT, htons(dport));
	if (explain_request(nlh, &d))
		return 1;
	if (!d.count && !all) {
		if (!d.json)
			fprintf(stderr, "ctoffload: no connection matches\n");
		return 1;
	}
	return 0;
}

int cmd_explain(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "filter"))
		return explain_filter(argc - 1, argv + 1);
	if (argc >= 2 && !strcmp(argv[1], "conn"))
		return explain_conn(argc - 1, argv + 1);
	if (argc >= 2 && (!strcmp(argv[1], "help") || !strcmp(argv[1], "-h"))) {
		fputs(EXPLAIN_USAGE, stdout);
		return 0;
	}
	return explain_usage();
}
