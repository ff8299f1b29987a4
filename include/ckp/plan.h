/* plan.h: the plan data model.  A plan is what a planner's XML file
 * describes (docs/plan-format.md): horizon, countries with risk weights,
 * stages and commodities with the bloc's demand, existing facilities, sites
 * with infrastructure, candidate projects with financing options,
 * infrastructure upgrades, the budget and objective settings.
 *
 * Plain C structs, no XML and no solver types.  The plan owns every string
 * and array it points to; ckp_plan_free() releases all of it.
 *
 * Units (the XML's units, kept as given):
 *   quantities  tonnes per year (t/yr) of the commodity
 *   money       millions of the plan's currency (e.g. USD million)
 *   years       calendar years (int)
 *   ratios      tonnes of input per tonne of output (t/t)
 *
 * References between records are by id (char *); ckp_plan_resolve()
 * (called by the checker, src/input/check.c) fills the matching *_ix index
 * fields (0-based, -1 when unresolved).  The model builder requires a plan
 * whose check returned CKP_OK, so every *_ix is valid there. */
#ifndef CKP_PLAN_H
#define CKP_PLAN_H

#include <stddef.h>

#include "ckp/export.h"
#include "ckp/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Namespace URI and version of the XML vocabulary. */
#define CKP_PLAN_NS "urn:chokepoint:plan:1"
#define CKP_PLAN_VERSION 1

/* A reference to another record by id, with its resolved index. */
typedef struct ckp_ref {
    char *id;
    int ix;   /* -1 until resolved */
    int line; /* line of the element that holds the reference */
} ckp_ref;

/* A value given for one year (demand point, per-year budget limit). */
typedef struct ckp_year_value {
    int year;
    double value;
    char *source; /* NULL when not given */
    int line;
} ckp_year_value;

/* "per_tonne tonnes of commodity per tonne of output". */
typedef struct ckp_ratio {
    ckp_ref commodity;
    double per_tonne;
    char *source;
    int line;
} ckp_ratio;

typedef struct ckp_country {
    char *id;
    char *name;
    double risk; /* 1 = the chokepoint, 0 = trusted member, partners between */
    char *source;
    int line;
} ckp_country;

typedef struct ckp_stage {
    char *id;
    char *name;
    int order; /* position in the chain, upstream first (1 = mining) */
    int line;
} ckp_stage;

typedef struct ckp_commodity {
    char *id;
    char *name;
    ckp_ref stage;
    double weight;             /* objective weight of its exposure, default 1 */
    ckp_year_value *demand;    /* bloc's final demand points, t/yr, by year */
    int n_demand;              /* linear interpolation between points,
                                  constant before the first / after the last */
    ckp_ratio *made_from;      /* reference recipe: inputs per tonne, used to
                                  derive the requirement of upstream goods */
    int n_made_from;
    char *source;
    int line;
} ckp_commodity;

/* Part of a producer's output contracted to a buyer (added with
 * additionality, docs/formulation.md 7h): `share` of its output in the
 * years from..to goes to `buyer`.  Output contracted to a country of
 * risk > 0 (outside the bloc: the chokepoint's buyers, partners) does not
 * serve the bloc, unless the funding option buys the contract out. */
typedef struct ckp_contract {
    ckp_ref buyer;   /* country */
    double share;    /* [0, 1] of the producer's output */
    int from, to;    /* years, inclusive; the loader sets the horizon's
                        first / last year when absent */
    char *source;
    char *as_of;     /* date the figure was last verified (YYYY[-MM[-DD]]), or NULL */
    int line;
} ckp_contract;

/* Who else finances a project (docs/finance.md): a co-financier of the
 * project (whatever the bank does) or one an option brings in with the
 * bank.  Private capital mobilised counts the private ones only (the MDBs'
 * joint methodology); `direct` marks private finance the bank's active
 * and direct involvement brings in (private direct mobilisation), the
 * rest is private indirect mobilisation. */
typedef enum ckp_cofinancier_type {
    CKP_COFIN_PRIVATE = 0, /* a legal entity for business purposes, majority
                              privately owned (commercial banks, sponsors,
                              investors) */
    CKP_COFIN_PUBLIC,      /* governments, their agencies and banks, export
                              credit agencies, bilateral DFIs, state-owned
                              entities */
    CKP_COFIN_MULTILATERAL /* multilateral development banks and funds */
} ckp_cofinancier_type;
#define CKP_COFIN_TYPES 3

