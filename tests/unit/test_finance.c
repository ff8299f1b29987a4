/* test_finance.c: the measure cannot be gamed, on hand-solved plans under
 * tests/data/finance/ (each carries its hand computation in an XML
 * comment): a stockpile cannot hide the chokepoint's supply when a
 * facility uses more input than the recipe (a-stock-ratio), and a final
 * good of weight 0 cannot go unserved for free (b-weight-zero), with one
 * warning that says what the model does. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ckp/check.h"
#include "ckp/load.h"
#include "ckp/model.h"
#include "ckp/result.h"

#define TOL 1e-6

static void assert_near(double got, double want, const char *what)
{
    if (!(fabs(got - want) <= TOL))
        fail_msg("%s: got %.12g, hand value %.12g", what, got, want);
}

/* Share of commodity id in year index y (portfolio or baseline). */
static double share(const ckp_plan *plan, const ckp_result *r, const char *id, int y,
                    int baseline)
{
    int c = ckp_plan_find_commodity(plan, id);
    assert_true(c >= 0);
    return (baseline ? r->baseline_exposure : r->exposure)[c * r->n_years + y];
}

static double shortage_sum(const ckp_result *r, const ckp_plan *plan, int baseline)
{
    double t = 0;
    for (int i = 0; i < plan->n_commodities * r->n_years; i++)
        t += (baseline ? r->baseline_shortage : r->shortage)[i];
    return t;
}

/* a: calm alone.  Before the fix the stock (rho 20.2 per kt) undercut the
 * chokepoint's real route (30 per kt) and the shares read 0; now rho is
 * 30.3 per kt and nothing is drawn or bought. */
static void stock_cannot_hide_chokepoint(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/finance/a-stock-ratio.xml");
    ckp_model_params mp;
    ckp_model_params_init(&mp);
    mp.scenario = "calm";
    ckp_result *r = tu_solve(plan, &mp, NULL);
    assert_int_equal(r->status, CKP_MIP_OPTIMAL);
    assert_int_equal(r->n_stockpile_picks, 0);
    assert_near(r->objective_value, 6.0, "objective (calm)");
    assert_near(r->baseline_objective, 6.0, "baseline (calm)");
    for (int y = 0; y < 2; y++) {
        assert_near(share(plan, r, "magnet", y, 0), 1.0, "magnet share");
        assert_near(share(plan, r, "oxide", y, 0), 2.0, "oxide share");
        assert_near(r->release[y], 0.0, "release");
    }
    ckp_result_free(r);

    /* the release column's coefficient: 1.01 x 30 per kt + 1e-6 */
    ckp_model *m = NULL;
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_model_build(plan, &mp, &m, &d), CKP_OK);
    int j = ckp_mip_find_col(&m->mip, "r[K,2026]");
    assert_true(j >= 0);
    assert_near(m->mip.obj[j], 30.300001, "rho");
    ckp_model_free(m);
    ckp_diag_list_fini(&d);
    ckp_plan_free(plan);
}

/* a: both scenarios.  The stock still covers the export stop of 2027
 * (100 t released in ban, none in calm). */
static void stock_still_covers_the_ban(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/finance/a-stock-ratio.xml");
    ckp_result *r = tu_solve(plan, NULL, NULL);
    assert_int_equal(r->status, CKP_MIP_OPTIMAL);
    assert_int_equal(r->n_stockpile_picks, 1);
    assert_near(r->objective_value, 6.01500005, "objective (expected)");
    int calm = r->scenario_plan[0] == 0 ? 0 : 1, ban = 1 - calm;
    /* release [s][stockpile][y], one stockpile */
    assert_near(r->release[calm * 2 + 0], 0, "calm 2026");
    assert_near(r->release[calm * 2 + 1], 0, "calm 2027");
    assert_near(r->release[ban * 2 + 0], 0, "ban 2026");
    assert_near(r->release[ban * 2 + 1], 100, "ban 2027");
    assert_near(r->scen_value[calm], 6.0, "V(calm)");
    assert_near(r->scen_value[ban], 6.0300001, "V(ban)");
    assert_near(r->scen_baseline_value[ban], 13.0, "V(ban), baseline");
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* b: weight 0 on the final good.  Shortage priced at 1.02 x S* =
 * 10.200002 per kt; the magnets are served, the oxide share is what CN
 * supplies, P is funded; one warning for the two models of the solve. */
static void weight_zero_is_served(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/finance/b-weight-zero.xml");
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    ckp_result *r = NULL;
    assert_int_equal(ckp_run(plan, NULL, NULL, &r, &d), CKP_OK);
    assert_int_equal(r->status, CKP_MIP_OPTIMAL);
    assert_int_equal(d.n_errors, 0);
    assert_int_equal(d.n_warnings, 1);
    char *t = tu_diag_text(&d);
    assert_non_null(strstr(t, "b-weight-zero.xml:40: warning: commodity 'magnet' has "
                              "weight 0: its own share is not in the objective, but "
                              "its shortage is priced at 1.02 x the exposure of "
                              "serving it from the chokepoint through its inputs "
                              "(10.2 per kt in 2026)"));
    assert_null(strstr(t, "raise shortage-penalty"));
    free(t);
    assert_int_equal(r->n_picks, 1);
    assert_string_equal(plan->projects[r->picks[0].project].id, "P");
    assert_int_equal(r->picks[0].online, 2027);
    assert_near(r->objective_value, 1.0, "objective");
    assert_near(r->baseline_objective, 2.0, "baseline");
    assert_near(share(plan, r, "oxide", 0, 1), 1.0, "oxide 2026, baseline");
    assert_near(share(plan, r, "oxide", 1, 1), 1.0, "oxide 2027, baseline");
    assert_near(share(plan, r, "oxide", 0, 0), 1.0, "oxide 2026");
    assert_near(share(plan, r, "oxide", 1, 0), 0.0, "oxide 2027");
    assert_near(shortage_sum(r, plan, 0), 0, "shortage");
    assert_near(shortage_sum(r, plan, 1), 0, "baseline shortage");
    ckp_result_free(r);
    ckp_diag_list_fini(&d);

    ckp_model *m = NULL;
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_model_build(plan, NULL, &m, &d), CKP_OK);
    assert_near(m->mip.obj[ckp_mip_find_col(&m->mip, "s[magnet,2026]")], 10.200002,
                "shortage coefficient");
    ckp_model_free(m);
    ckp_diag_list_fini(&d);
    ckp_plan_free(plan);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stock_cannot_hide_chokepoint),
        cmocka_unit_test(stock_still_covers_the_ban),
        cmocka_unit_test(weight_zero_is_served),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
