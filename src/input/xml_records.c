/* xml_records.c: one reader per section of a validated plan (countries,
 * stages, commodities, facilities, resources, sites, projects and their
 * options, upgrades, stockpiles, scenarios), filling the ckp_plan records
 * with the defaults of docs/plan-format.md.  Part of the XML reader
 * (xml_read.c); libxml2 types stay in src/input. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/xml_int.h"
#include "util/alloc.h"

static ckp_instrument instrument_of(const char *s)
{
    static const struct { const char *name; ckp_instrument in; } t[] = {
        {"loan", CKP_INSTR_LOAN},         {"guarantee", CKP_INSTR_GUARANTEE},
        {"equity", CKP_INSTR_EQUITY},     {"grant", CKP_INSTR_GRANT},
        {"offtake", CKP_INSTR_OFFTAKE},   {"price-floor", CKP_INSTR_PRICE_FLOOR}};
    for (size_t i = 0; s && i < sizeof t / sizeof *t; i++)
        if (strcmp(t[i].name, s) == 0) return t[i].in;
    return CKP_INSTR_LOAN; /* the schema admits nothing else */
}

void xr_read_countries(conv *cv, const xmlNode *sec)
{
    ckp_plan *p = cv->plan;
    int k = xr_count_children(sec, "country");
    p->countries = xr_array(cv, k, sizeof *p->countries);
    if (!p->countries) return;
    p->n_countries = k;
    int i = 0;
    for (const xmlNode *c = sec->children; c; c = c->next) {
        if (!xr_is_el(c, "country")) continue;
        ckp_country *x = &p->countries[i++];
        x->id = xr_str(cv, xr_attr(cv, c, "id"));
        x->name = xr_str(cv, xr_attr(cv, c, "name"));
        x->risk = xr_num(xr_attr(cv, c, "risk"), 0.0);
        x->source = xr_str(cv, xr_attr(cv, c, "source"));
        x->line = xr_line(c);
    }
}

void xr_read_stages(conv *cv, const xmlNode *sec)
{
    ckp_plan *p = cv->plan;
    int k = xr_count_children(sec, "stage");
    p->stages = xr_array(cv, k, sizeof *p->stages);
    if (!p->stages) return;
    p->n_stages = k;
    int i = 0;
    for (const xmlNode *c = sec->children; c; c = c->next) {
        if (!xr_is_el(c, "stage")) continue;
        ckp_stage *x = &p->stages[i++];
        x->id = xr_str(cv, xr_attr(cv, c, "id"));
        x->name = xr_str(cv, xr_attr(cv, c, "name"));
        x->order = xr_inum(xr_attr(cv, c, "order"), 0);
        x->line = xr_line(c);
    }
}

void xr_read_commodities(conv *cv, const xmlNode *sec)
{
    ckp_plan *p = cv->plan;
    int k = xr_count_children(sec, "commodity");
    p->commodities = xr_array(cv, k, sizeof *p->commodities);
    if (!p->commodities) return;
    p->n_commodities = k;
    int i = 0;
    for (const xmlNode *c = sec->children; c; c = c->next) {
        if (!xr_is_el(c, "commodity")) continue;
        ckp_commodity *x = &p->commodities[i++];
        x->id = xr_str(cv, xr_attr(cv, c, "id"));
        x->name = xr_str(cv, xr_attr(cv, c, "name"));
        xr_set_ref(cv, &x->stage, c, "stage");
        x->weight = xr_num(xr_attr(cv, c, "weight"), 1.0);
        xr_year_values(cv, c, "demand", "tonnes", &x->demand, &x->n_demand);
        xr_ratios(cv, c, "made-from", &x->made_from, &x->n_made_from);
        x->source = xr_str(cv, xr_attr(cv, c, "source"));
        x->line = xr_line(c);
    }
}

