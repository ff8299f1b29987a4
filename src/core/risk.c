/* risk.c: the supply at risk of the programme's scorecard
 * (docs/formulation.md 7j): the final demand the model leaves unmet if
 * every country of risk 1 (the chokepoint) stops exporting, with no
 * project funded and with the portfolio fixed.  Two LPs on the model
 * built without the plan's scenarios, the chokepoint's production columns
 * bounded to 0. */
#include <math.h>
#include <string.h>

#include "core/run_int.h"
#include "util/alloc.h"

/* The portfolio of r as a fixed portfolio (arrays owned by the caller). */
static ckp_status fixed_of(const ckp_result *r, ckp_fixed_portfolio *fx, int **opt, int **start,
                           int **ustart, unsigned char **stock)
{
    const ckp_plan *plan = r->plan;
    *opt = ckp_malloc(((size_t)plan->n_projects + 1) * sizeof **opt);
    *start = ckp_malloc(((size_t)plan->n_projects + 1) * sizeof **start);
    *ustart = ckp_malloc(((size_t)plan->n_upgrades + 1) * sizeof **ustart);
    *stock = ckp_calloc((size_t)plan->n_stockpiles + 1, 1);
    if (!*opt || !*start || !*ustart || !*stock) return CKP_ENOMEM;
    for (int p = 0; p < plan->n_projects; p++) (*opt)[p] = (*start)[p] = -1;
    for (int u = 0; u < plan->n_upgrades; u++) (*ustart)[u] = -1;
    for (int i = 0; i < r->n_picks; i++) {
        (*opt)[r->picks[i].project] = r->picks[i].option;
        (*start)[r->picks[i].project] = r->picks[i].start;
    }
    for (int i = 0; i < r->n_upgrade_picks; i++)
        (*ustart)[r->upgrade_picks[i].upgrade] = r->upgrade_picks[i].start;
    for (int i = 0; i < r->n_stockpile_picks; i++) (*stock)[r->stockpile_picks[i].stockpile] = 1;
    fx->option = *opt;
    fx->start = *start;
    fx->upgrade_start = *ustart;
    fx->stockpile = *stock;
    return CKP_OK;
}

/* One dispatch: after = 0 no project funded, 1 the portfolio fx.  Fills
 * out[c * Y + y] (t/yr of shortage), NAN when it cannot be solved. */
static ckp_status dispatch(const ckp_result *r, const ckp_fixed_portfolio *fx, int after,
                           const ckp_solve_params *aux, double *out)
{
    const ckp_plan *plan = r->plan;
    int Y = r->n_years, nc = plan->n_commodities;
    for (int i = 0; i < nc * Y; i++) out[i] = NAN;
    ckp_model_params mp = r->model_params;
    mp.objective = CKP_OBJ_WEIGHTED;
    mp.no_scenarios = 1;
    mp.scenario = NULL;
    mp.measure = -1;
    mp.lexicographic = 0;
    mp.tie_break = 0;
    mp.min_cost = 0;
    mp.target = NAN;
    mp.max_share = NAN;
    mp.force = mp.exclude = NULL;
    mp.n_force = mp.n_exclude = 0;
    mp.no_projects = !after;
    mp.fixed = after ? fx : NULL;
    ckp_solve_params sp = *aux;
    sp.no_heuristic = 1;
    ckp_diag_list d; /* the run has reported the plan's warnings already */
    ckp_diag_list_init(&d);
    ckp_model *m = NULL;
    ckp_solution *sol = NULL;
    ckp_status rc = ckp_model_build(plan, &mp, &m, &d);
    if (rc == CKP_OK) {
        for (int g = 0; g < m->n_producers; g++) {
            if (!(ckp_plan_producer_risk(plan, g) >= 1.0)) continue;
            for (int y = 0; y < Y; y++) {
                int j = m->prod_col[(size_t)g * Y + y];
                if (j >= 0) m->mip.col_lb[j] = m->mip.col_ub[j] = 0.0;
            }
        }
        rc = ckp_solve(&m->mip, &sp, NULL, &sol, &d);
    }
    if (rc == CKP_OK && sol->x &&
        (sol->status == CKP_MIP_OPTIMAL || sol->status == CKP_MIP_FEASIBLE))
        for (int c = 0; c < nc; c++)
            for (int y = 0; y < Y; y++) {
                int j = m->short_col[c * Y + y];
                out[c * Y + y] = j >= 0 ? sol->x[j] * m->qty_scale : 0.0;
            }
    if (rc != CKP_ENOMEM) rc = CKP_OK; /* a figure left empty, not a failed run */
    ckp_solution_free(sol);
    ckp_model_free(m);
    ckp_diag_list_fini(&d);
    return rc;
}

ckp_status run_supply_at_risk(ckp_result *r, const ckp_solve_params *aux)
{
    const ckp_plan *plan = r->plan;
    int any = 0;
    for (int k = 0; k < plan->n_countries && !any; k++) any = plan->countries[k].risk >= 1.0;
    if (!any || r->status == CKP_MIP_INFEASIBLE || !r->production) return CKP_OK;
    size_t ncy = (size_t)plan->n_commodities * (size_t)r->n_years;
    int *opt = NULL, *start = NULL, *ustart = NULL;
    unsigned char *stock = NULL;
    ckp_fixed_portfolio fx;
    ckp_status rc = CKP_OK;
    double *risk = ckp_malloc((2 * ncy + 1) * sizeof *risk);
    if (!risk) return CKP_ENOMEM;
    CKP_TRY_GOTO(rc, fixed_of(r, &fx, &opt, &start, &ustart, &stock), out);
    CKP_TRY_GOTO(rc, dispatch(r, &fx, 0, aux, risk), out);
    CKP_TRY_GOTO(rc, dispatch(r, &fx, 1, aux, risk + ncy), out);
    r->supply_at_risk = risk;
    risk = NULL;
out:
    ckp_free(risk);
    ckp_free(opt);
    ckp_free(start);
    ckp_free(ustart);
    ckp_free(stock);
    return rc;
}
