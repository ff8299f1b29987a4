/* sweep_warm.c: warm starts of a sweep point (docs/sweeps.md "Warm
 * starts"): what the points already solved tell a point at budget b.
 *   - start: of the portfolios of solved points, the best (least
 *     objective) that fits b's money rows, checked explicitly against
 *     the model built at b: its budget rows (the total and each year's
 *     limit, which --scale-year-limits changes per point) in the plan's
 *     <budget measure>, and the <cap>s on the other measures, each row's
 *     own coefficients summed over the portfolio's columns;
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

/* The column of pick k in model m, -1 when it has none (a start
 * outside its window or the horizon). */
static int pick_col(const ckp_model *m, const ckp_sweep_pick *k)
{
    if (k->project >= 0) {
        for (int i = m->project_first[k->project]; i < m->project_first[k->project + 1]; i++)
            if (m->starts[i].option == k->option && m->starts[i].start == k->start)
                return m->starts[i].col;
        return -1;
    }
    for (int i = m->upgrade_first[k->upgrade]; i < m->upgrade_first[k->upgrade + 1]; i++)
        if (m->ustarts[i].start == k->start) return m->ustarts[i].col;
    return -1;
}

/* The rows of the bank's money: the budget's own (each year's limit and
 * the total, in the plan's <budget measure>: commitment, expected cost,
 * outstanding or contingent liability, docs/finance.md) and the <cap>s
 * on the other measures. */
static int money_row(const ckp_model *m, int row)
{
    int k = m->row_kind[row];
    return k == CKP_ROW_BUDGET_YEAR || k == CKP_ROW_BUDGET_TOTAL || k == CKP_ROW_FIN_CAP;
}

static int within(double v, double limit);

/* Does pt's portfolio fit every money row of the model at this budget?
 * The rows' own coefficients are summed over the portfolio's columns, so
 * the check counts what the model counts whatever the measure (x: a
 * scratch array of n_cols doubles, all 0; act: of n_rows). */
static int portfolio_fits(const ckp_model *m, const ckp_sweep_point *pt, double *x,
                          double *act)
{
    int fits = 1;
    for (int i = 0; i < pt->n_picks && fits; i++) {
        int col = pick_col(m, &pt->picks[i]);
        if (col < 0) fits = 0;
        else x[col] = 1;
    }
    const ckp_mip *mip = &m->mip;
    for (int r = 0; r < mip->n_rows; r++) act[r] = 0;
    for (int e = 0; e < mip->nnz && fits; e++)
        if (x[mip->ja[e]] != 0) act[mip->ia[e]] += mip->ar[e] * x[mip->ja[e]];
    double ms = m->money_scale;
    for (int r = 0; r < mip->n_rows && fits; r++)
        if (money_row(m, r) && isfinite(mip->row_ub[r]))
            fits = within(act[r] * ms, mip->row_ub[r] * ms);
    for (int i = 0; i < pt->n_picks; i++) {
        int col = pick_col(m, &pt->picks[i]);
        if (col >= 0) x[col] = 0;
    }
    return fits;
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
    double *x = ckp_calloc((size_t)model->mip.n_cols + 1, sizeof *x);
    double *act = ckp_malloc(((size_t)model->mip.n_rows + 1) * sizeof *act);
    if (!x || !act) {
        ckp_free(x);
        ckp_free(act);
        ckp_model_free(model);
        return CKP_ENOMEM;
    }
    const ckp_sweep_point *best = NULL;
    for (int i = 0; i < n_pts; i++) {
        const ckp_sweep_point *pt = &pts[i];
        if (!sweep_has_portfolio(pt) || (best && !(pt->objective < best->objective))) continue;
        if (portfolio_fits(model, pt, x, act)) best = pt;
    }
    ckp_free(x);
    ckp_free(act);
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
