/* SPDX-License-Identifier: ISC */
/* Helpers shared by the Check unit tests; see testutil.h. */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

size_t tu_hex(const char *text, uint8_t *buf, size_t cap)
{
	size_t n = 0;
	int hi = -1;

	for (const char *p = text; *p; p++) {
		if (*p == ' ' || *p == ':' || *p == '-' || *p == '.' || *p == '|' || *p == '\n' ||
		    *p == '\t')
			continue;
		int v = hexval(*p);
		ck_assert_msg(v >= 0, "bad hex digit '%c' in \"%s\"", *p, text);
		if (hi < 0) {
			hi = v;
			continue;
		}
		ck_assert_msg(n < cap, "hex text longer than %zu octets", cap);
		buf[n++] = (uint8_t)(hi << 4 | v);
		hi = -1;
	}
	ck_assert_msg(hi < 0, "odd number of hex digits in \"%s\"", text);
	return n;
}

const char *tu_hexstr(const uint8_t *buf, size_t len, char *out, size_t cap)
{
	size_t o = 0;

	out[0] = '\0';
	for (size_t i = 0; i < len; i++) {
		if (o + 8 >= cap) {
			snprintf(out + o, cap - o, "...");
			break;
		}
		o += (size_t)snprintf(out + o, cap - o, i ? " %02x" : "%02x", buf[i]);
	}
	return out;
}

void tu_assert_bytes_at(const char *file, int line, const uint8_t *a, size_t alen, const uint8_t *b,
                        size_t blen)
{
	static char sa[4096], sb[4096];
	size_t first = 0;

	while (first < alen && first < blen && a[first] == b[first])
		first++;
	if (alen == blen && first == alen)
		return;
	tu_hexstr(a, alen, sa, sizeof(sa));
	tu_hexstr(b, blen, sb, sizeof(sb));
	ck_abort_msg("%s:%d: bytes differ at offset %zu (lengths %zu and %zu):\n  got      %s\n"
	             "  expected %s",
	             file, line, first, alen, blen, sa, sb);
}

void tu_assert_hex_at(const char *file, int line, int r, const uint8_t *buf, const char *hex)
{
	uint8_t want[2048];
	size_t n = tu_hex(hex, want, sizeof(want));

	ck_assert_msg(r >= 0, "%s:%d: encoder failed with %d (%s), expected %zu octets", file, line,
	              r, vdp_err_name(r), n);
	tu_assert_bytes_at(file, line, buf, (size_t)r, want, n);
}

uint8_t *tu_dup(const uint8_t *buf, size_t len)
{
	uint8_t *p = malloc(len ? len : 1);

	ck_assert_ptr_nonnull(p);
	if (len)
		memcpy(p, buf, len);
	return p;
}

int tu_vdp_prefix_err(size_t k)
{
	return k < VDP_TLV_HDR_LEN ? VDP_E_TRUNCATED : VDP_E_TLV_OVERRUN;
}

void tu_assert_ecp_hdr_eq(const struct vdp_ecp_hdr *a, const struct vdp_ecp_hdr *b)
{
	ck_assert_uint_eq(a->version, b->version);
	ck_assert_uint_eq(a->op, b->op);
	ck_assert_uint_eq(a->subtype, b->subtype);
	ck_assert_uint_eq(a->seq, b->seq);
}

void tu_assert_evb_eq(const struct vdp_evb_tlv *a, const struct vdp_evb_tlv *b)
{
	ck_assert_int_eq(a->bgid, b->bgid);
	ck_assert_int_eq(a->rrcap, b->rrcap);
	ck_assert_int_eq(a->rrctr, b->rrctr);
	ck_assert_int_eq(a->sgid, b->sgid);
	ck_assert_int_eq(a->rrreq, b->rrreq);
	ck_assert_uint_eq(a->rrstat, b->rrstat);
	ck_assert_uint_eq(a->r, b->r);
	ck_assert_uint_eq(a->rte, b->rte);
	ck_assert_uint_eq(a->mode, b->mode);
	ck_assert_int_eq(a->rol_rwd, b->rol_rwd);
	ck_assert_uint_eq(a->rwd, b->rwd);
	ck_assert_int_eq(a->rol_rka, b->rol_rka);
	ck_assert_uint_eq(a->rka, b->rka);
}

