// SPDX-License-Identifier: GPL-2.0
/*
 * Rendering of `ctoffload trace` and `ctoffload explain` (render.h).
 *
 * A trace is a list of stage objects (include/net/pkt_trace.h), parsed
 * with jansson.  Each stage name has a renderer that takes the members it
 * knows; whatever it did not take is appended as key=value, so a member
 * the daemon adds later still shows.  A stage without a renderer prints
 * generically as "stage: k=v k=v".  Two pairs read better as one line: a
 * hw_table hit with the hw_actions of its FTE, and a tc_chain with the
 * tc_filter that matched in it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include <linux/compiler.h>
#include "render.h"

#define LABEL_WIDTH	12
#define HEX_PER_LINE	32
/* MLX5_VPORT_UPLINK: the model's vport number of the uplink */
#define VPORT_UPLINK	0xffff

/*
 * One object being rendered.  Taking a member moves it from obj to
 * taken, so that what is left in obj is what no renderer read; text holds
 * the JSON text of the non-string members that were read as text.
 */
struct jobj {
	json_t *obj;
	json_t *taken;
	json_t *text;
};

/* the stages of one trace, parsed */
struct trace_stages {
	unsigned int n;
	struct jobj *obj;		/* n of them */
	const char **stage;		/* each one's "stage" member ("" if none) */
	bool verbose;
};

/* o takes a reference of its own to v, which must be an object */
static int jobj_init(struct jobj *o, json_t *v)
{
	o->obj = json_object();
	o->taken = json_object();
	o->text = json_object();
	if (!o->obj || !o->taken || !o->text || json_object_update(o->obj, v)) {
		json_decref(o->obj);
		json_decref(o->taken);
		json_decref(o->text);
		return -ENOMEM;
	}
	return 0;
}

/* the object in s[0..len) into o; -EINVAL if it is not one */
static int jobj_parse(struct jobj *o, const char *s, size_t len)
{
	json_t *v = json_loadb(s, len, 0, NULL);
	int err = -EINVAL;

	if (json_is_object(v))
		err = jobj_init(o, v);
	json_decref(v);
	return err;
}

static void jobj_free(struct jobj *o)
{
	json_decref(o->obj);
	json_decref(o->taken);
	json_decref(o->text);
}

/* the member key, or NULL; it is no longer printed as one left over */
static json_t *take(struct jobj *o, const char *key)
{
	json_t *v = json_object_get(o->obj, key);

	if (!v)
		return json_object_get(o->taken, key);
	if (json_object_set(o->taken, key, v))
		return NULL;
	v = json_object_get(o->taken, key);
	/* last: key may be obj's own, freed with the member */
	json_object_del(o->obj, key);
	return v;
}

/* a member as text: a string as it is, anything else as its JSON text */
static const char *take_text(struct jobj *o, const char *key)
{
	json_t *v = take(o, key), *t;
	char *s;

	if (!v || json_is_string(v))
		return json_string_value(v);
	t = json_object_get(o->text, key);
	if (t)
		return json_string_value(t);
	s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	if (!s)
		return NULL;
	t = json_string(s);
	free(s);
	if (json_object_set_new(o->text, key, t))
		return NULL;
	return json_string_value(t);
}

static const char *text_or(struct jobj *o, const char *key, const char *dflt)
{
	const char *s = take_text(o, key);

	return s ? s : dflt;
}

/* a member that names something: a string that is not empty, else NULL */
static const char *take_name(struct jobj *o, const char *key)
{
	const char *s = json_string_value(take(o, key));

	return s && *s ? s : NULL;
}

/* a number or bool member as an integer; false when absent or not one */
static bool take_int(struct jobj *o, const char *key, long long *v)
{
	json_t *m = take(o, key);

	if (json_is_integer(m))
		*v = json_integer_value(m);
	else if (json_is_boolean(m))
		*v = json_is_true(m);
	else
		return false;
	return true;
}

