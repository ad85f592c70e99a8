/* SPDX-License-Identifier: ISC */
/* vdp-pcap: the live side of a replay.
 *
 * libvdp's ECP engine does the protocol: it numbers the station's requests
 * afresh, retransmits them, acknowledges what the bridge sends and folds
 * the bridge's retransmissions; this file only moves frames between the
 * engine and the interface (libpcap, so that the tool needs nothing
 * Linux-specific) and decides when the next captured request goes out:
 *
 *   original  at the captured offset from the first station frame;
 *   fast      as soon as the bridge has sent every VDPDU that preceded the
 *             request in the capture and the previous request is acked or
 *             given up: as fast as the protocol allows.
 *
 * Waiting is bounded by the capture itself: a VDPDU that took the captured
 * bridge d seconds to send is waited for 2d + 1 s, then the replay moves
 * on and the comparison reports it missing.  After the last request the
 * replay listens a further SETTLE_NS for VDPDUs the capture does not have.
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include <pcap/pcap.h>
#include <vdp/ecp.h>
#include <vdp/ecp_engine.h>

#include "array.h"
#include "vdp-pcap.h"

#define NS        1000000000ull
#define SETTLE_NS (NS / 2)
#define SNAPLEN   65535

enum ack_state { ACK_PENDING, ACK_YES, ACK_NO };

struct received {
	unsigned rframe; /* replay frame number */
	uint8_t *data;
	size_t len;
};

struct rp {
	const struct conv *c;
	const struct replay_opts *o;
	pcap_t *live;
	pcap_t *dead; /* the --write file's handle */
	pcap_dumper_t *dump;
	struct vdp_ecp_engine *eng;
	unsigned rframe;      /* frames sent and received so far */
	struct received *got; /* the bridge's VDPDUs, in order */
	size_t ngot, gcap;
	enum ack_state *ack;      /* per conversation event */
	unsigned *first_rframe;   /* per event: replay frame of its first sending */
	size_t *queued;           /* events handed to the engine, in order */
	size_t nqueued, nstarted; /* ... and how many of them went on the wire */
	uint16_t last_seq;        /* of the engine's last request on the wire */
	bool any_sent;
	/* -v: frames the engine sends while handling a received one are
	 * traced after it, so that the trace reads in wire order. */
	bool in_input;
	char held[8][160];
	unsigned nheld;
};

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NS + (uint64_t)ts.tv_nsec;
}

static void save(struct rp *r, const uint8_t *frame, size_t len)
{
	if (!r->dump)
		return;
	struct pcap_pkthdr h = {.caplen = (bpf_u_int32)len, .len = (bpf_u_int32)len};
	gettimeofday(&h.ts, NULL);
	pcap_dump((u_char *)r->dump, &h, frame);
}

static void trace(struct rp *r, unsigned no, const char *dir, const uint8_t *frame, size_t len,
                  const char *what)
{
	struct vdp_ecp_frame f;
	char line[160];
	if (!r->o->verbose)
		return;
	if (vdp_ecp_frame_decode(frame, len, &f) < 0)
		snprintf(line, sizeof(line),
		         "replay frame %u %s %s (not a valid ECP frame, %zu octets)", no, dir, what,
		         len);
	else
		snprintf(line, sizeof(line), "replay frame %u %s ECP %s seq %u%s%s", no, dir,
		         f.hdr.op == VDP_ECP_OP_ACK ? "ack" : "request", f.hdr.seq,
		         *what ? ": " : "", what);
	if (r->in_input && r->nheld < sizeof(r->held) / sizeof(r->held[0]))
		memcpy(r->held[r->nheld++], line, sizeof(line));
	else
		printf("%s\n", line);
}

static int put(struct rp *r, const uint8_t *frame, size_t len)
{
	r->rframe++;
	save(r, frame, len);
	if (pcap_inject(r->live, frame, len) < 0) {
		fprintf(stderr, "vdp-pcap: %s: send: %s\n", r->o->iface, pcap_geterr(r->live));
		return -1;
	}
	return 0;
}

/* Engine callback.  Requests go out in the order they were queued, so the
 * n-th new sequence number on the wire is the n-th queued event. */
