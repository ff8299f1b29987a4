/* report_text.c: the readable summary of a result for a bank committee
 * (docs/reports.md explains every figure).  Money in millions of the plan
 * currency, quantities in t/yr, shares in percent; aligned columns and
 * fixed decimals so the same result always prints the same text.  Order:
 * the plan, the committee summary (summary.c), the details, the proof
 * (solver status, gap, nodes, time, model size) last.  The parts for
 * scenarios and stockpiles are in scenarios.c. */
#include "ckp/report.h"

#include <math.h>
#include <string.h>

#include "report/common.h"
#include "report/figures.h"
#include "report/finance.h"
#include "report/scorecard.h"
#include "report/summary.h"

#define SHARE_EPS 1e-6 /* t/yr below which a shortage is not shown */

static void money(char *b, size_t n, double v) { rep_fixed(b, n, v, 1); }

/* The stages of the lexicographic solve (docs/formulation.md 7f), one
 * line each, after the solver's nodes. */
static void print_lex(const ckp_result *r, FILE *out)
{
    if (!r->lexicographic) {
        fprintf(out, "  tie-break    off: one solve, a small commitment weight in the "
                     "objective\n");
        return;
    }
    fprintf(out, "  tie-break    lexicographic: best %s, then least %s, then earliest "
                 "start and plan order\n",
            r->min_cost ? "commitment" : "exposure",
            r->min_cost ? "exposure" : "commitment");
    static const char *const key[2][3] = {
        {"exposure + shortage", "commitment", "order key"},
        {"commitment", "goal exposure", "order key"}};
    static const int decimals[2][3] = {{6, 1, 0}, {1, 6, 0}};
    int mc = r->min_cost ? 1 : 0;
    for (int k = 0; k < 3; k++) {
        const ckp_lex_stage *st = &r->lex[k];
        char v[64], h[64];
        if (!st->ran) {
            fprintf(out, "  stage %d      not run%s\n", k + 1,
                    k == 0 ? "" : " (no portfolio to compare, or nothing to choose)");
            continue;
        }
        rep_fixed(v, sizeof v, st->objective, decimals[mc][k]);
        fprintf(out, "  stage %d      %s %s", k + 1, key[mc][k], v);
        if (k > 0) {
            rep_fixed(h, sizeof h, st->hold, decimals[mc][k - 1]);
            fprintf(out, " with %s <= %s", key[mc][k - 1], h);
        }
        if (k == 2)
            fprintf(out, ": pass %s, %ld LP%s\n",
                    st->status == CKP_MIP_OPTIMAL ? "completed" : "stopped by the time limit",
                    st->nodes, st->nodes == 1 ? "" : "s");
        else
            fprintf(out, ": %s, %ld node%s\n", rep_status_key(st->status), st->nodes,
                    st->nodes == 1 ? "" : "s");
    }
    if (r->lex[0].status == CKP_MIP_FEASIBLE && r->lex[1].ran)
        fprintf(out, "  note         stage 1 stopped at a limit: stage 2 holds its "
                     "incumbent's value, not a proven optimum\n");
}

static void print_header(const ckp_result *r, FILE *out, const char *cur)
{
    const ckp_plan *plan = r->plan;
    char n[64];
    fputs("Plan: ", out);
    rep_put_line(out, plan->name ? plan->name : "(unnamed)");
    fputc('\n', out);
    fprintf(out, "Horizon: %d-%d; money in %s\n", plan->first_year,
            plan->last_year, cur);
    if (r->min_cost)
        fprintf(out, "Objective: min-cost (the least bank commitment whose weighted "
                     "exposure + shortage is at most %g x the baseline's: %.6f of "
                     "%.6f share-years; shortage penalty %g)\n",
                r->target, r->goal_limit, r->goal_base, r->shortage_penalty);
    else if (r->objective == CKP_OBJ_MINMAX)
        fprintf(out, "Objective: min-max (weakest stage of each year, summed "
                     "over years; shortage penalty %g)\n", r->shortage_penalty);
    else
        fprintf(out, "Objective: weighted exposure (weighted chokepoint "
                     "shares summed over years; shortage penalty %g)\n",
                r->shortage_penalty);
    if (!rep_has_scenarios(r) && r->model_params.no_scenarios && plan->n_scenarios > 0)
        fprintf(out, "Scenarios: ignored (no_scenarios set): the plan as written, "
                     "without its %d scenario%s\n",
                plan->n_scenarios, plan->n_scenarios == 1 ? "" : "s");
    if (rep_has_scenarios(r)) {
        const ckp_scenario *sc = &plan->scenarios[r->scenario_plan[0]];
        if (r->model_params.scenario) {
            fputs("Scenario: ", out);
            rep_put_line(out, sc->id);
            fprintf(out, " alone (the one scenario chosen), probability 1, of the plan's %d\n",
                    plan->n_scenarios);
        } else {
            fprintf(out, "Scenarios: %d, measure %s (tables are probability-weighted "
                         "expectations; each scenario under \"Scenarios\")\n",
                    r->n_scenarios, ckp_measure_str(r->measure));
        }
    }
    if (isfinite(r->budget_total)) {
        money(n, sizeof n, r->budget_total);
        if (r->budget_measure == CKP_FIN_COMMITMENT)
            fprintf(out, "Budget: %s %s in total\n", n, cur);
        else
            fprintf(out, "Budget: %s %s in total, on the measure %s (docs/finance.md)\n", n,
                    cur, ckp_fin_measure_str(r->budget_measure));
    } else {
        fprintf(out, "Budget: no total limit\n");
    }
}

