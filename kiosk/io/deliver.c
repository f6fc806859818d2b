/* deliver: see deliver.h. */
#include "deliver.h"

#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fsx.h"
#include "util.h"

int deliver_init(void)
{
    return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

int deliver_read_secret(const char *path, char *out, size_t cap, char *err, size_t errlen)
{
    char why[512] = "";
    out[0] = '\0';
    int fd = fsx_open_owned(path, O_RDONLY, 0, "a secret", why, sizeof why);
    struct stat st;
    if (fd < 0) {
        if (errno == EPERM)
            util_format(err, errlen,
                        "%s belongs to another user (expected the kiosk's own: sudo "
                        "chown kiosk: %s)",
                        path, path);
        else
            util_format(err, errlen, "%s: cannot read it: %s", path,
                        why[0] ? why : strerror(errno));
        return -1;
    }
    int rc = -1;
    if (fsx_sys.fstat(fd, &st) != 0) {
        util_format(err, errlen, "%s: cannot read it: %s", path, strerror(errno));
    } else if (st.st_mode & 077) {
        util_format(err, errlen,
                    "%s can be read by other users (expected it private: sudo chmod "
                    "600 %s)",
                    path, path);
    } else if (st.st_size <= 0 || st.st_size >= DELIVER_SECRET_MAX || (size_t)st.st_size >= cap) {
        util_format(err, errlen, "%s is %s (expected one line: the password or token)", path,
                    st.st_size <= 0 ? "empty" : "too large");
    } else {
        size_t got = 0;
        char *buf = fsx_pread_all(fd, (size_t)st.st_size, &got);
        if (buf) {
            while (got && (buf[got - 1] == '\n' || buf[got - 1] == '\r'))
                got--;
            memcpy(out, buf, got);
            out[got] = '\0';
            util_wipe(buf, (size_t)st.st_size);
            free(buf);
            rc = got && !memchr(out, '\n', got) ? 0 : -1;
            if (rc != 0)
                util_format(err, errlen, "%s is not one line (expected the password or token)",
                            path);
        } else {
            util_format(err, errlen, "%s: cannot read it: %s", path, strerror(errno));
        }
    }
    fsx_sys.close(fd);
    if (rc != 0)
        util_wipe(out, cap);
    return rc;
}

/* Options both routes set: timeouts, no signals (we run on a thread), no
 * redirects (a POST must not wander), certificates checked. */
/* Asked often during a transfer: a non-zero answer aborts it, so a stop
 * does not wait for a timeout. */
static int check_cancel(void *ctx, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
    (void)a;
    (void)b;
    (void)c;
    (void)d;
    return ctx && atomic_load((const atomic_bool *)ctx) ? 1 : 0;
}

static void common_options(CURL *c, const char *url, const char *ca_file, const atomic_bool *cancel,
                           char *errbuf)
{
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, check_cancel);
    curl_easy_setopt(c, CURLOPT_XFERINFODATA, (void *)cancel);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, (long)DELIVER_CONNECT_TIMEOUT_S);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, (long)DELIVER_TIMEOUT_S);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
    if (ca_file)
        curl_easy_setopt(c, CURLOPT_CAINFO, ca_file);
}

/* curl's reason, said for staff: the common TLS refusals get their fix. */
static void curl_reason(CURLcode rc, const char *errbuf, const char *server, char *err,
                        size_t errlen)
{
    const char *hint = "";
    if (rc == CURLE_USE_SSL_FAILED)
        hint = " (the server does not offer STARTTLS: nothing was sent; use a server that "
               "does, or smtps://)";
    else if (rc == CURLE_PEER_FAILED_VERIFICATION || rc == CURLE_SSL_CACERT_BADFILE)
        hint = " (its certificate is not trusted: set ca_file for a private CA)";
    else if (rc == CURLE_LOGIN_DENIED)
        hint = " (check user and password_file)";
    util_format(err, errlen, "%s: %s%s", server, errbuf[0] ? errbuf : curl_easy_strerror(rc), hint);
}

typedef struct {
    const char *data;
    size_t len, off;
} Upload;

static size_t read_upload(char *buf, size_t size, size_t n, void *ctx)
{
    Upload *u = ctx;
    size_t room = size * n, left = u->len - u->off;
    size_t k = left < room ? left : room;
    memcpy(buf, u->data + u->off, k);
    u->off += k;
    return k;
}

