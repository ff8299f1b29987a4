/* test_finance.c: the measure cannot be gamed, on hand-solved plans under
 * tests/data/finance/ (each carries its hand computation in an XML
 * comment): a stockpile cannot hide the chokepoint's supply when a
 * facility uses more input than the recipe (a-stock-ratio), and a final
 * good of weight 0 cannot go unserved for free (b-weight-zero), with one
 * warning that says what the model does.  Additionality: a committed
 * project is in the baseline and not fundable, requiring it is always met
 * and excluding it forbids the other project (c-committed); output
 * contracted to the chokepoint does not serve the bloc unless the option
 * buys it out (d-contract). */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ckp/check.h"
#include "ckp/load.h"
#include "ckp/model.h"
#include "ckp/result.h"
#include "ckp/report.h"
#include "ckp/study.h"

#define TOL 1e-6

static void assert_near(double got, double want, const char *what)
{
    if (!(fabs(got - want) <= TOL))
        fail_msg("%s: got %.12g, hand value %.12g", what, got, want);
}

/* Share of commodity id in year index y (portfolio or baseline). */
static double share(const ckp_plan *plan, const ckp_result *r, const char *id, int y,
                    int baseline)
{
    int c = ckp_plan_find_commodity(plan, id);
    assert_true(c >= 0);
    return (baseline ? r->baseline_exposure : r->exposure)[c * r->n_years + y];
}

static double shortage_sum(const ckp_result *r, const ckp_plan *plan, int baseline)
{
    double t = 0;
    for (int i = 0; i < plan->n_commodities * r->n_years; i++)
        t += (baseline ? r->baseline_shortage : r->shortage)[i];
    return t;
}

/* a: calm alone.  Before the fix the stock (rho 20.2 per kt) undercut the
 * chokepoint's real route (30 per kt) and the shares read 0; now rho is
 * 30.3 per kt and nothing is drawn or bought. */
static void stock_cannot_hide_chokepoint(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/finance/a-stock-ratio.xml");
    ckp_model_params mp;
    ckp_model_params_init(&mp);
    mp.scenario = "calm";
    ckp_result *r = tu_solve(plan, &mp, NULL);
    assert_int_equal(r->status, CKP_MIP_OPTIMAL);
    assert_int_equal(r->n_stockpile_picks, 0);
    assert_near(r->objective_value, 6.0, "objective (calm)");
    assert_near(r->baseline_objective, 6.0, "baseline (calm)");
    for (int y = 0; y < 2; y++) {
        assert_near(share(plan, r, "magnet", y, 0), 1.0, "magnet share");
        assert_near(share(plan, r, "oxide", y, 0), 2.0, "oxide share");
        assert_near(r->release[y], 0.0, "release");
    }
    ckp_result_free(r);

    /* the release column's coefficient: 1.01 x 30 per kt + 1e-6 */
    ckp_model *m = NULL;
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_model_build(plan, &mp, &m, &d), CKP_OK);
    int j = ckp_mip_find_col(&m->mip, "r[K,2026]");
    assert_true(j >= 0);
    assert_near(m->mip.obj[j], 30.300001, "rho");
    ckp_model_free(m);
    ckp_diag_list_fini(&d);
    ckp_plan_free(plan);
}

/* a: both scenarios.  The stock still covers the export stop of 2027
 * (100 t released in ban, none in calm). */
