/* xml_read.c: reading a plan from XML (see ckp/load.h and
 * docs/plan-format.md).  With xml_tree.c and xml_records.c (sharing
 * xml_int.h) it is the plan reader; xmlDoc, xmlNode and xmlChar never leave
 * src/input.
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
 *      1e400) (xml_tree.c);
 *   5. copy the tree into a ckp_plan, applying the documented defaults
 *      (xml_tree.c, xml_records.c).
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
#include "input/xml_int.h"

/* Generated from schema/plan.xsd by cmake/embed.cmake. */
extern const char ckp_plan_xsd_text[];

/* Deepest element nesting accepted (a valid plan needs 4). */
#define CKP_XML_MAX_DEPTH 32
/* libxml2 messages kept per load; a hostile file could make thousands. */
#define CKP_XML_MAX_MESSAGES 100
/* Largest file read (bytes). */
#define CKP_XML_MAX_FILE ((size_t)256 * 1024 * 1024)

/* ------------------------------------------------------------------ */
/* State of one load                                                   */


/* The load running on this thread, for the parser's SAX callbacks (their
 * context argument is the parser context). */
static _Thread_local load_state *tl_state;

void xr_diag(load_state *st, ckp_severity sev, int line,
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
const char *xr_quote(const char *s, char *buf, size_t size)
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
            xr_diag(st, CKP_SEV_NOTE, 0, "xml-too-many",
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
        int l = xr_line(n);
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
    xr_diag(st, sev, line, code, "%s", msg);
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

void xml_handlers_install(xml_handlers *saved, void *ctx, xmlStructuredErrorFunc on_err)
{
    saved->generic = xmlGenericError;
    saved->generic_ctx = xmlGenericErrorContext;
    saved->structured = xmlStructuredError;
    saved->structured_ctx = xmlStructuredErrorContext;
    xmlSetGenericErrorFunc(NULL, on_generic);
    xmlSetStructuredErrorFunc(ctx, on_err);
}

void xml_handlers_restore(const xml_handlers *saved)
{
    xmlSetGenericErrorFunc(saved->generic_ctx, saved->generic);
    xmlSetStructuredErrorFunc(saved->structured_ctx, saved->structured);
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
    xr_diag(st, CKP_SEV_ERROR, sax_line(ctx), "xml-dtd",
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
            xr_diag(st, CKP_SEV_ERROR, sax_line(ctx), "xml-depth",
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
                xr_diag(st, CKP_SEV_ERROR, 0, "internal",
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
        xr_diag(st, CKP_SEV_ERROR, 0, "io", "file too large (%zu bytes)",
                 size);
        return CKP_EIO;
    }
    if (size == 0) {
        xr_diag(st, CKP_SEV_ERROR, 1, "xml-syntax", "Document is empty");
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
        xr_diag(st, CKP_SEV_ERROR, 1, "xml-dtd",
                 "DTD and entity declarations are not allowed");
        xmlFreeDoc(doc);
        doc = NULL;
    }
    if (!doc) {
        if (st->oom) return CKP_ENOMEM;
        if (st->n_errors == 0)
            xr_diag(st, CKP_SEV_ERROR, 0, "xml-syntax",
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
    const xmlNode *h = xr_first_child(xmlDocGetRootElement(doc), "horizon");
    int h_line = h ? xr_line(h) : -1;
    cv->plan = ckp_calloc(1, sizeof *cv->plan);
    if (!cv->plan) {
        st->oom = 1;
        return;
    }
    xr_read_plan(cv, xmlDocGetRootElement(doc), name);
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
    xml_handlers saved;
    xml_handlers_install(&saved, &st, on_error);

    pthread_mutex_lock(&schema_lock);
    xmlInitParser();
    pthread_mutex_unlock(&schema_lock);
    CKP_TRY_GOTO(rc, parse(&st, data, size, &doc), cleanup);

    /* A root in another namespace (often: xmlns forgotten) would only get
     * "no matching global declaration"; say what is expected. */
    const xmlNode *root = xmlDocGetRootElement(doc);
    if (!xr_is_el(root, "plan")) {
        const char *ns = root && root->ns && root->ns->href
                             ? (const char *)root->ns->href
                             : NULL;
        char q[CKP_XML_QUOTE + 8];
        xr_diag(&st, CKP_SEV_ERROR, root ? xr_line(root) : 0, "xml-schema",
                 "the root element must be 'plan' in namespace '%s'; found "
                 "'%s' %s%s%s",
                 CKP_PLAN_NS, root ? (const char *)root->name : "",
                 ns ? "in namespace '" : "in no namespace",
                 ns ? xr_quote(ns, q, sizeof q) : "", ns ? "'" : "");
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

    xr_scan_numbers(&cv, xmlDocGetRootElement(doc));
    if (st.oom || cv.oom) {
        rc = CKP_ENOMEM;
        goto cleanup;
    }
    if (vrc < 0) {
        xr_diag(&st, CKP_SEV_ERROR, 0, "internal",
                 "schema validation failed internally (libxml2 code %d)", vrc);
        rc = CKP_EINTERNAL;
        goto cleanup;
    }
    if (vrc > 0 || schema_errors > 0) {
        if (st.n_errors == 0)
            xr_diag(&st, CKP_SEV_ERROR, 0, "xml-schema",
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
    xr_read_plan(&cv, xmlDocGetRootElement(doc), name);
    if (cv.oom || st.oom) rc = CKP_ENOMEM;
    else ckp_sha256_hex(data, size, cv.plan->input_sha256);

cleanup:
    if (rc == CKP_OK && st.oom) rc = CKP_ENOMEM;
    xmlSchemaFreeValidCtxt(vctxt);
    xmlFreeDoc(doc);
    for (int i = 0; i < cv.n_scratch; i++) xmlFree(cv.scratch[i]);
    ckp_free(cv.scratch);
    xml_handlers_restore(&saved);
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
