/* portfolio_xml.c: reading an XML portfolio (schema/portfolio.xsd,
 * namespace urn:chokepoint:portfolio:1; docs/study.md) into a
 * ckp_portfolio for `chokepoint evaluate`.  The same safety as plans
 * (xml_read.c): parsed from memory, no network, a DOCTYPE or entity
 * declaration stops the parser, never entity substitution; then validated
 * against the schema compiled into the library.  Every libxml2 message
 * becomes a diagnostic at its line, all of them, not only the first.
 * Called by src/study/portfolio.c (the one libxml2 user outside
 * xml_read.c, kept here so libxml2 stays in src/input). */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlversion.h>

#include "input/xml_int.h"
#include "study/study_int.h"
#include "util/alloc.h"

#define CKP_PORTFOLIO_NS "urn:chokepoint:portfolio:1"
#define CKP_PXML_MAX_MESSAGES 100

/* Generated from schema/portfolio.xsd by cmake/embed.cmake. */
extern const char ckp_portfolio_xsd_text[];


typedef struct pxml {
    const char *file;
    ckp_diag_list *diag;
    int n_errors, n_messages, oom, stopped;
} pxml;

static _Thread_local pxml *tl_px;

static void on_error(void *ctx, ckp_xml_error_ptr e)
{
    pxml *st = ctx ? ctx : tl_px;
    if (!st || !e || e->code == XML_ERR_USER_STOP) return;
    if (st->stopped && e->domain == XML_FROM_PARSER) return;
    if (st->n_messages++ >= CKP_PXML_MAX_MESSAGES) return;
    char msg[700];
    const char *src = e->message ? e->message : "unknown XML error";
    static const char ns[] = "{" CKP_PORTFOLIO_NS "}";
    size_t o = 0;
    while (*src && o + 1 < sizeof msg) {
        if (strncmp(src, ns, sizeof ns - 1) == 0) {
            src += sizeof ns - 1;
            continue;
        }
        char ch = *src++;
        msg[o++] = ch == '\n' || ch == '\r' || ch == '\t' ? ' ' : ch;
    }
    while (o > 0 && msg[o - 1] == ' ') o--;
    msg[o] = '\0';
    int line = e->line;
    if (e->node) {
        const xmlNode *n = e->node;
        if (n->type == XML_ATTRIBUTE_NODE && n->parent) n = n->parent;
        long l = xmlGetLineNo(n);
        if (l > 0) line = (int)l;
    }
    if (e->level == XML_ERR_WARNING) {
        if (ckp_diag_add(st->diag, CKP_SEV_WARNING, st->file, line, "xml", "%s", msg))
            st->oom = 1;
        return;
    }
    st->n_errors++;
    if (ckp_diag_add(st->diag, CKP_SEV_ERROR, st->file, line,
                     e->domain == XML_FROM_SCHEMASV ? "xml-schema" : "xml-syntax", "%s",
                     msg) != CKP_OK)
        st->oom = 1;
}

static void on_parser_error(void *ctx, ckp_xml_error_ptr e)
{
    (void)ctx;
    on_error(tl_px, e);
}

static void refuse_dtd(void *ctx)
{
    pxml *st = tl_px;
    if (!st || st->stopped) return;
    xmlParserCtxtPtr c = ctx;
    st->n_errors++;
    if (ckp_diag_add(st->diag, CKP_SEV_ERROR, st->file, c && c->input ? c->input->line : 0,
                     "xml-dtd", "DTD and entity declarations are not allowed") != CKP_OK)
        st->oom = 1;
    st->stopped = 1;
    xmlStopParser(ctx);
}

static void on_internal_subset(void *ctx, const xmlChar *a, const xmlChar *b,
                               const xmlChar *c)
{
    (void)a;
    (void)b;
    (void)c;
    refuse_dtd(ctx);
}

static void on_entity_decl(void *ctx, const xmlChar *a, int t, const xmlChar *b,
                           const xmlChar *c, xmlChar *d)
{
    (void)a;
    (void)t;
    (void)b;
    (void)c;
    (void)d;
    refuse_dtd(ctx);
}

