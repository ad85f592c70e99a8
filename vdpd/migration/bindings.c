/* SPDX-License-Identifier: ISC */
/* vdpd: the DHCP-snooping binding table and its text form (bindings.h). */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "migration/bindings.h"

static const char *const src_names[BIND_SRC_COUNT] = {
    [BIND_SNOOPED] = "snooped", [BIND_LEASEQUERY] = "leasequery", [BIND_HELP] = "help"};
static const char *const state_names[BIND_STATE_COUNT] = {
    [BIND_BOUND] = "bound", [BIND_VERIFYING] = "verifying", [BIND_UNVERIFIED] = "unverified"};

const char *binding_src_name(unsigned src)
{
	return src < BIND_SRC_COUNT ? src_names[src] : "?";
}

const char *binding_state_name(unsigned state)
{
	return state < BIND_STATE_COUNT ? state_names[state] : "?";
}

void bindings_init(struct bindings *t)
{
	memset(t, 0, sizeof(*t));
}

void bindings_free(struct bindings *t)
{
	free(t->v);
	bindings_init(t);
}

struct binding *bindings_find(struct bindings *t, const uint8_t mac[6], uint16_t vid)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].vid == vid && memcmp(t->v[i].mac, mac, 6) == 0)
			return &t->v[i];
	return NULL;
}

int bindings_put(struct bindings *t, const struct binding *b, unsigned max_per_port,
                 struct binding **out)
{
	if (b->port >= BINDINGS_MAX_PORTS)
		return -EINVAL;
	struct binding *e = bindings_find(t, b->mac, b->vid);
	bool moves = !e || e->port != b->port;
	if (moves && t->per_port[b->port] >= max_per_port)
		return BINDINGS_E_FULL;
	if (!e) {
		if (ARRAY_GROW(t->v, t->cap, t->n + 1) < 0)
			return -ENOMEM;
		e = &t->v[t->n++];
	} else if (moves) {
		t->per_port[e->port]--;
	}
	if (moves)
		t->per_port[b->port]++;
	*e = *b;
	if (out)
		*out = e;
	return 0;
}

void bindings_del(struct bindings *t, struct binding *b)
{
	size_t i = (size_t)(b - t->v);
	if (i >= t->n)
		return;
	t->per_port[b->port]--;
	t->v[i] = t->v[--t->n];
}

unsigned bindings_expire(struct bindings *t, int64_t now,
                         void (*cb)(void *arg, const struct binding *b), void *arg)
{
	unsigned n = 0;
	for (size_t i = 0; i < t->n;) {
		if (t->v[i].expires > now) {
			i++;
			continue;
		}
		if (cb)
			cb(arg, &t->v[i]);
		bindings_del(t, &t->v[i]); /* the last entry moves into i */
		n++;
	}
	return n;
}

unsigned bindings_flush_port(struct bindings *t, unsigned port)
{
	unsigned n = 0;
	for (size_t i = 0; i < t->n;) {
		if (t->v[i].port != port) {
			i++;
			continue;
		}
		bindings_del(t, &t->v[i]);
		n++;
	}
	return n;
}

int binding_format(const struct binding *b, const char *port, char *buf, size_t cap)
{
	char ip[INET_ADDRSTRLEN], id[VDP_VSIID_STRLEN] = "-";
	if (!inet_ntop(AF_INET, b->ip, ip, sizeof(ip)))
		return -1;
	if (b->vsiid_fmt)
		vdp_vsiid_str(b->vsiid_fmt, b->vsiid, id, sizeof(id));
	int n = snprintf(buf, cap,
	                 "%02x:%02x:%02x:%02x:%02x:%02x %u %s %s %" PRId64 " %" PRId64 " %" PRIu32
	                 " %u %s %s %s",
	                 b->mac[0], b->mac[1], b->mac[2], b->mac[3], b->mac[4], b->mac[5], b->vid,
	                 ip, port, b->expires, b->updated, b->vnid, b->vsiid_fmt, id,
	                 binding_src_name(b->src), binding_state_name(b->state));
	return n < 0 || (size_t)n >= cap ? -1 : n;
}

static int name_index(const char *const *names, unsigned n, const char *s)
{
	for (unsigned i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}

int binding_parse(const char *line, struct binding *b, char port[IFNAMSIZ])
{
	char ip[16], pname[IFNAMSIZ], id[VDP_VSIID_STRLEN], src[16], state[16];
	unsigned m[6], vid, fmt;
	long long expires, updated;
	unsigned long vnid;
	int end = 0;
	memset(b, 0, sizeof(*b));
	if (sscanf(line, "%2x:%2x:%2x:%2x:%2x:%2x %u %15s %15s %lld %lld %lu %u %47s %15s %15s %n",
	           &m[0], &m[1], &m[2], &m[3], &m[4], &m[5], &vid, ip, pname, &expires, &updated,
	           &vnid, &fmt, id, src, state, &end) != 16 ||
	    line[end] != '\0')
		return -1;
	for (int i = 0; i < 6; i++)
		b->mac[i] = (uint8_t)m[i];
	int s = name_index(src_names, BIND_SRC_COUNT, src);
	int st = name_index(state_names, BIND_STATE_COUNT, state);
	if (vid < 1 || vid > VDP_VID_MAX || vnid > UINT32_MAX || fmt > VDP_VSIID_UUID || s < 0 ||
	    st < 0 || inet_pton(AF_INET, ip, b->ip) != 1 || (b->mac[0] & 1))
		return -1;
	if (fmt && vdp_vsiid_parse((uint8_t)fmt, id, b->vsiid) < 0)
		return -1;
	if (!fmt && strcmp(id, "-") != 0)
		return -1;
	b->vid = (uint16_t)vid;
	b->vnid = (uint32_t)vnid;
	b->vsiid_fmt = (uint8_t)fmt;
	b->expires = expires;
	b->updated = updated;
	b->src = (uint8_t)s;
	b->state = (uint8_t)st;
	snprintf(port, IFNAMSIZ, "%s", pname);
	return 0;
}
