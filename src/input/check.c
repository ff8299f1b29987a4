/* check.c: the semantic layer of plan validation (see ckp/check.h and
 * docs/diagnostics.md).  Runs after the XSD has accepted a document, on the
 * plain ckp_plan structs: resolves every ckp_ref to its index and reports
 * every broken rule at once, each as a diagnostic naming the element, its
 * id, the attribute and the offending value.
 *
 * Cost is linear in the size of the plan (plus a sort of each list of
 * years): ids are looked up in open-addressing hash maps, per-record
 * duplicate checks use stamp arrays indexed by the resolved references, and
 * cycle detection is an iterative depth-first search over a compressed
 * adjacency array, so plans with thousands of projects and long requires
 * chains are fine.
 *
 * Order of the passes: ids (duplicates) -> references (resolution) ->
 * per-record rules -> cross-record rules (cycles, producibility) -> sort.
 * This file: the id maps, reporting, numbers, references, the simple
 * records and the entry point; the other passes are in check_records.c,
 * check_scenarios.c and check_graph.c (shared state: check_int.h). */
#include "input/check_int.h"

/* ------------------------------------------------------------------ */
/* Id maps: open addressing, keys borrowed from the plan.              */


static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

int chk_idmap_init(idmap *m, int n)
{
    size_t cap = 16;
    while (cap < (size_t)n * 2) cap *= 2;
    m->keys = ckp_calloc(cap, sizeof *m->keys);
    m->vals = ckp_calloc(cap, sizeof *m->vals);
    m->mask = cap - 1;
    if (!m->keys || !m->vals) {
        ckp_free(m->keys);
        ckp_free(m->vals);
        m->keys = NULL;
        m->vals = NULL;
        return -1;
    }
    return 0;
}

void chk_idmap_fini(idmap *m)
{
    ckp_free(m->keys);
    ckp_free(m->vals);
    m->keys = NULL;
    m->vals = NULL;
}

int chk_idmap_find(const idmap *m, const char *key)
{
    if (!key || !m->keys) return -1;
    for (size_t i = hash_str(key) & m->mask;; i = (i + 1) & m->mask) {
        if (!m->keys[i]) return -1;
        if (strcmp(m->keys[i], key) == 0) return m->vals[i];
    }
}

/* Insert key -> val unless present; returns the existing value or -1.
 * The map is sized for every key up front, so it never fills. */
int chk_idmap_put(idmap *m, const char *key, int val)
{
    for (size_t i = hash_str(key) & m->mask;; i = (i + 1) & m->mask) {
        if (!m->keys[i]) {
            m->keys[i] = key;
            m->vals[i] = val;
            return -1;
        }
        if (strcmp(m->keys[i], key) == 0) return m->vals[i];
    }
}

/* ------------------------------------------------------------------ */
/* Checker state and reporting.                                        */


const char *const chk_kind_name[K_N] = {
    "country", "stage", "commodity", "facility",
    "resource", "site", "project", "upgrade", "stockpile", "scenario"};



void chk_report(chk *c, ckp_severity sev, int line, const char *code,
                   const char *fmt, ...)
{
    char buf[1000];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (ckp_diag_add(c->diag, sev, c->file, line, code, "%s", buf) != CKP_OK)
        c->oom = CKP_ENOMEM;
}



/* ------------------------------------------------------------------ */
/* Numbers.                                                            */


/* Sane magnitudes (docs/plan-format.md, "Ranges"): a value of a class is 0
 * or its absolute value lies in [MAG_MIN, max of its class].  Outside, the
 * model's coefficients span more orders of magnitude than the simplex's
 * tolerances (1e-9 relative) can separate: GLPK then stalls, trips an
 * internal assertion, or calls a feasible plan infeasible. */
#define MAG_MIN 1e-6
static double mag_max(int flags, const char **unit)
{
    switch (flags & NUM_CLASSES) {
    case NUM_TONNES: *unit = " t"; return 1e9;
    case NUM_MONEY: *unit = " million"; return 1e9;
    case NUM_RATIO: *unit = " t/t"; return 1e6;
    case NUM_AMOUNT: *unit = ""; return 1e9;
    case NUM_PRICE: *unit = " per t"; return 1e12;
    case NUM_FACTOR: *unit = ""; return 1e6;
    case NUM_PENALTY: *unit = ""; return 1e9;
    }
    *unit = "";
    return INFINITY;
}

