/* SPDX-License-Identifier: ISC */
/* vdp-station: a hypervisor-side CLI over libvdp's station API.
 *
 *   vdp-station.c          main(): options, the client side of the control
 *                          socket, usage text
 *   daemon.c   the daemon: one station, the control socket, the
 *                          event loop, the log and the event ring
 *   cmd.c      the commands: words -> API calls, results and
 *                          tables -> text or JSON
 *   parse.c    words -> values (VNID, VSIID, MAC, policy: the
 *                          policy words are libvdp's, vdp/format.h)
 *   lldpd.c    --lldp lldpd: the EVB TLV through the host's lldpd
 *   libvirt.c  --libvirt: libvirt's 802.1Qbg requests, in lldpad's place
 *   portnl.c   their netlink messages (a pure codec)
 *
 * Control protocol (one request per connection): the client sends
 * "text\n" or "json\n", then one line per command word, then an empty
 * line.  The daemon answers with the exit status on the first line and the
 * output after it, then closes.  Operations answer when every switch has
 * answered (or, with "nowait" as the first word, at once).
 */
#ifndef VDP_STATION_TOOL_H
#define VDP_STATION_TOOL_H

#include "config.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vdp/station.h>

#include "json.h"
#include "strbuf.h"

/* configure's --runstatedir; a directory of its own (the unit's
 * RuntimeDirectory=), made by the daemon if missing. */
#define DEFAULT_SOCKET VDP_RUNSTATEDIR "/vdp-station/vdp-station.sock"
#define REQ_MAX_WORDS  64
#define REQ_MAX_BYTES  4096

/* Exit statuses, for the client and inside answers. */
enum {
	EX_OK = 0,      /* done, every switch accepted */
	EX_FAILED = 1,  /* a switch refused, or did not answer */
	EX_USAGE = 2,   /* the command or an argument is wrong */
	EX_NODAEMON = 3 /* no daemon to talk to */
};

/* --- parsing (parse.c) ------------------------------------- */
/* Each returns 0, or -1 with a message in err. */
int parse_u32(const char *s, uint32_t max, uint32_t *out);
int parse_vnid(const char *s, uint32_t *out, char *err, size_t errlen);
int parse_vsiid(const char *s, uint8_t *fmt, uint8_t id[VDP_VSIID_LEN], char *err, size_t errlen);
int parse_mac(const char *s, uint8_t mac[6], char *err, size_t errlen);
int parse_ipv4(const char *s, uint8_t ip[4], char *err, size_t errlen);
/* One policy word ("bandwidth=50000,from-vm") into one entry of p. */
int parse_policy_word(const char *w, uint32_t vnid, struct vdp_policy *p, char *err, size_t errlen);
const char *tlv_word(uint8_t type); /* "policy-sync", "associate", ... */

/* --- commands (cmd.c) -------------------------------------- */
struct cmd_ctx {
	struct vdp_station *st;
	bool json;
	struct strbuf out;
	int status;  /* EX_* */
	uint32_t op; /* the operation to wait for, 0 if none */
	bool nowait;
};
/* Runs one command.  Fills ctx->out and ctx->status for immediate
 * answers; sets ctx->op for an operation whose results are still to
 * come (then cmd_format_results() writes the answer). */
void cmd_run(struct cmd_ctx *c, int argc, char **argv);
void cmd_format_results(struct cmd_ctx *c, const struct vdp_station_result *r, size_t n);
/* The daemon's event ring, for the "events" command. */
void cmd_events_add(const struct vdp_station_event *ev);

/* --- lldpd glue (lldpd.c) ---------------------------------- */
#define LLDPD_PERIOD_MS 2000
/* path NULL or "": lldpd's default socket.  log: the daemon's logger. */
int lldpd_glue_init(const char *path, void (*log)(int prio, const char *fmt, ...));
void lldpd_glue_tick(struct vdp_station *st);
void lldpd_glue_fini(struct vdp_station *st);

/* --- libvirt glue (libvirt.c) -------------------------------- */
/* lldpad's pid file, where libvirt looks for the daemon to talk to. */
#define LIBVIRT_PIDFILE "/var/run/lldpad.pid"
/* Binds the netlink port libvirt talks to (our pid) and writes pidfile;
 * refuses when the file names a live process (lldpad). */
int libvirt_glue_open(const char *pidfile, void (*log)(int prio, const char *fmt, ...), char *err,
                      size_t errlen);
int libvirt_glue_fd(void); /* -1 when not open */
void libvirt_glue_input(struct vdp_station *st);
void libvirt_glue_result(const struct vdp_station_result *r);
void libvirt_glue_close(void);

/* --- the daemon (daemon.c) ---------------------------------- */
int daemon_main(int argc, char **argv, const char *sock);

#endif
