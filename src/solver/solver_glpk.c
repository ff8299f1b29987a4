/* solver_glpk.c: the GLPK 5 boundary of chokepoint (see ckp/solve.h and
 * docs/solver.md).  The only file that includes <glpk.h>; glp_prob never
 * leaves it.  It loads a ckp_mip into GLPK in one pass (names, bounds,
 * kinds, objective, then glp_check_dup and ONE glp_load_matrix; the
 * 1-based translation happens here and nowhere else), solves the root LP
 * with glp_simplex, completes the caller's greedy incumbent (binaries
 * fixed, LP on the exact reduction of reduce.h), runs the LP heuristic (heuristic.c: restricted
 * MIP, dive, drop pass, polishing sub-MIP), offers both points at the
 * first GLP_IHEUR callback (the LP heuristic's first), then runs
 * glp_intopt and maps the outcome to a ckp_mip_status.
 *
 * Guard.  Every entry point runs its GLPK work through run_guarded, which
 * installs glp_error_hook + setjmp before the first GLPK call.  A GLPK fatal error (which would otherwise abort the
 * process) longjmps back, glp_free_env() releases every GLPK object, and
 * the call returns CKP_ESOLVER with a diagnostic carrying GLPK's own
 * message (captured by the glp_term_hook while glp_at_error() is true).
 * GLPK's output goes to stderr only when params->verbose; otherwise it is
 * swallowed (the last line is kept for diagnostics).  Each entry point
 * ends with glp_free_env(), so no GLPK memory outlives a call.
 * Test hook: params->debug_force_fatal = 1, or the environment variable
 * CKP_DEBUG_GLPK_FATAL=1 (any entry point, including the LP/MPS writers),
 * makes the wrapper call glp_set_col_kind with an out-of-range column
 * index after loading the problem: a genuine GLPK fatal error.
 *
 * Status mapping (stage, GLPK return code, glp_get_status /
 * glp_mip_status -> ckp_mip_status or ckp_status):
 *
 *   | stage        | return code        | GLPK status   | chokepoint              |
 *   |--------------|--------------------|---------------|-------------------------|
 *   | glp_simplex  | 0                  | GLP_OPT       | go on to glp_intopt     |
 *   | glp_simplex  | 0                  | GLP_NOFEAS    | INFEASIBLE              |
 *   | glp_simplex  | 0                  | GLP_UNBND     | CKP_ESOLVER (unbounded) |
 *   | glp_simplex  | GLP_ETMLIM/EITLIM  | any           | NO_SOLUTION             |
 *   | glp_simplex  | other non-zero     | any           | CKP_ESOLVER             |
 *   | glp_intopt   | 0                  | GLP_OPT       | OPTIMAL, gap 0          |
 *   | glp_intopt   | 0                  | GLP_NOFEAS    | INFEASIBLE              |
 *   | glp_intopt   | 0                  | GLP_FEAS      | FEASIBLE (not proven)   |
 *   | glp_intopt   | GLP_EMIPGAP        | GLP_FEAS      | OPTIMAL, gap_stopped=1  |
 *   | glp_intopt   | GLP_ETMLIM, ESTOP  | GLP_FEAS      | FEASIBLE (never OPTIMAL)|
 *   | glp_intopt   | GLP_ETMLIM, ESTOP  | UNDEF/NOFEAS  | NO_SOLUTION             |
 *   | glp_intopt   | GLP_ENOPFS         | (presolve on) | INFEASIBLE              |
 *   | glp_intopt   | GLP_ENODFS         | (presolve on) | CKP_ESOLVER (unbounded) |
 *   | glp_intopt   | GLP_EFAIL          | GLP_FEAS      | FEASIBLE + warning diag |
 *   | glp_intopt   | EFAIL/EBOUND/EROOT | otherwise     | CKP_ESOLVER             |
 *   | any          | fatal error (hook) | -             | CKP_ESOLVER             |
 * (GLP_ESTOP comes from node_limit: the callback terminates the search once
 * the tree has that many nodes; ckp_solution.limit names the limit.)
 *
 * Bound: the root LP objective, then the best active node's bound
 * (glp_ios_best_node / glp_ios_node_bound) tracked in the callback, never
 * above the incumbent; equal to the objective when proven optimal.  Gap:
 * |obj - bound| / (|obj| + DBL_EPSILON), GLPK's own definition. */
#include "ckp/solve.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glpk.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "solver/cuts.h"
#include "solver/heuristic.h"
#include "solver/reduce.h"
#include "solver/solver_test.h"
#include "util/alloc.h"

/* Measured defaults (docs/solver.md, "Branching and cuts"). */
#define DEFAULT_BRANCHING GLP_BR_PCH
#define DEFAULT_MIR 1
#define MIR_MAX_LEVEL 4 /* by default, MIR cuts only at nodes of depth < this */
#define DEFAULT_CLIQUE 1
#define DEFAULT_FP 1 /* feasibility pump at the root */
#define DEFAULT_GMI 0
#define DEFAULT_COV 0
#define DEFAULT_PS 0
#define KNAP_CONT_RATIO 1.0 /* cover cuts by default when the continuous
                               columns are at least this many times the
                               binaries (the scenario models; measured) */
#define DEFAULT_ROOT_CUTS CKP_ROOT_CUTS_PROOF /* measured: docs/performance.md,
                                                "Root cuts" */
#define ROOT_CUT_ROUNDS 10  /* at most this many rounds of root cuts ... */
#define ROOT_CUT_GAIN 1e-6  /* ... each raising the LP bound by this (relative) */
#define ROOT_CUT_IT_PER_CUT 50 /* each re-solve: at most this many simplex
                                 iterations per cut added ... */
#define ROOT_CUT_IT_MIN 200   /* ... or this many */
#define ROOT_CUT_CLOSE 0.03   /* mode "proof": a round must close this share
                                 of the gap to the incumbent */
#define ROOT_PROOF_DIVE 0.5   /* ... the LP heuristic runs again from the cut
                                 LP when the rounds closed this share */
#define ROOT_PROOF_TOL 1e-7   /* mode "proof": cuts kept when they raise the
                                 bound to the incumbent within this (relative) */
#define DIVE_SHARE 0.3      /* the LP heuristic may use this share of time_limit */
#define NODE_HEUR_PERIOD 500 /* restricted MIP from the node LP every this many
                                GLP_IHEUR calls ... */
#define NODE_HEUR_MAX 20     /* ... at most this many times */
#define NODE_HEUR_ROOT 2     /* and from the root LP after each of the first
                                this many rounds of cuts ... */
#define NODE_HEUR_ROOT_GAP 0.01 /* ... while the incumbent is more than this
                                   above that LP's bound (relative) */
#define NODE_HEUR_SHARE 0.1  /* each may use this share of the time left */
#define DIVE_POLISH_NODES 200 /* node limit of the dive's polishing sub-MIP */
#define REDUCE_TOL 1e-7      /* row tolerance of the exact reduction (reduce.h) */

#define MALLOC_TRIM_BYTES (256 << 20) /* free heap kept before trimming */
#define TIME_LIMIT_MAX 2000000.0 /* seconds; GLPK takes int milliseconds */
#define PROGRESS_PERIOD 0.5      /* at most two progress lines a second */
#define KNOWN_BOUND_TOL 1e-9     /* an incumbent within this (relative) of
                                    params->known_bound is optimal */
#define BOUND_PERIOD 0.05        /* bound refresh when the tree is large */
#define BOUND_SCAN_ACTIVE 2000   /* below this, refresh at every call */

/* ------------------------------------------------------------------ */
/* Parameters                                                          */

void ckp_solve_params_init(ckp_solve_params *p)
{
    memset(p, 0, sizeof *p);
    p->time_limit = 0.0;
    p->mip_gap = 0.0;
    p->branching = CKP_BRANCH_DEFAULT;
    p->mir_cuts = -1;
    p->clique_cuts = -1;
    p->fp_heur = -1;
    p->gmi_cuts = -1;
    p->cov_cuts = -1;
    p->ps_heur = -1;
    p->knap_cuts = -1;
    p->root_cuts = -1;
}

static int is_flag(int v) { return v == 0 || v == 1; }

