/* report_csv.c: CSV tables of a result (RFC 4180 quoting, LF line ends,
 * a header row, numbers with 10 significant digits, empty = undefined):
 * portfolio (ckp_report_csv, --format csv, portfolio.csv), production
 * and exposure (production.csv, exposure.csv), supplier concentration
 * per stage (concentration.csv), --max-share cap rows (policy.csv, with
 * a scenario column when the plan's scenarios were solved).  scenarios.csv,
 * idle.csv and stockpiles.csv are written by scenarios.c.  docs/cli.md
 * lists the columns and their units. */
#include "ckp/report.h"

#include <math.h>

#include "report/common.h"

ckp_status ckp_report_csv(const ckp_result *r, FILE *out)
{
    if (!r || !r->plan || !out) return CKP_EINTERNAL;
    const ckp_plan *plan = r->plan;
    fputs("project,name,stage,country,option,instrument,start,online,"
          "commitment,capex,private_capital,source\n", out);
    for (int i = 0; i < r->n_picks; i++) {
        const ckp_pick *k = &r->picks[i];
        const ckp_project *p = &plan->projects[k->project];
        const ckp_option *o = &p->options[k->option];
        rep_csv_str(out, p->id);
        fputc(',', out);
        rep_csv_str(out, p->name);
        fputc(',', out);
        rep_csv_str(out, rep_project_stage(plan, k->project));
        fputc(',', out);
        rep_csv_str(out, rep_project_country(plan, k->project));
        fputc(',', out);
        rep_csv_str(out, o->id);
        fputc(',', out);
        rep_csv_str(out, ckp_instrument_str(o->instrument));
        fputc(',', out);
        rep_csv_int(out, k->start);
        fputc(',', out);
        rep_csv_int(out, k->online);
        fputc(',', out);
        rep_csv_num(out, k->commitment);
        fputc(',', out);
        rep_csv_num(out, k->capex);
        fputc(',', out);
        rep_csv_num(out, k->capex - k->commitment);
        fputc(',', out);
        rep_csv_str(out, o->source ? o->source : p->source);
        fputc('\n', out);
    }
    return ferror(out) ? CKP_EIO : CKP_OK;
}

/* 1 when producer i is an existing facility or a funded project. */
static int reported_producer(const ckp_result *r, int i)
{
    int nf = r->plan->n_facilities;
    if (i < nf) return 1;
    for (int k = 0; k < r->n_picks; k++)
        if (r->picks[k].project == i - nf) return 1;
    return 0;
}

ckp_status rep_csv_production(const ckp_result *r, FILE *out)
{
    const ckp_plan *plan = r->plan;
    int np = plan->n_facilities + plan->n_projects;
    fputs("producer,kind,country,commodity,year,tonnes\n", out);
    for (int i = 0; i < np; i++) {
        if (!reported_producer(r, i)) continue;
        int c = rep_producer_output(plan, i);
        const char *cid = c >= 0 && c < plan->n_commodities ? plan->commodities[c].id : "?";
        for (int y = 0; y < r->n_years; y++) {
            double v = i < r->n_producers ? rep_at(r->production, i * r->n_years + y) : NAN;
            rep_csv_str(out, rep_producer_id(plan, i));
            fputs(i < plan->n_facilities ? ",existing," : ",project,", out);
            rep_csv_str(out, rep_producer_country(plan, i));
            fputc(',', out);
            rep_csv_str(out, cid);
            fputc(',', out);
            rep_csv_int(out, plan->first_year + y);
            fputc(',', out);
            rep_csv_num(out, v);
            fputc('\n', out);
        }
    }
    return ferror(out) ? CKP_EIO : CKP_OK;
}

