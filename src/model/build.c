/* build.c: placeholder until its module lands; every entry point reports CKP_EINTERNAL. */
#include "ckp/model.h"
#include <math.h>
#include <string.h>
void ckp_model_params_init(ckp_model_params *p) { memset(p, 0, sizeof *p); p->objective = -1; p->budget_total = NAN; p->shortage_penalty = NAN; p->tie_break = 1e-6; }
ckp_status ckp_model_build(const ckp_plan *plan, const ckp_model_params *params, ckp_model **out, ckp_diag_list *diag) { (void)plan; (void)params; (void)diag; *out = NULL; return CKP_EINTERNAL; }
void ckp_model_free(ckp_model *m) { (void)m; }