static void stock_still_covers_the_ban(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/finance/a-stock-ratio.xml");
    ckp_result *r = tu_solve(plan, NULL, NULL);
    assert_int_equal(r->status, CKP_MIP_OPTIMAL);
    assert_int_equal(r->n_stockpile_picks, 1);
    assert_near(r->objective_value, 6.01500005, "objective (expected)");
    int calm = r->scenario_plan[0] == 0 ? 0 : 1, ban = 1 - calm;
    /* release [s][stockpile][y], one stockpile */
    assert_near(r->release[calm * 2 + 0], 0, "calm 2026");
    assert_near(r->release[calm * 2 + 1], 0, "calm 2027");
    assert_near(r->release[ban * 2 + 0], 0, "ban 2026");
    assert_near(r->release[ban * 2 + 1], 100, "ban 2027");
    assert_near(r->scen_value[calm], 6.0, "V(calm)");
    assert_near(r->scen_value[ban], 6.0300001, "V(ban)");
    assert_near(r->scen_baseline_value[ban], 13.0, "V(ban), baseline");
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* b: weight 0 on the final good.  Shortage priced at 1.02 x S* =
 * 10.200002 per kt; the magnets are served, the oxide share is what CN
 * supplies, P is funded; one warning for the two models of the solve. */
static void weight_zero_is_served(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/finance/b-weight-zero.xml");
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    ckp_result *r = NULL;
    assert_int_equal(ckp_run(plan, NULL, NULL, &r, &d), CKP_OK);
    assert_int_equal(r->status, CKP_MIP_OPTIMAL);
    assert_int_equal(d.n_errors, 0);
    assert_int_equal(d.n_warnings, 1);
    char *t = tu_diag_text(&d);
    assert_non_null(strstr(t, "b-weight-zero.xml:40: warning: commodity 'magnet' has "
                              "weight 0: its own share is not in the objective, but "
                              "its shortage is priced at 1.02 x the exposure of "
                              "serving it from the chokepoint through its inputs "
                              "(10.2 per kt in 2026)"));
    assert_null(strstr(t, "raise shortage-penalty"));
    free(t);
    assert_int_equal(r->n_picks, 1);
    assert_string_equal(plan->projects[r->picks[0].project].id, "P");
    assert_int_equal(r->picks[0].online, 2027);
    assert_near(r->objective_value, 1.0, "objective");
    assert_near(r->baseline_objective, 2.0, "baseline");
    assert_near(share(plan, r, "oxide", 0, 1), 1.0, "oxide 2026, baseline");
    assert_near(share(plan, r, "oxide", 1, 1), 1.0, "oxide 2027, baseline");
    assert_near(share(plan, r, "oxide", 0, 0), 1.0, "oxide 2026");
    assert_near(share(plan, r, "oxide", 1, 0), 0.0, "oxide 2027");
    assert_near(shortage_sum(r, plan, 0), 0, "shortage");
    assert_near(shortage_sum(r, plan, 1), 0, "baseline shortage");
    ckp_result_free(r);
    ckp_diag_list_fini(&d);

    ckp_model *m = NULL;
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_model_build(plan, NULL, &m, &d), CKP_OK);
    assert_near(m->mip.obj[ckp_mip_find_col(&m->mip, "s[magnet,2026]")], 10.200002,
                "shortage coefficient");
    ckp_model_free(m);
    ckp_diag_list_fini(&d);
    ckp_plan_free(plan);
}

/* Production of producer id in year index y (t/yr), portfolio. */
static double produced(const ckp_plan *plan, const ckp_result *r, const char *id, int y)
{
    for (int f = 0; f < plan->n_facilities; f++)
        if (strcmp(plan->facilities[f].id, id) == 0)
            return r->production[f * r->n_years + y];
    int p = ckp_plan_find_project(plan, id);
    assert_true(p >= 0);
    return r->production[(plan->n_facilities + p) * r->n_years + y];
}

static void assert_picks(const ckp_plan *plan, const ckp_result *r, const char *want)
{
    char got[256] = "";
    for (int i = 0; i < r->n_picks; i++) {
        const ckp_project *p = &plan->projects[r->picks[i].project];
        size_t n = strlen(got);
        snprintf(got + n, sizeof got - n, "%s%s/%s", i ? " " : "", p->id,
                 p->options[r->picks[i].option].id);
    }
    if (strcmp(got, want) != 0) fail_msg("picks '%s', expected '%s'", got, want);
}

/* c: A committed (in the baseline, never a pick); B funded; D, which
 * excludes A, never. */