/* The proof, last: the solver's account of how good the portfolio is. */
static void print_proof(const ckp_result *r, FILE *out)
{
    const ckp_plan *plan = r->plan;
    char b[256];
    char n[64];
    rep_status_sentence(r, b, sizeof b);
    fprintf(out, "\nProof (solver: GLPK %s)\n", ckp_solver_version());
    fprintf(out, "  status       %s\n", b);
    rep_fixed(n, sizeof n, r->objective_value, 6);
    fprintf(out, "  objective    %s\n", n);
    rep_fixed(n, sizeof n, r->bound, 6);
    fprintf(out, "  best bound   %s\n", n);
    if (isfinite(r->gap))
        fprintf(out, "  gap          %.2f %%\n", fabs(r->gap) < REP_ZERO ? 0.0 : 100 * r->gap);
    else
        fprintf(out, "  gap          -\n");
    fprintf(out, "  nodes        %ld\n", r->nodes);
    print_lex(r, out);
    if (r->n_relax > 0) {
        char line[1200];
        fprintf(out, "  why          the least relaxation that makes it feasible "
                     "(docs/formulation.md 7g):\n");
        for (int i = 0; i < r->n_relax; i++) {
            ckp_relaxation_text(r, i, line, sizeof line);
            fputs("               - ", out);
            rep_put_line(out, line);
            fputc('\n', out);
        }
    }
    if (r->n_pruned > 0)
        fprintf(out, "  pruned       %d funded item%s that cut no exposure (or a "
                     "cheaper option of equal effect)\n",
                r->n_pruned, r->n_pruned == 1 ? "" : "s");
    /* Building takes well under a millisecond on small plans: below 10 ms
       it is printed in ms with 3 significant digits, never as 0.000 s. */
    if (r->build_seconds >= 0.01 || !isfinite(r->build_seconds))
        fprintf(out, "  time         %.3f s (model build %.3f s", r->seconds,
                r->build_seconds);
    else
        fprintf(out, "  time         %.3f s (model build %.3g ms", r->seconds,
                r->build_seconds * 1e3);
    if (r->lexicographic)
        for (int k = 0; k < 3; k++)
            if (r->lex[k].ran) fprintf(out, "; stage %d %.3f s", k + 1, r->lex[k].seconds);
    fputs(")\n", out);
    fprintf(out, "  model        %d rows, %d columns (%d binary), %d nonzeros\n",
            r->n_rows, r->n_cols, r->n_binaries, r->nnz);
    rep_fixed(n, sizeof n, r->baseline_objective, 6);
    int n_committed = 0;
    for (int p = 0; p < plan->n_projects; p++) n_committed += plan->projects[p].committed;
    if (!n_committed) {
        fprintf(out, "  baseline     %s (same objective with no project funded)\n", n);
        return;
    }
    /* additionality: the baseline holds what is built anyway */
    fprintf(out, "  baseline     %s (same objective with no project funded by the bank)\n", n);
    fprintf(out, "  committed    %d project%s in the baseline, built with or without the bank:",
            n_committed, n_committed == 1 ? "" : "s");
    for (int p = 0, k = 0; p < plan->n_projects; p++) {
        if (!plan->projects[p].committed) continue;
        int on = ckp_plan_project_online(plan, p);
        if (on <= plan->last_year)
            fprintf(out, "%s %s (online %d)", k++ ? "," : "", plan->projects[p].id, on);
        else
            fprintf(out, "%s %s (online after the horizon)", k++ ? "," : "",
                    plan->projects[p].id);
    }
    fprintf(out, "; the cut from the baseline is the bank's additional effect\n");
}

