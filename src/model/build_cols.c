/* build_cols.c: the model builder's columns (start x, upgrade, flow q
 * and shortage, stockpile purchase and release) and the rows that tie
 * them per project and year: one start per project, capacity, balance and
 * stockpile rows (docs/formulation.md sections 3-5).  Part of the model
 * builder (build.c). */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/plan_time.h"
#include "model/build_int.h"
#include "util/alloc.h"

/* ------------------------------------------------------------------ */
/* Columns                                                              */

ckp_status bld_start_cols(bld *b, double commit_norm)
{
    const ckp_plan *plan = b->plan;
    ckp_model *m = b->m;
    int np = plan->n_projects, nstart = 0;
    int open = m->params.open_windows; /* --open-windows: no earliest/latest */
    char n1[CKP_ID_MAX + 1], n2[CKP_ID_MAX + 1], name[CKP_NAME_MAX];

    for (int p = 0; p < np; p++) {
        const ckp_project *pr = &plan->projects[p];
        int lo, hi, delay;
        b->p_min_online[p] = INT_MAX;
        if (pr->committed) {
            /* built anyway: online at its earliest start + lead time */
            ckp_plan_project_window(plan, p, open, &lo, &hi, &delay);
            if (lo + delay <= b->last) b->p_min_online[p] = lo + delay;
            continue;
        }
        if (b->excluded[p]) continue;
        ckp_plan_project_window(plan, p, open, &lo, &hi, &delay);
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
        ckp_plan_project_window(plan, p, open, &lo, &hi, &delay);
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
                snprintf(name, sizeof name, "x[%s,%s,%d]", bld_clean_id(n1, pr->id),
                         bld_clean_id(n2, op->id), t);
                CKP_TRY(bld_add_col(b, name, CKP_COL_BINARY, 0, 1, obj, -1, &s->col));
            }
        }
    }
    m->project_first[np] = m->n_starts;
    return CKP_OK;
}

ckp_status bld_upgrade_cols(bld *b, double commit_norm)
{
    const ckp_plan *plan = b->plan;
    ckp_model *m = b->m;
    int nu = plan->n_upgrades, n = 0;
    char n1[CKP_ID_MAX + 1], name[CKP_NAME_MAX];
    int none = m->params.no_projects, open = m->params.open_windows;

    for (int u = 0; u < nu && !none; u++) {
        int lo, hi;
        ckp_plan_upgrade_window(plan, u, open, &lo, &hi);
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
        ckp_plan_upgrade_window(plan, u, open, &lo, &hi);
        double obj = commit_norm > 0 ? m->params.tie_break * up->cost / commit_norm
                                     : 0.0;
        for (int t = lo; t <= hi && t + up->build_years <= b->last; t++) {
            ckp_upgrade_var *s = &m->ustarts[m->n_ustarts++];
            s->upgrade = u;
            s->start = t;
            s->online = t + up->build_years;
            snprintf(name, sizeof name, "z[%s,%d]", bld_clean_id(n1, up->id), t);
            CKP_TRY(bld_add_col(b, name, CKP_COL_BINARY, 0, 1, obj, -1, &s->col));
        }
    }
    m->upgrade_first[nu] = m->n_ustarts;
    return CKP_OK;
}

/* Objective coefficient of one unit (kt) of producer f in year y of
 * scenario s (that scenario's own; bld_apply_measure weights it). */
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

