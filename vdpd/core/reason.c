/* SPDX-License-Identifier: ISC */
/* vdpd: names, texts and response codes of refusal reasons. */
#include <vdp/tlv.h>

#include "core/reason.h"

struct reason_info {
	const char *name, *text;
	uint8_t code;
};

static const struct reason_info reasons[REASON_COUNT] = {
#define X(id, name, code, text) [REASON_##id] = {name, text, code},
    REASONS(X)
#undef X
};

const char *reason_name(enum reason r)
{
	return r < REASON_COUNT ? reasons[r].name : "?";
}

const char *reason_text(enum reason r)
{
	return r < REASON_COUNT ? reasons[r].text : "?";
}

uint8_t reason_code(enum reason r)
{
	return r < REASON_COUNT ? reasons[r].code : 4;
}

bool reason_hard(enum reason r)
{
	uint8_t code = reason_code(r);
	return r == REASON_VNID_UNKNOWN || r == REASON_POLICY_UNSUPPORTED ||
	       code == VDP_ST_INVALID_FORMAT || code == VDP_ST_INVALID_VID;
}
