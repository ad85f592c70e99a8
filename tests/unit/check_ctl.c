/* SPDX-License-Identifier: ISC */
/* Unit tests: vdpd's control socket and vdpctl.
 *
 * The tables are built by hand (two ports, three VNIDs, three VSIs, a
 * static type) on a context made with the record backend, so nothing
 * touches the kernel.  Every command is rendered with ctl_exec() and
 * compared with its exact text; JSON answers are parsed by python3 (one
 * process for the whole run) and checked field by field, and their keys against the text headers.
 * The socket server is then driven through a real unix socket on a libev loop (stale sockets,
 * limits, timeouts), and vdpctl against it.
 *
 * CHECK_CTL_DUMP=1 prints every answer the fixture gives, for updating the
 * expectations after a deliberate change of format.
 */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <ev.h>
#include <vdp/format.h>

#include "ctl/ctl.h"
#include "ctl/ctl_show.h"
#include "log.h"
#include "core/vdpd.h"

#define NOW_NS (1000ull * 1000000000ull)
#define SEC    1000000000ull

#define UUID_A "00112233-4455-6677-8899-aabbccddee01"
#define MAC_B  "52:54:00:aa:bb:02"
#define IPV4_C "192.0.2.10"

static struct vdpd d;
static struct strbuf out = STRBUF_INIT;

/* What d.send was handed: the unsolicited De-Associates. */
static struct {
	unsigned n, port;
	uint8_t pdu[1500];
	size_t len;
} sent;

static void capture_send(void *arg, unsigned port, const uint8_t *pdu, size_t len)
{
	sent.n++;
	sent.port = port;
	sent.len = len < sizeof(sent.pdu) ? len : sizeof(sent.pdu);
	memcpy(sent.pdu, pdu, sent.len);
}

/* --- fixture --------------------------------------------------------- */

static void fixture_conf(struct conf *c)
{
	conf_defaults(c);
	snprintf(c->bridge, sizeof(c->bridge), "br0");
	c->nports = 2;
	snprintf(c->ports[0].name, IFNAMSIZ, "vethA");
	c->ports[0].bandwidth_kbps = 1000000;
	snprintf(c->ports[1].name, IFNAMSIZ, "vethB");
	c->nuplinks = 1;
	snprintf(c->uplinks[0], IFNAMSIZ, "bond0");
	c->nranges = 1;
	c->pool[0] = (struct conf_range){100, 199};
	c->nreserved = 1;
	c->reserved[0] = 150;
	c->ntypes = 1;
	c->types[0].vnid = 7000;
	c->types[0].vid = 120;
}

static struct vdp_policy_entry *entry(struct vnid *n, uint8_t type)
{
	struct vdp_policy_entry *e = &n->policy.entries[n->policy.nentries++];
	memset(e, 0, sizeof(*e));
	e->type = type;
	return e;
}

static void policy_5001(struct vnid *n)
{
	struct vdp_policy_entry *e = entry(n, VDP_POL_BANDWIDTH);
	e->u.bw = (struct vdp_pol_bandwidth){VDP_DIR_TO_VM, 10000, 0};
	e = entry(n, VDP_POL_ACL);
	e->u.acl.action = VDP_ACL_PERMIT;
	e->u.acl.dir = VDP_DIR_BOTH;
	e->u.acl.ethertype = 0x0800;
	e->u.acl.ip_proto = 6;
	e->u.acl.dst = (struct vdp_prefix){4, 8, {10}};
	e->u.acl.dport_lo = e->u.acl.dport_hi = 22;
	e = entry(n, VDP_POL_QOS);
	e->u.qos = (struct vdp_pol_qos){3, 10};
	e = entry(n, VDP_POL_VN);
	e->u.vn = (struct vdp_pol_vn){5001, 4, {239, 1, 1, 1}};
	e = entry(n, VDP_POL_DHCP_SNOOP);
	e->u.enable = true;
	e = entry(n, VDP_POL_IGMP_SNOOP);
	e->u.enable = false;
	e = entry(n, VDP_POL_VLAN);
	e->u.vid = 0;
}

static struct vnid *add_vnid(uint32_t id, bool synced, uint64_t ports, uint16_t vid,
                             enum vid_origin origin)
{
	struct vnid *n = calloc(1, sizeof(*n));
	ck_assert_ptr_nonnull(n);
	n->vnid = id;
	n->synced = synced;
	n->sync_ports = ports;
	n->policy.type = VDP_TLV_POLICY_SYNC;
	n->policy.vnid = id;
	n->vid = vid;
	n->vid_origin = origin;
	if (vid)
		vlan_pool_claim(&d.pool, vid, id);
	d.nvnids_synced += synced;
	TAILQ_INSERT_TAIL(&d.vnids, n, entry);
	ck_assert_int_eq(vnid_index_add(&d, n), 0);
	return n;
}

struct vsi_spec {
	uint8_t fmt;
	const char *id;
	unsigned port;
	uint32_t vnid;
	enum vsi_state state;
	uint8_t filter_fmt;
	const char *macs[3];
	uint16_t vid;
	int64_t expires_s; /* relative to NOW_NS; < 0: expired */
	bool migrated;
};

static struct vsi *add_vsi(const struct vsi_spec *s)
{
	struct vsi *v = calloc(1, sizeof(*v));
	struct vnid *n = vdpd_vnid_find(&d, s->vnid);
	ck_assert_ptr_nonnull(v);
	ck_assert_ptr_nonnull(n);
	v->vsiid_fmt = s->fmt;
	ck_assert_int_eq(vdp_vsiid_parse(s->fmt, s->id, v->vsiid), 0);
	v->port = s->port;
	v->vnid = v->type_id = s->vnid;
	v->state = s->state;
	v->req_type = s->state == VSI_ASSOC ? VDP_TLV_ASSOC : VDP_TLV_PREASSOC;
	v->filter_fmt = s->filter_fmt;
	for (unsigned i = 0; i < 3 && (s->macs[i] || i == 0); i++) {
		struct vdp_filter *f = &v->filters[v->nfilters++];
		f->vid = s->vid;
		if (s->macs[i])
			ck_assert_int_eq(sscanf(s->macs[i], "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx",
			                        &f->mac[0], &f->mac[1], &f->mac[2], &f->mac[3],
			                        &f->mac[4], &f->mac[5]),
			                 6);
	}
	/* Half a second over: the seconds shown are rounded down. */
	v->deadline_ns = (uint64_t)((int64_t)NOW_NS + s->expires_s * (int64_t)SEC) + SEC / 2;
	v->migrated = s->migrated;
	if (s->migrated) { /* from vethA, which has not released it yet */
		v->stale_ports = 1u << 0;
		v->stale_until_ns = NOW_NS + 10 * SEC;
	}
	n->nmembers++;
	n->nenabled += s->state == VSI_ASSOC;
	n->nenabled_on[s->port] += s->state == VSI_ASSOC;
	d.ports[s->port].nvsis++;
	TAILQ_INSERT_TAIL(&d.vsis, v, entry);
	ck_assert_int_eq(vsi_index_reserve(&d), 0);
	vsi_index_add(&d, v);
	vsi_deadline_set(&d, v, v->deadline_ns);
	vsi_mac_link(&d, v);
	return v;
}

static void fixture_counters(void)
{
	for (int i = 0; i < 5; i++)
		vdpd_count(&d, 0, REASON_OK);
	vdpd_count(&d, 1, REASON_OK);
	vdpd_count(&d, 1, REASON_VID_OWNED);
	vdpd_count(&d, 0, REASON_MALFORMED);
	vdpd_count(&d, 0, REASON_MALFORMED);
	d.ports[0].rx_err[-VDP_E_TLV_OVERRUN] = 2;
	vdpd_count(&d, 0, REASON_KEEPALIVE);
	d.ports[0].rx_pdus = 9;
	d.ports[0].tx_responses = 7;
	d.ports[0].tx_deassocs = 1;
	d.ports[0].rx_drops = 4;
	d.ports[0].rx_pauses = 1;
	d.ports[0].nvlans = 2; /* shown as they are, not recounted */
	d.ports[0].nvnids = 1;
	d.ports[1].nvlans = 1;
	d.ports[1].nvnids = 1;
	d.ports[1].rx_pdus = 2;
	d.ports[1].tx_responses = 2;
}

