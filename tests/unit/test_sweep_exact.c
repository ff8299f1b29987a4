/* test_sweep_exact.c: the exact frontier over segments (docs/sweeps.md
 * §8b): the budgets given are solved first, then one chain per segment
 * between them, side by side over the pool.  The breakpoints (exposure,
 * commitment, portfolio) are those of the one chain from the largest
 * budget down (three.xml and tiny.xml), the points the same with -j 1,
 * -j 2 and -j 3, and on three.xml even the budgets they were solved at;
 * every point has its folder, and no other folder is left; one budget B
 * is 0,B; under an expected-cost budget the steps are in expected cost. */
#include "testutil.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ckp/sweep.h"
#include "study/sweep_int.h"
#include "util/alloc.h"

static ckp_sweep *exact(const ckp_plan *plan, const char *path, const double *budgets, int n,
                        int workers, const char *out)
{
    ckp_sweep_params p;
    ckp_sweep_params_init(&p);
    p.plan_path = path;
    p.budgets = budgets;
    p.n_budgets = n;
    p.workers = workers;
    p.exact = 1;
    p.out_dir = out;
    ckp_sweep *sw = NULL;
    assert_int_equal(ckp_sweep_run(plan, &p, &sw, NULL), CKP_OK);
    return sw;
}

static int folders(const char *dir)
{
    char p[512];
    snprintf(p, sizeof p, "%s/points", dir);
    DIR *d = opendir(p);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) n++;
    closedir(d);
    return n;
}

/* a and b have the same breakpoints; same_budgets: solved at the same
 * budgets too */
static void same_points(const ckp_sweep *a, const ckp_sweep *b, int same_budgets)
{
    assert_int_equal(a->n_points, b->n_points);
    for (int i = 0; i < a->n_points; i++) {
        const ckp_sweep_point *x = &a->points[i], *y = &b->points[i];
        if (same_budgets) assert_true(x->budget == y->budget);
        assert_true(x->objective == y->objective);
        assert_true(x->commitment == y->commitment);
        assert_int_equal(x->n_picks, y->n_picks);
        assert_memory_equal(x->picks, y->picks, (size_t)x->n_picks * sizeof *x->picks);
    }
}

static void run_plan(const char *rel, const double *whole, const double *seg, int n_seg,
                     int same_budgets)
{
    ckp_plan *plan = tu_load_checked(rel);
    const char *path = ckp_strdup(tu_path(rel));
    char *dir = tu_tmpdir("sweep-exact");
    char out[3][600];
    ckp_sweep *one = exact(plan, path, whole, 2, 1, NULL);
    ckp_sweep *sw[3];
    for (int j = 0; j < 3; j++) {
        snprintf(out[j], sizeof out[j], "%s/j%d", dir, j + 1);
        sw[j] = exact(plan, path, seg, n_seg, j + 1, out[j]);
        same_points(one, sw[j], same_budgets);
        assert_int_equal(folders(out[j]), sw[j]->n_points);
        for (int i = 0; i < sw[j]->n_points; i++) {
            char name[64], f[800];
            sweep_point_name(sw[j]->points[i].budget, name, sizeof name);
            snprintf(f, sizeof f, "%s/points/%s/point.txt", out[j], name);
            FILE *fp = fopen(f, "r");
            assert_non_null(fp);
            fclose(fp);
        }
        if (j > 0) same_points(sw[0], sw[j], 1);
    }
    for (int j = 0; j < 3; j++) ckp_sweep_free(sw[j]);
    ckp_sweep_free(one);
    ckp_free((void *)path);
    ckp_plan_free(plan);
    tu_tmp_remove(dir);
    free(dir);
}

/* three.xml: breakpoints 0, 100, 200, 300 at 99.99, 199.98, 299.97, 400
 * whatever the segments (each top between finds the breakpoint the
 * chain above ended with, and is left out) */
static void segments_three(void **state)
{
    (void)state;
    static const double whole[2] = {0, 400}, seg[5] = {0, 100, 250, 300, 400};
    run_plan("data/sweep/three.xml", whole, seg, 5, 1);
}

static void segments_tiny(void **state)
{
    (void)state;
    static const double whole[2] = {0, 300}, seg[7] = {0, 50, 100, 150, 200, 250, 300};
    run_plan("data/build/tiny.xml", whole, seg, 7, 0);
}

/* One budget B: from 0 to B, as 0,B; a budget of 0 alone: one point. */
static void one_budget(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/sweep/three.xml");
    const char *path = ckp_strdup(tu_path("data/sweep/three.xml"));
    static const double whole[2] = {0, 400}, top[1] = {400}, zero[1] = {0};
    char *dir = tu_tmpdir("sweep-exact-one");
    char out[600];
    snprintf(out, sizeof out, "%s/top", dir);
    ckp_sweep *a = exact(plan, path, whole, 2, 2, NULL);
    ckp_sweep *b = exact(plan, path, top, 1, 2, out);
    same_points(a, b, 1);
    assert_int_equal(folders(out), 4);
    snprintf(out, sizeof out, "%s/zero", dir);
    ckp_sweep *z = exact(plan, path, zero, 1, 2, out);
    assert_int_equal(z->n_points, 1);
    assert_true(z->points[0].budget == 0 && z->points[0].n_picks == 0);
    assert_int_equal(folders(out), 1);
    ckp_sweep_free(a);
    ckp_sweep_free(b);
    ckp_sweep_free(z);
    tu_tmp_remove(dir);
    free(dir);
    ckp_free((void *)path);
    ckp_plan_free(plan);
}

/* Under an expected-cost budget (tests/data/sweep/measure.xml) the next
 * budget lies just below the last breakpoint's expected cost, not its
 * commitment: from 3 (P's guarantee, expected cost 1.2, commitment 60)
 * to 1.19 (nothing), three solves; counted in commitment the chain
 * solved at 59.99, above the range, and kept a point there. */
static void exact_in_the_measure(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/sweep/measure.xml");
    const char *path = ckp_strdup(tu_path("data/sweep/measure.xml"));
    static const double b[2] = {0, 3};
    ckp_sweep *sw = exact(plan, path, b, 2, 2, NULL);
    assert_int_equal(sw->n_points, 2);
    assert_true(sw->points[0].budget == 1.19 && sw->points[0].n_picks == 0);
    assert_true(sw->points[1].budget == 3 && sw->points[1].n_picks == 1);
    assert_true(sw->points[1].commitment == 60);
    assert_int_equal(sw->timing.solves, 3);
    ckp_sweep_free(sw);
    ckp_free((void *)path);
    ckp_plan_free(plan);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(segments_three),
        cmocka_unit_test(segments_tiny),
        cmocka_unit_test(one_budget),
        cmocka_unit_test(exact_in_the_measure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
