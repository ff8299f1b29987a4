/* plan_time.h: the timing of a plan's items, one definition shared by the
 * library's modules (the builder, the run's extraction, the studies): a
 * project's lead time, the start windows of projects and upgrades, and
 * the disbursement of an amount by its schedule.  Internal: not
 * installed, not exported from libckp.so (plan.c and terms.c define
 * them). */
#ifndef CKP_INPUT_PLAN_TIME_H
#define CKP_INPUT_PLAN_TIME_H

#include "ckp/plan.h"

/* Years from a project's start to its online year: the permit years
 * while the permit is pending, then the build years (plan.c). */
int ckp_project_lead(const ckp_project *pr);

/* Start window of project p / upgrade u inside the horizon: first and
 * last start year (a missing earliest or latest start, or any when
 * `open` is set, means the horizon's end), and for a project the lead
 * time (ckp_project_lead).  As the model builder sets it (plan.c). */
void ckp_plan_project_window(const ckp_plan *plan, int p, int open, int *lo, int *hi,
                             int *lead);
void ckp_plan_upgrade_window(const ckp_plan *plan, int u, int open, int *lo, int *hi);

/* Disbursement of `amount` by `schedule` (shares per year from `start`;
 * empty: all in the start year) added to spend[year - first] for the
 * years inside the horizon of Y years (terms.c). */
void ckp_disburse(double *spend, int Y, int first, int start, double amount,
                  const double *schedule, int n_schedule);

#endif
