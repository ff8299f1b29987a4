/* study.h: analyses built from many core runs (src/study, docs/study.md):
 *   - portfolios as a user gives them (a portfolio file or --fund) and
 *     their check against a plan, every violation at once;
 *   - evaluate: the figures of a fixed portfolio, its regret against the
 *     optimum at the same total commitment and the single changes that
 *     close most of the gap;
 *   - explain: what each funded project buys, why each candidate is not
 *     funded, what 100 M more under each budget limit would buy;
 *   - compare: two finished runs side by side;
 *   - what the next 100 M would buy: a re-solve at the total + 100.
 * The library never prints: results are structs, text and JSON are
 * written by the ckp_*_text / ckp_*_json functions below. */
#ifndef CKP_STUDY_H
#define CKP_STUDY_H

#include <stdio.h>

#include "ckp/diag.h"
#include "ckp/export.h"
#include "ckp/model.h"
#include "ckp/plan.h"
#include "ckp/pool.h"
#include "ckp/report.h"
#include "ckp/result.h"
#include "ckp/solve.h"
#include "ckp/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Portfolios as given                                                  */

typedef enum ckp_item_kind {
    CKP_ITEM_ANY = 0, /* --fund: a project, upgrade or stockpile id */
    CKP_ITEM_PROJECT,
    CKP_ITEM_UPGRADE,
    CKP_ITEM_STOCKPILE
} ckp_item_kind;

typedef struct ckp_portfolio_item {
    ckp_item_kind kind;
    char *id;
    char *option; /* projects: option id, NULL = not given */
    int start;    /* start year (stockpile: its year), 0 = not given */
    char *file;   /* where it was given; NULL = the command line */
    int line;     /* 1-based line in file (0 = command line) */
} ckp_portfolio_item;

typedef struct ckp_portfolio {
    ckp_portfolio_item *items;
    int n, cap;
} ckp_portfolio;

CKP_API void ckp_portfolio_init(ckp_portfolio *pf);
CKP_API void ckp_portfolio_fini(ckp_portfolio *pf); /* accepts NULL */

/* Read a portfolio file and append its items, by its content:
 *   - the portfolio.csv of `solve --out` (columns project, option,
 *     start; others ignored; an optional column kind = project | upgrade
 *     | stockpile), projects only unless a kind column says otherwise;
 *   - a summary.json of `solve --out` (portfolio, upgrades, stockpiles);
 *   - an --out directory: its summary.json;
 *   - an XML portfolio (schema/portfolio.xsd, namespace CKP_PORTFOLIO_NS).
 * Errors (unreadable, malformed, missing columns) come as diagnostics
 * with file and line: CKP_EIO, CKP_EPARSE, CKP_ESCHEMA. */
CKP_API ckp_status ckp_portfolio_read(const char *path, ckp_portfolio *pf, ckp_diag_list *diag);
/* Append one --fund ID[:OPTION[:YEAR]] (an upgrade: ID[:YEAR]; a
 * stockpile: ID).  A malformed spec is CKP_EUSAGE with a diagnostic. */
CKP_API ckp_status ckp_portfolio_add_fund(ckp_portfolio *pf, const char *spec,
                                  ckp_diag_list *diag);

/* The portfolio resolved against a plan: the fixed decisions of the
 * model (ckp_model_params.fixed points at .fixed) and its money. */
typedef struct ckp_resolved {
    ckp_fixed_portfolio fixed; /* arrays below */
    int *option;               /* [n_projects], -1 = not funded */
    int *start;                /* [n_projects] */
    int *upgrade_start;        /* [n_upgrades], -1 = not funded */
    unsigned char *stockpile;  /* [n_stockpiles] */
    int *line;                 /* [n_projects + n_upgrades + n_stockpiles]
                                  line of the item in the portfolio file */
    double commitment;         /* projects + upgrades + stockpiles */
    int n_violations;
} ckp_resolved;

CKP_API void ckp_resolved_free(ckp_resolved *r); /* accepts NULL */

