/* test_year_limits.c: --year-limit YEAR=M and --scale-year-limits end to
 * end through the binary (solve and export take them from the shared
 * model option table): a limit that leaves no room funds nothing, one
 * that does funds the plant, "none" removes a limit, scaling follows the
 * total, the MathProg twin's data carries the limits in force, and
 * malformed values are usage errors (exit 2).  The builder's
 * rows themselves are checked in test_build (year_limit_overrides). */
#include "testutil.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/exit_codes.h"

#define TINY CKP_TESTS_SRC "/data/cli/tiny.xml"
#define BUILD_TINY CKP_TESTS_SRC "/data/build/tiny.xml"

static void solve_with_year_limits(void **state)
{
    (void)state;
    /* each plant costs 10, paid in 2026 */
    assert_int_equal(tu_cli("solve " TINY " --year-limit 2026=5 --format csv"), CKP_EXIT_OK);
    assert_null(strstr(tu_out, "\na,"));
    assert_int_equal(tu_cli("solve " TINY " --year-limit 2026=10 --format csv"), CKP_EXIT_OK);
    assert_non_null(strstr(tu_out, "\na,"));
    /* the limit shows in the report's budget table */
    assert_int_equal(tu_cli("solve " TINY " --year-limit 2026=10 --year-limit 2027=3"),
                     CKP_EXIT_OK);
    assert_non_null(strstr(tu_out, "limit"));
    assert_non_null(strstr(tu_out, "10.0"));
    assert_non_null(strstr(tu_out, "3.0"));
}

/* Export the model as LP into a temporary file and return its text. */
static char *export_lp(const char *args)
{
    char *dir = tu_tmpdir("yl");
    char lp[64];
    snprintf(lp, sizeof lp, "%s/m.lp", dir);
    assert_int_equal(tu_cli("export " BUILD_TINY " --lp %s %s", lp, args), CKP_EXIT_OK);
    char *text = tu_read_file(lp, NULL);
    assert_non_null(text);
    tu_tmp_remove(dir);
    free(dir);
    return text;
}

static void export_with_year_limits(void **state)
{
    (void)state;
    /* build/tiny.xml: total 500, 2026 limited to 100 */
    char *t = export_lp("");
    assert_non_null(strstr(t, "+ 60 x(p1,o1,2026) <= 100\n"));
    free(t);
    t = export_lp("--budget 1000 --scale-year-limits");
    assert_non_null(strstr(t, "+ 60 x(p1,o1,2026) <= 200\n"));
    free(t);
    t = export_lp("--year-limit 2026=none --year-limit 2028=42");
    assert_null(strstr(t, "budget(2026):"));
    assert_non_null(strstr(t, "budget(2028):"));
    assert_non_null(strstr(t, "<= 42\n"));
    free(t);
}

/* The MathProg twin's data carries the limits in force, not the plan's. */
static void mathprog_data_year_limits(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("yl");
    char dat[64];
    snprintf(dat, sizeof dat, "%s/m.dat", dir);
    assert_int_equal(tu_cli("export " BUILD_TINY " --mathprog-data %s --budget 1000 "
                         "--scale-year-limits --year-limit 2027=30", dat), CKP_EXIT_OK);
    char *text = tu_read_file(dat, NULL);
    assert_non_null(text);
    assert_non_null(strstr(text, "set LIMIT_YEARS := 2026 2027;\n"));
    assert_non_null(strstr(text, "param limit := 2026 200 2027 30;\n"));
    free(text);
    tu_tmp_remove(dir);
    free(dir);
}

static void year_limit_usage_errors(void **state)
{
    (void)state;
    static const struct {
        const char *args;
        const char *msg;
    } bad[] = {
        {"--year-limit 2026", "expected YEAR=M"},
        {"--year-limit x=5", "expected YEAR=M"},
        {"--year-limit 2026=-1", "invalid value '-1' for --year-limit"},
        {"--year-limit 2026=lots", "not a finite number"},
        {"--year-limit 2031=5", "outside the horizon 2026-2028"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(tu_cli("solve " TINY " %s", bad[i].args), CKP_EXIT_USAGE);
        if (!strstr(tu_err, bad[i].msg)) fail_msg("%s: %s", bad[i].args, tu_err);
    }
    /* cli/tiny.xml has a total but no per-year limit: scaling is a no-op */
    assert_int_equal(tu_cli("solve " TINY " --budget 50 --scale-year-limits --format csv"),
                     CKP_EXIT_OK);
}

static int teardown(void **state)
{
    (void)state;
    tu_cli_free();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(solve_with_year_limits),
        cmocka_unit_test(export_with_year_limits),
        cmocka_unit_test(mathprog_data_year_limits),
        cmocka_unit_test(year_limit_usage_errors),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
