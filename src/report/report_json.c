/* report_json.c: the result as one JSON document (summary.json and
 * --format json): provenance (tool, command line, input hash, solver
 * version), every model and solve parameter, the solver's account, the
 * portfolio, budget, exposure per stage and commodity, and for plans with
 * them the stockpiles bought and each scenario.  Every wall-clock
 * figure sits under the one "timing" object, so two runs of the same input
 * differ only there (docs/reports.md). */
#include "ckp/report.h"

#include <math.h>
#include <string.h>

#include "report/common.h"
#include "report/figures.h"
#include "report/json.h"
#include "report/summary.h"

/* Version of the document's shape (docs/summary.schema.json): raised when
 * a key changes meaning or goes away; new keys keep it. */
#define SCHEMA_VERSION 2

/* A cell as a JSON member. */
static void json_cell(jw *w, const char *key, const rep_cell *c)
{
    switch (c->type) {
    case REP_T_STR: jw_str(w, key, c->str); return;
    case REP_T_INT: jw_int(w, key, c->i); return;
    case REP_T_BOOL: jw_bool(w, key, (int)c->i); return;
    case REP_T_NUM: jw_num(w, key, c->num); return;
    case REP_T_EXACT: jw_exact(w, key, c->num); return;
    }
}

/* The object of one group of scalar figures (figures.c). */
static void json_group(jw *w, const ckp_result *r, const char *group)
{
    rep_cell c;
    jw_object(w, group);
    for (int i = 0; i < rep_n_figures; i++) {
        if (strcmp(rep_figures[i].group, group) != 0) continue;
        memset(&c, 0, sizeof c);
        rep_figures[i].get(r, &c);
        json_cell(w, rep_figures[i].key, &c);
    }
    jw_end_object(w);
}

/* An array of one object per row of a table (tables.c). */
static void json_table(jw *w, const ckp_result *r, const char *key, const rep_table_def *t)
{
    rep_row row;
    rep_cell c;
    jw_array(w, key);
    for (long k = 0;; k++) {
        int got = t->row(r, k, &row);
        if (got == 0) break;
        if (got < 0) continue;
        jw_object(w, NULL);
        for (int j = 0; j < t->n_cols; j++) {
            if (!rep_column_on(r, &t->cols[j])) continue;
            memset(&c, 0, sizeof c);
            t->cols[j].get(r, &row, &c);
            json_cell(w, t->cols[j].key, &c);
        }
        jw_end_object(w);
    }
    jw_end_array(w);
}

static void provenance(jw *w, const ckp_result *r, const ckp_report_info *info)
{
    jw_str(w, "format", "chokepoint-summary");
    jw_int(w, "format_version", 1);
    jw_int(w, "schema_version", SCHEMA_VERSION);
    rep_json_summary(w, r); /* the committee summary comes first */
    jw_object(w, "tool");
    jw_str(w, "name", "chokepoint");
    jw_str(w, "version", info ? info->tool_version : NULL);
    jw_end_object(w);
    jw_str(w, "command_line", info ? info->command_line : NULL);
    jw_object(w, "input");
    jw_str(w, "path", info && info->input_path ? info->input_path : r->plan->path);
    jw_str(w, "sha256", info ? info->input_sha256 : NULL);
    jw_end_object(w);
    jw_object(w, "solver");
    jw_str(w, "name", "GLPK");
    jw_str(w, "version", ckp_solver_version());
    jw_end_object(w);
    jw_object(w, "plan");
    jw_str(w, "name", r->plan->name);
    jw_str(w, "currency", r->plan->currency);
    jw_str(w, "money_unit", "millions of the plan currency");
    jw_int(w, "first_year", r->plan->first_year);
    jw_int(w, "last_year", r->plan->last_year);
    jw_end_object(w);
    char u[32];
    jw_object(w, "units");
    rep_unit_text(r, REP_U_MONEY, u, sizeof u);
    jw_str(w, "money", u);
    jw_str(w, "quantity", "t/yr");
    jw_str(w, "share", "fraction of the requirement, 0..1");
    jw_str(w, "value", "share-years");
    jw_end_object(w);
}

