/* branch.c: chokepoint's branching rule for glp_intopt (docs/solver.md
 * §5e), chosen at GLP_IBRANCH.  Pseudocosts as GLPK's own PCH rule keeps
 * them (per-unit degradation of the LP objective in the down and up
 * child of a branching on x_j, averaged over the children solved), but:
 *   - the score of a candidate is the product max(d-, eps) x max(d+, eps)
 *     of its estimated degradations, where GLPK's rule takes max(d-, d+)
 *     (a variable that moves one child a lot and the other not at all is
 *     a poor choice: the easy child has to be solved again below);
 *   - a pseudocost not yet observed (REL_COUNT) is not trusted:
 *     the candidate is evaluated by strong branching instead (the LP of
 *     each child on a copy of the node's problem, dual simplex from the
 *     node's basis, at most SB_IT_LIM iterations: the dual-feasible
 *     objective there is a lower bound on the child's LP), at most
 *     SB_MAX_CANDS candidates a node (fewer on large models:
 *     ckp_pcost_sb_cands), the most fractional first, and that result
 *     counts as one observation;
 *   - a child whose LP is infeasible is branched on at once (GLPK then
 *     prunes it at its first LP).
 * The child with the smaller degradation is solved next, as GLPK does.
 * Children report their degradation at their first GLP_IROWGEN (the LP of
 * the node solved) through the node data of the parent (cb_size).  Only
 * the choice of variable changes: every child's feasible set is the one
 * GLPK's own branching gives, so the optimum is the same. */
#include "solver/glpk_ctx.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

#define REL_COUNT 1        /* observations before a pseudocost is trusted */
#define SB_IT_LIM 40       /* dual simplex iterations per strong-branching LP */
#define SB_MAX_CANDS 6     /* candidates evaluated by strong branching a node */
#define SB_SIZE_REF 4e6    /* rows x integer columns above which there are fewer */
#define SCORE_EPS 1e-6     /* floor of a degradation in the product score */
#define FRAC_TOL 1e-9

struct ckp_pcost {
    int n;
    int *cnt[2];    /* [0] down, [1] up; 1-based columns */
    double *sum[2];
    long strong;    /* strong-branching LPs solved */
    long chosen;    /* branchings chosen by this rule */
    int *cand;      /* scratch: candidate columns */
    double *cfrac;  /* scratch: their fractionality */
    int *stat;      /* scratch: the node's basis */
    int stat_cap;   /* its size */
};

ckp_status ckp_pcost_new(int n_cols, ckp_pcost **out)
{
    *out = NULL;
    ckp_pcost *s = ckp_calloc(1, sizeof *s);
    if (!s) return CKP_ENOMEM;
    s->n = n_cols;
    size_t n1 = (size_t)n_cols + 1;
    for (int d = 0; d < 2; d++) {
        s->cnt[d] = ckp_calloc(n1, sizeof *s->cnt[d]);
        s->sum[d] = ckp_calloc(n1, sizeof *s->sum[d]);
    }
    s->cand = ckp_malloc(n1 * sizeof *s->cand);
    s->cfrac = ckp_malloc(n1 * sizeof *s->cfrac);
    if (!s->cnt[0] || !s->cnt[1] || !s->sum[0] || !s->sum[1] || !s->cand || !s->cfrac) {
        ckp_pcost_free(s);
        return CKP_ENOMEM;
    }
    *out = s;
    return CKP_OK;
}

void ckp_pcost_free(ckp_pcost *s)
{
    if (!s) return;
    for (int d = 0; d < 2; d++) {
        ckp_free(s->cnt[d]);
        ckp_free(s->sum[d]);
    }
    ckp_free(s->cand);
    ckp_free(s->cfrac);
    ckp_free(s->stat);
    ckp_free(s);
}

long ckp_pcost_strong(const ckp_pcost *s) { return s ? s->strong : 0; }
long ckp_pcost_chosen(const ckp_pcost *s) { return s ? s->chosen : 0; }

