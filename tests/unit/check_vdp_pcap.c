/* SPDX-License-Identifier: ISC */
/* Unit tests for vdp-pcap's parts that decide things on their own: the
 * output writers (text and JSON from one tree), volatile field patterns,
 * the field comparison, MAC rewriting inside TLVs, and the conversation
 * builder's choice of station (a bridge's unsolicited De-Associate has no
 * response bit either).  The decoding itself is libvdp's, tested by the
 * codec suites; the end-to-end behaviour is in tests/integration. */
#include "testutil.h"

#include "vdp-pcap.h"

/* --- writers -------------------------------------------------------------- */

/* The tree the writer tests share: a frame-like object with leading
 * scalars, a nested object, an array of objects, and scalars after them. */
static void sample(struct emit *e)
{
	static const uint8_t mac[6] = {2, 0, 0, 0, 1, 1};
	emit_doc_begin(e);
	emit_obj_begin(e, NULL);
	emit_uint(e, "frame", 7);
	emit_mac(e, "src", mac);
	emit_obj_begin(e, "ecp");
	emit_enum(e, "op", 1, "ack");
	emit_hexint(e, "raw", 0x40, 2);
	emit_obj_end(e);
	emit_arr_begin(e, "vdp");
	emit_obj_begin(e, NULL);
	emit_bool(e, "m", true);
	emit_str(e, "name", "a \"b\"\\c\n");
	emit_obj_end(e);
	emit_obj_end(e); /* the array */
	emit_bytes(e, "empty", mac, 0);
	emit_fixed6(e, "rel_time", 3055780);
	emit_obj_end(e);
	emit_doc_end(e);
}

static char *render(enum emit_mode mode)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct emit e;
	emit_init(&e, mode, f, NULL);
	sample(&e);
	fclose(f);
	return buf;
}

START_TEST(text_layout)
{
	char *t = render(EMIT_TEXT);
	/* Leading scalars share the object's line; after a nested child the
	 * rest get lines of their own; array elements are labelled. */
	ck_assert_str_eq(t, "frame 7, src 02:00:00:00:01:01\n"
	                    "  ecp: op 1 (ack), raw 0x40\n"
	                    "  vdp[0]: m 1, name \"a \\\"b\\\"\\\\c\\x0a\"\n"
	                    "  empty: -\n"
	                    "  rel_time: 3.055780\n");
	free(t);
}
END_TEST

START_TEST(json_layout)
{
	char *t = render(EMIT_JSON);
	ck_assert_str_eq(t, "[\n"
	                    "  {\n"
	                    "    \"frame\": 7,\n"
	                    "    \"src\": \"02:00:00:00:01:01\",\n"
	                    "    \"ecp\": {\n"
	                    "      \"op\": 1,\n"
	                    "      \"op_name\": \"ack\",\n"
	                    "      \"raw\": 64\n"
	                    "    },\n"
	                    "    \"vdp\": [\n"
	                    "      {\n"
	                    "        \"m\": true,\n"
	                    "        \"name\": \"a \\\"b\\\"\\\\c\\n\"\n"
	                    "      }\n"
	                    "    ],\n"
	                    "    \"empty\": \"\",\n"
	                    "    \"rel_time\": 3.055780\n"
	                    "  }\n"
	                    "]\n");
	free(t);
}
END_TEST

START_TEST(fields_paths)
{
	struct field_list l = {0};
	struct emit e;
	emit_init(&e, EMIT_FIELDS, NULL, &l);
	sample(&e);
	static const char *const want[][2] = {
	    {"frame", "7"},        {"src", "02:00:00:00:01:01"},
	    {"ecp.op", "1 (ack)"}, {"ecp.raw", "0x40"},
	    {"vdp[0].m", "1"},     {"vdp[0].name", "\"a \\\"b\\\"\\\\c\\x0a\""},
	    {"empty", "-"},        {"rel_time", "3.055780"},
	};
	ck_assert_uint_eq(l.n, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < l.n; i++) {
		ck_assert_str_eq(l.v[i].path, want[i][0]);
		ck_assert_str_eq(l.v[i].value, want[i][1]);
	}
	field_list_free(&l);
}
END_TEST

