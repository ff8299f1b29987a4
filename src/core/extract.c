/* extract.c: reading a ckp_result out of a solved model (see
 * ckp/result.h): flows, shares and concentration, cap checks, the funded
 * portfolio and its spend per year, scenario tables, stockpiles, and why
 * funded projects sit idle.  Part of the run (run.c). */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/run_int.h"
#include "input/plan_time.h"
#include "util/alloc.h"

double *run_nan_array(size_t n)
{
    double *a = ckp_malloc((n ? n : 1) * sizeof *a);
    if (a)
        for (size_t i = 0; i < n; i++) a[i] = NAN;
    return a;
}

/* Production (t/yr, may be NULL), shortage and exposure per commodity and
 * year of scenario sc from a solution vector x of model m; NAN everywhere
 * when x is NULL.  stage: the requirement-weighted share per stage and
 * year.  The output arrays are that scenario's slices. */
ckp_status run_flows(const ckp_model *m, const double *x, int sc, double *production,
                        double *shortage, double *exposure, double *stage)
{
    const ckp_plan *plan = m->plan;
    int Y = m->n_years, nc = plan->n_commodities, ns = plan->n_stages;
    double qs = m->qty_scale;
    if (!x) {
        if (production)
            for (int i = 0; i < m->n_producers * Y; i++) production[i] = NAN;
        for (int i = 0; i < nc * Y; i++) shortage[i] = exposure[i] = NAN;
        for (int i = 0; i < ns * Y; i++) stage[i] = NAN;
        return CKP_OK;
    }
    double *risky = ckp_calloc((size_t)nc * (size_t)Y + 1, sizeof *risky);
    double *snum = ckp_calloc((size_t)ns * (size_t)Y + 1, sizeof *snum);
    double *sden = ckp_calloc((size_t)ns * (size_t)Y + 1, sizeof *sden);
    if (!risky || !snum || !sden) {
        ckp_free(risky);
        ckp_free(snum);
        ckp_free(sden);
        return CKP_ENOMEM;
    }
    for (int f = 0; f < m->n_producers; f++) {
        double r = ckp_plan_producer_risk(plan, f);
        int c = ckp_plan_producer_output(plan, f);
        for (int y = 0; y < Y; y++) {
            int col = m->prod_col[(sc * m->n_producers + f) * Y + y];
            double q = col >= 0 ? x[col] * qs : 0.0;
            if (q < 0) q = 0; /* LP round-off below a zero bound */
            if (production) production[f * Y + y] = q;
            if (c >= 0) risky[c * Y + y] += r * q;
        }
    }
    for (int c = 0; c < nc; c++) {
        int s = plan->commodities[c].stage.ix;
        for (int y = 0; y < Y; y++) {
            int col = m->short_col[(sc * nc + c) * Y + y];
            double sh = col >= 0 ? x[col] * qs : 0.0;
            shortage[c * Y + y] = sh < 0 ? 0 : sh;
            double R = m->requirement[(sc * nc + c) * Y + y];
            exposure[c * Y + y] = R > 0 ? risky[c * Y + y] / R : NAN;
            if (s >= 0 && R > 0) {
                snum[s * Y + y] += risky[c * Y + y];
                sden[s * Y + y] += R;
            }
        }
    }
    for (int i = 0; i < ns * Y; i++) stage[i] = sden[i] > 0 ? snum[i] / sden[i] : NAN;
    ckp_free(risky);
    ckp_free(snum);
    ckp_free(sden);
    return CKP_OK;
}

/* Supplier concentration per stage and year from production (t/yr,
 * [producer * Y + y], NAN = no solution): the largest single-country
 * share of the stage's production (top, its country in topc) and the HHI
 * (sum of squared country shares in percent, 0..10000).  Producers of no
 * country form one group (never named top: topc -1 then).  NAN / -1
 * where the stage produced nothing. */
