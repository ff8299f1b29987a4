/* summary.c: the committee summary (see summary.h): what the bank funds,
 * what it buys in chokepoint share, what binds and what stays exposed,
 * in the words of the text report and as the JSON member "summary".
 * report.html renders the same figures (html.c). */
#include "report/summary.h"

#include <math.h>
#include <string.h>

#include "ckp/terms.h"
#include "report/common.h"
#include "report/figures.h"
#include "report/scorecard.h"

#define TIGHT_ABS 0.05   /* M: a year limit is used in full within this... */
#define TIGHT_REL 0.001  /* ...or this fraction of the limit */

const char rep_share_year_words[] =
    "A share-year is one commodity's whole requirement supplied by the chokepoint "
    "for one year: the exposure adds up, over commodities and years, the share "
    "each commodity gets from risky suppliers (weighted by country risk and the "
    "commodity's weight), plus the shortage penalty times the share left unmet.";

/* ---- the figures ---- */

static int item_not_funded_project(const ckp_result *r, int p)
{
    for (int i = 0; i < r->n_picks; i++)
        if (r->picks[i].project == p) return 0;
    return 1;
}

static int excluded(const ckp_result *r, const char *id)
{
    for (int i = 0; i < r->model_params.n_exclude; i++)
        if (r->model_params.exclude[i] && strcmp(r->model_params.exclude[i], id) == 0) return 1;
    return 0;
}

/* The cheapest item the bank could still fund: an option of a project not
 * funded (and not excluded) or a stockpile not bought.  Upgrades do not
 * count: alone they add no supply, they only let a project produce. */
static void cheapest(const ckp_result *r, rep_summary *s)
{
    const ckp_plan *plan = r->plan;
    s->cheapest = NAN;
    s->cheapest_id = NULL;
    if (r->model_params.no_projects) return;
    for (int p = 0; p < plan->n_projects; p++) {
        const ckp_project *pr = &plan->projects[p];
        if (!item_not_funded_project(r, p) || excluded(r, pr->id) || pr->committed) continue;
        int start = pr->earliest_start > plan->first_year ? pr->earliest_start
                                                          : plan->first_year;
        for (int o = 0; o < pr->n_options; o++) {
            /* in the budget's measure (docs/finance.md) */
            double c = r->budget_measure == CKP_FIN_COMMITMENT
                           ? pr->options[o].commitment
                           : ckp_option_figure_total(plan, p, o, start, r->budget_measure);
            if (isfinite(c) && !(c >= s->cheapest)) {
                s->cheapest = c;
                s->cheapest_id = pr->id;
            }
        }
    }
    for (int k = 0; k < plan->n_stockpiles; k++) {
        int bought = 0;
        for (int i = 0; i < r->n_stockpile_picks; i++) bought |= r->stockpile_picks[i].stockpile == k;
        double c = ckp_spending_total(plan->stockpiles[k].cost, r->budget_measure);
        if (!bought && isfinite(c) && !(c >= s->cheapest)) {
            s->cheapest = c;
            s->cheapest_id = plan->stockpiles[k].id;
        }
    }
}

