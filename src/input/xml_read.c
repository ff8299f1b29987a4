/* xml_read.c: reading a plan from XML (see ckp/load.h and
 * docs/plan-format.md).  The only file of the library that includes
 * libxml2; xmlDoc, xmlNode and xmlChar never leave it.
 *
 * Steps of one load:
 *   1. read the file into memory ourselves (CKP_EIO on failure), so libxml2
 *      never opens a file or a URL;
 *   2. parse with XML_PARSE_NONET | XML_PARSE_BIG_LINES (| XML_PARSE_NO_XXE
 *      from libxml2 2.13), never XML_PARSE_NOENT and never loading a DTD.
 *      SAX hooks stop the parser at the first <!DOCTYPE (so entity bombs
 *      and external entities are never expanded or read) and at a nesting
 *      depth above CKP_XML_MAX_DEPTH;
 *   3. validate against the schema compiled into the library (compiled
 *      once per process, reused; a fresh validation context per document);
 *   4. report numbers the schema accepts but that are not finite (NaN, INF,
 *      1e400);
 *   5. copy the tree into a ckp_plan, applying the documented defaults.
 * Every libxml2 message becomes a diagnostic "file:line: error: message";
 * nothing is printed.  All problems of steps 2-4 are reported, not only
 * the first (a syntax error ends parsing, though: there is no tree after
 * it). */
#include "ckp/load.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlversion.h>

#include "ckp/check.h"
#include "input/hint.h"
#include "util/alloc.h"
#include "util/sha256.h"

/* Generated from schema/plan.xsd by cmake/embed.cmake. */
extern const char ckp_plan_xsd_text[];

/* Deepest element nesting accepted (a valid plan needs 4). */
#define CKP_XML_MAX_DEPTH 32
/* libxml2 messages kept per load; a hostile file could make thousands. */
#define CKP_XML_MAX_MESSAGES 100
/* Largest file read (bytes). */
#define CKP_XML_MAX_FILE ((size_t)256 * 1024 * 1024)
/* Longest value quoted in a diagnostic. */
#define CKP_XML_QUOTE 60

#if LIBXML_VERSION >= 21200
typedef const xmlError *ckp_xml_error_ptr;
#else
typedef xmlErrorPtr ckp_xml_error_ptr;
#endif

/* ------------------------------------------------------------------ */
/* State of one load                                                   */

typedef struct load_state {
    const char *file;       /* name used in diagnostics */
    ckp_diag_list *diag;
    int n_errors;           /* errors this load appended */
    int n_messages;         /* libxml2 messages seen */
    int oom;                /* an allocation failed */
    int stopped;            /* we stopped the parser (DTD, depth) */
    int depth;
    startElementNsSAX2Func start;
    endElementNsSAX2Func end;
} load_state;

/* The load running on this thread, for the parser's SAX callbacks (their
 * context argument is the parser context). */
static _Thread_local load_state *tl_state;

static void add_diag(load_state *st, ckp_severity sev, int line,
                     const char *code, const char *fmt, ...)
    CKP_PRINTF(5, 6);

static void add_diag(load_state *st, ckp_severity sev, int line,
                     const char *code, const char *fmt, ...)
{
    char buf[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if (sev == CKP_SEV_ERROR) st->n_errors++;
    if (ckp_diag_add(st->diag, sev, st->file, line, code, "%s", buf) != CKP_OK)
        st->oom = 1;
}

/* Copy s into buf (size bytes) for quoting in a message, shortened with
 * "..." when longer than CKP_XML_QUOTE bytes. */
static const char *quote(const char *s, char *buf, size_t size)
{
    size_t n = strlen(s);
    if (n <= CKP_XML_QUOTE || size < CKP_XML_QUOTE + 4) {
        snprintf(buf, size, "%s", s);
    } else {
        size_t k = CKP_XML_QUOTE;
        /* do not cut a UTF-8 sequence in half */
        while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80) k--;
        snprintf(buf, size, "%.*s...", (int)k, s);
    }
    return buf;
}

/* ------------------------------------------------------------------ */
/* libxml2 error capture                                               */

static int line_of(const xmlNode *n);

/* The name quoted after `key` in msg (e.g. "attribute '"), into out. */
static int quoted_after(const char *msg, const char *key, char *out, size_t n)
{
    const char *p = strstr(msg, key);
    if (!p) return 0;
    p += strlen(key);
    const char *e = strchr(p, '\'');
    if (!e || (size_t)(e - p) >= n || e == p) return 0;
    memcpy(out, p, (size_t)(e - p));
    out[e - p] = '\0';
    return 1;
}

/* "Did you mean" for a misspelt element or attribute name: the nearest of
 * the elements libxml2 says are expected there, else of the names the
 * schema declares (docs/diagnostics.md, "Hints"), appended to libxml2's
 * message. */
static void add_schema_hint(char *msg, size_t size)
{
    char word[130], best[130];
    const char *tag = NULL;
    if (strstr(msg, "This element is not expected") &&
        quoted_after(msg, "Element '", word, sizeof word))
        tag = "<xs:element ";
    else if (strstr(msg, "is not allowed") &&
             quoted_after(msg, "attribute '", word, sizeof word))
        tag = "<xs:attribute ";
    if (!tag) return;
    const char *list = strstr(msg, "Expected is ");
    list = list ? strchr(list, '(') : NULL;
    if (list) {
        /* libxml2 names the elements allowed here: the hint is one of them */
        ckp_hint h;
        ckp_hint_init(&h, word);
        char names[600], *save = NULL;
        snprintf(names, sizeof names, "%s", list + 1);
        char *end = strchr(names, ')');
        if (end) *end = '\0';
        for (char *t = strtok_r(names, ", ", &save); t; t = strtok_r(NULL, ", ", &save))
            ckp_hint_offer(&h, t);
        if (!h.best) return;
        snprintf(best, sizeof best, "%s", h.best);
    } else if (!ckp_hint_schema_name(ckp_plan_xsd_text, tag, word, best, sizeof best)) {
        return;
    }
    size_t o = strlen(msg);
    snprintf(msg + o, size - o, " Did you mean '%s'?", best);
}

/* Turn one libxml2 error into a diagnostic: strip the "{namespace}"
 * prefix libxml2 puts before element names and the trailing newline. */
