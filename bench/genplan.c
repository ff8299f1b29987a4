/* genplan.c: ckp-genplan, the synthetic plan generator of the benchmarks
 * (docs/performance.md).  Writes a valid chokepoint plan (vocabulary
 * urn:chokepoint:plan:1) of a chosen size: S stages of K commodities each,
 * a chokepoint country and partners, existing facilities that reproduce a
 * high chokepoint share, sites with power and upgrades, N candidate
 * projects with one to three financing options, requires/excludes, and a
 * budget that funds only a share of the candidates.
 *
 * With --scenarios N (N >= 1) it also writes N scenarios: "calm" (no
 * change) and then, in turn, an export restriction of the chokepoint
 * country on one stage over a few years, a price crash below the
 * breakevens that some projects get (their price support, a price floor
 * or an offtake, is then a capital + support package dearer than their
 * loan), a demand scaling, and a combined restriction + crash; with
 * --stockpiles K, K stockpile candidates.  These extras draw from a second PRNG stream, so a plan
 * written without them is byte for byte the plan of earlier versions.
 *
 * The same parameters and seed always give the same bytes (own PRNG,
 * fixed formats).  All XML goes through libxml2's xmlTextWriter. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/encoding.h>
#include <libxml/xmlwriter.h>

#define GP_MAX_STAGES 6
#define GP_MAX_K 20

typedef struct gp_params {
    int projects;
    int years;
    int k;          /* commodities per stage */
    int stages;
    uint64_t seed;
    int sites;      /* -1 = projects / 8 */
    double budget_share;
    int first_year;
    const char *out;
    int scenarios;  /* 0 = none; else calm + N - 1 disruption scenarios */
    int stockpiles; /* stockpile candidates */
} gp_params;

/* splitmix64: a small, well-mixed PRNG; deterministic on every platform. */
typedef struct gp_rng {
    uint64_t s;
} gp_rng;

