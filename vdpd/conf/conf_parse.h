/* SPDX-License-Identifier: ISC */
/* vdpd: private helpers for conf.c and conf_acl.c, in conf_parse.c (not an
 * API: nothing outside the config parser should include this).
 *
 * Every function that can fail writes "FILE:LINE: PATH: message" into the
 * context's error buffer and returns -1; PATH is the setting's path from
 * the root, e.g. "types[0].acl[1].dport".  The conf_opt_* lookups leave
 * *out untouched when the member is absent, so callers preset defaults. */
#ifndef VDPD_CONF_PARSE_H
#define VDPD_CONF_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#include <libconfig.h>

struct conf;

#define CONF_DEFAULT_MAX_VSIS 256
#define CONF_MAX_VSIS_LIMIT   65535

struct conf_ctx {
	const char *path; /* the top file, for settings libconfig cannot place */
	char *err;
	size_t errlen;
	struct conf *c; /* being built */
};

struct conf_enum {
	const char *name;
	int value;
};

int conf_fail(struct conf_ctx *x, const config_setting_t *s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* An error about the member key of group, which may be missing: reported
 * at the group's line. */
int conf_fail_in(struct conf_ctx *x, const config_setting_t *group, const char *key,
                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));
int conf_wrong_type(struct conf_ctx *x, const config_setting_t *s, const char *want);

/* Fails on the first member of group whose name is not in keys (NULL-ended). */
int conf_check_keys(struct conf_ctx *x, const config_setting_t *group, const char *const *keys);

bool conf_is_int(const config_setting_t *s);
int conf_int(struct conf_ctx *x, const config_setting_t *s, long long lo, long long hi,
             long long *out);
int conf_opt_int(struct conf_ctx *x, const config_setting_t *g, const char *key, long long lo,
                 long long hi, long long *out);
int conf_str(struct conf_ctx *x, const config_setting_t *s, char *buf, size_t cap);
int conf_opt_str(struct conf_ctx *x, const config_setting_t *g, const char *key, char *buf,
                 size_t cap);
int conf_opt_bool(struct conf_ctx *x, const config_setting_t *g, const char *key, bool *out);
int conf_enum(struct conf_ctx *x, const config_setting_t *s, const struct conf_enum *tab, int *out);
int conf_opt_enum(struct conf_ctx *x, const config_setting_t *g, const char *key,
                  const struct conf_enum *tab, int *out);
/* A member that must be a group with only the given keys; *out NULL if absent. */
int conf_opt_group(struct conf_ctx *x, const config_setting_t *g, const char *key,
                   const char *const *keys, config_setting_t **out);
/* A member that must be a list or an array of at most max elements. */
int conf_opt_seq(struct conf_ctx *x, const config_setting_t *g, const char *key, unsigned max,
                 config_setting_t **out);

/* "N" or "N-M" (decimal); values above max saturate at max + 1.  0 or -1. */
int conf_parse_range(const char *text, unsigned long max, unsigned long *lo, unsigned long *hi);
/* A setting that is an integer N or a string "N" / "N-M" within min..max;
 * what names the unit in messages ("VLAN ID", "port"). */
int conf_range(struct conf_ctx *x, const config_setting_t *s, unsigned long min, unsigned long max,
               const char *what, unsigned long *lo, unsigned long *hi);

/* conf_acl.c: types ( ... ) and device_acls ( ... ), after the pool and
 * the VNID width are known. */
int conf_parse_types(struct conf_ctx *x, const config_setting_t *root);
int conf_parse_device_acls(struct conf_ctx *x, const config_setting_t *root);

/* conf_dhcp.c: the migration services' settings in dhcp = { } and igmp = { } beyond
 * mode, server and version, and their defaults. */
int conf_parse_dhcp_more(struct conf_ctx *x, const config_setting_t *dhcp);
int conf_parse_igmp_more(struct conf_ctx *x, const config_setting_t *igmp);
void conf_migration_defaults(struct conf *c);

/* conf_limits.c: limits = { } and a port group's own limits. */
int conf_parse_limits(struct conf_ctx *x, const config_setting_t *root);
struct conf_port;
int conf_parse_port_limits(struct conf_ctx *x, const config_setting_t *s, struct conf_port *p);
void conf_limits_defaults(struct conf *c);

#endif
