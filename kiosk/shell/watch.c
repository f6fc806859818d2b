#include "watch.h"

#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/signalfd.h>
#include <unistd.h>

/* A deck, its fonts and images: a few dozen files at most. */
#define WATCH_MAX_FILES 128

typedef struct {
    int wd;
    char name[NAME_MAX + 1];
    bool pattern; /* name is a shell pattern (a deck's translations) */
} Watched;

struct Watch {
    Uint32 event_type;
    int inotify_fd, signal_fd, stop_fd;
    pthread_t thread;
    pthread_mutex_t lock; /* guards files: the loop adds, the thread reads */
    Watched files[WATCH_MAX_FILES];
    int count;
};

static sigset_t watched_signals(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    return set;
}

void watch_block_signals(void)
{
    sigset_t set = watched_signals();
    pthread_sigmask(SIG_BLOCK, &set, NULL);
}

static void push(Watch *w, int code, intptr_t data)
{
    SDL_Event ev;
    SDL_zero(ev);
    ev.type = w->event_type;
    ev.user.code = code;
    ev.user.data1 = (void *)data;
    SDL_PushEvent(&ev);
}

static bool is_watched(Watch *w, int wd, const char *name)
{
    bool hit = false;
    pthread_mutex_lock(&w->lock);
    for (int i = 0; i < w->count && !hit; i++)
        hit = w->files[i].wd == wd &&
              (w->files[i].pattern ? fnmatch(w->files[i].name, name, FNM_PERIOD) == 0
                                   : strcmp(w->files[i].name, name) == 0);
    pthread_mutex_unlock(&w->lock);
    return hit;
}

static void *run(void *arg)
{
    Watch *w = arg;
    struct pollfd fds[3] = {{w->stop_fd, POLLIN, 0},
                            {w->inotify_fd, POLLIN, 0},
                            {w->signal_fd, POLLIN, 0}};
    char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
    for (;;) {
        if (poll(fds, 3, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        if (fds[0].revents)
            break;
        if (fds[1].revents & POLLIN) {
            ssize_t n = read(w->inotify_fd, buf, sizeof buf);
            bool changed = false;
            for (ssize_t off = 0; n > 0 && off < n;) {
                const struct inotify_event *e = (const struct inotify_event *)(buf + off);
                if (e->len && is_watched(w, e->wd, e->name))
                    changed = true;
                off += (ssize_t)(sizeof *e + e->len);
            }
            /* One event per burst: the loop debounces anyway. */
            if (changed)
                push(w, WATCH_FILE_CHANGED, 0);
        }
        if (fds[2].revents & POLLIN) {
            struct signalfd_siginfo si;
            if (read(w->signal_fd, &si, sizeof si) == (ssize_t)sizeof si)
                push(w, WATCH_SIGNAL, (intptr_t)si.ssi_signo);
        }
    }
    return NULL;
}

Watch *watch_start(Uint32 event_type, char *err, size_t errlen)
{
    Watch *w = calloc(1, sizeof *w);
    if (!w) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    w->event_type = event_type;
    pthread_mutex_init(&w->lock, NULL);
    sigset_t set = watched_signals();
    w->inotify_fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    w->signal_fd = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
    w->stop_fd = eventfd(0, EFD_CLOEXEC);
    if (w->inotify_fd < 0 || w->signal_fd < 0 || w->stop_fd < 0 ||
        pthread_create(&w->thread, NULL, run, w) != 0) {
        snprintf(err, errlen, "cannot watch files: %s", strerror(errno));
        if (w->inotify_fd >= 0)
            close(w->inotify_fd);
        if (w->signal_fd >= 0)
            close(w->signal_fd);
        if (w->stop_fd >= 0)
            close(w->stop_fd);
        pthread_mutex_destroy(&w->lock);
        free(w);
        return NULL;
    }
    return w;
}

static int add(Watch *w, const char *path, bool pattern)
{
    if (!w || !path)
        return -1;
    char dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    if (slash)
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    else
        snprintf(dir, sizeof dir, ".");
    if (!*dir)
        snprintf(dir, sizeof dir, "/");
    /* Close-after-write and rename-into-place cover every editor we know;
     * plain modify events would fire mid-save. */
    int wd = inotify_add_watch(w->inotify_fd, dir,
                               IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE);
    if (wd < 0)
        return -1;
    int rc = -1;
    pthread_mutex_lock(&w->lock);
    if (w->count < WATCH_MAX_FILES && strlen(name) <= NAME_MAX) {
        w->files[w->count].wd = wd;
        w->files[w->count].pattern = pattern;
        snprintf(w->files[w->count].name, sizeof w->files[w->count].name, "%s", name);
        w->count++;
        rc = 0;
    }
    pthread_mutex_unlock(&w->lock);
    return rc;
}

int watch_add(Watch *w, const char *path)
{
    return add(w, path, false);
}

int watch_add_pattern(Watch *w, const char *path)
{
    return add(w, path, true);
}

void watch_clear(Watch *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    for (int i = 0; i < w->count; i++) {
        bool seen = false;
        for (int j = 0; j < i; j++)
            seen = seen || w->files[j].wd == w->files[i].wd;
        if (!seen)
            inotify_rm_watch(w->inotify_fd, w->files[i].wd);
    }
    w->count = 0;
    pthread_mutex_unlock(&w->lock);
}

void watch_stop(Watch *w)
{
    if (!w)
        return;
    uint64_t one = 1;
    if (write(w->stop_fd, &one, sizeof one) == (ssize_t)sizeof one)
        pthread_join(w->thread, NULL);
    close(w->inotify_fd);
    close(w->signal_fd);
    close(w->stop_fd);
    pthread_mutex_destroy(&w->lock);
    free(w);
}