/* Resolve pf against plan under the model parameters mp (budget total
 * override) and check it: every violation (unknown id or option, an item
 * given twice, start outside the window or too late to come online, the
 * total or a year's limit exceeded, infrastructure missing, requires or
 * excludes broken, a stockpile's year) is one error diagnostic with the
 * portfolio file and line, the constraint, the amount and the plan's
 * line.  Returns CKP_OK with *out set even when there are violations
 * (n_violations says it); defaults: a project without option takes its
 * cheapest option (the first on ties), without year its earliest start;
 * an upgrade without year its earliest start. */
CKP_API ckp_status ckp_portfolio_resolve(const ckp_plan *plan, const ckp_portfolio *pf,
                                 const ckp_model_params *mp, ckp_resolved **out,
                                 ckp_diag_list *diag);

/* ------------------------------------------------------------------ */
/* Explain                                                              */

/* Why a candidate is not funded (docs/study.md, "Reason classes"; the
 * first that applies, in this order). */
typedef enum ckp_why_not {
    CKP_WHY_HORIZON = 0, /* cannot come online within the horizon */
    CKP_WHY_PAIR,        /* excludes a funded project, or requires one that
                            is not funded */
    CKP_WHY_NOT_BLOC,    /* its output does not reach the bloc (no
                            requirement, or its country's exports to the
                            bloc are stopped, in every scenario and year) */
    CKP_WHY_PRICE,       /* idle in a price scenario, no price-support option */
    CKP_WHY_INFRA,       /* needs an infrastructure upgrade not funded */
    CKP_WHY_CHEAPER,     /* forced, it displaces a funded project of the same
                            stage that costs no more */
    CKP_WHY_BUDGET,      /* forced, it displaces other funded items: a
                            budget or year limit binds */
    CKP_WHY_NO_GAIN,     /* forcing it changes no exposure (beyond the
                            tie-break) */
    CKP_WHY_EXCLUDED,    /* --exclude: not re-solved */
    CKP_WHY_NOT_CHOSEN,  /* evaluate: the given portfolio leaves it out
                            although adding it cuts exposure */
    CKP_WHY_COMMITTED    /* committed: built with or without the bank, in
                            the baseline, not fundable (not re-solved;
                            decided first) */
} ckp_why_not;

CKP_API const char *ckp_why_not_str(ckp_why_not w); /* "horizon", ... */

typedef struct ckp_explain_item {
    int project;           /* plan index */
    int funded;            /* 1: in the portfolio explained */
    /* funded: the objective with it excluded, the rest re-optimised (in
       evaluate: dropped from the fixed portfolio); not funded: with it
       forced (in evaluate: added at its cheapest option and earliest
       start).  NAN when that solve has no solution. */
    double objective;
    double delta;          /* objective - the explained objective,
                              share-years (funded: the exposure lost) */
    double commitment;     /* that portfolio's total commitment */
    double delta_money;    /* commitment - the explained one, millions */
    double per_100m;       /* funded: delta per 100 M of its commitment */
    ckp_why_not why;       /* not funded only */
    int other;             /* PAIR / CHEAPER: the other project, else -1 */
    int forced;            /* funded and --force'd: not re-solved */
    int excluded;          /* not funded and --exclude'd: not re-solved */
    ckp_mip_status status; /* of the re-solve */
} ckp_explain_item;

typedef struct ckp_binding { /* a budget limit and what 100 M more buys */
    int year;        /* 0 = the total budget, else the year of the limit */
    double limit;    /* millions */
    double used;     /* committed (total) or disbursed (year), millions */
    double relaxed;  /* objective with the limit raised by step */
    double step;     /* 100 M */
    int plan_line;   /* the limit's line in the plan (0: --budget) */
} ckp_binding;

/* A site's resource that keeps candidates out, and what more of it buys:
 * re-solved with the site's capacity of the resource raised by step,
 * enough for every candidate not funded at the site that needs it. */
