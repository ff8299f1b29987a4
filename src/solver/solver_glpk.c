/* solver_glpk.c: placeholder until its module lands; every entry point reports CKP_EINTERNAL. */
#include "ckp/solve.h"
#include <string.h>
#include <glpk.h>
void ckp_solve_params_init(ckp_solve_params *p) { memset(p, 0, sizeof *p); p->mir_cuts = -1; p->clique_cuts = -1; }
ckp_status ckp_solve_params_check(const ckp_solve_params *p, char *msg, int msg_size) { (void)p; (void)msg; (void)msg_size; return CKP_OK; }
const char *ckp_mip_status_str(ckp_mip_status s) { (void)s; return "?"; }
void ckp_solution_free(ckp_solution *s) { (void)s; }
ckp_status ckp_solve(const ckp_mip *mip, const ckp_solve_params *params, const double *incumbent, ckp_solution **out, ckp_diag_list *diag) { (void)mip; (void)params; (void)incumbent; (void)diag; *out = NULL; return CKP_EINTERNAL; }
const char *ckp_solver_version(void) { return glp_version(); }
ckp_status ckp_mip_write_lp(const ckp_mip *mip, const char *path, ckp_diag_list *diag) { (void)mip; (void)path; (void)diag; return CKP_EINTERNAL; }
ckp_status ckp_mip_write_mps(const ckp_mip *mip, const char *path, ckp_diag_list *diag) { (void)mip; (void)path; (void)diag; return CKP_EINTERNAL; }
