/* screenshot: see screenshot.h. */
#include "screenshot.h"

#include <SDL_image.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "effects.h"
#include "shellstate.h"

/* The staff screen's message line in the pictures: what an export says. */
#define SCREENSHOT_STAFF_MESSAGE "Saved to the USB stick as signups-kiosk-20261202-103900.csv"

static int shot(Shell *sh, const char *dir, int n, const char *name)
{
    display_present(&sh->display, sh->render, &sh->app, 0);
    SDL_Surface *s = display_read(&sh->display, SDL_PIXELFORMAT_RGB24);
    char path[4096];
    snprintf(path, sizeof path, "%s/%02d-%s.png", dir, n, name);
    int rc = s ? IMG_SavePNG(s, path) : -1;
    SDL_FreeSurface(s);
    if (rc != 0) {
        fprintf(stderr, "kiosk: cannot write %s: %s\n", path, SDL_GetError());
        return -1;
    }
    return 0;
}

int screenshot_all(Shell *sh, const char *dir)
{
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "kiosk: cannot create %s: %s\n", dir, strerror(errno));
        return 3;
    }
    int n = 0, rc = 0;
    for (size_t i = 0; i < sh->deck->slide_count && rc == 0; i++) {
        app_preview_slide(&sh->app, (int)i);
        rc = shot(sh, dir, ++n, sh->deck->slides[i].name);
    }
    for (int p = 0; p < APP_PREVIEW_COUNT && rc == 0; p++) {
        app_preview(&sh->app, (AppPreview)p);
        /* The staff screen's facts come from the real files, as on the kiosk. */
        effects_run(sh);
        if (p == APP_PREVIEW_STAFF)
            app_staff_message(&sh->app, SCREENSHOT_STAFF_MESSAGE);
        rc = shot(sh, dir, ++n, app_preview_name((AppPreview)p));
    }
    if (rc)
        return 3;
    printf("%d screens written to %s\n", n, dir);
    return 0;
}
