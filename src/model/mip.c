/* mip.c: the solver-neutral MIP container (see ckp/mip.h).  Knows nothing
 * of plans or GLPK. */
#include "ckp/mip.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

/* GLPK accepts a problem name of 1-255 characters without control
 * characters (docs/glpk-notes); the plan's name is a free label, so it is
 * made one: control characters become spaces, and a longer name is cut at
 * the last UTF-8 character boundary before 256 bytes. */
#define NAME_MAX_BYTES 255

static char *label_name(const char *name)
{
    if (!name || !name[0]) name = "chokepoint";
    size_t n = strlen(name);
    if (n > NAME_MAX_BYTES) {
        n = NAME_MAX_BYTES;
        while (n > 0 && ((unsigned char)name[n] & 0xC0) == 0x80) n--;
    }
    char *s = ckp_malloc(n + 1);
    if (!s) return NULL;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)name[i];
        s[i] = (char)(ch < 0x20 || ch == 0x7f ? ' ' : ch);
    }
    s[n] = '\0';
    return s;
}

void ckp_mip_init(ckp_mip *m, const char *name)
{
    memset(m, 0, sizeof *m);
    m->name = label_name(name);
}

void ckp_mip_fini(ckp_mip *m)
{
    if (!m) return;
    for (int j = 0; j < m->n_cols; j++) ckp_free(m->col_name[j]);
    for (int i = 0; i < m->n_rows; i++) ckp_free(m->row_name[i]);
    ckp_free(m->col_name);
    ckp_free(m->col_lb);
    ckp_free(m->col_ub);
    ckp_free(m->obj);
    ckp_free(m->col_kind);
    ckp_free(m->row_name);
    ckp_free(m->row_lb);
    ckp_free(m->row_ub);
    ckp_free(m->ia);
    ckp_free(m->ja);
    ckp_free(m->ar);
    ckp_free(m->name);
    memset(m, 0, sizeof *m);
}

ckp_status ckp_mip_copy(const ckp_mip *src, ckp_mip *dst)
{
    ckp_mip_init(dst, src->name);
    if (!dst->name) return CKP_ENOMEM;
    for (int j = 0; j < src->n_cols; j++)
        CKP_TRY(ckp_mip_add_col(dst, src->col_name[j], (ckp_col_kind)src->col_kind[j],
                                src->col_lb[j], src->col_ub[j], src->obj[j], NULL));
    for (int i = 0; i < src->n_rows; i++)
        CKP_TRY(ckp_mip_add_row(dst, src->row_name[i], src->row_lb[i], src->row_ub[i],
                                NULL));
    for (int k = 0; k < src->nnz; k++)
        CKP_TRY(ckp_mip_add_coef(dst, src->ia[k], src->ja[k], src->ar[k]));
    dst->obj_const = src->obj_const;
    return CKP_OK;
}

/* Grow several parallel arrays to the same capacity; on failure none of
 * the arrays' contents are lost (each is realloc'd independently, and a
 * partial growth only leaves some arrays larger than needed). */
static int grow_cols(ckp_mip *m)
{
    if (m->n_cols < m->cap_cols) return 0;
    int cap = m->cap_cols ? m->cap_cols * 2 : 64;
    void *p;
#define GROW(field)                                                          \
    p = ckp_realloc(m->field, (size_t)cap * sizeof *m->field);               \
    if (!p) return -1;                                                       \
    m->field = p;
    GROW(col_name) GROW(col_lb) GROW(col_ub) GROW(obj) GROW(col_kind)
    m->cap_cols = cap;
    return 0;
}

static int grow_rows(ckp_mip *m)
{
    if (m->n_rows < m->cap_rows) return 0;
    int cap = m->cap_rows ? m->cap_rows * 2 : 64;
    void *p;
    GROW(row_name) GROW(row_lb) GROW(row_ub)
    m->cap_rows = cap;
    return 0;
}

static int grow_nnz(ckp_mip *m)
{
    if (m->nnz < m->cap_nnz) return 0;
    int cap = m->cap_nnz ? m->cap_nnz * 2 : 256;
    void *p;
    GROW(ia) GROW(ja) GROW(ar)
#undef GROW
    m->cap_nnz = cap;
    return 0;
}

ckp_status ckp_mip_add_col(ckp_mip *m, const char *name, ckp_col_kind kind,
                           double lb, double ub, double obj, int *out_index)
{
    if (grow_cols(m)) return CKP_ENOMEM;
    char *nm = ckp_strdup(name);
    if (!nm) return CKP_ENOMEM;
    int j = m->n_cols++;
    m->col_name[j] = nm;
    m->col_lb[j] = lb;
    m->col_ub[j] = ub;
    m->obj[j] = obj;
    m->col_kind[j] = (unsigned char)kind;
    if (out_index) *out_index = j;
    return CKP_OK;
}

