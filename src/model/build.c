/* build.c: the model builder.  Turns a checked plan and the what-if
 * parameters into the chokepoint MIP of docs/formulation.md (columns x, z,
 * q, s, m, e; rows one, one_upg, cap, bal, infra, budget, budget_total, req,
 * excl, mm, cap_share) inside a ckp_mip, and keeps the maps from plan records to
 * columns and rows in ckp_model.  Knows nothing of XML or GLPK.
 *
 * Work is linear in the size of the plan: producers and consumers of each
 * commodity, and the projects and upgrades of each (site, resource), are
 * gathered once in flat lists; no loop runs over pairs of projects.  Every
 * (row, column) pair is emitted once (coefficients of one column in one row
 * are merged first), and ckp_mip_check() runs on the result.
 *
 * Scenarios (docs/formulation.md 7d): production, shortage, balance,
 * capacity, stockpile release, min-max and cap rows carry a scenario index
 * (the outermost factor of the *_ix helpers below); build and financing
 * columns are shared.  A plan without scenarios is one implicit scenario
 * of probability 1, built exactly as before (same names, same numbers).
 * Scenario columns are built with their scenario's own objective
 * coefficients; apply_measure() then weights them by probability
 * (expected) or moves them into one row per scenario under a common
 * bound W (worst case). */
#include "ckp/model.h"

#include <limits.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

#define CKP_QTY_SCALE 1000.0  /* model quantities in kt (t/yr / 1000) */
#define CKP_MONEY_SCALE 1.0   /* model money in the plan's millions */
#define CKP_ID_MAX 100        /* longest id kept in a name (bytes) */
#define CKP_NAME_MAX 256      /* names stay <= 255 chars (GLPK limit) */
#define CKP_SCEN_ID_MAX 30    /* scenario id kept in a name suffix (bytes) */

void ckp_model_params_init(ckp_model_params *p)
{
    memset(p, 0, sizeof *p);
    p->objective = -1;
    p->budget_total = NAN;
    p->force = NULL;
    p->exclude = NULL;
    p->shortage_penalty = NAN;
    /* 1e-4 share-years at most (see docs/formulation.md, "Tie-break"):
       above GLPK's relative objective tolerance on typical objectives,
       far below any exposure difference a report shows. */
    p->tie_break = 1e-4;
    p->lexicographic = 1;
    p->max_share = NAN; /* no policy cap */
    p->min_cost = 0;
    p->target = NAN;
    p->target_base = NAN;
    p->measure = -1; /* the plan's scenario measure */
}

void ckp_model_free(ckp_model *m)
{
    if (!m) return;
    ckp_mip_fini(&m->mip);
    ckp_free(m->starts);
    ckp_free(m->project_first);
    ckp_free(m->ustarts);
    ckp_free(m->upgrade_first);
    ckp_free(m->prod_col);
    ckp_free(m->short_col);
    ckp_free(m->requirement);
    ckp_free(m->budget_year_row);
    ckp_free(m->project_row);
    ckp_free(m->row_kind);
    ckp_free(m->row_ref);
    ckp_free(m->share_caps);
    ckp_free(m->scen_plan);
    ckp_free(m->scen_prob);
    ckp_free(m->stock_col);
    ckp_free(m->release_col);
    ckp_free(m->expo_coef);
    ckp_free(m->col_scen);
    ckp_free(m->scen_coef);
    ckp_free(m);
}

/* ------------------------------------------------------------------ */
/* Names                                                                */

/* Copy an id into dst (size >= CKP_ID_MAX + 1), replacing anything that is
 * not a visible ASCII character, or one of the name punctuation "[],",
 * with '_', and truncating to CKP_ID_MAX bytes. */
static const char *clean_id(char *dst, const char *id)
{
    size_t n = 0;
    if (!id) id = "?";
    for (; id[n] && n < CKP_ID_MAX; n++) {
        unsigned char ch = (unsigned char)id[n];
        int bad = ch <= 0x20 || ch >= 0x7f || ch == '[' || ch == ']' ||
                  ch == ',';
        dst[n] = bad ? '_' : (char)ch;
    }
    dst[n] = '\0';
    return dst;
}

/* ------------------------------------------------------------------ */
/* Builder state                                                        */

typedef struct bld {
    const ckp_plan *plan;
    ckp_model *m;
    ckp_diag_list *diag;
    int Y, first, last;
    double qs; /* quantity scale */
    int n_prod;

    unsigned char *forced;   /* [n_projects] */
    unsigned char *excluded; /* [n_projects] */

    /* per producer: risk, output, merged (commodity, coefficient) list */
    double *risk;            /* [n_prod] */
    int *pc_first;           /* [n_prod + 1] */
    int *pc_comm;
    double *pc_coef;

    int *p_min_online;       /* [n_projects], INT_MAX when no start */
    int *bal_row;            /* [S * n_comm * Y], -1 when none */

    int S;                   /* scenarios in the model (>= 1) */
    int nc;                  /* commodities */
    int nk;                  /* stockpiles */
    int cap_col_scen;        /* allocated length of m->col_scen */
    double *serve;           /* [S * nc * Y] S_s(c, y), per t (serve_of) */
    int *topo;               /* [nc] commodities, each after its made-from
                                inputs (compute_requirement) */
} bld;

static void bld_fini(bld *b)
{
    ckp_free(b->forced);
    ckp_free(b->excluded);
    ckp_free(b->risk);
    ckp_free(b->pc_first);
    ckp_free(b->pc_comm);
    ckp_free(b->pc_coef);
    ckp_free(b->p_min_online);
    ckp_free(b->bal_row);
    ckp_free(b->serve);
    ckp_free(b->topo);
}

/* Index helpers: scenario outermost, so scenario 0 keeps the layout of a
 * plan without scenarios. */
static int py_ix(const bld *b, int s, int producer, int y)
{
    return (s * b->n_prod + producer) * b->Y + y;
}
static int cy_ix(const bld *b, int s, int c, int y) { return (s * b->nc + c) * b->Y + y; }
static int ky_ix(const bld *b, int s, int k, int y) { return (s * b->nk + k) * b->Y + y; }

/* Name suffix of scenario s: empty with one scenario (names as without
 * scenarios), ",<id>" otherwise. */
static const char *scen_sfx(const bld *b, int s, char *buf)
{
    buf[0] = '\0';
    if (b->S > 1 && b->m->scen_plan[s] >= 0) {
        /* at most CKP_SCEN_ID_MAX characters of the id, so a name with
           two ids, a year and the suffix stays within CKP_NAME_MAX */
        char id[CKP_ID_MAX + 1];
        clean_id(id, b->plan->scenarios[b->m->scen_plan[s]].id);
        id[CKP_SCEN_ID_MAX] = '\0';
        buf[0] = ',';
        memcpy(buf + 1, id, strlen(id) + 1);
    }
    return buf;
}

/* The bloc's final demand of c in year index y under scenario s, t/yr. */
static double demand_s(const bld *b, int s, int c, int y)
{
    int year = b->first + y;
    return ckp_plan_demand(b->plan, c, year) *
           ckp_scenario_demand_scale(b->plan, b->m->scen_plan[s], c, year);
}

static ckp_status diag_err(bld *b, int line, const char *code, const char *fmt,
                           ...) CKP_PRINTF(4, 5);
static ckp_status diag_err(bld *b, int line, const char *code, const char *fmt,
                           ...)
{
    char buf[512];
    va_list ap;
    if (!b->diag) return CKP_OK;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    /* Parameter problems (line 0) name no file: they come from the
       command line, not the plan. */
    return ckp_diag_add(b->diag, CKP_SEV_ERROR, line > 0 ? b->plan->path : NULL,
                        line, code, "%s", buf);
}

static ckp_status add_row(bld *b, const char *name, double lb, double ub,
                          unsigned char kind, int *out)
{
    ckp_mip *mip = &b->m->mip;
    int i;
    CKP_TRY(ckp_mip_add_row(mip, name, lb, ub, &i));
    if (mip->n_rows > b->m->cap_row_kind) {
        int cap = b->m->cap_row_kind;
        if (ckp_grow((void **)&b->m->row_kind, &cap, mip->n_rows,
                     sizeof *b->m->row_kind))
            return CKP_ENOMEM;
        b->m->cap_row_kind = cap;
    }
    b->m->row_kind[i] = kind;
    if (mip->n_rows > b->m->cap_row_ref) {
        int cap = b->m->cap_row_ref;
        if (ckp_grow((void **)&b->m->row_ref, &cap, mip->n_rows, 3 * sizeof *b->m->row_ref))
            return CKP_ENOMEM;
        b->m->cap_row_ref = cap;
    }
    b->m->row_ref[3 * i] = b->m->row_ref[3 * i + 1] = b->m->row_ref[3 * i + 2] = -1;
    if (out) *out = i;
    return CKP_OK;
}

/* What row r is about (ckp_model.row_ref). */
static void set_ref(bld *b, int r, int a, int c, int year)
{
    b->m->row_ref[3 * r] = a;
    b->m->row_ref[3 * r + 1] = c;
    b->m->row_ref[3 * r + 2] = year;
}

/* A column, recording its scenario (-1: shared by every scenario). */
static ckp_status add_col(bld *b, const char *name, ckp_col_kind kind, double lb,
                          double ub, double obj, int scen, int *out)
{
    ckp_mip *mip = &b->m->mip;
    int j;
    CKP_TRY(ckp_mip_add_col(mip, name, kind, lb, ub, obj, &j));
    if (mip->n_cols > b->cap_col_scen) {
        int cap = b->cap_col_scen;
        if (ckp_grow((void **)&b->m->col_scen, &cap, mip->n_cols, sizeof *b->m->col_scen))
            return CKP_ENOMEM;
        b->cap_col_scen = cap;
    }
    b->m->col_scen[j] = scen;
    if (out) *out = j;
    return CKP_OK;
}

/* Start window of a project: first and last start year and the delay from
 * start to the online year.  Missing (0) earliest/latest mean the horizon. */
static void project_window(const bld *b, const ckp_project *p, int *lo, int *hi,
                           int *delay)
{
    int open = b->m->params.open_windows;
    int e = p->earliest_start && !open ? p->earliest_start : b->first;
    int l = p->latest_start && !open ? p->latest_start : b->last;
    *lo = e > b->first ? e : b->first;
    *hi = l < b->last ? l : b->last;
    *delay = (p->permit == CKP_PERMIT_PENDING ? p->permit_years : 0) +
             p->build_years;
}

static void upgrade_window(const bld *b, const ckp_upgrade *u, int *lo, int *hi)
{
    int open = b->m->params.open_windows;
    int e = u->earliest_start && !open ? u->earliest_start : b->first;
    int l = u->latest_start && !open ? u->latest_start : b->last;
    *lo = e > b->first ? e : b->first;
    *hi = l < b->last ? l : b->last;
}

/* ------------------------------------------------------------------ */
/* Parameters and requirement                                          */

/* The per-year limit overrides (ckp_model_params.year_limits,
 * scale_year_limits): refused ones are diagnosed and set *rc to
 * CKP_EUSAGE; the return value is CKP_ENOMEM or CKP_OK. */
static ckp_status check_year_limits(bld *b, ckp_status *rc)
{
    const ckp_plan *plan = b->plan;
    const ckp_model_params *pp = &b->m->params;
    for (int k = 0; k < pp->n_year_limits; k++) {
        const ckp_year_value *v = &pp->year_limits[k];
        if (v->year < b->first || v->year > b->last) {
            CKP_TRY(diag_err(b, 0, "bad-year-limit", "year limit for %d: outside "
                             "the horizon %d-%d", v->year, b->first, b->last));
            *rc = CKP_EUSAGE;
        } else if (!(v->value >= 0)) {
            CKP_TRY(diag_err(b, 0, "bad-year-limit", "year limit %g for %d must be "
                             ">= 0", v->value, v->year));
            *rc = CKP_EUSAGE;
        }
    }
    if (pp->scale_year_limits && !isnan(pp->budget_total) &&
        !(isfinite(plan->budget.total) && plan->budget.total > 0 &&
          isfinite(pp->budget_total))) {
        CKP_TRY(diag_err(b, 0, "bad-year-limit", "scaling the year limits needs a "
                         "finite budget and a plan <budget total> > 0 (plan: %g, "
                         "budget: %g)", plan->budget.total, pp->budget_total));
        *rc = CKP_EUSAGE;
    }
    return CKP_OK;
}

