/* outfiles.h: the files of the --out directory that describe the others
 * (internal to src/report; datapackage.c): datapackage.json (Frictionless
 * Data Package: every file, column, unit and meaning) and README.txt. */
#ifndef CKP_REPORT_OUTFILES_H
#define CKP_REPORT_OUTFILES_H

#include <stdio.h>

#include "ckp/report.h"
#include "report/html.h"

/* extra: the files the caller writes beside (ckp_report_write_dir_with). */
ckp_status rep_write_datapackage(const ckp_result *r, const ckp_report_info *info,
                                 const ckp_report_file *extra, int n_extra, FILE *out);
ckp_status rep_write_readme(const ckp_result *r, const ckp_report_info *info,
                            const ckp_report_file *extra, int n_extra, FILE *out);

/* ckp_report_write_dir_with, with section added to report.html after the
 * committee summary (NULL = none): evaluate's regret (src/study). */
ckp_status rep_write_dir(const ckp_result *r, const ckp_report_info *info,
                         const ckp_report_file *extra, int n_extra,
                         const rep_html_section *section, const char *dir,
                         ckp_diag_list *diag);

/* datapackage.json of a budget sweep's folder (sweep_package.c), after
 * its CSV files are written: their columns are read back from them. */
ckp_status rep_sweep_package_write(const ckp_sweep *s, const char *dir, ckp_diag_list *diag);

#endif
