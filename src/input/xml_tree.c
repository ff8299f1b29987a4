/* xml_tree.c: the second half of a plan load (xml_read.c step 5): helpers
 * that read attributes, numbers and lists from the validated tree with the
 * documented defaults, the scan for numbers the schema accepts but that are
 * not finite (step 4), and the plan element itself.  The records inside it
 * are read by xml_records.c.  Part of the XML reader; libxml2 types stay in
 * src/input. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/xml_int.h"
#include "util/alloc.h"

/* ------------------------------------------------------------------ */
/* Tree helpers                                                        */


int xr_is_el(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           strcmp((const char *)n->ns->href, CKP_PLAN_NS) == 0 &&
           (!name || strcmp((const char *)n->name, name) == 0);
}

const xmlNode *xr_first_child(const xmlNode *n, const char *name)
{
    for (const xmlNode *c = n->children; c; c = c->next)
        if (xr_is_el(c, name)) return c;
    return NULL;
}

int xr_count_children(const xmlNode *n, const char *name)
{
    int k = 0;
    for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (xr_is_el(c, name)) k++;
    return k;
}

int xr_line(const xmlNode *n)
{
    if (n->type == XML_ELEMENT_NODE && n->_private)
        return (int)(intptr_t)n->_private;
    long l = xmlGetLineNo(n);
    return l > 0 && l <= INT_MAX ? (int)l : 0;
}

/* Value of attribute name on n (no namespace), or NULL. */
const char *xr_attr(conv *cv, const xmlNode *n, const char *name)
{
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        if (a->ns || strcmp((const char *)a->name, name) != 0) continue;
        const xmlNode *t = a->children;
        if (!t) return "";
        if (t->type == XML_TEXT_NODE && !t->next && t->content)
            return (const char *)t->content;
        xmlChar *v = xmlNodeListGetString(n->doc, t, 1);
        if (!v || ckp_grow((void **)&cv->scratch, &cv->cap_scratch,
                           cv->n_scratch + 1, sizeof *cv->scratch)) {
            xmlFree(v);
            cv->oom = 1;
            return "";
        }
        cv->scratch[cv->n_scratch++] = v;
        return (const char *)v;
    }
    return NULL;
}

char *xr_str(conv *cv, const char *s)
{
    if (!s) return NULL;
    char *d = ckp_strdup(s);
    if (!d) cv->oom = 1;
    return d;
}

/* Zeroed array of n elements (NULL when n == 0 or on failure). */
void *xr_array(conv *cv, int n, size_t elem)
{
    if (n <= 0) return NULL;
    void *p = ckp_calloc((size_t)n, elem);
    if (!p) cv->oom = 1;
    return p;
}

/* The schema has checked the lexical form; finiteness was checked by
 * xr_scan_numbers(), so plain strtod is enough here. */
double xr_num(const char *s, double dflt)
{
    if (!s) return dflt;
    return strtod(s, NULL);
}

int xr_inum(const char *s, int dflt)
{
    if (!s) return dflt;
    errno = 0;
    long v = strtol(s, NULL, 10);
    if (errno || v > INT_MAX || v < INT_MIN) return dflt; /* xs:int: unreachable */
    return (int)v;
}

void xr_set_ref(conv *cv, ckp_ref *r, const xmlNode *n, const char *name)
{
    r->id = xr_str(cv, xr_attr(cv, n, name));
    r->ix = -1;
    r->line = xr_line(n);
}

/* Whitespace-separated list of numbers; dflt (may be NULL) when absent. */
void xr_num_list(conv *cv, const char *s, const char *dflt, double **out,
                     int *n_out)
{
    *out = NULL;
    *n_out = 0;
    if (!s) s = dflt;
    if (!s) return;
    int n = 0;
    const char *p = s;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
        if (!*p) break;
        n++;
        while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') p++;
    }
    if (n == 0) return;
    double *v = xr_array(cv, n, sizeof *v);
    if (!v) return;
    p = s;
    for (int i = 0; i < n; i++) {
        char *end;
        v[i] = strtod(p, &end);
        p = end;
        while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') p++;
    }
    *out = v;
    *n_out = n;
}

/* ------------------------------------------------------------------ */
/* Non-finite numbers                                                  */

