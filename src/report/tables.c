/* tables.c: the per-row tables of a result (see figures.h), one
 * rep_table_def per CSV file of the --out directory: which rows it has,
 * and per column its key, unit, meaning and getter.  The CSV writer
 * (figures.c rep_csv_table), datapackage.json and docs/cli.md read these
 * descriptions; a new column is one line here. */
#include "report/figures.h"

#include <math.h>
#include <string.h>

#include "report/common.h"
#include "report/finance.h"
#include "report/scorecard.h"

#define ROWS(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- lookups ---- */

static int project_country_ix(const ckp_plan *plan, int p)
{
    const ckp_project *pr = &plan->projects[p];
    if (pr->country.ix >= 0 && pr->country.ix < plan->n_countries) return pr->country.ix;
    if (pr->site.ix >= 0 && pr->site.ix < plan->n_sites) {
        int c = plan->sites[pr->site.ix].country.ix;
        if (c >= 0 && c < plan->n_countries) return c;
    }
    return -1;
}

static int producer_country_ix(const ckp_plan *plan, int i)
{
    if (i < plan->n_facilities) return plan->facilities[i].country.ix;
    return project_country_ix(plan, i - plan->n_facilities);
}

static const char *country_id(const ckp_plan *plan, int k)
{
    return k >= 0 && k < plan->n_countries ? plan->countries[k].id : NULL;
}

static const char *commodity_id(const ckp_plan *plan, int c)
{
    return c >= 0 && c < plan->n_commodities ? plan->commodities[c].id : NULL;
}

static const char *commodity_stage(const ckp_plan *plan, int c)
{
    if (c < 0 || c >= plan->n_commodities) return NULL;
    const ckp_commodity *k = &plan->commodities[c];
    int s = k->stage.ix;
    return s >= 0 && s < plan->n_stages ? plan->stages[s].id : k->stage.id;
}

static int year_of(const ckp_result *r, const rep_row *w) { return r->plan->first_year + w->y; }

/* Split k into item and year over n items; 0 past the end. */
static int item_year(const ckp_result *r, long k, int n, rep_row *w)
{
    int ny = r->n_years;
    if (ny <= 0 || k >= (long)n * ny) return 0;
    w->s = 0;
    w->i = (int)(k / ny);
    w->y = (int)(k % ny);
    return 1;
}

static int always(const ckp_result *r) { (void)r; return 1; }

/* ---- portfolio.csv: one row per funded project ---- */

static int rows_picks(const ckp_result *r, long k, rep_row *w)
{
    if (k >= r->n_picks) return 0;
    w->s = 0;
    w->i = (int)k;
    w->y = 0;
    return 1;
}

static const ckp_pick *pk(const ckp_result *r, const rep_row *w) { return &r->picks[w->i]; }
static const ckp_project *pp(const ckp_result *r, const rep_row *w)
{
    return &r->plan->projects[pk(r, w)->project];
}
static const ckp_option *po(const ckp_result *r, const rep_row *w)
{
    return &pp(r, w)->options[pk(r, w)->option];
}

static void p_id(const ckp_result *r, const rep_row *w, rep_cell *c) { rep_set_str(c, pp(r, w)->id); }
static void p_name(const ckp_result *r, const rep_row *w, rep_cell *c) { rep_set_str(c, pp(r, w)->name); }
static void p_stage(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_str(c, rep_project_stage(r->plan, pk(r, w)->project));
}
static void p_country(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_str(c, rep_project_country(r->plan, pk(r, w)->project));
}
static void p_country_name(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_str(c, rep_country_name(r->plan, project_country_ix(r->plan, pk(r, w)->project)));
}
static void p_option(const ckp_result *r, const rep_row *w, rep_cell *c) { rep_set_str(c, po(r, w)->id); }
static void p_instrument(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_str(c, ckp_instrument_str(po(r, w)->instrument));
}
static void p_start(const ckp_result *r, const rep_row *w, rep_cell *c) { rep_set_int(c, pk(r, w)->start); }
static void p_online(const ckp_result *r, const rep_row *w, rep_cell *c) { rep_set_int(c, pk(r, w)->online); }
static void p_capacity(const ckp_result *r, const rep_row *w, rep_cell *c) { rep_set_num(c, pp(r, w)->capacity); }
static void p_commit(const ckp_result *r, const rep_row *w, rep_cell *c) { rep_set_num(c, pk(r, w)->commitment); }
static void p_capex(const ckp_result *r, const rep_row *w, rep_cell *c) { rep_set_num(c, pk(r, w)->capex); }
static double p_cofin(const ckp_result *r, const rep_row *w, ckp_cofinancier_type t)
{
    double by[CKP_COFIN_TYPES];
    ckp_plan_cofinance(r->plan, pk(r, w)->project, pk(r, w)->option, by, NULL);
    return by[t];
}
static void p_private(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_num(c, p_cofin(r, w, CKP_COFIN_PRIVATE));
}
static void p_public(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_num(c, p_cofin(r, w, CKP_COFIN_PUBLIC));
}
static void p_multi(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_num(c, p_cofin(r, w, CKP_COFIN_MULTILATERAL));
}
static void p_source(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_str(c, po(r, w)->source ? po(r, w)->source : pp(r, w)->source);
}

