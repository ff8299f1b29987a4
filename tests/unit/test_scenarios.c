/* test_scenarios.c: scenarios, price support, stockpiles and the scenario
 * measures (docs/formulation.md 7d) on hand-solvable plans under
 * tests/data/scenarios/, each carrying its hand computation in an XML
 * comment: price support flips the option chosen (s1), a stockpile covers
 * a shortage no project reaches in time (s2), an export restriction
 * creates exactly the shortage the restricted volume leaves after the
 * non-chokepoint capacity and a demand scale its own (s3), the expected
 * and the worst-case measures fund different projects (s4); idle funded
 * projects and their reasons; a plan with one scenario of probability 1
 * gives the portfolio and objective of the same plan without scenarios;
 * the model's scenario rows and names.
 * The plans' comments add the one-stage tie-break term (--tie-break off)
 * to the objective; the default lexicographic solve reports it without. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ckp/check.h"
#include "ckp/load.h"
#include "ckp/model.h"
#include "ckp/result.h"

#define TOL 1e-6

static ckp_result *run(const ckp_plan *plan, const ckp_model_params *mp)
{
    ckp_result *r = tu_solve(plan, mp, NULL);
    assert_int_equal(r->status, CKP_MIP_OPTIMAL);
    return r;
}

static void assert_near(double got, double want, const char *what)
{
    if (!(fabs(got - want) <= TOL))
        fail_msg("%s: got %.12g, hand value %.12g", what, got, want);
}

/* The single pick of r: project id and option id. */
static void assert_pick(const ckp_plan *plan, const ckp_result *r, const char *project,
                        const char *option, int start)
{
    if (r->n_picks != 1) {
        for (int i = 0; i < r->n_picks; i++)
            print_error("picked %s/%s\n", plan->projects[r->picks[i].project].id,
                        plan->projects[r->picks[i].project].options[r->picks[i].option].id);
        fail_msg("%d picks, expected 1 (%s/%s)", r->n_picks, project, option);
    }
    const ckp_project *p = &plan->projects[r->picks[0].project];
    assert_string_equal(p->id, project);
    assert_string_equal(p->options[r->picks[0].option].id, option);
    assert_int_equal(r->picks[0].start, start);
}

static int scen_index(const ckp_plan *plan, const ckp_result *r, const char *id)
{
    for (int s = 0; s < r->n_scenarios; s++)
        if (r->scenario_plan[s] >= 0 &&
            strcmp(plan->scenarios[r->scenario_plan[s]].id, id) == 0)
            return s;
    fail_msg("no scenario %s in the result", id);
    return -1;
}

/* Shortage of commodity 0 in scenario s, year index y (t/yr). */
static double short0(const ckp_result *r, const ckp_plan *plan, int s, int y)
{
    return r->scen_shortage[((size_t)s * plan->n_commodities + 0) * r->n_years + y];
}

