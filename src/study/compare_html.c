/* compare_html.c: a comparison of two runs as a self-contained page
 * (ckp_comparison_html) and the --out directory of `chokepoint compare`
 * (ckp_comparison_write: comparison.json, comparison.txt, report.html;
 * docs/study.md).  The page is written through the libxml2 writer of
 * src/report/html.c (inline CSS and SVG, no script, no external file):
 * the warnings first (different plans or settings), the headline figures
 * side by side, the projects added / dropped / changed, the chokepoint
 * share per stage and year, the money disbursed per year (also as a bar
 * chart) and the scenario outcomes, each table with a title and units.
 * Every number shown carries data-json (its path in comparison.json, e.g.
 * rows.3.b) and data-value, so a browser test can check the page against
 * the JSON. */
#include "study/compare_int.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "report/common.h"
#include "report/html.h"
#include "util/alloc.h"
#include "util/atomic.h"

/* A number for the page: thousands grouped from 100 up (and whole
 * numbers as they are), else 4 decimals (pct: a share shown in percent
 * with 2 decimals). */
static void shown(char *b, size_t n, double v, int pct)
{
    if (pct) {
        rep_fixed(b, n, isnan(v) ? v : 100 * v, 2);
        if (!isnan(v)) strncat(b, " %", n - strlen(b) - 1);
    } else if (fabs(v) >= 100 || (isfinite(v) && v == floor(v))) {
        rep_grouped(b, n, v);
    } else {
        rep_fixed(b, n, v, 4);
    }
}

/* One cell of row i: A (k = 0), B (1) or B - A (2), numeric or text. */
static void value_cell(hw *h, const ckp_comparison *c, int i, int k, int pct)
{
    const cmp_row *r = &c->rows[i];
    static const char *const member[] = {"a", "b", "b_minus_a"};
    if (isnan(r->a) && isnan(r->b)) {
        hw_elem(h, "td", k == 0 ? r->a_str : k == 1 ? r->b_str : "");
        return;
    }
    double v = k == 0 ? r->a : k == 1 ? r->b : r->b - r->a;
    char path[48], b[64];
    snprintf(path, sizeof path, "rows.%d.%s", i, member[k]);
    shown(b, sizeof b, v, pct);
    hw_figure(h, "td", path, v, b);
}

static int count(const ckp_comparison *c, cmp_section sec)
{
    int n = 0;
    for (int i = 0; i < c->n_rows; i++) n += c->rows[i].section == sec;
    return n;
}

/* A titled table of the rows of one section: label, A, B, B - A. */
static void side_by_side(hw *h, const ckp_comparison *c, cmp_section sec, const char *id,
                         const char *title, const char *first, const char *unit,
                         const char *none, int pct)
{
    hw_open(h, "section");
    hw_attr(h, "id", id);
    hw_elem(h, "h2", title);
    if (count(c, sec) == 0) {
        hw_elem(h, "p", none);
        hw_close(h);
        return;
    }
    hw_open(h, "table");
    hw_attrf(h, "id", "%s-data", id);
    hw_open(h, "caption");
    hw_text(h, title);
    if (unit) hw_textf(h, " (%s)", unit);
    hw_close(h);
    hw_open(h, "tr");
    hw_elem(h, "th", first);
    hw_elem_class(h, "th", "num", "A");
    hw_elem_class(h, "th", "num", "B");
    hw_elem_class(h, "th", "num", pct ? "B - A, points" : "B - A");
    hw_close(h);
    for (int i = 0; i < c->n_rows; i++) {
        if (c->rows[i].section != sec) continue;
        hw_open(h, "tr");
        hw_elem(h, "td", c->rows[i].label);
        for (int k = 0; k < 3; k++) value_cell(h, c, i, k, pct);
        hw_close(h);
    }
    hw_close(h); /* table */
    hw_close(h); /* section */
}

static void warnings(hw *h, const ckp_comparison *c)
{
    hw_open(h, "section");
    hw_attr(h, "id", "warnings");
    int n = count(c, CMP_WARNING);
    hw_elem(h, "h2", n ? "Warning: the runs differ in plan or settings"
                       : "Same plan and settings");
    if (n == 0) {
        hw_elem(h, "p", "Both runs read the same plan (input hash) with the same tool version "
                        "and settings: every difference below comes from the runs alone.");
        hw_close(h);
        return;
    }
    hw_elem_class(h, "p", "lead",
                  "The two runs do not read the same plan, or not with the same tool "
                  "version or settings: differences below may come from these.");
    hw_open(h, "table");
    hw_attr(h, "id", "warnings-data");
    hw_elem(h, "caption", "Plan, version and settings that differ (units of the setting)");
    hw_open(h, "tr");
    hw_elem(h, "th", "what");
    hw_elem_class(h, "th", "num", "A");
    hw_elem_class(h, "th", "num", "B");
    hw_elem_class(h, "th", "num", "B - A");
    hw_close(h);
    for (int i = 0; i < c->n_rows; i++) {
        if (c->rows[i].section != CMP_WARNING) continue;
        hw_open(h, "tr");
        hw_elem(h, "td", c->rows[i].label);
        for (int k = 0; k < 3; k++) value_cell(h, c, i, k, 0);
        hw_close(h);
    }
    hw_close(h);
    hw_close(h);
}

