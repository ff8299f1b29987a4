/* test_next.c: "what the next 100 M would buy" (src/study/next.c, rendered
 * by src/report/next_budget.c) on tests/data/report/next-100.xml, solved
 * by hand in its comment: at a total of 150 the bank funds A (exposure
 * 3.4) and the next 100 funds B (started 2027, online 2028, 100 M),
 * exposure 2.5, a cut of 0.9 share-years (26 %); at the plan's 1000 the
 * year limits of 2026 and 2027 bind and the next 100 buys nothing.  Also:
 * no total budget, min-cost and a fixed portfolio re-solve nothing; the
 * text, JSON and report.html show the same figures; solve --no-next skips
 * it; the re-solve takes the run's baseline (the same figures). */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ckp/report.h"
#include "ckp/study.h"

static const ckp_report_info info = {"next-100.xml", "0", "test", "chokepoint solve"};

static void near(double a, double b)
{
    if (!(fabs(a - b) <= 1e-6 * fmax(1.0, fabs(b))))
        fail_msg("%.12g differs from %.12g", a, b);
}

/* Solve plan at total budget (NAN: the plan's) and run the next 100. */
static ckp_result *solve_next(const ckp_plan *plan, double budget, int min_cost)
{
    ckp_model_params mp;
    ckp_model_params_init(&mp);
    mp.budget_total = budget;
    if (min_cost) {
        mp.min_cost = 1;
        mp.target = 0.8;
    }
    ckp_solve_params sp;
    ckp_solve_params_init(&sp);
    ckp_result *r = tu_solve(plan, &mp, &sp);
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_next_budget_run(plan, &mp, &sp, r, CKP_NEXT_STEP, &d), CKP_OK);
    assert_int_equal(d.n_errors, 0);
    ckp_diag_list_fini(&d);
    assert_non_null(r->next);
    return r;
}

typedef ckp_status (*writer)(const ckp_result *, FILE *);
static ckp_status text_w(const ckp_result *r, FILE *f) { return ckp_report_text(r, f); }
static ckp_status json_w(const ckp_result *r, FILE *f) { return ckp_report_json(r, &info, f); }
static ckp_status html_w(const ckp_result *r, FILE *f) { return ckp_report_html(r, &info, f); }

static void expect_in(const char *hay, const char *needle)
{
    if (!strstr(hay, needle)) fail_msg("'%s' not found in:\n%s", needle, hay);
}

