/* cuts.c: GUB-aware lifted cover cuts on the knapsack rows of a ckp_mip
 * (see cuts.h and docs/solver.md, "Cover cuts on the knapsack rows").
 *
 * A knapsack row is sum a_j x_j <= b with every x_j binary and a_j >= 0
 * (columns fixed by their bounds are folded into b).  The binaries are
 * partitioned into groups, each inside a set-packing row (at most one
 * member is 1: the starts of one project, of one upgrade); a binary in no
 * such row is a group of its own.  For a set C of groups of the row and a
 * threshold t_g per group with sum_{g in C} t_g > b, and t = max t_g,
 *
 *   sum_{g in C} sum_{j in g, a_j >= t_g} x_j
 *     + sum_{g not in C} sum_{j in g, a_j >= t} x_j  <=  |C| - 1
 *
 * is valid: |C| ones on its left come from |C| distinct groups, and
 * swapping each one outside C for an unused group of C (whose threshold
 * is at most t) shows their weights add up to more than b.  Separation is
 * the usual greedy: per group, t_g = the smallest weight carrying LP value
 * and y_g = the LP value at or above it; groups in increasing order of
 * (1 - y_g) / t_g until the thresholds exceed b; then groups are dropped
 * again (last added first) while the rest still exceeds b.  Everything
 * follows column and row order: deterministic. */
#include "solver/cuts.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

#define COVER_EPS 1e-6     /* relative margin: thresholds must exceed b by this */
#define COVER_VIOL 1e-3    /* add a cut only when violated by more than this */
#define COVER_POS 1e-9     /* an LP value above this carries weight */
#define COVER_CLASS 101    /* glp_ios_add_row class of these cuts */

struct ckp_cover_sep {
    int n_rows;      /* knapsack rows */
    int *start;      /* row r: entries start[r] .. start[r+1]-1, sorted by group */
    int *col;        /* 0-based column */
    int *grp;        /* its group */
    double *a;       /* its coefficient (> 0) */
    double *b;       /* right-hand side with the fixed columns folded in */
    int max_len;
    /* scratch, max_len each */
    int *g_first;    /* first entry of a group run */
    int *g_last;     /* one past its last entry */
    double *g_t;
    double *g_y;
    int *order;
    double *key;
    unsigned char *in_c;
    int *ind;        /* 1-based cut indices (max_len + 1) */
    double *val;
    long added;
};

/* for qsort of a row's entries by (group, column) */
typedef struct entry {
    int grp, col;
    double a;
} entry;

static int entry_cmp(const void *p, const void *q)
{
    const entry *x = p, *y = q;
    if (x->grp != y->grp) return x->grp < y->grp ? -1 : 1;
    return (x->col > y->col) - (x->col < y->col);
}

void ckp_cover_sep_free(ckp_cover_sep *s)
{
    if (!s) return;
    ckp_free(s->start);
    ckp_free(s->col);
    ckp_free(s->grp);
    ckp_free(s->a);
    ckp_free(s->b);
    ckp_free(s->g_first);
    ckp_free(s->g_last);
    ckp_free(s->g_t);
    ckp_free(s->g_y);
    ckp_free(s->order);
    ckp_free(s->key);
    ckp_free(s->in_c);
    ckp_free(s->ind);
    ckp_free(s->val);
    ckp_free(s);
}

long ckp_cover_count(const ckp_cover_sep *s) { return s ? s->added : 0; }

