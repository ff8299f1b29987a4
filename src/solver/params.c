/* params.c: the parameters of a solve (ckp_solve_params_init and
 * ckp_solve_params_check, the names of the root-cut modes), the names of
 * the MIP statuses, ckp_solution_free, GLPK's version and the process
 * set-up of the solver library (docs/solver.md §1).  Part of the GLPK
 * wrapper (solver_glpk.c). */
#include "ckp/solve.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glpk.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "util/alloc.h"

#define MALLOC_TRIM_BYTES (256 << 20) /* free heap kept before trimming */
#define TIME_LIMIT_MAX 2000000.0 /* seconds; GLPK takes int milliseconds */

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
    p->pcost = -1;
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
        {"knap_cuts", p->knap_cuts}, {"pcost", p->pcost},
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
