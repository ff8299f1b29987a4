/* datapackage.c: datapackage.json and README.txt of the --out directory.
 * datapackage.json is a Frictionless Data Package (tabular-data-package):
 * one resource per CSV file written, its Table Schema built from the same
 * column descriptions the CSV writer uses (tables.c: name, type, unit,
 * meaning), plus summary.json and report.html.  README.txt says in a few
 * lines what each file is.  Both are deterministic (no date), so two runs
 * of the same command write the same bytes. */
#include <string.h>

#include "report/common.h"
#include "report/figures.h"
#include "report/json.h"
#include "report/outfiles.h"

static const char *field_type(const rep_column *c)
{
    switch (c->type) {
    case REP_T_STR: return "string";
    case REP_T_INT: return c->unit == REP_U_YEAR ? "year" : "integer";
    case REP_T_BOOL: return "boolean";
    case REP_T_NUM:
    case REP_T_EXACT: return "number";
    }
    return "string";
}

static void table_resource(jw *w, const ckp_result *r, const rep_table_def *t)
{
    char h[96], u[32];
    jw_object(w, NULL);
    jw_str(w, "name", t->name);
    jw_str(w, "path", t->file);
    jw_str(w, "profile", "tabular-data-resource");
    jw_str(w, "format", "csv");
    jw_str(w, "mediatype", "text/csv");
    jw_str(w, "encoding", "utf-8");
    jw_str(w, "description", t->meaning);
    jw_object(w, "dialect");
    jw_str(w, "delimiter", ",");
    jw_str(w, "lineTerminator", "\n");
    jw_bool(w, "header", 1);
    jw_end_object(w);
    jw_object(w, "schema");
    jw_array(w, "fields");
    for (int j = 0; j < t->n_cols; j++) {
        const rep_column *c = &t->cols[j];
        if (!rep_column_on(r, c)) continue;
        rep_column_header(r, c, h, sizeof h);
        jw_object(w, NULL);
        jw_str(w, "name", h);
        jw_str(w, "type", field_type(c));
        jw_str(w, "description", c->meaning);
        rep_unit_text(r, c->unit, u, sizeof u);
        if (c->unit == REP_U_SHARE) jw_str(w, "unit", "fraction 0..1");
        else if (u[0] && c->unit != REP_U_YEAR) jw_str(w, "unit", u);
        jw_end_object(w);
    }
    jw_end_array(w);
    jw_array(w, "missingValues");
    jw_str(w, NULL, "");
    jw_end_array(w);
    jw_end_object(w);
    jw_end_object(w);
}

/* A lower-case name made of a-z, 0-9 and '-' from the plan's name. */
static void slug(const char *s, char *b, size_t n)
{
    size_t k = 0;
    int dash = 0;
    for (; s && *s && k + 2 < n; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 'A' && c <= 'Z') c = (unsigned char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            b[k++] = (char)c;
            dash = 0;
        } else if (!dash && k > 0) {
            b[k++] = '-';
            dash = 1;
        }
    }
    while (k > 0 && b[k - 1] == '-') k--;
    b[k] = '\0';
    if (k == 0) snprintf(b, n, "plan");
}

