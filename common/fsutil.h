/* SPDX-License-Identifier: ISC */
/* common: files that must survive a crash.  A file is replaced atomically
 * (written beside, flushed, renamed over, the directory flushed), so a
 * crash leaves the old file or the new one, never a mixture; a directory
 * is made with its parents.  Errors are -1 with errno set. */
#ifndef COMMON_FSUTIL_H
#define COMMON_FSUTIL_H

#include <stddef.h>
#include <sys/types.h>

int fs_mkdir_p(const char *dir, mode_t mode);
/* Flushes dir's entries (after a rename or a create in it). */
int fs_sync_dir(const char *dir);
/* Makes DIR/NAME hold exactly buf[0..n), atomically, through DIR/NAME.tmp,
 * with mode for a new file. */
int fs_replace(const char *dir, const char *name, const void *buf, size_t n, mode_t mode);
/* write(2) until all of buf is written; -1 with errno on failure. */
int fs_write_all(int fd, const void *buf, size_t n);

#endif
