/* heuristic.c: the LP-guided primal heuristic of the GLPK wrapper (see
 * heuristic.h and docs/solver.md, "The LP heuristic"): a restricted MIP
 * (binaries at 0 in the root LP fixed), a depth-first dive on a copy of the
 * root LP as the fallback (set-packing rows propagate the zeros), a 1-opt
 * drop pass, and a polishing sub-MIP (binaries fixed where the point agrees with
 * the LP optimum, node-limited); the drop pass and the polishing sub-MIP
 * work on the exact reduction of the model under their fixings (reduce.h).  Runs inside the wrapper's guard; it
 * makes only valid GLPK calls, so the guard is a safety net here (were it
 * ever to fire, this call's scratch arrays would not be freed). */
#include "solver/heuristic.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "solver/reduce.h"
#include "util/alloc.h"

#define INT_EPS 1e-6       /* a binary within this of 0/1 is integral */
#define MULTI_MIN 0.3      /* extra columns fixed in a round need x >= this */
#define MULTI_DIV 2        /* at most nfrac / MULTI_DIV + 1 columns a round */
#define AGREE_EPS 1e-6     /* dive and LP agree on a binary */
#define DROP_TOL 1e-12     /* relative: a drop may not worsen the objective */
#define RESTRICTED_NODES 500 /* node limit of the restricted MIP */
#define MAX_BACKTRACKS 50  /* dead ends before the dive falls back */
#define REDUCE_TOL 1e-7    /* row tolerance of the reduction (GLPK's primal tol) */

typedef struct dive_level {
    int base;    /* fix stack position before the level's decision */
    int take0;   /* first of its candidates in takes[] */
    int n_take;
    int mode;    /* 0 several at 1, 1 best at 1, 2 best at 0 */
} dive_level;

typedef struct dive {
    glp_prob *Q;
    const ckp_mip *m;
    int n;
    signed char *fix;   /* -1 free, 0/1 fixed (0-based columns) */
    int *pk_start;      /* column -> packing rows (CSR) */
    int *pk_rows;
    int *rw_start;      /* packing row -> columns (CSR, packing rows only) */
    int *rw_cols;
    int *stack;         /* columns fixed in the current round */
    int n_stack;
    int *cand;          /* fractional candidates */
    int *takes;         /* candidates chosen by the open levels */
    dive_level *levels; /* open levels of the depth-first dive */
    double *val;        /* current LP values (0-based) */
    struct timespec t0;
    double budget;
    glp_smcp sm;
    int lps;
    int nomem;          /* an allocation failed in a step */
} dive;

static double since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) * 1e-9;
}

static int time_left_ms(const dive *d)
{
    if (d->budget <= 0.0) return -1; /* none */
    double left = d->budget - since(&d->t0);
    if (left <= 0.0) return 0;
    double ms = ceil(left * 1000.0);
    return ms > 1e9 ? 1000000000 : (int)ms;
}

/* Set-packing rows: upper bound <= 1, no lower bound above 0... the row
 * may also be an equality sum = 1; every coefficient +1 on a binary. */
static int is_packing_row(const ckp_mip *m, const int *row_nz_ok, int i)
{
    return row_nz_ok[i] && isfinite(m->row_ub[i]) && m->row_ub[i] <= 1.0 + 1e-9;
}

