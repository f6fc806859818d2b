/* outbox: which rows wait, in what order, and what survives a restart. The
 * rows are written by the real store (store.h), as the kiosk writes them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "files.h"
#include "outbox.h"
#include "store.h"

static const char *const columns[] = {"id", "timestamp", "name"};
static char dir[] = "/tmp/test_outbox.XXXXXX";
static char csv[128], list[160];

/* A row stored at now + ahead seconds. */
static void add_row_at(const char *id, const char *name, int ahead)
{
    Store *s = NULL;
    char note[512], err[512], stamp[64];
    store_format_time(time(NULL) + ahead, stamp, sizeof stamp);
    CHECK_INT(store_open(&s, csv, columns, 3, note, sizeof note, err, sizeof err), 0);
    const char *values[] = {id, stamp, name};
    CHECK_INT(store_append(s, values, 3, err, sizeof err), 0);
    store_close(s);
}

static void add_row(const char *id, const char *name)
{
    add_row_at(id, name, 0);
}

/* The id of the next waiting row ("" when none) and how many wait. */
static size_t next(Outbox *o, char id[17])
{
    OutboxRow row;
    size_t waiting = 99;
    char err[512];
    int rc = outbox_next(o, &row, &waiting, err, sizeof err);
    CHECK(rc >= 0);
    snprintf(id, 17, "%s", rc > 0 ? row.id : "");
    if (rc > 0) {
        /* The form of add_row(), or of add_phone_row(): nothing else. */
        CHECK(row.n == 3 || (row.n == 4 && strcmp(row.names[3], "phone") == 0));
        CHECK_STR(row.names[2], "name");
    }
    outbox_row_free(&row);
    return rc > 0 ? waiting : 0;
}

static void test_new_file(void)
{
    Outbox *o = NULL;
    char err[512], id[17];
    /* No sign-up file yet: the list starts "after -", everything is new. */
    CHECK_INT(outbox_open(&o, csv, "email", err, sizeof err), 0);
    CHECK_INT((long)(files_mode(list) & 0777), 0600);
    CHECK_INT((long)next(o, id), 0);
    add_row("aaaaaaaaaaaaaaa1", "Ann");
    add_row("aaaaaaaaaaaaaaa2", "Bo");
    CHECK_INT((long)next(o, id), 2);
    CHECK_STR(id, "aaaaaaaaaaaaaaa1");
    CHECK_INT(outbox_done(o, id, err, sizeof err), 0);
    CHECK_INT((long)next(o, id), 1);
    CHECK_STR(id, "aaaaaaaaaaaaaaa2");
    CHECK(outbox_last_delivered(o) > 0);
    outbox_close(o);

    /* Across a restart: the delivered row stays delivered. A line torn by
     * a power cut is ignored, and the next id still gets a line of its own. */
    FILE *f = fopen(list, "a");
    fputs("aaaaaaaa", f);
    fclose(f);
    CHECK_INT(outbox_open(&o, csv, "email", err, sizeof err), 0);
    CHECK_INT((long)next(o, id), 1);
    CHECK_STR(id, "aaaaaaaaaaaaaaa2");
    CHECK_INT(outbox_done(o, id, err, sizeof err), 0);
    CHECK_INT((long)next(o, id), 0);
    CHECK_STR(id, "");
    outbox_close(o);
    size_t len;
    char *text = files_slurp(list, &len);
    CHECK(text && strncmp(text, "after - ", 8) == 0);
    const char *ids = text ? strchr(text, '\n') : NULL;
    CHECK_STR(ids ? ids : "", "\naaaaaaaaaaaaaaa1\naaaaaaaa\naaaaaaaaaaaaaaa2\n");
    free(text);
    /* Another route has its own list: it starts after the last row. */
    CHECK_INT(outbox_open(&o, csv, "webhook", err, sizeof err), 0);
    CHECK_INT((long)next(o, id), 0);
    add_row("aaaaaaaaaaaaaaa3", "Cy");
    CHECK_INT((long)next(o, id), 1);
    CHECK_STR(id, "aaaaaaaaaaaaaaa3");
    outbox_close(o);
}

static void test_file_started_afresh(void)
{
    Outbox *o = NULL;
    char err[512], id[17];
    /* The sign-up file moved away by hand: the starting row is gone, so
     * the rows of the new file stored since wait. */
    char aside[160];
    snprintf(aside, sizeof aside, "%s/old.csv", dir);
    CHECK_INT(rename(csv, aside), 0);
    add_row_at("bbbbbbbbbbbbbbb1", "Di", 10);
    CHECK_INT(outbox_open(&o, csv, "webhook", err, sizeof err), 0);
    CHECK_INT((long)next(o, id), 1);
    CHECK_STR(id, "bbbbbbbbbbbbbbb1");
    outbox_close(o);
    /* Old rows put back in a file without the starting row (a file cut
     * down, or restored): rows stored before the list was made are not
     * sent, however many. */
    CHECK_INT(rename(csv, aside), 0);
    add_row_at("ccccccccccccccc1", "Old", -3600);
    add_row_at("ccccccccccccccc2", "Old too", -60);
    add_row_at("ccccccccccccccc3", "New", 10);
    CHECK_INT(outbox_open(&o, csv, "webhook", err, sizeof err), 0);
    CHECK_INT((long)next(o, id), 1);
    CHECK_STR(id, "ccccccccccccccc3");
    outbox_close(o);
}

