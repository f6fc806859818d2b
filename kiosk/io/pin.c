/* pin: staff PIN hashing with libcrypt, the wrong-PIN back-off, and the
 * `kiosk --set-pin` dialogue that writes the hash into the settings file.
 *
 * Everything but pin_prompt_and_write() is pure or only calls libcrypt;
 * that one function does the terminal and file work, so main stays a few
 * lines. */
#include "pin.h"
#include "util.h"

#include "fsx.h"

#include "settings.h"
#include "ytree.h"

#include <crypt.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#ifndef CRYPT_GENSALT_IMPLEMENTS_AUTO_ENTROPY
#error "pin.c needs libxcrypt (libcrypt-dev): crypt_gensalt_rn must find its own random bytes"
#endif

static bool pin_well_formed(const char *pin)
{
    size_t n = 0;
    for (; pin && pin[n]; n++)
        if (pin[n] < '0' || pin[n] > '9')
            return false;
    return n >= PIN_MIN_DIGITS && n <= PIN_MAX_DIGITS;
}

/* crypt_r's work area is ~32 KiB: on the heap, and wiped after, since it
 * holds state derived from the PIN. */
static struct crypt_data *crypt_area(void)
{
    return calloc(1, sizeof(struct crypt_data));
}

static void crypt_area_free(struct crypt_data *cd)
{
    if (cd) {
        explicit_bzero(cd, sizeof *cd);
        free(cd);
    }
}

int pin_hash(const char *pin, char *out, size_t cap, char *err, size_t errlen)
{
    if (cap)
        out[0] = '\0';
    if (!pin_well_formed(pin)) {
        util_format(err, errlen, "the PIN must be %d to %d digits (0-9 only)", PIN_MIN_DIGITS,
                    PIN_MAX_DIGITS);
        return -1;
    }
    /* yescrypt where this libcrypt has it (Debian 11 and later); SHA-512
     * crypt, which every libcrypt has, otherwise. Cost 0: the library's
     * default, which it keeps current. Random salt from the system. */
    char salt[CRYPT_GENSALT_OUTPUT_SIZE];
    errno = 0;
    if (!crypt_gensalt_rn("$y$", 0, NULL, 0, salt, (int)sizeof salt) &&
        !crypt_gensalt_rn("$6$", 0, NULL, 0, salt, (int)sizeof salt)) {
        util_format(err, errlen, "cannot make a salt for the PIN: %s", strerror(errno));
        return -1;
    }
    struct crypt_data *cd = crypt_area();
    if (!cd) {
        util_format(err, errlen, "out of memory");
        return -1;
    }
    int rc = -1;
    errno = 0;
    const char *h = crypt_r(pin, salt, cd);
    if (!h || h[0] != '$' || !settings_hash_well_formed(h)) {
        util_format(err, errlen, "cannot hash the PIN: %s",
                    errno ? strerror(errno) : "libcrypt failed");
    } else if (strlen(h) >= cap) {
        util_format(err, errlen, "the hash does not fit (%zu bytes of room)", cap);
    } else {
        memcpy(out, h, strlen(h) + 1);
        rc = 0;
    }
    crypt_area_free(cd);
    return rc;
}

bool pin_verify(const char *pin, const char *hash)
{
    if (!pin_well_formed(pin) || !settings_hash_well_formed(hash))
        return false;
    struct crypt_data *cd = crypt_area();
    if (!cd)
        return false;
    /* On failure crypt_r gives NULL or a string starting with '*', which a
     * well-formed hash never equals. */
    const char *got = crypt_r(pin, hash, cd);
    bool same = false;
    if (got) {
        size_t n = strlen(hash);
        /* The length of the hash is no secret; the bytes are compared
         * without an early exit, so the time taken says nothing of how
         * much of it matched. */
        if (strlen(got) == n) {
            volatile unsigned char diff = 0;
            for (size_t i = 0; i < n; i++)
                diff |= (unsigned char)(got[i] ^ hash[i]);
            same = diff == 0;
        }
    }
    crypt_area_free(cd);
    return same;
}

/* ---- kiosk --set-pin: the terminal -------------------------------------- */

