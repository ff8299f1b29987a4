/* diag.h: diagnostics as data.  Library layers (XML loader, semantic checks,
 * model builder, solver wrapper) append entries here; only the CLI prints
 * them, in the compiler format  file:line: severity: message . */
#ifndef CKP_DIAG_H
#define CKP_DIAG_H

#include <stdio.h>

#include "ckp/export.h"
#include "ckp/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define CKP_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CKP_PRINTF(a, b)
#endif

typedef enum ckp_severity {
    CKP_SEV_NOTE = 0,
    CKP_SEV_WARNING,
    CKP_SEV_ERROR
} ckp_severity;

typedef struct ckp_diag {
    ckp_severity severity;
    char *file;    /* owned; may be NULL when no file is involved */
    int line;      /* 1-based; 0 when unknown */
    int column;    /* 1-based; 0 when unknown (set for XML syntax and
                      schema errors; ckp_diag_add leaves it 0) */
    char *code;    /* owned; stable machine-readable code, e.g. "unknown-ref" */
    char *message; /* owned; human-readable text naming element and value */
} ckp_diag;

typedef struct ckp_diag_list {
    ckp_diag *items;
    int n;
    int cap;
    int n_errors;
    int n_warnings;
} ckp_diag_list;

/* Lifecycle: init/fini for lists living on the stack or inside a struct. */
CKP_API void ckp_diag_list_init(ckp_diag_list *list);
CKP_API void ckp_diag_list_fini(ckp_diag_list *list); /* accepts NULL */

/* Append one diagnostic.  file may be NULL, code must not be.  An exact
 * repeat of an entry already in the list (same severity, file, line, code
 * and message) is dropped.  Returns CKP_ENOMEM only when the entry could
 * not be stored. */
CKP_API ckp_status ckp_diag_add(ckp_diag_list *list, ckp_severity sev, const char *file,
                                int line, const char *code, const char *fmt, ...)
    CKP_PRINTF(6, 7);

/* Sort entries by (file, line, insertion order) so output is stable. */
CKP_API void ckp_diag_sort(ckp_diag_list *list);

/* Write every entry as "file:line: error: message\n" (the CLI uses this). */
CKP_API void ckp_diag_print(const ckp_diag_list *list, FILE *out);

/* Format one entry into buf as above, without the newline. */
CKP_API void ckp_diag_format(const ckp_diag *d, char *buf, size_t size);

CKP_API const char *ckp_severity_str(ckp_severity sev);

#ifdef __cplusplus
}
#endif

#endif