static bool member_true(struct jobj *o, const char *key)
{
	long long v;

	return take_int(o, key, &v) && v;
}

static void put_label(FILE *out, const char *label)
{
	fprintf(out, "%-*s ", LABEL_WIDTH, label);
}

/* a value as a person reads it: strings bare, arrays joined by ", ", objects k=v */
static void put_value(FILE *out, json_t *v)
{
	const char *key;
	json_t *e;
	size_t i;

	switch (json_typeof(v)) {
	case JSON_STRING:
		fputs(json_string_value(v), out);
		break;
	case JSON_ARRAY:
		json_array_foreach(v, i, e) {
			fputs(i ? ", " : "", out);
			put_value(out, e);
		}
		break;
	case JSON_OBJECT:
		i = 0;
		json_object_foreach(v, key, e) {
			fprintf(out, "%s%s=", i++ ? " " : "", key);
			put_value(out, e);
		}
		break;
	default:
		json_dumpf(v, out, JSON_ENCODE_ANY);
		break;
	}
}

/* the members no renderer read, as " k=v" */
static void put_rest(FILE *out, struct jobj *o)
{
	const char *key;
	json_t *v;
	void *tmp;

	json_object_foreach_safe(o->obj, tmp, key, v) {
		if (strcmp(key, "stage")) {
			fprintf(out, " %s=", key);
			put_value(out, v);
		}
		take(o, key);
	}
}

/* " KEY VALUE" (as fmt puts it) when the member is there, not null nor false */
static void put_opt(FILE *out, struct jobj *o, const char *key, const char *fmt)
{
	json_t *m = take(o, key);

	if (!m || json_is_null(m) || json_is_false(m))
		return;
	fprintf(out, fmt, key);
	put_value(out, m);
}

/* a handle as tc prints it: hex */
static void put_handle(FILE *out, struct jobj *o)
{
	long long h;

	if (take_int(o, "handle", &h))
		fprintf(out, " handle 0x%llx", h);
	else
		put_opt(out, o, "handle", " %s ");
}

static void render_port_rx(FILE *out, struct jobj *o)
{
	const char *port;

	put_label(out, "port_rx");
	port = take_name(o, "port");
	fprintf(out, "%s, %s bytes", port ? port : "?", text_or(o, "len", "?"));
}

static bool same_text(struct jobj *a, const char *ka, struct jobj *b, const char *kb)
{
	const char *ta = take_text(a, ka), *tb = take_text(b, kb);

	if (!ta || !tb)
		return !ta && !tb;
	return !strcmp(ta, tb);
}

static void render_hw_actions_body(FILE *out, struct jobj *o)
{
	json_t *m = take(o, "actions");

	if (m) {
		fputs("   ", out);
		put_value(out, m);
	}
	m = take(o, "regs");
	put_rest(out, o);
	if (m && !json_is_null(m)) {
		fputc('\n', out);
		put_label(out, "");
		fputs("regs ", out);
		put_value(out, m);
	}
}

/* a table hit, with its FTE's actions when the next stage has them */
static unsigned int render_hw_table(FILE *out, struct trace_stages *t, unsigned int i)
{
	struct jobj *o = &t->obj[i];
	json_t *miss = take(o, "miss");

	/* the steering's own table ids mean nothing to a reader of tc */
	if (!t->verbose)
		take(o, "id");
	put_label(out, "hw");
	fprintf(out, "table \"%s\": ", text_or(o, "table", "?"));
	if (miss && !json_is_null(miss)) {
		fputs("miss -> ", out);
		put_value(out, miss);
		put_rest(out, o);
		return 1;
	}
	fprintf(out, "fte %s", text_or(o, "fte", "?"));
	put_rest(out, o);
	if (i + 1 < t->n && !strcmp(t->stage[i + 1], "hw_actions") &&
	    same_text(o, "fte", &t->obj[i + 1], "fte")) {
		render_hw_actions_body(out, &t->obj[i + 1]);
		return 2;
	}
	return 1;
}

