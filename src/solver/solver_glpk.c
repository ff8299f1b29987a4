/* solver_glpk.c: ckp_solve, the GLPK 5 boundary of chokepoint (see
 * ckp/solve.h and docs/solver.md).  glp_prob never leaves src/solver.  The
 * wrapper's other files: glpk_guard.c (the guard, checks, loading),
 * callback.c (glp_intopt's callback), root_cuts.c (chokepoint's root
 * cuts), model_io.c (LP / MPS export, test helpers), params.c
 * (parameters, names).  A solve loads a ckp_mip into GLPK in one pass (names, bounds,
 * kinds, objective, then glp_check_dup and ONE glp_load_matrix; the
 * 1-based translation happens here and nowhere else), solves the root LP
 * with glp_simplex, completes the caller's greedy incumbent (binaries
 * fixed, LP on the exact reduction of reduce.h), runs the LP heuristic (heuristic.c: restricted
 * MIP, dive, drop pass, polishing sub-MIP), offers both points at the
 * first GLP_IHEUR callback (the LP heuristic's first), then runs
 * glp_intopt and maps the outcome to a ckp_mip_status.
 *
 * Guard.  Every entry point runs its GLPK work through run_guarded, which
 * installs glp_error_hook + setjmp before the first GLPK call.  A GLPK fatal error (which would otherwise abort the
 * process) longjmps back, glp_free_env() releases every GLPK object, and
 * the call returns CKP_ESOLVER with a diagnostic carrying GLPK's own
 * message (captured by the glp_term_hook while glp_at_error() is true).
 * GLPK's output goes to stderr only when params->verbose; otherwise it is
 * swallowed (the last line is kept for diagnostics).  Each entry point
 * ends with glp_free_env(), so no GLPK memory outlives a call.
 * Test hook: params->debug_force_fatal = 1, or the environment variable
 * CKP_DEBUG_GLPK_FATAL=1 (any entry point, including the LP/MPS writers),
 * makes the wrapper call glp_set_col_kind with an out-of-range column
 * index after loading the problem: a genuine GLPK fatal error.
 *
 * Status mapping (stage, GLPK return code, glp_get_status /
 * glp_mip_status -> ckp_mip_status or ckp_status):
 *
 *   | stage        | return code        | GLPK status   | chokepoint              |
 *   |--------------|--------------------|---------------|-------------------------|
 *   | glp_simplex  | 0                  | GLP_OPT       | go on to glp_intopt     |
 *   | glp_simplex  | 0                  | GLP_NOFEAS    | INFEASIBLE              |
 *   | glp_simplex  | 0                  | GLP_UNBND     | CKP_ESOLVER (unbounded) |
 *   | glp_simplex  | GLP_ETMLIM/EITLIM  | any           | NO_SOLUTION             |
 *   | glp_simplex  | other non-zero     | any           | CKP_ESOLVER             |
 *   | glp_intopt   | 0                  | GLP_OPT       | OPTIMAL, gap 0          |
 *   | glp_intopt   | 0                  | GLP_NOFEAS    | INFEASIBLE              |
 *   | glp_intopt   | 0                  | GLP_FEAS      | FEASIBLE (not proven)   |
 *   | glp_intopt   | GLP_EMIPGAP        | GLP_FEAS      | OPTIMAL, gap_stopped=1  |
 *   | glp_intopt   | GLP_ETMLIM, ESTOP  | GLP_FEAS      | FEASIBLE (never OPTIMAL)|
 *   | glp_intopt   | GLP_ETMLIM, ESTOP  | UNDEF/NOFEAS  | NO_SOLUTION             |
 *   | glp_intopt   | GLP_ENOPFS         | (presolve on) | INFEASIBLE              |
 *   | glp_intopt   | GLP_ENODFS         | (presolve on) | CKP_ESOLVER (unbounded) |
 *   | glp_intopt   | GLP_EFAIL          | GLP_FEAS      | FEASIBLE + warning diag |
 *   | glp_intopt   | EFAIL/EBOUND/EROOT | otherwise     | CKP_ESOLVER             |
 *   | any          | fatal error (hook) | -             | CKP_ESOLVER             |
 * (GLP_ESTOP comes from node_limit: the callback terminates the search once
 * the tree has that many nodes; ckp_solution.limit names the limit.)
 *
 * Bound: the root LP objective, then the best active node's bound
 * (glp_ios_best_node / glp_ios_node_bound) tracked in the callback, never
 * above the incumbent; equal to the objective when proven optimal.  Gap:
 * |obj - bound| / (|obj| + DBL_EPSILON), GLPK's own definition. */
