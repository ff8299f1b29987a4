/* scenarios.c: the report parts that exist only for plans with scenarios
 * or stockpiles (docs/reports.md, "Scenarios" and "Stockpiles bought"):
 * the text sections and the JSON "scenarios" / "stockpiles" members (the
 * rows of scenarios.csv, idle.csv and stockpiles.csv are described in
 * tables.c).  A plan without scenarios (one implicit scenario,
 * scenario_plan[0] = -1) and without stockpiles gets none of this. */
#include "report/common.h"

#include <math.h>
#include <string.h>

#include "report/json.h"

#define SHORT_EPS 1e-6 /* t/yr below which a shortage or release is not shown */

/* ---- lookups ---- */

int rep_has_scenarios(const ckp_result *r)
{
    return r->n_scenarios >= 1 && r->scenario_plan && r->scenario_plan[0] >= 0 &&
           r->scenario_plan[0] < r->plan->n_scenarios;
}

int rep_has_stockpiles(const ckp_result *r) { return r->plan->n_stockpiles > 0; }

/* Plan scenario of result scenario s, NULL for the implicit one. */
static const ckp_scenario *plan_scenario(const ckp_result *r, int s)
{
    if (!r->scenario_plan || s < 0 || s >= r->n_scenarios) return NULL;
    int k = r->scenario_plan[s];
    return k >= 0 && k < r->plan->n_scenarios ? &r->plan->scenarios[k] : NULL;
}

const char *rep_scenario_id(const ckp_result *r, int s)
{
    const ckp_scenario *sc = plan_scenario(r, s);
    return sc ? sc->id : NULL;
}

int rep_n_scen(const ckp_result *r) { return r->n_scenarios >= 1 ? r->n_scenarios : 1; }

double rep_scen_at(const double *a, int s, int n, int i, int ny, int y)
{
    if (!a) return NAN;
    return a[((size_t)s * (size_t)n + (size_t)i) * (size_t)ny + (size_t)y];
}

static const char *commodity_label(const ckp_plan *plan, int c)
{
    if (c < 0 || c >= plan->n_commodities) return "?";
    const ckp_commodity *k = &plan->commodities[c];
    return k->name && *k->name ? k->name : k->id;
}

static const char *commodity_id(const ckp_plan *plan, int c)
{
    return c >= 0 && c < plan->n_commodities ? plan->commodities[c].id : NULL;
}

static const char *country_id(const ckp_plan *plan, int k)
{
    return k >= 0 && k < plan->n_countries ? plan->countries[k].id : NULL;
}

static const char *stage_id(const ckp_plan *plan, int c)
{
    const ckp_commodity *k = &plan->commodities[c];
    int s = k->stage.ix;
    return s >= 0 && s < plan->n_stages ? plan->stages[s].id : k->stage.id;
}

/* The funded pick of project p, NULL when not funded. */
static const ckp_pick *pick_of(const ckp_result *r, int p)
{
    for (int i = 0; i < r->n_picks; i++)
        if (r->picks[i].project == p) return &r->picks[i];
    return NULL;
}

void rep_grouped(char *b, size_t n, double v)
{
    if (!isfinite(v)) {
        snprintf(b, n, "-");
        return;
    }
    if (fabs(v) < 100) {
        rep_fixed(b, n, v, fabs(v - nearbyint(v)) < 1e-9 ? 0 : 2);
        return;
    }
    char raw[64];
    rep_fixed(raw, sizeof raw, v, 0);
    const char *digits = raw[0] == '-' ? raw + 1 : raw;
    size_t nd = strlen(digits);
    size_t k = 0;
    char out[96];
    if (raw[0] == '-') out[k++] = '-';
    for (size_t i = 0; i < nd && k + 2 < sizeof out; i++) {
        if (i > 0 && (nd - i) % 3 == 0) out[k++] = ',';
        out[k++] = digits[i];
    }
    out[k] = '\0';
    snprintf(b, n, "%s", out);
}