/* Attributes of type number (or list of numbers) in the schema. */
static const char *const number_attrs[] = {
    "risk", "weight", "per-tonne", "tonnes", "capacity", "available",
    "amount", "capex", "breakeven", "commitment", "cost", "total",
    "shortage-penalty", "ramp", "schedule", "release", "probability",
    "scale", "price", "share", "rate", "expected-loss", "floor", "volume", "loan"};

static int is_number_attr(const char *name)
{
    for (size_t i = 0; i < sizeof number_attrs / sizeof *number_attrs; i++)
        if (strcmp(number_attrs[i], name) == 0) return 1;
    return 0;
}

/* 1 when tok (len bytes, ended by whitespace or NUL) is a number the
 * schema accepts that is not a finite double: NaN, INF, -INF, or a
 * literal that overflows (1e400, or 400 digits). */
static int non_finite(const char *tok, size_t len)
{
    static const char *const words[] = {"NaN", "INF", "-INF", "+INF"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (len == strlen(words[i]) && memcmp(tok, words[i], len) == 0)
            return 1;
    const char *p = tok;
    if (*p == '+' || *p == '-') p++;
    if (!((*p >= '0' && *p <= '9') || *p == '.')) return 0; /* schema's job */
    char *end;
    double v = strtod(tok, &end);
    if (end != tok + len) return 0; /* not a number: the schema reports it */
    return !isfinite(v);
}

/* Recursive over element nesting, which the parser bounds at
 * CKP_XML_MAX_DEPTH: deeper documents never reach this point. */
void xr_scan_numbers(conv *cv, const xmlNode *n)
{
    for (const xmlNode *c = n; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) continue;
        if (xr_is_el(c, NULL)) {
            for (const xmlAttr *a = c->properties; a; a = a->next) {
                if (a->ns || !is_number_attr((const char *)a->name)) continue;
                const char *v = xr_attr(cv, c, (const char *)a->name);
                if (!v) continue;
                const char *p = v;
                for (;;) {
                    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
                        p++;
                    if (!*p) break;
                    const char *t = p;
                    while (*p && *p != ' ' && *p != '\t' && *p != '\n' &&
                           *p != '\r')
                        p++;
                    if (!non_finite(t, (size_t)(p - t))) continue;
                    int whole = (size_t)(p - t) == strlen(v);
                    char q[CKP_XML_QUOTE + 8];
                    if (whole)
                        xr_diag(cv->st, CKP_SEV_ERROR, xr_line(c),
                                 "non-finite",
                                 "Element '%s', attribute '%s': '%s' is "
                                 "not a finite number.",
                                 (const char *)c->name,
                                 (const char *)a->name, xr_quote(v, q, sizeof q));
                    else
                        xr_diag(cv->st, CKP_SEV_ERROR, xr_line(c),
                                 "non-finite",
                                 "Element '%s', attribute '%s': item '%.*s' "
                                 "of '%s' is not a finite number.",
                                 (const char *)c->name,
                                 (const char *)a->name,
                                 (int)(p - t < CKP_XML_QUOTE ? p - t
                                                             : CKP_XML_QUOTE),
                                 t, xr_quote(v, q, sizeof q));
                }
            }
        }
        xr_scan_numbers(cv, c->children);
    }
}

/* ------------------------------------------------------------------ */
/* Tree -> ckp_plan                                                    */

void xr_ratios(conv *cv, const xmlNode *n, const char *name,
                   ckp_ratio **out, int *n_out)
{
    int k = xr_count_children(n, name);
    *out = xr_array(cv, k, sizeof **out);
    *n_out = *out ? k : 0;
    int i = 0;
    for (const xmlNode *c = n->children; c && *out; c = c->next) {
        if (!xr_is_el(c, name)) continue;
        ckp_ratio *r = &(*out)[i++];
        xr_set_ref(cv, &r->commodity, c, "commodity");
        r->per_tonne = xr_num(xr_attr(cv, c, "per-tonne"), 0.0);
        r->source = xr_str(cv, xr_attr(cv, c, "source"));
        r->line = xr_line(c);
    }
}

