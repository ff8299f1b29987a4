/* test_rootcuts.c: the tableau MIR / two-step MIR separator of the root
 * cuts (src/solver/tabmir.c, docs/solver.md §5b).
 *
 * Validity is checked by enumeration: small random problems over binaries
 * and one bounded continuous column, several rounds of cuts (so cuts are
 * also derived from tableau rows that contain earlier cuts), and every
 * integer-feasible point of the original rows must satisfy every cut for
 * every feasible value of the continuous column.  Then the solver with
 * root cuts on must reach the same optima as with them off. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include <glpk.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "solver/cuts.h"
#include "testutil.h"

#define NB 9       /* binaries */
#define NR 4       /* original rows */
#define ROUNDS 4

static unsigned long rng_state;

static double rnd(void) /* [0, 1) */
{
    rng_state = rng_state * 6364136223846793005UL + 1442695040888963407UL;
    return (double)((rng_state >> 11) & ((1UL << 52) - 1)) / (double)(1UL << 52);
}

/* columns 1..NB binary, NB + 1 continuous y in [0, 3]; rows: knapsacks
 * with fractional weights and a share of y, maximise a random profit */
static glp_prob *random_problem(void)
{
    glp_prob *P = glp_create_prob();
    glp_set_obj_dir(P, GLP_MAX);
    glp_add_cols(P, NB + 1);
    for (int j = 1; j <= NB; j++) {
        glp_set_col_kind(P, j, GLP_BV);
        glp_set_obj_coef(P, j, 1.0 + 9.0 * rnd());
    }
    glp_set_col_bnds(P, NB + 1, GLP_DB, 0.0, 3.0);
    glp_set_obj_coef(P, NB + 1, -1.0 + 2.0 * rnd());
    glp_add_rows(P, NR);
    int ind[NB + 2];
    double val[NB + 2];
    for (int i = 1; i <= NR; i++) {
        double sum = 0.0;
        for (int j = 1; j <= NB; j++) {
            ind[j] = j;
            val[j] = rnd() < 0.25 ? 0.0 : 0.5 + 7.0 * rnd();
            if (rnd() < 0.15) val[j] = -val[j];
            sum += fabs(val[j]);
        }
        ind[NB + 1] = NB + 1;
        val[NB + 1] = -3.0 * rnd(); /* y relaxes the row */
        glp_set_mat_row(P, i, NB + 1, ind, val);
        glp_set_row_bnds(P, i, GLP_UP, 0.0, (0.25 + 0.3 * rnd()) * sum);
    }
    return P;
}

/* random_problem() from the given seed, its LP solved */
static glp_prob *solved_problem(unsigned long seed)
{
    rng_state = seed;
    glp_prob *P = random_problem();
    glp_smcp sm;
    glp_init_smcp(&sm);
    sm.msg_lev = GLP_MSG_OFF;
    assert_int_equal(glp_simplex(P, &sm), 0);
    assert_int_equal(glp_get_status(P), GLP_OPT);
    return P;
}

/* up to ROUNDS rounds: cuts added, the LP re-solved (optimal) */
static void cut_rounds(glp_prob *P, ckp_tmir_sep *s)
{
    glp_smcp sm;
    glp_init_smcp(&sm);
    sm.msg_lev = GLP_MSG_OFF;
    for (int r = 0; r < ROUNDS; r++) {
        int k = ckp_tmir_add_rows(s, P);
        assert_true(k >= 0);
        if (k == 0) break;
        assert_int_equal(glp_simplex(P, &sm), 0);
        assert_int_equal(glp_get_status(P), GLP_OPT);
    }
}

/* the interval of y allowed by the original rows at binary point x;
 * 0 when empty */
static int y_range(glp_prob *P, const double *x, double *lo, double *hi)
{
    int ind[NB + 2];
    double val[NB + 2];
    *lo = 0.0;
    *hi = 3.0;
    for (int i = 1; i <= NR; i++) {
        int len = glp_get_mat_row(P, i, ind, val);
        double act = 0.0, cy = 0.0;
        for (int k = 1; k <= len; k++) {
            if (ind[k] == NB + 1) cy = val[k];
            else act += val[k] * x[ind[k]];
        }
        double ub = glp_get_row_ub(P, i);
        /* act + cy y <= ub */
        if (cy == 0.0) {
            if (act > ub + 1e-9) return 0;
        } else if (cy < 0.0) {
            double need = (ub - act) / cy; /* y >= need */
            if (need > *lo) *lo = need;
        } else {
            double cap = (ub - act) / cy;
            if (cap < *hi) *hi = cap;
        }
    }
    return *lo <= *hi + 1e-9;
}

