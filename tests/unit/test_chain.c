/* test_chain.c: commodity-specific feeds (docs/formulation.md 7i) on the
 * hand-solved plan tests/data/chain/g-feeds.xml (its comment carries the
 * hand computation): a restricted concentrate cannot reach the cheap plant,
 * so the model funds the capable one; the model has no flow column into a
 * plant that cannot take the feed; without the restriction the cheap plant
 * wins (the old reading); a feed no plant can take is warned about and
 * funded for nothing.
 * Supply at risk and local processing (docs/formulation.md 7j) on
 * tests/data/chain/h-risk.xml: the final demand unmet if the chokepoint
 * stops exporting, before (80, 80 t) and after (80, 40 t), and the share
 * of the concentrate mined outside the chokepoint processed where it is
 * mined (0 before; 0 then 40/90 after), in every report form; a reserve the
 * portfolio buys is drawn in the stop. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ckp/check.h"
#include "ckp/load.h"
#include "ckp/model.h"
#include "ckp/report.h"
#include "ckp/result.h"
#include "util/alloc.h"

#define TOL 1e-6

static void assert_near(double got, double want, const char *what)
{
    if (!(fabs(got - want) <= TOL))
        fail_msg("%s: got %.12g, hand value %.12g", what, got, want);
}

/* The funded projects' ids joined by ',' in plan order. */
static void picked(const ckp_plan *plan, const ckp_result *r, char *buf, size_t n)
{
    buf[0] = '\0';
    for (int i = 0; i < r->n_picks; i++) {
        if (i) strncat(buf, ",", n - strlen(buf) - 1);
        strncat(buf, plan->projects[r->picks[i].project].id, n - strlen(buf) - 1);
    }
}

static double total_commitment(const ckp_result *r)
{
    double t = 0;
    for (int i = 0; i < r->n_picks; i++) t += r->picks[i].commitment;
    return t;
}

static char **attr_of(ckp_plan *plan, const char *project, int processes)
{
    int p = ckp_plan_find_project(plan, project);
    assert_true(p >= 0);
    return processes ? &plan->projects[p].processes : &plan->projects[p].requires_process;
}

/* E's eudialyte concentrate reaches B only: E + B (30), exposure 2. */
static void restricted_feed_funds_capable_plant(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/chain/g-feeds.xml");
    ckp_result *r = tu_solve(plan, NULL, NULL);
    char buf[200];
    picked(plan, r, buf, sizeof buf);
    assert_string_equal(buf, "E,B");
    assert_near(r->objective_value, 2.0, "objective");
    assert_near(r->baseline_objective, 6.0, "baseline");
    assert_near(total_commitment(r), 30.0, "commitment");
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* The flows: v[E,B,y] from 2027 (both online), none into A or the
 * chokepoint's separator; E's own column is not in the balance. */
static void no_flow_into_a_plant_that_cannot_take_it(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/chain/g-feeds.xml");
    ckp_model_params mp;
    ckp_model_params_init(&mp);
    ckp_model *m = NULL;
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_model_build(plan, &mp, &m, &d), CKP_OK);
    assert_int_equal(m->n_feeds, 2);
    assert_true(ckp_mip_find_col(&m->mip, "v[E,B,2027]") >= 0);
    assert_true(ckp_mip_find_col(&m->mip, "v[E,B,2028]") >= 0);
    assert_true(ckp_mip_find_col(&m->mip, "v[E,A,2027]") < 0);
    assert_true(ckp_mip_find_col(&m->mip, "v[E,cn-sep,2027]") < 0);
    assert_true(ckp_mip_find_col(&m->mip, "v[E,B,2026]") < 0);
    int feed = ckp_mip_find_row(&m->mip, "feed[E,2027]");
    int take = ckp_mip_find_row(&m->mip, "take[B,conc,2027]");
    int bal = ckp_mip_find_row(&m->mip, "bal[conc,2027]");
    int qe = ckp_mip_find_col(&m->mip, "q[E,2027]");
    int qb = ckp_mip_find_col(&m->mip, "q[B,2027]");
    int v = ckp_mip_find_col(&m->mip, "v[E,B,2027]");
    assert_true(feed >= 0 && take >= 0 && bal >= 0 && qe >= 0 && qb >= 0);
    assert_int_equal(m->row_kind[feed], CKP_ROW_FEED);
    assert_int_equal(m->row_kind[take], CKP_ROW_TAKE);
    assert_near(ckp_mip_coef(&m->mip, feed, v), 1.0, "feed: v");
    assert_near(ckp_mip_coef(&m->mip, feed, qe), -1.0, "feed: q[E]");
    assert_near(ckp_mip_coef(&m->mip, take, v), 1.0, "take: v");
    assert_near(ckp_mip_coef(&m->mip, take, qb), -1.0, "take: q[B]");
    assert_near(ckp_mip_coef(&m->mip, bal, v), 1.0, "bal: v");
    assert_near(ckp_mip_coef(&m->mip, bal, qe), 0.0, "bal: q[E]");
    ckp_model_free(m);
    ckp_diag_list_fini(&d);
    ckp_plan_free(plan);
}

