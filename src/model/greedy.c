/* greedy.c: a greedy choice of the model's binaries, offered to the solver
 * as a first incumbent (docs/formulation.md, "Greedy incumbent").
 *
 * 1. Score each project that has columns: its estimated cut in weighted
 *    exposure, summed over the years it can be online when started as early
 *    as possible,
 *        sum_y w_c * max(0, rmax_c - r_p) * min(cap_p * ramp, R[c,y]) / R[c,y]
 *    (rmax_c = highest risk among existing producers of c), divided by its
 *    cheapest commitment.  A project with an input nothing can supply
 *    (no existing producer with capacity, no project with columns) scores 0.
 * 2. Forced projects first (plan order), then projects with a positive
 *    score, best first (ties: plan order).  Each is tried at its starts in
 *    order (earliest start, then cheapest option); a start is kept when
 *    every row that involves only binaries stays satisfied -- an
 *    infrastructure row it would overload may be repaired by funding
 *    upgrades (earliest start first) -- and the projects it requires can
 *    then be added the same way (recursively, so they adapt to its
 *    timing).  Otherwise everything added for that start is rolled back
 *    and the next start is tried.
 * 3. Every binary-only row is checked once more (including the lower bound
 *    1 of forced projects' one-start rows); on failure no choice is
 *    returned.
 *
 * Feasibility is judged on the MIP itself (row activities of binary-only
 * rows), so the greedy cannot drift from the formulation.  Cost: one pass
 * over the matrix plus, per tried start, the entries of its column. */
#include "ckp/model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

#define TOL 1e-9

typedef struct gctx {
    const ckp_model *m;
    const ckp_mip *mip;
    unsigned char *binrow;  /* [n_rows]: row holds only binary columns */
    int *cfirst;            /* column-wise entries of binary-only rows */
    int *crow;
    double *cval;
    int *rfirst;            /* row-wise: binary columns of binary-only rows */
    int *rcol;
    double *rval;
    double *act;            /* [n_rows] activity of chosen binaries */
    double *x;              /* [n_cols] */
    int *col_proj;          /* [n_cols]: project of a start column, or -1 */
    int *col_upg;           /* [n_cols]: upgrade of an upgrade column, or -1 */
    int *chosen;            /* [n_projects]: chosen start index or -1 */
    unsigned char *upg_on;  /* [n_upgrades] */
    unsigned char *visiting;/* [n_projects] */
    int *log;               /* columns set to 1, in order */
    int n_log;
    int nomem;              /* an allocation failed on the way */
} gctx;

static void add_col(gctx *g, int j, double sign)
{
    for (int k = g->cfirst[j]; k < g->cfirst[j + 1]; k++)
        g->act[g->crow[k]] += sign * g->cval[k];
}

static int row_ok(const gctx *g, int i)
{
    return g->act[i] <= g->mip->row_ub[i] + TOL;
}

/* 1 when every binary-only row touched by column j is within its upper
 * bound; rows whose kind is in skip (a mask of 1 << ckp_row_kind) are not
 * looked at. */
static int col_rows_ok(const gctx *g, int j, unsigned skip)
{
    for (int k = g->cfirst[j]; k < g->cfirst[j + 1]; k++) {
        int i = g->crow[k];
        if (skip & (1u << g->m->row_kind[i])) continue;
        if (!row_ok(g, i)) return 0;
    }
    return 1;
}

#define SKIP_INFRA (1u << CKP_ROW_INFRA)
#define SKIP_REQ (1u << CKP_ROW_REQUIRES)

static void push(gctx *g, int j)
{
    add_col(g, j, 1.0);
    g->x[j] = 1.0;
    g->log[g->n_log++] = j;
    if (g->col_upg[j] >= 0) g->upg_on[g->col_upg[j]] = 1;
}

static void rollback(gctx *g, int mark)
{
    while (g->n_log > mark) {
        int j = g->log[--g->n_log];
        add_col(g, j, -1.0);
        g->x[j] = 0.0;
        if (g->col_upg[j] >= 0) g->upg_on[g->col_upg[j]] = 0;
        if (g->col_proj[j] >= 0) g->chosen[g->col_proj[j]] = -1;
    }
}

/* Fund upgrades until every infrastructure row touched by column j is
 * within bounds.  Returns 1 on success (upgrades stay pushed). */