static ckp_status resolve_params(bld *b)
{
    const ckp_plan *plan = b->plan;
    ckp_model *m = b->m;
    const ckp_model_params *pp = &m->params;
    ckp_status rc = CKP_OK;

    if (pp->objective < 0) {
        m->objective = plan->objective.kind;
    } else if (pp->objective == CKP_OBJ_WEIGHTED || pp->objective == CKP_OBJ_MINMAX) {
        m->objective = (ckp_objective_kind)pp->objective;
    } else {
        CKP_TRY(diag_err(b, 0, "bad-objective", "unknown objective kind %d",
                         pp->objective));
        rc = CKP_EUSAGE;
    }
    m->shortage_penalty = isnan(pp->shortage_penalty)
                              ? plan->objective.shortage_penalty
                              : pp->shortage_penalty;
    if (!(m->shortage_penalty > 1.0) || !isfinite(m->shortage_penalty)) {
        CKP_TRY(diag_err(b, plan->objective.line, "bad-penalty",
                         "shortage penalty %g must be finite and > 1",
                         m->shortage_penalty));
        rc = CKP_EUSAGE;
    }
    m->budget_total = isnan(pp->budget_total) ? plan->budget.total
                                              : pp->budget_total;
    if (!(m->budget_total >= 0)) {
        CKP_TRY(diag_err(b, 0, "bad-budget", "budget %g must be >= 0",
                         m->budget_total));
        rc = CKP_EUSAGE;
    }
    CKP_TRY(check_year_limits(b, &rc));
    m->max_share = pp->max_share;
    if (!isnan(pp->max_share) && !(pp->max_share > 0 && pp->max_share <= 1)) {
        CKP_TRY(diag_err(b, 0, "bad-max-share", "max share %g must be in (0, 1]",
                         pp->max_share));
        rc = CKP_EUSAGE;
    }
    if (pp->min_cost && !pp->no_projects) {
        m->objective = CKP_OBJ_WEIGHTED; /* the goal's exposure measure */
        if (!(pp->target > 0 && pp->target <= 1)) {
            CKP_TRY(diag_err(b, 0, "bad-target", "min-cost needs a target in (0, 1] "
                             "(got %g)", pp->target));
            rc = CKP_EUSAGE;
        } else if (!(pp->target_base >= 0) || !isfinite(pp->target_base)) {
            CKP_TRY(diag_err(b, 0, "no-baseline", "min-cost needs the baseline "
                             "exposure (target_base), which only a solve "
                             "(ckp_run) computes: set target_base, or build "
                             "without min_cost"));
            rc = CKP_EUSAGE;
        }
        if (!isnan(pp->max_share)) {
            CKP_TRY(diag_err(b, 0, "min-cost-max-share", "a share cap (max_share) "
                             "cannot be combined with min-cost (min_cost)"));
            rc = CKP_EUSAGE;
        }
    } else if (!isnan(pp->target) && !pp->min_cost) {
        CKP_TRY(diag_err(b, 0, "target-without-min-cost",
                         "a target (target) needs min-cost (min_cost)"));
        rc = CKP_EUSAGE;
    }
    if (!(pp->tie_break >= 0) || !isfinite(pp->tie_break)) {
        CKP_TRY(diag_err(b, 0, "bad-tie-break", "tie-break weight %g must be "
                         "finite and >= 0", pp->tie_break));
        rc = CKP_EUSAGE;
    }

    if (pp->measure < 0) {
        m->measure = plan->objective.measure;
    } else if (pp->measure == CKP_MEASURE_EXPECTED || pp->measure == CKP_MEASURE_WORST) {
        m->measure = (ckp_scenario_measure)pp->measure;
    } else {
        CKP_TRY(diag_err(b, 0, "bad-measure", "unknown scenario measure %d",
                         pp->measure));
        rc = CKP_EUSAGE;
    }
    /* Scenarios: every scenario of the plan, one of them alone
       (probability 1), or none (one implicit scenario). */
    int sel = -1;
    if (pp->scenario && pp->no_scenarios) {
        CKP_TRY(diag_err(b, 0, "scenario-conflict",
                         "scenario '%s' cannot be combined with no_scenarios",
                         pp->scenario));
        rc = CKP_EUSAGE;
    } else if (pp->scenario) {
        sel = ckp_plan_find_scenario(plan, pp->scenario);
        if (sel < 0) {
            CKP_TRY(diag_err(b, 0, "unknown-scenario",
                             "unknown scenario '%s' (the plan has %d)",
                             pp->scenario, plan->n_scenarios));
            rc = CKP_EUSAGE;
        }
    }
    int all = !pp->no_scenarios && !pp->scenario && plan->n_scenarios > 0;
    m->n_scen = all ? plan->n_scenarios : 1;
    m->scen_plan = ckp_malloc(((size_t)m->n_scen + 1) * sizeof *m->scen_plan);
    m->scen_prob = ckp_malloc(((size_t)m->n_scen + 1) * sizeof *m->scen_prob);
    if (!m->scen_plan || !m->scen_prob) return CKP_ENOMEM;
    for (int k = 0; k < m->n_scen; k++) {
        m->scen_plan[k] = all ? k : sel;
        m->scen_prob[k] = all ? plan->scenarios[k].probability : 1.0;
    }
    b->S = m->n_scen;

    int np = plan->n_projects;
    b->forced = ckp_calloc((size_t)np + 1, 1);
    b->excluded = ckp_calloc((size_t)np + 1, 1);
    if (!b->forced || !b->excluded) return CKP_ENOMEM;
    for (int k = 0; k < pp->n_force; k++) {
        const char *id = pp->force[k];
        int p = id ? ckp_plan_find_project(plan, id) : -1;
        if (p < 0) {
            CKP_TRY(diag_err(b, 0, "unknown-project",
                             "unknown project '%s' to force", id ? id : ""));
            rc = CKP_EUSAGE;
            continue;
        }
        if (plan->projects[p].committed) {
            CKP_TRY(diag_err(b, 0, "force-committed",
                             "project '%s' cannot be forced: it is committed (built "
                             "with or without the bank: in the baseline, not fundable)",
                             id));
            rc = CKP_EUSAGE;
            continue;
        }
        b->forced[p] = 1;
    }
    for (int k = 0; k < pp->n_exclude; k++) {
        const char *id = pp->exclude[k];
        int p = id ? ckp_plan_find_project(plan, id) : -1;
        if (p < 0) {
            CKP_TRY(diag_err(b, 0, "unknown-project",
                             "unknown project '%s' to exclude", id ? id : ""));
            rc = CKP_EUSAGE;
            continue;
        }
        if (plan->projects[p].committed) {
            CKP_TRY(diag_err(b, 0, "exclude-committed",
                             "project '%s' cannot be excluded: it is committed (built "
                             "with or without the bank: in the baseline whatever the "
                             "bank funds, so excluding it changes nothing)", id));
            rc = CKP_EUSAGE;
            continue;
        }
        if (b->forced[p] && !b->excluded[p]) {
            CKP_TRY(diag_err(b, 0, "force-exclude",
                             "project '%s' is both forced and excluded",
                             id));
            rc = CKP_EUSAGE;
        }
        b->excluded[p] = 1;
    }
    if (pp->no_projects) {
        /* Baseline: nothing is funded; force/exclude were validated
           above but have no effect. */
        memset(b->forced, 0, (size_t)np);
        memset(b->excluded, 1, (size_t)np);
    }
    return rc;
}

/* R[c] = D[c] + sum over commodities c' made from c of ratio * R[c'],
 * in a topological order of the made-from recipes (users before their
 * inputs), found without recursion (Kahn's algorithm): a recipe chain of
 * any depth is fine. */
typedef struct req_ctx {
    const ckp_plan *plan;
    const bld *b;
    int s;        /* scenario */
    int Y;
    int *u_first; /* users of c: u_first[c] .. u_first[c+1]-1 */
    int *u_comm;
    double *u_ratio;
    int *indeg;   /* scratch: unplaced inputs per commodity */
    double *R;
} req_ctx;

/* b->topo: every commodity after its inputs.  Returns the first commodity
 * (lowest index) on or downstream of a cycle, or -1 when acyclic. */
static int recipe_order(const req_ctx *rq, int *topo)
{
    const ckp_plan *plan = rq->plan;
    int nc = plan->n_commodities, head = 0, tail = 0;
    for (int c = 0; c < nc; c++) {
        rq->indeg[c] = 0;
        for (int k = 0; k < plan->commodities[c].n_made_from; k++)
            if (plan->commodities[c].made_from[k].commodity.ix >= 0) rq->indeg[c]++;
    }
    for (int c = 0; c < nc; c++)
        if (rq->indeg[c] == 0) topo[tail++] = c;
    while (head < tail) {
        int d = topo[head++];
        for (int k = rq->u_first[d]; k < rq->u_first[d + 1]; k++)
            if (--rq->indeg[rq->u_comm[k]] == 0) topo[tail++] = rq->u_comm[k];
    }
    if (tail == nc) return -1;
    for (int c = 0; c < nc; c++)
        if (rq->indeg[c] > 0) return c;
    return -1;
}

static void req_fill(req_ctx *rq, const int *topo)
{
    int nc = rq->plan->n_commodities;
    for (int t = nc - 1; t >= 0; t--) {
        int c = topo[t];
        double *Rc = &rq->R[(size_t)c * rq->Y];
        for (int y = 0; y < rq->Y; y++) Rc[y] = demand_s(rq->b, rq->s, c, y);
        for (int k = rq->u_first[c]; k < rq->u_first[c + 1]; k++) {
            const double *Rd = &rq->R[(size_t)rq->u_comm[k] * rq->Y];
            for (int y = 0; y < rq->Y; y++) Rc[y] += rq->u_ratio[k] * Rd[y];
        }
    }
}

static ckp_status compute_requirement(bld *b)
{
    const ckp_plan *plan = b->plan;
    int nc = plan->n_commodities;
    req_ctx rq = {plan, b, 0, b->Y, NULL, NULL, NULL, NULL, b->m->requirement};
    b->topo = ckp_malloc(((size_t)nc + 1) * sizeof *b->topo);
    ckp_status rc = CKP_OK;
    int n_edges = 0;
    for (int c = 0; c < nc; c++) n_edges += plan->commodities[c].n_made_from;
    rq.u_first = ckp_calloc((size_t)nc + 1, sizeof *rq.u_first);
    rq.u_comm = ckp_malloc(((size_t)n_edges + 1) * sizeof *rq.u_comm);
    rq.u_ratio = ckp_malloc(((size_t)n_edges + 1) * sizeof *rq.u_ratio);
    rq.indeg = ckp_calloc((size_t)nc + 1, sizeof *rq.indeg);
    if (!rq.u_first || !rq.u_comm || !rq.u_ratio || !rq.indeg || !b->topo) {
        rc = CKP_ENOMEM;
        goto done;
    }
    for (int d = 0; d < nc; d++)
        for (int k = 0; k < plan->commodities[d].n_made_from; k++) {
            int c = plan->commodities[d].made_from[k].commodity.ix;
            if (c >= 0) rq.u_first[c + 1]++;
        }
    for (int c = 0; c < nc; c++) rq.u_first[c + 1] += rq.u_first[c];
    {
        int *fill = ckp_malloc(((size_t)nc + 1) * sizeof *fill);
        if (!fill) {
            rc = CKP_ENOMEM;
            goto done;
        }
        memcpy(fill, rq.u_first, (size_t)nc * sizeof *fill);
        for (int d = 0; d < nc; d++)
            for (int k = 0; k < plan->commodities[d].n_made_from; k++) {
                const ckp_ratio *r = &plan->commodities[d].made_from[k];
                if (r->commodity.ix < 0) continue;
                int at = fill[r->commodity.ix]++;
                rq.u_comm[at] = d;
                rq.u_ratio[at] = r->per_tonne;
            }
        ckp_free(fill);
    }
    int bad = recipe_order(&rq, b->topo);
    if (bad >= 0) {
        CKP_TRY_GOTO(rc, diag_err(b, plan->commodities[bad].line, "recipe-cycle",
                                  "the made-from recipes of commodity '%s' "
                                  "form a cycle", plan->commodities[bad].id),
                     done);
        rc = CKP_EINVALID;
        goto done;
    }
    for (int s = 0; s < b->S; s++) {
        rq.s = s;
        rq.R = &b->m->requirement[cy_ix(b, s, 0, 0)];
        req_fill(&rq, b->topo);
    }
done:
    ckp_free(rq.u_first);
    ckp_free(rq.u_comm);
    ckp_free(rq.u_ratio);
    ckp_free(rq.indeg);
    return rc;
}