/* --- volatile fields and comparison ----------------------------------------- */

START_TEST(volatile_patterns)
{
	struct volatile_set s = {0};
	ck_assert_int_eq(volatile_add_list(&s, "seq,filters.vid,vdp[1].status"), 0);
	ck_assert(volatile_match(&s, "ecp.seq"));
	ck_assert(!volatile_match(&s, "ecp.sequence"));
	ck_assert(volatile_match(&s, "vdp[1].filters[0].vid"));
	ck_assert(volatile_match(&s, "vdp[3].filters[12].vid"));
	ck_assert(!volatile_match(&s, "vdp[1].filters[0].vidx"));
	ck_assert(!volatile_match(&s, "vdp[1].vsi_type_id"));
	ck_assert(volatile_match(&s, "vdp[1].status.raw"));
	ck_assert(volatile_match(&s, "vdp[1].status.error"));
	ck_assert(!volatile_match(&s, "vdp[2].status.raw"));
	volatile_free(&s);
	ck_assert_int_lt(volatile_add_list(&s, "a,,b"), 0);
	volatile_free(&s);
	ck_assert_int_lt(volatile_add_list(&s, "a,"), 0);
	volatile_free(&s);
}
END_TEST

static void fl_add(struct field_list *l, const char *path, const char *value)
{
	l->v = realloc(l->v, (l->n + 1) * sizeof(*l->v));
	l->v[l->n].path = strdup(path);
	l->v[l->n].value = strdup(value);
	l->n++;
}

START_TEST(compare_reports)
{
	struct field_list want = {0}, got = {0};
	struct volatile_set vol = {0};
	fl_add(&want, "ecp.seq", "1");
	fl_add(&want, "vdp[1].status.raw", "0x41");
	fl_add(&want, "vdp[1].filters[0].vid", "0");
	fl_add(&got, "ecp.seq", "9");
	fl_add(&got, "vdp[1].status.raw", "0x40");
	fl_add(&got, "vdp[1].filters[0].vid", "0");
	fl_add(&got, "vdp[2].type", "5 (manager-id)");
	ck_assert_int_eq(volatile_add_list(&vol, "ecp.seq"), 0);

	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	unsigned n = compare_fields(&want, &got, &vol, "x", f);
	fclose(f);
	ck_assert_uint_eq(n, 2);
	ck_assert_str_eq(buf, "x: vdp[1].status.raw: expected 0x41, got 0x40\n"
	                      "x: vdp[2].type: expected (absent), got 5 (manager-id)\n");
	free(buf);

	f = open_memstream(&buf, &len);
	ck_assert_int_eq(volatile_add_list(&vol, "status,vdp[2]"), 0);
	ck_assert_uint_eq(compare_fields(&want, &got, &vol, "x", f), 0);
	fclose(f);
	ck_assert_str_eq(buf, "");
	free(buf);
	field_list_free(&want);
	field_list_free(&got);
	volatile_free(&vol);
}
END_TEST

/* --- frames ------------------------------------------------------------------ */

#define NCB    "01 80 c2 00 00 00"
#define ST_MAC "02 00 00 00 01 01"
#define BR_MAC "02 00 00 00 02 02"
#define MGRID  "0a 10 62 6c 61 62 6c 61 00 00 00 00 00 00 00 00 00 00"
/* An Associate, MAC VSIID 52:54:00:aa:00:01, two MAC/VID entries. */
#define ASSOC(status, vid)                                                                         \
	"06 29 " status " 00 00 0a 00 03 00 00 00 00 00 00 00 00 00 00 52 54 00 aa 00 01 "         \
	"02 00 02 52 54 00 aa 00 01 " vid " 52 54 00 aa 00 02 " vid
