/* test_load.c: the XML plan loader (src/input/xml_read.c, ckp/load.h):
 * the canonical vocabulary loads with every field, defaults and line
 * (stockpiles, scenarios and their entries, breakeven-of and
 * scenario-measure included; a plan without them has none);
 * invalid files give the golden diagnostics (tests/data/load/bad_*.err);
 * hostile files (external entities, entity bomb, truncated, non-UTF-8,
 * deep nesting, empty) fail fast with a clear message and print nothing;
 * every out-of-memory point fails cleanly. */
#include "ckp/load.h"

#include "testutil.h"

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "util/alloc.h"

/* ------------------------------------------------------------------ */
/* Helpers                                                             */

/* Line (1-based) of the first occurrence of needle in the file text;
 * fails the test when absent. */
static int line_in(const char *text, const char *needle)
{
    const char *p = strstr(text, needle);
    if (!p) fail_msg("'%s' not found in fixture", needle);
    int line = 1;
    for (const char *q = text; q < p; q++)
        if (*q == '\n') line++;
    return line;
}

/* Diagnostics as text with the tests directory prefix removed, so golden
 * files hold paths relative to tests/. */
static char *diag_rel(const ckp_diag_list *d)
{
    char *t = tu_diag_text(d);
    char prefix[4096];
    snprintf(prefix, sizeof prefix, "%s/", CKP_TESTS_SRC);
    size_t pn = strlen(prefix);
    char *o = t;
    for (const char *p = t; *p;) {
        if (strncmp(p, prefix, pn) == 0) {
            p += pn;
            continue;
        }
        *o++ = *p++;
    }
    *o = '\0';
    return t;
}

typedef struct loaded {
    ckp_status st;
    ckp_plan *plan;
    ckp_diag_list d;
    char *text; /* diag_rel() */
} loaded;

static void load_rel(const char *rel, loaded *l)
{
    ckp_diag_list_init(&l->d);
    l->plan = NULL;
    l->st = ckp_plan_load(tu_path(rel), &l->plan, &l->d);
    l->text = diag_rel(&l->d);
}

/* Loads rel, which must load without any diagnostic; returns its text
 * (for line numbers; the caller frees it). */
static char *load_clean(const char *rel, loaded *l)
{
    char *src = tu_read_file(tu_path(rel), NULL);
    assert_non_null(src);
    load_rel(rel, l);
    if (l->st != CKP_OK) fail_msg("load failed:\n%s", l->text);
    assert_int_equal(l->d.n, 0);
    return src;
}

static void loaded_fini(loaded *l)
{
    ckp_plan_free(l->plan);
    ckp_diag_list_fini(&l->d);
    free(l->text);
}

/* ------------------------------------------------------------------ */
/* The canonical vocabulary                                            */

