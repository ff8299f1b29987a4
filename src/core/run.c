/* run.c: placeholder until its module lands; every entry point reports CKP_EINTERNAL. */
#include "ckp/result.h"
ckp_status ckp_run(const ckp_plan *plan, const ckp_model_params *mp, const ckp_solve_params *sp, ckp_result **out, ckp_diag_list *diag) { (void)plan; (void)mp; (void)sp; (void)diag; *out = NULL; return CKP_EINTERNAL; }
void ckp_result_free(ckp_result *r) { (void)r; }
