/* model_io.c: the LP and free-MPS export of a ckp_mip through GLPK's
 * writers (ckp_mip_write_lp / ckp_mip_write_mps, under the guard), and the
 * test-only helpers of solver_test.h (read a written file back and solve
 * it, the LP heuristic's dive alone, the exact reduction's LP). */
#include "ckp/solve.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "solver/glpk_ctx.h"
#include "solver/reduce.h"
#include "solver/solver_test.h"
#include "util/alloc.h"

typedef struct write_args {
    const ckp_mip *mip;
    const char *path;
    int mps;
    int force_fatal;
    ckp_diag_list *diag;
} write_args;

static ckp_status write_guarded(ckp_glpk_ctx *c, void *arg)
{
    const write_args *a = arg;
    const char *path = a->path;
    int mps = a->mps;
    ckp_diag_list *diag = a->diag;
    glp_prob *P = glp_create_prob();
    ckp_status st = ckp_glpk_load_prob(c, P, a->mip, a->force_fatal, diag);
    if (st == CKP_OK) {
        int ret = mps ? glp_write_mps(P, GLP_MPS_FILE, NULL, path)
                      : glp_write_lp(P, NULL, path);
        if (ret != 0) {
            ckp_glpk_one_line(c->last);
            ckp_diag_add(diag, CKP_SEV_ERROR, path, 0, "write-failed",
                         "cannot write the model as %s to %s%s%s", mps ? "MPS" : "LP",
                         path, c->last[0] ? ": " : "", c->last);
            st = CKP_EIO;
        }
    }
    glp_delete_prob(P);
    return st;
}

static ckp_status write_model(const ckp_mip *mip, const char *path, int mps,
                              ckp_diag_list *diag)
{
    CKP_TRY(ckp_glpk_prevalidate(mip, diag));
    ckp_glpk_ctx *c = ckp_calloc(1, sizeof *c);
    if (!c) return CKP_ENOMEM;
    write_args args = {mip, path, mps, ckp_glpk_env_force_fatal(), diag};
    ckp_status st = ckp_glpk_run_guarded(c, write_guarded, &args);
    if (c->caught) ckp_glpk_report_fatal(c, mps ? "MPS export" : "LP export", diag);
    ckp_glpk_ctx_release(c);
    return st;
}

ckp_status ckp_mip_write_lp(const ckp_mip *mip, const char *path,
                            ckp_diag_list *diag)
{
    return write_model(mip, path, 0, diag);
}

ckp_status ckp_mip_write_mps(const ckp_mip *mip, const char *path,
                             ckp_diag_list *diag)
{
    return write_model(mip, path, 1, diag);
}

typedef struct read_args {
    const char *path;
    int mps;
    ckp_model_file_info *info;
} read_args;

static ckp_status read_guarded(ckp_glpk_ctx *c, void *arg)
{
    const read_args *a = arg;
    const char *path = a->path;
    int mps = a->mps;
    ckp_model_file_info *info = a->info;
    glp_prob *P = glp_create_prob();
    ckp_status st = CKP_OK;
    int ret = mps ? glp_read_mps(P, GLP_MPS_FILE, NULL, path)
                  : glp_read_lp(P, NULL, path);
    if (ret != 0) {
        st = CKP_EIO;
        goto done;
    }
    info->n_rows = glp_get_num_rows(P);
    info->n_cols = glp_get_num_cols(P);
    info->nnz = glp_get_num_nz(P);
    info->n_int = glp_get_num_int(P);
    info->n_bin = glp_get_num_bin(P);
    glp_iocp io;
    glp_init_iocp(&io);
    io.msg_lev = c->verbose ? GLP_MSG_ALL : GLP_MSG_ERR;
    io.presolve = GLP_ON;
    ret = glp_intopt(P, &io);
    info->glpk_ret = ret;
    info->glpk_status = glp_mip_status(P);
    info->objective = info->glpk_status == GLP_OPT ? glp_mip_obj_val(P) : NAN;
    for (int j = 0; j < CKP_MODEL_FILE_NAMES && j < info->n_cols; j++) {
        const char *nm = glp_get_col_name(P, j + 1);
        snprintf(info->col_name[j], sizeof info->col_name[j], "%s", nm ? nm : "");
    }
done:
    glp_delete_prob(P);
    return st;
}

ckp_status ckp_solver_read_model_file(const char *path, int mps,
                                      ckp_model_file_info *info)
{
    memset(info, 0, sizeof *info);
    info->objective = NAN;
    ckp_glpk_ctx *c = ckp_calloc(1, sizeof *c);
    if (!c) return CKP_ENOMEM;
    read_args args = {path, mps, info};
    ckp_status st = ckp_glpk_run_guarded(c, read_guarded, &args);
    ckp_glpk_ctx_release(c);
    return st;
}

