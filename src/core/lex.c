/* lex.c: the lexicographic solve of ckp_run (see lex.h and
 * docs/formulation.md section 7f).  Three MIPs on copies of the model:
 *   1. the model as built (tie_break = 0): weighted, min-max or scenario
 *      exposure + shortage; min-cost: the bank commitment;
 *   2. the first key held, key1 <= v1 + tol(v1), minimising the second:
 *      the commitment (min-cost: the goal's exposure measure);
 *   3. both held, the order key (earliest start, then plan order)
 *      lowered by single moves.
 * Each later stage starts from the previous stage's portfolio (offered as
 * the first incumbent) and runs under the same node limits; under a time
 * limit T it gets what is left of T, at least T/10.  A stage that ends
 * without a portfolio (numerical trouble) leaves the previous one.
 * Stage 3 is not a MIP: a deterministic pass of LPs with every binary
 * fixed (order_pass below), which costs far less than a third search. */
#include "core/lex.h"

#include "core/run_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util/alloc.h"
#include "util/clock.h"

double ckp_lex_tol(double v)
{
    double t = 1e-7 * fabs(v);
    return t > 1e-9 ? t : 1e-9;
}

double *ckp_lex_exposure(const ckp_model *m)
{
    const ckp_mip *mip = &m->mip;
    double *e = ckp_calloc((size_t)mip->n_cols + 1, sizeof *e);
    if (!e) return NULL;
    if (m->goal_row < 0) {
        memcpy(e, mip->obj, (size_t)mip->n_cols * sizeof *e);
        return e;
    }
    for (int k = 0; k < mip->nnz; k++)
        if (mip->ia[k] == m->goal_row) e[mip->ja[k]] = mip->ar[k];
    return e;
}

/* The bank commitment of each binary column, model money units. */
static void commitment_key(const ckp_model *m, double *key)
{
    const ckp_plan *plan = m->plan;
    for (int k = 0; k < m->n_starts; k++) {
        const ckp_start_var *v = &m->starts[k];
        key[v->col] = plan->projects[v->project].options[v->option].commitment /
                      m->money_scale;
    }
    for (int k = 0; k < m->n_ustarts; k++)
        key[m->ustarts[k].col] = plan->upgrades[m->ustarts[k].upgrade].cost / m->money_scale;
    for (int k = 0; k < plan->n_stockpiles; k++)
        if (m->stock_col && m->stock_col[k] >= 0)
            key[m->stock_col[k]] = plan->stockpiles[k].cost / m->money_scale;
}

/* The order key of each binary column: K x (start - first year) + the
 * item's position (projects in plan order, then upgrades, then
 * stockpiles), K = N(N-1)/2 + 1 for N items: one year earlier anywhere
 * outweighs every difference in the sum of positions. */
static void order_key(const ckp_model *m, double *key)
{
    const ckp_plan *plan = m->plan;
    int np = plan->n_projects, nu = plan->n_upgrades, nk = plan->n_stockpiles;
    double N = (double)np + nu + nk, K = N * (N - 1) / 2 + 1;
    int first = plan->first_year;
    for (int k = 0; k < m->n_starts; k++) {
        const ckp_start_var *v = &m->starts[k];
        key[v->col] = K * fmax(0, v->start - first) + v->project;
    }
    for (int k = 0; k < m->n_ustarts; k++) {
        const ckp_upgrade_var *v = &m->ustarts[k];
        key[v->col] = K * fmax(0, v->start - first) + np + v->upgrade;
    }
    for (int k = 0; k < nk; k++)
        if (m->stock_col && m->stock_col[k] >= 0)
            key[m->stock_col[k]] = K * fmax(0, plan->stockpiles[k].year - first) + np + nu + k;
}

/* A key's value at x, binaries rounded to 0/1 (GLPK's integer tolerance
 * would otherwise show a commitment of 99.99998 for 100). */
static double key_value(const ckp_mip *mip, const double *key, double cst, const double *x)
{
    double v = cst;
    for (int j = 0; j < mip->n_cols; j++)
        v += key[j] * (mip->col_kind[j] == CKP_COL_BINARY ? (x[j] > 0.5 ? 1.0 : 0.0) : x[j]);
    return v;
}

