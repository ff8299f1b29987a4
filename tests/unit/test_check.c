/* test_check.c: the semantic checker (src/input/check.c).
 *
 * - Golden files: every tests/data/check/bad_*.xml is loaded (under its
 *   base name, so messages do not depend on where the tree lives), checked,
 *   and its diagnostics compared byte-for-byte with bad_*.err.  Each
 *   fixture is its own cmocka test.  With CKP_UPDATE_GOLDEN=1 in the
 *   environment the .err files are rewritten instead (review the diff).
 * - The canonical vocabulary plan gives no diagnostic and every reference
 *   resolves to the right index (also those of stockpiles, scenario
 *   entries and breakeven-of).
 * - Scenario rules on edits of that plan: probabilities that sum to 0.9
 *   (or to 1 within the tolerance), missing references, re-checking.
 * - Rules the schema or the loader make unreachable from XML (non-finite
 *   numbers, missing ids, projects without options, empty schedules) are
 *   driven by editing a loaded plan.
 * - Scale: thousands of projects in one requires cycle (iterative search,
 *   linear time), idempotence, out-of-memory at every allocation.
 * - docs/diagnostics.md lists exactly the codes the tests produce. */
#include "testutil.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ckp/check.h"
#include "ckp/load.h"
#include "util/alloc.h"

/* ------------------------------------------------------------------ */
/* Codes seen by any test of this file (checked against the docs).     */

#define MAX_CODES 128
static char *seen_codes[MAX_CODES];
static int n_seen;

static void note_codes(const ckp_diag_list *d)
{
    for (int i = 0; i < d->n; i++) {
        int found = 0;
        for (int k = 0; k < n_seen && !found; k++)
            found = strcmp(seen_codes[k], d->items[i].code) == 0;
        if (!found && n_seen < MAX_CODES) seen_codes[n_seen++] = strdup(d->items[i].code);
    }
}

/* ------------------------------------------------------------------ */
/* Helpers.                                                            */

/* Load XML text under a display name; the load itself must succeed. */
static ckp_plan *load_str(const char *xml, size_t len, const char *name)
{
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    ckp_plan *plan = NULL;
    ckp_status st = ckp_plan_load_memory(xml, len, name, &plan, &d);
    if (st != CKP_OK) {
        char *t = tu_diag_text(&d);
        print_error("%s did not load (%s):\n%s", name, ckp_status_str(st), t);
        free(t);
    }
    ckp_diag_list_fini(&d);
    assert_int_equal(st, CKP_OK);
    assert_non_null(plan);
    return plan;
}

static ckp_plan *load_fixture(const char *rel, const char *name)
{
    size_t len = 0;
    char *xml = tu_read_file(tu_path(rel), &len);
    assert_non_null(xml);
    ckp_plan *plan = load_str(xml, len, name);
    free(xml);
    return plan;
}

/* Check the plan; return the diagnostics as text (caller frees). */
static char *check_text(ckp_plan *plan, ckp_status *st)
{
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    *st = ckp_plan_check(plan, &d);
    note_codes(&d);
    char *t = tu_diag_text(&d);
    ckp_diag_list_fini(&d);
    return t;
}

static int has_code(const ckp_diag_list *d, const char *code)
{
    for (int i = 0; i < d->n; i++)
        if (strcmp(d->items[i].code, code) == 0) return 1;
    return 0;
}

/* ------------------------------------------------------------------ */
/* Golden fixtures.                                                    */

#define FIXTURE_DIR "data/check"

