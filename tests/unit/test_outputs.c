/* test_outputs.c: the files of real runs checked by outside tools.
 * summary.json of the bundled plan, of a plan with scenarios (under
 * --max-share), of a min-cost goal and of an infeasible run validate
 * against docs/summary.schema.json (python3-jsonschema; skipped, with the
 * reason, when it is missing).  report.html of the bundled plan loads in
 * headless Chromium (Debian chromium; skipped, with the reason, when it is
 * missing) with no console message and no network request by the page, its
 * screenshot is not blank, and every figure of its DOM is the value
 * summary.json holds (tests/support/check_html.py); the same for a budget
 * sweep's report.html against its sweep.csv (check_sweep_html.py), and
 * for the report.html of `compare --out` (two real runs of the bundled
 * plan, at its budget and at 300 M) against its comparison.json
 * (check_compare_html.py), which compare --out writes with comparison.txt
 * equal to the text compare prints.  datapackage.json
 * and README.txt describe every file and column (tests/support/
 * check_datapackage.py) of solve, solve --explain, evaluate --explain, a
 * sweep point's folder and the sweep's folder. */
#include "testutil.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* --fund flags of a portfolio that breaks c-requires-excludes.xml */
#define VIOLATING "--fund P1 --fund P3 --fund P4 --budget 10"

static char g_dir[64];     /* a fresh directory for this run */
static char g_bundled[96]; /* --out of the bundled plan */

static int setup(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("outputs");
    snprintf(g_dir, sizeof g_dir, "%s", dir);
    free(dir);
    snprintf(g_bundled, sizeof g_bundled, "%s/bundled", g_dir);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s solve %s/inputs/rare-earth-magnets.xml --quiet --out %s",
             CKP_CLI_BIN, CKP_SOURCE_DIR, g_bundled);
    int rc = tu_run(cmd, NULL, NULL);
    if (rc != 0) fprintf(stderr, "bundled solve: exit %d\n", rc);
    return rc == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    tu_tmp_remove(g_dir);
    return 0;
}

/* Run the CLI with args, its JSON on stdout into g_dir/name; the exit
 * status must be want. */
static void json_run(const char *args, const char *name, int want)
{
    char cmd[1024];
    char path[256];
    snprintf(path, sizeof path, "%s/%s", g_dir, name);
    snprintf(cmd, sizeof cmd, "{ %s solve %s --quiet --format json >%s; }", CKP_CLI_BIN, args,
             path);
    int rc = tu_run(cmd, NULL, NULL);
    if (rc != want) fail_msg("%s: exit %d, expected %d", cmd, rc, want);
}

static void summary_json_matches_schema(void **state)
{
    (void)state;
    char *out = NULL;
    char *err = NULL;
    int rc = tu_run("python3 -c 'import jsonschema'", NULL, NULL);
    if (rc != 0) {
        fprintf(stderr, "skipped: python3 with the jsonschema package (Debian "
                        "python3-jsonschema) is not available\n");
        skip();
    }
    json_run(CKP_TESTS_SRC "/data/cli/scenarios.xml --max-share 0.5", "scen.json", 0);
    json_run(CKP_TESTS_SRC "/data/cli/scenarios.xml --objective min-cost --target 0.5",
             "goal.json", 0);
    json_run(CKP_TESTS_SRC "/data/cli/scenarios.xml --budget 10 --force us-sep",
             "infeasible.json", 4);
    json_run(CKP_TESTS_SRC "/data/cli/scenarios.xml --budget 80 --scale-year-limits "
             "--year-limit 2027=30 --year-limit 2028=none", "limits.json", 0);
    /* instrument terms (docs/finance.md): a binding cap with yearly limits,
       a price floor under an expected-cost budget */
    json_run(CKP_TESTS_SRC "/data/finance/i-contingent-cap.xml", "cap.json", 0);
    json_run(CKP_TESTS_SRC "/data/finance/h-price-floor.xml", "floor.json", 0);
    json_run(CKP_TESTS_SRC "/data/finance/i-contingent-cap.xml --force A --force B",
             "capinf.json", 4);
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "python3 %s/support/validate_json.py %s/docs/summary.schema.json "
             "%s/summary.json %s/scen.json %s/goal.json %s/infeasible.json %s/limits.json "
             "%s/cap.json %s/floor.json %s/capinf.json",
             CKP_TESTS_SRC, CKP_SOURCE_DIR, g_bundled, g_dir, g_dir, g_dir, g_dir, g_dir, g_dir,
             g_dir);
    rc = tu_run(cmd, &out, &err);
    if (rc == 77) {
        fprintf(stderr, "skipped: %s", err ? err : "");
        free(out);
        free(err);
        skip();
    }
    if (rc != 0) fail_msg("schema validation (exit %d):\n%s%s", rc, out ? out : "", err ? err : "");
    free(out);
    free(err);
}


