/* SPDX-License-Identifier: ISC */
/* vdpd: the recording backend, a TEST DOUBLE.  It programs nothing: it
 * appends every op of a successful apply() to an in-memory log that unit
 * tests of the decision code read back with backend_record_ops_log().  It
 * keeps the all-or-nothing contract (a batch armed to fail with
 * backend_record_fail_at() leaves the log unchanged), so callers' error
 * paths can be tested too.  Not a replacement for backend_netlink. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"
#include "kernel/backend.h"

struct record {
	struct kop *log;
	size_t n, cap;
	long fail_at;
	int fail_code;
};

static int rec_open(struct backend *be, const char *bridge, const struct backend_opts *opts,
                    struct backend_err *err)
{
	struct record *r = calloc(1, sizeof(*r));

	if (!r)
		return backend_errf(err, -ENOMEM, -1, "record backend: out of memory");
	r->fail_at = -1;
	be->priv = r;
	return 0;
}

static int rec_apply(struct backend *be, const struct kop *ops, size_t n, struct backend_err *err)
{
	struct record *r = be->priv;
	char text[256];

	if (r->fail_at >= 0 && (size_t)r->fail_at < n) {
		long at = r->fail_at;

		r->fail_at = -1;
		return backend_errf(err, r->fail_code, at, "%s: injected failure",
		                    kop_format(&ops[at], text, sizeof(text)));
	}
	if (ARRAY_GROW(r->log, r->cap, r->n + n) < 0)
		return backend_errf(err, -ENOMEM, -1, "record backend: out of memory");
	memcpy(r->log + r->n, ops, n * sizeof(*ops));
	r->n += n;
	return 0;
}

/* Owned state is whatever was recorded: flushing forgets it. */
static int rec_flush(struct backend *be, struct backend_err *err)
{
	struct record *r = be->priv;

	r->n = 0;
	return 0;
}

static void rec_close(struct backend *be)
{
	struct record *r = be->priv;

	if (r)
		free(r->log);
	free(r);
}

const struct kop *backend_record_ops_log(const struct backend *be, size_t *n)
{
	const struct record *r = be->priv;

	*n = r->n;
	return r->log;
}

void backend_record_fail_at(struct backend *be, long at, int code)
{
	struct record *r = be->priv;

	r->fail_at = at;
	r->fail_code = code;
}

const struct backend_ops backend_record_ops = {
    .name = "record",
    .open = rec_open,
    .apply = rec_apply,
    .flush_owned = rec_flush,
    .close = rec_close,
};