static const rep_column portfolio_cols[] = {
    {"project", NULL, REP_U_NONE, REP_T_STR, "project id in the plan", p_id, NULL},
    {"name", NULL, REP_U_NONE, REP_T_STR, "project name", p_name, NULL},
    {"stage", NULL, REP_U_NONE, REP_T_STR, "stage of the chain it adds capacity to", p_stage, NULL},
    {"country", NULL, REP_U_NONE, REP_T_STR, "country id (the project's, else its site's)",
     p_country, NULL},
    {"country_name", NULL, REP_U_NONE, REP_T_STR, "country name from the plan", p_country_name, NULL},
    {"option", NULL, REP_U_NONE, REP_T_STR, "financing option chosen", p_option, NULL},
    {"instrument", NULL, REP_U_NONE, REP_T_STR,
     "instrument of the option: loan, guarantee, equity, offtake, price-floor or grant",
     p_instrument, NULL},
    {"start", NULL, REP_U_YEAR, REP_T_INT, "year the bank funds it and construction starts",
     p_start, NULL},
    {"online", NULL, REP_U_YEAR, REP_T_INT, "first producing year", p_online, NULL},
    {"capacity", NULL, REP_U_TPY, REP_T_NUM, "nameplate capacity of its output", p_capacity, NULL},
    {"commitment", NULL, REP_U_MONEY, REP_T_NUM, "bank money committed under the option",
     p_commit, NULL},
    {"capex", NULL, REP_U_MONEY, REP_T_NUM, "total capital cost of the project", p_capex, NULL},
    {"private_capital", NULL, REP_U_MONEY, REP_T_NUM,
     "private co-finance (private capital mobilised; docs/finance.md)", p_private, NULL},
    {"public_cofinance", NULL, REP_U_MONEY, REP_T_NUM, "public co-finance", p_public, NULL},
    {"multilateral_cofinance", NULL, REP_U_MONEY, REP_T_NUM, "multilateral co-finance",
     p_multi, NULL},
    {"source", NULL, REP_U_NONE, REP_T_STR, "provenance of the option's figures (else the project's)",
     p_source, NULL},
};

/* ---- production.csv: existing facilities and funded projects x year ---- */

static int reported_producer(const ckp_result *r, int i)
{
    int nf = r->plan->n_facilities;
    if (i < nf) return 1;
    for (int k = 0; k < r->n_picks; k++)
        if (r->picks[k].project == i - nf) return 1;
    return 0;
}

static int rows_producers(const ckp_result *r, long k, rep_row *w)
{
    if (!item_year(r, k, r->plan->n_facilities + r->plan->n_projects, w)) return 0;
    return reported_producer(r, w->i) ? 1 : -1;
}

static void q_id(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_str(c, rep_producer_id(r->plan, w->i));
}
static void q_kind(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_str(c, w->i < r->plan->n_facilities ? "existing" : "project");
}
static void q_country(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_str(c, rep_producer_country(r->plan, w->i));
}
static void q_country_name(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_str(c, rep_country_name(r->plan, producer_country_ix(r->plan, w->i)));
}
static void q_commodity(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    const char *id = commodity_id(r->plan, rep_producer_output(r->plan, w->i));
    rep_set_str(c, id ? id : "?");
}
static void q_year(const ckp_result *r, const rep_row *w, rep_cell *c) { rep_set_int(c, year_of(r, w)); }
static void q_tonnes(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_num(c, w->i < r->n_producers ? rep_at(r->production, w->i * r->n_years + w->y) : NAN);
}

static const rep_column production_cols[] = {
    {"producer", NULL, REP_U_NONE, REP_T_STR, "facility or project id", q_id, NULL},
    {"kind", NULL, REP_U_NONE, REP_T_STR, "existing (facility) or project (funded)", q_kind, NULL},
    {"country", NULL, REP_U_NONE, REP_T_STR, "country id", q_country, NULL},
    {"country_name", NULL, REP_U_NONE, REP_T_STR, "country name from the plan", q_country_name, NULL},
    {"commodity", NULL, REP_U_NONE, REP_T_STR, "commodity produced", q_commodity, NULL},
    {"year", NULL, REP_U_YEAR, REP_T_INT, "calendar year", q_year, NULL},
    {"production", NULL, REP_U_TPY, REP_T_NUM,
     "output with the portfolio (probability-weighted over the scenarios)", q_tonnes, NULL},
};