typedef struct ckp_cofinancier {
    char *name;
    ckp_cofinancier_type type;
    double amount;   /* millions of the plan currency */
    int direct;      /* private only: 1 = direct mobilisation (XML
                        mobilised="direct"), 0 = indirect */
    char *source;
    char *as_of;
    int line;
} ckp_cofinancier;

CKP_API const char *ckp_cofinancier_type_str(ckp_cofinancier_type t); /* "private", ... */

typedef struct ckp_facility { /* an existing facility */
    char *id;
    char *name;
    ckp_ref country;
    ckp_ref output;       /* commodity it makes */
    double capacity;      /* t/yr of output */
    double available;     /* share of output available to the bloc, [0,1] */
    ckp_ratio *inputs;
    int n_inputs;
    char *source;
    int line;
    /* Added with additionality (both empty / NULL when not given): */
    ckp_contract *contracts;
    int n_contracts;
    char *as_of;
    /* Commodity-specific feeds (docs/formulation.md 7i), NULL when not
       given: */
    char *requires_process; /* its output feeds only plants whose
                               `processes` list this process */
    char *processes;        /* processes it runs on its inputs, separated
                               by spaces (XML processes="a b") */
} ckp_facility;

typedef struct ckp_resource { /* a kind of infrastructure */
    char *id;
    char *name;
    char *unit; /* e.g. "MW", "ML/yr", "kt/yr" */
    int line;
} ckp_resource;

typedef struct ckp_amount { /* an amount of one resource */
    ckp_ref resource;
    double amount;
    char *source;
    int line;
} ckp_amount;

typedef struct ckp_site {
    char *id;
    char *name;
    ckp_ref country;
    ckp_amount *capacity; /* existing infrastructure capacity */
    int n_capacity;
    char *source;
    int line;
} ckp_site;

typedef enum ckp_instrument {
    CKP_INSTR_LOAN = 0,
    CKP_INSTR_GUARANTEE,
    CKP_INSTR_EQUITY,
    CKP_INSTR_GRANT,
    CKP_INSTR_OFFTAKE,     /* offtake agreement: carries price support */
    CKP_INSTR_PRICE_FLOOR  /* price floor: carries price support */
} ckp_instrument;

CKP_API const char *ckp_instrument_str(ckp_instrument in);
/* 1 when the instrument protects the project against a price crash. */
CKP_API int ckp_instrument_price_support(ckp_instrument in);

/* An option's instrument terms (docs/finance.md "Instrument terms"),
 * all optional: an option without them keeps its commitment as its only
 * figure.  Absent numbers are NAN, absent years 0. */
typedef struct ckp_terms {
    int given;            /* 1 when the option has a <terms> element */
    int tenor;            /* years from the start year the exposure lasts:
                             a loan's final repayment in start + tenor - 1,
                             a guarantee's expiry, an equity stake's exit;
                             0 = not given (to the end of the horizon) */
    int grace;            /* loan: years before the first repayment */
    double rate;          /* loan: annual interest rate (0.05 = 5 %);
                             NAN = 0 (equal principal instalments) */
    double expected_loss; /* share of each disbursement expected to be
                             lost; NAN = 1 (the whole commitment) */
    double floor;         /* price support: floor price, currency per t */
    double volume;        /* price support: guaranteed volume, t/yr */
    int years;            /* price support: contract years from the
                             online year */
    double loan;          /* price support: the part of the commitment
                             that is a loan (a package of capital and a
                             floor; disbursed first, repaid by tenor,
                             grace and rate), millions; 0 = none */
    char *source;
    char *as_of;
    int line;
} ckp_terms;

typedef struct ckp_option { /* one way the bank can finance a project */
    char *id;
    ckp_instrument instrument;
    double commitment;  /* bank money committed, millions */
    double *schedule;   /* share of commitment disbursed in start year + k,
                           k = 0..n_schedule-1; sums to 1 */
    int n_schedule;
    char *source;
    int line;
    int buys_out;       /* added with additionality: 1 when the option buys
                           the project's contracts out (XML buys-out), so
                           its whole output serves the bloc */
    ckp_cofinancier *cofinanciers; /* those this option brings in beside
                                      the bank (docs/finance.md) */
    int n_cofinanciers;
    ckp_terms terms;    /* instrument terms (given = 0 when absent); a
                           price-support option with complete floor terms
                           and no commitment attribute commits its cap */
} ckp_option;

