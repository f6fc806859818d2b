/* staff: the shell's side of the staff screen: checking the PIN, the facts
 * it shows (deck, reloads, sign-ups, disk, version) and the USB export. */
#ifndef KIOSK_STAFF_H
#define KIOSK_STAFF_H

#include <SDL.h>
#include <stdbool.h>

#include "shell.h"

/* An export runs on a thread of its own: a stick that stalls must not
 * freeze the screen, nor keep the loop from telling the watchdog it lives. */
typedef struct ExportJob ExportJob;

typedef struct {
    Uint32 event;       /* the SDL event type a finished export posts */
    SDL_Thread *thread; /* NULL: no export running */
    ExportJob *job;
    struct ExportResult *verified; /* the last export's files, for the erase; owned */
} StaffExport;

/** Verifies the PIN the app holds against the settings' hash and tells the
 *  app (app_pin_result). No PIN set: refused, and the log says how to set one. */
void staff_check_pin(Shell *sh);

/** Fills the staff screen's lines (app->staff). */
void staff_fill_info(Shell *sh);

/** Writes waiting sign-ups if it can, then starts copying the sign-up file
 *  to a USB stick on a thread; the staff screen says it is saving, and
 *  staff_handle_event() puts the result there when it is done. */
void staff_export(Shell *sh);

/** "Erase from kiosk", confirmed: removes from the kiosk's sign-up files
 *  the rows the last export read back from the stick and found equal, if
 *  the files still begin with them; rows that came after stay. Logs the
 *  count, never a row. */
void staff_erase(Shell *sh);

/** Takes the finished export's event; false for any other event. */
bool staff_handle_event(Shell *sh, const SDL_Event *ev);

/** At stop: waits for a running export up to timeout_ms, then leaves it
 *  (the process is ending; the copy is written under a temporary name and
 *  renamed only when whole, so nothing half-copied looks complete). */
void staff_stop(Shell *sh, int timeout_ms);

#endif
