/* pool.c: the worker processes of the study layer (include/ckp/pool.h),
 * the one pool of sweeps, evaluate and explain.  GLPK is not re-entrant,
 * so work runs in processes: one fork()ed child per job, at most
 * `workers` at a time.  A child runs the job's work function and sends
 * its result back through a pipe as one frame (magic, status, length,
 * bytes), then _exit()s; the parent polls the pipes, reaps the children
 * and hands each finished job to the done callback in completion order.
 * Results depend on the job only, never on the number of workers or the
 * order of completion.  ckp_run_jobs (fixed-size records by job index)
 * is a thin layer over the same pool. */
#include "ckp/pool.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/alloc.h"

#define FRAME_MAGIC 0x636b7031u /* "ckp1" */

typedef struct slot {
    pid_t pid;      /* 0 = free */
    int fd;         /* read end of the child's pipe */
    int job;
    unsigned char *buf;
    size_t len, cap;
    int eof;
} slot;

static int write_all(int fd, const void *p, size_t n)
{
    const unsigned char *c = p;
    while (n > 0) {
        ssize_t w = write(fd, c, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        c += w;
        n -= (size_t)w;
    }
    return 0;
}

/* In the child: run the work, send the frame, exit without running the
 * parent's atexit handlers or flushing its stdio buffers. */
static void child(int fd, int job, ckp_pool_work work, void *ctx, pid_t parent)
{
    signal(SIGINT, SIG_DFL);
    signal(SIGTERM, SIG_DFL);
#ifdef __linux__
    /* die with the parent, even when it is killed with SIGKILL */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(4);
#else
    (void)parent;
#endif
    void *data = NULL;
    size_t len = 0;
    int32_t st = (int32_t)work(ctx, job, &data, &len);
    if (!data) len = 0;
    uint32_t magic = FRAME_MAGIC;
    uint64_t n = len;
    int bad = write_all(fd, &magic, sizeof magic) || write_all(fd, &st, sizeof st) ||
              write_all(fd, &n, sizeof n) || (len && write_all(fd, data, len));
    ckp_free(data);
    close(fd);
    _exit(bad ? 3 : 0);
}

/* Decode a finished slot's frame; returns the job status for done(). */
static int frame_status(const slot *s, int exit_ok, const void **data, size_t *len)
{
    const size_t head = sizeof(uint32_t) + sizeof(int32_t) + sizeof(uint64_t);
    *data = NULL;
    *len = 0;
    if (!exit_ok || s->len < head) return CKP_POOL_CRASHED;
    uint32_t magic;
    int32_t st;
    uint64_t n;
    memcpy(&magic, s->buf, sizeof magic);
    memcpy(&st, s->buf + sizeof magic, sizeof st);
    memcpy(&n, s->buf + sizeof magic + sizeof st, sizeof n);
    if (magic != FRAME_MAGIC || s->len - head != n) return CKP_POOL_CRASHED;
    *data = s->buf + head;
    *len = (size_t)n;
    return st;
}

static void kill_all(slot *slots, int k)
{
    for (int i = 0; i < k; i++)
        if (slots[i].pid > 0) kill(slots[i].pid, SIGTERM);
}

static double mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Reap a child whose pipe is at EOF; 1 when it exited with status 0. */
static int reap(pid_t pid)
{
    int ws;
    while (waitpid(pid, &ws, 0) < 0)
        if (errno != EINTR) return 0;
    return WIFEXITED(ws) && WEXITSTATUS(ws) == 0;
}

ckp_status ckp_pool_run(const ckp_pool *pool, int n_jobs, ckp_pool_stats *stats)
{
    int k = pool->workers < 1 ? 1 : pool->workers;
    if (k > n_jobs) k = n_jobs > 0 ? n_jobs : 1;
    ckp_pool_stats local;
    memset(&local, 0, sizeof local);
    slot *slots = ckp_calloc((size_t)k, sizeof *slots);
    struct pollfd *pfd = ckp_calloc((size_t)k, sizeof *pfd);
    int *map = ckp_calloc((size_t)k, sizeof *map);
    unsigned char *started = ckp_calloc((size_t)n_jobs + 1, 1);
    if (!slots || !pfd || !map || !started) {
        ckp_free(slots);
        ckp_free(pfd);
        ckp_free(map);
        ckp_free(started);
        return CKP_ENOMEM;
    }
    ckp_status rc = CKP_OK;
    int next = 0, running = 0, stopping = 0, n_started = 0;
    pid_t self = getpid();
    /* the workers' time: since `since`, `running` slots busy, the others
       held (jobs left) or idle (none left, or stopping) */
    double t0 = mono_now(), since = t0;
#define ACCOUNT()                                                                  \
    do {                                                                           \
        double now_ = mono_now(), dt_ = now_ - since;                              \
        local.busy_seconds += running * dt_;                                       \
        if (!stopping && n_started < n_jobs) local.held_seconds += (k - running) * dt_; \
        else local.idle_seconds += (k - running) * dt_;                            \
        since = now_;                                                              \
    } while (0)
    while (running > 0 || (!stopping && n_started < n_jobs)) {
        if (pool->stop && *pool->stop && !stopping) {
            stopping = 1;
            local.interrupted = 1;
            kill_all(slots, k);
        }
        /* start jobs into free slots */
        for (int i = 0; i < k && !stopping && n_started < n_jobs; i++) {
            if (slots[i].pid) continue;
            while (next < n_jobs && started[next]) next++;
            int job = next;
            if (pool->order) {
                int want = pool->order(pool->ctx, started, n_jobs);
                if (want >= 0 && want < n_jobs && !started[want]) job = want;
                else if (running > 0) break; /* wait for a job to finish */
            }
            int p[2];
            if (pipe(p) < 0) {
                rc = CKP_EIO;
                stopping = 1;
                kill_all(slots, k);
                break;
            }
            fflush(NULL); /* no buffered output is written twice */
            pid_t pid = fork();
            if (pid < 0) {
                close(p[0]);
                close(p[1]);
                rc = CKP_EIO;
                stopping = 1;
                kill_all(slots, k);
                break;
            }
            if (pid == 0) {
                close(p[0]);
                for (int j = 0; j < k; j++)
                    if (slots[j].pid) close(slots[j].fd);
                child(p[1], job, pool->work, pool->ctx, self);
            }
            close(p[1]);
            slots[i].pid = pid;
            slots[i].fd = p[0];
            slots[i].job = job;
            started[job] = 1;
            n_started++;
            slots[i].len = 0;
            slots[i].eof = 0;
            running++;
            local.started++;
        }
        if (running == 0) break;
        ACCOUNT();
        int n = 0;
        for (int i = 0; i < k; i++)
            if (slots[i].pid) {
                pfd[n].fd = slots[i].fd;
                pfd[n].events = POLLIN;
                pfd[n].revents = 0;
                map[n++] = i;
            }
        int pr = poll(pfd, (nfds_t)n, 200);
        ACCOUNT(); /* the wait, with the jobs that were running */
        if (pool->tick) pool->tick(pool->ctx);
        if (pr < 0 && errno != EINTR) {
            rc = CKP_EIO;
            stopping = 1;
            kill_all(slots, k);
            continue;
        }
        if (pr <= 0) continue;
        for (int j = 0; j < n; j++) {
            if (!pfd[j].revents) continue;
            slot *s = &slots[map[j]];
            if (s->cap - s->len < 65536) {
                size_t cap = s->cap ? 2 * s->cap : 131072;
                unsigned char *b = ckp_realloc(s->buf, cap);
                if (!b) {
                    rc = CKP_ENOMEM;
                    stopping = 1;
                    kill_all(slots, k);
                    break;
                }
                s->buf = b;
                s->cap = cap;
            }
            ssize_t r = read(s->fd, s->buf + s->len, s->cap - s->len);
            if (r < 0 && errno == EINTR) continue;
            if (r > 0) {
                s->len += (size_t)r;
                continue;
            }
            /* EOF (or a read error): the child is done */
            close(s->fd);
            int ok = reap(s->pid);
            const void *data;
            size_t len;
            int st = frame_status(s, ok, &data, &len);
            s->pid = 0;
            running--;
            if (!stopping && pool->stop && *pool->stop) {
                stopping = 1;
                local.interrupted = 1;
                kill_all(slots, k);
            }
            if (stopping && st == CKP_POOL_CRASHED) {
                local.abandoned++; /* killed by the stop: not a failure */
                continue;
            }
            local.finished++;
            if (st != 0) local.failed++;
            if (pool->done && pool->done(pool->ctx, s->job, st, data, len) &&
                !stopping) {
                stopping = 1;
                local.interrupted = 1;
                kill_all(slots, k);
            }
        }
    }
    ACCOUNT();
#undef ACCOUNT
    local.wall_seconds = since - t0;
    for (int i = 0; i < k; i++) ckp_free(slots[i].buf);
    ckp_free(slots);
    ckp_free(pfd);
    ckp_free(map);
    ckp_free(started);
    local.not_started = n_jobs - local.started;
    if (stats) *stats = local;
    return rc;
}

/* ------------------------------------------------------------------ */
/* Fixed-size records (ckp_run_jobs) */

typedef struct jobs_ctx {
    ckp_job_fn fn;
    void *arg;
    size_t rec_size;
    char *out;
    ckp_status *st;     /* [n] status per job */
} jobs_ctx;

static int jobs_work(void *ctx, int job, void **out, size_t *len)
{
    jobs_ctx *c = ctx;
    char *rec = ckp_calloc(c->rec_size + 1, 1);
    if (!rec) return CKP_ENOMEM;
    int st = (int)c->fn(job, c->arg, rec);
    *out = rec;
    *len = c->rec_size;
    return st;
}

static int jobs_done(void *ctx, int job, int status, const void *data, size_t len)
{
    jobs_ctx *c = ctx;
    if (status == CKP_POOL_CRASHED || len != c->rec_size || !data) {
        c->st[job] = status == CKP_POOL_CRASHED || status == CKP_OK ? CKP_EINTERNAL
                                                                    : (ckp_status)status;
        return 0;
    }
    memcpy(c->out + (size_t)job * c->rec_size, data, len);
    c->st[job] = (ckp_status)status;
    return 0;
}

ckp_status ckp_run_jobs(int n, int jobs, ckp_job_fn fn, void *arg, size_t rec_size,
                        void *out)
{
    char *o = out;
    if (n <= 0) return CKP_OK;
    if (jobs <= 1 || n == 1) {
        for (int i = 0; i < n; i++) {
            memset(o + (size_t)i * rec_size, 0, rec_size);
            CKP_TRY(fn(i, arg, o + (size_t)i * rec_size));
        }
        return CKP_OK;
    }
    ckp_status *st = ckp_malloc((size_t)n * sizeof *st);
    if (!st) return CKP_ENOMEM;
    for (int i = 0; i < n; i++) st[i] = CKP_EINTERNAL; /* not reported */
    jobs_ctx c = {fn, arg, rec_size, o, st};
    ckp_pool pool = {jobs, jobs_work, jobs_done, &c, NULL, NULL, NULL};
    ckp_pool_stats stats;
    ckp_status rc = ckp_pool_run(&pool, n, &stats);
    for (int i = 0; i < n && rc == CKP_OK; i++) rc = st[i];
    ckp_free(st);
    return rc;
}