static void golden(void **state)
{
    const char *base = *state; /* "bad_x.xml" */
    char rel[512], err_rel[512];
    snprintf(rel, sizeof rel, FIXTURE_DIR "/%s", base);
    size_t bl = strlen(base);
    snprintf(err_rel, sizeof err_rel, FIXTURE_DIR "/%.*s.err", (int)(bl - 4), base);

    ckp_plan *plan = load_fixture(rel, base);
    ckp_status st;
    char *got = check_text(plan, &st);
    ckp_plan_free(plan);

    /* every fixture shows at least one problem; errors mean EINVALID */
    assert_true(got[0] != '\0');
    int any_error = strstr(got, ": error: ") != NULL;
    assert_int_equal(st, any_error ? CKP_EINVALID : CKP_OK);

    const char *upd = getenv("CKP_UPDATE_GOLDEN");
    if (upd && *upd == '1') {
        FILE *f = fopen(tu_path(err_rel), "wb");
        assert_non_null(f);
        fputs(got, f);
        fclose(f);
        free(got);
        return;
    }
    char *want = tu_read_file(tu_path(err_rel), NULL);
    if (!want) {
        print_error("missing golden file %s; got:\n%s", err_rel, got);
        free(got);
        fail();
    }
    if (strcmp(got, want) != 0)
        print_error("%s differs from the golden file.\n--- want\n%s--- got\n%s",
                    base, want, got);
    int same = strcmp(got, want) == 0;
    free(got);
    free(want);
    assert_true(same);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Names of the fixtures, sorted (caller frees each and the array). */
static char **list_fixtures(int *n_out)
{
    DIR *dir = opendir(tu_path(FIXTURE_DIR));
    char **names = NULL;
    int n = 0, cap = 0;
    if (dir) {
        struct dirent *e;
        while ((e = readdir(dir)) != NULL) {
            size_t l = strlen(e->d_name);
            if (strncmp(e->d_name, "bad_", 4) != 0 || l < 8 ||
                strcmp(e->d_name + l - 4, ".xml") != 0)
                continue;
            if (n == cap) {
                cap = cap ? 2 * cap : 32;
                names = realloc(names, (size_t)cap * sizeof *names);
            }
            names[n++] = strdup(e->d_name);
        }
        closedir(dir);
    }
    if (n) qsort(names, (size_t)n, sizeof *names, cmp_str);
    *n_out = n;
    return names;
}

/* ------------------------------------------------------------------ */
/* The vocabulary plan.                                                */

static void vocabulary_is_clean(void **state)
{
    (void)state;
    ckp_plan *p = load_fixture("data/plans/vocabulary.xml", "vocabulary.xml");
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_plan_check(p, &d), CKP_OK);
    note_codes(&d);
    if (d.n) {
        char *t = tu_diag_text(&d);
        print_error("unexpected diagnostics:\n%s", t);
        free(t);
    }
    assert_int_equal(d.n, 0);
    ckp_diag_list_fini(&d);

    /* references resolve to the records they name */
    int conc = ckp_plan_find_commodity(p, "conc");
    int oxide = ckp_plan_find_commodity(p, "oxide");
    int magnet = ckp_plan_find_commodity(p, "magnet");
    assert_true(conc >= 0 && oxide >= 0 && magnet >= 0);
    assert_int_equal(p->commodities[oxide].made_from[0].commodity.ix, conc);
    assert_int_equal(p->commodities[magnet].stage.ix, 2);
    assert_int_equal(p->facilities[1].country.ix, ckp_plan_find_country(p, "CN"));
    assert_int_equal(p->facilities[1].output.ix, oxide);
    assert_int_equal(p->facilities[1].inputs[0].commodity.ix, conc);
    assert_int_equal(p->sites[0].country.ix, ckp_plan_find_country(p, "US"));
    assert_int_equal(p->sites[0].capacity[0].resource.ix, 0);
    int mag1 = ckp_plan_find_project(p, "mag1");
    int sep1 = ckp_plan_find_project(p, "sep1");
    int sep2 = ckp_plan_find_project(p, "sep2");
    const ckp_project *m = &p->projects[mag1];
    assert_int_equal(m->site.ix, 0);
    assert_int_equal(m->stage.ix, 2);
    assert_int_equal(m->country.ix, -1); /* not given: taken from the site */
    assert_int_equal(m->output.ix, magnet);
    assert_int_equal(m->inputs[0].commodity.ix, oxide);
    assert_int_equal(m->needs[0].resource.ix, 0);
    assert_int_equal(p->projects[sep1].requires[0].ix, mag1);
    assert_int_equal(p->projects[sep2].excludes[0].ix, sep1);
    assert_int_equal(p->projects[sep1].country.ix, ckp_plan_find_country(p, "US"));
    assert_int_equal(p->upgrades[0].site.ix, 0);
    assert_int_equal(p->upgrades[0].resource.ix, 0);

    /* scenario vocabulary */
    assert_int_equal(m->breakeven_of.ix, magnet);
    assert_int_equal(p->projects[sep1].breakeven_of.ix, -1); /* not given */
    assert_int_equal(p->n_stockpiles, 1);
    assert_int_equal(p->stockpiles[0].commodity.ix, oxide);
    assert_int_equal(p->n_scenarios, 2);
    assert_int_equal(ckp_plan_find_scenario(p, "squeeze"), 1);
    const ckp_scenario *sq = &p->scenarios[1];
    assert_int_equal(sq->n_changes, 3);
    assert_int_equal(sq->changes[0].kind, CKP_CHANGE_EXPORT);
    assert_int_equal(sq->changes[0].country.ix, ckp_plan_find_country(p, "CN"));
    assert_int_equal(sq->changes[0].commodity.ix, oxide);
    assert_int_equal(sq->changes[1].kind, CKP_CHANGE_PRICE);
    assert_int_equal(sq->changes[1].country.ix, -1);
    assert_int_equal(sq->changes[1].commodity.ix, magnet);
    assert_int_equal(sq->changes[2].kind, CKP_CHANGE_DEMAND);
    assert_int_equal(sq->changes[2].country.ix, -1);
    assert_int_equal(sq->changes[2].commodity.ix, magnet);
    ckp_plan_free(p);
}

