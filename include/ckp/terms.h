/* terms.h: the yearly figures of a funded item from its instrument terms
 * (docs/finance.md "Instrument terms"): commitment disbursed, exposure
 * outstanding, expected cost and contingent liability, in millions of the
 * plan currency, per calendar year of an option started in a given year.
 * The model's budget and cap rows (src/model/build_finance.c) and the
 * report's per-year figures (src/core/extract.c) read these functions
 * only, so the two cannot differ.  Of a checked plan (ckp_plan_check
 * returned CKP_OK). */
#ifndef CKP_TERMS_H
#define CKP_TERMS_H

#include "ckp/export.h"
#include "ckp/plan.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Figure m of option o of project p started in `start`, in calendar year
 * `year` (0 before the start and after the exposure ends). */
CKP_API double ckp_option_figure(const ckp_plan *plan, int p, int o, int start,
                                 ckp_fin_measure m, int year);

/* The same in one scenario s of the plan (s < 0: the probability-weighted
 * expectation over the scenarios, as ckp_option_figure).  Only the
 * expected cost of price support depends on the scenario. */
CKP_API double ckp_option_figure_in(const ckp_plan *plan, int p, int o, int start,
                                    ckp_fin_measure m, int year, int s);

/* The option's size in measure m, what a cap's `total` adds up: flows
 * (commitment, expected cost) summed over every year, also those after
 * the horizon; stocks (outstanding, contingent liability) their peak. */
CKP_API double ckp_option_figure_total(const ckp_plan *plan, int p, int o, int start,
                                       ckp_fin_measure m);

/* Spending that is not an instrument (an upgrade's cost, a stockpile's):
 * `amount` paid by `schedule` (n 0: all in the start year).  Commitment
 * and expected cost are the payments; outstanding and contingent
 * liability are 0. */
CKP_API double ckp_spending_figure(double amount, const double *schedule, int n,
                                   int start, ckp_fin_measure m, int year);
CKP_API double ckp_spending_total(double amount, ckp_fin_measure m);

/* A price-support option's cap: floor x volume x years / 1e6 (millions);
 * NAN without complete floor terms. */
CKP_API double ckp_terms_price_cap(const ckp_terms *t);

/* 1 for the stock measures (outstanding, contingent liability). */
CKP_API int ckp_fin_measure_is_stock(ckp_fin_measure m);

#ifdef __cplusplus
}
#endif

#endif
