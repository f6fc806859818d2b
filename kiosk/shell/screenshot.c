/* screenshot: see screenshot.h. */
#include "screenshot.h"

#include <SDL_image.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "effects.h"
#include "shellstate.h"

/* The staff screen's message line in the pictures: what an export says. */
#define SCREENSHOT_STAFF_MESSAGE                                                                   \
    "Saved 42 sign-ups in 3 files, checked on the stick. You can pull the stick out now."
/* ...and what it offers after: the Erase button for the rows it checked. */
#define SCREENSHOT_STAFF_ERASABLE 42

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

/* Whether name is in the comma-separated list (NULL or "all": everything;
 * "slides": every slide). */
static bool wanted(const char *list, const char *name, bool is_slide)
{
    if (!list || strcmp(list, "all") == 0)
        return true;
    size_t n = strlen(name);
    for (const char *p = list; *p;) {
        size_t len = strcspn(p, ",");
        if ((len == n && strncmp(p, name, n) == 0) ||
            (is_slide && len == 6 && strncmp(p, "slides", 6) == 0))
            return true;
        p += len + (p[len] == ',');
    }
    return false;
}

/* Every name in the list must name something: a typo would otherwise
 * silently write nothing. */
static bool check_names(const Shell *sh, const char *list)
{
    char name[128];
    for (const char *p = list; p && *p;) {
        size_t len = strcspn(p, ",");
        snprintf(name, sizeof name, "%.*s", (int)len, p);
        bool found = strcmp(name, "all") == 0 || strcmp(name, "slides") == 0;
        for (size_t i = 0; !found && i < sh->deck->slide_count; i++)
            found = strcmp(name, sh->deck->slides[i].name) == 0;
        for (int v = 0; !found && v < APP_PREVIEW_COUNT; v++)
            found = strcmp(name, app_preview_name((AppPreview)v)) == 0;
        if (!found) {
            fprintf(stderr,
                    "kiosk: --screens: no slide or screen named '%s' (expected 'all', 'slides', "
                    "a slide's name, or one of:",
                    name);
            for (int v = 0; v < APP_PREVIEW_COUNT; v++)
                fprintf(stderr, " %s", app_preview_name((AppPreview)v));
            fprintf(stderr, ")\n");
            return false;
        }
        p += len + (p[len] == ',');
    }
    return true;
}

/* --lang and --larger-text: the view every picture shows. */
static bool set_view(Shell *sh)
{
    size_t lang = 0;
    const char *code = sh->opts->view_lang;
    if (code) {
        while (lang < sh->deck->lang_count && strcmp(sh->deck->langs[lang]->lang_code, code) != 0)
            lang++;
        if (lang == sh->deck->lang_count) {
            fprintf(stderr, "kiosk: --lang: the deck has no language '%s' (expected one of:", code);
            for (size_t i = 0; i < sh->deck->lang_count; i++)
                fprintf(stderr, " %s", sh->deck->langs[i]->lang_code);
            fprintf(stderr, ")\n");
            return false;
        }
    }
    app_set_view(&sh->app, lang, sh->opts->view_large);
    return true;
}

int screenshot_all(Shell *sh, const char *dir)
{
    const char *list = sh->opts->screens;
    if (!check_names(sh, list) || !set_view(sh))
        return 2;
    if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "kiosk: cannot create %s: %s\n", dir, strerror(errno));
        return 3;
    }
    /* Files keep their place in the whole set (NN-), so a partial run
     * replaces exactly the pictures it made. */
    int n = 0, written = 0, rc = 0;
    for (size_t i = 0; i < sh->deck->slide_count && rc == 0; i++) {
        const char *name = sh->deck->slides[i].name;
        ++n;
        if (!wanted(list, name, true))
            continue;
        app_preview_slide(&sh->app, (int)i);
        rc = shot(sh, dir, n, name);
        written++;
    }
    for (int p = 0; p < APP_PREVIEW_COUNT && rc == 0; p++) {
        const char *name = app_preview_name((AppPreview)p);
        ++n;
        if (!wanted(list, name, false))
            continue;
        app_preview(&sh->app, (AppPreview)p);
        /* The staff screen's facts come from the real files, as on the kiosk. */
        effects_run(sh);
        if (p == APP_PREVIEW_STAFF) {
            app_staff_message(&sh->app, SCREENSHOT_STAFF_MESSAGE);
            app_staff_erasable(&sh->app, SCREENSHOT_STAFF_ERASABLE);
        }
        rc = shot(sh, dir, n, name);
        written++;
    }
    if (rc)
        return 3;
    printf("%d screens written to %s\n", written, dir);
    return 0;
}
