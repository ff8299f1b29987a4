/* glpk_ctx.h: the state shared by the files of the GLPK wrapper
 * (solver_glpk.c, glpk_guard.c, callback.c, root_cuts.c, model_io.c),
 * internal to src/solver.  One ckp_glpk_ctx lives for one entry point
 * call: the guard's jmp_buf and captured messages, the heap blocks freed
 * after a longjmp as well, and the state of a solve that the
 * branch-and-cut callback reads and writes.  docs/solver.md. */
#ifndef CKP_SOLVER_GLPK_CTX_H
#define CKP_SOLVER_GLPK_CTX_H

#include <setjmp.h>
#include <stddef.h>
#include <time.h>

#include <glpk.h>

#include "ckp/diag.h"
#include "ckp/mip.h"
#include "ckp/solve.h"
#include "ckp/status.h"
#include "solver/cuts.h"
#include "solver/heuristic.h"

#define DIVE_SHARE 0.3      /* the LP heuristic may use this share of time_limit */
#define REDUCE_TOL 1e-7      /* row tolerance of the exact reduction (reduce.h) */

typedef struct ckp_glpk_ctx {
    jmp_buf jb;
    int verbose;
    char fatal[1024];  /* text printed while glp_at_error() */
    size_t fatal_len;
    int caught;        /* 1 after run_guarded caught a GLPK fatal error */
    char last[512];    /* last ordinary output line */
    /* heap state freed by the caller after a longjmp as well */
    int *ia;
    int *ja;
    double *ar;
    double *heur_x;    /* 1-based completed incumbent, NULL when none */
    double *dive_x;    /* 1-based point of the LP dive, NULL when none */
    double *node_x;    /* 1-based scratch point of the periodic runs */
    double *node_lp;   /* 0-based node LP values */
    ckp_cover_sep *cover; /* cover cuts on the knapsack rows (cuts.h) */
    struct ckp_pcost *pcost; /* chokepoint's branching rule (branch.c) */
    double *cut_x;     /* 0-based node LP values for the separation */
    glp_prob *orig;    /* the problem before glp_intopt (freed by
                          glp_free_env after a longjmp) */
    const ckp_mip *mip;
    long iheur_calls;
    int node_runs;     /* runs from node LPs, root ones included */
    int root_runs;     /* runs from the root LP after cut rounds */
    glp_iocp *io;      /* glp_intopt's parameters (MIR switch per node) */
    int mir_depth_limited; /* 1: MIR cuts only at nodes above MIR_MAX_LEVEL */
    int node_found;
    /* solve state */
    const ckp_solve_params *params;
    struct timespec t0;
    int offered;
    int heuristic_used;
    double heuristic_objective;
    ckp_dive_result dive;
    double bound;
    int have_bound;
    long nodes;
    int node_stop;     /* 1 when node_limit terminated the search */
    int bound_stop;    /* 1 when an incumbent reached params->known_bound */
    int printed;       /* 1 once a progress line has been printed */
    int notified;      /* 1 once params->on_progress has been called */
    double last_notify;
    double last_print;
    double last_bound;
} ckp_glpk_ctx;

/* glpk_guard.c: the guard, pre-validation, loading, shared helpers. */

/* Wall seconds since c->t0. */
double ckp_glpk_elapsed(const ckp_glpk_ctx *c);

/* The work of an entry point, run under the guard (may longjmp out). */
typedef ckp_status (*ckp_glpk_guarded_fn)(ckp_glpk_ctx *c, void *arg);

/* Installs the hooks, runs fn(c, arg) and frees GLPK's environment; after
 * a GLPK fatal error c->caught = 1 and the result is CKP_ESOLVER. */
ckp_status ckp_glpk_run_guarded(ckp_glpk_ctx *c, ckp_glpk_guarded_fn fn, void *arg);

/* Frees c and every heap block it holds; accepts NULL. */
void ckp_glpk_ctx_release(ckp_glpk_ctx *c);

