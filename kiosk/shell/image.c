/* image: checked image files decoded by type and scaled to their box. */
#include "image.h"

#include <SDL_image.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

#include "imagefile.h"

#define IMAGE_ALPHA_FORMAT SDL_PIXELFORMAT_ARGB8888
#define IMAGE_OPAQUE_FORMAT SDL_PIXELFORMAT_XRGB8888
/* TurboJPEG names formats by byte order, SDL by 32-bit value. */
#if SDL_BYTEORDER == SDL_LIL_ENDIAN
#define IMAGE_TJ_FORMAT TJPF_BGRX
#else
#define IMAGE_TJ_FORMAT TJPF_XRGB
#endif

void image_fit(int w, int h, int box_w, int box_h, int *fit_w, int *fit_h)
{
    double sx = (double)box_w / w, sy = (double)box_h / h, s = sx < sy ? sx : sy;
    *fit_w = (int)lround(w * s);
    *fit_h = (int)lround(h * s);
    *fit_w = *fit_w < 1 ? 1 : *fit_w > box_w ? box_w : *fit_w;
    *fit_h = *fit_h < 1 ? 1 : *fit_h > box_h ? box_h : *fit_h;
}

static bool has_alpha(SDL_Surface *s)
{
    if (SDL_ISPIXELFORMAT_ALPHA(s->format->format) || SDL_HasColorKey(s))
        return true;
    const SDL_Palette *p = s->format->palette;
    for (int i = 0; p && i < p->ncolors; i++)
        if (p->colors[i].a != 255)
            return true;
    return false;
}

/* Formats read directly below: 8-bit palettes and 8-bit-per-channel packed
 * pixels (what SDL_image and TurboJPEG give). Others are converted first. */
static bool readable(const SDL_PixelFormat *f)
{
    if (f->BytesPerPixel == 1)
        return f->palette != NULL;
#if SDL_BYTEORDER == SDL_LIL_ENDIAN
    return (f->BytesPerPixel == 3 || f->BytesPerPixel == 4) && f->Rloss == 0 && f->Gloss == 0 &&
           f->Bloss == 0 && (!f->Amask || f->Aloss == 0);
#else
    return false;
#endif
}

/* One row of s as ARGB8888 values. */
static void fetch_row(SDL_Surface *s, int y, Uint32 *out)
{
    const Uint8 *row = (const Uint8 *)s->pixels + (size_t)y * (size_t)s->pitch;
    const SDL_PixelFormat *f = s->format;
    if (f->BytesPerPixel == 1) {
        Uint32 key = 0;
        bool keyed = SDL_GetColorKey(s, &key) == 0;
        for (int x = 0; x < s->w; x++) {
            SDL_Color c = row[x] < f->palette->ncolors ? f->palette->colors[row[x]]
                                                       : (SDL_Color){0, 0, 0, 255};
            Uint32 a = keyed && row[x] == key ? 0 : c.a;
            out[x] = a << 24 | (Uint32)c.r << 16 | (Uint32)c.g << 8 | c.b;
        }
        return;
    }
    int bpp = f->BytesPerPixel;
    for (int x = 0; x < s->w; x++) {
        const Uint8 *p = row + (size_t)x * (size_t)bpp;
        Uint32 v = bpp == 4
                       ? (Uint32)p[0] | (Uint32)p[1] << 8 | (Uint32)p[2] << 16 | (Uint32)p[3] << 24
                       : (Uint32)p[0] | (Uint32)p[1] << 8 | (Uint32)p[2] << 16;
        Uint32 a = f->Amask ? (v & f->Amask) >> f->Ashift : 255;
        out[x] = a << 24 | ((v & f->Rmask) >> f->Rshift) << 16 |
                 ((v & f->Gmask) >> f->Gshift) << 8 | (v & f->Bmask) >> f->Bshift;
    }
}

/* src shrunk by a whole factor k (k x k pixels averaged, weighted by
 * alpha so transparent pixels lend no colour) into fmt; k = 1 converts. A
 * single pass reading src as it is: a 40 MP palette PNG is never copied
 * at 4 bytes a pixel first. */
