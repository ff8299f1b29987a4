/* sweep.c: a budget sweep (include/ckp/sweep.h, docs/sweeps.md): the
 * budgets of the command line, the settings hash, and the run itself:
 * points of the shard not already finished go to the worker pool; each
 * worker solves its budget with ckp_run, writes the point's folder whole
 * (a temporary folder renamed into place) and sends the point record
 * back; the parent collects the records in budget order and writes the
 * tables at the end (also after an interruption). */
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
#include "study/sweep_int.h"
#include "util/alloc.h"
#include "util/atomic.h"
#include "util/sha256.h"

void ckp_sweep_params_init(ckp_sweep_params *p)
{
    memset(p, 0, sizeof *p);
    ckp_model_params_init(&p->model);
    ckp_solve_params_init(&p->solve);
    p->workers = 1;
}

/* ------------------------------------------------------------------ */
/* Budgets */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int parse_num(const char *s, const char *end, double *v)
{
    char buf[64];
    size_t n = (size_t)(end - s);
    if (n == 0 || n >= sizeof buf) return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    char *e = NULL;
    errno = 0;
    *v = strtod(buf, &e);
    return e == buf || *e || errno == ERANGE || !isfinite(*v) ? -1 : 0;
}

ckp_status ckp_sweep_parse_budgets(const char *text, double **out, int *n, char *msg,
                                   int msg_size)
{
    *out = NULL;
    *n = 0;
    const char *c1 = strchr(text, ':');
    double *b = NULL;
    int count = 0;
    if (c1) {
        const char *c2 = strchr(c1 + 1, ':');
        double a, z, step;
        if (!c2 || strchr(c2 + 1, ':') || parse_num(text, c1, &a) ||
            parse_num(c1 + 1, c2, &z) || parse_num(c2 + 1, c2 + 1 + strlen(c2 + 1), &step)) {
            snprintf(msg, (size_t)msg_size, "'%s' is not A:B:STEP (three numbers)", text);
            return CKP_EUSAGE;
        }
        if (a < 0) {
            snprintf(msg, (size_t)msg_size, "budget %g is below zero", a);
            return CKP_EUSAGE;
        }
        if (z < a) {
            snprintf(msg, (size_t)msg_size, "reversed range %g:%g: the end is below the "
                     "start", a, z);
            return CKP_EUSAGE;
        }
        if (!(step > 0)) {
            snprintf(msg, (size_t)msg_size, "step %g must be > 0", step);
            return CKP_EUSAGE;
        }
        double pts = floor((z - a) / step + 1e-9) + 1;
        if (pts > CKP_SWEEP_MAX_POINTS) {
            snprintf(msg, (size_t)msg_size, "%s gives %.0f points, more than the %d "
                     "allowed", text, pts, CKP_SWEEP_MAX_POINTS);
            return CKP_EUSAGE;
        }
        count = (int)pts;
        b = ckp_malloc((size_t)count * sizeof *b);
        if (!b) return CKP_ENOMEM;
        for (int i = 0; i < count; i++) {
            b[i] = a + step * i;
            /* the grid's decimal value (0.1 steps do not add up exactly) */
            b[i] = round(b[i] * 1e9) / 1e9;
        }
    } else {
        int commas = 0;
        for (const char *p = text; *p; p++) commas += *p == ',';
        if (commas + 1 > CKP_SWEEP_MAX_POINTS) {
            snprintf(msg, (size_t)msg_size, "%d budgets, more than the %d allowed",
                     commas + 1, CKP_SWEEP_MAX_POINTS);
            return CKP_EUSAGE;
        }
        b = ckp_malloc(((size_t)commas + 1) * sizeof *b);
        if (!b) return CKP_ENOMEM;
        const char *s = text;
        for (;;) {
            const char *e = strchr(s, ',');
            if (!e) e = s + strlen(s);
            if (parse_num(s, e, &b[count])) {
                snprintf(msg, (size_t)msg_size, "'%.*s' in '%s' is not a number",
                         (int)(e - s), s, text);
                ckp_free(b);
                return CKP_EUSAGE;
            }
            if (b[count] < 0) {
                snprintf(msg, (size_t)msg_size, "budget %g is below zero", b[count]);
                ckp_free(b);
                return CKP_EUSAGE;
            }
            count++;
            if (!*e) break;
            s = e + 1;
        }
        qsort(b, (size_t)count, sizeof *b, cmp_double);
        for (int i = 1; i < count; i++)
            if (b[i] == b[i - 1]) {
                snprintf(msg, (size_t)msg_size, "budget %g is given twice", b[i]);
                ckp_free(b);
                return CKP_EUSAGE;
            }
    }
    *out = b;
    *n = count;
    return CKP_OK;
}