typedef enum ckp_permit {
    CKP_PERMIT_GRANTED = 0, /* construction can start at once */
    CKP_PERMIT_PENDING      /* permit_years more before construction */
} ckp_permit;

typedef struct ckp_project { /* a candidate project */
    char *id;
    char *name;
    ckp_ref stage;        /* optional in XML (id NULL): must match output's */
    ckp_ref site;         /* optional (id NULL): no infrastructure gate */
    ckp_ref country;      /* optional when site given: taken from the site */
    ckp_ref output;
    double capacity;      /* t/yr of output at full ramp */
    ckp_ratio *inputs;
    int n_inputs;
    double capex;         /* total capital cost, millions */
    ckp_permit permit;
    int permit_years;     /* remaining permitting years when pending */
    int build_years;      /* construction years */
    double *ramp;         /* share of capacity in online year + k; after the
                             last entry 1.0; empty = full from online year */
    int n_ramp;
    int earliest_start;   /* first year the bank may fund it (start year) */
    int latest_start;     /* last such year */
    double breakeven;     /* price per tonne below which it idles; NAN = n/a */
    ckp_ref breakeven_of; /* the commodity whose price
                             the breakeven is quoted in (XML breakeven-of,
                             e.g. NdPr oxide for a rare-earth mine); id NULL
                             = the project's output */
    ckp_amount *needs;    /* infrastructure needed once online */
    int n_needs;
    ckp_ref *requires;    /* funded only if each of these is funded */
    int n_requires;
    ckp_ref *excludes;    /* never funded together with these */
    int n_excludes;
    ckp_option *options;  /* at least one, unless committed */
    int n_options;
    char *source;
    int line;
    /* Added with additionality (docs/formulation.md 7h): */
    int committed;        /* 1: built with or without the bank (financed
                             or under construction): in the baseline, not
                             fundable, online at earliest-start + permit +
                             build years */
    ckp_contract *contracts;
    int n_contracts;
    char *as_of;
    ckp_cofinancier *cofinanciers; /* the project's, whatever the option
                                      (docs/finance.md) */
    int n_cofinanciers;
    char *requires_process; /* commodity-specific feeds, as in a facility */
    char *processes;
} ckp_project;

typedef struct ckp_upgrade { /* an infrastructure upgrade at a site */
    char *id;
    char *name;
    ckp_ref site;
    ckp_ref resource;
    double amount;       /* resource capacity added once online */
    double cost;         /* bank money, millions */
    int build_years;     /* online in start year + build_years */
    int earliest_start;
    int latest_start;
    double *schedule;    /* share of cost paid in start year + k */
    int n_schedule;
    char *source;
    int line;
} ckp_upgrade;

/* What a budget or a cap limits (docs/finance.md "What the budget
 * limits").  Flows (commitment, expected cost) add up over the years;
 * stocks (outstanding, contingent liability) are held in a year. */
typedef enum ckp_fin_measure {
    CKP_FIN_COMMITMENT = 0, /* commitment disbursed (the default) */
    CKP_FIN_OUTSTANDING,    /* exposure outstanding: loans, equity,
                               guarantees and price-support caps */
    CKP_FIN_EXPECTED_COST,  /* expected cost: expected losses, grants,
                               price-support payments */
    CKP_FIN_CONTINGENT      /* contingent liability: guarantees and
                               price-support caps */
} ckp_fin_measure;
#define CKP_FIN_MEASURES 4

/* "commitment", "outstanding", "expected-cost", "contingent-liability" */
CKP_API const char *ckp_fin_measure_str(ckp_fin_measure m);
/* Parse those words; CKP_EUSAGE on anything else. */
CKP_API ckp_status ckp_fin_measure_parse(const char *s, ckp_fin_measure *out);

/* A separate limit on one measure (XML <cap> in <budget>). */
typedef struct ckp_fin_cap {
    ckp_fin_measure measure;
    double total;            /* INFINITY = none: flows over all years,
                                stocks the sum of each option's peak */
    ckp_year_value *limits;  /* the measure in one year */
    int n_limits;
    char *source;
    int line;
} ckp_fin_cap;

