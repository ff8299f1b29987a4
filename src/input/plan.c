/* plan.c: the plan data model's lifecycle and small queries (see
 * ckp/plan.h), and the timing of its projects and upgrades (lead time,
 * start windows: input/plan_time.h).  Knows nothing of XML. */
#include "ckp/plan.h"

#include <math.h>
#include <string.h>

#include "input/plan_time.h"
#include "util/alloc.h"

static void free_ref(ckp_ref *r) { ckp_free(r->id); }

static void free_ratios(ckp_ratio *r, int n)
{
    for (int i = 0; i < n; i++) {
        free_ref(&r[i].commodity);
        ckp_free(r[i].source);
    }
    ckp_free(r);
}

static void free_amounts(ckp_amount *a, int n)
{
    for (int i = 0; i < n; i++) {
        free_ref(&a[i].resource);
        ckp_free(a[i].source);
    }
    ckp_free(a);
}

static void free_year_values(ckp_year_value *v, int n)
{
    for (int i = 0; i < n; i++) ckp_free(v[i].source);
    ckp_free(v);
}

static void free_contracts(ckp_contract *c, int n)
{
    for (int i = 0; i < n; i++) {
        free_ref(&c[i].buyer);
        ckp_free(c[i].source);
        ckp_free(c[i].as_of);
    }
    ckp_free(c);
}

static void free_cofinanciers(ckp_cofinancier *c, int n)
{
    for (int i = 0; i < n; i++) {
        ckp_free(c[i].name);
        ckp_free(c[i].source);
        ckp_free(c[i].as_of);
    }
    ckp_free(c);
}

static void free_refs(ckp_ref *r, int n)
{
    for (int i = 0; i < n; i++) free_ref(&r[i]);
    ckp_free(r);
}

void ckp_plan_free(ckp_plan *p)
{
    if (!p) return;
    for (int i = 0; i < p->n_countries; i++) {
        ckp_free(p->countries[i].id);
        ckp_free(p->countries[i].name);
        ckp_free(p->countries[i].source);
    }
    ckp_free(p->countries);
    for (int i = 0; i < p->n_stages; i++) {
        ckp_free(p->stages[i].id);
        ckp_free(p->stages[i].name);
    }
    ckp_free(p->stages);
    for (int i = 0; i < p->n_commodities; i++) {
        ckp_commodity *c = &p->commodities[i];
        ckp_free(c->id);
        ckp_free(c->name);
        free_ref(&c->stage);
        free_year_values(c->demand, c->n_demand);
        free_ratios(c->made_from, c->n_made_from);
        ckp_free(c->source);
    }
    ckp_free(p->commodities);
    for (int i = 0; i < p->n_facilities; i++) {
        ckp_facility *f = &p->facilities[i];
        ckp_free(f->id);
        ckp_free(f->name);
        free_ref(&f->country);
        free_ref(&f->output);
        free_ratios(f->inputs, f->n_inputs);
        free_contracts(f->contracts, f->n_contracts);
        ckp_free(f->as_of);
        ckp_free(f->source);
        ckp_free(f->requires_process);
        ckp_free(f->processes);
    }
    ckp_free(p->facilities);
    for (int i = 0; i < p->n_resources; i++) {
        ckp_free(p->resources[i].id);
        ckp_free(p->resources[i].name);
        ckp_free(p->resources[i].unit);
    }
    ckp_free(p->resources);
    for (int i = 0; i < p->n_sites; i++) {
        ckp_site *s = &p->sites[i];
        ckp_free(s->id);
        ckp_free(s->name);
        free_ref(&s->country);
        free_amounts(s->capacity, s->n_capacity);
        ckp_free(s->source);
    }
    ckp_free(p->sites);
    for (int i = 0; i < p->n_projects; i++) {
        ckp_project *q = &p->projects[i];
        ckp_free(q->id);
        ckp_free(q->name);
        free_ref(&q->stage);
        free_ref(&q->site);
        free_ref(&q->country);
        free_ref(&q->output);
        free_ratios(q->inputs, q->n_inputs);
        ckp_free(q->ramp);
        free_amounts(q->needs, q->n_needs);
        free_refs(q->requires, q->n_requires);
        free_refs(q->excludes, q->n_excludes);
        free_ref(&q->breakeven_of);
        for (int o = 0; o < q->n_options; o++) {
            ckp_free(q->options[o].id);
            ckp_free(q->options[o].schedule);
            ckp_free(q->options[o].source);
            free_cofinanciers(q->options[o].cofinanciers, q->options[o].n_cofinanciers);
            ckp_free(q->options[o].terms.source);
            ckp_free(q->options[o].terms.as_of);
        }
        ckp_free(q->options);
        free_contracts(q->contracts, q->n_contracts);
        free_cofinanciers(q->cofinanciers, q->n_cofinanciers);
        ckp_free(q->as_of);
        ckp_free(q->source);
        ckp_free(q->requires_process);
        ckp_free(q->processes);
    }
    ckp_free(p->projects);
    for (int i = 0; i < p->n_upgrades; i++) {
        ckp_upgrade *u = &p->upgrades[i];
        ckp_free(u->id);
        ckp_free(u->name);
        free_ref(&u->site);
        free_ref(&u->resource);
        ckp_free(u->schedule);
        ckp_free(u->source);
    }
    ckp_free(p->upgrades);
    for (int i = 0; i < p->n_stockpiles; i++) {
        ckp_stockpile *k = &p->stockpiles[i];
        ckp_free(k->id);
        ckp_free(k->name);
        free_ref(&k->commodity);
        ckp_free(k->source);
    }
    ckp_free(p->stockpiles);
    for (int i = 0; i < p->n_scenarios; i++) {
        ckp_scenario *sc = &p->scenarios[i];
        ckp_free(sc->id);
        ckp_free(sc->name);
        for (int j = 0; j < sc->n_changes; j++) {
            free_ref(&sc->changes[j].country);
            free_ref(&sc->changes[j].commodity);
            ckp_free(sc->changes[j].source);
        }
        ckp_free(sc->changes);
        ckp_free(sc->source);
    }
    ckp_free(p->scenarios);
    free_year_values(p->budget.limits, p->budget.n_limits);
    ckp_free(p->budget.source);
    for (int i = 0; i < p->budget.n_caps; i++) {
        free_year_values(p->budget.caps[i].limits, p->budget.caps[i].n_limits);
        ckp_free(p->budget.caps[i].source);
    }
    ckp_free(p->budget.caps);
    ckp_free(p->path);
    ckp_free(p->name);
    ckp_free(p->currency);
    ckp_free(p->description);
    ckp_free(p);
}