/* Echo is off while a PIN is typed; a signal then (Ctrl-C) must not leave
 * the terminal that way, so the handler puts it back before the signal
 * does what it normally does. */
static struct termios saved_tio;
static volatile sig_atomic_t saved_fd = -1;
static const int restore_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
enum { N_RESTORE_SIGNALS = sizeof restore_signals / sizeof restore_signals[0] };

static void restore_and_reraise(int sig)
{
    if (saved_fd >= 0)
        tcsetattr(saved_fd, TCSAFLUSH, &saved_tio);
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Prompts and reads one line into buf (without its line break). Returns 0,
 * 1 for a line too long for buf (read to its end and dropped), or -1 at the
 * end of the input. */
static int read_pin_line(FILE *in, FILE *out, const char *prompt, char *buf, size_t cap)
{
    int fd = fileno(in);
    bool tty = fd >= 0 && isatty(fd);
    struct sigaction old[N_RESTORE_SIGNALS];
    fputs(prompt, out);
    fflush(out);
    if (tty && tcgetattr(fd, &saved_tio) == 0) {
        struct termios quiet = saved_tio;
        quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL);
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = restore_and_reraise;
        sigemptyset(&sa.sa_mask);
        for (int i = 0; i < N_RESTORE_SIGNALS; i++)
            sigaction(restore_signals[i], &sa, &old[i]);
        saved_fd = fd;
        if (tcsetattr(fd, TCSAFLUSH, &quiet) != 0)
            saved_fd = -1;
    } else {
        tty = false;
    }
    int rc = 0;
    if (!fgets(buf, (int)cap, in)) {
        rc = -1;
    } else if (!strchr(buf, '\n') && !feof(in)) {
        int ch;
        while ((ch = getc(in)) != EOF && ch != '\n')
            ;
        rc = 1;
    }
    if (tty) {
        if (saved_fd >= 0)
            tcsetattr(fd, TCSAFLUSH, &saved_tio);
        saved_fd = -1;
        for (int i = 0; i < N_RESTORE_SIGNALS; i++)
            sigaction(restore_signals[i], &old[i], NULL);
        fputc('\n', out); /* the Enter the terminal did not echo */
        fflush(out);
    }
    if (rc == 0)
        buf[strcspn(buf, "\r\n")] = '\0';
    return rc;
}

/* Both PINs typed, checked and hashed into hash. Returns 0, or -1 with the
 * reason in err; the PINs themselves are wiped either way. */
static int ask_new_pin(FILE *in, FILE *out, char *hash, size_t cap, char *err, size_t errlen)
{
    char pin1[PIN_MAX_DIGITS + 8], pin2[PIN_MAX_DIGITS + 8];
    int rc = -1;
    int r = read_pin_line(in, out, "New staff PIN (4-8 digits): ", pin1, sizeof pin1);
    if (r < 0) {
        util_format(err, errlen, "no PIN was given; nothing was changed");
        goto done;
    }
    if (r > 0 || !pin_well_formed(pin1)) {
        util_format(err, errlen, "the PIN must be %d to %d digits (0-9 only); nothing was changed",
                    PIN_MIN_DIGITS, PIN_MAX_DIGITS);
        goto done;
    }
    r = read_pin_line(in, out, "The same PIN again: ", pin2, sizeof pin2);
    if (r < 0) {
        util_format(err, errlen, "the PIN was not given a second time; nothing was changed");
        goto done;
    }
    if (r > 0 || strcmp(pin1, pin2) != 0) {
        util_format(err, errlen, "the two PINs are not the same; nothing was changed");
        goto done;
    }
    rc = pin_hash(pin1, hash, cap, err, errlen);
done:
    explicit_bzero(pin1, sizeof pin1);
    explicit_bzero(pin2, sizeof pin2);
    return rc;
}

/* ---- kiosk --set-pin: the settings file --------------------------------- */

/* What a new settings file starts with; the packaged kiosk.yaml documents
 * the rest. */
static const char new_file_header[] =
    "# Settings for this kiosk screen, created by kiosk --set-pin. Every key is\n"
    "# described in /usr/share/kiosk/packaging/kiosk.yaml.\n";

