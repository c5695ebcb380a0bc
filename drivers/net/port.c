// SPDX-License-Identifier: GPL-2.0
/* Port backend registry: a port is created from "kind[:arg]". */
#include <stdio.h>
#include <stdlib.h>
#include <linux/slab.h>
#include <net/port.h>
#include <net/pkt_trace.h>
#include <linux/netdev.h>

static const struct port_ops *port_kinds[8];
static int port_nkinds;

void port_register(const struct port_ops *ops)
{
	if (port_nkinds < (int)ARRAY_SIZE(port_kinds))
		port_kinds[port_nkinds++] = ops;
}

struct port *port_create(const char *spec, const char *name)
{
	const char *colon = strchr(spec, ':');
	size_t klen = colon ? (size_t)(colon - spec) : strlen(spec);
	struct port *p;
	int i, err;

	for (i = 0; i < port_nkinds; i++)
		if (strlen(port_kinds[i]->kind) == klen &&
		    !strncmp(port_kinds[i]->kind, spec, klen))
			break;
	if (i == port_nkinds) {
		errno = EINVAL;
		return NULL;
	}
	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return NULL;
	p->pcpu_stats = alloc_percpu(struct port_stats);
	if (!p->pcpu_stats) {
		kfree(p);
		return NULL;
	}
	p->ops = port_kinds[i];
	p->num_rx_queues = 1;
	for (i = 0; i < PORT_MAX_QUEUES; i++)
		p->fd[i] = -1;
	snprintf(p->name, sizeof(p->name), "%s", name);
	err = p->ops->open(p, colon ? colon + 1 : NULL);
	if (err) {
		free_percpu(p->pcpu_stats);
		kfree(p);
		errno = -err;
		return NULL;
	}
	return p;
}

int port_set_queues(struct port *p, unsigned int n)
{
	if (!n || n > PORT_MAX_QUEUES)
		return -EINVAL;
	if (!p->ops->set_queues || n == p->num_rx_queues)
		return 0;
	return p->ops->set_queues(p, n);
}

int port_rx_burst(struct port *p, unsigned int queue, struct sk_buff **skbs, int max,
		  struct skb_pool *pool)
{
	int i, n = p->ops->rx_burst(p, queue, skbs, max, pool);
	struct port_stats *st;
	unsigned long bytes = 0;

	if (n <= 0)
		return n;
	for (i = 0; i < n; i++)
		bytes += skbs[i]->len;
	st = this_cpu_ptr(p->pcpu_stats);
	u64_stats_add(&st->rx_packets, n);
	u64_stats_add(&st->rx_bytes, bytes);
	return n;
}

void port_get_stats(const struct port *p, struct port_stats_total *s)
{
	int cpu;

	memset(s, 0, sizeof(*s));
	for_each_possible_cpu(cpu) {
		const struct port_stats *st = per_cpu_ptr(p->pcpu_stats, cpu);

		s->rx_packets += u64_stats_read(&st->rx_packets);
		s->rx_bytes += u64_stats_read(&st->rx_bytes);
		s->rx_dropped += u64_stats_read(&st->rx_dropped);
		s->tx_packets += u64_stats_read(&st->tx_packets);
		s->tx_bytes += u64_stats_read(&st->tx_bytes);
		s->tx_errors += u64_stats_read(&st->tx_errors);
	}
}

/*
 * `ctoffload trace`: each frame that would leave, recorded; a dry run (or
 * a dry-run copy of the daemon) sends nothing and counts nothing.
 * Returns whether the frames are sent.
 */
static bool port_xmit_trace(struct port *p, struct sk_buff *skb)
{
	struct sk_buff *frag;

	for (frag = skb; skb->trace && frag; frag = frag->frag_next) {
		char *data = pkt_trace_hex(frag->data, frag->len);

		__pkt_trace(skb->trace, "tx", "\"dev\":\"%s\",\"port\":\"%s\",\"len\":%u,\"data\":\"%s\"%s",
			    skb->dev ? skb->dev->name : "", p->name, frag->len, data ? data : "",
			    skb->trace->dry_run || pkt_trace_dry_run ? ",\"sent\":false" : "");
		free(data);
	}
	return !pkt_trace_dry_run && !(skb->trace && skb->trace->dry_run);
}

void port_xmit(struct port *p, struct sk_buff *skb)
{
	struct port_stats *st;
	struct sk_buff *frag;

	if (unlikely(skb->trace || pkt_trace_dry_run) && !port_xmit_trace(p, skb)) {
		consume_skb(skb);
		return;
	}
	st = this_cpu_ptr(p->pcpu_stats);
	/* a reassembled datagram leaves as the fragments it came in */
	for (frag = skb; frag; frag = frag->frag_next) {
		if (likely(!p->ops->xmit(p, frag))) {
			u64_stats_inc(&st->tx_packets);
			u64_stats_add(&st->tx_bytes, frag->len);
		} else {
			u64_stats_inc(&st->tx_errors);
		}
	}
	consume_skb(skb);
}

__thread bool port_xmit_batching;
static __thread struct port *flush_list[16];
static __thread unsigned int flush_n;

void port_flush_later(struct port *p)
{
	if (flush_n < ARRAY_SIZE(flush_list)) {
		flush_list[flush_n++] = p;
		return;
	}
	p->ops->flush(p);	/* more ports than we keep: at once */
}

void port_flush_all(void)
{
	while (flush_n) {
		struct port *p = flush_list[--flush_n];

		p->ops->flush(p);
	}
}

void port_destroy(struct port *p)
{
	if (!p)
		return;
	p->ops->close(p);
	free_percpu(p->pcpu_stats);
	kfree(p);
}
