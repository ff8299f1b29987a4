/* status.h: the one status code every fallible chokepoint library function
 * returns.  0 is success; every other value has one meaning, and
 * ckp_status_str() turns it into text.  The CLI maps statuses to exit codes
 * (docs/exit-codes.md); the library never exits, aborts or prints. */
#ifndef CKP_STATUS_H
#define CKP_STATUS_H

#include "ckp/export.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ckp_status {
    CKP_OK = 0,        /* success */
    CKP_ENOMEM,        /* out of memory */
    CKP_EIO,           /* a file could not be read or written */
    CKP_EPARSE,        /* XML is not well formed (or hostile) */
    CKP_ESCHEMA,       /* XML does not follow the plan schema */
    CKP_EINVALID,      /* a semantic rule of the plan is broken */
    CKP_EUSAGE,        /* bad parameters from the caller (CLI flags) */
    CKP_EINFEASIBLE,   /* the model has no feasible solution */
    CKP_ELIMIT,        /* a limit was hit before any feasible solution */
    CKP_ESOLVER,       /* the solver failed (caught GLPK fatal error, ...) */
    CKP_EINTERNAL      /* a bug: an invariant of chokepoint was broken */
} ckp_status;

/* Short English description of a status; never NULL. */
CKP_API const char *ckp_status_str(ckp_status st);

/* Propagate a non-OK status to the caller. */
#define CKP_TRY(expr)                                                        \
    do {                                                                     \
        ckp_status ckp_rc_ = (expr);                                         \
        if (ckp_rc_ != CKP_OK) return ckp_rc_;                               \
    } while (0)

/* Store a non-OK status in rc and jump to the cleanup label. */
#define CKP_TRY_GOTO(rc, expr, label)                                        \
    do {                                                                     \
        (rc) = (expr);                                                       \
        if ((rc) != CKP_OK) goto label;                                      \
    } while (0)

#ifdef __cplusplus
}
#endif

#endif
