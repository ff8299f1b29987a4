/* test_compare.c: compare (src/study/compare.c): a run compared with
 * itself (and with a second solve of the same plan) has no difference and
 * no warning; the hand-solved plan c at budgets 200 and 100 (P1 + P2 vs
 * P3) gives the projects added and dropped, the objectives (2.8 and 3.4
 * under the lexicographic solve) and a warning for the setting; malformed input is
 * an error at its line; the CLI's text, JSON and exit statuses. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ckp/study.h"

static char g_dir[512];

static void expect_in(const char *text, const char *want)
{
    if (!strstr(text, want)) fail_msg("'%s' not in:\n%s", want, text);
}

/* solve --out DIR/name with extra options. */
static void solve_out(const char *plan_rel, const char *name, const char *opts)
{
    char cmd[2048], planp[512];
    snprintf(planp, sizeof planp, "%s", tu_path(plan_rel));
    snprintf(cmd, sizeof cmd, "'%s' solve '%s' -q %s --out '%s/%s' > /dev/null", CKP_CLI_BIN,
             planp, opts, g_dir, name);
    assert_int_equal(tu_run(cmd, NULL, NULL), 0);
}

static char *run_text(ckp_comparison *c, int json)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    assert_non_null(f);
    assert_int_equal(json ? ckp_comparison_json(c, f) : ckp_comparison_text(c, f), CKP_OK);
    fclose(f);
    return buf;
}

static void same_run_no_difference(void **state)
{
    (void)state;
    solve_out("data/scenarios/s2-stockpile.xml", "s2a", "");
    solve_out("data/scenarios/s2-stockpile.xml", "s2b", "");
    char a[600], b[600];
    snprintf(a, sizeof a, "%s/s2a", g_dir);
    snprintf(b, sizeof b, "%s/s2b/summary.json", g_dir);
    const char *pairs[][2] = {{a, a}, {a, b}};
    for (int k = 0; k < 2; k++) {
        ckp_comparison *c = NULL;
        ckp_diag_list d;
        ckp_diag_list_init(&d);
        assert_int_equal(ckp_compare(pairs[k][0], pairs[k][1], &c, &d), CKP_OK);
        assert_int_equal(ckp_comparison_differences(c), 0);
        assert_int_equal(ckp_comparison_warnings(c), 0);
        char *t = run_text(c, 0);
        expect_in(t, "No differences.");
        expect_in(t, "Portfolio: 0 added in B, 0 dropped, 0 with another option");
        free(t);
        t = run_text(c, 1);
        assert_true(tu_json_valid(t));
        expect_in(t, "\"differences\": 0");
        free(t);
        ckp_comparison_free(c);
        ckp_diag_list_fini(&d);
    }
}

static void budget_changes_portfolio(void **state)
{
    (void)state;
    solve_out("data/optima/c-requires-excludes.xml", "c200", "");
    solve_out("data/optima/c-requires-excludes.xml", "c100", "--budget 100");
    char a[600], b[600];
    snprintf(a, sizeof a, "%s/c200", g_dir);
    snprintf(b, sizeof b, "%s/c100", g_dir);
    ckp_comparison *c = NULL;
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_compare(a, b, &c, &d), CKP_OK);
    char *t = run_text(c, 0);
    expect_in(t, "warning: setting model.budget_total: 200 (A) vs 100 (B)");
    expect_in(t, "added    project P3 (loan 2026, 100.0 M)");
    expect_in(t, "dropped  project P1 (loan 2026, 100.0 M)");
    expect_in(t, "dropped  project P2 (loan 2026, 80.0 M)");
    expect_in(t, "Portfolio: 1 added in B, 2 dropped, 0 with another option");
    /* 2.8 vs 3.4: the lexicographic solve (the default) reports the exposure
     * objective alone, no commitment weight */
    expect_in(t, "objective (share-years)                       2.8            3.4           +0.6");
    expect_in(t, "bank commitment                               180            100            -80");
    /* shares 2027-2030: 45 % vs 60 % */
    expect_in(t, "separation 2027                             45.00          60.00         +15.00");
    free(t);
    assert_true(ckp_comparison_warnings(c) >= 1);
    assert_true(ckp_comparison_differences(c) > 0);
    t = run_text(c, 1);
    assert_true(tu_json_valid(t));
    expect_in(t, "\"section\": \"added\"");
    free(t);
    ckp_comparison_free(c);
    ckp_diag_list_fini(&d);
}