ckp_status ckp_solve_params_check(const ckp_solve_params *p, char *msg,
                                  int msg_size)
{
    size_t n = msg_size > 0 ? (size_t)msg_size : 0;
    if (!(isfinite(p->time_limit) && p->time_limit >= 0.0 &&
          p->time_limit <= TIME_LIMIT_MAX)) {
        if (n) snprintf(msg, n, "solve: time_limit = %g; must be in [0, %g] seconds (0 = none)",
                        p->time_limit, TIME_LIMIT_MAX);
        return CKP_EUSAGE;
    }
    if (p->node_limit < 0) {
        if (n) snprintf(msg, n, "solve: node_limit = %ld; must be >= 0 (0 = none)",
                        p->node_limit);
        return CKP_EUSAGE;
    }
    if (!(isfinite(p->mip_gap) && p->mip_gap >= 0.0 && p->mip_gap < 1.0)) {
        if (n) snprintf(msg, n, "solve: mip_gap = %g; must be in [0, 1)", p->mip_gap);
        return CKP_EUSAGE;
    }
    struct { const char *name; int v; } flags[] = {
        {"verbose", p->verbose},           {"progress", p->progress},
        {"presolve", p->presolve},         {"no_heuristic", p->no_heuristic},
        {"debug_force_fatal", p->debug_force_fatal},
        {"no_lp_heuristic", p->no_lp_heuristic},
    };
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        if (!is_flag(flags[i].v)) {
            if (n) snprintf(msg, n, "solve: %s = %d; must be 0 or 1", flags[i].name,
                            flags[i].v);
            return CKP_EUSAGE;
        }
    }
    if (p->branching < CKP_BRANCH_DEFAULT || p->branching > CKP_BRANCH_PCH) {
        if (n) snprintf(msg, n,
                        "solve: branching = %d; must be 0 (default) or 1..5 "
                        "(ffv, lfv, mfv, dth, pch)", p->branching);
        return CKP_EUSAGE;
    }
    struct { const char *name; int v; } tri[] = {
        {"mir_cuts", p->mir_cuts}, {"clique_cuts", p->clique_cuts},
        {"fp_heur", p->fp_heur},   {"gmi_cuts", p->gmi_cuts},
        {"cov_cuts", p->cov_cuts}, {"ps_heur", p->ps_heur},
        {"knap_cuts", p->knap_cuts},
    };
    for (size_t i = 0; i < sizeof tri / sizeof tri[0]; i++) {
        if (tri[i].v < -1 || tri[i].v > 1) {
            if (n) snprintf(msg, n, "solve: %s = %d; must be -1 (default), 0 or 1",
                            tri[i].name, tri[i].v);
            return CKP_EUSAGE;
        }
    }
    if (p->debug_root_it_cap < 0) {
        if (n) snprintf(msg, n, "solve: debug_root_it_cap = %d; must be >= 0",
                        p->debug_root_it_cap);
        return CKP_EUSAGE;
    }
    if (p->known_bound_set && !(p->known_bound_set == 1 && isfinite(p->known_bound))) {
        if (n) snprintf(msg, n, "solve: known_bound_set = %d, known_bound = %g; must be 0, "
                        "or 1 with a finite bound", p->known_bound_set, p->known_bound);
        return CKP_EUSAGE;
    }
    if (p->root_cuts < -1 || p->root_cuts > CKP_ROOT_CUTS_PROOF) {
        if (n) snprintf(msg, n, "solve: root_cuts = %d; must be -1 (default), 0 (off), "
                        "1 (on) or 2 (proof)", p->root_cuts);
        return CKP_EUSAGE;
    }
    return CKP_OK;
}

const char *ckp_root_cuts_name(int v)
{
    switch (v) {
    case CKP_ROOT_CUTS_OFF: return "off";
    case CKP_ROOT_CUTS_ON: return "on";
    case CKP_ROOT_CUTS_PROOF: return "proof";
    default: return "default";
    }
}

void ckp_solver_process_setup(void)
{
#ifdef __GLIBC__
    /* a fixed trim threshold also stops glibc's dynamic adjustment of
     * the mmap threshold; large blocks are still mmapped and returned */
    mallopt(M_TRIM_THRESHOLD, MALLOC_TRIM_BYTES);
#endif
}

int ckp_root_cuts_parse(const char *name)
{
    for (int v = CKP_ROOT_CUTS_OFF; v <= CKP_ROOT_CUTS_PROOF; v++)
        if (name && strcmp(name, ckp_root_cuts_name(v)) == 0) return v;
    return -1;
}

const char *ckp_mip_status_str(ckp_mip_status s)
{
    switch (s) {
    case CKP_MIP_OPTIMAL: return "optimal";
    case CKP_MIP_FEASIBLE: return "feasible";
    case CKP_MIP_INFEASIBLE: return "infeasible";
    case CKP_MIP_NO_SOLUTION: return "no solution";
    case CKP_MIP_ERROR: return "error";
    }
    return "unknown";
}

void ckp_solution_free(ckp_solution *s)
{
    if (!s) return;
    ckp_free(s->x);
    ckp_free(s->root_dj);
    ckp_free(s);
}

const char *ckp_solver_version(void)
{
    return glp_version();
}

/* ------------------------------------------------------------------ */
/* The guard: hooks, captured messages, state reachable after longjmp  */

typedef struct glpk_ctx {
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
} glpk_ctx;

static double elapsed(const glpk_ctx *c)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - c->t0.tv_sec) +
           (double)(t.tv_nsec - c->t0.tv_nsec) * 1e-9;
}

static int term_hook(void *info, const char *s)
{
    glpk_ctx *c = info;
    size_t len = strlen(s);
    if (glp_at_error()) { /* GLPK's fatal message: lines joined by "; " */
        size_t n = len;
        while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ')) n--;
        if (n > 0 && c->fatal_len + 1 < sizeof c->fatal) {
            int w = snprintf(c->fatal + c->fatal_len, sizeof c->fatal - c->fatal_len,
                             "%s%.*s", c->fatal_len ? "; " : "", (int)n, s);
            if (w > 0) c->fatal_len += (size_t)w;
            if (c->fatal_len >= sizeof c->fatal) c->fatal_len = sizeof c->fatal - 1;
        }
    } else if (len > 1) {
        snprintf(c->last, sizeof c->last, "%s", s);
    }
    if (c->verbose) fputs(s, stderr);
    return 1; /* swallowed: GLPK never writes to stdout itself */
}

static void error_hook(void *info)
{
    glpk_ctx *c = info;
    longjmp(c->jb, 1);
}

static void ctx_release(glpk_ctx *c)
{
    if (!c) return;
    ckp_free(c->ia);
    ckp_free(c->ja);
    ckp_free(c->ar);
    ckp_free(c->heur_x);
    ckp_free(c->dive_x);
    ckp_free(c->node_x);
    ckp_free(c->node_lp);
    ckp_cover_sep_free(c->cover);
    ckp_free(c->cut_x);
    ckp_free(c);
}

/* The guard (top of this file), once for every entry point: installs the
 * hooks, runs fn(c, arg) and frees GLPK's environment.  After a GLPK
 * fatal error, glp_free_env() releases every GLPK object (never
 * glp_delete_prob: the state is undefined), c->caught is set and the
 * result is CKP_ESOLVER; the caller reports it.  Nothing here changes
 * after setjmp, so no local is clobbered by the longjmp. */
typedef ckp_status (*guarded_fn)(glpk_ctx *c, void *arg);

static ckp_status run_guarded(glpk_ctx *c, guarded_fn fn, void *arg)
{
    glp_term_hook(term_hook, c);
    glp_error_hook(error_hook, c);
    if (setjmp(c->jb)) {
        glp_free_env();
        c->caught = 1;
        return CKP_ESOLVER;
    }
    ckp_status st = fn(c, arg);
    glp_error_hook(NULL, NULL);
    glp_term_hook(NULL, NULL);
    glp_free_env();
    return st;
}

/* One line of text (newlines folded) for a diagnostic. */
static void one_line(char *s)
{
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ')) s[--n] = '\0';
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\n') s[i] = ';';
}

static void report_fatal(glpk_ctx *c, const char *what, ckp_diag_list *diag)
{
    one_line(c->fatal);
    ckp_diag_add(diag, CKP_SEV_ERROR, NULL, 0, "solver-fatal",
                 "GLPK fatal error during %s (caught, process continues): %s",
                 what, c->fatal_len ? c->fatal : "(no message)");
}

static int env_force_fatal(void)
{
    const char *v = getenv("CKP_DEBUG_GLPK_FATAL");
    return v && strcmp(v, "1") == 0;
}

/* GLPK rejects names longer than 255 characters or with control
 * characters through xerror: refuse them before GLPK sees them. */
static int name_ok(const char *s)
{
    if (!s) return 1;
    size_t n = strlen(s);
    if (n > 255) return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) return 0;
    return 1;
}

static ckp_status prevalidate(const ckp_mip *mip, ckp_diag_list *diag)
{
    char msg[512];
    ckp_status st = ckp_mip_check(mip, msg, (int)sizeof msg);
    if (st == CKP_ENOMEM) return st;
    if (st != CKP_OK) {
        ckp_diag_add(diag, CKP_SEV_ERROR, NULL, 0, "model-invalid",
                     "model rejected before GLPK: %s", msg);
        return CKP_EINTERNAL;
    }
    const char *bad = NULL;
    if (!name_ok(mip->name)) bad = "problem";
    for (int j = 0; !bad && j < mip->n_cols; j++)
        if (!name_ok(mip->col_name[j])) bad = mip->col_name[j];
    for (int i = 0; !bad && i < mip->n_rows; i++)
        if (!name_ok(mip->row_name[i])) bad = mip->row_name[i];
    if (bad) {
        ckp_diag_add(diag, CKP_SEV_ERROR, NULL, 0, "model-invalid",
                     "model rejected before GLPK: name '%.60s...' is longer than "
                     "255 characters or has control characters", bad);
        return CKP_EINTERNAL;
    }
    return CKP_OK;
}

