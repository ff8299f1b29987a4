/* outfiles.h: the files of the --out directory that describe the others
 * (internal to src/report; datapackage.c): datapackage.json (Frictionless
 * Data Package: every file, column, unit and meaning) and README.txt. */
#ifndef CKP_REPORT_OUTFILES_H
#define CKP_REPORT_OUTFILES_H

#include <stdio.h>

#include "ckp/report.h"

ckp_status rep_write_datapackage(const ckp_result *r, const ckp_report_info *info, FILE *out);
ckp_status rep_write_readme(const ckp_result *r, const ckp_report_info *info, FILE *out);

#endif
