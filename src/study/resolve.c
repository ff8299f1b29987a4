/* resolve.c: a portfolio as given, resolved against a plan and checked
 * (ckp_portfolio_resolve, ckp/study.h).  The checks mirror the rows of the
 * model (docs/formulation.md): one decision per project, the start window
 * and the horizon, the total budget and each year's limit (disbursement by
 * schedule), infrastructure per site, resource and year (needs of the
 * projects online against existing capacity plus the upgrades online),
 * requires and excludes.  Every violation is reported, each once, as an
 * error diagnostic at the portfolio file's line naming the plan's line. */
#include "ckp/study.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/plan_time.h"
#include "study/study_int.h"
#include "ckp/terms.h"
#include "util/alloc.h"

void ckp_resolved_free(ckp_resolved *r)
{
    if (!r) return;
    ckp_free(r->option);
    ckp_free(r->start);
    ckp_free(r->upgrade_start);
    ckp_free(r->stockpile);
    ckp_free(r->line);
    ckp_free(r);
}

typedef struct rs {
    const ckp_plan *plan;
    const ckp_portfolio *pf;
    ckp_resolved *r;
    ckp_diag_list *diag;
    const char *plan_file;
    int oom;
    int budget_override;
    const char *main_file; /* the portfolio file (NULL: --fund only) */
    const char **file;  /* [items] file of each resolved decision */
} rs;

static void viol(rs *s, const char *file, int line, const char *code, const char *fmt, ...)
    CKP_PRINTF(5, 6);

static void viol(rs *s, const char *file, int line, const char *code, const char *fmt, ...)
{
    char buf[900];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    s->r->n_violations++;
    if (ckp_diag_add(s->diag, CKP_SEV_ERROR, file ? file : "portfolio items", line, code, "%s",
                     buf) != CKP_OK)
        s->oom = 1;
}

static int find_upgrade(const ckp_plan *plan, const char *id)
{
    for (int u = 0; u < plan->n_upgrades; u++)
        if (strcmp(plan->upgrades[u].id, id) == 0) return u;
    return -1;
}

static int find_stockpile(const ckp_plan *plan, const char *id)
{
    for (int k = 0; k < plan->n_stockpiles; k++)
        if (strcmp(plan->stockpiles[k].id, id) == 0) return k;
    return -1;
}

/* Where a plan record is, for messages: "plan.xml:41". */
static const char *at(const rs *s, int line, char *buf, size_t size)
{
    snprintf(buf, size, "%s:%d", s->plan_file, line);
    return buf;
}

