/* check_scenarios.c: the semantic rules of stockpiles and scenarios.
 * Part of ckp_plan_check (check.c); docs/diagnostics.md. */
#include "input/check_int.h"

/* ------------------------------------------------------------------ */
/* Stockpiles and scenarios.                                           */

/* Tolerance on the sum of the scenario probabilities. */
#define PROBABILITY_TOL 1e-6

void chk_stockpiles(chk *c)
{
    for (int i = 0; i < c->plan->n_stockpiles; i++) {
        ckp_stockpile *s = &c->plan->stockpiles[i];
        char who[300];
        chk_who_of(who, sizeof who, "stockpile", s->id);
        chk_resolve(c, &s->commodity, K_COMMODITY, s->line, who, "commodity", 1);
        chk_num(c, s->line, who, "tonnes", s->tonnes, NUM_NONNEG | NUM_TONNES,
                  NULL);
        chk_num(c, s->line, who, "release", s->release,
                  NUM_NONNEG | NUM_TONNES, NULL);
        chk_num(c, s->line, who, "cost", s->cost, NUM_NONNEG | NUM_MONEY, NULL);
        chk_year(c, s->line, who, "year", s->year);
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
        chk_resolve(c, &e->country, K_COUNTRY, line, who, attr, 1);
    else
        e->country.ix = -1;
    snprintf(attr, sizeof attr, "%s commodity", el);
    chk_resolve(c, &e->commodity, K_COMMODITY, line, who, attr,
            e->kind == CKP_CHANGE_PRICE);

    snprintf(attr, sizeof attr, "%s from", el);
    chk_year(c, line, who, attr, e->from);
    snprintf(attr, sizeof attr, "%s to", el);
    chk_year(c, line, who, attr, e->to);
    int years_ok = 1;
    if (e->from > e->to) {
        ERR(c, line, "from-after-to", "%s: %s from %d is after to %d", who, el,
            e->from, e->to);
        years_ok = 0;
    }

    switch (e->kind) {
    case CKP_CHANGE_EXPORT:
        snprintf(attr, sizeof attr, "%s scale", el);
        chk_num(c, line, who, attr, e->value, NUM_UNIT, "scale-range");
        break;
    case CKP_CHANGE_PRICE:
        /* element and attribute share the name */
        chk_num(c, line, who, "price", e->value, NUM_NONNEG | NUM_PRICE,
                  NULL);
        break;
    case CKP_CHANGE_DEMAND:
        snprintf(attr, sizeof attr, "%s scale", el);
        chk_num(c, line, who, attr, e->value, NUM_NONNEG | NUM_FACTOR, NULL);
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

int chk_scenarios(chk *c)
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
        chk_who_of(who, sizeof who, "scenario", s->id);
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
        int st = chk_next_stamp(c);
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

