/* mathprog.c: writes the data section of models/chokepoint.mod, the GNU
 * MathProg twin of the model (docs/formulation.md "MathProg twin"): the
 * entry points, the quoted symbols and exact numbers every section uses,
 * the check that every id can be a symbol, and the sections that belong
 * to the model rather than the plan: the scales, the settings the model
 * was built with (ckp_model: objective, budget and per-year limits,
 * financing measures and caps, penalty, tie-break, max-share, min-cost
 * goal, forced/excluded, baseline) and the scenarios in the model.  The
 * plan's own sections are mathprog_plan.c's.  The plan's figures go out
 * in the plan's units (t/yr, millions, years, t/t); the .mod derives
 * windows, online years, requirements, scaling and coefficients itself.
 * Every symbol is written quoted; numbers with 17 significant digits so
 * that glpsol reads back exactly the doubles the builder used. */
#include "model/mathprog_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ckp/terms.h"
#include "util/alloc.h"
#include "util/atomic.h"

#define MP_IMPLICIT_SCENARIO "plan"

/* ------------------------------------------------------------------ */
/* Symbols and numbers                                                 */

static int symbol_ok(const char *s)
{
    size_t n = 0;
    if (!s) return 0;
    for (; s[n]; n++) {
        unsigned char ch = (unsigned char)s[n];
        if (ch < 0x20 || ch == 0x7f) return 0;
    }
    return n <= MP_SYMBOL_MAX;
}

/* A quoted MathProg symbol; a quote inside is doubled. */
void mp_sym(FILE *f, const char *s)
{
    fputc(' ', f);
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'') fputc('\'', f);
        fputc(*s, f);
    }
    fputc('\'', f);
}

/* The shortest of %.15g, %.16g, %.17g that reads back as the same double. */
void mp_num(FILE *f, double v)
{
    char buf[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) break;
    }
    fputc(' ', f);
    fputs(buf, f);
}

void mp_inum(FILE *f, int v) { fprintf(f, " %d", v); }

/* Every id that will be written must be a valid symbol. */
static ckp_status check_id(const ckp_plan *plan, const char *kind, const char *id,
                           int line, ckp_diag_list *diag)
{
    if (symbol_ok(id)) return CKP_OK;
    if (diag)
        CKP_TRY(ckp_diag_add(diag, CKP_SEV_ERROR, plan->path, line, "mathprog-symbol",
                             "%s id '%.40s%s' cannot be a MathProg symbol (at most %d "
                             "bytes, no control characters)",
                             kind, id ? id : "", id && strlen(id) > 40 ? "..." : "",
                             MP_SYMBOL_MAX));
    return CKP_EINVALID;
}

static ckp_status check_ids(const ckp_model *m, ckp_diag_list *diag)
{
    const ckp_plan *p = m->plan;
    ckp_status rc = CKP_OK, st;
#define CHK(kind, rec)                                                       \
    do {                                                                     \
        st = check_id(p, kind, (rec).id, (rec).line, diag);                  \
        if (st == CKP_ENOMEM) return st;                                     \
        if (st != CKP_OK) rc = st;                                           \
    } while (0)
    for (int i = 0; i < p->n_countries; i++) CHK("country", p->countries[i]);
    for (int i = 0; i < p->n_commodities; i++) CHK("commodity", p->commodities[i]);
    for (int i = 0; i < p->n_facilities; i++) CHK("facility", p->facilities[i]);
    for (int i = 0; i < p->n_resources; i++) CHK("resource", p->resources[i]);
    for (int i = 0; i < p->n_sites; i++) CHK("site", p->sites[i]);
    for (int i = 0; i < p->n_projects; i++) {
        CHK("project", p->projects[i]);
        for (int o = 0; o < p->projects[i].n_options; o++)
            CHK("option", p->projects[i].options[o]);
    }
    for (int i = 0; i < p->n_upgrades; i++) CHK("upgrade", p->upgrades[i]);
    for (int i = 0; i < p->n_stockpiles; i++) CHK("stockpile", p->stockpiles[i]);
    for (int s = 0; s < m->n_scen; s++)
        if (m->scen_plan[s] >= 0) CHK("scenario", p->scenarios[m->scen_plan[s]]);
#undef CHK
    return rc;
}

/* Budget, objective settings and the what-if overrides, as the model
 * resolved them. */
