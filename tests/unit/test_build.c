/* test_build.c: the model builder on tiny hand-checked plans
 * (tests/data/build/tiny.xml, worked through in docs/formulation.md):
 * row and column counts, coefficients of every row family, start windows,
 * forced/excluded projects, baseline, min-max rows, parameter overrides. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ckp/mip.h"
#include "ckp/model.h"
#include "util/alloc.h"

#define EPS 1e-12

/* Build with params (NULL = defaults); the model must pass ckp_mip_check
 * and its row kinds must match the row names. */
static ckp_model *build_ok(const ckp_plan *plan, const ckp_model_params *pp)
{
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    ckp_model *m = NULL;
    ckp_status st = ckp_model_build(plan, pp, &m, &d);
    if (st != CKP_OK) {
        char *t = tu_diag_text(&d);
        print_error("build failed (%s):\n%s", ckp_status_str(st), t);
        free(t);
    }
    assert_int_equal(st, CKP_OK);
    assert_int_equal(d.n_errors, 0);
    ckp_diag_list_fini(&d);
    char msg[256];
    assert_int_equal(ckp_mip_check(&m->mip, msg, (int)sizeof msg), CKP_OK);
    static const char *prefix[] = {"one[", "one_upg[", "cap[", "bal[", "infra[",
                                   "budget[", "budget_total", "req[", "excl[", "mm[",
                                   "cap_share[", "goal", "stock_rel[", "stock_tot[",
                                   "worst[", "fin_cap"};
    assert_int_equal(sizeof prefix / sizeof *prefix, CKP_ROW_FIN_CAP + 1);
    for (int i = 0; i < m->mip.n_rows; i++) {
        const char *pre = prefix[m->row_kind[i]];
        assert_memory_equal(m->mip.row_name[i], pre, strlen(pre));
    }
    return m;
}

/* Build expecting failure; returns the diagnostics text (caller frees). */
static char *build_fails(const ckp_plan *plan, const ckp_model_params *pp,
                         ckp_status want)
{
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    ckp_model *m = (ckp_model *)&d; /* must be reset to NULL */
    assert_int_equal(ckp_model_build(plan, pp, &m, &d), want);
    assert_null(m);
    char *t = tu_diag_text(&d);
    ckp_diag_list_fini(&d);
    return t;
}

static int col(const ckp_model *m, const char *name)
{
    int j = ckp_mip_find_col(&m->mip, name);
    if (j < 0) print_error("no column %s\n", name);
    assert_true(j >= 0);
    return j;
}

static int row(const ckp_model *m, const char *name)
{
    int i = ckp_mip_find_row(&m->mip, name);
    if (i < 0) print_error("no row %s\n", name);
    assert_true(i >= 0);
    return i;
}

static double coef(const ckp_model *m, const char *r, const char *c)
{
    return ckp_mip_coef(&m->mip, row(m, r), col(m, c));
}

static int row_nnz(const ckp_model *m, int i)
{
    int n = 0;
    for (int k = 0; k < m->mip.nnz; k++) n += m->mip.ia[k] == i;
    return n;
}

static int count_kind(const ckp_model *m, ckp_row_kind kind)
{
    int n = 0;
    for (int i = 0; i < m->mip.n_rows; i++) n += m->row_kind[i] == kind;
    return n;
}

static int count_cols(const ckp_model *m, char first)
{
    int n = 0;
    for (int j = 0; j < m->mip.n_cols; j++) n += m->mip.col_name[j][0] == first;
    return n;
}

static void tiny_counts(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/build/tiny.xml");
    ckp_model *m = build_ok(plan, NULL);
    /* x: p1 2 options x starts 2026, 2027 (2028 would be online 2029);
       p2 2026 only (permit 1 + build 1); p3 none (online 2029); p4 2026
       (latest-start) -> 6.  z: u1 2026, 2027 -> 2.  q: facilities 2 x 3,
       p1 2027-28, p2 2028, p4 2027-28 -> 11.  s: magnet 3 years -> 3. */
    assert_int_equal(count_cols(m, 'x'), 6);
    assert_int_equal(count_cols(m, 'z'), 2);
    assert_int_equal(count_cols(m, 'q'), 11);
    assert_int_equal(count_cols(m, 's'), 3);
    assert_int_equal(count_cols(m, 'm'), 0);
    assert_int_equal(m->mip.n_cols, 22);
    assert_int_equal(ckp_mip_n_binary(&m->mip), 8);
    assert_int_equal(m->n_starts, 6);
    assert_int_equal(m->n_ustarts, 2);
    assert_int_equal(count_kind(m, CKP_ROW_ONE), 3);
    assert_int_equal(count_kind(m, CKP_ROW_ONE_UPG), 1);
    assert_int_equal(count_kind(m, CKP_ROW_CAP), 5);
    assert_int_equal(count_kind(m, CKP_ROW_BAL), 6);
    assert_int_equal(count_kind(m, CKP_ROW_INFRA), 2);
    assert_int_equal(count_kind(m, CKP_ROW_BUDGET_YEAR), 1);
    assert_int_equal(count_kind(m, CKP_ROW_BUDGET_TOTAL), 1);
    assert_int_equal(count_kind(m, CKP_ROW_REQUIRES), 1);
    assert_int_equal(count_kind(m, CKP_ROW_EXCLUDES), 1);
    assert_int_equal(count_kind(m, CKP_ROW_MINMAX), 0);
    assert_int_equal(m->mip.n_rows, 21);
    assert_int_equal(m->mip.nnz, 72);
    assert_int_equal(m->objective, CKP_OBJ_WEIGHTED);
    assert_true(m->qty_scale == 1000.0);
    assert_true(m->money_scale == 1.0);
    ckp_model_free(m);
    ckp_plan_free(plan);
}

