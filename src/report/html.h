/* html.h: writing report.html through libxml2's xmlTextWriter (internal to
 * src/report; html.c writes the document, charts.c the SVG charts).  No
 * markup is pasted as strings: every element, attribute and text goes
 * through the writer, which escapes it.  HTML elements always get an end
 * tag (hw_close); SVG elements may be empty (hw_end). */
#ifndef CKP_REPORT_HTML_H
#define CKP_REPORT_HTML_H

#include "ckp/report.h"
#include "ckp/result.h"

typedef struct hw {
    void *w;  /* xmlTextWriterPtr */
    int bad;  /* a writer call failed */
} hw;

void hw_open(hw *h, const char *tag);
void hw_close(hw *h); /* full end tag: </div> */
void hw_end(hw *h);   /* SVG: <rect/> when empty */
void hw_attr(hw *h, const char *name, const char *value);
void hw_attrf(hw *h, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void hw_text(hw *h, const char *s);
void hw_textf(hw *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* <tag>text</tag> */
void hw_elem(hw *h, const char *tag, const char *text);
/* SVG primitives shared by every chart: an <svg> of width x height with
 * an accessible label (closed by hw_close), a rectangle (stroke NULL =
 * none; title = its tooltip, NULL = none), a line (width <= 0 and dash
 * NULL = the defaults), a text anchored at (x, y) (anchor NULL = start). */
void hw_svg_open(hw *h, double width, double height, const char *label);
void hw_svg_rect(hw *h, double x, double y, double w, double ht, const char *fill,
                 const char *stroke, const char *title);
void hw_svg_line(hw *h, double x1, double y1, double x2, double y2, const char *stroke,
                 double width, const char *dash);
void hw_svg_text(hw *h, double x, double y, const char *anchor, const char *s);
/* <tag class="cls">text</tag> */
void hw_elem_class(hw *h, const char *tag, const char *cls, const char *text);

/* A figure shown in the page and checked against summary.json: a <td>
 * (or <span> when span) whose text is `text`, with data-json = the JSON
 * path of the value (dot-separated, array indices as numbers) and
 * data-value = the value as summary.json writes it. */
void hw_figure(hw *h, const char *tag, const char *path, double v, const char *text);

/* A page of its own (the sweep's report.html): the doctype, <html>, the
 * head with the page's CSS and title "chokepoint: title", and <body>
 * filled by body(h, arg); written to out. */
ckp_status rep_html_page(FILE *out, const char *title,
                         void (*body)(hw *h, const void *arg), const void *arg);

/* A section a caller adds to a result's report.html right after the
 * committee summary (evaluate's regret: src/study/evaluate_html.c). */
typedef struct rep_html_section {
    void (*write)(hw *h, const void *arg);
    const void *arg;
} rep_html_section;

/* A result's report.html (ckp_report_html) with extra (NULL = none). */
ckp_status rep_html_result(const ckp_result *r, const ckp_report_info *info,
                           const rep_html_section *extra, FILE *out);

/* "What the next 100 M would buy" (next_budget.c): its heading, the
 * sentence, its figures and the items that change; nothing when r->next
 * is NULL. */
void rep_html_next(hw *h, const ckp_result *r);

/* The charts (charts.c), each a <figure> with title, SVG with axis units,
 * the data table below and its source note. */
void rep_chart_supply_final(hw *h, const ckp_result *r);
void rep_chart_supply_time(hw *h, const ckp_result *r);
void rep_chart_gantt(hw *h, const ckp_result *r);
void rep_chart_budget(hw *h, const ckp_result *r);
void rep_chart_shortage(hw *h, const ckp_result *r);
void rep_chart_releases(hw *h, const ckp_result *r);

#endif