/* ------------------------------------------------------------------ */
/* Loading                                                             */

static int bnd_type(double lb, double ub)
{
    int lo = lb != -INFINITY, up = ub != INFINITY;
    if (lo && up) return lb == ub ? GLP_FX : GLP_DB;
    if (lo) return GLP_LO;
    if (up) return GLP_UP;
    return GLP_FR;
}

static double fin(double v) { return isfinite(v) ? v : 0.0; }

/* Builds P from mip; CKP_OK, CKP_ENOMEM or CKP_EINTERNAL (duplicate or
 * out-of-range entries; ckp_mip_check should have caught them). */
static ckp_status load_prob(glpk_ctx *c, glp_prob *P, const ckp_mip *m,
                            int force_fatal, ckp_diag_list *diag)
{
    if (m->name && m->name[0]) glp_set_prob_name(P, m->name);
    glp_set_obj_name(P, "objective");
    glp_set_obj_dir(P, GLP_MIN);
    if (m->n_rows > 0) glp_add_rows(P, m->n_rows);
    for (int i = 0; i < m->n_rows; i++) {
        if (m->row_name[i] && m->row_name[i][0])
            glp_set_row_name(P, i + 1, m->row_name[i]);
        glp_set_row_bnds(P, i + 1, bnd_type(m->row_lb[i], m->row_ub[i]),
                         fin(m->row_lb[i]), fin(m->row_ub[i]));
    }
    if (m->n_cols > 0) glp_add_cols(P, m->n_cols);
    for (int j = 0; j < m->n_cols; j++) {
        if (m->col_name[j] && m->col_name[j][0])
            glp_set_col_name(P, j + 1, m->col_name[j]);
        /* GLP_IV then the bounds: GLP_BV would reset them to [0, 1] and
         * lose binaries fixed by the builder. */
        if (m->col_kind[j] == CKP_COL_BINARY) glp_set_col_kind(P, j + 1, GLP_IV);
        glp_set_col_bnds(P, j + 1, bnd_type(m->col_lb[j], m->col_ub[j]),
                         fin(m->col_lb[j]), fin(m->col_ub[j]));
        glp_set_obj_coef(P, j + 1, m->obj[j]);
    }
    glp_set_obj_coef(P, 0, m->obj_const);

    size_t ne = (size_t)m->nnz + 1;
    c->ia = ckp_malloc(ne * sizeof *c->ia);
    c->ja = ckp_malloc(ne * sizeof *c->ja);
    c->ar = ckp_malloc(ne * sizeof *c->ar);
    if (!c->ia || !c->ja || !c->ar) return CKP_ENOMEM;
    c->ia[0] = c->ja[0] = 0;
    c->ar[0] = 0.0;
    for (int k = 0; k < m->nnz; k++) {
        c->ia[k + 1] = m->ia[k] + 1;
        c->ja[k + 1] = m->ja[k] + 1;
        c->ar[k + 1] = m->ar[k];
    }
    int dup = glp_check_dup(m->n_rows, m->n_cols, m->nnz, c->ia, c->ja);
    if (dup != 0) {
        int k = dup < 0 ? -dup : dup;
        ckp_diag_add(diag, CKP_SEV_ERROR, NULL, 0, "model-invalid",
                     "matrix entry %d (row %d, column %d) is %s", k - 1,
                     c->ia[k] - 1, c->ja[k] - 1,
                     dup < 0 ? "out of range" : "a duplicate");
        return CKP_EINTERNAL;
    }
    glp_load_matrix(P, m->nnz, c->ia, c->ja, c->ar);
    ckp_free(c->ia);
    ckp_free(c->ja);
    ckp_free(c->ar);
    c->ia = c->ja = NULL;
    c->ar = NULL;
    if (force_fatal) /* test hook: a real xerror ("column number out of range") */
        glp_set_col_kind(P, m->n_cols + 1, GLP_IV);
    return CKP_OK;
}

/* ------------------------------------------------------------------ */
/* Branch-and-cut callback                                             */

static double mip_gap_of(double obj, double bound)
{
    return fabs(obj - bound) / (fabs(obj) + DBL_EPSILON);
}

static void print_progress(glpk_ctx *c, glp_tree *T, double now)
{
    glp_prob *P = glp_ios_get_prob(T);
    int feas = glp_mip_status(P) == GLP_FEAS || glp_mip_status(P) == GLP_OPT;
    double obj = feas ? glp_mip_obj_val(P) : NAN;
    char inc[32], bnd[32], gap[32];
    if (feas) snprintf(inc, sizeof inc, "%.6g", obj);
    else snprintf(inc, sizeof inc, "-");
    if (c->have_bound) snprintf(bnd, sizeof bnd, "%.6g", c->bound);
    else snprintf(bnd, sizeof bnd, "-");
    if (feas && c->have_bound)
        snprintf(gap, sizeof gap, "%.2f%%",
                 100.0 * mip_gap_of(obj, c->bound < obj ? c->bound : obj));
    else snprintf(gap, sizeof gap, "-");
    fprintf(stderr, "chokepoint: incumbent %s  bound %s  gap %s  nodes %ld  %.1f s\n",
            inc, bnd, gap, c->nodes, now);
}

/* The restricted MIP (heuristic.c, steps 1 and 3) from the LP of the
 * current node, offered when it finds a point (GLPK keeps it only when it
 * beats the incumbent).  Periodic by GLP_IHEUR count, so deterministic. */
static void node_heuristic(glpk_ctx *c, glp_tree *T)
{
    const ckp_mip *m = c->mip;
    glp_prob *Pt = glp_ios_get_prob(T);
    c->node_runs++;
    for (int j = 0; j < m->n_cols; j++) c->node_lp[j] = glp_get_col_prim(Pt, j + 1);
    double budget = 0.0;
    if (c->params->time_limit > 0.0) {
        budget = NODE_HEUR_SHARE * (c->params->time_limit - elapsed(c));
        if (budget <= 0.01) return;
    }
    ckp_dive_result r;
    if (ckp_glpk_dive(c->orig, m, c->node_lp, budget, 0, CKP_HEUR_RESTRICTED,
                      c->verbose, c->node_x,
                      &r) != CKP_OK || !r.found)
        return;
    if (glp_ios_heur_sol(T, c->node_x) == 0) c->node_found++;
}

/* 1 when the incumbent (if any) is more than NODE_HEUR_ROOT_GAP above the
 * LP bound of the current node (relative). */
static int root_gap_large(glp_tree *T)
{
    glp_prob *Pt = glp_ios_get_prob(T);
    int ms = glp_mip_status(Pt);
    if (ms != GLP_FEAS && ms != GLP_OPT) return 1;
    double inc = glp_mip_obj_val(Pt), lp = glp_get_obj_val(Pt);
    return inc - lp > NODE_HEUR_ROOT_GAP * (fabs(inc) + DBL_EPSILON);
}