static void tiny_start_windows(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/build/tiny.xml");
    ckp_model *m = build_ok(plan, NULL);
    /* starts grouped by project, in plan order */
    assert_int_equal(m->project_first[0], 0);
    assert_int_equal(m->project_first[1], 4);
    assert_int_equal(m->project_first[2], 5);
    assert_int_equal(m->project_first[3], 5); /* p3: past the horizon */
    assert_int_equal(m->project_first[4], 6);
    for (int k = 0; k < m->n_starts; k++) {
        const ckp_start_var *s = &m->starts[k];
        assert_true(k >= m->project_first[s->project] &&
                    k < m->project_first[s->project + 1]);
        assert_int_equal(m->mip.col_kind[s->col], CKP_COL_BINARY);
    }
    /* permit pending shifts online: p2 starts 2026, online 2028 */
    const ckp_start_var *p2 = &m->starts[4];
    assert_int_equal(p2->project, 1);
    assert_int_equal(p2->start, 2026);
    assert_int_equal(p2->online, 2028);
    assert_int_equal(p2->col, col(m, "x[p2,a,2026]"));
    /* p1: online = start + 1; starts cut at 2027 by the horizon */
    assert_int_equal(m->starts[0].start, 2026);
    assert_int_equal(m->starts[0].online, 2027);
    assert_int_equal(ckp_mip_find_col(&m->mip, "x[p1,o1,2028]"), -1);
    assert_int_equal(ckp_mip_find_col(&m->mip, "x[p4,a,2027]"), -1);
    /* p3 has no column at all, no production, no one-start row */
    for (int j = 0; j < m->mip.n_cols; j++)
        assert_null(strstr(m->mip.col_name[j], "p3"));
    for (int y = 0; y < m->n_years; y++)
        assert_int_equal(m->prod_col[(plan->n_facilities + 2) * m->n_years + y], -1);
    assert_int_equal(m->project_row[2], -1);
    assert_int_equal(m->project_row[0], row(m, "one[p1]"));
    /* project production only from the first possible online year */
    int f_p2 = plan->n_facilities + 1;
    assert_int_equal(m->prod_col[f_p2 * m->n_years + 0], -1);
    assert_int_equal(m->prod_col[f_p2 * m->n_years + 1], -1);
    assert_int_equal(m->prod_col[f_p2 * m->n_years + 2], col(m, "q[p2,2028]"));
    /* upgrade: latest start 2027, online +1 */
    assert_int_equal(m->upgrade_first[0], 0);
    assert_int_equal(m->upgrade_first[1], 2);
    assert_int_equal(m->ustarts[1].start, 2027);
    assert_int_equal(m->ustarts[1].online, 2028);
    assert_int_equal(m->ustarts[1].col, col(m, "z[u1,2027]"));
    ckp_model_free(m);
    ckp_plan_free(plan);
}

static void tiny_bounds_and_objective(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/build/tiny.xml");
    ckp_model *m = build_ok(plan, NULL);
    const ckp_mip *x = &m->mip;
    /* requirement: magnet = demand (1000, 1100, 1200); oxide = 0.5 x that */
    int Y = m->n_years;
    assert_true(fabs(m->requirement[1 * Y + 1] - 1100) < 1e-9);
    assert_true(fabs(m->requirement[0 * Y + 0] - 500) < 1e-9);
    assert_true(fabs(m->requirement[0 * Y + 2] - 600) < 1e-9);
    /* kt: capacity x available / 1000 */
    assert_true(fabs(x->col_ub[col(m, "q[cn-mag,2026]")] - 1.0) < EPS);
    assert_true(fabs(x->col_ub[col(m, "q[cn-sep,2027]")] - 2.0) < EPS);
    assert_true(fabs(x->col_ub[col(m, "q[p1,2027]")] - 0.4) < EPS);
    assert_true(fabs(x->col_ub[col(m, "s[magnet,2027]")] - 1.1) < EPS);
    assert_true(x->col_lb[col(m, "s[magnet,2027]")] == 0);
    /* objective: w * risk / R(kt); shortage: penalty * w / R(kt) */
    assert_true(fabs(x->obj[col(m, "q[cn-sep,2026]")] - 1.0 / 0.5) < EPS);
    assert_true(fabs(x->obj[col(m, "q[cn-mag,2027]")] - 1.0 / 1.1) < EPS);
    assert_true(x->obj[col(m, "q[p1,2028]")] == 0);
    assert_true(x->obj[col(m, "q[p2,2028]")] == 0);
    assert_true(fabs(x->obj[col(m, "s[magnet,2027]")] - 10.0 / 1.1) < EPS);
    /* tie-break: 1e-4 * commitment / (150 + 80 + 50 + 30 + 20) */
    assert_true(fabs(x->obj[col(m, "x[p1,o1,2026]")] - 1e-4 * 100 / 330) < EPS);
    assert_true(fabs(x->obj[col(m, "x[p1,o2,2027]")] - 1e-4 * 150 / 330) < EPS);
    assert_true(fabs(x->obj[col(m, "z[u1,2027]")] - 1e-4 * 20 / 330) < EPS);
    ckp_model_free(m);
    ckp_plan_free(plan);
}