#define DEASSOC(status)                                                                            \
	"08 21 " status " 00 00 0a 00 05 00 11 22 33 44 55 66 77 88 99 aa bb "                     \
	"cc dd ee 01 02 00 01 52 54 00 aa 00 09 00 64"

START_TEST(rewrite_in_tlvs)
{
	uint8_t f[256], want[256];
	size_t n = tu_hex(NCB ST_MAC "89 40 10 01 00 05" MGRID ASSOC("00", "00 64"), f, sizeof(f));
	size_t m =
	    tu_hex(NCB "02 00 00 00 09 09 89 40 10 01 00 05" MGRID
	               "06 29 00 00 00 0a 00 03 00 00 00 00 00 00 00 00 00 00 52 54 00 99 00 01 "
	               "02 00 02 52 54 00 99 00 01 00 64 52 54 00 aa 00 02 00 64",
	           want, sizeof(want));
	struct mac_map map[2];
	mac_parse("02:00:00:00:01:01", map[0].from);
	mac_parse("02:00:00:00:09:09", map[0].to);
	mac_parse("52:54:00:aa:00:01", map[1].from);
	mac_parse("52:54:00:99:00:01", map[1].to);
	rewrite_frame(f, n, map, 2);
	/* Source, VSIID and the first entry change; the second entry, the
	 * VIDs and everything else stay. */
	tu_assert_bytes(f, n, want, m);
}
END_TEST

START_TEST(fields_of_malformed_tlv)
{
	uint8_t f[256];
	size_t n = tu_hex(NCB BR_MAC "89 40 10 01 00 05" MGRID ASSOC("40", "00 64"), f, sizeof(f));
	f[18 + 18 + 2 + 22] = 9; /* filter format 9 */
	struct field_list l = {0};
	decode_fields(f, n, &l);
	bool seen = false;
	for (size_t i = 0; i < l.n; i++) {
		ck_assert_msg(strncmp(l.v[i].path, "ecp.", 4) == 0 ||
		                  strncmp(l.v[i].path, "vdp[", 4) == 0,
		              "%s is not an ECP or VDP field", l.v[i].path);
		if (strcmp(l.v[i].path, "vdp[1].error") == 0) {
			ck_assert_str_eq(l.v[i].value, "filter-format");
			seen = true;
		}
	}
	ck_assert(seen);
	field_list_free(&l);
}
END_TEST

/* --- the conversation ----------------------------------------------------- */

struct cap_builder {
	struct capture c;
	double t;
};

static void cap_add(struct cap_builder *b, const char *hex)
{
	uint8_t buf[512];
	size_t n = tu_hex(hex, buf, sizeof(buf));
	struct timeval ts = {.tv_sec = 1000, .tv_usec = (long)(b->t * 1e6)};
	b->c.v = realloc(b->c.v, (b->c.n + 1) * sizeof(*b->c.v));
	ck_assert_int_eq(frame_fill(&b->c.v[b->c.n], (unsigned)b->c.n + 1, &ts, buf, n, n), 0);
	if (!b->c.n)
		b->c.t0 = ts;
	b->c.n++;
	b->t += 0.01;
}

#define REQ(mac, seq, pdu) NCB mac "89 40 10 01 " seq " " pdu
#define ACK(mac, seq)      NCB mac "89 40 14 01 " seq

/* lldpad's pattern: the bridge's unsolicited De-Associates carry no
 * response bit, yet the station is the side that never answers. */
