/* explain.c: what each choice of a portfolio buys (ckp_explain_run,
 * ckp/study.h; docs/study.md, "Explain").  One job per question, each a
 * ckp_run in a worker process (pool.c):
 *   - a funded project: the plan re-solved with it excluded (--exclude;
 *     under a fixed portfolio: dropped from it), so the rest is
 *     re-optimised; the objective rises by the exposure it buys;
 *   - a candidate not funded: re-solved with it forced (--force; under a
 *     fixed portfolio: added at its cheapest option and earliest start);
 *     the cost of forcing in exposure and money, and a reason class;
 *   - a budget limit (the total, each year's): re-solved with the limit
 *     100 M higher, a shallow copy of the plan with its own limits array
 *     (free portfolio only);
 *   - a site resource that keeps candidates out: re-solved with enough
 *     more of it for all of them, a shallow copy of the plan with its own
 *     sites array (free portfolio only).
 * Reason classes are decided in the order of ckp_why_not from the plan,
 * the explained result and the forced solve (docs/study.md). */
#include "ckp/study.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "study/study_int.h"
#include "input/plan_time.h"
#include "util/alloc.h"
#include "util/clock.h"

/* What 100 M more under a budget limit is worth. */
#define CKP_EXPLAIN_STEP 100.0

const char *ckp_why_not_str(ckp_why_not w)
{
    switch (w) {
    case CKP_WHY_HORIZON: return "horizon";
    case CKP_WHY_PAIR: return "requires-excludes";
    case CKP_WHY_NOT_BLOC: return "not-reaching-bloc";
    case CKP_WHY_PRICE: return "price";
    case CKP_WHY_INFRA: return "infrastructure";
    case CKP_WHY_CHEAPER: return "cheaper-same-stage";
    case CKP_WHY_BUDGET: return "budget";
    case CKP_WHY_NO_GAIN: return "no-gain";
    case CKP_WHY_EXCLUDED: return "excluded";
    case CKP_WHY_NOT_CHOSEN: return "not-chosen";
    case CKP_WHY_COMMITTED: return "committed";
    }
    return "?";
}

void ckp_explain_free(ckp_explain *e)
{
    if (!e) return;
    ckp_free(e->items);
    ckp_free(e->binding);
    ckp_free(e->infra);
    ckp_free(e);
}

typedef enum job_kind { JOB_DROP, JOB_FORCE, JOB_LIMIT, JOB_INFRA } job_kind;

typedef struct job {
    job_kind kind;
    int project;   /* DROP, FORCE; INFRA: the site */
    int year;      /* LIMIT: 0 total, else the year; INFRA: the resource */
    double step;   /* INFRA: capacity added */
} job;

typedef struct job_rec {
    double objective;   /* NAN: no solution */
    double commitment;
    int status;         /* ckp_mip_status, -1 when the model was refused */
    int displaced_same; /* FORCE: a funded project of the same stage, no
                           dearer, left out of the forced portfolio; -1 */
    int displaced_any;  /* FORCE: 1 when any funded item was left out */
} job_rec;

typedef struct ctx {
    const ckp_plan *plan;
    const ckp_model_params *mp;
    const ckp_solve_params *sp;
    const ckp_result *r;
    const job *jobs;
    const ckp_baseline *base; /* solved once for every job; NULL = each solves it */
    double bound;             /* r's proven exposure key, NAN = none */
} ctx;

static double cheapest(const ckp_project *p)
{
    double c = INFINITY;
    for (int o = 0; o < p->n_options; o++)
        if (p->options[o].commitment < c) c = p->options[o].commitment;
    return c;
}

static int stage_of(const ckp_plan *plan, int p)
{
    int c = plan->projects[p].output.ix;
    return c >= 0 ? plan->commodities[c].stage.ix : -1;
}