/* What the budget limits and its <cap> rows (docs/finance.md): the
 * measure, the caps in force (per measure the smallest total and each
 * year's smallest limit, as the builder's fin_cap rows), and for every
 * option start the yearly figures of the measures used (nonzero only). */
static void write_fin(const ckp_model *m, FILE *f)
{
    const ckp_plan *p = m->plan;
    int used[CKP_FIN_MEASURES] = {0};
    double total[CKP_FIN_MEASURES];
    int Y = p->last_year - p->first_year + 1;
    used[p->budget.measure] = p->budget.measure != CKP_FIN_COMMITMENT;
    for (int k = 0; k < CKP_FIN_MEASURES; k++) total[k] = INFINITY;
    for (int i = 0; i < p->budget.n_caps; i++) {
        const ckp_fin_cap *c = &p->budget.caps[i];
        used[c->measure] = 1;
        if (c->total < total[c->measure]) total[c->measure] = c->total;
    }
    fprintf(f, "param bmeasure := %d;\nset CAPY :=", (int)p->budget.measure);
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) fputs(";\nparam caplim :=", f);
        for (int k = 0; k < CKP_FIN_MEASURES; k++)
            for (int y = p->first_year; y <= p->last_year; y++) {
                double lim = INFINITY;
                for (int i = 0; i < p->budget.n_caps; i++) {
                    const ckp_fin_cap *c = &p->budget.caps[i];
                    if ((int)c->measure != k) continue;
                    for (int j = 0; j < c->n_limits; j++)
                        if (c->limits[j].year == y && c->limits[j].value < lim)
                            lim = c->limits[j].value;
                }
                if (lim == INFINITY) continue;
                mp_inum(f, k);
                mp_inum(f, y);
                if (pass == 1) mp_num(f, lim);
            }
    }
    fputs(";\nset CAPT :=", f);
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) fputs(";\nparam captot :=", f);
        for (int k = 0; k < CKP_FIN_MEASURES; k++) {
            if (!isfinite(total[k])) continue;
            mp_inum(f, k);
            if (pass == 1) mp_num(f, total[k]);
        }
    }
    fputs(";\nparam fig :=", f);
    for (int i = 0; i < m->n_starts; i++) {
        const ckp_start_var *s = &m->starts[i];
        const ckp_project *pr = &p->projects[s->project];
        for (int k = 0; k < CKP_FIN_MEASURES; k++) {
            if (!used[k]) continue;
            for (int y = 0; y < Y; y++) {
                double v = ckp_option_figure(p, s->project, s->option, s->start,
                                             (ckp_fin_measure)k, p->first_year + y);
                if (v == 0.0) continue;
                fputs("\n ", f);
                mp_sym(f, pr->id);
                mp_sym(f, pr->options[s->option].id);
                mp_inum(f, s->start);
                mp_inum(f, k);
                mp_inum(f, p->first_year + y);
                mp_num(f, v);
            }
        }
    }
    fputs(";\nparam figtot :=", f);
    for (int i = 0; i < m->n_starts; i++) {
        const ckp_start_var *s = &m->starts[i];
        const ckp_project *pr = &p->projects[s->project];
        for (int k = 0; k < CKP_FIN_MEASURES; k++) {
            if (!used[k]) continue;
            double v = ckp_option_figure_total(p, s->project, s->option, s->start,
                                               (ckp_fin_measure)k);
            if (v == 0.0) continue;
            fputs("\n ", f);
            mp_sym(f, pr->id);
            mp_sym(f, pr->options[s->option].id);
            mp_inum(f, s->start);
            mp_inum(f, k);
            mp_num(f, v);
        }
    }
    fputs(";\n\n", f);
}