static const char *branching_name(int b)
{
    switch (b) {
    case CKP_BRANCH_DEFAULT: return "default";
    case CKP_BRANCH_FFV: return "ffv";
    case CKP_BRANCH_LFV: return "lfv";
    case CKP_BRANCH_MFV: return "mfv";
    case CKP_BRANCH_DTH: return "dth";
    case CKP_BRANCH_PCH: return "pch";
    default: return "?";
    }
}

static void parameters(jw *w, const ckp_result *r)
{
    const ckp_model_params *m = &r->model_params;
    const ckp_solve_params *s = &r->solve_params;
    jw_object(w, "parameters");
    jw_object(w, "model");
    jw_str(w, "objective", ckp_objective_str(r->objective));
    jw_str(w, "objective_override",
           m->objective < 0 ? NULL : ckp_objective_str((ckp_objective_kind)m->objective));
    jw_exact(w, "budget_total", r->budget_total); /* null = no limit */
    jw_exact(w, "budget_total_override", m->budget_total);
    jw_exact(w, "shortage_penalty", r->shortage_penalty);
    jw_exact(w, "shortage_penalty_override", m->shortage_penalty);
    jw_exact(w, "tie_break", m->tie_break);
    jw_bool(w, "lexicographic", m->lexicographic);
    jw_array(w, "force");
    for (int i = 0; i < m->n_force; i++) jw_str(w, NULL, m->force[i]);
    jw_end_array(w);
    jw_array(w, "exclude");
    for (int i = 0; i < m->n_exclude; i++) jw_str(w, NULL, m->exclude[i]);
    jw_end_array(w);
    jw_bool(w, "no_projects", m->no_projects);
    /* scenario selection: written for plans with scenarios and whenever an
       option asked for one, so other documents stay as they were */
    if (r->plan->n_scenarios > 0 || m->scenario || m->no_scenarios) {
        jw_str(w, "scenario_measure", ckp_measure_str(r->measure));
        jw_str(w, "scenario_measure_override",
               m->measure < 0 ? NULL : ckp_measure_str((ckp_scenario_measure)m->measure));
        jw_str(w, "scenario", m->scenario); /* null = every scenario */
        jw_bool(w, "no_scenarios", m->no_scenarios);
    }
    /* per-year limits layered on the plan's: written when an option set
       them, so other documents stay as they were */
    if (m->n_year_limits > 0 || m->scale_year_limits) {
        jw_bool(w, "scale_year_limits", m->scale_year_limits);
        jw_array(w, "year_limits");
        for (int i = 0; i < m->n_year_limits; i++) {
            jw_object(w, NULL);
            jw_int(w, "year", m->year_limits[i].year);
            jw_exact(w, "limit", m->year_limits[i].value); /* null = none */
            jw_end_object(w);
        }
        jw_end_array(w);
    }
    jw_end_object(w);
    jw_object(w, "solve");
    jw_exact(w, "time_limit", s->time_limit);
    jw_int(w, "node_limit", s->node_limit);
    jw_exact(w, "mip_gap", s->mip_gap);
    jw_bool(w, "heuristic", !s->no_heuristic);
    jw_bool(w, "presolve", s->presolve);
    jw_str(w, "branching", branching_name(s->branching));
    jw_int(w, "mir_cuts", s->mir_cuts);
    jw_int(w, "clique_cuts", s->clique_cuts);
    jw_bool(w, "lp_heuristic", !s->no_lp_heuristic);
    jw_int(w, "fp_heur", s->fp_heur);
    jw_int(w, "gmi_cuts", s->gmi_cuts);
    jw_int(w, "cov_cuts", s->cov_cuts);
    jw_int(w, "ps_heur", s->ps_heur);
    jw_int(w, "knap_cuts", s->knap_cuts);
    jw_str(w, "root_cuts", ckp_root_cuts_name(s->root_cuts));
    jw_bool(w, "verbose", s->verbose);
    jw_bool(w, "progress", s->progress);
    jw_end_object(w);
    jw_end_object(w);
}

