/* SPDX-License-Identifier: ISC */
/* vdpd: the configuration, parsed from a libconfig file into one structure,
 * checked as a whole, and swapped in on SIGHUP (bgpd's way): a bad file
 * names the file and line and changes nothing. */
#ifndef VDPD_CONF_H
#define VDPD_CONF_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include <vdp/evb.h>
#include <vdp/tlv.h>

#include "config.h" /* VDP_SYSCONFDIR, VDP_LOCALSTATEDIR, VDP_RUNSTATEDIR */

/* configure's --sysconfdir, --localstatedir and --runstatedir; the socket
 * has a directory of its own (the unit's RuntimeDirectory=). */
#define CONF_DEFAULT_PATH        VDP_SYSCONFDIR "/vdpd.conf"
#define CONF_DEFAULT_STATE_DIR   VDP_LOCALSTATEDIR "/lib/vdpd"
#define CONF_DEFAULT_CTL_PATH    VDP_RUNSTATEDIR "/vdpd/vdpd.sock"
#define CONF_DEFAULT_LLDP_SOCKET "/run/lldpd.socket" /* lldpd's own default */
#define CONF_DEFAULT_LLDP_GROUP  "_lldpd"            /* may use lldpd's socket */
#define CONF_DEFAULT_CTL_IDLE    5 /* seconds a control client may take to send its request */
#define CONF_MAX_CTL_IDLE        600
#define CONF_MAX_PORTS           64
#define CONF_MAX_RANGES          16
#define CONF_MAX_RESERVED        64
#define CONF_MAX_TYPES           64
#define CONF_MAX_DEVICE_ACLS     64
#define CONF_MAX_UPLINKS         8
#define CONF_MAX_DHCP_VNIDS      64
/* Fairness defaults (vdpd.conf(5), limits): a hypervisor that boots its
 * whole port's worth of VMs at once (max_vsis, 256) fits the burst; a
 * flood of tens of thousands of new VSIs a second does not. */
#define CONF_DEFAULT_MAX_VNIDS     VDP_VID_MAX
#define CONF_MAX_VNIDS_LIMIT       65535
#define CONF_DEFAULT_NEW_VSI_RATE  100
#define CONF_DEFAULT_NEW_VSI_BURST 0 /* the port's max_vsis, at least 256 */
#define CONF_MAX_NEW_VSI_RATE      1000000
#define CONF_MAX_NEW_VSI_BURST     1000000
#define CONF_DEFAULT_RX_BUDGET     4
#define CONF_DEFAULT_RX_BUFFER     (128 * 1024)
/* ECP frames a second vdpd reads from one port: a station's requests and
 * its acks of vdpd's answers, two frames an operation; 256 VMs booting at
 * once fit the burst, their keepalives (tens a second) the rate. */
#define CONF_DEFAULT_RX_RATE  2000
#define CONF_DEFAULT_RX_BURST 1024

/* What to do with a VSI whose VSI Type ID names no synced VNID policy. */
enum conf_unknown_type {
	CONF_UNKNOWN_STATIC,    /* use types[] below; refuse if not listed */
	CONF_UNKNOWN_VLAN_ONLY, /* accept with a VLAN only (plain 802.1Qbg) */
	CONF_UNKNOWN_REFUSE,    /* refuse with error 3 */
};

/* Without bridge VLAN filtering in the kernel: */
enum conf_no_vlan_filtering {
	CONF_NOVF_NFTABLES, /* enforce membership with nftables (default) */
	CONF_NOVF_REFUSE,   /* refuse to start */
};

enum conf_dhcp_mode { CONF_DHCP_LEASEQUERY, CONF_DHCP_HELP };

struct conf_port {
	char name[IFNAMSIZ];
	uint32_t bandwidth_kbps; /* capacity offered to VMs; 0: unlimited */
	unsigned max_vsis;       /* per-port admission limit */
	/* Fairness (conf_limits.c); 0: limits = { }'s value for every port. */
	unsigned max_vlans;     /* pool VLANs this port's requests may hold */
	unsigned max_vnids;     /* VNIDs this port's requests may have made */
	unsigned new_vsi_rate;  /* new VSIs per second (token bucket) */
	unsigned new_vsi_burst; /* ... and the bucket's depth */
};

struct conf_range {
	uint16_t lo, hi; /* inclusive, 1..4094 */
};

