/* SPDX-License-Identifier: ISC */
/* vdpd: the generic half of vdpd.conf(5) parsing: errors that name file,
 * line and setting, member-name checks, typed lookups and "N-M" ranges.
 * See conf_parse.h. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libconfig.h>

#include "conf/conf_parse.h"

/* --- errors -------------------------------------------------------------- */

/* The setting's path from the root: "vlans.pool[1]", "types[0].vnid". */
static void setting_path(const config_setting_t *s, char *buf, size_t cap)
{
	const config_setting_t *parent = config_setting_parent(s);

	buf[0] = '\0';
	if (!parent)
		return; /* the root has no name */
	setting_path(parent, buf, cap);
	size_t n = strlen(buf);
	const char *name = config_setting_name(s);
	if (name)
		snprintf(buf + n, cap - n, "%s%s", n ? "." : "", name);
	else
		snprintf(buf + n, cap - n, "[%d]", config_setting_index(s));
}

/* libconfig knows the file each setting came from (@include) and its
 * line; the root has line 0, which we report as line 1. */
static void where(const struct conf_ctx *x, const config_setting_t *s, const char **file,
                  unsigned *line)
{
	*file = config_setting_source_file(s);
	if (!*file)
		*file = x->path;
	*line = config_setting_source_line(s);
	if (*line == 0)
		*line = 1;
}

static int vfail(struct conf_ctx *x, const config_setting_t *s, const char *key, const char *fmt,
                 va_list ap) __attribute__((format(printf, 4, 0)));

static int vfail(struct conf_ctx *x, const config_setting_t *s, const char *key, const char *fmt,
                 va_list ap)
{
	char path[256], msg[384];
	const char *file;
	unsigned line;

	where(x, s, &file, &line);
	setting_path(s, path, sizeof(path));
	if (key) { /* a missing member of s */
		size_t n = strlen(path);
		snprintf(path + n, sizeof(path) - n, "%s%s", n ? "." : "", key);
	}
	vsnprintf(msg, sizeof(msg), fmt, ap);
	snprintf(x->err, x->errlen, "%s:%u: %s: %s", file, line, path, msg);
	return -1;
}

int conf_fail(struct conf_ctx *x, const config_setting_t *s, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(x, s, NULL, fmt, ap);
	va_end(ap);
	return -1;
}

int conf_fail_in(struct conf_ctx *x, const config_setting_t *group, const char *key,
                 const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(x, group, key, fmt, ap);
	va_end(ap);
	return -1;
}

/* --- typed access ---------------------------------------------------------- */

static const char *type_name(int type)
{
	switch (type) {
	case CONFIG_TYPE_GROUP:
		return "a group { }";
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		return "an integer";
	case CONFIG_TYPE_FLOAT:
		return "a float";
	case CONFIG_TYPE_STRING:
		return "a string";
	case CONFIG_TYPE_BOOL:
		return "a boolean";
	case CONFIG_TYPE_ARRAY:
		return "an array [ ]";
	case CONFIG_TYPE_LIST:
		return "a list ( )";
	default:
		return "nothing";
	}
}

int conf_wrong_type(struct conf_ctx *x, const config_setting_t *s, const char *want)
{
	return conf_fail(x, s, "must be %s, not %s", want, type_name(config_setting_type(s)));
}

int conf_check_keys(struct conf_ctx *x, const config_setting_t *group, const char *const *keys)
{
	for (int i = 0; i < config_setting_length(group); i++) {
		const config_setting_t *m = config_setting_get_elem(group, (unsigned)i);
		const char *name = config_setting_name(m);
		bool known = false;

		for (const char *const *k = keys; *k && !known; k++)
			known = strcmp(*k, name) == 0;
		if (known)
			continue;
		char list[256] = "";
		for (const char *const *k = keys; *k; k++) {
			size_t n = strlen(list);
			snprintf(list + n, sizeof(list) - n, "%s%s", n ? ", " : "", *k);
		}
		return conf_fail(x, m, "unknown setting (accepted here: %s)", list);
	}
	return 0;
}

bool conf_is_int(const config_setting_t *s)
{
	int t = config_setting_type(s);
	return t == CONFIG_TYPE_INT || t == CONFIG_TYPE_INT64;
}

int conf_int(struct conf_ctx *x, const config_setting_t *s, long long lo, long long hi,
             long long *out)
{
	if (!conf_is_int(s))
		return conf_wrong_type(x, s, "an integer");
	long long v = config_setting_get_int64(s);
	if (v < lo || v > hi)
		return conf_fail(x, s, "%lld is out of range %lld..%lld", v, lo, hi);
	*out = v;
	return 0;
}

int conf_opt_int(struct conf_ctx *x, const config_setting_t *g, const char *key, long long lo,
                 long long hi, long long *out)
{
	const config_setting_t *s = config_setting_get_member(g, key);
	return s ? conf_int(x, s, lo, hi, out) : 0;
}