static void callback(glp_tree *T, void *info)
{
    glpk_ctx *c = info;
    int reason = glp_ios_reason(T);
    if (reason == GLP_IPREPRO && c->mir_depth_limited) {
        /* GLPK 5.0 keeps a pointer to the caller's glp_iocp and reads
         * mir_cuts at every round of cuts (its MIR generator is set up at
         * the root, so switching it back on is safe): MIR cuts at the nodes
         * of depth < MIR_MAX_LEVEL only.  Were a GLPK version to copy the
         * parameters instead, this would only leave MIR cuts on everywhere
         * (the previous default). */
        int lev = glp_ios_node_level(T, glp_ios_curr_node(T));
        c->io->mir_cuts = lev < MIR_MAX_LEVEL ? GLP_ON : GLP_OFF;
    }
    if (reason == GLP_ICUTGEN && c->cover) {
        /* every node: the violated covers appear deep in the tree, where
         * the budget rows bind (docs/solver.md §5) */
        glp_prob *Pt = glp_ios_get_prob(T);
        for (int j = 0; j < c->mip->n_cols; j++) c->cut_x[j] = glp_get_col_prim(Pt, j + 1);
        ckp_cover_separate(c->cover, T, c->cut_x);
    }
    int a_cnt = 0, n_cnt = 0, t_cnt = 0;
    glp_ios_tree_size(T, &a_cnt, &n_cnt, &t_cnt);
    c->nodes = t_cnt;
    double now = elapsed(c);
    if (c->params->known_bound_set && !c->bound_stop) {
        /* the incumbent (offered ones included, at the next call) is as
           good as the caller's lower bound: optimal, stop */
        glp_prob *Pt = glp_ios_get_prob(T);
        int ms = glp_mip_status(Pt);
        double kb = c->params->known_bound;
        if ((ms == GLP_FEAS || ms == GLP_OPT) &&
            glp_mip_obj_val(Pt) <= kb + KNOWN_BOUND_TOL * fmax(1.0, fabs(kb))) {
            c->bound_stop = 1;
            glp_ios_terminate(T);
        }
    }
    if (c->params->node_limit > 0 && c->nodes >= c->params->node_limit && !c->node_stop &&
        !c->bound_stop) {
        c->node_stop = 1;
        glp_ios_terminate(T);
    }

    if (reason == GLP_IHEUR && !c->offered) {
        /* the dive's point first: the greedy one is then accepted only
         * when it is better */
        c->offered = 1;
        if (c->dive_x) glp_ios_heur_sol(T, c->dive_x);
        if (c->heur_x && glp_ios_heur_sol(T, c->heur_x) == 0) c->heuristic_used = 1;
    } else if (reason == GLP_IHEUR && c->orig) {
        c->iheur_calls++;
        if (c->root_runs < NODE_HEUR_ROOT &&
            glp_ios_node_level(T, glp_ios_curr_node(T)) == 0 && root_gap_large(T)) {
            /* the root LP after a round of cuts */
            c->root_runs++;
            node_heuristic(c, T);
        } else if (c->iheur_calls % NODE_HEUR_PERIOD == 0 &&
                   c->node_runs - c->root_runs < NODE_HEUR_MAX) {
            node_heuristic(c, T);
        }
    }
    if (reason == GLP_IBINGO || a_cnt <= BOUND_SCAN_ACTIVE ||
        now - c->last_bound >= BOUND_PERIOD) {
        int b = glp_ios_best_node(T);
        if (b) {
            double v = glp_ios_node_bound(T, b);
            if (v > -DBL_MAX / 2) {
                c->bound = v;
                c->have_bound = 1;
            }
        }
        c->last_bound = now;
    }
    if (c->params->on_progress && (!c->notified || now - c->last_notify >= PROGRESS_PERIOD)) {
        c->notified = 1;
        c->last_notify = now;
        glp_prob *Pt = glp_ios_get_prob(T);
        int feas = glp_mip_status(Pt) == GLP_FEAS || glp_mip_status(Pt) == GLP_OPT;
        c->params->on_progress(c->params->on_progress_ctx, feas ? glp_mip_obj_val(Pt) : NAN,
                               c->have_bound ? c->bound : NAN, c->nodes);
    }
    if (c->params->progress && (!c->printed || now - c->last_print >= PROGRESS_PERIOD)) {
        c->printed = 1;
        c->last_print = now;
        print_progress(c, T, now);
    }
}

/* ------------------------------------------------------------------ */
/* Solving                                                             */

static int remaining_ms(glpk_ctx *c)
{
    double lim = c->params->time_limit;
    if (lim <= 0.0) return INT_MAX;
    double left = lim - elapsed(c);
    if (left <= 0.001) return 1;
    double ms = ceil(left * 1000.0);
    return ms >= (double)INT_MAX ? INT_MAX : (int)ms;
}

/* Complete the greedy incumbent: binaries fixed at the given 0/1 values,
 * the LP of the continuous columns solved on the exact reduction of the
 * model under those fixings (reduce.h: only the live part, so the LP is
 * small).  Leaves c->heur_x NULL when the vector does not fit the model or
 * the LP is not optimal. */
static ckp_status complete_incumbent(glpk_ctx *c, const ckp_mip *m, const double *inc)
{
    for (int j = 0; j < m->n_cols; j++) {
        if (m->col_kind[j] != CKP_COL_BINARY) continue;
        double v = inc[j];
        if (!(v == 0.0 || v == 1.0) || v < m->col_lb[j] || v > m->col_ub[j])
            return CKP_OK; /* not a usable 0/1 choice: do not offer */
    }
    size_t n = (size_t)m->n_cols + 1;
    double *lb = ckp_malloc(n * sizeof *lb);
    double *ub = ckp_malloc(n * sizeof *ub);
    c->heur_x = ckp_malloc(n * sizeof *c->heur_x);
    ckp_reduced red;
    memset(&red, 0, sizeof red);
    ckp_status st = CKP_ENOMEM;
    if (!lb || !ub || !c->heur_x) goto out;
    for (int j = 0; j < m->n_cols; j++) {
        int bin = m->col_kind[j] == CKP_COL_BINARY;
        lb[j] = bin ? inc[j] : m->col_lb[j];
        ub[j] = bin ? inc[j] : m->col_ub[j];
    }
    st = ckp_reduce(m, lb, ub, NULL, REDUCE_TOL, &red);
    if (st != CKP_OK) goto out;
    int ok = 0;
    if (!red.infeasible) {
        glp_smcp sm;
        glp_init_smcp(&sm);
        sm.msg_lev = c->verbose ? GLP_MSG_ALL : GLP_MSG_ERR;
        sm.meth = GLP_DUALP;
        sm.tm_lim = remaining_ms(c);
        int ret = glp_simplex(red.R, &sm);
        ok = ret == 0 && glp_get_status(red.R) == GLP_OPT;
    }
    if (ok) {
        ckp_reduced_values(&red, 0, c->heur_x + 1);
        c->heur_x[0] = 0.0;
        for (int j = 0; j < m->n_cols; j++)
            if (m->col_kind[j] == CKP_COL_BINARY) c->heur_x[j + 1] = inc[j];
        c->heuristic_objective = glp_get_obj_val(red.R);
    } else {
        ckp_free(c->heur_x);
        c->heur_x = NULL;
    }
out:
    ckp_reduced_free(&red);
    ckp_free(lb);
    ckp_free(ub);
    return st;
}

/* 1 when some binary column is fractional in the LP optimum of P. */
static int lp_fractional(glp_prob *P, const ckp_mip *m)
{
    for (int j = 0; j < m->n_cols; j++) {
        if (m->col_kind[j] != CKP_COL_BINARY) continue;
        double v = glp_get_col_prim(P, j + 1);
        if (fabs(v - floor(v + 0.5)) > 1e-9) return 1;
    }
    return 0;
}

/* 1 when the model has at least KNAP_CONT_RATIO continuous columns per
 * binary: the two-stage models with scenarios, where every scenario has
 * its own production columns, and the bundled plan (the default switch of
 * the cover cuts; the generated plans without scenarios have about 0.7
 * and the cuts cost them nodes, docs/solver.md §5). */
static int two_stage(const ckp_mip *m)
{
    int nb = ckp_mip_n_binary(m);
    return nb > 0 && (double)(m->n_cols - nb) >= KNAP_CONT_RATIO * (double)nb;
}

/* The LP dive (heuristic.c) from the root LP; c->dive_x when it finds a
 * point.  Its time is bounded by a share of what is left of time_limit. */
static ckp_status run_dive(glpk_ctx *c, glp_prob *P, const ckp_mip *m)
{
    if (!lp_fractional(P, m)) return CKP_OK;
    double budget = 0.0;
    if (c->params->time_limit > 0.0) {
        budget = DIVE_SHARE * (c->params->time_limit - elapsed(c));
        if (budget <= 0.001) return CKP_OK;
    }
    c->dive_x = ckp_malloc(((size_t)m->n_cols + 1) * sizeof *c->dive_x);
    if (!c->dive_x) return CKP_ENOMEM;
    ckp_status st = ckp_glpk_dive(P, m, NULL, budget, DIVE_POLISH_NODES, CKP_HEUR_ALL,
                                  c->verbose, c->dive_x, &c->dive);
    if (st == CKP_OK) {
        /* for the periodic runs from node LPs during glp_intopt */
        c->node_x = ckp_malloc(((size_t)m->n_cols + 1) * sizeof *c->node_x);
        c->node_lp = ckp_malloc(((size_t)m->n_cols + 1) * sizeof *c->node_lp);
        if (!c->node_x || !c->node_lp) return CKP_ENOMEM;
        c->orig = glp_create_prob();
        glp_copy_prob(c->orig, P, GLP_OFF);
    }
    if (st != CKP_OK || !c->dive.found) {
        ckp_free(c->dive_x);
        c->dive_x = NULL;
    }
    return st;
}

static ckp_status unbounded(ckp_diag_list *diag)
{
    ckp_diag_add(diag, CKP_SEV_ERROR, NULL, 0, "solver-unbounded",
                 "GLPK: the LP relaxation is unbounded (a model bug: every "
                 "column of chokepoint's model is bounded)");
    return CKP_ESOLVER;
}

static ckp_status solver_failed(glpk_ctx *c, const char *stage, int ret,
                                ckp_diag_list *diag)
{
    one_line(c->last);
    ckp_diag_add(diag, CKP_SEV_ERROR, NULL, 0, "solver-failed",
                 "GLPK %s failed with return code %d%s%s", stage, ret,
                 c->last[0] ? ": " : "", c->last);
    return CKP_ESOLVER;
}