static void committed_is_baseline(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/finance/c-committed.xml");
    int ia = ckp_plan_find_project(plan, "A");
    assert_int_equal(plan->projects[ia].committed, 1);
    assert_int_equal(plan->projects[ia].n_options, 0);
    assert_string_equal(plan->projects[ia].as_of, "2026-01");
    assert_int_equal(plan->projects[ckp_plan_find_project(plan, "B")].committed, 0);
    assert_int_equal(ckp_plan_project_online(plan, ia), 2027);
    ckp_result *r = tu_solve(plan, NULL, NULL);
    assert_int_equal(r->status, CKP_MIP_OPTIMAL);
    assert_picks(plan, r, "B/loan");
    assert_near(r->baseline_objective, 2.25, "baseline");
    assert_near(r->objective_value, 1.25, "objective");
    assert_near(produced(plan, r, "A", 0), 0, "A 2026");
    assert_near(produced(plan, r, "A", 1), 25, "A 2027");
    assert_near(produced(plan, r, "A", 2), 50, "A 2028");
    assert_near(r->commitment_total, 10, "commitment");
    ckp_result_free(r);

    /* The model: no start column for A, x[D] <= 0 */
    ckp_model *m = NULL;
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_model_build(plan, NULL, &m, &d), CKP_OK);
    int a = ckp_plan_find_project(plan, "A");
    assert_int_equal(m->project_first[a], m->project_first[a + 1]);
    int row = ckp_mip_find_row(&m->mip, "excl[A,D]");
    assert_true(row >= 0);
    assert_true(m->mip.row_ub[row] == 0);
    assert_int_equal(ckp_mip_find_row(&m->mip, "req[B,A]"), -1);
    ckp_model_free(m);
    ckp_diag_list_fini(&d);

    /* --force A: a usage error */
    ckp_model_params mp;
    ckp_model_params_init(&mp);
    const char *force[] = {"A"};
    mp.force = force;
    mp.n_force = 1;
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_model_build(plan, &mp, &m, &d), CKP_EUSAGE);
    char *t = tu_diag_text(&d);
    assert_non_null(strstr(t, "error: project 'A' cannot be forced: it is committed"));
    free(t);
    ckp_diag_list_fini(&d);

    /* --exclude A: a usage error too (it is built whatever the bank does) */
    ckp_model_params_init(&mp);
    mp.exclude = force;
    mp.n_exclude = 1;
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_model_build(plan, &mp, &m, &d), CKP_EUSAGE);
    t = tu_diag_text(&d);
    assert_non_null(strstr(t, "error: project 'A' cannot be excluded: it is committed"));
    free(t);
    ckp_diag_list_fini(&d);
    ckp_plan_free(plan);
}

/* c: a portfolio that funds the committed A is a violation (not a
 * crash: A has no option), and explain gives A the reason "committed"
 * without re-solving it. */
static void committed_in_studies(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/finance/c-committed.xml");
    ckp_portfolio pf;
    ckp_portfolio_init(&pf);
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_portfolio_add_fund(&pf, "A", &d), CKP_OK);
    assert_int_equal(ckp_portfolio_add_fund(&pf, "B", &d), CKP_OK);
    assert_int_equal(ckp_portfolio_add_fund(&pf, "D", &d), CKP_OK);
    ckp_resolved *rs = NULL;
    assert_int_equal(ckp_portfolio_resolve(plan, &pf, NULL, &rs, &d), CKP_OK);
    /* A itself; D excludes the committed A; B requires A: met */
    assert_int_equal(rs->n_violations, 2);
    char *t = tu_diag_text(&d);
    assert_null(strstr(t, "requires"));
    assert_non_null(strstr(t, "project 'D' excludes the committed project 'A'"));
    assert_non_null(strstr(t, "project 'A' is committed: built with or without the bank, "
                              "it is in the baseline and cannot be funded"));
    free(t);
    ckp_resolved_free(rs);
    ckp_portfolio_fini(&pf);
    ckp_diag_list_fini(&d);

    ckp_result *r = tu_solve(plan, NULL, NULL);
    ckp_solve_params sp;
    ckp_solve_params_init(&sp);
    ckp_model_params mp;
    ckp_model_params_init(&mp);
    ckp_explain *e = NULL;
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_explain_run(plan, &mp, &sp, r, 1, &e, &d), CKP_OK);
    assert_int_equal(d.n_errors, 0);
    int a = ckp_plan_find_project(plan, "A");
    assert_int_equal(e->items[a].funded, 0);
    assert_int_equal(e->items[a].why, CKP_WHY_COMMITTED);
    assert_true(isnan(e->items[a].objective)); /* not re-solved */
    assert_string_equal(ckp_why_not_str(CKP_WHY_COMMITTED), "committed");
    ckp_explain_free(e);
    ckp_diag_list_fini(&d);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* d: the contract to CN makes N's loan worthless; its buyout option frees
 * the output. */
