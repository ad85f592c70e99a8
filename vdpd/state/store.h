/* SPDX-License-Identifier: ISC */
/* vdpd: the durable store of the daemon's tables, in its state directory.
 *
 *   DIR/state.snap      a snapshot: every live object, one PUT each
 *   DIR/state.journal   every change since, appended
 *
 * Changes are appended to a buffer (store_put, store_del) and made
 * durable together by store_commit(): one write, one fdatasync, however
 * many requests the event loop gathered (group commit).  A grant must not
 * leave the daemon before the commit that holds it returned 0.
 *
 * store_open() replays the snapshot, then the journal, through the
 * caller's load function, then compacts: writes a new snapshot from the
 * caller's tables (dump function) and starts an empty journal.  A file
 * that is torn or corrupt (checksums), empty, of another format or not a
 * state file is never half-loaded silently: the valid records before the
 * fault are kept, the fault is logged with the file's path and offset and
 * what was dropped, and a damaged file is set aside as PATH.bad (the
 * last one) for the operator.  A torn final journal record is the mark of
 * a crash during a write whose grant was never sent: it is dropped with a
 * notice, not a warning.
 *
 * The format is record.h's; its version is in every file's header.
 *
 * Why a journal and a snapshot, not LMDB or SQLite (WAL): the tables are
 * small (a few hundred octets an object, all of them in memory anyway) and
 * change by whole objects, so "the last record of a key wins" is the whole
 * data model; group commit is then one write() and one fdatasync() of
 * exactly the turn's records, which a B-tree or a WAL cannot beat and
 * whose cost we can read off the code.  It keeps the daemon's seccomp
 * list and its dependencies as they are (no mmap'd database, no library
 * with its own locking and threads), the files are checked record by
 * record (CRC-32) so a damaged file says where it went wrong and keeps
 * its valid prefix, and the format is ours to version.  The price: replay
 * at start reads every record (fine at these sizes) and compaction rewrites
 * the snapshot whole. */
#ifndef VDPD_STATE_STORE_H
#define VDPD_STATE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "state/record.h"

struct store;

/* Called for every record replayed, in order. */
typedef void (*store_load_fn)(void *ctx, const struct rec *r);
/* Writes every live object with store_snap_put(); 0, or -1 to abort. */
typedef int (*store_dump_fn)(void *ctx, struct store *st);

struct store_stats {
	uint64_t commits, records, bytes, compactions;
	uint64_t loaded, dropped_files; /* at open */
	uint64_t journal_bytes;         /* since the last snapshot */
	uint64_t snapshot_bytes;
};

int store_open(struct store **out, const char *dir, store_load_fn load, store_dump_fn dump,
               void *ctx, char *err, size_t errlen);
void store_close(struct store *st);

/* Queue a change; -1 (and nothing queued) if key or value exceed the
 * format's limits, which is a bug of the caller. */
int store_put(struct store *st, uint8_t kind, const void *key, uint16_t keylen, const void *val,
              uint32_t vallen);
int store_del(struct store *st, uint8_t kind, const void *key, uint16_t keylen);
bool store_pending(const struct store *st);
/* Makes everything queued durable.  On failure the journal is cut back to
 * its last committed length (so it never holds a record whose grant was
 * not sent after a crash) and the queued changes stay queued. */
int store_commit(struct store *st, char *err, size_t errlen);

/* During a dump: one live object. */
int store_snap_put(struct store *st, uint8_t kind, const void *key, uint16_t keylen,
                   const void *val, uint32_t vallen);
/* Commits, then replaces the snapshot and empties the journal. */
int store_compact(struct store *st, char *err, size_t errlen);
/* The journal has outgrown the snapshot (and a floor): time to compact. */
bool store_wants_compact(const struct store *st);

const struct store_stats *store_stats(const struct store *st);
const char *store_dir(const struct store *st);

#endif