/* ---- exposure.csv: commodity x year ---- */

static int rows_commodities(const ckp_result *r, long k, rep_row *w)
{
    return item_year(r, k, r->plan->n_commodities, w);
}

static int cy(const ckp_result *r, const rep_row *w) { return w->i * r->n_years + w->y; }
static int has_req(const ckp_result *r, const rep_row *w)
{
    double q = rep_at(r->requirement, cy(r, w));
    return isfinite(q) && q > 0;
}
static void e_commodity(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_str(c, commodity_id(r->plan, w->i));
}
static void e_stage(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_str(c, commodity_stage(r->plan, w->i));
}
static void e_req(const ckp_result *r, const rep_row *w, rep_cell *c) { rep_set_num(c, rep_at(r->requirement, cy(r, w))); }
static void e_bshare(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_num(c, has_req(r, w) ? rep_at(r->baseline_exposure, cy(r, w)) : NAN);
}
static void e_pshare(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_num(c, has_req(r, w) ? rep_at(r->exposure, cy(r, w)) : NAN);
}
static void e_bshort(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_num(c, rep_at(r->baseline_shortage, cy(r, w)));
}
static void e_short(const ckp_result *r, const rep_row *w, rep_cell *c) { rep_set_num(c, rep_at(r->shortage, cy(r, w))); }

static const rep_column exposure_cols[] = {
    {"commodity", NULL, REP_U_NONE, REP_T_STR, "commodity id", e_commodity, NULL},
    {"stage", NULL, REP_U_NONE, REP_T_STR, "its stage", e_stage, NULL},
    {"year", NULL, REP_U_YEAR, REP_T_INT, "calendar year", q_year, NULL},
    {"requirement", NULL, REP_U_TPY, REP_T_NUM,
     "the bloc's requirement of the commodity (final demand or what downstream needs)", e_req, NULL},
    {"baseline_share", NULL, REP_U_SHARE, REP_T_NUM,
     "chokepoint share of the requirement with no project funded", e_bshare, NULL},
    {"portfolio_share", NULL, REP_U_SHARE, REP_T_NUM,
     "chokepoint share of the requirement with the portfolio", e_pshare, NULL},
    {"baseline_shortage", NULL, REP_U_TPY, REP_T_NUM, "requirement not met, no project funded",
     e_bshort, NULL},
    {"shortage", NULL, REP_U_TPY, REP_T_NUM, "requirement not met with the portfolio", e_short, NULL},
};

/* ---- concentration.csv: stage x year ---- */

static int rows_stages(const ckp_result *r, long k, rep_row *w)
{
    return item_year(r, k, r->plan->n_stages, w);
}

static int sy(const ckp_result *r, const rep_row *w) { return w->i * r->n_years + w->y; }
static int top(const int *a, int i) { return a ? a[i] : -1; }
static void c_stage(const ckp_result *r, const rep_row *w, rep_cell *c) { rep_set_str(c, r->plan->stages[w->i].id); }
static void c_btop(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_str(c, country_id(r->plan, top(r->stage_top_country_baseline, sy(r, w))));
}
static void c_btop_name(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_str(c, rep_country_name(r->plan, top(r->stage_top_country_baseline, sy(r, w))));
}
static void c_bshare(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_num(c, rep_at(r->stage_top_share_baseline, sy(r, w)));
}
static void c_bhhi(const ckp_result *r, const rep_row *w, rep_cell *c) { rep_set_num(c, rep_at(r->stage_hhi_baseline, sy(r, w))); }
static void c_ptop(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_str(c, country_id(r->plan, top(r->stage_top_country, sy(r, w))));
}
static void c_ptop_name(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_str(c, rep_country_name(r->plan, top(r->stage_top_country, sy(r, w))));
}
static void c_pshare(const ckp_result *r, const rep_row *w, rep_cell *c) { rep_set_num(c, rep_at(r->stage_top_share, sy(r, w))); }
static void c_phhi(const ckp_result *r, const rep_row *w, rep_cell *c) { rep_set_num(c, rep_at(r->stage_hhi, sy(r, w))); }

