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
 *    score, best first (ties: plan order).  Each is added together with
 *    the projects it requires, directly or through others (its requires
 *    closure, in depth-first order).  The project is tried at its starts in
 *    order (earliest start, then cheapest option); for each, every project
 *    of the closure not yet chosen takes its own first workable start.  A
 *    start is workable when every row that involves only binaries stays
 *    satisfied -- an infrastructure row it would overload may be repaired
 *    by funding upgrades (earliest start first).  When a member has no
 *    workable start, everything added for that start of the project is
 *    rolled back and its next start is tried.  A closure holding a project
 *    that can never be funded (no columns, or requiring one without) is not
 *    tried at all.
 * 3. Every binary-only row is checked once more (including the lower bound
 *    1 of forced projects' one-start rows); on failure no choice is
 *    returned.
 *
 * Feasibility is judged on the MIP itself (row activities of binary-only
 * rows), so the greedy cannot drift from the formulation.  The search is
 * iterative (no recursion: a requires chain of any depth is fine) and its
 * work is bounded: at most WORK_PER_START placements per start column
 * (plus WORK_MIN) over the whole run, each costing the entries of its
 * column; when the bound or the caller's time limit is reached, nothing
 * more is added and what was chosen so far is returned. */
#include "ckp/model.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/clock.h"

#define TOL 1e-9
/* Work bound: placements (a start tried for a project) over the whole
 * run, per start column of the model, plus a floor.  A plan without
 * failures places each project once. */
#define WORK_PER_START 16
#define WORK_MIN 100000
/* Placements between two looks at the clock. */
#define CLOCK_EVERY 256

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
    unsigned char *visiting;/* [n_projects] member of the closure being built */
    unsigned char *dead;    /* [n_projects] can never be funded: no columns,
                               or requires (transitively) one without */
    int *order;             /* [n_starts] start indices, per project in the
                               order they are tried */
    int *closure;           /* [n_projects] scratch: a requires closure */
    int *stack;             /* [n_projects] scratch: depth-first stack */
    int *spos;              /* [n_projects] next requires entry per project */
    int *log;               /* columns set to 1, in order */
    int n_log;
    long work;              /* placements left */
    double deadline;        /* ckp_clock_wall() seconds; INFINITY = none */
    int stopped;            /* work bound or deadline reached */
    int nomem;              /* an allocation failed on the way */
} gctx;

/* Charge one placement; 0 once the work bound or the deadline is reached. */
static int spend(gctx *g)
{
    if (g->stopped) return 0;
    if (g->work <= 0) {
        g->stopped = 1;
        return 0;
    }
    g->work--;
    if (isfinite(g->deadline) && g->work % CLOCK_EVERY == 0 &&
        ckp_clock_wall() >= g->deadline) {
        g->stopped = 1;
        return 0;
    }
    return 1;
}

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

/* Sort key of a start: project, start year, commitment, option. */
typedef struct start_key {
    int project, start, option, ix;
    double commitment;
} start_key;

static int cmp_start_key(const void *va, const void *vb)
{
    const start_key *a = va, *b = vb;
    if (a->project != b->project) return a->project < b->project ? -1 : 1;
    if (a->start != b->start) return a->start < b->start ? -1 : 1;
    if (a->commitment != b->commitment) return a->commitment < b->commitment ? -1 : 1;
    if (a->option != b->option) return a->option < b->option ? -1 : 1;
    return (a->ix > b->ix) - (a->ix < b->ix);
}

/* g->order: every project's starts, earliest start then cheapest option
 * (the starts of p stay in project_first[p] .. project_first[p+1]-1). */
static int build_order(gctx *g)
{
    const ckp_model *m = g->m;
    int n = m->n_starts;
    start_key *k = ckp_malloc(((size_t)n + 1) * sizeof *k);
    g->order = ckp_malloc(((size_t)n + 1) * sizeof *g->order);
    if (!k || !g->order) {
        ckp_free(k);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        const ckp_start_var *sv = &m->starts[i];
        k[i] = (start_key){sv->project, sv->start, sv->option, i,
                           m->plan->projects[sv->project].options[sv->option].commitment};
    }
    qsort(k, (size_t)n, sizeof *k, cmp_start_key);
    for (int i = 0; i < n; i++) g->order[i] = k[i].ix;
    ckp_free(k);
    return 0;
}

/* dead[p]: p has no columns, or requires (directly or through others) a
 * project without.  Propagated backwards over the requires edges with a
 * work list (no recursion). */
static int build_dead(gctx *g)
{
    const ckp_model *m = g->m;
    const ckp_plan *plan = m->plan;
    int np = plan->n_projects, ne = 0;
    for (int p = 0; p < np; p++) ne += plan->projects[p].n_requires;
    int *first = ckp_calloc((size_t)np + 2, sizeof *first);
    int *by = ckp_malloc(((size_t)ne + 1) * sizeof *by);
    int *queue = ckp_malloc(((size_t)np + 1) * sizeof *queue);
    g->dead = ckp_calloc((size_t)np + 1, 1);
    int rc = -1;
    if (!first || !by || !queue || !g->dead) goto out;
    /* reverse edges: the projects that require q */
    for (int p = 0; p < np; p++)
        for (int k = 0; k < plan->projects[p].n_requires; k++) {
            int q = plan->projects[p].requires[k].ix;
            if (q >= 0 && q < np) first[q + 1]++;
        }
    for (int q = 0; q < np; q++) first[q + 1] += first[q];
    for (int p = 0; p < np; p++)
        for (int k = 0; k < plan->projects[p].n_requires; k++) {
            int q = plan->projects[p].requires[k].ix;
            if (q >= 0 && q < np) by[first[q]++] = p;
        }
    for (int q = np; q > 0; q--) first[q] = first[q - 1];
    first[0] = 0;
    int head = 0, tail = 0;
    for (int p = 0; p < np; p++)
        if (m->project_row[p] < 0) {
            g->dead[p] = 1;
            queue[tail++] = p;
        }
    while (head < tail) {
        int q = queue[head++];
        for (int e = first[q]; e < first[q + 1]; e++)
            if (!g->dead[by[e]]) {
                g->dead[by[e]] = 1;
                queue[tail++] = by[e];
            }
    }
    rc = 0;
out:
    ckp_free(first);
    ckp_free(by);
    ckp_free(queue);
    return rc;
}

