/* test_mathprog.c: the GNU MathProg twin (models/chokepoint.mod) against
 * the C builder.  For each case the model is built by ckp_model_build(),
 * its data written by ckp_mathprog_save_data(), and glpsol translates and
 * solves models/chokepoint.mod on it.  Required:
 *   - the same size: glpsol's generated model has the C model's rows (+1,
 *     the objective row), columns and non-zeros (matrix + objective);
 *   - the same optimal objective, relative 1e-6 (GLPK's own tolerances on
 *     two equal MIPs whose rows come in a different order).
 * What is compared is the MIP's objective as built, tie-break term
 * included (the .mod carries it identically); every family of cases also
 * runs with tie_break = 0, the pure exposure objective, which is what the
 * lexicographic first stage solves.  The C side is ckp_solve() on the
 * built MIP (no pruning, no pinning: those are post-solve steps of
 * ckp_run, docs/formulation.md 7).
 *
 * Cases: the hand plans (tiny, scenarios s1-s5, optima) under every
 * override (min-max, force, exclude, baseline, budget, penalty, max-share,
 * worst case, one scenario, min-cost), the bundled plans with and without
 * scenarios, generated plans of 20-25 projects with and without scenarios
 * and stockpiles, and the CLI flag (overrides reach the data, exit codes
 * 2 and 6).  Without glpsol every test that needs it is skipped, saying
 * so; writer_errors (an id no symbol can hold, out of memory at every
 * allocation, a non-regular target) runs anyway.  glpsol runs without a time limit: the plans are small (the
 * largest, the bundled magnet plan with its four scenarios, is a few
 * seconds of glpsol). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"

#include "ckp/check.h"
#include "ckp/load.h"
#include "ckp/mathprog.h"
#include "ckp/model.h"
#include "ckp/solve.h"
#include "util/alloc.h"

static char g_glpsol[4096];
static char g_dir[64];
static int g_seq;

#define MODEL_FILE CKP_SOURCE_DIR "/models/chokepoint.mod"

static int find_glpsol(void)
{
    const char *env = getenv("CKP_GLPSOL");
    if (env && *env) {
        snprintf(g_glpsol, sizeof g_glpsol, "%s", env);
        return access(g_glpsol, X_OK) == 0;
    }
    const char *path = getenv("PATH");
    if (!path) path = "/usr/bin:/bin";
    while (*path) {
        const char *colon = strchr(path, ':');
        size_t n = colon ? (size_t)(colon - path) : strlen(path);
        snprintf(g_glpsol, sizeof g_glpsol, "%.*s/glpsol", (int)n, n ? path : ".");
        if (access(g_glpsol, X_OK) == 0) return 1;
        path += n + (colon ? 1 : 0);
    }
    g_glpsol[0] = '\0';
    return 0;
}

static int group_setup(void **state)
{
    (void)state;
    if (!find_glpsol()) g_glpsol[0] = '\0';
    char *dir = tu_tmpdir("mathprog");
    snprintf(g_dir, sizeof g_dir, "%s", dir);
    free(dir);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    tu_tmp_remove(g_dir);
    return 0;
}

#define NEED_GLPSOL()                                                          \
    do {                                                                       \
        if (!g_glpsol[0]) {                                                    \
            print_message("skipped: glpsol not found on PATH (Debian package " \
                          "glpk-utils; or set CKP_GLPSOL)\n");                 \
            skip();                                                            \
        }                                                                      \
    } while (0)

typedef struct mp_result {
    double objective;
    int rows, cols, nnz;
} mp_result;

/* Translate and solve the .mod on dat with glpsol. */
static void run_glpsol(const char *dat, mp_result *r)
{
    char cmd[8400];
    char *out = NULL;
    snprintf(cmd, sizeof cmd, "'%s' --math '%s' --data '%s'", g_glpsol, MODEL_FILE, dat);
    int st = tu_run(cmd, &out, NULL);
    if (st != 0 || !out) print_error("glpsol failed (%d):\n%s\n", st, out ? out : "");
    assert_int_equal(st, 0);
    const char *gen = strstr(out, "Model has been successfully generated\n");
    assert_non_null(gen);
    /* the size follows on the next line that reads "N rows, ..." (after
       the optimizer's banner) */
    int got = 0;
    for (const char *l = gen; l && *l && got != 3; l = strchr(l, '\n'), l = l ? l + 1 : l)
        got = sscanf(l, "%d rows, %d columns, %d non-zeros", &r->rows, &r->cols, &r->nnz);
    assert_int_equal(got, 3);
    const char *obj = strstr(out, "chokepoint objective ");
    if (!obj) print_error("no objective in glpsol's output:\n%s\n", out);
    assert_non_null(obj);
    r->objective = strtod(obj + strlen("chokepoint objective "), NULL);
    free(out);
}

