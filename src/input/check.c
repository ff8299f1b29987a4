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
 * per-record rules -> cross-record rules (cycles, producibility) -> sort. */
#include "ckp/check.h"

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/hint.h"
#include "util/alloc.h"

/* Tolerance on the sum of a disbursement schedule. */
#define SCHEDULE_TOL 1e-6

/* Bounds that keep year arithmetic (start + permit + build years) far
 * from int overflow and the model's size sane; documented in
 * docs/diagnostics.md. */
#define YEAR_MIN 1
#define YEAR_MAX 9999
#define HORIZON_MAX_YEARS 200
#define DURATION_MAX 100

/* Longest requires / made-from chain spelled out in a message. */
#define CHAIN_MAX 480

/* ------------------------------------------------------------------ */
/* Id maps: open addressing, keys borrowed from the plan.              */

typedef struct idmap {
    const char **keys;
    int *vals;
    size_t mask; /* capacity - 1, capacity a power of two */
} idmap;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

static int idmap_init(idmap *m, int n)
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

static void idmap_fini(idmap *m)
{
    ckp_free(m->keys);
    ckp_free(m->vals);
    m->keys = NULL;
    m->vals = NULL;
}

static int idmap_find(const idmap *m, const char *key)
{
    if (!key || !m->keys) return -1;
    for (size_t i = hash_str(key) & m->mask;; i = (i + 1) & m->mask) {
        if (!m->keys[i]) return -1;
        if (strcmp(m->keys[i], key) == 0) return m->vals[i];
    }
}

/* Insert key -> val unless present; returns the existing value or -1.
 * The map is sized for every key up front, so it never fills. */
static int idmap_put(idmap *m, const char *key, int val)
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

enum kind {
    K_COUNTRY = 0,
    K_STAGE,
    K_COMMODITY,
    K_FACILITY,
    K_RESOURCE,
    K_SITE,
    K_PROJECT,
    K_UPGRADE,
    K_STOCKPILE,
    K_SCENARIO,
    K_N
};

static const char *const kind_name[K_N] = {
    "country", "stage", "commodity", "facility",
    "resource", "site", "project", "upgrade", "stockpile", "scenario"};

typedef struct chk {
    ckp_plan *plan;
    ckp_diag_list *diag;
    const char *file;
    ckp_status oom;   /* CKP_ENOMEM once anything could not be stored */
    int horizon_ok;   /* horizon valid: year rules make sense */
    idmap map[K_N];
    int *stamp;       /* scratch, size max(n_commodities, n_resources, n_projects) */
    int stamp_n;
    long hint_work;   /* id comparisons left for "did you mean" hints */
} chk;

static void report(chk *c, ckp_severity sev, int line, const char *code,
                   const char *fmt, ...) CKP_PRINTF(5, 6);

