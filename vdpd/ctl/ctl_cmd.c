/* SPDX-License-Identifier: ISC */
/* vdpd: the control socket's command interpreter.  One request line in,
 * one answer out, no I/O: ctl.c does the socket side, the unit tests call
 * ctl_exec() directly.
 *
 * Grammar: words separated by blanks, a command of ctl_commands.h (its
 * name's words, then one word per argument), and a trailing "json" for
 * JSON.  The dispatch table, the `help` answer and the list of commands in
 * the unknown-command error all come from that one list.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <vdp/format.h>

#include "ctl/ctl.h"
#include "ctl/ctl_bindings.h"
#include "ctl/ctl_commands.h"
#include "ctl/ctl_show.h"
#include "ifname.h"
#include "log.h"
#include "core/vdpd.h"

#define CMD_MAX_WORDS 8

struct request {
	char buf[CTL_REQ_MAX + 1];
	char *w[CMD_MAX_WORDS];
	unsigned n;
	bool json;
};

/* A handler runs a well-formed command (its words counted by dispatch())
 * and writes its answer between out_begin() and out_end(), or returns -1
 * after ctl_error(). */
typedef int handler_fn(struct vdpd *d, const struct request *rq, uint64_t now_ns, struct out *o);

#define CTL_HANDLER(id, name, args, help) static handler_fn cmd_##id;
CTL_COMMANDS(CTL_HANDLER)
#undef CTL_HANDLER

