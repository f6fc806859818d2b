#!/usr/bin/python3
"""Real servers on loopback for the delivery tests (tests/test_delivery.c).

  delivery_server.py smtp PORT LOG [CERT KEY]   aiosmtpd; with CERT and KEY it
                                                offers STARTTLS and requires it
  delivery_server.py smtps PORT LOG CERT KEY    aiosmtpd with TLS from the start
  delivery_server.py hook PORT LOG [CERT KEY]   an HTTPS server taking POSTs
                                                (plain HTTP without CERT and KEY,
                                                for the VM test's insecure: true)

Each message or request is one line appended to LOG (flushed at once):
  MSG <message-id> tls=<yes|no> auth=<kiosk|none|refused> rcpt=<addresses>
                                                      (the message: LOG.N.eml)
The SMTP server takes the login kiosk / s3cret-pw (AUTH only over TLS when
it has a certificate, as real servers do).
  POST <idempotency-key> auth=<Authorization> <body>
The webhook answers as LOG.mode says when the request arrives: "ok" (200,
the default), "500", or "drop": the request is read and logged, then the
connection is closed with no answer, as if the reply were lost. The line
"ready" goes to stdout once the server listens.
"""
import http.server
import os
import ssl
import sys
import time
import warnings

warnings.filterwarnings("ignore")  # aiosmtpd 1.4's own deprecations


def log_line(path, line):
    with open(path, "a", encoding="utf-8") as f:
        f.write(line + "\n")
        f.flush()


def smtp(port, log, cert=None, key=None, implicit=False):
    from aiosmtpd.controller import Controller

    class Handler:
        # A restarted server goes on numbering where the last one stopped.
        count = sum(1 for _ in open(log, encoding="utf-8")) if os.path.exists(log) else 0

        async def handle_DATA(self, server, session, envelope):
            Handler.count += 1
            data = envelope.original_content or envelope.content
            if isinstance(data, str):
                data = data.encode()
            with open("%s.%d.eml" % (log, Handler.count), "wb") as f:
                f.write(data)
            mid = ""
            for line in data.split(b"\r\n"):
                if line.lower().startswith(b"message-id:"):
                    mid = line.split(b":", 1)[1].strip().decode()
                if not line:
                    break
            tls = "yes" if session.ssl else "no"
            log_line(log, "MSG %s tls=%s auth=%s rcpt=%s" % (mid, tls, Handler.auth,
                                                             ",".join(envelope.rcpt_tos)))
            return "250 OK"

    def authenticator(server, session, envelope, mechanism, auth_data):
        from aiosmtpd.smtp import AuthResult, LoginPassword
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == b"kiosk"
              and auth_data.password == b"s3cret-pw")
        Handler.auth = "kiosk" if ok else "refused"
        return AuthResult(success=ok)

    Handler.auth = "none"
    kw = {"authenticator": authenticator, "auth_require_tls": bool(cert)}
    if cert:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(cert, key)
        if implicit:  # smtps://: TLS from the first byte
            kw.update({"ssl_context": ctx, "auth_require_tls": False})
        else:
            kw.update({"tls_context": ctx, "require_starttls": True})
    c = Controller(Handler(), hostname="127.0.0.1", port=port, **kw)
    c.start()
    print("ready", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        c.stop()


def hook(port, log, cert=None, key=None):
    class H(http.server.BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_POST(self):
            n = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(n).decode("utf-8", "replace")
            mode = "ok"
            try:
                with open(log + ".mode", encoding="utf-8") as f:
                    mode = f.read().strip() or "ok"
            except OSError:
                pass
            log_line(log, "POST %s auth=%s %s" % (self.headers.get("Idempotency-Key", "-"),
                                                  (self.headers.get("Authorization") or "-")
                                                  .replace(" ", "_"),
                                                  body.replace("\n", " ")))
            if mode == "drop":
                self.close_connection = True
                self.connection.shutdown(2)
                return
            code = 500 if mode == "500" else 200
            self.send_response(code)
            self.send_header("Content-Length", "0")
            self.end_headers()

    srv = http.server.HTTPServer(("127.0.0.1", port), H)
    if cert:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(cert, key)
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    print("ready", flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    kind, port, log = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    rest = sys.argv[4:]
    if kind == "smtp":
        smtp(port, log, *rest)
    elif kind == "smtps":
        smtp(port, log, *rest, implicit=True)
    else:
        hook(port, log, *rest)
