/* figures.c: the scalar figures of a result (see figures.h) and the
 * helpers every back end uses to render a figure: its unit in words or as
 * a CSV suffix, a value as CSV or as text.  The per-row tables are in
 * tables.c.  docs/reports.md explains every figure; docs/summary.schema.json
 * gives its JSON type. */
#include "report/figures.h"

#include <ctype.h>
#include <math.h>
#include <string.h>

#include "report/common.h"
#include "report/scorecard.h"

/* ---- setters ---- */

void rep_set_str(rep_cell *c, const char *s)
{
    c->type = REP_T_STR;
    c->str = s;
}

void rep_set_num(rep_cell *c, double v)
{
    c->type = REP_T_NUM;
    c->num = v;
}

void rep_set_exact(rep_cell *c, double v)
{
    c->type = REP_T_EXACT;
    c->num = v;
}

void rep_set_int(rep_cell *c, long v)
{
    c->type = REP_T_INT;
    c->i = v;
}

void rep_set_bool(rep_cell *c, int v)
{
    c->type = REP_T_BOOL;
    c->i = v != 0;
}

/* ---- getters of the scalar figures ---- */

static double sum_of(const double *a, int n)
{
    if (!a) return NAN;
    double s = 0;
    for (int i = 0; i < n; i++) s += a[i];
    return s;
}

static int n_cy(const ckp_result *r) { return r->plan->n_commodities * r->n_years; }

static void g_mip_status(const ckp_result *r, rep_cell *c) { rep_set_str(c, rep_status_key(r->status)); }
static void g_proven(const ckp_result *r, rep_cell *c) { rep_set_bool(c, r->status == CKP_MIP_OPTIMAL); }
static void g_stopped(const ckp_result *r, rep_cell *c) { rep_set_str(c, rep_stop_reason(r)); }
static void g_text(const ckp_result *r, rep_cell *c)
{
    rep_status_sentence(r, c->buf, sizeof c->buf);
    rep_set_str(c, c->buf);
}
static void g_objective(const ckp_result *r, rep_cell *c) { rep_set_num(c, r->objective_value); }
static void g_bound(const ckp_result *r, rep_cell *c) { rep_set_num(c, r->bound); }
static void g_gap(const ckp_result *r, rep_cell *c) { rep_set_num(c, r->gap); }
static void g_nodes(const ckp_result *r, rep_cell *c) { rep_set_int(c, r->nodes); }
static void g_heur(const ckp_result *r, rep_cell *c) { rep_set_bool(c, r->heuristic_used); }
static void g_pruned(const ckp_result *r, rep_cell *c) { rep_set_int(c, r->n_pruned); }
static void g_base_obj(const ckp_result *r, rep_cell *c) { rep_set_num(c, r->baseline_objective); }
static void g_rows(const ckp_result *r, rep_cell *c) { rep_set_int(c, r->n_rows); }
static void g_cols(const ckp_result *r, rep_cell *c) { rep_set_int(c, r->n_cols); }
static void g_bins(const ckp_result *r, rep_cell *c) { rep_set_int(c, r->n_binaries); }
static void g_nnz(const ckp_result *r, rep_cell *c) { rep_set_int(c, r->nnz); }
static void g_solve_s(const ckp_result *r, rep_cell *c) { rep_set_exact(c, r->seconds); }
static void g_build_s(const ckp_result *r, rep_cell *c) { rep_set_exact(c, r->build_seconds); }
static void g_post_s(const ckp_result *r, rep_cell *c) { rep_set_exact(c, r->post_seconds); }
static void lex_s(const ckp_result *r, rep_cell *c, int k)
{
    rep_set_exact(c, r->lexicographic && r->lex[k].ran ? r->lex[k].seconds : NAN);
}
static void g_lex1_s(const ckp_result *r, rep_cell *c) { lex_s(r, c, 0); }
static void g_lex2_s(const ckp_result *r, rep_cell *c) { lex_s(r, c, 1); }
static void g_lex3_s(const ckp_result *r, rep_cell *c) { lex_s(r, c, 2); }
static void g_commit(const ckp_result *r, rep_cell *c) { rep_set_num(c, r->commitment_total); }
static void g_capex(const ckp_result *r, rep_cell *c) { rep_set_num(c, r->capex_total); }
static void g_private(const ckp_result *r, rep_cell *c) { rep_set_num(c, r->private_capital); }
static void g_private_direct(const ckp_result *r, rep_cell *c) { rep_set_num(c, r->private_direct); }
static void g_private_indirect(const ckp_result *r, rep_cell *c)
{
    rep_set_num(c, r->private_capital - r->private_direct);
}
static void g_public_cofin(const ckp_result *r, rep_cell *c) { rep_set_num(c, r->public_cofinance); }
static void g_multi_cofin(const ckp_result *r, rep_cell *c)
{
    rep_set_num(c, r->multilateral_cofinance);
}
static rep_sc_sources sources_of(const ckp_result *r)
{
    rep_sc_sources t;
    rep_sc_count_sources(r->plan, &t);
    return t;
}
static void g_src_records(const ckp_result *r, rep_cell *c) { rep_set_int(c, sources_of(r).records); }
static void g_src_with(const ckp_result *r, rep_cell *c) { rep_set_int(c, sources_of(r).with_source); }
static void g_src_without(const ckp_result *r, rep_cell *c)
{
    rep_sc_sources t = sources_of(r);
    rep_set_int(c, t.records - t.with_source);
}
static void g_src_as_of(const ckp_result *r, rep_cell *c) { rep_set_int(c, sources_of(r).with_as_of); }
static void g_unattributed(const ckp_result *r, rep_cell *c)
{
    rep_set_num(c, r->unattributed_capital);
}
/* Instrument terms (docs/finance.md): what the budget limits, and the
 * portfolio's totals per measure. */
