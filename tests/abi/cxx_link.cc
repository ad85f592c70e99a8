/* SPDX-License-Identifier: ISC */
// libvdp from C++: every public header must compile as C++11 with
// -Wall -Wextra -pedantic -Werror (extern "C" guards, no C-only constructs)
// and the program must link against libvdp.la and call across it: error
// texts, EVB negotiation, the version, the ECP engine and a station's life.
// Prints what failed and exits 1; a make check TESTS entry.
#include <vdp/ecp.h>
#include <vdp/ecp_engine.h>
#include <vdp/error.h>
#include <vdp/evb.h>
#include <vdp/export.h>
#include <vdp/format.h>
#include <vdp/rawsock.h>
#include <vdp/station.h>
#include <vdp/tlv.h>
#include <vdp/version.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

static int failures;

static void expect(bool ok, const char *what)
{
	if (!ok) {
		std::fprintf(stderr, "FAIL: %s\n", what);
		failures++;
	}
}

static bool same(const char *a, const char *b)
{
	return a && b && std::strcmp(a, b) == 0;
}

// Callbacks handed to a C library have C language linkage.
extern "C" {
static unsigned frames_sent;
static int count_frame(void *ctx, const uint8_t *frame, size_t len)
{
	(void)ctx;
	(void)frame;
	frames_sent += len > 0;
	return 0;
}
}

static vdp_evb_tlv default_tlv(bool bridge)
{
	vdp_evb_tlv t;
	std::memset(&t, 0, sizeof(t));
	t.bgid = t.rrcap = bridge;
	t.sgid = t.rrreq = !bridge;
	t.r = VDP_EVB_DEFAULT_R;
	t.rte = VDP_EVB_DEFAULT_RTE;
	t.rwd = VDP_EVB_DEFAULT_RWD;
	t.rka = VDP_EVB_DEFAULT_RKA;
	t.mode = bridge ? VDP_EVB_MODE_BRIDGE : VDP_EVB_MODE_STATION;
	return t;
}

// Two default TLVs negotiate to lldpad's own answers (the interop capture
// of check_evb): the station takes the bridge's bits and ROL on the tie;
// the bridge grants reflective relay to a station that asks for it.
static void evb()
{
	const vdp_evb_tlv bridge = default_tlv(true), station = default_tlv(false);
	vdp_evb_tlv out;
	uint8_t info[VDP_EVB_INFO_LEN];
	static const uint8_t station_wants[] = {0x06, 0x0c, 0x68, 0xb4, 0x34};
	static const uint8_t bridge_wants[] = {0x07, 0x0c, 0x68, 0x74, 0x34};

	vdp_evb_negotiate(&station, &bridge, &out);
	expect(out.r == 3 && out.rte == 8 && out.rwd == 20 && out.rka == 20, "negotiated timers");
	expect(out.rol_rwd && out.rol_rka && out.bgid && !out.rrctr, "negotiated station bits");
	expect(vdp_evb_info_encode(&out, info, sizeof(info)) == VDP_EVB_INFO_LEN &&
	           std::memcmp(info, station_wants, sizeof(info)) == 0,
	       "station's negotiated TLV is 06 0c 68 b4 34");
	vdp_evb_negotiate(&bridge, &station, &out);
	expect(out.rrctr, "the bridge grants reflective relay");
	expect(vdp_evb_info_encode(&out, info, sizeof(info)) == VDP_EVB_INFO_LEN &&
	           std::memcmp(info, bridge_wants, sizeof(info)) == 0,
	       "bridge's negotiated TLV is 07 0c 68 74 34");
}

static void engine()
{
	vdp_ecp_engine_cfg cfg;
	std::memset(&cfg, 0, sizeof(cfg));
	cfg.size = sizeof(cfg);
	cfg.send = count_frame;
	cfg.r = VDP_EVB_DEFAULT_R;
	cfg.rte = VDP_EVB_DEFAULT_RTE;
	vdp_ecp_engine *e = vdp_ecp_engine_new(&cfg);
	expect(e != NULL, "vdp_ecp_engine_new");
	if (!e)
		return;
	const uint8_t ulpdu[] = {1, 2, 3};
	expect(vdp_ecp_engine_send(e, ulpdu, sizeof(ulpdu), NULL, 0) == 0, "vdp_ecp_engine_send");
	vdp_ecp_engine_counters c;
	std::memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	expect(vdp_ecp_engine_get_counters(e, &c) == 0 && c.tx_requests == 1, "ECP counters");
	vdp_ecp_engine_free(e);
}

static void station()
{
	static const uint8_t mac[6] = {0x02, 0, 0, 0, 0, 1};
	vdp_station *st = vdp_station_new("cxx-test");
	expect(st != NULL, "vdp_station_new");
	if (!st)
		return;
	expect(same(vdp_station_error(st), ""), "no error yet");
	expect(vdp_station_add_link(st, "l1", mac, count_frame, NULL) == 0, "add_link");
	expect(vdp_station_create_network(st, 5000, NULL, NULL) == 0, "create_network");

	vdp_vm vm;
	std::memset(&vm, 0, sizeof(vm));
	vm.vnid = 5000;
	vm.vsiid_fmt = VDP_VSIID_UUID;
	expect(vdp_vsiid_parse(VDP_VSIID_UUID, "4a3c1e2f-0000-4000-8000-000000000001", vm.vsiid) ==
	           0,
	       "vdp_vsiid_parse");
	std::memcpy(vm.mac, "\x52\x54\x00\x12\x34\x56", 6);
	uint32_t op = 0;
	expect(vdp_station_create_vm(st, &vm, &op) == 0 && op != 0, "create_vm");
	expect(frames_sent > 0, "the station sent its request");

	vdp_station_vm_info vi;
	std::memset(&vi, 0, sizeof(vi));
	vi.size = sizeof(vi);
	expect(vdp_station_vm_at(st, 0, &vi) == 0 && vi.vm.vnid == 5000 && vi.nlinks == 1,
	       "vdp_station_vm_at");
	expect(vi.links[0].state == VDP_VSI_PENDING, "the VM waits for its switch");
	expect(VDP_HAS_FIELD(vdp_station_vm_info, &vi, links), "VDP_HAS_FIELD");
	expect(vdp_station_create_vm(st, &vm, &op) == -EEXIST, "a VSIID twice is refused");
	expect(std::strlen(vdp_station_error(st)) > 0, "and the error says why");
	vdp_station_free(st);
}

int main()
{
	expect(same(vdp_strerror(VDP_E_TLV_OVERRUN), "TLV length runs past the end of the PDU"),
	       "vdp_strerror");
	expect(same(vdp_vsiid_format_name(VDP_VSIID_UUID), "uuid") &&
	           vdp_vsiid_format_parse("mac") == VDP_VSIID_MAC,
	       "vdp_vsiid_format_name / _parse");
	expect(same(vdp_err_name(VDP_E_TRUNCATED), "truncated"), "vdp_err_name");
	expect(same(vdp_version(), VDP_VERSION_STRING), "vdp_version");
	expect(vdp_is_vsi_type(VDP_TLV_ASSOC) && !vdp_is_vsi_type(VDP_TLV_MGRID),
	       "vdp_is_vsi_type");
	evb();
	engine();
	station();
	if (failures)
		return 1;
	std::printf("PASS: libvdp from C++ (%s)\n", vdp_version());
	return 0;
}
