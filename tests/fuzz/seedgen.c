/* SPDX-License-Identifier: ISC */
/* seedgen: writes fuzz seeds for what the lldpad capture cannot provide
 * (our extensions, every VSIID and filter format, responses), by encoding
 * sample structs with libvdp.  Used by tests/fuzz/make-seeds:
 *
 *   seedgen DIR      writes DIR/<target>/ext-<name> for every fuzz target
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <vdp/ecp.h>
#include <vdp/evb.h>
#include <vdp/tlv.h>

static const char *outdir;

static void put(const char *target, const char *name, const uint8_t *buf, int len)
{
	char path[4096];
	if (len < 0) {
		fprintf(stderr, "seedgen: %s/%s: encoding failed: %s\n", target, name,
		        vdp_strerror(len));
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/%s", outdir, target);
	if (mkdir(path, 0777) < 0 && errno != EEXIST) {
		perror(path);
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/%s/ext-%s", outdir, target, name);
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(buf, 1, (size_t)len, f) != (size_t)len || fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

static struct vdp_vsi vsi;

static const struct vdp_vsi *mkvsi(uint8_t type, uint8_t status, uint8_t vsiid_fmt,
                                   uint8_t filter_fmt, unsigned nfilters)
{
	memset(&vsi, 0, sizeof(vsi));
	vsi.type = type;
	vsi.status = status;
	vsi.type_id = 5000;
	vsi.type_ver = 1;
	vsi.vsiid_fmt = vsiid_fmt;
	for (unsigned i = 0; i < VDP_VSIID_LEN; i++)
		vsi.vsiid[i] = (uint8_t)(vsiid_fmt == VDP_VSIID_IPV4  ? (i >= 12 ? 0x10 + i : 0)
		                         : vsiid_fmt == VDP_VSIID_MAC ? (i >= 10 ? 0x10 + i : 0)
		                                                      : 0x11 * i);
	vsi.filter_fmt = filter_fmt;
	vsi.nfilters = (uint16_t)nfilters;
	for (unsigned i = 0; i < nfilters; i++) {
		vsi.filters[i].group = 7 + i;
		vsi.filters[i].mac[0] = 0x52;
		vsi.filters[i].mac[5] = (uint8_t)i;
		vsi.filters[i].ps = i & 1;
		vsi.filters[i].pcp = (uint8_t)(i & 7);
		vsi.filters[i].vid = (uint16_t)(100 + i);
	}
	return &vsi;
}

static struct vdp_policy pol;

static struct vdp_policy_entry *entry(uint8_t type)
{
	struct vdp_policy_entry *e = &pol.entries[pol.nentries++];
	memset(e, 0, sizeof(*e));
	e->type = type;
	return e;
}

static void policy_all(uint8_t type, uint8_t status)
{
	memset(&pol, 0, sizeof(pol));
	pol.type = type;
	pol.status = status;
	pol.vnid = 5000;
	struct vdp_policy_entry *e = entry(VDP_POL_BANDWIDTH);
	e->u.bw.dir = VDP_DIR_FROM_VM;
	e->u.bw.rate_kbps = 50000;
	e->u.bw.burst = 0;
	e = entry(VDP_POL_ACL);
	e->u.acl.action = VDP_ACL_DENY;
	e->u.acl.dir = VDP_DIR_TO_VM;
	e->u.acl.ethertype = 0x86dd;
	e->u.acl.ip_proto = 17;
	e->u.acl.src.family = 6;
	e->u.acl.src.plen = 48;
	e->u.acl.src.addr[0] = 0x20;
	e->u.acl.src.addr[1] = 0x01;
	e->u.acl.dst.family = 4;
	e->u.acl.dst.plen = 32;
	e->u.acl.dst.addr[0] = 10;
	e->u.acl.dst.addr[3] = 1;
	e->u.acl.dport_lo = 67;
	e->u.acl.dport_hi = 68;
	e = entry(VDP_POL_QOS);
	e->u.qos.pcp = 4;
	e->u.qos.dscp = VDP_QOS_UNSET;
	e = entry(VDP_POL_VN);
	e->u.vn.vnid = 5000;
	e->u.vn.family = 4;
	e->u.vn.mcast[0] = 239;
	e->u.vn.mcast[3] = 9;
	entry(VDP_POL_DHCP_SNOOP)->u.enable = true;
	entry(VDP_POL_IGMP_SNOOP)->u.enable = true;
	entry(VDP_POL_VLAN)->u.vid = 100;
	entry(VDP_POL_NONE);
}

/* A policy sync whose second entry has a type this version does not know
 * (0x42): decoders must skip it by its length. */
