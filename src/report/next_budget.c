/* next_budget.c: "What the next 100 M would buy", the part of the
 * committee summary that renders r->next (the re-solve at the total
 * budget + 100 made by src/study/next.c): what it would fund, drop or
 * change and the exposure cut, or "nothing" and what binds then.  Text,
 * the JSON member summary.next and its section of report.html all use the
 * sentence and the change list made here (docs/reports.md). */
#include <math.h>
#include <string.h>

#include "report/common.h"
#include "report/figures.h"
#include "report/html.h"
#include "report/summary.h"

static const char *state_key(ckp_next_state s)
{
    switch (s) {
    case CKP_NEXT_SOLVED: return "solved";
    case CKP_NEXT_NO_TOTAL: return "no-total";
    case CKP_NEXT_MIN_COST: return "min-cost";
    case CKP_NEXT_FIXED: return "fixed";
    }
    return "solved";
}

static const char *change_key(ckp_next_change_kind k)
{
    return k == CKP_NEXT_ADDED ? "added" : k == CKP_NEXT_DROPPED ? "dropped" : "changed";
}

/* The funded item a change shows: the re-solve's (added, changed) or the
 * solve's (dropped). */
static void change_item(const ckp_result *r, const ckp_next_change *c, rep_funded *f)
{
    if (c->after >= 0) rep_funded_get(r->next->result, c->after, f);
    else rep_funded_get(r, c->before, f);
}

/* Words for a change: "added", "dropped", "changed (was guarantee, 2026)". */
static void change_words(const ckp_result *r, const ckp_next_change *c, char *b, size_t n)
{
    if (c->kind != CKP_NEXT_CHANGED || c->before < 0) {
        snprintf(b, n, "%s", change_key(c->kind));
        return;
    }
    rep_funded f;
    rep_funded_get(r, c->before, &f);
    snprintf(b, n, "changed (was %s, %d)", f.instrument, f.start);
}

void rep_next_heading(const ckp_result *r, char *buf, size_t size)
{
    char st[32];
    rep_fixed(st, sizeof st, r->next ? r->next->step : 100.0, 0);
    snprintf(buf, size, "What the next %s %s m would buy", st, rep_currency(r));
}

void rep_next_sentence(const ckp_result *r, char *buf, size_t size)
{
    const ckp_next_budget *n = r->next;
    const char *cur = rep_currency(r);
    char b[64], a0[32], a1[32], cut[32];
    buf[0] = '\0';
    if (!n) return;
    switch (n->state) {
    case CKP_NEXT_NO_TOTAL:
        snprintf(buf, size, "nothing to add it to: the plan sets no total budget");
        return;
    case CKP_NEXT_MIN_COST:
        snprintf(buf, size, "does not apply: the min-cost objective already buys the "
                            "cheapest portfolio that reaches the target");
        return;
    case CKP_NEXT_FIXED:
        snprintf(buf, size, "does not apply: the portfolio is given, not chosen");
        return;
    case CKP_NEXT_SOLVED: break;
    }
    rep_fixed(b, sizeof b, n->budget, 1);
    const ckp_result *x = n->result;
    if (!rep_has_solution(r)) return;
    if (!x || !rep_has_solution(x)) {
        snprintf(buf, size, "not known: the re-solve at a total of %s %s m found no "
                            "portfolio (%s)", b, cur,
                 x ? rep_status_word(x->status) : "not run");
        return;
    }
    const char *proof = x->status == CKP_MIP_OPTIMAL ? "" : " (re-solve FEASIBLE, not proven "
                                                           "optimal)";
    if (!n->buys) {
        rep_summary s;
        rep_summary_make(x, &s);
        snprintf(buf, size, "nothing: re-solved at a total of %s %s m, %s; what binds there: "
                            "%s%s", b, cur,
                 n->n_changes ? "the portfolio changes but the exposure does not"
                              : "the same portfolio",
                 s.binds_text, proof);
        return;
    }
    rep_fixed(a0, sizeof a0, r->objective_value, 2);
    rep_fixed(a1, sizeof a1, x->objective_value, 2);
    rep_fixed(cut, sizeof cut, n->cut, 2);
    int added = 0, dropped = 0, changed = 0;
    for (int i = 0; i < n->n_changes; i++) {
        added += n->changes[i].kind == CKP_NEXT_ADDED;
        dropped += n->changes[i].kind == CKP_NEXT_DROPPED;
        changed += n->changes[i].kind == CKP_NEXT_CHANGED;
    }
    size_t k = (size_t)snprintf(buf, size, "re-solved at a total of %s %s m: ", b, cur);
    int first = 1;
    for (int kind = 0; kind < 3 && k < size; kind++) {
        int cnt = kind == 0 ? added : kind == 1 ? dropped : changed;
        if (!cnt) continue;
        k += (size_t)snprintf(buf + k, size - k, "%s%s ", first ? "" : "; ",
                              kind == 0 ? "funds" : kind == 1 ? "drops" : "changes");
        first = 0;
        int j = 0;
        for (int i = 0; i < n->n_changes && k < size; i++) {
            if ((int)n->changes[i].kind != kind) continue;
            rep_funded f;
            change_item(r, &n->changes[i], &f);
            k += (size_t)snprintf(buf + k, size - k, "%s%s", j++ ? ", " : "", f.name);
        }
    }
    if (k < size)
        snprintf(buf + k, size - k, "; exposure %s -> %s share-years (cut by %s, %.1f %%)%s", a0,
                 a1, cut, r->objective_value > 0 ? 100 * n->cut / r->objective_value : 0.0,
                 proof);
}

