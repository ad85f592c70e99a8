/* SPDX-License-Identifier: ISC */
/* vdp-station: tell the switches (VDP bridges) what happens to this
 * hypervisor's VMs.  "vdp-station daemon" runs a libvdp station; every
 * other command is a one-shot client that asks the daemon to act through
 * its control socket and prints the switches' answers (see vdp-station.h
 * for the protocol, vdp-station(8) for the commands). */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ctlsock.h"
#include "vdp-station.h"

#define DEFAULT_WAIT_S 120 /* two exchanges that time out take ~32 s */

static void usage(FILE *f)
{
	fprintf(
	    f,
	    "Usage: vdp-station [-s SOCKET] [-j] [-n] [-w SECONDS] COMMAND [ARGUMENT...]\n"
	    "       vdp-station daemon -i IFACE [-i IFACE...] [OPTION...]\n"
	    "\n"
	    "Tells the switches (IEEE 802.1Qbg VDP bridges such as vdpd) what happens to\n"
	    "this hypervisor's virtual machines.  Start the daemon once, as root; each\n"
	    "command below then asks it to act, waits for every switch's answer, prints\n"
	    "it and exits 0 (all switches accepted), 1 (a switch refused or did not\n"
	    "answer), 2 (bad command) or 3 (no daemon).\n"
	    "\n"
	    "Example: a VM on virtual network 5000, moved from host A to host B\n"
	    "  A# vdp-station daemon -i eth1\n"
	    "  A# vdp-station create-network 5000 bandwidth=50000 dhcp-snooping=on\n"
	    "  A# vdp-station create-vm 5000 4a3c1e2f-0000-4000-8000-000000000001 "
	    "52:54:00:12:34:56\n"
	    "  B# vdp-station daemon -i eth1\n"
	    "  B# vdp-station create-network 5000 bandwidth=50000 dhcp-snooping=on\n"
	    "  B# vdp-station migrate-in 5000 4a3c1e2f-0000-4000-8000-000000000001 "
	    "52:54:00:12:34:56\n"
	    "  A# vdp-station migrate-out 4a3c1e2f-0000-4000-8000-000000000001\n"
	    "  B# vdp-station remove-vm 4a3c1e2f-0000-4000-8000-000000000001\n"
	    "\n"
	    "Networks (VNID: a number; its policy is sent once per switch, with the\n"
	    "network's first VM there):\n"
	    "  create-network VNID [POLICY...] [plain] [links=IF,...]\n"
	    "                     declare a network; 'plain' for switches without the\n"
	    "                     policy extensions (lldpad); links= limits the switches\n"
	    "  update-policy VNID [POLICY...]   replace the policy (Policy Update)\n"
	    "  delete-network VNID              forget a network that has no VM\n"
	    "\n"
	    "VMs (VSIID: the VM's UUID, or a MAC, an IP address, local:32-HEX):\n"
	    "  create-vm VNID VSIID MAC [vid=VID] [ip=IPV4] [preassoc]\n"
	    "                     a new VM: Associate (Pre-Associate with preassoc);\n"
	    "                     vid=0 (default) lets the switch choose the VLAN\n"
	    "  migrate-in VNID VSIID MAC [vid=VID] [ip=IPV4] [preassoc]\n"
	    "                     a VM that arrived from another host (M bit)\n"
	    "  associate VSIID    associate a pre-associated VM, or re-associate one\n"
	    "                     the switch dropped\n"
	    "  migrate-out VSIID  the VM left for another host\n"
	    "  remove-vm VSIID    the VM was deleted\n"
	    "  set-ip VSIID IPV4  the VM's address, for the switch's DHCP help requests\n"
	    "\n"
	    "State:\n"
	    "  list [links|networks|vms]        what the daemon knows\n"
	    "  events [since=SEQ]               switch-initiated events (de-associations,\n"
	    "                                   help requests, EVB timers)\n"
	    "  stop                             stop the daemon\n"
	    "\n"
	    "POLICY words: vlan=VID  bandwidth=RATE[,to-vm|from-vm][,burst=OCTETS]\n"
	    "  (RATE: kbit/s, or with a unit: 500k, 50M, 1G)\n"
	    "  acl=permit|deny[,tcp|udp|icmp|proto=N][,to-vm|from-vm|both][,src=PREFIX]\n"
	    "      [,dst=PREFIX][,sport=P[-Q]][,dport=P[-Q]]\n"
	    "  qos=pcp=N[,dscp=N]  vn=MCAST-GROUP  dhcp-snooping=on|off  igmp-snooping=on|off\n"
	    "\n"
	    "Options:\n"
	    "  -s, --socket SOCKET  the daemon's control socket (default: $VDP_STATION_SOCKET,\n"
	    "                       else " DEFAULT_SOCKET ")\n"
	    "  -j, --json           JSON output\n"
	    "  -n, --no-wait        return once the request is queued\n"
	    "  -w, --wait SECONDS   give up waiting for the answer after this long (%d)\n"
	    "  -h, --help           this text (vdp-station daemon --help: daemon options)\n"
	    "  -V, --version        the version\n"
	    "\n"
	    "See vdp-station(8) and libvdp(3).\n",
	    DEFAULT_WAIT_S);
}

