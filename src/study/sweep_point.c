/* sweep_point.c: one point of a budget sweep as a record: its figures
 * taken from a finished run (the portfolio in plan order, the chokepoint
 * share per stage in the final year, what binds), and the record's text
 * form, which a worker sends through the pool's pipe and which is kept
 * as points/b<budget>/point.txt for --resume and merge.  Numbers are
 * written with 17 significant digits, so a record read back gives the
 * same doubles and the same tables. */
#include "study/sweep_int.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ckp/terms.h"
#include "util/alloc.h"

void sweep_point_name(double budget, char *buf, size_t size)
{
    snprintf(buf, size, "b%.10g", budget);
}

void sweep_point_fini(ckp_sweep_point *pt)
{
    if (!pt) return;
    ckp_free(pt->stage_final);
    ckp_free(pt->picks);
    pt->stage_final = NULL;
    pt->picks = NULL;
    pt->n_picks = 0;
}

void sweep_point_no_time(ckp_sweep_point *pt)
{
    pt->t_start = pt->t_end = NAN;
    pt->cpu_hints = pt->cpu_build = pt->cpu_solve = pt->cpu_baseline = pt->cpu_post =
        pt->cpu_files = NAN;
    for (int k = 0; k < 3; k++) pt->cpu_stage[k] = NAN;
}

int sweep_has_portfolio(const ckp_sweep_point *pt)
{
    return pt->solved && !pt->error &&
           (pt->status == CKP_MIP_OPTIMAL || pt->status == CKP_MIP_FEASIBLE);
}

/* Does an unfunded start fit what is left?  fig: its figure in each
 * year of the horizon, total: its size, both in the budget's measure;
 * used: the portfolio's figure per year in that measure.  Sets
 * *year_block to the first year index it breaks (-1). */
static void fits(const ckp_result *r, const double *used, const double *fig, double total,
                 double left, int *fit_total, int *year_block)
{
    const double tol = 1e-6;
    *fit_total = total <= left + tol;
    *year_block = -1;
    for (int y = 0; y < r->n_years; y++) {
        if (fig[y] == 0) continue;
        if (used[y] + fig[y] > r->budget_limit[y] + tol) {
            *year_block = y;
            return;
        }
    }
}

/* docs/sweeps.md, "What binds": over every start of every unfunded project
 * option and upgrade within its window, each counted in the budget's
 * measure (<budget measure>, docs/finance.md: commitment, expected cost,
 * outstanding or contingent liability) as the model's budget rows count
 * it (include/ckp/terms.h). */
static void what_binds(ckp_sweep_point *pt, const ckp_plan *plan, const ckp_result *r,
                       int *block, double *fig)
{
    int first = plan->first_year, last = plan->last_year, Y = r->n_years;
    ckp_fin_measure m = r->fin_year ? r->budget_measure : CKP_FIN_COMMITMENT;
    const double *used = r->fin_year ? r->fin_year + (size_t)m * (size_t)Y : r->spend;
    double used_total = r->fin_year ? r->fin_total[m] : r->commitment_total;
    double left = isfinite(r->budget_total) ? r->budget_total - used_total : INFINITY;
    int any_fit = 0, any_total = 0;
    for (int y = 0; y < Y; y++) block[y] = 0;
    char *funded = ckp_calloc((size_t)plan->n_projects + (size_t)plan->n_upgrades + 1, 1);
    if (!funded) return;
    for (int i = 0; i < r->n_picks; i++) funded[r->picks[i].project] = 1;
    for (int i = 0; i < r->n_upgrade_picks; i++)
        funded[plan->n_projects + r->upgrade_picks[i].upgrade] = 1;
    for (int p = 0; p < plan->n_projects + plan->n_upgrades; p++) {
        if (funded[p]) continue;
        int up = p >= plan->n_projects;
        const ckp_project *pr = up ? NULL : &plan->projects[p];
        const ckp_upgrade *u = up ? &plan->upgrades[p - plan->n_projects] : NULL;
        int e = up ? u->earliest_start : pr->earliest_start;
        int l = up ? u->latest_start : pr->latest_start;
        int lo = e > first ? e : first, hi = l && l < last ? l : last;
        int n_opt = up ? 1 : pr->committed ? 0 : pr->n_options; /* committed: not fundable */
        for (int o = 0; o < n_opt; o++) {
            for (int t = lo; t <= hi; t++) {
                double total;
                if (up) {
                    for (int y = 0; y < Y; y++)
                        fig[y] = ckp_spending_figure(u->cost, u->schedule, u->n_schedule, t,
                                                     m, first + y);
                    total = ckp_spending_total(u->cost, m);
                } else {
                    for (int y = 0; y < Y; y++)
                        fig[y] = ckp_option_figure(plan, p, o, t, m, first + y);
                    total = ckp_option_figure_total(plan, p, o, t, m);
                }
                int ft, yb;
                fits(r, used, fig, total, left, &ft, &yb);
                if (!ft) continue;
                any_total = 1;
                if (yb < 0) any_fit = 1;
                else block[yb]++;
            }
        }
    }
    ckp_free(funded);
    pt->bind_year = 0;
    if (any_fit || (!any_total && left == INFINITY)) {
        pt->bind = CKP_BIND_NONE;
    } else if (!any_total) {
        pt->bind = CKP_BIND_TOTAL;
    } else {
        int best = 0;
        for (int y = 1; y < Y; y++)
            if (block[y] > block[best]) best = y;
        pt->bind = CKP_BIND_YEAR;
        pt->bind_year = first + best;
    }
}

