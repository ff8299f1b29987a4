/* common.h: helpers shared by the report writers (internal to
 * src/report): lookups from a result to plan names, the words for a
 * solver status, deterministic number formatting, CSV fields and an
 * aligned text table. */
#ifndef CKP_REPORT_COMMON_H
#define CKP_REPORT_COMMON_H

#include <stdio.h>

#include "ckp/result.h"
#include "ckp/status.h"
#include "report/json.h"

/* Values whose magnitude is below this are solver noise: reported as 0. */
#define REP_ZERO 1e-9

/* 1 when the result carries a portfolio (OPTIMAL or FEASIBLE). */
int rep_has_solution(const ckp_result *r);

/* "OPTIMAL", "FEASIBLE", "INFEASIBLE", "NO SOLUTION", "ERROR". */
const char *rep_status_word(ckp_mip_status s);
/* "optimal", "feasible", "infeasible", "no-solution", "error". */
const char *rep_status_key(ckp_mip_status s);
/* One sentence for people: never says optimal unless status is OPTIMAL. */
void rep_status_sentence(const ckp_result *r, char *buf, size_t size);
/* Why the solver stopped: "optimal", "gap", "time-limit", "infeasible",
 * "error" (machine-readable, JSON). */
const char *rep_stop_reason(const ckp_result *r);

/* Ids of a project's stage and country ("?" when unresolved). */
int rep_project_stage_ix(const ckp_plan *plan, int p);
const char *rep_project_stage(const ckp_plan *plan, int p);
const char *rep_project_country(const ckp_plan *plan, int p);
/* Country id of producer i (facility or project). */
const char *rep_producer_country(const ckp_plan *plan, int i);
const char *rep_producer_id(const ckp_plan *plan, int i);
int rep_producer_output(const ckp_plan *plan, int i);

/* Array element or NAN when the array is absent. */
double rep_at(const double *a, int i);

/* Deterministic number text: 10 significant digits, -0 and |v| < REP_ZERO
 * printed as 0.  Returns 0 (and "") for NaN/inf. */
int rep_num(char *buf, size_t size, double v);
/* Fixed decimals ("%.*f"), "-" for NaN/inf, noise cleaned. */
void rep_fixed(char *buf, size_t size, double v, int decimals);
/* Percentage of a share with one decimal ("90.0"), "-" for NaN/inf. */
void rep_pct(char *buf, size_t size, double share);

/* A source for the text report: its first 60 characters (cut at a UTF-8
 * character boundary) and "...", "-" when absent. */
void rep_short_source(char *buf, size_t size, const char *src);

/* Text for the one-line-per-item text report: control characters
 * (newlines, tabs) written as blanks. */
void rep_put_line(FILE *out, const char *s);

/* CSV (RFC 4180): a field quoted when it holds , " CR LF or edge blanks;
 * quotes doubled.  NULL writes an empty field. */
void rep_csv_str(FILE *out, const char *s);
void rep_csv_num(FILE *out, double v);  /* empty for NaN/inf */
void rep_csv_int(FILE *out, long v);

/* Scenarios and stockpiles (scenarios.c).  A result "has scenarios" when
 * its scenarios come from the plan (scenario_plan[0] >= 0: every scenario
 * of the plan, or one chosen with --scenario); a plan without scenarios,
 * or solved with --no-scenarios, has one implicit scenario and gets none
 * of these parts, so its reports are unchanged. */
int rep_has_scenarios(const ckp_result *r);
int rep_has_stockpiles(const ckp_result *r); /* the plan has candidates */
int rep_n_scen(const ckp_result *r);         /* n_scenarios, at least 1 */
/* Plan id of result scenario s, NULL for the implicit scenario. */
const char *rep_scenario_id(const ckp_result *r, int s);
/* Element [s][i][y] of a per-scenario array (n items), NAN when absent. */
double rep_scen_at(const double *a, int s, int n, int i, int ny, int y);
/* A number for people: thousands separated by ',' from 100 up
 * ("60,000"), else up to 2 decimals; "-" for NaN/inf. */
void rep_grouped(char *buf, size_t size, double v);
/* Why an idle entry is idle, in words ("NdPr oxide price 60,000 <
 * breakeven 75,000 USD/t and its loan carries no price support"). */
void rep_idle_words(const ckp_result *r, const ckp_idle *e, char *buf, size_t size);
/* Text: "Stockpiles bought" beside the portfolio (plans with stockpiles);
 * their releases when the plan has no scenarios; the "Scenarios" section. */
ckp_status rep_text_stockpiles(const ckp_result *r, FILE *out, const char *cur);
ckp_status rep_text_releases(const ckp_result *r, FILE *out);
ckp_status rep_text_scenarios(const ckp_result *r, FILE *out);
/* JSON members "stockpiles" (plans with stockpiles) and
 * "scenario_measure" + "scenarios" (results with scenarios). */
void rep_json_stockpiles(jw *w, const ckp_result *r);
void rep_json_scenarios(jw *w, const ckp_result *r);

/* An aligned text table: columns with a heading and an alignment ('l'
 * or 'r'); cells copied. */
#define REP_MAX_COLS 64
typedef struct rep_table {
    int n_cols;
    char *head[REP_MAX_COLS];  /* owned copies */
    char align[REP_MAX_COLS];
    char **cells; /* n_rows * n_cols, owned */
    int n_rows;
    int cap_rows;
    int oom;
    int no_head; /* 1 = print no heading line */
} rep_table;

void rep_table_init(rep_table *t);
/* Add a column (head copied); returns its index, -1 on OOM. */
int rep_table_col(rep_table *t, const char *head, char align);
/* Start a new row (cells empty); returns its index or -1 on OOM. */
int rep_table_row(rep_table *t);
/* Set a cell of the last row (copied). */
void rep_table_set(rep_table *t, int col, const char *text);
/* Print with two spaces between columns, each line prefixed by indent. */
ckp_status rep_table_print(const rep_table *t, FILE *out, const char *indent);
void rep_table_fini(rep_table *t);

#endif
