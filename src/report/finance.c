/* finance.c: the portfolio's finance per year (docs/finance.md,
 * docs/reports.md "Finance per year"): the one description of the table
 * finance.csv (rep_finance_cols: commitment, outstanding, expected cost,
 * contingent liability, the caps in force) and its text and HTML forms;
 * the JSON and CSV forms are the generic table writers'.  The figures are
 * computed in src/core/finance.c from the options' terms. */
#include "report/finance.h"

#include <math.h>
#include <string.h>

#include "report/common.h"

static double fy(const ckp_result *r, ckp_fin_measure m, int y)
{
    return r->fin_year ? r->fin_year[m * r->n_years + y] : NAN;
}
static double cap_y(const ckp_result *r, ckp_fin_measure m, int y)
{
    return r->fin_cap_limit ? r->fin_cap_limit[m * r->n_years + y] : INFINITY;
}
/* A limit cell: the limit, or undefined when none. */
static void limit_cell(rep_cell *c, double v) { rep_set_num(c, isfinite(v) ? v : NAN); }

static void f_year(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_int(c, r->plan->first_year + w->y);
}
static void f_commit(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_num(c, fy(r, CKP_FIN_COMMITMENT, w->y));
}
static void f_out(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_num(c, fy(r, CKP_FIN_OUTSTANDING, w->y));
}
static void f_ec(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_num(c, fy(r, CKP_FIN_EXPECTED_COST, w->y));
}
static void f_cl(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    rep_set_num(c, fy(r, CKP_FIN_CONTINGENT, w->y));
}
static void f_budget(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    limit_cell(c, rep_at(r->budget_limit, w->y));
}
static int has_cap(const ckp_result *r, ckp_fin_measure m)
{
    if (!r->fin_cap_limit) return 0;
    for (int y = 0; y < r->n_years; y++)
        if (isfinite(cap_y(r, m, y))) return 1;
    return 0;
}
static int on_c(const ckp_result *r) { return has_cap(r, CKP_FIN_COMMITMENT); }
static int on_o(const ckp_result *r) { return has_cap(r, CKP_FIN_OUTSTANDING); }
static int on_e(const ckp_result *r) { return has_cap(r, CKP_FIN_EXPECTED_COST); }
static int on_l(const ckp_result *r) { return has_cap(r, CKP_FIN_CONTINGENT); }
static void k_c(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    limit_cell(c, cap_y(r, CKP_FIN_COMMITMENT, w->y));
}
static void k_o(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    limit_cell(c, cap_y(r, CKP_FIN_OUTSTANDING, w->y));
}
static void k_e(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    limit_cell(c, cap_y(r, CKP_FIN_EXPECTED_COST, w->y));
}
static void k_l(const ckp_result *r, const rep_row *w, rep_cell *c)
{
    limit_cell(c, cap_y(r, CKP_FIN_CONTINGENT, w->y));
}

const rep_column rep_finance_cols[REP_N_FINANCE_COLS] = {
    {"year", NULL, REP_U_YEAR, REP_T_INT, "calendar year", f_year, NULL},
    {"commitment", NULL, REP_U_MONEY, REP_T_NUM,
     "bank money disbursed that year (options by their schedule, upgrades, stockpiles)",
     f_commit, NULL},
    {"outstanding", NULL, REP_U_MONEY, REP_T_NUM,
     "exposure at the end of the year: loans not yet repaid, equity held, guarantees and "
     "price-support caps in force (docs/finance.md)", f_out, NULL},
    {"expected_cost", NULL, REP_U_MONEY, REP_T_NUM,
     "expected loss on that year's disbursements, grants and spending, and the "
     "probability-weighted price-support payments of the year", f_ec, NULL},
    {"contingent_liability", NULL, REP_U_MONEY, REP_T_NUM,
     "guarantees and price-support caps in force at the end of the year", f_cl, NULL},
    {"budget_limit", NULL, REP_U_MONEY, REP_T_NUM,
     "the budget's limit for the year, in its measure (empty: none)", f_budget, NULL},
    {"cap_commitment", NULL, REP_U_MONEY, REP_T_NUM, "the <cap> on commitment that year",
     k_c, on_c},
    {"cap_outstanding", NULL, REP_U_MONEY, REP_T_NUM, "the <cap> on outstanding that year",
     k_o, on_o},
    {"cap_expected_cost", NULL, REP_U_MONEY, REP_T_NUM,
     "the <cap> on expected cost that year", k_e, on_e},
    {"cap_contingent_liability", NULL, REP_U_MONEY, REP_T_NUM,
     "the <cap> on contingent liability that year", k_l, on_l},
};

