/* tabmir.c: mixed-integer rounding and two-step MIR cuts from rows of the
 * simplex tableau (see cuts.h and docs/solver.md §5b, "Root cuts").
 *
 * When the LP has an integer column x_k basic at a fractional
 * value, its tableau row (glp_eval_tab_row) reads x_k = sum_t xi_t x_t
 * over the non-basic variables x_t (columns and row activities).  Each
 * non-basic x_t sits at a bound; with y_t = x_t - l_t (at the lower bound)
 * or y_t = u_t - x_t (at the upper), y_t >= 0 and
 *
 *     (x_k - l_k) + sum_t c_t y_t = v - l_k          (v = x_k's LP value)
 *
 * with c_t = -xi_t or +xi_t.  y_t is integer when x_t is an integer column
 * with an integer active bound; row activities are treated as continuous
 * (always valid).  Relaxed to ">=", this is the base inequality
 * sum_j a_j z_j + s >= b (z integer >= 0, s the continuous terms with a
 * positive coefficient, the negative ones dropped: they only lower the
 * left-hand side).  With b^ = b - floor(b) > 0:
 *
 *   MIR:       sum_j (floor(a_j) b^ + min(a^_j, b^)) z_j + s >= b^ ceil(b)
 *   two-step:  for 0 < alpha < b^ with ceil(b^/alpha) <= 1/alpha and
 *              b^/alpha not integer, tau = ceil(b^/alpha),
 *              rho = b^ - alpha floor(b^/alpha),
 *              sum_j g(a_j) z_j + s >= rho tau ceil(b), where
 *              g(a) = floor(a) rho tau
 *                     + min(floor(a^/alpha) rho + min(a^ - floor(a^/alpha) alpha, rho),
 *                           rho tau)
 *
 * (a^ the fractional part; Dash and Guenluek's two-step MIR).  The
 * two-step cuts use both the row and its complement (u_k - x_k) - sum
 * c_t y_t = u_k - v; the MIR cut of the two is the same.  Candidate alphas
 * are the fractional parts of the row's integer coefficients below b^.
 * Every cut is written back in the structural columns (row activities
 * replaced by their rows), cleaned (tiny coefficients relaxed through the
 * column bounds, too wide a coefficient range dropped), and kept when its
 * efficacy (violation over the Euclidean norm) exceeds TMIR_EFF.  The most
 * efficient TMIR_MAX_CUTS of a round are added as rows of the problem,
 * ties in generation order: deterministic.
 *
 * The bounds used are those of the problem passed in; at the root they are
 * the model's own, so every cut is valid for the whole model. */
#include "solver/cuts.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

#define TMIR_FRAC 0.01       /* source rows: fractional part in [this, 1 - this] */
#define TMIR_BFRAC 0.01      /* base right-hand sides: same margin */
#define TMIR_ALPHAS 3        /* at most this many alphas per base inequality */
#define TMIR_MAX_XI 1e6      /* skip tableau rows with a larger |xi| */
#define TMIR_TINY 1e-9       /* relative: smaller coefficients are relaxed */
#define TMIR_RANGE 1e6       /* drop cuts with a wider coefficient range */
#define TMIR_EFF 1e-4        /* minimal efficacy */
#define TMIR_VIOL 1e-6       /* minimal violation relative to 1 + |rhs| */
#define TMIR_MAX_CUTS 50     /* cuts added per round */

struct ckp_tmir_sep {
    int cap_v;       /* capacity of the per-variable arrays (rows + columns + 1) */
    int cap_c;       /* capacity of the per-column arrays (columns + 1) */
    int *t_ind;      /* tableau row */
    double *t_val;
    double *c;       /* its coefficients in y */
    double *bnd;     /* active bound of each non-basic variable */
    signed char *dir;/* +1 at the lower bound, -1 at the upper, 0 fixed */
    unsigned char *is_int;
    double *pi;      /* dense cut over the columns, 1-based */
    double *x;       /* LP point, 1-based */
    int *r_ind;      /* row fetch and the cleaned cut, 1-based */
    double *r_val;
    /* candidates of the round: cut q has entries c_start[q] .. c_start[q+1]-1 */
    int n_cand, cap_cand, cap_ent;
    int *c_start;
    double *c_rhs, *c_eff;
    int *e_ind;
    double *e_val;
    int *order;
    long added;
};

