/* hints.h: the column vector of a start portfolio (ckp_run_hints.start),
 * private to src/core. */
#ifndef CKP_CORE_HINTS_H
#define CKP_CORE_HINTS_H

#include "ckp/model.h"
#include "ckp/result.h"

/* pf as a column vector of m (binaries 0/1, continuous NAN: the format of
 * ckp_model_greedy), ckp_malloc'd into *out; *out = NULL (CKP_OK) when a
 * funded decision of pf has no column in m (a start outside its window):
 * nothing to offer.  Whether it fits the rows is the solver's to check. */
ckp_status ckp_hints_start_vector(const ckp_model *m, const ckp_fixed_portfolio *pf,
                                  double **out);

#endif