/* ------------------------------------------------------------------ */
/* Edits of a loaded plan: rules the XML cannot reach.                 */

static ckp_plan *vocab(void)
{
    return load_fixture("data/plans/vocabulary.xml", "vocabulary.xml");
}

static void assert_check_text(ckp_plan *p, ckp_status want_st, const char *want)
{
    ckp_status st;
    char *got = check_text(p, &st);
    if (strcmp(got, want) != 0)
        print_error("--- want\n%s--- got\n%s", want, got);
    assert_string_equal(got, want);
    assert_int_equal(st, want_st);
    free(got);
}

/* Expected diagnostics, built with the lines the loader recorded (so the
 * test does not depend on the layout of vocabulary.xml). */
typedef struct sbuf {
    char *s;
    size_t len, cap;
} sbuf;

static void sb_vprintf(sbuf *b, const char *fmt, va_list ap0)
{
    for (;;) {
        va_list ap;
        va_copy(ap, ap0);
        int n = b->s ? vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap) : -1;
        va_end(ap);
        if (n >= 0 && (size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        b->cap = b->cap ? 2 * b->cap + (n > 0 ? (size_t)n : 0) : 4096;
        b->s = realloc(b->s, b->cap);
    }
}

static void sb_printf(sbuf *b, const char *fmt, ...) CKP_PRINTF(2, 3);
static void sb_printf(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(b, fmt, ap);
    va_end(ap);
}

static void expect(sbuf *b, int line, const char *sev, const char *fmt, ...)
    CKP_PRINTF(4, 5);
static void expect(sbuf *b, int line, const char *sev, const char *fmt, ...)
{
    sb_printf(b, "vocabulary.xml:%d: %s: ", line, sev);
    va_list ap;
    va_start(ap, fmt);
    sb_vprintf(b, fmt, ap);
    va_end(ap);
    sb_printf(b, "\n");
}

static void non_finite_numbers(void **state)
{
    (void)state;
    ckp_plan *p = vocab();
    ckp_project *mag1 = &p->projects[ckp_plan_find_project(p, "mag1")];
    ckp_commodity *magnet = &p->commodities[ckp_plan_find_commodity(p, "magnet")];
    p->countries[0].risk = NAN;
    p->facilities[0].capacity = INFINITY;
    mag1->capex = -INFINITY;
    mag1->breakeven = INFINITY;
    mag1->ramp[1] = NAN;
    mag1->options[0].schedule[0] = INFINITY;
    p->upgrades[0].schedule[0] = NAN;
    magnet->demand[0].value = NAN;
    p->budget.total = NAN;
    p->objective.shortage_penalty = INFINITY;
    ckp_stockpile *pile = &p->stockpiles[0];
    ckp_scenario *sq = &p->scenarios[1];
    pile->release = INFINITY;
    sq->probability = NAN;
    sq->changes[0].value = -INFINITY;
    sq->changes[1].value = NAN;
    sbuf w = {0};
    expect(&w, p->countries[0].line, "error", "country 'CN': risk nan is not a finite number");
    expect(&w, magnet->demand[0].line, "error",
           "commodity 'magnet': demand 2026 tonnes nan is not a finite number");
    expect(&w, p->facilities[0].line, "error",
           "facility 'cn-mine': capacity inf is not a finite number");
    expect(&w, mag1->line, "error", "project 'mag1': capex -inf is not a finite number");
    expect(&w, mag1->line, "error",
           "project 'mag1': ramp value nan (entry 2) is not a finite number");
    expect(&w, mag1->line, "error", "project 'mag1': breakeven inf is not a finite number");
    expect(&w, mag1->options[0].line, "error",
           "project 'mag1': option 'loan': schedule value inf (entry 1) is not a finite number");
    expect(&w, p->upgrades[0].line, "error",
           "upgrade 'tx-power': schedule value nan (entry 1) is not a finite number");
    expect(&w, pile->line, "error",
           "stockpile 'oxide-reserve': release inf is not a finite number");
    expect(&w, p->budget.line, "error", "budget: total nan is not a finite number");
    expect(&w, p->objective.line, "error",
           "objective: shortage-penalty inf is not a finite number");
    expect(&w, sq->line, "error",
           "scenario 'squeeze': probability nan is not a finite number");
    expect(&w, sq->changes[0].line, "error",
           "scenario 'squeeze': export-restriction scale -inf is not a finite number");
    expect(&w, sq->changes[1].line, "error",
           "scenario 'squeeze': price nan is not a finite number");
    assert_check_text(p, CKP_EINVALID, w.s);
    free(w.s);
    pile->release = 100;
    sq->probability = 0.3;
    sq->changes[0].value = 0.5;
    sq->changes[1].value = 60000;

    /* no budget (INFINITY) and no breakeven (NAN) are fine */
    p->countries[0].risk = 1;
    p->facilities[0].capacity = 1;
    mag1->capex = 300;
    mag1->breakeven = NAN;
    mag1->ramp[1] = 1;
    mag1->options[0].schedule[0] = 0.6;
    p->upgrades[0].schedule[0] = 1;
    magnet->demand[0].value = 1000;
    p->budget.total = INFINITY;
    p->objective.shortage_penalty = 10;
    /* without its breakeven, mag1's breakeven-of means nothing, and the
     * scenario's magnet price no longer applies to any project */
    w = (sbuf){0};
    expect(&w, mag1->breakeven_of.line, "warning",
           "project 'mag1': breakeven-of 'magnet' is ignored because no "
           "breakeven is given");
    expect(&w, sq->changes[1].line, "warning",
           "scenario 'squeeze': price of commodity 'magnet' is set, but no "
           "project's breakeven is quoted in it (breakeven-of, or the output "
           "when absent), so it changes nothing");
    assert_check_text(p, CKP_OK, w.s);
    free(w.s);
    mag1->breakeven = 80000;
    assert_check_text(p, CKP_OK, "");
    p->budget.total = -INFINITY;
    w = (sbuf){0};
    expect(&w, p->budget.line, "error", "budget: total -inf is not a finite number");
    assert_check_text(p, CKP_EINVALID, w.s);
    free(w.s);
    ckp_plan_free(p);
}

static void unreachable_from_xml(void **state)
{
    (void)state;
    ckp_plan *p = vocab();
    ckp_project *mag1 = &p->projects[ckp_plan_find_project(p, "mag1")];
    ckp_project *sep2 = &p->projects[ckp_plan_find_project(p, "sep2")];
    ckp_facility *cnmag = &p->facilities[2];
    /* a project without options, an empty schedule, a missing id and a
     * missing required reference (the schema makes these impossible in
     * XML; the checker still must not trust it) */
    int n_opt = sep2->n_options;
    sep2->n_options = 0;
    int n_sched = p->upgrades[0].n_schedule;
    p->upgrades[0].n_schedule = 0;
    char *rid = p->resources[0].id;
    p->resources[0].id = NULL;
    char *out = cnmag->output.id;
    cnmag->output.id = NULL;
    char *oid = mag1->options[1].id;
    mag1->options[1].id = NULL;
    sbuf w = {0};
    expect(&w, cnmag->line, "error", "facility 'cn-mag': output is missing");
    expect(&w, p->resources[0].line, "error", "resource (entry 1) has no id");
    expect(&w, p->sites[0].capacity[0].line, "error",
           "site 'tx': capacity resource 'power' is not defined");
    expect(&w, mag1->needs[0].line, "error",
           "project 'mag1': needs resource 'power' is not defined");
    expect(&w, mag1->options[1].line, "error", "project 'mag1': option (entry 2) has no id");
    expect(&w, sep2->line, "error",
           "project 'sep2': has no financing option, so it can never be funded");
    expect(&w, p->upgrades[0].line, "error", "upgrade 'tx-power': resource 'power' is not defined");
    expect(&w, p->upgrades[0].line, "error",
           "upgrade 'tx-power': schedule is empty; its shares must sum to 1");
    assert_check_text(p, CKP_EINVALID, w.s);
    free(w.s);
    /* restored: clean again */
    sep2->n_options = n_opt;
    p->upgrades[0].n_schedule = n_sched;
    p->resources[0].id = rid;
    cnmag->output.id = out;
    mag1->options[1].id = oid;
    assert_check_text(p, CKP_OK, "");
    ckp_plan_free(p);
}

/* Scenario rules driven by edits of the vocabulary plan. */
static void scenario_edits(void **state)
{
    (void)state;
    ckp_plan *p = vocab();
    ckp_scenario *calm = &p->scenarios[0];
    ckp_scenario *sq = &p->scenarios[1];

    /* 0.6 + 0.3: rejected, the message gives the sum */
    calm->probability = 0.6;
    sbuf w = {0};
    expect(&w, calm->line, "error",
           "scenarios: probabilities sum to 0.9, not 1 (tolerance 1e-6)");
    assert_check_text(p, CKP_EINVALID, w.s);
    free(w.s);
    /* within the tolerance: accepted; just outside it: rejected */
    calm->probability = 0.7 + 5e-7;
    assert_check_text(p, CKP_OK, "");
    calm->probability = 0.7 + 2e-6;
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_plan_check(p, &d), CKP_EINVALID);
    note_codes(&d);
    assert_int_equal(d.n, 1);
    assert_string_equal(d.items[0].code, "probability-sum");
    ckp_diag_list_fini(&d);
    /* one scenario of probability 1 alone is fine */
    calm->probability = 0.7;
    p->n_scenarios = 1;
    calm->probability = 1;
    assert_check_text(p, CKP_OK, "");
    p->n_scenarios = 2;
    calm->probability = 0.7;

    /* required references absent (the schema makes this impossible) */
    char *country = sq->changes[0].country.id;
    char *commodity = sq->changes[1].commodity.id;
    sq->changes[0].country.id = NULL;
    sq->changes[1].commodity.id = NULL;
    w = (sbuf){0};
    expect(&w, sq->changes[0].line, "error",
           "scenario 'squeeze': export-restriction country is missing");
    expect(&w, sq->changes[1].line, "error",
           "scenario 'squeeze': price commodity is missing");
    assert_check_text(p, CKP_EINVALID, w.s);
    free(w.s);
    assert_int_equal(sq->changes[0].country.ix, -1);
    assert_int_equal(sq->changes[1].commodity.ix, -1);
    sq->changes[0].country.id = country;
    sq->changes[1].commodity.id = commodity;
    /* resolved again on the next check */
    assert_check_text(p, CKP_OK, "");
    assert_int_equal(sq->changes[0].country.ix, ckp_plan_find_country(p, "CN"));
    assert_int_equal(sq->changes[1].commodity.ix, ckp_plan_find_commodity(p, "magnet"));

    /* a stockpile and a scenario with the ids of others of their kind;
     * a stockpile may share its id with a project (its own namespace) */
    char *sid = calm->id;
    calm->id = sq->id;
    char *pid = p->stockpiles[0].id;
    p->stockpiles[0].id = p->projects[0].id;
    w = (sbuf){0};
    expect(&w, sq->line, "error",
           "scenario 'squeeze': duplicate id (first defined at line %d)",
           calm->line);
    assert_check_text(p, CKP_EINVALID, w.s);
    free(w.s);
    calm->id = sid;
    p->stockpiles[0].id = pid;

    /* no scenarios at all: the plan as before */
    p->n_scenarios = 0;
    assert_check_text(p, CKP_OK, "");
    p->n_scenarios = 2;
    ckp_plan_free(p);
}