static int repair_infra(gctx *g, int j)
{
    for (int k = g->cfirst[j]; k < g->cfirst[j + 1]; k++) {
        int i = g->crow[k];
        if (g->m->row_kind[i] != CKP_ROW_INFRA) continue;
        for (int e = g->rfirst[i]; e < g->rfirst[i + 1] && !row_ok(g, i); e++) {
            int z = g->rcol[e], u = g->col_upg[z];
            if (u < 0 || g->upg_on[u] || g->rval[e] >= 0) continue;
            push(g, z);
            /* the upgrade only relieves infra rows; its other rows (budget,
               one_upg) must hold */
            if (!col_rows_ok(g, z, SKIP_INFRA)) rollback(g, g->n_log - 1);
        }
        if (!row_ok(g, i)) return 0;
    }
    return 1;
}

static int cmp_start(const gctx *g, int a, int b)
{
    const ckp_start_var *sa = &g->m->starts[a], *sb = &g->m->starts[b];
    const ckp_project *p = &g->m->plan->projects[sa->project];
    if (sa->start != sb->start) return sa->start < sb->start ? -1 : 1;
    double ca = p->options[sa->option].commitment, cb = p->options[sb->option].commitment;
    if (ca != cb) return ca < cb ? -1 : 1;
    return sa->option < sb->option ? -1 : sa->option > sb->option;
}

/* Add project p at its first workable (start, option), then the projects
 * it requires (so they adapt to p's timing, not the reverse).  Returns 1
 * when p is chosen; on failure nothing added here stays. */
static int try_add(gctx *g, int p)
{
    const ckp_model *m = g->m;
    const ckp_project *pr = &m->plan->projects[p];
    if (g->chosen[p] >= 0) return 1;
    if (g->visiting[p] || m->project_row[p] < 0) return 0;
    g->visiting[p] = 1;
    /* candidates: earliest start, then cheapest option (insertion sort: a
       project has few starts) */
    int k0 = m->project_first[p], n = m->project_first[p + 1] - k0, ok = 0;
    int *order = ckp_malloc(((size_t)n + 1) * sizeof *order);
    if (!order) {
        g->nomem = 1;
        n = 0;
    }
    for (int a = 0; a < n; a++) {
        int v = k0 + a, b = a;
        while (b > 0 && cmp_start(g, order[b - 1], v) > 0) {
            order[b] = order[b - 1];
            b--;
        }
        order[b] = v;
    }
    for (int a = 0; a < n && !ok; a++) {
        int s = order[a], j = m->starts[s].col, at = g->n_log;
        push(g, j);
        g->chosen[p] = s;
        ok = col_rows_ok(g, j, SKIP_REQ | SKIP_INFRA) &&
             (col_rows_ok(g, j, SKIP_REQ) || repair_infra(g, j));
        for (int k = 0; k < pr->n_requires && ok; k++)
            if (pr->requires[k].ix >= 0 && pr->requires[k].ix != p)
                ok = try_add(g, pr->requires[k].ix);
        ok = ok && col_rows_ok(g, j, 0);
        if (!ok) rollback(g, at);
    }
    ckp_free(order);
    g->visiting[p] = 0;
    return ok;
}

/* Estimated weighted exposure cut per unit of bank money (see header). */
static double score(const ckp_model *m, int p, const double *rmax,
                    const unsigned char *supplied)
{
    const ckp_plan *plan = m->plan;
    const ckp_project *pr = &plan->projects[p];
    int k0 = m->project_first[p], k1 = m->project_first[p + 1], Y = m->n_years;
    if (k0 == k1) return 0;
    for (int k = 0; k < pr->n_inputs; k++)
        if (pr->inputs[k].commodity.ix >= 0 && !supplied[pr->inputs[k].commodity.ix])
            return 0;
    int c = pr->output.ix, online = m->starts[k0].online;
    for (int k = k0; k < k1; k++)
        if (m->starts[k].online < online) online = m->starts[k].online;
    double risk = ckp_plan_producer_risk(plan, plan->n_facilities + p);
    double cut = rmax[c] - risk, benefit = 0;
    if (!(cut > 0)) return 0;
    for (int y = online - plan->first_year; y < Y; y++) {
        double R = m->requirement[c * Y + y];
        if (!(R > 0)) continue;
        int age = plan->first_year + y - online;
        double q = pr->capacity * (age < pr->n_ramp ? pr->ramp[age] : 1.0);
        benefit += plan->commodities[c].weight * cut * (q < R ? q : R) / R;
    }
    double cheapest = INFINITY;
    for (int o = 0; o < pr->n_options; o++)
        if (pr->options[o].commitment < cheapest) cheapest = pr->options[o].commitment;
    return benefit / (cheapest > 1e-9 ? cheapest : 1e-9);
}

