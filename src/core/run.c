/* run.c: one solve of a plan from end to end (see ckp/result.h): build the
 * model, compute the greedy incumbent, solve the portfolio MIP, solve the
 * baseline (the same model with no project and no upgrade: an LP), and
 * extract a ckp_result the reports read.
 *
 * Statuses: ckp_run returns CKP_OK whatever the MIP status (infeasible,
 * stopped without a solution included): result->status says it.  Errors
 * (bad parameters, model build failure, solver failure) return their
 * status with diagnostics and *out = NULL.
 *
 * Without a portfolio incumbent (status INFEASIBLE or NO_SOLUTION):
 * n_picks = n_upgrade_picks = 0, spend 0 per year, totals 0, added_outside
 * 0, and production, shortage, exposure and stage_exposure are NAN.
 * The baseline arrays are filled from the baseline solve independently
 * (NAN if that LP has no solution).  A share (exposure, stage_exposure,
 * and their baselines) is NAN in a year where the requirement is 0.
 *
 * Units: quantities t/yr (the model's kt are scaled back), money millions
 * of the plan's currency.  Spend counts disbursements inside the horizon
 * (schedule entries past the last year are not in any year's spend).
 *
 * Ties (docs/formulation.md 7f): by default (model params lexicographic)
 * the model is built without the tie-break weight and solved in stages by
 * ckp_lex_solve (core/lex.c): the exposure (min-cost: the commitment),
 * then the commitment (min-cost: the exposure) with the first held, then
 * the order pass; the post-solve steps below then run on its portfolio,
 * with the exposure measure eobj (the objective, or under min-cost the
 * goal row) in place of the objective.  lexicographic = 0: one solve.
 *
 * Post-solve steps (docs/formulation.md, section 7), on a copy of the MIP
 * whose binaries are all fixed, so every solve is an LP:
 *   1. pruning: each funded project or upgrade, largest commitment first,
 *      is dropped when the exposure + shortage part of the objective (the
 *      tie-break left out) does not get worse than the incumbent's by more
 *      than CKP_PRUNE_REL_TOL relative; a project that cannot be dropped
 *      is switched, under the same test, to its cheapest option that
 *      passes at the same start year.  The objective, bound and gap are
 *      then those of the final portfolio.  Items fixed at 1 by a fixed
 *      portfolio (ckp_model_params.fixed: evaluate) are never pruned.
 *   2. lexicographic pinning: under the worst-case measure (two or more
 *      scenarios), with the final binaries fixed and W held at its value,
 *      the expected value over the scenarios is minimised (the scenarios
 *      that are not the worst are at their best too); under min-max, with
 *      the objective so far held, the weighted exposure is minimised, so
 *      every share is at its minimum given the decisions (the min-max
 *      rows leave the shares below a year's maximum free).  The same is
 *      done for the baseline.
 * Under a time limit T these LPs get a budget of max(T/10, 1 s). */
#include "ckp/result.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/hints.h"
#include "core/lex.h"
#include "core/why.h"
#include "util/alloc.h"

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* Process CPU seconds so far (ckp_result.cpu_*). */
static double cpu_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

void ckp_result_free(ckp_result *r)
{
    if (!r) return;
    ckp_free(r->picks);
    ckp_free(r->upgrade_picks);
    ckp_free(r->spend);
    ckp_free(r->budget_limit);
    ckp_free(r->production);
    ckp_free(r->requirement);
    ckp_free(r->shortage);
    ckp_free(r->exposure);
    ckp_free(r->baseline_shortage);
    ckp_free(r->baseline_exposure);
    ckp_free(r->stage_exposure);
    ckp_free(r->stage_baseline);
    ckp_free(r->added_outside);
    ckp_free(r->stage_top_share);
    ckp_free(r->stage_top_country);
    ckp_free(r->stage_hhi);
    ckp_free(r->stage_top_share_baseline);
    ckp_free(r->stage_top_country_baseline);
    ckp_free(r->stage_hhi_baseline);
    ckp_free(r->caps);
    ckp_free(r->baseline_production);
    ckp_free(r->scenario_plan);
    ckp_free(r->scenario_prob);
    ckp_free(r->scen_production);
    ckp_free(r->scen_requirement);
    ckp_free(r->scen_shortage);
    ckp_free(r->scen_exposure);
    ckp_free(r->scen_baseline_shortage);
    ckp_free(r->scen_baseline_exposure);
    ckp_free(r->scen_stage_exposure);
    ckp_free(r->scen_stage_baseline);
    ckp_free(r->scen_value);
    ckp_free(r->scen_baseline_value);
    ckp_free(r->stockpile_picks);
    ckp_free(r->release);
    ckp_free(r->idle);
    ckp_free(r->relax);
    if (r->next) {
        ckp_result_free(r->next->result);
        ckp_free(r->next->changes);
        ckp_free(r->next);
    }
    ckp_free(r);
}

const char *ckp_idle_reason_str(ckp_idle_reason r)
{
    switch (r) {
    case CKP_IDLE_PRICE: return "price";
    case CKP_IDLE_EXPORT: return "export-restriction-upstream";
    case CKP_IDLE_OWN_EXPORT: return "export-restriction";
    case CKP_IDLE_INPUT: return "input-short";
    case CKP_IDLE_NOT_NEEDED: return "not-needed";
    }
    return "?";
}

static double *nan_array(size_t n)
{
    double *a = ckp_malloc((n ? n : 1) * sizeof *a);
    if (a)
        for (size_t i = 0; i < n; i++) a[i] = NAN;
    return a;
}

/* Production (t/yr, may be NULL), shortage and exposure per commodity and
 * year of scenario sc from a solution vector x of model m; NAN everywhere
 * when x is NULL.  stage: the requirement-weighted share per stage and
 * year.  The output arrays are that scenario's slices. */
static ckp_status flows(const ckp_model *m, const double *x, int sc, double *production,
                        double *shortage, double *exposure, double *stage)
{
    const ckp_plan *plan = m->plan;
    int Y = m->n_years, nc = plan->n_commodities, ns = plan->n_stages;
    double qs = m->qty_scale;
    if (!x) {
        if (production)
            for (int i = 0; i < m->n_producers * Y; i++) production[i] = NAN;
        for (int i = 0; i < nc * Y; i++) shortage[i] = exposure[i] = NAN;
        for (int i = 0; i < ns * Y; i++) stage[i] = NAN;
        return CKP_OK;
    }
    double *risky = ckp_calloc((size_t)nc * (size_t)Y + 1, sizeof *risky);
    double *snum = ckp_calloc((size_t)ns * (size_t)Y + 1, sizeof *snum);
    double *sden = ckp_calloc((size_t)ns * (size_t)Y + 1, sizeof *sden);
    if (!risky || !snum || !sden) {
        ckp_free(risky);
        ckp_free(snum);
        ckp_free(sden);
        return CKP_ENOMEM;
    }
    for (int f = 0; f < m->n_producers; f++) {
        double r = ckp_plan_producer_risk(plan, f);
        int c = ckp_plan_producer_output(plan, f);
        for (int y = 0; y < Y; y++) {
            int col = m->prod_col[(sc * m->n_producers + f) * Y + y];
            double q = col >= 0 ? x[col] * qs : 0.0;
            if (q < 0) q = 0; /* LP round-off below a zero bound */
            if (production) production[f * Y + y] = q;
            if (c >= 0) risky[c * Y + y] += r * q;
        }
    }
    for (int c = 0; c < nc; c++) {
        int s = plan->commodities[c].stage.ix;
        for (int y = 0; y < Y; y++) {
            int col = m->short_col[(sc * nc + c) * Y + y];
            double sh = col >= 0 ? x[col] * qs : 0.0;
            shortage[c * Y + y] = sh < 0 ? 0 : sh;
            double R = m->requirement[(sc * nc + c) * Y + y];
            exposure[c * Y + y] = R > 0 ? risky[c * Y + y] / R : NAN;
            if (s >= 0 && R > 0) {
                snum[s * Y + y] += risky[c * Y + y];
                sden[s * Y + y] += R;
            }
        }
    }
    for (int i = 0; i < ns * Y; i++) stage[i] = sden[i] > 0 ? snum[i] / sden[i] : NAN;
    ckp_free(risky);
    ckp_free(snum);
    ckp_free(sden);
    return CKP_OK;
}

