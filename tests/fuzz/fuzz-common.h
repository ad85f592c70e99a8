/* SPDX-License-Identifier: ISC */
/* Shared checks for the libFuzzer targets in tests/fuzz.
 *
 * Every target decodes its input and, for whatever decodes successfully,
 * checks the codec contract (vdp/tlv.h, vdp/ecp.h, vdp/evb.h):
 *   - the octets consumed are within the input (and, for a TLV, exactly its
 *     header plus its length field);
 *   - a TLV decodes the same whether len ends at the TLV or runs on;
 *   - encode(x) succeeds for every x a decoder produced, and
 *     decode(encode(x)) consumes exactly what encode wrote and == x;
 *   - encoding is canonical: encode(decode(encode(x))) == encode(x).
 * A violation prints what went wrong and the input in hex, then aborts, so
 * libFuzzer saves the reproducer.
 */
#ifndef FUZZ_COMMON_H
#define FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include <vdp/ecp.h>
#include <vdp/error.h>
#include <vdp/evb.h>
#include <vdp/tlv.h>

/* The input being run, for fuzz_fail()'s dump.  Each target sets it. */
void fuzz_set_input(const uint8_t *data, size_t size);

__attribute__((noreturn, format(printf, 1, 2))) void fuzz_fail(const char *fmt, ...);

#define FUZZ_CHECK(cond, ...)                                                                      \
	do {                                                                                       \
		if (!(cond))                                                                       \
			fuzz_fail(__FILE__ ":" FUZZ_STR(__LINE__) ": " #cond ": " __VA_ARGS__);    \
	} while (0)
#define FUZZ_STR(x)  FUZZ_STR2(x)
#define FUZZ_STR2(x) #x

/* A decoder's negative return must be one of the enum vdp_err codes. */
void fuzz_check_err(int rc, const char *who);

/* Round trips of a decoded value; each aborts on a violation. */
void fuzz_rt_evb_info(const struct vdp_evb_tlv *x);
void fuzz_rt_evb_tlv(const struct vdp_evb_tlv *x);
void fuzz_rt_ecp_hdr(const struct vdp_ecp_hdr *x);
void fuzz_rt_ecp_frame(const struct vdp_ecp_frame *x);
void fuzz_rt_mgrid(const struct vdp_mgrid *x);
void fuzz_rt_vsi(const struct vdp_vsi *x);
void fuzz_rt_policy(const struct vdp_policy *x);
void fuzz_rt_help(const struct vdp_help *x);
void fuzz_rt_org(const struct vdp_org *x);

/* Decodes one TLV with the decoder of the given kind and checks it as
 * above (consumed length, independence from trailing octets, round trip).
 * Returns the decoder's result. */
enum fuzz_kind { FK_VSI, FK_MGRID, FK_POLICY, FK_HELP, FK_ORG, FK_NKINDS };
int fuzz_tlv(enum fuzz_kind kind, const uint8_t *buf, size_t len);

/* Walks a VDPDU with vdp_pdu_next(), checks the iterator's contract and
 * hands every TLV to every decoder: the one for its type must be the only
 * one that accepts it (the others say VDP_E_TLV_TYPE).  Returns the number
 * of TLVs seen. */
unsigned fuzz_walk_pdu(const uint8_t *buf, size_t len);

#endif