static void one_item(rs *s, const ckp_portfolio_item *it)
{
    const ckp_plan *plan = s->plan;
    ckp_resolved *r = s->r;
    int np = plan->n_projects, nu = plan->n_upgrades;
    char w[600];
    int p = it->kind == CKP_ITEM_ANY || it->kind == CKP_ITEM_PROJECT
                ? ckp_plan_find_project(plan, it->id) : -1;
    int u = p < 0 && (it->kind == CKP_ITEM_ANY || it->kind == CKP_ITEM_UPGRADE)
                ? find_upgrade(plan, it->id) : -1;
    int k = p < 0 && u < 0 && (it->kind == CKP_ITEM_ANY || it->kind == CKP_ITEM_STOCKPILE)
                ? find_stockpile(plan, it->id) : -1;
    const char *what = it->kind == CKP_ITEM_UPGRADE     ? "upgrade"
                       : it->kind == CKP_ITEM_STOCKPILE ? "stockpile"
                       : it->kind == CKP_ITEM_PROJECT   ? "project"
                                                        : "project, upgrade or stockpile";
    if (p < 0 && u < 0 && k < 0) {
        viol(s, it->file, it->line, "portfolio-unknown-id", "unknown %s '%s' (not in %s)",
             what, it->id, s->plan_file);
        return;
    }
    if (p >= 0) {
        const ckp_project *pr = &plan->projects[p];
        if (r->option[p] >= 0) {
            viol(s, it->file, it->line, "portfolio-duplicate",
                 "project '%s' is given twice (first at line %d): one financing "
                 "decision per project (%s)", it->id, r->line[p],
                 at(s, pr->line, w, sizeof w));
            return;
        }
        if (pr->committed) {
            viol(s, it->file, it->line, "portfolio-committed",
                 "project '%s' is committed: built with or without the bank, it is in "
                 "the baseline and cannot be funded (%s)", it->id,
                 at(s, pr->line, w, sizeof w));
            return;
        }
        int o = -1;
        if (it->option) {
            for (int j = 0; j < pr->n_options; j++)
                if (strcmp(pr->options[j].id, it->option) == 0) o = j;
            if (o < 0) {
                char list[300] = "";
                size_t n = 0;
                for (int j = 0; j < pr->n_options && n + 1 < sizeof list; j++) {
                    int m = snprintf(list + n, sizeof list - n, "%s%s", j ? ", " : "",
                                     pr->options[j].id);
                    if (m < 0) break;
                    n += (size_t)m;
                }
                viol(s, it->file, it->line, "portfolio-unknown-option",
                     "project '%s' has no option '%s' (options: %s; %s)", it->id,
                     it->option, list, at(s, pr->line, w, sizeof w));
                return;
            }
        } else {
            o = 0;
            for (int j = 1; j < pr->n_options; j++)
                if (pr->options[j].commitment < pr->options[o].commitment) o = j;
        }
        int lo, hi, delay;
        ckp_plan_project_window(plan, p, 0, &lo, &hi, &delay);
        int start = it->start ? it->start : lo;
        if (start < lo || start > hi || start + delay > plan->last_year) {
            if (start + delay > plan->last_year && start >= lo && start <= hi)
                viol(s, it->file, it->line, "portfolio-start",
                     "project '%s' started in %d comes online in %d, after the horizon "
                     "ends in %d (by %d years; %s)", it->id, start, start + delay,
                     plan->last_year, start + delay - plan->last_year,
                     at(s, pr->line, w, sizeof w));
            else
                viol(s, it->file, it->line, "portfolio-start",
                     "project '%s' cannot start in %d: its start window is %d-%d (by %d "
                     "years; %s)", it->id, start, lo, hi,
                     start < lo ? lo - start : start - hi, at(s, pr->line, w, sizeof w));
        }
        r->option[p] = o;
        r->start[p] = start;
        r->line[p] = it->line;
        s->file[p] = it->file;
        return;
    }
    if (u >= 0) {
        const ckp_upgrade *up = &plan->upgrades[u];
        if (r->upgrade_start[u] >= 0) {
            viol(s, it->file, it->line, "portfolio-duplicate",
                 "upgrade '%s' is given twice (first at line %d; %s)", it->id,
                 r->line[np + u], at(s, up->line, w, sizeof w));
            return;
        }
        if (it->option)
            viol(s, it->file, it->line, "portfolio-unknown-option",
                 "upgrade '%s' has no financing options (give ID or ID:YEAR; %s)", it->id,
                 at(s, up->line, w, sizeof w));
        int lo, hi;
        ckp_plan_upgrade_window(plan, u, 0, &lo, &hi);
        int start = it->start ? it->start : lo;
        if (start < lo || start > hi || start + up->build_years > plan->last_year)
            viol(s, it->file, it->line, "portfolio-start",
                 "upgrade '%s' cannot start in %d: its start window is %d-%d and it must be "
                 "online (build %d years) by %d (%s)", it->id, start, lo, hi,
                 up->build_years, plan->last_year, at(s, up->line, w, sizeof w));
        r->upgrade_start[u] = start;
        r->line[np + u] = it->line;
        s->file[np + u] = it->file;
        return;
    }
    const ckp_stockpile *sp = &plan->stockpiles[k];
    if (r->stockpile[k]) {
        viol(s, it->file, it->line, "portfolio-duplicate",
             "stockpile '%s' is given twice (first at line %d; %s)", it->id,
             r->line[np + nu + k], at(s, sp->line, w, sizeof w));
        return;
    }
    if (it->option || (it->start && it->start != sp->year))
        viol(s, it->file, it->line, "portfolio-start",
             "stockpile '%s' is bought in %d, the plan's year (%s)", it->id, sp->year,
             at(s, sp->line, w, sizeof w));
    if (sp->year < plan->first_year || sp->year > plan->last_year)
        viol(s, it->file, it->line, "portfolio-start",
             "stockpile '%s' is bought in %d, outside the horizon %d-%d (%s)", it->id,
             sp->year, plan->first_year, plan->last_year, at(s, sp->line, w, sizeof w));
    r->stockpile[k] = 1;
    r->line[np + nu + k] = it->line;
    s->file[np + nu + k] = it->file;
}