static void setup(void)
{
	struct conf c;
	char err[256];

	signal(SIGPIPE, SIG_IGN);
	log_open("check_ctl", true, LOG_ERR);
	fixture_conf(&c);
	ck_assert_msg(vdpd_init(&d, &c, &backend_record_ops, err, sizeof(err)) == 0, "%s", err);
	d.send = capture_send;
	memset(&sent, 0, sizeof(sent));
	d.ports[1].evb.rka = 22; /* as if negotiated up with the station */

	struct vnid *n = add_vnid(5001, true, 3, 100, VID_AUTO);
	policy_5001(n);
	add_vnid(5002, false, 0, 101, VID_REQUEST);
	n = add_vnid(5003, true, 2, 130, VID_POLICY);
	entry(n, VDP_POL_VLAN)->u.vid = 130;

	add_vsi(&(struct vsi_spec){VDP_VSIID_UUID,
	                           UUID_A,
	                           0,
	                           5001,
	                           VSI_ASSOC,
	                           VDP_FILTER_MAC_VID,
	                           {"02:00:00:00:00:01"},
	                           100,
	                           87,
	                           false});
	add_vsi(&(struct vsi_spec){VDP_VSIID_MAC,
	                           MAC_B,
	                           1,
	                           5001,
	                           VSI_PREASSOC,
	                           VDP_FILTER_MAC_VID,
	                           {"02:00:00:00:00:02", "02:00:00:00:00:03"},
	                           100,
	                           30,
	                           true});
	add_vsi(&(struct vsi_spec){
	    VDP_VSIID_IPV4, IPV4_C, 0, 5002, VSI_ASSOC, VDP_FILTER_VID, {NULL}, 101, -1, false});
	fixture_counters();
}

static void teardown(void)
{
	vdpd_fini(&d);
	sb_free(&out);
}

/* Runs a request; asserts its return code; the answer is in `out`. */
static const char *run_rc(const char *req, int rc)
{
	int got = ctl_exec(&d, req, NOW_NS, &out);
	if (getenv("CHECK_CTL_DUMP"))
		fprintf(stderr, "--- %s (%d)\n%s", req, got, sb_str(&out));
	ck_assert_msg(got == rc, "'%s' returned %d, expected %d:\n%s", req, got, rc, sb_str(&out));
	return sb_str(&out);
}

static const char *run(const char *req)
{
	return run_rc(req, 0);
}

#define assert_answer(req, expect) ck_assert_str_eq(run(req), expect)

/* How every JSON answer ends: the format version, last (vdpctl(8)). */
#define JSON_END ",\"format_version\":1}\n"

/* --- JSON through one python3 ---------------------------------------- */

/* JSON answers are checked by python's json module, strictly (a stray
 * comma, a bad escape or invalid UTF-8 fails; so do a duplicate key and
 * NaN or Infinity), and by a Python expression over the document `j`.
 * One python3 serves the whole run: main() starts it before the suite,
 * and each test (a fork of the runner) asks it over a SOCK_SEQPACKET
 * socket, one datagram per question and per answer, each tagged with the
 * asking process and a counter, so that a test never takes another's
 * answer (a test killed by its timeout leaves at most a stale answer,
 * which the next one skips).  A python3 per assertion cost a process
 * start each, which on a loaded machine alone outran Check's 4 s. */
static int py_fd = -1;
static pid_t py_pid = -1;
static unsigned py_seq;

/* python3 starting (interpreter and json module) on a machine whose CPUs
 * are all busy: the one wait main() does before the suite. */
#define PY_START_TIMEOUT_MS 60000
/* One answer: a few kilobytes parsed and one expression evaluated, so
 * only a hung or dead checker gets near this. */
#define PY_ANSWER_TIMEOUT_MS 30000
/* Largest question (the document and the expression): well under the
 * socket's send buffer, and far above any answer of the fixture. */
#define PY_MSG_MAX 65536

static const char py_prog[] =
    "import json, socket\n"
    "def pairs(kv):\n"
    "    d = {}\n"
    "    for k, v in kv:\n"
    "        if k in d:\n"
    "            raise ValueError('duplicate key %r' % k)\n"
    "        d[k] = v\n"
    "    return d\n"
    "def constant(name):\n"
    "    raise ValueError(name + ' is not JSON')\n"
    "s = socket.socket(fileno=3)\n"
    "while True:\n"
    "    msg = s.recv(1 << 20)\n"
    "    if not msg:\n"
    "        break\n"
    "    tag, expr, doc = msg.split(b'\\0', 2)\n"
    "    expr = expr.decode()\n"
    "    try:\n"
    "        j = json.loads(doc.decode('utf-8'), object_pairs_hook=pairs,\n"
    "                       parse_constant=constant)\n"
    "    except ValueError as e:\n"
    "        why = 'not JSON (%s):\\n%s' % (e, doc.decode('utf-8', 'replace'))\n"
    "    else:\n"
    "        try:\n"
    "            why = '' if eval(expr, {'j': j}) else 'false'\n"
    "        except Exception as e:\n"
    "            why = 'raised %r' % e\n"
    "        if why:\n"
    "            why += ': %s\\n%s' % (expr, json.dumps(j, indent=1))\n"
    "    s.send(tag + b'\\0' + why.encode()[:60000])\n";

static double mono(void);

/* Asks the checker; 1: the expression holds, 0: it does not or the
 * document is not JSON (why says which), -1: no answer (why says why). */
static int py_ask(const char *json, const char *expr, int timeout_ms, char *why, size_t cap)
{
	static char msg[PY_MSG_MAX], ans[PY_MSG_MAX];
	char tag[32];
	size_t tlen = (size_t)snprintf(tag, sizeof(tag), "%ld.%u", (long)getpid(), ++py_seq);
	size_t elen = strlen(expr), jlen = strlen(json);

	why[0] = '\0';
	if (py_fd < 0) {
		snprintf(why, cap, "the python3 checker is not running");
		return -1;
	}
	if (tlen + elen + jlen + 2 > sizeof(msg)) {
		snprintf(why, cap, "document of %zu octets too large for the checker", jlen);
		return -1;
	}
	memcpy(msg, tag, tlen + 1);
	memcpy(msg + tlen + 1, expr, elen + 1);
	memcpy(msg + tlen + elen + 2, json, jlen);
	if (send(py_fd, msg, tlen + elen + 2 + jlen, MSG_NOSIGNAL) < 0) {
		snprintf(why, cap, "cannot ask the python3 checker: %s", strerror(errno));
		return -1;
	}
	double end = mono() + timeout_ms / 1000.0;
	for (;;) {
		double left = end - mono();
		struct pollfd p = {.fd = py_fd, .events = POLLIN};
		if (left <= 0) {
			snprintf(why, cap, "no answer from the python3 checker within %d ms",
			         timeout_ms);
			return -1;
		}
		int r = poll(&p, 1, (int)(left * 1000) + 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			continue;
		ssize_t n = recv(py_fd, ans, sizeof(ans) - 1, 0);
		if (n <= 0) {
			snprintf(why, cap, "the python3 checker exited");
			return -1;
		}
		ans[n] = '\0';
		size_t alen = strnlen(ans, (size_t)n);
		if (alen != tlen || memcmp(ans, tag, tlen) != 0 || alen == (size_t)n)
			continue; /* another question's (stale) answer */
		snprintf(why, cap, "%s", ans + alen + 1);
		return why[0] == '\0';
	}
}

/* true when json parses and expr holds over it; else says why on stderr. */
static bool py_json(const char *json, const char *expr)
{
	static char why[PY_MSG_MAX];
	int r = py_ask(json, expr, PY_ANSWER_TIMEOUT_MS, why, sizeof(why));
	ck_assert_msg(r >= 0, "%s", why);
	if (!r)
		fprintf(stderr, "%s\n", why);
	return r == 1;
}

/* Starts the checker and waits for its first answer; false if it cannot. */
static bool py_start(void)
{
	int sv[2];
	char why[256];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0) {
		perror("check_ctl: socketpair");
		return false;
	}
	py_pid = fork();
	if (py_pid < 0) {
		perror("check_ctl: fork");
		return false;
	}
	if (py_pid == 0) {
		if (sv[1] == 3)
			fcntl(3, F_SETFD, 0);
		else if (dup2(sv[1], 3) < 0)
			_exit(127);
		execlp("python3", "python3", "-c", py_prog, (char *)NULL);
		fprintf(stderr, "check_ctl: python3 is needed: %s\n", strerror(errno));
		_exit(127);
	}
	close(sv[1]);
	py_fd = sv[0];
	if (py_ask("null", "j is None", PY_START_TIMEOUT_MS, why, sizeof(why)) != 1) {
		fprintf(stderr, "check_ctl: the python3 JSON checker did not start: %s\n", why);
		return false;
	}
	return true;
}

