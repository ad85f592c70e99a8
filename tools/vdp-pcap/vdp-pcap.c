/* SPDX-License-Identifier: ISC */
/* vdp-pcap: decode the EVB, ECP and VDP frames of a capture, or replay its
 * station side against a live bridge and compare the bridge's answers with
 * the captured ones (vdp-pcap(8)).  This file is the command line; the
 * parts are listed in vdp-pcap.h. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vdp-pcap.h"

/* Exit codes: 0 all good, 1 the replay found differences, 2 the command
 * could not do its job (usage, unreadable capture, interface, ...). */
#define EXIT_DIFF  1
#define EXIT_ERROR 2

enum { OPT_VOLATILE = 256, OPT_TIMEOUT }; /* long-only options */

static void usage(FILE *f)
{
	fprintf(f, "Usage: vdp-pcap decode FILE [-j] [-x] [-f FRAMES]\n"
	           "       vdp-pcap replay FILE --iface IF [--timing original|fast]\n"
	           "                [--rewrite-mac OLD=NEW]... [--station-mac MAC]\n"
	           "                [--volatile FIELD[,FIELD...]]... [--timeout SECONDS]\n"
	           "                [--write FILE] [-n] [-v]\n"
	           "Decode the EVB (LLDP), ECP and VDP frames of a capture, or play the\n"
	           "station side of a captured conversation against a live VDP bridge and\n"
	           "compare the bridge's VDPDUs with the captured ones, field by field.\n"
	           "\n"
	           "decode:\n"
	           "  -j, --json              JSON instead of text (the same fields)\n"
	           "  -x, --hex               add each frame's octets\n"
	           "  -f, --frames LIST       only these frames, e.g. 15-18,53\n"
	           "replay:\n"
	           "  -i, --iface IF          the interface the bridge port is behind\n"
	           "  -t, --timing MODE       original: keep the captured timing; fast: send\n"
	           "                          each request once the previous one is answered\n"
	           "                          (default original)\n"
	           "  -m, --rewrite-mac OLD=NEW  replace a MAC address in frames and TLVs\n"
	           "  -s, --station-mac MAC   the station's MAC in the capture (default: the\n"
	           "                          side sending VSI requests and no responses)\n"
	           "      --volatile FIELDS   fields not compared, besides ecp.seq\n"
	           "      --timeout SECONDS   wait at most this long for any bridge VDPDU\n"
	           "                          (default: twice the captured delay, plus 1 s)\n"
	           "  -w, --write FILE        save the replayed frames as a capture\n"
	           "  -n, --dry-run           print the conversation, send nothing\n"
	           "  -v, --verbose           print each frame sent and received\n"
	           "\n"
	           "Exit status: 0 match, 1 differences found, 2 error.  See vdp-pcap(8).\n");
}

/* After a usage error: where to look, not the whole text again. */
static void hint(void)
{
	fprintf(stderr, "Try 'vdp-pcap --help'.\n");
}

/* --- decode --------------------------------------------------------------- */

struct range {
	unsigned lo, hi;
};

struct frame_set {
	struct range v[64];
	size_t n;
};

static int frames_parse(const char *s, struct frame_set *fs)
{
	while (*s) {
		char *end;
		unsigned long lo = strtoul(s, &end, 10), hi = lo;
		if (end == s || fs->n == sizeof(fs->v) / sizeof(fs->v[0]))
			return -1;
		if (*end == '-') {
			s = end + 1;
			hi = strtoul(s, &end, 10);
			if (end == s)
				return -1;
		}
		if (hi < lo || (*end && *end != ','))
			return -1;
		fs->v[fs->n++] = (struct range){(unsigned)lo, (unsigned)hi};
		s = *end ? end + 1 : end;
	}
	return fs->n ? 0 : -1;
}

static bool frames_has(const struct frame_set *fs, unsigned no)
{
	if (!fs->n)
		return true;
	for (size_t i = 0; i < fs->n; i++)
		if (no >= fs->v[i].lo && no <= fs->v[i].hi)
			return true;
	return false;
}

/* Whether the subcommand's options left exactly one word, the capture;
 * says what is wrong otherwise. */
static bool one_capture(const char *sub, int argc)
{
	if (optind == argc - 1)
		return true;
	fprintf(stderr, "vdp-pcap %s: one capture file expected\n", sub);
	hint();
	return false;
}