/* Id of decision i: projects, then upgrades, then stockpiles. */
static const char *item_name(const ckp_plan *plan, int i)
{
    if (i < plan->n_projects) return plan->projects[i].id;
    i -= plan->n_projects;
    if (i < plan->n_upgrades) return plan->upgrades[i].id;
    return plan->stockpiles[i - plan->n_upgrades].id;
}

/* "plan.csv:3, item us-sep" for the decisions i with share[i] > 0 (an
 * item given without a file is named by its id). */
static void lines_of(rs *s, const double *share, char *buf, size_t size)
{
    int n_all = s->plan->n_projects + s->plan->n_upgrades + s->plan->n_stockpiles;
    size_t n = 0;
    buf[0] = '\0';
    for (int i = 0; i < n_all; i++) {
        if (!(share[i] > 0)) continue;
        int m = s->file[i] ? snprintf(buf + n, size - n, "%s%s:%d", n ? ", " : "",
                                      s->file[i], s->r->line[i])
                           : snprintf(buf + n, size - n, "%sitem %s", n ? ", " : "",
                                      item_name(s->plan, i));
        if (m < 0 || (size_t)m >= size - n) {
            if (size > 4) strcpy(buf + size - 4, "...");
            return;
        }
        n += (size_t)m;
    }
}

/* Budget: total and per year.  share[i]: what decision i pays (total) or
 * pays in the year (per year), for naming the lines that pay. */
