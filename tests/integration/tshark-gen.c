/* SPDX-License-Identifier: ISC */
/* tshark-gen: writes a capture of ECP/VDP frames built with libvdp's
 * encoders, and a TSV of the values that went into them, so that
 * tshark-crosscheck.sh can compare them with what tshark's independent
 * ecp21/vdp21 dissectors read back.
 *
 *   tshark-gen OUT.pcap OUT.tsv
 *
 * The TSV holds what was ENCODED: every value comes from the struct handed
 * to the encoder, and every TLV length is computed here from the wire
 * layout (vdp-protocol(7)), not taken from the encoder or from a decoder.
 * Lines (tab separated, numbers in decimal, octet strings in lower-case hex):
 *
 *   frame <n> <ver> <op> <subtype> <seq> <description>
 *   tlv   <n> <index> <type> <len> <kind> key=value ...
 *
 * kind is vsi, mgrid, policy, help or org; the keys are listed in each
 * tsv_* function below.
 */
#include <pcap/pcap.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vdp/ecp.h>
#include <vdp/tlv.h>

static const uint8_t station_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x01, 0x01};
static const uint8_t bridge_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x02, 0x02};

static pcap_dumper_t *dumper;
static FILE *tsv;
static unsigned frame_no; /* of the frame being built, 1-based as in tshark */

/* The ULPDU of the frame being built. */
static uint8_t ulpdu[VDP_ECP_MAX_ULPDU];
static size_t ulpdu_len;
static unsigned ntlv;

__attribute__((format(printf, 1, 2))) static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "tshark-gen: frame %u: ", frame_no);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(99);
}

static void hex(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(tsv, "%02x", p[i]);
}

/* --- lengths from the wire layout, independent of the encoder --------- */

static size_t filter_entry_octets(unsigned fmt)
{
	switch (fmt) {
	case VDP_FILTER_VID:
		return 2; /* PS|PCP|VID */
	case VDP_FILTER_MAC_VID:
		return 6 + 2; /* MAC, PS|PCP|VID */
	case VDP_FILTER_GROUP_VID:
		return 4 + 2; /* GroupID, PS|PCP|VID */
	case VDP_FILTER_GROUP_MAC_VID:
		return 4 + 6 + 2;
	default:
		die("bad filter format %u", fmt);
	}
	return 0;
}

static size_t policy_info_octets(const struct vdp_policy_entry *e)
{
	switch (e->type) {
	case VDP_POL_NONE:
		return 0;
	case VDP_POL_BANDWIDTH:
		return 1 + 4 + 4;
	case VDP_POL_ACL:
		return 1 + 1 + 2 + 1 + 2 * (1 + 1 + 16) + 4 * 2;
	case VDP_POL_QOS:
		return 2;
	case VDP_POL_VN:
		return 4 + 1 + (e->u.vn.family == 6 ? 16 : 4);
	case VDP_POL_DHCP_SNOOP:
	case VDP_POL_IGMP_SNOOP:
		return 1;
	case VDP_POL_VLAN:
		return 2;
	default:
		die("bad policy type %u", e->type);
	}
	return 0;
}

/* --- frame assembly --------------------------------------------------- */

static void begin(void)
{
	frame_no++;
	ulpdu_len = 0;
	ntlv = 0;
}

/* Records the TLV the encoder just wrote (rc octets) and starts the TSV
 * line; the caller adds its keys and the newline. */
static void tlv_line(int rc, unsigned type, size_t len, const char *kind)
{
	if (rc < 0)
		die("encoding a %s TLV failed: %s", kind, vdp_strerror(rc));
	ulpdu_len += (size_t)rc;
	fprintf(tsv, "tlv\t%u\t%u\t%u\t%zu\t%s", frame_no, ntlv++, type, len, kind);
}

static void add_mgrid(const char *name)
{
	struct vdp_mgrid m;
	memset(&m, 0, sizeof(m));
	memcpy(m.id, name, strnlen(name, sizeof(m.id))); /* zero padded, not terminated */
	int rc = vdp_mgrid_encode(&m, ulpdu + ulpdu_len, sizeof(ulpdu) - ulpdu_len);
	tlv_line(rc, VDP_TLV_MGRID, VDP_MGRID_LEN, "mgrid");
	fputs("\tid=", tsv);
	hex(m.id, sizeof(m.id));
	fputc('\n', tsv);
}

