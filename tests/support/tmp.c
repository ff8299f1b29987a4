/* tmp.c: the temporary files and directories of a test process (see
 * testutil.h, "Temporary files").  Each is made under /tmp with the
 * ckp-<tag>- prefix and recorded; tu_tmp_remove removes one early, and an
 * atexit handler removes what is left when the process that made them
 * exits, so a failed assertion (cmocka goes on with the next test) leaves
 * nothing behind either.  CKP_KEEP_TMP=1 keeps them all and names them on
 * stderr, for debugging. */
#define _XOPEN_SOURCE 700
#include "testutil.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TMP_MAX_PATHS 512

static char *g_paths[TMP_MAX_PATHS]; /* recorded, not yet removed */
static pid_t g_owner;                /* the process that recorded them */

static int keep_tmp(void)
{
    const char *v = getenv("CKP_KEEP_TMP");
    return v && *v && strcmp(v, "0") != 0;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0; /* go on: remove as much as can be removed */
}

static void rm_tree(const char *path)
{
    nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void at_exit(void)
{
    if (getpid() != g_owner) return; /* a forked child: not its files */
    int keep = keep_tmp();
    for (int i = 0; i < TMP_MAX_PATHS; i++) {
        if (!g_paths[i]) continue;
        if (keep)
            fprintf(stderr, "CKP_KEEP_TMP: kept %s\n", g_paths[i]);
        else
            rm_tree(g_paths[i]);
        free(g_paths[i]);
        g_paths[i] = NULL;
    }
}

static void record(const char *path)
{
    static int registered;
    if (!registered || g_owner != getpid()) {
        /* first record in this process (a forked child records its own) */
        if (!registered) atexit(at_exit);
        registered = 1;
        g_owner = getpid();
        memset(g_paths, 0, sizeof g_paths); /* a child forgets its parent's */
    }
    for (int i = 0; i < TMP_MAX_PATHS; i++)
        if (!g_paths[i]) {
            g_paths[i] = strdup(path);
            return;
        }
    fail_msg("more than %d temporary paths in one test process", TMP_MAX_PATHS);
}

char *tu_tmpdir(const char *tag)
{
    char tmpl[256];
    snprintf(tmpl, sizeof tmpl, "/tmp/ckp-%s-XXXXXX", tag);
    if (!mkdtemp(tmpl)) fail_msg("cannot make a temporary directory %s", tmpl);
    record(tmpl);
    char *d = strdup(tmpl);
    assert_non_null(d);
    return d;
}

char *tu_tmpfile(const char *tag)
{
    char tmpl[256];
    snprintf(tmpl, sizeof tmpl, "/tmp/ckp-%s-XXXXXX", tag);
    int fd = mkstemp(tmpl);
    if (fd < 0) fail_msg("cannot make a temporary file %s", tmpl);
    close(fd);
    record(tmpl);
    char *f = strdup(tmpl);
    assert_non_null(f);
    return f;
}

void tu_tmp_remove(const char *path)
{
    if (!path || keep_tmp()) return;
    rm_tree(path);
    for (int i = 0; i < TMP_MAX_PATHS; i++)
        if (g_paths[i] && strcmp(g_paths[i], path) == 0) {
            free(g_paths[i]);
            g_paths[i] = NULL;
        }
}
