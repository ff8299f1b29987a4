/* evaluate_html.c: the report.html of `evaluate --out` (docs/study.md).
 * A portfolio that passes gets the solve report of src/report with the
 * regret section after the committee summary (ckp_evaluation_write_dir):
 * the portfolio and the optimum at the same money side by side, the items
 * that differ, and the best single changes toward the optimum; every
 * figure carries its evaluation.json path (data-json "evaluation:...").
 * A portfolio that breaks the plan (ckp_violations_write): no result
 * exists then, so the page lists every violation instead, one row each:
 * the constraint broken (the diagnostic's code), where in the portfolio
 * (file and line; 0 = the portfolio as a whole, e.g. its total
 * commitment), and what and by how much (the diagnostic's message, which
 * names the plan's line where it has one).  Written through the libxml2
 * writer of src/report/html.c, atomically (src/util/atomic.h). */
#include "ckp/study.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "report/common.h"
#include "report/figures.h"
#include "report/html.h"
#include "report/outfiles.h"
#include "study/study_int.h"
#include "util/alloc.h"
#include "util/atomic.h"

typedef struct vpage {
    const ckp_plan *plan;
    const ckp_diag_list *viol;
} vpage;

static int is_violation(const ckp_diag *d)
{
    return d->severity == CKP_SEV_ERROR && d->code && strncmp(d->code, "portfolio-", 10) == 0 &&
           strcmp(d->code, "portfolio-file") != 0;
}

static void body(hw *h, const void *arg)
{
    const vpage *p = arg;
    int n = 0;
    for (int i = 0; i < p->viol->n; i++) n += is_violation(&p->viol->items[i]);
    hw_open(h, "h1");
    hw_textf(h, "The portfolio breaks the plan: %s", p->plan->name ? p->plan->name : "plan");
    hw_close(h);
    hw_open(h, "p");
    hw_attr(h, "class", "lead");
    hw_open(h, "b");
    hw_attr(h, "id", "n-violations");
    hw_textf(h, "%d", n);
    hw_close(h);
    hw_textf(h, " violation%s: the portfolio cannot be evaluated until each is removed.  "
                "Nothing else is reported (no exposure, no regret).",
             n == 1 ? "" : "s");
    hw_close(h);
    hw_open(h, "section");
    hw_attr(h, "id", "violations");
    hw_elem(h, "h2", "Every violation");
    hw_open(h, "table");
    hw_attr(h, "id", "violations-data");
    hw_elem(h, "caption", "Violations: the constraint, where in the portfolio, what and by "
                          "how much (money in millions of the plan's currency)");
    hw_open(h, "tr");
    hw_elem(h, "th", "constraint");
    hw_elem(h, "th", "portfolio");
    hw_elem_class(h, "th", "num", "line");
    hw_elem(h, "th", "what, by how much, plan line");
    hw_close(h);
    for (int i = 0; i < p->viol->n; i++) {
        const ckp_diag *d = &p->viol->items[i];
        if (!is_violation(d)) continue;
        hw_open(h, "tr");
        hw_attr(h, "class", "violation");
        hw_elem(h, "td", d->code + 10);
        hw_elem(h, "td", d->file ? d->file : "-");
        hw_open(h, "td");
        hw_attr(h, "class", "num");
        if (d->line > 0) hw_textf(h, "%d", d->line);
        else hw_text(h, "-");
        hw_close(h);
        hw_elem(h, "td", d->message);
        hw_close(h);
    }
    hw_close(h); /* table */
    hw_elem_class(h, "p", "note", "Line -: the portfolio as a whole (its total or a year's "
                                  "commitment).  Source: the check of the portfolio against "
                                  "the plan (docs/study.md); the same lines are printed on "
                                  "stderr.");
    hw_close(h); /* section */
}

ckp_status ckp_violations_html(const ckp_plan *plan, const ckp_diag_list *viol, FILE *out)
{
    if (!plan || !viol || !out) return CKP_EINTERNAL;
    vpage p = {plan, viol};
    return rep_html_page(out, plan->name, body, &p);
}

static ckp_status vpage_write(const void *arg, FILE *out)
{
    const vpage *p = arg;
    return ckp_violations_html(p->plan, p->viol, out);
}

