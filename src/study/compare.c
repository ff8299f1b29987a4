/* compare.c: two finished runs side by side (ckp_compare, ckp/study.h;
 * docs/study.md).  Each run is read from the summary.json that `solve
 * --out` (or `evaluate --out`) writes, with the strict JSON reader of
 * src/util/json_read.c: the document carries every figure compared, and
 * reading one file keeps the two runs' data consistent.  The result is a
 * list of rows (section, label, value in A, value in B), computed once and
 * written by compare_report.c as text or JSON:
 *   warnings   different input hash, plan, tool version, settings
 *              (parameters.model and parameters.solve, member by member)
 *   headline   status, objective, bound, gap, baseline, commitment, capex,
 *              private capital, shortage, number of projects
 *   projects   added, dropped, another option or start (also upgrades and
 *              stockpiles)
 *   stages     portfolio share per stage and year (rows that differ)
 *   budget     disbursement per year (rows that differ)
 *   scenarios  value and shortage per scenario (rows that differ)
 * Numbers differ when |a - b| > 1e-9 x max(1, |a|, |b|). */
#include "study/compare_int.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "util/alloc.h"
#include "util/json_read.h"

void ckp_comparison_free(ckp_comparison *c)
{
    if (!c) return;
    for (int i = 0; i < c->n_rows; i++) {
        ckp_free(c->rows[i].label);
        ckp_free(c->rows[i].a_str);
        ckp_free(c->rows[i].b_str);
    }
    ckp_free(c->rows);
    ckp_free(c->path_a);
    ckp_free(c->path_b);
    ckp_json_free(c->a);
    ckp_json_free(c->b);
    ckp_free(c);
}

int ckp_comparison_differences(const ckp_comparison *c)
{
    int n = 0;
    for (int i = 0; c && i < c->n_rows; i++) n += c->rows[i].differs;
    return n;
}

int ckp_comparison_warnings(const ckp_comparison *c)
{
    int n = 0;
    for (int i = 0; c && i < c->n_rows; i++) n += c->rows[i].section == CMP_WARNING;
    return n;
}

static int num_differs(double a, double b)
{
    if (isnan(a) || isnan(b)) return isnan(a) != isnan(b);
    double m = fmax(1.0, fmax(fabs(a), fabs(b)));
    return fabs(a - b) > 1e-9 * m;
}

static ckp_status add_row(ckp_comparison *c, cmp_section sec, const char *label,
                          const ckp_json *a, const ckp_json *b, int differs)
{
    if (ckp_grow((void **)&c->rows, &c->cap_rows, c->n_rows + 1, sizeof *c->rows) != 0)
        return CKP_ENOMEM;
    cmp_row *r = &c->rows[c->n_rows];
    memset(r, 0, sizeof *r);
    r->section = sec;
    r->differs = differs;
    r->a = ckp_json_num(a);
    r->b = ckp_json_num(b);
    r->label = ckp_strdup(label);
    if (!r->label) return CKP_ENOMEM;
    const char *as = ckp_json_str(a), *bs = ckp_json_str(b);
    char buf[64];
    if (!as && a && a->type == CKP_JSON_BOOL) as = a->boolean ? "true" : "false";
    if (!bs && b && b->type == CKP_JSON_BOOL) bs = b->boolean ? "true" : "false";
    if (!as && a && a->type == CKP_JSON_NULL) as = "null";
    if (!bs && b && b->type == CKP_JSON_NULL) bs = "null";
    if (!as && a && a->type == CKP_JSON_NUMBER) {
        snprintf(buf, sizeof buf, "%.10g", a->number);
        r->a_str = ckp_strdup(buf);
    } else {
        r->a_str = ckp_strdup(as ? as : a ? "..." : "-");
    }
    if (!bs && b && b->type == CKP_JSON_NUMBER) {
        snprintf(buf, sizeof buf, "%.10g", b->number);
        r->b_str = ckp_strdup(buf);
    } else {
        r->b_str = ckp_strdup(bs ? bs : b ? "..." : "-");
    }
    if (!r->a_str || !r->b_str) {
        ckp_free(r->label);
        ckp_free(r->a_str);
        ckp_free(r->b_str);
        return CKP_ENOMEM;
    }
    c->n_rows++;
    return CKP_OK;
}