static void test_vocabulary(void **state)
{
    (void)state;
    const char *rel = "data/plans/vocabulary.xml";
    loaded l;
    char *src = load_clean(rel, &l);
    const ckp_plan *p = l.plan;
    assert_non_null(p);

    assert_string_equal(p->path, tu_path(rel));
    assert_string_equal(p->name, "Vocabulary example");
    assert_string_equal(p->currency, "USD");
    assert_string_equal(p->description,
                        "Every element once; not a realistic plan.");
    assert_int_equal(p->line, line_in(src, "<plan "));
    assert_int_equal(p->first_year, 2026);
    assert_int_equal(p->last_year, 2030);

    /* countries */
    assert_int_equal(p->n_countries, 3);
    assert_string_equal(p->countries[0].id, "CN");
    assert_string_equal(p->countries[0].name, "China");
    assert_true(p->countries[0].risk == 1.0);
    assert_string_equal(p->countries[0].source, "example");
    assert_int_equal(p->countries[0].line, line_in(src, "<country id=\"CN\""));
    assert_string_equal(p->countries[1].id, "US");
    assert_string_equal(p->countries[1].name, "United States");
    assert_true(p->countries[1].risk == 0.0);
    assert_null(p->countries[1].source);
    assert_string_equal(p->countries[2].id, "MY");
    assert_true(p->countries[2].risk == 0.3);
    assert_int_equal(p->countries[2].line, line_in(src, "<country id=\"MY\""));

    /* stages */
    assert_int_equal(p->n_stages, 3);
    assert_string_equal(p->stages[0].id, "mining");
    assert_string_equal(p->stages[0].name, "Mining");
    assert_int_equal(p->stages[0].order, 1);
    assert_string_equal(p->stages[2].id, "magnets");
    assert_string_equal(p->stages[2].name, "Magnet making");
    assert_int_equal(p->stages[2].order, 3);
    assert_int_equal(p->stages[1].line, line_in(src, "<stage id=\"separation\""));

    /* commodities */
    assert_int_equal(p->n_commodities, 3);
    const ckp_commodity *conc = &p->commodities[0];
    assert_string_equal(conc->id, "conc");
    assert_string_equal(conc->name, "RE concentrate (REO)");
    assert_string_equal(conc->stage.id, "mining");
    assert_int_equal(conc->stage.ix, -1);
    assert_int_equal(conc->stage.line, conc->line);
    assert_true(conc->weight == 1.0); /* default */
    assert_int_equal(conc->n_demand, 0);
    assert_null(conc->demand);
    assert_int_equal(conc->n_made_from, 0);
    const ckp_commodity *oxide = &p->commodities[1];
    assert_int_equal(oxide->n_made_from, 1);
    assert_string_equal(oxide->made_from[0].commodity.id, "conc");
    assert_int_equal(oxide->made_from[0].commodity.ix, -1);
    assert_true(oxide->made_from[0].per_tonne == 4.0);
    assert_int_equal(oxide->made_from[0].line,
                     line_in(src, "<made-from commodity=\"conc\""));
    assert_int_equal(oxide->made_from[0].commodity.line,
                     oxide->made_from[0].line);
    const ckp_commodity *mag = &p->commodities[2];
    assert_string_equal(mag->id, "magnet");
    assert_string_equal(mag->stage.id, "magnets");
    assert_true(mag->weight == 1.0);
    assert_int_equal(mag->line, line_in(src, "<commodity id=\"magnet\""));
    assert_int_equal(mag->n_made_from, 1);
    assert_true(mag->made_from[0].per_tonne == 0.3);
    assert_int_equal(mag->n_demand, 2);
    assert_int_equal(mag->demand[0].year, 2026);
    assert_true(mag->demand[0].value == 1000.0);
    assert_string_equal(mag->demand[0].source, "example");
    assert_int_equal(mag->demand[0].line, line_in(src, "<demand year=\"2026\""));
    assert_int_equal(mag->demand[1].year, 2030);
    assert_true(mag->demand[1].value == 1400.0);
    assert_null(mag->demand[1].source);

    /* facilities */
    assert_int_equal(p->n_facilities, 3);
    const ckp_facility *f0 = &p->facilities[0];
    assert_string_equal(f0->id, "cn-mine");
    assert_string_equal(f0->name, "China mining");
    assert_string_equal(f0->country.id, "CN");
    assert_string_equal(f0->output.id, "conc");
    assert_true(f0->capacity == 10000.0);
    assert_true(f0->available == 1.0);
    assert_int_equal(f0->n_inputs, 0);
    assert_int_equal(f0->line, line_in(src, "<facility id=\"cn-mine\""));
    const ckp_facility *f1 = &p->facilities[1];
    assert_true(f1->available == 0.9);
    assert_int_equal(f1->n_inputs, 1);
    assert_string_equal(f1->inputs[0].commodity.id, "conc");
    assert_true(f1->inputs[0].per_tonne == 4.0);
    const ckp_facility *f2 = &p->facilities[2];
    assert_string_equal(f2->id, "cn-mag");
    assert_null(f2->name);
    assert_true(f2->capacity == 5000.0);
    assert_string_equal(f2->inputs[0].commodity.id, "oxide");
    assert_true(f2->inputs[0].per_tonne == 0.3);

    /* resources and sites */
    assert_int_equal(p->n_resources, 1);
    assert_string_equal(p->resources[0].id, "power");
    assert_string_equal(p->resources[0].name, "Grid power");
    assert_string_equal(p->resources[0].unit, "MW");
    assert_int_equal(p->resources[0].line, line_in(src, "<resource id=\"power\""));
    assert_int_equal(p->n_sites, 1);
    const ckp_site *tx = &p->sites[0];
    assert_string_equal(tx->id, "tx");
    assert_string_equal(tx->name, "Texas Gulf coast");
    assert_string_equal(tx->country.id, "US");
    assert_int_equal(tx->n_capacity, 1);
    assert_string_equal(tx->capacity[0].resource.id, "power");
    assert_true(tx->capacity[0].amount == 20.0);
    assert_string_equal(tx->capacity[0].source, "example");
    assert_int_equal(tx->capacity[0].line, line_in(src, "<capacity resource"));

    /* projects */
    assert_int_equal(p->n_projects, 3);
    const ckp_project *m1 = &p->projects[0];
    assert_string_equal(m1->id, "mag1");
    assert_string_equal(m1->name, "Magnet plant");
    assert_int_equal(m1->line, line_in(src, "<project id=\"mag1\""));
    assert_string_equal(m1->site.id, "tx");
    assert_int_equal(m1->site.ix, -1);
    assert_int_equal(m1->site.line, m1->line);
    assert_null(m1->country.id);
    assert_string_equal(m1->output.id, "magnet");
    assert_string_equal(m1->stage.id, "magnets");
    assert_true(m1->capacity == 500.0);
    assert_true(m1->capex == 300.0);
    assert_int_equal(m1->permit, CKP_PERMIT_GRANTED);
    assert_int_equal(m1->permit_years, 0);
    assert_int_equal(m1->build_years, 2);
    assert_int_equal(m1->earliest_start, 2026);
    assert_int_equal(m1->latest_start, 2028);
    assert_int_equal(m1->n_ramp, 2);
    assert_true(m1->ramp[0] == 0.5 && m1->ramp[1] == 1.0);
    assert_true(m1->breakeven == 80000.0);
    assert_string_equal(m1->breakeven_of.id, "magnet");
    assert_int_equal(m1->breakeven_of.ix, -1);
    assert_int_equal(m1->breakeven_of.line, m1->line);
    assert_string_equal(m1->source, "example");
    assert_int_equal(m1->n_inputs, 1);
    assert_string_equal(m1->inputs[0].commodity.id, "oxide");
    assert_int_equal(m1->n_needs, 1);
    assert_string_equal(m1->needs[0].resource.id, "power");
    assert_true(m1->needs[0].amount == 15.0);
    assert_int_equal(m1->needs[0].line, line_in(src, "<needs resource"));
    assert_int_equal(m1->n_requires, 0);
    assert_int_equal(m1->n_excludes, 0);
    assert_int_equal(m1->n_options, 2);
    assert_string_equal(m1->options[0].id, "loan");
    assert_int_equal(m1->options[0].instrument, CKP_INSTR_LOAN);
    assert_true(m1->options[0].commitment == 200.0);
    assert_int_equal(m1->options[0].n_schedule, 2);
    assert_true(m1->options[0].schedule[0] == 0.6);
    assert_true(m1->options[0].schedule[1] == 0.4);
    assert_int_equal(m1->options[0].line,
                     line_in(src, "<option id=\"loan\" instrument=\"loan\" "
                                  "commitment=\"200\""));
    assert_string_equal(m1->options[1].id, "floor");
    assert_int_equal(m1->options[1].instrument, CKP_INSTR_PRICE_FLOOR);
    assert_true(m1->options[1].commitment == 250.0);
    assert_int_equal(m1->options[1].n_schedule, 1);
    assert_true(m1->options[1].schedule[0] == 1.0);

    const ckp_project *s1 = &p->projects[1];
    assert_string_equal(s1->id, "sep1");
    assert_null(s1->site.id);
    assert_null(s1->stage.id);
    assert_string_equal(s1->country.id, "US");
    assert_int_equal(s1->permit, CKP_PERMIT_PENDING);
    assert_int_equal(s1->permit_years, 1);
    assert_int_equal(s1->build_years, 2);
    assert_int_equal(s1->earliest_start, 2026); /* horizon first */
    assert_int_equal(s1->latest_start, 2030);   /* horizon last */
    assert_int_equal(s1->n_ramp, 0);
    assert_null(s1->ramp);
    assert_true(isnan(s1->breakeven));
    assert_null(s1->breakeven_of.id);
    assert_int_equal(s1->n_requires, 1);
    assert_string_equal(s1->requires[0].id, "mag1");
    assert_int_equal(s1->requires[0].ix, -1);
    assert_int_equal(s1->requires[0].line, line_in(src, "<requires project"));
    assert_int_equal(s1->n_options, 1);
    assert_true(s1->options[0].schedule[0] == 0.5 &&
                s1->options[0].schedule[1] == 0.5);

    const ckp_project *s2 = &p->projects[2];
    assert_string_equal(s2->id, "sep2");
    assert_null(s2->name);
    assert_string_equal(s2->country.id, "MY");
    assert_int_equal(s2->permit, CKP_PERMIT_GRANTED);
    assert_int_equal(s2->build_years, 1);
    assert_int_equal(s2->n_excludes, 1);
    assert_string_equal(s2->excludes[0].id, "sep1");
    assert_int_equal(s2->excludes[0].line, line_in(src, "<excludes project"));
    assert_int_equal(s2->options[0].instrument, CKP_INSTR_EQUITY);
    assert_true(s2->options[0].commitment == 50.0);

    /* upgrades */
    assert_int_equal(p->n_upgrades, 1);
    const ckp_upgrade *u = &p->upgrades[0];
    assert_string_equal(u->id, "tx-power");
    assert_string_equal(u->name, "Substation");
    assert_string_equal(u->site.id, "tx");
    assert_string_equal(u->resource.id, "power");
    assert_true(u->amount == 30.0);
    assert_true(u->cost == 40.0);
    assert_int_equal(u->build_years, 1);
    assert_int_equal(u->earliest_start, 2026);
    assert_int_equal(u->latest_start, 2030);
    assert_int_equal(u->n_schedule, 1);
    assert_true(u->schedule[0] == 1.0);
    assert_int_equal(u->line, line_in(src, "<upgrade id"));

    /* budget and objective */
    assert_true(p->budget.total == 600.0);
    assert_string_equal(p->budget.source, "example");
    assert_int_equal(p->budget.line, line_in(src, "<budget "));
    assert_int_equal(p->budget.n_limits, 1);
    assert_int_equal(p->budget.limits[0].year, 2026);
    assert_true(p->budget.limits[0].value == 250.0);
    assert_int_equal(p->budget.limits[0].line, line_in(src, "<limit "));
    assert_int_equal(p->objective.kind, CKP_OBJ_WEIGHTED);
    assert_true(p->objective.shortage_penalty == 10.0);
    assert_int_equal(p->objective.line, line_in(src, "<objective "));
    assert_int_equal(p->objective.measure, CKP_MEASURE_EXPECTED);

    /* stockpiles */
    assert_int_equal(p->n_stockpiles, 1);
    const ckp_stockpile *sp = &p->stockpiles[0];
    assert_string_equal(sp->id, "oxide-reserve");
    assert_string_equal(sp->name, "NdPr oxide reserve");
    assert_string_equal(sp->commodity.id, "oxide");
    assert_int_equal(sp->commodity.ix, -1);
    assert_int_equal(sp->commodity.line, sp->line);
    assert_true(sp->tonnes == 200.0);
    assert_true(sp->release == 100.0);
    assert_true(sp->cost == 30.0);
    assert_int_equal(sp->year, 2027);
    assert_string_equal(sp->source, "example");
    assert_int_equal(sp->line, line_in(src, "<stockpile id"));

    /* scenarios */
    assert_int_equal(p->n_scenarios, 2);
    const ckp_scenario *calm = &p->scenarios[0];
    assert_string_equal(calm->id, "calm");
    assert_string_equal(calm->name, "No disruption");
    assert_true(calm->probability == 0.7);
    assert_string_equal(calm->source, "example");
    assert_int_equal(calm->n_changes, 0);
    assert_null(calm->changes);
    assert_int_equal(calm->line, line_in(src, "<scenario id=\"calm\""));
    const ckp_scenario *sq = &p->scenarios[1];
    assert_string_equal(sq->id, "squeeze");
    assert_string_equal(sq->name, "Oxide export cut and magnet price crash");
    assert_true(sq->probability == 0.3);
    assert_null(sq->source);
    assert_int_equal(sq->line, line_in(src, "<scenario id=\"squeeze\""));
    assert_int_equal(sq->n_changes, 3);
    const ckp_change *ex = &sq->changes[0];
    assert_int_equal(ex->kind, CKP_CHANGE_EXPORT);
    assert_string_equal(ex->country.id, "CN");
    assert_int_equal(ex->country.ix, -1);
    assert_int_equal(ex->country.line, ex->line);
    assert_string_equal(ex->commodity.id, "oxide");
    assert_int_equal(ex->from, 2028);
    assert_int_equal(ex->to, 2029);
    assert_true(ex->value == 0.5);
    assert_string_equal(ex->source, "example");
    assert_int_equal(ex->line, line_in(src, "<export-restriction "));
    const ckp_change *pr = &sq->changes[1];
    assert_int_equal(pr->kind, CKP_CHANGE_PRICE);
    assert_null(pr->country.id);
    assert_int_equal(pr->country.ix, -1);
    assert_string_equal(pr->commodity.id, "magnet");
    assert_int_equal(pr->from, 2027);
    assert_int_equal(pr->to, 2030);
    assert_true(pr->value == 60000.0);
    assert_string_equal(pr->source, "example");
    assert_int_equal(pr->line, line_in(src, "<price "));
    const ckp_change *ds = &sq->changes[2];
    assert_int_equal(ds->kind, CKP_CHANGE_DEMAND);
    assert_null(ds->country.id);
    assert_string_equal(ds->commodity.id, "magnet");
    assert_int_equal(ds->from, 2029);
    assert_int_equal(ds->to, 2030);
    assert_true(ds->value == 1.1);
    assert_string_equal(ds->source, "example");
    assert_int_equal(ds->line, line_in(src, "<demand-scale "));

    loaded_fini(&l);
    free(src);
}