static void binds_words(const ckp_result *r, rep_summary *s)
{
    const char *cur = rep_currency(r);
    char left[64], ch[64], yrs[256];
    rep_fixed(left, sizeof left, s->left, 1);
    rep_fixed(ch, sizeof ch, s->cheapest, 1);
    yrs[0] = '\0';
    for (int i = 0; i < s->n_tight; i++) {
        size_t n = strlen(yrs);
        snprintf(yrs + n, sizeof yrs - n, "%s%d", i ? ", " : "", s->tight[i]);
    }
    int tot = s->binds_total;
    int yr = s->n_tight > 0;
    if (tot && yr) {
        s->binds = "total-and-year-limit";
        snprintf(s->binds_text, sizeof s->binds_text,
                 "the total budget (%s %s m left, less than the cheapest item not funded, "
                 "%s at %s) and the year limit%s of %s, used in full",
                 left, cur, s->cheapest_id ? s->cheapest_id : "-", ch,
                 s->n_tight > 1 ? "s" : "", yrs);
    } else if (tot) {
        s->binds = "total";
        snprintf(s->binds_text, sizeof s->binds_text,
                 "the total budget: %s %s m left, less than the cheapest item not funded "
                 "(%s at %s %s m)", left, cur, s->cheapest_id ? s->cheapest_id : "-", ch, cur);
    } else if (yr) {
        s->binds = "year-limit";
        snprintf(s->binds_text, sizeof s->binds_text,
                 "the year limit%s of %s, used in full", s->n_tight > 1 ? "s" : "", yrs);
    } else if (!isfinite(s->available) && !s->n_tight) {
        int any_limit = 0;
        for (int y = 0; y < r->n_years; y++) any_limit |= isfinite(rep_at(r->budget_limit, y));
        s->binds = any_limit ? "nothing-worth-funding" : "no-limit";
        snprintf(s->binds_text, sizeof s->binds_text, "%s",
                 any_limit ? "nothing: no year limit is used in full and no item left "
                             "would cut exposure further"
                           : "nothing: the plan sets no budget limit, and no item left "
                             "would cut exposure further");
    } else {
        s->binds = "nothing-worth-funding";
        if (s->cheapest_id)
            snprintf(s->binds_text, sizeof s->binds_text,
                     "nothing: %s %s m left (enough for the cheapest item not funded, %s at "
                     "%s) and no year limit used in full; nothing left is worth funding",
                     left, cur, s->cheapest_id, ch);
        else
            snprintf(s->binds_text, sizeof s->binds_text,
                     "nothing: %s %s m left, every item is funded", left, cur);
    }
}

/* The least figure of measure m (its total, as a cap's total counts it)
 * of an option of a project not funded (and not excluded): what one more
 * project would add; INFINITY when none adds anything. */
static double cheapest_in(const ckp_result *r, ckp_fin_measure m)
{
    const ckp_plan *plan = r->plan;
    double best = INFINITY;
    if (r->model_params.no_projects) return best;
    for (int p = 0; p < plan->n_projects; p++) {
        const ckp_project *pr = &plan->projects[p];
        if (!item_not_funded_project(r, p) || excluded(r, pr->id) || pr->committed) continue;
        int start = pr->earliest_start > plan->first_year ? pr->earliest_start
                                                          : plan->first_year;
        for (int o = 0; o < pr->n_options; o++) {
            double c = ckp_option_figure_total(plan, p, o, start, m);
            if (c > 0 && c < best) best = c;
        }
    }
    return best;
}

/* A <cap> (docs/finance.md) binds when what is left of its total is less
 * than the least any project not funded would add, or when a year's cap
 * is used in full: said instead of "nothing binds". */
static void cap_binds(const ckp_result *r, rep_summary *s)
{
    if (!r->fin_year || !r->fin_cap_limit || !s->binds) return;
    if (strcmp(s->binds, "nothing-worth-funding") != 0 && strcmp(s->binds, "no-limit") != 0)
        return;
    const char *cur = rep_currency(r);
    for (int m = 0; m < CKP_FIN_MEASURES; m++) {
        const char *word = ckp_fin_measure_str((ckp_fin_measure)m);
        double cap = r->fin_cap_total[m];
        if (isfinite(cap)) {
            double left = cap - r->fin_total[m], least = cheapest_in(r, (ckp_fin_measure)m);
            if (left <= fmax(TIGHT_ABS, TIGHT_REL * fabs(cap)) || left < least) {
                char a[64], b[64];
                rep_fixed(a, sizeof a, r->fin_total[m], 1);
                rep_fixed(b, sizeof b, cap, 1);
                s->binds = "cap";
                snprintf(s->binds_text, sizeof s->binds_text,
                         "the cap on %s: %s of %s %s m used, less left than any project not "
                         "funded would add", word, a, b, cur);
                return;
            }
        }
        for (int y = 0; y < r->n_years; y++) {
            double lim = r->fin_cap_limit[m * r->n_years + y];
            double v = r->fin_year[m * r->n_years + y];
            if (isfinite(lim) && lim - v <= fmax(TIGHT_ABS, TIGHT_REL * fabs(lim))) {
                s->binds = "cap";
                snprintf(s->binds_text, sizeof s->binds_text,
                         "the cap on %s in %d, used in full", word, r->plan->first_year + y);
                return;
            }
        }
    }
}

