/* test_why.c: why a plan is infeasible (docs/formulation.md 7g) on the
 * hand plan tests/data/why/why.xml (numbers in its comment): forced
 * projects over the total budget, over a year's limit, against a requires
 * whose project is excluded, against an excludes, and over a site's
 * infrastructure, and two projects whose start windows crowd one year;
 * each gives exactly one loosened constraint with its amount, limit and
 * plan line, and a sentence naming the option and the line; under
 * min-cost too.  A feasible run has no relaxation. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ckp/load.h"
#include "ckp/model.h"
#include "ckp/result.h"

/* The line of the first occurrence of `text` in the plan file. */
static int line_of(const char *text)
{
    char *xml = tu_read_file(tu_path("data/why/why.xml"), NULL);
    assert_non_null(xml);
    char *at = strstr(xml, text);
    assert_non_null(at);
    int line = 1;
    for (char *p = xml; p < at; p++) line += *p == '\n';
    free(xml);
    return line;
}

static ckp_result *run(const ckp_plan *plan, const char *const *force, int n_force,
                       const char *const *exclude, int n_exclude)
{
    ckp_model_params mp;
    ckp_model_params_init(&mp);
    mp.force = force;
    mp.n_force = n_force;
    mp.exclude = exclude;
    mp.n_exclude = n_exclude;
    ckp_result *r = tu_solve(plan, &mp, NULL);
    return r;
}

static void check_one(const ckp_result *r, ckp_relax_kind kind, double limit, double need,
                      int line, const char *words)
{
    assert_int_equal(r->status, CKP_MIP_INFEASIBLE);
    if (r->n_relax != 1) fail_msg("%d relaxations, expected 1", r->n_relax);
    const ckp_relaxation *x = &r->relax[0];
    assert_int_equal(x->kind, kind);
    if (fabs(x->limit - limit) > 1e-6 || fabs(x->need - need) > 1e-6)
        fail_msg("limit %.9g need %.9g, expected %.9g %.9g", x->limit, x->need, limit, need);
    assert_int_equal(x->line, line);
    char text[1200];
    ckp_relaxation_text(r, 0, text, sizeof text);
    if (!strstr(text, words)) fail_msg("'%s' does not contain '%s'", text, words);
}

