/* test_sweep_warm.c: a sweep's warm-start pre-check and its "what binds"
 * count the bank's money as the model does (docs/sweeps.md §2 "What
 * binds", §4a; docs/finance.md "What the budget limits"): in the plan's
 * <budget measure>, not always in commitment, and within the budget's
 * <cap>s on the other measures. */
#include "testutil.h"

#include <math.h>
#include <string.h>

#include "ckp/sweep.h"
#include "study/sweep_int.h"
#include "util/alloc.h"

/* tests/data/sweep/measure.xml (expected-cost budget) at 2 and 3: the
 * point at 2 starts from 3's portfolio (P's guarantee: expected cost 1.2
 * fits 2, its commitment 60 does not) and stops at 3's bound; at both,
 * nothing binds (Q's expected cost 0.3 still fits; its commitment 30
 * would not). */
static void warm_start_in_the_measure(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/sweep/measure.xml");
    double budgets[2] = {2, 3};
    ckp_sweep_params p;
    ckp_sweep_params_init(&p);
    p.plan_path = tu_path("data/sweep/measure.xml");
    p.budgets = budgets;
    p.n_budgets = 2;
    p.workers = 1;
    ckp_sweep *sw = NULL;
    assert_int_equal(ckp_sweep_run(plan, &p, &sw, NULL), CKP_OK);
    for (int i = 0; i < 2; i++) {
        const ckp_sweep_point *pt = &sw->points[i];
        assert_int_equal(pt->status, CKP_MIP_OPTIMAL);
        assert_true(fabs(pt->objective - 1.5) < 1e-6);
        assert_true(pt->commitment == 60);
        assert_int_equal(pt->n_picks, 1);
        assert_string_equal(plan->projects[pt->picks[0].project].id, "P");
        assert_string_equal(plan->projects[pt->picks[0].project].options[pt->picks[0].option].id,
                            "guarantee");
        assert_int_equal(pt->bind, CKP_BIND_NONE);
    }
    assert_int_equal(sw->points[0].warm_started, 1);
    assert_true(sw->points[0].warm_from == 3);
    assert_int_equal(sw->points[0].warm_bound, 1);
    ckp_sweep_free(sw);
    ckp_plan_free(plan);
}

static ckp_sweep_pick pick(const ckp_plan *plan, const char *project)
{
    ckp_sweep_pick k = {ckp_plan_find_project(plan, project), -1, 0, 2026};
    assert_true(k.project >= 0);
    return k;
}

/* tests/data/finance/i-contingent-cap.xml (commitment budget 1000, a cap
 * of 100 on contingent liabilities): A+B+C (commitment 200, two
 * guarantees of 60: liability 120) is no start, A+C (60) is. */
static void warm_start_within_caps(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/finance/i-contingent-cap.xml");
    ckp_sweep_pick all[3] = {pick(plan, "A"), pick(plan, "B"), pick(plan, "C")};
    ckp_sweep_pick ac[2] = {pick(plan, "A"), pick(plan, "C")};
    ckp_sweep_point pt;
    memset(&pt, 0, sizeof pt);
    pt.budget = 2000;
    pt.solved = 1;
    pt.status = CKP_MIP_FEASIBLE; /* a start only, no bound */
    pt.objective = 1;
    pt.picks = all;
    pt.n_picks = 3;
    ckp_model_params mp;
    ckp_model_params_init(&mp);
    mp.lexicographic = 1;
    sweep_warm w;
    assert_int_equal(sweep_warm_hints(plan, &mp, &pt, 1, 1000, &w, NULL), CKP_OK);
    assert_null(w.hints.start);
    sweep_warm_fini(&w);
    pt.picks = ac;
    pt.n_picks = 2;
    assert_int_equal(sweep_warm_hints(plan, &mp, &pt, 1, 1000, &w, NULL), CKP_OK);
    assert_non_null(w.hints.start);
    assert_int_equal(w.hints.start->option[ckp_plan_find_project(plan, "A")], 0);
    assert_int_equal(w.hints.start->option[ckp_plan_find_project(plan, "B")], -1);
    assert_int_equal(w.hints.start->option[ckp_plan_find_project(plan, "C")], 0);
    sweep_warm_fini(&w);
    ckp_plan_free(plan);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(warm_start_in_the_measure),
        cmocka_unit_test(warm_start_within_caps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