static uint64_t gp_next(gp_rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double gp_unif(gp_rng *r)
{
    return (double)(gp_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

static double gp_range(gp_rng *r, double lo, double hi)
{
    return lo + (hi - lo) * gp_unif(r);
}

/* Integer in [lo, hi]. */
static int gp_int(gp_rng *r, int lo, int hi)
{
    return lo + (int)(gp_next(r) % (uint64_t)(hi - lo + 1));
}

/* Round v to a multiple of unit so the XML stays short and readable. */
static double gp_round(double v, double unit)
{
    return floor(v / unit + 0.5) * unit;
}

static const struct {
    const char *id;
    const char *name;
    double risk;
} gp_countries[] = {
    {"CK", "Chokepoint", 1.0},  {"A1", "Member A1", 0.0},
    {"A2", "Member A2", 0.0},   {"A3", "Member A3", 0.0},
    {"A4", "Member A4", 0.0},   {"P1", "Partner P1", 0.1},
    {"P2", "Partner P2", 0.2},  {"P3", "Partner P3", 0.3},
    {"P4", "Partner P4", 0.5},  {"P5", "Partner P5", 0.7},
};
#define GP_N_COUNTRIES ((int)(sizeof gp_countries / sizeof gp_countries[0]))

/* Disbursement schedules whose shares sum to 1 exactly in decimal. */
static const char *const gp_loan_sched[] = {"1", "0.5 0.5", "0.4 0.4 0.2"};
static const char *const gp_floor_sched = "0 0 0.2 0.2 0.2 0.2 0.2";

/* Writer helpers: each returns 0 on success, -1 on a libxml2 error. */
#define W(call)                                                              \
    do {                                                                     \
        if ((call) < 0) return -1;                                           \
    } while (0)

static int gp_attr(xmlTextWriterPtr w, const char *name, const char *value)
{
    return xmlTextWriterWriteAttribute(w, BAD_CAST name, BAD_CAST value);
}

static int gp_attr_num(xmlTextWriterPtr w, const char *name, double v)
{
    /* %.10g keeps integers integral and never prints an exponent for the
     * magnitudes written here (< 1e10). */
    return xmlTextWriterWriteFormatAttribute(w, BAD_CAST name, "%.10g", v);
}

static int gp_attr_int(xmlTextWriterPtr w, const char *name, long v)
{
    return xmlTextWriterWriteFormatAttribute(w, BAD_CAST name, "%ld", v);
}

static int gp_start(xmlTextWriterPtr w, const char *name)
{
    return xmlTextWriterStartElement(w, BAD_CAST name);
}

static int gp_end(xmlTextWriterPtr w)
{
    return xmlTextWriterEndElement(w);
}

typedef struct gp_plan_state {
    const gp_params *p;
    gp_rng rng;
    int n_comm;
    double *req_first; /* requirement of each commodity, first year, t/yr */
    double *req_last;  /* last year */
    double *ratio;     /* made-from ratio of commodity c (stage > 0) */
    double min_commit_sum;
    int n_sites;
    /* Scenario extras (second PRNG stream, untouched without them): */
    gp_rng xrng;
    double *price_ref;   /* reference price of commodity c, currency/t */
    unsigned char *has_be; /* some project's breakeven is quoted in c */
} gp_plan_state;

static int gp_comm_index(const gp_params *p, int stage, int k)
{
    return stage * p->k + k;
}

static void gp_comm_id(char *buf, size_t size, int stage, int k)
{
    snprintf(buf, size, "c%d_%d", stage + 1, k + 1);
}

static int gp_write_commodities(xmlTextWriterPtr w, gp_plan_state *st)
{
    const gp_params *p = st->p;
    char id[32], from[32];
    int last = p->first_year + p->years - 1;
    W(gp_start(w, "commodities"));
    for (int s = 0; s < p->stages; s++) {
        for (int k = 0; k < p->k; k++) {
            int c = gp_comm_index(p, s, k);
            gp_comm_id(id, sizeof id, s, k);
            W(gp_start(w, "commodity"));
            W(gp_attr(w, "id", id));
            {
                char sid[16];
                snprintf(sid, sizeof sid, "s%d", s + 1);
                W(gp_attr(w, "stage", sid));
            }
            if (s > 0) {
                gp_comm_id(from, sizeof from, s - 1, k);
                W(gp_start(w, "made-from"));
                W(gp_attr(w, "commodity", from));
                W(gp_attr_num(w, "per-tonne", st->ratio[c]));
                W(gp_end(w));
            }
            if (s == p->stages - 1) {
                W(gp_start(w, "demand"));
                W(gp_attr_int(w, "year", p->first_year));
                W(gp_attr_num(w, "tonnes", st->req_first[c]));
                W(gp_end(w));
                if (last > p->first_year) {
                    W(gp_start(w, "demand"));
                    W(gp_attr_int(w, "year", last));
                    W(gp_attr_num(w, "tonnes", st->req_last[c]));
                    W(gp_end(w));
                }
            }
            W(gp_end(w));
        }
    }
    return gp_end(w);
}

/* Existing facilities: per commodity one chokepoint facility large enough
 * for the last year's requirement, and two others that together supply
 * about 6-14% of the first year's requirement. */
static int gp_write_facilities(xmlTextWriterPtr w, gp_plan_state *st)
{
    const gp_params *p = st->p;
    char id[48], cid[32], from[32];
    W(gp_start(w, "facilities"));
    for (int s = 0; s < p->stages; s++) {
        for (int k = 0; k < p->k; k++) {
            int c = gp_comm_index(p, s, k);
            gp_comm_id(cid, sizeof cid, s, k);
            for (int f = 0; f < 3; f++) {
                double cap, avail;
                int country;
                if (f == 0) {
                    country = 0;
                    cap = gp_round(st->req_last[c] * 1.25, 1);
                    avail = 1;
                } else {
                    country = gp_int(&st->rng, 1, GP_N_COUNTRIES - 1);
                    cap = gp_round(st->req_first[c] *
                                       gp_range(&st->rng, 0.1, 0.3), 1);
                    avail = gp_round(gp_range(&st->rng, 0.2, 0.5), 0.01);
                }
                snprintf(id, sizeof id, "f_%s_%d", cid, f + 1);
                W(gp_start(w, "facility"));
                W(gp_attr(w, "id", id));
                W(gp_attr(w, "country", gp_countries[country].id));
                W(gp_attr(w, "output", cid));
                W(gp_attr_num(w, "capacity", cap));
                W(gp_attr_num(w, "available", avail));
                if (s > 0) {
                    gp_comm_id(from, sizeof from, s - 1, k);
                    W(gp_start(w, "input"));
                    W(gp_attr(w, "commodity", from));
                    W(gp_attr_num(w, "per-tonne", st->ratio[c]));
                    W(gp_end(w));
                }
                W(gp_end(w));
            }
        }
    }
    return gp_end(w);
}

static int gp_write_sites(xmlTextWriterPtr w, gp_plan_state *st)
{
    char id[32];
    W(gp_start(w, "resources"));
    W(gp_start(w, "resource"));
    W(gp_attr(w, "id", "power"));
    W(gp_attr(w, "unit", "MW"));
    W(gp_end(w));
    W(gp_end(w));
    W(gp_start(w, "sites"));
    for (int i = 0; i < st->n_sites; i++) {
        snprintf(id, sizeof id, "site%d", i + 1);
        W(gp_start(w, "site"));
        W(gp_attr(w, "id", id));
        W(gp_attr(w, "country",
                  gp_countries[gp_int(&st->rng, 1, GP_N_COUNTRIES - 1)].id));
        W(gp_start(w, "capacity"));
        W(gp_attr(w, "resource", "power"));
        W(gp_attr_num(w, "amount", gp_round(gp_range(&st->rng, 10, 40), 1)));
        W(gp_end(w));
        W(gp_end(w));
    }
    return gp_end(w);
}

/* Unit capex by stage (millions per t/yr): upstream cheap per tonne,
 * midstream dear, as in the bundled plan. */
static double gp_unit_capex(int stage, int n_stages)
{
    if (n_stages == 1) return 0.05;
    if (stage == 0) return 0.035;
    if (stage == n_stages - 1) return 0.09;
    return 0.15;
}

static int gp_write_option(xmlTextWriterPtr w, const char *id,
                           const char *instr, double commit, const char *sched)
{
    W(gp_start(w, "option"));
    W(gp_attr(w, "id", id));
    W(gp_attr(w, "instrument", instr));
    W(gp_attr_num(w, "commitment", commit));
    W(gp_attr(w, "schedule", sched));
    return gp_end(w);
}

static int gp_write_projects(xmlTextWriterPtr w, gp_plan_state *st)
{
    const gp_params *p = st->p;
    char id[32], cid[32], from[32], sid[16], other[32];
    int first = p->first_year, last = p->first_year + p->years - 1;
    W(gp_start(w, "projects"));
    for (int i = 0; i < p->projects; i++) {
        gp_rng *r = &st->rng;
        int s = gp_int(r, 0, p->stages - 1);
        int k = gp_int(r, 0, p->k - 1);
        int c = gp_comm_index(p, s, k);
        double cap = gp_round(st->req_first[c] * gp_range(r, 0.03, 0.2), 1);
        double capex = gp_round(cap * gp_unit_capex(s, p->stages) *
                                    gp_range(r, 0.6, 1.5), 0.1);
        int pending = gp_unif(r) < 0.3;
        int permit_years = pending ? gp_int(r, 1, 2) : 0;
        int build = (s == 0) ? gp_int(r, 2, 3)
                    : (s == p->stages - 1 && p->stages > 1) ? gp_int(r, 1, 2)
                                                             : gp_int(r, 2, 3);
        int es = first + gp_int(r, 0, 2);
        int ls = es + gp_int(r, 2, 5);
        int last_useful = last - permit_years - build;
        int site = (st->n_sites > 0 && gp_unif(r) < 0.5)
                       ? gp_int(r, 0, st->n_sites - 1) : -1;
        /* Keep every start window able to come online in the horizon. */
        if (last_useful < first) last_useful = first;
        if (ls > last_useful) ls = last_useful;
        if (es > ls) es = ls;
        snprintf(id, sizeof id, "p%d", i + 1);
        gp_comm_id(cid, sizeof cid, s, k);
        snprintf(sid, sizeof sid, "s%d", s + 1);
        W(gp_start(w, "project"));
        W(gp_attr(w, "id", id));
        W(gp_attr(w, "stage", sid));
        if (site >= 0) {
            char site_id[32];
            snprintf(site_id, sizeof site_id, "site%d", site + 1);
            W(gp_attr(w, "site", site_id));
        } else {
            W(gp_attr(w, "country",
                      gp_countries[gp_int(r, 1, GP_N_COUNTRIES - 1)].id));
        }
        W(gp_attr(w, "output", cid));
        W(gp_attr_num(w, "capacity", cap));
        W(gp_attr_num(w, "capex", capex));
        W(gp_attr(w, "permit", pending ? "pending" : "granted"));
        if (pending) W(gp_attr_int(w, "permit-years", permit_years));
        W(gp_attr_int(w, "build-years", build));
        W(gp_attr_int(w, "earliest-start", es));
        W(gp_attr_int(w, "latest-start", ls));
        W(gp_attr(w, "ramp", s > 0 && s < p->stages - 1 ? "0.3 0.6 0.9"
                                                         : "0.5 0.8"));
        /* Scenario extras: about 40 % of the projects get a breakeven at
           0.7-1.2 x their output's reference price (a crash to 0.4-0.65 x
           idles them unless price-supported).  Their price support is a
           capital + support package, 0.85-1.0 x capex, dearer than their
           loan: the price-floor option of those that have one, an offtake
           option for half of the others. */
        int be = 0, support = 0;
        double support_c = 0;
        if (p->scenarios > 0) {
            gp_rng *x = &st->xrng;
            be = gp_unif(x) < 0.4;
            double be_price = gp_round(st->price_ref[c] * gp_range(x, 0.7, 1.2), 10);
            support = gp_unif(x) < 0.5;
            support_c = gp_round(capex * gp_range(x, 0.85, 1.0), 0.1);
            if (be) {
                W(gp_attr_num(w, "breakeven", be_price));
                st->has_be[c] = 1;
            }
        }
        if (s > 0) {
            gp_comm_id(from, sizeof from, s - 1, k);
            W(gp_start(w, "input"));
            W(gp_attr(w, "commodity", from));
            W(gp_attr_num(w, "per-tonne", st->ratio[c]));
            W(gp_end(w));
        }
        if (site >= 0) {
            W(gp_start(w, "needs"));
            W(gp_attr(w, "resource", "power"));
            W(gp_attr_num(w, "amount", gp_round(gp_range(r, 5, 25), 1)));
            W(gp_end(w));
        }
        /* A few links to earlier projects only: requires stays acyclic. */
        if (i > 0 && gp_unif(r) < 0.05) {
            snprintf(other, sizeof other, "p%d", gp_int(r, 1, i));
            W(gp_start(w, "requires"));
            W(gp_attr(w, "project", other));
            W(gp_end(w));
        } else if (i > 0 && gp_unif(r) < 0.04) {
            snprintf(other, sizeof other, "p%d", gp_int(r, 1, i));
            W(gp_start(w, "excludes"));
            W(gp_attr(w, "project", other));
            W(gp_end(w));
        }
        {
            int n_opt = gp_int(r, 1, 3);
            double loan = gp_round(capex * gp_range(r, 0.6, 0.8), 0.1);
            double guar = gp_round(capex * gp_range(r, 0.45, 0.6), 0.1);
            double floor_c = gp_round(capex * gp_range(r, 0.25, 0.4), 0.1);
            double min_c = loan;
            W(gp_write_option(w, "loan", "loan", loan,
                              gp_loan_sched[gp_int(r, 0, 2)]));
            if (n_opt >= 2) {
                W(gp_write_option(w, "guarantee", "guarantee", guar, "1"));
                if (guar < min_c) min_c = guar;
            }
            if (n_opt >= 3 && be) {
                /* a project exposed to a crash: its floor is a capital +
                   support package, dearer than its loan */
                W(gp_write_option(w, "floor", "price-floor", support_c,
                                  "0.4 0.4 0.2"));
            } else if (n_opt >= 3) {
                W(gp_write_option(w, "floor", "price-floor", floor_c,
                                  gp_floor_sched));
                if (floor_c < min_c) min_c = floor_c;
            } else if (be && support) {
                W(gp_write_option(w, "offtake", "offtake", support_c,
                                  "0.4 0.4 0.2"));
            }
            st->min_commit_sum += min_c;
        }
        W(gp_end(w));
    }
    return gp_end(w);
}

static int gp_write_upgrades(xmlTextWriterPtr w, gp_plan_state *st)
{
    char id[32], site[32];
    W(gp_start(w, "upgrades"));
    for (int i = 0; i < st->n_sites; i++) {
        double cost = gp_round(gp_range(&st->rng, 10, 60), 0.1);
        snprintf(id, sizeof id, "u%d", i + 1);
        snprintf(site, sizeof site, "site%d", i + 1);
        W(gp_start(w, "upgrade"));
        W(gp_attr(w, "id", id));
        W(gp_attr(w, "site", site));
        W(gp_attr(w, "resource", "power"));
        W(gp_attr_num(w, "amount", gp_round(gp_range(&st->rng, 20, 50), 1)));
        W(gp_attr_num(w, "cost", cost));
        W(gp_attr_int(w, "build-years", gp_int(&st->rng, 1, 2)));
        W(gp_attr(w, "schedule", "0.5 0.5"));
        W(gp_end(w));
        st->min_commit_sum += cost;
    }
    return gp_end(w);
}

/* Stockpile candidates: on a random commodity, 5-15 % of its first-year
 * requirement, releasing half of it a year, bought in the second year of
 * the horizon at 1-2 x the commodity's reference price. */
static int gp_write_stockpiles(xmlTextWriterPtr w, gp_plan_state *st)
{
    const gp_params *p = st->p;
    gp_rng *x = &st->xrng;
    char id[32], cid[32];
    W(gp_start(w, "stockpiles"));
    for (int i = 0; i < p->stockpiles; i++) {
        int s = gp_int(x, 0, p->stages - 1);
        int k = gp_int(x, 0, p->k - 1);
        int c = gp_comm_index(p, s, k);
        double tonnes = gp_round(st->req_first[c] * gp_range(x, 0.05, 0.15), 10);
        if (tonnes < 10) tonnes = 10;
        double cost = gp_round(tonnes * st->price_ref[c] * gp_range(x, 1, 2) / 1e6, 0.1);
        if (cost < 0.1) cost = 0.1;
        snprintf(id, sizeof id, "k%d", i + 1);
        gp_comm_id(cid, sizeof cid, s, k);
        W(gp_start(w, "stockpile"));
        W(gp_attr(w, "id", id));
        W(gp_attr(w, "commodity", cid));
        W(gp_attr_num(w, "tonnes", tonnes));
        W(gp_attr_num(w, "release", gp_round(tonnes * 0.5, 1)));
        W(gp_attr_num(w, "cost", cost));
        W(gp_attr_int(w, "year", p->years > 1 ? p->first_year + 1 : p->first_year));
        W(gp_end(w));
    }
    return gp_end(w);
}

/* Years [from, to] of an episode: starts in the first third of the
 * horizon (after its first year when there is room), lasts 2-4 years. */
static void gp_episode(gp_plan_state *st, int *from, int *to)
{
    const gp_params *p = st->p;
    int last = p->first_year + p->years - 1;
    int lo = p->years > 2 ? 1 : 0, hi = p->years / 3 > lo ? p->years / 3 : lo;
    *from = p->first_year + gp_int(&st->xrng, lo, hi);
    *to = *from + gp_int(&st->xrng, 1, 3);
    if (*to > last) *to = last;
    if (*from > *to) *from = *to;
}

static int gp_write_export(xmlTextWriterPtr w, gp_plan_state *st)
{
    const gp_params *p = st->p;
    char cid[32];
    int from, to;
    int s = gp_int(&st->xrng, 0, p->stages - 1);
    double scale = gp_round(gp_range(&st->xrng, 0.2, 0.6), 0.05);
    gp_episode(st, &from, &to);
    for (int k = 0; k < p->k; k++) {
        gp_comm_id(cid, sizeof cid, s, k);
        W(gp_start(w, "export-restriction"));
        W(gp_attr(w, "country", gp_countries[0].id));
        W(gp_attr(w, "commodity", cid));
        W(gp_attr_int(w, "from", from));
        W(gp_attr_int(w, "to", to));
        W(gp_attr_num(w, "scale", scale));
        W(gp_end(w));
    }
    return 0;
}

/* A crash on every commodity some breakeven is quoted in (none: no
 * entry), to 0.4-0.65 x its reference price. */
static int gp_write_crash(xmlTextWriterPtr w, gp_plan_state *st)
{
    const gp_params *p = st->p;
    char cid[32];
    int from, to;
    double f = gp_range(&st->xrng, 0.4, 0.65);
    gp_episode(st, &from, &to);
    for (int s = 0; s < p->stages; s++)
        for (int k = 0; k < p->k; k++) {
            int c = gp_comm_index(p, s, k);
            if (!st->has_be[c]) continue;
            gp_comm_id(cid, sizeof cid, s, k);
            W(gp_start(w, "price"));
            W(gp_attr(w, "commodity", cid));
            W(gp_attr_int(w, "from", from));
            W(gp_attr_int(w, "to", to));
            W(gp_attr_num(w, "price", gp_round(st->price_ref[c] * f, 10)));
            W(gp_end(w));
        }
    return 0;
}

static int gp_write_scenarios(xmlTextWriterPtr w, gp_plan_state *st)
{
    const gp_params *p = st->p;
    static const char *const kinds[] = {"export", "crash", "demand", "combined"};
    char id[48];
    int n = p->scenarios;
    /* Probabilities in thousandths: each disruption 1-3 parts of
       (1000 - calm), calm at least 400 and takes the rounding rest. */
    int *thou = calloc((size_t)n, sizeof *thou);
    if (!thou) return -1;
    if (n > 1) {
        double *wgt = calloc((size_t)n, sizeof *wgt);
        double sum = 0;
        if (!wgt) {
            free(thou);
            return -1;
        }
        for (int i = 1; i < n; i++) sum += (wgt[i] = gp_range(&st->xrng, 1, 3));
        int rest = 600, used = 0;
        for (int i = 1; i < n; i++) {
            thou[i] = (int)floor(rest * wgt[i] / sum);
            if (thou[i] < 1) thou[i] = 1;
            used += thou[i];
        }
        thou[0] = 1000 - used;
        free(wgt);
    } else {
        thou[0] = 1000;
    }
    int ret = 0;
    if (gp_start(w, "scenarios") < 0) ret = -1;
    for (int i = 0; i < n && ret == 0; i++) {
        const char *kind = i == 0 ? "calm" : kinds[(i - 1) % 4];
        if (i == 0) snprintf(id, sizeof id, "calm");
        else snprintf(id, sizeof id, "%s%d", kind, i);
        if (gp_start(w, "scenario") < 0 || gp_attr(w, "id", id) < 0 ||
            xmlTextWriterWriteFormatAttribute(w, BAD_CAST "probability", "%d.%03d",
                                              thou[i] / 1000, thou[i] % 1000) < 0) {
            ret = -1;
            break;
        }
        if (strcmp(kind, "export") == 0 || strcmp(kind, "combined") == 0)
            if (gp_write_export(w, st) < 0) ret = -1;
        if (ret == 0 && (strcmp(kind, "crash") == 0 || strcmp(kind, "combined") == 0))
            if (gp_write_crash(w, st) < 0) ret = -1;
        if (ret == 0 && strcmp(kind, "demand") == 0) {
            int from, to;
            gp_episode(st, &from, &to);
            if (gp_start(w, "demand-scale") < 0 || gp_attr_int(w, "from", from) < 0 ||
                gp_attr_int(w, "to", p->first_year + p->years - 1) < 0 ||
                gp_attr_num(w, "scale", gp_round(gp_range(&st->xrng, 1.1, 1.4), 0.05)) < 0 ||
                gp_end(w) < 0)
                ret = -1;
        }
        if (ret == 0 && gp_end(w) < 0) ret = -1;
    }
    if (ret == 0 && gp_end(w) < 0) ret = -1;
    free(thou);
    return ret;
}

static int gp_write_plan(xmlTextWriterPtr w, gp_plan_state *st)
{
    const gp_params *p = st->p;
    char name[160];
    W(xmlTextWriterSetIndent(w, 1));
    W(xmlTextWriterSetIndentString(w, BAD_CAST "  "));
    W(xmlTextWriterStartDocument(w, "1.0", "UTF-8", NULL));
    W(xmlTextWriterWriteComment(
        w, BAD_CAST " synthetic plan written by ckp-genplan (bench/genplan.c);"
                    " not real data "));
    W(xmlTextWriterStartElementNS(w, NULL, BAD_CAST "plan",
                                  BAD_CAST "urn:chokepoint:plan:1"));
    W(gp_attr(w, "version", "1"));
    if (p->scenarios > 0 || p->stockpiles > 0)
        snprintf(name, sizeof name,
                 "synthetic: %d projects, %d years, %d stages x %d commodities, "
                 "%d scenarios, %d stockpiles, seed %llu",
                 p->projects, p->years, p->stages, p->k, p->scenarios,
                 p->stockpiles, (unsigned long long)p->seed);
    else
        snprintf(name, sizeof name,
                 "synthetic: %d projects, %d years, %d stages x %d commodities, "
                 "seed %llu",
                 p->projects, p->years, p->stages, p->k,
                 (unsigned long long)p->seed);
    W(gp_attr(w, "name", name));
    W(gp_attr(w, "currency", "USD"));
    W(gp_start(w, "horizon"));
    W(gp_attr_int(w, "first", p->first_year));
    W(gp_attr_int(w, "last", p->first_year + p->years - 1));
    W(gp_end(w));

    W(gp_start(w, "countries"));
    for (int i = 0; i < GP_N_COUNTRIES; i++) {
        W(gp_start(w, "country"));
        W(gp_attr(w, "id", gp_countries[i].id));
        W(gp_attr(w, "name", gp_countries[i].name));
        W(gp_attr_num(w, "risk", gp_countries[i].risk));
        W(gp_end(w));
    }
    W(gp_end(w));

    W(gp_start(w, "stages"));
    for (int s = 0; s < p->stages; s++) {
        char sid[16];
        snprintf(sid, sizeof sid, "s%d", s + 1);
        W(gp_start(w, "stage"));
        W(gp_attr(w, "id", sid));
        W(gp_attr_int(w, "order", s + 1));
        W(gp_end(w));
    }
    W(gp_end(w));

    W(gp_write_commodities(w, st));
    W(gp_write_facilities(w, st));
    if (st->n_sites > 0) W(gp_write_sites(w, st));
    W(gp_write_projects(w, st));
    if (st->n_sites > 0) W(gp_write_upgrades(w, st));
    if (p->stockpiles > 0) W(gp_write_stockpiles(w, st));

    {
        double total = gp_round(st->min_commit_sum * p->budget_share, 0.1);
        int n_lim = p->years < 3 ? p->years : 3;
        W(gp_start(w, "budget"));
        W(gp_attr_num(w, "total", total));
        for (int y = 0; y < n_lim; y++) {
            W(gp_start(w, "limit"));
            W(gp_attr_int(w, "year", p->first_year + y));
            W(gp_attr_num(w, "amount", gp_round(total * 0.3, 0.1)));
            W(gp_end(w));
        }
        W(gp_end(w));
    }
    W(gp_start(w, "objective"));
    W(gp_attr(w, "kind", "weighted"));
    W(gp_end(w));
    if (p->scenarios > 0) W(gp_write_scenarios(w, st));
    W(gp_end(w)); /* plan */
    return xmlTextWriterEndDocument(w);
}

/* Requirements: final demand D, upstream R = ratio * R downstream. */
static int gp_init_state(gp_plan_state *st, const gp_params *p)
{
    int n = p->stages * p->k;
    memset(st, 0, sizeof *st);
    st->p = p;
    st->rng.s = p->seed;
    st->n_comm = n;
    st->req_first = calloc((size_t)n, sizeof(double));
    st->req_last = calloc((size_t)n, sizeof(double));
    st->ratio = calloc((size_t)n, sizeof(double));
    st->price_ref = calloc((size_t)n, sizeof(double));
    st->has_be = calloc((size_t)n, 1);
    if (!st->req_first || !st->req_last || !st->ratio || !st->price_ref ||
        !st->has_be)
        return -1;
    /* Second stream for the scenario extras; reference prices per
       commodity (currency/t): 2,000 upstream, 20,000 midstream, 50,000 at
       the last stage, x 0.7-1.3. */
    st->xrng.s = p->seed ^ 0xC2B2AE3D27D4EB4FULL;
    for (int s = 0; s < p->stages; s++)
        for (int k = 0; k < p->k; k++) {
            double base = s == p->stages - 1 && p->stages > 1 ? 50000
                          : s == 0                            ? 2000
                                                              : 20000;
            st->price_ref[gp_comm_index(p, s, k)] =
                gp_round(base * gp_range(&st->xrng, 0.7, 1.3), 10);
        }
    for (int s = 0; s < p->stages; s++)
        for (int k = 0; k < p->k; k++)
            st->ratio[gp_comm_index(p, s, k)] =
                s > 0 ? gp_round(gp_range(&st->rng, 0.3, 3.0), 0.01) : 0;
    for (int k = 0; k < p->k; k++) {
        int c = gp_comm_index(p, p->stages - 1, k);
        st->req_first[c] = gp_round(gp_range(&st->rng, 5000, 50000), 10);
        st->req_last[c] = gp_round(st->req_first[c] *
                                       gp_range(&st->rng, 1.3, 2.2), 10);
        for (int s = p->stages - 2; s >= 0; s--) {
            int down = gp_comm_index(p, s + 1, k);
            int up = gp_comm_index(p, s, k);
            st->req_first[up] = st->req_first[down] * st->ratio[down];
            st->req_last[up] = st->req_last[down] * st->ratio[down];
        }
    }
    st->n_sites = p->sites >= 0 ? p->sites : p->projects / 8;
    return 0;
}

static void gp_free_state(gp_plan_state *st)
{
    free(st->req_first);
    free(st->req_last);
    free(st->ratio);
    free(st->price_ref);
    free(st->has_be);
}

static void gp_usage(FILE *out)
{
    fputs("usage: ckp-genplan [--projects N] [--years Y] "
          "[--commodities-per-stage K]\n"
          "                   [--stages S] [--seed N] [--sites M] "
          "[--budget-share F]\n"
          "                   [--first-year Y] [--scenarios N] [--stockpiles K]\n"
          "                   [--out FILE]\n"
          "Writes a synthetic chokepoint plan (default: 100 projects, 10 years,\n"
          "3 stages x 1 commodity, seed 1, projects/8 sites, budget share 0.3,\n"
          "no scenario, no stockpile) to FILE or standard output.  Same\n"
          "parameters, same bytes.\n"
          "--scenarios N  N scenarios: calm, then in turn an export restriction\n"
          "               of the chokepoint on one stage, a price crash below\n"
          "               the breakevens of some projects (some with an offtake\n"
          "               option), a demand scaling, restriction + crash\n"
          "--stockpiles K K stockpile candidates\n",
          out);
}

static int gp_parse_long(const char *s, long lo, long hi, long *out)
{
    char *end = NULL;
    long v;
    errno = 0;
    v = strtol(s, &end, 10);
    if (errno || end == s || *end != '\0' || v < lo || v > hi) return -1;
    *out = v;
    return 0;
}

static int gp_parse_args(int argc, char **argv, gp_params *p)
{
    static const struct option opts[] = {
        {"projects", required_argument, NULL, 'n'},
        {"years", required_argument, NULL, 'y'},
        {"commodities-per-stage", required_argument, NULL, 'k'},
        {"stages", required_argument, NULL, 's'},
        {"seed", required_argument, NULL, 'r'},
        {"sites", required_argument, NULL, 'm'},
        {"budget-share", required_argument, NULL, 'b'},
        {"first-year", required_argument, NULL, 'f'},
        {"out", required_argument, NULL, 'o'},
        {"scenarios", required_argument, NULL, 'S'},
        {"stockpiles", required_argument, NULL, 'K'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int ch, idx = 0;
    long v;
    while ((ch = getopt_long(argc, argv, "h", opts, &idx)) != -1) {
        switch (ch) {
        case 'n':
            if (gp_parse_long(optarg, 1, 1000000, &v)) goto bad;
            p->projects = (int)v;
            break;
        case 'y':
            if (gp_parse_long(optarg, 1, 100, &v)) goto bad;
            p->years = (int)v;
            break;
        case 'k':
            if (gp_parse_long(optarg, 1, GP_MAX_K, &v)) goto bad;
            p->k = (int)v;
            break;
        case 's':
            if (gp_parse_long(optarg, 1, GP_MAX_STAGES, &v)) goto bad;
            p->stages = (int)v;
            break;
        case 'r':
            if (gp_parse_long(optarg, 0, 2147483647L, &v)) goto bad;
            p->seed = (uint64_t)v;
            break;
        case 'm':
            if (gp_parse_long(optarg, 0, 100000, &v)) goto bad;
            p->sites = (int)v;
            break;
        case 'b': {
            char *end = NULL;
            double d;
            errno = 0;
            d = strtod(optarg, &end);
            if (errno || end == optarg || *end != '\0' || !(d > 0) || d > 10)
                goto bad;
            p->budget_share = d;
            break;
        }
        case 'f':
            if (gp_parse_long(optarg, 1900, 2500, &v)) goto bad;
            p->first_year = (int)v;
            break;
        case 'o':
            p->out = optarg;
            break;
        case 'S':
            if (gp_parse_long(optarg, 0, 100, &v)) goto bad;
            p->scenarios = (int)v;
            break;
        case 'K':
            if (gp_parse_long(optarg, 0, 10000, &v)) goto bad;
            p->stockpiles = (int)v;
            break;
        case 'h':
            gp_usage(stdout);
            exit(0);
        default:
            gp_usage(stderr);
            return -1;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "ckp-genplan: unexpected argument '%s'\n", argv[optind]);
        return -1;
    }
    return 0;
bad:
    fprintf(stderr, "ckp-genplan: invalid value '%s' for --%s\n", optarg,
            opts[idx].name);
    return -1;
}

int main(int argc, char **argv)
{
    gp_params p = {100, 10, 1, 3, 1, -1, 0.3, 2026, NULL, 0, 0};
    gp_plan_state st;
    xmlBufferPtr buf = NULL;
    xmlTextWriterPtr w = NULL;
    FILE *out = NULL;
    int ret = 1;

    if (gp_parse_args(argc, argv, &p)) return 2;
    LIBXML_TEST_VERSION
    if (gp_init_state(&st, &p)) {
        fputs("ckp-genplan: out of memory\n", stderr);
        gp_free_state(&st);
        return 1;
    }
    buf = xmlBufferCreate();
    if (buf) w = xmlNewTextWriterMemory(buf, 0);
    if (!w) {
        fputs("ckp-genplan: cannot create the XML writer\n", stderr);
        goto done;
    }
    if (gp_write_plan(w, &st) < 0) {
        fputs("ckp-genplan: XML writer error\n", stderr);
        goto done;
    }
    xmlFreeTextWriter(w); /* flushes into buf */
    w = NULL;
    out = p.out ? fopen(p.out, "wb") : stdout;
    if (!out) {
        fprintf(stderr, "ckp-genplan: cannot open %s: %s\n", p.out,
                strerror(errno));
        goto done;
    }
    if (fwrite(xmlBufferContent(buf), 1, (size_t)xmlBufferLength(buf), out) !=
        (size_t)xmlBufferLength(buf)) {
        fputs("ckp-genplan: write error\n", stderr);
        goto done;
    }
    ret = 0;
done:
    if (out && out != stdout) {
        if (fclose(out) != 0 && ret == 0) {
            fputs("ckp-genplan: write error\n", stderr);
            ret = 1;
        }
    } else if (out == stdout && fflush(stdout) != 0) {
        ret = 1;
    }
    if (w) xmlFreeTextWriter(w);
    if (buf) xmlBufferFree(buf);
    gp_free_state(&st);
    xmlCleanupParser();
    return ret;
}
