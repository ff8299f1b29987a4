/* test_solver.c: the GLPK wrapper (src/solver/solver_glpk.c) on hand-made
 * ckp_mip objects: known optima, infeasibility, time limits, the mip_gap
 * stop, the caught GLPK fatal error, the greedy incumbent completion,
 * LP/MPS export read back by GLPK, determinism and parameter checks, and
 * the LP dive on generated-like models (feasibility, determinism, time
 * limit, unchanged status mapping). */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "ckp/solve.h"
#include "solver/solver_test.h"
#include "util/alloc.h"

/* GLPK return codes the tests look at (values from glpk.h, which only the
 * solver module may include). */
#define T_GLP_ESTOP 0x0D /* glp_ios_terminate: the node limit */
#define T_GLP_EMIPGAP 0x0E

/* Knapsack with a continuous "weight used" column:
 *   min -10a -13b -7c -8d + 0.1 w
 *   cap:  4a + 6b + 3c + 5d <= 10
 *   use:  w - 4a - 6b - 3c - 5d >= 0,   0 <= w <= 10
 * Feasible pairs (no triple fits): ab: -23+1.0 = -22, ac: -16.3, ad: -17.1,
 * bc: -19.1, bd: -21+1.1 = -19.9, cd: -14.2; singles are worse.
 * Optimum a = b = 1, w = 10, objective -22.  LP relaxation (ratios a 2.5,
 * c 2.33, b 2.17, d 1.6 per unit of weight, minus 0.1 for w): a, c, b = 1/2,
 * fractional, so GLPK calls the heuristic callback at the root. */
static void knapsack(ckp_mip *m)
{
    static const char *names[] = {"x[a]", "x[b]", "x[c]", "x[d]"};
    static const double val[] = {10, 13, 7, 8}, wt[] = {4, 6, 3, 5};
    int cap = 0, use = 0, w = 0;
    ckp_mip_init(m, "knapsack");
    assert_int_equal(ckp_mip_add_row(m, "cap", -INFINITY, 10, &cap), CKP_OK);
    assert_int_equal(ckp_mip_add_row(m, "use", 0, INFINITY, &use), CKP_OK);
    for (int j = 0; j < 4; j++) {
        int col = 0;
        assert_int_equal(ckp_mip_add_col(m, names[j], CKP_COL_BINARY, 0, 1,
                                         -val[j], &col), CKP_OK);
        assert_int_equal(ckp_mip_add_coef(m, cap, col, wt[j]), CKP_OK);
        assert_int_equal(ckp_mip_add_coef(m, use, col, -wt[j]), CKP_OK);
    }
    assert_int_equal(ckp_mip_add_col(m, "w", CKP_COL_CONTINUOUS, 0, 10, 0.1, &w),
                     CKP_OK);
    assert_int_equal(ckp_mip_add_coef(m, use, w, 1.0), CKP_OK);
}

static ckp_solution *solve_ok(const ckp_mip *m, const ckp_solve_params *p,
                              const double *inc)
{
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    ckp_solution *s = NULL;
    ckp_status st = ckp_solve(m, p, inc, &s, &d);
    if (st != CKP_OK) {
        char *t = tu_diag_text(&d);
        print_error("ckp_solve: %s\n%s", ckp_status_str(st), t);
        free(t);
    }
    assert_int_equal(st, CKP_OK);
    assert_non_null(s);
    assert_int_equal(d.n_errors, 0);
    ckp_diag_list_fini(&d);
    return s;
}

static void test_knapsack_optimum(void **state)
{
    (void)state;
    ckp_mip m;
    knapsack(&m);
    ckp_solution *s = solve_ok(&m, NULL, NULL);
    assert_int_equal(s->status, CKP_MIP_OPTIMAL);
    assert_true(fabs(s->objective - (-22.0)) < 1e-9);
    assert_true(fabs(s->bound - s->objective) < 1e-12);
    assert_true(s->gap == 0.0);
    assert_int_equal(s->gap_stopped, 0);
    assert_int_equal(s->n_cols, 5);
    assert_non_null(s->x);
    double want[] = {1, 1, 0, 0, 10};
    for (int j = 0; j < 5; j++) assert_true(fabs(s->x[j] - want[j]) < 1e-9);
    assert_true(s->seconds >= 0.0);
    assert_true(s->nodes >= 1);
    assert_int_equal(s->heuristic_used, 0);
    assert_true(isnan(s->heuristic_objective));
    ckp_solution_free(s);
    ckp_mip_fini(&m);
}

/* The greedy vector (a, c chosen; w unknown = NAN) is completed by the LP
 * with binaries fixed (w = 7, objective -17 + 0.7 = -16.3) and accepted at
 * the first heuristic call; the solve still ends at the optimum -22. */
static void test_incumbent_completed_and_accepted(void **state)
{
    (void)state;
    ckp_mip m;
    knapsack(&m);
    double inc[] = {1, 0, 1, 0, NAN};
    /* the LP dive off: it would find -22 first and the greedy -16.3 would
     * then (rightly) be rejected */
    ckp_solve_params g;
    ckp_solve_params_init(&g);
    g.no_lp_heuristic = 1;
    ckp_solution *s = solve_ok(&m, &g, inc);
    assert_int_equal(s->status, CKP_MIP_OPTIMAL);
    assert_true(fabs(s->objective - (-22.0)) < 1e-9);
    assert_int_equal(s->heuristic_used, 1);
    assert_true(fabs(s->heuristic_objective - (-16.3)) < 1e-9);
    ckp_solution_free(s);

    /* no_heuristic: the vector is ignored */
    ckp_solve_params p;
    ckp_solve_params_init(&p);
    p.no_heuristic = 1;
    s = solve_ok(&m, &p, inc);
    assert_int_equal(s->heuristic_used, 0);
    assert_true(isnan(s->heuristic_objective));
    assert_true(fabs(s->objective - (-22.0)) < 1e-9);
    ckp_solution_free(s);

    /* a vector that breaks the model's rows (a, b, c: weight 13 > 10) has
     * no feasible completion and is not offered */
    double bad[] = {1, 1, 1, 0, NAN};
    s = solve_ok(&m, NULL, bad);
    assert_int_equal(s->heuristic_used, 0);
    assert_true(isnan(s->heuristic_objective));
    assert_true(fabs(s->objective - (-22.0)) < 1e-9);
    ckp_solution_free(s);

    /* a non-0/1 binary entry is refused before GLPK sees it */
    double frac[] = {0.5, 0, 1, 0, NAN};
    s = solve_ok(&m, NULL, frac);
    assert_int_equal(s->heuristic_used, 0);
    ckp_solution_free(s);
    ckp_mip_fini(&m);
}

/* mip_gap = 0.5: the offered incumbent (-16.3) against the root bound
 * (-23.5 + 0.1*... = LP optimum) is within 50 %, so GLPK stops at once:
 * OPTIMAL within the gap, gap_stopped = 1, the gap reported <= 0.5. */
static void test_gap_stop(void **state)
{
    (void)state;
    ckp_mip m;
    knapsack(&m);
    ckp_solve_params p;
    ckp_solve_params_init(&p);
    p.mip_gap = 0.5;
    double inc[] = {1, 0, 1, 0, NAN};
    ckp_solution *s = solve_ok(&m, &p, inc);
    assert_int_equal(s->status, CKP_MIP_OPTIMAL);
    assert_int_equal(s->glpk_ret, T_GLP_EMIPGAP);
    assert_int_equal(s->gap_stopped, 1);
    assert_true(s->gap > 0.0 && s->gap <= 0.5 + 1e-12);
    assert_true(s->bound <= s->objective);
    assert_true(s->bound <= -22.0 + 1e-9); /* a valid bound on the optimum */
    ckp_solution_free(s);
    ckp_mip_fini(&m);
}