static ckp_status print_portfolio(const ckp_result *r, FILE *out, const char *cur)
{
    const ckp_plan *plan = r->plan;
    char h_commit[64];
    char h_capex[64];
    snprintf(h_commit, sizeof h_commit, "commitment %s", cur);
    snprintf(h_capex, sizeof h_capex, "capex %s", cur);
    fprintf(out, "\nPortfolio: %d project%s funded%s\n", r->n_picks,
            r->n_picks == 1 ? "" : "s",
            r->n_picks > 0 ? " (sources in full: portfolio.csv, summary.json)" : "");
    if (r->n_picks == 0) return CKP_OK;
    rep_table t;
    rep_table_init(&t);
    rep_table_col(&t, "project", 'l');
    rep_table_col(&t, "name", 'l');
    rep_table_col(&t, "stage", 'l');
    rep_table_col(&t, "country", 'l');
    rep_table_col(&t, "option (instrument)", 'l');
    rep_table_col(&t, "start", 'r');
    rep_table_col(&t, "online", 'r');
    rep_table_col(&t, h_commit, 'r');
    rep_table_col(&t, h_capex, 'r');
    rep_table_col(&t, "source", 'l');
    for (int i = 0; i < r->n_picks; i++) {
        const ckp_pick *k = &r->picks[i];
        const ckp_project *p = &plan->projects[k->project];
        const ckp_option *o = &p->options[k->option];
        char b[256];
        rep_table_row(&t);
        rep_table_set(&t, 0, p->id);
        rep_table_set(&t, 1, p->name ? p->name : "-");
        rep_table_set(&t, 2, rep_project_stage(plan, k->project));
        rep_table_set(&t, 3, rep_project_country(plan, k->project));
        if (strcmp(o->id, ckp_instrument_str(o->instrument)) == 0)
            snprintf(b, sizeof b, "%s", o->id);
        else
            snprintf(b, sizeof b, "%s (%s)", o->id, ckp_instrument_str(o->instrument));
        rep_table_set(&t, 4, b);
        snprintf(b, sizeof b, "%d", k->start);
        rep_table_set(&t, 5, b);
        snprintf(b, sizeof b, "%d", k->online);
        rep_table_set(&t, 6, b);
        money(b, sizeof b, k->commitment);
        rep_table_set(&t, 7, b);
        money(b, sizeof b, k->capex);
        rep_table_set(&t, 8, b);
        rep_short_source(b, sizeof b, o->source ? o->source : p->source);
        rep_table_set(&t, 9, b);
    }
    ckp_status st = rep_table_print(&t, out, "  ");
    rep_table_fini(&t);
    return st;
}

static ckp_status print_upgrades(const ckp_result *r, FILE *out, const char *cur)
{
    const ckp_plan *plan = r->plan;
    if (r->n_upgrade_picks == 0) {
        if (plan->n_upgrades > 0) fprintf(out, "\nUpgrades funded: none\n");
        return CKP_OK;
    }
    char h_cost[64];
    snprintf(h_cost, sizeof h_cost, "cost %s", cur);
    fprintf(out, "\nUpgrades funded: %d\n", r->n_upgrade_picks);
    rep_table t;
    rep_table_init(&t);
    rep_table_col(&t, "upgrade", 'l');
    rep_table_col(&t, "name", 'l');
    rep_table_col(&t, "site", 'l');
    rep_table_col(&t, "adds", 'r');
    rep_table_col(&t, "start", 'r');
    rep_table_col(&t, "online", 'r');
    rep_table_col(&t, h_cost, 'r');
    rep_table_col(&t, "source", 'l');
    for (int i = 0; i < r->n_upgrade_picks; i++) {
        const ckp_upgrade_pick *k = &r->upgrade_picks[i];
        const ckp_upgrade *u = &plan->upgrades[k->upgrade];
        char b[256];
        char a[64];
        rep_table_row(&t);
        rep_table_set(&t, 0, u->id);
        rep_table_set(&t, 1, u->name ? u->name : "-");
        rep_table_set(&t, 2, u->site.id);
        rep_num(a, sizeof a, u->amount);
        const char *unit = "";
        const char *res = u->resource.id;
        if (u->resource.ix >= 0 && u->resource.ix < plan->n_resources &&
            plan->resources[u->resource.ix].unit)
            unit = plan->resources[u->resource.ix].unit;
        snprintf(b, sizeof b, "%s %s %s", a, unit, res);
        rep_table_set(&t, 3, b);
        snprintf(b, sizeof b, "%d", k->start);
        rep_table_set(&t, 4, b);
        snprintf(b, sizeof b, "%d", k->online);
        rep_table_set(&t, 5, b);
        money(b, sizeof b, k->cost);
        rep_table_set(&t, 6, b);
        rep_short_source(b, sizeof b, u->source);
        rep_table_set(&t, 7, b);
    }
    ckp_status st = rep_table_print(&t, out, "  ");
    rep_table_fini(&t);
    return st;
}

