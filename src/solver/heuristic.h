/* heuristic.h: the LP-guided primal heuristic of the GLPK wrapper
 * (docs/solver.md, "The LP dive").  Internal to src/solver: it takes a
 * glp_prob whose LP relaxation has just been solved to optimality and
 * works on a copy, so it runs inside the wrapper's fatal-error guard and
 * never outlives a ckp_solve call. */
#ifndef CKP_SOLVER_HEURISTIC_H
#define CKP_SOLVER_HEURISTIC_H

#include <glpk.h>

#include "ckp/mip.h"
#include "ckp/status.h"

typedef struct ckp_dive_result {
    int found;        /* 1 when x holds a feasible point */
    double objective; /* its objective (NAN when none) */
    int lps;          /* LP re-solves spent (dive and polish) */
    int backtracks;   /* rounds undone because the LP became infeasible */
    int fallback;     /* 1 when the down-dive fallback ran */
    int improved;     /* 1 when the polishing sub-MIP improved the dive */
    double seconds;   /* wall time spent */
} ckp_dive_result;

/* Dive from the LP optimum of P (unchanged; a copy is modified): each
 * round fixes every binary at >= 1 - eps to 1 and the most promising
 * fractional binaries to 1, sets the other members of every set-packing
 * row (all coefficients +1 on binaries, upper bound 1) of a column fixed at
 * 1 to 0, and re-solves the LP (dual simplex, warm); a round that makes
 * the LP infeasible is undone and retried with one column, then with that
 * column at 0.  Once every binary is integral they are all fixed and the
 * LP gives the continuous part.  Then, when polish_nodes > 0, a sub-MIP
 * with every binary fixed where the dive and the LP optimum agree is
 * solved with at most polish_nodes branch-and-bound nodes, seeded with
 * the dive's point.
 * x: n_cols + 1 doubles (1-based, GLPK style), written when found.
 * time_budget: seconds (0 = none); the dive gives up when it is spent.
 * Deterministic for a given model: no random choice, and only the time
 * budget depends on the clock. */
ckp_status ckp_glpk_dive(glp_prob *P, const ckp_mip *m, double time_budget,
                         int polish_nodes, int verbose, double *x,
                         ckp_dive_result *res);

#endif