double ckp_plan_demand(const ckp_plan *plan, int c, int year)
{
    const ckp_commodity *k = &plan->commodities[c];
    if (k->n_demand == 0) return 0.0;
    /* points are sorted by year by the loader's contract? not assumed:
       find the nearest points below and above. */
    const ckp_year_value *lo = NULL, *hi = NULL;
    for (int i = 0; i < k->n_demand; i++) {
        const ckp_year_value *v = &k->demand[i];
        if (v->year <= year && (!lo || v->year > lo->year)) lo = v;
        if (v->year >= year && (!hi || v->year < hi->year)) hi = v;
    }
    if (!lo) return hi->value;
    if (!hi) return lo->value;
    if (hi->year == lo->year) return lo->value;
    double t = (double)(year - lo->year) / (double)(hi->year - lo->year);
    return lo->value + t * (hi->value - lo->value);
}

int ckp_plan_find_country(const ckp_plan *plan, const char *id)
{
    for (int i = 0; i < plan->n_countries; i++)
        if (strcmp(plan->countries[i].id, id) == 0) return i;
    return -1;
}

int ckp_plan_find_commodity(const ckp_plan *plan, const char *id)
{
    for (int i = 0; i < plan->n_commodities; i++)
        if (strcmp(plan->commodities[i].id, id) == 0) return i;
    return -1;
}

int ckp_plan_find_project(const ckp_plan *plan, const char *id)
{
    for (int i = 0; i < plan->n_projects; i++)
        if (strcmp(plan->projects[i].id, id) == 0) return i;
    return -1;
}

static const char *const instrument_names[] = {
    "loan", "guarantee", "equity", "grant", "offtake", "price-floor"};