static void add_vsi(const struct vdp_vsi *v)
{
	size_t len = 25 + v->nfilters * filter_entry_octets(v->filter_fmt);
	int rc = vdp_vsi_encode(v, ulpdu + ulpdu_len, sizeof(ulpdu) - ulpdu_len);
	tlv_line(rc, v->type, len, "vsi");
	fprintf(tsv, "\tstatus=%u\ttype_id=%u\ttype_ver=%u\tvsiid_fmt=%u\tvsiid=", v->status,
	        v->type_id, v->type_ver, v->vsiid_fmt);
	hex(v->vsiid, sizeof(v->vsiid));
	fprintf(tsv, "\tfilter_fmt=%u\tnfilters=%u\n", v->filter_fmt, v->nfilters);
}

static void add_policy(const struct vdp_policy *p)
{
	size_t len = 7;
	for (unsigned i = 0; i < p->nentries; i++)
		len += 3 + policy_info_octets(&p->entries[i]);
	int rc = vdp_policy_encode(p, ulpdu + ulpdu_len, sizeof(ulpdu) - ulpdu_len);
	tlv_line(rc, p->type, len, "policy");
	fprintf(tsv, "\tstatus=%u\tvnid=%u\tnentries=%u\n", p->status, p->vnid, p->nentries);
}

static void add_help(const struct vdp_help *h)
{
	int rc = vdp_help_encode(h, ulpdu + ulpdu_len, sizeof(ulpdu) - ulpdu_len);
	tlv_line(rc, VDP_TLV_HELP, 1 + 1 + 1 + 16 + 6 + 2 + 4, "help");
	fprintf(tsv, "\tstatus=%u\tflags=%u\tvsiid_fmt=%u\tvsiid=", h->status, h->flags,
	        h->vsiid_fmt);
	hex(h->vsiid, sizeof(h->vsiid));
	fprintf(tsv, "\tvid=%u\n", h->vid);
}

static void add_org(const uint8_t oui[3], const char *data)
{
	struct vdp_org o;
	memset(&o, 0, sizeof(o));
	memcpy(o.oui, oui, 3);
	o.len = (uint16_t)strlen(data);
	memcpy(o.data, data, o.len);
	int rc = vdp_org_encode(&o, ulpdu + ulpdu_len, sizeof(ulpdu) - ulpdu_len);
	tlv_line(rc, VDP_TLV_ORG, 3 + o.len, "org");
	fprintf(tsv, "\toui=%u\n", (unsigned)(oui[0] << 16 | oui[1] << 8 | oui[2]));
}

/* Encodes the ECP frame around the ULPDU built so far and dumps it. */
static void finish(int from_bridge, unsigned op, unsigned subtype, unsigned seq, const char *desc)
{
	struct vdp_ecp_frame f;
	uint8_t buf[VDP_ETH_HDR_LEN + VDP_ECP_HDR_LEN + VDP_ECP_MAX_ULPDU];

	memset(&f, 0, sizeof(f));
	memcpy(f.dst, vdp_ecp_ncb_addr, 6);
	memcpy(f.src, from_bridge ? bridge_mac : station_mac, 6);
	f.hdr.version = VDP_ECP_VERSION;
	f.hdr.op = (uint8_t)op;
	f.hdr.subtype = (uint16_t)subtype;
	f.hdr.seq = (uint16_t)seq;
	f.ulpdu = ulpdu_len ? ulpdu : NULL;
	f.ulpdu_len = ulpdu_len;
	/* Requests are padded as the standard asks; acks are sent as is. */
	int rc = vdp_ecp_frame_encode(&f, op == VDP_ECP_OP_REQUEST, buf, sizeof(buf));
	if (rc < 0)
		die("vdp_ecp_frame_encode: %s", vdp_strerror(rc));

	struct pcap_pkthdr ph;
	memset(&ph, 0, sizeof(ph));
	ph.ts.tv_sec = (time_t)frame_no;
	ph.caplen = ph.len = (bpf_u_int32)rc;
	pcap_dump((u_char *)dumper, &ph, buf);
	fprintf(tsv, "frame\t%u\t%u\t%u\t%u\t%u\t%s\n", frame_no, f.hdr.version, f.hdr.op,
	        f.hdr.subtype, f.hdr.seq, desc);
}