typedef struct ckp_infra_binding {
    int site;        /* plan site index */
    int resource;    /* plan resource index */
    double capacity; /* existing capacity plus the funded upgrades */
    double used;     /* needs of the funded projects at the site */
    double step;     /* the candidates' needs less the room left */
    double relaxed;  /* objective with the capacity raised by step */
    int plan_line;   /* the site's <capacity> line, else the site's */
} ckp_infra_binding;

typedef struct ckp_explain {
    double objective;   /* of the explained portfolio */
    double commitment;
    ckp_explain_item *items; int n_items; /* plan order */
    ckp_binding *binding; int n_binding;  /* total first, then by year */
    ckp_infra_binding *infra; int n_infra; /* by site, then resource */
    int n_solves;
    int jobs;
    double seconds;     /* wall time of the whole explanation */
} ckp_explain;

CKP_API void ckp_explain_free(ckp_explain *e); /* accepts NULL */

/* Explain r, a ckp_run of plan with mp and sp: for each funded project a
 * re-solve with it excluded, for each candidate not funded a re-solve
 * with it forced, for each budget limit (total, each year) a re-solve with
 * it 100 M higher, for each site resource that keeps candidates out a
 * re-solve with enough of it for them; in `jobs` worker processes.  With mp->fixed (evaluate)
 * the portfolio stays fixed: a funded project is dropped from it, a
 * candidate added to it, and the limits are not re-solved. */
CKP_API ckp_status ckp_explain_run(const ckp_plan *plan, const ckp_model_params *mp,
                           const ckp_solve_params *sp, const ckp_result *r, int jobs,
                           ckp_explain **out, ckp_diag_list *diag);
CKP_API ckp_status ckp_explain_text(const ckp_explain *e, const ckp_plan *plan, FILE *out);
CKP_API ckp_status ckp_explain_json(const ckp_explain *e, const ckp_plan *plan, FILE *out);

/* ------------------------------------------------------------------ */
/* What the next 100 M would buy                                        */

#define CKP_NEXT_STEP 100.0 /* millions of the plan currency */

/* Re-solve plan with the same model and solve settings (mp, sp: those of
 * r) at r's total budget + step, the portfolio free, and attach the
 * answer to r (r->next, replacing any; ckp_result_free frees it): the
 * re-solve, the funded items that differ and the cut in the objective.
 * Without a total budget, under min-cost, with a fixed portfolio, or when
 * r has no portfolio, r->next says so and nothing is solved.  Errors of
 * the re-solve (CKP_ENOMEM, a solver failure) come with diagnostics and
 * leave r->next as it was. */
CKP_API ckp_status ckp_next_budget_run(const ckp_plan *plan, const ckp_model_params *mp,
                                       const ckp_solve_params *sp, ckp_result *r,
                                       double step, ckp_diag_list *diag);

/* ------------------------------------------------------------------ */
/* Evaluate                                                             */

typedef enum ckp_move_kind {
    CKP_MOVE_DROP = 0, /* drop a funded item */
    CKP_MOVE_ADD,      /* add an item of the optimum */
    CKP_MOVE_SWAP,     /* drop one, add one of the optimum */
    CKP_MOVE_CHANGE    /* a funded project to the optimum's option/start */
} ckp_move_kind;

typedef struct ckp_move {
    ckp_move_kind kind;
    int drop_kind, drop;  /* ckp_item_kind and plan index, -1 = none */
    int add_kind, add;
    int add_option, add_start;
    double objective;     /* of the changed portfolio (NAN: infeasible) */
    double commitment;
    double closed;        /* share of the gap it closes (1 = all) */
} ckp_move;

typedef struct ckp_evaluation {
    ckp_resolved *portfolio;
    ckp_result *result;    /* the fixed portfolio (NULL with violations) */
    ckp_result *optimum;   /* the optimum at the same total commitment
                              (NULL when not asked or violations) */
    double gap;            /* result - optimum objective, share-years */
    ckp_move *moves;       /* tried, best first */
    int n_moves;
    ckp_explain *explain;  /* NULL unless asked */
} ckp_evaluation;

