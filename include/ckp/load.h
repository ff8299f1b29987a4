/* load.h: reading a plan from XML.  Parsing is safe by construction: no
 * network, no DTD or external entity loading, entity expansion refused,
 * nesting depth bounded.  The document is validated against the plan XSD
 * compiled into the library (schema/plan.xsd), then turned into a
 * ckp_plan whose records carry their line numbers.  All problems found are
 * appended to diag (file:line: error: ...), not only the first.  A loaded
 * plan records the SHA-256 of the bytes it was parsed from
 * (plan->input_sha256). */
#ifndef CKP_LOAD_H
#define CKP_LOAD_H

#include <stddef.h>
#include <stdio.h>

#include "ckp/diag.h"
#include "ckp/export.h"
#include "ckp/plan.h"
#include "ckp/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Load from a file.  Returns CKP_EIO (unreadable), CKP_EPARSE (not well
 * formed, hostile), CKP_ESCHEMA (schema errors) or CKP_EINVALID (values
 * the schema lets through but cannot be numbers: NaN, 1e400, ...).  On
 * failure *out is NULL.  Semantic checks are separate: ckp_plan_check();
 * but when loading fails after parsing (schema errors, non-finite
 * numbers), the plan is read anyway and checked, and those diagnostics not
 * on a line with a loading error are appended too (docs/diagnostics.md). */
CKP_API ckp_status ckp_plan_load(const char *path, ckp_plan **out, ckp_diag_list *diag);

/* Same, from an open stream read to its end (standard input: the CLI's
 * "-"); name is used as the file name in diagnostics.  The stream is not
 * closed. */
CKP_API ckp_status ckp_plan_load_stream(FILE *f, const char *name, ckp_plan **out,
                                ckp_diag_list *diag);

/* Same, from a buffer; name is used as the file name in diagnostics. */
CKP_API ckp_status ckp_plan_load_memory(const char *data, size_t size, const char *name,
                                        ckp_plan **out, ckp_diag_list *diag);

/* The schema text compiled into the library (NUL-terminated). */
CKP_API const char *ckp_plan_schema(void);

/* Release libxml2's global state (call once at program exit). */
CKP_API void ckp_load_cleanup(void);

#ifdef __cplusplus
}
#endif

#endif