ckp_status ckp_cover_sep_new(const ckp_mip *m, ckp_cover_sep **out)
{
    *out = NULL;
    int nr = m->n_rows, nc = m->n_cols;
    ckp_status st = CKP_ENOMEM;
    ckp_cover_sep *s = NULL;
    entry *tmp = NULL;
    /* per row: 1 = knapsack candidate so far, 2 = packing candidate */
    unsigned char *knap = ckp_malloc((size_t)nr + 1);
    unsigned char *pack = ckp_malloc((size_t)nr + 1);
    int *len = ckp_calloc((size_t)nr + 1, sizeof *len);
    int *group = ckp_malloc(((size_t)nc + 1) * sizeof *group);
    int *rstart = ckp_calloc((size_t)nr + 2, sizeof *rstart);
    int *rcols = NULL;
    double *bfix = ckp_calloc((size_t)nr + 1, sizeof *bfix);
    if (!knap || !pack || !len || !group || !rstart || !bfix) goto out;
    for (int i = 0; i < nr; i++) {
        knap[i] = isfinite(m->row_ub[i]) != 0;
        pack[i] = isfinite(m->row_ub[i]) && m->row_ub[i] <= 1.0 + 1e-9;
    }
    for (int k = 0; k < m->nnz; k++) {
        int i = m->ia[k], j = m->ja[k];
        double v = m->ar[k];
        int bin = m->col_kind[j] == CKP_COL_BINARY;
        if (!bin || v != 1.0) pack[i] = 0;
        if (!bin || v < 0.0) knap[i] = 0;
        if (v == 0.0) continue;
        if (bin && m->col_lb[j] == m->col_ub[j])
            bfix[i] += v * m->col_lb[j]; /* fixed: folded into b */
        else
            len[i]++;
    }
    /* groups: each set-packing row (row order) claims its columns when
     * none of them is claimed yet; the rest are singletons */
    for (int j = 0; j < nc; j++) group[j] = -1;
    for (int i = 0; i < nr; i++) rstart[i + 1] = rstart[i] + (pack[i] ? len[i] + 1 : 0);
    rcols = ckp_malloc(((size_t)rstart[nr] + 1) * sizeof *rcols);
    if (!rcols) goto out;
    {
        int *fill = ckp_calloc((size_t)nr + 1, sizeof *fill);
        if (!fill) goto out;
        for (int k = 0; k < m->nnz; k++) {
            int i = m->ia[k], j = m->ja[k];
            if (!pack[i] || m->col_lb[j] == m->col_ub[j]) continue;
            rcols[rstart[i] + fill[i]++] = j;
        }
        for (int i = 0; i < nr; i++) {
            if (!pack[i] || fill[i] < 2) continue;
            int free_all = 1;
            for (int q = 0; q < fill[i]; q++)
                if (group[rcols[rstart[i] + q]] >= 0) free_all = 0;
            if (!free_all) continue;
            for (int q = 0; q < fill[i]; q++) group[rcols[rstart[i] + q]] = i;
        }
        ckp_free(fill);
    }
    for (int j = 0; j < nc; j++)
        if (group[j] < 0) group[j] = nr + j;

    /* knapsack rows worth separating: not packing rows, at least two
     * groups, and not always satisfied */
    s = ckp_calloc(1, sizeof *s);
    if (!s) goto out;
    int n_k = 0, tot = 0, max_len = 0;
    for (int i = 0; i < nr; i++) {
        if (!knap[i] || pack[i] || len[i] < 2) {
            knap[i] = 0;
            continue;
        }
        n_k++;
        tot += len[i];
        if (len[i] > max_len) max_len = len[i];
    }
    if (n_k == 0) {
        ckp_free(s);
        s = NULL;
        st = CKP_OK;
        goto out;
    }
    s->start = ckp_malloc(((size_t)n_k + 1) * sizeof *s->start);
    s->col = ckp_malloc((size_t)tot * sizeof *s->col);
    s->grp = ckp_malloc((size_t)tot * sizeof *s->grp);
    s->a = ckp_malloc((size_t)tot * sizeof *s->a);
    s->b = ckp_malloc((size_t)n_k * sizeof *s->b);
    tmp = ckp_malloc((size_t)tot * sizeof *tmp);
    int *kpos = ckp_malloc(((size_t)nr + 1) * sizeof *kpos);
    int *kfill = ckp_calloc((size_t)nr + 1, sizeof *kfill);
    if (!s->start || !s->col || !s->grp || !s->a || !s->b || !tmp || !kpos || !kfill) {
        ckp_free(kpos);
        ckp_free(kfill);
        goto out;
    }
    {
        int r = 0, off = 0;
        for (int i = 0; i < nr; i++) {
            kpos[i] = -1;
            if (!knap[i]) continue;
            kpos[i] = off;
            s->start[r] = off;
            s->b[r] = m->row_ub[i] - bfix[i];
            off += len[i];
            r++;
        }
        s->start[r] = off;
        for (int k = 0; k < m->nnz; k++) {
            int i = m->ia[k], j = m->ja[k];
            if (!knap[i] || m->ar[k] == 0.0 || m->col_lb[j] == m->col_ub[j]) continue;
            entry *e = &tmp[kpos[i] + kfill[i]++];
            e->grp = group[j];
            e->col = j;
            e->a = m->ar[k];
        }
        for (r = 0; r < n_k; r++) {
            int b0 = s->start[r], n = s->start[r + 1] - b0;
            qsort(tmp + b0, (size_t)n, sizeof *tmp, entry_cmp);
            for (int q = 0; q < n; q++) {
                s->col[b0 + q] = tmp[b0 + q].col;
                s->grp[b0 + q] = tmp[b0 + q].grp;
                s->a[b0 + q] = tmp[b0 + q].a;
            }
        }
    }
    ckp_free(kpos);
    ckp_free(kfill);
    s->n_rows = n_k;
    s->max_len = max_len;
    size_t ml = (size_t)max_len + 1;
    s->g_first = ckp_malloc(ml * sizeof *s->g_first);
    s->g_last = ckp_malloc(ml * sizeof *s->g_last);
    s->g_t = ckp_malloc(ml * sizeof *s->g_t);
    s->g_y = ckp_malloc(ml * sizeof *s->g_y);
    s->order = ckp_malloc(ml * sizeof *s->order);
    s->key = ckp_malloc(ml * sizeof *s->key);
    s->in_c = ckp_malloc(ml);
    s->ind = ckp_malloc((ml + 1) * sizeof *s->ind);
    s->val = ckp_malloc((ml + 1) * sizeof *s->val);
    if (!s->g_first || !s->g_last || !s->g_t || !s->g_y || !s->order || !s->key ||
        !s->in_c || !s->ind || !s->val)
        goto out;
    st = CKP_OK;
out:
    if (st != CKP_OK) {
        ckp_cover_sep_free(s);
        s = NULL;
    }
    *out = s;
    ckp_free(tmp);
    ckp_free(knap);
    ckp_free(pack);
    ckp_free(len);
    ckp_free(group);
    ckp_free(rstart);
    ckp_free(rcols);
    ckp_free(bfix);
    return st;
}

