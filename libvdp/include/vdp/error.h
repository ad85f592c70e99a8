/* SPDX-License-Identifier: ISC */
/* libvdp: codec error codes.
 *
 * Every decoder returns either the number of octets it consumed (> 0) or
 * a negative vdp_err.  Every encoder returns the number of octets written
 * or a negative vdp_err.  Each malformed case has its own code so that a
 * daemon can count them separately and a log line can say what was wrong.
 */
#ifndef VDP_ERROR_H
#define VDP_ERROR_H

#include <vdp/export.h>

#ifdef __cplusplus
extern "C" {
#endif

enum vdp_err {
	VDP_OK = 0,
	VDP_E_TRUNCATED = -1,   /* buffer shorter than the fixed header */
	VDP_E_TLV_OVERRUN = -2, /* TLV length runs past the buffer */
	VDP_E_TLV_TYPE = -3,    /* TLV is not of the type this decoder handles */
	VDP_E_TLV_LENGTH =
	    -4, /* TLV length disagrees with its fixed layout (e.g. Manager ID of 1..15) */
	VDP_E_COUNT = -5,           /* entry count inconsistent with the length */
	VDP_E_VSIID_FORMAT = -6,    /* unknown VSIID format */
	VDP_E_FILTER_FORMAT = -7,   /* unknown filter info format */
	VDP_E_VID = -8,             /* VID above 4094 */
	VDP_E_MGRID_EMPTY = -9,     /* VSI Manager ID TLV of length 0 */
	VDP_E_MGRID_SIZE = -10,     /* VSI Manager ID TLV longer than 16 */
	VDP_E_POLICY_INFO = -11,    /* known policy type with a wrong info length */
	VDP_E_POLICY_VALUE = -12,   /* known policy type with an out-of-range field */
	VDP_E_NESTED_OVERRUN = -13, /* entry length runs past its TLV */
	VDP_E_TOO_MANY = -14,       /* more entries than this implementation keeps */
	VDP_E_ECP_VERSION = -15,    /* ECP version is not 1 */
	VDP_E_ECP_OP = -16,         /* ECP operation is reserved (2 or 3) */
	VDP_E_EVB_OUI = -17,        /* organizational TLV is not 00-80-C2 / 0x0D */
	VDP_E_EVB_MODE = -18,       /* EVB mode is neither bridge nor station */
	VDP_E_NOSPACE = -19,        /* encoder: output buffer too small */
	VDP_E_INVAL = -20,          /* encoder: a struct field is out of range */
	VDP_E_STATUS = -21,         /* reserved status bits set */
	VDP_E_ETHERTYPE = -22,      /* frame is not EtherType 0x8940 */
	VDP_E_HELP_FLAGS = -23,     /* help request asks for nothing */
};

#define VDP_E_COUNT_ALL 24 /* number of codes including VDP_OK */
/* The size of the public arrays indexed by -vdp_err (a struct's layout
 * must not change when a code is added): room for codes to come. */
#define VDP_E_SLOTS 32

/* A short, stable, lower-case name ("tlv-overrun"), for counters and JSON. */
VDP_API const char *vdp_err_name(int err);
/* A sentence for logs ("TLV length runs past the end of the PDU"). */
VDP_API const char *vdp_strerror(int err);

#ifdef __cplusplus
}
#endif

#endif
