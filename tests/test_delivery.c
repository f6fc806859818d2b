/* Delivery against real servers on loopback: aiosmtpd for SMTP (plain,
 * STARTTLS and smtps://, with a test CA made here with openssl, and a
 * login checked) and a small HTTPS server
 * for the webhook (tests/delivery_server.py), with sign-ups made through
 * the real shell (tests/rig.h). Proves: every sign-up arrives exactly once
 * by each route, in order, with its id as Message-ID and Idempotency-Key;
 * across a server outage (rows made while it is down arrive when it is
 * back); across a lost reply (the retry carries the same key); across a
 * kiosk restart with rows waiting; across a change of the deck's form
 * with a row waiting (the old file set aside); a server without STARTTLS
 * gets nothing unless insecure is set, with a message saying why;
 * duplicates are marked in the file and in what is sent.
 *
 * Needs /usr/bin/python3 with aiosmtpd and openssl (scripts/deps --test);
 * without them it says SKIP and exits 77. Ports: 25000-25999. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "csv.h"
#include "files.h"
#include "rig.h"
#include "shellstate.h"

#define PY "/usr/bin/python3"
#define SERVER TEST_SOURCE_DIR "/tests/delivery_server.py"
/* A first retry comes 5 s after a failure, the next 10 s later: this
 * covers three tries with room for a slow machine. */
#define ARRIVE_MS 45000

static char tmp[] = "/tmp/kiosk-delivery-XXXXXX";
static char ca[256], cert[256], key[256], token[256], password[256];
static int smtp_port, tls_port, hook_port;

/* ---- servers ------------------------------------------------------------- */