static ckp_status build_packing(dive *d)
{
    const ckp_mip *m = d->m;
    int nr = m->n_rows, nc = m->n_cols;
    int *ok = ckp_malloc(((size_t)nr + 1) * sizeof *ok);
    int *rcnt = ckp_calloc((size_t)nr + 1, sizeof *rcnt);
    if (!ok || !rcnt) {
        ckp_free(ok);
        ckp_free(rcnt);
        return CKP_ENOMEM;
    }
    for (int i = 0; i < nr; i++) ok[i] = 1;
    for (int k = 0; k < m->nnz; k++) {
        int i = m->ia[k], j = m->ja[k];
        if (m->ar[k] != 1.0 || m->col_kind[j] != CKP_COL_BINARY) ok[i] = 0;
        rcnt[i]++;
    }
    for (int i = 0; i < nr; i++)
        if (rcnt[i] < 2 || !is_packing_row(m, ok, i)) ok[i] = 0;
    d->pk_start = ckp_calloc((size_t)nc + 1, sizeof *d->pk_start);
    d->rw_start = ckp_calloc((size_t)nr + 1, sizeof *d->rw_start);
    if (!d->pk_start || !d->rw_start) goto nomem;
    int tot = 0;
    for (int k = 0; k < m->nnz; k++)
        if (ok[m->ia[k]]) {
            d->pk_start[m->ja[k] + 1]++;
            d->rw_start[m->ia[k] + 1]++;
            tot++;
        }
    for (int j = 0; j < nc; j++) d->pk_start[j + 1] += d->pk_start[j];
    for (int i = 0; i < nr; i++) d->rw_start[i + 1] += d->rw_start[i];
    d->pk_rows = ckp_malloc(((size_t)tot + 1) * sizeof *d->pk_rows);
    d->rw_cols = ckp_malloc(((size_t)tot + 1) * sizeof *d->rw_cols);
    if (!d->pk_rows || !d->rw_cols) goto nomem;
    /* fill in triplet order, which is deterministic */
    {
        int *cp = ckp_calloc((size_t)nc + 1, sizeof *cp);
        int *rp = ckp_calloc((size_t)nr + 1, sizeof *rp);
        if (!cp || !rp) {
            ckp_free(cp);
            ckp_free(rp);
            goto nomem;
        }
        for (int k = 0; k < m->nnz; k++) {
            int i = m->ia[k], j = m->ja[k];
            if (!ok[i]) continue;
            d->pk_rows[d->pk_start[j] + cp[j]++] = i;
            d->rw_cols[d->rw_start[i] + rp[i]++] = j;
        }
        ckp_free(cp);
        ckp_free(rp);
    }
    ckp_free(ok);
    ckp_free(rcnt);
    return CKP_OK;
nomem:
    ckp_free(ok);
    ckp_free(rcnt);
    return CKP_ENOMEM;
}

static void set_fix(dive *d, int j, int v)
{
    d->fix[j] = (signed char)v;
    if (d->Q) glp_set_col_bnds(d->Q, j + 1, GLP_FX, (double)v, (double)v);
    d->stack[d->n_stack++] = j;
}

/* Fix j at 1 and its packing mates at 0.  Returns 0 when j is fixed
 * already (nothing done). */
static int fix_one(dive *d, int j)
{
    if (d->fix[j] >= 0) return 0;
    set_fix(d, j, 1);
    for (int p = d->pk_start[j]; p < d->pk_start[j + 1]; p++) {
        int i = d->pk_rows[p];
        for (int q = d->rw_start[i]; q < d->rw_start[i + 1]; q++) {
            int k = d->rw_cols[q];
            if (k != j && d->fix[k] < 0) set_fix(d, k, 0);
        }
    }
    return 1;
}

/* Undo the fixings made since stack position from. */
static void undo_to(dive *d, int from)
{
    while (d->n_stack > from) {
        int j = d->stack[--d->n_stack];
        d->fix[j] = -1;
        double lb = d->m->col_lb[j], ub = d->m->col_ub[j];
        if (d->Q) glp_set_col_bnds(d->Q, j + 1, lb == ub ? GLP_FX : GLP_DB, lb, ub);
    }
}

/* Re-solve; 1 = optimal, 0 = not (infeasible), -1 = out of time or
 * failure. */
static int resolve(dive *d)
{
    int left = time_left_ms(d);
    if (left == 0) return -1;
    d->sm.tm_lim = left < 0 ? 2147483647 : left;
    d->lps++;
    int ret = glp_simplex(d->Q, &d->sm);
    if (ret != 0) {
        /* a singular basis after many bound changes: one retry from a
         * fresh advanced basis */
        if (ret == GLP_ETMLIM) return -1;
        glp_adv_basis(d->Q, 0);
        d->lps++;
        ret = glp_simplex(d->Q, &d->sm);
        if (ret != 0) return -1;
    }
    int s = glp_get_status(d->Q);
    if (s == GLP_OPT) {
        for (int j = 0; j < d->n; j++) d->val[j] = glp_get_col_prim(d->Q, j + 1);
        return 1;
    }
    return s == GLP_NOFEAS ? 0 : -1;
}

