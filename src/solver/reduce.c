/* reduce.c: the exact LP reduction of reduce.h: fixed columns out, singleton
 * rows of removable columns into column bounds, repeated; the live part
 * loaded into a new glp_prob in one glp_load_matrix call.  Deterministic:
 * rows are processed in a FIFO order that depends only on the model. */
#include "solver/reduce.h"

#include <math.h>
#include <string.h>

#include "util/alloc.h"

#define FIX_EPS 1e-12 /* relative: implied bounds this close fix the column */

typedef struct rd_work {
    const ckp_mip *m;
    int *cstart, *crow;   /* columns -> rows (CSR) */
    double *cval;
    int *rstart, *rcolx;  /* rows -> columns (CSR) */
    double *rval;
    double *lo, *hi;      /* column bounds being tightened */
    double *rlo, *rhi;    /* row bounds minus the removed columns' part */
    int *cnt;             /* live columns per row */
    unsigned char *cdead, *rdead;
    const unsigned char *keep;
    int *queue;           /* rows to look at (each at most once per push) */
    unsigned char *queued;
    int qh, qt, qcap;
    double obj_const;
    double tol;
    int infeasible;
} rd_work;

static double scaled(double tol, double v) { return tol * (1.0 + fabs(v)); }

static void push_row(rd_work *w, int i)
{
    if (w->queued[i] || w->rdead[i]) return;
    w->queued[i] = 1;
    w->queue[w->qt] = i;
    w->qt = (w->qt + 1) % w->qcap;
}

/* Column j leaves at value v. */
static void remove_col(rd_work *w, int j, double v, double *value)
{
    w->cdead[j] = 1;
    value[j] = v;
    w->obj_const += w->m->obj[j] * v;
    for (int p = w->cstart[j]; p < w->cstart[j + 1]; p++) {
        int i = w->crow[p];
        if (w->rdead[i]) continue;
        if (v != 0.0) {
            w->rlo[i] -= w->cval[p] * v;
            w->rhi[i] -= w->cval[p] * v;
        }
        w->cnt[i]--;
        if (w->cnt[i] <= 1) push_row(w, i);
    }
}

/* Row i with no live column: check it and drop it. */
static void empty_row(rd_work *w, int i)
{
    if (w->rlo[i] > scaled(w->tol, w->rlo[i]) || w->rhi[i] < -scaled(w->tol, w->rhi[i]))
        w->infeasible = 1;
    w->rdead[i] = 1;
}

/* Row i with one live column: into that column's bounds unless the column
 * is kept; fixes (and removes) the column when its bounds meet. */
static void singleton_row(rd_work *w, int i, double *value)
{
    int k = -1;
    double a = 0.0;
    for (int p = w->rstart[i]; p < w->rstart[i + 1]; p++)
        if (!w->cdead[w->rcolx[p]]) {
            k = w->rcolx[p];
            a = w->rval[p];
            break;
        }
    if (k < 0 || (w->keep && w->keep[k])) return;
    double ilo = a > 0.0 ? w->rlo[i] / a : w->rhi[i] / a;
    double ihi = a > 0.0 ? w->rhi[i] / a : w->rlo[i] / a;
    double lo = w->lo[k] > ilo ? w->lo[k] : ilo;
    double hi = w->hi[k] < ihi ? w->hi[k] : ihi;
    if (lo > hi) {
        if (lo - hi > scaled(w->tol, hi)) {
            w->infeasible = 1;
            return;
        }
        /* crossing within the tolerance: stay inside the column's own
         * bounds */
        double v = w->lo[k] > hi ? w->lo[k] : (w->hi[k] < lo ? w->hi[k] : hi);
        lo = hi = v;
    }
    w->lo[k] = lo;
    w->hi[k] = hi;
    w->rdead[i] = 1;
    if (isfinite(lo) && hi - lo <= FIX_EPS * (1.0 + fabs(lo))) remove_col(w, k, lo, value);
}

static int bnd_type(double lb, double ub)
{
    int l = isfinite(lb), u = isfinite(ub);
    if (l && u) return lb == ub ? GLP_FX : GLP_DB;
    if (l) return GLP_LO;
    if (u) return GLP_UP;
    return GLP_FR;
}

static double fin(double v) { return isfinite(v) ? v : 0.0; }