static int engine_send(void *ctx, const uint8_t *frame, size_t len)
{
	struct rp *r = ctx;
	struct vdp_ecp_frame f;
	char what[64] = "";
	bool req = vdp_ecp_frame_decode(frame, len, &f) >= 0 && f.hdr.op == VDP_ECP_OP_REQUEST;
	if (req && (!r->any_sent || f.hdr.seq != r->last_seq) && r->nstarted < r->nqueued) {
		size_t ev = r->queued[r->nstarted++];
		r->first_rframe[ev] = r->rframe + 1;
		r->last_seq = f.hdr.seq;
		r->any_sent = true;
		snprintf(what, sizeof(what), "station request of capture frame %u",
		         r->c->ev[ev].frame);
	} else if (req) {
		snprintf(what, sizeof(what), "retransmission");
	}
	int rc = put(r, frame, len);
	trace(r, r->rframe, "->", frame, len, what);
	return rc;
}

static void engine_done(void *ctx, void *cookie, bool acked)
{
	struct rp *r = ctx;
	r->ack[(uintptr_t)cookie - 1] = acked ? ACK_YES : ACK_NO;
}

static void on_frame(u_char *user, const struct pcap_pkthdr *h, const u_char *data)
{
	struct rp *r = (struct rp *)user;
	/* Numbered before the engine answers it: its ack is the next frame. */
	unsigned no = ++r->rframe;
	save(r, data, h->caplen);
	r->in_input = true;
	int rc = vdp_ecp_engine_input(r->eng, data, h->caplen, now_ns());
	r->in_input = false;
	char what[64] = "";
	if (rc == VDP_ECP_IN_REQUEST) {
		/* A new VDPDU: keep the whole frame, the ECP header is compared
		 * too.  The engine's copy is not needed. */
		uint8_t ulpdu[VDP_ECP_MAX_ULPDU];
		size_t n;
		while (vdp_ecp_engine_recv(r->eng, ulpdu, sizeof(ulpdu), &n, NULL) == 1)
			;
		if (ARRAY_GROW(r->got, r->gcap, r->ngot + 1) < 0)
			return; /* reported as a missing VDPDU */
		struct received *g = &r->got[r->ngot];
		if (!(g->data = malloc(h->caplen)))
			return;
		memcpy(g->data, data, h->caplen);
		g->len = h->caplen;
		g->rframe = no;
		r->ngot++;
		snprintf(what, sizeof(what), "bridge VDPDU %zu", r->ngot);
	} else if (rc == VDP_ECP_IN_DUPLICATE) {
		snprintf(what, sizeof(what), "bridge retransmission");
	}
	trace(r, no, "<-", data, h->caplen, what);
	for (unsigned i = 0; i < r->nheld; i++)
		printf("%s\n", r->held[i]);
	r->nheld = 0;
}

typedef bool done_fn(const struct rp *r, unsigned arg);

static bool got_enough(const struct rp *r, unsigned need)
{
	return r->ngot >= need && vdp_ecp_engine_tx_pending(r->eng) == 0;
}

/* Runs the engine and the receive path until `done` (if given) or the
 * deadline.  Returns -1 on an I/O error. */
static int pump(struct rp *r, uint64_t until, done_fn *done, unsigned arg)
{
	struct pollfd pfd = {.fd = pcap_get_selectable_fd(r->live), .events = POLLIN};
	for (;;) {
		uint64_t now = now_ns();
		vdp_ecp_engine_timer(r->eng, now);
		if ((done && done(r, arg)) || now >= until)
			return 0;
		uint64_t wake = vdp_ecp_engine_next_timeout(r->eng);
		wake = wake < until ? wake : until;
		uint64_t left = wake > now ? wake - now : 0;
		struct timespec ts = {.tv_sec = (time_t)(left / NS), .tv_nsec = (long)(left % NS)};
		int n = ppoll(&pfd, 1, &ts, NULL);
		if (n < 0 && errno != EINTR) {
			perror("vdp-pcap: poll");
			return -1;
		}
		if (n > 0 && pcap_dispatch(r->live, -1, on_frame, (u_char *)r) == PCAP_ERROR) {
			fprintf(stderr, "vdp-pcap: %s: %s\n", r->o->iface, pcap_geterr(r->live));
			return -1;
		}
	}
}