/* Reduced-cost fixing against the held first key (docs/solver.md 5c).
 * Stage 1's root LP gives, for every point x of the model,
 *   key1(x) >= z + sum_j d_j (x_j - r_j)
 * (z its objective, d_j the reduced cost of a non-basic binary at its
 * root value r_j; every term >= 0).  A point of stage 2 or 3 has
 * key1(x) <= held, so a binary whose |d_j| exceeds room = held - z (plus
 * a margin for GLPK's tolerances) stays at its root value.  fix[j]: 0
 * free, 1 at 0, 2 at 1.  A column where prev (stage 1's portfolio, which
 * satisfies the hold) disagrees is never fixed, so prev stays feasible.
 * Returns how many columns were fixed. */
#define LEX_RC_MARGIN 1e-6
double ckp_lex_rc_room(double root_lp, double held)
{
    double room = held - root_lp;
    if (!(room > 0)) room = 0;
    return room + LEX_RC_MARGIN * (1.0 + fabs(held));
}

static int rc_fixing(const ckp_model *m, const ckp_solution *s1, double held,
                     const double *prev, unsigned char *fix)
{
    const ckp_mip *mip = &m->mip;
    double room = ckp_lex_rc_room(s1->root_lp, held);
    int n = 0;
    for (int j = 0; j < mip->n_cols; j++) {
        fix[j] = 0;
        if (mip->col_kind[j] != CKP_COL_BINARY || mip->col_lb[j] == mip->col_ub[j]) continue;
        double d = s1->root_dj[j];
        if (d > room && !(prev[j] > 0.5))
            fix[j] = 1;
        else if (-d > room && prev[j] > 0.5)
            fix[j] = 2;
        n += fix[j] != 0;
    }
    return n;
}

/* The share of the reduced-cost bound above (the sum over every binary,
 * not one column at a time) that a binary at value v adds:
 * |d_j| |v - r_j|, r_j = 0 when d_j > 0 (non-basic at 0), 1 when
 * d_j < 0 (at 1).  No term when |d_j| <= LEX_RC_MIN_DJ (basic,
 * degenerate, or within GLPK's dual tolerance, where the sign, hence the
 * root value, is not certain): leaving a term out only weakens the
 * bound, so summed over thousands of binaries it stays valid. */
#define LEX_RC_MIN_DJ 1e-6
double ckp_lex_rc_term(const double *dj, int j, double v)
{
    double d = dj[j];
    return d > LEX_RC_MIN_DJ ? d * v : d < -LEX_RC_MIN_DJ ? -d * (1.0 - v) : 0.0;
}

/* The reduced-cost screen of the order pass: sum of rc_term over the
 * binaries of lp (every one fixed). */
double ckp_lex_rc_sum(const ckp_mip *lp, const double *dj)
{
    double t = 0;
    for (int j = 0; j < lp->n_cols; j++)
        if (lp->col_kind[j] == CKP_COL_BINARY) t += ckp_lex_rc_term(dj, j, lp->col_lb[j]);
    return t;
}

/* Stage k + 1 (k = 1): a copy of m->mip with the rows "key i <= held[i]"
 * for i < k, minimising keys[k], the portfolio prev offered first; the
 * binaries of fix (NULL = none) at their fixed values. */
/* A start that reaches the caller's known bound (ckp_solve_params
 * known_bound, e.g. a sweep point's larger budget) is optimal without a
 * search: the LP with the start's binaries fixed (the completion the
 * solver would make of it), and when its objective is within 1e-9
 * (relative, the solver's own stop) of the bound, *out is that solution,
 * optimal, no node.  *out = NULL otherwise (the start breaks a row or
 * does not reach the bound): the caller searches as usual. */