static double fin_total(const ckp_result *r, ckp_fin_measure m)
{
    return r->fin_year && rep_has_solution(r) ? r->fin_total[m] : NAN;
}
static void g_out_peaks(const ckp_result *r, rep_cell *c)
{
    rep_set_num(c, fin_total(r, CKP_FIN_OUTSTANDING));
}
static void g_ec(const ckp_result *r, rep_cell *c)
{
    rep_set_num(c, fin_total(r, CKP_FIN_EXPECTED_COST));
}
static void g_cl_peaks(const ckp_result *r, rep_cell *c)
{
    rep_set_num(c, fin_total(r, CKP_FIN_CONTINGENT));
}
static void g_short(const ckp_result *r, rep_cell *c) { rep_set_num(c, sum_of(r->shortage, n_cy(r))); }
static void g_base_short(const ckp_result *r, rep_cell *c)
{
    rep_set_num(c, sum_of(r->baseline_shortage, n_cy(r)));
}

/* The table.  label NULL: a figure for machines only (the text shows the
 * sentence of "text" instead of the status keys). */
const rep_figure rep_figures[] = {
    {"status", "mip_status", NULL, REP_U_NONE, REP_T_STR,
     "optimal, feasible, infeasible, no-solution or error", g_mip_status},
    {"status", "proven_optimal", NULL, REP_U_NONE, REP_T_BOOL,
     "true only when the solver proved the portfolio optimal", g_proven},
    {"status", "stopped_by", NULL, REP_U_NONE, REP_T_STR,
     "why the search stopped: optimal, gap, time-limit, infeasible or error", g_stopped},
    {"status", "text", "status", REP_U_NONE, REP_T_STR,
     "the status in one sentence; never says optimal unless proven", g_text},
    {"status", "objective", "objective", REP_U_SHARE_YEARS, REP_T_NUM,
     "value of the minimised objective for the portfolio", g_objective},
    {"status", "best_bound", "best bound", REP_U_SHARE_YEARS, REP_T_NUM,
     "proven lower bound on the objective: no portfolio does better", g_bound},
    {"status", "gap", "gap", REP_U_SHARE, REP_T_NUM,
     "relative gap |objective - bound| / |objective|", g_gap},
    {"status", "nodes", "nodes", REP_U_COUNT, REP_T_INT,
     "branch-and-bound nodes explored", g_nodes},
    {"status", "heuristic_used", NULL, REP_U_NONE, REP_T_BOOL,
     "the greedy portfolio was offered to the solver as a first incumbent", g_heur},
    {"status", "pruned", "pruned", REP_U_COUNT, REP_T_INT,
     "funded items the post-solve pruning removed (they cut no exposure) or "
     "switched to a cheaper option of equal effect (docs/formulation.md 7)", g_pruned},
    {"status", "baseline_objective", "baseline objective", REP_U_SHARE_YEARS, REP_T_NUM,
     "the same objective with no project, upgrade or stockpile funded", g_base_obj},
    {"model_size", "rows", "rows", REP_U_COUNT, REP_T_INT, "constraints of the MIP", g_rows},
    {"model_size", "columns", "columns", REP_U_COUNT, REP_T_INT, "variables of the MIP", g_cols},
    {"model_size", "binaries", "binary columns", REP_U_COUNT, REP_T_INT,
     "binary variables (funding decisions)", g_bins},
    {"model_size", "nonzeros", "nonzeros", REP_U_COUNT, REP_T_INT,
     "nonzero coefficients of the constraint matrix", g_nnz},
    {"timing", "solve_seconds", "solve time", REP_U_SECONDS, REP_T_EXACT,
     "wall time of the portfolio solve", g_solve_s},
    {"timing", "build_seconds", "model build time", REP_U_SECONDS, REP_T_EXACT,
     "wall time of building the model", g_build_s},
    {"timing", "post_solve_seconds", "post-solve time", REP_U_SECONDS, REP_T_EXACT,
     "wall time of the post-solve LPs (pruning, baseline, scenarios)", g_post_s},
    {"timing", "lex_stage1_seconds", NULL, REP_U_SECONDS, REP_T_EXACT,
     "wall time of stage 1 of the lexicographic solve (null when off or not run)", g_lex1_s},
    {"timing", "lex_stage2_seconds", NULL, REP_U_SECONDS, REP_T_EXACT,
     "wall time of stage 2 of the lexicographic solve (null when off or not run)", g_lex2_s},
    {"timing", "lex_stage3_seconds", NULL, REP_U_SECONDS, REP_T_EXACT,
     "wall time of the order pass, stage 3 (null when off or not run)", g_lex3_s},
    {"totals", "commitment", "bank commitment (everything funded)",
     REP_U_MONEY, REP_T_NUM,
     "bank money committed to funded projects, upgrades and stockpiles", g_commit},
    {"totals", "capex", "capex of funded projects", REP_U_MONEY, REP_T_NUM,
     "total capital cost of the funded projects", g_capex},
    {"totals", "private_capital", "private capital mobilised (private co-financiers)",
     REP_U_MONEY, REP_T_NUM,
     "private co-finance of the funded projects, direct + indirect (the MDBs' joint "
     "methodology: public and multilateral co-financiers do not count; docs/finance.md)",
     g_private},
    {"totals", "private_direct", "  of which direct mobilisation", REP_U_MONEY, REP_T_NUM,
     "private co-finance the bank's active and direct involvement brings in", g_private_direct},
    {"totals", "private_indirect", "  of which indirect mobilisation", REP_U_MONEY, REP_T_NUM,
     "the other private co-finance of the funded projects (e.g. private sponsors)",
     g_private_indirect},
    {"totals", "public_cofinance", "public co-finance", REP_U_MONEY, REP_T_NUM,
     "co-finance of the funded projects by governments, their agencies and banks, export "
     "credit agencies, bilateral DFIs (not private capital)", g_public_cofin},
    {"totals", "multilateral_cofinance", "multilateral co-finance", REP_U_MONEY, REP_T_NUM,
     "co-finance of the funded projects by multilateral development banks and funds",
     g_multi_cofin},
    {"totals", "unattributed_capital", "capex of no declared source", REP_U_MONEY, REP_T_NUM,
     "capex of the funded projects less the bank's commitments and every declared "
     "co-financier: not counted as private capital", g_unattributed},
    {"totals", "outstanding_peaks", "outstanding exposure (the items' peaks summed)",
     REP_U_MONEY, REP_T_NUM,
     "sum over the funded items of their largest outstanding (loans, equity, guarantees, "
     "price-support caps) in any year", g_out_peaks},
    {"totals", "expected_cost", "expected cost", REP_U_MONEY, REP_T_NUM,
     "expected losses, grants, spending and probability-weighted price-support payments of "
     "the funded items, over every year", g_ec},
    {"totals", "contingent_liability_peaks", "contingent liability (the items' peaks summed)",
     REP_U_MONEY, REP_T_NUM,
     "sum over the funded items of their largest contingent liability (guarantees, "
     "price-support caps) in any year", g_cl_peaks},
    {"transparency", "records", "plan records carrying figures", REP_U_COUNT, REP_T_INT,
     "demand points, facilities, projects, options, contracts, co-financiers, upgrades and "
     "stockpiles of the plan", g_src_records},
    {"transparency", "with_source", "  with a source", REP_U_COUNT, REP_T_INT,
     "of them, those that give a source", g_src_with},
    {"transparency", "without_source", "  without a source", REP_U_COUNT, REP_T_INT,
     "of them, those that give no source", g_src_without},
    {"transparency", "with_as_of", "  with an as-of date", REP_U_COUNT, REP_T_INT,
     "of them, those that give the date their figures were last verified (facilities, "
     "projects, contracts and co-financiers can)", g_src_as_of},
    {"totals", "shortage_tonnes", "shortage with the portfolio", REP_U_TONNES, REP_T_NUM,
     "final demand not met, summed over commodities and years", g_short},
    {"totals", "baseline_shortage_tonnes", "shortage with no project funded",
     REP_U_TONNES, REP_T_NUM,
     "final demand not met with nothing funded, summed over commodities and years",
     g_base_short},
};
const int rep_n_figures = (int)(sizeof rep_figures / sizeof rep_figures[0]);