/* S*(c, y): the most weighted exposure that serving one tonne of c from
 * the chokepoint can cost, over every route the model has: the made-from
 * recipe and each producer's own inputs (a facility may use more input per
 * tonne than the recipe; docs/formulation.md 7, "dearest route"):
 *     S*(c, y) = w_c / R(c, y) + max( sum_recipe ratio x S*(c'', y),
 *                                     max_{g : out(g) = c} sum_inputs in(g, c'') x S*(c'', y) ).
 * Computed without recursion, in one order of the union graph of recipe
 * and producer-input edges (serve_order): Kahn's order while it lasts;
 * commodities on or downstream of a cycle of producer inputs (recipes are
 * acyclic) follow in the recipes' order b->topo, and an input placed
 * after its user (the edge that closes the cycle) adds 0. */
typedef struct serve_graph {
    int *g_first; /* producers of c: g_list[g_first[c] .. g_first[c+1]-1] */
    int *g_list;
    int *order;   /* [nc] the order S* is filled in */
    int *pos;     /* [nc] position of c in order */
} serve_graph;

static const ckp_ratio *producer_inputs(const ckp_plan *plan, int g, int *n)
{
    int nf = plan->n_facilities;
    if (g < nf) {
        *n = plan->facilities[g].n_inputs;
        return plan->facilities[g].inputs;
    }
    *n = plan->projects[g - nf].n_inputs;
    return plan->projects[g - nf].inputs;
}

static void serve_graph_free(serve_graph *sg)
{
    ckp_free(sg->g_first);
    ckp_free(sg->g_list);
    ckp_free(sg->order);
    ckp_free(sg->pos);
}

/* Counts (add = 0) or lists (add = 1, u_first advanced as a fill pointer)
 * the union-graph edges d -> c (d an input of c). */
static int serve_edges(const bld *b, const serve_graph *sg, int *u_first, int *u_to,
                       int *indeg, int add)
{
    const ckp_plan *plan = b->plan;
    int n = 0;
    for (int c = 0; c < plan->n_commodities; c++) {
        const ckp_commodity *k = &plan->commodities[c];
        for (int j = 0; j < k->n_made_from; j++) {
            int d = k->made_from[j].commodity.ix;
            if (d < 0) continue;
            n++;
            if (add) u_to[u_first[d]++] = c;
            else {
                u_first[d + 1]++;
                indeg[c]++;
            }
        }
        for (int i = sg->g_first[c]; i < sg->g_first[c + 1]; i++) {
            int n_in;
            const ckp_ratio *in = producer_inputs(plan, sg->g_list[i], &n_in);
            for (int j = 0; j < n_in; j++) {
                int d = in[j].commodity.ix;
                if (d < 0) continue;
                n++;
                if (add) u_to[u_first[d]++] = c;
                else {
                    u_first[d + 1]++;
                    indeg[c]++;
                }
            }
        }
    }
    return n;
}

static ckp_status serve_order(const bld *b, serve_graph *sg)
{
    const ckp_plan *plan = b->plan;
    int nc = plan->n_commodities, n_prod = plan->n_facilities + plan->n_projects;
    int *u_first = NULL, *u_to = NULL, *indeg = NULL, *fill = NULL;
    ckp_status rc = CKP_OK;
    sg->g_first = ckp_calloc((size_t)nc + 2, sizeof *sg->g_first);
    sg->g_list = ckp_malloc(((size_t)n_prod + 1) * sizeof *sg->g_list);
    sg->order = ckp_malloc(((size_t)nc + 1) * sizeof *sg->order);
    sg->pos = ckp_malloc(((size_t)nc + 1) * sizeof *sg->pos);
    u_first = ckp_calloc((size_t)nc + 2, sizeof *u_first);
    indeg = ckp_calloc((size_t)nc + 1, sizeof *indeg);
    fill = ckp_malloc(((size_t)nc + 1) * sizeof *fill);
    if (!sg->g_first || !sg->g_list || !sg->order || !sg->pos || !u_first || !indeg || !fill) {
        rc = CKP_ENOMEM;
        goto out;
    }
    for (int g = 0; g < n_prod; g++) {
        int c = ckp_plan_producer_output(plan, g);
        if (c >= 0) sg->g_first[c + 1]++;
    }
    for (int c = 0; c < nc; c++) sg->g_first[c + 1] += sg->g_first[c];
    memcpy(fill, sg->g_first, (size_t)nc * sizeof *fill);
    for (int g = 0; g < n_prod; g++) {
        int c = ckp_plan_producer_output(plan, g);
        if (c >= 0) sg->g_list[fill[c]++] = g;
    }
    int n_edges = serve_edges(b, sg, u_first, NULL, indeg, 0);
    for (int c = 0; c < nc; c++) u_first[c + 1] += u_first[c];
    u_to = ckp_malloc(((size_t)n_edges + 1) * sizeof *u_to);
    if (!u_to) {
        rc = CKP_ENOMEM;
        goto out;
    }
    memcpy(fill, u_first, (size_t)nc * sizeof *fill);
    serve_edges(b, sg, fill, u_to, NULL, 1);
    /* Kahn's order over the union graph */
    int head = 0, tail = 0;
    for (int c = 0; c < nc; c++) {
        sg->pos[c] = -1;
        if (indeg[c] == 0) sg->order[tail++] = c;
    }
    while (head < tail) {
        int d = sg->order[head++];
        for (int k = u_first[d]; k < u_first[d + 1]; k++)
            if (--indeg[u_to[k]] == 0) sg->order[tail++] = u_to[k];
    }
    for (int t = 0; t < tail; t++) sg->pos[sg->order[t]] = t;
    /* the rest (a cycle of producer inputs): in the recipes' order */
    for (int t = 0; t < nc && tail < nc; t++) {
        int c = b->topo[t];
        if (sg->pos[c] >= 0) continue;
        sg->pos[c] = tail;
        sg->order[tail++] = c;
    }
out:
    ckp_free(u_first);
    ckp_free(u_to);
    ckp_free(indeg);
    ckp_free(fill);
    return rc;
}

/* S* of scenario s in sg->order; best and route are [Y] scratch. */
static void serve_fill(const bld *b, const serve_graph *sg, int s, double *S, double *best,
                       double *route)
{
    const ckp_plan *plan = b->plan;
    for (int t = 0; t < plan->n_commodities; t++) {
        int c = sg->order[t];
        const ckp_commodity *k = &plan->commodities[c];
        for (int y = 0; y < b->Y; y++) best[y] = 0;
        for (int j = 0; j < k->n_made_from; j++) {
            int d = k->made_from[j].commodity.ix;
            if (d < 0 || sg->pos[d] >= t) continue;
            for (int y = 0; y < b->Y; y++)
                best[y] += k->made_from[j].per_tonne * S[cy_ix(b, s, d, y)];
        }
        for (int i = sg->g_first[c]; i < sg->g_first[c + 1]; i++) {
            int n_in;
            const ckp_ratio *in = producer_inputs(plan, sg->g_list[i], &n_in);
            for (int y = 0; y < b->Y; y++) route[y] = 0;
            for (int j = 0; j < n_in; j++) {
                int d = in[j].commodity.ix;
                if (d < 0 || sg->pos[d] >= t) continue; /* closes a cycle: adds 0 */
                for (int y = 0; y < b->Y; y++)
                    route[y] += in[j].per_tonne * S[cy_ix(b, s, d, y)];
            }
            for (int y = 0; y < b->Y; y++)
                if (route[y] > best[y]) best[y] = route[y];
        }
        for (int y = 0; y < b->Y; y++) {
            double R = b->m->requirement[cy_ix(b, s, c, y)];
            S[cy_ix(b, s, c, y)] = (R > 0 ? k->weight / R : 0.0) + best[y];
        }
    }
}

/* Shortage coefficient per kt of commodity c in year index y of scenario
 * s: the plan's penalty x weight / R_kt, but never less than
 * CKP_SHORT_FLOOR x S*(c, y) per kt, so that leaving a tonne unserved
 * always costs more than serving it from the chokepoint by any route, and
 * more than a stockpile release (1.01 x S*): a commodity of weight 0, or
 * a penalty too low for a long chain, cannot make shortage the cheap
 * answer (docs/formulation.md 7, "Shortage never pays"). */
#define CKP_SHORT_FLOOR 1.02
static double shortage_coef(const bld *b, int s, int c, int y)
{
    double R = b->m->requirement[cy_ix(b, s, c, y)];
    double pen = R > 0 ? b->m->shortage_penalty * b->plan->commodities[c].weight / (R / b->qs)
                       : 0.0;
    double floor = CKP_SHORT_FLOOR * b->serve[cy_ix(b, s, c, y)] * b->qs + 2e-6;
    return pen > floor ? pen : floor;
}

/* Fills b->serve (S*) for every scenario and warns, once per commodity,
 * where the shortage floor replaces the plan's penalty. */
static ckp_status check_shortage_penalty(bld *b)
{
    const ckp_plan *plan = b->plan;
    int nc = plan->n_commodities;
    serve_graph sg = {NULL, NULL, NULL, NULL};
    double *S = b->serve = ckp_malloc(((size_t)b->S * nc * b->Y + 1) * sizeof *S);
    double *best = ckp_malloc(((size_t)b->Y + 1) * sizeof *best);
    double *route = ckp_malloc(((size_t)b->Y + 1) * sizeof *route);
    ckp_status rc = CKP_OK;
    if (!S || !best || !route) {
        rc = CKP_ENOMEM;
        goto out;
    }
    CKP_TRY_GOTO(rc, serve_order(b, &sg), out);
    for (int s = 0; s < b->S; s++) serve_fill(b, &sg, s, S, best, route);
    for (int c = 0; c < nc && rc == CKP_OK; c++) {
        const ckp_commodity *k = &plan->commodities[c];
        int warned = 0;
        for (int s = 0; s < b->S && !warned; s++)
        for (int y = 0; y < b->Y && !warned; y++) {
            double D = demand_s(b, s, c, y);
            double R = b->m->requirement[cy_ix(b, s, c, y)];
            if (!(D > 0) || !(R > 0)) continue;
            double pen = b->m->shortage_penalty * k->weight / (R / b->qs);
            double coef = shortage_coef(b, s, c, y);
            if (coef <= pen) continue;
            warned = 1;
            if (!b->diag) continue;
            if (k->weight > 0)
                rc = ckp_diag_add(b->diag, CKP_SEV_WARNING, plan->path, k->line,
                                  "shortage-cheap",
                                  "commodity '%s': shortage penalty %g x weight %g "
                                  "(%.4g per kt in %d) is not above %g x the exposure "
                                  "of serving it from the chokepoint through its inputs "
                                  "(%.4g per kt): its shortage is priced at %.4g per kt "
                                  "instead, so demand is left unserved only where "
                                  "capacity runs out; a shortage-penalty above %.4g "
                                  "sets the price itself",
                                  k->id, b->m->shortage_penalty, k->weight, pen,
                                  b->first + y, CKP_SHORT_FLOOR,
                                  S[cy_ix(b, s, c, y)] * b->qs, coef,
                                  coef / pen * b->m->shortage_penalty);
            else
                rc = ckp_diag_add(b->diag, CKP_SEV_WARNING, plan->path, k->line,
                                  "shortage-weight-zero",
                                  "commodity '%s' has weight 0: its own share is not "
                                  "in the objective, but its shortage is priced at %g x "
                                  "the exposure of serving it from the chokepoint "
                                  "through its inputs (%.4g per kt in %d), not at "
                                  "shortage-penalty x weight (0), so leaving it "
                                  "unserved cannot lower the upstream shares",
                                  k->id, CKP_SHORT_FLOOR, coef, b->first + y);
        }
    }
out:
    serve_graph_free(&sg);
    ckp_free(best);
    ckp_free(route);
    return rc;
}

