// SPDX-License-Identifier: GPL-2.0
/*
 * ctoffload trace: send one packet through the daemon's datapath and show
 * every stage it went through (include/net/pkt_trace.h), or show the next
 * real packets entering a device.
 *
 *   ctoffload trace [-j | -v] [--commit] in_port DEV [FLOWER-KEYS...]
 *   ctoffload trace [-j | -v] [--commit] in_port DEV --pcap FILE [--index N]
 *   ctoffload trace --live DEV [--count N] [--timeout SECONDS] [-j | -v]
 *                   [FLOWER-KEYS...]
 *
 * The packet comes from flower's key words (pktbuild.c) or from a
 * capture.  Without --commit the daemon runs it dry: nothing it keeps
 * (conntrack, flowtables, counters, the model) changes.  The daemon
 * answers with the stages as JSON lines; render.c turns them into text,
 * -j prints them as one JSON array (--live: one JSON object per packet
 * and line, {"packet":N,"stages":[...]}); -v adds to the text what only
 * a developer needs (the steering's own table ids).
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <pcap/pcap.h>
#include <uapi/ctoffload/ctoffload.h>
#include "cto_nl.h"
#include "commands.h"
#include "pktbuild.h"
#include "render.h"

#define TRACE_USAGE							\
	"usage: ctoffload trace [-j | -v] [--commit] in_port DEV [FLOWER-KEYS...]\n"	\
	"       ctoffload trace [-j | -v] [--commit] in_port DEV --pcap FILE [--index N]\n" \
	"       ctoffload trace --live DEV [--count N] [--timeout SECONDS] [-j | -v]\n" \
	"                       [FLOWER-KEYS...]\n" \
	"FLOWER-KEYS: src_mac dst_mac vlan_id vlan_prio vlan_ethtype src_ip dst_ip ip_proto\n" \
	"  src_port dst_port tcp_flags ip_tos ip_ttl type code arp_op arp_sip arp_tip\n" \
	"  arp_sha arp_tha enc_src_ip enc_dst_ip enc_key_id enc_src_port enc_dst_port\n" \
	"  enc_tos enc_ttl, and for the packet only: proto ip|ipv6|arp, seq, ack,\n" \
	"  window, len (payload bytes), enc_src_mac, enc_dst_mac\n"

/* what TRACE_LIVE_GET polls for, in milliseconds */
#define TRACE_LIVE_POLL_MS	100
/* an attribute's payload is at most this (nla_len is 16 bits) */
#define TRACE_FRAME_MAX		(65535 - 4)
#define TRACE_REQ_SIZE		(TRACE_FRAME_MAX + 1024)

struct trace_args {
	bool json, commit, live;
	unsigned int render_flags;	/* TRACE_RENDER_* */
	const char *dev;
	const char *pcap_file;
	unsigned long index;
	unsigned long count;
	unsigned long timeout_s;	/* 0: none */
	int nkeys;
	char **keys;
};

/* the JSON lines of one trace, as the TRACE_TEXT pieces arrive */
struct trace_text {
	char *buf;
	size_t len, cap;
};

static int text_append(struct trace_text *t, const void *data, size_t len)
{
	if (t->len + len + 1 > t->cap) {
		size_t cap = max(2 * t->cap, t->len + len + 1);
		char *buf = realloc(t->buf, cap);

		if (!buf)
			return -ENOMEM;
		t->buf = buf;
		t->cap = cap;
	}
	memcpy(t->buf + t->len, data, len);
	t->len += len;
	t->buf[t->len] = '\0';
	return 0;
}

static int trace_usage(void)
{
	fputs(TRACE_USAGE, stderr);
	return 2;
}

static bool parse_ulong(const char *s, unsigned long max, unsigned long *v)
{
	char *end;

	if (!*s || *s == '-')
		return false;
	errno = 0;
	*v = strtoul(s, &end, 0);
	return !errno && !*end && *v <= max;
}

