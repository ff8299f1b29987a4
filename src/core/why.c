/* why.c: why a model is infeasible (docs/formulation.md 7g).  An elastic
 * copy of the model: every row of a hard group (the total budget, the
 * year limits, infrastructure, forced projects, requires, excludes) gets
 * a slack column with a weight that makes the slacks of different units
 * comparable, and start years outside a window get columns of their own
 * with a price; the MIP minimising the weighted slack is the
 * least relaxation, and each row whose slack is positive is reported with
 * the plan line or command-line option that sets it. */
#include "core/why.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "input/plan_time.h"
#include "util/alloc.h"

/* A slack below this (relative to max(1, limit)) is solver round-off. */
#define CKP_RELAX_EPS 1e-6

static int hard_kind(const ckp_model *m, int i, ckp_relax_kind *kind)
{
    const ckp_mip *mip = &m->mip;
    switch (m->row_kind[i]) {
    case CKP_ROW_BUDGET_TOTAL: *kind = CKP_RELAX_BUDGET_TOTAL; break;
    case CKP_ROW_BUDGET_YEAR: *kind = CKP_RELAX_BUDGET_YEAR; break;
    case CKP_ROW_INFRA: *kind = CKP_RELAX_INFRA; break;
    case CKP_ROW_REQUIRES: *kind = CKP_RELAX_REQUIRES; break;
    case CKP_ROW_EXCLUDES: *kind = CKP_RELAX_EXCLUDES; break;
    case CKP_ROW_FIN_CAP: *kind = CKP_RELAX_FIN_CAP; break;
    case CKP_ROW_ONE:
        if (!(mip->row_lb[i] >= 1.0)) return 0; /* not forced */
        *kind = CKP_RELAX_FORCE;
        return 1;
    default: return 0;
    }
    return isfinite(mip->row_ub[i]);
}

/* Weight of one unit of slack: money and resources relative to their
 * limit (10 % over a budget weighs 0.1); a plan's requires or excludes 1;
 * dropping a forced project 2 (the user asked for it: a plan rule or a
 * limit is loosened first). */
static double weight(ckp_relax_kind k, double limit)
{
    switch (k) {
    case CKP_RELAX_BUDGET_TOTAL:
    case CKP_RELAX_BUDGET_YEAR:
    case CKP_RELAX_FIN_CAP:
    case CKP_RELAX_INFRA: return 1.0 / fmax(1.0, fabs(limit));
    case CKP_RELAX_FORCE: return 2.0;
    default: return 1.0;
    }
}

/* The plan line that sets row i's limit (0 = none in the plan). */
static int row_line(const ckp_model *m, const ckp_relaxation *x)
{
    const ckp_plan *plan = m->plan;
    switch (x->kind) {
    case CKP_RELAX_BUDGET_TOTAL:
        return isnan(m->params.budget_total) ? plan->budget.line : 0;
    case CKP_RELAX_FIN_CAP: /* the cap of that measure, or its year's limit */
        for (int i = 0; i < plan->budget.n_caps; i++) {
            const ckp_fin_cap *cap = &plan->budget.caps[i];
            if ((int)cap->measure != x->a) continue;
            for (int k = 0; x->year >= 0 && k < cap->n_limits; k++)
                if (cap->limits[k].year == x->year) return cap->limits[k].line;
            if (x->year < 0 && isfinite(cap->total)) return cap->line;
        }
        return plan->budget.line;
    case CKP_RELAX_BUDGET_YEAR:
        for (int k = 0; k < plan->budget.n_limits; k++)
            if (plan->budget.limits[k].year == x->year) return plan->budget.limits[k].line;
        return plan->budget.line;
    case CKP_RELAX_INFRA: {
        const ckp_site *s = &plan->sites[x->a];
        for (int k = 0; k < s->n_capacity; k++)
            if (s->capacity[k].resource.ix == x->b) return s->capacity[k].line;
        return s->line;
    }
    case CKP_RELAX_FORCE: return plan->projects[x->a].line;
    case CKP_RELAX_WINDOW:
    case CKP_RELAX_UPGRADE_WINDOW: return x->line; /* set by report_windows */
    case CKP_RELAX_REQUIRES:
    case CKP_RELAX_EXCLUDES: {
        const ckp_project *p = &plan->projects[x->a];
        const ckp_ref *refs = x->kind == CKP_RELAX_REQUIRES ? p->requires : p->excludes;
        int n = x->kind == CKP_RELAX_REQUIRES ? p->n_requires : p->n_excludes;
        for (int k = 0; k < n; k++)
            if (refs[k].ix == x->b) return refs[k].line;
        /* excludes: the declaration may sit on the other project */
        const ckp_project *q = &plan->projects[x->b];
        for (int k = 0; k < q->n_excludes && x->kind == CKP_RELAX_EXCLUDES; k++)
            if (q->excludes[k].ix == x->a) return q->excludes[k].line;
        return p->line;
    }
    }
    return 0;
}