/* Deletes the rows of P after the model's n_rows whose activity is basic
 * (not binding) or, with all = 1, every one of them. */
static void drop_cuts(glp_prob *P, int n_rows, int all, int *del)
{
    int mr = glp_get_num_rows(P), nd = 0;
    for (int i = n_rows + 1; i <= mr; i++)
        if (all || glp_get_row_stat(P, i) == GLP_BS) del[++nd] = i;
    if (nd > 0) glp_del_rows(P, nd, del);
}

/* Saved basis of P (every row and column) for a rollback of a round. */
typedef struct basis_save {
    int nr, nc, cap;
    int *stat; /* rows 1..nr then columns */
} basis_save;

static int basis_take(basis_save *b, glp_prob *P)
{
    int nr = glp_get_num_rows(P), nc = glp_get_num_cols(P);
    if (nr + nc + 1 > b->cap) {
        int *t = ckp_realloc(b->stat, (size_t)(nr + nc + 1) * sizeof *t);
        if (!t) return 0;
        b->stat = t;
        b->cap = nr + nc + 1;
    }
    b->nr = nr;
    b->nc = nc;
    for (int i = 1; i <= nr; i++) b->stat[i] = glp_get_row_stat(P, i);
    for (int j = 1; j <= nc; j++) b->stat[nr + j] = glp_get_col_stat(P, j);
    return 1;
}

/* Deletes the rows added after b was taken and puts b's basis back;
 * 0 when out of memory (P unchanged). */
static int basis_back(const basis_save *b, glp_prob *P)
{
    int mr = glp_get_num_rows(P), nd = 0;
    if (mr > b->nr) {
        int *del = ckp_malloc(((size_t)(mr - b->nr) + 1) * sizeof *del);
        if (!del) return 0;
        for (int i = b->nr + 1; i <= mr; i++) del[++nd] = i;
        glp_del_rows(P, nd, del);
        ckp_free(del);
    }
    for (int i = 1; i <= b->nr; i++) glp_set_row_stat(P, i, b->stat[i]);
    for (int j = 1; j <= b->nc; j++) glp_set_col_stat(P, j, b->stat[b->nr + j]);
    return 1;
}

/* Rounds of tableau MIR and two-step MIR cuts on the root LP of P (docs/
 * solver.md §5b), added as rows and re-solved with the dual simplex,
 * while a round raises the bound by ROOT_CUT_GAIN (relative) and, when
 * target is finite (an incumbent's objective), by ROOT_CUT_CLOSE of the
 * gap left to it.  A re-solve that fails or runs past its iteration cap
 * ends the rounds and that round is rolled back (its cuts deleted, the
 * basis before it restored and re-solved: the LP of the round before).
 * *failed = 1 when even that fails or time runs out (P's LP is then not
 * optimal).  CKP_ENOMEM also sets *failed. */
static ckp_status cut_rounds(glpk_ctx *c, glp_prob *P, double target,
                             ckp_solution *sol, int *failed)
{
    ckp_tmir_sep *s = NULL;
    basis_save b = {0, 0, 0, NULL};
    *failed = 0;
    ckp_status st = ckp_tmir_sep_new(&s);
    if (st != CKP_OK) {
        *failed = 1;
        return st;
    }
    glp_smcp ds;
    glp_init_smcp(&ds);
    ds.msg_lev = c->verbose ? GLP_MSG_ON : GLP_MSG_ERR;
    ds.meth = GLP_DUALP;
    double prev = glp_get_obj_val(P);
    for (int r = 0; r < ROOT_CUT_ROUNDS; r++) {
        if (!basis_take(&b, P)) {
            st = CKP_ENOMEM;
            *failed = 1;
            break;
        }
        int k = ckp_tmir_add_rows(s, P);
        if (k < 0) {
            st = CKP_ENOMEM;
            *failed = 1;
            break;
        }
        if (k == 0) break;
        ds.tm_lim = remaining_ms(c);
        if (ds.tm_lim <= 1) {
            *failed = 1; /* out of time */
            break;
        }
        int cap = ROOT_CUT_IT_PER_CUT * k;
        if (cap < ROOT_CUT_IT_MIN) cap = ROOT_CUT_IT_MIN;
        if (c->params->debug_root_it_cap > 0) cap = c->params->debug_root_it_cap;
        ds.it_lim = cap;
        int ret = glp_simplex(P, &ds);
        if (ret != 0 || glp_get_status(P) != GLP_OPT) {
            /* back to the LP of the round before */
            if (!basis_back(&b, P)) {
                st = CKP_ENOMEM;
                *failed = 1;
                break;
            }
            sol->root_cut_rollback = 1;
            ds.it_lim = INT_MAX;
            ds.tm_lim = remaining_ms(c);
            ret = glp_simplex(P, &ds);
            if (ret != 0 || glp_get_status(P) != GLP_OPT) *failed = 1;
            break;
        }
        double now = glp_get_obj_val(P);
        double need = ROOT_CUT_GAIN * (1.0 + fabs(prev));
        if (isfinite(target) && target > prev && ROOT_CUT_CLOSE * (target - prev) > need)
            need = ROOT_CUT_CLOSE * (target - prev);
        sol->root_cut_rounds = r + 1;
        if (now - prev < need) break;
        prev = now;
    }
    sol->root_cuts_added = (int)ckp_tmir_count(s);
    ckp_tmir_sep_free(s);
    ckp_free(b.stat);
    return st;
}

/* Deletes the cuts (every row after the model's n_rows, or only the basic
 * ones with all = 0) and re-solves P; with all = 1 the root basis in saved
 * (taken before the rounds; NULL: a standard basis) is restored first, so
 * the LP is that of the model again. */
static ckp_status remove_cuts(glpk_ctx *c, glp_prob *P, const ckp_mip *m, int all,
                              const basis_save *saved, ckp_solution *sol,
                              ckp_diag_list *diag)
{
    if (all && saved) {
        if (!basis_back(saved, P)) return CKP_ENOMEM;
    } else {
        int *del = ckp_malloc(((size_t)glp_get_num_rows(P) + 1) * sizeof *del);
        if (!del) return CKP_ENOMEM;
        drop_cuts(P, m->n_rows, all, del);
        ckp_free(del);
        if (all) glp_std_basis(P);
    }
    sol->root_cuts_kept = glp_get_num_rows(P) - m->n_rows;
    glp_smcp ds;
    glp_init_smcp(&ds);
    ds.msg_lev = c->verbose ? GLP_MSG_ON : GLP_MSG_ERR;
    ds.meth = GLP_DUALP;
    /* the basis stays optimal when only basic rows went or the saved one
     * is back (no iteration); otherwise this solves the LP without cuts
     * again, which succeeded once: no time limit here */
    int ret = glp_simplex(P, &ds);
    if (ret != 0 && all && saved) {
        glp_std_basis(P);
        ret = glp_simplex(P, &ds);
    }
    if (ret != 0 || glp_get_status(P) != GLP_OPT)
        return solver_failed(c, "glp_simplex (root cuts)", ret, diag);
    return CKP_OK;
}

/* Root cuts, mode "on": the rounds, then only the binding cuts stay (they
 * are valid for the whole model: P has the model's bounds); after a
 * failure every cut goes. */
static ckp_status root_cuts(glpk_ctx *c, glp_prob *P, const ckp_mip *m,
                            ckp_solution *sol, ckp_diag_list *diag)
{
    int failed = 0;
    ckp_status st = cut_rounds(c, P, INFINITY, sol, &failed);
    ckp_status st2 = remove_cuts(c, P, m, failed, NULL, sol, diag);
    return st != CKP_OK ? st : st2;
}

/* Root cuts, mode "proof" (docs/solver.md §5b), after the heuristics ran
 * on the plain root LP and only when they found a point the LP bound does
 * not already prove: the rounds (each must close ROOT_CUT_CLOSE of the gap
 * left to that point), then, when they closed ROOT_PROOF_DIVE of it, the
 * LP heuristic's restricted MIP from the cut LP's point.  When the cut
 * bound then reaches the best point, the second run's included
 * (ROOT_PROOF_TOL, or the relative gap asked for), the binding cuts stay,
 * that point is offered and GLPK's root completes the proof; otherwise
 * every cut goes, the root LP's basis is restored and only the first
 * point is offered, so the search is exactly the one without root cuts
 * (a better second point changed GLPK's tree for the worse: 5,815 ->
 * 7,743 nodes on a 300-project scenario plan, docs/performance.md). */