ckp_status rep_csv_exposure(const ckp_result *r, FILE *out)
{
    const ckp_plan *plan = r->plan;
    int ny = r->n_years;
    fputs("commodity,stage,year,requirement,baseline_share,portfolio_share,"
          "baseline_shortage,shortage\n", out);
    for (int c = 0; c < plan->n_commodities; c++) {
        const ckp_commodity *k = &plan->commodities[c];
        int s = k->stage.ix;
        for (int y = 0; y < ny; y++) {
            int i = c * ny + y;
            double req = rep_at(r->requirement, i);
            int has = isfinite(req) && req > 0;
            rep_csv_str(out, k->id);
            fputc(',', out);
            rep_csv_str(out, s >= 0 && s < plan->n_stages ? plan->stages[s].id : k->stage.id);
            fputc(',', out);
            rep_csv_int(out, plan->first_year + y);
            fputc(',', out);
            rep_csv_num(out, req);
            fputc(',', out);
            rep_csv_num(out, has ? rep_at(r->baseline_exposure, i) : NAN);
            fputc(',', out);
            rep_csv_num(out, has ? rep_at(r->exposure, i) : NAN);
            fputc(',', out);
            rep_csv_num(out, rep_at(r->baseline_shortage, i));
            fputc(',', out);
            rep_csv_num(out, rep_at(r->shortage, i));
            fputc('\n', out);
        }
    }
    return ferror(out) ? CKP_EIO : CKP_OK;
}

ckp_status rep_csv_concentration(const ckp_result *r, FILE *out)
{
    const ckp_plan *plan = r->plan;
    int ny = r->n_years;
    fputs("stage,year,baseline_top_country,baseline_top_share,baseline_hhi,"
          "portfolio_top_country,portfolio_top_share,portfolio_hhi\n", out);
    for (int s = 0; s < plan->n_stages; s++)
        for (int y = 0; y < ny; y++) {
            int i = s * ny + y;
            int kb = r->stage_top_country_baseline ? r->stage_top_country_baseline[i] : -1;
            int kp = r->stage_top_country ? r->stage_top_country[i] : -1;
            rep_csv_str(out, plan->stages[s].id);
            fputc(',', out);
            rep_csv_int(out, plan->first_year + y);
            fputc(',', out);
            rep_csv_str(out, kb >= 0 && kb < plan->n_countries ? plan->countries[kb].id : "");
            fputc(',', out);
            rep_csv_num(out, rep_at(r->stage_top_share_baseline, i));
            fputc(',', out);
            rep_csv_num(out, rep_at(r->stage_hhi_baseline, i));
            fputc(',', out);
            rep_csv_str(out, kp >= 0 && kp < plan->n_countries ? plan->countries[kp].id : "");
            fputc(',', out);
            rep_csv_num(out, rep_at(r->stage_top_share, i));
            fputc(',', out);
            rep_csv_num(out, rep_at(r->stage_hhi, i));
            fputc('\n', out);
        }
    return ferror(out) ? CKP_EIO : CKP_OK;
}

ckp_status rep_csv_policy(const ckp_result *r, FILE *out)
{
    const ckp_plan *plan = r->plan;
    /* the scenario column only when the plan's scenarios were solved */
    int scen = rep_has_scenarios(r);
    if (scen) fputs("scenario,", out);
    fputs("stage,commodity,country,year,share,cap,missed_by,missed_tonnes\n", out);
    for (int i = 0; i < r->n_caps && r->caps; i++) {
        const ckp_cap_check *ck = &r->caps[i];
        const ckp_commodity *k = &plan->commodities[ck->commodity];
        int s = k->stage.ix;
        if (scen) {
            rep_csv_str(out, rep_scenario_id(r, ck->scenario));
            fputc(',', out);
        }
        rep_csv_str(out, s >= 0 && s < plan->n_stages ? plan->stages[s].id : k->stage.id);
        fputc(',', out);
        rep_csv_str(out, k->id);
        fputc(',', out);
        rep_csv_str(out, plan->countries[ck->country].id);
        fputc(',', out);
        rep_csv_int(out, ck->year);
        fputc(',', out);
        rep_csv_num(out, ck->share);
        fputc(',', out);
        rep_csv_num(out, r->max_share);
        fputc(',', out);
        rep_csv_num(out, ck->missed);
        fputc(',', out);
        rep_csv_num(out, ck->tonnes);
        fputc('\n', out);
    }
    return ferror(out) ? CKP_EIO : CKP_OK;
}