/* A table with a label column (or two) and one column per year. */
static void year_cols(rep_table *t, const ckp_result *r, char (*heads)[8])
{
    for (int y = 0; y < r->n_years && y < REP_MAX_COLS - 3; y++) {
        snprintf(heads[y], 8, "%d", r->plan->first_year + y);
        rep_table_col(t, heads[y], 'r');
    }
}

static ckp_status print_budget(const ckp_result *r, FILE *out, const char *cur)
{
    char heads[REP_MAX_COLS][8];
    fprintf(out, "\nBudget used per year (%s)\n", cur);
    if (r->budget_measure != CKP_FIN_COMMITMENT)
        fprintf(out, "  (disbursed is the commitment; the limits count %s, shown per year "
                     "under \"Finance per year\")\n", ckp_fin_measure_str(r->budget_measure));
    rep_table t;
    rep_table_init(&t);
    rep_table_col(&t, "", 'l');
    year_cols(&t, r, heads);
    int tot = rep_table_col(&t, "total", 'r');
    char b[64];
    rep_table_row(&t);
    rep_table_set(&t, 0, "disbursed");
    for (int y = 0; y < r->n_years && y < REP_MAX_COLS - 3; y++) {
        money(b, sizeof b, rep_at(r->spend, y));
        rep_table_set(&t, 1 + y, b);
    }
    money(b, sizeof b, r->commitment_total);
    rep_table_set(&t, tot, b);
    rep_table_row(&t);
    rep_table_set(&t, 0, "limit");
    for (int y = 0; y < r->n_years && y < REP_MAX_COLS - 3; y++) {
        money(b, sizeof b, rep_at(r->budget_limit, y));
        rep_table_set(&t, 1 + y, b);
    }
    money(b, sizeof b, r->budget_total);
    rep_table_set(&t, tot, b);
    ckp_status st = rep_table_print(&t, out, "  ");
    rep_table_fini(&t);
    return st;
}

static ckp_status print_exposure(const ckp_result *r, FILE *out)
{
    const ckp_plan *plan = r->plan;
    char heads[REP_MAX_COLS][8];
    fprintf(out, "\nChokepoint share per stage (%% of the bloc's requirement; "
                 "baseline = no project funded)%s\n",
            rep_has_scenarios(r) && r->n_scenarios > 1
                ? ", probability-weighted expectation over the scenarios" : "");
    rep_table t;
    rep_table_init(&t);
    rep_table_col(&t, "stage", 'l');
    rep_table_col(&t, "", 'l');
    year_cols(&t, r, heads);
    for (int s = 0; s < plan->n_stages; s++) {
        for (int k = 0; k < 2; k++) {
            const double *a = k == 0 ? r->stage_baseline : r->stage_exposure;
            char b[64];
            rep_table_row(&t);
            rep_table_set(&t, 0, k == 0 ? plan->stages[s].id : "");
            rep_table_set(&t, 1, k == 0 ? "baseline" : "portfolio");
            for (int y = 0; y < r->n_years && y < REP_MAX_COLS - 3; y++) {
                rep_pct(b, sizeof b, rep_at(a, s * r->n_years + y));
                rep_table_set(&t, 2 + y, b);
            }
        }
    }
    ckp_status st = rep_table_print(&t, out, "  ");
    rep_table_fini(&t);
    return st;
}