static void tiny_cap_and_bal_rows(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/build/tiny.xml");
    ckp_model *m = build_ok(plan, NULL);
    /* cap: q - cap(kt) * ramp(y - online) * x <= 0; ramp "0.5" then 1 */
    int r = row(m, "cap[p1,2027]");
    assert_true(m->mip.row_ub[r] == 0 && m->mip.row_lb[r] == -INFINITY);
    assert_int_equal(row_nnz(m, r), 3);
    assert_true(coef(m, "cap[p1,2027]", "q[p1,2027]") == 1.0);
    assert_true(fabs(coef(m, "cap[p1,2027]", "x[p1,o1,2026]") + 0.2) < EPS);
    assert_true(fabs(coef(m, "cap[p1,2027]", "x[p1,o2,2026]") + 0.2) < EPS);
    assert_true(coef(m, "cap[p1,2027]", "x[p1,o1,2027]") == 0);
    assert_true(fabs(coef(m, "cap[p1,2028]", "x[p1,o1,2026]") + 0.4) < EPS);
    assert_true(fabs(coef(m, "cap[p1,2028]", "x[p1,o2,2027]") + 0.2) < EPS);
    assert_true(fabs(coef(m, "cap[p2,2028]", "x[p2,a,2026]") + 0.3) < EPS);
    /* bal: outputs +1, inputs -ratio, shortage +1, >= demand (kt) */
    r = row(m, "bal[oxide,2027]");
    assert_true(m->mip.row_lb[r] == 0 && m->mip.row_ub[r] == INFINITY);
    assert_int_equal(row_nnz(m, r), 4);
    assert_true(coef(m, "bal[oxide,2027]", "q[cn-sep,2027]") == 1.0);
    assert_true(coef(m, "bal[oxide,2027]", "q[p4,2027]") == 1.0);
    assert_true(coef(m, "bal[oxide,2027]", "q[cn-mag,2027]") == -0.5);
    assert_true(coef(m, "bal[oxide,2027]", "q[p1,2027]") == -0.5);
    r = row(m, "bal[magnet,2027]");
    assert_true(fabs(m->mip.row_lb[r] - 1.1) < EPS);
    assert_int_equal(row_nnz(m, r), 3);
    assert_true(coef(m, "bal[magnet,2027]", "s[magnet,2027]") == 1.0);
    assert_true(coef(m, "bal[magnet,2027]", "q[p1,2027]") == 1.0);
    assert_true(coef(m, "bal[magnet,2028]", "q[cn-mag,2028]") == 1.0);
    /* cn-sep, p2, p4 make it; cn-mag, p1 use it; no demand, no shortage */
    assert_int_equal(row_nnz(m, row(m, "bal[oxide,2028]")), 5);
    ckp_model_free(m);
    ckp_plan_free(plan);
}

static void tiny_budget_infra_pairs(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/build/tiny.xml");
    ckp_model *m = build_ok(plan, NULL);
    /* budget[2026]: commitment x schedule share of year 0 */
    int r = row(m, "budget[2026]");
    assert_int_equal(m->budget_year_row[0], r);
    assert_int_equal(m->budget_year_row[1], -1);
    assert_true(m->mip.row_ub[r] == 100);
    assert_int_equal(row_nnz(m, r), 5);
    assert_true(fabs(coef(m, "budget[2026]", "x[p1,o1,2026]") - 60) < EPS);
    assert_true(coef(m, "budget[2026]", "x[p1,o2,2026]") == 150);
    assert_true(coef(m, "budget[2026]", "x[p1,o1,2027]") == 0);
    assert_true(coef(m, "budget[2026]", "x[p2,a,2026]") == 80);
    assert_true(coef(m, "budget[2026]", "z[u1,2026]") == 20);
    r = row(m, "budget_total");
    assert_int_equal(m->budget_total_row, r);
    assert_true(m->mip.row_ub[r] == 500);
    assert_int_equal(row_nnz(m, r), 8);
    assert_true(coef(m, "budget_total", "x[p1,o1,2027]") == 100);
    assert_true(coef(m, "budget_total", "z[u1,2027]") == 20);
    /* infra: needs count from the online year; upgrades from theirs */
    r = row(m, "infra[s1,power,2027]");
    assert_true(m->mip.row_ub[r] == 10);
    assert_int_equal(row_nnz(m, r), 4);
    assert_true(coef(m, "infra[s1,power,2027]", "x[p1,o1,2026]") == 8);
    assert_true(coef(m, "infra[s1,power,2027]", "x[p4,a,2026]") == 5);
    assert_true(coef(m, "infra[s1,power,2027]", "z[u1,2026]") == -10);
    assert_true(coef(m, "infra[s1,power,2027]", "x[p1,o1,2027]") == 0);
    assert_int_equal(row_nnz(m, row(m, "infra[s1,power,2028]")), 7);
    assert_int_equal(ckp_mip_find_row(&m->mip, "infra[s1,power,2026]"), -1);
    /* one-start rows */
    r = row(m, "one[p1]");
    assert_true(m->mip.row_lb[r] == -INFINITY && m->mip.row_ub[r] == 1);
    assert_int_equal(row_nnz(m, r), 4);
    assert_int_equal(row_nnz(m, row(m, "one_upg[u1]")), 2);
    /* requires: p2 - p1 <= 0; excludes: p2 + p4 <= 1 */
    r = row(m, "req[p2,p1]");
    assert_true(m->mip.row_ub[r] == 0);
    assert_int_equal(row_nnz(m, r), 5);
    assert_true(coef(m, "req[p2,p1]", "x[p2,a,2026]") == 1);
    assert_true(coef(m, "req[p2,p1]", "x[p1,o2,2027]") == -1);
    r = row(m, "excl[p2,p4]");
    assert_true(m->mip.row_ub[r] == 1);
    assert_true(coef(m, "excl[p2,p4]", "x[p2,a,2026]") == 1);
    assert_true(coef(m, "excl[p2,p4]", "x[p4,a,2026]") == 1);
    ckp_model_free(m);
    ckp_plan_free(plan);
}

