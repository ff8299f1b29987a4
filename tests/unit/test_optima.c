/* test_optima.c: end-to-end known optima.  Each plan in tests/data/optima/
 * carries its hand computation in an XML comment at the top; this test
 * loads and checks it, runs ckp_run (build, greedy incumbent, GLPK,
 * baseline) and asserts the exact portfolio (project, option, start year),
 * the objective within 1e-6 of the hand value, and the chokepoint exposure
 * per stage and year.  The plans' comments add the tie-break weight of the
 * one-stage solve (--tie-break off) to the objective; the default
 * lexicographic solve (docs/formulation.md 7f) reports it without: the
 * hand values here are the plans' minus that term, same portfolios. */
#include "testutil.h"

#include <math.h>
#include <string.h>

#include "ckp/load.h"
#include "ckp/model.h"
#include "ckp/report.h"
#include "ckp/result.h"

#define NY 5 /* every plan here: 2026-2030 */
#define NOCHECK (-1.0)

typedef struct exp_pick {
    const char *project, *option;
    int start;
} exp_pick;

typedef struct exp_stage {
    const char *stage;
    double share[NY]; /* NOCHECK = not asserted */
} exp_stage;

typedef struct optimum {
    const char *file;
    const char *force[3];
    const char *exclude[3];
    int objective;        /* -1 = the plan's */
    double objective_value;
    exp_pick picks[4];
    exp_stage stages[3];
    double max_share;     /* > 0: --max-share */
    double target;        /* > 0: --objective min-cost --target */
} optimum;

static int count_picks(const optimum *o)
{
    int n = 0;
    while (n < 4 && o->picks[n].project) n++;
    return n;
}

static int count_ids(const char *const *ids)
{
    int n = 0;
    while (n < 3 && ids[n]) n++;
    return n;
}

static int stage_index(const ckp_plan *plan, const char *id)
{
    for (int s = 0; s < plan->n_stages; s++)
        if (strcmp(plan->stages[s].id, id) == 0) return s;
    fail_msg("no stage %s", id);
    return -1;
}

/* tie_break NAN = the default weight; lex 0 = the one-stage solve with
 * that weight, 1 = the lexicographic solve (the default). */
static ckp_result *run_plan_with(const ckp_plan *plan, const optimum *o,
                                 double tie_break, int lex, const ckp_solve_params *sp)
{
    ckp_model_params mp;
    ckp_model_params_init(&mp);
    mp.lexicographic = lex;
    mp.objective = o->objective;
    mp.force = o->force;
    mp.n_force = count_ids(o->force);
    mp.exclude = o->exclude;
    mp.n_exclude = count_ids(o->exclude);
    if (!isnan(tie_break)) mp.tie_break = tie_break;
    if (o->max_share > 0) mp.max_share = o->max_share;
    if (o->target > 0) {
        mp.min_cost = 1;
        mp.target = o->target;
    }
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    ckp_result *r = NULL;
    ckp_status st = ckp_run(plan, &mp, sp, &r, &d);
    if (st != CKP_OK) {
        char *t = tu_diag_text(&d);
        print_error("%s: ckp_run: %s\n%s", o->file, ckp_status_str(st), t);
        free(t);
    }
    assert_int_equal(st, CKP_OK);
    assert_int_equal(d.n_errors, 0);
    ckp_diag_list_fini(&d);
    return r;
}

static ckp_result *run_plan(const ckp_plan *plan, const optimum *o)
{
    return run_plan_with(plan, o, NAN, 1, NULL);
}

