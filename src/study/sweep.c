/* sweep.c: the run of a budget sweep (include/ckp/sweep.h,
 * docs/sweeps.md): the grid's points of the shard not already finished go
 * to the worker pool; each worker solves its budget with ckp_run_hinted,
 * writes the point's folder whole (a temporary folder renamed into place)
 * and sends the point record back; the parent collects the records in
 * budget order and writes the tables at the end (also after an
 * interruption).  The budgets and the settings hash: sweep_budgets.c; the
 * nested sweep and the exact frontier: sweep_chain.c. */
#include "ckp/sweep.h"

#include <dirent.h>
#include <errno.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ckp/report.h"
#include "ckp/result.h"
#include "study/sweep_run.h"
#include "util/alloc.h"
#include "util/atomic.h"
#include "util/sha256.h"
static double cpu_now(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0) return 0;
    return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 +
           (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec * 1e-6;
}

/* Write point.txt into dir atomically. */
static ckp_status write_record(const char *dir, const char *text, size_t len,
                               ckp_diag_list *diag)
{
    char path[4200];
    snprintf(path, sizeof path, "%s/point.txt", dir);
    ckp_atomic_file af;
    ckp_status st = ckp_atomic_open(&af, path, diag);
    if (st != CKP_OK) return st;
    if (fwrite(text, 1, len, af.f) != len) st = CKP_EIO;
    ckp_status st2 = ckp_atomic_close(&af, diag);
    if (st == CKP_OK) st = st2;
    if (st == CKP_OK) st = ckp_atomic_commit(&af, diag);
    ckp_atomic_discard(&af);
    return st;
}

/* The point's folder: solve's files and point.txt in a temporary folder,
 * renamed to points/b<budget> (a previous one is moved aside first and
 * removed after). */
static ckp_status write_point_dir(const run_ctx *c, const ckp_sweep_point *pt,
                                  const ckp_result *r, const char *rec, size_t len,
                                  ckp_diag_list *diag)
{
    char name[64], tmp[4096], final[4096], old[4096];
    sweep_point_name(pt->budget, name, sizeof name);
    snprintf(tmp, sizeof tmp, "%s/points/.tmp-%s-%ld", c->p->out_dir, name, (long)getpid());
    snprintf(final, sizeof final, "%s/points/%s", c->p->out_dir, name);
    snprintf(old, sizeof old, "%s/points/.old-%s-%ld", c->p->out_dir, name, (long)getpid());
    sweep_rm_tree(tmp);
    ckp_status st = sweep_mkdir(tmp, diag);
    if (st == CKP_OK && r &&
        (r->status == CKP_MIP_OPTIMAL || r->status == CKP_MIP_FEASIBLE)) {
        ckp_report_info info = {c->p->plan_path, c->s->input_hash,
                                c->p->version ? c->p->version : "unknown",
                                c->p->command_line ? c->p->command_line : ""};
        static const ckp_report_file point_file = {
            "point.txt", "txt",
            "the sweep's record of this point (budget, hashes, figures) for resume and "
            "merge (docs/sweeps.md)"};
        st = ckp_report_write_dir_with(r, &info, &point_file, 1, tmp, diag);
    }
    if (st == CKP_OK) st = write_record(tmp, rec, len, diag);
    if (st == CKP_OK) {
        int moved = rename(final, old) == 0;
        if (rename(tmp, final) != 0) {
            ckp_diag_add(diag, CKP_SEV_ERROR, final, 0, "output-error",
                         "cannot rename the point's folder into place: %s",
                         strerror(errno));
            if (moved) rename(old, final);
            st = CKP_EIO;
        } else if (moved) {
            sweep_rm_tree(old);
        }
    }
    if (st != CKP_OK) sweep_rm_tree(tmp);
    return st;
}

/* Remove the temporaries a killed worker may have left in points/
 * (".tmp-*" being written, ".old-*" being replaced). */
static void clean_points(const char *out_dir)
{
    char pts[4096], path[4400];
    snprintf(pts, sizeof pts, "%s/points", out_dir);
    DIR *d = opendir(pts);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strncmp(e->d_name, ".tmp-", 5) == 0 || strncmp(e->d_name, ".old-", 5) == 0) {
            snprintf(path, sizeof path, "%s/%s", pts, e->d_name);
            sweep_rm_tree(path);
        }
    closedir(d);
}

double sweep_mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