/* Test helper (solver_test.h): root LP, then the heuristic's dive alone
 * (steps 2-4 of heuristic.h, no restricted MIP, no polish). */
typedef struct dive_args {
    const ckp_mip *m;
    double *x, *obj;
    int *found;
    ckp_diag_list *dl;
} dive_args;

static ckp_status dive_guarded(ckp_glpk_ctx *c, void *arg)
{
    const dive_args *a = arg;
    const ckp_mip *m = a->m;
    double *x = a->x, *obj = a->obj;
    int *found = a->found;
    ckp_diag_list *dl = a->dl;
    glp_prob *P = glp_create_prob();
    ckp_status st = ckp_glpk_load_prob(c, P, m, 0, dl);
    if (st != CKP_OK) goto done;
    glp_smcp sm;
    glp_init_smcp(&sm);
    sm.msg_lev = GLP_MSG_OFF;
    if (glp_simplex(P, &sm) != 0 || glp_get_status(P) != GLP_OPT) goto done;
    double *x1 = ckp_malloc(((size_t)m->n_cols + 1) * sizeof *x1);
    if (!x1) {
        st = CKP_ENOMEM;
        goto done;
    }
    ckp_dive_result r;
    st = ckp_glpk_dive(P, m, NULL, 0.0, 0, CKP_HEUR_DIVE, 0, x1, &r);
    if (st == CKP_OK && r.found) {
        *found = 1;
        *obj = r.objective;
        for (int j = 0; j < m->n_cols; j++) x[j] = x1[j + 1];
    }
    ckp_free(x1);
done:
    glp_delete_prob(P);
    return st;
}

ckp_status ckp_solver_test_dive(const ckp_mip *m, double *x, double *obj, int *found)
{
    *found = 0;
    *obj = NAN;
    ckp_diag_list dl;
    ckp_diag_list_init(&dl);
    ckp_status st = ckp_glpk_prevalidate(m, &dl);
    if (st != CKP_OK) {
        ckp_diag_list_fini(&dl);
        return st;
    }
    ckp_glpk_ctx *c = ckp_calloc(1, sizeof *c);
    if (!c) {
        ckp_diag_list_fini(&dl);
        return CKP_ENOMEM;
    }
    dive_args args = {m, x, obj, found, &dl};
    st = ckp_glpk_run_guarded(c, dive_guarded, &args);
    ckp_glpk_ctx_release(c);
    ckp_diag_list_fini(&dl);
    return st;
}

/* Test helper (solver_test.h): the exact reduction and its LP. */
typedef struct reduced_args {
    const ckp_mip *m;
    const double *lb, *ub;
    double *x, *obj;
    int *status, *rows, *cols;
} reduced_args;

static ckp_status reduced_guarded(ckp_glpk_ctx *c, void *arg)
{
    (void)c;
    const reduced_args *a = arg;
    const ckp_mip *m = a->m;
    double *x = a->x, *obj = a->obj;
    int *status = a->status, *rows = a->rows, *cols = a->cols;
    ckp_reduced red;
    ckp_status st = ckp_reduce(m, a->lb, a->ub, NULL, REDUCE_TOL, &red);
    if (st != CKP_OK) return st;
    if (red.infeasible) {
        *status = 0;
        ckp_reduced_free(&red);
        return CKP_OK;
    }
    *rows = glp_get_num_rows(red.R);
    *cols = glp_get_num_cols(red.R);
    glp_smcp sm;
    glp_init_smcp(&sm);
    sm.msg_lev = GLP_MSG_OFF;
    sm.meth = GLP_DUALP;
    int ret = glp_simplex(red.R, &sm);
    int s = ret == 0 ? glp_get_status(red.R) : 0;
    if (ret == 0 && s == GLP_OPT) {
        *status = 1;
        *obj = glp_get_obj_val(red.R);
        ckp_reduced_values(&red, 0, x);
    } else if (ret == 0 && s == GLP_NOFEAS) {
        *status = 0;
    }
    ckp_reduced_free(&red);
    return CKP_OK;
}

ckp_status ckp_solver_test_reduced_lp(const ckp_mip *m, const double *lb, const double *ub,
                                      double *x, double *obj, int *status, int *rows,
                                      int *cols)
{
    *status = -1;
    *obj = NAN;
    *rows = *cols = -1;
    ckp_glpk_ctx *c = ckp_calloc(1, sizeof *c);
    if (!c) return CKP_ENOMEM;
    reduced_args args = {m, lb, ub, x, obj, status, rows, cols};
    ckp_status st = ckp_glpk_run_guarded(c, reduced_guarded, &args);
    ckp_glpk_ctx_release(c);
    return st;
}