static const rep_column concentration_cols[] = {
    {"stage", NULL, REP_U_NONE, REP_T_STR, "stage id", c_stage, NULL},
    {"year", NULL, REP_U_YEAR, REP_T_INT, "calendar year", q_year, NULL},
    {"baseline_top_country", NULL, REP_U_NONE, REP_T_STR,
     "largest single supplier country of the stage, no project funded", c_btop, NULL},
    {"baseline_top_country_name", NULL, REP_U_NONE, REP_T_STR, "its name", c_btop_name, NULL},
    {"baseline_top_share", NULL, REP_U_SHARE, REP_T_NUM, "its share of the stage's supply",
     c_bshare, NULL},
    {"baseline_hhi", NULL, REP_U_HHI, REP_T_NUM,
     "sum of (100 x country share)^2 over supplier countries, no project funded", c_bhhi, NULL},
    {"portfolio_top_country", NULL, REP_U_NONE, REP_T_STR,
     "largest single supplier country of the stage, with the portfolio", c_ptop, NULL},
    {"portfolio_top_country_name", NULL, REP_U_NONE, REP_T_STR, "its name", c_ptop_name, NULL},
    {"portfolio_top_share", NULL, REP_U_SHARE, REP_T_NUM, "its share of the stage's supply",
     c_pshare, NULL},
    {"portfolio_hhi", NULL, REP_U_HHI, REP_T_NUM, "the same index with the portfolio", c_phhi, NULL},
};

/* ---- policy.csv: every --max-share cap row ---- */

static int rows_caps(const ckp_result *r, long k, rep_row *w)
{
    if (!r->caps || k >= r->n_caps) return 0;
    w->s = r->caps[k].scenario;
    w->i = (int)k;
    w->y = 0;
    return 1;
}

static const ckp_cap_check *ck(const ckp_result *r, const rep_row *w) { return &r->caps[w->i]; }
static void k_scenario(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_str(c, rep_scenario_id(r, w->s));
}
static void k_stage(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_str(c, commodity_stage(r->plan, ck(r, w)->commodity));
}
static void k_commodity(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_str(c, commodity_id(r->plan, ck(r, w)->commodity));
}
static void k_country(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_str(c, country_id(r->plan, ck(r, w)->country));
}
static void k_country_name(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_str(c, rep_country_name(r->plan, ck(r, w)->country));
}
static void k_year(const ckp_result *r, const rep_row *w, rep_cell *c) { rep_set_int(c, ck(r, w)->year); }
static void k_share(const ckp_result *r, const rep_row *w, rep_cell *c) { rep_set_num(c, ck(r, w)->share); }
static void k_cap(const ckp_result *r, const rep_row *w, rep_cell *c) { (void)w; rep_set_num(c, r->max_share); }
static void k_missed(const ckp_result *r, const rep_row *w, rep_cell *c) { rep_set_num(c, ck(r, w)->missed); }
static void k_tonnes(const ckp_result *r, const rep_row *w, rep_cell *c) { rep_set_num(c, ck(r, w)->tonnes); }

static const rep_column policy_cols[] = {
    {"scenario", NULL, REP_U_NONE, REP_T_STR, "scenario id (only when the plan's scenarios were solved)",
     k_scenario, rep_has_scenarios},
    {"stage", NULL, REP_U_NONE, REP_T_STR, "stage capped", k_stage, NULL},
    {"commodity", NULL, REP_U_NONE, REP_T_STR, "commodity capped", k_commodity, NULL},
    {"country", NULL, REP_U_NONE, REP_T_STR, "third country (risk > 0)", k_country, NULL},
    {"country_name", NULL, REP_U_NONE, REP_T_STR, "its name", k_country_name, NULL},
    {"year", NULL, REP_U_YEAR, REP_T_INT, "calendar year", k_year, NULL},
    {"share", NULL, REP_U_SHARE, REP_T_NUM, "the country's production / requirement", k_share, NULL},
    {"cap", NULL, REP_U_SHARE, REP_T_NUM, "the policy cap: the most any one third country may supply of a stage", k_cap, NULL},
    {"missed_by", NULL, REP_U_SHARE, REP_T_NUM, "share above the cap (0 = met)", k_missed, NULL},
    {"missed", NULL, REP_U_TPY, REP_T_NUM, "tonnes above the cap", k_tonnes, NULL},
};

/* ---- scenarios.csv: scenario x stage x year ---- */

static int rows_scen_stages(const ckp_result *r, long k, rep_row *w)
{
    int ns = r->plan->n_stages;
    int ny = r->n_years;
    long per = (long)ns * ny;
    if (per <= 0 || k >= per * rep_n_scen(r)) return 0;
    w->s = (int)(k / per);
    w->i = (int)(k % per / ny);
    w->y = (int)(k % ny);
    return 1;
}