void sweep_account(run_ctx *c, const ckp_pool_stats *st, int workers)
{
    ckp_sweep *s = c->s;
    if (workers > s->timing.workers) s->timing.workers = workers;
    s->timing.solves += st->started;
    s->timing.wall += st->wall_seconds;
    s->timing.capacity += workers * st->wall_seconds;
    s->timing.busy += st->busy_seconds;
    s->timing.held += st->held_seconds;
    s->timing.idle += st->idle_seconds;
}

/* Before a pool run of n jobs: every slot idle. */
void sweep_live_reset(run_ctx *c)
{
    for (int j = 0; c->live && j < c->n_live; j++) {
        c->live[j].state = LIVE_IDLE;
        c->live[j].gap = NAN;
    }
}

/* The progress callback with the running points (at most every 0.5 s
 * unless forced). */
void sweep_report_progress(run_ctx *c, int force)
{
    const ckp_sweep_params *p = c->p;
    if (!p->progress) return;
    double now = sweep_mono_now();
    if (!force && now - c->last_report < 0.5) return;
    c->last_report = now;
    ckp_sweep_running run[64];
    ckp_sweep_progress_info info = {c->n_done, c->progress_total, 0, run};
    for (int j = 0; c->live && j < c->n_live && info.n_running < 64; j++) {
        if (c->live[j].state != LIVE_RUNNING || j >= c->n_jobs) continue;
        run[info.n_running].budget = c->s->points[c->jobs[j]].budget;
        run[info.n_running++].gap = c->live[j].gap;
    }
    /* budget order */
    for (int i = 1; i < info.n_running; i++)
        for (int k = i; k > 0 && run[k].budget < run[k - 1].budget; k--) {
            ckp_sweep_running t = run[k];
            run[k] = run[k - 1];
            run[k - 1] = t;
        }
    p->progress(p->progress_ctx, &info);
}

/* The pool's tick (parent). */
void sweep_tick(void *ctx)
{
    sweep_report_progress(ctx, 0);
}

/* The solver's progress in a worker: the gap into the job's slot. */
static void live_progress(void *ctx, double incumbent, double bound, long nodes)
{
    live_slot *slot = ctx;
    (void)nodes;
    double b = bound < incumbent ? bound : incumbent;
    slot->gap = isfinite(incumbent) && isfinite(b)
                    ? fabs(incumbent - b) / (fabs(incumbent) + DBL_EPSILON)
                    : NAN;
}

/* Warm starts (docs/sweeps.md "Warm starts") leave every answer as it
 * is only where the search runs to its proven end: not under a gap, a
 * time or node limit (the point's answer would then depend on where the
 * search starts), nor with the one-solve tie-break. */
int sweep_warm_allowed(const ckp_sweep_params *p)
{
    return !p->no_warm_start && p->model.lexicographic && p->solve.mip_gap == 0 &&
           p->solve.time_limit == 0 && p->solve.node_limit == 0;
}

/* The points a job learns from: the grid's (and the resumed ones), or,
 * in the nested sweep's first phase, that phase's records. */
static const ckp_sweep_point *known_points(const run_ctx *c, int *n)
{
    *n = c->free_phase ? c->p->n_budgets : c->s->n_points;
    return c->free_phase ? c->free : c->s->points;
}

/* What the points finished before this fork tell the job's point
 * (sweep_warm.c); a failure here only means a cold start. */
static void job_hints(const run_ctx *c, int job, const ckp_model_params *mp,
                      sweep_warm *warm)
{
    ckp_diag_list wd;
    ckp_diag_list_init(&wd);
    int i = c->jobs[job], n;
    const ckp_sweep_point *pts = known_points(c, &n);
    ckp_status st;
    if (c->force) /* the nested chain: the point below, this budget's free optimum */
        st = sweep_warm_nested(c->plan, mp, i > 0 ? &c->s->points[i - 1] : NULL,
                               c->free ? &c->free[i] : NULL, c->s->points[i].budget, warm,
                               &wd);
    else if (c->prev) /* the exact frontier's chain: its last breakpoint */
        st = sweep_warm_exact(c->plan, mp, c->prev[i] >= 0 ? &c->s->points[c->prev[i]] : NULL,
                              c->s->points[i].budget, warm, &wd);
    else
        st = sweep_warm_hints(c->plan, mp, pts, n, c->s->points[i].budget, warm, &wd);
    if (st != CKP_OK) {
        sweep_warm_fini(warm);
        ckp_run_hints_init(&warm->hints);
    }
    ckp_diag_list_fini(&wd);
}