static ckp_status check_budget(rs *s, double total, const double *spend,
                               const double *limit, const int *limit_line)
{
    const ckp_plan *plan = s->plan;
    int np = plan->n_projects, nu = plan->n_upgrades, nk = plan->n_stockpiles;
    int Y = ckp_plan_n_years(plan), n_all = np + nu + nk;
    ckp_resolved *r = s->r;
    double *share = ckp_calloc((size_t)n_all + 1, sizeof *share);
    double *one = ckp_calloc((size_t)Y + 1, sizeof *one);
    char *lines = ckp_malloc(2000);
    char w[600];
    if (!share || !one || !lines) {
        ckp_free(share);
        ckp_free(one);
        ckp_free(lines);
        return CKP_ENOMEM;
    }
    /* in the budget's measure (docs/finance.md); commitment by default */
    ckp_fin_measure fm = plan->budget.measure;
    int commit = fm == CKP_FIN_COMMITMENT;
    double used = 0;
    for (int p = 0; p < np; p++)
        if (r->option[p] >= 0)
            share[p] = commit ? plan->projects[p].options[r->option[p]].commitment
                              : ckp_option_figure_total(plan, p, r->option[p], r->start[p], fm);
    for (int u = 0; u < nu; u++)
        if (r->upgrade_start[u] >= 0) share[np + u] = ckp_spending_total(plan->upgrades[u].cost, fm);
    for (int k = 0; k < nk; k++)
        if (r->stockpile[k]) share[np + nu + k] = ckp_spending_total(plan->stockpiles[k].cost, fm);
    for (int i = 0; i < n_all; i++) used += share[i];
    if (commit) used = r->commitment;
    char verb[64];
    if (commit) snprintf(verb, sizeof verb, "commits");
    else snprintf(verb, sizeof verb, "counts, in %s,", ckp_fin_measure_str(fm));
    if (isfinite(total) && used > total * (1 + 1e-9) + 1e-9) {
        lines_of(s, share, lines, 2000);
        viol(s, s->main_file, 0, "portfolio-budget-total",
             "the portfolio %s %.1f M, over the total budget of %.1f M by %.1f M "
             "(%s; committed at %s)", verb, used, total, used - total,
             s->budget_override ? "budget override"
             : plan->budget.line ? at(s, plan->budget.line, w, sizeof w) : "the plan",
             lines);
    }
    for (int y = 0; y < Y; y++) {
        if (!(spend[y] > limit[y] * (1 + 1e-9) + 1e-9)) continue;
        /* what each decision pays in year y */
        for (int i = 0; i < n_all; i++) share[i] = 0;
        for (int p = 0; p < np; p++) {
            if (r->option[p] < 0) continue;
            const ckp_option *o = &plan->projects[p].options[r->option[p]];
            for (int t = 0; t < Y; t++) one[t] = 0;
            ckp_disburse(one, Y, plan->first_year, r->start[p], o->commitment, o->schedule,
                        o->n_schedule);
            share[p] = commit ? one[y]
                              : ckp_option_figure(plan, p, r->option[p], r->start[p], fm,
                                                  plan->first_year + y);
        }
        for (int u = 0; u < nu; u++) {
            if (r->upgrade_start[u] < 0) continue;
            const ckp_upgrade *up = &plan->upgrades[u];
            for (int t = 0; t < Y; t++) one[t] = 0;
            ckp_disburse(one, Y, plan->first_year, r->upgrade_start[u], up->cost,
                        up->schedule, up->n_schedule);
            share[np + u] = commit || !ckp_fin_measure_is_stock(fm) ? one[y] : 0;
        }
        for (int k = 0; k < nk; k++)
            share[np + nu + k] =
                r->stockpile[k] && plan->stockpiles[k].year == plan->first_year + y &&
                        (commit || !ckp_fin_measure_is_stock(fm))
                    ? plan->stockpiles[k].cost : 0;
        lines_of(s, share, lines, 2000);
        viol(s, s->main_file, 0, "portfolio-budget-year",
             "%d: the portfolio %s %.1f M, over the year's limit of %.1f M by %.1f M "
             "(%s; paid by %s)", plan->first_year + y, commit ? "disburses" : verb, spend[y],
             limit[y],
             spend[y] - limit[y],
             limit_line[y] < 0 ? "year-limit override" : at(s, limit_line[y], w, sizeof w),
             lines);
    }
    ckp_free(share);
    ckp_free(one);
    ckp_free(lines);
    return CKP_OK;
}

/* The resolved portfolio's figure in measure fm in calendar year `year`
 * (year 0: its total, what a cap's total adds up), from the terms
 * (include/ckp/terms.h) as the model's rows count it. */
static double portfolio_figure(const ckp_plan *plan, const ckp_resolved *r,
                               ckp_fin_measure fm, int year)
{
    double v = 0;
    for (int p = 0; p < plan->n_projects; p++)
        if (r->option[p] >= 0)
            v += year ? ckp_option_figure(plan, p, r->option[p], r->start[p], fm, year)
                      : ckp_option_figure_total(plan, p, r->option[p], r->start[p], fm);
    for (int u = 0; u < plan->n_upgrades; u++) {
        const ckp_upgrade *up = &plan->upgrades[u];
        if (r->upgrade_start[u] >= 0)
            v += year ? ckp_spending_figure(up->cost, up->schedule, up->n_schedule,
                                            r->upgrade_start[u], fm, year)
                      : ckp_spending_total(up->cost, fm);
    }
    for (int k = 0; k < plan->n_stockpiles; k++) {
        const ckp_stockpile *st = &plan->stockpiles[k];
        if (r->stockpile[k])
            v += year ? ckp_spending_figure(st->cost, NULL, 0, st->year, fm, year)
                      : ckp_spending_total(st->cost, fm);
    }
    return v;
}

