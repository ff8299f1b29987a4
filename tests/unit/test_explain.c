/* test_explain.c: explain (src/study/explain.c) on hand-solved plans.
 * Every value is recomputed by its own forced / excluded solve (and with
 * two worker processes: the same numbers); plan c (docs in its XML) gives
 * the hand values: P1 + P2 funded at 2.8; without P1 3.2, without P2 3.4;
 * forcing P3 3.2, P4 3.6, both displacing P1; the total budget binds (100
 * M more: P1 + P2 + P3, 1.2).  The reason classes: horizon (plan a),
 * infrastructure (plan b at 150 M), requires/excludes (plan c at 300 M),
 * a year limit that binds (plan d); explain under a fixed portfolio. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ckp/study.h"

static void near(double a, double b)
{
    if (!(fabs(a - b) <= 1e-7 * fmax(1.0, fabs(b))))
        fail_msg("%.12g differs from %.12g", a, b);
}

static ckp_explain *explain(const ckp_plan *plan, const ckp_model_params *mp,
                            const ckp_result *r, int jobs)
{
    ckp_solve_params sp;
    ckp_solve_params_init(&sp);
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    ckp_explain *e = NULL;
    assert_int_equal(ckp_explain_run(plan, mp, &sp, r, jobs, &e, &d), CKP_OK);
    ckp_diag_list_fini(&d);
    return e;
}

static int index_of(const ckp_plan *plan, const char *id)
{
    int p = ckp_plan_find_project(plan, id);
    assert_true(p >= 0);
    return p;
}

/* Each item's objective = its own solve with --exclude / --force. */
static void recompute(const char *rel, double budget)
{
    ckp_plan *plan = tu_load_checked(rel);
    ckp_model_params mp;
    ckp_model_params_init(&mp);
    mp.budget_total = budget;
    ckp_result *r = tu_solve(plan, &mp, NULL);
    ckp_explain *e1 = explain(plan, &mp, r, 1);
    ckp_explain *e2 = explain(plan, &mp, r, 2);
    assert_int_equal(e1->n_items, plan->n_projects);
    for (int i = 0; i < e1->n_items; i++) {
        const ckp_explain_item *it = &e1->items[i];
        assert_int_equal(it->why, e2->items[i].why);
        if (isnan(it->objective)) {
            assert_true(isnan(e2->items[i].objective));
            continue;
        }
        near(e2->items[i].objective, it->objective);
        const char *id = plan->projects[it->project].id;
        ckp_model_params m = mp;
        if (it->funded) {
            m.exclude = &id;
            m.n_exclude = 1;
        } else {
            m.force = &id;
            m.n_force = 1;
        }
        ckp_result *x = tu_solve(plan, &m, NULL);
        near(it->objective, x->objective_value);
        near(it->delta, x->objective_value - r->objective_value);
        near(it->delta_money, x->commitment_total - r->commitment_total);
        ckp_result_free(x);
    }
    for (int b = 0; b < e1->n_binding; b++) near(e1->binding[b].relaxed, e2->binding[b].relaxed);
    ckp_explain_free(e1);
    ckp_explain_free(e2);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

static void values_recomputed(void **state)
{
    (void)state;
    recompute("data/optima/c-requires-excludes.xml", NAN);
    recompute("data/optima/b-upgrade-unlocks.xml", NAN);
    recompute("data/optima/d-year-budget.xml", NAN);
    recompute("data/scenarios/s1-price-support.xml", NAN);
}

static void hand_values(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/optima/c-requires-excludes.xml");
    ckp_model_params mp;
    ckp_model_params_init(&mp);
    ckp_result *r = tu_solve(plan, &mp, NULL);
    ckp_explain *e = explain(plan, &mp, r, 1);
    /* the lexicographic solve (the default) reports the exposure objective
     * alone: the commitment weight of the one-stage solve is 0 here */
    double t180 = 0, t100 = 0, t280 = 0;
    near(e->objective, 2.8 + t180);
    const ckp_explain_item *p1 = &e->items[index_of(plan, "P1")];
    const ckp_explain_item *p2 = &e->items[index_of(plan, "P2")];
    const ckp_explain_item *p3 = &e->items[index_of(plan, "P3")];
    const ckp_explain_item *p4 = &e->items[index_of(plan, "P4")];
    assert_true(p1->funded && p2->funded && !p3->funded && !p4->funded);
    near(p1->objective, 3.2 + t180);
    near(p1->delta, 0.4);
    near(p1->per_100m, 0.4);
    near(p2->objective, 3.4 + t100);
    near(p2->per_100m, 100 * (0.6 + t100 - t180) / 80);
    near(p3->objective, 3.2 + t180);
    near(p3->delta_money, 0);
    assert_int_equal(p3->why, CKP_WHY_CHEAPER);
    assert_int_equal(p3->other, index_of(plan, "P1"));
    near(p4->objective, 3.6 + t180);
    assert_int_equal(p4->why, CKP_WHY_CHEAPER);
    assert_int_equal(e->n_binding, 1);
    assert_int_equal(e->binding[0].year, 0);
    near(e->binding[0].limit, 200);
    near(e->binding[0].relaxed, 1.2 + t280);
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    assert_int_equal(ckp_explain_text(e, plan, f), CKP_OK);
    fclose(f);
    if (!strstr(buf, "the total budget of 200.0 M binds (committed 180.0 M): 100 M more "
                     "would cut exposure by 1.600000 share-years"))
        fail_msg("%s", buf);
    assert_non_null(strstr(buf, "a project of the same stage costing no more does more (P1)"));
    free(buf);
    f = open_memstream(&buf, &size);
    assert_int_equal(ckp_explain_json(e, plan, f), CKP_OK);
    fclose(f);
    assert_true(tu_json_valid(buf));
    free(buf);
    ckp_explain_free(e);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

static ckp_why_not why(const char *rel, double budget, const char *id, int *other)
{
    ckp_plan *plan = tu_load_checked(rel);
    ckp_model_params mp;
    ckp_model_params_init(&mp);
    mp.budget_total = budget;
    ckp_result *r = tu_solve(plan, &mp, NULL);
    ckp_explain *e = explain(plan, &mp, r, 1);
    const ckp_explain_item *it = &e->items[index_of(plan, id)];
    assert_false(it->funded);
    ckp_why_not w = it->why;
    if (other) *other = it->other >= 0 ? it->other : -1;
    ckp_explain_free(e);
    ckp_result_free(r);
    ckp_plan_free(plan);
    return w;
}

static void reasons(void **state)
{
    (void)state;
    int other;
    assert_int_equal(why("data/optima/a-lead-time.xml", NAN, "late", NULL), CKP_WHY_HORIZON);
    assert_int_equal(why("data/optima/b-upgrade-unlocks.xml", 150, "A", NULL), CKP_WHY_INFRA);
    assert_int_equal(why("data/optima/c-requires-excludes.xml", 300, "P4", &other),
                     CKP_WHY_PAIR);
    assert_int_equal(other, 2); /* P3 */
    /* d: the 2026 limit of 50 binds: 100 M more lets P start in 2026 */
    ckp_plan *plan = tu_load_checked("data/optima/d-year-budget.xml");
    ckp_result *r = tu_solve(plan, NULL, NULL);
    ckp_model_params mp;
    ckp_model_params_init(&mp);
    ckp_explain *e = explain(plan, &mp, r, 1);
    assert_int_equal(e->n_binding, 2);
    assert_int_equal(e->binding[0].year, 0);
    near(e->binding[0].relaxed, e->objective); /* 1000 total: does not bind */
    assert_int_equal(e->binding[1].year, 2026);
    near(e->binding[1].limit, 50);
    near(e->binding[1].used, 40);
    near(e->binding[1].relaxed, 2.2);
    ckp_explain_free(e);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* b at a budget of 200: C alone (3.6); A and B need 15 MW each at tx,
 * which has 10: 20 MW more lets both in (200 M, 1 + 4 x 0.4 = 2.6), a cut
 * of 1.0 share-years.  At 250 the upgrade does it: nothing keeps a
 * candidate out there. */
static void infrastructure_binding(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/optima/b-upgrade-unlocks.xml");
    ckp_model_params mp;
    ckp_model_params_init(&mp);
    mp.budget_total = 200;
    ckp_result *r = tu_solve(plan, &mp, NULL);
    near(r->objective_value, 3.6);
    ckp_explain *e = explain(plan, &mp, r, 1);
    assert_int_equal(e->n_infra, 1);
    const ckp_infra_binding *x = &e->infra[0];
    assert_string_equal(plan->sites[x->site].id, "tx");
    assert_string_equal(plan->resources[x->resource].id, "power");
    near(x->capacity, 10);
    near(x->used, 0);
    near(x->step, 20);
    near(x->relaxed, 2.6);
    assert_true(x->plan_line > 0);
    ckp_explain_free(e);
    ckp_result_free(r);
    ckp_plan_free(plan);
    plan = tu_load_checked("data/optima/b-upgrade-unlocks.xml");
    r = tu_solve(plan, NULL, NULL);
    ckp_model_params_init(&mp);
    e = explain(plan, &mp, r, 1);
    assert_int_equal(e->n_infra, 0);
    ckp_explain_free(e);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* evaluate --explain: c with P4 alone, fixed: without P4 5.0; adding P2
 * gives 3.6; adding P3 breaks excludes, P1 requires P2: no solution. */
static void fixed_portfolio(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/optima/c-requires-excludes.xml");
    ckp_portfolio pf;
    ckp_portfolio_init(&pf);
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_portfolio_add_fund(&pf, "P4", &d), CKP_OK);
    ckp_evaluate_params ep;
    ckp_evaluate_params_init(&ep);
    ep.explain = 1;
    ep.regret = 0;
    ckp_evaluation *ev = NULL;
    assert_int_equal(ckp_evaluate(plan, &pf, NULL, NULL, &ep, &ev, &d), CKP_OK);
    const ckp_explain *e = ev->explain;
    assert_non_null(e);
    assert_int_equal(e->n_binding, 0);
    near(e->items[index_of(plan, "P4")].objective, 5.0);
    near(e->items[index_of(plan, "P2")].objective, 3.6);
    assert_true(isnan(e->items[index_of(plan, "P3")].objective));
    assert_true(isnan(e->items[index_of(plan, "P1")].objective));
    assert_int_equal(e->items[index_of(plan, "P3")].why, CKP_WHY_PAIR);
    assert_int_equal(e->items[index_of(plan, "P2")].why, CKP_WHY_NOT_CHOSEN);
    ckp_evaluation_free(ev);
    ckp_diag_list_fini(&d);
    ckp_portfolio_fini(&pf);
    ckp_plan_free(plan);
}

static void cli(void **state)
{
    (void)state;
    char cmd[2048];
    char *out = NULL;
    snprintf(cmd, sizeof cmd, "'%s' solve '%s' -q --explain -j 2 --format json", CKP_CLI_BIN,
             tu_path("data/optima/c-requires-excludes.xml"));
    assert_int_equal(tu_run(cmd, &out, NULL), 0);
    assert_true(tu_json_valid(out));
    assert_non_null(strstr(out, "\"explain\": {"));
    assert_non_null(strstr(out, "\"reason\": \"cheaper-same-stage\""));
    free(out);
    snprintf(cmd, sizeof cmd, "'%s' solve '%s' -q --explain", CKP_CLI_BIN,
             tu_path("data/optima/c-requires-excludes.xml"));
    assert_int_equal(tu_run(cmd, &out, NULL), 0);
    assert_non_null(strstr(out, "Explain: 5 re-solves (1 worker)"));
    free(out);
    snprintf(cmd, sizeof cmd, "'%s' solve '%s' -q --explain --objective min-cost --target 0.9",
             CKP_CLI_BIN, tu_path("data/optima/c-requires-excludes.xml"));
    assert_int_equal(tu_run(cmd, NULL, NULL), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(values_recomputed),
        cmocka_unit_test(hand_values),
        cmocka_unit_test(reasons),
        cmocka_unit_test(infrastructure_binding),
        cmocka_unit_test(fixed_portfolio),
        cmocka_unit_test(cli),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