void rep_summary_make(const ckp_result *r, rep_summary *s)
{
    const ckp_plan *plan = r->plan;
    memset(s, 0, sizeof *s);
    s->available = r->budget_total;
    /* the budget's measure: commitment, or what the plan's budget limits */
    double used = r->budget_measure == CKP_FIN_COMMITMENT || !r->fin_year
                      ? r->commitment_total
                      : r->fin_total[r->budget_measure];
    s->used = rep_has_solution(r) ? used : NAN;
    static const char *const words[CKP_FIN_MEASURES] = {
        "committed", "outstanding (the items' peaks summed)", "of expected cost",
        "of contingent liability (the items' peaks summed)"};
    s->used_words = words[(unsigned)r->budget_measure < CKP_FIN_MEASURES ? r->budget_measure : 0];
    s->left = isfinite(s->available) ? s->available - s->used : INFINITY;
    cheapest(r, s);
    s->binds_total = isfinite(s->left) && isfinite(s->cheapest) && s->left < s->cheapest;
    for (int y = 0; y < r->n_years && s->n_tight < REP_MAX_YEARS; y++) {
        double lim = rep_at(r->budget_limit, y);
        double sp = r->budget_measure == CKP_FIN_COMMITMENT || !r->fin_year
                        ? rep_at(r->spend, y)
                        : r->fin_year[r->budget_measure * r->n_years + y];
        if (isfinite(lim) && isfinite(sp) &&
            lim - sp <= fmax(TIGHT_ABS, TIGHT_REL * fabs(lim)))
            s->tight[s->n_tight++] = plan->first_year + y;
    }
    if (rep_has_solution(r)) {
        binds_words(r, s);
        cap_binds(r, s);
    }
    else {
        s->binds = NULL;
        snprintf(s->binds_text, sizeof s->binds_text, "no portfolio");
    }
    s->final_year = plan->last_year;
    s->n_scen = rep_n_scen(r);
    s->scenarios = rep_has_scenarios(r);
    s->calm = -1;
    if (!s->scenarios) s->calm = 0;
    for (int k = 0; k < s->n_scen && s->calm < 0; k++) {
        int ps = r->scenario_plan ? r->scenario_plan[k] : -1;
        if (ps >= 0 && ps < plan->n_scenarios && plan->scenarios[ps].n_changes == 0) s->calm = k;
    }
}

double rep_stage_share(const ckp_result *r, int sc, int g, int y, int baseline)
{
    int ns = r->plan->n_stages;
    const double *a = baseline ? r->scen_stage_baseline : r->scen_stage_exposure;
    if (sc < 0 || !a) {
        const double *e = baseline ? r->stage_baseline : r->stage_exposure;
        return rep_at(e, g * r->n_years + y);
    }
    return rep_scen_at(a, sc, ns, g, r->n_years, y);
}

double rep_scen_value(const ckp_result *r, int sc, int baseline)
{
    const double *a = baseline ? r->scen_baseline_value : r->scen_value;
    if (sc >= 0) {
        double v = rep_at(a, sc);
        if (isfinite(v) || rep_has_scenarios(r)) return v;
        return baseline ? r->baseline_objective : r->objective_value;
    }
    double v = 0;
    for (int k = 0; k < rep_n_scen(r); k++) {
        double p = rep_at(r->scenario_prob, k);
        double x = rep_at(a, k);
        if (r->measure == CKP_MEASURE_WORST) v = k == 0 || x > v ? x : v;
        else v += p * x;
    }
    return v;
}

const char *rep_scen_label(const ckp_result *r, int sc)
{
    const char *id = rep_scenario_id(r, sc);
    return id ? id : "calm";
}

/* Above the threshold as the reader sees it: the share rounded to the
 * 0.1 % the reports print (50.04 % prints 50.0 and is not above 50 %). */
static int exposed(double v)
{
    return isfinite(v) && nearbyint(1000 * v) > 1000 * REP_EXPOSED;
}

void rep_exposed_years(const ckp_result *r, const rep_summary *s, int g, char *b, size_t n,
                       int *n_out)
{
    int sc = s->calm >= 0 ? s->calm : -1;
    int count = 0;
    size_t k = 0;
    b[0] = '\0';
    for (int y = 0; y < r->n_years; y++) {
        double v = rep_stage_share(r, sc, g, y, 0);
        if (!exposed(v)) continue;
        int z = y;
        while (z + 1 < r->n_years && exposed(rep_stage_share(r, sc, g, z + 1, 0))) z++;
        int fy = r->plan->first_year;
        if (k < n) {
            if (z > y)
                k += (size_t)snprintf(b + k, n - k, "%s%d-%d", count ? ", " : "", fy + y, fy + z);
            else
                k += (size_t)snprintf(b + k, n - k, "%s%d", count ? ", " : "", fy + y);
        }
        count += z - y + 1;
        y = z;
    }
    if (n_out) *n_out = count;
}