/* Order: value descending, then index ascending (deterministic). */
static void sort_cands(int *c, int n, const double *val)
{
    /* simple shell sort: deterministic, no qsort context needed */
    for (int gap = n / 2; gap > 0; gap /= 2)
        for (int i = gap; i < n; i++) {
            int t = c[i], k = i;
            while (k >= gap && (val[c[k - gap]] < val[t] ||
                                (val[c[k - gap]] == val[t] && c[k - gap] > t))) {
                c[k] = c[k - gap];
                k -= gap;
            }
            c[k] = t;
        }
}

/* Apply the decision of level L (mode 0: the best candidates at 1,
 * mode 1: the best one at 1, mode 2: the best one at 0). */
static void apply_level(dive *d, const dive_level *L)
{
    if (L->mode == 0) {
        for (int k = 0; k < L->n_take; k++) fix_one(d, d->takes[L->take0 + k]);
    } else if (L->mode == 1) {
        fix_one(d, d->takes[L->take0]);
    } else {
        set_fix(d, d->takes[L->take0], 0);
    }
}

/* The dive itself: 1 found, 0 not found, -1 out of time.  A depth-first
 * search over rounds: each round is a level with up to three decisions
 * (several candidates at 1, the best at 1, the best at 0); an infeasible
 * LP moves the deepest level to its next decision, popping exhausted
 * levels, at most MAX_BACKTRACKS times. */
static int run_dive(dive *d, ckp_dive_result *res)
{
    const ckp_mip *m = d->m;
    int r = resolve(d);
    if (r != 1) return r;
    int depth = 0, n_takes = 0;
    int width = d->n; /* columns fixed at once: doubles after a success,
                         halves after a dead end */
    d->n_stack = 0;
    for (;;) {
        if (r == 1) {
            /* a new round from a feasible LP */
            int nfrac = 0;
            for (int j = 0; j < d->n; j++) {
                if (m->col_kind[j] != CKP_COL_BINARY || d->fix[j] >= 0) continue;
                double v = d->val[j];
                if (v > INT_EPS && v < 1.0 - INT_EPS) d->cand[nfrac++] = j;
            }
            if (nfrac == 0) {
                for (int j = 0; j < d->n; j++)
                    if (m->col_kind[j] == CKP_COL_BINARY && d->fix[j] < 0)
                        set_fix(d, j, d->val[j] >= 0.5 ? 1 : 0);
                r = resolve(d);
                if (r != 0) return r;
                /* rounding broke a row (tolerances): treat as a dead end;
                 * the level below undoes it */
            } else {
                sort_cands(d->cand, nfrac, d->val);
                dive_level *L = &d->levels[depth++];
                L->base = d->n_stack;
                L->take0 = n_takes;
                L->n_take = 0;
                int limit = nfrac / MULTI_DIV + 1;
                if (limit > 2 * width) limit = 2 * width;
                for (int k = 0; k < nfrac && L->n_take < limit; k++) {
                    int j = d->cand[k];
                    if (k > 0 && d->val[j] < MULTI_MIN) break;
                    d->takes[n_takes++] = j;
                    L->n_take++;
                }
                L->mode = L->n_take > 1 ? 0 : 1;
                apply_level(d, L);
                r = resolve(d);
                continue;
            }
        }
        if (r < 0) return r;
        /* r == 0: dead end; next decision of the deepest open level */
        for (;;) {
            if (depth == 0) return 0;
            dive_level *L = &d->levels[depth - 1];
            undo_to(d, L->base);
            if (L->mode < 2) {
                /* several at 1: halve their number (only the best ones
                 * stay with the level, so the open levels never hold more
                 * than n_cols takes); one at 1: that one at 0 */
                if (L->mode == 0) {
                    L->n_take /= 2;
                    width = L->n_take;
                    if (L->n_take <= 1) L->mode = 1;
                } else {
                    L->mode = 2;
                }
                if (L->n_take < 1) L->n_take = 1;
                n_takes = L->take0 + L->n_take;
                apply_level(d, L);
                break;
            }
            /* level exhausted: a real backtrack */
            if (res->backtracks >= MAX_BACKTRACKS) return 0;
            res->backtracks++;
            n_takes = L->take0;
            depth--;
        }
        r = resolve(d);
    }
}