/* s1: price support flips the option. */
static void price_support_flips_option(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/scenarios/s1-price-support.xml");
    ckp_model_params mp;

    ckp_model_params_init(&mp);
    ckp_result *r = run(plan, &mp);
    assert_int_equal(r->n_scenarios, 2);
    assert_pick(plan, r, "P", "offtake", 2026);
    assert_near(r->objective_value, 0.0, "s1 expected objective");
    assert_int_equal(r->n_idle, 0);
    /* the crash scenario keeps the supported plant running */
    int crash = scen_index(plan, r, "crash");
    assert_near(r->scen_value[crash], 0.0, "s1 crash value");
    assert_near(r->scen_baseline_value[crash], 2.0, "s1 crash baseline");
    ckp_result_free(r);

    /* The calm scenario alone: no price risk, the cheaper loan. */
    mp.scenario = "calm";
    r = run(plan, &mp);
    assert_int_equal(r->n_scenarios, 1);
    assert_pick(plan, r, "P", "loan", 2026);
    assert_near(r->objective_value, 0.0, "s1 calm objective");
    ckp_result_free(r);

    /* The crash scenario alone: only the offtake produces. */
    mp.scenario = "crash";
    r = run(plan, &mp);
    assert_pick(plan, r, "P", "offtake", 2026);
    assert_near(r->objective_value, 0.0, "s1 crash objective");
    ckp_result_free(r);

    /* A budget that cannot pay for the offtake: the loan, idle in the
       crash for price. */
    ckp_model_params_init(&mp);
    mp.budget_total = 110;
    r = run(plan, &mp);
    assert_pick(plan, r, "P", "loan", 2026);
    assert_near(r->objective_value, 1.0, "s1 budget 110");
    crash = scen_index(plan, r, "crash");
    assert_int_equal(r->n_idle, 2);
    for (int i = 0; i < 2; i++) {
        const ckp_idle *e = &r->idle[i];
        assert_int_equal(e->scenario, crash);
        assert_string_equal(plan->projects[e->project].id, "P");
        assert_int_equal(e->year, 2026 + i);
        assert_int_equal(e->reason, CKP_IDLE_PRICE);
        assert_string_equal(ckp_idle_reason_str(e->reason), "price");
        assert_string_equal(plan->commodities[e->commodity].id, "oxide");
        assert_near(e->price, 30000, "idle price");
        assert_near(e->breakeven, 50000, "idle breakeven");
        assert_near(e->capacity, 100, "idle capacity");
        assert_near(e->produced, 0, "idle production");
    }
    ckp_result_free(r);

    /* scenario with an unknown id, or with no_scenarios: usage. */
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    ckp_model *m = NULL;
    ckp_model_params_init(&mp);
    mp.scenario = "nope";
    assert_int_equal(ckp_model_build(plan, &mp, &m, &d), CKP_EUSAGE);
    assert_null(m);
    mp.no_scenarios = 1;
    mp.scenario = "calm";
    assert_int_equal(ckp_model_build(plan, &mp, &m, &d), CKP_EUSAGE);
    char *t = tu_diag_text(&d);
    assert_non_null(strstr(t, "unknown scenario 'nope'"));
    assert_non_null(strstr(t, "scenario 'calm' cannot be combined with no_scenarios"));
    free(t);
    ckp_diag_list_fini(&d);
    ckp_plan_free(plan);
}