/* An empty plan (nothing but a horizon) is consistent. */
static void empty_plan(void **state)
{
    (void)state;
    ckp_plan p;
    memset(&p, 0, sizeof p);
    p.first_year = 2026;
    p.last_year = 2026;
    p.budget.total = INFINITY;
    p.objective.shortage_penalty = 10;
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_plan_check(&p, &d), CKP_OK);
    assert_int_equal(d.n, 0);
    ckp_diag_list_fini(&d);
}

/* Checking twice gives the same result; diagnostics already in the list
 * are kept and sorted with the new ones. */
static void idempotent(void **state)
{
    (void)state;
    ckp_plan *p = load_fixture(FIXTURE_DIR "/bad_many.xml", "bad_many.xml");
    ckp_status st1, st2;
    char *a = check_text(p, &st1);
    char *b = check_text(p, &st2);
    assert_string_equal(a, b);
    assert_int_equal(st1, CKP_EINVALID);
    assert_int_equal(st2, CKP_EINVALID);
    free(a);
    free(b);

    ckp_diag_list d;
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_diag_add(&d, CKP_SEV_WARNING, "bad_many.xml", 1, "x", "earlier"), CKP_OK);
    assert_int_equal(ckp_plan_check(p, &d), CKP_EINVALID);
    assert_string_equal(d.items[0].message, "earlier");
    for (int i = 1; i < d.n; i++) assert_true(d.items[i - 1].line <= d.items[i].line);
    ckp_diag_list_fini(&d);

    /* no list: the status alone */
    assert_int_equal(ckp_plan_check(p, NULL), CKP_EINVALID);
    assert_int_equal(ckp_plan_check(NULL, NULL), CKP_EUSAGE);

    /* warnings alone: CKP_OK even when the list already holds errors */
    ckp_plan *w = load_fixture(FIXTURE_DIR "/bad_warnings.xml", "bad_warnings.xml");
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_diag_add(&d, CKP_SEV_ERROR, NULL, 0, "x", "older error"), CKP_OK);
    assert_int_equal(ckp_plan_check(w, &d), CKP_OK);
    assert_true(d.n_warnings > 0);
    ckp_diag_list_fini(&d);
    ckp_plan_free(w);
    ckp_plan_free(p);
}

