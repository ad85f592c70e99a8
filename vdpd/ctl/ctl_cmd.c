/* vdpd: the control socket's command interpreter.  One request line in,
 * one answer out, no I/O: ctl.c does the socket side, the unit tests call
 * ctl_exec() directly.
 *
 * Grammar (words separated by blanks; a trailing "json" selects JSON):
 *   show ports|vsis|vnids|vlans|counters|bindings
 *   deassoc VSIID
 *   impact port PORT
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <vdp/format.h>

#include "ctl/ctl.h"
#include "ctl/ctl_bindings.h"
#include "ctl/ctl_show.h"
#include "log.h"
#include "core/vdpd.h"

#define CMD_MAX_WORDS 8

static const char usage_hint[] =
	"try: show ports|vsis|vnids|vlans|counters|bindings, deassoc VSIID, impact port PORT";

struct request {
	char buf[CTL_REQ_MAX + 1];
	char *w[CMD_MAX_WORDS];
	unsigned n;
	bool json;
};

static void verror(struct strbuf *out, bool json, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));
static void verror(struct strbuf *out, bool json, const char *fmt, va_list ap)
{
	char msg[CTL_REQ_MAX + 256];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	sb_reset(out);
	if (json) {
		sb_puts(out, "{\"error\":");
		json_escape(out, msg);
		sb_puts(out, "}\n");
	} else {
		sb_printf(out, "error: %s\n", msg);
	}
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
	return len >= 4 && memcmp(line + len - 4, "json", 4) == 0 &&
	       (len == 4 || line[len - 5] == ' ' || line[len - 5] == '\t');
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
					 usage_hint);
		rq->w[rq->n++] = w;
	}
	if (rq->n && strcmp(rq->w[rq->n - 1], "json") == 0) {
		rq->json = true;
		rq->n--;
	}
	if (rq->n == 0)
		return ctl_error(out, rq->json, "empty request; %s", usage_hint);
	return 0;
}

static int unknown(const struct request *rq, struct strbuf *out)
{
	char words[CTL_REQ_MAX + 1] = "";
	size_t off = 0;
	for (unsigned i = 0; i < rq->n; i++)
		off += (size_t)snprintf(words + off, sizeof(words) - off, "%s%s", i ? " " : "",
					rq->w[i]);
	return ctl_error(out, rq->json, "unknown command '%s'; %s", words, usage_hint);
}

/* --- show ------------------------------------------------------------ */

static int cmd_show(struct vdpd *d, const struct request *rq, uint64_t now_ns, struct out *o)
{
	const char *what = rq->n == 2 ? rq->w[1] : "";
	if (rq->n > 2)
		return -1;
	out_begin(o);
	if (strcmp(what, "ports") == 0)
		show_ports(o, d);
	else if (strcmp(what, "vsis") == 0)
		show_vsis(o, d, now_ns, -1);
	else if (strcmp(what, "vnids") == 0)
		show_vnids(o, d);
	else if (strcmp(what, "vlans") == 0)
		show_vlans(o, d);
	else if (strcmp(what, "counters") == 0)
		show_counters(o, d);
	else if (strcmp(what, "bindings") == 0)
		show_bindings(o, d, now_ns); /* migration services, ctl_bindings.c */
	else
		return -1;
	out_end(o);
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
				 "or 32 hex digits)", arg);
	if (nfound == 0)
		return ctl_error(out, json, "no VSI with VSIID '%s'", arg);
	if (nfound > 1)
		return ctl_error(out, json,
				 "VSIID '%s' names VSIs of several formats; prefix it with one: "
				 "uuid:%s or local:%s", arg, text, text);
	return 0;
}

static int cmd_deassoc(struct vdpd *d, const struct request *rq, struct out *o)
{
	struct vsi *v;
	char id[VDP_VSIID_STRLEN];

	if (rq->n != 2)
		return ctl_error(o->sb, rq->json, "usage: deassoc VSIID");
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

	out_begin(o);
	if (o->json) {
		out_kv_str(o, "vsiid", id);
		out_kv_str(o, "format", fmt);
		out_kv_str(o, "port", d->ports[port].name);
		out_kv_uint(o, "vnid", vnid);
		json_key(&o->j, "kernel_ok");
		json_bool(&o->j, kernel_ok);
	} else {
		sb_printf(o->sb, "VSI %s (%s) on port %s, VNID %u: de-associated%s\n", id, fmt,
			  d->ports[port].name, vnid,
			  kernel_ok ? "" : "; removing its kernel state failed (see the log)");
	}
	out_end(o);
	return 0;
}

/* --- impact ---------------------------------------------------------- */

struct impact_vnid {
	uint32_t vnid;
	uint16_t vid;
	unsigned on_port, elsewhere;
};

/* The VNIDs with a VSI on port, with their VSI counts on and off it. */
static unsigned impact_vnids(struct vdpd *d, unsigned port, struct impact_vnid *iv,
			     unsigned cap)
{
	unsigned n = 0;
	const struct vnid *vn;
	TAILQ_FOREACH(vn, &d->vnids, entry) {
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
	static const char *const heads[] = {"VNID", "VLAN", "ON-PORT", "ELSEWHERE", "LAST"};
	tab_begin(o, "vnids", heads, 5);
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
	if (rq->n != 3 || strcmp(rq->w[1], "port") != 0)
		return ctl_error(o->sb, rq->json, "usage: impact port PORT");
	int port = vdpd_port_find(d, rq->w[2]);
	if (port < 0)
		return ctl_error(o->sb, rq->json, "unknown port '%s'", rq->w[2]);

	unsigned n = impact_vnids(d, (unsigned)port, iv, sizeof(iv) / sizeof(iv[0])), last = 0;
	for (unsigned i = 0; i < n; i++)
		last += iv[i].elsewhere == 0;
	out_begin(o);
	out_kv_str(o, "port", rq->w[2]);
	out_kv_uint(o, "affected-vsis", d->ports[port].nvsis);
	out_kv_uint(o, "affected-vnids", n);
	out_kv_uint(o, "vnids-losing-last-vsi", last);
	out_blank(o);
	show_vsis(o, d, now_ns, port);
	out_blank(o);
	impact_vnid_table(o, iv, n);
	out_end(o);
	return 0;
}

/* --- entry ----------------------------------------------------------- */

static int dispatch(struct vdpd *d, const struct request *rq, uint64_t now_ns, struct out *o)
{
	const char *cmd = rq->w[0];
	if (!cmd)
		return unknown(rq, o->sb);
	if (strcmp(cmd, "show") == 0)
		return cmd_show(d, rq, now_ns, o) < 0 ? unknown(rq, o->sb) : 0;
	if (strcmp(cmd, "deassoc") == 0)
		return cmd_deassoc(d, rq, o);
	if (strcmp(cmd, "impact") == 0)
		return cmd_impact(d, rq, now_ns, o);
	return unknown(rq, o->sb);
}

int ctl_exec(struct vdpd *d, const char *line, uint64_t now_ns, struct strbuf *out)
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
	int rc = dispatch(d, &rq, now_ns, &o);
	out_free(&o);
	if (rc == 0 && out->overflow)
		return ctl_error(out, rq.json, "answer larger than %zu octets or out of memory",
				 sb_limit(out));
	return rc;
}