/* Closing our end is the checker's EOF. */
static void py_stop(void)
{
	if (py_fd >= 0)
		close(py_fd);
	py_fd = -1;
	if (py_pid > 0)
		waitpid(py_pid, NULL, 0);
	py_pid = -1;
}

#define assert_json(req, expr) ck_assert_msg(py_json(run(req), expr), "%s: %s", req, expr)

/* The JSON keys of the first row of `key` must be the text headers of
 * the same command, in order: the mirror rule of ctl_out.h. */
static void assert_mirror(const char *cmd, const char *key)
{
	char text_req[64], json_req[64], expr[1024];
	size_t off;

	snprintf(text_req, sizeof(text_req), "%s", cmd);
	snprintf(json_req, sizeof(json_req), "%s json", cmd);
	const char *text = run(text_req);
	off = (size_t)snprintf(expr, sizeof(expr), "list(j['%s'][0].keys()) == [", key);
	for (const char *p = text; *p && *p != '\n';) {
		size_t n = strcspn(p, " \n");
		off += (size_t)snprintf(expr + off, sizeof(expr) - off, "'");
		for (size_t i = 0; i < n; i++)
			expr[off++] = p[i] == '-' ? '_' : (char)(p[i] - 'A' + 'a');
		off += (size_t)snprintf(expr + off, sizeof(expr) - off, "',");
		p += n;
		p += strspn(p, " ");
	}
	snprintf(expr + off, sizeof(expr) - off, "]");
	char *json = strdup(run(json_req));
	ck_assert_msg(py_json(json, expr), "%s: %s", cmd, expr);
	free(json);
}

/* --- show ------------------------------------------------------------ */

START_TEST(show_ports_text)
{
	assert_answer("show ports", "PORT   VSIS  ACCEPTED  REFUSED  RX-ERRORS  R  RTE  RWD  RKA  "
	                            "RX-PDUS  TX-RESPONSES  TX-DEASSOCS  VLANS  MAX-VLANS  "
	                            "VNIDS  MAX-VNIDS  NEW-VSI-RATE  RX-DROPS  RX-PAUSES\n"
	                            "vethA  2     5         2        2          3  8    20   20   "
	                            "9        7             1            2      24         "
	                            "1      1023       100           4         1\n"
	                            "vethB  1     1         1        0          3  8    20   22   "
	                            "2        2             0            1      24         "
	                            "1      1023       100           0         0\n");
}
END_TEST

START_TEST(show_ports_json)
{
	assert_json(
	    "show ports json",
	    "j['ports'][0] == {'port': 'vethA', 'vsis': 2, 'accepted': 5, 'refused': 2, "
	    "'rx_errors': 2, 'r': 3, 'rte': 8, 'rwd': 20, 'rka': 20, 'rx_pdus': 9, "
	    "'tx_responses': 7, 'tx_deassocs': 1, 'vlans': 2, 'max_vlans': 24, "
	    "'vnids': 1, 'max_vnids': 1023, 'new_vsi_rate': 100, 'rx_drops': 4, 'rx_pauses': 1} "
	    "and j['ports'][1]['rka'] == 22 "
	    "and len(j['ports']) == 2");
	assert_mirror("show ports", "ports");
}
END_TEST

static const char vsis_text[] =
    "VSIID                                 FORMAT  PORT   VNID  STATE     VLAN  MACS               "
    "                  MIGRATED  EXPIRES  STALE  RESERVED\n"
    "00112233-4455-6677-8899-aabbccddee01  uuid    vethA  5001  assoc     100   02:00:00:00:00:01  "
    "                  no        87s      -      -\n"
    "52:54:00:aa:bb:02                     mac     vethB  5001  preassoc  100   "
    "02:00:00:00:00:02,02:00:00:00:00:03  yes       30s      vethA  -\n"
    "192.0.2.10                            ipv4    vethA  5002  assoc     101   -                  "
    "                  no        0s       -      -\n";

START_TEST(show_vsis_text)
{
	assert_answer("show vsis", vsis_text);
}
END_TEST

START_TEST(show_vsis_json)
{
	assert_json("show vsis json",
	            "j['vsis'][0] == {'vsiid': '" UUID_A "', 'format': 'uuid', 'port': 'vethA', "
	            "'vnid': 5001, 'state': 'assoc', 'vlan': 100, 'macs': ['02:00:00:00:00:01'], "
	            "'migrated': False, 'expires': 87, 'stale': [], 'reserved': None}");
	assert_json("show vsis json",
	            "j['vsis'][1]['macs'] == ['02:00:00:00:00:02', '02:00:00:00:00:03'] and "
	            "j['vsis'][1]['migrated'] is True and j['vsis'][1]['state'] == 'preassoc' and "
	            "j['vsis'][1]['stale'] == ['vethA']");
	assert_json("show vsis json",
	            "j['vsis'][2]['macs'] == [] and j['vsis'][2]['expires'] == 0");
	assert_mirror("show vsis", "vsis");
}
END_TEST

static const char vnids_text[] =
    "VNID  SYNCED  PORTS        VLAN  ORIGIN   MEMBERS  ENABLED  POLICY\n"
    "5001  yes     vethA,vethB  100   auto     2        1        bandwidth 10000kbit to-vm\n"
    "                                                            acl permit tcp dst 10.0.0.0/8 "
    "dport 22\n"
    "                                                            qos pcp 3 dscp 10\n"
    "                                                            vn vnid 5001 mcast 239.1.1.1\n"
    "                                                            dhcp-snooping on\n"
    "                                                            igmp-snooping off\n"
    "                                                            vlan auto\n"
    "5002  no      -            101   request  1        1        -\n"
    "5003  yes     vethB        130   policy   0        0        vlan 130\n";

START_TEST(show_vnids_text)
{
	assert_answer("show vnids", vnids_text);
}
END_TEST

