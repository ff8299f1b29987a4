/* test_evaluate.c: evaluate (src/study): the optimal portfolio evaluated
 * gives solve's objective and figures (hand-solved plans, with upgrades,
 * stockpiles, scenarios); every kind of violation is found at once with
 * the portfolio file's line and the plan's; the regret against the
 * optimum at the same money and the single moves on a hand-solved plan
 * (also with worker processes); the portfolio files (CSV, summary.json,
 * XML with its schema); the CLI's exit statuses. */
#include "testutil.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ckp/report.h"
#include "ckp/study.h"

static void near(double a, double b)
{
    if (!(fabs(a - b) <= 1e-7 * fmax(1.0, fabs(b))))
        fail_msg("%.12g differs from %.12g", a, b);
}

/* The portfolio of a solve as --fund specs. */
static void portfolio_of(const ckp_result *r, ckp_portfolio *pf)
{
    const ckp_plan *plan = r->plan;
    char spec[300];
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    for (int i = 0; i < r->n_picks; i++) {
        const ckp_project *p = &plan->projects[r->picks[i].project];
        snprintf(spec, sizeof spec, "%s:%s:%d", p->id, p->options[r->picks[i].option].id,
                 r->picks[i].start);
        assert_int_equal(ckp_portfolio_add_fund(pf, spec, &d), CKP_OK);
    }
    for (int i = 0; i < r->n_upgrade_picks; i++) {
        snprintf(spec, sizeof spec, "%s:%d", plan->upgrades[r->upgrade_picks[i].upgrade].id,
                 r->upgrade_picks[i].start);
        assert_int_equal(ckp_portfolio_add_fund(pf, spec, &d), CKP_OK);
    }
    for (int i = 0; i < r->n_stockpile_picks; i++)
        assert_int_equal(ckp_portfolio_add_fund(
                             pf, plan->stockpiles[r->stockpile_picks[i].stockpile].id, &d),
                         CKP_OK);
    assert_int_equal(d.n, 0);
    ckp_diag_list_fini(&d);
}

static void same_figures(const ckp_result *a, const ckp_result *b)
{
    near(a->objective_value, b->objective_value);
    near(a->commitment_total, b->commitment_total);
    assert_int_equal(a->n_picks, b->n_picks);
    assert_int_equal(a->n_upgrade_picks, b->n_upgrade_picks);
    assert_int_equal(a->n_stockpile_picks, b->n_stockpile_picks);
    for (int i = 0; i < a->n_picks; i++) {
        assert_int_equal(a->picks[i].project, b->picks[i].project);
        assert_int_equal(a->picks[i].option, b->picks[i].option);
        assert_int_equal(a->picks[i].start, b->picks[i].start);
    }
    for (int y = 0; y < a->n_years; y++) near(a->spend[y], b->spend[y]);
    int ns = a->plan->n_stages;
    for (int i = 0; i < ns * a->n_years; i++)
        if (!isnan(a->stage_exposure[i])) near(a->stage_exposure[i], b->stage_exposure[i]);
    for (int s = 0; s < a->n_scenarios; s++)
        if (!isnan(a->scen_value[s])) near(a->scen_value[s], b->scen_value[s]);
}

static void optimum_evaluates_as_solved(void **state)
{
    (void)state;
    static const char *plans[] = {
        "data/optima/b-upgrade-unlocks.xml", "data/optima/c-requires-excludes.xml",
        "data/optima/d-year-budget.xml",     "data/optima/f-weighted-vs-minmax.xml",
        "data/optima/j-cheaper-option.xml",  "data/scenarios/s1-price-support.xml",
        "data/scenarios/s2-stockpile.xml",   "data/scenarios/s4-worst-vs-expected.xml"};
    for (size_t k = 0; k < sizeof plans / sizeof plans[0]; k++) {
        ckp_plan *plan = tu_load_checked(plans[k]);
        ckp_result *r = tu_solve(plan, NULL, NULL);
        ckp_portfolio pf;
        ckp_portfolio_init(&pf);
        portfolio_of(r, &pf);
        ckp_evaluation *ev = NULL;
        ckp_diag_list d;
        ckp_diag_list_init(&d);
        assert_int_equal(ckp_evaluate(plan, &pf, NULL, NULL, NULL, &ev, &d), CKP_OK);
        assert_int_equal(d.n_errors, 0);
        assert_int_equal(ev->result->status, CKP_MIP_OPTIMAL);
        same_figures(ev->result, r);
        assert_int_equal(ev->result->n_pruned, 0);
        /* the optimum at the same money is the solve's: no regret */
        assert_non_null(ev->optimum);
        assert_true(fabs(ev->gap) <= 1e-7 * fmax(1, r->objective_value));
        assert_int_equal(ev->n_moves, 0);
        ckp_evaluation_free(ev);
        ckp_diag_list_fini(&d);
        ckp_portfolio_fini(&pf);
        ckp_result_free(r);
        ckp_plan_free(plan);
    }
}

