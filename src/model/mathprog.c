/* mathprog.c: writes the data section of models/chokepoint.mod, the GNU
 * MathProg twin of the model (docs/formulation.md "MathProg twin").  The
 * plan's figures go out in the plan's units (t/yr, millions, years, t/t)
 * with the settings the model was built with (ckp_model: objective,
 * budget, penalty, tie-break, scenario selection and measure, max-share,
 * min-cost goal, forced/excluded, baseline); the .mod derives windows,
 * online years, requirements, scaling and coefficients itself.  Two plan
 * semantics are evaluated here: the demand interpolated per year
 * (ckp_plan_demand) and each producer's country (ckp_plan_producer_country).
 * Every symbol is written quoted; numbers with 17 significant digits so
 * that glpsol reads back exactly the doubles the builder used. */
#include "ckp/mathprog.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ckp/terms.h"
#include "util/alloc.h"
#include "util/atomic.h"

#define MP_SYMBOL_MAX 100 /* MathProg's longest symbol (bytes) */
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
static void sym(FILE *f, const char *s)
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
static void num(FILE *f, double v)
{
    char buf[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v) break;
    }
    fputc(' ', f);
    fputs(buf, f);
}

static void inum(FILE *f, int v) { fprintf(f, " %d", v); }

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

/* ------------------------------------------------------------------ */
/* Sections of the data                                                */

static void write_commodities(const ckp_plan *p, FILE *f)
{
    fputs("set COUNTRY :=", f);
    for (int i = 0; i < p->n_countries; i++) sym(f, p->countries[i].id);
    fputs(";\nparam risk :=", f);
    for (int i = 0; i < p->n_countries; i++) {
        sym(f, p->countries[i].id);
        num(f, p->countries[i].risk);
    }
    fputs(";\n\nset COMM :=", f);
    for (int c = 0; c < p->n_commodities; c++) sym(f, p->commodities[c].id);
    fputs(";\nparam weight :=", f);
    for (int c = 0; c < p->n_commodities; c++) {
        sym(f, p->commodities[c].id);
        num(f, p->commodities[c].weight);
    }
    fputs(";\n# final demand, t/yr, interpolated between the plan's points\nparam demand :=", f);
    for (int c = 0; c < p->n_commodities; c++)
        for (int y = p->first_year; y <= p->last_year; y++) {
            double d = ckp_plan_demand(p, c, y);
            if (!(d > 0)) continue;
            fputs("\n ", f);
            sym(f, p->commodities[c].id);
            inum(f, y);
            num(f, d);
        }
    /* made-from: (c2, c) once, ratios of repeated entries summed (the
       builder adds them one by one into the requirement) */
    fputs(";\nset MADE_FROM :=", f);
    for (int d = 0; d < p->n_commodities; d++) {
        const ckp_commodity *k = &p->commodities[d];
        for (int j = 0; j < k->n_made_from; j++) {
            int c = k->made_from[j].commodity.ix, dup = 0;
            for (int i = 0; i < j; i++) dup |= k->made_from[i].commodity.ix == c;
            if (c < 0 || dup) continue;
            fputs(" (", f);
            sym(f, k->id);
            fputc(',', f);
            sym(f, p->commodities[c].id);
            fputc(')', f);
        }
    }
    fputs(";\nparam recipe :=", f);
    for (int d = 0; d < p->n_commodities; d++) {
        const ckp_commodity *k = &p->commodities[d];
        for (int j = 0; j < k->n_made_from; j++) {
            int c = k->made_from[j].commodity.ix, dup = 0;
            double r = 0;
            for (int i = 0; i < j; i++) dup |= k->made_from[i].commodity.ix == c;
            if (c < 0 || dup) continue;
            for (int i = j; i < k->n_made_from; i++)
                if (k->made_from[i].commodity.ix == c) r += k->made_from[i].per_tonne;
            sym(f, k->id);
            sym(f, p->commodities[c].id);
            num(f, r);
        }
    }
    fputs(";\n", f);
}

/* Inputs of one producer, repeated commodities summed (as the builder's
 * merged coefficient). */
static void write_inputs(const ckp_plan *p, FILE *f, const char *id, const ckp_ratio *in,
                         int n, int pass)
{
    for (int j = 0; j < n; j++) {
        int c = in[j].commodity.ix, dup = 0;
        double r = 0;
        for (int i = 0; i < j; i++) dup |= in[i].commodity.ix == c;
        if (c < 0 || dup) continue;
        for (int i = j; i < n; i++)
            if (in[i].commodity.ix == c) r += in[i].per_tonne;
        if (pass == 0) {
            fputs(" (", f);
            sym(f, id);
            fputc(',', f);
            sym(f, p->commodities[c].id);
            fputc(')', f);
        } else {
            sym(f, id);
            sym(f, p->commodities[c].id);
            num(f, r);
        }
    }
}

