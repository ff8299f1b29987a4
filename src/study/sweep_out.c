/* sweep_out.c: what a sweep reports (docs/sweeps.md, "Output"): the text
 * table on a stream (frontier, marginal value of each further 100,
 * no-regret list) and the files sweep.csv, frontier.csv and
 * no-regret.csv, each written atomically.  Everything is derived from
 * the point records in budget order, so the same records give the same
 * bytes whatever the number of workers, shards or resumptions. */
#include "ckp/sweep.h"

#include "ckp/report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "study/sweep_int.h"
#include "util/alloc.h"
#include "util/atomic.h"

static int has_solution(const ckp_sweep_point *pt)
{
    return pt->solved && !pt->error &&
           (pt->status == CKP_MIP_OPTIMAL || pt->status == CKP_MIP_FEASIBLE);
}

static double cut_pct(const ckp_sweep_point *pt)
{
    if (!has_solution(pt) || !(pt->baseline > 0)) return NAN;
    return 100.0 * (pt->baseline - pt->objective) / pt->baseline;
}

static void num(FILE *f, double v)
{
    if (isfinite(v)) fprintf(f, "%.10g", v);
}

static const char *status_name(const ckp_sweep_point *pt)
{
    if (pt->error) return "error";
    return ckp_mip_status_str(pt->status);
}

static void bind_text(const ckp_sweep_point *pt, char *buf, size_t size)
{
    if (!has_solution(pt)) snprintf(buf, size, "-");
    else if (pt->bind == CKP_BIND_TOTAL) snprintf(buf, size, "total");
    else if (pt->bind == CKP_BIND_YEAR) snprintf(buf, size, "year %d", pt->bind_year);
    else snprintf(buf, size, "none");
}

/* "id:option;id:option;upgrade" */
static void projects(FILE *f, const ckp_plan *plan, const ckp_sweep_point *pt)
{
    for (int i = 0; i < pt->n_picks; i++) {
        const ckp_sweep_pick *k = &pt->picks[i];
        if (i) fputc(';', f);
        if (k->project >= 0)
            fprintf(f, "%s:%s", plan->projects[k->project].id,
                    plan->projects[k->project].options[k->option].id);
        else
            fprintf(f, "%s", plan->upgrades[k->upgrade].id);
    }
}

void sweep_frontier(const ckp_sweep *s, int *out)
{
    for (int i = 0; i < s->n_points; i++) {
        const ckp_sweep_point *a = &s->points[i];
        out[i] = has_solution(a);
        if (!out[i]) continue;
        double ec = 1e-6 * (1 + fabs(a->commitment)), eo = 1e-9 * (1 + fabs(a->objective));
        for (int j = 0; j < s->n_points && out[i]; j++) {
            const ckp_sweep_point *b = &s->points[j];
            if (j == i || !has_solution(b)) continue;
            if (b->commitment <= a->commitment + ec && b->objective <= a->objective + eo &&
                (b->commitment < a->commitment - ec || b->objective < a->objective - eo ||
                 j < i))
                out[i] = 0;
        }
    }
}

/* Item of a pick: projects 0..n_projects-1, then upgrades. */
static int item_of(const ckp_plan *plan, const ckp_sweep_pick *k)
{
    return k->project >= 0 ? k->project : plan->n_projects + k->upgrade;
}

/* The option point pt funds item it with (-1: not funded; upgrades 0). */
static int funded_option(const ckp_plan *plan, const ckp_sweep_point *pt, int it)
{
    for (int i = 0; i < pt->n_picks; i++)
        if (item_of(plan, &pt->picks[i]) == it)
            return pt->picks[i].project >= 0 ? pt->picks[i].option : 0;
    return -1;
}

typedef struct regret {
    int n_funded, n_points, switches, from_first_on;
    double first;
} regret;

static regret item_regret(const ckp_sweep *s, int it)
{
    regret g = {0, 0, 0, 1, NAN};
    int last_opt = -1;
    for (int i = 0; i < s->n_points; i++) {
        const ckp_sweep_point *pt = &s->points[i];
        if (!has_solution(pt)) continue;
        g.n_points++;
        int o = funded_option(s->plan, pt, it);
        if (o >= 0) {
            if (g.n_funded == 0) g.first = pt->budget;
            else if (last_opt >= 0 && o != last_opt) g.switches++;
            g.n_funded++;
            last_opt = o;
        } else if (g.n_funded > 0) {
            g.from_first_on = 0;
        }
    }
    return g;
}

static const char *regret_class(const regret *g)
{
    if (g->n_funded == 0) return "never";
    if (g->n_funded == g->n_points) return "always";
    return "sometimes";
}

static const char *item_id(const ckp_plan *plan, int it)
{
    return it < plan->n_projects ? plan->projects[it].id
                                 : plan->upgrades[it - plan->n_projects].id;
}

