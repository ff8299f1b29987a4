/* charts.c: the SVG charts of report.html, written through the libxml2
 * writer of html.c (hw_*): supply of each stage by country (final year,
 * and over the years), the funded projects on a time line coloured by
 * instrument, the budget committed per year against the year limits, the
 * shortage per scenario and year, and the stockpile releases.  Every chart
 * is a <figure> with a title, axes with their units, a legend, the data
 * table below it and a source note (footnote 1 of the page). */
#include <math.h>
#include <string.h>

#include "report/common.h"
#include "report/figures.h"
#include "report/html.h"

#define CW 720.0     /* chart width, px */
#define LEFT 110.0   /* room for labels at the left */
#define RIGHT 20.0
#define MAXC 12      /* countries drawn apart; the rest are "other" */

static const char *const palette[] = {"#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#17becf",
                                      "#8c564b", "#e377c2", "#bcbd22", "#7f7f7f", "#aec7e8",
                                      "#98df8a", "#ffbb78"};
#define CHOKE_COLOUR "#c0392b"
#define OTHER_COLOUR "#d0d0d0"

static void source_note(hw *h, const char *what)
{
    hw_open(h, "p");
    hw_attr(h, "class", "note");
    hw_text(h, "Source: ");
    hw_text(h, what);
    hw_text(h, " ");
    hw_open(h, "a");
    hw_attr(h, "href", "#note1");
    hw_text(h, "[1]");
    hw_close(h);
    hw_close(h);
}

static void begin_figure(hw *h, const char *id, const char *title)
{
    hw_open(h, "figure");
    hw_attr(h, "id", id);
    hw_elem(h, "figcaption", title);
}

/* A bar of the charts: nothing when it has no size. */
static void rect(hw *h, double x, double y, double w, double ht, const char *fill,
                 const char *title)
{
    if (w > 0 && ht > 0) hw_svg_rect(h, x, y, w, ht, fill, NULL, title);
}

/* Legend entries in a row from x, y; returns the y below. */
static double legend(hw *h, double x, double y, int n, const char *const *labels,
                     const char *const *colours)
{
    double cx = x;
    for (int i = 0; i < n; i++) {
        double w = 18 + 6.5 * (double)strlen(labels[i]);
        if (cx + w > CW - RIGHT) {
            cx = x;
            y += 16;
        }
        rect(h, cx, y - 9, 10, 10, colours[i], NULL);
        hw_svg_text(h, cx + 14, y, NULL, labels[i]);
        cx += w + 10;
    }
    return y + 16;
}