/* Per producer: risk and merged (commodity, coefficient) list for the
 * balance rows: +1 for the output, -ratio for each input, summed when a
 * commodity appears more than once. */
static ckp_status producer_lists(bld *b)
{
    const ckp_plan *plan = b->plan;
    int nf = plan->n_facilities, n = b->n_prod, total = 0;
    b->risk = ckp_malloc(((size_t)n + 1) * sizeof *b->risk);
    b->pc_first = ckp_calloc((size_t)n + 1, sizeof *b->pc_first);
    if (!b->risk || !b->pc_first) return CKP_ENOMEM;
    for (int f = 0; f < n; f++)
        total += 1 + (f < nf ? plan->facilities[f].n_inputs
                             : plan->projects[f - nf].n_inputs);
    b->pc_comm = ckp_malloc(((size_t)total + 1) * sizeof *b->pc_comm);
    b->pc_coef = ckp_malloc(((size_t)total + 1) * sizeof *b->pc_coef);
    if (!b->pc_comm || !b->pc_coef) return CKP_ENOMEM;
    int at = 0;
    for (int f = 0; f < n; f++) {
        const ckp_ratio *in;
        int n_in;
        b->risk[f] = ckp_plan_producer_risk(plan, f);
        if (f < nf) {
            in = plan->facilities[f].inputs;
            n_in = plan->facilities[f].n_inputs;
        } else {
            in = plan->projects[f - nf].inputs;
            n_in = plan->projects[f - nf].n_inputs;
        }
        int start = at;
        b->pc_comm[at] = ckp_plan_producer_output(plan, f);
        b->pc_coef[at++] = 1.0;
        for (int k = 0; k < n_in; k++) {
            int c = in[k].commodity.ix, j;
            if (c < 0) continue;
            for (j = start; j < at && b->pc_comm[j] != c; j++) {}
            if (j == at) {
                b->pc_comm[at] = c;
                b->pc_coef[at++] = 0.0;
            }
            b->pc_coef[j] -= in[k].per_tonne;
        }
        b->pc_first[f + 1] = at;
    }
    return CKP_OK;
}

/* ------------------------------------------------------------------ */
/* Columns                                                              */

static ckp_status build_start_cols(bld *b, double commit_norm)
{
    const ckp_plan *plan = b->plan;
    ckp_model *m = b->m;
    int np = plan->n_projects, nstart = 0;
    char n1[CKP_ID_MAX + 1], n2[CKP_ID_MAX + 1], name[CKP_NAME_MAX];

    for (int p = 0; p < np; p++) {
        const ckp_project *pr = &plan->projects[p];
        int lo, hi, delay;
        b->p_min_online[p] = INT_MAX;
        if (pr->committed) {
            /* built anyway: online at its earliest start + lead time */
            project_window(b, pr, &lo, &hi, &delay);
            if (lo + delay <= b->last) b->p_min_online[p] = lo + delay;
            continue;
        }
        if (b->excluded[p]) continue;
        project_window(b, pr, &lo, &hi, &delay);
        for (int t = lo; t <= hi && t + delay <= b->last; t++) {
            nstart += pr->n_options;
            if (t + delay < b->p_min_online[p]) b->p_min_online[p] = t + delay;
        }
    }
    m->starts = ckp_malloc(((size_t)nstart + 1) * sizeof *m->starts);
    if (!m->starts) return CKP_ENOMEM;
    for (int p = 0; p < np; p++) {
        const ckp_project *pr = &plan->projects[p];
        int lo, hi, delay;
        m->project_first[p] = m->n_starts;
        if (b->excluded[p] || pr->committed) continue;
        project_window(b, pr, &lo, &hi, &delay);
        for (int o = 0; o < pr->n_options; o++) {
            const ckp_option *op = &pr->options[o];
            double obj = commit_norm > 0 ? m->params.tie_break *
                                               op->commitment / commit_norm
                                         : 0.0;
            for (int t = lo; t <= hi && t + delay <= b->last; t++) {
                ckp_start_var *s = &m->starts[m->n_starts++];
                s->project = p;
                s->option = o;
                s->start = t;
                s->online = t + delay;
                snprintf(name, sizeof name, "x[%s,%s,%d]", clean_id(n1, pr->id),
                         clean_id(n2, op->id), t);
                CKP_TRY(add_col(b, name, CKP_COL_BINARY, 0, 1, obj, -1, &s->col));
            }
        }
    }
    m->project_first[np] = m->n_starts;
    return CKP_OK;
}

static ckp_status build_upgrade_cols(bld *b, double commit_norm)
{
    const ckp_plan *plan = b->plan;
    ckp_model *m = b->m;
    int nu = plan->n_upgrades, n = 0;
    char n1[CKP_ID_MAX + 1], name[CKP_NAME_MAX];
    int none = m->params.no_projects;

    for (int u = 0; u < nu && !none; u++) {
        int lo, hi;
        upgrade_window(b, &plan->upgrades[u], &lo, &hi);
        for (int t = lo; t <= hi && t + plan->upgrades[u].build_years <= b->last; t++)
            n++;
    }
    m->ustarts = ckp_malloc(((size_t)n + 1) * sizeof *m->ustarts);
    if (!m->ustarts) return CKP_ENOMEM;
    for (int u = 0; u < nu; u++) {
        const ckp_upgrade *up = &plan->upgrades[u];
        int lo, hi;
        m->upgrade_first[u] = m->n_ustarts;
        if (none) continue;
        upgrade_window(b, up, &lo, &hi);
        double obj = commit_norm > 0 ? m->params.tie_break * up->cost / commit_norm
                                     : 0.0;
        for (int t = lo; t <= hi && t + up->build_years <= b->last; t++) {
            ckp_upgrade_var *s = &m->ustarts[m->n_ustarts++];
            s->upgrade = u;
            s->start = t;
            s->online = t + up->build_years;
            snprintf(name, sizeof name, "z[%s,%d]", clean_id(n1, up->id), t);
            CKP_TRY(add_col(b, name, CKP_COL_BINARY, 0, 1, obj, -1, &s->col));
        }
    }
    m->upgrade_first[nu] = m->n_ustarts;
    return CKP_OK;
}

/* Objective coefficient of one unit (kt) of producer f in year y of
 * scenario s (that scenario's own; apply_measure weights it). */
static double prod_obj(const bld *b, int s, int f, int y)
{
    const ckp_plan *plan = b->plan;
    if (b->m->objective != CKP_OBJ_WEIGHTED) return 0.0;
    int c = ckp_plan_producer_output(plan, f);
    double R = b->m->requirement[cy_ix(b, s, c, y)];
    if (!(R > 0) || b->risk[f] == 0) return 0.0;
    return plan->commodities[c].weight * b->risk[f] / (R / b->qs);
}

/* Share of producer f's output in year index y that reaches the bloc in
 * scenario s: 1 unless an export restriction of its country applies. */
static double export_scale(const bld *b, int s, int f, int y)
{
    return ckp_scenario_export_scale(b->plan, b->m->scen_plan[s],
                                     ckp_plan_producer_country(b->plan, f),
                                     ckp_plan_producer_output(b->plan, f), b->first + y);
}

static double ramp_at(const ckp_project *p, int k);
static int price_idles(const bld *b, int s, const ckp_project *pr, int y);

/* Share of producer f's output that serves the bloc in year index y:
 * 1 minus what its contracts send to buyers of risk > 0 (docs/formulation.md
 * 7h); for a project, only when the option funding it does not buy the
 * contracts out. */
static double serves_bloc(const bld *b, int f, int y)
{
    return 1.0 - ckp_plan_contracted_out(b->plan, f, b->first + y);
}

/* Bound factor of a column without a capacity row: an existing facility's
 * contracts; a committed project's ramp, contracts and price (it has no
 * option that could carry price support). */
static double fixed_scale(const bld *b, int s, int f, int y)
{
    int nf = b->plan->n_facilities;
    if (f < nf) return serves_bloc(b, f, y);
    const ckp_project *pr = &b->plan->projects[f - nf];
    if (!pr->committed) return 1.0;
    if (price_idles(b, s, pr, y)) return 0.0;
    return ramp_at(pr, b->first + y - b->p_min_online[f - nf]) * serves_bloc(b, f, y);
}

static ckp_status build_flow_cols(bld *b)
{
    const ckp_plan *plan = b->plan;
    ckp_model *m = b->m;
    int nf = plan->n_facilities;
    char n1[CKP_ID_MAX + 1], sx[CKP_SCEN_ID_MAX + 2], name[CKP_NAME_MAX];

    for (int s = 0; s < b->S; s++) {
        scen_sfx(b, s, sx);
        for (int f = 0; f < b->n_prod; f++) {
            const char *id;
            double ub;
            int y0 = 0;
            if (f < nf) {
                id = plan->facilities[f].id;
                ub = plan->facilities[f].capacity * plan->facilities[f].available / b->qs;
            } else {
                int p = f - nf;
                id = plan->projects[p].id;
                ub = plan->projects[p].capacity / b->qs;
                if (b->p_min_online[p] == INT_MAX) continue;
                y0 = b->p_min_online[p] - b->first;
            }
            clean_id(n1, id);
            for (int y = y0; y < b->Y; y++) {
                snprintf(name, sizeof name, "q[%s,%d%s]", n1, b->first + y, sx);
                CKP_TRY(add_col(b, name, CKP_COL_CONTINUOUS, 0,
                                ub * fixed_scale(b, s, f, y) * export_scale(b, s, f, y),
                                prod_obj(b, s, f, y), s, &m->prod_col[py_ix(b, s, f, y)]));
            }
        }
        for (int c = 0; c < plan->n_commodities; c++) {
            const ckp_commodity *k = &plan->commodities[c];
            clean_id(n1, k->id);
            for (int y = 0; y < b->Y; y++) {
                double D = demand_s(b, s, c, y);
                if (!(D > 0)) continue;
                snprintf(name, sizeof name, "s[%s,%d%s]", n1, b->first + y, sx);
                CKP_TRY(add_col(b, name, CKP_COL_CONTINUOUS, 0, D / b->qs,
                                shortage_coef(b, s, c, y), s,
                                &m->short_col[cy_ix(b, s, c, y)]));
            }
        }
    }
    return CKP_OK;
}

/* Stockpiles (docs/formulation.md 7d): a binary w[k] "buy it" (shared),
 * and per scenario a release r[k,y,s] in kt/yr from its year on, where the
 * commodity has a requirement.  A release costs 1.01 x S_s(c, y), a little
 * more than serving the tonne from the chokepoint by its dearest route
 * (S*, which counts each producer's own input ratios) and less than the
 * shortage it covers (at least 1.02 x S*), so stock is drawn only where
 * supply is missing. */
