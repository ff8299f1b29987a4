/* evaluate.c: a fixed portfolio scored like a solve, and its regret
 * (ckp_evaluate, ckp/study.h; docs/study.md).
 *
 * 1. The portfolio is resolved and checked (resolve.c); any violation
 *    stops here (CKP_EINFEASIBLE, one diagnostic each).
 * 2. ckp_run with ckp_model_params.fixed: every binary fixed, production,
 *    shortage and stockpile releases optimised per scenario; the result
 *    has the shape of a solve's.
 * 3. Regret: ckp_run of the same plan and settings with the total budget
 *    set to the portfolio's commitment: the optimum at the same money.
 * 4. Moves: every single change toward that optimum, each scored by a
 *    fixed run (in worker processes with jobs > 1): drop an item the
 *    optimum does not fund, add an item it funds, swap one for one, or
 *    put a project both fund on the optimum's option and start.  A move
 *    is kept when the changed portfolio passes the checks of step 1 and
 *    commits no more than the portfolio; they are ranked by the share of
 *    the gap they close, then by smaller commitment. */
#include "ckp/study.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "study/study_int.h"
#include "util/alloc.h"

void ckp_evaluate_params_init(ckp_evaluate_params *p)
{
    memset(p, 0, sizeof *p);
    p->regret = 1;
    p->jobs = 1;
}

void ckp_evaluation_free(ckp_evaluation *e)
{
    if (!e) return;
    ckp_resolved_free(e->portfolio);
    ckp_result_free(e->result);
    ckp_result_free(e->optimum);
    ckp_free(e->moves);
    ckp_explain_free(e->explain);
    ckp_free(e);
}

/* Settings of a run of the fixed portfolio fx: mp without force or
 * exclude, no greedy incumbent (the binaries are all fixed), quiet. */
static void fixed_params(const ckp_model_params *mp, const ckp_solve_params *sp,
                         const ckp_fixed_portfolio *fx, ckp_model_params *m,
                         ckp_solve_params *s)
{
    *m = *mp;
    m->fixed = fx;
    m->force = m->exclude = NULL;
    m->n_force = m->n_exclude = 0;
    *s = *sp;
    s->no_heuristic = 1;
    s->progress = 0;
    s->verbose = 0;
}

ckp_status st_fixed_objective(const ckp_plan *plan, const ckp_model_params *mp,
                              const ckp_solve_params *sp, const ckp_fixed_portfolio *fx,
                              double *value, ckp_diag_list *diag)
{
    ckp_model_params m;
    ckp_solve_params s;
    ckp_result *r = NULL;
    fixed_params(mp, sp, fx, &m, &s);
    *value = NAN;
    ckp_status rc = ckp_run(plan, &m, &s, &r, diag);
    if (rc == CKP_EUSAGE) return CKP_OK; /* a decision without a column */
    if (rc != CKP_OK) return rc;
    if (r->status == CKP_MIP_OPTIMAL || r->status == CKP_MIP_FEASIBLE)
        *value = r->objective_value;
    ckp_result_free(r);
    return CKP_OK;
}

/* ------------------------------------------------------------------ */
/* Decision sets                                                        */

typedef struct dset {
    int *option, *start, *upgrade_start;
    unsigned char *stockpile;
    ckp_fixed_portfolio fx;
} dset;

static void dset_fini(dset *d)
{
    ckp_free(d->option);
    ckp_free(d->start);
    ckp_free(d->upgrade_start);
    ckp_free(d->stockpile);
}

static ckp_status dset_copy(const ckp_plan *plan, const ckp_fixed_portfolio *src, dset *d)
{
    int np = plan->n_projects, nu = plan->n_upgrades, nk = plan->n_stockpiles;
    memset(d, 0, sizeof *d);
    d->option = ckp_malloc(((size_t)np + 1) * sizeof *d->option);
    d->start = ckp_malloc(((size_t)np + 1) * sizeof *d->start);
    d->upgrade_start = ckp_malloc(((size_t)nu + 1) * sizeof *d->upgrade_start);
    d->stockpile = ckp_calloc((size_t)nk + 1, 1);
    if (!d->option || !d->start || !d->upgrade_start || !d->stockpile) {
        dset_fini(d);
        return CKP_ENOMEM;
    }
    for (int p = 0; p < np; p++) {
        d->option[p] = src ? src->option[p] : -1;
        d->start[p] = src ? src->start[p] : 0;
    }
    for (int u = 0; u < nu; u++) d->upgrade_start[u] = src ? src->upgrade_start[u] : -1;
    for (int k = 0; k < nk; k++) d->stockpile[k] = src && src->stockpile ? src->stockpile[k] : 0;
    d->fx.option = d->option;
    d->fx.start = d->start;
    d->fx.upgrade_start = d->upgrade_start;
    d->fx.stockpile = d->stockpile;
    return CKP_OK;
}