static void test_infeasible(void **state)
{
    (void)state;
    /* LP-infeasible: a binary with a >= 2 */
    ckp_mip m;
    ckp_mip_init(&m, "lp-infeasible");
    int r = 0, a = 0;
    ckp_mip_add_col(&m, "a", CKP_COL_BINARY, 0, 1, 1, &a);
    ckp_mip_add_row(&m, "r", 2, INFINITY, &r);
    ckp_mip_add_coef(&m, r, a, 1.0);
    ckp_solution *s = solve_ok(&m, NULL, NULL);
    assert_int_equal(s->status, CKP_MIP_INFEASIBLE);
    assert_null(s->x);
    assert_true(isnan(s->objective));
    ckp_solution_free(s);
    ckp_mip_fini(&m);

    /* LP-feasible (a = b = 1/2) but no integer point: 2a + 2b = 1 */
    ckp_mip_init(&m, "mip-infeasible");
    int b = 0;
    ckp_mip_add_col(&m, "a", CKP_COL_BINARY, 0, 1, 1, &a);
    ckp_mip_add_col(&m, "b", CKP_COL_BINARY, 0, 1, 1, &b);
    ckp_mip_add_row(&m, "r", 1, 1, &r);
    ckp_mip_add_coef(&m, r, a, 2.0);
    ckp_mip_add_coef(&m, r, b, 2.0);
    s = solve_ok(&m, NULL, NULL);
    assert_int_equal(s->status, CKP_MIP_INFEASIBLE);
    assert_null(s->x);
    ckp_solution_free(s);

    /* with presolve on, GLPK reports it through GLP_ENOPFS */
    ckp_solve_params p;
    ckp_solve_params_init(&p);
    p.presolve = 1;
    s = solve_ok(&m, &p, NULL);
    assert_int_equal(s->status, CKP_MIP_INFEASIBLE);
    ckp_solution_free(s);
    ckp_mip_fini(&m);
}

/* Parity: sum_{i<n} 2 x_i + s = n with n odd.  Without s (s fixed at 0)
 * there is no integer point but the LP is feasible, and branch-and-bound
 * without parity reasoning must enumerate ~C(n, n/2) nodes.  With s in
 * [0, 1] at cost 100 the point x = 15 ones, s = 1 is feasible. */
static void parity(ckp_mip *m, int n, double s_ub)
{
    ckp_mip_init(m, "parity");
    int r = 0, s = 0;
    ckp_mip_add_row(m, "r", n, n, &r);
    char nm[32];
    for (int i = 0; i < n; i++) {
        int c = 0;
        snprintf(nm, sizeof nm, "x[%d]", i);
        ckp_mip_add_col(m, nm, CKP_COL_BINARY, 0, 1, -1.0, &c);
        ckp_mip_add_coef(m, r, c, 2.0);
    }
    ckp_mip_add_col(m, "s", CKP_COL_CONTINUOUS, 0, s_ub, 100.0, &s);
    ckp_mip_add_coef(m, r, s, 1.0);
}

/* A search stopped by a limit.  The node limit is used (it stops at the same
 * point on every machine); the time limit takes the same path in the
 * wrapper (GLP_ETMLIM instead of GLP_ESTOP) and is not tested by a clock. */
static void test_node_limit(void **state)
{
    (void)state;
    enum { N = 41 };
    ckp_mip m;
    ckp_solve_params p;
    ckp_solve_params_init(&p);
    p.node_limit = 40;
    /* MIR cuts (GLPK's, on by default, and chokepoint's root cuts in mode
     * proof) derive sum x <= 20 from 2 sum x = 41 and close the model at
     * the root; without cuts it stays open */
    p.mir_cuts = 0;
    p.clique_cuts = 0;
    p.root_cuts = CKP_ROOT_CUTS_OFF;

    /* no incumbent can exist: stopped without a solution */
    parity(&m, N, 0.0);
    ckp_solution *s = solve_ok(&m, &p, NULL);
    assert_int_equal(s->status, CKP_MIP_NO_SOLUTION);
    assert_int_equal(s->glpk_ret, T_GLP_ESTOP);
    assert_int_equal(s->limit, CKP_LIMIT_NODES);
    assert_true(s->nodes >= 40);
    assert_null(s->x);
    ckp_solution_free(s);

    /* with the default MIR cuts the same model is proven infeasible */
    ckp_solve_params q;
    ckp_solve_params_init(&q);
    s = solve_ok(&m, &q, NULL);
    assert_int_equal(s->status, CKP_MIP_INFEASIBLE);
    assert_int_equal(s->limit, CKP_LIMIT_NONE);
    ckp_solution_free(s);
    ckp_mip_fini(&m);

    /* an incumbent (offered greedily) exists: FEASIBLE, never OPTIMAL,
     * with an honest bound and gap */
    parity(&m, N, 1.0);
    double inc[N + 1];
    for (int i = 0; i < N; i++) inc[i] = i < N / 2 ? 1.0 : 0.0;
    inc[N] = NAN;
    p.no_lp_heuristic = 1; /* the greedy vector is the only incumbent */
    s = solve_ok(&m, &p, inc);
    assert_int_equal(s->status, CKP_MIP_FEASIBLE);
    assert_int_equal(s->glpk_ret, T_GLP_ESTOP);
    assert_int_equal(s->limit, CKP_LIMIT_NODES);
    assert_int_equal(s->heuristic_used, 1);
    double want = -(double)(N / 2) + 100.0;
    assert_true(fabs(s->heuristic_objective - want) < 1e-9);
    assert_true(s->objective <= want + 1e-9);
    assert_true(s->bound < s->objective);
    assert_true(s->gap > 0.0);
    assert_non_null(s->x);
    ckp_solution_free(s);
    ckp_mip_fini(&m);
}

static int diag_has(const ckp_diag_list *d, const char *needle)
{
    for (int i = 0; i < d->n; i++)
        if (strstr(d->items[i].message, needle)) return 1;
    return 0;
}

/* A real GLPK fatal error (column index out of range) is caught: the
 * process survives, CKP_ESOLVER with GLPK's message, and the next solve
 * works.  Repeated to show the environment is clean each time. */
static void test_fatal_error_recovers(void **state)
{
    (void)state;
    ckp_mip m;
    knapsack(&m);
    ckp_solve_params p;
    ckp_solve_params_init(&p);
    p.debug_force_fatal = 1;
    for (int round = 0; round < 3; round++) {
        ckp_diag_list d;
        ckp_diag_list_init(&d);
        ckp_solution *s = (ckp_solution *)&d; /* must be reset to NULL */
        double inc[] = {1, 0, 1, 0, NAN};
        assert_int_equal(ckp_solve(&m, &p, inc, &s, &d), CKP_ESOLVER);
        assert_null(s);
        assert_int_equal(d.n_errors, 1);
        assert_string_equal(d.items[0].code, "solver-fatal");
        assert_true(diag_has(&d, "column number out of range"));
        ckp_diag_list_fini(&d);

        ckp_solution *ok = solve_ok(&m, NULL, inc);
        assert_int_equal(ok->status, CKP_MIP_OPTIMAL);
        assert_true(fabs(ok->objective - (-22.0)) < 1e-9);
        ckp_solution_free(ok);
    }

    /* the environment variable reaches the LP writer too */
    char *path = tu_tmpfile("test-fatal");
    setenv("CKP_DEBUG_GLPK_FATAL", "1", 1);
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_mip_write_lp(&m, path, &d), CKP_ESOLVER);
    assert_true(diag_has(&d, "out of range"));
    ckp_diag_list_fini(&d);
    unsetenv("CKP_DEBUG_GLPK_FATAL");
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_mip_write_lp(&m, path, &d), CKP_OK);
    ckp_diag_list_fini(&d);
    tu_tmp_remove(path);
    free(path);
    ckp_mip_fini(&m);
}

/* The exported files are the model: GLPK reads them back with the same
 * sizes and names and finds the same optimum. */