/* The stages of the lexicographic solve (docs/formulation.md 7f; [] when
 * off); their times are in "timing". */
static void lex_stages(jw *w, const ckp_result *r)
{
    static const char *const key[2][3] = {{"exposure", "commitment", "order"},
                                          {"commitment", "exposure", "order"}};
    jw_array(w, "lexicographic_stages");
    for (int k = 0; r->lexicographic && k < 3; k++) {
        const ckp_lex_stage *st = &r->lex[k];
        jw_object(w, NULL);
        jw_int(w, "stage", k + 1);
        jw_str(w, "key", key[r->min_cost ? 1 : 0][k]);
        jw_bool(w, "ran", st->ran);
        jw_str(w, "mip_status", st->ran ? rep_status_key(st->status) : NULL);
        jw_num(w, "objective", st->objective);
        jw_num(w, "best_bound", st->bound);
        jw_num(w, "previous_key_limit", st->hold);
        jw_int(w, k == 2 ? "lps" : "nodes", st->nodes); /* stage 3: a pass of LPs */
        jw_end_object(w);
    }
    jw_end_array(w);
}

/* INFEASIBLE only: the least relaxation (docs/formulation.md 7g). */
static void why(jw *w, const ckp_result *r)
{
    static const char *const kind[] = {"budget-total", "budget-year", "infrastructure",
                                       "force", "requires", "excludes",
                                       "start-window", "upgrade-start-window", "budget-cap"};
    char line[1200];
    jw_array(w, "infeasibility");
    for (int i = 0; i < r->n_relax; i++) {
        const ckp_relaxation *x = &r->relax[i];
        jw_object(w, NULL);
        jw_str(w, "constraint", kind[x->kind]);
        if (x->year >= 0) jw_int(w, "year", x->year);
        else jw_null(w, "year");
        jw_num(w, "limit", x->limit);
        jw_num(w, "need", x->need);
        if (x->line > 0) jw_int(w, "line", x->line);
        else jw_null(w, "line");
        ckp_relaxation_text(r, i, line, sizeof line);
        jw_str(w, "text", line);
        jw_end_object(w);
    }
    jw_end_array(w);
}

/* Additionality (docs/formulation.md 7h): the committed projects the
 * baseline contains; written only when the plan has some, so other
 * documents stay as they were. */
static void baseline_committed(jw *w, const ckp_result *r)
{
    const ckp_plan *plan = r->plan;
    int n = 0;
    for (int p = 0; p < plan->n_projects; p++) n += plan->projects[p].committed;
    if (!n) return;
    jw_array(w, "baseline_committed");
    for (int p = 0; p < plan->n_projects; p++) {
        if (!plan->projects[p].committed) continue;
        jw_object(w, NULL);
        jw_str(w, "project", plan->projects[p].id);
        jw_int(w, "online", ckp_plan_project_online(plan, p));
        jw_end_object(w);
    }
    jw_end_array(w);
}

static void solver_account(jw *w, const ckp_result *r)
{
    json_group(w, r, "status");
    lex_stages(w, r);
    if (r->status == CKP_MIP_INFEASIBLE) why(w, r);
    baseline_committed(w, r);
    json_group(w, r, "model_size");
    json_group(w, r, "timing");
}