static void force_and_exclude(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/build/tiny.xml");
    ckp_model_params pp;
    ckp_model_params_init(&pp);
    const char *force[] = {"p2"};
    const char *excl[] = {"p1"};
    pp.force = force;
    pp.n_force = 1;
    pp.exclude = excl;
    pp.n_exclude = 1;
    ckp_model *m = build_ok(plan, &pp);
    int r = row(m, "one[p2]");
    assert_true(m->mip.row_lb[r] == 1 && m->mip.row_ub[r] == 1);
    assert_int_equal(m->project_first[0], m->project_first[1]);
    assert_int_equal(ckp_mip_find_col(&m->mip, "x[p1,o1,2026]"), -1);
    assert_int_equal(ckp_mip_find_col(&m->mip, "q[p1,2027]"), -1);
    assert_int_equal(ckp_mip_find_row(&m->mip, "cap[p1,2027]"), -1);
    /* the requirement on an excluded project leaves p2 alone in its row:
       forced p2 then makes the model infeasible, as it should */
    r = row(m, "req[p2,p1]");
    assert_int_equal(row_nnz(m, r), 1);
    /* infra rows now only from p4 (online 2027) */
    assert_int_equal(row_nnz(m, row(m, "infra[s1,power,2027]")), 2);
    ckp_model_free(m);

    const char *bad[] = {"nope"};
    ckp_model_params_init(&pp);
    pp.force = bad;
    pp.n_force = 1;
    char *t = build_fails(plan, &pp, CKP_EUSAGE);
    assert_string_equal(t, "error: unknown project 'nope' to force\n");
    free(t);
    ckp_model_params_init(&pp);
    pp.exclude = bad;
    pp.n_exclude = 1;
    t = build_fails(plan, &pp, CKP_EUSAGE);
    assert_string_equal(t, "error: unknown project 'nope' to exclude\n");
    free(t);
    ckp_model_params_init(&pp);
    pp.force = force;
    pp.n_force = 1;
    pp.exclude = force;
    pp.n_exclude = 1;
    t = build_fails(plan, &pp, CKP_EUSAGE);
    assert_string_equal(t, "error: project 'p2' is both forced and excluded\n");
    free(t);
    /* forced project that can never come online */
    const char *late[] = {"p3"};
    ckp_model_params_init(&pp);
    pp.force = late;
    pp.n_force = 1;
    t = build_fails(plan, &pp, CKP_EINFEASIBLE);
    assert_non_null(strstr(t, "tiny.xml:53: error: project 'p3' is forced but "
                              "cannot come online within the horizon"));
    free(t);
    ckp_plan_free(plan);
}

static void baseline_no_projects(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/build/tiny.xml");
    ckp_model_params pp;
    ckp_model_params_init(&pp);
    pp.no_projects = 1;
    const char *force[] = {"p2"};
    pp.force = force; /* validated, then ignored by the baseline */
    pp.n_force = 1;
    ckp_model *m = build_ok(plan, &pp);
    assert_int_equal(ckp_mip_n_binary(&m->mip), 0);
    assert_int_equal(m->n_starts, 0);
    assert_int_equal(m->n_ustarts, 0);
    assert_int_equal(m->mip.n_cols, 6 + 3);
    assert_int_equal(count_kind(m, CKP_ROW_BAL), 6);
    assert_int_equal(count_kind(m, CKP_ROW_BUDGET_YEAR), 1);
    assert_int_equal(count_kind(m, CKP_ROW_BUDGET_TOTAL), 1);
    assert_int_equal(m->mip.n_rows, 8);
    assert_int_equal(row_nnz(m, row(m, "bal[oxide,2027]")), 2);
    for (int p = 0; p < plan->n_projects; p++) assert_int_equal(m->project_row[p], -1);
    /* objective coefficients of existing production do not change */
    assert_true(fabs(m->mip.obj[col(m, "q[cn-sep,2026]")] - 2.0) < EPS);
    ckp_model_free(m);
    ckp_plan_free(plan);
}