static void check_export(int mps)
{
    ckp_mip m;
    knapsack(&m);
    char *path = tu_tmpfile("test-export");
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    ckp_status st = mps ? ckp_mip_write_mps(&m, path, &d) : ckp_mip_write_lp(&m, path, &d);
    assert_int_equal(st, CKP_OK);
    assert_int_equal(d.n, 0);
    ckp_model_file_info info;
    assert_int_equal(ckp_solver_read_model_file(path, mps, &info), CKP_OK);
    assert_int_equal(info.n_rows, m.n_rows);
    assert_int_equal(info.n_cols, m.n_cols);
    assert_int_equal(info.nnz, m.nnz);
    assert_int_equal(info.n_bin, 4);
    assert_true(fabs(info.objective - (-22.0)) < 1e-9);
    /* free MPS keeps the names as they are; GLPK's CPLEX LP writer maps
     * the brackets, which LP names may not contain, to parentheses */
    assert_string_equal(info.col_name[0], mps ? "x[a]" : "x(a)");
    assert_string_equal(info.col_name[4], "w");
    tu_tmp_remove(path);
    free(path);

    /* an unwritable path is CKP_EIO with a diagnostic, not a crash */
    st = mps ? ckp_mip_write_mps(&m, "/nonexistent-dir/x.mps", &d)
             : ckp_mip_write_lp(&m, "/nonexistent-dir/x.lp", &d);
    assert_int_equal(st, CKP_EIO);
    assert_int_equal(d.n_errors, 1);
    assert_string_equal(d.items[0].code, "write-failed");
    ckp_diag_list_fini(&d);
    ckp_mip_fini(&m);
}

static void test_write_lp(void **state) { (void)state; check_export(0); }
static void test_write_mps(void **state) { (void)state; check_export(1); }

static void test_deterministic(void **state)
{
    (void)state;
    enum { N = 25 };
    ckp_mip m;
    /* a small model with many equal-value alternatives */
    ckp_mip_init(&m, "ties");
    int r = 0;
    ckp_mip_add_row(&m, "cap", -INFINITY, 12, &r);
    for (int i = 0; i < N; i++) {
        char nm[16];
        int c = 0;
        snprintf(nm, sizeof nm, "y%d", i);
        ckp_mip_add_col(&m, nm, CKP_COL_BINARY, 0, 1, -(double)(1 + i % 3), &c);
        ckp_mip_add_coef(&m, r, c, (double)(1 + i % 4));
    }
    ckp_solution *a = solve_ok(&m, NULL, NULL);
    ckp_solution *b = solve_ok(&m, NULL, NULL);
    assert_int_equal(a->status, CKP_MIP_OPTIMAL);
    assert_int_equal(b->status, CKP_MIP_OPTIMAL);
    assert_memory_equal(a->x, b->x, sizeof(double) * N);
    assert_true(a->objective == b->objective);
    ckp_solution_free(a);
    ckp_solution_free(b);
    ckp_mip_fini(&m);
}

/* Bad structure never reaches GLPK (which would abort): duplicates,
 * inverted bounds and over-long names are CKP_EINTERNAL diagnostics. */
static void test_prevalidation(void **state)
{
    (void)state;
    ckp_mip m;
    knapsack(&m);
    ckp_mip_add_coef(&m, 0, 0, 1.0); /* duplicate (cap, x[a]) */
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    ckp_solution *s = NULL;
    assert_int_equal(ckp_solve(&m, NULL, NULL, &s, &d), CKP_EINTERNAL);
    assert_null(s);
    assert_true(diag_has(&d, "duplicate"));
    assert_int_equal(ckp_mip_write_mps(&m, "/tmp/never-written.mps", &d), CKP_EINTERNAL);
    ckp_diag_list_fini(&d);
    ckp_mip_fini(&m);

    knapsack(&m);
    char longname[300];
    memset(longname, 'n', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    ckp_mip_add_col(&m, longname, CKP_COL_CONTINUOUS, 0, 1, 0, NULL);
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_solve(&m, NULL, NULL, &s, &d), CKP_EINTERNAL);
    assert_true(diag_has(&d, "255"));
    ckp_diag_list_fini(&d);
    ckp_mip_fini(&m);
}

static void expect_bad(const ckp_solve_params *p, const char *field)
{
    char msg[256] = "";
    assert_int_equal(ckp_solve_params_check(p, msg, (int)sizeof msg), CKP_EUSAGE);
    if (!strstr(msg, field)) fail_msg("message '%s' does not name %s", msg, field);
    /* ckp_solve refuses them too, with the same message as a diagnostic */
    ckp_mip m;
    knapsack(&m);
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    ckp_solution *s = NULL;
    assert_int_equal(ckp_solve(&m, p, NULL, &s, &d), CKP_EUSAGE);
    assert_int_equal(d.n_errors, 1);
    assert_string_equal(d.items[0].message, msg);
    ckp_diag_list_fini(&d);
    ckp_mip_fini(&m);
}

/* GUB knapsack models for the cover cuts (src/solver/cuts.c): G groups of
 * K binaries (at most one per group, as the starts of one project), two
 * knapsack rows with pseudo-random positive weights (a total budget and a
 * "first year" row on the first two members of each group), a row with
 * mixed signs (not a knapsack row: never separated) and one continuous
 * column per binary linked to it (q <= x), so the model looks like a
 * scenario model (more continuous columns than binaries).  The optimum is
 * found by enumerating every choice per group. */
#define KG 6
#define KK 3
static unsigned kc_rand(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return (*s >> 16) & 0x7fffu;
}

static double knap_model(ckp_mip *m, unsigned seed, double wt[KG][KK], double w1[KG][KK],
                         double val[KG][KK], double *b_tot, double *b_1, double *mix)
{
    unsigned s = seed;
    ckp_mip_init(m, "gub-knapsack");
    int tot = 0, first = 0, mixed = 0;
    *b_tot = 0.0;
    for (int g = 0; g < KG; g++)
        for (int k = 0; k < KK; k++) {
            wt[g][k] = 5.0 + (double)(kc_rand(&s) % 40);
            w1[g][k] = k < 2 ? 1.0 + (double)(kc_rand(&s) % 20) : 0.0;
            val[g][k] = 10.0 + (double)(kc_rand(&s) % 50);
            mix[g * KK + k] = (double)(kc_rand(&s) % 7) - 3.0;
            *b_tot += wt[g][k] / KK;
        }
    *b_tot = floor(*b_tot * 0.45);
    *b_1 = 25.0;
    assert_int_equal(ckp_mip_add_row(m, "budget_total", -INFINITY, *b_tot, &tot), CKP_OK);
    assert_int_equal(ckp_mip_add_row(m, "budget[1]", -INFINITY, *b_1, &first), CKP_OK);
    assert_int_equal(ckp_mip_add_row(m, "mixed", -INFINITY, 2.0, &mixed), CKP_OK);
    for (int g = 0; g < KG; g++) {
        char nm[32];
        int one = 0;
        snprintf(nm, sizeof nm, "one[%d]", g);
        assert_int_equal(ckp_mip_add_row(m, nm, -INFINITY, 1.0, &one), CKP_OK);
        for (int k = 0; k < KK; k++) {
            int x = 0, q = 0, link = 0;
            snprintf(nm, sizeof nm, "x[%d,%d]", g, k);
            assert_int_equal(ckp_mip_add_col(m, nm, CKP_COL_BINARY, 0, 1, 0.0, &x), CKP_OK);
            snprintf(nm, sizeof nm, "q[%d,%d]", g, k);
            /* the value comes through q, bounded by x */
            assert_int_equal(ckp_mip_add_col(m, nm, CKP_COL_CONTINUOUS, 0, 1, -val[g][k], &q),
                             CKP_OK);
            snprintf(nm, sizeof nm, "link[%d,%d]", g, k);
            assert_int_equal(ckp_mip_add_row(m, nm, -INFINITY, 0.0, &link), CKP_OK);
            assert_int_equal(ckp_mip_add_coef(m, link, q, 1.0), CKP_OK);
            assert_int_equal(ckp_mip_add_coef(m, link, x, -1.0), CKP_OK);
            assert_int_equal(ckp_mip_add_coef(m, one, x, 1.0), CKP_OK);
            assert_int_equal(ckp_mip_add_coef(m, tot, x, wt[g][k]), CKP_OK);
            if (w1[g][k] > 0.0)
                assert_int_equal(ckp_mip_add_coef(m, first, x, w1[g][k]), CKP_OK);
            if (mix[g * KK + k] != 0.0)
                assert_int_equal(ckp_mip_add_coef(m, mixed, x, mix[g * KK + k]), CKP_OK);
        }
    }
    /* enumerate: choice[g] in 0..KK (KK = none) */
    double best = 0.0; /* nothing funded is feasible */
    int choice[KG];
    for (int g = 0; g < KG; g++) choice[g] = 0;
    for (;;) {
        double t = 0.0, f = 0.0, x = 0.0, v = 0.0;
        for (int g = 0; g < KG; g++) {
            int k = choice[g];
            if (k == KK) continue;
            t += wt[g][k];
            f += w1[g][k];
            x += mix[g * KK + k];
            v -= val[g][k];
        }
        if (t <= *b_tot && f <= *b_1 && x <= 2.0 && v < best) best = v;
        int g = 0;
        while (g < KG && ++choice[g] > KK) choice[g++] = 0;
        if (g == KG) break;
    }
    return best;
}