/* Supplier concentration per stage and year from production (t/yr,
 * [producer * Y + y], NAN = no solution): the largest single-country
 * share of the stage's production (top, its country in topc) and the HHI
 * (sum of squared country shares in percent, 0..10000).  Producers of no
 * country form one group (never named top: topc -1 then).  NAN / -1
 * where the stage produced nothing. */
static ckp_status concentration(const ckp_plan *plan, int n_prod, int Y,
                                const double *production, double *top, int *topc,
                                double *hhi)
{
    int ns = plan->n_stages, nk = plan->n_countries + 1;
    double *by = ckp_malloc(((size_t)nk + 1) * sizeof *by);
    if (!by) return CKP_ENOMEM;
    for (int s = 0; s < ns; s++)
        for (int y = 0; y < Y; y++) {
            double total = 0;
            int any_nan = 0;
            for (int k = 0; k < nk; k++) by[k] = 0;
            for (int f = 0; f < n_prod; f++) {
                int c = ckp_plan_producer_output(plan, f);
                if (c < 0 || plan->commodities[c].stage.ix != s) continue;
                double q = production[f * Y + y];
                if (isnan(q)) {
                    any_nan = 1;
                    break;
                }
                int k = ckp_plan_producer_country(plan, f);
                by[k >= 0 ? k : nk - 1] += q;
                total += q;
            }
            int i = s * Y + y;
            top[i] = hhi[i] = NAN;
            topc[i] = -1;
            if (any_nan || !(total > 0)) continue;
            double h = 0, best = -1;
            for (int k = 0; k < nk; k++) {
                double sh = by[k] / total;
                h += (100 * sh) * (100 * sh);
                if (k < nk - 1 && sh > best) {
                    best = sh;
                    topc[i] = k;
                }
            }
            /* the unnamed group may be larger; the top share is a named
               country's */
            top[i] = best < 0 ? NAN : best;
            hhi[i] = h;
        }
    ckp_free(by);
    return CKP_OK;
}

/* The --max-share cap rows at the portfolio x (NULL: none reported). */
static ckp_status cap_checks(ckp_result *r, const ckp_model *m, const double *x)
{
    const ckp_plan *plan = m->plan;
    int Y = m->n_years;
    r->max_share = m->max_share;
    r->cap_penalty = m->cap_penalty;
    if (isnan(m->max_share) || !x) return CKP_OK;
    r->caps = ckp_calloc((size_t)m->n_share_caps + 1, sizeof *r->caps);
    if (!r->caps) return CKP_ENOMEM;
    int nc = plan->n_commodities, np = m->n_producers;
    for (int i = 0; i < m->n_share_caps; i++) {
        const ckp_share_cap *cp = &m->share_caps[i];
        ckp_cap_check *ck = &r->caps[r->n_caps++];
        int s = cp->scenario;
        double R = m->requirement[(s * nc + cp->commodity) * Y + cp->year];
        double q = 0;
        for (int f = 0; f < np; f++)
            if (ckp_plan_producer_output(plan, f) == cp->commodity &&
                ckp_plan_producer_country(plan, f) == cp->country &&
                ckp_plan_producer_risk(plan, f) > 0)
                q += r->scen_production[(s * np + f) * Y + cp->year];
        double e = x[cp->slack_col];
        ck->scenario = s;
        ck->commodity = cp->commodity;
        ck->country = cp->country;
        ck->year = plan->first_year + cp->year;
        ck->share = q / R;
        if (e > 1e-9) {
            ck->tonnes = e * m->qty_scale;
            ck->missed = ck->tonnes / R;
            r->n_caps_missed++;
        }
    }
    return CKP_OK;
}

/* Disbursement of `amount` following `sched` (empty = all at once) from
 * year `start`, added to spend[] inside the horizon. */
static void disburse(double *spend, int Y, int first, int start, double amount,
                     const double *sched, int n_sched)
{
    if (n_sched == 0) {
        int y = start - first;
        if (y >= 0 && y < Y) spend[y] += amount;
        return;
    }
    for (int k = 0; k < n_sched; k++) {
        int y = start - first + k;
        if (y >= 0 && y < Y) spend[y] += amount * sched[k];
    }
}

/* ------------------------------------------------------------------ */
/* Post-solve steps                                                     */

/* Pruning keeps a drop when the exposure + shortage objective rises by at
 * most this much, relative (absolute for objectives below 1). */
#define CKP_PRUNE_REL_TOL 1e-9
/* Slack of the row holding the min-max objective at its value while the
 * weighted exposure is minimised (relative, absolute below 1). */
#define CKP_PIN_REL_TOL 1e-11

static double rel_tol(double rel, double v)
{
    return rel * (fabs(v) > 1.0 ? fabs(v) : 1.0);
}

/* The exposure + shortage part of the objective at x (min-max: the m[y]
 * columns and shortage): every continuous column of the exposure vector
 * eobj (the objective, or under a lexicographic min-cost the goal row);
 * the binaries carry the tie-break only. */
static double exposure_part(const ckp_mip *m, const double *eobj, const double *x)
{
    double e = eobj == m->obj ? m->obj_const : 0.0;
    for (int j = 0; j < m->n_cols; j++)
        if (m->col_kind[j] != CKP_COL_BINARY) e += eobj[j] * x[j];
    return e;
}

/* The model's own objective at x (every column). */
static double objective_at(const ckp_mip *m, const double *x)
{
    double v = m->obj_const;
    for (int j = 0; j < m->n_cols; j++) v += m->obj[j] * x[j];
    return v;
}

static ckp_status solve_lp(const ckp_mip *lp, const ckp_solve_params *aux,
                           ckp_solution **out, ckp_diag_list *diag)
{
    CKP_TRY(ckp_solve(lp, aux, NULL, out, diag));
    if ((*out)->status != CKP_MIP_OPTIMAL || !(*out)->x) {
        ckp_solution_free(*out);
        *out = NULL;
    }
    return CKP_OK;
}

typedef struct fund_item {
    int col;
    double cost;     /* bank commitment (project option or upgrade cost) */
    int is_upgrade;  /* 0 project, 1 upgrade, 2 stockpile */
    int ix;          /* start index (starts[] or ustarts[]), stockpile */
} fund_item;

/* Largest commitment first, projects before upgrades before stockpiles,
 * then model order. */
static int cmp_item(const void *pa, const void *pb)
{
    const fund_item *a = pa, *b = pb;
    if (a->cost != b->cost) return a->cost > b->cost ? -1 : 1;
    if (a->is_upgrade != b->is_upgrade) return a->is_upgrade - b->is_upgrade;
    return (a->ix > b->ix) - (a->ix < b->ix);
}

/* Solve lp with the bounds the caller just set.  When it solves and its
 * exposure part stays within limit, the solution replaces *cur and
 * *accepted is 1; otherwise *cur is kept and *accepted is 0 (the caller
 * restores the bounds). */
