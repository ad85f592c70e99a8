/* vdpd: the control socket's answer buffer and JSON writer.
 *
 *   strbuf  a growing buffer with a hard ceiling, so that no answer can
 *           make the daemon allocate without bound;
 *   json    a minimal JSON writer that places commas and escapes strings
 *           (the only part where getting it almost right is not enough).
 *
 * No JSON library: the daemon only writes JSON, never reads it, and this
 * is all the writing takes.
 */
#ifndef VDPD_CTL_JSON_H
#define VDPD_CTL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* --- strbuf ---------------------------------------------------------- */

struct strbuf {
	char *buf;     /* NUL-terminated once anything was written */
	size_t len, cap;
	size_t max;    /* ceiling on len; 0 means CTL_ANSWER_MAX */
	bool overflow; /* something did not fit (or malloc failed): truncated */
};

#define CTL_ANSWER_MAX ((size_t)4 << 20)

#define STRBUF_INIT {NULL, 0, 0, 0, false}

void sb_free(struct strbuf *sb);
size_t sb_limit(const struct strbuf *sb); /* max, or CTL_ANSWER_MAX */
void sb_reset(struct strbuf *sb); /* empties it, keeps the memory */
void sb_write(struct strbuf *sb, const void *p, size_t n);
void sb_puts(struct strbuf *sb, const char *s);
void sb_putc(struct strbuf *sb, char c);
void sb_printf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The text so far ("" when nothing was written). */
const char *sb_str(const struct strbuf *sb);

/* --- json ------------------------------------------------------------ */

#define JSON_MAX_DEPTH 16

struct json {
	struct strbuf *sb;
	unsigned depth;
	bool comma[JSON_MAX_DEPTH]; /* a value was already written at this level */
	bool after_key;
};

void json_init(struct json *j, struct strbuf *sb);
void json_obj_begin(struct json *j);
void json_obj_end(struct json *j);
void json_arr_begin(struct json *j);
void json_arr_end(struct json *j);
void json_key(struct json *j, const char *key);
void json_str(struct json *j, const char *s); /* NULL writes null */
void json_uint(struct json *j, uint64_t v);
void json_bool(struct json *j, bool v);
void json_null(struct json *j);
/* Writes s as a quoted JSON string: '"', '\\' and control characters are
 * escaped, bytes that are not valid UTF-8 become U+FFFD (JSON text must be
 * UTF-8, and interface names need not be). */
void json_escape(struct strbuf *sb, const char *s);

#endif
