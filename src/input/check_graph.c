/* check_graph.c: the cross-record rules of a plan: requires and
 * made-from cycles (iterative depth-first search over a CSR graph),
 * producibility, infrastructure that can never suffice, options that
 * never fit the budget.  Part of ckp_plan_check (check.c);
 * docs/diagnostics.md. */
#include "input/check_int.h"
#include "input/plan_time.h"

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
            g->eline[e++] = chk_ref_line(&q->requires[k], q->line);
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
    return chk_str_or(p->projects[i].id, "?");
}

static const char *commodity_name(const ckp_plan *p, int i)
{
    return chk_str_or(p->commodities[i].id, "?");
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

int chk_cycles(chk *c)
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
            kind, chk_str_or(id, "?"), r[i].commodity.id);
    }
}

int chk_producible(chk *c)
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
                 chk_str_or(k->id, "?"), v->value, v->year);
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

int chk_infrastructure(chk *c)
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
                     chk_str_or(q->id, "?"), nd->resource.id, nd->amount,
                     chk_str_or(st->id, "?"), have[r], add[r]);
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
int chk_affordable(chk *c)
{
    const ckp_plan *p = c->plan;
    /* other measures: the options' figures come from their terms */
    if (!c->horizon_ok || p->n_projects == 0 || p->budget.measure != CKP_FIN_COMMITMENT)
        return 0;
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
        if (chk_in_horizon(c, v->year) && isfinite(v->value) && v->value >= 0 &&
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
        int lead = ckp_project_lead(q);
        int t0 = q->earliest_start > p->first_year ? q->earliest_start : p->first_year;
        int t1 = q->latest_start < p->last_year ? q->latest_start : p->last_year;
        if (t1 > p->last_year - lead) t1 = p->last_year - lead;
        if (t0 > t1) continue; /* never-online */
        char who[300];
        chk_who_of(who, sizeof who, "project", q->id);
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
                     who, chk_str_or(op->id, "?"), op->commitment, total);
            else if (bad[o] == 2)
                WARN(c, line, "option-over-budget",
                     "%s: option '%s': commitment %.10g disbursed by its "
                     "schedule exceeds a year's budget limit at every start "
                     "%d-%d that brings the project online within the "
                     "horizon, so this option can never be chosen",
                     who, chk_str_or(op->id, "?"), op->commitment, t0, t1);
        }
    }
    ckp_free(lim);
    ckp_free(bad);
    return 0;
}

