/* compare_report.c: a comparison of two runs as text and JSON
 * (ckp_comparison_text, ckp_comparison_json; docs/study.md).  Warnings
 * first, then the headline figures (always), then only what differs:
 * projects added / dropped / changed, shares per stage and year, money
 * per year, scenario outcomes.  Shares are shown in percent in the text. */
#include "study/compare_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/json.h"

static const char *const section_title[] = {
    "warning", "headline", "added", "dropped", "changed", "stage", "budget", "scenario"};

static void value(FILE *out, const cmp_row *r, int b, int pct)
{
    double v = b ? r->b : r->a;
    const char *s = b ? r->b_str : r->a_str;
    if (pct && !isnan(v)) fprintf(out, " %14.2f", 100 * v);
    else if (!isnan(v)) fprintf(out, " %14.6g", v);
    else fprintf(out, " %14s", s);
}

static void diff(FILE *out, const cmp_row *r, int pct)
{
    if (isnan(r->a) || isnan(r->b)) {
        fprintf(out, "\n");
        return;
    }
    double d = (r->b - r->a) * (pct ? 100 : 1);
    fprintf(out, pct ? " %+14.2f\n" : " %+14.6g\n", d);
}

static void section(FILE *out, const ckp_comparison *c, cmp_section sec, const char *title,
                    int pct)
{
    int any = 0;
    for (int i = 0; i < c->n_rows; i++) {
        const cmp_row *r = &c->rows[i];
        if (r->section != sec) continue;
        if (!any) fprintf(out, "\n%s\n  %-34s %14s %14s %14s\n", title, "", "A", "B", "B - A");
        any = 1;
        fprintf(out, "  %-34.34s", r->label);
        value(out, r, 0, pct);
        value(out, r, 1, pct);
        diff(out, r, pct);
    }
}

ckp_status ckp_comparison_text(const ckp_comparison *c, FILE *out)
{
    if (!c) return CKP_EINTERNAL;
    fprintf(out, "Compare A: %s\n        B: %s\n", c->path_a, c->path_b);
    for (int i = 0; i < c->n_rows; i++) {
        const cmp_row *r = &c->rows[i];
        if (r->section != CMP_WARNING) continue;
        fprintf(out, "warning: %s: %s (A) vs %s (B)\n", r->label, r->a_str, r->b_str);
    }
    section(out, c, CMP_HEADLINE, "Headline", 0);
    int n_add = 0, n_drop = 0, n_chg = 0;
    for (int i = 0; i < c->n_rows; i++) {
        n_add += c->rows[i].section == CMP_ADDED;
        n_drop += c->rows[i].section == CMP_DROPPED;
        n_chg += c->rows[i].section == CMP_CHANGED;
    }
    fprintf(out, "\nPortfolio: %d added in B, %d dropped, %d with another option, start or "
                 "money\n", n_add, n_drop, n_chg);
    for (int i = 0; i < c->n_rows; i++) {
        const cmp_row *r = &c->rows[i];
        if (r->section == CMP_ADDED)
            fprintf(out, "  added    %s (%s)\n", r->label, r->b_str);
        else if (r->section == CMP_DROPPED)
            fprintf(out, "  dropped  %s (%s)\n", r->label, r->a_str);
        else if (r->section == CMP_CHANGED)
            fprintf(out, "  changed  %s: %s -> %s\n", r->label, r->a_str, r->b_str);
    }
    section(out, c, CMP_STAGE,
            "Chokepoint share per stage and year (%, portfolio; only what differs)", 1);
    section(out, c, CMP_BUDGET, "Disbursed per year (millions; only what differs)", 0);
    section(out, c, CMP_SCENARIO, "Scenario outcomes (only what differs)", 0);
    int n = ckp_comparison_differences(c);
    if (n == 0) fprintf(out, "\nNo differences.\n");
    else fprintf(out, "\n%d difference%s.\n", n, n == 1 ? "" : "s");
    return ferror(out) ? CKP_EIO : CKP_OK;
}

ckp_status ckp_comparison_json(const ckp_comparison *c, FILE *out)
{
    if (!c) return CKP_EINTERNAL;
    jw w;
    jw_init(&w, out);
    jw_object(&w, NULL);
    jw_str(&w, "a", c->path_a);
    jw_str(&w, "b", c->path_b);
    jw_int(&w, "differences", ckp_comparison_differences(c));
    jw_int(&w, "warnings", ckp_comparison_warnings(c));
    jw_array(&w, "rows");
    for (int i = 0; i < c->n_rows; i++) {
        const cmp_row *r = &c->rows[i];
        jw_object(&w, NULL);
        jw_str(&w, "section", section_title[r->section]);
        jw_str(&w, "label", r->label);
        if (!isnan(r->a) || !isnan(r->b)) {
            jw_exact(&w, "a", r->a);
            jw_exact(&w, "b", r->b);
            jw_exact(&w, "b_minus_a", r->b - r->a);
        } else {
            jw_str(&w, "a", r->a_str);
            jw_str(&w, "b", r->b_str);
        }
        jw_bool(&w, "differs", r->differs);
        jw_end_object(&w);
    }
    jw_end_array(&w);
    jw_end_object(&w);
    if (w.bad || w.depth != 0) return CKP_EINTERNAL;
    return ferror(out) ? CKP_EIO : CKP_OK;
}
