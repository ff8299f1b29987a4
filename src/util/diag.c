/* diag.c: diagnostic lists (see ckp/diag.h). */
#include "ckp/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

void ckp_diag_list_init(ckp_diag_list *list)
{
    memset(list, 0, sizeof *list);
}

void ckp_diag_list_fini(ckp_diag_list *list)
{
    if (!list) return;
    for (int i = 0; i < list->n; i++) {
        ckp_free(list->items[i].file);
        ckp_free(list->items[i].code);
        ckp_free(list->items[i].message);
    }
    ckp_free(list->items);
    memset(list, 0, sizeof *list);
}

ckp_status ckp_diag_add(ckp_diag_list *list, ckp_severity sev, const char *file,
                        int line, const char *code, const char *fmt, ...)
{
    if (!list) return CKP_OK;
    if (ckp_grow((void **)&list->items, &list->cap, list->n + 1,
                 sizeof *list->items))
        return CKP_ENOMEM;
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    /* An exact repeat (severity, file, line, code and text) says nothing
       new: a library that builds one plan's model twice (portfolio and
       baseline) reports each finding once. */
    for (int i = 0; i < list->n; i++) {
        const ckp_diag *o = &list->items[i];
        if (o->severity == sev && o->line == line &&
            strcmp(o->code, code ? code : "") == 0 && strcmp(o->message, buf) == 0 &&
            ((!o->file && !file) || (o->file && file && strcmp(o->file, file) == 0)))
            return CKP_OK;
    }
    ckp_diag *d = &list->items[list->n];
    d->severity = sev;
    d->line = line;
    d->column = 0;
    d->file = ckp_strdup(file);
    d->code = ckp_strdup(code ? code : "");
    d->message = ckp_strdup(buf);
    if ((file && !d->file) || !d->code || !d->message) {
        ckp_free(d->file);
        ckp_free(d->code);
        ckp_free(d->message);
        return CKP_ENOMEM;
    }
    list->n++;
    if (sev == CKP_SEV_ERROR) list->n_errors++;
    if (sev == CKP_SEV_WARNING) list->n_warnings++;
    return CKP_OK;
}

/* Stable ordering: file, then line; equal keys keep insertion order
 * (insertion sort: lists are short and mostly ordered already). */
static int before(const ckp_diag *a, const ckp_diag *b)
{
    const char *fa = a->file ? a->file : "";
    const char *fb = b->file ? b->file : "";
    int c = strcmp(fa, fb);
    if (c) return c < 0;
    return a->line < b->line;
}

void ckp_diag_sort(ckp_diag_list *list)
{
    for (int i = 1; i < list->n; i++) {
        ckp_diag cur = list->items[i];
        int j = i - 1;
        while (j >= 0 && before(&cur, &list->items[j])) {
            list->items[j + 1] = list->items[j];
            j--;
        }
        list->items[j + 1] = cur;
    }
}

const char *ckp_severity_str(ckp_severity sev)
{
    switch (sev) {
    case CKP_SEV_NOTE: return "note";
    case CKP_SEV_WARNING: return "warning";
    case CKP_SEV_ERROR: return "error";
    }
    return "error";
}

void ckp_diag_format(const ckp_diag *d, char *buf, size_t size)
{
    if (d->file && d->line > 0)
        snprintf(buf, size, "%s:%d: %s: %s", d->file, d->line,
                 ckp_severity_str(d->severity), d->message);
    else if (d->file)
        snprintf(buf, size, "%s: %s: %s", d->file,
                 ckp_severity_str(d->severity), d->message);
    else
        snprintf(buf, size, "%s: %s", ckp_severity_str(d->severity),
                 d->message);
}

void ckp_diag_print(const ckp_diag_list *list, FILE *out)
{
    char buf[1400];
    for (int i = 0; i < list->n; i++) {
        ckp_diag_format(&list->items[i], buf, sizeof buf);
        fprintf(out, "%s\n", buf);
    }
}