/* Folds the newlines of s for a one-line diagnostic. */
void ckp_glpk_one_line(char *s);

/* The solver-fatal diagnostic of a caught GLPK fatal error during what. */
void ckp_glpk_report_fatal(ckp_glpk_ctx *c, const char *what, ckp_diag_list *diag);

/* 1 when CKP_DEBUG_GLPK_FATAL=1 (test hook). */
int ckp_glpk_env_force_fatal(void);

/* ckp_mip_check plus GLPK's name rules; CKP_EINTERNAL with a diagnostic. */
ckp_status ckp_glpk_prevalidate(const ckp_mip *mip, ckp_diag_list *diag);

/* Builds P from m in one pass (docs/solver.md §1.3). */
ckp_status ckp_glpk_load_prob(ckp_glpk_ctx *c, glp_prob *P, const ckp_mip *m,
                              int force_fatal, ckp_diag_list *diag);

/* What is left of params->time_limit in GLPK's milliseconds (INT_MAX: none). */
int ckp_glpk_remaining_ms(ckp_glpk_ctx *c);

/* 1 when some binary column is fractional in the LP optimum of P. */
int ckp_glpk_lp_fractional(glp_prob *P, const ckp_mip *m);

/* The solver-unbounded diagnostic; CKP_ESOLVER. */
ckp_status ckp_glpk_unbounded(ckp_diag_list *diag);

/* The solver-failed diagnostic with GLPK's last line; CKP_ESOLVER. */
ckp_status ckp_glpk_solver_failed(ckp_glpk_ctx *c, const char *stage, int ret,
                                  ckp_diag_list *diag);

/* callback.c: glp_intopt's callback (cb_info = the ckp_glpk_ctx). */
void ckp_glpk_callback(glp_tree *T, void *info);

/* |obj - bound| / (|obj| + DBL_EPSILON), GLPK's own definition. */
double ckp_glpk_mip_gap(double obj, double bound);

/* root_cuts.c: chokepoint's root cuts (docs/solver.md §5b), modes "on"
 * and "proof". */
ckp_status ckp_glpk_root_cuts_on(ckp_glpk_ctx *c, glp_prob *P, const ckp_mip *m,
                                 ckp_solution *sol, ckp_diag_list *diag);
ckp_status ckp_glpk_root_proof(ckp_glpk_ctx *c, glp_prob *P, const ckp_mip *m,
                               ckp_solution *sol, ckp_diag_list *diag);

/* branch.c: chokepoint's branching rule (docs/solver.md §5e). */
typedef struct ckp_pcost ckp_pcost;

/* The node data (glp_iocp.cb_size) the rule keeps for each node. */
typedef struct ckp_pcost_node {
    int j;          /* column branched on at this node (0: none yet) */
    int seen;       /* 1 once this node's LP was counted for its parent */
    double beta;    /* its LP value there */
    double lp_obj;  /* this node's LP objective when it branched */
} ckp_pcost_node;

ckp_status ckp_pcost_new(int n_cols, ckp_pcost **out);
void ckp_pcost_free(ckp_pcost *s); /* accepts NULL */
size_t ckp_pcost_node_size(void);
/* candidates evaluated by strong branching at a node of a problem of
 * n_rows rows and n_int integer columns (6, fewer on large models) */
int ckp_pcost_sb_cands(int n_rows, int n_int);
/* At GLP_IROWGEN: the degradation of the current node's LP, for the
 * pseudocost of its parent's branching column. */
void ckp_pcost_update(ckp_pcost *s, glp_tree *T);
/* At GLP_IBRANCH: chooses and calls glp_ios_branch_upon; -1 when out of
 * memory (GLPK's own rule then branches). */
int ckp_pcost_branch(ckp_pcost *s, glp_tree *T);
long ckp_pcost_strong(const ckp_pcost *s); /* strong-branching LPs */
long ckp_pcost_chosen(const ckp_pcost *s); /* branchings chosen */

#endif
