/* hints.c: what a caller may know before a run (ckp_run_hints,
 * ckp/result.h): a portfolio to start from, turned here into the
 * column vector the solver offers as its first incumbent (the greedy's
 * format, ckp_model_greedy).  The bounds go to the solver as they are
 * (core/run.c, core/lex.c); the baseline cache lives in core/run.c, next
 * to the baseline solve it replaces. */
#include "core/hints.h"

#include <math.h>

#include "util/alloc.h"

void ckp_run_hints_init(ckp_run_hints *h)
{
    h->start = NULL;
    h->exposure_bound = NAN;
    h->commitment_bound = NAN;
    h->baseline = NULL;
}

ckp_status ckp_hints_start_vector(const ckp_model *m, const ckp_fixed_portfolio *pf,
                                  double **out)
{
    const ckp_plan *plan = m->plan;
    const ckp_mip *mip = &m->mip;
    *out = NULL;
    double *x = ckp_malloc(((size_t)mip->n_cols + 1) * sizeof *x);
    if (!x) return CKP_ENOMEM;
    for (int j = 0; j < mip->n_cols; j++)
        x[j] = mip->col_kind[j] == CKP_COL_BINARY ? 0.0 : NAN;
    int found = 0, wanted = 0;
    for (int p = 0; p < plan->n_projects; p++) wanted += pf->option[p] >= 0;
    for (int u = 0; u < plan->n_upgrades; u++) wanted += pf->upgrade_start[u] >= 0;
    for (int k = 0; pf->stockpile && k < plan->n_stockpiles; k++) wanted += pf->stockpile[k] != 0;
    for (int k = 0; k < m->n_starts; k++) {
        const ckp_start_var *v = &m->starts[k];
        if (pf->option[v->project] == v->option && pf->start[v->project] == v->start) {
            x[v->col] = 1.0;
            found++;
        }
    }
    for (int k = 0; k < m->n_ustarts; k++) {
        const ckp_upgrade_var *v = &m->ustarts[k];
        if (pf->upgrade_start[v->upgrade] == v->start) {
            x[v->col] = 1.0;
            found++;
        }
    }
    for (int k = 0; pf->stockpile && k < plan->n_stockpiles; k++)
        if (pf->stockpile[k] && m->stock_col && m->stock_col[k] >= 0) {
            x[m->stock_col[k]] = 1.0;
            found++;
        }
    if (found != wanted) { /* a decision without a column: not a start */
        ckp_free(x);
        return CKP_OK;
    }
    *out = x;
    return CKP_OK;
}
