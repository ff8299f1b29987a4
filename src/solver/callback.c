/* callback.c: glp_intopt's callback (docs/solver.md §1-§5): the MIR cuts
 * limited to the nodes near the root, chokepoint's cover cuts at every
 * GLP_ICUTGEN, the node limit and the caller's known bound, the offer of
 * the greedy and LP-heuristic points at the first GLP_IHEUR and the
 * periodic restricted MIPs from node LPs, the bound tracked from the best
 * active node, and the progress line / progress callback. */
#include "solver/glpk_ctx.h"

#include <float.h>
#include <math.h>
#include <stdio.h>

#define MIR_MAX_LEVEL 4 /* by default, MIR cuts only at nodes of depth < this */
#define NODE_HEUR_PERIOD 500 /* restricted MIP from the node LP every this many
                                GLP_IHEUR calls ... */
#define NODE_HEUR_MAX 20     /* ... at most this many times */
#define NODE_HEUR_ROOT 2     /* and from the root LP after each of the first
                                this many rounds of cuts ... */
#define NODE_HEUR_ROOT_GAP 0.01 /* ... while the incumbent is more than this
                                   above that LP's bound (relative) */
#define NODE_HEUR_SHARE 0.1  /* each may use this share of the time left */
#define PROGRESS_PERIOD 0.5      /* at most two progress lines a second */
#define KNOWN_BOUND_TOL 1e-9     /* an incumbent within this (relative) of
                                    params->known_bound is optimal */
#define BOUND_PERIOD 0.05        /* bound refresh when the tree is large */
#define BOUND_SCAN_ACTIVE 2000   /* below this, refresh at every call */

double ckp_glpk_mip_gap(double obj, double bound)
{
    return fabs(obj - bound) / (fabs(obj) + DBL_EPSILON);
}

static void print_progress(ckp_glpk_ctx *c, glp_tree *T, double now)
{
    glp_prob *P = glp_ios_get_prob(T);
    int feas = glp_mip_status(P) == GLP_FEAS || glp_mip_status(P) == GLP_OPT;
    double obj = feas ? glp_mip_obj_val(P) : NAN;
    char inc[32], bnd[32], gap[32];
    if (feas) snprintf(inc, sizeof inc, "%.6g", obj);
    else snprintf(inc, sizeof inc, "-");
    if (c->have_bound) snprintf(bnd, sizeof bnd, "%.6g", c->bound);
    else snprintf(bnd, sizeof bnd, "-");
    if (feas && c->have_bound)
        snprintf(gap, sizeof gap, "%.2f%%",
                 100.0 * ckp_glpk_mip_gap(obj, c->bound < obj ? c->bound : obj));
    else snprintf(gap, sizeof gap, "-");
    fprintf(stderr, "chokepoint: incumbent %s  bound %s  gap %s  nodes %ld  %.1f s\n",
            inc, bnd, gap, c->nodes, now);
}

/* The restricted MIP (heuristic.c, steps 1 and 3) from the LP of the
 * current node, offered when it finds a point (GLPK keeps it only when it
 * beats the incumbent).  Periodic by GLP_IHEUR count, so deterministic. */
static void node_heuristic(ckp_glpk_ctx *c, glp_tree *T)
{
    const ckp_mip *m = c->mip;
    glp_prob *Pt = glp_ios_get_prob(T);
    c->node_runs++;
    for (int j = 0; j < m->n_cols; j++) c->node_lp[j] = glp_get_col_prim(Pt, j + 1);
    double budget = 0.0;
    if (c->params->time_limit > 0.0) {
        budget = NODE_HEUR_SHARE * (c->params->time_limit - ckp_glpk_elapsed(c));
        if (budget <= 0.01) return;
    }
    ckp_dive_result r;
    if (ckp_glpk_dive(c->orig, m, c->node_lp, budget, 0, CKP_HEUR_RESTRICTED,
                      c->verbose, c->node_x,
                      &r) != CKP_OK || !r.found)
        return;
    if (glp_ios_heur_sol(T, c->node_x) == 0) c->node_found++;
}

/* 1 when the incumbent (if any) is more than NODE_HEUR_ROOT_GAP above the
 * LP bound of the current node (relative). */
static int root_gap_large(glp_tree *T)
{
    glp_prob *Pt = glp_ios_get_prob(T);
    int ms = glp_mip_status(Pt);
    if (ms != GLP_FEAS && ms != GLP_OPT) return 1;
    double inc = glp_mip_obj_val(Pt), lp = glp_get_obj_val(Pt);
    return inc - lp > NODE_HEUR_ROOT_GAP * (fabs(inc) + DBL_EPSILON);
}