/* Check one number; who = "project 'x'", attr = XML attribute name.
 * range_code is used for NUM_UNIT.  Returns 1 when it is fine. */
int chk_num(chk *c, int line, const char *who, const char *attr,
                     double v, int flags, const char *range_code)
{
    if (isnan(v)) {
        if (flags & NUM_ALLOW_NAN) return 1;
        ERR(c, line, "non-finite", "%s: %s %g is not a finite number", who, attr, v);
        return 0;
    }
    if (isinf(v) && !(v > 0 && (flags & NUM_ALLOW_INF))) {
        ERR(c, line, "non-finite", "%s: %s %g is not a finite number", who, attr, v);
        return 0;
    }
    if ((flags & NUM_UNIT) && (v < 0 || v > 1)) {
        ERR(c, line, range_code, "%s: %s %.10g is outside [0,1]", who, attr, v);
        return 0;
    }
    if ((flags & NUM_NONNEG) && v < 0) {
        ERR(c, line, "negative-value", "%s: %s %.10g is negative", who, attr, v);
        return 0;
    }
    const char *unit;
    double hi = mag_max(flags, &unit);
    if (isfinite(v) && v != 0 && (fabs(v) < MAG_MIN || fabs(v) > hi)) {
        ERR(c, line, "magnitude-range",
            "%s: %s %.10g is outside the sane range (0, or %g to %g%s)", who,
            attr, v, MAG_MIN, hi, unit);
        return 0;
    }
    return 1;
}

/* A number of years (permit, build): 0 .. DURATION_MAX. */
void chk_duration(chk *c, int line, const char *who,
                             const char *attr, int v)
{
    if (v < 0)
        ERR(c, line, "negative-value", "%s: %s %d is negative", who, attr, v);
    else if (v > DURATION_MAX)
        ERR(c, line, "duration-range", "%s: %s %d is more than %d years", who,
            attr, v, DURATION_MAX);
}

int chk_in_horizon(const chk *c, int year)
{
    return year >= c->plan->first_year && year <= c->plan->last_year;
}

void chk_year(chk *c, int line, const char *who, const char *attr,
                       int year)
{
    if (!c->horizon_ok || chk_in_horizon(c, year)) return;
    ERR(c, line, "year-outside-horizon",
        "%s: %s %d is outside the horizon %d-%d", who, attr, year,
        c->plan->first_year, c->plan->last_year);
}

/* A schedule of shares: each in [0,1], summing to 1. */
void chk_schedule(chk *c, int line, const char *who,
                           const double *s, int n)
{
    double sum = 0;
    int ok = 1;
    for (int k = 0; k < n; k++) {
        if (!isfinite(s[k])) {
            ERR(c, line, "non-finite",
                "%s: schedule value %g (entry %d) is not a finite number", who,
                s[k], k + 1);
            ok = 0;
        } else if (s[k] < 0 || s[k] > 1) {
            ERR(c, line, "schedule-range",
                "%s: schedule value %.10g (entry %d) is outside [0,1]", who,
                s[k], k + 1);
            ok = 0;
        }
        sum += s[k];
    }
    if (!ok) return;
    if (n == 0)
        ERR(c, line, "schedule-sum",
            "%s: schedule is empty; its shares must sum to 1", who);
    else if (fabs(sum - 1.0) > SCHEDULE_TOL)
        ERR(c, line, "schedule-sum",
            "%s: schedule sums to %.10g, not 1 (tolerance 1e-6)", who, sum);
}

/* Years given in a list of year values (demand points, budget limits):
 * each in the horizon, none twice.  idx is scratch of n entries. */

static int cmp_year_ix(const void *a, const void *b)
{
    const year_ix *x = a, *y = b;
    if (x->year != y->year) return x->year < y->year ? -1 : 1;
    return x->ix < y->ix ? -1 : x->ix > y->ix;
}

