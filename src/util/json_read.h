/* json_read.h: a small strict JSON reader (RFC 8259) into a tree whose
 * values carry their line numbers.  Strict: one value, no comments, no
 * trailing commas, no duplicate keys in an object, no control characters
 * in strings, \u escapes (surrogate pairs joined) turned into UTF-8, the
 * number grammar of the RFC, nesting at most CKP_JSON_MAX_DEPTH.  Used by
 * src/study to read the summary.json that `solve --out` writes (compare,
 * evaluate --portfolio summary.json).  The JSON writer is
 * src/report/json.c. */
#ifndef CKP_UTIL_JSON_READ_H
#define CKP_UTIL_JSON_READ_H

#include <stddef.h>

#include "ckp/status.h"

#define CKP_JSON_MAX_DEPTH 64

typedef enum ckp_json_type {
    CKP_JSON_NULL = 0,
    CKP_JSON_BOOL,
    CKP_JSON_NUMBER,
    CKP_JSON_STRING,
    CKP_JSON_ARRAY,
    CKP_JSON_OBJECT
} ckp_json_type;

typedef struct ckp_json {
    ckp_json_type type;
    int line;               /* 1-based line where the value starts */
    int boolean;            /* BOOL */
    double number;          /* NUMBER */
    char *string;           /* STRING (UTF-8, NUL-terminated; an embedded
                               \u0000 is refused) */
    int n;                  /* ARRAY, OBJECT: number of members */
    struct ckp_json *items; /* ARRAY, OBJECT: the member values */
    char **keys;            /* OBJECT: the member names, in order */
} ckp_json;

/* Parse text[0..len).  CKP_OK with *out set (free with ckp_json_free), or
 * CKP_EPARSE with a message "line N: ..." in err (err_size bytes) and
 * *out NULL; CKP_ENOMEM on allocation failure. */
ckp_status ckp_json_parse(const char *text, size_t len, ckp_json **out, char *err,
                          size_t err_size);
void ckp_json_free(ckp_json *v); /* accepts NULL */

/* Member key of an object, NULL when v is not an object or has no such
 * member. */
const ckp_json *ckp_json_get(const ckp_json *v, const char *key);
/* A path of member names separated by '.', e.g. "status.objective". */
const ckp_json *ckp_json_path(const ckp_json *v, const char *path);
/* Element i of an array, NULL when out of range or not an array. */
const ckp_json *ckp_json_at(const ckp_json *v, int i);
/* The number of an array or object (0 otherwise). */
int ckp_json_len(const ckp_json *v);
/* The value as a number (NAN when absent, null or not a number), as a
 * string (NULL when not a string). */
double ckp_json_num(const ckp_json *v);
const char *ckp_json_str(const ckp_json *v);

#endif