/* ------------------------------------------------------------------ */
/* Scale.                                                              */

/* n projects p0 .. p(n-1), each requiring the next, the last the first:
 * one cycle through all of them; every project also uses the same id as
 * another one when dup is set. */
static char *chain_plan(int n, int dup)
{
    sbuf b = {0};
    sb_printf(&b,
        "<plan xmlns=\"urn:chokepoint:plan:1\" version=\"1\" name=\"chain\">\n"
        "<horizon first=\"2026\" last=\"2035\"/>\n"
        "<countries><country id=\"US\" risk=\"0\"/></countries>\n"
        "<stages><stage id=\"s\" order=\"1\"/></stages>\n"
        "<commodities><commodity id=\"c\" stage=\"s\"/></commodities>\n"
        "<projects>\n");
    for (int i = 0; i < n; i++)
        sb_printf(&b,
            "<project id=\"p%d\" country=\"US\" output=\"c\" capacity=\"1\" "
            "capex=\"1\" build-years=\"1\"><requires project=\"p%d\"/>"
            "<option id=\"o\" instrument=\"loan\" commitment=\"1\"/></project>\n",
            dup ? i / 2 : i, dup ? ((i / 2 + 1) % (n / 2)) : (i + 1) % n);
    sb_printf(&b, "</projects>\n</plan>\n");
    return b.s;
}