void chk_year_values(chk *c, const char *who, const char *elem,
                              const char *vattr, int vclass,
                              const ckp_year_value *v, int n, year_ix *idx)
{
    for (int i = 0; i < n; i++) {
        char what[64];
        snprintf(what, sizeof what, "%s year", elem);
        chk_year(c, v[i].line, who, what, v[i].year);
        char attr[64];
        snprintf(attr, sizeof attr, "%s %d %s", elem, v[i].year, vattr);
        chk_num(c, v[i].line, who, attr, v[i].value, NUM_NONNEG | vclass, NULL);
        idx[i].year = v[i].year;
        idx[i].ix = i;
    }
    if (n < 2) return;
    qsort(idx, (size_t)n, sizeof *idx, cmp_year_ix);
    for (int i = 1; i < n; i++) {
        const ckp_year_value *a = &v[idx[i - 1].ix], *b = &v[idx[i].ix];
        if (a->year == b->year)
            ERR(c, b->line, "duplicate-year",
                "%s: %s for year %d given twice (first at line %d)", who, elem,
                b->year, a->line);
    }
}

/* ------------------------------------------------------------------ */
/* Ids.                                                                */

static const char *rec_id(const ckp_plan *p, int k, int i)
{
    switch (k) {
    case K_COUNTRY: return p->countries[i].id;
    case K_STAGE: return p->stages[i].id;
    case K_COMMODITY: return p->commodities[i].id;
    case K_FACILITY: return p->facilities[i].id;
    case K_RESOURCE: return p->resources[i].id;
    case K_SITE: return p->sites[i].id;
    case K_PROJECT: return p->projects[i].id;
    case K_UPGRADE: return p->upgrades[i].id;
    case K_STOCKPILE: return p->stockpiles[i].id;
    case K_SCENARIO: return p->scenarios[i].id;
    }
    return NULL;
}

static int rec_line(const ckp_plan *p, int k, int i)
{
    switch (k) {
    case K_COUNTRY: return p->countries[i].line;
    case K_STAGE: return p->stages[i].line;
    case K_COMMODITY: return p->commodities[i].line;
    case K_FACILITY: return p->facilities[i].line;
    case K_RESOURCE: return p->resources[i].line;
    case K_SITE: return p->sites[i].line;
    case K_PROJECT: return p->projects[i].line;
    case K_UPGRADE: return p->upgrades[i].line;
    case K_STOCKPILE: return p->stockpiles[i].line;
    case K_SCENARIO: return p->scenarios[i].line;
    }
    return 0;
}

static int rec_count(const ckp_plan *p, int k)
{
    switch (k) {
    case K_COUNTRY: return p->n_countries;
    case K_STAGE: return p->n_stages;
    case K_COMMODITY: return p->n_commodities;
    case K_FACILITY: return p->n_facilities;
    case K_RESOURCE: return p->n_resources;
    case K_SITE: return p->n_sites;
    case K_PROJECT: return p->n_projects;
    case K_UPGRADE: return p->n_upgrades;
    case K_STOCKPILE: return p->n_stockpiles;
    case K_SCENARIO: return p->n_scenarios;
    }
    return 0;
}

static int build_maps(chk *c)
{
    const ckp_plan *p = c->plan;
    for (int k = 0; k < K_N; k++) {
        int n = rec_count(p, k);
        if (chk_idmap_init(&c->map[k], n)) return -1;
        for (int i = 0; i < n; i++) {
            const char *id = rec_id(p, k, i);
            int line = rec_line(p, k, i);
            if (!id || !*id) {
                ERR(c, line, "missing-id", "%s (entry %d) has no id", chk_kind_name[k],
                    i + 1);
                continue;
            }
            int prev = chk_idmap_put(&c->map[k], id, i);
            if (prev >= 0)
                ERR(c, line, "duplicate-id",
                    "%s '%s': duplicate id (first defined at line %d)",
                    chk_kind_name[k], id, rec_line(p, k, prev));
        }
    }
    /* Producers (facilities then projects) share one namespace in the
     * model's column names and in reports. */
    for (int i = 0; i < p->n_projects; i++) {
        const ckp_project *q = &p->projects[i];
        int f = chk_idmap_find(&c->map[K_FACILITY], q->id);
        if (f >= 0)
            ERR(c, q->line, "duplicate-id",
                "project '%s': id is also used by the facility at line %d "
                "(facilities and projects share one namespace of producers)",
                q->id, p->facilities[f].line);
    }
    return 0;
}

/* ------------------------------------------------------------------ */
/* References.                                                         */