/* Words for what an option is: "loan", "option 'x' (loan)". */
static void option_words(const ckp_result *r, int p, char *b, size_t n)
{
    const ckp_pick *k = pick_of(r, p);
    if (!k) {
        snprintf(b, n, "financing");
        return;
    }
    const ckp_option *o = &r->plan->projects[p].options[k->option];
    const char *in = ckp_instrument_str(o->instrument);
    if (strcmp(o->id, in) == 0) snprintf(b, n, "%s", in);
    else snprintf(b, n, "option '%s' (%s)", o->id, in);
}

void rep_idle_words(const ckp_result *r, const ckp_idle *e, char *b, size_t n)
{
    const ckp_plan *plan = r->plan;
    const char *cur = plan->currency ? plan->currency : "";
    const char *ctry = country_id(plan, e->country);
    char pr[48], be[48], opt[160];
    switch (e->reason) {
    case CKP_IDLE_PRICE:
        rep_grouped(pr, sizeof pr, e->price);
        rep_grouped(be, sizeof be, e->breakeven);
        option_words(r, e->project, opt, sizeof opt);
        snprintf(b, n, "%s price %s < breakeven %s %s/t and its %s carries no "
                       "price support",
                 commodity_label(plan, e->commodity), pr, be, cur, opt);
        return;
    case CKP_IDLE_EXPORT:
        snprintf(b, n, "export restriction on %s from %s upstream",
                 commodity_label(plan, e->commodity), ctry ? ctry : "?");
        return;
    case CKP_IDLE_OWN_EXPORT:
        snprintf(b, n, "export restriction by %s, its own country, on its output",
                 ctry ? ctry : "?");
        return;
    case CKP_IDLE_INPUT:
        snprintf(b, n, "its input %s is short (no export restriction on it)",
                 commodity_label(plan, e->commodity));
        return;
    case CKP_IDLE_NOT_NEEDED:
        snprintf(b, n, "not needed: demand is met without it");
        return;
    }
    snprintf(b, n, "?");
}

/* ---- text ---- */

static void year_heads(rep_table *t, const ckp_result *r, char (*heads)[8])
{
    for (int y = 0; y < r->n_years && y < REP_MAX_COLS - 3; y++) {
        snprintf(heads[y], 8, "%d", r->plan->first_year + y);
        rep_table_col(t, heads[y], 'r');
    }
}

ckp_status rep_text_stockpiles(const ckp_result *r, FILE *out, const char *cur)
{
    const ckp_plan *plan = r->plan;
    if (!rep_has_stockpiles(r)) return CKP_OK;
    if (r->n_stockpile_picks == 0) {
        fprintf(out, "\nStockpiles bought: none\n");
        return ferror(out) ? CKP_EIO : CKP_OK;
    }
    char h_cost[64];
    snprintf(h_cost, sizeof h_cost, "cost %s", cur);
    fprintf(out, "\nStockpiles bought: %d\n", r->n_stockpile_picks);
    rep_table t;
    rep_table_init(&t);
    rep_table_col(&t, "stockpile", 'l');
    rep_table_col(&t, "name", 'l');
    rep_table_col(&t, "commodity", 'l');
    rep_table_col(&t, "tonnes", 'r');
    rep_table_col(&t, "release t/yr", 'r');
    rep_table_col(&t, "from", 'r');
    rep_table_col(&t, h_cost, 'r');
    rep_table_col(&t, "source", 'l');
    for (int i = 0; i < r->n_stockpile_picks; i++) {
        const ckp_stockpile_pick *k = &r->stockpile_picks[i];
        const ckp_stockpile *sp = &plan->stockpiles[k->stockpile];
        char b[256];
        rep_table_row(&t);
        rep_table_set(&t, 0, sp->id);
        rep_table_set(&t, 1, sp->name ? sp->name : "-");
        rep_table_set(&t, 2, sp->commodity.id);
        rep_grouped(b, sizeof b, sp->tonnes);
        rep_table_set(&t, 3, b);
        rep_grouped(b, sizeof b, sp->release);
        rep_table_set(&t, 4, b);
        snprintf(b, sizeof b, "%d", k->year);
        rep_table_set(&t, 5, b);
        rep_fixed(b, sizeof b, k->cost, 1);
        rep_table_set(&t, 6, b);
        rep_short_source(b, sizeof b, sp->source);
        rep_table_set(&t, 7, b);
    }
    ckp_status st = rep_table_print(&t, out, "  ");
    rep_table_fini(&t);
    return st;
}