static SDL_Surface *box_reduce(SDL_Surface *src, int k, Uint32 fmt)
{
    int dw = src->w / k, dh = src->h / k;
    SDL_Surface *dst = SDL_CreateRGBSurfaceWithFormat(0, dw, dh, 32, fmt);
    Uint32 *row = SDL_calloc((size_t)src->w, sizeof *row);
    uint64_t *sum = SDL_malloc((size_t)dw * 4 * sizeof *sum);
    if (!dst || !row || !sum) {
        SDL_FreeSurface(dst);
        dst = NULL;
        goto done;
    }
    for (int dy = 0; dy < dh; dy++) {
        memset(sum, 0, (size_t)dw * 4 * sizeof *sum);
        for (int j = 0; j < k; j++) {
            fetch_row(src, dy * k + j, row);
            for (int dx = 0; dx < dw; dx++) {
                uint64_t *acc = sum + (size_t)dx * 4;
                for (int i = 0; i < k; i++) {
                    Uint32 p = row[dx * k + i], a = p >> 24;
                    acc[0] += a;
                    acc[1] += (uint64_t)((p >> 16) & 0xFF) * a;
                    acc[2] += (uint64_t)((p >> 8) & 0xFF) * a;
                    acc[3] += (uint64_t)(p & 0xFF) * a;
                }
            }
        }
        Uint32 *out = (Uint32 *)((Uint8 *)dst->pixels + (size_t)dy * (size_t)dst->pitch);
        uint64_t n = (uint64_t)k * (uint64_t)k;
        for (int dx = 0; dx < dw; dx++) {
            const uint64_t *acc = sum + (size_t)dx * 4;
            uint64_t a = acc[0];
            if (a == 0) {
                out[dx] = 0;
                continue;
            }
            Uint32 r = (Uint32)((acc[1] + a / 2) / a), g = (Uint32)((acc[2] + a / 2) / a),
                   b = (Uint32)((acc[3] + a / 2) / a), alpha = (Uint32)((a + n / 2) / n);
            out[dx] = (fmt == IMAGE_OPAQUE_FORMAT ? 255u : alpha) << 24 | r << 16 | g << 8 | b;
        }
    }
done:
    SDL_free(row);
    SDL_free(sum);
    return dst;
}

/* src at exactly fw x fh in one of the two formats; src is kept. */
static SDL_Surface *to_fit(SDL_Surface *src, int fw, int fh, char *why, size_t whylen)
{
    Uint32 fmt = has_alpha(src) ? IMAGE_ALPHA_FORMAT : IMAGE_OPAQUE_FORMAT;
    SDL_Surface *cur = src, *conv = NULL, *out = NULL;
    if (!readable(src->format)) {
        cur = conv = SDL_ConvertSurfaceFormat(src, fmt, 0);
        if (!cur)
            goto fail;
    }
    int k = SDL_min(cur->w / fw, cur->h / fh);
    if (k >= 2 || cur->format->format != fmt) {
        SDL_Surface *reduced = box_reduce(cur, k < 1 ? 1 : k, fmt);
        SDL_FreeSurface(conv);
        cur = conv = reduced;
        if (!cur)
            goto fail;
    }
    if (cur->w == fw && cur->h == fh) {
        out = conv ? conv : SDL_DuplicateSurface(cur);
        return out ? out : (snprintf(why, whylen, "%s", SDL_GetError()), NULL);
    }
    /* The rest (less than halving, or enlarging a small picture) by
     * bilinear filtering. */
    out = SDL_CreateRGBSurfaceWithFormat(0, fw, fh, 32, fmt);
    if (out && SDL_SoftStretchLinear(cur, NULL, out, NULL) != 0) {
        SDL_FreeSurface(out);
        out = NULL;
    }
    SDL_FreeSurface(conv);
    if (!out)
        goto fail;
    return out;
fail:
    snprintf(why, whylen, "it cannot be scaled: %s", SDL_GetError());
    return NULL;
}

static SDL_Surface *decode_sdl(const ImageFile *f, int w, int h, char *why, size_t whylen)
{
    SDL_RWops *rw = SDL_RWFromConstMem(f->data, (int)f->len);
    SDL_Surface *s = NULL;
    if (rw) {
        s = f->kind == IMAGEFILE_PNG   ? IMG_LoadPNG_RW(rw)
            : f->kind == IMAGEFILE_SVG ? IMG_LoadSizedSVG_RW(rw, w, h)
                                       : IMG_LoadJPG_RW(rw);
        SDL_RWclose(rw);
    }
    if (!s)
        snprintf(why, whylen, "the %s cannot be decoded: %s", imagefile_kind_name(f->kind),
                 rw ? IMG_GetError() : SDL_GetError());
    return s;
}