void xr_amounts(conv *cv, const xmlNode *n, const char *name,
                    ckp_amount **out, int *n_out)
{
    int k = xr_count_children(n, name);
    *out = xr_array(cv, k, sizeof **out);
    *n_out = *out ? k : 0;
    int i = 0;
    for (const xmlNode *c = n->children; c && *out; c = c->next) {
        if (!xr_is_el(c, name)) continue;
        ckp_amount *a = &(*out)[i++];
        xr_set_ref(cv, &a->resource, c, "resource");
        a->amount = xr_num(xr_attr(cv, c, "amount"), 0.0);
        a->source = xr_str(cv, xr_attr(cv, c, "source"));
        a->line = xr_line(c);
    }
}

void xr_year_values(conv *cv, const xmlNode *n, const char *name,
                        const char *value_attr, ckp_year_value **out,
                        int *n_out)
{
    int k = xr_count_children(n, name);
    *out = xr_array(cv, k, sizeof **out);
    *n_out = *out ? k : 0;
    int i = 0;
    for (const xmlNode *c = n->children; c && *out; c = c->next) {
        if (!xr_is_el(c, name)) continue;
        ckp_year_value *v = &(*out)[i++];
        v->year = xr_inum(xr_attr(cv, c, "year"), 0);
        v->value = xr_num(xr_attr(cv, c, value_attr), 0.0);
        v->source = xr_str(cv, xr_attr(cv, c, "source"));
        v->line = xr_line(c);
    }
}

void xr_project_refs(conv *cv, const xmlNode *n, const char *name,
                         ckp_ref **out, int *n_out)
{
    int k = xr_count_children(n, name);
    *out = xr_array(cv, k, sizeof **out);
    *n_out = *out ? k : 0;
    int i = 0;
    for (const xmlNode *c = n->children; c && *out; c = c->next)
        if (xr_is_el(c, name)) xr_set_ref(cv, &(*out)[i++], c, "project");
}

/* <contract buyer share from to source as-of> children of n (facility or
 * project); absent years are the horizon's ends (read_plan reads the
 * horizon first). */
void xr_contracts(conv *cv, const xmlNode *n, ckp_contract **out, int *n_out)
{
    int k = xr_count_children(n, "contract");
    *out = xr_array(cv, k, sizeof **out);
    *n_out = *out ? k : 0;
    int i = 0;
    for (const xmlNode *c = n->children; c && *out; c = c->next) {
        if (!xr_is_el(c, "contract")) continue;
        ckp_contract *x = &(*out)[i++];
        xr_set_ref(cv, &x->buyer, c, "buyer");
        x->share = xr_num(xr_attr(cv, c, "share"), 1.0);
        x->from = xr_inum(xr_attr(cv, c, "from"), cv->plan->first_year);
        x->to = xr_inum(xr_attr(cv, c, "to"), cv->plan->last_year);
        x->source = xr_str(cv, xr_attr(cv, c, "source"));
        x->as_of = xr_str(cv, xr_attr(cv, c, "as-of"));
        x->line = xr_line(c);
    }
}

int xr_boolean(const char *s)
{
    return s && (strcmp(s, "true") == 0 || strcmp(s, "1") == 0);
}

/* <cofinancier name type amount mobilised source as-of> children of n
 * (project or option; docs/finance.md). */
void xr_cofinanciers(conv *cv, const xmlNode *n, ckp_cofinancier **out, int *n_out)
{
    int k = xr_count_children(n, "cofinancier");
    *out = xr_array(cv, k, sizeof **out);
    *n_out = *out ? k : 0;
    int i = 0;
    for (const xmlNode *c = n->children; c && *out; c = c->next) {
        if (!xr_is_el(c, "cofinancier")) continue;
        ckp_cofinancier *x = &(*out)[i++];
        x->name = xr_str(cv, xr_attr(cv, c, "name"));
        const char *t = xr_attr(cv, c, "type");
        x->type = t && strcmp(t, "public") == 0         ? CKP_COFIN_PUBLIC
                  : t && strcmp(t, "multilateral") == 0 ? CKP_COFIN_MULTILATERAL
                                                        : CKP_COFIN_PRIVATE;
        x->amount = xr_num(xr_attr(cv, c, "amount"), 0.0);
        const char *m = xr_attr(cv, c, "mobilised");
        x->direct = m && strcmp(m, "direct") == 0;
        x->source = xr_str(cv, xr_attr(cv, c, "source"));
        x->as_of = xr_str(cv, xr_attr(cv, c, "as-of"));
        x->line = xr_line(c);
    }
}