/* C side: build, solve, and compare with the twin on the exported data. */
static void check_twin(const ckp_plan *plan, const ckp_model_params *mp, const char *label)
{
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    ckp_model *m = NULL;
    ckp_status st = ckp_model_build(plan, mp, &m, &d);
    if (st != CKP_OK) {
        char *t = tu_diag_text(&d);
        print_error("%s: build failed (%s):\n%s", label, ckp_status_str(st), t);
        free(t);
    }
    assert_int_equal(st, CKP_OK);

    char dat[128];
    snprintf(dat, sizeof dat, "%s/case%d.dat", g_dir, ++g_seq);
    assert_int_equal(ckp_mathprog_save_data(m, dat, &d), CKP_OK);

    ckp_solve_params sp;
    ckp_solve_params_init(&sp);
    ckp_solution *sol = NULL;
    assert_int_equal(ckp_solve(&m->mip, &sp, NULL, &sol, &d), CKP_OK);
    assert_int_equal(sol->status, CKP_MIP_OPTIMAL);

    mp_result r;
    run_glpsol(dat, &r);
    int obj_nz = 0;
    for (int j = 0; j < m->mip.n_cols; j++) obj_nz += m->mip.obj[j] != 0;
    double tol = 1e-6 * fmax(1.0, fabs(sol->objective));
    if (fabs(r.objective - sol->objective) > tol || r.rows != m->mip.n_rows + 1 ||
        r.cols != m->mip.n_cols || r.nnz != m->mip.nnz + obj_nz)
        print_error("%s (%s): C objective %.12g, %d rows, %d columns, %d non-zeros; "
                    "MathProg %.12g, %d rows, %d columns, %d non-zeros\n",
                    label, dat, sol->objective, m->mip.n_rows + 1, m->mip.n_cols,
                    m->mip.nnz + obj_nz, r.objective, r.rows, r.cols, r.nnz);
    assert_true(fabs(r.objective - sol->objective) <= tol);
    assert_int_equal(r.rows, m->mip.n_rows + 1);
    assert_int_equal(r.cols, m->mip.n_cols);
    assert_int_equal(r.nnz, m->mip.nnz + obj_nz);
    ckp_solution_free(sol);
    ckp_model_free(m);
    ckp_diag_list_fini(&d);
}

/* The same case with the plain parameters and with tie_break = 0. */
static void check_both(const ckp_plan *plan, const ckp_model_params *mp, const char *label)
{
    ckp_model_params p = *mp;
    check_twin(plan, &p, label);
    p.tie_break = 0;
    check_twin(plan, &p, label);
}

static ckp_plan *load_abs(const char *path)
{
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    ckp_plan *plan = NULL;
    ckp_status st = ckp_plan_load(path, &plan, &d);
    if (st == CKP_OK) st = ckp_plan_check(plan, &d);
    assert_int_equal(st, CKP_OK);
    ckp_diag_list_fini(&d);
    return plan;
}