static void report(chk *c, ckp_severity sev, int line, const char *code,
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

#define ERR(c, line, code, ...) report((c), CKP_SEV_ERROR, (line), (code), __VA_ARGS__)
#define WARN(c, line, code, ...) report((c), CKP_SEV_WARNING, (line), (code), __VA_ARGS__)

static const char *str_or(const char *s, const char *dflt) { return s ? s : dflt; }

/* Line of a reference, falling back to its record's line. */
static int ref_line(const ckp_ref *r, int rec_line)
{
    return r->line > 0 ? r->line : rec_line;
}

/* Fresh stamp value for a per-record duplicate check. */
static int next_stamp(chk *c) { return ++c->stamp_n; }

/* ------------------------------------------------------------------ */
/* Numbers.                                                            */

enum {
    NUM_NONNEG = 1,    /* must be >= 0 */
    NUM_UNIT = 2,      /* must lie in [0,1] (code given separately) */
    NUM_ALLOW_INF = 4, /* +INFINITY means "none" */
    NUM_ALLOW_NAN = 8, /* NAN means "not given" */
    /* magnitude classes (at most one): the sane range of a non-zero value */
    NUM_TONNES = 16,   /* t or t/yr */
    NUM_MONEY = 32,    /* millions of the plan currency */
    NUM_RATIO = 64,    /* t/t */
    NUM_AMOUNT = 128,  /* infrastructure amount, the resource's unit */
    NUM_PRICE = 256,   /* plan currency per tonne */
    NUM_FACTOR = 512,  /* commodity weight, demand scale */
    NUM_PENALTY = 1024, /* shortage penalty (the CLI's bound too) */
    NUM_CLASSES = NUM_TONNES | NUM_MONEY | NUM_RATIO | NUM_AMOUNT | NUM_PRICE |
                  NUM_FACTOR | NUM_PENALTY
};

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
static int check_num(chk *c, int line, const char *who, const char *attr,
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
static void check_duration(chk *c, int line, const char *who,
                             const char *attr, int v)
{
    if (v < 0)
        ERR(c, line, "negative-value", "%s: %s %d is negative", who, attr, v);
    else if (v > DURATION_MAX)
        ERR(c, line, "duration-range", "%s: %s %d is more than %d years", who,
            attr, v, DURATION_MAX);
}

static int in_horizon(const chk *c, int year)
{
    return year >= c->plan->first_year && year <= c->plan->last_year;
}

static void check_year(chk *c, int line, const char *who, const char *attr,
                       int year)
{
    if (!c->horizon_ok || in_horizon(c, year)) return;
    ERR(c, line, "year-outside-horizon",
        "%s: %s %d is outside the horizon %d-%d", who, attr, year,
        c->plan->first_year, c->plan->last_year);
}

/* A schedule of shares: each in [0,1], summing to 1. */
static void check_schedule(chk *c, int line, const char *who,
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
typedef struct year_ix {
    int year;
    int ix;
} year_ix;

static int cmp_year_ix(const void *a, const void *b)
{
    const year_ix *x = a, *y = b;
    if (x->year != y->year) return x->year < y->year ? -1 : 1;
    return x->ix < y->ix ? -1 : x->ix > y->ix;
}

static void check_year_values(chk *c, const char *who, const char *elem,
                              const char *vattr, int vclass,
                              const ckp_year_value *v, int n, year_ix *idx)
{
    for (int i = 0; i < n; i++) {
        char what[64];
        snprintf(what, sizeof what, "%s year", elem);
        check_year(c, v[i].line, who, what, v[i].year);
        char attr[64];
        snprintf(attr, sizeof attr, "%s %d %s", elem, v[i].year, vattr);
        check_num(c, v[i].line, who, attr, v[i].value, NUM_NONNEG | vclass, NULL);
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
        if (idmap_init(&c->map[k], n)) return -1;
        for (int i = 0; i < n; i++) {
            const char *id = rec_id(p, k, i);
            int line = rec_line(p, k, i);
            if (!id || !*id) {
                ERR(c, line, "missing-id", "%s (entry %d) has no id", kind_name[k],
                    i + 1);
                continue;
            }
            int prev = idmap_put(&c->map[k], id, i);
            if (prev >= 0)
                ERR(c, line, "duplicate-id",
                    "%s '%s': duplicate id (first defined at line %d)",
                    kind_name[k], id, rec_line(p, k, prev));
        }
    }
    /* Producers (facilities then projects) share one namespace in the
     * model's column names and in reports. */
    for (int i = 0; i < p->n_projects; i++) {
        const ckp_project *q = &p->projects[i];
        int f = idmap_find(&c->map[K_FACILITY], q->id);
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
static int resolve(chk *c, ckp_ref *r, int k, int rec_ln, const char *who,
                   const char *attr, int required)
{
    r->ix = -1;
    int line = ref_line(r, rec_ln);
    if (!r->id) {
        if (required)
            ERR(c, line, "missing-ref", "%s: %s is missing", who, attr);
        return -1;
    }
    r->ix = idmap_find(&c->map[k], r->id);
    if (r->ix < 0) {
        /* attr names the kind when it ends with it ("site", "input
         * commodity"); otherwise say which kind was looked for. */
        size_t la = strlen(attr), lk = strlen(kind_name[k]);
        int names_kind = la >= lk && strcmp(attr + la - lk, kind_name[k]) == 0;
        char hint[200];
        hint_for(c, k, r->id, hint, sizeof hint);
        if (names_kind)
            ERR(c, line, "unknown-ref", "%s: %s '%s' is not defined%s", who,
                attr, r->id, hint);
        else
            ERR(c, line, "unknown-ref", "%s: %s '%s' is not a defined %s%s", who,
                attr, r->id, kind_name[k], hint);
    }
    return r->ix;
}

/* ------------------------------------------------------------------ */
/* Per-record rules.                                                   */

static void who_of(char *buf, size_t n, const char *kind, const char *id)
{
    snprintf(buf, n, "%s '%s'", kind, str_or(id, "?"));
}

/* Inputs per tonne (facility / project), or made-from recipe entries. */
static void check_ratios(chk *c, const char *who, int rec_ln, ckp_ratio *r,
                         int n, const char *attr, const ckp_ref *output)
{
    int st = next_stamp(c);
    for (int i = 0; i < n; i++) {
        int line = r[i].line > 0 ? r[i].line : rec_ln;
        int ix = resolve(c, &r[i].commodity, K_COMMODITY, line, who, attr, 1);
        char a[96];
        snprintf(a, sizeof a, "%s '%s' per-tonne", attr,
                 str_or(r[i].commodity.id, "?"));
        check_num(c, line, who, a, r[i].per_tonne, NUM_NONNEG | NUM_RATIO, NULL);
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

static void check_amounts(chk *c, const char *who, int rec_ln, ckp_amount *a,
                          int n, const char *attr)
{
    int st = next_stamp(c);
    for (int i = 0; i < n; i++) {
        int line = a[i].line > 0 ? a[i].line : rec_ln;
        int ix = resolve(c, &a[i].resource, K_RESOURCE, line, who, attr, 1);
        char an[96];
        snprintf(an, sizeof an, "%s '%s' amount", attr,
                 str_or(a[i].resource.id, "?"));
        check_num(c, line, who, an, a[i].amount, NUM_NONNEG | NUM_AMOUNT, NULL);
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
        who_of(who, sizeof who, "country", k->id);
        check_num(c, k->line, who, "risk", k->risk, NUM_UNIT, "risk-range");
    }
}

static void check_commodities(chk *c, year_ix *scratch)
{
    for (int i = 0; i < c->plan->n_commodities; i++) {
        ckp_commodity *k = &c->plan->commodities[i];
        char who[300];
        who_of(who, sizeof who, "commodity", k->id);
        resolve(c, &k->stage, K_STAGE, k->line, who, "stage", 1);
        check_num(c, k->line, who, "weight", k->weight, NUM_NONNEG | NUM_FACTOR,
                  NULL);
        check_year_values(c, who, "demand", "tonnes", NUM_TONNES, k->demand,
                          k->n_demand, scratch);
        /* A made-from entry naming the commodity itself is reported by
         * the recipe-cycle pass. */
        check_ratios(c, who, k->line, k->made_from, k->n_made_from,
                     "made-from commodity", NULL);
    }
}

static void check_facilities(chk *c)
{
    for (int i = 0; i < c->plan->n_facilities; i++) {
        ckp_facility *f = &c->plan->facilities[i];
        char who[300];
        who_of(who, sizeof who, "facility", f->id);
        resolve(c, &f->country, K_COUNTRY, f->line, who, "country", 1);
        resolve(c, &f->output, K_COMMODITY, f->line, who, "output", 1);
        check_num(c, f->line, who, "capacity", f->capacity,
                  NUM_NONNEG | NUM_TONNES, NULL);
        check_num(c, f->line, who, "available", f->available, NUM_UNIT,
                  "available-range");
        check_ratios(c, who, f->line, f->inputs, f->n_inputs, "input commodity",
                     &f->output);
    }
}

static void check_sites(chk *c)
{
    for (int i = 0; i < c->plan->n_sites; i++) {
        ckp_site *s = &c->plan->sites[i];
        char who[300];
        who_of(who, sizeof who, "site", s->id);
        resolve(c, &s->country, K_COUNTRY, s->line, who, "country", 1);
        check_amounts(c, who, s->line, s->capacity, s->n_capacity,
                      "capacity resource");
    }
}

/* Start window shared by projects and upgrades: earliest/latest in the
 * horizon, earliest <= latest.  Returns 1 when the window is usable for
 * the never-online rule. */
static int check_window(chk *c, int line, const char *who, int earliest,
                        int latest)
{
    check_year(c, line, who, "earliest-start", earliest);
    check_year(c, line, who, "latest-start", latest);
    if (earliest > latest) {
        ERR(c, line, "start-window",
            "%s: earliest-start %d is after latest-start %d", who, earliest,
            latest);
        return 0;
    }
    return c->horizon_ok && earliest <= c->plan->last_year;
}

static void check_refs_list(chk *c, const char *who, int rec_ln, int self,
                            ckp_ref *r, int n, const char *attr, int *mark,
                            int st)
{
    for (int k = 0; k < n; k++) {
        int line = ref_line(&r[k], rec_ln);
        int ix = resolve(c, &r[k], K_PROJECT, line, who, attr, 1);
        if (ix < 0) continue;
        if (ix == self) {
            ERR(c, line, "self-reference", "%s: %s '%s' names the project itself",
                who, attr, r[k].id);
            continue;
        }
        if (mark[ix] == st)
            ERR(c, line, "duplicate-entry", "%s: %s '%s' is given twice", who,
                attr, r[k].id);
        mark[ix] = st;
    }
}

static void check_project(chk *c, int pi)
{
    const ckp_plan *p = c->plan;
    ckp_project *q = &c->plan->projects[pi];
    char who[300];
    who_of(who, sizeof who, "project", q->id);

    /* references */
    int stage = resolve(c, &q->stage, K_STAGE, q->line, who, "stage", 0);
    int site = resolve(c, &q->site, K_SITE, q->line, who, "site", 0);
    int country = resolve(c, &q->country, K_COUNTRY, q->line, who, "country", 0);
    int out = resolve(c, &q->output, K_COMMODITY, q->line, who, "output", 1);

    if (!q->site.id && !q->country.id)
        ERR(c, q->line, "no-location",
            "%s: neither site nor country is given, so its risk is unknown", who);
    if (site >= 0 && country >= 0) {
        int sc = p->sites[site].country.ix;
        if (sc >= 0 && sc != country)
            ERR(c, ref_line(&q->country, q->line), "country-mismatch",
                "%s: country '%s' differs from country '%s' of site '%s'", who,
                q->country.id, p->sites[site].country.id, q->site.id);
    }
    if (stage >= 0 && out >= 0) {
        int os = p->commodities[out].stage.ix;
        if (os >= 0 && os != stage)
            ERR(c, ref_line(&q->stage, q->line), "stage-mismatch",
                "%s: stage '%s' differs from stage '%s' of its output '%s'", who,
                q->stage.id, p->commodities[out].stage.id, q->output.id);
    }

    check_ratios(c, who, q->line, q->inputs, q->n_inputs, "input commodity",
                 &q->output);
    check_amounts(c, who, q->line, q->needs, q->n_needs, "needs resource");
    if (q->n_needs > 0 && !q->site.id)
        WARN(c, q->line, "needs-without-site",
             "%s: needs resource '%s' but has no site, so its infrastructure "
             "needs are ignored", who, str_or(q->needs[0].resource.id, "?"));

    /* requires / excludes: stamps on two halves of the scratch array */
    int st = next_stamp(c);
    int *req_mark = c->stamp;
    int *exc_mark = c->stamp + p->n_projects;
    check_refs_list(c, who, q->line, pi, q->requires, q->n_requires,
                    "requires project", req_mark, st);
    check_refs_list(c, who, q->line, pi, q->excludes, q->n_excludes,
                    "excludes project", exc_mark, st);
    for (int k = 0; k < q->n_excludes; k++) {
        int ix = q->excludes[k].ix;
        if (ix >= 0 && ix != pi && req_mark[ix] == st)
            ERR(c, ref_line(&q->excludes[k], q->line), "requires-excludes",
                "%s: both requires and excludes project '%s', so it can never "
                "be funded", who, q->excludes[k].id);
    }

    /* numbers */
    if (check_num(c, q->line, who, "capacity", q->capacity,
                  NUM_NONNEG | NUM_TONNES, NULL) &&
        q->capacity == 0)
        WARN(c, q->line, "zero-capacity",
             "%s: capacity is 0, so funding it adds no supply", who);
    int capex_ok = check_num(c, q->line, who, "capex", q->capex,
                             NUM_NONNEG | NUM_MONEY, NULL);
    check_duration(c, q->line, who, "permit-years", q->permit_years);
    check_duration(c, q->line, who, "build-years", q->build_years);
    if (q->permit == CKP_PERMIT_GRANTED && q->permit_years > 0)
        WARN(c, q->line, "permit-years-ignored",
             "%s: permit-years %d is ignored because the permit is granted",
             who, q->permit_years);
    for (int k = 0; k < q->n_ramp; k++) {
        if (!isfinite(q->ramp[k]))
            ERR(c, q->line, "non-finite",
                "%s: ramp value %g (entry %d) is not a finite number", who,
                q->ramp[k], k + 1);
        else if (q->ramp[k] < 0 || q->ramp[k] > 1)
            ERR(c, q->line, "ramp-range",
                "%s: ramp value %.10g (entry %d) is outside [0,1]", who,
                q->ramp[k], k + 1);
    }
    check_num(c, q->line, who, "breakeven", q->breakeven,
              NUM_NONNEG | NUM_ALLOW_NAN | NUM_PRICE, NULL);
    if (q->breakeven_of.id) {
        resolve(c, &q->breakeven_of, K_COMMODITY, q->line, who,
                "breakeven-of", 0);
        if (isnan(q->breakeven))
            WARN(c, ref_line(&q->breakeven_of, q->line), "breakeven-of-ignored",
                 "%s: breakeven-of '%s' is ignored because no breakeven is "
                 "given", who, q->breakeven_of.id);
    } else {
        q->breakeven_of.ix = -1;
    }

    /* timing */
    int window_ok = check_window(c, q->line, who, q->earliest_start,
                                 q->latest_start);
    if (window_ok && q->permit_years >= 0 && q->permit_years <= DURATION_MAX &&
        q->build_years >= 0 && q->build_years <= DURATION_MAX) {
        int start = q->earliest_start > p->first_year ? q->earliest_start
                                                      : p->first_year;
        int permit = q->permit == CKP_PERMIT_PENDING ? q->permit_years : 0;
        long online = (long)start + permit + q->build_years;
        if (online > p->last_year)
            WARN(c, q->line, "never-online",
                 "%s: can never come online within the horizon: earliest "
                 "start %d + %d permit years + %d build years = %ld, after "
                 "the last year %d",
                 who, start, permit, q->build_years, online, p->last_year);
        else if (start > q->latest_start)
            WARN(c, q->line, "never-online",
                 "%s: can never start within the horizon: latest-start %d is "
                 "before the first year %d",
                 who, q->latest_start, p->first_year);
    }

    /* financing options (a committed project needs none) */
    if (q->n_options == 0 && !q->committed)
        ERR(c, q->line, "no-options",
            "%s: has no financing option, so it can never be funded", who);
    idmap om;
    if (q->n_options > 1 && idmap_init(&om, q->n_options)) {
        c->oom = CKP_ENOMEM;
        return;
    }
    for (int o = 0; o < q->n_options; o++) {
        const ckp_option *op = &q->options[o];
        int line = op->line > 0 ? op->line : q->line;
        char owho[620];
        snprintf(owho, sizeof owho, "%s: option '%s'", who, str_or(op->id, "?"));
        if (!op->id || !*op->id) {
            ERR(c, line, "missing-id", "%s: option (entry %d) has no id", who,
                o + 1);
        } else if (q->n_options > 1) {
            int prev = idmap_put(&om, op->id, o);
            if (prev >= 0)
                ERR(c, line, "duplicate-id",
                    "%s: duplicate id (first defined at line %d)", owho,
                    q->options[prev].line);
        }
        if (check_num(c, line, owho, "commitment", op->commitment,
                      NUM_NONNEG | NUM_MONEY, NULL) &&
            capex_ok && op->commitment > q->capex)
            WARN(c, line, "commitment-exceeds-capex",
                 "%s: commitment %.10g exceeds the project's capex %.10g", owho,
                 op->commitment, q->capex);
        check_schedule(c, line, owho, op->schedule, op->n_schedule);
    }
    if (q->n_options > 1) idmap_fini(&om);
}

static void check_upgrade(chk *c, ckp_upgrade *u)
{
    const ckp_plan *p = c->plan;
    char who[300];
    who_of(who, sizeof who, "upgrade", u->id);
    resolve(c, &u->site, K_SITE, u->line, who, "site", 1);
    resolve(c, &u->resource, K_RESOURCE, u->line, who, "resource", 1);
    check_num(c, u->line, who, "amount", u->amount, NUM_NONNEG | NUM_AMOUNT,
              NULL);
    check_num(c, u->line, who, "cost", u->cost, NUM_NONNEG | NUM_MONEY, NULL);
    check_duration(c, u->line, who, "build-years", u->build_years);
    check_schedule(c, u->line, who, u->schedule, u->n_schedule);
    int window_ok = check_window(c, u->line, who, u->earliest_start,
                                 u->latest_start);
    if (window_ok && u->build_years >= 0 && u->build_years <= DURATION_MAX) {
        int start = u->earliest_start > p->first_year ? u->earliest_start
                                                      : p->first_year;
        long online = (long)start + u->build_years;
        if (online > p->last_year)
            WARN(c, u->line, "never-online",
                 "%s: can never come online within the horizon: earliest "
                 "start %d + %d build years = %ld, after the last year %d",
                 who, start, u->build_years, online, p->last_year);
        else if (start > u->latest_start)
            WARN(c, u->line, "never-online",
                 "%s: can never start within the horizon: latest-start %d is "
                 "before the first year %d",
                 who, u->latest_start, p->first_year);
    }
}

static void check_budget_objective(chk *c, year_ix *scratch)
{
    ckp_plan *p = c->plan;
    int bl = p->budget.line > 0 ? p->budget.line : p->line;
    check_num(c, bl, "budget", "total", p->budget.total,
              NUM_NONNEG | NUM_ALLOW_INF | NUM_MONEY, NULL);
    check_year_values(c, "budget", "limit", "amount", NUM_MONEY,
                      p->budget.limits, p->budget.n_limits, scratch);

    double pen = p->objective.shortage_penalty;
    int ol = p->objective.line > 0 ? p->objective.line : p->line;
    if (check_num(c, ol, "objective", "shortage-penalty", pen,
                  NUM_NONNEG | NUM_PENALTY, NULL) &&
        pen <= 1)
        ERR(c, ol, "shortage-penalty",
            "objective: shortage-penalty %.10g must be greater than 1: a tonne "
            "of shortage would otherwise cost no more than a tonne bought from "
            "the chokepoint (risk 1), and the optimum could leave demand "
            "unmet instead of reducing exposure",
            pen);
}

/* ------------------------------------------------------------------ */
/* Stockpiles and scenarios.                                           */

/* Tolerance on the sum of the scenario probabilities. */
#define PROBABILITY_TOL 1e-6

static void check_stockpiles(chk *c)
{
    for (int i = 0; i < c->plan->n_stockpiles; i++) {
        ckp_stockpile *s = &c->plan->stockpiles[i];
        char who[300];
        who_of(who, sizeof who, "stockpile", s->id);
        resolve(c, &s->commodity, K_COMMODITY, s->line, who, "commodity", 1);
        check_num(c, s->line, who, "tonnes", s->tonnes, NUM_NONNEG | NUM_TONNES,
                  NULL);
        check_num(c, s->line, who, "release", s->release,
                  NUM_NONNEG | NUM_TONNES, NULL);
        check_num(c, s->line, who, "cost", s->cost, NUM_NONNEG | NUM_MONEY, NULL);
        check_year(c, s->line, who, "year", s->year);
    }
}

/* A price entry of one scenario, for the overlap check. */
typedef struct price_ix {
    int commodity;
    int from, to;
    int ix; /* index in the scenario's changes */
} price_ix;

static int cmp_price_ix(const void *a, const void *b)
{
    const price_ix *x = a, *y = b;
    if (x->commodity != y->commodity) return x->commodity < y->commodity ? -1 : 1;
    if (x->from != y->from) return x->from < y->from ? -1 : 1;
    return x->ix < y->ix ? -1 : x->ix > y->ix;
}

/* Commodities some project's breakeven is quoted in (its breakeven-of,
 * else its output); NULL when out of memory. */
static unsigned char *breakeven_commodities(const ckp_plan *p)
{
    unsigned char *m = ckp_calloc((size_t)p->n_commodities + 1, 1);
    if (!m) return NULL;
    for (int i = 0; i < p->n_projects; i++) {
        const ckp_project *q = &p->projects[i];
        if (isnan(q->breakeven)) continue;
        int k = q->breakeven_of.id ? q->breakeven_of.ix : q->output.ix;
        if (k >= 0) m[k] = 1;
    }
    return m;
}

/* One entry of scenario `who`: references, years, value.  Returns 1 when
 * its years are usable for the overlap check. */
static int check_change(chk *c, const char *who, int sc_line, ckp_change *e)
{
    const char *el = ckp_change_str(e->kind);
    int line = e->line > 0 ? e->line : sc_line;
    char attr[96];
    snprintf(attr, sizeof attr, "%s country", el);
    if (e->kind == CKP_CHANGE_EXPORT)
        resolve(c, &e->country, K_COUNTRY, line, who, attr, 1);
    else
        e->country.ix = -1;
    snprintf(attr, sizeof attr, "%s commodity", el);
    resolve(c, &e->commodity, K_COMMODITY, line, who, attr,
            e->kind == CKP_CHANGE_PRICE);

    snprintf(attr, sizeof attr, "%s from", el);
    check_year(c, line, who, attr, e->from);
    snprintf(attr, sizeof attr, "%s to", el);
    check_year(c, line, who, attr, e->to);
    int years_ok = 1;
    if (e->from > e->to) {
        ERR(c, line, "from-after-to", "%s: %s from %d is after to %d", who, el,
            e->from, e->to);
        years_ok = 0;
    }

    switch (e->kind) {
    case CKP_CHANGE_EXPORT:
        snprintf(attr, sizeof attr, "%s scale", el);
        check_num(c, line, who, attr, e->value, NUM_UNIT, "scale-range");
        break;
    case CKP_CHANGE_PRICE:
        /* element and attribute share the name */
        check_num(c, line, who, "price", e->value, NUM_NONNEG | NUM_PRICE,
                  NULL);
        break;
    case CKP_CHANGE_DEMAND:
        snprintf(attr, sizeof attr, "%s scale", el);
        check_num(c, line, who, attr, e->value, NUM_NONNEG | NUM_FACTOR, NULL);
        break;
    }
    return years_ok;
}

/* Price entries of one commodity whose years overlap; idx is scratch of
 * the scenario's n_changes entries. */
static void check_price_overlap(chk *c, const char *who, const ckp_scenario *s,
                                const unsigned char *usable, price_ix *idx)
{
    int n = 0;
    for (int i = 0; i < s->n_changes; i++) {
        const ckp_change *e = &s->changes[i];
        if (e->kind != CKP_CHANGE_PRICE || e->commodity.ix < 0 || !usable[i])
            continue;
        idx[n].commodity = e->commodity.ix;
        idx[n].from = e->from;
        idx[n].to = e->to;
        idx[n].ix = i;
        n++;
    }
    if (n < 2) return;
    qsort(idx, (size_t)n, sizeof *idx, cmp_price_ix);
    int reach = 0; /* entry of this commodity reaching furthest so far */
    for (int i = 1; i < n; i++) {
        if (idx[i].commodity != idx[reach].commodity) {
            reach = i;
            continue;
        }
        if (idx[i].from <= idx[reach].to) {
            /* reported at the entry written later, naming the earlier */
            const ckp_change *a = &s->changes[idx[reach].ix];
            const ckp_change *b = &s->changes[idx[i].ix];
            if (idx[i].ix < idx[reach].ix) {
                const ckp_change *t = a;
                a = b;
                b = t;
            }
            ERR(c, b->line > 0 ? b->line : s->line, "price-overlap",
                "%s: price of commodity '%s' for %d-%d overlaps the price "
                "at line %d (%d-%d); one commodity has one price a year",
                who, b->commodity.id, b->from, b->to,
                a->line > 0 ? a->line : s->line, a->from, a->to);
        }
        if (idx[i].to > idx[reach].to) reach = i;
    }
}

static int check_scenarios(chk *c)
{
    ckp_plan *p = c->plan;
    if (p->n_scenarios == 0) return 0;
    int most = 1;
    for (int i = 0; i < p->n_scenarios; i++)
        if (p->scenarios[i].n_changes > most) most = p->scenarios[i].n_changes;
    price_ix *idx = ckp_malloc((size_t)most * sizeof *idx);
    unsigned char *usable = ckp_malloc((size_t)most);
    unsigned char *quoted = breakeven_commodities(p);
    if (!idx || !usable || !quoted) {
        ckp_free(idx);
        ckp_free(usable);
        ckp_free(quoted);
        return -1;
    }

    double sum = 0;
    int sum_ok = 1;
    for (int i = 0; i < p->n_scenarios; i++) {
        ckp_scenario *s = &p->scenarios[i];
        char who[300];
        who_of(who, sizeof who, "scenario", s->id);
        double pr = s->probability;
        if (!isfinite(pr)) {
            ERR(c, s->line, "non-finite", "%s: probability %g is not a finite "
                "number", who, pr);
            sum_ok = 0;
        } else if (!(pr > 0 && pr <= 1)) {
            ERR(c, s->line, "bad-probability",
                "%s: probability %.10g is outside (0,1]", who, pr);
            sum_ok = 0;
        } else {
            sum += pr;
        }
        int st = next_stamp(c);
        for (int k = 0; k < s->n_changes; k++) {
            ckp_change *e = &s->changes[k];
            usable[k] = (unsigned char)check_change(c, who, s->line, e);
            int ix = e->commodity.ix;
            if (e->kind != CKP_CHANGE_PRICE || ix < 0 || quoted[ix] ||
                c->stamp[ix] == st)
                continue;
            c->stamp[ix] = st;
            WARN(c, e->line > 0 ? e->line : s->line, "price-unused",
                 "%s: price of commodity '%s' is set, but no project's "
                 "breakeven is quoted in it (breakeven-of, or the output "
                 "when absent), so it changes nothing",
                 who, e->commodity.id);
        }
        check_price_overlap(c, who, s, usable, idx);
    }
    if (sum_ok && fabs(sum - 1.0) > PROBABILITY_TOL)
        ERR(c, p->scenarios[0].line, "probability-sum",
            "scenarios: probabilities sum to %.10g, not 1 (tolerance 1e-6)",
            sum);
    ckp_free(idx);
    ckp_free(usable);
    ckp_free(quoted);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Cycles: iterative depth-first search over a CSR graph.              */

typedef struct graph {
    int n;
    int *off;   /* n + 1 */
    int *to;    /* off[n] edges */
    int *eline; /* line of the element holding each edge */
} graph;

static void graph_fini(graph *g)
{
    ckp_free(g->off);
    ckp_free(g->to);
    ckp_free(g->eline);
}

static int graph_alloc(graph *g, int n, int m)
{
    g->n = n;
    g->off = ckp_calloc((size_t)n + 1, sizeof *g->off);
    g->to = ckp_malloc((size_t)(m > 0 ? m : 1) * sizeof *g->to);
    g->eline = ckp_malloc((size_t)(m > 0 ? m : 1) * sizeof *g->eline);
    if (!g->off || !g->to || !g->eline) {
        graph_fini(g);
        return -1;
    }
    return 0;
}

/* Requires edges p -> q (resolved, not self). */
static int graph_requires(const ckp_plan *p, graph *g)
{
    int m = 0;
    for (int i = 0; i < p->n_projects; i++) m += p->projects[i].n_requires;
    if (graph_alloc(g, p->n_projects, m)) return -1;
    int e = 0;
    for (int i = 0; i < p->n_projects; i++) {
        const ckp_project *q = &p->projects[i];
        g->off[i] = e;
        for (int k = 0; k < q->n_requires; k++) {
            int t = q->requires[k].ix;
            if (t < 0 || t == i) continue;
            g->to[e] = t;
            g->eline[e++] = ref_line(&q->requires[k], q->line);
        }
    }
    g->off[p->n_projects] = e;
    return 0;
}

/* Made-from edges c -> input commodity (resolved, self loops kept). */
static int graph_recipes(const ckp_plan *p, graph *g)
{
    int m = 0;
    for (int i = 0; i < p->n_commodities; i++) m += p->commodities[i].n_made_from;
    if (graph_alloc(g, p->n_commodities, m)) return -1;
    int e = 0;
    for (int i = 0; i < p->n_commodities; i++) {
        const ckp_commodity *k = &p->commodities[i];
        g->off[i] = e;
        for (int j = 0; j < k->n_made_from; j++) {
            int t = k->made_from[j].commodity.ix;
            if (t < 0) continue;
            g->to[e] = t;
            g->eline[e++] = k->made_from[j].line > 0 ? k->made_from[j].line
                                                     : k->line;
        }
    }
    g->off[p->n_commodities] = e;
    return 0;
}

/* Append "a -> b -> ... -> a" for the chain nodes[0..n-1] closed back to
 * nodes[0]; long chains are elided in the middle. */
static void chain_text(char *buf, size_t size, const int *nodes, int n,
                       const char *(*name)(const ckp_plan *, int),
                       const ckp_plan *p)
{
    size_t len = 0;
    buf[0] = '\0';
    for (int i = 0; i <= n; i++) {
        const char *id = name(p, nodes[i < n ? i : 0]);
        const char *sep = i ? " -> " : "";
        if (i < n && len + strlen(id) + 32 > CHAIN_MAX && i > 0) {
            len += (size_t)snprintf(buf + len, size - len, " -> ...");
            i = n - 1; /* jump to the closing name */
            continue;
        }
        int w = snprintf(buf + len, size - len, "%s%s", sep, id);
        if (w < 0 || (size_t)w >= size - len) break;
        len += (size_t)w;
    }
}

static const char *project_name(const ckp_plan *p, int i)
{
    return str_or(p->projects[i].id, "?");
}

static const char *commodity_name(const ckp_plan *p, int i)
{
    return str_or(p->commodities[i].id, "?");
}

/* Report one diagnostic per back edge: every cycle is named once, by the
 * chain the search found it on. */
static int find_cycles(chk *c, const graph *g, int is_requires)
{
    int n = g->n;
    if (n == 0) return 0;
    int *state = ckp_calloc((size_t)n, sizeof *state); /* 0 new, 1 open, 2 done */
    int *depth = ckp_malloc((size_t)n * sizeof *depth);
    int *stack = ckp_malloc((size_t)n * sizeof *stack);
    int *pos = ckp_malloc((size_t)n * sizeof *pos);
    if (!state || !depth || !stack || !pos) {
        ckp_free(state);
        ckp_free(depth);
        ckp_free(stack);
        ckp_free(pos);
        return -1;
    }
    char chain[CHAIN_MAX + 64];
    for (int root = 0; root < n; root++) {
        if (state[root]) continue;
        int sp = 0;
        stack[sp] = root;
        depth[root] = sp++;
        pos[root] = g->off[root];
        state[root] = 1;
        while (sp > 0) {
            int v = stack[sp - 1];
            if (pos[v] < g->off[v + 1]) {
                int e = pos[v]++;
                int w = g->to[e];
                if (state[w] == 0) {
                    state[w] = 1;
                    depth[w] = sp;
                    pos[w] = g->off[w];
                    stack[sp++] = w;
                } else if (state[w] == 1) {
                    const int *cyc = stack + depth[w];
                    int len = sp - depth[w];
                    if (is_requires) {
                        chain_text(chain, sizeof chain, cyc, len, project_name,
                                   c->plan);
                        ERR(c, g->eline[e], "requires-cycle",
                            "project '%s': requires project '%s' closes the "
                            "cycle %s",
                            project_name(c->plan, v), project_name(c->plan, w),
                            chain);
                    } else if (v == w) {
                        ERR(c, g->eline[e], "recipe-cycle",
                            "commodity '%s': made-from commodity '%s' is the "
                            "commodity itself",
                            commodity_name(c->plan, v), commodity_name(c->plan, w));
                    } else {
                        chain_text(chain, sizeof chain, cyc, len,
                                   commodity_name, c->plan);
                        ERR(c, g->eline[e], "recipe-cycle",
                            "commodity '%s': made-from commodity '%s' closes "
                            "the cycle %s",
                            commodity_name(c->plan, v), commodity_name(c->plan, w),
                            chain);
                    }
                }
            } else {
                state[v] = 2;
                sp--;
            }
        }
    }
    ckp_free(state);
    ckp_free(depth);
    ckp_free(stack);
    ckp_free(pos);
    return 0;
}

static int check_cycles(chk *c)
{
    graph g;
    if (graph_requires(c->plan, &g)) return -1;
    int rc = find_cycles(c, &g, 1);
    graph_fini(&g);
    if (rc) return -1;
    if (graph_recipes(c->plan, &g)) return -1;
    rc = find_cycles(c, &g, 0);
    graph_fini(&g);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Inputs nothing can produce.                                         */

static void check_unproducible_list(chk *c, const char *kind, const char *id,
                                    int rec_ln, const ckp_ratio *r, int n,
                                    const unsigned char *made)
{
    for (int i = 0; i < n; i++) {
        int ix = r[i].commodity.ix;
        if (ix < 0 || made[ix]) continue;
        ERR(c, r[i].line > 0 ? r[i].line : rec_ln, "unproducible-input",
            "%s '%s': input commodity '%s' is the output of no facility or "
            "project, so it can never be supplied",
            kind, str_or(id, "?"), r[i].commodity.id);
    }
}

static int check_producible(chk *c)
{
    const ckp_plan *p = c->plan;
    unsigned char *made = ckp_calloc((size_t)p->n_commodities + 1, 1);
    if (!made) return -1;
    for (int i = 0; i < p->n_facilities; i++)
        if (p->facilities[i].output.ix >= 0) made[p->facilities[i].output.ix] = 1;
    for (int i = 0; i < p->n_projects; i++)
        if (p->projects[i].output.ix >= 0) made[p->projects[i].output.ix] = 1;
    for (int i = 0; i < p->n_facilities; i++) {
        const ckp_facility *f = &p->facilities[i];
        check_unproducible_list(c, "facility", f->id, f->line, f->inputs,
                                f->n_inputs, made);
    }
    for (int i = 0; i < p->n_projects; i++) {
        const ckp_project *q = &p->projects[i];
        check_unproducible_list(c, "project", q->id, q->line, q->inputs,
                                q->n_inputs, made);
    }
    /* final demand nothing can supply: all of it becomes shortage */
    for (int i = 0; i < p->n_commodities; i++) {
        const ckp_commodity *k = &p->commodities[i];
        if (made[i]) continue;
        for (int j = 0; j < k->n_demand; j++) {
            const ckp_year_value *v = &k->demand[j];
            if (!(v->value > 0) || !isfinite(v->value)) continue;
            WARN(c, k->line, "no-producer",
                 "commodity '%s': has demand (%.10g t/yr in %d) but is the "
                 "output of no facility or project, so all of it will be "
                 "shortage",
                 str_or(k->id, "?"), v->value, v->year);
            break;
        }
    }
    ckp_free(made);
    return 0;
}

/* ------------------------------------------------------------------ */
/* Infrastructure a project needs beyond what its site can ever have.  */

/* Counts per site into off[0..ns] (prefix sums) and the items into list. */
static void by_site(int ns, int n, const int *site_of, int *off, int *list)
{
    for (int i = 0; i < n; i++)
        if (site_of[i] >= 0) off[site_of[i] + 1]++;
    for (int s = 0; s < ns; s++) off[s + 1] += off[s];
    int *fill = off; /* reuse: fill[s] advances, restored below */
    for (int i = 0; i < n; i++)
        if (site_of[i] >= 0) list[fill[site_of[i]]++] = i;
    for (int s = ns; s > 0; s--) off[s] = off[s - 1];
    off[0] = 0;
}

static int check_infrastructure(chk *c)
{
    const ckp_plan *p = c->plan;
    int ns = p->n_sites, nr = p->n_resources, np = p->n_projects,
        nu = p->n_upgrades;
    if (ns == 0 || nr == 0 || np == 0) return 0;
    int rc = -1;
    int *psite = ckp_malloc((size_t)np * sizeof *psite);
    int *usite = ckp_malloc(((size_t)nu + 1) * sizeof *usite);
    int *poff = ckp_calloc((size_t)ns + 1, sizeof *poff);
    int *uoff = ckp_calloc((size_t)ns + 1, sizeof *uoff);
    int *plist = ckp_malloc((size_t)np * sizeof *plist);
    int *ulist = ckp_malloc(((size_t)nu + 1) * sizeof *ulist);
    double *have = ckp_calloc((size_t)nr, sizeof *have);
    double *add = ckp_calloc((size_t)nr, sizeof *add);
    if (!psite || !usite || !poff || !uoff || !plist || !ulist || !have || !add)
        goto out;
    for (int i = 0; i < np; i++) psite[i] = p->projects[i].site.ix;
    for (int i = 0; i < nu; i++)
        usite[i] = p->upgrades[i].resource.ix >= 0 ? p->upgrades[i].site.ix : -1;
    by_site(ns, np, psite, poff, plist);
    by_site(ns, nu, usite, uoff, ulist);
    for (int s = 0; s < ns; s++) {
        if (poff[s] == poff[s + 1]) continue;
        const ckp_site *st = &p->sites[s];
        for (int k = 0; k < st->n_capacity; k++) {
            int r = st->capacity[k].resource.ix;
            double a = st->capacity[k].amount;
            if (r >= 0 && isfinite(a) && a > 0) have[r] += a;
        }
        for (int j = uoff[s]; j < uoff[s + 1]; j++) {
            const ckp_upgrade *u = &p->upgrades[ulist[j]];
            if (isfinite(u->amount) && u->amount > 0) add[u->resource.ix] += u->amount;
        }
        for (int j = poff[s]; j < poff[s + 1]; j++) {
            const ckp_project *q = &p->projects[plist[j]];
            for (int k = 0; k < q->n_needs; k++) {
                const ckp_amount *nd = &q->needs[k];
                int r = nd->resource.ix;
                if (r < 0 || !isfinite(nd->amount)) continue;
                double most = have[r] + add[r];
                if (nd->amount <= most * (1 + 1e-9)) continue;
                WARN(c, nd->line > 0 ? nd->line : q->line, "infrastructure-short",
                     "project '%s': needs resource '%s' amount %.10g, more than "
                     "site '%s' can ever have (%.10g existing + %.10g from "
                     "upgrades), so it can never come online",
                     str_or(q->id, "?"), nd->resource.id, nd->amount,
                     str_or(st->id, "?"), have[r], add[r]);
            }
        }
        for (int k = 0; k < st->n_capacity; k++)
            if (st->capacity[k].resource.ix >= 0) have[st->capacity[k].resource.ix] = 0;
        for (int j = uoff[s]; j < uoff[s + 1]; j++)
            add[p->upgrades[ulist[j]].resource.ix] = 0;
    }
    rc = 0;
out:
    ckp_free(psite);
    ckp_free(usite);
    ckp_free(poff);
    ckp_free(uoff);
    ckp_free(plist);
    ckp_free(ulist);
    ckp_free(have);
    ckp_free(add);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Options the budget can never pay for.                               */

/* 1 when v fits under limit (relative tolerance 1e-9). */
static int fits(double v, double limit)
{
    return v <= limit + 1e-9 * fabs(limit);
}

/* Option o of project q can be paid for at start tau: every disbursement
 * share x commitment within that year's limit (years with a limit, in
 * the horizon).  lim[y - first] is INFINITY where no limit is given. */
static int fits_years(const ckp_plan *p, const double *lim, const ckp_option *op,
                      int tau)
{
    static const double all_at_start = 1.0;
    const double *sch = op->n_schedule ? op->schedule : &all_at_start;
    int ns = op->n_schedule ? op->n_schedule : 1;
    for (int k = 0; k < ns; k++) {
        int y = tau + k;
        if (y > p->last_year) break;
        double amount = sch[k] * op->commitment;
        if (!fits(amount, lim[y - p->first_year])) return 0;
    }
    return 1;
}

/* Warnings: an option whose commitment exceeds the budget total, or whose
 * disbursements exceed a per-year limit at every start that brings the
 * project online within the horizon (option-over-budget); a project none
 * of whose options can be paid for (project-over-budget, instead of one
 * warning per option).  Needs a valid horizon and sane numbers; projects
 * that can never come online are left to never-online. */
static int check_affordable(chk *c)
{
    const ckp_plan *p = c->plan;
    if (!c->horizon_ok || p->n_projects == 0) return 0;
    int Y = p->last_year - p->first_year + 1;
    double *lim = ckp_malloc((size_t)Y * sizeof *lim);
    unsigned char *bad = NULL;
    int most = 1;
    for (int i = 0; i < p->n_projects; i++)
        if (p->projects[i].n_options > most) most = p->projects[i].n_options;
    bad = ckp_malloc((size_t)most);
    if (!lim || !bad) {
        ckp_free(lim);
        ckp_free(bad);
        return -1;
    }
    for (int y = 0; y < Y; y++) lim[y] = INFINITY;
    for (int k = 0; k < p->budget.n_limits; k++) {
        const ckp_year_value *v = &p->budget.limits[k];
        if (in_horizon(c, v->year) && isfinite(v->value) && v->value >= 0 &&
            v->value < lim[v->year - p->first_year])
            lim[v->year - p->first_year] = v->value;
    }
    double total = p->budget.total;
    int total_ok = !isnan(total) && total >= 0;
    for (int i = 0; i < p->n_projects; i++) {
        const ckp_project *q = &p->projects[i];
        if (q->n_options == 0 || q->permit_years < 0 || q->permit_years > DURATION_MAX ||
            q->build_years < 0 || q->build_years > DURATION_MAX)
            continue;
        int lead = (q->permit == CKP_PERMIT_PENDING ? q->permit_years : 0) + q->build_years;
        int t0 = q->earliest_start > p->first_year ? q->earliest_start : p->first_year;
        int t1 = q->latest_start < p->last_year ? q->latest_start : p->last_year;
        if (t1 > p->last_year - lead) t1 = p->last_year - lead;
        if (t0 > t1) continue; /* never-online */
        char who[300];
        who_of(who, sizeof who, "project", q->id);
        int n_bad = 0;
        for (int o = 0; o < q->n_options; o++) {
            const ckp_option *op = &q->options[o];
            bad[o] = 0;
            if (!isfinite(op->commitment) || op->commitment < 0) continue;
            if (total_ok && !fits(op->commitment, total)) bad[o] = 1;
            int ok_year = 0;
            for (int tau = t0; tau <= t1 && !ok_year; tau++)
                ok_year = fits_years(p, lim, op, tau);
            if (!ok_year && !bad[o]) bad[o] = 2;
            n_bad += bad[o] != 0;
        }
        if (n_bad == 0) continue;
        if (n_bad == q->n_options) {
            WARN(c, q->line, "project-over-budget",
                 "%s: can never be funded: no option fits the budget (the "
                 "commitment exceeds the total %.10g, or a year's "
                 "disbursement exceeds that year's limit at every start "
                 "%d-%d that brings it online within the horizon)",
                 who, total, t0, t1);
            continue;
        }
        for (int o = 0; o < q->n_options; o++) {
            const ckp_option *op = &q->options[o];
            int line = op->line > 0 ? op->line : q->line;
            if (bad[o] == 1)
                WARN(c, line, "option-over-budget",
                     "%s: option '%s': commitment %.10g exceeds the budget total "
                     "%.10g, so this option can never be chosen",
                     who, str_or(op->id, "?"), op->commitment, total);
            else if (bad[o] == 2)
                WARN(c, line, "option-over-budget",
                     "%s: option '%s': commitment %.10g disbursed by its "
                     "schedule exceeds a year's budget limit at every start "
                     "%d-%d that brings the project online within the "
                     "horizon, so this option can never be chosen",
                     who, str_or(op->id, "?"), op->commitment, t0, t1);
        }
    }
    ckp_free(lim);
    ckp_free(bad);
    return 0;
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

/* ------------------------------------------------------------------ */
/* Additionality: contracts, committed projects (docs/formulation.md   */
/* 7h).  Runs after every record's references are resolved.            */

#define CONTRACT_SUM_TOL 1e-9

static void check_contracts(chk *c, const char *who, int rec_ln, ckp_contract *k,
                            int n)
{
    for (int i = 0; i < n; i++) {
        int line = k[i].line > 0 ? k[i].line : rec_ln;
        resolve(c, &k[i].buyer, K_COUNTRY, line, who, "contract buyer", 1);
        check_num(c, line, who, "contract share", k[i].share, NUM_UNIT,
                  "contract-share-range");
        if (k[i].from > k[i].to)
            ERR(c, line, "from-after-to", "%s: contract from %d is after to %d", who,
                k[i].from, k[i].to);
    }
    /* The sum of the shares peaks at some contract's first year. */
    for (int i = 0; i < n; i++) {
        int y = k[i].from, line = k[i].line > 0 ? k[i].line : rec_ln;
        double sum = 0;
        for (int j = 0; j < n; j++)
            if (k[j].from <= y && y <= k[j].to && k[j].share >= 0 && k[j].share <= 1)
                sum += k[j].share;
        if (sum > 1 + CONTRACT_SUM_TOL) {
            ERR(c, line, "contract-share-sum",
                "%s: contracts cover %.10g of its output in %d, more than all of it",
                who, sum, y);
            break;
        }
    }
}

static int contracted_outside(const ckp_plan *p, const ckp_contract *k, int n)
{
    for (int i = 0; i < n; i++)
        if (k[i].buyer.ix >= 0 && p->countries[k[i].buyer.ix].risk > 0 && k[i].share > 0)
            return 1;
    return 0;
}

static void check_additionality(chk *c)
{
    ckp_plan *p = c->plan;
    char who[300];
    for (int i = 0; i < p->n_facilities; i++) {
        ckp_facility *f = &p->facilities[i];
        who_of(who, sizeof who, "facility", f->id);
        check_contracts(c, who, f->line, f->contracts, f->n_contracts);
    }
    for (int i = 0; i < p->n_projects; i++) {
        ckp_project *q = &p->projects[i];
        who_of(who, sizeof who, "project", q->id);
        check_contracts(c, who, q->line, q->contracts, q->n_contracts);
        if (q->committed && q->n_options > 0)
            WARN(c, q->line, "committed-options-ignored",
                 "%s: is committed (built with or without the bank), so its %d "
                 "financing option%s ignored", who, q->n_options,
                 q->n_options == 1 ? " is" : "s are");
        for (int k = 0; k < q->n_requires; k++) {
            int r = q->requires[k].ix;
            if (q->committed && r >= 0 && r != i && !p->projects[r].committed)
                ERR(c, ref_line(&q->requires[k], q->line), "committed-requires",
                    "%s: is committed but requires project '%s', which is not: a "
                    "committed project is built whatever the bank funds",
                    who, q->requires[k].id);
        }
        for (int k = 0; k < q->n_excludes; k++) {
            int r = q->excludes[k].ix;
            if (r < 0 || r == i || q->committed == p->projects[r].committed) continue;
            WARN(c, ref_line(&q->excludes[k], q->line), "excludes-committed",
                 "%s: excludes project '%s', and project '%s' is committed, so "
                 "project '%s' can never be funded", who, q->excludes[k].id,
                 q->committed ? q->id : q->excludes[k].id,
                 q->committed ? q->excludes[k].id : q->id);
        }
        int outside = contracted_outside(p, q->contracts, q->n_contracts);
        for (int o = 0; o < q->n_options; o++)
            if (q->options[o].buys_out && !outside)
                WARN(c, q->options[o].line > 0 ? q->options[o].line : q->line,
                     "buys-out-unused",
                     "%s: option '%s' buys out contracts, but none of the project's "
                     "output is contracted outside the bloc (to a buyer of risk > 0)",
                     who, str_or(q->options[o].id, "?"));
    }
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
    for (int i = 0; i < plan->n_projects; i++) check_project(&c, i);
    for (int i = 0; i < plan->n_upgrades; i++) check_upgrade(&c, &plan->upgrades[i]);
    check_stockpiles(&c);
    check_additionality(&c);
    check_budget_objective(&c, scratch);
    if (check_scenarios(&c)) goto oom;
    if (c.oom) goto done;
    if (check_cycles(&c)) goto oom;
    if (check_producible(&c)) goto oom;
    if (check_infrastructure(&c)) goto oom;
    if (check_affordable(&c)) goto oom;
    goto done;

oom:
    c.oom = CKP_ENOMEM;
done:
    for (int k = 0; k < K_N; k++) idmap_fini(&c.map[k]);
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