/* The projects not yet chosen that p requires, directly or through
 * others, p first, in depth-first preorder (the order a recursive descent
 * would add them); iterative.  Returns the count, or -1 when one of them
 * can never be funded. */
static int closure_of(gctx *g, int p)
{
    const ckp_plan *plan = g->m->plan;
    int n = 0, sp = 0, dead = 0;
    g->visiting[p] = 1;
    g->closure[n++] = p;
    g->spos[p] = 0;
    g->stack[sp++] = p;
    while (sp > 0) {
        int v = g->stack[sp - 1];
        const ckp_project *pr = &plan->projects[v];
        if (g->spos[v] >= pr->n_requires) {
            sp--;
            continue;
        }
        int q = pr->requires[g->spos[v]++].ix;
        if (q < 0 || g->visiting[q] || g->chosen[q] >= 0) continue;
        g->visiting[q] = 1;
        g->closure[n++] = q;
        g->spos[q] = 0;
        g->stack[sp++] = q;
    }
    for (int i = 0; i < n; i++) {
        g->visiting[g->closure[i]] = 0;
        if (g->dead[g->closure[i]]) dead = 1;
    }
    return dead ? -1 : n;
}

/* Put project p at start s (index into m->starts) when its binary-only
 * rows other than requires allow it (infrastructure repaired by upgrades
 * if need be).  Returns 1 when placed; otherwise nothing stays. */
static int place(gctx *g, int p, int s)
{
    int j = g->m->starts[s].col, at = g->n_log;
    push(g, j);
    g->chosen[p] = s;
    if (col_rows_ok(g, j, SKIP_REQ | SKIP_INFRA) &&
        (col_rows_ok(g, j, SKIP_REQ) || repair_infra(g, j)))
        return 1;
    rollback(g, at);
    return 0;
}

/* Project p at its first workable start, or 0. */
static int place_first(gctx *g, int p)
{
    const ckp_model *m = g->m;
    for (int a = m->project_first[p]; a < m->project_first[p + 1]; a++) {
        if (!spend(g)) return 0;
        if (place(g, p, g->order[a])) return 1;
    }
    return 0;
}

/* Add project p with its requires closure (see the header).  Returns 1
 * when p is chosen; on failure nothing added here stays. */
static int try_add(gctx *g, int p)
{
    const ckp_model *m = g->m;
    if (g->chosen[p] >= 0) return 1;
    if (g->dead[p]) return 0;
    int n = closure_of(g, p);
    if (n < 0) return 0;
    for (int a = m->project_first[p]; a < m->project_first[p + 1]; a++) {
        if (!spend(g)) return 0;
        int at = g->n_log;
        int ok = place(g, p, g->order[a]);
        for (int i = 1; i < n && ok; i++) ok = place_first(g, g->closure[i]);
        /* requires rows hold now that the whole closure is in */
        for (int i = 0; i < n && ok; i++)
            ok = col_rows_ok(g, m->starts[g->chosen[g->closure[i]]].col, 0);
        if (ok) return 1;
        rollback(g, at);
    }
    return 0;
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
    ckp_free(g->dead);
    ckp_free(g->order);
    ckp_free(g->closure);
    ckp_free(g->stack);
    ckp_free(g->spos);
    ckp_free(g->log);
}

ckp_status ckp_model_greedy(const ckp_model *m, double **out)
{
    return ckp_model_greedy_limited(m, 0.0, out);
}

ckp_status ckp_model_greedy_limited(const ckp_model *m, double time_limit,
                                    double **out)
{
    double t0 = ckp_clock_wall();
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
    g.deadline = time_limit > 0 ? t0 + time_limit : INFINITY;
    g.work = WORK_MIN + WORK_PER_START * (long)m->n_starts;
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
    g.closure = ckp_malloc(((size_t)np + 1) * sizeof *g.closure);
    g.stack = ckp_malloc(((size_t)np + 1) * sizeof *g.stack);
    g.spos = ckp_malloc(((size_t)np + 1) * sizeof *g.spos);
    g.log = ckp_malloc(((size_t)m->n_starts + (size_t)m->n_ustarts + 1) * sizeof *g.log);
    rmax = ckp_calloc((size_t)ncomm + 1, sizeof *rmax);
    supplied = ckp_calloc((size_t)ncomm + 1, 1);
    rank = ckp_malloc(((size_t)np + 1) * sizeof *rank);
    if (!g.act || !g.x || !g.col_proj || !g.col_upg || !g.chosen || !g.upg_on ||
        !g.visiting || !g.closure || !g.stack || !g.spos || !g.log || !rmax ||
        !supplied || !rank || build_index(&g) || build_order(&g)) {
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
    if (build_dead(&g)) {
        rc = CKP_ENOMEM;
        goto done;
    }

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
    for (int k = 0; k < n && !g.stopped; k++) (void)try_add(&g, rank[k].project);

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