typedef struct ckp_budget {
    double total;            /* total bank money over all years; INFINITY if none */
    ckp_year_value *limits;  /* per-year disbursement limits */
    int n_limits;
    char *source;
    int line;
    /* Added with instrument terms: what total and limits apply to
       (default commitment), and separate caps per measure. */
    ckp_fin_measure measure;
    ckp_fin_cap *caps;
    int n_caps;
} ckp_budget;

/* A candidate strategic stockpile: bought and
 * filled in `year`, it can then release up to `release` t/yr, at most
 * `tonnes` over the horizon in each scenario, to cover shortage. */
typedef struct ckp_stockpile {
    char *id;
    char *name;
    ckp_ref commodity;
    double tonnes;       /* t held once filled */
    double release;      /* most it can release in one year, t/yr */
    double cost;         /* bank money, millions, paid in `year` */
    int year;            /* bought and available from; the loader sets the
                            horizon's first year when absent */
    char *source;
    int line;
} ckp_stockpile;

/* What one entry of a scenario changes. */
typedef enum ckp_change_kind {
    CKP_CHANGE_EXPORT = 0, /* <export-restriction>: scale what a country
                              makes available to the bloc */
    CKP_CHANGE_PRICE,      /* <price>: the price of a commodity */
    CKP_CHANGE_DEMAND      /* <demand-scale>: scale the bloc's final demand */
} ckp_change_kind;

CKP_API const char *ckp_change_str(ckp_change_kind k); /* element name */

typedef struct ckp_change {
    ckp_change_kind kind;
    ckp_ref country;   /* export: required; price, demand: id NULL */
    ckp_ref commodity; /* price: required; export, demand: optional
                          (id NULL = every commodity) */
    int from, to;      /* years it applies, inclusive; the loader sets the
                          horizon's first / last year when absent */
    double value;      /* export: scale in [0, 1] of the available share;
                          price: currency per tonne (>= 0);
                          demand: factor (>= 0) */
    char *source;
    int line;
} ckp_change;

typedef struct ckp_scenario {
    char *id;
    char *name;
    double probability; /* (0, 1]; a plan's scenarios sum to 1 */
    ckp_change *changes;
    int n_changes;
    char *source;
    int line;
} ckp_scenario;

/* How the objective aggregates over scenarios. */
typedef enum ckp_scenario_measure {
    CKP_MEASURE_EXPECTED = 0, /* probability-weighted sum (default) */
    CKP_MEASURE_WORST         /* the worst scenario's value */
} ckp_scenario_measure;

CKP_API const char *ckp_measure_str(ckp_scenario_measure m); /* "expected", "worst-case" */
/* Parse "expected" / "worst-case"; CKP_EUSAGE on anything else. */
CKP_API ckp_status ckp_measure_parse(const char *s, ckp_scenario_measure *out);

typedef enum ckp_objective_kind {
    CKP_OBJ_WEIGHTED = 0, /* weighted exposure summed over years + shortage */
    CKP_OBJ_MINMAX        /* weakest stage of each year, summed over years */
} ckp_objective_kind;

CKP_API const char *ckp_objective_str(ckp_objective_kind k);
/* Parse "weighted" / "min-max"; returns CKP_EUSAGE on anything else. */
CKP_API ckp_status ckp_objective_parse(const char *s, ckp_objective_kind *out);

typedef struct ckp_objective_spec {
    ckp_objective_kind kind;
    double shortage_penalty; /* per unit of shortage share, default 10 */
    int line;
    ckp_scenario_measure measure; /* XML scenario-measure, default
                                     expected */
} ckp_objective_spec;

typedef struct ckp_plan {
    char *path;        /* file it was loaded from ("<memory>" otherwise) */
    char input_sha256[65]; /* SHA-256 (lower-case hex) of the bytes the plan
                              was parsed from; "" for plans built in code */
    char *name;
    char *currency;    /* ISO code, money is in millions of it */
    char *description; /* may be NULL */
    int first_year;    /* horizon, inclusive */
    int last_year;

    ckp_country *countries;   int n_countries;
    ckp_stage *stages;        int n_stages;
    ckp_commodity *commodities; int n_commodities;
    ckp_facility *facilities; int n_facilities;
    ckp_resource *resources;  int n_resources;
    ckp_site *sites;          int n_sites;
    ckp_project *projects;    int n_projects;
    ckp_upgrade *upgrades;    int n_upgrades;
    ckp_budget budget;
    ckp_objective_spec objective;
    int line;
    /* Both empty in a plan without scenarios: */
    ckp_stockpile *stockpiles; int n_stockpiles;
    ckp_scenario *scenarios;  int n_scenarios;
} ckp_plan;

