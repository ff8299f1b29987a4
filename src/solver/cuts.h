/* cuts.h: chokepoint's own cutting planes for GLPK's branch-and-cut
 * (docs/solver.md, "Cover cuts on the knapsack rows").  Internal to
 * src/solver: GUB-aware lifted cover inequalities on the rows whose
 * entries are all binaries with non-negative coefficients (the budget rows
 * over start, upgrade and stockpile binaries), separated from the LP point
 * of a node and added to GLPK's cut pool at GLP_ICUTGEN. */
#ifndef CKP_SOLVER_CUTS_H
#define CKP_SOLVER_CUTS_H

#include <glpk.h>

#include "ckp/mip.h"
#include "ckp/status.h"

typedef struct ckp_cover_sep ckp_cover_sep;

/* Finds the knapsack rows of m and the GUB groups of its binaries (the
 * set-packing rows, all coefficients +1 with an upper bound <= 1: one
 * start per project, one per upgrade).  *out is NULL when m has no
 * knapsack row (nothing to separate).  Uses only m's own bounds, so every
 * cut is globally valid. */
ckp_status ckp_cover_sep_new(const ckp_mip *m, ckp_cover_sep **out);

/* Separates at most one cut per knapsack row from the LP point x
 * (0-based, n_cols) and adds each violated one (by more than the internal
 * threshold) with glp_ios_add_row.  Call only at GLP_ICUTGEN.  Returns
 * the number of cuts added, or -1 when an allocation failed. */
int ckp_cover_separate(ckp_cover_sep *s, glp_tree *T, const double *x);

/* Cuts added so far. */
long ckp_cover_count(const ckp_cover_sep *s);

void ckp_cover_sep_free(ckp_cover_sep *s);

/* Mixed-integer rounding and two-step MIR cuts from the simplex tableau
 * rows of the fractional integer columns of an LP (tabmir.c,
 * docs/solver.md §5b, "Root cuts"). */
typedef struct ckp_tmir_sep ckp_tmir_sep;

ckp_status ckp_tmir_sep_new(ckp_tmir_sep **out);

/* Separates from the LP of P (solved, basis optimal) with P's own bounds
 * and appends the most efficient violated cuts to P as rows (">=").
 * Returns the number added, or -1 when an allocation failed. */
int ckp_tmir_add_rows(ckp_tmir_sep *s, glp_prob *P);

/* Cuts added so far. */
long ckp_tmir_count(const ckp_tmir_sep *s);

void ckp_tmir_sep_free(ckp_tmir_sep *s); /* accepts NULL */

#endif