ckp_status sweep_point_from_result(ckp_sweep_point *pt, const ckp_plan *plan,
                                   const ckp_result *r, double cpu_seconds)
{
    int has = r->status == CKP_MIP_OPTIMAL || r->status == CKP_MIP_FEASIBLE;
    pt->solved = 1;
    pt->error = 0;
    pt->status = r->status;
    pt->gap = has ? r->gap : NAN;
    pt->objective = has ? r->objective_value : NAN;
    pt->baseline = r->baseline_objective;
    pt->commitment = has ? r->commitment_total : NAN;
    pt->private_capital = has ? r->private_capital : NAN;
    pt->nodes = r->nodes;
    pt->cpu_seconds = cpu_seconds;
    pt->free_objective = NAN;
    pt->stage1_objective = has && r->lexicographic && r->lex[0].ran &&
                                   r->lex[0].status == CKP_MIP_OPTIMAL
                               ? r->lex[0].objective
                               : NAN;
    pt->bind = CKP_BIND_NONE;
    pt->bind_year = 0;
    int S = plan->n_stages, Y = r->n_years;
    pt->stage_final = ckp_malloc(((size_t)S + 1) * sizeof *pt->stage_final);
    int n = has ? r->n_picks + r->n_upgrade_picks : 0;
    pt->picks = ckp_malloc(((size_t)n + 1) * sizeof *pt->picks);
    int *block = ckp_malloc(((size_t)Y + 1) * sizeof *block);
    double *fig = ckp_malloc(((size_t)Y + 1) * sizeof *fig);
    if (!pt->stage_final || !pt->picks || !block || !fig) {
        ckp_free(block);
        ckp_free(fig);
        sweep_point_fini(pt);
        return CKP_ENOMEM;
    }
    for (int s = 0; s < S; s++)
        pt->stage_final[s] = has && r->stage_exposure ? r->stage_exposure[s * Y + Y - 1]
                                                      : NAN;
    pt->n_picks = 0;
    if (has) {
        for (int i = 0; i < r->n_picks; i++) {
            ckp_sweep_pick *k = &pt->picks[pt->n_picks++];
            k->project = r->picks[i].project;
            k->upgrade = -1;
            k->option = r->picks[i].option;
            k->start = r->picks[i].start;
        }
        for (int i = 0; i < r->n_upgrade_picks; i++) {
            ckp_sweep_pick *k = &pt->picks[pt->n_picks++];
            k->project = -1;
            k->upgrade = r->upgrade_picks[i].upgrade;
            k->option = -1;
            k->start = r->upgrade_picks[i].start;
        }
        what_binds(pt, plan, r, block, fig);
    }
    ckp_free(block);
    ckp_free(fig);
    return CKP_OK;
}

/* ------------------------------------------------------------------ */
/* Text form */

typedef struct sbuf {
    char *p;
    size_t len, cap;
    int oom;
} sbuf;

static void put(sbuf *b, const char *fmt, ...) CKP_PRINTF(2, 3);
static void put(sbuf *b, const char *fmt, ...)
{
    if (b->oom) return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->p + b->len, b->cap - b->len, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->oom = 1;
            return;
        }
        if ((size_t)n < b->cap - b->len) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = 2 * b->cap + (size_t)n + 256;
        char *q = ckp_realloc(b->p, cap);
        if (!q) {
            b->oom = 1;
            return;
        }
        b->p = q;
        b->cap = cap;
    }
}

