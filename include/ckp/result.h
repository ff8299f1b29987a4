/* result.h: one solve of a plan, ready to report: the portfolio, what it
 * produces, the chokepoint exposure before (baseline: no project funded)
 * and after, the budget used, and the solver's account of optimality.
 * ckp_run() does the whole path: build, greedy incumbent, solve, baseline
 * solve, extraction.  Reports (src/report/) read this struct only. */
#ifndef CKP_RESULT_H
#define CKP_RESULT_H

#include "ckp/diag.h"
#include "ckp/model.h"
#include "ckp/plan.h"
#include "ckp/solve.h"
#include "ckp/status.h"

typedef struct ckp_pick { /* a funded project */
    int project;
    int option;
    int start;         /* year funded / construction starts */
    int online;        /* first producing year */
    double commitment; /* bank money, millions */
    double capex;      /* millions */
} ckp_pick;

typedef struct ckp_upgrade_pick {
    int upgrade;
    int start;
    int online;
    double cost;
} ckp_upgrade_pick;

/* One --max-share cap row of the portfolio (docs/formulation.md 7b). */
typedef struct ckp_cap_check {
    int commodity;  /* plan commodity index (its stage: the stage capped) */
    int country;    /* plan country index */
    int year;       /* calendar year */
    double share;   /* the country's production / requirement */
    double missed;  /* elastic slack / requirement: share above the cap
                       (0 when the cap is met) */
    double tonnes;  /* the slack, t/yr */
} ckp_cap_check;

typedef struct ckp_result {
    const ckp_plan *plan;       /* borrowed */
    ckp_model_params model_params; /* as used (id arrays borrowed) */
    ckp_solve_params solve_params;
    ckp_objective_kind objective;
    double budget_total;        /* in force (INFINITY = none) */
    double shortage_penalty;

    /* Solver account of the portfolio solve */
    ckp_mip_status status;
    double objective_value;
    double bound;
    double gap;
    double seconds;             /* portfolio solve wall time */
    double build_seconds;       /* model building */
    long nodes;
    int n_rows, n_cols, n_binaries, nnz;
    int heuristic_used;
    /* Added with the post-solve steps (docs/formulation.md section 7): */
    int n_pruned;               /* funded items the pruning removed or
                                   switched to a cheaper option */
    double post_seconds;        /* wall time of the post-solve LPs */

    /* Portfolio */
    ckp_pick *picks;             int n_picks;   /* in plan order */
    ckp_upgrade_pick *upgrade_picks; int n_upgrade_picks;
    double commitment_total;     /* projects + upgrades, millions */
    double capex_total;          /* capex of funded projects */
    double private_capital;      /* capex_total - project commitments */

    /* Per year, index y = year - plan->first_year */
    int n_years;
    double *spend;               /* [y] bank disbursement, millions */
    double *budget_limit;        /* [y] limit in force, INFINITY if none */

    /* Per producer (facilities then projects) and year, t/yr */
    int n_producers;
    double *production;          /* [producer * n_years + y] */

    /* Per commodity and year */
    double *requirement;         /* [c * n_years + y] t/yr */
    double *shortage;            /* portfolio shortage, t/yr */
    double *exposure;            /* portfolio chokepoint share */
    double *baseline_shortage;
    double *baseline_exposure;   /* no project funded */
    double baseline_objective;

    /* Per stage (index into plan->stages) */
    double *stage_exposure;      /* [s * n_years + y], requirement-weighted */
    double *stage_baseline;      /* same, baseline */
    double *added_outside;       /* [s] t/yr of funded capacity in countries
                                    with risk < 1, weighted by (1 - risk) */
    /* Added with the supplier-concentration report (additive): per stage
       and year [s * n_years + y], over the production of the stage's
       commodities grouped by the producer's country (a project without a
       country takes its site's; producers of no country form one group).
       NAN (country -1) when the stage produces nothing that year, or when
       there is no solution.  HHI = sum of (100 x country share)^2, 0..10000. */
    double *stage_top_share;     /* largest single-country share, portfolio */
    int *stage_top_country;      /* its plan country index, -1 if none */
    double *stage_hhi;           /* portfolio */
    double *stage_top_share_baseline;
    int *stage_top_country_baseline;
    double *stage_hhi_baseline;

    /* Added with the policy cap (additive): --max-share, portfolio. */
    double max_share;            /* NAN = off */
    double cap_penalty;          /* M of the elastic slack, 0 = off */
    ckp_cap_check *caps;         /* every cap row (plan order of commodity,
                                    country, year); NULL when off */
    int n_caps;
    int n_caps_missed;           /* rows whose slack is > 1e-9 */

    /* Added with the goal mode (additive): --objective min-cost --target T
       (docs/formulation.md 7c).  min_cost 0: the rest is NAN. */
    int min_cost;
    double target;               /* T */
    double goal_base;            /* baseline weighted exposure + shortage,
                                    share-years */
    double goal_limit;           /* T x goal_base */
    double goal_reached;         /* the portfolio's value of that measure */
    double best_reachable;       /* INFEASIBLE only: the least value any
                                    portfolio reaches (a plain weighted
                                    solve), share-years; NAN otherwise */
} ckp_result;

/* Build, solve and extract.  On CKP_OK *out is set whatever the MIP
 * status (check (*out)->status); CKP_EINFEASIBLE is never returned here,
 * the status says it.  Errors come with diagnostics. */
ckp_status ckp_run(const ckp_plan *plan, const ckp_model_params *mp,
                   const ckp_solve_params *sp, ckp_result **out,
                   ckp_diag_list *diag);
void ckp_result_free(ckp_result *r); /* accepts NULL */

#endif
