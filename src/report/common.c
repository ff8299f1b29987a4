/* common.c: helpers shared by the report writers (see common.h). */
#include "report/common.h"

#include <math.h>
#include <string.h>

#include "util/alloc.h"

int rep_has_solution(const ckp_result *r)
{
    return r->status == CKP_MIP_OPTIMAL || r->status == CKP_MIP_FEASIBLE;
}

const char *rep_status_word(ckp_mip_status s)
{
    switch (s) {
    case CKP_MIP_OPTIMAL: return "OPTIMAL";
    case CKP_MIP_FEASIBLE: return "FEASIBLE";
    case CKP_MIP_INFEASIBLE: return "INFEASIBLE";
    case CKP_MIP_NO_SOLUTION: return "NO SOLUTION";
    case CKP_MIP_ERROR: return "ERROR";
    }
    return "ERROR";
}

const char *rep_status_key(ckp_mip_status s)
{
    switch (s) {
    case CKP_MIP_OPTIMAL: return "optimal";
    case CKP_MIP_FEASIBLE: return "feasible";
    case CKP_MIP_INFEASIBLE: return "infeasible";
    case CKP_MIP_NO_SOLUTION: return "no-solution";
    case CKP_MIP_ERROR: return "error";
    }
    return "error";
}

const char *rep_stop_reason(const ckp_result *r)
{
    switch (r->status) {
    case CKP_MIP_OPTIMAL:
        return r->solve_params.mip_gap > 0 && r->gap > 0 ? "gap" : "optimal";
    case CKP_MIP_FEASIBLE:
    case CKP_MIP_NO_SOLUTION: return r->limit == CKP_LIMIT_NODES ? "node-limit" : "time-limit";
    case CKP_MIP_INFEASIBLE: return "infeasible";
    case CKP_MIP_ERROR: return "error";
    }
    return "error";
}

static void gap_text(char *buf, size_t size, double gap)
{
    if (!isfinite(gap)) snprintf(buf, size, "unknown");
    else snprintf(buf, size, "%.2f %%", fabs(gap) < REP_ZERO ? 0.0 : 100 * gap);
}

void rep_status_sentence(const ckp_result *r, char *buf, size_t size)
{
    char gap[64];
    char lim[64];
    gap_text(gap, sizeof gap, r->gap);
    /* FEASIBLE / NO SOLUTION come from the time limit, or (rarely) from a
     * GLPK failure after an incumbent was found: name the limit only when
     * the solve actually ran that long */
    if (r->limit == CKP_LIMIT_NODES)
        snprintf(lim, sizeof lim, "the node limit (%ld nodes)", r->solve_params.node_limit);
    else if (r->solve_params.time_limit > 0 &&
        !(r->seconds < 0.5 * r->solve_params.time_limit))
        snprintf(lim, sizeof lim, "the time limit (%g s)", r->solve_params.time_limit);
    else
        snprintf(lim, sizeof lim, "the solver");
    switch (r->status) {
    case CKP_MIP_OPTIMAL:
        if (r->solve_params.mip_gap > 0)
            snprintf(buf, size, "OPTIMAL within the requested gap of %g %% (gap %s)",
                     100 * r->solve_params.mip_gap, gap);
        else
            snprintf(buf, size, "OPTIMAL (proven, gap %s)", gap);
        return;
    case CKP_MIP_FEASIBLE:
        snprintf(buf, size, "FEASIBLE - stopped by %s, not proven optimal; gap %s",
                 lim, gap);
        return;
    case CKP_MIP_INFEASIBLE:
        snprintf(buf, size, "INFEASIBLE - no portfolio satisfies the constraints");
        return;
    case CKP_MIP_NO_SOLUTION:
        snprintf(buf, size, "NO SOLUTION - stopped by %s before any feasible portfolio was found",
                 lim);
        return;
    case CKP_MIP_ERROR:
        snprintf(buf, size, "ERROR - the solver failed");
        return;
    }
    snprintf(buf, size, "ERROR");
}

