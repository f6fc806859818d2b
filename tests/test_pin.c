/* Tests of the staff PIN: hashing and checking, the wrong-PIN back-off as a
 * schedule, and `kiosk --set-pin` (pin_prompt_and_write) fed through pipes
 * into a temporary directory. */
#include <crypt.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "diag.h"
#include "pin.h"
#include "pinguard.h"
#include "pinstate.h"
#include "settings.h"

/* ---- hashing --------------------------------------------------------------- */

static void test_hash_and_verify(void)
{
    char h1[PIN_HASH_MAX], h2[PIN_HASH_MAX], err[200];
    CHECK_INT(pin_hash("1234", h1, sizeof h1, err, sizeof err), 0);
    CHECK_INT(pin_hash("1234", h2, sizeof h2, err, sizeof err), 0);
    /* yescrypt where libcrypt has it (it has, on Debian 12). */
    CHECK(strncmp(h1, "$y$", 3) == 0 || strncmp(h1, "$6$", 3) == 0);
    CHECK(settings_hash_well_formed(h1));
    CHECK(strstr(h1, "1234") == NULL);
    /* A fresh salt each time: the same PIN never gives the same hash. */
    CHECK(strcmp(h1, h2) != 0);

    static const struct {
        const char *pin;
        bool ok;
    } tries[] = {
        {"1234", true}, {"1235", false},  {"12345", false},  {"123", false},      {"", false},
        {NULL, false},  {"1234 ", false}, {"1234\n", false}, {"０１２３", false}, /* fullwidth
                                                                                     digits are not
                                                                                     digits */
    };
    for (size_t i = 0; i < sizeof tries / sizeof tries[0]; i++) {
        if (pin_verify(tries[i].pin, h1) != tries[i].ok ||
            pin_verify(tries[i].pin, h2) != tries[i].ok) {
            fprintf(stderr, "FAIL pin_verify('%s') should be %s\n",
                    tries[i].pin ? tries[i].pin : "(NULL)", tries[i].ok ? "true" : "false");
            check_failures++;
        }
    }

    /* Bad hashes: never true, never a crash. */
    char truncated[PIN_HASH_MAX], changed[PIN_HASH_MAX], longer[PIN_HASH_MAX + 2];
    snprintf(truncated, sizeof truncated, "%.*s", (int)strlen(h1) - 1, h1);
    snprintf(changed, sizeof changed, "%s", h1);
    changed[strlen(changed) - 1] = changed[strlen(changed) - 1] == 'A' ? 'B' : 'A';
    snprintf(longer, sizeof longer, "%sA", h1);
    const char *bad[] = {NULL,
                         "",
                         "1234",
                         "$",
                         "$6$",
                         "$y$",
                         "garbage",
                         "*0",
                         "$6$salt",
                         truncated,
                         changed,
                         longer,
                         "$zz$abcdefghijklmnop",
                         "12xCp5jPFjU4E"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (pin_verify("1234", bad[i])) {
            fprintf(stderr, "FAIL pin_verify accepted hash '%s'\n", bad[i] ? bad[i] : "(NULL)");
            check_failures++;
        }

    /* Longest and shortest PINs; an 8-digit one with leading zeros. */
    CHECK_INT(pin_hash("00000000", h1, sizeof h1, err, sizeof err), 0);
    CHECK(pin_verify("00000000", h1));
    CHECK(!pin_verify("0000000", h1));
    CHECK(!pin_verify("0", h1));

    /* A SHA-512 hash made elsewhere (an older kiosk, `mkpasswd -m sha-512`). */
    char salt[CRYPT_GENSALT_OUTPUT_SIZE];
    CHECK(crypt_gensalt_rn("$6$", 0, NULL, 0, salt, (int)sizeof salt) != NULL);
    struct crypt_data *cd = calloc(1, sizeof *cd);
    if (!cd)
        abort();
    const char *sha = crypt_r("24680", salt, cd);
    CHECK(sha && strncmp(sha, "$6$", 3) == 0);
    if (sha) {
        CHECK(pin_verify("24680", sha));
        CHECK(!pin_verify("2468", sha));
    }
    free(cd);

    /* PINs refused, with the reason and never the PIN in the message. */
    static const char *const refused[] = {"",       "123",  "123456789", "12a4",  " 1234",
                                          "1234\n", "-123", "+1234",     "12 34", "１２３４"};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        strcpy(h1, "untouched");
        err[0] = '\0';
        int rc = pin_hash(refused[i], h1, sizeof h1, err, sizeof err);
        if (rc != -1 || strcmp(err, "the PIN must be 4 to 8 digits (0-9 only)") != 0 ||
            h1[0] != '\0') {
            fprintf(stderr, "FAIL pin_hash('%s'): rc %d, err '%s', out '%s'\n", refused[i], rc, err,
                    h1);
            check_failures++;
        }
    }
    CHECK_INT(pin_hash(NULL, h1, sizeof h1, err, sizeof err), -1);
    /* No room for the hash: refused, not cut. */
    char tiny[16];
    CHECK_INT(pin_hash("1234", tiny, sizeof tiny, err, sizeof err), -1);
    CHECK_STR(err, "the hash does not fit (16 bytes of room)");
    CHECK_STR(tiny, "");
    /* err may be left out. */
    CHECK_INT(pin_hash("12", h1, sizeof h1, NULL, 0), -1);
}

