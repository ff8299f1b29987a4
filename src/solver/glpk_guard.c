/* glpk_guard.c: the guard around every GLPK call of the wrapper (hooks,
 * captured messages, setjmp / glp_free_env after a fatal error), the
 * checks of a ckp_mip before GLPK sees it, the loading of a ckp_mip into
 * a glp_prob in one pass (the only 0-based -> 1-based translation), and
 * the small helpers the other wrapper files share (clock, time left,
 * diagnostics).  docs/solver.md §1 and §4; state in glpk_ctx.h. */
#include "solver/glpk_ctx.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

double ckp_glpk_elapsed(const ckp_glpk_ctx *c)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - c->t0.tv_sec) +
           (double)(t.tv_nsec - c->t0.tv_nsec) * 1e-9;
}

static int term_hook(void *info, const char *s)
{
    ckp_glpk_ctx *c = info;
    size_t len = strlen(s);
    if (glp_at_error()) { /* GLPK's fatal message: lines joined by "; " */
        size_t n = len;
        while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ')) n--;
        if (n > 0 && c->fatal_len + 1 < sizeof c->fatal) {
            int w = snprintf(c->fatal + c->fatal_len, sizeof c->fatal - c->fatal_len,
                             "%s%.*s", c->fatal_len ? "; " : "", (int)n, s);
            if (w > 0) c->fatal_len += (size_t)w;
            if (c->fatal_len >= sizeof c->fatal) c->fatal_len = sizeof c->fatal - 1;
        }
    } else if (len > 1) {
        snprintf(c->last, sizeof c->last, "%s", s);
    }
    if (c->verbose) fputs(s, stderr);
    return 1; /* swallowed: GLPK never writes to stdout itself */
}

static void error_hook(void *info)
{
    ckp_glpk_ctx *c = info;
    longjmp(c->jb, 1);
}

void ckp_glpk_ctx_release(ckp_glpk_ctx *c)
{
    if (!c) return;
    ckp_free(c->ia);
    ckp_free(c->ja);
    ckp_free(c->ar);
    ckp_free(c->heur_x);
    ckp_free(c->dive_x);
    ckp_free(c->node_x);
    ckp_free(c->node_lp);
    ckp_cover_sep_free(c->cover);
    ckp_pcost_free(c->pcost);
    ckp_free(c->cut_x);
    ckp_free(c);
}

/* The guard (top of this file), once for every entry point: installs the
 * hooks, runs fn(c, arg) and frees GLPK's environment.  After a GLPK
 * fatal error, glp_free_env() releases every GLPK object (never
 * glp_delete_prob: the state is undefined), c->caught is set and the
 * result is CKP_ESOLVER; the caller reports it.  Nothing here changes
 * after setjmp, so no local is clobbered by the longjmp. */
typedef ckp_status (*ckp_glpk_guarded_fn)(ckp_glpk_ctx *c, void *arg);

ckp_status ckp_glpk_run_guarded(ckp_glpk_ctx *c, ckp_glpk_guarded_fn fn, void *arg)
{
    glp_term_hook(term_hook, c);
    glp_error_hook(error_hook, c);
    if (setjmp(c->jb)) {
        glp_free_env();
        c->caught = 1;
        return CKP_ESOLVER;
    }
    ckp_status st = fn(c, arg);
    glp_error_hook(NULL, NULL);
    glp_term_hook(NULL, NULL);
    glp_free_env();
    return st;
}

/* One line of text (newlines folded) for a diagnostic. */
void ckp_glpk_one_line(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ')) s[--n] = '\0';
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\n') s[i] = ';';
}

void ckp_glpk_report_fatal(ckp_glpk_ctx *c, const char *what, ckp_diag_list *diag)
{
    ckp_glpk_one_line(c->fatal);
    ckp_diag_add(diag, CKP_SEV_ERROR, NULL, 0, "solver-fatal",
                 "GLPK fatal error during %s (caught, process continues): %s",
                 what, c->fatal_len ? c->fatal : "(no message)");
}

int ckp_glpk_env_force_fatal(void)
{
    const char *v = getenv("CKP_DEBUG_GLPK_FATAL");
    return v && strcmp(v, "1") == 0;
}

/* GLPK rejects names longer than 255 characters or with control
 * characters through xerror: refuse them before GLPK sees them. */
static int name_ok(const char *s)
{
    if (!s) return 1;
    size_t n = strlen(s);
    if (n > 255) return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) return 0;
    return 1;
}

ckp_status ckp_glpk_prevalidate(const ckp_mip *mip, ckp_diag_list *diag)
{
    char msg[512];
    ckp_status st = ckp_mip_check(mip, msg, (int)sizeof msg);
    if (st == CKP_ENOMEM) return st;
    if (st != CKP_OK) {
        ckp_diag_add(diag, CKP_SEV_ERROR, NULL, 0, "model-invalid",
                     "model rejected before GLPK: %s", msg);
        return CKP_EINTERNAL;
    }
    const char *bad = NULL;
    if (!name_ok(mip->name)) bad = "problem";
    for (int j = 0; !bad && j < mip->n_cols; j++)
        if (!name_ok(mip->col_name[j])) bad = mip->col_name[j];
    for (int i = 0; !bad && i < mip->n_rows; i++)
        if (!name_ok(mip->row_name[i])) bad = mip->row_name[i];
    if (bad) {
        ckp_diag_add(diag, CKP_SEV_ERROR, NULL, 0, "model-invalid",
                     "model rejected before GLPK: name '%.60s...' is longer than "
                     "255 characters or has control characters", bad);
        return CKP_EINTERNAL;
    }
    return CKP_OK;
}
/* ------------------------------------------------------------------ */
/* Loading                                                             */

