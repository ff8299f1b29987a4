/* xml_terms.c: the reader of instrument terms (docs/finance.md): an
 * option's <terms> element and the budget's measure and <cap> elements,
 * with the defaults of docs/plan-format.md.  Part of the XML reader
 * (xml_read.c); libxml2 types stay in src/input. */
#include <math.h>
#include <string.h>

#include "ckp/terms.h"
#include "input/xml_int.h"

void xr_option_terms(conv *cv, const xmlNode *opt, ckp_option *o)
{
    ckp_terms *t = &o->terms;
    t->rate = t->expected_loss = t->floor = t->volume = NAN;
    const xmlNode *n = xr_first_child(opt, "terms");
    if (n) {
        t->given = 1;
        t->tenor = xr_inum(xr_attr(cv, n, "tenor"), 0);
        t->grace = xr_inum(xr_attr(cv, n, "grace"), 0);
        t->rate = xr_num(xr_attr(cv, n, "rate"), NAN);
        t->expected_loss = xr_num(xr_attr(cv, n, "expected-loss"), NAN);
        t->floor = xr_num(xr_attr(cv, n, "floor"), NAN);
        t->volume = xr_num(xr_attr(cv, n, "volume"), NAN);
        t->years = xr_inum(xr_attr(cv, n, "years"), 0);
        t->loan = xr_num(xr_attr(cv, n, "loan"), 0.0);
        t->source = xr_str(cv, xr_attr(cv, n, "source"));
        t->as_of = xr_str(cv, xr_attr(cv, n, "as-of"));
        t->line = xr_line(n);
    }
    /* a price-support option without a commitment commits its cap */
    double cap = ckp_terms_price_cap(t);
    if (isnan(o->commitment) && ckp_instrument_price_support(o->instrument) && !isnan(cap))
        o->commitment = cap;
}

void xr_budget_terms(conv *cv, const xmlNode *budget, ckp_budget *b)
{
    const char *m = xr_attr(cv, budget, "measure");
    if (!m || ckp_fin_measure_parse(m, &b->measure) != CKP_OK)
        b->measure = CKP_FIN_COMMITMENT; /* absent, or refused by the schema */
    int k = xr_count_children(budget, "cap");
    b->caps = xr_array(cv, k, sizeof *b->caps);
    if (!b->caps) return;
    b->n_caps = k;
    int i = 0;
    for (const xmlNode *c = budget->children; c; c = c->next) {
        if (!xr_is_el(c, "cap")) continue;
        ckp_fin_cap *x = &b->caps[i++];
        if (ckp_fin_measure_parse(xr_attr(cv, c, "measure"), &x->measure) != CKP_OK)
            x->measure = CKP_FIN_COMMITMENT;
        x->total = xr_num(xr_attr(cv, c, "total"), INFINITY);
        xr_year_values(cv, c, "limit", "amount", &x->limits, &x->n_limits);
        x->source = xr_str(cv, xr_attr(cv, c, "source"));
        x->line = xr_line(c);
    }
}