#include "ckp/solve.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <glpk.h>

#include "solver/cuts.h"
#include "solver/glpk_ctx.h"
#include "solver/heuristic.h"
#include "solver/reduce.h"
#include "util/alloc.h"

/* Measured defaults (docs/solver.md, "Branching and cuts"). */
#define DEFAULT_BRANCHING GLP_BR_PCH
#define DEFAULT_MIR 1
#define DEFAULT_CLIQUE 1
#define DEFAULT_FP 1 /* feasibility pump at the root */
#define DEFAULT_GMI 0
#define DEFAULT_COV 0
#define DEFAULT_PS 0
#define KNAP_CONT_RATIO 1.0 /* cover cuts by default when the continuous
                               columns are at least this many times the
                               binaries (the scenario models; measured) */
#define DEFAULT_ROOT_CUTS CKP_ROOT_CUTS_PROOF /* measured: docs/performance.md,
                                                "Root cuts" */
#define DEFAULT_PCOST 1 /* chokepoint's branching rule (§5e; measured) */
#define DEFAULT_PROBE 0 /* probing at the root (§5d; measured) */
#define DIVE_POLISH_NODES 200 /* node limit of the dive's polishing sub-MIP */

/* Complete the greedy incumbent: binaries fixed at the given 0/1 values,
 * the LP of the continuous columns solved on the exact reduction of the
 * model under those fixings (reduce.h: only the live part, so the LP is
 * small).  Leaves c->heur_x NULL when the vector does not fit the model or
 * the LP is not optimal. */
static ckp_status complete_incumbent(ckp_glpk_ctx *c, const ckp_mip *m, const double *inc)
{
    for (int j = 0; j < m->n_cols; j++) {
        if (m->col_kind[j] != CKP_COL_BINARY) continue;
        double v = inc[j];
        if (!(v == 0.0 || v == 1.0) || v < m->col_lb[j] || v > m->col_ub[j])
            return CKP_OK; /* not a usable 0/1 choice: do not offer */
    }
    size_t n = (size_t)m->n_cols + 1;
    double *lb = ckp_malloc(n * sizeof *lb);
    double *ub = ckp_malloc(n * sizeof *ub);
    c->heur_x = ckp_malloc(n * sizeof *c->heur_x);
    ckp_reduced red;
    memset(&red, 0, sizeof red);
    ckp_status st = CKP_ENOMEM;
    if (!lb || !ub || !c->heur_x) goto out;
    for (int j = 0; j < m->n_cols; j++) {
        int bin = m->col_kind[j] == CKP_COL_BINARY;
        lb[j] = bin ? inc[j] : m->col_lb[j];
        ub[j] = bin ? inc[j] : m->col_ub[j];
    }
    st = ckp_reduce(m, lb, ub, NULL, REDUCE_TOL, &red);
    if (st != CKP_OK) goto out;
    int ok = 0;
    if (!red.infeasible) {
        glp_smcp sm;
        glp_init_smcp(&sm);
        sm.msg_lev = c->verbose ? GLP_MSG_ALL : GLP_MSG_ERR;
        sm.meth = GLP_DUALP;
        sm.tm_lim = ckp_glpk_remaining_ms(c);
        int ret = glp_simplex(red.R, &sm);
        ok = ret == 0 && glp_get_status(red.R) == GLP_OPT;
    }
    if (ok) {
        ckp_reduced_values(&red, 0, c->heur_x + 1);
        c->heur_x[0] = 0.0;
        for (int j = 0; j < m->n_cols; j++)
            if (m->col_kind[j] == CKP_COL_BINARY) c->heur_x[j + 1] = inc[j];
        c->heuristic_objective = glp_get_obj_val(red.R);
    } else {
        ckp_free(c->heur_x);
        c->heur_x = NULL;
    }
out:
    ckp_reduced_free(&red);
    ckp_free(lb);
    ckp_free(ub);
    return st;
}