/* Lifecycle */
CKP_API void ckp_plan_free(ckp_plan *plan); /* accepts NULL */

/* Horizon helpers */
static inline int ckp_plan_n_years(const ckp_plan *p)
{
    return p->last_year - p->first_year + 1;
}

/* Demand of commodity c in year y, t/yr, interpolated (see ckp_commodity). */
CKP_API double ckp_plan_demand(const ckp_plan *plan, int c, int year);

/* Scenario s of the plan (0-based; s < 0 = no scenario: the plan as
 * written).  Several matching entries multiply (export, demand); price
 * entries of one commodity may not overlap (the checker refuses it).
 *   export scale of what `country` makes of `commodity` in `year`, 1 when
 *     nothing restricts it;
 *   demand factor of `commodity` in `year`, 1 when not scaled;
 *   price of `commodity` in `year`, NAN when the scenario sets none. */
CKP_API double ckp_scenario_export_scale(const ckp_plan *plan, int s, int country,
                                         int commodity, int year);
CKP_API double ckp_scenario_demand_scale(const ckp_plan *plan, int s, int commodity,
                                         int year);
CKP_API double ckp_scenario_price(const ckp_plan *plan, int s, int commodity, int year);
CKP_API int ckp_plan_find_scenario(const ckp_plan *plan, const char *id);

/* Producers, numbered as the model numbers them: existing facilities
 * 0..n_facilities-1, then projects.  Of a resolved plan (after
 * ckp_plan_check):
 *   the commodity producer f makes (-1 when unresolved);
 *   its country (a project without a country of its own takes its site's;
 *   -1 when none);
 *   that country's risk weight (0 when none). */
CKP_API int ckp_plan_producer_output(const ckp_plan *plan, int f);
CKP_API int ckp_plan_producer_country(const ckp_plan *plan, int f);
CKP_API double ckp_plan_producer_risk(const ckp_plan *plan, int f);

/* Share of producer f's output in `year` contracted to buyers of risk
 * > 0 (outside the bloc), summed over its contracts and capped at 1; 0
 * without contracts.  Of a resolved plan. */
CKP_API double ckp_plan_contracted_out(const ckp_plan *plan, int f, int year);

/* Commodity-specific feeds (docs/formulation.md 7i), of producer g:
 * the process its output needs (NULL: any plant using the commodity may
 * take it), and 1 when g runs `process` on its inputs (its `processes`
 * list names it). */
CKP_API const char *ckp_plan_producer_feed(const ckp_plan *plan, int g);
CKP_API int ckp_plan_producer_takes(const ckp_plan *plan, int g, const char *process);
/* 1 when producer h (a plant with inputs) can take the output of the
 * restricted producer g: h uses g's output and runs g's process. */
CKP_API int ckp_plan_feed_reaches(const ckp_plan *plan, int g, int h);

/* Co-finance of project p funded with option o (the project's
 * co-financiers and the option's; docs/finance.md), millions: by type
 * into by_type[CKP_COFIN_TYPES] and, of the private, the direct
 * mobilisation into *private_direct (NULL: not wanted). */
CKP_API void ckp_plan_cofinance(const ckp_plan *plan, int p, int o,
                                double by_type[CKP_COFIN_TYPES], double *private_direct);

/* Online year of project p when started as early as it can
 * (max(earliest-start, first year) + pending permit years + build years):
 * a committed project's first producing year.  May be after the horizon. */
CKP_API int ckp_plan_project_online(const ckp_plan *plan, int p);

/* Lookups by id (linear scan; the loader/checker build their own hash
 * maps where speed matters).  Return -1 when absent. */
CKP_API int ckp_plan_find_country(const ckp_plan *plan, const char *id);
CKP_API int ckp_plan_find_commodity(const ckp_plan *plan, const char *id);
CKP_API int ckp_plan_find_project(const ckp_plan *plan, const char *id);

#ifdef __cplusplus
}
#endif

#endif
