/* test_branch.c: chokepoint's branching rule (src/solver/branch.c,
 * docs/solver.md §5e) on a knapsack whose optimum is computed by hand:
 * with the rule on, the optimum is the same as with GLPK's own rule, the
 * rule actually chose the branchings (ckp_solution.pcost_chosen) and ran
 * strong-branching LPs (pcost_strong); with it off it chose none.  On a
 * model of more than 4e6 rows x binaries the rule evaluates fewer candidates by
 * strong branching a node (same optimum, fewer strong-branching LPs).  GLPK's
 * cuts, the heuristics and chokepoint's root cuts are off, so the search
 * has to branch. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ckp/solve.h"
#include "solver/glpk_ctx.h"

/* max 90a + 72b + 70c + 50d + 40e + 30f  s.t.  5a + 4b + 4c + 3d + 3e + 2f <= 10
 * (as min of the negated values).  Subsets of weight <= 10, best first:
 * {b, c, f} 172 (weight 10), {a, d, f} 170, {a, b} 162, {b, d, e} 162,
 * {c, d, e} 160, {a, c} 160, {a, e, f} 160; every other subset of weight
 * <= 10 is worth less (a triple without a has weight >= 8 and at most
 * 72 + 70 + 30; with a, weight 5 leaves room for one of b, c or two of
 * d, e, f of weight <= 5: d + f).  Optimum -172, x = (0,1,1,0,0,1).  The
 * LP relaxation takes a and b (value per unit 18) and c at 1/4: -179.5,
 * fractional. */
static void knapsack6(ckp_mip *m)
{
    static const char *names[] = {"x[a]", "x[b]", "x[c]", "x[d]", "x[e]", "x[f]"};
    static const double val[] = {90, 72, 70, 50, 40, 30}, wt[] = {5, 4, 4, 3, 3, 2};
    int cap = 0;
    ckp_mip_init(m, "knapsack6");
    assert_int_equal(ckp_mip_add_row(m, "cap", -INFINITY, 10, &cap), CKP_OK);
    for (int j = 0; j < 6; j++) {
        int col = 0;
        assert_int_equal(ckp_mip_add_col(m, names[j], CKP_COL_BINARY, 0, 1, -val[j], &col),
                         CKP_OK);
        assert_int_equal(ckp_mip_add_coef(m, cap, col, wt[j]), CKP_OK);
    }
}

static ckp_solution *solve_limited(const ckp_mip *m, int pcost, long node_limit)
{
    ckp_solve_params p;
    ckp_solve_params_init(&p);
    p.pcost = pcost;
    p.mir_cuts = 0;
    p.clique_cuts = 0;
    p.gmi_cuts = 0;
    p.cov_cuts = 0;
    p.fp_heur = 0;
    p.knap_cuts = 0;
    p.root_cuts = CKP_ROOT_CUTS_OFF;
    p.no_lp_heuristic = 1;
    p.node_limit = node_limit;
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    ckp_solution *s = NULL;
    assert_int_equal(ckp_solve(m, &p, NULL, &s, &d), CKP_OK);
    assert_int_equal(d.n_errors, 0);
    ckp_diag_list_fini(&d);
    assert_non_null(s);
    return s;
}

static ckp_solution *solve_plain(const ckp_mip *m, int pcost)
{
    return solve_limited(m, pcost, 1000); /* far above what the search needs */
}

static void test_same_optimum_and_fires(void **state)
{
    (void)state;
    ckp_mip m;
    knapsack6(&m);
    ckp_solution *on = solve_plain(&m, 1);
    ckp_solution *off = solve_plain(&m, 0);
    assert_int_equal(on->status, CKP_MIP_OPTIMAL);
    assert_int_equal(off->status, CKP_MIP_OPTIMAL);
    assert_true(fabs(on->objective - (-172.0)) < 1e-9);
    assert_true(fabs(off->objective - (-172.0)) < 1e-9);
    static const double want[] = {0, 1, 1, 0, 0, 1};
    for (int j = 0; j < 6; j++) {
        assert_true(fabs(on->x[j] - want[j]) < 1e-6);
        assert_true(fabs(off->x[j] - want[j]) < 1e-6);
    }
    /* the rule branched, and evaluated candidates by strong branching */
    assert_true(on->pcost_chosen >= 1);
    assert_true(on->pcost_strong >= 2);
    assert_true(on->nodes >= 2);
    /* GLPK's own rule when off */
    assert_int_equal(off->pcost_chosen, 0);
    assert_int_equal(off->pcost_strong, 0);
    ckp_solution_free(on);
    ckp_solution_free(off);
    ckp_mip_fini(&m);
}