/* Stockpile and scenario entries without their optional attributes: the
 * documented defaults; entries keep their document order whatever their
 * kind; sections in another order than the usual one. */
static void test_scenario_defaults(void **state)
{
    (void)state;
    loaded l;
    char *src = load_clean("data/load/scenario_defaults.xml", &l);
    const ckp_plan *p = l.plan;
    assert_null(p->projects[0].breakeven_of.id);
    assert_int_equal(p->projects[0].breakeven_of.ix, -1);
    assert_true(p->projects[0].breakeven == 1000.0);
    assert_int_equal(p->n_stockpiles, 1);
    const ckp_stockpile *sp = &p->stockpiles[0];
    assert_null(sp->name);
    assert_null(sp->source);
    assert_int_equal(sp->year, 2027); /* horizon first */
    assert_true(sp->tonnes == 10.0 && sp->release == 4.0 && sp->cost == 2.0);
    assert_int_equal(p->objective.kind, CKP_OBJ_MINMAX);
    assert_int_equal(p->objective.measure, CKP_MEASURE_EXPECTED);
    assert_true(p->budget.total == 10.0); /* after <scenarios> */
    assert_int_equal(p->n_scenarios, 1);
    const ckp_scenario *s = &p->scenarios[0];
    assert_null(s->name);
    assert_null(s->source);
    assert_true(s->probability == 1.0);
    assert_int_equal(s->n_changes, 3);
    static const ckp_change_kind kinds[] = {CKP_CHANGE_DEMAND, CKP_CHANGE_EXPORT,
                                            CKP_CHANGE_PRICE};
    for (int k = 0; k < 3; k++) {
        const ckp_change *e = &s->changes[k];
        assert_int_equal(e->kind, kinds[k]);
        assert_int_equal(e->from, 2027); /* horizon first */
        assert_int_equal(e->to, 2031);   /* horizon last */
        assert_null(e->source);
    }
    assert_null(s->changes[0].commodity.id); /* every commodity */
    assert_null(s->changes[0].country.id);
    assert_true(s->changes[0].value == 0.5);
    assert_int_equal(s->changes[0].line, line_in(src, "<demand-scale "));
    assert_string_equal(s->changes[1].country.id, "CN");
    assert_null(s->changes[1].commodity.id); /* every commodity */
    assert_true(s->changes[1].value == 0.0);
    assert_string_equal(s->changes[2].commodity.id, "conc");
    assert_true(s->changes[2].value == 500.0);
    loaded_fini(&l);
    free(src);

    /* worst-case */
    const char *xml =
        "<plan xmlns='urn:chokepoint:plan:1' version='1' name='w'>\n"
        "<horizon first='2026' last='2026'/>\n"
        "<countries><country id='a' risk='0'/></countries>\n"
        "<stages><stage id='s' order='1'/></stages>\n"
        "<commodities><commodity id='c' stage='s'/></commodities>\n"
        "<objective scenario-measure='worst-case'/>\n"
        "</plan>\n";
    ckp_plan *w = NULL;
    assert_int_equal(ckp_plan_load_memory(xml, strlen(xml), "w", &w, NULL), CKP_OK);
    assert_int_equal(w->objective.measure, CKP_MEASURE_WORST);
    assert_int_equal(w->n_scenarios, 0);
    ckp_plan_free(w);
}