static ckp_status items(pxml *st, const xmlNode *root, ckp_portfolio *pf)
{
    for (const xmlNode *n = root->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) continue;
        const char *name = (const char *)n->name;
        ckp_item_kind kind = strcmp(name, "project") == 0   ? CKP_ITEM_PROJECT
                             : strcmp(name, "upgrade") == 0 ? CKP_ITEM_UPGRADE
                                                            : CKP_ITEM_STOCKPILE;
        xmlChar *id = xmlGetNoNsProp(n, (const xmlChar *)"id");
        xmlChar *opt = xmlGetNoNsProp(n, (const xmlChar *)"option");
        xmlChar *start = xmlGetNoNsProp(n, (const xmlChar *)"start");
        int year = 0;
        if (start) sscanf((const char *)start, "%d", &year);
        ckp_status rc = st_portfolio_add(pf, kind, id ? (const char *)id : "",
                                         opt ? (const char *)opt : NULL, year, st->file,
                                         (int)xmlGetLineNo(n));
        xmlFree(id);
        xmlFree(opt);
        xmlFree(start);
        CKP_TRY(rc);
    }
    return CKP_OK;
}

ckp_status st_portfolio_read_xml(const char *path, const char *data, size_t size,
                                 ckp_portfolio *pf, ckp_diag_list *diag)
{
    pxml st = {path, diag, 0, 0, 0, 0};
    ckp_status rc = CKP_OK;
    xmlDocPtr doc = NULL;
    xmlSchemaParserCtxtPtr spc = NULL;
    xmlSchemaPtr schema = NULL;
    xmlSchemaValidCtxtPtr vc = NULL;
    if (size > INT_MAX) return CKP_EIO;

    xml_handlers saved;
    xml_handlers_install(&saved, &st, on_error);

    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) {
        rc = CKP_ENOMEM;
        goto done;
    }
    ctxt->sax->serror = on_parser_error;
    ctxt->sax->internalSubset = on_internal_subset;
    ctxt->sax->entityDecl = on_entity_decl;
    int opt = XML_PARSE_NONET | XML_PARSE_BIG_LINES;
#if LIBXML_VERSION >= 21300
    opt |= XML_PARSE_NO_XXE;
#endif
    tl_px = &st;
    doc = xmlCtxtReadMemory(ctxt, data, (int)size, path, NULL, opt);
    tl_px = NULL;
    int well_formed = ctxt->wellFormed;
    xmlFreeParserCtxt(ctxt);
    if (doc && (!well_formed || st.stopped || doc->intSubset || doc->extSubset)) {
        xmlFreeDoc(doc);
        doc = NULL;
    }
    if (!doc) {
        if (st.n_errors == 0)
            ckp_diag_add(diag, CKP_SEV_ERROR, path, 0, "xml-syntax",
                         "not a well-formed XML document");
        rc = st.oom ? CKP_ENOMEM : CKP_EPARSE;
        goto done;
    }
    const xmlNode *root = xmlDocGetRootElement(doc);
    if (!root || strcmp((const char *)root->name, "portfolio") != 0 || !root->ns ||
        strcmp((const char *)root->ns->href, CKP_PORTFOLIO_NS) != 0) {
        ckp_diag_add(diag, CKP_SEV_ERROR, path, root ? (int)xmlGetLineNo(root) : 0,
                     "xml-schema",
                     "the root element must be 'portfolio' in namespace '%s'",
                     CKP_PORTFOLIO_NS);
        rc = CKP_ESCHEMA;
        goto done;
    }
    spc = xmlSchemaNewMemParserCtxt(ckp_portfolio_xsd_text,
                                    (int)strlen(ckp_portfolio_xsd_text));
    if (spc) schema = xmlSchemaParse(spc);
    if (schema) vc = xmlSchemaNewValidCtxt(schema);
    if (!vc) {
        rc = spc && !schema ? CKP_EINTERNAL : CKP_ENOMEM;
        goto done;
    }
    xmlSchemaSetValidStructuredErrors(vc, on_error, &st);
    int v = xmlSchemaValidateDoc(vc, doc);
    if (v != 0 || st.n_errors > 0) {
        if (st.n_errors == 0)
            ckp_diag_add(diag, CKP_SEV_ERROR, path, 0, "xml-schema",
                         "the document does not follow the portfolio schema");
        rc = v < 0 ? CKP_EINTERNAL : CKP_ESCHEMA;
        goto done;
    }
    rc = items(&st, root, pf);
done:
    if (rc == CKP_OK && st.oom) rc = CKP_ENOMEM;
    xmlSchemaFreeValidCtxt(vc);
    xmlSchemaFree(schema);
    xmlSchemaFreeParserCtxt(spc);
    xmlFreeDoc(doc);
    xml_handlers_restore(&saved);
    return rc;
}
