/* files: the small file helpers the tests share (whole-file reads, modes,
 * sizes, removing a temporary tree), written once. */
#ifndef KIOSK_TEST_FILES_H
#define KIOSK_TEST_FILES_H

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The whole file as a NUL-terminated string the caller frees (it may hold
 * NULs too: see *len, which may be NULL); NULL if it cannot be read. */
static inline char *files_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t n = 0, cap = 0;
    if (!f)
        return NULL;
    for (;;) {
        if (n + 4096 + 1 > cap) {
            cap = cap ? cap * 2 : 8192;
            buf = realloc(buf, cap);
            if (!buf)
                abort();
        }
        size_t r = fread(buf + n, 1, cap - n - 1, f);
        if (r == 0)
            break;
        n += r;
    }
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

/* Whether the file at path holds text (false if it cannot be read). */
static inline bool files_contain(const char *path, const char *text)
{
    char *b = files_slurp(path, NULL);
    bool yes = b && strstr(b, text);
    free(b);
    return yes;
}

/* Permission bits, or (mode_t)-1 when there is no such file. */
static inline mode_t files_mode(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return (mode_t)-1;
    return st.st_mode & 07777;
}

/* Size in bytes, or -1 when there is no such file. */
static inline off_t files_size(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return -1;
    return st.st_size;
}

/* Writes len bytes to path (created or emptied). Returns 0, or -1. */
static inline int files_write(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    int ok = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok ? 0 : -1;
}

/* Names in dir that start with prefix (never "." names), sorted; returns
 * how many, at most max. */
static inline int files_list(const char *dir, const char *prefix, char names[][256], int max)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    while (d && (e = readdir(d)) && n < max)
        if (e->d_name[0] != '.' && strncmp(e->d_name, prefix, strlen(prefix)) == 0)
            snprintf(names[n++], 256, "%s", e->d_name);
    if (d)
        closedir(d);
    for (int i = 1; i < n; i++)
        for (int j = i; j > 0 && strcmp(names[j - 1], names[j]) > 0; j--) {
            char t[256];
            memcpy(t, names[j], 256);
            memcpy(names[j], names[j - 1], 256);
            memcpy(names[j - 1], t, 256);
        }
    return n;
}

/* rm -rf, not following links. */
static inline void files_rm_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (!S_ISDIR(st.st_mode)) {
        unlink(path);
        return;
    }
    DIR *d = opendir(path);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        char sub[4096];
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
        files_rm_tree(sub);
    }
    if (d)
        closedir(d);
    rmdir(path);
}

#endif