void xr_read_facilities(conv *cv, const xmlNode *sec)
{
    ckp_plan *p = cv->plan;
    int k = xr_count_children(sec, "facility");
    p->facilities = xr_array(cv, k, sizeof *p->facilities);
    if (!p->facilities) return;
    p->n_facilities = k;
    int i = 0;
    for (const xmlNode *c = sec->children; c; c = c->next) {
        if (!xr_is_el(c, "facility")) continue;
        ckp_facility *x = &p->facilities[i++];
        x->id = xr_str(cv, xr_attr(cv, c, "id"));
        x->name = xr_str(cv, xr_attr(cv, c, "name"));
        xr_set_ref(cv, &x->country, c, "country");
        xr_set_ref(cv, &x->output, c, "output");
        x->capacity = xr_num(xr_attr(cv, c, "capacity"), 0.0);
        x->available = xr_num(xr_attr(cv, c, "available"), 1.0);
        xr_ratios(cv, c, "input", &x->inputs, &x->n_inputs);
        xr_contracts(cv, c, &x->contracts, &x->n_contracts);
        x->as_of = xr_str(cv, xr_attr(cv, c, "as-of"));
        x->source = xr_str(cv, xr_attr(cv, c, "source"));
        x->requires_process = xr_str(cv, xr_attr(cv, c, "requires-process"));
        x->processes = xr_str(cv, xr_attr(cv, c, "processes"));
        x->line = xr_line(c);
    }
}

void xr_read_resources(conv *cv, const xmlNode *sec)
{
    ckp_plan *p = cv->plan;
    int k = xr_count_children(sec, "resource");
    p->resources = xr_array(cv, k, sizeof *p->resources);
    if (!p->resources) return;
    p->n_resources = k;
    int i = 0;
    for (const xmlNode *c = sec->children; c; c = c->next) {
        if (!xr_is_el(c, "resource")) continue;
        ckp_resource *x = &p->resources[i++];
        x->id = xr_str(cv, xr_attr(cv, c, "id"));
        x->name = xr_str(cv, xr_attr(cv, c, "name"));
        x->unit = xr_str(cv, xr_attr(cv, c, "unit"));
        x->line = xr_line(c);
    }
}

void xr_read_sites(conv *cv, const xmlNode *sec)
{
    ckp_plan *p = cv->plan;
    int k = xr_count_children(sec, "site");
    p->sites = xr_array(cv, k, sizeof *p->sites);
    if (!p->sites) return;
    p->n_sites = k;
    int i = 0;
    for (const xmlNode *c = sec->children; c; c = c->next) {
        if (!xr_is_el(c, "site")) continue;
        ckp_site *x = &p->sites[i++];
        x->id = xr_str(cv, xr_attr(cv, c, "id"));
        x->name = xr_str(cv, xr_attr(cv, c, "name"));
        xr_set_ref(cv, &x->country, c, "country");
        xr_amounts(cv, c, "capacity", &x->capacity, &x->n_capacity);
        x->source = xr_str(cv, xr_attr(cv, c, "source"));
        x->line = xr_line(c);
    }
}

static void read_options(conv *cv, const xmlNode *n, ckp_project *x)
{
    int k = xr_count_children(n, "option");
    x->options = xr_array(cv, k, sizeof *x->options);
    if (!x->options) return;
    x->n_options = k;
    int i = 0;
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (!xr_is_el(c, "option")) continue;
        ckp_option *o = &x->options[i++];
        o->id = xr_str(cv, xr_attr(cv, c, "id"));
        o->instrument = instrument_of(xr_attr(cv, c, "instrument"));
        o->commitment = xr_num(xr_attr(cv, c, "commitment"), NAN);
        xr_num_list(cv, xr_attr(cv, c, "schedule"), "1", &o->schedule,
                 &o->n_schedule);
        o->buys_out = xr_boolean(xr_attr(cv, c, "buys-out"));
        xr_cofinanciers(cv, c, &o->cofinanciers, &o->n_cofinanciers);
        o->source = xr_str(cv, xr_attr(cv, c, "source"));
        o->line = xr_line(c);
        xr_option_terms(cv, c, o);
    }
}