int conf_str(struct conf_ctx *x, const config_setting_t *s, char *buf, size_t cap)
{
	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return conf_wrong_type(x, s, "a string");
	const char *v = config_setting_get_string(s);
	size_t n = strlen(v);
	if (n >= cap)
		return conf_fail(x, s, "\"%s\" is too long (at most %zu characters)", v, cap - 1);
	/* The whole buffer, so that no tail of a default is left behind it. */
	memset(buf, 0, cap);
	memcpy(buf, v, n + 1);
	return 0;
}

int conf_opt_str(struct conf_ctx *x, const config_setting_t *g, const char *key, char *buf,
                 size_t cap)
{
	const config_setting_t *s = config_setting_get_member(g, key);
	return s ? conf_str(x, s, buf, cap) : 0;
}

int conf_opt_bool(struct conf_ctx *x, const config_setting_t *g, const char *key, bool *out)
{
	const config_setting_t *s = config_setting_get_member(g, key);
	if (!s)
		return 0;
	if (config_setting_type(s) != CONFIG_TYPE_BOOL)
		return conf_wrong_type(x, s, "a boolean (true or false)");
	*out = config_setting_get_bool(s);
	return 0;
}

int conf_enum(struct conf_ctx *x, const config_setting_t *s, const struct conf_enum *tab, int *out)
{
	char v[64], list[256] = "";

	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return conf_wrong_type(x, s, "a string");
	snprintf(v, sizeof(v), "%s", config_setting_get_string(s));
	for (const struct conf_enum *e = tab; e->name; e++) {
		size_t n = strlen(list);
		if (strcmp(e->name, config_setting_get_string(s)) == 0) {
			*out = e->value;
			return 0;
		}
		snprintf(list + n, sizeof(list) - n, "%s\"%s\"", n ? ", " : "", e->name);
	}
	return conf_fail(x, s, "\"%s\" is not one of %s", v, list);
}

int conf_opt_enum(struct conf_ctx *x, const config_setting_t *g, const char *key,
                  const struct conf_enum *tab, int *out)
{
	const config_setting_t *s = config_setting_get_member(g, key);
	return s ? conf_enum(x, s, tab, out) : 0;
}

/* A group member that must be a group itself; NULL (and 0) when absent. */
int conf_opt_group(struct conf_ctx *x, const config_setting_t *g, const char *key,
                   const char *const *keys, config_setting_t **out)
{
	*out = config_setting_get_member(g, key);
	if (!*out)
		return 0;
	if (!config_setting_is_group(*out))
		return conf_wrong_type(x, *out, "a group { }");
	return conf_check_keys(x, *out, keys);
}

/* Lists and arrays are interchangeable wherever we take a sequence:
 * libconfig's arrays are simply lists of scalars of one type. */
int conf_opt_seq(struct conf_ctx *x, const config_setting_t *g, const char *key, unsigned max,
                 config_setting_t **out)
{
	*out = config_setting_get_member(g, key);
	if (!*out)
		return 0;
	if (!config_setting_is_list(*out) && !config_setting_is_array(*out))
		return conf_wrong_type(x, *out, "a list ( ) or an array [ ]");
	if ((unsigned)config_setting_length(*out) > max)
		return conf_fail(x, *out, "too many entries: %d (at most %u)",
		                 config_setting_length(*out), max);
	return 0;
}

/* "N" or "N-M", decimal, no sign or spaces; -1 on any other text. */
int conf_parse_range(const char *text, unsigned long max, unsigned long *lo, unsigned long *hi)
{
	const char *p = text;
	unsigned long v[2];
	int n = 0;

	for (;;) {
		if (*p < '0' || *p > '9')
			return -1;
		v[n] = 0;
		for (; *p >= '0' && *p <= '9'; p++) {
			v[n] = v[n] * 10 + (unsigned long)(*p - '0');
			if (v[n] > max)
				v[n] = max + 1; /* saturate: the caller reports the range */
		}
		n++;
		if (*p == '\0')
			break;
		if (*p != '-' || n == 2)
			return -1;
		p++;
	}
	*lo = v[0];
	*hi = n == 2 ? v[1] : v[0];
	return 0;
}

/* A scalar that is an integer N or a string "N" / "N-M" (VLANs, ports). */
int conf_range(struct conf_ctx *x, const config_setting_t *s, unsigned long min, unsigned long max,
               const char *what, unsigned long *lo, unsigned long *hi)
{
	if (conf_is_int(s)) {
		long long v = 0;
		if (conf_int(x, s, (long long)min, (long long)max, &v) < 0)
			return -1;
		*lo = *hi = (unsigned long)v;
		return 0;
	}
	if (config_setting_type(s) != CONFIG_TYPE_STRING)
		return conf_wrong_type(x, s, "an integer or a string");
	const char *t = config_setting_get_string(s);
	if (conf_parse_range(t, 65536, lo, hi) < 0)
		return conf_fail(x, s,
		                 "\"%s\" is not a %s or a range (write \"%lu\" or \"%lu-%lu\")", t,
		                 what, min, min, max);
	if (*lo < min || *hi > max)
		return conf_fail(x, s, "\"%s\": %s outside %lu..%lu", t, what, min, max);
	if (*lo > *hi)
		return conf_fail(x, s, "\"%s\": the range is backwards", t);
	return 0;
}