/* Releases of the bought stockpiles in result scenario s (t/yr), or
 * "none" when nothing is released. */
static ckp_status text_releases(const ckp_result *r, int s, FILE *out,
                                const char *title, const char *indent)
{
    const ckp_plan *plan = r->plan;
    int nk = plan->n_stockpiles;
    int ny = r->n_years;
    if (r->n_stockpile_picks == 0) return CKP_OK;
    int any = 0;
    for (int i = 0; i < r->n_stockpile_picks && !any; i++)
        for (int y = 0; y < ny; y++)
            if (rep_scen_at(r->release, s, nk, r->stockpile_picks[i].stockpile, ny, y) >
                SHORT_EPS)
                any = 1;
    if (!any) {
        fprintf(out, "%s%s: none\n", indent, title);
        return ferror(out) ? CKP_EIO : CKP_OK;
    }
    char heads[REP_MAX_COLS][8];
    fprintf(out, "%s%s (t/yr)\n", indent, title);
    rep_table t;
    rep_table_init(&t);
    rep_table_col(&t, "stockpile", 'l');
    year_heads(&t, r, heads);
    int tot = rep_table_col(&t, "total", 'r');
    for (int i = 0; i < r->n_stockpile_picks; i++) {
        int k = r->stockpile_picks[i].stockpile;
        char b[64];
        double sum = 0;
        rep_table_row(&t);
        rep_table_set(&t, 0, plan->stockpiles[k].id);
        for (int y = 0; y < ny && y < REP_MAX_COLS - 3; y++) {
            double v = rep_scen_at(r->release, s, nk, k, ny, y);
            if (isfinite(v)) sum += v;
            rep_fixed(b, sizeof b, v, 0);
            rep_table_set(&t, 1 + y, b);
        }
        rep_fixed(b, sizeof b, sum, 0);
        rep_table_set(&t, tot, b);
    }
    char ind[16];
    snprintf(ind, sizeof ind, "%s  ", indent);
    ckp_status st = rep_table_print(&t, out, ind);
    rep_table_fini(&t);
    if (st == CKP_OK) {
        fprintf(out, "%s  (released stock is not counted in the chokepoint shares; the value "
                     "counts it at 1.01 x the chokepoint chain it replaces)\n", indent);
        st = ferror(out) ? CKP_EIO : CKP_OK;
    }
    return st;
}

/* Releases of a plan with stockpiles but no scenarios (the one implicit
 * scenario), beside the list of stockpiles bought. */
ckp_status rep_text_releases(const ckp_result *r, FILE *out)
{
    if (rep_has_scenarios(r) || !rep_has_stockpiles(r) || r->n_stockpile_picks == 0)
        return CKP_OK;
    fputc('\n', out);
    return text_releases(r, 0, out, "Stockpile releases", "");
}

static double scen_total(const double *a, int s, int n, int ny)
{
    if (!a) return NAN;
    double sum = 0;
    for (int i = 0; i < n; i++)
        for (int y = 0; y < ny; y++) sum += rep_scen_at(a, s, n, i, ny, y);
    return sum;
}

static int n_idle_years(const ckp_result *r, int s)
{
    int n = 0;
    for (int i = 0; i < r->n_idle && r->idle; i++)
        if (r->idle[i].scenario == s) n++;
    return n;
}

static int same_num(double a, double b) { return (isnan(a) && isnan(b)) || a == b; }

/* Can idle entry b extend the run that ends with entry a? */
static int same_run(const ckp_idle *a, const ckp_idle *b)
{
    return a->scenario == b->scenario && a->project == b->project &&
           b->year == a->year + 1 && a->reason == b->reason &&
           a->commodity == b->commodity && a->country == b->country &&
           same_num(a->price, b->price) && same_num(a->breakeven, b->breakeven);
}