static void write_producers(const ckp_plan *p, FILE *f)
{
    int nf = p->n_facilities, np = p->n_projects;
    fputs("\nset FAC :=", f);
    for (int i = 0; i < nf; i++) sym(f, p->facilities[i].id);
    fputs(";\nset PROJ :=", f);
    for (int i = 0; i < np; i++) sym(f, p->projects[i].id);
    fputs(";\nparam out :=", f);
    for (int g = 0; g < nf + np; g++) {
        sym(f, g < nf ? p->facilities[g].id : p->projects[g - nf].id);
        sym(f, p->commodities[ckp_plan_producer_output(p, g)].id);
    }
    fputs(";\n# producer country (a project without one takes its site's)\nparam cty :=", f);
    for (int g = 0; g < nf + np; g++) {
        int k = ckp_plan_producer_country(p, g);
        if (k < 0) continue;
        sym(f, g < nf ? p->facilities[g].id : p->projects[g - nf].id);
        sym(f, p->countries[k].id);
    }
    for (int pass = 0; pass < 2; pass++) {
        fputs(pass == 0 ? ";\nset INPUT :=" : ";\nparam inp :=", f);
        for (int i = 0; i < nf; i++)
            write_inputs(p, f, p->facilities[i].id, p->facilities[i].inputs,
                         p->facilities[i].n_inputs, pass);
        for (int i = 0; i < np; i++)
            write_inputs(p, f, p->projects[i].id, p->projects[i].inputs,
                         p->projects[i].n_inputs, pass);
    }
    fputs(";\nparam fcap :=", f);
    for (int i = 0; i < nf; i++) {
        sym(f, p->facilities[i].id);
        num(f, p->facilities[i].capacity);
    }
    fputs(";\nparam avail :=", f);
    for (int i = 0; i < nf; i++) {
        sym(f, p->facilities[i].id);
        num(f, p->facilities[i].available);
    }
    fputs(";\n", f);
}