/* ---- text ---- */

ckp_status rep_text_next(const ckp_result *r, FILE *out)
{
    const ckp_next_budget *n = r->next;
    if (!n || !rep_has_solution(r)) return CKP_OK;
    char head[96], s[1024];
    rep_next_heading(r, head, sizeof head);
    rep_next_sentence(r, s, sizeof s);
    fprintf(out, "  %s: ", head);
    rep_put_line(out, s);
    fputc('\n', out);
    if (!n->buys) return ferror(out) ? CKP_EIO : CKP_OK;
    rep_table t;
    rep_table_init(&t);
    rep_table_col(&t, "change", 'l');
    rep_funded_cols(&t, r, "item", 1);
    for (int i = 0; i < n->n_changes; i++) {
        rep_funded f;
        char w[96];
        change_item(r, &n->changes[i], &f);
        rep_table_row(&t);
        change_words(r, &n->changes[i], w, sizeof w);
        rep_table_set(&t, 0, w);
        rep_funded_cells(&t, 1, &f, 1);
    }
    ckp_status st = rep_table_print(&t, out, "    ");
    rep_table_fini(&t);
    return st;
}

/* ---- JSON ---- */

void rep_json_next(jw *w, const ckp_result *r)
{
    const ckp_next_budget *n = r->next;
    if (!n || !rep_has_solution(r)) {
        jw_null(w, "next");
        return;
    }
    const ckp_result *x = n->state == CKP_NEXT_SOLVED ? n->result : NULL;
    int has = x && rep_has_solution(x);
    char s[1024];
    jw_object(w, "next");
    jw_str(w, "state", state_key(n->state));
    jw_num(w, "step", n->step);
    jw_num(w, "budget", n->budget);
    jw_str(w, "status", x ? rep_status_key(x->status) : NULL);
    jw_bool(w, "buys", n->buys);
    jw_num(w, "objective", r->objective_value);
    jw_num(w, "next_objective", has ? x->objective_value : NAN);
    jw_num(w, "cut", has ? n->cut : NAN);
    jw_num(w, "cut_share", has && r->objective_value > 0 ? n->cut / r->objective_value : NAN);
    jw_num(w, "commitment", has ? x->commitment_total : NAN);
    if (has) {
        rep_summary sm;
        rep_summary_make(x, &sm);
        jw_str(w, "binds", sm.binds);
    } else {
        jw_null(w, "binds");
    }
    jw_array(w, "changes");
    for (int i = 0; has && i < n->n_changes; i++) {
        rep_funded f;
        change_item(r, &n->changes[i], &f);
        jw_object(w, NULL);
        jw_str(w, "change", change_key(n->changes[i].kind));
        rep_funded_json(w, &f);
        jw_end_object(w);
    }
    jw_end_array(w);
    rep_next_sentence(r, s, sizeof s);
    jw_str(w, "text", s);
    jw_end_object(w);
}