static void ack(int from_bridge, unsigned subtype, unsigned seq)
{
	begin();
	finish(from_bridge, VDP_ECP_OP_ACK, subtype, seq, "ECP ack");
}

/* --- sample structs --------------------------------------------------- */

/* A VSIID of the given format, with `n` making each one different. */
static void fill_vsiid(uint8_t fmt, unsigned n, uint8_t id[VDP_VSIID_LEN])
{
	memset(id, 0, VDP_VSIID_LEN);
	switch (fmt) {
	case VDP_VSIID_IPV4: /* 192.0.2.n, right-aligned */
		id[12] = 192, id[13] = 0, id[14] = 2, id[15] = (uint8_t)n;
		break;
	case VDP_VSIID_IPV6: /* 2001:db8::n */
		id[0] = 0x20, id[1] = 0x01, id[2] = 0x0d, id[3] = 0xb8, id[15] = (uint8_t)n;
		break;
	case VDP_VSIID_MAC: /* 02:00:5e:00:53:n, right-aligned */
		id[10] = 0x02, id[11] = 0x00, id[12] = 0x5e, id[13] = 0x00, id[14] = 0x53;
		id[15] = (uint8_t)n;
		break;
	case VDP_VSIID_LOCAL:
		for (unsigned i = 0; i < VDP_VSIID_LEN; i++)
			id[i] = (uint8_t)(0xf0 - i * 7 + n);
		break;
	case VDP_VSIID_UUID: /* 00112233-4455-6677-8899-aabbccddeeNN */
		for (unsigned i = 0; i < VDP_VSIID_LEN; i++)
			id[i] = (uint8_t)(i * 0x11);
		id[15] = (uint8_t)n;
		break;
	}
}

static struct vdp_vsi vsi;

/* Fills the static `vsi` (it holds up to 243 filters: keep it off the
 * stack) and returns it. */
static const struct vdp_vsi *mkvsi(uint8_t type, uint8_t status, uint32_t type_id, uint8_t type_ver,
                                   uint8_t vsiid_fmt, unsigned n, uint8_t filter_fmt,
                                   unsigned nfilters, uint16_t vid0)
{
	memset(&vsi, 0, sizeof(vsi));
	vsi.type = type;
	vsi.status = status;
	vsi.type_id = type_id;
	vsi.type_ver = type_ver;
	vsi.vsiid_fmt = vsiid_fmt;
	fill_vsiid(vsiid_fmt, n, vsi.vsiid);
	vsi.filter_fmt = filter_fmt;
	vsi.nfilters = (uint16_t)nfilters;
	for (unsigned i = 0; i < nfilters; i++) {
		struct vdp_filter *f = &vsi.filters[i];
		f->group = 0x00010000u + i * 0x101;
		f->mac[0] = 0x52, f->mac[1] = 0x54, f->mac[2] = 0x00;
		f->mac[3] = 0xaa, f->mac[4] = (uint8_t)n, f->mac[5] = (uint8_t)i;
		f->ps = i & 1;
		f->pcp = (uint8_t)(i % 8);
		f->vid = vid0 ? (uint16_t)((vid0 + i) % 4095) : 0;
	}
	return &vsi;
}

static struct vdp_policy pol;

static void policy_begin(uint8_t type, uint8_t status, uint32_t vnid)
{
	memset(&pol, 0, sizeof(pol));
	pol.type = type;
	pol.status = status;
	pol.vnid = vnid;
}

static struct vdp_policy_entry *policy_entry(uint8_t type)
{
	struct vdp_policy_entry *e = &pol.entries[pol.nentries++];
	e->type = type;
	return e;
}