/* The decisions of a solved result. */
static ckp_status dset_of_result(const ckp_plan *plan, const ckp_result *r, dset *d)
{
    CKP_TRY(dset_copy(plan, NULL, d));
    for (int i = 0; i < r->n_picks; i++) {
        d->option[r->picks[i].project] = r->picks[i].option;
        d->start[r->picks[i].project] = r->picks[i].start;
    }
    for (int i = 0; i < r->n_upgrade_picks; i++)
        d->upgrade_start[r->upgrade_picks[i].upgrade] = r->upgrade_picks[i].start;
    for (int i = 0; i < r->n_stockpile_picks; i++)
        d->stockpile[r->stockpile_picks[i].stockpile] = 1;
    return CKP_OK;
}

/* Apply a move's drop or add (kind, index, option, start) to d. */
static void apply(const ckp_plan *plan, dset *d, int kind, int ix, int add, int option,
                  int start)
{
    (void)plan;
    if (ix < 0) return;
    switch (kind) {
    case CKP_ITEM_PROJECT:
        d->option[ix] = add ? option : -1;
        d->start[ix] = add ? start : 0;
        break;
    case CKP_ITEM_UPGRADE: d->upgrade_start[ix] = add ? start : -1; break;
    case CKP_ITEM_STOCKPILE: d->stockpile[ix] = (unsigned char)add; break;
    default: break;
    }
}

/* Check a decision set like a user's portfolio: 1 when it passes, with
 * its commitment. */
static ckp_status passes(const ckp_plan *plan, const ckp_model_params *mp, const dset *d,
                         int *ok, double *commitment)
{
    ckp_portfolio pf;
    ckp_portfolio_init(&pf);
    ckp_status rc = CKP_OK;
    char year[16];
    (void)year;
    for (int p = 0; p < plan->n_projects && rc == CKP_OK; p++)
        if (d->option[p] >= 0)
            rc = st_portfolio_add(&pf, CKP_ITEM_PROJECT, plan->projects[p].id,
                                  plan->projects[p].options[d->option[p]].id, d->start[p],
                                  NULL, 0);
    for (int u = 0; u < plan->n_upgrades && rc == CKP_OK; u++)
        if (d->upgrade_start[u] >= 0)
            rc = st_portfolio_add(&pf, CKP_ITEM_UPGRADE, plan->upgrades[u].id, NULL,
                                  d->upgrade_start[u], NULL, 0);
    for (int k = 0; k < plan->n_stockpiles && rc == CKP_OK; k++)
        if (d->stockpile[k])
            rc = st_portfolio_add(&pf, CKP_ITEM_STOCKPILE, plan->stockpiles[k].id, NULL, 0,
                                  NULL, 0);
    ckp_diag_list scratch;
    ckp_diag_list_init(&scratch);
    ckp_resolved *r = NULL;
    if (rc == CKP_OK) rc = ckp_portfolio_resolve(plan, &pf, mp, &r, &scratch);
    *ok = rc == CKP_OK && r->n_violations == 0;
    *commitment = r ? r->commitment : NAN;
    ckp_resolved_free(r);
    ckp_diag_list_fini(&scratch);
    ckp_portfolio_fini(&pf);
    return rc;
}

/* ------------------------------------------------------------------ */
/* Moves toward the optimum                                             */

typedef struct move_ctx {
    const ckp_plan *plan;
    const ckp_model_params *mp;
    const ckp_solve_params *sp;
    const dset *base;
    ckp_move *moves;
} move_ctx;

typedef struct move_rec {
    double objective;
} move_rec;

static ckp_status move_job(int i, void *arg, void *rec)
{
    move_ctx *c = arg;
    const ckp_move *m = &c->moves[i];
    move_rec *out = rec;
    dset d;
    CKP_TRY(dset_copy(c->plan, &c->base->fx, &d));
    apply(c->plan, &d, m->drop_kind, m->drop, 0, 0, 0);
    apply(c->plan, &d, m->add_kind, m->add, 1, m->add_option, m->add_start);
    ckp_diag_list scratch;
    ckp_diag_list_init(&scratch);
    ckp_status rc = st_fixed_objective(c->plan, c->mp, c->sp, &d.fx, &out->objective,
                                       &scratch);
    ckp_diag_list_fini(&scratch);
    dset_fini(&d);
    return rc;
}

static int cmp_move(const void *pa, const void *pb)
{
    const ckp_move *a = pa, *b = pb;
    int an = isnan(a->objective), bn = isnan(b->objective);
    if (an != bn) return an - bn;
    if (!an && a->objective != b->objective) return a->objective < b->objective ? -1 : 1;
    if (a->commitment != b->commitment) return a->commitment < b->commitment ? -1 : 1;
    return (int)a->kind - (int)b->kind;
}

