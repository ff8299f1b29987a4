/* testutil.h: shared helpers for the cmocka tests. */
#ifndef CKP_TESTUTIL_H
#define CKP_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "ckp/diag.h"
#include "ckp/plan.h"
#include "ckp/result.h"
#include "tests_config.h"

/* Path of a file under tests/ (static buffer, valid until the next call). */
const char *tu_path(const char *rel);

/* Load and check a plan from tests/<rel>; fails the test on any error. */
ckp_plan *tu_load_checked(const char *rel);

/* Load and check a plan from an XML string; fails the test on any error. */
ckp_plan *tu_load_checked_str(const char *xml);

/* ckp_run on plan (mp, sp may be NULL); fails the test, printing the
 * diagnostics, unless it returns CKP_OK with a result and no error
 * diagnostic.  Caller frees with ckp_result_free(). */
ckp_result *tu_solve(const ckp_plan *plan, const ckp_model_params *mp,
                     const ckp_solve_params *sp);

/* All diagnostics joined as "file:line: severity: message\n" lines
 * (caller frees with free()). */
char *tu_diag_text(const ckp_diag_list *d);

/* Read a whole file (caller frees); NULL when unreadable. */
char *tu_read_file(const char *path, size_t *size);

/* Run a shell command, capture stdout/stderr into malloc'd strings (may
 * pass NULL to ignore) and return the exit status (-1 on failure). */
int tu_run(const char *cmd, char **out, char **err);

/* The chokepoint binary run by the CLI tests: tu_cli runs
 * "'CKP_CLI_BIN' <args>" (args formatted), tu_sh runs "sh -c \"<line>\""
 * (for redirections of the binary's own streams); both keep stdout and
 * stderr in tu_out / tu_err (owned here, replaced by the next call, freed
 * by tu_cli_free) and return the exit status.  tu_cli fails the test when
 * either stream could not be captured. */
extern char *tu_out;
extern char *tu_err;
int tu_cli(const char *fmt, ...) CKP_PRINTF(1, 2);
int tu_sh(const char *fmt, ...) CKP_PRINTF(1, 2);
void tu_cli_free(void);

/* Temporary files (tmp.c): tu_tmpdir makes a fresh directory, tu_tmpfile
 * an empty file, named /tmp/ckp-<tag>-XXXXXX (fails the test when it
 * cannot); the caller frees the returned path with free().  Each is
 * removed, with everything in it, by tu_tmp_remove or else when the test
 * process exits, a failed test's included.  With CKP_KEEP_TMP=1 in the
 * environment nothing is removed and every path is named on stderr at
 * exit (tests/README.md). */
char *tu_tmpdir(const char *tag);
char *tu_tmpfile(const char *tag);
void tu_tmp_remove(const char *path); /* accepts NULL */

/* What the report writer fn writes for r, as a string (caller frees);
 * fails the test unless fn returns CKP_OK.  tu_report_json and
 * tu_report_html are ckp_report_json / ckp_report_html without a
 * ckp_report_info, in fn's form (ckp_report_text has it already). */
char *tu_capture(ckp_status (*fn)(const ckp_result *r, FILE *out), const ckp_result *r);
ckp_status tu_report_json(const ckp_result *r, FILE *out);
ckp_status tu_report_html(const ckp_result *r, FILE *out);

/* 1 when text is one well-formed JSON value (RFC 8259 grammar). */
int tu_json_valid(const char *text);

#endif
