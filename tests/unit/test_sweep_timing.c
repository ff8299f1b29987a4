/* test_sweep_timing.c: the sweep's account of where its time goes
 * (docs/sweeps.md §4b, `sweep --verbose`): the pool's worker-seconds
 * (busy + held + idle = workers x wall, held only when the order callback
 * holds jobs back), each point's interval and CPU by step, carried in
 * point.txt's `time` line and read back; --verbose adds the account on
 * stderr and changes nothing on stdout; the warm-start order starts the
 * last points highest first.  No duration is asserted: only identities
 * between the figures and that they are known. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ckp/sweep.h"
#include "study/sweep_int.h"
#include "study/sweep_run.h"
#include "util/alloc.h"

#define THREE CKP_TESTS_SRC "/data/sweep/three.xml"

static int sq_work(void *ctx, int job, void **out, size_t *len)
{
    (void)ctx;
    long *v = ckp_malloc(sizeof *v);
    *v = job;
    *out = v;
    *len = sizeof *v;
    return 0;
}

/* mode 0: the highest job not started; 1: none (the pool then runs one
 * job at a time) */
static int sq_order(void *ctx, const unsigned char *started, int n)
{
    const int *mode = ctx;
    if (*mode == 1) return -1;
    for (int j = n - 1; j >= 0; j--)
        if (!started[j]) return j;
    return -1;
}

static void pool_accounts(void **state)
{
    (void)state;
    for (int mode = 0; mode < 2; mode++) {
        ckp_pool pool = {3, sq_work, NULL, &mode, NULL, NULL, sq_order};
        ckp_pool_stats st;
        assert_int_equal(ckp_pool_run(&pool, 12, &st), CKP_OK);
        assert_int_equal(st.finished, 12);
        assert_true(st.wall_seconds > 0);
        assert_true(st.busy_seconds > 0 && st.held_seconds >= 0 && st.idle_seconds >= 0);
        double sum = st.busy_seconds + st.held_seconds + st.idle_seconds;
        assert_true(fabs(sum - 3 * st.wall_seconds) <= 1e-9 * (1 + sum));
        if (mode == 0) assert_true(st.held_seconds == 0); /* never held back */
        else assert_true(st.held_seconds > 0); /* two workers wait for each job */
    }
}

/* A sweep's points carry their interval and CPU by step, also through
 * point.txt; the run's account adds up. */
static void points_timed(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/sweep/three.xml");
    double budgets[4] = {100, 250, 300, 400};
    char *dir = tu_tmpdir("sweep-timing");
    ckp_sweep_params p;
    ckp_sweep_params_init(&p);
    p.plan_path = THREE;
    p.budgets = budgets;
    p.n_budgets = 4;
    p.workers = 2;
    p.out_dir = dir;
    ckp_sweep *sw = NULL;
    assert_int_equal(ckp_sweep_run(plan, &p, &sw, NULL), CKP_OK);
    assert_int_equal(sw->timing.workers, 2);
    assert_true(sw->timing.setup >= 0 && sw->timing.tables >= 0);
    assert_true(sw->timing.total >= sw->timing.setup + sw->timing.wall);
    double sum = sw->timing.busy + sw->timing.held + sw->timing.idle;
    assert_true(fabs(sw->timing.capacity - 2 * sw->timing.wall) <= 1e-9 * (1 + sum));
    assert_true(fabs(sum - sw->timing.capacity) <= 1e-9 * (1 + sum));
    assert_int_equal(sw->timing.solves, 4);
    for (int i = 0; i < 4; i++) {
        const ckp_sweep_point *pt = &sw->points[i];
        assert_true(isfinite(pt->t_start) && isfinite(pt->t_end) && pt->t_start <= pt->t_end);
        assert_true(pt->t_start >= sw->timing.setup && pt->t_end <= sw->timing.total);
        double v[] = {pt->cpu_hints, pt->cpu_build, pt->cpu_solve, pt->cpu_baseline,
                      pt->cpu_post, pt->cpu_files, pt->cpu_stage[0], pt->cpu_stage[1],
                      pt->cpu_stage[2]};
        for (size_t k = 0; k < sizeof v / sizeof v[0]; k++) assert_true(v[k] >= 0);
        /* point.txt has the line too (without the files' time, written
           after it) */
        char path[256], name[64];
        sweep_point_name(pt->budget, name, sizeof name);
        snprintf(path, sizeof path, "%s/points/%s/point.txt", dir, name);
        size_t len = 0;
        char *text = tu_read_file(path, &len);
        assert_non_null(text);
        ckp_sweep_point rec;
        char ih[65], sh[65];
        assert_int_equal(sweep_record_parse(text, len, plan, &rec, ih, sh), CKP_OK);
        assert_true(rec.t_start == pt->t_start);
        assert_true(rec.cpu_solve == pt->cpu_solve);
        assert_true(isnan(rec.cpu_files));
        sweep_point_fini(&rec);
        free(text);
    }
    ckp_sweep_free(sw);
    ckp_plan_free(plan);
    tu_tmp_remove(dir);
    free(dir);
}

/* --verbose: the account on stderr, stdout as without it. */
static void verbose_account(void **state)
{
    (void)state;
    assert_int_equal(tu_cli("sweep " THREE " --budgets 100,250,300,400 -j 2 -q"), 0);
    char *plain = ckp_strdup(tu_out);
    assert_int_equal(tu_cli("sweep " THREE " --budgets 100,250,300,400 -j 2 -q --verbose"), 0);
    assert_string_equal(tu_out, plain);
    assert_non_null(strstr(tu_err, "sweep: timing"));
    assert_non_null(strstr(tu_err, "worker-s, busy"));
    assert_non_null(strstr(tu_err, "held by the warm-start order"));
    ckp_free(plain);
    tu_cli_free();
}

/* The warm-start order's schedule (docs/sweeps.md §4a): the largest
 * budget first, then the chain upwards; when the points left are no more
 * than the workers, the highest first (the dearest is not started last
 * to run alone). */
static void order_last_highest_first(void **state)
{
    (void)state;
    ckp_sweep_point pts[6];
    memset(pts, 0, sizeof pts);
    ckp_sweep_params p;
    ckp_sweep_params_init(&p);
    p.workers = 2;
    ckp_sweep s;
    memset(&s, 0, sizeof s);
    s.points = pts;
    s.n_points = 6;
    int jobs[6] = {0, 1, 2, 3, 4, 5};
    run_ctx c;
    memset(&c, 0, sizeof c);
    c.p = &p;
    c.s = &s;
    c.jobs = jobs;
    c.n_jobs = 6;
    unsigned char started[7] = {0};
    assert_int_equal(sweep_warm_order(&c, started, 6), 5); /* the largest */
    started[5] = 1;
    assert_int_equal(sweep_warm_order(&c, started, 6), 0); /* the chain upwards */
    started[0] = started[1] = 1;
    pts[0].solved = pts[1].solved = pts[5].solved = 1;
    started[4] = 1; /* the chain downwards runs 4 */
    /* 2 and 3 left, two workers: 3 first, not 2 (1 is done) */
    assert_int_equal(sweep_warm_order(&c, started, 6), 3);
    started[3] = 1;
    assert_int_equal(sweep_warm_order(&c, started, 6), 2);
    /* with one worker the chain goes on upwards */
    p.workers = 1;
    started[3] = 0;
    assert_int_equal(sweep_warm_order(&c, started, 6), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pool_accounts),
        cmocka_unit_test(points_timed),
        cmocka_unit_test(verbose_account),
        cmocka_unit_test(order_last_highest_first),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
