/* test_run.c: ckp_run's extraction of a ckp_result (src/core/run.c):
 * spend per year adds up to the commitment, private capital, budget
 * limits, production and requirement in t/yr, baseline versus portfolio
 * exposure, statuses without a solution, errors, determinism. */
#include "testutil.h"

#include <math.h>
#include <string.h>

#include "ckp/load.h"
#include "ckp/model.h"
#include "ckp/report.h"
#include "ckp/result.h"

static ckp_result *run(const ckp_plan *plan, const ckp_model_params *mp,
                       const ckp_solve_params *sp)
{
    return tu_solve(plan, mp, sp);
}

static int producer(const ckp_plan *plan, const char *id)
{
    for (int f = 0; f < plan->n_facilities; f++)
        if (strcmp(plan->facilities[f].id, id) == 0) return f;
    int p = ckp_plan_find_project(plan, id);
    assert_true(p >= 0);
    return plan->n_facilities + p;
}

/* Generic invariants of any result with a solution. */
static void invariants(const ckp_plan *plan, const ckp_result *r)
{
    int Y = r->n_years;
    assert_int_equal(Y, ckp_plan_n_years(plan));
    double sum = 0, commit = 0, capex = 0, priv = 0, cofin = 0;
    for (int y = 0; y < Y; y++) {
        assert_true(r->spend[y] >= 0);
        assert_true(r->spend[y] <= r->budget_limit[y] + 1e-9);
        sum += r->spend[y];
    }
    for (int i = 0; i < r->n_picks; i++) {
        const ckp_pick *pk = &r->picks[i];
        const ckp_project *p = &plan->projects[pk->project];
        assert_true(pk->commitment == p->options[pk->option].commitment);
        assert_true(pk->capex == p->capex);
        assert_true(pk->online >= pk->start && pk->online <= plan->last_year);
        if (i > 0) assert_true(r->picks[i - 1].project < pk->project); /* plan order */
        commit += pk->commitment;
        capex += pk->capex;
        double by[CKP_COFIN_TYPES], direct;
        ckp_plan_cofinance(plan, pk->project, pk->option, by, &direct);
        priv += by[CKP_COFIN_PRIVATE];
        cofin += by[CKP_COFIN_PRIVATE] + by[CKP_COFIN_PUBLIC] + by[CKP_COFIN_MULTILATERAL];
    }
    double ucost = 0;
    for (int i = 0; i < r->n_upgrade_picks; i++) ucost += r->upgrade_picks[i].cost;
    for (int i = 0; i < r->n_stockpile_picks; i++) {
        assert_true(r->stockpile_picks[i].cost ==
                    plan->stockpiles[r->stockpile_picks[i].stockpile].cost);
        ucost += r->stockpile_picks[i].cost;
    }
    assert_true(fabs(r->commitment_total - (commit + ucost)) < 1e-9);
    assert_true(fabs(sum - r->commitment_total) < 1e-9);
    assert_true(fabs(r->capex_total - capex) < 1e-9);
    /* private capital mobilised: private co-financiers only (docs/finance.md) */
    assert_true(fabs(r->private_capital - priv) < 1e-9);
    assert_true(fabs(r->unattributed_capital - (capex - commit - cofin)) < 1e-9);
    assert_true(r->commitment_total <= r->budget_total + 1e-9);
    /* production within capacity, from the online year on */
    for (int f = 0; f < r->n_producers; f++) {
        double cap = f < plan->n_facilities
                         ? plan->facilities[f].capacity * plan->facilities[f].available
                         : plan->projects[f - plan->n_facilities].capacity;
        for (int y = 0; y < Y; y++) {
            double q = r->production[f * Y + y];
            assert_true(q >= 0 && q <= cap * (1 + 1e-9) + 1e-6);
        }
    }
    for (int i = 0; i < plan->n_commodities * Y; i++) {
        double e = r->exposure[i];
        assert_true(isnan(e) || (e >= -1e-9));
        assert_true(r->shortage[i] >= 0);
    }
    assert_true(r->n_rows > 0 && r->n_cols > 0 && r->nnz > 0);
    assert_true(r->n_binaries <= r->n_cols);
    assert_true(r->build_seconds >= 0 && r->seconds >= 0);
}