static void write_projects(const ckp_plan *p, FILE *f)
{
    int np = p->n_projects;
    const ckp_project *pr = p->projects;
    fputs("\nparam pcap :=", f);
    for (int i = 0; i < np; i++) { sym(f, pr[i].id); num(f, pr[i].capacity); }
    fputs(";\nparam pending :=", f);
    for (int i = 0; i < np; i++)
        if (pr[i].permit == CKP_PERMIT_PENDING) { sym(f, pr[i].id); inum(f, 1); }
    fputs(";\nparam permit_years :=", f);
    for (int i = 0; i < np; i++) { sym(f, pr[i].id); inum(f, pr[i].permit_years); }
    fputs(";\nparam build_years :=", f);
    for (int i = 0; i < np; i++) { sym(f, pr[i].id); inum(f, pr[i].build_years); }
    fputs(";\nparam earliest :=", f);
    for (int i = 0; i < np; i++)
        if (pr[i].earliest_start) { sym(f, pr[i].id); inum(f, pr[i].earliest_start); }
    fputs(";\nparam latest :=", f);
    for (int i = 0; i < np; i++)
        if (pr[i].latest_start) { sym(f, pr[i].id); inum(f, pr[i].latest_start); }
    fputs(";\nparam nramp :=", f);
    for (int i = 0; i < np; i++)
        if (pr[i].n_ramp) { sym(f, pr[i].id); inum(f, pr[i].n_ramp); }
    fputs(";\nparam ramp :=", f);
    for (int i = 0; i < np; i++)
        for (int k = 0; k < pr[i].n_ramp; k++) {
            sym(f, pr[i].id);
            inum(f, k);
            num(f, pr[i].ramp[k]);
        }
    fputs(";\n", f);
    for (int i = 0; i < np; i++) {
        fputs("set OPT[", f);
        sym(f, pr[i].id);
        fputs("] :=", f);
        for (int o = 0; o < pr[i].n_options; o++) sym(f, pr[i].options[o].id);
        fputs(";\n", f);
    }
    fputs("param commit :=", f);
    for (int i = 0; i < np; i++)
        for (int o = 0; o < pr[i].n_options; o++) {
            fputs("\n ", f);
            sym(f, pr[i].id);
            sym(f, pr[i].options[o].id);
            num(f, pr[i].options[o].commitment);
        }
    fputs(";\nparam instrument :=", f);
    for (int i = 0; i < np; i++)
        for (int o = 0; o < pr[i].n_options; o++) {
            sym(f, pr[i].id);
            sym(f, pr[i].options[o].id);
            sym(f, ckp_instrument_str(pr[i].options[o].instrument));
        }
    fputs(";\nparam nsched :=", f);
    for (int i = 0; i < np; i++)
        for (int o = 0; o < pr[i].n_options; o++)
            if (pr[i].options[o].n_schedule) {
                sym(f, pr[i].id);
                sym(f, pr[i].options[o].id);
                inum(f, pr[i].options[o].n_schedule);
            }
    fputs(";\nparam sched :=", f);
    for (int i = 0; i < np; i++)
        for (int o = 0; o < pr[i].n_options; o++)
            for (int k = 0; k < pr[i].options[o].n_schedule; k++) {
                sym(f, pr[i].id);
                sym(f, pr[i].options[o].id);
                inum(f, k);
                num(f, pr[i].options[o].schedule[k]);
            }
    fputs(";\nset BREAKEVEN :=", f);
    for (int i = 0; i < np; i++)
        if (!isnan(pr[i].breakeven)) sym(f, pr[i].id);
    fputs(";\nparam breakeven :=", f);
    for (int i = 0; i < np; i++)
        if (!isnan(pr[i].breakeven)) { sym(f, pr[i].id); num(f, pr[i].breakeven); }
    fputs(";\nparam breakeven_of :=", f);
    for (int i = 0; i < np; i++) {
        if (isnan(pr[i].breakeven)) continue;
        int c = pr[i].breakeven_of.id ? pr[i].breakeven_of.ix : pr[i].output.ix;
        sym(f, pr[i].id);
        sym(f, p->commodities[c].id);
    }
    /* additionality (docs/formulation.md 7h) */
    fputs(";\nset COMMITTED :=", f);
    for (int i = 0; i < np; i++)
        if (pr[i].committed) sym(f, pr[i].id);
    fputs(";\nparam buyout :=", f);
    for (int i = 0; i < np; i++)
        for (int o = 0; o < pr[i].n_options; o++)
            if (pr[i].options[o].buys_out) {
                sym(f, pr[i].id);
                sym(f, pr[i].options[o].id);
                inum(f, 1);
            }
    fputs(";\n# share of output contracted outside the bloc (risk > 0 buyers)\n"
          "param outshare :=", f);
    for (int g = 0; g < p->n_facilities + np; g++)
        for (int y = p->first_year; y <= p->last_year; y++) {
            double a = ckp_plan_contracted_out(p, g, y);
            if (!(a > 0)) continue;
            sym(f, g < p->n_facilities ? p->facilities[g].id : pr[g - p->n_facilities].id);
            inum(f, y);
            num(f, a);
        }
    fputs(";\n", f);
}

/* Commodity-specific feeds (docs/formulation.md 7i): the producers whose
 * output needs a process, and each producer's processes (a name repeated
 * in one list written once: ckp_plan_producer_takes finds the first). */
static int is_space(char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; }

static void write_feeds(const ckp_plan *p, FILE *f)
{
    int n = p->n_facilities + p->n_projects, nf = p->n_facilities;
    fputs("\n# commodity-specific feeds (7i)\nparam needs_process :=", f);
    for (int g = 0; g < n; g++) {
        const char *t = ckp_plan_producer_feed(p, g);
        if (!t) continue;
        sym(f, g < nf ? p->facilities[g].id : p->projects[g - nf].id);
        sym(f, t);
    }
    fputs(";\nset RUNS :=", f);
    char tok[MP_SYMBOL_MAX + 1];
    for (int g = 0; g < n; g++) {
        const char *all = g < nf ? p->facilities[g].processes : p->projects[g - nf].processes;
        const char *id = g < nf ? p->facilities[g].id : p->projects[g - nf].id;
        for (const char *s = all; s && *s;) {
            while (is_space(*s)) s++;
            size_t k = 0;
            while (s[k] && !is_space(s[k])) k++;
            int dup = 0;
            for (const char *e = all; e < s && !dup;) { /* an earlier equal token */
                while (is_space(*e)) e++;
                size_t ke = 0;
                while (e[ke] && !is_space(e[ke])) ke++;
                dup = e < s && ke == k && memcmp(e, s, k) == 0;
                e += ke;
            }
            if (k > 0 && k <= MP_SYMBOL_MAX && !dup) {
                memcpy(tok, s, k);
                tok[k] = '\0';
                fputs(" (", f);
                sym(f, id);
                fputc(',', f);
                sym(f, tok);
                fputc(')', f);
            }
            s += k;
        }
    }
    fputs(";\n", f);
}