/* Every <cap> of the budget (docs/finance.md): each year's limit and the
 * total against the portfolio's figure in the cap's measure. */
static void check_caps(rs *s)
{
    const ckp_plan *plan = s->plan;
    char w[600];
    for (int c = 0; c < plan->budget.n_caps; c++) {
        const ckp_fin_cap *cap = &plan->budget.caps[c];
        const char *mname = ckp_fin_measure_str(cap->measure);
        for (int k = 0; k < cap->n_limits; k++) {
            int year = cap->limits[k].year;
            double v = portfolio_figure(plan, s->r, cap->measure, year);
            double lim = cap->limits[k].value;
            if (v > lim * (1 + 1e-9) + 1e-9)
                viol(s, s->main_file, 0, "portfolio-budget-cap",
                     "%d: the portfolio counts %.1f M of %s, over the cap of %.1f M by "
                     "%.1f M (%s)", year, v, mname, lim, v - lim,
                     at(s, cap->limits[k].line ? cap->limits[k].line : cap->line, w,
                        sizeof w));
        }
        if (isfinite(cap->total)) {
            double v = portfolio_figure(plan, s->r, cap->measure, 0);
            if (v > cap->total * (1 + 1e-9) + 1e-9)
                viol(s, s->main_file, 0, "portfolio-budget-cap",
                     "the portfolio counts %.1f M of %s in all, over the cap's total of %.1f M "
                     "by %.1f M (%s)", v, mname, cap->total, v - cap->total,
                     at(s, cap->line, w, sizeof w));
        }
    }
}

/* Infrastructure: per site and resource, the first year where the needs
 * of the funded projects online exceed the existing capacity plus the
 * funded upgrades online (one violation per site and resource, at its
 * worst year). */
static void check_infra(rs *s)
{
    const ckp_plan *plan = s->plan;
    const ckp_resolved *r = s->r;
    char w[600], w2[600];
    for (int site = 0; site < plan->n_sites; site++)
        for (int res = 0; res < plan->n_resources; res++) {
            double existing = 0;
            for (int k = 0; k < plan->sites[site].n_capacity; k++)
                if (plan->sites[site].capacity[k].resource.ix == res)
                    existing += plan->sites[site].capacity[k].amount;
            double worst = 0;
            int worst_year = 0, who = -1;
            for (int year = plan->first_year; year <= plan->last_year; year++) {
                double need = 0, have = existing;
                int first_p = -1;
                for (int p = 0; p < plan->n_projects; p++) {
                    const ckp_project *pr = &plan->projects[p];
                    if (r->option[p] < 0 || pr->site.ix != site) continue;
                    int lo, hi, delay;
                    ckp_plan_project_window(plan, p, 0, &lo, &hi, &delay);
                    if (r->start[p] + delay > year) continue;
                    for (int k = 0; k < pr->n_needs; k++)
                        if (pr->needs[k].resource.ix == res && pr->needs[k].amount > 0) {
                            need += pr->needs[k].amount;
                            if (first_p < 0) first_p = p;
                        }
                }
                for (int u = 0; u < plan->n_upgrades; u++) {
                    const ckp_upgrade *up = &plan->upgrades[u];
                    if (r->upgrade_start[u] < 0 || up->site.ix != site ||
                        up->resource.ix != res)
                        continue;
                    if (r->upgrade_start[u] + up->build_years <= year) have += up->amount;
                }
                if (need - have > worst + 1e-9 * (1 + need)) {
                    worst = need - have;
                    worst_year = year;
                    who = first_p;
                }
            }
            if (who < 0) continue;
            const ckp_project *pr = &plan->projects[who];
            const char *unit = plan->resources[res].unit ? plan->resources[res].unit : "";
            viol(s, s->file[who], r->line[who], "portfolio-infrastructure",
                 "site '%s' lacks %g %s of %s in %d for the funded projects online there "
                 "(first: '%s', %s); existing capacity at %s plus the funded upgrades "
                 "online fall short", plan->sites[site].id, worst, unit,
                 plan->resources[res].id, worst_year, pr->id, at(s, pr->line, w, sizeof w),
                 at(s, plan->sites[site].line, w2, sizeof w2));
        }
}

