/* portfolio.c: portfolios as a user gives them (ckp/study.h): the
 * portfolio.csv or summary.json that `solve --out` writes (or its
 * directory), an XML portfolio (read in src/input/portfolio_xml.c), and
 * --fund ID[:OPTION[:YEAR]] on the command line.  Items only: resolving
 * ids against a plan is resolve.c. */
#include "ckp/study.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "study/study_int.h"
#include "util/alloc.h"
#include "util/json_read.h"

/* Largest portfolio file read (bytes). */
#define CKP_PORTFOLIO_MAX_FILE ((size_t)64 * 1024 * 1024)

void ckp_portfolio_init(ckp_portfolio *pf) { memset(pf, 0, sizeof *pf); }

void ckp_portfolio_fini(ckp_portfolio *pf)
{
    if (!pf) return;
    for (int i = 0; i < pf->n; i++) {
        ckp_free(pf->items[i].id);
        ckp_free(pf->items[i].option);
        ckp_free(pf->items[i].file);
    }
    ckp_free(pf->items);
    memset(pf, 0, sizeof *pf);
}

ckp_status st_portfolio_add(ckp_portfolio *pf, ckp_item_kind kind, const char *id,
                            const char *option, int start, const char *file, int line)
{
    if (ckp_grow((void **)&pf->items, &pf->cap, pf->n + 1, sizeof *pf->items) != 0)
        return CKP_ENOMEM;
    ckp_portfolio_item *it = &pf->items[pf->n];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    it->start = start;
    it->line = line;
    it->id = ckp_strdup(id ? id : "");
    it->option = option && *option ? ckp_strdup(option) : NULL;
    it->file = file ? ckp_strdup(file) : NULL;
    if (!it->id || (option && *option && !it->option) || (file && !it->file)) {
        ckp_free(it->id);
        ckp_free(it->option);
        ckp_free(it->file);
        return CKP_ENOMEM;
    }
    pf->n++;
    return CKP_OK;
}

/* A year: digits only, 1..9999; 0 when not. */
static int parse_year(const char *s)
{
    if (!s || !*s || strlen(s) > 4) return 0;
    int v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9') return 0;
        v = v * 10 + (*s - '0');
    }
    return v;
}

ckp_status ckp_portfolio_add_fund(ckp_portfolio *pf, const char *spec,
                                  ckp_diag_list *diag)
{
    char buf[512];
    if (!spec || !*spec || strlen(spec) >= sizeof buf) {
        ckp_diag_add(diag, CKP_SEV_ERROR, NULL, 0, "bad-fund",
                     "fund item '%s': expected ID[:OPTION[:YEAR]]", spec ? spec : "");
        return CKP_EUSAGE;
    }
    strcpy(buf, spec);
    char *f[3] = {buf, NULL, NULL};
    int n = 1;
    for (char *p = buf; *p; p++)
        if (*p == ':') {
            if (n == 3) {
                n = 4;
                break;
            }
            *p = '\0';
            f[n++] = p + 1;
        }
    /* ID:YEAR (an upgrade, or a project's default option) or ID:OPTION:YEAR */
    const char *option = NULL;
    int year = 0, bad = n > 3 || !*f[0];
    if (n == 2) {
        year = parse_year(f[1]);
        if (!year) option = f[1];
        bad |= !*f[1];
    } else if (n == 3) {
        option = f[1];
        year = parse_year(f[2]);
        bad |= !year || !*f[1];
    }
    if (bad) {
        ckp_diag_add(diag, CKP_SEV_ERROR, NULL, 0, "bad-fund",
                     "fund item '%s': expected ID[:OPTION[:YEAR]] (a year of four digits)",
                     spec);
        return CKP_EUSAGE;
    }
    return st_portfolio_add(pf, CKP_ITEM_ANY, f[0], option, year, NULL, 0);
}

/* ------------------------------------------------------------------ */
/* Files                                                                */

