/* build_feeds.c: commodity-specific feeds (docs/formulation.md 7i).  The
 * output of a producer with `requires-process` does not enter its
 * commodity's balance directly (build_prep.c gives it coefficient 0):
 * it reaches the balance only through flow columns v[g,h,y,s] into the
 * plants h that run its process, each at most what g makes (feed rows) and
 * together at most what h takes of the commodity (take rows).  A plant
 * that cannot take the feed has no flow column.  Part of the model builder
 * (build.c). */
#include <math.h>
#include <stdio.h>

#include "model/build_int.h"
#include "util/alloc.h"

/* Merged tonnes of commodity c that producer h uses per tonne of output
 * (minus its coefficient on c in the balance), 0 when it uses none. */
static double intake(const bld *b, int h, int c)
{
    for (int k = b->pc_first[h]; k < b->pc_first[h + 1]; k++)
        if (b->pc_comm[k] == c && b->pc_coef[k] < 0) return -b->pc_coef[k];
    return 0.0;
}

static const char *producer_id(const ckp_plan *plan, int g)
{
    int nf = plan->n_facilities;
    return g < nf ? plan->facilities[g].id : plan->projects[g - nf].id;
}

ckp_status bld_feed_cols(bld *b)
{
    const ckp_plan *plan = b->plan;
    ckp_model *m = b->m;
    char n1[CKP_ID_MAX + 1], n2[CKP_ID_MAX + 1], sx[CKP_SCEN_ID_MAX + 2];
    char name[CKP_NAME_MAX];
    int cap = 0;
    for (int s = 0; s < b->S; s++) {
        bld_scen_sfx(b, s, sx);
        for (int g = 0; g < b->n_prod; g++) {
            if (!ckp_plan_producer_feed(plan, g)) continue;
            int c = ckp_plan_producer_output(plan, g);
            bld_clean_id(n1, producer_id(plan, g));
            for (int h = 0; h < b->n_prod; h++) {
                if (!ckp_plan_feed_reaches(plan, g, h) || !(intake(b, h, c) > 0)) continue;
                bld_clean_id(n2, producer_id(plan, h));
                for (int y = 0; y < b->Y; y++) {
                    if (m->prod_col[py_ix(b, s, g, y)] < 0 ||
                        m->prod_col[py_ix(b, s, h, y)] < 0)
                        continue;
                    if (ckp_grow((void **)&m->feeds, &cap, m->n_feeds + 1, sizeof *m->feeds))
                        return CKP_ENOMEM;
                    ckp_feed_var *v = &m->feeds[m->n_feeds++];
                    v->scenario = s;
                    v->from = g;
                    v->to = h;
                    v->year = y;
                    snprintf(name, sizeof name, "v[%s,%s,%d%s]", n1, n2, b->first + y, sx);
                    CKP_TRY(bld_add_col(b, name, CKP_COL_CONTINUOUS, 0, INFINITY, 0.0, s,
                                        &v->col));
                }
            }
        }
    }
    return CKP_OK;
}

/* Flows i and j share a feed row (same scenario, producer g, year;
 * take = 0) or a take row (same scenario, plant h, commodity, year). */
static int same_row(const ckp_plan *plan, const ckp_feed_var *a, const ckp_feed_var *v,
                    int take)
{
    if (a->scenario != v->scenario || a->year != v->year) return 0;
    if (!take) return a->from == v->from;
    return a->to == v->to &&
           ckp_plan_producer_output(plan, a->from) == ckp_plan_producer_output(plan, v->from);
}

/*   feed[g,y,s]:    sum_h v[g,h,y,s] - q[g,y,s] <= 0
 *   take[h,c,y,s]:  sum_{g of c} v[g,h,y,s] - in(h,c) q[h,y,s] <= 0
 * one row per group of flows, in the order of each group's first flow;
 * a feed row also puts each flow's +1 in its commodity's balance. */
static ckp_status group_rows(bld *b, int take)
{
    const ckp_plan *plan = b->plan;
    ckp_model *m = b->m;
    char n1[CKP_ID_MAX + 1], n2[CKP_ID_MAX + 1], sx[CKP_SCEN_ID_MAX + 2];
    char name[CKP_NAME_MAX];
    for (int i = 0; i < m->n_feeds; i++) {
        const ckp_feed_var *v = &m->feeds[i];
        int seen = 0, r;
        for (int j = 0; j < i && !seen; j++) seen = same_row(plan, &m->feeds[j], v, take);
        if (seen) continue;
        int c = ckp_plan_producer_output(plan, v->from), s = v->scenario, y = v->year;
        int owner = take ? v->to : v->from;
        bld_scen_sfx(b, s, sx);
        bld_clean_id(n1, producer_id(plan, owner));
        bld_clean_id(n2, plan->commodities[c].id);
        if (take)
            snprintf(name, sizeof name, "take[%s,%s,%d%s]", n1, n2, b->first + y, sx);
        else
            snprintf(name, sizeof name, "feed[%s,%d%s]", n1, b->first + y, sx);
        CKP_TRY(bld_add_row(b, name, -INFINITY, 0.0, take ? CKP_ROW_TAKE : CKP_ROW_FEED, &r));
        for (int j = i; j < m->n_feeds; j++) {
            if (!same_row(plan, &m->feeds[j], v, take)) continue;
            CKP_TRY(ckp_mip_add_coef(&m->mip, r, m->feeds[j].col, 1.0));
            if (!take)
                CKP_TRY(ckp_mip_add_coef(&m->mip, b->bal_row[cy_ix(b, s, c, y)],
                                         m->feeds[j].col, 1.0));
        }
        double a = take ? intake(b, owner, c) : 1.0;
        CKP_TRY(ckp_mip_add_coef(&m->mip, r, m->prod_col[py_ix(b, s, owner, y)], -a));
    }
    return CKP_OK;
}

ckp_status bld_feed_rows(bld *b)
{
    CKP_TRY(group_rows(b, 0));
    return group_rows(b, 1);
}