START_TEST(station_is_not_the_unsolicited_deassociator)
{
	struct cap_builder b = {0};
	cap_add(&b, REQ(ST_MAC, "00 01", MGRID ASSOC("00", "00 00")));
	cap_add(&b, REQ(ST_MAC, "00 01", MGRID ASSOC("00", "00 00"))); /* retransmission */
	cap_add(&b, ACK(BR_MAC, "00 01"));
	cap_add(&b, REQ(BR_MAC, "00 07", MGRID ASSOC("40", "00 64")));
	cap_add(&b, ACK(ST_MAC, "00 07"));
	cap_add(&b, REQ(BR_MAC, "00 08", MGRID DEASSOC("00")));
	cap_add(&b, REQ(BR_MAC, "00 09", MGRID DEASSOC("00")));
	cap_add(&b, REQ(ST_MAC, "00 02", MGRID DEASSOC("00")));               /* never acked */
	cap_add(&b, "01 80 c2 00 00 00 02 00 00 00 03 03 89 40 14 01 00 02"); /* a third MAC */

	struct conv c;
	char err[256];
	ck_assert_msg(conv_build(&b.c, NULL, NULL, 0, &c, err, sizeof(err)) == 0, "%s", err);
	char s[18], br[18];
	mac_str(c.station, s);
	mac_str(c.bridge, br);
	ck_assert_str_eq(s, "02:00:00:00:01:01");
	ck_assert_str_eq(br, "02:00:00:00:02:02");
	ck_assert_uint_eq(c.nev, 5);
	ck_assert_uint_eq(c.nstation, 2);
	ck_assert_uint_eq(c.nbridge, 3);
	ck_assert_uint_eq(c.nignored, 1);
	static const struct {
		enum ev_kind kind;
		unsigned frame, seq, need;
		bool acked;
	} want[] = {
	    {EV_STATION_REQ, 1, 1, 0, true},  {EV_BRIDGE_PDU, 4, 7, 0, false},
	    {EV_BRIDGE_PDU, 6, 8, 1, false},  {EV_BRIDGE_PDU, 7, 9, 2, false},
	    {EV_STATION_REQ, 8, 2, 3, false},
	};
	for (size_t i = 0; i < c.nev; i++) {
		ck_assert_int_eq(c.ev[i].kind, want[i].kind);
		ck_assert_uint_eq(c.ev[i].frame, want[i].frame);
		ck_assert_uint_eq(c.ev[i].seq, want[i].seq);
		ck_assert_uint_eq(c.ev[i].need, want[i].need);
		ck_assert_int_eq(c.ev[i].acked, want[i].acked);
	}
	conv_free(&c);

	/* Told otherwise, the tool believes the user. */
	uint8_t other[6];
	mac_parse("02:00:00:00:02:02", other);
	ck_assert_int_eq(conv_build(&b.c, other, NULL, 0, &c, err, sizeof(err)), 0);
	ck_assert_uint_eq(c.nstation, 3);
	conv_free(&c);
	capture_free(&b.c);
}
END_TEST

START_TEST(two_stations_need_a_choice)
{
	struct cap_builder b = {0};
	cap_add(&b, REQ(ST_MAC, "00 01", MGRID ASSOC("00", "00 00")));
	cap_add(&b, REQ("02 00 00 00 03 03", "00 01", MGRID ASSOC("00", "00 00")));
	struct conv c;
	char err[256];
	ck_assert_int_lt(conv_build(&b.c, NULL, NULL, 0, &c, err, sizeof(err)), 0);
	ck_assert_msg(strstr(err, "--station-mac"), "%s", err);
	capture_free(&b.c);
}
END_TEST

static Suite *vdp_pcap_suite(void)
{
	Suite *s = suite_create("vdp-pcap");
	TCase *tc = tcase_create("writers");
	tcase_add_test(tc, text_layout);
	tcase_add_test(tc, json_layout);
	tcase_add_test(tc, fields_paths);
	suite_add_tcase(s, tc);
	tc = tcase_create("compare");
	tcase_add_test(tc, volatile_patterns);
	tcase_add_test(tc, compare_reports);
	suite_add_tcase(s, tc);
	tc = tcase_create("frames");
	tcase_add_test(tc, rewrite_in_tlvs);
	tcase_add_test(tc, fields_of_malformed_tlv);
	tcase_add_test(tc, station_is_not_the_unsolicited_deassociator);
	tcase_add_test(tc, two_stations_need_a_choice);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run(vdp_pcap_suite());
}