static ckp_status build_csr(rd_work *w)
{
    const ckp_mip *m = w->m;
    int nr = m->n_rows, nc = m->n_cols, nz = m->nnz;
    w->cstart = ckp_calloc((size_t)nc + 1, sizeof *w->cstart);
    w->rstart = ckp_calloc((size_t)nr + 1, sizeof *w->rstart);
    w->crow = ckp_malloc(((size_t)nz + 1) * sizeof *w->crow);
    w->cval = ckp_malloc(((size_t)nz + 1) * sizeof *w->cval);
    w->rcolx = ckp_malloc(((size_t)nz + 1) * sizeof *w->rcolx);
    w->rval = ckp_malloc(((size_t)nz + 1) * sizeof *w->rval);
    int *cp = ckp_calloc((size_t)nc + 1, sizeof *cp);
    int *rp = ckp_calloc((size_t)nr + 1, sizeof *rp);
    if (!w->cstart || !w->rstart || !w->crow || !w->cval || !w->rcolx || !w->rval ||
        !cp || !rp) {
        ckp_free(cp);
        ckp_free(rp);
        return CKP_ENOMEM;
    }
    for (int k = 0; k < nz; k++) {
        w->cstart[m->ja[k] + 1]++;
        w->rstart[m->ia[k] + 1]++;
    }
    for (int j = 0; j < nc; j++) w->cstart[j + 1] += w->cstart[j];
    for (int i = 0; i < nr; i++) w->rstart[i + 1] += w->rstart[i];
    for (int k = 0; k < nz; k++) {
        int i = m->ia[k], j = m->ja[k];
        int pc = w->cstart[j] + cp[j]++;
        w->crow[pc] = i;
        w->cval[pc] = m->ar[k];
        int pr = w->rstart[i] + rp[i]++;
        w->rcolx[pr] = j;
        w->rval[pr] = m->ar[k];
    }
    ckp_free(cp);
    ckp_free(rp);
    return CKP_OK;
}

static void work_free(rd_work *w)
{
    ckp_free(w->cstart);
    ckp_free(w->crow);
    ckp_free(w->cval);
    ckp_free(w->rstart);
    ckp_free(w->rcolx);
    ckp_free(w->rval);
    ckp_free(w->lo);
    ckp_free(w->hi);
    ckp_free(w->rlo);
    ckp_free(w->rhi);
    ckp_free(w->cnt);
    ckp_free(w->cdead);
    ckp_free(w->rdead);
    ckp_free(w->queue);
    ckp_free(w->queued);
}

/* Loads the live part into a new problem. */
static ckp_status load_reduced(rd_work *w, ckp_reduced *red)
{
    const ckp_mip *m = w->m;
    int nr = m->n_rows, nc = m->n_cols;
    int *rrow = ckp_calloc((size_t)nr + 1, sizeof *rrow);
    red->ocol = ckp_malloc(((size_t)nc + 1) * sizeof *red->ocol);
    if (!rrow || !red->ocol) {
        ckp_free(rrow);
        return CKP_ENOMEM;
    }
    int n_rr = 0, n_rc = 0, nz = 0;
    for (int i = 0; i < nr; i++)
        if (!w->rdead[i] && w->cnt[i] > 0) rrow[i] = ++n_rr;
    for (int j = 0; j < nc; j++)
        if (!w->cdead[j]) {
            red->rcol[j] = ++n_rc;
            red->ocol[n_rc] = j;
        }
    for (int k = 0; k < m->nnz; k++)
        if (rrow[m->ia[k]] && red->rcol[m->ja[k]]) nz++;
    int *ia = ckp_malloc(((size_t)nz + 1) * sizeof *ia);
    int *ja = ckp_malloc(((size_t)nz + 1) * sizeof *ja);
    double *ar = ckp_malloc(((size_t)nz + 1) * sizeof *ar);
    if (!ia || !ja || !ar) {
        ckp_free(rrow);
        ckp_free(ia);
        ckp_free(ja);
        ckp_free(ar);
        return CKP_ENOMEM;
    }
    glp_prob *R = glp_create_prob();
    glp_set_obj_dir(R, GLP_MIN);
    if (n_rr > 0) glp_add_rows(R, n_rr);
    if (n_rc > 0) glp_add_cols(R, n_rc);
    for (int i = 0; i < nr; i++)
        if (rrow[i])
            glp_set_row_bnds(R, rrow[i], bnd_type(w->rlo[i], w->rhi[i]), fin(w->rlo[i]),
                             fin(w->rhi[i]));
    for (int c = 1; c <= n_rc; c++) {
        int j = red->ocol[c];
        if (m->col_kind[j] == CKP_COL_BINARY) glp_set_col_kind(R, c, GLP_IV);
        glp_set_col_bnds(R, c, bnd_type(w->lo[j], w->hi[j]), fin(w->lo[j]), fin(w->hi[j]));
        glp_set_obj_coef(R, c, m->obj[j]);
    }
    glp_set_obj_coef(R, 0, m->obj_const + w->obj_const);
    nz = 0;
    for (int k = 0; k < m->nnz; k++) {
        int i = rrow[m->ia[k]], c = red->rcol[m->ja[k]];
        if (!i || !c) continue;
        nz++;
        ia[nz] = i;
        ja[nz] = c;
        ar[nz] = m->ar[k];
    }
    glp_load_matrix(R, nz, ia, ja, ar);
    red->R = R;
    ckp_free(rrow);
    ckp_free(ia);
    ckp_free(ja);
    ckp_free(ar);
    return CKP_OK;
}

