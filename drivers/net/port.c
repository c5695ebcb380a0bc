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
	p->ops = port_kinds[i];
	p->fd = -1;
	snprintf(p->name, sizeof(p->name), "%s", name);
	err = p->ops->open(p, colon ? colon + 1 : NULL);
	if (err) {
		kfree(p);
		errno = -err;
		return NULL;
	}
	return p;
}

int port_rx_burst(struct port *p, struct sk_buff **skbs, int max, struct skb_pool *pool)
{
	int i, n = p->ops->rx_burst(p, skbs, max, pool);

	for (i = 0; i < n; i++)
		p->stats.rx_bytes += skbs[i]->len;
	if (n > 0)
		p->stats.rx_packets += n;
	return n;
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
	struct sk_buff *frag;

	if (unlikely(skb->trace || pkt_trace_dry_run) && !port_xmit_trace(p, skb)) {
		consume_skb(skb);
		return;
	}
	/* a reassembled datagram leaves as the fragments it came in */
	for (frag = skb; frag; frag = frag->frag_next) {
		if (likely(!p->ops->xmit(p, frag))) {
			p->stats.tx_packets++;
			p->stats.tx_bytes += frag->len;
		} else {
			p->stats.tx_errors++;
		}
	}
	consume_skb(skb);
}

void port_destroy(struct port *p)
{
	if (!p)
		return;
	p->ops->close(p);
	kfree(p);
}