static void contract_needs_buyout(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/finance/d-contract.xml");
    /* what the loader reads (defaults: share 1, the horizon's years) */
    const ckp_facility *tz = &plan->facilities[1];
    assert_int_equal(tz->n_contracts, 1);
    assert_int_equal(tz->contracts[0].from, 2026);
    assert_int_equal(tz->contracts[0].to, 2027);
    assert_string_equal(tz->contracts[0].as_of, "2026-01");
    assert_string_equal(plan->countries[tz->contracts[0].buyer.ix].id, "CN");
    const ckp_project *n = &plan->projects[ckp_plan_find_project(plan, "N")];
    assert_true(n->contracts[0].share == 1);
    assert_int_equal(n->contracts[0].from, 2026);
    assert_int_equal(n->contracts[0].to, 2028);
    assert_null(n->contracts[0].as_of);
    assert_int_equal(n->options[0].buys_out, 0);
    assert_int_equal(n->options[1].buys_out, 1);
    assert_near(ckp_plan_contracted_out(plan, 1, 2027), 1, "tz out 2027");
    assert_near(ckp_plan_contracted_out(plan, 1, 2028), 0, "tz out 2028");
    ckp_result *r = tu_solve(plan, NULL, NULL);
    assert_int_equal(r->status, CKP_MIP_OPTIMAL);
    assert_picks(plan, r, "U/loan");
    assert_near(r->baseline_objective, 2.5, "baseline");
    assert_near(r->objective_value, 1.9, "objective (budget 30)");
    assert_near(produced(plan, r, "tz", 1), 0, "tz 2027 (contracted)");
    assert_near(produced(plan, r, "tz", 2), 60, "tz 2028");
    ckp_result_free(r);

    ckp_model_params mp;
    ckp_model_params_init(&mp);
    mp.budget_total = 45;
    r = tu_solve(plan, &mp, NULL);
    assert_int_equal(r->status, CKP_MIP_OPTIMAL);
    assert_picks(plan, r, "N/buyout U/loan");
    assert_near(r->objective_value, 1.6, "objective (budget 45)");
    assert_near(produced(plan, r, "N", 1), 60, "N 2027");
    ckp_result_free(r);

    /* the old reading: without the contract the loan would do */
    plan->projects[ckp_plan_find_project(plan, "N")].contracts[0].share = 0;
    r = tu_solve(plan, NULL, NULL);
    assert_picks(plan, r, "N/loan U/loan");
    assert_near(r->objective_value, 1.6, "objective, no contract");
    ckp_result_free(r);
    ckp_plan_free(plan);
}



/* e: private capital mobilised counts the private co-financiers only,
 * the project's and the chosen option's (docs/finance.md). */