/* 1 when the model has at least KNAP_CONT_RATIO continuous columns per
 * binary: the two-stage models with scenarios, where every scenario has
 * its own production columns, and the bundled plan (the default switch of
 * the cover cuts; the generated plans without scenarios have about 0.7
 * and the cuts cost them nodes, docs/solver.md §5). */
static int two_stage(const ckp_mip *m)
{
    int nb = ckp_mip_n_binary(m);
    return nb > 0 && (double)(m->n_cols - nb) >= KNAP_CONT_RATIO * (double)nb;
}

/* The LP dive (heuristic.c) from the root LP; c->dive_x when it finds a
 * point.  Its time is bounded by a share of what is left of time_limit. */
static ckp_status run_dive(ckp_glpk_ctx *c, glp_prob *P, const ckp_mip *m)
{
    if (!ckp_glpk_lp_fractional(P, m)) return CKP_OK;
    double budget = 0.0;
    if (c->params->time_limit > 0.0) {
        budget = DIVE_SHARE * (c->params->time_limit - ckp_glpk_elapsed(c));
        if (budget <= 0.001) return CKP_OK;
    }
    c->dive_x = ckp_malloc(((size_t)m->n_cols + 1) * sizeof *c->dive_x);
    if (!c->dive_x) return CKP_ENOMEM;
    ckp_status st = ckp_glpk_dive(P, m, NULL, budget, DIVE_POLISH_NODES, CKP_HEUR_ALL,
                                  c->verbose, c->dive_x, &c->dive);
    if (st == CKP_OK) {
        /* for the periodic runs from node LPs during glp_intopt */
        c->node_x = ckp_malloc(((size_t)m->n_cols + 1) * sizeof *c->node_x);
        c->node_lp = ckp_malloc(((size_t)m->n_cols + 1) * sizeof *c->node_lp);
        if (!c->node_x || !c->node_lp) return CKP_ENOMEM;
        c->orig = glp_create_prob();
        glp_copy_prob(c->orig, P, GLP_OFF);
    }
    if (st != CKP_OK || !c->dive.found) {
        ckp_free(c->dive_x);
        c->dive_x = NULL;
    }
    return st;
}

/* 1 when m has binaries and every one of them is fixed (lb = ub): the
 * MIP is an LP in the continuous columns. */
static int binaries_all_fixed(const ckp_mip *m)
{
    int nb = 0;
    for (int j = 0; j < m->n_cols; j++) {
        if (m->col_kind[j] != CKP_COL_BINARY) continue;
        if (m->col_lb[j] != m->col_ub[j]) return 0;
        nb++;
    }
    return nb > 0;
}

/* Every binary fixed: the LP of the rest on the exact reduction of the
 * model (reduce.h), a few hundred rows where the model has thousands (the
 * post-solve LPs of ckp_run).  *handled = 0 when GLPK fails on it (the
 * caller then solves the full model as usual). */