static void write_infra(const ckp_plan *p, FILE *f)
{
    fputs("\nset SITE :=", f);
    for (int i = 0; i < p->n_sites; i++) sym(f, p->sites[i].id);
    fputs(";\nset RES :=", f);
    for (int i = 0; i < p->n_resources; i++) sym(f, p->resources[i].id);
    fputs(";\nparam exist :=", f);
    for (int i = 0; i < p->n_sites; i++)
        for (int r = 0; r < p->n_resources; r++) {
            double a = 0;
            int any = 0;
            for (int k = 0; k < p->sites[i].n_capacity; k++)
                if (p->sites[i].capacity[k].resource.ix == r) {
                    a += p->sites[i].capacity[k].amount;
                    any = 1;
                }
            if (!any) continue;
            sym(f, p->sites[i].id);
            sym(f, p->resources[r].id);
            num(f, a);
        }
    fputs(";\nparam site :=", f);
    for (int i = 0; i < p->n_projects; i++)
        if (p->projects[i].site.ix >= 0) {
            sym(f, p->projects[i].id);
            sym(f, p->sites[p->projects[i].site.ix].id);
        }
    for (int pass = 0; pass < 2; pass++) {
        fputs(pass == 0 ? ";\nset NEED :=" : ";\nparam need :=", f);
        for (int i = 0; i < p->n_projects; i++) {
            const ckp_project *pr = &p->projects[i];
            for (int j = 0; j < pr->n_needs; j++) {
                int r = pr->needs[j].resource.ix, dup = 0;
                double a = 0;
                for (int k = 0; k < j; k++) dup |= pr->needs[k].resource.ix == r;
                if (r < 0 || dup) continue;
                for (int k = j; k < pr->n_needs; k++)
                    if (pr->needs[k].resource.ix == r) a += pr->needs[k].amount;
                if (pass == 0) fputs(" (", f);
                sym(f, pr->id);
                if (pass == 0) fputc(',', f);
                sym(f, p->resources[r].id);
                if (pass == 0) fputc(')', f);
                else num(f, a);
            }
        }
    }
    const ckp_upgrade *u = p->upgrades;
    int nu = p->n_upgrades;
    fputs(";\nset UPG :=", f);
    for (int i = 0; i < nu; i++) sym(f, u[i].id);
    fputs(";\nparam :", f);
    fputs(" usite ures uamount ucost ubuild :=", f);
    for (int i = 0; i < nu; i++) {
        fputs("\n ", f);
        sym(f, u[i].id);
        sym(f, p->sites[u[i].site.ix].id);
        sym(f, p->resources[u[i].resource.ix].id);
        num(f, u[i].amount);
        num(f, u[i].cost);
        inum(f, u[i].build_years);
    }
    fputs(";\nparam uearliest :=", f);
    for (int i = 0; i < nu; i++)
        if (u[i].earliest_start) { sym(f, u[i].id); inum(f, u[i].earliest_start); }
    fputs(";\nparam ulatest :=", f);
    for (int i = 0; i < nu; i++)
        if (u[i].latest_start) { sym(f, u[i].id); inum(f, u[i].latest_start); }
    fputs(";\nparam unsched :=", f);
    for (int i = 0; i < nu; i++)
        if (u[i].n_schedule) { sym(f, u[i].id); inum(f, u[i].n_schedule); }
    fputs(";\nparam usched :=", f);
    for (int i = 0; i < nu; i++)
        for (int k = 0; k < u[i].n_schedule; k++) {
            sym(f, u[i].id);
            inum(f, k);
            num(f, u[i].schedule[k]);
        }
    fputs(";\n", f);
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
                inum(f, k);
                inum(f, y);
                if (pass == 1) num(f, lim);
            }
    }
    fputs(";\nset CAPT :=", f);
    for (int pass = 0; pass < 2; pass++) {
        if (pass == 1) fputs(";\nparam captot :=", f);
        for (int k = 0; k < CKP_FIN_MEASURES; k++) {
            if (!isfinite(total[k])) continue;
            inum(f, k);
            if (pass == 1) num(f, total[k]);
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
                sym(f, pr->id);
                sym(f, pr->options[s->option].id);
                inum(f, s->start);
                inum(f, k);
                inum(f, p->first_year + y);
                num(f, v);
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
            sym(f, pr->id);
            sym(f, pr->options[s->option].id);
            inum(f, s->start);
            inum(f, k);
            num(f, v);
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
        num(f, m->budget_total);
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
            inum(f, y);
            if (pass == 1) num(f, lim);
        }
    }
    fputs(";\n\n", f);
    write_fin(m, f);
    int min_cost = pp->min_cost && !pp->no_projects;
    fprintf(f, "param minmax := %d;\n", m->objective == CKP_OBJ_MINMAX ? 1 : 0);
    fputs("param penalty :=", f);
    num(f, m->shortage_penalty);
    fputs(";\nparam tie_break :=", f);
    num(f, pp->tie_break);
    fputs(";\n", f);
    if (!isnan(m->max_share)) {
        fputs("param max_share :=", f);
        num(f, m->max_share);
        fputs(";\n", f);
    }
    fprintf(f, "param min_cost := %d;\n", min_cost);
    if (min_cost) {
        fputs("param target :=", f);
        num(f, pp->target);
        fputs(";\nparam target_base :=", f);
        num(f, pp->target_base);
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
            sym(f, p->projects[i].id);
        }
    }
    fputs(";\n", f);
    ckp_free(mark);
    return CKP_OK;
}

