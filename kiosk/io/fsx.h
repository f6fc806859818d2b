/* fsx: the few file-system steps every durable writer here needs (the
 * sign-up store, the USB export, the usage counts, the settings file),
 * written once: whole writes and reads that survive EINTR, syncing a
 * directory so a new name survives a power cut, and mkdir -p. */
#ifndef KIOSK_FSX_H
#define KIOSK_FSX_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/** The directory part of path ("." when there is none, "/" for the root).
 *  Returns a string the caller frees, NULL when out of memory. */
char *fsx_dir_of(const char *path);

/** fsyncs a directory, so that entries created or renamed in it survive a
 *  power cut: a file's fsync covers its data and inode, not the name that
 *  finds it. A filesystem that cannot sync directories (EINVAL) counts as
 *  done. Returns 0 or -1 with errno. */
int fsx_fsync_dir(const char *dir);

/** mkdir -p of dir; new directories get mode, and with sync each new one is
 *  made durable by syncing its parent. Existing directories are left as
 *  they are (they may be shared ones like /var/lib). Returns 0, or -1 with
 *  errno and the directory that failed in failed (may be NULL). */
int fsx_make_dirs(const char *dir, mode_t mode, bool sync, char *failed, size_t cap);

/** Writes all of len bytes; a write that takes nothing counts as a full
 *  disk (ENOSPC). Returns 0 or -1 with errno. */
int fsx_write_all(int fd, const void *p, size_t len);

/** Reads up to size bytes of fd from its start; a file cut meanwhile gives
 *  fewer (*got). Returns a buffer the caller frees, or NULL with errno (what
 *  was read is wiped first). */
char *fsx_pread_all(int fd, size_t size, size_t *got);

#endif
