/* mathprog_plan.c: the plan's own sections of the MathProg twin's data
 * (models/chokepoint.mod): countries and commodities with demand and
 * recipes, producers with their inputs, projects with their options,
 * schedules, break-evens and additionality, commodity-specific feeds,
 * sites, resources and upgrades, stockpiles, and the requires/excludes
 * pairs.  Each section is written as the plan states it, repeated
 * entries merged as the builder merges them; the settings, financing
 * measures and scenarios are mathprog.c's.  Two plan semantics are
 * evaluated here: the demand interpolated per year (ckp_plan_demand) and
 * each producer's country (ckp_plan_producer_country). */
#include "model/mathprog_int.h"

#include <math.h>
#include <string.h>

void mp_write_commodities(const ckp_plan *p, FILE *f)
{
    fputs("set COUNTRY :=", f);
    for (int i = 0; i < p->n_countries; i++) mp_sym(f, p->countries[i].id);
    fputs(";\nparam risk :=", f);
    for (int i = 0; i < p->n_countries; i++) {
        mp_sym(f, p->countries[i].id);
        mp_num(f, p->countries[i].risk);
    }
    fputs(";\n\nset COMM :=", f);
    for (int c = 0; c < p->n_commodities; c++) mp_sym(f, p->commodities[c].id);
    fputs(";\nparam weight :=", f);
    for (int c = 0; c < p->n_commodities; c++) {
        mp_sym(f, p->commodities[c].id);
        mp_num(f, p->commodities[c].weight);
    }
    fputs(";\n# final demand, t/yr, interpolated between the plan's points\nparam demand :=", f);
    for (int c = 0; c < p->n_commodities; c++)
        for (int y = p->first_year; y <= p->last_year; y++) {
            double d = ckp_plan_demand(p, c, y);
            if (!(d > 0)) continue;
            fputs("\n ", f);
            mp_sym(f, p->commodities[c].id);
            mp_inum(f, y);
            mp_num(f, d);
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
            mp_sym(f, k->id);
            fputc(',', f);
            mp_sym(f, p->commodities[c].id);
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
            mp_sym(f, k->id);
            mp_sym(f, p->commodities[c].id);
            mp_num(f, r);
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
            mp_sym(f, id);
            fputc(',', f);
            mp_sym(f, p->commodities[c].id);
            fputc(')', f);
        } else {
            mp_sym(f, id);
            mp_sym(f, p->commodities[c].id);
            mp_num(f, r);
        }
    }
}

void mp_write_producers(const ckp_plan *p, FILE *f)
{
    int nf = p->n_facilities, np = p->n_projects;
    fputs("\nset FAC :=", f);
    for (int i = 0; i < nf; i++) mp_sym(f, p->facilities[i].id);
    fputs(";\nset PROJ :=", f);
    for (int i = 0; i < np; i++) mp_sym(f, p->projects[i].id);
    fputs(";\nparam out :=", f);
    for (int g = 0; g < nf + np; g++) {
        mp_sym(f, g < nf ? p->facilities[g].id : p->projects[g - nf].id);
        mp_sym(f, p->commodities[ckp_plan_producer_output(p, g)].id);
    }
    fputs(";\n# producer country (a project without one takes its site's)\nparam cty :=", f);
    for (int g = 0; g < nf + np; g++) {
        int k = ckp_plan_producer_country(p, g);
        if (k < 0) continue;
        mp_sym(f, g < nf ? p->facilities[g].id : p->projects[g - nf].id);
        mp_sym(f, p->countries[k].id);
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
        mp_sym(f, p->facilities[i].id);
        mp_num(f, p->facilities[i].capacity);
    }
    fputs(";\nparam avail :=", f);
    for (int i = 0; i < nf; i++) {
        mp_sym(f, p->facilities[i].id);
        mp_num(f, p->facilities[i].available);
    }
    fputs(";\n", f);
}

