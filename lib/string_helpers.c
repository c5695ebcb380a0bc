// SPDX-License-Identifier: GPL-2.0
/*
 * String escaping for JSON: the one escaper behind the daemon's JSON
 * writers (ctoffload_json_str() for streams, pkt_trace_json_str() for
 * fixed buffers).
 */
#include <string.h>
#include <linux/string_helpers.h>

size_t string_escape_json(char *dst, size_t osz, const char **src)
{
	static const char hex[] = "0123456789abcdef";
	const char *s = *src;
	size_t n = 0;

	for (; *s; s++) {
		unsigned char c = *s;
		size_t need = c == '"' || c == '\\' ? 2 : c < 0x20 ? 6 : 1;

		if (n + need > osz)
			break;
		if (need == 2) {
			dst[n++] = '\\';
			dst[n++] = c;
		} else if (need == 6) {
			memcpy(dst + n, "\\u00", 4);
			dst[n + 4] = hex[c >> 4];
			dst[n + 5] = hex[c & 0xf];
			n += 6;
		} else {
			dst[n++] = c;
		}
	}
	*src = s;
	return n;
}
