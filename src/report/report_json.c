/* report_json.c: placeholder until its module lands; every entry point reports CKP_EINTERNAL. */
#include "ckp/report.h"
ckp_status ckp_report_json(const ckp_result *r, const ckp_report_info *info, FILE *out) { (void)r; (void)info; (void)out; return CKP_EINTERNAL; }