void mp_write_projects(const ckp_plan *p, FILE *f)
{
    int np = p->n_projects;
    const ckp_project *pr = p->projects;
    fputs("\nparam pcap :=", f);
    for (int i = 0; i < np; i++) { mp_sym(f, pr[i].id); mp_num(f, pr[i].capacity); }
    fputs(";\nparam pending :=", f);
    for (int i = 0; i < np; i++)
        if (pr[i].permit == CKP_PERMIT_PENDING) { mp_sym(f, pr[i].id); mp_inum(f, 1); }
    fputs(";\nparam permit_years :=", f);
    for (int i = 0; i < np; i++) { mp_sym(f, pr[i].id); mp_inum(f, pr[i].permit_years); }
    fputs(";\nparam build_years :=", f);
    for (int i = 0; i < np; i++) { mp_sym(f, pr[i].id); mp_inum(f, pr[i].build_years); }
    fputs(";\nparam earliest :=", f);
    for (int i = 0; i < np; i++)
        if (pr[i].earliest_start) { mp_sym(f, pr[i].id); mp_inum(f, pr[i].earliest_start); }
    fputs(";\nparam latest :=", f);
    for (int i = 0; i < np; i++)
        if (pr[i].latest_start) { mp_sym(f, pr[i].id); mp_inum(f, pr[i].latest_start); }
    fputs(";\nparam nramp :=", f);
    for (int i = 0; i < np; i++)
        if (pr[i].n_ramp) { mp_sym(f, pr[i].id); mp_inum(f, pr[i].n_ramp); }
    fputs(";\nparam ramp :=", f);
    for (int i = 0; i < np; i++)
        for (int k = 0; k < pr[i].n_ramp; k++) {
            mp_sym(f, pr[i].id);
            mp_inum(f, k);
            mp_num(f, pr[i].ramp[k]);
        }
    fputs(";\n", f);
    for (int i = 0; i < np; i++) {
        fputs("set OPT[", f);
        mp_sym(f, pr[i].id);
        fputs("] :=", f);
        for (int o = 0; o < pr[i].n_options; o++) mp_sym(f, pr[i].options[o].id);
        fputs(";\n", f);
    }
    fputs("param commit :=", f);
    for (int i = 0; i < np; i++)
        for (int o = 0; o < pr[i].n_options; o++) {
            fputs("\n ", f);
            mp_sym(f, pr[i].id);
            mp_sym(f, pr[i].options[o].id);
            mp_num(f, pr[i].options[o].commitment);
        }
    fputs(";\nparam instrument :=", f);
    for (int i = 0; i < np; i++)
        for (int o = 0; o < pr[i].n_options; o++) {
            mp_sym(f, pr[i].id);
            mp_sym(f, pr[i].options[o].id);
            mp_sym(f, ckp_instrument_str(pr[i].options[o].instrument));
        }
    fputs(";\nparam nsched :=", f);
    for (int i = 0; i < np; i++)
        for (int o = 0; o < pr[i].n_options; o++)
            if (pr[i].options[o].n_schedule) {
                mp_sym(f, pr[i].id);
                mp_sym(f, pr[i].options[o].id);
                mp_inum(f, pr[i].options[o].n_schedule);
            }
    fputs(";\nparam sched :=", f);
    for (int i = 0; i < np; i++)
        for (int o = 0; o < pr[i].n_options; o++)
            for (int k = 0; k < pr[i].options[o].n_schedule; k++) {
                mp_sym(f, pr[i].id);
                mp_sym(f, pr[i].options[o].id);
                mp_inum(f, k);
                mp_num(f, pr[i].options[o].schedule[k]);
            }
    fputs(";\nset BREAKEVEN :=", f);
    for (int i = 0; i < np; i++)
        if (!isnan(pr[i].breakeven)) mp_sym(f, pr[i].id);
    fputs(";\nparam breakeven :=", f);
    for (int i = 0; i < np; i++)
        if (!isnan(pr[i].breakeven)) { mp_sym(f, pr[i].id); mp_num(f, pr[i].breakeven); }
    fputs(";\nparam breakeven_of :=", f);
    for (int i = 0; i < np; i++) {
        if (isnan(pr[i].breakeven)) continue;
        int c = pr[i].breakeven_of.id ? pr[i].breakeven_of.ix : pr[i].output.ix;
        mp_sym(f, pr[i].id);
        mp_sym(f, p->commodities[c].id);
    }
    /* additionality (docs/formulation.md 7h) */
    fputs(";\nset COMMITTED :=", f);
    for (int i = 0; i < np; i++)
        if (pr[i].committed) mp_sym(f, pr[i].id);
    fputs(";\nparam buyout :=", f);
    for (int i = 0; i < np; i++)
        for (int o = 0; o < pr[i].n_options; o++)
            if (pr[i].options[o].buys_out) {
                mp_sym(f, pr[i].id);
                mp_sym(f, pr[i].options[o].id);
                mp_inum(f, 1);
            }
    fputs(";\n# share of output contracted outside the bloc (risk > 0 buyers)\n"
          "param outshare :=", f);
    for (int g = 0; g < p->n_facilities + np; g++)
        for (int y = p->first_year; y <= p->last_year; y++) {
            double a = ckp_plan_contracted_out(p, g, y);
            if (!(a > 0)) continue;
            mp_sym(f, g < p->n_facilities ? p->facilities[g].id : pr[g - p->n_facilities].id);
            mp_inum(f, y);
            mp_num(f, a);
        }
    fputs(";\n", f);
}

