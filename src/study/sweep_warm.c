/* sweep_warm.c: warm starts of a sweep point (docs/sweeps.md "Warm
 * starts"): what the points already solved tell a point at budget b.
 *   - start: of the portfolios of solved points, the best (least
 *     objective) that fits b's budget rows, checked explicitly against
 *     the model at b (the total, and each year's limit, which
 *     --scale-year-limits changes per point);
 *   - bounds: the nearest larger budget proven optimal, whose feasible
 *     set contains b's (same rows, larger right-hand sides): its stage-1
 *     optimum bounds b's exposure from below, and, when b reaches that
 *     exposure, its commitment bounds b's least commitment from below.
 * The nested chain (sweep_warm_nested) and the exact frontier
 * (sweep_warm_exact) have hints of their own, below.
 * Runs in the worker, on the points the parent had when it forked. */
#include "study/sweep_int.h"

#include <math.h>
#include <string.h>

#include "util/alloc.h"

/* Money disbursed per year index by the picks of pt (as ckp_run counts it:
 * schedule entries outside the horizon in no year), and the commitment. */
static double spend_of(const ckp_plan *plan, const ckp_sweep_point *pt, double *spend, int Y)
{
    double total = 0;
    for (int y = 0; y < Y; y++) spend[y] = 0;
    for (int i = 0; i < pt->n_picks; i++) {
        const ckp_sweep_pick *k = &pt->picks[i];
        double amount;
        const double *sch;
        int n_sch;
        if (k->project >= 0) {
            const ckp_option *o = &plan->projects[k->project].options[k->option];
            amount = o->commitment;
            sch = o->schedule;
            n_sch = o->n_schedule;
        } else {
            const ckp_upgrade *u = &plan->upgrades[k->upgrade];
            amount = u->cost;
            sch = u->schedule;
            n_sch = u->n_schedule;
        }
        total += amount;
        if (n_sch == 0) {
            int y = k->start - plan->first_year;
            if (y >= 0 && y < Y) spend[y] += amount;
            continue;
        }
        for (int j = 0; j < n_sch; j++) {
            int y = k->start - plan->first_year + j;
            if (y >= 0 && y < Y) spend[y] += amount * sch[j];
        }
    }
    return total;
}

static int within(double v, double limit)
{
    return v <= limit + 1e-9 * fmax(1.0, fabs(limit));
}

void sweep_warm_fini(sweep_warm *w)
{
    ckp_free(w->option);
    ckp_free(w->start);
    ckp_free(w->upgrade_start);
    memset(w, 0, sizeof *w);
}

static ckp_status set_start(const ckp_plan *plan, const ckp_sweep_pick *picks, int n_picks,
                            double from, sweep_warm *w);

ckp_status sweep_warm_hints(const ckp_plan *plan, const ckp_model_params *mp,
                            const ckp_sweep_point *pts, int n_pts, double budget,
                            sweep_warm *w, ckp_diag_list *diag)
{
    memset(w, 0, sizeof *w);
    ckp_run_hints_init(&w->hints);
    /* bounds: the nearest larger budget proven optimal */
    const ckp_sweep_point *hi = NULL;
    for (int i = 0; i < n_pts; i++) {
        const ckp_sweep_point *pt = &pts[i];
        if (!(pt->budget > budget) || !sweep_has_portfolio(pt) || pt->status != CKP_MIP_OPTIMAL ||
            !isfinite(pt->stage1_objective))
            continue;
        if (!hi || pt->budget < hi->budget) hi = pt;
    }
    if (hi) {
        w->hints.exposure_bound = hi->stage1_objective;
        w->hints.commitment_bound = hi->commitment;
    }
    /* start: the best solved portfolio that fits b's budget rows */
    int any = 0;
    for (int i = 0; i < n_pts; i++) any |= sweep_has_portfolio(&pts[i]);
    if (!any) return CKP_OK;
    ckp_model_params m = *mp;
    m.budget_total = budget;
    ckp_model *model = NULL;
    ckp_status rc = ckp_model_build(plan, &m, &model, diag);
    if (rc != CKP_OK) return rc;
    int Y = model->n_years;
    double *spend = ckp_malloc(((size_t)Y + 1) * sizeof *spend);
    if (!spend) {
        ckp_model_free(model);
        return CKP_ENOMEM;
    }
    const ckp_sweep_point *best = NULL;
    double ms = model->money_scale;
    for (int i = 0; i < n_pts; i++) {
        const ckp_sweep_point *pt = &pts[i];
        if (!sweep_has_portfolio(pt) || (best && !(pt->objective < best->objective))) continue;
        double total = spend_of(plan, pt, spend, Y);
        int fits = model->budget_total_row < 0 ||
                   within(total, model->mip.row_ub[model->budget_total_row] * ms);
        for (int y = 0; y < Y && fits; y++) {
            int row = model->budget_year_row[y];
            if (row >= 0) fits = within(spend[y], model->mip.row_ub[row] * ms);
        }
        if (fits) best = pt;
    }
    ckp_free(spend);
    ckp_model_free(model);
    if (!best) return CKP_OK;
    return set_start(plan, best->picks, best->n_picks, best->budget, w);
}

