/* outdir.c: placeholder until its module lands; every entry point reports CKP_EINTERNAL. */
#include "ckp/report.h"
ckp_status ckp_report_write_dir(const ckp_result *r, const ckp_report_info *info, const char *dir, ckp_diag_list *diag) { (void)r; (void)info; (void)dir; (void)diag; return CKP_EINTERNAL; }
