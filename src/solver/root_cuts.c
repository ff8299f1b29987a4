/* root_cuts.c: chokepoint's rounds of tableau MIR and two-step MIR cuts
 * on the root LP (tabmir.c), in the modes "on" (binding cuts kept) and
 * "proof" (kept only when they prove the heuristics' best point at the
 * root), with the rollback of a round that fails (docs/solver.md §5b).
 * Part of the GLPK wrapper; state in glpk_ctx.h. */
#include "solver/glpk_ctx.h"

#include <limits.h>
#include <math.h>
#include <string.h>

#include "util/alloc.h"

#define ROOT_CUT_ROUNDS 10  /* at most this many rounds of root cuts ... */
#define ROOT_CUT_GAIN 1e-6  /* ... each raising the LP bound by this (relative) */
#define ROOT_CUT_IT_PER_CUT 50 /* each re-solve: at most this many simplex
                                 iterations per cut added ... */
#define ROOT_CUT_IT_MIN 200   /* ... or this many */
#define ROOT_CUT_CLOSE 0.03   /* mode "proof": a round must close this share
                                 of the gap to the incumbent */
#define ROOT_PROOF_DIVE 0.5   /* ... the LP heuristic runs again from the cut
                                 LP when the rounds closed this share */
#define ROOT_PROOF_TOL 1e-7   /* mode "proof": cuts kept when they raise the
                                 bound to the incumbent within this (relative) */

/* Deletes the rows of P after the model's n_rows whose activity is basic
 * (not binding) or, with all = 1, every one of them. */
static void drop_cuts(glp_prob *P, int n_rows, int all, int *del)
{
    int mr = glp_get_num_rows(P), nd = 0;
    for (int i = n_rows + 1; i <= mr; i++)
        if (all || glp_get_row_stat(P, i) == GLP_BS) del[++nd] = i;
    if (nd > 0) glp_del_rows(P, nd, del);
}

/* Saved basis of P (every row and column) for a rollback of a round. */
typedef struct basis_save {
    int nr, nc, cap;
    int *stat; /* rows 1..nr then columns */
} basis_save;

static int basis_take(basis_save *b, glp_prob *P)
{
    int nr = glp_get_num_rows(P), nc = glp_get_num_cols(P);
    if (nr + nc + 1 > b->cap) {
        int *t = ckp_realloc(b->stat, (size_t)(nr + nc + 1) * sizeof *t);
        if (!t) return 0;
        b->stat = t;
        b->cap = nr + nc + 1;
    }
    b->nr = nr;
    b->nc = nc;
    for (int i = 1; i <= nr; i++) b->stat[i] = glp_get_row_stat(P, i);
    for (int j = 1; j <= nc; j++) b->stat[nr + j] = glp_get_col_stat(P, j);
    return 1;
}

/* Deletes the rows added after b was taken and puts b's basis back;
 * 0 when out of memory (P unchanged). */
static int basis_back(const basis_save *b, glp_prob *P)
{
    int mr = glp_get_num_rows(P), nd = 0;
    if (mr > b->nr) {
        int *del = ckp_malloc(((size_t)(mr - b->nr) + 1) * sizeof *del);
        if (!del) return 0;
        for (int i = b->nr + 1; i <= mr; i++) del[++nd] = i;
        glp_del_rows(P, nd, del);
        ckp_free(del);
    }
    for (int i = 1; i <= b->nr; i++) glp_set_row_stat(P, i, b->stat[i]);
    for (int j = 1; j <= b->nc; j++) glp_set_col_stat(P, j, b->stat[b->nr + j]);
    return 1;
}

/* Rounds of tableau MIR and two-step MIR cuts on the root LP of P (docs/
 * solver.md §5b), added as rows and re-solved with the dual simplex,
 * while a round raises the bound by ROOT_CUT_GAIN (relative) and, when
 * target is finite (an incumbent's objective), by ROOT_CUT_CLOSE of the
 * gap left to it.  A re-solve that fails or runs past its iteration cap
 * ends the rounds and that round is rolled back (its cuts deleted, the
 * basis before it restored and re-solved: the LP of the round before).
 * *failed = 1 when even that fails or time runs out (P's LP is then not
 * optimal).  CKP_ENOMEM also sets *failed. */