int rep_project_stage_ix(const ckp_plan *plan, int p)
{
    const ckp_project *pr = &plan->projects[p];
    if (pr->stage.ix >= 0 && pr->stage.ix < plan->n_stages) return pr->stage.ix;
    int c = pr->output.ix;
    if (c >= 0 && c < plan->n_commodities) {
        int s = plan->commodities[c].stage.ix;
        if (s >= 0 && s < plan->n_stages) return s;
    }
    return -1;
}

const char *rep_project_stage(const ckp_plan *plan, int p)
{
    int s = rep_project_stage_ix(plan, p);
    return s >= 0 ? plan->stages[s].id : "?";
}

const char *rep_project_country(const ckp_plan *plan, int p)
{
    const ckp_project *pr = &plan->projects[p];
    if (pr->country.ix >= 0 && pr->country.ix < plan->n_countries)
        return plan->countries[pr->country.ix].id;
    if (pr->site.ix >= 0 && pr->site.ix < plan->n_sites) {
        int c = plan->sites[pr->site.ix].country.ix;
        if (c >= 0 && c < plan->n_countries) return plan->countries[c].id;
    }
    return pr->country.id ? pr->country.id : "?";
}

const char *rep_producer_country(const ckp_plan *plan, int i)
{
    if (i < plan->n_facilities) {
        int c = plan->facilities[i].country.ix;
        return c >= 0 && c < plan->n_countries ? plan->countries[c].id
                                               : plan->facilities[i].country.id;
    }
    return rep_project_country(plan, i - plan->n_facilities);
}

const char *rep_producer_id(const ckp_plan *plan, int i)
{
    if (i < plan->n_facilities) return plan->facilities[i].id;
    return plan->projects[i - plan->n_facilities].id;
}

int rep_producer_output(const ckp_plan *plan, int i)
{
    if (i < plan->n_facilities) return plan->facilities[i].output.ix;
    return plan->projects[i - plan->n_facilities].output.ix;
}

double rep_at(const double *a, int i) { return a ? a[i] : NAN; }

static double clean(double v) { return fabs(v) < REP_ZERO ? 0.0 : v; }

int rep_num(char *buf, size_t size, double v)
{
    if (!isfinite(v)) {
        if (size) buf[0] = '\0';
        return 0;
    }
    snprintf(buf, size, "%.10g", clean(v));
    return 1;
}

void rep_fixed(char *buf, size_t size, double v, int decimals)
{
    if (!isfinite(v)) snprintf(buf, size, "-");
    else {
        double c = clean(v);
        snprintf(buf, size, "%.*f", decimals, c);
        /* "-0.0" after rounding a tiny negative value */
        if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
            memmove(buf, buf + 1, strlen(buf));
    }
}

void rep_pct(char *buf, size_t size, double share)
{
    rep_fixed(buf, size, isfinite(share) ? 100 * share : share, 1);
}

/* Sources can be long (URLs, derivations): the text report shows the
 * first SOURCE_WIDTH characters and "..."; CSV and JSON carry them whole. */
#define SOURCE_WIDTH 60

void rep_short_source(char *b, size_t n, const char *src)
{
    if (!src || !*src) {
        snprintf(b, n, "-");
        return;
    }
    /* cut at a UTF-8 character boundary */
    size_t len = strlen(src);
    size_t cut = 0;
    int chars = 0;
    while (cut < len && chars < SOURCE_WIDTH) {
        cut++;
        while (cut < len && ((unsigned char)src[cut] & 0xC0) == 0x80) cut++;
        chars++;
    }
    if (cut >= len) snprintf(b, n, "%s", src);
    else snprintf(b, n, "%.*s...", (int)cut, src);
}

void rep_put_line(FILE *out, const char *s)
{
    for (; s && *s; s++)
        fputc((unsigned char)*s < 0x20 || *s == 0x7f ? ' ' : *s, out);
}

