/* qr: a URL as a QR code's module matrix, through libqrencode.
 *
 * Pure computation: no SDL, no files, no clock. The matrix has no quiet
 * zone; whoever draws it leaves QR_QUIET_MODULES light modules around it. */
#ifndef KIOSK_QR_H
#define KIOSK_QR_H

#include <stdbool.h>
#include <stddef.h>

/* ISO/IEC 18004 asks for a light margin 4 modules wide around the symbol;
 * readers find the finder patterns by it. */
#define QR_QUIET_MODULES 4

/* Version 10 (57 modules) holds 213 bytes at level M, far more than any
 * booking link; a longer text is refused rather than drawn too fine to
 * scan. */
#define QR_MAX_VERSION 10

/* Modules per side of that version (17 + 4 per version). */
#define QR_MAX_MODULES (17 + 4 * QR_MAX_VERSION)

typedef enum { QR_OK, QR_TOO_LONG, QR_EMPTY, QR_NO_MEMORY } QrStatus;

typedef struct {
    int size;               /* modules per side, without the quiet zone */
    unsigned char *modules; /* size * size, row by row: 1 dark, 0 light */
} QrCode;

/** Encodes @p text (UTF-8, as bytes) at error-correction level M in the
 * smallest version that holds it. On QR_OK *out owns a matrix the caller
 * frees with qr_free(); on anything else *out is zeroed. */
QrStatus qr_encode(const char *text, QrCode *out);

/** NULL, or a code never encoded, is a no-op. */
void qr_free(QrCode *qr);

/** True when module (x, y) is dark; the quiet zone and anything outside the
 * symbol are light. */
bool qr_dark(const QrCode *qr, int x, int y);

/** Why qr_encode failed, for a diagnostic. */
const char *qr_status_text(QrStatus s);

#endif