static int connect_to(const char *path, int wait_s)
{
	int fd = ctlsock_connect(path, wait_s);
	if (fd < 0 && errno == ENAMETOOLONG)
		fprintf(stderr, "vdp-station: socket path too long: %s\n", path);
	else if (fd < 0)
		fprintf(stderr,
		        "vdp-station: no daemon at %s (%s); start one with "
		        "'vdp-station daemon -i IFACE'\n",
		        path, strerror(errno));
	return fd;
}

/* Builds the request: the output format, then one line per word, then an
 * empty line.  0, or EX_USAGE after saying why. */
static int build_request(struct strbuf *req, bool json, bool nowait, int argc, char **argv)
{
	sb_printf(req, "%s\n%s", json ? "json" : "text", nowait ? "nowait\n" : "");
	for (int i = 0; i < argc; i++) {
		if (!*argv[i] || strpbrk(argv[i], "\n\r")) {
			fprintf(stderr, "vdp-station: empty argument or one with a line break\n");
			return EX_USAGE;
		}
		sb_printf(req, "%s\n", argv[i]);
	}
	sb_printf(req, "\n");
	if (argc > REQ_MAX_WORDS || req->len > REQ_MAX_BYTES) {
		fprintf(stderr, "vdp-station: command too long\n");
		return EX_USAGE;
	}
	return 0;
}

/* Sends the request, reads the whole answer into ans.  0 or EX_*. */
static int exchange(const char *sock, int wait_s, const struct strbuf *req, struct strbuf *ans)
{
	int fd = connect_to(sock, wait_s);
	if (fd < 0)
		return EX_NODAEMON;
	if (send(fd, req->buf, req->len, MSG_NOSIGNAL) != (ssize_t)req->len) {
		fprintf(stderr, "vdp-station: sending to %s: %s\n", sock, strerror(errno));
		close(fd);
		return EX_NODAEMON;
	}
	char chunk[4096];
	ssize_t n;
	while ((n = recv(fd, chunk, sizeof(chunk), 0)) > 0)
		sb_write(ans, chunk, (size_t)n);
	close(fd);
	if (n < 0) {
		fprintf(stderr,
		        "vdp-station: no answer within %d s (%s); the daemon carries on, see "
		        "'vdp-station list'\n",
		        wait_s, strerror(errno));
		return EX_FAILED;
	}
	return 0;
}

static int client(const char *sock, bool json, bool nowait, int wait_s, int argc, char **argv)
{
	struct strbuf req = STRBUF_INIT, ans = STRBUF_INIT;
	int rc = build_request(&req, json, nowait, argc, argv);
	if (!rc)
		rc = exchange(sock, wait_s, &req, &ans);
	char *nl = !rc && ans.buf ? strchr(ans.buf, '\n') : NULL;
	if (!rc && !nl) {
		fprintf(stderr,
		        "vdp-station: the daemon closed the connection without an answer\n");
		rc = EX_FAILED;
	} else if (!rc) {
		rc = atoi(ans.buf);
		fputs(nl + 1, rc == EX_USAGE && !json ? stderr : stdout);
	}
	sb_free(&req);
	sb_free(&ans);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"socket", required_argument, 0, 's'},
	    {"json", no_argument, 0, 'j'},
	    {"no-wait", no_argument, 0, 'n'},
	    {"wait", required_argument, 0, 'w'},
	    {"help", no_argument, 0, 'h'},
	    {"version", no_argument, 0, 'V'},
	    {0, 0, 0, 0},
	};
	const char *sock = getenv("VDP_STATION_SOCKET");
	bool json = false, nowait = false;
	uint32_t wait_s = DEFAULT_WAIT_S;
	int c;
	if (!sock || !*sock)
		sock = DEFAULT_SOCKET;
	/* '+': options stop at the command, so that its own words (and the
	 * daemon's options) are left alone. */
	while ((c = getopt_long(argc, argv, "+s:jnw:hV", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			sock = optarg;
			break;
		case 'j':
			json = true;
			break;
		case 'n':
			nowait = true;
			break;
		case 'w':
			if (parse_u32(optarg, 86400, &wait_s) < 0 || !wait_s) {
				fprintf(stderr, "vdp-station: --wait '%s': seconds, 1..86400\n",
				        optarg);
				return EX_USAGE;
			}
			break;
		case 'h':
			usage(stdout);
			return EX_OK;
		case 'V':
			printf("vdp-station %s\n", PACKAGE_VERSION);
			return EX_OK;
		default:
			usage(stderr);
			return EX_USAGE;
		}
	}
	if (optind == argc) {
		usage(stderr);
		return EX_USAGE;
	}
	if (!strcmp(argv[optind], "help")) {
		usage(stdout);
		return EX_OK;
	}
	if (!strcmp(argv[optind], "daemon"))
		return daemon_main(argc - optind, argv + optind, sock);
	return client(sock, json, nowait, (int)wait_s, argc - optind, argv + optind);
}