ckp_status sweep_record_format(const ckp_sweep_point *pt, const ckp_plan *plan,
                               const char *input_hash, const char *settings_hash,
                               char **out, size_t *len)
{
    sbuf b = {ckp_malloc(1024), 0, 1024, 0};
    if (!b.p) return CKP_ENOMEM;
    b.p[0] = '\0';
    put(&b, "%s\ninput %s\nsettings %s\nbudget %.17g\n", CKP_SWEEP_RECORD_MAGIC,
        input_hash, settings_hash, pt->budget);
    if (pt->error) {
        put(&b, "error\n");
    } else {
        put(&b, "status %d\ngap %.17g\nobjective %.17g\nbaseline %.17g\n",
            (int)pt->status, pt->gap, pt->objective, pt->baseline);
        put(&b, "commitment %.17g\nprivate %.17g\nbind %d %d\nnodes %ld\ncpu %.6f\n",
            pt->commitment, pt->private_capital, (int)pt->bind, pt->bind_year,
            pt->nodes, pt->cpu_seconds);
        if (!isnan(pt->free_objective)) put(&b, "free %.17g\n", pt->free_objective);
        if (isfinite(pt->stage1_objective)) put(&b, "stage1 %.17g\n", pt->stage1_objective);
        if (!isnan(pt->t_start))
            put(&b, "time %.6f %.6f %.6f %.6f %.6f %.6f %.6f %.6f %.6f %.6f %.6f\n",
                pt->t_start, pt->t_end, pt->cpu_hints, pt->cpu_build, pt->cpu_solve,
                pt->cpu_baseline, pt->cpu_post, pt->cpu_files, pt->cpu_stage[0],
                pt->cpu_stage[1], pt->cpu_stage[2]);
        if (pt->warm_started || pt->warm_bound)
            put(&b, "warm %.17g %d\n", pt->warm_started ? pt->warm_from : -1.0,
                pt->warm_bound);
        for (int s = 0; s < plan->n_stages; s++)
            put(&b, "stage %s %.17g\n", plan->stages[s].id, pt->stage_final[s]);
        for (int i = 0; i < pt->n_picks; i++) {
            const ckp_sweep_pick *k = &pt->picks[i];
            if (k->project >= 0)
                put(&b, "pick %s %s %d\n", plan->projects[k->project].id,
                    plan->projects[k->project].options[k->option].id, k->start);
            else
                put(&b, "upgrade %s %d\n", plan->upgrades[k->upgrade].id, k->start);
        }
    }
    put(&b, "end\n");
    if (b.oom) {
        ckp_free(b.p);
        return CKP_ENOMEM;
    }
    *out = b.p;
    *len = b.len;
    return CKP_OK;
}

static double num(const char *s)
{
    /* "nan" and "inf" as printf writes them */
    return strtod(s, NULL);
}