static ckp_status try_fixing(const ckp_model *model, ckp_mip *lp, const double *eobj,
                             const ckp_solve_params *aux, double limit,
                             ckp_solution **cur, int *accepted, ckp_diag_list *diag)
{
    ckp_solution *s = NULL;
    *accepted = 0;
    CKP_TRY(solve_lp(lp, aux, &s, diag));
    if (s && exposure_part(&model->mip, eobj, s->x) <= limit) {
        ckp_solution_free(*cur);
        *cur = s;
        *accepted = 1;
        return CKP_OK;
    }
    ckp_solution_free(s);
    return CKP_OK;
}

/* Step 1.  Fixes every binary of lp (a copy of model->mip) at its value in
 * x and prunes.  On return *final is the LP solution for the final
 * binaries (NULL when that LP could not be solved: then nothing changed
 * and lp's binaries are at x's values), lp's binaries are fixed at the
 * final values and *n_dropped says how many items were removed or
 * switched to a cheaper option.  skip = 1: no item is tried (the LP of
 * x alone). */
static ckp_status prune(const ckp_model *model, const double *x, ckp_mip *lp,
                        const double *eobj, int any_feasible, int skip,
                        const ckp_solve_params *aux, ckp_solution **final,
                        int *n_dropped, ckp_diag_list *diag)
{
    const ckp_plan *plan = model->plan;
    ckp_status rc = CKP_OK;
    ckp_solution *cur = NULL;
    int accepted = 0;
    *final = NULL;
    *n_dropped = 0;
    for (int j = 0; j < lp->n_cols; j++)
        if (lp->col_kind[j] == CKP_COL_BINARY)
            lp->col_lb[j] = lp->col_ub[j] = x[j] > 0.5 ? 1.0 : 0.0;
    int n = 0;
    fund_item *items = ckp_malloc(((size_t)model->n_starts + (size_t)model->n_ustarts +
                                   (size_t)plan->n_stockpiles + 1) *
                                  sizeof *items);
    unsigned char *tried = ckp_calloc((size_t)model->n_starts + 1, 1);
    if (!items || !tried) {
        ckp_free(items);
        ckp_free(tried);
        return CKP_ENOMEM;
    }
    for (int k = 0; k < model->n_starts; k++) {
        const ckp_start_var *v = &model->starts[k];
        if (!(x[v->col] > 0.5)) continue;
        int row = model->project_row[v->project];
        if (row >= 0 && lp->row_lb[row] >= 1.0) continue; /* --force */
        if (model->mip.col_lb[v->col] > 0.5) continue;    /* fixed portfolio */
        items[n++] = (fund_item){v->col,
                                 plan->projects[v->project].options[v->option].commitment,
                                 0, k};
    }
    for (int k = 0; k < model->n_ustarts; k++) {
        const ckp_upgrade_var *v = &model->ustarts[k];
        if (!(x[v->col] > 0.5) || model->mip.col_lb[v->col] > 0.5) continue;
        items[n++] = (fund_item){v->col, plan->upgrades[v->upgrade].cost, 1, k};
    }
    for (int k = 0; k < plan->n_stockpiles; k++) {
        int w = model->stock_col[k];
        if (w < 0 || !(x[w] > 0.5) || model->mip.col_lb[w] > 0.5) continue;
        items[n++] = (fund_item){w, plan->stockpiles[k].cost, 2, k};
    }
    if (skip) n = 0; /* the final LP only */
    qsort(items, (size_t)n, sizeof *items, cmp_item);

    CKP_TRY_GOTO(rc, solve_lp(lp, aux, &cur, diag), done);
    if (!cur) goto done;
    double e0 = exposure_part(&model->mip, eobj, cur->x);
    double limit = any_feasible ? INFINITY : e0 + rel_tol(CKP_PRUNE_REL_TOL, e0);
    /* Under a time limit the pruning gets at most its own budget (see
       ckp_run); what was accepted so far stays consistent.  Passes repeat
       while one changed something (a drop can make another item, say one
       a dropped project required, removable); each change lowers the
       commitment, so this ends. */
    double deadline = aux->time_limit > 0 ? now_s() + aux->time_limit : INFINITY;
    int changed = 1;
    while (changed && now_s() < deadline) {
        changed = 0;
        memset(tried, 0, (size_t)model->n_starts);
        for (int i = 0; i < n && now_s() < deadline; i++) {
            int j = items[i].col;
            if (lp->col_ub[j] == 0.0) continue; /* dropped */
            lp->col_lb[j] = lp->col_ub[j] = 0.0;
            CKP_TRY_GOTO(rc, try_fixing(model, lp, eobj, aux, limit, &cur, &accepted, diag),
                         done);
            if (accepted) {
                (*n_dropped)++;
                changed = 1;
                continue;
            }
            lp->col_lb[j] = lp->col_ub[j] = 1.0;
            if (items[i].is_upgrade) continue;
            /* Not droppable: try the project's cheaper options at the same
               start, cheapest first (ties: option order). */
            const ckp_start_var *v = &model->starts[items[i].ix];
            const ckp_project *pr = &plan->projects[v->project];
            for (int pass = 0; pass < pr->n_options && now_s() < deadline; pass++) {
                int best = -1;
                for (int k = model->project_first[v->project];
                     k < model->project_first[v->project + 1]; k++) {
                    const ckp_start_var *w = &model->starts[k];
                    double c = pr->options[w->option].commitment;
                    if (w->start != v->start || !(c < items[i].cost) || tried[k]) continue;
                    if (best < 0 || c < pr->options[model->starts[best].option].commitment)
                        best = k;
                }
                if (best < 0) break;
                tried[best] = 1;
                int jb = model->starts[best].col;
                lp->col_lb[j] = lp->col_ub[j] = 0.0;
                lp->col_lb[jb] = lp->col_ub[jb] = 1.0;
                CKP_TRY_GOTO(rc, try_fixing(model, lp, eobj, aux, limit, &cur, &accepted,
                                            diag), done);
                if (accepted) {
                    (*n_dropped)++;
                    changed = 1;
                    /* the item is now the cheaper start */
                    items[i].col = jb;
                    items[i].ix = best;
                    items[i].cost = pr->options[model->starts[best].option].commitment;
                    break;
                }
                lp->col_lb[jb] = lp->col_ub[jb] = 0.0;
                lp->col_lb[j] = lp->col_ub[j] = 1.0;
            }
        }
    }
done:
    if (rc == CKP_OK) {
        *final = cur;
        cur = NULL;
    }
    ckp_solution_free(cur);
    ckp_free(items);
    ckp_free(tried);
    return rc;
}

/* One lexicographic step on lp (model->mip's copy, every binary fixed):
 * the row "sum of hold[j] x col j <= its value at x + slack" over the
 * continuous columns, then minimise next[].  *out: the new vector
 * (caller frees), or NULL when that LP was not solved. */
static ckp_status lex_step(const ckp_model *model, ckp_mip *lp, const char *row_name,
                           const double *hold, const double *next, const double *x,
                           const ckp_solve_params *aux, double **out, ckp_diag_list *diag)
{
    const ckp_mip *m = &model->mip;
    int row;
    double e = 0;
    *out = NULL;
    for (int j = 0; j < m->n_cols; j++)
        if (m->col_kind[j] != CKP_COL_BINARY) e += hold[j] * x[j];
    CKP_TRY(ckp_mip_add_row(lp, row_name, -INFINITY, e + rel_tol(CKP_PIN_REL_TOL, e), &row));
    for (int j = 0; j < m->n_cols; j++)
        if (m->col_kind[j] != CKP_COL_BINARY && hold[j] != 0)
            CKP_TRY(ckp_mip_add_coef(lp, row, j, hold[j]));
    for (int j = 0; j < lp->n_cols; j++) lp->obj[j] = j < m->n_cols ? next[j] : 0.0;
    lp->obj_const = 0.0;
    ckp_solution *s = NULL;
    CKP_TRY(solve_lp(lp, aux, &s, diag));
    if (s) {
        *out = s->x;
        s->x = NULL;
    }
    ckp_solution_free(s);
    return CKP_OK;
}