/* s2: the stockpile covers what no project reaches in time. */
static void stockpile_covers_early_shortage(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/scenarios/s2-stockpile.xml");
    ckp_model_params mp;
    ckp_model_params_init(&mp);
    ckp_result *r = run(plan, &mp);
    int calm = scen_index(plan, r, "calm"), ban = scen_index(plan, r, "ban");
    int Y = r->n_years;
    assert_pick(plan, r, "P", "loan", 2026);
    assert_int_equal(r->n_stockpile_picks, 1);
    assert_int_equal(r->stockpile_picks[0].stockpile, 0);
    assert_int_equal(r->stockpile_picks[0].year, 2026);
    assert_near(r->commitment_total, 60, "s2 commitment");
    assert_near(r->spend[0], 60, "s2 spend 2026");
    assert_near(r->objective_value, 2.01 + 1e-6 * 0.2 * 0.5, "s2 objective");
    const double ban_release[] = {100, 100, 0, 0, 0};
    for (int y = 0; y < Y; y++) {
        assert_near(r->release[(ban * 1 + 0) * Y + y], ban_release[y], "s2 ban release");
        assert_near(r->release[(calm * 1 + 0) * Y + y], 0, "s2 calm release");
        assert_near(short0(r, plan, ban, y), 0, "s2 ban shortage");
        assert_near(short0(r, plan, calm, y), 0, "s2 calm shortage");
    }
    /* without the stockpile (the baseline funds nothing) the ban leaves
       100 t unserved in 2026 and 2027 */
    for (int y = 0; y < Y; y++)
        assert_near(r->scen_baseline_shortage[ban * Y + y], y < 2 ? 100 : 0,
                    "s2 baseline ban shortage");
    assert_near(r->scen_value[calm], 2.0, "s2 calm value");
    ckp_result_free(r);

    /* 150 t held: all of it released in 2026-2027 (either year is worth
       the same), at most 100 t a year, 50 t short in those two years. */
    plan->stockpiles[0].tonnes = 150;
    r = run(plan, &mp);
    ban = scen_index(plan, r, "ban");
    assert_int_equal(r->n_stockpile_picks, 1);
    double total = 0;
    for (int y = 0; y < Y; y++) {
        assert_true(r->release[ban * Y + y] <= 100 + TOL);
        total += r->release[ban * Y + y];
    }
    assert_near(r->release[ban * Y + 0] + r->release[ban * Y + 1], 150, "s2 150 t: early");
    assert_near(total, 150, "s2 150 t: total release");
    assert_near(short0(r, plan, ban, 0) + short0(r, plan, ban, 1), 50,
                "s2 150 t: shortage 2026-2027");
    ckp_result_free(r);

    /* Worst case: the ban (2.02) is the worst; the calm scenario is then
       held at its own best (2.0, no release) by the lexicographic step,
       not left anywhere up to 2.02. */
    plan->stockpiles[0].tonnes = 200;
    mp.measure = CKP_MEASURE_WORST;
    r = run(plan, &mp);
    calm = scen_index(plan, r, "calm");
    ban = scen_index(plan, r, "ban");
    assert_int_equal(r->n_stockpile_picks, 1);
    assert_near(r->scen_value[ban], 2.02 + 2e-7, "s2 worst: ban");
    assert_near(r->scen_value[calm], 2.0, "s2 worst: calm at its best");
    for (int y = 0; y < Y; y++) assert_near(r->release[calm * Y + y], 0, "s2 worst: calm");
    assert_near(r->objective_value, 2.02 + 2e-7, "s2 worst objective");
    ckp_result_free(r);
    mp.measure = -1;

    /* The calm scenario alone has no use for the stockpile: never bought,
       lexicographic or one stage without the tie-break (the pruning
       drops it if GLPK did). */
    mp.scenario = "calm";
    r = run(plan, &mp);
    assert_int_equal(r->n_stockpile_picks, 0);
    assert_near(r->objective_value, 2.0, "s2 calm alone, lexicographic");
    ckp_result_free(r);
    mp.lexicographic = 0;
    mp.tie_break = 0;
    r = run(plan, &mp);
    assert_int_equal(r->n_stockpile_picks, 0);
    assert_near(r->objective_value, 2.0, "s2 calm alone");
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* s3: export restriction and demand scale, exact shortage. */
static void export_restriction_shortage(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/scenarios/s3-export-shortage.xml");
    ckp_model_params mp;
    ckp_model_params_init(&mp);
    ckp_result *r = run(plan, &mp);
    int calm = scen_index(plan, r, "calm"), ban = scen_index(plan, r, "ban"),
        boom = scen_index(plan, r, "boom");
    const double want_short[3][3] = {{0, 0, 0}, {0, 500, 500}, {0, 0, 200}};
    const double want_share[3][3] = {{0.7, 0.7, 0.7}, {0.7, 0.2, 0.2},
                                     {0.7, 0.7, 1000.0 / 1500.0}};
    const int sc[3] = {calm, ban, boom};
    for (int k = 0; k < 3; k++)
        for (int y = 0; y < 3; y++) {
            assert_near(short0(r, plan, sc[k], y), want_short[k][y], "s3 shortage");
            assert_near(r->scen_exposure[sc[k] * 3 + y], want_share[k][y], "s3 share");
            assert_near(r->scen_stage_exposure[sc[k] * 3 + y], want_share[k][y],
                        "s3 stage share");
        }
    /* the restricted volume minus the non-chokepoint capacity */
    assert_near(1000 * (1 - 0.2) - 300, want_short[1][1], "s3 hand rule");
    /* expectations */
    const double exp_short[3] = {0, 150, 170};
    for (int y = 0; y < 3; y++) assert_near(r->shortage[y], exp_short[y], "s3 expected");
    assert_near(r->requirement[2], 0.9 * 1000 + 0.1 * 1500, "s3 expected requirement");
    assert_near(r->objective_value, 4.93, "s3 objective");
    /* no project: the baseline is the portfolio */
    for (int k = 0; k < 3; k++)
        assert_near(r->scen_value[k], r->scen_baseline_value[k], "s3 baseline");
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* s4: expected and worst case fund different projects. */
static void worst_case_differs(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/scenarios/s4-worst-vs-expected.xml");
    ckp_model_params mp;
    ckp_model_params_init(&mp);
    ckp_result *r = run(plan, &mp);
    assert_int_equal(r->measure, CKP_MEASURE_EXPECTED);
    assert_pick(plan, r, "A", "loan", 2026);
    assert_near(r->objective_value, 0.2, "s4 expected");
    int slump = scen_index(plan, r, "slump");
    assert_near(r->scen_value[slump], 2, "s4 A in the slump");
    assert_int_equal(r->n_idle, 2); /* A idles both slump years */
    assert_int_equal(r->idle[0].reason, CKP_IDLE_PRICE);
    assert_int_equal(r->idle[0].scenario, slump);
    ckp_result_free(r);

    mp.measure = CKP_MEASURE_WORST;
    r = run(plan, &mp);
    assert_int_equal(r->measure, CKP_MEASURE_WORST);
    assert_pick(plan, r, "B", "loan", 2026);
    assert_near(r->objective_value, 0.8, "s4 worst case");
    for (int s = 0; s < r->n_scenarios; s++) assert_near(r->scen_value[s], 0.8, "s4 B");
    assert_int_equal(r->n_idle, 0);
    ckp_result_free(r);

    /* Goal mode over scenarios: the cheapest portfolio whose measure is
       at most 0.5 x the baseline's (2 share-years under both measures).
       Expected: A and B cost the same and both reach it, the exposure
       second key (exposure) keeps A (0.2 < 0.8); worst case: only B (0.8 <= 1). */
    ckp_model_params gp;
    ckp_model_params_init(&gp);
    gp.min_cost = 1;
    gp.target = 0.5;
    r = run(plan, &gp);
    assert_pick(plan, r, "A", "loan", 2026);
    assert_near(r->goal_base, 2, "s4 goal base (expected)");
    assert_near(r->goal_reached, 0.2, "s4 goal reached (expected)");
    ckp_result_free(r);
    gp.measure = CKP_MEASURE_WORST;
    r = run(plan, &gp);
    assert_pick(plan, r, "B", "loan", 2026);
    assert_near(r->goal_base, 2, "s4 goal base (worst)");
    assert_near(r->goal_reached, 0.8, "s4 goal reached (worst)");
    ckp_result_free(r);
    gp.target = 0.3; /* 0.6: no single project's worst case gets there */
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    ckp_result *inf = NULL;
    assert_int_equal(ckp_run(plan, &gp, NULL, &inf, &d), CKP_OK);
    assert_int_equal(inf->status, CKP_MIP_INFEASIBLE);
    assert_near(inf->best_reachable, 0.8, "s4 best reachable (worst)");
    ckp_result_free(inf);
    ckp_diag_list_fini(&d);

    /* min-max under both measures runs and keeps the choices (one
       stage: min-max equals weighted here) */
    mp.objective = CKP_OBJ_MINMAX;
    r = run(plan, &mp);
    assert_pick(plan, r, "B", "loan", 2026);
    ckp_result_free(r);
    mp.measure = CKP_MEASURE_EXPECTED;
    r = run(plan, &mp);
    assert_pick(plan, r, "A", "loan", 2026);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* s5: under the worst case the other scenarios are at their best. */
static void worst_case_pins_the_others(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/scenarios/s5-worst-pin.xml");
    ckp_model_params mp;
    ckp_model_params_init(&mp); /* the plan's measure: worst case */
    ckp_result *r = run(plan, &mp);
    assert_int_equal(r->measure, CKP_MEASURE_WORST);
    int calm = scen_index(plan, r, "calm"), ban = scen_index(plan, r, "ban"),
        crash = scen_index(plan, r, "crash"), Y = r->n_years;
    assert_pick(plan, r, "S", "loan", 2026);
    assert_int_equal(r->n_stockpile_picks, 1);
    assert_near(r->scen_value[ban], 7.04 + 2e-7, "s5 ban");
    assert_near(r->scen_value[calm], 5, "s5 calm");
    assert_near(r->scen_value[crash], 7, "s5 crash at its best");
    for (int y = 0; y < Y; y++) {
        assert_near(r->release[crash * Y + y], 0, "s5 crash release");
        assert_near(r->release[calm * Y + y], 0, "s5 calm release");
        assert_near(r->release[ban * Y + y], y >= 2 ? 100 : 0, "s5 ban release");
    }
    assert_near(r->scen_baseline_value[calm], 8, "s5 baseline calm");
    assert_near(r->scen_baseline_value[ban], 24, "s5 baseline ban");
    assert_near(r->scen_baseline_value[crash], 8, "s5 baseline crash");
    assert_near(r->baseline_objective, 24, "s5 baseline objective (worst)");
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* The text of a plan file with `insert` placed before </plan>. */
static char *with_scenarios(const char *rel, const char *insert)
{
    size_t n;
    char *xml = tu_read_file(tu_path(rel), &n);
    assert_non_null(xml);
    char *end = strstr(xml, "</plan>");
    assert_non_null(end);
    size_t head = (size_t)(end - xml), len = head + strlen(insert) + strlen(end) + 1;
    char *out = malloc(len);
    assert_non_null(out);
    snprintf(out, len, "%.*s%s%s", (int)head, xml, insert, end);
    free(xml);
    return out;
}

static void same_result(const ckp_plan *pa, const ckp_result *a, const ckp_result *b)
{
    assert_int_equal(a->n_picks, b->n_picks);
    for (int i = 0; i < a->n_picks; i++) {
        assert_int_equal(a->picks[i].project, b->picks[i].project);
        assert_int_equal(a->picks[i].option, b->picks[i].option);
        assert_int_equal(a->picks[i].start, b->picks[i].start);
    }
    assert_int_equal(a->n_upgrade_picks, b->n_upgrade_picks);
    assert_true(fabs(a->objective_value - b->objective_value) <=
                1e-12 * fmax(1.0, fabs(a->objective_value)));
    int n = pa->n_stages * a->n_years;
    for (int i = 0; i < n; i++) {
        if (isnan(a->stage_exposure[i])) {
            assert_true(isnan(b->stage_exposure[i]));
            continue;
        }
        assert_true(fabs(a->stage_exposure[i] - b->stage_exposure[i]) <= 1e-12);
    }
}

/* One scenario of probability 1 (with changes that change nothing) is
 * the plan without scenarios: same portfolio, objective and shares. */
static void one_scenario_is_the_plan(void **state)
{
    (void)state;
    static const char *files[] = {"data/optima/b-upgrade-unlocks.xml",
                                  "data/optima/e-stage-linkage.xml",
                                  "data/optima/f-weighted-vs-minmax.xml"};
    static const char *insert =
        "<scenarios><scenario id=\"only\" probability=\"1\">"
        "<demand-scale scale=\"1\"/></scenario></scenarios>";
    for (size_t k = 0; k < sizeof files / sizeof *files; k++) {
        ckp_plan *plain = tu_load_checked(files[k]);
        char *xml = with_scenarios(files[k], insert);
        ckp_plan *one = tu_load_checked_str(xml);
        free(xml);
        assert_int_equal(one->n_scenarios, 1);
        for (int obj = 0; obj < 2; obj++)
            for (int meas = 0; meas < 2; meas++) {
                ckp_model_params mp;
                ckp_model_params_init(&mp);
                mp.objective = obj;
                mp.measure = meas;
                ckp_result *a = run(plain, &mp);
                ckp_result *b = run(one, &mp);
                assert_int_equal(a->n_scenarios, 1);
                assert_int_equal(a->scenario_plan[0], -1);
                assert_int_equal(b->n_scenarios, 1);
                assert_int_equal(b->scenario_plan[0], 0);
                same_result(plain, a, b);
                ckp_result_free(a);
                ckp_result_free(b);
            }
        ckp_plan_free(plain);
        ckp_plan_free(one);
    }
}

static int find_col(const ckp_model *m, const char *name)
{
    for (int j = 0; j < m->mip.n_cols; j++)
        if (strcmp(m->mip.col_name[j], name) == 0) return j;
    return -1;
}

static int find_row(const ckp_model *m, const char *name)
{
    for (int i = 0; i < m->mip.n_rows; i++)
        if (strcmp(m->mip.row_name[i], name) == 0) return i;
    return -1;
}

static double coef(const ckp_model *m, const char *row, const char *col)
{
    int i = find_row(m, row), j = find_col(m, col);
    if (i < 0 || j < 0) fail_msg("no row %s or column %s", row, col);
    for (int k = 0; k < m->mip.nnz; k++)
        if (m->mip.ia[k] == i && m->mip.ja[k] == j) return m->mip.ar[k];
    return 0.0;
}

/* The builder's scenario rows: names, price idling in cap rows, export
 * scale in bounds, stockpile rows, probability weights, worst rows. */
static void scenario_rows(void **state)
{
    (void)state;
    ckp_plan *p1 = tu_load_checked("data/scenarios/s1-price-support.xml");
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    ckp_model *m = NULL;
    assert_int_equal(ckp_model_build(p1, NULL, &m, &d), CKP_OK);
    assert_int_equal(m->n_scen, 2);
    assert_near(m->scen_prob[0], 0.5, "prob");
    /* calm: both options carry capacity; crash: only the offtake */
    assert_near(coef(m, "cap[P,2026,calm]", "x[P,loan,2026]"), -0.1, "calm loan");
    assert_near(coef(m, "cap[P,2026,calm]", "x[P,offtake,2026]"), -0.1, "calm offtake");
    assert_near(coef(m, "cap[P,2026,crash]", "x[P,loan,2026]"), 0.0, "crash loan");
    assert_near(coef(m, "cap[P,2026,crash]", "x[P,offtake,2026]"), -0.1, "crash offtake");
    /* expected: production objective = probability x w x risk / R_kt */
    assert_near(m->mip.obj[find_col(m, "q[cn,2026,crash]")], 0.5 * 1 / 0.1, "obj q");
    assert_near(m->scen_coef[find_col(m, "q[cn,2026,crash]")], 10, "scen coef q");
    assert_int_equal(m->worst_col, -1);
    ckp_model_free(m);

    /* worst case: W, one row per scenario, scenario columns out of the
       objective */
    ckp_model_params mp;
    ckp_model_params_init(&mp);
    mp.measure = CKP_MEASURE_WORST;
    assert_int_equal(ckp_model_build(p1, &mp, &m, &d), CKP_OK);
    assert_true(m->worst_col >= 0);
    assert_string_equal(m->mip.col_name[m->worst_col], "W");
    assert_near(m->mip.obj[m->worst_col], 1, "obj W");
    assert_near(m->mip.obj[find_col(m, "q[cn,2026,crash]")], 0, "worst obj q");
    assert_near(coef(m, "worst[crash]", "q[cn,2026,crash]"), 10, "worst row q");
    assert_near(coef(m, "worst[crash]", "W"), -1, "worst row W");
    assert_near(coef(m, "worst[calm]", "q[cn,2026,crash]"), 0, "other scenario");
    ckp_model_free(m);

    /* one scenario: names as without scenarios */
    mp.scenario = "crash";
    assert_int_equal(ckp_model_build(p1, &mp, &m, &d), CKP_OK);
    assert_true(find_row(m, "cap[P,2026]") >= 0);
    assert_int_equal(m->worst_col, -1);
    assert_near(coef(m, "cap[P,2026]", "x[P,loan,2026]"), 0.0, "crash alone loan");
    ckp_model_free(m);
    ckp_plan_free(p1);

    /* stockpile rows and export-scaled bounds */
    ckp_plan *p2 = tu_load_checked("data/scenarios/s2-stockpile.xml");
    assert_int_equal(ckp_model_build(p2, NULL, &m, &d), CKP_OK);
    int w = find_col(m, "w[K]");
    assert_true(w >= 0 && m->stock_col[0] == w);
    assert_near(coef(m, "stock_rel[K,2026,ban]", "r[K,2026,ban]"), 1, "release row");
    assert_near(coef(m, "stock_rel[K,2026,ban]", "w[K]"), -0.1, "release limit");
    assert_near(coef(m, "stock_tot[K,ban]", "w[K]"), -0.2, "held");
    assert_near(coef(m, "stock_tot[K,ban]", "r[K,2030,ban]"), 1, "held release");
    assert_near(coef(m, "bal[oxide,2027,ban]", "r[K,2027,ban]"), 1, "balance release");
    assert_near(coef(m, "budget_total", "w[K]"), 10, "budget");
    assert_near(m->mip.col_ub[find_col(m, "q[cn,2026,ban]")], 0, "ban bound");
    assert_near(m->mip.col_ub[find_col(m, "q[cn,2028,ban]")], 0.1, "after the ban");
    assert_near(m->mip.col_ub[find_col(m, "q[cn,2026,calm]")], 0.1, "calm bound");
    /* release: 1.01 x S (1/R per t = 10 per kt) + 1e-6, x probability */
    assert_near(m->scen_coef[find_col(m, "r[K,2026,ban]")], 10.1 + 1e-6, "release cost");
    ckp_model_free(m);
    /* the baseline buys no stockpile */
    ckp_model_params_init(&mp);
    mp.no_projects = 1;
    assert_int_equal(ckp_model_build(p2, &mp, &m, &d), CKP_OK);
    assert_int_equal(m->stock_col[0], -1);
    assert_int_equal(find_col(m, "r[K,2026,ban]"), -1);
    ckp_model_free(m);
    ckp_plan_free(p2);
    assert_int_equal(d.n_errors, 0);
    ckp_diag_list_fini(&d);
}

/* An export restriction upstream idles a funded magnet plant: the reason
 * names the restricted commodity and country. */
static void idle_export_upstream(void **state)
{
    (void)state;
    static const char *xml =
        "<plan xmlns=\"urn:chokepoint:plan:1\" version=\"1\" name=\"idle\" currency=\"USD\">"
        "<horizon first=\"2026\" last=\"2027\"/>"
        "<countries><country id=\"CN\" risk=\"1\"/><country id=\"US\" risk=\"0\"/></countries>"
        "<stages><stage id=\"sep\" order=\"1\"/><stage id=\"mag\" order=\"2\"/></stages>"
        "<commodities><commodity id=\"oxide\" stage=\"sep\"/>"
        "<commodity id=\"magnet\" stage=\"mag\"><made-from commodity=\"oxide\" per-tonne=\"0.5\"/>"
        "<demand year=\"2026\" tonnes=\"100\"/></commodity></commodities>"
        "<facilities><facility id=\"cn-sep\" country=\"CN\" output=\"oxide\" capacity=\"100\" available=\"1\"/>"
        "<facility id=\"cn-mag\" country=\"CN\" output=\"magnet\" capacity=\"100\" available=\"1\">"
        "<input commodity=\"oxide\" per-tonne=\"0.5\"/></facility></facilities>"
        "<projects><project id=\"M\" country=\"US\" output=\"magnet\" capacity=\"100\" capex=\"50\" "
        "permit=\"granted\" build-years=\"0\"><input commodity=\"oxide\" per-tonne=\"0.5\"/>"
        "<option id=\"loan\" instrument=\"loan\" commitment=\"50\"/></project></projects>"
        "<budget total=\"50\"/><objective kind=\"weighted\"/>"
        "<scenarios><scenario id=\"calm\" probability=\"0.5\"/>"
        "<scenario id=\"ban\" probability=\"0.5\">"
        "<export-restriction country=\"CN\" commodity=\"oxide\" from=\"2027\" scale=\"0\"/>"
        "</scenario></scenarios></plan>";
    ckp_plan *plan = tu_load_checked_str(xml);
    ckp_model_params mp;
    ckp_model_params_init(&mp);
    ckp_result *r = run(plan, &mp);
    assert_pick(plan, r, "M", "loan", 2026);
    int ban = scen_index(plan, r, "ban");
    assert_int_equal(r->n_idle, 1);
    const ckp_idle *e = &r->idle[0];
    assert_int_equal(e->scenario, ban);
    assert_int_equal(e->year, 2027);
    assert_int_equal(e->reason, CKP_IDLE_EXPORT);
    assert_string_equal(plan->commodities[e->commodity].id, "oxide");
    assert_string_equal(plan->countries[e->country].id, "CN");
    assert_near(short0(r, plan, ban, 1), 0, "oxide has no demand of its own");
    /* magnets short in the ban year: no oxide reaches any magnet plant */
    assert_near(r->scen_shortage[((size_t)ban * 2 + 1) * 2 + 1], 100, "magnet shortage");
    ckp_result_free(r);
    ckp_plan_free(plan);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(price_support_flips_option),
        cmocka_unit_test(stockpile_covers_early_shortage),
        cmocka_unit_test(export_restriction_shortage),
        cmocka_unit_test(worst_case_differs),
        cmocka_unit_test(worst_case_pins_the_others),
        cmocka_unit_test(one_scenario_is_the_plan),
        cmocka_unit_test(scenario_rows),
        cmocka_unit_test(idle_export_upstream),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
