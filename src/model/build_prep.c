/* build_prep.c: what the model builder works out before any column:
 * the what-if parameters resolved against the plan (objective, penalty,
 * budget, year limits, scenarios), the requirement of every commodity per
 * unit of final demand, the serving order of the supply graph, the check
 * of the shortage penalty, and the flat producer lists (docs/formulation.md
 * sections 2-4).  Part of the model builder (build.c). */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/build_int.h"
#include "util/alloc.h"

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
            CKP_TRY(bld_err(b, 0, "bad-year-limit", "year limit for %d: outside "
                             "the horizon %d-%d", v->year, b->first, b->last));
            *rc = CKP_EUSAGE;
        } else if (!(v->value >= 0)) {
            CKP_TRY(bld_err(b, 0, "bad-year-limit", "year limit %g for %d must be "
                             ">= 0", v->value, v->year));
            *rc = CKP_EUSAGE;
        }
    }
    if (pp->scale_year_limits && !isnan(pp->budget_total) &&
        !(isfinite(plan->budget.total) && plan->budget.total > 0 &&
          isfinite(pp->budget_total))) {
        CKP_TRY(bld_err(b, 0, "bad-year-limit", "scaling the year limits needs a "
                         "finite budget and a plan <budget total> > 0 (plan: %g, "
                         "budget: %g)", plan->budget.total, pp->budget_total));
        *rc = CKP_EUSAGE;
    }
    return CKP_OK;
}

/* Mark the projects of --force (excl 0) or --exclude (excl 1) in
 * b->forced / b->excluded: unknown and committed ids, and a project both
 * forced and excluded, are diagnosed and set *rc to CKP_EUSAGE. */
static ckp_status mark_projects(bld *b, const char *const *ids, int n, int excl,
                                ckp_status *rc)
{
    const ckp_plan *plan = b->plan;
    for (int k = 0; k < n; k++) {
        const char *id = ids[k];
        int p = id ? ckp_plan_find_project(plan, id) : -1;
        if (p < 0) {
            CKP_TRY(bld_err(b, 0, "unknown-project", "unknown project '%s' to %s",
                            id ? id : "", excl ? "exclude" : "force"));
            *rc = CKP_EUSAGE;
            continue;
        }
        if (plan->projects[p].committed) {
            if (excl)
                CKP_TRY(bld_err(b, 0, "exclude-committed",
                                "project '%s' cannot be excluded: it is committed (built "
                                "with or without the bank: in the baseline whatever the "
                                "bank funds, so excluding it changes nothing)", id));
            else
                CKP_TRY(bld_err(b, 0, "force-committed",
                                "project '%s' cannot be forced: it is committed (built "
                                "with or without the bank: in the baseline, not fundable)",
                                id));
            *rc = CKP_EUSAGE;
            continue;
        }
        if (excl && b->forced[p] && !b->excluded[p]) {
            CKP_TRY(bld_err(b, 0, "force-exclude", "project '%s' is both forced and excluded",
                            id));
            *rc = CKP_EUSAGE;
        }
        (excl ? b->excluded : b->forced)[p] = 1;
    }
    return CKP_OK;
}