/* Step 2, lexicographic pinning (docs/formulation.md 7 and 7d).  lp:
 * model->mip's copy with every binary fixed; x: an optimal solution of
 * that LP.
 *   worst case (two or more scenarios): W held at its value, the
 *     expected value sum_s p_s V_s is minimised, so the scenarios that are
 *     not the worst are at their best too;
 *   min-max: the objective so far held at its value, the weighted
 *     exposure (probability-weighted) is minimised, so every share is the
 *     least the chokepoint must supply.
 * *out: the final vector (caller frees), NULL when no step ran or an LP
 * was not solved. */
static ckp_status pin_shares(const ckp_model *model, ckp_mip *lp, const double *x,
                             const double *eobj, const ckp_solve_params *aux, double **out,
                             ckp_diag_list *diag)
{
    const ckp_mip *m = &model->mip;
    int worst = model->worst_col >= 0;
    double *expected = NULL, *x1 = NULL;
    ckp_status rc = CKP_OK;
    *out = NULL;
    if (worst) {
        expected = ckp_malloc(((size_t)m->n_cols + 1) * sizeof *expected);
        if (!expected) return CKP_ENOMEM;
        for (int j = 0; j < m->n_cols; j++)
            expected[j] = model->col_scen[j] >= 0
                              ? model->scen_prob[model->col_scen[j]] * model->scen_coef[j]
                              : 0.0;
        CKP_TRY_GOTO(rc, lex_step(model, lp, "lex_worst", eobj, expected, x, aux, &x1,
                                  diag), done);
        if (!x1) goto done;
    }
    if (model->objective == CKP_OBJ_MINMAX) {
        double *x2 = NULL;
        CKP_TRY_GOTO(rc, lex_step(model, lp, "lex_minmax", worst ? expected : eobj,
                                  model->expo_coef, x1 ? x1 : x, aux, &x2, diag), done);
        if (!x2) goto done;
        ckp_free(x1);
        x1 = x2;
    }
    *out = x1;
    x1 = NULL;
done:
    ckp_free(x1);
    ckp_free(expected);
    return rc;
}

/* Both steps for the portfolio.  On success *x_final is the vector to
 * report (owned by the caller; NULL = keep sol->x) and the objective,
 * bound and gap in r are updated when the portfolio changed. */
static ckp_status post_solve(const ckp_model *model, const ckp_solution *sol,
                             const double *eobj, int lex, const ckp_solve_params *aux,
                             ckp_result *r, double **x_final, ckp_diag_list *diag)
{
    ckp_status rc = CKP_OK;
    ckp_mip lp;
    ckp_solution *fin = NULL;
    int dropped = 0;
    *x_final = NULL;
    rc = ckp_mip_copy(&model->mip, &lp);
    if (rc == CKP_OK && eobj != model->mip.obj) {
        /* lexicographic min-cost: the LPs minimise the goal's exposure */
        memcpy(lp.obj, eobj, (size_t)lp.n_cols * sizeof *lp.obj);
        lp.obj_const = 0;
    }
    /* Lexicographic min-cost: the commitment is the first key, so any
       drop the constraints allow is kept (it lowers the commitment). */
    int any_feasible = lex && model->goal_row >= 0;
    /* Lexicographic, stage 2 proven: no drop or cheaper option can keep
       the exposure within stage 2's hold (it would be a cheaper stage-2
       point), so the pruning would only solve LPs to find nothing; the
       figures come from one LP with the portfolio fixed. */
    int skip = lex && model->goal_row < 0 && r->lex[1].ran &&
               r->lex[1].status == CKP_MIP_OPTIMAL;
    if (rc == CKP_OK)
        rc = prune(model, sol->x, &lp, eobj, any_feasible, skip, aux, &fin, &dropped, diag);
    if (rc != CKP_OK || !fin) goto done;
    r->n_pruned = dropped;
    if (dropped > 0 || lex) {
        /* The reported figures are those of the returned portfolio: its
           objective is the LP's (exposure + shortage + its own tie-break;
           lexicographic: the model's objective, stage 1's key, at the
           LP's point); GLPK's bound holds for the MIP within GLPK's
           tolerance, capped at the objective of this feasible point. */
        double obj = lex ? objective_at(&model->mip, fin->x) : fin->objective;
        r->objective_value = obj;
        if (!(r->bound <= obj)) r->bound = obj;
        r->gap = isfinite(r->bound) ? fabs(obj - r->bound) / (fabs(obj) + DBL_EPSILON)
                                    : INFINITY;
    }
    if (model->objective == CKP_OBJ_MINMAX || model->worst_col >= 0) {
        CKP_TRY_GOTO(rc, pin_shares(model, &lp, fin->x, eobj, aux, x_final, diag), done);
    }
    if (!*x_final && (dropped > 0 || lex)) {
        *x_final = fin->x;
        fin->x = NULL;
    }
done:
    ckp_solution_free(fin);
    ckp_mip_fini(&lp);
    return rc;
}

/* Step 2 for the baseline (an LP already): *x_final as above. */
static ckp_status post_solve_baseline(const ckp_model *base, const ckp_solution *bsol,
                                      const ckp_solve_params *aux, double **x_final,
                                      ckp_diag_list *diag)
{
    *x_final = NULL;
    if ((base->objective != CKP_OBJ_MINMAX && base->worst_col < 0) || !bsol->x)
        return CKP_OK;
    ckp_mip lp;
    ckp_status rc = ckp_mip_copy(&base->mip, &lp);
    if (rc == CKP_OK) rc = pin_shares(base, &lp, bsol->x, base->mip.obj, aux, x_final, diag);
    ckp_mip_fini(&lp);
    return rc;
}

static ckp_status portfolio(ckp_result *r, const ckp_model *m, const double *x)
{
    const ckp_plan *plan = m->plan;
    int Y = m->n_years;
    int np = 0, nu = 0;
    if (x) {
        for (int k = 0; k < m->n_starts; k++) np += x[m->starts[k].col] > 0.5;
        for (int k = 0; k < m->n_ustarts; k++) nu += x[m->ustarts[k].col] > 0.5;
    }
    r->picks = ckp_calloc((size_t)np + 1, sizeof *r->picks);
    r->upgrade_picks = ckp_calloc((size_t)nu + 1, sizeof *r->upgrade_picks);
    r->added_outside = ckp_calloc((size_t)plan->n_stages + 1, sizeof *r->added_outside);
    if (!r->picks || !r->upgrade_picks || !r->added_outside) return CKP_ENOMEM;
    if (!x) return CKP_OK;
    double project_commit = 0.0;
    /* starts are grouped by project in plan order */
    for (int k = 0; k < m->n_starts; k++) {
        const ckp_start_var *s = &m->starts[k];
        if (!(x[s->col] > 0.5)) continue;
        const ckp_project *p = &plan->projects[s->project];
        const ckp_option *o = &p->options[s->option];
        ckp_pick *pk = &r->picks[r->n_picks++];
        pk->project = s->project;
        pk->option = s->option;
        pk->start = s->start;
        pk->online = s->online;
        pk->commitment = o->commitment;
        pk->capex = p->capex;
        project_commit += o->commitment;
        r->capex_total += p->capex;
        disburse(r->spend, Y, plan->first_year, s->start, o->commitment, o->schedule,
                 o->n_schedule);
        int c = p->output.ix;
        int st = c >= 0 ? plan->commodities[c].stage.ix : -1;
        if (st >= 0)
            r->added_outside[st] +=
                p->capacity * (1.0 - ckp_plan_producer_risk(plan, plan->n_facilities + s->project));
    }
    for (int k = 0; k < m->n_ustarts; k++) {
        const ckp_upgrade_var *s = &m->ustarts[k];
        if (!(x[s->col] > 0.5)) continue;
        const ckp_upgrade *u = &plan->upgrades[s->upgrade];
        ckp_upgrade_pick *pk = &r->upgrade_picks[r->n_upgrade_picks++];
        pk->upgrade = s->upgrade;
        pk->start = s->start;
        pk->online = s->online;
        pk->cost = u->cost;
        disburse(r->spend, Y, plan->first_year, s->start, u->cost, u->schedule,
                 u->n_schedule);
        r->commitment_total += u->cost;
    }
    r->commitment_total += project_commit;
    /* co-finance by type (docs/finance.md): only private sources count as
       private capital mobilised */
    double cofin = 0.0;
    for (int i = 0; i < r->n_picks; i++) {
        double by[CKP_COFIN_TYPES], direct;
        ckp_plan_cofinance(plan, r->picks[i].project, r->picks[i].option, by, &direct);
        r->private_capital += by[CKP_COFIN_PRIVATE];
        r->private_direct += direct;
        r->public_cofinance += by[CKP_COFIN_PUBLIC];
        r->multilateral_cofinance += by[CKP_COFIN_MULTILATERAL];
        cofin += by[CKP_COFIN_PRIVATE] + by[CKP_COFIN_PUBLIC] + by[CKP_COFIN_MULTILATERAL];
    }
    r->unattributed_capital = r->capex_total - project_commit - cofin;
    return CKP_OK;
}

