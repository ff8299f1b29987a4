/* sweep_html.c: report.html of a budget sweep's folder (docs/sweeps.md,
 * "report.html"), written through the libxml2 writer of html.c: the
 * frontier (exposure against budget, each point marked by what binds
 * there, the points no cheaper portfolio matches joined by a line) and
 * the no-regret matrix (each project or upgrade against each budget),
 * each a figure with a title, axis units, a legend, its data table below
 * and a source note.  Figures of the tables carry data-csv / data-row /
 * data-col / data-value: the row of sweep.csv (points with a record, in
 * budget order) and the column they come from, so a browser test can
 * check the page against the CSV.  The frontier flags come from the sweep
 * (src/study/sweep_out.c); nothing here decides them. */
#include "ckp/report.h"

#include <math.h>
#include <string.h>

#include "report/common.h"
#include "report/html.h"
#include "report/outfiles.h"
#include "util/alloc.h"
#include "util/atomic.h"

#define CW 720.0
#define LEFT 70.0
#define RIGHT 20.0

typedef struct page {
    const ckp_sweep *s;
    const int *front;
} page;

static int has_solution(const ckp_sweep_point *pt)
{
    return pt->solved && !pt->error &&
           (pt->status == CKP_MIP_OPTIMAL || pt->status == CKP_MIP_FEASIBLE);
}

static const char *bind_colour(const ckp_sweep_point *pt)
{
    return pt->bind == CKP_BIND_TOTAL ? "#1f77b4" : pt->bind == CKP_BIND_YEAR ? "#ff7f0e"
                                                                              : "#7f7f7f";
}

static void bind_words(const ckp_sweep_point *pt, char *b, size_t n)
{
    if (!has_solution(pt)) snprintf(b, n, "-");
    else if (pt->bind == CKP_BIND_TOTAL) snprintf(b, n, "total");
    else if (pt->bind == CKP_BIND_YEAR) snprintf(b, n, "year %d", pt->bind_year);
    else snprintf(b, n, "none");
}