static void over_total_budget(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/why/why.xml");
    static const char *const f[] = {"A", "B", "C"};
    ckp_result *r = run(plan, f, 3, NULL, 0);
    int line = line_of("<budget total=");
    char words[300];
    snprintf(words, sizeof words, "forced projects A B C need 2310.0 USD m; the total budget is "
                                  "2000.0 (%s:%d)", plan->path, line);
    check_one(r, CKP_RELAX_BUDGET_TOTAL, 2000, 2310, line, words);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

static void over_year_limit(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/why/why.xml");
    static const char *const f[] = {"D"};
    ckp_result *r = run(plan, f, 1, NULL, 0);
    int line = line_of("<limit year=\"2026\"");
    check_one(r, CKP_RELAX_BUDGET_YEAR, 500, 700, line,
              "forced project D needs 700.0 USD m disbursed in 2026; that year's limit is 500.0");
    assert_int_equal(r->relax[0].year, 2026);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

static void requires_excluded(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/why/why.xml");
    static const char *const f[] = {"E"}, *const e[] = {"F"};
    ckp_result *r = run(plan, f, 1, e, 1);
    check_one(r, CKP_RELAX_REQUIRES, 0, 1, line_of("<requires project=\"F\""),
              "project E requires F");
    assert_non_null(strstr(r->plan->projects[r->relax[0].a].id, "E"));
    ckp_result_free(r);
    ckp_plan_free(plan);
}

static void excludes_both_forced(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/why/why.xml");
    static const char *const f[] = {"F", "G"};
    ckp_result *r = run(plan, f, 2, NULL, 0);
    check_one(r, CKP_RELAX_EXCLUDES, 1, 2, line_of("<excludes project=\"F\""),
              "exclude each other");
    ckp_result_free(r);
    ckp_plan_free(plan);
}

static void infrastructure(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/why/why.xml");
    static const char *const f[] = {"H"};
    ckp_result *r = run(plan, f, 1, NULL, 0);
    check_one(r, CKP_RELAX_INFRA, 30, 50, line_of("<capacity resource=\"power\""),
              "forced project H needs 20 MW more power at site tx in 2030");
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* J and K fit the 2026 limit only if J starts after its window. */
static void start_window(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/why/why.xml");
    static const char *const f[] = {"J", "K"};
    ckp_result *r = run(plan, f, 2, NULL, 0);
    assert_int_equal(r->status, CKP_MIP_INFEASIBLE);
    if (r->n_relax != 1) fail_msg("%d relaxations, expected 1", r->n_relax);
    const ckp_relaxation *x = &r->relax[0];
    assert_int_equal(x->kind, CKP_RELAX_WINDOW);
    assert_string_equal(plan->projects[x->a].id, "J");
    assert_true(x->limit == 2026);
    assert_true(x->year >= 2027 && x->year <= 2029);
    assert_true(x->need == x->year);
    assert_int_equal(x->line, line_of("<project id=\"J\""));
    char text[1200], words[200];
    ckp_relaxation_text(r, 0, text, sizeof text);
    snprintf(words, sizeof words, "project J would have to start in %d, after its latest "
                                  "start 2026 (%s:%d)", x->year, plan->path, x->line);
    if (!strstr(text, words)) fail_msg("'%s' does not contain '%s'", text, words);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* Under min-cost the same hard constraints are explained (the goal row
 * is not one of them: best_reachable speaks for it). */
static void min_cost(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/why/why.xml");
    ckp_model_params mp;
    ckp_model_params_init(&mp);
    static const char *const f[] = {"A", "B", "C"};
    mp.force = f;
    mp.n_force = 3;
    mp.min_cost = 1;
    mp.target = 0.9;
    ckp_result *r = tu_solve(plan, &mp, NULL);
    check_one(r, CKP_RELAX_BUDGET_TOTAL, 2000, 2310, line_of("<budget total="),
              "forced projects A B C need 2310.0 USD m");
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* A feasible run carries no relaxation; --tie-break off explains too. */
static void feasible_and_one_stage(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/why/why.xml");
    static const char *const f[] = {"A"};
    ckp_result *r = run(plan, f, 1, NULL, 0);
    assert_int_equal(r->status, CKP_MIP_OPTIMAL);
    assert_int_equal(r->n_relax, 0);
    assert_null(r->relax);
    ckp_result_free(r);
    ckp_model_params mp;
    ckp_model_params_init(&mp);
    static const char *const d[] = {"D"};
    mp.force = d;
    mp.n_force = 1;
    mp.lexicographic = 0;
    r = tu_solve(plan, &mp, NULL);
    assert_int_equal(r->status, CKP_MIP_INFEASIBLE);
    assert_int_equal(r->n_relax, 1);
    assert_int_equal(r->relax[0].kind, CKP_RELAX_BUDGET_YEAR);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* The CLI prints the sentence on stderr and in the report; exit 4. */
static void cli_why(void **state)
{
    (void)state;
    char cmd[2048];
    char *out = NULL, *err = NULL;
    snprintf(cmd, sizeof cmd, "'%s' solve '%s' --force A --force B --force C", CKP_CLI_BIN,
             tu_path("data/why/why.xml"));
    assert_int_equal(tu_run(cmd, &out, &err), 4);
    assert_non_null(strstr(err, "note: why: forced projects A B C need 2310.0 USD m; the total "
                                "budget is 2000.0"));
    assert_non_null(strstr(out, "  why          the least relaxation that makes it feasible"));
    free(out);
    free(err);
    snprintf(cmd, sizeof cmd, "'%s' solve '%s' --force D --budget 600 --format json",
             CKP_CLI_BIN, tu_path("data/why/why.xml"));
    assert_int_equal(tu_run(cmd, &out, NULL), 4);
    assert_true(tu_json_valid(out));
    assert_non_null(strstr(out, "\"infeasibility\": ["));
    assert_non_null(strstr(out, "\"constraint\": \"budget-year\""));
    free(out);
    /* an override is named as such */
    snprintf(cmd, sizeof cmd, "'%s' solve '%s' --force A --force B --budget 1500",
             CKP_CLI_BIN, tu_path("data/why/why.xml"));
    assert_int_equal(tu_run(cmd, NULL, &err), 4);
    assert_non_null(strstr(err, "need 1700.0 USD m; the total budget is 1500.0 (budget override)"));
    free(err);
    /* under min-cost too */
    snprintf(cmd, sizeof cmd, "'%s' solve '%s' --force A --force B --force C --objective "
                              "min-cost --target 0.9", CKP_CLI_BIN, tu_path("data/why/why.xml"));
    assert_int_equal(tu_run(cmd, NULL, &err), 4);
    assert_non_null(strstr(err, "note: why: forced projects A B C need 2310.0 USD m"));
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(over_total_budget),
        cmocka_unit_test(over_year_limit),
        cmocka_unit_test(requires_excluded),
        cmocka_unit_test(excludes_both_forced),
        cmocka_unit_test(infrastructure),
        cmocka_unit_test(start_window),
        cmocka_unit_test(min_cost),
        cmocka_unit_test(feasible_and_one_stage),
        cmocka_unit_test(cli_why),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    ckp_load_cleanup();
    return failed;
}