/* Scenario s's objective value at x: its columns' own coefficients
 * (docs/formulation.md 7d); NAN without x. */
static double scenario_value(const ckp_model *m, const double *x, int s)
{
    if (!x) return NAN;
    double v = 0;
    for (int j = 0; j < m->mip.n_cols; j++)
        if (m->col_scen[j] == s) v += m->scen_coef[j] * x[j];
    return v;
}

/* dst[i] = sum over scenarios of prob x src[s * n + i], skipping NAN
 * entries (NAN when every scenario's is NAN). */
static void expect(const double *prob, int S, size_t n, const double *src, double *dst)
{
    for (size_t i = 0; i < n; i++) {
        double v = 0;
        int any = 0;
        for (int s = 0; s < S; s++) {
            double a = src[(size_t)s * n + i];
            if (isnan(a)) continue;
            v += prob[s] * a;
            any = 1;
        }
        dst[i] = any ? v : NAN;
    }
}

/* Per-scenario flows of the portfolio (x) and the baseline (bx), their
 * expectations in the top-level arrays, and each scenario's value.
 * bprod receives the expected baseline production. */
static ckp_status scenario_flows(ckp_result *r, const ckp_model *m, const ckp_model *base,
                                 const double *x, const double *bx, double *bprod)
{
    const ckp_plan *plan = m->plan;
    int S = m->n_scen, Y = m->n_years;
    size_t npy = (size_t)m->n_producers * (size_t)Y;
    size_t ncy = (size_t)plan->n_commodities * (size_t)Y;
    size_t nsy = (size_t)plan->n_stages * (size_t)Y;
    r->scen_production = nan_array((size_t)S * npy);
    r->scen_requirement = nan_array((size_t)S * ncy);
    r->scen_shortage = nan_array((size_t)S * ncy);
    r->scen_exposure = nan_array((size_t)S * ncy);
    r->scen_baseline_shortage = nan_array((size_t)S * ncy);
    r->scen_baseline_exposure = nan_array((size_t)S * ncy);
    r->scen_stage_exposure = nan_array((size_t)S * nsy);
    r->scen_stage_baseline = nan_array((size_t)S * nsy);
    r->scen_value = nan_array((size_t)S);
    r->scen_baseline_value = nan_array((size_t)S);
    double *bp = nan_array((size_t)S * npy);
    ckp_status rc = CKP_OK;
    if (!r->scen_production || !r->scen_requirement || !r->scen_shortage ||
        !r->scen_exposure || !r->scen_baseline_shortage || !r->scen_baseline_exposure ||
        !r->scen_stage_exposure || !r->scen_stage_baseline || !r->scen_value ||
        !r->scen_baseline_value || !bp) {
        rc = CKP_ENOMEM;
        goto out;
    }
    memcpy(r->scen_requirement, m->requirement, (size_t)S * ncy * sizeof *m->requirement);
    for (int s = 0; s < S; s++) {
        CKP_TRY_GOTO(rc, flows(m, x, s, &r->scen_production[s * npy],
                               &r->scen_shortage[s * ncy], &r->scen_exposure[s * ncy],
                               &r->scen_stage_exposure[s * nsy]), out);
        CKP_TRY_GOTO(rc, flows(base, bx, s, &bp[s * npy], &r->scen_baseline_shortage[s * ncy],
                               &r->scen_baseline_exposure[s * ncy],
                               &r->scen_stage_baseline[s * nsy]), out);
        r->scen_value[s] = scenario_value(m, x, s);
        r->scen_baseline_value[s] = scenario_value(base, bx, s);
    }
    const double *pr = m->scen_prob;
    expect(pr, S, npy, r->scen_production, r->production);
    expect(pr, S, npy, bp, bprod);
    expect(pr, S, ncy, r->scen_requirement, r->requirement);
    expect(pr, S, ncy, r->scen_shortage, r->shortage);
    expect(pr, S, ncy, r->scen_exposure, r->exposure);
    expect(pr, S, ncy, r->scen_baseline_shortage, r->baseline_shortage);
    expect(pr, S, ncy, r->scen_baseline_exposure, r->baseline_exposure);
    expect(pr, S, nsy, r->scen_stage_exposure, r->stage_exposure);
    expect(pr, S, nsy, r->scen_stage_baseline, r->stage_baseline);
out:
    ckp_free(bp);
    return rc;
}

/* Stockpiles bought and their releases per scenario (t/yr). */
static ckp_status stockpiles(ckp_result *r, const ckp_model *m, const double *x)
{
    const ckp_plan *plan = m->plan;
    int S = m->n_scen, Y = m->n_years, nk = plan->n_stockpiles, n = 0;
    r->stockpile_picks = ckp_calloc((size_t)nk + 1, sizeof *r->stockpile_picks);
    r->release = ckp_calloc((size_t)S * nk * Y + 1, sizeof *r->release);
    if (!r->stockpile_picks || !r->release) return CKP_ENOMEM;
    if (!x) return CKP_OK;
    for (int k = 0; k < nk; k++) {
        int w = m->stock_col[k];
        if (w < 0 || !(x[w] > 0.5)) continue;
        const ckp_stockpile *st = &plan->stockpiles[k];
        r->stockpile_picks[n++] = (ckp_stockpile_pick){k, st->year, st->cost};
        int y = st->year - plan->first_year;
        if (y >= 0 && y < Y) r->spend[y] += st->cost;
        r->commitment_total += st->cost;
        for (int s = 0; s < S; s++)
            for (int yy = 0; yy < Y; yy++) {
                int col = m->release_col[(s * nk + k) * Y + yy];
                double v = col >= 0 ? x[col] * m->qty_scale : 0.0;
                r->release[(s * nk + k) * Y + yy] = v > 0 ? v : 0.0;
            }
    }
    r->n_stockpile_picks = n;
    return CKP_OK;
}

/* Is commodity c restricted by an export control in scenario s, year: a
 * producer of c in a country whose exports of c are scaled below 1.
 * Looks up the made-from recipes, c first, then depth-first through each
 * recipe's inputs in order, each commodity once (iterative: no recursion,
 * linear in the recipes); returns the restricted commodity (and *country)
 * or -1.  stack, pos and mark are scratch of n_commodities entries; mark
 * entries equal to stamp are visited (the caller passes a fresh stamp). */
typedef struct up_scratch {
    int *stack, *pos, *mark;
    int stamp;
} up_scratch;

