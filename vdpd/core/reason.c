/* SPDX-License-Identifier: ISC */
/* vdpd: names, texts and response codes of refusal reasons. */
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