static double stage_shortage(const ckp_result *r, const double *a, const rep_row *w)
{
    if (!a) return NAN;
    const ckp_plan *plan = r->plan;
    int nc = plan->n_commodities;
    double sum = 0;
    for (int c = 0; c < nc; c++)
        if (plan->commodities[c].stage.ix == w->i)
            sum += rep_scen_at(a, w->s, nc, c, r->n_years, w->y);
    return sum;
}

static void s_scenario(const ckp_result *r, const rep_row *w, rep_cell *c) { rep_set_str(c, rep_scenario_id(r, w->s)); }
static void s_prob(const ckp_result *r, const rep_row *w, rep_cell *c) { rep_set_num(c, rep_at(r->scenario_prob, w->s)); }
static void s_bshare(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_num(c, rep_scen_at(r->scen_stage_baseline, w->s, r->plan->n_stages, w->i, r->n_years, w->y));
}
static void s_pshare(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_num(c, rep_scen_at(r->scen_stage_exposure, w->s, r->plan->n_stages, w->i, r->n_years, w->y));
}
static void s_bshort(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_num(c, stage_shortage(r, r->scen_baseline_shortage, w));
}
static void s_short(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_num(c, stage_shortage(r, r->scen_shortage, w));
}

static const rep_column scenarios_cols[] = {
    {"scenario", NULL, REP_U_NONE, REP_T_STR, "scenario id", s_scenario, NULL},
    {"probability", NULL, REP_U_NONE, REP_T_NUM, "its probability (fraction)", s_prob, NULL},
    {"stage", NULL, REP_U_NONE, REP_T_STR, "stage id", c_stage, NULL},
    {"year", NULL, REP_U_YEAR, REP_T_INT, "calendar year", q_year, NULL},
    {"baseline_share", NULL, REP_U_SHARE, REP_T_NUM,
     "chokepoint share of the stage's requirement in the scenario, no project funded", s_bshare, NULL},
    {"portfolio_share", NULL, REP_U_SHARE, REP_T_NUM,
     "the same with the portfolio", s_pshare, NULL},
    {"baseline_shortage", NULL, REP_U_TPY, REP_T_NUM,
     "requirement of the stage's commodities not met, no project funded", s_bshort, NULL},
    {"shortage", NULL, REP_U_TPY, REP_T_NUM, "the same with the portfolio", s_short, NULL},
};

/* ---- idle.csv: one row per idle funded project-year ---- */

static int rows_idle(const ckp_result *r, long k, rep_row *w)
{
    if (!r->idle || k >= r->n_idle) return 0;
    w->s = r->idle[k].scenario;
    w->i = (int)k;
    w->y = 0;
    return 1;
}

static const ckp_idle *ie(const ckp_result *r, const rep_row *w) { return &r->idle[w->i]; }
static void i_project(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_str(c, r->plan->projects[ie(r, w)->project].id);
}
static void i_year(const ckp_result *r, const rep_row *w, rep_cell *c) { rep_set_int(c, ie(r, w)->year); }
static void i_reason(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_str(c, ckp_idle_reason_str(ie(r, w)->reason));
}
static void i_commodity(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_str(c, commodity_id(r->plan, ie(r, w)->commodity));
}
static void i_country(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_str(c, country_id(r->plan, ie(r, w)->country));
}
static void i_country_name(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_str(c, rep_country_name(r->plan, ie(r, w)->country));
}
static void i_price(const ckp_result *r, const rep_row *w, rep_cell *c) { rep_set_num(c, ie(r, w)->price); }
static void i_breakeven(const ckp_result *r, const rep_row *w, rep_cell *c) { rep_set_num(c, ie(r, w)->breakeven); }
static void i_capacity(const ckp_result *r, const rep_row *w, rep_cell *c) { rep_set_num(c, ie(r, w)->capacity); }
static void i_produced(const ckp_result *r, const rep_row *w, rep_cell *c) { rep_set_num(c, ie(r, w)->produced); }

static const rep_column idle_cols[] = {
    {"scenario", NULL, REP_U_NONE, REP_T_STR, "scenario id", s_scenario, NULL},
    {"project", NULL, REP_U_NONE, REP_T_STR, "funded project idle that year", i_project, NULL},
    {"year", NULL, REP_U_YEAR, REP_T_INT, "calendar year", i_year, NULL},
    {"reason", NULL, REP_U_NONE, REP_T_STR,
     "price, export-restriction-upstream, export-restriction, input-short or not-needed",
     i_reason, NULL},
    {"commodity", NULL, REP_U_NONE, REP_T_STR,
     "price: the priced commodity; export restriction upstream: the restricted input; "
     "input-short: the short input", i_commodity, NULL},
    {"country", NULL, REP_U_NONE, REP_T_STR, "the restricting country (export reasons)",
     i_country, NULL},
    {"country_name", NULL, REP_U_NONE, REP_T_STR, "its name", i_country_name, NULL},
    {"price", NULL, REP_U_PRICE, REP_T_NUM, "the scenario's price (reason price)", i_price, NULL},
    {"breakeven", NULL, REP_U_PRICE, REP_T_NUM, "the project's breakeven (reason price)",
     i_breakeven, NULL},
    {"capacity", NULL, REP_U_TPY, REP_T_NUM, "what it could have made that year", i_capacity, NULL},
    {"produced", NULL, REP_U_TPY, REP_T_NUM, "what it made", i_produced, NULL},
};