static void policy_all_types(void)
{
	struct vdp_policy_entry *e = policy_entry(VDP_POL_BANDWIDTH);
	e->u.bw.dir = VDP_DIR_FROM_VM;
	e->u.bw.rate_kbps = 100000;
	e->u.bw.burst = 65536;

	e = policy_entry(VDP_POL_ACL);
	e->u.acl.action = VDP_ACL_PERMIT;
	e->u.acl.dir = VDP_DIR_BOTH;
	e->u.acl.ethertype = 0x0800;
	e->u.acl.ip_proto = 6;
	e->u.acl.src.family = 4;
	e->u.acl.src.plen = 24;
	e->u.acl.src.addr[0] = 198, e->u.acl.src.addr[1] = 51, e->u.acl.src.addr[2] = 100;
	e->u.acl.dst.family = 6;
	e->u.acl.dst.plen = 64;
	e->u.acl.dst.addr[0] = 0x20, e->u.acl.dst.addr[1] = 0x01;
	e->u.acl.dst.addr[2] = 0x0d, e->u.acl.dst.addr[3] = 0xb8;
	e->u.acl.sport_lo = 1024;
	e->u.acl.sport_hi = 65535;
	e->u.acl.dport_lo = e->u.acl.dport_hi = 443;

	e = policy_entry(VDP_POL_QOS);
	e->u.qos.pcp = 5;
	e->u.qos.dscp = 46;

	e = policy_entry(VDP_POL_VN);
	e->u.vn.vnid = 5000;
	e->u.vn.family = 4;
	e->u.vn.mcast[0] = 239, e->u.vn.mcast[1] = 1, e->u.vn.mcast[2] = 2, e->u.vn.mcast[3] = 3;

	e = policy_entry(VDP_POL_DHCP_SNOOP);
	e->u.enable = true;
	e = policy_entry(VDP_POL_IGMP_SNOOP);
	e->u.enable = false;
	e = policy_entry(VDP_POL_VLAN);
	e->u.vid = 0; /* the switch chooses */
	policy_entry(VDP_POL_NONE);
}

static void help(int response, uint8_t vsiid_fmt, unsigned n, uint16_t vid)
{
	struct vdp_help h;
	memset(&h, 0, sizeof(h));
	h.status = response ? VDP_RESP : 0;
	h.flags = VDP_HELP_DHCP;
	h.vsiid_fmt = vsiid_fmt;
	fill_vsiid(vsiid_fmt, n, h.vsiid);
	h.mac[0] = 0x52, h.mac[1] = 0x54, h.mac[5] = (uint8_t)n;
	h.ps = true;
	h.pcp = 3;
	h.vid = vid;
	h.ipv4[0] = 10, h.ipv4[3] = (uint8_t)n;
	add_help(&h);
}

/* --- the capture ------------------------------------------------------ */

