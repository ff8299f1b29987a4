/* status.c: text for ckp_status codes. */
#include "ckp/status.h"

const char *ckp_status_str(ckp_status st)
{
    switch (st) {
    case CKP_OK: return "success";
    case CKP_ENOMEM: return "out of memory";
    case CKP_EIO: return "input/output error";
    case CKP_EPARSE: return "malformed XML";
    case CKP_ESCHEMA: return "XML does not follow the plan schema";
    case CKP_EINVALID: return "invalid plan";
    case CKP_EUSAGE: return "bad usage";
    case CKP_EINFEASIBLE: return "no feasible portfolio";
    case CKP_ELIMIT: return "limit reached without a feasible portfolio";
    case CKP_ESOLVER: return "solver failure";
    case CKP_EINTERNAL: return "internal error";
    }
    return "unknown status";
}