/* Load dir/report.html in headless Chromium (DOM, network log, console,
 * screenshot) and check it with tests/support/<checker> against data
 * (summary.json or sweep.csv). */
static void chromium_check(const char *dir, const char *tag, const char *checker,
                           const char *data)
{
    char flags[512];
    char cmd[4096];
    snprintf(flags, sizeof flags,
             "--headless --disable-gpu --no-sandbox --disable-background-networking "
             "--no-first-run --enable-logging=stderr --v=0 --user-data-dir=%s/profile-%s",
             g_dir, tag);
    /* the DOM after load, with the network log and the console on stderr */
    snprintf(cmd, sizeof cmd,
             "{ timeout 120 chromium %s --log-net-log=%s/net-%s.json --dump-dom "
             "file://%s/report.html >%s/dom-%s.html 2>%s/chromium-%s.log; }",
             flags, g_dir, tag, dir, g_dir, tag, g_dir, tag);
    int rc = tu_run(cmd, NULL, NULL);
    if (rc != 0) fail_msg("chromium --dump-dom of %s: exit %d", dir, rc);
    snprintf(cmd, sizeof cmd,
             "{ timeout 120 chromium %s --hide-scrollbars --window-size=1000,1200 "
             "--screenshot=%s/report-%s.png file://%s/report.html >/dev/null "
             "2>>%s/chromium-%s.log; }",
             flags, g_dir, tag, dir, g_dir, tag);
    rc = tu_run(cmd, NULL, NULL);
    if (rc != 0) fail_msg("chromium --screenshot of %s: exit %d", dir, rc);
    snprintf(cmd, sizeof cmd,
             "python3 %s/support/%s %s/report.html %s/dom-%s.html %s/%s "
             "%s/net-%s.json %s/chromium-%s.log %s/report-%s.png",
             CKP_TESTS_SRC, checker, dir, g_dir, tag, dir, data, g_dir, tag, g_dir, tag, g_dir,
             tag);
    char *out = NULL;
    char *err = NULL;
    rc = tu_run(cmd, &out, &err);
    if (rc != 0) fail_msg("%s/report.html in Chromium (exit %d):\n%s%s", dir, rc,
                          out ? out : "", err ? err : "");
    fprintf(stderr, "%s: %s", tag, err ? err : "");
    free(out);
    free(err);
}

/* compare --out of two real runs (the bundled plan at its budget and at
 * 300 M) into cmp: comparison.txt and comparison.json are what compare
 * prints as text and as JSON; report.html is there.  Run twice, the
 * second run replaces the files of the first. */
