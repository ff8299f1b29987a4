/* finance.h: the portfolio's finance per year (finance.c; internal to
 * src/report): the column descriptions of finance.csv, its rows, and its
 * text and HTML forms. */
#ifndef CKP_REPORT_FINANCE_H
#define CKP_REPORT_FINANCE_H

#include <stdio.h>

#include "report/figures.h"
#include "report/html.h"

#define REP_N_FINANCE_COLS 10
extern const rep_column rep_finance_cols[REP_N_FINANCE_COLS];
/* One row per year of the horizon. */
int rep_finance_rows(const ckp_result *r, long k, rep_row *w);
/* 1 when the result has a portfolio (and its finance figures). */
int rep_finance_wanted(const ckp_result *r);
/* "Finance per year" in the text report, a <section id="finance"> in
 * report.html; nothing without a portfolio. */
ckp_status rep_finance_text(const ckp_result *r, FILE *out);
void rep_finance_html(hw *h, const ckp_result *r);

#endif
