/* check.h: semantic rules on a loaded plan (docs/plan-format.md lists each
 * rule with its diagnostic code): unknown or duplicate ids, cycles in
 * requires, inputs nothing can produce, years outside the horizon, ramp-up
 * outside [0,1], negative or non-finite numbers, schedules that do not sum
 * to 1, projects that can never come online within the horizon (warning).
 * Resolves every ckp_ref's index as a side effect. */
#ifndef CKP_CHECK_H
#define CKP_CHECK_H

#include "ckp/diag.h"
#include "ckp/export.h"
#include "ckp/plan.h"
#include "ckp/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Returns CKP_OK when no error was found (warnings allowed), CKP_EINVALID
 * otherwise; every problem is appended to diag (may be NULL: status only),
 * and the whole list is sorted (ckp_diag_sort).  Also CKP_ENOMEM when
 * memory ran out (diagnostics may then be incomplete), CKP_EUSAGE for a
 * NULL plan.  Codes and messages: docs/diagnostics.md. */
CKP_API ckp_status ckp_plan_check(ckp_plan *plan, ckp_diag_list *diag);

#ifdef __cplusplus
}
#endif

#endif
