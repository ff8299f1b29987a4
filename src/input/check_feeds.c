/* check_feeds.c: the checker's pass over commodity-specific feeds
 * (docs/formulation.md 7i): a producer whose output needs a process that
 * no plant using that output runs feeds nothing (`feed-no-taker`). */
#include "input/check_int.h"

static int producer_line(const ckp_plan *p, int g)
{
    int nf = p->n_facilities;
    return g < nf ? p->facilities[g].line : p->projects[g - nf].line;
}

void chk_feeds(chk *c)
{
    const ckp_plan *p = c->plan;
    int nf = p->n_facilities, n = nf + p->n_projects;
    char who[300];
    for (int g = 0; g < n; g++) {
        const char *t = ckp_plan_producer_feed(p, g);
        int out = ckp_plan_producer_output(p, g);
        if (!t || out < 0) continue;
        int takers = 0;
        for (int h = 0; h < n && !takers; h++) takers = ckp_plan_feed_reaches(p, g, h);
        if (takers) continue;
        chk_who_of(who, sizeof who, g < nf ? "facility" : "project",
                   g < nf ? p->facilities[g].id : p->projects[g - nf].id);
        WARN(c, producer_line(p, g), "feed-no-taker",
             "%s: requires-process '%s', but no facility or project that uses "
             "commodity '%s' lists '%s' in its processes, so its output "
             "serves nothing", who, t, p->commodities[out].id, t);
    }
}
