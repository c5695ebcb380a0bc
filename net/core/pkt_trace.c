// SPDX-License-Identifier: GPL-2.0
/*
 * Per-packet trace records (include/net/pkt_trace.h): one JSON object a
 * line, appended by the stages a traced packet goes through.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/slab.h>
#include <linux/string_helpers.h>
#include <net/flow_dissector.h>
#include <net/pkt_trace.h>
#include <net/port.h>

bool pkt_trace_dry_run;

void pkt_trace_init(struct pkt_trace *t, bool dry_run)
{
	memset(t, 0, sizeof(*t));
	t->dry_run = dry_run;
}

void pkt_trace_release(struct pkt_trace *t)
{
	free(t->buf);
	t->buf = NULL;
	t->len = t->cap = 0;
}

/* room for need more bytes (and a NUL); false when the trace is full */
static bool pkt_trace_room(struct pkt_trace *t, size_t need)
{
	size_t cap = t->cap ? t->cap : 1024;
	char *buf;

	if (t->len + need + 1 <= t->cap)
		return true;
	if (t->len + need + 1 > PKT_TRACE_MAX_BYTES) {
		t->truncated = true;
		return false;
	}
	while (cap < t->len + need + 1)
		cap *= 2;
	buf = realloc(t->buf, cap);
	if (!buf) {
		t->truncated = true;
		return false;
	}
	t->buf = buf;
	t->cap = cap;
	return true;
}

void __pkt_trace(struct pkt_trace *t, const char *stage, const char *fmt, ...)
{
	va_list ap;
	int body;

	va_start(ap, fmt);
	body = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	/* {"stage":"NAME",BODY}\n */
	if (body < 0 || !pkt_trace_room(t, strlen(stage) + body + 16))
		return;
	t->len += sprintf(t->buf + t->len, "{\"stage\":\"%s\"%s", stage, body ? "," : "");
	va_start(ap, fmt);
	t->len += vsprintf(t->buf + t->len, fmt, ap);
	va_end(ap);
	t->len += sprintf(t->buf + t->len, "}\n");
	t->nstages++;
}

void pkt_trace_attach(struct sk_buff *skb, struct pkt_trace *t, const struct port *p)
{
	skb->trace = t;
	__pkt_trace(t, "port_rx", "\"port\":\"%s\",\"len\":%u", p->name, skb->len);
}

char *pkt_trace_hex(const void *data, unsigned int len)
{
	static const char digits[] = "0123456789abcdef";
	const u8 *p = data;
	char *s = malloc(2 * (size_t)len + 1);
	unsigned int i;

	if (!s)
		return NULL;
	for (i = 0; i < len; i++) {
		s[2 * i] = digits[p[i] >> 4];
		s[2 * i + 1] = digits[p[i] & 0xf];
	}
	s[2 * len] = '\0';
	return s;
}

/* ---- --live: trace the next real packets ---- */

#define PKT_TRACE_LIVE_MAX	64	/* completed traces kept until collected */

struct pkt_trace_live_entry {
	struct pkt_trace t;
	u32 index;
};

struct port *pkt_trace_live_port;

static struct {
	pthread_mutex_t lock;
	struct fl_flow_key key, mask;
	bool match_all;
	u32 remaining;			/* packets still to trace */
	u32 next_index;
	/* the completed traces */
	struct pkt_trace_live_entry *done[PKT_TRACE_LIVE_MAX];
	unsigned int ndone;
} live = { .lock = PTHREAD_MUTEX_INITIALIZER };

/* the traces in this datapath thread's burst */
static __thread struct pkt_trace_live_entry *live_inflight[SKB_BURST];
static __thread unsigned int live_ninflight;

static bool pkt_trace_live_match(struct sk_buff *skb)
{
	const u8 *k, *m, *want;
	struct fl_flow_key key;
	size_t i;

	if (live.match_all)
		return true;
	memset(&key, 0, sizeof(key));
	if (skb_flow_dissect_fl(skb, &key))
		return false;
	k = (const u8 *)&key;
	m = (const u8 *)&live.mask;
	want = (const u8 *)&live.key;
	for (i = 0; i < sizeof(key); i++)
		if ((k[i] & m[i]) != (want[i] & m[i]))
			return false;
	return true;
}

void pkt_trace_live_rx(struct port *p, struct sk_buff **skbs, int n)
{
	struct pkt_trace_live_entry *e;
	int i;

	pthread_mutex_lock(&live.lock);
	for (i = 0; i < n && live.remaining && live_ninflight < SKB_BURST; i++) {
		if (pkt_trace_dry_run || p != pkt_trace_live_port || !pkt_trace_live_match(skbs[i]))
			continue;
		e = calloc(1, sizeof(*e));
		if (!e)
			break;
		pkt_trace_init(&e->t, false);
		e->index = ++live.next_index;
		pkt_trace_attach(skbs[i], &e->t, p);
		live_inflight[live_ninflight++] = e;
		live.remaining--;
	}
	pthread_mutex_unlock(&live.lock);
}

void pkt_trace_live_done(void)
{
	unsigned int i;

	pthread_mutex_lock(&live.lock);
	for (i = 0; i < live_ninflight; i++) {
		struct pkt_trace_live_entry *e = live_inflight[i];

		if (live.ndone < PKT_TRACE_LIVE_MAX) {
			live.done[live.ndone++] = e;
		} else {
			pkt_trace_release(&e->t);
			free(e);
		}
	}
	live_ninflight = 0;
	if (!live.remaining)
		WRITE_ONCE(pkt_trace_live_port, NULL);
	pthread_mutex_unlock(&live.lock);
}

int pkt_trace_live_arm(struct port *p, u32 count, const struct fl_flow_key *key,
		       const struct fl_flow_key *mask)
{
	pthread_mutex_lock(&live.lock);
	live.remaining = count;
	live.next_index = 0;
	live.match_all = !key || !mask;
	/* from a netlink attribute: only 4-byte aligned */
	if (!live.match_all) {
		memcpy(&live.key, key, sizeof(live.key));
		memcpy(&live.mask, mask, sizeof(live.mask));
	}
	WRITE_ONCE(pkt_trace_live_port, count ? p : NULL);
	pthread_mutex_unlock(&live.lock);
	return 0;
}

u32 pkt_trace_live_collect(void (*fn)(u32 index, const char *text, size_t len, void *arg),
			   void *arg)
{
	unsigned int i, n;
	struct pkt_trace_live_entry *done[PKT_TRACE_LIVE_MAX];
	u32 remaining;

	pthread_mutex_lock(&live.lock);
	n = live.ndone;
	memcpy(done, live.done, n * sizeof(done[0]));
	live.ndone = 0;
	remaining = live.remaining;
	pthread_mutex_unlock(&live.lock);
	for (i = 0; i < n; i++) {
		fn(done[i]->index, done[i]->t.buf ? done[i]->t.buf : "", done[i]->t.len, arg);
		pkt_trace_release(&done[i]->t);
		free(done[i]);
	}
	return remaining;
}

const char *pkt_trace_json_str(char *buf, size_t size, const char *s)
{
	if (size)
		buf[string_escape_json(buf, size - 1, &s)] = '\0';
	return buf;
}