/* A row of the form with a phone field, which sets the old file aside. */
static void add_phone_row(const char *path, const char *id, const char *name)
{
    static const char *const form2[] = {"id", "timestamp", "name", "phone"};
    Store *s = NULL;
    char note[512], err[512], stamp[64];
    store_format_time(time(NULL), stamp, sizeof stamp);
    CHECK_INT(store_open(&s, path, form2, 4, note, sizeof note, err, sizeof err), 0);
    const char *values[] = {id, stamp, name, "020 7946 0958"};
    CHECK_INT(store_append(s, values, 4, err, sizeof err), 0);
    store_close(s);
}

/* The archive the store made in sub ("" if none). */
static void archive_in(const char *sub, char *out, size_t cap)
{
    char names[4][256];
    int n = files_list(sub, "signups-2", names, 4);
    CHECK_INT(n, 1);
    if (n > 0)
        snprintf(out, cap, "%s/%s", sub, names[0]);
    else
        out[0] = '\0';
}

static void test_archives(void)
{
    char sub[160], live[200], arch[400], err[512], id[17];
    snprintf(sub, sizeof sub, "%s/rotated", dir);
    snprintf(live, sizeof live, "%s/signups.csv", sub);
    CHECK_INT(mkdir(sub, 0700), 0);
    snprintf(csv, sizeof csv, "%s", live); /* add_row() writes here */
    add_row("ddddddddddddddd1", "Before");
    Outbox *o = NULL;
    CHECK_INT(outbox_open(&o, live, "email", err, sizeof err), 0);
    add_row("ddddddddddddddd2", "Fay");
    add_row("ddddddddddddddd3", "Gus");
    CHECK_INT((long)next(o, id), 2);

    /* The deck's form gains a field while two rows wait: the store sets
     * the file aside, and they are still sent, first, then the new row. */
    add_phone_row(live, "ddddddddddddddd4", "Hal");
    archive_in(sub, arch, sizeof arch);
    CHECK(arch[0] != '\0');
    CHECK_INT((long)next(o, id), 3);
    CHECK_STR(id, "ddddddddddddddd2");
    CHECK_INT(outbox_done(o, id, err, sizeof err), 0);
    CHECK_INT((long)next(o, id), 2);
    CHECK_STR(id, "ddddddddddddddd3");
    CHECK_INT(outbox_done(o, id, err, sizeof err), 0);
    CHECK_INT((long)next(o, id), 1);
    CHECK_STR(id, "ddddddddddddddd4");
    outbox_close(o);

    /* Across a restart too; and an archive with nothing waiting, once
     * rewritten (retention, erase: here a row put back by hand), is read
     * again. */
    CHECK_INT(outbox_open(&o, live, "email", err, sizeof err), 0);
    CHECK_INT((long)next(o, id), 1);
    CHECK_STR(id, "ddddddddddddddd4");
    FILE *f = fopen(arch, "a");
    CHECK(f != NULL);
    if (f) {
        char stamp[64];
        store_format_time(time(NULL) + 5, stamp, sizeof stamp);
        fprintf(f, "ddddddddddddddd5,%s,Ida\r\n", stamp);
        fclose(f);
    }
    CHECK_INT((long)next(o, id), 2);
    CHECK_STR(id, "ddddddddddddddd5");
    outbox_close(o);

    /* A route set up now starts after the last row of the last file, even
     * when the live file was just set aside and is empty. */
    Outbox *w = NULL;
    CHECK_INT(outbox_open(&w, live, "webhook", err, sizeof err), 0);
    CHECK_INT((long)next(w, id), 0);
    outbox_close(w);
    char moved[240];
    snprintf(moved, sizeof moved, "%s/signups-20991231-235959.csv", sub);
    CHECK_INT(rename(live, moved), 0);
    CHECK_INT(outbox_open(&w, live, "sms", err, sizeof err), 0);
    CHECK_INT((long)next(w, id), 0);
    add_row("ddddddddddddddd6", "Jo");
    CHECK_INT((long)next(w, id), 1);
    CHECK_STR(id, "ddddddddddddddd6");
    outbox_close(w);
}

static int count_row(void *ctx, const OutboxRow *row)
{
    (void)row;
    ++*(int *)ctx;
    return 0;
}

static void test_each_row(void)
{
    int n = 0;
    char err[512], path[160];
    CHECK_INT(outbox_each_row(csv, count_row, &n, err, sizeof err), 0);
    CHECK_INT(n, 3);
    /* A torn last row is not a row yet. */
    FILE *f = fopen(csv, "a");
    fputs("bbbbbbbbbbbbbbb2,2026-12-02T10:00:00+00:00,\"Eve", f);
    fclose(f);
    n = 0;
    CHECK_INT(outbox_each_row(csv, count_row, &n, err, sizeof err), 0);
    CHECK_INT(n, 3);
    snprintf(path, sizeof path, "%s/none.csv", dir);
    n = 0;
    CHECK_INT(outbox_each_row(path, count_row, &n, err, sizeof err), 0);
    CHECK_INT(n, 0);
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    snprintf(csv, sizeof csv, "%s/signups.csv", dir);
    snprintf(list, sizeof list, "%s.sent-email", csv);
    test_new_file();
    test_file_started_afresh();
    test_each_row();
    test_archives();
    files_rm_tree(dir);
    return check_report("test_outbox");
}