static void minmax_rows(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/build/tiny.xml");
    ckp_model_params pp;
    ckp_model_params_init(&pp);
    pp.objective = CKP_OBJ_MINMAX;
    ckp_model *m = build_ok(plan, &pp);
    assert_int_equal(m->objective, CKP_OBJ_MINMAX);
    assert_int_equal(count_cols(m, 'm'), 3);
    assert_int_equal(count_kind(m, CKP_ROW_MINMAX), 6);
    assert_int_equal(m->mip.n_cols, 22 + 3);
    assert_int_equal(m->mip.n_rows, 21 + 6);
    int mc = col(m, "m[2026]");
    assert_true(m->mip.obj[mc] == 1 && m->mip.col_lb[mc] == 0 &&
                m->mip.col_ub[mc] == INFINITY);
    int r = row(m, "mm[oxide,2026]");
    assert_true(m->mip.row_ub[r] == 0);
    assert_int_equal(row_nnz(m, r), 2); /* cn-sep and m; p4 has risk 0 */
    assert_true(fabs(coef(m, "mm[oxide,2026]", "q[cn-sep,2026]") - 2.0) < EPS);
    assert_true(coef(m, "mm[oxide,2026]", "m[2026]") == -1);
    assert_true(fabs(coef(m, "mm[magnet,2027]", "q[cn-mag,2027]") - 1 / 1.1) < EPS);
    assert_true(coef(m, "mm[oxide,2027]", "q[p4,2027]") == 0);
    /* production carries no objective; shortage and tie-break stay */
    assert_true(m->mip.obj[col(m, "q[cn-sep,2026]")] == 0);
    assert_true(fabs(m->mip.obj[col(m, "s[magnet,2027]")] - 10 / 1.1) < EPS);
    assert_true(m->mip.obj[col(m, "x[p2,a,2026]")] > 0);
    ckp_model_free(m);
    ckp_plan_free(plan);
}

static void parameter_overrides(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/build/tiny.xml");
    ckp_model_params pp;
    ckp_model_params_init(&pp);
    pp.budget_total = 250;
    pp.shortage_penalty = 4;
    pp.tie_break = 0;
    ckp_model *m = build_ok(plan, &pp);
    assert_true(m->mip.row_ub[m->budget_total_row] == 250);
    assert_true(m->budget_total == 250);
    assert_true(m->shortage_penalty == 4);
    assert_true(fabs(m->mip.obj[col(m, "s[magnet,2026]")] - 4.0) < EPS);
    assert_true(m->mip.obj[col(m, "x[p1,o1,2026]")] == 0);
    ckp_model_free(m);

    ckp_model_params_init(&pp);
    pp.budget_total = INFINITY;
    m = build_ok(plan, &pp);
    assert_int_equal(m->budget_total_row, -1);
    assert_int_equal(ckp_mip_find_row(&m->mip, "budget_total"), -1);
    ckp_model_free(m);

    ckp_model_params_init(&pp);
    pp.shortage_penalty = 1;
    char *t = build_fails(plan, &pp, CKP_EUSAGE);
    assert_non_null(strstr(t, "shortage penalty 1 must be finite and > 1"));
    free(t);
    ckp_model_params_init(&pp);
    pp.budget_total = -5;
    t = build_fails(plan, &pp, CKP_EUSAGE);
    assert_non_null(strstr(t, "budget -5 must be >= 0"));
    free(t);
    ckp_model_params_init(&pp);
    pp.objective = 7;
    t = build_fails(plan, &pp, CKP_EUSAGE);
    assert_non_null(strstr(t, "unknown objective kind 7"));
    free(t);
    ckp_plan_free(plan);
}

/* Serving a tonne of magnet from the chokepoint costs 1/R (magnet) +
 * 0.5 x 1/(0.5 R) (its oxide) = 2/R: a penalty of 1.4 would make shortage
 * the cheaper answer, so the builder prices shortage at the floor
 * 1.02 x 2/R instead and says so; 2.5 is above the floor. */
static void shortage_penalty_warning(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/build/tiny.xml");
    ckp_model_params pp;
    ckp_model_params_init(&pp);
    pp.shortage_penalty = 1.4;
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    ckp_model *m = NULL;
    assert_int_equal(ckp_model_build(plan, &pp, &m, &d), CKP_OK);
    assert_int_equal(d.n_errors, 0);
    assert_int_equal(d.n_warnings, 1);
    char *t = tu_diag_text(&d);
    assert_non_null(strstr(t, "tiny.xml:20: warning: commodity 'magnet': shortage "
                              "penalty 1.4 x weight 1 (1.4 per kt in 2026) is not "
                              "above 1.02 x the exposure of serving it from the "
                              "chokepoint through its inputs (2 per kt): its shortage "
                              "is priced at 2.04 per kt instead"));
    assert_non_null(strstr(t, "a shortage-penalty above 2.04 sets the price itself"));
    free(t);
    /* the floor replaces the penalty: 1.02 x 2 per kt (+2e-6) */
    assert_true(fabs(m->mip.obj[col(m, "s[magnet,2026]")] - 2.040002) < 1e-9);
    ckp_diag_list_fini(&d);
    ckp_model_free(m);
    ckp_diag_list_init(&d);
    pp.shortage_penalty = 2.5;
    assert_int_equal(ckp_model_build(plan, &pp, &m, &d), CKP_OK);
    assert_int_equal(d.n, 0);
    ckp_diag_list_fini(&d);
    ckp_model_free(m);
    ckp_plan_free(plan);
}

/* Repeated and mirrored requires/excludes give one row each; a project
 * with no budget limits and no total has no budget rows. */
static const char *pairs_xml =
    "<plan xmlns='urn:chokepoint:plan:1' version='1' name='pairs' currency='USD'>"
    "<horizon first='2030' last='2031'/>"
    "<countries><country id='A' risk='1'/><country id='B' risk='0.25'/></countries>"
    "<stages><stage id='st' order='1'/></stages>"
    "<commodities><commodity id='ore' stage='st' weight='2'>"
    "<demand year='2030' tonnes='500'/></commodity></commodities>"
    "<facilities><facility id='f' country='A' output='ore' capacity='1000' "
    "available='1'/></facilities>"
    "<projects>"
    "<project id='a' country='B' output='ore' capacity='200' capex='10' build-years='0'>"
    "<requires project='b'/><excludes project='c'/>"
    "<option id='o' instrument='loan' commitment='5'/></project>"
    "<project id='b' country='B' output='ore' capacity='200' capex='10' build-years='0'>"
    "<option id='o' instrument='loan' commitment='5'/></project>"
    "<project id='c' country='B' output='ore' capacity='200' capex='10' build-years='1'>"
    "<excludes project='a'/>"
    "<option id='o' instrument='loan' commitment='5'/></project>"
    "</projects>"
    "</plan>";