/* The start window of project i (upgrade i when up) clipped to the
 * horizon, as the builder sees it without open_windows. */
static void window_of(const ckp_plan *plan, int up, int i, int *lo, int *hi)
{
    int lead;
    if (up)
        ckp_plan_upgrade_window(plan, i, 0, lo, hi);
    else
        ckp_plan_project_window(plan, i, 0, lo, hi, &lead);
}

/* Does any project or upgrade have a start window narrower than the
 * horizon?  Then the explanation is built with open windows. */
static int has_windows(const ckp_plan *plan)
{
    for (int up = 0; up < 2; up++)
        for (int i = 0; i < (up ? plan->n_upgrades : plan->n_projects); i++) {
            int lo, hi;
            window_of(plan, up, i, &lo, &hi);
            if (lo > plan->first_year || hi < plan->last_year) return 1;
        }
    return 0;
}

/* Weight of starting one project or upgrade outside its window: a plan
 * rule, as much as a requires or an excludes. */
#define CKP_WINDOW_WEIGHT 1.0

/* Start columns of w outside their window get the window weight in the
 * objective; *cols / *n list them (as 2 ints: kind 0 project start index,
 * 1 upgrade start index, then the index). */
static ckp_status price_windows(const ckp_model *w, ckp_mip *mip, int **list, int *n)
{
    const ckp_plan *plan = w->plan;
    *list = ckp_malloc(2 * ((size_t)w->n_starts + (size_t)w->n_ustarts + 1) * sizeof **list);
    *n = 0;
    if (!*list) return CKP_ENOMEM;
    for (int k = 0; k < w->n_starts; k++) {
        const ckp_start_var *v = &w->starts[k];
        int lo, hi;
        window_of(plan, 0, v->project, &lo, &hi);
        if (v->start >= lo && v->start <= hi) continue;
        mip->obj[v->col] = CKP_WINDOW_WEIGHT;
        (*list)[2 * *n] = 0;
        (*list)[2 * (*n)++ + 1] = k;
    }
    for (int k = 0; k < w->n_ustarts; k++) {
        const ckp_upgrade_var *v = &w->ustarts[k];
        int lo, hi;
        window_of(plan, 1, v->upgrade, &lo, &hi);
        if (v->start >= lo && v->start <= hi) continue;
        mip->obj[v->col] = CKP_WINDOW_WEIGHT;
        (*list)[2 * *n] = 1;
        (*list)[2 * (*n)++ + 1] = k;
    }
    return CKP_OK;
}

/* One reported relaxation per start outside its window that the least
 * relaxation uses. */
static void report_windows(const ckp_model *w, const double *x, const int *list, int n,
                           ckp_relaxation *rel, int *k)
{
    const ckp_plan *plan = w->plan;
    for (int t = 0; t < n; t++) {
        int up = list[2 * t], ix = list[2 * t + 1];
        int col = up ? w->ustarts[ix].col : w->starts[ix].col;
        if (!(x[col] > 0.5)) continue;
        int who = up ? w->ustarts[ix].upgrade : w->starts[ix].project;
        int start = up ? w->ustarts[ix].start : w->starts[ix].start;
        int lo, hi;
        window_of(plan, up, who, &lo, &hi);
        ckp_relaxation *r = &rel[(*k)++];
        r->kind = up ? CKP_RELAX_UPGRADE_WINDOW : CKP_RELAX_WINDOW;
        r->a = who;
        r->b = -1;
        r->year = start;
        r->limit = start < lo ? lo : hi;
        r->need = start;
        r->line = up ? plan->upgrades[who].line : plan->projects[who].line;
    }
}