/* insertion sort of order[0..n) by key ascending, then index (small n) */
static void sort_groups(int *order, int n, const double *key)
{
    for (int i = 1; i < n; i++) {
        int g = order[i], k = i - 1;
        while (k >= 0 && (key[order[k]] > key[g] || (key[order[k]] == key[g] && order[k] > g))) {
            order[k + 1] = order[k];
            k--;
        }
        order[k + 1] = g;
    }
}

static int separate_row(ckp_cover_sep *s, int r, glp_tree *T, const double *x)
{
    int b0 = s->start[r], b1 = s->start[r + 1];
    double b = s->b[r];
    double need = b + COVER_EPS * (1.0 + fabs(b));
    /* group runs */
    int ng = 0;
    for (int q = b0; q < b1;) {
        int g = s->grp[q], e = q;
        double t = INFINITY, tmax = 0.0;
        while (e < b1 && s->grp[e] == g) {
            if (x[s->col[e]] > COVER_POS && s->a[e] < t) t = s->a[e];
            if (s->a[e] > tmax) tmax = s->a[e];
            e++;
        }
        double y = 0.0;
        if (!isfinite(t)) {
            t = tmax;
        } else {
            for (int k = q; k < e; k++)
                if (s->a[k] >= t) y += x[s->col[k]];
        }
        if (y > 1.0) y = 1.0;
        s->g_first[ng] = q;
        s->g_last[ng] = e;
        s->g_t[ng] = t;
        s->g_y[ng] = y;
        s->key[ng] = t > 0.0 ? (1.0 - y) / t : INFINITY;
        s->order[ng] = ng;
        s->in_c[ng] = 0;
        ng++;
        q = e;
    }
    if (ng < 2) return 0;
    sort_groups(s->order, ng, s->key);
    double sum = 0.0;
    int nc = 0;
    while (nc < ng && sum <= need) {
        sum += s->g_t[s->order[nc]];
        nc++;
    }
    if (sum <= need) return 0; /* no cover */
    for (int k = 0; k < nc; k++) s->in_c[s->order[k]] = 1;
    /* drop groups again, last added first, while still a cover */
    int size = nc;
    for (int k = nc - 1; k >= 0; k--) {
        int g = s->order[k];
        if (sum - s->g_t[g] > need && size > 1) {
            sum -= s->g_t[g];
            s->in_c[g] = 0;
            size--;
        }
    }
    double tmax = 0.0;
    for (int g = 0; g < ng; g++)
        if (s->in_c[g] && s->g_t[g] > tmax) tmax = s->g_t[g];
    /* the extended cut and its left-hand side at x */
    int len = 0;
    double lhs = 0.0;
    for (int g = 0; g < ng; g++) {
        double t = s->in_c[g] ? s->g_t[g] : tmax;
        for (int k = s->g_first[g]; k < s->g_last[g]; k++) {
            if (s->a[k] < t) continue;
            len++;
            s->ind[len] = s->col[k] + 1;
            s->val[len] = 1.0;
            lhs += x[s->col[k]];
        }
    }
    double rhs = (double)(size - 1);
    if (lhs - rhs <= COVER_VIOL) return 0;
    glp_ios_add_row(T, NULL, COVER_CLASS, 0, len, s->ind, s->val, GLP_UP, rhs);
    s->added++;
    return 1;
}

int ckp_cover_separate(ckp_cover_sep *s, glp_tree *T, const double *x)
{
    if (!s) return 0;
    int n = 0;
    for (int r = 0; r < s->n_rows; r++) n += separate_row(s, r, T, x);
    return n;
}