/* In the worker (child process): solve one point. */
int sweep_work(void *ctx, int job, void **out, size_t *len)
{
    run_ctx *c = ctx;
    const ckp_sweep_params *p = c->p;
    double t_start = sweep_mono_now() - c->t_origin, cpu0 = cpu_now();
    ckp_sweep_point pt;
    memset(&pt, 0, sizeof pt);
    pt.budget = c->s->points[c->jobs[job]].budget;
    pt.free_objective = c->s->points[c->jobs[job]].free_objective;
    ckp_model_params mp = p->model;
    mp.budget_total = pt.budget;
    if (c->force) {
        mp.force = c->force;
        mp.n_force = c->n_force;
    }
    ckp_solve_params sp = p->solve;
    sp.progress = 0;
    sp.verbose = 0;
    if (c->live && job < c->n_live) {
        c->live[job].gap = NAN;
        c->live[job].state = LIVE_RUNNING;
        sp.on_progress = live_progress;
        sp.on_progress_ctx = (void *)&c->live[job];
    }
    ckp_diag_list diag;
    ckp_diag_list_init(&diag);
    ckp_result *r = NULL;
    sweep_warm warm;
    memset(&warm, 0, sizeof warm);
    ckp_run_hints_init(&warm.hints);
    if (sweep_warm_allowed(p)) job_hints(c, job, &mp, &warm);
    double cpu_hints = cpu_now() - cpu0;
    warm.hints.baseline = c->baseline; /* the same whatever the budget */
    ckp_status st = ckp_run_hinted(c->plan, &mp, &sp, &warm.hints, &r, &diag);
    double free_obj = pt.free_objective;
    if (st == CKP_OK) st = sweep_point_from_result(&pt, c->plan, r, cpu_now());
    pt.t_start = t_start;
    pt.t_end = pt.cpu_files = NAN;
    pt.cpu_hints = cpu_hints;
    pt.cpu_build = st == CKP_OK ? r->cpu_build : NAN;
    pt.cpu_solve = st == CKP_OK ? r->cpu_solve : NAN;
    pt.cpu_baseline = st == CKP_OK ? r->cpu_baseline : NAN;
    pt.cpu_post = st == CKP_OK ? r->cpu_post : NAN;
    for (int k = 0; k < 3; k++)
        pt.cpu_stage[k] = st == CKP_OK && r->lexicographic && r->lex[k].ran
                              ? r->lex[k].cpu_seconds
                              : NAN;
    if (st == CKP_OK && warm.hints.start) {
        pt.warm_started = 1;
        pt.warm_from = warm.from_budget;
    }
    if (st == CKP_OK && isfinite(warm.hints.exposure_bound) && r->lex[0].ran) {
        double kb = warm.hints.exposure_bound;
        pt.warm_bound = r->lex[0].objective <= kb + 1e-9 * fmax(1.0, fabs(kb));
    }
    if (st != CKP_OK) pt.error = 1;
    pt.free_objective = c->free_phase ? NAN : free_obj;
    char *rec = NULL;
    size_t n = 0;
    int rc = 1;
    if (sweep_record_format(&pt, c->plan, c->s->input_hash, c->s->settings_hash, &rec,
                            &n) == CKP_OK) {
        rc = 0;
        if (p->out_dir && !pt.error && !c->free_phase) {
            double cpu1 = cpu_now();
            if (write_point_dir(c, &pt, r, rec, n, &diag) != CKP_OK)
                rc = 2; /* the figures are fine, the folder could not be written */
            pt.cpu_files = cpu_now() - cpu1;
        }
        /* the parent's copy: with the end and the files' time */
        pt.t_end = sweep_mono_now() - c->t_origin;
        char *rec2 = NULL;
        size_t n2 = 0;
        if (sweep_record_format(&pt, c->plan, c->s->input_hash, c->s->settings_hash,
                                &rec2, &n2) == CKP_OK) {
            ckp_free(rec);
            rec = rec2;
            n = n2;
        }
        *out = rec;
        *len = n;
    }
    sweep_point_fini(&pt);
    sweep_warm_fini(&warm);
    ckp_result_free(r);
    ckp_diag_list_fini(&diag);
    return rc;
}