static void portfolio(jw *w, const ckp_result *r)
{
    const ckp_plan *plan = r->plan;
    json_table(w, r, "portfolio", rep_table_find("portfolio.csv"));
    jw_array(w, "upgrades");
    for (int i = 0; i < r->n_upgrade_picks; i++) {
        const ckp_upgrade_pick *k = &r->upgrade_picks[i];
        const ckp_upgrade *u = &plan->upgrades[k->upgrade];
        jw_object(w, NULL);
        jw_str(w, "upgrade", u->id);
        jw_str(w, "name", u->name);
        jw_str(w, "site", u->site.id);
        jw_str(w, "resource", u->resource.id);
        jw_num(w, "amount", u->amount);
        jw_int(w, "start", k->start);
        jw_int(w, "online", k->online);
        jw_num(w, "cost", k->cost);
        jw_str(w, "source", u->source);
        jw_end_object(w);
    }
    jw_end_array(w);
    rep_json_stockpiles(w, r);
}

/* Country id of a top-supplier entry, NULL (null) when none. */
static const char *top_country(const ckp_plan *plan, const int *a, int i)
{
    int k = a ? a[i] : -1;
    return k >= 0 && k < plan->n_countries ? plan->countries[k].id : NULL;
}

static void tables(jw *w, const ckp_result *r)
{
    const ckp_plan *plan = r->plan;
    int ny = r->n_years;
    json_group(w, r, "totals");
    json_group(w, r, "transparency");

    jw_array(w, "budget");
    for (int y = 0; y < ny; y++) {
        jw_object(w, NULL);
        jw_int(w, "year", plan->first_year + y);
        jw_num(w, "disbursed", rep_at(r->spend, y));
        jw_num(w, "limit", rep_at(r->budget_limit, y));
        jw_end_object(w);
    }
    jw_end_array(w);

    jw_array(w, "stages");
    for (int s = 0; s < plan->n_stages; s++) {
        jw_object(w, NULL);
        jw_str(w, "stage", plan->stages[s].id);
        jw_str(w, "name", plan->stages[s].name);
        jw_int(w, "order", plan->stages[s].order);
        jw_num(w, "added_outside_tonnes", rep_at(r->added_outside, s));
        jw_array(w, "years");
        for (int y = 0; y < ny; y++) {
            jw_object(w, NULL);
            jw_int(w, "year", plan->first_year + y);
            jw_num(w, "baseline_share", rep_at(r->stage_baseline, s * ny + y));
            jw_num(w, "portfolio_share", rep_at(r->stage_exposure, s * ny + y));
            if (r->stage_hhi && r->stage_hhi_baseline) {
                int i = s * ny + y;
                jw_str(w, "baseline_top_country",
                       top_country(plan, r->stage_top_country_baseline, i));
                jw_num(w, "baseline_top_share", rep_at(r->stage_top_share_baseline, i));
                jw_num(w, "baseline_hhi", rep_at(r->stage_hhi_baseline, i));
                jw_str(w, "portfolio_top_country",
                       top_country(plan, r->stage_top_country, i));
                jw_num(w, "portfolio_top_share", rep_at(r->stage_top_share, i));
                jw_num(w, "portfolio_hhi", rep_at(r->stage_hhi, i));
            }
            jw_end_object(w);
        }
        jw_end_array(w);
        jw_end_object(w);
    }
    jw_end_array(w);

    jw_array(w, "commodities");
    for (int c = 0; c < plan->n_commodities; c++) {
        const ckp_commodity *k = &plan->commodities[c];
        int s = k->stage.ix;
        jw_object(w, NULL);
        jw_str(w, "commodity", k->id);
        jw_str(w, "name", k->name);
        jw_str(w, "stage", s >= 0 && s < plan->n_stages ? plan->stages[s].id : k->stage.id);
        jw_num(w, "weight", k->weight);
        jw_array(w, "years");
        for (int y = 0; y < ny; y++) {
            int i = c * ny + y;
            double req = rep_at(r->requirement, i);
            int has = isfinite(req) && req > 0;
            jw_object(w, NULL);
            jw_int(w, "year", plan->first_year + y);
            jw_num(w, "requirement", req);
            jw_num(w, "baseline_share", has ? rep_at(r->baseline_exposure, i) : NAN);
            jw_num(w, "portfolio_share", has ? rep_at(r->exposure, i) : NAN);
            jw_num(w, "baseline_shortage", rep_at(r->baseline_shortage, i));
            jw_num(w, "shortage", rep_at(r->shortage, i));
            jw_end_object(w);
        }
        jw_end_array(w);
        jw_end_object(w);
    }
    jw_end_array(w);
}