/* Strong branching costs, over a search, about one evaluation per integer
 * column (until each is observed) times an LP whose factorisation and
 * pivots grow with the rows; what each tells (one pseudocost) does not
 * grow.  Above SB_SIZE_REF = rows x integer columns, the candidates a node
 * shrink in proportion, down to one (docs/solver.md §5e: a 3,439 x 3,952
 * plan 53 -> 19 CPU s; every plan of up to 2,879 x 1,056 unchanged). */
int ckp_pcost_sb_cands(int n_rows, int n_int)
{
    double size = (double)n_rows * (double)n_int;
    if (size <= SB_SIZE_REF) return SB_MAX_CANDS;
    int k = (int)(SB_MAX_CANDS * SB_SIZE_REF / size);
    return k < 1 ? 1 : k;
}

size_t ckp_pcost_node_size(void) { return sizeof(ckp_pcost_node); }

void ckp_pcost_update(ckp_pcost *s, glp_tree *T)
{
    int p = glp_ios_curr_node(T);
    ckp_pcost_node *me = glp_ios_node_data(T, p);
    if (!me || me->seen) return;
    me->seen = 1;
    int up = glp_ios_up_node(T, p);
    if (!up) return;
    const ckp_pcost_node *par = glp_ios_node_data(T, up);
    if (!par || par->j < 1 || par->j > s->n) return;
    glp_prob *P = glp_ios_get_prob(T);
    double dx = glp_get_col_prim(P, par->j) - par->beta;
    double dz = glp_get_obj_val(P) - par->lp_obj;
    if (fabs(dx) < FRAC_TOL || !(dz > -1e-9 * (1.0 + fabs(par->lp_obj)))) return;
    if (dz < 0) dz = 0;
    int d = dx > 0;
    s->cnt[d][par->j]++;
    s->sum[d][par->j] += dz / fabs(dx);
}

/* Lower bound of the LP of Q with column j bounded to [lo, hi]: +INF
 * when infeasible, NAN when unknown. */
static double child_bound(glp_prob *Q, int j, double lo, double hi)
{
    glp_smcp sm;
    glp_init_smcp(&sm);
    sm.msg_lev = GLP_MSG_OFF;
    sm.meth = GLP_DUAL;
    sm.it_lim = SB_IT_LIM;
    glp_set_col_bnds(Q, j, lo == hi ? GLP_FX : GLP_DB, lo, hi);
    int ret = glp_simplex(Q, &sm);
    if (ret != 0 && ret != GLP_EITLIM) return NAN;
    if (ret == 0 && glp_get_status(Q) == GLP_NOFEAS) return INFINITY;
    if (glp_get_dual_stat(Q) == GLP_FEAS) return glp_get_obj_val(Q);
    return NAN;
}