/* Two JSON values equal (numbers within the tolerance, arrays and objects
 * member by member in order). */
static int same_value(const ckp_json *a, const ckp_json *b)
{
    if (!a || !b) return a == b;
    if (a->type != b->type) return 0;
    switch (a->type) {
    case CKP_JSON_NULL: return 1;
    case CKP_JSON_BOOL: return a->boolean == b->boolean;
    case CKP_JSON_NUMBER: return !num_differs(a->number, b->number);
    case CKP_JSON_STRING: return strcmp(a->string, b->string) == 0;
    case CKP_JSON_ARRAY:
    case CKP_JSON_OBJECT:
        if (a->n != b->n) return 0;
        for (int i = 0; i < a->n; i++) {
            if (a->type == CKP_JSON_OBJECT && strcmp(a->keys[i], b->keys[i]) != 0) return 0;
            if (!same_value(&a->items[i], &b->items[i])) return 0;
        }
        return 1;
    }
    return 0;
}

/* Settings: every member of parameters.<group> in A or B that differs. */
static ckp_status settings(ckp_comparison *c, const char *group)
{
    char path[64], label[160];
    snprintf(path, sizeof path, "parameters.%s", group);
    const ckp_json *pa = ckp_json_path(c->a, path), *pb = ckp_json_path(c->b, path);
    for (int pass = 0; pass < 2; pass++) {
        const ckp_json *x = pass ? pb : pa, *y = pass ? pa : pb;
        for (int i = 0; i < ckp_json_len(x); i++) {
            const char *key = x->keys[i];
            if (strcmp(key, "progress") == 0 || strcmp(key, "verbose") == 0) continue;
            const ckp_json *other = ckp_json_get(y, key);
            if (pass && other) continue; /* seen in the first pass */
            if (same_value(&x->items[i], other)) continue;
            snprintf(label, sizeof label, "setting %s.%s", group, key);
            CKP_TRY(add_row(c, CMP_WARNING, label, pass ? other : &x->items[i],
                            pass ? &x->items[i] : other, 0));
        }
    }
    return CKP_OK;
}

static ckp_status warnings(ckp_comparison *c)
{
    static const struct { const char *path, *label; } keys[] = {
        {"input.sha256", "different plans: input sha256"},
        {"plan.name", "different plans: plan name"},
        {"tool.version", "different tool versions"},
        {"solver.version", "different solver versions"}};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        const ckp_json *a = ckp_json_path(c->a, keys[k].path);
        const ckp_json *b = ckp_json_path(c->b, keys[k].path);
        if (!same_value(a, b)) CKP_TRY(add_row(c, CMP_WARNING, keys[k].label, a, b, 0));
    }
    CKP_TRY(settings(c, "model"));
    return settings(c, "solve");
}

static ckp_status headline(ckp_comparison *c)
{
    static const struct { const char *path, *label; } keys[] = {
        {"status.mip_status", "status"},
        {"status.objective", "objective (share-years)"},
        {"status.best_bound", "best bound"},
        {"status.gap", "gap"},
        {"status.baseline_objective", "baseline objective"},
        {"totals.commitment", "bank commitment"},
        {"totals.capex", "capex of funded projects"},
        {"totals.private_capital", "private capital"},
        {"totals.shortage_tonnes", "shortage (t, all years)"}};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        const ckp_json *a = ckp_json_path(c->a, keys[k].path);
        const ckp_json *b = ckp_json_path(c->b, keys[k].path);
        CKP_TRY(add_row(c, CMP_HEADLINE, keys[k].label, a, b, !same_value(a, b)));
    }
    ckp_json na = {0}, nb = {0};
    na.type = nb.type = CKP_JSON_NUMBER;
    na.number = ckp_json_len(ckp_json_get(c->a, "portfolio"));
    nb.number = ckp_json_len(ckp_json_get(c->b, "portfolio"));
    return add_row(c, CMP_HEADLINE, "projects funded", &na, &nb, na.number != nb.number);
}

