/* fsx: the few file-system steps every durable writer here needs (the
 * sign-up store, the USB export, the usage counts, the settings file),
 * written once: whole writes and reads that survive EINTR, syncing a
 * directory so a new name survives a power cut, mkdir -p, and replacing a
 * file atomically (a temporary file beside it, fsync, rename, fsync of the
 * directory) so that a power cut or a pulled stick leaves the old file or
 * the new one, complete, never a mix or an empty one. */
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

/* ---- atomic replace ------------------------------------------------------ */

/* A temporary file being written, to be renamed over (or to) its final
 * name. Made by fsx_tmp_create() or fsx_tmp_create_unique(); every one ends
 * in fsx_tmp_discard(), committed or not. */
typedef struct {
    int fd;         /* open until fsx_tmp_finish(); -1 after */
    char *name;     /* the temporary's path (owned) */
    bool committed; /* renamed: name no longer ours to unlink */
} FsxTmp;

/* An FsxTmp that holds nothing yet, so fsx_tmp_discard() may always run. */
#define FSX_TMP_INIT                                                                               \
    {                                                                                              \
        -1, NULL, false                                                                            \
    }

/* The step of an atomic replace that failed, for callers that word their
 * messages by step. errno says why. */
typedef enum {
    FSX_STEP_CREATE = 1, /* fsx_replace(): creating the temporary */
    FSX_STEP_MODE,       /* fsx_replace(): setting its mode */
    FSX_STEP_WRITE,      /* writing the data */
    FSX_STEP_FSYNC,      /* getting the data to disk */
    FSX_STEP_CLOSE,      /* closing (a late write-back error) */
    FSX_STEP_RENAME,     /* nothing has changed at the final name */
    FSX_STEP_SYNC_DIR,   /* the file is in place, but its name may not yet
                            survive a power cut */
} FsxStep;

/** Creates name, which must not exist (O_EXCL: never through a symbolic
 *  link planted there), with mode (less the umask). Returns 0, or -1 with
 *  errno (EEXIST: the name is taken) and t left empty. */
int fsx_tmp_create(FsxTmp *t, const char *name, mode_t mode);

/** The same with a fresh name made from templ, a path ending in "XXXXXX"
 *  (mkstemp: mode 0600 less the umask). */
int fsx_tmp_create_unique(FsxTmp *t, const char *templ);

/** Writes all of data, fsyncs and closes the temporary. Returns 0, or the
 *  FsxStep that failed (WRITE, FSYNC or CLOSE) with errno. */
int fsx_tmp_finish(FsxTmp *t, const void *data, size_t len);

/** After fsx_tmp_finish(): renames the temporary to path (in the same
 *  directory, so on the same file system), replacing any file there, and
 *  syncs path's directory. Returns 0, or the FsxStep that failed (RENAME or
 *  SYNC_DIR) with errno. */
int fsx_tmp_commit(FsxTmp *t, const char *path);

/** Closes the temporary if open and removes it unless committed; frees
 *  what t holds. errno is kept. An empty or discarded t is a no-op. */
void fsx_tmp_discard(FsxTmp *t);

/** Replaces path with len bytes of data through the temporary tmp (created
 *  O_EXCL, then given exactly mode whatever the umask): afterwards path is
 *  the old file or the new one, complete, even after a power cut. Returns
 *  0, or the FsxStep that failed with errno; the temporary is gone either
 *  way. */
int fsx_replace(const char *path, const char *tmp, const void *data, size_t len, mode_t mode);

#endif