/* Every optional attribute absent: the documented defaults. */
static void test_defaults(void **state)
{
    (void)state;
    loaded l;
    load_rel("data/load/defaults.xml", &l);
    if (l.st != CKP_OK) fail_msg("load failed:\n%s", l.text);
    const ckp_plan *p = l.plan;
    assert_string_equal(p->currency, "USD");
    assert_null(p->description);
    assert_int_equal(p->first_year, 2027);
    assert_int_equal(p->last_year, 2031);
    assert_null(p->countries[0].name);
    assert_null(p->countries[0].source);
    assert_true(p->commodities[0].weight == 1.0);
    assert_int_equal(p->commodities[0].n_demand, 0);
    assert_true(ckp_plan_demand(p, 0, 2028) == 0.0);
    assert_true(p->facilities[0].available == 1.0);
    assert_null(p->resources[0].unit);
    assert_null(p->resources[0].name);
    assert_int_equal(p->sites[0].n_capacity, 0);

    const ckp_project *q = &p->projects[0];
    assert_null(q->stage.id);
    assert_int_equal(q->stage.ix, -1);
    assert_null(q->country.id);
    assert_string_equal(q->site.id, "wa");
    assert_int_equal(q->permit, CKP_PERMIT_GRANTED);
    assert_int_equal(q->permit_years, 0);
    assert_int_equal(q->build_years, 3);
    assert_int_equal(q->earliest_start, 2027);
    assert_int_equal(q->latest_start, 2031);
    assert_int_equal(q->n_ramp, 0);
    assert_true(isnan(q->breakeven));
    assert_int_equal(q->n_inputs + q->n_needs + q->n_requires + q->n_excludes, 0);
    assert_int_equal(q->n_options, 1);
    assert_int_equal(q->options[0].instrument, CKP_INSTR_GRANT);
    assert_int_equal(q->options[0].n_schedule, 1);
    assert_true(q->options[0].schedule[0] == 1.0);

    const ckp_upgrade *u = &p->upgrades[0];
    assert_int_equal(u->build_years, 0);
    assert_int_equal(u->earliest_start, 2027);
    assert_int_equal(u->latest_start, 2031);
    assert_int_equal(u->n_schedule, 1);
    assert_true(u->schedule[0] == 1.0);

    assert_true(isinf(p->budget.total) && p->budget.total > 0);
    assert_int_equal(p->budget.n_limits, 0);
    assert_int_equal(p->budget.line, 0);
    assert_int_equal(p->objective.kind, CKP_OBJ_WEIGHTED);
    assert_true(p->objective.shortage_penalty == 10.0);
    assert_true(p->objective.line > 0);
    /* no stockpiles and no scenarios: the plan as before them */
    assert_int_equal(p->objective.measure, CKP_MEASURE_EXPECTED);
    assert_int_equal(p->n_stockpiles, 0);
    assert_null(p->stockpiles);
    assert_int_equal(p->n_scenarios, 0);
    assert_null(p->scenarios);
    assert_null(q->breakeven_of.id);
    assert_int_equal(q->breakeven_of.ix, -1);
    loaded_fini(&l);
}

