/* pool.c: many independent solves in worker processes (ckp_run_jobs,
 * ckp/study.h).  GLPK keeps global state and is not re-entrant, so the
 * parallel unit is a process: fork `jobs` workers, worker w runs the jobs
 * i = w, w + jobs, ... and writes (i, status, record) to its pipe; the
 * parent reads every pipe until it closes, then reaps the workers.  A
 * worker that dies (signal, short write) leaves its jobs unreported: that
 * is CKP_EINTERNAL.  The records are plain bytes: jobs must not return
 * pointers.  With jobs <= 1 (or one job) everything runs in-process. */
#include "ckp/study.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/alloc.h"

/* Most workers started, whatever is asked. */
#define CKP_POOL_MAX 64

static int write_all(int fd, const void *buf, size_t n)
{
    const char *p = buf;
    while (n > 0) {
        ssize_t k = write(fd, p, n);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return -1;
        p += k;
        n -= (size_t)k;
    }
    return 0;
}

/* Read exactly n bytes; 0 at a clean end of file before any byte, -1 on
 * error or a short read, 1 on success. */
static int read_all(int fd, void *buf, size_t n)
{
    char *p = buf;
    size_t got = 0;
    while (got < n) {
        ssize_t k = read(fd, p + got, n - got);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) return -1;
        if (k == 0) return got == 0 ? 0 : -1;
        got += (size_t)k;
    }
    return 1;
}

typedef struct rec_head {
    int32_t index;
    int32_t status;
} rec_head;

static void worker(int w, int jobs, int n, ckp_job_fn fn, void *arg, size_t rec_size,
                   int fd)
{
    char *rec = ckp_malloc(rec_size + 1);
    int ok = rec != NULL;
    for (int i = w; i < n && ok; i += jobs) {
        memset(rec, 0, rec_size);
        rec_head h = {i, (int32_t)fn(i, arg, rec)};
        ok = write_all(fd, &h, sizeof h) == 0 && write_all(fd, rec, rec_size) == 0;
    }
    ckp_free(rec);
    close(fd);
    _exit(ok ? 0 : 1);
}

ckp_status ckp_run_jobs(int n, int jobs, ckp_job_fn fn, void *arg, size_t rec_size,
                        void *out)
{
    char *o = out;
    if (n <= 0) return CKP_OK;
    if (jobs > n) jobs = n;
    if (jobs > CKP_POOL_MAX) jobs = CKP_POOL_MAX;
    if (jobs <= 1) {
        for (int i = 0; i < n; i++) {
            memset(o + (size_t)i * rec_size, 0, rec_size);
            CKP_TRY(fn(i, arg, o + (size_t)i * rec_size));
        }
        return CKP_OK;
    }
    pid_t pid[CKP_POOL_MAX];
    int fd[CKP_POOL_MAX];
    unsigned char *done = ckp_calloc((size_t)n, 1);
    char *rec = ckp_malloc(rec_size + 1);
    ckp_status rc = done && rec ? CKP_OK : CKP_ENOMEM;
    int started = 0;
    fflush(NULL); /* no buffered output duplicated into the children */
    for (int w = 0; w < jobs && rc == CKP_OK; w++) {
        int p[2];
        if (pipe(p) != 0) break; /* the rest run here, below */
        pid_t c = fork();
        if (c < 0) {
            close(p[0]);
            close(p[1]);
            break;
        }
        if (c == 0) {
            close(p[0]);
            for (int k = 0; k < started; k++) close(fd[k]);
            worker(w, jobs, n, fn, arg, rec_size, p[1]);
        }
        close(p[1]);
        pid[started] = c;
        fd[started++] = p[0];
    }
    /* Workers not started leave their jobs undone: finish them here. */
    int open_n = started;
    struct pollfd pfd[CKP_POOL_MAX];
    while (open_n > 0) {
        int m = 0;
        for (int k = 0; k < started; k++)
            if (fd[k] >= 0) {
                pfd[m].fd = fd[k];
                pfd[m].events = POLLIN;
                pfd[m].revents = 0;
                m++;
            }
        if (poll(pfd, (nfds_t)m, -1) < 0) {
            if (errno == EINTR) continue;
            rc = CKP_EINTERNAL;
            break;
        }
        for (int j = 0; j < m; j++) {
            if (!pfd[j].revents) continue;
            int k = 0;
            while (fd[k] != pfd[j].fd) k++;
            rec_head h;
            int got = read_all(fd[k], &h, sizeof h);
            if (got == 1) got = read_all(fd[k], rec, rec_size);
            if (got == 1 && h.index >= 0 && h.index < n) {
                memcpy(o + (size_t)h.index * rec_size, rec, rec_size);
                done[h.index] = 1;
                if (h.status != CKP_OK && rc == CKP_OK) rc = (ckp_status)h.status;
                continue;
            }
            close(fd[k]);
            fd[k] = -1;
            open_n--;
        }
    }
    for (int k = 0; k < started; k++) {
        if (fd[k] >= 0) {
            kill(pid[k], SIGKILL);
            close(fd[k]);
        }
        int status;
        while (waitpid(pid[k], &status, 0) < 0 && errno == EINTR) {}
    }
    for (int i = 0; i < n && rc == CKP_OK && done; i++)
        if (!done[i]) {
            if (started < jobs && i % jobs >= started) { /* worker never started */
                memset(o + (size_t)i * rec_size, 0, rec_size);
                rc = fn(i, arg, o + (size_t)i * rec_size);
            } else {
                rc = CKP_EINTERNAL;
            }
        }
    ckp_free(done);
    ckp_free(rec);
    return rc;
}
