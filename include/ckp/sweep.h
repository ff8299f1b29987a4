/* sweep.h: the study layer's budget sweeps (docs/sweeps.md), run on the
 * worker pool of ckp/pool.h.  A sweep solves one plan at a list of total
 * budgets (every other setting fixed), each point in its own worker
 * process, and
 * derives the frontier (exposure against budget), what binds at each
 * point and which projects are funded at which budgets.  Library code:
 * nothing here prints; tables are written to streams the caller gives. */
#ifndef CKP_SWEEP_H
#define CKP_SWEEP_H

#include <signal.h>
#include <stddef.h>
#include <stdio.h>

#include "ckp/diag.h"
#include "ckp/export.h"
#include "ckp/model.h"
#include "ckp/plan.h"
#include "ckp/pool.h"
#include "ckp/solve.h"
#include "ckp/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Budget sweeps (src/study/sweep*.c), docs/sweeps.md. */

/* The budgets of "A:B:STEP" (A, A+STEP, ... up to B, B included when it
 * falls on the grid within 1e-9 x STEP) or "A,B,C" (as given, sorted,
 * duplicates refused).  Refused (CKP_EUSAGE with a message in msg): a
 * reversed range, STEP <= 0, a budget < 0 or not a number, more than
 * CKP_SWEEP_MAX_POINTS points.  *out is ckp_malloc'd. */
#define CKP_SWEEP_MAX_POINTS 10000
CKP_API ckp_status ckp_sweep_parse_budgets(const char *text, double **out, int *n,
                                   char *msg, int msg_size);

/* A funded item at one point: plan project (or upgrade) index, option
 * index (-1 for upgrades), start year. */
typedef struct ckp_sweep_pick {
    int project;   /* plan project index, or -1 for an upgrade */
    int upgrade;   /* plan upgrade index, or -1 */
    int option;
    int start;
} ckp_sweep_pick;

/* What binds at a point (docs/sweeps.md, "What binds"). */
typedef enum ckp_sweep_bind {
    CKP_BIND_NONE = 0,   /* nothing left worth funding: an unfunded start
                            would fit the total and every year's limit */
    CKP_BIND_TOTAL,      /* no unfunded start fits what is left of the total */
    CKP_BIND_YEAR        /* some fit the total, but each of them breaks a
                            per-year limit (bind_year: the first such year) */
} ckp_sweep_bind;

typedef struct ckp_sweep_point {
    double budget;
    int solved;             /* 1 once the point has a record */
    int resumed;            /* 1 when the record came from --resume */
    int error;              /* 1 when the worker failed (no figures) */
    ckp_mip_status status;
    double gap;
    double objective;       /* NAN without a portfolio */
    double baseline;        /* baseline objective */
    double commitment;      /* bank money committed, millions */
    double private_capital;
    ckp_sweep_bind bind;
    int bind_year;          /* CKP_BIND_YEAR: calendar year, else 0 */
    long nodes;
    double cpu_seconds;     /* CPU time of the worker (timing column) */
    double free_objective;  /* nested sweeps: the optimum at this budget
                               without the nesting constraint (its cost is
                               objective - free_objective); NAN otherwise */
    double *stage_final;    /* [n_stages] chokepoint share per stage in the
                               final year, portfolio (NAN without one) */
    ckp_sweep_pick *picks;  /* projects in plan order, then upgrades */
    int n_picks;
    double stage1_objective; /* the proven optimum of the exposure key
                                (stage 1 of the lexicographic solve), a
                                lower bound for smaller budgets' warm
                                starts; NAN when not proven */
    int warm_started;       /* 1 when it started from the portfolio of
                               the point at budget warm_from */
    double warm_from;
    int warm_bound;         /* 1 when its exposure reached the bound of a
                               larger budget (the search ended there) */
    /* Where the point's time went (timing figures, like cpu_seconds; NAN
       when unknown: resumed or merged points, records of older runs).
       t_start, t_end: wall seconds (CLOCK_MONOTONIC) from the start of
       the run (ckp_sweep.timing) to the worker's start and end.  CPU
       seconds of the worker by step: cpu_hints (the warm start: the
       model built at this budget to check the candidates), cpu_build
       (ckp_run's model build and greedy), cpu_solve (the lexicographic
       stages), cpu_baseline (0 when the sweep's baseline is taken),
       cpu_post (post-solve LPs and the result), cpu_files (the point's
       folder: solve's files and point.txt).  cpu_seconds counts all but
       cpu_files; cpu_stage[k]: of cpu_solve, the lexicographic stage k+1
       (the exposure, the least commitment, the order pass). */
    double t_start, t_end;
    double cpu_hints, cpu_build, cpu_solve, cpu_baseline, cpu_post, cpu_files;
    double cpu_stage[3];
} ckp_sweep_point;

/* Progress (parent process), after each finished point and about every
 * half second while points run. */
typedef struct ckp_sweep_running {
    double budget;
    double gap;      /* relative gap of the stage being solved (the
                        exposure, then the commitment: docs/formulation.md
                        7f); NAN before its first incumbent */
} ckp_sweep_running;
typedef struct ckp_sweep_progress_info {
    int done, total;  /* points finished and to solve in this run (total
                         0: not known in advance, the exact frontier) */
    int n_running;
    const ckp_sweep_running *running; /* the points being solved, valid
                                         during the call */
} ckp_sweep_progress_info;
typedef void (*ckp_sweep_progress)(void *ctx, const ckp_sweep_progress_info *info);