/* ---- kiosk --set-pin ------------------------------------------------------------ */

static char tmpdir[] = "/tmp/test_pin.XXXXXX";

/* A pipe with input already in it: not a terminal, as for a script. */
static FILE *input(const char *text)
{
    int fds[2];
    if (pipe(fds) != 0)
        abort();
    size_t n = strlen(text);
    if (write(fds[1], text, n) != (ssize_t)n)
        abort();
    close(fds[1]);
    FILE *f = fdopen(fds[0], "r");
    if (!f)
        abort();
    return f;
}

typedef struct {
    int rc;
    char err[512];
    char *out;
} Run;

static Run set_pin(const char *path, const char *typed)
{
    Run r = {0, "", NULL};
    FILE *in = input(typed);
    size_t out_len = 0;
    FILE *out = open_memstream(&r.out, &out_len);
    if (!out)
        abort();
    r.rc = pin_prompt_and_write(path, in, out, r.err, sizeof r.err);
    fclose(out);
    fclose(in);
    return r;
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = calloc(1, 1 << 16);
    if (!buf)
        abort();
    size_t n = fread(buf, 1, (1 << 16) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
    FILE *f = fopen(path, "wb");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0)
        abort();
    chmod(path, mode);
}

static int mode_of(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0 ? (int)(st.st_mode & 07777) : -1;
}

/* The staff_pin the file loads to, checked against pin. */
static bool file_pin_is(const char *path, const char *pin)
{
    DiagList diags = DIAG_LIST_INIT;
    Settings *s = settings_load(path, &diags);
    bool ok = s && s->staff_pin && pin_verify(pin, s->staff_pin) &&
              diag_count(&diags, DIAG_WARNING) == 0;
    settings_free(s);
    diag_clear(&diags);
    return ok;
}

static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    if (!d)
        return -1;
    for (struct dirent *e; (e = readdir(d));)
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

#define PROMPTS "New staff PIN (6-8 digits): The same PIN again: "

