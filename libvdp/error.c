/* SPDX-License-Identifier: ISC */
/* libvdp: names and messages for codec errors. */
#include <vdp/error.h>

struct err_text {
	const char *name, *msg;
};

/* Indexed by -err. */
static const struct err_text err_texts[VDP_E_COUNT_ALL] = {
    {"ok", "success"},
    {"truncated", "buffer shorter than the fixed header"},
    {"tlv-overrun", "TLV length runs past the end of the PDU"},
    {"tlv-type", "TLV is not of the expected type"},
    {"tlv-length", "TLV length disagrees with its fixed layout"},
    {"count", "entry count inconsistent with the TLV length"},
    {"vsiid-format", "unknown VSIID format"},
    {"filter-format", "unknown filter info format"},
    {"vid", "VID above 4094"},
    {"mgrid-empty", "VSI Manager ID TLV is empty"},
    {"mgrid-size", "VSI Manager ID TLV longer than 16 octets"},
    {"policy-info", "policy entry info length wrong for its type"},
    {"policy-value", "policy entry field out of range"},
    {"nested-overrun", "entry length runs past the end of its TLV"},
    {"too-many", "more entries than this implementation keeps"},
    {"ecp-version", "ECP version is not 1"},
    {"ecp-op", "reserved ECP operation"},
    {"evb-oui", "organizational TLV is not the EVB TLV"},
    {"evb-mode", "EVB mode is neither bridge nor station"},
    {"nospace", "output buffer too small"},
    {"inval", "field out of range in the structure to encode"},
    {"status", "reserved status bits set"},
    {"ethertype", "frame is not ECP (EtherType 0x8940)"},
    {"help-flags", "help request asks for nothing known"},
};

static const struct err_text *lookup(int err)
{
	if (err > 0 || -err >= VDP_E_COUNT_ALL)
		return 0;
	return &err_texts[-err];
}

const char *vdp_err_name(int err)
{
	const struct err_text *t = lookup(err);
	return t ? t->name : "unknown";
}

const char *vdp_strerror(int err)
{
	const struct err_text *t = lookup(err);
	return t ? t->msg : "unknown error";
}