/* --max-share: the cap, the penalty and every cap row missed (only when
 * the cap is on, so a run without it prints the same document as before). */
static void policy(jw *w, const ckp_result *r)
{
    const ckp_plan *plan = r->plan;
    if (r->min_cost) {
        jw_object(w, "goal");
        jw_str(w, "objective", "min-cost");
        jw_num(w, "target", r->target);
        jw_num(w, "baseline_value", r->goal_base);
        jw_num(w, "limit", r->goal_limit);
        jw_num(w, "reached", r->goal_reached);
        jw_num(w, "best_reachable", r->best_reachable);
        jw_num(w, "commitment", r->commitment_total);
        jw_end_object(w);
    }
    if (!(r->max_share > 0)) return;
    jw_object(w, "max_share");
    jw_num(w, "cap", r->max_share);
    jw_num(w, "penalty", r->cap_penalty);
    jw_int(w, "rows", r->n_caps);
    jw_bool(w, "met", r->caps && r->n_caps_missed == 0);
    jw_array(w, "missed");
    for (int i = 0; i < r->n_caps && r->caps; i++) {
        const ckp_cap_check *ck = &r->caps[i];
        if (!(ck->missed > 0)) continue;
        const ckp_commodity *k = &plan->commodities[ck->commodity];
        int s = k->stage.ix;
        jw_object(w, NULL);
        if (rep_has_scenarios(r)) jw_str(w, "scenario", rep_scenario_id(r, ck->scenario));
        jw_str(w, "stage", s >= 0 && s < plan->n_stages ? plan->stages[s].id : k->stage.id);
        jw_str(w, "commodity", k->id);
        jw_str(w, "country", plan->countries[ck->country].id);
        jw_int(w, "year", ck->year);
        jw_num(w, "share", ck->share);
        jw_num(w, "missed_by", ck->missed);
        jw_num(w, "missed_tonnes", ck->tonnes);
        jw_end_object(w);
    }
    jw_end_array(w);
    jw_end_object(w);
}

/* The programme's scorecard (docs/reports.md): the tables of
 * scorecard.csv and scorecard_capacity.csv, when there is a solution. */
static void scorecard(jw *w, const ckp_result *r)
{
    const rep_table_def *t = rep_table_find("scorecard.csv");
    const rep_table_def *k = rep_table_find("scorecard_capacity.csv");
    if (!t || !k || !t->wanted(r)) return;
    json_table(w, r, "scorecard", t);
    json_table(w, r, "scorecard_capacity", k);
    const rep_table_def *c = rep_table_find("scorecard_commodities.csv");
    if (c) json_table(w, r, "scorecard_commodities", c);
}

/* The finance per year (docs/finance.md): the table of finance.csv. */
static void finance(jw *w, const ckp_result *r)
{
    const rep_table_def *t = rep_table_find("finance.csv");
    if (t && t->wanted(r)) json_table(w, r, "finance", t);
}

ckp_status ckp_report_json(const ckp_result *r, const ckp_report_info *info,
                           FILE *out)
{
    if (!r || !r->plan || !out) return CKP_EINTERNAL;
    jw w;
    jw_init(&w, out);
    jw_object(&w, NULL);
    provenance(&w, r, info);
    parameters(&w, r);
    solver_account(&w, r);
    portfolio(&w, r);
    tables(&w, r);
    scorecard(&w, r);
    finance(&w, r);
    policy(&w, r);
    rep_json_scenarios(&w, r);
    jw_end_object(&w);
    if (w.bad || w.depth != 0) return CKP_EINTERNAL;
    return ferror(out) ? CKP_EIO : CKP_OK;
}
