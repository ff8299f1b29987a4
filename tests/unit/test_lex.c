/* test_lex.c: the lexicographic solve (docs/formulation.md 7f) on hand
 * plans with ties (tests/data/lex/, hand numbers in each plan's comment):
 * between two options (commitment 150 vs 100), start years 2026-2028 and
 * two projects, with and without a forced project, under the weighted,
 * min-max, min-cost and scenario objectives.  The cheapest equal
 * portfolio is chosen, then the earliest start and the first project in
 * plan order, and stage 1's exposure equals the one-stage optimum
 * (tie-break off, weight 0).  Also the CLI's --tie-break and the report
 * lines. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "ckp/load.h"
#include "ckp/model.h"
#include "ckp/report.h"
#include "ckp/result.h"

#define TOL 1e-6

static const char *const EXCL_C[] = {"C"};

typedef struct lex_case {
    const char *file;
    int objective;            /* -1 = the plan's */
    int measure;              /* -1 = the plan's */
    double target;            /* > 0: min-cost */
    const char *force;        /* NULL = none */
    int exclude_c;
    const char *project, *option; /* the one pick expected */
    int start;
    double objective_value;   /* stage 1's key: exposure, or min-cost commitment */
    double second;            /* stage 2's key: commitment, or min-cost exposure */
} lex_case;

static ckp_result *run_case(const ckp_plan *plan, const lex_case *c, int lex, double tb)
{
    ckp_model_params mp;
    ckp_model_params_init(&mp);
    mp.lexicographic = lex;
    mp.tie_break = tb;
    mp.objective = c->objective;
    mp.measure = c->measure;
    if (c->target > 0) {
        mp.min_cost = 1;
        mp.target = c->target;
    }
    const char *force[1] = {c->force};
    if (c->force) {
        mp.force = force;
        mp.n_force = 1;
    }
    if (c->exclude_c) {
        mp.exclude = EXCL_C;
        mp.n_exclude = 1;
    }
    return tu_solve(plan, &mp, NULL);
}

