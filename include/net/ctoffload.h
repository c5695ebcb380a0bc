/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the daemon's own netlink protocol (net/core/ctoffload_netlink.c)
 * asks of other parts without knowing them: the device registers the dump
 * of its steering tables (`ctoffload steering`).
 */
#ifndef _NET_CTOFFLOAD_H
#define _NET_CTOFFLOAD_H

#include <stdio.h>

/* write the dump in format (CTO_STEERING_*) to f: 0 or -errno */
typedef int ctoffload_dump_fn(FILE *f, int format, void *priv);
/* control thread; fn NULL unregisters */
void ctoffload_register_steering_dump(ctoffload_dump_fn *fn, void *priv);

#endif
