/* json_read.c: the strict JSON reader of json_read.h.  A recursive
 * descent over the text, depth-bounded; every value is copied into a tree
 * owned by the caller.  The first error stops the parse (a JSON file has
 * no lines to go on from, unlike a plan). */
#include "util/json_read.h"
#include "ckp/diag.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

typedef struct jr {
    const char *s;
    size_t n, i;
    int line;
    int oom;
    char *err;
    size_t err_size;
    int failed;
} jr;

static void fail(jr *p, const char *fmt, ...) CKP_PRINTF(2, 3);

static void fail(jr *p, const char *fmt, ...)
{
    if (p->failed) return;
    p->failed = 1;
    if (!p->err || p->err_size == 0) return;
    int k = snprintf(p->err, p->err_size, "line %d: ", p->line);
    if (k < 0 || (size_t)k >= p->err_size) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->err + k, p->err_size - (size_t)k, fmt, ap);
    va_end(ap);
}

static void skip_ws(jr *p)
{
    while (p->i < p->n) {
        char c = p->s[p->i];
        if (c == '\n') p->line++;
        else if (c != ' ' && c != '\t' && c != '\r') return;
        p->i++;
    }
}

static int lit(jr *p, const char *word)
{
    size_t k = strlen(word);
    if (p->n - p->i < k || memcmp(p->s + p->i, word, k) != 0) return 0;
    p->i += k;
    return 1;
}

/* Append code point cp as UTF-8 to buf (room for 4 bytes checked by the
 * caller). */