static int trace_parse_args(struct trace_args *a, int argc, char **argv)
{
	bool has_count = false, has_timeout = false, has_index = false;
	int i;

	a->index = 1;
	a->count = 1;
	a->keys = calloc(argc, sizeof(*a->keys));
	if (!a->keys)
		return -ENOMEM;
	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];
		bool has_value = i + 1 < argc;

		if (!strcmp(arg, "-j") || !strcmp(arg, "--json")) {
			a->json = true;
		} else if (!strcmp(arg, "-v") || !strcmp(arg, "--verbose")) {
			a->render_flags |= TRACE_RENDER_VERBOSE;
		} else if (!strcmp(arg, "--commit")) {
			a->commit = true;
		} else if (!strcmp(arg, "--live") && has_value && !a->dev) {
			a->live = true;
			a->dev = argv[++i];
		} else if (!strcmp(arg, "in_port") && has_value && !a->dev) {
			a->dev = argv[++i];
		} else if (!strcmp(arg, "--pcap") && has_value) {
			a->pcap_file = argv[++i];
		} else if (!strcmp(arg, "--index") && has_value) {
			if (!parse_ulong(argv[++i], ULONG_MAX, &a->index) || !a->index) {
				fprintf(stderr, "ctoffload: trace: bad --index \"%s\"\n", argv[i]);
				return -EINVAL;
			}
			has_index = true;
		} else if (!strcmp(arg, "--count") && has_value) {
			if (!parse_ulong(argv[++i], UINT32_MAX, &a->count) || !a->count) {
				fprintf(stderr, "ctoffload: trace: bad --count \"%s\"\n", argv[i]);
				return -EINVAL;
			}
			has_count = true;
		} else if (!strcmp(arg, "--timeout") && has_value) {
			if (!parse_ulong(argv[++i], 86400 * 365, &a->timeout_s) || !a->timeout_s) {
				fprintf(stderr, "ctoffload: trace: bad --timeout \"%s\"\n", argv[i]);
				return -EINVAL;
			}
			has_timeout = true;
		} else if (arg[0] == '-' && arg[1] == '-') {
			fprintf(stderr, "ctoffload: trace: bad option \"%s\"\n", arg);
			return -EINVAL;
		} else {
			/* a key and its value: pktbuild judges both */
			a->keys[a->nkeys++] = argv[i];
			if (has_value)
				a->keys[a->nkeys++] = argv[++i];
		}
	}
	if (!a->dev) {
		fprintf(stderr, "ctoffload: trace needs \"in_port DEV\" or \"--live DEV\"\n");
		return -EINVAL;
	}
	if (a->live && (a->commit || a->pcap_file)) {
		fprintf(stderr, "ctoffload: trace --live takes neither --commit nor --pcap\n");
		return -EINVAL;
	}
	if (!a->live && (has_count || has_timeout)) {
		fprintf(stderr, "ctoffload: --count and --timeout are for trace --live\n");
		return -EINVAL;
	}
	if (a->pcap_file && a->nkeys) {
		fprintf(stderr, "ctoffload: trace: --pcap takes the packet from the capture, "
			"not from keys (\"%s\")\n", a->keys[0]);
		return -EINVAL;
	}
	if (has_index && !a->pcap_file) {
		fprintf(stderr, "ctoffload: trace: --index is for --pcap\n");
		return -EINVAL;
	}
	return 0;
}

/* frame number index (1: the first) of an Ethernet capture; its length */
static int read_pcap_frame(const char *file, unsigned long index, unsigned char *buf,
			   size_t size)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *hdr;
	const u_char *data;
	unsigned long n = 0;
	int ret = -EINVAL;
	pcap_t *p;

	p = pcap_open_offline(file, errbuf);
	if (!p) {
		fprintf(stderr, "ctoffload: %s\n", errbuf);
		return -EINVAL;
	}
	if (pcap_datalink(p) != DLT_EN10MB) {
		fprintf(stderr, "ctoffload: %s: link type %s, only Ethernet (EN10MB) can be traced\n",
			file, pcap_datalink_val_to_name(pcap_datalink(p)) ?: "unknown");
		goto out;
	}
	for (;;) {
		int r = pcap_next_ex(p, &hdr, &data);

		if (r == PCAP_ERROR_BREAK) {
			fprintf(stderr, "ctoffload: %s has %lu frame%s, no frame %lu\n", file, n,
				n == 1 ? "" : "s", index);
			goto out;
		}
		if (r < 0) {
			fprintf(stderr, "ctoffload: %s: %s\n", file, pcap_geterr(p));
			goto out;
		}
		if (++n == index)
			break;
	}
	if (hdr->caplen < hdr->len) {
		fprintf(stderr, "ctoffload: %s: frame %lu was captured short (%u of %u bytes)\n",
			file, index, hdr->caplen, hdr->len);
		goto out;
	}
	if (hdr->caplen > size || hdr->caplen < 14) {
		fprintf(stderr, "ctoffload: %s: frame %lu has %u bytes, not 14 to %zu\n", file,
			index, hdr->caplen, size);
		goto out;
	}
	memcpy(buf, data, hdr->caplen);
	ret = hdr->caplen;
out:
	pcap_close(p);
	return ret;
}

/* ---- the uplink's MAC, the outer destination of an encapsulated packet ---- */