static int restricted_here(const ckp_plan *plan, int sp, int c, int year, int *country)
{
    int n = plan->n_facilities + plan->n_projects;
    for (int f = 0; f < n; f++) {
        if (ckp_plan_producer_output(plan, f) != c) continue;
        int k = ckp_plan_producer_country(plan, f);
        if (k >= 0 && ckp_scenario_export_scale(plan, sp, k, c, year) < 1.0) {
            *country = k;
            return 1;
        }
    }
    return 0;
}

static int restricted_upstream(const ckp_plan *plan, int sp, int c, int year,
                               up_scratch *u, int *country)
{
    if (c < 0) return -1;
    int st = ++u->stamp, top = 0;
    u->mark[c] = st;
    if (restricted_here(plan, sp, c, year, country)) return c;
    u->stack[top] = c;
    u->pos[top++] = 0;
    while (top > 0) {
        const ckp_commodity *cm = &plan->commodities[u->stack[top - 1]];
        if (u->pos[top - 1] >= cm->n_made_from) {
            top--;
            continue;
        }
        int d = cm->made_from[u->pos[top - 1]++].commodity.ix;
        if (d < 0 || u->mark[d] == st) continue;
        u->mark[d] = st;
        if (restricted_here(plan, sp, d, year, country)) return d;
        u->stack[top] = d;
        u->pos[top++] = 0;
    }
    return -1;
}

/* Funded projects idle (below 1 % of their capacity online) in a year of
 * a scenario, and why (docs/formulation.md 7d). */
static ckp_status idle_projects(ckp_result *r, const ckp_model *m)
{
    const ckp_plan *plan = m->plan;
    int S = m->n_scen, Y = m->n_years, nf = plan->n_facilities, np = m->n_producers;
    int cap = 0;
    if (!r->n_picks) return CKP_OK;
    size_t nc1 = (size_t)plan->n_commodities + 1;
    up_scratch up = {ckp_malloc(nc1 * sizeof(int)), ckp_malloc(nc1 * sizeof(int)),
                     ckp_calloc(nc1, sizeof(int)), 0};
    ckp_status rc = CKP_OK;
    if (!up.stack || !up.pos || !up.mark) {
        rc = CKP_ENOMEM;
        goto out;
    }
    for (int s = 0; s < S; s++) {
        int sp = m->scen_plan[s];
        for (int i = 0; i < r->n_picks; i++) {
            const ckp_pick *pk = &r->picks[i];
            const ckp_project *p = &plan->projects[pk->project];
            for (int year = pk->online; year <= plan->last_year; year++) {
                int y = year - plan->first_year, k = year - pk->online;
                double could = p->capacity * (k < p->n_ramp ? p->ramp[k] : 1.0);
                double made = r->scen_production[((size_t)s * np + nf + pk->project) * Y + y];
                if (!(could > 0) || made >= 0.01 * could) continue;
                ckp_idle e = {s, pk->project, year, CKP_IDLE_NOT_NEEDED, -1, -1, NAN, NAN,
                              could, made};
                int bc = p->breakeven_of.id ? p->breakeven_of.ix : p->output.ix;
                double price = ckp_scenario_price(plan, sp, bc, year);
                int kc = ckp_plan_producer_country(plan, nf + pk->project), ctry = -1, rc_ = -1;
                if (!isnan(p->breakeven) && !isnan(price) && price < p->breakeven &&
                    !ckp_instrument_price_support(p->options[pk->option].instrument)) {
                    e.reason = CKP_IDLE_PRICE;
                    e.commodity = bc;
                    e.price = price;
                    e.breakeven = p->breakeven;
                } else if (kc >= 0 &&
                           ckp_scenario_export_scale(plan, sp, kc, p->output.ix, year) < 1.0) {
                    e.reason = CKP_IDLE_OWN_EXPORT;
                    e.country = kc;
                } else {
                    for (int j = 0; j < p->n_inputs && rc_ < 0; j++)
                        rc_ = restricted_upstream(plan, sp, p->inputs[j].commodity.ix, year,
                                                  &up, &ctry);
                    if (rc_ >= 0) {
                        e.reason = CKP_IDLE_EXPORT;
                        e.commodity = rc_;
                        e.country = ctry;
                    } else if (r->scen_shortage[((size_t)s * plan->n_commodities +
                                                 (size_t)p->output.ix) * Y + y] > 1e-6) {
                        /* its output is short while it stands idle: an
                           input is missing (the first one named) */
                        for (int j = 0; j < p->n_inputs && e.reason != CKP_IDLE_INPUT; j++)
                            if (p->inputs[j].commodity.ix >= 0) {
                                e.reason = CKP_IDLE_INPUT;
                                e.commodity = p->inputs[j].commodity.ix;
                            }
                    }
                }
                if (r->n_idle >= cap &&
                    ckp_grow((void **)&r->idle, &cap, r->n_idle + 1, sizeof *r->idle)) {
                    rc = CKP_ENOMEM;
                    goto out;
                }
                r->idle[r->n_idle++] = e;
            }
        }
    }
out:
    ckp_free(up.stack);
    ckp_free(up.pos);
    ckp_free(up.mark);
    return rc;
}

/* The weighted objective's value (exposure + shortage, no tie-break) of
 * the solution of a model (build + solve with params p); NAN when it has
 * no solution. */
static ckp_status weighted_solve(const ckp_plan *plan, const ckp_model_params *p,
                                 const ckp_solve_params *sp, double *value,
                                 ckp_diag_list *diag)
{
    ckp_model *m = NULL;
    ckp_solution *s = NULL;
    ckp_status rc;
    *value = NAN;
    CKP_TRY_GOTO(rc, ckp_model_build(plan, p, &m, diag), out);
    CKP_TRY_GOTO(rc, ckp_solve(&m->mip, sp, NULL, &s, diag), out);
    if (s->x && (s->status == CKP_MIP_OPTIMAL || s->status == CKP_MIP_FEASIBLE))
        *value = exposure_part(&m->mip, m->mip.obj, s->x);
out:
    ckp_solution_free(s);
    ckp_model_free(m);
    return rc;
}

/* The solve parameters of a phase after the main solve (baseline,
 * explanation of infeasibility, best reachable value): quiet, and under a
 * time limit only the time left of it since t_run0, but at least a tenth
 * of it, so that each phase can finish its LP (docs/solver.md, "Time
 * limits"). */
static ckp_solve_params phase_params(const ckp_solve_params *sp, double t_run0)
{
    ckp_solve_params q = *sp;
    q.progress = 0;
    if (sp->time_limit > 0)
        q.time_limit = fmax(sp->time_limit - (now_s() - t_run0), 0.1 * sp->time_limit);
    return q;
}

/* The baseline's model parameters: no project, no upgrade (force/exclude
 * do not apply); under min-cost the goal's baseline, weighted without
 * the goal row.  The budget does not matter to it. */
static ckp_model_params baseline_params(const ckp_model_params *mp)
{
    ckp_model_params bp = *mp;
    bp.no_projects = 1;
    bp.force = NULL;
    bp.n_force = 0;
    bp.exclude = NULL;
    bp.n_exclude = 0;
    if (mp->min_cost) {
        bp.min_cost = 0;
        bp.target = NAN;
        bp.objective = CKP_OBJ_WEIGHTED;
    }
    return bp;
}

/* A solved baseline (ckp_baseline_solve): its final vector (after the
 * pinning LPs) over the columns of the baseline model. */
struct ckp_baseline {
    int n_cols;
    double *x;        /* NULL when the LP had no solution */
    double objective; /* NAN then */
};

void ckp_baseline_free(ckp_baseline *b)
{
    if (!b) return;
    ckp_free(b->x);
    ckp_free(b);
}