/* ---- report.html ---- */

/* One row of the figures table: label, the figure (its summary.json
 * path), an empty unit cell. */
static void figure_row(hw *h, const char *label, const char *path, double v, int digits)
{
    char b[64];
    hw_open(h, "tr");
    hw_elem(h, "th", label);
    rep_fixed(b, sizeof b, v, digits);
    hw_figure(h, "td", path, v, b);
    hw_elem(h, "td", "");
    hw_close(h);
}

void rep_html_next(hw *h, const ckp_result *r)
{
    const ckp_next_budget *n = r->next;
    if (!n || !rep_has_solution(r)) return;
    char head[96], s[1024], b[64], path[96];
    rep_next_heading(r, head, sizeof head);
    rep_next_sentence(r, s, sizeof s);
    hw_elem(h, "h3", head);
    hw_open(h, "p");
    hw_attr(h, "id", "next");
    hw_attr(h, "class", n->buys ? "lead" : "bind");
    hw_text(h, s);
    hw_text(h, ".");
    hw_close(h);
    const ckp_result *x = n->result;
    if (n->state != CKP_NEXT_SOLVED || !x || !rep_has_solution(x)) return;
    hw_open(h, "table");
    hw_attr(h, "id", "next-figures");
    figure_row(h, "re-solved at a total of", "summary.next.budget", n->budget, 1);
    figure_row(h, "exposure now, share-years", "summary.next.objective", r->objective_value,
               2);
    figure_row(h, "exposure with the next 100, share-years", "summary.next.next_objective",
               x->objective_value, 2);
    figure_row(h, "cut, share-years", "summary.next.cut", n->cut, 2);
    hw_close(h);
    if (!n->buys || n->n_changes == 0) return;
    hw_open(h, "table");
    hw_attr(h, "id", "next-changes");
    hw_open(h, "tr");
    hw_elem(h, "th", "change");
    hw_elem(h, "th", "item");
    hw_elem(h, "th", "country");
    hw_elem(h, "th", "stage");
    hw_elem(h, "th", "instrument");
    hw_elem_class(h, "th", "num", "start");
    hw_elem_class(h, "th", "num", "online");
    snprintf(b, sizeof b, "commitment, %s m", rep_currency(r));
    hw_elem_class(h, "th", "num", b);
    hw_close(h);
    for (int i = 0; i < n->n_changes; i++) {
        rep_funded f;
        change_item(r, &n->changes[i], &f);
        hw_open(h, "tr");
        char w[96];
        change_words(r, &n->changes[i], w, sizeof w);
        hw_elem(h, "td", w);
        hw_elem(h, "td", f.name);
        hw_elem(h, "td", f.country_name ? f.country_name : "-");
        hw_elem(h, "td", f.stage ? f.stage : "-");
        hw_elem(h, "td", f.instrument);
        snprintf(path, sizeof path, "summary.next.changes.%d.start", i);
        snprintf(b, sizeof b, "%d", f.start);
        hw_figure(h, "td", path, f.start, b);
        snprintf(path, sizeof path, "summary.next.changes.%d.online", i);
        snprintf(b, sizeof b, "%d", f.online);
        hw_figure(h, "td", path, f.online, b);
        snprintf(path, sizeof path, "summary.next.changes.%d.commitment", i);
        rep_fixed(b, sizeof b, f.commitment, 1);
        hw_figure(h, "td", path, f.commitment, b);
        hw_close(h);
    }
    hw_close(h);
}
