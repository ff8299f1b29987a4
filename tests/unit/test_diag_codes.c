/* test_diag_codes.c: every diagnostic code the library or the CLI can emit
 * is documented in docs/diagnostics.md (a table row "| `code` | ..."), and
 * every documented code is emitted somewhere.  The codes are read from the
 * sources under src/: the first string literal of each call of ERR, WARN,
 * ckp_diag_add, diag_err, add_diag, xr_diag and bld_err that looks like a code
 * ([a-z][a-z0-9]* joined by '-'), and the "...-range" codes passed to
 * chk_num. */
#include "testutil.h"

#include <dirent.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_CODES 256

typedef struct codes {
    char *name[MAX_CODES];
    int n;
} codes;

static void add_code(codes *c, const char *s, size_t len)
{
    for (int i = 0; i < c->n; i++)
        if (strlen(c->name[i]) == len && !strncmp(c->name[i], s, len)) return;
    assert_true(c->n < MAX_CODES);
    c->name[c->n] = strndup(s, len);
    assert_non_null(c->name[c->n]);
    c->n++;
}

static int has_code(const codes *c, const char *s)
{
    for (int i = 0; i < c->n; i++)
        if (!strcmp(c->name[i], s)) return 1;
    return 0;
}

static int is_code(const char *s, size_t len)
{
    if (len == 0 || !(s[0] >= 'a' && s[0] <= 'z') || s[len - 1] == '-') return 0;
    for (size_t i = 0; i < len; i++) {
        char ch = s[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-')) return 0;
        if (ch == '-' && i > 0 && s[i - 1] == '-') return 0;
    }
    return 1;
}

static int ident_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch >= '0' && ch <= '9') || ch == '_';
}

/* Codes in the calls of one source text. */
static void scan_text(codes *c, const char *text)
{
    static const char *const calls[] = {"ERR", "WARN", "ckp_diag_add", "diag_err",
                                        "add_diag", "chk_num", "xr_diag", "bld_err"};
    for (size_t k = 0; k < sizeof calls / sizeof *calls; k++) {
        size_t lc = strlen(calls[k]);
        int range_only = !strcmp(calls[k], "chk_num");
        for (const char *p = strstr(text, calls[k]); p; p = strstr(p + lc, calls[k])) {
            if (p > text && ident_char(p[-1])) continue;
            const char *q = p + lc;
            while (*q == ' ' || *q == '\n') q++;
            if (*q != '(') continue;
            int depth = 0;
            for (; *q; q++) {
                if (*q == '(') depth++;
                else if (*q == ')' && --depth == 0) break;
                else if (*q == '{' || (*q == ';' && depth <= 1)) break;
                else if (*q == '"') {
                    const char *e = q + 1;
                    while (*e && *e != '"') e += *e == '\\' && e[1] ? 2 : 1;
                    size_t len = (size_t)(e - q - 1);
                    int want = is_code(q + 1, len) &&
                               (!range_only ||
                                (len > 6 && !strncmp(q + 1 + len - 6, "-range", 6)));
                    if (want) {
                        add_code(c, q + 1, len);
                        if (!range_only) break; /* the first code only */
                    }
                    q = *e ? e : e - 1;
                }
            }
        }
    }
}

/* Every .c file under dir (directories nest a few levels). */
static void scan_dir(codes *c, const char *dir, int *n_files)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st) != 0) continue;
        if (S_ISDIR(st.st_mode)) {
            scan_dir(c, path, n_files);
            continue;
        }
        size_t l = strlen(e->d_name);
        if (l < 3 || strcmp(e->d_name + l - 2, ".c") != 0) continue;
        char *text = tu_read_file(path, NULL);
        assert_non_null(text);
        scan_text(c, text);
        free(text);
        (*n_files)++;
    }
    closedir(d);
}

static void every_code_documented(void **state)
{
    (void)state;
    codes emitted = {0}, documented = {0};
    int n_files = 0;
    char path[4096];
    snprintf(path, sizeof path, "%s/src", CKP_SOURCE_DIR);
    scan_dir(&emitted, path, &n_files);
    assert_true(n_files > 10);
    /* the scanner finds the well-known ones */
    assert_true(has_code(&emitted, "unknown-ref"));
    assert_true(has_code(&emitted, "risk-range"));
    assert_true(has_code(&emitted, "xml-schema"));
    assert_true(has_code(&emitted, "solver-fatal"));

    snprintf(path, sizeof path, "%s/docs/diagnostics.md", CKP_SOURCE_DIR);
    char *doc = tu_read_file(path, NULL);
    assert_non_null(doc);
    for (const char *l = doc; l && *l;) {
        if (!strncmp(l, "| `", 3)) {
            const char *e = strchr(l + 3, '`');
            if (e && is_code(l + 3, (size_t)(e - l - 3))) add_code(&documented, l + 3, (size_t)(e - l - 3));
        }
        l = strchr(l, '\n');
        if (l) l++;
    }
    free(doc);

    int bad = 0;
    for (int i = 0; i < emitted.n; i++)
        if (!has_code(&documented, emitted.name[i])) {
            print_error("code '%s' is emitted under src/ but missing from "
                        "docs/diagnostics.md\n", emitted.name[i]);
            bad = 1;
        }
    for (int i = 0; i < documented.n; i++)
        if (!has_code(&emitted, documented.name[i])) {
            print_error("code '%s' is documented but emitted nowhere under src/\n",
                        documented.name[i]);
            bad = 1;
        }
    for (int i = 0; i < emitted.n; i++) free(emitted.name[i]);
    for (int i = 0; i < documented.n; i++) free(documented.name[i]);
    assert_false(bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_code_documented),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