/* Write text to a temporary file; returns its path (static buffer). */
static const char *temp_file(const char *name, const char *text)
{
    static char path[512];
    snprintf(path, sizeof path, "%s/%s.%ld", CKP_TESTS_BIN, name, (long)getpid());
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

/* Evaluate a portfolio expected to break the plan: the diagnostics. */
static char *violations(const char *plan_rel, const char *csv, const char *const *funds,
                        int n_funds, double budget, int expect)
{
    ckp_plan *plan = tu_load_checked(plan_rel);
    ckp_portfolio pf;
    ckp_portfolio_init(&pf);
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    if (csv) assert_int_equal(ckp_portfolio_read(temp_file("pf.csv", csv), &pf, &d), CKP_OK);
    for (int i = 0; i < n_funds; i++)
        assert_int_equal(ckp_portfolio_add_fund(&pf, funds[i], &d), CKP_OK);
    ckp_model_params mp;
    ckp_model_params_init(&mp);
    mp.budget_total = budget;
    ckp_evaluation *ev = NULL;
    assert_int_equal(ckp_evaluate(plan, &pf, &mp, NULL, NULL, &ev, &d), CKP_EINFEASIBLE);
    assert_non_null(ev);
    assert_null(ev->result);
    assert_int_equal(ev->portfolio->n_violations, expect);
    assert_int_equal(d.n_errors, expect);
    ckp_diag_sort(&d);
    char *t = tu_diag_text(&d);
    ckp_evaluation_free(ev);
    ckp_diag_list_fini(&d);
    ckp_portfolio_fini(&pf);
    ckp_plan_free(plan);
    return t;
}

static void expect_in(const char *text, const char *want)
{
    if (!strstr(text, want)) fail_msg("'%s' not in:\n%s", want, text);
}

static void every_violation_at_once(void **state)
{
    (void)state;
    /* c: budget total 200; P1 requires P2 (line 46); P4 excludes P3 (59) */
    char *t = violations("data/optima/c-requires-excludes.xml",
                         "project,option,start\n"
                         "P1,loan,2026\n"      /* line 2: requires P2 */
                         "P3,loan,2026\n"      /* 3 */
                         "P4,loan,2027\n"      /* 4: excludes P3 */
                         "P9,loan,2026\n"      /* 5: unknown id */
                         "P2,grant,2026\n"     /* 6: unknown option */
                         "P3,loan,2026\n",     /* 7: given twice */
                         NULL, 0, NAN, 6);
    expect_in(t, "pf.csv");
    expect_in(t, ": error: the portfolio commits 300.0 M, over the total budget of "
                 "200.0 M by 100.0 M (");
    expect_in(t, "c-requires-excludes.xml:63;"); /* the <budget> line */
    expect_in(t, ":2: error: project 'P1' requires 'P2', which is not funded (");
    expect_in(t, "c-requires-excludes.xml:46)");
    expect_in(t, ":4: error: projects 'P4' and 'P3' exclude each other and both are funded");
    expect_in(t, "c-requires-excludes.xml:59)");
    expect_in(t, ":5: error: unknown project 'P9'");
    expect_in(t, ":6: error: project 'P2' has no option 'grant' (options: loan;");
    expect_in(t, ":7: error: project 'P3' is given twice (first at line 3)");
    free(t);

    /* d: 2026 limit 50 (line 46); a start after the horizon */
    static const char *const d_funds[] = {"P:loan:2026", "Q:loan:2026"};
    t = violations("data/optima/d-year-budget.xml", NULL, d_funds, 2, NAN, 1);
    expect_in(t, "portfolio items: error: 2026: the portfolio disburses 140.0 M, over the year's "
                 "limit of 50.0 M by 90.0 M (");
    expect_in(t, "d-year-budget.xml:46; paid by item P, item Q)");
    free(t);

    /* b: A without the upgrade lacks 5 MW in 2027; B started 2030 comes
       online 2031; an over-budget --budget override */
    t = violations("data/optima/b-upgrade-unlocks.xml",
                   "kind,project,option,start\n"
                   "project,A,loan,2026\n"
                   "project,B,loan,2030\n",
                   NULL, 0, 150, 3);
    expect_in(t, ":2: error: site 'tx' lacks 5 MW of power in 2027 for the funded "
                 "projects online there (first: 'A', ");
    expect_in(t, ":3: error: project 'B' started in 2030 comes online in 2031, after the "
                 "horizon ends in 2030 (by 1 years;");
    expect_in(t, "over the total budget of 150.0 M by 50.0 M (budget override;");
    free(t);

    /* a stockpile bought in another year than the plan's */
    static const char *const s_funds[] = {"K:2027"};
    t = violations("data/scenarios/s2-stockpile.xml", NULL, s_funds, 1, NAN, 1);
    expect_in(t, "stockpile 'K' is bought in 2026, the plan's year");
    free(t);
}

/* The portfolio check applies the year-limit overrides as the model does:
 * d's 2026 limit of 50 lowered to 30 breaks Q (40 in 2026), named as the
 * override; raised to 200 it admits P and Q together (140 in 2026), which
 * the plan's own 50 refuses. */
static void year_limit_overrides(void **state)
{
    (void)state;
    const char *d = tu_path("data/optima/d-year-budget.xml");
    assert_int_equal(tu_cli("evaluate '%s' --fund Q:loan:2026 --year-limit 2026=30", d), 4);
    expect_in(tu_err, "2026: the portfolio disburses 40.0 M, over the year's limit of 30.0 M "
                      "by 10.0 M (year-limit override; paid by item Q)");
    assert_int_equal(tu_cli("evaluate '%s' --fund P:loan:2026 --fund Q:loan:2026 "
                            "--year-limit 2026=200", d), 0);
    assert_int_equal(tu_cli("evaluate '%s' --fund P:loan:2026 --fund Q:loan:2026", d), 4);
    expect_in(tu_err, "over the year's limit of 50.0 M by 90.0 M");
    /* scaled with the total: 50 x 500 / 1000 = 25 */
    assert_int_equal(tu_cli("evaluate '%s' --fund Q:loan:2026 --budget 500 "
                            "--scale-year-limits", d), 4);
    expect_in(tu_err, "over the year's limit of 25.0 M by 15.0 M (year-limit override;");
    tu_cli_free();
}

/* c at the money of P4 alone (100): P4 gives 1 + 4 x 0.7 = 3.8, the
 * optimum P3 1 + 4 x 0.6 = 3.4; swapping P4 for P3 closes the gap, dropping
 * P4 leaves 5.0. */
static void regret_and_moves(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/optima/c-requires-excludes.xml");
    for (int jobs = 1; jobs <= 2; jobs++) {
        ckp_portfolio pf;
        ckp_portfolio_init(&pf);
        ckp_diag_list d;
        ckp_diag_list_init(&d);
        assert_int_equal(ckp_portfolio_add_fund(&pf, "P4", &d), CKP_OK);
        ckp_evaluate_params ep;
        ckp_evaluate_params_init(&ep);
        ep.jobs = jobs;
        ckp_evaluation *ev = NULL;
        assert_int_equal(ckp_evaluate(plan, &pf, NULL, NULL, &ep, &ev, &d), CKP_OK);
        /* the lexicographic solve (the default) reports the exposure
         * objective alone: no commitment weight in it */
        double tie = 0;
        near(ev->result->objective_value, 3.8 + tie);
        near(ev->optimum->objective_value, 3.4 + tie);
        near(ev->gap, 0.4);
        assert_int_equal(ev->n_moves, 2);
        assert_int_equal(ev->moves[0].kind, CKP_MOVE_SWAP);
        assert_string_equal(plan->projects[ev->moves[0].drop].id, "P4");
        assert_string_equal(plan->projects[ev->moves[0].add].id, "P3");
        near(ev->moves[0].closed, 1.0);
        near(ev->moves[0].commitment, 100);
        assert_int_equal(ev->moves[1].kind, CKP_MOVE_DROP);
        near(ev->moves[1].objective, 5.0);
        near(ev->moves[1].closed, (3.8 + tie - 5.0) / 0.4);
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);
        assert_int_equal(ckp_evaluation_text(ev, f), CKP_OK);
        fclose(f);
        expect_in(buf, "swap P4 for P3 (loan, 2026)");
        expect_in(buf, "100.0 %");
        free(buf);
        f = open_memstream(&buf, &size);
        assert_int_equal(ckp_evaluation_json(ev, f), CKP_OK);
        fclose(f);
        assert_true(tu_json_valid(buf));
        free(buf);
        ckp_evaluation_free(ev);
        ckp_diag_list_fini(&d);
        ckp_portfolio_fini(&pf);
    }
    ckp_plan_free(plan);
}