ckp_status run_concentration(const ckp_plan *plan, int n_prod, int Y,
                                const double *production, double *top, int *topc,
                                double *hhi)
{
    int ns = plan->n_stages, nk = plan->n_countries + 1;
    double *by = ckp_malloc(((size_t)nk + 1) * sizeof *by);
    if (!by) return CKP_ENOMEM;
    for (int s = 0; s < ns; s++)
        for (int y = 0; y < Y; y++) {
            double total = 0;
            int any_nan = 0;
            for (int k = 0; k < nk; k++) by[k] = 0;
            for (int f = 0; f < n_prod; f++) {
                int c = ckp_plan_producer_output(plan, f);
                if (c < 0 || plan->commodities[c].stage.ix != s) continue;
                double q = production[f * Y + y];
                if (isnan(q)) {
                    any_nan = 1;
                    break;
                }
                int k = ckp_plan_producer_country(plan, f);
                by[k >= 0 ? k : nk - 1] += q;
                total += q;
            }
            int i = s * Y + y;
            top[i] = hhi[i] = NAN;
            topc[i] = -1;
            if (any_nan || !(total > 0)) continue;
            double h = 0, best = -1;
            for (int k = 0; k < nk; k++) {
                double sh = by[k] / total;
                h += (100 * sh) * (100 * sh);
                if (k < nk - 1 && sh > best) {
                    best = sh;
                    topc[i] = k;
                }
            }
            /* the unnamed group may be larger; the top share is a named
               country's */
            top[i] = best < 0 ? NAN : best;
            hhi[i] = h;
        }
    ckp_free(by);
    return CKP_OK;
}

/* The --max-share cap rows at the portfolio x (NULL: none reported). */
ckp_status run_cap_checks(ckp_result *r, const ckp_model *m, const double *x)
{
    const ckp_plan *plan = m->plan;
    int Y = m->n_years;
    r->max_share = m->max_share;
    r->cap_penalty = m->cap_penalty;
    if (isnan(m->max_share) || !x) return CKP_OK;
    r->caps = ckp_calloc((size_t)m->n_share_caps + 1, sizeof *r->caps);
    if (!r->caps) return CKP_ENOMEM;
    int nc = plan->n_commodities, np = m->n_producers;
    for (int i = 0; i < m->n_share_caps; i++) {
        const ckp_share_cap *cp = &m->share_caps[i];
        ckp_cap_check *ck = &r->caps[r->n_caps++];
        int s = cp->scenario;
        double R = m->requirement[(s * nc + cp->commodity) * Y + cp->year];
        double q = 0;
        for (int f = 0; f < np; f++)
            if (ckp_plan_producer_output(plan, f) == cp->commodity &&
                ckp_plan_producer_country(plan, f) == cp->country &&
                ckp_plan_producer_risk(plan, f) > 0)
                q += r->scen_production[(s * np + f) * Y + cp->year];
        double e = x[cp->slack_col];
        ck->scenario = s;
        ck->commodity = cp->commodity;
        ck->country = cp->country;
        ck->year = plan->first_year + cp->year;
        ck->share = q / R;
        if (e > 1e-9) {
            ck->tonnes = e * m->qty_scale;
            ck->missed = ck->tonnes / R;
            r->n_caps_missed++;
        }
    }
    return CKP_OK;
}

ckp_status run_portfolio(ckp_result *r, const ckp_model *m, const double *x)
{
    const ckp_plan *plan = m->plan;
    int Y = m->n_years;
    int np = 0, nu = 0;
    if (x) {
        for (int k = 0; k < m->n_starts; k++) np += x[m->starts[k].col] > 0.5;
        for (int k = 0; k < m->n_ustarts; k++) nu += x[m->ustarts[k].col] > 0.5;
    }
    r->picks = ckp_calloc((size_t)np + 1, sizeof *r->picks);
    r->upgrade_picks = ckp_calloc((size_t)nu + 1, sizeof *r->upgrade_picks);
    r->added_outside = ckp_calloc((size_t)plan->n_stages + 1, sizeof *r->added_outside);
    if (!r->picks || !r->upgrade_picks || !r->added_outside) return CKP_ENOMEM;
    if (!x) return CKP_OK;
    double project_commit = 0.0;
    /* starts are grouped by project in plan order */
    for (int k = 0; k < m->n_starts; k++) {
        const ckp_start_var *s = &m->starts[k];
        if (!(x[s->col] > 0.5)) continue;
        const ckp_project *p = &plan->projects[s->project];
        const ckp_option *o = &p->options[s->option];
        ckp_pick *pk = &r->picks[r->n_picks++];
        pk->project = s->project;
        pk->option = s->option;
        pk->start = s->start;
        pk->online = s->online;
        pk->commitment = o->commitment;
        pk->capex = p->capex;
        project_commit += o->commitment;
        r->capex_total += p->capex;
        ckp_disburse(r->spend, Y, plan->first_year, s->start, o->commitment, o->schedule,
                 o->n_schedule);
        int c = p->output.ix;
        int st = c >= 0 ? plan->commodities[c].stage.ix : -1;
        if (st >= 0)
            r->added_outside[st] +=
                p->capacity * (1.0 - ckp_plan_producer_risk(plan, plan->n_facilities + s->project));
    }
    for (int k = 0; k < m->n_ustarts; k++) {
        const ckp_upgrade_var *s = &m->ustarts[k];
        if (!(x[s->col] > 0.5)) continue;
        const ckp_upgrade *u = &plan->upgrades[s->upgrade];
        ckp_upgrade_pick *pk = &r->upgrade_picks[r->n_upgrade_picks++];
        pk->upgrade = s->upgrade;
        pk->start = s->start;
        pk->online = s->online;
        pk->cost = u->cost;
        ckp_disburse(r->spend, Y, plan->first_year, s->start, u->cost, u->schedule,
                 u->n_schedule);
        r->commitment_total += u->cost;
    }
    r->commitment_total += project_commit;
    /* co-finance by type (docs/finance.md): only private sources count as
       private capital mobilised */
    double cofin = 0.0;
    for (int i = 0; i < r->n_picks; i++) {
        double by[CKP_COFIN_TYPES], direct;
        ckp_plan_cofinance(plan, r->picks[i].project, r->picks[i].option, by, &direct);
        r->private_capital += by[CKP_COFIN_PRIVATE];
        r->private_direct += direct;
        r->public_cofinance += by[CKP_COFIN_PUBLIC];
        r->multilateral_cofinance += by[CKP_COFIN_MULTILATERAL];
        cofin += by[CKP_COFIN_PRIVATE] + by[CKP_COFIN_PUBLIC] + by[CKP_COFIN_MULTILATERAL];
    }
    r->unattributed_capital = r->capex_total - project_commit - cofin;
    return CKP_OK;
}

