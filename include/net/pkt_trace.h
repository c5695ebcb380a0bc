/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-packet trace (`ctoffload trace`): every stage a packet goes
 * through can say what it did, at the cost of one pointer test when the
 * packet is not traced.
 *
 * A traced skb points at a struct pkt_trace that its tracer owns (the
 * control thread for `ctoffload trace`, the datapath for `--live`); the
 * skb never frees it, and copies of the skb (mirred mirror) share it.
 * Each stage appends one JSON object on a line of its own:
 *
 *	{"stage":"tc_filter","dev":"ens1f0_0","chain":2,"prio":1,...}
 *
 * pkt_trace(skb, "stage", FMT, ...) takes the object's members after
 * "stage" as printf does, without braces: `"\"dev\":\"%s\",\"chain\":%u"`.
 * The stage names and members are the protocol between the daemon and
 * the client, which renders them (tools/ctoffload/trace.c); keep them
 * stable:
 *
 *   port_rx	port, len			the packet enters by this port
 *   hw_table	table, fte | miss		a model table: the FTE that matched, or
 *						where a miss goes ("software", a table)
 *   hw_actions	fte, actions, regs		what the FTE did; regs: reg_c_0..5 after it
 *   hw_fwd	vport, encap			the model sent it out of a vport
 *   hw_miss	dev, chain, zone_restore,	the model gave it to software; what the
 *		tunnel, ct			representor restored
 *   tc_chain	dev, chain			tc classifies at this chain
 *   tc_filter	dev, chain, prio, handle,	this filter matched
 *		kind, in_hw
 *   tc_action	kind, result, ...		an action ran; result: pipe, ok, shot,
 *						stolen, goto chain N, ... (+ details)
 *   ct		zone, tuple, before, after,	act_ct's conntrack lookup; before/after:
 *		ctinfo, nat, commit		the connection's state around it
 *   flowtable	zone, result			hit, miss, teardown (fin/rst), added
 *   offload	work, zone			flowtable offload work queued (add/del/stats)
 *   stack	dev, proto, what		the host stack (ARP, ND, ICMP, VXLAN rx)
 *   tx		dev, port, len, data		leaves a port; data: the frame in hex
 *   drop	dev, reason			freed as a drop (skb_drop_reason name)
 *
 * dry_run: the trace runs in a copy of the daemon (a fork) and must not
 * leave it: port_xmit() records "tx" instead of sending, and netlink
 * events are not sent.
 */
#ifndef _NET_PKT_TRACE_H
#define _NET_PKT_TRACE_H

#include <stdarg.h>
#include <linux/compiler.h>
#include <linux/skbuff.h>

#define PKT_TRACE_MAX_BYTES	(256 << 10)

struct pkt_trace {
	char *buf;			/* the stages, JSON lines */
	size_t len, cap;
	unsigned int nstages;
	bool dry_run;
	bool truncated;			/* stages were lost to PKT_TRACE_MAX_BYTES */
};

void pkt_trace_init(struct pkt_trace *t, bool dry_run);
void pkt_trace_release(struct pkt_trace *t);

__attribute__((format(printf, 3, 4)))
void __pkt_trace(struct pkt_trace *t, const char *stage, const char *fmt, ...);

#define pkt_trace(skb, stage, fmt, ...)						\
	do {									\
		if (unlikely((skb)->trace))					\
			__pkt_trace((skb)->trace, stage, fmt, ##__VA_ARGS__);	\
	} while (0)

/* is the daemon a dry-run copy (no packet, no event may leave it)? */
extern bool pkt_trace_dry_run;

/*
 * --live: the next packets entering port that match key/mask are traced
 * for real.  The datapath calls pkt_trace_live_rx() before a burst of
 * the armed port goes in and pkt_trace_live_done() after it ran; the
 * control thread arms, disarms and collects.
 */
struct port;
struct fl_flow_key;
extern struct port *pkt_trace_live_port;
void pkt_trace_live_rx(struct port *p, struct sk_buff **skbs, int n);
void pkt_trace_live_done(void);
/* key/mask NULL: every packet; count 0 disarms */
int pkt_trace_live_arm(struct port *p, u32 count, const struct fl_flow_key *key,
		       const struct fl_flow_key *mask);
/* fn(index, text, len, arg) for each trace completed since the last call; the packets still to trace */
u32 pkt_trace_live_collect(void (*fn)(u32 index, const char *text, size_t len, void *arg),
			   void *arg);

/* t follows skb from here: the port_rx stage (the frame enters by port p) */
void pkt_trace_attach(struct sk_buff *skb, struct pkt_trace *t, const struct port *p);

/* "0a1b..." of len bytes into a fresh string (for "data"); NULL without memory */
char *pkt_trace_hex(const void *data, unsigned int len);

/*
 * s JSON-escaped (no surrounding quotes) into buf, cut to fit: for
 * strings that may hold quotes or control characters (action details,
 * table names).  Returns buf.
 */
const char *pkt_trace_json_str(char *buf, size_t size, const char *s);

#endif
