/* json.c: the tiny JSON writer of the reports (see json.h). */
#include "report/json.h"

#include <math.h>

#include "report/common.h"

void jw_init(jw *w, FILE *out)
{
    w->out = out;
    w->depth = 0;
    w->count[0] = 0;
    w->bad = 0;
}

/* Length of the valid UTF-8 sequence at p (1..4), 0 when invalid. */
static int utf8_len(const unsigned char *p)
{
    int n;
    unsigned min;
    unsigned cp;
    if (p[0] < 0x80) return 1;
    if ((p[0] & 0xE0) == 0xC0) { n = 2; min = 0x80; cp = p[0] & 0x1Fu; }
    else if ((p[0] & 0xF0) == 0xE0) { n = 3; min = 0x800; cp = p[0] & 0x0Fu; }
    else if ((p[0] & 0xF8) == 0xF0) { n = 4; min = 0x10000; cp = p[0] & 0x07u; }
    else return 0;
    for (int i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) return 0;
        cp = cp << 6 | (p[i] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return n;
}

void jw_escape(FILE *out, const char *s)
{
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p >= 0x80) {
            int n = utf8_len(p);
            if (n == 0) {
                fputs("\\ufffd", out); /* invalid byte: replacement char */
            } else {
                fwrite(p, 1, (size_t)n, out);
                p += n - 1;
            }
            continue;
        }
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\b': fputs("\\b", out); break;
        case '\f': fputs("\\f", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (*p < 0x20 || *p == 0x7f) fprintf(out, "\\u%04x", *p);
            else fputc(*p, out);
        }
    }
    fputc('"', out);
}

static void indent(jw *w)
{
    for (int i = 0; i < w->depth; i++) fputs("  ", w->out);
}

/* Separator, newline, indentation and key before a value. */
static void member(jw *w, const char *key)
{
    if (w->depth > 0) {
        if (w->count[w->depth] > 0) fputc(',', w->out);
        fputc('\n', w->out);
        indent(w);
        w->count[w->depth]++;
    }
    if (key) {
        jw_escape(w->out, key);
        fputs(": ", w->out);
    }
}

static void begin(jw *w, const char *key, char c)
{
    member(w, key);
    fputc(c, w->out);
    if (w->depth + 1 >= JW_MAX_DEPTH) {
        w->bad = 1;
        return;
    }
    w->depth++;
    w->count[w->depth] = 0;
}

static void close_(jw *w, char c)
{
    if (w->depth == 0) {
        w->bad = 1;
        return;
    }
    int had = w->count[w->depth] > 0;
    w->depth--;
    if (had) {
        fputc('\n', w->out);
        indent(w);
    }
    fputc(c, w->out);
    if (w->depth == 0) fputc('\n', w->out);
}

void jw_object(jw *w, const char *key) { begin(w, key, '{'); }
void jw_end_object(jw *w) { close_(w, '}'); }
void jw_array(jw *w, const char *key) { begin(w, key, '['); }
void jw_end_array(jw *w) { close_(w, ']'); }

void jw_str(jw *w, const char *key, const char *s)
{
    member(w, key);
    if (s) jw_escape(w->out, s);
    else fputs("null", w->out);
}

void jw_num(jw *w, const char *key, double v)
{
    char b[64];
    member(w, key);
    fputs(rep_num(b, sizeof b, v) ? b : "null", w->out);
}

void jw_exact(jw *w, const char *key, double v)
{
    member(w, key);
    if (isfinite(v)) fprintf(w->out, "%.17g", v == 0 ? 0.0 : v);
    else fputs("null", w->out);
}

void jw_int(jw *w, const char *key, long v)
{
    member(w, key);
    fprintf(w->out, "%ld", v);
}

void jw_bool(jw *w, const char *key, int v)
{
    member(w, key);
    fputs(v ? "true" : "false", w->out);
}

void jw_null(jw *w, const char *key)
{
    member(w, key);
    fputs("null", w->out);
}