void rep_csv_str(FILE *out, const char *s)
{
    if (!s) return;
    size_t n = strlen(s);
    int quote = strpbrk(s, ",\"\r\n") != NULL ||
                (n > 0 && (s[0] == ' ' || s[n - 1] == ' ' || s[0] == '\t' ||
                           s[n - 1] == '\t'));
    if (!quote) {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (; *s; s++) {
        if (*s == '"') fputc('"', out);
        fputc(*s, out);
    }
    fputc('"', out);
}

void rep_csv_num(FILE *out, double v)
{
    char b[64];
    if (rep_num(b, sizeof b, v)) fputs(b, out);
}

void rep_csv_int(FILE *out, long v) { fprintf(out, "%ld", v); }

void rep_table_init(rep_table *t) { memset(t, 0, sizeof *t); }

int rep_table_col(rep_table *t, const char *head, char align)
{
    if (t->n_cols >= REP_MAX_COLS || t->n_rows > 0) {
        t->oom = 1; /* programming error: reported as internal */
        return -1;
    }
    t->head[t->n_cols] = ckp_strdup(head ? head : "");
    if (!t->head[t->n_cols]) {
        t->oom = 1;
        return -1;
    }
    t->align[t->n_cols] = align;
    return t->n_cols++;
}

int rep_table_row(rep_table *t)
{
    if (t->oom) return -1;
    int need = t->n_rows + 1;
    if (need > t->cap_rows) {
        int ncap = t->cap_rows ? 2 * t->cap_rows : 16;
        char **c = ckp_realloc(t->cells, (size_t)ncap * (size_t)t->n_cols * sizeof *c);
        if (!c) {
            t->oom = 1;
            return -1;
        }
        t->cells = c;
        t->cap_rows = ncap;
    }
    for (int j = 0; j < t->n_cols; j++) t->cells[t->n_rows * t->n_cols + j] = NULL;
    return t->n_rows++;
}

void rep_table_set(rep_table *t, int col, const char *text)
{
    if (t->oom || t->n_rows == 0 || col < 0 || col >= t->n_cols) return;
    char **cell = &t->cells[(t->n_rows - 1) * t->n_cols + col];
    ckp_free(*cell);
    *cell = ckp_strdup(text ? text : "");
    if (!*cell) {
        t->oom = 1;
        return;
    }
    /* one line per row: control characters (newlines, tabs) become blanks */
    for (char *c = *cell; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f) *c = ' ';
}

/* Display width: counts UTF-8 code points, not bytes. */
static int width(const char *s)
{
    int w = 0;
    for (; s && *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) w++;
    return w;
}

ckp_status rep_table_print(const rep_table *t, FILE *out, const char *indent)
{
    if (t->oom) return CKP_ENOMEM;
    int w[REP_MAX_COLS];
    for (int j = 0; j < t->n_cols; j++) {
        w[j] = width(t->head[j]);
        for (int i = 0; i < t->n_rows; i++) {
            int k = width(t->cells[i * t->n_cols + j]);
            if (k > w[j]) w[j] = k;
        }
    }
    for (int i = t->no_head ? 0 : -1; i < t->n_rows; i++) {
        /* trailing blanks are trimmed: find the last non-empty cell */
        int last = t->n_cols - 1;
        while (last > 0 && i >= 0 && t->align[last] == 'l' &&
               width(t->cells[i * t->n_cols + last]) == 0)
            last--;
        fputs(indent, out);
        for (int j = 0; j <= last; j++) {
            const char *s = i < 0 ? t->head[j] : t->cells[i * t->n_cols + j];
            if (!s) s = "";
            int pad = w[j] - width(s);
            if (j > 0) fputs("  ", out);
            if (t->align[j] == 'r')
                fprintf(out, "%*s%s", pad, "", s);
            else if (j == last)
                fputs(s, out);
            else
                fprintf(out, "%s%*s", s, pad, "");
        }
        fputc('\n', out);
    }
    return CKP_OK;
}

void rep_table_fini(rep_table *t)
{
    if (!t) return;
    for (int i = 0; i < t->n_rows * t->n_cols; i++) ckp_free(t->cells[i]);
    ckp_free(t->cells);
    for (int j = 0; j < t->n_cols; j++) ckp_free(t->head[j]);
    memset(t, 0, sizeof *t);
}