int deliver_email(const SettingsEmail *e, const char *message, const atomic_bool *cancel, char *err,
                  size_t errlen)
{
    char password[DELIVER_SECRET_MAX] = "", errbuf[CURL_ERROR_SIZE] = "", addr[300];
    if (e->password_file &&
        deliver_read_secret(e->password_file, password, sizeof password, err, errlen) != 0)
        return -1;
    CURL *c = curl_easy_init();
    if (!c) {
        util_format(err, errlen, "cannot start a mail session (out of memory)");
        return -1;
    }
    Upload up = {message, strlen(message), 0};
    struct curl_slist *rcpt = NULL;
    snprintf(addr, sizeof addr, "<%s>", e->to);
    rcpt = curl_slist_append(rcpt, addr);
    snprintf(addr, sizeof addr, "<%s>", e->from);
    common_options(c, e->smtp, e->ca_file, cancel, errbuf);
    /* smtp:// upgrades with STARTTLS or sends nothing; insecure (loopback
     * tests only, settings.c) lets a server without it take plain text. */
    curl_easy_setopt(c, CURLOPT_USE_SSL, e->insecure ? (long)CURLUSESSL_TRY : (long)CURLUSESSL_ALL);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl_easy_setopt(c, CURLOPT_MAIL_FROM, addr);
    curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    curl_easy_setopt(c, CURLOPT_READFUNCTION, read_upload);
    curl_easy_setopt(c, CURLOPT_READDATA, &up);
    curl_easy_setopt(c, CURLOPT_INFILESIZE, (long)up.len);
    if (e->user) {
        curl_easy_setopt(c, CURLOPT_USERNAME, e->user);
        curl_easy_setopt(c, CURLOPT_PASSWORD, password);
    }
    CURLcode rc = rcpt ? curl_easy_perform(c) : CURLE_OUT_OF_MEMORY;
    if (rc != CURLE_OK)
        curl_reason(rc, errbuf, e->smtp, err, errlen);
    curl_slist_free_all(rcpt);
    curl_easy_cleanup(c);
    util_wipe(password, sizeof password);
    return rc == CURLE_OK ? 0 : -1;
}

/* The answer's body is not wanted, and must not be logged. The signature
 * is libcurl's CURLOPT_WRITEFUNCTION type, non-const pointer included. */
/* NOLINTNEXTLINE(readability-non-const-parameter) */
static size_t discard(char *p, size_t size, size_t n, void *ctx)
{
    (void)p;
    (void)ctx;
    return size * n;
}

int deliver_webhook(const SettingsWebhook *w, const char *id, const char *json,
                    const atomic_bool *cancel, char *err, size_t errlen)
{
    char token[DELIVER_SECRET_MAX] = "", errbuf[CURL_ERROR_SIZE] = "";
    char header[DELIVER_SECRET_MAX + 64];
    if (w->token_file && deliver_read_secret(w->token_file, token, sizeof token, err, errlen) != 0)
        return -1;
    CURL *c = curl_easy_init();
    struct curl_slist *h = NULL;
    snprintf(header, sizeof header, "Idempotency-Key: %s", id);
    h = curl_slist_append(h, header);
    h = h ? curl_slist_append(h, "Content-Type: application/json") : NULL;
    if (h && token[0]) {
        snprintf(header, sizeof header, "Authorization: Bearer %s", token);
        h = curl_slist_append(h, header);
        util_wipe(header, sizeof header);
    }
    CURLcode rc = CURLE_OUT_OF_MEMORY;
    long status = 0;
    if (c && h) {
        common_options(c, w->url, w->ca_file, cancel, errbuf);
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, json);
        curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)strlen(json));
        curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
        curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, w->insecure ? "https,http" : "https");
        rc = curl_easy_perform(c);
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    }
    if (rc != CURLE_OK)
        curl_reason(rc, errbuf, w->url, err, errlen);
    else if (status < 200 || status > 299)
        util_format(err, errlen, "%s answered HTTP %ld (expected 2xx)", w->url, status);
    /* The header list held the token: wipe its copies before freeing. */
    for (struct curl_slist *p = h; p; p = p->next)
        util_wipe(p->data, strlen(p->data));
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    util_wipe(token, sizeof token);
    return rc == CURLE_OK && status >= 200 && status <= 299 ? 0 : -1;
}

static size_t check_secret(const char *path, const char *key, const char *settings_path,
                           DiagList *diags)
{
    char secret[DELIVER_SECRET_MAX], err[700];
    struct stat st;
    if (!path)
        return 0;
    /* sudo kiosk --check: root is not the owner the service needs (the
     * kiosk user), so only what root can judge is checked. */
    if (geteuid() == 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
        if (!(st.st_mode & 077))
            return 0;
        diag_add(diags, DIAG_ERROR, settings_path, 0, 0,
                 "%s: %s can be read by other users (expected it private: sudo chmod 600 %s)", key,
                 path, path);
        return 1;
    }
    int rc = deliver_read_secret(path, secret, sizeof secret, err, sizeof err);
    util_wipe(secret, sizeof secret);
    if (rc == 0)
        return 0;
    diag_add(diags, DIAG_ERROR, settings_path, 0, 0, "%s: %s", key, err);
    return 1;
}

static size_t check_readable(const char *path, const char *key, const char *settings_path,
                             DiagList *diags)
{
    if (!path || access(path, R_OK) == 0)
        return 0;
    diag_add(diags, DIAG_ERROR, settings_path, 0, 0, "%s: %s cannot be read: %s", key, path,
             strerror(errno));
    return 1;
}

size_t deliver_check(const Settings *s, const char *settings_path, DiagList *diags)
{
    size_t errors = 0;
    if (s->email.smtp) {
        errors += check_secret(s->email.password_file, "delivery.email.password_file",
                               settings_path, diags);
        errors += check_readable(s->email.ca_file, "delivery.email.ca_file", settings_path, diags);
    }
    if (s->webhook.url) {
        errors += check_secret(s->webhook.token_file, "delivery.webhook.token_file", settings_path,
                               diags);
        errors += check_readable(s->webhook.ca_file, "delivery.webhook.ca_file", settings_path,
                                 diags);
    }
    return errors;
}