static void check_pairs(rs *s)
{
    const ckp_plan *plan = s->plan;
    const ckp_resolved *r = s->r;
    char w[600];
    for (int p = 0; p < plan->n_projects; p++) {
        const ckp_project *pr = &plan->projects[p];
        if (r->option[p] < 0) continue;
        for (int k = 0; k < pr->n_requires; k++) {
            int q = pr->requires[k].ix;
            /* a committed project is built anyway: requiring it is met */
            if (q < 0 || q == p || r->option[q] >= 0 || plan->projects[q].committed) continue;
            viol(s, s->file[p], r->line[p], "portfolio-requires",
                 "project '%s' requires '%s', which is not funded (%s)", pr->id,
                 plan->projects[q].id, at(s, pr->requires[k].line, w, sizeof w));
        }
        /* excluding a committed project (either side declares it): that
           one is built anyway (docs/formulation.md 7h) */
        for (int q = 0; q < plan->n_projects; q++) {
            const ckp_project *pq = &plan->projects[q];
            if (!pq->committed || q == p) continue;
            int line = 0;
            for (int k = 0; k < pr->n_excludes && !line; k++)
                if (pr->excludes[k].ix == q) line = pr->excludes[k].line;
            for (int k = 0; k < pq->n_excludes && !line; k++)
                if (pq->excludes[k].ix == p) line = pq->excludes[k].line;
            if (line)
                viol(s, s->file[p], r->line[p], "portfolio-excludes",
                     "project '%s' excludes the committed project '%s', which is built "
                     "with or without the bank (%s)", pr->id, pq->id,
                     at(s, line, w, sizeof w));
        }
        for (int k = 0; k < pr->n_excludes; k++) {
            int q = pr->excludes[k].ix;
            if (q < 0 || q == p || r->option[q] < 0) continue;
            /* once per pair: at the later line of the two, unless q declares
               the exclusion too and p < q */
            int mirrored = 0;
            for (int j = 0; j < plan->projects[q].n_excludes; j++)
                if (plan->projects[q].excludes[j].ix == p) mirrored = 1;
            if (mirrored && q < p) continue;
            viol(s, s->file[p], r->line[p], "portfolio-excludes",
                 "projects '%s' and '%s' exclude each other and both are funded (%s)",
                 pr->id, plan->projects[q].id, at(s, pr->excludes[k].line, w, sizeof w));
        }
    }
}