static void portfolio(hw *h, const ckp_comparison *c)
{
    int n_add = count(c, CMP_ADDED), n_drop = count(c, CMP_DROPPED),
        n_chg = count(c, CMP_CHANGED);
    hw_open(h, "section");
    hw_attr(h, "id", "portfolio");
    hw_elem(h, "h2", "Projects, upgrades and stockpiles added, dropped or changed");
    hw_open(h, "p");
    hw_textf(h, "%d added in B, %d dropped from A, %d with another option, start or money.",
             n_add, n_drop, n_chg);
    hw_close(h);
    if (n_add + n_drop + n_chg > 0) {
        hw_open(h, "table");
        hw_attr(h, "id", "portfolio-data");
        hw_elem(h, "caption", "Funded items that differ (option, start year, bank "
                              "commitment in millions)");
        hw_open(h, "tr");
        hw_elem(h, "th", "change");
        hw_elem(h, "th", "item");
        hw_elem(h, "th", "in A");
        hw_elem(h, "th", "in B");
        hw_close(h);
        for (int i = 0; i < c->n_rows; i++) {
            const cmp_row *r = &c->rows[i];
            const char *what = r->section == CMP_ADDED     ? "added"
                               : r->section == CMP_DROPPED ? "dropped"
                               : r->section == CMP_CHANGED ? "changed"
                                                           : NULL;
            if (!what) continue;
            hw_open(h, "tr");
            hw_elem(h, "td", what);
            hw_elem(h, "td", r->label);
            hw_elem(h, "td", r->a_str);
            hw_elem(h, "td", r->b_str);
            hw_close(h);
        }
        hw_close(h);
    }
    hw_close(h);
}

/* The money disbursed per year that differs, A and B as paired bars. */
static void budget_chart(hw *h, const ckp_comparison *c)
{
    int n = count(c, CMP_BUDGET);
    if (n == 0) return;
    double vmax = 0;
    for (int i = 0; i < c->n_rows; i++) {
        const cmp_row *r = &c->rows[i];
        if (r->section != CMP_BUDGET) continue;
        if (!isnan(r->a)) vmax = fmax(vmax, r->a);
        if (!isnan(r->b)) vmax = fmax(vmax, r->b);
    }
    if (!(vmax > 0)) vmax = 1;
    const double W = 720, H = 260, x0 = 70, x1 = W - 20, y0 = H - 50, y1 = 20;
    double slot = (x1 - x0) / n;
    char b[96];
    hw_open(h, "figure");
    hw_attr(h, "id", "chart-budget");
    hw_elem(h, "figcaption", "Money disbursed per year, A and B (years that differ)");
    hw_open(h, "svg");
    hw_attr(h, "xmlns", "http://www.w3.org/2000/svg");
    hw_attrf(h, "viewBox", "0 0 %.0f %.0f", W, H);
    hw_attrf(h, "width", "%.0f", W);
    hw_attrf(h, "height", "%.0f", H);
    hw_attr(h, "role", "img");
    hw_attr(h, "aria-label", "money disbursed per year in millions, A and B");
    rep_grouped(b, sizeof b, vmax);
    hw_svg_text(h, x0 - 4, y1 + 4, "end", b);
    hw_svg_text(h, x0 - 4, y0 + 4, "end", "0");
    hw_svg_text(h, x0 - 4, y1 - 8, "end", "millions");
    int k = 0;
    for (int i = 0; i < c->n_rows; i++) {
        const cmp_row *r = &c->rows[i];
        if (r->section != CMP_BUDGET) continue;
        double x = x0 + slot * k, bw = slot * 0.4;
        double a = isnan(r->a) ? 0 : r->a, v = isnan(r->b) ? 0 : r->b;
        snprintf(b, sizeof b, "%s, A: %.10g", r->label, a);
        hw_svg_rect(h, x + slot * 0.1, y0 - (y0 - y1) * a / vmax, bw, (y0 - y1) * a / vmax,
                 "#1f77b4", NULL, b);
        snprintf(b, sizeof b, "%s, B: %.10g", r->label, v);
        hw_svg_rect(h, x + slot * 0.5, y0 - (y0 - y1) * v / vmax, bw, (y0 - y1) * v / vmax,
                 "#ff7f0e", NULL, b);
        hw_svg_text(h, x + slot / 2, y0 + 16, "middle", r->label);
        k++;
    }
    hw_svg_rect(h, x0, H - 20, 10, 10, "#1f77b4", NULL, NULL);
    hw_svg_text(h, x0 + 14, H - 11, NULL, "A");
    hw_svg_rect(h, x0 + 40, H - 20, 10, 10, "#ff7f0e", NULL, NULL);
    hw_svg_text(h, x0 + 54, H - 11, NULL, "B   (year of disbursement)");
    hw_close(h); /* svg */
    hw_elem_class(h, "p", "note", "Data: the table below.  Source: comparison.json of this "
                                  "folder, section budget.");
    hw_close(h); /* figure */
}

