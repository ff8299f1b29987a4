/* summary.h: the committee summary of a result (internal to src/report):
 * the budget used and what binds, the funded items by name and country,
 * the headline chokepoint share per stage in the final year (no funding ->
 * with the portfolio) in the calm case and under each scenario, the
 * exposure in share-years, and the stage-years that stay above 50 %.
 * Computed once (rep_summary_make) and rendered by the text report, JSON
 * ("summary", the first member) and report.html.  docs/reports.md,
 * "Committee summary", gives the rules. */
#ifndef CKP_REPORT_SUMMARY_H
#define CKP_REPORT_SUMMARY_H

#include <stdio.h>

#include "ckp/result.h"
#include "report/common.h"
#include "report/json.h"

#define REP_EXPOSED 0.5   /* a stage-year is "still exposed" above this share */
#define REP_MAX_YEARS 64

typedef struct rep_summary {
    /* budget */
    double available;         /* total in force, INFINITY = none */
    double used;              /* bank commitment, or the figure of the
                                 budget's measure (docs/finance.md) */
    const char *used_words;   /* "committed", "of expected cost", ... */
    double left;              /* available - used, INFINITY = no total */
    double cheapest;          /* commitment of the cheapest item not funded
                                 (project option, stockpile), NAN
                                 when every item is funded */
    const char *cheapest_id;  /* its id */
    int binds_total;          /* left < cheapest */
    int n_tight;              /* years whose limit is used in full */
    int tight[REP_MAX_YEARS]; /* those calendar years */
    const char *binds;        /* "total", "year-limit", "total-and-year-limit",
                                 "nothing-worth-funding", "no-limit", "cap"
                                 (a <cap> of the budget, docs/finance.md) */
    char binds_text[512];     /* the same in words */
    /* headline */
    int final_year;           /* calendar year */
    int calm;                 /* result scenario of the calm case (a plan
                                 scenario without changes, or the one
                                 implicit scenario), -1 when none */
    int n_scen;               /* result scenarios */
    int scenarios;            /* 1 when the plan's scenarios were solved */
} rep_summary;

void rep_summary_make(const ckp_result *r, rep_summary *s);

/* Stage g's chokepoint share in result scenario sc (-1 = the
 * probability-weighted expectation) and year index y; baseline or
 * portfolio.  NAN when undefined. */
double rep_stage_share(const ckp_result *r, int sc, int g, int y, int baseline);
/* Value (weighted exposure + shortage, share-years) of result scenario sc
 * (-1 = expected: the objective's measure over the scenarios). */
double rep_scen_value(const ckp_result *r, int sc, int baseline);
/* Words for result scenario sc: its id, "calm" for the implicit one. */
const char *rep_scen_label(const ckp_result *r, int sc);
/* Years of stage g (calm case, else expected) above REP_EXPOSED with the
 * portfolio as "2026-2028, 2035"; n_out gets their number. */
void rep_exposed_years(const ckp_result *r, const rep_summary *s, int g, char *buf,
                       size_t size, int *n_out);

/* The funded items in report order: projects (plan order), upgrades,
 * stockpiles.  Strings borrowed from the plan; country NULL when none
 * (stockpiles), stage NULL for upgrades. */
typedef struct rep_funded {
    const char *kind;         /* "project", "upgrade", "stockpile" */
    const char *id, *name;    /* name: the id when the plan gives none */
    const char *country, *country_name;
    const char *stage;
    const char *instrument;   /* the option's, or "upgrade" / "stockpile" */
    const char *source;       /* the option's (else the project's) source */
    int start, online;
    double commitment;        /* commitment or cost, millions */
} rep_funded;

int rep_n_funded(const ckp_result *r);
void rep_funded_get(const ckp_result *r, int k, rep_funded *f);
/* One funded item's members in a JSON object (the summary's funded list,
 * the next 100 M's changes): kind, id, name, country, country_name,
 * stage, instrument, start, online, commitment. */
void rep_funded_json(jw *w, const rep_funded *f);
/* The text tables of funded items (the summary's, the next 100 M's
 * changes): the columns from `first` (the item's name) to the commitment,
 * with the start year when with_start; and one row's cells from col. */
void rep_funded_cols(rep_table *t, const ckp_result *r, const char *first, int with_start);
void rep_funded_cells(rep_table *t, int col, const rep_funded *f, int with_start);

/* One sentence defining a share-year (text, JSON, HTML). */
extern const char rep_share_year_words[];

/* "What the next 100 M would buy" (next_budget.c), from r->next: its
 * heading ("What the next 100 USD m would buy"), its sentence (what the
 * re-solve funds, drops or changes and the exposure cut, or "nothing"
 * and what binds there; "" when r->next is NULL), and the three forms:
 * text lines (nothing when NULL), the JSON member "next" (null when
 * NULL) and the report.html part (nothing when NULL). */
void rep_next_heading(const ckp_result *r, char *buf, size_t size);
void rep_next_sentence(const ckp_result *r, char *buf, size_t size);
ckp_status rep_text_next(const ckp_result *r, FILE *out);
void rep_json_next(jw *w, const ckp_result *r);

/* The "Committee summary" section of the text report. */
ckp_status rep_text_summary(const ckp_result *r, FILE *out);
/* The JSON member "summary". */
void rep_json_summary(jw *w, const ckp_result *r);

#endif
