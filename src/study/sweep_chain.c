/* sweep_chain.c: the sweeps whose points depend on each other, solved as
 * a chain over the pool one point at a time (docs/sweeps.md §8a, §8b):
 * the nested sweep (each point with the projects of the point below
 * forced) and the exact frontier (each budget just below the last
 * point's commitment). */
#include "study/sweep_run.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util/alloc.h"

/* Nested (docs/sweeps.md "Nested"): first the unconstrained optima of the
 * points to solve, in parallel; then, in budget order, each point with
 * every project of the point below forced, started from its free optimum
 * (when that funds them all) or the point below, and bounded by its free
 * optimum.  --resume keeps the finished
 * points from the lowest budget up to the first one missing. */
ckp_status sweep_run_nested(run_ctx *c, ckp_pool_stats *stats)
{
    const ckp_sweep_params *p = c->p;
    ckp_sweep *s = c->s;
    const ckp_plan *plan = c->plan;
    int first = 0;
    if (p->resume && p->out_dir) {
        while (first < p->n_budgets) {
            sweep_try_resume(s, &s->points[first], p->out_dir);
            if (!s->points[first].resumed) break;
            first++;
        }
    }
    int n_jobs = 0;
    for (int i = first; i < p->n_budgets; i++) c->jobs[n_jobs++] = i;
    c->n_jobs = n_jobs;
    c->progress_total = 2 * n_jobs;
    sweep_live_reset(c);
    sweep_report_progress(c, 1);
    /* the free optima: a grid (its warm starts and order), kept apart */
    c->free = ckp_calloc((size_t)p->n_budgets + 1, sizeof *c->free);
    if (!c->free) return CKP_ENOMEM;
    for (int i = 0; i < p->n_budgets; i++) c->free[i].budget = p->budgets[i];
    c->free_phase = 1;
    ckp_pool pool = {p->workers, sweep_work, sweep_done, c, p->stop, sweep_tick,
                     sweep_warm_allowed(p) ? sweep_warm_order : NULL};
    ckp_status st = ckp_pool_run(&pool, n_jobs, stats);
    sweep_account(c, stats, p->workers < n_jobs ? p->workers : n_jobs);
    c->free_phase = 0;
    pool.order = NULL;
    const char **force = NULL;
    int *all = c->jobs;
    if (st != CKP_OK || stats->interrupted) goto out;
    force = ckp_malloc(((size_t)p->model.n_force + (size_t)plan->n_projects + 1) *
                       sizeof *force);
    if (!force) {
        st = CKP_ENOMEM;
        goto out;
    }
    for (int i = first; i < p->n_budgets; i++) {
        int n = 0;
        for (int k = 0; k < p->model.n_force; k++) force[n++] = p->model.force[k];
        const ckp_sweep_point *below = i > 0 ? &s->points[i - 1] : NULL;
        for (int k = 0; below && sweep_has_portfolio(below) && k < below->n_picks; k++) {
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
        sweep_account(c, &one, 1);
        c->jobs = all;
        if (st != CKP_OK) break;
        if (one.interrupted) {
            stats->interrupted = 1;
            break;
        }
    }
out:
    c->force = NULL;
    ckp_free(force);
    for (int i = 0; i < p->n_budgets; i++) sweep_point_fini(&c->free[i]);
    ckp_free(c->free);
    c->free = NULL;
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
ckp_status sweep_run_exact(run_ctx *c, ckp_pool_stats *stats)
{
    const ckp_sweep_params *p = c->p;
    ckp_sweep *s = c->s;
    double lo = p->n_budgets > 1 ? p->budgets[0] : 0;
    double b = p->budgets[p->n_budgets - 1];
    int cap = s->n_points;
    s->n_points = 0;
    memset(stats, 0, sizeof *stats);
    c->progress_total = 0;
    ckp_pool pool = {1, sweep_work, sweep_done, c, p->stop, sweep_tick, NULL};
    double last_c = INFINITY, step = 0;
    for (;;) {
        if (s->n_points == cap) {
            if (cap >= CKP_SWEEP_MAX_POINTS) break;
            if (ckp_grow((void **)&s->points, &cap, cap + 1, sizeof *s->points))
                return CKP_ENOMEM;
        }
        ckp_sweep_point *pt = &s->points[s->n_points];
        memset(pt, 0, sizeof *pt);
        sweep_point_no_time(pt);
        pt->budget = b;
        pt->free_objective = NAN;
        c->jobs[0] = s->n_points++;
        c->n_jobs = 1;
        ckp_pool_stats one;
        ckp_status st = ckp_pool_run(&pool, 1, &one);
        sweep_account(c, &one, 1);
        if (st != CKP_OK) return st;
        if (one.interrupted) {
            stats->interrupted = 1;
            if (!pt->solved) s->n_points--;
            break;
        }
        if (!sweep_has_portfolio(pt)) break;
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