static const struct command {
	const char *name; /* its words */
	const char *args; /* one placeholder per argument word, "" for none */
	handler_fn *run;
	const char *help;
} commands[] = {
#define CTL_COMMAND(id, name, args, help) {name, args, cmd_##id, help},
    CTL_COMMANDS(CTL_COMMAND)
#undef CTL_COMMAND
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static unsigned count_words(const char *s)
{
	unsigned n = 0;
	for (s += strspn(s, " "); *s; s += strspn(s, " "), n++)
		s += strcspn(s, " ");
	return n;
}

/* Whether two words are the same: a, and the first n octets at b. */
static bool word_is(const char *a, const char *b, size_t n)
{
	return strlen(a) == n && strncmp(a, b, n) == 0;
}

/* "try: show ports|vsis|..., deassoc VSIID, ...": the commands, those that
 * share a first word and take no argument folded into one, for the
 * errors that cannot tell which command was meant.  Built once. */
static const char *usage_hint(void)
{
	static char hint[512];
	size_t off;

	if (hint[0])
		return hint;
	off = (size_t)snprintf(hint, sizeof(hint), "try:");
	for (unsigned i = 0; i < NCOMMANDS && off < sizeof(hint); i++) {
		const struct command *c = &commands[i], *prev = i ? &commands[i - 1] : NULL;
		size_t first = strcspn(c->name, " ");
		if (prev && !*prev->args && !*c->args && c->name[first] &&
		    strncmp(prev->name, c->name, first + 1) == 0)
			off += (size_t)snprintf(hint + off, sizeof(hint) - off, "|%s",
			                        c->name + first + 1);
		else
			off +=
			    (size_t)snprintf(hint + off, sizeof(hint) - off, "%s %s%s%s",
			                     i ? "," : "", c->name, *c->args ? " " : "", c->args);
	}
	return hint;
}

static void verror(struct strbuf *out, bool json, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
static void verror(struct strbuf *out, bool json, const char *fmt, va_list ap)
{
	char msg[CTL_REQ_MAX + 256];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* An error answer is short (a message of at most msg's size) and must
	 * get through even when the ceiling was what the answer hit. */
	size_t max = out->max;
	out->max = 0;
	sb_reset(out);
	if (json) {
		struct json j;
		json_init(&j, out);
		json_obj_begin(&j);
		json_kv_str(&j, "error", msg);
		json_kv_uint(&j, "format_version", CTL_FORMAT_VERSION);
		json_obj_end(&j);
		sb_putc(out, '\n');
	} else {
		sb_printf(out, CTL_ERROR_PREFIX "%s\n", msg);
	}
	out->max = max;
}

int ctl_error(struct strbuf *out, bool json, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verror(out, json, fmt, ap);
	va_end(ap);
	return -1;
}

/* Whether the client asked for JSON, judged before the line is known to
 * be well-formed, so that even "request too long" comes back as JSON. */
static bool wants_json(const char *line, size_t len)
{
	while (len && (line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	size_t n = strlen(CTL_JSON_WORD);
	return len >= n && memcmp(line + len - n, CTL_JSON_WORD, n) == 0 &&
	       (len == n || line[len - n - 1] == ' ' || line[len - n - 1] == '\t');
}

/* Splits the line into words.  Control characters are refused rather
 * than echoed back in an error message to someone's terminal. */
static int parse(const char *line, struct request *rq, struct strbuf *out)
{
	size_t len = strlen(line);
	bool json = wants_json(line, len);
	memset(rq, 0, sizeof(*rq));
	if (len > CTL_REQ_MAX)
		return ctl_error(out, json, "request longer than %d octets", CTL_REQ_MAX);
	for (size_t i = 0; i < len; i++)
		if (((unsigned char)line[i] < 0x20 && line[i] != '\t') || line[i] == 0x7f)
			return ctl_error(out, json, "request contains control characters");
	memcpy(rq->buf, line, len + 1);
	for (char *save = NULL, *w = strtok_r(rq->buf, " \t", &save); w;
	     w = strtok_r(NULL, " \t", &save)) {
		if (rq->n == CMD_MAX_WORDS)
			return ctl_error(out, json, "too many words in the request; %s",
			                 usage_hint());
		rq->w[rq->n++] = w;
	}
	if (rq->n && strcmp(rq->w[rq->n - 1], CTL_JSON_WORD) == 0) {
		rq->json = true;
		rq->n--;
	}
	if (rq->n == 0)
		return ctl_error(out, rq->json, "empty request; %s", usage_hint());
	return 0;
}

static int unknown(const struct request *rq, struct strbuf *out)
{
	char words[CTL_REQ_MAX + 1] = "";
	size_t off = 0;
	for (unsigned i = 0; i < rq->n; i++)
		off += (size_t)snprintf(words + off, sizeof(words) - off, "%s%s", i ? " " : "",
		                        rq->w[i]);
	return ctl_error(out, rq->json, "unknown command '%s'; %s", words, usage_hint());
}

/* --- show ------------------------------------------------------------ */

static int cmd_show_ports(struct vdpd *d, const struct request *rq, uint64_t now_ns, struct out *o)
{
	show_ports(o, d);
	return 0;
}

static int cmd_show_vsis(struct vdpd *d, const struct request *rq, uint64_t now_ns, struct out *o)
{
	show_vsis(o, d, now_ns, -1);
	return 0;
}

static int cmd_show_vnids(struct vdpd *d, const struct request *rq, uint64_t now_ns, struct out *o)
{
	show_vnids(o, d);
	return 0;
}

static int cmd_show_vlans(struct vdpd *d, const struct request *rq, uint64_t now_ns, struct out *o)
{
	show_vlans(o, d);
	return 0;
}

static int cmd_show_counters(struct vdpd *d, const struct request *rq, uint64_t now_ns,
                             struct out *o)
{
	show_counters(o, d);
	return 0;
}

/* Migration services, ctl_bindings.c. */
static int cmd_show_bindings(struct vdpd *d, const struct request *rq, uint64_t now_ns,
                             struct out *o)
{
	show_bindings(o, d, now_ns);
	return 0;
}

/* --- deassoc --------------------------------------------------------- */

/* Finds the VSI a VSIID's text names, trying every format's parser:
 * 0 and *found, or -1 with an error answer in out.  "uuid:..." names the
 * format when the text alone could be two (32 hex digits are a valid
 * UUID and a valid local VSIID). */
static int find_vsi(struct vdpd *d, const char *arg, bool json, struct vsi **found,
                    struct strbuf *out)
{
	static const uint8_t order[] = {VDP_VSIID_UUID, VDP_VSIID_MAC, VDP_VSIID_IPV4,
	                                VDP_VSIID_IPV6, VDP_VSIID_LOCAL};
	const char *text;
	int only = vdp_vsiid_format_prefix(arg, &text);
	bool parsed = false;
	unsigned nfound = 0;
	uint8_t id[VDP_VSIID_LEN];

	*found = NULL;
	for (unsigned i = 0; i < sizeof(order); i++) {
		if ((only && order[i] != only) || vdp_vsiid_parse(order[i], text, id) < 0)
			continue;
		parsed = true;
		struct vsi *v = vdpd_vsi_find(d, order[i], id);
		if (v && v != *found) {
			*found = v;
			nfound++;
		}
	}
	if (!parsed)
		return ctl_error(out, json,
		                 "'%s' is not a VSIID (a UUID, MAC, IPv4 or IPv6 address, "
		                 "or 32 hex digits)",
		                 arg);
	if (nfound == 0)
		return ctl_error(out, json, "no VSI with VSIID '%s'", arg);
	if (nfound > 1)
		return ctl_error(out, json,
		                 "VSIID '%s' names VSIs of several formats; prefix it with one: "
		                 "uuid:%s or local:%s",
		                 arg, text, text);
	return 0;
}

static int cmd_deassoc(struct vdpd *d, const struct request *rq, uint64_t now_ns, struct out *o)
{
	struct vsi *v;
	char id[VDP_VSIID_STRLEN];

	if (find_vsi(d, rq->w[1], rq->json, &v, o->sb) < 0)
		return -1;

	/* Take what the answer shows before vsi_remove frees v. */
	unsigned port = v->port;
	uint32_t vnid = v->vnid;
	const char *fmt = vdp_vsiid_format_name(v->vsiid_fmt);
	vdp_vsiid_str(v->vsiid_fmt, v->vsiid, id, sizeof(id));
	log_notice("control: administrative De-Associate of VSI %s on port %s", id,
	           d->ports[port].name);
	vdpd_count(d, port, REASON_ADMIN);
	bool kernel_ok = vsi_remove(d, v, true, "administrative de-associate") == 0;

	if (o->json) {
		out_kv_str(o, "vsiid", "vsiid", id);
		out_kv_str(o, "format", "format", fmt);
		out_kv_str(o, "port", "port", d->ports[port].name);
		out_kv_uint(o, "vnid", "vnid", vnid);
		json_kv_bool(&o->j, "kernel_ok", kernel_ok);
	} else {
		sb_printf(o->sb, "VSI %s (%s) on port %s, VNID %u: de-associated%s\n", id, fmt,
		          d->ports[port].name, vnid,
		          kernel_ok ? "" : "; removing its kernel state failed (see the log)");
	}
	return 0;
}

/* --- impact ---------------------------------------------------------- */

struct impact_vnid {
	uint32_t vnid;
	uint16_t vid;
	unsigned on_port, elsewhere;
};

/* The VNIDs with a VSI on port, with their VSI counts on and off it. */
static unsigned impact_vnids(struct vdpd *d, unsigned port, struct impact_vnid *iv, unsigned cap)
{
	unsigned n = 0;
	const struct vnid *vn;
	TAILQ_FOREACH(vn, &d->vnids, entry)
	{
		struct impact_vnid x = {vn->vnid, vn->vid, 0, 0};
		const struct vsi *v;
		TAILQ_FOREACH(v, &d->vsis, entry)
		if (v->vnid == vn->vnid) {
			if (v->port == port)
				x.on_port++;
			else
				x.elsewhere++;
		}
		if (x.on_port && n < cap)
			iv[n++] = x;
	}
	return n;
}

static void impact_vnid_table(struct out *o, const struct impact_vnid *iv, unsigned n)
{
	static const struct out_col cols[] = {{"VNID", "vnid"},
	                                      {"VLAN", "vlan"},
	                                      {"ON-PORT", "on_port"},
	                                      {"ELSEWHERE", "elsewhere"},
	                                      {"LAST", "last"}};
	tab_begin(o, "vnids", cols, 5);
	for (unsigned i = 0; i < n; i++) {
		row_begin(o);
		cell_uint(o, iv[i].vnid);
		if (iv[i].vid)
			cell_uint(o, iv[i].vid);
		else
			cell_str(o, NULL);
		cell_uint(o, iv[i].on_port);
		cell_uint(o, iv[i].elsewhere);
		cell_bool(o, iv[i].elsewhere == 0);
		row_end(o);
	}
	tab_end(o);
}

static int cmd_impact(struct vdpd *d, const struct request *rq, uint64_t now_ns, struct out *o)
{
	static struct impact_vnid iv[4096]; /* the daemon is single-threaded */
	char why[80], q[80];
	if (!ifname_valid(rq->w[2], why, sizeof(why))) {
		ifname_quote(rq->w[2], q, sizeof(q));
		return ctl_error(o->sb, rq->json,
		                 "PORT \"%s\" is not a valid interface name: it %s", q, why);
	}
	int port = vdpd_port_find(d, rq->w[2]);
	if (port < 0)
		return ctl_error(o->sb, rq->json, "unknown port '%s'", rq->w[2]);

	unsigned n = impact_vnids(d, (unsigned)port, iv, sizeof(iv) / sizeof(iv[0])), last = 0;
	for (unsigned i = 0; i < n; i++)
		last += iv[i].elsewhere == 0;
	out_kv_str(o, "port", "port", rq->w[2]);
	out_kv_uint(o, "affected-vsis", "affected_vsis", d->ports[port].nvsis);
	out_kv_uint(o, "affected-vnids", "affected_vnids", n);
	out_kv_uint(o, "vnids-losing-last-vsi", "vnids_losing_last_vsi", last);
	out_blank(o);
	show_vsis(o, d, now_ns, port);
	out_blank(o);
	impact_vnid_table(o, iv, n);
	return 0;
}

/* --- help and version -------------------------------------------------- */

/* Text answers show the format version as a last line; JSON answers all
 * carry it (out_end). */
static void format_version_line(struct out *o)
{
	if (!o->json)
		sb_printf(o->sb, "format-version: %d\n", CTL_FORMAT_VERSION);
}

static void cell_args(struct out *o, const char *args)
{
	char word[64];
	cell_list_begin(o, " ");
	for (const char *p = args + strspn(args, " "); *p; p += strspn(p, " ")) {
		size_t n = strcspn(p, " ");
		snprintf(word, sizeof(word), "%.*s", (int)n, p);
		item_str(o, word);
		p += n;
	}
	cell_list_end(o);
}

static int cmd_help(struct vdpd *d, const struct request *rq, uint64_t now_ns, struct out *o)
{
	static const struct out_col cols[] = {
	    {"COMMAND", "name"}, {"ARGUMENTS", "arguments"}, {"WHAT", "help"}};
	tab_begin(o, "commands", cols, 3);
	for (unsigned i = 0; i < NCOMMANDS; i++) {
		row_begin(o);
		cell_str(o, commands[i].name);
		cell_args(o, commands[i].args);
		cell_str(o, commands[i].help);
		row_end(o);
	}
	tab_end(o);
	out_blank(o);
	format_version_line(o);
	return 0;
}

static int cmd_version(struct vdpd *d, const struct request *rq, uint64_t now_ns, struct out *o)
{
	out_kv_str(o, "version", "version", PACKAGE_VERSION);
	format_version_line(o);
	return 0;
}

/* --- entry ----------------------------------------------------------- */

/* Whether the request starts with the words of name; *k: how many. */
static bool name_matches(const char *name, const struct request *rq, unsigned *k)
{
	unsigned i = 0;
	for (const char *p = name; *p; p += strspn(p, " "), i++) {
		size_t n = strcspn(p, " ");
		if (i >= rq->n || !word_is(rq->w[i], p, n))
			return false;
		p += n;
	}
	*k = i;
	return true;
}

/* Runs the command the request names.  A request that one command's first
 * word announces but whose words do not fit it gets that command's usage;
 * one that fits none, or could be several (show ...), the list of them. */
struct ctl_counters ctl_counters;

/* Whether a command only reads: the commands a member of control.group
 * may run.  Listed by name, so that a command added later is an admin's
 * until it is put here. */
static bool reads_only(const struct command *c)
{
	static const char *const readers[] = {"show ports",  "show vsis",     "show vnids",
	                                      "show vlans",  "show counters", "show bindings",
	                                      "impact port", "help",          "version"};
	for (size_t i = 0; i < sizeof(readers) / sizeof(readers[0]); i++)
		if (!strcmp(c->name, readers[i]))
			return true;
	return false;
}

static int refuse_command(const struct command *c, const struct request *rq, struct out *o)
{
	ctl_counters.refused_command++;
	log_notice("control: '%s' refused: a read-only client (control.group)", c->name);
	return ctl_error(o->sb, rq->json,
	                 "permission denied: '%s' changes state, which only root or vdpd's own "
	                 "user may do; control.group may run show, impact, help and version",
	                 c->name);
}

static int dispatch(struct vdpd *d, const struct request *rq, uint64_t now_ns, struct out *o,
                    enum ctl_role role)
{
	const struct command *near = NULL;
	const char *first = rq->w[0];
	unsigned nnear = 0, k;

	if (!first) /* parse() leaves no empty request; this keeps it so */
		return unknown(rq, o->sb);
	for (unsigned i = 0; i < NCOMMANDS; i++) {
		const struct command *c = &commands[i];
		if (name_matches(c->name, rq, &k) && rq->n == k + count_words(c->args)) {
			if (role != CTL_ROLE_ADMIN && !reads_only(c))
				return refuse_command(c, rq, o);
			out_begin(o);
			if (c->run(d, rq, now_ns, o) < 0)
				return -1; /* the error answer replaced what was begun */
			out_end(o);
			return 0;
		}
		if (word_is(first, c->name, strcspn(c->name, " "))) {
			near = c;
			nnear++;
		}
	}
	if (nnear == 1)
		return ctl_error(o->sb, rq->json, "usage: %s%s%s", near->name,
		                 *near->args ? " " : "", near->args);
	return unknown(rq, o->sb);
}

int ctl_exec(struct vdpd *d, const char *line, uint64_t now_ns, struct strbuf *out)
{
	return ctl_exec_as(d, line, now_ns, out, CTL_ROLE_ADMIN);
}

int ctl_exec_as(struct vdpd *d, const char *line, uint64_t now_ns, struct strbuf *out,
                enum ctl_role role)
{
	static struct request rq;
	struct out o;

	/* Every answer is bounded by the protocol's ceiling, unless the
	 * caller (a test) set a lower one. */
	if (!out->max)
		out->max = CTL_ANSWER_MAX;
	sb_reset(out);
	if (parse(line, &rq, out) < 0)
		return -1;
	out_init(&o, out, rq.json);
	int rc = dispatch(d, &rq, now_ns, &o, role);
	out_free(&o);
	if (rc == 0 && out->overflow)
		return ctl_error(out, rq.json, "answer larger than %zu octets or out of memory",
		                 sb_limit(out));
	return rc;
}
