/* why.h: the least relaxation of an infeasible model's hard constraints
 * (docs/formulation.md 7g).  Private to src/core. */
#ifndef CKP_CORE_WHY_H
#define CKP_CORE_WHY_H

#include "ckp/diag.h"
#include "ckp/model.h"
#include "ckp/result.h"
#include "ckp/solve.h"

/* Solve the elastic copy of m (slack on every hard row, weighted) under
 * sp's limits.  *out: the rows loosened (caller frees with ckp_free),
 * *n_out their number; both NULL / 0 when the relaxation found nothing. */
ckp_status ckp_why_infeasible(const ckp_model *m, const ckp_solve_params *sp,
                              ckp_relaxation **out, int *n_out, ckp_diag_list *diag);

#endif