/* A JPEG decoded at the smallest scale that still covers fw x fh. */
static SDL_Surface *decode_jpeg(const ImageFile *f, int fw, int fh, char *why, size_t whylen)
{
    tjhandle tj = tjInitDecompress();
    SDL_Surface *s = NULL;
    int w, h, subsamp, space;
    if (!tj) {
        snprintf(why, whylen, "the JPEG decoder cannot start: %s", tjGetErrorStr());
        return NULL;
    }
    if (tjDecompressHeader3(tj, f->data, (unsigned long)f->len, &w, &h, &subsamp, &space) != 0) {
        snprintf(why, whylen, "the JPEG cannot be decoded: %s", tjGetErrorStr2(tj));
        goto done;
    }
    if (space == TJCS_CMYK || space == TJCS_YCCK) {
        /* Print-shop CMYK: TurboJPEG gives no RGB for it; SDL_image does. */
        s = decode_sdl(f, 0, 0, why, whylen);
        goto done;
    }
    static const tjscalingfactor steps[] = {{1, 8}, {1, 4}, {1, 2}, {1, 1}};
    tjscalingfactor sf = {1, 1};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
        if (TJSCALED(w, steps[i]) >= fw && TJSCALED(h, steps[i]) >= fh) {
            sf = steps[i];
            break;
        }
    }
    int sw = TJSCALED(w, sf), sh = TJSCALED(h, sf);
    s = SDL_CreateRGBSurfaceWithFormat(0, sw, sh, 32, IMAGE_OPAQUE_FORMAT);
    if (!s) {
        snprintf(why, whylen, "%s", SDL_GetError());
        goto done;
    }
    /* Stop on warnings too: a photo cut short would otherwise show grey
     * where its end is missing. */
    if (tjDecompress2(tj, f->data, (unsigned long)f->len, s->pixels, sw, s->pitch, sh,
                      IMAGE_TJ_FORMAT, TJFLAG_STOPONWARNING) != 0) {
        snprintf(why, whylen, "the JPEG cannot be decoded: %s", tjGetErrorStr2(tj));
        SDL_FreeSurface(s);
        s = NULL;
    }
done:
    tjDestroy(tj);
    return s;
}

static SDL_Surface *from_cache(const ImageCachePixels *px)
{
    if (px->format != IMAGE_ALPHA_FORMAT && px->format != IMAGE_OPAQUE_FORMAT)
        return NULL;
    SDL_Surface *s = SDL_CreateRGBSurfaceWithFormat(0, (int)px->w, (int)px->h, 32, px->format);
    if (!s)
        return NULL;
    for (uint32_t y = 0; y < px->h; y++)
        memcpy((Uint8 *)s->pixels + (size_t)y * (size_t)s->pitch,
               (const Uint8 *)px->pixels + (size_t)y * px->w * 4, (size_t)px->w * 4);
    return s;
}

static void to_cache(ImageCache *cache, uint64_t key, SDL_Surface *s)
{
    if (s->pitch != s->w * 4)
        return;
    ImageCachePixels px = {(uint32_t)s->w, (uint32_t)s->h, s->format->format, s->pixels};
    imagecache_put(cache, key, &px);
}

SDL_Surface *image_load(const char *path, int box_w, int box_h, ImageCache *cache, char *why,
                        size_t whylen)
{
    ImageFile f;
    SDL_Surface *s = NULL, *out = NULL;
    uint64_t key = 0;
    if (box_w < 1 || box_h < 1) {
        snprintf(why, whylen, "it has no room on the slide");
        return NULL;
    }
    if (imagefile_open(&f, path, why, whylen) != 0)
        return NULL;
    if (cache) {
        key = imagecache_key(path, &f.id, box_w, box_h);
        ImageCachePixels px;
        if (imagecache_get(cache, key, &px)) {
            out = from_cache(&px);
            free(px.pixels);
            if (out)
                goto done;
        }
    }
    if (imagefile_read(&f, why, whylen) != 0)
        goto done;
    int fw = box_w, fh = box_h;
    if (f.w > 0 && f.h > 0)
        image_fit(f.w, f.h, box_w, box_h, &fw, &fh);
    s = f.kind == IMAGEFILE_JPEG ? decode_jpeg(&f, fw, fh, why, whylen)
                                 : decode_sdl(&f, fw, fh, why, whylen);
    if (!s)
        goto done;
    if (f.w <= 0 || f.h <= 0) /* an SVG without a size: its own shape */
        image_fit(s->w, s->h, box_w, box_h, &fw, &fh);
    out = to_fit(s, fw, fh, why, whylen);
    if (out && cache)
        to_cache(cache, key, out);
done:
    SDL_FreeSurface(s);
    imagefile_close(&f);
    return out;
}