START_TEST(show_vnids_json)
{
	assert_json("show vnids json",
	            "[n['vnid'] for n in j['vnids']] == [5001, 5002, 5003] and "
	            "j['vnids'][0]['ports'] == ['vethA', 'vethB'] and "
	            "j['vnids'][0]['synced'] is True "
	            "and j['vnids'][0]['origin'] == 'auto' and j['vnids'][1]['ports'] == [] and "
	            "j['vnids'][1]['policy'] == [] and j['vnids'][0]['members'] == 2 and "
	            "j['vnids'][0]['enabled'] == 1");
	assert_json("show vnids json",
	            "[p['text'] for p in j['vnids'][0]['policy']] == ['bandwidth 10000kbit to-vm', "
	            "'acl permit tcp dst 10.0.0.0/8 dport 22', 'qos pcp 3 dscp 10', "
	            "'vn vnid 5001 mcast 239.1.1.1', 'dhcp-snooping on', 'igmp-snooping off', "
	            "'vlan auto']");
	assert_json("show vnids json",
	            "j['vnids'][0]['policy'][1] == {'type': 'acl', 'text': "
	            "'acl permit tcp dst 10.0.0.0/8 dport 22', 'action': 'permit', 'dir': 'both', "
	            "'ethertype': 2048, 'ip_proto': 6, 'src': None, 'dst': '10.0.0.0/8', "
	            "'sport_lo': 0, 'sport_hi': 0, 'dport_lo': 22, 'dport_hi': 22}");
	assert_json("show vnids json",
	            "j['vnids'][0]['policy'][0]['rate_kbps'] == 10000 and "
	            "j['vnids'][0]['policy'][0]['dir'] == 'to-vm' and "
	            "j['vnids'][0]['policy'][2] == {'type': 'qos', 'text': 'qos pcp 3 dscp 10', "
	            "'pcp': 3, 'dscp': 10} and j['vnids'][0]['policy'][3]['mcast'] == '239.1.1.1' "
	            "and j['vnids'][0]['policy'][4]['enable'] is True and "
	            "j['vnids'][2]['policy'] == "
	            "[{'type': 'vlan', 'text': 'vlan 130', 'vlan': 130}]");
	assert_mirror("show vnids", "vnids");
}
END_TEST

START_TEST(show_vlans_text)
{
	/* 5001 has an associated VSI on vethA only (vethB's is pre-associated);
	 * 7000's static VLAN is set aside although no VSI uses it. */
	assert_answer("show vlans", "VLAN  VNID  ORIGIN   PORTS\n"
	                            "100   5001  auto     vethA,bond0\n"
	                            "101   5002  request  vethA,bond0\n"
	                            "120   7000  static   -\n"
	                            "130   5003  policy   -\n"
	                            "\n"
	                            "pool-free: 95\n");
}
END_TEST

START_TEST(show_vlans_json)
{
	assert_json("show vlans json",
	            "j['vlans'][0] == {'vlan': 100, 'vnid': 5001, 'origin': 'auto', "
	            "'ports': ['vethA', 'bond0']} and j['vlans'][2]['origin'] == 'static' and "
	            "j['vlans'][2]['ports'] == [] and j['pool_free'] == 95 and "
	            "len(j['vlans']) == 4");
	assert_mirror("show vlans", "vlans");
}
END_TEST

START_TEST(show_counters_text)
{
	assert_answer("show counters", "PORT   KIND      NAME               COUNT\n"
	                               "vethA  reason    ok                 5\n"
	                               "vethA  reason    malformed          2\n"
	                               "vethA  reason    keepalive-expired  1\n"
	                               "vethA  rx-error  tlv-overrun        2\n"
	                               "vethA  rx        kernel-drops       4\n"
	                               "vethB  reason    ok                 1\n"
	                               "vethB  reason    vid-owned          1\n"
	                               "total  reason    ok                 6\n"
	                               "total  reason    malformed          2\n"
	                               "total  reason    vid-owned          1\n"
	                               "total  reason    keepalive-expired  1\n"
	                               "total  rx-error  tlv-overrun        2\n"
	                               "total  rx        kernel-drops       4\n");
}
END_TEST

START_TEST(show_counters_json)
{
	char expr[256];
	/* Every reason and every decode error is there, zeros included. */
	snprintf(expr, sizeof(expr),
	         "all(len(s['reasons']) == %d and len(s['rx_errors']) == %d "
	         "for s in j['ports'] + [j['total']])",
	         REASON_COUNT, VDP_E_COUNT_ALL - 1);
	assert_json("show counters json", expr);
	assert_json("show counters json",
	            "j['ports'][0]['port'] == 'vethA' and j['ports'][0]['reasons']['ok'] == 5 and "
	            "j['ports'][0]['reasons']['admin'] == 0 and "
	            "j['ports'][0]['rx_errors']['tlv-overrun'] == 2 and "
	            "j['ports'][1]['reasons']['vid-owned'] == 1 and "
	            "j['total']['reasons']['ok'] == 6 "
	            "and j['total']['rx_errors']['tlv-overrun'] == 2 "
	            "and j['ports'][0]['rx_drops'] == 4 and j['total']['rx_drops'] == 4");
}
END_TEST

START_TEST(show_empty_tables)
{
	struct vsi *v;
	while ((v = TAILQ_FIRST(&d.vsis)))
		vsi_remove(&d, v, false, "test");
	assert_answer(
	    "show vsis",
	    "VSIID  FORMAT  PORT  VNID  STATE  VLAN  MACS  MIGRATED  EXPIRES  STALE  RESERVED\n");
	assert_answer("show vsis json", "{\"vsis\":[]" JSON_END);
}
END_TEST

/* --- policy entries as text ------------------------------------------ */

static const char *policy_text(const struct vdp_policy_entry *e)
{
	static char buf[256];
	vdp_policy_entry_text(e, buf, sizeof(buf));
	return buf;
}

START_TEST(policy_entry_text)
{
	struct vdp_policy_entry e = {.type = VDP_POL_ACL};
	e.u.acl = (struct vdp_pol_acl){.action = VDP_ACL_DENY,
	                               .dir = VDP_DIR_FROM_VM,
	                               .ethertype = 0x86dd,
	                               .ip_proto = 17,
	                               .sport_lo = 1000,
	                               .sport_hi = 2000};
	ck_assert_str_eq(policy_text(&e), "acl deny from-vm ip6 udp sport 1000-2000");
	e.u.acl = (struct vdp_pol_acl){
	    .action = VDP_ACL_PERMIT, .dir = VDP_DIR_BOTH, .ethertype = 0x0806};
	ck_assert_str_eq(policy_text(&e), "acl permit arp");
	e.u.acl = (struct vdp_pol_acl){
	    .action = VDP_ACL_PERMIT, .dir = VDP_DIR_TO_VM, .ethertype = 0x88cc, .ip_proto = 0};
	ck_assert_str_eq(policy_text(&e), "acl permit to-vm ethertype 0x88cc");
	e.u.acl = (struct vdp_pol_acl){.action = VDP_ACL_PERMIT,
	                               .dir = VDP_DIR_BOTH,
	                               .ethertype = 0x86dd,
	                               .ip_proto = 47,
	                               .src = {6, 32, {0x20, 0x01, 0x0d, 0xb8}}};
	ck_assert_str_eq(policy_text(&e), "acl permit proto 47 src 2001:db8::/32");

	e = (struct vdp_policy_entry){.type = VDP_POL_BANDWIDTH,
	                              .u.bw = {VDP_DIR_FROM_VM, 5000, 15000}};
	ck_assert_str_eq(policy_text(&e), "bandwidth 5000kbit from-vm burst 15000");
	e = (struct vdp_policy_entry){.type = VDP_POL_QOS, .u.qos = {VDP_QOS_UNSET, 46}};
	ck_assert_str_eq(policy_text(&e), "qos dscp 46");
	e = (struct vdp_policy_entry){.type = VDP_POL_VN, .u.vn = {7, 6, {0xff, 0x0e, [15] = 1}}};
	ck_assert_str_eq(policy_text(&e), "vn vnid 7 mcast ff0e::1");
	e = (struct vdp_policy_entry){.type = VDP_POL_VLAN, .u.vid = 4094};
	ck_assert_str_eq(policy_text(&e), "vlan 4094");
}
END_TEST

/* --- JSON ------------------------------------------------------------ */

/* The writer itself and its string rule are tested in check_common.c. */

/* A port name with quotes, backslashes and a non-UTF-8 octet must still
 * give a document python can read, with the name intact where it can be
 * (vdpd.conf refuses such a name, but the writer does not rely on it); as
 * the argument of impact, the name is refused, escaped in the error. */
