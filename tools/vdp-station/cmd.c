/* vdp-station: the commands the daemon runs for its clients.  Each turns
 * its words into one libvdp station call; operations answer later, when
 * cmd_format_results() has every switch's result.  Text and JSON carry the
 * same fields (JSON names in parentheses in vdp-station(8)). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vdp-station.h"

#define EVENTS_KEPT 128

/* --- answers ---------------------------------------------------------------- */

static void fail(struct cmd_ctx *c, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(struct cmd_ctx *c, int status, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	c->status = status;
	if (c->json) {
		buf_printf(&c->out, "{\"ok\":false,\"error\":");
		buf_json_str(&c->out, msg);
		buf_printf(&c->out, "}\n");
	} else {
		buf_printf(&c->out, "vdp-station: %s\n", msg);
	}
}

static void done_ok(struct cmd_ctx *c, const char *cmd, const char *text)
{
	c->status = EX_OK;
	if (c->json) {
		buf_printf(&c->out, "{\"ok\":true,\"command\":");
		buf_json_str(&c->out, cmd);
		buf_printf(&c->out, ",\"text\":");
		buf_json_str(&c->out, text);
		buf_printf(&c->out, "}\n");
	} else {
		buf_printf(&c->out, "%s\n", text);
	}
}

/* An API error: its errno decides usage (2) or failure (1). */
static void api_fail(struct cmd_ctx *c, const char *cmd, int rc)
{
	int st = rc == -ENOMEM || rc == -EIO ? EX_FAILED : EX_USAGE;
	fail(c, st, "%s: %s", cmd, vdp_station_error(c->st));
}

static char *mac_str(const uint8_t m[6], char *b)
{
	sprintf(b, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
	return b;
}

/* The request types an operation can send, in the order it sends them. */
static const uint8_t sent_order[] = {VDP_TLV_POLICY_SYNC, VDP_TLV_POLICY_UPDATE, VDP_TLV_PREASSOC,
				     VDP_TLV_ASSOC, VDP_TLV_DEASSOC, VDP_TLV_POLICY_REMOVE};

void cmd_format_results(struct cmd_ctx *c, const struct vdp_station_result *r, size_t n)
{
	char id[VDP_VSIID_STRLEN] = "";
	bool ok = true;
	for (size_t i = 0; i < n; i++)
		ok &= r[i].status == VDP_RESULT_OK;
	c->status = ok ? EX_OK : EX_FAILED;
	if (!n)
		return fail(c, EX_FAILED, "operation %u: no result", c->op);
	if (r[0].vsiid_fmt)
		vdp_vsiid_str(r[0].vsiid_fmt, r[0].vsiid, id, sizeof(id));
	const char *kind = vdp_op_kind_name(r[0].kind);
	if (c->json) {
		buf_printf(&c->out, "{\"ok\":%s,\"command\":\"%s\",\"op\":%u,\"vnid\":%u,\"vsiid\":",
			   ok ? "true" : "false", kind, r[0].op, r[0].vnid);
		buf_json_str(&c->out, r[0].vsiid_fmt ? id : NULL);
		buf_printf(&c->out, ",\"results\":[");
		for (size_t i = 0; i < n; i++) {
			buf_printf(&c->out, "%s{\"link\":", i ? "," : "");
			buf_json_str(&c->out, r[i].link);
			buf_printf(&c->out, ",\"status\":\"%s\",\"stage\":\"%s\",\"error\":%u,\"error_text\":",
				   vdp_result_status_name(r[i].status), tlv_word(r[i].stage), r[i].error);
			buf_json_str(&c->out, r[i].error_text);
			buf_printf(&c->out, ",\"keep\":%s,\"hard\":%s,\"vlan\":%u,\"sent\":[",
				   r[i].keep ? "true" : "false", r[i].hard ? "true" : "false", r[i].vid);
			const char *sep = "";
			for (size_t k = 0; k < sizeof(sent_order); k++)
				if (r[i].sent & (1u << sent_order[k])) {
					buf_printf(&c->out, "%s\"%s\"", sep, tlv_word(sent_order[k]));
					sep = ",";
				}
			buf_printf(&c->out, "]}");
		}
		buf_printf(&c->out, "]}\n");
		return;
	}
	buf_printf(&c->out, "%s", kind);
	if (r[0].vsiid_fmt)
		buf_printf(&c->out, " %s", id);
	buf_printf(&c->out, " (VNID %u): %s\n", r[0].vnid, ok ? "ok" : "FAILED");
	for (size_t i = 0; i < n; i++) {
		const struct vdp_station_result *x = &r[i];
		buf_printf(&c->out, "  %s: ", *x->link ? x->link : "(no switch)");
		if (x->status == VDP_RESULT_OK) {
			buf_printf(&c->out, "ok");
			if (x->vid)
				buf_printf(&c->out, ", VLAN %u", x->vid);
		} else if (x->status == VDP_RESULT_REFUSED) {
			buf_printf(&c->out, "refused at %s: %s (error %u%s%s)", tlv_word(x->stage),
				   x->error_text, x->error, x->keep ? ", keep" : "",
				   x->hard ? ", hard" : "");
		} else {
			buf_printf(&c->out, "%s at %s: %s", vdp_result_status_name(x->status),
				   tlv_word(x->stage), x->error_text);
		}
		const char *sep = "; sent ";
		for (size_t k = 0; k < sizeof(sent_order); k++)
			if (x->sent & (1u << sent_order[k])) {
				buf_printf(&c->out, "%s%s", sep, tlv_word(sent_order[k]));
				sep = ", ";
			}
		if (!x->sent)
			buf_printf(&c->out, "; %s", x->status == VDP_RESULT_OK ? x->error_text : "nothing sent");
		buf_printf(&c->out, "\n");
	}
}

/* --- networks ------------------------------------------------------------------- */

static int policy_words(struct cmd_ctx *c, const char *cmd, uint32_t vnid, int argc, char **argv,
			struct vdp_policy *p, bool *plain, char ***links)
{
	static char linkbuf[256];
	static char *linkv[VDP_STATION_MAX_LINKS + 1];
	char err[512];
	memset(p, 0, sizeof(*p));
	for (int i = 0; i < argc; i++) {
		if (plain && !strcmp(argv[i], "plain")) {
			*plain = true;
		} else if (links && !strncmp(argv[i], "links=", 6)) {
			snprintf(linkbuf, sizeof(linkbuf), "%s", argv[i] + 6);
			int n = 0;
			for (char *s = strtok(linkbuf, ","); s && n < VDP_STATION_MAX_LINKS;
			     s = strtok(NULL, ","))
				linkv[n++] = s;
			linkv[n] = NULL;
			*links = linkv;
		} else if (parse_policy_word(argv[i], vnid, p, err, sizeof(err)) < 0) {
			fail(c, EX_USAGE, "%s: %s", cmd, err);
			return -1;
		}
	}
	if (plain && *plain && p->nentries) {
		fail(c, EX_USAGE, "%s: a plain network has no policy; drop 'plain' or the policy words",
		     cmd);
		return -1;
	}
	return 0;
}

static void create_network(struct cmd_ctx *c, int argc, char **argv)
{
	uint32_t vnid;
	char err[256], text[256];
	struct vdp_policy p;
	bool plain = false;
	char **links = NULL;
	if (argc < 2)
		return fail(c, EX_USAGE, "usage: create-network VNID [plain] [links=IF,...] [POLICY...]");
	if (parse_vnid(argv[1], &vnid, err, sizeof(err)) < 0)
		return fail(c, EX_USAGE, "create-network: %s", err);
	if (policy_words(c, "create-network", vnid, argc - 2, argv + 2, &p, &plain, &links) < 0)
		return;
	int rc = vdp_station_create_network(c->st, vnid, plain ? NULL : &p, (const char *const *)links);
	if (rc < 0)
		return api_fail(c, "create-network", rc);
	snprintf(text, sizeof(text),
		 plain ? "network %u created (plain 802.1Qbg: no policy TLVs)"
		       : "network %u created: its policy goes to each switch with the network's first VM there",
		 vnid);
	done_ok(c, "create-network", text);
}

static void update_policy(struct cmd_ctx *c, int argc, char **argv)
{
	uint32_t vnid;
	char err[256];
	struct vdp_policy p;
	if (argc < 2)
		return fail(c, EX_USAGE, "usage: update-policy VNID [POLICY...]");
	if (parse_vnid(argv[1], &vnid, err, sizeof(err)) < 0)
		return fail(c, EX_USAGE, "update-policy: %s", err);
	if (policy_words(c, "update-policy", vnid, argc - 2, argv + 2, &p, NULL, NULL) < 0)
		return;
	int rc = vdp_station_update_policy(c->st, vnid, &p, &c->op);
	if (rc < 0)
		return api_fail(c, "update-policy", rc);
}

static void delete_network(struct cmd_ctx *c, int argc, char **argv)
{
	uint32_t vnid;
	char err[256], text[128];
	if (argc != 2)
		return fail(c, EX_USAGE, "usage: delete-network VNID");
	if (parse_vnid(argv[1], &vnid, err, sizeof(err)) < 0)
		return fail(c, EX_USAGE, "delete-network: %s", err);
	int rc = vdp_station_delete_network(c->st, vnid, &c->op);
	if (rc < 0)
		return api_fail(c, "delete-network", rc);
	if (!c->op) {
		snprintf(text, sizeof(text), "network %u deleted (no switch held its policy)", vnid);
		done_ok(c, "delete-network", text);
	}
}

/* --- VMs ------------------------------------------------------------------------ */

static void vm_up(struct cmd_ctx *c, int argc, char **argv, bool migrate)
{
	const char *cmd = argv[0];
	struct vdp_vm vm;
	char err[256];
	memset(&vm, 0, sizeof(vm));
	if (argc < 4)
		return fail(c, EX_USAGE, "usage: %s VNID VSIID MAC [vid=VID] [ip=IPV4] [preassoc]", cmd);
	if (parse_vnid(argv[1], &vm.vnid, err, sizeof(err)) < 0 ||
	    parse_vsiid(argv[2], &vm.vsiid_fmt, vm.vsiid, err, sizeof(err)) < 0 ||
	    parse_mac(argv[3], vm.mac, err, sizeof(err)) < 0)
		return fail(c, EX_USAGE, "%s: %s", cmd, err);
	for (int i = 4; i < argc; i++) {
		uint32_t v;
		if (!strcmp(argv[i], "preassoc")) {
			vm.preassoc = true;
		} else if (!strncmp(argv[i], "vid=", 4)) {
			if (parse_u32(argv[i] + 4, VDP_VID_MAX, &v) < 0)
				return fail(c, EX_USAGE, "%s: '%s': the VID is 0..4094 (0: the switch chooses)",
					    cmd, argv[i]);
			vm.vid = (uint16_t)v;
		} else if (!strncmp(argv[i], "ip=", 3)) {
			if (parse_ipv4(argv[i] + 3, vm.ipv4, err, sizeof(err)) < 0)
				return fail(c, EX_USAGE, "%s: %s", cmd, err);
		} else {
			return fail(c, EX_USAGE, "%s: unknown argument '%s' (vid=, ip= or preassoc)", cmd,
				    argv[i]);
		}
	}
	int rc = migrate ? vdp_station_migrate_in(c->st, &vm, &c->op)
			 : vdp_station_create_vm(c->st, &vm, &c->op);
	if (rc < 0)
		return api_fail(c, cmd, rc);
}

static void vm_one(struct cmd_ctx *c, int argc, char **argv)
{
	const char *cmd = argv[0];
	uint8_t fmt, id[VDP_VSIID_LEN];
	char err[256];
	if (argc != 2)
		return fail(c, EX_USAGE, "usage: %s VSIID", cmd);
	if (parse_vsiid(argv[1], &fmt, id, err, sizeof(err)) < 0)
		return fail(c, EX_USAGE, "%s: %s", cmd, err);
	int rc;
	if (!strcmp(cmd, "associate"))
		rc = vdp_station_associate(c->st, fmt, id, &c->op);
	else if (!strcmp(cmd, "migrate-out"))
		rc = vdp_station_migrate_out(c->st, fmt, id, &c->op);
	else
		rc = vdp_station_remove_vm(c->st, fmt, id, &c->op);
	if (rc < 0)
		return api_fail(c, cmd, rc);
}

static void set_ip(struct cmd_ctx *c, int argc, char **argv)
{
	uint8_t fmt, id[VDP_VSIID_LEN], ip[4];
	char err[256], text[128];
	if (argc != 3)
		return fail(c, EX_USAGE, "usage: set-ip VSIID IPV4");
	if (parse_vsiid(argv[1], &fmt, id, err, sizeof(err)) < 0 ||
	    parse_ipv4(argv[2], ip, err, sizeof(err)) < 0)
		return fail(c, EX_USAGE, "set-ip: %s", err);
	int rc = vdp_station_set_vm_ip(c->st, fmt, id, ip);
	if (rc < 0)
		return api_fail(c, "set-ip", rc);
	snprintf(text, sizeof(text), "VM %s: IPv4 address %s recorded", argv[1], argv[2]);
	done_ok(c, "set-ip", text);
}

/* --- list -------------------------------------------------------------------------- */

static void list_links(struct cmd_ctx *c)
{
	struct vdp_station_link_info li = {.size = sizeof(li)};
	char m[18], p[18];
	if (c->json)
		buf_printf(&c->out, "\"links\":[");
	else
		buf_printf(&c->out, "%-10s %-17s %-17s %-6s %2s %4s %4s %4s %8s %8s %10s\n", "LINK",
			   "MAC", "BRIDGE", "EVB", "R", "RTE", "RWD", "RKA", "TX-PDUS", "RX-PDUS",
			   "KEEPALIVES");
	for (unsigned i = 0; vdp_station_link_at(c->st, i, &li) == 0; i++) {
		mac_str(li.mac, m);
		if (li.peer_known)
			mac_str(li.peer, p);
		if (c->json) {
			buf_printf(&c->out, "%s{\"link\":", i ? "," : "");
			buf_json_str(&c->out, li.name);
			buf_printf(&c->out, ",\"mac\":\"%s\",\"bridge\":", m);
			buf_json_str(&c->out, li.peer_known ? p : NULL);
			buf_printf(&c->out,
				   ",\"bridge_evb\":%s,\"r\":%u,\"rte\":%u,\"rwd\":%u,\"rka\":%u,"
				   "\"tx_pdus\":%llu,\"rx_pdus\":%llu,\"keepalives\":%llu,"
				   "\"tx_lldp\":%llu,\"rx_lldp\":%llu,\"foreign\":%llu,\"unmatched\":%llu}",
				   li.bridge_evb ? "true" : "false", li.timers.r, li.timers.rte,
				   li.timers.rwd, li.timers.rka, (unsigned long long)li.tx_pdus,
				   (unsigned long long)li.rx_pdus, (unsigned long long)li.keepalives,
				   (unsigned long long)li.tx_lldp, (unsigned long long)li.rx_lldp,
				   (unsigned long long)li.foreign, (unsigned long long)li.unmatched);
		} else {
			buf_printf(&c->out, "%-10s %-17s %-17s %-6s %2u %4u %4u %4u %8llu %8llu %10llu\n",
				   li.name, m, li.peer_known ? p : "-", li.bridge_evb ? "bridge" : "-",
				   li.timers.r, li.timers.rte, li.timers.rwd, li.timers.rka,
				   (unsigned long long)li.tx_pdus, (unsigned long long)li.rx_pdus,
				   (unsigned long long)li.keepalives);
		}
	}
	buf_printf(&c->out, c->json ? "]" : "");
}

static void list_networks(struct cmd_ctx *c)
{
	static struct vdp_station_net_info ni = {.size = sizeof(ni)};
	if (c->json)
		buf_printf(&c->out, "\"networks\":[");
	else
		buf_printf(&c->out, "%-10s %-5s %-24s %s\n", "NETWORK", "VMS", "SWITCHES", "POLICY");
	for (unsigned i = 0; vdp_station_net_at(c->st, i, &ni) == 0; i++) {
		struct buf sw = {0};
		if (c->json) {
			buf_printf(&c->out, "%s{\"vnid\":%u,\"plain\":%s,\"vms\":%u,\"switches\":[",
				   i ? "," : "", ni.vnid, ni.plain ? "true" : "false", ni.nvms);
			for (unsigned k = 0; k < ni.nlinks; k++) {
				buf_printf(&c->out, "%s{\"link\":", k ? "," : "");
				buf_json_str(&c->out, ni.links[k].link);
				buf_printf(&c->out, ",\"policy\":\"%s\"}",
					   vdp_sync_state_name(ni.links[k].sync));
			}
			buf_printf(&c->out, "],\"policy\":[");
			for (unsigned k = 0; k < ni.policy.nentries; k++) {
				struct buf w = {0};
				format_policy_entry(&w, &ni.policy.entries[k]);
				buf_printf(&c->out, "%s", k ? "," : "");
				buf_json_str(&c->out, w.p);
				buf_free(&w);
			}
			buf_printf(&c->out, "]}");
			continue;
		}
		for (unsigned k = 0; k < ni.nlinks; k++)
			buf_printf(&sw, "%s%s:%s", k ? "," : "", ni.links[k].link,
				   vdp_sync_state_name(ni.links[k].sync));
		buf_printf(&c->out, "%-10u %-5u %-24s", ni.vnid, ni.nvms, sw.p ? sw.p : "-");
		if (ni.plain)
			buf_printf(&c->out, " (plain 802.1Qbg)");
		for (unsigned k = 0; k < ni.policy.nentries; k++) {
			buf_printf(&c->out, " ");
			format_policy_entry(&c->out, &ni.policy.entries[k]);
		}
		buf_printf(&c->out, "\n");
		buf_free(&sw);
	}
	buf_printf(&c->out, c->json ? "]" : "");
}

static void list_vms(struct cmd_ctx *c)
{
	static struct vdp_station_vm_info vi = {.size = sizeof(vi)};
	char id[VDP_VSIID_STRLEN], m[18], ip[INET_ADDRSTRLEN];
	if (c->json)
		buf_printf(&c->out, "\"vms\":[");
	else
		buf_printf(&c->out, "%-38s %-10s %-17s %-15s %-8s %s\n", "VM", "NETWORK", "MAC", "IP",
			   "MIGRATED", "SWITCHES (link:state:VLAN)");
	for (unsigned i = 0; vdp_station_vm_at(c->st, i, &vi) == 0; i++) {
		vdp_vsiid_str(vi.vm.vsiid_fmt, vi.vm.vsiid, id, sizeof(id));
		mac_str(vi.vm.mac, m);
		inet_ntop(AF_INET, vi.vm.ipv4, ip, sizeof(ip));
		bool has_ip = vi.vm.ipv4[0] | vi.vm.ipv4[1] | vi.vm.ipv4[2] | vi.vm.ipv4[3];
		if (c->json) {
			buf_printf(&c->out, "%s{\"vsiid\":", i ? "," : "");
			buf_json_str(&c->out, id);
			buf_printf(&c->out, ",\"format\":\"%s\",\"vnid\":%u,\"mac\":\"%s\",\"ip\":",
				   vsiid_fmt_name(vi.vm.vsiid_fmt), vi.vm.vnid, m);
			buf_json_str(&c->out, has_ip ? ip : NULL);
			buf_printf(&c->out, ",\"vid_requested\":%u,\"preassoc\":%s,\"migrated\":%s,\"switches\":[",
				   vi.vm.vid, vi.vm.preassoc ? "true" : "false",
				   vi.migrated ? "true" : "false");
			for (unsigned k = 0; k < vi.nlinks; k++) {
				buf_printf(&c->out, "%s{\"link\":", k ? "," : "");
				buf_json_str(&c->out, vi.links[k].link);
				buf_printf(&c->out, ",\"state\":\"%s\",\"vlan\":%u}",
					   vdp_vsi_state_name(vi.links[k].state), vi.links[k].vid);
			}
			buf_printf(&c->out, "]}");
			continue;
		}
		buf_printf(&c->out, "%-38s %-10u %-17s %-15s %-8s", id, vi.vm.vnid, m, has_ip ? ip : "-",
			   vi.migrated ? "yes" : "no");
		for (unsigned k = 0; k < vi.nlinks; k++)
			buf_printf(&c->out, " %s:%s:%u", vi.links[k].link,
				   vdp_vsi_state_name(vi.links[k].state), vi.links[k].vid);
		buf_printf(&c->out, "\n");
	}
	buf_printf(&c->out, c->json ? "]" : "");
}

static void list(struct cmd_ctx *c, int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "all";
	bool all = !strcmp(what, "all");
	if (argc > 2 || (!all && strcmp(what, "links") != 0 && strcmp(what, "networks") != 0 &&
			 strcmp(what, "vms") != 0))
		return fail(c, EX_USAGE, "usage: list [links|networks|vms|all]");
	c->status = EX_OK;
	void (*fn[])(struct cmd_ctx *) = {list_links, list_networks, list_vms};
	const char *names[] = {"links", "networks", "vms"};
	bool first = true;
	if (c->json)
		buf_printf(&c->out, "{");
	for (int i = 0; i < 3; i++) {
		if (!all && strcmp(what, names[i]) != 0)
			continue;
		if (!first)
			buf_printf(&c->out, c->json ? "," : "\n");
		first = false;
		fn[i](c);
	}
	if (c->json)
		buf_printf(&c->out, "}\n");
}

/* --- events ------------------------------------------------------------------------ */

struct ev_rec {
	unsigned long seq;
	struct vdp_station_event ev;
	char link[VDP_STATION_NAME_LEN];
	char text[128];
};
static struct ev_rec ring[EVENTS_KEPT];
static unsigned long ev_seq;

void cmd_events_add(const struct vdp_station_event *ev)
{
	struct ev_rec *r = &ring[ev_seq % EVENTS_KEPT];
	r->seq = ++ev_seq;
	r->ev = *ev;
	snprintf(r->link, sizeof(r->link), "%s", ev->link ? ev->link : "");
	snprintf(r->text, sizeof(r->text), "%s", ev->text ? ev->text : "");
}

static void events(struct cmd_ctx *c, int argc, char **argv)
{
	uint32_t since = 0;
	if (argc > 2 || (argc == 2 && (strncmp(argv[1], "since=", 6) != 0 ||
				       parse_u32(argv[1] + 6, UINT32_MAX, &since) < 0)))
		return fail(c, EX_USAGE, "usage: events [since=SEQ]");
	c->status = EX_OK;
	if (c->json)
		buf_printf(&c->out, "{\"events\":[");
	else
		buf_printf(&c->out, "%-5s %-17s %-10s %-10s %-38s %s\n", "SEQ", "EVENT", "LINK",
			   "NETWORK", "VM", "WHAT");
	bool first = true;
	unsigned long lo = ev_seq > EVENTS_KEPT ? ev_seq - EVENTS_KEPT + 1 : 1;
	for (unsigned long s = lo > since + 1 ? lo : since + 1; s <= ev_seq; s++) {
		const struct ev_rec *r = &ring[(s - 1) % EVENTS_KEPT];
		char id[VDP_VSIID_STRLEN] = "-";
		if (r->ev.vsiid_fmt)
			vdp_vsiid_str(r->ev.vsiid_fmt, r->ev.vsiid, id, sizeof(id));
		if (c->json) {
			buf_printf(&c->out, "%s{\"seq\":%lu,\"event\":\"%s\",\"link\":", first ? "" : ",",
				   r->seq, vdp_event_kind_name(r->ev.kind));
			buf_json_str(&c->out, r->link);
			buf_printf(&c->out, ",\"vnid\":%u,\"vsiid\":", r->ev.vnid);
			buf_json_str(&c->out, r->ev.vsiid_fmt ? id : NULL);
			buf_printf(&c->out, ",\"error\":%u,\"text\":", r->ev.error);
			buf_json_str(&c->out, r->text);
			buf_printf(&c->out, "}");
		} else {
			buf_printf(&c->out, "%-5lu %-17s %-10s %-10u %-38s %s\n", r->seq,
				   vdp_event_kind_name(r->ev.kind), r->link, r->ev.vnid, id, r->text);
		}
		first = false;
	}
	if (c->json)
		buf_printf(&c->out, "]}\n");
}

/* --- dispatch ------------------------------------------------------------------------ */

void cmd_run(struct cmd_ctx *c, int argc, char **argv)
{
	c->status = EX_OK;
	c->op = 0;
	if (argc < 1)
		return fail(c, EX_USAGE, "no command (try vdp-station --help)");
	const char *w = argv[0];
	if (!strcmp(w, "create-network"))
		create_network(c, argc, argv);
	else if (!strcmp(w, "update-policy"))
		update_policy(c, argc, argv);
	else if (!strcmp(w, "delete-network"))
		delete_network(c, argc, argv);
	else if (!strcmp(w, "create-vm"))
		vm_up(c, argc, argv, false);
	else if (!strcmp(w, "migrate-in"))
		vm_up(c, argc, argv, true);
	else if (!strcmp(w, "associate") || !strcmp(w, "migrate-out") || !strcmp(w, "remove-vm"))
		vm_one(c, argc, argv);
	else if (!strcmp(w, "set-ip"))
		set_ip(c, argc, argv);
	else if (!strcmp(w, "list"))
		list(c, argc, argv);
	else if (!strcmp(w, "events"))
		events(c, argc, argv);
	else
		fail(c, EX_USAGE, "unknown command '%s' (try vdp-station --help)", w);
}
