/* exit_codes.h: the exit codes of the chokepoint command line, the one
 * place they are defined (documented in docs/exit-codes.md), and the
 * mappings from library statuses to them. */
#ifndef CKP_CLI_EXIT_CODES_H
#define CKP_CLI_EXIT_CODES_H

#include "ckp/solve.h"
#include "ckp/status.h"

typedef enum ckp_exit {
    CKP_EXIT_OK = 0,          /* success (solve: optimal, or feasible when a
                                 limit stopped the search; status printed) */
    CKP_EXIT_INTERNAL = 1,    /* internal error or solver failure */
    CKP_EXIT_USAGE = 2,       /* bad command line */
    CKP_EXIT_INPUT = 3,       /* input unreadable, malformed, schema or
                                 semantic errors */
    CKP_EXIT_INFEASIBLE = 4,  /* no portfolio satisfies the constraints */
    CKP_EXIT_NO_SOLUTION = 5, /* a limit stopped the search before any
                                 feasible portfolio was found */
    CKP_EXIT_OUTPUT = 6,      /* an output file or stdout could not be
                                 written */
    CKP_EXIT_INTERRUPTED = 7  /* sweep: SIGINT/SIGTERM stopped it; the
                                 finished points are kept */
} ckp_exit;

/* Exit code for a library status.  CKP_EIO means an output error here:
 * the CLI maps input read errors to CKP_EXIT_INPUT itself. */
static inline int ckp_exit_for_status(ckp_status st)
{
    switch (st) {
    case CKP_OK: return CKP_EXIT_OK;
    case CKP_EUSAGE: return CKP_EXIT_USAGE;
    case CKP_EPARSE:
    case CKP_ESCHEMA:
    case CKP_EINVALID: return CKP_EXIT_INPUT;
    case CKP_EINFEASIBLE: return CKP_EXIT_INFEASIBLE;
    case CKP_ELIMIT: return CKP_EXIT_NO_SOLUTION;
    case CKP_EIO: return CKP_EXIT_OUTPUT;
    case CKP_ENOMEM:
    case CKP_ESOLVER:
    case CKP_EINTERNAL: return CKP_EXIT_INTERNAL;
    }
    return CKP_EXIT_INTERNAL;
}

/* Exit code for the MIP status of a finished solve. */
static inline int ckp_exit_for_mip(ckp_mip_status s)
{
    switch (s) {
    case CKP_MIP_OPTIMAL:
    case CKP_MIP_FEASIBLE: return CKP_EXIT_OK;
    case CKP_MIP_INFEASIBLE: return CKP_EXIT_INFEASIBLE;
    case CKP_MIP_NO_SOLUTION: return CKP_EXIT_NO_SOLUTION;
    case CKP_MIP_ERROR: return CKP_EXIT_INTERNAL;
    }
    return CKP_EXIT_INTERNAL;
}

#endif