static ckp_status text_idle(const ckp_result *r, int s, FILE *out)
{
    const ckp_plan *plan = r->plan;
    if (n_idle_years(r, s) == 0) {
        fprintf(out, "  Idle funded projects: none\n");
        return ferror(out) ? CKP_EIO : CKP_OK;
    }
    fprintf(out, "  Idle funded projects (online, producing under 1 %% of their "
                 "capacity)\n");
    for (int i = 0; i < r->n_idle; i++) {
        const ckp_idle *e = &r->idle[i];
        if (e->scenario != s) continue;
        int j = i;
        while (j + 1 < r->n_idle && same_run(&r->idle[j], &r->idle[j + 1])) j++;
        const ckp_project *p = &plan->projects[e->project];
        char years[32];
        char why[512];
        if (j > i) snprintf(years, sizeof years, "%d-%d", e->year, r->idle[j].year);
        else snprintf(years, sizeof years, "%d", e->year);
        rep_idle_words(r, e, why, sizeof why);
        fputs("    ", out);
        rep_put_line(out, p->id);
        if (p->name && *p->name) {
            fputs(" (", out);
            rep_put_line(out, p->name);
            fputc(')', out);
        }
        fprintf(out, " idle %s: ", years);
        rep_put_line(out, why);
        fputc('\n', out);
        i = j;
    }
    return ferror(out) ? CKP_EIO : CKP_OK;
}

static ckp_status text_stage_table(const ckp_result *r, int s, FILE *out)
{
    const ckp_plan *plan = r->plan;
    int ns = plan->n_stages;
    int ny = r->n_years;
    char heads[REP_MAX_COLS][8];
    fprintf(out, "  Chokepoint share per stage (%%)\n");
    rep_table t;
    rep_table_init(&t);
    rep_table_col(&t, "stage", 'l');
    rep_table_col(&t, "", 'l');
    year_heads(&t, r, heads);
    for (int g = 0; g < ns; g++)
        for (int k = 0; k < 2; k++) {
            const double *a = k == 0 ? r->scen_stage_baseline : r->scen_stage_exposure;
            char b[64];
            rep_table_row(&t);
            rep_table_set(&t, 0, k == 0 ? plan->stages[g].id : "");
            rep_table_set(&t, 1, k == 0 ? "baseline" : "portfolio");
            for (int y = 0; y < ny && y < REP_MAX_COLS - 3; y++) {
                rep_pct(b, sizeof b, rep_scen_at(a, s, ns, g, ny, y));
                rep_table_set(&t, 2 + y, b);
            }
        }
    ckp_status st = rep_table_print(&t, out, "    ");
    rep_table_fini(&t);
    return st;
}

static ckp_status text_shortage(const ckp_result *r, int s, FILE *out)
{
    const ckp_plan *plan = r->plan;
    int nc = plan->n_commodities;
    int ny = r->n_years;
    int any = 0;
    for (int c = 0; c < nc && !any; c++)
        for (int y = 0; y < ny; y++)
            if (rep_scen_at(r->scen_shortage, s, nc, c, ny, y) > SHORT_EPS) any = 1;
    if (!any) {
        fprintf(out, "  Shortage: none with the portfolio\n");
        return ferror(out) ? CKP_EIO : CKP_OK;
    }
    char heads[REP_MAX_COLS][8];
    fprintf(out, "  Shortage of final demand (t/yr)\n");
    rep_table t;
    rep_table_init(&t);
    rep_table_col(&t, "commodity", 'l');
    rep_table_col(&t, "", 'l');
    year_heads(&t, r, heads);
    for (int c = 0; c < nc; c++) {
        int has = 0;
        for (int y = 0; y < ny; y++)
            if (rep_scen_at(r->scen_shortage, s, nc, c, ny, y) > SHORT_EPS ||
                rep_scen_at(r->scen_baseline_shortage, s, nc, c, ny, y) > SHORT_EPS)
                has = 1;
        if (!has) continue;
        for (int k = 0; k < 2; k++) {
            const double *a = k == 0 ? r->scen_baseline_shortage : r->scen_shortage;
            char b[64];
            rep_table_row(&t);
            rep_table_set(&t, 0, k == 0 ? plan->commodities[c].id : "");
            rep_table_set(&t, 1, k == 0 ? "baseline" : "portfolio");
            for (int y = 0; y < ny && y < REP_MAX_COLS - 3; y++) {
                rep_fixed(b, sizeof b, rep_scen_at(a, s, nc, c, ny, y), 0);
                rep_table_set(&t, 2 + y, b);
            }
        }
    }
    ckp_status st = rep_table_print(&t, out, "    ");
    rep_table_fini(&t);
    return st;
}