static void pairs_and_no_budget(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked_str(pairs_xml);
    ckp_model *m = build_ok(plan, NULL);
    assert_int_equal(count_kind(m, CKP_ROW_EXCLUDES), 1);
    assert_int_equal(count_kind(m, CKP_ROW_REQUIRES), 1);
    assert_int_equal(row_nnz(m, row(m, "excl[a,c]")), 2 + 1);
    assert_int_equal(count_kind(m, CKP_ROW_BUDGET_YEAR), 0);
    assert_int_equal(m->budget_total_row, -1);
    assert_int_equal(m->budget_year_row[0], -1);
    /* build-years 0: online in the start year; weight 2, risk 0.25,
       R = 500 t = 0.5 kt -> 2 * 0.25 / 0.5 = 1 */
    assert_int_equal(m->starts[0].online, m->starts[0].start);
    assert_true(fabs(m->mip.obj[col(m, "q[a,2030]")] - 1.0) < EPS);
    assert_true(fabs(m->mip.obj[col(m, "q[f,2031]")] - 4.0) < EPS);
    assert_true(fabs(m->mip.obj[col(m, "s[ore,2030]")] - 10 * 2 / 0.5) < EPS);
    ckp_model_free(m);
    ckp_plan_free(plan);
}

static void vocabulary_builds(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/plans/vocabulary.xml");
    ckp_model_params pp;
    ckp_model_params_init(&pp);
    pp.no_scenarios = 1; /* the plan as written: names without a scenario */
    ckp_model *m = build_ok(plan, &pp);
    assert_int_equal(m->n_scen, 1);
    assert_int_equal(m->scen_plan[0], -1);
    assert_int_equal(m->n_years, 5);
    /* mag1: 2 options x starts 2026-2028; sep1 (permit 1 + build 2):
       2026, 2027; sep2 (build 1): 2026-2029 */
    assert_int_equal(m->n_starts, 12);
    assert_int_equal(m->n_ustarts, 4);
    assert_true(fabs(coef(m, "cap[mag1,2028]", "x[mag1,loan,2026]") + 0.25) < EPS);
    assert_true(fabs(coef(m, "budget[2026]", "x[mag1,loan,2026]") - 120) < EPS);
    /* requirement of concentrate: magnet 1000 x 0.3 oxide x 4 = 1200 t */
    assert_true(fabs(m->requirement[0 * m->n_years + 0] - 1200) < 1e-9);
    /* scaling: every matrix coefficient within [1e-3, 1e3] */
    for (int k = 0; k < m->mip.nnz; k++) {
        double a = fabs(m->mip.ar[k]);
        assert_true(a >= 1e-3 && a <= 1e3);
    }
    ckp_model_free(m);
    ckp_model_free(NULL);
    ckp_plan_free(plan);
}

/* The hand-computed baseline point of docs/formulation.md section 9:
 * cn-mag makes 1 kt of magnets a year, cn-sep the 0.5 kt of oxide it uses,
 * the rest of magnet demand is short.  Every row holds and the objective
 * is 2 + (1/1.1 + 10*0.1/1.1 + 0.5/0.55) + (1/1.2 + 10*0.2/1.2 + 0.5/0.6). */
static void baseline_hand_point(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/build/tiny.xml");
    ckp_model_params pp;
    ckp_model_params_init(&pp);
    pp.no_projects = 1;
    ckp_model *m = build_ok(plan, &pp);
    const ckp_mip *x = &m->mip;
    double v[9];
    assert_int_equal(x->n_cols, 9);
    static const char *years[] = {"2026", "2027", "2028"};
    for (int y = 0; y < 3; y++) {
        char name[64];
        snprintf(name, sizeof name, "q[cn-mag,%s]", years[y]);
        v[col(m, name)] = 1.0;
        snprintf(name, sizeof name, "q[cn-sep,%s]", years[y]);
        v[col(m, name)] = 0.5;
        snprintf(name, sizeof name, "s[magnet,%s]", years[y]);
        v[col(m, name)] = 0.1 * y;
    }
    double act[16] = {0}, obj = 0;
    assert_true(x->n_rows <= 16);
    for (int k = 0; k < x->nnz; k++) act[x->ia[k]] += x->ar[k] * v[x->ja[k]];
    for (int i = 0; i < x->n_rows; i++)
        assert_true(act[i] >= x->row_lb[i] - 1e-12 && act[i] <= x->row_ub[i] + 1e-12);
    for (int j = 0; j < x->n_cols; j++) {
        assert_true(v[j] >= x->col_lb[j] && v[j] <= x->col_ub[j] + 1e-12);
        obj += x->obj[j] * v[j];
    }
    assert_true(fabs(obj - 8.0606060606) < 1e-9);
    ckp_model_free(m);
    ckp_plan_free(plan);
}