ckp_status st_read_file(const char *path, char **data, size_t *size,
                        ckp_diag_list *diag)
{
    *data = NULL;
    *size = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        ckp_diag_add(diag, CKP_SEV_ERROR, path, 0, "read", "cannot read the file: %s",
                     strerror(errno));
        return CKP_EIO;
    }
    size_t cap = 4096, n = 0;
    char *buf = ckp_malloc(cap + 1);
    ckp_status rc = buf ? CKP_OK : CKP_ENOMEM;
    while (rc == CKP_OK) {
        if (n == cap) {
            if (cap >= CKP_PORTFOLIO_MAX_FILE) {
                ckp_diag_add(diag, CKP_SEV_ERROR, path, 0, "read",
                             "the file is larger than %zu bytes", CKP_PORTFOLIO_MAX_FILE);
                rc = CKP_EIO;
                break;
            }
            char *nb = ckp_realloc(buf, 2 * cap + 1);
            if (!nb) {
                rc = CKP_ENOMEM;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t k = fread(buf + n, 1, cap - n, f);
        n += k;
        if (k == 0) {
            if (ferror(f)) {
                ckp_diag_add(diag, CKP_SEV_ERROR, path, 0, "read",
                             "cannot read the file: %s", strerror(errno ? errno : EIO));
                rc = CKP_EIO;
            }
            break;
        }
    }
    fclose(f);
    if (rc != CKP_OK) {
        ckp_free(buf);
        return rc;
    }
    buf[n] = '\0';
    *data = buf;
    *size = n;
    return CKP_OK;
}

/* The items of summary.json (portfolio, upgrades, stockpiles). */
static ckp_status read_json(const char *path, const char *text, size_t size,
                            ckp_portfolio *pf, ckp_diag_list *diag)
{
    char err[256];
    ckp_json *doc = NULL;
    ckp_status rc = ckp_json_parse(text, size, &doc, err, sizeof err);
    if (rc == CKP_EPARSE) {
        int line = 0;
        sscanf(err, "line %d", &line);
        const char *msg = strchr(err, ':');
        ckp_diag_add(diag, CKP_SEV_ERROR, path, line, "json", "%s",
                     msg ? msg + 2 : err);
        return rc;
    }
    if (rc != CKP_OK) return rc;
    static const struct { const char *array, *key; ckp_item_kind kind; } parts[] = {
        {"portfolio", "project", CKP_ITEM_PROJECT},
        {"upgrades", "upgrade", CKP_ITEM_UPGRADE},
        {"stockpiles", "stockpile", CKP_ITEM_STOCKPILE}};
    if (!ckp_json_get(doc, "portfolio")) {
        ckp_diag_add(diag, CKP_SEV_ERROR, path, doc->line, "portfolio-file",
                     "no \"portfolio\" array: not a summary.json of chokepoint solve");
        rc = CKP_ESCHEMA;
    }
    for (size_t k = 0; k < sizeof parts / sizeof parts[0] && rc == CKP_OK; k++) {
        const ckp_json *arr = ckp_json_get(doc, parts[k].array);
        for (int i = 0; i < ckp_json_len(arr) && rc == CKP_OK; i++) {
            const ckp_json *e = ckp_json_at(arr, i);
            const char *id = ckp_json_str(ckp_json_get(e, parts[k].key));
            double year = ckp_json_num(ckp_json_get(
                e, parts[k].kind == CKP_ITEM_STOCKPILE ? "year" : "start"));
            if (!id || !(year >= 1 && year <= 9999)) {
                ckp_diag_add(diag, CKP_SEV_ERROR, path, e ? e->line : 0, "portfolio-file",
                             "%s entry %d without \"%s\" or a year", parts[k].array, i + 1,
                             parts[k].key);
                rc = CKP_ESCHEMA;
                break;
            }
            rc = st_portfolio_add(pf, parts[k].kind, id,
                                  ckp_json_str(ckp_json_get(e, "option")), (int)year, path,
                                  e->line);
        }
    }
    ckp_json_free(doc);
    return rc;
}

/* One CSV record (RFC 4180) from *pos: fields into a malloc'd array of
 * malloc'd strings.  *line advances over the newlines crossed. */
static ckp_status csv_record(const char *t, size_t n, size_t *pos, int *line,
                             char ***fields, int *nf, int *bad_quote)
{
    size_t i = *pos;
    int cap = 0;
    *fields = NULL;
    *nf = 0;
    *bad_quote = 0;
    for (;;) {
        size_t cap_s = 16, k = 0;
        char *s = ckp_malloc(cap_s);
        if (!s) return CKP_ENOMEM;
        int quoted = i < n && t[i] == '"';
        if (quoted) i++;
        for (; i < n; i++) {
            char c = t[i];
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < n && t[i + 1] == '"') {
                        i++;
                    } else {
                        quoted = 0;
                        continue;
                    }
                }
                if (c == '\n') (*line)++;
            } else if (c == ',' || c == '\n' || c == '\r') {
                break;
            } else if (c == '"') {
                *bad_quote = 1;
            }
            if (k + 2 > cap_s) {
                char *ns = ckp_realloc(s, cap_s * 2);
                if (!ns) {
                    ckp_free(s);
                    return CKP_ENOMEM;
                }
                s = ns;
                cap_s *= 2;
            }
            s[k++] = c;
        }
        if (quoted) *bad_quote = 1; /* unterminated */
        s[k] = '\0';
        if (ckp_grow((void **)fields, &cap, *nf + 1, sizeof **fields) != 0) {
            ckp_free(s);
            return CKP_ENOMEM;
        }
        (*fields)[(*nf)++] = s;
        if (i < n && t[i] == ',') {
            i++;
            continue;
        }
        if (i < n && t[i] == '\r') i++;
        if (i < n && t[i] == '\n') i++;
        (*line)++;
        break;
    }
    *pos = i;
    return CKP_OK;
}

