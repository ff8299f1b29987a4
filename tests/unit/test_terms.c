/* test_terms.c: instrument terms and what the budget limits
 * (docs/finance.md "Instrument terms"), on hand-solved plans under
 * tests/data/finance/ (each carries its hand computation in an XML
 * comment): a loan's outstanding per year from its tenor, grace and rate;
 * a guarantee with a small expected loss beats a loan under
 * measure="expected-cost" but not under commitment (g); a price floor
 * whose expected cost follows the scenario's price (h); a cap on
 * contingent liabilities that binds (i); a yearly cap that follows the
 * start year; the per-year figures in every report form (text, JSON, CSV,
 * HTML). */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ckp/check.h"
#include "ckp/model.h"
#include "ckp/report.h"
#include "ckp/result.h"
#include "ckp/terms.h"
#include "util/alloc.h"

#define TOL 1e-6

static void assert_near(double got, double want, const char *what)
{
    if (!(fabs(got - want) <= TOL))
        fail_msg("%s: got %.12g, hand value %.12g", what, got, want);
}

/* "project:option:start ..." of the funded projects, in plan order. */
static void assert_picks(const ckp_plan *plan, const ckp_result *r, const char *want)
{
    char got[512] = "";
    for (int i = 0; i < r->n_picks; i++) {
        const ckp_pick *k = &r->picks[i];
        char one[128];
        snprintf(one, sizeof one, "%s%s:%s:%d", i ? " " : "", plan->projects[k->project].id,
                 plan->projects[k->project].options[k->option].id, k->start);
        strncat(got, one, sizeof got - strlen(got) - 1);
    }
    if (strcmp(got, want) != 0) fail_msg("funded '%s', hand optimum '%s'", got, want);
}

static double fig(const ckp_plan *plan, int o, int start, ckp_fin_measure m, int year)
{
    return ckp_option_figure(plan, 0, o, start, m, year);
}

/* g: the loan of 40 (schedule 1, tenor 5, grace 1, rate 0) started in
 * 2026: 40 outstanding in the grace year, then 4 instalments of 10. */
static void loan_outstanding_by_hand(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/finance/g-guarantee-vs-loan.xml");
    const double out[] = {40, 30, 20, 10, 0, 0};
    for (int k = 0; k < 6; k++) {
        char what[64];
        snprintf(what, sizeof what, "loan outstanding %d", 2026 + k);
        assert_near(fig(plan, 0, 2026, CKP_FIN_OUTSTANDING, 2026 + k), out[k], what);
        assert_near(fig(plan, 0, 2026, CKP_FIN_CONTINGENT, 2026 + k), 0, "loan contingent");
    }
    assert_near(fig(plan, 0, 2026, CKP_FIN_COMMITMENT, 2026), 40, "loan commitment 2026");
    assert_near(fig(plan, 0, 2026, CKP_FIN_COMMITMENT, 2027), 0, "loan commitment 2027");
    assert_near(fig(plan, 0, 2026, CKP_FIN_EXPECTED_COST, 2026), 4, "loan expected cost");
    /* started a year later, every figure moves a year */
    assert_near(fig(plan, 0, 2027, CKP_FIN_OUTSTANDING, 2028), 30, "shifted outstanding");
    assert_near(fig(plan, 0, 2027, CKP_FIN_OUTSTANDING, 2026), 0, "before the start");
    /* the guarantee of 60, tenor 5: contingent 60 in 2026-2030, then 0 */
    assert_near(fig(plan, 1, 2026, CKP_FIN_CONTINGENT, 2030), 60, "guarantee 2030");
    assert_near(fig(plan, 1, 2026, CKP_FIN_CONTINGENT, 2031), 0, "guarantee expired");
    assert_near(fig(plan, 1, 2026, CKP_FIN_OUTSTANDING, 2027), 60, "guarantee outstanding");
    assert_near(ckp_option_figure_total(plan, 0, 1, 2026, CKP_FIN_EXPECTED_COST), 1.2,
                "guarantee expected cost");
    assert_near(ckp_option_figure_total(plan, 0, 0, 2026, CKP_FIN_OUTSTANDING), 40,
                "loan peak");
    ckp_plan_free(plan);

    /* 100 disbursed 50/50, tenor 6, grace 2, rate 10 %: an annuity of
       100 x 0.1 / (1 - 1.1^-4) = 31.547 from the end of 2028: principal
       21.547, 23.702, 26.072, 28.679: 78.453, 54.751, 28.679 left */
    plan = tu_load_checked_str(
        "<plan xmlns='urn:chokepoint:plan:1' version='1' name='annuity'>"
        "<horizon first='2026' last='2027'/>"
        "<countries><country id='US' risk='0'/></countries>"
        "<stages><stage id='s' order='1'/></stages>"
        "<commodities><commodity id='c' stage='s'/></commodities>"
        "<projects><project id='p' country='US' output='c' capacity='1' capex='100'"
        " build-years='1'><option id='o' instrument='loan' commitment='100'"
        " schedule='0.5 0.5'><terms tenor='6' grace='2' rate='0.1'/></option>"
        "</project></projects></plan>");
    const double ann[] = {50, 100, 78.45291963, 54.75113122, 28.67916397, 0, 0};
    for (int k = 0; k < 7; k++) {
        char what[64];
        snprintf(what, sizeof what, "annuity outstanding %d", 2026 + k);
        double got = fig(plan, 0, 2026, CKP_FIN_OUTSTANDING, 2026 + k);
        if (!(fabs(got - ann[k]) <= 1e-6)) fail_msg("%s: got %.10g, hand %.10g", what, got, ann[k]);
    }
    ckp_plan_free(plan);
}

