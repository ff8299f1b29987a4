/* scorecard.h: the figures of the programme's scorecard (scorecard.c;
 * internal to src/report).  g is a stage index, k a country index (-1 =
 * every country outside the chokepoint), y a year index; after = 1 with
 * the portfolio, 0 with no project funded. */
#ifndef CKP_REPORT_SCORECARD_H
#define CKP_REPORT_SCORECARD_H

#include <stddef.h>
#include <stdio.h>

#include "ckp/result.h"
#include "report/figures.h"

/* Capacity of the stage's producers in countries of risk < 1 (outside
 * the chokepoint), t/yr: facilities x available share, committed projects
 * and (after) funded projects x their ramp from the online year. */
double rep_sc_capacity(const ckp_result *r, int g, int k, int y, int after);
/* Production of funded projects of the stage under an offtake or
 * price-floor option, t/yr (probability-weighted). */
double rep_sc_offtake(const ckp_result *r, int g, int y);
/* The bloc's requirement of the stage's commodities, t/yr. */
double rep_sc_requirement(const ckp_result *r, int g, int y);
/* Largest share of the stage's production from one country outside the
 * bloc (risk > 0); *country its index (-1 none).  NAN when the stage
 * produces nothing or the production is unknown. */
double rep_sc_third_share(const ckp_result *r, int g, int y, int after, int *country);

/* Per commodity and year (scorecard_chain.c, docs/formulation.md 7j):
 * 1 when some producer without inputs (a mine) makes c; the local
 * processing share of c mined in countries of risk < 1, NAN when none is
 * mined there; the rows and columns of scorecard_commodities.csv. */
int rep_sc_mined(const ckp_plan *plan, int c);
double rep_sc_local_processing(const ckp_result *r, int c, int y, int after);
int rep_sc_rows_commodities(const ckp_result *r, long k, rep_row *w);
#define REP_SC_COMMODITY_COLS 7
/* The committee summary's line (docs/reports.md): per commodity with final
 * demand in year index y, "magnet 76,829 -> 69,029 t of 92,930 t" joined
 * by "; " into b; returns how many (0: not computed).  And the same as
 * the summary's JSON array "supply_at_risk". */
int rep_sc_at_risk_words(const ckp_result *r, int y, char *b, size_t n);
struct jw;
void rep_sc_json_at_risk(struct jw *w, const ckp_result *r, int y);
extern const rep_column rep_sc_commodity_cols[REP_SC_COMMODITY_COLS];

/* Transparency (docs/reports.md, "Scorecard"): the plan's records that
 * carry figures (demand points, facilities, projects, options, contracts,
 * co-financiers, upgrades, stockpiles), how many give a source, and how
 * many an as-of date (of those that can: facilities, projects, contracts,
 * co-financiers). */
typedef struct rep_sc_sources {
    long records, with_source, with_as_of;
} rep_sc_sources;
void rep_sc_count_sources(const ckp_plan *plan, rep_sc_sources *t);

/* Rendering a scorecard table for people: a column "x_before" is shown
 * with its "x_after" as "before -> after" under one heading.
 * rep_sc_pair: the index of j's "_after" column (-1 none or off);
 * rep_sc_is_after: 1 for an "_after" column (shown with its pair);
 * rep_sc_head: the heading ("capacity_outside t/yr"); rep_sc_cell: the
 * cell text; rep_sc_text: the table in the text report. */
int rep_sc_pair(const ckp_result *r, const rep_table_def *t, int j);
int rep_sc_is_after(const rep_table_def *t, int j);
void rep_sc_head(const ckp_result *r, const rep_table_def *t, int j, char *buf, size_t size);
void rep_sc_cell(const ckp_result *r, const rep_table_def *t, const rep_row *w, int j,
                 char *buf, size_t size);
ckp_status rep_sc_text(const ckp_result *r, const rep_table_def *t, FILE *out);

#endif