static void render_hw_actions(FILE *out, struct jobj *o)
{
	put_label(out, "  actions");
	fprintf(out, "fte %s", text_or(o, "fte", "?"));
	render_hw_actions_body(out, o);
}

static void render_hw_fwd(FILE *out, struct jobj *o)
{
	long long vport = -1;
	bool uplink = member_true(o, "uplink");
	json_t *encap;

	put_label(out, "hw");
	if (take_int(o, "vport", &vport) && vport == VPORT_UPLINK)
		uplink = true;
	if (uplink)
		fputs("fwd to the uplink", out);
	else
		fprintf(out, "fwd to vport %s", text_or(o, "vport", "?"));
	encap = take(o, "encap");
	if (json_is_true(encap))
		fputs(", encapsulated", out);
	else if (encap && !json_is_false(encap) && !json_is_null(encap)) {
		fputs(", encap ", out);
		put_value(out, encap);
	}
}

static void render_hw_miss(FILE *out, struct jobj *o)
{
	static const char *const restored[] = { "zone_restore", "ct", "tunnel" };
	bool first = true;
	json_t *m;
	size_t k;

	put_label(out, "miss");
	fprintf(out, "to %s, continue at chain %s", text_or(o, "dev", "?"),
		text_or(o, "chain", "0"));
	for (k = 0; k < ARRAY_SIZE(restored); k++) {
		m = take(o, restored[k]);
		if (!m || json_is_null(m) || json_is_false(m))
			continue;
		if (first) {
			fputc('\n', out);
			put_label(out, "  restored");
		}
		fprintf(out, "%s%s ", first ? "" : ", ",
			!strcmp(restored[k], "zone_restore") ? "zone" : restored[k]);
		put_value(out, m);
		first = false;
	}
	put_rest(out, o);
}

static void put_filter(FILE *out, struct jobj *o)
{
	long long in_hw;

	fprintf(out, "%s chain %s: ", text_or(o, "dev", "?"), text_or(o, "chain", "0"));
	fprintf(out, "%s prio %s", text_or(o, "kind", "?"), text_or(o, "prio", "?"));
	put_handle(out, o);
	if (take_int(o, "in_hw", &in_hw))
		fputs(in_hw ? " (in_hw)" : " (not_in_hw)", out);
}

/* a chain: shown with the filter that matched in it, or "no match" */
static unsigned int render_tc_chain(FILE *out, struct trace_stages *t, unsigned int i)
{
	struct jobj *o = &t->obj[i];

	put_label(out, "tc");
	if (i + 1 < t->n && !strcmp(t->stage[i + 1], "tc_filter") &&
	    same_text(o, "dev", &t->obj[i + 1], "dev") &&
	    same_text(o, "chain", &t->obj[i + 1], "chain")) {
		put_filter(out, &t->obj[i + 1]);
		put_rest(out, &t->obj[i + 1]);
		return 2;
	}
	fprintf(out, "%s chain %s: no filter matched", text_or(o, "dev", "?"),
		text_or(o, "chain", "0"));
	put_rest(out, o);
	return 1;
}

static void render_tc_filter(FILE *out, struct jobj *o)
{
	put_label(out, "tc");
	put_filter(out, o);
}

static void render_tc_action(FILE *out, struct jobj *o)
{
	const char *result = take_text(o, "result");

	put_label(out, "  action");
	fputs(text_or(o, "kind", "?"), out);
	put_rest(out, o);
	if (result)
		fprintf(out, " -> %s", result);
}

static void render_ct(FILE *out, struct jobj *o)
{
	const char *nat;
	json_t *tuple;

	put_label(out, "  ct");
	fprintf(out, "zone %s", text_or(o, "zone", "0"));
	tuple = take(o, "tuple");
	if (tuple) {
		fputc(' ', out);
		put_value(out, tuple);
	}
	fprintf(out, ": %s -> ", text_or(o, "before", "none"));
	fputs(text_or(o, "after", "?"), out);
	put_opt(out, o, "ctinfo", ", %s ");
	nat = take_text(o, "nat");
	if (nat && strcmp(nat, "none") && strcmp(nat, "null") && strcmp(nat, "false"))
		fprintf(out, ", nat %s", nat);
	if (member_true(o, "commit"))
		fputs(", commit", out);
	if (member_true(o, "confirmed"))
		fputs(", confirmed", out);
}

