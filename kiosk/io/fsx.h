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
#include <sys/stat.h>
#include <sys/types.h>

/* ---- the system-call seam ------------------------------------------------ */

/* Every file-system call of store, export, stats, settings and pin goes
 * through this table, as SQLite's os_unix.c sends its calls through
 * aSyscall[]. It holds the real calls; a test swaps entries to fail one call
 * in turn (EIO, ENOSPC, EINTR, a short write) or to record every call and
 * build the states a power cut could leave (tests/test_fsx_crash.c).
 *
 * The one mutable global of kiosk_io. Only tests write it, and only while no
 * other thread is inside these modules (the USB export's thread is not
 * started in tests that swap it). open() takes its mode always, so that it
 * is a plain function pointer rather than a variadic one. */
typedef struct {
    int (*open)(const char *path, int flags, mode_t mode);
    int (*close)(int fd);
    ssize_t (*write)(int fd, const void *buf, size_t len);
    ssize_t (*pread)(int fd, void *buf, size_t len, off_t off);
    int (*fsync)(int fd);
    int (*fdatasync)(int fd);
    int (*ftruncate)(int fd, off_t len);
    int (*rename)(const char *from, const char *to);
    int (*unlink)(const char *path);
    int (*mkdir)(const char *path, mode_t mode);
    int (*mkstemp)(char *templ);
    int (*flock)(int fd, int op);
    int (*fchmod)(int fd, mode_t mode);
    int (*fchown)(int fd, uid_t uid, gid_t gid);
    int (*fstat)(int fd, struct stat *st);
    int (*stat)(const char *path, struct stat *st);
    int (*lstat)(const char *path, struct stat *st);
} FsxSys;

/** The calls in use; starts as fsx_sys_real. */
extern FsxSys fsx_sys;

/** The real calls, to restore the table and for a test's fake to call. */
extern const FsxSys fsx_sys_real;

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

/** Opens path never through a symbolic link (O_NOFOLLOW, added to flags)
 *  and checks what opened: a regular file, or a directory when flags hold
 *  O_DIRECTORY, owned by this process's effective user (geteuid(): root's
 *  own files pass, a file someone else planted does not). flags may hold
 *  O_CREAT. Returns the fd, or -1 with errno. When the path was refused for
 *  what it is rather than for an ordinary error, errno is ELOOP (a link),
 *  EINVAL (another type) or EPERM (another owner) and why says so, naming
 *  path and what it holds ("sign-ups"): "PATH is a symbolic link; refusing
 *  to write sign-ups through it". Otherwise why is "". */
int fsx_open_owned(const char *path, int flags, mode_t mode, const char *what, char *why,
                   size_t cap);

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