/* From memory: the name given is the file name; the objective and the
 * budget without total. */
static void test_memory(void **state)
{
    (void)state;
    const char *xml =
        "<plan xmlns='urn:chokepoint:plan:1' version='1' name='m' "
        "currency='EUR'>\n"
        "<objective kind='min-max' shortage-penalty='25'/>\n"
        "<horizon first='2026' last='2026'/>\n"
        "<countries><country id='a' risk='0.5'/></countries>\n"
        "<stages><stage id='s' order='2'/></stages>\n"
        "<commodities><commodity id='c' stage='s' weight='2'>"
        "<demand year='2026' tonnes='5'/></commodity></commodities>\n"
        "<budget><limit year='2026' amount='7' source='x'/></budget>\n"
        "</plan>\n";
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    ckp_plan *p = NULL;
    ckp_status st = ckp_plan_load_memory(xml, strlen(xml), "mem.xml", &p, &d);
    assert_int_equal(st, CKP_OK);
    assert_int_equal(d.n, 0);
    assert_string_equal(p->path, "mem.xml");
    assert_string_equal(p->currency, "EUR");
    assert_int_equal(p->objective.kind, CKP_OBJ_MINMAX);
    assert_true(p->objective.shortage_penalty == 25.0);
    assert_int_equal(p->objective.line, 2);
    assert_true(isinf(p->budget.total));
    assert_int_equal(p->budget.n_limits, 1);
    assert_true(p->budget.limits[0].value == 7.0);
    assert_int_equal(p->budget.line, 7);
    assert_true(p->commodities[0].weight == 2.0);
    assert_int_equal(p->n_facilities + p->n_projects + p->n_sites, 0);
    assert_int_equal(p->n_stockpiles + p->n_scenarios, 0);
    ckp_plan_free(p);

    /* the default name is "<memory>"; a NULL diag list is allowed */
    st = ckp_plan_load_memory(xml, strlen(xml), NULL, &p, NULL);
    assert_int_equal(st, CKP_OK);
    assert_string_equal(p->path, "<memory>");
    ckp_plan_free(p);
    ckp_diag_list_fini(&d);
}

/* Character and predefined entity references in attribute values and
 * text are decoded. */
static void test_references_decoded(void **state)
{
    (void)state;
    const char *xml =
        "<plan xmlns='urn:chokepoint:plan:1' version='1' "
        "name='R&amp;D &#65;&#x42; &lt;1&gt; &quot;q&quot;'>"
        "<description>a &amp; b</description>"
        "<horizon first='2026' last='2027'/>"
        "<countries><country id='a' risk='&#48;.25'/></countries>"
        "<stages><stage id='s' order='1'/></stages>"
        "<commodities><commodity id='c' stage='s'/></commodities></plan>";
    ckp_plan *p = NULL;
    ckp_status st = ckp_plan_load_memory(xml, strlen(xml), "r", &p, NULL);
    assert_int_equal(st, CKP_OK);
    assert_string_equal(p->name, "R&D AB <1> \"q\"");
    assert_string_equal(p->description, "a & b");
    assert_true(p->countries[0].risk == 0.25);
    ckp_plan_free(p);
}

/* ------------------------------------------------------------------ */
/* Golden diagnostics                                                  */