ckp_status rep_write_datapackage(const ckp_result *r, const ckp_report_info *info,
                                 const ckp_report_file *extra, int n_extra, FILE *out)
{
    char name[128], b[160];
    slug(r->plan->name, name, sizeof name);
    snprintf(b, sizeof b, "chokepoint-%s", name);
    jw w;
    jw_init(&w, out);
    jw_object(&w, NULL);
    jw_str(&w, "profile", "tabular-data-package");
    jw_str(&w, "name", b);
    jw_str(&w, "title", r->plan->name);
    jw_str(&w, "description",
           "The financing portfolio chokepoint chose for this plan and what it does to the "
           "bloc's dependence on the chokepoint: one CSV file per table, summary.json (every "
           "figure, schema in docs/summary.schema.json of the chokepoint sources) and "
           "report.html (the committee's page). Money in millions of the plan currency, "
           "quantities in tonnes per year, shares as fractions 0..1; an empty CSV field is "
           "undefined.");
    jw_array(&w, "sources");
    jw_object(&w, NULL);
    jw_str(&w, "title", "plan file");
    jw_str(&w, "path", info && info->input_path ? info->input_path : r->plan->path);
    jw_str(&w, "sha256", info ? info->input_sha256 : NULL);
    jw_end_object(&w);
    jw_end_array(&w);
    jw_object(&w, "chokepoint");
    jw_str(&w, "version", info ? info->tool_version : NULL);
    jw_str(&w, "command_line", info ? info->command_line : NULL);
    jw_end_object(&w);
    jw_array(&w, "resources");
    for (int i = 0; i < rep_n_tables; i++)
        if (rep_tables[i].wanted(r)) table_resource(&w, r, &rep_tables[i]);
    jw_object(&w, NULL);
    jw_str(&w, "name", "summary");
    jw_str(&w, "path", "summary.json");
    jw_str(&w, "format", "json");
    jw_str(&w, "mediatype", "application/json");
    jw_str(&w, "encoding", "utf-8");
    jw_str(&w, "description", "every figure of the run, the committee summary first "
                              "(docs/reports.md, docs/summary.schema.json)");
    jw_end_object(&w);
    jw_object(&w, NULL);
    jw_str(&w, "name", "report");
    jw_str(&w, "path", "report.html");
    jw_str(&w, "format", "html");
    jw_str(&w, "mediatype", "text/html");
    jw_str(&w, "encoding", "utf-8");
    jw_str(&w, "description", "the committee's page: summary, charts with their data, proof, "
                              "sources; self-contained");
    jw_end_object(&w);
    for (int i = 0; i < n_extra; i++) {
        const ckp_report_file *f = &extra[i];
        char nm[128];
        const char *fmt = f->format ? f->format : "json";
        snprintf(nm, sizeof nm, "%s", f->name);
        char *dot = strrchr(nm, '.');
        if (dot) *dot = '\0';
        jw_object(&w, NULL);
        jw_str(&w, "name", nm);
        jw_str(&w, "path", f->name);
        jw_str(&w, "format", fmt);
        jw_str(&w, "mediatype", strcmp(fmt, "json") == 0  ? "application/json"
                                : strcmp(fmt, "csv") == 0 ? "text/csv"
                                                          : "text/plain");
        jw_str(&w, "encoding", "utf-8");
        jw_str(&w, "description", f->description);
        jw_end_object(&w);
    }
    jw_end_array(&w);
    jw_end_object(&w);
    if (w.bad || w.depth != 0) return CKP_EINTERNAL;
    return ferror(out) ? CKP_EIO : CKP_OK;
}

ckp_status rep_write_readme(const ckp_result *r, const ckp_report_info *info,
                            const ckp_report_file *extra, int n_extra, FILE *out)
{
    fputs("chokepoint output\n=================\n\n", out);
    fputs("Plan: ", out);
    rep_put_line(out, r->plan->name ? r->plan->name : "(unnamed)");
    fputs("\nInput: ", out);
    rep_put_line(out, info && info->input_path ? info->input_path : r->plan->path);
    fputs("\nSHA-256 of the input: ", out);
    rep_put_line(out, info && info->input_sha256 ? info->input_sha256 : "-");
    fputs("\nCommand: ", out);
    rep_put_line(out, info && info->command_line ? info->command_line : "-");
    fputs("\n\nOpen report.html first: the committee summary, charts and the proof in one "
          "page\n(no script, no network).\n\nFiles:\n", out);
    fputs("  report.html       the committee's page\n", out);
    fputs("  summary.json      every figure; summary first (docs/summary.schema.json)\n", out);
    for (int i = 0; i < rep_n_tables; i++) {
        if (!rep_tables[i].wanted(r)) continue;
        fprintf(out, "  %-17s %s\n", rep_tables[i].file, rep_tables[i].meaning);
    }
    for (int i = 0; i < n_extra; i++) {
        fprintf(out, "  %-17s ", extra[i].name);
        rep_put_line(out, extra[i].description);
        fputc('\n', out);
    }
    fputs("  datapackage.json  Frictionless Data Package: every file, column, unit and "
          "meaning\n  README.txt        this file\n\n", out);
    char suf[32];
    rep_unit_suffix(r, REP_U_MONEY, suf, sizeof suf);
    fprintf(out, "Units: money in millions of %s (columns ending %s), quantities in\n"
                 "tonnes per year (_t_per_year), shares as fractions 0..1; an empty CSV field\n"
                 "is undefined.  Country names stand beside country codes.\n",
            rep_currency(r), suf);
    return ferror(out) ? CKP_EIO : CKP_OK;
}