/* Solves a knap_model and requires the proven enumerated optimum. */
static ckp_solution *solve_knap(const ckp_mip *m, const ckp_solve_params *p, double best,
                                unsigned seed, int mode)
{
    ckp_solution *s = solve_ok(m, p, NULL);
    assert_int_equal(s->status, CKP_MIP_OPTIMAL);
    if (fabs(s->objective - best) > 1e-6) {
        print_error("seed %u mode %d: objective %.9g, enumerated %.9g\n", seed, mode,
                    s->objective, best);
        fail();
    }
    return s;
}

/* The cover cuts never cut off the optimum: on 12 pseudo-random models
 * the solve with knap_cuts on, off and default reaches the enumerated
 * optimum, proven; with them on, some cuts are added over the models
 * (so the separation is exercised), and a returned point satisfies
 * every knapsack row.  With presolve on, no cut is separated. */
static void test_knap_cuts_exact(void **state)
{
    (void)state;
    long added = 0;
    for (unsigned seed = 1; seed <= 12; seed++) {
        ckp_mip m;
        double wt[KG][KK], w1[KG][KK], val[KG][KK], bt, b1, mix[KG * KK];
        double best = knap_model(&m, seed, wt, w1, val, &bt, &b1, mix);
        for (int mode = -1; mode <= 1; mode++) {
            ckp_solve_params p;
            ckp_solve_params_init(&p);
            p.knap_cuts = mode;
            p.no_lp_heuristic = 1; /* let the tree (and the cuts) do the work */
            ckp_solution *s = solve_knap(&m, &p, best, seed, mode);
            double t = 0.0, f = 0.0;
            for (int g = 0; g < KG; g++)
                for (int k = 0; k < KK; k++) {
                    double x = s->x[2 * (g * KK + k)];
                    assert_true(fabs(x - floor(x + 0.5)) < 1e-6);
                    t += wt[g][k] * x;
                    f += w1[g][k] * x;
                }
            assert_true(t <= bt + 1e-6 && f <= b1 + 1e-6);
            if (mode == 0) assert_int_equal(s->knap_cuts_added, 0);
            if (mode == 1) added += s->knap_cuts_added;
            ckp_solution_free(s);
        }
        /* with GLPK's presolver the tree works on renumbered columns:
         * no cut is separated, the optimum is the same */
        ckp_solve_params p;
        ckp_solve_params_init(&p);
        p.knap_cuts = 1;
        p.presolve = 1;
        ckp_solution *s = solve_ok(&m, &p, NULL);
        assert_int_equal(s->status, CKP_MIP_OPTIMAL);
        assert_true(fabs(s->objective - best) < 1e-6);
        assert_int_equal(s->knap_cuts_added, 0);
        ckp_solution_free(s);
        ckp_mip_fini(&m);
    }
    assert_true(added > 0);
}

/* Root cuts (docs/solver.md §5b) on the same knapsack models: the same
 * enumerated optimum in every mode (default, off, on, proof) and with an
 * iteration cap of 1 per re-solve, which undoes the round it stops (the
 * rollback); off generates nothing, on and proof generate cuts over the
 * models, proof keeps some only where they prove the root (one node),
 * keeps them on some model, and where it removes them the tree is that of
 * mode off (same node count); out of memory anywhere in them is CKP_ENOMEM
 * or a correct answer, never a crash or a leak. */
static void test_root_cuts_exact(void **state)
{
    (void)state;
    long added[CKP_ROOT_CUTS_PROOF + 1] = {0}, kept_proof = 0;
    int rollbacks = 0;
    for (unsigned seed = 1; seed <= 12; seed++) {
        ckp_mip m;
        double wt[KG][KK], w1[KG][KK], val[KG][KK], bt, b1, mix[KG * KK];
        double best = knap_model(&m, seed, wt, w1, val, &bt, &b1, mix);
        static const int modes[] = {CKP_ROOT_CUTS_OFF, -1, CKP_ROOT_CUTS_ON,
                                    CKP_ROOT_CUTS_PROOF};
        long off_nodes = -1;
        for (int mi = 0; mi < 4; mi++) {
            int mode = modes[mi];
            for (int cap = 0; cap <= 1; cap++) {
                ckp_solve_params p;
                ckp_solve_params_init(&p);
                p.root_cuts = mode;
                p.debug_root_it_cap = cap;
                /* both paths of mode on (proof needs the LP heuristic) */
                p.no_lp_heuristic = mode == CKP_ROOT_CUTS_ON && seed % 2;
                ckp_solution *s = solve_knap(&m, &p, best, seed, mode);
                assert_true(s->root_cuts_kept <= s->root_cuts_added);
                assert_true(s->root_cut_rounds <= 10);
                if (mode == CKP_ROOT_CUTS_OFF) {
                    assert_int_equal(s->root_cuts_added, 0);
                    assert_int_equal(s->root_cut_rollback, 0);
                }
                if (mode >= 0 && cap == 0) added[mode] += s->root_cuts_added;
                if (mode == CKP_ROOT_CUTS_OFF) off_nodes = s->nodes;
                if (mode == CKP_ROOT_CUTS_PROOF || mode == -1) {
                    if (s->root_cuts_kept > 0) assert_true(s->nodes <= 1);
                    /* a failed proof leaves the search of mode off */
                    else assert_int_equal(s->nodes, off_nodes);
                    if (cap == 0) kept_proof += s->root_cuts_kept;
                }
                if (cap == 1 && s->root_cut_rollback) {
                    rollbacks++;
                    /* the first round undone: no cut of it stays */
                    if (s->root_cut_rounds == 0) assert_int_equal(s->root_cuts_kept, 0);
                }
                ckp_solution_free(s);
            }
        }
        if (seed == 1) {
            for (int mode = CKP_ROOT_CUTS_ON; mode <= CKP_ROOT_CUTS_PROOF; mode++)
                for (long n = 1; n <= 400; n++) {
                    ckp_solve_params p;
                    ckp_solve_params_init(&p);
                    p.root_cuts = mode;
                    ckp_diag_list d;
                    ckp_diag_list_init(&d);
                    ckp_solution *s = NULL;
                    ckp_alloc_fail_after(n);
                    ckp_status st = ckp_solve(&m, &p, NULL, &s, &d);
                    ckp_alloc_fail_after(0);
                    assert_true(st == CKP_OK || st == CKP_ENOMEM);
                    if (st == CKP_OK && s->status == CKP_MIP_OPTIMAL)
                        assert_true(fabs(s->objective - best) < 1e-6);
                    ckp_solution_free(s);
                    ckp_diag_list_fini(&d);
                }
        }
        ckp_mip_fini(&m);
    }
    assert_true(added[CKP_ROOT_CUTS_ON] > 0);
    assert_true(added[CKP_ROOT_CUTS_PROOF] > 0);
    assert_true(kept_proof > 0);
    assert_true(rollbacks > 0);
}

/* max x1 + x2 + x3 s.t. 2 x1 + 2 x2 + 2 x3 <= 3, binary: root LP 1.5,
 * optimum 1.  The MIR cut of the tableau row of the fractional column is
 * x1 + x2 + x3 <= 1 (docs/solver.md §5b works it out), so in mode proof
 * (the default) the rounds raise the bound to the LP heuristic's point
 * and the cut stays: proven at the root, with GLPK's own cuts off. */
