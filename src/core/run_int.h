/* run_int.h: what the files of one run share (run.c: the driver;
 * post.c: the post-solve steps; extract.c: the result read out of a
 * solution).  Private to src/core. */
#ifndef CKP_CORE_RUN_INT_H
#define CKP_CORE_RUN_INT_H

#include <stddef.h>

#include "ckp/model.h"
#include "ckp/result.h"
#include "ckp/solve.h"

/* Post-solve steps (post.c) */
double run_exposure_part(const ckp_mip *m, const double *eobj, const double *x);
ckp_status run_post_solve(const ckp_model *model, const ckp_solution *sol, const double
                          *eobj, int lex, const ckp_solve_params *aux, ckp_result *r,
                          double **x_final, ckp_diag_list *diag);
/* Step 1 (the pruning) alone on portfolio x of a lexicographic model
 * (not min-cost), for stage 2's first incumbent (core/lex.c): *x_out the
 * LP point of the pruned portfolio (caller frees), NULL when nothing was
 * dropped.  dj, z: stage 1's root reduced costs and LP (dj NULL = no
 * screen). */
ckp_status run_prune_start(const ckp_model *model, const double *x, const double *dj,
                           double z, const ckp_solve_params *aux, double **x_out,
                           ckp_diag_list *diag);
ckp_status run_post_solve_baseline(const ckp_model *base, const ckp_solution *bsol,
                                   const ckp_solve_params *aux, double **x_final,
                                   ckp_diag_list *diag);

/* Reading the result out of a solution (extract.c) */
double *run_nan_array(size_t n);
ckp_status run_flows(const ckp_model *m, const double *x, int sc, double *production,
                     double *shortage, double *exposure, double *stage);
ckp_status run_concentration(const ckp_plan *plan, int n_prod, int Y, const double
                             *production, double *top, int *topc, double *hhi);
ckp_status run_cap_checks(ckp_result *r, const ckp_model *m, const double *x);
ckp_status run_portfolio(ckp_result *r, const ckp_model *m, const double *x);
ckp_status run_scenario_flows(ckp_result *r, const ckp_model *m, const ckp_model *base,
                              const double *x, const double *bx, double *bprod);
ckp_status run_stockpiles(ckp_result *r, const ckp_model *m, const double *x);
/* finance.c: the per-year figures of the funded items from their terms
 * and the plan's caps (fin_* of ckp_result), after run_portfolio and
 * run_stockpiles. */
ckp_status run_finance(ckp_result *r, const ckp_model *m);
ckp_status run_idle_projects(ckp_result *r, const ckp_model *m);

/* Supply at risk if the chokepoint stops exporting (risk.c) */
ckp_status run_supply_at_risk(ckp_result *r, const ckp_solve_params *aux);

#endif