static ckp_status root_proof(glpk_ctx *c, glp_prob *P, const ckp_mip *m,
                             ckp_solution *sol, ckp_diag_list *diag)
{
    double best = INFINITY;
    if (c->dive_x) best = c->dive.objective;
    if (c->heur_x && c->heuristic_objective < best) best = c->heuristic_objective;
    double tol = ROOT_PROOF_TOL > c->params->mip_gap ? ROOT_PROOF_TOL : c->params->mip_gap;
    double lp0 = glp_get_obj_val(P);
    if (!isfinite(best) || !lp_fractional(P, m) || best - lp0 <= tol * (1.0 + fabs(best)))
        return CKP_OK; /* nothing to prove, or the root LP proves it */
    basis_save root = {0, 0, 0, NULL};
    double *x = ckp_malloc(((size_t)m->n_cols + 1) * sizeof *x);
    ckp_status st = CKP_ENOMEM;
    if (!x || !basis_take(&root, P)) goto out;
    int failed = 0;
    st = cut_rounds(c, P, best, sol, &failed);
    int keep = 0, second = 0;
    double second_obj = INFINITY, lp1 = glp_get_obj_val(P);
    if (st == CKP_OK && !failed && c->orig && lp_fractional(P, m) &&
        lp1 - lp0 >= ROOT_PROOF_DIVE * (best - lp0) &&
        best - lp1 > tol * (1.0 + fabs(best))) {
        /* the restricted MIP from the cut LP's point, on the model
         * without cuts (c->orig and c->node_lp exist with it: as the runs
         * from node LPs) */
        double budget = 0.0;
        int run = 1;
        if (c->params->time_limit > 0.0) {
            budget = DIVE_SHARE * (c->params->time_limit - elapsed(c));
            run = budget > 0.001;
        }
        ckp_dive_result r;
        for (int j = 0; j < m->n_cols; j++) c->node_lp[j] = glp_get_col_prim(P, j + 1);
        if (run) {
            st = ckp_glpk_dive(c->orig, m, c->node_lp, budget, 0, CKP_HEUR_RESTRICTED,
                               c->verbose, x, &r);
            c->dive.seconds += r.seconds; /* both runs */
            c->dive.lps += r.lps;
            second = st == CKP_OK && r.found && r.objective < best;
            if (second) second_obj = r.objective;
        }
    }
    double inc = second ? second_obj : best;
    if (st == CKP_OK && !failed)
        keep = inc - glp_get_obj_val(P) <= tol * (1.0 + fabs(inc));
    if (keep && second) {
        /* the proven point; otherwise the search gets the first one only,
         * as without root cuts */
        if (!c->dive_x) {
            c->dive_x = x;
            x = NULL;
        } else {
            memcpy(c->dive_x, x, ((size_t)m->n_cols + 1) * sizeof *c->dive_x);
        }
        c->dive.found = 1;
        c->dive.objective = second_obj;
    }
    ckp_status st2 = remove_cuts(c, P, m, !keep, &root, sol, diag);
    if (st == CKP_OK) st = st2;
out:
    ckp_free(root.stat);
    ckp_free(x);
    return st;
}

/* 1 when m has binaries and every one of them is fixed (lb = ub): the
 * MIP is an LP in the continuous columns. */
static int binaries_all_fixed(const ckp_mip *m)
{
    int nb = 0;
    for (int j = 0; j < m->n_cols; j++) {
        if (m->col_kind[j] != CKP_COL_BINARY) continue;
        if (m->col_lb[j] != m->col_ub[j]) return 0;
        nb++;
    }
    return nb > 0;
}

/* Every binary fixed: the LP of the rest on the exact reduction of the
 * model (reduce.h), a few hundred rows where the model has thousands (the
 * post-solve LPs of ckp_run).  *handled = 0 when GLPK fails on it (the
 * caller then solves the full model as usual). */
static ckp_status solve_fixed(glpk_ctx *c, const ckp_mip *m, ckp_solution *sol,
                              int *handled, ckp_diag_list *diag)
{
    *handled = 0;
    ckp_reduced red;
    ckp_status st = ckp_reduce(m, m->col_lb, m->col_ub, NULL, REDUCE_TOL, &red);
    if (st != CKP_OK) return st;
    if (red.infeasible) {
        sol->status = CKP_MIP_INFEASIBLE;
        sol->glpk_ret = 0;
        sol->glpk_status = GLP_NOFEAS;
        *handled = 1;
        goto out;
    }
    glp_smcp sm;
    glp_init_smcp(&sm);
    sm.msg_lev = c->verbose ? GLP_MSG_ALL : GLP_MSG_ERR;
    sm.tm_lim = remaining_ms(c);
    int ret = glp_simplex(red.R, &sm);
    if (ret == GLP_ETMLIM || ret == GLP_EITLIM) {
        sol->glpk_ret = ret;
        sol->status = CKP_MIP_NO_SOLUTION;
        sol->limit = CKP_LIMIT_TIME;
        *handled = 1;
        goto out;
    }
    if (ret != 0) goto out;
    int lp = glp_get_status(red.R);
    if (lp == GLP_NOFEAS) {
        sol->status = CKP_MIP_INFEASIBLE;
        sol->glpk_ret = 0;
        sol->glpk_status = GLP_NOFEAS;
        *handled = 1;
    } else if (lp == GLP_UNBND) {
        st = unbounded(diag);
        *handled = 1;
    } else if (lp == GLP_OPT) {
        sol->x = ckp_malloc((size_t)(m->n_cols > 0 ? m->n_cols : 1) * sizeof *sol->x);
        if (!sol->x) {
            st = CKP_ENOMEM;
            goto out;
        }
        ckp_reduced_values(&red, 0, sol->x);
        for (int j = 0; j < m->n_cols; j++)
            if (m->col_kind[j] == CKP_COL_BINARY) sol->x[j] = m->col_lb[j];
        sol->status = CKP_MIP_OPTIMAL;
        sol->glpk_ret = 0;
        sol->glpk_status = GLP_OPT;
        sol->objective = glp_get_obj_val(red.R);
        sol->bound = sol->objective;
        sol->gap = 0.0;
        *handled = 1;
    }
out:
    ckp_reduced_free(&red);
    return st;
}

/* Everything that calls GLPK during a solve.  Runs under the guard:
 * may never return (longjmp to ckp_solve). */
typedef struct solve_args {
    const ckp_mip *m;
    const ckp_solve_params *prm;
    const double *inc;
    ckp_solution *sol;
    int force_fatal;
    ckp_diag_list *diag;
} solve_args;

/* The root LP's objective and the reduced costs of its non-basic binary
 * columns (ckp_solution.root_lp, root_dj). */
static ckp_status keep_root_dj(glp_prob *P, const ckp_mip *m, ckp_solution *sol)
{
    sol->root_dj = ckp_calloc((size_t)m->n_cols + 1, sizeof *sol->root_dj);
    if (!sol->root_dj) return CKP_ENOMEM;
    sol->root_lp = glp_get_obj_val(P);
    for (int j = 0; j < m->n_cols; j++) {
        if (m->col_kind[j] != CKP_COL_BINARY) continue;
        int stat = glp_get_col_stat(P, j + 1);
        if (stat == GLP_NL || stat == GLP_NU) sol->root_dj[j] = glp_get_col_dual(P, j + 1);
    }
    return CKP_OK;
}