/* Items of r left out of r2 (projects by index; upgrades, stockpiles). */
static void displaced(const ctx *c, const ckp_result *r2, int q, job_rec *out)
{
    const ckp_plan *plan = c->plan;
    const ckp_result *r = c->r;
    double qc = cheapest(&plan->projects[q]);
    out->displaced_same = -1;
    out->displaced_any = 0;
    for (int i = 0; i < r->n_picks; i++) {
        int p = r->picks[i].project, kept = 0;
        for (int j = 0; j < r2->n_picks; j++) kept |= r2->picks[j].project == p;
        if (kept) continue;
        out->displaced_any = 1;
        if (out->displaced_same < 0 && stage_of(plan, p) == stage_of(plan, q) &&
            r->picks[i].commitment <= qc * (1 + 1e-9))
            out->displaced_same = p;
    }
    for (int i = 0; i < r->n_upgrade_picks; i++) {
        int kept = 0;
        for (int j = 0; j < r2->n_upgrade_picks; j++)
            kept |= r2->upgrade_picks[j].upgrade == r->upgrade_picks[i].upgrade;
        if (!kept) out->displaced_any = 1;
    }
}

static ckp_status run_job(int i, void *arg, void *recp)
{
    ctx *c = arg;
    const job *jb = &c->jobs[i];
    const ckp_plan *plan = c->plan;
    job_rec *rec = recp;
    int np = plan->n_projects;
    rec->objective = rec->commitment = NAN;
    rec->status = -1;
    rec->displaced_same = -1;
    ckp_model_params m = *c->mp;
    ckp_solve_params s = *c->sp;
    s.progress = 0;
    s.verbose = 0;
    st_start warm;
    memset(&warm, 0, sizeof warm);
    ckp_plan copy;
    ckp_year_value *limits = NULL;
    ckp_site *sites = NULL;
    ckp_amount *cap = NULL;
    const ckp_plan *use = plan;
    const char **ids = NULL;
    int *opt = NULL, *start = NULL;
    ckp_fixed_portfolio fx;
    ckp_status rc = CKP_OK;
    if (jb->kind == JOB_INFRA) {
        /* a shallow copy of the plan whose site has step more */
        const ckp_site *st = &plan->sites[jb->project];
        copy = *plan;
        sites = ckp_malloc(((size_t)plan->n_sites + 1) * sizeof *sites);
        cap = ckp_malloc(((size_t)st->n_capacity + 1) * sizeof *cap);
        if (!sites || !cap) {
            rc = CKP_ENOMEM;
            goto done;
        }
        memcpy(sites, plan->sites, (size_t)plan->n_sites * sizeof *sites);
        memcpy(cap, st->capacity, (size_t)st->n_capacity * sizeof *cap);
        int k = 0;
        while (k < st->n_capacity && cap[k].resource.ix != jb->year) k++;
        if (k == st->n_capacity) {
            memset(&cap[k], 0, sizeof cap[k]);
            cap[k].resource.id = plan->resources[jb->year].id;
            cap[k].resource.ix = jb->year;
        }
        cap[k].amount += jb->step;
        sites[jb->project].capacity = cap;
        sites[jb->project].n_capacity = st->n_capacity + (k == st->n_capacity);
        copy.sites = sites;
        use = &copy;
    } else if (jb->kind == JOB_LIMIT) {
        if (jb->year == 0) {
            double total = isnan(m.budget_total) ? plan->budget.total : m.budget_total;
            m.budget_total = total + CKP_EXPLAIN_STEP;
        } else {
            copy = *plan;
            limits = ckp_malloc(((size_t)plan->budget.n_limits + 1) * sizeof *limits);
            if (!limits) return CKP_ENOMEM;
            memcpy(limits, plan->budget.limits, (size_t)plan->budget.n_limits * sizeof *limits);
            for (int k = 0; k < plan->budget.n_limits; k++)
                if (limits[k].year == jb->year) limits[k].value += CKP_EXPLAIN_STEP;
            copy.budget.limits = limits;
            use = &copy;
        }
    } else if (m.fixed) {
        opt = ckp_malloc(((size_t)np + 1) * sizeof *opt);
        start = ckp_malloc(((size_t)np + 1) * sizeof *start);
        if (!opt || !start) {
            rc = CKP_ENOMEM;
            goto done;
        }
        memcpy(opt, m.fixed->option, (size_t)np * sizeof *opt);
        memcpy(start, m.fixed->start, (size_t)np * sizeof *start);
        int p = jb->project;
        if (jb->kind == JOB_DROP) {
            opt[p] = -1;
        } else {
            const ckp_project *pr = &plan->projects[p];
            int lo, hi, delay, o = 0;
            for (int k = 1; k < pr->n_options; k++)
                if (pr->options[k].commitment < pr->options[o].commitment) o = k;
            ckp_plan_project_window(plan, p, 0, &lo, &hi, &delay);
            opt[p] = o;
            start[p] = lo;
        }
        fx = *m.fixed;
        fx.option = opt;
        fx.start = start;
        m.fixed = &fx;
    } else {
        int n = jb->kind == JOB_DROP ? m.n_exclude : m.n_force;
        ids = ckp_malloc(((size_t)n + 2) * sizeof *ids);
        if (!ids) return CKP_ENOMEM;
        const char *const *old = jb->kind == JOB_DROP ? m.exclude : m.force;
        for (int k = 0; k < n; k++) ids[k] = old[k];
        ids[n] = plan->projects[jb->project].id;
        if (jb->kind == JOB_DROP) {
            m.exclude = ids;
            m.n_exclude = n + 1;
        } else {
            m.force = ids;
            m.n_force = n + 1;
        }
    }
    /* Warm start (docs/study.md, "Warm starts"): the baseline solved once;
       the explained portfolio as the first incumbent where it stays
       feasible (less the dropped project; a raised limit or capacity keeps
       all of it); its proven exposure as a lower bound where the re-solve
       only adds a constraint (drop, force). */
    ckp_run_hints h;
    ckp_run_hints_init(&h);
    if (!m.fixed) {
        h.baseline = c->base;
        if (jb->kind != JOB_FORCE) {
            CKP_TRY_GOTO(rc, st_start_from(c->r, jb->kind == JOB_DROP ? jb->project : -1,
                                           &warm), done);
            h.start = &warm.fx;
        }
        if (jb->kind == JOB_DROP || jb->kind == JOB_FORCE) h.exposure_bound = c->bound;
    }
    ckp_diag_list scratch;
    ckp_diag_list_init(&scratch);
    ckp_result *r2 = NULL;
    rc = ckp_run_hinted(use, &m, &s, &h, &r2, &scratch);
    ckp_diag_list_fini(&scratch);
    if (rc == CKP_EUSAGE || rc == CKP_EINFEASIBLE) { /* refused: no solution */
        rc = CKP_OK;
    } else if (rc == CKP_OK) {
        rec->status = (int)r2->status;
        if (r2->status == CKP_MIP_OPTIMAL || r2->status == CKP_MIP_FEASIBLE) {
            rec->objective = r2->objective_value;
            rec->commitment = r2->commitment_total;
            if (jb->kind == JOB_FORCE) displaced(c, r2, jb->project, rec);
        }
    }
    ckp_result_free(r2);
done:
    st_start_fini(&warm);
    ckp_free(limits);
    ckp_free(sites);
    ckp_free(cap);
    ckp_free(ids);
    ckp_free(opt);
    ckp_free(start);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Reason classes from the plan and the explained result                */

static int funded(const ckp_result *r, int p)
{
    for (int i = 0; i < r->n_picks; i++)
        if (r->picks[i].project == p) return 1;
    return 0;
}

static int cannot_come_online(const ckp_plan *plan, int q)
{
    int lo, hi, delay;
    ckp_plan_project_window(plan, q, 0, &lo, &hi, &delay);
    return lo > hi || lo + delay > plan->last_year;
}

/* PAIR: q excludes a funded project (either side declares it), or
 * requires one that is not funded; *other the project. */
static int pair_reason(const ckp_plan *plan, const ckp_result *r, int q, int *other)
{
    const ckp_project *pq = &plan->projects[q];
    for (int k = 0; k < pq->n_excludes; k++)
        if (pq->excludes[k].ix >= 0 && funded(r, pq->excludes[k].ix)) {
            *other = pq->excludes[k].ix;
            return 1;
        }
    for (int i = 0; i < r->n_picks; i++) {
        const ckp_project *pp = &plan->projects[r->picks[i].project];
        for (int k = 0; k < pp->n_excludes; k++)
            if (pp->excludes[k].ix == q) {
                *other = r->picks[i].project;
                return 1;
            }
    }
    for (int k = 0; k < pq->n_requires; k++)
        if (pq->requires[k].ix >= 0 && !funded(r, pq->requires[k].ix)) {
            *other = pq->requires[k].ix;
            return 1;
        }
    return 0;
}

/* NOT_BLOC: in every scenario and year from its earliest online year, its
 * output has no requirement or its exports to the bloc are stopped. */
static int not_bloc(const ckp_plan *plan, const ckp_result *r, int q)
{
    int lo, hi, delay, Y = r->n_years, nc = plan->n_commodities;
    ckp_plan_project_window(plan, q, 0, &lo, &hi, &delay);
    int c = plan->projects[q].output.ix, f = plan->n_facilities + q;
    if (c < 0) return 1;
    for (int s = 0; s < r->n_scenarios; s++)
        for (int year = lo + delay; year <= plan->last_year; year++) {
            int y = year - plan->first_year;
            double R = r->scen_requirement ? r->scen_requirement[(s * nc + c) * Y + y]
                                           : r->requirement[c * Y + y];
            double scale = ckp_scenario_export_scale(plan, r->scenario_plan[s],
                                                     ckp_plan_producer_country(plan, f), c,
                                                     year);
            if (R > 0 && scale > 0) return 0;
        }
    return 1;
}

/* PRICE: some scenario's price of its breakeven commodity is below the
 * breakeven in a year it could produce, and no option has price support. */
static int price_reason(const ckp_plan *plan, const ckp_result *r, int q)
{
    const ckp_project *p = &plan->projects[q];
    if (isnan(p->breakeven)) return 0;
    for (int o = 0; o < p->n_options; o++)
        if (ckp_instrument_price_support(p->options[o].instrument)) return 0;
    int c = p->breakeven_of.id ? p->breakeven_of.ix : p->output.ix;
    for (int s = 0; s < r->n_scenarios; s++)
        for (int year = plan->first_year; year <= plan->last_year; year++) {
            double price = ckp_scenario_price(plan, r->scenario_plan[s], c, year);
            if (!isnan(price) && price < p->breakeven) return 1;
        }
    return 0;
}

/* Resource res at site, [site * n_resources + res]: existing capacity
 * plus the funded upgrades, the needs of the funded and the committed
 * projects there, the line of the site's <capacity> of it (else the
 * site's); need and short_of are filled by infra_jobs. */
typedef struct room {
    double capacity, used, need;
    int line, short_of;
} room;

/* One pass over sites, upgrades funded and projects. */
static void rooms_fill(const ckp_plan *plan, const ckp_result *r, room *rm)
{
    int nr = plan->n_resources;
    for (int site = 0; site < plan->n_sites; site++) {
        const ckp_site *st = &plan->sites[site];
        for (int res = 0; res < nr; res++) rm[site * nr + res].line = st->line;
        for (int j = 0; j < st->n_capacity; j++) {
            int res = st->capacity[j].resource.ix;
            if (res < 0) continue;
            rm[site * nr + res].capacity += st->capacity[j].amount;
            rm[site * nr + res].line = st->capacity[j].line;
        }
    }
    for (int i = 0; i < r->n_upgrade_picks; i++) {
        const ckp_upgrade *u = &plan->upgrades[r->upgrade_picks[i].upgrade];
        if (u->site.ix >= 0 && u->resource.ix >= 0)
            rm[u->site.ix * nr + u->resource.ix].capacity += u->amount;
    }
    /* the needs of the funded projects, and of the committed ones (built
       anyway: they draw too) */
    unsigned char *draws = ckp_calloc((size_t)plan->n_projects + 1, 1);
    for (int i = 0; i < r->n_picks && draws; i++) draws[r->picks[i].project] = 1;
    for (int q = 0; q < plan->n_projects; q++) {
        const ckp_project *pp = &plan->projects[q];
        int funded_q = draws ? draws[q] : 0;
        if (!draws) /* no memory for the marks: look it up */
            for (int i = 0; i < r->n_picks; i++) funded_q |= r->picks[i].project == q;
        if (pp->site.ix < 0 || !(funded_q || pp->committed)) continue;
        for (int j = 0; j < pp->n_needs; j++)
            if (pp->needs[j].resource.ix >= 0)
                rm[pp->site.ix * nr + pp->needs[j].resource.ix].used += pp->needs[j].amount;
    }
    ckp_free(draws);
}

/* INFRA: a need of q at its site exceeds the existing capacity plus the
 * funded upgrades, less the needs of the funded projects there. */
static int infra_reason(const ckp_plan *plan, const room *rm, int q)
{
    const ckp_project *pq = &plan->projects[q];
    int site = pq->site.ix;
    if (site < 0) return 0;
    for (int k = 0; k < pq->n_needs; k++) {
        int res = pq->needs[k].resource.ix;
        if (res < 0 || !(pq->needs[k].amount > 0)) continue;
        const room *x = &rm[site * plan->n_resources + res];
        if (pq->needs[k].amount > x->capacity - x->used + 1e-9) return 1;
    }
    return 0;
}

/* The site resources that keep a candidate out (infra_reason), each once
 * (sites, then resources, in plan order): step = the needs of every
 * candidate q (not funded, not excluded, able to come online) at the
 * site less the room left.  Appends to e->infra and to the jobs. */
static void infra_jobs(const ckp_plan *plan, room *rm, ckp_explain *e, job *jl, int *n)
{
    int nr = plan->n_resources;
    for (int q = 0; q < plan->n_projects; q++) {
        const ckp_project *pq = &plan->projects[q];
        const ckp_explain_item *it = &e->items[q];
        if (pq->site.ix < 0 || it->funded || it->excluded || pq->committed ||
            cannot_come_online(plan, q))
            continue;
        int short_q = infra_reason(plan, rm, q);
        for (int k = 0; k < pq->n_needs; k++)
            if (pq->needs[k].resource.ix >= 0 && pq->needs[k].amount > 0) {
                room *x = &rm[pq->site.ix * nr + pq->needs[k].resource.ix];
                x->need += pq->needs[k].amount;
                x->short_of |= short_q;
            }
    }
    for (int site = 0; site < plan->n_sites; site++)
        for (int res = 0; res < nr; res++) {
            const room *x = &rm[site * nr + res];
            if (!x->short_of) continue;
            double step = x->need - (x->capacity - x->used);
            if (!(step > 1e-9)) continue;
            e->infra[e->n_infra++] = (ckp_infra_binding){site, res, x->capacity, x->used,
                                                         step, NAN, x->line};
            jl[(*n)++] = (job){JOB_INFRA, site, res, step};
        }
}

/* The tolerance under which an objective change is no change. */
static double tol(double v) { return 1e-7 * (fabs(v) > 1 ? fabs(v) : 1); }

ckp_status ckp_explain_run(const ckp_plan *plan, const ckp_model_params *mp,
                           const ckp_solve_params *sp, const ckp_result *r, int jobs,
                           ckp_explain **out, ckp_diag_list *diag)
{
    *out = NULL;
    if (!plan || !mp || !sp || !r) return CKP_EINTERNAL;
    if (mp->min_cost) {
        ckp_diag_add(diag, CKP_SEV_ERROR, NULL, 0, "bad-parameter",
                     "explain measures exposure, not cost: it does not apply to the "
                     "min-cost objective");
        return CKP_EUSAGE;
    }
    double t0 = ckp_clock_wall();
    int np = plan->n_projects, nl = plan->budget.n_limits;
    ckp_explain *e = ckp_calloc(1, sizeof *e);
    size_t n_sr = (size_t)plan->n_sites * (size_t)plan->n_resources;
    job *jl = ckp_malloc(((size_t)np + (size_t)nl + n_sr + 2) * sizeof *jl);
    job_rec *recs = NULL;
    room *rm = NULL;
    ckp_status rc = CKP_OK;
    if (!e || !jl) {
        rc = CKP_ENOMEM;
        goto fail;
    }
    e->objective = r->objective_value;
    e->commitment = r->commitment_total;
    e->jobs = jobs < 1 ? 1 : jobs;
    e->items = ckp_calloc((size_t)np + 1, sizeof *e->items);
    e->binding = ckp_calloc((size_t)nl + 2, sizeof *e->binding);
    e->infra = ckp_calloc(n_sr + 1, sizeof *e->infra);
    rm = ckp_calloc(n_sr + 1, sizeof *rm);
    if (!e->items || !e->binding || !e->infra || !rm) {
        rc = CKP_ENOMEM;
        goto fail;
    }
    rooms_fill(plan, r, rm);
    int n = 0;
    for (int p = 0; p < np; p++) {
        ckp_explain_item *it = &e->items[e->n_items++];
        it->project = p;
        it->funded = funded(r, p);
        it->other = -1;
        it->objective = it->delta = it->commitment = it->delta_money = it->per_100m = NAN;
        it->status = CKP_MIP_NO_SOLUTION;
        int forced = 0;
        for (int k = 0; k < mp->n_force; k++)
            forced |= mp->force[k] && strcmp(mp->force[k], plan->projects[p].id) == 0;
        int excluded = 0;
        for (int k = 0; k < mp->n_exclude; k++)
            excluded |= mp->exclude[k] && strcmp(mp->exclude[k], plan->projects[p].id) == 0;
        it->forced = it->funded && forced && !mp->fixed;
        it->excluded = !it->funded && excluded && !mp->fixed;
        if (it->forced) continue;
        if (!it->funded && (excluded || plan->projects[p].committed ||
                            cannot_come_online(plan, p)))
            continue;
        jl[n++] = (job){it->funded ? JOB_DROP : JOB_FORCE, p, 0, 0};
    }
    if (!mp->fixed) {
        double total = isnan(mp->budget_total) ? plan->budget.total : mp->budget_total;
        if (isfinite(total)) {
            e->binding[e->n_binding++] = (ckp_binding){0, total, r->commitment_total, NAN,
                                                       CKP_EXPLAIN_STEP,
                                                       isnan(mp->budget_total) ? plan->budget.line
                                                                               : 0};
            jl[n++] = (job){JOB_LIMIT, -1, 0, 0};
        }
        for (int y = 0; y < r->n_years; y++) {
            int year = plan->first_year + y, line = 0;
            double lim = INFINITY;
            for (int k = 0; k < nl; k++)
                if (plan->budget.limits[k].year == year && plan->budget.limits[k].value < lim) {
                    lim = plan->budget.limits[k].value;
                    line = plan->budget.limits[k].line;
                }
            if (!isfinite(lim)) continue;
            e->binding[e->n_binding++] = (ckp_binding){year, lim, r->spend[y], NAN,
                                                       CKP_EXPLAIN_STEP, line};
            jl[n++] = (job){JOB_LIMIT, -1, year, 0};
        }
        infra_jobs(plan, rm, e, jl, &n);
    }
    recs = ckp_calloc((size_t)n + 1, sizeof *recs);
    if (!recs) {
        rc = CKP_ENOMEM;
        goto fail;
    }
    ctx c = {plan, mp, sp, r, jl, NULL, st_proven_exposure(r)};
    ckp_baseline *base = NULL;
    if (!mp->fixed) { /* the workers inherit it */
        ckp_solve_params bsp = *sp;
        bsp.progress = 0;
        bsp.verbose = 0;
        ckp_diag_list scratch;
        ckp_diag_list_init(&scratch);
        rc = ckp_baseline_solve(plan, mp, &bsp, &base, &scratch);
        ckp_diag_list_fini(&scratch);
        if (rc == CKP_ENOMEM) goto fail;
        rc = CKP_OK; /* without it, each re-solve solves its own */
        c.base = base;
    }
    rc = ckp_run_jobs(n, jobs, run_job, &c, sizeof *recs, recs);
    ckp_baseline_free(base);
    if (rc != CKP_OK) goto fail;
    e->n_solves = n;

    int any_binds = 0, k_infra = 0;
    for (int i = 0; i < n; i++) {
        if (jl[i].kind == JOB_INFRA) e->infra[k_infra++].relaxed = recs[i].objective;
        if (jl[i].kind != JOB_LIMIT) continue;
        for (int b = 0; b < e->n_binding; b++)
            if (e->binding[b].year == jl[i].year) {
                e->binding[b].relaxed = recs[i].objective;
                if (recs[i].objective < e->objective - tol(e->objective)) any_binds = 1;
            }
    }
    for (int i = 0; i < n; i++) {
        if (jl[i].kind == JOB_LIMIT || jl[i].kind == JOB_INFRA) continue;
        ckp_explain_item *it = &e->items[jl[i].project];
        it->objective = recs[i].objective;
        it->status = recs[i].status < 0 ? CKP_MIP_INFEASIBLE : (ckp_mip_status)recs[i].status;
        it->commitment = recs[i].commitment;
        it->delta = it->objective - e->objective;
        it->delta_money = it->commitment - e->commitment;
        if (it->funded) {
            double own = 0;
            for (int k = 0; k < r->n_picks; k++)
                if (r->picks[k].project == it->project) own = r->picks[k].commitment;
            it->per_100m = own > 0 ? 100 * it->delta / own : NAN;
        }
    }
    /* reasons for the candidates not funded */
    for (int q = 0; q < np; q++) {
        ckp_explain_item *it = &e->items[q];
        if (it->funded) continue;
        int rec = -1;
        for (int i = 0; i < n; i++)
            if (jl[i].kind == JOB_FORCE && jl[i].project == q) rec = i;
        if (plan->projects[q].committed) it->why = CKP_WHY_COMMITTED;
        else if (it->excluded) it->why = CKP_WHY_EXCLUDED;
        else if (cannot_come_online(plan, q)) it->why = CKP_WHY_HORIZON;
        else if (pair_reason(plan, r, q, &it->other)) it->why = CKP_WHY_PAIR;
        else if (not_bloc(plan, r, q)) it->why = CKP_WHY_NOT_BLOC;
        else if (price_reason(plan, r, q)) it->why = CKP_WHY_PRICE;
        else if (infra_reason(plan, rm, q)) it->why = CKP_WHY_INFRA;
        else if (rec >= 0 && recs[rec].displaced_same >= 0) {
            it->why = CKP_WHY_CHEAPER;
            it->other = recs[rec].displaced_same;
        } else if ((rec >= 0 && recs[rec].displaced_any) || any_binds)
            it->why = CKP_WHY_BUDGET;
        else if (rec >= 0 && mp->fixed && it->delta < -(mp->tie_break + tol(e->objective)))
            it->why = CKP_WHY_NOT_CHOSEN;
        else if (rec >= 0 && fabs(it->delta) <= mp->tie_break + tol(e->objective))
            it->why = CKP_WHY_NO_GAIN;
        else
            it->why = CKP_WHY_BUDGET;
    }
    e->seconds = ckp_clock_wall() - t0;
    ckp_free(jl);
    ckp_free(recs);
    ckp_free(rm);
    *out = e;
    return CKP_OK;
fail:
    ckp_free(jl);
    ckp_free(recs);
    ckp_free(rm);
    ckp_explain_free(e);
    return rc;
}