static void bad_input(void **state)
{
    (void)state;
    char a[600], bad[600];
    snprintf(a, sizeof a, "%s/c200", g_dir);
    snprintf(bad, sizeof bad, "%s/bad.json", g_dir);
    FILE *f = fopen(bad, "w");
    assert_non_null(f);
    fputs("{\n  \"status\": {},\n  \"x\": [1,]\n}\n", f);
    fclose(f);
    ckp_comparison *c = NULL;
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_compare(a, bad, &c, &d), CKP_EPARSE);
    assert_null(c);
    char *t = tu_diag_text(&d);
    expect_in(t, "bad.json:3: error: trailing comma");
    free(t);
    ckp_diag_list_fini(&d);
    ckp_diag_list_init(&d);
    f = fopen(bad, "w");
    fputs("[1]\n", f);
    fclose(f);
    assert_int_equal(ckp_compare(bad, a, &c, &d), CKP_ESCHEMA);
    ckp_diag_list_fini(&d);
    ckp_diag_list_init(&d);
    snprintf(bad, sizeof bad, "%s/missing", g_dir);
    assert_int_equal(ckp_compare(bad, a, &c, &d), CKP_EIO);
    ckp_diag_list_fini(&d);
}

static void cli(void **state)
{
    (void)state;
    char cmd[2048];
    char *out = NULL, *err = NULL;
    snprintf(cmd, sizeof cmd, "'%s' compare '%s/c200' '%s/c200' --format json", CKP_CLI_BIN,
             g_dir, g_dir);
    assert_int_equal(tu_run(cmd, &out, &err), 0);
    assert_true(tu_json_valid(out));
    assert_string_equal(err, "");
    free(out);
    free(err);
    snprintf(cmd, sizeof cmd, "'%s' compare '%s/c200' '%s/c100'", CKP_CLI_BIN, g_dir, g_dir);
    assert_int_equal(tu_run(cmd, &out, &err), 0);
    expect_in(err, "warning: the runs differ in input or settings");
    free(out);
    free(err);
    snprintf(cmd, sizeof cmd, "'%s' compare '%s/c200'", CKP_CLI_BIN, g_dir);
    assert_int_equal(tu_run(cmd, NULL, NULL), 2);
    snprintf(cmd, sizeof cmd, "'%s' compare '%s/c200' '%s/nothing'", CKP_CLI_BIN, g_dir, g_dir);
    assert_int_equal(tu_run(cmd, NULL, NULL), 3);
    snprintf(cmd, sizeof cmd, "'%s' compare --help", CKP_CLI_BIN);
    assert_int_equal(tu_run(cmd, &out, NULL), 0);
    expect_in(out, "usage: chokepoint compare A B");
    free(out);
}

int main(void)
{
    snprintf(g_dir, sizeof g_dir, "%s/compare.%ld", CKP_TESTS_BIN, (long)getpid());
    char mk[700];
    snprintf(mk, sizeof mk, "mkdir -p '%s'", g_dir);
    if (tu_run(mk, NULL, NULL) != 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(same_run_no_difference),
        cmocka_unit_test(budget_changes_portfolio),
        cmocka_unit_test(bad_input),
        cmocka_unit_test(cli),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    snprintf(mk, sizeof mk, "rm -rf '%s'", g_dir);
    (void)tu_run(mk, NULL, NULL);
    return rc;
}