static void tiny_overrides(void **state)
{
    (void)state;
    NEED_GLPSOL();
    ckp_plan *plan = tu_load_checked("data/build/tiny.xml");
    ckp_model_params p;
    const char *p2[] = {"p2"}, *p1[] = {"p1"};
    ckp_model_params_init(&p);
    check_both(plan, &p, "tiny");
    p.objective = CKP_OBJ_MINMAX;
    check_both(plan, &p, "tiny min-max");
    ckp_model_params_init(&p);
    p.force = p2;
    p.n_force = 1;
    check_twin(plan, &p, "tiny --force p2");
    ckp_model_params_init(&p);
    p.exclude = p1;
    p.n_exclude = 1;
    check_twin(plan, &p, "tiny --exclude p1");
    ckp_model_params_init(&p);
    p.no_projects = 1;
    check_twin(plan, &p, "tiny baseline");
    ckp_model_params_init(&p);
    p.budget_total = 150;
    p.shortage_penalty = 3;
    check_twin(plan, &p, "tiny --budget 150 --shortage-penalty 3");
    ckp_model_params_init(&p);
    p.max_share = 0.65;
    check_both(plan, &p, "tiny --max-share 0.65");
    ckp_plan_free(plan);

    /* a commodity nothing makes, uses or demands: no balance rows */
    char *xml = tu_read_file(tu_path("data/build/tiny.xml"), NULL);
    assert_non_null(xml);
    const char *at = strstr(xml, "<commodity id=\"oxide\"");
    assert_non_null(at);
    size_t head = (size_t)(at - xml), n = strlen(xml);
    const char *extra = "<commodity id=\"dust\" stage=\"sep\"/>\n    ";
    char *x2 = malloc(n + strlen(extra) + 1);
    assert_non_null(x2);
    memcpy(x2, xml, head);
    strcpy(x2 + head, extra);
    strcat(x2, xml + head);
    plan = tu_load_checked_str(x2);
    ckp_model_params_init(&p);
    check_twin(plan, &p, "tiny + an idle commodity");
    ckp_plan_free(plan);
    free(x2);
    free(xml);
}

static void optima_plans(void **state)
{
    (void)state;
    NEED_GLPSOL();
    static const char *const plans[] = {
        "data/optima/a-lead-time.xml",        "data/optima/b-upgrade-unlocks.xml",
        "data/optima/c-requires-excludes.xml", "data/optima/d-year-budget.xml",
        "data/optima/e-stage-linkage.xml",    "data/optima/f-weighted-vs-minmax.xml",
        "data/optima/l-max-share-missed.xml", "data/optima/m-max-share-funds.xml"};
    for (size_t i = 0; i < sizeof plans / sizeof *plans; i++) {
        ckp_plan *plan = tu_load_checked(plans[i]);
        ckp_model_params p;
        ckp_model_params_init(&p);
        check_twin(plan, &p, plans[i]);
        p.objective = CKP_OBJ_MINMAX;
        check_twin(plan, &p, plans[i]);
        ckp_model_params_init(&p);
        p.max_share = 0.65;
        check_twin(plan, &p, plans[i]);
        ckp_plan_free(plan);
    }
}

/* min-cost needs the baseline's value B: the C baseline model's optimum
 * (what ckp_run computes), given to both sides. */