void ckp_tmir_sep_free(ckp_tmir_sep *s)
{
    if (!s) return;
    ckp_free(s->t_ind);
    ckp_free(s->t_val);
    ckp_free(s->c);
    ckp_free(s->bnd);
    ckp_free(s->dir);
    ckp_free(s->is_int);
    ckp_free(s->pi);
    ckp_free(s->x);
    ckp_free(s->r_ind);
    ckp_free(s->r_val);
    ckp_free(s->c_start);
    ckp_free(s->c_rhs);
    ckp_free(s->c_eff);
    ckp_free(s->e_ind);
    ckp_free(s->e_val);
    ckp_free(s->order);
    ckp_free(s);
}

long ckp_tmir_count(const ckp_tmir_sep *s) { return s ? s->added : 0; }

ckp_status ckp_tmir_sep_new(ckp_tmir_sep **out)
{
    *out = ckp_calloc(1, sizeof **out);
    return *out ? CKP_OK : CKP_ENOMEM;
}

/* Grows the n arrays arr[i] (element sizes size[i]), which share the
 * capacity *cap, to at least need elements.  0, or -1 on failure (the
 * arrays grown so far stay valid; *cap is then unchanged). */
static int grow_set(int *cap, int need, int n, void **const arr[], const size_t size[])
{
    if (need <= *cap) return 0;
    int c = *cap;
    for (int i = 0; i < n; i++) {
        c = *cap;
        if (ckp_grow(arr[i], &c, need, size[i])) return -1;
    }
    *cap = c;
    return 0;
}

/* Grows the scratch to nv variables and nc columns (1-based). */
static int reserve(ckp_tmir_sep *s, int nv, int nc)
{
    void **const v[] = {(void **)&s->t_ind, (void **)&s->t_val, (void **)&s->c,
                        (void **)&s->bnd,   (void **)&s->dir,   (void **)&s->is_int};
    const size_t vs[] = {sizeof *s->t_ind, sizeof *s->t_val, sizeof *s->c,
                         sizeof *s->bnd,   sizeof *s->dir,   sizeof *s->is_int};
    void **const c[] = {(void **)&s->pi, (void **)&s->x, (void **)&s->r_ind,
                        (void **)&s->r_val};
    const size_t cs[] = {sizeof *s->pi, sizeof *s->x, sizeof *s->r_ind, sizeof *s->r_val};
    if (grow_set(&s->cap_v, nv, 6, v, vs)) return -1;
    return grow_set(&s->cap_c, nc, 4, c, cs);
}

/* The MIR function of b^ at a. */
static double mir_g(double a, double bh)
{
    double fl = floor(a), ah = a - fl;
    return fl * bh + (ah < bh ? ah : bh);
}

/* The two-step MIR function (alpha, rho, tau) at a. */
static double two_step_g(double a, double alpha, double rho, double tau)
{
    double fl = floor(a), ah = a - fl;
    double k = floor(ah / alpha);
    double r = ah - k * alpha;
    double in = k * rho + (r < rho ? r : rho);
    return fl * rho * tau + (in < rho * tau ? in : rho * tau);
}