static void write_sweep_csv(const ckp_sweep *s, FILE *f)
{
    const ckp_plan *plan = s->plan;
    fprintf(f, "budget,status,gap,objective,cut_pct,commitment,private_capital");
    for (int k = 0; k < plan->n_stages; k++)
        fprintf(f, ",share_%d_%s", plan->last_year, plan->stages[k].id);
    fprintf(f, ",binding,projects%s,nodes,cpu_s\n",
            s->nested ? ",free_objective,nesting_cost" : "");
    for (int i = 0; i < s->n_points; i++) {
        const ckp_sweep_point *pt = &s->points[i];
        if (!pt->solved) continue;
        char b[32];
        bind_text(pt, b, sizeof b);
        num(f, pt->budget);
        fprintf(f, ",%s,", status_name(pt));
        if (has_solution(pt)) num(f, pt->gap);
        fputc(',', f);
        if (has_solution(pt)) num(f, pt->objective);
        fputc(',', f);
        num(f, cut_pct(pt));
        fputc(',', f);
        if (has_solution(pt)) num(f, pt->commitment);
        fputc(',', f);
        if (has_solution(pt)) num(f, pt->private_capital);
        for (int k = 0; k < plan->n_stages; k++) {
            fputc(',', f);
            if (has_solution(pt) && pt->stage_final) num(f, pt->stage_final[k]);
        }
        fprintf(f, ",%s,", b);
        projects(f, plan, pt);
        if (s->nested) {
            fputc(',', f);
            if (has_solution(pt)) num(f, pt->free_objective);
            fputc(',', f);
            if (has_solution(pt)) num(f, pt->objective - pt->free_objective);
        }
        fprintf(f, ",%ld,%.3f\n", pt->error ? 0L : pt->nodes, pt->cpu_seconds);
    }
}

static void write_frontier_csv(const ckp_sweep *s, const int *front, FILE *f)
{
    fprintf(f, "budget,objective,cut_pct,commitment,projects\n");
    for (int i = 0; i < s->n_points; i++) {
        const ckp_sweep_point *pt = &s->points[i];
        if (!front[i]) continue;
        num(f, pt->budget);
        fputc(',', f);
        num(f, pt->objective);
        fputc(',', f);
        num(f, cut_pct(pt));
        fputc(',', f);
        num(f, pt->commitment);
        fputc(',', f);
        projects(f, s->plan, pt);
        fputc('\n', f);
    }
}

static void write_regret_csv(const ckp_sweep *s, FILE *f)
{
    const ckp_plan *plan = s->plan;
    fprintf(f, "id,kind,class,first_budget,funded_from_first_on,option_switches,"
               "funded_at\n");
    for (int it = 0; it < plan->n_projects + plan->n_upgrades; it++) {
        regret g = item_regret(s, it);
        fprintf(f, "%s,%s,%s,", item_id(plan, it),
                it < plan->n_projects ? "project" : "upgrade", regret_class(&g));
        num(f, g.first);
        fprintf(f, ",%s,%d,", g.n_funded ? (g.from_first_on ? "yes" : "no") : "",
                g.switches);
        int k = 0;
        for (int i = 0; i < s->n_points; i++) {
            const ckp_sweep_point *pt = &s->points[i];
            if (!has_solution(pt)) continue;
            int o = funded_option(plan, pt, it);
            if (o < 0) continue;
            if (k++) fputc(';', f);
            num(f, pt->budget);
            if (it < plan->n_projects) fprintf(f, ":%s", plan->projects[it].options[o].id);
        }
        fputc('\n', f);
    }
}

static ckp_status write_file(const char *dir, const char *name, const ckp_sweep *s,
                             const int *front, int which, ckp_diag_list *diag)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    ckp_atomic_file af;
    ckp_status st = ckp_atomic_open(&af, path, diag);
    if (st != CKP_OK) return st;
    if (which == 0) write_sweep_csv(s, af.f);
    else if (which == 1) write_frontier_csv(s, front, af.f);
    else write_regret_csv(s, af.f);
    st = ckp_atomic_close(&af, diag);
    if (st == CKP_OK) st = ckp_atomic_commit(&af, diag);
    ckp_atomic_discard(&af);
    return st;
}

ckp_status sweep_write_tables(const ckp_sweep *s, const char *dir, ckp_diag_list *diag)
{
    int *front = ckp_malloc(((size_t)s->n_points + 1) * sizeof *front);
    if (!front) return CKP_ENOMEM;
    sweep_frontier(s, front);
    ckp_status st = write_file(dir, "sweep.csv", s, front, 0, diag);
    if (st == CKP_OK) st = write_file(dir, "frontier.csv", s, front, 1, diag);
    if (st == CKP_OK) st = write_file(dir, "no-regret.csv", s, front, 2, diag);
    if (st == CKP_OK) st = ckp_report_sweep_write(s, front, dir, diag);
    ckp_free(front);
    return st;
}

/* ------------------------------------------------------------------ */
/* Text */