static int link_mac_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *attr;

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	mnl_attr_for_each(attr, nlh, sizeof(struct ifinfomsg))
		if (mnl_attr_get_type(attr) == IFLA_ADDRESS &&
		    mnl_attr_get_payload_len(attr) == ETH_ALEN)
			memcpy(data, mnl_attr_get_payload(attr), ETH_ALEN);
	return MNL_CB_OK;
}

/*
 * A frame from the wire is addressed to the uplink: ask the daemon for
 * DEV's address as `ip link` would.  Silent when it cannot tell: the
 * default address stays and the trace shows what became of the frame.
 */
static void link_mac(const char *dev, unsigned char *mac)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	unsigned char found[ETH_ALEN] = {};
	static const unsigned char none[ETH_ALEN];
	struct ifinfomsg *ifi;
	int fd;

	nlh->nlmsg_type = RTM_GETLINK;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, dev);
	fd = cto_nl_open(NETLINK_ROUTE);
	if (fd < 0)
		return;
	if (!cto_nl_request(fd, nlh, link_mac_cb, found, "ctoffload") &&
	    memcmp(found, none, ETH_ALEN))
		memcpy(mac, found, ETH_ALEN);
	close(fd);
}

/* ---- trace ---- */

static int collect_text(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, 0)
		if (mnl_attr_get_type(attr) == CTO_A_TRACE_TEXT &&
		    text_append(data, mnl_attr_get_payload(attr), mnl_attr_get_payload_len(attr)))
			return MNL_CB_ERROR;
	return MNL_CB_OK;
}

/* the daemon's error: its extack came first as "Error: ..." (as tc does) */
static void trace_failed(const char *what, int err)
{
	fprintf(stderr, "ctoffload: %s failed: %s\n", what, strerror(-err));
}

static int trace_packet(struct trace_args *a)
{
	struct trace_text text = {};
	struct pkt_spec spec;
	struct nlmsghdr *nlh;
	unsigned char *frame;
	char *req;
	int len, fd, err, ret = 1;

	req = malloc(TRACE_REQ_SIZE);
	frame = malloc(TRACE_FRAME_MAX);
	if (!req || !frame)
		goto out;
	if (a->pcap_file) {
		len = read_pcap_frame(a->pcap_file, a->index, frame, TRACE_FRAME_MAX);
	} else if (pkt_spec_parse(&spec, a->nkeys, a->keys)) {
		fprintf(stderr, "%s\n", spec.err);
		goto out;
	} else {
		if ((spec.given & PKT_KEY_ENC_ANY) &&
		    !(spec.given & BIT_ULL(PKT_KEY_ENC_DST_MAC)))
			link_mac(a->dev, spec.enc_dst_mac);
		len = pkt_build(&spec, frame, TRACE_FRAME_MAX);
	}
	if (len < 0)
		goto out;

	nlh = mnl_nlmsg_put_header(req);
	nlh->nlmsg_type = CTO_MSG_TRACE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	mnl_attr_put_strz(nlh, CTO_A_TRACE_DEV, a->dev);
	mnl_attr_put(nlh, CTO_A_TRACE_FRAME, len, frame);
	mnl_attr_put_u8(nlh, CTO_A_TRACE_COMMIT, a->commit);
	fd = cto_nl_open(NETLINK_CTOFFLOAD);
	if (fd < 0)
		goto out;
	err = cto_nl_request(fd, nlh, collect_text, &text, "Error");
	close(fd);
	if (err) {
		trace_failed("trace", err);
		goto out;
	}
	if (!text.len) {
		fprintf(stderr, "ctoffload: the daemon sent an empty trace\n");
		goto out;
	}
	if (a->json) {
		trace_render_json(stdout, text.buf, text.len);
		putchar('\n');
	} else {
		trace_render_text(stdout, text.buf, text.len, a->render_flags);
	}
	ret = 0;
out:
	free(text.buf);
	free(frame);
	free(req);
	return ret;
}

/* ---- trace --live ---- */

struct live_poll {
	bool json;
	unsigned int render_flags;
	bool have;			/* a trace is being collected */
	u32 index;
	long long remaining;		/* TRACE_COUNT of the last message; -1: none yet */
	struct trace_text text;
};

static void live_print(struct live_poll *l)
{
	if (!l->have)
		return;
	if (l->json) {
		printf("{\"packet\":%u,\"stages\":", l->index);
		trace_render_json(stdout, l->text.buf ? l->text.buf : "", l->text.len);
		printf("}\n");
	} else {
		printf("packet %u:\n", l->index);
		trace_render_text(stdout, l->text.buf ? l->text.buf : "", l->text.len,
				  l->render_flags);
	}
	fflush(stdout);
	l->have = false;
	l->text.len = 0;
}

