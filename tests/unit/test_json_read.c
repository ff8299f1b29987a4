/* test_json_read.c: the strict JSON reader (src/util/json_read.c): values,
 * lines, escapes, the errors it refuses, out-of-memory paths, and a
 * round trip of a summary.json that solve writes. */
#include "testutil.h"

#include <math.h>
#include <string.h>

#include "ckp/report.h"
#include "util/alloc.h"
#include "util/json_read.h"

static ckp_json *parse_ok(const char *text)
{
    char err[200];
    ckp_json *v = NULL;
    ckp_status st = ckp_json_parse(text, strlen(text), &v, err, sizeof err);
    if (st != CKP_OK) fail_msg("parse failed: %s (%s)", err, text);
    return v;
}

static void parse_bad(const char *text, const char *want)
{
    char err[200];
    ckp_json *v = (ckp_json *)1;
    assert_int_equal(ckp_json_parse(text, strlen(text), &v, err, sizeof err), CKP_EPARSE);
    assert_null(v);
    if (!strstr(err, want)) fail_msg("'%s': message '%s' lacks '%s'", text, err, want);
}

static void values_and_lines(void **state)
{
    (void)state;
    ckp_json *v = parse_ok("{\n \"a\": 1.5e2,\n \"b\": [true, false, null, \"x\"],\n"
                           " \"c\": {\"d\": -0.25}, \"e\": []\n}");
    assert_int_equal(v->type, CKP_JSON_OBJECT);
    assert_int_equal(ckp_json_len(v), 4);
    assert_true(ckp_json_num(ckp_json_get(v, "a")) == 150.0);
    assert_int_equal(ckp_json_get(v, "a")->line, 2);
    const ckp_json *b = ckp_json_get(v, "b");
    assert_int_equal(b->line, 3);
    assert_int_equal(ckp_json_len(b), 4);
    assert_int_equal(ckp_json_at(b, 0)->boolean, 1);
    assert_int_equal(ckp_json_at(b, 1)->type, CKP_JSON_BOOL);
    assert_int_equal(ckp_json_at(b, 2)->type, CKP_JSON_NULL);
    assert_string_equal(ckp_json_str(ckp_json_at(b, 3)), "x");
    assert_null(ckp_json_at(b, 4));
    assert_true(ckp_json_num(ckp_json_path(v, "c.d")) == -0.25);
    assert_null(ckp_json_path(v, "c.x"));
    assert_true(isnan(ckp_json_num(ckp_json_at(b, 2))));
    assert_null(ckp_json_str(ckp_json_get(v, "a")));
    assert_int_equal(ckp_json_len(ckp_json_get(v, "e")), 0);
    ckp_json_free(v);
    ckp_json_free(NULL);
}

static void escapes(void **state)
{
    (void)state;
    ckp_json *v = parse_ok("\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\u20ac\\ud83d\\ude00\"");
    assert_string_equal(v->string, "a\"\\/\b\f\n\r\t\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
    ckp_json_free(v);
}

static void refused(void **state)
{
    (void)state;
    parse_bad("", "end of the text");
    parse_bad("[1,]", "trailing comma");
    parse_bad("{\"a\":1,}", "trailing comma");
    parse_bad("{\"a\":1,\"a\":2}", "duplicate member \"a\"");
    parse_bad("{a:1}", "member name");
    parse_bad("[01]", "expected ','");
    parse_bad("[1.]", "unexpected character");
    parse_bad("[.5]", "unexpected character");
    parse_bad("[1e]", "unexpected character");
    parse_bad("[1e999]", "unexpected character");
    parse_bad("[NaN]", "unexpected character");
    parse_bad("\"a\tb\"", "control character");
    parse_bad("\"\\x\"", "invalid escape");
    parse_bad("\"\\ud800\"", "unpaired surrogate");
    parse_bad("\"\\udc00\"", "unpaired surrogate");
    parse_bad("\"\\u0000\"", "\\u0000");
    parse_bad("\"abc", "unterminated");
    parse_bad("1 2", "text after");
    parse_bad("// c\n1", "unexpected character");
    parse_bad("{\"a\" 1}", "expected ':'");
    parse_bad("[1\n,\n2\n,\nx]", "line 5:");
    char deep[200];
    memset(deep, '[', 100);
    deep[100] = '\0';
    parse_bad(deep, "nesting deeper");
}

static void out_of_memory(void **state)
{
    (void)state;
    const char *text = "{\"a\": [1, 2, {\"b\": \"c\"}], \"d\": \"e\"}";
    int ok = 0;
    for (long n = 1; n < 200 && !ok; n++) {
        ckp_json *v = NULL;
        ckp_alloc_fail_after(n);
        ckp_status st = ckp_json_parse(text, strlen(text), &v, NULL, 0);
        ckp_alloc_fail_after(0);
        if (st == CKP_OK) {
            ok = 1;
            assert_string_equal(ckp_json_str(ckp_json_get(v, "d")), "e");
        } else {
            assert_int_equal(st, CKP_ENOMEM);
            assert_null(v);
        }
        ckp_json_free(v);
    }
    assert_true(ok);
}

/* What the report writer writes, the reader reads back. */
static void reads_a_summary(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/optima/g-knapsack.xml");
    ckp_result *r = tu_solve(plan, NULL, NULL);
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    assert_non_null(f);
    assert_int_equal(ckp_report_json(r, NULL, f), CKP_OK);
    fclose(f);
    ckp_json *v = parse_ok(buf);
    assert_true(fabs(ckp_json_num(ckp_json_path(v, "status.objective")) -
                     r->objective_value) <= 1e-9 * fmax(1, fabs(r->objective_value)));
    assert_int_equal(ckp_json_len(ckp_json_get(v, "portfolio")), r->n_picks);
    ckp_json_free(v);
    free(buf);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(values_and_lines),
        cmocka_unit_test(escapes),
        cmocka_unit_test(refused),
        cmocka_unit_test(out_of_memory),
        cmocka_unit_test(reads_a_summary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