ckp_status ckp_mip_add_row(ckp_mip *m, const char *name, double lb, double ub,
                           int *out_index)
{
    if (grow_rows(m)) return CKP_ENOMEM;
    char *nm = ckp_strdup(name);
    if (!nm) return CKP_ENOMEM;
    int i = m->n_rows++;
    m->row_name[i] = nm;
    m->row_lb[i] = lb;
    m->row_ub[i] = ub;
    if (out_index) *out_index = i;
    return CKP_OK;
}

ckp_status ckp_mip_add_coef(ckp_mip *m, int row, int col, double value)
{
    if (value == 0.0) return CKP_OK;
    if (grow_nnz(m)) return CKP_ENOMEM;
    int k = m->nnz++;
    m->ia[k] = row;
    m->ja[k] = col;
    m->ar[k] = value;
    return CKP_OK;
}

double ckp_mip_coef(const ckp_mip *m, int row, int col)
{
    double v = 0.0;
    for (int k = 0; k < m->nnz; k++)
        if (m->ia[k] == row && m->ja[k] == col) v += m->ar[k];
    return v;
}

int ckp_mip_find_col(const ckp_mip *m, const char *name)
{
    for (int j = 0; j < m->n_cols; j++)
        if (strcmp(m->col_name[j], name) == 0) return j;
    return -1;
}

int ckp_mip_find_row(const ckp_mip *m, const char *name)
{
    for (int i = 0; i < m->n_rows; i++)
        if (strcmp(m->row_name[i], name) == 0) return i;
    return -1;
}

int ckp_mip_n_binary(const ckp_mip *m)
{
    int n = 0;
    for (int j = 0; j < m->n_cols; j++) n += m->col_kind[j] == CKP_COL_BINARY;
    return n;
}

/* Duplicate detection: sort a copy of (row, col) keys.  O(nnz log nnz). */
static int cmp_key(const void *a, const void *b)
{
    const long long x = *(const long long *)a, y = *(const long long *)b;
    return (x > y) - (x < y);
}

ckp_status ckp_mip_check(const ckp_mip *m, char *msg, int msg_size)
{
    for (int j = 0; j < m->n_cols; j++) {
        double lb = m->col_lb[j], ub = m->col_ub[j];
        if (isnan(lb) || isnan(ub) || lb > ub || lb == INFINITY ||
            ub == -INFINITY || !isfinite(m->obj[j])) {
            snprintf(msg, (size_t)msg_size,
                     "column %s: bounds [%g, %g], objective %g are invalid",
                     m->col_name[j], lb, ub, m->obj[j]);
            return CKP_EINTERNAL;
        }
        if (m->col_kind[j] == CKP_COL_BINARY &&
            (lb < 0 || ub > 1 || floor(lb) != lb || floor(ub) != ub)) {
            snprintf(msg, (size_t)msg_size,
                     "binary column %s: bounds [%g, %g] not within {0,1}",
                     m->col_name[j], lb, ub);
            return CKP_EINTERNAL;
        }
    }
    for (int i = 0; i < m->n_rows; i++) {
        double lb = m->row_lb[i], ub = m->row_ub[i];
        if (isnan(lb) || isnan(ub) || lb > ub || lb == INFINITY ||
            ub == -INFINITY) {
            snprintf(msg, (size_t)msg_size, "row %s: bounds [%g, %g] are invalid",
                     m->row_name[i], lb, ub);
            return CKP_EINTERNAL;
        }
    }
    if (m->nnz == 0) return CKP_OK;
    long long *keys = ckp_malloc((size_t)m->nnz * sizeof *keys);
    if (!keys) return CKP_ENOMEM;
    for (int k = 0; k < m->nnz; k++) {
        if (m->ia[k] < 0 || m->ia[k] >= m->n_rows || m->ja[k] < 0 ||
            m->ja[k] >= m->n_cols || !isfinite(m->ar[k])) {
            snprintf(msg, (size_t)msg_size,
                     "matrix entry %d: (%d, %d) = %g out of range or not finite",
                     k, m->ia[k], m->ja[k], m->ar[k]);
            ckp_free(keys);
            return CKP_EINTERNAL;
        }
        keys[k] = (long long)m->ia[k] * m->n_cols + m->ja[k];
    }
    qsort(keys, (size_t)m->nnz, sizeof *keys, cmp_key);
    for (int k = 1; k < m->nnz; k++) {
        if (keys[k] == keys[k - 1]) {
            int i = (int)(keys[k] / m->n_cols), j = (int)(keys[k] % m->n_cols);
            snprintf(msg, (size_t)msg_size, "duplicate matrix entry (%s, %s)",
                     m->row_name[i], m->col_name[j]);
            ckp_free(keys);
            return CKP_EINTERNAL;
        }
    }
    ckp_free(keys);
    return CKP_OK;
}
