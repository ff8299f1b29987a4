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
 * (schedule entries past the last year are not in any year's spend). */
#include "ckp/result.h"

#include <math.h>
#include <string.h>
#include <time.h>

#include "util/alloc.h"

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
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
    ckp_free(r);
}

/* Risk of producer f (facilities, then projects; a project without a
 * country of its own takes its site's). */
static double producer_risk(const ckp_plan *plan, int f)
{
    int c = -1;
    if (f < plan->n_facilities) {
        c = plan->facilities[f].country.ix;
    } else {
        const ckp_project *p = &plan->projects[f - plan->n_facilities];
        c = p->country.ix;
        if (c < 0 && p->site.ix >= 0) c = plan->sites[p->site.ix].country.ix;
    }
    return c >= 0 ? plan->countries[c].risk : 0.0;
}

static int producer_output(const ckp_plan *plan, int f)
{
    if (f < plan->n_facilities) return plan->facilities[f].output.ix;
    return plan->projects[f - plan->n_facilities].output.ix;
}

static double *nan_array(size_t n)
{
    double *a = ckp_malloc((n ? n : 1) * sizeof *a);
    if (a)
        for (size_t i = 0; i < n; i++) a[i] = NAN;
    return a;
}

/* Production (t/yr, may be NULL), shortage and exposure per commodity and
 * year from a solution vector x of model m; NAN everywhere when x is
 * NULL.  stage: the requirement-weighted share per stage and year. */
static ckp_status flows(const ckp_model *m, const double *x, double *production,
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
        double r = producer_risk(plan, f);
        int c = producer_output(plan, f);
        for (int y = 0; y < Y; y++) {
            int col = m->prod_col[f * Y + y];
            double q = col >= 0 ? x[col] * qs : 0.0;
            if (q < 0) q = 0; /* LP round-off below a zero bound */
            if (production) production[f * Y + y] = q;
            if (c >= 0) risky[c * Y + y] += r * q;
        }
    }
    for (int c = 0; c < nc; c++) {
        int s = plan->commodities[c].stage.ix;
        for (int y = 0; y < Y; y++) {
            int col = m->short_col[c * Y + y];
            double sh = col >= 0 ? x[col] * qs : 0.0;
            shortage[c * Y + y] = sh < 0 ? 0 : sh;
            double R = m->requirement[c * Y + y];
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
                p->capacity * (1.0 - producer_risk(plan, plan->n_facilities + s->project));
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
    r->private_capital = r->capex_total - project_commit;
    return CKP_OK;
}

ckp_status ckp_run(const ckp_plan *plan, const ckp_model_params *mp,
                   const ckp_solve_params *sp, ckp_result **out,
                   ckp_diag_list *diag)
{
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
    double *inc = NULL;
    ckp_result *r = NULL;

    double t0 = now_s();
    CKP_TRY_GOTO(rc, ckp_model_build(plan, mp, &model, diag), cleanup);
    double build_seconds = now_s() - t0;
    if (!sp->no_heuristic) CKP_TRY_GOTO(rc, ckp_model_greedy(model, &inc), cleanup);
    CKP_TRY_GOTO(rc, ckp_solve(&model->mip, sp, inc, &sol, diag), cleanup);

    /* Baseline: no project, no upgrade (force/exclude do not apply). */
    ckp_model_params bp = *mp;
    bp.no_projects = 1;
    bp.force = NULL;
    bp.n_force = 0;
    bp.exclude = NULL;
    bp.n_exclude = 0;
    ckp_solve_params bsp = *sp;
    bsp.progress = 0;
    CKP_TRY_GOTO(rc, ckp_model_build(plan, &bp, &base, diag), cleanup);
    CKP_TRY_GOTO(rc, ckp_solve(&base->mip, &bsp, NULL, &bsol, diag), cleanup);

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
    r->n_rows = model->mip.n_rows;
    r->n_cols = model->mip.n_cols;
    r->n_binaries = ckp_mip_n_binary(&model->mip);
    r->nnz = model->mip.nnz;
    r->heuristic_used = sol->heuristic_used;
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
    memcpy(r->requirement, model->requirement, ncy * sizeof *r->requirement);

    CKP_TRY_GOTO(rc, portfolio(r, model, sol->x), cleanup);
    CKP_TRY_GOTO(rc, flows(model, sol->x, r->production, r->shortage, r->exposure,
                           r->stage_exposure), cleanup);
    CKP_TRY_GOTO(rc, flows(base, bsol->x, NULL, r->baseline_shortage,
                           r->baseline_exposure, r->stage_baseline), cleanup);
    r->baseline_objective = bsol->x ? bsol->objective : NAN;

    *out = r;
    r = NULL;
cleanup:
    ckp_result_free(r);
    ckp_solution_free(bsol);
    ckp_solution_free(sol);
    ckp_free(inc);
    ckp_model_free(base);
    ckp_model_free(model);
    return rc;
}
