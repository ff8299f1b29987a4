/* atomic.c: write-to-temporary-then-rename files (see atomic.h). */
#include "util/atomic.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "util/alloc.h"

static long fail_countdown;

/* Temporaries that exist right now, for ckp_atomic_unlink_active() from a
 * signal handler: plain pointer slots, read without locks or allocation. */
#define MAX_ACTIVE 64
static char *volatile active[MAX_ACTIVE];

static void track(char *tmp)
{
    for (int i = 0; i < MAX_ACTIVE; i++)
        if (!active[i]) {
            active[i] = tmp;
            return;
        }
}

static void untrack(const char *tmp)
{
    for (int i = 0; i < MAX_ACTIVE; i++)
        if (active[i] == tmp) active[i] = NULL;
}

void ckp_atomic_unlink_active(void)
{
    for (int i = 0; i < MAX_ACTIVE; i++) {
        char *p = active[i];
        if (p) unlink(p);
    }
}

void ckp_atomic_fail_after(long n) { fail_countdown = n; }

/* 1 when the test hook says this step must fail (errno set to EIO). */
static int injected_failure(void)
{
    if (fail_countdown <= 0) return 0;
    if (--fail_countdown != 0) return 0;
    errno = EIO;
    return 1;
}

static ckp_status io_error(ckp_diag_list *diag, const char *path,
                           const char *what, int err)
{
    ckp_diag_add(diag, CKP_SEV_ERROR, path, 0, "output-error", "%s: %s", what,
                 strerror(err));
    return CKP_EIO;
}

ckp_status ckp_atomic_open(ckp_atomic_file *af, const char *path,
                           ckp_diag_list *diag)
{
    memset(af, 0, sizeof *af);
    const char *slash = strrchr(path, '/');
    size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0;
    const char *base = slash ? slash + 1 : path;
    size_t n = strlen(path) + 16;
    af->path = ckp_strdup(path);
    af->tmp_path = ckp_malloc(n);
    if (!af->path || !af->tmp_path) {
        /* tmp_path holds no name yet: nothing on disk to remove */
        ckp_free(af->tmp_path);
        af->tmp_path = NULL;
        ckp_atomic_discard(af);
        return CKP_ENOMEM;
    }
    snprintf(af->tmp_path, n, "%.*s.%s.tmpXXXXXX", (int)dir_len, path, base);
    if (injected_failure()) {
        int err = errno;
        ckp_free(af->tmp_path);
        af->tmp_path = NULL;
        ckp_atomic_discard(af);
        return io_error(diag, path, "cannot create temporary file", err);
    }
    int fd = mkstemp(af->tmp_path);
    if (fd < 0) {
        int err = errno;
        ckp_free(af->tmp_path);
        af->tmp_path = NULL;
        ckp_atomic_discard(af);
        return io_error(diag, path, "cannot create temporary file", err);
    }
    track(af->tmp_path);
    /* mkstemp makes 0600; give the result the usual mode for new files. */
    mode_t mask = umask(0);
    umask(mask);
    (void)fchmod(fd, (mode_t)(0666 & ~mask));
    af->f = fdopen(fd, "wb");
    if (!af->f) {
        int err = errno;
        close(fd);
        ckp_atomic_discard(af);
        return io_error(diag, path, "cannot open temporary file", err);
    }
    return CKP_OK;
}

ckp_status ckp_atomic_close(ckp_atomic_file *af, ckp_diag_list *diag)
{
    int err = 0;
    if (fflush(af->f) != 0) err = errno ? errno : EIO;
    if (!err && ferror(af->f)) err = EIO;
    if (!err && fsync(fileno(af->f)) != 0) err = errno;
    if (!err && injected_failure()) err = errno;
    int rc = fclose(af->f);
    af->f = NULL;
    if (!err && rc != 0) err = errno ? errno : EIO;
    if (err) {
        ckp_status st = io_error(diag, af->path, "cannot write", err);
        ckp_atomic_discard(af);
        return st;
    }
    return CKP_OK;
}

ckp_status ckp_atomic_commit(ckp_atomic_file *af, ckp_diag_list *diag)
{
    int err = 0;
    if (injected_failure()) err = errno;
    else if (rename(af->tmp_path, af->path) != 0) err = errno;
    if (err) {
        ckp_status st = io_error(diag, af->path, "cannot rename temporary file into place", err);
        ckp_atomic_discard(af);
        return st;
    }
    untrack(af->tmp_path);
    ckp_free(af->tmp_path);
    af->tmp_path = NULL;
    ckp_atomic_discard(af);
    return CKP_OK;
}

void ckp_atomic_discard(ckp_atomic_file *af)
{
    if (!af) return;
    if (af->f) fclose(af->f);
    af->f = NULL;
    if (af->tmp_path) {
        unlink(af->tmp_path);
        untrack(af->tmp_path);
    }
    ckp_free(af->tmp_path);
    ckp_free(af->path);
    af->tmp_path = NULL;
    af->path = NULL;
}

ckp_status ckp_output_dir(const char *dir, int *created, ckp_diag_list *diag)
{
    return ckp_output_dir_as(dir, "output directory", created, diag);
}

ckp_status ckp_output_dir_as(const char *dir, const char *what, int *created,
                             ckp_diag_list *diag)
{
    if (created) *created = 0;
    if (mkdir(dir, 0777) == 0) {
        if (created) *created = 1;
        return CKP_OK;
    }
    int err = errno;
    struct stat st;
    if (err == EEXIST && stat(dir, &st) == 0) {
        if (S_ISDIR(st.st_mode)) return CKP_OK;
        err = ENOTDIR;
    }
    ckp_diag_add(diag, CKP_SEV_ERROR, dir, 0, "output-error",
                 "cannot create %s: %s", what, strerror(err));
    return CKP_EIO;
}

ckp_status ckp_atomic_write(const char *dir, const char *name,
                            ckp_status (*fn)(const void *arg, FILE *out), const void *arg,
                            ckp_diag_list *diag)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = ckp_malloc(n);
    if (!path) return CKP_ENOMEM;
    snprintf(path, n, "%s/%s", dir, name);
    ckp_atomic_file af;
    memset(&af, 0, sizeof af);
    ckp_status st = ckp_atomic_open(&af, path, diag);
    if (st == CKP_OK) {
        st = fn(arg, af.f);
        if (st == CKP_OK) st = ckp_atomic_close(&af, diag);
        if (st == CKP_OK) st = ckp_atomic_commit(&af, diag);
        ckp_atomic_discard(&af);
    }
    ckp_free(path);
    return st;
}