static void check_optimum(const optimum *o)
{
    char rel[256];
    snprintf(rel, sizeof rel, "data/optima/%s", o->file);
    ckp_plan *plan = tu_load_checked(rel);
    assert_int_equal(ckp_plan_n_years(plan), NY);
    ckp_result *r = run_plan(plan, o);

    assert_int_equal(r->status, CKP_MIP_OPTIMAL);
    if (fabs(r->objective_value - o->objective_value) > 1e-6)
        fail_msg("%s: objective %.12g, hand value %.12g", o->file, r->objective_value,
                 o->objective_value);
    assert_true(r->gap <= 1e-9);

    int n = count_picks(o);
    if (r->n_picks != n) {
        for (int i = 0; i < r->n_picks; i++)
            print_error("%s: picked %s/%s/%d\n", o->file,
                        plan->projects[r->picks[i].project].id,
                        plan->projects[r->picks[i].project]
                            .options[r->picks[i].option].id,
                        r->picks[i].start);
        fail_msg("%s: %d picks, expected %d", o->file, r->n_picks, n);
    }
    for (int i = 0; i < n; i++) {
        const ckp_pick *pk = &r->picks[i];
        const ckp_project *p = &plan->projects[pk->project];
        assert_string_equal(p->id, o->picks[i].project);
        assert_string_equal(p->options[pk->option].id, o->picks[i].option);
        assert_int_equal(pk->start, o->picks[i].start);
    }
    for (int k = 0; k < 3 && o->stages[k].stage; k++) {
        int s = stage_index(plan, o->stages[k].stage);
        for (int y = 0; y < NY; y++) {
            double want = o->stages[k].share[y];
            if (want == NOCHECK) continue;
            double got = r->stage_exposure[s * NY + y];
            if (!(fabs(got - want) < 1e-6))
                fail_msg("%s: stage %s year %d: exposure %.9g, hand value %.9g",
                         o->file, o->stages[k].stage, plan->first_year + y, got, want);
        }
    }
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* (a) the project whose lead time ends past the horizon gets no column
 * and is never chosen. */
static void test_a_lead_time(void **state)
{
    (void)state;
    static const optimum o = {
        .file = "a-lead-time.xml", .objective = -1,
        .objective_value = 3.8,
        .picks = {{"ok", "loan", 2026}},
        .stages = {{"separation", {1, 1, 0.6, 0.6, 0.6}}},
    };
    check_optimum(&o);

    ckp_plan *plan = tu_load_checked("data/optima/a-lead-time.xml");
    ckp_model *m = NULL;
    assert_int_equal(ckp_model_build(plan, NULL, &m, NULL), CKP_OK);
    int late = ckp_plan_find_project(plan, "late");
    assert_true(late >= 0);
    assert_int_equal(m->project_first[late], m->project_first[late + 1]);
    for (int j = 0; j < m->mip.n_cols; j++)
        assert_null(strstr(m->mip.col_name[j], "late"));
    /* ok: starts 2026, 2027, 2028 only (online <= 2030) */
    int ok = ckp_plan_find_project(plan, "ok");
    assert_int_equal(m->project_first[ok + 1] - m->project_first[ok], 3);
    ckp_model_free(m);
    ckp_plan_free(plan);
}

static void test_b_upgrade_unlocks_two(void **state)
{
    (void)state;
    static const optimum o = {
        .file = "b-upgrade-unlocks.xml", .objective = -1,
        .objective_value = 2.6,
        .picks = {{"A", "loan", 2026}, {"B", "loan", 2026}},
        .stages = {{"separation", {1, 0.4, 0.4, 0.4, 0.4}}},
    };
    check_optimum(&o);
    ckp_plan *plan = tu_load_checked("data/optima/b-upgrade-unlocks.xml");
    ckp_result *r = run_plan(plan, &o);
    assert_int_equal(r->n_upgrade_picks, 1);
    assert_string_equal(plan->upgrades[r->upgrade_picks[0].upgrade].id, "tx-power");
    assert_int_equal(r->upgrade_picks[0].start, 2026);
    assert_int_equal(r->upgrade_picks[0].online, 2027);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

static void test_c_requires_excludes(void **state)
{
    (void)state;
    static const optimum o = {
        .file = "c-requires-excludes.xml", .objective = -1,
        .objective_value = 2.8,
        .picks = {{"P1", "loan", 2026}, {"P2", "loan", 2026}},
        .stages = {{"separation", {1, 0.45, 0.45, 0.45, 0.45}}},
    };
    check_optimum(&o);
}

static void test_c_exclude_override(void **state)
{
    (void)state;
    static const optimum o = {
        .file = "c-requires-excludes.xml", .exclude = {"P2"}, .objective = -1,
        .objective_value = 3.4,
        .picks = {{"P3", "loan", 2026}},
        .stages = {{"separation", {1, 0.6, 0.6, 0.6, 0.6}}},
    };
    check_optimum(&o);
}

static void test_c_force_override(void **state)
{
    (void)state;
    static const optimum o = {
        .file = "c-requires-excludes.xml", .force = {"P4"}, .objective = -1,
        .objective_value = 3.6,
        .picks = {{"P2", "loan", 2026}, {"P4", "loan", 2026}},
        .stages = {{"separation", {1, 0.65, 0.65, 0.65, 0.65}}},
    };
    check_optimum(&o);
}

static void test_d_year_budget_later_start(void **state)
{
    (void)state;
    static const optimum o = {
        .file = "d-year-budget.xml", .objective = -1,
        .objective_value = 2.7,
        .picks = {{"P", "loan", 2027}, {"Q", "loan", 2026}},
        .stages = {{"separation", {1, 0.8, 0.3, 0.3, 0.3}}},
    };
    check_optimum(&o);
}

static void test_e_stage_linkage(void **state)
{
    (void)state;
    static const optimum o = {
        .file = "e-stage-linkage.xml", .objective = -1,
        .objective_value = 13.4,
        .picks = {{"usmag", "loan", 2026}},
        .stages = {{"magnets", {1, 0.6, 0.6, 0.6, 0.6}},
                   {"separation", {1, 1, 1, 1, 1}},
                   {"mining", {1, 1, 1, 1, 1}}},
    };
    check_optimum(&o);
}

static void test_f_weighted(void **state)
{
    (void)state;
    static const optimum o = {
        .file = "f-weighted-vs-minmax.xml", .objective = CKP_OBJ_WEIGHTED,
        .objective_value = 5.5,
        .picks = {{"PA", "loan", 2026}},
        .stages = {{"sa", {0.5, 0, 0, 0, 0}}, {"sb", {1, 1, 1, 1, 1}}},
    };
    check_optimum(&o);
}

static void test_f_minmax(void **state)
{
    (void)state;
    static const optimum o = {
        .file = "f-weighted-vs-minmax.xml", .objective = CKP_OBJ_MINMAX,
        .objective_value = 3.8,
        .picks = {{"PB", "loan", 2026}},
        .stages = {{"sb", {1, 0.7, 0.7, 0.7, 0.7}}, {"sa", {0.5, 0.5, 0.5, 0.5, 0.5}}},
    };
    check_optimum(&o);
}

static void test_g_knapsack(void **state)
{
    (void)state;
    static const optimum o = {
        .file = "g-knapsack.xml", .objective = -1,
        .objective_value = 3.0,
        .picks = {{"P2", "loan", 2026}, {"P3", "loan", 2026}},
        .stages = {{"separation", {1, 0.5, 0.5, 0.5, 0.5}}},
    };
    check_optimum(&o);
}

/* (h) min-max: the ore share is below the year's maximum, so the min-max
 * rows leave it free up to that maximum; it must still be reported at its
 * minimum (0.6), in the portfolio and in the baseline, and the baseline
 * must equal the weighted objective's baseline. */
static void test_h_minmax_pins_every_share(void **state)
{
    (void)state;
    static const optimum o = {
        .file = "h-minmax-shares.xml", .objective = CKP_OBJ_MINMAX,
        .objective_value = 3.8,
        .picks = {{"usmag", "loan", 2026}},
        .stages = {{"magnets", {1, 0.7, 0.7, 0.7, 0.7}},
                   {"mining", {0.6, 0.6, 0.6, 0.6, 0.6}}},
    };
    check_optimum(&o);

    ckp_plan *plan = tu_load_checked("data/optima/h-minmax-shares.xml");
    optimum w = o;
    w.objective = CKP_OBJ_WEIGHTED;
    ckp_result *rm = run_plan(plan, &o), *rw = run_plan(plan, &w);
    int ore = -1;
    for (int c = 0; c < plan->n_commodities; c++)
        if (strcmp(plan->commodities[c].id, "ore") == 0) ore = c;
    assert_true(ore >= 0);
    for (int y = 0; y < NY; y++) {
        double got = rm->baseline_exposure[ore * NY + y];
        if (!(fabs(got - 0.6) < 1e-9))
            fail_msg("min-max baseline ore share %.12g in %d, hand value 0.6", got,
                     plan->first_year + y);
    }
    for (int i = 0; i < plan->n_commodities * NY; i++)
        if (!(fabs(rm->baseline_exposure[i] - rw->baseline_exposure[i]) < 1e-9))
            fail_msg("baseline share %d: min-max %.12g, weighted %.12g", i,
                     rm->baseline_exposure[i], rw->baseline_exposure[i]);
    for (int i = 0; i < plan->n_stages * NY; i++)
        assert_true(fabs(rm->stage_baseline[i] - rw->stage_baseline[i]) < 1e-9);
    ckp_result_free(rm);
    ckp_result_free(rw);
    ckp_plan_free(plan);
}

/* Run o lexicographically and, one stage, under tie-break weights 0, 1e-12
 * and 1e-4, five branching rules, MIR and clique cuts on and off, with
 * and without the greedy incumbent: always status optimal, the portfolio
 * o->picks (project, option, start), the upgrades `upgrades`
 * (NULL-terminated ids), commitment `commit`, and objective
 * o->objective_value (the exposure), plus tie_break * tb_share in the
 * one-stage solve; objective, bound and gap those of the returned
 * portfolio. */
static void check_all_settings(const optimum *o, const char *const *upgrades,
                               double commit, double tb_share)
{
    char rel[256];
    snprintf(rel, sizeof rel, "data/optima/%s", o->file);
    ckp_plan *plan = tu_load_checked(rel);
    static const int branching[] = {CKP_BRANCH_DEFAULT, CKP_BRANCH_FFV, CKP_BRANCH_MFV,
                                    CKP_BRANCH_DTH, CKP_BRANCH_PCH};
    /* NAN: lexicographic (the weight is not used) */
    static const double tie_break[] = {NAN, 0.0, 1e-12, 1e-4};
    int n_upg = 0;
    while (upgrades[n_upg]) n_upg++;
    for (size_t t = 0; t < sizeof tie_break / sizeof *tie_break; t++)
        for (size_t b = 0; b < sizeof branching / sizeof *branching; b++)
            for (int cuts = 0; cuts < 12; cuts++)
                for (int heur = 0; heur < 2; heur++) {
                    ckp_solve_params sp;
                    ckp_solve_params_init(&sp);
                    sp.branching = branching[b];
                    sp.mir_cuts = cuts & 1;
                    sp.clique_cuts = (cuts >> 1) & 1;
                    sp.root_cuts = cuts >> 2; /* off, on, proof */
                    sp.no_heuristic = heur;
                    int lex = isnan(tie_break[t]);
                    ckp_result *r = run_plan_with(plan, o, tie_break[t], lex, &sp);
                    char what[160];
                    snprintf(what, sizeof what,
                             "%s: tie-break %g, branching %d, mir %d, clique %d, "
                             "root cuts %d, no-heuristic %d", o->file, tie_break[t],
                             sp.branching, sp.mir_cuts, sp.clique_cuts, sp.root_cuts, heur);
                    assert_int_equal(r->status, CKP_MIP_OPTIMAL);
                    int ok = r->n_upgrade_picks == n_upg && r->n_picks == count_picks(o);
                    for (int i = 0; ok && i < n_upg; i++)
                        ok = strcmp(plan->upgrades[r->upgrade_picks[i].upgrade].id,
                                    upgrades[i]) == 0;
                    for (int i = 0; ok && i < r->n_picks; i++) {
                        const ckp_pick *pk = &r->picks[i];
                        const ckp_project *p = &plan->projects[pk->project];
                        ok = strcmp(p->id, o->picks[i].project) == 0 &&
                             strcmp(p->options[pk->option].id, o->picks[i].option) == 0 &&
                             pk->start == o->picks[i].start;
                    }
                    if (!ok) {
                        for (int i = 0; i < r->n_picks; i++)
                            print_error("picked %s/%s/%d\n",
                                        plan->projects[r->picks[i].project].id,
                                        plan->projects[r->picks[i].project]
                                            .options[r->picks[i].option].id,
                                        r->picks[i].start);
                        for (int i = 0; i < r->n_upgrade_picks; i++)
                            print_error("upgrade %s/%d\n",
                                        plan->upgrades[r->upgrade_picks[i].upgrade].id,
                                        r->upgrade_picks[i].start);
                        fail_msg("%s: wrong portfolio", what);
                    }
                    assert_true(fabs(r->commitment_total - commit) < 1e-9);
                    double want = o->objective_value + (lex ? 0.0 : tie_break[t] * tb_share);
                    if (!(fabs(r->objective_value - want) < 1e-9))
                        fail_msg("%s: objective %.12g, hand value %.12g", what,
                                 r->objective_value, want);
                    assert_true(r->bound <= r->objective_value + 1e-12);
                    assert_true(r->gap >= 0 && r->gap <= 1e-9);
                    ckp_result_free(r);
                }
    ckp_plan_free(plan);
}

/* (i) a cheap upgrade that cuts nothing is never in the portfolio, with or
 * without the tie-break term and under every branching/cut setting. */
static void test_i_useless_upgrade_never_funded(void **state)
{
    (void)state;
    static const optimum o = {
        .file = "i-useless-upgrade.xml", .objective = -1,
        .objective_value = 3.8,
        .picks = {{"P", "loan", 2026}},
        .stages = {{"separation", {1, 0.7, 0.7, 0.7, 0.7}}},
    };
    check_optimum(&o);
    static const char *const upgrades[] = {"big", NULL};
    check_all_settings(&o, upgrades, 120.0, 120.0 / 225.0);
}

/* (j) of two options with the same effect the cheaper one is funded, with
 * or without the tie-break term and under every branching/cut setting. */
static void test_j_cheaper_option_always(void **state)
{
    (void)state;
    static const optimum o = {
        .file = "j-cheaper-option.xml", .objective = -1,
        .objective_value = 3.8,
        .picks = {{"P", "loan", 2026}},
        .stages = {{"separation", {1, 0.7, 0.7, 0.7, 0.7}}},
    };
    check_optimum(&o);
    static const char *const upgrades[] = {NULL};
    check_all_settings(&o, upgrades, 100.0, 100.0 / 150.0);
}

/* Country index of a plan by id. */
static int country_index(const ckp_plan *plan, const char *id)
{
    for (int k = 0; k < plan->n_countries; k++)
        if (strcmp(plan->countries[k].id, id) == 0) return k;
    fail_msg("no country %s", id);
    return -1;
}


static ckp_status json_no_info(const ckp_result *r, FILE *f)
{
    return ckp_report_json(r, NULL, f);
}

/* (k) top-supplier share and HHI per stage, baseline vs portfolio (hand
 * numbers in the plan's comment): baseline CN 50 %, HHI 3800 every year;
 * portfolio 2027-2030 US 60 %, HHI 4600. */
static void test_k_concentration(void **state)
{
    (void)state;
    static const optimum o = {
        .file = "k-concentration.xml", .objective = -1,
        .objective_value = 0.65 + 4 * 0.25,
        .picks = {{"PU", "loan", 2026}},
        .stages = {{"sep", {0.65, 0.25, 0.25, 0.25, 0.25}}},
    };
    check_optimum(&o);
    ckp_plan *plan = tu_load_checked("data/optima/k-concentration.xml");
    ckp_result *r = run_plan(plan, &o);
    int cn = country_index(plan, "CN"), us = country_index(plan, "US");
    for (int y = 0; y < NY; y++) {
        assert_int_equal(r->stage_top_country_baseline[y], cn);
        assert_true(fabs(r->stage_top_share_baseline[y] - 0.5) < 1e-9);
        assert_true(fabs(r->stage_hhi_baseline[y] - 3800) < 1e-6);
        if (y == 0) {
            assert_int_equal(r->stage_top_country[y], cn);
            assert_true(fabs(r->stage_top_share[y] - 0.5) < 1e-9);
            assert_true(fabs(r->stage_hhi[y] - 3800) < 1e-6);
        } else {
            assert_int_equal(r->stage_top_country[y], us);
            assert_true(fabs(r->stage_top_share[y] - 0.6) < 1e-9);
            assert_true(fabs(r->stage_hhi[y] - 4600) < 1e-6);
        }
    }
    char *t = tu_capture(ckp_report_text, r);
    assert_non_null(strstr(t, "Supplier concentration per stage"));
    assert_non_null(strstr(t, "top, baseline"));
    char *line = strstr(t, "top, portfolio");
    assert_non_null(line);
    size_t len = strcspn(line, "\n");
    char *one = strndup(line, len);
    assert_non_null(one);
    assert_non_null(strstr(one, "CN 50.0"));
    assert_non_null(strstr(one, "US 60.0"));
    free(one);
    line = strstr(t, "HHI, portfolio");
    assert_non_null(line);
    assert_non_null(strstr(line, "3800"));
    assert_non_null(strstr(line, "4600"));
    free(t);
    char *js = tu_capture(json_no_info, r);
    assert_true(tu_json_valid(js));
    assert_non_null(strstr(js, "\"year\": 2027,\n"
                               "          \"baseline_share\": 0.65,\n"
                               "          \"portfolio_share\": 0.25,\n"
                               "          \"baseline_top_country\": \"CN\",\n"
                               "          \"baseline_top_share\": 0.5,\n"
                               "          \"baseline_hhi\": 3800,\n"
                               "          \"portfolio_top_country\": \"US\",\n"
                               "          \"portfolio_top_share\": 0.6,\n"
                               "          \"portfolio_hhi\": 4600\n"));
    free(js);
    char *tmpl = tu_tmpdir("optk");
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_report_write_dir(r, NULL, tmpl, &d), CKP_OK);
    ckp_diag_list_fini(&d);
    char path[256];
    snprintf(path, sizeof path, "%s/concentration.csv", tmpl);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char csv[4096];
    size_t n = fread(csv, 1, sizeof csv - 1, f);
    csv[n] = '\0';
    fclose(f);
    assert_string_equal(csv,
        "stage,year,baseline_top_country,baseline_top_country_name,baseline_top_share,"
        "baseline_hhi,portfolio_top_country,portfolio_top_country_name,"
        "portfolio_top_share,portfolio_hhi\n"
        "sep,2026,CN,Chokepoint,0.5,3800,CN,Chokepoint,0.5,3800\n"
        "sep,2027,CN,Chokepoint,0.5,3800,US,Member,0.6,4600\n"
        "sep,2028,CN,Chokepoint,0.5,3800,US,Member,0.6,4600\n"
        "sep,2029,CN,Chokepoint,0.5,3800,US,Member,0.6,4600\n"
        "sep,2030,CN,Chokepoint,0.5,3800,US,Member,0.6,4600\n");
    tu_tmp_remove(tmpl);
    free(tmpl);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* Slurp a file of dir (caller frees). */
static char *read_file(const char *dir, const char *name)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    char *buf = calloc(1, 65536);
    assert_non_null(buf);
    size_t n = fread(buf, 1, 65535, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* (l) --max-share 0.65 binds and cannot be met in 2026-2027: the elastic
 * report names stage sep, commodity oxide, country CN and each year with
 * the exact missed share; demand is not left unserved to meet it. */
static void test_l_max_share_missed(void **state)
{
    (void)state;
    double R[NY] = {1000, 1050, 1100, 1150, 1200};
    double cn[NY] = {800, 850, 600, 650, 700};
    double emax = 0, expo = 0;
    for (int y = 0; y < NY; y++) {
        emax += 2000 / R[y];
        expo += cn[y] / R[y];
    }
    double M = 100 * emax;
    double miss26 = 0.8 - 0.65, miss27 = 850.0 / 1050 - 0.65;
    optimum o = {
        .file = "l-max-share-missed.xml", .objective = -1,
        .objective_value = expo + M * (miss26 + miss27),
        .picks = {{"PU", "loan", 2026}},
        .stages = {{"sep", {0.8, 850.0 / 1050, 600.0 / 1100, 650.0 / 1150, 700.0 / 1200}}},
        .max_share = 0.65,
    };
    check_optimum(&o);
    ckp_plan *plan = tu_load_checked("data/optima/l-max-share-missed.xml");
    ckp_result *r = run_plan(plan, &o);
    int cn_ix = country_index(plan, "CN");
    assert_true(r->max_share == 0.65);
    assert_true(fabs(r->cap_penalty - M) < 1e-9 * M);
    assert_int_equal(r->n_caps, 5);
    assert_int_equal(r->n_caps_missed, 2);
    for (int i = 0; i < r->n_caps; i++) {
        const ckp_cap_check *ck = &r->caps[i];
        assert_int_equal(ck->country, cn_ix);
        assert_string_equal(plan->commodities[ck->commodity].id, "oxide");
        assert_int_equal(ck->year, 2026 + i);
        assert_true(fabs(ck->share - cn[i] / R[i]) < 1e-9);
        double want = i == 0 ? miss26 : i == 1 ? miss27 : 0;
        if (fabs(ck->missed - want) > 1e-9)
            fail_msg("cap %d: missed %.12g, hand %.12g", 2026 + i, ck->missed, want);
        assert_true(fabs(ck->tonnes - want * R[i]) < 1e-6);
    }
    for (int y = 0; y < NY; y++) assert_true(r->shortage[y] < 1e-9);

    char *t = tu_capture(ckp_report_text, r);
    assert_non_null(strstr(t, "Policy cap (max share 65.0 % per third country): MISSED in 2 of 5"));
    assert_non_null(strstr(t, "  sep    oxide      CN       2026     80.0"
                              "                15.0        150\n"));
    assert_non_null(strstr(t, "  sep    oxide      CN       2027     81.0"
                              "                16.0        168\n"));
    free(t);
    char *js = tu_capture(json_no_info, r);
    assert_true(tu_json_valid(js));
    assert_non_null(strstr(js, "\"met\": false"));
    assert_non_null(strstr(js, "\"stage\": \"sep\",\n"
                               "        \"commodity\": \"oxide\",\n"
                               "        \"country\": \"CN\",\n"
                               "        \"year\": 2026,\n"
                               "        \"share\": 0.8,\n"
                               "        \"missed_by\": 0.15,\n"
                               "        \"missed_tonnes\": 150\n"));
    assert_non_null(strstr(js, "\"year\": 2027,\n"
                               "        \"share\": 0.8095238095,\n"
                               "        \"missed_by\": 0.1595238095,\n"
                               "        \"missed_tonnes\": 167.5\n"));
    assert_null(strstr(js, "\"year\": 2028,\n        \"share\""));
    free(js);
    char *tmpl = tu_tmpdir("optl");
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_report_write_dir(r, NULL, tmpl, &d), CKP_OK);
    ckp_diag_list_fini(&d);
    char *csv = read_file(tmpl, "policy.csv");
    assert_string_equal(csv,
        "stage,commodity,country,country_name,year,share,cap,missed_by,missed_t_per_year\n"
        "sep,oxide,CN,Chokepoint,2026,0.8,0.65,0.15,150\n"
        "sep,oxide,CN,Chokepoint,2027,0.8095238095,0.65,0.1595238095,167.5\n"
        "sep,oxide,CN,Chokepoint,2028,0.5454545455,0.65,0,0\n"
        "sep,oxide,CN,Chokepoint,2029,0.5652173913,0.65,0,0\n"
        "sep,oxide,CN,Chokepoint,2030,0.5833333333,0.65,0,0\n");
    free(csv);
    tu_tmp_remove(tmpl);
    free(tmpl);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* (m) the plain objective funds PA; --max-share 0.65 funds PB, the only
 * project that brings stage sb under the cap (hand numbers in the plan). */
static void test_m_max_share_funds(void **state)
{
    (void)state;
    static const optimum plain = {
        .file = "m-max-share-funds.xml", .objective = -1,
        .objective_value = 4.0,
        .picks = {{"PA", "loan", 2026}},
        .stages = {{"sa", {0.5, 0, 0, 0, 0}}, {"sb", {0.7, 0.7, 0.7, 0.7, 0.7}}},
    };
    check_optimum(&plain);
    static const optimum capped = {
        .file = "m-max-share-funds.xml", .objective = -1,
        .objective_value = 5.6 + 2000 * 0.05,
        .picks = {{"PB", "loan", 2026}},
        .stages = {{"sa", {0.5, 0.5, 0.5, 0.5, 0.5}}, {"sb", {0.7, 0.6, 0.6, 0.6, 0.6}}},
        .max_share = 0.65,
    };
    check_optimum(&capped);
    ckp_plan *plan = tu_load_checked("data/optima/m-max-share-funds.xml");
    ckp_result *r = run_plan(plan, &capped);
    assert_true(fabs(r->cap_penalty - 2000) < 1e-9);
    assert_int_equal(r->n_caps, 10);
    assert_int_equal(r->n_caps_missed, 1);
    for (int i = 0; i < r->n_caps; i++) {
        const ckp_cap_check *ck = &r->caps[i];
        int missed = strcmp(plan->commodities[ck->commodity].id, "B") == 0 && ck->year == 2026;
        assert_true(missed ? fabs(ck->missed - 0.05) < 1e-9 : ck->missed == 0);
    }
    ckp_result_free(r);
    /* Without the cap no policy section is printed. */
    r = run_plan(plan, &plain);
    assert_null(r->caps);
    char *t = tu_capture(ckp_report_text, r);
    assert_null(strstr(t, "Policy cap"));
    free(t);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* (n) min-cost: the cheapest portfolio reaching T x the baseline's
 * weighted value differs from the exposure-optimal one; an unreachable
 * target is INFEASIBLE with the best reachable value (hand numbers in the
 * plan's comment). */
static void test_n_min_cost(void **state)
{
    (void)state;
    static const optimum weighted = {
        .file = "n-min-cost.xml", .objective = -1,
        .objective_value = 1.0,
        .picks = {{"MID", "loan", 2026}, {"SMALL", "loan", 2026}},
        .stages = {{"sep", {1, 0, 0, 0, 0}}},
    };
    check_optimum(&weighted);
    static const optimum t06 = {
        .file = "n-min-cost.xml", .objective = -1,
        .objective_value = 120,
        .picks = {{"MID", "loan", 2026}},
        .stages = {{"sep", {1, 0.4, 0.4, 0.4, 0.4}}},
        .target = 0.6,
    };
    check_optimum(&t06);
    static const optimum t07 = {
        .file = "n-min-cost.xml", .objective = -1,
        .objective_value = 60,
        .picks = {{"SMALL", "loan", 2026}},
        .stages = {{"sep", {1, 0.6, 0.6, 0.6, 0.6}}},
        .target = 0.7,
    };
    check_optimum(&t07);

    ckp_plan *plan = tu_load_checked("data/optima/n-min-cost.xml");
    ckp_result *r = run_plan(plan, &t06);
    assert_int_equal(r->min_cost, 1);
    assert_true(fabs(r->goal_base - 5.0) < 1e-9);
    assert_true(fabs(r->goal_limit - 3.0) < 1e-9);
    assert_true(fabs(r->goal_reached - 2.6) < 1e-9);
    assert_true(isnan(r->best_reachable));
    assert_true(fabs(r->commitment_total - 120) < 1e-9);
    char *t = tu_capture(ckp_report_text, r);
    assert_non_null(strstr(t, "Objective: min-cost (the least bank commitment whose "
                              "weighted exposure + shortage is at most 0.6 x the "
                              "baseline's: 3.000000 of 5.000000 share-years"));
    assert_non_null(strstr(t, "  reached: 2.600000 (52.0 % of the baseline) for a "
                              "bank commitment of 120.0\n"));
    free(t);
    char *js = tu_capture(json_no_info, r);
    assert_true(tu_json_valid(js));
    assert_non_null(strstr(js, "\"goal\": {\n"
                               "    \"objective\": \"min-cost\",\n"
                               "    \"target\": 0.6,\n"
                               "    \"baseline_value\": 5,\n"
                               "    \"limit\": 3,\n"
                               "    \"reached\": 2.6,\n"
                               "    \"best_reachable\": null,\n"
                               "    \"commitment\": 120\n"));
    free(js);
    ckp_result_free(r);

    static const optimum t01 = {.file = "n-min-cost.xml", .objective = -1, .target = 0.1};
    r = run_plan(plan, &t01);
    assert_int_equal(r->status, CKP_MIP_INFEASIBLE);
    assert_int_equal(r->n_picks, 0);
    assert_true(fabs(r->goal_limit - 0.5) < 1e-9);
    assert_true(fabs(r->best_reachable - 1.0) < 1e-9);
    ckp_result_free(r);

    /* bad parameters: usage errors */
    ckp_model_params mp;
    ckp_model_params_init(&mp);
    mp.min_cost = 1;
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    r = NULL;
    assert_int_equal(ckp_run(plan, &mp, NULL, &r, &d), CKP_EUSAGE);
    assert_null(r);
    char *dt = tu_diag_text(&d);
    assert_non_null(strstr(dt, "min-cost needs a target in (0, 1]"));
    free(dt);
    ckp_diag_list_fini(&d);
    ckp_diag_list_init(&d);
    mp.min_cost = 0;
    mp.target = 0.5;
    assert_int_equal(ckp_run(plan, &mp, NULL, &r, &d), CKP_EUSAGE);
    dt = tu_diag_text(&d);
    assert_non_null(strstr(dt, "a target (target) needs min-cost (min_cost)"));
    free(dt);
    ckp_diag_list_fini(&d);
    /* the builder alone cannot know the baseline */
    ckp_diag_list_init(&d);
    mp.min_cost = 1;
    ckp_model *m = NULL;
    assert_int_equal(ckp_model_build(plan, &mp, &m, &d), CKP_EUSAGE);
    dt = tu_diag_text(&d);
    assert_non_null(strstr(dt, "min-cost needs the baseline exposure"));
    free(dt);
    ckp_diag_list_fini(&d);
    ckp_plan_free(plan);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_lead_time),
        cmocka_unit_test(test_b_upgrade_unlocks_two),
        cmocka_unit_test(test_c_requires_excludes),
        cmocka_unit_test(test_c_exclude_override),
        cmocka_unit_test(test_c_force_override),
        cmocka_unit_test(test_d_year_budget_later_start),
        cmocka_unit_test(test_e_stage_linkage),
        cmocka_unit_test(test_f_weighted),
        cmocka_unit_test(test_f_minmax),
        cmocka_unit_test(test_g_knapsack),
        cmocka_unit_test(test_h_minmax_pins_every_share),
        cmocka_unit_test(test_i_useless_upgrade_never_funded),
        cmocka_unit_test(test_j_cheaper_option_always),
        cmocka_unit_test(test_k_concentration),
        cmocka_unit_test(test_l_max_share_missed),
        cmocka_unit_test(test_m_max_share_funds),
        cmocka_unit_test(test_n_min_cost),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    ckp_load_cleanup(); /* the loader's cached schema */
    return failed;
}