static void pack3(ckp_mip *m)
{
    int row = 0;
    ckp_mip_init(m, "pack3");
    assert_int_equal(ckp_mip_add_row(m, "cap", -INFINITY, 3, &row), CKP_OK);
    for (int j = 0; j < 3; j++) {
        char name[8];
        snprintf(name, sizeof name, "x%d", j + 1);
        int col = 0;
        assert_int_equal(ckp_mip_add_col(m, name, CKP_COL_BINARY, 0, 1, -1.0, &col),
                         CKP_OK);
        assert_int_equal(ckp_mip_add_coef(m, row, col, 2.0), CKP_OK);
    }
}

static void test_root_cuts_modes(void **state)
{
    (void)state;
    ckp_mip m;
    pack3(&m);
    for (int mode = -1; mode <= CKP_ROOT_CUTS_PROOF; mode++) {
        ckp_solve_params p;
        ckp_solve_params_init(&p);
        p.root_cuts = mode;
        p.clique_cuts = 0;
        p.mir_cuts = 0;
        ckp_solution *s = solve_ok(&m, &p, NULL);
        assert_int_equal(s->status, CKP_MIP_OPTIMAL);
        assert_true(fabs(s->objective - (-1.0)) < 1e-9);
        if (mode == CKP_ROOT_CUTS_OFF) {
            assert_int_equal(s->root_cuts_added, 0);
        } else {
            assert_int_equal(s->root_cuts_kept, 1);
            assert_true(s->root_cut_rounds >= 1);
            assert_int_equal(s->nodes, 1);
        }
        ckp_solution_free(s);
    }
    /* mode proof needs a point to prove: without the LP heuristic and
     * without a greedy vector, no round runs */
    ckp_solve_params p;
    ckp_solve_params_init(&p);
    p.root_cuts = CKP_ROOT_CUTS_PROOF;
    p.no_lp_heuristic = 1;
    ckp_solution *s = solve_ok(&m, &p, NULL);
    assert_int_equal(s->status, CKP_MIP_OPTIMAL);
    assert_int_equal(s->root_cuts_added, 0);
    ckp_solution_free(s);
    ckp_mip_fini(&m);

    /* names and values */
    for (int v = CKP_ROOT_CUTS_OFF; v <= CKP_ROOT_CUTS_PROOF; v++)
        assert_int_equal(ckp_root_cuts_parse(ckp_root_cuts_name(v)), v);
    assert_string_equal(ckp_root_cuts_name(CKP_ROOT_CUTS_PROOF), "proof");
    assert_string_equal(ckp_root_cuts_name(-1), "default");
    assert_int_equal(ckp_root_cuts_parse("default"), -1);
    assert_int_equal(ckp_root_cuts_parse("ON"), -1);
    assert_int_equal(ckp_root_cuts_parse(NULL), -1);
}

static void test_params_check(void **state)
{
    (void)state;
    ckp_solve_params p;
    ckp_solve_params_init(&p);
    char msg[256];
    assert_int_equal(ckp_solve_params_check(&p, msg, (int)sizeof msg), CKP_OK);
    assert_true(p.time_limit == 0.0 && p.mip_gap == 0.0);
    assert_int_equal(p.mir_cuts, -1);
    assert_int_equal(p.clique_cuts, -1);
    assert_int_equal(p.branching, CKP_BRANCH_DEFAULT);

#define BAD(field, value, text)                                              \
    do {                                                                     \
        ckp_solve_params q = p;                                              \
        q.field = value;                                                     \
        expect_bad(&q, text);                                                \
    } while (0)
    BAD(time_limit, -1.0, "time_limit = -1");
    BAD(time_limit, NAN, "time_limit = nan");
    BAD(time_limit, 1e12, "time_limit = 1e+12");
    assert_true(p.node_limit == 0);
    BAD(node_limit, -1, "node_limit = -1");
    BAD(mip_gap, 1.0, "mip_gap = 1");
    BAD(mip_gap, -0.1, "mip_gap = -0.1");
    assert_int_equal(p.knap_cuts, -1);
    BAD(knap_cuts, 2, "knap_cuts = 2");
    BAD(knap_cuts, -2, "knap_cuts = -2");
    assert_int_equal(p.root_cuts, -1);
    BAD(root_cuts, 3, "root_cuts = 3");
    BAD(root_cuts, -2, "root_cuts = -2");
    assert_int_equal(p.debug_root_it_cap, 0);
    BAD(debug_root_it_cap, -1, "debug_root_it_cap = -1");
    BAD(verbose, 2, "verbose = 2");
    BAD(progress, -1, "progress = -1");
    BAD(presolve, 7, "presolve = 7");
    BAD(no_heuristic, 3, "no_heuristic = 3");
    BAD(debug_force_fatal, 2, "debug_force_fatal = 2");
    BAD(branching, 6, "branching = 6");
    BAD(branching, -1, "branching = -1");
    BAD(mir_cuts, 2, "mir_cuts = 2");
    BAD(clique_cuts, -2, "clique_cuts = -2");
#undef BAD

    /* every valid branching / cut setting solves the knapsack exactly */
    ckp_mip m;
    knapsack(&m);
    for (int br = 0; br <= CKP_BRANCH_PCH; br++) {
        for (int cuts = -1; cuts <= 1; cuts++) {
            ckp_solve_params q = p;
            q.branching = br;
            q.mir_cuts = cuts;
            q.clique_cuts = cuts;
            q.root_cuts = cuts;
            ckp_solution *s = solve_ok(&m, &q, NULL);
            assert_int_equal(s->status, CKP_MIP_OPTIMAL);
            assert_true(fabs(s->objective - (-22.0)) < 1e-9);
            ckp_solution_free(s);
            q.root_cuts = CKP_ROOT_CUTS_PROOF;
            s = solve_ok(&m, &q, NULL);
            assert_int_equal(s->status, CKP_MIP_OPTIMAL);
            assert_true(fabs(s->objective - (-22.0)) < 1e-9);
            ckp_solution_free(s);
        }
    }
    ckp_mip_fini(&m);
    assert_string_equal(ckp_mip_status_str(CKP_MIP_OPTIMAL), "optimal");
    assert_string_equal(ckp_mip_status_str(CKP_MIP_FEASIBLE), "feasible");
    assert_string_equal(ckp_mip_status_str(CKP_MIP_NO_SOLUTION), "no solution");
    assert_string_equal(ckp_solver_version(), "5.0");
}

/* Degenerate shapes go through GLPK without trouble: no rows and no
 * columns (objective = constant), no rows, no columns, a binary fixed at 1
 * by its bounds (kept fixed: loaded as an integer column, then bounds). */
static void test_edge_models(void **state)
{
    (void)state;
    ckp_mip m;
    ckp_mip_init(&m, "empty");
    m.obj_const = 2.5;
    ckp_solution *s = solve_ok(&m, NULL, NULL);
    assert_int_equal(s->status, CKP_MIP_OPTIMAL);
    assert_true(s->objective == 2.5);
    ckp_solution_free(s);
    ckp_mip_fini(&m);

    ckp_mip_init(&m, "no-rows");
    ckp_mip_add_col(&m, "a", CKP_COL_BINARY, 0, 1, -1, NULL);
    ckp_mip_add_col(&m, "b", CKP_COL_CONTINUOUS, 1, 3, 1, NULL);
    s = solve_ok(&m, NULL, NULL);
    assert_int_equal(s->status, CKP_MIP_OPTIMAL);
    assert_true(s->x[0] == 1.0 && fabs(s->x[1] - 1.0) < 1e-12);
    assert_true(fabs(s->objective) < 1e-12);
    ckp_solution_free(s);
    ckp_mip_fini(&m);

    ckp_mip_init(&m, "no-cols");
    ckp_mip_add_row(&m, "r", -1, 1, NULL);
    s = solve_ok(&m, NULL, NULL);
    assert_int_equal(s->status, CKP_MIP_OPTIMAL);
    ckp_solution_free(s);
    ckp_mip_fini(&m);

    ckp_mip_init(&m, "fixed-binary");
    ckp_mip_add_col(&m, "a", CKP_COL_BINARY, 1, 1, 1, NULL);
    s = solve_ok(&m, NULL, NULL);
    assert_int_equal(s->status, CKP_MIP_OPTIMAL);
    assert_true(s->x[0] == 1.0 && s->objective == 1.0);
    ckp_solution_free(s);
    ckp_mip_fini(&m);
}

