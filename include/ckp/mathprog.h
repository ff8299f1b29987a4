/* mathprog.h: the data section of the GNU MathProg twin of the model
 * (models/chokepoint.mod, docs/formulation.md "MathProg twin").  The data
 * are the plan's figures in its own units plus every setting the model
 * was built with (objective, budget, penalty, tie-break, scenarios and
 * measure, max-share, min-cost goal, forced and excluded projects,
 * baseline), so that `glpsol --math models/chokepoint.mod --data FILE`
 * solves the same MIP as ckp_model_build() built. */
#ifndef CKP_MATHPROG_H
#define CKP_MATHPROG_H

#include <stdio.h>

#include "ckp/diag.h"
#include "ckp/export.h"
#include "ckp/model.h"
#include "ckp/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Write the data section of model m (built by ckp_model_build) to out.
 * An id that cannot be a MathProg symbol (over 100 bytes, or a control
 * character) is CKP_EINVALID with a diagnostic naming it; a write error
 * of out is left for the caller to detect (ferror). */
CKP_API ckp_status ckp_mathprog_write_data(const ckp_model *m, FILE *out,
                                           ckp_diag_list *diag);

/* The same into the file at path, atomically (temporary + rename); a path
 * that exists and is not a regular file (/dev/stdout, a FIFO) is written
 * in place.  CKP_EIO with a diagnostic when it cannot be written. */
CKP_API ckp_status ckp_mathprog_save_data(const ckp_model *m, const char *path,
                                          ckp_diag_list *diag);

#ifdef __cplusplus
}
#endif

#endif