ckp_status ckp_portfolio_resolve(const ckp_plan *plan, const ckp_portfolio *pf,
                                 const ckp_model_params *mp, ckp_resolved **out,
                                 ckp_diag_list *diag)
{
    *out = NULL;
    int np = plan->n_projects, nu = plan->n_upgrades, nk = plan->n_stockpiles;
    int Y = ckp_plan_n_years(plan), n_all = np + nu + nk;
    ckp_resolved *r = ckp_calloc(1, sizeof *r);
    if (!r) return CKP_ENOMEM;
    r->option = ckp_malloc(((size_t)np + 1) * sizeof *r->option);
    r->start = ckp_calloc((size_t)np + 1, sizeof *r->start);
    r->upgrade_start = ckp_malloc(((size_t)nu + 1) * sizeof *r->upgrade_start);
    r->stockpile = ckp_calloc((size_t)nk + 1, 1);
    r->line = ckp_calloc((size_t)n_all + 1, sizeof *r->line);
    const char **file = ckp_calloc((size_t)n_all + 1, sizeof *file);
    double *spend = ckp_calloc((size_t)Y + 1, sizeof *spend);
    double *limit = ckp_malloc(((size_t)Y + 1) * sizeof *limit);
    int *limit_line = ckp_calloc((size_t)Y + 1, sizeof *limit_line);
    ckp_status rc = CKP_OK;
    if (!r->option || !r->start || !r->upgrade_start || !r->stockpile || !r->line || !file ||
        !spend || !limit || !limit_line) {
        rc = CKP_ENOMEM;
        goto done;
    }
    for (int p = 0; p < np; p++) r->option[p] = -1;
    for (int u = 0; u < nu; u++) r->upgrade_start[u] = -1;
    r->fixed.option = r->option;
    r->fixed.start = r->start;
    r->fixed.upgrade_start = r->upgrade_start;
    r->fixed.stockpile = r->stockpile;
    rs s = {plan, pf, r, diag, plan->path ? plan->path : "plan", 0,
            mp && !isnan(mp->budget_total), NULL, file};
    for (int i = 0; i < pf->n && !s.main_file; i++) s.main_file = pf->items[i].file;
    for (int i = 0; i < pf->n; i++) one_item(&s, &pf->items[i]);

    for (int p = 0; p < np; p++) {
        if (r->option[p] < 0) continue;
        const ckp_option *o = &plan->projects[p].options[r->option[p]];
        r->commitment += o->commitment;
        ckp_disburse(spend, Y, plan->first_year, r->start[p], o->commitment, o->schedule,
                    o->n_schedule);
    }
    for (int u = 0; u < nu; u++) {
        if (r->upgrade_start[u] < 0) continue;
        const ckp_upgrade *up = &plan->upgrades[u];
        r->commitment += up->cost;
        ckp_disburse(spend, Y, plan->first_year, r->upgrade_start[u], up->cost, up->schedule,
                    up->n_schedule);
    }
    for (int k = 0; k < nk; k++) {
        if (!r->stockpile[k]) continue;
        r->commitment += plan->stockpiles[k].cost;
        ckp_disburse(spend, Y, plan->first_year, plan->stockpiles[k].year,
                    plan->stockpiles[k].cost, NULL, 0);
    }
    /* another budget measure: each year's figure from the terms */
    if (plan->budget.measure != CKP_FIN_COMMITMENT) {
        ckp_fin_measure fm = plan->budget.measure;
        for (int y = 0; y < Y; y++) spend[y] = portfolio_figure(plan, r, fm, plan->first_year + y);
    }
    for (int y = 0; y < Y; y++) limit[y] = INFINITY;
    for (int k = 0; k < plan->budget.n_limits; k++) {
        int y = plan->budget.limits[k].year - plan->first_year;
        if (y < 0 || y >= Y || !(plan->budget.limits[k].value < limit[y])) continue;
        limit[y] = plan->budget.limits[k].value;
        limit_line[y] = plan->budget.limits[k].line;
    }
    /* the overrides, as the model applies them (docs/formulation.md 6,
       "Per-year limits"): the plan's limits scaled with the total, then
       the explicit ones; line -1 = set by an override */
    if (mp && mp->scale_year_limits && !isnan(mp->budget_total) &&
        isfinite(plan->budget.total) && plan->budget.total > 0) {
        double f = mp->budget_total / plan->budget.total;
        for (int y = 0; y < Y; y++)
            if (isfinite(limit[y])) {
                limit[y] *= f;
                limit_line[y] = -1;
            }
    }
    for (int k = 0; mp && k < mp->n_year_limits; k++) {
        int y = mp->year_limits[k].year - plan->first_year;
        if (y < 0 || y >= Y) continue;
        limit[y] = mp->year_limits[k].value;
        limit_line[y] = -1;
    }
    double total = mp && !isnan(mp->budget_total) ? mp->budget_total : plan->budget.total;
    CKP_TRY_GOTO(rc, check_budget(&s, total, spend, limit, limit_line), done);
    check_caps(&s);
    check_infra(&s);
    check_pairs(&s);
    if (s.oom) rc = CKP_ENOMEM;
done:
    ckp_free(file);
    ckp_free(spend);
    ckp_free(limit);
    ckp_free(limit_line);
    if (rc != CKP_OK) {
        ckp_resolved_free(r);
        return rc;
    }
    *out = r;
    return CKP_OK;
}