static ckp_status start_at_bound(const ckp_mip *mip, const ckp_solve_params *sp,
                                 const double *inc, ckp_solution **out, ckp_diag_list *diag)
{
    *out = NULL;
    if (!sp->known_bound_set || !inc) return CKP_OK;
    ckp_mip lp;
    CKP_TRY(ckp_mip_copy(mip, &lp));
    for (int j = 0; j < lp.n_cols; j++)
        if (lp.col_kind[j] == CKP_COL_BINARY) {
            lp.col_kind[j] = CKP_COL_CONTINUOUS;
            lp.col_lb[j] = lp.col_ub[j] = inc[j] > 0.5 ? 1.0 : 0.0;
        }
    ckp_solve_params aux = *sp;
    aux.known_bound_set = 0;
    aux.progress = aux.verbose = 0;
    aux.on_progress = NULL;
    ckp_diag_list quiet; /* an infeasible start is not an error */
    ckp_diag_list_init(&quiet);
    ckp_solution *s = NULL;
    ckp_status rc = ckp_solve(&lp, &aux, NULL, &s, &quiet);
    ckp_diag_list_fini(&quiet);
    ckp_mip_fini(&lp);
    if (rc == CKP_ENOMEM) return rc;
    (void)diag;
    double kb = sp->known_bound;
    if (rc == CKP_OK && s && s->x && s->status == CKP_MIP_OPTIMAL) {
        /* the objective as GLPK sums an incumbent's (constant first, then
           column by column), so the figures match a search's to the bit */
        double v = mip->obj_const;
        for (int j = 0; j < mip->n_cols; j++) v += mip->obj[j] * s->x[j];
        s->objective = v;
    }
    if (rc == CKP_OK && s && s->x && s->status == CKP_MIP_OPTIMAL &&
        s->objective <= kb + 1e-9 * fmax(1.0, fabs(kb))) {
        s->bound = s->objective;
        s->gap = 0;
        s->nodes = 0;
        s->known_bound_reached = 1;
        /* the reduced costs of an LP whose binaries are continuous columns
           fixed at the start's values say nothing of the model's root */
        ckp_free(s->root_dj);
        s->root_dj = NULL;
        s->root_lp = NAN;
        *out = s;
        return CKP_OK;
    }
    ckp_solution_free(s);
    return CKP_OK;
}

/* The root LP's objective and reduced costs (ckp_solution.root_lp,
 * root_dj) of m when stage 1 ended without a search (start_at_bound: a
 * known bound reached by the start): the LP relaxation of m solved alone,
 * by ckp_solve stopped at its first node with every heuristic and cut
 * off.  It is the same LP, loaded and solved the same way, as the root LP
 * of a stage-1 search, so stages 2 and 3 fix the same binaries as after
 * a search (stage 3 then tries the same few candidates instead of every
 * one; docs/solver.md 5c).  Leaves s1 as it was when that LP gives no
 * reduced costs (numerical trouble, time limit). */
static ckp_status root_reduced_costs(const ckp_mip *mip, const ckp_solve_params *sp,
                                     ckp_solution *s1)
{
    ckp_solve_params q;
    ckp_solve_params_init(&q);
    q.time_limit = sp->time_limit;
    q.node_limit = 1;
    q.no_heuristic = q.no_lp_heuristic = 1;
    q.root_cuts = CKP_ROOT_CUTS_OFF;
    q.mir_cuts = q.clique_cuts = q.fp_heur = q.gmi_cuts = q.cov_cuts = q.ps_heur = 0;
    q.knap_cuts = q.pcost = 0;
    ckp_diag_list quiet; /* a figure for fixings, not part of the answer */
    ckp_diag_list_init(&quiet);
    ckp_solution *r = NULL;
    ckp_status rc = ckp_solve(mip, &q, NULL, &r, &quiet);
    ckp_diag_list_fini(&quiet);
    if (rc == CKP_OK && r->root_dj) {
        s1->root_lp = r->root_lp;
        s1->root_dj = r->root_dj;
        r->root_dj = NULL;
    }
    ckp_solution_free(r);
    return rc == CKP_ENOMEM ? rc : CKP_OK;
}

static ckp_status run_stage(const ckp_model *m, const double *const keys[2],
                            const double kconst[2], const double held[2], int k,
                            const ckp_solve_params *sp, const double *prev,
                            const unsigned char *fix, ckp_solution **out,
                            ckp_diag_list *diag)
{
    ckp_mip mip;
    double *inc = NULL;
    ckp_status rc = ckp_mip_copy(&m->mip, &mip);
    if (rc != CKP_OK) goto done;
    if (fix)
        for (int j = 0; j < mip.n_cols; j++)
            if (fix[j]) mip.col_lb[j] = mip.col_ub[j] = fix[j] == 2 ? 1.0 : 0.0;
    for (int i = 0; i < k; i++) {
        char name[32];
        int row;
        snprintf(name, sizeof name, "lex_hold%d", i + 1);
        CKP_TRY_GOTO(rc, ckp_mip_add_row(&mip, name, -INFINITY, held[i] - kconst[i], &row),
                     done);
        for (int j = 0; j < mip.n_cols; j++)
            if (keys[i][j] != 0) CKP_TRY_GOTO(rc, ckp_mip_add_coef(&mip, row, j, keys[i][j]),
                                              done);
    }
    memcpy(mip.obj, keys[k], (size_t)mip.n_cols * sizeof *mip.obj);
    mip.obj_const = 0;
    inc = ckp_malloc(((size_t)mip.n_cols + 1) * sizeof *inc);
    if (!inc) {
        rc = CKP_ENOMEM;
        goto done;
    }
    for (int j = 0; j < mip.n_cols; j++)
        inc[j] = mip.col_kind[j] == CKP_COL_BINARY ? (prev[j] > 0.5 ? 1.0 : 0.0) : NAN;
    rc = start_at_bound(&mip, sp, inc, out, diag);
    if (rc == CKP_OK && !*out) rc = ckp_solve(&mip, sp, inc, out, diag);
done:
    ckp_free(inc);
    ckp_mip_fini(&mip);
    return rc;
}