/* "; did you mean 'x'?" for an unknown id of kind k: the nearest defined
 * id by edit distance (docs/diagnostics.md, "Hints"), or "".  The hints
 * of one check share a work bound (HINT_WORK id comparisons), so a plan
 * with many unknown references among many ids stays linear. */
#define HINT_WORK 20000000L

static void hint_for(chk *c, int k, const char *id, char *buf, size_t n)
{
    buf[0] = '\0';
    int cnt = rec_count(c->plan, k);
    if (c->hint_work < cnt) return;
    c->hint_work -= cnt;
    ckp_hint h;
    ckp_hint_init(&h, id);
    for (int i = 0; i < cnt; i++) ckp_hint_offer(&h, rec_id(c->plan, k, i));
    if (h.best) snprintf(buf, n, "; did you mean '%s'?", h.best);
}

/* Resolve r against kind k.  who = "project 'x'", attr = "site",
 * "input commodity", ...  A NULL id is reported when required. */
int chk_resolve(chk *c, ckp_ref *r, int k, int rec_ln, const char *who,
                   const char *attr, int required)
{
    r->ix = -1;
    int line = chk_ref_line(r, rec_ln);
    if (!r->id) {
        if (required)
            ERR(c, line, "missing-ref", "%s: %s is missing", who, attr);
        return -1;
    }
    r->ix = chk_idmap_find(&c->map[k], r->id);
    if (r->ix < 0) {
        /* attr names the kind when it ends with it ("site", "input
         * commodity"); otherwise say which kind was looked for. */
        size_t la = strlen(attr), lk = strlen(chk_kind_name[k]);
        int names_kind = la >= lk && strcmp(attr + la - lk, chk_kind_name[k]) == 0;
        char hint[200];
        hint_for(c, k, r->id, hint, sizeof hint);
        if (names_kind)
            ERR(c, line, "unknown-ref", "%s: %s '%s' is not defined%s", who,
                attr, r->id, hint);
        else
            ERR(c, line, "unknown-ref", "%s: %s '%s' is not a defined %s%s", who,
                attr, r->id, chk_kind_name[k], hint);
    }
    return r->ix;
}

/* ------------------------------------------------------------------ */
/* Per-record rules.                                                   */

void chk_who_of(char *buf, size_t n, const char *kind, const char *id)
{
    snprintf(buf, n, "%s '%s'", kind, chk_str_or(id, "?"));
}

/* Inputs per tonne (facility / project), or made-from recipe entries. */
void chk_ratios(chk *c, const char *who, int rec_ln, ckp_ratio *r,
                         int n, const char *attr, const ckp_ref *output)
{
    int st = chk_next_stamp(c);
    for (int i = 0; i < n; i++) {
        int line = r[i].line > 0 ? r[i].line : rec_ln;
        int ix = chk_resolve(c, &r[i].commodity, K_COMMODITY, line, who, attr, 1);
        char a[96];
        snprintf(a, sizeof a, "%s '%s' per-tonne", attr,
                 chk_str_or(r[i].commodity.id, "?"));
        chk_num(c, line, who, a, r[i].per_tonne, NUM_NONNEG | NUM_RATIO, NULL);
        if (ix < 0) continue;
        if (c->stamp[ix] == st)
            ERR(c, line, "duplicate-entry", "%s: %s '%s' is given twice", who,
                attr, r[i].commodity.id);
        c->stamp[ix] = st;
        if (output && output->ix == ix)
            ERR(c, line, "input-is-output",
                "%s: %s '%s' is its own output", who, attr, r[i].commodity.id);
    }
}

void chk_amounts(chk *c, const char *who, int rec_ln, ckp_amount *a,
                          int n, const char *attr)
{
    int st = chk_next_stamp(c);
    for (int i = 0; i < n; i++) {
        int line = a[i].line > 0 ? a[i].line : rec_ln;
        int ix = chk_resolve(c, &a[i].resource, K_RESOURCE, line, who, attr, 1);
        char an[96];
        snprintf(an, sizeof an, "%s '%s' amount", attr,
                 chk_str_or(a[i].resource.id, "?"));
        chk_num(c, line, who, an, a[i].amount, NUM_NONNEG | NUM_AMOUNT, NULL);
        if (ix < 0) continue;
        if (c->stamp[ix] == st)
            ERR(c, line, "duplicate-entry", "%s: %s '%s' is given twice", who,
                attr, a[i].resource.id);
        c->stamp[ix] = st;
    }
}