/* The overview: one row per scenario, then the probability-weighted row
 * and the worst scenario. */
/* Columns 3-6 of an overview row: value and baseline value (6 decimals),
 * shortage and baseline shortage (tonnes). */
static void set_values(rep_table *t, double v, double vb, double sh, double shb)
{
    const double val[4] = {v, vb, sh, shb};
    char b[64];
    for (int k = 0; k < 4; k++) {
        rep_fixed(b, sizeof b, val[k], k < 2 ? 6 : 0);
        rep_table_set(t, 3 + k, b);
    }
}

static ckp_status text_overview(const ckp_result *r, FILE *out)
{
    const ckp_plan *plan = r->plan;
    int nc = plan->n_commodities;
    int ny = r->n_years;
    int n = rep_n_scen(r);
    rep_table t;
    rep_table_init(&t);
    rep_table_col(&t, "scenario", 'l');
    rep_table_col(&t, "name", 'l');
    rep_table_col(&t, "probability %", 'r');
    rep_table_col(&t, "value", 'r');
    rep_table_col(&t, "baseline value", 'r');
    rep_table_col(&t, "shortage t", 'r');
    rep_table_col(&t, "baseline shortage t", 'r');
    rep_table_col(&t, "idle project-years", 'r');
    double ev = 0, eb = 0, es = 0, esb = 0;
    int worst = -1;
    for (int s = 0; s < n; s++) {
        const ckp_scenario *sc = plan_scenario(r, s);
        double p = rep_at(r->scenario_prob, s);
        double v = rep_at(r->scen_value, s);
        double vb = rep_at(r->scen_baseline_value, s);
        double sh = scen_total(r->scen_shortage, s, nc, ny);
        double shb = scen_total(r->scen_baseline_shortage, s, nc, ny);
        ev += p * v;
        eb += p * vb;
        es += p * sh;
        esb += p * shb;
        if (isfinite(v) && (worst < 0 || v > rep_at(r->scen_value, worst))) worst = s;
        char b[64];
        rep_table_row(&t);
        rep_table_set(&t, 0, sc ? sc->id : "-");
        rep_table_set(&t, 1, sc && sc->name ? sc->name : "-");
        rep_pct(b, sizeof b, p);
        rep_table_set(&t, 2, b);
        set_values(&t, v, vb, sh, shb);
        snprintf(b, sizeof b, "%d", n_idle_years(r, s));
        rep_table_set(&t, 7, b);
    }
    if (n > 1) {
        rep_table_row(&t);
        rep_table_set(&t, 0, "expected");
        rep_table_set(&t, 1, "probability-weighted");
        rep_table_set(&t, 2, "100.0");
        set_values(&t, ev, eb, es, esb);
        rep_table_set(&t, 7, "-");
    }
    ckp_status st = rep_table_print(&t, out, "  ");
    rep_table_fini(&t);
    if (st != CKP_OK) return st;
    if (n > 1 && worst >= 0) {
        const ckp_scenario *sc = plan_scenario(r, worst);
        fprintf(out, "  worst scenario with the portfolio: ");
        rep_put_line(out, sc ? sc->id : "-");
        fprintf(out, " (value %.6f)\n", rep_at(r->scen_value, worst));
    }
    return ferror(out) ? CKP_EIO : CKP_OK;
}

