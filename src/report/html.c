/* html.c: report.html, one self-contained page for a committee: inline
 * CSS, inline SVG charts (charts.c), no script, no external file.  Order:
 * the committee summary (the figures of summary.c), the charts with their
 * data tables, the proof, and the sources as numbered footnotes.  Every
 * figure of the summary and the proof carries data-json / data-value
 * attributes naming its value in summary.json, so a browser test can
 * check that the page shows the JSON's figures (tests/unit/test_outputs.c).
 * Written with libxml2's xmlTextWriter into memory, then copied to the
 * stream (docs/reports.md, "report.html"). */
#include "ckp/report.h"

#include <libxml/xmlwriter.h>
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "report/common.h"
#include "report/figures.h"
#include "report/finance.h"
#include "report/html.h"
#include "report/scorecard.h"
#include "report/summary.h"

#define W(h) ((xmlTextWriterPtr)(h)->w)
#define X(s) ((const xmlChar *)(s))

/* ---- the writer ---- */

static void check(hw *h, int rc)
{
    if (rc < 0) h->bad = 1;
}

void hw_open(hw *h, const char *tag) { check(h, xmlTextWriterStartElement(W(h), X(tag))); }
void hw_close(hw *h) { check(h, xmlTextWriterFullEndElement(W(h))); }
void hw_end(hw *h) { check(h, xmlTextWriterEndElement(W(h))); }

void hw_attr(hw *h, const char *name, const char *value)
{
    check(h, xmlTextWriterWriteAttribute(W(h), X(name), X(value ? value : "")));
}

void hw_attrf(hw *h, const char *name, const char *fmt, ...)
{
    char b[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b, sizeof b, fmt, ap);
    va_end(ap);
    hw_attr(h, name, b);
}

/* Text: invalid UTF-8 would make the writer fail, so bytes that do not
 * form a valid sequence become '?'. */
void hw_text(hw *h, const char *s)
{
    if (!s) return;
    size_t n = strlen(s);
    char *c = xmlMalloc(n + 1);
    if (!c) {
        h->bad = 1;
        return;
    }
    memcpy(c, s, n + 1);
    if (xmlCheckUTF8(X(c)) == 0)
        for (size_t i = 0; i < n; i++)
            if ((unsigned char)c[i] >= 0x80) c[i] = '?';
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)c[i] < 0x20 && c[i] != '\n' && c[i] != '\t') c[i] = ' ';
    check(h, xmlTextWriterWriteString(W(h), X(c)));
    xmlFree(c);
}