/* In the parent: a worker finished. */
int sweep_done(void *ctx, int job, int status, const void *data, size_t len)
{
    run_ctx *c = ctx;
    ckp_sweep_point *pt = &c->s->points[c->jobs[job]];
    double budget = pt->budget;
    char ih[65], sh[65];
    ckp_sweep_point rec;
    int ok = status != CKP_POOL_CRASHED && data &&
             sweep_record_parse(data, len, c->s->plan, &rec, ih, sh) == CKP_OK;
    if (c->free_phase) {
        /* the unconstrained optimum (NAN when it failed); its record
           warm-starts and bounds the chain */
        pt->free_objective = ok && !rec.error && (rec.status == CKP_MIP_OPTIMAL ||
                                                  rec.status == CKP_MIP_FEASIBLE)
                                 ? rec.objective
                                 : NAN;
        ckp_sweep_point *fr = &c->free[c->jobs[job]];
        sweep_point_fini(fr);
        if (ok) *fr = rec;
        else memset(fr, 0, sizeof *fr), fr->error = 1;
        fr->budget = budget;
        fr->solved = 1;
    } else {
        sweep_point_fini(pt);
        if (ok) {
            *pt = rec;
        } else {
            memset(pt, 0, sizeof *pt);
            pt->error = 1;
            pt->free_objective = NAN;
            sweep_point_no_time(pt);
        }
        pt->budget = budget;
        pt->solved = 1;
        if (status == 2) pt->error = 1; /* its folder is missing */
    }
    c->n_done++;
    if (c->live) c->live[job].state = LIVE_DONE;
    sweep_report_progress(c, 1);
    return 0;
}

/* --resume: take the finished point of out_dir when its hashes match. */
void sweep_try_resume(ckp_sweep *s, ckp_sweep_point *pt, const char *out_dir)
{
    char name[64], path[4096];
    sweep_point_name(pt->budget, name, sizeof name);
    snprintf(path, sizeof path, "%s/points/%s/point.txt", out_dir, name);
    size_t len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return;
    char *text = ckp_malloc(1 << 20);
    if (text) len = fread(text, 1, (1 << 20) - 1, f);
    fclose(f);
    if (!text) return;
    ckp_sweep_point rec;
    char ih[65], sh[65];
    if (sweep_record_parse(text, len, s->plan, &rec, ih, sh) == CKP_OK &&
        strcmp(ih, s->input_hash) == 0 && strcmp(sh, s->settings_hash) == 0 &&
        rec.budget == pt->budget && !rec.error) {
        *pt = rec;
        pt->resumed = 1;
        s->n_resumed++;
    } else if (rec.solved) {
        sweep_point_fini(&rec);
    }
    ckp_free(text);
}

void ckp_sweep_free(ckp_sweep *s)
{
    if (!s) return;
    for (int i = 0; i < s->n_points; i++) sweep_point_fini(&s->points[i]);
    ckp_free(s->points);
    ckp_free(s);
}

/* The order of the grid's points (and of the nested sweep's first
 * phase) under warm starts (docs/sweeps.md
 * "Warm starts"; the pool's order callback): jobs are the points to solve
 * in budget order, and a point learns from the points finished before it
 * starts (its start from the one below, its bound from the one above).
 *   1. the largest budget first: its optimum bounds every other point's;
 *   2. the lowest point whose lower neighbour (the job below) is done, or
 *      the lowest job: the chain upwards, each from the one below;
 *   3. the highest point whose upper neighbour is done: a second chain,
 *      downwards from the top, each stopped by the bound of the one above
 *      (where the frontier is flat) and started from the best portfolio
 *      found so far that fits; the two chains meet where they meet;
 *   4. with more workers than chains, a new chain from the middle of the
 *      longest run of points not started;
 *   and, before 2-4, when the points not started are no more than the
 *   workers (all will run side by side), the highest first: below the
 *   flat part a point costs more the larger its budget, and the dearest
 *   started last would run alone at the end.
 * With one worker: the largest budget, then upwards.  The answers do not
 * depend on the order (docs/sweeps.md §4), only the time. */