/* Without requires-process on E, any plant takes its concentrate: the
 * cheap A does the same job, E + A (20) at exposure 2. */
static void unrestricted_feed_funds_cheap_plant(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/chain/g-feeds.xml");
    char **rp = attr_of(plan, "E", 0);
    ckp_free(*rp);
    *rp = NULL;
    ckp_result *r = tu_solve(plan, NULL, NULL);
    char buf[200];
    picked(plan, r, buf, sizeof buf);
    assert_string_equal(buf, "E,A");
    assert_near(r->objective_value, 2.0, "objective");
    assert_near(total_commitment(r), 20.0, "commitment");
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* Without processes on B nothing takes E's concentrate: feed-no-taker at
 * E's line, and A alone (10) at 4 is the optimum. */
static void feed_without_taker(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/chain/g-feeds.xml");
    char **pr = attr_of(plan, "B", 1);
    ckp_free(*pr);
    *pr = NULL;
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_plan_check(plan, &d), CKP_OK);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.items[0].code, "feed-no-taker");
    assert_int_equal(d.items[0].line, plan->projects[ckp_plan_find_project(plan, "E")].line);
    assert_non_null(strstr(d.items[0].message, "project 'E'"));
    assert_non_null(strstr(d.items[0].message, "'eudialyte'"));
    assert_non_null(strstr(d.items[0].message, "'conc'"));
    ckp_diag_list_fini(&d);
    ckp_result *r = tu_solve(plan, NULL, NULL);
    char buf[200];
    picked(plan, r, buf, sizeof buf);
    assert_string_equal(buf, "A");
    assert_near(r->objective_value, 4.0, "objective");
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* A process named in a list of several, with spaces around. */
static void process_lists(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/chain/g-feeds.xml");
    char **pr = attr_of(plan, "B", 1);
    ckp_free(*pr);
    *pr = ckp_strdup("  ionic-clay\teudialyte  ");
    int b = plan->n_facilities + ckp_plan_find_project(plan, "B");
    int a = plan->n_facilities + ckp_plan_find_project(plan, "A");
    int e = plan->n_facilities + ckp_plan_find_project(plan, "E");
    assert_true(ckp_plan_producer_takes(plan, b, "eudialyte"));
    assert_true(ckp_plan_producer_takes(plan, b, "ionic-clay"));
    assert_false(ckp_plan_producer_takes(plan, b, "eudia"));
    assert_false(ckp_plan_producer_takes(plan, a, "eudialyte"));
    assert_true(ckp_plan_feed_reaches(plan, e, b));
    assert_false(ckp_plan_feed_reaches(plan, e, a));
    assert_false(ckp_plan_feed_reaches(plan, b, e));
    ckp_plan_free(plan);
}


/* t/yr unmet of commodity id in year index y, before (0) or after (1). */
static double at_risk(const ckp_plan *plan, const ckp_result *r, const char *id, int y,
                      int after)
{
    int c = ckp_plan_find_commodity(plan, id);
    assert_true(c >= 0);
    assert_non_null(r->supply_at_risk);
    return r->supply_at_risk[((size_t)after * plan->n_commodities + c) * r->n_years + y];
}

