/* plan_feeds.c: commodity-specific feeds of a plan (docs/formulation.md
 * 7i, docs/plan-format.md): which process a producer's output needs
 * (`requires-process`) and which processes a plant runs on its inputs
 * (`processes`), and whether one producer's output can feed another. */
#include <ctype.h>
#include <string.h>

#include "ckp/plan.h"

const char *ckp_plan_producer_feed(const ckp_plan *plan, int g)
{
    int nf = plan->n_facilities;
    const char *t = g < nf ? plan->facilities[g].requires_process
                           : plan->projects[g - nf].requires_process;
    return t && *t ? t : NULL;
}

int ckp_plan_producer_takes(const ckp_plan *plan, int g, const char *process)
{
    int nf = plan->n_facilities;
    const char *s = g < nf ? plan->facilities[g].processes : plan->projects[g - nf].processes;
    size_t n = process ? strlen(process) : 0;
    if (!s || n == 0) return 0;
    while (*s) {
        while (*s && isspace((unsigned char)*s)) s++;
        const char *e = s;
        while (*e && !isspace((unsigned char)*e)) e++;
        if ((size_t)(e - s) == n && memcmp(s, process, n) == 0) return 1;
        s = e;
    }
    return 0;
}

int ckp_plan_feed_reaches(const ckp_plan *plan, int g, int h)
{
    const char *t = ckp_plan_producer_feed(plan, g);
    int c = ckp_plan_producer_output(plan, g), nf = plan->n_facilities;
    if (!t || c < 0 || g == h) return 0;
    const ckp_ratio *in = h < nf ? plan->facilities[h].inputs : plan->projects[h - nf].inputs;
    int n_in = h < nf ? plan->facilities[h].n_inputs : plan->projects[h - nf].n_inputs;
    for (int k = 0; k < n_in; k++)
        if (in[k].commodity.ix == c && in[k].per_tonne > 0)
            return ckp_plan_producer_takes(plan, h, t);
    return 0;
}
