/* SPDX-License-Identifier: ISC */
/* Helpers shared by the Check unit tests: hex parsing and printing, byte
 * comparison with a readable failure message, field-by-field struct
 * comparison, exact-size copies for overread detection, and main(). */
#ifndef VDP_TESTUTIL_H
#define VDP_TESTUTIL_H

#include <check.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vdp/ecp.h>
#include <vdp/error.h>
#include <vdp/evb.h>
#include <vdp/tlv.h>

/* Parses hex digits into buf, ignoring spaces, ':', '-', '.' and '|'.
 * Fails the running test on a bad digit, an odd count or overflow.
 * Returns the number of octets. */
size_t tu_hex(const char *text, uint8_t *buf, size_t cap);

/* "06 21 00 ..." into out (always NUL-terminated, truncated with "..."). */
const char *tu_hexstr(const uint8_t *buf, size_t len, char *out, size_t cap);

/* Fails with both hex strings unless (a, alen) and (b, blen) are equal. */
void tu_assert_bytes_at(const char *file, int line, const uint8_t *a, size_t alen, const uint8_t *b,
                        size_t blen);
#define tu_assert_bytes(a, alen, b, blen) tu_assert_bytes_at(__FILE__, __LINE__, a, alen, b, blen)

/* Fails unless the encoder result r equals the hex text's length and the
 * first r octets of buf equal it. */
void tu_assert_hex_at(const char *file, int line, int r, const uint8_t *buf, const char *hex);
#define tu_assert_hex(r, buf, hex) tu_assert_hex_at(__FILE__, __LINE__, r, buf, hex)

/* A malloc'd copy of exactly len octets (at least 1 allocated), so that
 * ASan / valgrind catch a decoder that reads past len.  Free with free(). */
uint8_t *tu_dup(const uint8_t *buf, size_t len);

/* The expected result of decoding the first k octets of a valid VDP TLV:
 * VDP_E_TRUNCATED while the 2-octet header is incomplete, then
 * VDP_E_TLV_OVERRUN because the header's length runs past k. */
int tu_vdp_prefix_err(size_t k);

/* Decodes every proper prefix of (buf, n) from an exact-size heap copy and
 * asserts each result equals expect(k).  `fn` is a decoder of the
 * vdp_X_decode shape, `T` its struct type. */
#define TU_CHECK_PREFIXES(fn, T, buf, n, expect)                                                   \
	do {                                                                                       \
		for (size_t k_ = 0; k_ < (size_t)(n); k_++) {                                      \
			static T o_;                                                               \
			uint8_t *p_ = tu_dup(buf, k_);                                             \
			memset(&o_, 0, sizeof(o_));                                                \
			int r_ = fn(p_, k_, &o_);                                                  \
			free(p_);                                                                  \
			ck_assert_msg(r_ == (expect)(k_),                                          \
			              "%s on a %zu-octet prefix of %zu: got %d (%s), "             \
			              "expected %d",                                               \
			              #fn, k_, (size_t)(n), r_, vdp_err_name(r_), (expect)(k_));   \
		}                                                                                  \
	} while (0)

/* Field-by-field comparisons (no memcmp over padding). */
void tu_assert_ecp_hdr_eq(const struct vdp_ecp_hdr *a, const struct vdp_ecp_hdr *b);
void tu_assert_evb_eq(const struct vdp_evb_tlv *a, const struct vdp_evb_tlv *b);
void tu_assert_mgrid_eq(const struct vdp_mgrid *a, const struct vdp_mgrid *b);
void tu_assert_vsi_eq(const struct vdp_vsi *a, const struct vdp_vsi *b);
void tu_assert_policy_entry_eq(const struct vdp_policy_entry *a, const struct vdp_policy_entry *b);
void tu_assert_policy_eq(const struct vdp_policy *a, const struct vdp_policy *b);
void tu_assert_help_eq(const struct vdp_help *a, const struct vdp_help *b);
void tu_assert_org_eq(const struct vdp_org *a, const struct vdp_org *b);

/* A VSI request of type for VSI id (UUID format, id in its last octets)
 * in vnid, with one MAC/VID filter 52:54:00:00:ID, VID 0. */
void tu_vsi_request(struct vdp_vsi *req, uint8_t type, uint32_t vnid, unsigned id);

/* Big-endian accessors for hand-written expectations. */
static inline unsigned tu_be16(const uint8_t *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

/* Path of a capture under the project's pcaps/ directory: $VDP_PCAP_DIR if
 * set, else the VDP_PCAP_DIR the build defines.  Returns a static buffer. */
const char *tu_pcap_path(const char *name);

/* rm -rf d (a test's scratch directory). */
void tu_rm_rf(const char *d);

/* Runs the suite with srunner and returns the exit status for automake. */
int tu_run(Suite *s);

#endif