/* ---- stockpiles.csv: stockpile bought x scenario x year ---- */

static int rows_stock(const ckp_result *r, long k, rep_row *w)
{
    int ny = r->n_years;
    long per = (long)rep_n_scen(r) * ny;
    if (per <= 0 || k >= per * r->n_stockpile_picks) return 0;
    w->i = (int)(k / per);
    w->s = (int)(k % per / ny);
    w->y = (int)(k % ny);
    return 1;
}

static const ckp_stockpile_pick *sk(const ckp_result *r, const rep_row *w)
{
    return &r->stockpile_picks[w->i];
}
static const ckp_stockpile *spd(const ckp_result *r, const rep_row *w)
{
    return &r->plan->stockpiles[sk(r, w)->stockpile];
}
static void t_id(const ckp_result *r, const rep_row *w, rep_cell *c) { rep_set_str(c, spd(r, w)->id); }
static void t_name(const ckp_result *r, const rep_row *w, rep_cell *c) { rep_set_str(c, spd(r, w)->name); }
static void t_commodity(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_str(c, spd(r, w)->commodity.id);
}
static void t_bought(const ckp_result *r, const rep_row *w, rep_cell *c) { rep_set_int(c, sk(r, w)->year); }
static void t_cost(const ckp_result *r, const rep_row *w, rep_cell *c) { rep_set_num(c, sk(r, w)->cost); }
static void t_stock(const ckp_result *r, const rep_row *w, rep_cell *c) { rep_set_num(c, spd(r, w)->tonnes); }
static void t_limit(const ckp_result *r, const rep_row *w, rep_cell *c) { rep_set_num(c, spd(r, w)->release); }
static void t_released(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_num(c, rep_scen_at(r->release, w->s, r->plan->n_stockpiles, sk(r, w)->stockpile,
                               r->n_years, w->y));
}

static const rep_column stockpile_cols[] = {
    {"stockpile", NULL, REP_U_NONE, REP_T_STR, "stockpile id", t_id, NULL},
    {"name", NULL, REP_U_NONE, REP_T_STR, "its name", t_name, NULL},
    {"commodity", NULL, REP_U_NONE, REP_T_STR, "commodity held", t_commodity, NULL},
    {"bought", NULL, REP_U_YEAR, REP_T_INT, "year bought, filled and available from", t_bought, NULL},
    {"cost", NULL, REP_U_MONEY, REP_T_NUM, "bank money paid in that year", t_cost, NULL},
    {"stock", NULL, REP_U_TONNES, REP_T_NUM, "tonnes held once filled", t_stock, NULL},
    {"release_limit", NULL, REP_U_TPY, REP_T_NUM, "most it can release in a year", t_limit, NULL},
    {"scenario", NULL, REP_U_NONE, REP_T_STR, "scenario id (empty without scenarios)", s_scenario, NULL},
    {"year", NULL, REP_U_YEAR, REP_T_INT, "calendar year", q_year, NULL},
    {"released", NULL, REP_U_TPY, REP_T_NUM, "tonnes released that year in the scenario",
     t_released, NULL},
};

/* ---- scorecard.csv: stage x year, before -> after (scorecard.c) ---- */