/* ---- funded items ---- */

int rep_n_funded(const ckp_result *r)
{
    return r->n_picks + r->n_upgrade_picks + r->n_stockpile_picks;
}

void rep_funded_get(const ckp_result *r, int k, rep_funded *f)
{
    const ckp_plan *plan = r->plan;
    memset(f, 0, sizeof *f);
    if (k < r->n_picks) {
        const ckp_pick *p = &r->picks[k];
        const ckp_project *pr = &plan->projects[p->project];
        f->kind = "project";
        f->id = pr->id;
        f->name = pr->name && *pr->name ? pr->name : pr->id;
        f->country = rep_project_country(plan, p->project);
        f->country_name = rep_country_name(plan, rep_country_ix(plan, f->country));
        f->stage = rep_project_stage(plan, p->project);
        f->instrument = ckp_instrument_str(pr->options[p->option].instrument);
        f->start = p->start;
        f->online = p->online;
        f->commitment = p->commitment;
        f->source = pr->options[p->option].source ? pr->options[p->option].source : pr->source;
        return;
    }
    k -= r->n_picks;
    if (k < r->n_upgrade_picks) {
        const ckp_upgrade_pick *p = &r->upgrade_picks[k];
        const ckp_upgrade *u = &plan->upgrades[p->upgrade];
        int site = u->site.ix;
        int c = site >= 0 && site < plan->n_sites ? plan->sites[site].country.ix : -1;
        f->kind = "upgrade";
        f->id = u->id;
        f->name = u->name && *u->name ? u->name : u->id;
        f->country = c >= 0 && c < plan->n_countries ? plan->countries[c].id : NULL;
        f->country_name = rep_country_name(plan, c);
        f->stage = NULL;
        f->instrument = "upgrade";
        f->start = p->start;
        f->online = p->online;
        f->commitment = p->cost;
        f->source = u->source;
        return;
    }
    k -= r->n_upgrade_picks;
    const ckp_stockpile_pick *p = &r->stockpile_picks[k];
    const ckp_stockpile *sp = &plan->stockpiles[p->stockpile];
    int c = sp->commodity.ix;
    int g = c >= 0 && c < plan->n_commodities ? plan->commodities[c].stage.ix : -1;
    f->kind = "stockpile";
    f->id = sp->id;
    f->name = sp->name && *sp->name ? sp->name : sp->id;
    f->stage = g >= 0 && g < plan->n_stages ? plan->stages[g].id : NULL;
    f->instrument = "stockpile";
    f->start = p->year;
    f->online = p->year;
    f->commitment = p->cost;
    f->source = sp->source;
}

void rep_funded_json(jw *w, const rep_funded *f)
{
    jw_str(w, "kind", f->kind);
    jw_str(w, "id", f->id);
    jw_str(w, "name", f->name);
    jw_str(w, "country", f->country);
    jw_str(w, "country_name", f->country_name);
    jw_str(w, "stage", f->stage);
    jw_str(w, "instrument", f->instrument);
    jw_int(w, "start", f->start);
    jw_int(w, "online", f->online);
    jw_num(w, "commitment", f->commitment);
}

/* ---- text ---- */

void rep_funded_cols(rep_table *t, const ckp_result *r, const char *first, int with_start)
{
    char h[32];
    snprintf(h, sizeof h, "%s m", rep_currency(r));
    rep_table_col(t, first, 'l');
    rep_table_col(t, "country", 'l');
    rep_table_col(t, "stage", 'l');
    rep_table_col(t, "instrument", 'l');
    if (with_start) rep_table_col(t, "start", 'r');
    rep_table_col(t, "online", 'r');
    rep_table_col(t, h, 'r');
}

