/* sweep_chain.c: the sweeps whose points depend on each other, solved as
 * chains over the pool (docs/sweeps.md §8a, §8b): the nested sweep (each
 * point with the projects of the point below forced, one at a time) and
 * the exact frontier (each budget just below the last point's
 * commitment, one chain per segment between the budgets given, the
 * chains side by side). */
#include "study/sweep_run.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ckp/terms.h"
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

/* One chain of the exact frontier: the breakpoints of one segment
 * (floor, top] of the budgets, from its top down. */
typedef struct exact_chain {
    int last;          /* point index of its last breakpoint */
    double last_c;     /* what that breakpoint counts against the budget:
                          its commitment, or its total in the plan's
                          <budget measure> */
    double step;       /* how far below it the next budget lies */
    double floor;      /* the segment's floor: the next top below */
    double b;          /* the next budget to solve */
    int job;           /* point index of this round's point, -1 = none */
    int active;
} exact_chain;

/* What pt's portfolio counts against the budget: its commitment, or,
 * under another <budget measure> (docs/finance.md), the items' totals in
 * that measure as the budget_total row counts them (include/ckp/terms.h). */
static double budget_used(const ckp_plan *plan, const ckp_sweep_point *pt)
{
    ckp_fin_measure m = plan->budget.measure;
    if (m == CKP_FIN_COMMITMENT) return pt->commitment;
    double t = 0;
    for (int i = 0; i < pt->n_picks; i++) {
        const ckp_sweep_pick *k = &pt->picks[i];
        t += k->project >= 0
                 ? ckp_option_figure_total(plan, k->project, k->option, k->start, m)
                 : ckp_spending_total(plan->upgrades[k->upgrade].cost, m);
    }
    return t;
}

/* After a chain's point pt (index i): keep it (a new breakpoint) or drop
 * it (the same portfolio again: GLPK's integrality tolerance let it
 * through just under the last commitment; the step grows), then the next
 * budget, or the end of the chain at its floor. */
static void exact_next(run_ctx *c, exact_chain *ch, int i, int first)
{
    ckp_sweep_point *pt = &c->s->points[i];
    if (!sweep_has_portfolio(pt)) {
        ch->active = 0;
        return;
    }
    double used = budget_used(c->plan, pt);
    if (!first && used > ch->last_c - ch->step / 2) {
        drop_point(c, pt);
        memset(pt, 0, sizeof *pt); /* not solved: left out at the end */
        ch->step *= 4;
    } else {
        ch->last = i;
        ch->last_c = used;
        ch->step = exact_step(ch->last_c);
    }
    /* just below the commitment: the next cheaper portfolio, unless the
       segment below (its top solved already) has it */
    double next = round((ch->last_c - ch->step) * 1e6) / 1e6;
    ch->active = ch->last_c > ch->floor + 1e-9 && ch->step <= 1e6 && next > ch->floor &&
                 next < ch->last_c;
    ch->b = next;
}

static int by_budget(const void *a, const void *b)
{
    double x = ((const ckp_sweep_point *)a)->budget, y = ((const ckp_sweep_point *)b)->budget;
    return (x > y) - (x < y);
}

static int same_portfolio(const ckp_sweep_point *a, const ckp_sweep_point *b)
{
    return sweep_has_portfolio(a) && sweep_has_portfolio(b) && a->commitment == b->commitment &&
           a->n_picks == b->n_picks &&
           (a->n_picks == 0 || memcmp(a->picks, b->picks, (size_t)a->n_picks * sizeof *a->picks) == 0);
}

/* Exact frontier (docs/sweeps.md "Exact frontier"): first the budgets
 * given (0 below a single one) as a grid, in parallel with its warm
 * starts; then, for each segment between two of them, a chain from its
 * top down, each next budget just below the last breakpoint's
 * commitment, until the segment below (whose top is solved) has the
 * rest.  The chains are independent of each other: each round solves the
 * next point of every chain over the pool.  Points are then in budget
 * order; of two neighbours with the same portfolio (a segment without a
 * breakpoint: its top found the one below) the larger budget stays. */
