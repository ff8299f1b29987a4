/* testutil.c: shared helpers for the cmocka tests (see testutil.h). */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ckp/check.h"
#include "ckp/load.h"
#include "ckp/report.h"

const char *tu_path(const char *rel)
{
    static char buf[4096];
    snprintf(buf, sizeof buf, "%s/%s", CKP_TESTS_SRC, rel);
    return buf;
}

char *tu_diag_text(const ckp_diag_list *d)
{
    size_t cap = 256, len = 0;
    char *s = malloc(cap);
    s[0] = '\0';
    char line[1400];
    for (int i = 0; i < d->n; i++) {
        ckp_diag_format(&d->items[i], line, sizeof line);
        size_t n = strlen(line);
        while (len + n + 2 > cap) {
            cap *= 2;
            s = realloc(s, cap);
        }
        memcpy(s + len, line, n);
        len += n;
        s[len++] = '\n';
        s[len] = '\0';
    }
    return s;
}

static ckp_plan *finish_load(ckp_status st, ckp_plan *plan, ckp_diag_list *d)
{
    if (st == CKP_OK) st = ckp_plan_check(plan, d);
    if (st != CKP_OK || d->n_errors) {
        char *t = tu_diag_text(d);
        print_error("plan failed to load/check (%s):\n%s", ckp_status_str(st), t);
        free(t);
        ckp_plan_free(plan);
        ckp_diag_list_fini(d);
        fail();
    }
    ckp_diag_list_fini(d);
    return plan;
}

ckp_plan *tu_load_checked(const char *rel)
{
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    ckp_plan *plan = NULL;
    ckp_status st = ckp_plan_load(tu_path(rel), &plan, &d);
    return finish_load(st, plan, &d);
}

ckp_plan *tu_load_checked_str(const char *xml)
{
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    ckp_plan *plan = NULL;
    ckp_status st = ckp_plan_load_memory(xml, strlen(xml), "<string>", &plan, &d);
    return finish_load(st, plan, &d);
}

char *tu_read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len < 2) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
    }
    fclose(f);
    buf[len] = '\0';
    if (size) *size = len;
    return buf;
}

/* Not inlined: GCC's -Wdangling-pointer could mistake pointers into the
 * returned text for pointers to the local that open_memstream filled. */
__attribute__((noinline)) char *tu_capture(ckp_status (*fn)(const ckp_result *, FILE *),
                                           const ckp_result *r)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    assert_non_null(f);
    assert_int_equal(fn(r, f), CKP_OK);
    fclose(f);
    return buf;
}

ckp_status tu_report_json(const ckp_result *r, FILE *out) { return ckp_report_json(r, NULL, out); }

ckp_status tu_report_html(const ckp_result *r, FILE *out) { return ckp_report_html(r, NULL, out); }

int tu_run(const char *cmd, char **out, char **err)
{
    char *tmpl_o = tu_tmpfile("test-out");
    char *tmpl_e = tu_tmpfile("test-err");
    size_t len = strlen(cmd) + strlen(tmpl_o) + strlen(tmpl_e) + 32;
    char *full = malloc(len);
    snprintf(full, len, "%s >%s 2>%s </dev/null", cmd, tmpl_o, tmpl_e);
    int rc = system(full);
    free(full);
    if (out) *out = tu_read_file(tmpl_o, NULL);
    if (err) *err = tu_read_file(tmpl_e, NULL);
    tu_tmp_remove(tmpl_o);
    tu_tmp_remove(tmpl_e);
    free(tmpl_o);
    free(tmpl_e);
    if (rc == -1 || !WIFEXITED(rc)) return -1;
    return WEXITSTATUS(rc);
}

/* ---- JSON syntax check (RFC 8259 grammar) ---- */

static const char *js_ws(const char *p)
{
    while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t') p++;
    return p;
}

static const char *js_value(const char *p, int depth);

static const char *js_string(const char *p)
{
    if (*p != '"') return NULL;
    for (p++; *p && *p != '"'; p++) {
        if ((unsigned char)*p < 0x20) return NULL;
        if (*p == '\\') {
            p++;
            if (*p == 'u') {
                for (int i = 1; i <= 4; i++)
                    if (!p[i] || !strchr("0123456789abcdefABCDEF", p[i])) return NULL;
                p += 4;
            } else if (!*p || !strchr("\"\\/bfnrt", *p)) {
                return NULL;
            }
        }
    }
    return *p == '"' ? p + 1 : NULL;
}

static const char *js_number(const char *p)
{
    const char *s = p;
    if (*p == '-') p++;
    if (*p == '0') p++;
    else if (*p >= '1' && *p <= '9') while (*p >= '0' && *p <= '9') p++;
    else return NULL;
    if (*p == '.') {
        p++;
        if (!(*p >= '0' && *p <= '9')) return NULL;
        while (*p >= '0' && *p <= '9') p++;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-') p++;
        if (!(*p >= '0' && *p <= '9')) return NULL;
        while (*p >= '0' && *p <= '9') p++;
    }
    return p > s ? p : NULL;
}

static const char *js_value(const char *p, int depth)
{
    if (depth > 64) return NULL;
    p = js_ws(p);
    if (*p == '{' || *p == '[') {
        char close = *p == '{' ? '}' : ']';
        int obj = *p == '{';
        p = js_ws(p + 1);
        if (*p == close) return p + 1;
        for (;;) {
            if (obj) {
                p = js_string(js_ws(p));
                if (!p) return NULL;
                p = js_ws(p);
                if (*p++ != ':') return NULL;
            }
            p = js_value(p, depth + 1);
            if (!p) return NULL;
            p = js_ws(p);
            if (*p == ',') {
                p++;
                continue;
            }
            return *p == close ? p + 1 : NULL;
        }
    }
    if (*p == '"') return js_string(p);
    if (strncmp(p, "true", 4) == 0) return p + 4;
    if (strncmp(p, "false", 5) == 0) return p + 5;
    if (strncmp(p, "null", 4) == 0) return p + 4;
    return js_number(p);
}

int tu_json_valid(const char *text)
{
    const char *end = js_value(text, 0);
    return end && *js_ws(end) == '\0';
}

ckp_result *tu_solve(const ckp_plan *plan, const ckp_model_params *mp,
                     const ckp_solve_params *sp)
{
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    ckp_result *r = NULL;
    ckp_status st = ckp_run(plan, mp, sp, &r, &d);
    if (st != CKP_OK || d.n_errors > 0) {
        char *t = tu_diag_text(&d);
        print_error("ckp_run: %s\n%s", ckp_status_str(st), t);
        free(t);
    }
    assert_int_equal(st, CKP_OK);
    assert_non_null(r);
    assert_int_equal(d.n_errors, 0);
    ckp_diag_list_fini(&d);
    return r;
}

char *tu_out;
char *tu_err;

void tu_cli_free(void)
{
    free(tu_out);
    free(tu_err);
    tu_out = tu_err = NULL;
}

int tu_cli(const char *fmt, ...)
{
    char args[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(args, sizeof args, fmt, ap);
    va_end(ap);
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "'%s' %s", CKP_CLI_BIN, args);
    tu_cli_free();
    int rc = tu_run(cmd, &tu_out, &tu_err);
    assert_non_null(tu_out);
    assert_non_null(tu_err);
    return rc;
}

int tu_sh(const char *fmt, ...)
{
    char line[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    char cmd[8192];
    snprintf(cmd, sizeof cmd, "sh -c \"%s\"", line);
    tu_cli_free();
    return tu_run(cmd, &tu_out, &tu_err);
}