/* A node limit stops the search under the rule as under GLPK's: FEASIBLE
 * or NO_SOLUTION with CKP_LIMIT_NODES, never a wrong "optimal". */
static void test_node_limit(void **state)
{
    (void)state;
    ckp_mip m;
    knapsack6(&m);
    ckp_solve_params p;
    ckp_solve_params_init(&p);
    p.pcost = 1;
    p.mir_cuts = 0;
    p.clique_cuts = 0;
    p.fp_heur = 0;
    p.knap_cuts = 0;
    p.root_cuts = CKP_ROOT_CUTS_OFF;
    p.no_lp_heuristic = 1;
    p.node_limit = 1;
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    ckp_solution *s = NULL;
    assert_int_equal(ckp_solve(&m, &p, NULL, &s, &d), CKP_OK);
    ckp_diag_list_fini(&d);
    assert_true(s->status != CKP_MIP_OPTIMAL || fabs(s->objective - (-172.0)) < 1e-9);
    if (s->status != CKP_MIP_OPTIMAL) assert_int_equal(s->limit, CKP_LIMIT_NODES);
    ckp_solution_free(s);
    ckp_mip_fini(&m);
}

/* The cap by model size: 6 candidates up to rows x integer columns =
 * 4e6, then 6 x 4e6 / size, at least one. */
static void test_sb_cands(void **state)
{
    (void)state;
    assert_int_equal(ckp_pcost_sb_cands(1, 1), 6);
    assert_int_equal(ckp_pcost_sb_cands(2000, 2000), 6);
    assert_int_equal(ckp_pcost_sb_cands(2879, 1056), 6);
    assert_int_equal(ckp_pcost_sb_cands(2001, 2000), 5);
    assert_int_equal(ckp_pcost_sb_cands(2560, 2966), 3);
    assert_int_equal(ckp_pcost_sb_cands(3439, 3952), 1);
    assert_int_equal(ckp_pcost_sb_cands(1000000, 1000000), 1);
}

/* K independent pairs: min -(a_i x_i + b_i y_i) s.t. 2 x_i + 2 y_i <= 3,
 * a_i = 10 + i > b_i = 5 + i.  Each pair takes one item at most, and x_i
 * is worth more: optimum x = 1, y = 0, value -(sum a_i) = -(10K + K(K-1)/2).
 * The LP takes x_i = 1 and y_i = 1/2 (value per unit weight: a_i/2 >
 * b_i/2), so the root has K fractional columns, all unobserved.  With
 * `pad` redundant rows x_0 + y_0 <= 2 and `pad` binaries of cost 1 in no
 * row (0 at every optimum) the model is "large". */