static ckp_status print_added(const ckp_result *r, FILE *out)
{
    const ckp_plan *plan = r->plan;
    fprintf(out, "\nCapacity added outside the chokepoint (t/yr, funded "
                 "capacity x (1 - country risk))\n");
    rep_table t;
    rep_table_init(&t);
    rep_table_col(&t, "stage", 'l');
    rep_table_col(&t, "t/yr", 'r');
    for (int s = 0; s < plan->n_stages; s++) {
        char b[64];
        rep_table_row(&t);
        rep_table_set(&t, 0, plan->stages[s].id);
        rep_fixed(b, sizeof b, rep_at(r->added_outside, s), 0);
        rep_table_set(&t, 1, b);
    }
    ckp_status st = rep_table_print(&t, out, "  ");
    rep_table_fini(&t);
    return st;
}

/* The scalar figures of one group (figures.c) that have words for
 * people: label, value, unit. */
static ckp_status print_group(const ckp_result *r, FILE *out, const char *group)
{
    rep_table t;
    rep_table_init(&t);
    rep_table_col(&t, "", 'l');
    rep_table_col(&t, "", 'r');
    rep_table_col(&t, "", 'l');
    t.no_head = 1;
    for (int i = 0; i < rep_n_figures; i++) {
        const rep_figure *f = &rep_figures[i];
        if (strcmp(f->group, group) != 0 || !f->label) continue;
        rep_cell c;
        char b[512];
        memset(&c, 0, sizeof c);
        f->get(r, &c);
        rep_table_row(&t);
        rep_table_set(&t, 0, f->label);
        rep_cell_text(&c, f->unit, b, sizeof b);
        rep_table_set(&t, 1, b);
        if (f->unit != REP_U_SHARE) rep_unit_text(r, f->unit, b, sizeof b);
        else b[0] = '\0';
        rep_table_set(&t, 2, b);
    }
    ckp_status st = rep_table_print(&t, out, "  ");
    rep_table_fini(&t);
    return st;
}

static ckp_status print_totals(const ckp_result *r, FILE *out)
{
    fprintf(out, "\nTotals\n");
    CKP_TRY(print_group(r, out, "totals"));
    fprintf(out, "\nTransparency of the plan's figures\n");
    return print_group(r, out, "transparency");
}

static ckp_status print_shortage(const ckp_result *r, FILE *out)
{
    const ckp_plan *plan = r->plan;
    int any = 0;
    for (int c = 0; c < plan->n_commodities && !any; c++)
        for (int y = 0; y < r->n_years; y++)
            if (rep_at(r->shortage, c * r->n_years + y) > SHARE_EPS) any = 1;
    if (!any) {
        fprintf(out, "\nShortage: none (the portfolio meets the bloc's demand "
                     "in every year)\n");
        return CKP_OK;
    }
    char heads[REP_MAX_COLS][8];
    fprintf(out, "\nShortage of final demand (t/yr)\n");
    rep_table t;
    rep_table_init(&t);
    rep_table_col(&t, "commodity", 'l');
    rep_table_col(&t, "", 'l');
    year_cols(&t, r, heads);
    for (int c = 0; c < plan->n_commodities; c++) {
        int has = 0;
        for (int y = 0; y < r->n_years; y++)
            if (rep_at(r->shortage, c * r->n_years + y) > SHARE_EPS ||
                rep_at(r->baseline_shortage, c * r->n_years + y) > SHARE_EPS)
                has = 1;
        if (!has) continue;
        for (int k = 0; k < 2; k++) {
            const double *a = k == 0 ? r->baseline_shortage : r->shortage;
            char b[64];
            rep_table_row(&t);
            rep_table_set(&t, 0, k == 0 ? plan->commodities[c].id : "");
            rep_table_set(&t, 1, k == 0 ? "baseline" : "portfolio");
            for (int y = 0; y < r->n_years && y < REP_MAX_COLS - 3; y++) {
                rep_fixed(b, sizeof b, rep_at(a, c * r->n_years + y), 0);
                rep_table_set(&t, 2 + y, b);
            }
        }
    }
    ckp_status st = rep_table_print(&t, out, "  ");
    rep_table_fini(&t);
    return st;
}