static void take_error(load_state *st, ckp_xml_error_ptr e)
{
    if (!st || !e) return;
    if (e->code == XML_ERR_USER_STOP) return;
    /* once we stopped the parser ourselves, our message says why */
    if (st->stopped && (e->domain == XML_FROM_PARSER ||
                        e->domain == XML_FROM_NAMESPACE ||
                        e->domain == XML_FROM_IO))
        return;
    if (st->n_messages++ >= CKP_XML_MAX_MESSAGES) {
        if (st->n_messages == CKP_XML_MAX_MESSAGES + 1)
            add_diag(st, CKP_SEV_NOTE, 0, "xml-too-many",
                     "more than %d problems; the rest are not shown",
                     CKP_XML_MAX_MESSAGES);
        return;
    }
    char msg[800];
    const char *src = e->message ? e->message : "unknown XML error";
    size_t o = 0;
    static const char ns[] = "{" CKP_PLAN_NS "}";
    while (*src && o + 1 < sizeof msg) {
        if (strncmp(src, ns, sizeof ns - 1) == 0) {
            src += sizeof ns - 1;
            continue;
        }
        char ch = *src++;
        if (ch == '\n' || ch == '\r' || ch == '\t') ch = ' ';
        msg[o++] = ch;
    }
    msg[o] = '\0';
    while (o > 0 && (msg[o - 1] == '\n' || msg[o - 1] == ' ')) msg[--o] = '\0';
    add_schema_hint(msg, sizeof msg);

    int line = e->line;
    if (e->node) {
        const xmlNode *n = e->node;
        if (n->type == XML_ATTRIBUTE_NODE && n->parent) n = n->parent;
        int l = line_of(n);
        if (l > 0) line = l;
    }
    if (line < 0) line = 0;

    const char *code;
    switch (e->domain) {
    case XML_FROM_SCHEMASV: code = "xml-schema"; break;
    case XML_FROM_SCHEMASP: code = "internal"; break;
    case XML_FROM_IO: code = "io"; break;
    default: code = "xml-syntax"; break;
    }
    ckp_severity sev = e->level == XML_ERR_WARNING ? CKP_SEV_WARNING
                                                   : CKP_SEV_ERROR;
    int before = st->diag ? st->diag->n : 0;
    add_diag(st, sev, line, code, "%s", msg);
    /* libxml2 knows the column of syntax errors (int2); schema errors
       carry the node's line only */
    if (st->diag && st->diag->n > before && e->int2 > 0 && line == e->line)
        st->diag->items[st->diag->n - 1].column = e->int2;
}

static void on_parser_error(void *ctx, ckp_xml_error_ptr e)
{
    (void)ctx;
    take_error(tl_state, e);
}

static void on_error(void *ctx, ckp_xml_error_ptr e)
{
    take_error(ctx, e);
}

/* Generic (unstructured) messages are dropped: every error libxml2 raises
 * also goes through a structured handler. */