ckp_status bld_flow_cols(bld *b)
{
    const ckp_plan *plan = b->plan;
    ckp_model *m = b->m;
    int nf = plan->n_facilities;
    char n1[CKP_ID_MAX + 1], sx[CKP_SCEN_ID_MAX + 2], name[CKP_NAME_MAX];

    for (int s = 0; s < b->S; s++) {
        bld_scen_sfx(b, s, sx);
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
            bld_clean_id(n1, id);
            for (int y = y0; y < b->Y; y++) {
                snprintf(name, sizeof name, "q[%s,%d%s]", n1, b->first + y, sx);
                CKP_TRY(bld_add_col(b, name, CKP_COL_CONTINUOUS, 0,
                                ub * fixed_scale(b, s, f, y) * export_scale(b, s, f, y),
                                prod_obj(b, s, f, y), s, &m->prod_col[py_ix(b, s, f, y)]));
            }
        }
        for (int c = 0; c < plan->n_commodities; c++) {
            const ckp_commodity *k = &plan->commodities[c];
            bld_clean_id(n1, k->id);
            for (int y = 0; y < b->Y; y++) {
                double D = bld_demand(b, s, c, y);
                if (!(D > 0)) continue;
                snprintf(name, sizeof name, "s[%s,%d%s]", n1, b->first + y, sx);
                CKP_TRY(bld_add_col(b, name, CKP_COL_CONTINUOUS, 0, D / b->qs,
                                bld_shortage_coef(b, s, c, y), s,
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
ckp_status bld_stock_cols(bld *b, double commit_norm)
{
    const ckp_plan *plan = b->plan;
    ckp_model *m = b->m;
    char n1[CKP_ID_MAX + 1], sx[CKP_SCEN_ID_MAX + 2], name[CKP_NAME_MAX];
    for (int k = 0; k < b->nk; k++) {
        const ckp_stockpile *st = &plan->stockpiles[k];
        int y0 = st->year - b->first, c = st->commodity.ix;
        m->stock_col[k] = -1;
        if (m->params.no_projects || y0 < 0 || y0 >= b->Y || c < 0) continue;
        bld_clean_id(n1, st->id);
        snprintf(name, sizeof name, "w[%s]", n1);
        double obj = commit_norm > 0 ? m->params.tie_break * st->cost / commit_norm : 0.0;
        CKP_TRY(bld_add_col(b, name, CKP_COL_BINARY, 0, 1, obj, -1, &m->stock_col[k]));
        for (int s = 0; s < b->S; s++) {
            bld_scen_sfx(b, s, sx);
            for (int y = y0; y < b->Y; y++) {
                double R = m->requirement[cy_ix(b, s, c, y)];
                if (!(R > 0) || !(st->release > 0)) continue;
                double rho = 1.01 * b->serve[cy_ix(b, s, c, y)] * b->qs + 1e-6;
                snprintf(name, sizeof name, "r[%s,%d%s]", n1, b->first + y, sx);
                CKP_TRY(bld_add_col(b, name, CKP_COL_CONTINUOUS, 0, st->release / b->qs, rho,
                                s, &m->release_col[ky_ix(b, s, k, y)]));
            }
        }
    }
    return CKP_OK;
}

/* ------------------------------------------------------------------ */
/* Rows                                                                 */

ckp_status bld_one_rows(bld *b)
{
    const ckp_plan *plan = b->plan;
    ckp_model *m = b->m;
    char n1[CKP_ID_MAX + 1], name[CKP_NAME_MAX];
    for (int p = 0; p < plan->n_projects; p++) {
        int k0 = m->project_first[p], k1 = m->project_first[p + 1];
        m->project_row[p] = -1;
        if (b->forced[p] && k0 == k1) {
            CKP_TRY(bld_err(b, plan->projects[p].line, "force-infeasible",
                             "project '%s' is forced but cannot come online "
                             "within the horizon (start window, permit and build "
                             "years)", plan->projects[p].id));
            return CKP_EINFEASIBLE;
        }
        if (k0 == k1) continue;
        snprintf(name, sizeof name, "one[%s]", bld_clean_id(n1, plan->projects[p].id));
        int r;
        CKP_TRY(bld_add_row(b, name, b->forced[p] ? 1.0 : -INFINITY, 1.0,
                        CKP_ROW_ONE, &r));
        bld_set_ref(b, r, p, -1, -1);
        m->project_row[p] = r;
        for (int k = k0; k < k1; k++)
            CKP_TRY(ckp_mip_add_coef(&m->mip, r, m->starts[k].col, 1.0));
    }
    for (int u = 0; u < plan->n_upgrades; u++) {
        int k0 = m->upgrade_first[u], k1 = m->upgrade_first[u + 1];
        if (k0 == k1) continue;
        snprintf(name, sizeof name, "one_upg[%s]", bld_clean_id(n1, plan->upgrades[u].id));
        int r;
        CKP_TRY(bld_add_row(b, name, -INFINITY, 1.0, CKP_ROW_ONE_UPG, &r));
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
ckp_status bld_cap_rows(bld *b)
{
    const ckp_plan *plan = b->plan;
    ckp_model *m = b->m;
    int nf = plan->n_facilities;
    char n1[CKP_ID_MAX + 1], sx[CKP_SCEN_ID_MAX + 2], name[CKP_NAME_MAX];
    for (int sc = 0; sc < b->S; sc++) {
        bld_scen_sfx(b, sc, sx);
        for (int p = 0; p < plan->n_projects; p++) {
            const ckp_project *pr = &plan->projects[p];
            if (b->p_min_online[p] == INT_MAX || pr->committed) continue;
            bld_clean_id(n1, pr->id);
            for (int y = b->p_min_online[p] - b->first; y < b->Y; y++) {
                int r, year = b->first + y;
                double cap = pr->capacity / b->qs * export_scale(b, sc, nf + p, y);
                int idle = price_idles(b, sc, pr, y);
                snprintf(name, sizeof name, "cap[%s,%d%s]", n1, year, sx);
                CKP_TRY(bld_add_row(b, name, -INFINITY, 0.0, CKP_ROW_CAP, &r));
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

ckp_status bld_bal_rows(bld *b)
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
        bld_scen_sfx(b, s, sx);
        for (int c = 0; c < nc; c++) {
            bld_clean_id(n1, plan->commodities[c].id);
            for (int y = 0; y < b->Y; y++) {
                int *slot = &b->bal_row[cy_ix(b, s, c, y)];
                if (*slot < 0) continue;
                double D = bld_demand(b, s, c, y);
                snprintf(name, sizeof name, "bal[%s,%d%s]", n1, b->first + y, sx);
                CKP_TRY(bld_add_row(b, name, D > 0 ? D / b->qs : 0.0, INFINITY,
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
ckp_status bld_stock_rows(bld *b)
{
    const ckp_plan *plan = b->plan;
    ckp_model *m = b->m;
    char n1[CKP_ID_MAX + 1], sx[CKP_SCEN_ID_MAX + 2], name[CKP_NAME_MAX];
    for (int k = 0; k < b->nk; k++) {
        const ckp_stockpile *st = &plan->stockpiles[k];
        int w = m->stock_col[k];
        if (w < 0) continue;
        bld_clean_id(n1, st->id);
        for (int s = 0; s < b->S; s++) {
            int any = 0, r;
            bld_scen_sfx(b, s, sx);
            for (int y = 0; y < b->Y; y++) {
                int col = m->release_col[ky_ix(b, s, k, y)];
                if (col < 0) continue;
                any = 1;
                snprintf(name, sizeof name, "stock_rel[%s,%d%s]", n1, b->first + y, sx);
                CKP_TRY(bld_add_row(b, name, -INFINITY, 0.0, CKP_ROW_STOCK_RELEASE, &r));
                CKP_TRY(ckp_mip_add_coef(&m->mip, r, col, 1.0));
                CKP_TRY(ckp_mip_add_coef(&m->mip, r, w, -st->release / b->qs));
            }
            if (!any) continue;
            snprintf(name, sizeof name, "stock_tot[%s%s]", n1, sx);
            CKP_TRY(bld_add_row(b, name, -INFINITY, 0.0, CKP_ROW_STOCK_TOTAL, &r));
            for (int y = 0; y < b->Y; y++) {
                int col = m->release_col[ky_ix(b, s, k, y)];
                if (col >= 0) CKP_TRY(ckp_mip_add_coef(&m->mip, r, col, 1.0));
            }
            CKP_TRY(ckp_mip_add_coef(&m->mip, r, w, -st->tonnes / b->qs));
        }
    }
    return CKP_OK;
}