const char *ckp_instrument_str(ckp_instrument in)
{
    if ((int)in < 0 || (size_t)in >= sizeof instrument_names / sizeof *instrument_names)
        return "?";
    return instrument_names[in];
}

int ckp_instrument_price_support(ckp_instrument in)
{
    return in == CKP_INSTR_OFFTAKE || in == CKP_INSTR_PRICE_FLOOR;
}

const char *ckp_objective_str(ckp_objective_kind k)
{
    return k == CKP_OBJ_MINMAX ? "min-max" : "weighted";
}

ckp_status ckp_objective_parse(const char *s, ckp_objective_kind *out)
{
    if (strcmp(s, "weighted") == 0) *out = CKP_OBJ_WEIGHTED;
    else if (strcmp(s, "min-max") == 0) *out = CKP_OBJ_MINMAX;
    else return CKP_EUSAGE;
    return CKP_OK;
}

const char *ckp_change_str(ckp_change_kind k)
{
    switch (k) {
    case CKP_CHANGE_EXPORT: return "export-restriction";
    case CKP_CHANGE_PRICE: return "price";
    case CKP_CHANGE_DEMAND: return "demand-scale";
    }
    return "?";
}

const char *ckp_measure_str(ckp_scenario_measure m)
{
    return m == CKP_MEASURE_WORST ? "worst-case" : "expected";
}

ckp_status ckp_measure_parse(const char *s, ckp_scenario_measure *out)
{
    if (strcmp(s, "expected") == 0) *out = CKP_MEASURE_EXPECTED;
    else if (strcmp(s, "worst-case") == 0) *out = CKP_MEASURE_WORST;
    else return CKP_EUSAGE;
    return CKP_OK;
}

int ckp_plan_find_scenario(const ckp_plan *plan, const char *id)
{
    for (int i = 0; i < plan->n_scenarios; i++)
        if (strcmp(plan->scenarios[i].id, id) == 0) return i;
    return -1;
}

/* Does change ch apply to (commodity, year)?  An entry without a
 * commodity applies to every commodity. */
static int change_applies(const ckp_change *ch, int commodity, int year)
{
    if (year < ch->from || year > ch->to) return 0;
    return !ch->commodity.id || ch->commodity.ix == commodity;
}

double ckp_scenario_export_scale(const ckp_plan *plan, int s, int country,
                                 int commodity, int year)
{
    double f = 1.0;
    if (s < 0 || s >= plan->n_scenarios || country < 0) return f;
    const ckp_scenario *sc = &plan->scenarios[s];
    for (int i = 0; i < sc->n_changes; i++) {
        const ckp_change *ch = &sc->changes[i];
        if (ch->kind == CKP_CHANGE_EXPORT && ch->country.ix == country &&
            change_applies(ch, commodity, year))
            f *= ch->value;
    }
    return f;
}

double ckp_scenario_demand_scale(const ckp_plan *plan, int s, int commodity,
                                 int year)
{
    double f = 1.0;
    if (s < 0 || s >= plan->n_scenarios) return f;
    const ckp_scenario *sc = &plan->scenarios[s];
    for (int i = 0; i < sc->n_changes; i++) {
        const ckp_change *ch = &sc->changes[i];
        if (ch->kind == CKP_CHANGE_DEMAND && change_applies(ch, commodity, year))
            f *= ch->value;
    }
    return f;
}

double ckp_scenario_price(const ckp_plan *plan, int s, int commodity, int year)
{
    if (s < 0 || s >= plan->n_scenarios) return NAN;
    const ckp_scenario *sc = &plan->scenarios[s];
    for (int i = 0; i < sc->n_changes; i++) {
        const ckp_change *ch = &sc->changes[i];
        if (ch->kind == CKP_CHANGE_PRICE && ch->commodity.ix == commodity &&
            year >= ch->from && year <= ch->to)
            return ch->value;
    }
    return NAN;
}

int ckp_plan_producer_output(const ckp_plan *plan, int f)
{
    if (f < plan->n_facilities) return plan->facilities[f].output.ix;
    return plan->projects[f - plan->n_facilities].output.ix;
}