/* The advice that goes with a refusal to read or write the file. */
static const char *as_root_hint(int e)
{
    return e == EACCES || e == EPERM || e == EROFS ? " (run it as root: sudo kiosk --set-pin)" : "";
}

/* The settings file exists: its real path (a symbolic link is written
 * through, not over) into target and its text into *text. access() is only
 * a hint (the write is the test), but a plain "run it as root" now beats a
 * failure after two PINs. */
static int read_existing(const char *path, char *target, char **text, size_t *len, char *err,
                         size_t errlen)
{
    if (!realpath(path, target)) {
        util_format(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    char *dir = fsx_dir_of(target);
    int why = 0;
    const char *cannot = NULL;
    if (access(target, R_OK) != 0) {
        why = errno;
        cannot = "read";
    } else if (!dir || access(dir, W_OK) != 0) {
        why = dir ? errno : ENOMEM;
        cannot = "replace";
    }
    free(dir);
    if (cannot) {
        util_format(err, errlen, "cannot %s %s: %s%s", cannot, target, strerror(why),
                    as_root_hint(why));
        return -1;
    }
    DiagList diags = DIAG_LIST_INIT;
    int rc = yt_read_file(target, SETTINGS_MAX_BYTES, "settings file", &diags, text, len);
    if (rc != 0 && diags.count)
        diag_format(&diags.items[0], err, errlen);
    diag_clear(&diags);
    return rc;
}

/* The settings file is missing: path into target and a new file's text
 * into *text, once the nearest directory that exists lets us create in
 * it. */
static int start_new(const char *path, char *target, char **text, size_t *len, char *err,
                     size_t errlen)
{
    if (strlen(path) >= PATH_MAX) {
        util_format(err, errlen, "%s: the path is too long", path);
        return -1;
    }
    memcpy(target, path, strlen(path) + 1);
    char *dir = fsx_dir_of(target);
    struct stat dst;
    while (dir && fsx_sys.stat(dir, &dst) != 0 && errno == ENOENT && strcmp(dir, "/") != 0 &&
           strcmp(dir, ".") != 0) {
        char *up = fsx_dir_of(dir);
        free(dir);
        dir = up;
    }
    int why = !dir ? ENOMEM : access(dir, W_OK | X_OK) != 0 ? errno : 0;
    if (why) {
        util_format(err, errlen, "cannot create %s in %s: %s%s", target, dir ? dir : "?",
                    strerror(why), as_root_hint(why));
        free(dir);
        return -1;
    }
    free(dir);
    *text = strdup(new_file_header);
    if (!*text) {
        util_format(err, errlen, "out of memory");
        return -1;
    }
    *len = strlen(*text);
    return 0;
}

/* Everything that can go wrong with the file is found out before the PIN
 * is asked for, not after it was typed twice: where to write (target), the
 * text to edit, the old file's owner and mode (*exists, st), and whether
 * the text can take a staff_pin line at all. */
static int prepare_target(const char *path, char *target, char **text, size_t *len, bool *exists,
                          struct stat *st, char *err, size_t errlen)
{
    *exists = false;
    if (!path || !*path) {
        util_format(err, errlen, "no settings file given");
        return -1;
    }
    if (fsx_sys.stat(path, st) == 0) {
        *exists = true;
        if (read_existing(path, target, text, len, err, errlen) != 0)
            return -1;
    } else if (errno == ENOENT) {
        if (start_new(path, target, text, len, err, errlen) != 0)
            return -1;
    } else {
        util_format(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    /* A stand-in hash shows whether the file can take one at all. */
    char *probe = settings_with_pin(*text, *len, "$6$probe$probeprobeprobe");
    if (!probe) {
        util_format(err, errlen,
                    "%s: cannot find where to put 'staff_pin:' (expected a file of "
                    "'key: value' lines that reads without errors; check it with "
                    "kiosk --check)",
                    target);
        return -1;
    }
    free(probe);
    return 0;
}

/* mkdir -p of path's directory, 0755 (the settings directory is readable;
 * the file is not). */
static int make_dirs_for(const char *path, char *err, size_t errlen)
{
    char failed[4096] = "";
    char *dir = fsx_dir_of(path);
    int rc = -1;
    if (!dir)
        util_format(err, errlen, "out of memory");
    else if (fsx_make_dirs(dir, 0755, false, failed, sizeof failed) != 0)
        util_format(err, errlen, "cannot create the directory %s: %s", failed, strerror(errno));
    else
        rc = 0;
    free(dir);
    return rc;
}

/* The new file's owner and mode: an existing file keeps who may read it
 * (0640 root:kiosk from the package, so the kiosk service can), minus any
 * access for others; a new one is 0600 whatever the umask. The PIN's hash
 * is never readable by others, not even for a moment: the temporary starts
 * 0600 (mkstemp). */
static int set_owner_and_mode(const FsxTmp *t, const char *path, const struct stat *old, char *err,
                              size_t errlen)
{
    if (old && fsx_sys.fchown(t->fd, old->st_uid, old->st_gid) != 0) {
        util_format(err, errlen,
                    "cannot give the new %s the owner and group of the old one: %s "
                    "(run it as root: sudo kiosk --set-pin)",
                    path, strerror(errno));
        return -1;
    }
    if (fsx_sys.fchmod(t->fd, old ? (old->st_mode & 0660) | 0600 : 0600) != 0) {
        util_format(err, errlen, "cannot set the mode of %s: %s", t->name, strerror(errno));
        return -1;
    }
    return 0;
}

/* Replaces path with data (fsx's atomic replace), through a temporary in
 * the same directory. */
static int write_settings(const char *path, const char *data, size_t len, const struct stat *old,
                          char *err, size_t errlen)
{
    FsxTmp t = FSX_TMP_INIT;
    char *dir = fsx_dir_of(path);
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    char templ[PATH_MAX];
    int rc = -1;
    if (!dir) {
        util_format(err, errlen, "out of memory");
        goto done;
    }
    if (snprintf(templ, sizeof templ, "%s/.%s.XXXXXX", dir, base) >= (int)sizeof templ) {
        util_format(err, errlen, "%s: the path is too long", path);
        goto done;
    }
    if (fsx_tmp_create_unique(&t, templ) != 0) {
        util_format(err, errlen, "cannot write in %s: %s%s", dir, strerror(errno),
                    as_root_hint(errno));
        goto done;
    }
    if (set_owner_and_mode(&t, path, old, err, errlen) != 0)
        goto done;
    int step = fsx_tmp_finish(&t, data, len);
    if (step == 0)
        step = fsx_tmp_commit(&t, path);
    if (step == FSX_STEP_FSYNC)
        util_format(err, errlen, "cannot write %s to disk: %s", t.name, strerror(errno));
    else if (step == FSX_STEP_RENAME)
        util_format(err, errlen, "cannot replace %s: %s", path, strerror(errno));
    else if (step == FSX_STEP_SYNC_DIR)
        util_format(err, errlen, "%s was written, but its directory could not be synced: %s", path,
                    strerror(errno));
    else if (step != 0) /* write, close */
        util_format(err, errlen, "cannot write %s: %s", t.name, strerror(errno));
    rc = step == 0 ? 0 : -1;
done:
    fsx_tmp_discard(&t);
    free(dir);
    return rc;
}

int pin_prompt_and_write(const char *settings_path, FILE *in, FILE *out, char *err, size_t errlen)
{
    int rc = -1;
    char *text = NULL, *updated = NULL;
    size_t len = 0;
    char hash[PIN_HASH_MAX], target[PATH_MAX];
    struct stat st;
    bool exists = false;
    util_format(err, errlen, "unknown error");
    if (prepare_target(settings_path, target, &text, &len, &exists, &st, err, errlen) != 0)
        goto done;
    if (ask_new_pin(in, out, hash, sizeof hash, err, errlen) != 0)
        goto done;
    updated = settings_with_pin(text, len, hash);
    if (!updated) {
        util_format(err, errlen, "out of memory");
        goto done;
    }
    if (!exists && make_dirs_for(target, err, errlen) != 0)
        goto done;
    if (write_settings(target, updated, strlen(updated), exists ? &st : NULL, err, errlen) != 0)
        goto done;
    rc = 0;
done:
    free(text);
    free(updated);
    if (rc == 0 && err && errlen)
        err[0] = '\0';
    return rc;
}