static int cmd_decode(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"json", no_argument, 0, 'j'},
	    {"hex", no_argument, 0, 'x'},
	    {"frames", required_argument, 0, 'f'},
	    {"help", no_argument, 0, 'h'},
	    {0, 0, 0, 0},
	};
	struct frame_set fs = {.n = 0};
	bool json = false, hex = false;
	int c;
	while ((c = getopt_long(argc, argv, "jxf:h", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'x':
			hex = true;
			break;
		case 'f':
			if (frames_parse(optarg, &fs) < 0) {
				fprintf(stderr, "vdp-pcap: bad frame list '%s' (e.g. 15-18,53)\n",
				        optarg);
				return EXIT_ERROR;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			hint();
			return EXIT_ERROR;
		}
	}
	if (!one_capture("decode", argc))
		return EXIT_ERROR;
	struct capture cap;
	char err[512];
	if (capture_load(argv[optind], &cap, err, sizeof(err)) < 0) {
		fprintf(stderr, "vdp-pcap: %s\n", err);
		return EXIT_ERROR;
	}
	struct emit e;
	emit_init(&e, json ? EMIT_JSON : EMIT_TEXT, stdout, NULL);
	emit_doc_begin(&e);
	for (size_t i = 0; i < cap.n; i++)
		if (frames_has(&fs, cap.v[i].no))
			decode_frame(&e, &cap.v[i], &cap.t0, hex);
	emit_doc_end(&e);
	capture_free(&cap);
	return ferror(stdout) ? EXIT_ERROR : 0;
}

/* --- replay --------------------------------------------------------------- */

static int map_add(struct mac_map *m, size_t *n, size_t cap, const char *arg)
{
	char from[32];
	const char *eq = strchr(arg, '=');
	if (!eq || (size_t)(eq - arg) >= sizeof(from) || *n == cap)
		return -1;
	memcpy(from, arg, (size_t)(eq - arg));
	from[eq - arg] = 0;
	if (mac_parse(from, m[*n].from) < 0 || mac_parse(eq + 1, m[*n].to) < 0)
		return -1;
	(*n)++;
	return 0;
}

static void conv_print(const struct conv *c, size_t nmap)
{
	char s[18], b[18];
	mac_str(c->station, s);
	if (c->have_bridge)
		mac_str(c->bridge, b);
	else
		snprintf(b, sizeof(b), "(none)");
	printf("conversation: station %s, bridge %s%s\n", s, b,
	       nmap ? " (after MAC rewriting)" : "");
	if (c->have_evb)
		printf("ECP timers from the capture's EVB TLV: R %u, RTE %u\n", c->evb.r,
		       c->evb.rte);
	else
		printf("no EVB TLV in the capture: ECP timers R %u, RTE %u (defaults)\n",
		       (unsigned)VDP_EVB_DEFAULT_R, (unsigned)VDP_EVB_DEFAULT_RTE);
	for (size_t i = 0; i < c->nev; i++) {
		const struct conv_ev *ev = &c->ev[i];
		static const char *const what[] = {"station request", "station raw frame",
		                                   "bridge VDPDU"};
		printf("  frame %u  %10.6f  %-17s seq %u", ev->frame, ev->t, what[ev->kind],
		       ev->seq);
		if (ev->kind == EV_STATION_REQ)
			printf("%s, after %u bridge VDPDUs", ev->acked ? ", acked" : ", not acked",
			       ev->need);
		printf("\n");
	}
	printf("%u station frames to send, %u bridge VDPDUs to expect", c->nstation, c->nbridge);
	if (c->nignored)
		printf(", %u frames of other stations ignored", c->nignored);
	printf("\n");
}

static int cmd_replay(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"iface", required_argument, 0, 'i'},
	    {"timing", required_argument, 0, 't'},
	    {"rewrite-mac", required_argument, 0, 'm'},
	    {"station-mac", required_argument, 0, 's'},
	    {"volatile", required_argument, 0, OPT_VOLATILE},
	    {"timeout", required_argument, 0, OPT_TIMEOUT},
	    {"write", required_argument, 0, 'w'},
	    {"dry-run", no_argument, 0, 'n'},
	    {"verbose", no_argument, 0, 'v'},
	    {"help", no_argument, 0, 'h'},
	    {0, 0, 0, 0},
	};
	struct replay_opts o = {.timing = TIMING_ORIGINAL};
	struct mac_map map[16];
	size_t nmap = 0;
	uint8_t station[6];
	bool have_station = false, dry = false;
	int c, rc = EXIT_ERROR;

	if (volatile_add_list(&o.vol, "ecp.seq") < 0)
		return EXIT_ERROR;
	while ((c = getopt_long(argc, argv, "i:t:m:s:w:nvh", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			o.iface = optarg;
			break;
		case 't':
			if (strcmp(optarg, "original") == 0)
				o.timing = TIMING_ORIGINAL;
			else if (strcmp(optarg, "fast") == 0)
				o.timing = TIMING_FAST;
			else {
				fprintf(stderr, "vdp-pcap: --timing is original or fast\n");
				goto out;
			}
			break;
		case 'm':
			if (map_add(map, &nmap, sizeof(map) / sizeof(map[0]), optarg) < 0) {
				fprintf(stderr,
				        "vdp-pcap: bad --rewrite-mac '%s' (OLD=NEW, "
				        "aa:bb:cc:dd:ee:ff; at most 16)\n",
				        optarg);
				goto out;
			}
			break;
		case 's':
			if (mac_parse(optarg, station) < 0) {
				fprintf(stderr, "vdp-pcap: bad --station-mac '%s'\n", optarg);
				goto out;
			}
			have_station = true;
			break;
		case OPT_VOLATILE:
			if (volatile_add_list(&o.vol, optarg) < 0) {
				fprintf(stderr, "vdp-pcap: bad --volatile '%s'\n", optarg);
				goto out;
			}
			break;
		case OPT_TIMEOUT: {
			char *end;
			o.timeout = strtod(optarg, &end);
			if (end == optarg || *end || o.timeout <= 0) {
				fprintf(stderr, "vdp-pcap: bad --timeout '%s' (seconds)\n", optarg);
				goto out;
			}
			break;
		}
		case 'w':
			o.write_path = optarg;
			break;
		case 'n':
			dry = true;
			break;
		case 'v':
			o.verbose = true;
			break;
		case 'h':
			usage(stdout);
			rc = 0;
			goto out;
		default:
			hint();
			goto out;
		}
	}
	if (!one_capture("replay", argc))
		goto out;
	if (!dry && !o.iface) {
		fprintf(stderr, "vdp-pcap replay: --iface is required (or --dry-run)\n");
		goto out;
	}

	struct capture cap;
	struct conv conv;
	char err[512];
	if (capture_load(argv[optind], &cap, err, sizeof(err)) < 0) {
		fprintf(stderr, "vdp-pcap: %s\n", err);
		goto out;
	}
	int built =
	    conv_build(&cap, have_station ? station : NULL, map, nmap, &conv, err, sizeof(err));
	capture_free(&cap);
	if (built < 0) {
		fprintf(stderr, "vdp-pcap: %s: %s\n", argv[optind], err);
		goto out;
	}
	if (dry || o.verbose)
		conv_print(&conv, nmap);
	if (dry) {
		rc = 0;
	} else {
		int n = replay_run(&conv, &o);
		rc = n < 0 ? EXIT_ERROR : n > 0 ? EXIT_DIFF : 0;
	}
	conv_free(&conv);
out:
	volatile_free(&o.vol);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_ERROR;
	}
	const char *cmd = argv[1];
	if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(cmd, "--version") == 0) {
		printf("vdp-pcap %s\n", PACKAGE_VERSION);
		return 0;
	}
	/* getopt starts over on the subcommand's own arguments, and names
	 * argv[0] in its messages. */
	static char decode_name[] = "vdp-pcap decode", replay_name[] = "vdp-pcap replay";
	if (strcmp(cmd, "decode") == 0) {
		argv[1] = decode_name;
		return cmd_decode(argc - 1, argv + 1);
	}
	if (strcmp(cmd, "replay") == 0) {
		argv[1] = replay_name;
		return cmd_replay(argc - 1, argv + 1);
	}
	fprintf(stderr, "vdp-pcap: unknown command '%s' (decode or replay)\n", cmd);
	hint();
	return EXIT_ERROR;
}