START_TEST(json_odd_port_name)
{
	snprintf(d.ports[0].name, IFNAMSIZ, "a\"b\\c\xff");
	assert_json("show ports json", "j['ports'][0]['port'] == 'a\"b\\\\c\\ufffd'");
	ck_assert_str_eq(run_rc("impact port a\"b\\c\xff", -1),
	                 "error: PORT \"a\\\"b\\\\c\\xff\" is not a valid interface name: it "
	                 "holds '\"', which nftables text cannot carry back\n");
	snprintf(d.ports[0].name, IFNAMSIZ, "q'x{;}#$");
	assert_json("impact port q'x{;}#$ json", "j['port'] == \"q'x{;}#$\"");
}
END_TEST

/* A member of control.group reads; only root or vdpd's user changes
 * state, and the refusal says so and is counted. */
START_TEST(reader_role)
{
	struct ctl_counters before = ctl_counters;
	unsigned nvsis = d.ports[0].nvsis;
	ck_assert_int_eq(ctl_exec_as(&d, "show vsis", NOW_NS, &out, CTL_ROLE_READ), 0);
	ck_assert_int_eq(ctl_exec_as(&d, "impact port vethA", NOW_NS, &out, CTL_ROLE_READ), 0);
	ck_assert_int_eq(ctl_exec_as(&d, "version", NOW_NS, &out, CTL_ROLE_READ), 0);
	ck_assert_int_eq(ctl_exec_as(&d, "deassoc " UUID_A, NOW_NS, &out, CTL_ROLE_READ), -1);
	ck_assert_str_eq(sb_str(&out),
	                 "error: permission denied: 'deassoc' changes state, which only root or "
	                 "vdpd's own user may do; control.group may run show, impact, help and "
	                 "version\n");
	ck_assert_uint_eq(ctl_counters.refused_command, before.refused_command + 1);
	ck_assert_uint_eq(d.ports[0].nvsis, nvsis); /* nothing de-associated */
	ck_assert_uint_eq(d.counters[REASON_ADMIN], 0);
	/* The counter is shown, in text and JSON. */
	run("show counters");
	ck_assert_ptr_nonnull(strstr(sb_str(&out), "refused-command"));
	assert_json("show counters json", "j['control']['refused-command'] >= 1 and "
	                                  "set(j['control']) == {'idle-dropped', 'slow-dropped', "
	                                  "'refused-full', 'refused-peer', 'refused-command'}");
	/* An unknown command is still "unknown", not "denied". */
	ck_assert_int_eq(ctl_exec_as(&d, "frobnicate", NOW_NS, &out, CTL_ROLE_READ), -1);
	ck_assert_ptr_nonnull(strstr(sb_str(&out), "unknown command"));
}
END_TEST

/* --- request parser and errors --------------------------------------- */

#define HINT                                                                                       \
	"try: show ports|vsis|vnids|vlans|counters|bindings, deassoc VSIID, impact port PORT, "    \
	"help, version"

START_TEST(unknown_commands)
{
	ck_assert_str_eq(run_rc("frobnicate", -1),
	                 "error: unknown command 'frobnicate'; " HINT "\n");
	ck_assert_str_eq(run_rc("show", -1), "error: unknown command 'show'; " HINT "\n");
	ck_assert_str_eq(run_rc("show  bogus", -1),
	                 "error: unknown command 'show bogus'; " HINT "\n");
	ck_assert_str_eq(run_rc("show vsis extra", -1),
	                 "error: unknown command 'show vsis extra'; " HINT "\n");
	ck_assert_str_eq(run_rc("SHOW VSIS", -1), "error: unknown command 'SHOW VSIS'; " HINT "\n");
	ck_assert_str_eq(run_rc("", -1), "error: empty request; " HINT "\n");
	ck_assert_str_eq(run_rc(" \t ", -1), "error: empty request; " HINT "\n");
	ck_assert_str_eq(run_rc("frob json", -1),
	                 "{\"error\":\"unknown command 'frob'; " HINT "\"" JSON_END);
	ck_assert_str_eq(run_rc("json", -1), "{\"error\":\"empty request; " HINT "\"" JSON_END);
	ck_assert_str_eq(run_rc("a b c d e f g h i", -1),
	                 "error: too many words in the request; " HINT "\n");
	ck_assert(py_json(run_rc("show \"quoted\\ json", -1),
	                  "j == {'error': \"unknown command 'show \\\"quoted\\\\'; " HINT "\", "
	                  "'format_version': 1}"));
}
END_TEST

START_TEST(blanks_and_tabs)
{
	ck_assert_str_eq(run("\t show   vsis \t"), vsis_text);
	ck_assert_str_eq(run("show vsis\tjson"), run("show vsis json"));
}
END_TEST

START_TEST(overlong_and_control)
{
	char line[CTL_REQ_MAX + 2];

	/* Exactly CTL_REQ_MAX octets is a request; one more is not. */
	memset(line, ' ', sizeof(line));
	memcpy(line, "show vsis", 9);
	line[CTL_REQ_MAX] = '\0';
	ck_assert_str_eq(run(line), vsis_text);
	line[CTL_REQ_MAX] = 'x';
	line[CTL_REQ_MAX + 1] = '\0';
	ck_assert_str_eq(run_rc(line, -1), "error: request longer than 1024 octets\n");
	memcpy(line + CTL_REQ_MAX + 1 - 5, " json", 5);
	ck_assert_str_eq(run_rc(line, -1),
	                 "{\"error\":\"request longer than 1024 octets\"" JSON_END);

	ck_assert_str_eq(run_rc("show\x1b[2Jvsis", -1),
	                 "error: request contains control characters\n");
	ck_assert_str_eq(run_rc("show vsis\x7f", -1),
	                 "error: request contains control characters\n");
}
END_TEST

START_TEST(answer_ceiling)
{
	out.max = 64; /* far less than the VSI table */
	ck_assert_str_eq(run_rc("show vsis", -1),
	                 "error: answer larger than 64 octets or out of memory\n");
	ck_assert_str_eq(run_rc("show vsis json", -1),
	                 "{\"error\":\"answer larger than 64 octets or out of memory\"" JSON_END);
	out.max = 0;
	ck_assert_str_eq(run("show vsis"), vsis_text);
}
END_TEST

/* --- deassoc --------------------------------------------------------- */

/* The VDPDU handed to d.send: the VSI Manager ID, then a De-Associate. */
static void assert_sent_deassoc(unsigned port, uint8_t fmt, const char *id)
{
	struct vdp_mgrid m;
	static struct vdp_vsi v;
	uint8_t want[VDP_VSIID_LEN];

	ck_assert_uint_eq(sent.n, 1);
	ck_assert_uint_eq(sent.port, port);
	int a = vdp_mgrid_decode(sent.pdu, sent.len, &m);
	ck_assert_int_gt(a, 0);
	ck_assert_int_gt(vdp_vsi_decode(sent.pdu + a, sent.len - (size_t)a, &v), 0);
	ck_assert_uint_eq(v.type, VDP_TLV_DEASSOC);
	ck_assert_uint_eq(v.vsiid_fmt, fmt);
	vdp_vsiid_parse(fmt, id, want);
	ck_assert_mem_eq(v.vsiid, want, VDP_VSIID_LEN);
}