ckp_status ckp_baseline_solve(const ckp_plan *plan, const ckp_model_params *mp,
                              const ckp_solve_params *sp, ckp_baseline **out,
                              ckp_diag_list *diag)
{
    *out = NULL;
    ckp_model_params mdef;
    ckp_solve_params sdef;
    ckp_model_params_init(&mdef);
    ckp_solve_params_init(&sdef);
    if (!mp) mp = &mdef;
    if (!sp) sp = &sdef;
    ckp_model_params bp = baseline_params(mp);
    ckp_solve_params bsp = phase_params(sp, now_s());
    bsp.known_bound_set = 0;
    ckp_solve_params aux = bsp;
    aux.verbose = 0;
    aux.mip_gap = 0.0;
    if (sp->time_limit > 0) aux.time_limit = fmax(0.1 * sp->time_limit, 1.0);
    ckp_model *base = NULL;
    ckp_solution *bsol = NULL;
    double *bfin = NULL;
    ckp_baseline *b = ckp_calloc(1, sizeof *b);
    ckp_status rc = b ? CKP_OK : CKP_ENOMEM;
    if (rc == CKP_OK) rc = ckp_model_build(plan, &bp, &base, diag);
    if (rc == CKP_OK) rc = ckp_solve(&base->mip, &bsp, NULL, &bsol, diag);
    if (rc == CKP_OK) rc = post_solve_baseline(base, bsol, &aux, &bfin, diag);
    if (rc == CKP_OK) {
        b->n_cols = base->mip.n_cols;
        b->objective = bsol->x ? bsol->objective : NAN;
        if (bfin) {
            b->x = bfin;
            bfin = NULL;
        } else {
            b->x = bsol->x;
            bsol->x = NULL;
        }
        *out = b;
        b = NULL;
    }
    ckp_free(bfin);
    ckp_solution_free(bsol);
    ckp_model_free(base);
    ckp_baseline_free(b);
    return rc;
}

ckp_status ckp_run(const ckp_plan *plan, const ckp_model_params *mp,
                   const ckp_solve_params *sp, ckp_result **out,
                   ckp_diag_list *diag)
{
    return ckp_run_hinted(plan, mp, sp, NULL, out, diag);
}