static void min_cost_goal(void **state)
{
    (void)state;
    NEED_GLPSOL();
    static const char *const plans[] = {"data/optima/n-min-cost.xml",
                                        "data/scenarios/s4-worst-vs-expected.xml"};
    for (size_t i = 0; i < sizeof plans / sizeof *plans; i++) {
        ckp_plan *plan = tu_load_checked(plans[i]);
        for (int worst = 0; worst < 2; worst++) {
            ckp_model_params p;
            ckp_model_params_init(&p);
            p.no_projects = 1;
            p.measure = worst ? CKP_MEASURE_WORST : CKP_MEASURE_EXPECTED;
            ckp_model *m = NULL;
            assert_int_equal(ckp_model_build(plan, &p, &m, NULL), CKP_OK);
            ckp_solve_params sp;
            ckp_solve_params_init(&sp);
            ckp_solution *sol = NULL;
            assert_int_equal(ckp_solve(&m->mip, &sp, NULL, &sol, NULL), CKP_OK);
            double base = sol->objective;
            ckp_solution_free(sol);
            ckp_model_free(m);

            p.no_projects = 0;
            p.min_cost = 1;
            p.target_base = base;
            p.target = 0.6;
            check_twin(plan, &p, plans[i]);
            p.target = 0.9;
            check_both(plan, &p, plans[i]);
        }
        ckp_plan_free(plan);
    }
}

/* The measure cannot be gamed (docs/formulation.md 7): the dearest route
 * S* (a facility using more input than the recipe) prices stockpile
 * releases and floors the shortage term; a final good of weight 0 and a
 * penalty too low for the chain meet the floor.  Additionality (7h): a
 * committed project (bounds, ramp, requires and excludes rows), contracts
 * on a facility and a project, an option that buys them out; each also
 * as the baseline.  Instrument terms (docs/finance.md): budgets in
 * expected cost (g, h: a twin that counted commitment would fund nothing
 * in g) and a contingent-liability cap per year and in all (i). */
static void finance_plans(void **state)
{
    (void)state;
    NEED_GLPSOL();
    static const char *const plans[] = {"data/finance/a-stock-ratio.xml",
                                        "data/finance/b-weight-zero.xml",
                                        "data/finance/c-committed.xml",
                                        "data/finance/d-contract.xml",
                                        "data/chain/g-feeds.xml",
                                        "data/finance/g-guarantee-vs-loan.xml",
                                        "data/finance/h-price-floor.xml",
                                        "data/finance/i-contingent-cap.xml"};
    for (size_t i = 0; i < sizeof plans / sizeof *plans; i++) {
        ckp_plan *plan = tu_load_checked(plans[i]);
        ckp_model_params p;
        ckp_model_params_init(&p);
        check_both(plan, &p, plans[i]);
        p.objective = CKP_OBJ_MINMAX;
        check_twin(plan, &p, plans[i]);
        ckp_model_params_init(&p);
        p.shortage_penalty = 1.5;
        check_twin(plan, &p, plans[i]);
        ckp_model_params_init(&p);
        p.no_projects = 1;
        check_twin(plan, &p, plans[i]);
        ckp_plan_free(plan);
    }
    ckp_plan *plan = tu_load_checked("data/build/tiny.xml");
    ckp_model_params p;
    ckp_model_params_init(&p);
    p.shortage_penalty = 1.4; /* below 1.02 x S*: the floor prices shortage */
    check_both(plan, &p, "tiny.xml, penalty 1.4");
    ckp_plan_free(plan);
}

static void scenario_plans(void **state)
{
    (void)state;
    NEED_GLPSOL();
    static const char *const plans[] = {
        "data/scenarios/s1-price-support.xml", "data/scenarios/s2-stockpile.xml",
        "data/scenarios/s3-export-shortage.xml", "data/scenarios/s4-worst-vs-expected.xml",
        "data/scenarios/s5-worst-pin.xml"};
    for (size_t i = 0; i < sizeof plans / sizeof *plans; i++) {
        ckp_plan *plan = tu_load_checked(plans[i]);
        ckp_model_params p;
        ckp_model_params_init(&p);
        check_both(plan, &p, plans[i]);
        p.measure = CKP_MEASURE_WORST;
        check_twin(plan, &p, plans[i]);
        p.objective = CKP_OBJ_MINMAX;
        check_twin(plan, &p, plans[i]);
        ckp_model_params_init(&p);
        p.scenario = plan->scenarios[plan->n_scenarios - 1].id;
        check_twin(plan, &p, plans[i]);
        ckp_model_params_init(&p);
        p.no_scenarios = 1;
        check_twin(plan, &p, plans[i]);
        ckp_plan_free(plan);
    }
}