/* The fallback when the depth-first dive gives up: from the root LP, no
 * binary is fixed at 1 by choice; each round fixes the fractional binaries
 * below one half at 0 (or the smallest one), so the LP keeps the freedom
 * to drop a project whose needs cannot be met (all binaries at 0 is the
 * no-project plan).  1 found, 0 not, -1 out of time. */
static int down_dive(dive *d)
{
    const ckp_mip *m = d->m;
    undo_to(d, 0);
    for (;;) {
        int r = resolve(d);
        if (r != 1) return r;
        int nfrac = 0, low = 0, smallest = -1;
        for (int j = 0; j < d->n; j++) {
            if (m->col_kind[j] != CKP_COL_BINARY || d->fix[j] >= 0) continue;
            double v = d->val[j];
            if (v <= INT_EPS || v >= 1.0 - INT_EPS) continue;
            nfrac++;
            if (v < 0.5) {
                set_fix(d, j, 0);
                low++;
            } else if (smallest < 0 || v < d->val[smallest]) {
                smallest = j;
            }
        }
        if (nfrac == 0) {
            for (int j = 0; j < d->n; j++)
                if (m->col_kind[j] == CKP_COL_BINARY && d->fix[j] < 0)
                    set_fix(d, j, d->val[j] >= 0.5 ? 1 : 0);
            return resolve(d);
        }
        if (low == 0) set_fix(d, smallest, 0);
    }
}

/* Solve the reduced problem R (warm from its current basis); 1 optimal,
 * 0 infeasible, -1 out of time or failure. */
static int solve_reduced(dive *d, glp_prob *R)
{
    int left = time_left_ms(d);
    if (left == 0) return -1;
    glp_smcp sm = d->sm;
    sm.tm_lim = left < 0 ? 2147483647 : left;
    d->lps++;
    int ret = glp_simplex(R, &sm);
    if (ret != 0) {
        if (ret == GLP_ETMLIM) return -1;
        glp_adv_basis(R, 0);
        d->lps++;
        ret = glp_simplex(R, &sm);
        if (ret != 0) return -1;
    }
    int s = glp_get_status(R);
    return s == GLP_OPT ? 1 : s == GLP_NOFEAS ? 0 : -1;
}

/* 1-opt drop: with every binary fixed, try each binary at 1 (column
 * order) at 0; keep the change when the LP stays feasible and the
 * objective does not get worse.  Removes items the dive funded that buy
 * nothing (e.g. an upgrade no online project needs).  The LPs run on the
 * exact reduction of the model under these fixings (reduce.h) with the
 * binaries at 1 kept, warm from the previous basis.  Ends with d->val and
 * *obj those of the final choice.  1 ok, 0 the fixings are infeasible,
 * -1 out of time or failure. */
