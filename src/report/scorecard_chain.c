/* scorecard_chain.c: the scorecard's figures per commodity and year
 * (docs/reports.md, "Scorecard"; docs/formulation.md 7j): the supply at
 * risk if the chokepoint stops exporting (final demand left unmet, from
 * ckp_result.supply_at_risk) and the local processing share of the ore
 * mined outside the chokepoint, before (no project funded) -> after (the
 * portfolio).  The table scorecard_commodities.csv, which every back end
 * renders (CSV, JSON, datapackage, text, HTML). */
#include <math.h>
#include <string.h>

#include "report/common.h"
#include "report/json.h"
#include "report/scorecard.h"

/* Merged tonnes of commodity c producer f uses per tonne of output. */
static double uses(const ckp_plan *plan, int f, int c)
{
    int nf = plan->n_facilities;
    const ckp_ratio *in = f < nf ? plan->facilities[f].inputs : plan->projects[f - nf].inputs;
    int n = f < nf ? plan->facilities[f].n_inputs : plan->projects[f - nf].n_inputs;
    double t = 0.0;
    for (int k = 0; k < n; k++)
        if (in[k].commodity.ix == c) t += in[k].per_tonne;
    return t;
}

static int is_mine(const ckp_plan *plan, int f)
{
    int nf = plan->n_facilities;
    return (f < nf ? plan->facilities[f].n_inputs : plan->projects[f - nf].n_inputs) == 0;
}

int rep_sc_mined(const ckp_plan *plan, int c)
{
    for (int f = 0; f < plan->n_facilities + plan->n_projects; f++)
        if (ckp_plan_producer_output(plan, f) == c && is_mine(plan, f)) return 1;
    return 0;
}

double rep_sc_local_processing(const ckp_result *r, int c, int y, int after)
{
    const ckp_plan *plan = r->plan;
    const double *q = after ? r->production : r->baseline_production;
    if (!q) return NAN;
    int n = after ? r->n_producers : plan->n_facilities + plan->n_projects;
    double mined = 0.0, local = 0.0;
    for (int k = 0; k < plan->n_countries; k++) {
        if (!(plan->countries[k].risk < 1.0)) continue; /* the chokepoint */
        double m = 0.0, used = 0.0;
        for (int f = 0; f < n; f++) {
            if (ckp_plan_producer_country(plan, f) != k) continue;
            double v = q[(size_t)f * r->n_years + y];
            if (!isfinite(v)) continue;
            if (ckp_plan_producer_output(plan, f) == c && is_mine(plan, f)) m += v;
            used += uses(plan, f, c) * v;
        }
        mined += m;
        local += used < m ? used : m;
    }
    return mined > 0 ? local / mined : NAN;
}

static int has_demand(const ckp_plan *plan, int c)
{
    return plan->commodities[c].n_demand > 0;
}

static double risk_at(const ckp_result *r, int c, int y, int after)
{
    size_t ncy = (size_t)r->plan->n_commodities * (size_t)r->n_years;
    return r->supply_at_risk[after * ncy + (size_t)c * r->n_years + y];
}

static void tpy(char *b, size_t n, double v)
{
    rep_cell c;
    memset(&c, 0, sizeof c);
    rep_set_num(&c, v);
    rep_cell_text(&c, REP_U_TPY, b, n);
}

int rep_sc_at_risk_words(const ckp_result *r, int y, char *b, size_t n)
{
    const ckp_plan *plan = r->plan;
    int k = 0;
    size_t at = 0;
    if (n) b[0] = '\0';
    if (!r->supply_at_risk || y < 0 || y >= r->n_years) return 0;
    for (int c = 0; c < plan->n_commodities && at < n; c++) {
        if (!has_demand(plan, c)) continue;
        char v0[48], v1[48], d[48];
        tpy(v0, sizeof v0, risk_at(r, c, y, 0));
        tpy(v1, sizeof v1, risk_at(r, c, y, 1));
        tpy(d, sizeof d, ckp_plan_demand(plan, c, plan->first_year + y));
        int w = snprintf(b + at, n - at, "%s%s %s -> %s t of %s t", k ? "; " : "",
                         plan->commodities[c].id, v0, v1, d);
        if (w < 0) break;
        at += (size_t)w;
        k++;
    }
    return k;
}

