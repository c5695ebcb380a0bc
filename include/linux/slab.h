/* SPDX-License-Identifier: GPL-2.0 */
/* Kernel allocation names over libc: the gfp flags are accepted and ignored. */
#ifndef _LINUX_SLAB_H
#define _LINUX_SLAB_H

#include <stdlib.h>
#include <linux/compiler.h>

typedef unsigned int gfp_t;
#define GFP_KERNEL	0u
#define GFP_ATOMIC	1u

static inline void *kmalloc(size_t size, gfp_t gfp) { (void)gfp; return malloc(size); }
static inline void *kzalloc(size_t size, gfp_t gfp) { (void)gfp; return calloc(1, size); }
static inline void *kcalloc(size_t n, size_t size, gfp_t gfp) { (void)gfp; return calloc(n, size); }
static inline void kfree(const void *p) { free((void *)p); }
static inline char *kstrdup(const char *s, gfp_t gfp) { (void)gfp; return s ? strdup(s) : NULL; }
static inline void *kmemdup(const void *src, size_t len, gfp_t gfp)
{
	void *p = kmalloc(len, gfp);

	if (p)
		memcpy(p, src, len);
	return p;
}

#endif