static void account(ckp_lex_stage *st, const ckp_solution *s, const ckp_mip *mip,
                    const double *key, double cst, double scale)
{
    st->ran = 1;
    st->status = s->status;
    st->objective = (s->x ? key_value(mip, key, cst, s->x) : s->objective) * scale;
    st->bound = s->bound * scale;
    st->nodes = s->nodes;
    st->seconds = s->seconds;
}

static int has_portfolio(const ckp_solution *s)
{
    return s->x && (s->status == CKP_MIP_OPTIMAL || s->status == CKP_MIP_FEASIBLE);
}

/* The candidates of funded item `it` (a project start index, or
 * n_starts + an upgrade start index): another start of the same project
 * (any option) or upgrade, or a start of an unfunded project; never one
 * already tried.  Returns the column of the lowest order key below the
 * item's own among those that cost no more, or -1. */
static int next_candidate(const ckp_model *m, const ckp_mip *lp, int it, const double *commit,
                          const double *order, const unsigned char *tried,
                          const unsigned char *funded, const unsigned char *fix)
{
    if (fix) { /* the item itself must stay */
        int ji = it < m->n_starts ? m->starts[it].col : m->ustarts[it - m->n_starts].col;
        if (fix[ji] == 2) return -1;
    }
    int j = it < m->n_starts ? m->starts[it].col : m->ustarts[it - m->n_starts].col;
    double cmax = commit[j] + ckp_lex_tol(commit[j]), bk = order[j];
    int best = -1;
    int lo = it < m->n_starts ? 0 : m->n_starts;
    int hi = it < m->n_starts ? m->n_starts : m->n_starts + m->n_ustarts;
    for (int kk = lo; kk < hi; kk++) {
        int w;
        if (it < m->n_starts) {
            const ckp_start_var *a = &m->starts[it], *b = &m->starts[kk];
            if (b->project != a->project && funded[b->project]) continue;
            w = b->col;
        } else {
            const ckp_upgrade_var *a = &m->ustarts[it - m->n_starts];
            const ckp_upgrade_var *b = &m->ustarts[kk - m->n_starts];
            if (b->upgrade != a->upgrade) continue;
            w = b->col;
        }
        /* never onto a column the model itself fixes at 0 (an excluded
           project, a start outside its window, a fixed portfolio) */
        if (w == j || tried[w] || lp->col_lb[w] > 0.5 || m->mip.col_ub[w] < 0.5 ||
            (fix && fix[w] == 1) ||
            !(order[w] < bk) ||
            !(commit[w] <= cmax))
            continue;
        bk = order[w];
        best = w;
    }
    return best;
}

/* The rows of the model whose columns are all binaries (budget and
 * year-limit rows, requires and excludes links), by column: a move of
 * the order pass whose fixings break one of them beyond the solver's own
 * row tolerance makes an infeasible LP, known without solving it. */
typedef struct bin_rows {
    int *start;     /* [n_cols + 1]: entries of column j are start[j]..start[j+1]-1 */
    int *row;       /* row of each entry */
    double *coef;
    double *act;    /* [n_rows] activity at the current fixings (pure rows) */
    unsigned char *pure; /* [n_rows] 1 = every column binary */
} bin_rows;

static void bin_rows_free(bin_rows *b)
{
    ckp_free(b->start);
    ckp_free(b->row);
    ckp_free(b->coef);
    ckp_free(b->act);
    ckp_free(b->pure);
}