/* Items (kind, index) where P and O differ. */
typedef struct diff {
    int kind, ix, option, start;
} diff;

static ckp_status search_moves(const ckp_plan *plan, const ckp_model_params *mp,
                               const ckp_solve_params *sp, const ckp_evaluate_params *ep,
                               ckp_evaluation *ev)
{
    int np = plan->n_projects, nu = plan->n_upgrades, nk = plan->n_stockpiles;
    dset P, O;
    ckp_status rc;
    CKP_TRY(dset_copy(plan, &ev->portfolio->fixed, &P));
    rc = dset_of_result(plan, ev->optimum, &O);
    if (rc != CKP_OK) {
        dset_fini(&P);
        return rc;
    }
    size_t cap = (size_t)np + (size_t)nu + (size_t)nk + 1;
    diff *drop = ckp_malloc(cap * sizeof *drop), *add = ckp_malloc(cap * sizeof *add);
    ckp_move *mv = NULL;
    move_rec *recs = NULL;
    int nd = 0, na = 0, n = 0;
    if (!drop || !add) {
        rc = CKP_ENOMEM;
        goto done;
    }
    for (int p = 0; p < np; p++) {
        if (P.option[p] >= 0 && O.option[p] < 0)
            drop[nd++] = (diff){CKP_ITEM_PROJECT, p, 0, 0};
        if (O.option[p] >= 0 && P.option[p] < 0)
            add[na++] = (diff){CKP_ITEM_PROJECT, p, O.option[p], O.start[p]};
    }
    for (int u = 0; u < nu; u++) {
        if (P.upgrade_start[u] >= 0 && O.upgrade_start[u] < 0)
            drop[nd++] = (diff){CKP_ITEM_UPGRADE, u, 0, 0};
        if (O.upgrade_start[u] >= 0 && P.upgrade_start[u] < 0)
            add[na++] = (diff){CKP_ITEM_UPGRADE, u, 0, O.upgrade_start[u]};
    }
    for (int k = 0; k < nk; k++) {
        if (P.stockpile[k] && !O.stockpile[k]) drop[nd++] = (diff){CKP_ITEM_STOCKPILE, k, 0, 0};
        if (O.stockpile[k] && !P.stockpile[k])
            add[na++] = (diff){CKP_ITEM_STOCKPILE, k, 0, plan->stockpiles[k].year};
    }
    size_t max = (size_t)nd + (size_t)na + (size_t)nd * (size_t)na + (size_t)np +
                 (size_t)nu + 1;
    mv = ckp_calloc(max, sizeof *mv);
    if (!mv) {
        rc = CKP_ENOMEM;
        goto done;
    }
    /* candidate moves: change, drop, add, swap */
    for (int p = 0; p < np; p++)
        if (P.option[p] >= 0 && O.option[p] >= 0 &&
            (P.option[p] != O.option[p] || P.start[p] != O.start[p]))
            mv[n++] = (ckp_move){CKP_MOVE_CHANGE, CKP_ITEM_PROJECT, p, CKP_ITEM_PROJECT, p,
                                 O.option[p], O.start[p], NAN, NAN, NAN};
    for (int u = 0; u < nu; u++)
        if (P.upgrade_start[u] >= 0 && O.upgrade_start[u] >= 0 &&
            P.upgrade_start[u] != O.upgrade_start[u])
            mv[n++] = (ckp_move){CKP_MOVE_CHANGE, CKP_ITEM_UPGRADE, u, CKP_ITEM_UPGRADE, u,
                                 0, O.upgrade_start[u], NAN, NAN, NAN};
    for (int i = 0; i < nd; i++)
        mv[n++] = (ckp_move){CKP_MOVE_DROP, drop[i].kind, drop[i].ix, 0, -1, 0, 0,
                             NAN, NAN, NAN};
    for (int j = 0; j < na; j++)
        mv[n++] = (ckp_move){CKP_MOVE_ADD, 0, -1, add[j].kind, add[j].ix, add[j].option,
                             add[j].start, NAN, NAN, NAN};
    for (int i = 0; i < nd; i++)
        for (int j = 0; j < na; j++)
            mv[n++] = (ckp_move){CKP_MOVE_SWAP, drop[i].kind, drop[i].ix, add[j].kind,
                                 add[j].ix, add[j].option, add[j].start, NAN, NAN, NAN};
    /* keep the moves whose portfolio passes and costs no more */
    int kept = 0;
    for (int i = 0; i < n; i++) {
        dset d;
        int ok;
        double money;
        CKP_TRY_GOTO(rc, dset_copy(plan, &P.fx, &d), done);
        apply(plan, &d, mv[i].drop_kind, mv[i].drop, 0, 0, 0);
        apply(plan, &d, mv[i].add_kind, mv[i].add, 1, mv[i].add_option, mv[i].add_start);
        rc = passes(plan, mp, &d, &ok, &money);
        dset_fini(&d);
        if (rc != CKP_OK) goto done;
        if (!ok || money > ev->portfolio->commitment * (1 + 1e-9) + 1e-9) continue;
        mv[i].commitment = money;
        mv[kept++] = mv[i];
    }
    n = kept;
    recs = ckp_calloc((size_t)n + 1, sizeof *recs);
    if (!recs) {
        rc = CKP_ENOMEM;
        goto done;
    }
    move_ctx ctx = {plan, mp, sp, &P, mv};
    CKP_TRY_GOTO(rc, ckp_run_jobs(n, ep->jobs, move_job, &ctx, sizeof *recs, recs), done);
    double gap = ev->gap;
    for (int i = 0; i < n; i++) {
        mv[i].objective = recs[i].objective;
        mv[i].closed = gap > 0 && !isnan(recs[i].objective)
                           ? (ev->result->objective_value - recs[i].objective) / gap
                           : NAN;
    }
    qsort(mv, (size_t)n, sizeof *mv, cmp_move);
    ev->moves = mv;
    ev->n_moves = n;
    mv = NULL;
done:
    ckp_free(mv);
    ckp_free(recs);
    ckp_free(drop);
    ckp_free(add);
    dset_fini(&P);
    dset_fini(&O);
    return rc;
}

