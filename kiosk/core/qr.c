/* qr: see qr.h. */
#include "qr.h"

#include <errno.h>
#include <qrencode.h>
#include <stdlib.h>
#include <string.h>

/* Level M (15 % of the code may be lost) rather than Q (25 %): a code on a
 * screen does not get dirty or torn, and M keeps a 40-60 character link at
 * version 3-4 (29-33 modules) where Q needs version 4-5, so each module can
 * be drawn a pixel larger and the code scans from further away. */
#define QR_LEVEL QR_ECLEVEL_M

QrStatus qr_encode(const char *text, QrCode *out)
{
    memset(out, 0, sizeof *out);
    if (!text || !*text)
        return QR_EMPTY;
    /* Byte mode, case kept: a URL's path may be case-sensitive. */
    errno = 0;
    QRcode *q = QRcode_encodeString8bit(text, 0, QR_LEVEL);
    if (!q)
        return errno == ERANGE ? QR_TOO_LONG : QR_NO_MEMORY;
    QrStatus st = QR_OK;
    if (q->version > QR_MAX_VERSION) {
        st = QR_TOO_LONG;
        goto done;
    }
    size_t n = (size_t)q->width * (size_t)q->width;
    out->modules = malloc(n);
    if (!out->modules) {
        st = QR_NO_MEMORY;
        goto done;
    }
    /* libqrencode packs flags in each byte; bit 0 is the colour. */
    for (size_t i = 0; i < n; i++)
        out->modules[i] = q->data[i] & 1;
    out->size = q->width;
done:
    QRcode_free(q);
    return st;
}

void qr_free(QrCode *qr)
{
    if (!qr)
        return;
    free(qr->modules);
    qr->modules = NULL;
    qr->size = 0;
}

bool qr_dark(const QrCode *qr, int x, int y)
{
    if (!qr || !qr->modules || x < 0 || y < 0 || x >= qr->size || y >= qr->size)
        return false;
    return qr->modules[(size_t)y * (size_t)qr->size + (size_t)x] != 0;
}

const char *qr_status_text(QrStatus s)
{
    switch (s) {
    case QR_OK:
        return "ok";
    case QR_TOO_LONG:
        return "too long for a QR code a phone can read from the screen";
    case QR_EMPTY:
        return "empty";
    case QR_NO_MEMORY:
        break;
    }
    return "out of memory";
}
