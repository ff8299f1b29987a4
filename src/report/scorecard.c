/* scorecard.c: the programme's scorecard (docs/reports.md, "Scorecard"):
 * per stage and year, before (no project funded) -> after (the
 * portfolio): capacity outside the chokepoint, output under the bank's
 * offtake and price-floor options, supplier concentration, the largest
 * third-country share and the plan's cap; per stage, country and year the
 * capacity outside the chokepoint.  Only the getters and row functions
 * live here; the column descriptions are the scorecard tables of
 * tables.c, which every back end renders (CSV, JSON, datapackage, text,
 * HTML). */
#include "report/scorecard.h"

#include <math.h>
#include <string.h>

#include "report/common.h"

/* Funded pick of project p, NULL when not funded. */
static const ckp_pick *pick_of(const ckp_result *r, int p)
{
    for (int i = 0; i < r->n_picks; i++)
        if (r->picks[i].project == p) return &r->picks[i];
    return NULL;
}

static double ramp_at(const ckp_project *p, int k)
{
    return k < p->n_ramp ? p->ramp[k] : 1.0;
}

/* Capacity of producer f in year index y, t/yr: a facility's capacity x
 * its available share; a project's capacity x its ramp from its online
 * year, when committed (before and after) or funded (after only). */
static double producer_capacity(const ckp_result *r, int f, int y, int after)
{
    const ckp_plan *plan = r->plan;
    int nf = plan->n_facilities, year = plan->first_year + y;
    if (f < nf) return plan->facilities[f].capacity * plan->facilities[f].available;
    int p = f - nf;
    const ckp_project *pr = &plan->projects[p];
    int online;
    if (pr->committed) {
        online = ckp_plan_project_online(plan, p);
    } else {
        const ckp_pick *pk = after ? pick_of(r, p) : NULL;
        if (!pk) return 0.0;
        online = pk->online;
    }
    return year >= online ? pr->capacity * ramp_at(pr, year - online) : 0.0;
}

static int producer_stage(const ckp_plan *plan, int f)
{
    int c = ckp_plan_producer_output(plan, f);
    return c >= 0 && c < plan->n_commodities ? plan->commodities[c].stage.ix : -1;
}

double rep_sc_capacity(const ckp_result *r, int g, int k, int y, int after)
{
    const ckp_plan *plan = r->plan;
    double t = 0.0;
    for (int f = 0; f < plan->n_facilities + plan->n_projects; f++) {
        int kf = ckp_plan_producer_country(plan, f);
        if (producer_stage(plan, f) != g || kf < 0 || !(plan->countries[kf].risk < 1.0)) continue;
        if (k >= 0 && kf != k) continue;
        t += producer_capacity(r, f, y, after);
    }
    return t;
}

double rep_sc_offtake(const ckp_result *r, int g, int y)
{
    const ckp_plan *plan = r->plan;
    if (!r->production) return NAN;
    double t = 0.0;
    for (int i = 0; i < r->n_picks; i++) {
        const ckp_pick *pk = &r->picks[i];
        const ckp_option *o = &plan->projects[pk->project].options[pk->option];
        int f = plan->n_facilities + pk->project;
        if (!ckp_instrument_price_support(o->instrument) || producer_stage(plan, f) != g) continue;
        t += r->production[(size_t)f * r->n_years + y];
    }
    return t;
}

double rep_sc_requirement(const ckp_result *r, int g, int y)
{
    const ckp_plan *plan = r->plan;
    if (!r->requirement) return NAN;
    double t = 0.0;
    for (int c = 0; c < plan->n_commodities; c++)
        if (plan->commodities[c].stage.ix == g) t += r->requirement[(size_t)c * r->n_years + y];
    return t;
}

double rep_sc_third_share(const ckp_result *r, int g, int y, int after, int *country)
{
    const ckp_plan *plan = r->plan;
    const double *q = after ? r->production : r->baseline_production;
    if (country) *country = -1;
    if (!q) return NAN;
    int n = after ? r->n_producers : plan->n_facilities + plan->n_projects;
    double total = 0.0, best = 0.0;
    for (int f = 0; f < n; f++)
        if (producer_stage(plan, f) == g) total += q[(size_t)f * r->n_years + y];
    if (!(total > 0)) return NAN;
    for (int k = 0; k < plan->n_countries; k++) {
        if (!(plan->countries[k].risk > 0)) continue; /* bloc members */
        double s = 0.0;
        for (int f = 0; f < n; f++)
            if (producer_stage(plan, f) == g && ckp_plan_producer_country(plan, f) == k)
                s += q[(size_t)f * r->n_years + y];
        if (s > best) {
            best = s;
            if (country) *country = k;
        }
    }
    return best / total;
}

/* ---- transparency: the plan's figures with a source and an as-of date ---- */

static void tally(rep_sc_sources *t, const char *source, int has_as_of, const char *as_of)
{
    t->records++;
    if (source && *source) t->with_source++;
    if (has_as_of && as_of && *as_of) t->with_as_of++;
}