static void on_generic(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

/* ------------------------------------------------------------------ */
/* SAX hooks: no DTD, bounded depth                                    */

static int sax_line(void *ctx)
{
    xmlParserCtxtPtr c = ctx;
    if (!c || !c->input) return 0;
    return c->input->line;
}

static void refuse_dtd(void *ctx, const char *what)
{
    load_state *st = tl_state;
    if (!st || st->stopped) return;
    add_diag(st, CKP_SEV_ERROR, sax_line(ctx), "xml-dtd",
             "DTD and entity declarations are not allowed (%s found)", what);
    st->stopped = 1;
    xmlStopParser(ctx);
}

static void on_internal_subset(void *ctx, const xmlChar *name,
                               const xmlChar *external_id,
                               const xmlChar *system_id)
{
    (void)name;
    (void)external_id;
    (void)system_id;
    refuse_dtd(ctx, "<!DOCTYPE>");
}

static void on_entity_decl(void *ctx, const xmlChar *name, int type,
                           const xmlChar *public_id, const xmlChar *system_id,
                           xmlChar *content)
{
    (void)name;
    (void)type;
    (void)public_id;
    (void)system_id;
    (void)content;
    refuse_dtd(ctx, "<!ENTITY>");
}

/* Line of the '<' that opens the start tag being reported (attribute
 * values cannot contain '<'); 0 when that text is no longer buffered. */
static int tag_start_line(void *ctx)
{
    xmlParserCtxtPtr c = ctx;
    xmlParserInputPtr in = c ? c->input : NULL;
    if (!in || !in->cur || !in->base) return 0;
    int nl = 0;
    for (const xmlChar *p = in->cur; p > in->base;) {
        p--;
        if (*p == '<') return in->line - nl;
        if (*p == '\n') nl++;
    }
    return 0;
}

static void on_start(void *ctx, const xmlChar *localname,
                     const xmlChar *prefix, const xmlChar *uri,
                     int nb_namespaces, const xmlChar **namespaces,
                     int nb_attributes, int nb_defaulted,
                     const xmlChar **attributes)
{
    load_state *st = tl_state;
    if (++st->depth > CKP_XML_MAX_DEPTH) {
        if (!st->stopped) {
            add_diag(st, CKP_SEV_ERROR, sax_line(ctx), "xml-depth",
                     "elements nested more than %d deep (at '%s')",
                     CKP_XML_MAX_DEPTH, (const char *)localname);
            st->stopped = 1;
            xmlStopParser(ctx);
        }
        return;
    }
    int line = tag_start_line(ctx);
    st->start(ctx, localname, prefix, uri, nb_namespaces, namespaces,
              nb_attributes, nb_defaulted, attributes);
    /* libxml2 dates an element by the end of its start tag, and keeps
     * only 16 bits of it in the element; a planner looks for the line
     * where "<project" begins.  The full line goes in the node's
     * application field (_private, never touched by libxml2). */
    xmlParserCtxtPtr c = ctx;
    xmlNodePtr n = c->node;
    if (n && line > 0 && !n->_private && xmlStrEqual(n->name, localname)) {
        n->_private = (void *)(intptr_t)line;
        if (line < 65535) n->line = (unsigned short)line;
    }
}

static void on_end(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                   const xmlChar *uri)
{
    load_state *st = tl_state;
    if (st->depth-- > CKP_XML_MAX_DEPTH) return;
    st->end(ctx, localname, prefix, uri);
}

/* ------------------------------------------------------------------ */
/* Schema: compiled once per process                                   */

static pthread_mutex_t schema_lock = PTHREAD_MUTEX_INITIALIZER;
static xmlSchemaPtr schema;

/* Returns the compiled schema, compiling it on first use (errors from
 * compiling go to st; they mean the built-in schema is broken). */
static ckp_status get_schema(load_state *st, xmlSchemaPtr *out)
{
    ckp_status rc = CKP_OK;
    pthread_mutex_lock(&schema_lock);
    if (!schema) {
        xmlSchemaParserCtxtPtr pc = xmlSchemaNewMemParserCtxt(
            ckp_plan_xsd_text, (int)strlen(ckp_plan_xsd_text));
        if (!pc) {
            rc = CKP_ENOMEM;
        } else {
            xmlSchemaSetParserStructuredErrors(pc, on_error, st);
            schema = xmlSchemaParse(pc);
            xmlSchemaFreeParserCtxt(pc);
            if (!schema) {
                add_diag(st, CKP_SEV_ERROR, 0, "internal",
                         "the built-in plan schema does not compile");
                rc = CKP_EINTERNAL;
            }
        }
    }
    *out = schema;
    pthread_mutex_unlock(&schema_lock);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Tree helpers                                                        */

/* Attribute values that are not a single text node (rare) are built with
 * libxml2 and kept here until the load ends. */
typedef struct conv {
    load_state *st;
    xmlChar **scratch;
    int n_scratch;
    int cap_scratch;
    int oom;
    ckp_plan *plan;
} conv;

static int is_el(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           strcmp((const char *)n->ns->href, CKP_PLAN_NS) == 0 &&
           (!name || strcmp((const char *)n->name, name) == 0);
}

static const xmlNode *first_child(const xmlNode *n, const char *name)
{
    for (const xmlNode *c = n->children; c; c = c->next)
        if (is_el(c, name)) return c;
    return NULL;
}

static int count_children(const xmlNode *n, const char *name)
{
    int k = 0;
    for (const xmlNode *c = n ? n->children : NULL; c; c = c->next)
        if (is_el(c, name)) k++;
    return k;
}

static int line_of(const xmlNode *n)
{
    if (n->type == XML_ELEMENT_NODE && n->_private)
        return (int)(intptr_t)n->_private;
    long l = xmlGetLineNo(n);
    return l > 0 && l <= INT_MAX ? (int)l : 0;
}

/* Value of attribute name on n (no namespace), or NULL. */
static const char *attr(conv *cv, const xmlNode *n, const char *name)
{
    for (const xmlAttr *a = n->properties; a; a = a->next) {
        if (a->ns || strcmp((const char *)a->name, name) != 0) continue;
        const xmlNode *t = a->children;
        if (!t) return "";
        if (t->type == XML_TEXT_NODE && !t->next && t->content)
            return (const char *)t->content;
        xmlChar *v = xmlNodeListGetString(n->doc, t, 1);
        if (!v || ckp_grow((void **)&cv->scratch, &cv->cap_scratch,
                           cv->n_scratch + 1, sizeof *cv->scratch)) {
            xmlFree(v);
            cv->oom = 1;
            return "";
        }
        cv->scratch[cv->n_scratch++] = v;
        return (const char *)v;
    }
    return NULL;
}

static char *str(conv *cv, const char *s)
{
    if (!s) return NULL;
    char *d = ckp_strdup(s);
    if (!d) cv->oom = 1;
    return d;
}

/* Zeroed array of n elements (NULL when n == 0 or on failure). */
static void *array(conv *cv, int n, size_t elem)
{
    if (n <= 0) return NULL;
    void *p = ckp_calloc((size_t)n, elem);
    if (!p) cv->oom = 1;
    return p;
}

/* The schema has checked the lexical form; finiteness was checked by
 * scan_numbers(), so plain strtod is enough here. */
static double num(const char *s, double dflt)
{
    if (!s) return dflt;
    return strtod(s, NULL);
}

static int inum(const char *s, int dflt)
{
    if (!s) return dflt;
    errno = 0;
    long v = strtol(s, NULL, 10);
    if (errno || v > INT_MAX || v < INT_MIN) return dflt; /* xs:int: unreachable */
    return (int)v;
}

static void set_ref(conv *cv, ckp_ref *r, const xmlNode *n, const char *name)
{
    r->id = str(cv, attr(cv, n, name));
    r->ix = -1;
    r->line = line_of(n);
}

/* Whitespace-separated list of numbers; dflt (may be NULL) when absent. */
static void num_list(conv *cv, const char *s, const char *dflt, double **out,
                     int *n_out)
{
    *out = NULL;
    *n_out = 0;
    if (!s) s = dflt;
    if (!s) return;
    int n = 0;
    const char *p = s;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') p++;
        if (!*p) break;
        n++;
        while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') p++;
    }
    if (n == 0) return;
    double *v = array(cv, n, sizeof *v);
    if (!v) return;
    p = s;
    for (int i = 0; i < n; i++) {
        char *end;
        v[i] = strtod(p, &end);
        p = end;
        while (*p && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') p++;
    }
    *out = v;
    *n_out = n;
}

/* ------------------------------------------------------------------ */
/* Non-finite numbers                                                  */

/* Attributes of type number (or list of numbers) in the schema. */
static const char *const number_attrs[] = {
    "risk", "weight", "per-tonne", "tonnes", "capacity", "available",
    "amount", "capex", "breakeven", "commitment", "cost", "total",
    "shortage-penalty", "ramp", "schedule", "release", "probability",
    "scale", "price", "share"};

static int is_number_attr(const char *name)
{
    for (size_t i = 0; i < sizeof number_attrs / sizeof *number_attrs; i++)
        if (strcmp(number_attrs[i], name) == 0) return 1;
    return 0;
}

/* 1 when tok (len bytes, ended by whitespace or NUL) is a number the
 * schema accepts that is not a finite double: NaN, INF, -INF, or a
 * literal that overflows (1e400, or 400 digits). */
static int non_finite(const char *tok, size_t len)
{
    static const char *const words[] = {"NaN", "INF", "-INF", "+INF"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (len == strlen(words[i]) && memcmp(tok, words[i], len) == 0)
            return 1;
    const char *p = tok;
    if (*p == '+' || *p == '-') p++;
    if (!((*p >= '0' && *p <= '9') || *p == '.')) return 0; /* schema's job */
    char *end;
    double v = strtod(tok, &end);
    if (end != tok + len) return 0; /* not a number: the schema reports it */
    return !isfinite(v);
}

/* Recursive over element nesting, which the parser bounds at
 * CKP_XML_MAX_DEPTH: deeper documents never reach this point. */
static void scan_numbers(conv *cv, const xmlNode *n)
{
    for (const xmlNode *c = n; c; c = c->next) {
        if (c->type != XML_ELEMENT_NODE) continue;
        if (is_el(c, NULL)) {
            for (const xmlAttr *a = c->properties; a; a = a->next) {
                if (a->ns || !is_number_attr((const char *)a->name)) continue;
                const char *v = attr(cv, c, (const char *)a->name);
                if (!v) continue;
                const char *p = v;
                for (;;) {
                    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
                        p++;
                    if (!*p) break;
                    const char *t = p;
                    while (*p && *p != ' ' && *p != '\t' && *p != '\n' &&
                           *p != '\r')
                        p++;
                    if (!non_finite(t, (size_t)(p - t))) continue;
                    int whole = (size_t)(p - t) == strlen(v);
                    char q[CKP_XML_QUOTE + 8];
                    if (whole)
                        add_diag(cv->st, CKP_SEV_ERROR, line_of(c),
                                 "non-finite",
                                 "Element '%s', attribute '%s': '%s' is "
                                 "not a finite number.",
                                 (const char *)c->name,
                                 (const char *)a->name, quote(v, q, sizeof q));
                    else
                        add_diag(cv->st, CKP_SEV_ERROR, line_of(c),
                                 "non-finite",
                                 "Element '%s', attribute '%s': item '%.*s' "
                                 "of '%s' is not a finite number.",
                                 (const char *)c->name,
                                 (const char *)a->name,
                                 (int)(p - t < CKP_XML_QUOTE ? p - t
                                                             : CKP_XML_QUOTE),
                                 t, quote(v, q, sizeof q));
                }
            }
        }
        scan_numbers(cv, c->children);
    }
}

/* ------------------------------------------------------------------ */
/* Tree -> ckp_plan                                                    */

static void ratios(conv *cv, const xmlNode *n, const char *name,
                   ckp_ratio **out, int *n_out)
{
    int k = count_children(n, name);
    *out = array(cv, k, sizeof **out);
    *n_out = *out ? k : 0;
    int i = 0;
    for (const xmlNode *c = n->children; c && *out; c = c->next) {
        if (!is_el(c, name)) continue;
        ckp_ratio *r = &(*out)[i++];
        set_ref(cv, &r->commodity, c, "commodity");
        r->per_tonne = num(attr(cv, c, "per-tonne"), 0.0);
        r->source = str(cv, attr(cv, c, "source"));
        r->line = line_of(c);
    }
}

static void amounts(conv *cv, const xmlNode *n, const char *name,
                    ckp_amount **out, int *n_out)
{
    int k = count_children(n, name);
    *out = array(cv, k, sizeof **out);
    *n_out = *out ? k : 0;
    int i = 0;
    for (const xmlNode *c = n->children; c && *out; c = c->next) {
        if (!is_el(c, name)) continue;
        ckp_amount *a = &(*out)[i++];
        set_ref(cv, &a->resource, c, "resource");
        a->amount = num(attr(cv, c, "amount"), 0.0);
        a->source = str(cv, attr(cv, c, "source"));
        a->line = line_of(c);
    }
}

static void year_values(conv *cv, const xmlNode *n, const char *name,
                        const char *value_attr, ckp_year_value **out,
                        int *n_out)
{
    int k = count_children(n, name);
    *out = array(cv, k, sizeof **out);
    *n_out = *out ? k : 0;
    int i = 0;
    for (const xmlNode *c = n->children; c && *out; c = c->next) {
        if (!is_el(c, name)) continue;
        ckp_year_value *v = &(*out)[i++];
        v->year = inum(attr(cv, c, "year"), 0);
        v->value = num(attr(cv, c, value_attr), 0.0);
        v->source = str(cv, attr(cv, c, "source"));
        v->line = line_of(c);
    }
}

static void project_refs(conv *cv, const xmlNode *n, const char *name,
                         ckp_ref **out, int *n_out)
{
    int k = count_children(n, name);
    *out = array(cv, k, sizeof **out);
    *n_out = *out ? k : 0;
    int i = 0;
    for (const xmlNode *c = n->children; c && *out; c = c->next)
        if (is_el(c, name)) set_ref(cv, &(*out)[i++], c, "project");
}

/* <contract buyer share from to source as-of> children of n (facility or
 * project); absent years are the horizon's ends (read_plan reads the
 * horizon first). */
static void contracts(conv *cv, const xmlNode *n, ckp_contract **out, int *n_out)
{
    int k = count_children(n, "contract");
    *out = array(cv, k, sizeof **out);
    *n_out = *out ? k : 0;
    int i = 0;
    for (const xmlNode *c = n->children; c && *out; c = c->next) {
        if (!is_el(c, "contract")) continue;
        ckp_contract *x = &(*out)[i++];
        set_ref(cv, &x->buyer, c, "buyer");
        x->share = num(attr(cv, c, "share"), 1.0);
        x->from = inum(attr(cv, c, "from"), cv->plan->first_year);
        x->to = inum(attr(cv, c, "to"), cv->plan->last_year);
        x->source = str(cv, attr(cv, c, "source"));
        x->as_of = str(cv, attr(cv, c, "as-of"));
        x->line = line_of(c);
    }
}

static int boolean(const char *s)
{
    return s && (strcmp(s, "true") == 0 || strcmp(s, "1") == 0);
}

/* <cofinancier name type amount mobilised source as-of> children of n
 * (project or option; docs/finance.md). */
static void cofinanciers(conv *cv, const xmlNode *n, ckp_cofinancier **out, int *n_out)
{
    int k = count_children(n, "cofinancier");
    *out = array(cv, k, sizeof **out);
    *n_out = *out ? k : 0;
    int i = 0;
    for (const xmlNode *c = n->children; c && *out; c = c->next) {
        if (!is_el(c, "cofinancier")) continue;
        ckp_cofinancier *x = &(*out)[i++];
        x->name = str(cv, attr(cv, c, "name"));
        const char *t = attr(cv, c, "type");
        x->type = t && strcmp(t, "public") == 0         ? CKP_COFIN_PUBLIC
                  : t && strcmp(t, "multilateral") == 0 ? CKP_COFIN_MULTILATERAL
                                                        : CKP_COFIN_PRIVATE;
        x->amount = num(attr(cv, c, "amount"), 0.0);
        const char *m = attr(cv, c, "mobilised");
        x->direct = m && strcmp(m, "direct") == 0;
        x->source = str(cv, attr(cv, c, "source"));
        x->as_of = str(cv, attr(cv, c, "as-of"));
        x->line = line_of(c);
    }
}

static ckp_instrument instrument_of(const char *s)
{
    static const struct { const char *name; ckp_instrument in; } t[] = {
        {"loan", CKP_INSTR_LOAN},         {"guarantee", CKP_INSTR_GUARANTEE},
        {"equity", CKP_INSTR_EQUITY},     {"grant", CKP_INSTR_GRANT},
        {"offtake", CKP_INSTR_OFFTAKE},   {"price-floor", CKP_INSTR_PRICE_FLOOR}};
    for (size_t i = 0; s && i < sizeof t / sizeof *t; i++)
        if (strcmp(t[i].name, s) == 0) return t[i].in;
    return CKP_INSTR_LOAN; /* the schema admits nothing else */
}

static void read_countries(conv *cv, const xmlNode *sec)
{
    ckp_plan *p = cv->plan;
    int k = count_children(sec, "country");
    p->countries = array(cv, k, sizeof *p->countries);
    if (!p->countries) return;
    p->n_countries = k;
    int i = 0;
    for (const xmlNode *c = sec->children; c; c = c->next) {
        if (!is_el(c, "country")) continue;
        ckp_country *x = &p->countries[i++];
        x->id = str(cv, attr(cv, c, "id"));
        x->name = str(cv, attr(cv, c, "name"));
        x->risk = num(attr(cv, c, "risk"), 0.0);
        x->source = str(cv, attr(cv, c, "source"));
        x->line = line_of(c);
    }
}

static void read_stages(conv *cv, const xmlNode *sec)
{
    ckp_plan *p = cv->plan;
    int k = count_children(sec, "stage");
    p->stages = array(cv, k, sizeof *p->stages);
    if (!p->stages) return;
    p->n_stages = k;
    int i = 0;
    for (const xmlNode *c = sec->children; c; c = c->next) {
        if (!is_el(c, "stage")) continue;
        ckp_stage *x = &p->stages[i++];
        x->id = str(cv, attr(cv, c, "id"));
        x->name = str(cv, attr(cv, c, "name"));
        x->order = inum(attr(cv, c, "order"), 0);
        x->line = line_of(c);
    }
}

static void read_commodities(conv *cv, const xmlNode *sec)
{
    ckp_plan *p = cv->plan;
    int k = count_children(sec, "commodity");
    p->commodities = array(cv, k, sizeof *p->commodities);
    if (!p->commodities) return;
    p->n_commodities = k;
    int i = 0;
    for (const xmlNode *c = sec->children; c; c = c->next) {
        if (!is_el(c, "commodity")) continue;
        ckp_commodity *x = &p->commodities[i++];
        x->id = str(cv, attr(cv, c, "id"));
        x->name = str(cv, attr(cv, c, "name"));
        set_ref(cv, &x->stage, c, "stage");
        x->weight = num(attr(cv, c, "weight"), 1.0);
        year_values(cv, c, "demand", "tonnes", &x->demand, &x->n_demand);
        ratios(cv, c, "made-from", &x->made_from, &x->n_made_from);
        x->source = str(cv, attr(cv, c, "source"));
        x->line = line_of(c);
    }
}

static void read_facilities(conv *cv, const xmlNode *sec)
{
    ckp_plan *p = cv->plan;
    int k = count_children(sec, "facility");
    p->facilities = array(cv, k, sizeof *p->facilities);
    if (!p->facilities) return;
    p->n_facilities = k;
    int i = 0;
    for (const xmlNode *c = sec->children; c; c = c->next) {
        if (!is_el(c, "facility")) continue;
        ckp_facility *x = &p->facilities[i++];
        x->id = str(cv, attr(cv, c, "id"));
        x->name = str(cv, attr(cv, c, "name"));
        set_ref(cv, &x->country, c, "country");
        set_ref(cv, &x->output, c, "output");
        x->capacity = num(attr(cv, c, "capacity"), 0.0);
        x->available = num(attr(cv, c, "available"), 1.0);
        ratios(cv, c, "input", &x->inputs, &x->n_inputs);
        contracts(cv, c, &x->contracts, &x->n_contracts);
        x->as_of = str(cv, attr(cv, c, "as-of"));
        x->source = str(cv, attr(cv, c, "source"));
        x->line = line_of(c);
    }
}

static void read_resources(conv *cv, const xmlNode *sec)
{
    ckp_plan *p = cv->plan;
    int k = count_children(sec, "resource");
    p->resources = array(cv, k, sizeof *p->resources);
    if (!p->resources) return;
    p->n_resources = k;
    int i = 0;
    for (const xmlNode *c = sec->children; c; c = c->next) {
        if (!is_el(c, "resource")) continue;
        ckp_resource *x = &p->resources[i++];
        x->id = str(cv, attr(cv, c, "id"));
        x->name = str(cv, attr(cv, c, "name"));
        x->unit = str(cv, attr(cv, c, "unit"));
        x->line = line_of(c);
    }
}

static void read_sites(conv *cv, const xmlNode *sec)
{
    ckp_plan *p = cv->plan;
    int k = count_children(sec, "site");
    p->sites = array(cv, k, sizeof *p->sites);
    if (!p->sites) return;
    p->n_sites = k;
    int i = 0;
    for (const xmlNode *c = sec->children; c; c = c->next) {
        if (!is_el(c, "site")) continue;
        ckp_site *x = &p->sites[i++];
        x->id = str(cv, attr(cv, c, "id"));
        x->name = str(cv, attr(cv, c, "name"));
        set_ref(cv, &x->country, c, "country");
        amounts(cv, c, "capacity", &x->capacity, &x->n_capacity);
        x->source = str(cv, attr(cv, c, "source"));
        x->line = line_of(c);
    }
}

static void read_options(conv *cv, const xmlNode *n, ckp_project *x)
{
    int k = count_children(n, "option");
    x->options = array(cv, k, sizeof *x->options);
    if (!x->options) return;
    x->n_options = k;
    int i = 0;
    for (const xmlNode *c = n->children; c; c = c->next) {
        if (!is_el(c, "option")) continue;
        ckp_option *o = &x->options[i++];
        o->id = str(cv, attr(cv, c, "id"));
        o->instrument = instrument_of(attr(cv, c, "instrument"));
        o->commitment = num(attr(cv, c, "commitment"), 0.0);
        num_list(cv, attr(cv, c, "schedule"), "1", &o->schedule,
                 &o->n_schedule);
        o->buys_out = boolean(attr(cv, c, "buys-out"));
        cofinanciers(cv, c, &o->cofinanciers, &o->n_cofinanciers);
        o->source = str(cv, attr(cv, c, "source"));
        o->line = line_of(c);
    }
}

static void read_projects(conv *cv, const xmlNode *sec)
{
    ckp_plan *p = cv->plan;
    int k = count_children(sec, "project");
    p->projects = array(cv, k, sizeof *p->projects);
    if (!p->projects) return;
    p->n_projects = k;
    int i = 0;
    for (const xmlNode *c = sec->children; c; c = c->next) {
        if (!is_el(c, "project")) continue;
        ckp_project *x = &p->projects[i++];
        x->id = str(cv, attr(cv, c, "id"));
        x->name = str(cv, attr(cv, c, "name"));
        set_ref(cv, &x->stage, c, "stage");
        set_ref(cv, &x->site, c, "site");
        set_ref(cv, &x->country, c, "country");
        set_ref(cv, &x->output, c, "output");
        x->capacity = num(attr(cv, c, "capacity"), 0.0);
        ratios(cv, c, "input", &x->inputs, &x->n_inputs);
        x->capex = num(attr(cv, c, "capex"), 0.0);
        const char *permit = attr(cv, c, "permit");
        x->permit = permit && strcmp(permit, "pending") == 0
                        ? CKP_PERMIT_PENDING
                        : CKP_PERMIT_GRANTED;
        x->permit_years = inum(attr(cv, c, "permit-years"), 0);
        x->build_years = inum(attr(cv, c, "build-years"), 0);
        num_list(cv, attr(cv, c, "ramp"), NULL, &x->ramp, &x->n_ramp);
        x->earliest_start = inum(attr(cv, c, "earliest-start"), p->first_year);
        x->latest_start = inum(attr(cv, c, "latest-start"), p->last_year);
        x->breakeven = num(attr(cv, c, "breakeven"), NAN);
        set_ref(cv, &x->breakeven_of, c, "breakeven-of");
        amounts(cv, c, "needs", &x->needs, &x->n_needs);
        project_refs(cv, c, "requires", &x->requires, &x->n_requires);
        project_refs(cv, c, "excludes", &x->excludes, &x->n_excludes);
        read_options(cv, c, x);
        x->committed = boolean(attr(cv, c, "committed"));
        contracts(cv, c, &x->contracts, &x->n_contracts);
        cofinanciers(cv, c, &x->cofinanciers, &x->n_cofinanciers);
        x->as_of = str(cv, attr(cv, c, "as-of"));
        x->source = str(cv, attr(cv, c, "source"));
        x->line = line_of(c);
    }
}

static void read_upgrades(conv *cv, const xmlNode *sec)
{
    ckp_plan *p = cv->plan;
    int k = count_children(sec, "upgrade");
    p->upgrades = array(cv, k, sizeof *p->upgrades);
    if (!p->upgrades) return;
    p->n_upgrades = k;
    int i = 0;
    for (const xmlNode *c = sec->children; c; c = c->next) {
        if (!is_el(c, "upgrade")) continue;
        ckp_upgrade *x = &p->upgrades[i++];
        x->id = str(cv, attr(cv, c, "id"));
        x->name = str(cv, attr(cv, c, "name"));
        set_ref(cv, &x->site, c, "site");
        set_ref(cv, &x->resource, c, "resource");
        x->amount = num(attr(cv, c, "amount"), 0.0);
        x->cost = num(attr(cv, c, "cost"), 0.0);
        x->build_years = inum(attr(cv, c, "build-years"), 0);
        x->earliest_start = inum(attr(cv, c, "earliest-start"), p->first_year);
        x->latest_start = inum(attr(cv, c, "latest-start"), p->last_year);
        num_list(cv, attr(cv, c, "schedule"), "1", &x->schedule,
                 &x->n_schedule);
        x->source = str(cv, attr(cv, c, "source"));
        x->line = line_of(c);
    }
}

static void read_stockpiles(conv *cv, const xmlNode *sec)
{
    ckp_plan *p = cv->plan;
    int k = count_children(sec, "stockpile");
    p->stockpiles = array(cv, k, sizeof *p->stockpiles);
    if (!p->stockpiles) return;
    p->n_stockpiles = k;
    int i = 0;
    for (const xmlNode *c = sec->children; c; c = c->next) {
        if (!is_el(c, "stockpile")) continue;
        ckp_stockpile *x = &p->stockpiles[i++];
        x->id = str(cv, attr(cv, c, "id"));
        x->name = str(cv, attr(cv, c, "name"));
        set_ref(cv, &x->commodity, c, "commodity");
        x->tonnes = num(attr(cv, c, "tonnes"), 0.0);
        x->release = num(attr(cv, c, "release"), 0.0);
        x->cost = num(attr(cv, c, "cost"), 0.0);
        x->year = inum(attr(cv, c, "year"), p->first_year);
        x->source = str(cv, attr(cv, c, "source"));
        x->line = line_of(c);
    }
}

/* Kind of a scenario entry by element name; -1 for anything else. */
static int change_kind(const xmlNode *c)
{
    if (is_el(c, "export-restriction")) return CKP_CHANGE_EXPORT;
    if (is_el(c, "price")) return CKP_CHANGE_PRICE;
    if (is_el(c, "demand-scale")) return CKP_CHANGE_DEMAND;
    return -1;
}

static void read_changes(conv *cv, const xmlNode *n, ckp_scenario *x)
{
    const ckp_plan *p = cv->plan;
    int k = 0;
    for (const xmlNode *c = n->children; c; c = c->next)
        if (change_kind(c) >= 0) k++;
    x->changes = array(cv, k, sizeof *x->changes);
    if (!x->changes) return;
    x->n_changes = k;
    int i = 0;
    for (const xmlNode *c = n->children; c; c = c->next) {
        int kind = change_kind(c);
        if (kind < 0) continue;
        ckp_change *e = &x->changes[i++];
        e->kind = (ckp_change_kind)kind;
        /* country: export only; the other kinds have no such attribute,
         * so the reference stays empty (id NULL) */
        set_ref(cv, &e->country, c, "country");
        set_ref(cv, &e->commodity, c, "commodity");
        e->from = inum(attr(cv, c, "from"), p->first_year);
        e->to = inum(attr(cv, c, "to"), p->last_year);
        e->value = num(attr(cv, c, kind == CKP_CHANGE_PRICE ? "price" : "scale"),
                       kind == CKP_CHANGE_PRICE ? 0.0 : 1.0);
        e->source = str(cv, attr(cv, c, "source"));
        e->line = line_of(c);
    }
}

static void read_scenarios(conv *cv, const xmlNode *sec)
{
    ckp_plan *p = cv->plan;
    int k = count_children(sec, "scenario");
    p->scenarios = array(cv, k, sizeof *p->scenarios);
    if (!p->scenarios) return;
    p->n_scenarios = k;
    int i = 0;
    for (const xmlNode *c = sec->children; c; c = c->next) {
        if (!is_el(c, "scenario")) continue;
        ckp_scenario *x = &p->scenarios[i++];
        x->id = str(cv, attr(cv, c, "id"));
        x->name = str(cv, attr(cv, c, "name"));
        x->probability = num(attr(cv, c, "probability"), 0.0);
        read_changes(cv, c, x);
        x->source = str(cv, attr(cv, c, "source"));
        x->line = line_of(c);
    }
}

/* Fill cv->plan from the validated root element. */
static void read_plan(conv *cv, const xmlNode *root, const char *path)
{
    ckp_plan *p = cv->plan;
    p->path = str(cv, path);
    p->name = str(cv, attr(cv, root, "name"));
    const char *cur = attr(cv, root, "currency");
    p->currency = str(cv, cur ? cur : "USD");
    p->line = line_of(root);

    const xmlNode *d = first_child(root, "description");
    if (d) {
        xmlChar *t = xmlNodeGetContent(d);
        if (!t) cv->oom = 1;
        p->description = str(cv, (const char *)t);
        xmlFree(t);
    }
    const xmlNode *h = first_child(root, "horizon");
    if (h) {
        p->first_year = inum(attr(cv, h, "first"), 0);
        p->last_year = inum(attr(cv, h, "last"), 0);
    }

    /* budget and objective defaults */
    p->budget.total = INFINITY;
    p->objective.kind = CKP_OBJ_WEIGHTED;
    p->objective.shortage_penalty = 10.0;
    p->objective.measure = CKP_MEASURE_EXPECTED;

    /* Each section is read once (the schema allows one; a document that
       failed validation may repeat one: the first counts). */
    static const char *const sections[] = {
        "countries", "stages", "commodities", "facilities", "resources", "sites",
        "projects", "upgrades", "stockpiles", "scenarios", "budget", "objective"};
    unsigned seen = 0;
    for (const xmlNode *s = root->children; s && !cv->oom; s = s->next) {
        if (!is_el(s, NULL)) continue;
        const char *nm = (const char *)s->name;
        int known = 0;
        for (unsigned k = 0; k < sizeof sections / sizeof *sections; k++)
            if (!strcmp(nm, sections[k])) {
                known = 1;
                if (seen & (1u << k)) known = 2;
                seen |= 1u << k;
            }
        if (known != 1) continue;
        if (!strcmp(nm, "countries")) read_countries(cv, s);
        else if (!strcmp(nm, "stages")) read_stages(cv, s);
        else if (!strcmp(nm, "commodities")) read_commodities(cv, s);
        else if (!strcmp(nm, "facilities")) read_facilities(cv, s);
        else if (!strcmp(nm, "resources")) read_resources(cv, s);
        else if (!strcmp(nm, "sites")) read_sites(cv, s);
        else if (!strcmp(nm, "projects")) read_projects(cv, s);
        else if (!strcmp(nm, "upgrades")) read_upgrades(cv, s);
        else if (!strcmp(nm, "stockpiles")) read_stockpiles(cv, s);
        else if (!strcmp(nm, "scenarios")) read_scenarios(cv, s);
        else if (!strcmp(nm, "budget")) {
            p->budget.total = num(attr(cv, s, "total"), INFINITY);
            year_values(cv, s, "limit", "amount", &p->budget.limits,
                        &p->budget.n_limits);
            p->budget.source = str(cv, attr(cv, s, "source"));
            p->budget.line = line_of(s);
        } else if (!strcmp(nm, "objective")) {
            const char *kind = attr(cv, s, "kind");
            if (kind && ckp_objective_parse(kind, &p->objective.kind) != CKP_OK)
                p->objective.kind = CKP_OBJ_WEIGHTED; /* schema: unreachable */
            p->objective.shortage_penalty =
                num(attr(cv, s, "shortage-penalty"), 10.0);
            const char *m = attr(cv, s, "scenario-measure");
            if (m && ckp_measure_parse(m, &p->objective.measure) != CKP_OK)
                p->objective.measure = CKP_MEASURE_EXPECTED; /* schema: unreachable */
            p->objective.line = line_of(s);
        }
    }
}

/* ------------------------------------------------------------------ */
/* Loading                                                             */

/* Stable sort by line of the diagnostics appended by this load (the
 * parser, the validator and the number scan each report in document
 * order; merged, the user reads the file top to bottom).  Entries without
 * a line (the "more problems" note) go last. */
static int sort_key(const ckp_diag *d)
{
    return d->line > 0 ? d->line : INT_MAX; /* no line: after the rest */
}

static void sort_new(ckp_diag_list *d, int from)
{
    for (int i = from + 1; i < d->n; i++) {
        ckp_diag cur = d->items[i];
        int j = i - 1;
        while (j >= from && sort_key(&d->items[j]) > sort_key(&cur)) {
            d->items[j + 1] = d->items[j];
            j--;
        }
        d->items[j + 1] = cur;
    }
}

static int parse_options(void)
{
    int opt = XML_PARSE_NONET | XML_PARSE_BIG_LINES;
#if LIBXML_VERSION >= 21300
    opt |= XML_PARSE_NO_XXE;
#endif
    return opt;
}

/* Parse data into *doc_out (NULL on failure, with diagnostics). */
static ckp_status parse(load_state *st, const char *data, size_t size,
                        xmlDocPtr *doc_out)
{
    *doc_out = NULL;
    if (size > INT_MAX) {
        add_diag(st, CKP_SEV_ERROR, 0, "io", "file too large (%zu bytes)",
                 size);
        return CKP_EIO;
    }
    if (size == 0) {
        add_diag(st, CKP_SEV_ERROR, 1, "xml-syntax", "Document is empty");
        return CKP_EPARSE;
    }
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) return CKP_ENOMEM;
    ctxt->sax->serror = on_parser_error;
    ctxt->sax->internalSubset = on_internal_subset;
    ctxt->sax->entityDecl = on_entity_decl;
    st->start = ctxt->sax->startElementNs;
    st->end = ctxt->sax->endElementNs;
    ctxt->sax->startElementNs = on_start;
    ctxt->sax->endElementNs = on_end;

    tl_state = st;
    xmlDocPtr doc = xmlCtxtReadMemory(ctxt, data, (int)size, st->file, NULL,
                                      parse_options());
    tl_state = NULL;
    int well_formed = ctxt->wellFormed;
    xmlFreeParserCtxt(ctxt);

    if (doc && (!well_formed || st->stopped)) {
        xmlFreeDoc(doc);
        doc = NULL;
    }
    if (doc && (doc->intSubset || doc->extSubset)) { /* belt and braces */
        add_diag(st, CKP_SEV_ERROR, 1, "xml-dtd",
                 "DTD and entity declarations are not allowed");
        xmlFreeDoc(doc);
        doc = NULL;
    }
    if (!doc) {
        if (st->oom) return CKP_ENOMEM;
        if (st->n_errors == 0)
            add_diag(st, CKP_SEV_ERROR, 0, "xml-syntax",
                     "not a well-formed XML document");
        return st->oom ? CKP_ENOMEM : CKP_EPARSE;
    }
    *doc_out = doc;
    return CKP_OK;
}

/* The semantic rules on what the schema accepted (docs/diagnostics.md):
 * when loading found errors, the plan is read from the document anyway
 * (unknown elements are skipped, missing values take their defaults) and
 * checked, so one run shows every problem.  Its diagnostics are kept
 * except on lines that already have a loading error (the refused element
 * would only be echoed).  The plan is then dropped: the load still fails. */
static void check_anyway(conv *cv, load_state *st, xmlDocPtr doc, const char *name,
                         int first_diag)
{
    ckp_diag_list sem;
    ckp_diag_list_init(&sem);
    int n_load = st->diag->n;
    /* the horizon rule speaks at <plan>: an echo when <horizon> was refused */
    const xmlNode *h = first_child(xmlDocGetRootElement(doc), "horizon");
    int h_line = h ? line_of(h) : -1;
    cv->plan = ckp_calloc(1, sizeof *cv->plan);
    if (!cv->plan) {
        st->oom = 1;
        return;
    }
    read_plan(cv, xmlDocGetRootElement(doc), name);
    if (!cv->oom && !st->oom && ckp_plan_check(cv->plan, &sem) == CKP_ENOMEM)
        st->oom = 1;
    for (int i = 0; i < sem.n && !st->oom; i++) {
        const ckp_diag *d = &sem.items[i];
        int echo = 0;
        for (int k = first_diag; k < n_load && !echo; k++)
            echo = st->diag->items[k].line == d->line ||
                   (st->diag->items[k].line == h_line && !strcmp(d->code, "horizon"));
        if (echo) continue;
        if (ckp_diag_add(st->diag, d->severity, d->file, d->line, d->code, "%s",
                         d->message) != CKP_OK)
            st->oom = 1;
    }
    ckp_diag_list_fini(&sem);
    ckp_plan_free(cv->plan);
    cv->plan = NULL;
}

static ckp_status load(const char *data, size_t size, const char *name,
                       ckp_plan **out, ckp_diag_list *diag)
{
    ckp_status rc = CKP_OK;
    ckp_diag_list scratch;
    ckp_diag_list_init(&scratch);
    load_state st = {0};
    st.file = name;
    st.diag = diag ? diag : &scratch;
    int first_diag = st.diag->n;
    xmlDocPtr doc = NULL;
    xmlSchemaValidCtxtPtr vctxt = NULL;
    conv cv = {0};
    cv.st = &st;

    /* Quieten libxml2's global handlers for the duration of the load. */
    xmlGenericErrorFunc old_generic = xmlGenericError;
    void *old_generic_ctx = xmlGenericErrorContext;
    xmlStructuredErrorFunc old_structured = xmlStructuredError;
    void *old_structured_ctx = xmlStructuredErrorContext;
    xmlSetGenericErrorFunc(NULL, on_generic);
    xmlSetStructuredErrorFunc(&st, on_error);

    pthread_mutex_lock(&schema_lock);
    xmlInitParser();
    pthread_mutex_unlock(&schema_lock);
    CKP_TRY_GOTO(rc, parse(&st, data, size, &doc), cleanup);

    /* A root in another namespace (often: xmlns forgotten) would only get
     * "no matching global declaration"; say what is expected. */
    const xmlNode *root = xmlDocGetRootElement(doc);
    if (!is_el(root, "plan")) {
        const char *ns = root && root->ns && root->ns->href
                             ? (const char *)root->ns->href
                             : NULL;
        char q[CKP_XML_QUOTE + 8];
        add_diag(&st, CKP_SEV_ERROR, root ? line_of(root) : 0, "xml-schema",
                 "the root element must be 'plan' in namespace '%s'; found "
                 "'%s' %s%s%s",
                 CKP_PLAN_NS, root ? (const char *)root->name : "",
                 ns ? "in namespace '" : "in no namespace",
                 ns ? quote(ns, q, sizeof q) : "", ns ? "'" : "");
        rc = st.oom ? CKP_ENOMEM : CKP_ESCHEMA;
        goto cleanup;
    }

    xmlSchemaPtr sch = NULL;
    CKP_TRY_GOTO(rc, get_schema(&st, &sch), cleanup);
    vctxt = xmlSchemaNewValidCtxt(sch);
    if (!vctxt) {
        rc = CKP_ENOMEM;
        goto cleanup;
    }
    xmlSchemaSetValidStructuredErrors(vctxt, on_error, &st);
    int vrc = xmlSchemaValidateDoc(vctxt, doc);
    int schema_errors = st.n_errors;

    scan_numbers(&cv, xmlDocGetRootElement(doc));
    if (st.oom || cv.oom) {
        rc = CKP_ENOMEM;
        goto cleanup;
    }
    if (vrc < 0) {
        add_diag(&st, CKP_SEV_ERROR, 0, "internal",
                 "schema validation failed internally (libxml2 code %d)", vrc);
        rc = CKP_EINTERNAL;
        goto cleanup;
    }
    if (vrc > 0 || schema_errors > 0) {
        if (st.n_errors == 0)
            add_diag(&st, CKP_SEV_ERROR, 0, "xml-schema",
                     "document does not follow the plan schema");
        check_anyway(&cv, &st, doc, name, first_diag);
        rc = st.oom || cv.oom ? CKP_ENOMEM : CKP_ESCHEMA;
        goto cleanup;
    }
    if (st.n_errors > 0) {
        check_anyway(&cv, &st, doc, name, first_diag);
        rc = st.oom || cv.oom ? CKP_ENOMEM : CKP_EINVALID;
        goto cleanup;
    }

    cv.plan = ckp_calloc(1, sizeof *cv.plan);
    if (!cv.plan) {
        rc = CKP_ENOMEM;
        goto cleanup;
    }
    read_plan(&cv, xmlDocGetRootElement(doc), name);
    if (cv.oom || st.oom) rc = CKP_ENOMEM;
    else ckp_sha256_hex(data, size, cv.plan->input_sha256);

cleanup:
    if (rc == CKP_OK && st.oom) rc = CKP_ENOMEM;
    xmlSchemaFreeValidCtxt(vctxt);
    xmlFreeDoc(doc);
    for (int i = 0; i < cv.n_scratch; i++) xmlFree(cv.scratch[i]);
    ckp_free(cv.scratch);
    xmlSetGenericErrorFunc(old_generic_ctx, old_generic);
    xmlSetStructuredErrorFunc(old_structured_ctx, old_structured);
    sort_new(st.diag, first_diag);
    ckp_diag_list_fini(&scratch);
    if (rc != CKP_OK) {
        ckp_plan_free(cv.plan);
        cv.plan = NULL;
    }
    *out = cv.plan;
    return rc;
}

/* Read a stream to its end with ckp_malloc (at most CKP_XML_MAX_FILE
 * bytes); CKP_EIO with a diagnostic when it cannot be read. */
static ckp_status read_stream(FILE *f, const char *path, char **data,
                              size_t *size, ckp_diag_list *diag)
{
    *data = NULL;
    *size = 0;
    ckp_status rc = CKP_OK;
    size_t cap = 0, len = 0;
    char *buf = NULL;
    for (;;) {
        if (len == cap) {
            if (cap >= CKP_XML_MAX_FILE) {
                int c = fgetc(f); /* exactly at the limit is fine */
                if (c == EOF && !ferror(f)) break;
                rc = ckp_diag_add(diag, CKP_SEV_ERROR, path, 0, "io",
                                  "file larger than %zu MiB",
                                  CKP_XML_MAX_FILE >> 20);
                if (rc == CKP_OK) rc = CKP_EIO;
                break;
            }
            size_t ncap = cap ? cap * 2 : 65536;
            char *nb = ckp_realloc(buf, ncap);
            if (!nb) {
                rc = CKP_ENOMEM;
                break;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) {
            if (ferror(f)) {
                int e = errno;
                rc = ckp_diag_add(diag, CKP_SEV_ERROR, path, 0, "io",
                                  "cannot read file: %s", strerror(e));
                if (rc == CKP_OK) rc = CKP_EIO;
            }
            break;
        }
    }
    if (rc != CKP_OK) {
        ckp_free(buf);
        return rc;
    }
    *data = buf;
    *size = len;
    return CKP_OK;
}

/* Read a whole file with ckp_malloc; CKP_EIO with a diagnostic when it
 * cannot be read. */
static ckp_status read_file(const char *path, char **data, size_t *size,
                            ckp_diag_list *diag)
{
    *data = NULL;
    *size = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        int e = errno;
        if (ckp_diag_add(diag, CKP_SEV_ERROR, path, 0, "io",
                         "cannot open file: %s", strerror(e)) != CKP_OK)
            return CKP_ENOMEM;
        return CKP_EIO;
    }
    ckp_status rc = read_stream(f, path, data, size, diag);
    fclose(f);
    return rc;
}

ckp_status ckp_plan_load(const char *path, ckp_plan **out, ckp_diag_list *diag)
{
    *out = NULL;
    ckp_diag_list scratch;
    ckp_diag_list_init(&scratch);
    char *data = NULL;
    size_t size = 0;
    ckp_status rc = read_file(path, &data, &size, diag ? diag : &scratch);
    if (rc == CKP_OK) rc = load(data, size, path, out, diag);
    ckp_free(data);
    ckp_diag_list_fini(&scratch);
    return rc;
}

ckp_status ckp_plan_load_stream(FILE *f, const char *name, ckp_plan **out,
                                ckp_diag_list *diag)
{
    *out = NULL;
    if (!f) return CKP_EUSAGE;
    if (!name) name = "<stream>";
    ckp_diag_list scratch;
    ckp_diag_list_init(&scratch);
    char *data = NULL;
    size_t size = 0;
    ckp_status rc = read_stream(f, name, &data, &size, diag ? diag : &scratch);
    if (rc == CKP_OK) rc = load(data, size, name, out, diag);
    ckp_free(data);
    ckp_diag_list_fini(&scratch);
    return rc;
}

ckp_status ckp_plan_load_memory(const char *data, size_t size, const char *name,
                                ckp_plan **out, ckp_diag_list *diag)
{
    *out = NULL;
    if (!data && size) return CKP_EUSAGE;
    return load(data ? data : "", size, name ? name : "<memory>", out, diag);
}

const char *ckp_plan_schema(void) { return ckp_plan_xsd_text; }

void ckp_load_cleanup(void)
{
    pthread_mutex_lock(&schema_lock);
    if (schema) {
        xmlSchemaFree(schema);
        schema = NULL;
    }
    pthread_mutex_unlock(&schema_lock);
    xmlCleanupParser();
}