static int bnd_type(double lb, double ub)
{
    int lo = lb != -INFINITY, up = ub != INFINITY;
    if (lo && up) return lb == ub ? GLP_FX : GLP_DB;
    if (lo) return GLP_LO;
    if (up) return GLP_UP;
    return GLP_FR;
}

static double fin(double v) { return isfinite(v) ? v : 0.0; }

/* Builds P from mip; CKP_OK, CKP_ENOMEM or CKP_EINTERNAL (duplicate or
 * out-of-range entries; ckp_mip_check should have caught them). */
ckp_status ckp_glpk_load_prob(ckp_glpk_ctx *c, glp_prob *P, const ckp_mip *m,
                            int force_fatal, ckp_diag_list *diag)
{
    if (m->name && m->name[0]) glp_set_prob_name(P, m->name);
    glp_set_obj_name(P, "objective");
    glp_set_obj_dir(P, GLP_MIN);
    if (m->n_rows > 0) glp_add_rows(P, m->n_rows);
    for (int i = 0; i < m->n_rows; i++) {
        if (m->row_name[i] && m->row_name[i][0])
            glp_set_row_name(P, i + 1, m->row_name[i]);
        glp_set_row_bnds(P, i + 1, bnd_type(m->row_lb[i], m->row_ub[i]),
                         fin(m->row_lb[i]), fin(m->row_ub[i]));
    }
    if (m->n_cols > 0) glp_add_cols(P, m->n_cols);
    for (int j = 0; j < m->n_cols; j++) {
        if (m->col_name[j] && m->col_name[j][0])
            glp_set_col_name(P, j + 1, m->col_name[j]);
        /* GLP_IV then the bounds: GLP_BV would reset them to [0, 1] and
         * lose binaries fixed by the builder. */
        if (m->col_kind[j] == CKP_COL_BINARY) glp_set_col_kind(P, j + 1, GLP_IV);
        glp_set_col_bnds(P, j + 1, bnd_type(m->col_lb[j], m->col_ub[j]),
                         fin(m->col_lb[j]), fin(m->col_ub[j]));
        glp_set_obj_coef(P, j + 1, m->obj[j]);
    }
    glp_set_obj_coef(P, 0, m->obj_const);

    size_t ne = (size_t)m->nnz + 1;
    c->ia = ckp_malloc(ne * sizeof *c->ia);
    c->ja = ckp_malloc(ne * sizeof *c->ja);
    c->ar = ckp_malloc(ne * sizeof *c->ar);
    if (!c->ia || !c->ja || !c->ar) return CKP_ENOMEM;
    c->ia[0] = c->ja[0] = 0;
    c->ar[0] = 0.0;
    for (int k = 0; k < m->nnz; k++) {
        c->ia[k + 1] = m->ia[k] + 1;
        c->ja[k + 1] = m->ja[k] + 1;
        c->ar[k + 1] = m->ar[k];
    }
    int dup = glp_check_dup(m->n_rows, m->n_cols, m->nnz, c->ia, c->ja);
    if (dup != 0) {
        int k = dup < 0 ? -dup : dup;
        ckp_diag_add(diag, CKP_SEV_ERROR, NULL, 0, "model-invalid",
                     "matrix entry %d (row %d, column %d) is %s", k - 1,
                     c->ia[k] - 1, c->ja[k] - 1,
                     dup < 0 ? "out of range" : "a duplicate");
        return CKP_EINTERNAL;
    }
    glp_load_matrix(P, m->nnz, c->ia, c->ja, c->ar);
    ckp_free(c->ia);
    ckp_free(c->ja);
    ckp_free(c->ar);
    c->ia = c->ja = NULL;
    c->ar = NULL;
    if (force_fatal) /* test hook: a real xerror ("column number out of range") */
        glp_set_col_kind(P, m->n_cols + 1, GLP_IV);
    return CKP_OK;
}
int ckp_glpk_remaining_ms(ckp_glpk_ctx *c)
{
    double lim = c->params->time_limit;
    if (lim <= 0.0) return INT_MAX;
    double left = lim - ckp_glpk_elapsed(c);
    if (left <= 0.001) return 1;
    double ms = ceil(left * 1000.0);
    return ms >= (double)INT_MAX ? INT_MAX : (int)ms;
}
/* 1 when some binary column is fractional in the LP optimum of P. */
int ckp_glpk_lp_fractional(glp_prob *P, const ckp_mip *m)
{
    for (int j = 0; j < m->n_cols; j++) {
        if (m->col_kind[j] != CKP_COL_BINARY) continue;
        double v = glp_get_col_prim(P, j + 1);
        if (fabs(v - floor(v + 0.5)) > 1e-9) return 1;
    }
    return 0;
}
ckp_status ckp_glpk_unbounded(ckp_diag_list *diag)
{
    ckp_diag_add(diag, CKP_SEV_ERROR, NULL, 0, "solver-unbounded",
                 "GLPK: the LP relaxation is unbounded (a model bug: every "
                 "column of chokepoint's model is bounded)");
    return CKP_ESOLVER;
}

ckp_status ckp_glpk_solver_failed(ckp_glpk_ctx *c, const char *stage, int ret,
                                ckp_diag_list *diag)
{
    ckp_glpk_one_line(c->last);
    ckp_diag_add(diag, CKP_SEV_ERROR, NULL, 0, "solver-failed",
                 "GLPK %s failed with return code %d%s%s", stage, ret,
                 c->last[0] ? ": " : "", c->last);
    return CKP_ESOLVER;
}
