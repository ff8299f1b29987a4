/* model.h: builds the chokepoint MIP (docs/formulation.md) from a checked
 * plan, keeps the maps from plan records to columns and rows, and computes
 * a greedy incumbent.  Knows nothing of XML or GLPK. */
#ifndef CKP_MODEL_H
#define CKP_MODEL_H

#include "ckp/diag.h"
#include "ckp/export.h"
#include "ckp/mip.h"
#include "ckp/plan.h"
#include "ckp/status.h"

#ifdef __cplusplus
extern "C" {
#endif
/* A portfolio given in full (evaluate, explain: src/study): every
 * financing decision of the model fixed.  Arrays by plan index; the
 * caller owns them.  docs/formulation.md 7e. */
typedef struct ckp_fixed_portfolio {
    const int *option;        /* [n_projects] option funded, -1 = not */
    const int *start;         /* [n_projects] its start year */
    const int *upgrade_start; /* [n_upgrades] start year, -1 = not funded */
    const unsigned char *stockpile; /* [n_stockpiles] 1 = bought (may be
                                       NULL when the plan has none) */
} ckp_fixed_portfolio;

/* What-if settings layered on the plan without editing it. */
typedef struct ckp_model_params {
    int objective;          /* ckp_objective_kind, or -1 = the plan's */
    double budget_total;    /* NAN = the plan's total */
    const char *const *force;   /* project ids that must be funded */
    int n_force;
    const char *const *exclude; /* project ids that must not be funded */
    int n_exclude;
    int no_projects;        /* 1 = baseline: no project, no upgrade */
    double shortage_penalty;/* NAN = the plan's */
    double tie_break;       /* weight of the commitment tie-break, >= 0;
                               used by the one-stage solve only */
    /* Ties between portfolios of equal exposure (docs/formulation.md
       section 7f): 1 (default) = lexicographic solve in ckp_run, the
       exposure objective first, then the least commitment, then a fixed
       order (earliest start, plan order); the model is then built
       without the tie-break weight.  0 = one solve with the tie_break
       weight in the objective (CLI --tie-break off).  ckp_model_build
       itself ignores this field: callers that build a model for the
       lexicographic solve pass tie_break = 0 (ckp_run, export). */
    int lexicographic;
    /* Policy cap: S in (0, 1] on any single
       third country's (risk > 0) share of the requirement of a commodity
       in a year, elastic (docs/formulation.md section 7b); NAN = off. */
    double max_share;
    /* Goal mode, docs/formulation.md 7c:
       min_cost = 1: minimise the bank commitment subject to
       weighted exposure + shortage <= target x target_base, where
       target_base is the baseline's (no project) weighted objective value,
       filled by ckp_run (the builder cannot solve).  The exposure measure
       is the weighted objective's whatever the plan's kind. */
    int min_cost;
    double target;          /* T in (0, 1], NAN = none */
    double target_base;     /* share-years, NAN = not known */
    /* Scenarios, docs/formulation.md section 7d: */
    int measure;            /* ckp_scenario_measure, -1 = the plan's */
    const char *scenario;   /* NULL = every scenario of the plan; an id =
                               that scenario alone, with probability 1
                               (unknown id: CKP_EUSAGE) */
    int no_scenarios;       /* 1 = ignore the plan's scenarios */
    /* NULL = free; else every binary (start, upgrade, stockpile) is fixed
       at this portfolio by its bounds, so only production, shortage and
       releases are optimised.  A decision with no column (start outside
       its window or horizon) is CKP_EUSAGE with a diagnostic. */
    const ckp_fixed_portfolio *fixed;
    /* Year limits, docs/formulation.md section 6
       "Per-year limits": per-year disbursement limits layered on the
       plan's <limit>s.  scale_year_limits = 1 multiplies each of the
       plan's limits by budget_total / the plan's <budget total> (needs
       both finite, the plan's > 0; without a budget_total override the
       factor is 1).  Then each year_limits entry replaces (or adds) the
       limit of its year: value >= 0 in millions, INFINITY = no limit in
       that year; a year outside the horizon is CKP_EUSAGE.  The array is
       borrowed (only year and value are read). */
    const ckp_year_value *year_limits;
    int n_year_limits;
    int scale_year_limits;
    /* 1 = ignore the projects' and upgrades' start windows: every start
       year of the horizon gets a column.  The infeasibility explanation
       uses it to price moving a start outside its window
       (docs/formulation.md 7g); 0 (default) = the windows hold. */
    int open_windows;
} ckp_model_params;

CKP_API void ckp_model_params_init(ckp_model_params *p);

/* What a row of the model is (ckp_model.row_kind[row]). */
typedef enum ckp_row_kind {
    CKP_ROW_ONE = 0,      /* one[p]: at most one (option, start) per project */
    CKP_ROW_ONE_UPG,      /* one_upg[u]: at most one start per upgrade */
    CKP_ROW_CAP,          /* cap[p,y]: production <= capacity online */
    CKP_ROW_BAL,          /* bal[c,y]: material balance */
    CKP_ROW_INFRA,        /* infra[site,res,y]: needs <= existing + upgrades */
    CKP_ROW_BUDGET_YEAR,  /* budget[y]: disbursements of year y */
    CKP_ROW_BUDGET_TOTAL, /* budget_total */
    CKP_ROW_REQUIRES,     /* req[p,q] */
    CKP_ROW_EXCLUDES,     /* excl[p,q] */
    CKP_ROW_MINMAX,       /* mm[c,y]: m[y] >= weighted share (min-max) */
    CKP_ROW_SHARE_CAP,    /* cap_share[c,k,y]: one country's share <= S + e */
    CKP_ROW_GOAL,         /* goal: exposure + shortage <= T x baseline */
    CKP_ROW_STOCK_RELEASE,/* stock_rel[k,y,s]: release <= per-year limit */
    CKP_ROW_STOCK_TOTAL,  /* stock_tot[k,s]: releases <= tonnes held */
    CKP_ROW_WORST,        /* worst[s]: W >= scenario s's objective */
    CKP_ROW_FIN_CAP,      /* fin_cap[measure,y], fin_cap_total[measure]: a
                             <cap> of the budget (docs/formulation.md 6) */
    CKP_ROW_FEED,         /* feed[g,y,s]: a restricted feed delivers at most
                             what its producer makes (7i) */
    CKP_ROW_TAKE          /* take[h,c,y,s]: a plant takes at most its intake
                             of c from restricted feeds (7i) */
} ckp_row_kind;

/* One flow of a restricted feed (docs/formulation.md 7i): v[g,h,y,s], kt/yr
 * of the output of producer g (which has requires-process) taken by plant
 * h (which runs that process).  No column exists for a plant that cannot
 * take the feed. */
typedef struct ckp_feed_var {
    int scenario;  /* model scenario index */
    int from;      /* producer g */
    int to;        /* producer h */
    int year;      /* year index (year - first) */
    int col;
} ckp_feed_var;

/* One elastic policy-cap row (max_share): country k's production of commodity
 * c in year index y, at most S x R(c, y) plus the slack column. */
typedef struct ckp_share_cap {
    int scenario;  /* model scenario index */
    int commodity;
    int country;   /* plan country index */
    int year;      /* year index (year - first) */
    int row;
    int slack_col; /* e[c,k,y], kt/yr */
} ckp_share_cap;

/* One binary "fund project p with option o, starting in year start". */
typedef struct ckp_start_var {
    int project;
    int option;
    int start;   /* calendar year construction is funded/starts */
    int online;  /* first producing year: start + permit + build years */
    int col;
} ckp_start_var;

/* One binary "fund upgrade u starting in year start". */
typedef struct ckp_upgrade_var {
    int upgrade;
    int start;
    int online;
    int col;
} ckp_upgrade_var;

typedef struct ckp_model {
    const ckp_plan *plan;   /* borrowed: must outlive the model */
    ckp_model_params params;/* copy (the id arrays stay borrowed) */
    ckp_objective_kind objective;
    double shortage_penalty;
    double budget_total;
    int n_years;
    ckp_mip mip;

    ckp_start_var *starts;  /* grouped by project, in plan order */
    int n_starts;
    int *project_first;     /* [n_projects + 1]: starts of p are
                               project_first[p] .. project_first[p+1]-1 */
    ckp_upgrade_var *ustarts;
    int n_ustarts;
    int *upgrade_first;     /* [n_upgrades + 1] */

    /* Producers: existing facilities 0..n_facilities-1, then projects. */
    int n_producers;
    int *prod_col;          /* [producer * n_years + y], -1 if none */
    int *short_col;         /* [commodity * n_years + y], -1 if none */
    double *requirement;    /* [commodity * n_years + y], t/yr */
    int *budget_year_row;   /* [y], -1 when that year has no limit */
    int budget_total_row;   /* -1 when no total */
    double qty_scale;       /* model tonnes = t/yr / qty_scale */
    double money_scale;     /* model money = millions / money_scale */

    /* Row bookkeeping of the builder: */
    int *project_row;       /* [n_projects]: its one[p] row, -1 if no columns */
    unsigned char *row_kind;/* [mip.n_rows]: a ckp_row_kind per row */
    int cap_row_kind;       /* allocated length of row_kind (builder only) */
    /* What a row is about, 3 ints per row [3 * row + 0..2] (-1 = n/a):
       BUDGET_YEAR (calendar year, -1, -1); INFRA (site, resource,
       calendar year); REQUIRES, EXCLUDES (project p, project q, -1);
       ONE (project, -1, -1).  Read by the infeasibility explanation. */
    int *row_ref;
    int cap_row_ref;        /* allocated rows of row_ref (builder only) */

    /* Policy cap: empty when max_share is off. */
    double max_share;       /* in force, NAN = off */
    double cap_penalty;     /* M: objective per unit of missed share, 0 = off */
    ckp_share_cap *share_caps;
    int n_share_caps;

    /* Goal mode: min-cost only, else -1 / 0. */
    int goal_row;
    double goal_scale;      /* kappa: objective weight of the exposure
                               tie-break term per share-year */

    /* Scenarios, docs/formulation.md 7d.  n_scen is
       always >= 1: a plan without scenarios (or no_scenarios) has one
       implicit scenario of probability 1 (scen_plan[0] = -1).  prod_col,
       short_col and requirement take the scenario as outermost index,
       [(s * n + i) * n_years + y] with n = n_producers resp. the number
       of commodities, so scenario 0 keeps the layout documented above. */
    int n_scen;
    int *scen_plan;         /* [n_scen] plan scenario index, -1 = none */
    double *scen_prob;      /* [n_scen] */
    ckp_scenario_measure measure;
    int worst_col;          /* W: worst-case measure only, else -1 */
    int *stock_col;         /* [n_stockpiles] binary "buy it", -1 if none */
    int *release_col;       /* [(s * n_stockpiles + k) * n_years + y], -1 */
    double *expo_coef;      /* [mip.n_cols] the weighted exposure of a
                               column, probability-weighted over the
                               scenarios (production columns only; 0
                               elsewhere): what min-max pinning and the
                               goal measure use */
    int *col_scen;          /* [mip.n_cols] scenario of a column, -1 =
                               shared (build and financing decisions, W) */
    double *scen_coef;      /* [mip.n_cols] a scenario column's objective
                               coefficient within its own scenario (before
                               the measure weights it): sum over s's
                               columns of scen_coef x value = the objective
                               of scenario s */
    ckp_feed_var *feeds;    /* restricted-feed flows (7i), by scenario,
                               producer g, plant h, year; empty without
                               requires-process */
    int n_feeds;
} ckp_model;

/* Build the model.  plan must have passed ckp_plan_check().  Unknown ids in
 * params->force/exclude, or a project both forced and excluded, are
 * CKP_EUSAGE with a diagnostic.  On failure *out is NULL. */
CKP_API ckp_status ckp_model_build(const ckp_plan *plan, const ckp_model_params *params,
                                   ckp_model **out, ckp_diag_list *diag);
CKP_API void ckp_model_free(ckp_model *m); /* accepts NULL */

/* A greedy choice of binaries (best estimated exposure cut per unit of
 * bank money, earliest start that keeps budget, infrastructure and
 * requires/excludes rows feasible), as a full column vector
 * x[0..n_cols-1] whose binary entries are 0/1 and whose continuous entries
 * are NAN: the solver wrapper completes them by solving the LP with the
 * binaries fixed, then offers the result as the first incumbent.
 * Sets *out NULL (and returns CKP_OK) when no greedy choice is found.
 * The caller frees *out with free().  The search is iterative and its work
 * bounded (polynomial in the model's size, docs/formulation.md). */
CKP_API ckp_status ckp_model_greedy(const ckp_model *m, double **out);

/* Same, stopping after time_limit seconds (0 = no limit): what was chosen
 * by then is returned (or nothing, when a forced project is not in yet). */
CKP_API ckp_status ckp_model_greedy_limited(const ckp_model *m, double time_limit,
                                            double **out);

#ifdef __cplusplus
}
#endif

#endif