static const ckp_json *find_by(const ckp_json *arr, const char *key, const char *id)
{
    for (int i = 0; i < ckp_json_len(arr); i++) {
        const char *v = ckp_json_str(ckp_json_get(ckp_json_at(arr, i), key));
        if (v && id && strcmp(v, id) == 0) return ckp_json_at(arr, i);
    }
    return NULL;
}

/* "loan 2026, 100" of a portfolio entry. */
static void describe(const ckp_json *e, const char *year_key, char *buf, size_t size)
{
    const char *opt = ckp_json_str(ckp_json_get(e, "option"));
    double y = ckp_json_num(ckp_json_get(e, year_key));
    double m = ckp_json_num(ckp_json_get(e, "commitment"));
    if (isnan(m)) m = ckp_json_num(ckp_json_get(e, "cost"));
    snprintf(buf, size, "%s%s%.0f, %.1f M", opt ? opt : "", opt ? " " : "", y, m);
}

static ckp_status str_row(ckp_comparison *c, cmp_section sec, const char *label,
                          const char *a, const char *b)
{
    if (ckp_grow((void **)&c->rows, &c->cap_rows, c->n_rows + 1, sizeof *c->rows) != 0)
        return CKP_ENOMEM;
    cmp_row *r = &c->rows[c->n_rows];
    memset(r, 0, sizeof *r);
    r->section = sec;
    r->differs = 1;
    r->a = r->b = NAN;
    r->label = ckp_strdup(label);
    r->a_str = ckp_strdup(a ? a : "-");
    r->b_str = ckp_strdup(b ? b : "-");
    if (!r->label || !r->a_str || !r->b_str) {
        ckp_free(r->label);
        ckp_free(r->a_str);
        ckp_free(r->b_str);
        return CKP_ENOMEM;
    }
    c->n_rows++;
    return CKP_OK;
}

/* Items of one array keyed by id: added, dropped, changed. */
static ckp_status items(ckp_comparison *c, const char *array, const char *key,
                        const char *year_key)
{
    const ckp_json *pa = ckp_json_get(c->a, array), *pb = ckp_json_get(c->b, array);
    char da[160], db[160], label[200];
    for (int i = 0; i < ckp_json_len(pa); i++) {
        const ckp_json *e = ckp_json_at(pa, i);
        const char *id = ckp_json_str(ckp_json_get(e, key));
        const ckp_json *o = find_by(pb, key, id);
        describe(e, year_key, da, sizeof da);
        snprintf(label, sizeof label, "%s %s", key, id ? id : "?");
        if (!o) {
            CKP_TRY(str_row(c, CMP_DROPPED, label, da, NULL));
            continue;
        }
        describe(o, year_key, db, sizeof db);
        if (strcmp(da, db) != 0) CKP_TRY(str_row(c, CMP_CHANGED, label, da, db));
    }
    for (int i = 0; i < ckp_json_len(pb); i++) {
        const ckp_json *e = ckp_json_at(pb, i);
        const char *id = ckp_json_str(ckp_json_get(e, key));
        if (find_by(pa, key, id)) continue;
        describe(e, year_key, db, sizeof db);
        snprintf(label, sizeof label, "%s %s", key, id ? id : "?");
        CKP_TRY(str_row(c, CMP_ADDED, label, NULL, db));
    }
    return CKP_OK;
}

/* Per-year rows of arr[].years[] (or arr[] itself when sub is NULL)
 * matched by the entry's id key and the year; only rows that differ. */