static void body(hw *h, const void *arg)
{
    const ckp_comparison *c = arg;
    hw_elem(h, "h1", "Two runs compared");
    hw_open(h, "p");
    hw_attr(h, "class", "meta");
    hw_textf(h, "A: %s.  B: %s.  Money in millions of the plan's currency; shares in percent "
                "of the stage's supply; exposure in share-years (a share of 1 held for one "
                "year).  ",
             c->path_a, c->path_b);
    hw_close(h);
    char b[32];
    snprintf(b, sizeof b, "%d", ckp_comparison_differences(c));
    hw_open(h, "p");
    hw_attr(h, "class", "lead");
    hw_figure(h, "b", "differences", ckp_comparison_differences(c), b);
    hw_text(h, " figures differ; ");
    snprintf(b, sizeof b, "%d", ckp_comparison_warnings(c));
    hw_figure(h, "b", "warnings", ckp_comparison_warnings(c), b);
    hw_text(h, " warnings.");
    hw_close(h);
    warnings(h, c);
    side_by_side(h, c, CMP_HEADLINE, "headline", "Headline figures", "figure",
                 "units in each label; money in millions", "No headline figures.", 0);
    portfolio(h, c);
    side_by_side(h, c, CMP_STAGE, "stages", "Chokepoint share per stage and year (portfolio)",
                 "stage and year", "percent; only what differs",
                 "The chokepoint's share is the same in every stage and year.", 1);
    budget_chart(h, c);
    side_by_side(h, c, CMP_BUDGET, "budget", "Money disbursed per year",
                 "year", "millions; only what differs",
                 "The same money is disbursed every year.", 0);
    side_by_side(h, c, CMP_SCENARIO, "scenarios", "Scenario outcomes",
                 "scenario and figure", "value in share-years, shortage in tonnes; only what "
                 "differs", "Every scenario has the same outcome.", 0);
    hw_elem_class(h, "p", "note", "Source: comparison.json of this folder (docs/study.md, "
                                  "\"Compare\"); each number's data-json names its place "
                                  "there.");
}

ckp_status ckp_comparison_html(const ckp_comparison *c, FILE *out)
{
    if (!c || !out) return CKP_EINTERNAL;
    return rep_html_page(out, "two runs compared", body, c);
}

ckp_status ckp_comparison_write(const ckp_comparison *c, const char *dir, ckp_diag_list *diag)
{
    if (!c || !dir) return CKP_EINTERNAL;
    static const char *const names[] = {"comparison.json", "comparison.txt", "report.html"};
    enum { N = 3 };
    ckp_atomic_file af[N];
    memset(af, 0, sizeof af);
    ckp_status st = ckp_output_dir(dir, NULL, diag);
    for (int i = 0; i < N && st == CKP_OK; i++) {
        size_t len = strlen(dir) + strlen(names[i]) + 2;
        char *path = ckp_malloc(len);
        if (!path) {
            st = CKP_ENOMEM;
            break;
        }
        snprintf(path, len, "%s/%s", dir, names[i]);
        st = ckp_atomic_open(&af[i], path, diag);
        if (st == CKP_OK) {
            st = i == 0   ? ckp_comparison_json(c, af[i].f)
                 : i == 1 ? ckp_comparison_text(c, af[i].f)
                          : ckp_comparison_html(c, af[i].f);
            if (st == CKP_EIO)
                ckp_diag_add(diag, CKP_SEV_ERROR, path, 0, "output-error", "cannot write: %s",
                             strerror(errno ? errno : EIO));
        }
        if (st == CKP_OK) st = ckp_atomic_close(&af[i], diag);
        ckp_free(path);
    }
    /* rename only when every file was written whole */
    for (int i = 0; i < N && st == CKP_OK; i++) st = ckp_atomic_commit(&af[i], diag);
    for (int i = 0; i < N; i++) ckp_atomic_discard(&af[i]);
    return st;
}