/* Country id of a top-supplier cell, "-" when none. */
static const char *country_id(const ckp_plan *plan, const int *a, int i)
{
    int k = a ? a[i] : -1;
    return k >= 0 && k < plan->n_countries ? plan->countries[k].id : "-";
}

static ckp_status print_concentration(const ckp_result *r, FILE *out)
{
    const ckp_plan *plan = r->plan;
    char heads[REP_MAX_COLS][8];
    if (!r->stage_hhi || !r->stage_hhi_baseline) return CKP_OK;
    fprintf(out, "\nSupplier concentration per stage (top country and its %% of "
                 "the bloc's supply of the stage; HHI 0-10000 over country "
                 "shares)\n");
    rep_table t;
    rep_table_init(&t);
    rep_table_col(&t, "stage", 'l');
    rep_table_col(&t, "", 'l');
    year_cols(&t, r, heads);
    static const char *const label[4] = {"top, baseline", "top, portfolio",
                                         "HHI, baseline", "HHI, portfolio"};
    for (int s = 0; s < plan->n_stages; s++) {
        for (int k = 0; k < 4; k++) {
            rep_table_row(&t);
            rep_table_set(&t, 0, k == 0 ? plan->stages[s].id : "");
            rep_table_set(&t, 1, label[k]);
            for (int y = 0; y < r->n_years && y < REP_MAX_COLS - 3; y++) {
                int i = s * r->n_years + y;
                char b[64], v[48];
                if (k < 2) {
                    const double *a = k == 0 ? r->stage_top_share_baseline
                                             : r->stage_top_share;
                    const int *cc = k == 0 ? r->stage_top_country_baseline
                                           : r->stage_top_country;
                    double sh = rep_at(a, i);
                    rep_pct(v, sizeof v, sh);
                    if (isfinite(sh))
                        snprintf(b, sizeof b, "%.8s %s", country_id(plan, cc, i), v);
                    else
                        snprintf(b, sizeof b, "%s", v);
                } else {
                    rep_fixed(b, sizeof b,
                              rep_at(k == 2 ? r->stage_hhi_baseline : r->stage_hhi, i), 0);
                }
                rep_table_set(&t, 2 + y, b);
            }
        }
    }
    ckp_status st = rep_table_print(&t, out, "  ");
    rep_table_fini(&t);
    return st;
}

/* The programme's scorecard (docs/reports.md, "Scorecard"): the tables
 * of scorecard.csv and scorecard_capacity.csv, before -> after. */
static ckp_status print_scorecard(const ckp_result *r, FILE *out)
{
    const rep_table_def *t = rep_table_find("scorecard.csv");
    const rep_table_def *k = rep_table_find("scorecard_capacity.csv");
    if (!t || !k || !t->wanted(r)) return CKP_OK;
    fprintf(out, "\nScorecard per stage and year, no project funded -> with the portfolio "
                 "(capacity outside the chokepoint, output under the bank's offtake and "
                 "price-floor options, top supplier, HHI, largest country outside the bloc%s)\n",
            isfinite(r->max_share) && r->max_share > 0 ? ", above the policy cap" : "");
    CKP_TRY(rep_sc_text(r, t, out));
    fprintf(out, "Capacity outside the chokepoint per stage and country (t/yr)\n");
    CKP_TRY(rep_sc_text(r, k, out));
    const rep_table_def *c = rep_table_find("scorecard_commodities.csv");
    if (!c) return CKP_OK;
    fprintf(out, "Per commodity: supply at risk, the final demand left unmet if the chokepoint "
                 "(risk 1) stops exporting (t/yr), and the local processing share of the ore "
                 "mined outside the chokepoint\n");
    return rep_sc_text(r, c, out);
}

/* min-cost: the goal and what the portfolio reaches. */
static ckp_status print_goal(const ckp_result *r, FILE *out)
{
    if (!r->min_cost) return CKP_OK;
    fprintf(out, "\nExposure goal (objective min-cost, target %g)\n", r->target);
    fprintf(out, "  baseline (no project): %.6f share-years of weighted exposure "
                 "+ shortage\n", r->goal_base);
    fprintf(out, "  goal, %g x baseline: at most %.6f\n", r->target, r->goal_limit);
    fprintf(out, "  reached: %.6f (%.1f %% of the baseline) for a bank commitment "
                 "of %.1f\n",
            r->goal_reached, r->goal_base > 0 ? 100 * r->goal_reached / r->goal_base : 0.0,
            r->commitment_total);
    return ferror(out) ? CKP_EIO : CKP_OK;
}

