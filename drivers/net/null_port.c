// SPDX-License-Identifier: GPL-2.0
/*
 * null ports: nothing is received, everything transmitted is counted and
 * dropped.  For control-plane tests that need representors but no traffic,
 * and that run side by side without fighting over host TAP names.
 */
#include <linux/init.h>
#include <net/port.h>

static int null_open(struct port *p, const char *arg)
{
	(void)p;
	(void)arg;
	return 0;
}

static int null_rx_burst(struct port *p, unsigned int queue, struct sk_buff **skbs, int max,
			 struct skb_pool *pool)
{
	return 0;
}

static int null_xmit(struct port *p, const struct sk_buff *skb)
{
	return 0;
}

static void null_close(struct port *p)
{
}

static const struct port_ops null_port_ops = {
	.kind = "null",
	.open = null_open,
	.rx_burst = null_rx_burst,
	.xmit = null_xmit,
	.close = null_close,
};

static void null_port_init(void)
{
	port_register(&null_port_ops);
}
module_init(null_port_init);