ckp_status ckp_run_hinted(const ckp_plan *plan, const ckp_model_params *mp,
                          const ckp_solve_params *sp, const ckp_run_hints *hints,
                          ckp_result **out, ckp_diag_list *diag)
{
    double t_run0 = now_s();
    *out = NULL;
    if (!plan) return CKP_EINTERNAL;
    ckp_model_params mdef;
    ckp_solve_params sdef;
    ckp_model_params_init(&mdef);
    ckp_solve_params_init(&sdef);
    if (!mp) mp = &mdef;
    if (!sp) sp = &sdef;
    char msg[256];
    if (ckp_solve_params_check(sp, msg, (int)sizeof msg) != CKP_OK) {
        ckp_diag_add(diag, CKP_SEV_ERROR, NULL, 0, "bad-parameter", "%s", msg);
        return CKP_EUSAGE;
    }

    ckp_status rc = CKP_OK;
    ckp_model *model = NULL, *base = NULL;
    ckp_solution *sol = NULL, *bsol = NULL;
    double *inc = NULL, *xfin = NULL, *bfin = NULL, *bprod = NULL, *eobj_own = NULL;
    ckp_result *r = NULL;

    /* min-cost: the goal is relative to the baseline's weighted value,
       so that LP is solved first (docs/formulation.md 7c). */
    ckp_model_params mgoal = *mp;
    ckp_solve_params quiet = *sp;
    quiet.progress = 0;
    /* Lexicographic solve (docs/formulation.md 7f): no tie-break weight,
       the commitment is a key of its own. */
    if (mp->lexicographic) mgoal.tie_break = 0;
    mp = &mgoal;
    if (mp->min_cost) {
        ckp_model_params wb = *mp;
        wb.min_cost = 0;
        wb.target = NAN;
        wb.no_projects = 1;
        wb.objective = CKP_OBJ_WEIGHTED;
        double bval;
        CKP_TRY_GOTO(rc, weighted_solve(plan, &wb, &quiet, &bval, diag), cleanup);
        if (isnan(bval)) {
            ckp_diag_add(diag, CKP_SEV_ERROR, NULL, 0, "no-baseline",
                         "the baseline (no project) could not be solved, so the "
                         "exposure target cannot be set");
            rc = CKP_ESOLVER;
            goto cleanup;
        }
        mgoal.target_base = bval;
    }

    double c_start = cpu_s(), c_build = 0, c_solve = 0, c_base = 0;
    double t0 = now_s();
    CKP_TRY_GOTO(rc, ckp_model_build(plan, mp, &model, diag), cleanup);
    double build_seconds = now_s() - t0;
    /* The greedy aims at exposure, not at the goal row: not offered
       under min-cost. */
    if (hints && hints->start) /* the caller's start replaces the greedy */
        CKP_TRY_GOTO(rc, ckp_hints_start_vector(model, hints->start, &inc), cleanup);
    if (!inc && !sp->no_heuristic && !mp->min_cost) /* a tenth of the time limit */
        CKP_TRY_GOTO(rc, ckp_model_greedy_limited(model, 0.1 * sp->time_limit, &inc),
                     cleanup);
    c_build = cpu_s() - c_start;
    /* a known bound on the exposure key: stage 1 (or the one solve) only */
    ckp_solve_params s1p = *sp;
    if (hints && isfinite(hints->exposure_bound) && !mp->min_cost) {
        s1p.known_bound_set = 1;
        s1p.known_bound = hints->exposure_bound;
    }
    ckp_lex_stage lex[3];
    const double *eobj = model->mip.obj; /* the exposure measure */
    if (mp->lexicographic) {
        if (model->goal_row >= 0) {
            eobj_own = ckp_lex_exposure(model);
            if (!eobj_own) {
                rc = CKP_ENOMEM;
                goto cleanup;
            }
            eobj = eobj_own;
        }
        CKP_TRY_GOTO(rc, ckp_lex_solve_bounded(model, eobj, &s1p, inc,
                                               hints ? hints->commitment_bound : NAN, &sol,
                                               lex, diag), cleanup);
    } else {
        CKP_TRY_GOTO(rc, ckp_solve(&model->mip, &s1p, inc, &sol, diag), cleanup);
    }

    /* Baseline: no project, no upgrade (force/exclude do not apply);
       solved here unless the caller solved it once for many runs
       (ckp_run_hints.baseline: the same model whatever the budget). */
    ckp_model_params bp = baseline_params(mp);
    ckp_solve_params bsp = phase_params(sp, t_run0);
    c_solve = cpu_s() - c_start - c_build;
    CKP_TRY_GOTO(rc, ckp_model_build(plan, &bp, &base, diag), cleanup);
    const ckp_baseline *given = hints ? hints->baseline : NULL;
    if (given && given->n_cols != base->mip.n_cols) given = NULL; /* another model */
    if (!given) CKP_TRY_GOTO(rc, ckp_solve(&base->mip, &bsp, NULL, &bsol, diag), cleanup);
    c_base = cpu_s() - c_start - c_build - c_solve;

    r = ckp_calloc(1, sizeof *r);
    if (!r) {
        rc = CKP_ENOMEM;
        goto cleanup;
    }
    int Y = model->n_years, nc = plan->n_commodities, ns = plan->n_stages;
    size_t ncy = (size_t)nc * (size_t)Y, nsy = (size_t)ns * (size_t)Y;
    r->plan = plan;
    r->model_params = model->params;
    r->solve_params = *sp;
    r->objective = model->objective;
    r->budget_total = model->budget_total;
    r->shortage_penalty = model->shortage_penalty;
    r->status = sol->status;
    r->objective_value = sol->objective;
    r->bound = sol->bound;
    r->gap = sol->gap;
    r->seconds = sol->seconds;
    r->build_seconds = build_seconds;
    r->nodes = sol->nodes;
    r->limit = sol->limit;
    r->n_rows = model->mip.n_rows;
    r->n_cols = model->mip.n_cols;
    r->n_binaries = ckp_mip_n_binary(&model->mip);
    r->nnz = model->mip.nnz;
    r->heuristic_used = sol->heuristic_used;
    r->lexicographic = mp->lexicographic;
    if (mp->lexicographic) memcpy(r->lex, lex, sizeof r->lex);
    r->n_years = Y;
    r->n_producers = model->n_producers;

    r->spend = ckp_calloc((size_t)Y + 1, sizeof *r->spend);
    r->budget_limit = ckp_malloc(((size_t)Y + 1) * sizeof *r->budget_limit);
    r->production = nan_array((size_t)model->n_producers * (size_t)Y);
    r->requirement = ckp_malloc((ncy + 1) * sizeof *r->requirement);
    r->shortage = nan_array(ncy);
    r->exposure = nan_array(ncy);
    r->baseline_shortage = nan_array(ncy);
    r->baseline_exposure = nan_array(ncy);
    r->stage_exposure = nan_array(nsy);
    r->stage_baseline = nan_array(nsy);
    r->stage_top_share = nan_array(nsy);
    r->stage_hhi = nan_array(nsy);
    r->stage_top_share_baseline = nan_array(nsy);
    r->stage_hhi_baseline = nan_array(nsy);
    r->stage_top_country = ckp_malloc((nsy + 1) * sizeof *r->stage_top_country);
    r->stage_top_country_baseline =
        ckp_malloc((nsy + 1) * sizeof *r->stage_top_country_baseline);
    bprod = nan_array((size_t)model->n_producers * (size_t)Y);
    if (!r->stage_top_share || !r->stage_hhi || !r->stage_top_share_baseline ||
        !r->stage_hhi_baseline || !r->stage_top_country ||
        !r->stage_top_country_baseline || !bprod) {
        rc = CKP_ENOMEM;
        goto cleanup;
    }
    if (!r->spend || !r->budget_limit || !r->production || !r->requirement ||
        !r->shortage || !r->exposure || !r->baseline_shortage ||
        !r->baseline_exposure || !r->stage_exposure || !r->stage_baseline) {
        rc = CKP_ENOMEM;
        goto cleanup;
    }
    for (int y = 0; y < Y; y++) {
        int row = model->budget_year_row[y];
        r->budget_limit[y] = row >= 0 ? model->mip.row_ub[row] * model->money_scale
                                      : INFINITY;
    }

    /* Post-solve steps: LPs, quiet.  Under --time-limit T they get a
       budget of max(T/10, 1 s): each LP is limited to it and the pruning
       stops trying items once it is spent. */
    ckp_solve_params aux = *sp;
    aux.progress = 0;
    aux.verbose = 0;
    aux.mip_gap = 0.0;
    if (sp->time_limit > 0) aux.time_limit = fmax(0.1 * sp->time_limit, 1.0);
    double t1 = now_s();
    if (sol->x && (sol->status == CKP_MIP_OPTIMAL || sol->status == CKP_MIP_FEASIBLE))
        CKP_TRY_GOTO(rc, post_solve(model, sol, eobj, mp->lexicographic, &aux, r, &xfin, diag), cleanup);
    if (!given) CKP_TRY_GOTO(rc, post_solve_baseline(base, bsol, &aux, &bfin, diag), cleanup);
    r->post_seconds = now_s() - t1;
    const double *x = xfin ? xfin : sol->x;
    const double *bx = given ? given->x : bfin ? bfin : bsol->x;

    r->n_scenarios = model->n_scen;
    r->measure = model->measure;
    r->scenario_plan = ckp_malloc(((size_t)model->n_scen + 1) * sizeof *r->scenario_plan);
    r->scenario_prob = ckp_malloc(((size_t)model->n_scen + 1) * sizeof *r->scenario_prob);
    if (!r->scenario_plan || !r->scenario_prob) {
        rc = CKP_ENOMEM;
        goto cleanup;
    }
    memcpy(r->scenario_plan, model->scen_plan, (size_t)model->n_scen * sizeof *r->scenario_plan);
    memcpy(r->scenario_prob, model->scen_prob, (size_t)model->n_scen * sizeof *r->scenario_prob);
    CKP_TRY_GOTO(rc, portfolio(r, model, x), cleanup);
    CKP_TRY_GOTO(rc, stockpiles(r, model, x), cleanup);
    CKP_TRY_GOTO(rc, scenario_flows(r, model, base, x, bx, bprod), cleanup);
    CKP_TRY_GOTO(rc, cap_checks(r, model, x), cleanup);
    CKP_TRY_GOTO(rc, idle_projects(r, model), cleanup);
    CKP_TRY_GOTO(rc, concentration(plan, model->n_producers, Y, r->production,
                                   r->stage_top_share, r->stage_top_country,
                                   r->stage_hhi), cleanup);
    CKP_TRY_GOTO(rc, concentration(plan, base->n_producers, Y, bprod,
                                   r->stage_top_share_baseline,
                                   r->stage_top_country_baseline,
                                   r->stage_hhi_baseline), cleanup);
    r->baseline_production = bprod; /* the result owns it now */
    bprod = NULL;
    r->baseline_objective = given ? given->objective : bsol->x ? bsol->objective : NAN;

    /* why infeasible: the least relaxation (docs/formulation.md 7g) */
    if (sol->status == CKP_MIP_INFEASIBLE) {
        ckp_solve_params wsp = phase_params(sp, t_run0);
        CKP_TRY_GOTO(rc, ckp_why_infeasible(model, &wsp, &r->relax, &r->n_relax, diag),
                     cleanup);
    }

    r->min_cost = mp->min_cost;
    r->target = r->goal_base = r->goal_limit = r->goal_reached = NAN;
    r->best_reachable = NAN;
    if (mp->min_cost) {
        r->target = mp->target;
        r->goal_base = mp->target_base;
        r->goal_limit = mp->target * mp->target_base;
        if (x) { /* the goal row's measure: expected or worst scenario */
            r->goal_reached = model->measure == CKP_MEASURE_WORST ? -INFINITY : 0.0;
            for (int s = 0; s < model->n_scen; s++)
                r->goal_reached = model->measure == CKP_MEASURE_WORST
                                      ? fmax(r->goal_reached, r->scen_value[s])
                                      : r->goal_reached + model->scen_prob[s] * r->scen_value[s];
        }
        if (r->status == CKP_MIP_INFEASIBLE) {
            /* the least exposure any portfolio reaches: a plain weighted
               solve under the same constraints */
            ckp_model_params wp = *mp;
            wp.min_cost = 0;
            wp.target = NAN;
            wp.objective = CKP_OBJ_WEIGHTED;
            ckp_solve_params wsp = phase_params(sp, t_run0);
            CKP_TRY_GOTO(rc, weighted_solve(plan, &wp, &wsp, &r->best_reachable, diag),
                         cleanup);
        }
    }

    r->cpu_build = c_build;
    r->cpu_solve = c_solve;
    r->cpu_baseline = c_base;
    r->cpu_post = cpu_s() - c_start - c_build - c_solve - c_base;
    *out = r;
    r = NULL;
cleanup:
    ckp_result_free(r);
    ckp_solution_free(bsol);
    ckp_solution_free(sol);
    ckp_free(inc);
    ckp_free(eobj_own);
    ckp_free(xfin);
    ckp_free(bfin);
    ckp_free(bprod);
    ckp_model_free(base);
    ckp_model_free(model);
    return rc;
}