static ckp_status solve_fixed(ckp_glpk_ctx *c, const ckp_mip *m, ckp_solution *sol,
                              int *handled, ckp_diag_list *diag)
{
    *handled = 0;
    ckp_reduced red;
    ckp_status st = ckp_reduce(m, m->col_lb, m->col_ub, NULL, REDUCE_TOL, &red);
    if (st != CKP_OK) return st;
    if (red.infeasible) {
        sol->status = CKP_MIP_INFEASIBLE;
        sol->glpk_ret = 0;
        sol->glpk_status = GLP_NOFEAS;
        *handled = 1;
        goto out;
    }
    glp_smcp sm;
    glp_init_smcp(&sm);
    sm.msg_lev = c->verbose ? GLP_MSG_ALL : GLP_MSG_ERR;
    sm.tm_lim = ckp_glpk_remaining_ms(c);
    int ret = glp_simplex(red.R, &sm);
    if (ret == GLP_ETMLIM || ret == GLP_EITLIM) {
        sol->glpk_ret = ret;
        sol->status = CKP_MIP_NO_SOLUTION;
        sol->limit = CKP_LIMIT_TIME;
        *handled = 1;
        goto out;
    }
    if (ret != 0) goto out;
    int lp = glp_get_status(red.R);
    if (lp == GLP_NOFEAS) {
        sol->status = CKP_MIP_INFEASIBLE;
        sol->glpk_ret = 0;
        sol->glpk_status = GLP_NOFEAS;
        *handled = 1;
    } else if (lp == GLP_UNBND) {
        st = ckp_glpk_unbounded(diag);
        *handled = 1;
    } else if (lp == GLP_OPT) {
        sol->x = ckp_malloc((size_t)(m->n_cols > 0 ? m->n_cols : 1) * sizeof *sol->x);
        if (!sol->x) {
            st = CKP_ENOMEM;
            goto out;
        }
        ckp_reduced_values(&red, 0, sol->x);
        for (int j = 0; j < m->n_cols; j++)
            if (m->col_kind[j] == CKP_COL_BINARY) sol->x[j] = m->col_lb[j];
        sol->status = CKP_MIP_OPTIMAL;
        sol->glpk_ret = 0;
        sol->glpk_status = GLP_OPT;
        sol->objective = glp_get_obj_val(red.R);
        sol->bound = sol->objective;
        sol->gap = 0.0;
        *handled = 1;
    }
out:
    ckp_reduced_free(&red);
    return st;
}

/* Everything that calls GLPK during a solve.  Runs under the guard:
 * may never return (longjmp to ckp_solve). */
typedef struct solve_args {
    const ckp_mip *m;
    const ckp_solve_params *prm;
    const double *inc;
    ckp_solution *sol;
    int force_fatal;
    ckp_diag_list *diag;
} solve_args;

/* The root LP's objective and the reduced costs of its non-basic binary
 * columns (ckp_solution.root_lp, root_dj). */
static ckp_status keep_root_dj(glp_prob *P, const ckp_mip *m, ckp_solution *sol)
{
    sol->root_dj = ckp_calloc((size_t)m->n_cols + 1, sizeof *sol->root_dj);
    if (!sol->root_dj) return CKP_ENOMEM;
    sol->root_lp = glp_get_obj_val(P);
    for (int j = 0; j < m->n_cols; j++) {
        if (m->col_kind[j] != CKP_COL_BINARY) continue;
        int stat = glp_get_col_stat(P, j + 1);
        if (stat == GLP_NL || stat == GLP_NU) sol->root_dj[j] = glp_get_col_dual(P, j + 1);
    }
    return CKP_OK;
}