void xr_read_projects(conv *cv, const xmlNode *sec)
{
    ckp_plan *p = cv->plan;
    int k = xr_count_children(sec, "project");
    p->projects = xr_array(cv, k, sizeof *p->projects);
    if (!p->projects) return;
    p->n_projects = k;
    int i = 0;
    for (const xmlNode *c = sec->children; c; c = c->next) {
        if (!xr_is_el(c, "project")) continue;
        ckp_project *x = &p->projects[i++];
        x->id = xr_str(cv, xr_attr(cv, c, "id"));
        x->name = xr_str(cv, xr_attr(cv, c, "name"));
        xr_set_ref(cv, &x->stage, c, "stage");
        xr_set_ref(cv, &x->site, c, "site");
        xr_set_ref(cv, &x->country, c, "country");
        xr_set_ref(cv, &x->output, c, "output");
        x->capacity = xr_num(xr_attr(cv, c, "capacity"), 0.0);
        xr_ratios(cv, c, "input", &x->inputs, &x->n_inputs);
        x->capex = xr_num(xr_attr(cv, c, "capex"), 0.0);
        const char *permit = xr_attr(cv, c, "permit");
        x->permit = permit && strcmp(permit, "pending") == 0
                        ? CKP_PERMIT_PENDING
                        : CKP_PERMIT_GRANTED;
        x->permit_years = xr_inum(xr_attr(cv, c, "permit-years"), 0);
        x->build_years = xr_inum(xr_attr(cv, c, "build-years"), 0);
        xr_num_list(cv, xr_attr(cv, c, "ramp"), NULL, &x->ramp, &x->n_ramp);
        x->earliest_start = xr_inum(xr_attr(cv, c, "earliest-start"), p->first_year);
        x->latest_start = xr_inum(xr_attr(cv, c, "latest-start"), p->last_year);
        x->breakeven = xr_num(xr_attr(cv, c, "breakeven"), NAN);
        xr_set_ref(cv, &x->breakeven_of, c, "breakeven-of");
        xr_amounts(cv, c, "needs", &x->needs, &x->n_needs);
        xr_project_refs(cv, c, "requires", &x->requires, &x->n_requires);
        xr_project_refs(cv, c, "excludes", &x->excludes, &x->n_excludes);
        read_options(cv, c, x);
        x->committed = xr_boolean(xr_attr(cv, c, "committed"));
        xr_contracts(cv, c, &x->contracts, &x->n_contracts);
        xr_cofinanciers(cv, c, &x->cofinanciers, &x->n_cofinanciers);
        x->as_of = xr_str(cv, xr_attr(cv, c, "as-of"));
        x->source = xr_str(cv, xr_attr(cv, c, "source"));
        x->requires_process = xr_str(cv, xr_attr(cv, c, "requires-process"));
        x->processes = xr_str(cv, xr_attr(cv, c, "processes"));
        x->line = xr_line(c);
    }
}

void xr_read_upgrades(conv *cv, const xmlNode *sec)
{
    ckp_plan *p = cv->plan;
    int k = xr_count_children(sec, "upgrade");
    p->upgrades = xr_array(cv, k, sizeof *p->upgrades);
    if (!p->upgrades) return;
    p->n_upgrades = k;
    int i = 0;
    for (const xmlNode *c = sec->children; c; c = c->next) {
        if (!xr_is_el(c, "upgrade")) continue;
        ckp_upgrade *x = &p->upgrades[i++];
        x->id = xr_str(cv, xr_attr(cv, c, "id"));
        x->name = xr_str(cv, xr_attr(cv, c, "name"));
        xr_set_ref(cv, &x->site, c, "site");
        xr_set_ref(cv, &x->resource, c, "resource");
        x->amount = xr_num(xr_attr(cv, c, "amount"), 0.0);
        x->cost = xr_num(xr_attr(cv, c, "cost"), 0.0);
        x->build_years = xr_inum(xr_attr(cv, c, "build-years"), 0);
        x->earliest_start = xr_inum(xr_attr(cv, c, "earliest-start"), p->first_year);
        x->latest_start = xr_inum(xr_attr(cv, c, "latest-start"), p->last_year);
        xr_num_list(cv, xr_attr(cv, c, "schedule"), "1", &x->schedule,
                 &x->n_schedule);
        x->source = xr_str(cv, xr_attr(cv, c, "source"));
        x->line = xr_line(c);
    }
}