void rep_sc_count_sources(const ckp_plan *plan, rep_sc_sources *t)
{
    t->records = t->with_source = t->with_as_of = 0;
    for (int c = 0; c < plan->n_commodities; c++)
        for (int i = 0; i < plan->commodities[c].n_demand; i++)
            tally(t, plan->commodities[c].demand[i].source, 0, NULL);
    for (int f = 0; f < plan->n_facilities; f++) {
        const ckp_facility *x = &plan->facilities[f];
        tally(t, x->source, 1, x->as_of);
        for (int i = 0; i < x->n_contracts; i++)
            tally(t, x->contracts[i].source, 1, x->contracts[i].as_of);
    }
    for (int p = 0; p < plan->n_projects; p++) {
        const ckp_project *x = &plan->projects[p];
        tally(t, x->source, 1, x->as_of);
        for (int i = 0; i < x->n_contracts; i++)
            tally(t, x->contracts[i].source, 1, x->contracts[i].as_of);
        for (int i = 0; i < x->n_cofinanciers; i++)
            tally(t, x->cofinanciers[i].source, 1, x->cofinanciers[i].as_of);
        for (int o = 0; o < x->n_options; o++) {
            const ckp_option *op = &x->options[o];
            tally(t, op->source, 0, NULL);
            if (op->terms.given) tally(t, op->terms.source, 1, op->terms.as_of);
            for (int i = 0; i < op->n_cofinanciers; i++)
                tally(t, op->cofinanciers[i].source, 1, op->cofinanciers[i].as_of);
        }
    }
    for (int u = 0; u < plan->n_upgrades; u++) tally(t, plan->upgrades[u].source, 0, NULL);
    for (int k = 0; k < plan->n_stockpiles; k++) tally(t, plan->stockpiles[k].source, 0, NULL);
}

/* ---- rendering: a table's "_before" / "_after" columns side by side ---- */

int rep_sc_pair(const ckp_result *r, const rep_table_def *t, int j)
{
    const char *key = t->cols[j].key;
    size_t n = strlen(key);
    if (n <= 7 || strcmp(key + n - 7, "_before") != 0) return -1;
    for (int k = 0; k < t->n_cols; k++) {
        const char *o = t->cols[k].key;
        if (strlen(o) == n - 1 && strncmp(o, key, n - 7) == 0 && strcmp(o + n - 7, "_after") == 0)
            return rep_column_on(r, &t->cols[k]) ? k : -1;
    }
    return -1;
}

int rep_sc_is_after(const rep_table_def *t, int j)
{
    const char *key = t->cols[j].key;
    size_t n = strlen(key);
    return n > 6 && strcmp(key + n - 6, "_after") == 0;
}

void rep_sc_head(const ckp_result *r, const rep_table_def *t, int j, char *b, size_t n)
{
    char u[32];
    const char *key = t->cols[j].key;
    size_t kl = strlen(key);
    if (rep_sc_pair(r, t, j) >= 0) kl -= 7;
    rep_unit_text(r, t->cols[j].unit, u, sizeof u);
    if (t->cols[j].unit == REP_U_SHARE || t->cols[j].unit == REP_U_HHI) u[0] = '\0';
    snprintf(b, n, "%.*s%s%s", (int)kl, key, *u && t->cols[j].unit != REP_U_YEAR ? " " : "",
             t->cols[j].unit != REP_U_YEAR ? u : "");
}

void rep_sc_cell(const ckp_result *r, const rep_table_def *t, const rep_row *w, int j,
                 char *b, size_t n)
{
    rep_cell c;
    char v0[64], v1[64];
    memset(&c, 0, sizeof c);
    t->cols[j].get(r, w, &c);
    if (c.type == REP_T_BOOL) snprintf(v0, sizeof v0, "%s", c.i ? "yes" : "no");
    else if (c.type == REP_T_STR && !c.str) snprintf(v0, sizeof v0, "-");
    else rep_cell_text(&c, t->cols[j].unit, v0, sizeof v0);
    int k = rep_sc_pair(r, t, j);
    if (k < 0) {
        snprintf(b, n, "%s", v0);
        return;
    }
    memset(&c, 0, sizeof c);
    t->cols[k].get(r, w, &c);
    if (c.type == REP_T_BOOL) snprintf(v1, sizeof v1, "%s", c.i ? "yes" : "no");
    else if (c.type == REP_T_STR && !c.str) snprintf(v1, sizeof v1, "-");
    else rep_cell_text(&c, t->cols[k].unit, v1, sizeof v1);
    snprintf(b, n, "%s -> %s", v0, v1);
}

ckp_status rep_sc_text(const ckp_result *r, const rep_table_def *t, FILE *out)
{
    char heads[REP_MAX_COLS][64];
    int col_of[REP_MAX_COLS], nc = 0;
    rep_table tb;
    rep_table_init(&tb);
    for (int j = 0; j < t->n_cols && nc < REP_MAX_COLS; j++) {
        if (!rep_column_on(r, &t->cols[j]) || rep_sc_is_after(t, j)) continue;
        rep_sc_head(r, t, j, heads[nc], sizeof heads[nc]);
        rep_table_col(&tb, heads[nc], t->cols[j].type == REP_T_STR ? 'l' : 'r');
        col_of[nc++] = j;
    }
    rep_row w;
    for (long k = 0;; k++) {
        int got = t->row(r, k, &w);
        if (got == 0) break;
        if (got < 0) continue;
        if (rep_table_row(&tb) < 0) break;
        for (int i = 0; i < nc; i++) {
            char b[160];
            rep_sc_cell(r, t, &w, col_of[i], b, sizeof b);
            rep_table_set(&tb, i, b);
        }
    }
    ckp_status st = tb.oom ? CKP_ENOMEM : rep_table_print(&tb, out, "  ");
    rep_table_fini(&tb);
    return st;
}