static void check_golden(const char *base, ckp_status want)
{
    char rel[256], err[256];
    snprintf(rel, sizeof rel, "data/load/%s.xml", base);
    snprintf(err, sizeof err, "data/load/%s.err", base);
    char *golden = tu_read_file(tu_path(err), NULL);
    if (!golden) fail_msg("missing golden file %s", err);
    loaded l;
    load_rel(rel, &l);
    assert_null(l.plan);
    if (l.st != want)
        fail_msg("%s: status %s, expected %s\n%s", base, ckp_status_str(l.st),
                 ckp_status_str(want), l.text);
    if (strcmp(l.text, golden) != 0 && getenv("CKP_UPDATE_GOLDEN")) {
        /* deliberate message changes: rewrite, then review the diff */
        FILE *f = fopen(tu_path(err), "w");
        assert_non_null(f);
        fputs(l.text, f);
        fclose(f);
    } else if (strcmp(l.text, golden) != 0) {
        fail_msg("%s: diagnostics differ.\n--- expected\n%s--- got\n%s", base,
                 golden, l.text);
    }
    /* loading errors, then the semantic rules' errors and warnings on what
       the schema accepted (docs/diagnostics.md) */
    assert_true(l.d.n_errors > 0);
    loaded_fini(&l);
    free(golden);
}

static void test_golden_unknown_element(void **state)
{
    (void)state;
    check_golden("bad_unknown_element", CKP_ESCHEMA);
}

static void test_golden_missing_attr(void **state)
{
    (void)state;
    check_golden("bad_missing_attr", CKP_ESCHEMA);
}

static void test_golden_enum(void **state)
{
    (void)state;
    check_golden("bad_enum", CKP_ESCHEMA);
}

static void test_golden_number(void **state)
{
    (void)state;
    check_golden("bad_number", CKP_ESCHEMA);
}

/* Schema errors and non-finite numbers all reported in one run. */
static void test_golden_several(void **state)
{
    (void)state;
    check_golden("bad_several", CKP_ESCHEMA);
    loaded l;
    load_rel("data/load/bad_several.xml", &l);
    assert_true(l.d.n_errors >= 10);
    /* in file order */
    for (int i = 1; i < l.d.n; i++)
        assert_true(l.d.items[i - 1].line <= l.d.items[i].line);
    loaded_fini(&l);
}

/* NaN, INF, -INF and overflowing literals (1e400), singly and inside a
 * list, every one named. */
static void test_golden_nonfinite(void **state)
{
    (void)state;
    check_golden("bad_nonfinite", CKP_EINVALID);
}

/* The scenario vocabulary: structure and enumerations from the schema;
 * non-finite numbers of stockpiles and scenario entries, each named. */
static void test_golden_scenarios(void **state)
{
    (void)state;
    check_golden("bad_scenario_schema", CKP_ESCHEMA);
    check_golden("bad_scenario_nonfinite", CKP_EINVALID);
}

/* A forgotten xmlns, or another root element, is named as such. */
static void test_golden_namespace(void **state)
{
    (void)state;
    check_golden("bad_namespace", CKP_ESCHEMA);
    check_golden("bad_root", CKP_ESCHEMA);
}

/* An overflowing literal written out in digits (no exponent), longer
 * than any internal buffer. */
static void test_nonfinite_long_literal(void **state)
{
    (void)state;
    char digits[700];
    digits[0] = '1';
    memset(digits + 1, '0', 600);
    digits[601] = '\0';
    char xml[2000];
    snprintf(xml, sizeof xml,
             "<plan xmlns='urn:chokepoint:plan:1' version='1' name='d'>\n"
             "<horizon first='2026' last='2027'/>\n"
             "<countries><country id='a' risk='0'/></countries>\n"
             "<stages><stage id='s' order='1'/></stages>\n"
             "<commodities><commodity id='c' stage='s'>\n"
             "<demand year='2026' tonnes='%s'/></commodity></commodities>\n"
             "</plan>\n", digits);
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    ckp_plan *p = NULL;
    assert_int_equal(ckp_plan_load_memory(xml, strlen(xml), "d", &p, &d),
                     CKP_EINVALID);
    assert_null(p);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.items[0].line, 6);
    assert_non_null(strstr(d.items[0].message,
                           "Element 'demand', attribute 'tonnes': '1000"));
    assert_non_null(strstr(d.items[0].message, "...' is not a finite number."));
    ckp_diag_list_fini(&d);
}

/* Every number attribute of the vocabulary is checked for finiteness:
 * replace each value of the vocabulary by NaN in turn. */
static void test_nonfinite_every_attribute(void **state)
{
    (void)state;
    static const char *const attrs[] = {
        "risk=\"", "weight=\"", "per-tonne=\"", "tonnes=\"", "capacity=\"",
        "available=\"", "amount=\"", "capex=\"", "breakeven=\"",
        "commitment=\"", "cost=\"", "total=\"", "shortage-penalty=\"",
        "ramp=\"", "schedule=\"", "release=\"", "probability=\"", "scale=\"",
        "price=\""};
    size_t size;
    char *src = tu_read_file(tu_path("data/plans/vocabulary.xml"), &size);
    assert_non_null(src);
    for (size_t a = 0; a < sizeof attrs / sizeof *attrs; a++) {
        const char *hit = strstr(src, attrs[a]);
        assert_non_null(hit);
        const char *v = hit + strlen(attrs[a]);
        const char *e = strchr(v, '"');
        char *buf = malloc(size + 16);
        size_t pre = (size_t)(v - src);
        memcpy(buf, src, pre);
        memcpy(buf + pre, "1e999", 5);
        size_t rest = size - (size_t)(e - src);
        memcpy(buf + pre + 5, e, rest);
        buf[pre + 5 + rest] = '\0';

        ckp_diag_list d;
        ckp_diag_list_init(&d);
        ckp_plan *p = NULL;
        ckp_status st = ckp_plan_load_memory(buf, strlen(buf), "v.xml", &p, &d);
        char *t = tu_diag_text(&d);
        if (st != CKP_EINVALID || d.n != 1 || !strstr(t, "'1e999' is not a finite number"))
            fail_msg("attribute %s: status %s\n%s", attrs[a], ckp_status_str(st), t);
        assert_null(p);
        free(t);
        ckp_diag_list_fini(&d);
        free(buf);
    }
    free(src);
}