ckp_status sweep_run_exact(run_ctx *c, ckp_pool_stats *stats)
{
    const ckp_sweep_params *p = c->p;
    ckp_sweep *s = c->s;
    memset(stats, 0, sizeof *stats);
    c->progress_total = 0;
    int n_tops = s->n_points;
    if (n_tops == 1 && s->points[0].budget > 0) {
        /* one budget: from 0 to it (room for two: calloc n + 1) */
        s->points[1] = s->points[0];
        memset(&s->points[0], 0, sizeof s->points[0]);
        s->points[0].free_objective = NAN;
        sweep_point_no_time(&s->points[0]);
        s->n_points = n_tops = 2;
    }
    int cap = p->n_budgets + 1;
    int *prev = ckp_malloc((size_t)cap * sizeof *prev);
    exact_chain *ch = ckp_calloc((size_t)n_tops, sizeof *ch);
    if (!prev || !ch) {
        ckp_free(prev);
        ckp_free(ch);
        return CKP_ENOMEM;
    }
    ckp_status st = CKP_OK;
    /* the tops: a grid */
    for (int i = 0; i < n_tops; i++) c->jobs[i] = i, prev[i] = -1;
    c->n_jobs = n_tops;
    sweep_live_reset(c);
    sweep_report_progress(c, 1);
    ckp_pool pool = {p->workers, sweep_work, sweep_done, c, p->stop, sweep_tick,
                     sweep_warm_allowed(p) ? sweep_warm_order : NULL};
    ckp_pool_stats one;
    st = ckp_pool_run(&pool, n_tops, &one);
    sweep_account(c, &one, p->workers < n_tops ? p->workers : n_tops);
    stats->interrupted = one.interrupted;
    pool.order = NULL;
    /* the chains, segment k = (top k-1, top k] */
    for (int k = 1; k < n_tops && st == CKP_OK; k++) {
        ch[k].floor = s->points[k - 1].budget;
        ch[k].job = -1;
        exact_next(c, &ch[k], k, 1);
    }
    while (st == CKP_OK && !stats->interrupted) {
        int n = 0;
        for (int k = n_tops - 1; k >= 1; k--) {
            ch[k].job = -1;
            if (!ch[k].active) continue;
            if (s->n_points >= CKP_SWEEP_MAX_POINTS) break;
            if (s->n_points == cap) {
                int cp = cap;
                if (ckp_grow((void **)&s->points, &cap, cap + n_tops, sizeof *s->points) ||
                    ckp_grow((void **)&prev, &cp, cap, sizeof *prev)) {
                    st = CKP_ENOMEM;
                    break;
                }
            }
            int i = s->n_points++;
            ckp_sweep_point *pt = &s->points[i];
            memset(pt, 0, sizeof *pt);
            sweep_point_no_time(pt);
            pt->budget = ch[k].b;
            pt->free_objective = NAN;
            prev[i] = ch[k].last;
            ch[k].job = i;
            c->jobs[n++] = i;
        }
        if (n == 0 || st != CKP_OK) break;
        c->n_jobs = n;
        c->prev = prev;
        sweep_live_reset(c);
        st = ckp_pool_run(&pool, n, &one);
        c->prev = NULL;
        sweep_account(c, &one, p->workers < n ? p->workers : n);
        if (one.interrupted) stats->interrupted = 1;
        if (st != CKP_OK || stats->interrupted) break;
        for (int k = n_tops - 1; k >= 1; k--)
            if (ch[k].job >= 0) exact_next(c, &ch[k], ch[k].job, 0);
    }
    ckp_free(prev);
    ckp_free(ch);
    if (st != CKP_OK) return st;
    /* budget order, without the points dropped or not solved, and of
       two neighbours with the same portfolio the larger budget */
    int m = 0;
    for (int i = 0; i < s->n_points; i++)
        if (s->points[i].solved) s->points[m++] = s->points[i];
        else sweep_point_fini(&s->points[i]);
    qsort(s->points, (size_t)m, sizeof *s->points, by_budget);
    int keep = m;
    for (int i = m - 2, above = m - 1; i >= 0; i--) {
        if (!same_portfolio(&s->points[i], &s->points[above])) {
            above = i;
            continue;
        }
        drop_point(c, &s->points[i]);
        s->points[i].solved = 0;
        keep--;
    }
    int w = 0;
    for (int i = 0; i < m; i++)
        if (s->points[i].solved) s->points[w++] = s->points[i];
    s->n_points = keep;
    return CKP_OK;
}
