/* sweep_run.h: the state of a running sweep shared by sweep.c (the run,
 * the grid, the pool's callbacks) and sweep_chain.c (the nested sweep and
 * the exact frontier); internal. */
#ifndef CKP_STUDY_SWEEP_RUN_H
#define CKP_STUDY_SWEEP_RUN_H

#include "ckp/pool.h"
#include "study/sweep_int.h"

/* ------------------------------------------------------------------ */
/* The run */

/* A running job's progress, written by its worker into memory shared with
 * the parent (mmap MAP_SHARED before the forks): aligned doubles and ints,
 * read whole. */
enum { LIVE_IDLE = 0, LIVE_RUNNING, LIVE_DONE };
typedef struct live_slot {
    volatile double gap;
    volatile int state;
} live_slot;

typedef struct run_ctx {
    const ckp_plan *plan;
    const ckp_sweep_params *p;
    ckp_sweep *s;
    int *jobs;        /* job -> point index */
    int n_jobs;
    int n_done;
    int free_phase;   /* nested, first phase: the unconstrained optima, no
                         files; done() keeps only the objective */
    ckp_sweep_point *free; /* nested: the first phase's records by point
                              index (warm starts and bounds of the
                              chain), or NULL */
    const char **force; /* ids forced in this job (nested), or NULL */
    int n_force;
    int progress_total; /* passed to the progress callback */
    const ckp_baseline *baseline; /* solved once for every point, or NULL */
    live_slot *live;  /* [n_live] by job, shared with the workers; NULL
                         without a progress callback */
    int n_live;
    double last_report;
    double t_origin;  /* CLOCK_MONOTONIC at the start of ckp_sweep_run:
                         the points' t_start and t_end count from it */
    const int *prev;  /* exact frontier's chains: by point index, the
                         point index of the chain's last breakpoint (-1
                         none), or NULL outside the chains */
} run_ctx;
/* The pool's callbacks (ckp_pool): solve one point in the worker, take
 * its record in the parent, the progress tick. */
int sweep_work(void *ctx, int job, void **out, size_t *len);
int sweep_done(void *ctx, int job, int status, const void *data, size_t len);
void sweep_tick(void *ctx);
/* After a pool run: its account of the workers' time into s->timing. */
void sweep_account(run_ctx *c, const ckp_pool_stats *st, int workers);
/* CLOCK_MONOTONIC seconds. */
double sweep_mono_now(void);
/* Before a pool run: every progress slot idle. */
void sweep_live_reset(run_ctx *c);
/* The progress callback (at most every 0.5 s unless forced). */
void sweep_report_progress(run_ctx *c, int force);
/* --resume: take out_dir's finished point when its hashes match. */
void sweep_try_resume(ckp_sweep *s, ckp_sweep_point *pt, const char *out_dir);

/* Warm starts allowed by the settings (docs/sweeps.md §4a). */
int sweep_warm_allowed(const ckp_sweep_params *p);
/* The pool's order callback under warm starts (sweep.c). */
int sweep_warm_order(void *ctx, const unsigned char *started, int n_jobs);

/* The chains (sweep_chain.c). */
ckp_status sweep_run_nested(run_ctx *c, ckp_pool_stats *stats);
ckp_status sweep_run_exact(run_ctx *c, ckp_pool_stats *stats);

#endif