ckp_status rep_text_scenarios(const ckp_result *r, FILE *out)
{
    if (!rep_has_scenarios(r)) return CKP_OK;
    int n = rep_n_scen(r);
    const char *m = ckp_measure_str(r->measure);
    if (r->model_params.scenario) {
        const ckp_scenario *sc = plan_scenario(r, 0);
        fprintf(out, "\nScenario ");
        rep_put_line(out, sc->id);
        fprintf(out, " alone (the one scenario chosen: probability 1; the tables above are "
                     "this scenario's)\n");
    } else if (r->measure == CKP_MEASURE_WORST) {
        fprintf(out, "\nScenarios: %d, measure %s (the objective is the largest "
                     "scenario value: min over portfolios of the max over "
                     "scenarios); the per-stage, shortage and concentration "
                     "tables above are probability-weighted expectations over "
                     "the scenarios\n", n, m);
    } else {
        fprintf(out, "\nScenarios: %d, measure %s (the objective is the "
                     "probability-weighted sum of the scenario values); the "
                     "per-stage, shortage and concentration tables above are "
                     "probability-weighted expectations over the scenarios\n",
                n, m);
    }
    fprintf(out, "  value = weighted exposure + shortage penalty x shortage share%s, "
                 "share-years; shortage in t summed over commodities and years\n",
            rep_has_stockpiles(r) ? " + stockpile releases (1.01 x the chokepoint "
                                    "chain they replace)" : "");
    CKP_TRY(text_overview(r, out));
    for (int s = 0; s < n; s++) {
        const ckp_scenario *sc = plan_scenario(r, s);
        char p[32];
        rep_pct(p, sizeof p, rep_at(r->scenario_prob, s));
        fprintf(out, "\nScenario ");
        rep_put_line(out, sc ? sc->id : "-");
        if (sc && sc->name && *sc->name) {
            fputs(": ", out);
            rep_put_line(out, sc->name);
        }
        fprintf(out, " (probability %s %%)\n", p);
        fprintf(out, "  value %.6f share-years with the portfolio, %.6f baseline\n",
                rep_at(r->scen_value, s), rep_at(r->scen_baseline_value, s));
        CKP_TRY(text_stage_table(r, s, out));
        CKP_TRY(text_shortage(r, s, out));
        CKP_TRY(text_releases(r, s, out, "Stockpile releases", "  "));
        CKP_TRY(text_idle(r, s, out));
    }
    return ferror(out) ? CKP_EIO : CKP_OK;
}

/* ---- JSON ---- */

static void json_releases(jw *w, const ckp_result *r, int s, int only_k)
{
    const ckp_plan *plan = r->plan;
    int nk = plan->n_stockpiles;
    int ny = r->n_years;
    for (int i = 0; i < r->n_stockpile_picks; i++) {
        int k = r->stockpile_picks[i].stockpile;
        if (only_k >= 0 && k != only_k) continue;
        for (int y = 0; y < ny; y++) {
            double v = rep_scen_at(r->release, s, nk, k, ny, y);
            if (!(v > SHORT_EPS)) continue;
            jw_object(w, NULL);
            if (only_k < 0) jw_str(w, "stockpile", plan->stockpiles[k].id);
            else jw_str(w, "scenario", rep_scenario_id(r, s));
            jw_int(w, "year", plan->first_year + y);
            jw_num(w, "tonnes", v);
            jw_end_object(w);
        }
    }
}

void rep_json_stockpiles(jw *w, const ckp_result *r)
{
    const ckp_plan *plan = r->plan;
    if (!rep_has_stockpiles(r)) return;
    jw_array(w, "stockpiles");
    for (int i = 0; i < r->n_stockpile_picks; i++) {
        const ckp_stockpile_pick *k = &r->stockpile_picks[i];
        const ckp_stockpile *sp = &plan->stockpiles[k->stockpile];
        jw_object(w, NULL);
        jw_str(w, "stockpile", sp->id);
        jw_str(w, "name", sp->name);
        jw_str(w, "commodity", sp->commodity.id);
        jw_num(w, "tonnes", sp->tonnes);
        jw_num(w, "release", sp->release);
        jw_int(w, "year", k->year);
        jw_num(w, "cost", k->cost);
        jw_str(w, "source", sp->source);
        jw_array(w, "releases");
        for (int s = 0; s < rep_n_scen(r); s++) json_releases(w, r, s, k->stockpile);
        jw_end_array(w);
        jw_end_object(w);
    }
    jw_end_array(w);
}