int sweep_warm_order(void *ctx, const unsigned char *started, int n)
{
    const run_ctx *c = ctx;
    int n_pts;
    const ckp_sweep_point *pts = known_points(c, &n_pts);
    (void)n_pts;
    if (!started[n - 1]) return n - 1;
    /* the last points, no more than the workers: the highest first */
    int left = 0, top = -1;
    for (int j = 0; j < n; j++)
        if (!started[j]) left++, top = j;
    if (left > 1 && left <= c->p->workers) return top;
    for (int j = 0; j < n; j++)
        if (!started[j] && (j == 0 || (started[j - 1] && pts[c->jobs[j - 1]].solved)))
            return j;
    for (int j = n - 2; j >= 0; j--)
        if (!started[j] && started[j + 1] && pts[c->jobs[j + 1]].solved) return j;
    int best = -1, best_len = 0;
    for (int j = 0; j < n;) {
        if (started[j]) {
            j++;
            continue;
        }
        int k = j;
        while (k < n && !started[k]) k++;
        if (k - j > best_len) {
            best_len = k - j;
            best = j + (k - j) / 2;
        }
        j = k;
    }
    return best;
}

/* The grid: every point of the shard not resumed, over the pool. */
static ckp_status run_grid(run_ctx *c, ckp_pool_stats *stats)
{
    const ckp_sweep_params *p = c->p;
    ckp_sweep *s = c->s;
    int n_jobs = 0;
    for (int i = 0; i < p->n_budgets; i++) {
        if (p->shard_n && i % p->shard_n != p->shard_k - 1) continue;
        if (p->resume && p->out_dir) {
            sweep_try_resume(s, &s->points[i], p->out_dir);
            if (s->points[i].resumed) continue;
        }
        c->jobs[n_jobs++] = i;
    }
    c->n_jobs = c->progress_total = n_jobs;
    sweep_live_reset(c);
    sweep_report_progress(c, 1);
    ckp_pool pool = {p->workers, sweep_work, sweep_done, c, p->stop, sweep_tick,
                     sweep_warm_allowed(p) ? sweep_warm_order : NULL};
    ckp_status st = ckp_pool_run(&pool, n_jobs, stats);
    sweep_account(c, stats, p->workers < n_jobs ? p->workers : n_jobs);
    return st;
}

static ckp_status write_manifest_of(ckp_sweep *s, const char *dir, ckp_diag_list *diag)
{
    double *b = ckp_malloc(((size_t)s->n_points + 1) * sizeof *b);
    if (!b) return CKP_ENOMEM;
    for (int i = 0; i < s->n_points; i++) b[i] = s->points[i].budget;
    ckp_status st = sweep_manifest_write(dir, s, b, s->n_points, diag);
    ckp_free(b);
    return st;
}

