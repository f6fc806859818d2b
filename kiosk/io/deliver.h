/* deliver: sending one sign-up by one route, through libcurl (which does
 * SMTP and HTTPS; neither is written by hand here), and reading the
 * secrets those routes need.
 *
 * Each send is one blocking call with its own timeouts, made from the
 * delivery thread (shell/delivery.c), never from the loop. Nothing here
 * logs; messages carry the server and curl's reason, never a secret and
 * never a field of the row. */
#ifndef KIOSK_DELIVER_H
#define KIOSK_DELIVER_H

#include <stdatomic.h>
#include <stddef.h>

#include "diag.h"
#include "settings.h"

/* A password or token file larger than this is not one (a PEM key or a
 * wrong path); real ones are well under 200 bytes. */
#define DELIVER_SECRET_MAX 1024

/* How long one try may take. Connecting: a server on the LAN answers in
 * milliseconds, one across the internet in well under a second; 15 s
 * covers a slow DNS. The whole send: a sign-up is a few kB. */
#define DELIVER_CONNECT_TIMEOUT_S 15
#define DELIVER_TIMEOUT_S 60

/** Once at start, before any thread sends (curl_global_init is not
 *  thread-safe). Returns 0 or -1. */
int deliver_init(void);

/** Reads a secret (password, token) from path: one line, its line end
 *  removed. Refuses a file that group or others may read or that another
 *  user owns (err says how to fix it: chmod 600, chown), a link, an empty
 *  file. Returns 0 with the secret in out (wipe it after use), or -1 with
 *  err. */
int deliver_read_secret(const char *path, char *out, size_t cap, char *err, size_t errlen);

/** Sends message (a whole RFC 5322 message, notice_email()) to e->to
 *  through e->smtp. smtp:// must upgrade with STARTTLS unless e->insecure;
 *  smtps:// is TLS from the start; the server's certificate is checked
 *  (e->ca_file for a private CA). Returns 0 when the server accepted it,
 *  -1 with err. A send in progress ends early when *cancel (may be NULL)
 *  turns true. */
int deliver_email(const SettingsEmail *e, const char *message, const atomic_bool *cancel, char *err,
                  size_t errlen);

/** POSTs json to w->url with "Idempotency-Key: id" and the token as a
 *  bearer token. Returns 0 for a 2xx answer, -1 with err (including the
 *  HTTP status). */
int deliver_webhook(const SettingsWebhook *w, const char *id, const char *json,
                    const atomic_bool *cancel, char *err, size_t errlen);

/** kiosk --check: the secret and CA files of the configured routes exist,
 *  can be read and are private; problems go to diags as errors, each
 *  naming the file (settings_path) and the fix. Returns the number of
 *  errors added. */
size_t deliver_check(const Settings *s, const char *settings_path, DiagList *diags);

#endif
