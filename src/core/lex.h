/* lex.h: the lexicographic solve used by ckp_run (docs/formulation.md
 * section 7f): stage 1 the model's own objective, stage 2 the second key
 * with the first held within a tolerance, stage 3 a pass of LPs that
 * lowers the order key (earliest start, then plan order) with both held.
 * Private to src/core. */
#ifndef CKP_CORE_LEX_H
#define CKP_CORE_LEX_H

#include "ckp/diag.h"
#include "ckp/model.h"
#include "ckp/result.h"
#include "ckp/solve.h"

/* Tolerance of a held key of value v: max(1e-9, 1e-7 x |v|), in the
 * key's model units. */
double ckp_lex_tol(double v);

/* The exposure measure as a vector over m's columns: min-cost models
 * (goal_row >= 0): the goal row's coefficients; otherwise a copy of the
 * objective.  NULL when out of memory; the caller frees with ckp_free. */
double *ckp_lex_exposure(const ckp_model *m);

/* The reduced-cost bound of stage 1's root LP (docs/solver.md 5c): for
 * every point x of the model, key1(x) >= root_lp + the sum over the
 * binaries of ckp_lex_rc_term(dj, j, x_j) (dj = ckp_solution.root_dj).
 * ckp_lex_rc_sum: that sum over lp's binaries (every one fixed, at
 * col_lb); ckp_lex_rc_room: how much of it a point with key1 <= held can
 * have, plus a margin for GLPK's tolerances.  A point whose sum exceeds
 * the room breaks "key1 <= held" whatever its LP. */
double ckp_lex_rc_term(const double *dj, int j, double v);
double ckp_lex_rc_sum(const ckp_mip *lp, const double *dj);
double ckp_lex_rc_room(double root_lp, double held);

/* Solve m->mip lexicographically.  m was built with tie_break = 0; eobj is
 * ckp_lex_exposure(m); inc the first incumbent of stage 1 (may be NULL).
 * On CKP_OK *out is stage 1's solution with: x the portfolio of the last
 * stage that had one (NULL without any), status stage 1's (FEASIBLE when
 * stage 2 or 3 did not prove optimality), nodes and seconds summed over
 * the stages; objective, bound and gap stay stage 1's.  st[0..2] receive
 * each stage's account. */
ckp_status ckp_lex_solve(const ckp_model *m, const double *eobj,
                         const ckp_solve_params *sp, const double *inc,
                         ckp_solution **out, ckp_lex_stage st[3], ckp_diag_list *diag);

/* The same with bounds known from elsewhere (budget sweeps, ckp_run_hints):
 * sp->known_bound (when set) bounds stage 1's key from below; when stage 1
 * reaches it (within 1e-9 relative), commit_bound (millions of the plan
 * currency, NAN = none; not under min-cost) bounds stage 2's commitment
 * from below, and stage 2 stops once an incumbent reaches it.  Stage 3
 * runs without bounds. */
ckp_status ckp_lex_solve_bounded(const ckp_model *m, const double *eobj,
                                 const ckp_solve_params *sp, const double *inc,
                                 double commit_bound, ckp_solution **out,
                                 ckp_lex_stage st[3], ckp_diag_list *diag);

#endif