/* Run one solve with stdout and stderr redirected to files; returns what
 * each received (caller frees). */
static void solve_captured(const ckp_mip *m, const ckp_solve_params *p,
                           const double *inc, char **out, char **err)
{
    char *po = tu_tmpfile("test-sout"), *pe = tu_tmpfile("test-serr");
    int fo = open(po, O_WRONLY), fe = open(pe, O_WRONLY);
    assert_true(fo >= 0 && fe >= 0);
    fflush(stdout);
    fflush(stderr);
    int so = dup(1), se = dup(2);
    dup2(fo, 1);
    dup2(fe, 2);
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    ckp_solution *s = NULL;
    ckp_status st = ckp_solve(m, p, inc, &s, &d);
    fflush(stdout);
    fflush(stderr);
    dup2(so, 1);
    dup2(se, 2);
    close(so);
    close(se);
    close(fo);
    close(fe);
    assert_int_equal(st, CKP_OK);
    ckp_solution_free(s);
    ckp_diag_list_fini(&d);
    *out = tu_read_file(po, NULL);
    *err = tu_read_file(pe, NULL);
    tu_tmp_remove(po);
    tu_tmp_remove(pe);
    free(po);
    free(pe);
}

static int count_lines(const char *s, const char *prefix)
{
    int n = 0;
    size_t k = strlen(prefix);
    for (const char *l = s; l && *l;) {
        if (strncmp(l, prefix, k) == 0) n++;
        const char *nl = strchr(l, '\n');
        l = nl ? nl + 1 : NULL;
    }
    return n;
}

/* GLPK's output reaches stderr only with verbose; stdout never; the
 * progress line is throttled to at most two a second. */
static void test_output_routing(void **state)
{
    (void)state;
    ckp_mip m;
    knapsack(&m);
    ckp_solve_params p;
    ckp_solve_params_init(&p);
    char *out = NULL, *err = NULL;
    solve_captured(&m, &p, NULL, &out, &err);
    assert_string_equal(out, "");
    assert_string_equal(err, "");
    free(out);
    free(err);

    p.verbose = 1;
    solve_captured(&m, &p, NULL, &out, &err);
    assert_string_equal(out, "");
    if (!strstr(err, "INTEGER OPTIMAL SOLUTION FOUND")) fail_msg("verbose stderr:\n%s", err);
    free(out);
    free(err);
    ckp_mip_fini(&m);

    enum { N = 41 };
    parity(&m, N, 1.0);
    double inc[N + 1];
    for (int i = 0; i < N; i++) inc[i] = i < N / 2 ? 1.0 : 0.0;
    inc[N] = NAN;
    ckp_solve_params_init(&p);
    p.progress = 1;
    p.node_limit = 300;
    p.mir_cuts = 0; /* keep the parity model open (see test_node_limit) */
    p.clique_cuts = 0;
    p.root_cuts = CKP_ROOT_CUTS_OFF;
    solve_captured(&m, &p, inc, &out, &err);
    assert_string_equal(out, "");
    int n = count_lines(err, "chokepoint: incumbent ");
    /* the first at the first callback, then at most two a second (how many
     * depends on the machine's speed, so only the first is required) */
    if (n < 1) fail_msg("%d progress lines:\n%s", n, err);
    assert_int_equal(count_lines(err, ""), n); /* nothing else */
    assert_non_null(strstr(err, " bound "));
    assert_non_null(strstr(err, " gap "));
    assert_non_null(strstr(err, " nodes "));
    free(out);
    free(err);
    ckp_mip_fini(&m);
}

/* A pure LP (the baseline model has no binaries) goes through glp_intopt
 * too and is reported OPTIMAL. */
static void test_pure_lp(void **state)
{
    (void)state;
    ckp_mip m;
    ckp_mip_init(&m, "lp");
    int x = 0, y = 0, r = 0;
    ckp_mip_add_col(&m, "x", CKP_COL_CONTINUOUS, 0, INFINITY, 2, &x);
    ckp_mip_add_col(&m, "y", CKP_COL_CONTINUOUS, 0, 3, 3, &y);
    ckp_mip_add_row(&m, "r", 4, INFINITY, &r);
    ckp_mip_add_coef(&m, r, x, 1);
    ckp_mip_add_coef(&m, r, y, 1);
    m.obj_const = 1.5;
    ckp_solution *s = solve_ok(&m, NULL, NULL);
    assert_int_equal(s->status, CKP_MIP_OPTIMAL);
    assert_true(fabs(s->objective - (8.0 + 1.5)) < 1e-9); /* x = 4 */
    assert_true(fabs(s->x[0] - 4.0) < 1e-9);
    ckp_solution_free(s);
    ckp_mip_fini(&m);
}

/* A generated-like model (the shape of chokepoint's, docs/formulation.md):
 * P projects, each with 2 options x 4 start years as binaries under a
 * one-start row; production y[p,t] <= cap * (starts online by t); demand
 * rows per commodity and year with a penalised shortage; per-year and
 * total budget rows; a small commitment term.  Pseudo-random with a fixed
 * seed (a linear congruential generator): the same (P, seed), the same
 * model. */
static unsigned gen_next(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return (*s >> 8) & 0xffffu;
}

static void gen_model(ckp_mip *m, int P, unsigned seed)
{
    enum { Y = 6, O = 2, S = 4, C = 3 };
    char nm[64];
    ckp_mip_init(m, "generated");
    int dem[C][Y], bud[Y], tot = 0;
    double demand = (double)P * 0.6;
    for (int c = 0; c < C; c++)
        for (int t = 0; t < Y; t++) {
            snprintf(nm, sizeof nm, "bal[%d,%d]", c, t);
            assert_int_equal(ckp_mip_add_row(m, nm, demand, INFINITY, &dem[c][t]), CKP_OK);
            int sh = 0;
            snprintf(nm, sizeof nm, "short[%d,%d]", c, t);
            assert_int_equal(ckp_mip_add_col(m, nm, CKP_COL_CONTINUOUS, 0, INFINITY,
                                             1.0, &sh), CKP_OK);
            assert_int_equal(ckp_mip_add_coef(m, dem[c][t], sh, 1.0), CKP_OK);
        }
    for (int t = 0; t < Y; t++) {
        snprintf(nm, sizeof nm, "budget[%d]", t);
        assert_int_equal(ckp_mip_add_row(m, nm, -INFINITY, (double)P * 0.9, &bud[t]),
                         CKP_OK);
    }
    assert_int_equal(ckp_mip_add_row(m, "budget", -INFINITY, (double)P * 1.5, &tot),
                     CKP_OK);
    for (int p = 0; p < P; p++) {
        int c = p % C, one = 0, x[O][S], link[Y];
        double cap = 1.0 + (double)(gen_next(&seed) % 200) / 100.0;
        int lead = 1 + (int)(gen_next(&seed) % 2);
        snprintf(nm, sizeof nm, "one[%d]", p);
        assert_int_equal(ckp_mip_add_row(m, nm, -INFINITY, 1, &one), CKP_OK);
        for (int o = 0; o < O; o++) {
            double cost = 1.0 + (double)(gen_next(&seed) % 300) / 100.0;
            for (int k = 0; k < S; k++) {
                snprintf(nm, sizeof nm, "x[%d,%d,%d]", p, o, k);
                assert_int_equal(ckp_mip_add_col(m, nm, CKP_COL_BINARY, 0, 1,
                                                 1e-3 * cost, &x[o][k]), CKP_OK);
                assert_int_equal(ckp_mip_add_coef(m, one, x[o][k], 1.0), CKP_OK);
                assert_int_equal(ckp_mip_add_coef(m, bud[k], x[o][k],
                                                  cost * (o ? 0.5 : 1.0)), CKP_OK);
                if (o) /* second option: the rest paid a year later */
                    assert_int_equal(ckp_mip_add_coef(m, bud[k + 1], x[o][k],
                                                      cost * 0.5), CKP_OK);
                assert_int_equal(ckp_mip_add_coef(m, tot, x[o][k], cost), CKP_OK);
            }
        }
        for (int t = 0; t < Y; t++) {
            snprintf(nm, sizeof nm, "cap[%d,%d]", p, t);
            assert_int_equal(ckp_mip_add_row(m, nm, -INFINITY, 0, &link[t]), CKP_OK);
            int y = 0;
            snprintf(nm, sizeof nm, "y[%d,%d]", p, t);
            assert_int_equal(ckp_mip_add_col(m, nm, CKP_COL_CONTINUOUS, 0, cap, 0, &y),
                             CKP_OK);
            assert_int_equal(ckp_mip_add_coef(m, link[t], y, 1.0), CKP_OK);
            assert_int_equal(ckp_mip_add_coef(m, dem[c][t], y, 1.0), CKP_OK);
            for (int o = 0; o < O; o++)
                for (int k = 0; k < S; k++)
                    if (k + lead + o <= t)
                        assert_int_equal(ckp_mip_add_coef(m, link[t], x[o][k], -cap),
                                         CKP_OK);
        }
    }
    char msg[256];
    assert_int_equal(ckp_mip_check(m, msg, (int)sizeof msg), CKP_OK);
}