/* every cut row (> NR) at every feasible point, y at both ends of its range */
static int check_cuts(glp_prob *P, int *points)
{
    int m = glp_get_num_rows(P);
    int ind[NB + 2];
    double val[NB + 2], x[NB + 2];
    int bad = 0;
    for (unsigned mask = 0; mask < (1u << NB); mask++) {
        for (int j = 1; j <= NB; j++) x[j] = (mask >> (j - 1)) & 1u;
        double lo, hi;
        if (!y_range(P, x, &lo, &hi)) continue;
        (*points)++;
        for (int e = 0; e < 2; e++) {
            x[NB + 1] = e == 0 ? lo : hi;
            for (int i = NR + 1; i <= m; i++) {
                int len = glp_get_mat_row(P, i, ind, val);
                double act = 0.0;
                for (int k = 1; k <= len; k++) act += val[k] * x[ind[k]];
                double rhs = glp_get_row_lb(P, i);
                if (act < rhs - 1e-7 * (1.0 + fabs(rhs))) bad++;
            }
        }
    }
    return bad;
}

static void test_cuts_valid_by_enumeration(void **state)
{
    (void)state;
    glp_term_out(GLP_OFF);
    long total = 0, points = 0;
    int instances_with_cuts = 0;
    for (int inst = 0; inst < 300; inst++) {
        glp_prob *P = solved_problem(1000u + (unsigned long)inst);
        ckp_tmir_sep *s = NULL;
        assert_int_equal(ckp_tmir_sep_new(&s), CKP_OK);
        cut_rounds(P, s);
        long added = ckp_tmir_count(s);
        assert_int_equal(added, glp_get_num_rows(P) - NR);
        total += added;
        if (added > 0) instances_with_cuts++;
        int pts = 0;
        int bad = check_cuts(P, &pts);
        if (bad) fail_msg("instance %d: %d cut violations at feasible points", inst, bad);
        points += pts;
        ckp_tmir_sep_free(s);
        glp_delete_prob(P);
    }
    glp_free_env();
    /* the test must exercise the separator: most instances get cuts */
    assert_true(instances_with_cuts > 150);
    assert_true(total > 1000);
    assert_true(points > 10000);
}

/* The LP bound after the rounds never exceeds the integer optimum (a
 * maximisation: the LP value stays >= the best enumerated point), and the
 * cuts do raise the bound on some instances. */
static void test_cuts_keep_optimum(void **state)
{
    (void)state;
    glp_term_out(GLP_OFF);
    int tightened = 0;
    for (int inst = 0; inst < 100; inst++) {
        glp_prob *P = solved_problem(5000u + (unsigned long)inst);
        double lp0 = glp_get_obj_val(P);
        /* integer optimum by enumeration (y at the better end) */
        double best = -INFINITY, x[NB + 2];
        for (unsigned mask = 0; mask < (1u << NB); mask++) {
            for (int j = 1; j <= NB; j++) x[j] = (mask >> (j - 1)) & 1u;
            double lo, hi;
            if (!y_range(P, x, &lo, &hi)) continue;
            double v = 0.0;
            for (int j = 1; j <= NB; j++) v += glp_get_obj_coef(P, j) * x[j];
            double cy = glp_get_obj_coef(P, NB + 1);
            v += cy * (cy > 0.0 ? hi : lo);
            if (v > best) best = v;
        }
        ckp_tmir_sep *s = NULL;
        assert_int_equal(ckp_tmir_sep_new(&s), CKP_OK);
        cut_rounds(P, s);
        double lp = glp_get_obj_val(P);
        assert_true(lp >= best - 1e-7 * (1.0 + fabs(best)));
        if (lp < lp0 - 1e-6) tightened++;
        ckp_tmir_sep_free(s);
        glp_delete_prob(P);
    }
    glp_free_env();
    assert_true(tightened > 30);
}

static void test_free_accepts_null(void **state)
{
    (void)state;
    ckp_tmir_sep_free(NULL);
    assert_int_equal(ckp_tmir_count(NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cuts_valid_by_enumeration),
        cmocka_unit_test(test_cuts_keep_optimum),
        cmocka_unit_test(test_free_accepts_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