static ckp_status build_stock_cols(bld *b, double commit_norm)
{
    const ckp_plan *plan = b->plan;
    ckp_model *m = b->m;
    char n1[CKP_ID_MAX + 1], sx[CKP_SCEN_ID_MAX + 2], name[CKP_NAME_MAX];
    for (int k = 0; k < b->nk; k++) {
        const ckp_stockpile *st = &plan->stockpiles[k];
        int y0 = st->year - b->first, c = st->commodity.ix;
        m->stock_col[k] = -1;
        if (m->params.no_projects || y0 < 0 || y0 >= b->Y || c < 0) continue;
        clean_id(n1, st->id);
        snprintf(name, sizeof name, "w[%s]", n1);
        double obj = commit_norm > 0 ? m->params.tie_break * st->cost / commit_norm : 0.0;
        CKP_TRY(add_col(b, name, CKP_COL_BINARY, 0, 1, obj, -1, &m->stock_col[k]));
        for (int s = 0; s < b->S; s++) {
            scen_sfx(b, s, sx);
            for (int y = y0; y < b->Y; y++) {
                double R = m->requirement[cy_ix(b, s, c, y)];
                if (!(R > 0) || !(st->release > 0)) continue;
                double rho = 1.01 * b->serve[cy_ix(b, s, c, y)] * b->qs + 1e-6;
                snprintf(name, sizeof name, "r[%s,%d%s]", n1, b->first + y, sx);
                CKP_TRY(add_col(b, name, CKP_COL_CONTINUOUS, 0, st->release / b->qs, rho,
                                s, &m->release_col[ky_ix(b, s, k, y)]));
            }
        }
    }
    return CKP_OK;
}

/* ------------------------------------------------------------------ */
/* Rows                                                                 */

static ckp_status build_one_rows(bld *b)
{
    const ckp_plan *plan = b->plan;
    ckp_model *m = b->m;
    char n1[CKP_ID_MAX + 1], name[CKP_NAME_MAX];
    for (int p = 0; p < plan->n_projects; p++) {
        int k0 = m->project_first[p], k1 = m->project_first[p + 1];
        m->project_row[p] = -1;
        if (b->forced[p] && k0 == k1) {
            CKP_TRY(diag_err(b, plan->projects[p].line, "force-infeasible",
                             "project '%s' is forced but cannot come online "
                             "within the horizon (start window, permit and build "
                             "years)", plan->projects[p].id));
            return CKP_EINFEASIBLE;
        }
        if (k0 == k1) continue;
        snprintf(name, sizeof name, "one[%s]", clean_id(n1, plan->projects[p].id));
        int r;
        CKP_TRY(add_row(b, name, b->forced[p] ? 1.0 : -INFINITY, 1.0,
                        CKP_ROW_ONE, &r));
        set_ref(b, r, p, -1, -1);
        m->project_row[p] = r;
        for (int k = k0; k < k1; k++)
            CKP_TRY(ckp_mip_add_coef(&m->mip, r, m->starts[k].col, 1.0));
    }
    for (int u = 0; u < plan->n_upgrades; u++) {
        int k0 = m->upgrade_first[u], k1 = m->upgrade_first[u + 1];
        if (k0 == k1) continue;
        snprintf(name, sizeof name, "one_upg[%s]", clean_id(n1, plan->upgrades[u].id));
        int r;
        CKP_TRY(add_row(b, name, -INFINITY, 1.0, CKP_ROW_ONE_UPG, &r));
        for (int k = k0; k < k1; k++)
            CKP_TRY(ckp_mip_add_coef(&m->mip, r, m->ustarts[k].col, 1.0));
    }
    return CKP_OK;
}

static double ramp_at(const ckp_project *p, int k)
{
    return k < p->n_ramp ? p->ramp[k] : 1.0;
}

/* 1 when project p idles in year index y of scenario s unless its option
 * carries price support: the scenario sets a price for the commodity its
 * breakeven is quoted in, and that price is below the breakeven. */
static int price_idles(const bld *b, int s, const ckp_project *pr, int y)
{
    if (isnan(pr->breakeven)) return 0;
    int c = pr->breakeven_of.id ? pr->breakeven_of.ix : pr->output.ix;
    double price = ckp_scenario_price(b->plan, b->m->scen_plan[s], c, b->first + y);
    return !isnan(price) && price < pr->breakeven;
}

/* cap[p,y,s]: q[p,y,s] <= sum over starts online by y of capP x ramp x
 * export scale x x[p,o,t], leaving out the starts whose option has no
 * price support in a year where the price idles the project. */
static ckp_status build_cap_rows(bld *b)
{
    const ckp_plan *plan = b->plan;
    ckp_model *m = b->m;
    int nf = plan->n_facilities;
    char n1[CKP_ID_MAX + 1], sx[CKP_SCEN_ID_MAX + 2], name[CKP_NAME_MAX];
    for (int sc = 0; sc < b->S; sc++) {
        scen_sfx(b, sc, sx);
        for (int p = 0; p < plan->n_projects; p++) {
            const ckp_project *pr = &plan->projects[p];
            if (b->p_min_online[p] == INT_MAX || pr->committed) continue;
            clean_id(n1, pr->id);
            for (int y = b->p_min_online[p] - b->first; y < b->Y; y++) {
                int r, year = b->first + y;
                double cap = pr->capacity / b->qs * export_scale(b, sc, nf + p, y);
                int idle = price_idles(b, sc, pr, y);
                snprintf(name, sizeof name, "cap[%s,%d%s]", n1, year, sx);
                CKP_TRY(add_row(b, name, -INFINITY, 0.0, CKP_ROW_CAP, &r));
                CKP_TRY(ckp_mip_add_coef(&m->mip, r, m->prod_col[py_ix(b, sc, nf + p, y)],
                                         1.0));
                for (int k = m->project_first[p]; k < m->project_first[p + 1]; k++) {
                    const ckp_start_var *s = &m->starts[k];
                    if (s->online > year) continue;
                    if (idle && !ckp_instrument_price_support(pr->options[s->option].instrument))
                        continue;
                    double a = cap * ramp_at(pr, year - s->online);
                    if (!pr->options[s->option].buys_out) a *= serves_bloc(b, nf + p, y);
                    if (a != 0) CKP_TRY(ckp_mip_add_coef(&m->mip, r, s->col, -a));
                }
            }
        }
    }
    return CKP_OK;
}

static ckp_status build_bal_rows(bld *b)
{
    const ckp_plan *plan = b->plan;
    ckp_model *m = b->m;
    int nc = plan->n_commodities;
    char n1[CKP_ID_MAX + 1], sx[CKP_SCEN_ID_MAX + 2], name[CKP_NAME_MAX];

    /* Which (c, y, s) rows carry anything: demand, a producer's column
       with a nonzero merged coefficient on c, or a stockpile release. */
    for (int i = 0; i < b->S * nc * b->Y; i++) b->bal_row[i] = -1;
    for (int i = 0; i < b->S * nc * b->Y; i++)
        if (m->short_col[i] >= 0) b->bal_row[i] = 0;
    for (int s = 0; s < b->S; s++) {
        for (int f = 0; f < b->n_prod; f++)
            for (int k = b->pc_first[f]; k < b->pc_first[f + 1]; k++) {
                if (b->pc_coef[k] == 0 || b->pc_comm[k] < 0) continue;
                for (int y = 0; y < b->Y; y++)
                    if (m->prod_col[py_ix(b, s, f, y)] >= 0)
                        b->bal_row[cy_ix(b, s, b->pc_comm[k], y)] = 0;
            }
        for (int k = 0; k < b->nk; k++)
            for (int y = 0; y < b->Y; y++)
                if (m->release_col[ky_ix(b, s, k, y)] >= 0)
                    b->bal_row[cy_ix(b, s, plan->stockpiles[k].commodity.ix, y)] = 0;
    }
    for (int s = 0; s < b->S; s++) {
        scen_sfx(b, s, sx);
        for (int c = 0; c < nc; c++) {
            clean_id(n1, plan->commodities[c].id);
            for (int y = 0; y < b->Y; y++) {
                int *slot = &b->bal_row[cy_ix(b, s, c, y)];
                if (*slot < 0) continue;
                double D = demand_s(b, s, c, y);
                snprintf(name, sizeof name, "bal[%s,%d%s]", n1, b->first + y, sx);
                CKP_TRY(add_row(b, name, D > 0 ? D / b->qs : 0.0, INFINITY,
                                CKP_ROW_BAL, slot));
                int sc = m->short_col[cy_ix(b, s, c, y)];
                if (sc >= 0) CKP_TRY(ckp_mip_add_coef(&m->mip, *slot, sc, 1.0));
            }
        }
        for (int f = 0; f < b->n_prod; f++)
            for (int y = 0; y < b->Y; y++) {
                int col = m->prod_col[py_ix(b, s, f, y)];
                if (col < 0) continue;
                for (int k = b->pc_first[f]; k < b->pc_first[f + 1]; k++) {
                    if (b->pc_coef[k] == 0 || b->pc_comm[k] < 0) continue;
                    CKP_TRY(ckp_mip_add_coef(&m->mip,
                                             b->bal_row[cy_ix(b, s, b->pc_comm[k], y)],
                                             col, b->pc_coef[k]));
                }
            }
        for (int k = 0; k < b->nk; k++)
            for (int y = 0; y < b->Y; y++) {
                int col = m->release_col[ky_ix(b, s, k, y)];
                if (col < 0) continue;
                CKP_TRY(ckp_mip_add_coef(
                    &m->mip, b->bal_row[cy_ix(b, s, plan->stockpiles[k].commodity.ix, y)],
                    col, 1.0));
            }
    }
    return CKP_OK;
}

/* stock_rel[k,y,s]: r[k,y,s] - (release/1000) w[k] <= 0;
 * stock_tot[k,s]:   sum_y r[k,y,s] - (tonnes/1000) w[k] <= 0. */
static ckp_status build_stock_rows(bld *b)
{
    const ckp_plan *plan = b->plan;
    ckp_model *m = b->m;
    char n1[CKP_ID_MAX + 1], sx[CKP_SCEN_ID_MAX + 2], name[CKP_NAME_MAX];
    for (int k = 0; k < b->nk; k++) {
        const ckp_stockpile *st = &plan->stockpiles[k];
        int w = m->stock_col[k];
        if (w < 0) continue;
        clean_id(n1, st->id);
        for (int s = 0; s < b->S; s++) {
            int any = 0, r;
            scen_sfx(b, s, sx);
            for (int y = 0; y < b->Y; y++) {
                int col = m->release_col[ky_ix(b, s, k, y)];
                if (col < 0) continue;
                any = 1;
                snprintf(name, sizeof name, "stock_rel[%s,%d%s]", n1, b->first + y, sx);
                CKP_TRY(add_row(b, name, -INFINITY, 0.0, CKP_ROW_STOCK_RELEASE, &r));
                CKP_TRY(ckp_mip_add_coef(&m->mip, r, col, 1.0));
                CKP_TRY(ckp_mip_add_coef(&m->mip, r, w, -st->release / b->qs));
            }
            if (!any) continue;
            snprintf(name, sizeof name, "stock_tot[%s%s]", n1, sx);
            CKP_TRY(add_row(b, name, -INFINITY, 0.0, CKP_ROW_STOCK_TOTAL, &r));
            for (int y = 0; y < b->Y; y++) {
                int col = m->release_col[ky_ix(b, s, k, y)];
                if (col >= 0) CKP_TRY(ckp_mip_add_coef(&m->mip, r, col, 1.0));
            }
            CKP_TRY(ckp_mip_add_coef(&m->mip, r, w, -st->tonnes / b->qs));
        }
    }
    return CKP_OK;
}

/* One (site, resource) entry: a project's need or an upgrade's amount. */
typedef struct infra_ent {
    int key;     /* site * n_resources + resource */
    int who;     /* project or upgrade index */
    int upgrade; /* 0 = project need, 1 = upgrade */
    double amount;
} infra_ent;

