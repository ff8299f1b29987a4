/* solve.h: solving a ckp_mip with GLPK's branch-and-cut.  Only
 * src/solver/solver_glpk.c includes <glpk.h>; GLPK's fatal errors are
 * caught by its error hook and become CKP_ESOLVER (the process never
 * aborts). */
#ifndef CKP_SOLVE_H
#define CKP_SOLVE_H

#include "ckp/diag.h"
#include "ckp/export.h"
#include "ckp/mip.h"
#include "ckp/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ckp_solve_params {
    double time_limit;  /* seconds, 0 = none */
    double mip_gap;     /* relative gap at which to stop, [0, 1) */
    int verbose;        /* 1 = GLPK's own output to stderr */
    int progress;       /* 1 = one-line progress (incumbent, bound, gap) on
                           stderr; the CLI sets it when stderr is a tty */
    int presolve;       /* 0 (default) keeps the user incumbent path */
    int branching;      /* 0 = chokepoint's measured default, else GLP_BR_* */
    int mir_cuts;       /* -1 = default, 0 off, 1 on */
    int clique_cuts;    /* -1 = default, 0 off, 1 on */
    int no_heuristic;   /* 1 = do not offer the greedy incumbent (CLI
                           --no-heuristic); 0 (default) = offer it */
    int no_lp_heuristic; /* 1 = skip the LP dive (docs/solver.md); 0 (default)
                            = run it and offer its point at GLP_IHEUR */
    int fp_heur;        /* GLPK feasibility pump: -1 = default, 0 off, 1 on */
    int gmi_cuts;       /* GLPK Gomory cuts: -1 = default, 0 off, 1 on */
    int cov_cuts;       /* GLPK cover cuts: -1 = default, 0 off, 1 on */
    int ps_heur;        /* GLPK proximity search: -1 = default, 0 off, 1 on */
    int debug_force_fatal; /* tests only: 1 = provoke a GLPK fatal error
                              inside the guarded path (docs/solver.md);
                              the environment variable
                              CKP_DEBUG_GLPK_FATAL=1 does the same for
                              every entry point of the wrapper */
    int knap_cuts;      /* chokepoint's GUB cover cuts on the knapsack
                           (budget) rows: -1 = default (on when the model
                           has at least as many continuous columns as
                           binaries: the models with scenarios and the
                           bundled plan, docs/solver.md §5a), 0 off, 1 on;
                           never with presolve = 1 */
    int root_cuts;      /* rounds of chokepoint's MIR and two-step MIR
                           cuts from the simplex tableau on the root LP
                           (docs/solver.md §5b): -1 = default (proof,
                           measured), CKP_ROOT_CUTS_OFF, _ON (before the
                           LP heuristic; the binding ones stay in the
                           model), _PROOF (after the heuristics; they stay
                           only when they raise the bound to the best
                           point found, else the search runs without
                           them); never with presolve = 1 */
    int pcost;          /* chokepoint's branching rule (docs/solver.md
                           §5e: product score of pseudocosts, strong
                           branching until they are trusted): -1 =
                           default, 0 = GLPK's rule of `branching`, 1 on;
                           only with branching = 0 and presolve = 0 */
    int debug_root_it_cap; /* tests only: > 0 replaces the simplex
                              iteration cap of every re-solve in the
                              rounds of root cuts (1 makes the rounds'
                              rollback happen); 0 = the measured cap */
    long node_limit;    /* stop the branch-and-cut search once GLPK's tree
                           has this many nodes (0 = none): a limit that
                           does not depend on the machine's speed, so the
                           same input stops at the same point everywhere;
                           the best portfolio found is FEASIBLE with its
                           gap, as under time_limit */
    /* A lower bound on the optimum the caller knows from elsewhere (for a
       budget sweep: the optimum of the same model at a larger budget,
       whose feasible set contains this one's; docs/sweeps.md "Warm
       starts").  With known_bound_set = 1 the search stops as soon as an
       incumbent's objective is at most known_bound + 1e-9 x max(1,
       |known_bound|): that incumbent is then optimal, reported OPTIMAL
       with gap 0 and ckp_solution.known_bound_reached = 1.  A wrong bound
       (above the true optimum) makes a worse incumbent OPTIMAL: the
       caller answers for it.  0 (default) = none. */
    int known_bound_set;
    double known_bound;
    /* Called from the search once at its start and then at most every
       0.5 s, with the incumbent's objective (NAN without one), the bound
       and the nodes so far: a caller's own progress display (a sweep's
       workers).  NULL (default) = none.  Not a setting: copied into every
       solve of a run, never part of an answer. */
    void (*on_progress)(void *ctx, double incumbent, double bound, long nodes);
    void *on_progress_ctx;
} ckp_solve_params;

/* Which limit stopped a search (ckp_solution.limit). */
typedef enum ckp_limit {
    CKP_LIMIT_NONE = 0, /* not stopped by a limit */
    CKP_LIMIT_TIME,     /* time_limit */
    CKP_LIMIT_NODES     /* node_limit */
} ckp_limit;

/* Values of ckp_solve_params.branching (the same numbers as GLPK's
 * GLP_BR_*; 0 picks the measured default, docs/solver.md). */
