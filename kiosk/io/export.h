/* export: copying the sign-ups CSV to a USB stick from the staff screen.
 *
 * The CSV holds personal data, so an export is a copy nobody has to trust
 * to luck: it lands under a new name (never over an earlier export), only
 * once it is whole (temp name, fsync, rename, fsync of the folder: a stick
 * pulled out right after "Saved" still has the file), readable by the owner
 * only where the stick's filesystem keeps permissions, and it holds only
 * complete rows even if the kiosk is appending one at that moment.
 *
 * Pure POSIX C: no SDL, no clock read (the time comes in as a parameter).
 * Messages are sentences for the staff screen; they name files and causes,
 * never the contents of a row.
 */
#ifndef KIOSK_EXPORT_H
#define KIOSK_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "signfiles.h"

/** The most an export copies. Same bound as the store's (STORE_READ_MAX_BYTES):
 *  ~300 000 sign-ups, decades at one kiosk; the copy is read into memory at
 *  once so that the complete-row cut is taken from one consistent read. */
#define EXPORT_MAX_BYTES ((size_t)64 * 1024 * 1024)

/** Room asked of the stick beyond the file itself: one FAT cluster (up to
 *  32 KiB on big sticks) for the file's last partial cluster and one for a
 *  folder that has to grow to hold the new name. */
#define EXPORT_SLACK_BYTES ((unsigned long long)64 * 1024)

/**
 * Finds the mount point of the first mounted removable drive.
 *
 * Reads the mount table at @p mounts_path ("/proc/mounts"; a fake file in
 * tests), unescaping the kernel's octal escapes ("\040" is a space), and
 * considers mount points equal to or below one of the @p nroots @p roots
 * (e.g. the settings' export_dir, "/media", "/run/media"; NULL or empty
 * roots are ignored). Every partition of the disk mounted at "/" (the SD
 * card the OS runs from) is skipped.
 *
 * With @p sysfs_root ("/sys") non-NULL, each device ("/dev/sda1" -> disk
 * "sda", "/dev/mmcblk1p1" -> "mmcblk1", "/dev/nvme0n1p1" -> "nvme0n1") is
 * looked up: a disk whose <sysfs_root>/block/<disk>/removable is "1", or
 * whose sysfs device path runs through a USB port (many sticks and USB SSDs
 * report removable=0), is a USB drive; one sysfs knows and calls fixed
 * (removable "0", not on USB) is skipped; one sysfs does not know (not a
 * /dev node, no entry) is taken only when no USB drive is found. With
 * @p sysfs_root NULL every candidate is "not known". Within a class, a
 * read-write mount beats a read-only one, then the mount table's order.
 *
 * Returns 0 and the mount point in @p out (@p cap bytes), or -1 with a
 * sentence in @p err: "No USB stick found: plug one in and wait a few
 * seconds" when nothing fits, else what could not be read.
 */
int export_find_drive(const char *mounts_path, const char *sysfs_root, const char *const *roots,
                      size_t nroots, char *out, size_t cap, char *err, size_t errlen);

/**
 * Copies the sign-ups CSV @p src into the folder @p dir (the stick) as
 * "<dir>/<stem>-<kiosk_id>-<YYYYmmdd-HHMMSS>.csv", where stem is src's file
 * name without ".csv", the time is @p now in local time, and stem and
 * kiosk_id keep only [A-Za-z0-9_-] (anything else becomes '_', so the name
 * is valid on FAT and safe in a shell; an empty id becomes "kiosk"). If that
 * name is taken, "-2", "-3"... are added before ".csv": never overwritten.
 *
 * Only the complete rows are copied: the longest prefix that
 * csv_scan_complete() accepts, so a row being appended at that instant is
 * left for the next export instead of being cut in half. (No flock: the
 * store holds LOCK_EX on its own open file description in this process, and
 * a LOCK_SH from a second open() would block against it.)
 *
 * The copy is written to "<final name>.tmp", created 0600 with O_EXCL,
 * fsync'ed, renamed to the final name (the next free one if something took
 * that meanwhile) and the folder fsync'ed. Free space is
 * checked with statvfs() before writing. On failure the temp file is
 * removed.
 *
 * Returns 0 and the destination path in @p dest (truncated like snprintf if
 * @p destcap is too small), or -1 with a sentence naming the cause in
 * @p err: no sign-ups file yet, the folder is missing (stick removed) or is
 * not a folder, the stick is read-only, "the USB stick is full (needs N KB,
 * has M KB free)", the file is over EXPORT_MAX_BYTES, or an errno text.
 */
int export_copy(const char *src, const char *dir, const char *kiosk_id, time_t now, char *dest,
                size_t destcap, char *err, size_t errlen);

/** One sign-up file's copy on the stick, as export_files() left it. */
typedef struct {
    SignFileKind kind;
    char src[4096], dest[4096];
    size_t rows;   /* data rows copied */
    size_t len;    /* bytes of src copied, from its start */
    uint64_t hash; /* signfiles_hash() of those bytes */
    bool verified; /* read back from the stick and equal */
} ExportItem;

typedef struct ExportResult {
    ExportItem item[SIGNFILES_MAX];
    size_t n;
} ExportResult;

/**
 * Copies every file in @p fs to the folder @p dir as export_copy() copies
 * one: the live file as "<stem>-<kiosk_id>-<stamp>.csv", each archive under
 * its own stamped name, the ".partial" (whole, as it is: torn rows that a
 * person may still read) as "<stem>-recovered-<kiosk_id>-<stamp>.csv".
 * Each is written as "<name>.tmp", fsync'ed and renamed, so a stick pulled
 * mid-copy never holds a file named like a complete export; then its pages
 * are dropped from the cache and it is read back from the stick and
 * compared (ExportItem.verified). Files with no complete rows are skipped.
 * Returns 0 with @p res filled, or -1 with a sentence in @p err and @p res
 * holding the files finished before the failure.
 */
int export_files(const SignFiles *fs, const char *dir, const char *kiosk_id, time_t now,
                 ExportResult *res, char *err, size_t errlen);

/** Where the packaged udev rule mounts a stick (packaging/udev/), and the
 *  file whose appearance asks the root side to unmount it: the kiosk may
 *  not unmount, but it may write in its own state folder, which a systemd
 *  path unit watches (packaging/systemd/kiosk-usb-eject.path). */
#define EXPORT_KIOSK_MOUNT "/media/kiosk-usb"
#define EXPORT_EJECT_REQUEST "/var/lib/kiosk/usb-eject"

/** How long the export waits for the stick to be unmounted before saying
 *  it could not release it: the root side syncs and unmounts in well under
 *  a second on a healthy stick. */
#define EXPORT_EJECT_WAIT_MS 15000

/** True when something is mounted at @p dir per the table @p mounts_path. */
bool export_is_mounted(const char *mounts_path, const char *dir);

/** Creates the empty file @p request (0600, durably enough: the watcher
 *  sees its creation at once). Returns 0, or -1 with errno. */
int export_request_eject(const char *request);

/** Free space in bytes, for an unprivileged writer, of the filesystem
 *  holding @p path (a file or a folder); -1 on error. For the staff screen. */
long long export_free_bytes(const char *path);

#endif