static pid_t start_server(const char *kind, int port, const char *log, bool tls)
{
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    char p[16];
    snprintf(p, sizeof p, "%d", port);
    pid_t pid = fork();
    if (pid == 0) {
        char err[300];
        snprintf(err, sizeof err, "%s.err", log);
        int efd = open(err, O_WRONLY | O_CREAT | O_APPEND, 0600);
        if (efd >= 0)
            dup2(efd, 2);
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        if (tls)
            execl(PY, PY, SERVER, kind, p, log, cert, key, (char *)NULL);
        else
            execl(PY, PY, SERVER, kind, p, log, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    char buf[16] = "";
    FILE *f = fdopen(fds[0], "r");
    bool ready = f && fgets(buf, sizeof buf, f) && strncmp(buf, "ready", 5) == 0;
    if (f)
        fclose(f);
    if (!ready) {
        fprintf(stderr, "%s server on port %d did not start\n", kind, port);
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        return -1;
    }
    return pid;
}

static void stop_server(pid_t *pid)
{
    if (*pid > 0) {
        kill(*pid, SIGKILL);
        waitpid(*pid, NULL, 0);
    }
    *pid = -1;
}

/* Lines of the server's log holding needle. */
static int count_lines(const char *log, const char *needle)
{
    size_t len;
    char *text = files_slurp(log, &len);
    int n = 0;
    for (char *line = text ? strtok(text, "\n") : NULL; line; line = strtok(NULL, "\n"))
        n += strstr(line, needle) != NULL;
    free(text);
    return n;
}

static int count_all(const char *log)
{
    return count_lines(log, " ");
}

/* ---- the kiosk ----------------------------------------------------------- */

/* Turns the shell (the delivery threads run on their own) until want
 * lines are in log or ms pass. */
static bool wait_lines(Rig *r, const char *log, const char *needle, int want, int ms)
{
    for (int waited = 0; waited <= ms; waited += 50) {
        if (count_lines(log, needle) >= want)
            return true;
        rig_turn(r, 50, false);
        usleep(50 * 1000);
    }
    return false;
}

/* The ids of the sign-up file's rows, in order; returns how many. */
static int csv_column(const char *csv, const char *name, char out[][64], int max)
{
    size_t len, used, off = 0;
    char *buf = files_slurp(csv, &len), *f[64];
    int n = 0, col = -1, nf;
    while (buf && off < len && n < max &&
           (nf = csv_parse_row(buf + off, len - off, &used, f, 64)) > 0) {
        off += used;
        for (int i = 0; i < nf; i++) {
            if (col < 0 && strcmp(f[i], name) == 0)
                col = i;
            else if (i == col && off > used)
                snprintf(out[n++], 64, "%s", f[i]);
        }
        if (col < 0)
            break;
        for (int i = 0; i < nf; i++)
            free(f[i]);
    }
    free(buf);
    return n;
}

static void write_secret(const char *path, const char *text)
{
    files_write(path, text, strlen(text));
    chmod(path, 0600);
}

static int sh(const char *cmd)
{
    int rc = system(cmd);
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static int make_ca(void)
{
    char cmd[2048];
    snprintf(ca, sizeof ca, "%s/ca.pem", tmp);
    snprintf(cert, sizeof cert, "%s/server.pem", tmp);
    snprintf(key, sizeof key, "%s/server.key", tmp);
    snprintf(cmd, sizeof cmd,
             "cd %s && openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=test-ca "
             "-keyout ca.key -out ca.pem 2>/dev/null && "
             "openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout server.key "
             "-out server.csr 2>/dev/null && "
             "printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\\n' > san.ext && "
             "openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial "
             "-days 1 -extfile san.ext -out server.pem 2>/dev/null",
             tmp);
    return sh(cmd);
}

/* The settings' delivery section for the ports; smtp_url may be NULL. */
static void delivery_yaml(char *out, size_t cap, const char *smtp_url, bool insecure, bool webhook)
{
    int n = 0;
    n += snprintf(out + n, cap - (size_t)n, "delivery:\n");
    if (smtp_url)
        n += snprintf(out + n, cap - (size_t)n,
                      "  email:\n    to: frontdesk@clinic.example\n"
                      "    from: kiosk@clinic.example\n    smtp: %s\n    user: kiosk\n"
                      "    password_file: %s\n    ca_file: %s\n    insecure: %s\n",
                      smtp_url, password, ca, insecure ? "true" : "false");
    if (webhook)
        snprintf(out + n, cap - (size_t)n,
                 "  webhook:\n    url: https://127.0.0.1:%d/hooks/kiosk\n"
                 "    token_file: %s\n    ca_file: %s\n",
                 hook_port, token, ca);
}

static void message_id(char *out, size_t cap, const char *id)
{
    snprintf(out, cap, "MSG <%s@kiosk>", id);
}

static void post_key(char *out, size_t cap, const char *id)
{
    snprintf(out, cap, "POST %s ", id);
}

/* Past the thank-you screen, so the next client can start. */
static void back_to_slides(Rig *r)
{
    for (int i = 0; i < 200 && rig_app(r)->screen != SCREEN_SLIDES; i++)
        rig_turn(r, 500, false);
}

/* Every row of the file arrived exactly once by both routes, in order. */
static void check_each_once(const Rig *r, const char *smtp_log, const char *hook_log, int rows)
{
    char ids[64][64], needle[128];
    int n = csv_column(r->csv, "id", ids, 64);
    CHECK_INT(n, rows);
    for (int i = 0; i < n; i++) {
        message_id(needle, sizeof needle, ids[i]);
        if (smtp_log)
            CHECK_INT(count_lines(smtp_log, needle), 1);
        post_key(needle, sizeof needle, ids[i]);
        if (hook_log)
            CHECK(count_lines(hook_log, needle) >= 1);
    }
    /* In order: the n-th message is the n-th row. */
    for (int i = 0; smtp_log && i < n; i++) {
        char eml[300];
        snprintf(eml, sizeof eml, "%s.%d.eml", smtp_log, i + 1);
        message_id(needle, sizeof needle, ids[i]);
        CHECK(files_contain(eml, needle + 4));
    }
}

/* Plain SMTP (insecure, loopback) and the HTTPS webhook; three sign-ups,
 * the third a duplicate of the first by its email. */
static void test_both_routes(void)
{
    char dir[128], smtp_log[160], hook_log[160], yaml[2048], url[64];
    snprintf(dir, sizeof dir, "%s/both", tmp);
    mkdir(dir, 0700);
    snprintf(smtp_log, sizeof smtp_log, "%s/smtp.log", dir);
    snprintf(hook_log, sizeof hook_log, "%s/hook.log", dir);
    pid_t smtp = start_server("smtp", smtp_port, smtp_log, false);
    pid_t hook = start_server("hook", hook_port, hook_log, true);
    snprintf(url, sizeof url, "smtp://127.0.0.1:%d", smtp_port);
    delivery_yaml(yaml, sizeof yaml, url, true, true);
    Rig r;
    CHECK(smtp > 0 && hook > 0 && rig_open_in(&r, dir, yaml, 1280, 800) == 0);
    if (smtp <= 0 || hook <= 0 || !r.sh)
        goto done;
    CHECK(rig_sign_up(&r, "Ann Lee", "+44 20 7946 0000", "ann@example.com", 0));
    back_to_slides(&r);
    CHECK(rig_sign_up(&r, "Bo Chan", "0161 496 0000", "bo@example.com", 1));
    back_to_slides(&r);
    CHECK(rig_sign_up(&r, "Ann Lee", "020 7946 1111", " ANN@Example.com ", 0));
    CHECK(wait_lines(&r, smtp_log, "MSG", 3, ARRIVE_MS));
    CHECK(wait_lines(&r, hook_log, "POST", 3, ARRIVE_MS));
    check_each_once(&r, smtp_log, hook_log, 3);
    char ids[4][64], dups[4][64], needle[160];
    csv_column(r.csv, "id", ids, 4);
    CHECK_INT(csv_column(r.csv, "duplicate_of", dups, 4), 3);
    CHECK_STR(dups[0], "");
    CHECK_STR(dups[1], "");
    CHECK_STR(dups[2], ids[0]);
    snprintf(needle, sizeof needle, "\"duplicate_of\":\"%s\"", ids[0]);
    CHECK_INT(count_lines(hook_log, needle), 1);
    CHECK_INT(count_lines(hook_log, "\"duplicate_of\":null"), 2);
    CHECK_INT(count_lines(hook_log, "auth=Bearer_hook-token-123"), 3);
    CHECK_INT(count_lines(hook_log, "\"phone\":\"+44 20 7946 0000\""), 1); /* guard undone */
    CHECK_INT(count_lines(smtp_log, "tls=no auth=kiosk rcpt=frontdesk@clinic.example"), 3);
    /* The staff screen's line. */
    char line[120];
    delivery_describe(r.sh->delivery, line, sizeof line);
    CHECK(strncmp(line, "Delivery: 0 waiting · last delivered ", 38) == 0);
    rig_close(&r, true);
done:
    stop_server(&smtp);
    stop_server(&hook);
}

/* A server that speaks TLS, its certificate from the test CA (ca_file):
 * kind "smtp" with url "smtp://localhost:PORT" must upgrade with STARTTLS,
 * kind "smtps" with "smtps://127.0.0.1:PORT" uses TLS from the first byte.
 * The server logs want for a session such as it expects. */
static void test_tls(const char *kind, const char *url_fmt, const char *want)
{
    char dir[128], smtp_log[160], yaml[2048], url[64];
    snprintf(dir, sizeof dir, "%s/%s-tls", tmp, kind);
    mkdir(dir, 0700);
    snprintf(smtp_log, sizeof smtp_log, "%s/smtp.log", dir);
    pid_t smtp = start_server(kind, tls_port, smtp_log, true);
    snprintf(url, sizeof url, url_fmt, tls_port);
    delivery_yaml(yaml, sizeof yaml, url, false, false);
    Rig r;
    CHECK(smtp > 0 && rig_open_in(&r, dir, yaml, 1280, 800) == 0);
    if (smtp <= 0 || !r.sh)
        goto done;
    CHECK(rig_sign_up(&r, "Cy Dee", "07700 900000", "cy@example.com", 0));
    CHECK(wait_lines(&r, smtp_log, "MSG", 1, ARRIVE_MS));
    CHECK_INT(count_lines(smtp_log, want), 1);
    check_each_once(&r, smtp_log, NULL, 1);
    rig_close(&r, true);
done:
    stop_server(&smtp);
}

/* insecure: false and a server without STARTTLS: nothing is sent, the row
 * waits, and the log says why. */
static void test_no_starttls_refused(void)
{
    char dir[128], smtp_log[160], yaml[2048], url[64], errlog[160];
    snprintf(dir, sizeof dir, "%s/plain-refused", tmp);
    mkdir(dir, 0700);
    snprintf(smtp_log, sizeof smtp_log, "%s/smtp.log", dir);
    snprintf(errlog, sizeof errlog, "%s/kiosk.log", dir);
    pid_t smtp = start_server("smtp", smtp_port, smtp_log, false);
    snprintf(url, sizeof url, "smtp://127.0.0.1:%d", smtp_port);
    delivery_yaml(yaml, sizeof yaml, url, false, false);
    /* The kiosk's log: stderr, into a file for this case. */
    fflush(stderr);
    int saved = dup(2), fd = open(errlog, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(fd, 2);
    Rig r;
    CHECK(smtp > 0 && rig_open_in(&r, dir, yaml, 1280, 800) == 0);
    if (smtp > 0 && r.sh) {
        CHECK(rig_sign_up(&r, "Di Eve", "07700 900001", "di@example.com", 0));
        CHECK(wait_lines(&r, errlog, "does not offer STARTTLS", 1, 10000));
        CHECK_INT(count_all(smtp_log), 0);
        char line[120];
        delivery_describe(r.sh->delivery, line, sizeof line);
        CHECK_STR(line, "Delivery: 1 waiting · last delivered none yet · email failing");
        rig_close(&r, true);
    }
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    close(fd);
    /* Nothing personal in the log: not the name, phone or email. */
    CHECK_INT(count_lines(errlog, "Di Eve"), 0);
    CHECK_INT(count_lines(errlog, "900001"), 0);
    CHECK_INT(count_lines(errlog, "di@example.com"), 0);
    CHECK_INT(count_lines(errlog, "s3cret-pw"), 0);
    stop_server(&smtp);
}

/* Both servers down while two sign-ups come in, then back (the webhook
 * first answering 500, then losing its reply: the kiosk retries with the
 * same key); every
 * sign-up arrives once by email and under one key by webhook, in order.
 * Then the kiosk is stopped with a row waiting and started again: it
 * arrives. */
static void test_outage_and_restart(void)
{
    char dir[128], smtp_log[160], hook_log[160], mode[180], yaml[2048], url[64];
    snprintf(dir, sizeof dir, "%s/outage", tmp);
    mkdir(dir, 0700);
    snprintf(smtp_log, sizeof smtp_log, "%s/smtp.log", dir);
    snprintf(hook_log, sizeof hook_log, "%s/hook.log", dir);
    snprintf(mode, sizeof mode, "%s.mode", hook_log);
    snprintf(url, sizeof url, "smtp://127.0.0.1:%d", smtp_port);
    delivery_yaml(yaml, sizeof yaml, url, true, true);
    pid_t smtp = -1, hook = -1;
    Rig r;
    CHECK(rig_open_in(&r, dir, yaml, 1280, 800) == 0);
    if (!r.sh)
        return;
    CHECK(rig_sign_up(&r, "Ed Fox", "07700 900002", "ed@example.com", 0));
    back_to_slides(&r);
    CHECK(rig_sign_up(&r, "Flo Gee", "07700 900003", "flo@example.com", 1));
    for (int i = 0; i < 20; i++) { /* a few failed tries while down */
        rig_turn(&r, 50, false);
        usleep(100 * 1000);
    }
    files_write(mode, "500", 3);
    smtp = start_server("smtp", smtp_port, smtp_log, false);
    hook = start_server("hook", hook_port, hook_log, true);
    CHECK(wait_lines(&r, smtp_log, "MSG", 2, ARRIVE_MS));
    CHECK(wait_lines(&r, hook_log, "POST", 1, ARRIVE_MS)); /* answered 500 */
    files_write(mode, "drop", 4);
    CHECK(wait_lines(&r, hook_log, "POST", 2, ARRIVE_MS)); /* read, reply lost */
    files_write(mode, "ok", 2);
    CHECK(wait_lines(&r, hook_log, "POST", 4, ARRIVE_MS));
    check_each_once(&r, smtp_log, hook_log, 2);
    char ids[4][64], needle[128];
    csv_column(r.csv, "id", ids, 4);
    post_key(needle, sizeof needle, ids[0]);
    /* 500, lost reply, accepted: the same key each time, and only then the
     * next row (in order). */
    CHECK_INT(count_lines(hook_log, needle), 3);

    /* Stopped with a row waiting, started again. */
    stop_server(&smtp);
    stop_server(&hook);
    back_to_slides(&r);
    CHECK(rig_sign_up(&r, "Gus Hay", "07700 900004", "gus@example.com", 0));
    for (int i = 0; i < 10; i++) { /* a failed try: counted as waiting */
        rig_turn(&r, 50, false);
        usleep(50 * 1000);
    }
    /* Exported to the stick while it waits: Erase is not offered, so the
     * erase cannot take it from the front desk's inbox. */
    back_to_slides(&r);
    rig_open_staff(&r);
    CHECK_INT(rig_app(&r)->screen, SCREEN_STAFF);
    StaffLayout sl;
    app_staff_layout(rig_app(&r), &sl);
    rig_tap(&r, sl.export_btn);
    for (int i = 0; i < 200 && !strstr(rig_app(&r)->staff.message, "Saved"); i++) {
        rig_turn(&r, 20, false);
        usleep(10 * 1000);
    }
    CHECK(strstr(rig_app(&r)->staff.message, "Saved") != NULL);
    CHECK(strstr(rig_app(&r)->staff.message, "still wait") != NULL);
    CHECK_INT(rig_app(&r)->staff.erasable, 0);
    rig_close(&r, true);
    smtp = start_server("smtp", smtp_port, smtp_log, false);
    hook = start_server("hook", hook_port, hook_log, true);
    CHECK(rig_open_in(&r, dir, yaml, 1280, 800) == 0);
    if (r.sh) {
        CHECK(wait_lines(&r, smtp_log, "MSG", 3, ARRIVE_MS));
        CHECK(wait_lines(&r, hook_log, "POST", 5, ARRIVE_MS));
        check_each_once(&r, smtp_log, hook_log, 3);
        CHECK_INT(count_lines(smtp_log, "MSG"), 3);
        rig_close(&r, true);
    }
    stop_server(&smtp);
    stop_server(&hook);
}

/* The deck's form changed (staff renamed a field) while a sign-up waits
 * with both servers down: the kiosk starts on the new deck, the store sets
 * the old file aside, and the waiting sign-up still arrives once by each
 * route, before the first one made on the new form. */
static void test_form_changed_while_waiting(void)
{
    char dir[128], smtp_log[160], hook_log[160], yaml[2048], url[64], deck[200], cmd[600];
    snprintf(dir, sizeof dir, "%s/formchange", tmp);
    mkdir(dir, 0700);
    snprintf(smtp_log, sizeof smtp_log, "%s/smtp.log", dir);
    snprintf(hook_log, sizeof hook_log, "%s/hook.log", dir);
    snprintf(deck, sizeof deck, "%s/changed.yaml", dir);
    snprintf(cmd, sizeof cmd,
             "sed 's/id: contact_time/id: best_time/' %s/slides/microneedling.yaml > %s",
             TEST_SOURCE_DIR, deck);
    CHECK_INT(sh(cmd), 0);
    snprintf(url, sizeof url, "smtp://127.0.0.1:%d", smtp_port);
    delivery_yaml(yaml, sizeof yaml, url, true, true);
    Rig r;
    CHECK(rig_open_in(&r, dir, yaml, 1280, 800) == 0);
    if (!r.sh)
        return;
    CHECK(rig_sign_up(&r, "Hal Ives", "07700 900005", "hal@example.com", 0));
    char old[4][64], now[4][64], needle[128];
    CHECK_INT(csv_column(r.csv, "id", old, 4), 1);
    for (int i = 0; i < 10; i++) { /* a failed try while down */
        rig_turn(&r, 50, false);
        usleep(50 * 1000);
    }
    rig_close(&r, true);

    CHECK(rig_open_deck_in(&r, deck, dir, yaml, 1280, 800) == 0);
    if (!r.sh)
        return;
    CHECK_INT(csv_column(r.csv, "id", now, 4), 0); /* the old rows were set aside */
    pid_t smtp = start_server("smtp", smtp_port, smtp_log, false);
    pid_t hook = start_server("hook", hook_port, hook_log, true);
    CHECK(wait_lines(&r, smtp_log, "MSG", 1, ARRIVE_MS));
    CHECK(wait_lines(&r, hook_log, "POST", 1, ARRIVE_MS));
    CHECK(rig_sign_up(&r, "Ida Jo", "07700 900006", "ida@example.com", 1));
    CHECK(wait_lines(&r, smtp_log, "MSG", 2, ARRIVE_MS));
    CHECK(wait_lines(&r, hook_log, "POST", 2, ARRIVE_MS));
    CHECK_INT(csv_column(r.csv, "id", now, 4), 1);
    message_id(needle, sizeof needle, old[0]);
    CHECK_INT(count_lines(smtp_log, needle), 1);
    post_key(needle, sizeof needle, old[0]);
    CHECK_INT(count_lines(hook_log, needle), 1);
    message_id(needle, sizeof needle, now[0]);
    CHECK_INT(count_lines(smtp_log, needle), 1);
    /* In order, each with the fields it was made with. */
    char eml[300];
    snprintf(eml, sizeof eml, "%s.1.eml", smtp_log);
    CHECK(files_contain(eml, old[0]) && files_contain(eml, "contact_time"));
    snprintf(eml, sizeof eml, "%s.2.eml", smtp_log);
    CHECK(files_contain(eml, now[0]) && files_contain(eml, "best_time"));
    rig_close(&r, true);
    stop_server(&smtp);
    stop_server(&hook);
}

int main(void)
{
    if (access(PY, X_OK) != 0 || sh(PY " -c 'import aiosmtpd' 2>/dev/null") != 0 ||
        sh("openssl version >/dev/null 2>&1") != 0) {
        printf("SKIP: needs /usr/bin/python3 with aiosmtpd, and openssl (scripts/deps --test)\n");
        return 77;
    }
    if (!mkdtemp(tmp) || make_ca() != 0) {
        fprintf(stderr, "cannot make the test CA in %s\n", tmp);
        return 1;
    }
    /* Ports from 25000-25999, apart for runs in parallel. */
    int base = 25000 + (int)(getpid() % 300) * 3;
    smtp_port = base;
    tls_port = base + 1;
    hook_port = base + 2;
    snprintf(token, sizeof token, "%s/webhook-token", tmp);
    snprintf(password, sizeof password, "%s/smtp-password", tmp);
    write_secret(token, "hook-token-123\n");
    write_secret(password, "s3cret-pw\n");
    test_both_routes();
    test_tls("smtp", "smtp://localhost:%d", "tls=yes auth=kiosk");
    test_tls("smtps", "smtps://127.0.0.1:%d", "auth=kiosk");
    test_no_starttls_refused();
    test_outage_and_restart();
    test_form_changed_while_waiting();
    int failed = check_report("test_delivery");
    if (!failed)
        files_rm_tree(tmp);
    else
        fprintf(stderr, "files kept in %s\n", tmp);
    return failed;
}