static int policy_with_unknown(uint8_t *buf, size_t cap)
{
	memset(&pol, 0, sizeof(pol));
	pol.type = VDP_TLV_POLICY_SYNC;
	pol.vnid = 77;
	entry(VDP_POL_DHCP_SNOOP)->u.enable = true;
	int n = vdp_policy_encode(&pol, buf, cap);
	if (n < 0 || (size_t)n + 7 > cap)
		return n < 0 ? n : VDP_E_NOSPACE;
	static const uint8_t unknown[] = {0x42, 0x00, 0x04, 0xde, 0xad, 0xbe, 0xef};
	memcpy(buf + n, unknown, sizeof(unknown));
	n += (int)sizeof(unknown);
	buf[0] = (uint8_t)(buf[0] & 0xfe) | (uint8_t)(((n - 2) >> 8) & 1);
	buf[1] = (uint8_t)(n - 2);
	buf[2 + 5] = 0;
	buf[2 + 6] = 2; /* two entries */
	return n;
}

static int help(uint8_t *buf, size_t cap, int response)
{
	struct vdp_help h;
	memset(&h, 0, sizeof(h));
	h.status = response ? VDP_RESP : 0;
	h.flags = VDP_HELP_DHCP;
	h.vsiid_fmt = VDP_VSIID_UUID;
	for (unsigned i = 0; i < VDP_VSIID_LEN; i++)
		h.vsiid[i] = (uint8_t)(0x11 * i);
	h.mac[0] = 0x52, h.mac[1] = 0x54, h.mac[5] = 1;
	h.vid = 100;
	h.ipv4[0] = 10, h.ipv4[3] = 5;
	return vdp_help_encode(&h, buf, cap);
}

static int mgrid(uint8_t *buf, size_t cap, const char *name)
{
	struct vdp_mgrid m;
	memset(&m, 0, sizeof(m));
	memcpy(m.id, name, strnlen(name, sizeof(m.id))); /* zero padded, not terminated */
	return vdp_mgrid_encode(&m, buf, cap);
}

static int frame(uint8_t *buf, size_t cap, uint8_t op, uint16_t seq, const uint8_t *pdu, size_t len)
{
	struct vdp_ecp_frame f;
	static const uint8_t src[6] = {0x02, 0, 0, 0, 0x02, 0x02};
	memset(&f, 0, sizeof(f));
	memcpy(f.dst, vdp_ecp_ncb_addr, 6);
	memcpy(f.src, src, 6);
	f.hdr.version = VDP_ECP_VERSION;
	f.hdr.op = op;
	f.hdr.subtype = VDP_ECP_SUBTYPE_VDP;
	f.hdr.seq = seq;
	f.ulpdu = pdu;
	f.ulpdu_len = len;
	return vdp_ecp_frame_encode(&f, op == VDP_ECP_OP_REQUEST, buf, cap);
}

