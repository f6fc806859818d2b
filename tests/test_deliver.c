/* deliver: secret files are read only when private to the kiosk's user;
 * the sends themselves are proved against real servers in
 * test_delivery.c. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "deliver.h"
#include "files.h"

static char dir[] = "/tmp/test_deliver.XXXXXX";

static void put(const char *name, const char *text, mode_t mode, char *path, size_t cap)
{
    snprintf(path, cap, "%s/%s", dir, name);
    files_write(path, text, strlen(text));
    chmod(path, mode);
}

static void test_secrets(void)
{
    char path[256], out[DELIVER_SECRET_MAX], err[700], want[800];
    put("ok", "s3cret pw\r\n", 0600, path, sizeof path);
    CHECK_INT(deliver_read_secret(path, out, sizeof out, err, sizeof err), 0);
    CHECK_STR(out, "s3cret pw"); /* the line end goes, inner spaces stay */

    put("group", "s3cret\n", 0640, path, sizeof path);
    CHECK_INT(deliver_read_secret(path, out, sizeof out, err, sizeof err), -1);
    snprintf(want, sizeof want,
             "%s can be read by other users (expected it private: sudo chmod 600 %s)", path, path);
    CHECK_STR(err, want);
    CHECK_STR(out, ""); /* nothing of it kept */

    put("empty", "", 0600, path, sizeof path);
    CHECK_INT(deliver_read_secret(path, out, sizeof out, err, sizeof err), -1);
    CHECK(strstr(err, "is empty (expected one line: the password or token)") != NULL);

    put("two", "a\nb\n", 0600, path, sizeof path);
    CHECK_INT(deliver_read_secret(path, out, sizeof out, err, sizeof err), -1);
    CHECK(strstr(err, "is not one line") != NULL);

    char link[256];
    put("target", "s3cret\n", 0600, path, sizeof path);
    snprintf(link, sizeof link, "%s/link", dir);
    CHECK_INT(symlink(path, link), 0);
    CHECK_INT(deliver_read_secret(link, out, sizeof out, err, sizeof err), -1);
    CHECK(strstr(err, "is a symbolic link") != NULL);

    snprintf(path, sizeof path, "%s/missing", dir);
    CHECK_INT(deliver_read_secret(path, out, sizeof out, err, sizeof err), -1);
    CHECK(strstr(err, "No such file or directory") != NULL);

    /* Another user's file: as root, hand one to nobody (65534). */
    if (geteuid() == 0) {
        put("theirs", "s3cret\n", 0600, path, sizeof path);
        CHECK_INT(chown(path, 65534, 65534), 0);
        CHECK_INT(deliver_read_secret(path, out, sizeof out, err, sizeof err), -1);
        snprintf(want, sizeof want,
                 "%s belongs to another user (expected the kiosk's own: sudo chown kiosk: %s)",
                 path, path);
        CHECK_STR(err, want);
    }
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    test_secrets();
    files_rm_tree(dir);
    return check_report("test_deliver");
}