static void large_requires_cycle(void **state)
{
    (void)state;
    const int n = 20000;
    char *xml = chain_plan(n, 0);
    ckp_plan *p = load_str(xml, strlen(xml), "chain.xml");
    free(xml);
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_plan_check(p, &d), CKP_EINVALID);
    note_codes(&d);
    /* one cycle, reported once, closed by the last project's requires */
    assert_int_equal(d.n, 1);
    assert_string_equal(d.items[0].code, "requires-cycle");
    assert_int_equal(d.items[0].line, 7 + n - 1);
    const char *msg = d.items[0].message;
    assert_non_null(strstr(msg, "project 'p19999': requires project 'p0' closes the cycle p0 -> p1 -> p2 -> "));
    assert_non_null(strstr(msg, " -> ... -> p0"));
    assert_true(strlen(msg) < 700);
    ckp_diag_list_fini(&d);
    /* how long this takes is measured by the benchmark (ckp-bench on a
     * generated chain, docs/performance.md), not asserted here */
    ckp_plan_free(p);

    /* duplicated ids at scale: n/2 duplicates, found through the map */
    xml = chain_plan(n, 1);
    p = load_str(xml, strlen(xml), "dup.xml");
    free(xml);
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_plan_check(p, &d), CKP_EINVALID);
    int dups = 0;
    for (int i = 0; i < d.n; i++) dups += strcmp(d.items[i].code, "duplicate-id") == 0;
    assert_int_equal(dups, n / 2);
    assert_true(has_code(&d, "requires-cycle"));
    ckp_diag_list_fini(&d);
    ckp_plan_free(p);
}

