/* solver_test.h: a test-only helper of the GLPK wrapper: read an LP or
 * free-MPS file written by ckp_mip_write_lp / ckp_mip_write_mps back with
 * GLPK's own reader and solve it (presolve on), so the tests can check
 * that the exported file is the model chokepoint solves.  Not part of the
 * public API (include/ckp/); implemented in model_io.c. */
#ifndef CKP_SOLVER_SOLVER_TEST_H
#define CKP_SOLVER_SOLVER_TEST_H

#include "ckp/status.h"

#define CKP_MODEL_FILE_NAMES 8 /* first column names kept */

typedef struct ckp_model_file_info {
    int n_rows, n_cols, nnz, n_int, n_bin;
    int glpk_ret;      /* glp_intopt return code */
    int glpk_status;   /* glp_mip_status (5 = GLP_OPT) */
    double objective;  /* NAN unless proven optimal */
    char col_name[CKP_MODEL_FILE_NAMES][64];
} ckp_model_file_info;

/* mps = 1: free MPS, 0: CPLEX LP.  CKP_EIO when GLPK cannot read it,
 * CKP_ESOLVER on a caught GLPK fatal error. */
ckp_status ckp_solver_read_model_file(const char *path, int mps,
                                      ckp_model_file_info *info);

/* The LP heuristic's dive alone (heuristic.h steps 2-4: no restricted MIP,
 * no polishing) from the root LP of m: *found = 1 and x (n_cols, 0-based)
 * and *obj when it finds a point.  CKP_ESOLVER on a caught fatal error. */
#include "ckp/mip.h"
ckp_status ckp_solver_test_dive(const ckp_mip *m, double *x, double *obj, int *found);

/* The exact reduction of src/solver/reduce.h under the column bounds
 * lb/ub (0-based), no column kept, and its LP solved: *status 1 optimal
 * (x: n_cols values of the original columns, *obj the original objective
 * at them), 0 infeasible (found by the reduction or by the LP), -1 GLPK
 * did not solve it.  *rows / *cols: size of the reduced problem (-1 when
 * the reduction found the fixings infeasible).  CKP_ESOLVER on a caught
 * fatal error. */
ckp_status ckp_solver_test_reduced_lp(const ckp_mip *m, const double *lb, const double *ub,
                                      double *x, double *obj, int *status, int *rows,
                                      int *cols);

#endif
