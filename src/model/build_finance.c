/* build_finance.c: the rows of what the bank's money limits, from the
 * options' instrument terms (docs/formulation.md 6, "Instrument terms and
 * caps"; the yearly figures are include/ckp/terms.h): the coefficients of
 * an option start in the budget rows when the budget limits another
 * measure than commitment, and the rows of the budget's <cap> elements,
 * fin_cap[measure,y] and fin_cap_total[measure].  Every figure is an
 * option's yearly figure shifted by its start year, so each row is linear
 * in the start binaries. */
#include <math.h>
#include <stdio.h>

#include "ckp/terms.h"
#include "model/build_int.h"
#include "util/alloc.h"

static ckp_status add_coef(bld *b, int row, int col, double v)
{
    if (row < 0 || v == 0.0) return CKP_OK;
    return ckp_mip_add_coef(&b->m->mip, row, col, v / CKP_MONEY_SCALE);
}

ckp_status bld_fin_option_coefs(bld *b, const ckp_start_var *s, ckp_fin_measure fm,
                                const int *year_row, int total_row)
{
    const ckp_plan *plan = b->plan;
    for (int y = 0; y < b->Y; y++) {
        if (year_row[y] < 0) continue;
        double v = ckp_option_figure(plan, s->project, s->option, s->start, fm, b->first + y);
        CKP_TRY(add_coef(b, year_row[y], s->col, v));
    }
    if (total_row >= 0)
        CKP_TRY(add_coef(b, total_row, s->col,
                         ckp_option_figure_total(plan, s->project, s->option, s->start, fm)));
    return CKP_OK;
}

/* Upgrades and stockpiles: spent money, in the flow measures only. */
static ckp_status spend_coefs(bld *b, int col, double amount, const double *sch, int n,
                              int start, ckp_fin_measure fm, const int *year_row,
                              int total_row)
{
    for (int y = 0; y < b->Y; y++)
        if (year_row[y] >= 0)
            CKP_TRY(add_coef(b, year_row[y], col,
                             ckp_spending_figure(amount, sch, n, start, fm, b->first + y)));
    return add_coef(b, total_row, col, ckp_spending_total(amount, fm));
}

/* The rows of one measure's caps: the smallest total and, per year, the
 * smallest limit over the <cap> elements of that measure. */
static ckp_status measure_rows(bld *b, ckp_fin_measure fm, int *year_row, double *limit)
{
    const ckp_plan *plan = b->plan;
    ckp_model *m = b->m;
    char name[CKP_NAME_MAX];
    double total = INFINITY;
    int any = 0;
    for (int y = 0; y < b->Y; y++) limit[y] = INFINITY;
    for (int i = 0; i < plan->budget.n_caps; i++) {
        const ckp_fin_cap *cap = &plan->budget.caps[i];
        if (cap->measure != fm) continue;
        any = 1;
        if (cap->total < total) total = cap->total;
        for (int k = 0; k < cap->n_limits; k++) {
            int y = cap->limits[k].year - b->first;
            if (y >= 0 && y < b->Y && cap->limits[k].value < limit[y])
                limit[y] = cap->limits[k].value;
        }
    }
    if (!any) return CKP_OK;
    const char *word = ckp_fin_measure_str(fm);
    for (int y = 0; y < b->Y; y++) {
        year_row[y] = -1;
        if (limit[y] == INFINITY) continue;
        snprintf(name, sizeof name, "fin_cap[%s,%d]", word, b->first + y);
        CKP_TRY(bld_add_row(b, name, -INFINITY, limit[y] / CKP_MONEY_SCALE, CKP_ROW_FIN_CAP,
                            &year_row[y]));
        bld_set_ref(b, year_row[y], (int)fm, -1, b->first + y);
    }
    int total_row = -1;
    if (isfinite(total)) {
        snprintf(name, sizeof name, "fin_cap_total[%s]", word);
        CKP_TRY(bld_add_row(b, name, -INFINITY, total / CKP_MONEY_SCALE, CKP_ROW_FIN_CAP,
                            &total_row));
        bld_set_ref(b, total_row, (int)fm, -1, -1);
    }
    for (int k = 0; k < m->n_starts; k++)
        CKP_TRY(bld_fin_option_coefs(b, &m->starts[k], fm, year_row, total_row));
    if (ckp_fin_measure_is_stock(fm)) return CKP_OK;
    for (int k = 0; k < m->n_ustarts; k++) {
        const ckp_upgrade_var *s = &m->ustarts[k];
        const ckp_upgrade *up = &plan->upgrades[s->upgrade];
        CKP_TRY(spend_coefs(b, s->col, up->cost, up->schedule, up->n_schedule, s->start, fm,
                            year_row, total_row));
    }
    for (int k = 0; k < b->nk; k++)
        if (m->stock_col[k] >= 0)
            CKP_TRY(spend_coefs(b, m->stock_col[k], plan->stockpiles[k].cost, NULL, 0,
                                plan->stockpiles[k].year, fm, year_row, total_row));
    return CKP_OK;
}

ckp_status bld_fin_cap_rows(bld *b)
{
    if (b->plan->budget.n_caps == 0) return CKP_OK;
    int *year_row = ckp_malloc(((size_t)b->Y + 1) * sizeof *year_row);
    double *limit = ckp_malloc(((size_t)b->Y + 1) * sizeof *limit);
    ckp_status rc = year_row && limit ? CKP_OK : CKP_ENOMEM;
    for (int fm = 0; fm < CKP_FIN_MEASURES && rc == CKP_OK; fm++)
        rc = measure_rows(b, (ckp_fin_measure)fm, year_row, limit);
    ckp_free(year_row);
    ckp_free(limit);
    return rc;
}