static ckp_status solve_guarded(ckp_glpk_ctx *c, void *arg)
{
    const solve_args *a = arg;
    const ckp_mip *m = a->m;
    const ckp_solve_params *prm = a->prm;
    const double *inc = a->inc;
    ckp_solution *sol = a->sol;
    int force_fatal = a->force_fatal;
    ckp_diag_list *diag = a->diag;
    ckp_status st = CKP_OK;
    glp_prob *P = glp_create_prob();
    /* every binary fixed: the reduced LP is built from m itself, so the
       full model is loaded only when GLPK fails on it (the post-solve
       LPs of ckp_run: loading 16,000 named columns cost more than the
       reduced LP on the 1,000-project plans); the test hook of
       force_fatal lives in the load */
    if (!force_fatal && !prm->presolve && binaries_all_fixed(m)) {
        int handled = 0;
        CKP_TRY_GOTO(st, solve_fixed(c, m, sol, &handled, diag), done);
        if (handled) goto done;
    }
    CKP_TRY_GOTO(st, ckp_glpk_load_prob(c, P, m, force_fatal, diag), done);

    glp_smcp sm;
    glp_init_smcp(&sm);
    sm.msg_lev = c->verbose ? GLP_MSG_ALL : GLP_MSG_ERR;
    sm.tm_lim = ckp_glpk_remaining_ms(c);
    int ret = glp_simplex(P, &sm);
    sol->glpk_ret = ret;
    if (ret == GLP_ETMLIM || ret == GLP_EITLIM) {
        sol->status = CKP_MIP_NO_SOLUTION;
        sol->limit = CKP_LIMIT_TIME;
        goto done;
    }
    if (ret != 0) {
        st = ckp_glpk_solver_failed(c, "glp_simplex", ret, diag);
        goto done;
    }
    int lp = glp_get_status(P);
    if (lp == GLP_NOFEAS) {
        sol->status = CKP_MIP_INFEASIBLE;
        sol->glpk_status = GLP_NOFEAS;
        goto done;
    }
    if (lp == GLP_UNBND) {
        st = ckp_glpk_unbounded(diag);
        goto done;
    }
    if (lp != GLP_OPT) {
        st = ckp_glpk_solver_failed(c, "glp_simplex (status)", lp, diag);
        goto done;
    }
    CKP_TRY_GOTO(st, keep_root_dj(P, m, sol), done);
    int rc = prm->presolve ? CKP_ROOT_CUTS_OFF
             : prm->root_cuts < 0 ? DEFAULT_ROOT_CUTS
                                  : prm->root_cuts;
    if (rc == CKP_ROOT_CUTS_ON) CKP_TRY_GOTO(st, ckp_glpk_root_cuts_on(c, P, m, sol, diag), done);

    if (inc && !prm->no_heuristic && !prm->presolve)
        CKP_TRY_GOTO(st, complete_incumbent(c, m, inc), done);
    if (!prm->no_lp_heuristic && !prm->presolve)
        CKP_TRY_GOTO(st, run_dive(c, P, m), done);
    if (rc == CKP_ROOT_CUTS_PROOF) CKP_TRY_GOTO(st, ckp_glpk_root_proof(c, P, m, sol, diag), done);
    c->bound = glp_get_obj_val(P);
    c->have_bound = 1;

    glp_iocp io;
    glp_init_iocp(&io);
    io.msg_lev = c->verbose ? GLP_MSG_ALL : GLP_MSG_ERR;
    io.br_tech = prm->branching ? prm->branching : DEFAULT_BRANCHING;
    io.mir_cuts = (prm->mir_cuts < 0 ? DEFAULT_MIR : prm->mir_cuts) ? GLP_ON : GLP_OFF;
    io.clq_cuts = (prm->clique_cuts < 0 ? DEFAULT_CLIQUE : prm->clique_cuts) ? GLP_ON
                                                                          : GLP_OFF;
    io.presolve = prm->presolve ? GLP_ON : GLP_OFF;
#define OPT(v, d) (((v) < 0 ? (d) : (v)) ? GLP_ON : GLP_OFF)
    /* the pump only looks for a first incumbent: by default it runs only
     * when the LP heuristic found none (docs/solver.md §5) */
    io.fp_heur = OPT(prm->fp_heur, c->dive_x ? 0 : DEFAULT_FP);
    io.gmi_cuts = OPT(prm->gmi_cuts, DEFAULT_GMI);
    io.cov_cuts = OPT(prm->cov_cuts, DEFAULT_COV);
    io.ps_heur = OPT(prm->ps_heur, DEFAULT_PS);
#undef OPT
    io.mip_gap = prm->mip_gap;
    io.tm_lim = ckp_glpk_remaining_ms(c);
    /* proximity search stays off; if ever enabled, its own time limit is
     * not bounded by tm_lim: cap it to a fifth of the remaining time */
    io.ps_tm_lim = io.tm_lim / 5 > 0 ? io.tm_lim / 5 : 1;
    if (io.ps_tm_lim > 60000) io.ps_tm_lim = 60000;
    io.cb_func = ckp_glpk_callback;
    io.cb_info = c;
    /* MIR cuts by default only near the root (see callback) */
    c->io = &io;
    c->mir_depth_limited = prm->mir_cuts < 0 && io.mir_cuts == GLP_ON;
    /* not with GLPK's presolver: the tree then works on a renumbered
     * problem, and the cuts are written in the model's columns */
    if (!prm->presolve && (prm->knap_cuts < 0 ? two_stage(m) : prm->knap_cuts)) {
        CKP_TRY_GOTO(st, ckp_cover_sep_new(m, &c->cover), done);
        if (c->cover) {
            c->cut_x = ckp_malloc(((size_t)m->n_cols + 1) * sizeof *c->cut_x);
            if (!c->cut_x) {
                st = CKP_ENOMEM;
                goto done;
            }
        }
    }
    if (!prm->presolve && !prm->branching && (prm->pcost < 0 ? DEFAULT_PCOST : prm->pcost)) {
        CKP_TRY_GOTO(st, ckp_pcost_new(m->n_cols, &c->pcost), done);
        io.cb_size = (int)ckp_pcost_node_size();
    }
    ret = glp_intopt(P, &io);
    int ms = glp_mip_status(P);
    sol->glpk_ret = ret;
    sol->glpk_status = ms;
    int have = ms == GLP_OPT || ms == GLP_FEAS;

    switch (ret) {
    case 0:
        sol->status = ms == GLP_OPT    ? CKP_MIP_OPTIMAL
                      : ms == GLP_FEAS ? CKP_MIP_FEASIBLE
                                       : CKP_MIP_INFEASIBLE;
        break;
    case GLP_EMIPGAP:
        sol->status = have ? CKP_MIP_OPTIMAL : CKP_MIP_NO_SOLUTION;
        sol->gap_stopped = have;
        break;
    case GLP_ESTOP:
        if (c->bound_stop && have) { /* optimal by the caller's bound */
            sol->status = CKP_MIP_OPTIMAL;
            sol->known_bound_reached = 1;
            break;
        }
        /* fall through */
    case GLP_ETMLIM:
    case GLP_EITLIM:
        sol->status = have ? CKP_MIP_FEASIBLE : CKP_MIP_NO_SOLUTION;
        sol->limit = c->node_stop ? CKP_LIMIT_NODES
                     : ret == GLP_ETMLIM ? CKP_LIMIT_TIME : CKP_LIMIT_NONE;
        break;
    case GLP_ENOPFS:
        sol->status = CKP_MIP_INFEASIBLE;
        have = 0;
        break;
    case GLP_ENODFS:
        st = ckp_glpk_unbounded(diag);
        goto done;
    case GLP_EFAIL:
        if (have) {
            sol->status = CKP_MIP_FEASIBLE;
            ckp_glpk_one_line(c->last);
            ckp_diag_add(diag, CKP_SEV_WARNING, NULL, 0, "solver-failed",
                         "GLPK glp_intopt stopped early (return code %d%s%s); "
                         "the incumbent is feasible but not proven optimal",
                         ret, c->last[0] ? ": " : "", c->last);
            break;
        }
        st = ckp_glpk_solver_failed(c, "glp_intopt", ret, diag);
        goto done;
    default:
        st = ckp_glpk_solver_failed(c, "glp_intopt", ret, diag);
        goto done;
    }

    if (have) {
        sol->objective = glp_mip_obj_val(P);
        sol->x = ckp_malloc((size_t)(m->n_cols > 0 ? m->n_cols : 1) * sizeof *sol->x);
        if (!sol->x) {
            st = CKP_ENOMEM;
            goto done;
        }
        for (int j = 0; j < m->n_cols; j++) sol->x[j] = glp_mip_col_val(P, j + 1);
        if (sol->status == CKP_MIP_OPTIMAL && !sol->gap_stopped) {
            sol->bound = sol->objective;
            sol->gap = 0.0;
        } else {
            double b = c->have_bound ? c->bound : -INFINITY;
            if (b > sol->objective) b = sol->objective;
            sol->bound = b;
            sol->gap = isfinite(b) ? ckp_glpk_mip_gap(sol->objective, b) : INFINITY;
        }
    } else {
        sol->bound = c->have_bound ? c->bound : NAN;
    }

done:
    sol->nodes = c->nodes;
    sol->knap_cuts_added = ckp_cover_count(c->cover);
    sol->pcost_strong = ckp_pcost_strong(c->pcost);
    sol->pcost_chosen = ckp_pcost_chosen(c->pcost);
    if (c->orig) glp_delete_prob(c->orig);
    c->orig = NULL;
    glp_delete_prob(P);
    return st;
}

