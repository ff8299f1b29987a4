/* json.h: a tiny streaming JSON writer (internal to src/report): objects,
 * arrays, escaped strings, numbers (non-finite numbers become null),
 * two-space indentation, keys in the order written. */
#ifndef CKP_REPORT_JSON_H
#define CKP_REPORT_JSON_H

#include <stdio.h>

#define JW_MAX_DEPTH 32

typedef struct jw {
    FILE *out;
    int depth;
    int count[JW_MAX_DEPTH]; /* members written at each level */
    int bad;                 /* nesting misuse */
} jw;

void jw_init(jw *w, FILE *out);
/* key is NULL inside arrays and for the top-level value. */
void jw_object(jw *w, const char *key);
void jw_end_object(jw *w);
void jw_array(jw *w, const char *key);
void jw_end_array(jw *w);
void jw_str(jw *w, const char *key, const char *s); /* NULL -> null */
void jw_num(jw *w, const char *key, double v);      /* 10 digits, noise 0 */
void jw_exact(jw *w, const char *key, double v);    /* %.17g round-trip */
void jw_int(jw *w, const char *key, long v);
void jw_bool(jw *w, const char *key, int v);
void jw_null(jw *w, const char *key);
/* Write a JSON string literal (with quotes) for s. */
void jw_escape(FILE *out, const char *s);

#endif