/* A rounded-up axis maximum: 1, 2 or 5 x 10^k. */
static double nice_max(double v)
{
    if (!(v > 0)) return 1;
    double p = pow(10, floor(log10(v)));
    double m = v / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/* Y axis from y0 (bottom) to y1 (top) for 0..max with 5 ticks and a unit
 * label, plus the x axis line. */
static void y_axis(hw *h, double x0, double x1, double y0, double y1, double max,
                   const char *unit)
{
    char b[64];
    for (int i = 0; i <= 5; i++) {
        double v = max * i / 5;
        double y = y0 - (y0 - y1) * i / 5;
        hw_svg_line(h, x0, y, x1, y, i == 0 ? "#1b1b1b" : "#e4e4e4", 1, NULL);
        rep_grouped(b, sizeof b, v);
        hw_svg_text(h, x0 - 4, y + 4, "end", b);
    }
    hw_svg_text(h, x0 - 4, y1 - 10, "end", unit);
}

static double x_of_year(const ckp_result *r, double x0, double x1, double year)
{
    double span = (double)(r->plan->last_year - r->plan->first_year + 1);
    return x0 + (x1 - x0) * (year - r->plan->first_year) / span;
}

static void year_ticks(hw *h, const ckp_result *r, double x0, double x1, double y, int centre)
{
    char b[16];
    for (int yr = r->plan->first_year; yr <= r->plan->last_year; yr++) {
        double x = x_of_year(r, x0, x1, yr + (centre ? 0.5 : 0.0));
        snprintf(b, sizeof b, "%d", yr);
        hw_svg_text(h, x, y + 14, "middle", b);
    }
    hw_svg_text(h, x1, y + 28, "end", "year");
}

/* ---- supply of a stage by country ---- */

typedef struct supply {
    int n;                 /* countries drawn (+ other) */
    int country[MAXC + 1]; /* plan index; -1 = other / unknown */
    const char *label[MAXC + 1];
    const char *colour[MAXC + 1];
} supply;

static int producer_stage(const ckp_plan *plan, int i)
{
    int c = rep_producer_output(plan, i);
    return c >= 0 && c < plan->n_commodities ? plan->commodities[c].stage.ix : -1;
}

static int producer_country(const ckp_plan *plan, int i)
{
    return rep_country_ix(plan, rep_producer_country(plan, i));
}

/* Production of stage g in year y by country k (-1: every country not
 * among the drawn ones), baseline or portfolio; total when k = -2. */
static double stage_prod(const ckp_result *r, const supply *sp, int g, int y, int k, int base)
{
    const ckp_plan *plan = r->plan;
    const double *a = base ? r->baseline_production : r->production;
    if (!a) return NAN;
    double v = 0;
    for (int i = 0; i < r->n_producers; i++) {
        if (producer_stage(plan, i) != g) continue;
        double q = a[(size_t)i * (size_t)r->n_years + (size_t)y];
        if (!isfinite(q)) continue;
        int c = producer_country(plan, i);
        if (k == -2) v += q;
        else if (k >= 0 && c == k) v += q;
        else if (k == -1) {
            int drawn = 0;
            for (int j = 0; j < sp->n; j++) drawn |= sp->country[j] == c && c >= 0;
            if (!drawn) v += q;
        }
    }
    return v;
}

static double stage_share(const ckp_result *r, const supply *sp, int g, int y, int k, int base)
{
    double tot = stage_prod(r, sp, g, y, -2, base);
    return tot > 0 ? stage_prod(r, sp, g, y, k, base) / tot : NAN;
}

/* The countries that supply at least 1 % of a stage in some year: the
 * chokepoint (risk 1) in red, the others in the palette, the rest grey. */
static void pick_countries(const ckp_result *r, supply *sp)
{
    const ckp_plan *plan = r->plan;
    memset(sp, 0, sizeof *sp);
    int pal = 0;
    for (int k = 0; k < plan->n_countries && sp->n < MAXC; k++) {
        int big = 0;
        for (int g = 0; g < plan->n_stages && !big; g++)
            for (int y = 0; y < r->n_years && !big; y++)
                for (int b = 0; b < 2 && !big; b++) {
                    double tot = stage_prod(r, sp, g, y, -2, b);
                    if (tot > 0 && stage_prod(r, sp, g, y, k, b) >= 0.01 * tot) big = 1;
                }
        if (!big) continue;
        sp->country[sp->n] = k;
        sp->label[sp->n] = rep_country_name(plan, k);
        sp->colour[sp->n] = plan->countries[k].risk >= 1 ? CHOKE_COLOUR
                                                         : palette[pal++ % (int)(sizeof palette / sizeof palette[0])];
        sp->n++;
    }
    sp->country[sp->n] = -1;
    sp->label[sp->n] = "other";
    sp->colour[sp->n] = OTHER_COLOUR;
    sp->n++;
}

static int country_of(const supply *sp, int j) { return j == sp->n - 1 ? -1 : sp->country[j]; }

/* The data of a supply chart.  g < 0 (final year y0 = y1): one row per
 * country, two columns per stage (no funding, portfolio).  g >= 0: one
 * row per country and case, one column per year y0..y1. */
static void supply_table(hw *h, const ckp_result *r, const supply *sp, int g, int y0, int y1)
{
    const ckp_plan *plan = r->plan;
    char b[160];
    hw_open(h, "table");
    hw_attr(h, "class", "data");
    hw_open(h, "tr");
    hw_elem(h, "th", "country");
    if (g < 0) {
        for (int gg = 0; gg < plan->n_stages; gg++)
            for (int base = 1; base >= 0; base--) {
                snprintf(b, sizeof b, "%s %d, %s, %%", plan->stages[gg].id,
                         plan->first_year + y0, base ? "no funding" : "portfolio");
                hw_elem_class(h, "th", "num", b);
            }
    } else {
        hw_elem(h, "th", "case");
        for (int y = y0; y <= y1; y++) {
            snprintf(b, sizeof b, "%d, %%", plan->first_year + y);
            hw_elem_class(h, "th", "num", b);
        }
    }
    hw_close(h);
    for (int j = 0; j <= sp->n; j++)
        for (int base = 1; base >= (g < 0 ? 1 : 0); base--) {
            hw_open(h, "tr");
            hw_elem(h, "td", j < sp->n ? sp->label[j] : "supply, t/yr");
            if (g >= 0) hw_elem(h, "td", base ? "no funding" : "portfolio");
            for (int gg = g < 0 ? 0 : g; gg <= (g < 0 ? plan->n_stages - 1 : g); gg++)
                for (int y = y0; y <= y1; y++)
                    for (int bb = (g < 0 ? 1 : base); bb >= (g < 0 ? 0 : base); bb--) {
                        if (j < sp->n)
                            rep_pct(b, sizeof b, stage_share(r, sp, gg, y, country_of(sp, j), bb));
                        else
                            rep_grouped(b, sizeof b, stage_prod(r, sp, gg, y, -2, bb));
                        hw_elem_class(h, "td", "num", b);
                    }
            hw_close(h);
        }
    hw_close(h);
}

/* One horizontal 100 % bar stacked by country. */
static void hbar(hw *h, const ckp_result *r, const supply *sp, int g, int y, int base,
                 double x0, double x1, double top, double height)
{
    double x = x0;
    for (int j = 0; j < sp->n; j++) {
        double v = stage_share(r, sp, g, y, country_of(sp, j), base);
        if (!(v > 0)) continue;
        char t[160], p[32];
        rep_pct(p, sizeof p, v);
        snprintf(t, sizeof t, "%s: %s %%", sp->label[j], p);
        rect(h, x, top, (x1 - x0) * v, height, sp->colour[j], t);
        if ((x1 - x0) * v > 34) {
            hw_open(h, "text");
            hw_attrf(h, "x", "%.1f", x + (x1 - x0) * v / 2);
            hw_attrf(h, "y", "%.1f", top + height / 2 + 4);
            hw_attr(h, "text-anchor", "middle");
            hw_attr(h, "style", "fill:#fff");
            hw_textf(h, "%s", p);
            hw_close(h);
        }
        x += (x1 - x0) * v;
    }
}

void rep_chart_supply_final(hw *h, const ckp_result *r)
{
    const ckp_plan *plan = r->plan;
    supply sp;
    pick_countries(r, &sp);
    int y = r->n_years - 1;
    char title[160];
    snprintf(title, sizeof title,
             "Supply of each stage by country in %d: no funding and with the portfolio",
             plan->last_year);
    begin_figure(h, "chart-supply-final", title);
    double rowh = 22, gap = 30;
    double top = 60;
    double height = top + plan->n_stages * (2 * rowh + gap) + 10 + 16 * (sp.n / 5 + 1);
    hw_svg_open(h, CW, height, title);
    double x0 = LEFT + 80, x1 = CW - RIGHT;
    for (int i = 0; i <= 4; i++) {
        char b[16];
        double x = x0 + (x1 - x0) * i / 4;
        hw_svg_line(h, x, top - 20, x, top + plan->n_stages * (2 * rowh + gap) - gap, "#e4e4e4", 1,
             NULL);
        snprintf(b, sizeof b, "%d %%", 25 * i);
        hw_svg_text(h, x, top - 24, "middle", b);
    }
    hw_svg_text(h, x0, 14, "start", "share of the stage's supply to the bloc, %");
    for (int g = 0; g < plan->n_stages; g++) {
        double ty = top + g * (2 * rowh + gap);
        hw_open(h, "text");
        hw_attrf(h, "x", "%.1f", 4.0);
        hw_attrf(h, "y", "%.1f", ty - 6);
        hw_attr(h, "style", "font-weight:bold");
        hw_text(h, plan->stages[g].name ? plan->stages[g].name : plan->stages[g].id);
        hw_close(h);
        hw_svg_text(h, x0 - 6, ty + rowh / 2 + 4, "end", "no funding");
        hw_svg_text(h, x0 - 6, ty + rowh * 1.5 + 4, "end", "portfolio");
        hbar(h, r, &sp, g, y, 1, x0, x1, ty, rowh - 3);
        hbar(h, r, &sp, g, y, 0, x0, x1, ty + rowh, rowh - 3);
    }
    legend(h, 4, top + plan->n_stages * (2 * rowh + gap), sp.n, sp.label, sp.colour);
    hw_close(h); /* svg */
    supply_table(h, r, &sp, -1, y, y);
    source_note(h, "production of every existing facility and funded project in the "
                   "solution (probability-weighted over the scenarios), grouped by the "
                   "producer's country; supply = the stage's production for the bloc "
                   "(production.csv).");
    hw_close(h); /* figure */
}

void rep_chart_supply_time(hw *h, const ckp_result *r)
{
    const ckp_plan *plan = r->plan;
    supply sp;
    pick_countries(r, &sp);
    begin_figure(h, "chart-supply-time",
                 "Supply of each stage by country, year by year: no funding (left, faded bar "
                 "of each year) and with the portfolio (right bar)");
    for (int g = 0; g < plan->n_stages; g++) {
        const char *name = plan->stages[g].name ? plan->stages[g].name : plan->stages[g].id;
        hw_elem(h, "h3", name);
        double top = 20, ph = 150, height = top + ph + 50 + 16 * (sp.n / 3 + 1);
        hw_svg_open(h, CW, height, name);
        double x0 = LEFT, x1 = CW - RIGHT, y0 = top + ph;
        y_axis(h, x0, x1, y0, top, 100, "%");
        double slot = (x1 - x0) / r->n_years;
        for (int y = 0; y < r->n_years; y++)
            for (int base = 1; base >= 0; base--) {
                double bx = x0 + slot * y + slot * (base ? 0.12 : 0.52);
                double acc = 0;
                for (int j = 0; j < sp.n; j++) {
                    double v = stage_share(r, &sp, g, y, country_of(&sp, j), base);
                    if (!(v > 0)) continue;
                    char t[160], p[32];
                    rep_pct(p, sizeof p, v);
                    snprintf(t, sizeof t, "%d %s, %s: %s %%", plan->first_year + y,
                             base ? "no funding" : "portfolio", sp.label[j], p);
                    double top_y = y0 - ph * (acc + v);
                    if (base) {
                        hw_open(h, "rect");
                        hw_attrf(h, "x", "%.1f", bx);
                        hw_attrf(h, "y", "%.1f", top_y);
                        hw_attrf(h, "width", "%.1f", slot * 0.36);
                        hw_attrf(h, "height", "%.1f", ph * v);
                        hw_attr(h, "fill", sp.colour[j]);
                        hw_attr(h, "fill-opacity", "0.5");
                        hw_elem(h, "title", t);
                        hw_end(h);
                    } else {
                        rect(h, bx, top_y, slot * 0.36, ph * v, sp.colour[j], t);
                    }
                    acc += v;
                }
            }
        year_ticks(h, r, x0, x1, y0, 1);
        legend(h, LEFT, y0 + 44, sp.n, sp.label, sp.colour);
        hw_close(h);
        hw_open(h, "details");
        hw_elem(h, "summary", "data table");
        supply_table(h, r, &sp, g, 0, r->n_years - 1);
        hw_close(h);
    }
    source_note(h, "as above, every year of the horizon (production.csv).");
    hw_close(h);
}

/* ---- funded projects on a time line ---- */

static const char *instrument_colour(const char *in)
{
    static const char *const names[] = {"loan", "guarantee", "equity", "grant", "offtake",
                                        "price-floor", "upgrade", "stockpile"};
    for (int i = 0; i < 8; i++)
        if (strcmp(in, names[i]) == 0) return palette[i];
    return OTHER_COLOUR;
}

void rep_chart_gantt(hw *h, const ckp_result *r)
{
    const ckp_plan *plan = r->plan;
    int n = r->n_picks + r->n_upgrade_picks;
    begin_figure(h, "chart-gantt",
                 "Funded projects and upgrades: funding and construction (start \xe2\x86\x92 "
                 "online, solid) and production (online \xe2\x86\x92 end of horizon, light), "
                 "coloured by instrument");
    double rowh = 18, top = 10;
    double height = top + n * rowh + 50;
    hw_svg_open(h, CW, height, "funded projects on a time line");
    double x0 = LEFT + 170, x1 = CW - RIGHT, y0 = top + n * rowh;
    for (int yr = plan->first_year; yr <= plan->last_year + 1; yr++) {
        double x = x_of_year(r, x0, x1, yr);
        hw_svg_line(h, x, top, x, y0, "#e4e4e4", 1, NULL);
    }
    const char *used[8] = {0};
    const char *colours[8] = {0};
    int nu = 0;
    for (int k = 0; k < n; k++) {
        const char *name, *in;
        int start, online;
        if (k < r->n_picks) {
            const ckp_pick *p = &r->picks[k];
            const ckp_project *pr = &plan->projects[p->project];
            name = pr->name && *pr->name ? pr->name : pr->id;
            in = ckp_instrument_str(pr->options[p->option].instrument);
            start = p->start;
            online = p->online;
        } else {
            const ckp_upgrade_pick *p = &r->upgrade_picks[k - r->n_picks];
            const ckp_upgrade *u = &plan->upgrades[p->upgrade];
            name = u->name && *u->name ? u->name : u->id;
            in = "upgrade";
            start = p->start;
            online = p->online;
        }
        int seen = 0;
        for (int i = 0; i < nu; i++) seen |= strcmp(used[i], in) == 0;
        if (!seen && nu < 8) {
            used[nu] = in;
            colours[nu++] = instrument_colour(in);
        }
        double ty = top + k * rowh;
        char b[96], t[256];
        if (strlen(name) > 44) snprintf(b, sizeof b, "%.42s\xe2\x80\xa6", name);
        else snprintf(b, sizeof b, "%s", name);
        hw_svg_text(h, x0 - 6, ty + rowh - 5, "end", b);
        snprintf(t, sizeof t, "%s (%s): start %d, online %d", name, in, start, online);
        rect(h, x_of_year(r, x0, x1, start), ty + 2,
             x_of_year(r, x0, x1, online) - x_of_year(r, x0, x1, start), rowh - 4,
             instrument_colour(in), t);
        hw_open(h, "rect");
        hw_attrf(h, "x", "%.1f", x_of_year(r, x0, x1, online));
        hw_attrf(h, "y", "%.1f", ty + 6);
        hw_attrf(h, "width", "%.1f",
                 fmax(0, x_of_year(r, x0, x1, plan->last_year + 1) - x_of_year(r, x0, x1, online)));
        hw_attrf(h, "height", "%.1f", rowh - 12);
        hw_attr(h, "fill", instrument_colour(in));
        hw_attr(h, "fill-opacity", "0.35");
        hw_end(h);
    }
    hw_svg_line(h, x0, y0, x1, y0, "#1b1b1b", 1, NULL);
    year_ticks(h, r, x0, x1, y0, 1);
    legend(h, LEFT, y0 + 44, nu, used, colours);
    hw_close(h);
    hw_open(h, "table");
    hw_attr(h, "class", "data");
    hw_open(h, "tr");
    hw_elem(h, "th", "funded");
    hw_elem(h, "th", "instrument");
    hw_elem_class(h, "th", "num", "start");
    hw_elem_class(h, "th", "num", "online");
    hw_close(h);
    for (int k = 0; k < n; k++) {
        char b[16];
        hw_open(h, "tr");
        if (k < r->n_picks) {
            const ckp_pick *p = &r->picks[k];
            const ckp_project *pr = &plan->projects[p->project];
            hw_elem(h, "td", pr->id);
            hw_elem(h, "td", ckp_instrument_str(pr->options[p->option].instrument));
            snprintf(b, sizeof b, "%d", p->start);
            hw_elem_class(h, "td", "num", b);
            snprintf(b, sizeof b, "%d", p->online);
            hw_elem_class(h, "td", "num", b);
        } else {
            const ckp_upgrade_pick *p = &r->upgrade_picks[k - r->n_picks];
            hw_elem(h, "td", plan->upgrades[p->upgrade].id);
            hw_elem(h, "td", "upgrade");
            snprintf(b, sizeof b, "%d", p->start);
            hw_elem_class(h, "td", "num", b);
            snprintf(b, sizeof b, "%d", p->online);
            hw_elem_class(h, "td", "num", b);
        }
        hw_close(h);
    }
    hw_close(h);
    source_note(h, "the portfolio (portfolio.csv); online = start + permit years left + "
                   "build years.");
    hw_close(h);
}

/* ---- budget ---- */

void rep_chart_budget(hw *h, const ckp_result *r)
{
    const ckp_plan *plan = r->plan;
    char unit[32], b[128];
    rep_unit_text(r, REP_U_MONEY, unit, sizeof unit);
    begin_figure(h, "chart-budget", "Budget committed per year (bars) against the year limits "
                                    "(red marks)");
    double mx = 0;
    for (int y = 0; y < r->n_years; y++) {
        double s = rep_at(r->spend, y), l = rep_at(r->budget_limit, y);
        if (isfinite(s)) mx = fmax(mx, s);
        if (isfinite(l)) mx = fmax(mx, l);
    }
    mx = nice_max(mx);
    double top = 24, ph = 160, height = top + ph + 60;
    hw_svg_open(h, CW, height, "budget per year");
    double x0 = LEFT, x1 = CW - RIGHT, y0 = top + ph;
    y_axis(h, x0, x1, y0, top, mx, unit);
    double slot = (x1 - x0) / r->n_years;
    for (int y = 0; y < r->n_years; y++) {
        double s = rep_at(r->spend, y), l = rep_at(r->budget_limit, y);
        char t[256];
        rep_fixed(b, sizeof b, s, 1);
        snprintf(t, sizeof t, "%d: %s %s disbursed", plan->first_year + y, b, unit);
        if (isfinite(s)) rect(h, x0 + slot * (y + 0.2), y0 - ph * s / mx, slot * 0.6, ph * s / mx,
                              palette[0], t);
        if (isfinite(l))
            hw_svg_line(h, x0 + slot * (y + 0.1), y0 - ph * l / mx, x0 + slot * (y + 0.9),
                 y0 - ph * l / mx, CHOKE_COLOUR, 3, NULL);
    }
    year_ticks(h, r, x0, x1, y0, 1);
    hw_close(h);
    hw_open(h, "table");
    hw_attr(h, "class", "data");
    hw_open(h, "tr");
    hw_elem(h, "th", "year");
    snprintf(b, sizeof b, "disbursed, %s", unit);
    hw_elem_class(h, "th", "num", b);
    snprintf(b, sizeof b, "limit, %s", unit);
    hw_elem_class(h, "th", "num", b);
    hw_close(h);
    for (int y = 0; y < r->n_years; y++) {
        hw_open(h, "tr");
        snprintf(b, sizeof b, "%d", plan->first_year + y);
        hw_elem(h, "td", b);
        rep_fixed(b, sizeof b, rep_at(r->spend, y), 1);
        hw_elem_class(h, "td", "num", b);
        rep_fixed(b, sizeof b, rep_at(r->budget_limit, y), 1);
        hw_elem_class(h, "td", "num", b);
        hw_close(h);
    }
    hw_close(h);
    source_note(h, "disbursement of the funded items along their schedules; the plan's "
                   "<budget> limits (\"-\" = none).");
    hw_close(h);
}

/* ---- shortage and releases: one line per scenario over the years ---- */

static double scen_shortage(const ckp_result *r, int s, int y, int base)
{
    int nc = r->plan->n_commodities;
    const double *a = base ? r->scen_baseline_shortage : r->scen_shortage;
    const double *e = base ? r->baseline_shortage : r->shortage;
    double v = 0;
    for (int c = 0; c < nc; c++) {
        double q = a ? rep_scen_at(a, s, nc, c, r->n_years, y) : rep_at(e, c * r->n_years + y);
        if (isfinite(q)) v += q;
    }
    return v;
}

static double scen_release(const ckp_result *r, int s, int y, int base)
{
    (void)base;
    double v = 0;
    for (int i = 0; i < r->n_stockpile_picks; i++) {
        double q = rep_scen_at(r->release, s, r->plan->n_stockpiles,
                               r->stockpile_picks[i].stockpile, r->n_years, y);
        if (isfinite(q)) v += q;
    }
    return v;
}

typedef double (*series_fn)(const ckp_result *r, int s, int y, int base);

static void lines_chart(hw *h, const ckp_result *r, const char *id, const char *title,
                        const char *unit, series_fn f, int with_base, const char *source)
{
    const ckp_plan *plan = r->plan;
    int ns = rep_n_scen(r);
    if (ns > 12) ns = 12;
    const char *labels[24];
    const char *colours[24];
    char names[24][80];
    double mx = 0;
    for (int s = 0; s < ns; s++)
        for (int y = 0; y < r->n_years; y++)
            for (int b = 0; b <= with_base; b++) mx = fmax(mx, f(r, s, y, b));
    begin_figure(h, id, title);
    if (!(mx > 0)) {
        hw_elem(h, "p", "None in any scenario or year.");
        source_note(h, source);
        hw_close(h);
        return;
    }
    mx = nice_max(mx);
    double top = 24, ph = 160;
    double height = top + ph + 60 + 16 * ((ns * (1 + with_base) + 3) / 4);
    hw_svg_open(h, CW, height, title);
    double x0 = LEFT, x1 = CW - RIGHT, y0 = top + ph;
    y_axis(h, x0, x1, y0, top, mx, unit);
    int nl = 0;
    for (int s = 0; s < ns; s++)
        for (int b = 0; b <= with_base; b++) {
            char pts[4096];
            size_t k = 0;
            pts[0] = '\0';
            for (int y = 0; y < r->n_years && k < sizeof pts - 40; y++) {
                double x = x_of_year(r, x0, x1, plan->first_year + y + 0.5);
                double v = f(r, s, y, b);
                k += (size_t)snprintf(pts + k, sizeof pts - k, "%s%.1f,%.1f", y ? " " : "", x,
                                      y0 - ph * (isfinite(v) ? v : 0) / mx);
            }
            const char *col = palette[s % 12];
            hw_open(h, "polyline");
            hw_attr(h, "points", pts);
            hw_attr(h, "fill", "none");
            hw_attr(h, "stroke", col);
            hw_attr(h, "stroke-width", "2");
            if (b) hw_attr(h, "stroke-dasharray", "5 3");
            hw_elem(h, "title", rep_scenario_id(r, s) ? rep_scenario_id(r, s) : "calm");
            hw_end(h);
            snprintf(names[nl], sizeof names[nl], "%s%s",
                     rep_scenario_id(r, s) ? rep_scenario_id(r, s) : "calm",
                     b ? ", no funding (dashed)" : with_base ? ", portfolio" : "");
            labels[nl] = names[nl];
            colours[nl] = col;
            nl++;
        }
    year_ticks(h, r, x0, x1, y0, 1);
    legend(h, LEFT, y0 + 44, nl, labels, colours);
    hw_close(h);
    hw_open(h, "table");
    hw_attr(h, "class", "data");
    hw_open(h, "tr");
    hw_elem(h, "th", "year");
    for (int i = 0; i < nl; i++) {
        char b[128];
        snprintf(b, sizeof b, "%s (%s)", labels[i], unit);
        hw_elem_class(h, "th", "num", b);
    }
    hw_close(h);
    for (int y = 0; y < r->n_years; y++) {
        char b[64];
        hw_open(h, "tr");
        snprintf(b, sizeof b, "%d", plan->first_year + y);
        hw_elem(h, "td", b);
        for (int s = 0; s < ns; s++)
            for (int bb = 0; bb <= with_base; bb++) {
                rep_grouped(b, sizeof b, f(r, s, y, bb));
                hw_elem_class(h, "td", "num", b);
            }
        hw_close(h);
    }
    hw_close(h);
    source_note(h, source);
    hw_close(h);
}

void rep_chart_shortage(hw *h, const ckp_result *r)
{
    lines_chart(h, r, "chart-shortage",
                rep_has_scenarios(r)
                    ? "Shortage of final demand per scenario and year, with the portfolio "
                      "(solid) and with no funding (dashed)"
                    : "Shortage of final demand per year, with the portfolio (solid) and "
                      "with no funding (dashed)",
                "t/yr", scen_shortage, 1,
                "unmet final demand summed over commodities, per scenario (scenarios.csv, "
                "exposure.csv).");
}

void rep_chart_releases(hw *h, const ckp_result *r)
{
    if (!rep_has_stockpiles(r)) return;
    if (r->n_stockpile_picks == 0) {
        begin_figure(h, "chart-releases", rep_has_scenarios(r)
                                              ? "Stockpile releases per scenario and year"
                                              : "Stockpile releases per year");
        hw_elem(h, "p", "No stockpile is bought.");
        source_note(h, "the portfolio (stockpiles.csv).");
        hw_close(h);
        return;
    }
    lines_chart(h, r, "chart-releases",
                rep_has_scenarios(r) ? "Stockpile releases per scenario and year"
                                     : "Stockpile releases per year", "t/yr",
                scen_release, 0, "releases of the stockpiles bought, summed (stockpiles.csv).");
}