void xr_read_stockpiles(conv *cv, const xmlNode *sec)
{
    ckp_plan *p = cv->plan;
    int k = xr_count_children(sec, "stockpile");
    p->stockpiles = xr_array(cv, k, sizeof *p->stockpiles);
    if (!p->stockpiles) return;
    p->n_stockpiles = k;
    int i = 0;
    for (const xmlNode *c = sec->children; c; c = c->next) {
        if (!xr_is_el(c, "stockpile")) continue;
        ckp_stockpile *x = &p->stockpiles[i++];
        x->id = xr_str(cv, xr_attr(cv, c, "id"));
        x->name = xr_str(cv, xr_attr(cv, c, "name"));
        xr_set_ref(cv, &x->commodity, c, "commodity");
        x->tonnes = xr_num(xr_attr(cv, c, "tonnes"), 0.0);
        x->release = xr_num(xr_attr(cv, c, "release"), 0.0);
        x->cost = xr_num(xr_attr(cv, c, "cost"), 0.0);
        x->year = xr_inum(xr_attr(cv, c, "year"), p->first_year);
        x->source = xr_str(cv, xr_attr(cv, c, "source"));
        x->line = xr_line(c);
    }
}

/* Kind of a scenario entry by element name; -1 for anything else. */
static int change_kind(const xmlNode *c)
{
    if (xr_is_el(c, "export-restriction")) return CKP_CHANGE_EXPORT;
    if (xr_is_el(c, "price")) return CKP_CHANGE_PRICE;
    if (xr_is_el(c, "demand-scale")) return CKP_CHANGE_DEMAND;
    return -1;
}

static void read_changes(conv *cv, const xmlNode *n, ckp_scenario *x)
{
    const ckp_plan *p = cv->plan;
    int k = 0;
    for (const xmlNode *c = n->children; c; c = c->next)
        if (change_kind(c) >= 0) k++;
    x->changes = xr_array(cv, k, sizeof *x->changes);
    if (!x->changes) return;
    x->n_changes = k;
    int i = 0;
    for (const xmlNode *c = n->children; c; c = c->next) {
        int kind = change_kind(c);
        if (kind < 0) continue;
        ckp_change *e = &x->changes[i++];
        e->kind = (ckp_change_kind)kind;
        /* country: export only; the other kinds have no such attribute,
         * so the reference stays empty (id NULL) */
        xr_set_ref(cv, &e->country, c, "country");
        xr_set_ref(cv, &e->commodity, c, "commodity");
        e->from = xr_inum(xr_attr(cv, c, "from"), p->first_year);
        e->to = xr_inum(xr_attr(cv, c, "to"), p->last_year);
        e->value = xr_num(xr_attr(cv, c, kind == CKP_CHANGE_PRICE ? "price" : "scale"),
                       kind == CKP_CHANGE_PRICE ? 0.0 : 1.0);
        e->source = xr_str(cv, xr_attr(cv, c, "source"));
        e->line = xr_line(c);
    }
}

void xr_read_scenarios(conv *cv, const xmlNode *sec)
{
    ckp_plan *p = cv->plan;
    int k = xr_count_children(sec, "scenario");
    p->scenarios = xr_array(cv, k, sizeof *p->scenarios);
    if (!p->scenarios) return;
    p->n_scenarios = k;
    int i = 0;
    for (const xmlNode *c = sec->children; c; c = c->next) {
        if (!xr_is_el(c, "scenario")) continue;
        ckp_scenario *x = &p->scenarios[i++];
        x->id = xr_str(cv, xr_attr(cv, c, "id"));
        x->name = xr_str(cv, xr_attr(cv, c, "name"));
        x->probability = xr_num(xr_attr(cv, c, "probability"), 0.0);
        read_changes(cv, c, x);
        x->source = xr_str(cv, xr_attr(cv, c, "source"));
        x->line = xr_line(c);
    }
}