ckp_status ckp_why_infeasible(const ckp_model *m0, const ckp_solve_params *sp,
                              ckp_relaxation **out, int *n_out, ckp_diag_list *diag)
{
    ckp_model *wide = NULL;
    const ckp_model *m = m0;
    ckp_mip mip;
    ckp_solution *s = NULL;
    int *slack_row = NULL, n_slack = 0, *win = NULL, n_win = 0;
    ckp_relaxation *rel = NULL;
    *out = NULL;
    *n_out = 0;
    memset(&mip, 0, sizeof mip);
    ckp_status rc = CKP_OK;
    /* Start windows are not rows: rebuild with every start year of the
       horizon and price the starts outside a window instead.  A fixed
       portfolio (evaluate) has no start to move. */
    if (!m0->params.fixed && has_windows(m0->plan)) {
        ckp_model_params wp = m0->params;
        wp.open_windows = 1;
        ckp_diag_list quiet;
        ckp_diag_list_init(&quiet);
        rc = ckp_model_build(m0->plan, &wp, &wide, &quiet);
        ckp_diag_list_fini(&quiet);
        if (rc == CKP_ENOMEM) goto done;
        if (rc == CKP_OK) m = wide; /* else explain with the windows fixed */
        rc = CKP_OK;
    }
    const ckp_mip *src = &m->mip;
    rc = ckp_mip_copy(src, &mip);
    slack_row = ckp_malloc(((size_t)src->n_rows + 1) * sizeof *slack_row);
    if (rc == CKP_OK && !slack_row) rc = CKP_ENOMEM;
    if (rc != CKP_OK) goto done;
    for (int j = 0; j < mip.n_cols; j++) mip.obj[j] = 0;
    mip.obj_const = 0;
    if (m == wide) CKP_TRY_GOTO(rc, price_windows(m, &mip, &win, &n_win), done);
    for (int i = 0; i < src->n_rows; i++) {
        ckp_relax_kind k;
        if (m->row_kind[i] == CKP_ROW_GOAL) { /* min-cost: its own explanation */
            mip.row_lb[i] = -INFINITY;
            mip.row_ub[i] = INFINITY;
            continue;
        }
        if (!hard_kind(m, i, &k)) continue;
        char name[64];
        int col;
        snprintf(name, sizeof name, "relax%d", i);
        double limit = k == CKP_RELAX_FORCE ? 1.0 : src->row_ub[i];
        CKP_TRY_GOTO(rc, ckp_mip_add_col(&mip, name, CKP_COL_CONTINUOUS, 0,
                                         k == CKP_RELAX_FORCE ? 1.0 : INFINITY,
                                         weight(k, limit), &col), done);
        CKP_TRY_GOTO(rc, ckp_mip_add_coef(&mip, i, col, k == CKP_RELAX_FORCE ? 1.0 : -1.0),
                     done);
        slack_row[n_slack++] = i;
    }
    if (n_slack == 0 && n_win == 0) goto done;
    ckp_solve_params q = *sp;
    q.progress = 0;
    q.verbose = 0;
    CKP_TRY_GOTO(rc, ckp_solve(&mip, &q, NULL, &s, diag), done);
    if (!s->x || (s->status != CKP_MIP_OPTIMAL && s->status != CKP_MIP_FEASIBLE)) goto done;
    rel = ckp_calloc((size_t)n_slack + (size_t)n_win + 1, sizeof *rel);
    if (!rel) {
        rc = CKP_ENOMEM;
        goto done;
    }
    int n = 0;
    report_windows(m, s->x, win, n_win, rel, &n);
    for (int t = 0; t < n_slack; t++) {
        int i = slack_row[t];
        double v = s->x[src->n_cols + t];
        ckp_relax_kind k;
        hard_kind(m, i, &k);
        double limit = k == CKP_RELAX_FORCE ? 1.0 : src->row_ub[i];
        if (!(v > CKP_RELAX_EPS * fmax(1.0, fabs(limit)))) continue;
        ckp_relaxation *x = &rel[n++];
        x->kind = k;
        x->a = x->b = x->year = -1;
        const int *ref = &m->row_ref[3 * i];
        double money = m->money_scale;
        switch (k) {
        case CKP_RELAX_BUDGET_TOTAL:
            x->limit = limit * money;
            x->need = (limit + v) * money;
            break;
        case CKP_RELAX_BUDGET_YEAR:
            for (int y = 0; y < m->n_years; y++)
                if (m->budget_year_row[y] == i) x->year = m->plan->first_year + y;
            x->limit = limit * money;
            x->need = (limit + v) * money;
            break;
        case CKP_RELAX_INFRA:
            x->a = ref[0];
            x->b = ref[1];
            x->year = ref[2];
            x->limit = limit;
            x->need = limit + v;
            break;
        case CKP_RELAX_FIN_CAP: /* row_ref: measure, -1, year (-1 = total) */
            x->a = ref[0];
            x->year = ref[2];
            x->limit = limit * money;
            x->need = (limit + v) * money;
            break;
        case CKP_RELAX_FORCE:
            x->a = ref[0];
            x->limit = 1;
            x->need = 1 - v;
            break;
        case CKP_RELAX_REQUIRES:
        case CKP_RELAX_EXCLUDES:
            x->a = ref[0];
            x->b = ref[1];
            x->limit = limit;
            x->need = limit + v;
            break;
        case CKP_RELAX_WINDOW:
        case CKP_RELAX_UPGRADE_WINDOW: break; /* not rows */
        }
        x->line = row_line(m, x);
    }
    *out = rel;
    *n_out = n;
    rel = NULL;
done:
    ckp_free(rel);
    ckp_free(slack_row);
    ckp_free(win);
    ckp_solution_free(s);
    ckp_mip_fini(&mip);
    ckp_model_free(wide);
    return rc;
}