static ckp_status solve_guarded(glpk_ctx *c, void *arg)
{
    const solve_args *a = arg;
    const ckp_mip *m = a->m;
    const ckp_solve_params *prm = a->prm;
    const double *inc = a->inc;
    ckp_solution *sol = a->sol;
    int force_fatal = a->force_fatal;
    ckp_diag_list *diag = a->diag;
    ckp_status st = CKP_OK;
    glp_prob *P = glp_create_prob();
    CKP_TRY_GOTO(st, load_prob(c, P, m, force_fatal, diag), done);
    if (!prm->presolve && binaries_all_fixed(m)) {
        int handled = 0;
        CKP_TRY_GOTO(st, solve_fixed(c, m, sol, &handled, diag), done);
        if (handled) goto done;
    }

    glp_smcp sm;
    glp_init_smcp(&sm);
    sm.msg_lev = c->verbose ? GLP_MSG_ALL : GLP_MSG_ERR;
    sm.tm_lim = remaining_ms(c);
    int ret = glp_simplex(P, &sm);
    sol->glpk_ret = ret;
    if (ret == GLP_ETMLIM || ret == GLP_EITLIM) {
        sol->status = CKP_MIP_NO_SOLUTION;
        sol->limit = CKP_LIMIT_TIME;
        goto done;
    }
    if (ret != 0) {
        st = solver_failed(c, "glp_simplex", ret, diag);
        goto done;
    }
    int lp = glp_get_status(P);
    if (lp == GLP_NOFEAS) {
        sol->status = CKP_MIP_INFEASIBLE;
        sol->glpk_status = GLP_NOFEAS;
        goto done;
    }
    if (lp == GLP_UNBND) {
        st = unbounded(diag);
        goto done;
    }
    if (lp != GLP_OPT) {
        st = solver_failed(c, "glp_simplex (status)", lp, diag);
        goto done;
    }
    CKP_TRY_GOTO(st, keep_root_dj(P, m, sol), done);
    int rc = prm->presolve ? CKP_ROOT_CUTS_OFF
             : prm->root_cuts < 0 ? DEFAULT_ROOT_CUTS
                                  : prm->root_cuts;
    if (rc == CKP_ROOT_CUTS_ON) CKP_TRY_GOTO(st, root_cuts(c, P, m, sol, diag), done);

    if (inc && !prm->no_heuristic && !prm->presolve)
        CKP_TRY_GOTO(st, complete_incumbent(c, m, inc), done);
    if (!prm->no_lp_heuristic && !prm->presolve)
        CKP_TRY_GOTO(st, run_dive(c, P, m), done);
    if (rc == CKP_ROOT_CUTS_PROOF) CKP_TRY_GOTO(st, root_proof(c, P, m, sol, diag), done);
    c->bound = glp_get_obj_val(P);
    c->have_bound = 1;

    glp_iocp io;
    glp_init_iocp(&io);
    io.msg_lev = c->verbose ? GLP_MSG_ALL : GLP_MSG_ERR;
    io.br_tech = prm->branching ? prm->branching : DEFAULT_BRANCHING;
    io.mir_cuts = (prm->mir_cuts < 0 ? DEFAULT_MIR : prm->mir_cuts) ? GLP_ON : GLP_OFF;
    io.clq_cuts = (prm->clique_cuts < 0 ? DEFAULT_CLIQUE : prm->clique_cuts) ? GLP_ON
                                                                          : GLP_OFF;
    io.presolve = prm->presolve ? GLP_ON : GLP_OFF;
#define OPT(v, d) (((v) < 0 ? (d) : (v)) ? GLP_ON : GLP_OFF)
    /* the pump only looks for a first incumbent: by default it runs only
     * when the LP heuristic found none (docs/solver.md §5) */
    io.fp_heur = OPT(prm->fp_heur, c->dive_x ? 0 : DEFAULT_FP);
    io.gmi_cuts = OPT(prm->gmi_cuts, DEFAULT_GMI);
    io.cov_cuts = OPT(prm->cov_cuts, DEFAULT_COV);
    io.ps_heur = OPT(prm->ps_heur, DEFAULT_PS);
#undef OPT
    io.mip_gap = prm->mip_gap;
    io.tm_lim = remaining_ms(c);
    /* proximity search stays off; if ever enabled, its own time limit is
     * not bounded by tm_lim: cap it to a fifth of the remaining time */
    io.ps_tm_lim = io.tm_lim / 5 > 0 ? io.tm_lim / 5 : 1;
    if (io.ps_tm_lim > 60000) io.ps_tm_lim = 60000;
    io.cb_func = callback;
    io.cb_info = c;
    /* MIR cuts by default only near the root (see callback) */
    c->io = &io;
    c->mir_depth_limited = prm->mir_cuts < 0 && io.mir_cuts == GLP_ON;
    /* not with GLPK's presolver: the tree then works on a renumbered
     * problem, and the cuts are written in the model's columns */
    if (!prm->presolve && (prm->knap_cuts < 0 ? two_stage(m) : prm->knap_cuts)) {
        CKP_TRY_GOTO(st, ckp_cover_sep_new(m, &c->cover), done);
        if (c->cover) {
            c->cut_x = ckp_malloc(((size_t)m->n_cols + 1) * sizeof *c->cut_x);
            if (!c->cut_x) {
                st = CKP_ENOMEM;
                goto done;
            }
        }
    }
    ret = glp_intopt(P, &io);
    int ms = glp_mip_status(P);
    sol->glpk_ret = ret;
    sol->glpk_status = ms;
    int have = ms == GLP_OPT || ms == GLP_FEAS;

    switch (ret) {
    case 0:
        sol->status = ms == GLP_OPT    ? CKP_MIP_OPTIMAL
                      : ms == GLP_FEAS ? CKP_MIP_FEASIBLE
                                       : CKP_MIP_INFEASIBLE;
        break;
    case GLP_EMIPGAP:
        sol->status = have ? CKP_MIP_OPTIMAL : CKP_MIP_NO_SOLUTION;
        sol->gap_stopped = have;
        break;
    case GLP_ESTOP:
        if (c->bound_stop && have) { /* optimal by the caller's bound */
            sol->status = CKP_MIP_OPTIMAL;
            sol->known_bound_reached = 1;
            break;
        }
        /* fall through */
    case GLP_ETMLIM:
    case GLP_EITLIM:
        sol->status = have ? CKP_MIP_FEASIBLE : CKP_MIP_NO_SOLUTION;
        sol->limit = c->node_stop ? CKP_LIMIT_NODES
                     : ret == GLP_ETMLIM ? CKP_LIMIT_TIME : CKP_LIMIT_NONE;
        break;
    case GLP_ENOPFS:
        sol->status = CKP_MIP_INFEASIBLE;
        have = 0;
        break;
    case GLP_ENODFS:
        st = unbounded(diag);
        goto done;
    case GLP_EFAIL:
        if (have) {
            sol->status = CKP_MIP_FEASIBLE;
            one_line(c->last);
            ckp_diag_add(diag, CKP_SEV_WARNING, NULL, 0, "solver-failed",
                         "GLPK glp_intopt stopped early (return code %d%s%s); "
                         "the incumbent is feasible but not proven optimal",
                         ret, c->last[0] ? ": " : "", c->last);
            break;
        }
        st = solver_failed(c, "glp_intopt", ret, diag);
        goto done;
    default:
        st = solver_failed(c, "glp_intopt", ret, diag);
        goto done;
    }

    if (have) {
        sol->objective = glp_mip_obj_val(P);
        sol->x = ckp_malloc((size_t)(m->n_cols > 0 ? m->n_cols : 1) * sizeof *sol->x);
        if (!sol->x) {
            st = CKP_ENOMEM;
            goto done;
        }
        for (int j = 0; j < m->n_cols; j++) sol->x[j] = glp_mip_col_val(P, j + 1);
        if (sol->status == CKP_MIP_OPTIMAL && !sol->gap_stopped) {
            sol->bound = sol->objective;
            sol->gap = 0.0;
        } else {
            double b = c->have_bound ? c->bound : -INFINITY;
            if (b > sol->objective) b = sol->objective;
            sol->bound = b;
            sol->gap = isfinite(b) ? mip_gap_of(sol->objective, b) : INFINITY;
        }
    } else {
        sol->bound = c->have_bound ? c->bound : NAN;
    }

done:
    sol->nodes = c->nodes;
    sol->knap_cuts_added = ckp_cover_count(c->cover);
    if (c->orig) glp_delete_prob(c->orig);
    c->orig = NULL;
    glp_delete_prob(P);
    return st;
}

ckp_status ckp_solve(const ckp_mip *mip, const ckp_solve_params *params,
                     const double *incumbent, ckp_solution **out,
                     ckp_diag_list *diag)
{
    *out = NULL;
    ckp_solve_params defaults;
    ckp_solve_params_init(&defaults);
    const ckp_solve_params *const prm = params ? params : &defaults;
    char msg[256];
    if (ckp_solve_params_check(prm, msg, (int)sizeof msg) != CKP_OK) {
        ckp_diag_add(diag, CKP_SEV_ERROR, NULL, 0, "bad-parameter", "%s", msg);
        return CKP_EUSAGE;
    }
    CKP_TRY(prevalidate(mip, diag));

    glpk_ctx *c = ckp_calloc(1, sizeof *c);
    ckp_solution *sol = ckp_calloc(1, sizeof *sol);
    if (!c || !sol) {
        ckp_free(c);
        ckp_free(sol);
        return CKP_ENOMEM;
    }
    clock_gettime(CLOCK_MONOTONIC, &c->t0);
    c->params = prm;
    c->mip = mip;
    c->verbose = prm->verbose;
    c->heuristic_objective = NAN;
    sol->status = CKP_MIP_ERROR;
    sol->objective = NAN;
    sol->bound = NAN;
    sol->gap = NAN;
    sol->heuristic_objective = NAN;
    sol->dive_objective = NAN;
    sol->n_cols = mip->n_cols;
    int force_fatal = prm->debug_force_fatal || env_force_fatal();

    solve_args args = {mip, prm, incumbent, sol, force_fatal, diag};
    ckp_status st = run_guarded(c, solve_guarded, &args);
    if (c->caught) {
        if (!c->fatal_len) {
            snprintf(c->fatal, sizeof c->fatal, "(no message)");
            c->fatal_len = strlen(c->fatal);
        }
        report_fatal(c, "solve", diag);
        ctx_release(c);
        ckp_solution_free(sol);
        return CKP_ESOLVER;
    }
    sol->seconds = elapsed(c);
    sol->heuristic_used = c->heuristic_used;
    sol->heuristic_objective = c->heur_x ? c->heuristic_objective : NAN;
    sol->dive_objective = c->dive_x ? c->dive.objective : NAN;
    sol->dive_seconds = c->dive.seconds;
    sol->dive_lps = c->dive.lps;
    ctx_release(c);
    if (st != CKP_OK) {
        ckp_solution_free(sol);
        return st;
    }
    *out = sol;
    return CKP_OK;
}

