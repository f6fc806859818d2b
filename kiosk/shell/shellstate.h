/* shellstate: the state the shell's parts share (the loop in shell.c, the
 * effect handlers, the staff screen, the screenshots). Only kiosk/shell and
 * the tests' rig include it; everyone else goes through shell.h. */
#ifndef KIOSK_SHELLSTATE_H
#define KIOSK_SHELLSTATE_H

#include <stdbool.h>
#include <stdint.h>

#include "app.h"
#include "deck.h"
#include "delivery.h"
#include "display.h"
#include "dupe.h"
#include "input.h"
#include "reload.h"
#include "render.h"
#include "shell.h"
#include "staff.h"
#include "store.h"
#include "text.h"
#include "usage.h"

struct Shell {
    const ShellOptions *opts;
    Deck *deck; /* owned; replaced by a live reload at a slide boundary */
    Display display;
    TextFonts *fonts;
    Render *render;
    Store *store;       /* the one queue of sign-ups waiting for the disk */
    Delivery *delivery; /* NULL: no route set up */
    DupeIndex dupes;    /* the last day's rows, to mark duplicates (dupe.h) */
    App app;
    InputState input;
    Reload reload;
    Usage usage;
    StaffExport export_job; /* a USB export running on its own thread */
    ShellCounts counts;
    uint64_t now;              /* the clock of the turn being carried out */
    bool sdl_clock;            /* turns run on SDL's clock, so events keep their own times */
    uint64_t last_event;       /* the time given to the last event, never going back */
    uint64_t next_store_retry; /* when waiting sign-ups are tried again */
    uint64_t next_retention;   /* when old sign-ups are looked for next (retention.h) */
    uint64_t next_watchdog;    /* when the service manager hears from us next */
    uint64_t watchdog_ms;      /* 0: no watchdog */
    bool ready;                /* the service manager was told the first frame is up */
    uint64_t exit_asked_at;    /* staff were asked to confirm Exit then (0: not asked) */
    bool quit;
    int status; /* the exit status once quit: see shell_run() */
    unsigned long frames;
    bool exit_after_first_frame; /* KIOSK_EXIT_AFTER_FIRST_FRAME=1, for benchmarks */
};

#endif