static void compare_out(char *cmp, size_t size)
{
    char small[128], cmd[1024];
    snprintf(small, sizeof small, "%s/bundled-300", g_dir);
    snprintf(cmp, size, "%s/compared", g_dir);
    snprintf(cmd, sizeof cmd, "%s solve %s/inputs/rare-earth-magnets.xml --budget 300 --quiet "
             "--out %s", CKP_CLI_BIN, CKP_SOURCE_DIR, small);
    assert_int_equal(tu_run(cmd, NULL, NULL), 0);
    snprintf(cmd, sizeof cmd, "%s compare %s %s --quiet --out %s", CKP_CLI_BIN, g_bundled, small,
             cmp);
    char *text = NULL;
    assert_int_equal(tu_run(cmd, &text, NULL), 0);
    char path[256];
    snprintf(path, sizeof path, "%s/comparison.txt", cmp);
    char *file = tu_read_file(path, NULL);
    assert_non_null(file);
    assert_string_equal(file, text);
    assert_non_null(strstr(file, "warning: setting model.budget_total"));
    free(file);
    free(text);
    snprintf(cmd, sizeof cmd, "%s compare %s %s --format json", CKP_CLI_BIN, g_bundled, small);
    char *json = NULL;
    assert_int_equal(tu_run(cmd, &json, NULL), 0);
    snprintf(path, sizeof path, "%s/comparison.json", cmp);
    file = tu_read_file(path, NULL);
    assert_non_null(file);
    assert_string_equal(file, json);
    free(file);
    free(json);
    snprintf(path, sizeof path, "%s/report.html", cmp);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_true(st.st_size > 1000);
}

static void compare_out_writes_files(void **state)
{
    (void)state;
    char cmp[128], cmd[1024];
    compare_out(cmp, sizeof cmp);
    /* --out naming a file: output error (6), the file untouched */
    snprintf(cmd, sizeof cmd, "%s compare %s %s --quiet --out %s/README.txt >/dev/null",
             CKP_CLI_BIN, g_bundled, g_bundled, g_bundled);
    char *err = NULL;
    assert_int_equal(tu_run(cmd, NULL, &err), 6);
    assert_non_null(strstr(err, "README.txt"));
    free(err);
}

/* report.html of the bundled plan's solve (figures = summary.json), of
 * a budget sweep (frontier and no-regret matrix; figures = sweep.csv) and
 * of compare --out of two runs (figures = comparison.json), of evaluate
 * --out (regret figures = evaluation.json). */
static void report_html_in_chromium(void **state)
{
    (void)state;
    if (tu_run("command -v chromium", NULL, NULL) != 0) {
        fprintf(stderr, "skipped: headless Chromium (Debian package chromium) is not "
                        "installed\n");
        skip();
    }
    if (tu_run("command -v python3", NULL, NULL) != 0) {
        fprintf(stderr, "skipped: python3 (to check the DOM and the screenshot) is not "
                        "installed\n");
        skip();
    }
    chromium_check(g_bundled, "solve", "check_html.py", "summary.json");
    char sweep[128], cmd[1024];
    snprintf(sweep, sizeof sweep, "%s/sweep-html", g_dir);
    snprintf(cmd, sizeof cmd, "%s sweep %s/data/optima/c-requires-excludes.xml --budgets "
             "0:400:50 --quiet --out %s", CKP_CLI_BIN, CKP_TESTS_SRC, sweep);
    assert_int_equal(tu_run(cmd, NULL, NULL), 0);
    chromium_check(sweep, "sweep", "check_sweep_html.py", "sweep.csv");
    char cmp[128];
    compare_out(cmp, sizeof cmp);
    chromium_check(cmp, "compare", "check_compare_html.py", "comparison.json");
    /* evaluate --out of a portfolio with regret (P3 where P1 does better
       at the same money, by 0.4 share-years): the solve page plus the
       regret section, its figures = evaluation.json */
    char evald[128];
    snprintf(evald, sizeof evald, "%s/evaluate-regret", g_dir);
    snprintf(cmd, sizeof cmd, "%s evaluate %s/data/optima/c-requires-excludes.xml --fund P2 "
             "--fund P3 --quiet --out %s", CKP_CLI_BIN, CKP_TESTS_SRC, evald);
    assert_int_equal(tu_run(cmd, NULL, NULL), 0);
    chromium_check(evald, "evaluate", "check_html.py", "summary.json");
    /* evaluate --out of a portfolio that breaks the plan: exit 4, only
       report.html, one row per violation printed on stderr */
    char viol[128];
    snprintf(viol, sizeof viol, "%s/violations", g_dir);
    snprintf(cmd, sizeof cmd, "{ %s evaluate %s/data/optima/c-requires-excludes.xml " VIOLATING
             " --quiet --out %s 2>%s/violations.err; }", CKP_CLI_BIN, CKP_TESTS_SRC, viol, g_dir);
    assert_int_equal(tu_run(cmd, NULL, NULL), 4);
    char path[256];
    snprintf(path, sizeof path, "%s/summary.json", viol);
    assert_int_not_equal(access(path, F_OK), 0);
    chromium_check(viol, "violations", "check_violations_html.py", "../violations.err");
}