/* Every project has problems found by different passes (an unknown site
 * when references resolve, an unproducible input at the end): the
 * diagnostics still come out in line order, in linear-logarithmic time. */
static void many_diagnostics_sorted(void **state)
{
    (void)state;
    const int n = 20000;
    sbuf b = {0};
    sb_printf(&b,
        "<plan xmlns=\"urn:chokepoint:plan:1\" version=\"1\" name=\"many\">\n"
        "<horizon first=\"2026\" last=\"2035\"/>\n"
        "<countries><country id=\"US\" risk=\"0\"/></countries>\n"
        "<stages><stage id=\"s\" order=\"1\"/></stages>\n"
        "<commodities><commodity id=\"c\" stage=\"s\"/>"
        "<commodity id=\"ore\" stage=\"s\"/></commodities>\n"
        "<projects>\n");
    for (int i = 0; i < n; i++)
        sb_printf(&b,
            "<project id=\"p%d\" site=\"nowhere\" output=\"c\" capacity=\"1\" "
            "capex=\"1\" build-years=\"1\"><input commodity=\"ore\" per-tonne=\"1\"/>"
            "<option id=\"o\" instrument=\"loan\" commitment=\"1\"/></project>\n", i);
    sb_printf(&b, "</projects>\n</plan>\n");
    ckp_plan *p = load_str(b.s, b.len, "many.xml");
    free(b.s);
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_plan_check(p, &d), CKP_EINVALID);
    assert_int_equal(d.n, 2 * n);
    for (int i = 0; i < d.n; i++) {
        assert_int_equal(d.items[i].line, 7 + i / 2);
        assert_string_equal(d.items[i].code, i % 2 ? "unproducible-input" : "unknown-ref");
    }
    ckp_diag_list_fini(&d);
    ckp_plan_free(p);
}

/* Out of memory at every allocation of the checker: ENOMEM, no leak, no
 * crash; with enough memory the full result. */
static void oom_fixture(const char *base)
{
    char rel[256];
    snprintf(rel, sizeof rel, FIXTURE_DIR "/%s", base);
    ckp_plan *p = load_fixture(rel, base);
    ckp_status st;
    char *full = check_text(p, &st);
    assert_int_equal(st, CKP_EINVALID);
    int ok = 0;
    for (long n = 1; n < 100000 && !ok; n++) {
        ckp_diag_list d;
        ckp_diag_list_init(&d);
        ckp_alloc_fail_after(n);
        st = ckp_plan_check(p, &d);
        ckp_alloc_fail_after(0);
        if (st != CKP_ENOMEM) {
            assert_int_equal(st, CKP_EINVALID);
            char *t = tu_diag_text(&d);
            assert_string_equal(t, full);
            free(t);
            ok = 1;
        }
        ckp_diag_list_fini(&d);
    }
    assert_true(ok);
    free(full);
    ckp_plan_free(p);
}

