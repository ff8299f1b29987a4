/* post.c: the post-solve steps of one run (docs/formulation.md section 7;
 * the list is in run.c's opening comment): pruning, the lexicographic
 * pinning under worst case and min-max, and the same for the baseline, each
 * an LP on a copy of the MIP with every binary fixed.  Part of the run
 * (run.c). */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/lex.h"
#include "core/run_int.h"
#include "util/alloc.h"
#include "util/clock.h"

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
double run_exposure_part(const ckp_mip *m, const double *eobj, const double *x)
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
/* The reduced-cost screen of the pruning (lexicographic runs, where the
 * objective is the exposure: docs/solver.md 5c): stage 1's root reduced
 * costs dj (NULL = no screen) and root LP z. */
typedef struct prune_screen {
    const double *dj;
    double z;
    long skipped; /* LPs not solved */
} prune_screen;

static ckp_status try_fixing(const ckp_model *model, ckp_mip *lp, const double *eobj,
                             const ckp_solve_params *aux, double limit, prune_screen *scr,
                             ckp_solution **cur, int *accepted, ckp_diag_list *diag)
{
    ckp_solution *s = NULL;
    *accepted = 0;
    /* the bound of stage 1's root LP already exceeds the limit: the LP
       would not be accepted, it is not solved */
    if (scr->dj && ckp_lex_rc_sum(lp, scr->dj) > ckp_lex_rc_room(scr->z, limit)) {
        scr->skipped++;
        return CKP_OK;
    }
    CKP_TRY(solve_lp(lp, aux, &s, diag));
    if (s && run_exposure_part(&model->mip, eobj, s->x) <= limit) {
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
                        const ckp_solve_params *aux, prune_screen *scr,
                        ckp_solution **final, int *n_dropped, ckp_diag_list *diag)
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
    double e0 = run_exposure_part(&model->mip, eobj, cur->x);
    double limit = any_feasible ? INFINITY : e0 + rel_tol(CKP_PRUNE_REL_TOL, e0);
    /* Under a time limit the pruning gets at most its own budget (see
       ckp_run); what was accepted so far stays consistent.  Passes repeat
       while one changed something (a drop can make another item, say one
       a dropped project required, removable); each change lowers the
       commitment, so this ends. */
    double deadline = aux->time_limit > 0 ? ckp_clock_wall() + aux->time_limit : INFINITY;
    int changed = 1;
    while (changed && ckp_clock_wall() < deadline) {
        changed = 0;
        memset(tried, 0, (size_t)model->n_starts);
        for (int i = 0; i < n && ckp_clock_wall() < deadline; i++) {
            int j = items[i].col;
            if (lp->col_ub[j] == 0.0) continue; /* dropped */
            lp->col_lb[j] = lp->col_ub[j] = 0.0;
            CKP_TRY_GOTO(rc, try_fixing(model, lp, eobj, aux, limit, scr, &cur, &accepted, diag),
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
            for (int pass = 0; pass < pr->n_options && ckp_clock_wall() < deadline; pass++) {
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
                CKP_TRY_GOTO(rc, try_fixing(model, lp, eobj, aux, limit, scr, &cur,
                                            &accepted, diag), done);
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

ckp_status run_prune_start(const ckp_model *model, const double *x, const double *dj,
                           double z, const ckp_solve_params *aux, double **x_out,
                           ckp_diag_list *diag)
{
    ckp_mip lp;
    ckp_solution *fin = NULL;
    int dropped = 0;
    prune_screen scr = {dj, z, 0};
    *x_out = NULL;
    ckp_status rc = ckp_mip_copy(&model->mip, &lp);
    if (rc == CKP_OK)
        rc = prune(model, x, &lp, model->mip.obj, 0, 0, aux, &scr, &fin, &dropped, diag);
    if (rc == CKP_OK && fin && dropped > 0) {
        *x_out = fin->x;
        fin->x = NULL;
    }
    ckp_solution_free(fin);
    ckp_mip_fini(&lp);
    return rc;
}

/* Both steps for the portfolio.  On success *x_final is the vector to
 * report (owned by the caller; NULL = keep sol->x) and the objective,
 * bound and gap in r are updated when the portfolio changed. */
ckp_status run_post_solve(const ckp_model *model, const ckp_solution *sol,
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
    /* The screen: lexicographic, not min-cost (the model's objective is
       then the exposure, no tie-break weight on the binaries, and stage
       1's root bound holds for it); the limit is an exposure there. */
    prune_screen scr = {NULL, 0, 0};
    if (lex && model->goal_row < 0 && eobj == model->mip.obj && sol->root_dj) {
        scr.dj = sol->root_dj;
        scr.z = sol->root_lp;
    }
    if (rc == CKP_OK)
        rc = prune(model, sol->x, &lp, eobj, any_feasible, skip, aux, &scr, &fin, &dropped,
                   diag);
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
        /* a proven optimum keeps its gap of 0: the objective recomputed
           at the LP's point differs from the search's in the last bits
           only (1e-16), which is rounding, not a gap, and would make the
           same answer print differently after a search or a start proven
           at a known bound (docs/solver.md, "Hints") */
        if (sol->status == CKP_MIP_OPTIMAL && sol->gap == 0.0 && r->gap < 1e-12) r->gap = 0.0;
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
ckp_status run_post_solve_baseline(const ckp_model *base, const ckp_solution *bsol,
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