static ckp_status bin_rows_init(const ckp_mip *m, bin_rows *b)
{
    memset(b, 0, sizeof *b);
    b->start = ckp_calloc((size_t)m->n_cols + 2, sizeof *b->start);
    b->pure = ckp_malloc((size_t)m->n_rows + 1);
    b->act = ckp_calloc((size_t)m->n_rows + 1, sizeof *b->act);
    if (!b->start || !b->pure || !b->act) return CKP_ENOMEM;
    memset(b->pure, 1, (size_t)m->n_rows);
    for (int k = 0; k < m->nnz; k++)
        if (m->col_kind[m->ja[k]] != CKP_COL_BINARY) b->pure[m->ia[k]] = 0;
    int n = 0;
    for (int k = 0; k < m->nnz; k++)
        if (b->pure[m->ia[k]]) {
            b->start[m->ja[k] + 1]++;
            n++;
        }
    for (int j = 0; j < m->n_cols; j++) b->start[j + 1] += b->start[j];
    b->row = ckp_malloc(((size_t)n + 1) * sizeof *b->row);
    b->coef = ckp_malloc(((size_t)n + 1) * sizeof *b->coef);
    int *fill = ckp_malloc(((size_t)m->n_cols + 1) * sizeof *fill);
    if (!b->row || !b->coef || !fill) {
        ckp_free(fill);
        return CKP_ENOMEM;
    }
    memcpy(fill, b->start, (size_t)m->n_cols * sizeof *fill);
    for (int k = 0; k < m->nnz; k++)
        if (b->pure[m->ia[k]]) {
            int e = fill[m->ja[k]]++;
            b->row[e] = m->ia[k];
            b->coef[e] = m->ar[k];
        }
    ckp_free(fill);
    return CKP_OK;
}

/* The activity of every pure row at lp's fixings. */
static void bin_rows_activity(bin_rows *b, const ckp_mip *lp)
{
    memset(b->act, 0, (size_t)lp->n_rows * sizeof *b->act);
    for (int j = 0; j < lp->n_cols; j++)
        if (lp->col_lb[j] > 0.5)
            for (int e = b->start[j]; e < b->start[j + 1]; e++) b->act[b->row[e]] += b->coef[e];
}

/* 1 when the move j -> w (j at 1 goes to 0, w at 0 goes to 1) breaks a
 * pure row by more than 1e-6 x (1 + |bound|): ten times the reduction's
 * tolerance (1e-7, GLPK's primal one), so such an LP is infeasible for
 * the solver too. */
#define LEX_ROW_TOL 1e-6
static int bin_rows_break(const bin_rows *b, const ckp_mip *m, int j, int w)
{
    for (int pass = 0; pass < 2; pass++) {
        int c = pass ? w : j;
        for (int e = b->start[c]; e < b->start[c + 1]; e++) {
            int i = b->row[e];
            double a = b->act[i];
            for (int f = b->start[j]; f < b->start[j + 1]; f++)
                if (b->row[f] == i) a -= b->coef[f];
            for (int f = b->start[w]; f < b->start[w + 1]; f++)
                if (b->row[f] == i) a += b->coef[f];
            if (a > m->row_ub[i] + LEX_ROW_TOL * (1.0 + fabs(m->row_ub[i])) ||
                a < m->row_lb[i] - LEX_ROW_TOL * (1.0 + fabs(m->row_lb[i])))
                return 1;
        }
    }
    return 0;
}

/* Stage 3, the order pass (docs/formulation.md 7f), on the binaries of
 * *x_io (replaced, when anything moved, by the LP point of the final
 * binaries; the caller frees it).  lp: a copy of the model with every
 * binary fixed, minimising the exposure measure eobj.  For each funded
 * item in plan order (project starts, then upgrade starts), the
 * candidates of next_candidate() are tried, lowest order key first; the
 * first whose LP is optimal with exposure <= ehold replaces the item.
 * Passes repeat while one moved something; each move lowers the sum of
 * the order keys, so this ends.  st: status OPTIMAL when the pass ran to
 * its end, FEASIBLE when the time budget stopped it; objective the order
 * key; nodes the number of LPs.
 * dj (NULL = none): stage 1's root reduced costs, room the hold less
 * stage 1's root LP (plus the margin of rc_fixing): a move whose point
 * has rc_sum > room breaks the hold whatever its LP (the bound of
 * rc_fixing summed over every binary), so its LP is not solved and the
 * move counts as tried and failed: the same moves as without the screen,
 * fewer LPs. */
