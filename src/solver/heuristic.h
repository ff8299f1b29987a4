/* heuristic.h: the LP-guided primal heuristic of the GLPK wrapper
 * (docs/solver.md, "The LP heuristic").  Internal to src/solver: it takes a
 * glp_prob whose LP relaxation has just been solved to optimality and
 * works on copies and on exact reductions of the model (reduce.h), so it
 * runs inside the wrapper's fatal-error guard and never outlives a
 * ckp_solve call. */
#ifndef CKP_SOLVER_HEURISTIC_H
#define CKP_SOLVER_HEURISTIC_H

#include <glpk.h>

#include "ckp/mip.h"
#include "ckp/status.h"

#define CKP_HEUR_ALL 0
#define CKP_HEUR_RESTRICTED 1
#define CKP_HEUR_DIVE 2

typedef struct ckp_dive_result {
    int found;        /* 1 when x holds a feasible point */
    double objective; /* its objective (NAN when none) */
    int lps;          /* LP re-solves spent (dive and polish) */
    int backtracks;   /* rounds undone because the LP became infeasible */
    int fallback;     /* 1 when the down-dive fallback ran */
    int improved;     /* 1 when the polishing sub-MIP improved the dive */
    double seconds;   /* wall time spent */
} ckp_dive_result;

/* An incumbent from the LP optimum of P (P itself is not changed; the
 * work happens on copies and reductions), in up to four steps:
 *  1. restricted MIP: every binary at 0 in the LP optimum is fixed at 0,
 *     the rest of the model is solved as a MIP with GLPK's presolver
 *     (which drops the fixed columns) and a node limit; its binaries are
 *     taken as they are (step 3 solves the LP of the rest);
 *  2. if that finds nothing, a depth-first dive: each round fixes the
 *     best fractional binaries at 1 (how many adapts: doubled after a
 *     feasible round, halved after a dead end), the other members of every
 *     set-packing row (all coefficients +1 on binaries, upper bound 1) of a
 *     column fixed at 1 at 0, and re-solves the LP (dual simplex, warm); a
 *     dead end tries the best one at 1, then at 0, then backtracks; after
 *     MAX_BACKTRACKS backtracks a down-dive (fractional binaries fixed at
 *     0 only) takes over;
 *  3. 1-opt drop: every binary at 1 is tried at 0 and left there when the
 *     LP stays feasible and the objective does not get worse (LPs on the
 *     exact reduction under the fixings, the binaries at 1 kept);
 *  4. when polish_nodes > 0, a polishing sub-MIP with every binary fixed
 *     where the point and the LP optimum agree, seeded with the point and
 *     stopped after polish_nodes nodes (on the exact reduction too).
 * x: n_cols + 1 doubles (1-based, GLPK style), written when found.
 * lp_x: the LP point to follow (0-based, n_cols), NULL = P's own LP
 * solution (the root).  steps: CKP_HEUR_ALL; CKP_HEUR_RESTRICTED = steps
 * 1 and 3 only (the callback's periodic runs from a node LP);
 * CKP_HEUR_DIVE = steps 2-4 without step 1 (tests).
 * time_budget: seconds (0 = none) for the whole call.
 * Deterministic for a given model: no random choice, node limits rather
 * than clock checks, and only the time budget depends on the clock. */
ckp_status ckp_glpk_dive(glp_prob *P, const ckp_mip *m, const double *lp_x,
                         double time_budget, int polish_nodes,
                         int steps, int verbose, double *x,
                         ckp_dive_result *res);

#endif