ckp_status bld_resolve_params(bld *b)
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
        CKP_TRY(bld_err(b, 0, "bad-objective", "unknown objective kind %d",
                         pp->objective));
        rc = CKP_EUSAGE;
    }
    m->shortage_penalty = isnan(pp->shortage_penalty)
                              ? plan->objective.shortage_penalty
                              : pp->shortage_penalty;
    if (!(m->shortage_penalty > 1.0) || !isfinite(m->shortage_penalty)) {
        CKP_TRY(bld_err(b, plan->objective.line, "bad-penalty",
                         "shortage penalty %g must be finite and > 1",
                         m->shortage_penalty));
        rc = CKP_EUSAGE;
    }
    m->budget_total = isnan(pp->budget_total) ? plan->budget.total
                                              : pp->budget_total;
    if (!(m->budget_total >= 0)) {
        CKP_TRY(bld_err(b, 0, "bad-budget", "budget %g must be >= 0",
                         m->budget_total));
        rc = CKP_EUSAGE;
    }
    CKP_TRY(check_year_limits(b, &rc));
    m->max_share = pp->max_share;
    if (!isnan(pp->max_share) && !(pp->max_share > 0 && pp->max_share <= 1)) {
        CKP_TRY(bld_err(b, 0, "bad-max-share", "max share %g must be in (0, 1]",
                         pp->max_share));
        rc = CKP_EUSAGE;
    }
    if (pp->min_cost && !pp->no_projects) {
        m->objective = CKP_OBJ_WEIGHTED; /* the goal's exposure measure */
        if (!(pp->target > 0 && pp->target <= 1)) {
            CKP_TRY(bld_err(b, 0, "bad-target", "min-cost needs a target in (0, 1] "
                             "(got %g)", pp->target));
            rc = CKP_EUSAGE;
        } else if (!(pp->target_base >= 0) || !isfinite(pp->target_base)) {
            CKP_TRY(bld_err(b, 0, "no-baseline", "min-cost needs the baseline "
                             "exposure (target_base), which only a solve "
                             "(ckp_run) computes: set target_base, or build "
                             "without min_cost"));
            rc = CKP_EUSAGE;
        }
        if (!isnan(pp->max_share)) {
            CKP_TRY(bld_err(b, 0, "min-cost-max-share", "a share cap (max_share) "
                             "cannot be combined with min-cost (min_cost)"));
            rc = CKP_EUSAGE;
        }
    } else if (!isnan(pp->target) && !pp->min_cost) {
        CKP_TRY(bld_err(b, 0, "target-without-min-cost",
                         "a target (target) needs min-cost (min_cost)"));
        rc = CKP_EUSAGE;
    }
    if (!(pp->tie_break >= 0) || !isfinite(pp->tie_break)) {
        CKP_TRY(bld_err(b, 0, "bad-tie-break", "tie-break weight %g must be "
                         "finite and >= 0", pp->tie_break));
        rc = CKP_EUSAGE;
    }

    if (pp->measure < 0) {
        m->measure = plan->objective.measure;
    } else if (pp->measure == CKP_MEASURE_EXPECTED || pp->measure == CKP_MEASURE_WORST) {
        m->measure = (ckp_scenario_measure)pp->measure;
    } else {
        CKP_TRY(bld_err(b, 0, "bad-measure", "unknown scenario measure %d",
                         pp->measure));
        rc = CKP_EUSAGE;
    }
    /* Scenarios: every scenario of the plan, one of them alone
       (probability 1), or none (one implicit scenario). */
    int sel = -1;
    if (pp->scenario && pp->no_scenarios) {
        CKP_TRY(bld_err(b, 0, "scenario-conflict",
                         "scenario '%s' cannot be combined with no_scenarios",
                         pp->scenario));
        rc = CKP_EUSAGE;
    } else if (pp->scenario) {
        sel = ckp_plan_find_scenario(plan, pp->scenario);
        if (sel < 0) {
            CKP_TRY(bld_err(b, 0, "unknown-scenario",
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
    CKP_TRY(mark_projects(b, pp->force, pp->n_force, 0, &rc));
    CKP_TRY(mark_projects(b, pp->exclude, pp->n_exclude, 1, &rc));
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
        for (int y = 0; y < rq->Y; y++) Rc[y] = bld_demand(rq->b, rq->s, c, y);
        for (int k = rq->u_first[c]; k < rq->u_first[c + 1]; k++) {
            const double *Rd = &rq->R[(size_t)rq->u_comm[k] * rq->Y];
            for (int y = 0; y < rq->Y; y++) Rc[y] += rq->u_ratio[k] * Rd[y];
        }
    }
}

ckp_status bld_requirement(bld *b)
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
        CKP_TRY_GOTO(rc, bld_err(b, plan->commodities[bad].line, "recipe-cycle",
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
double bld_shortage_coef(const bld *b, int s, int c, int y)
{
    double R = b->m->requirement[cy_ix(b, s, c, y)];
    double pen = R > 0 ? b->m->shortage_penalty * b->plan->commodities[c].weight / (R / b->qs)
                       : 0.0;
    double floor = CKP_SHORT_FLOOR * b->serve[cy_ix(b, s, c, y)] * b->qs + 2e-6;
    return pen > floor ? pen : floor;
}

/* Fills b->serve (S*) for every scenario and warns, once per commodity,
 * where the shortage floor replaces the plan's penalty. */
ckp_status bld_check_shortage_penalty(bld *b)
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
            double D = bld_demand(b, s, c, y);
            double R = b->m->requirement[cy_ix(b, s, c, y)];
            if (!(D > 0) || !(R > 0)) continue;
            double pen = b->m->shortage_penalty * k->weight / (R / b->qs);
            double coef = bld_shortage_coef(b, s, c, y);
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
ckp_status bld_producer_lists(bld *b)
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
        /* a restricted feed enters the balance through its flows v (7i) */
        b->pc_coef[at++] = ckp_plan_producer_feed(plan, f) ? 0.0 : 1.0;
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
