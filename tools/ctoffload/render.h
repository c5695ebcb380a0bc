/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The text the client prints for `trace` and `explain`, from the JSON the
 * daemon sends (include/net/pkt_trace.h for the stages).  Kept apart from
 * the commands so that unit tests render canned JSON without a daemon.
 */
#ifndef _CTO_RENDER_H
#define _CTO_RENDER_H

#include <stddef.h>
#include <stdio.h>

/* trace_render_text() flags */
#define TRACE_RENDER_VERBOSE	0x1	/* the steering's internal ids too */

/*
 * A trace's JSON lines as text: one or two lines per stage and a closing
 * verdict line (every tx and drop).  A line that is not a JSON object is
 * printed as it came.  Returns the number of such lines.
 */
int trace_render_text(FILE *out, const char *lines, size_t len, unsigned int flags);
/* the same as a JSON array of the stage objects, without a newline */
void trace_render_json(FILE *out, const char *lines, size_t len);

/* one object of `explain filter` / `explain conn` as a line of text; -EINVAL if not JSON */
int explain_filter_render(FILE *out, const char *json);
int explain_conn_render(FILE *out, const char *json);

#endif
