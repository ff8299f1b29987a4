/* check.c: placeholder until its module lands; every entry point reports CKP_EINTERNAL. */
#include "ckp/check.h"
ckp_status ckp_plan_check(ckp_plan *plan, ckp_diag_list *diag) { (void)plan; (void)diag; return CKP_EINTERNAL; }
