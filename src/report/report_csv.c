/* report_csv.c: placeholder until its module lands; every entry point reports CKP_EINTERNAL. */
#include "ckp/report.h"
ckp_status ckp_report_csv(const ckp_result *r, FILE *out) { (void)r; (void)out; return CKP_EINTERNAL; }