/* "forced projects a b need" (the forced ids) or, without any, `other` +
 * "needs" ("forced project a needs"). */
static void who(const ckp_result *r, const char *other, char *buf, size_t size)
{
    const ckp_model_params *mp = &r->model_params;
    if (mp->n_force == 0) {
        snprintf(buf, size, "%s needs", other);
        return;
    }
    size_t k = (size_t)snprintf(buf, size, mp->n_force > 1 ? "forced projects" : "forced project");
    for (int i = 0; i < mp->n_force && k < size; i++)
        k += (size_t)snprintf(buf + k, size - k, " %s", mp->force[i]);
    if (k < size) snprintf(buf + k, size - k, mp->n_force > 1 ? " need" : " needs");
}

static void where(const ckp_result *r, int line, const char *flag, char *buf, size_t size)
{
    if (line > 0)
        snprintf(buf, size, "%s:%d", r->plan->path ? r->plan->path : "plan", line);
    else
        snprintf(buf, size, "%s", flag);
}

void ckp_relaxation_text(const ckp_result *r, int i, char *buf, size_t size)
{
    const ckp_relaxation *x = &r->relax[i];
    const ckp_plan *plan = r->plan;
    char w[512], at[300];
    const char *cur = plan->currency ? plan->currency : "";
    switch (x->kind) {
    case CKP_RELAX_BUDGET_TOTAL:
        who(r, "the portfolio", w, sizeof w);
        where(r, x->line, "budget override", at, sizeof at);
        snprintf(buf, size, "%s %.1f %s m; the total budget is %.1f (%s)", w, x->need,
                 cur, x->limit, at);
        return;
    case CKP_RELAX_BUDGET_YEAR:
        who(r, "the portfolio", w, sizeof w);
        where(r, x->line, "the plan's budget", at, sizeof at);
        snprintf(buf, size, "%s %.1f %s m disbursed in %d; that year's limit is %.1f (%s)",
                 w, x->need, cur, x->year, x->limit, at);
        return;
    case CKP_RELAX_INFRA: {
        const ckp_resource *res = &plan->resources[x->b];
        who(r, "the portfolio", w, sizeof w);
        where(r, x->line, "the plan's sites", at, sizeof at);
        snprintf(buf, size, "%s %.4g %s more %s at site %s in %d than it has (existing "
                            "%.4g plus the upgrades funded; %s)", w, x->need - x->limit,
                 res->unit ? res->unit : "", res->id, plan->sites[x->a].id, x->year, x->limit,
                 at);
        return;
    }
    case CKP_RELAX_FORCE:
        where(r, x->line, "the plan", at, sizeof at);
        snprintf(buf, size, "forced project %s cannot be honoured with the other constraints: "
                            "project %s (%s)", plan->projects[x->a].id,
                 plan->projects[x->a].id, at);
        return;
    case CKP_RELAX_REQUIRES:
        where(r, x->line, "the plan", at, sizeof at);
        snprintf(buf, size, "project %s requires %s (%s), which cannot be funded%s",
                 plan->projects[x->a].id, plan->projects[x->b].id, at,
                 r->model_params.n_exclude > 0 ? " (see the excluded projects)" : "");
        return;
    case CKP_RELAX_EXCLUDES:
        where(r, x->line, "the plan", at, sizeof at);
        snprintf(buf, size, "projects %s and %s exclude each other (%s) but both are needed",
                 plan->projects[x->a].id, plan->projects[x->b].id, at);
        return;
    case CKP_RELAX_FIN_CAP: {
        const char *mw = ckp_fin_measure_str((ckp_fin_measure)x->a);
        who(r, "the portfolio", w, sizeof w);
        where(r, x->line, "the plan's budget", at, sizeof at);
        if (x->year >= 0)
            snprintf(buf, size, "%s %.1f %s m of %s in %d; the cap is %.1f (%s)", w, x->need,
                     cur, mw, x->year, x->limit, at);
        else
            snprintf(buf, size, "%s %.1f %s m of %s in all; the cap's total is %.1f (%s)", w,
                     x->need, cur, mw, x->limit, at);
        return;
    }
    case CKP_RELAX_WINDOW:
    case CKP_RELAX_UPGRADE_WINDOW: {
        int up = x->kind == CKP_RELAX_UPGRADE_WINDOW;
        where(r, x->line, "the plan", at, sizeof at);
        snprintf(buf, size, "%s %s would have to start in %d, %s its %s start %d (%s)",
                 up ? "upgrade" : "project",
                 up ? plan->upgrades[x->a].id : plan->projects[x->a].id, x->year,
                 x->need < x->limit ? "before" : "after",
                 x->need < x->limit ? "earliest" : "latest", (int)x->limit, at);
        return;
    }
    }
    snprintf(buf, size, "?");
}