const rep_figure *rep_figure_find(const char *group, const char *key)
{
    for (int i = 0; i < rep_n_figures; i++)
        if (strcmp(rep_figures[i].group, group) == 0 && strcmp(rep_figures[i].key, key) == 0)
            return &rep_figures[i];
    return NULL;
}

/* ---- units ---- */

const char *rep_currency(const ckp_result *r)
{
    return r->plan->currency && *r->plan->currency ? r->plan->currency : "USD";
}

void rep_unit_text(const ckp_result *r, rep_unit u, char *b, size_t n)
{
    switch (u) {
    case REP_U_MONEY: snprintf(b, n, "%s m", rep_currency(r)); return;
    case REP_U_TPY: snprintf(b, n, "t/yr"); return;
    case REP_U_TONNES: snprintf(b, n, "t"); return;
    case REP_U_SHARE: snprintf(b, n, "share"); return;
    case REP_U_SHARE_YEARS: snprintf(b, n, "share-years"); return;
    case REP_U_YEAR: snprintf(b, n, "year"); return;
    case REP_U_SECONDS: snprintf(b, n, "s"); return;
    case REP_U_HHI: snprintf(b, n, "HHI"); return;
    case REP_U_PRICE: snprintf(b, n, "%s/t", rep_currency(r)); return;
    case REP_U_COUNT:
    case REP_U_NONE: break;
    }
    if (n) b[0] = '\0';
}