void rep_funded_cells(rep_table *t, int col, const rep_funded *f, int with_start)
{
    char b[64];
    rep_table_set(t, col++, f->name);
    rep_table_set(t, col++, f->country_name ? f->country_name : "-");
    rep_table_set(t, col++, f->stage ? f->stage : "-");
    rep_table_set(t, col++, f->instrument);
    if (with_start) {
        snprintf(b, sizeof b, "%d", f->start);
        rep_table_set(t, col++, b);
    }
    snprintf(b, sizeof b, "%d", f->online);
    rep_table_set(t, col++, b);
    rep_fixed(b, sizeof b, f->commitment, 1);
    rep_table_set(t, col, b);
}

static ckp_status text_funded(const ckp_result *r, FILE *out)
{
    rep_table t;
    rep_table_init(&t);
    rep_funded_cols(&t, r, "funded", 0);
    for (int k = 0; k < rep_n_funded(r); k++) {
        rep_funded f;
        rep_funded_get(r, k, &f);
        rep_table_row(&t);
        rep_funded_cells(&t, 0, &f, 0);
    }
    ckp_status st = rep_table_print(&t, out, "    ");
    rep_table_fini(&t);
    return st;
}

static void arrow(char *b, size_t n, double before, double after)
{
    char x[24], y[24];
    rep_pct(x, sizeof x, before);
    rep_pct(y, sizeof y, after);
    snprintf(b, n, "%s -> %s", x, y);
}

/* Columns of the headline: the calm case first, then every other
 * scenario; just the calm case without scenarios. */
static int headline_cols(const rep_summary *s, int *cols)
{
    int n = 0;
    if (s->calm >= 0) cols[n++] = s->calm;
    if (s->scenarios)
        for (int k = 0; k < s->n_scen && n < REP_MAX_COLS - 2; k++)
            if (k != s->calm) cols[n++] = k;
    return n;
}

static ckp_status text_headline(const ckp_result *r, const rep_summary *s, FILE *out)
{
    const ckp_plan *plan = r->plan;
    int cols[REP_MAX_COLS];
    int nc = headline_cols(s, cols);
    int fy = s->final_year - plan->first_year;
    char heads[REP_MAX_COLS][64];
    fprintf(out, "  Chokepoint share per stage in %d, no funding -> with the portfolio (%%)\n",
            s->final_year);
    rep_table t;
    rep_table_init(&t);
    rep_table_col(&t, "stage", 'l');
    for (int j = 0; j < nc; j++) {
        if (cols[j] == s->calm && s->scenarios && strcmp(rep_scen_label(r, cols[j]), "calm"))
            snprintf(heads[j], sizeof heads[j], "calm (%s)", rep_scen_label(r, cols[j]));
        else
            snprintf(heads[j], sizeof heads[j], "%s", rep_scen_label(r, cols[j]));
        rep_table_col(&t, heads[j], 'r');
    }
    for (int g = 0; g < plan->n_stages; g++) {
        char b[64];
        rep_table_row(&t);
        rep_table_set(&t, 0, plan->stages[g].id);
        for (int j = 0; j < nc; j++) {
            arrow(b, sizeof b, rep_stage_share(r, cols[j], g, fy, 1),
                  rep_stage_share(r, cols[j], g, fy, 0));
            rep_table_set(&t, 1 + j, b);
        }
    }
    ckp_status st = rep_table_print(&t, out, "    ");
    rep_table_fini(&t);
    if (st != CKP_OK) return st;
    if (s->calm < 0)
        fprintf(out, "    (every scenario solved carries a disruption: none is the plan "
                     "as written)\n");
    /* exposure in share-years */
    fprintf(out, "  Exposure (share-years)\n");
    rep_table_init(&t);
    rep_table_col(&t, "case", 'l');
    rep_table_col(&t, "no funding", 'r');
    rep_table_col(&t, "portfolio", 'r');
    rep_table_col(&t, "cut", 'r');
    int with_expected = s->scenarios && s->n_scen > 1;
    for (int j = 0; j < nc + with_expected; j++) {
        int sc = j < nc ? cols[j] : -1;
        double b0 = rep_scen_value(r, sc, 1);
        double b1 = rep_scen_value(r, sc, 0);
        char b[64];
        rep_table_row(&t);
        rep_table_set(&t, 0, sc >= 0 ? rep_scen_label(r, sc)
                             : r->measure == CKP_MEASURE_WORST ? "worst case" : "expected");
        rep_fixed(b, sizeof b, b0, 2);
        rep_table_set(&t, 1, b);
        rep_fixed(b, sizeof b, b1, 2);
        rep_table_set(&t, 2, b);
        if (b0 > 0 && isfinite(b1)) snprintf(b, sizeof b, "-%.0f %%", 100 * (b0 - b1) / b0);
        else snprintf(b, sizeof b, "-");
        rep_table_set(&t, 3, b);
    }
    st = rep_table_print(&t, out, "    ");
    rep_table_fini(&t);
    if (st != CKP_OK) return st;
    fprintf(out, "  ");
    rep_put_line(out, rep_share_year_words);
    fputc('\n', out);
    return ferror(out) ? CKP_EIO : CKP_OK;
}