static void render_flowtable(FILE *out, struct jobj *o)
{
	put_label(out, "  flowtable");
	fprintf(out, "zone %s: %s", text_or(o, "zone", "0"), text_or(o, "result", "?"));
}

static void render_offload(FILE *out, struct jobj *o)
{
	put_label(out, "  offload");
	fprintf(out, "%s queued, zone %s", text_or(o, "work", "?"), text_or(o, "zone", "0"));
}

/* "DEV: WHAT", with the protocol first unless WHAT already says it */
static void render_stack(FILE *out, struct jobj *o)
{
	const char *proto = text_or(o, "proto", ""), *what = text_or(o, "what", "");
	size_t n = strlen(proto);

	put_label(out, "stack");
	fprintf(out, "%s:", text_or(o, "dev", "?"));
	if (n && !(!strncmp(what, proto, n) && (!what[n] || what[n] == ' ')))
		fprintf(out, " %s", proto);
	if (*what)
		fprintf(out, " %s", what);
}

/* "sent": false is a dry run's frame, which stayed in the daemon */
static bool tx_dry_run(struct jobj *o)
{
	return json_is_false(take(o, "sent"));
}

static void render_tx(FILE *out, struct jobj *o)
{
	const char *data, *dev = take_name(o, "dev"), *port = take_name(o, "port");
	size_t i, n;

	put_label(out, "tx");
	/* the model forwards to a port: there is no device then */
	if (dev) {
		fputs(dev, out);
		if (port)
			fprintf(out, " (port %s)", port);
	} else {
		fputs(port ? port : "?", out);
	}
	fprintf(out, " %s bytes", text_or(o, "len", "?"));
	if (tx_dry_run(o))
		fputs(" (dry run: not sent)", out);
	data = take_text(o, "data");
	put_rest(out, o);
	if (!data)
		return;
	n = strlen(data);
	for (i = 0; i < n; i += 2 * HEX_PER_LINE) {
		fputc('\n', out);
		put_label(out, "");
		fprintf(out, "%.*s", (int)min(n - i, (size_t)2 * HEX_PER_LINE), data + i);
	}
}

static void render_drop(FILE *out, struct jobj *o)
{
	put_label(out, "drop");
	fprintf(out, "%s: %s", text_or(o, "dev", "?"), text_or(o, "reason", "?"));
}

static void render_generic(FILE *out, struct jobj *o, const char *stage)
{
	fprintf(out, "%s:", *stage ? stage : "?");
	put_rest(out, o);
}

struct stage_renderer {
	const char *stage;
	void (*render)(FILE *out, struct jobj *o);
	/* for the stages that read the next one too: how many they used */
	unsigned int (*render_pair)(FILE *out, struct trace_stages *t, unsigned int i);
};

static const struct stage_renderer stage_renderers[] = {
	{ "port_rx", render_port_rx },
	{ "hw_table", NULL, render_hw_table },
	{ "hw_actions", render_hw_actions },
	{ "hw_fwd", render_hw_fwd },
	{ "hw_miss", render_hw_miss },
	{ "tc_chain", NULL, render_tc_chain },
	{ "tc_filter", render_tc_filter },
	{ "tc_action", render_tc_action },
	{ "ct", render_ct },
	{ "flowtable", render_flowtable },
	{ "offload", render_offload },
	{ "stack", render_stack },
	{ "tx", render_tx },
	{ "drop", render_drop },
};

/*
 * Every tx and drop of the trace, on one line.  A frame sent went out of
 * its device (or the port, when the model sent it); a dry run's frame
 * would have left by its port.
 */