static void check_countries(chk *c)
{
    for (int i = 0; i < c->plan->n_countries; i++) {
        const ckp_country *k = &c->plan->countries[i];
        char who[300];
        chk_who_of(who, sizeof who, "country", k->id);
        chk_num(c, k->line, who, "risk", k->risk, NUM_UNIT, "risk-range");
    }
}

static void check_commodities(chk *c, year_ix *scratch)
{
    for (int i = 0; i < c->plan->n_commodities; i++) {
        ckp_commodity *k = &c->plan->commodities[i];
        char who[300];
        chk_who_of(who, sizeof who, "commodity", k->id);
        chk_resolve(c, &k->stage, K_STAGE, k->line, who, "stage", 1);
        chk_num(c, k->line, who, "weight", k->weight, NUM_NONNEG | NUM_FACTOR,
                  NULL);
        chk_year_values(c, who, "demand", "tonnes", NUM_TONNES, k->demand,
                          k->n_demand, scratch);
        /* A made-from entry naming the commodity itself is reported by
         * the recipe-cycle pass. */
        chk_ratios(c, who, k->line, k->made_from, k->n_made_from,
                     "made-from commodity", NULL);
    }
}

static void check_facilities(chk *c)
{
    for (int i = 0; i < c->plan->n_facilities; i++) {
        ckp_facility *f = &c->plan->facilities[i];
        char who[300];
        chk_who_of(who, sizeof who, "facility", f->id);
        chk_resolve(c, &f->country, K_COUNTRY, f->line, who, "country", 1);
        chk_resolve(c, &f->output, K_COMMODITY, f->line, who, "output", 1);
        chk_num(c, f->line, who, "capacity", f->capacity,
                  NUM_NONNEG | NUM_TONNES, NULL);
        chk_num(c, f->line, who, "available", f->available, NUM_UNIT,
                  "available-range");
        chk_ratios(c, who, f->line, f->inputs, f->n_inputs, "input commodity",
                     &f->output);
    }
}

static void check_sites(chk *c)
{
    for (int i = 0; i < c->plan->n_sites; i++) {
        ckp_site *s = &c->plan->sites[i];
        char who[300];
        chk_who_of(who, sizeof who, "site", s->id);
        chk_resolve(c, &s->country, K_COUNTRY, s->line, who, "country", 1);
        chk_amounts(c, who, s->line, s->capacity, s->n_capacity,
                      "capacity resource");
    }
}

/* Start window shared by projects and upgrades: earliest/latest in the
 * horizon, earliest <= latest.  Returns 1 when the window is usable for
 * the never-online rule. */
int chk_window(chk *c, int line, const char *who, int earliest,
                        int latest)
{
    chk_year(c, line, who, "earliest-start", earliest);
    chk_year(c, line, who, "latest-start", latest);
    if (earliest > latest) {
        ERR(c, line, "start-window",
            "%s: earliest-start %d is after latest-start %d", who, earliest,
            latest);
        return 0;
    }
    return c->horizon_ok && earliest <= c->plan->last_year;
}

/* ------------------------------------------------------------------ */
/* Entry point.                                                        */

/* Order the list as ckp_diag_sort() does (file, line, then insertion
 * order) in O(n log n): ckp_diag_sort() is an insertion sort, quadratic
 * when each pass of the checker appends diagnostics for early lines after
 * many later ones.  After this it only confirms the order.  Without
 * memory for the index, ckp_diag_sort() alone still gives the result. */
typedef struct diag_key {
    const ckp_diag *d;
    int ix;
} diag_key;

static int cmp_diag_key(const void *a, const void *b)
{
    const diag_key *x = a, *y = b;
    int c = strcmp(x->d->file ? x->d->file : "", y->d->file ? y->d->file : "");
    if (c) return c;
    if (x->d->line != y->d->line) return x->d->line < y->d->line ? -1 : 1;
    return x->ix < y->ix ? -1 : x->ix > y->ix;
}