static ckp_status cut_rounds(ckp_glpk_ctx *c, glp_prob *P, double target,
                             ckp_solution *sol, int *failed)
{
    ckp_tmir_sep *s = NULL;
    basis_save b = {0, 0, 0, NULL};
    *failed = 0;
    ckp_status st = ckp_tmir_sep_new(&s);
    if (st != CKP_OK) {
        *failed = 1;
        return st;
    }
    glp_smcp ds;
    glp_init_smcp(&ds);
    ds.msg_lev = c->verbose ? GLP_MSG_ON : GLP_MSG_ERR;
    ds.meth = GLP_DUALP;
    double prev = glp_get_obj_val(P);
    for (int r = 0; r < ROOT_CUT_ROUNDS; r++) {
        if (!basis_take(&b, P)) {
            st = CKP_ENOMEM;
            *failed = 1;
            break;
        }
        int k = ckp_tmir_add_rows(s, P);
        if (k < 0) {
            st = CKP_ENOMEM;
            *failed = 1;
            break;
        }
        if (k == 0) break;
        ds.tm_lim = ckp_glpk_remaining_ms(c);
        if (ds.tm_lim <= 1) {
            *failed = 1; /* out of time */
            break;
        }
        int cap = ROOT_CUT_IT_PER_CUT * k;
        if (cap < ROOT_CUT_IT_MIN) cap = ROOT_CUT_IT_MIN;
        if (c->params->debug_root_it_cap > 0) cap = c->params->debug_root_it_cap;
        ds.it_lim = cap;
        int ret = glp_simplex(P, &ds);
        if (ret != 0 || glp_get_status(P) != GLP_OPT) {
            /* back to the LP of the round before */
            if (!basis_back(&b, P)) {
                st = CKP_ENOMEM;
                *failed = 1;
                break;
            }
            sol->root_cut_rollback = 1;
            ds.it_lim = INT_MAX;
            ds.tm_lim = ckp_glpk_remaining_ms(c);
            ret = glp_simplex(P, &ds);
            if (ret != 0 || glp_get_status(P) != GLP_OPT) *failed = 1;
            break;
        }
        double now = glp_get_obj_val(P);
        double need = ROOT_CUT_GAIN * (1.0 + fabs(prev));
        if (isfinite(target) && target > prev && ROOT_CUT_CLOSE * (target - prev) > need)
            need = ROOT_CUT_CLOSE * (target - prev);
        sol->root_cut_rounds = r + 1;
        if (now - prev < need) break;
        prev = now;
    }
    sol->root_cuts_added = (int)ckp_tmir_count(s);
    ckp_tmir_sep_free(s);
    ckp_free(b.stat);
    return st;
}

/* Deletes the cuts (every row after the model's n_rows, or only the basic
 * ones with all = 0) and re-solves P; with all = 1 the root basis in saved
 * (taken before the rounds; NULL: a standard basis) is restored first, so
 * the LP is that of the model again. */
static ckp_status remove_cuts(ckp_glpk_ctx *c, glp_prob *P, const ckp_mip *m, int all,
                              const basis_save *saved, ckp_solution *sol,
                              ckp_diag_list *diag)
{
    if (all && saved) {
        if (!basis_back(saved, P)) return CKP_ENOMEM;
    } else {
        int *del = ckp_malloc(((size_t)glp_get_num_rows(P) + 1) * sizeof *del);
        if (!del) return CKP_ENOMEM;
        drop_cuts(P, m->n_rows, all, del);
        ckp_free(del);
        if (all) glp_std_basis(P);
    }
    sol->root_cuts_kept = glp_get_num_rows(P) - m->n_rows;
    glp_smcp ds;
    glp_init_smcp(&ds);
    ds.msg_lev = c->verbose ? GLP_MSG_ON : GLP_MSG_ERR;
    ds.meth = GLP_DUALP;
    /* the basis stays optimal when only basic rows went or the saved one
     * is back (no iteration); otherwise this solves the LP without cuts
     * again, which succeeded once: no time limit here */
    int ret = glp_simplex(P, &ds);
    if (ret != 0 && all && saved) {
        glp_std_basis(P);
        ret = glp_simplex(P, &ds);
    }
    if (ret != 0 || glp_get_status(P) != GLP_OPT)
        return ckp_glpk_solver_failed(c, "glp_simplex (root cuts)", ret, diag);
    return CKP_OK;
}

/* Root cuts, mode "on": the rounds, then only the binding cuts stay (they
 * are valid for the whole model: P has the model's bounds); after a
 * failure every cut goes. */