static void render_verdict(FILE *out, struct trace_stages *t)
{
	unsigned int i, sent = 0, dry = 0, dropped = 0;

	put_label(out, "verdict");
	for (i = 0; i < t->n; i++) {
		struct jobj *o = &t->obj[i];
		const char *sep = sent || dry || dropped ? "; " : "";
		const char *dev = take_name(o, "dev"), *port = take_name(o, "port");

		if (!strcmp(t->stage[i], "tx") && tx_dry_run(o)) {
			fprintf(out, "%s%s %s (%s bytes)", sep, dry ? "and by" : "would leave by",
				port ? port : dev ? dev : "?", text_or(o, "len", "?"));
			dry++;
		} else if (!strcmp(t->stage[i], "tx")) {
			fprintf(out, "%s%s %s (%s bytes)", sep, sent ? "and out of" : "sent out of",
				dev ? dev : port ? port : "?", text_or(o, "len", "?"));
			sent++;
		} else if (!strcmp(t->stage[i], "drop")) {
			fprintf(out, "%sdropped: %s (%s)", sep, text_or(o, "reason", "?"),
				dev ? dev : "?");
			dropped++;
		}
	}
	if (!sent && !dry && !dropped)
		fputs("neither sent nor dropped (consumed)", out);
	fputc('\n', out);
}

/* the next line of lines[*off..len), without its newline */
static bool next_line(const char *lines, size_t len, size_t *off, const char **line,
		      size_t *line_len)
{
	const char *nl;

	while (*off < len && (lines[*off] == '\n' || lines[*off] == '\r'))
		(*off)++;
	if (*off >= len)
		return false;
	*line = lines + *off;
	nl = memchr(*line, '\n', len - *off);
	*line_len = nl ? (size_t)(nl - *line) : len - *off;
	*off += *line_len;
	return true;
}

int trace_render_text(FILE *out, const char *lines, size_t len, unsigned int flags)
{
	struct trace_stages t = { .verbose = flags & TRACE_RENDER_VERBOSE };
	const char *line;
	size_t off = 0, line_len, cap = 0;
	unsigned int i, k, bad = 0;

	while (next_line(lines, len, &off, &line, &line_len)) {
		struct jobj *o;

		if (t.n == cap) {
			cap = cap ? 2 * cap : 16;
			o = realloc(t.obj, cap * sizeof(*t.obj));
			if (!o)
				break;
			t.obj = o;
		}
		if (jobj_parse(&t.obj[t.n], line, line_len)) {
			/* render what came, in place, rather than lose it */
			fprintf(out, "%.*s\n", (int)line_len, line);
			bad++;
			continue;
		}
		t.n++;
	}
	t.stage = calloc(t.n ? t.n : 1, sizeof(*t.stage));
	if (!t.stage)
		goto out;
	for (i = 0; i < t.n; i++)
		t.stage[i] = text_or(&t.obj[i], "stage", "");

	for (i = 0; i < t.n; ) {
		const struct stage_renderer *r = NULL;
		unsigned int used = 1;

		for (k = 0; k < ARRAY_SIZE(stage_renderers); k++)
			if (!strcmp(stage_renderers[k].stage, t.stage[i]))
				r = &stage_renderers[k];
		if (!r) {
			render_generic(out, &t.obj[i], t.stage[i]);
		} else if (r->render_pair) {
			used = r->render_pair(out, &t, i);
		} else {
			r->render(out, &t.obj[i]);
			put_rest(out, &t.obj[i]);
		}
		fputc('\n', out);
		i += used;
	}
	render_verdict(out, &t);
out:
	for (i = 0; i < t.n; i++)
		jobj_free(&t.obj[i]);
	free(t.obj);
	free(t.stage);
	return bad;
}

void trace_render_json(FILE *out, const char *lines, size_t len)
{
	const char *line;
	size_t off = 0, line_len;
	bool first = true;

	fputc('[', out);
	while (next_line(lines, len, &off, &line, &line_len)) {
		fprintf(out, "%s%.*s", first ? "" : ",", (int)line_len, line);
		first = false;
	}
	fputc(']', out);
}

