/* test_hardening.c: hostile and extreme plans (docs/plan-format.md,
 * "Ranges"; docs/formulation.md, "Greedy incumbent").  None may crash,
 * hang or overflow the stack:
 * - magnitudes outside the sane ranges (capacities 1e16, 1e20, 1e200 t,
 *   money, ratios, prices, NaN and infinity in code-built plans) are
 *   rejected by ckp_plan_check() with the line of the element; the
 *   boundary values solve;
 * - requires chains 60 deep whose bottom can never be funded (no columns,
 *   or too dear), which made the old recursive greedy backtrack
 *   exponentially, and a 100,000-deep chain, which overflowed its stack;
 *   a 100,000-deep made-from recipe chain through check and model build;
 * - plan names of 256 characters, with a TAB or a newline, or of 300
 *   two-byte characters; ids of 300 characters with spaces, commas and
 *   brackets (code-built plans) -- all used in GLPK names;
 * - 64-character ids (the longest the schema allows) everywhere, a
 *   65-character one, deep element nesting, many diagnostics at once.
 * No test depends on a clock: the sizes are such that an exponential or
 * recursive implementation would hang (ctest's timeout) or crash. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ckp/check.h"
#include "ckp/load.h"
#include "ckp/mip.h"
#include "ckp/model.h"
#include "ckp/solve.h"

/* ------------------------------------------------------------------ */
/* A growable string.                                                  */

typedef struct sbuf {
    char *s;
    size_t n, cap;
} sbuf;

static void sb_add(sbuf *b, const char *fmt, ...) CKP_PRINTF(2, 3);

static void sb_add(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        size_t room = b->cap - b->n;
        int w = vsnprintf(b->s ? b->s + b->n : NULL, b->s ? room : 0, fmt, ap);
        va_end(ap);
        assert_true(w >= 0);
        if (b->s && (size_t)w < room) {
            b->n += (size_t)w;
            return;
        }
        size_t cap = b->cap ? b->cap : 4096;
        while (cap - b->n <= (size_t)w) cap *= 2;
        b->s = realloc(b->s, cap);
        assert_non_null(b->s);
        b->cap = cap;
    }
}

/* The head of a plan (lines 1-7): horizon, CN (risk 1) and US (risk 0),
 * one stage, commodity c with demand supplied by a Chinese facility, and
 * commodity o without demand. */
static void plan_head(sbuf *b, const char *name, int first, int last,
                      const char *fcap, const char *demand)
{
    sb_add(b,
           "<?xml version=\"1.0\"?>\n"
           "<plan xmlns=\"urn:chokepoint:plan:1\" version=\"1\" name=\"%s\">\n"
           "<horizon first=\"%d\" last=\"%d\"/>\n"
           "<countries><country id=\"CN\" risk=\"1\"/><country id=\"US\" risk=\"0\"/>"
           "</countries>\n"
           "<stages><stage id=\"m\" order=\"1\"/></stages>\n"
           "<commodities><commodity id=\"c\" stage=\"m\">"
           "<demand year=\"%d\" tonnes=\"%s\"/></commodity>"
           "<commodity id=\"o\" stage=\"m\"/></commodities>\n"
           "<facilities><facility id=\"f\" country=\"CN\" output=\"c\" "
           "capacity=\"%s\"/></facilities>\n",
           name, first, last, first, demand, fcap);
}

static ckp_plan *load(const char *xml, ckp_status want, ckp_diag_list *d)
{
    ckp_plan *p = NULL;
    ckp_status st = ckp_plan_load_memory(xml, strlen(xml), "h.xml", &p, d);
    if (st != want) {
        char *t = tu_diag_text(d);
        print_error("load: status %d, want %d\n%s", (int)st, (int)want, t);
        free(t);
    }
    assert_int_equal(st, want);
    return p;
}