static ckp_status build_infra_rows(bld *b)
{
    const ckp_plan *plan = b->plan;
    ckp_model *m = b->m;
    int nr = plan->n_resources, nkeys = plan->n_sites * nr, n = 0;
    char n1[CKP_ID_MAX + 1], n2[CKP_ID_MAX + 1], name[CKP_NAME_MAX];
    ckp_status rc = CKP_OK;
    if (nkeys == 0) return CKP_OK;

    for (int p = 0; p < plan->n_projects; p++)
        if (plan->projects[p].site.ix >= 0 && b->p_min_online[p] != INT_MAX)
            n += plan->projects[p].n_needs;
    for (int u = 0; u < plan->n_upgrades; u++)
        if (m->upgrade_first[u] < m->upgrade_first[u + 1]) n++;

    infra_ent *ent = ckp_malloc(((size_t)n + 1) * sizeof *ent);
    infra_ent *sorted = ckp_malloc(((size_t)n + 1) * sizeof *sorted);
    int *first = ckp_calloc((size_t)nkeys + 1, sizeof *first);
    if (!ent || !sorted || !first) {
        rc = CKP_ENOMEM;
        goto done;
    }
    /* Gather projects (plan order) then upgrades, counting-sort by key
       (stable), so that entries of one project on one key are adjacent. */
    n = 0;
    for (int p = 0; p < plan->n_projects; p++) {
        const ckp_project *pr = &plan->projects[p];
        if (pr->site.ix < 0 || b->p_min_online[p] == INT_MAX) continue;
        for (int k = 0; k < pr->n_needs; k++) {
            if (pr->needs[k].resource.ix < 0) continue;
            ent[n++] = (infra_ent){pr->site.ix * nr + pr->needs[k].resource.ix, p, 0,
                                   pr->needs[k].amount};
        }
    }
    for (int u = 0; u < plan->n_upgrades; u++) {
        const ckp_upgrade *up = &plan->upgrades[u];
        if (m->upgrade_first[u] == m->upgrade_first[u + 1]) continue;
        if (up->site.ix < 0 || up->resource.ix < 0) continue;
        ent[n++] = (infra_ent){up->site.ix * nr + up->resource.ix, u, 1, up->amount};
    }
    for (int i = 0; i < n; i++) first[ent[i].key + 1]++;
    for (int k = 0; k < nkeys; k++) first[k + 1] += first[k];
    {
        int *fill = ckp_malloc(((size_t)nkeys + 1) * sizeof *fill);
        if (!fill) {
            rc = CKP_ENOMEM;
            goto done;
        }
        memcpy(fill, first, (size_t)nkeys * sizeof *fill);
        for (int i = 0; i < n; i++) sorted[fill[ent[i].key]++] = ent[i];
        ckp_free(fill);
    }
    /* Merge repeated needs of one project on one key. */
    for (int key = 0; key < nkeys; key++) {
        int w = first[key];
        for (int i = first[key]; i < first[key + 1]; i++) {
            if (w > first[key] && !sorted[i].upgrade && !sorted[w - 1].upgrade &&
                sorted[w - 1].who == sorted[i].who)
                sorted[w - 1].amount += sorted[i].amount;
            else
                sorted[w++] = sorted[i];
        }
        /* rows: years where some start of a needing project is online */
        int y_first = INT_MAX, has_need = 0;
        for (int i = first[key]; i < w; i++) {
            if (sorted[i].upgrade || !(sorted[i].amount > 0) ||
                plan->projects[sorted[i].who].committed)
                continue;
            has_need = 1;
            if (b->p_min_online[sorted[i].who] < y_first)
                y_first = b->p_min_online[sorted[i].who];
        }
        if (!has_need) continue;
        int site = key / nr, res = key % nr;
        double existing = 0;
        for (int k = 0; k < plan->sites[site].n_capacity; k++)
            if (plan->sites[site].capacity[k].resource.ix == res)
                existing += plan->sites[site].capacity[k].amount;
        clean_id(n1, plan->sites[site].id);
        clean_id(n2, plan->resources[res].id);
        for (int year = y_first; year <= b->last; year++) {
            int r;
            double avail = existing; /* less what committed projects draw */
            for (int i = first[key]; i < w; i++)
                if (!sorted[i].upgrade && plan->projects[sorted[i].who].committed &&
                    b->p_min_online[sorted[i].who] <= year)
                    avail -= sorted[i].amount;
            snprintf(name, sizeof name, "infra[%s,%s,%d]", n1, n2, year);
            CKP_TRY_GOTO(rc, add_row(b, name, -INFINITY, avail, CKP_ROW_INFRA, &r),
                         done);
            set_ref(b, r, site, res, year);
            for (int i = first[key]; i < w; i++) {
                const infra_ent *e = &sorted[i];
                if (!e->upgrade) {
                    for (int k = m->project_first[e->who]; k < m->project_first[e->who + 1]; k++)
                        if (m->starts[k].online <= year)
                            CKP_TRY_GOTO(rc, ckp_mip_add_coef(&m->mip, r, m->starts[k].col,
                                                              e->amount), done);
                } else {
                    for (int k = m->upgrade_first[e->who]; k < m->upgrade_first[e->who + 1]; k++)
                        if (m->ustarts[k].online <= year)
                            CKP_TRY_GOTO(rc, ckp_mip_add_coef(&m->mip, r, m->ustarts[k].col,
                                                              -e->amount), done);
                }
            }
        }
    }
done:
    ckp_free(ent);
    ckp_free(sorted);
    ckp_free(first);
    return rc;
}

/* Budget coefficients of one funding column: amount (millions) paid by
 * schedule from the start year into the per-year rows that exist, and the
 * whole amount into the total row.  An empty schedule pays all at start. */
static ckp_status add_spend(bld *b, int col, int start, double amount,
                            const double *schedule, int n_schedule)
{
    static const double all_at_start = 1.0;
    ckp_model *m = b->m;
    double c = amount / CKP_MONEY_SCALE;
    const double *sch = n_schedule ? schedule : &all_at_start;
    int ns = n_schedule ? n_schedule : 1;
    for (int j = 0; j < ns; j++) {
        int y = start - b->first + j;
        if (y >= b->Y) break;
        if (m->budget_year_row[y] >= 0)
            CKP_TRY(ckp_mip_add_coef(&m->mip, m->budget_year_row[y], col, c * sch[j]));
    }
    if (m->budget_total_row >= 0)
        CKP_TRY(ckp_mip_add_coef(&m->mip, m->budget_total_row, col, c));
    return CKP_OK;
}

static ckp_status build_budget_rows(bld *b)
{
    const ckp_plan *plan = b->plan;
    ckp_model *m = b->m;
    char name[CKP_NAME_MAX];
    double *limit = ckp_malloc(((size_t)b->Y + 1) * sizeof *limit);
    if (!limit) return CKP_ENOMEM;
    for (int y = 0; y < b->Y; y++) limit[y] = INFINITY;
    for (int k = 0; k < plan->budget.n_limits; k++) {
        int y = plan->budget.limits[k].year - b->first;
        if (y < 0 || y >= b->Y) continue;
        double v = plan->budget.limits[k].value / CKP_MONEY_SCALE;
        if (v < limit[y]) limit[y] = v;
    }
    /* Overrides (docs/formulation.md 6, "Per-year limits"): the plan's
       limits scaled with the total, then the explicit ones. */
    const ckp_model_params *pp = &m->params;
    if (pp->scale_year_limits && !isnan(pp->budget_total)) {
        double f = pp->budget_total / plan->budget.total;
        for (int y = 0; y < b->Y; y++)
            if (isfinite(limit[y])) limit[y] *= f;
    }
    for (int k = 0; k < pp->n_year_limits; k++) {
        int y = pp->year_limits[k].year - b->first;
        if (y < 0 || y >= b->Y) continue;
        limit[y] = pp->year_limits[k].value / CKP_MONEY_SCALE;
    }
    ckp_status rc = CKP_OK;
    for (int y = 0; y < b->Y; y++) {
        m->budget_year_row[y] = -1;
        if (limit[y] == INFINITY) continue;
        snprintf(name, sizeof name, "budget[%d]", b->first + y);
        CKP_TRY_GOTO(rc, add_row(b, name, -INFINITY, limit[y], CKP_ROW_BUDGET_YEAR,
                                 &m->budget_year_row[y]), done);
    }
    m->budget_total_row = -1;
    if (isfinite(m->budget_total))
        CKP_TRY_GOTO(rc, add_row(b, "budget_total", -INFINITY,
                                 m->budget_total / CKP_MONEY_SCALE,
                                 CKP_ROW_BUDGET_TOTAL, &m->budget_total_row), done);
    /* Per column: each schedule entry lands in a distinct year. */
    for (int k = 0; k < m->n_starts; k++) {
        const ckp_start_var *s = &m->starts[k];
        const ckp_option *op = &plan->projects[s->project].options[s->option];
        CKP_TRY_GOTO(rc, add_spend(b, s->col, s->start, op->commitment,
                                   op->schedule, op->n_schedule), done);
    }
    for (int k = 0; k < m->n_ustarts; k++) {
        const ckp_upgrade_var *s = &m->ustarts[k];
        const ckp_upgrade *up = &plan->upgrades[s->upgrade];
        CKP_TRY_GOTO(rc, add_spend(b, s->col, s->start, up->cost, up->schedule,
                                   up->n_schedule), done);
    }
    for (int k = 0; k < b->nk; k++)
        if (m->stock_col[k] >= 0)
            CKP_TRY_GOTO(rc, add_spend(b, m->stock_col[k], plan->stockpiles[k].year,
                                       plan->stockpiles[k].cost, NULL, 0), done);
done:
    ckp_free(limit);
    return rc;
}

static int cmp_pair(const void *a, const void *b)
{
    const int *x = a, *y = b;
    if (x[0] != y[0]) return (x[0] > y[0]) - (x[0] < y[0]);
    return (x[1] > y[1]) - (x[1] < y[1]);
}

/* requires (ordered pairs, row when the dependent project has columns)
 * and excludes (unordered pairs, row when both have columns); repeated
 * and mirrored declarations give one row. */
static ckp_status build_pair_rows(bld *b, int excl)
{
    const ckp_plan *plan = b->plan;
    ckp_model *m = b->m;
    char n1[CKP_ID_MAX + 1], n2[CKP_ID_MAX + 1], name[CKP_NAME_MAX];
    int n = 0;
    for (int p = 0; p < plan->n_projects; p++)
        n += excl ? plan->projects[p].n_excludes : plan->projects[p].n_requires;
    int *pairs = ckp_malloc(((size_t)n + 1) * 2 * sizeof *pairs);
    if (!pairs) return CKP_ENOMEM;
    n = 0;
    for (int p = 0; p < plan->n_projects; p++) {
        const ckp_project *pr = &plan->projects[p];
        int cnt = excl ? pr->n_excludes : pr->n_requires;
        const ckp_ref *refs = excl ? pr->excludes : pr->requires;
        int cp = pr->committed;
        if (m->project_row[p] < 0 && !(excl && cp)) continue;
        for (int k = 0; k < cnt; k++) {
            int q = refs[k].ix;
            if (q < 0 || q == p) continue;
            int cq = plan->projects[q].committed;
            /* requiring a committed project is always met; excluding one
               (either way round) forbids the other: one side needs columns */
            if (!excl && cq) continue;
            if (excl && (cp ? m->project_row[q] < 0
                            : m->project_row[q] < 0 && !cq)) continue;
            pairs[2 * n] = excl && q < p ? q : p;
            pairs[2 * n + 1] = excl && q < p ? p : q;
            n++;
        }
    }
    qsort(pairs, (size_t)n, 2 * sizeof *pairs, cmp_pair);
    ckp_status rc = CKP_OK;
    for (int i = 0; i < n; i++) {
        int p = pairs[2 * i], q = pairs[2 * i + 1], r;
        if (i > 0 && p == pairs[2 * i - 2] && q == pairs[2 * i - 1]) continue;
        snprintf(name, sizeof name, "%s[%s,%s]", excl ? "excl" : "req",
                 clean_id(n1, plan->projects[p].id), clean_id(n2, plan->projects[q].id));
        int any_committed = plan->projects[p].committed || plan->projects[q].committed;
        CKP_TRY_GOTO(rc, add_row(b, name, -INFINITY, excl && !any_committed ? 1.0 : 0.0,
                                 excl ? CKP_ROW_EXCLUDES : CKP_ROW_REQUIRES, &r), done);
        set_ref(b, r, p, q, -1);
        for (int k = m->project_first[p]; k < m->project_first[p + 1]; k++)
            CKP_TRY_GOTO(rc, ckp_mip_add_coef(&m->mip, r, m->starts[k].col, 1.0), done);
        for (int k = m->project_first[q]; k < m->project_first[q + 1]; k++)
            CKP_TRY_GOTO(rc, ckp_mip_add_coef(&m->mip, r, m->starts[k].col,
                                              excl ? 1.0 : -1.0), done);
    }
done:
    ckp_free(pairs);
    return rc;
}