static ckp_status text_exposed(const ckp_result *r, const rep_summary *s, FILE *out)
{
    const ckp_plan *plan = r->plan;
    fprintf(out, "  Still exposed (chokepoint share above %.0f %% with the portfolio, ",
            100 * REP_EXPOSED);
    if (s->calm >= 0) fputs("the calm case):\n", out);
    else if (s->n_scen == 1) fprintf(out, "scenario %s):\n", rep_scen_label(r, 0));
    else fputs("probability-weighted over the scenarios):\n", out);
    int any = 0;
    for (int g = 0; g < plan->n_stages; g++) {
        char b[512];
        int n = 0;
        rep_exposed_years(r, s, g, b, sizeof b, &n);
        if (n == 0) continue;
        any = 1;
        fprintf(out, "    %s: %s (%d year%s)\n", plan->stages[g].id, b, n, n == 1 ? "" : "s");
    }
    if (!any) fprintf(out, "    none\n");
    if (r->max_share > 0) {
        char cap[32];
        rep_pct(cap, sizeof cap, r->max_share);
        if (r->n_caps_missed == 0)
            fprintf(out, "    policy cap %s %% per third country: met everywhere\n", cap);
        else
            fprintf(out, "    policy cap %s %% per third country: missed in %d of %d "
                         "stage-country-years (section \"Policy cap\")\n",
                    cap, r->n_caps_missed, r->n_caps);
    } else {
        fprintf(out, "    policy cap: none (no maximum share per third country set)\n");
    }
    return ferror(out) ? CKP_EIO : CKP_OK;
}

ckp_status rep_text_summary(const ckp_result *r, FILE *out)
{
    rep_summary s;
    rep_summary_make(r, &s);
    const char *cur = rep_currency(r);
    char used[64], avail[64];
    fprintf(out, "\nCommittee summary\n");
    if (!rep_has_solution(r)) {
        fprintf(out, "  No portfolio: see \"Proof\" below.\n");
        return ferror(out) ? CKP_EIO : CKP_OK;
    }
    rep_fixed(used, sizeof used, s.used, 1);
    if (isfinite(s.available)) {
        rep_fixed(avail, sizeof avail, s.available, 1);
        fprintf(out, "  Budget: %s of %s %s m %s (%.1f %%); what binds: %s\n", used,
                avail, cur, s.used_words, s.available > 0 ? 100 * s.used / s.available : 0.0,
                s.binds_text);
    } else {
        fprintf(out, "  Budget: %s %s m %s, no total limit; what binds: %s\n", used, cur,
                s.used_words, s.binds_text);
    }
    fprintf(out, "  Funded: %d project%s", r->n_picks, r->n_picks == 1 ? "" : "s");
    if (r->n_upgrade_picks) fprintf(out, ", %d upgrade%s", r->n_upgrade_picks,
                                    r->n_upgrade_picks == 1 ? "" : "s");
    if (r->n_stockpile_picks) fprintf(out, ", %d stockpile%s", r->n_stockpile_picks,
                                      r->n_stockpile_picks == 1 ? "" : "s");
    fprintf(out, "\n");
    if (rep_n_funded(r) > 0) CKP_TRY(text_funded(r, out));
    CKP_TRY(text_headline(r, &s, out));
    CKP_TRY(text_exposed(r, &s, out));
    char risk[600];
    if (rep_sc_at_risk_words(r, s.final_year - r->plan->first_year, risk, sizeof risk) > 0)
        fprintf(out, "  Supply at risk if the chokepoint stops exporting, %d (final demand "
                     "unmet, no funding -> with the portfolio): %s\n", s.final_year, risk);
    CKP_TRY(rep_text_next(r, out));
    return ferror(out) ? CKP_EIO : CKP_OK;
}

/* ---- JSON ---- */