ckp_status sweep_record_parse(const char *text, size_t len, const ckp_plan *plan,
                              ckp_sweep_point *pt, char input_hash[65],
                              char settings_hash[65])
{
    memset(pt, 0, sizeof *pt);
    char *copy = ckp_malloc(len + 1);
    pt->stage_final = ckp_malloc(((size_t)plan->n_stages + 1) * sizeof *pt->stage_final);
    int cap = 0;
    if (!copy || !pt->stage_final) {
        ckp_free(copy);
        sweep_point_fini(pt);
        return CKP_ENOMEM;
    }
    memcpy(copy, text, len);
    copy[len] = '\0';
    pt->free_objective = NAN;
    pt->stage1_objective = NAN;
    sweep_point_no_time(pt);
    for (int s = 0; s < plan->n_stages; s++) pt->stage_final[s] = NAN;
    ckp_status rc = CKP_EPARSE;
    int line_no = 0, ended = 0, n_fields = 0;
    char *save = NULL;
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char k[64], a[256], c[256];
        int i1, i2;
        long l1;
        line_no++;
        if (line_no == 1) {
            if (strcmp(line, CKP_SWEEP_RECORD_MAGIC) != 0) goto done;
            continue;
        }
        if (sscanf(line, "%63s", k) != 1) goto done;
        const char *v = line + strlen(k);
        while (*v == ' ') v++;
        if (strcmp(k, "end") == 0) {
            ended = 1;
            break;
        } else if (strcmp(k, "input") == 0 || strcmp(k, "settings") == 0) {
            if (strlen(v) != 64) goto done;
            memcpy(k[0] == 'i' ? input_hash : settings_hash, v, 65);
            n_fields++;
        } else if (strcmp(k, "budget") == 0) {
            pt->budget = num(v);
            n_fields++;
        } else if (strcmp(k, "error") == 0) {
            pt->error = 1;
        } else if (strcmp(k, "status") == 0) {
            if (sscanf(v, "%d", &i1) != 1 || i1 < 0 || i1 > CKP_MIP_ERROR) goto done;
            pt->status = (ckp_mip_status)i1;
        } else if (strcmp(k, "gap") == 0) {
            pt->gap = num(v);
        } else if (strcmp(k, "objective") == 0) {
            pt->objective = num(v);
        } else if (strcmp(k, "baseline") == 0) {
            pt->baseline = num(v);
        } else if (strcmp(k, "commitment") == 0) {
            pt->commitment = num(v);
        } else if (strcmp(k, "free") == 0) {
            pt->free_objective = num(v);
        } else if (strcmp(k, "stage1") == 0) {
            pt->stage1_objective = num(v);
        } else if (strcmp(k, "time") == 0) {
            if (sscanf(v, "%lf %lf %lf %lf %lf %lf %lf %lf %lf %lf %lf", &pt->t_start,
                       &pt->t_end, &pt->cpu_hints, &pt->cpu_build, &pt->cpu_solve,
                       &pt->cpu_baseline, &pt->cpu_post, &pt->cpu_files, &pt->cpu_stage[0],
                       &pt->cpu_stage[1], &pt->cpu_stage[2]) != 11)
                goto done;
        } else if (strcmp(k, "warm") == 0) {
            if (sscanf(v, "%lf %d", &pt->warm_from, &i1) != 2) goto done;
            pt->warm_started = pt->warm_from >= 0;
            pt->warm_bound = i1 != 0;
        } else if (strcmp(k, "private") == 0) {
            pt->private_capital = num(v);
        } else if (strcmp(k, "bind") == 0) {
            if (sscanf(v, "%d %d", &i1, &i2) != 2 || i1 < 0 || i1 > CKP_BIND_YEAR) goto done;
            pt->bind = (ckp_sweep_bind)i1;
            pt->bind_year = i2;
        } else if (strcmp(k, "nodes") == 0) {
            if (sscanf(v, "%ld", &l1) != 1) goto done;
            pt->nodes = l1;
        } else if (strcmp(k, "cpu") == 0) {
            pt->cpu_seconds = num(v);
        } else if (strcmp(k, "stage") == 0) {
            if (sscanf(v, "%255s", a) != 1) goto done;
            int s = -1;
            for (int j = 0; j < plan->n_stages; j++)
                if (strcmp(plan->stages[j].id, a) == 0) s = j;
            if (s < 0) {
                rc = CKP_EINVALID;
                goto done;
            }
            pt->stage_final[s] = num(v + strlen(a));
        } else if (strcmp(k, "pick") == 0 || strcmp(k, "upgrade") == 0) {
            int is_pick = k[0] == 'p';
            ckp_sweep_pick pk = {-1, -1, -1, 0};
            if (is_pick) {
                if (sscanf(v, "%255s %255s %d", a, c, &pk.start) != 3) goto done;
                pk.project = ckp_plan_find_project(plan, a);
                if (pk.project < 0) {
                    rc = CKP_EINVALID;
                    goto done;
                }
                const ckp_project *pr = &plan->projects[pk.project];
                for (int j = 0; j < pr->n_options; j++)
                    if (strcmp(pr->options[j].id, c) == 0) pk.option = j;
                if (pk.option < 0) {
                    rc = CKP_EINVALID;
                    goto done;
                }
            } else {
                if (sscanf(v, "%255s %d", a, &pk.start) != 2) goto done;
                for (int j = 0; j < plan->n_upgrades; j++)
                    if (strcmp(plan->upgrades[j].id, a) == 0) pk.upgrade = j;
                if (pk.upgrade < 0) {
                    rc = CKP_EINVALID;
                    goto done;
                }
            }
            if (ckp_grow((void **)&pt->picks, &cap, pt->n_picks + 1, sizeof *pt->picks)) {
                rc = CKP_ENOMEM;
                goto done;
            }
            pt->picks[pt->n_picks++] = pk;
        } else {
            goto done;
        }
    }
    if (ended && n_fields == 3) {
        pt->solved = 1;
        rc = CKP_OK;
    }
done:
    ckp_free(copy);
    if (rc != CKP_OK) sweep_point_fini(pt);
    return rc;
}
