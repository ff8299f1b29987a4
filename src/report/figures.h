/* figures.h: the one description of every figure the reports show
 * (internal to src/report).  A figure has a key, a unit, a meaning and a
 * getter that reads it from a ckp_result; the back ends (text, JSON, CSV,
 * datapackage.json, HTML) render the same descriptions, each in its own
 * way (a CSV header "commitment_usd_m", a JSON key "commitment" whose unit
 * the JSON Schema states, a text heading "commitment USD m").  Two kinds:
 *   - scalar figures (rep_figures[]): one value per result, grouped as the
 *     JSON objects "status", "model_size", "timing", "totals";
 *   - tables (rep_tables[]): one row per item (funded project, producer x
 *     year, ...), each column a figure; the CSV files of --out.
 * A new figure is one line in figures.c or tables.c (plus its computation
 * in src/core when the result does not carry it yet). */
#ifndef CKP_REPORT_FIGURES_H
#define CKP_REPORT_FIGURES_H

#include <stddef.h>
#include <stdio.h>

#include "ckp/result.h"
#include "ckp/status.h"

typedef enum rep_unit {
    REP_U_NONE = 0,    /* ids, names, words, flags */
    REP_U_MONEY,       /* millions of the plan currency */
    REP_U_TPY,         /* tonnes per year of the commodity */
    REP_U_TONNES,      /* tonnes */
    REP_U_SHARE,       /* a fraction in [0, 1] */
    REP_U_SHARE_YEARS, /* shares summed over years (weighted) */
    REP_U_YEAR,        /* calendar year */
    REP_U_COUNT,       /* a whole number of things */
    REP_U_SECONDS,     /* wall-clock seconds */
    REP_U_HHI,         /* Herfindahl-Hirschman index, 0..10000 */
    REP_U_PRICE        /* plan currency per tonne */
} rep_unit;

typedef enum rep_type {
    REP_T_STR = 0, /* text (NULL = undefined) */
    REP_T_INT,     /* whole number */
    REP_T_NUM,     /* result number: 10 significant digits */
    REP_T_EXACT,   /* parameter or time: 17 digits (round-trips) */
    REP_T_BOOL
} rep_type;

/* One value as a getter hands it over (strings borrowed from the result
 * or its plan, or from buf). */
typedef struct rep_cell {
    rep_type type;
    double num;       /* NUM, EXACT (NAN = undefined) */
    long i;           /* INT, BOOL */
    const char *str;  /* STR */
    char buf[512];    /* storage for composed text */
} rep_cell;

/* ---- scalar figures ---- */

typedef struct rep_figure {
    const char *group;   /* JSON object: "status", "model_size", "timing",
                            "totals" */
    const char *key;     /* JSON key */
    const char *label;   /* words for people (text, HTML) */
    rep_unit unit;
    rep_type type;
    const char *meaning; /* one sentence (docs, datapackage) */
    void (*get)(const ckp_result *r, rep_cell *c);
} rep_figure;

extern const rep_figure rep_figures[];
extern const int rep_n_figures;

/* The figure of a group and key, NULL when there is none. */
const rep_figure *rep_figure_find(const char *group, const char *key);

/* ---- tables ---- */

/* Where a row of a table points: its scenario, item (pick, producer,
 * commodity, stage, cap row, idle entry...) and year index. */
typedef struct rep_row {
    int s;
    int i;
    int y;
} rep_row;

typedef struct rep_column {
    const char *key;     /* JSON key and base of the CSV header */
    const char *csv;     /* CSV header when not key + unit suffix, or NULL */
    rep_unit unit;
    rep_type type;
    const char *meaning;
    void (*get)(const ckp_result *r, const rep_row *w, rep_cell *c);
    int (*when)(const ckp_result *r); /* NULL = always; else the column
                                         exists only when it returns 1 */
} rep_column;

typedef struct rep_table_def {
    const char *file;    /* "portfolio.csv" */
    const char *name;    /* "portfolio" (datapackage resource name) */
    const char *meaning; /* what one row is */
    /* Row k of the table: 1 = a row (w filled), -1 = no row for this k
       (skipped), 0 = past the last row. */
    int (*row)(const ckp_result *r, long k, rep_row *w);
    /* 1 when the file belongs to this result's --out directory. */
    int (*wanted)(const ckp_result *r);
    const rep_column *cols;
    int n_cols;
} rep_table_def;

extern const rep_table_def rep_tables[];
extern const int rep_n_tables;
/* The table of a file name, NULL when none. */
const rep_table_def *rep_table_find(const char *file);

/* ---- rendering helpers ---- */

/* Currency code of the plan, "USD" when unset. */
const char *rep_currency(const ckp_result *r);
/* Unit for people: "USD m", "t/yr", "t", "share", "share-years", "year",
 * "", "s", "HHI", "USD/t". */
void rep_unit_text(const ckp_result *r, rep_unit u, char *buf, size_t size);
/* Suffix of a CSV header: "_usd_m", "_t_per_year", "_t", "" (shares are
 * named so), "_share_years", "", "", "_s", "", "_usd_per_t". */
void rep_unit_suffix(const ckp_result *r, rep_unit u, char *buf, size_t size);
/* 1 when column c exists for this result. */
int rep_column_on(const ckp_result *r, const rep_column *c);
/* The CSV header of a column. */
void rep_column_header(const ckp_result *r, const rep_column *c, char *buf,
                       size_t size);
/* A cell as CSV (empty = undefined). */
void rep_cell_csv(FILE *out, const rep_cell *c);
/* A cell for people: money with 1 decimal, shares in % with 1 decimal,
 * share-years with 6, seconds with 3, t and t/yr grouped ("60,000");
 * "-" when undefined.  unit decides. */
void rep_cell_text(const rep_cell *c, rep_unit u, char *buf, size_t size);

/* Write a table as CSV (header row, then one line per row). */
ckp_status rep_csv_table(const ckp_result *r, const rep_table_def *t, FILE *out);

/* Setters used by the getters. */
void rep_set_str(rep_cell *c, const char *s);
void rep_set_num(rep_cell *c, double v);
void rep_set_exact(rep_cell *c, double v);
void rep_set_int(rep_cell *c, long v);
void rep_set_bool(rep_cell *c, int v);

/* Name of plan country k ("China"), its id when it has no name, NULL when
 * k is out of range. */
const char *rep_country_name(const ckp_plan *plan, int k);
/* Plan country index of a country id, -1 when unknown. */
int rep_country_ix(const ckp_plan *plan, const char *id);

#endif