/* A static per-type policy (unknown_type = "static"). */
struct conf_type {
	uint32_t vnid;            /* VSI Type ID (and version in 32-bit mode) */
	uint16_t vid;             /* 0: allocate from the pool */
	struct vdp_policy policy; /* entries as a Policy Sync would carry */
};

struct conf {
	char path[256]; /* the file it came from */

	/* bridge and ports */
	char bridge[IFNAMSIZ];
	unsigned nports;
	struct conf_port ports[CONF_MAX_PORTS];
	unsigned nuplinks; /* ports that carry every VNID's VLAN (trunks) */
	char uplinks[CONF_MAX_UPLINKS][IFNAMSIZ];

	/* VLANs (VLAN on demand) */
	unsigned nranges;
	struct conf_range pool[CONF_MAX_RANGES];
	unsigned nreserved;
	uint16_t reserved[CONF_MAX_RESERVED];
	unsigned max_vnids; /* 0: no limit beyond the pool */

	/* limits = { } (conf_limits.c): every port's share, unless its own
	 * group says otherwise; 0 for the VLANs and VNIDs: the automatic share
	 * (core/fairness.c). */
	unsigned port_max_vlans, port_max_vnids;
	unsigned new_vsi_rate, new_vsi_burst;
	unsigned rx_budget;         /* frames a port's socket is read per loop turn */
	unsigned rx_buffer;         /* its socket's receive buffer, in bytes */
	unsigned rx_rate, rx_burst; /* frames a second a port is read (bucket) */

	/* ECP / VDP timers, as EVB exponents; negotiated upwards with lldpd */
	uint8_t r, rte, rwd, rka;
	bool rrcap, bgid;

	/* lldpd, which carries the EVB TLV (vdpd/lldp/lldp.c) */
	bool lldp_enabled;
	char lldp_socket[108];
	char lldp_group[32];

	/* VNIDs */
	bool vnid_32bit; /* VSI Type Version is the VNID's high byte */
	enum conf_unknown_type unknown_type;
	unsigned ntypes;
	struct conf_type types[CONF_MAX_TYPES];
	unsigned ndevice_acls; /* the device's own rules, for the adaptability check */
	struct vdp_pol_acl device_acls[CONF_MAX_DEVICE_ACLS];

	/* kernel */
	enum conf_no_vlan_filtering no_vlan_filtering;

	/* migration services */
	enum conf_dhcp_mode dhcp_mode;
	char dhcp_server[64];          /* IPv4 address for leasequery */
	uint8_t igmp_version;          /* 2 or 3 */
	unsigned dhcp_timeout_ms;      /* per leasequery transmission */
	unsigned dhcp_retries;         /* leasequery retransmissions */
	unsigned dhcp_help_timeout_ms; /* for the station's answer, then the ACK */
	unsigned dhcp_max_bindings;    /* per port */
	unsigned ndhcp_vnids;          /* per-VNID modes (conf_dhcp.c) */
	struct conf_dhcp_vnid {
		uint32_t vnid;
		enum conf_dhcp_mode mode;
	} dhcp_vnids[CONF_MAX_DHCP_VNIDS];
	uint8_t igmp_max_response; /* tenths of a second, 1..127 */
	uint8_t igmp_queries;      /* sent per migrated VSI, 1 s apart */

	/* files */
	char user[33]; /* who vdpd becomes when started as root */
	char state_dir[256];
	char ctl_path[108];
	unsigned ctl_mode; /* octal permissions of the control socket */
	/* control.group: may run the read-only commands (show ...); -1 when
	 * none is named (root and vdpd's own user only).  Resolved at load,
	 * so that an unknown group is an error with its line. */
	long ctl_gid;
	char ctl_group[32];
	unsigned ctl_idle_s; /* control.idle_timeout: seconds to send a request */

	/* logging */
	int log_level; /* syslog priority, LOG_INFO by default */
};

/* Fills c with the defaults documented in vdpd.conf(5). */
void conf_defaults(struct conf *c);

/* Parses path into *out (conf_defaults first).  On error returns -1 and
 * writes "FILE:LINE: message" into err; *out is then unspecified and the
 * caller keeps its running configuration. */
int conf_load(const char *path, struct conf *out, char *err, size_t errlen);

/* Looks a served port up by name; NULL if it is not served. */
const struct conf_port *conf_port(const struct conf *c, const char *name);
/* Whether vid is in the pool and not reserved. */
bool conf_vid_in_pool(const struct conf *c, uint16_t vid);
/* The static policy for a VNID, or NULL. */
const struct conf_type *conf_type(const struct conf *c, uint32_t vnid);

#endif