void hw_textf(hw *h, const char *fmt, ...)
{
    char b[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(b, sizeof b, fmt, ap);
    va_end(ap);
    hw_text(h, b);
}

void hw_elem(hw *h, const char *tag, const char *text)
{
    hw_open(h, tag);
    hw_text(h, text);
    hw_close(h);
}

void hw_elem_class(hw *h, const char *tag, const char *cls, const char *text)
{
    hw_open(h, tag);
    hw_attr(h, "class", cls);
    hw_text(h, text);
    hw_close(h);
}

void hw_figure(hw *h, const char *tag, const char *path, double v, const char *text)
{
    char b[64];
    hw_open(h, tag);
    if (strcmp(tag, "td") == 0) hw_attr(h, "class", "num");
    hw_attr(h, "data-json", path);
    hw_attr(h, "data-value", rep_num(b, sizeof b, v) ? b : "null");
    hw_text(h, text);
    hw_close(h);
}

/* ---- the page ---- */

static const char css[] =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;"
    "margin:2em auto;max-width:60em;padding:0 1em;color:#1b1b1b;line-height:1.4}"
    "h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:2px solid #1b1b1b;"
    "padding-bottom:.2em;margin-top:2em}h3{margin:.2em 0}"
    ".meta{color:#555;font-size:.9em}.lead{font-size:1.1em}"
    "table{border-collapse:collapse;margin:.5em 0 1em;font-size:.9em}"
    "th,td{border-bottom:1px solid #ccc;padding:.2em .6em;text-align:left;vertical-align:top}"
    "th{background:#f0f0f0}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}"
    "figure{margin:1.5em 0;padding:1em;border:1px solid #ddd;border-radius:4px}"
    "figcaption{font-weight:bold;margin-bottom:.5em}"
    "svg{display:block;max-width:100%;height:auto}svg text{font-size:11px;fill:#1b1b1b}"
    ".note{font-size:.85em;color:#555}.bind{background:#fff4d6;padding:.5em;border-left:4px "
    "solid #e0a100}.exposed{color:#a61b1b}ol.notes{font-size:.85em;color:#333}"
    "details summary{cursor:pointer;color:#555}";

static void head_titled(hw *h, const char *name)
{
    hw_open(h, "head");
    hw_open(h, "meta");
    hw_attr(h, "charset", "utf-8");
    hw_end(h); /* void element: <meta .../> */
    hw_open(h, "title");
    hw_textf(h, "chokepoint: %s", name ? name : "plan");
    hw_close(h);
    hw_elem(h, "style", css);
    hw_close(h);
}

static void head(hw *h, const ckp_result *r) { head_titled(h, r->plan->name); }

/* Source notes: the funded items' sources, numbered in the order of the
 * funded table; the tool and input last. */
static int note_of_funded(const ckp_result *r, int k)
{
    (void)r;
    return k + 2; /* note 1 is the run itself */
}

static const char *funded_source(const ckp_result *r, int k)
{
    rep_funded f;
    rep_funded_get(r, k, &f);
    return f.source;
}

static void pct_text(char *b, size_t n, double v)
{
    char p[32];
    rep_pct(p, sizeof p, v);
    snprintf(b, n, isfinite(v) ? "%s %%" : "%s", p);
}

static void summary_budget(hw *h, const ckp_result *r, const rep_summary *s)
{
    char b[64];
    const char *cur = rep_currency(r);
    hw_open(h, "p");
    hw_attr(h, "class", "lead");
    hw_text(h, "Budget: ");
    rep_fixed(b, sizeof b, s->used, 1);
    hw_figure(h, "b", "summary.budget.used", s->used, b);
    if (isfinite(s->available)) {
        hw_text(h, " of ");
        rep_fixed(b, sizeof b, s->available, 1);
        hw_figure(h, "b", "summary.budget.available", s->available, b);
        hw_textf(h, " %s m %s (%.1f %%).", cur, s->used_words,
                 s->available > 0 ? 100 * s->used / s->available : 0.0);
    } else {
        hw_textf(h, " %s m %s; the plan sets no total limit.", cur, s->used_words);
    }
    hw_close(h);
    hw_open(h, "p");
    hw_attr(h, "class", "bind");
    hw_open(h, "b");
    hw_text(h, "What binds: ");
    hw_close(h);
    hw_text(h, s->binds_text);
    hw_text(h, ".");
    hw_close(h);
}

static void th_num(hw *h, const char *text)
{
    hw_elem_class(h, "th", "num", text);
}

static void summary_funded(hw *h, const ckp_result *r)
{
    int n = r->n_picks + r->n_upgrade_picks + r->n_stockpile_picks;
    char b[64], path[96];
    hw_elem(h, "h3", "Funded");
    if (n == 0) {
        hw_elem(h, "p", "Nothing is funded.");
        return;
    }
    hw_open(h, "table");
    hw_attr(h, "id", "funded");
    hw_open(h, "tr");
    hw_elem(h, "th", "funded");
    hw_elem(h, "th", "country");
    hw_elem(h, "th", "stage");
    hw_elem(h, "th", "instrument");
    th_num(h, "start");
    th_num(h, "online");
    snprintf(b, sizeof b, "commitment, %s m", rep_currency(r));
    th_num(h, b);
    hw_close(h);
    for (int k = 0; k < n; k++) {
        rep_funded f;
        rep_funded_get(r, k, &f);
        const char *name = f.name, *ctry = f.country_name, *stage = f.stage;
        const char *instr = f.instrument;
        int start = f.start, online = f.online;
        double c = f.commitment;
        hw_open(h, "tr");
        hw_open(h, "td");
        hw_text(h, name);
        if (funded_source(r, k)) {
            hw_open(h, "sup");
            hw_open(h, "a");
            hw_attrf(h, "href", "#note%d", note_of_funded(r, k));
            hw_textf(h, "[%d]", note_of_funded(r, k));
            hw_close(h);
            hw_close(h);
        }
        hw_close(h);
        hw_elem(h, "td", ctry ? ctry : "-");
        hw_elem(h, "td", stage ? stage : "-");
        hw_elem(h, "td", instr);
        snprintf(path, sizeof path, "summary.funded.%d.start", k);
        snprintf(b, sizeof b, "%d", start);
        hw_figure(h, "td", path, start, b);
        snprintf(path, sizeof path, "summary.funded.%d.online", k);
        snprintf(b, sizeof b, "%d", online);
        hw_figure(h, "td", path, online, b);
        snprintf(path, sizeof path, "summary.funded.%d.commitment", k);
        rep_fixed(b, sizeof b, c, 1);
        hw_figure(h, "td", path, c, b);
        hw_close(h);
    }
    hw_close(h);
}

/* The headline columns: the calm case first, then every other scenario
 * (the order of summary.headline[].cases). */
static int cases(const rep_summary *s, int *cols)
{
    int n = 0;
    if (s->calm >= 0) cols[n++] = s->calm;
    if (s->scenarios)
        for (int k = 0; k < s->n_scen && n < 60; k++)
            if (k != s->calm) cols[n++] = k;
    return n;
}

static void summary_headline(hw *h, const ckp_result *r, const rep_summary *s)
{
    const ckp_plan *plan = r->plan;
    int cols[64];
    int nc = cases(s, cols);
    int fy = s->final_year - plan->first_year;
    char b[64], path[128];
    hw_open(h, "h3");
    hw_textf(h, "Chokepoint share of each stage in %d: no funding \xe2\x86\x92 with the portfolio",
             s->final_year);
    hw_close(h);
    hw_open(h, "table");
    hw_attr(h, "id", "headline");
    hw_open(h, "tr");
    hw_elem(h, "th", "stage");
    for (int j = 0; j < nc; j++) {
        hw_open(h, "th");
        hw_attr(h, "class", "num");
        hw_attr(h, "colspan", "2");
        if (cols[j] == s->calm && strcmp(rep_scen_label(r, cols[j]), "calm") == 0)
            hw_text(h, "calm case");
        else if (cols[j] == s->calm)
            hw_textf(h, "calm case (%s)", rep_scen_label(r, cols[j]));
        else
            hw_textf(h, "scenario %s", rep_scen_label(r, cols[j]));
        hw_close(h);
    }
    hw_close(h);
    hw_open(h, "tr");
    hw_elem(h, "th", "");
    for (int j = 0; j < nc; j++) {
        th_num(h, "no funding");
        th_num(h, "portfolio");
    }
    hw_close(h);
    for (int g = 0; g < plan->n_stages; g++) {
        hw_open(h, "tr");
        hw_elem(h, "td", plan->stages[g].name ? plan->stages[g].name : plan->stages[g].id);
        for (int j = 0; j < nc; j++)
            for (int k = 0; k < 2; k++) {
                double v = rep_stage_share(r, cols[j], g, fy, k == 0);
                snprintf(path, sizeof path, "summary.headline.%d.cases.%d.%s", g, j,
                         k == 0 ? "baseline_share" : "portfolio_share");
                pct_text(b, sizeof b, v);
                hw_figure(h, "td", path, v, b);
            }
        hw_close(h);
    }
    hw_close(h);
    if (s->calm < 0)
        hw_elem_class(h, "p", "note", "Every scenario solved carries a disruption: none is "
                                      "the plan as written.");
}

static void summary_exposure(hw *h, const ckp_result *r, const rep_summary *s)
{
    int cols[64];
    int nc = cases(s, cols);
    int with_expected = s->scenarios && s->n_scen > 1;
    char b[64], path[128];
    hw_elem(h, "h3", "Exposure, share-years");
    hw_open(h, "table");
    hw_attr(h, "id", "exposure");
    hw_open(h, "tr");
    hw_elem(h, "th", "case");
    th_num(h, "no funding");
    th_num(h, "portfolio");
    th_num(h, "cut");
    hw_close(h);
    for (int j = 0; j < nc + with_expected; j++) {
        int sc = j < nc ? cols[j] : -1;
        double b0 = rep_scen_value(r, sc, 1);
        double b1 = rep_scen_value(r, sc, 0);
        hw_open(h, "tr");
        hw_elem(h, "td", sc >= 0 ? rep_scen_label(r, sc)
                         : r->measure == CKP_MEASURE_WORST ? "worst case" : "expected");
        snprintf(path, sizeof path, "summary.exposure.%d.baseline_value", j);
        rep_fixed(b, sizeof b, b0, 2);
        hw_figure(h, "td", path, b0, b);
        snprintf(path, sizeof path, "summary.exposure.%d.portfolio_value", j);
        rep_fixed(b, sizeof b, b1, 2);
        hw_figure(h, "td", path, b1, b);
        if (b0 > 0 && isfinite(b1)) snprintf(b, sizeof b, "\xe2\x88\x92%.0f %%", 100 * (b0 - b1) / b0);
        else snprintf(b, sizeof b, "-");
        hw_elem_class(h, "td", "num", b);
        hw_close(h);
    }
    hw_close(h);
    hw_elem_class(h, "p", "note", rep_share_year_words);
}

static void summary_exposed(hw *h, const ckp_result *r, const rep_summary *s)
{
    const ckp_plan *plan = r->plan;
    hw_open(h, "h3");
    hw_textf(h, "What remains exposed (chokepoint share above %.0f %% with the portfolio, %s)",
             100 * REP_EXPOSED,
             s->calm >= 0 ? "calm case"
             : s->n_scen == 1 ? "the scenario solved" : "probability-weighted over the scenarios");
    hw_close(h);
    hw_open(h, "ul");
    hw_attr(h, "id", "exposed");
    int any = 0;
    for (int g = 0; g < plan->n_stages; g++) {
        char b[512];
        int n = 0;
        rep_exposed_years(r, s, g, b, sizeof b, &n);
        if (n == 0) continue;
        any = 1;
        hw_open(h, "li");
        hw_attr(h, "class", "exposed");
        hw_textf(h, "%s: %s (%d year%s)",
                 plan->stages[g].name ? plan->stages[g].name : plan->stages[g].id, b, n,
                 n == 1 ? "" : "s");
        hw_close(h);
    }
    if (!any) hw_elem(h, "li", "No stage-year stays above that share.");
    hw_open(h, "li");
    if (r->max_share > 0) {
        char cap[32];
        rep_pct(cap, sizeof cap, r->max_share);
        if (r->n_caps_missed == 0)
            hw_textf(h, "Policy cap %s %% per third country: met everywhere.", cap);
        else
            hw_textf(h, "Policy cap %s %% per third country: missed in %d of %d "
                        "stage-country-years.", cap, r->n_caps_missed, r->n_caps);
    } else {
        hw_text(h, "Policy cap: none (no maximum share per third country set).");
    }
    hw_close(h);
    hw_close(h);
}

/* The proof: the status figures of figures.c that have words. */
static void proof(hw *h, const ckp_result *r)
{
    static const char *const groups[] = {"status", "model_size"};
    hw_elem(h, "h2", "Proof");
    hw_open(h, "table");
    hw_attr(h, "id", "proof");
    for (int gi = 0; gi < 2; gi++)
        for (int i = 0; i < rep_n_figures; i++) {
            const rep_figure *f = &rep_figures[i];
            if (strcmp(f->group, groups[gi]) != 0 || !f->label) continue;
            rep_cell c;
            char b[512], u[32], path[96];
            memset(&c, 0, sizeof c);
            f->get(r, &c);
            rep_cell_text(&c, f->unit, b, sizeof b);
            hw_open(h, "tr");
            hw_elem(h, "th", f->label);
            snprintf(path, sizeof path, "%s.%s", f->group, f->key);
            if (c.type == REP_T_NUM) hw_figure(h, "td", path, c.num, b);
            else if (c.type == REP_T_INT) hw_figure(h, "td", path, (double)c.i, b);
            else hw_elem(h, "td", b);
            rep_unit_text(r, f->unit, u, sizeof u);
            hw_elem(h, "td", f->unit == REP_U_SHARE ? "" : u);
            hw_close(h);
        }
    hw_close(h);
    /* no wall-clock time here: two runs of the same input write the same
       page; the times are in summary.json ("timing") and the text report */
    hw_elem_class(h, "p", "note", "Wall-clock times: summary.json, \"timing\".");
}

static void notes(hw *h, const ckp_result *r, const ckp_report_info *info)
{
    int n = r->n_picks + r->n_upgrade_picks + r->n_stockpile_picks;
    hw_elem(h, "h2", "Sources");
    hw_open(h, "ol");
    hw_attr(h, "class", "notes");
    hw_open(h, "li");
    hw_attr(h, "id", "note1");
    hw_textf(h, "Every figure: chokepoint %s, solve of %s (SHA-256 %s) with GLPK %s; "
                "command: %s. The same figures are in summary.json and the CSV files "
                "of the output directory (datapackage.json describes them).",
             info && info->tool_version ? info->tool_version : "?",
             info && info->input_path ? info->input_path : (r->plan->path ? r->plan->path : "?"),
             info && info->input_sha256 ? info->input_sha256 : "?", ckp_solver_version(),
             info && info->command_line ? info->command_line : "?");
    hw_close(h);
    for (int k = 0; k < n; k++) {
        const char *src = funded_source(r, k);
        if (!src) continue;
        hw_open(h, "li");
        hw_attrf(h, "id", "note%d", note_of_funded(r, k));
        hw_attrf(h, "value", "%d", note_of_funded(r, k));
        hw_text(h, src);
        hw_close(h);
    }
    hw_close(h);
}

/* One scorecard table (scorecard.c): "_before" and "_after" columns as
 * "before -> after". */
static void scorecard_table(hw *h, const ckp_result *r, const rep_table_def *t)
{
    char b[160];
    hw_open(h, "table");
    hw_attr(h, "class", "data");
    hw_attr(h, "data-table", t->name);
    hw_open(h, "tr");
    for (int j = 0; j < t->n_cols; j++) {
        if (!rep_column_on(r, &t->cols[j]) || rep_sc_is_after(t, j)) continue;
        rep_sc_head(r, t, j, b, sizeof b);
        if (t->cols[j].type == REP_T_STR) hw_elem(h, "th", b);
        else hw_elem_class(h, "th", "num", b);
    }
    hw_close(h);
    rep_row w;
    for (long k = 0;; k++) {
        int got = t->row(r, k, &w);
        if (got == 0) break;
        if (got < 0) continue;
        hw_open(h, "tr");
        for (int j = 0; j < t->n_cols; j++) {
            if (!rep_column_on(r, &t->cols[j]) || rep_sc_is_after(t, j)) continue;
            rep_sc_cell(r, t, &w, j, b, sizeof b);
            if (t->cols[j].type == REP_T_STR) hw_elem(h, "td", b);
            else hw_elem_class(h, "td", "num", b);
        }
        hw_close(h);
    }
    hw_close(h);
}

/* The programme's scorecard (docs/reports.md, "Scorecard"). */
static void scorecard(hw *h, const ckp_result *r)
{
    const rep_table_def *t = rep_table_find("scorecard.csv");
    const rep_table_def *k = rep_table_find("scorecard_capacity.csv");
    if (!t || !k || !t->wanted(r)) return;
    hw_open(h, "section");
    hw_attr(h, "id", "scorecard");
    hw_elem(h, "h2", "Scorecard");
    hw_elem(h, "p", "Per stage and year, no project funded -> with the portfolio: capacity "
                    "outside the chokepoint, output under the bank's offtake and price-floor "
                    "options and its share of the bloc's requirement, the top supplier's "
                    "share, the HHI, the largest share of one country outside the bloc "
                    "(scorecard.csv).");
    scorecard_table(h, r, t);
    hw_elem(h, "p", "Capacity outside the chokepoint per stage and country, t/yr "
                    "(scorecard_capacity.csv).");
    scorecard_table(h, r, k);
    const rep_table_def *c = rep_table_find("scorecard_commodities.csv");
    if (c) {
        hw_elem(h, "p", "Per commodity and year: supply at risk, the final demand left unmet "
                        "if the chokepoint (countries of risk 1) stops exporting, t/yr, and the "
                        "local processing share of the ore mined outside the chokepoint "
                        "(scorecard_commodities.csv).");
        scorecard_table(h, r, c);
    }
    rep_sc_sources src;
    rep_sc_count_sources(r->plan, &src);
    hw_open(h, "p");
    hw_attr(h, "id", "transparency");
    hw_textf(h, "Transparency: %ld of the plan's %ld records carrying figures give a source "
                "(%ld without), %ld an as-of date.", src.with_source, src.records,
             src.records - src.with_source, src.with_as_of);
    hw_close(h);
    hw_close(h);
}

static void write_doc(hw *h, const ckp_result *r, const ckp_report_info *info,
                      const rep_html_section *extra)
{
    const ckp_plan *plan = r->plan;
    rep_summary s;
    rep_summary_make(r, &s);
    check(h, xmlTextWriterWriteDTD(W(h), X("html"), NULL, NULL, NULL));
    hw_open(h, "html");
    hw_attr(h, "lang", "en");
    head(h, r);
    hw_open(h, "body");
    hw_elem(h, "h1", plan->name ? plan->name : "chokepoint report");
    hw_open(h, "p");
    hw_attr(h, "class", "meta");
    hw_textf(h, "Horizon %d\xe2\x80\x93%d; money in millions of %s; objective %s%s.",
             plan->first_year, plan->last_year, rep_currency(r),
             r->min_cost ? "min-cost" : ckp_objective_str(r->objective),
             s.scenarios ? (r->measure == CKP_MEASURE_WORST ? " over the scenarios (worst case)"
                                                           : " over the scenarios (expected)")
                         : "");
    hw_close(h);
    hw_open(h, "section");
    hw_attr(h, "id", "summary");
    hw_elem(h, "h2", "Committee summary");
    if (!rep_has_solution(r)) {
        char b[256];
        rep_status_sentence(r, b, sizeof b);
        hw_elem(h, "p", "No portfolio: ");
        hw_elem(h, "p", b);
    } else {
        summary_budget(h, r, &s);
        summary_funded(h, r);
        summary_headline(h, r, &s);
        summary_exposure(h, r, &s);
        summary_exposed(h, r, &s);
        char risk[600];
        if (rep_sc_at_risk_words(r, s.final_year - r->plan->first_year, risk, sizeof risk) > 0) {
            hw_open(h, "p");
            hw_attr(h, "id", "supply-at-risk");
            hw_textf(h, "Supply at risk if the chokepoint stops exporting, %d (final demand "
                        "unmet, no funding -> with the portfolio): %s.", s.final_year, risk);
            hw_close(h);
        }
        rep_html_next(h, r);
    }
    hw_close(h);
    if (extra && extra->write) extra->write(h, extra->arg);
    if (rep_has_solution(r)) {
        hw_open(h, "section");
        hw_attr(h, "id", "charts");
        hw_elem(h, "h2", "Charts");
        rep_chart_supply_final(h, r);
        rep_chart_supply_time(h, r);
        rep_chart_gantt(h, r);
        rep_chart_budget(h, r);
        rep_chart_shortage(h, r);
        rep_chart_releases(h, r);
        hw_close(h);
    }
    scorecard(h, r);
    rep_finance_html(h, r);
    hw_open(h, "section");
    hw_attr(h, "id", "proof-section");
    proof(h, r);
    hw_close(h);
    hw_open(h, "footer");
    notes(h, r, info);
    hw_close(h);
    hw_close(h); /* body */
    hw_close(h); /* html */
}

/* Write a whole document through a fresh writer into memory, then to out
 * (so a writer failure never leaves half a page in out). */
static ckp_status emit(FILE *out, void (*doc)(hw *h, const void *arg), const void *arg)
{
    xmlBufferPtr buf = xmlBufferCreate();
    if (!buf) return CKP_ENOMEM;
    xmlTextWriterPtr w = xmlNewTextWriterMemory(buf, 0);
    if (!w) {
        xmlBufferFree(buf);
        return CKP_ENOMEM;
    }
    hw h = {w, 0};
    doc(&h, arg);
    check(&h, xmlTextWriterEndDocument(w));
    xmlFreeTextWriter(w); /* flushes into buf */
    ckp_status st = h.bad ? CKP_EINTERNAL : CKP_OK;
    if (st == CKP_OK) {
        size_t n = (size_t)xmlBufferLength(buf);
        if (fwrite(xmlBufferContent(buf), 1, n, out) != n || fputc('\n', out) == EOF)
            st = CKP_EIO;
    }
    xmlBufferFree(buf);
    if (st == CKP_OK && ferror(out)) st = CKP_EIO;
    return st;
}

typedef struct page_arg {
    const char *title;
    void (*body)(hw *h, const void *arg);
    const void *arg;
} page_arg;

static void page_doc(hw *h, const void *arg)
{
    const page_arg *p = arg;
    check(h, xmlTextWriterWriteDTD(W(h), X("html"), NULL, NULL, NULL));
    hw_open(h, "html");
    hw_attr(h, "lang", "en");
    head_titled(h, p->title);
    hw_open(h, "body");
    p->body(h, p->arg);
    hw_close(h); /* body */
    hw_close(h); /* html */
}

ckp_status rep_html_page(FILE *out, const char *title,
                         void (*body)(hw *h, const void *arg), const void *arg)
{
    page_arg p = {title, body, arg};
    return emit(out, page_doc, &p);
}

typedef struct result_arg {
    const ckp_result *r;
    const ckp_report_info *info;
    const rep_html_section *extra;
} result_arg;

static void result_doc(hw *h, const void *arg)
{
    const result_arg *a = arg;
    write_doc(h, a->r, a->info, a->extra);
}

ckp_status rep_html_result(const ckp_result *r, const ckp_report_info *info,
                           const rep_html_section *extra, FILE *out)
{
    if (!r || !r->plan || !out) return CKP_EINTERNAL;
    result_arg a = {r, info, extra};
    return emit(out, result_doc, &a);
}

ckp_status ckp_report_html(const ckp_result *r, const ckp_report_info *info, FILE *out)
{
    return rep_html_result(r, info, NULL, out);
}

void hw_svg_open(hw *h, double width, double height, const char *label)
{
    hw_open(h, "svg");
    hw_attr(h, "xmlns", "http://www.w3.org/2000/svg");
    hw_attrf(h, "viewBox", "0 0 %.0f %.0f", width, height);
    hw_attrf(h, "width", "%.0f", width);
    hw_attrf(h, "height", "%.0f", height);
    hw_attr(h, "role", "img");
    hw_attr(h, "aria-label", label);
}

void hw_svg_rect(hw *h, double x, double y, double w, double ht, const char *fill,
                 const char *stroke, const char *title)
{
    hw_open(h, "rect");
    hw_attrf(h, "x", "%.1f", x);
    hw_attrf(h, "y", "%.1f", y);
    hw_attrf(h, "width", "%.1f", w);
    hw_attrf(h, "height", "%.1f", ht);
    hw_attr(h, "fill", fill);
    if (stroke) hw_attr(h, "stroke", stroke);
    if (title) hw_elem(h, "title", title);
    hw_end(h);
}

void hw_svg_line(hw *h, double x1, double y1, double x2, double y2, const char *stroke,
                 double width, const char *dash)
{
    hw_open(h, "line");
    hw_attrf(h, "x1", "%.1f", x1);
    hw_attrf(h, "y1", "%.1f", y1);
    hw_attrf(h, "x2", "%.1f", x2);
    hw_attrf(h, "y2", "%.1f", y2);
    hw_attr(h, "stroke", stroke);
    if (width > 0) hw_attrf(h, "stroke-width", "%.1f", width);
    if (dash) hw_attr(h, "stroke-dasharray", dash);
    hw_end(h);
}

void hw_svg_text(hw *h, double x, double y, const char *anchor, const char *s)
{
    hw_open(h, "text");
    hw_attrf(h, "x", "%.1f", x);
    hw_attrf(h, "y", "%.1f", y);
    if (anchor) hw_attr(h, "text-anchor", anchor);
    hw_text(h, s);
    hw_close(h);
}