/* Plan b: upgrade + A + B.  Hand figures in its XML comment. */
static void test_sums_plan_b(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/optima/b-upgrade-unlocks.xml");
    ckp_result *r = run(plan, NULL, NULL);
    assert_int_equal(r->status, CKP_MIP_OPTIMAL);
    invariants(plan, r);
    const double spend[] = {170, 50, 0, 0, 0};
    for (int y = 0; y < 5; y++) {
        assert_true(fabs(r->spend[y] - spend[y]) < 1e-9);
        assert_true(isinf(r->budget_limit[y]));
    }
    assert_true(fabs(r->commitment_total - 220) < 1e-9);
    assert_true(fabs(r->capex_total - 300) < 1e-9);
    /* no co-financier declared: nothing counts as private capital, the
       100 beyond the commitments is of no declared source */
    assert_true(fabs(r->private_capital) < 1e-9);
    assert_true(fabs(r->unattributed_capital - 100) < 1e-9);
    assert_true(fabs(r->budget_total - 250) < 1e-9);
    assert_true(fabs(r->shortage_penalty - 10) < 1e-12);
    assert_int_equal(r->objective, CKP_OBJ_WEIGHTED);
    assert_true(fabs(r->added_outside[0] - 600) < 1e-9);
    assert_int_equal(r->n_picks, 2);
    assert_int_equal(r->picks[0].online, 2027);

    /* production in t/yr: CN covers what A and B do not */
    int cn = producer(plan, "cn-sep"), a = producer(plan, "A"), c = producer(plan, "C");
    const double cn_q[] = {1000, 400, 400, 400, 400};
    for (int y = 0; y < 5; y++) {
        assert_true(fabs(r->production[cn * 5 + y] - cn_q[y]) < 1e-6);
        assert_true(fabs(r->production[a * 5 + y] - (y ? 300 : 0)) < 1e-6);
        assert_true(fabs(r->production[c * 5 + y]) < 1e-9);
        assert_true(fabs(r->requirement[y] - 1000) < 1e-9);
        assert_true(fabs(r->shortage[y]) < 1e-9);
        assert_true(fabs(r->exposure[y] - (y ? 0.4 : 1.0)) < 1e-9);
        assert_true(fabs(r->baseline_exposure[y] - 1.0) < 1e-9);
        assert_true(fabs(r->stage_baseline[y] - 1.0) < 1e-9);
        assert_true(r->baseline_exposure[y] >= r->exposure[y] - 1e-9);
    }
    assert_true(fabs(r->baseline_objective - 5.0) < 1e-9);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* Plan d: the 2026 limit in force, spend 40 then 100. */
static void test_budget_limits_plan_d(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/optima/d-year-budget.xml");
    ckp_result *r = run(plan, NULL, NULL);
    invariants(plan, r);
    assert_true(fabs(r->budget_limit[0] - 50) < 1e-12);
    for (int y = 1; y < 5; y++) assert_true(isinf(r->budget_limit[y]));
    assert_true(fabs(r->spend[0] - 40) < 1e-9);
    assert_true(fabs(r->spend[1] - 100) < 1e-9);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* Plan e: a safe magnet plant can only lower exposure: the baseline is
 * at least the portfolio in every stage and year (and equal upstream). */
static void test_baseline_dominates_plan_e(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/optima/e-stage-linkage.xml");
    ckp_result *r = run(plan, NULL, NULL);
    invariants(plan, r);
    int Y = r->n_years;
    for (int s = 0; s < plan->n_stages; s++)
        for (int y = 0; y < Y; y++) {
            double b = r->stage_baseline[s * Y + y], p = r->stage_exposure[s * Y + y];
            assert_false(isnan(b) || isnan(p));
            assert_true(b >= p - 1e-9);
        }
    for (int i = 0; i < plan->n_commodities * Y; i++)
        assert_true(r->baseline_exposure[i] >= r->exposure[i] - 1e-9);
    /* requirement: magnet 1000, oxide 500, conc 1000 */
    int mag = ckp_plan_find_commodity(plan, "magnet");
    int ox = ckp_plan_find_commodity(plan, "oxide");
    int co = ckp_plan_find_commodity(plan, "conc");
    assert_true(fabs(r->requirement[mag * Y] - 1000) < 1e-9);
    assert_true(fabs(r->requirement[ox * Y] - 500) < 1e-9);
    assert_true(fabs(r->requirement[co * Y] - 1000) < 1e-9);
    assert_true(fabs(r->baseline_objective - 15.0) < 1e-9);
    /* magnets stage: 400 t/yr added outside, nothing elsewhere */
    for (int s = 0; s < plan->n_stages; s++)
        assert_true(fabs(r->added_outside[s] -
                         (strcmp(plan->stages[s].id, "magnets") == 0 ? 400 : 0)) < 1e-9);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* The vocabulary example: every feature once; generic invariants hold. */
static void test_vocabulary_invariants(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/plans/vocabulary.xml");
    ckp_result *r = run(plan, NULL, NULL);
    assert_int_equal(r->status, CKP_MIP_OPTIMAL);
    invariants(plan, r);
    assert_true(r->objective_value <= r->baseline_objective + 1e-4);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* An impossible forced pair: CKP_OK, status INFEASIBLE, no picks, NAN
 * portfolio figures, baseline filled. */
static void test_infeasible_status(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/optima/c-requires-excludes.xml");
    ckp_model_params mp;
    ckp_model_params_init(&mp);
    const char *force[] = {"P1", "P3"}; /* needs P2 too: 280 > 200 */
    mp.force = force;
    mp.n_force = 2;
    ckp_result *r = run(plan, &mp, NULL);
    assert_int_equal(r->status, CKP_MIP_INFEASIBLE);
    assert_int_equal(r->n_picks, 0);
    assert_int_equal(r->n_upgrade_picks, 0);
    assert_true(isnan(r->objective_value));
    for (int y = 0; y < r->n_years; y++) {
        assert_true(r->spend[y] == 0);
        assert_true(isnan(r->exposure[y]));
        assert_true(isnan(r->stage_exposure[y]));
        assert_true(fabs(r->baseline_exposure[y] - 1.0) < 1e-9);
    }
    assert_true(r->commitment_total == 0 && r->private_capital == 0);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

static void test_errors(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/optima/c-requires-excludes.xml");
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    ckp_result *r = (ckp_result *)&d;

    ckp_model_params mp;
    ckp_model_params_init(&mp);
    const char *force[] = {"nope"};
    mp.force = force;
    mp.n_force = 1;
    assert_int_equal(ckp_run(plan, &mp, NULL, &r, &d), CKP_EUSAGE);
    assert_null(r);
    assert_true(d.n_errors >= 1);
    ckp_diag_list_fini(&d);

    ckp_solve_params sp;
    ckp_solve_params_init(&sp);
    sp.mip_gap = 2;
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_run(plan, NULL, &sp, &r, &d), CKP_EUSAGE);
    assert_null(r);
    assert_non_null(strstr(d.items[0].message, "mip_gap"));
    ckp_diag_list_fini(&d);

    /* a caught GLPK fatal error surfaces as CKP_ESOLVER, and the next run
     * works */
    ckp_solve_params_init(&sp);
    sp.debug_force_fatal = 1;
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_run(plan, NULL, &sp, &r, &d), CKP_ESOLVER);
    assert_null(r);
    assert_string_equal(d.items[d.n - 1].code, "solver-fatal");
    ckp_diag_list_fini(&d);
    r = run(plan, NULL, NULL);
    assert_int_equal(r->status, CKP_MIP_OPTIMAL);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

static void test_deterministic_and_no_heuristic(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/optima/b-upgrade-unlocks.xml");
    ckp_result *a = run(plan, NULL, NULL);
    ckp_result *b = run(plan, NULL, NULL);
    ckp_solve_params sp;
    ckp_solve_params_init(&sp);
    sp.no_heuristic = 1;
    ckp_result *c = run(plan, NULL, &sp);
    assert_int_equal(c->heuristic_used, 0);
    size_t np = (size_t)a->n_producers * (size_t)a->n_years;
    for (const ckp_result *o = b; o; o = o == b ? c : NULL) {
        assert_int_equal(a->n_picks, o->n_picks);
        assert_memory_equal(a->picks, o->picks, sizeof *a->picks * (size_t)a->n_picks);
        assert_true(fabs(a->objective_value - o->objective_value) < 1e-9);
        if (o == b) {
            assert_memory_equal(a->production, o->production, np * sizeof(double));
            assert_true(a->objective_value == o->objective_value);
        }
    }
    ckp_result_free(a);
    ckp_result_free(b);
    ckp_result_free(c);
    ckp_result_free(NULL);
    ckp_plan_free(plan);
}

#define BUNDLED "../inputs/rare-earth-magnets.xml"

/* The bundled plan under min-max: the baseline has no decision, so its
 * shares must be those of the weighted baseline (min-max alone leaves
 * every share below the year's maximum free: mining 2026 came out 86.3 %
 * instead of 72.9 %). */
static void test_bundled_minmax_baseline_equals_weighted(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked(BUNDLED);
    ckp_model_params mp;
    ckp_model_params_init(&mp);
    mp.no_scenarios = 1; /* the plan as written (scenarios: test_scenarios) */
    mp.objective = CKP_OBJ_WEIGHTED;
    ckp_result *w = run(plan, &mp, NULL);
    mp.objective = CKP_OBJ_MINMAX;
    ckp_result *m = run(plan, &mp, NULL);
    assert_int_equal(m->status, CKP_MIP_OPTIMAL);
    invariants(plan, m);
    int Y = w->n_years;
    for (int i = 0; i < plan->n_commodities * Y; i++) {
        double a = w->baseline_exposure[i], b = m->baseline_exposure[i];
        if (!(fabs(a - b) < 1e-9) && !(isnan(a) && isnan(b)))
            fail_msg("commodity %s %d: baseline share weighted %.12g, min-max %.12g",
                     plan->commodities[i / Y].id, plan->first_year + i % Y, a, b);
        a = w->baseline_shortage[i];
        b = m->baseline_shortage[i];
        assert_true(fabs(a - b) < 1e-6);
    }
    for (int i = 0; i < plan->n_stages * Y; i++)
        assert_true(fabs(w->stage_baseline[i] - m->stage_baseline[i]) < 1e-9 ||
                    (isnan(w->stage_baseline[i]) && isnan(m->stage_baseline[i])));
    /* 2026: nothing can be online yet, so the portfolio's shares are the
       baseline's under both objectives */
    for (int c = 0; c < plan->n_commodities; c++)
        if (!isnan(m->exposure[c * Y]))
            assert_true(fabs(m->exposure[c * Y] - m->baseline_exposure[c * Y]) < 1e-9);
    ckp_result_free(w);
    ckp_result_free(m);
    ckp_plan_free(plan);
}

/* The bundled plan with PCH branching, MIR cuts and no clique cuts: GLPK
 * alone proved optimal a portfolio that also funded an upgrade cutting no
 * exposure (z[pocotaligo-power,2026], when eVAC's expansion was not
 * funded); the returned portfolio must carry no upgrade that no funded
 * project at its site needs (since the committed projects moved to the
 * baseline the optimum funds eVAC's expansion, which needs Pocotaligo's
 * power), and its objective, bound and gap must be its own. */
static void test_bundled_pch_mir_no_useless_upgrade(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked(BUNDLED);
    ckp_model_params mp;
    ckp_model_params_init(&mp);
    mp.no_scenarios = 1; /* the plan as written, where this was found */
    ckp_result *d = run(plan, &mp, NULL);
    ckp_solve_params sp;
    ckp_solve_params_init(&sp);
    sp.branching = CKP_BRANCH_PCH;
    sp.mir_cuts = 1;
    sp.clique_cuts = 0;
    ckp_result *r = run(plan, &mp, &sp);
    assert_int_equal(r->status, CKP_MIP_OPTIMAL);
    invariants(plan, r);
    for (int i = 0; i < r->n_upgrade_picks; i++) {
        const ckp_upgrade *u = &plan->upgrades[r->upgrade_picks[i].upgrade];
        int needed = 0;
        for (int k = 0; k < r->n_picks && !needed; k++) {
            const ckp_project *q = &plan->projects[r->picks[k].project];
            if (q->site.ix != u->site.ix) continue;
            for (int n = 0; n < q->n_needs; n++)
                needed |= q->needs[n].resource.ix == u->resource.ix && q->needs[n].amount > 0;
        }
        if (!needed)
            fail_msg("%s funded in %d, but no funded project at its site needs it", u->id,
                     r->upgrade_picks[i].start);
    }
    /* both optimal within GLPK's relative objective tolerance (1e-7) */
    if (!(fabs(r->objective_value - d->objective_value) <= 1e-7 * fabs(d->objective_value)))
        fail_msg("objective %.12g, default settings %.12g", r->objective_value,
                 d->objective_value);
    assert_true(r->bound <= r->objective_value + 1e-12);
    assert_true(r->gap >= 0 && r->gap <= 1e-9);
    ckp_result_free(d);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

static char *text_of(const ckp_result *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(ckp_report_text(r, f), CKP_OK);
    assert_int_equal(fclose(f), 0);
    return buf;
}

/* The build time is never printed as a misleading 0.000 s. */
static void test_report_build_time_precision(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/optima/b-upgrade-unlocks.xml");
    ckp_result *r = run(plan, NULL, NULL);
    assert_true(r->build_seconds > 0);
    r->seconds = 0.897;
    r->build_seconds = 0.000123;
    char *t = text_of(r);
    if (!strstr(t, "  time         0.897 s (model build 0.123 ms; stage 1 ")) fail_msg("%s", t);
    free(t);
    r->build_seconds = 0.0000004;
    t = text_of(r);
    assert_non_null(strstr(t, "(model build 0.0004 ms; stage 1 "));
    free(t);
    r->build_seconds = 0.0421;
    t = text_of(r);
    assert_non_null(strstr(t, "(model build 0.042 s; stage 1 "));
    free(t);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sums_plan_b),
        cmocka_unit_test(test_budget_limits_plan_d),
        cmocka_unit_test(test_baseline_dominates_plan_e),
        cmocka_unit_test(test_vocabulary_invariants),
        cmocka_unit_test(test_infeasible_status),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_deterministic_and_no_heuristic),
        cmocka_unit_test(test_bundled_minmax_baseline_equals_weighted),
        cmocka_unit_test(test_bundled_pch_mir_no_useless_upgrade),
        cmocka_unit_test(test_report_build_time_precision),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    ckp_load_cleanup(); /* the loader's cached schema */
    return failed;
}
