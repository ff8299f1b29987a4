/* mip.h: a solver-neutral mixed-integer program: columns with bounds, kind
 * and objective coefficient; rows with bounds; the matrix as 0-based
 * triplets; names for every row and column.  The model builder fills it,
 * the GLPK wrapper (src/solver/solver_glpk.c) loads it in one
 * glp_load_matrix call, the LP/MPS export writes it.  Knows nothing of
 * plans, XML or GLPK. */
#ifndef CKP_MIP_H
#define CKP_MIP_H

#include "ckp/export.h"
#include "ckp/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ckp_col_kind {
    CKP_COL_CONTINUOUS = 0,
    CKP_COL_BINARY
} ckp_col_kind;

typedef struct ckp_mip {
    char *name;          /* owned */
    int n_cols;
    int cap_cols;
    char **col_name;     /* owned strings */
    double *col_lb;      /* -INFINITY allowed */
    double *col_ub;      /* +INFINITY allowed */
    double *obj;         /* objective coefficients (minimise) */
    unsigned char *col_kind;
    double obj_const;

    int n_rows;
    int cap_rows;
    char **row_name;
    double *row_lb;      /* -INFINITY = no lower bound */
    double *row_ub;      /* +INFINITY = no upper bound */

    int nnz;
    int cap_nnz;
    int *ia;             /* row index, 0-based */
    int *ja;             /* column index, 0-based */
    double *ar;
} ckp_mip;

/* Lifecycle */
/* name: a label (NULL or empty: "chokepoint"); stored as GLPK accepts it,
 * control characters as spaces, cut to 255 bytes (m->name NULL when out of
 * memory). */
CKP_API void ckp_mip_init(ckp_mip *m, const char *name);
CKP_API void ckp_mip_fini(ckp_mip *m); /* accepts NULL */
/* dst = a deep copy of src (dst uninitialised).  On failure dst is still
 * safe to ckp_mip_fini. */
CKP_API ckp_status ckp_mip_copy(const ckp_mip *src, ckp_mip *dst);

/* Building.  Names are copied.  *out_index receives the 0-based index. */
CKP_API ckp_status ckp_mip_add_col(ckp_mip *m, const char *name, ckp_col_kind kind,
                                   double lb, double ub, double obj, int *out_index);
CKP_API ckp_status ckp_mip_add_row(ckp_mip *m, const char *name, double lb, double ub,
                                   int *out_index);
/* Append a coefficient; zero coefficients are skipped.  Duplicate
 * (row, col) pairs are the builder's bug: ckp_mip_check() finds them. */
CKP_API ckp_status ckp_mip_add_coef(ckp_mip *m, int row, int col, double value);

/* Queries */
/* Coefficient of (row, col), 0 when absent (linear scan: tests only). */
CKP_API double ckp_mip_coef(const ckp_mip *m, int row, int col);
CKP_API int ckp_mip_find_col(const ckp_mip *m, const char *name); /* -1 if absent */
CKP_API int ckp_mip_find_row(const ckp_mip *m, const char *name); /* -1 if absent */
CKP_API int ckp_mip_n_binary(const ckp_mip *m);

/* Structural validation before handing the model to a solver: indices in
 * range, finite coefficients, lb <= ub, binaries with bounds in {0,1},
 * no duplicate (row, col).  Returns CKP_EINTERNAL with a message. */
CKP_API ckp_status ckp_mip_check(const ckp_mip *m, char *msg, int msg_size);

#ifdef __cplusplus
}
#endif

#endif