static int open_live(struct rp *r)
{
	char err[PCAP_ERRBUF_SIZE];
	struct bpf_program prog;
	pcap_t *p = pcap_create(r->o->iface, err);
	if (!p) {
		fprintf(stderr, "vdp-pcap: %s\n", err);
		return -1;
	}
	r->live = p;
	/* Promiscuous: the nearest customer bridge group address is not one a
	 * NIC passes up unless asked.  Immediate: every ack counts in ms. */
	if (pcap_set_snaplen(p, SNAPLEN) || pcap_set_promisc(p, 1) ||
	    pcap_set_immediate_mode(p, 1) || pcap_activate(p) < 0) {
		fprintf(stderr, "vdp-pcap: %s: %s\n", r->o->iface, pcap_geterr(p));
		return -1;
	}
	if (pcap_datalink(p) != DLT_EN10MB) {
		fprintf(stderr, "vdp-pcap: %s is not an Ethernet interface\n", r->o->iface);
		return -1;
	}
	/* Our own frames are not the bridge's. */
	if (pcap_setdirection(p, PCAP_D_IN) < 0 ||
	    pcap_compile(p, &prog, "ether proto 0x8940", 1, PCAP_NETMASK_UNKNOWN) < 0 ||
	    pcap_setfilter(p, &prog) < 0 || pcap_setnonblock(p, 1, err) < 0) {
		fprintf(stderr, "vdp-pcap: %s: %s\n", r->o->iface, pcap_geterr(p));
		return -1;
	}
	pcap_freecode(&prog);
	if (r->o->write_path) {
		r->dead = pcap_open_dead(DLT_EN10MB, SNAPLEN);
		r->dump = r->dead ? pcap_dump_open(r->dead, r->o->write_path) : NULL;
		if (!r->dump) {
			fprintf(stderr, "vdp-pcap: %s: %s\n", r->o->write_path,
			        r->dead ? pcap_geterr(r->dead) : "cannot open");
			return -1;
		}
	}
	return 0;
}

static int open_engine(struct rp *r)
{
	struct vdp_ecp_engine_cfg cfg = {
	    .size = sizeof(cfg),
	    .r = r->c->have_evb ? r->c->evb.r : VDP_EVB_DEFAULT_R,
	    .rte = r->c->have_evb ? r->c->evb.rte : VDP_EVB_DEFAULT_RTE,
	    .send = engine_send,
	    .tx_done = engine_done,
	    .ctx = r,
	    .txq_depth = (unsigned)r->c->nev + 1,
	    .rxq_depth = (unsigned)r->c->nev + 1,
	};
	memcpy(cfg.local_mac, r->c->station, 6);
	r->eng = vdp_ecp_engine_new(&cfg);
	if (!r->eng) {
		perror("vdp-pcap: ECP engine");
		return -1;
	}
	return 0;
}

/* The captured time between `from` and the last bridge VDPDU a wait is
 * for, doubled, plus a second: how long the wait may take (at most
 * --timeout). */
static uint64_t wait_limit(const struct conv *c, const struct replay_opts *o, double from,
                           unsigned need)
{
	double last = from;
	unsigned k = 0;
	for (size_t i = 0; i < c->nev && k < need; i++)
		if (c->ev[i].kind == EV_BRIDGE_PDU && ++k == need)
			last = c->ev[i].t;
	double d = last > from ? last - from : 0, limit = 2 * d + 1.0;
	if (o->timeout > 0 && limit > o->timeout)
		limit = o->timeout;
	return (uint64_t)(limit * (double)NS);
}

static int send_event(struct rp *r, size_t i)
{
	const struct conv_ev *ev = &r->c->ev[i];
	if (ev->kind == EV_STATION_RAW) {
		r->first_rframe[i] = r->rframe + 1;
		int rc = put(r, ev->data, ev->len);
		trace(r, r->rframe, "->", ev->data, ev->len, "station raw frame");
		return rc;
	}
	r->queued[r->nqueued++] = i;
	int rc = vdp_ecp_engine_send(r->eng, ev->data + ev->ulpdu_off, ev->len - ev->ulpdu_off,
	                             (void *)(uintptr_t)(i + 1), now_ns());
	if (rc < 0) {
		fprintf(stderr, "vdp-pcap: capture frame %u: ECP engine: %s\n", ev->frame,
		        vdp_strerror(rc));
		return -1;
	}
	return 0;
}

static int play(struct rp *r)
{
	const struct conv *c = r->c;
	uint64_t start = now_ns();
	double base = -1, prev = 0;
	for (size_t i = 0; i < c->nev; i++) {
		const struct conv_ev *ev = &c->ev[i];
		if (ev->kind == EV_BRIDGE_PDU)
			continue;
		if (base < 0)
			base = prev = ev->t;
		int rc;
		if (r->o->timing == TIMING_ORIGINAL)
			rc = pump(r, start + (uint64_t)((ev->t - base) * (double)NS), NULL, 0);
		else
			rc = pump(r, now_ns() + wait_limit(c, r->o, prev, ev->need), got_enough,
			          ev->need);
		if (rc < 0 || send_event(r, i) < 0)
			return -1;
		prev = ev->t;
	}
	if (pump(r, now_ns() + wait_limit(c, r->o, prev, c->nbridge), got_enough, c->nbridge) < 0)
		return -1;
	return pump(r, now_ns() + SETTLE_NS, NULL, 0);
}