#define CKP_BRANCH_DEFAULT 0
#define CKP_BRANCH_FFV 1 /* first fractional variable */
#define CKP_BRANCH_LFV 2 /* last fractional variable */
#define CKP_BRANCH_MFV 3 /* most fractional variable */
#define CKP_BRANCH_DTH 4 /* Driebeck-Tomlin heuristic */
#define CKP_BRANCH_PCH 5 /* hybrid pseudo-cost */

/* Values of ckp_solve_params.root_cuts. */
#define CKP_ROOT_CUTS_OFF 0
#define CKP_ROOT_CUTS_ON 1
#define CKP_ROOT_CUTS_PROOF 2

CKP_API void ckp_solve_params_init(ckp_solve_params *p);
/* For programs, once at start (the CLI and ckp-bench call it; a library
 * user may): process-wide settings that make solves faster.  With glibc,
 * freed heap memory is kept by the process instead of being returned to
 * the kernel at every free: GLPK allocates and frees its arrays at every
 * node of the tree, which otherwise costs a page fault per page touched
 * again (about 50,000 and 0.1 s of system time on the bundled plan;
 * docs/performance.md).  Does nothing elsewhere. */
CKP_API void ckp_solver_process_setup(void);

/* "off", "on", "proof" for those values, "default" for any other; and
 * back (-1 for any other text). */
CKP_API const char *ckp_root_cuts_name(int root_cuts);
CKP_API int ckp_root_cuts_parse(const char *name);
/* Range-check every field; CKP_EUSAGE with a message naming field and value. */
CKP_API ckp_status ckp_solve_params_check(const ckp_solve_params *p, char *msg,
                                          int msg_size);

typedef enum ckp_mip_status {
    CKP_MIP_OPTIMAL = 0,   /* proven optimal (within mip_gap when set) */
    CKP_MIP_FEASIBLE,      /* stopped by a limit with an incumbent */
    CKP_MIP_INFEASIBLE,    /* proven infeasible */
    CKP_MIP_NO_SOLUTION,   /* stopped by a limit without an incumbent */
    CKP_MIP_ERROR          /* solver failure */
} ckp_mip_status;

CKP_API const char *ckp_mip_status_str(ckp_mip_status s);

typedef struct ckp_solution {
    ckp_mip_status status;
    int glpk_ret;          /* glp_intopt return code */
    int glpk_status;       /* glp_mip_status */
    double objective;      /* incumbent objective (NAN without one) */
    double bound;          /* best bound */
    double gap;            /* relative gap, 0 when optimal */
    double seconds;        /* wall time of the solve */
    long nodes;            /* branch-and-bound nodes */
    int gap_stopped;       /* 1 when stopped by mip_gap > 0 */
    int heuristic_used;    /* 1 when the greedy incumbent was accepted */
    double heuristic_objective; /* NAN when none */
    double dive_objective; /* objective of the LP dive's point, NAN when
                              none (found nothing, skipped, or presolve) */
    double dive_seconds;   /* wall time of the LP dive (0 when skipped) */
    int dive_lps;          /* LPs the dive re-solved */
    long knap_cuts_added;  /* cover cuts of knap_cuts added to GLPK's pool */
    int root_cuts_added;   /* cuts of root_cuts generated over all rounds */
    int root_cuts_kept;    /* of which binding at the last root LP, kept */
    int root_cut_rounds;   /* rounds of root cuts completed (added and
                              re-solved; an undone one not counted) */
    int root_cut_rollback; /* 1 when a round's re-solve failed or ran past
                              its iteration cap and was undone */
    long pcost_strong;     /* strong-branching LPs of the rule of §5e */
    long pcost_chosen;     /* branchings chosen by that rule */
    ckp_limit limit;       /* the limit that stopped the search, if any */
    int known_bound_reached; /* 1 when the search stopped at an incumbent
                                reaching params.known_bound */
    int n_cols;
    double *x;             /* column values, 0-based; NULL without solution */
    /* The root LP (before any cut) and the reduced costs of its non-basic
       binaries (0 for the other columns), NULL when no root LP was solved
       (infeasible, stopped, every binary fixed): for every point x of the
       model, objective(x) >= root_lp + sum_j root_dj[j] (x_j - its root
       value), the reduced-cost argument of the lexicographic stage 2
       (docs/solver.md section 5c). */
    double root_lp;
    double *root_dj;
} ckp_solution;

CKP_API void ckp_solution_free(ckp_solution *s); /* accepts NULL */

/* Solve.  incumbent may be NULL; otherwise a column vector as produced by
 * ckp_model_greedy() (binaries 0/1, continuous NAN).  On CKP_OK *out holds
 * the solution whatever its status (infeasible included); CKP_ESOLVER /
 * CKP_EINTERNAL come with a diagnostic. */
CKP_API ckp_status ckp_solve(const ckp_mip *mip, const ckp_solve_params *params,
                             const double *incumbent, ckp_solution **out,
                             ckp_diag_list *diag);

/* "5.0" (glp_version()). */
CKP_API const char *ckp_solver_version(void);

/* Write the model GLPK would solve, with names, as CPLEX LP or free MPS. */
CKP_API ckp_status ckp_mip_write_lp(const ckp_mip *mip, const char *path,
                                    ckp_diag_list *diag);
CKP_API ckp_status ckp_mip_write_mps(const ckp_mip *mip, const char *path,
                                     ckp_diag_list *diag);

#ifdef __cplusplus
}
#endif

#endif