/* datapackage.json describes every file of the directory, each CSV column
 * in header order with its type, meaning and unit; README.txt names the
 * files.  The bundled plan (scenarios, stockpile candidates) and a plan
 * with scenarios under --max-share (policy.csv, idle.csv). */
static void datapackage_describes_every_file(void **state)
{
    (void)state;
    if (tu_run("command -v python3", NULL, NULL) != 0) {
        fprintf(stderr, "skipped: python3 is not installed\n");
        skip();
    }
    char cmd[2048];
    char other[128];
    snprintf(other, sizeof other, "%s/capped", g_dir);
    snprintf(cmd, sizeof cmd, "%s solve %s/data/cli/scenarios.xml --max-share 0.5 --quiet --out %s",
             CKP_CLI_BIN, CKP_TESTS_SRC, other);
    assert_int_equal(tu_run(cmd, NULL, NULL), 0);
    /* solve --explain (explain.json), evaluate --explain (evaluation.json,
       explain.json) and a sweep's point folder (point.txt) */
    char expl[128], eval[128], sweep[128], point[160];
    snprintf(expl, sizeof expl, "%s/explained", g_dir);
    snprintf(eval, sizeof eval, "%s/evaluated", g_dir);
    snprintf(sweep, sizeof sweep, "%s/sweep", g_dir);
    snprintf(point, sizeof point, "%s/sweep/points/b150", g_dir);
    snprintf(cmd, sizeof cmd, "%s solve %s/data/optima/c-requires-excludes.xml --explain "
             "--quiet --out %s", CKP_CLI_BIN, CKP_TESTS_SRC, expl);
    assert_int_equal(tu_run(cmd, NULL, NULL), 0);
    snprintf(cmd, sizeof cmd, "%s evaluate %s/data/optima/c-requires-excludes.xml --fund P1 "
             "--fund P2 --explain --quiet --out %s", CKP_CLI_BIN, CKP_TESTS_SRC, eval);
    assert_int_equal(tu_run(cmd, NULL, NULL), 0);
    snprintf(cmd, sizeof cmd, "%s sweep %s/data/optima/c-requires-excludes.xml --budgets "
             "100,150 --quiet --out %s", CKP_CLI_BIN, CKP_TESTS_SRC, sweep);
    assert_int_equal(tu_run(cmd, NULL, NULL), 0);
    const char *dirs[] = {g_bundled, other, expl, eval, point, sweep};
    for (int i = 0; i < 6; i++) {
        char *out = NULL;
        snprintf(cmd, sizeof cmd, "python3 %s/support/check_datapackage.py %s", CKP_TESTS_SRC,
                 dirs[i]);
        int rc = tu_run(cmd, &out, NULL);
        if (rc != 0) fail_msg("%s/datapackage.json (exit %d):\n%s", dirs[i], rc, out ? out : "");
        free(out);
        if (dirs[i] == sweep) continue; /* a sweep's folder: no README.txt */
        snprintf(cmd, sizeof cmd, "%s/README.txt", dirs[i]);
        char *readme = tu_read_file(cmd, NULL);
        assert_non_null(readme);
        assert_non_null(strstr(readme, "Open report.html first"));
        assert_non_null(strstr(readme, "  portfolio.csv     one row per funded project") ||
                        !strstr(readme, "portfolio.csv"));
        assert_non_null(strstr(readme, "(columns ending _usd_m)"));
        free(readme);
    }
    char path[512];
    snprintf(path, sizeof path, "%s/README.txt", other);
    char *readme = tu_read_file(path, NULL);
    assert_non_null(strstr(readme, "  policy.csv        one row per policy-cap row"));
    free(readme);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(summary_json_matches_schema),
        cmocka_unit_test(compare_out_writes_files),
        cmocka_unit_test(report_html_in_chromium),
        cmocka_unit_test(datapackage_describes_every_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