ckp_status ckp_evaluate(const ckp_plan *plan, const ckp_portfolio *pf,
                        const ckp_model_params *mp, const ckp_solve_params *sp,
                        const ckp_evaluate_params *ep, ckp_evaluation **out,
                        ckp_diag_list *diag)
{
    *out = NULL;
    if (!plan || !pf) return CKP_EINTERNAL;
    ckp_model_params mdef;
    ckp_solve_params sdef;
    ckp_evaluate_params edef;
    ckp_model_params_init(&mdef);
    ckp_solve_params_init(&sdef);
    ckp_evaluate_params_init(&edef);
    if (!mp) mp = &mdef;
    if (!sp) sp = &sdef;
    if (!ep) ep = &edef;
    if (mp->min_cost) {
        ckp_diag_add(diag, CKP_SEV_ERROR, NULL, 0, "bad-parameter",
                     "a fixed portfolio has no cost to minimise: evaluate takes the "
                     "weighted or min-max objective");
        return CKP_EUSAGE;
    }
    ckp_evaluation *ev = ckp_calloc(1, sizeof *ev);
    if (!ev) return CKP_ENOMEM;
    ev->gap = NAN;
    ckp_status rc = ckp_portfolio_resolve(plan, pf, mp, &ev->portfolio, diag);
    if (rc != CKP_OK) goto fail;
    if (ev->portfolio->n_violations > 0) {
        *out = ev;
        return CKP_EINFEASIBLE;
    }
    ckp_model_params m;
    ckp_solve_params s;
    fixed_params(mp, sp, &ev->portfolio->fixed, &m, &s);
    s.progress = sp->progress;
    CKP_TRY_GOTO(rc, ckp_run(plan, &m, &s, &ev->result, diag), fail);
    if (ev->result->status == CKP_MIP_INFEASIBLE) {
        ckp_diag_add(diag, CKP_SEV_ERROR, NULL, 0, "portfolio-infeasible",
                     "the fixed portfolio has no solution although it passes every check "
                     "(a bug: please report it with the plan)");
        *out = ev;
        return CKP_EINTERNAL;
    }
    int solved = ev->result->status == CKP_MIP_OPTIMAL ||
                 ev->result->status == CKP_MIP_FEASIBLE;
    if (ep->regret && solved) {
        ckp_model_params o = *mp;
        ckp_solve_params os = *sp;
        os.progress = 0;
        /* the same money: its commitment, a hair above against round-off */
        o.budget_total = ev->portfolio->commitment * (1 + 1e-12) + 1e-9;
        o.force = o.exclude = NULL;
        o.n_force = o.n_exclude = 0;
        o.fixed = NULL;
        CKP_TRY_GOTO(rc, ckp_run(plan, &o, &os, &ev->optimum, diag), fail);
        if (ev->optimum->status == CKP_MIP_OPTIMAL || ev->optimum->status == CKP_MIP_FEASIBLE) {
            ev->gap = ev->result->objective_value - ev->optimum->objective_value;
            if (!st_no_regret(ev))
                CKP_TRY_GOTO(rc, search_moves(plan, mp, sp, ep, ev), fail);
        }
    }
    if (ep->explain && solved)
        CKP_TRY_GOTO(rc, ckp_explain_run(plan, &m, sp, ev->result, ep->jobs, &ev->explain,
                                         diag), fail);
    *out = ev;
    return CKP_OK;
fail:
    ckp_evaluation_free(ev);
    return rc;
}