/* Scenario s's objective value at x: its columns' own coefficients
 * (docs/formulation.md 7d); NAN without x. */
static double scenario_value(const ckp_model *m, const double *x, int s)
{
    if (!x) return NAN;
    double v = 0;
    for (int j = 0; j < m->mip.n_cols; j++)
        if (m->col_scen[j] == s) v += m->scen_coef[j] * x[j];
    return v;
}

/* dst[i] = sum over scenarios of prob x src[s * n + i], skipping NAN
 * entries (NAN when every scenario's is NAN). */
static void expect(const double *prob, int S, size_t n, const double *src, double *dst)
{
    for (size_t i = 0; i < n; i++) {
        double v = 0;
        int any = 0;
        for (int s = 0; s < S; s++) {
            double a = src[(size_t)s * n + i];
            if (isnan(a)) continue;
            v += prob[s] * a;
            any = 1;
        }
        dst[i] = any ? v : NAN;
    }
}

/* Per-scenario flows of the portfolio (x) and the baseline (bx), their
 * expectations in the top-level arrays, and each scenario's value.
 * bprod receives the expected baseline production. */
ckp_status run_scenario_flows(ckp_result *r, const ckp_model *m, const ckp_model *base,
                                 const double *x, const double *bx, double *bprod)
{
    const ckp_plan *plan = m->plan;
    int S = m->n_scen, Y = m->n_years;
    size_t npy = (size_t)m->n_producers * (size_t)Y;
    size_t ncy = (size_t)plan->n_commodities * (size_t)Y;
    size_t nsy = (size_t)plan->n_stages * (size_t)Y;
    r->scen_production = run_nan_array((size_t)S * npy);
    r->scen_requirement = run_nan_array((size_t)S * ncy);
    r->scen_shortage = run_nan_array((size_t)S * ncy);
    r->scen_exposure = run_nan_array((size_t)S * ncy);
    r->scen_baseline_shortage = run_nan_array((size_t)S * ncy);
    r->scen_baseline_exposure = run_nan_array((size_t)S * ncy);
    r->scen_stage_exposure = run_nan_array((size_t)S * nsy);
    r->scen_stage_baseline = run_nan_array((size_t)S * nsy);
    r->scen_value = run_nan_array((size_t)S);
    r->scen_baseline_value = run_nan_array((size_t)S);
    double *bp = run_nan_array((size_t)S * npy);
    ckp_status rc = CKP_OK;
    if (!r->scen_production || !r->scen_requirement || !r->scen_shortage ||
        !r->scen_exposure || !r->scen_baseline_shortage || !r->scen_baseline_exposure ||
        !r->scen_stage_exposure || !r->scen_stage_baseline || !r->scen_value ||
        !r->scen_baseline_value || !bp) {
        rc = CKP_ENOMEM;
        goto out;
    }
    memcpy(r->scen_requirement, m->requirement, (size_t)S * ncy * sizeof *m->requirement);
    for (int s = 0; s < S; s++) {
        CKP_TRY_GOTO(rc, run_flows(m, x, s, &r->scen_production[s * npy],
                               &r->scen_shortage[s * ncy], &r->scen_exposure[s * ncy],
                               &r->scen_stage_exposure[s * nsy]), out);
        CKP_TRY_GOTO(rc, run_flows(base, bx, s, &bp[s * npy], &r->scen_baseline_shortage[s * ncy],
                               &r->scen_baseline_exposure[s * ncy],
                               &r->scen_stage_baseline[s * nsy]), out);
        r->scen_value[s] = scenario_value(m, x, s);
        r->scen_baseline_value[s] = scenario_value(base, bx, s);
    }
    const double *pr = m->scen_prob;
    expect(pr, S, npy, r->scen_production, r->production);
    expect(pr, S, npy, bp, bprod);
    expect(pr, S, ncy, r->scen_requirement, r->requirement);
    expect(pr, S, ncy, r->scen_shortage, r->shortage);
    expect(pr, S, ncy, r->scen_exposure, r->exposure);
    expect(pr, S, ncy, r->scen_baseline_shortage, r->baseline_shortage);
    expect(pr, S, ncy, r->scen_baseline_exposure, r->baseline_exposure);
    expect(pr, S, nsy, r->scen_stage_exposure, r->stage_exposure);
    expect(pr, S, nsy, r->scen_stage_baseline, r->stage_baseline);
out:
    ckp_free(bp);
    return rc;
}

