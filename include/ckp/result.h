/* result.h: one solve of a plan, ready to report, in six groups: the
 * settings as used, the portfolio, the budget table, the exposure table
 * (baseline: no project funded, and after), the scenario table, and the
 * proof (the solver's account of optimality).  docs/result.md describes
 * each group; evaluate, explain, compare and sweeps read the same shape.
 * ckp_run() does the whole path: build, greedy incumbent, solve, baseline
 * solve, extraction.  Reports (src/report/) read this struct only. */
#ifndef CKP_RESULT_H
#define CKP_RESULT_H

#include <stddef.h>

#include "ckp/diag.h"
#include "ckp/export.h"
#include "ckp/model.h"
#include "ckp/plan.h"
#include "ckp/solve.h"
#include "ckp/status.h"

#ifdef __cplusplus
extern "C" {
#endif

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

/* One policy-cap row of the portfolio (docs/formulation.md 7b). */
typedef struct ckp_cap_check {
    int scenario;   /* result scenario index */
    int commodity;  /* plan commodity index (its stage: the stage capped) */
    int country;    /* plan country index */
    int year;       /* calendar year */
    double share;   /* the country's production / requirement */
    double missed;  /* elastic slack / requirement: share above the cap
                       (0 when the cap is met) */
    double tonnes;  /* the slack, t/yr */
} ckp_cap_check;

/* Why a funded project, online in a year, produces (almost) nothing in a
 * scenario (docs/formulation.md 7d). */
typedef enum ckp_idle_reason {
    CKP_IDLE_PRICE = 0,  /* price below its breakeven and its financing
                            option carries no price support */
    CKP_IDLE_EXPORT,     /* an input is short because an export control
                            restricts its producers upstream */
    CKP_IDLE_OWN_EXPORT, /* its own country's exports to the bloc are
                            restricted */
    CKP_IDLE_INPUT,      /* an input is short, no export control on it */
    CKP_IDLE_NOT_NEEDED  /* demand is met without it */
} ckp_idle_reason;

CKP_API const char *ckp_idle_reason_str(ckp_idle_reason r); /* "price", ... */

/* A funded project idle in one year of one scenario: it produces less
 * than 1 % of the capacity it has online that year. */
typedef struct ckp_idle {
    int scenario;       /* result scenario index */
    int project;        /* plan project index */
    int year;           /* calendar year */
    ckp_idle_reason reason;
    int commodity;      /* PRICE: the priced commodity; EXPORT: the
                           restricted input; INPUT: the short input;
                           else -1 */
    int country;        /* EXPORT, OWN_EXPORT: the restricting country,
                           else -1 */
    double price;       /* PRICE: the scenario's price, else NAN */
    double breakeven;   /* PRICE: the project's breakeven, else NAN */
    double capacity;    /* t/yr it could have made that year */
    double produced;    /* t/yr it made */
} ckp_idle;

typedef struct ckp_stockpile_pick { /* a stockpile bought */
    int stockpile;      /* plan stockpile index */
    int year;           /* bought and available from */
    double cost;        /* millions */
} ckp_stockpile_pick;

/* One stage of the lexicographic solve (docs/formulation.md 7f).  The
 * keys, in order: weighted / min-max / scenario objectives: 1 exposure +
 * shortage (share-years, the model's objective), 2 bank commitment
 * (millions), 3 the order key (earliest start, then plan order); min-cost:
 * 1 commitment, 2 the goal's exposure measure, 3 the order key. */
typedef struct ckp_lex_stage {
    int ran;                 /* 0 = not run (the fields below are NAN / 0) */
    ckp_mip_status status;
    double objective;        /* the stage's key at its incumbent */
    double bound;            /* its best bound */
    double hold;             /* right-hand side of the row that holds the
                                previous key (its value + tolerance);
                                NAN for stage 1 */
    long nodes;              /* stage 3 (a pass of LPs, not a search):
                                the LPs solved; status OPTIMAL = the pass
                                completed, FEASIBLE = a time limit cut it */
    double seconds;
    int rc_fixed;            /* stage 2: binaries fixed by reduced cost
                                against the held first key (docs/solver.md
                                5c) */
    long screened;           /* stage 3: moves ruled out by stage 1's root
                                reduced costs without an LP (docs/solver.md
                                5c) */
    double cpu_seconds;      /* process CPU seconds of the stage (added
                                with the benchmark family) */
} ckp_lex_stage;

/* One hard constraint the least relaxation of an infeasible model had to
 * loosen (docs/formulation.md 7g). */
typedef enum ckp_relax_kind {
    CKP_RELAX_BUDGET_TOTAL = 0, /* the total budget */
    CKP_RELAX_BUDGET_YEAR,      /* a year's disbursement limit */
    CKP_RELAX_INFRA,            /* a site's infrastructure in a year */
    CKP_RELAX_FORCE,            /* a forced project that cannot be funded */
    CKP_RELAX_REQUIRES,         /* p requires q */
    CKP_RELAX_EXCLUDES,         /* p and q exclude each other */
    CKP_RELAX_WINDOW,           /* a project's start window */
    CKP_RELAX_UPGRADE_WINDOW,   /* an upgrade's start window */
    CKP_RELAX_FIN_CAP           /* a budget <cap> (docs/finance.md): a = its
                                   ckp_fin_measure, year = the year or -1
                                   for the total */
} ckp_relax_kind;

typedef struct ckp_relaxation {
    ckp_relax_kind kind;
    int a, b;      /* INFRA: site, resource; FORCE, WINDOW: project;
                      UPGRADE_WINDOW: upgrade; REQUIRES, EXCLUDES:
                      projects p, q; else -1 */
    int year;      /* BUDGET_YEAR, INFRA: calendar year; WINDOW,
                      UPGRADE_WINDOW: the start year needed; else -1 */
    double limit;  /* the constraint's limit: millions (budgets), the
                      resource's unit (infrastructure); 1 for FORCE (one
                      start), 0 / 1 for REQUIRES / EXCLUDES; the window's
                      edge crossed (earliest or latest start year) for
                      WINDOW, UPGRADE_WINDOW */
    double need;   /* what the least relaxation needs: limit + slack
                      (FORCE: 1 - slack, the share of the forced start kept) */
    int line;      /* the plan line that sets the limit, 0 = none (a
                      command-line override or a derived figure) */
} ckp_relaxation;

struct ckp_next_budget;

typedef struct ckp_result {
    /* ---- 1. Settings as used --------------------------------------- */
    const ckp_plan *plan;       /* borrowed */
    ckp_model_params model_params; /* as used (id arrays borrowed) */
    ckp_solve_params solve_params;
    ckp_objective_kind objective;
    double budget_total;        /* in force (INFINITY = none) */
    double shortage_penalty;

    /* ---- 2. Portfolio ---------------------------------------------- */
    ckp_pick *picks;             int n_picks;   /* in plan order */
    ckp_upgrade_pick *upgrade_picks; int n_upgrade_picks;
    ckp_stockpile_pick *stockpile_picks; int n_stockpile_picks;
    double commitment_total;     /* projects + upgrades, millions */
    double capex_total;          /* capex of funded projects */
    double private_capital;      /* private capital mobilised: the private
                                    co-finance of the funded projects,
                                    direct + indirect (the MDBs' joint
                                    methodology, docs/finance.md) */
    double private_direct;       /* of which direct mobilisation */
    double public_cofinance;     /* public co-finance of the funded projects */
    double multilateral_cofinance; /* multilateral co-finance of them */
    double unattributed_capital; /* capex_total - project commitments - all
                                    declared co-finance: financing of no
                                    declared source (not counted as private) */

    /* ---- 3. Budget table: per year, index y = year - plan->first_year */
    int n_years;
    double *spend;               /* [y] bank disbursement, millions */
    double *budget_limit;        /* [y] limit in force, INFINITY if none
                                    (in the budget's measure) */
    /* Added with instrument terms (docs/finance.md): the portfolio's
       figures from the options' terms, per measure m (ckp_fin_measure:
       commitment, outstanding, expected cost, contingent liability),
       millions.  fin_year[m * n_years + y]: the figure in year y
       (commitment = spend); fin_total[m]: flows summed over every year
       (also after the horizon), stocks the sum of the items' peaks (what
       a cap's total counts).  fin_cap_limit[m * n_years + y] and
       fin_cap_total[m]: the plan's <cap> limits of measure m in force
       (INFINITY = none).  budget_measure: what budget_total and
       budget_limit count. */
    ckp_fin_measure budget_measure;
    double *fin_year;
    double fin_total[CKP_FIN_MEASURES];
    double *fin_cap_limit;
    double fin_cap_total[CKP_FIN_MEASURES];

    /* ---- 4. Exposure table ----------------------------------------- */
    /* The per-commodity, per-stage and per-producer arrays of this
       section are the probability-weighted expectations over the
       scenarios of section 5; with one scenario they are that
       scenario's.  "baseline" = no project funded. */
    int n_producers;             /* facilities then projects */
    double *production;          /* [producer * n_years + y] t/yr */
    double *baseline_production; /* same, baseline (NULL when not
                                    computed) */
    double *requirement;         /* [c * n_years + y] t/yr */
    double *shortage;            /* portfolio shortage, t/yr */
    double *exposure;            /* portfolio chokepoint share */
    double *baseline_shortage;
    double *baseline_exposure;
    double baseline_objective;
    /* This run's baseline, solved or given (ckp_run_hints.baseline): a
       re-run of the same plan and settings at another budget takes it
       instead of solving it again (the next 100 M, study/next.c).  Owned;
       NULL under min-cost, whose baseline is another model. */
    struct ckp_baseline *baseline_run;
    double *stage_exposure;      /* [s * n_years + y], requirement-weighted
                                    (s indexes plan->stages) */
    double *stage_baseline;      /* same, baseline */
    double *added_outside;       /* [s] t/yr of funded capacity in countries
                                    with risk < 1, weighted by (1 - risk) */
    /* Supplier concentration per stage and year [s * n_years + y], over
       the production of the stage's commodities grouped by the
       producer's country (a project without a country takes its site's;
       producers of no country form one group).  NAN (country -1) when
       the stage produces nothing that year, or when there is no
       solution.  HHI = sum of (100 x country share)^2, 0..10000. */
    double *stage_top_share;     /* largest single-country share, portfolio */
    int *stage_top_country;      /* its plan country index, -1 if none */
    double *stage_hhi;           /* portfolio */
    double *stage_top_share_baseline;
    int *stage_top_country_baseline;
    double *stage_hhi_baseline;
    /* The policy cap (model_params.max_share; docs/formulation.md 7b). */
    double max_share;            /* NAN = off */
    double cap_penalty;          /* M of the elastic slack, 0 = off */
    ckp_cap_check *caps;         /* every cap row (plan order of commodity,
                                    country, year); NULL when off */
    int n_caps;
    int n_caps_missed;           /* rows whose slack is > 1e-9 */
    /* The goal mode (objective min-cost with a target T;
       docs/formulation.md 7c).  min_cost 0: the rest is NAN. */
    int min_cost;
    double target;               /* T */
    double goal_base;            /* baseline weighted exposure + shortage,
                                    share-years */
    double goal_limit;           /* T x goal_base */
    double goal_reached;         /* the portfolio's value of that measure */
    double best_reachable;       /* INFEASIBLE only: the least value any
                                    portfolio reaches (a plain weighted
                                    solve), share-years; NAN otherwise */

    /* ---- 5. Scenario table (docs/formulation.md 7d) ----------------- */
    /* n_scenarios >= 1: a plan without scenarios has one implicit
       scenario (scenario_plan[0] = -1, probability 1).  Per-scenario
       arrays put the scenario outermost: [s * (n * n_years) + i * n_years
       + y]. */
    int n_scenarios;
    int *scenario_plan;          /* [s] plan scenario index, -1 = implicit */
    double *scenario_prob;       /* [s] */
    ckp_scenario_measure measure;
    double *scen_production;     /* [s][producer][y] t/yr */
    double *scen_requirement;    /* [s][c][y] t/yr */
    double *scen_shortage;       /* [s][c][y] t/yr, portfolio */
    double *scen_exposure;       /* [s][c][y] share, portfolio */
    double *scen_baseline_shortage;
    double *scen_baseline_exposure;
    double *scen_stage_exposure; /* [s][stage][y] */
    double *scen_stage_baseline;
    double *scen_value;          /* [s] weighted exposure + shortage value,
                                    share-years, portfolio (NAN without one) */
    double *scen_baseline_value; /* [s] same, baseline */
    double *release;             /* [s][stockpile][y] t/yr released */
    ckp_idle *idle;              /* by scenario, project, year */
    int n_idle;

    /* ---- 6. Proof: the solver's account ----------------------------- */
    ckp_mip_status status;
    double objective_value;
    double bound;
    double gap;
    double seconds;             /* portfolio solve wall time */
    double build_seconds;       /* model building */
    long nodes;
    ckp_limit limit;            /* the limit that stopped the search, if any */
    int n_rows, n_cols, n_binaries, nnz;
    int heuristic_used;
    int n_pruned;               /* funded items the post-solve pruning
                                   removed or switched to a cheaper option
                                   (docs/formulation.md section 7) */
    double post_seconds;        /* wall time of the post-solve LPs */
    /* Lexicographic solve (model_params.lexicographic = 1): the three
       stages; status is stage 1's, FEASIBLE when stage 2 or 3 stopped
       without proof; bound and gap are stage 1's; nodes and seconds the
       sums over the stages.  lexicographic = 0: one stage, lex[] unused. */
    int lexicographic;
    ckp_lex_stage lex[3];
    /* INFEASIBLE only, not under min-cost (best_reachable says why
       there): the least relaxation of the hard constraints that makes
       the model feasible, one entry per constraint loosened (NULL / 0
       otherwise, or when the relaxation found nothing within the limits;
       docs/formulation.md 7g). */
    ckp_relaxation *relax;
    int n_relax;
    /* Process CPU seconds (CLOCK_PROCESS_CPUTIME_ID) of the steps of
       ckp_run, docs/performance.md "Benchmark family":
       they add up to its CPU time. */
    double cpu_build;    /* model build and the greedy incumbent */
    double cpu_solve;    /* the portfolio solve (every lexicographic stage) */
    double cpu_baseline; /* the baseline: its model and its LP */
    double cpu_post;     /* post-solve LPs and the extraction of the result */

    /* ---- 7. What the next 100 M would buy --------------------------- */
    /* The re-solve at the total budget + 100 (ckp_next_budget_run,
       src/study/next.c); NULL = not computed.  Owned: ckp_result_free
       frees it. */
    struct ckp_next_budget *next;

    /* ---- 8. Supply at risk (docs/formulation.md 7j) ---------------- */
    /* Final demand left unmet, t/yr, if every country of risk 1 (the
       chokepoint) stops exporting: the model's dispatch with those
       countries' production at 0 and the portfolio fixed, without the
       plan's scenarios.  [(after * n_commodities + c) * n_years + y],
       after 0 = no project funded, 1 = the portfolio; 0 for a commodity
       without final demand.  NULL when not computed (no country of risk
       1, or no portfolio); NAN where that dispatch could not be solved.
       Owned. */
    double *supply_at_risk;
} ckp_result;

/* What a larger total budget would buy (docs/reports.md, "What the next
 * 100 M would buy"): the same plan and settings re-solved at the total
 * budget + step with the portfolio free, and what changes. */
typedef enum ckp_next_state {
    CKP_NEXT_SOLVED = 0, /* re-solved: see result */
    CKP_NEXT_NO_TOTAL,   /* the plan sets no total budget: nothing to raise */
    CKP_NEXT_MIN_COST,   /* the min-cost objective: it already buys the
                            cheapest portfolio that reaches the target */
    CKP_NEXT_FIXED       /* a fixed portfolio (evaluate): nothing to choose */
} ckp_next_state;

typedef enum ckp_next_change_kind {
    CKP_NEXT_ADDED = 0,  /* funded at budget + step only */
    CKP_NEXT_DROPPED,    /* funded at the budget only */
    CKP_NEXT_CHANGED     /* funded at both, another option or start */
} ckp_next_change_kind;

/* One funded item that differs.  Indices into the funded items in the
 * order picks, upgrade_picks, stockpile_picks (projects, upgrades,
 * stockpiles): before into the solve's, after into the re-solve's; -1
 * when not funded there. */
typedef struct ckp_next_change {
    ckp_next_change_kind kind;
    int before;
    int after;
} ckp_next_change;

typedef struct ckp_next_budget {
    ckp_next_state state;
    double step;                 /* millions added to the total (100) */
    double budget;               /* the total re-solved at (NAN unless SOLVED) */
    ckp_result *result;          /* the re-solve, owned; NULL unless SOLVED */
    ckp_next_change *changes;    /* projects, then upgrades, then stockpiles */
    int n_changes;
    double cut;                  /* objective of the solve minus the
                                    re-solve's (share-years; > 0: the re-solve
                                    is better); NAN without a portfolio */
    int buys;                    /* 1 when the re-solve has a portfolio that
                                    cuts the objective by more than 1e-7
                                    (relative) */
} ckp_next_budget;

/* A sentence for relaxation i of r, e.g. "--force a b need 2310.0 M; the
 * total budget is 2000.0 (plan.xml:41)". */
CKP_API void ckp_relaxation_text(const ckp_result *r, int i, char *buf, size_t size);

/* Build, solve and extract.  On CKP_OK *out is set whatever the MIP
 * status (check (*out)->status); CKP_EINFEASIBLE is never returned here,
 * the status says it.  Errors come with diagnostics. */
CKP_API ckp_status ckp_run(const ckp_plan *plan, const ckp_model_params *mp,
                           const ckp_solve_params *sp, ckp_result **out,
                           ckp_diag_list *diag);

/* The baseline (no project, no upgrade) of a plan and model settings,
 * solved once for many runs that differ only in the budget, force or
 * exclude lists (a budget sweep): none of these changes it.  Opaque. */
typedef struct ckp_baseline ckp_baseline;
CKP_API ckp_status ckp_baseline_solve(const ckp_plan *plan, const ckp_model_params *mp,
                                      const ckp_solve_params *sp, ckp_baseline **out,
                                      ckp_diag_list *diag);
CKP_API void ckp_baseline_free(ckp_baseline *b); /* accepts NULL */

/* What a caller may know before a run, from runs of the same plan and
 * settings at other budgets (budget sweeps, docs/sweeps.md "Warm
 * starts").  None changes the answer when it is right; each only lets the
 * search end sooner. */
typedef struct ckp_run_hints {
    /* A portfolio to offer as the first incumbent, in place of the
       greedy's (the solver completes it with an LP and drops it when it
       breaks a row; not offered with no_heuristic or presolve).  NULL =
       none.  Borrowed. */
    const ckp_fixed_portfolio *start;
    /* A lower bound on the optimum of the objective (the exposure key,
       stage 1 of the lexicographic solve), e.g. the optimum at a larger
       budget: the search stops once an incumbent reaches it
       (ckp_solve_params.known_bound).  NAN = none; ignored under
       min-cost. */
    double exposure_bound;
    /* Lexicographic solve only: a lower bound on the least commitment
       (millions) among portfolios as good as exposure_bound, e.g. the
       commitment of the larger budget's answer; used by stage 2 only
       when stage 1 reached exposure_bound.  NAN = none. */
    double commitment_bound;
    /* The baseline of the same plan and settings (ckp_baseline_solve with
       the same model and solve parameters, any budget): the run takes its
       figures instead of solving it again (ignored when its model has
       other columns).  NULL = solve it.  Borrowed. */
    const ckp_baseline *baseline;
} ckp_run_hints;

CKP_API void ckp_run_hints_init(ckp_run_hints *h); /* nothing known */

/* ckp_run with hints (NULL = ckp_run). */
CKP_API ckp_status ckp_run_hinted(const ckp_plan *plan, const ckp_model_params *mp,
                                  const ckp_solve_params *sp, const ckp_run_hints *hints,
                                  ckp_result **out, ckp_diag_list *diag);
CKP_API void ckp_result_free(ckp_result *r); /* accepts NULL */

#ifdef __cplusplus
}
#endif

#endif