static ckp_status yearly(ckp_comparison *c, cmp_section sec, const char *array,
                         const char *id_key, const char *sub, const char *value)
{
    const ckp_json *pa = ckp_json_get(c->a, array), *pb = ckp_json_get(c->b, array);
    char label[200];
    for (int i = 0; i < ckp_json_len(pa); i++) {
        const ckp_json *ea = ckp_json_at(pa, i);
        const char *id = id_key ? ckp_json_str(ckp_json_get(ea, id_key)) : NULL;
        const ckp_json *eb = id_key ? find_by(pb, id_key, id) : ckp_json_at(pb, i);
        const ckp_json *ya = sub ? ckp_json_get(ea, sub) : ea;
        const ckp_json *yb = sub ? ckp_json_get(eb, sub) : eb;
        int n = sub ? ckp_json_len(ya) : 1;
        for (int k = 0; k < n; k++) {
            const ckp_json *ra = sub ? ckp_json_at(ya, k) : ya;
            double year = ckp_json_num(ckp_json_get(ra, "year"));
            const ckp_json *rb = NULL;
            for (int j = 0; j < (sub ? ckp_json_len(yb) : 1); j++) {
                const ckp_json *t = sub ? ckp_json_at(yb, j) : yb;
                double ty = ckp_json_num(ckp_json_get(t, "year"));
                if ((isnan(year) && isnan(ty)) || ty == year) rb = t;
            }
            const ckp_json *va = ckp_json_get(ra, value), *vb = ckp_json_get(rb, value);
            if (same_value(va, vb)) continue;
            if (id && !isnan(year)) snprintf(label, sizeof label, "%s %.0f", id, year);
            else if (id) snprintf(label, sizeof label, "%s %s", id, value);
            else snprintf(label, sizeof label, "%.0f", year);
            CKP_TRY(add_row(c, sec, label, va, vb, 1));
        }
    }
    return CKP_OK;
}

static ckp_status load(const char *path, char **shown, ckp_json **out, ckp_diag_list *diag)
{
    char *file = NULL, *text = NULL;
    size_t size = 0;
    *out = NULL;
    size_t len = strlen(path) + 16;
    file = ckp_malloc(len);
    if (!file) return CKP_ENOMEM;
    FILE *probe = NULL;
    snprintf(file, len, "%s/summary.json", path);
    probe = fopen(file, "rb");
    if (probe) fclose(probe);
    else snprintf(file, len, "%s", path);
    ckp_status rc = st_read_file(file, &text, &size, diag);
    if (rc == CKP_OK) {
        char err[256];
        rc = ckp_json_parse(text, size, out, err, sizeof err);
        if (rc == CKP_EPARSE) {
            int line = 0;
            sscanf(err, "line %d", &line);
            const char *msg = strchr(err, ':');
            ckp_diag_add(diag, CKP_SEV_ERROR, file, line, "json", "%s", msg ? msg + 2 : err);
        } else if (rc == CKP_OK && !ckp_json_get(*out, "status")) {
            ckp_diag_add(diag, CKP_SEV_ERROR, file, (*out)->line, "compare-file",
                         "no \"status\" member: not a summary.json of chokepoint");
            ckp_json_free(*out);
            *out = NULL;
            rc = CKP_ESCHEMA;
        }
    }
    ckp_free(text);
    if (rc == CKP_OK) *shown = file;
    else ckp_free(file);
    return rc;
}

ckp_status ckp_compare(const char *a, const char *b, ckp_comparison **out,
                       ckp_diag_list *diag)
{
    *out = NULL;
    ckp_comparison *c = ckp_calloc(1, sizeof *c);
    if (!c) return CKP_ENOMEM;
    ckp_status ra = load(a, &c->path_a, &c->a, diag);
    ckp_status rb = load(b, &c->path_b, &c->b, diag);
    ckp_status rc = ra != CKP_OK ? ra : rb;
    if (rc == CKP_OK) rc = warnings(c);
    if (rc == CKP_OK) rc = headline(c);
    if (rc == CKP_OK) rc = items(c, "portfolio", "project", "start");
    if (rc == CKP_OK) rc = items(c, "upgrades", "upgrade", "start");
    if (rc == CKP_OK) rc = items(c, "stockpiles", "stockpile", "year");
    if (rc == CKP_OK) rc = yearly(c, CMP_STAGE, "stages", "stage", "years", "portfolio_share");
    if (rc == CKP_OK) rc = yearly(c, CMP_BUDGET, "budget", NULL, NULL, "disbursed");
    if (rc == CKP_OK) rc = yearly(c, CMP_SCENARIO, "scenarios", "scenario", NULL, "value");
    if (rc == CKP_OK)
        rc = yearly(c, CMP_SCENARIO, "scenarios", "scenario", NULL, "shortage_tonnes");
    if (rc != CKP_OK) {
        ckp_comparison_free(c);
        return rc;
    }
    *out = c;
    return CKP_OK;
}
