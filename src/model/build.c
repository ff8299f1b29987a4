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
 * coefficients; bld_apply_measure() then weights them by probability
 * (expected) or moves them into one row per scenario under a common
 * bound W (worst case). */
#include "ckp/model.h"

#include <limits.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/build_int.h"
#include "util/alloc.h"

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
    ckp_free(m->feeds);
    ckp_free(m);
}

/* ------------------------------------------------------------------ */
/* Names                                                                */

/* Copy an id into dst (size >= CKP_ID_MAX + 1), replacing anything that is
 * not a visible ASCII character, or one of the name punctuation "[],",
 * with '_', and truncating to CKP_ID_MAX bytes. */
const char *bld_clean_id(char *dst, const char *id)
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

/* Name suffix of scenario s: empty with one scenario (names as without
 * scenarios), ",<id>" otherwise. */
const char *bld_scen_sfx(const bld *b, int s, char *buf)
{
    buf[0] = '\0';
    if (b->S > 1 && b->m->scen_plan[s] >= 0) {
        /* at most CKP_SCEN_ID_MAX characters of the id, so a name with
           two ids, a year and the suffix stays within CKP_NAME_MAX */
        char id[CKP_ID_MAX + 1];
        bld_clean_id(id, b->plan->scenarios[b->m->scen_plan[s]].id);
        id[CKP_SCEN_ID_MAX] = '\0';
        buf[0] = ',';
        memcpy(buf + 1, id, strlen(id) + 1);
    }
    return buf;
}

/* The bloc's final demand of c in year index y under scenario s, t/yr. */
double bld_demand(const bld *b, int s, int c, int y)
{
    int year = b->first + y;
    return ckp_plan_demand(b->plan, c, year) *
           ckp_scenario_demand_scale(b->plan, b->m->scen_plan[s], c, year);
}

ckp_status bld_err(bld *b, int line, const char *code, const char *fmt,
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

ckp_status bld_add_row(bld *b, const char *name, double lb, double ub,
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
void bld_set_ref(bld *b, int r, int a, int c, int year)
{
    b->m->row_ref[3 * r] = a;
    b->m->row_ref[3 * r + 1] = c;
    b->m->row_ref[3 * r + 2] = year;
}

/* A column, recording its scenario (-1: shared by every scenario). */
ckp_status bld_add_col(bld *b, const char *name, ckp_col_kind kind, double lb,
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

/* ------------------------------------------------------------------ */

static ckp_status build(bld *b)
{
    const ckp_plan *plan = b->plan;
    ckp_model *m = b->m;
    int np = plan->n_projects, nc = plan->n_commodities;

    CKP_TRY(bld_resolve_params(b));
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

    CKP_TRY(bld_requirement(b));
    CKP_TRY(bld_check_shortage_penalty(b));
    CKP_TRY(bld_producer_lists(b));

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
    CKP_TRY(bld_start_cols(b, norm));
    CKP_TRY(bld_upgrade_cols(b, norm));
    CKP_TRY(bld_flow_cols(b));
    CKP_TRY(bld_feed_cols(b));
    CKP_TRY(bld_stock_cols(b, norm));

    CKP_TRY(bld_one_rows(b));
    CKP_TRY(bld_cap_rows(b));
    CKP_TRY(bld_bal_rows(b));
    CKP_TRY(bld_feed_rows(b));
    CKP_TRY(bld_stock_rows(b));
    CKP_TRY(bld_infra_rows(b));
    CKP_TRY(bld_budget_rows(b));
    CKP_TRY(bld_fin_cap_rows(b));
    CKP_TRY(bld_pair_rows(b, 0));
    CKP_TRY(bld_pair_rows(b, 1));
    if (m->objective == CKP_OBJ_MINMAX) CKP_TRY(bld_minmax(b));
    if (!isnan(m->max_share)) CKP_TRY(bld_share_caps(b));
    CKP_TRY(bld_apply_measure(b));
    if (m->params.min_cost && !m->params.no_projects) CKP_TRY(bld_goal(b));
    CKP_TRY(bld_exposure_coefs(b));
    if (m->params.fixed && !m->params.no_projects) CKP_TRY(bld_fix_portfolio(b));

    char msg[512];
    ckp_status rc = ckp_mip_check(&m->mip, msg, (int)sizeof msg);
    if (rc == CKP_EINTERNAL) {
        CKP_TRY(bld_err(b, 0, "model-invalid", "internal: model check failed: %s", msg));
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
        bld_err(&b, plan->line, "bad-horizon", "empty horizon in plan %s",
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
