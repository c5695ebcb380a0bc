/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the daemon's own netlink protocol (net/core/ctoffload_netlink.c)
 * asks of other parts without knowing them: the device registers the dump
 * of its steering tables (`ctoffload steering`) and the description of a
 * filter's FTEs (`ctoffload explain filter`).
 */
#ifndef _NET_CTOFFLOAD_H
#define _NET_CTOFFLOAD_H

#include <stdio.h>

/* write the dump in format (CTO_STEERING_*) to f: 0 or -errno */
typedef int ctoffload_dump_fn(FILE *f, int format, void *priv);
/* control thread; fn NULL unregisters */
void ctoffload_register_steering_dump(ctoffload_dump_fn *fn, void *priv);

/*
 * ctoffload explain filter: the device's FTEs for the tc filter that
 * drivers know by cookie (flow_cls_offload's), written to f as a JSON
 * array of {"table","fte","role"} ("[]" when it holds none).  Control
 * thread, under rtnl_lock(); fn NULL unregisters.
 */
typedef void ctoffload_flow_describe_fn(unsigned long cookie, FILE *f, void *priv);
void ctoffload_register_flow_describe(ctoffload_flow_describe_fn *fn, void *priv);
void ctoffload_flow_describe(unsigned long cookie, FILE *f);

/* s as a JSON string, quotes included */
void ctoffload_json_str(FILE *f, const char *s);

struct net_device;
struct port;

/* the port whose frames arrive on dev (a representor's vport), or NULL */
typedef struct port *ctoffload_port_fn(struct net_device *dev, void *priv);
/* control thread; fn NULL unregisters */
void ctoffload_register_port_of(ctoffload_port_fn *fn, void *priv);
/* RCU or rtnl */
struct port *ctoffload_port_of(struct net_device *dev);

#endif