/* ------------------------------------------------------------------ */
/* Settings hash: every model setting as text (budget excluded), then the
 * solve parameters' bytes (set by ckp_solve_params_init, which zeroes the
 * struct, so padding is zero) with the display-only fields cleared. */

void ckp_sweep_settings_hash(const ckp_plan *plan, const ckp_model_params *mp,
                             const ckp_solve_params *sp, char hex[65])
{
    (void)plan;
    ckp_sha256 h;
    ckp_sha256_init(&h);
    char buf[512];
    int n = snprintf(buf, sizeof buf,
                     "obj %d np %d pen %.17g tb %.17g ms %.17g mc %d t %.17g tbase %.17g "
                     "meas %d nos %d scale %d\n",
                     mp->objective, mp->no_projects, mp->shortage_penalty, mp->tie_break,
                     mp->max_share, mp->min_cost, mp->target, mp->target_base,
                     mp->measure, mp->no_scenarios, mp->scale_year_limits);
    ckp_sha256_update(&h, buf, (size_t)n);
    for (int i = 0; i < mp->n_force; i++) {
        ckp_sha256_update(&h, "force ", 6);
        ckp_sha256_update(&h, mp->force[i], strlen(mp->force[i]) + 1);
    }
    for (int i = 0; i < mp->n_exclude; i++) {
        ckp_sha256_update(&h, "exclude ", 8);
        ckp_sha256_update(&h, mp->exclude[i], strlen(mp->exclude[i]) + 1);
    }
    if (mp->scenario) {
        ckp_sha256_update(&h, "scenario ", 9);
        ckp_sha256_update(&h, mp->scenario, strlen(mp->scenario) + 1);
    }
    for (int i = 0; i < mp->n_year_limits; i++) {
        n = snprintf(buf, sizeof buf, "yl %d %.17g\n", mp->year_limits[i].year,
                     mp->year_limits[i].value);
        ckp_sha256_update(&h, buf, (size_t)n);
    }
    ckp_solve_params s = *sp;
    s.verbose = 0;
    s.progress = 0;
    s.known_bound_set = 0; /* hints of a run, not settings */
    s.known_bound = 0;
    s.on_progress = NULL;
    s.on_progress_ctx = NULL;
    ckp_sha256_update(&h, &s, sizeof s);
    unsigned char d[32];
    ckp_sha256_final(&h, d);
    for (int i = 0; i < 32; i++) snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

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
    const char **force; /* ids forced in this job (nested), or NULL */
    int n_force;
    int progress_total; /* passed to the progress callback */
    const ckp_baseline *baseline; /* solved once for every point, or NULL */
    live_slot *live;  /* [n_live] by job, shared with the workers; NULL
                         without a progress callback */
    int n_live;
    double last_report;
} run_ctx;

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

static double mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Before a pool run of n jobs: every slot idle. */
static void live_reset(run_ctx *c, int n)
{
    (void)n;
    for (int j = 0; c->live && j < c->n_live; j++) {
        c->live[j].state = LIVE_IDLE;
        c->live[j].gap = NAN;
    }
}

/* The progress callback with the running points (at most every 0.5 s
 * unless forced). */
static void report_progress(run_ctx *c, int force)
{
    const ckp_sweep_params *p = c->p;
    if (!p->progress) return;
    double now = mono_now();
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
static void tick(void *ctx)
{
    report_progress(ctx, 0);
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
 * search starts), nor with the one-solve tie-break, nor in the nested
 * sweep's chain or the exact frontier (their points differ in more than
 * the budget). */
static int warm_ok(const run_ctx *c)
{
    const ckp_sweep_params *p = c->p;
    return !p->no_warm_start && !p->exact && !c->force && !c->free_phase &&
           p->model.lexicographic && p->solve.mip_gap == 0 && p->solve.time_limit == 0 &&
           p->solve.node_limit == 0;
}