/* ------------------------------------------------------------------ */
/* LP / MPS export and the test helper that reads files back           */

typedef struct write_args {
    const ckp_mip *mip;
    const char *path;
    int mps;
    int force_fatal;
    ckp_diag_list *diag;
} write_args;

static ckp_status write_guarded(glpk_ctx *c, void *arg)
{
    const write_args *a = arg;
    const char *path = a->path;
    int mps = a->mps;
    ckp_diag_list *diag = a->diag;
    glp_prob *P = glp_create_prob();
    ckp_status st = load_prob(c, P, a->mip, a->force_fatal, diag);
    if (st == CKP_OK) {
        int ret = mps ? glp_write_mps(P, GLP_MPS_FILE, NULL, path)
                      : glp_write_lp(P, NULL, path);
        if (ret != 0) {
            one_line(c->last);
            ckp_diag_add(diag, CKP_SEV_ERROR, path, 0, "write-failed",
                         "cannot write the model as %s to %s%s%s", mps ? "MPS" : "LP",
                         path, c->last[0] ? ": " : "", c->last);
            st = CKP_EIO;
        }
    }
    glp_delete_prob(P);
    return st;
}

static ckp_status write_model(const ckp_mip *mip, const char *path, int mps,
                              ckp_diag_list *diag)
{
    CKP_TRY(prevalidate(mip, diag));
    glpk_ctx *c = ckp_calloc(1, sizeof *c);
    if (!c) return CKP_ENOMEM;
    write_args args = {mip, path, mps, env_force_fatal(), diag};
    ckp_status st = run_guarded(c, write_guarded, &args);
    if (c->caught) report_fatal(c, mps ? "MPS export" : "LP export", diag);
    ctx_release(c);
    return st;
}

ckp_status ckp_mip_write_lp(const ckp_mip *mip, const char *path,
                            ckp_diag_list *diag)
{
    return write_model(mip, path, 0, diag);
}

ckp_status ckp_mip_write_mps(const ckp_mip *mip, const char *path,
                             ckp_diag_list *diag)
{
    return write_model(mip, path, 1, diag);
}

typedef struct read_args {
    const char *path;
    int mps;
    ckp_model_file_info *info;
} read_args;

static ckp_status read_guarded(glpk_ctx *c, void *arg)
{
    const read_args *a = arg;
    const char *path = a->path;
    int mps = a->mps;
    ckp_model_file_info *info = a->info;
    glp_prob *P = glp_create_prob();
    ckp_status st = CKP_OK;
    int ret = mps ? glp_read_mps(P, GLP_MPS_FILE, NULL, path)
                  : glp_read_lp(P, NULL, path);
    if (ret != 0) {
        st = CKP_EIO;
        goto done;
    }
    info->n_rows = glp_get_num_rows(P);
    info->n_cols = glp_get_num_cols(P);
    info->nnz = glp_get_num_nz(P);
    info->n_int = glp_get_num_int(P);
    info->n_bin = glp_get_num_bin(P);
    glp_iocp io;
    glp_init_iocp(&io);
    io.msg_lev = c->verbose ? GLP_MSG_ALL : GLP_MSG_ERR;
    io.presolve = GLP_ON;
    ret = glp_intopt(P, &io);
    info->glpk_ret = ret;
    info->glpk_status = glp_mip_status(P);
    info->objective = info->glpk_status == GLP_OPT ? glp_mip_obj_val(P) : NAN;
    for (int j = 0; j < CKP_MODEL_FILE_NAMES && j < info->n_cols; j++) {
        const char *nm = glp_get_col_name(P, j + 1);
        snprintf(info->col_name[j], sizeof info->col_name[j], "%s", nm ? nm : "");
    }
done:
    glp_delete_prob(P);
    return st;
}

ckp_status ckp_solver_read_model_file(const char *path, int mps,
                                      ckp_model_file_info *info)
{
    memset(info, 0, sizeof *info);
    info->objective = NAN;
    glpk_ctx *c = ckp_calloc(1, sizeof *c);
    if (!c) return CKP_ENOMEM;
    read_args args = {path, mps, info};
    ckp_status st = run_guarded(c, read_guarded, &args);
    ctx_release(c);
    return st;
}

/* Test helper (solver_test.h): root LP, then the heuristic's dive alone
 * (steps 2-4 of heuristic.h, no restricted MIP, no polish). */
typedef struct dive_args {
    const ckp_mip *m;
    double *x, *obj;
    int *found;
    ckp_diag_list *dl;
} dive_args;

static ckp_status dive_guarded(glpk_ctx *c, void *arg)
{
    const dive_args *a = arg;
    const ckp_mip *m = a->m;
    double *x = a->x, *obj = a->obj;
    int *found = a->found;
    ckp_diag_list *dl = a->dl;
    glp_prob *P = glp_create_prob();
    ckp_status st = load_prob(c, P, m, 0, dl);
    if (st != CKP_OK) goto done;
    glp_smcp sm;
    glp_init_smcp(&sm);
    sm.msg_lev = GLP_MSG_OFF;
    if (glp_simplex(P, &sm) != 0 || glp_get_status(P) != GLP_OPT) goto done;
    double *x1 = ckp_malloc(((size_t)m->n_cols + 1) * sizeof *x1);
    if (!x1) {
        st = CKP_ENOMEM;
        goto done;
    }
    ckp_dive_result r;
    st = ckp_glpk_dive(P, m, NULL, 0.0, 0, CKP_HEUR_DIVE, 0, x1, &r);
    if (st == CKP_OK && r.found) {
        *found = 1;
        *obj = r.objective;
        for (int j = 0; j < m->n_cols; j++) x[j] = x1[j + 1];
    }
    ckp_free(x1);
done:
    glp_delete_prob(P);
    return st;
}

ckp_status ckp_solver_test_dive(const ckp_mip *m, double *x, double *obj, int *found)
{
    *found = 0;
    *obj = NAN;
    ckp_diag_list dl;
    ckp_diag_list_init(&dl);
    ckp_status st = prevalidate(m, &dl);
    if (st != CKP_OK) {
        ckp_diag_list_fini(&dl);
        return st;
    }
    glpk_ctx *c = ckp_calloc(1, sizeof *c);
    if (!c) {
        ckp_diag_list_fini(&dl);
        return CKP_ENOMEM;
    }
    dive_args args = {m, x, obj, found, &dl};
    st = run_guarded(c, dive_guarded, &args);
    ctx_release(c);
    ckp_diag_list_fini(&dl);
    return st;
}

/* Test helper (solver_test.h): the exact reduction and its LP. */
typedef struct reduced_args {
    const ckp_mip *m;
    const double *lb, *ub;
    double *x, *obj;
    int *status, *rows, *cols;
} reduced_args;

static ckp_status reduced_guarded(glpk_ctx *c, void *arg)
{
    (void)c;
    const reduced_args *a = arg;
    const ckp_mip *m = a->m;
    double *x = a->x, *obj = a->obj;
    int *status = a->status, *rows = a->rows, *cols = a->cols;
    ckp_reduced red;
    ckp_status st = ckp_reduce(m, a->lb, a->ub, NULL, REDUCE_TOL, &red);
    if (st != CKP_OK) return st;
    if (red.infeasible) {
        *status = 0;
        ckp_reduced_free(&red);
        return CKP_OK;
    }
    *rows = glp_get_num_rows(red.R);
    *cols = glp_get_num_cols(red.R);
    glp_smcp sm;
    glp_init_smcp(&sm);
    sm.msg_lev = GLP_MSG_OFF;
    sm.meth = GLP_DUALP;
    int ret = glp_simplex(red.R, &sm);
    int s = ret == 0 ? glp_get_status(red.R) : 0;
    if (ret == 0 && s == GLP_OPT) {
        *status = 1;
        *obj = glp_get_obj_val(red.R);
        ckp_reduced_values(&red, 0, x);
    } else if (ret == 0 && s == GLP_NOFEAS) {
        *status = 0;
    }
    ckp_reduced_free(&red);
    return CKP_OK;
}

ckp_status ckp_solver_test_reduced_lp(const ckp_mip *m, const double *lb, const double *ub,
                                      double *x, double *obj, int *status, int *rows,
                                      int *cols)
{
    *status = -1;
    *obj = NAN;
    *rows = *cols = -1;
    glpk_ctx *c = ckp_calloc(1, sizeof *c);
    if (!c) return CKP_ENOMEM;
    reduced_args args = {m, lb, ub, x, obj, status, rows, cols};
    ckp_status st = run_guarded(c, reduced_guarded, &args);
    ctx_release(c);
    return st;
}