static ckp_status order_pass(const ckp_model *m, const double *eobj, double ehold,
                             const double *commit, const double *order,
                             const unsigned char *fix, const double *dj, double room,
                             const ckp_solve_params *sp, double **x_io, ckp_lex_stage *st,
                             ckp_diag_list *diag)
{
    const ckp_mip *mm = &m->mip;
    const double *x = *x_io;
    double t0 = ckp_clock_wall();
    double deadline = sp->time_limit > 0 ? t0 + sp->time_limit : INFINITY;
    int n = mm->n_cols, np = m->plan->n_projects, stopped = 0;
    long lps = 0;
    double cst = eobj == mm->obj ? mm->obj_const : 0.0;
    ckp_solution *best = NULL;
    ckp_mip lp;
    unsigned char *tried = ckp_calloc((size_t)n + 1, 1);
    unsigned char *funded = ckp_calloc((size_t)np + 1, 1);
    bin_rows br;
    ckp_status rc = bin_rows_init(mm, &br);
    if (rc == CKP_OK) rc = ckp_mip_copy(mm, &lp);
    else ckp_mip_init(&lp, NULL);
    if (rc == CKP_OK && (!tried || !funded)) rc = CKP_ENOMEM;
    if (rc != CKP_OK) goto done;
    memcpy(lp.obj, eobj, (size_t)n * sizeof *lp.obj);
    lp.obj_const = cst;
    for (int j = 0; j < n; j++)
        if (lp.col_kind[j] == CKP_COL_BINARY) {
            lp.obj[j] = 0;
            lp.col_lb[j] = lp.col_ub[j] = x[j] > 0.5 ? 1.0 : 0.0;
        }
    ckp_solve_params aux = *sp;
    aux.progress = aux.verbose = 0;
    aux.mip_gap = 0;
    int changed = 1;
    while (changed && !stopped) {
        changed = 0;
        memset(funded, 0, (size_t)np);
        for (int k = 0; k < m->n_starts; k++)
            if (lp.col_lb[m->starts[k].col] > 0.5) funded[m->starts[k].project] = 1;
        for (int it = 0; it < m->n_starts + m->n_ustarts && !stopped; it++) {
            int j = it < m->n_starts ? m->starts[it].col : m->ustarts[it - m->n_starts].col;
            if (!(lp.col_lb[j] > 0.5)) continue;
            if (mm->col_lb[j] > 0.5) continue; /* fixed at 1 by the model */
            memset(tried, 0, (size_t)n);
            double base = dj ? ckp_lex_rc_sum(&lp, dj) - ckp_lex_rc_term(dj, j, 1.0) +
                                   ckp_lex_rc_term(dj, j, 0.0)
                             : 0;
            bin_rows_activity(&br, &lp);
            int w;
            while ((w = next_candidate(m, &lp, it, commit, order, tried, funded, fix)) >= 0) {
                if (ckp_clock_wall() >= deadline) {
                    stopped = 1;
                    break;
                }
                tried[w] = 1;
                if (dj &&
                    base - ckp_lex_rc_term(dj, w, 0.0) + ckp_lex_rc_term(dj, w, 1.0) > room) {
                    st->screened++;
                    continue;
                }
                if (bin_rows_break(&br, mm, j, w)) {
                    st->screened++;
                    continue;
                }
                lp.col_lb[j] = lp.col_ub[j] = 0;
                lp.col_lb[w] = lp.col_ub[w] = 1;
                ckp_solution *s = NULL;
                CKP_TRY_GOTO(rc, ckp_solve(&lp, &aux, NULL, &s, diag), done);
                lps++;
                if (s->status == CKP_MIP_OPTIMAL && s->x &&
                    key_value(mm, eobj, cst, s->x) <= ehold) {
                    ckp_solution_free(best);
                    best = s;
                    if (it < m->n_starts) {
                        funded[m->starts[it].project] = 0;
                        for (int k = 0; k < m->n_starts; k++)
                            if (m->starts[k].col == w) funded[m->starts[k].project] = 1;
                    }
                    changed = 1;
                    break;
                }
                ckp_solution_free(s);
                lp.col_lb[w] = lp.col_ub[w] = 0;
                lp.col_lb[j] = lp.col_ub[j] = 1;
            }
        }
    }
    st->ran = 1;
    st->status = stopped ? CKP_MIP_FEASIBLE : CKP_MIP_OPTIMAL;
    st->nodes = lps;
    if (best) {
        ckp_free(*x_io);
        *x_io = best->x;
        best->x = NULL;
    }
    st->objective = key_value(mm, order, 0.0, *x_io);
done:
    st->seconds = ckp_clock_wall() - t0;
    ckp_solution_free(best);
    ckp_free(tried);
    ckp_free(funded);
    bin_rows_free(&br);
    ckp_mip_fini(&lp);
    return rc;
}