void rep_unit_suffix(const ckp_result *r, rep_unit u, char *b, size_t n)
{
    char cur[16];
    const char *c = rep_currency(r);
    size_t k = 0;
    for (; c[k] && k + 1 < sizeof cur; k++) cur[k] = (char)tolower((unsigned char)c[k]);
    cur[k] = '\0';
    switch (u) {
    case REP_U_MONEY: snprintf(b, n, "_%s_m", cur); return;
    case REP_U_TPY: snprintf(b, n, "_t_per_year"); return;
    case REP_U_TONNES: snprintf(b, n, "_t"); return;
    case REP_U_SHARE_YEARS: snprintf(b, n, "_share_years"); return;
    case REP_U_SECONDS: snprintf(b, n, "_s"); return;
    case REP_U_PRICE: snprintf(b, n, "_%s_per_t", cur); return;
    case REP_U_SHARE: /* keys say "share" already */
    case REP_U_YEAR:
    case REP_U_COUNT:
    case REP_U_HHI:
    case REP_U_NONE: break;
    }
    if (n) b[0] = '\0';
}

int rep_column_on(const ckp_result *r, const rep_column *c)
{
    return !c->when || c->when(r);
}

void rep_column_header(const ckp_result *r, const rep_column *c, char *b, size_t n)
{
    if (c->csv) {
        snprintf(b, n, "%s", c->csv);
        return;
    }
    char suf[32];
    rep_unit_suffix(r, c->unit, suf, sizeof suf);
    snprintf(b, n, "%s%s", c->key, suf);
}