static void write_stockpiles(const ckp_plan *p, FILE *f)
{
    fputs("\nset STOCK :=", f);
    for (int k = 0; k < p->n_stockpiles; k++)
        if (p->stockpiles[k].commodity.ix >= 0) sym(f, p->stockpiles[k].id);
    fputs(";\nparam : st_comm st_tonnes st_release st_cost st_year :=", f);
    for (int k = 0; k < p->n_stockpiles; k++) {
        const ckp_stockpile *s = &p->stockpiles[k];
        if (s->commodity.ix < 0) continue;
        fputs("\n ", f);
        sym(f, s->id);
        sym(f, p->commodities[s->commodity.ix].id);
        num(f, s->tonnes);
        num(f, s->release);
        num(f, s->cost);
        inum(f, s->year);
    }
    fputs(";\n", f);
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
    for (int s = 0; s < m->n_scen; s++) sym(f, scen_id(m, s));
    fputs(";\nparam prob :=", f);
    for (int s = 0; s < m->n_scen; s++) {
        sym(f, scen_id(m, s));
        num(f, m->scen_prob[s]);
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
            sym(f, scen_id(m, s));
            fputs("] :=", f);
            for (int i = 0; sp >= 0 && i < p->scenarios[sp].n_changes; i++)
                if (p->scenarios[sp].changes[i].kind == kind) inum(f, ++n);
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
                sym(f, scen_id(m, s));
                inum(f, ++n);
                if (kind == CKP_CHANGE_EXPORT)
                    sym(f, p->countries[ch->country.ix].id);
                else
                    sym(f, ch->commodity.id ? p->commodities[ch->commodity.ix].id : "*");
                inum(f, ch->from);
                inum(f, ch->to);
                num(f, ch->value);
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
                sym(f, scen_id(m, s));
                inum(f, n);
                sym(f, p->commodities[ch->commodity.ix].id);
            }
        }
        fputs(";\n", f);
    }
}

static void write_pairs(const ckp_plan *p, FILE *f)
{
    for (int excl = 0; excl < 2; excl++) {
        fputs(excl ? "set EXCL :=" : "\nset REQ :=", f);
        for (int i = 0; i < p->n_projects; i++) {
            const ckp_project *pr = &p->projects[i];
            const ckp_ref *refs = excl ? pr->excludes : pr->requires;
            int n = excl ? pr->n_excludes : pr->n_requires;
            for (int k = 0; k < n; k++) {
                int q = refs[k].ix, dup = 0;
                for (int j = 0; j < k; j++) dup |= refs[j].ix == q;
                if (q < 0 || dup) continue;
                fputs(" (", f);
                sym(f, pr->id);
                fputc(',', f);
                sym(f, p->projects[q].id);
                fputc(')', f);
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
    num(f, m->qty_scale);
    fputs(";\nparam money_scale :=", f);
    num(f, m->money_scale);
    fputs(";\n\n", f);
    write_commodities(p, f);
    write_producers(p, f);
    write_projects(p, f);
    write_feeds(p, f);
    write_infra(p, f);
    CKP_TRY(write_settings(m, f));
    write_stockpiles(p, f);
    write_scenarios(m, f);
    write_pairs(p, f);
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