ckp_status ckp_glpk_root_cuts_on(ckp_glpk_ctx *c, glp_prob *P, const ckp_mip *m,
                            ckp_solution *sol, ckp_diag_list *diag)
{
    int failed = 0;
    ckp_status st = cut_rounds(c, P, INFINITY, sol, &failed);
    ckp_status st2 = remove_cuts(c, P, m, failed, NULL, sol, diag);
    return st != CKP_OK ? st : st2;
}

/* Root cuts, mode "proof" (docs/solver.md §5b), after the heuristics ran
 * on the plain root LP and only when they found a point the LP bound does
 * not already prove: the rounds (each must close ROOT_CUT_CLOSE of the gap
 * left to that point), then, when they closed ROOT_PROOF_DIVE of it, the
 * LP heuristic's restricted MIP from the cut LP's point.  When the cut
 * bound then reaches the best point, the second run's included
 * (ROOT_PROOF_TOL, or the relative gap asked for), the binding cuts stay,
 * that point is offered and GLPK's root completes the proof; otherwise
 * every cut goes, the root LP's basis is restored and only the first
 * point is offered, so the search is exactly the one without root cuts
 * (a better second point changed GLPK's tree for the worse: 5,815 ->
 * 7,743 nodes on a 300-project scenario plan, docs/performance.md). */
ckp_status ckp_glpk_root_proof(ckp_glpk_ctx *c, glp_prob *P, const ckp_mip *m,
                             ckp_solution *sol, ckp_diag_list *diag)
{
    double best = INFINITY;
    if (c->dive_x) best = c->dive.objective;
    if (c->heur_x && c->heuristic_objective < best) best = c->heuristic_objective;
    double tol = ROOT_PROOF_TOL > c->params->mip_gap ? ROOT_PROOF_TOL : c->params->mip_gap;
    double lp0 = glp_get_obj_val(P);
    if (!isfinite(best) || !ckp_glpk_lp_fractional(P, m) || best - lp0 <= tol * (1.0 + fabs(best)))
        return CKP_OK; /* nothing to prove, or the root LP proves it */
    basis_save root = {0, 0, 0, NULL};
    double *x = ckp_malloc(((size_t)m->n_cols + 1) * sizeof *x);
    ckp_status st = CKP_ENOMEM;
    if (!x || !basis_take(&root, P)) goto out;
    int failed = 0;
    st = cut_rounds(c, P, best, sol, &failed);
    int keep = 0, second = 0;
    double second_obj = INFINITY, lp1 = glp_get_obj_val(P);
    if (st == CKP_OK && !failed && c->orig && ckp_glpk_lp_fractional(P, m) &&
        lp1 - lp0 >= ROOT_PROOF_DIVE * (best - lp0) &&
        best - lp1 > tol * (1.0 + fabs(best))) {
        /* the restricted MIP from the cut LP's point, on the model
         * without cuts (c->orig and c->node_lp exist with it: as the runs
         * from node LPs) */
        double budget = 0.0;
        int run = 1;
        if (c->params->time_limit > 0.0) {
            budget = DIVE_SHARE * (c->params->time_limit - ckp_glpk_elapsed(c));
            run = budget > 0.001;
        }
        ckp_dive_result r;
        for (int j = 0; j < m->n_cols; j++) c->node_lp[j] = glp_get_col_prim(P, j + 1);
        if (run) {
            st = ckp_glpk_dive(c->orig, m, c->node_lp, budget, 0, CKP_HEUR_RESTRICTED,
                               c->verbose, x, &r);
            c->dive.seconds += r.seconds; /* both runs */
            c->dive.lps += r.lps;
            second = st == CKP_OK && r.found && r.objective < best;
            if (second) second_obj = r.objective;
        }
    }
    double inc = second ? second_obj : best;
    if (st == CKP_OK && !failed)
        keep = inc - glp_get_obj_val(P) <= tol * (1.0 + fabs(inc));
    if (keep && second) {
        /* the proven point; otherwise the search gets the first one only,
         * as without root cuts */
        if (!c->dive_x) {
            c->dive_x = x;
            x = NULL;
        } else {
            memcpy(c->dive_x, x, ((size_t)m->n_cols + 1) * sizeof *c->dive_x);
        }
        c->dive.found = 1;
        c->dive.objective = second_obj;
    }
    ckp_status st2 = remove_cuts(c, P, m, !keep, &root, sol, diag);
    if (st == CKP_OK) st = st2;
out:
    ckp_free(root.stat);
    ckp_free(x);
    return st;
}
