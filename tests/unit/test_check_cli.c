/* test_check_cli.c: `chokepoint check` that teaches (docs/diagnostics.md):
 * codes printed after each message, --format json records (file, line,
 * column, severity, code, element, value, message), "did you mean" hints
 * for ids, elements and attributes, "-" reading standard input for check
 * and solve, and summary.json's input hash being that of the bytes parsed
 * (formerly the hash of an empty read of /dev/stdin). */
#include "testutil.h"

#include <stdio.h>
#include <string.h>

#include "util/sha256.h"

static char *g_out, *g_err;

static int run(const char *fmt, ...) CKP_PRINTF(1, 2);
static int run(const char *fmt, ...)
{
    char args[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "%s", args);
    /* BIN stands for the binary */
    char *at = strstr(cmd, "BIN");
    if (at) {
        char rest[8192];
        snprintf(rest, sizeof rest, "%s", at + 3);
        snprintf(at, sizeof cmd - (size_t)(at - cmd), "'%s'%s", CKP_CLI_BIN, rest);
    }
    free(g_out);
    free(g_err);
    g_out = g_err = NULL;
    /* a subshell: tu_run appends </dev/null, which must not replace the
       command's own standard input */
    char sub[8300];
    snprintf(sub, sizeof sub, "( %s )", cmd);
    return tu_run(sub, &g_out, &g_err);
}

static void contains(const char *hay, const char *needle)
{
    if (!strstr(hay, needle)) print_error("missing: %s\nin:\n%s\n", needle, hay);
    assert_non_null(strstr(hay, needle));
}

static void codes_and_hints_printed(void **state)
{
    (void)state;
    int rc = run("BIN check '%s'", tu_path("data/check/bad_unknown_ref.xml"));
    assert_int_equal(rc, 3);
    contains(g_err, ":15: error: commodity 'conc': stage 'minning' is not defined; "
                    "did you mean 'mining'? [unknown-ref]\n");
    contains(g_err, "output 'oxid' is not a defined commodity; did you mean 'oxide'?");
    /* no hint when nothing is near */
    contains(g_err, "made-from commodity 'concentrate' is not defined [unknown-ref]\n");
}

/* Write tiny.xml with `from` replaced by `to` (first occurrence) to path. */
static void tiny_edited(const char *path, const char *from, const char *to)
{
    char *tiny = tu_read_file(tu_path("data/build/tiny.xml"), NULL);
    assert_non_null(tiny);
    char *p = strstr(tiny, from);
    assert_non_null(p);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fwrite(tiny, 1, (size_t)(p - tiny), f);
    fputs(to, f);
    fputs(p + strlen(from), f);
    fclose(f);
    free(tiny);
}

static void schema_hints(void **state)
{
    (void)state;
    char path[4096];
    snprintf(path, sizeof path, "%s/check_cli_hints.xml", CKP_TESTS_BIN);
    tiny_edited(path, "capacity=\"400\"", "capasity=\"400\"");
    assert_int_equal(run("BIN check '%s'", path), 3);
    contains(g_err, "The attribute 'capasity' is not allowed. Did you mean 'capacity'? "
                    "[xml-schema]");
    tiny_edited(path, "<horizon ", "<horizn ");
    assert_int_equal(run("BIN check '%s'", path), 3);
    contains(g_err, "Element 'horizn': This element is not expected.");
    contains(g_err, "Did you mean 'horizon'? [xml-schema]");
    remove(path);
}

/* One run shows the schema's and the semantic rules' problems: a refused
 * attribute, and an unknown reference and a too-large capacity elsewhere;
 * the refused element's own values are not echoed by the rules. */
static void schema_then_semantic(void **state)
{
    (void)state;
    char path[4096];
    snprintf(path, sizeof path, "%s/check_cli_both.xml", CKP_TESTS_BIN);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("<?xml version=\"1.0\"?>\n"
          "<plan xmlns=\"urn:chokepoint:plan:1\" version=\"1\" name=\"both\">\n"
          "<horizon first=\"2026\" last=\"2030\"/>\n"
          "<countries><country id=\"US\" risk=\"0\"/></countries>\n"
          "<stages><stage id=\"m\" order=\"1\"/></stages>\n"
          "<commodities><commodity id=\"c\" stage=\"m\"/></commodities>\n"
          "<facilities><facility id=\"f\" country=\"US\" output=\"c\" capacity=\"1e16\"/>"
          "</facilities>\n"
          "<projects><project id=\"p\" country=\"UK\" output=\"c\" capasity=\"5\" capex=\"1\" "
          "build-years=\"1\"><option id=\"a\" instrument=\"loan\" commitment=\"1\"/></project>\n"
          "<project id=\"q\" country=\"US\" output=\"cc\" capacity=\"5\" capex=\"1\" "
          "build-years=\"1\"><option id=\"a\" instrument=\"loan\" commitment=\"1\"/></project>"
          "</projects>\n</plan>\n",
          f);
    fclose(f);
    assert_int_equal(run("BIN check '%s'", path), 3);
    contains(g_err, ":8: error: Element 'project', attribute 'capasity'");
    contains(g_err, ":7: error: facility 'f': capacity 1e+16 is outside the sane range");
    contains(g_err, ":9: error: project 'q': output 'cc' is not a defined commodity; "
                    "did you mean 'c'? [unknown-ref]");
    /* line 8's record was refused: its unknown country is not reported */
    assert_null(strstr(g_err, "'UK'"));
    remove(path);
}