static int has_diag(const ckp_diag_list *d, const char *code, int line)
{
    for (int i = 0; i < d->n; i++)
        if (!strcmp(d->items[i].code, code) && (line <= 0 || d->items[i].line == line))
            return 1;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Magnitudes.                                                         */

/* Three projects on lines 9-11; p1 has capacity cap and commitment
 * commit, p2 an input of ratio t/t. */
static char *three_projects(const char *cap, const char *commit, const char *ratio)
{
    sbuf b = {0};
    plan_head(&b, "three", 2026, 2030, "1000", "1000"); /* lines 1-6 */
    sb_add(&b, "<projects>\n"
               "<project id=\"p1\" country=\"US\" output=\"c\" capacity=\"%s\" "
               "capex=\"100\" build-years=\"1\"><option id=\"a\" instrument=\"loan\" "
               "commitment=\"%s\"/></project>\n",
           cap, commit); /* line 9 */
    sb_add(&b, "<project id=\"p2\" country=\"US\" output=\"o\" capacity=\"500\" "
               "capex=\"100\" build-years=\"1\"><input commodity=\"c\" per-tonne=\"%s\"/>"
               "<option id=\"a\" instrument=\"loan\" commitment=\"50\"/></project>\n",
           ratio); /* line 10 */
    sb_add(&b, "<project id=\"p3\" country=\"US\" output=\"c\" capacity=\"500\" "
               "capex=\"100\" build-years=\"2\"><option id=\"a\" instrument=\"loan\" "
               "commitment=\"50\"/></project>\n</projects>\n"
               "<budget total=\"100\"/>\n</plan>\n");
    return b.s;
}

static void huge_capacities_rejected(void **state)
{
    (void)state;
    const char *caps[] = {"1e16", "1e20", "1e200", "1e10", "1e-7", "-1e-300"};
    for (size_t k = 0; k < sizeof caps / sizeof *caps; k++) {
        char *xml = three_projects(caps[k], "50", "0");
        ckp_diag_list d;
        ckp_diag_list_init(&d);
        ckp_plan *p = load(xml, CKP_OK, &d);
        assert_int_equal(ckp_plan_check(p, &d), CKP_EINVALID);
        const char *code = caps[k][0] == '-' ? "negative-value" : "magnitude-range";
        if (!has_diag(&d, code, 9)) {
            char *t = tu_diag_text(&d);
            print_error("capacity %s: no %s at line 9:\n%s", caps[k], code, t);
            free(t);
        }
        assert_true(has_diag(&d, code, 9));
        ckp_plan_free(p);
        ckp_diag_list_fini(&d);
        free(xml);
    }
}

static void money_and_ratio_rejected(void **state)
{
    (void)state;
    char *xml = three_projects("100", "1e16", "1e7");
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    ckp_plan *p = load(xml, CKP_OK, &d);
    assert_int_equal(ckp_plan_check(p, &d), CKP_EINVALID);
    assert_true(has_diag(&d, "magnitude-range", 9)); /* commitment */
    assert_true(has_diag(&d, "magnitude-range", 10)); /* per-tonne */
    ckp_plan_free(p);
    ckp_diag_list_fini(&d);
    free(xml);
}

/* Code-built plans may hold NaN and infinity (XML cannot). */
static void non_finite_rejected(void **state)
{
    (void)state;
    char *xml = three_projects("100", "50", "0");
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    ckp_plan *p = load(xml, CKP_OK, &d);
    p->projects[0].capacity = INFINITY;
    p->projects[1].capex = NAN;
    p->projects[2].options[0].commitment = -INFINITY;
    p->facilities[0].capacity = 1e300;
    assert_int_equal(ckp_plan_check(p, &d), CKP_EINVALID);
    assert_true(has_diag(&d, "non-finite", 9));
    assert_true(has_diag(&d, "non-finite", 10));
    assert_true(has_diag(&d, "non-finite", 11));
    assert_true(has_diag(&d, "magnitude-range", 7));
    ckp_plan_free(p);
    ckp_diag_list_fini(&d);
    free(xml);
}

/* The edges of the ranges are accepted and solve. */
static void boundary_values_solve(void **state)
{
    (void)state;
    const char *sets[][3] = {{"1e9", "1e-6", "1e-6"}, {"1e-6", "1e9", "1e6"}};
    for (int k = 0; k < 2; k++) {
        sbuf b = {0};
        plan_head(&b, "edges", 2026, 2028, sets[k][0], sets[k][0]);
        sb_add(&b, "<projects>\n"
                   "<project id=\"p1\" country=\"US\" output=\"c\" capacity=\"%s\" "
                   "capex=\"1e9\" build-years=\"1\"><option id=\"a\" instrument=\"loan\" "
                   "commitment=\"%s\"/></project>\n"
                   "<project id=\"p2\" country=\"US\" output=\"c\" capacity=\"1e9\" "
                   "capex=\"1e9\" build-years=\"1\"><option id=\"a\" instrument=\"loan\" "
                   "commitment=\"1e9\"/></project>\n</projects>\n"
                   "<budget total=\"1e9\"/>\n<objective shortage-penalty=\"%s\"/>\n"
                   "</plan>\n",
               sets[k][1], sets[k][1], k ? "1e9" : "1.5");
        ckp_plan *p = tu_load_checked_str(b.s);
        ckp_result *r = tu_solve(p, NULL, NULL);
        assert_int_equal(r->status, CKP_MIP_OPTIMAL);
        ckp_result_free(r);
        ckp_plan_free(p);
        free(b.s);
    }
}

/* ------------------------------------------------------------------ */
/* Deep requires chains and the greedy incumbent.                      */

/* p0 requires p1 requires ... p(n-1); bottom: 0 = fundable, 1 = can never
 * come online (no columns), 2 = dearer than the budget.  Plus one free
 * project "free" the greedy should fund. */
static char *chain_plan(int n, int bottom, int years)
{
    sbuf b = {0};
    plan_head(&b, "chain", 2026, 2026 + years - 1, "1000", "1000");
    sb_add(&b, "<projects>\n");
    for (int i = 0; i < n; i++) {
        const char *extra = i == n - 1 && bottom == 1
                                ? " latest-start=\"2026\" build-years=\"90\""
                                : " build-years=\"0\"";
        double commit = i == n - 1 && bottom == 2 ? 1e8 : 1.0;
        sb_add(&b, "<project id=\"p%d\" country=\"US\" output=\"c\" capacity=\"10\" "
                   "capex=\"1e6\"%s>", i, extra);
        if (i + 1 < n) sb_add(&b, "<requires project=\"p%d\"/>", i + 1);
        sb_add(&b, "<option id=\"a\" instrument=\"loan\" commitment=\"%g\"/>"
                   "<option id=\"b\" instrument=\"grant\" commitment=\"%g\"/></project>\n",
               commit, 2 * commit);
    }
    sb_add(&b, "<project id=\"free\" country=\"US\" output=\"c\" capacity=\"5\" "
               "capex=\"10\" build-years=\"0\"><option id=\"a\" instrument=\"loan\" "
               "commitment=\"1\"/></project>\n</projects>\n"
               "<budget total=\"%d\"/>\n</plan>\n",
           3 * n + 10);
    return b.s;
}

/* Number of chain projects funded by the greedy vector, and whether
 * "free" is. */
static int chain_funded(const ckp_model *m, const double *x, int *free_on)
{
    int n = 0;
    *free_on = 0;
    for (int k = 0; k < m->n_starts; k++) {
        if (x[m->starts[k].col] != 1.0) continue;
        const char *id = m->plan->projects[m->starts[k].project].id;
        if (!strcmp(id, "free"))
            *free_on = 1;
        else
            n++;
    }
    return n;
}

static void greedy_chain(int n, int bottom, int years, int want_funded)
{
    char *xml = chain_plan(n, bottom, years);
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    ckp_plan *p = load(xml, CKP_OK, &d);
    assert_true(ckp_plan_check(p, &d) == CKP_OK);
    ckp_model *m = NULL;
    assert_int_equal(ckp_model_build(p, NULL, &m, NULL), CKP_OK);
    double *x = NULL;
    assert_int_equal(ckp_model_greedy(m, &x), CKP_OK);
    assert_non_null(x);
    int free_on = 0;
    assert_int_equal(chain_funded(m, x, &free_on), want_funded);
    assert_true(free_on);
    free(x);
    ckp_model_free(m);
    ckp_plan_free(p);
    ckp_diag_list_fini(&d);
    free(xml);
}

/* The old recursive greedy tried 2 options x 3 years at each of the 60
 * levels before failing at the bottom: 6^60 placements. */
static void greedy_chain60_unfundable_bottom(void **state)
{
    (void)state;
    greedy_chain(60, 1, 3, 0);
}

static void greedy_chain60_dear_bottom(void **state)
{
    (void)state;
    greedy_chain(60, 2, 3, 0);
}

static void greedy_chain60_fundable(void **state)
{
    (void)state;
    greedy_chain(60, 0, 3, 60);
}

/* 100,000 deep: check (cycle search), build and greedy without recursion. */
static void greedy_chain100k(void **state)
{
    (void)state;
    greedy_chain(100000, 0, 1, 100000);
}

/* ckp_model_greedy_limited with a limit behaves as without when the work
 * is small (the limit is not reached: no clock dependence in the result). */
static void greedy_limited_same(void **state)
{
    (void)state;
    char *xml = chain_plan(60, 2, 3);
    ckp_plan *p = tu_load_checked_str(xml);
    ckp_model *m = NULL;
    assert_int_equal(ckp_model_build(p, NULL, &m, NULL), CKP_OK);
    double *x = NULL, *y = NULL;
    assert_int_equal(ckp_model_greedy(m, &x), CKP_OK);
    assert_int_equal(ckp_model_greedy_limited(m, 3600.0, &y), CKP_OK);
    assert_non_null(x);
    assert_non_null(y);
    for (int j = 0; j < m->mip.n_cols; j++)
        assert_true((isnan(x[j]) && isnan(y[j])) || x[j] == y[j]);
    free(x);
    free(y);
    ckp_model_free(m);
    ckp_plan_free(p);
    free(xml);
}

/* A made-from chain c0 <- c1 <- ... 100,000 deep (c(i) made from
 * c(i+1)): the requirement and the shortage bounds walk the recipes. */
static void recipe_chain100k(void **state)
{
    (void)state;
    int n = 100000;
    sbuf b = {0};
    sb_add(&b, "<?xml version=\"1.0\"?>\n"
               "<plan xmlns=\"urn:chokepoint:plan:1\" version=\"1\" name=\"recipes\">\n"
               "<horizon first=\"2026\" last=\"2026\"/>\n"
               "<countries><country id=\"CN\" risk=\"1\"/></countries>\n"
               "<stages><stage id=\"m\" order=\"1\"/></stages>\n<commodities>\n");
    for (int i = 0; i < n; i++) {
        sb_add(&b, "<commodity id=\"c%d\" stage=\"m\">", i);
        if (i + 1 < n) sb_add(&b, "<made-from commodity=\"c%d\" per-tonne=\"1\"/>", i + 1);
        if (i == 0) sb_add(&b, "<demand year=\"2026\" tonnes=\"10\"/>");
        sb_add(&b, "</commodity>\n");
    }
    sb_add(&b, "</commodities>\n<facilities><facility id=\"f\" country=\"CN\" "
               "output=\"c0\" capacity=\"100\"/></facilities>\n"
               "<objective shortage-penalty=\"1e9\"/>\n</plan>\n");
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    ckp_plan *p = load(b.s, CKP_OK, &d);
    assert_int_equal(ckp_plan_check(p, &d), CKP_OK);
    ckp_model *m = NULL;
    ckp_model_params mp;
    ckp_model_params_init(&mp);
    mp.max_share = 0.5; /* the share caps walk the recipes too */
    assert_int_equal(ckp_model_build(p, &mp, &m, NULL), CKP_OK);
    /* every commodity is required: 10 t/yr all the way up */
    for (int c = 0; c < n; c += 9999)
        assert_true(fabs(m->requirement[(size_t)c * (size_t)m->n_years] - 10.0) < 1e-9);
    ckp_model_free(m);
    ckp_plan_free(p);
    ckp_diag_list_fini(&d);
    free(b.s);
}

/* ------------------------------------------------------------------ */
/* Names used in GLPK names.                                           */

static void solve_named(const char *name)
{
    sbuf b = {0};
    plan_head(&b, name, 2026, 2028, "1000", "1000");
    sb_add(&b, "<projects><project id=\"p1\" country=\"US\" output=\"c\" "
               "capacity=\"500\" capex=\"100\" build-years=\"1\"><option id=\"a\" "
               "instrument=\"loan\" commitment=\"50\"/></project></projects>\n"
               "<budget total=\"100\"/>\n</plan>\n");
    ckp_plan *p = tu_load_checked_str(b.s);
    ckp_model *m = NULL;
    assert_int_equal(ckp_model_build(p, NULL, &m, NULL), CKP_OK);
    size_t len = strlen(m->mip.name);
    assert_true(len >= 1 && len <= 255);
    for (size_t i = 0; i < len; i++) assert_true((unsigned char)m->mip.name[i] >= 0x20);
    /* cut at a character boundary: the last byte is not a lead byte */
    assert_true(((unsigned char)m->mip.name[len - 1] & 0xC0) != 0xC0);
    ckp_model_free(m);
    ckp_result *r = tu_solve(p, NULL, NULL);
    assert_int_equal(r->status, CKP_MIP_OPTIMAL);
    ckp_result_free(r);
    ckp_plan_free(p);
    free(b.s);
}

static void plan_name_is_a_label(void **state)
{
    (void)state;
    char longname[400];
    memset(longname, 'a', 256);
    longname[256] = '\0';
    solve_named(longname);
    solve_named("tab&#9;in&#10;the name&#13;");
    char wide[700] = "";
    for (int i = 0; i < 300; i++) strcat(wide, "\xc3\xa9"); /* e acute */
    solve_named(wide);
    solve_named("&#127;x&#127;");
}

/* Code-built plans can hold ids the schema refuses: 300 characters with
 * spaces, commas, brackets and a TAB.  They end up in column and row
 * names, cleaned and cut there. */
static void odd_ids_in_code(void **state)
{
    (void)state;
    char *xml = three_projects("100", "50", "0.5");
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    ckp_plan *p = load(xml, CKP_OK, &d);
    ckp_diag_list_fini(&d);
    char *id = malloc(301);
    assert_non_null(id);
    for (int i = 0; i < 300; i++) id[i] = "a b,c[d]\te"[i % 10];
    id[300] = '\0';
    free(p->projects[0].id);
    p->projects[0].id = id;
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_plan_check(p, &d), CKP_OK);
    ckp_diag_list_fini(&d);
    ckp_result *r = tu_solve(p, NULL, NULL);
    assert_int_equal(r->status, CKP_MIP_OPTIMAL);
    ckp_result_free(r);
    ckp_plan_free(p);
    free(xml);
}