/* Stores the cleaned cut r_ind/r_val[1..len] >= rhs with efficacy eff. */
static int keep(ckp_tmir_sep *s, int len, double rhs, double eff)
{
    void **const q[] = {(void **)&s->c_start, (void **)&s->c_rhs, (void **)&s->c_eff,
                        (void **)&s->order};
    const size_t qs[] = {sizeof *s->c_start, sizeof *s->c_rhs, sizeof *s->c_eff,
                         sizeof *s->order};
    if (grow_set(&s->cap_cand, s->n_cand + 2, 4, q, qs)) return -1;
    if (s->n_cand == 0) s->c_start[0] = 0;
    int base = s->c_start[s->n_cand];
    void **const e[] = {(void **)&s->e_ind, (void **)&s->e_val};
    const size_t es[] = {sizeof *s->e_ind, sizeof *s->e_val};
    if (grow_set(&s->cap_ent, base + len, 2, e, es)) return -1;
    memcpy(s->e_ind + base, s->r_ind + 1, (size_t)len * sizeof *s->e_ind);
    memcpy(s->e_val + base, s->r_val + 1, (size_t)len * sizeof *s->e_val);
    s->c_rhs[s->n_cand] = rhs;
    s->c_eff[s->n_cand] = eff;
    s->n_cand++;
    s->c_start[s->n_cand] = base + len;
    return 0;
}

/* Turns the y-space cut held in s->pi (columns) and rhs into a cleaned
 * sparse cut and keeps it when efficient enough.  0, or -1 on allocation
 * failure. */
static int finish(ckp_tmir_sep *s, glp_prob *P, int n, double rhs)
{
    double amax = 0.0;
    for (int j = 1; j <= n; j++)
        if (fabs(s->pi[j]) > amax) amax = fabs(s->pi[j]);
    if (amax == 0.0) return 0;
    int len = 0;
    double amin = INFINITY, norm = 0.0, lhs = 0.0;
    for (int j = 1; j <= n; j++) {
        double a = s->pi[j];
        if (a == 0.0) continue;
        if (fabs(a) < TMIR_TINY * amax) {
            /* drop the term, the rhs lowered by its largest value over the
             * column's bounds (both must be finite) */
            int ty = glp_get_col_type(P, j);
            if (ty != GLP_DB && ty != GLP_FX) return 0;
            rhs -= a > 0.0 ? a * glp_get_col_ub(P, j) : a * glp_get_col_lb(P, j);
            continue;
        }
        len++;
        s->r_ind[len] = j;
        s->r_val[len] = a;
        norm += a * a;
        lhs += a * s->x[j];
        if (fabs(a) < amin) amin = fabs(a);
    }
    if (len == 0 || amax / amin > TMIR_RANGE) return 0;
    double viol = rhs - lhs;
    if (viol <= TMIR_VIOL * (1.0 + fabs(rhs))) return 0;
    double eff = viol / sqrt(norm);
    if (eff < TMIR_EFF) return 0;
    return keep(s, len, rhs, eff);
}

/* One cut from the base inequality scale * ((x_k - l_k) + sum c_t y_t) >=
 * scale * (v - l_k) (scale = +1), or its complement (scale = -1, with u_k),
 * through MIR (alpha < 0) or two-step MIR. */
static int cut_from_base(ckp_tmir_sep *s, glp_prob *P, int m, int n, int k,
                         int len, double scale, double b, double bk,
                         double alpha)
{
    double bh = b - floor(b);
    double rho = 0.0, tau = 0.0, rhs;
    if (alpha < 0.0) {
        rhs = bh * ceil(b);
    } else {
        tau = ceil(bh / alpha);
        rho = bh - alpha * floor(bh / alpha);
        rhs = rho * tau * ceil(b);
    }
    memset(s->pi, 0, ((size_t)n + 1) * sizeof *s->pi);
    /* the basic column: z = scale * (x_k - bk), coefficient g(1) */
    double gk = alpha < 0.0 ? mir_g(1.0, bh) : two_step_g(1.0, alpha, rho, tau);
    s->pi[k] += scale * gk;
    rhs += scale * gk * bk;
    for (int t = 1; t <= len; t++) {
        if (s->dir[t] == 0 || s->c[t] == 0.0) continue;
        double a = scale * s->c[t], g;
        if (s->is_int[t])
            g = alpha < 0.0 ? mir_g(a, bh) : two_step_g(a, alpha, rho, tau);
        else
            g = a > 0.0 ? a : 0.0;
        if (g == 0.0) continue;
        /* y_t = dir * (x_t - bnd_t) */
        double coef = g * s->dir[t];
        rhs += coef * s->bnd[t];
        int v = s->t_ind[t];
        if (v > m) {
            s->pi[v - m] += coef;
        } else {
            int rl = glp_get_mat_row(P, v, s->r_ind, s->r_val);
            for (int r = 1; r <= rl; r++) s->pi[s->r_ind[r]] += coef * s->r_val[r];
        }
    }
    return finish(s, P, n, rhs);
}