static int drop_pass(dive *d, double *obj)
{
    const ckp_mip *m = d->m;
    int n = d->n;
    double *lb = ckp_malloc(((size_t)n + 1) * sizeof *lb);
    double *ub = ckp_malloc(((size_t)n + 1) * sizeof *ub);
    unsigned char *keep = ckp_calloc((size_t)n + 1, 1);
    ckp_reduced red;
    memset(&red, 0, sizeof red);
    int r = -1;
    if (!lb || !ub || !keep) {
        d->nomem = 1;
        goto out;
    }
    for (int j = 0; j < n; j++) {
        lb[j] = m->col_lb[j];
        ub[j] = m->col_ub[j];
        if (m->col_kind[j] != CKP_COL_BINARY || m->col_lb[j] == m->col_ub[j]) continue;
        lb[j] = ub[j] = (double)d->fix[j];
        keep[j] = d->fix[j] == 1;
    }
    if (ckp_reduce(m, lb, ub, keep, REDUCE_TOL, &red) != CKP_OK) {
        d->nomem = 1;
        goto out;
    }
    if (red.infeasible) {
        r = 0;
        goto out;
    }
    r = solve_reduced(d, red.R);
    if (r != 1) goto out;
    *obj = glp_get_obj_val(red.R);
    for (int j = 0; j < n; j++) {
        if (!keep[j]) continue;
        int c = red.rcol[j];
        glp_set_col_bnds(red.R, c, GLP_FX, 0.0, 0.0);
        r = solve_reduced(d, red.R);
        if (r < 0) goto out;
        double v = r == 1 ? glp_get_obj_val(red.R) : INFINITY;
        if (v <= *obj + DROP_TOL * (1.0 + fabs(*obj))) {
            d->fix[j] = 0;
            if (d->Q) glp_set_col_bnds(d->Q, j + 1, GLP_FX, 0.0, 0.0);
            *obj = v < *obj ? v : *obj;
        } else {
            glp_set_col_bnds(red.R, c, GLP_FX, 1.0, 1.0);
        }
    }
    r = solve_reduced(d, red.R);
    if (r == 1) {
        *obj = glp_get_obj_val(red.R);
        ckp_reduced_values(&red, 0, d->val);
    } else {
        r = -1;
    }
out:
    ckp_reduced_free(&red);
    ckp_free(lb);
    ckp_free(ub);
    ckp_free(keep);
    return r;
}

/* Restricted MIP (relax-and-fix in one step): every binary at 0 in the
 * root LP optimum is fixed at 0, the others stay free, and the small MIP
 * is solved with GLPK's presolver (which removes the fixed columns), clique
 * cuts but no MIR cuts, and a node limit.  On success d->fix holds the binaries and d->Q has them
 * fixed.  1 found, 0 not, -1 out of time. */
typedef struct node_limit_ctx {
    int limit;
} node_limit_ctx;

static void node_limit_cb(glp_tree *T, void *info)
{
    node_limit_ctx *nl = info;
    int a = 0, n = 0, t = 0;
    glp_ios_tree_size(T, &a, &n, &t);
    if (t >= nl->limit) glp_ios_terminate(T);
}

static int restricted_mip(dive *d, glp_prob *P, const double *root, int node_limit,
                          int verbose)
{
    const ckp_mip *m = d->m;
    int left = time_left_ms(d);
    if (left == 0) return -1;
    glp_prob *S = glp_create_prob();
    glp_copy_prob(S, P, GLP_OFF);
    for (int j = 0; j < d->n; j++)
        if (m->col_kind[j] == CKP_COL_BINARY && d->fix[j] < 0 && root[j] <= INT_EPS)
            glp_set_col_bnds(S, j + 1, GLP_FX, 0.0, 0.0);
    node_limit_ctx nl = {node_limit};
    glp_iocp io;
    glp_init_iocp(&io);
    io.msg_lev = verbose ? GLP_MSG_ON : GLP_MSG_OFF;
    io.presolve = GLP_ON;
    io.br_tech = GLP_BR_PCH;
    /* no MIR cuts: on the 1,000-project plans GLPK's MIR separation at
     * the sub-MIP's root cost more than the whole search (gen-1000-2:
     * 12.2 s -> 7.0 s CPU, same point; docs/performance.md) */
    io.mir_cuts = GLP_OFF;
    io.clq_cuts = GLP_ON;
    io.fp_heur = GLP_ON;
    io.tm_lim = left < 0 ? 2147483647 : left;
    io.cb_func = node_limit_cb;
    io.cb_info = &nl;
    d->lps++;
    glp_intopt(S, &io);
    int ms = glp_mip_status(S);
    int found = ms == GLP_OPT || ms == GLP_FEAS;
    if (found) {
        for (int j = 0; j < d->n; j++)
            if (m->col_kind[j] == CKP_COL_BINARY && d->fix[j] < 0)
                set_fix(d, j, glp_mip_col_val(S, j + 1) >= 0.5 ? 1 : 0);
    }
    glp_delete_prob(S);
    if (!found) return time_left_ms(d) == 0 ? -1 : 0;
    return 1; /* every binary is fixed; drop_pass solves the LP */
}