static void test_set_pin(void)
{
    umask(022);
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        check_failures++;
        return;
    }
    char dir[128], path[160], want[1024];
    snprintf(dir, sizeof dir, "%s/etc/kiosk", tmpdir);
    snprintf(path, sizeof path, "%s/kiosk.yaml", dir);

    /* First run: no file, no directory. Both are made; the file 0600. */
    Run r = set_pin(path, "123456\n123456\n");
    CHECK_INT(r.rc, 0);
    CHECK_STR(r.err, "");
    CHECK_STR(r.out, PROMPTS);
    free(r.out);
    CHECK_INT(mode_of(path), 0600);
    CHECK_INT(mode_of(dir), 0755);
    CHECK(file_pin_is(path, "123456"));
    CHECK(!file_pin_is(path, "654321"));
    CHECK_INT(entries(dir), 1); /* no temporary file left */

    /* Second run: the staff edited the file meanwhile; all of it stays,
     * and so do its owner group and mode. */
    char *first = read_all(path);
    CHECK(first && strstr(first, "# Settings for this kiosk screen") == first);
    const char *staff_pin_line = first ? strstr(first, "staff_pin: \"$") : NULL;
    CHECK(staff_pin_line != NULL);
    char edited[2048];
    snprintf(edited, sizeof edited, "# my screen\nrotation: 90   # turned\n%.*s\ndisplay: 1\n",
             staff_pin_line ? (int)strcspn(staff_pin_line, "\n") : 0,
             staff_pin_line ? staff_pin_line : "");
    write_file(path, edited, 0640);
    free(first);
    r = set_pin(path, "56789012\r\n56789012\r\n");
    CHECK_INT(r.rc, 0);
    free(r.out);
    CHECK(file_pin_is(path, "56789012"));
    CHECK(!file_pin_is(path, "123456"));
    CHECK_INT(mode_of(path), 0640);
    char *second = read_all(path);
    CHECK(second &&
          strncmp(second, "# my screen\nrotation: 90   # turned\nstaff_pin: \"$", 49) == 0);
    CHECK(second && strstr(second, "\"\ndisplay: 1\n") != NULL);
    CHECK(second && strstr(second, "rotation: 90") && strstr(second, "display: 1"));
    free(second);
    DiagList diags = DIAG_LIST_INIT;
    Settings *s = settings_load(path, &diags);
    CHECK(s && s->rotation == 90 && s->display == 1);
    settings_free(s);
    diag_clear(&diags);
    CHECK_INT(entries(dir), 1);

    /* A mode that lets others read is not carried over. */
    chmod(path, 0644);
    r = set_pin(path, "111111\n111111\n");
    CHECK_INT(r.rc, 0);
    free(r.out);
    CHECK_INT(mode_of(path), 0640);
    CHECK(file_pin_is(path, "111111"));

    /* Refusals: the file is untouched and the reason is given. */
    char *before = read_all(path);
    static const struct {
        const char *typed, *err, *out;
    } no[] = {
        {"123456\n123457\n", "the two PINs are not the same; nothing was changed", PROMPTS},
        {"123456\n", "the PIN was not given a second time; nothing was changed", PROMPTS},
        {"", "no PIN was given; nothing was changed", "New staff PIN (6-8 digits): "},
        {"12\n12\n", "the PIN must be 6 to 8 digits (0-9 only); nothing was changed",
         "New staff PIN (6-8 digits): "},
        /* 4 and 5 digits: still checked at the kiosk when set before, but
         * too few for a new PIN. */
        {"1234\n1234\n", "the PIN must be 6 to 8 digits (0-9 only); nothing was changed",
         "New staff PIN (6-8 digits): "},
        {"12345\n12345\n", "the PIN must be 6 to 8 digits (0-9 only); nothing was changed",
         "New staff PIN (6-8 digits): "},
        {"123456789\n123456789\n", "the PIN must be 6 to 8 digits (0-9 only); nothing was changed",
         "New staff PIN (6-8 digits): "},
        {"1234567890123456789012345678901234567890\n",
         "the PIN must be 6 to 8 digits (0-9 only); nothing was changed",
         "New staff PIN (6-8 digits): "},
        {"abcd\nabcd\n", "the PIN must be 6 to 8 digits (0-9 only); nothing was changed",
         "New staff PIN (6-8 digits): "},
        {"\n\n", "the PIN must be 6 to 8 digits (0-9 only); nothing was changed",
         "New staff PIN (6-8 digits): "},
    };
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
        r = set_pin(path, no[i].typed);
        char *after = read_all(path);
        if (r.rc != -1 || strcmp(r.err, no[i].err) != 0 || strcmp(r.out, no[i].out) != 0 ||
            !before || !after || strcmp(before, after) != 0) {
            fprintf(stderr, "FAIL set-pin refusal %zu: rc %d, err '%s', out '%s'\n", i, r.rc, r.err,
                    r.out);
            check_failures++;
        }
        free(after);
        free(r.out);
    }
    free(before);
    CHECK_INT(entries(dir), 1);

    /* A file the edit cannot handle is found out before any PIN is asked. */
    char flow[200];
    snprintf(flow, sizeof flow, "%s/flow.yaml", dir);
    write_file(flow, "{rotation: 90}\n", 0600);
    r = set_pin(flow, "123456\n123456\n");
    CHECK_INT(r.rc, -1);
    snprintf(want, sizeof want,
             "%s: cannot find where to put 'staff_pin:' (expected a file of 'key: value' lines "
             "that reads without errors; check it with kiosk --check)",
             flow);
    CHECK_STR(r.err, want);
    CHECK_STR(r.out, "");
    free(r.out);
    char *kept = read_all(flow);
    CHECK_STR(kept, "{rotation: 90}\n");
    free(kept);
    unlink(flow);

    /* A cleartext PIN typed into the file by hand is what --set-pin fixes. */
    write_file(path, "rotation: 0\nstaff_pin: 1234\n", 0600);
    r = set_pin(path, "246800\n246800\n");
    CHECK_INT(r.rc, 0);
    free(r.out);
    CHECK(file_pin_is(path, "246800"));
    char *fixed = read_all(path);
    CHECK(fixed && !strstr(fixed, "1234"));
    free(fixed);

    /* Through a symbolic link: the file it points to is updated, the link
     * stays. */
    char link[200];
    snprintf(link, sizeof link, "%s/link.yaml", dir);
    CHECK_INT(symlink("kiosk.yaml", link), 0);
    r = set_pin(link, "975310\n975310\n");
    CHECK_INT(r.rc, 0);
    CHECK_STR(r.out, PROMPTS);
    free(r.out);
    struct stat st;
    CHECK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
    CHECK(file_pin_is(path, "975310"));
    unlink(link);

    /* Not a file: said plainly, before any PIN is asked. */
    r = set_pin(dir, "123456\n123456\n");
    CHECK_INT(r.rc, -1);
    snprintf(want, sizeof want, "%s: error: is a directory (expected a YAML file)", dir);
    char realdir[200];
    if (realpath(dir, realdir))
        snprintf(want, sizeof want, "%s: error: is a directory (expected a YAML file)", realdir);
    CHECK_STR(r.err, want);
    CHECK_STR(r.out, "");
    free(r.out);

    /* A directory nobody may write to (unless we are root, who may). */
    if (geteuid() != 0) {
        char ro[200], ro_file[240];
        snprintf(ro, sizeof ro, "%s/ro", tmpdir);
        CHECK_INT(mkdir(ro, 0755), 0);
        snprintf(ro_file, sizeof ro_file, "%s/kiosk.yaml", ro);
        write_file(ro_file, "rotation: 0\n", 0644);
        CHECK_INT(chmod(ro, 0555), 0);
        r = set_pin(ro_file, "123456\n123456\n");
        CHECK_INT(r.rc, -1);
        char realro[240];
        snprintf(want, sizeof want,
                 "cannot replace %s: Permission denied (run it as root: "
                 "sudo kiosk --set-pin)",
                 realpath(ro_file, realro) ? realro : ro_file);
        CHECK_STR(r.err, want);
        CHECK_STR(r.out, "");
        free(r.out);
        /* ... nor a new file in it, or below it. */
        char deeper[300];
        snprintf(deeper, sizeof deeper, "%s/sub/kiosk.yaml", ro);
        r = set_pin(deeper, "123456\n123456\n");
        CHECK_INT(r.rc, -1);
        snprintf(want, sizeof want,
                 "cannot create %s in %s: Permission denied (run it as "
                 "root: sudo kiosk --set-pin)",
                 deeper, ro);
        CHECK_STR(r.err, want);
        CHECK_STR(r.out, "");
        free(r.out);
        chmod(ro, 0755);
        unlink(ro_file);
        rmdir(ro);
    }

    unlink(path);
    rmdir(dir);
    snprintf(dir, sizeof dir, "%s/etc", tmpdir);
    rmdir(dir);
    CHECK_INT(rmdir(tmpdir), 0);
}