START_TEST(deassoc_uuid)
{
	size_t nops;
	ck_assert_str_eq(run("deassoc " UUID_A),
	                 "VSI " UUID_A " (uuid) on port vethA, VNID 5001: de-associated\n");
	assert_sent_deassoc(0, VDP_VSIID_UUID, UUID_A);
	ck_assert_uint_eq(d.ports[0].counters[REASON_ADMIN], 1);
	ck_assert_uint_eq(d.counters[REASON_ADMIN], 1);
	ck_assert_uint_eq(d.ports[0].nvsis, 1);
	ck_assert_uint_eq(d.ports[0].tx_deassocs, 2);
	struct vnid *n = vdpd_vnid_find(&d, 5001);
	ck_assert_uint_eq(n->nmembers, 1);
	ck_assert_uint_eq(n->nenabled, 0);
	/* It was the VNID's only associated VSI: its VLAN leaves the port
	 * and the uplink (the record backend saw the batch). */
	const struct kop *ops = backend_record_ops_log(&d.be, &nops);
	bool port_del = false, uplink_del = false;
	for (size_t i = 0; i < nops; i++) {
		if (ops[i].kind != KOP_VLAN_DEL || ops[i].vid != 100)
			continue;
		port_del |= strcmp(ops[i].port, "vethA") == 0;
		uplink_del |= strcmp(ops[i].port, "bond0") == 0;
	}
	ck_assert(port_del && uplink_del);
	ck_assert_str_eq(run_rc("deassoc " UUID_A, -1), "error: no VSI with VSIID '" UUID_A "'\n");
}
END_TEST

START_TEST(deassoc_other_formats)
{
	ck_assert_str_eq(run("deassoc 52-54-00-AA-BB-02 json"),
	                 "{\"vsiid\":\"52:54:00:aa:bb:02\",\"format\":\"mac\",\"port\":\"vethB\","
	                 "\"vnid\":5001,\"kernel_ok\":true" JSON_END);
	assert_sent_deassoc(1, VDP_VSIID_MAC, MAC_B);
	sent.n = 0;
	ck_assert_str_eq(run("deassoc ipv4:" IPV4_C),
	                 "VSI 192.0.2.10 (ipv4) on port vethA, VNID 5002: de-associated\n");
	assert_sent_deassoc(0, VDP_VSIID_IPV4, IPV4_C);
	/* 5002 was implicit: its last VSI took it and its VLAN away. */
	ck_assert_ptr_null(vdpd_vnid_find(&d, 5002));
	ck_assert_uint_eq(d.counters[REASON_ADMIN], 2);
}
END_TEST

START_TEST(deassoc_errors)
{
	ck_assert_str_eq(run_rc("deassoc", -1), "error: usage: deassoc VSIID\n");
	ck_assert_str_eq(run_rc("deassoc a b", -1), "error: usage: deassoc VSIID\n");
	ck_assert_str_eq(run_rc("deassoc nonsense", -1),
	                 "error: 'nonsense' is not a VSIID (a UUID, MAC, IPv4 or IPv6 address, or "
	                 "32 hex digits)\n");
	ck_assert_str_eq(run_rc("deassoc 2001:db8::1 json", -1),
	                 "{\"error\":\"no VSI with VSIID '2001:db8::1'\"" JSON_END);
	ck_assert_str_eq(run_rc("deassoc mac:" IPV4_C, -1),
	                 "error: 'mac:192.0.2.10' is not a VSIID (a UUID, MAC, IPv4 or IPv6 "
	                 "address, or 32 hex digits)\n");
	ck_assert_uint_eq(sent.n, 0);
	ck_assert_uint_eq(d.counters[REASON_ADMIN], 0);
}
END_TEST

/* 32 hex digits are both a UUID and a local VSIID: with one VSI of each
 * the command asks for the format instead of guessing. */
START_TEST(deassoc_ambiguous)
{
	add_vsi(&(struct vsi_spec){VDP_VSIID_LOCAL,
	                           "00112233445566778899aabbccddee01",
	                           1,
	                           5002,
	                           VSI_PREASSOC,
	                           VDP_FILTER_VID,
	                           {NULL},
	                           101,
	                           10,
	                           false});
	ck_assert_str_eq(run_rc("deassoc 00112233445566778899aabbccddee01", -1),
	                 "error: VSIID '00112233445566778899aabbccddee01' names VSIs of several "
	                 "formats; prefix it with one: uuid:00112233445566778899aabbccddee01 or "
	                 "local:00112233445566778899aabbccddee01\n");
	ck_assert_str_eq(run("deassoc local:00112233445566778899aabbccddee01"),
	                 "VSI 00112233445566778899aabbccddee01 (local) on port vethB, VNID 5002: "
	                 "de-associated\n");
	/* Now only the UUID one is left, so the bare digits find it. */
	ck_assert_str_eq(run("deassoc 00112233445566778899AABBCCDDEE01"),
	                 "VSI " UUID_A " (uuid) on port vethA, VNID 5001: de-associated\n");
}
END_TEST

START_TEST(deassoc_kernel_failure)
{
	backend_record_fail_at(&d.be, 0, -EPERM);
	ck_assert_str_eq(run("deassoc " UUID_A),
	                 "VSI " UUID_A " (uuid) on port vethA, VNID 5001: de-associated; removing "
	                 "its kernel state failed (see the log)\n");
	ck_assert_int_eq(ctl_exec(&d, "show vsis json", NOW_NS, &out), 0);
	ck_assert(py_json(sb_str(&out), "len(j['vsis']) == 2"));
}
END_TEST

/* --- impact ---------------------------------------------------------- */

START_TEST(impact_port_text)
{
	assert_answer("impact port vethA",
	              "port: vethA\n"
	              "affected-vsis: 2\n"
	              "affected-vnids: 2\n"
	              "vnids-losing-last-vsi: 1\n"
	              "\n"
	              "VSIID                                 FORMAT  PORT   VNID  STATE  VLAN  "
	              "MACS               MIGRATED  EXPIRES  STALE  RESERVED\n"
	              "00112233-4455-6677-8899-aabbccddee01  uuid    vethA  5001  assoc  100   "
	              "02:00:00:00:00:01  no        87s      -      -\n"
	              "192.0.2.10                            ipv4    vethA  5002  assoc  101   -   "
	              "               no        0s       -      -\n"
	              "\n"
	              "VNID  VLAN  ON-PORT  ELSEWHERE  LAST\n"
	              "5001  100   1        1          no\n"
	              "5002  101   1        0          yes\n");
	assert_answer("impact port vethB",
	              "port: vethB\n"
	              "affected-vsis: 1\n"
	              "affected-vnids: 1\n"
	              "vnids-losing-last-vsi: 0\n"
	              "\n"
	              "VSIID              FORMAT  PORT   VNID  STATE     VLAN  MACS                "
	              "                 MIGRATED  EXPIRES  STALE  RESERVED\n"
	              "52:54:00:aa:bb:02  mac     vethB  5001  preassoc  100   "
	              "02:00:00:00:00:02,02:00:00:00:00:03  yes       30s      vethA  -\n"
	              "\n"
	              "VNID  VLAN  ON-PORT  ELSEWHERE  LAST\n"
	              "5001  100   1        1          no\n");
}
END_TEST

START_TEST(impact_port_json)
{
	assert_json("impact port vethA json",
	            "j['port'] == 'vethA' and j['affected_vsis'] == 2 and j['affected_vnids'] == 2 "
	            "and j['vnids_losing_last_vsi'] == 1 and "
	            "[v['vsiid'] for v in j['vsis']] == ['" UUID_A "', '" IPV4_C "'] and "
	            "j['vnids'][1] == {'vnid': 5002, 'vlan': 101, 'on_port': 1, 'elsewhere': 0, "
	            "'last': True}");
}
END_TEST

START_TEST(impact_errors)
{
	ck_assert_str_eq(run_rc("impact port nope", -1), "error: unknown port 'nope'\n");
	ck_assert_str_eq(run_rc("impact port nope json", -1),
	                 "{\"error\":\"unknown port 'nope'\"" JSON_END);
	ck_assert_str_eq(run_rc("impact vethA", -1), "error: usage: impact port PORT\n");
	ck_assert_str_eq(run_rc("impact port", -1), "error: usage: impact port PORT\n");
}
END_TEST

/* --- the socket server ----------------------------------------------- */

static struct ev_loop *loop;
static char dir[64], sock_path[108];

static uint64_t fixed_now(void)
{
	return NOW_NS;
}