typedef struct ckp_evaluate_params {
    int regret;  /* 1 = solve the optimum at the same commitment and search
                    single moves (default 1) */
    int explain; /* 1 = explain the fixed portfolio (default 0) */
    int jobs;    /* worker processes for the many solves (default 1) */
} ckp_evaluate_params;

CKP_API void ckp_evaluate_params_init(ckp_evaluate_params *p);
CKP_API void ckp_evaluation_free(ckp_evaluation *e); /* accepts NULL */

/* Evaluate pf on plan.  Violations: CKP_EINFEASIBLE with one diagnostic
 * each and *out holding the resolved portfolio only.  Otherwise CKP_OK
 * with the result of the fixed portfolio (same shape as ckp_run's). */
CKP_API ckp_status ckp_evaluate(const ckp_plan *plan, const ckp_portfolio *pf,
                        const ckp_model_params *mp, const ckp_solve_params *sp,
                        const ckp_evaluate_params *ep, ckp_evaluation **out,
                        ckp_diag_list *diag);
/* The page of a portfolio that breaks the plan: every violation (the
 * error diagnostics of ckp_evaluate / ckp_portfolio_resolve in viol) as
 * a table: constraint, portfolio file and line, what and by how much.
 * _write: dir/report.html (dir created when missing), atomically. */
CKP_API ckp_status ckp_violations_html(const ckp_plan *plan, const ckp_diag_list *viol,
                                       FILE *out);
CKP_API ckp_status ckp_violations_write(const ckp_plan *plan, const ckp_diag_list *viol,
                                        const char *dir, ckp_diag_list *diag);
/* evaluate --out of a portfolio that passes: the solve report's files
 * (ckp_report_write_dir_with, extra listed the same way) with the regret
 * section (optimum side by side, items that differ, best changes) in
 * report.html after the committee summary. */
CKP_API ckp_status ckp_evaluation_write_dir(const ckp_evaluation *e,
                                            const ckp_report_info *info,
                                            const ckp_report_file *extra, int n_extra,
                                            const char *dir, ckp_diag_list *diag);
/* The regret section (optimum side by side, moves) as text / as the
 * members of a JSON object "evaluation" (a whole object). */
CKP_API ckp_status ckp_evaluation_text(const ckp_evaluation *e, FILE *out);
CKP_API ckp_status ckp_evaluation_json(const ckp_evaluation *e, FILE *out);

/* ------------------------------------------------------------------ */
/* Compare                                                              */

typedef struct ckp_comparison ckp_comparison;

/* Read two runs (an --out directory or its summary.json each) and
 * compare them (docs/study.md).  Unreadable or malformed input: CKP_EIO /
 * CKP_EPARSE / CKP_ESCHEMA with a diagnostic naming the file and line. */
CKP_API ckp_status ckp_compare(const char *a, const char *b, ckp_comparison **out,
                       ckp_diag_list *diag);
CKP_API void ckp_comparison_free(ckp_comparison *c); /* accepts NULL */
/* Number of differences found (0: the same portfolio and figures) and of
 * warnings (a different input hash, plan, version or setting). */
CKP_API int ckp_comparison_differences(const ckp_comparison *c);
CKP_API int ckp_comparison_warnings(const ckp_comparison *c);
CKP_API ckp_status ckp_comparison_text(const ckp_comparison *c, FILE *out);
CKP_API ckp_status ckp_comparison_json(const ckp_comparison *c, FILE *out);
/* The comparison as a self-contained HTML page (inline CSS and SVG, no
 * script): warnings, headline, portfolio, shares per stage, money per
 * year, scenarios; every number tagged with its place in the JSON. */
CKP_API ckp_status ckp_comparison_html(const ckp_comparison *c, FILE *out);
/* Write dir/comparison.json, comparison.txt and report.html (dir created
 * when missing), each whole or not at all: renamed into place only when
 * all three were written.  CKP_EIO with a diagnostic naming the file. */
CKP_API ckp_status ckp_comparison_write(const ckp_comparison *c, const char *dir,
                                        ckp_diag_list *diag);

#ifdef __cplusplus
}
#endif

#endif
