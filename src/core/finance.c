/* finance.c: the result's per-year finance figures (ckp_result fin_*,
 * docs/result.md): commitment, outstanding, expected cost and contingent
 * liability of the funded projects, upgrades and stockpiles, each item's
 * yearly figure from its terms (include/ckp/terms.h, docs/finance.md)
 * shifted by its start year, and the plan's <cap> limits in force.  The
 * same functions give the model's rows (src/model/build_finance.c), so
 * the report shows what the rows limit. */
#include <math.h>

#include "ckp/terms.h"
#include "core/run_int.h"
#include "util/alloc.h"

static void add_item(ckp_result *r, int m, double total, const double *year_v)
{
    for (int y = 0; y < r->n_years; y++) r->fin_year[m * r->n_years + y] += year_v[y];
    r->fin_total[m] += total;
}

ckp_status run_finance(ckp_result *r, const ckp_model *model)
{
    const ckp_plan *plan = model->plan;
    int Y = r->n_years, first = plan->first_year;
    size_t n = (size_t)CKP_FIN_MEASURES * (size_t)Y + 1;
    r->budget_measure = plan->budget.measure;
    r->fin_year = ckp_calloc(n, sizeof *r->fin_year);
    r->fin_cap_limit = ckp_malloc(n * sizeof *r->fin_cap_limit);
    double *v = ckp_malloc(((size_t)Y + 1) * sizeof *v);
    if (!r->fin_year || !r->fin_cap_limit || !v) {
        ckp_free(v);
        return CKP_ENOMEM;
    }
    for (int m = 0; m < CKP_FIN_MEASURES; m++) {
        r->fin_total[m] = 0.0;
        r->fin_cap_total[m] = INFINITY;
        for (int y = 0; y < Y; y++) r->fin_cap_limit[m * Y + y] = INFINITY;
    }
    for (int i = 0; i < plan->budget.n_caps; i++) {
        const ckp_fin_cap *cap = &plan->budget.caps[i];
        int m = (int)cap->measure;
        if (cap->total < r->fin_cap_total[m]) r->fin_cap_total[m] = cap->total;
        for (int k = 0; k < cap->n_limits; k++) {
            int y = cap->limits[k].year - first;
            if (y >= 0 && y < Y && cap->limits[k].value < r->fin_cap_limit[m * Y + y])
                r->fin_cap_limit[m * Y + y] = cap->limits[k].value;
        }
    }
    for (int m = 0; m < CKP_FIN_MEASURES; m++) {
        ckp_fin_measure fm = (ckp_fin_measure)m;
        for (int i = 0; i < r->n_picks; i++) {
            const ckp_pick *k = &r->picks[i];
            for (int y = 0; y < Y; y++)
                v[y] = ckp_option_figure(plan, k->project, k->option, k->start, fm, first + y);
            add_item(r, m, ckp_option_figure_total(plan, k->project, k->option, k->start, fm),
                     v);
        }
        for (int i = 0; i < r->n_upgrade_picks; i++) {
            const ckp_upgrade_pick *k = &r->upgrade_picks[i];
            const ckp_upgrade *u = &plan->upgrades[k->upgrade];
            for (int y = 0; y < Y; y++)
                v[y] = ckp_spending_figure(u->cost, u->schedule, u->n_schedule, k->start, fm,
                                           first + y);
            add_item(r, m, ckp_spending_total(u->cost, fm), v);
        }
        for (int i = 0; i < r->n_stockpile_picks; i++) {
            const ckp_stockpile_pick *k = &r->stockpile_picks[i];
            for (int y = 0; y < Y; y++)
                v[y] = ckp_spending_figure(k->cost, NULL, 0, k->year, fm, first + y);
            add_item(r, m, ckp_spending_total(k->cost, fm), v);
        }
    }
    ckp_free(v);
    return CKP_OK;
}
