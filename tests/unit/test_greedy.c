/* test_greedy.c: the greedy incumbent (ckp_model_greedy) on the tiny
 * hand-checked plan (docs/formulation.md, "Worked example: greedy") and on
 * the vocabulary plan: the exact choice, and that every row involving only
 * binaries holds under several what-if settings. */
#include "testutil.h"

#include <math.h>
#include <string.h>

#include "ckp/mip.h"
#include "ckp/model.h"
#include "util/alloc.h"

static ckp_model *build(const ckp_plan *plan, const ckp_model_params *pp)
{
    ckp_model *m = NULL;
    assert_int_equal(ckp_model_build(plan, pp, &m, NULL), CKP_OK);
    return m;
}

/* Binary entries 0/1, continuous NAN, every binary-only row within both
 * bounds.  Returns the number of binaries set to 1. */
static int check_vector(const ckp_model *m, const double *x)
{
    const ckp_mip *mip = &m->mip;
    int ones = 0;
    for (int j = 0; j < mip->n_cols; j++) {
        if (mip->col_kind[j] == CKP_COL_BINARY) {
            assert_true(x[j] == 0.0 || x[j] == 1.0);
            ones += x[j] == 1.0;
        } else {
            assert_true(isnan(x[j]));
        }
    }
    double *act = calloc((size_t)mip->n_rows + 1, sizeof *act);
    unsigned char *bin = malloc((size_t)mip->n_rows + 1);
    assert_non_null(act);
    assert_non_null(bin);
    memset(bin, 1, (size_t)mip->n_rows + 1);
    for (int k = 0; k < mip->nnz; k++) {
        if (mip->col_kind[mip->ja[k]] != CKP_COL_BINARY)
            bin[mip->ia[k]] = 0;
        else
            act[mip->ia[k]] += mip->ar[k] * x[mip->ja[k]];
    }
    for (int i = 0; i < mip->n_rows; i++) {
        if (!bin[i]) continue;
        if (act[i] > mip->row_ub[i] + 1e-9 || act[i] < mip->row_lb[i] - 1e-9)
            print_error("row %s: activity %g outside [%g, %g]\n", mip->row_name[i],
                        act[i], mip->row_lb[i], mip->row_ub[i]);
        assert_true(act[i] <= mip->row_ub[i] + 1e-9);
        assert_true(act[i] >= mip->row_lb[i] - 1e-9);
    }
    free(act);
    free(bin);
    return ones;
}

static int on(const ckp_model *m, const double *x, const char *name)
{
    int j = ckp_mip_find_col(&m->mip, name);
    if (j < 0) print_error("no column %s\n", name);
    assert_true(j >= 0);
    return x[j] == 1.0;
}

/* Scores: p4 0.3485/30, p2 0.5/80, p1 0.5152/100 (docs/formulation.md
 * section 9).  p4 at 2026; p2 breaks excl[p2,p4]; p1: o1/2026 overloads
 * power in 2027 and the only upgrade online then (u1 at 2026) breaks the
 * 2026 limit, o2/2026 breaks the 2026 limit, o1/2027 overloads power in
 * 2028, repaired by u1 at 2026. */
static void tiny_choice(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/build/tiny.xml");
    ckp_model *m = build(plan, NULL);
    double *x = NULL;
    assert_int_equal(ckp_model_greedy(m, &x), CKP_OK);
    assert_non_null(x);
    assert_int_equal(check_vector(m, x), 3);
    assert_true(on(m, x, "x[p4,a,2026]"));
    assert_true(on(m, x, "x[p1,o1,2027]"));
    assert_true(on(m, x, "z[u1,2026]"));
    free(x);
    ckp_model_free(m);
    ckp_plan_free(plan);
}

/* Forcing p2: p2 first (2026, 80 of the 100 in 2026), then its required
 * p1 adapts to it: 2026 starts would break the 2026 limit, so o1 at 2027
 * (power 8 <= 10 with p4 left out); p4 is excluded by p2. */
static void forced_with_requirement(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/build/tiny.xml");
    ckp_model_params pp;
    ckp_model_params_init(&pp);
    const char *force[] = {"p2"};
    pp.force = force;
    pp.n_force = 1;
    ckp_model *m = build(plan, &pp);
    double *x = NULL;
    assert_int_equal(ckp_model_greedy(m, &x), CKP_OK);
    assert_non_null(x);
    assert_int_equal(check_vector(m, x), 2);
    assert_true(on(m, x, "x[p2,a,2026]"));
    assert_true(on(m, x, "x[p1,o1,2027]"));
    free(x);
    ckp_model_free(m);

    /* a total budget of 150 cannot hold p2 (80) and p1 (>= 100): no
       greedy choice, reported as *out == NULL with CKP_OK */
    pp.budget_total = 150;
    m = build(plan, &pp);
    x = (double *)&pp; /* must be reset */
    assert_int_equal(ckp_model_greedy(m, &x), CKP_OK);
    assert_null(x);
    ckp_model_free(m);
    ckp_plan_free(plan);
}