/* Polishing sub-MIP: stop after a fixed number of nodes (deterministic). */
typedef struct polish_ctx {
    const double *x;    /* 1-based start point (columns of the reduced problem) */
    int offered;
    int node_limit;
} polish_ctx;

static void polish_cb(glp_tree *T, void *info)
{
    polish_ctx *pc = info;
    if (glp_ios_reason(T) == GLP_IHEUR && !pc->offered) {
        pc->offered = 1;
        glp_ios_heur_sol(T, pc->x);
    }
    int a = 0, n = 0, t = 0;
    glp_ios_tree_size(T, &a, &n, &t);
    if (t >= pc->node_limit) glp_ios_terminate(T);
}

static void polish(dive *d, const double *root, double *x, ckp_dive_result *res,
                   int node_limit, int verbose)
{
    const ckp_mip *m = d->m;
    int n = d->n;
    int left = time_left_ms(d);
    if (left == 0) return;
    double *lb = ckp_malloc(((size_t)n + 1) * sizeof *lb);
    double *ub = ckp_malloc(((size_t)n + 1) * sizeof *ub);
    unsigned char *keep = ckp_calloc((size_t)n + 1, 1);
    double *xr = NULL;
    ckp_reduced red;
    memset(&red, 0, sizeof red);
    if (!lb || !ub || !keep) {
        d->nomem = 1;
        goto out;
    }
    int nfree = 0;
    for (int j = 0; j < n; j++) {
        lb[j] = m->col_lb[j];
        ub[j] = m->col_ub[j];
        if (m->col_kind[j] != CKP_COL_BINARY || m->col_lb[j] == m->col_ub[j]) continue;
        if (fabs(root[j] - x[j + 1]) <= AGREE_EPS) {
            lb[j] = ub[j] = x[j + 1];
        } else {
            keep[j] = 1;
            nfree++;
        }
    }
    if (nfree == 0) goto out;
    /* the sub-MIP on the exact reduction under the agreeing fixings */
    if (ckp_reduce(m, lb, ub, keep, REDUCE_TOL, &red) != CKP_OK) {
        d->nomem = 1;
        goto out;
    }
    if (red.infeasible) goto out;
    int nr = glp_get_num_cols(red.R);
    xr = ckp_malloc(((size_t)nr + 1) * sizeof *xr);
    if (!xr) {
        d->nomem = 1;
        goto out;
    }
    xr[0] = 0.0;
    for (int k = 1; k <= nr; k++) xr[k] = x[red.ocol[k] + 1];
    if (solve_reduced(d, red.R) != 1) goto out;
    left = time_left_ms(d);
    if (left == 0) goto out;
    polish_ctx pc = {xr, 0, node_limit};
    glp_iocp io;
    glp_init_iocp(&io);
    io.msg_lev = verbose ? GLP_MSG_ON : GLP_MSG_OFF;
    io.br_tech = GLP_BR_PCH;
    io.mir_cuts = GLP_OFF; /* as in the restricted MIP: cheaper, same points */
    io.clq_cuts = GLP_ON;
    io.tm_lim = left < 0 ? 2147483647 : left;
    io.cb_func = polish_cb;
    io.cb_info = &pc;
    glp_intopt(red.R, &io);
    int ms = glp_mip_status(red.R);
    if (ms == GLP_OPT || ms == GLP_FEAS) {
        double v = glp_mip_obj_val(red.R);
        if (v < res->objective - 1e-9 * (1.0 + fabs(res->objective))) {
            res->objective = v;
            res->improved = 1;
            ckp_reduced_values(&red, 1, x + 1);
            for (int j = 0; j < n; j++)
                if (m->col_kind[j] == CKP_COL_BINARY) x[j + 1] = floor(x[j + 1] + 0.5);
        }
    }
out:
    ckp_reduced_free(&red);
    ckp_free(xr);
    ckp_free(lb);
    ckp_free(ub);
    ckp_free(keep);
}