static int eff_cmp_data(const ckp_tmir_sep *s, int a, int b)
{
    if (s->c_eff[a] != s->c_eff[b]) return s->c_eff[a] > s->c_eff[b] ? -1 : 1;
    return (a > b) - (a < b);
}

/* Merge sort of s->order by efficacy, then generation order (qsort's
 * comparator could not reach s without a global). */
static void sort_order(ckp_tmir_sep *s, int *tmp, int lo, int hi)
{
    if (hi - lo < 2) return;
    int mid = lo + (hi - lo) / 2;
    sort_order(s, tmp, lo, mid);
    sort_order(s, tmp, mid, hi);
    int i = lo, j = mid, o = lo;
    while (i < mid && j < hi)
        tmp[o++] = eff_cmp_data(s, s->order[i], s->order[j]) <= 0 ? s->order[i++]
                                                                 : s->order[j++];
    while (i < mid) tmp[o++] = s->order[i++];
    while (j < hi) tmp[o++] = s->order[j++];
    memcpy(s->order + lo, tmp + lo, (size_t)(hi - lo) * sizeof *tmp);
}

/* Reads the tableau row of column k into s (c, bnd, dir, is_int).
 * Returns its length, or 0 when a non-basic variable is free or a
 * coefficient too large. */
static int load_row(ckp_tmir_sep *s, glp_prob *P, int m, int k)
{
    int len = glp_eval_tab_row(P, m + k, s->t_ind, s->t_val);
    for (int t = 1; t <= len; t++) {
        int v = s->t_ind[t];
        int stat, integral = 0;
        double lb, ub;
        if (fabs(s->t_val[t]) > TMIR_MAX_XI) return 0;
        if (v <= m) {
            stat = glp_get_row_stat(P, v);
            lb = glp_get_row_lb(P, v);
            ub = glp_get_row_ub(P, v);
        } else {
            stat = glp_get_col_stat(P, v - m);
            lb = glp_get_col_lb(P, v - m);
            ub = glp_get_col_ub(P, v - m);
            integral = glp_get_col_kind(P, v - m) != GLP_CV;
        }
        switch (stat) {
        case GLP_NL:
            s->dir[t] = 1;
            s->c[t] = -s->t_val[t];
            s->bnd[t] = lb;
            break;
        case GLP_NU:
            s->dir[t] = -1;
            s->c[t] = s->t_val[t];
            s->bnd[t] = ub;
            break;
        case GLP_NS:
            s->dir[t] = 0;
            s->c[t] = 0.0;
            s->bnd[t] = lb;
            break;
        default:
            return 0; /* free non-basic: no bound to measure from */
        }
        s->is_int[t] = integral && s->bnd[t] == floor(s->bnd[t]);
    }
    return len;
}

/* Separates from the LP of P (basis optimal) into the sorted candidates
 * s->order[0 .. n_cand-1].  0, or -1 on allocation failure. */
