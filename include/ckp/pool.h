/* pool.h: the study layer's worker processes (src/study/pool.c), used by
 * budget sweeps (ckp/sweep.h), evaluate and explain (ckp/study.h).  GLPK
 * keeps global state and is not re-entrant, so the parallel unit is a
 * process: one fork()ed child per job, at most `workers` at a time; a
 * crash or a leak in one job cannot touch another.  Results depend on the
 * job only, never on the number of workers or the order in which the
 * jobs finish. */
#ifndef CKP_POOL_H
#define CKP_POOL_H

#include <signal.h>
#include <stddef.h>

#include "ckp/export.h"
#include "ckp/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Runs jobs 0..n_jobs-1, started in job order, over at most `workers`
 * processes at a time.  In the child, work() computes job `job` and hands
 * back a compact serialized result: *out (allocated with ckp_malloc, freed
 * by the pool; NULL for none) and *len; its return value (0 = success,
 * any other value >= 0 is the caller's own failure code) is passed on.
 * The child inherits the parent's memory (the loaded plan, settings, what
 * done() recorded so far) as it was at fork time and exits with _exit():
 * write files from work() atomically.  In the parent, done() receives
 * each finished job, in completion order, with the work's return value
 * (or CKP_POOL_CRASHED when the child died without sending a whole frame)
 * and the bytes (valid during the call only); a nonzero return stops the
 * pool.
 *
 * Stopping: when *stop becomes nonzero (a signal handler sets it) or
 * done() asks, no job is started any more, running children get SIGTERM
 * and are reaped, and ckp_pool_run returns CKP_OK with
 * stats->interrupted = 1.  Children restore the default SIGINT/SIGTERM
 * actions and, on Linux, die with the parent (PR_SET_PDEATHSIG), even
 * when it is killed with SIGKILL.  The parent flushes its stdio streams
 * before each fork. */
#define CKP_POOL_CRASHED (-1)

typedef int (*ckp_pool_work)(void *ctx, int job, void **out, size_t *len);
typedef int (*ckp_pool_done)(void *ctx, int job, int status, const void *data,
                             size_t len);

typedef struct ckp_pool {
    int workers;                        /* >= 1 (clamped) */
    ckp_pool_work work;
    ckp_pool_done done;                 /* may be NULL */
    void *ctx;
    const volatile sig_atomic_t *stop;  /* may be NULL */
    void (*tick)(void *ctx);            /* may be NULL: called in the parent
                                           at least every 0.2 s while jobs
                                           run (progress displays) */
    /* May be NULL (jobs start in job order).  Called in the parent before
       each start, with started[j] != 0 for the jobs started so far (done()
       has seen the finished ones): returns the job to start next; -1 (or a
       job already started, or out of range) starts none until a running
       job finishes, and when nothing runs the pool starts the first job
       not started, so every job runs.  For callers whose jobs learn from
       the jobs finished before them (sweep warm starts). */
    int (*order)(void *ctx, const unsigned char *started, int n_jobs);
} ckp_pool;

typedef struct ckp_pool_stats {
    int started;      /* children forked */
    int finished;     /* jobs handed to done() */
    int failed;       /* of which with a nonzero status */
    int abandoned;    /* killed by a stop before finishing */
    int not_started;  /* n_jobs - started */
    int interrupted;  /* 1 when *stop or done() stopped the pool */
    /* Where the workers' time went (wall seconds, CLOCK_MONOTONIC, as the
       parent sees it): the run, the worker-seconds spent with a job
       running (busy), with a worker free while jobs were left that the
       order callback held back (held: the schedule waits for a job to
       finish), and with a worker free and no job left to start (idle:
       the tail of the run, or a stop).  busy + held + idle = workers x
       wall, workers = min(pool.workers, n_jobs). */
    double wall_seconds, busy_seconds, held_seconds, idle_seconds;
} ckp_pool_stats;

/* CKP_OK (also when stopped; see stats), CKP_ENOMEM, or CKP_EIO when a
 * pipe or fork failed (running children are then stopped and reaped). */
CKP_API ckp_status ckp_pool_run(const ckp_pool *pool, int n_jobs, ckp_pool_stats *stats);

/* Fixed-size records over the same pool: n jobs fn(i, arg, rec)
 * (i = 0..n-1), each writing rec_size bytes into rec (zeroed first),
 * which come back in out[i * rec_size] whatever the worker.  jobs <= 1
 * (or one job) runs them in this process, in order.  The first failing
 * job's status (in job order) is returned; a job whose worker dies is
 * CKP_EINTERNAL. */
typedef ckp_status (*ckp_job_fn)(int i, void *arg, void *rec);
CKP_API ckp_status ckp_run_jobs(int n, int jobs, ckp_job_fn fn, void *arg, size_t rec_size,
                                void *out);

#ifdef __cplusplus
}
#endif

#endif