/* In the worker (child process): solve one point. */
static int work(void *ctx, int job, void **out, size_t *len)
{
    run_ctx *c = ctx;
    const ckp_sweep_params *p = c->p;
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
    if (warm_ok(c)) {
        /* what the points solved before this fork tell this one; a
           failure here only means a cold start */
        ckp_diag_list wd;
        ckp_diag_list_init(&wd);
        if (sweep_warm_hints(c->plan, &mp, c->s->points, c->s->n_points, pt.budget, &warm,
                             &wd) != CKP_OK)
            ckp_run_hints_init(&warm.hints);
        ckp_diag_list_fini(&wd);
    }
    warm.hints.baseline = c->baseline; /* the same whatever the budget */
    ckp_status st = ckp_run_hinted(c->plan, &mp, &sp, &warm.hints, &r, &diag);
    double free_obj = pt.free_objective;
    if (st == CKP_OK) st = sweep_point_from_result(&pt, c->plan, r, cpu_now());
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
        if (p->out_dir && !pt.error && !c->free_phase &&
            write_point_dir(c, &pt, r, rec, n, &diag) != CKP_OK)
            rc = 2; /* the figures are fine, the folder could not be written */
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
static int done(void *ctx, int job, int status, const void *data, size_t len)
{
    run_ctx *c = ctx;
    ckp_sweep_point *pt = &c->s->points[c->jobs[job]];
    double budget = pt->budget;
    char ih[65], sh[65];
    ckp_sweep_point rec;
    int ok = status != CKP_POOL_CRASHED && data &&
             sweep_record_parse(data, len, c->s->plan, &rec, ih, sh) == CKP_OK;
    if (c->free_phase) {
        /* keep only the unconstrained optimum (NAN when it failed) */
        pt->free_objective = ok && !rec.error && (rec.status == CKP_MIP_OPTIMAL ||
                                                  rec.status == CKP_MIP_FEASIBLE)
                                 ? rec.objective
                                 : NAN;
        if (ok) sweep_point_fini(&rec);
    } else {
        sweep_point_fini(pt);
        if (ok) {
            *pt = rec;
        } else {
            memset(pt, 0, sizeof *pt);
            pt->error = 1;
            pt->free_objective = NAN;
        }
        pt->budget = budget;
        pt->solved = 1;
        if (status == 2) pt->error = 1; /* its folder is missing */
    }
    c->n_done++;
    if (c->live) c->live[job].state = LIVE_DONE;
    report_progress(c, 1);
    return 0;
}

/* --resume: take the finished point of out_dir when its hashes match. */
static void try_resume(ckp_sweep *s, ckp_sweep_point *pt, const char *out_dir)
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

/* The grid: every point of the shard not resumed, over the pool. */
static ckp_status run_grid(run_ctx *c, ckp_pool_stats *stats)
{
    const ckp_sweep_params *p = c->p;
    ckp_sweep *s = c->s;
    int n_jobs = 0;
    for (int i = 0; i < p->n_budgets; i++) {
        if (p->shard_n && i % p->shard_n != p->shard_k - 1) continue;
        if (p->resume && p->out_dir) {
            try_resume(s, &s->points[i], p->out_dir);
            if (s->points[i].resumed) continue;
        }
        c->jobs[n_jobs++] = i;
    }
    if (warm_ok(c) && n_jobs > 2) {
        /* the largest budget first (its optimum bounds every other
           point's), then upwards (each starts from the one below) */
        int last = c->jobs[n_jobs - 1];
        memmove(c->jobs + 1, c->jobs, (size_t)(n_jobs - 1) * sizeof *c->jobs);
        c->jobs[0] = last;
    }
    c->n_jobs = c->progress_total = n_jobs;
    live_reset(c, n_jobs);
    report_progress(c, 1);
    ckp_pool pool = {p->workers, work, done, c, p->stop, tick};
    return ckp_pool_run(&pool, n_jobs, stats);
}

static int has_portfolio(const ckp_sweep_point *pt)
{
    return pt->solved && !pt->error &&
           (pt->status == CKP_MIP_OPTIMAL || pt->status == CKP_MIP_FEASIBLE);
}

/* Nested (docs/sweeps.md "Nested"): first the unconstrained optima of the
 * points to solve, in parallel; then, in budget order, each point with
 * every project of the point below forced.  --resume keeps the finished
 * points from the lowest budget up to the first one missing. */
static ckp_status run_nested(run_ctx *c, ckp_pool_stats *stats)
{
    const ckp_sweep_params *p = c->p;
    ckp_sweep *s = c->s;
    const ckp_plan *plan = c->plan;
    int first = 0;
    if (p->resume && p->out_dir) {
        while (first < p->n_budgets) {
            try_resume(s, &s->points[first], p->out_dir);
            if (!s->points[first].resumed) break;
            first++;
        }
    }
    int n_jobs = 0;
    for (int i = first; i < p->n_budgets; i++) c->jobs[n_jobs++] = i;
    c->n_jobs = n_jobs;
    c->progress_total = 2 * n_jobs;
    live_reset(c, n_jobs);
    report_progress(c, 1);
    c->free_phase = 1;
    ckp_pool pool = {p->workers, work, done, c, p->stop, tick};
    ckp_status st = ckp_pool_run(&pool, n_jobs, stats);
    c->free_phase = 0;
    if (st != CKP_OK || stats->interrupted) return st;
    const char **force = ckp_malloc(((size_t)p->model.n_force + (size_t)plan->n_projects + 1) *
                                    sizeof *force);
    int *all = c->jobs;
    if (!force) return CKP_ENOMEM;
    for (int i = first; i < p->n_budgets; i++) {
        int n = 0;
        for (int k = 0; k < p->model.n_force; k++) force[n++] = p->model.force[k];
        const ckp_sweep_point *below = i > 0 ? &s->points[i - 1] : NULL;
        for (int k = 0; below && has_portfolio(below) && k < below->n_picks; k++) {
            int pr = below->picks[k].project;
            if (pr < 0) continue;
            int dup = 0;
            for (int j = 0; j < n; j++) dup |= strcmp(force[j], plan->projects[pr].id) == 0;
            if (!dup) force[n++] = plan->projects[pr].id;
        }
        c->force = force;
        c->n_force = n;
        c->jobs = &all[i - first];
        pool.workers = 1;
        ckp_pool_stats one;
        st = ckp_pool_run(&pool, 1, &one);
        c->jobs = all;
        if (st != CKP_OK) break;
        if (one.interrupted) {
            stats->interrupted = 1;
            break;
        }
    }
    c->force = NULL;
    ckp_free(force);
    return st;
}

/* How far below a commitment the next budget of the exact frontier lies:
 * beyond GLPK's integrality tolerance (1e-5 relative on a binary, times
 * the commitment), at least 0.01 m. */
static double exact_step(double commitment)
{
    double d = 1e-4 * commitment;
    return d > 0.01 ? d : 0.01;
}

/* Forget a point of the exact frontier: its record and its folder. */
static void drop_point(run_ctx *c, ckp_sweep_point *pt)
{
    if (c->p->out_dir) {
        char name[64], path[4200];
        sweep_point_name(pt->budget, name, sizeof name);
        snprintf(path, sizeof path, "%s/points/%s", c->p->out_dir, name);
        sweep_rm_tree(path);
    }
    sweep_point_fini(pt);
}

/* Exact frontier (docs/sweeps.md "Exact frontier"): from the largest
 * budget down, each next budget just below the last point's commitment. */
static ckp_status run_exact(run_ctx *c, ckp_pool_stats *stats)
{
    const ckp_sweep_params *p = c->p;
    ckp_sweep *s = c->s;
    double lo = p->n_budgets > 1 ? p->budgets[0] : 0;
    double b = p->budgets[p->n_budgets - 1];
    int cap = s->n_points;
    s->n_points = 0;
    memset(stats, 0, sizeof *stats);
    c->progress_total = 0;
    ckp_pool pool = {1, work, done, c, p->stop, tick};
    double last_c = INFINITY, step = 0;
    for (;;) {
        if (s->n_points == cap) {
            if (cap >= CKP_SWEEP_MAX_POINTS) break;
            if (ckp_grow((void **)&s->points, &cap, cap + 1, sizeof *s->points))
                return CKP_ENOMEM;
        }
        ckp_sweep_point *pt = &s->points[s->n_points];
        memset(pt, 0, sizeof *pt);
        pt->budget = b;
        pt->free_objective = NAN;
        c->jobs[0] = s->n_points++;
        c->n_jobs = 1;
        ckp_pool_stats one;
        ckp_status st = ckp_pool_run(&pool, 1, &one);
        if (st != CKP_OK) return st;
        if (one.interrupted) {
            stats->interrupted = 1;
            if (!pt->solved) s->n_points--;
            break;
        }
        if (!has_portfolio(pt)) break;
        if (s->n_points > 1 && pt->commitment > last_c - step / 2) {
            /* the same portfolio again: GLPK's integrality tolerance let it
               through just under its commitment; drop it, step further */
            drop_point(c, pt);
            s->n_points--;
            step *= 4;
        } else {
            last_c = pt->commitment;
            step = exact_step(last_c);
        }
        if (last_c <= lo + 1e-9 || step > 1e6) break;
        /* just below the commitment: the next cheaper portfolio */
        double next = round((last_c - step) * 1e6) / 1e6;
        b = next > lo ? next : lo;
        if (b >= last_c) break;
    }
    /* budget order */
    for (int i = 0, j = s->n_points - 1; i < j; i++, j--) {
        ckp_sweep_point t = s->points[i];
        s->points[i] = s->points[j];
        s->points[j] = t;
    }
    return CKP_OK;
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
    run_ctx c = {plan, p, s, jobs, 0, 0, 0, NULL, 0, 0, baseline, NULL, 0, 0};
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
    if (p->exact) st = run_exact(&c, &stats);
    else if (p->nested) st = run_nested(&c, &stats);
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
            try_resume(s, pt, p->out_dir);
            if (pt->resumed) {
                pt->resumed = 0;
                s->n_resumed--;
            }
        }
    }
    if (p->out_dir) {
        clean_points(p->out_dir);
        if (p->exact) st = write_manifest_of(s, p->out_dir, diag);
        if (st == CKP_OK) st = sweep_write_tables(s, p->out_dir, diag);
        if (st != CKP_OK) goto fail;
    }
    ckp_free(jobs);
    *out = s;
    return CKP_OK;
fail:
    ckp_free(jobs);
    ckp_sweep_free(s);
    return st;
}