ckp_status ckp_lex_solve(const ckp_model *m, const double *eobj,
                         const ckp_solve_params *sp, const double *inc,
                         ckp_solution **out, ckp_lex_stage st[3], ckp_diag_list *diag)
{
    return ckp_lex_solve_bounded(m, eobj, sp, inc, NAN, out, st, diag);
}

ckp_status ckp_lex_solve_bounded(const ckp_model *m, const double *eobj,
                                 const ckp_solve_params *sp, const double *inc,
                                 double commit_bound, ckp_solution **out,
                                 ckp_lex_stage st[3], ckp_diag_list *diag)
{
    ckp_solution *s1 = NULL, *s2 = NULL;
    double *commit = NULL, *order = NULL, *x = NULL, *xs = NULL;
    unsigned char *fix = NULL;
    ckp_status rc = CKP_OK;
    int proven = 1;
    *out = NULL;
    for (int k = 0; k < 3; k++) {
        memset(&st[k], 0, sizeof st[k]);
        st[k].objective = st[k].bound = st[k].hold = NAN;
    }
    double c0 = ckp_clock_cpu();
    CKP_TRY(start_at_bound(&m->mip, sp, inc, &s1, diag));
    if (!s1) CKP_TRY(ckp_solve(&m->mip, sp, inc, &s1, diag));
    int min_cost = m->goal_row >= 0;
    double money = m->money_scale;
    account(&st[0], s1, &m->mip, m->mip.obj, m->mip.obj_const, min_cost ? money : 1.0);
    st[0].cpu_seconds = ckp_clock_cpu() - c0;
    c0 = ckp_clock_cpu();
    if (!has_portfolio(s1) || ckp_mip_n_binary(&m->mip) == 0) goto finish;

    size_t n = (size_t)m->mip.n_cols + 1;
    commit = ckp_calloc(n, sizeof *commit);
    order = ckp_calloc(n, sizeof *order);
    if (!commit || !order) {
        rc = CKP_ENOMEM;
        goto finish;
    }
    commitment_key(m, commit);
    order_key(m, order);
    const double *keys[2] = {m->mip.obj, min_cost ? eobj : commit};
    double kconst[2] = {m->mip.obj_const, 0};
    double v1 = key_value(&m->mip, keys[0], kconst[0], s1->x);
    double held[2] = {v1 + ckp_lex_tol(v1), NAN};
    double spent = s1->seconds;
    if (!s1->root_dj && s1->known_bound_reached)
        CKP_TRY_GOTO(rc, root_reduced_costs(&m->mip, sp, s1), finish);
    /* stage 2's first incumbent: stage 1's portfolio, pruned (drops and
       cheaper options that keep its exposure, post.c step 1) */
    if (!min_cost) {
        ckp_solve_params pq = *sp;
        pq.progress = pq.verbose = 0;
        pq.mip_gap = 0;
        if (sp->time_limit > 0) pq.time_limit = fmax(0.1 * sp->time_limit, 1.0);
        CKP_TRY_GOTO(rc, run_prune_start(m, s1->x, s1->root_dj, s1->root_lp, &pq, &xs, diag),
                     finish);
    }
    const double *start2 = xs ? xs : s1->x;
    if (s1->root_dj) {
        fix = ckp_malloc(n);
        if (!fix) {
            rc = CKP_ENOMEM;
            goto finish;
        }
        st[1].rc_fixed = rc_fixing(m, s1, held[0], start2, fix);
    }

    /* stage 2 */
    st[1].hold = held[0] * (min_cost ? money : 1.0);
    ckp_solve_params sk = *sp;
    sk.progress = 0;
    /* stage 1's known bound is on the first key; the commitment bound
       holds for stage 2 only when stage 1 reached the first one (the
       points then share the best exposure, lex.h) */
    sk.known_bound_set = 0;
    if (!min_cost && sp->known_bound_set && isfinite(commit_bound) &&
        v1 <= sp->known_bound + 1e-9 * fmax(1.0, fabs(sp->known_bound))) {
        sk.known_bound_set = 1;
        sk.known_bound = commit_bound / money;
    }
    /* Stage 2 starts from stage 1's portfolio, a good incumbent: the LP
       heuristic (restricted MIPs at the root and in the tree) and the
       root cuts' proof attempt cost time there and find nothing better
       (docs/performance.md, "Benchmark family"): the LP heuristic is
       off in stage 2, and the root cuts unless the caller chose a mode. */
    if (sp->root_cuts < 0) sk.root_cuts = CKP_ROOT_CUTS_OFF;
    sk.no_lp_heuristic = 1;
    if (sp->time_limit > 0) sk.time_limit = fmax(sp->time_limit - spent, 0.1 * sp->time_limit);
    {
        /* A numerical failure of GLPK in stage 2 (a singular basis when the
           commitments span many orders of magnitude) does not lose stage
           1's proven exposure optimum: its portfolio is kept, the failure
           becomes a warning and stage 2 is reported as an error. */
        ckp_diag_list d2;
        ckp_diag_list_init(&d2);
        rc = run_stage(m, keys, kconst, held, 1, &sk, start2, fix, &s2, &d2);
        if (rc == CKP_ESOLVER) {
            const char *why = d2.n > 0 ? d2.items[d2.n - 1].message : "solver failure";
            rc = ckp_diag_add(diag, CKP_SEV_WARNING, NULL, 0, "lex-stage-failed",
                              "the second stage of the lexicographic solve (least "
                              "commitment at the best exposure) failed (%s); the "
                              "first stage's portfolio is reported: its exposure is "
                              "optimal, its commitment not proven least", why);
            ckp_diag_list_fini(&d2);
            st[1].ran = 1;
            st[1].status = CKP_MIP_ERROR;
            goto finish;
        }
        for (int i = 0; i < d2.n && rc == CKP_OK; i++)
            rc = ckp_diag_add(diag, d2.items[i].severity, d2.items[i].file, d2.items[i].line,
                              d2.items[i].code, "%s", d2.items[i].message);
        ckp_diag_list_fini(&d2);
        if (rc != CKP_OK) goto finish;
    }
    account(&st[1], s2, &m->mip, keys[1], kconst[1], min_cost ? 1.0 : money);
    st[1].cpu_seconds = ckp_clock_cpu() - c0;
    c0 = ckp_clock_cpu();
    spent += s2->seconds;
    if (!has_portfolio(s2)) { /* keep stage 1's portfolio */
        proven = 0;
        goto finish;
    }
    if (s2->status != CKP_MIP_OPTIMAL) proven = 0;
    if (s1->limit == CKP_LIMIT_NONE) s1->limit = s2->limit; /* which limit, for the report */
    double v2 = key_value(&m->mip, keys[1], kconst[1], s2->x);
    held[1] = v2 + ckp_lex_tol(v2);

    /* stage 3: the order pass on stage 2's portfolio */
    sk.known_bound_set = 0;
    st[2].hold = held[1] * (min_cost ? 1.0 : money);
    if (sp->time_limit > 0) sk.time_limit = fmax(sp->time_limit - spent, 0.1 * sp->time_limit);
    x = s2->x;
    s2->x = NULL;
    /* the fixings hold the first key: valid for the pass where it holds
       the exposure (not under min-cost, where it holds the second key) */
    CKP_TRY_GOTO(rc, order_pass(m, eobj, min_cost ? held[1] : held[0], commit, order,
                                min_cost ? NULL : fix, min_cost ? NULL : s1->root_dj,
                                ckp_lex_rc_room(s1->root_lp, held[0]), &sk, &x, &st[2],
                                diag), finish);
    st[2].cpu_seconds = ckp_clock_cpu() - c0;
    if (st[2].status != CKP_MIP_OPTIMAL) {
        proven = 0;
        if (s1->limit == CKP_LIMIT_NONE) s1->limit = CKP_LIMIT_TIME;
    }
    ckp_free(s1->x);
    s1->x = x;
    x = NULL;
    for (int k = 1; k < 3; k++) s1->seconds += st[k].seconds;
    s1->nodes += st[1].nodes;
finish:
    if (!proven && s1 && s1->status == CKP_MIP_OPTIMAL) s1->status = CKP_MIP_FEASIBLE;
    ckp_free(x);
    ckp_free(xs);
    ckp_free(commit);
    ckp_free(order);
    ckp_free(fix);
    ckp_solution_free(s2);
    if (rc != CKP_OK) {
        ckp_solution_free(s1);
        return rc;
    }
    *out = s1;
    return CKP_OK;
}