ckp_status ckp_glpk_dive(glp_prob *P, const ckp_mip *m, const double *lp_x,
                         double time_budget, int polish_nodes,
                         int steps, int verbose, double *x,
                         ckp_dive_result *res)
{
    memset(res, 0, sizeof *res);
    res->objective = NAN;
    dive d;
    memset(&d, 0, sizeof d);
    clock_gettime(CLOCK_MONOTONIC, &d.t0);
    d.m = m;
    d.n = m->n_cols;
    d.budget = time_budget;
    size_t n = (size_t)m->n_cols + 1;
    d.fix = ckp_malloc(n * sizeof *d.fix);
    d.stack = ckp_malloc(n * sizeof *d.stack);
    d.cand = ckp_malloc(n * sizeof *d.cand);
    d.val = ckp_malloc(n * sizeof *d.val);
    double *root = ckp_malloc(n * sizeof *root);
    d.takes = ckp_malloc(n * sizeof *d.takes);
    d.levels = ckp_malloc(n * sizeof *d.levels);
    ckp_status st = CKP_OK;
    if (!d.fix || !d.stack || !d.cand || !d.val || !root || !d.takes || !d.levels) {
        st = CKP_ENOMEM;
        goto out;
    }
    CKP_TRY_GOTO(st, build_packing(&d), out);
    for (int j = 0; j < m->n_cols; j++) {
        d.fix[j] = -1;
        if (m->col_kind[j] == CKP_COL_BINARY && m->col_lb[j] == m->col_ub[j])
            d.fix[j] = (signed char)(m->col_lb[j] >= 0.5);
    }
    for (int j = 0; j < m->n_cols; j++)
        root[j] = lp_x ? lp_x[j] : glp_get_col_prim(P, j + 1);
    glp_init_smcp(&d.sm);
    d.sm.msg_lev = verbose ? GLP_MSG_ON : GLP_MSG_OFF;
    d.sm.meth = GLP_DUALP;
    int restricted_only = steps == CKP_HEUR_RESTRICTED;
    int r = steps == CKP_HEUR_DIVE ? 0
                                   : restricted_mip(&d, P, root, RESTRICTED_NODES, verbose);
    double obj = NAN;
    if (r == 1) {
        r = drop_pass(&d, &obj);
        if (r == 0) undo_to(&d, 0); /* the point breaks a row: dive instead */
    }
    if (r == 0 && !restricted_only && !d.nomem) {
        /* the dive works on its own copy, bounds changed in place (every
         * fixing is undone at this point) */
        d.Q = glp_create_prob();
        glp_copy_prob(d.Q, P, GLP_OFF);
        r = run_dive(&d, res);
        if (r == 0) {
            res->fallback = 1;
            r = down_dive(&d);
        }
        if (r == 1) r = drop_pass(&d, &obj);
    }
    if (r == 1) {
        res->found = 1;
        res->objective = obj;
        x[0] = 0.0;
        for (int j = 0; j < m->n_cols; j++)
            x[j + 1] = m->col_kind[j] == CKP_COL_BINARY ? (double)d.fix[j] : d.val[j];
    }
    if (d.Q) glp_delete_prob(d.Q);
    d.Q = NULL;
    if (res->found && polish_nodes > 0) polish(&d, root, x, res, polish_nodes, verbose);
    if (d.nomem) st = CKP_ENOMEM;
out:
    res->lps = d.lps;
    res->seconds = since(&d.t0);
    ckp_free(d.fix);
    ckp_free(d.stack);
    ckp_free(d.cand);
    ckp_free(d.val);
    ckp_free(root);
    ckp_free(d.takes);
    ckp_free(d.levels);
    ckp_free(d.pk_start);
    ckp_free(d.pk_rows);
    ckp_free(d.rw_start);
    ckp_free(d.rw_cols);
    return st;
}