static void bundled_plans(void **state)
{
    (void)state;
    NEED_GLPSOL();
    static const char *const plans[] = {"../inputs/graphite-anode.xml",
                                        "../inputs/rare-earth-magnets.xml"};
    for (size_t i = 0; i < sizeof plans / sizeof *plans; i++) {
        ckp_plan *plan = tu_load_checked(plans[i]);
        assert_true(plan->n_scenarios > 1);
        ckp_model_params p;
        ckp_model_params_init(&p);
        check_twin(plan, &p, plans[i]);
        p.no_scenarios = 1;
        check_twin(plan, &p, plans[i]);
        ckp_plan_free(plan);
    }
    /* the exposure objective alone, and the other measure and objective,
       on the graphite plan (the magnet plan is the slow one for glpsol) */
    ckp_plan *plan = tu_load_checked(plans[0]);
    ckp_model_params p;
    ckp_model_params_init(&p);
    p.tie_break = 0;
    check_twin(plan, &p, "graphite tie-break 0");
    ckp_model_params_init(&p);
    p.measure = CKP_MEASURE_WORST;
    p.objective = CKP_OBJ_MINMAX;
    check_twin(plan, &p, "graphite worst-case min-max");
    ckp_plan_free(plan);
}

static void generated_plans(void **state)
{
    (void)state;
    NEED_GLPSOL();
    static const char *const args[] = {
        "--projects 25 --seed 1",
        "--projects 20 --scenarios 3 --stockpiles 2 --years 8",
        "--projects 22 --scenarios 5 --stockpiles 2 --years 7 --seed 3"};
    for (size_t i = 0; i < sizeof args / sizeof *args; i++) {
        char xml[128], cmd[1024];
        snprintf(xml, sizeof xml, "%s/gen%zu.xml", g_dir, i);
        snprintf(cmd, sizeof cmd, "'%s/../bench/ckp-genplan' %s --out '%s'", CKP_TESTS_BIN,
                 args[i], xml);
        assert_int_equal(tu_run(cmd, NULL, NULL), 0);
        ckp_plan *plan = load_abs(xml);
        ckp_model_params p;
        ckp_model_params_init(&p);
        if (i == 1)
            check_both(plan, &p, args[i]);
        else
            check_twin(plan, &p, args[i]);
        if (plan->n_scenarios > 0) {
            /* (the 20-project plan under worst case + min-max takes the C
               solver minutes: kept out, see docs/performance.md) */
            p.measure = CKP_MEASURE_WORST;
            p.objective = i == 2 ? CKP_OBJ_MINMAX : CKP_OBJ_WEIGHTED;
            check_twin(plan, &p, args[i]);
        }
        ckp_plan_free(plan);
    }
}

/* chokepoint export --mathprog-data: the overrides reach the data (the
 * file solves to the library model's optimum), usage and output errors
 * have their exit codes, and a failed write leaves no file. */
