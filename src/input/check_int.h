/* check_int.h: the semantic checker's shared state and helpers, private
 * to src/input (check.c and the passes in check_records.c,
 * check_scenarios.c, check_graph.c).  The public entry point is
 * ckp_plan_check() (ckp/check.h); docs/diagnostics.md lists every rule. */
#ifndef CKP_INPUT_CHECK_INT_H
#define CKP_INPUT_CHECK_INT_H

#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ckp/check.h"
#include "input/hint.h"
#include "util/alloc.h"

/* Tolerance on the sum of a disbursement schedule. */
#define SCHEDULE_TOL 1e-6

/* Bounds that keep year arithmetic (start + permit + build years) far
 * from int overflow and the model's size sane; documented in
 * docs/diagnostics.md. */
#define YEAR_MIN 1
#define YEAR_MAX 9999
#define HORIZON_MAX_YEARS 200
#define DURATION_MAX 100

/* Longest requires / made-from chain spelled out in a message. */
#define CHAIN_MAX 480


typedef struct idmap {
              const char **keys;
    int *vals;
    size_t mask; /* capacity - 1, capacity a power of two */
} idmap;

enum kind {
    K_COUNTRY = 0,
    K_STAGE,
    K_COMMODITY,
    K_FACILITY,
    K_RESOURCE,
    K_SITE,
    K_PROJECT,
    K_UPGRADE,
    K_STOCKPILE,
    K_SCENARIO,
    K_N
};

extern const char *const chk_kind_name[K_N];

typedef struct chk {
    ckp_plan *plan;
    ckp_diag_list *diag;
              const char *file;
    ckp_status oom;   /* CKP_ENOMEM once anything could not be stored */
    int horizon_ok;   /* horizon valid: year rules make sense */
    idmap map[K_N];
    int *stamp;       /* scratch, size max(n_commodities, n_resources, n_projects) */
    int stamp_n;
    long hint_work;   /* id comparisons left for "did you mean" hints */
} chk;

void chk_report(chk *c, ckp_severity sev, int line, const char *code, const char *fmt,
                ...) CKP_PRINTF(5, 6);
#define ERR(c, line, code, ...) \
    chk_report((c), CKP_SEV_ERROR, (line), (code), __VA_ARGS__)
#define WARN(c, line, code, ...) \
    chk_report((c), CKP_SEV_WARNING, (line), (code), __VA_ARGS__)

static inline const char *chk_str_or(const char *s, const char *dflt) { return s ? s : dflt; }

/* Line of a reference, falling back to its record's line. */
static inline int chk_ref_line(const ckp_ref *r, int rec_line)
{
    return r->line > 0 ? r->line : rec_line;
}

/* Fresh stamp value for a per-record duplicate check. */
static inline int chk_next_stamp(chk *c) { return ++c->stamp_n; }

enum {
    NUM_NONNEG = 1,    /* must be >= 0 */
    NUM_UNIT = 2,      /* must lie in [0,1] (code given separately) */
    NUM_ALLOW_INF = 4, /* +INFINITY means "none" */
    NUM_ALLOW_NAN = 8, /* NAN means "not given" */
    /* magnitude classes (at most one): the sane range of a non-zero value */
    NUM_TONNES = 16,   /* t or t/yr */
    NUM_MONEY = 32,    /* millions of the plan currency */
    NUM_RATIO = 64,    /* t/t */
    NUM_AMOUNT = 128,  /* infrastructure amount, the resource's unit */
    NUM_PRICE = 256,   /* plan currency per tonne */
    NUM_FACTOR = 512,  /* commodity weight, demand scale */
    NUM_PENALTY = 1024, /* shortage penalty (the CLI's bound too) */
    NUM_CLASSES = NUM_TONNES | NUM_MONEY | NUM_RATIO | NUM_AMOUNT | NUM_PRICE |
                  NUM_FACTOR | NUM_PENALTY
};

typedef struct year_ix {
    int year;
    int ix;
} year_ix;

/* check.c: maps, reporting, numbers, references */
void chk_amounts(chk *c, const char *who, int rec_ln, ckp_amount *a, int n,
              const char *attr);
void chk_duration(chk *c, int line, const char *who, const char *attr, int v);
int chk_idmap_find(const idmap *m, const char *key);
void chk_idmap_fini(idmap *m);
int chk_idmap_init(idmap *m, int n);
int chk_idmap_put(idmap *m, const char *key, int val);
int chk_in_horizon(const chk *c, int year);
int chk_num(chk *c, int line, const char *who, const char *attr, double v, int flags,
              const char *range_code);
void chk_ratios(chk *c, const char *who, int rec_ln, ckp_ratio *r, int n,
              const char *attr, const ckp_ref *output);
int chk_resolve(chk *c, ckp_ref *r, int k, int rec_ln, const char *who,
              const char *attr, int required);
void chk_schedule(chk *c, int line, const char *who, const double *s, int n);
void chk_who_of(char *buf, size_t n, const char *kind, const char *id);
int chk_window(chk *c, int line, const char *who, int earliest, int latest);
void chk_year(chk *c, int line, const char *who, const char *attr, int year);
void chk_year_values(chk *c, const char *who, const char *elem, const char *vattr,
              int vclass, const ckp_year_value *v, int n, year_ix *idx);

/* check_terms.c: instrument terms, the budget's measure and caps */
void chk_option_terms(chk *c, const ckp_option *op, int line, const char *owho);
void chk_budget_terms(chk *c, year_ix *scratch);

/* check_records.c: projects, upgrades, budget, additionality */
void chk_additionality(chk *c);
void chk_budget_objective(chk *c, year_ix *scratch);
void chk_project(chk *c, int pi);
void chk_upgrade(chk *c, ckp_upgrade *u);

/* check_feeds.c: commodity-specific feeds */
void chk_feeds(chk *c);

/* check_scenarios.c: stockpiles and scenarios */
int chk_scenarios(chk *c);
void chk_stockpiles(chk *c);

/* check_graph.c: cycles, producibility, infrastructure, affordability */
int chk_affordable(chk *c);
int chk_cycles(chk *c);
int chk_infrastructure(chk *c);
int chk_producible(chk *c);

#endif