/* ---- values ---- */

void rep_cell_csv(FILE *out, const rep_cell *c)
{
    switch (c->type) {
    case REP_T_STR: rep_csv_str(out, c->str); return;
    case REP_T_INT: rep_csv_int(out, c->i); return;
    case REP_T_BOOL: fputs(c->i ? "true" : "false", out); return;
    case REP_T_NUM:
    case REP_T_EXACT: rep_csv_num(out, c->num); return;
    }
}

void rep_cell_text(const rep_cell *c, rep_unit u, char *b, size_t n)
{
    switch (c->type) {
    case REP_T_STR: snprintf(b, n, "%s", c->str ? c->str : "-"); return;
    case REP_T_INT: snprintf(b, n, "%ld", c->i); return;
    case REP_T_BOOL: snprintf(b, n, "%s", c->i ? "yes" : "no"); return;
    case REP_T_NUM:
    case REP_T_EXACT: break;
    }
    double v = c->num;
    switch (u) {
    case REP_U_MONEY: rep_fixed(b, n, v, 1); return;
    case REP_U_SHARE: {
        char p[48];
        rep_pct(p, sizeof p, v);
        snprintf(b, n, isfinite(v) ? "%s %%" : "%s", p);
        return;
    }
    case REP_U_SHARE_YEARS: rep_fixed(b, n, v, 6); return;
    case REP_U_SECONDS: rep_fixed(b, n, v, 3); return;
    case REP_U_TPY:
    case REP_U_TONNES:
    case REP_U_PRICE: rep_grouped(b, n, v); return;
    case REP_U_HHI: rep_fixed(b, n, v, 0); return;
    case REP_U_YEAR:
    case REP_U_COUNT: rep_fixed(b, n, v, 0); return;
    case REP_U_NONE: break;
    }
    if (!rep_num(b, n, v)) snprintf(b, n, "-");
}

ckp_status rep_csv_table(const ckp_result *r, const rep_table_def *t, FILE *out)
{
    char h[96];
    int first = 1;
    for (int j = 0; j < t->n_cols; j++) {
        if (!rep_column_on(r, &t->cols[j])) continue;
        if (!first) fputc(',', out);
        first = 0;
        rep_column_header(r, &t->cols[j], h, sizeof h);
        fputs(h, out);
    }
    fputc('\n', out);
    rep_row w;
    rep_cell c;
    for (long k = 0;; k++) {
        int got = t->row(r, k, &w);
        if (got == 0) break;
        if (got < 0) continue;
        first = 1;
        for (int j = 0; j < t->n_cols; j++) {
            if (!rep_column_on(r, &t->cols[j])) continue;
            if (!first) fputc(',', out);
            first = 0;
            memset(&c, 0, sizeof c);
            c.num = NAN;
            t->cols[j].get(r, &w, &c);
            rep_cell_csv(out, &c);
        }
        fputc('\n', out);
    }
    return ferror(out) ? CKP_EIO : CKP_OK;
}

/* ---- countries ---- */

const char *rep_country_name(const ckp_plan *plan, int k)
{
    if (k < 0 || k >= plan->n_countries) return NULL;
    const ckp_country *c = &plan->countries[k];
    return c->name && *c->name ? c->name : c->id;
}

int rep_country_ix(const ckp_plan *plan, const char *id)
{
    for (int k = 0; id && k < plan->n_countries; k++)
        if (strcmp(plan->countries[k].id, id) == 0) return k;
    return -1;
}
