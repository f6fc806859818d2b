#include "text.h"

#include <SDL.h>
#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "deck.h"

#define TEXT_DEFAULT_FONT "fonts/AtkinsonHyperlegible-Regular.ttf"
#define TEXT_DEFAULT_BOLD_FONT "fonts/AtkinsonHyperlegible-Bold.ttf"

/* Sizes in use at once: body, title, hero, button, form and keyboard sizes
 * for one screen, plus the shrunk sizes of a long slide. */
#define TEXT_MAX_FACES 24

typedef struct {
    TTF_Font *font;
    int px;
    bool bold;
    unsigned last_used;
} Face;

struct TextFonts {
    void *data[2]; /* the font files, read once: opening a size is then cheap */
    size_t size[2];
    Face faces[TEXT_MAX_FACES];
    unsigned clock;
};

TextFonts *text_open(const char *regular, const char *bold, char *err, size_t errlen)
{
    TextFonts *t = SDL_calloc(1, sizeof *t);
    if (!t) {
        SDL_snprintf(err, errlen, "out of memory");
        return NULL;
    }
    const char *paths[2] = {regular, bold ? bold : regular};
    for (int i = 0; i < 2; i++) {
        t->data[i] = SDL_LoadFile(paths[i], &t->size[i]);
        if (!t->data[i]) {
            SDL_snprintf(err, errlen, "cannot read font %s: %s", paths[i], SDL_GetError());
            text_close(t);
            return NULL;
        }
    }
    /* Prove the file is a font now rather than on the first frame. */
    if (!text_font(t, 16, false) || !text_font(t, 16, true)) {
        SDL_snprintf(err, errlen, "cannot use font %s: %s", regular, TTF_GetError());
        text_close(t);
        return NULL;
    }
    return t;
}

TTF_Font *text_font(TextFonts *t, int px, bool bold)
{
    if (px < 4)
        px = 4;
    Face *lru = &t->faces[0];
    for (int i = 0; i < TEXT_MAX_FACES; i++) {
        Face *f = &t->faces[i];
        if (f->font && f->px == px && f->bold == bold) {
            f->last_used = ++t->clock;
            return f->font;
        }
        if (!f->font || (lru->font && f->last_used < lru->last_used))
            lru = f;
    }
    int k = bold ? 1 : 0;
    SDL_RWops *rw = SDL_RWFromConstMem(t->data[k], (int)t->size[k]);
    TTF_Font *font = rw ? TTF_OpenFontRW(rw, 1, px) : NULL;
    if (!font)
        return NULL;
    TTF_SetFontHinting(font, TTF_HINTING_LIGHT);
    if (lru->font)
        TTF_CloseFont(lru->font);
    lru->font = font;
    lru->px = px;
    lru->bold = bold;
    lru->last_used = ++t->clock;
    return font;
}

int text_measure(void *ctx, const char *utf8, size_t len, int px, bool bold, int *w)
{
    TTF_Font *font = text_font(ctx, px, bold);
    if (!font)
        return -1;
    char stack[512];
    char *buf = len < sizeof stack ? stack : SDL_malloc(len + 1);
    if (!buf)
        return -1;
    memcpy(buf, utf8, len);
    buf[len] = '\0';
    int h = 0;
    int rc = TTF_SizeUTF8(font, buf, w, &h);
    if (buf != stack)
        SDL_free(buf);
    return rc == 0 ? 0 : -1;
}

void text_close(TextFonts *t)
{
    if (!t)
        return;
    for (int i = 0; i < TEXT_MAX_FACES; i++)
        if (t->faces[i].font)
            TTF_CloseFont(t->faces[i].font);
    SDL_free(t->data[0]);
    SDL_free(t->data[1]);
    SDL_free(t);
}

static bool readable(const char *path)
{
    struct stat st;
    return path && stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static void pick_font(const char *want, const char *data_dir, const char *bundled, char *out,
                      size_t cap)
{
    if (readable(want)) {
        snprintf(out, cap, "%s", want);
        return;
    }
    snprintf(out, cap, "%s/%s", data_dir, bundled);
    if (readable(out))
        return;
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/fonts", data_dir);
    DIR *d = opendir(dir);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        size_t n = strlen(e->d_name);
        if (n > 4 &&
            (strcmp(e->d_name + n - 4, ".ttf") == 0 || strcmp(e->d_name + n - 4, ".otf") == 0)) {
            if (snprintf(out, cap, "%s/%s", dir, e->d_name) < (int)cap)
                break;
        }
    }
    if (d)
        closedir(d);
}

TextFonts *text_open_deck(const Deck *deck, const char *data_dir, char *err, size_t errlen)
{
    char regular[4096], bold[4096];
    const DeckTheme *t = &deck->theme;
    pick_font(t->font, data_dir, TEXT_DEFAULT_FONT, regular, sizeof regular);
    pick_font(t->bold_font ? t->bold_font : t->font, data_dir, TEXT_DEFAULT_BOLD_FONT, bold,
              sizeof bold);
    return text_open(regular, bold, err, errlen);
}