static int cap_on(const ckp_result *r) { return isfinite(r->max_share) && r->max_share > 0; }
static void k_cap_b(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_num(c, rep_sc_capacity(r, w->i, -1, w->y, 0));
}
static void k_cap_a(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_num(c, rep_sc_capacity(r, w->i, -1, w->y, 1));
}
static void k_off_b(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    (void)r, (void)w;
    rep_set_num(c, 0.0); /* nothing is funded before */
}
static void k_off_a(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_num(c, rep_sc_offtake(r, w->i, w->y));
}
static void k_offs_b(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    double R = rep_sc_requirement(r, w->i, w->y);
    rep_set_num(c, R > 0 ? 0.0 : NAN);
}
static void k_offs_a(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    double R = rep_sc_requirement(r, w->i, w->y);
    rep_set_num(c, R > 0 ? rep_sc_offtake(r, w->i, w->y) / R : NAN);
}
static void k_third_b(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_num(c, rep_sc_third_share(r, w->i, w->y, 0, NULL));
}
static void k_third_a(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_num(c, rep_sc_third_share(r, w->i, w->y, 1, NULL));
}
static void k_third_c_b(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    int k;
    rep_sc_third_share(r, w->i, w->y, 0, &k);
    rep_set_str(c, country_id(r->plan, k));
}
static void k_third_c_a(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    int k;
    rep_sc_third_share(r, w->i, w->y, 1, &k);
    rep_set_str(c, country_id(r->plan, k));
}
static void above(const ckp_result *r, double s, rep_cell *c)
{
    if (isnan(s)) rep_set_str(c, NULL);
    else rep_set_bool(c, s > r->max_share + 1e-9);
}
static void k_above_b(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    above(r, rep_sc_third_share(r, w->i, w->y, 0, NULL), c);
}
static void k_above_a(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    above(r, rep_sc_third_share(r, w->i, w->y, 1, NULL), c);
}

static const rep_column rep_scorecard_cols[] = {
    {"stage", NULL, REP_U_NONE, REP_T_STR, "stage id", c_stage, NULL},
    {"year", NULL, REP_U_YEAR, REP_T_INT, "calendar year", q_year, NULL},
    {"capacity_outside_before", NULL, REP_U_TPY, REP_T_NUM,
     "capacity of the stage in countries of risk < 1 (facilities x available share, committed "
     "projects x ramp), no project funded", k_cap_b, NULL},
    {"capacity_outside_after", NULL, REP_U_TPY, REP_T_NUM,
     "the same with the funded projects (x ramp from their online year)", k_cap_a, NULL},
    {"offtake_before", NULL, REP_U_TPY, REP_T_NUM,
     "output under the bank's offtake or price-floor options, no project funded (0)",
     k_off_b, NULL},
    {"offtake_after", NULL, REP_U_TPY, REP_T_NUM,
     "output of the funded projects under an offtake or price-floor option", k_off_a, NULL},
    {"offtake_share_before", NULL, REP_U_SHARE, REP_T_NUM,
     "offtake_before / the bloc's requirement of the stage", k_offs_b, NULL},
    {"offtake_share_after", NULL, REP_U_SHARE, REP_T_NUM,
     "offtake_after / the bloc's requirement of the stage", k_offs_a, NULL},
    {"top_share_before", NULL, REP_U_SHARE, REP_T_NUM,
     "largest single-country share of the stage's production, no project funded", c_bshare,
     NULL},
    {"top_share_after", NULL, REP_U_SHARE, REP_T_NUM, "the same with the portfolio", c_pshare,
     NULL},
    {"hhi_before", NULL, REP_U_HHI, REP_T_NUM,
     "sum of (100 x country share)^2 over producing countries, no project funded", c_bhhi,
     NULL},
    {"hhi_after", NULL, REP_U_HHI, REP_T_NUM, "the same with the portfolio", c_phhi, NULL},
    {"third_country_before", NULL, REP_U_NONE, REP_T_STR,
     "country outside the bloc (risk > 0) with the largest share, no project funded",
     k_third_c_b, NULL},
    {"third_country_after", NULL, REP_U_NONE, REP_T_STR, "the same with the portfolio",
     k_third_c_a, NULL},
    {"third_share_before", NULL, REP_U_SHARE, REP_T_NUM,
     "its share of the stage's production, no project funded", k_third_b, NULL},
    {"third_share_after", NULL, REP_U_SHARE, REP_T_NUM, "the same with the portfolio",
     k_third_a, NULL},
    {"above_cap_before", NULL, REP_U_NONE, REP_T_BOOL,
     "third_share_before above the policy cap (only with a cap)", k_above_b, cap_on},
    {"above_cap_after", NULL, REP_U_NONE, REP_T_BOOL,
     "third_share_after above the policy cap (only with a cap)", k_above_a, cap_on},
};

/* ---- scorecard_capacity.csv: stage x country outside the chokepoint x year ---- */

