/* build_goal.c: the model builder's objective side: the chokepoint
 * share caps (--max-share), the scenario measure (expected or worst case),
 * the exposure coefficients kept for reports, and the goal row of the
 * cheapest portfolio (docs/formulation.md sections 7-8).  Part of the model
 * builder (build.c). */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/build_int.h"
#include "util/alloc.h"

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
ckp_status bld_share_caps(bld *b)
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
            bld_scen_sfx(b, sc, sx);
            for (int i = 0; i < n;) {
                int j = i;
                while (j < n && list[j].comm == list[i].comm &&
                       list[j].country == list[i].country)
                    j++;
                int c = list[i].comm, k = list[i].country;
                bld_clean_id(n1, plan->commodities[c].id);
                bld_clean_id(n2, plan->countries[k].id);
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
                    CKP_TRY_GOTO(rc, bld_add_col(b, name, CKP_COL_CONTINUOUS, 0, INFINITY,
                                             m->cap_penalty / (R / b->qs), sc,
                                             &cp->slack_col), out);
                    snprintf(name, sizeof name, "cap_share[%s,%s,%d%s]", n1, n2,
                             b->first + y, sx);
                    CKP_TRY_GOTO(rc, bld_add_row(b, name, -INFINITY, S * R / b->qs,
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
ckp_status bld_apply_measure(bld *b)
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
    CKP_TRY_GOTO(rc, bld_add_col(b, "W", CKP_COL_CONTINUOUS, 0, INFINITY, 1.0, -1,
                             &m->worst_col), done);
    for (int s = 0; s < b->S; s++) {
        snprintf(name, sizeof name, "worst[%s]", bld_scen_sfx(b, s, sx) + 1);
        CKP_TRY_GOTO(rc, bld_add_row(b, name, -INFINITY, 0.0, CKP_ROW_WORST, &row[s]), done);
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
ckp_status bld_exposure_coefs(bld *b)
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
ckp_status bld_goal(bld *b)
{
    ckp_model *m = b->m;
    ckp_mip *mip = &m->mip;
    const ckp_plan *plan = b->plan;
    double base = m->params.target_base, T = m->params.target;
    int r;
    CKP_TRY(bld_add_row(b, "goal", -INFINITY, T * base + 1e-9 * (base > 1 ? base : 1),
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