/* Every bound and row of m holds at x within tol; binaries are 0/1;
 * returns the objective at x. */
static double check_feasible(const ckp_mip *m, const double *x, double tol)
{
    double obj = m->obj_const;
    for (int j = 0; j < m->n_cols; j++) {
        assert_true(x[j] >= m->col_lb[j] - tol && x[j] <= m->col_ub[j] + tol);
        if (m->col_kind[j] == CKP_COL_BINARY) assert_true(x[j] == 0.0 || x[j] == 1.0);
        obj += m->obj[j] * x[j];
    }
    double *act = calloc((size_t)m->n_rows + 1, sizeof *act);
    assert_non_null(act);
    for (int k = 0; k < m->nnz; k++) act[m->ia[k]] += m->ar[k] * x[m->ja[k]];
    for (int i = 0; i < m->n_rows; i++)
        if (!(act[i] >= m->row_lb[i] - tol && act[i] <= m->row_ub[i] + tol))
            fail_msg("row %s: activity %.9g outside [%g, %g]", m->row_name[i], act[i],
                     m->row_lb[i], m->row_ub[i]);
    free(act);
    return obj;
}

/* The LP dive finds a point on a fractional generated-like model; the
 * solution (which the dive seeded) satisfies every row and bound, and is
 * at least as good as the dive's point.  With the branch-and-cut limited
 * to almost nothing the returned point is the dive's own. */
static void test_dive_feasible(void **state)
{
    (void)state;
    ckp_mip m;
    gen_model(&m, 40, 7u);
    ckp_solve_params p;
    ckp_solve_params_init(&p);
    p.time_limit = 60;
    ckp_solution *s = solve_ok(&m, &p, NULL);
    assert_true(s->status == CKP_MIP_OPTIMAL || s->status == CKP_MIP_FEASIBLE);
    assert_true(isfinite(s->dive_objective));
    assert_true(s->dive_lps > 0);
    assert_true(s->objective <= s->dive_objective + 1e-9);
    double obj = check_feasible(&m, s->x, 1e-6);
    assert_true(fabs(obj - s->objective) < 1e-6 * (1.0 + fabs(obj)));
    ckp_solution_free(s);

    /* without the dive: same optimum when proven */
    p.no_lp_heuristic = 1;
    ckp_solution *t = solve_ok(&m, &p, NULL);
    assert_true(isnan(t->dive_objective));
    assert_int_equal(t->dive_lps, 0);
    check_feasible(&m, t->x, 1e-6);
    ckp_solution_free(t);
    ckp_mip_fini(&m);
}

/* The depth-first dive alone (no restricted MIP), on models where it has
 * to fix, backtrack and finish: the point satisfies every row and bound,
 * binaries are 0/1, the objective is the one at x, no better than the
 * proven optimum, and the same on a second run. */
static void test_dive_alone_feasible(void **state)
{
    (void)state;
    static const struct { int P; unsigned seed; } cases[] = {{40, 7u}, {60, 11u}, {120, 5u}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        ckp_mip m;
        gen_model(&m, cases[k].P, cases[k].seed);
        double *x = calloc((size_t)m.n_cols, sizeof *x);
        double *y = calloc((size_t)m.n_cols, sizeof *y);
        assert_non_null(x);
        assert_non_null(y);
        double obj = NAN, obj2 = NAN;
        int found = 0, found2 = 0;
        assert_int_equal(ckp_solver_test_dive(&m, x, &obj, &found), CKP_OK);
        assert_int_equal(found, 1);
        double at = check_feasible(&m, x, 1e-6);
        assert_true(fabs(at - obj) < 1e-6 * (1.0 + fabs(obj)));
        assert_int_equal(ckp_solver_test_dive(&m, y, &obj2, &found2), CKP_OK);
        assert_int_equal(found2, 1);
        assert_memory_equal(x, y, sizeof(double) * (size_t)m.n_cols);
        if (cases[k].P <= 60) { /* the proven optimum is a lower bound */
            ckp_solve_params p;
            ckp_solve_params_init(&p);
            p.time_limit = 60;
            ckp_solution *s = solve_ok(&m, &p, NULL);
            if (s->status == CKP_MIP_OPTIMAL)
                assert_true(obj >= s->objective - 1e-6 * (1.0 + fabs(obj)));
            ckp_solution_free(s);
        }
        free(x);
        free(y);
        ckp_mip_fini(&m);
    }
    /* the knapsack: the dive's point is one of the feasible pairs */
    ckp_mip m;
    knapsack(&m);
    double x[5];
    double obj = NAN;
    int found = 0;
    assert_int_equal(ckp_solver_test_dive(&m, x, &obj, &found), CKP_OK);
    assert_int_equal(found, 1);
    check_feasible(&m, x, 1e-9);
    assert_true(obj >= -22.0 - 1e-9);
    ckp_mip_fini(&m);
}

/* Same model twice: identical x, node count and dive result. */
static void test_dive_deterministic(void **state)
{
    (void)state;
    ckp_mip m;
    gen_model(&m, 60, 11u);
    ckp_solution *a = solve_ok(&m, NULL, NULL);
    ckp_solution *b = solve_ok(&m, NULL, NULL);
    assert_int_equal(a->status, b->status);
    assert_int_equal(a->n_cols, m.n_cols);
    assert_memory_equal(a->x, b->x, sizeof(double) * (size_t)m.n_cols);
    assert_int_equal(a->nodes, b->nodes);
    assert_true(a->objective == b->objective);
    assert_true(a->dive_objective == b->dive_objective);
    assert_int_equal(a->dive_lps, b->dive_lps);
    ckp_solution_free(a);
    ckp_solution_free(b);
    ckp_mip_fini(&m);
}

/* A 300-project model with a short limit: whatever the limit leaves (the
 * outcome depends on the machine's speed, so every outcome is accepted), a
 * limit-stopped answer is never called optimal without proof and the
 * dive's time is part of the solve's.  How long the solve takes is for
 * the benchmark, not this test. */
static void test_dive_time_limit(void **state)
{
    (void)state;
    ckp_mip m;
    gen_model(&m, 300, 3u);
    ckp_solve_params p;
    ckp_solve_params_init(&p);
    p.time_limit = 0.5;
    ckp_solution *s = solve_ok(&m, &p, NULL);
    assert_true(s->dive_seconds <= s->seconds);
    if (s->status == CKP_MIP_OPTIMAL) assert_true(s->glpk_ret == 0);
    else assert_true(s->status == CKP_MIP_FEASIBLE || s->status == CKP_MIP_NO_SOLUTION);
    if (s->x) check_feasible(&m, s->x, 1e-6);
    ckp_solution_free(s);
    ckp_mip_fini(&m);
}

/* Status mapping does not depend on the dive: infeasible and optimal
 * models give the same status, GLPK codes and objective with and
 * without it. */