static ckp_status write_settings(const ckp_model *m, FILE *f)
{
    const ckp_plan *p = m->plan;
    const ckp_model_params *pp = &m->params;
    int np = p->n_projects;
    fprintf(f, "\nparam has_total := %d;\n", isfinite(m->budget_total) ? 1 : 0);
    if (isfinite(m->budget_total)) {
        fputs("param total_limit :=", f);
        mp_num(f, m->budget_total);
        fputs(";\n", f);
    }
    /* per-year limits in force: the model's budget[y] rows (the plan's
       smallest <limit> of a year, after --scale-year-limits and
       --year-limit, docs/formulation.md 6 "Per-year limits") */
    fputs("set LIMIT_YEARS :=", f);
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) fputs(";\nparam limit :=", f);
        for (int y = p->first_year; y <= p->last_year; y++) {
            int row = m->budget_year_row[y - p->first_year];
            if (row < 0) continue;
            double lim = m->mip.row_ub[row] * m->money_scale;
            mp_inum(f, y);
            if (pass == 1) mp_num(f, lim);
        }
    }
    fputs(";\n\n", f);
    write_fin(m, f);
    int min_cost = pp->min_cost && !pp->no_projects;
    fprintf(f, "param minmax := %d;\n", m->objective == CKP_OBJ_MINMAX ? 1 : 0);
    fputs("param penalty :=", f);
    mp_num(f, m->shortage_penalty);
    fputs(";\nparam tie_break :=", f);
    mp_num(f, pp->tie_break);
    fputs(";\n", f);
    if (!isnan(m->max_share)) {
        fputs("param max_share :=", f);
        mp_num(f, m->max_share);
        fputs(";\n", f);
    }
    fprintf(f, "param min_cost := %d;\n", min_cost);
    if (min_cost) {
        fputs("param target :=", f);
        mp_num(f, pp->target);
        fputs(";\nparam target_base :=", f);
        mp_num(f, pp->target_base);
        fputs(";\n", f);
    }
    fprintf(f, "param worst_case := %d;\n", m->measure == CKP_MEASURE_WORST ? 1 : 0);
    fprintf(f, "param no_projects := %d;\n", pp->no_projects ? 1 : 0);

    /* forced and excluded: each project once (the baseline forces none) */
    unsigned char *mark = ckp_calloc((size_t)np + 1, 1);
    if (!mark) return CKP_ENOMEM;
    for (int pass = 0; pass < 2; pass++) {
        const char *const *ids = pass == 0 ? pp->force : pp->exclude;
        int n = pass == 0 ? pp->n_force : pp->n_exclude;
        fputs(pass == 0 ? "set FORCED :=" : ";\nset EXCLUDED :=", f);
        memset(mark, 0, (size_t)np);
        for (int k = 0; k < n && !(pass == 0 && pp->no_projects); k++) {
            int i = ids[k] ? ckp_plan_find_project(p, ids[k]) : -1;
            if (i < 0 || mark[i]) continue;
            mark[i] = 1;
            mp_sym(f, p->projects[i].id);
        }
    }
    fputs(";\n", f);
    ckp_free(mark);
    return CKP_OK;
}

static const char *scen_id(const ckp_model *m, int s)
{
    return m->scen_plan[s] >= 0 ? m->plan->scenarios[m->scen_plan[s]].id
                                : MP_IMPLICIT_SCENARIO;
}

/* The scenarios in the model (all of the plan's, the one --scenario
 * selected with probability 1, or one implicit scenario) and their
 * entries, numbered 1.. per kind within each scenario. */