/* ------------------------------------------------------------------ */
/* Hostile and broken files                                            */

static void assert_hostile(const char *rel, ckp_status want, int line,
                           const char *phrase)
{
    loaded l;
    /* refused, not expanded: the status and diagnostics below are the
       check (no wall-clock bound: tests never assert a duration) */
    load_rel(rel, &l);
    if (l.st != want || !strstr(l.text, phrase))
        fail_msg("%s: status %s (expected %s), diagnostics:\n%s", rel,
                 ckp_status_str(l.st), ckp_status_str(want), l.text);
    assert_null(l.plan);
    assert_true(l.d.n_errors >= 1);
    if (line > 0) assert_int_equal(l.d.items[0].line, line);
    /* nothing from the local file the entity points at */
    assert_null(strstr(l.text, "root:"));
    assert_null(strstr(l.text, "/bin/"));
    loaded_fini(&l);
}

static void test_xxe_entity(void **state)
{
    (void)state;
    assert_hostile("data/load/xxe.xml", CKP_EPARSE, 2,
                   "DTD and entity declarations are not allowed");
}

static void test_xxe_external_dtd(void **state)
{
    (void)state;
    assert_hostile("data/load/xxe_dtd.xml", CKP_EPARSE, 2,
                   "DTD and entity declarations are not allowed");
}

static void test_xxe_parameter_entity(void **state)
{
    (void)state;
    assert_hostile("data/load/xxe_param.xml", CKP_EPARSE, 2,
                   "DTD and entity declarations are not allowed");
}

static void test_undeclared_entity(void **state)
{
    (void)state;
    assert_hostile("data/load/undeclared_entity.xml", CKP_EPARSE, 2,
                   "Entity 'xxe' not defined");
}

/* XInclude is never processed: the include element is a schema error. */
static void test_xinclude_ignored(void **state)
{
    (void)state;
    assert_hostile("data/load/xinclude.xml", CKP_ESCHEMA, 4,
                   "Element 'description': Element content is not allowed");
}

/* Billion laughs: refused at the DOCTYPE, well under a second. */
static void test_entity_bomb(void **state)
{
    (void)state;
    assert_hostile("data/load/bomb.xml", CKP_EPARSE, 2,
                   "DTD and entity declarations are not allowed");
}

static void test_truncated(void **state)
{
    (void)state;
    assert_hostile("data/load/truncated.xml", CKP_EPARSE, 45,
                   "Premature end of data in tag plan line 5");
}

static void test_bad_utf8(void **state)
{
    (void)state;
    assert_hostile("data/load/bad_utf8.xml", CKP_EPARSE, 7,
                   "Input is not proper UTF-8");
}

static void test_deep_nesting(void **state)
{
    (void)state;
    assert_hostile("data/load/deep.xml", CKP_EPARSE, 3,
                   "elements nested more than 32 deep");
}

static void test_empty_file(void **state)
{
    (void)state;
    assert_hostile("data/load/empty.xml", CKP_EPARSE, 1, "Document is empty");
}

static void test_missing_file(void **state)
{
    (void)state;
    loaded l;
    load_rel("data/load/no-such-file.xml", &l);
    assert_int_equal(l.st, CKP_EIO);
    assert_null(l.plan);
    assert_string_equal(l.text, "data/load/no-such-file.xml: error: cannot "
                                "open file: No such file or directory\n");
    loaded_fini(&l);

    /* a directory is not a plan either */
    load_rel("data/load", &l);
    assert_int_equal(l.st, CKP_EIO);
    assert_non_null(strstr(l.text, "cannot read file"));
    loaded_fini(&l);
}

/* Line numbers beyond 65535 (XML_PARSE_BIG_LINES). */
static void test_big_line_numbers(void **state)
{
    (void)state;
    size_t n = 70000;
    const char *head = "<plan xmlns='urn:chokepoint:plan:1' version='1' name='b'>";
    const char *tail =
        "<horizon first='2026' last='2027'/>"
        "<countries><country id='a' risk='x'/></countries>"
        "<stages><stage id='s' order='1'/></stages>"
        "<commodities><commodity id='c' stage='s'/></commodities></plan>";
    size_t len = strlen(head) + n + strlen(tail) + 1;
    char *buf = malloc(len);
    size_t o = 0;
    memcpy(buf, head, strlen(head));
    o += strlen(head);
    memset(buf + o, '\n', n);
    o += n;
    memcpy(buf + o, tail, strlen(tail) + 1);
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    ckp_plan *p = NULL;
    assert_int_equal(ckp_plan_load_memory(buf, strlen(buf), "big", &p, &d),
                     CKP_ESCHEMA);
    assert_int_equal(d.n, 1);
    assert_int_equal(d.items[0].line, (int)n + 1);
    ckp_diag_list_fini(&d);
    free(buf);
}

/* Many errors are capped, with a note saying so. */
static void test_error_cap(void **state)
{
    (void)state;
    char *buf = malloc(200000);
    size_t o = (size_t)snprintf(buf, 200000,
        "<plan xmlns='urn:chokepoint:plan:1' version='1' name='many'>"
        "<horizon first='2026' last='2027'/><countries>\n");
    for (int i = 0; i < 500; i++)
        o += (size_t)snprintf(buf + o, 200000 - o,
                              "<country id='c%d' risk='bad'/>\n", i);
    snprintf(buf + o, 200000 - o, "</countries><stages><stage id='s' order='1'/>"
             "</stages><commodities><commodity id='c' stage='s'/>"
             "</commodities></plan>");
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    ckp_plan *p = NULL;
    assert_int_equal(ckp_plan_load_memory(buf, strlen(buf), "many", &p, &d),
                     CKP_ESCHEMA);
    assert_int_equal(d.n, 101);
    char *t = tu_diag_text(&d);
    assert_string_equal(d.items[100].message,
                        "more than 100 problems; the rest are not shown");
    assert_int_equal(d.items[100].severity, CKP_SEV_NOTE);
    assert_int_equal(d.n_errors, 100);
    assert_int_equal(d.items[99].line, 101); /* 100th bad country, c99 */
    free(t);
    ckp_diag_list_fini(&d);
    free(buf);
}