static int collect(ckp_tmir_sep *s, glp_prob *P)
{
    int m = glp_get_num_rows(P), n = glp_get_num_cols(P);
    s->n_cand = 0;
    if (!glp_bf_exists(P)) return 0;
    if (reserve(s, m + n + 1, n + 1)) return -1;
    for (int j = 1; j <= n; j++) s->x[j] = glp_get_col_prim(P, j);
    for (int k = 1; k <= n; k++) {
        if (glp_get_col_kind(P, k) == GLP_CV || glp_get_col_stat(P, k) != GLP_BS)
            continue;
        if (glp_get_col_type(P, k) != GLP_DB) continue;
        double v = s->x[k], f = v - floor(v);
        if (f < TMIR_FRAC || f > 1.0 - TMIR_FRAC) continue;
        double lk = glp_get_col_lb(P, k), uk = glp_get_col_ub(P, k);
        if (lk != floor(lk) || uk != floor(uk)) continue;
        int len = load_row(s, P, m, k);
        if (len == 0) continue;
        for (int side = 0; side < 2; side++) {
            double scale = side == 0 ? 1.0 : -1.0;
            double bk = side == 0 ? lk : uk;
            double b = side == 0 ? v - lk : uk - v;
            double bh = b - floor(b);
            if (bh < TMIR_BFRAC || bh > 1.0 - TMIR_BFRAC) continue;
            /* MIR once (the complement gives the same cut) */
            if (side == 0 && cut_from_base(s, P, m, n, k, len, scale, b, bk, -1.0))
                return -1;
            double alphas[TMIR_ALPHAS];
            int na = 0;
            for (int t = 1; t <= len && na < TMIR_ALPHAS; t++) {
                if (!s->is_int[t] || s->dir[t] == 0 || s->c[t] == 0.0) continue;
                double a = scale * s->c[t], ah = a - floor(a);
                if (ah < TMIR_BFRAC || ah > bh - TMIR_BFRAC) continue;
                double tau = ceil(bh / ah);
                if (tau <= bh / ah + 1e-9 || tau > 1.0 / ah) continue;
                int dup = 0;
                for (int q = 0; q < na; q++)
                    if (fabs(alphas[q] - ah) < 1e-9) dup = 1;
                if (!dup) alphas[na++] = ah;
            }
            for (int q = 0; q < na; q++)
                if (cut_from_base(s, P, m, n, k, len, scale, b, bk, alphas[q])) return -1;
        }
    }
    if (s->n_cand == 0) return 0;
    int *tmp = ckp_malloc((size_t)s->n_cand * sizeof *tmp);
    if (!tmp) return -1;
    for (int q = 0; q < s->n_cand; q++) s->order[q] = q;
    sort_order(s, tmp, 0, s->n_cand);
    ckp_free(tmp);
    return 0;
}

/* Copies candidate number i of the order into r_ind/r_val[1..len]. */
static int candidate(ckp_tmir_sep *s, int i, double *rhs)
{
    int q = s->order[i];
    int st = s->c_start[q], len = s->c_start[q + 1] - st;
    memcpy(s->r_ind + 1, s->e_ind + st, (size_t)len * sizeof *s->r_ind);
    memcpy(s->r_val + 1, s->e_val + st, (size_t)len * sizeof *s->r_val);
    *rhs = s->c_rhs[q];
    return len;
}

int ckp_tmir_add_rows(ckp_tmir_sep *s, glp_prob *P)
{
    if (collect(s, P)) return -1;
    int add = s->n_cand < TMIR_MAX_CUTS ? s->n_cand : TMIR_MAX_CUTS;
    if (add == 0) return 0;
    int first = glp_add_rows(P, add);
    for (int i = 0; i < add; i++) {
        double rhs;
        int len = candidate(s, i, &rhs);
        glp_set_mat_row(P, first + i, len, s->r_ind, s->r_val);
        glp_set_row_bnds(P, first + i, GLP_LO, rhs, 0.0);
    }
    s->added += add;
    return add;
}