void tu_assert_mgrid_eq(const struct vdp_mgrid *a, const struct vdp_mgrid *b)
{
	tu_assert_bytes(a->id, VDP_MGRID_LEN, b->id, VDP_MGRID_LEN);
}

void tu_assert_vsi_eq(const struct vdp_vsi *a, const struct vdp_vsi *b)
{
	ck_assert_uint_eq(a->type, b->type);
	ck_assert_uint_eq(a->status, b->status);
	ck_assert_uint_eq(a->type_id, b->type_id);
	ck_assert_uint_eq(a->type_ver, b->type_ver);
	ck_assert_uint_eq(a->vsiid_fmt, b->vsiid_fmt);
	tu_assert_bytes(a->vsiid, VDP_VSIID_LEN, b->vsiid, VDP_VSIID_LEN);
	ck_assert_uint_eq(a->filter_fmt, b->filter_fmt);
	ck_assert_uint_eq(a->nfilters, b->nfilters);
	bool group =
	    a->filter_fmt == VDP_FILTER_GROUP_VID || a->filter_fmt == VDP_FILTER_GROUP_MAC_VID;
	bool mac = a->filter_fmt == VDP_FILTER_MAC_VID || a->filter_fmt == VDP_FILTER_GROUP_MAC_VID;
	for (unsigned i = 0; i < a->nfilters && i < VDP_MAX_FILTERS; i++) {
		const struct vdp_filter *fa = &a->filters[i], *fb = &b->filters[i];
		if (group)
			ck_assert_msg(fa->group == fb->group, "filter %u group %#x != %#x", i,
			              fa->group, fb->group);
		if (mac)
			tu_assert_bytes(fa->mac, 6, fb->mac, 6);
		ck_assert_msg(fa->ps == fb->ps, "filter %u ps %d != %d", i, fa->ps, fb->ps);
		ck_assert_msg(fa->pcp == fb->pcp, "filter %u pcp %u != %u", i, fa->pcp, fb->pcp);
		ck_assert_msg(fa->vid == fb->vid, "filter %u vid %u != %u", i, fa->vid, fb->vid);
	}
}

static void prefix_eq(const struct vdp_prefix *a, const struct vdp_prefix *b)
{
	ck_assert_uint_eq(a->family, b->family);
	ck_assert_uint_eq(a->plen, b->plen);
	tu_assert_bytes(a->addr, 16, b->addr, 16);
}

void tu_assert_policy_entry_eq(const struct vdp_policy_entry *a, const struct vdp_policy_entry *b)
{
	ck_assert_uint_eq(a->type, b->type);
	switch (a->type) {
	case VDP_POL_NONE:
		break;
	case VDP_POL_BANDWIDTH:
		ck_assert_uint_eq(a->u.bw.dir, b->u.bw.dir);
		ck_assert_uint_eq(a->u.bw.rate_kbps, b->u.bw.rate_kbps);
		ck_assert_uint_eq(a->u.bw.burst, b->u.bw.burst);
		break;
	case VDP_POL_ACL:
		ck_assert_uint_eq(a->u.acl.action, b->u.acl.action);
		ck_assert_uint_eq(a->u.acl.dir, b->u.acl.dir);
		ck_assert_uint_eq(a->u.acl.ethertype, b->u.acl.ethertype);
		ck_assert_uint_eq(a->u.acl.ip_proto, b->u.acl.ip_proto);
		prefix_eq(&a->u.acl.src, &b->u.acl.src);
		prefix_eq(&a->u.acl.dst, &b->u.acl.dst);
		ck_assert_uint_eq(a->u.acl.sport_lo, b->u.acl.sport_lo);
		ck_assert_uint_eq(a->u.acl.sport_hi, b->u.acl.sport_hi);
		ck_assert_uint_eq(a->u.acl.dport_lo, b->u.acl.dport_lo);
		ck_assert_uint_eq(a->u.acl.dport_hi, b->u.acl.dport_hi);
		break;
	case VDP_POL_QOS:
		ck_assert_uint_eq(a->u.qos.pcp, b->u.qos.pcp);
		ck_assert_uint_eq(a->u.qos.dscp, b->u.qos.dscp);
		break;
	case VDP_POL_VN:
		ck_assert_uint_eq(a->u.vn.vnid, b->u.vn.vnid);
		ck_assert_uint_eq(a->u.vn.family, b->u.vn.family);
		tu_assert_bytes(a->u.vn.mcast, a->u.vn.family == 4 ? 4 : 16, b->u.vn.mcast,
		                a->u.vn.family == 4 ? 4 : 16);
		break;
	case VDP_POL_DHCP_SNOOP:
	case VDP_POL_IGMP_SNOOP:
		ck_assert_int_eq(a->u.enable, b->u.enable);
		break;
	case VDP_POL_VLAN:
		ck_assert_uint_eq(a->u.vid, b->u.vid);
		break;
	default:
		ck_abort_msg("unknown policy type %u in a test struct", a->type);
	}
}

