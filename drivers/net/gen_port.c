// SPDX-License-Identifier: GPL-2.0
/*
 * The in-memory generator port, for benchmarks: "gen[:flows=N,len=L]"
 * receives an endless stream of L-byte IPv4/UDP frames (default 64) from
 * 10.0.1.x to 10.0.0.2, cycling over N flows (source port and address).
 * Frames are written from a template, so generating costs a copy.
 *
 * With n rx queues (one per datapath thread) the flows are split as RSS
 * would: queue q sends flows q, q + n, q + 2n...
 */
#include <stdio.h>
#include <stdlib.h>
#include <arpa/inet.h>
#include <linux/init.h>
#include <linux/slab.h>
#include <net/port.h>

/* one queue's position, on its own cache line (one thread each) */
struct gen_queue {
	u32 next;
} __aligned(SMP_CACHE_BYTES);

struct gen_port {
	unsigned char tmpl[SKB_DATA_MAX];
	unsigned int len;
	u32 flows;
	unsigned int nqueues;
	struct gen_queue q[PORT_MAX_QUEUES];
};

static const struct port_ops gen_port_ops;

static u16 ip_csum(const void *data, int len)
{
	const u16 *p = data;
	u32 sum = 0;

	while (len > 1) {
		sum += *p++;
		len -= 2;
	}
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum;
}

static void gen_build_template(struct gen_port *g)
{
	static const unsigned char hdr[] = {
		0x02, 0xc7, 0, 0, 0, 0x02,	0x02, 0, 0, 0, 0, 0x01,	0x08, 0x00,
		0x45, 0, 0, 0, 0, 0, 0x40, 0, 64, 17, 0, 0,
		10, 0, 1, 1,	10, 0, 0, 2,
		0x13, 0x88, 0x13, 0x89, 0, 0, 0, 0,
	};
	unsigned char *ip = g->tmpl + 14;

	memcpy(g->tmpl, hdr, sizeof(hdr));
	ip[2] = (g->len - 14) >> 8;
	ip[3] = (g->len - 14) & 0xff;
	ip[24] = (g->len - 34) >> 8;	/* UDP length */
	ip[25] = (g->len - 34) & 0xff;
}

static void gen_reset(struct gen_port *g)
{
	unsigned int q;

	for (q = 0; q < PORT_MAX_QUEUES; q++)
		g->q[q].next = q;
}

static int gen_open(struct port *p, const char *arg)
{
	struct gen_port *g = kzalloc(sizeof(*g), GFP_KERNEL);
	const char *s;

	if (!g)
		return -ENOMEM;
	g->flows = 1;
	g->len = 64;
	g->nqueues = 1;
	if (arg && (s = strstr(arg, "flows=")))
		g->flows = strtoul(s + 6, NULL, 0);
	if (arg && (s = strstr(arg, "len=")))
		g->len = strtoul(s + 4, NULL, 0);
	if (!g->flows || g->len < 60 || g->len > SKB_DATA_MAX) {
		kfree(g);
		return -EINVAL;
	}
	gen_build_template(g);
	gen_reset(g);
	p->priv = g;
	return 0;
}

static int gen_rx_burst(struct port *p, unsigned int queue, struct sk_buff **skbs, int max,
			struct skb_pool *pool)
{
	struct gen_port *g = p->priv;
	struct gen_queue *gq = &g->q[queue];
	int n;

	if (queue >= g->flows)
		return 0;		/* fewer flows than queues: this one is idle */
	for (n = 0; n < max; n++) {
		struct sk_buff *skb = alloc_skb(pool);
		unsigned char *ip;
		u32 f = gq->next;

		gq->next += g->nqueues;
		if (gq->next >= g->flows)
			gq->next = queue;
		if (!skb)
			break;
		memcpy(skb->data, g->tmpl, g->len);
		ip = skb->data + 14;
		/* flow f: source address 10.0.x.y and source port from f */
		ip[14] = 1 + ((f >> 16) & 0x7f);
		ip[15] = f >> 8;
		ip[20] = 0x10 | ((f >> 24) & 0xf);
		ip[21] = f;
		ip[10] = ip[11] = 0;
		*(u16 *)(ip + 10) = ip_csum(ip, 20);
		skb->len = g->len;
		skbs[n] = skb;
	}
	return n;
}

/* with the port's queues idle */
int gen_port_set_flows(struct port *p, u32 flows)
{
	struct gen_port *g = p->priv;

	if (p->ops != &gen_port_ops || !flows)
		return -EINVAL;
	g->flows = flows;
	gen_reset(g);
	return 0;
}

static int gen_set_queues(struct port *p, unsigned int n)
{
	struct gen_port *g = p->priv;

	g->nqueues = n;
	p->num_rx_queues = n;
	gen_reset(g);
	return 0;
}

/* the generator is also a sink: what is sent to it is only counted */
static int gen_xmit(struct port *p, const struct sk_buff *skb)
{
	return 0;
}

static void gen_close(struct port *p)
{
	kfree(p->priv);
}

static const struct port_ops gen_port_ops = {
	.kind = "gen",
	.open = gen_open,
	.rx_burst = gen_rx_burst,
	.set_queues = gen_set_queues,
	.xmit = gen_xmit,
	.close = gen_close,
};

static void gen_port_init(void)
{
	port_register(&gen_port_ops);
}
module_init(gen_port_init);