static void json_format(void **state)
{
    (void)state;
    char bad[4096];
    snprintf(bad, sizeof bad, "%s", tu_path("data/check/bad_unknown_ref.xml"));
    int rc = run("BIN check --format json '%s' '%s'", bad, tu_path("data/plans/vocabulary.xml"));
    assert_int_equal(rc, 3);
    assert_true(tu_json_valid(g_out));
    assert_string_equal(g_err, "");
    contains(g_out, "\"code\": \"unknown-ref\"");
    contains(g_out, "\"line\": 15,");
    contains(g_out, "\"column\": null,");
    contains(g_out, "\"element\": \"commodity 'conc'\"");
    contains(g_out, "\"value\": \"minning\"");
    contains(g_out, "\"errors\": 0,");
    /* the clean plan carries its hash */
    char *voc = NULL;
    size_t n = 0;
    voc = tu_read_file(tu_path("data/plans/vocabulary.xml"), &n);
    assert_non_null(voc);
    char hex[65], want[100];
    ckp_sha256_hex(voc, n, hex);
    snprintf(want, sizeof want, "\"sha256\": \"%s\"", hex);
    contains(g_out, want);
    free(voc);

    /* a syntax error has a column; a magnitude its value */
    rc = run("printf '<plan>\\n  <a>\\n</plan>' | BIN check --format json -");
    assert_int_equal(rc, 3);
    assert_true(tu_json_valid(g_out));
    contains(g_out, "\"file\": \"<stdin>\"");
    contains(g_out, "\"column\": 8,");
    contains(g_out, "\"code\": \"xml-syntax\"");
    rc = run("BIN check --format json '%s'", tu_path("data/check/bad_magnitude.xml"));
    assert_int_equal(rc, 3);
    assert_true(tu_json_valid(g_out));
    contains(g_out, "\"element\": \"facility 'cn-mine'\"");
    contains(g_out, "\"value\": \"1e+16\"");
    /* a bad --format is a usage error */
    assert_int_equal(run("BIN check --format yaml '%s'", tu_path("data/plans/vocabulary.xml")), 2);
}

static void stdin_check(void **state)
{
    (void)state;
    int rc = run("BIN check - < '%s'", tu_path("data/plans/vocabulary.xml"));
    assert_int_equal(rc, 0);
    assert_string_equal(g_out, "<stdin>: ok\n");
    rc = run("BIN check - < '%s'", tu_path("data/check/bad_unknown_ref.xml"));
    assert_int_equal(rc, 3);
    contains(g_err, "<stdin>:15: error: commodity 'conc'");
    /* empty input */
    rc = run("BIN check - < /dev/null");
    assert_int_equal(rc, 3);
    contains(g_err, "<stdin>");
}

/* solve - : the recorded hash is that of the plan's bytes, not of an
 * empty second read. */
static void stdin_solve_hash(void **state)
{
    (void)state;
    char dir[4096];
    char *tmp = tu_tmpdir("check-cli");
    snprintf(dir, sizeof dir, "%s/out", tmp);
    const char *plan = tu_path("data/build/tiny.xml");
    char plan_copy[4096];
    snprintf(plan_copy, sizeof plan_copy, "%s", plan);
    int rc = run("rm -rf '%s' && BIN solve - --node-limit 10000 -o '%s' < '%s'", dir, dir,
                 plan_copy);
    if (rc != 0) print_error("%s\n", g_err);
    assert_int_equal(rc, 0);
    size_t n = 0;
    char *bytes = tu_read_file(plan_copy, &n);
    assert_non_null(bytes);
    char hex[65], empty[65], want[100];
    ckp_sha256_hex(bytes, n, hex);
    ckp_sha256_hex("", 0, empty);
    free(bytes);
    char path[4200];
    snprintf(path, sizeof path, "%s/summary.json", dir);
    char *sum = tu_read_file(path, NULL);
    assert_non_null(sum);
    snprintf(want, sizeof want, "\"sha256\": \"%s\"", hex);
    contains(sum, want);
    assert_null(strstr(sum, empty));
    free(sum);
    tu_tmp_remove(tmp);
    free(tmp);
}

static int teardown(void **state)
{
    (void)state;
    free(g_out);
    free(g_err);
    g_out = g_err = NULL;
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(codes_and_hints_printed),
        cmocka_unit_test(schema_hints),
        cmocka_unit_test(schema_then_semantic),
        cmocka_unit_test(json_format),
        cmocka_unit_test(stdin_check),
        cmocka_unit_test(stdin_solve_hash),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