typedef struct ranked {
    double score;
    int project;
} ranked;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked *x = a, *y = b;
    if (x->score != y->score) return x->score > y->score ? -1 : 1;
    return (x->project > y->project) - (x->project < y->project);
}

static int build_index(gctx *g)
{
    const ckp_mip *mip = g->mip;
    int nr = mip->n_rows, nc = mip->n_cols;
    g->binrow = ckp_malloc((size_t)nr + 1);
    g->cfirst = ckp_calloc((size_t)nc + 2, sizeof *g->cfirst);
    g->rfirst = ckp_calloc((size_t)nr + 2, sizeof *g->rfirst);
    if (!g->binrow || !g->cfirst || !g->rfirst) return -1;
    memset(g->binrow, 1, (size_t)nr + 1);
    for (int k = 0; k < mip->nnz; k++)
        if (mip->col_kind[mip->ja[k]] != CKP_COL_BINARY) g->binrow[mip->ia[k]] = 0;
    int n = 0;
    for (int k = 0; k < mip->nnz; k++)
        if (g->binrow[mip->ia[k]]) {
            g->cfirst[mip->ja[k] + 1]++;
            g->rfirst[mip->ia[k] + 1]++;
            n++;
        }
    for (int j = 0; j < nc; j++) g->cfirst[j + 1] += g->cfirst[j];
    for (int i = 0; i < nr; i++) g->rfirst[i + 1] += g->rfirst[i];
    g->crow = ckp_malloc(((size_t)n + 1) * sizeof *g->crow);
    g->cval = ckp_malloc(((size_t)n + 1) * sizeof *g->cval);
    g->rcol = ckp_malloc(((size_t)n + 1) * sizeof *g->rcol);
    g->rval = ckp_malloc(((size_t)n + 1) * sizeof *g->rval);
    int *cf = ckp_malloc(((size_t)nc + 1) * sizeof *cf);
    int *rf = ckp_malloc(((size_t)nr + 1) * sizeof *rf);
    if (!g->crow || !g->cval || !g->rcol || !g->rval || !cf || !rf) {
        ckp_free(cf);
        ckp_free(rf);
        return -1;
    }
    memcpy(cf, g->cfirst, (size_t)nc * sizeof *cf);
    memcpy(rf, g->rfirst, (size_t)nr * sizeof *rf);
    /* Row-wise entries in column order, so an upgrade's earliest start is
       met first. */
    for (int k = 0; k < mip->nnz; k++) {
        int i = mip->ia[k], j = mip->ja[k];
        if (!g->binrow[i]) continue;
        g->crow[cf[j]] = i;
        g->cval[cf[j]++] = mip->ar[k];
    }
    for (int j = 0; j < nc; j++)
        for (int k = g->cfirst[j]; k < g->cfirst[j + 1]; k++) {
            int i = g->crow[k];
            g->rcol[rf[i]] = j;
            g->rval[rf[i]++] = g->cval[k];
        }
    ckp_free(cf);
    ckp_free(rf);
    return 0;
}

static void gctx_fini(gctx *g)
{
    ckp_free(g->binrow);
    ckp_free(g->cfirst);
    ckp_free(g->crow);
    ckp_free(g->cval);
    ckp_free(g->rfirst);
    ckp_free(g->rcol);
    ckp_free(g->rval);
    ckp_free(g->act);
    ckp_free(g->x);
    ckp_free(g->col_proj);
    ckp_free(g->col_upg);
    ckp_free(g->chosen);
    ckp_free(g->upg_on);
    ckp_free(g->visiting);
    ckp_free(g->log);
}