static void free_fields(char **f, int n)
{
    for (int i = 0; i < n; i++) ckp_free(f[i]);
    ckp_free(f);
}

static int find_col(char **hdr, int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(hdr[i], name) == 0) return i;
    return -1;
}

static ckp_status read_csv(const char *path, const char *t, size_t n, ckp_portfolio *pf,
                           ckp_diag_list *diag)
{
    size_t pos = 0;
    int line = 1, nh = 0, bad = 0;
    char **hdr = NULL;
    ckp_status rc = csv_record(t, n, &pos, &line, &hdr, &nh, &bad);
    if (rc != CKP_OK) {
        free_fields(hdr, nh);
        return rc;
    }
    int cp = find_col(hdr, nh, "project"), co = find_col(hdr, nh, "option");
    int cs = find_col(hdr, nh, "start"), ck = find_col(hdr, nh, "kind");
    if (cp < 0 || cs < 0) {
        ckp_diag_add(diag, CKP_SEV_ERROR, path, 1, "portfolio-file",
                     "the header has no '%s' column (a portfolio CSV needs project and "
                     "start, and may have option and kind)", cp < 0 ? "project" : "start");
        free_fields(hdr, nh);
        return CKP_ESCHEMA;
    }
    ckp_status worst = CKP_OK;
    while (pos < n && rc == CKP_OK) {
        int at = line, nf = 0;
        char **f = NULL;
        rc = csv_record(t, n, &pos, &line, &f, &nf, &bad);
        if (rc != CKP_OK) {
            free_fields(f, nf);
            break;
        }
        if (nf == 1 && !*f[0]) { /* blank line */
            free_fields(f, nf);
            continue;
        }
        ckp_item_kind kind = CKP_ITEM_PROJECT;
        const char *ks = ck >= 0 && ck < nf ? f[ck] : "";
        if (*ks) {
            kind = strcmp(ks, "project") == 0     ? CKP_ITEM_PROJECT
                   : strcmp(ks, "upgrade") == 0   ? CKP_ITEM_UPGRADE
                   : strcmp(ks, "stockpile") == 0 ? CKP_ITEM_STOCKPILE
                                                  : CKP_ITEM_ANY;
        }
        int year = cs < nf ? parse_year(f[cs]) : 0;
        if (bad || nf != nh || kind == CKP_ITEM_ANY || !*f[cp] ||
            (cs < nf && *f[cs] && !year)) {
            ckp_diag_add(diag, CKP_SEV_ERROR, path, at, "portfolio-file", "%s",
                         bad ? "a stray or unterminated double quote"
                         : nf != nh ? "the row does not have as many fields as the header"
                         : kind == CKP_ITEM_ANY
                             ? "kind must be project, upgrade or stockpile"
                         : !*f[cp] ? "the project column is empty"
                                   : "start is not a year");
            worst = CKP_ESCHEMA;
        } else {
            rc = st_portfolio_add(pf, kind, f[cp], co >= 0 ? f[co] : NULL, year, path, at);
        }
        free_fields(f, nf);
    }
    free_fields(hdr, nh);
    return rc != CKP_OK ? rc : worst;
}

ckp_status ckp_portfolio_read(const char *path, ckp_portfolio *pf, ckp_diag_list *diag)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        size_t len = strlen(path) + 16;
        char *p = ckp_malloc(len);
        if (!p) return CKP_ENOMEM;
        snprintf(p, len, "%s/summary.json", path);
        ckp_status rc = ckp_portfolio_read(p, pf, diag);
        ckp_free(p);
        return rc;
    }
    char *text = NULL;
    size_t size = 0;
    CKP_TRY(st_read_file(path, &text, &size, diag));
    size_t i = 0;
    if (size >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) i = 3; /* BOM */
    while (i < size && (text[i] == ' ' || text[i] == '\n' || text[i] == '\r' ||
                        text[i] == '\t'))
        i++;
    ckp_status rc;
    if (i < size && text[i] == '{')
        rc = read_json(path, text, size, pf, diag);
    else if (i < size && text[i] == '<')
        rc = st_portfolio_read_xml(path, text, size, pf, diag);
    else if (i < size)
        rc = read_csv(path, text + (size >= 3 && text[0] == '\xEF' ? 3 : 0),
                      size - (size >= 3 && text[0] == '\xEF' ? 3 : 0), pf, diag);
    else {
        ckp_diag_add(diag, CKP_SEV_ERROR, path, 0, "portfolio-file", "the file is empty");
        rc = CKP_ESCHEMA;
    }
    ckp_free(text);
    return rc;
}