int main(int argc, char **argv)
{
	static uint8_t buf[2048], pdu[1500];
	char name[64];
	int n;
	size_t plen;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	outdir = argv[1];

	/* VSI TLVs: every type, VSIID format and filter format. */
	static const char *const tname[] = {"", "preassoc", "preassoc-rr", "assoc", "deassoc"};
	for (uint8_t t = VDP_TLV_PREASSOC; t <= VDP_TLV_DEASSOC; t++) {
		uint8_t fmt = (uint8_t)(t + 1); /* 2..5: IPv6, MAC, local, UUID */
		uint8_t ff = t;                 /* 1..4 */
		snprintf(name, sizeof(name), "%s-fmt%u-filter%u", tname[t], fmt, ff);
		put("vsi", name, buf,
		    vdp_vsi_encode(mkvsi(t, VDP_REQ_M, fmt, ff, 2), buf, sizeof(buf)));
	}
	mkvsi(VDP_TLV_ASSOC, 0, VDP_VSIID_IPV4, VDP_FILTER_VID, 1);
	vsi.filters[0].vid = 0;
	put("vsi", "assoc-ipv4-vid-bridge-chooses", buf, vdp_vsi_encode(&vsi, buf, sizeof(buf)));
	put("vsi", "assoc-response-keep-hard", buf,
	    vdp_vsi_encode(mkvsi(VDP_TLV_ASSOC, VDP_RESP | VDP_RESP_KEEP | VDP_RESP_HARD | 2,
	                         VDP_VSIID_MAC, VDP_FILTER_MAC_VID, 1),
	                   buf, sizeof(buf)));
	put("vsi", "deassoc-no-filters", buf,
	    vdp_vsi_encode(mkvsi(VDP_TLV_DEASSOC, VDP_REQ_S, VDP_VSIID_UUID, VDP_FILTER_VID, 0),
	                   buf, sizeof(buf)));
	put("vsi", "assoc-max-filters", buf,
	    vdp_vsi_encode(mkvsi(VDP_TLV_ASSOC, 0, VDP_VSIID_UUID, VDP_FILTER_VID, VDP_MAX_FILTERS),
	                   buf, sizeof(buf)));

	put("mgrid", "name", buf, mgrid(buf, sizeof(buf), "vdpd-manager"));

	policy_all(VDP_TLV_POLICY_SYNC, 0);
	put("policy", "sync-all-types", buf, vdp_policy_encode(&pol, buf, sizeof(buf)));
	policy_all(VDP_TLV_POLICY_UPDATE, 0);
	pol.entries[3].u.vn.family = 6;
	pol.entries[3].u.vn.mcast[0] = 0xff;
	pol.entries[3].u.vn.mcast[15] = 0x09;
	pol.vnid = 0x01000000u | 5000;
	put("policy", "update-vn6-32bit-vnid", buf, vdp_policy_encode(&pol, buf, sizeof(buf)));
	memset(&pol, 0, sizeof(pol));
	pol.type = VDP_TLV_POLICY_REMOVE;
	pol.vnid = 5000;
	put("policy", "remove", buf, vdp_policy_encode(&pol, buf, sizeof(buf)));
	pol.status = VDP_RESP | VDP_RESP_HARD | VDP_ST_INSUFFICIENT_RESOURCES;
	pol.type = VDP_TLV_POLICY_SYNC;
	put("policy", "sync-response-refused", buf, vdp_policy_encode(&pol, buf, sizeof(buf)));
	put("policy", "sync-unknown-entry", buf, policy_with_unknown(buf, sizeof(buf)));

	put("help", "request", buf, help(buf, sizeof(buf), 0));
	put("help", "response", buf, help(buf, sizeof(buf), 1));

	struct vdp_org org;
	memset(&org, 0, sizeof(org));
	org.oui[0] = 0x00, org.oui[1] = 0x80, org.oui[2] = 0xc2;
	org.len = 5;
	memcpy(org.data, "\x01hint", 5);
	put("org", "ieee", buf, vdp_org_encode(&org, buf, sizeof(buf)));

	struct vdp_evb_tlv evb;
	memset(&evb, 0, sizeof(evb));
	evb.mode = VDP_EVB_MODE_BRIDGE;
	evb.bgid = evb.rrcap = true;
	evb.r = VDP_EVB_DEFAULT_R, evb.rte = VDP_EVB_DEFAULT_RTE;
	evb.rwd = VDP_EVB_DEFAULT_RWD, evb.rka = VDP_EVB_DEFAULT_RKA;
	put("evb", "bridge-tlv", buf, vdp_evb_tlv_encode(&evb, buf, sizeof(buf)));
	n = vdp_evb_info_encode(&evb, buf, sizeof(buf));
	evb.mode = VDP_EVB_MODE_STATION;
	evb.bgid = evb.rrcap = false;
	evb.sgid = evb.rrreq = true;
	evb.rrstat = VDP_EVB_RRSTAT_UNKNOWN;
	evb.rte = 10;
	evb.rol_rka = true;
	if (n > 0)
		n += vdp_evb_info_encode(&evb, buf + n, sizeof(buf) - (size_t)n);
	put("evb", "bridge-station-info", buf, n);
	put("evb", "station-tlv", buf, vdp_evb_tlv_encode(&evb, buf, sizeof(buf)));

	/* PDUs and frames mixing standard and extension TLVs. */
	plen = 0;
	n = mgrid(pdu, sizeof(pdu), "mgr");
	plen += n > 0 ? (size_t)n : 0;
	policy_all(VDP_TLV_POLICY_SYNC, 0);
	n = vdp_policy_encode(&pol, pdu + plen, sizeof(pdu) - plen);
	plen += n > 0 ? (size_t)n : 0;
	n = vdp_vsi_encode(mkvsi(VDP_TLV_ASSOC, VDP_REQ_M, VDP_VSIID_UUID, VDP_FILTER_MAC_VID, 1),
	                   pdu + plen, sizeof(pdu) - plen);
	plen += n > 0 ? (size_t)n : 0;
	n = help(pdu + plen, sizeof(pdu) - plen, 0);
	plen += n > 0 ? (size_t)n : 0;
	n = vdp_org_encode(&org, pdu + plen, sizeof(pdu) - plen);
	plen += n > 0 ? (size_t)n : 0;
	put("pdu", "mgrid-policy-assoc-help-org", pdu, (int)plen);
	put("ecp", "request-mgrid-policy-assoc-help-org", buf,
	    frame(buf, sizeof(buf), VDP_ECP_OP_REQUEST, 7, pdu, plen));
	put("ecp", "ack", buf, frame(buf, sizeof(buf), VDP_ECP_OP_ACK, 7, NULL, 0));

	plen = 0;
	n = help(pdu, sizeof(pdu), 0);
	plen += n > 0 ? (size_t)n : 0;
	put("ecp", "request-help-padded", buf,
	    frame(buf, sizeof(buf), VDP_ECP_OP_REQUEST, 0xffff, pdu, plen));
	return 0;
}