static void budget_limits_choice(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/build/tiny.xml");
    ckp_model_params pp;
    ckp_model_params_init(&pp);
    pp.budget_total = 30; /* p4 exactly */
    ckp_model *m = build(plan, &pp);
    double *x = NULL;
    assert_int_equal(ckp_model_greedy(m, &x), CKP_OK);
    assert_int_equal(check_vector(m, x), 1);
    assert_true(on(m, x, "x[p4,a,2026]"));
    free(x);
    ckp_model_free(m);

    pp.budget_total = 29; /* nothing fits: the empty portfolio */
    m = build(plan, &pp);
    assert_int_equal(ckp_model_greedy(m, &x), CKP_OK);
    assert_non_null(x);
    assert_int_equal(check_vector(m, x), 0);
    free(x);
    ckp_model_free(m);
    ckp_plan_free(plan);
}

static void baseline_has_no_binaries(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/build/tiny.xml");
    ckp_model_params pp;
    ckp_model_params_init(&pp);
    pp.no_projects = 1;
    ckp_model *m = build(plan, &pp);
    double *x = NULL;
    assert_int_equal(ckp_model_greedy(m, &x), CKP_OK);
    assert_non_null(x);
    assert_int_equal(check_vector(m, x), 0);
    free(x);
    ckp_model_free(m);
    ckp_plan_free(plan);
}

/* Every binary-only row holds whatever the settings. */
static void rows_hold_under_variants(void **state)
{
    (void)state;
    const char *files[] = {"data/build/tiny.xml", "data/plans/vocabulary.xml"};
    const double budgets[] = {NAN, 0, 45, 100, 260, 1e6};
    for (size_t f = 0; f < sizeof files / sizeof *files; f++) {
        ckp_plan *plan = tu_load_checked(files[f]);
        for (size_t b = 0; b < sizeof budgets / sizeof *budgets; b++)
            for (int obj = 0; obj < 2; obj++) {
                ckp_model_params pp;
                ckp_model_params_init(&pp);
                pp.budget_total = budgets[b];
                pp.objective = obj;
                ckp_model *m = build(plan, &pp);
                double *x = NULL;
                assert_int_equal(ckp_model_greedy(m, &x), CKP_OK);
                assert_non_null(x); /* nothing forced: empty is feasible */
                check_vector(m, x);
                free(x);
                ckp_model_free(m);
            }
        ckp_plan_free(plan);
    }
}

/* vocabulary: mag1 (magnets, US) and sep2 (oxide, MY) score; sep1
 * excludes sep2.  2026 limit 250: mag1 loan (120 in 2026) + sep2 (50). */
static void vocabulary_choice(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/plans/vocabulary.xml");
    ckp_model *m = build(plan, NULL);
    double *x = NULL;
    assert_int_equal(ckp_model_greedy(m, &x), CKP_OK);
    assert_non_null(x);
    assert_int_equal(check_vector(m, x), 2);
    assert_true(on(m, x, "x[mag1,loan,2026]"));
    assert_true(on(m, x, "x[sep2,eq,2026]"));
    free(x);
    ckp_model_free(m);
    ckp_plan_free(plan);
}

/* Allocation failures inside the greedy give CKP_ENOMEM and no vector. */
static void out_of_memory(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/build/tiny.xml");
    ckp_model *m = build(plan, NULL);
    int ok = 0;
    for (long n = 1; n < 10000 && !ok; n++) {
        double *x = NULL;
        ckp_alloc_fail_after(n);
        ckp_status st = ckp_model_greedy(m, &x);
        ckp_alloc_fail_after(0);
        if (st == CKP_OK) {
            assert_non_null(x);
            assert_int_equal(check_vector(m, x), 3);
            ok = 1;
        } else {
            assert_int_equal(st, CKP_ENOMEM);
            assert_null(x);
        }
        free(x);
    }
    assert_true(ok);
    ckp_model_free(m);
    ckp_plan_free(plan);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tiny_choice),
        cmocka_unit_test(forced_with_requirement),
        cmocka_unit_test(budget_limits_choice),
        cmocka_unit_test(baseline_has_no_binaries),
        cmocka_unit_test(rows_hold_under_variants),
        cmocka_unit_test(vocabulary_choice),
        cmocka_unit_test(out_of_memory),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