void ckp_glpk_callback(glp_tree *T, void *info)
{
    ckp_glpk_ctx *c = info;
    int reason = glp_ios_reason(T);
    if (reason == GLP_IPREPRO && c->mir_depth_limited) {
        /* GLPK 5.0 keeps a pointer to the caller's glp_iocp and reads
         * mir_cuts at every round of cuts (its MIR generator is set up at
         * the root, so switching it back on is safe): MIR cuts at the nodes
         * of depth < MIR_MAX_LEVEL only.  Were a GLPK version to copy the
         * parameters instead, this would only leave MIR cuts on everywhere
         * (the previous default). */
        int lev = glp_ios_node_level(T, glp_ios_curr_node(T));
        c->io->mir_cuts = lev < MIR_MAX_LEVEL ? GLP_ON : GLP_OFF;
    }
    if (reason == GLP_ICUTGEN && c->cover) {
        /* every node: the violated covers appear deep in the tree, where
         * the budget rows bind (docs/solver.md §5) */
        glp_prob *Pt = glp_ios_get_prob(T);
        for (int j = 0; j < c->mip->n_cols; j++) c->cut_x[j] = glp_get_col_prim(Pt, j + 1);
        ckp_cover_separate(c->cover, T, c->cut_x);
    }
    if (c->pcost) {
        if (reason == GLP_IROWGEN) ckp_pcost_update(c->pcost, T);
        else if (reason == GLP_IBRANCH) ckp_pcost_branch(c->pcost, T);
    }
    int a_cnt = 0, n_cnt = 0, t_cnt = 0;
    glp_ios_tree_size(T, &a_cnt, &n_cnt, &t_cnt);
    c->nodes = t_cnt;
    double now = ckp_glpk_elapsed(c);
    if (c->params->known_bound_set && !c->bound_stop) {
        /* the incumbent (offered ones included, at the next call) is as
           good as the caller's lower bound: optimal, stop */
        glp_prob *Pt = glp_ios_get_prob(T);
        int ms = glp_mip_status(Pt);
        double kb = c->params->known_bound;
        if ((ms == GLP_FEAS || ms == GLP_OPT) &&
            glp_mip_obj_val(Pt) <= kb + KNOWN_BOUND_TOL * fmax(1.0, fabs(kb))) {
            c->bound_stop = 1;
            glp_ios_terminate(T);
        }
    }
    if (c->params->node_limit > 0 && c->nodes >= c->params->node_limit && !c->node_stop &&
        !c->bound_stop) {
        c->node_stop = 1;
        glp_ios_terminate(T);
    }

    if (reason == GLP_IHEUR && !c->offered) {
        /* the dive's point first: the greedy one is then accepted only
         * when it is better */
        c->offered = 1;
        if (c->dive_x) glp_ios_heur_sol(T, c->dive_x);
        if (c->heur_x && glp_ios_heur_sol(T, c->heur_x) == 0) c->heuristic_used = 1;
    } else if (reason == GLP_IHEUR && c->orig) {
        c->iheur_calls++;
        if (c->root_runs < NODE_HEUR_ROOT &&
            glp_ios_node_level(T, glp_ios_curr_node(T)) == 0 && root_gap_large(T)) {
            /* the root LP after a round of cuts */
            c->root_runs++;
            node_heuristic(c, T);
        } else if (c->iheur_calls % NODE_HEUR_PERIOD == 0 &&
                   c->node_runs - c->root_runs < NODE_HEUR_MAX) {
            node_heuristic(c, T);
        }
    }
    if (reason == GLP_IBINGO || a_cnt <= BOUND_SCAN_ACTIVE ||
        now - c->last_bound >= BOUND_PERIOD) {
        int b = glp_ios_best_node(T);
        if (b) {
            double v = glp_ios_node_bound(T, b);
            if (v > -DBL_MAX / 2) {
                c->bound = v;
                c->have_bound = 1;
            }
        }
        c->last_bound = now;
    }
    if (c->params->on_progress && (!c->notified || now - c->last_notify >= PROGRESS_PERIOD)) {
        c->notified = 1;
        c->last_notify = now;
        glp_prob *Pt = glp_ios_get_prob(T);
        int feas = glp_mip_status(Pt) == GLP_FEAS || glp_mip_status(Pt) == GLP_OPT;
        c->params->on_progress(c->params->on_progress_ctx, feas ? glp_mip_obj_val(Pt) : NAN,
                               c->have_bound ? c->bound : NAN, c->nodes);
    }
    if (c->params->progress && (!c->printed || now - c->last_print >= PROGRESS_PERIOD)) {
        c->printed = 1;
        c->last_print = now;
        print_progress(c, T, now);
    }
}