/* ---- explain ---- */

/* what a rule's role means, when its name does not say it */
static const struct {
	const char *role, *text;
} hw_roles[] = {
	{ "slow_path", "slow path (encap waits for its neighbour)" },
};

static const char *hw_role_text(const char *role)
{
	size_t k;

	for (k = 0; k < ARRAY_SIZE(hw_roles); k++)
		if (!strcmp(hw_roles[k].role, role))
			return hw_roles[k].text;
	return role;
}

/* the model's rules of a filter: "pre_ct fte 3 in "chain 0 prio 1"; ..." */
static void put_hw_rules(FILE *out, json_t *hw)
{
	json_t *e;
	size_t i;

	if (!json_is_array(hw))
		return;
	json_array_foreach(hw, i, e) {
		const char *to;
		struct jobj r;

		fputs(i ? "; " : ": ", out);
		if (!json_is_object(e) || jobj_init(&r, e)) {
			put_value(out, e);
			continue;
		}
		fprintf(out, "%s fte ", hw_role_text(text_or(&r, "role", "rule")));
		fprintf(out, "%s in \"%s\"", text_or(&r, "fte", "?"), text_or(&r, "table", "?"));
		to = take_text(&r, "to");
		if (to)
			fprintf(out, " -> %s", to);
		put_rest(out, &r);
		jobj_free(&r);
	}
}

int explain_filter_render(FILE *out, const char *json)
{
	struct jobj o;
	long long count = -1, in_hw;
	bool hw, skip_hw, skip_sw;
	const char *reason;

	if (jobj_parse(&o, json, strlen(json)))
		return -EINVAL;
	fprintf(out, "%s chain %s ", text_or(&o, "dev", "?"), text_or(&o, "chain", "0"));
	fprintf(out, "prio %s", text_or(&o, "prio", "?"));
	put_handle(out, &o);
	fprintf(out, " %s: ", text_or(&o, "kind", "?"));
	take_int(&o, "in_hw_count", &count);
	hw = take_int(&o, "in_hw", &in_hw) ? in_hw : count > 0;
	skip_hw = member_true(&o, "skip_hw");
	skip_sw = member_true(&o, "skip_sw");
	reason = take_text(&o, "reason");
	if (hw) {
		fputs("in hardware", out);
		if (count >= 0)
			fprintf(out, " (in_hw_count %lld)", count);
		if (skip_sw)
			fputs(" skip_sw", out);
	} else {
		fprintf(out, "not in hardware: %s", reason ? reason :
			skip_hw ? "skip_hw was set" : "no reason given");
	}
	put_hw_rules(out, take(&o, "hw"));
	put_rest(out, &o);
	fputc('\n', out);
	jobj_free(&o);
	return 0;
}

int explain_conn_render(FILE *out, const char *json)
{
	struct jobj o;
	const char *reason, *state;
	bool hw, ft;

	if (jobj_parse(&o, json, strlen(json)))
		return -EINVAL;
	fprintf(out, "zone %s %s ", text_or(&o, "zone", "0"), text_or(&o, "proto", "?"));
	fputs(text_or(&o, "orig", "?"), out);
	/* the reply tuple is for -j: the text follows conntrack's original direction */
	take(&o, "reply");
	state = take_text(&o, "state");
	if (state)
		fprintf(out, " %s", state);
	hw = member_true(&o, "hw");
	ft = member_true(&o, "flowtable");
	reason = take_text(&o, "reason");
	if (hw)
		fputs(": in hardware", out);
	else if (ft)
		fprintf(out, ": in the flowtable (software), not in hardware: %s",
			reason ? reason : "no reason given");
	else
		fprintf(out, ": not in hardware: %s", reason ? reason : "no reason given");
	put_rest(out, &o);
	fputc('\n', out);
	jobj_free(&o);
	return 0;
}