static void frames(void)
{
	const int ST = 0, BR = 1;
	enum { REQ = VDP_ECP_OP_REQUEST, VDP = VDP_ECP_SUBTYPE_VDP };
	const uint8_t R = VDP_RESP, K = VDP_RESP_KEEP, H = VDP_RESP_HARD;

	/* What lldpad does: Manager ID first, then one VSI TLV. */
	begin();
	add_mgrid("blabla");
	add_vsi(mkvsi(VDP_TLV_ASSOC, 0, 5, 4, VDP_VSIID_UUID, 1, VDP_FILTER_MAC_VID, 1, 0));
	finish(ST, REQ, VDP, 1, "assoc request, UUID, MAC/VID, VID 0 (bridge chooses)");
	ack(BR, VDP, 1);
	begin();
	add_mgrid("blabla");
	add_vsi(mkvsi(VDP_TLV_ASSOC, R, 5, 4, VDP_VSIID_UUID, 1, VDP_FILTER_MAC_VID, 1, 100));
	finish(BR, REQ, VDP, 1, "assoc response success, VID 100 assigned");
	ack(ST, VDP, 1);

	/* Every VSI TLV type, every VSIID format, every filter format,
	 * request S and M bits. */
	begin();
	add_mgrid("mgr-2");
	add_vsi(mkvsi(VDP_TLV_PREASSOC, 0, 0x000100, 1, VDP_VSIID_IPV4, 2, VDP_FILTER_VID, 3, 10));
	finish(ST, REQ, VDP, 2, "pre-assoc request, IPv4 VSIID, VID filter x3");
	begin();
	add_vsi(mkvsi(VDP_TLV_PREASSOC_RR, VDP_REQ_M, 0x00abcd, 2, VDP_VSIID_IPV6, 3,
	              VDP_FILTER_GROUP_VID, 2, 200));
	finish(ST, REQ, VDP, 3, "pre-assoc-rr request, IPv6 VSIID, GroupID/VID, M bit");
	begin();
	add_vsi(mkvsi(VDP_TLV_ASSOC, VDP_REQ_M, 0x123456, 7, VDP_VSIID_MAC, 4,
	              VDP_FILTER_GROUP_MAC_VID, 2, 4094));
	finish(ST, REQ, VDP, 4, "assoc request, MAC VSIID, GroupID/MAC/VID, M bit (migrated in)");
	begin();
	add_vsi(mkvsi(VDP_TLV_ASSOC, VDP_REQ_S, 0xfffffe, 0xfe, VDP_VSIID_LOCAL, 5, VDP_FILTER_VID,
	              1, 1));
	finish(ST, REQ, VDP, 5, "assoc request, local VSIID, S bit (migrating away)");
	begin();
	add_vsi(mkvsi(VDP_TLV_DEASSOC, VDP_REQ_M | VDP_REQ_S, 0xffffff, 0xff, VDP_VSIID_UUID, 6,
	              VDP_FILTER_MAC_VID, 2, 300));
	finish(ST, REQ, VDP, 6, "de-assoc request, UUID, M and S bits, max type id/version");

	/* Responses: KEEP, HARD and every error code. */
	begin();
	add_vsi(mkvsi(VDP_TLV_ASSOC, R | K | VDP_ST_INSUFFICIENT_RESOURCES, 7, 1, VDP_VSIID_IPV4, 7,
	              VDP_FILTER_VID, 1, 0));
	finish(BR, REQ, VDP, 7, "assoc response KEEP, insufficient resources");
	begin();
	add_vsi(mkvsi(VDP_TLV_ASSOC, R | H | VDP_ST_INVALID_VID, 8, 1, VDP_VSIID_MAC, 8,
	              VDP_FILTER_MAC_VID, 1, 4000));
	finish(BR, REQ, VDP, 8, "assoc response HARD, invalid VID/GroupID/MAC");
	begin();
	add_vsi(mkvsi(VDP_TLV_PREASSOC, R | K | H | VDP_ST_OTHER_FAILURE, 9, 1, VDP_VSIID_LOCAL, 9,
	              VDP_FILTER_GROUP_VID, 1, 9));
	finish(BR, REQ, VDP, 9, "pre-assoc response KEEP+HARD, other failure");
	begin();
	add_mgrid("mgr-10");
	add_vsi(mkvsi(VDP_TLV_ASSOC, R | VDP_ST_INVALID_FORMAT, 10, 2, VDP_VSIID_UUID, 10,
	              VDP_FILTER_VID, 1, 10));
	add_vsi(mkvsi(VDP_TLV_DEASSOC, R | H | VDP_ST_NO_VSI_MANAGER, 11, 3, VDP_VSIID_IPV6, 11,
	              VDP_FILTER_GROUP_MAC_VID, 1, 11));
	finish(BR, REQ, VDP, 10, "two responses: invalid format; HARD, no VSI manager");
	ack(ST, VDP, 10);

	/* Bridge-initiated de-associate (no response bit) and a mixed PDU. */
	begin();
	add_vsi(mkvsi(VDP_TLV_DEASSOC, 0, 12, 1, VDP_VSIID_UUID, 12, VDP_FILTER_MAC_VID, 1, 12));
	finish(BR, REQ, VDP, 0x7fff, "unsolicited de-assoc from the bridge");
	begin();
	add_mgrid("mixed");
	add_vsi(
	    mkvsi(VDP_TLV_PREASSOC, VDP_REQ_M, 13, 1, VDP_VSIID_MAC, 13, VDP_FILTER_VID, 1, 13));
	add_vsi(
	    mkvsi(VDP_TLV_ASSOC, VDP_REQ_S, 14, 1, VDP_VSIID_IPV4, 14, VDP_FILTER_MAC_VID, 2, 14));
	add_vsi(mkvsi(VDP_TLV_DEASSOC, R | K | VDP_ST_SUCCESS, 15, 1, VDP_VSIID_LOCAL, 15,
	              VDP_FILTER_GROUP_VID, 1, 15));
	add_vsi(mkvsi(VDP_TLV_ASSOC, VDP_REQ_M | VDP_REQ_S, 16, 1, VDP_VSIID_IPV6, 16,
	              VDP_FILTER_VID, 0, 0));
	finish(ST, REQ, VDP, 0xfffe, "mixed PDU: pre-assoc M, assoc S, de-assoc KEEP, no filters");

	/* Sizes: many filters, and the largest VSI TLV (length 511 uses the
	 * top bit of the 9-bit length, which shares an octet with the type). */
	begin();
	add_vsi(
	    mkvsi(VDP_TLV_ASSOC, 0, 17, 1, VDP_VSIID_UUID, 17, VDP_FILTER_GROUP_MAC_VID, 20, 1000));
	finish(ST, REQ, VDP, 0xffff, "assoc request with 20 GroupID/MAC/VID filters");
	begin();
	add_vsi(mkvsi(VDP_TLV_DEASSOC, R, 18, 1, VDP_VSIID_IPV4, 18, VDP_FILTER_VID,
	              VDP_MAX_FILTERS, 1));
	finish(BR, REQ, VDP, 0, "de-assoc response with 243 VID filters (TLV length 511)");

	/* Our extensions: tshark knows neither the types nor their bodies,
	 * but reads their TLV headers (type, length) and steps over them. */
	begin();
	policy_begin(VDP_TLV_POLICY_SYNC, 0, 5000);
	policy_all_types();
	add_policy(&pol);
	finish(ST, REQ, VDP, 1, "policy sync with every policy type");
	begin();
	policy_begin(VDP_TLV_POLICY_SYNC, R, 5000);
	add_policy(&pol);
	finish(BR, REQ, VDP, 1, "policy sync response");
	begin();
	policy_begin(VDP_TLV_POLICY_UPDATE, 0, 0xab000001u);
	struct vdp_policy_entry *e = policy_entry(VDP_POL_VN);
	e->u.vn.vnid = 0xab000001u;
	e->u.vn.family = 6;
	e->u.vn.mcast[0] = 0xff, e->u.vn.mcast[1] = 0x15, e->u.vn.mcast[15] = 1;
	e = policy_entry(VDP_POL_QOS);
	e->u.qos.pcp = VDP_QOS_UNSET;
	e->u.qos.dscp = 10;
	add_policy(&pol);
	add_mgrid("mgr-upd");
	finish(ST, REQ, VDP, 2, "policy update, 32-bit VNID, VN IPv6 + QoS; then Manager ID");
	begin();
	policy_begin(VDP_TLV_POLICY_REMOVE, 0, 5000);
	add_policy(&pol);
	add_vsi(mkvsi(VDP_TLV_DEASSOC, 0, 5000, 0, VDP_VSIID_MAC, 19, VDP_FILTER_MAC_VID, 1, 19));
	finish(ST, REQ, VDP, 3, "policy remove (no entries) + de-assoc");
	begin();
	help(0, VDP_VSIID_MAC, 20, 20);
	finish(BR, REQ, VDP, 4, "help request (bridge asks for a DHCP re-request)");
	begin();
	help(1, VDP_VSIID_UUID, 21, 21);
	finish(ST, REQ, VDP, 4, "help response");
	begin();
	static const uint8_t oui_ex[3] = {0x00, 0x11, 0x22}, oui_ieee[3] = {0x00, 0x80, 0xc2};
	add_org(oui_ex, "opaque");
	add_vsi(mkvsi(VDP_TLV_ASSOC, 0, 22, 1, VDP_VSIID_UUID, 22, VDP_FILTER_VID, 1, 22));
	add_org(oui_ieee, "");
	finish(ST, REQ, VDP, 5, "org TLVs around an assoc request");

	/* ECP corner cases. */
	ack(BR, VDP_ECP_SUBTYPE_PECSP, 42);
	ack(BR, VDP, 0xffff);
	begin();
	add_mgrid("x");
	finish(ST, REQ, VDP, 0x8000, "short request padded to 60 octets");
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s OUT.pcap OUT.tsv\n", argv[0]);
		return 2;
	}
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 65535);
	if (!p) {
		fprintf(stderr, "tshark-gen: pcap_open_dead failed\n");
		return 99;
	}
	dumper = pcap_dump_open(p, argv[1]);
	if (!dumper) {
		fprintf(stderr, "tshark-gen: %s: %s\n", argv[1], pcap_geterr(p));
		return 99;
	}
	tsv = fopen(argv[2], "w");
	if (!tsv) {
		perror(argv[2]);
		return 99;
	}
	fputs("# frame\tn\tver\top\tsubtype\tseq\tdescription\n"
	      "# tlv\tn\tindex\ttype\tlen\tkind\tkey=value...\n",
	      tsv);
	frames();
	pcap_dump_close(dumper);
	pcap_close(p);
	if (fclose(tsv) != 0) {
		perror(argv[2]);
		return 99;
	}
	return 0;
}