/* The staff_pin hash the settings file holds now (a copy to free). */
static char *file_hash(const char *path)
{
    DiagList diags = DIAG_LIST_INIT;
    Settings *s = settings_load(path, &diags);
    char *h = s && s->staff_pin ? strdup(s->staff_pin) : NULL;
    settings_free(s);
    diag_clear(&diags);
    return h;
}

/* Runs the built kiosk with args, typed on its standard input; its
 * standard error into err. Returns its exit status. */
static int run_kiosk(const char *args, const char *typed, const char *dir, char *err, size_t cap)
{
    char cmd[1024], in_path[256], err_path[256];
    snprintf(in_path, sizeof in_path, "%s/stdin", dir);
    snprintf(err_path, sizeof err_path, "%s/stderr", dir);
    write_file(in_path, typed, 0600);
    snprintf(cmd, sizeof cmd, "'%s' %s <'%s' >/dev/null 2>'%s'", KIOSK_BIN, args, in_path,
             err_path);
    int st = system(cmd);
    char *e = read_all(err_path);
    snprintf(err, cap, "%s", e ? e : "");
    free(e);
    unlink(in_path);
    unlink(err_path);
    return st >= 0 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Staff's way back in after a visitor's wrong PINs: kiosk --set-pin makes
 * a new hash (a fresh salt, even for the same PIN), and a back-off counted
 * against the old one is not taken over at the next start. Through the
 * module, then through the kiosk binary as staff run it. */
static void test_set_pin_ends_backoff(void)
{
    char dir[] = "/tmp/test_pin_backoff.XXXXXX";
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        check_failures++;
        return;
    }
    char conf[128], state[128], err[600], args[400];
    snprintf(conf, sizeof conf, "%s/kiosk.yaml", dir);
    snprintf(state, sizeof state, "%s/" PIN_STATE_FILE, dir);
    Run r = set_pin(conf, "135790\n135790\n");
    CHECK_INT(r.rc, 0);
    free(r.out);
    char *old = file_hash(conf);
    /* Nine wrong PINs: the 15 min lockout, and it survives a restart. */
    PinGuard g = {9, 100000 + PIN_LOCK_MAX_MS};
    CHECK_INT(pin_state_keep(state, old, &g, 100000, 1700000000, err, sizeof err), 0);
    PinGuard after = pin_state_restore(state, old, 0, 1700000060, err, sizeof err);
    CHECK_INT(pin_guard_wait_s(&after, 0), 840);

    /* The same PIN set again: a new hash, no lockout at the next start. */
    r = set_pin(conf, "135790\n135790\n");
    CHECK_INT(r.rc, 0);
    free(r.out);
    char *fresh = file_hash(conf);
    CHECK(old && fresh && strcmp(old, fresh) != 0);
    CHECK(fresh && pin_verify("135790", fresh));
    after = pin_state_restore(state, fresh, 0, 1700000060, err, sizeof err);
    CHECK_INT(after.failures, 0);
    CHECK(!pin_guard_locked(&after, 0));

    /* The same through `kiosk --set-pin --config FILE`. */
    CHECK_INT(pin_state_keep(state, fresh, &g, 100000, 1700000000, err, sizeof err), 0);
    snprintf(args, sizeof args, "--set-pin --config '%s'", conf);
    CHECK_INT(run_kiosk(args, "24681357\n24681357\n", dir, err, sizeof err), 0);
    CHECK_STR(err, "");
    char *third = file_hash(conf);
    CHECK(third && pin_verify("24681357", third));
    after = pin_state_restore(state, third, 0, 1700000060, err, sizeof err);
    CHECK_INT(after.failures, 0);
    CHECK(!pin_guard_locked(&after, 0));

    /* A 5-digit PIN is refused, said plainly; the file keeps its PIN. */
    CHECK_INT(run_kiosk(args, "13579\n13579\n", dir, err, sizeof err), 1);
    CHECK_STR(err, "kiosk: the PIN must be 6 to 8 digits (0-9 only); nothing was changed\n");
    char *kept = file_hash(conf);
    CHECK(kept && third && strcmp(kept, third) == 0);

    free(old);
    free(fresh);
    free(third);
    free(kept);
    unlink(state);
    unlink(conf);
    CHECK_INT(rmdir(dir), 0);
}

int main(void)
{
    test_hash_and_verify();
    test_set_pin();
    test_set_pin_ends_backoff();
    return check_report("test_pin");
}
