/* vdpd: the control socket's table dumpers (ctl_show.c) and the names and
 * text forms they share with the commands in ctl_cmd.c. */
#ifndef VDPD_CTL_SHOW_H
#define VDPD_CTL_SHOW_H

#include <stddef.h>
#include <stdint.h>

#include <vdp/tlv.h>

#include "ctl/ctl_out.h"

struct vdpd;

void show_ports(struct out *o, struct vdpd *d);
/* VSIs on port (or on every port when port < 0), under JSON key "vsis". */
void show_vsis(struct out *o, struct vdpd *d, uint64_t now_ns, int port);
void show_vnids(struct out *o, struct vdpd *d);
void show_vlans(struct out *o, struct vdpd *d);
void show_counters(struct out *o, struct vdpd *d);

/* "ipv4", "ipv6", "mac", "local", "uuid"; NULL for another value. */
const char *ctl_vsiid_fmt_name(uint8_t fmt);
/* One policy entry as text: "bandwidth 10000kbit to-vm",
 * "acl permit tcp dst 10.0.0.0/8 dport 22", "qos pcp 3 dscp 10", ... */
char *ctl_policy_text(const struct vdp_policy_entry *e, char *buf, size_t cap);
/* The same entry as a JSON object: "type", "text" (as above) and its
 * fields ("rate_kbps", "action", "dport_lo", ...). */
void ctl_policy_json(struct json *j, const struct vdp_policy_entry *e);

#endif