/* libxml2 prints nothing: stderr stays empty over every failing fixture. */
static void test_nothing_printed(void **state)
{
    (void)state;
    static const char *const files[] = {
        "data/load/bad_several.xml", "data/load/bomb.xml",
        "data/load/xxe.xml",         "data/load/xxe_dtd.xml",
        "data/load/truncated.xml",   "data/load/bad_utf8.xml",
        "data/load/deep.xml",        "data/load/empty.xml",
        "data/load/xinclude.xml",    "data/load/undeclared_entity.xml",
        "data/load/no-such-file.xml", "data/load/bad_nonfinite.xml"};
    char *tmpl = tu_tmpfile("test-stderr");
    int fd = open(tmpl, O_WRONLY);
    assert_true(fd >= 0);
    fflush(stderr);
    fflush(stdout);
    int saved_err = dup(2);
    int saved_out = dup(1);
    dup2(fd, 2);
    dup2(fd, 1);
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        loaded l;
        load_rel(files[i], &l);
        loaded_fini(&l);
    }
    fflush(stderr);
    fflush(stdout);
    dup2(saved_err, 2);
    dup2(saved_out, 1);
    close(saved_err);
    close(saved_out);
    off_t size = lseek(fd, 0, SEEK_END);
    close(fd);
    tu_tmp_remove(tmpl);
    free(tmpl);
    assert_int_equal(size, 0);
}

/* ------------------------------------------------------------------ */
/* Out of memory and reuse                                             */

/* Fail the 1st, 2nd, ... allocation of a load: each run returns
 * CKP_ENOMEM with no plan (and no leak, under the sanitizers), until the
 * load needs no more allocations than allowed. */
static void oom_loop(const char *rel, ckp_status final)
{
    long n;
    for (n = 1; n < 100000; n++) {
        ckp_diag_list d;
        ckp_diag_list_init(&d);
        ckp_plan *p = (ckp_plan *)&d; /* must be overwritten */
        ckp_alloc_fail_after(n);
        ckp_status st = ckp_plan_load(tu_path(rel), &p, &d);
        ckp_alloc_fail_after(0);
        if (st == CKP_ENOMEM) {
            assert_null(p);
            ckp_diag_list_fini(&d);
            continue;
        }
        assert_int_equal(st, final);
        if (final == CKP_OK) assert_non_null(p);
        else assert_null(p);
        ckp_plan_free(p);
        ckp_diag_list_fini(&d);
        break;
    }
    assert_true(n > 10); /* the loop did reach inside the load */
    assert_true(n < 100000);
}

static void test_oom_valid(void **state)
{
    (void)state;
    oom_loop("data/plans/vocabulary.xml", CKP_OK);
}

static void test_oom_invalid(void **state)
{
    (void)state;
    oom_loop("data/load/bad_several.xml", CKP_ESCHEMA);
}

/* The schema is compiled once and survives many loads; after
 * ckp_load_cleanup() the next load compiles it again. */
static void test_reuse_and_cleanup(void **state)
{
    (void)state;
    for (int i = 0; i < 3; i++) {
        ckp_plan *p = NULL;
        assert_int_equal(ckp_plan_load(tu_path("data/plans/vocabulary.xml"),
                                       &p, NULL),
                         CKP_OK);
        ckp_plan_free(p);
        if (i == 1) ckp_load_cleanup();
    }
}

static void test_schema_text(void **state)
{
    (void)state;
    const char *s = ckp_plan_schema();
    assert_non_null(s);
    assert_non_null(strstr(s, "targetNamespace=\"" CKP_PLAN_NS "\""));
    assert_non_null(strstr(s, "<xs:element name=\"plan\">"));
}

static int teardown_group(void **state)
{
    (void)state;
    ckp_load_cleanup();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vocabulary),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_scenario_defaults),
        cmocka_unit_test(test_memory),
        cmocka_unit_test(test_references_decoded),
        cmocka_unit_test(test_golden_unknown_element),
        cmocka_unit_test(test_golden_missing_attr),
        cmocka_unit_test(test_golden_enum),
        cmocka_unit_test(test_golden_number),
        cmocka_unit_test(test_golden_several),
        cmocka_unit_test(test_golden_nonfinite),
        cmocka_unit_test(test_golden_scenarios),
        cmocka_unit_test(test_nonfinite_every_attribute),
        cmocka_unit_test(test_nonfinite_long_literal),
        cmocka_unit_test(test_golden_namespace),
        cmocka_unit_test(test_xxe_entity),
        cmocka_unit_test(test_xxe_external_dtd),
        cmocka_unit_test(test_xxe_parameter_entity),
        cmocka_unit_test(test_undeclared_entity),
        cmocka_unit_test(test_xinclude_ignored),
        cmocka_unit_test(test_entity_bomb),
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_bad_utf8),
        cmocka_unit_test(test_deep_nesting),
        cmocka_unit_test(test_empty_file),
        cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_big_line_numbers),
        cmocka_unit_test(test_error_cap),
        cmocka_unit_test(test_nothing_printed),
        cmocka_unit_test(test_oom_valid),
        cmocka_unit_test(test_oom_invalid),
        cmocka_unit_test(test_reuse_and_cleanup),
        cmocka_unit_test(test_schema_text),
    };
    return cmocka_run_group_tests(tests, NULL, teardown_group);
}