static double nice_max(double v)
{
    if (!(v > 0)) return 1;
    double p = pow(10, floor(log10(v)));
    double m = v / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/* A figure of the data table: its text and where it comes from in
 * sweep.csv. */
static void cell(hw *h, int row, const char *col, double v, const char *text)
{
    char b[64];
    hw_open(h, "td");
    hw_attr(h, "class", "num");
    hw_attr(h, "data-csv", "sweep.csv");
    hw_attrf(h, "data-row", "%d", row);
    hw_attr(h, "data-col", col);
    hw_attr(h, "data-value", rep_num(b, sizeof b, v) ? b : "null");
    hw_text(h, text);
    hw_close(h);
}

static void source(hw *h, const char *what)
{
    hw_open(h, "p");
    hw_attr(h, "class", "note");
    hw_textf(h, "Source: %s of this folder (docs/sweeps.md).", what);
    hw_close(h);
}

static void frontier(hw *h, const ckp_sweep *s, const int *front, const char *cur)
{
    double bmax = 0, emax = 0;
    for (int i = 0; i < s->n_points; i++) {
        const ckp_sweep_point *pt = &s->points[i];
        if (!has_solution(pt)) continue;
        bmax = fmax(bmax, pt->budget);
        emax = fmax(emax, fmax(pt->objective, pt->baseline));
    }
    bmax = nice_max(bmax);
    emax = nice_max(emax);
    const double H = 360, x0 = LEFT, x1 = CW - RIGHT, y0 = H - 60, y1 = 20;
    char b[96];
    hw_open(h, "figure");
    hw_attr(h, "id", "chart-frontier");
    hw_elem(h, "figcaption", "Exposure against budget: the frontier, and what binds at each "
                             "point");
    hw_svg_open(h, CW, H, "exposure in share-years against the total budget");
    for (int i = 0; i <= 5; i++) {
        double y = y0 - (y0 - y1) * i / 5, x = x0 + (x1 - x0) * i / 5;
        hw_svg_line(h, x0, y, x1, y, i == 0 ? "#1b1b1b" : "#e4e4e4", 0, NULL);
        rep_grouped(b, sizeof b, emax * i / 5);
        hw_svg_text(h, x0 - 4, y + 4, "end", b);
        hw_svg_line(h, x, y0, x, y0 + 4, "#1b1b1b", 0, NULL);
        rep_grouped(b, sizeof b, bmax * i / 5);
        hw_svg_text(h, x, y0 + 16, "middle", b);
    }
    hw_svg_text(h, x0 - 4, y1 - 8, "end", "share-years");
    snprintf(b, sizeof b, "total budget, %s m", cur);
    hw_svg_text(h, (x0 + x1) / 2, y0 + 32, "middle", b);
    /* the frontier as a line through its points, in budget order */
    int prev = -1;
    for (int i = 0; i < s->n_points; i++) {
        if (!front[i]) continue;
        const ckp_sweep_point *pt = &s->points[i];
        if (prev >= 0) {
            const ckp_sweep_point *q = &s->points[prev];
            hw_svg_line(h, x0 + (x1 - x0) * q->budget / bmax, y0 - (y0 - y1) * q->objective / emax,
                     x0 + (x1 - x0) * pt->budget / bmax, y0 - (y0 - y1) * pt->objective / emax,
                     "#1b1b1b", 0, NULL);
        }
        prev = i;
    }
    for (int i = 0; i < s->n_points; i++) {
        const ckp_sweep_point *pt = &s->points[i];
        if (!has_solution(pt)) continue;
        char w[32];
        bind_words(pt, w, sizeof w);
        hw_open(h, "circle");
        hw_attrf(h, "cx", "%.1f", x0 + (x1 - x0) * pt->budget / bmax);
        hw_attrf(h, "cy", "%.1f", y0 - (y0 - y1) * pt->objective / emax);
        hw_attr(h, "r", "5");
        hw_attr(h, "fill", front[i] ? bind_colour(pt) : "#ffffff");
        hw_attr(h, "stroke", bind_colour(pt));
        hw_attr(h, "stroke-width", "2");
        snprintf(b, sizeof b, "budget %.10g: exposure %.4f, binds: %s", pt->budget,
                 pt->objective, w);
        hw_elem(h, "title", b);
        hw_end(h);
    }
    /* legend */
    static const char *const labels[] = {"the total budget binds", "a year's limit binds",
                                         "nothing binds"};
    static const char *const colours[] = {"#1f77b4", "#ff7f0e", "#7f7f7f"};
    double lx = x0;
    for (int k = 0; k < 3; k++) {
        hw_open(h, "circle");
        hw_attrf(h, "cx", "%.1f", lx + 5);
        hw_attrf(h, "cy", "%.1f", H - 12);
        hw_attr(h, "r", "5");
        hw_attr(h, "fill", colours[k]);
        hw_end(h);
        hw_svg_text(h, lx + 14, H - 8, NULL, labels[k]);
        lx += 30 + 6.5 * (double)strlen(labels[k]);
    }
    hw_svg_text(h, lx, H - 8, NULL, "hollow: not on the frontier");
    hw_close(h); /* svg */
    /* data table */
    hw_open(h, "table");
    hw_attr(h, "id", "frontier-data");
    hw_open(h, "tr");
    snprintf(b, sizeof b, "budget, %s m", cur);
    hw_elem_class(h, "th", "num", b);
    hw_elem_class(h, "th", "num", "exposure, share-years");
    hw_elem_class(h, "th", "num", "cut, %");
    snprintf(b, sizeof b, "commitment, %s m", cur);
    hw_elem_class(h, "th", "num", b);
    hw_elem(h, "th", "binds");
    hw_elem(h, "th", "status");
    hw_elem(h, "th", "frontier");
    hw_close(h);
    int row = 0;
    for (int i = 0; i < s->n_points; i++) {
        const ckp_sweep_point *pt = &s->points[i];
        if (!pt->solved) continue;
        int ok = has_solution(pt);
        double cut = ok && pt->baseline > 0 ? 100.0 * (pt->baseline - pt->objective) / pt->baseline
                                            : NAN;
        hw_open(h, "tr");
        rep_fixed(b, sizeof b, pt->budget, 1);
        cell(h, row, "budget", pt->budget, b);
        rep_fixed(b, sizeof b, ok ? pt->objective : NAN, 4);
        cell(h, row, "objective", ok ? pt->objective : NAN, b);
        rep_fixed(b, sizeof b, cut, 1);
        cell(h, row, "cut_pct", cut, b);
        rep_fixed(b, sizeof b, ok ? pt->commitment : NAN, 1);
        cell(h, row, "commitment", ok ? pt->commitment : NAN, b);
        bind_words(pt, b, sizeof b);
        hw_elem(h, "td", b);
        hw_elem(h, "td", pt->error ? "error" : ckp_mip_status_str(pt->status));
        hw_elem(h, "td", front[i] ? "yes" : "no");
        hw_close(h);
        row++;
    }
    hw_close(h);
    hw_elem_class(h, "p", "note",
                  "Exposure: the objective (weighted chokepoint share + shortage penalty, "
                  "summed over years), share-years.  On the frontier: no point with a "
                  "smaller commitment is as good.  Binds: total = nothing unfunded fits "
                  "what is left of the total; year Y = a start would fit the total but "
                  "breaks year Y's limit; none = room is left but nothing there is worth "
                  "funding.");
    source(h, "sweep.csv and frontier.csv");
    hw_close(h); /* figure */
}

/* The option point pt funds item it with (projects first, then
 * upgrades), NULL when not funded; "funded" for an upgrade. */
static const char *funded_as(const ckp_plan *plan, const ckp_sweep_point *pt, int it)
{
    for (int i = 0; i < pt->n_picks; i++) {
        const ckp_sweep_pick *k = &pt->picks[i];
        int ki = k->project >= 0 ? k->project : plan->n_projects + k->upgrade;
        if (ki != it) continue;
        return k->project >= 0 ? plan->projects[k->project].options[k->option].id : "funded";
    }
    return NULL;
}

static const char *item_id(const ckp_plan *plan, int it)
{
    return it < plan->n_projects ? plan->projects[it].id
                                 : plan->upgrades[it - plan->n_projects].id;
}

static void matrix(hw *h, const ckp_sweep *s, const char *cur)
{
    const ckp_plan *plan = s->plan;
    int n_items = plan->n_projects + plan->n_upgrades, n_cols = 0, n_rows = 0;
    for (int i = 0; i < s->n_points; i++) n_cols += has_solution(&s->points[i]);
    for (int it = 0; it < n_items; it++) {
        int any = 0;
        for (int i = 0; i < s->n_points && !any; i++)
            any = has_solution(&s->points[i]) && funded_as(plan, &s->points[i], it);
        n_rows += any;
    }
    char b[160];
    hw_open(h, "figure");
    hw_attr(h, "id", "chart-no-regret");
    hw_elem(h, "figcaption", "No-regret matrix: what is funded at each budget");
    if (n_rows == 0 || n_cols == 0) {
        hw_elem(h, "p", "Nothing is funded at any point.");
        hw_close(h);
        return;
    }
    const double LBL = 180, top = 40, rh = 18;
    double cw = (CW - LBL - RIGHT) / n_cols;
    double H = top + rh * n_rows + 30;
    hw_svg_open(h, CW, H, "funded projects and upgrades against the total budget");
    snprintf(b, sizeof b, "total budget, %s m", cur);
    hw_svg_text(h, LBL + (CW - LBL - RIGHT) / 2, 12, "middle", b);
    int c = 0;
    for (int i = 0; i < s->n_points; i++) {
        if (!has_solution(&s->points[i])) continue;
        if (n_cols <= 12 || c % ((n_cols + 11) / 12) == 0) {
            rep_grouped(b, sizeof b, s->points[i].budget);
            hw_svg_text(h, LBL + cw * (c + 0.5), top - 6, "middle", b);
        }
        c++;
    }
    int r = 0;
    for (int it = 0; it < n_items; it++) {
        int any = 0;
        for (int i = 0; i < s->n_points && !any; i++)
            any = has_solution(&s->points[i]) && funded_as(plan, &s->points[i], it);
        if (!any) continue;
        double y = top + rh * r;
        hw_svg_text(h, LBL - 6, y + 13, "end", item_id(plan, it));
        c = 0;
        for (int i = 0; i < s->n_points; i++) {
            const ckp_sweep_point *pt = &s->points[i];
            if (!has_solution(pt)) continue;
            const char *o = funded_as(plan, pt, it);
            snprintf(b, sizeof b, "%s at %.10g: %s", item_id(plan, it), pt->budget,
                     o ? o : "not funded");
            hw_svg_rect(h, LBL + cw * c, y, cw, rh, o ? "#2ca02c" : "#eeeeee", "#ffffff", b);
            c++;
        }
        r++;
    }
    hw_open(h, "rect");
    hw_attrf(h, "x", "%.1f", LBL);
    hw_attrf(h, "y", "%.1f", H - 20);
    hw_attr(h, "width", "10");
    hw_attr(h, "height", "10");
    hw_attr(h, "fill", "#2ca02c");
    hw_end(h);
    hw_svg_text(h, LBL + 14, H - 11, NULL, "funded (the cell's title names the option)");
    hw_close(h); /* svg */
    /* the data: the option funded per item and budget */
    hw_open(h, "table");
    hw_attr(h, "id", "no-regret-data");
    hw_open(h, "tr");
    hw_elem(h, "th", "project or upgrade");
    for (int i = 0; i < s->n_points; i++) {
        if (!has_solution(&s->points[i])) continue;
        rep_grouped(b, sizeof b, s->points[i].budget);
        hw_elem_class(h, "th", "num", b);
    }
    hw_close(h);
    for (int it = 0; it < n_items; it++) {
        int any = 0;
        for (int i = 0; i < s->n_points && !any; i++)
            any = has_solution(&s->points[i]) && funded_as(plan, &s->points[i], it);
        if (!any) continue;
        hw_open(h, "tr");
        hw_elem(h, "td", item_id(plan, it));
        for (int i = 0; i < s->n_points; i++) {
            if (!has_solution(&s->points[i])) continue;
            const char *o = funded_as(plan, &s->points[i], it);
            hw_elem(h, "td", o ? o : "");
        }
        hw_close(h);
    }
    hw_close(h);
    snprintf(b, sizeof b, "Columns: the total budget of each point with a portfolio, %s m; a "
                          "cell names the option funded (an upgrade: funded).", cur);
    hw_elem_class(h, "p", "note", b);
    source(h, "sweep.csv and no-regret.csv");
    hw_close(h); /* figure */
}

static void body(hw *h, const void *arg)
{
    const page *p = arg;
    const ckp_sweep *s = p->s;
    const ckp_plan *plan = s->plan;
    const char *cur = plan->currency ? plan->currency : "USD";
    int n_solved = 0;
    double baseline = NAN;
    for (int i = 0; i < s->n_points; i++) {
        n_solved += s->points[i].solved;
        if (has_solution(&s->points[i]) && isnan(baseline)) baseline = s->points[i].baseline;
    }
    hw_open(h, "h1");
    hw_textf(h, "Budget sweep: %s", plan->name ? plan->name : "plan");
    hw_close(h);
    hw_open(h, "p");
    hw_attr(h, "class", "meta");
    hw_textf(h, "%d of %d points solved%s%s; money in millions of %s; exposure with no project "
                "funded (baseline): %.4f share-years.  Each point's own report is "
                "points/b<budget>/report.html.",
             n_solved, s->n_points, s->interrupted ? " (interrupted)" : "",
             s->exact ? ", exact frontier" : s->nested ? ", nested portfolios" : "", cur,
             baseline);
    hw_close(h);
    hw_open(h, "section");
    hw_attr(h, "id", "charts");
    frontier(h, s, p->front, cur);
    matrix(h, s, cur);
    hw_close(h);
}

ckp_status ckp_report_sweep_html(const ckp_sweep *s, const int *front, FILE *out)
{
    if (!s || !s->plan || !front || !out) return CKP_EINTERNAL;
    page p = {s, front};
    return rep_html_page(out, s->plan->name, body, &p);
}

typedef struct sweep_page {
    const ckp_sweep *s;
    const int *front;
} sweep_page;

static ckp_status sweep_page_write(const void *arg, FILE *out)
{
    const sweep_page *pg = arg;
    return ckp_report_sweep_html(pg->s, pg->front, out);
}

ckp_status ckp_report_sweep_write(const ckp_sweep *s, const int *front, const char *dir,
                                  ckp_diag_list *diag)
{
    if (!s || !dir) return CKP_EINTERNAL;
    sweep_page pg = {s, front};
    ckp_status st = ckp_atomic_write(dir, "report.html", sweep_page_write, &pg, diag);
    if (st == CKP_OK) st = rep_sweep_package_write(s, dir, diag);
    return st;
}