ckp_status ckp_reduce(const ckp_mip *m, const double *lb, const double *ub,
                      const unsigned char *keep, double tol, ckp_reduced *red)
{
    memset(red, 0, sizeof *red);
    int nr = m->n_rows, nc = m->n_cols;
    red->n = nc;
    rd_work w;
    memset(&w, 0, sizeof w);
    w.m = m;
    w.keep = keep;
    w.tol = tol;
    w.qcap = nr + 1;
    ckp_status st = build_csr(&w);
    if (st != CKP_OK) goto out;
    w.lo = ckp_malloc(((size_t)nc + 1) * sizeof *w.lo);
    w.hi = ckp_malloc(((size_t)nc + 1) * sizeof *w.hi);
    w.rlo = ckp_malloc(((size_t)nr + 1) * sizeof *w.rlo);
    w.rhi = ckp_malloc(((size_t)nr + 1) * sizeof *w.rhi);
    w.cnt = ckp_calloc((size_t)nr + 1, sizeof *w.cnt);
    w.cdead = ckp_calloc((size_t)nc + 1, 1);
    w.rdead = ckp_calloc((size_t)nr + 1, 1);
    w.queue = ckp_malloc(((size_t)nr + 1) * sizeof *w.queue);
    w.queued = ckp_calloc((size_t)nr + 1, 1);
    red->rcol = ckp_calloc((size_t)nc + 1, sizeof *red->rcol);
    red->value = ckp_calloc((size_t)nc + 1, sizeof *red->value);
    if (!w.lo || !w.hi || !w.rlo || !w.rhi || !w.cnt || !w.cdead || !w.rdead ||
        !w.queue || !w.queued || !red->rcol || !red->value) {
        st = CKP_ENOMEM;
        goto out;
    }
    for (int j = 0; j < nc; j++) {
        w.lo[j] = lb[j];
        w.hi[j] = ub[j];
    }
    for (int i = 0; i < nr; i++) {
        w.rlo[i] = m->row_lb[i];
        w.rhi[i] = m->row_ub[i];
        w.cnt[i] = w.rstart[i + 1] - w.rstart[i];
        if (w.cnt[i] <= 1) push_row(&w, i);
    }
    for (int j = 0; j < nc; j++)
        if (!(keep && keep[j]) && w.lo[j] == w.hi[j]) remove_col(&w, j, w.lo[j], red->value);
    while (w.qh != w.qt && !w.infeasible) {
        int i = w.queue[w.qh];
        w.qh = (w.qh + 1) % w.qcap;
        w.queued[i] = 0;
        if (w.rdead[i]) continue;
        if (w.cnt[i] == 0) empty_row(&w, i);
        else if (w.cnt[i] == 1) singleton_row(&w, i, red->value);
    }
    if (w.infeasible) {
        red->infeasible = 1;
        goto out;
    }
    st = load_reduced(&w, red);
out:
    work_free(&w);
    if (st != CKP_OK) ckp_reduced_free(red);
    return st;
}

void ckp_reduced_values(const ckp_reduced *red, int mip, double *x)
{
    for (int j = 0; j < red->n; j++) {
        int c = red->rcol[j];
        x[j] = c ? (mip ? glp_mip_col_val(red->R, c) : glp_get_col_prim(red->R, c))
                 : red->value[j];
    }
}

void ckp_reduced_free(ckp_reduced *red)
{
    if (!red) return;
    if (red->R) glp_delete_prob(red->R);
    ckp_free(red->rcol);
    ckp_free(red->ocol);
    ckp_free(red->value);
    memset(red, 0, sizeof *red);
}
