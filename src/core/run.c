/* run.c: one solve of a plan from end to end (see ckp/result.h): build the
 * model, compute the greedy incumbent, solve the portfolio MIP, solve the
 * baseline (the same model with no project and no upgrade: an LP), and
 * extract a ckp_result the reports read (core/extract.c).
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
 * Post-solve steps (docs/formulation.md section 7; core/post.c), on a
 * copy of the MIP whose binaries are all fixed, so every solve is an LP:
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

#include "core/hints.h"
#include "core/lex.h"
#include "core/run_int.h"
#include "core/why.h"
#include "util/alloc.h"
#include "util/clock.h"

void ckp_result_free(ckp_result *r)
{
    if (!r) return;
    ckp_baseline_free(r->baseline_run);
    ckp_free(r->picks);
    ckp_free(r->upgrade_picks);
    ckp_free(r->spend);
    ckp_free(r->budget_limit);
    ckp_free(r->fin_year);
    ckp_free(r->fin_cap_limit);
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
    ckp_free(r->supply_at_risk);
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
        *value = run_exposure_part(&m->mip, m->mip.obj, s->x);
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
        q.time_limit = fmax(sp->time_limit - (ckp_clock_wall() - t_run0), 0.1 * sp->time_limit);
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
    ckp_solve_params bsp = phase_params(sp, ckp_clock_wall());
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
    if (rc == CKP_OK) rc = run_post_solve_baseline(base, bsol, &aux, &bfin, diag);
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
    double t_run0 = ckp_clock_wall();
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

    double c_start = ckp_clock_cpu(), c_build = 0, c_solve = 0, c_base = 0;
    double t0 = ckp_clock_wall();
    CKP_TRY_GOTO(rc, ckp_model_build(plan, mp, &model, diag), cleanup);
    double build_seconds = ckp_clock_wall() - t0;
    /* The greedy aims at exposure, not at the goal row: not offered
       under min-cost. */
    if (hints && hints->start) /* the caller's start replaces the greedy */
        CKP_TRY_GOTO(rc, ckp_hints_start_vector(model, hints->start, &inc), cleanup);
    if (!inc && !sp->no_heuristic && !mp->min_cost) /* a tenth of the time limit */
        CKP_TRY_GOTO(rc, ckp_model_greedy_limited(model, 0.1 * sp->time_limit, &inc),
                     cleanup);
    c_build = ckp_clock_cpu() - c_start;
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
    c_solve = ckp_clock_cpu() - c_start - c_build;
    CKP_TRY_GOTO(rc, ckp_model_build(plan, &bp, &base, diag), cleanup);
    const ckp_baseline *given = hints ? hints->baseline : NULL;
    if (given && given->n_cols != base->mip.n_cols) given = NULL; /* another model */
    if (!given) CKP_TRY_GOTO(rc, ckp_solve(&base->mip, &bsp, NULL, &bsol, diag), cleanup);
    c_base = ckp_clock_cpu() - c_start - c_build - c_solve;

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
    r->production = run_nan_array((size_t)model->n_producers * (size_t)Y);
    r->requirement = ckp_malloc((ncy + 1) * sizeof *r->requirement);
    r->shortage = run_nan_array(ncy);
    r->exposure = run_nan_array(ncy);
    r->baseline_shortage = run_nan_array(ncy);
    r->baseline_exposure = run_nan_array(ncy);
    r->stage_exposure = run_nan_array(nsy);
    r->stage_baseline = run_nan_array(nsy);
    r->stage_top_share = run_nan_array(nsy);
    r->stage_hhi = run_nan_array(nsy);
    r->stage_top_share_baseline = run_nan_array(nsy);
    r->stage_hhi_baseline = run_nan_array(nsy);
    r->stage_top_country = ckp_malloc((nsy + 1) * sizeof *r->stage_top_country);
    r->stage_top_country_baseline =
        ckp_malloc((nsy + 1) * sizeof *r->stage_top_country_baseline);
    bprod = run_nan_array((size_t)model->n_producers * (size_t)Y);
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
    double t1 = ckp_clock_wall();
    if (sol->x && (sol->status == CKP_MIP_OPTIMAL || sol->status == CKP_MIP_FEASIBLE))
        CKP_TRY_GOTO(rc, run_post_solve(model, sol, eobj, mp->lexicographic, &aux, r, &xfin, diag), cleanup);
    if (!given) CKP_TRY_GOTO(rc, run_post_solve_baseline(base, bsol, &aux, &bfin, diag), cleanup);
    r->post_seconds = ckp_clock_wall() - t1;
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
    CKP_TRY_GOTO(rc, run_portfolio(r, model, x), cleanup);
    CKP_TRY_GOTO(rc, run_stockpiles(r, model, x), cleanup);
    CKP_TRY_GOTO(rc, run_finance(r, model), cleanup);
    CKP_TRY_GOTO(rc, run_scenario_flows(r, model, base, x, bx, bprod), cleanup);
    CKP_TRY_GOTO(rc, run_cap_checks(r, model, x), cleanup);
    CKP_TRY_GOTO(rc, run_idle_projects(r, model), cleanup);
    CKP_TRY_GOTO(rc, run_concentration(plan, model->n_producers, Y, r->production,
                                   r->stage_top_share, r->stage_top_country,
                                   r->stage_hhi), cleanup);
    CKP_TRY_GOTO(rc, run_concentration(plan, base->n_producers, Y, bprod,
                                   r->stage_top_share_baseline,
                                   r->stage_top_country_baseline,
                                   r->stage_hhi_baseline), cleanup);
    r->baseline_production = bprod; /* the result owns it now */
    bprod = NULL;
    r->baseline_objective = given ? given->objective : bsol->x ? bsol->objective : NAN;
    if (!mp->min_cost) { /* kept for re-runs at another budget */
        r->baseline_run = ckp_calloc(1, sizeof *r->baseline_run);
        if (!r->baseline_run) {
            rc = CKP_ENOMEM;
            goto cleanup;
        }
        r->baseline_run->n_cols = base->mip.n_cols;
        r->baseline_run->objective = r->baseline_objective;
        if (bx) {
            r->baseline_run->x = ckp_malloc(((size_t)base->mip.n_cols + 1) * sizeof *bx);
            if (!r->baseline_run->x) {
                rc = CKP_ENOMEM;
                goto cleanup;
            }
            memcpy(r->baseline_run->x, bx, (size_t)base->mip.n_cols * sizeof *bx);
        }
    }

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

    /* the scorecard's supply at risk (docs/formulation.md 7j): two LPs */
    if (x) CKP_TRY_GOTO(rc, run_supply_at_risk(r, &aux), cleanup);

    r->cpu_build = c_build;
    r->cpu_solve = c_solve;
    r->cpu_baseline = c_base;
    r->cpu_post = ckp_clock_cpu() - c_start - c_build - c_solve - c_base;
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