/* Every allocation of the builder may fail: the build then reports
 * CKP_ENOMEM, leaves *out NULL and leaks nothing (ASan/valgrind runs). */
static void out_of_memory(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/plans/vocabulary.xml");
    ckp_model_params pp;
    ckp_model_params_init(&pp);
    pp.objective = CKP_OBJ_MINMAX; /* every row family */
    int ok = 0;
    for (long n = 1; n < 100000 && !ok; n++) {
        ckp_diag_list d;
        ckp_diag_list_init(&d);
        ckp_model *m = NULL;
        ckp_alloc_fail_after(n);
        ckp_status st = ckp_model_build(plan, &pp, &m, &d);
        ckp_alloc_fail_after(0);
        if (st == CKP_OK) {
            assert_non_null(m);
            ok = 1;
        } else {
            assert_int_equal(st, CKP_ENOMEM);
            assert_null(m);
        }
        ckp_model_free(m);
        ckp_diag_list_fini(&d);
    }
    assert_true(ok);
    ckp_plan_free(plan);
}

/* --max-share on tiny.xml: one elastic row per (commodity, CN, year), the
 * slack priced at M per unit of share, M = 100 x E_max, and shortage
 * priced above the cap. */
static void max_share_rows(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/build/tiny.xml");
    ckp_model_params pp;
    ckp_model_params_init(&pp);
    assert_true(isnan(pp.max_share));
    ckp_model *plain = build_ok(plan, NULL);
    assert_int_equal(plain->n_share_caps, 0);
    assert_int_equal(count_kind(plain, CKP_ROW_SHARE_CAP), 0);
    assert_true(plain->cap_penalty == 0);
    pp.max_share = 0.65;
    ckp_model *m = build_ok(plan, &pp);
    const ckp_mip *x = &m->mip;
    /* CN only (US risk 0): oxide (cn-sep) and magnet (cn-mag), 3 years */
    assert_int_equal(m->n_share_caps, 6);
    assert_int_equal(count_kind(m, CKP_ROW_SHARE_CAP), 6);
    assert_int_equal(x->n_rows, plain->mip.n_rows + 6);
    assert_int_equal(x->n_cols, plain->mip.n_cols + 6);
    /* E_max: cn-sep 2 kt over R 0.5, 0.55, 0.6; cn-mag 1 kt over 1, 1.1, 1.2 */
    double emax = 2 / 0.5 + 2 / 0.55 + 2 / 0.6 + 1 / 1.0 + 1 / 1.1 + 1 / 1.2;
    double M = 100 * emax;
    assert_true(fabs(m->cap_penalty - M) < 1e-9 * M);
    int r = row(m, "cap_share[oxide,CN,2026]");
    assert_true(fabs(x->row_ub[r] - 0.325) < EPS);
    assert_true(isinf(x->row_lb[r]) && x->row_lb[r] < 0);
    assert_int_equal(row_nnz(m, r), 2);
    assert_true(coef(m, "cap_share[oxide,CN,2026]", "q[cn-sep,2026]") == 1.0);
    assert_true(coef(m, "cap_share[oxide,CN,2026]", "e[oxide,CN,2026]") == -1.0);
    assert_true(fabs(x->row_ub[row(m, "cap_share[magnet,CN,2028]")] - 0.65 * 1.2) < EPS);
    assert_true(fabs(x->obj[col(m, "e[oxide,CN,2026]")] - M / 0.5) < 1e-9 * M);
    assert_true(fabs(x->obj[col(m, "e[magnet,CN,2027]")] - M / 1.1) < 1e-9 * M);
    assert_true(x->col_lb[col(m, "e[magnet,CN,2027]")] == 0);
    assert_true(isinf(x->col_ub[col(m, "e[magnet,CN,2027]")]));
    /* shortage: 10/1.1 + 2 M U, U(magnet, 2027) = 1/1.1 + 0.5 x 1/0.55 */
    double U = 1 / 1.1 + 0.5 / 0.55;
    double want = 10.0 / 1.1 + 2 * M * U;
    assert_true(fabs(x->obj[col(m, "s[magnet,2027]")] - want) < 1e-9 * want);
    /* everything else is unchanged */
    assert_true(x->obj[col(m, "q[cn-sep,2026]")] == plain->mip.obj[col(plain, "q[cn-sep,2026]")]);
    ckp_model_free(m);
    ckp_model_free(plain);

    /* out of range: usage errors naming the value */
    static const double bad[] = {0.0, -0.1, 1.5, INFINITY};
    for (int i = 0; i < 4; i++) {
        pp.max_share = bad[i];
        char *t = build_fails(plan, &pp, CKP_EUSAGE);
        assert_non_null(strstr(t, "error: max share"));
        assert_non_null(strstr(t, "must be in (0, 1]"));
        free(t);
    }
    pp.max_share = 1.0;
    m = build_ok(plan, &pp);
    assert_true(fabs(m->mip.row_ub[row(m, "cap_share[oxide,CN,2027]")] - 0.55) < EPS);
    ckp_model_free(m);
    ckp_plan_free(plan);
}

/* min-cost on tiny.xml with a given baseline value: one goal row holding
 * the weighted objective's exposure + shortage coefficients, the
 * commitment as objective, exposure scaled by kappa = 1e-4 / B. */