static void cli_flag(void **state)
{
    (void)state;
    NEED_GLPSOL();
    const char *bin = getenv("CKP_BIN");
    if (!bin) bin = CKP_CLI_BIN;
    char dat[128], cmd[2048];
    snprintf(dat, sizeof dat, "%s/cli.dat", g_dir);
    snprintf(cmd, sizeof cmd,
             "'%s' export -q '%s' --mathprog-data '%s' --force p2 --objective min-max "
             "--budget 400", bin, tu_path("data/build/tiny.xml"), dat);
    assert_int_equal(tu_run(cmd, NULL, NULL), 0);
    mp_result r;
    run_glpsol(dat, &r);

    ckp_plan *plan = tu_load_checked("data/build/tiny.xml");
    const char *p2[] = {"p2"};
    ckp_model_params p;
    ckp_model_params_init(&p);
    p.force = p2;
    p.n_force = 1;
    p.objective = CKP_OBJ_MINMAX;
    p.budget_total = 400;
    p.tie_break = 0; /* export writes the lexicographic solve's stage 1 */
    ckp_model *m = NULL;
    assert_int_equal(ckp_model_build(plan, &p, &m, NULL), CKP_OK);
    ckp_solve_params sp;
    ckp_solve_params_init(&sp);
    ckp_solution *sol = NULL;
    assert_int_equal(ckp_solve(&m->mip, &sp, NULL, &sol, NULL), CKP_OK);
    assert_true(fabs(r.objective - sol->objective) <= 1e-6 * fmax(1, fabs(sol->objective)));
    assert_int_equal(r.cols, m->mip.n_cols);
    ckp_solution_free(sol);
    ckp_model_free(m);
    ckp_plan_free(plan);

    snprintf(cmd, sizeof cmd, "'%s' export -q '%s' --mathprog-data ''", bin,
             tu_path("data/build/tiny.xml"));
    assert_int_equal(tu_run(cmd, NULL, NULL), 2);
    snprintf(cmd, sizeof cmd, "'%s' export -q '%s' --mathprog-data '%s/no/such/dir.dat'",
             bin, tu_path("data/build/tiny.xml"), g_dir);
    assert_int_equal(tu_run(cmd, NULL, NULL), 6);
    struct stat sb;
    char missing[160];
    snprintf(missing, sizeof missing, "%s/no", g_dir);
    assert_int_not_equal(stat(missing, &sb), 0);
}

/* Without glpsol: the writer's error paths.  An id no MathProg symbol can
 * hold (the schema never lets one through; a plan built in memory could)
 * is CKP_EINVALID naming it; out of memory is CKP_ENOMEM at every
 * allocation; a path that is not a regular file is written in place. */
static void writer_errors(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/build/tiny.xml");
    ckp_model *m = NULL;
    assert_int_equal(ckp_model_build(plan, NULL, &m, NULL), CKP_OK);
    assert_int_equal(ckp_mathprog_save_data(m, "/dev/null", NULL), CKP_OK);

    for (long n = 1;; n++) {
        char path[128];
        snprintf(path, sizeof path, "%s/oom.dat", g_dir);
        ckp_alloc_fail_after(n);
        ckp_status st = ckp_mathprog_save_data(m, path, NULL);
        ckp_alloc_fail_after(0);
        if (st == CKP_OK) break;
        assert_int_equal(st, CKP_ENOMEM);
        assert_true(n < 100);
    }

    char *saved = plan->projects[0].id;
    char long_id[160];
    memset(long_id, 'p', sizeof long_id - 1);
    long_id[sizeof long_id - 1] = '\0';
    plan->projects[0].id = long_id;
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    char path[128];
    snprintf(path, sizeof path, "%s/bad.dat", g_dir);
    assert_int_equal(ckp_mathprog_save_data(m, path, &d), CKP_EINVALID);
    assert_int_equal(d.n_errors, 1);
    assert_non_null(strstr(d.items[0].message, "cannot be a MathProg symbol"));
    struct stat sb;
    assert_int_not_equal(stat(path, &sb), 0); /* nothing written */
    plan->projects[0].id = saved;
    ckp_diag_list_fini(&d);
    ckp_model_free(m);
    ckp_plan_free(plan);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tiny_overrides),  cmocka_unit_test(optima_plans),
        cmocka_unit_test(min_cost_goal),   cmocka_unit_test(scenario_plans),
        cmocka_unit_test(bundled_plans),   cmocka_unit_test(generated_plans),
        cmocka_unit_test(finance_plans),   cmocka_unit_test(cli_flag),
        cmocka_unit_test(writer_errors),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