static int rows_sc_capacity(const ckp_result *r, long k, rep_row *w)
{
    const ckp_plan *plan = r->plan;
    int nk = plan->n_countries;
    if (!item_year(r, k, plan->n_stages * nk, w)) return 0;
    int g = w->i / nk, c = w->i % nk;
    if (!(plan->countries[c].risk < 1.0)) return -1;
    if (!(rep_sc_capacity(r, g, c, w->y, 1) > 0) && !(rep_sc_capacity(r, g, c, w->y, 0) > 0))
        return -1;
    return 1;
}
static void kc_stage(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_str(c, r->plan->stages[w->i / r->plan->n_countries].id);
}
static void kc_country(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_str(c, r->plan->countries[w->i % r->plan->n_countries].id);
}
static void kc_country_name(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_str(c, rep_country_name(r->plan, w->i % r->plan->n_countries));
}
static void kc_b(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    int nk = r->plan->n_countries;
    rep_set_num(c, rep_sc_capacity(r, w->i / nk, w->i % nk, w->y, 0));
}
static void kc_a(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    int nk = r->plan->n_countries;
    rep_set_num(c, rep_sc_capacity(r, w->i / nk, w->i % nk, w->y, 1));
}

static const rep_column sc_capacity_cols[] = {
    {"stage", NULL, REP_U_NONE, REP_T_STR, "stage id", kc_stage, NULL},
    {"country", NULL, REP_U_NONE, REP_T_STR, "country id (risk < 1: outside the chokepoint)",
     kc_country, NULL},
    {"country_name", NULL, REP_U_NONE, REP_T_STR, "country name from the plan", kc_country_name,
     NULL},
    {"year", NULL, REP_U_YEAR, REP_T_INT, "calendar year", q_year, NULL},
    {"capacity_before", NULL, REP_U_TPY, REP_T_NUM,
     "capacity of the stage in the country, no project funded", kc_b, NULL},
    {"capacity_after", NULL, REP_U_TPY, REP_T_NUM, "the same with the funded projects", kc_a,
     NULL},
};

/* ---- the tables ---- */

static int want_concentration(const ckp_result *r)
{
    return r->stage_hhi != NULL && r->stage_hhi_baseline != NULL;
}
static int want_policy(const ckp_result *r) { return r->max_share > 0; }

const rep_table_def rep_tables[] = {
    {"portfolio.csv", "portfolio", "one row per funded project, in plan order", rows_picks,
     always, portfolio_cols, ROWS(portfolio_cols)},
    {"production.csv", "production",
     "one row per existing facility or funded project and year", rows_producers, always,
     production_cols, ROWS(production_cols)},
    {"exposure.csv", "exposure", "one row per commodity and year", rows_commodities, always,
     exposure_cols, ROWS(exposure_cols)},
    {"concentration.csv", "concentration",
     "one row per stage and year: supplier concentration over the stage's production",
     rows_stages, want_concentration, concentration_cols, ROWS(concentration_cols)},
    {"policy.csv", "policy", "one row per policy-cap row (commodity, third country, year)",
     rows_caps, want_policy, policy_cols, ROWS(policy_cols)},
    {"scenarios.csv", "scenarios", "one row per scenario, stage and year", rows_scen_stages,
     rep_has_scenarios, scenarios_cols, ROWS(scenarios_cols)},
    {"idle.csv", "idle", "one row per scenario, funded project and year it is idle", rows_idle,
     rep_has_scenarios, idle_cols, ROWS(idle_cols)},
    {"stockpiles.csv", "stockpiles", "one row per stockpile bought, scenario and year",
     rows_stock, rep_has_stockpiles, stockpile_cols, ROWS(stockpile_cols)},
    {"scorecard.csv", "scorecard",
     "the programme's scorecard: one row per stage and year, before (no project funded) and "
     "after (the portfolio)", rows_stages, rep_has_solution, rep_scorecard_cols,
     ROWS(rep_scorecard_cols)},
    {"scorecard_capacity.csv", "scorecard_capacity",
     "one row per stage, country outside the chokepoint (risk < 1) and year with capacity "
     "before or after", rows_sc_capacity, rep_has_solution, sc_capacity_cols,
     ROWS(sc_capacity_cols)},
    {"scorecard_commodities.csv", "scorecard_commodities",
     "one row per commodity with final demand or mined, and year: supply at risk if the "
     "chokepoint stops exporting and local processing share, before and after",
     rep_sc_rows_commodities, rep_has_solution, rep_sc_commodity_cols, REP_SC_COMMODITY_COLS},
    {"finance.csv", "finance",
     "one row per year: the portfolio's commitment, outstanding, expected cost and contingent "
     "liability from the instruments' terms, and the limits in force (docs/finance.md)",
     rep_finance_rows, rep_finance_wanted, rep_finance_cols, REP_N_FINANCE_COLS},
};
const int rep_n_tables = ROWS(rep_tables);

const rep_table_def *rep_table_find(const char *file)
{
    for (int i = 0; i < rep_n_tables; i++)
        if (strcmp(rep_tables[i].file, file) == 0) return &rep_tables[i];
    return NULL;
}