int ckp_plan_producer_country(const ckp_plan *plan, int f)
{
    if (f < plan->n_facilities) return plan->facilities[f].country.ix;
    const ckp_project *p = &plan->projects[f - plan->n_facilities];
    if (p->country.ix >= 0) return p->country.ix;
    return p->site.ix >= 0 ? plan->sites[p->site.ix].country.ix : -1;
}

double ckp_plan_producer_risk(const ckp_plan *plan, int f)
{
    int k = ckp_plan_producer_country(plan, f);
    return k >= 0 ? plan->countries[k].risk : 0.0;
}

double ckp_plan_contracted_out(const ckp_plan *plan, int f, int year)
{
    const ckp_contract *c;
    int n;
    if (f < 0) return 0.0;
    if (f < plan->n_facilities) {
        c = plan->facilities[f].contracts;
        n = plan->facilities[f].n_contracts;
    } else if (f < plan->n_facilities + plan->n_projects) {
        c = plan->projects[f - plan->n_facilities].contracts;
        n = plan->projects[f - plan->n_facilities].n_contracts;
    } else {
        return 0.0;
    }
    double out = 0.0;
    for (int i = 0; i < n; i++) {
        int k = c[i].buyer.ix;
        if (k < 0 || !(plan->countries[k].risk > 0)) continue;
        if (year < c[i].from || year > c[i].to) continue;
        if (c[i].share > 0) out += c[i].share;
    }
    return out < 1.0 ? out : 1.0;
}

const char *ckp_cofinancier_type_str(ckp_cofinancier_type t)
{
    switch (t) {
    case CKP_COFIN_PRIVATE: return "private";
    case CKP_COFIN_PUBLIC: return "public";
    case CKP_COFIN_MULTILATERAL: return "multilateral";
    }
    return "?";
}

static void add_cofinance(const ckp_cofinancier *c, int n, double *by_type, double *direct)
{
    for (int i = 0; i < n; i++) {
        if (!(c[i].amount > 0) || (int)c[i].type < 0 || (int)c[i].type >= CKP_COFIN_TYPES)
            continue;
        by_type[c[i].type] += c[i].amount;
        if (c[i].type == CKP_COFIN_PRIVATE && c[i].direct && direct) *direct += c[i].amount;
    }
}

void ckp_plan_cofinance(const ckp_plan *plan, int p, int o, double by_type[CKP_COFIN_TYPES],
                        double *private_direct)
{
    for (int t = 0; t < CKP_COFIN_TYPES; t++) by_type[t] = 0.0;
    if (private_direct) *private_direct = 0.0;
    if (p < 0 || p >= plan->n_projects) return;
    const ckp_project *pr = &plan->projects[p];
    add_cofinance(pr->cofinanciers, pr->n_cofinanciers, by_type, private_direct);
    if (o >= 0 && o < pr->n_options)
        add_cofinance(pr->options[o].cofinanciers, pr->options[o].n_cofinanciers, by_type,
                      private_direct);
}

int ckp_project_lead(const ckp_project *pr)
{
    return (pr->permit == CKP_PERMIT_PENDING ? pr->permit_years : 0) + pr->build_years;
}

int ckp_plan_project_online(const ckp_plan *plan, int p)
{
    const ckp_project *q = &plan->projects[p];
    int start = q->earliest_start > plan->first_year ? q->earliest_start : plan->first_year;
    return start + ckp_project_lead(q);
}

/* Start window [max(earliest, first), min(latest, last)], 0 = none. */
static void window(const ckp_plan *plan, int earliest, int latest, int open, int *lo,
                   int *hi)
{
    int e = earliest && !open ? earliest : plan->first_year;
    int l = latest && !open ? latest : plan->last_year;
    *lo = e > plan->first_year ? e : plan->first_year;
    *hi = l < plan->last_year ? l : plan->last_year;
}

void ckp_plan_project_window(const ckp_plan *plan, int p, int open, int *lo, int *hi,
                             int *lead)
{
    const ckp_project *pr = &plan->projects[p];
    window(plan, pr->earliest_start, pr->latest_start, open, lo, hi);
    *lead = ckp_project_lead(pr);
}

void ckp_plan_upgrade_window(const ckp_plan *plan, int u, int open, int *lo, int *hi)
{
    const ckp_upgrade *up = &plan->upgrades[u];
    window(plan, up->earliest_start, up->latest_start, open, lo, hi);
}