static void write_scenarios(const ckp_model *m, FILE *f)
{
    const ckp_plan *p = m->plan;
    fputs("\nset SCEN :=", f);
    for (int s = 0; s < m->n_scen; s++) mp_sym(f, scen_id(m, s));
    fputs(";\nparam prob :=", f);
    for (int s = 0; s < m->n_scen; s++) {
        mp_sym(f, scen_id(m, s));
        mp_num(f, m->scen_prob[s]);
    }
    fputs(";\n", f);
    static const char *const set_name[] = {"XR", "PR", "DS"};
    static const char *const prefix[] = {"xr", "pr", "ds"};
    static const ckp_change_kind kinds[] = {CKP_CHANGE_EXPORT, CKP_CHANGE_PRICE,
                                            CKP_CHANGE_DEMAND};
    for (int kk = 0; kk < 3; kk++) {
        ckp_change_kind kind = kinds[kk];
        for (int s = 0; s < m->n_scen; s++) {
            int sp = m->scen_plan[s], n = 0;
            fprintf(f, "set %s[", set_name[kk]);
            mp_sym(f, scen_id(m, s));
            fputs("] :=", f);
            for (int i = 0; sp >= 0 && i < p->scenarios[sp].n_changes; i++)
                if (p->scenarios[sp].changes[i].kind == kind) mp_inum(f, ++n);
            fputs(";\n", f);
        }
        fprintf(f, "param : %s_%s %s_from %s_to %s_%s :=", prefix[kk],
                kind == CKP_CHANGE_EXPORT ? "country" : "comm", prefix[kk], prefix[kk],
                prefix[kk], kind == CKP_CHANGE_PRICE ? "price" : "scale");
        for (int s = 0; s < m->n_scen; s++) {
            int sp = m->scen_plan[s], n = 0;
            for (int i = 0; sp >= 0 && i < p->scenarios[sp].n_changes; i++) {
                const ckp_change *ch = &p->scenarios[sp].changes[i];
                if (ch->kind != kind) continue;
                fputs("\n ", f);
                mp_sym(f, scen_id(m, s));
                mp_inum(f, ++n);
                if (kind == CKP_CHANGE_EXPORT)
                    mp_sym(f, p->countries[ch->country.ix].id);
                else
                    mp_sym(f, ch->commodity.id ? p->commodities[ch->commodity.ix].id : "*");
                mp_inum(f, ch->from);
                mp_inum(f, ch->to);
                mp_num(f, ch->value);
            }
        }
        fputs(";\n", f);
        if (kind != CKP_CHANGE_EXPORT) continue;
        /* the commodity an export restriction is limited to ('*' = all) */
        fputs("param xr_comm :=", f);
        for (int s = 0; s < m->n_scen; s++) {
            int sp = m->scen_plan[s], n = 0;
            for (int i = 0; sp >= 0 && i < p->scenarios[sp].n_changes; i++) {
                const ckp_change *ch = &p->scenarios[sp].changes[i];
                if (ch->kind != kind) continue;
                n++;
                if (!ch->commodity.id) continue;
                mp_sym(f, scen_id(m, s));
                mp_inum(f, n);
                mp_sym(f, p->commodities[ch->commodity.ix].id);
            }
        }
        fputs(";\n", f);
    }
}

ckp_status ckp_mathprog_write_data(const ckp_model *m, FILE *f, ckp_diag_list *diag)
{
    if (!m || !m->plan || !f) return CKP_EINTERNAL;
    const ckp_plan *p = m->plan;
    CKP_TRY(check_ids(m, diag));
    fputs("/* Data section of models/chokepoint.mod (ckp_mathprog_write_data): the\n"
          "   plan and the model settings.  Solve with:\n"
          "     glpsol --math models/chokepoint.mod --data THIS_FILE */\n"
          "data;\n\n", f);
    fprintf(f, "param first_year := %d;\nparam last_year := %d;\n", p->first_year,
            p->last_year);
    fputs("param qty_scale :=", f);
    mp_num(f, m->qty_scale);
    fputs(";\nparam money_scale :=", f);
    mp_num(f, m->money_scale);
    fputs(";\n\n", f);
    mp_write_commodities(p, f);
    mp_write_producers(p, f);
    mp_write_projects(p, f);
    mp_write_feeds(p, f);
    mp_write_infra(p, f);
    CKP_TRY(write_settings(m, f));
    mp_write_stockpiles(p, f);
    write_scenarios(m, f);
    mp_write_pairs(p, f);
    fputs("\nend;\n", f);
    return CKP_OK;
}

ckp_status ckp_mathprog_save_data(const ckp_model *m, const char *path,
                                  ckp_diag_list *diag)
{
    struct stat sb;
    ckp_status st;
    if (!path || !*path) return CKP_EUSAGE;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        FILE *f = fopen(path, "w");
        if (!f) {
            ckp_diag_add(diag, CKP_SEV_ERROR, path, 0, "output-error",
                         "cannot open for writing");
            return CKP_EIO;
        }
        st = ckp_mathprog_write_data(m, f, diag);
        int bad = ferror(f);
        if (fclose(f) != 0 || bad) {
            if (st == CKP_OK)
                ckp_diag_add(diag, CKP_SEV_ERROR, path, 0, "output-error", "write failed");
            if (st == CKP_OK) st = CKP_EIO;
        }
        return st;
    }
    ckp_atomic_file af;
    st = ckp_atomic_open(&af, path, diag);
    if (st != CKP_OK) return st;
    st = ckp_mathprog_write_data(m, af.f, diag);
    if (st == CKP_OK) st = ckp_atomic_close(&af, diag);
    if (st == CKP_OK) st = ckp_atomic_commit(&af, diag);
    ckp_atomic_discard(&af);
    return st;
}