/* A fixed portfolio (docs/formulation.md 7e): every binary's bounds set to
 * its value in the portfolio. */
static ckp_status fix_portfolio(bld *b)
{
    const ckp_plan *plan = b->plan;
    ckp_model *m = b->m;
    const ckp_fixed_portfolio *fx = m->params.fixed;
    ckp_status rc = CKP_OK;
    for (int p = 0; p < plan->n_projects; p++) {
        int found = fx->option[p] < 0;
        for (int k = m->project_first[p]; k < m->project_first[p + 1]; k++) {
            const ckp_start_var *s = &m->starts[k];
            int on = s->option == fx->option[p] && s->start == fx->start[p];
            found |= on;
            m->mip.col_lb[s->col] = m->mip.col_ub[s->col] = on ? 1.0 : 0.0;
        }
        if (!found) {
            CKP_TRY(diag_err(b, plan->projects[p].line, "fixed-portfolio",
                             "project '%s' cannot be funded with option %d from %d "
                             "(start window, horizon or excluded on request)",
                             plan->projects[p].id, fx->option[p] + 1, fx->start[p]));
            rc = CKP_EUSAGE;
        }
    }
    for (int u = 0; u < plan->n_upgrades; u++) {
        int found = fx->upgrade_start[u] < 0;
        for (int k = m->upgrade_first[u]; k < m->upgrade_first[u + 1]; k++) {
            const ckp_upgrade_var *s = &m->ustarts[k];
            int on = s->start == fx->upgrade_start[u];
            found |= on;
            m->mip.col_lb[s->col] = m->mip.col_ub[s->col] = on ? 1.0 : 0.0;
        }
        if (!found) {
            CKP_TRY(diag_err(b, plan->upgrades[u].line, "fixed-portfolio",
                             "upgrade '%s' cannot start in %d (start window or horizon)",
                             plan->upgrades[u].id, fx->upgrade_start[u]));
            rc = CKP_EUSAGE;
        }
    }
    for (int k = 0; k < b->nk; k++) {
        int want = fx->stockpile && fx->stockpile[k];
        int w = m->stock_col[k];
        if (w >= 0) {
            m->mip.col_lb[w] = m->mip.col_ub[w] = want ? 1.0 : 0.0;
        } else if (want) {
            CKP_TRY(diag_err(b, plan->stockpiles[k].line, "fixed-portfolio",
                             "stockpile '%s' cannot be bought (year outside the horizon)",
                             plan->stockpiles[k].id));
            rc = CKP_EUSAGE;
        }
    }
    return rc;
}

/* min-max: m[y,s] >= w_c * share_s(c, y) for every commodity with R > 0. */
static ckp_status build_minmax(bld *b)
{
    const ckp_plan *plan = b->plan;
    ckp_model *m = b->m;
    int nc = plan->n_commodities;
    char n1[CKP_ID_MAX + 1], sx[CKP_SCEN_ID_MAX + 2], name[CKP_NAME_MAX];
    ckp_status rc = CKP_OK;
    int *mcol = ckp_malloc(((size_t)b->Y + 1) * sizeof *mcol);
    int *row = ckp_malloc(((size_t)nc * b->Y + 1) * sizeof *row);
    if (!mcol || !row) {
        rc = CKP_ENOMEM;
        goto done;
    }
    for (int s = 0; s < b->S; s++) {
        scen_sfx(b, s, sx);
        for (int y = 0; y < b->Y; y++) {
            snprintf(name, sizeof name, "m[%d%s]", b->first + y, sx);
            CKP_TRY_GOTO(rc, add_col(b, name, CKP_COL_CONTINUOUS, 0, INFINITY, 1.0, s,
                                     &mcol[y]), done);
        }
        for (int c = 0; c < nc; c++) {
            clean_id(n1, plan->commodities[c].id);
            for (int y = 0; y < b->Y; y++) {
                double R = m->requirement[cy_ix(b, s, c, y)];
                row[c * b->Y + y] = -1;
                if (!(R > 0) || !(plan->commodities[c].weight > 0)) continue;
                snprintf(name, sizeof name, "mm[%s,%d%s]", n1, b->first + y, sx);
                CKP_TRY_GOTO(rc, add_row(b, name, -INFINITY, 0.0, CKP_ROW_MINMAX,
                                         &row[c * b->Y + y]), done);
            }
        }
        for (int f = 0; f < b->n_prod; f++) {
            int c = ckp_plan_producer_output(plan, f);
            if (c < 0 || b->risk[f] == 0) continue;
            for (int y = 0; y < b->Y; y++) {
                int col = m->prod_col[py_ix(b, s, f, y)], r = row[c * b->Y + y];
                if (col < 0 || r < 0) continue;
                double R = m->requirement[cy_ix(b, s, c, y)];
                CKP_TRY_GOTO(rc, ckp_mip_add_coef(&m->mip, r, col,
                                                  plan->commodities[c].weight * b->risk[f] /
                                                      (R / b->qs)), done);
            }
        }
        for (int i = 0; i < nc * b->Y; i++)
            if (row[i] >= 0)
                CKP_TRY_GOTO(rc, ckp_mip_add_coef(&m->mip, row[i], mcol[i % b->Y], -1.0),
                             done);
    }
done:
    ckp_free(mcol);
    ckp_free(row);
    return rc;
}

/* U(c, y): the most cap slack (in share units) that leaving one kt of c
 * unserved could save: 1 / R_kt(c, y) for c itself plus, through the
 * made-from recipes, ratio x U of each input. */
static void cap_unit_fill(const bld *b, int s, double *U)
{
    for (int t = 0; t < b->plan->n_commodities; t++) {
        int c = b->topo[t]; /* its inputs are done */
        const ckp_commodity *k = &b->plan->commodities[c];
        for (int y = 0; y < b->Y; y++) {
            double R = b->m->requirement[cy_ix(b, s, c, y)];
            U[cy_ix(b, s, c, y)] = R > 0 ? b->qs / R : 0.0;
        }
        for (int j = 0; j < k->n_made_from; j++) {
            int d = k->made_from[j].commodity.ix;
            if (d < 0) continue;
            for (int y = 0; y < b->Y; y++)
                U[cy_ix(b, s, c, y)] += k->made_from[j].per_tonne * U[cy_ix(b, s, d, y)];
        }
    }
}

typedef struct cap_prod {
    int comm, country, f;
} cap_prod;

static int cmp_cap_prod(const void *pa, const void *pb)
{
    const cap_prod *a = pa, *c = pb;
    if (a->comm != c->comm) return (a->comm > c->comm) - (a->comm < c->comm);
    if (a->country != c->country) return (a->country > c->country) - (a->country < c->country);
    return (a->f > c->f) - (a->f < c->f);
}

/* --max-share S (docs/formulation.md section 7b): for every commodity c,
 * year y with R(c, y) > 0 and country k of risk > 0 with a production
 * column of c in y:
 *     sum_{f in k, out(f) = c} q[f,y] - e[c,k,y] <= S * R_kt(c, y),
 * e >= 0 with objective M / R_kt(c, y) (M per unit of missed share),
 * M = 100 * max(1, E_max), E_max = the largest exposure objective any
 * dispatch could reach (every risky column at its bound).  Shortage
 * columns get 2 * M * U(c, y) more, so demand is never left unserved to
 * meet the cap. */
static ckp_status build_share_caps(bld *b)
{
    const ckp_plan *plan = b->plan;
    ckp_model *m = b->m;
    int nc = plan->n_commodities, n = 0;
    char n1[CKP_ID_MAX + 1], n2[CKP_ID_MAX + 1], sx[CKP_SCEN_ID_MAX + 2], name[CKP_NAME_MAX];
    ckp_status rc = CKP_OK;
    double S = m->max_share;

    /* E_max (the largest over scenarios) and M */
    double emax_all = 0;
    for (int sc = 0; sc < b->S; sc++) {
        double emax = 0;
        for (int f = 0; f < b->n_prod; f++) {
            int c = ckp_plan_producer_output(plan, f);
            if (c < 0 || !(b->risk[f] > 0)) continue;
            for (int y = 0; y < b->Y; y++) {
                int col = m->prod_col[py_ix(b, sc, f, y)];
                double R = m->requirement[cy_ix(b, sc, c, y)];
                if (col < 0 || !(R > 0)) continue;
                emax += plan->commodities[c].weight * b->risk[f] * m->mip.col_ub[col] /
                        (R / b->qs);
            }
        }
        if (emax > emax_all) emax_all = emax;
    }
    m->cap_penalty = 100.0 * (emax_all > 1.0 ? emax_all : 1.0);

    cap_prod *list = ckp_malloc(((size_t)b->n_prod + 1) * sizeof *list);
    double *U = ckp_malloc(((size_t)b->S * nc * b->Y + 1) * sizeof *U);
    if (!list || !U) {
        rc = CKP_ENOMEM;
        goto out;
    }
    for (int f = 0; f < b->n_prod; f++) {
        int c = ckp_plan_producer_output(plan, f), k = ckp_plan_producer_country(plan, f);
        if (c < 0 || k < 0 || !(b->risk[f] > 0)) continue;
        list[n++] = (cap_prod){c, k, f};
    }
    qsort(list, (size_t)n, sizeof *list, cmp_cap_prod);
    int n_caps = 0;
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) {
            m->share_caps = ckp_malloc(((size_t)n_caps + 1) * sizeof *m->share_caps);
            if (!m->share_caps) {
                rc = CKP_ENOMEM;
                goto out;
            }
        }
        for (int sc = 0; sc < b->S; sc++) {
            scen_sfx(b, sc, sx);
            for (int i = 0; i < n;) {
                int j = i;
                while (j < n && list[j].comm == list[i].comm &&
                       list[j].country == list[i].country)
                    j++;
                int c = list[i].comm, k = list[i].country;
                clean_id(n1, plan->commodities[c].id);
                clean_id(n2, plan->countries[k].id);
                for (int y = 0; y < b->Y; y++) {
                    double R = m->requirement[cy_ix(b, sc, c, y)];
                    int any = 0;
                    for (int t = i; t < j; t++)
                        any |= m->prod_col[py_ix(b, sc, list[t].f, y)] >= 0;
                    if (!any || !(R > 0)) continue;
                    if (pass == 0) {
                        n_caps++;
                        continue;
                    }
                    ckp_share_cap *cp = &m->share_caps[m->n_share_caps++];
                    cp->scenario = sc;
                    cp->commodity = c;
                    cp->country = k;
                    cp->year = y;
                    snprintf(name, sizeof name, "e[%s,%s,%d%s]", n1, n2, b->first + y, sx);
                    CKP_TRY_GOTO(rc, add_col(b, name, CKP_COL_CONTINUOUS, 0, INFINITY,
                                             m->cap_penalty / (R / b->qs), sc,
                                             &cp->slack_col), out);
                    snprintf(name, sizeof name, "cap_share[%s,%s,%d%s]", n1, n2,
                             b->first + y, sx);
                    CKP_TRY_GOTO(rc, add_row(b, name, -INFINITY, S * R / b->qs,
                                             CKP_ROW_SHARE_CAP, &cp->row), out);
                    for (int t = i; t < j; t++) {
                        int col = m->prod_col[py_ix(b, sc, list[t].f, y)];
                        if (col >= 0)
                            CKP_TRY_GOTO(rc, ckp_mip_add_coef(&m->mip, cp->row, col, 1.0),
                                         out);
                    }
                    CKP_TRY_GOTO(rc, ckp_mip_add_coef(&m->mip, cp->row, cp->slack_col, -1.0),
                                 out);
                }
                i = j;
            }
        }
    }
    /* Shortage outranks the cap. */
    for (int sc = 0; sc < b->S; sc++) {
        cap_unit_fill(b, sc, U);
        for (int c = 0; c < nc; c++) {
            for (int y = 0; y < b->Y; y++) {
                int col = m->short_col[cy_ix(b, sc, c, y)];
                if (col >= 0) m->mip.obj[col] += 2.0 * m->cap_penalty * U[cy_ix(b, sc, c, y)];
            }
        }
    }
