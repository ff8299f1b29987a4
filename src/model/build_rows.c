/* build_rows.c: the model builder's linking rows across projects:
 * infrastructure at each (site, resource), the budget per year and in
 * total, requires / excludes pairs, a fixed portfolio (evaluate), and the
 * min-max rows (docs/formulation.md sections 5-7).  Part of the model
 * builder (build.c). */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ckp/terms.h"
#include "model/build_int.h"
#include "util/alloc.h"

/* One (site, resource) entry: a project's need or an upgrade's amount. */
typedef struct infra_ent {
    int key;     /* site * n_resources + resource */
    int who;     /* project or upgrade index */
    int upgrade; /* 0 = project need, 1 = upgrade */
    double amount;
} infra_ent;

ckp_status bld_infra_rows(bld *b)
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
        bld_clean_id(n1, plan->sites[site].id);
        bld_clean_id(n2, plan->resources[res].id);
        for (int year = y_first; year <= b->last; year++) {
            int r;
            double avail = existing; /* less what committed projects draw */
            for (int i = first[key]; i < w; i++)
                if (!sorted[i].upgrade && plan->projects[sorted[i].who].committed &&
                    b->p_min_online[sorted[i].who] <= year)
                    avail -= sorted[i].amount;
            snprintf(name, sizeof name, "infra[%s,%s,%d]", n1, n2, year);
            CKP_TRY_GOTO(rc, bld_add_row(b, name, -INFINITY, avail, CKP_ROW_INFRA, &r),
                         done);
            bld_set_ref(b, r, site, res, year);
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

ckp_status bld_budget_rows(bld *b)
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
        CKP_TRY_GOTO(rc, bld_add_row(b, name, -INFINITY, limit[y], CKP_ROW_BUDGET_YEAR,
                                 &m->budget_year_row[y]), done);
    }
    m->budget_total_row = -1;
    if (isfinite(m->budget_total))
        CKP_TRY_GOTO(rc, bld_add_row(b, "budget_total", -INFINITY,
                                 m->budget_total / CKP_MONEY_SCALE,
                                 CKP_ROW_BUDGET_TOTAL, &m->budget_total_row), done);
    /* Per column: each schedule entry lands in a distinct year.  Under
       another measure than commitment the figures come from the terms
       (build_finance.c); spent money is never outstanding. */
    ckp_fin_measure fm = plan->budget.measure;
    for (int k = 0; k < m->n_starts; k++) {
        const ckp_start_var *s = &m->starts[k];
        const ckp_option *op = &plan->projects[s->project].options[s->option];
        if (fm != CKP_FIN_COMMITMENT)
            CKP_TRY_GOTO(rc, bld_fin_option_coefs(b, s, fm, m->budget_year_row,
                                                  m->budget_total_row), done);
        else
            CKP_TRY_GOTO(rc, add_spend(b, s->col, s->start, op->commitment,
                                       op->schedule, op->n_schedule), done);
    }
    if (ckp_fin_measure_is_stock(fm)) goto done;
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
ckp_status bld_pair_rows(bld *b, int excl)
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
                 bld_clean_id(n1, plan->projects[p].id), bld_clean_id(n2, plan->projects[q].id));
        int any_committed = plan->projects[p].committed || plan->projects[q].committed;
        CKP_TRY_GOTO(rc, bld_add_row(b, name, -INFINITY, excl && !any_committed ? 1.0 : 0.0,
                                 excl ? CKP_ROW_EXCLUDES : CKP_ROW_REQUIRES, &r), done);
        bld_set_ref(b, r, p, q, -1);
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
ckp_status bld_fix_portfolio(bld *b)
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
            CKP_TRY(bld_err(b, plan->projects[p].line, "fixed-portfolio",
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
            CKP_TRY(bld_err(b, plan->upgrades[u].line, "fixed-portfolio",
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
            CKP_TRY(bld_err(b, plan->stockpiles[k].line, "fixed-portfolio",
                             "stockpile '%s' cannot be bought (year outside the horizon)",
                             plan->stockpiles[k].id));
            rc = CKP_EUSAGE;
        }
    }
    return rc;
}

/* min-max: m[y,s] >= w_c * share_s(c, y) for every commodity with R > 0. */
ckp_status bld_minmax(bld *b)
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
        bld_scen_sfx(b, s, sx);
        for (int y = 0; y < b->Y; y++) {
            snprintf(name, sizeof name, "m[%d%s]", b->first + y, sx);
            CKP_TRY_GOTO(rc, bld_add_col(b, name, CKP_COL_CONTINUOUS, 0, INFINITY, 1.0, s,
                                     &mcol[y]), done);
        }
        for (int c = 0; c < nc; c++) {
            bld_clean_id(n1, plan->commodities[c].id);
            for (int y = 0; y < b->Y; y++) {
                double R = m->requirement[cy_ix(b, s, c, y)];
                row[c * b->Y + y] = -1;
                if (!(R > 0) || !(plan->commodities[c].weight > 0)) continue;
                snprintf(name, sizeof name, "mm[%s,%d%s]", n1, b->first + y, sx);
                CKP_TRY_GOTO(rc, bld_add_row(b, name, -INFINITY, 0.0, CKP_ROW_MINMAX,
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