static void min_cost_goal_row(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/build/tiny.xml");
    ckp_model *plain = build_ok(plan, NULL);
    ckp_model_params pp;
    ckp_model_params_init(&pp);
    pp.min_cost = 1;
    pp.target = 0.5;
    pp.target_base = 8.0;
    ckp_model *m = build_ok(plan, &pp);
    const ckp_mip *x = &m->mip;
    assert_int_equal(count_kind(m, CKP_ROW_GOAL), 1);
    assert_int_equal(x->n_rows, plain->mip.n_rows + 1);
    int g = row(m, "goal");
    assert_int_equal(m->goal_row, g);
    assert_true(fabs(x->row_ub[g] - (4.0 + 8e-9)) < EPS);
    assert_true(fabs(coef(m, "goal", "q[cn-sep,2026]") - 1.0 / 0.5) < EPS);
    assert_true(fabs(coef(m, "goal", "s[magnet,2027]") - 10.0 / 1.1) < EPS);
    assert_true(coef(m, "goal", "q[p1,2028]") == 0);
    double kappa = 1e-4 / 8.0;
    assert_true(fabs(m->goal_scale - kappa) < 1e-18);
    assert_true(fabs(x->obj[col(m, "q[cn-sep,2026]")] - kappa / 0.5) < EPS);
    assert_true(x->obj[col(m, "x[p1,o1,2026]")] == 100);
    assert_true(x->obj[col(m, "x[p1,o2,2027]")] == 150);
    assert_true(x->obj[col(m, "z[u1,2027]")] == 20);
    /* one nonzero per exposure or shortage column */
    int n = 0;
    for (int j = 0; j < plain->mip.n_cols; j++)
        n += plain->mip.col_kind[j] != CKP_COL_BINARY && plain->mip.obj[j] != 0;
    assert_int_equal(row_nnz(m, g), n);
    ckp_model_free(m);
    ckp_model_free(plain);
    ckp_plan_free(plan);
}

/* --year-limit / --scale-year-limits (docs/formulation.md 6, "Per-year
 * limits"): tiny.xml has budget total 500 and one limit, 100 in 2026. */
static void year_limit_overrides(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/build/tiny.xml");
    ckp_model_params pp;
    ckp_model_params_init(&pp);
    pp.budget_total = 1000; /* twice the plan's: 2026 grows to 200 */
    pp.scale_year_limits = 1;
    ckp_model *m = build_ok(plan, &pp);
    assert_true(m->mip.row_ub[m->budget_year_row[0]] == 200);
    assert_int_equal(m->budget_year_row[1], -1);
    ckp_model_free(m);

    pp.scale_year_limits = 0; /* without scaling the plan's 100 stays */
    m = build_ok(plan, &pp);
    assert_true(m->mip.row_ub[m->budget_year_row[0]] == 100);
    ckp_model_free(m);

    /* explicit limits replace (after scaling) or add a year's row */
    ckp_year_value yl[3] = {{2026, 70, NULL, 0}, {2027, 30, NULL, 0},
                            {2028, INFINITY, NULL, 0}};
    pp.scale_year_limits = 1;
    pp.year_limits = yl;
    pp.n_year_limits = 3;
    m = build_ok(plan, &pp);
    assert_true(m->mip.row_ub[m->budget_year_row[0]] == 70);
    assert_int_equal(m->budget_year_row[1], row(m, "budget[2027]"));
    assert_true(m->mip.row_ub[m->budget_year_row[1]] == 30);
    assert_true(coef(m, "budget[2027]", "x[p1,o1,2027]") > 0);
    assert_int_equal(m->budget_year_row[2], -1);
    ckp_model_free(m);

    /* none removes the plan's limit */
    yl[0].value = INFINITY;
    pp.n_year_limits = 1;
    m = build_ok(plan, &pp);
    assert_int_equal(m->budget_year_row[0], -1);
    assert_int_equal(ckp_mip_find_row(&m->mip, "budget[2026]"), -1);
    ckp_model_free(m);

    /* refused: a year outside the horizon, a negative limit, scaling an
       infinite budget */
    yl[0].year = 2030;
    char *t = build_fails(plan, &pp, CKP_EUSAGE);
    assert_non_null(strstr(t, "year limit for 2030: outside the horizon 2026-2028"));
    free(t);
    yl[0].year = 2027;
    yl[0].value = -1;
    t = build_fails(plan, &pp, CKP_EUSAGE);
    assert_non_null(strstr(t, "year limit -1 for 2027 must be >= 0"));
    free(t);
    pp.n_year_limits = 0;
    pp.budget_total = INFINITY;
    t = build_fails(plan, &pp, CKP_EUSAGE);
    assert_non_null(strstr(t, "scaling the year limits needs a finite budget"));
    free(t);
    ckp_plan_free(plan);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(tiny_counts),
        cmocka_unit_test(tiny_start_windows),
        cmocka_unit_test(tiny_bounds_and_objective),
        cmocka_unit_test(tiny_cap_and_bal_rows),
        cmocka_unit_test(tiny_budget_infra_pairs),
        cmocka_unit_test(force_and_exclude),
        cmocka_unit_test(baseline_no_projects),
        cmocka_unit_test(minmax_rows),
        cmocka_unit_test(parameter_overrides),
        cmocka_unit_test(shortage_penalty_warning),
        cmocka_unit_test(pairs_and_no_budget),
        cmocka_unit_test(vocabulary_builds),
        cmocka_unit_test(baseline_hand_point),
        cmocka_unit_test(out_of_memory),
        cmocka_unit_test(max_share_rows),
        cmocka_unit_test(min_cost_goal_row),
        cmocka_unit_test(year_limit_overrides),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