/* 64-character ids (the schema's longest) for every record kind that
 * reaches a GLPK name; a 65th character is a schema error. */
static void longest_ids(void **state)
{
    (void)state;
    char id[70];
    memset(id, 'x', 64);
    id[64] = '\0';
    char id2[70];
    memcpy(id2, id, 65);
    id2[0] = 'y';
    sbuf b = {0};
    sb_add(&b,
           "<?xml version=\"1.0\"?>\n"
           "<plan xmlns=\"urn:chokepoint:plan:1\" version=\"1\" name=\"ids\">\n"
           "<horizon first=\"2026\" last=\"2028\"/>\n"
           "<countries><country id=\"%s\" risk=\"1\"/><country id=\"%s\" risk=\"0\"/>"
           "</countries>\n<stages><stage id=\"%s\" order=\"1\"/></stages>\n"
           "<commodities><commodity id=\"%s\" stage=\"%s\"><demand year=\"2026\" "
           "tonnes=\"100\"/></commodity></commodities>\n"
           "<facilities><facility id=\"%s\" country=\"%s\" output=\"%s\" "
           "capacity=\"100\"/></facilities>\n"
           "<resources><resource id=\"%s\" unit=\"MW\"/></resources>\n"
           "<sites><site id=\"%s\" country=\"%s\"><capacity resource=\"%s\" "
           "amount=\"1\"/></site></sites>\n"
           "<projects><project id=\"%s\" site=\"%s\" output=\"%s\" capacity=\"50\" "
           "capex=\"10\" build-years=\"1\"><needs resource=\"%s\" amount=\"2\"/>"
           "<option id=\"%s\" instrument=\"loan\" commitment=\"5\"/></project>"
           "</projects>\n"
           "<upgrades><upgrade id=\"%s\" site=\"%s\" resource=\"%s\" amount=\"5\" "
           "cost=\"1\" build-years=\"0\"/></upgrades>\n"
           "<budget total=\"100\"/>\n"
           "<scenarios><scenario id=\"%s\" probability=\"1\"/></scenarios>\n</plan>\n",
           id, id2, id, id, id, id, id, id, id, id, id2, id, id2, id, id, id, id, id2,
           id, id, id);
    ckp_plan *p = tu_load_checked_str(b.s);
    ckp_model_params mp;
    ckp_model_params_init(&mp);
    mp.max_share = 0.5;
    ckp_result *r = tu_solve(p, &mp, NULL);
    assert_int_equal(r->status, CKP_MIP_OPTIMAL);
    ckp_result_free(r);
    ckp_plan_free(p);
    free(b.s);

    /* one character more: refused by the schema, not a crash */
    sbuf c = {0};
    char id65[70];
    memset(id65, 'z', 65);
    id65[65] = '\0';
    plan_head(&c, "ids", 2026, 2028, "100", "100");
    sb_add(&c, "<projects><project id=\"%s\" country=\"US\" output=\"c\" capacity=\"5\" "
               "capex=\"1\" build-years=\"1\"><option id=\"a\" instrument=\"loan\" "
               "commitment=\"1\"/></project></projects>\n</plan>\n",
           id65);
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    ckp_plan *q = NULL;
    assert_int_equal(ckp_plan_load_memory(c.s, c.n, "h.xml", &q, &d), CKP_ESCHEMA);
    assert_null(q);
    assert_true(d.n_errors > 0);
    ckp_diag_list_fini(&d);
    free(c.s);
}