void rep_sc_json_at_risk(jw *w, const ckp_result *r, int y)
{
    const ckp_plan *plan = r->plan;
    jw_array(w, "supply_at_risk");
    for (int c = 0; r->supply_at_risk && y >= 0 && y < r->n_years && c < plan->n_commodities;
         c++) {
        if (!has_demand(plan, c)) continue;
        jw_object(w, NULL);
        jw_str(w, "commodity", plan->commodities[c].id);
        jw_num(w, "final_demand", ckp_plan_demand(plan, c, plan->first_year + y));
        jw_num(w, "before", risk_at(r, c, y, 0));
        jw_num(w, "after", risk_at(r, c, y, 1));
        jw_end_object(w);
    }
    jw_end_array(w);
}

int rep_sc_rows_commodities(const ckp_result *r, long k, rep_row *w)
{
    const ckp_plan *plan = r->plan;
    int ny = r->n_years;
    if (ny <= 0 || k >= (long)plan->n_commodities * ny) return 0;
    w->s = 0;
    w->i = (int)(k / ny);
    w->y = (int)(k % ny);
    return has_demand(plan, w->i) || rep_sc_mined(plan, w->i) ? 1 : -1;
}

static void k_commodity(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_str(c, r->plan->commodities[w->i].id);
}
static void k_year(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_int(c, r->plan->first_year + w->y);
}
static void k_demand(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_num(c, has_demand(r->plan, w->i)
                       ? ckp_plan_demand(r->plan, w->i, r->plan->first_year + w->y)
                       : NAN);
}
static void at_risk(const ckp_result *r, const rep_row *w, rep_cell *c, int after)
{
    rep_set_num(c, r->supply_at_risk && has_demand(r->plan, w->i)
                       ? risk_at(r, w->i, w->y, after)
                       : NAN);
}
static void k_risk_b(const ckp_result *r, const rep_row *w, rep_cell *c) { at_risk(r, w, c, 0); }
static void k_risk_a(const ckp_result *r, const rep_row *w, rep_cell *c) { at_risk(r, w, c, 1); }
static void k_local_b(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_num(c, rep_sc_local_processing(r, w->i, w->y, 0));
}
static void k_local_a(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_num(c, rep_sc_local_processing(r, w->i, w->y, 1));
}

const rep_column rep_sc_commodity_cols[REP_SC_COMMODITY_COLS] = {
    {"commodity", NULL, REP_U_NONE, REP_T_STR, "commodity id", k_commodity, NULL},
    {"year", NULL, REP_U_YEAR, REP_T_INT, "calendar year", k_year, NULL},
    {"final_demand", NULL, REP_U_TPY, REP_T_NUM,
     "the bloc's final demand of the commodity (empty: it has none)", k_demand, NULL},
    {"supply_at_risk_before", NULL, REP_U_TPY, REP_T_NUM,
     "final demand the model leaves unmet if every country of risk 1 stops exporting, no "
     "project funded (empty: no final demand, or no country of risk 1)", k_risk_b, NULL},
    {"supply_at_risk_after", NULL, REP_U_TPY, REP_T_NUM,
     "the same with the portfolio fixed", k_risk_a, NULL},
    {"local_processing_before", NULL, REP_U_SHARE, REP_T_NUM,
     "share of the commodity mined in countries of risk < 1 that is processed in the country "
     "that mines it (sum over countries of min(mined, used) / mined), no project funded "
     "(empty: none mined there)", k_local_b, NULL},
    {"local_processing_after", NULL, REP_U_SHARE, REP_T_NUM, "the same with the portfolio",
     k_local_a, NULL},
};
