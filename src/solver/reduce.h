/* reduce.h: a small exact LP reduction for the GLPK wrapper's heuristics
 * (docs/solver.md, "The LP heuristic").  Internal to src/solver.
 *
 * Given a ckp_mip and column bounds in which most binaries are fixed, it
 * removes every fixed column that is not to be kept (its value moves into
 * the row bounds and the objective constant), turns rows left with one
 * removable column into bounds of that column, removes the columns those
 * bounds fix, and repeats; rows left empty are checked and dropped.  Only
 * reductions that hold for any later bounds of the kept columns are made
 * (a row touching a kept column is never reduced), so the kept columns'
 * bounds may be changed freely in the reduced problem afterwards.
 *
 * Why: GLPK rebuilds its internal problem and refactorises the basis at
 * every glp_simplex call, which costs tens of milliseconds on the
 * 1,000-project models although the LP with every binary fixed is small.
 * The reduced problem has only the live part (existing facilities, the
 * funded projects' production, shortage, exposure rows), so the heuristic's
 * LPs with fixed binaries run on it instead. */
#ifndef CKP_SOLVER_REDUCE_H
#define CKP_SOLVER_REDUCE_H

#include <glpk.h>

#include "ckp/mip.h"
#include "ckp/status.h"

typedef struct ckp_reduced {
    glp_prob *R;       /* the reduced problem (NULL when infeasible) */
    int n;             /* columns of the original problem */
    int *rcol;         /* original column (0-based) -> R column (1-based), 0 = removed */
    int *ocol;         /* R column (1-based) -> original column (0-based) */
    double *value;     /* value of every removed column (0-based, original) */
    int infeasible;    /* 1 when the fixings break a row */
} ckp_reduced;

/* Reduce m under the column bounds lb/ub (0-based, n_cols each); keep[j]
 * != 0 keeps column j in R with the bounds lb[j]..ub[j] (and its kind);
 * keep may be NULL (no column kept).  Binaries kept are GLP_IV in R.  R's
 * objective constant includes the removed columns' part, so R's objective
 * value is the original objective.  tol: feasibility tolerance of an emptied
 * row or of crossing implied bounds (absolute, scaled by 1 + |bound|).
 * CKP_OK (check red->infeasible) or CKP_ENOMEM.  Free with
 * ckp_reduced_free (accepts a zeroed struct). */
ckp_status ckp_reduce(const ckp_mip *m, const double *lb, const double *ub,
                      const unsigned char *keep, double tol, ckp_reduced *red);

/* Column values of the original problem (0-based, n) from R's current
 * primal solution (kind 0: glp_get_col_prim; 1: glp_mip_col_val). */
void ckp_reduced_values(const ckp_reduced *red, int mip, double *x);

void ckp_reduced_free(ckp_reduced *red);

#endif