/* ------------------------------------------------------------------ */
/* Deep nesting and many diagnostics.                                  */

static void deep_nesting(void **state)
{
    (void)state;
    sbuf b = {0};
    sb_add(&b, "<?xml version=\"1.0\"?>\n<plan xmlns=\"urn:chokepoint:plan:1\" "
               "version=\"1\" name=\"deep\">");
    for (int i = 0; i < 100000; i++) sb_add(&b, "<description>");
    for (int i = 0; i < 100000; i++) sb_add(&b, "</description>");
    sb_add(&b, "</plan>\n");
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    ckp_plan *p = NULL;
    ckp_status st = ckp_plan_load_memory(b.s, b.n, "h.xml", &p, &d);
    assert_true(st == CKP_EPARSE || st == CKP_ESCHEMA);
    assert_null(p);
    assert_true(d.n_errors > 0);
    ckp_diag_list_fini(&d);
    free(b.s);
}

/* 20,000 projects, each with two errors: all reported, sorted by line. */
static void many_diagnostics(void **state)
{
    (void)state;
    int n = 20000;
    sbuf b = {0};
    plan_head(&b, "many", 2026, 2028, "100", "100");
    sb_add(&b, "<projects>\n");
    for (int i = 0; i < n; i++)
        sb_add(&b, "<project id=\"p%d\" country=\"XX\" output=\"c\" capacity=\"1e12\" "
                   "capex=\"1\" build-years=\"1\"><option id=\"a\" instrument=\"loan\" "
                   "commitment=\"1\"/></project>\n",
               i);
    sb_add(&b, "</projects>\n</plan>\n");
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    ckp_plan *p = load(b.s, CKP_OK, &d);
    assert_int_equal(ckp_plan_check(p, &d), CKP_EINVALID);
    assert_int_equal(d.n_errors, 2 * n);
    for (int i = 1; i < d.n; i++) assert_true(d.items[i - 1].line <= d.items[i].line);
    ckp_plan_free(p);
    ckp_diag_list_fini(&d);
    free(b.s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(huge_capacities_rejected),
        cmocka_unit_test(money_and_ratio_rejected),
        cmocka_unit_test(non_finite_rejected),
        cmocka_unit_test(boundary_values_solve),
        cmocka_unit_test(greedy_chain60_unfundable_bottom),
        cmocka_unit_test(greedy_chain60_dear_bottom),
        cmocka_unit_test(greedy_chain60_fundable),
        cmocka_unit_test(greedy_chain100k),
        cmocka_unit_test(greedy_limited_same),
        cmocka_unit_test(recipe_chain100k),
        cmocka_unit_test(plan_name_is_a_label),
        cmocka_unit_test(odd_ids_in_code),
        cmocka_unit_test(longest_ids),
        cmocka_unit_test(deep_nesting),
        cmocka_unit_test(many_diagnostics),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