/* The policy cap (max_share): met everywhere, or where and by how much it is missed. */
static ckp_status print_policy(const ckp_result *r, FILE *out)
{
    const ckp_plan *plan = r->plan;
    char cap[48];
    if (!(r->max_share > 0) || !r->caps) return CKP_OK;
    rep_pct(cap, sizeof cap, r->max_share);
    if (r->n_caps_missed == 0) {
        fprintf(out, "\nPolicy cap (max share %s %% per third country): met by every third country "
                     "at every stage in every year (%d cap rows)\n", cap, r->n_caps);
        return ferror(out) ? CKP_EIO : CKP_OK;
    }
    fprintf(out, "\nPolicy cap (max share %s %% per third country): MISSED in %d of %d stage-country-"
                 "years; the best portfolio within the budget still misses it there\n",
            cap, r->n_caps_missed, r->n_caps);
    rep_table t;
    rep_table_init(&t);
    /* with scenarios a first column names the scenario of the row */
    int o = rep_has_scenarios(r) ? 1 : 0;
    if (o) rep_table_col(&t, "scenario", 'l');
    rep_table_col(&t, "stage", 'l');
    rep_table_col(&t, "commodity", 'l');
    rep_table_col(&t, "country", 'l');
    rep_table_col(&t, "year", 'r');
    rep_table_col(&t, "share %", 'r');
    rep_table_col(&t, "missed by (points)", 'r');
    rep_table_col(&t, "t/yr over", 'r');
    for (int i = 0; i < r->n_caps; i++) {
        const ckp_cap_check *ck = &r->caps[i];
        if (!(ck->missed > 0)) continue;
        const ckp_commodity *k = &plan->commodities[ck->commodity];
        int s = k->stage.ix;
        char b[64];
        rep_table_row(&t);
        if (o) rep_table_set(&t, 0, rep_scenario_id(r, ck->scenario));
        rep_table_set(&t, o + 0, s >= 0 && s < plan->n_stages ? plan->stages[s].id : k->stage.id);
        rep_table_set(&t, o + 1, k->id);
        rep_table_set(&t, o + 2, plan->countries[ck->country].id);
        snprintf(b, sizeof b, "%d", ck->year);
        rep_table_set(&t, o + 3, b);
        rep_pct(b, sizeof b, ck->share);
        rep_table_set(&t, o + 4, b);
        rep_pct(b, sizeof b, ck->missed);
        rep_table_set(&t, o + 5, b);
        rep_fixed(b, sizeof b, ck->tonnes, 0);
        rep_table_set(&t, o + 6, b);
    }
    ckp_status st = rep_table_print(&t, out, "  ");
    rep_table_fini(&t);
    return st;
}

ckp_status ckp_report_text(const ckp_result *r, FILE *out)
{
    if (!r || !r->plan || !out) return CKP_EINTERNAL;
    char cur[32];
    snprintf(cur, sizeof cur, "%s m", r->plan->currency ? r->plan->currency : "");
    print_header(r, out, cur);
    if (!rep_has_solution(r)) {
        fprintf(out, "\nNo portfolio to report.\n");
        print_proof(r, out);
        return ferror(out) ? CKP_EIO : CKP_OK;
    }
    CKP_TRY(rep_text_summary(r, out));
    fprintf(out, "\nDetails\n");
    CKP_TRY(print_portfolio(r, out, cur));
    CKP_TRY(print_upgrades(r, out, cur));
    CKP_TRY(rep_text_stockpiles(r, out, cur));
    CKP_TRY(rep_text_releases(r, out));
    CKP_TRY(print_budget(r, out, cur));
    CKP_TRY(print_exposure(r, out));
    CKP_TRY(print_added(r, out));
    CKP_TRY(print_totals(r, out));
    CKP_TRY(print_shortage(r, out));
    CKP_TRY(print_goal(r, out));
    CKP_TRY(print_policy(r, out));
    CKP_TRY(print_concentration(r, out));
    CKP_TRY(print_scorecard(r, out));
    CKP_TRY(rep_finance_text(r, out));
    CKP_TRY(rep_text_scenarios(r, out));
    print_proof(r, out);
    return ferror(out) ? CKP_EIO : CKP_OK;
}