ckp_status ckp_solve(const ckp_mip *mip, const ckp_solve_params *params,
                     const double *incumbent, ckp_solution **out,
                     ckp_diag_list *diag)
{
    *out = NULL;
    ckp_solve_params defaults;
    ckp_solve_params_init(&defaults);
    const ckp_solve_params *const prm = params ? params : &defaults;
    char msg[256];
    if (ckp_solve_params_check(prm, msg, (int)sizeof msg) != CKP_OK) {
        ckp_diag_add(diag, CKP_SEV_ERROR, NULL, 0, "bad-parameter", "%s", msg);
        return CKP_EUSAGE;
    }
    CKP_TRY(ckp_glpk_prevalidate(mip, diag));

    ckp_glpk_ctx *c = ckp_calloc(1, sizeof *c);
    ckp_solution *sol = ckp_calloc(1, sizeof *sol);
    if (!c || !sol) {
        ckp_free(c);
        ckp_free(sol);
        return CKP_ENOMEM;
    }
    clock_gettime(CLOCK_MONOTONIC, &c->t0);
    c->params = prm;
    c->mip = mip;
    c->verbose = prm->verbose;
    c->heuristic_objective = NAN;
    sol->status = CKP_MIP_ERROR;
    sol->objective = NAN;
    sol->bound = NAN;
    sol->gap = NAN;
    sol->heuristic_objective = NAN;
    sol->dive_objective = NAN;
    sol->n_cols = mip->n_cols;
    int force_fatal = prm->debug_force_fatal || ckp_glpk_env_force_fatal();

    solve_args args = {mip, prm, incumbent, sol, force_fatal, diag};
    ckp_status st = ckp_glpk_run_guarded(c, solve_guarded, &args);
    if (c->caught) {
        if (!c->fatal_len) {
            snprintf(c->fatal, sizeof c->fatal, "(no message)");
            c->fatal_len = strlen(c->fatal);
        }
        ckp_glpk_report_fatal(c, "solve", diag);
        ckp_glpk_ctx_release(c);
        ckp_solution_free(sol);
        return CKP_ESOLVER;
    }
    sol->seconds = ckp_glpk_elapsed(c);
    sol->heuristic_used = c->heuristic_used;
    sol->heuristic_objective = c->heur_x ? c->heuristic_objective : NAN;
    sol->dive_objective = c->dive_x ? c->dive.objective : NAN;
    sol->dive_seconds = c->dive.seconds;
    sol->dive_lps = c->dive.lps;
    ckp_glpk_ctx_release(c);
    if (st != CKP_OK) {
        ckp_solution_free(sol);
        return st;
    }
    *out = sol;
    return CKP_OK;
}
