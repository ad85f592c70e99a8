/* SPDX-License-Identifier: ISC */
/* vdpd: the DHCP-snooping binding table (migration services): which IPv4 address
 * the DHCP server leased to which MAC in which VLAN, behind which port,
 * until when.  Plain data with a per-port cap (a hostile station cannot
 * grow it without bound), kept in memory and saved to the state directory
 * (bindings_store.c).
 *
 * Identity: (MAC, VLAN); one lease per client per VLAN, as DHCP gives.
 * Lease expiry is wall-clock time (seconds since the epoch) so that it
 * survives a restart. */
#ifndef VDPD_BINDINGS_H
#define VDPD_BINDINGS_H

#include <net/if.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vdp/tlv.h>

/* How the binding got its current port. */
enum binding_src {
	BIND_SNOOPED,    /* a DHCPACK snooped on its way to the VM */
	BIND_LEASEQUERY, /* a DHCPLEASEACTIVE after the VM migrated in */
	BIND_HELP,       /* a DHCPACK the station's help triggered after a migration */
	BIND_SRC_COUNT
};

enum binding_state {
	BIND_BOUND,      /* as the server last said */
	BIND_VERIFYING,  /* the VM migrated: a leasequery / help request is out */
	BIND_UNVERIFIED, /* that check failed (no answer, unknown, unassigned) */
	BIND_STATE_COUNT
};

struct binding {
	uint8_t mac[6];
	uint16_t vid;
	uint8_t ip[4];
	unsigned port;     /* index into the daemon's ports */
	uint32_t vnid;     /* of the VSI the MAC belonged to, for display */
	uint8_t vsiid_fmt; /* 0: no VSI known */
	uint8_t vsiid[VDP_VSIID_LEN];
	int64_t expires; /* lease end, CLOCK_REALTIME seconds */
	int64_t updated; /* last change, CLOCK_REALTIME seconds */
	uint8_t src;     /* enum binding_src */
	uint8_t state;   /* enum binding_state */
};

#define BINDINGS_MAX_PORTS 64 /* CONF_MAX_PORTS */

struct bindings {
	struct binding *v;
	size_t n, cap;
	unsigned per_port[BINDINGS_MAX_PORTS];
};

#define BINDINGS_E_FULL (-1000) /* the port has max_per_port bindings */

const char *binding_src_name(unsigned src);
const char *binding_state_name(unsigned state);

void bindings_init(struct bindings *t);
void bindings_free(struct bindings *t);
struct binding *bindings_find(struct bindings *t, const uint8_t mac[6], uint16_t vid);
/* Adds b, or replaces the entry with b's (MAC, VLAN).  A port already
 * holding max_per_port bindings refuses a new one (BINDINGS_E_FULL),
 * replacing in place never counts twice.  0 (and *out, if given, points at
 * the entry) or BINDINGS_E_FULL / -ENOMEM / -EINVAL (port out of range). */
int bindings_put(struct bindings *t, const struct binding *b, unsigned max_per_port,
                 struct binding **out);
/* Removes the entry b points at (entries may move: re-find afterwards). */
void bindings_del(struct bindings *t, struct binding *b);
/* Removes every binding whose lease ended at or before now, calling cb
 * (if given) on each first.  Returns how many went. */
unsigned bindings_expire(struct bindings *t, int64_t now,
                         void (*cb)(void *arg, const struct binding *b), void *arg);
/* Removes every binding of port; returns how many went. */
unsigned bindings_flush_port(struct bindings *t, unsigned port);

/* One binding as a line of the state file (no newline):
 *   MAC VID IP PORT EXPIRES UPDATED VNID FMT VSIID SRC STATE
 * e.g. "02:00:00:00:00:6a 100 10.100.0.50 p1 1700000600 1700000000 60 5
 *       00000000-0000-0000-0000-00000000006a snooped bound"
 * with "-" for the VSIID when FMT is 0.  Returns the length, or -1 when it
 * does not fit. */
int binding_format(const struct binding *b, const char *port, char *buf, size_t cap);
/* The inverse: the port's name goes into port (IFNAMSIZ); b->port is left
 * for the caller to resolve.  0, or -1 on any malformed field. */
int binding_parse(const char *line, struct binding *b, char port[IFNAMSIZ]);

/* bindings_store.c: the table in DIR/bindings, written atomically (a
 * temporary file, fsync, rename, fsync of the directory).  DIR is created
 * (mode 0750) when missing.  0, or -1 with err filled. */
int bindings_save(const struct bindings *t, const char *dir, const char (*ports)[IFNAMSIZ],
                  unsigned nports, char *err, size_t errlen);

struct bindings_load_stats {
	unsigned loaded, expired, unknown_port, malformed, full;
};
/* Reads DIR/bindings into t (emptied first): expired leases, unknown ports,
 * malformed lines and entries beyond max_per_port are skipped and counted
 * in st.  A missing file is an empty table.  0, or -1 with err filled when
 * the file exists but cannot be read. */
int bindings_load(struct bindings *t, const char *dir, const char (*ports)[IFNAMSIZ],
                  unsigned nports, int64_t now, unsigned max_per_port,
                  struct bindings_load_stats *st, char *err, size_t errlen);

#endif