int ckp_pcost_branch(ckp_pcost *s, glp_tree *T)
{
    glp_prob *P = glp_ios_get_prob(T);
    int nr = glp_get_num_rows(P), nc = glp_get_num_cols(P);
    double z = glp_get_obj_val(P);
    int nk = 0;
    for (int j = 1; j <= s->n && j <= nc; j++) {
        if (!glp_ios_can_branch(T, j)) continue;
        double v = glp_get_col_prim(P, j);
        s->cand[nk] = j;
        s->cfrac[nk] = fabs(v - floor(v) - 0.5); /* 0 = most fractional */
        nk++;
    }
    if (nk == 0) return 0;
    /* strong branching for the untrusted, most fractional first */
    glp_prob *Q = NULL;
    int sb_left = ckp_pcost_sb_cands(nr, glp_get_num_int(P));
    /* average pseudocosts for candidates left untrusted */
    double avg[2] = {0, 0};
    for (int d = 0; d < 2; d++) {
        double a = 0;
        long c = 0;
        for (int j = 1; j <= s->n; j++)
            if (s->cnt[d][j]) {
                a += s->sum[d][j] / s->cnt[d][j];
                c++;
            }
        avg[d] = c ? a / (double)c : 1.0;
    }
    /* order the candidates: most fractional first (selection by index) */
    for (int a = 0; a < nk; a++) {
        int b = a;
        for (int k = a + 1; k < nk; k++)
            if (s->cfrac[k] < s->cfrac[b] ||
                (s->cfrac[k] == s->cfrac[b] && s->cand[k] < s->cand[b]))
                b = k;
        if (b != a) {
            int tj = s->cand[a];
            s->cand[a] = s->cand[b];
            s->cand[b] = tj;
            double tf = s->cfrac[a];
            s->cfrac[a] = s->cfrac[b];
            s->cfrac[b] = tf;
        }
        if (a >= 4 * SB_MAX_CANDS) break; /* the rest keep their order */
    }
    int best = 0, sel = GLP_DN_BRNCH;
    double best_score = -1.0;
    for (int k = 0; k < nk; k++) {
        int j = s->cand[k];
        double v = glp_get_col_prim(P, j);
        double f0 = v - floor(v), f1 = ceil(v) - v;
        double dd[2];
        int trusted = s->cnt[0][j] >= REL_COUNT && s->cnt[1][j] >= REL_COUNT;
        if (!trusted && sb_left > 0) {
            sb_left--;
            if (!Q) {
                if (nr + nc + 1 > s->stat_cap) { /* rows grow with the cuts */
                    int *t = ckp_realloc(s->stat, ((size_t)nr + (size_t)nc + 1) * sizeof *t);
                    if (!t) return -1;
                    s->stat = t;
                    s->stat_cap = nr + nc + 1;
                }
                Q = glp_create_prob();
                glp_copy_prob(Q, P, GLP_OFF);
                for (int i = 1; i <= nr; i++) s->stat[i] = glp_get_row_stat(P, i);
                for (int jj = 1; jj <= nc; jj++) s->stat[nr + jj] = glp_get_col_stat(P, jj);
            }
            int type = glp_get_col_type(Q, j);
            double lb = glp_get_col_lb(Q, j), ub = glp_get_col_ub(Q, j);
            double b[2];
            b[0] = child_bound(Q, j, lb, floor(v));
            for (int i = 1; i <= nr; i++) glp_set_row_stat(Q, i, s->stat[i]);
            for (int jj = 1; jj <= nc; jj++) glp_set_col_stat(Q, jj, s->stat[nr + jj]);
            b[1] = child_bound(Q, j, ceil(v), ub);
            glp_set_col_bnds(Q, j, type, lb, ub);
            for (int i = 1; i <= nr; i++) glp_set_row_stat(Q, i, s->stat[i]);
            for (int jj = 1; jj <= nc; jj++) glp_set_col_stat(Q, jj, s->stat[nr + jj]);
            s->strong += 2;
            for (int d = 0; d < 2; d++) {
                if (b[d] == INFINITY) { /* this child is empty: branch here */
                    best = j;
                    sel = d ? GLP_UP_BRNCH : GLP_DN_BRNCH;
                    goto done;
                }
                double deg = isnan(b[d]) ? NAN : fmax(0.0, b[d] - z);
                if (!isnan(deg)) {
                    s->cnt[d][j]++;
                    s->sum[d][j] += deg / (d ? f1 : f0);
                }
            }
        }
        for (int d = 0; d < 2; d++) {
            double psi = s->cnt[d][j] ? s->sum[d][j] / s->cnt[d][j] : avg[d];
            dd[d] = psi * (d ? f1 : f0);
        }
        double score = fmax(dd[0], SCORE_EPS) * fmax(dd[1], SCORE_EPS);
        if (score > best_score) {
            best_score = score;
            best = j;
            sel = dd[0] <= dd[1] ? GLP_DN_BRNCH : GLP_UP_BRNCH;
        }
    }
done:
    if (Q) glp_delete_prob(Q);
    if (best) {
        ckp_pcost_node *me = glp_ios_node_data(T, glp_ios_curr_node(T));
        if (me) {
            me->j = best;
            me->beta = glp_get_col_prim(P, best);
            me->lp_obj = z;
        }
        s->chosen++;
        glp_ios_branch_upon(T, best, sel);
    }
    return 0;
}