/* h: the hand figures of the plan's comment. */
static void supply_at_risk_by_hand(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/chain/h-risk.xml");
    ckp_result *r = tu_solve(plan, NULL, NULL);
    char buf[200];
    picked(plan, r, buf, sizeof buf);
    assert_string_equal(buf, "T,S");
    assert_near(at_risk(plan, r, "oxide", 0, 0), 80, "oxide 2026 before");
    assert_near(at_risk(plan, r, "oxide", 1, 0), 80, "oxide 2027 before");
    assert_near(at_risk(plan, r, "oxide", 0, 1), 80, "oxide 2026 after");
    assert_near(at_risk(plan, r, "oxide", 1, 1), 40, "oxide 2027 after");
    assert_near(at_risk(plan, r, "conc", 1, 1), 0, "conc: no final demand");
    ckp_result_free(r);

    /* without a country of risk 1 there is no chokepoint to stop */
    plan->countries[ckp_plan_find_country(plan, "CN")].risk = 0.9;
    r = tu_solve(plan, NULL, NULL);
    assert_null(r->supply_at_risk);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* The portfolio's stockpile counts: the figure is what the model would
 * serve with the chokepoint stopped.  One stage, CN makes all 100 t/yr of
 * oxide; a 100 t reserve (release 100 t/yr) bought in 2027 pays against a
 * ban in 2027, so the optimum buys it.  Before: 100 t unmet in 2026 and
 * 2027; after: 100 t in 2026 (the reserve is not there yet), 0 in 2027. */
static const char stock_plan[] =
    "<plan xmlns=\"urn:chokepoint:plan:1\" version=\"1\" name=\"stock at risk\" "
    "currency=\"USD\"><horizon first=\"2026\" last=\"2027\"/>"
    "<countries><country id=\"CN\" risk=\"1\"/><country id=\"US\" risk=\"0\"/></countries>"
    "<stages><stage id=\"sep\" order=\"1\"/></stages>"
    "<commodities><commodity id=\"oxide\" stage=\"sep\"><demand year=\"2026\" tonnes=\"100\"/>"
    "</commodity></commodities>"
    "<facilities><facility id=\"cn\" country=\"CN\" output=\"oxide\" capacity=\"200\"/>"
    "</facilities>"
    "<stockpiles><stockpile id=\"K\" commodity=\"oxide\" tonnes=\"100\" release=\"100\" "
    "cost=\"5\" year=\"2027\"/></stockpiles>"
    "<budget total=\"10\"/><objective kind=\"weighted\" shortage-penalty=\"10\"/>"
    "<scenarios><scenario id=\"calm\" probability=\"0.5\"/>"
    "<scenario id=\"ban\" probability=\"0.5\"><export-restriction country=\"CN\" "
    "from=\"2027\" to=\"2027\" scale=\"0\"/></scenario></scenarios></plan>";

static void supply_at_risk_counts_the_stockpile(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked_str(stock_plan);
    ckp_result *r = tu_solve(plan, NULL, NULL);
    assert_int_equal(r->n_stockpile_picks, 1);
    assert_near(at_risk(plan, r, "oxide", 0, 0), 100, "2026 before");
    assert_near(at_risk(plan, r, "oxide", 1, 0), 100, "2027 before");
    assert_near(at_risk(plan, r, "oxide", 0, 1), 100, "2026 after");
    assert_near(at_risk(plan, r, "oxide", 1, 1), 0, "2027 after: the reserve");
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* h: every report form carries the figures (CSV with units, JSON valid
 * against the summary's shape, text, HTML, datapackage). */
static void scorecard_commodities_everywhere(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/chain/h-risk.xml");
    ckp_result *r = tu_solve(plan, NULL, NULL);
    char *dir = tu_tmpdir("chain");
    char out[600], path[700];
    snprintf(out, sizeof out, "%s/out", dir);
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_report_write_dir(r, NULL, out, &d), CKP_OK);
    ckp_diag_list_fini(&d);
    snprintf(path, sizeof path, "%s/scorecard_commodities.csv", out);
    char *csv = tu_read_file(path, NULL);
    assert_non_null(csv);
    assert_string_equal(csv,
        "commodity,year,final_demand_t_per_year,supply_at_risk_before_t_per_year,"
        "supply_at_risk_after_t_per_year,local_processing_before,local_processing_after\n"
        "conc,2026,,,,0,0\n"
        "conc,2027,,,,0,0.4444444444\n"
        "oxide,2026,100,80,80,,\n"
        "oxide,2027,100,80,40,,\n");
    free(csv);
    snprintf(path, sizeof path, "%s/datapackage.json", out);
    char *dp = tu_read_file(path, NULL);
    assert_non_null(strstr(dp, "\"path\": \"scorecard_commodities.csv\""));
    free(dp);
    tu_tmp_remove(dir);
    free(dir);

    char *t = tu_capture(ckp_report_text, r);
    assert_non_null(strstr(t, "  oxide      2027                100             80 -> 40"));
    assert_non_null(strstr(t, "  Supply at risk if the chokepoint stops exporting, 2027 (final "
                              "demand unmet, no funding -> with the portfolio): oxide 80 -> 40 t "
                              "of 100 t\n"));
    assert_non_null(strstr(t, "  conc       2027                  -               - -> -   "
                              "0.0 % -> 44.4 %\n"));
    free(t);
    char *j = tu_capture(tu_report_json, r);
    assert_true(tu_json_valid(j));
    assert_non_null(strstr(j, "\"scorecard_commodities\": ["));
    assert_non_null(strstr(j, "\"supply_at_risk_after\": 40,"));
    assert_non_null(strstr(j, "\"local_processing_after\": 0.4444444444\n"));
    assert_non_null(strstr(j, "\"supply_at_risk\": [\n      {\n        \"commodity\": \"oxide\",\n"
                              "        \"final_demand\": 100,\n        \"before\": 80,\n"
                              "        \"after\": 40\n"));
    free(j);
    char *h = tu_capture(tu_report_html, r);
    assert_non_null(strstr(h, "scorecard_commodities.csv"));
    assert_non_null(strstr(h, "<td class=\"num\">80 -&gt; 40</td>"));
    assert_non_null(strstr(h, "<p id=\"supply-at-risk\">Supply at risk if the chokepoint stops "
                              "exporting, 2027 (final demand unmet, no funding -&gt; with the "
                              "portfolio): oxide 80 -&gt; 40 t of 100 t.</p>"));
    free(h);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(restricted_feed_funds_capable_plant),
        cmocka_unit_test(no_flow_into_a_plant_that_cannot_take_it),
        cmocka_unit_test(unrestricted_feed_funds_cheap_plant),
        cmocka_unit_test(feed_without_taker),
        cmocka_unit_test(process_lists),
        cmocka_unit_test(supply_at_risk_by_hand),
        cmocka_unit_test(supply_at_risk_counts_the_stockpile),
        cmocka_unit_test(scorecard_commodities_everywhere),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
