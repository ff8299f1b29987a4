/* report.h: writing a ckp_result for people (text, report.html) and
 * machines (JSON, CSV), and the --out directory (portfolio.csv,
 * production.csv, exposure.csv, concentration.csv, summary.json,
 * report.html; when they apply policy.csv, scenarios.csv, idle.csv,
 * stockpiles.csv), each file written atomically (temporary file + rename).  A result with the plan's
 * scenarios also gets, per scenario, its value, shortage, chokepoint share
 * per stage, stockpile releases and idle funded projects (docs/reports.md).
 * Never sees XML or GLPK. */
#ifndef CKP_REPORT_H
#define CKP_REPORT_H

#include <stdio.h>

#include "ckp/diag.h"
#include "ckp/export.h"
#include "ckp/result.h"
#include "ckp/status.h"
#include "ckp/sweep.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A file the caller writes into the --out directory beside the report's
 * own (explain.json, evaluation.json, ...): datapackage.json and
 * README.txt list it. */
typedef struct ckp_report_file {
    const char *name;           /* "explain.json" */
    const char *format;         /* "json" (mediatype application/json),
                                   "csv", "txt" */
    const char *description;    /* what it holds, one sentence */
} ckp_report_file;

typedef struct ckp_report_info { /* provenance for summary.json */
    const char *input_path;
    const char *input_sha256;   /* hex digest of the input file */
    const char *tool_version;
    const char *command_line;   /* as run, for reproduction */
} ckp_report_info;

CKP_API ckp_status ckp_report_text(const ckp_result *r, FILE *out);
CKP_API ckp_status ckp_report_json(const ckp_result *r, const ckp_report_info *info,
                                   FILE *out);
CKP_API ckp_status ckp_report_csv(const ckp_result *r, FILE *out); /* portfolio */
/* report.html: one self-contained page (inline CSS and SVG charts, no
 * script, no external file); docs/reports.md "report.html". */
CKP_API ckp_status ckp_report_html(const ckp_result *r, const ckp_report_info *info,
                                   FILE *out);
CKP_API ckp_status ckp_report_write_dir(const ckp_result *r, const ckp_report_info *info,
                                        const char *dir, ckp_diag_list *diag);
/* The same, with the n_extra files the caller writes into dir beside the
 * report's (explain.json, evaluation.json): datapackage.json and
 * README.txt list them too (extra may be NULL when n_extra is 0). */
CKP_API ckp_status ckp_report_write_dir_with(const ckp_result *r, const ckp_report_info *info,
                                             const ckp_report_file *extra, int n_extra,
                                             const char *dir, ckp_diag_list *diag);

/* A budget sweep's report.html (docs/sweeps.md, "report.html"): the
 * frontier (exposure against budget, what binds at each point) and the
 * no-regret matrix (item x budget), each with title, axis units and its
 * data table; front[i] = 1 when point i is on the frontier (as the
 * sweep decides it).  _write puts it in dir/report.html atomically, and
 * beside it datapackage.json (every file and CSV column of the folder, as
 * written: call it after the CSV files). */
CKP_API ckp_status ckp_report_sweep_html(const ckp_sweep *s, const int *front, FILE *out);
CKP_API ckp_status ckp_report_sweep_write(const ckp_sweep *s, const int *front,
                                          const char *dir, ckp_diag_list *diag);

#ifdef __cplusplus
}
#endif

#endif