static void test_dive_status_mapping(void **state)
{
    (void)state;
    ckp_mip m;
    knapsack(&m);
    ckp_solve_params p;
    ckp_solve_params_init(&p);
    ckp_solution *a = solve_ok(&m, &p, NULL);
    p.no_lp_heuristic = 1;
    ckp_solution *b = solve_ok(&m, &p, NULL);
    assert_int_equal(a->status, CKP_MIP_OPTIMAL);
    assert_int_equal(a->status, b->status);
    assert_int_equal(a->glpk_ret, b->glpk_ret);
    assert_int_equal(a->glpk_status, b->glpk_status);
    assert_true(fabs(a->objective - b->objective) < 1e-9);
    /* the dive finds a point no better than the optimum */
    assert_true(isfinite(a->dive_objective) && a->dive_objective >= -22.0 - 1e-9);
    ckp_solution_free(a);
    ckp_solution_free(b);
    /* made infeasible: x[a] + x[b] >= 3 */
    int r = 0;
    assert_int_equal(ckp_mip_add_row(&m, "imp", 3, INFINITY, &r), CKP_OK);
    assert_int_equal(ckp_mip_add_coef(&m, r, 0, 1.0), CKP_OK);
    assert_int_equal(ckp_mip_add_coef(&m, r, 1, 1.0), CKP_OK);
    for (int off = 0; off < 2; off++) {
        p.no_lp_heuristic = off;
        ckp_solution *c = solve_ok(&m, &p, NULL);
        assert_int_equal(c->status, CKP_MIP_INFEASIBLE);
        assert_null(c->x);
        ckp_solution_free(c);
    }
    ckp_mip_fini(&m);
}

/* The exact reduction of the heuristic's LPs (src/solver/reduce.h): with
 * the binaries fixed by a pattern, the reduced LP has the same status and
 * optimum as the full model with those binaries fixed (solved by
 * ckp_solve with the binaries turned into fixed continuous columns, i.e.
 * GLPK's simplex on the whole model), its point maps back to a point of the
 * full model that satisfies every row and bound, and it is smaller than the
 * model.  ckp_solve on the model with its binaries fixed (which takes the
 * reduced path, docs/solver.md §1) gives the same status, GLPK status and
 * optimum, a feasible point with the binaries exactly at their values, and
 * bound = objective.
 * Patterns: nothing funded, one start per project for every fifth
 * project, a pseudo-random pick (about one project in four), all three
 * within the budgets, and every project at its first start (over the
 * first year's budget: infeasible, found by the reduction alone). */
static void test_reduce_exact(void **state)
{
    (void)state;
    ckp_mip m;
    gen_model(&m, 40, 7u);
    int n = m.n_cols;
    double *lb0 = malloc((size_t)n * sizeof *lb0), *ub0 = malloc((size_t)n * sizeof *ub0);
    double *lb = malloc((size_t)n * sizeof *lb), *ub = malloc((size_t)n * sizeof *ub);
    double *x = malloc((size_t)n * sizeof *x);
    unsigned char *kind0 = malloc((size_t)n);
    assert_true(lb0 && ub0 && lb && ub && x && kind0);
    memcpy(kind0, m.col_kind, (size_t)n);
    memcpy(lb0, m.col_lb, (size_t)n * sizeof *lb0);
    memcpy(ub0, m.col_ub, (size_t)n * sizeof *ub0);
    unsigned seed = 3u;
    int feasible = 0;
    for (int pattern = 0; pattern < 4; pattern++) {
        int k = 0; /* binaries seen */
        for (int j = 0; j < n; j++) {
            lb[j] = lb0[j];
            ub[j] = ub0[j];
            if (m.col_kind[j] != CKP_COL_BINARY) continue;
            int p = k / 8, slot = k % 8; /* 8 binaries per project */
            double v = 0.0;
            if (pattern == 1) v = p % 5 == 0 && slot == 1; /* 8 x at most 4 <= 36 */
            if (pattern == 2) v = slot == (int)(gen_next(&seed) % 32); /* at most one */
            if (pattern == 3) v = slot == 0;
            lb[j] = ub[j] = v;
            k++;
        }
        double obj = NAN;
        int status = -2, rows = 0, cols = 0;
        assert_int_equal(ckp_solver_test_reduced_lp(&m, lb, ub, x, &obj, &status, &rows, &cols),
                         CKP_OK);
        /* the reference: the full model with the same bounds and the
         * binaries as fixed continuous columns (GLPK's simplex on the whole
         * model) */
        memcpy(m.col_lb, lb, (size_t)n * sizeof *lb);
        memcpy(m.col_ub, ub, (size_t)n * sizeof *ub);
        for (int j = 0; j < n; j++)
            if (kind0[j] == CKP_COL_BINARY) m.col_kind[j] = CKP_COL_CONTINUOUS;
        ckp_solve_params p;
        ckp_solve_params_init(&p);
        ckp_solution *ref = solve_ok(&m, &p, NULL);
        memcpy(m.col_kind, kind0, (size_t)n);
        /* ckp_solve itself with every binary fixed: the reduced LP too */
        ckp_solution *fx = solve_ok(&m, &p, NULL);
        assert_int_equal(fx->status, ref->status);
        assert_int_equal(fx->glpk_status, ref->glpk_status);
        if (ref->status == CKP_MIP_OPTIMAL) {
            assert_true(fabs(fx->objective - ref->objective) <=
                        1e-7 * (1.0 + fabs(ref->objective)));
            assert_true(fx->bound == fx->objective && fx->gap == 0.0);
            double at_fx = check_feasible(&m, fx->x, 1e-6);
            assert_true(fabs(at_fx - fx->objective) <= 1e-7 * (1.0 + fabs(at_fx)));
            for (int j = 0; j < n; j++)
                if (m.col_kind[j] == CKP_COL_BINARY) assert_true(fx->x[j] == lb[j]);
        }
        ckp_solution_free(fx);
        if (pattern == 3) { /* over the first year's budget */
            assert_int_equal(ref->status, CKP_MIP_INFEASIBLE);
            assert_int_equal(status, 0);
            assert_int_equal(rows, -1); /* the reduction saw it: a budget row */
        } else if (ref->status == CKP_MIP_INFEASIBLE) {
            assert_int_equal(status, 0);
        } else {
            feasible++;
            assert_int_equal(ref->status, CKP_MIP_OPTIMAL);
            assert_int_equal(status, 1);
            assert_true(fabs(obj - ref->objective) <= 1e-7 * (1.0 + fabs(ref->objective)));
            double at_x = check_feasible(&m, x, 1e-6);
            assert_true(fabs(at_x - obj) <= 1e-7 * (1.0 + fabs(obj)));
            assert_true(rows >= 0 && rows < m.n_rows); /* 0: nothing funded */
            assert_true(cols > 0 && cols < m.n_cols);
        }
        ckp_solution_free(ref);
        memcpy(m.col_lb, lb0, (size_t)n * sizeof *lb0);
        memcpy(m.col_ub, ub0, (size_t)n * sizeof *ub0);
    }
    assert_int_equal(feasible, 3);
    free(kind0);
    free(lb0);
    free(ub0);
    free(lb);
    free(ub);
    free(x);
    ckp_mip_fini(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_knapsack_optimum),
        cmocka_unit_test(test_incumbent_completed_and_accepted),
        cmocka_unit_test(test_gap_stop),
        cmocka_unit_test(test_infeasible),
        cmocka_unit_test(test_node_limit),
        cmocka_unit_test(test_fatal_error_recovers),
        cmocka_unit_test(test_write_lp),
        cmocka_unit_test(test_write_mps),
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_prevalidation),
        cmocka_unit_test(test_params_check),
        cmocka_unit_test(test_pure_lp),
        cmocka_unit_test(test_output_routing),
        cmocka_unit_test(test_edge_models),
        cmocka_unit_test(test_dive_feasible),
        cmocka_unit_test(test_dive_alone_feasible),
        cmocka_unit_test(test_dive_deterministic),
        cmocka_unit_test(test_dive_time_limit),
        cmocka_unit_test(test_dive_status_mapping),
        cmocka_unit_test(test_reduce_exact),
        cmocka_unit_test(test_knap_cuts_exact),
        cmocka_unit_test(test_root_cuts_exact),
        cmocka_unit_test(test_root_cuts_modes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
