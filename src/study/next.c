/* next.c: what the next 100 M would buy (docs/reports.md, "What the next
 * 100 M would buy"): the plan re-solved with the same model and solve
 * settings at the total budget + step, the portfolio free, and the funded
 * items that differ.  The result is attached to the solve's ckp_result
 * (r->next); the reports only render it. */
#include "ckp/study.h"

#include <math.h>
#include <string.h>

#include "study/study_int.h"
#include "util/alloc.h"

/* The funded items of a result in report order (projects, upgrades,
 * stockpiles) as (kind, plan index, option, start). */
typedef struct item {
    int kind; /* 0 project, 1 upgrade, 2 stockpile */
    int ix, option, start;
} item;

static int n_items(const ckp_result *r)
{
    return r->n_picks + r->n_upgrade_picks + r->n_stockpile_picks;
}

static item item_at(const ckp_result *r, int k)
{
    if (k < r->n_picks)
        return (item){0, r->picks[k].project, r->picks[k].option, r->picks[k].start};
    k -= r->n_picks;
    if (k < r->n_upgrade_picks)
        return (item){1, r->upgrade_picks[k].upgrade, 0, r->upgrade_picks[k].start};
    k -= r->n_upgrade_picks;
    return (item){2, r->stockpile_picks[k].stockpile, 0, r->stockpile_picks[k].year};
}

/* Index of the funded item of kind and plan index ix in r, -1 if none. */
static int find(const ckp_result *r, int kind, int ix)
{
    for (int k = 0; k < n_items(r); k++) {
        item it = item_at(r, k);
        if (it.kind == kind && it.ix == ix) return k;
    }
    return -1;
}

static int has_portfolio(const ckp_result *r)
{
    return r && (r->status == CKP_MIP_OPTIMAL || r->status == CKP_MIP_FEASIBLE);
}

/* The changes from a to b, by kind (projects, upgrades, stockpiles) and
 * plan index. */
static ckp_status changes(const ckp_result *a, const ckp_result *b, ckp_next_budget *n)
{
    const ckp_plan *plan = a->plan;
    int na = n_items(a), nb = n_items(b);
    n->changes = ckp_calloc((size_t)na + (size_t)nb + 1, sizeof *n->changes);
    if (!n->changes) return CKP_ENOMEM;
    for (int kind = 0; kind < 3; kind++) {
        int count = kind == 0 ? plan->n_projects : kind == 1 ? plan->n_upgrades
                                                             : plan->n_stockpiles;
        for (int ix = 0; ix < count; ix++) {
            int ka = find(a, kind, ix), kb = find(b, kind, ix);
            if (ka < 0 && kb < 0) continue;
            ckp_next_change *c = &n->changes[n->n_changes];
            c->before = ka;
            c->after = kb;
            if (ka < 0) c->kind = CKP_NEXT_ADDED;
            else if (kb < 0) c->kind = CKP_NEXT_DROPPED;
            else {
                item x = item_at(a, ka), y = item_at(b, kb);
                if (x.option == y.option && x.start == y.start) continue;
                c->kind = CKP_NEXT_CHANGED;
            }
            n->n_changes++;
        }
    }
    return CKP_OK;
}

static void next_free(ckp_next_budget *n)
{
    if (!n) return;
    ckp_result_free(n->result);
    ckp_free(n->changes);
    ckp_free(n);
}

ckp_status ckp_next_budget_run(const ckp_plan *plan, const ckp_model_params *mp,
                               const ckp_solve_params *sp, ckp_result *r, double step,
                               ckp_diag_list *diag)
{
    if (!plan || !mp || !sp || !r || !(step > 0)) return CKP_EINTERNAL;
    ckp_next_budget *n = ckp_calloc(1, sizeof *n);
    if (!n) return CKP_ENOMEM;
    n->step = step;
    n->budget = NAN;
    n->cut = NAN;
    if (mp->fixed) n->state = CKP_NEXT_FIXED;
    else if (r->min_cost) n->state = CKP_NEXT_MIN_COST;
    else if (!isfinite(r->budget_total)) n->state = CKP_NEXT_NO_TOTAL;
    else n->state = CKP_NEXT_SOLVED;
    if (n->state != CKP_NEXT_SOLVED || !has_portfolio(r)) {
        next_free(r->next);
        r->next = n;
        return CKP_OK;
    }
    ckp_model_params m = *mp;
    ckp_solve_params s = *sp;
    s.progress = 0;
    s.verbose = 0;
    m.budget_total = r->budget_total + step;
    n->budget = m.budget_total;
    /* warm start: r's portfolio fits the larger budget (docs/study.md,
       "Warm starts") */
    st_start warm;
    ckp_run_hints h;
    ckp_run_hints_init(&h);
    ckp_status st = st_start_from(r, -1, &warm);
    if (st == CKP_OK) {
        h.start = &warm.fx;
        h.baseline = r->baseline_run; /* the same at any budget: not solved again */
        st = ckp_run_hinted(plan, &m, &s, &h, &n->result, diag);
        st_start_fini(&warm);
    }
    if (st == CKP_OK && has_portfolio(n->result)) {
        st = changes(r, n->result, n);
        double a = r->objective_value, b = n->result->objective_value;
        n->cut = a - b;
        n->buys = n->cut > 1e-7 * fmax(1.0, fabs(a));
    }
    if (st != CKP_OK) {
        next_free(n);
        return st;
    }
    next_free(r->next);
    r->next = n;
    return CKP_OK;
}
