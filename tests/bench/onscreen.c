/* onscreen: part of the on-demand benchmark (tests/bench.sh), not a test.
 *
 * Starts a command and times how long it takes, from exec, until a slide is
 * on the X screen: the root window (which holds what every window shows, as
 * Xvfb has no compositor) has at least MIN_BG of its pixels in the slide's
 * background colour AND at least MIN_FG pixels in its text colour (the
 * title's glyphs). The same test for any program, so the kiosk and a browser
 * are timed alike, whatever their layout. The screen is grabbed every
 * --every ms (MIT-SHM when the server has it) and sampled every 4th pixel of
 * every 4th row.
 *
 *   onscreen [--bg RRGGBB] [--fg RRGGBB] [--min-bg F] [--min-fg N]
 *            [--every MS] [--timeout S] [--hold S] -- COMMAND ARGS...
 *
 * Prints "onscreen_s=SECONDS polls=N" (or "onscreen_s=timeout"), then stops
 * the command's whole process group (TERM, after 5 s KILL) unless --hold:
 * then it waits that many more seconds first. The command runs in its own
 * process group. Exit status 0 when the slide was seen, 1 on timeout, 2 on
 * a usage or X error.
 */
#define _POSIX_C_SOURCE 200809L
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XShm.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void nap_ms(double ms)
{
    struct timespec ts = {(time_t)(ms / 1000), (long)((ms - (double)(long)(ms / 1000) * 1000) * 1e6)};
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR) {
    }
}

static int near(unsigned long px, unsigned rgb, int tol)
{
    int r = (int)((px >> 16) & 255), g = (int)((px >> 8) & 255), b = (int)(px & 255);
    int R = (int)((rgb >> 16) & 255), G = (int)((rgb >> 8) & 255), B = (int)(rgb & 255);
    return abs(r - R) <= tol && abs(g - G) <= tol && abs(b - B) <= tol;
}

static void stop_group(pid_t pid)
{
    kill(-pid, SIGTERM);
    for (int i = 0; i < 100; i++) {
        if (waitpid(pid, NULL, WNOHANG) == pid) {
            /* the leader is gone; give the rest of the group a moment */
            for (int j = 0; j < 20 && kill(-pid, 0) == 0; j++)
                nap_ms(50);
            kill(-pid, SIGKILL);
            return;
        }
        nap_ms(50);
    }
    kill(-pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

int main(int argc, char **argv)
{
    unsigned bg = 0xF7F3EE, fg = 0x2B2A28;
    double min_bg = 0.3, every = 10, timeout = 30, hold = 0;
    long min_fg = 300;
    int i = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--")) {
            i++;
            break;
        }
        if (!v)
            goto usage;
        if (!strcmp(a, "--bg"))
            bg = (unsigned)strtoul(v[0] == '#' ? v + 1 : v, NULL, 16);
        else if (!strcmp(a, "--fg"))
            fg = (unsigned)strtoul(v[0] == '#' ? v + 1 : v, NULL, 16);
        else if (!strcmp(a, "--min-bg"))
            min_bg = atof(v);
        else if (!strcmp(a, "--min-fg"))
            min_fg = atol(v);
        else if (!strcmp(a, "--every"))
            every = atof(v);
        else if (!strcmp(a, "--timeout"))
            timeout = atof(v);
        else if (!strcmp(a, "--hold"))
            hold = atof(v);
        else
            goto usage;
        i++;
    }
    if (i >= argc)
        goto usage;

    Display *dpy = XOpenDisplay(NULL);
    if (!dpy) {
        fprintf(stderr, "onscreen: cannot open the X display\n");
        return 2;
    }
    int scr = DefaultScreen(dpy);
    Window root = RootWindow(dpy, scr);
    int W = DisplayWidth(dpy, scr), H = DisplayHeight(dpy, scr);
    XShmSegmentInfo shm = {0};
    XImage *img = NULL;
    int use_shm = XShmQueryExtension(dpy);
    if (use_shm) {
        img = XShmCreateImage(dpy, DefaultVisual(dpy, scr), (unsigned)DefaultDepth(dpy, scr),
                              ZPixmap, NULL, &shm, (unsigned)W, (unsigned)H);
        if (img) {
            shm.shmid = shmget(IPC_PRIVATE, (size_t)img->bytes_per_line * (size_t)H,
                               IPC_CREAT | 0600);
            shm.shmaddr = img->data = shmat(shm.shmid, NULL, 0);
            shm.readOnly = False;
            if (shm.shmid < 0 || shm.shmaddr == (void *)-1 || !XShmAttach(dpy, &shm))
                use_shm = 0;
            XSync(dpy, False);
            if (shm.shmid >= 0)
                shmctl(shm.shmid, IPC_RMID, NULL); /* freed once both detach */
        } else {
            use_shm = 0;
        }
    }

    double t0 = now_s();
    pid_t pid = fork();
    if (pid < 0) {
        perror("onscreen: fork");
        return 2;
    }
    if (pid == 0) {
        setpgid(0, 0);
        execvp(argv[i], argv + i);
        fprintf(stderr, "onscreen: cannot run %s: %s\n", argv[i], strerror(errno));
        _exit(127);
    }
    setpgid(pid, pid);

    long samples = (long)((W + 3) / 4) * ((H + 3) / 4);
    long polls = 0;
    int seen = 0;
    double t = t0;
    while ((t = now_s()) - t0 < timeout) {
        XImage *got = NULL;
        if (use_shm) {
            if (XShmGetImage(dpy, root, img, 0, 0, AllPlanes))
                got = img;
        } else {
            got = XGetImage(dpy, root, 0, 0, (unsigned)W, (unsigned)H, AllPlanes, ZPixmap);
        }
        polls++;
        if (got) {
            long nbg = 0, nfg = 0;
            for (int y = 0; y < H; y += 4)
                for (int x = 0; x < W; x += 4) {
                    unsigned long px = XGetPixel(got, x, y);
                    if (near(px, bg, 6))
                        nbg++;
                    else if (near(px, fg, 16))
                        nfg++;
                }
            if (got != img)
                XDestroyImage(got);
            if ((double)nbg >= min_bg * (double)samples && nfg >= min_fg) {
                seen = 1;
                break;
            }
        }
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            fprintf(stderr, "onscreen: the command exited (status %d) before the slide was seen\n",
                    WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
            printf("onscreen_s=exited polls=%ld\n", polls);
            return 1;
        }
        nap_ms(every);
    }
    if (seen)
        printf("onscreen_s=%.4f polls=%ld\n", t - t0, polls);
    else
        printf("onscreen_s=timeout polls=%ld\n", polls);
    fflush(stdout);
    if (hold > 0)
        nap_ms(hold * 1000);
    stop_group(pid);
    if (use_shm) {
        XShmDetach(dpy, &shm);
        shmdt(shm.shmaddr);
    }
    XCloseDisplay(dpy);
    return seen ? 0 : 1;

usage:
    fprintf(stderr, "usage: onscreen [--bg RRGGBB] [--fg RRGGBB] [--min-bg F] [--min-fg N]"
                    " [--every MS] [--timeout S] [--hold S] -- COMMAND ARGS...\n");
    return 2;
}