static void buys_the_next_project(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/report/next-100.xml");
    ckp_result *r = solve_next(plan, 150, 0);
    const ckp_next_budget *n = r->next;
    assert_int_equal(r->n_picks, 1);
    assert_int_equal(r->picks[0].project, ckp_plan_find_project(plan, "A"));
    near(r->objective_value, 3.4);
    assert_int_equal(n->state, CKP_NEXT_SOLVED);
    near(n->budget, 250);
    assert_non_null(n->result);
    assert_int_equal(n->result->status, CKP_MIP_OPTIMAL);
    near(n->result->objective_value, 2.5);
    near(n->cut, 0.9);
    assert_true(n->buys);
    assert_int_equal(n->n_changes, 1);
    assert_int_equal(n->changes[0].kind, CKP_NEXT_ADDED);
    assert_int_equal(n->changes[0].before, -1);
    const ckp_pick *b = &n->result->picks[n->changes[0].after];
    assert_int_equal(b->project, ckp_plan_find_project(plan, "B"));
    assert_int_equal(b->start, 2027);
    assert_int_equal(b->online, 2028);
    near(b->commitment, 100);
    /* the re-solve took this run's baseline instead of solving it again:
       the same baseline figures as a run at 250 that solves its own */
    assert_non_null(r->baseline_run);
    assert_non_null(n->result->baseline_run);
    {
        ckp_model_params mp;
        ckp_model_params_init(&mp);
        mp.budget_total = 250;
        ckp_solve_params sp;
        ckp_solve_params_init(&sp);
        ckp_result *own = tu_solve(plan, &mp, &sp);
        near(n->result->baseline_objective, own->baseline_objective);
        int ncy = plan->n_commodities * own->n_years;
        for (int i = 0; i < ncy; i++) {
            double x = n->result->baseline_exposure[i], y = own->baseline_exposure[i];
            if (isnan(y)) assert_true(isnan(x));
            else near(x, y);
            x = n->result->baseline_shortage[i];
            y = own->baseline_shortage[i];
            if (isnan(y)) assert_true(isnan(x));
            else near(x, y);
        }
        ckp_result_free(own);
    }

    char *t = tu_capture(text_w, r);
    expect_in(t, "  What the next 100 USD m would buy: re-solved at a total of 250.0 USD m: "
                 "funds B; exposure 3.40 -> 2.50 share-years (cut by 0.90, 26.5 %)\n");
    expect_in(t, "    added   B     Member   separation  loan         2027    2028  100.0\n");
    free(t);
    char *j = tu_capture(json_w, r);
    assert_true(tu_json_valid(j));
    expect_in(j, "\"next\": {\n      \"state\": \"solved\",\n      \"step\": 100,\n"
                 "      \"budget\": 250,\n      \"status\": \"optimal\",\n"
                 "      \"buys\": true,\n      \"objective\": 3.4,\n"
                 "      \"next_objective\": 2.5,\n      \"cut\": 0.9,");
    expect_in(j, "\"change\": \"added\",\n          \"kind\": \"project\",\n"
                 "          \"id\": \"B\"");
    free(j);
    char *h = tu_capture(html_w, r);
    expect_in(h, "<h3>What the next 100 USD m would buy</h3>");
    expect_in(h, "data-json=\"summary.next.cut\" data-value=\"0.9\">0.90</td>");
    expect_in(h, "data-json=\"summary.next.changes.0.commitment\" data-value=\"100\">100.0");
    free(h);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

static void nothing_when_year_limits_bind(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/report/next-100.xml");
    ckp_result *r = solve_next(plan, NAN, 0);
    const ckp_next_budget *n = r->next;
    assert_int_equal(r->n_picks, 2);
    near(r->objective_value, 2.5);
    assert_int_equal(n->state, CKP_NEXT_SOLVED);
    near(n->budget, 1100);
    assert_false(n->buys);
    assert_int_equal(n->n_changes, 0);
    near(n->cut, 0);
    char *t = tu_capture(text_w, r);
    expect_in(t, "  What the next 100 USD m would buy: nothing: re-solved at a total of "
                 "1100.0 USD m, the same portfolio; what binds there: the year limits of "
                 "2026, 2027, used in full\n");
    free(t);
    char *j = tu_capture(json_w, r);
    expect_in(j, "\"buys\": false,");
    expect_in(j, "\"binds\": \"year-limit\",\n      \"changes\": [],");
    free(j);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* No total budget, min-cost, a fixed portfolio: nothing is re-solved and
 * the summary says why. */
static void not_applicable(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/report/next-100.xml");
    ckp_result *r = solve_next(plan, INFINITY, 0);
    assert_int_equal(r->next->state, CKP_NEXT_NO_TOTAL);
    assert_null(r->next->result);
    char *t = tu_capture(text_w, r);
    expect_in(t, "  What the next 100 USD m would buy: nothing to add it to: the plan sets "
                 "no total budget\n");
    free(t);
    ckp_result_free(r);

    r = solve_next(plan, NAN, 1);
    assert_int_equal(r->next->state, CKP_NEXT_MIN_COST);
    assert_null(r->next->result);
    char *j = tu_capture(json_w, r);
    assert_true(tu_json_valid(j));
    expect_in(j, "\"state\": \"min-cost\",");
    free(j);
    ckp_result_free(r);

    /* the evaluate path: a fixed portfolio is not re-chosen */
    r = solve_next(plan, NAN, 0);
    ckp_model_params mp;
    ckp_model_params_init(&mp);
    ckp_fixed_portfolio fx;
    memset(&fx, 0, sizeof fx);
    mp.fixed = &fx;
    ckp_solve_params sp;
    ckp_solve_params_init(&sp);
    assert_int_equal(ckp_next_budget_run(plan, &mp, &sp, r, CKP_NEXT_STEP, NULL), CKP_OK);
    assert_int_equal(r->next->state, CKP_NEXT_FIXED);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

static void cli_no_next(void **state)
{
    (void)state;
    const char *plan = tu_path("data/report/next-100.xml");
    assert_int_equal(tu_cli("solve '%s' --budget 150 --quiet", plan), 0);
    expect_in(tu_out, "What the next 100 USD m would buy: re-solved at a total of 250.0");
    assert_int_equal(tu_cli("solve '%s' --budget 150 --quiet --no-next", plan), 0);
    assert_null(strstr(tu_out, "What the next"));
    assert_int_equal(tu_cli("solve '%s' --budget 150 --quiet --no-next --format json", plan),
                     0);
    expect_in(tu_out, "\"next\": null");
    tu_cli_free();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(buys_the_next_project),
        cmocka_unit_test(nothing_when_year_limits_bind),
        cmocka_unit_test(not_applicable),
        cmocka_unit_test(cli_no_next),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