static size_t put_utf8(char *buf, unsigned cp)
{
    if (cp < 0x80) {
        buf[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        buf[0] = (char)(0xC0 | (cp >> 6));
        buf[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        buf[0] = (char)(0xE0 | (cp >> 12));
        buf[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        buf[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    buf[0] = (char)(0xF0 | (cp >> 18));
    buf[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    buf[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    buf[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static int hex4(jr *p, unsigned *out)
{
    unsigned v = 0;
    if (p->n - p->i < 4) return 0;
    for (int k = 0; k < 4; k++) {
        char c = p->s[p->i + (size_t)k];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
        else return 0;
    }
    p->i += 4;
    *out = v;
    return 1;
}

/* A string at p->i (on its opening quote): *out malloc'd. */
static char *parse_string(jr *p)
{
    p->i++; /* '"' */
    /* the decoded text is never longer than the source */
    size_t start = p->i, end = start;
    while (end < p->n && p->s[end] != '"') end += p->s[end] == '\\' ? 2 : 1;
    char *buf = ckp_malloc(end - start + 1);
    if (!buf) {
        p->oom = 1;
        return NULL;
    }
    size_t k = 0;
    for (;;) {
        if (p->i >= p->n) {
            fail(p, "unterminated string");
            break;
        }
        unsigned char c = (unsigned char)p->s[p->i];
        if (c == '"') {
            p->i++;
            buf[k] = '\0';
            return buf;
        }
        if (c < 0x20) {
            fail(p, "control character 0x%02x in a string", c);
            break;
        }
        if (c != '\\') {
            buf[k++] = (char)c;
            p->i++;
            continue;
        }
        p->i++;
        if (p->i >= p->n) {
            fail(p, "unterminated string");
            break;
        }
        char e = p->s[p->i++];
        const char *from = "\"\\/bfnrt", *to = "\"\\/\b\f\n\r\t";
        const char *at = strchr(from, e);
        if (e && at) {
            buf[k++] = to[at - from];
            continue;
        }
        unsigned cp;
        if (e != 'u' || !hex4(p, &cp)) {
            fail(p, "invalid escape in a string");
            break;
        }
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            unsigned lo;
            if (!lit(p, "\\u") || !hex4(p, &lo) || lo < 0xDC00 || lo > 0xDFFF) {
                fail(p, "unpaired surrogate \\u%04X in a string", cp);
                break;
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            fail(p, "unpaired surrogate \\u%04X in a string", cp);
            break;
        } else if (cp == 0) {
            fail(p, "\\u0000 in a string");
            break;
        }
        k += put_utf8(buf + k, cp);
    }
    ckp_free(buf);
    return NULL;
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int parse_number(jr *p, double *out)
{
    size_t i = p->i;
    if (i < p->n && p->s[i] == '-') i++;
    if (i < p->n && p->s[i] == '0') {
        i++;
    } else if (i < p->n && is_digit(p->s[i])) {
        while (i < p->n && is_digit(p->s[i])) i++;
    } else {
        return 0;
    }
    if (i < p->n && p->s[i] == '.') {
        i++;
        if (!(i < p->n && is_digit(p->s[i]))) return 0;
        while (i < p->n && is_digit(p->s[i])) i++;
    }
    if (i < p->n && (p->s[i] == 'e' || p->s[i] == 'E')) {
        i++;
        if (i < p->n && (p->s[i] == '+' || p->s[i] == '-')) i++;
        if (!(i < p->n && is_digit(p->s[i]))) return 0;
        while (i < p->n && is_digit(p->s[i])) i++;
    }
    char tmp[64];
    size_t len = i - p->i;
    if (len >= sizeof tmp) return 0;
    memcpy(tmp, p->s + p->i, len);
    tmp[len] = '\0';
    *out = strtod(tmp, NULL);
    if (!isfinite(*out)) return 0;
    p->i = i;
    return 1;
}

static void value_fini(ckp_json *v)
{
    if (!v) return;
    ckp_free(v->string);
    for (int k = 0; k < v->n; k++) {
        value_fini(&v->items[k]);
        if (v->keys) ckp_free(v->keys[k]);
    }
    ckp_free(v->items);
    ckp_free(v->keys);
}

static void parse_value(jr *p, ckp_json *v, int depth);

/* Members of an array (keys NULL) or object, after the opening bracket. */
static void parse_members(jr *p, ckp_json *v, int depth, char close)
{
    int cap = 0, cap_keys = 0;
    skip_ws(p);
    if (p->i < p->n && p->s[p->i] == close) {
        p->i++;
        return;
    }
    for (;;) {
        char *key = NULL;
        skip_ws(p);
        if (close == '}') {
            if (!(p->i < p->n && p->s[p->i] == '"')) {
                fail(p, "expected a member name in double quotes");
                return;
            }
            key = parse_string(p);
            if (!key) return;
            for (int k = 0; k < v->n; k++)
                if (strcmp(v->keys[k], key) == 0) {
                    fail(p, "duplicate member \"%s\"", key);
                    ckp_free(key);
                    return;
                }
            skip_ws(p);
            if (!(p->i < p->n && p->s[p->i] == ':')) {
                fail(p, "expected ':' after a member name");
                ckp_free(key);
                return;
            }
            p->i++;
        }
        if (ckp_grow((void **)&v->items, &cap, v->n + 1, sizeof *v->items) != 0 ||
            (close == '}' &&
             ckp_grow((void **)&v->keys, &cap_keys, v->n + 1, sizeof *v->keys) != 0)) {
            p->oom = 1;
            ckp_free(key);
            return;
        }
        memset(&v->items[v->n], 0, sizeof v->items[v->n]);
        if (close == '}') v->keys[v->n] = key;
        v->n++;
        parse_value(p, &v->items[v->n - 1], depth + 1);
        if (p->failed || p->oom) return;
        skip_ws(p);
        if (p->i < p->n && p->s[p->i] == ',') {
            p->i++;
            skip_ws(p);
            if (p->i < p->n && p->s[p->i] == close) {
                fail(p, "trailing comma");
                return;
            }
            continue;
        }
        if (p->i < p->n && p->s[p->i] == close) {
            p->i++;
            return;
        }
        fail(p, "expected ',' or '%c'", close);
        return;
    }
}

static void parse_value(jr *p, ckp_json *v, int depth)
{
    skip_ws(p);
    v->line = p->line;
    if (depth > CKP_JSON_MAX_DEPTH) {
        fail(p, "nesting deeper than %d", CKP_JSON_MAX_DEPTH);
        return;
    }
    if (p->i >= p->n) {
        fail(p, "unexpected end of the text");
        return;
    }
    char c = p->s[p->i];
    if (c == '{' || c == '[') {
        p->i++;
        v->type = c == '{' ? CKP_JSON_OBJECT : CKP_JSON_ARRAY;
        parse_members(p, v, depth, c == '{' ? '}' : ']');
    } else if (c == '"') {
        v->type = CKP_JSON_STRING;
        v->string = parse_string(p);
    } else if (lit(p, "null")) {
        v->type = CKP_JSON_NULL;
    } else if (lit(p, "true")) {
        v->type = CKP_JSON_BOOL;
        v->boolean = 1;
    } else if (lit(p, "false")) {
        v->type = CKP_JSON_BOOL;
    } else if (parse_number(p, &v->number)) {
        v->type = CKP_JSON_NUMBER;
    } else {
        fail(p, "unexpected character '%c'", c >= 0x20 && c < 0x7f ? c : '?');
    }
}

ckp_status ckp_json_parse(const char *text, size_t len, ckp_json **out, char *err,
                          size_t err_size)
{
    jr p = {text, len, 0, 1, 0, err, err_size, 0};
    *out = NULL;
    if (err && err_size) err[0] = '\0';
    if (!text) return CKP_EINTERNAL;
    ckp_json *v = ckp_calloc(1, sizeof *v);
    if (!v) return CKP_ENOMEM;
    parse_value(&p, v, 0);
    if (!p.failed && !p.oom) {
        skip_ws(&p);
        if (p.i < p.n) fail(&p, "text after the JSON value");
    }
    if (p.failed || p.oom) {
        ckp_json_free(v);
        return p.oom ? CKP_ENOMEM : CKP_EPARSE;
    }
    *out = v;
    return CKP_OK;
}

void ckp_json_free(ckp_json *v)
{
    if (!v) return;
    value_fini(v);
    ckp_free(v);
}

const ckp_json *ckp_json_get(const ckp_json *v, const char *key)
{
    if (!v || v->type != CKP_JSON_OBJECT || !key) return NULL;
    for (int k = 0; k < v->n; k++)
        if (strcmp(v->keys[k], key) == 0) return &v->items[k];
    return NULL;
}

const ckp_json *ckp_json_path(const ckp_json *v, const char *path)
{
    char part[128];
    while (v && path && *path) {
        const char *dot = strchr(path, '.');
        size_t k = dot ? (size_t)(dot - path) : strlen(path);
        if (k >= sizeof part) return NULL;
        memcpy(part, path, k);
        part[k] = '\0';
        v = ckp_json_get(v, part);
        path = dot ? dot + 1 : NULL;
    }
    return v;
}

const ckp_json *ckp_json_at(const ckp_json *v, int i)
{
    if (!v || v->type != CKP_JSON_ARRAY || i < 0 || i >= v->n) return NULL;
    return &v->items[i];
}

int ckp_json_len(const ckp_json *v)
{
    return v && (v->type == CKP_JSON_ARRAY || v->type == CKP_JSON_OBJECT) ? v->n : 0;
}

double ckp_json_num(const ckp_json *v)
{
    return v && v->type == CKP_JSON_NUMBER ? v->number : NAN;
}

const char *ckp_json_str(const ckp_json *v)
{
    return v && v->type == CKP_JSON_STRING ? v->string : NULL;
}