static int live_collect(const struct nlmsghdr *nlh, void *data)
{
	struct live_poll *l = data;
	const struct nlattr *attr;

	mnl_attr_for_each(attr, nlh, 0) {
		switch (mnl_attr_get_type(attr)) {
		case CTO_A_TRACE_INDEX:
			if (l->have && l->index != mnl_attr_get_u32(attr))
				live_print(l);
			l->index = mnl_attr_get_u32(attr);
			l->have = true;
			break;
		case CTO_A_TRACE_TEXT:
			if (text_append(&l->text, mnl_attr_get_payload(attr),
					mnl_attr_get_payload_len(attr)))
				return MNL_CB_ERROR;
			break;
		case CTO_A_TRACE_COUNT:
			l->remaining = mnl_attr_get_u32(attr);
			break;
		}
	}
	return MNL_CB_OK;
}

static int live_arm(int fd, const char *dev, u32 count, const struct fl_flow_key *key,
		    const struct fl_flow_key *mask)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);

	nlh->nlmsg_type = CTO_MSG_TRACE_LIVE;
	mnl_attr_put_strz(nlh, CTO_A_TRACE_DEV, dev);
	mnl_attr_put_u32(nlh, CTO_A_TRACE_COUNT, count);
	if (key) {
		mnl_attr_put(nlh, CTO_A_TRACE_KEY, sizeof(*key), key);
		mnl_attr_put(nlh, CTO_A_TRACE_MASK, sizeof(*mask), mask);
	}
	return cto_nl_request(fd, nlh, NULL, NULL, "Error");
}

static int live_get(int fd, const char *dev, struct live_poll *l)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	int err;

	nlh->nlmsg_type = CTO_MSG_TRACE_LIVE_GET;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	mnl_attr_put_strz(nlh, CTO_A_TRACE_DEV, dev);
	err = cto_nl_request(fd, nlh, live_collect, l, "Error");
	live_print(l);
	return err;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/*
 * SIGINT and SIGTERM stay blocked and are taken only while waiting
 * between polls: a request is never cut in half, and the same socket
 * can still disarm the trace.
 */
static int trace_live(struct trace_args *a)
{
	struct live_poll l = { .json = a->json, .render_flags = a->render_flags,
			       .remaining = -1 };
	struct fl_flow_key key, mask;
	struct timespec poll = { 0, TRACE_LIVE_POLL_MS * 1000000L };
	long long deadline = a->timeout_s ? now_ms() + a->timeout_s * 1000LL : 0;
	struct pkt_spec spec;
	sigset_t stop;
	int fd, err, ret = 1;

	if (pkt_spec_parse(&spec, a->nkeys, a->keys) ||
	    pkt_spec_flow_key(&spec, &key, &mask)) {
		fprintf(stderr, "%s\n", spec.err);
		return 1;
	}
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigprocmask(SIG_BLOCK, &stop, NULL);

	fd = cto_nl_open(NETLINK_CTOFFLOAD);
	if (fd < 0)
		return 1;
	err = live_arm(fd, a->dev, a->count, a->nkeys ? &key : NULL, &mask);
	if (err) {
		trace_failed("trace --live", err);
		goto out;
	}
	for (;;) {
		err = live_get(fd, a->dev, &l);
		if (err) {
			trace_failed("trace --live", err);
			break;
		}
		if (l.remaining == 0) {
			ret = 0;
			break;
		}
		if (deadline && now_ms() >= deadline) {
			fprintf(stderr, "ctoffload: trace --live: %lu s passed, %lld of %lu packets "
				"not seen\n", a->timeout_s, l.remaining < 0 ? (long long)a->count :
				l.remaining, a->count);
			live_arm(fd, a->dev, 0, NULL, NULL);
			break;
		}
		if (sigtimedwait(&stop, NULL, &poll) > 0) {
			/* interrupted: leave the daemon as it was */
			live_arm(fd, a->dev, 0, NULL, NULL);
			ret = 0;
			break;
		}
	}
out:
	free(l.text.buf);
	close(fd);
	return ret;
}

int cmd_trace(int argc, char **argv)
{
	struct trace_args a = {};
	int ret;

	if (argc < 2 || !strcmp(argv[1], "help") || !strcmp(argv[1], "-h")) {
		fputs(TRACE_USAGE, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	if (trace_parse_args(&a, argc, argv)) {
		free(a.keys);
		return trace_usage();
	}
	ret = a.live ? trace_live(&a) : trace_packet(&a);
	free(a.keys);
	return ret;
}