ckp_status ckp_model_greedy(const ckp_model *m, double **out)
{
    *out = NULL;
    if (!m) return CKP_EINTERNAL;
    const ckp_plan *plan = m->plan;
    const ckp_mip *mip = &m->mip;
    int nc = mip->n_cols, nr = mip->n_rows, np = plan->n_projects;
    int ncomm = plan->n_commodities, nf = plan->n_facilities;
    ckp_status rc = CKP_OK;
    gctx g;
    memset(&g, 0, sizeof g);
    g.m = m;
    g.mip = mip;
    double *rmax = NULL;
    unsigned char *supplied = NULL;
    ranked *rank = NULL;

    g.act = ckp_calloc((size_t)nr + 1, sizeof *g.act);
    g.x = ckp_malloc(((size_t)nc + 1) * sizeof *g.x);
    g.col_proj = ckp_malloc(((size_t)nc + 1) * sizeof *g.col_proj);
    g.col_upg = ckp_malloc(((size_t)nc + 1) * sizeof *g.col_upg);
    g.chosen = ckp_malloc(((size_t)np + 1) * sizeof *g.chosen);
    g.upg_on = ckp_calloc((size_t)plan->n_upgrades + 1, 1);
    g.visiting = ckp_calloc((size_t)np + 1, 1);
    g.log = ckp_malloc(((size_t)m->n_starts + (size_t)m->n_ustarts + 1) * sizeof *g.log);
    rmax = ckp_calloc((size_t)ncomm + 1, sizeof *rmax);
    supplied = ckp_calloc((size_t)ncomm + 1, 1);
    rank = ckp_malloc(((size_t)np + 1) * sizeof *rank);
    if (!g.act || !g.x || !g.col_proj || !g.col_upg || !g.chosen || !g.upg_on ||
        !g.visiting || !g.log || !rmax || !supplied || !rank ||
        build_index(&g)) {
        rc = CKP_ENOMEM;
        goto done;
    }
    for (int j = 0; j < nc; j++) {
        g.x[j] = mip->col_kind[j] == CKP_COL_BINARY ? 0.0 : NAN;
        g.col_proj[j] = -1;
        g.col_upg[j] = -1;
    }
    for (int k = 0; k < m->n_starts; k++) g.col_proj[m->starts[k].col] = m->starts[k].project;
    for (int k = 0; k < m->n_ustarts; k++) g.col_upg[m->ustarts[k].col] = m->ustarts[k].upgrade;
    for (int p = 0; p < np; p++) g.chosen[p] = -1;

    for (int f = 0; f < nf; f++) {
        const ckp_facility *fa = &plan->facilities[f];
        int c = fa->output.ix;
        if (c < 0 || !(fa->capacity * fa->available > 0)) continue;
        supplied[c] = 1;
        double r = ckp_plan_producer_risk(plan, f);
        if (r > rmax[c]) rmax[c] = r;
    }
    for (int p = 0; p < np; p++)
        if (m->project_row[p] >= 0 && plan->projects[p].output.ix >= 0)
            supplied[plan->projects[p].output.ix] = 1;

    /* Forced projects first, in plan order. */
    for (int p = 0; p < np; p++) {
        if (m->project_row[p] < 0 || !(mip->row_lb[m->project_row[p]] >= 1)) continue;
        if (!try_add(&g, p)) {
            if (g.nomem) rc = CKP_ENOMEM;
            goto done; /* no greedy choice */
        }
    }
    int n = 0;
    for (int p = 0; p < np; p++) {
        double s = score(m, p, rmax, supplied);
        if (s > 0) rank[n++] = (ranked){s, p};
    }
    qsort(rank, (size_t)n, sizeof *rank, cmp_ranked);
    for (int k = 0; k < n; k++) (void)try_add(&g, rank[k].project);

    if (g.nomem) {
        rc = CKP_ENOMEM;
        goto done;
    }
    /* Final check of every binary-only row, both bounds. */
    for (int i = 0; i < nr; i++) {
        if (!g.binrow[i]) continue;
        if (g.act[i] > mip->row_ub[i] + TOL || g.act[i] < mip->row_lb[i] - TOL)
            goto done;
    }
    *out = g.x;
    g.x = NULL;
done:
    gctx_fini(&g);
    ckp_free(rmax);
    ckp_free(supplied);
    ckp_free(rank);
    return rc;
}