/* Stockpiles bought and their releases per scenario (t/yr). */
ckp_status run_stockpiles(ckp_result *r, const ckp_model *m, const double *x)
{
    const ckp_plan *plan = m->plan;
    int S = m->n_scen, Y = m->n_years, nk = plan->n_stockpiles, n = 0;
    r->stockpile_picks = ckp_calloc((size_t)nk + 1, sizeof *r->stockpile_picks);
    r->release = ckp_calloc((size_t)S * nk * Y + 1, sizeof *r->release);
    if (!r->stockpile_picks || !r->release) return CKP_ENOMEM;
    if (!x) return CKP_OK;
    for (int k = 0; k < nk; k++) {
        int w = m->stock_col[k];
        if (w < 0 || !(x[w] > 0.5)) continue;
        const ckp_stockpile *st = &plan->stockpiles[k];
        r->stockpile_picks[n++] = (ckp_stockpile_pick){k, st->year, st->cost};
        int y = st->year - plan->first_year;
        if (y >= 0 && y < Y) r->spend[y] += st->cost;
        r->commitment_total += st->cost;
        for (int s = 0; s < S; s++)
            for (int yy = 0; yy < Y; yy++) {
                int col = m->release_col[(s * nk + k) * Y + yy];
                double v = col >= 0 ? x[col] * m->qty_scale : 0.0;
                r->release[(s * nk + k) * Y + yy] = v > 0 ? v : 0.0;
            }
    }
    r->n_stockpile_picks = n;
    return CKP_OK;
}

/* Is commodity c restricted by an export control in scenario s, year: a
 * producer of c in a country whose exports of c are scaled below 1.
 * Looks up the made-from recipes, c first, then depth-first through each
 * recipe's inputs in order, each commodity once (iterative: no recursion,
 * linear in the recipes); returns the restricted commodity (and *country)
 * or -1.  stack, pos and mark are scratch of n_commodities entries; mark
 * entries equal to stamp are visited (the caller passes a fresh stamp). */
typedef struct up_scratch {
    int *stack, *pos, *mark;
    int stamp;
} up_scratch;

static int restricted_here(const ckp_plan *plan, int sp, int c, int year, int *country)
{
    int n = plan->n_facilities + plan->n_projects;
    for (int f = 0; f < n; f++) {
        if (ckp_plan_producer_output(plan, f) != c) continue;
        int k = ckp_plan_producer_country(plan, f);
        if (k >= 0 && ckp_scenario_export_scale(plan, sp, k, c, year) < 1.0) {
            *country = k;
            return 1;
        }
    }
    return 0;
}