ckp_status ckp_sweep_report_text(const ckp_sweep *s, FILE *out)
{
    const ckp_plan *plan = s->plan;
    const char *cur = plan->currency ? plan->currency : "";
    int n_solved = 0, n_sol = 0;
    double baseline = NAN;
    for (int i = 0; i < s->n_points; i++) {
        n_solved += s->points[i].solved;
        if (has_solution(&s->points[i])) {
            n_sol++;
            if (isnan(baseline)) baseline = s->points[i].baseline;
        }
    }
    fprintf(out, "Budget sweep%s: %s\n",
            s->exact ? " (exact frontier)" : s->nested ? " (nested portfolios)" : "",
            plan->name ? plan->name : plan->path);
    fprintf(out, "Points: %d of %d solved", n_solved, s->n_points);
    if (s->n_resumed) fprintf(out, " (%d resumed)", s->n_resumed);
    if (s->shard_n > 1) fprintf(out, ", shard %d/%d", s->shard_k, s->shard_n);
    if (s->interrupted) fprintf(out, ", INTERRUPTED");
    fprintf(out, "\nBaseline (no project funded): exposure %.6f\n\n", baseline);

    int *front = ckp_malloc(((size_t)s->n_points + 1) * sizeof *front);
    if (!front) return CKP_ENOMEM;
    sweep_frontier(s, front);
    fprintf(out, "Frontier (* = not dominated: no cheaper portfolio is as good)\n");
    fprintf(out, "  %12s  %12s  %7s  %12s  %-10s  %s\n", "budget", "exposure", "cut %",
            "commitment", "binds", "status");
    for (int i = 0; i < s->n_points; i++) {
        const ckp_sweep_point *pt = &s->points[i];
        if (!pt->solved) continue;
        char b[32];
        bind_text(pt, b, sizeof b);
        if (has_solution(pt))
            fprintf(out, "%c %12.1f  %12.6f  %7.1f  %12.1f  %-10s  %s\n",
                    front[i] ? '*' : ' ', pt->budget, pt->objective, cut_pct(pt),
                    pt->commitment, b, status_name(pt));
        else
            fprintf(out, "  %12.1f  %12s  %7s  %12s  %-10s  %s\n", pt->budget, "-", "-",
                    "-", b, status_name(pt));
    }
    ckp_free(front);
    fprintf(out, "\nbinds: total = nothing unfunded fits what is left of the total; "
                 "year Y = a start\nwould fit the total but breaks year Y's limit; none = "
                 "room is left but nothing\nthere is worth funding (docs/sweeps.md)\n");

    if (s->nested) {
        fprintf(out, "\nCost of nesting (exposure of the nested portfolio minus the "
                     "unconstrained optimum)\n");
        for (int i = 0; i < s->n_points; i++) {
            const ckp_sweep_point *pt = &s->points[i];
            if (!has_solution(pt)) continue;
            double d = pt->objective - pt->free_objective;
            if (fabs(d) < 5e-7) d = 0;
            fprintf(out, "  %12.1f  %12.6f\n", pt->budget, d);
        }
    }
    fprintf(out, "\nMarginal value of each further 100 %s m (exposure cut per 100 between "
                 "consecutive points)\n", cur);
    int prev = -1;
    for (int i = 0; i < s->n_points; i++) {
        if (!has_solution(&s->points[i])) continue;
        if (prev >= 0) {
            const ckp_sweep_point *a = &s->points[prev], *b = &s->points[i];
            double v = (a->objective - b->objective) / (b->budget - a->budget) * 100.0;
            if (fabs(v) < 5e-7) v = 0; /* no "-0.000000" */
            fprintf(out, "  %10.1f -> %10.1f  %12.6f\n", a->budget, b->budget, v);
        }
        prev = i;
    }
    if (n_sol < 2) fprintf(out, "  (needs two points with a portfolio)\n");

    fprintf(out, "\nNo-regret projects\n");
    int any = 0;
    for (int pass = 0; pass < 3; pass++) {
        for (int it = 0; it < plan->n_projects + plan->n_upgrades; it++) {
            regret g = item_regret(s, it);
            if (g.n_funded == 0) continue;
            int always = g.n_funded == g.n_points;
            if (pass == 0 && always)
                fprintf(out, "  always       %s\n", item_id(plan, it)), any = 1;
            else if (pass == 1 && !always && g.from_first_on)
                fprintf(out, "  from %-7.10g %s (then at every larger budget)\n", g.first,
                        item_id(plan, it)), any = 1;
            else if (pass == 2 && !g.from_first_on)
                fprintf(out, "  sometimes    %s (first at %.10g, dropped at a larger "
                             "budget)\n", item_id(plan, it), g.first), any = 1;
            if (pass == 0 && always && g.switches)
                fprintf(out, "               (%d option switch%s)\n", g.switches,
                        g.switches > 1 ? "es" : "");
        }
    }
    if (!any) fprintf(out, "  (nothing funded at any point)\n");
    return ferror(out) ? CKP_EIO : CKP_OK;
}
