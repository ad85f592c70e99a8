/* SPDX-License-Identifier: ISC */
/* vdpd: the control socket's commands, listed once.  vdpd's interpreter
 * (ctl_cmd.c) builds its dispatch table from this list, and from it its
 * `help` answer and the command list of the unknown-command error;
 * vdpctl builds its --help from it; check_ctl_commands holds vdpctl(8) to
 * it.  A command added here is thus known to all of them at once.
 *
 * X(id, name, arguments, help):
 *   id         the handler in ctl_cmd.c is cmd_<id>;
 *   name       the command's words;
 *   arguments  the words that follow, each a placeholder ("" for none);
 *   help       one line for `help` and `vdpctl --help`.
 * No daemon types: tools/vdpctl includes this header.
 */
#ifndef VDPD_CTL_COMMANDS_H
#define VDPD_CTL_COMMANDS_H

#define CTL_COMMANDS(X)                                                                            \
	X(show_ports, "show ports", "", "ports, VSI counts, counter summary, EVB timers")          \
	X(show_vsis, "show vsis", "", "VSIs: VSIID, port, VNID, state, VLAN, MACs")                \
	X(show_vnids, "show vnids", "", "VNID policy lists and their members")                     \
	X(show_vlans, "show vlans", "", "VLANs in use and the pool's free count")                  \
	X(show_counters, "show counters", "", "every non-zero counter, per port and in total")     \
	X(show_bindings, "show bindings", "", "DHCP-snooping bindings and migration counters")     \
	X(deassoc, "deassoc", "VSIID", "de-associate a VSI (the station is told)")                 \
	X(impact, "impact port", "PORT", "VSIs and VNIDs a failure of PORT affects")               \
	X(help, "help", "", "these commands, and the answers' format version")                     \
	X(version, "version", "", "vdpd's version and the answers' format version")

#endif