static void portfolio_files(void **state)
{
    (void)state;
    ckp_portfolio pf;
    ckp_portfolio_init(&pf);
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    const char *xml = temp_file("pf.xml",
                                "<?xml version=\"1.0\"?>\n"
                                "<portfolio xmlns=\"urn:chokepoint:portfolio:1\">\n"
                                "  <project id=\"A\" option=\"loan\" start=\"2026\"/>\n"
                                "  <upgrade id=\"tx-power\" start=\"2026\"/>\n"
                                "  <stockpile id=\"K\"/>\n"
                                "</portfolio>\n");
    assert_int_equal(ckp_portfolio_read(xml, &pf, &d), CKP_OK);
    assert_int_equal(pf.n, 3);
    assert_int_equal(pf.items[0].kind, CKP_ITEM_PROJECT);
    assert_int_equal(pf.items[0].line, 3);
    assert_string_equal(pf.items[0].option, "loan");
    assert_int_equal(pf.items[1].kind, CKP_ITEM_UPGRADE);
    assert_int_equal(pf.items[1].start, 2026);
    assert_int_equal(pf.items[2].kind, CKP_ITEM_STOCKPILE);
    assert_int_equal(pf.items[2].line, 5);
    ckp_portfolio_fini(&pf);

    /* schema errors, each at its line */
    xml = temp_file("bad.xml", "<?xml version=\"1.0\"?>\n"
                               "<portfolio xmlns=\"urn:chokepoint:portfolio:1\">\n"
                               "  <project option=\"loan\"/>\n"
                               "  <fund id=\"A\"/>\n"
                               "</portfolio>\n");
    assert_int_equal(ckp_portfolio_read(xml, &pf, &d), CKP_ESCHEMA);
    char *t = tu_diag_text(&d);
    expect_in(t, ":3: error: Element 'project': The attribute 'id' is required");
    expect_in(t, ":4: error: Element 'fund'");
    free(t);
    ckp_diag_list_fini(&d);
    ckp_diag_list_init(&d);
    xml = temp_file("dtd.xml", "<?xml version=\"1.0\"?>\n<!DOCTYPE p [<!ENTITY a \"b\">]>\n"
                               "<portfolio xmlns=\"urn:chokepoint:portfolio:1\"/>\n");
    assert_int_equal(ckp_portfolio_read(xml, &pf, &d), CKP_EPARSE);
    t = tu_diag_text(&d);
    expect_in(t, "DTD and entity declarations are not allowed");
    free(t);
    ckp_diag_list_fini(&d);
    ckp_diag_list_init(&d);
    /* CSV without a start column; a row with a stray quote */
    assert_int_equal(ckp_portfolio_read(temp_file("c1.csv", "project,option\nA,loan\n"), &pf,
                                        &d), CKP_ESCHEMA);
    assert_int_equal(ckp_portfolio_read(temp_file("c2.csv", "project,start\nA,2026\n"
                                                            "B\"x,2026\n"), &pf, &d),
                     CKP_ESCHEMA);
    t = tu_diag_text(&d);
    expect_in(t, ":1: error: the header has no 'start' column");
    expect_in(t, ":3: error: a stray or unterminated double quote");
    free(t);
    ckp_portfolio_fini(&pf);
    ckp_diag_list_fini(&d);
    ckp_diag_list_init(&d);
    /* --fund syntax */
    assert_int_equal(ckp_portfolio_add_fund(&pf, "a:b:c", &d), CKP_EUSAGE);
    assert_int_equal(ckp_portfolio_add_fund(&pf, "a:b:2026:x", &d), CKP_EUSAGE);
    assert_int_equal(ckp_portfolio_add_fund(&pf, "", &d), CKP_EUSAGE);
    assert_int_equal(ckp_portfolio_add_fund(&pf, "a:2027", &d), CKP_OK);
    assert_null(pf.items[0].option);
    assert_int_equal(pf.items[0].start, 2027);
    ckp_portfolio_fini(&pf);
    ckp_diag_list_fini(&d);
}