static void presort(ckp_diag_list *list)
{
    if (list->n < 2) return;
    diag_key *k = ckp_malloc((size_t)list->n * sizeof *k);
    ckp_diag *tmp = ckp_malloc((size_t)list->n * sizeof *tmp);
    if (k && tmp) {
        for (int i = 0; i < list->n; i++) {
            k[i].d = &list->items[i];
            k[i].ix = i;
        }
        qsort(k, (size_t)list->n, sizeof *k, cmp_diag_key);
        for (int i = 0; i < list->n; i++) tmp[i] = *k[i].d;
        memcpy(list->items, tmp, (size_t)list->n * sizeof *tmp);
    }
    ckp_free(k);
    ckp_free(tmp);
}

static int max_year_values(const ckp_plan *p)
{
    int m = p->budget.n_limits;
    for (int i = 0; i < p->n_commodities; i++)
        if (p->commodities[i].n_demand > m) m = p->commodities[i].n_demand;
    return m;
}

ckp_status ckp_plan_check(ckp_plan *plan, ckp_diag_list *diag)
{
    if (!plan) return CKP_EUSAGE;
    /* Without a list the result is still computed (and discarded). */
    ckp_diag_list local;
    ckp_diag_list_init(&local);
    if (!diag) diag = &local;
    chk c;
    memset(&c, 0, sizeof c);
    c.plan = plan;
    c.diag = diag;
    c.file = plan->path;
    c.oom = CKP_OK;
    c.hint_work = HINT_WORK;
    int errors_before = diag->n_errors;
    year_ix *scratch = NULL;

    /* Stamp array: per-record duplicate checks over commodities,
     * resources, and (two halves) projects. */
    int ns = plan->n_commodities;
    if (plan->n_resources > ns) ns = plan->n_resources;
    if (2 * plan->n_projects > ns) ns = 2 * plan->n_projects;
    c.stamp = ckp_calloc((size_t)ns + 1, sizeof *c.stamp);
    scratch = ckp_malloc(((size_t)max_year_values(plan) + 1) * sizeof *scratch);
    if (!c.stamp || !scratch) goto oom;

    if (plan->first_year > plan->last_year)
        ERR(&c, plan->line, "horizon",
            "plan: horizon first year %d is after last year %d",
            plan->first_year, plan->last_year);
    else if (plan->first_year < YEAR_MIN || plan->last_year > YEAR_MAX)
        ERR(&c, plan->line, "horizon",
            "plan: horizon %d-%d is outside the calendar years %d-%d",
            plan->first_year, plan->last_year, YEAR_MIN, YEAR_MAX);
    else if ((long)plan->last_year - plan->first_year + 1 > HORIZON_MAX_YEARS)
        ERR(&c, plan->line, "horizon",
            "plan: horizon %d-%d spans %ld years, more than %d",
            plan->first_year, plan->last_year,
            (long)plan->last_year - plan->first_year + 1, HORIZON_MAX_YEARS);
    else
        c.horizon_ok = 1;

    if (build_maps(&c)) goto oom;
    check_countries(&c);
    check_commodities(&c, scratch);
    check_facilities(&c);
    check_sites(&c);
    for (int i = 0; i < plan->n_projects; i++) chk_project(&c, i);
    for (int i = 0; i < plan->n_upgrades; i++) chk_upgrade(&c, &plan->upgrades[i]);
    chk_stockpiles(&c);
    chk_additionality(&c);
    chk_feeds(&c);
    chk_budget_objective(&c, scratch);
    if (chk_scenarios(&c)) goto oom;
    if (c.oom) goto done;
    if (chk_cycles(&c)) goto oom;
    if (chk_producible(&c)) goto oom;
    if (chk_infrastructure(&c)) goto oom;
    if (chk_affordable(&c)) goto oom;
    goto done;

oom:
    c.oom = CKP_ENOMEM;
done:
    for (int k = 0; k < K_N; k++) chk_idmap_fini(&c.map[k]);
    ckp_free(c.stamp);
    ckp_free(scratch);
    presort(diag);
    ckp_diag_sort(diag);
    ckp_status rc = CKP_OK;
    if (c.oom) rc = CKP_ENOMEM;
    else if (diag->n_errors > errors_before) rc = CKP_EINVALID;
    ckp_diag_list_fini(&local);
    return rc;
}