/* Commodity-specific feeds (docs/formulation.md 7i): the producers whose
 * output needs a process, and each producer's processes (a name repeated
 * in one list written once: ckp_plan_producer_takes finds the first). */
static int is_space(char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; }

void mp_write_feeds(const ckp_plan *p, FILE *f)
{
    int n = p->n_facilities + p->n_projects, nf = p->n_facilities;
    fputs("\n# commodity-specific feeds (7i)\nparam needs_process :=", f);
    for (int g = 0; g < n; g++) {
        const char *t = ckp_plan_producer_feed(p, g);
        if (!t) continue;
        mp_sym(f, g < nf ? p->facilities[g].id : p->projects[g - nf].id);
        mp_sym(f, t);
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
                mp_sym(f, id);
                fputc(',', f);
                mp_sym(f, tok);
                fputc(')', f);
            }
            s += k;
        }
    }
    fputs(";\n", f);
}

void mp_write_infra(const ckp_plan *p, FILE *f)
{
    fputs("\nset SITE :=", f);
    for (int i = 0; i < p->n_sites; i++) mp_sym(f, p->sites[i].id);
    fputs(";\nset RES :=", f);
    for (int i = 0; i < p->n_resources; i++) mp_sym(f, p->resources[i].id);
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
            mp_sym(f, p->sites[i].id);
            mp_sym(f, p->resources[r].id);
            mp_num(f, a);
        }
    fputs(";\nparam site :=", f);
    for (int i = 0; i < p->n_projects; i++)
        if (p->projects[i].site.ix >= 0) {
            mp_sym(f, p->projects[i].id);
            mp_sym(f, p->sites[p->projects[i].site.ix].id);
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
                mp_sym(f, pr->id);
                if (pass == 0) fputc(',', f);
                mp_sym(f, p->resources[r].id);
                if (pass == 0) fputc(')', f);
                else mp_num(f, a);
            }
        }
    }
    const ckp_upgrade *u = p->upgrades;
    int nu = p->n_upgrades;
    fputs(";\nset UPG :=", f);
    for (int i = 0; i < nu; i++) mp_sym(f, u[i].id);
    fputs(";\nparam :", f);
    fputs(" usite ures uamount ucost ubuild :=", f);
    for (int i = 0; i < nu; i++) {
        fputs("\n ", f);
        mp_sym(f, u[i].id);
        mp_sym(f, p->sites[u[i].site.ix].id);
        mp_sym(f, p->resources[u[i].resource.ix].id);
        mp_num(f, u[i].amount);
        mp_num(f, u[i].cost);
        mp_inum(f, u[i].build_years);
    }
    fputs(";\nparam uearliest :=", f);
    for (int i = 0; i < nu; i++)
        if (u[i].earliest_start) { mp_sym(f, u[i].id); mp_inum(f, u[i].earliest_start); }
    fputs(";\nparam ulatest :=", f);
    for (int i = 0; i < nu; i++)
        if (u[i].latest_start) { mp_sym(f, u[i].id); mp_inum(f, u[i].latest_start); }
    fputs(";\nparam unsched :=", f);
    for (int i = 0; i < nu; i++)
        if (u[i].n_schedule) { mp_sym(f, u[i].id); mp_inum(f, u[i].n_schedule); }
    fputs(";\nparam usched :=", f);
    for (int i = 0; i < nu; i++)
        for (int k = 0; k < u[i].n_schedule; k++) {
            mp_sym(f, u[i].id);
            mp_inum(f, k);
            mp_num(f, u[i].schedule[k]);
        }
    fputs(";\n", f);
}

void mp_write_stockpiles(const ckp_plan *p, FILE *f)
{
    fputs("\nset STOCK :=", f);
    for (int k = 0; k < p->n_stockpiles; k++)
        if (p->stockpiles[k].commodity.ix >= 0) mp_sym(f, p->stockpiles[k].id);
    fputs(";\nparam : st_comm st_tonnes st_release st_cost st_year :=", f);
    for (int k = 0; k < p->n_stockpiles; k++) {
        const ckp_stockpile *s = &p->stockpiles[k];
        if (s->commodity.ix < 0) continue;
        fputs("\n ", f);
        mp_sym(f, s->id);
        mp_sym(f, p->commodities[s->commodity.ix].id);
        mp_num(f, s->tonnes);
        mp_num(f, s->release);
        mp_num(f, s->cost);
        mp_inum(f, s->year);
    }
    fputs(";\n", f);
}

void mp_write_pairs(const ckp_plan *p, FILE *f)
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
                mp_sym(f, pr->id);
                fputc(',', f);
                mp_sym(f, p->projects[q].id);
                fputc(')', f);
            }
        }
        fputs(";\n", f);
    }
}
