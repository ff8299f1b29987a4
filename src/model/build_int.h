/* build_int.h: the model builder's private state and the functions its
 * files share (build.c, build_prep.c, build_cols.c, build_rows.c,
 * build_goal.c).  Not installed; nothing outside src/model includes it. */
#ifndef CKP_MODEL_BUILD_INT_H
#define CKP_MODEL_BUILD_INT_H

#include "ckp/model.h"

#define CKP_QTY_SCALE 1000.0  /* model quantities in kt (t/yr / 1000) */
#define CKP_MONEY_SCALE 1.0   /* model money in the plan's millions */
#define CKP_ID_MAX 100        /* longest id kept in a name (bytes) */
#define CKP_NAME_MAX 256      /* names stay <= 255 chars (GLPK limit) */
#define CKP_SCEN_ID_MAX 30    /* scenario id kept in a name suffix (bytes) */

typedef struct bld {
    const ckp_plan *plan;
    ckp_model *m;
    ckp_diag_list *diag;
    int Y, first, last;
    double qs; /* quantity scale */
    int n_prod;

    unsigned char *forced;   /* [n_projects] */
    unsigned char *excluded; /* [n_projects] */

    /* per producer: risk, output, merged (commodity, coefficient) list */
    double *risk;            /* [n_prod] */
    int *pc_first;           /* [n_prod + 1] */
    int *pc_comm;
    double *pc_coef;

    int *p_min_online;       /* [n_projects], INT_MAX when no start */
    int *bal_row;            /* [S * n_comm * Y], -1 when none */

    int S;                   /* scenarios in the model (>= 1) */
    int nc;                  /* commodities */
    int nk;                  /* stockpiles */
    int cap_col_scen;        /* allocated length of m->col_scen */
    double *serve;           /* [S * nc * Y] S_s(c, y), per t (serve_of) */
    int *topo;               /* [nc] commodities, each after its made-from
                                inputs (bld_requirement) */
} bld;

/* Index helpers: scenario outermost, so scenario 0 keeps the layout of a
 * plan without scenarios. */
static inline int py_ix(const bld *b, int s, int producer, int y)
{
    return (s * b->n_prod + producer) * b->Y + y;
}
static inline int cy_ix(const bld *b, int s, int c, int y) { return (s * b->nc + c) * b->Y + y; }
static inline int ky_ix(const bld *b, int s, int k, int y) { return (s * b->nk + k) * b->Y + y; }

/* Names, rows and columns (build.c) */
const char *bld_clean_id(char *dst, const char *id);
const char *bld_scen_sfx(const bld *b, int s, char *buf);
double bld_demand(const bld *b, int s, int c, int y);
ckp_status bld_err(bld *b, int line, const char *code, const char *fmt, ...)
    CKP_PRINTF(4, 5);
ckp_status bld_add_row(bld *b, const char *name, double lb, double ub,
                       unsigned char kind, int *out);
void bld_set_ref(bld *b, int r, int a, int c, int year);
ckp_status bld_add_col(bld *b, const char *name, ckp_col_kind kind, double lb,
                       double ub, double obj, int scen, int *out);

/* Parameters, requirement, serving order, producer lists (build_prep.c) */
ckp_status bld_resolve_params(bld *b);
ckp_status bld_requirement(bld *b);
double bld_shortage_coef(const bld *b, int s, int c, int y);
ckp_status bld_check_shortage_penalty(bld *b);
ckp_status bld_producer_lists(bld *b);

/* Rows of what the budget limits (build_finance.c, docs/formulation.md
 * 6 "Instrument terms"): an option start's coefficients of measure fm
 * in year_row[y] (-1: none) and total_row (-1: none); the <cap> rows. */
ckp_status bld_fin_option_coefs(bld *b, const ckp_start_var *s, ckp_fin_measure fm,
                                const int *year_row, int total_row);
ckp_status bld_fin_cap_rows(bld *b);

/* Columns and per-project rows (build_cols.c) */
ckp_status bld_start_cols(bld *b, double commit_norm);
ckp_status bld_upgrade_cols(bld *b, double commit_norm);
ckp_status bld_flow_cols(bld *b);
ckp_status bld_stock_cols(bld *b, double commit_norm);
ckp_status bld_one_rows(bld *b);
ckp_status bld_cap_rows(bld *b);
ckp_status bld_bal_rows(bld *b);
ckp_status bld_stock_rows(bld *b);

/* Commodity-specific feeds: flow columns and rows (build_feeds.c) */
ckp_status bld_feed_cols(bld *b);
ckp_status bld_feed_rows(bld *b);

/* Linking rows (build_rows.c) */
ckp_status bld_infra_rows(bld *b);
ckp_status bld_budget_rows(bld *b);
ckp_status bld_pair_rows(bld *b, int excl);
ckp_status bld_fix_portfolio(bld *b);
ckp_status bld_minmax(bld *b);

/* Share caps, measure, exposure, goal (build_goal.c) */
ckp_status bld_share_caps(bld *b);
ckp_status bld_apply_measure(bld *b);
ckp_status bld_exposure_coefs(bld *b);
ckp_status bld_goal(bld *b);

#endif