ckp_status ckp_violations_write(const ckp_plan *plan, const ckp_diag_list *viol,
                                const char *dir, ckp_diag_list *diag)
{
    if (!plan || !viol || !dir) return CKP_EINTERNAL;
    CKP_TRY(ckp_output_dir(dir, NULL, diag));
    vpage p = {plan, viol};
    return ckp_atomic_write(dir, "report.html", vpage_write, &p, diag);
}

/* ------------------------------------------------------------------ */
/* The regret section of a portfolio that passes                        */

/* Moves shown on the page (all are in evaluation.json). */
#define CKP_MOVES_HTML 10

/* A <td> figure at evaluation.json path (printf-style), decimals fixed,
 * or a percentage of a share when pct. */
static void fig(hw *h, double v, int decimals, int pct, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void fig(hw *h, double v, int decimals, int pct, const char *fmt, ...)
{
    char path[128] = "evaluation:", text[64];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(path + 11, sizeof path - 11, fmt, ap);
    va_end(ap);
    if (pct) {
        rep_pct(text, sizeof text, v);
        if (isfinite(v)) strncat(text, " %", sizeof text - strlen(text) - 1);
    } else {
        rep_fixed(text, sizeof text, v, decimals);
    }
    hw_figure(h, "td", path, v, text);
}

/* a - b with its sign ("+0.400", "-8.0", "0.0"). */
static void diff_cell(hw *h, double a, double b, int decimals)
{
    char t[64], u[72];
    rep_fixed(t, sizeof t, a - b, decimals);
    snprintf(u, sizeof u, "%s%s", t[0] != '-' && strspn(t, "0.") != strlen(t) ? "+" : "", t);
    hw_elem_class(h, "td", "num", u);
}

static void side_row(hw *h, const char *label, double a, double b, int decimals,
                     const char *pa, const char *pb)
{
    hw_open(h, "tr");
    hw_elem(h, "td", label);
    fig(h, a, decimals, 0, "%s", pa);
    fig(h, b, decimals, 0, "%s", pb);
    diff_cell(h, a, b, decimals);
    hw_close(h);
}

typedef struct li_ctx {
    hw *h;
    int n;
} li_ctx;

static void list_li(void *ctx, const char *item)
{
    li_ctx *l = ctx;
    hw_elem(l->h, "li", item);
    l->n++;
}

static void differ_list(hw *h, const char *id, const char *title, const ckp_result *a,
                        const ckp_result *b)
{
    hw_open(h, "div");
    hw_attr(h, "id", id);
    hw_elem(h, "h3", title);
    hw_open(h, "ul");
    li_ctx l = {h, 0};
    st_differing(a, b, list_li, &l);
    if (l.n == 0) hw_elem(h, "li", "none");
    hw_close(h);
    hw_close(h);
}

static void regret_side_by_side(hw *h, const ckp_evaluation *e, const char *cur)
{
    const ckp_result *r = e->result, *o = e->optimum;
    const ckp_plan *plan = r->plan;
    char cap[256];
    hw_open(h, "table");
    hw_attr(h, "id", "regret-data");
    snprintf(cap, sizeof cap, "The portfolio and the optimum at the same money (objective in "
             "share-years, commitment in millions of %s, shares in %% of the bloc's "
             "requirement, mean over the horizon)", cur);
    hw_elem(h, "caption", cap);
    hw_open(h, "tr");
    hw_elem(h, "th", "");
    hw_elem_class(h, "th", "num", "portfolio");
    hw_elem_class(h, "th", "num", "optimum");
    hw_elem_class(h, "th", "num", "difference");
    hw_close(h);
    side_row(h, "objective (share-years)", r->objective_value, o->objective_value, 3,
             "objective", "optimum.objective");
    side_row(h, "bank commitment", e->portfolio->commitment, o->commitment_total, 1,
             "commitment", "optimum.commitment");
    for (int s = 0; s < plan->n_stages; s++) {
        char label[96];
        double a = st_stage_mean(r, s), b = st_stage_mean(o, s);
        snprintf(label, sizeof label, "mean chokepoint share, %s", plan->stages[s].id);
        hw_open(h, "tr");
        hw_elem(h, "td", label);
        fig(h, a, 1, 1, "stages.%d.portfolio_mean_share", s);
        fig(h, b, 1, 1, "stages.%d.optimum_mean_share", s);
        diff_cell(h, 100 * a, 100 * b, 1);
        hw_close(h);
    }
    hw_close(h); /* table */
}

static void regret_moves(hw *h, const ckp_evaluation *e, const char *cur)
{
    char cap[256];
    hw_open(h, "table");
    hw_attr(h, "id", "moves-data");
    snprintf(cap, sizeof cap, "The best single changes toward the optimum, at most the "
             "portfolio's money (%d tried; the first %d shown, all in evaluation.json): "
             "objective change in share-years, share of the regret closed, commitment in "
             "millions of %s", e->n_moves,
             e->n_moves < CKP_MOVES_HTML ? e->n_moves : CKP_MOVES_HTML, cur);
    hw_elem(h, "caption", cap);
    hw_open(h, "tr");
    hw_elem(h, "th", "change");
    hw_elem_class(h, "th", "num", "objective change");
    hw_elem_class(h, "th", "num", "regret closed");
    hw_elem_class(h, "th", "num", "commitment");
    hw_close(h);
    for (int i = 0; i < e->n_moves && i < CKP_MOVES_HTML; i++) {
        const ckp_move *m = &e->moves[i];
        char d[400];
        st_move_text(e, m, d, sizeof d);
        hw_open(h, "tr");
        hw_attr(h, "class", "move");
        hw_elem(h, "td", d);
        fig(h, m->objective - e->result->objective_value, 3, 0,
            "moves.%d.objective_change", i);
        fig(h, m->closed, 1, 1, "moves.%d.gap_closed", i);
        fig(h, m->commitment, 1, 0, "moves.%d.commitment", i);
        hw_close(h);
    }
    hw_close(h);
}

static void regret_section(hw *h, const void *arg)
{
    const ckp_evaluation *e = arg;
    const ckp_result *r = e->result, *o = e->optimum;
    const char *cur = rep_currency(r);
    char b[64];
    hw_open(h, "section");
    hw_attr(h, "id", "regret");
    hw_elem(h, "h2", "Regret: the optimum at the same money");
    if (!o) {
        hw_elem(h, "p", "Not computed: the regret was not asked for.");
        hw_close(h);
        return;
    }
    hw_open(h, "p");
    hw_attr(h, "class", "lead");
    rep_fixed(b, sizeof b, e->portfolio->commitment, 1);
    if (st_no_regret(e)) {
        hw_textf(h, "At the same total commitment (%s %s m) no portfolio does better: this "
                    "one is as good as the optimum (status %s).", b, cur,
                 ckp_mip_status_str(o->status));
    } else {
        char g[64];
        rep_fixed(g, sizeof g, e->gap, 3);
        hw_textf(h, "At the same total commitment (%s %s m) the optimum (status %s) does "
                    "better by ", b, cur, ckp_mip_status_str(o->status));
        hw_open(h, "b");
        hw_attr(h, "data-json", "evaluation:gap");
        hw_attr(h, "data-value", rep_num(b, sizeof b, e->gap) ? b : "null");
        hw_text(h, g);
        hw_close(h);
        hw_text(h, " share-years: the exposure this portfolio leaves on the table.");
    }
    hw_close(h);
    regret_side_by_side(h, e, cur);
    differ_list(h, "only-portfolio", "Only in the portfolio", r, o);
    differ_list(h, "only-optimum", "Only in the optimum", o, r);
    if (!st_no_regret(e)) {
        if (e->n_moves == 0)
            hw_elem(h, "p", "No single change toward the optimum passes the plan's "
                            "constraints at this money.");
        else
            regret_moves(h, e, cur);
    }
    hw_elem_class(h, "p", "note", "Source: evaluate (docs/study.md): the optimum is a solve "
                                  "of the same plan and settings with the total budget set "
                                  "to the portfolio's commitment; each change is scored by a "
                                  "solve with the changed portfolio fixed.");
    hw_close(h); /* section */
}

ckp_status ckp_evaluation_write_dir(const ckp_evaluation *e, const ckp_report_info *info,
                                    const ckp_report_file *extra, int n_extra,
                                    const char *dir, ckp_diag_list *diag)
{
    if (!e || !e->result || !dir) return CKP_EINTERNAL;
    rep_html_section sec = {regret_section, e};
    return rep_write_dir(e->result, info, extra, n_extra, &sec, dir, diag);
}