static int restricted_upstream(const ckp_plan *plan, int sp, int c, int year,
                               up_scratch *u, int *country)
{
    if (c < 0) return -1;
    int st = ++u->stamp, top = 0;
    u->mark[c] = st;
    if (restricted_here(plan, sp, c, year, country)) return c;
    u->stack[top] = c;
    u->pos[top++] = 0;
    while (top > 0) {
        const ckp_commodity *cm = &plan->commodities[u->stack[top - 1]];
        if (u->pos[top - 1] >= cm->n_made_from) {
            top--;
            continue;
        }
        int d = cm->made_from[u->pos[top - 1]++].commodity.ix;
        if (d < 0 || u->mark[d] == st) continue;
        u->mark[d] = st;
        if (restricted_here(plan, sp, d, year, country)) return d;
        u->stack[top] = d;
        u->pos[top++] = 0;
    }
    return -1;
}

/* Funded projects idle (below 1 % of their capacity online) in a year of
 * a scenario, and why (docs/formulation.md 7d). */
ckp_status run_idle_projects(ckp_result *r, const ckp_model *m)
{
    const ckp_plan *plan = m->plan;
    int S = m->n_scen, Y = m->n_years, nf = plan->n_facilities, np = m->n_producers;
    int cap = 0;
    if (!r->n_picks) return CKP_OK;
    size_t nc1 = (size_t)plan->n_commodities + 1;
    up_scratch up = {ckp_malloc(nc1 * sizeof(int)), ckp_malloc(nc1 * sizeof(int)),
                     ckp_calloc(nc1, sizeof(int)), 0};
    ckp_status rc = CKP_OK;
    if (!up.stack || !up.pos || !up.mark) {
        rc = CKP_ENOMEM;
        goto out;
    }
    for (int s = 0; s < S; s++) {
        int sp = m->scen_plan[s];
        for (int i = 0; i < r->n_picks; i++) {
            const ckp_pick *pk = &r->picks[i];
            const ckp_project *p = &plan->projects[pk->project];
            for (int year = pk->online; year <= plan->last_year; year++) {
                int y = year - plan->first_year, k = year - pk->online;
                double could = p->capacity * (k < p->n_ramp ? p->ramp[k] : 1.0);
                double made = r->scen_production[((size_t)s * np + nf + pk->project) * Y + y];
                if (!(could > 0) || made >= 0.01 * could) continue;
                ckp_idle e = {s, pk->project, year, CKP_IDLE_NOT_NEEDED, -1, -1, NAN, NAN,
                              could, made};
                int bc = p->breakeven_of.id ? p->breakeven_of.ix : p->output.ix;
                double price = ckp_scenario_price(plan, sp, bc, year);
                int kc = ckp_plan_producer_country(plan, nf + pk->project), ctry = -1, rc_ = -1;
                if (!isnan(p->breakeven) && !isnan(price) && price < p->breakeven &&
                    !ckp_instrument_price_support(p->options[pk->option].instrument)) {
                    e.reason = CKP_IDLE_PRICE;
                    e.commodity = bc;
                    e.price = price;
                    e.breakeven = p->breakeven;
                } else if (kc >= 0 &&
                           ckp_scenario_export_scale(plan, sp, kc, p->output.ix, year) < 1.0) {
                    e.reason = CKP_IDLE_OWN_EXPORT;
                    e.country = kc;
                } else {
                    for (int j = 0; j < p->n_inputs && rc_ < 0; j++)
                        rc_ = restricted_upstream(plan, sp, p->inputs[j].commodity.ix, year,
                                                  &up, &ctry);
                    if (rc_ >= 0) {
                        e.reason = CKP_IDLE_EXPORT;
                        e.commodity = rc_;
                        e.country = ctry;
                    } else if (r->scen_shortage[((size_t)s * plan->n_commodities +
                                                 (size_t)p->output.ix) * Y + y] > 1e-6) {
                        /* its output is short while it stands idle: an
                           input is missing (the first one named) */
                        for (int j = 0; j < p->n_inputs && e.reason != CKP_IDLE_INPUT; j++)
                            if (p->inputs[j].commodity.ix >= 0) {
                                e.reason = CKP_IDLE_INPUT;
                                e.commodity = p->inputs[j].commodity.ix;
                            }
                    }
                }
                if (r->n_idle >= cap &&
                    ckp_grow((void **)&r->idle, &cap, r->n_idle + 1, sizeof *r->idle)) {
                    rc = CKP_ENOMEM;
                    goto out;
                }
                r->idle[r->n_idle++] = e;
            }
        }
    }
out:
    ckp_free(up.stack);
    ckp_free(up.pos);
    ckp_free(up.mark);
    return rc;
}

/* The weighted objective's value (exposure + shortage, no tie-break) of
 * the solution of a model (build + solve with params p); NAN when it has
 * no solution. */