static void cofinance_by_type(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/finance/e-cofinance.xml");
    const ckp_project *p = &plan->projects[0];
    assert_int_equal(p->n_cofinanciers, 3);
    assert_int_equal(p->cofinanciers[1].type, CKP_COFIN_PUBLIC);
    assert_int_equal(p->cofinanciers[2].type, CKP_COFIN_MULTILATERAL);
    assert_int_equal(p->cofinanciers[0].direct, 0);
    assert_string_equal(p->cofinanciers[0].as_of, "2026-01");
    assert_int_equal(p->options[0].n_cofinanciers, 1);
    assert_int_equal(p->options[0].cofinanciers[0].direct, 1);
    ckp_result *r = tu_solve(plan, NULL, NULL);
    assert_int_equal(r->status, CKP_MIP_OPTIMAL);
    assert_picks(plan, r, "P/loan");
    assert_near(r->objective_value, 1.5, "objective");
    assert_near(r->capex_total, 110, "capex");
    assert_near(r->private_capital, 40, "private capital mobilised");
    assert_near(r->private_direct, 30, "direct");
    assert_near(r->public_cofinance, 15, "public");
    assert_near(r->multilateral_cofinance, 5, "multilateral");
    assert_near(r->unattributed_capital, 10, "no declared source");
    /* transparency: 9 records (1 demand point, 1 facility, 1 project, 3
       + 1 co-financiers, 2 options); the Sponsor alone gives a source and
       an as-of date */
    char *j = tu_capture(tu_report_json, r);
    assert_non_null(strstr(j, "\"transparency\": {\n    \"records\": 9,\n    \"with_source\": 1,\n"
                              "    \"without_source\": 8,\n    \"with_as_of\": 1\n  }"));
    free(j);
    char *t = tu_capture(ckp_report_text, r);
    assert_non_null(strstr(t, "Transparency of the plan's figures\n"));
    assert_non_null(strstr(t, "    without a source             8\n"));
    free(t);
    ckp_result_free(r);

    /* the loan over the budget: the grant, which brings in nobody */
    plan->projects[0].options[0].commitment = 41;
    r = tu_solve(plan, NULL, NULL);
    assert_picks(plan, r, "P/grant");
    assert_near(r->private_capital, 10, "private capital (grant)");
    assert_near(r->private_direct, 0, "direct (grant)");
    assert_near(r->public_cofinance, 15, "public (grant)");
    assert_near(r->multilateral_cofinance, 5, "multilateral (grant)");
    assert_near(r->unattributed_capital, 40, "no declared source (grant)");
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* f: the scorecard's hand figures (the plan's comment), in every back end:
 * scorecard.csv and scorecard_capacity.csv (--out), the text report, JSON
 * (valid against the schema's shape: tu_json_valid) and report.html. */
static void scorecard_hand_figures(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/finance/f-scorecard.xml");
    ckp_result *r = tu_solve(plan, NULL, NULL);
    assert_int_equal(r->status, CKP_MIP_OPTIMAL);
    assert_picks(plan, r, "P/offtake");
    char *dir = tu_tmpdir("finance");
    char out[600];
    snprintf(out, sizeof out, "%s/out", dir);
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_report_write_dir(r, NULL, out, &d), CKP_OK);
    ckp_diag_list_fini(&d);
    char path[700];
    snprintf(path, sizeof path, "%s/scorecard.csv", out);
    char *csv = tu_read_file(path, NULL);
    assert_non_null(csv);
    assert_string_equal(csv,
        "stage,year,capacity_outside_before_t_per_year,capacity_outside_after_t_per_year,"
        "offtake_before_t_per_year,offtake_after_t_per_year,offtake_share_before,"
        "offtake_share_after,top_share_before,top_share_after,hhi_before,hhi_after,"
        "third_country_before,third_country_after,third_share_before,third_share_after\n"
        "sep,2026,20,20,0,0,0,0,0.8,0.8,6800,6800,CN,CN,0.8,0.8\n"
        "sep,2027,20,70,0,50,0,0.5,0.8,0.5,6800,3800,CN,CN,0.8,0.3\n");
    free(csv);
    snprintf(path, sizeof path, "%s/scorecard_capacity.csv", out);
    csv = tu_read_file(path, NULL);
    assert_non_null(csv);
    assert_string_equal(csv,
        "stage,country,country_name,year,capacity_before_t_per_year,capacity_after_t_per_year\n"
        "sep,MY,Partner,2026,20,20\n"
        "sep,MY,Partner,2027,20,20\n"
        "sep,US,Member,2027,0,50\n");
    free(csv);
    snprintf(path, sizeof path, "%s/datapackage.json", out);
    char *dp = tu_read_file(path, NULL);
    assert_non_null(strstr(dp, "\"path\": \"scorecard.csv\""));
    assert_non_null(strstr(dp, "\"path\": \"scorecard_capacity.csv\""));
    free(dp);
    tu_tmp_remove(dir);
    free(dir);

    char *t = tu_capture(ckp_report_text, r);
    assert_non_null(strstr(t, "\nScorecard per stage and year"));
    assert_non_null(strstr(t, "  sep    2027               20 -> 70       0 -> 50  0.0 % -> 50.0 %"
                              "  80.0 % -> 50.0 %  6800 -> 3800  CN -> CN       80.0 % -> 30.0 %\n"));
    assert_non_null(strstr(t, "  sep    US       Member        2027        0 -> 50\n"));
    free(t);
    char *j = tu_capture(tu_report_json, r);
    assert_true(tu_json_valid(j));
    assert_non_null(strstr(j, "\"scorecard\": ["));
    assert_non_null(strstr(j, "\"offtake_share_after\": 0.5"));
    assert_non_null(strstr(j, "\"scorecard_capacity\": ["));
    free(j);
    char *h = tu_capture(tu_report_html, r);
    assert_non_null(strstr(h, "<section id=\"scorecard\">"));
    assert_non_null(strstr(h, "<td class=\"num\">20 -&gt; 70</td>"));
    assert_non_null(strstr(h, "<p id=\"transparency\">Transparency: 0 of the plan's 5 records "
                              "carrying figures give a source (5 without), 0 an as-of date.</p>"));
    free(h);
    ckp_result_free(r);

    /* a policy cap of 0.75: CN's 0.8 is above it before; after, 2027's 0.3 is not */
    ckp_model_params mp;
    ckp_model_params_init(&mp);
    mp.max_share = 0.75;
    r = tu_solve(plan, &mp, NULL);
    t = tu_capture(ckp_report_text, r);
    assert_non_null(strstr(t, "80.0 % -> 80.0 %  yes -> yes\n"));
    assert_non_null(strstr(t, "80.0 % -> 30.0 %   yes -> no\n"));
    free(t);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stock_cannot_hide_chokepoint),
        cmocka_unit_test(stock_still_covers_the_ban),
        cmocka_unit_test(weight_zero_is_served),
        cmocka_unit_test(committed_is_baseline),
        cmocka_unit_test(committed_in_studies),
        cmocka_unit_test(contract_needs_buyout),
        cmocka_unit_test(cofinance_by_type),
        cmocka_unit_test(scorecard_hand_figures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