/* solve --out, then evaluate its summary.json and its portfolio.csv with
 * the CLI: the same objective; violations exit 4. */
static void cli_round_trip(void **state)
{
    (void)state;
    char cmd[2048], dir[512];
    char *out = NULL, *err = NULL;
    char *tmp = tu_tmpdir("evaluate");
    snprintf(dir, sizeof dir, "%s/out", tmp);
    const char *plan = tu_path("data/optima/b-upgrade-unlocks.xml");
    char planp[512];
    snprintf(planp, sizeof planp, "%s", plan);
    snprintf(cmd, sizeof cmd, "'%s' solve '%s' -q --out '%s'", CKP_CLI_BIN, planp, dir);
    assert_int_equal(tu_run(cmd, NULL, NULL), 0);
    snprintf(cmd, sizeof cmd, "'%s' evaluate '%s' -q --portfolio '%s' --format json",
             CKP_CLI_BIN, planp, dir);
    assert_int_equal(tu_run(cmd, &out, &err), 0);
    assert_true(tu_json_valid(out));
    expect_in(out, "\"objective\": 2.6,");
    expect_in(out, "\"evaluation\": {");
    free(out);
    free(err);
    /* portfolio.csv has the projects only: without the upgrade the plan breaks */
    snprintf(cmd, sizeof cmd, "'%s' evaluate '%s' --portfolio '%s/portfolio.csv'",
             CKP_CLI_BIN, planp, dir);
    assert_int_equal(tu_run(cmd, &out, &err), 4);
    expect_in(err, "portfolio.csv:2: error: site 'tx' lacks 20 MW of power in 2027");
    expect_in(err, "error: the portfolio breaks the plan: 1 violation");
    free(out);
    free(err);
    snprintf(cmd, sizeof cmd, "'%s' evaluate '%s' --portfolio '%s/portfolio.csv' "
                              "--fund tx-power:2026 --no-regret --out '%s/ev'",
             CKP_CLI_BIN, planp, dir, dir);
    assert_int_equal(tu_run(cmd, &out, &err), 0);
    expect_in(out, "objective    2.600000");
    free(out);
    free(err);
    snprintf(cmd, sizeof cmd, "%s/ev/evaluation.json", dir);
    char *j = tu_read_file(cmd, NULL);
    assert_non_null(j);
    assert_true(tu_json_valid(j));
    free(j);
    snprintf(cmd, sizeof cmd, "'%s' evaluate '%s' --force A --fund A", CKP_CLI_BIN, planp);
    assert_int_equal(tu_run(cmd, NULL, NULL), 2);
    snprintf(cmd, sizeof cmd, "'%s' evaluate --help", CKP_CLI_BIN);
    assert_int_equal(tu_run(cmd, &out, NULL), 0);
    expect_in(out, "--portfolio FILE");
    free(out);
    tu_tmp_remove(tmp);
    free(tmp);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(optimum_evaluates_as_solved),
        cmocka_unit_test(every_violation_at_once),
        cmocka_unit_test(year_limit_overrides),
        cmocka_unit_test(regret_and_moves),
        cmocka_unit_test(portfolio_files),
        cmocka_unit_test(cli_round_trip),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "cd '%s' && rm -f pf.csv.%ld pf.xml.%ld bad.xml.%ld dtd.xml.%ld "
                              "c1.csv.%ld c2.csv.%ld", CKP_TESTS_BIN, (long)getpid(),
             (long)getpid(), (long)getpid(), (long)getpid(), (long)getpid(), (long)getpid());
    (void)tu_run(cmd, NULL, NULL);
    return rc;
}