static void print_fields(const uint8_t *frame, size_t len)
{
	struct field_list l = {0};
	decode_fields(frame, len, &l);
	for (size_t i = 0; i < l.n; i++)
		printf("    %s = %s\n", l.v[i].path, l.v[i].value);
	field_list_free(&l);
}

static unsigned compare_pdus(const struct rp *r)
{
	unsigned diffs = 0, k = 0;
	for (size_t i = 0; i < r->c->nev; i++) {
		const struct conv_ev *ev = &r->c->ev[i];
		if (ev->kind != EV_BRIDGE_PDU)
			continue;
		k++;
		if (k > r->ngot) {
			printf("mismatch: bridge VDPDU %u (capture frame %u): not received\n", k,
			       ev->frame);
			diffs++;
			continue;
		}
		const struct received *g = &r->got[k - 1];
		struct field_list want = {0}, got = {0};
		char what[96];
		decode_fields(ev->data, ev->len, &want);
		decode_fields(g->data, g->len, &got);
		snprintf(what, sizeof(what),
		         "mismatch: bridge VDPDU %u (capture frame %u, replay frame %u)", k,
		         ev->frame, g->rframe);
		diffs += compare_fields(&want, &got, &r->o->vol, what, stdout);
		field_list_free(&want);
		field_list_free(&got);
	}
	for (size_t j = k; j < r->ngot; j++) {
		printf(
		    "mismatch: replay frame %u: VDPDU %zu from the bridge, not in the capture:\n",
		    r->got[j].rframe, j + 1);
		print_fields(r->got[j].data, r->got[j].len);
		diffs++;
	}
	return diffs;
}

/* Whether each request was acknowledged is part of the conversation: a
 * bridge that takes a PDU the captured one refused, or the reverse. */
static unsigned compare_acks(const struct rp *r)
{
	unsigned diffs = 0;
	if (volatile_match(&r->o->vol, "ecp.ack"))
		return 0;
	for (size_t i = 0; i < r->c->nev; i++) {
		const struct conv_ev *ev = &r->c->ev[i];
		if (ev->kind != EV_STATION_REQ || ev->acked == (r->ack[i] == ACK_YES))
			continue;
		printf("mismatch: station request (capture frame %u, replay frame %u): ecp.ack: "
		       "expected %s, got %s\n",
		       ev->frame, r->first_rframe[i], ev->acked ? "acked" : "not acked",
		       r->ack[i] == ACK_YES ? "acked" : "not acked");
		diffs++;
	}
	return diffs;
}

int replay_run(const struct conv *c, const struct replay_opts *o)
{
	struct rp r = {.c = c, .o = o};
	int rc = -1;
	r.ack = calloc(c->nev + 1, sizeof(*r.ack));
	r.first_rframe = calloc(c->nev + 1, sizeof(*r.first_rframe));
	r.queued = calloc(c->nev + 1, sizeof(*r.queued));
	if (!r.ack || !r.first_rframe || !r.queued) {
		fprintf(stderr, "vdp-pcap: out of memory\n");
		goto out;
	}
	if (open_live(&r) < 0 || open_engine(&r) < 0 || play(&r) < 0)
		goto out;
	unsigned diffs = compare_pdus(&r) + compare_acks(&r);
	printf("replay: %u station frames sent, %zu of %u bridge VDPDUs received, %u "
	       "difference%s\n",
	       c->nstation, r.ngot < c->nbridge ? r.ngot : c->nbridge, c->nbridge, diffs,
	       diffs == 1 ? "" : "s");
	rc = (int)diffs;
out:
	if (r.eng)
		vdp_ecp_engine_free(r.eng);
	if (r.dump)
		pcap_dump_close(r.dump);
	if (r.dead)
		pcap_close(r.dead);
	if (r.live)
		pcap_close(r.live);
	for (size_t i = 0; i < r.ngot; i++)
		free(r.got[i].data);
	free(r.got);
	free(r.ack);
	free(r.first_rframe);
	free(r.queued);
	return rc;
}