static void sock_setup(void)
{
	setup();
	snprintf(dir, sizeof(dir), "/tmp/check_ctl.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(sock_path, sizeof(sock_path), "%s/vdpd.sock", dir);
	loop = ev_loop_new(EVFLAG_AUTO);
	ctl_set_timeouts(0, 0);
	ctl_set_clock(fixed_now);
}

static void sock_teardown(void)
{
	ctl_close();
	ctl_set_clock(NULL);
	ev_loop_destroy(loop);
	unlink(sock_path);
	rmdir(dir);
	teardown();
}

static void open_ctl(void)
{
	char err[256] = "";
	ck_assert_msg(ctl_open(&d, loop, sock_path, 0660, err, sizeof(err)) == 0, "%s", err);
}

static int client(void)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ck_assert_int_ge(fd, 0);
	memcpy(sa.sun_path, sock_path, strlen(sock_path) + 1);
	ck_assert_int_eq(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	return fd;
}

static double mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Turns the loop until the server closes fd (or max_s passes); returns
 * everything read, NULL on timeout. */
static char *collect(int fd, double max_s)
{
	static char buf[1 << 16];
	size_t len = 0;
	double end = mono() + max_s;

	while (mono() < end) {
		ev_run(loop, EVRUN_NOWAIT);
		ssize_t n = recv(fd, buf + len, sizeof(buf) - 1 - len, 0);
		if (n == 0 || (n < 0 && errno == ECONNRESET)) {
			buf[len] = '\0';
			return buf;
		}
		if (n > 0)
			len += (size_t)n;
		else
			usleep(1000);
	}
	return NULL;
}

static char *exchange(const char *req)
{
	int fd = client();
	ck_assert_int_eq(send(fd, req, strlen(req), 0), (ssize_t)strlen(req));
	char *ans = collect(fd, 5.0);
	close(fd);
	ck_assert_msg(ans != NULL, "no answer to %s", req);
	return ans;
}

START_TEST(socket_answers)
{
	struct stat st;
	open_ctl();
	ck_assert_int_eq(stat(sock_path, &st), 0);
	ck_assert(S_ISSOCK(st.st_mode));
	ck_assert_uint_eq(st.st_mode & 07777, 0660);
	ck_assert_str_eq(exchange("show vsis\n"), vsis_text);
	ck_assert_str_eq(exchange("show vnids\r\n"), vnids_text);
	/* No newline: the client's EOF ends the request. */
	int fd = client();
	ck_assert_int_eq(send(fd, "show vsis", 9, 0), 9);
	shutdown(fd, SHUT_WR);
	ck_assert_str_eq(collect(fd, 5.0), vsis_text);
	close(fd);
	/* A request split over several writes. */
	fd = client();
	ck_assert_int_eq(send(fd, "show ", 5, 0), 5);
	ev_run(loop, EVRUN_NOWAIT);
	ck_assert_int_eq(send(fd, "vnids\n", 6, 0), 6);
	ck_assert_str_eq(collect(fd, 5.0), vnids_text);
	close(fd);
	ck_assert_str_eq(exchange("bogus\n"), "error: unknown command 'bogus'; " HINT "\n");
}
END_TEST

START_TEST(socket_nul_and_overlong)
{
	char big[2000];
	open_ctl();
	int fd = client();
	ck_assert_int_eq(send(fd, "show\0 vsis\n", 11, 0), 11);
	ck_assert_str_eq(collect(fd, 5.0), "error: request contains control characters\n");
	close(fd);
	memset(big, 'a', sizeof(big));
	fd = client();
	ck_assert_int_eq(send(fd, big, sizeof(big), 0), (ssize_t)sizeof(big));
	ck_assert_str_eq(collect(fd, 5.0), "error: request longer than 1024 octets\n");
	close(fd);
}
END_TEST

/* A big answer to a client that does not read: the daemon keeps serving
 * others, and drops the sluggard at the write deadline. */
START_TEST(socket_slow_reader)
{
	ctl_set_timeouts(0.3, 0.3);
	open_ctl();
	for (unsigned i = 0; i < 3000; i++) {
		char id[32];
		snprintf(id, sizeof(id), "10.%u.%u.%u", i >> 16, (i >> 8) & 255, i & 255);
		add_vsi(&(struct vsi_spec){VDP_VSIID_IPV4,
		                           id,
		                           1,
		                           5002,
		                           VSI_PREASSOC,
		                           VDP_FILTER_VID,
		                           {NULL},
		                           101,
		                           60,
		                           false});
	}
	size_t full = strlen(run("show vsis"));
	int slow = client();
	int rcv = 4096;
	setsockopt(slow, SOL_SOCKET, SO_RCVBUF, &rcv, sizeof(rcv));
	ck_assert_int_eq(send(slow, "show vsis\n", 10, 0), 10);
	for (int i = 0; i < 20; i++)
		ev_run(loop, EVRUN_NOWAIT);
	/* Meanwhile another client is answered in full. */
	char *ans = exchange("show ports\n");
	ck_assert_msg(strncmp(ans, "PORT", 4) == 0, "%s", ans);
	/* The slow one is cut off: EOF or reset before the whole answer. */
	size_t got = 0;
	double end = mono() + 3.0;
	for (;;) {
		char buf[4096];
		ev_run(loop, EVRUN_NOWAIT);
		ssize_t n = recv(slow, buf, sizeof(buf), 0);
		if (n == 0 || (n < 0 && errno == ECONNRESET))
			break;
		if (n > 0)
			got += (size_t)n;
		ck_assert_msg(mono() < end, "slow client never dropped");
		usleep(got < 20000 ? 200000 : 1000); /* read slowly at first */
	}
	ck_assert_uint_lt(got, full);
	close(slow);
}
END_TEST

START_TEST(socket_silent_client_times_out)
{
	ctl_set_timeouts(0.2, 0.2);
	open_ctl();
	int fd = client();
	double t0 = mono();
	ck_assert_ptr_nonnull(collect(fd, 3.0)); /* closed without an answer */
	ck_assert(mono() - t0 >= 0.15);
	close(fd);
}
END_TEST

START_TEST(socket_client_limit)
{
	int fds[CTL_MAX_CLIENTS];
	open_ctl();
	for (unsigned i = 0; i < CTL_MAX_CLIENTS; i++) {
		fds[i] = client();
		ev_run(loop, EVRUN_NOWAIT);
	}
	ck_assert_str_eq(exchange("show ports\n"), "error: too many control clients, try again\n");
	close(fds[0]);
	for (int i = 0; i < 5; i++)
		ev_run(loop, EVRUN_NOWAIT);
	ck_assert_str_eq(exchange("show vsis\n"), vsis_text);
	for (unsigned i = 1; i < CTL_MAX_CLIENTS; i++)
		close(fds[i]);
}
END_TEST

START_TEST(socket_stale_and_live)
{
	char err[256];
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	memcpy(sa.sun_path, sock_path, strlen(sock_path) + 1);

	/* Something listening there: refused, and the socket stays. */
	int other = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_eq(bind(other, (struct sockaddr *)&sa, sizeof(sa)), 0);
	ck_assert_int_eq(listen(other, 1), 0);
	ck_assert_int_eq(ctl_open(&d, loop, sock_path, 0660, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "another process (vdpd already running?) answers on it"), "%s",
	              err);
	ck_assert_int_eq(access(sock_path, F_OK), 0);

	/* The listener died and left its file: replaced. */
	close(other);
	open_ctl();
	ck_assert_str_eq(exchange("show vsis\n"), vsis_text);
	ctl_close();
	ck_assert_int_eq(access(sock_path, F_OK), -1);

	/* A regular file is never removed. */
	FILE *f = fopen(sock_path, "w");
	ck_assert_ptr_nonnull(f);
	fclose(f);
	ck_assert_int_eq(ctl_open(&d, loop, sock_path, 0660, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "exists and is not a socket"), "%s", err);

	char long_path[200];
	memset(long_path, 'x', sizeof(long_path) - 1);
	long_path[0] = '/';
	long_path[sizeof(long_path) - 1] = '\0';
	ck_assert_int_eq(ctl_open(&d, loop, long_path, 0660, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "longer than 107"), "%s", err);
}
END_TEST

/* --- vdpctl ---------------------------------------------------------- */

struct cmd_result {
	int status;
	char out[8192], err[1024];
};

static void drain(int fd, char *buf, size_t cap, size_t *len)
{
	ssize_t n;
	while (*len + 1 < cap && (n = read(fd, buf + *len, cap - 1 - *len)) > 0)
		*len += (size_t)n;
	buf[*len] = '\0';
}

/* Runs vdpctl (tools/vdpctl/vdpctl under the build directory, or $VDPCTL) with
 * argv while turning the loop, so that the in-process server answers. */
static void vdpctl(struct cmd_result *r, char *const argv[], const char *env_socket)
{
	const char *bin = getenv("VDPCTL") ? getenv("VDPCTL") : "tools/vdpctl/vdpctl";
	int po[2], pe[2], status;
	size_t lo = 0, le = 0;

	ck_assert_msg(access(bin, X_OK) == 0, "%s not built (make tools/vdpctl/vdpctl)", bin);
	ck_assert_int_eq(pipe2(po, O_NONBLOCK), 0);
	ck_assert_int_eq(pipe2(pe, O_NONBLOCK), 0);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		dup2(po[1], 1);
		dup2(pe[1], 2);
		if (env_socket)
			setenv("VDPD_SOCKET", env_socket, 1);
		else
			unsetenv("VDPD_SOCKET");
		execv(bin, argv);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	double end = mono() + 10.0;
	while (waitpid(pid, &status, WNOHANG) == 0) {
		ck_assert_msg(mono() < end, "vdpctl hangs");
		ev_run(loop, EVRUN_NOWAIT);
		drain(po[0], r->out, sizeof(r->out), &lo);
		drain(pe[0], r->err, sizeof(r->err), &le);
		usleep(1000);
	}
	drain(po[0], r->out, sizeof(r->out), &lo);
	drain(pe[0], r->err, sizeof(r->err), &le);
	close(po[0]);
	close(pe[0]);
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

START_TEST(vdpctl_commands)
{
	static struct cmd_result r;
	open_ctl();

	vdpctl(&r, (char *[]){"vdpctl", "-s", sock_path, "show", "vsis", NULL}, NULL);
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, vsis_text);
	ck_assert_str_eq(r.err, "");

	memset(&r, 0, sizeof(r));
	vdpctl(&r, (char *[]){"vdpctl", "-j", "show", "vnids", NULL}, sock_path);
	ck_assert_int_eq(r.status, 0);
	ck_assert(py_json(r.out, "j['vnids'][0]['vnid'] == 5001"));

	memset(&r, 0, sizeof(r));
	vdpctl(&r, (char *[]){"vdpctl", "--socket", sock_path, "show", "bogus", NULL}, NULL);
	ck_assert_int_eq(r.status, 1);
	ck_assert_str_eq(r.out, "");
	ck_assert_str_eq(r.err, "error: unknown command 'show bogus'; " HINT "\n");

	memset(&r, 0, sizeof(r));
	vdpctl(&r, (char *[]){"vdpctl", "-s", sock_path, "--json", "deassoc", "1.2.3.4", NULL},
	       NULL);
	ck_assert_int_eq(r.status, 1);
	ck_assert_str_eq(r.out, "{\"error\":\"no VSI with VSIID '1.2.3.4'\"" JSON_END);

	memset(&r, 0, sizeof(r));
	vdpctl(&r, (char *[]){"vdpctl", "-s", sock_path, "deassoc", UUID_A, NULL}, NULL);
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, "VSI " UUID_A " (uuid) on port vethA, VNID 5001: de-associated\n");
	ck_assert_uint_eq(d.counters[REASON_ADMIN], 1);
}
END_TEST