/* Fill cv->plan from the validated root element. */
void xr_read_plan(conv *cv, const xmlNode *root, const char *path)
{
    ckp_plan *p = cv->plan;
    p->path = xr_str(cv, path);
    p->name = xr_str(cv, xr_attr(cv, root, "name"));
    const char *cur = xr_attr(cv, root, "currency");
    p->currency = xr_str(cv, cur ? cur : "USD");
    p->line = xr_line(root);

    const xmlNode *d = xr_first_child(root, "description");
    if (d) {
        xmlChar *t = xmlNodeGetContent(d);
        if (!t) cv->oom = 1;
        p->description = xr_str(cv, (const char *)t);
        xmlFree(t);
    }
    const xmlNode *h = xr_first_child(root, "horizon");
    if (h) {
        p->first_year = xr_inum(xr_attr(cv, h, "first"), 0);
        p->last_year = xr_inum(xr_attr(cv, h, "last"), 0);
    }

    /* budget and objective defaults */
    p->budget.total = INFINITY;
    p->objective.kind = CKP_OBJ_WEIGHTED;
    p->objective.shortage_penalty = 10.0;
    p->objective.measure = CKP_MEASURE_EXPECTED;

    /* Each section is read once (the schema allows one; a document that
       failed validation may repeat one: the first counts). */
    static const char *const sections[] = {
        "countries", "stages", "commodities", "facilities", "resources", "sites",
        "projects", "upgrades", "stockpiles", "scenarios", "budget", "objective"};
    unsigned seen = 0;
    for (const xmlNode *s = root->children; s && !cv->oom; s = s->next) {
        if (!xr_is_el(s, NULL)) continue;
        const char *nm = (const char *)s->name;
        int known = 0;
        for (unsigned k = 0; k < sizeof sections / sizeof *sections; k++)
            if (!strcmp(nm, sections[k])) {
                known = 1;
                if (seen & (1u << k)) known = 2;
                seen |= 1u << k;
            }
        if (known != 1) continue;
        if (!strcmp(nm, "countries")) xr_read_countries(cv, s);
        else if (!strcmp(nm, "stages")) xr_read_stages(cv, s);
        else if (!strcmp(nm, "commodities")) xr_read_commodities(cv, s);
        else if (!strcmp(nm, "facilities")) xr_read_facilities(cv, s);
        else if (!strcmp(nm, "resources")) xr_read_resources(cv, s);
        else if (!strcmp(nm, "sites")) xr_read_sites(cv, s);
        else if (!strcmp(nm, "projects")) xr_read_projects(cv, s);
        else if (!strcmp(nm, "upgrades")) xr_read_upgrades(cv, s);
        else if (!strcmp(nm, "stockpiles")) xr_read_stockpiles(cv, s);
        else if (!strcmp(nm, "scenarios")) xr_read_scenarios(cv, s);
        else if (!strcmp(nm, "budget")) {
            p->budget.total = xr_num(xr_attr(cv, s, "total"), INFINITY);
            xr_year_values(cv, s, "limit", "amount", &p->budget.limits,
                        &p->budget.n_limits);
            p->budget.source = xr_str(cv, xr_attr(cv, s, "source"));
            p->budget.line = xr_line(s);
            xr_budget_terms(cv, s, &p->budget);
        } else if (!strcmp(nm, "objective")) {
            const char *kind = xr_attr(cv, s, "kind");
            if (kind && ckp_objective_parse(kind, &p->objective.kind) != CKP_OK)
                p->objective.kind = CKP_OBJ_WEIGHTED; /* schema: unreachable */
            p->objective.shortage_penalty =
                xr_num(xr_attr(cv, s, "shortage-penalty"), 10.0);
            const char *m = xr_attr(cv, s, "scenario-measure");
            if (m && ckp_measure_parse(m, &p->objective.measure) != CKP_OK)
                p->objective.measure = CKP_MEASURE_EXPECTED; /* schema: unreachable */
            p->objective.line = xr_line(s);
        }
    }
}