static void check_case(const lex_case *c)
{
    char rel[256];
    snprintf(rel, sizeof rel, "data/lex/%s", c->file);
    ckp_plan *plan = tu_load_checked(rel);
    ckp_result *r = run_case(plan, c, 1, 1e-4);
    char what[200];
    snprintf(what, sizeof what, "%s objective %d measure %d target %g force %s%s", c->file,
             c->objective, c->measure, c->target, c->force ? c->force : "-",
             c->exclude_c ? " exclude C" : "");

    assert_int_equal(r->lexicographic, 1);
    assert_int_equal(r->status, CKP_MIP_OPTIMAL);
    if (r->n_picks != 1) fail_msg("%s: %d picks", what, r->n_picks);
    const ckp_project *p = &plan->projects[r->picks[0].project];
    if (strcmp(p->id, c->project) != 0 ||
        strcmp(p->options[r->picks[0].option].id, c->option) != 0 ||
        r->picks[0].start != c->start)
        fail_msg("%s: picked %s/%s/%d, expected %s/%s/%d", what, p->id,
                 p->options[r->picks[0].option].id, r->picks[0].start, c->project, c->option,
                 c->start);
    for (int k = 0; k < 3; k++) {
        assert_int_equal(r->lex[k].ran, 1);
        assert_int_equal(r->lex[k].status, CKP_MIP_OPTIMAL);
    }
    if (fabs(r->objective_value - c->objective_value) > TOL ||
        fabs(r->lex[0].objective - c->objective_value) > TOL)
        fail_msg("%s: objective %.9g, stage 1 %.9g, hand value %.9g", what, r->objective_value,
                 r->lex[0].objective, c->objective_value);
    if (fabs(r->lex[1].objective - c->second) > TOL)
        fail_msg("%s: stage 2 %.9g, hand value %.9g", what, r->lex[1].objective, c->second);
    if (c->target > 0) {
        assert_true(fabs(r->commitment_total - c->objective_value) < TOL);
        assert_true(fabs(r->goal_reached - c->second) < TOL);
    } else {
        assert_true(fabs(r->commitment_total - c->second) < TOL);
    }
    /* the held rows: the previous key plus max(1e-9, 1e-7 |v|) */
    assert_true(fabs(r->lex[1].hold - c->objective_value) <= 1e-7 * c->objective_value + 1e-9 + 1e-12);
    assert_true(r->lex[1].hold >= c->objective_value);
    /* the order key of the pick: K x (start - 2026) + plan index, K = 4 */
    assert_true(fabs(r->lex[2].objective - (4.0 * (c->start - 2026) + r->picks[0].project)) <
                1e-9);

    /* stage 1's value is the one-stage optimum without a tie-break weight */
    ckp_result *one = run_case(plan, c, 0, 0.0);
    assert_int_equal(one->lexicographic, 0);
    assert_int_equal(one->lex[0].ran, 0);
    if (fabs(one->objective_value - r->lex[0].objective) > 1e-7)
        fail_msg("%s: one-stage optimum %.9g, stage 1 %.9g", what, one->objective_value,
                 r->lex[0].objective);
    ckp_result_free(one);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* Weighted: P1's loan (100, not its grant of 150), started 2026, not P2. */
static void weighted_ties(void **state)
{
    (void)state;
    static const lex_case c = {"ties.xml", -1, -1, 0, NULL, 1, "P1", "loan", 2026, 1.4, 100};
    check_case(&c);
}

/* With C the exposure decides first: C alone (1.0). */
static void weighted_exposure_first(void **state)
{
    (void)state;
    static const lex_case c = {"ties.xml", -1, -1, 0, NULL, 0, "C", "loan", 2026, 1.0, 100};
    check_case(&c);
}

/* A forced project keeps its cheaper option (pruning never touches a
 * forced project, the second stage does). */
static void forced_ties(void **state)
{
    (void)state;
    static const lex_case p1 = {"ties.xml", -1, -1, 0, "P1", 1, "P1", "loan", 2026, 1.4, 100};
    check_case(&p1);
    static const lex_case p2 = {"ties.xml", -1, -1, 0, "P2", 1, "P2", "loan", 2026, 1.4, 100};
    check_case(&p2);
    static const lex_case p2m = {"ties.xml", CKP_OBJ_MINMAX, -1, 0, "P2", 1,
                                 "P2", "loan", 2026, 1.4, 100};
    check_case(&p2m);
}

static void minmax_ties(void **state)
{
    (void)state;
    static const lex_case c = {"ties.xml", CKP_OBJ_MINMAX, -1, 0, NULL, 1,
                               "P1", "loan", 2026, 1.4, 100};
    check_case(&c);
}

/* Min-cost: every project reaches 0.8 x 2.0 at 100; the second key
 * (exposure) takes C (1.0); without C the order key takes P1 (1.4). */
static void min_cost_ties(void **state)
{
    (void)state;
    static const lex_case c = {"ties.xml", -1, -1, 0.8, NULL, 0, "C", "loan", 2026, 100, 1.0};
    check_case(&c);
    static const lex_case nc = {"ties.xml", -1, -1, 0.8, NULL, 1, "P1", "loan", 2026, 100, 1.4};
    check_case(&nc);
    static const lex_case f = {"ties.xml", -1, -1, 0.8, "P2", 0, "P2", "loan", 2026, 100, 1.4};
    check_case(&f);
}

/* Scenarios: expected 0.5 x 1.4 + 0.5 x 1.6 = 1.5; worst case 1.6. */
static void scenario_ties(void **state)
{
    (void)state;
    static const lex_case e = {"ties-scenarios.xml", -1, CKP_MEASURE_EXPECTED, 0, NULL, 1,
                               "P1", "loan", 2026, 1.5, 100};
    check_case(&e);
    static const lex_case w = {"ties-scenarios.xml", -1, CKP_MEASURE_WORST, 0, NULL, 1,
                               "P1", "loan", 2026, 1.6, 100};
    check_case(&w);
    static const lex_case wf = {"ties-scenarios.xml", -1, CKP_MEASURE_WORST, 0, "P2", 1,
                                "P2", "loan", 2026, 1.6, 100};
    check_case(&wf);
    static const lex_case mc = {"ties-scenarios.xml", -1, CKP_MEASURE_EXPECTED, 0.8, NULL, 0,
                                "C", "loan", 2026, 100, 0.5 * 1.0 + 0.5 * 4.0 / 3.0};
    check_case(&mc);
}

/* tie-break off: one stage, the weight in the objective (C_max = 350). */
static void off_is_one_stage(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/lex/ties.xml");
    static const lex_case c = {"ties.xml", -1, -1, 0, NULL, 1, "P1", "loan", 2026, 1.4, 100};
    ckp_result *r = run_case(plan, &c, 0, 1e-4);
    assert_int_equal(r->lexicographic, 0);
    for (int k = 0; k < 3; k++) assert_int_equal(r->lex[k].ran, 0);
    assert_true(fabs(r->objective_value - (1.4 + 1e-4 * 100.0 / 350.0)) < 1e-9);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* Stage 1 stopped by a node limit: stage 2 holds its incumbent's value
 * (not a proven optimum), the result is FEASIBLE and says so; the
 * portfolio's exposure stays within the held value, and its commitment
 * is at most stage 1's. */
static void stage1_node_limit(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/lex/gen30.xml");
    ckp_solve_params sp;
    ckp_solve_params_init(&sp);
    sp.node_limit = 2;
    ckp_result *r = tu_solve(plan, NULL, &sp);
    assert_int_equal(r->status, CKP_MIP_FEASIBLE);
    assert_int_equal(r->limit, CKP_LIMIT_NODES);
    assert_int_equal(r->lex[0].status, CKP_MIP_FEASIBLE);
    assert_int_equal(r->lex[1].ran, 1);
    assert_true(r->lex[1].status == CKP_MIP_FEASIBLE || r->lex[1].status == CKP_MIP_OPTIMAL);
    assert_true(r->lex[2].ran);
    double e1 = r->lex[0].objective;
    assert_true(fabs(r->lex[1].hold - (e1 + fmax(1e-9, 1e-7 * fabs(e1)))) < 1e-12 * (1 + e1));
    assert_true(r->objective_value <= r->lex[1].hold + 1e-9);
    assert_true(fabs(r->commitment_total - r->lex[1].objective) < 1e-6);

    /* stage 1 alone (one-stage, weight 0, the same limit) funds no less */
    ckp_model_params mp;
    ckp_model_params_init(&mp);
    mp.lexicographic = 0;
    mp.tie_break = 0;
    ckp_result *one = tu_solve(plan, &mp, &sp);
    assert_true(fabs(one->objective_value - e1) < 1e-6 * (1 + e1));
    assert_true(r->commitment_total <= one->commitment_total + 1e-6);
    ckp_result_free(one);

    char *t = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&t, &len);
    assert_non_null(f);
    assert_int_equal(ckp_report_text(r, f), CKP_OK);
    assert_int_equal(fclose(f), 0);
    assert_non_null(strstr(t, "note         stage 1 stopped at a limit: stage 2 holds its "
                              "incumbent's value, not a proven optimum"));
    assert_non_null(strstr(t, "FEASIBLE - stopped by the node limit (2 nodes)"));
    free(t);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* The same picks (project, option, start), in the same order. */
static void assert_same_picks(const ckp_result *a, const ckp_result *b)
{
    assert_int_equal(a->n_picks, b->n_picks);
    for (int i = 0; i < a->n_picks; i++) {
        assert_int_equal(a->picks[i].project, b->picks[i].project);
        assert_int_equal(a->picks[i].option, b->picks[i].option);
        assert_int_equal(a->picks[i].start, b->picks[i].start);
    }
    assert_int_equal(a->n_upgrade_picks, b->n_upgrade_picks);
}

/* Stage 2 returns the least commitment at the held exposure: the model
 * solved again here, independently of lex.c (no reduced-cost fixing, no
 * first incumbent, every setting at its default), with the row
 * "exposure <= stage 2's hold" and the commitment as objective, has the
 * same optimum as stage 2.  A stage 2 that ended on a dearer portfolio
 * (a wrong fixing, a wrong bound) fails here. */
static void stage2_least_commitment(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/lex/gen30.xml");
    ckp_result *r = tu_solve(plan, NULL, NULL);
    assert_int_equal(r->status, CKP_MIP_OPTIMAL);
    assert_int_equal(r->lex[1].status, CKP_MIP_OPTIMAL);

    ckp_model_params mp;
    ckp_model_params_init(&mp);
    mp.tie_break = 0; /* the model of stage 1 (lexicographic: no weight) */
    ckp_model *m = NULL;
    assert_int_equal(ckp_model_build(plan, &mp, &m, NULL), CKP_OK);
    ckp_mip mip;
    assert_int_equal(ckp_mip_copy(&m->mip, &mip), CKP_OK);
    int row;
    assert_int_equal(ckp_mip_add_row(&mip, "hold", -INFINITY,
                                     r->lex[1].hold - m->mip.obj_const, &row), CKP_OK);
    for (int j = 0; j < mip.n_cols; j++) {
        if (m->mip.obj[j] != 0) assert_int_equal(ckp_mip_add_coef(&mip, row, j, m->mip.obj[j]),
                                                 CKP_OK);
        mip.obj[j] = 0;
    }
    mip.obj_const = 0;
    for (int k = 0; k < m->n_starts; k++) {
        const ckp_start_var *v = &m->starts[k];
        mip.obj[v->col] = plan->projects[v->project].options[v->option].commitment;
    }
    for (int k = 0; k < m->n_ustarts; k++)
        mip.obj[m->ustarts[k].col] = plan->upgrades[m->ustarts[k].upgrade].cost;
    ckp_solution *s = NULL;
    assert_int_equal(ckp_solve(&mip, NULL, NULL, &s, NULL), CKP_OK);
    assert_int_equal(s->status, CKP_MIP_OPTIMAL);
    if (fabs(s->objective - r->lex[1].objective) > 1e-6 * (1 + s->objective))
        fail_msg("stage 2 %.9g, the least commitment at its hold %.9g", r->lex[1].objective,
                 s->objective);
    assert_true(fabs(r->commitment_total - s->objective) < 1e-6 * (1 + s->objective));
    ckp_solution_free(s);
    ckp_mip_fini(&mip);
    ckp_model_free(m);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* A run whose stages 1 and 2 end without a search (a sweep point whose
 * start reaches the known bounds: ckp_run_hinted with the answer's own
 * portfolio, exposure and commitment) gets stage 1's root reduced costs
 * from the LP relaxation alone: stage 2 fixes as many binaries as after
 * the search, and stage 3 ends on the same portfolio and order key as
 * the run without hints, with no more LPs (before, it tried every
 * candidate). */
static void hinted_stage3_as_cold(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/lex/gen30.xml");
    ckp_result *r0 = tu_solve(plan, NULL, NULL);
    assert_int_equal(r0->status, CKP_MIP_OPTIMAL);
    assert_true(r0->lex[1].rc_fixed > 0);
    int np = plan->n_projects;
    int *opt = test_malloc(sizeof *opt * (size_t)np), *start = test_malloc(sizeof *start * (size_t)np);
    for (int p = 0; p < np; p++) opt[p] = start[p] = -1;
    for (int i = 0; i < r0->n_picks; i++) {
        opt[r0->picks[i].project] = r0->picks[i].option;
        start[r0->picks[i].project] = r0->picks[i].start;
    }
    ckp_fixed_portfolio fx = {opt, start, NULL, NULL};
    ckp_run_hints h;
    ckp_run_hints_init(&h);
    h.start = &fx;
    h.exposure_bound = r0->lex[0].objective;
    h.commitment_bound = r0->lex[1].objective;
    ckp_result *r1 = NULL;
    assert_int_equal(ckp_run_hinted(plan, NULL, NULL, &h, &r1, NULL), CKP_OK);
    assert_int_equal(r1->status, CKP_MIP_OPTIMAL);
    assert_int_equal(r1->lex[0].nodes, 0); /* no search in stage 1 */
    assert_int_equal(r1->lex[1].nodes, 0); /* nor in stage 2 */
    assert_int_equal(r1->lex[1].rc_fixed, r0->lex[1].rc_fixed);
    assert_same_picks(r0, r1);
    assert_true(fabs(r1->lex[2].objective - r0->lex[2].objective) < 1e-9);
    assert_true(fabs(r1->commitment_total - r0->commitment_total) < 1e-9);
    assert_true(fabs(r1->objective_value - r0->objective_value) < 1e-9);
    assert_true(r1->lex[2].nodes <= r0->lex[2].nodes);
    test_free(opt);
    test_free(start);
    ckp_result_free(r1);
    ckp_result_free(r0);
    ckp_plan_free(plan);
}

/* Stage 3 ends where no single move of the order pass is left
 * (docs/formulation.md 7f): checked here by solving the LP of every
 * such move of the final portfolio, independently of lex.c's screens
 * (reduced costs, rows of binaries): a funded start replaced by a start
 * of the same project (any option) or of an unfunded project, of lower
 * order key and no larger commitment, never keeps the exposure within
 * the hold.  A screen that skipped a feasible move fails here. */
static void stage3_no_move_left(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/lex/gen30.xml");
    ckp_result *r = tu_solve(plan, NULL, NULL);
    assert_int_equal(r->status, CKP_MIP_OPTIMAL);
    assert_int_equal(r->lex[2].status, CKP_MIP_OPTIMAL);
    ckp_model_params mp;
    ckp_model_params_init(&mp);
    mp.tie_break = 0;
    ckp_model *m = NULL;
    assert_int_equal(ckp_model_build(plan, &mp, &m, NULL), CKP_OK);
    assert_int_equal(m->n_ustarts, 0);
    int n = m->mip.n_cols, np = plan->n_projects;
    double N = np, K = N * (N - 1) / 2 + 1;
    double *x = test_calloc((size_t)n, sizeof *x);
    int *funded = test_calloc((size_t)np, sizeof *funded);
    for (int i = 0; i < r->n_picks; i++)
        for (int k = 0; k < m->n_starts; k++) {
            const ckp_start_var *v = &m->starts[k];
            if (v->project == r->picks[i].project && v->option == r->picks[i].option &&
                v->start == r->picks[i].start) {
                x[v->col] = 1;
                funded[v->project] = 1;
            }
        }
    ckp_mip lp;
    assert_int_equal(ckp_mip_copy(&m->mip, &lp), CKP_OK);
    int moves = 0;
    for (int a = 0; a < m->n_starts; a++) {
        const ckp_start_var *va = &m->starts[a];
        if (!(x[va->col] > 0.5)) continue;
        double ca = plan->projects[va->project].options[va->option].commitment;
        double oa = K * (va->start - plan->first_year) + va->project;
        for (int b = 0; b < m->n_starts; b++) {
            const ckp_start_var *vb = &m->starts[b];
            double cb = plan->projects[vb->project].options[vb->option].commitment;
            double ob = K * (vb->start - plan->first_year) + vb->project;
            if (b == a || m->mip.col_ub[vb->col] < 0.5 || !(ob < oa) ||
                !(cb <= ca + fmax(1e-9, 1e-7 * ca)) ||
                (vb->project != va->project && funded[vb->project]))
                continue;
            for (int j = 0; j < n; j++)
                if (lp.col_kind[j] == CKP_COL_BINARY) lp.col_lb[j] = lp.col_ub[j] = x[j];
            lp.col_lb[va->col] = lp.col_ub[va->col] = 0;
            lp.col_lb[vb->col] = lp.col_ub[vb->col] = 1;
            ckp_solution *s = NULL;
            assert_int_equal(ckp_solve(&lp, NULL, NULL, &s, NULL), CKP_OK);
            moves++;
            if (s->status == CKP_MIP_OPTIMAL && s->objective <= r->lex[1].hold)
                fail_msg("stage 3 left a move: project %d start %d -> project %d option %d "
                         "start %d keeps the exposure at %.9g <= %.9g",
                         va->project, va->start, vb->project, vb->option, vb->start,
                         s->objective, r->lex[1].hold);
            ckp_solution_free(s);
        }
    }
    assert_true(moves > 0);
    /* the pass ruled some of them out without an LP */
    assert_true(r->lex[2].screened > 0);
    ckp_mip_fini(&lp);
    test_free(funded);
    test_free(x);
    ckp_model_free(m);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

static char *run_cli(const char *args, int *rc)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "'%s' solve '%s' %s", CKP_CLI_BIN, tu_path("data/lex/ties.xml"),
             args);
    char *out = NULL;
    *rc = tu_run(cmd, &out, NULL);
    assert_non_null(out);
    return out;
}

static void cli_tie_break(void **state)
{
    (void)state;
    int rc;
    char *out = run_cli("--exclude C --force P1", &rc);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "tie-break    lexicographic: best exposure, then least "
                                "commitment, then earliest start and plan order"));
    assert_non_null(strstr(out, "stage 1      exposure + shortage 1.400000: optimal"));
    assert_non_null(strstr(out, "stage 2      commitment 100.0 with exposure + shortage <= "
                                "1.400000: optimal"));
    assert_non_null(strstr(out, "stage 3      order key 0 with commitment <= 100.0: pass "
                                "completed"));
    free(out);

    out = run_cli("--exclude C --format json", &rc);
    assert_int_equal(rc, 0);
    assert_true(tu_json_valid(out));
    assert_non_null(strstr(out, "\"lexicographic\": true"));
    assert_non_null(strstr(out, "\"key\": \"commitment\""));
    assert_non_null(strstr(out, "\"lex_stage2_seconds\": "));
    free(out);

    out = run_cli("--exclude C --tie-break off --format json", &rc);
    assert_int_equal(rc, 0);
    assert_true(tu_json_valid(out));
    assert_non_null(strstr(out, "\"lexicographic\": false"));
    assert_non_null(strstr(out, "\"lexicographic_stages\": []"));
    free(out);

    out = run_cli("--tie-break off", &rc);
    assert_int_equal(rc, 0);
    assert_non_null(strstr(out, "tie-break    off: one solve"));
    free(out);

    char cmd[2048];
    char *err = NULL;
    snprintf(cmd, sizeof cmd, "'%s' solve '%s' --tie-break maybe", CKP_CLI_BIN,
             tu_path("data/lex/ties.xml"));
    assert_int_equal(tu_run(cmd, NULL, &err), 2);
    assert_non_null(strstr(err, "invalid value 'maybe' for --tie-break: expected 'on' or 'off'"));
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(weighted_ties),
        cmocka_unit_test(weighted_exposure_first),
        cmocka_unit_test(forced_ties),
        cmocka_unit_test(minmax_ties),
        cmocka_unit_test(min_cost_ties),
        cmocka_unit_test(scenario_ties),
        cmocka_unit_test(off_is_one_stage),
        cmocka_unit_test(stage1_node_limit),
        cmocka_unit_test(stage2_least_commitment),
        cmocka_unit_test(hinted_stage3_as_cold),
        cmocka_unit_test(stage3_no_move_left),
        cmocka_unit_test(cli_tie_break),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    ckp_load_cleanup();
    return failed;
}