/* g: expected-cost 2 funds the guarantee; commitment 50 the loan;
 * commitment 2 nothing. */
static void guarantee_beats_loan_on_expected_cost(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/finance/g-guarantee-vs-loan.xml");
    ckp_result *r = tu_solve(plan, NULL, NULL);
    assert_picks(plan, r, "P:guarantee:2026");
    ckp_result_free(r);
    plan->budget.measure = CKP_FIN_COMMITMENT;
    plan->budget.total = 50;
    r = tu_solve(plan, NULL, NULL);
    assert_picks(plan, r, "P:loan:2026");
    ckp_result_free(r);
    plan->budget.total = 2;
    r = tu_solve(plan, NULL, NULL);
    assert_picks(plan, r, "");
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* h: floor 70000, 100 t/yr, 2 years from 2027; crash price 50000. */
static void price_floor_by_scenario(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/finance/h-price-floor.xml");
    assert_near(plan->projects[0].options[0].commitment, 14, "commitment = cap");
    const double ec[] = {0, 1, 1, 0}, cl[] = {14, 14, 7, 0};
    for (int k = 0; k < 4; k++) {
        assert_near(fig(plan, 0, 2026, CKP_FIN_EXPECTED_COST, 2026 + k), ec[k],
                    "floor expected cost");
        assert_near(fig(plan, 0, 2026, CKP_FIN_CONTINGENT, 2026 + k), cl[k],
                    "floor contingent liability");
    }
    assert_near(ckp_option_figure_in(plan, 0, 0, 2026, CKP_FIN_EXPECTED_COST, 2027, 1), 2,
                "crash payment 2027");
    assert_near(ckp_option_figure_in(plan, 0, 0, 2026, CKP_FIN_EXPECTED_COST, 2027, 0), 0,
                "calm payment 2027");
    assert_near(ckp_option_figure_total(plan, 0, 0, 2026, CKP_FIN_EXPECTED_COST), 2,
                "floor expected cost in all");
    ckp_result *r = tu_solve(plan, NULL, NULL);
    assert_picks(plan, r, "P:floor:2026");
    ckp_result_free(r);
    /* the crash above the floor: price support costs nothing */
    plan->scenarios[1].changes[0].value = 75000;
    assert_near(ckp_option_figure_total(plan, 0, 0, 2026, CKP_FIN_EXPECTED_COST), 0,
                "floor below the market");
    ckp_plan_free(plan);
}

/* i: 60 x_A + 60 x_B <= 100: A and C; without the cap A, B and C. */
static void contingent_cap_binds(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/finance/i-contingent-cap.xml");
    ckp_model *m = NULL;
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_model_build(plan, NULL, &m, &d), CKP_OK);
    int row = ckp_mip_find_row(&m->mip, "fin_cap_total[contingent-liability]");
    assert_true(row >= 0);
    assert_near(m->mip.row_ub[row], 100, "cap");
    assert_near(ckp_mip_coef(&m->mip, row, m->starts[m->project_first[0]].col), 60, "A");
    assert_near(ckp_mip_coef(&m->mip, row, m->starts[m->project_first[1]].col), 60, "B");
    assert_near(ckp_mip_coef(&m->mip, row, m->starts[m->project_first[2]].col), 0, "C");
    ckp_model_free(m);
    ckp_diag_list_fini(&d);
    ckp_result *r = tu_solve(plan, NULL, NULL);
    assert_picks(plan, r, "A:guarantee:2026 C:loan:2026");
    ckp_result_free(r);
    plan->budget.caps[0].total = 120;
    plan->budget.caps[0].limits[0].value = 120; /* its 2027 limit */
    r = tu_solve(plan, NULL, NULL);
    assert_picks(plan, r, "A:guarantee:2026 B:guarantee:2026 C:loan:2026");
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* A guarantee of 60 for one year (tenor 1), build 0, start 2026 or 2027;
 * a cap of 50 on 2026's contingent liability leaves only the 2027 start,
 * whose guarantee is outstanding in 2027 alone. */
static void yearly_cap_follows_start(void **state)
{
    (void)state;
    static const char xml[] =
        "<plan xmlns='urn:chokepoint:plan:1' version='1' name='yearly cap'>"
        "<horizon first='2026' last='2027'/>"
        "<countries><country id='CN' risk='1'/><country id='US' risk='0'/></countries>"
        "<stages><stage id='s' order='1'/></stages>"
        "<commodities><commodity id='c' stage='s'><demand year='2026' tonnes='100'/>"
        "</commodity></commodities>"
        "<facilities><facility id='cn' country='CN' output='c' capacity='100'/></facilities>"
        "<projects><project id='G' country='US' output='c' capacity='50' capex='100'"
        " build-years='0'><option id='g' instrument='guarantee' commitment='60'>"
        "<terms tenor='1' expected-loss='0.01'/></option></project></projects>"
        "<budget>%s</budget></plan>";
    char buf[2048];
    snprintf(buf, sizeof buf, xml, "");
    ckp_plan *plan = tu_load_checked_str(buf);
    ckp_result *r = tu_solve(plan, NULL, NULL);
    assert_picks(plan, r, "G:g:2026");
    ckp_result_free(r);
    ckp_plan_free(plan);
    snprintf(buf, sizeof buf, xml,
             "<cap measure='contingent-liability'><limit year='2026' amount='50'/></cap>");
    plan = tu_load_checked_str(buf);
    ckp_model *m = NULL;
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_model_build(plan, NULL, &m, &d), CKP_OK);
    int row = ckp_mip_find_row(&m->mip, "fin_cap[contingent-liability,2026]");
    assert_true(row >= 0);
    assert_int_equal(ckp_mip_find_row(&m->mip, "fin_cap[contingent-liability,2027]"), -1);
    int k = m->project_first[0];
    assert_int_equal(m->starts[k].start, 2026);
    assert_near(ckp_mip_coef(&m->mip, row, m->starts[k].col), 60, "2026 start");
    assert_near(ckp_mip_coef(&m->mip, row, m->starts[k + 1].col), 0, "2027 start");
    ckp_model_free(m);
    ckp_diag_list_fini(&d);
    r = tu_solve(plan, NULL, NULL);
    assert_picks(plan, r, "G:g:2027");
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* The whole output of one report writer as a string (caller frees). */
static char *capture(ckp_status (*fn)(const ckp_result *, const ckp_report_info *, FILE *),
                     const ckp_result *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(fn(r, NULL, f), CKP_OK);
    fclose(f);
    return buf;
}
static ckp_status text_of(const ckp_result *r, const ckp_report_info *info, FILE *f)
{
    (void)info;
    return ckp_report_text(r, f);
}

static void must_contain(const char *hay, const char *needle, const char *what)
{
    if (!strstr(hay, needle)) fail_msg("%s: '%s' not found", what, needle);
}

/* i: A (guarantee 60) and C (loan 80) started in 2026: commitment 140 in
 * 2026; outstanding 140 and contingent liability 60 in 2026 and 2027;
 * expected cost 0.01 x 60 + 80 (no expected-loss: the whole commitment)
 * = 80.6; the cap on contingent liabilities binds (left 40 < B's 60). */
static void reports_show_the_figures(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/finance/i-contingent-cap.xml");
    ckp_result *r = tu_solve(plan, NULL, NULL);
    assert_near(r->fin_year[CKP_FIN_COMMITMENT * r->n_years + 0], 140, "commitment 2026");
    assert_near(r->fin_year[CKP_FIN_OUTSTANDING * r->n_years + 1], 140, "outstanding 2027");
    assert_near(r->fin_year[CKP_FIN_CONTINGENT * r->n_years + 1], 60, "contingent 2027");
    assert_near(r->fin_total[CKP_FIN_EXPECTED_COST], 80.6, "expected cost");
    assert_near(r->fin_cap_total[CKP_FIN_CONTINGENT], 100, "cap total");
    assert_near(r->fin_cap_limit[CKP_FIN_CONTINGENT * r->n_years + 1], 100, "cap 2027");
    char *j = capture(ckp_report_json, r);
    assert_true(tu_json_valid(j));
    must_contain(j, "\"binds\": \"cap\"", "json binds");
    must_contain(j, "\"contingent_liability_peaks\": 60", "json totals");
    must_contain(j, "\"contingent_liability\": 60", "json finance");
    must_contain(j, "\"cap_contingent_liability\": 100", "json cap column");
    free(j);
    char *t = capture(text_of, r);
    must_contain(t, "Finance per year", "text");
    must_contain(t, "what binds: the cap on contingent-liability", "text binds");
    free(t);
    char *h = capture(ckp_report_html, r);
    must_contain(h, "id=\"finance\"", "html section");
    must_contain(h, "data-table=\"finance\"", "html table");
    free(h);
    char *dir = tu_tmpdir("terms");
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_report_write_dir(r, NULL, dir, &d), CKP_OK);
    ckp_diag_list_fini(&d);
    char path[128];
    snprintf(path, sizeof path, "%s/finance.csv", dir);
    char *csv = tu_read_file(path, NULL);
    assert_non_null(csv);
    must_contain(csv, "year,commitment_usd_m,outstanding_usd_m,expected_cost_usd_m,"
                      "contingent_liability_usd_m,budget_limit_usd_m,"
                      "cap_contingent_liability_usd_m\n2026,140,140,80.6,60,,\n", "csv");
    free(csv);
    snprintf(path, sizeof path, "%s/datapackage.json", dir);
    char *dp = tu_read_file(path, NULL);
    assert_non_null(dp);
    must_contain(dp, "finance.csv", "datapackage");
    free(dp);
    tu_tmp_remove(dir);
    free(dir);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* evaluate checks a given portfolio against the budget in its measure:
 * under expected-cost 2 the guarantee (expected cost 1.2, commitment 60)
 * fits, the loan (expected cost 4) is over by 2. */
static void evaluate_in_the_measure(void **state)
{
    (void)state;
    const char *plan = tu_path("data/finance/g-guarantee-vs-loan.xml");
    assert_int_equal(tu_cli("evaluate '%s' --fund P:guarantee:2026", plan), 0);
    must_contain(tu_out, "Budget: 1.2 of 2.0 USD m of expected cost", "evaluate guarantee");
    assert_int_equal(tu_cli("evaluate '%s' --fund P:loan:2026", plan), 4);
    must_contain(tu_err, "the portfolio counts, in expected-cost, 4.0 M, over the total budget "
                         "of 2.0 M by 2.0 M", "evaluate loan");
    /* i: A, B and C's guarantees hold 120 of contingent liability in
       2027 against the cap's 100 there and in all: both breaches listed,
       each at its plan line; A and C (60) pass */
    const char *pi = tu_path("data/finance/i-contingent-cap.xml");
    assert_int_equal(tu_cli("evaluate '%s' --fund A:guarantee:2026 --fund B:guarantee:2026 "
                            "--fund C:loan:2026", pi), 4);
    must_contain(tu_err, "2027: the portfolio counts 120.0 M of contingent-liability, over the "
                         "cap of 100.0 M by 20.0 M (", "cap breach 2027");
    must_contain(tu_err, "i-contingent-cap.xml:54) [portfolio-budget-cap]", "year line");
    must_contain(tu_err, "the portfolio counts 120.0 M of contingent-liability in all, over the "
                         "cap's total of 100.0 M by 20.0 M (", "cap breach in all");
    must_contain(tu_err, "i-contingent-cap.xml:53) [portfolio-budget-cap]", "cap line");
    must_contain(tu_err, "2 violations", "both listed");
    assert_int_equal(tu_cli("evaluate '%s' --fund A:guarantee:2026 --fund C:loan:2026", pi), 0);
    tu_cli_free();
}

/* i with A and B forced: their guarantees need 120 of contingent
 * liability against the cap of 100, in all and in 2027; the least
 * relaxation names both rows (docs/formulation.md 7g). */
static void forced_past_the_cap(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/finance/i-contingent-cap.xml");
    ckp_model_params mp;
    ckp_model_params_init(&mp);
    static const char *const force[] = {"A", "B"};
    mp.force = force;
    mp.n_force = 2;
    ckp_result *r = tu_solve(plan, &mp, NULL);
    assert_int_equal(r->status, CKP_MIP_INFEASIBLE);
    int n_cap = 0;
    for (int i = 0; i < r->n_relax; i++) {
        const ckp_relaxation *x = &r->relax[i];
        if (x->kind != CKP_RELAX_FIN_CAP) continue;
        n_cap++;
        assert_int_equal(x->a, CKP_FIN_CONTINGENT);
        assert_near(x->limit, 100, "cap");
        assert_near(x->need, 120, "need");
        assert_true(x->year == -1 || x->year == 2027);
        char buf[512];
        ckp_relaxation_text(r, i, buf, sizeof buf);
        must_contain(buf, "120.0 USD m of contingent-liability", "relaxation text");
    }
    assert_int_equal(n_cap, 2);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* h's transparency: 1 demand point, 1 facility, 1 project, 2 options and
 * their 2 <terms> = 7 records; only the floor's terms give a source, none
 * an as-of date; then the loan's terms get an as-of date and a source. */
static void terms_counted_in_transparency(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/finance/h-price-floor.xml");
    ckp_result *r = tu_solve(plan, NULL, NULL);
    char *j = capture(ckp_report_json, r);
    assert_non_null(strstr(j, "\"transparency\": {\n    \"records\": 7,\n    \"with_source\": 1,\n"
                              "    \"without_source\": 6,\n    \"with_as_of\": 0\n  }"));
    free(j);
    ckp_result_free(r);
    ckp_terms *t = &plan->projects[0].options[1].terms;
    t->source = ckp_strdup("hand-made");
    t->as_of = ckp_strdup("2026-01-01");
    r = tu_solve(plan, NULL, NULL);
    j = capture(ckp_report_json, r);
    assert_non_null(strstr(j, "\"transparency\": {\n    \"records\": 7,\n    \"with_source\": 2,\n"
                              "    \"without_source\": 5,\n    \"with_as_of\": 1\n  }"));
    free(j);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* h's floor as a package: commitment 20 paid in 2026, of which a loan of
 * 6 (tenor 4, grace 1, no rate, expected loss 0.5) beside the floor
 * (cap 14 from the online year 2027, 2 years).  By hand, 2026..2029:
 * loan outstanding 6, 4, 2, 0 (3 equal instalments after the grace
 * year); outstanding = cap left + loan = 20, 18, 9, 0; contingent = the
 * cap left 14, 14, 7, 0; expected cost = the floor's expected payments
 * 0, 1, 1, 0 + 0.5 x the loan disbursed (6 in 2026) = 3, 1, 1, 0.  A loan
 * larger than the commitment is refused. */
static void package_loan_and_floor(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/finance/h-price-floor.xml");
    ckp_option *op = &plan->projects[0].options[0];
    op->commitment = 20;
    op->terms.loan = 6;
    op->terms.tenor = 4;
    op->terms.grace = 1;
    op->terms.expected_loss = 0.5;
    const double out[] = {20, 18, 9, 0}, cl[] = {14, 14, 7, 0}, ec[] = {3, 1, 1, 0};
    for (int k = 0; k < 4; k++) {
        assert_near(fig(plan, 0, 2026, CKP_FIN_OUTSTANDING, 2026 + k), out[k], "outstanding");
        assert_near(fig(plan, 0, 2026, CKP_FIN_CONTINGENT, 2026 + k), cl[k], "contingent");
        assert_near(fig(plan, 0, 2026, CKP_FIN_EXPECTED_COST, 2026 + k), ec[k], "expected");
        assert_near(fig(plan, 0, 2026, CKP_FIN_COMMITMENT, 2026 + k), k == 0 ? 20 : 0,
                    "commitment");
    }
    assert_near(ckp_option_figure_total(plan, 0, 0, 2026, CKP_FIN_OUTSTANDING), 20, "peak");
    assert_near(ckp_option_figure_total(plan, 0, 0, 2026, CKP_FIN_EXPECTED_COST), 5, "sum");
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_plan_check(plan, &d), CKP_OK);
    op->terms.loan = 25;
    assert_int_not_equal(ckp_plan_check(plan, &d), CKP_OK);
    int found = 0;
    for (int i = 0; i < d.n; i++)
        if (d.items[i].code && strcmp(d.items[i].code, "loan-over-commitment") == 0) found = 1;
    assert_true(found);
    ckp_diag_list_fini(&d);
    ckp_plan_free(plan);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(loan_outstanding_by_hand),
        cmocka_unit_test(guarantee_beats_loan_on_expected_cost),
        cmocka_unit_test(price_floor_by_scenario),
        cmocka_unit_test(contingent_cap_binds),
        cmocka_unit_test(terms_counted_in_transparency),
        cmocka_unit_test(package_loan_and_floor),
        cmocka_unit_test(yearly_cap_follows_start),
        cmocka_unit_test(reports_show_the_figures),
        cmocka_unit_test(evaluate_in_the_measure),
        cmocka_unit_test(forced_past_the_cap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
