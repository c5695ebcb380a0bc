/* SPDX-License-Identifier: GPL-2.0 */
/*
 * String escaping (the kernel's lib/string_helpers.c holds its
 * string_escape_mem()): here, for JSON strings.
 */
#ifndef _LINUX_STRING_HELPERS_H
#define _LINUX_STRING_HELPERS_H

#include <stddef.h>

/*
 * As much of the NUL-terminated *src as fits in osz bytes at dst, escaped
 * for the inside of a JSON string: '"' and '\\' behind a backslash,
 * control characters as \u00xx; no quotes, no NUL, no escape cut in two.
 * *src moves past what was taken; returns the number of bytes written.
 */
size_t string_escape_json(char *dst, size_t osz, const char **src);

#endif /* _LINUX_STRING_HELPERS_H */