out:
    ckp_free(list);
    ckp_free(U);
    return rc;
}

/* The scenario measure (docs/formulation.md 7d).  Every scenario column
 * carries its scenario's own objective coefficient so far.  Expected (or
 * one scenario): weight it by the scenario's probability (1 x with one
 * scenario: the model of a plan without scenarios, unchanged).  Worst
 * case with several scenarios: a column W >= 0 with objective 1 and one
 * row per scenario
 *     worst[s]:  sum over s's columns of coef x col - W <= 0,
 * the scenario columns leaving the objective. */
static ckp_status apply_measure(bld *b)
{
    ckp_model *m = b->m;
    ckp_mip *mip = &m->mip;
    int n = mip->n_cols;
    m->scen_coef = ckp_malloc(((size_t)n + 1) * sizeof *m->scen_coef);
    if (!m->scen_coef) return CKP_ENOMEM;
    for (int j = 0; j < n; j++) m->scen_coef[j] = m->col_scen[j] >= 0 ? mip->obj[j] : 0.0;
    m->scen_coef[n] = 0.0; /* W, when added */
    if (b->S == 1 || m->measure == CKP_MEASURE_EXPECTED) {
        for (int j = 0; j < n; j++)
            if (m->col_scen[j] >= 0) mip->obj[j] *= m->scen_prob[m->col_scen[j]];
        return CKP_OK;
    }
    char sx[CKP_SCEN_ID_MAX + 2], name[CKP_NAME_MAX];
    int *row = ckp_malloc(((size_t)b->S + 1) * sizeof *row);
    ckp_status rc = CKP_OK;
    if (!row) return CKP_ENOMEM;
    CKP_TRY_GOTO(rc, add_col(b, "W", CKP_COL_CONTINUOUS, 0, INFINITY, 1.0, -1,
                             &m->worst_col), done);
    for (int s = 0; s < b->S; s++) {
        snprintf(name, sizeof name, "worst[%s]", scen_sfx(b, s, sx) + 1);
        CKP_TRY_GOTO(rc, add_row(b, name, -INFINITY, 0.0, CKP_ROW_WORST, &row[s]), done);
    }
    for (int j = 0; j < n; j++) {
        int s = m->col_scen[j];
        if (s < 0 || mip->obj[j] == 0) continue;
        CKP_TRY_GOTO(rc, ckp_mip_add_coef(mip, row[s], j, mip->obj[j]), done);
        mip->obj[j] = 0.0;
    }
    for (int s = 0; s < b->S; s++)
        CKP_TRY_GOTO(rc, ckp_mip_add_coef(mip, row[s], m->worst_col, -1.0), done);
done:
    ckp_free(row);
    return rc;
}

/* expo_coef[j]: the probability-weighted weighted exposure per unit of
 * each production column (what pinning and the goal measure use). */
static ckp_status exposure_coefs(bld *b)
{
    const ckp_plan *plan = b->plan;
    ckp_model *m = b->m;
    m->expo_coef = ckp_calloc((size_t)m->mip.n_cols + 1, sizeof *m->expo_coef);
    if (!m->expo_coef) return CKP_ENOMEM;
    for (int s = 0; s < b->S; s++)
        for (int f = 0; f < b->n_prod; f++) {
            int c = ckp_plan_producer_output(plan, f);
            if (c < 0 || !(b->risk[f] > 0)) continue;
            for (int y = 0; y < b->Y; y++) {
                int col = m->prod_col[py_ix(b, s, f, y)];
                double R = m->requirement[cy_ix(b, s, c, y)];
                if (col < 0 || !(R > 0)) continue;
                m->expo_coef[col] = m->scen_prob[s] * plan->commodities[c].weight *
                                    b->risk[f] / (R / b->qs);
            }
        }
    return CKP_OK;
}

/* min-cost (docs/formulation.md 7c): the row
 *     goal:  sum of the weighted objective's exposure + shortage terms
 *            <= T x base + 1e-9 x max(1, base)
 * then the objective becomes the bank commitment (millions) plus kappa x
 * that exposure, kappa = tie_break / max(base, 1e-9), a tie-break among
 * portfolios of equal commitment worth at most tie_break x T millions. */
static ckp_status build_goal(bld *b)
{
    ckp_model *m = b->m;
    ckp_mip *mip = &m->mip;
    const ckp_plan *plan = b->plan;
    double base = m->params.target_base, T = m->params.target;
    int r;
    CKP_TRY(add_row(b, "goal", -INFINITY, T * base + 1e-9 * (base > 1 ? base : 1),
                    CKP_ROW_GOAL, &r));
    m->goal_row = r;
    m->goal_scale = m->params.tie_break / (base > 1e-9 ? base : 1e-9);
    for (int j = 0; j < mip->n_cols; j++) {
        if (mip->col_kind[j] == CKP_COL_BINARY || mip->obj[j] == 0) continue;
        CKP_TRY(ckp_mip_add_coef(mip, r, j, mip->obj[j]));
        mip->obj[j] *= m->goal_scale;
    }
    for (int k = 0; k < m->n_starts; k++) {
        const ckp_start_var *v = &m->starts[k];
        mip->obj[v->col] =
            plan->projects[v->project].options[v->option].commitment / CKP_MONEY_SCALE;
    }
    for (int k = 0; k < m->n_ustarts; k++)
        mip->obj[m->ustarts[k].col] = plan->upgrades[m->ustarts[k].upgrade].cost /
                                      CKP_MONEY_SCALE;
    for (int k = 0; k < plan->n_stockpiles; k++)
        if (m->stock_col[k] >= 0)
            mip->obj[m->stock_col[k]] = plan->stockpiles[k].cost / CKP_MONEY_SCALE;
    return CKP_OK;
}

/* ------------------------------------------------------------------ */

static ckp_status build(bld *b)
{
    const ckp_plan *plan = b->plan;
    ckp_model *m = b->m;
    int np = plan->n_projects, nc = plan->n_commodities;

    CKP_TRY(resolve_params(b));
    size_t S = (size_t)b->S;
    size_t py = S * (size_t)b->n_prod * (size_t)b->Y, cy = S * (size_t)nc * (size_t)b->Y;
    size_t ky = S * (size_t)b->nk * (size_t)b->Y;
    m->project_first = ckp_calloc((size_t)np + 1, sizeof *m->project_first);
    m->project_row = ckp_malloc(((size_t)np + 1) * sizeof *m->project_row);
    m->upgrade_first = ckp_calloc((size_t)plan->n_upgrades + 1, sizeof *m->upgrade_first);
    m->prod_col = ckp_malloc((py + 1) * sizeof *m->prod_col);
    m->short_col = ckp_malloc((cy + 1) * sizeof *m->short_col);
    m->requirement = ckp_calloc(cy + 1, sizeof *m->requirement);
    m->budget_year_row = ckp_malloc(((size_t)b->Y + 1) * sizeof *m->budget_year_row);
    b->p_min_online = ckp_malloc(((size_t)np + 1) * sizeof *b->p_min_online);
    b->bal_row = ckp_malloc((cy + 1) * sizeof *b->bal_row);
    m->stock_col = ckp_malloc(((size_t)b->nk + 1) * sizeof *m->stock_col);
    m->release_col = ckp_malloc((ky + 1) * sizeof *m->release_col);
    if (!m->project_first || !m->project_row || !m->upgrade_first || !m->prod_col ||
        !m->short_col || !m->requirement || !m->budget_year_row || !b->p_min_online ||
        !b->bal_row || !m->stock_col || !m->release_col)
        return CKP_ENOMEM;
    for (size_t i = 0; i < py; i++) m->prod_col[i] = -1;
    for (size_t i = 0; i < cy; i++) m->short_col[i] = -1;
    for (int k = 0; k < b->nk; k++) m->stock_col[k] = -1;
    for (size_t i = 0; i < ky; i++) m->release_col[i] = -1;

    CKP_TRY(compute_requirement(b));
    CKP_TRY(check_shortage_penalty(b));
    CKP_TRY(producer_lists(b));

    /* Tie-break normaliser: the most the bank could commit, so the term
       lies in [0, tie_break]. */
    double norm = 0;
    if (!m->params.no_projects) {
        for (int p = 0; p < np; p++) {
            double mx = 0;
            for (int o = 0; o < plan->projects[p].n_options; o++)
                if (plan->projects[p].options[o].commitment > mx)
                    mx = plan->projects[p].options[o].commitment;
            norm += mx;
        }
        for (int u = 0; u < plan->n_upgrades; u++) norm += plan->upgrades[u].cost;
        for (int k = 0; k < b->nk; k++) norm += plan->stockpiles[k].cost;
    }
    CKP_TRY(build_start_cols(b, norm));
    CKP_TRY(build_upgrade_cols(b, norm));
    CKP_TRY(build_flow_cols(b));
    CKP_TRY(build_stock_cols(b, norm));

    CKP_TRY(build_one_rows(b));
    CKP_TRY(build_cap_rows(b));
    CKP_TRY(build_bal_rows(b));
    CKP_TRY(build_stock_rows(b));
    CKP_TRY(build_infra_rows(b));
    CKP_TRY(build_budget_rows(b));
    CKP_TRY(build_pair_rows(b, 0));
    CKP_TRY(build_pair_rows(b, 1));
    if (m->objective == CKP_OBJ_MINMAX) CKP_TRY(build_minmax(b));
    if (!isnan(m->max_share)) CKP_TRY(build_share_caps(b));
    CKP_TRY(apply_measure(b));
    if (m->params.min_cost && !m->params.no_projects) CKP_TRY(build_goal(b));
    CKP_TRY(exposure_coefs(b));
    if (m->params.fixed && !m->params.no_projects) CKP_TRY(fix_portfolio(b));

    char msg[512];
    ckp_status rc = ckp_mip_check(&m->mip, msg, (int)sizeof msg);
    if (rc == CKP_EINTERNAL) {
        CKP_TRY(diag_err(b, 0, "model-invalid", "internal: model check failed: %s", msg));
    }
    return rc;
}

ckp_status ckp_model_build(const ckp_plan *plan, const ckp_model_params *params,
                           ckp_model **out, ckp_diag_list *diag)
{
    *out = NULL;
    if (!plan) return CKP_EINTERNAL;
    ckp_model *m = ckp_calloc(1, sizeof *m);
    if (!m) return CKP_ENOMEM;
    m->plan = plan;
    if (params)
        m->params = *params;
    else
        ckp_model_params_init(&m->params);
    m->n_years = ckp_plan_n_years(plan);
    m->qty_scale = CKP_QTY_SCALE;
    m->money_scale = CKP_MONEY_SCALE;
    m->n_producers = plan->n_facilities + plan->n_projects;
    m->budget_total_row = -1;
    m->max_share = NAN;
    m->goal_row = -1;
    m->worst_col = -1;
    ckp_mip_init(&m->mip, plan->name ? plan->name : "chokepoint");

    bld b;
    memset(&b, 0, sizeof b);
    b.plan = plan;
    b.m = m;
    b.diag = diag;
    b.Y = m->n_years;
    b.first = plan->first_year;
    b.last = plan->last_year;
    b.qs = CKP_QTY_SCALE;
    b.n_prod = m->n_producers;
    b.nc = plan->n_commodities;
    b.nk = plan->n_stockpiles;

    ckp_status rc = m->mip.name ? CKP_OK : CKP_ENOMEM;
    if (rc == CKP_OK && b.Y <= 0) {
        diag_err(&b, plan->line, "bad-horizon", "empty horizon in plan %s",
                 plan->path ? plan->path : "");
        rc = CKP_EINVALID;
    }
    if (rc == CKP_OK) rc = build(&b);
    bld_fini(&b);
    if (rc != CKP_OK) {
        ckp_model_free(m);
        return rc;
    }
    *out = m;
    return CKP_OK;
}