void rep_json_scenarios(jw *w, const ckp_result *r)
{
    const ckp_plan *plan = r->plan;
    if (!rep_has_scenarios(r)) return;
    int nc = plan->n_commodities;
    int ns = plan->n_stages;
    int ny = r->n_years;
    jw_str(w, "scenario_measure", ckp_measure_str(r->measure));
    jw_array(w, "scenarios");
    for (int s = 0; s < rep_n_scen(r); s++) {
        const ckp_scenario *sc = plan_scenario(r, s);
        jw_object(w, NULL);
        jw_str(w, "scenario", sc ? sc->id : NULL);
        jw_str(w, "name", sc ? sc->name : NULL);
        jw_num(w, "probability", rep_at(r->scenario_prob, s));
        jw_str(w, "source", sc ? sc->source : NULL);
        jw_num(w, "value", rep_at(r->scen_value, s));
        jw_num(w, "baseline_value", rep_at(r->scen_baseline_value, s));
        jw_num(w, "shortage_tonnes", scen_total(r->scen_shortage, s, nc, ny));
        jw_num(w, "baseline_shortage_tonnes",
               scen_total(r->scen_baseline_shortage, s, nc, ny));
        jw_array(w, "stages");
        for (int g = 0; g < ns; g++) {
            jw_object(w, NULL);
            jw_str(w, "stage", plan->stages[g].id);
            jw_array(w, "years");
            for (int y = 0; y < ny; y++) {
                jw_object(w, NULL);
                jw_int(w, "year", plan->first_year + y);
                jw_num(w, "baseline_share", rep_scen_at(r->scen_stage_baseline, s, ns, g, ny, y));
                jw_num(w, "portfolio_share", rep_scen_at(r->scen_stage_exposure, s, ns, g, ny, y));
                jw_end_object(w);
            }
            jw_end_array(w);
            jw_end_object(w);
        }
        jw_end_array(w);
        jw_array(w, "commodities");
        for (int c = 0; c < nc; c++) {
            jw_object(w, NULL);
            jw_str(w, "commodity", plan->commodities[c].id);
            jw_str(w, "stage", stage_id(plan, c));
            jw_array(w, "years");
            for (int y = 0; y < ny; y++) {
                double req = rep_scen_at(r->scen_requirement, s, nc, c, ny, y);
                int has = isfinite(req) && req > 0;
                jw_object(w, NULL);
                jw_int(w, "year", plan->first_year + y);
                jw_num(w, "requirement", req);
                jw_num(w, "baseline_share",
                       has ? rep_scen_at(r->scen_baseline_exposure, s, nc, c, ny, y) : NAN);
                jw_num(w, "portfolio_share",
                       has ? rep_scen_at(r->scen_exposure, s, nc, c, ny, y) : NAN);
                jw_num(w, "baseline_shortage",
                       rep_scen_at(r->scen_baseline_shortage, s, nc, c, ny, y));
                jw_num(w, "shortage", rep_scen_at(r->scen_shortage, s, nc, c, ny, y));
                jw_end_object(w);
            }
            jw_end_array(w);
            jw_end_object(w);
        }
        jw_end_array(w);
        jw_array(w, "releases");
        json_releases(w, r, s, -1);
        jw_end_array(w);
        jw_array(w, "idle");
        for (int i = 0; i < r->n_idle && r->idle; i++) {
            const ckp_idle *e = &r->idle[i];
            if (e->scenario != s) continue;
            char why[512];
            rep_idle_words(r, e, why, sizeof why);
            jw_object(w, NULL);
            jw_str(w, "project", plan->projects[e->project].id);
            jw_int(w, "year", e->year);
            jw_str(w, "reason", ckp_idle_reason_str(e->reason));
            jw_str(w, "explanation", why);
            jw_str(w, "commodity", commodity_id(plan, e->commodity));
            jw_str(w, "country", country_id(plan, e->country));
            jw_num(w, "price", e->price);
            jw_num(w, "breakeven", e->breakeven);
            jw_num(w, "capacity", e->capacity);
            jw_num(w, "produced", e->produced);
            jw_end_object(w);
        }
        jw_end_array(w);
        jw_end_object(w);
    }
    jw_end_array(w);
}