void tu_assert_policy_eq(const struct vdp_policy *a, const struct vdp_policy *b)
{
	ck_assert_uint_eq(a->type, b->type);
	ck_assert_uint_eq(a->status, b->status);
	ck_assert_uint_eq(a->vnid, b->vnid);
	ck_assert_uint_eq(a->nentries, b->nentries);
	ck_assert_uint_eq(a->nskipped, b->nskipped);
	for (unsigned i = 0; i < a->nentries && i < VDP_MAX_POLICIES; i++)
		tu_assert_policy_entry_eq(&a->entries[i], &b->entries[i]);
}

void tu_assert_help_eq(const struct vdp_help *a, const struct vdp_help *b)
{
	ck_assert_uint_eq(a->status, b->status);
	ck_assert_uint_eq(a->flags, b->flags);
	ck_assert_uint_eq(a->vsiid_fmt, b->vsiid_fmt);
	tu_assert_bytes(a->vsiid, VDP_VSIID_LEN, b->vsiid, VDP_VSIID_LEN);
	tu_assert_bytes(a->mac, 6, b->mac, 6);
	ck_assert_int_eq(a->ps, b->ps);
	ck_assert_uint_eq(a->pcp, b->pcp);
	ck_assert_uint_eq(a->vid, b->vid);
	tu_assert_bytes(a->ipv4, 4, b->ipv4, 4);
}

void tu_assert_org_eq(const struct vdp_org *a, const struct vdp_org *b)
{
	tu_assert_bytes(a->oui, 3, b->oui, 3);
	ck_assert_uint_eq(a->len, b->len);
	tu_assert_bytes(a->data, a->len, b->data, b->len);
}

const char *tu_pcap_path(const char *name)
{
	static char path[4096];
	const char *dir = getenv("VDP_PCAP_DIR");

#ifdef VDP_PCAP_DIR
	if (!dir || !*dir)
		dir = VDP_PCAP_DIR;
#endif
	ck_assert_msg(dir && *dir, "set VDP_PCAP_DIR to the project's pcaps/ directory");
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

int tu_run(Suite *s)
{
	SRunner *sr = srunner_create(s);

	srunner_run_all(sr, CK_ENV);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

void tu_rm_rf(const char *d)
{
	DIR *dd = opendir(d);
	struct dirent *e;
	char p[600];
	while (dd && (e = readdir(dd))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(p, sizeof(p), "%s/%s", d, e->d_name);
		struct stat st;
		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
			tu_rm_rf(p);
		else
			unlink(p);
	}
	if (dd)
		closedir(dd);
	rmdir(d);
}

void tu_vsi_request(struct vdp_vsi *req, uint8_t type, uint32_t vnid, unsigned id)
{
	memset(req, 0, sizeof(*req));
	req->type = type;
	req->type_id = vnid;
	req->vsiid_fmt = VDP_VSIID_UUID;
	req->vsiid[14] = (uint8_t)(id >> 8);
	req->vsiid[15] = (uint8_t)id;
	req->filter_fmt = VDP_FILTER_MAC_VID;
	req->nfilters = 1;
	memcpy(req->filters[0].mac, (uint8_t[]){0x52, 0x54, 0, 0, (uint8_t)(id >> 8), (uint8_t)id},
	       6);
}