static void out_of_memory(void **state)
{
    (void)state;
    oom_fixture("bad_many.xml");
    oom_fixture("bad_price_overlap.xml"); /* scenario pass allocations */
}

/* ------------------------------------------------------------------ */
/* docs/diagnostics.md: one table row per code, each code tested.      */

static void docs_list_every_code(void **state)
{
    (void)state;
    char path[4096];
    snprintf(path, sizeof path, "%s/docs/diagnostics.md", CKP_SOURCE_DIR);
    char *doc = tu_read_file(path, NULL);
    assert_non_null(doc);
    /* rows look like: | `code` | error | meaning | example | */
    char *documented[MAX_CODES];
    int n_doc = 0;
    for (char *l = doc; l && *l;) {
        char *nl = strchr(l, '\n');
        if (nl) *nl = '\0';
        /* the first table only: the next lists the other layers' codes
           (tests/unit/test_diag_codes.c checks those) */
        if (strncmp(l, "## Codes of the loader", 22) == 0) break;
        if (strncmp(l, "| `", 3) == 0) {
            char *end = strchr(l + 3, '`');
            if (end && n_doc < MAX_CODES) {
                *end = '\0';
                documented[n_doc++] = l + 3;
            }
        }
        l = nl ? nl + 1 : NULL;
    }
    int bad = 0;
    for (int i = 0; i < n_doc; i++) {
        int found = 0;
        for (int k = 0; k < n_seen && !found; k++) found = !strcmp(documented[i], seen_codes[k]);
        if (!found) {
            print_error("documented code '%s' is produced by no test\n", documented[i]);
            bad = 1;
        }
    }
    for (int k = 0; k < n_seen; k++) {
        int found = 0;
        for (int i = 0; i < n_doc && !found; i++) found = !strcmp(documented[i], seen_codes[k]);
        if (!found) {
            print_error("code '%s' is missing from docs/diagnostics.md\n", seen_codes[k]);
            bad = 1;
        }
    }
    free(doc);
    assert_false(bad);
}

int main(void)
{
    int n_fix = 0;
    char **fix = list_fixtures(&n_fix);
    struct CMUnitTest fixed[] = {
        cmocka_unit_test(vocabulary_is_clean),
        cmocka_unit_test(non_finite_numbers),
        cmocka_unit_test(unreachable_from_xml),
        cmocka_unit_test(scenario_edits),
        cmocka_unit_test(empty_plan),
        cmocka_unit_test(idempotent),
        cmocka_unit_test(large_requires_cycle),
        cmocka_unit_test(many_diagnostics_sorted),
        cmocka_unit_test(out_of_memory),
    };
    size_t n_fixed = sizeof fixed / sizeof *fixed;
    size_t total = n_fixed + (size_t)n_fix + 1;
    struct CMUnitTest *tests = calloc(total, sizeof *tests);
    memcpy(tests, fixed, sizeof fixed);
    for (int i = 0; i < n_fix; i++) {
        struct CMUnitTest *t = &tests[n_fixed + (size_t)i];
        t->name = fix[i];
        t->test_func = golden;
        t->initial_state = fix[i];
    }
    /* last: needs the codes every other test produced */
    tests[total - 1] = (struct CMUnitTest)cmocka_unit_test(docs_list_every_code);
    if (n_fix == 0) fprintf(stderr, "no fixtures under %s\n", tu_path(FIXTURE_DIR));
    int rc = _cmocka_run_group_tests("check", tests, total, NULL, NULL);
    for (int i = 0; i < n_fix; i++) free(fix[i]);
    free(fix);
    free(tests);
    for (int k = 0; k < n_seen; k++) free(seen_codes[k]);
    return rc || n_fix == 0;
}