/* w's start: the portfolio of picks (from the point at budget from). */
static ckp_status set_start(const ckp_plan *plan, const ckp_sweep_pick *picks, int n_picks,
                            double from, sweep_warm *w)
{
    size_t np = (size_t)plan->n_projects + 1, nu = (size_t)plan->n_upgrades + 1;
    w->option = ckp_malloc(np * sizeof *w->option);
    w->start = ckp_malloc(np * sizeof *w->start);
    w->upgrade_start = ckp_malloc(nu * sizeof *w->upgrade_start);
    if (!w->option || !w->start || !w->upgrade_start) {
        sweep_warm_fini(w);
        return CKP_ENOMEM;
    }
    for (int p = 0; p < plan->n_projects; p++) w->option[p] = -1, w->start[p] = 0;
    for (int u = 0; u < plan->n_upgrades; u++) w->upgrade_start[u] = -1;
    for (int i = 0; i < n_picks; i++) {
        const ckp_sweep_pick *k = &picks[i];
        if (k->project >= 0) {
            w->option[k->project] = k->option;
            w->start[k->project] = k->start;
        } else {
            w->upgrade_start[k->upgrade] = k->start;
        }
    }
    w->portfolio.option = w->option;
    w->portfolio.start = w->start;
    w->portfolio.upgrade_start = w->upgrade_start;
    w->portfolio.stockpile = NULL;
    w->hints.start = &w->portfolio;
    w->from_budget = from;
    return CKP_OK;
}

/* Does pt fund every project of mp's force list (any option)? */
static int funds_forced(const ckp_plan *plan, const ckp_model_params *mp,
                        const ckp_sweep_point *pt)
{
    for (int f = 0; f < mp->n_force; f++) {
        int found = 0;
        for (int i = 0; i < pt->n_picks && !found; i++)
            found = pt->picks[i].project >= 0 &&
                    strcmp(plan->projects[pt->picks[i].project].id, mp->force[f]) == 0;
        if (!found) return 0;
    }
    return 1;
}

ckp_status sweep_warm_nested(const ckp_plan *plan, const ckp_model_params *mp,
                             const ckp_sweep_point *below, const ckp_sweep_point *free_pt,
                             double budget, sweep_warm *w, ckp_diag_list *diag)
{
    /* starts: this budget's free optimum when it funds every forced
       project (then it is the nested optimum too), the point below */
    ckp_sweep_point cand[2];
    int n = 0;
    if (free_pt && sweep_has_portfolio(free_pt) && free_pt->budget == budget &&
        funds_forced(plan, mp, free_pt))
        cand[n++] = *free_pt;
    if (below && sweep_has_portfolio(below)) cand[n++] = *below;
    /* (neither lies above this budget: no bound from them) */
    ckp_status rc = sweep_warm_hints(plan, mp, cand, n, budget, w, diag);
    if (rc != CKP_OK) return rc;
    /* bounds: the nested feasible set is the free one's with more
       projects forced, so the free optimum bounds the nested exposure,
       and when that is reached, its commitment the least commitment */
    if (free_pt && free_pt->solved && !free_pt->error && free_pt->status == CKP_MIP_OPTIMAL &&
        free_pt->budget == budget && isfinite(free_pt->stage1_objective)) {
        w->hints.exposure_bound = free_pt->stage1_objective;
        w->hints.commitment_bound = free_pt->commitment;
    }
    return CKP_OK;
}

/* Commitment of pick k (an option's or an upgrade's). */
static double pick_cost(const ckp_plan *plan, const ckp_sweep_pick *k)
{
    return k->project >= 0 ? plan->projects[k->project].options[k->option].commitment
                           : plan->upgrades[k->upgrade].cost;
}

ckp_status sweep_warm_exact(const ckp_plan *plan, const ckp_model_params *mp,
                            const ckp_sweep_point *last, double budget, sweep_warm *w,
                            ckp_diag_list *diag)
{
    memset(w, 0, sizeof *w);
    ckp_run_hints_init(&w->hints);
    if (!last || !sweep_has_portfolio(last) || last->n_picks == 0) return CKP_OK;
    int n = last->n_picks, max_cand = 0;
    for (int i = 0; i < n; i++)
        max_cand += 1 + (last->picks[i].project >= 0
                             ? plan->projects[last->picks[i].project].n_options
                             : 0);
    ckp_sweep_point *cand = ckp_calloc((size_t)max_cand + 1, sizeof *cand);
    ckp_sweep_pick *picks = ckp_malloc(((size_t)max_cand * (size_t)n + 1) * sizeof *picks);
    if (!cand || !picks) {
        ckp_free(cand);
        ckp_free(picks);
        return CKP_ENOMEM;
    }
    /* the last breakpoint's portfolio with one item dropped or one
       project on another (cheaper) option, ranked by the money taken
       out (least first: keep as much of the portfolio as fits); the
       fit to this budget's rows is checked by sweep_warm_hints */
    int nc = 0;
    for (int i = 0; i < n; i++) {
        const ckp_sweep_pick *k = &last->picks[i];
        int n_opt = k->project >= 0 ? plan->projects[k->project].n_options : 0;
        for (int o = -1; o < n_opt; o++) {
            if (o == k->option) continue;
            ckp_sweep_point *c = &cand[nc];
            c->picks = &picks[(size_t)nc * (size_t)n];
            c->n_picks = 0;
            for (int j = 0; j < n; j++) {
                if (j == i && o < 0) continue;
                c->picks[c->n_picks] = last->picks[j];
                if (j == i) c->picks[c->n_picks].option = o;
                c->n_picks++;
            }
            double out = pick_cost(plan, k) -
                         (o >= 0 ? plan->projects[k->project].options[o].commitment : 0);
            if (!(out > 0)) continue; /* not cheaper */
            c->budget = last->budget;
            c->solved = 1;
            c->status = CKP_MIP_FEASIBLE; /* a start, never a bound */
            c->objective = out;           /* the rank */
            nc++;
        }
    }
    ckp_status rc = sweep_warm_hints(plan, mp, cand, nc, budget, w, diag);
    ckp_free(cand);
    ckp_free(picks);
    return rc;
}