#define PAIRS 8
static void pairs(ckp_mip *m, int pad)
{
    ckp_mip_init(m, "pairs");
    int col0 = -1, col1 = -1;
    for (int i = 0; i < PAIRS; i++) {
        char name[32];
        int row = 0, x = 0, y = 0;
        snprintf(name, sizeof name, "w[%d]", i);
        assert_int_equal(ckp_mip_add_row(m, name, -INFINITY, 3, &row), CKP_OK);
        snprintf(name, sizeof name, "x[%d]", i);
        assert_int_equal(ckp_mip_add_col(m, name, CKP_COL_BINARY, 0, 1, -(10.0 + i), &x), CKP_OK);
        snprintf(name, sizeof name, "y[%d]", i);
        assert_int_equal(ckp_mip_add_col(m, name, CKP_COL_BINARY, 0, 1, -(5.0 + i), &y), CKP_OK);
        assert_int_equal(ckp_mip_add_coef(m, row, x, 2), CKP_OK);
        assert_int_equal(ckp_mip_add_coef(m, row, y, 2), CKP_OK);
        if (i == 0) {
            col0 = x;
            col1 = y;
        }
    }
    for (int k = 0; k < pad; k++) {
        char name[32];
        int row = 0;
        snprintf(name, sizeof name, "pad[%d]", k);
        assert_int_equal(ckp_mip_add_row(m, name, -INFINITY, 2, &row), CKP_OK);
        assert_int_equal(ckp_mip_add_coef(m, row, col0, 1), CKP_OK);
        assert_int_equal(ckp_mip_add_coef(m, row, col1, 1), CKP_OK);
        int c = 0;
        snprintf(name, sizeof name, "pad[%d]", k);
        assert_int_equal(ckp_mip_add_col(m, name, CKP_COL_BINARY, 0, 1, 1.0, &c), CKP_OK);
    }
}

static void test_sb_cap_large_model(void **state)
{
    (void)state;
    ckp_mip small, large;
    pairs(&small, 0);
    pairs(&large, 3500); /* 3,508 rows x 3,516 binaries: one candidate a node */
    ckp_solution *a = solve_plain(&small, 1);
    ckp_solution *b = solve_plain(&large, 1);
    const double opt = -(10.0 * PAIRS + PAIRS * (PAIRS - 1) / 2.0);
    assert_int_equal(a->status, CKP_MIP_OPTIMAL);
    assert_int_equal(b->status, CKP_MIP_OPTIMAL);
    assert_true(fabs(a->objective - opt) < 1e-9);
    assert_true(fabs(b->objective - opt) < 1e-9);
    for (int j = 0; j < 2 * PAIRS; j++) {
        double want = j % 2 == 0 ? 1.0 : 0.0; /* x_i, y_i in column order */
        assert_true(fabs(a->x[j] - want) < 1e-6);
        assert_true(fabs(b->x[j] - want) < 1e-6);
    }
    for (int j = 2 * PAIRS; j < large.n_cols; j++) assert_true(fabs(b->x[j]) < 1e-6);
    assert_true(a->pcost_chosen >= 1);
    assert_true(b->pcost_chosen >= 1);
    /* at the root (node limit 2: the search stops after the root's one
     * branching), the small model evaluates
     * 6 of its 8 fractional candidates (12 LPs), the large one 1 (2 LPs) */
    ckp_solution *ra = solve_limited(&small, 1, 2);
    ckp_solution *rb = solve_limited(&large, 1, 2);
    assert_int_equal(ra->pcost_chosen, 1);
    assert_int_equal(rb->pcost_chosen, 1);
    assert_int_equal(ra->pcost_strong, 12);
    assert_int_equal(rb->pcost_strong, 2);
    ckp_solution_free(ra);
    ckp_solution_free(rb);
    /* deterministic: the same input gives the same search */
    ckp_solution *b2 = solve_plain(&large, 1);
    assert_int_equal(b2->nodes, b->nodes);
    assert_int_equal(b2->pcost_strong, b->pcost_strong);
    for (int j = 0; j < large.n_cols; j++) assert_true(b2->x[j] == b->x[j]);
    ckp_solution_free(a);
    ckp_solution_free(b);
    ckp_solution_free(b2);
    ckp_mip_fini(&small);
    ckp_mip_fini(&large);
}

/* Bad values of the switch are refused with the field named. */
static void test_param_check(void **state)
{
    (void)state;
    ckp_solve_params p;
    ckp_solve_params_init(&p);
    assert_int_equal(p.pcost, -1);
    p.pcost = 2;
    char msg[256];
    assert_int_equal(ckp_solve_params_check(&p, msg, (int)sizeof msg), CKP_EUSAGE);
    assert_non_null(strstr(msg, "pcost"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_optimum_and_fires),
        cmocka_unit_test(test_node_limit),
        cmocka_unit_test(test_param_check),
        cmocka_unit_test(test_sb_cands),
        cmocka_unit_test(test_sb_cap_large_model),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
