/* xml_int.h: what the files of the XML reader share (xml_read.c: parse,
 * validate, load; xml_tree.c: tree helpers, number scan, the plan element;
 * xml_records.c: one reader per section; the libxml2 error plumbing also
 * with portfolio_xml.c).  Private to src/input: libxml2
 * types never leave it. */
#ifndef CKP_INPUT_XML_INT_H
#define CKP_INPUT_XML_INT_H

#include <stddef.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlversion.h>

#include "ckp/diag.h"
#include "ckp/plan.h"

/* libxml2's structured error, const from 2.12 on. */
#if LIBXML_VERSION >= 21200
typedef const xmlError *ckp_xml_error_ptr;
#else
typedef xmlErrorPtr ckp_xml_error_ptr;
#endif

/* libxml2's global error handlers, saved while a load installs its own
 * (xml_read.c; portfolio_xml.c, the portfolio reader, shares these two
 * calls): generic messages dropped (every error also reaches a structured
 * handler), structured ones to on_error(ctx, error).  Restore puts back
 * what install saved. */
typedef struct xml_handlers {
    xmlGenericErrorFunc generic;
    void *generic_ctx;
    xmlStructuredErrorFunc structured;
    void *structured_ctx;
} xml_handlers;
void xml_handlers_install(xml_handlers *saved, void *ctx, xmlStructuredErrorFunc on_error);
void xml_handlers_restore(const xml_handlers *saved);

/* Longest value quoted in a diagnostic. */
#define CKP_XML_QUOTE 60

/* State of one load */
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

/* A diagnostic of this load (xml_read.c); counts errors, notes OOM. */
void xr_diag(load_state *st, ckp_severity sev, int line, const char *code,
             const char *fmt, ...) CKP_PRINTF(5, 6);
/* s quoted into buf for a message, shortened with "..." (xml_read.c). */
const char *xr_quote(const char *s, char *buf, size_t size);

/* Tree helpers and lists (xml_tree.c) */
int xr_is_el(const xmlNode *n, const char *name);
const xmlNode *xr_first_child(const xmlNode *n, const char *name);
int xr_count_children(const xmlNode *n, const char *name);
int xr_line(const xmlNode *n);
const char *xr_attr(conv *cv, const xmlNode *n, const char *name);
char *xr_str(conv *cv, const char *s);
void *xr_array(conv *cv, int n, size_t elem);
double xr_num(const char *s, double dflt);
int xr_inum(const char *s, int dflt);
void xr_set_ref(conv *cv, ckp_ref *r, const xmlNode *n, const char *name);
void xr_num_list(conv *cv, const char *s, const char *dflt, double **out, int *n_out);
void xr_scan_numbers(conv *cv, const xmlNode *n);
void xr_ratios(conv *cv, const xmlNode *n, const char *name, ckp_ratio **out, int *n_out);
void xr_amounts(conv *cv, const xmlNode *n, const char *name, ckp_amount **out, int *n_out);
void xr_year_values(conv *cv, const xmlNode *n, const char *name, const char *value_attr, ckp_year_value **out, int *n_out);
void xr_project_refs(conv *cv, const xmlNode *n, const char *name, ckp_ref **out, int *n_out);
void xr_contracts(conv *cv, const xmlNode *n, ckp_contract **out, int *n_out);
int xr_boolean(const char *s);
void xr_cofinanciers(conv *cv, const xmlNode *n, ckp_cofinancier **out, int *n_out);
void xr_read_plan(conv *cv, const xmlNode *root, const char *path);
/* xml_terms.c: an option's <terms>, the budget's measure and caps */
void xr_option_terms(conv *cv, const xmlNode *opt, ckp_option *o);
void xr_budget_terms(conv *cv, const xmlNode *budget, ckp_budget *b);

/* One reader per plan section (xml_records.c) */
void xr_read_countries(conv *cv, const xmlNode *sec);
void xr_read_stages(conv *cv, const xmlNode *sec);
void xr_read_commodities(conv *cv, const xmlNode *sec);
void xr_read_facilities(conv *cv, const xmlNode *sec);
void xr_read_resources(conv *cv, const xmlNode *sec);
void xr_read_sites(conv *cv, const xmlNode *sec);
void xr_read_projects(conv *cv, const xmlNode *sec);
void xr_read_upgrades(conv *cv, const xmlNode *sec);
void xr_read_stockpiles(conv *cv, const xmlNode *sec);
void xr_read_scenarios(conv *cv, const xmlNode *sec);

#endif