ckp_status ckp_sweep_run(const ckp_plan *plan, const ckp_sweep_params *p,
                         ckp_sweep **out, ckp_diag_list *diag)
{
    *out = NULL;
    double t_origin = sweep_mono_now();
    ckp_sweep *s = ckp_calloc(1, sizeof *s);
    if (!s) return CKP_ENOMEM;
    s->plan = plan;
    s->n_points = p->n_budgets;
    s->shard_k = p->shard_n ? p->shard_k : 1;
    s->shard_n = p->shard_n ? p->shard_n : 1;
    s->points = ckp_calloc((size_t)p->n_budgets + 1, sizeof *s->points);
    int *jobs = ckp_malloc(((size_t)p->n_budgets + 1) * sizeof *jobs);
    ckp_status st = CKP_OK;
    if (!s->points || !jobs) {
        st = CKP_ENOMEM;
        goto fail;
    }
    if (ckp_sha256_file(p->plan_path, s->input_hash) != CKP_OK) {
        ckp_diag_add(diag, CKP_SEV_ERROR, p->plan_path, 0, "load",
                     "cannot read the file to hash it");
        st = CKP_EIO;
        goto fail;
    }
    ckp_sweep_settings_hash(plan, &p->model, &p->solve, s->settings_hash);
    if (p->nested || p->exact) {
        /* the mode changes the answers: part of the settings */
        char mode[128];
        snprintf(mode, sizeof mode, "%s%s%s", s->settings_hash, p->nested ? " nested" : "",
                 p->exact ? " exact" : "");
        ckp_sha256_hex(mode, strlen(mode), s->settings_hash);
    }
    s->nested = p->nested;
    s->exact = p->exact;
    for (int i = 0; i < p->n_budgets; i++) {
        s->points[i].budget = p->budgets[i];
        s->points[i].free_objective = NAN;
        sweep_point_no_time(&s->points[i]);
    }

    if (p->out_dir) {
        char pts[4096];
        snprintf(pts, sizeof pts, "%s/points", p->out_dir);
        st = sweep_mkdir(p->out_dir, diag);
        if (st == CKP_OK) st = sweep_mkdir(pts, diag);
        if (st != CKP_OK) goto fail;
        clean_points(p->out_dir);
        if (p->resume) {
            sweep_manifest m;
            ckp_diag_list quiet;
            ckp_diag_list_init(&quiet);
            if (sweep_manifest_read(p->out_dir, &m, &quiet) == CKP_OK) {
                const char *what = strcmp(m.input_hash, s->input_hash) != 0
                                       ? "another plan (input hash)"
                                   : strcmp(m.settings_hash, s->settings_hash) != 0
                                       ? "other settings (settings hash)"
                                       : NULL;
                sweep_manifest_fini(&m);
                if (what) {
                    ckp_diag_list_fini(&quiet);
                    ckp_diag_add(diag, CKP_SEV_ERROR, p->out_dir, 0, "sweep-mismatch",
                                 "resume: this folder holds a sweep of %s; resume "
                                 "it with the same plan and settings, or choose "
                                 "another output folder", what);
                    st = CKP_EUSAGE;
                    goto fail;
                }
            }
            ckp_diag_list_fini(&quiet);
        }
        if (!p->exact) st = sweep_manifest_write(p->out_dir, s, p->budgets, p->n_budgets, diag);
        if (st != CKP_OK) goto fail;
    }

    /* The baseline does not depend on the budget, nor on force/exclude
       (the nested chain's): solved once here, every worker takes its
       figures (a failure only means each point solves its own). */
    ckp_baseline *baseline = NULL;
    {
        ckp_diag_list bd;
        ckp_diag_list_init(&bd);
        ckp_solve_params bsp = p->solve;
        bsp.progress = 0;
        bsp.verbose = 0;
        if (ckp_baseline_solve(plan, &p->model, &bsp, &baseline, &bd) != CKP_OK)
            baseline = NULL;
        ckp_diag_list_fini(&bd);
    }
    run_ctx c = {plan, p, s, jobs, 0, 0, 0, NULL, NULL, 0, 0, baseline, NULL, 0, 0, t_origin,
                 NULL};
    if (p->progress) { /* the workers' gaps, shared with them */
        size_t n_live = (size_t)(p->n_budgets > 0 ? p->n_budgets : 1);
        void *m = mmap(NULL, n_live * sizeof *c.live, PROT_READ | PROT_WRITE,
                       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (m != MAP_FAILED) {
            c.live = m;
            c.n_live = (int)n_live;
        }
    }
    ckp_pool_stats stats;
    s->timing.setup = sweep_mono_now() - t_origin;
    if (p->exact) st = sweep_run_exact(&c, &stats);
    else if (p->nested) st = sweep_run_nested(&c, &stats);
    else st = run_grid(&c, &stats);
    ckp_baseline_free(baseline);
    if (c.live) munmap(c.live, (size_t)c.n_live * sizeof *c.live);
    if (st != CKP_OK) {
        ckp_diag_add(diag, CKP_SEV_ERROR, NULL, 0, "sweep-workers",
                     "cannot run the worker processes: %s", ckp_status_str(st));
        goto fail;
    }
    s->interrupted = stats.interrupted;
    if (s->interrupted && p->out_dir && !p->exact) {
        /* a worker stopped after its folder was in place but before its
           record reached us: the folder is whole, take the point from it */
        for (int i = 0; i < s->n_points; i++) {
            ckp_sweep_point *pt = &s->points[i];
            if (pt->solved) continue;
            sweep_try_resume(s, pt, p->out_dir);
            if (pt->resumed) {
                pt->resumed = 0;
                s->n_resumed--;
            }
        }
    }
    double t_tables = sweep_mono_now();
    if (p->out_dir) {
        clean_points(p->out_dir);
        if (p->exact) st = write_manifest_of(s, p->out_dir, diag);
        if (st == CKP_OK) st = sweep_write_tables(s, p->out_dir, diag);
        if (st != CKP_OK) goto fail;
    }
    s->timing.tables = sweep_mono_now() - t_tables;
    s->timing.total = sweep_mono_now() - t_origin;
    ckp_free(jobs);
    *out = s;
    return CKP_OK;
fail:
    ckp_free(jobs);
    ckp_sweep_free(s);
    return st;
}