void rep_json_summary(jw *w, const ckp_result *r)
{
    const ckp_plan *plan = r->plan;
    rep_summary s;
    rep_summary_make(r, &s);
    int has = rep_has_solution(r);
    jw_object(w, "summary");
    jw_object(w, "budget");
    jw_num(w, "available", s.available);
    jw_num(w, "used", s.used);
    jw_num(w, "left", s.left);
    jw_num(w, "share_used", isfinite(s.available) && s.available > 0 ? s.used / s.available : NAN);
    jw_str(w, "binds", s.binds);
    jw_array(w, "year_limits_used_in_full");
    for (int i = 0; i < s.n_tight; i++) jw_int(w, NULL, s.tight[i]);
    jw_end_array(w);
    jw_str(w, "cheapest_not_funded", s.cheapest_id);
    jw_num(w, "cheapest_not_funded_commitment", s.cheapest);
    jw_str(w, "text", s.binds_text);
    jw_str(w, "measure", ckp_fin_measure_str(r->budget_measure));
    jw_end_object(w);
    jw_array(w, "funded");
    for (int k = 0; has && k < rep_n_funded(r); k++) {
        rep_funded f;
        rep_funded_get(r, k, &f);
        jw_object(w, NULL);
        rep_funded_json(w, &f);
        jw_end_object(w);
    }
    jw_end_array(w);
    jw_int(w, "final_year", s.final_year);
    jw_str(w, "calm_case", s.calm >= 0 ? rep_scen_label(r, s.calm) : NULL);
    int fy = s.final_year - plan->first_year;
    int cols[REP_MAX_COLS];
    int nc = headline_cols(&s, cols);
    jw_array(w, "headline");
    for (int g = 0; g < plan->n_stages; g++) {
        jw_object(w, NULL);
        jw_str(w, "stage", plan->stages[g].id);
        jw_str(w, "name", plan->stages[g].name);
        jw_array(w, "cases");
        for (int j = 0; j < nc; j++) {
            jw_object(w, NULL);
            jw_str(w, "case", rep_scen_label(r, cols[j]));
            jw_bool(w, "calm", cols[j] == s.calm);
            jw_num(w, "baseline_share", rep_stage_share(r, cols[j], g, fy, 1));
            jw_num(w, "portfolio_share", has ? rep_stage_share(r, cols[j], g, fy, 0) : NAN);
            jw_end_object(w);
        }
        jw_end_array(w);
        jw_end_object(w);
    }
    jw_end_array(w);
    jw_array(w, "exposure");
    for (int j = 0; j <= nc; j++) {
        int sc = j < nc ? cols[j] : -1;
        if (sc < 0 && !(s.scenarios && s.n_scen > 1)) break;
        jw_object(w, NULL);
        jw_str(w, "case", sc >= 0 ? rep_scen_label(r, sc)
                                  : r->measure == CKP_MEASURE_WORST ? "worst-case" : "expected");
        jw_num(w, "baseline_value", rep_scen_value(r, sc, 1));
        jw_num(w, "portfolio_value", has ? rep_scen_value(r, sc, 0) : NAN);
        jw_end_object(w);
    }
    jw_end_array(w);
    jw_str(w, "share_year", rep_share_year_words);
    jw_num(w, "exposed_above", REP_EXPOSED);
    jw_array(w, "exposed");
    for (int g = 0; has && g < plan->n_stages; g++) {
        int sc = s.calm >= 0 ? s.calm : -1;
        int n = 0;
        char b[512];
        rep_exposed_years(r, &s, g, b, sizeof b, &n);
        if (n == 0) continue;
        jw_object(w, NULL);
        jw_str(w, "stage", plan->stages[g].id);
        jw_array(w, "years");
        for (int y = 0; y < r->n_years; y++)
            if (exposed(rep_stage_share(r, sc, g, y, 0))) jw_int(w, NULL, plan->first_year + y);
        jw_end_array(w);
        jw_end_object(w);
    }
    jw_end_array(w);
    jw_num(w, "max_share", r->max_share > 0 ? r->max_share : NAN);
    if (r->max_share > 0) jw_int(w, "max_share_missed", r->n_caps_missed);
    else jw_null(w, "max_share_missed");
    rep_sc_json_at_risk(w, r, has ? fy : -1);
    rep_json_next(w, r);
    jw_end_object(w);
}