int rep_finance_rows(const ckp_result *r, long k, rep_row *w)
{
    if (k >= r->n_years) return 0;
    w->s = 0;
    w->i = 0;
    w->y = (int)k;
    return 1;
}

int rep_finance_wanted(const ckp_result *r) { return rep_has_solution(r) && r->fin_year; }

static void head_of(const ckp_result *r, const rep_column *col, char *buf, size_t size)
{
    char u[32];
    rep_unit_text(r, col->unit, u, sizeof u);
    if (col->unit == REP_U_YEAR || !*u) snprintf(buf, size, "%s", col->key);
    else snprintf(buf, size, "%s (%s)", col->key, u);
}

ckp_status rep_finance_text(const ckp_result *r, FILE *out)
{
    const rep_table_def *t = rep_table_find("finance.csv");
    if (!t || !t->wanted(r)) return CKP_OK;
    fprintf(out, "\nFinance per year (docs/finance.md; the budget limits %s)\n",
            ckp_fin_measure_str(r->budget_measure));
    rep_table tb;
    rep_table_init(&tb);
    char b[160];
    for (int j = 0; j < t->n_cols; j++) {
        if (!rep_column_on(r, &t->cols[j])) continue;
        head_of(r, &t->cols[j], b, sizeof b);
        rep_table_col(&tb, b, t->cols[j].type == REP_T_STR ? 'l' : 'r');
    }
    rep_row w;
    rep_cell c;
    for (long k = 0; t->row(r, k, &w) != 0; k++) {
        rep_table_row(&tb);
        int col = 0;
        for (int j = 0; j < t->n_cols; j++) {
            if (!rep_column_on(r, &t->cols[j])) continue;
            memset(&c, 0, sizeof c);
            t->cols[j].get(r, &w, &c);
            if (c.type == REP_T_INT) snprintf(b, sizeof b, "%ld", c.i);
            else rep_cell_text(&c, t->cols[j].unit, b, sizeof b);
            rep_table_set(&tb, col++, b);
        }
    }
    ckp_status st = rep_table_print(&tb, out, "  ");
    rep_table_fini(&tb);
    return st;
}

void rep_finance_html(hw *h, const ckp_result *r)
{
    const rep_table_def *t = rep_table_find("finance.csv");
    if (!t || !t->wanted(r)) return;
    char b[160];
    hw_open(h, "section");
    hw_attr(h, "id", "finance");
    hw_elem(h, "h2", "Finance per year");
    hw_open(h, "p");
    hw_textf(h, "What the portfolio commits, has outstanding, expects to lose and stands "
                "behind (contingent liability) each year, from the instruments' terms; the "
                "budget limits %s (finance.csv, docs/finance.md).",
             ckp_fin_measure_str(r->budget_measure));
    hw_close(h);
    hw_open(h, "table");
    hw_attr(h, "class", "data");
    hw_attr(h, "data-table", t->name);
    hw_open(h, "tr");
    for (int j = 0; j < t->n_cols; j++) {
        if (!rep_column_on(r, &t->cols[j])) continue;
        head_of(r, &t->cols[j], b, sizeof b);
        hw_elem_class(h, "th", "num", b);
    }
    hw_close(h);
    rep_row w;
    rep_cell c;
    for (long k = 0; t->row(r, k, &w) != 0; k++) {
        hw_open(h, "tr");
        for (int j = 0; j < t->n_cols; j++) {
            if (!rep_column_on(r, &t->cols[j])) continue;
            memset(&c, 0, sizeof c);
            t->cols[j].get(r, &w, &c);
            if (c.type == REP_T_INT) snprintf(b, sizeof b, "%ld", c.i);
            else rep_cell_text(&c, t->cols[j].unit, b, sizeof b);
            hw_elem_class(h, "td", "num", b);
        }
        hw_close(h);
    }
    hw_close(h);
    hw_close(h);
}
