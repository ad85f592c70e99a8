/* SPDX-License-Identifier: ISC */
/* vdp-station: the commands the daemon runs for its clients.  Each turns
 * its words into one libvdp station call; operations answer later, when
 * cmd_format_results() has every switch's result.  Text and JSON carry the
 * same fields (JSON names in parentheses in vdp-station(8)). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vdp/format.h>

#include "vdp-station.h"

#define EVENTS_KEPT 128

/* --- answers ---------------------------------------------------------------- */

/* A JSON answer is one object on one line. */
static void json_begin(struct cmd_ctx *c, struct json *j)
{
	json_init(j, &c->out);
	json_obj_begin(j);
}

static void json_end(struct cmd_ctx *c, struct json *j)
{
	json_obj_end(j);
	sb_putc(&c->out, '\n');
}

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
		struct json j;
		json_begin(c, &j);
		json_kv_bool(&j, "ok", false);
		json_kv_str(&j, "error", msg);
		json_end(c, &j);
	} else {
		sb_printf(&c->out, "vdp-station: %s\n", msg);
	}
}

static void done_ok(struct cmd_ctx *c, const char *cmd, const char *text)
{
	c->status = EX_OK;
	if (c->json) {
		struct json j;
		json_begin(c, &j);
		json_kv_bool(&j, "ok", true);
		json_kv_str(&j, "command", cmd);
		json_kv_str(&j, "text", text);
		json_end(c, &j);
	} else {
		sb_printf(&c->out, "%s\n", text);
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
static const uint8_t sent_order[] = {VDP_TLV_POLICY_SYNC, VDP_TLV_POLICY_UPDATE,
                                     VDP_TLV_PREASSOC,    VDP_TLV_ASSOC,
                                     VDP_TLV_DEASSOC,     VDP_TLV_POLICY_REMOVE};

static void result_json(struct json *j, const struct vdp_station_result *r)
{
	json_obj_begin(j);
	json_kv_str(j, "link", r->link);
	json_kv_str(j, "status", vdp_result_status_name(r->status));
	json_kv_str(j, "stage", tlv_word(r->stage));
	json_kv_uint(j, "error", r->error);
	json_kv_str(j, "error_text", r->error_text);
	json_kv_bool(j, "keep", r->keep);
	json_kv_bool(j, "hard", r->hard);
	json_kv_uint(j, "vlan", r->vid);
	json_kv_uint(j, "resends", r->resends);
	json_kv_uint(j, "retransmits", r->retransmits);
	json_kv_str(j, "detail", r->detail);
	json_key(j, "sent");
	json_arr_begin(j);
	for (size_t k = 0; k < sizeof(sent_order); k++)
		if (r->sent & (1u << sent_order[k]))
			json_str(j, tlv_word(sent_order[k]));
	json_arr_end(j);
	json_obj_end(j);
}

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
		struct json j;
		json_begin(c, &j);
		json_kv_bool(&j, "ok", ok);
		json_kv_str(&j, "command", kind);
		json_kv_uint(&j, "op", r[0].op);
		json_kv_uint(&j, "vnid", r[0].vnid);
		json_kv_str(&j, "vsiid", r[0].vsiid_fmt ? id : NULL);
		json_key(&j, "results");
		json_arr_begin(&j);
		for (size_t i = 0; i < n; i++)
			result_json(&j, &r[i]);
		json_arr_end(&j);
		json_end(c, &j);
		return;
	}
	sb_printf(&c->out, "%s", kind);
	if (r[0].vsiid_fmt)
		sb_printf(&c->out, " %s", id);
	sb_printf(&c->out, " (VNID %u): %s\n", r[0].vnid, ok ? "ok" : "FAILED");
	for (size_t i = 0; i < n; i++) {
		const struct vdp_station_result *x = &r[i];
		sb_printf(&c->out, "  %s: ", *x->link ? x->link : "(no switch)");
		if (x->status == VDP_RESULT_OK) {
			sb_printf(&c->out, "ok");
			if (x->vid)
				sb_printf(&c->out, ", VLAN %u", x->vid);
		} else if (x->status == VDP_RESULT_REFUSED) {
			sb_printf(&c->out, "refused at %s: %s (error %u%s%s)", tlv_word(x->stage),
			          x->error_text, x->error, x->keep ? ", keep" : "",
			          x->hard ? ", hard" : "");
		} else {
			sb_printf(&c->out, "%s at %s: %s", vdp_result_status_name(x->status),
			          tlv_word(x->stage), x->error_text);
		}
		const char *sep = "; sent ";
		for (size_t k = 0; k < sizeof(sent_order); k++)
			if (x->sent & (1u << sent_order[k])) {
				sb_printf(&c->out, "%s%s", sep, tlv_word(sent_order[k]));
				sep = ", ";
			}
		if (!x->sent)
			sb_printf(&c->out, "; %s",
			          x->status == VDP_RESULT_OK ? x->error_text : "nothing sent");
		if (x->resends || x->retransmits)
			sb_printf(&c->out, " (sent again %u times, %u ECP retransmissions)",
			          x->resends, x->retransmits);
		sb_printf(&c->out, "\n");
		if (*x->detail)
			sb_printf(&c->out, "    %s\n", x->detail);
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
		fail(c, EX_USAGE,
		     "%s: a plain network has no policy; drop 'plain' or the policy words", cmd);
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
		return fail(c, EX_USAGE,
		            "usage: create-network VNID [plain] [links=IF,...] [POLICY...]");
	if (parse_vnid(argv[1], &vnid, err, sizeof(err)) < 0)
		return fail(c, EX_USAGE, "create-network: %s", err);
	if (policy_words(c, "create-network", vnid, argc - 2, argv + 2, &p, &plain, &links) < 0)
		return;
	int rc =
	    vdp_station_create_network(c->st, vnid, plain ? NULL : &p, (const char *const *)links);
	if (rc < 0)
		return api_fail(c, "create-network", rc);
	snprintf(text, sizeof(text),
	         plain ? "network %u created (plain 802.1Qbg: no policy TLVs)"
	               : "network %u created: its policy goes to each switch with the network's "
	                 "first VM there",
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
		snprintf(text, sizeof(text), "network %u deleted (no switch held its policy)",
		         vnid);
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
		return fail(c, EX_USAGE, "usage: %s VNID VSIID MAC [vid=VID] [ip=IPV4] [preassoc]",
		            cmd);
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
				return fail(c, EX_USAGE,
				            "%s: '%s': the VID is 0..4094 (0: the switch chooses)",
				            cmd, argv[i]);
			vm.vid = (uint16_t)v;
		} else if (!strncmp(argv[i], "ip=", 3)) {
			if (parse_ipv4(argv[i] + 3, vm.ipv4, err, sizeof(err)) < 0)
				return fail(c, EX_USAGE, "%s: %s", cmd, err);
		} else {
			return fail(c, EX_USAGE,
			            "%s: unknown argument '%s' (vid=, ip= or preassoc)", cmd,
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

/* Each list writes a table in text, or one member of the answer's object
 * in JSON (on j): list_begin() opens the JSON array or returns false to
 * have the caller write the table's header; list_end() closes it. */
static bool list_begin(struct cmd_ctx *c, struct json *j, const char *key)
{
	if (!c->json)
		return false;
	json_key(j, key);
	json_arr_begin(j);
	return true;
}

static void list_end(struct cmd_ctx *c, struct json *j)
{
	if (c->json)
		json_arr_end(j);
}

static void list_links(struct cmd_ctx *c, struct json *j)
{
	struct vdp_station_link_info li = {.size = sizeof(li)};
	char m[18], p[18];
	if (!list_begin(c, j, "links"))
		sb_printf(&c->out, "%-10s %-17s %-17s %-6s %2s %4s %4s %4s %8s %8s %10s %7s %7s\n",
		          "LINK", "MAC", "BRIDGE", "EVB", "R", "RTE", "RWD", "RKA", "TX-PDUS",
		          "RX-PDUS", "KEEPALIVES", "RESENDS", "GAVE-UP");
	for (unsigned i = 0; vdp_station_link_at(c->st, i, &li) == 0; i++) {
		mac_str(li.mac, m);
		if (li.peer_known)
			mac_str(li.peer, p);
		if (!c->json) {
			sb_printf(&c->out,
			          "%-10s %-17s %-17s %-6s %2u %4u %4u %4u %8llu %8llu %10llu %7llu "
			          "%7llu\n",
			          li.name, m, li.peer_known ? p : "-",
			          li.bridge_evb ? "bridge" : "-", li.timers.r, li.timers.rte,
			          li.timers.rwd, li.timers.rka, (unsigned long long)li.tx_pdus,
			          (unsigned long long)li.rx_pdus, (unsigned long long)li.keepalives,
			          (unsigned long long)li.resends, (unsigned long long)li.given_up);
			continue;
		}
		json_obj_begin(j);
		json_kv_str(j, "link", li.name);
		json_kv_str(j, "mac", m);
		json_kv_str(j, "bridge", li.peer_known ? p : NULL);
		json_kv_bool(j, "bridge_evb", li.bridge_evb);
		json_kv_uint(j, "r", li.timers.r);
		json_kv_uint(j, "rte", li.timers.rte);
		json_kv_uint(j, "rwd", li.timers.rwd);
		json_kv_uint(j, "rka", li.timers.rka);
		json_kv_uint(j, "tx_pdus", li.tx_pdus);
		json_kv_uint(j, "rx_pdus", li.rx_pdus);
		json_kv_uint(j, "keepalives", li.keepalives);
		json_kv_uint(j, "tx_lldp", li.tx_lldp);
		json_kv_uint(j, "rx_lldp", li.rx_lldp);
		json_kv_uint(j, "foreign", li.foreign);
		json_kv_uint(j, "unmatched", li.unmatched);
		json_kv_uint(j, "resends", li.resends);
		json_kv_uint(j, "given_up", li.given_up);
		json_kv_uint(j, "late_acks", li.late_acks);
		json_kv_uint(j, "retransmits", li.retransmits);
		json_kv_uint(j, "ecp_failures", li.ecp_failures);
		json_obj_end(j);
	}
	list_end(c, j);
}

static void network_json(struct json *j, const struct vdp_station_net_info *ni)
{
	char w[256];
	json_obj_begin(j);
	json_kv_uint(j, "vnid", ni->vnid);
	json_kv_bool(j, "plain", ni->plain);
	json_kv_uint(j, "vms", ni->nvms);
	json_key(j, "switches");
	json_arr_begin(j);
	for (unsigned k = 0; k < ni->nlinks; k++) {
		json_obj_begin(j);
		json_kv_str(j, "link", ni->links[k].link);
		json_kv_str(j, "policy", vdp_sync_state_name(ni->links[k].sync));
		json_obj_end(j);
	}
	json_arr_end(j);
	json_key(j, "policy");
	json_arr_begin(j);
	for (unsigned k = 0; k < ni->policy.nentries; k++) {
		vdp_policy_entry_word(&ni->policy.entries[k], w, sizeof(w));
		json_str(j, w);
	}
	json_arr_end(j);
	json_obj_end(j);
}

static void list_networks(struct cmd_ctx *c, struct json *j)
{
	static struct vdp_station_net_info ni = {.size = sizeof(ni)};
	if (!list_begin(c, j, "networks"))
		sb_printf(&c->out, "%-10s %-5s %-24s %s\n", "NETWORK", "VMS", "SWITCHES", "POLICY");
	for (unsigned i = 0; vdp_station_net_at(c->st, i, &ni) == 0; i++) {
		struct strbuf sw = STRBUF_INIT;
		if (c->json) {
			network_json(j, &ni);
			continue;
		}
		for (unsigned k = 0; k < ni.nlinks; k++)
			sb_printf(&sw, "%s%s:%s", k ? "," : "", ni.links[k].link,
			          vdp_sync_state_name(ni.links[k].sync));
		sb_printf(&c->out, "%-10u %-5u %-24s", ni.vnid, ni.nvms,
		          sw.len ? sb_str(&sw) : "-");
		if (ni.plain)
			sb_printf(&c->out, " (plain 802.1Qbg)");
		for (unsigned k = 0; k < ni.policy.nentries; k++) {
			char w[256];
			vdp_policy_entry_word(&ni.policy.entries[k], w, sizeof(w));
			sb_printf(&c->out, " %s", w);
		}
		sb_printf(&c->out, "\n");
		sb_free(&sw);
	}
	list_end(c, j);
}

static void vm_json(struct json *j, const struct vdp_station_vm_info *vi, const char *id,
                    const char *mac, const char *ip)
{
	json_obj_begin(j);
	json_kv_str(j, "vsiid", id);
	const char *fmt = vdp_vsiid_format_name(vi->vm.vsiid_fmt);
	json_kv_str(j, "format", fmt ? fmt : "unknown");
	json_kv_uint(j, "vnid", vi->vm.vnid);
	json_kv_str(j, "mac", mac);
	json_kv_str(j, "ip", ip);
	json_kv_uint(j, "vid_requested", vi->vm.vid);
	json_kv_bool(j, "preassoc", vi->vm.preassoc);
	json_kv_bool(j, "migrated", vi->migrated);
	json_key(j, "switches");
	json_arr_begin(j);
	for (unsigned k = 0; k < vi->nlinks; k++) {
		json_obj_begin(j);
		json_kv_str(j, "link", vi->links[k].link);
		json_kv_str(j, "state", vdp_vsi_state_name(vi->links[k].state));
		json_kv_uint(j, "vlan", vi->links[k].vid);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}

static void list_vms(struct cmd_ctx *c, struct json *j)
{
	static struct vdp_station_vm_info vi = {.size = sizeof(vi)};
	char id[VDP_VSIID_STRLEN], m[18], ip[INET_ADDRSTRLEN];
	if (!list_begin(c, j, "vms"))
		sb_printf(&c->out, "%-38s %-10s %-17s %-15s %-8s %s\n", "VM", "NETWORK", "MAC",
		          "IP", "MIGRATED", "SWITCHES (link:state:VLAN)");
	for (unsigned i = 0; vdp_station_vm_at(c->st, i, &vi) == 0; i++) {
		vdp_vsiid_str(vi.vm.vsiid_fmt, vi.vm.vsiid, id, sizeof(id));
		mac_str(vi.vm.mac, m);
		inet_ntop(AF_INET, vi.vm.ipv4, ip, sizeof(ip));
		bool has_ip = vi.vm.ipv4[0] | vi.vm.ipv4[1] | vi.vm.ipv4[2] | vi.vm.ipv4[3];
		if (c->json) {
			vm_json(j, &vi, id, m, has_ip ? ip : NULL);
			continue;
		}
		sb_printf(&c->out, "%-38s %-10u %-17s %-15s %-8s", id, vi.vm.vnid, m,
		          has_ip ? ip : "-", vi.migrated ? "yes" : "no");
		for (unsigned k = 0; k < vi.nlinks; k++)
			sb_printf(&c->out, " %s:%s:%u", vi.links[k].link,
			          vdp_vsi_state_name(vi.links[k].state), vi.links[k].vid);
		sb_printf(&c->out, "\n");
	}
	list_end(c, j);
}

static void list(struct cmd_ctx *c, int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "all";
	bool all = !strcmp(what, "all");
	if (argc > 2 || (!all && strcmp(what, "links") != 0 && strcmp(what, "networks") != 0 &&
	                 strcmp(what, "vms") != 0))
		return fail(c, EX_USAGE, "usage: list [links|networks|vms|all]");
	c->status = EX_OK;
	void (*fn[])(struct cmd_ctx *, struct json *) = {list_links, list_networks, list_vms};
	const char *names[] = {"links", "networks", "vms"};
	bool first = true;
	struct json j;
	json_init(&j, &c->out);
	if (c->json)
		json_obj_begin(&j);
	for (int i = 0; i < 3; i++) {
		if (!all && strcmp(what, names[i]) != 0)
			continue;
		if (!first && !c->json)
			sb_putc(&c->out, '\n');
		first = false;
		fn[i](c, &j);
	}
	if (c->json)
		json_end(c, &j);
}

/* --- events ------------------------------------------------------------------------ */

struct ev_rec {
	unsigned long seq;
	struct vdp_station_event ev;
	char link[VDP_STATION_NAME_LEN];
	char text[256];
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

static void event_json(struct json *j, const struct ev_rec *r, const char *id)
{
	json_obj_begin(j);
	json_kv_uint(j, "seq", r->seq);
	json_kv_str(j, "event", vdp_event_kind_name(r->ev.kind));
	json_kv_str(j, "link", r->link);
	json_kv_uint(j, "vnid", r->ev.vnid);
	json_kv_str(j, "vsiid", r->ev.vsiid_fmt ? id : NULL);
	json_kv_uint(j, "error", r->ev.error);
	json_kv_str(j, "text", r->text);
	json_obj_end(j);
}

static void events(struct cmd_ctx *c, int argc, char **argv)
{
	uint32_t since = 0;
	struct json j;
	if (argc > 2 || (argc == 2 && (strncmp(argv[1], "since=", 6) != 0 ||
	                               parse_u32(argv[1] + 6, UINT32_MAX, &since) < 0)))
		return fail(c, EX_USAGE, "usage: events [since=SEQ]");
	c->status = EX_OK;
	json_init(&j, &c->out);
	if (c->json)
		json_obj_begin(&j);
	if (!list_begin(c, &j, "events"))
		sb_printf(&c->out, "%-5s %-17s %-10s %-10s %-38s %s\n", "SEQ", "EVENT", "LINK",
		          "NETWORK", "VM", "WHAT");
	unsigned long lo = ev_seq > EVENTS_KEPT ? ev_seq - EVENTS_KEPT + 1 : 1;
	for (unsigned long s = lo > since + 1 ? lo : since + 1; s <= ev_seq; s++) {
		const struct ev_rec *r = &ring[(s - 1) % EVENTS_KEPT];
		char id[VDP_VSIID_STRLEN] = "-";
		if (r->ev.vsiid_fmt)
			vdp_vsiid_str(r->ev.vsiid_fmt, r->ev.vsiid, id, sizeof(id));
		if (c->json)
			event_json(&j, r, id);
		else
			sb_printf(&c->out, "%-5lu %-17s %-10s %-10u %-38s %s\n", r->seq,
			          vdp_event_kind_name(r->ev.kind), r->link, r->ev.vnid, id,
			          r->text);
	}
	list_end(c, &j);
	if (c->json)
		json_end(c, &j);
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