typedef struct ckp_sweep_params {
    const char *plan_path;      /* hashed (input hash) and named in records */
    ckp_model_params model;     /* budget_total is set per point */
    ckp_solve_params solve;     /* progress and verbose are forced off */
    const double *budgets;      /* sorted, distinct */
    int n_budgets;
    const char *out_dir;        /* NULL = figures only, no files */
    int workers;                /* >= 1 */
    int shard_k, shard_n;       /* 1 <= k <= n: this run solves the points
                                   i with i % n == k - 1; n = 0: all */
    int resume;                 /* 1 = keep finished points of out_dir
                                   whose hashes match */
    int nested;                 /* 1 = portfolios grow with the budget: each
                                   point must fund every project the point
                                   below funds (docs/sweeps.md "Nested");
                                   points are solved in budget order after
                                   the unconstrained ones (their optima give
                                   the cost of nesting); no shards */
    int exact;                  /* 1 = the exact frontier between the least
                                   and the largest budget: solve at the
                                   largest, then just below each point's
                                   commitment, down to the least (every
                                   breakpoint of exposure against
                                   commitment, docs/sweeps.md "Exact
                                   frontier"); one point at a time, no
                                   shards, no resume */
    int no_warm_start;          /* 1 = every point starts cold; 0 (default)
                                   = from the points already solved
                                   (docs/sweeps.md "Warm starts"): the
                                   same answers, sooner */
    const char *command_line;   /* provenance in each point's summary.json */
    const char *version;        /* tool version for the same */
    const volatile sig_atomic_t *stop; /* may be NULL */
    ckp_sweep_progress progress;/* may be NULL */
    void *progress_ctx;
} ckp_sweep_params;

CKP_API void ckp_sweep_params_init(ckp_sweep_params *p);

typedef struct ckp_sweep {
    const ckp_plan *plan;       /* borrowed */
    char input_hash[65];        /* SHA-256 of the plan file */
    char settings_hash[65];     /* SHA-256 of the canonical settings */
    int n_points;
    ckp_sweep_point *points;    /* [n_points], budget order */
    int shard_k, shard_n;
    int n_resumed;
    int interrupted;            /* 1 when stopped before every point ran */
    int nested, exact;          /* the modes it ran in */
    /* Where the run's wall time went (seconds, CLOCK_MONOTONIC; timing
       figures, never compared): total = the whole ckp_sweep_run; setup =
       before the first worker started (the plan file's hash, the
       manifest, the baseline solved once); tables = writing the tables
       at the end; pool: the worker pools' own account, summed over the
       pool runs (the nested sweep and the exact frontier run several):
       workers = the most workers a run used, solves = the points they
       started (the exact frontier also counts the solves whose portfolio
       came back again and were dropped), wall, and the worker-seconds
       busy, held back by the warm-start order, and idle with nothing left
       to start (ckp_pool_stats); capacity = the worker-seconds the runs
       had (each run's workers x its wall) = busy + held + idle. */
    struct {
        double total, setup, tables;
        int workers, solves;
        double wall, capacity, busy, held, idle;
    } timing;
} ckp_sweep;

/* Run the sweep: every point of the shard not already finished (resume)
 * over the worker pool; with out_dir, each point's folder
 * (points/b<budget>/: solve's files and point.txt) is renamed into place
 * whole when its worker finishes, and sweep.csv, frontier.csv,
 * no-regret.csv and sweep.txt (the manifest) are written atomically at
 * the end, also after an interruption (with the points finished).
 * Errors (CKP_EIO for files, CKP_EUSAGE when out_dir holds another
 * plan's or settings' sweep and resume is asked) come with diagnostics. */
CKP_API ckp_status ckp_sweep_run(const ckp_plan *plan, const ckp_sweep_params *p,
                         ckp_sweep **out, ckp_diag_list *diag);
CKP_API void ckp_sweep_free(ckp_sweep *s); /* accepts NULL */

/* Join sweep folders (shards of one sweep) into out_dir, exactly as the
 * unsharded sweep writes it.  Refuses (CKP_EUSAGE, a diagnostic naming
 * the folder and what differs), before writing anything, folders of
 * another plan (input hash, checked against plan_path's too),
 * other settings or other budgets, and a set missing points. */
CKP_API ckp_status ckp_sweep_merge(const ckp_plan *plan, const char *plan_path,
                           const char *const *dirs, int n_dirs, const char *out_dir,
                           ckp_sweep **out, ckp_diag_list *diag);

/* The stdout report: frontier table, marginal value of each further 100
 * (plan currency millions), no-regret list. */
CKP_API ckp_status ckp_sweep_report_text(const ckp_sweep *s, FILE *out);

/* Canonical settings hash of a sweep (every model and solve setting that
 * can change a point's answer, budget excluded), hex[65]. */
CKP_API void ckp_sweep_settings_hash(const ckp_plan *plan, const ckp_model_params *mp,
                             const ckp_solve_params *sp, char hex[65]);

#ifdef __cplusplus
}
#endif

#endif