START_TEST(vdpctl_no_daemon_and_usage)
{
	static struct cmd_result r;
	vdpctl(&r, (char *[]){"vdpctl", "-s", "/nonexistent/vdpd.sock", "show", "ports", NULL},
	       NULL);
	ck_assert_int_eq(r.status, 1);
	ck_assert_str_eq(r.err, "vdpctl: cannot connect to /nonexistent/vdpd.sock: No such file "
	                        "or directory (is vdpd running?)\n");

	/* $VDPD_SOCKET is used when -s is not given. */
	memset(&r, 0, sizeof(r));
	vdpctl(&r, (char *[]){"vdpctl", "show", "ports", NULL}, "/nonexistent/env.sock");
	ck_assert_int_eq(r.status, 1);
	ck_assert_msg(strstr(r.err, "cannot connect to /nonexistent/env.sock"), "%s", r.err);

	memset(&r, 0, sizeof(r));
	vdpctl(&r, (char *[]){"vdpctl", NULL}, NULL);
	ck_assert_int_eq(r.status, 2);
	ck_assert_msg(strncmp(r.err, "Usage: vdpctl", 13) == 0, "%s", r.err);

	memset(&r, 0, sizeof(r));
	vdpctl(&r, (char *[]){"vdpctl", "--help", NULL}, NULL);
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(strstr(r.out, "impact port PORT"), "%s", r.out);

	memset(&r, 0, sizeof(r));
	vdpctl(&r, (char *[]){"vdpctl", "--version", NULL}, NULL);
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(strncmp(r.out, "vdpctl ", 7) == 0, "%s", r.out);
}
END_TEST

static Suite *ctl_suite(void)
{
	Suite *s = suite_create("ctl");
	TCase *tc = tcase_create("commands");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, show_ports_text);
	tcase_add_test(tc, show_ports_json);
	tcase_add_test(tc, show_vsis_text);
	tcase_add_test(tc, show_vsis_json);
	tcase_add_test(tc, show_vnids_text);
	tcase_add_test(tc, show_vnids_json);
	tcase_add_test(tc, show_vlans_text);
	tcase_add_test(tc, show_vlans_json);
	tcase_add_test(tc, show_counters_text);
	tcase_add_test(tc, show_counters_json);
	tcase_add_test(tc, show_empty_tables);
	tcase_add_test(tc, policy_entry_text);
	tcase_add_test(tc, json_odd_port_name);
	tcase_add_test(tc, reader_role);
	tcase_add_test(tc, unknown_commands);
	tcase_add_test(tc, blanks_and_tabs);
	tcase_add_test(tc, overlong_and_control);
	tcase_add_test(tc, answer_ceiling);
	tcase_add_test(tc, deassoc_uuid);
	tcase_add_test(tc, deassoc_other_formats);
	tcase_add_test(tc, deassoc_errors);
	tcase_add_test(tc, deassoc_ambiguous);
	tcase_add_test(tc, deassoc_kernel_failure);
	tcase_add_test(tc, impact_port_text);
	tcase_add_test(tc, impact_port_json);
	tcase_add_test(tc, impact_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("socket");
	tcase_add_checked_fixture(tc, sock_setup, sock_teardown);
	/* Real sockets and clocks: a test waits up to 5 s for an answer
	 * (collect()), 3 s for the slow reader to be dropped, 10 s for
	 * vdpctl, which runs five times in vdpctl_commands. */
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, socket_answers);
	tcase_add_test(tc, socket_nul_and_overlong);
	tcase_add_test(tc, socket_slow_reader);
	tcase_add_test(tc, socket_silent_client_times_out);
	tcase_add_test(tc, socket_client_limit);
	tcase_add_test(tc, socket_stale_and_live);
	tcase_add_test(tc, vdpctl_commands);
	tcase_add_test(tc, vdpctl_no_daemon_and_usage);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	if (!py_start()) {
		py_stop();
		return EXIT_FAILURE;
	}
	SRunner *sr = srunner_create(ctl_suite());
	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	py_stop();
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
