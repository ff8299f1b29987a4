/* test_report.c: the report writers on hand-built results over the
 * vocabulary plan: text (status words, tables, alignment), CSV (RFC 4180
 * quoting), JSON (escaping, null for non-finite, structure), the --out
 * directory (atomic: no partial file, no temporary left, on every failure
 * path), the parts for scenarios and stockpiles (scenario section, idle
 * projects with their reasons grouped over consecutive years, stockpiles
 * bought and released, scenarios.csv / idle.csv / stockpiles.csv, the
 * policy.csv scenario column) and that a result without the plan's
 * scenarios prints exactly what it printed before; SHA-256 against the
 * FIPS 180-4 test vectors. */
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ckp/report.h"
#include "report/common.h"
#include "report/figures.h"
#include "report/json.h"
#include "util/alloc.h"
#include "util/atomic.h"
#include "util/sha256.h"


/* ---- fixtures ---- */

static char *read_vocabulary(void)
{
    char *xml = tu_read_file(tu_path("data/plans/vocabulary.xml"), NULL);
    assert_non_null(xml);
    return xml;
}

/* Replace the first occurrence of from by to (returns a new string). */
static char *replace(char *s, const char *from, const char *to)
{
    char *at = strstr(s, from);
    assert_non_null(at);
    size_t n = strlen(s) - strlen(from) + strlen(to) + 1;
    char *d = malloc(n);
    snprintf(d, n, "%.*s%s%s", (int)(at - s), s, to, at + strlen(from));
    free(s);
    return d;
}

/* The vocabulary plan with names that need quoting and escaping. */
static ckp_plan *tricky_plan(void)
{
    char *xml = read_vocabulary();
    xml = replace(xml, "name=\"Magnet plant\"",
                  "name=\"Magnet, &quot;Texas&quot; plant&#10;line\\2\"");
    xml = replace(xml, "name=\"Vocabulary example\"", "name=\"Plan &quot;A&quot;\"");
    ckp_plan *plan = tu_load_checked_str(xml);
    free(xml);
    return plan;
}

static double *dalloc(int n, double v)
{
    double *a = malloc((size_t)(n > 0 ? n : 1) * sizeof *a);
    for (int i = 0; i < n; i++) a[i] = v;
    return a;
}

/* A result over the vocabulary plan: mag1 (loan) 2026->2028 and sep2
 * (equity) 2027->2028 funded, the substation upgrade funded in 2026. */
static ckp_result *fake_result(const ckp_plan *plan, ckp_mip_status st)
{
    ckp_result *r = calloc(1, sizeof *r);
    int ny = ckp_plan_n_years(plan);
    int nc = plan->n_commodities;
    int ns = plan->n_stages;
    int np = plan->n_facilities + plan->n_projects;
    r->plan = plan;
    ckp_model_params_init(&r->model_params);
    ckp_solve_params_init(&r->solve_params);
    r->objective = CKP_OBJ_WEIGHTED;
    r->budget_total = 600;
    r->shortage_penalty = 10;
    r->status = st;
    r->objective_value = 11.5;
    r->bound = 11.5;
    r->gap = 0;
    r->seconds = 0.25;
    r->build_seconds = 0.01;
    r->post_seconds = 0.125;
    r->n_pruned = 1;
    r->nodes = 7;
    r->n_rows = 35;
    r->n_cols = 45;
    r->n_binaries = 16;
    r->nnz = 154;
    r->baseline_objective = 15;
    r->n_years = ny;
    r->n_producers = np;
    if (st == CKP_MIP_OPTIMAL || st == CKP_MIP_FEASIBLE) {
        int mag1 = ckp_plan_find_project(plan, "mag1");
        int sep2 = ckp_plan_find_project(plan, "sep2");
        r->n_picks = 2;
        r->picks = calloc(2, sizeof *r->picks);
        r->picks[0] = (ckp_pick){mag1, 0, 2026, 2028, 200, 300};
        r->picks[1] = (ckp_pick){sep2, 0, 2027, 2028, 50, 100};
        r->n_upgrade_picks = 1;
        r->upgrade_picks = calloc(1, sizeof *r->upgrade_picks);
        r->upgrade_picks[0] = (ckp_upgrade_pick){0, 2026, 2027, 40};
        r->commitment_total = 290;
        r->capex_total = 400;
        r->private_capital = 150;
        r->spend = dalloc(ny, 0);
        r->spend[0] = 160;
        r->spend[1] = 130;
        r->production = dalloc(np * ny, 0);
        for (int i = 0; i < np * ny; i++) r->production[i] = 100 + i;
        r->shortage = dalloc(nc * ny, 0);
        r->exposure = dalloc(nc * ny, 0.5);
        r->stage_exposure = dalloc(ns * ny, 0.5);
        r->added_outside = dalloc(ns, 0);
        r->added_outside[1] = 210;
        r->added_outside[2] = 500;
    } else {
        r->objective_value = NAN;
        r->bound = NAN;
        r->gap = NAN;
    }
    r->budget_limit = dalloc(ny, INFINITY);
    r->budget_limit[0] = 250;
    r->requirement = dalloc(nc * ny, 1000);
    r->requirement[0] = 0; /* conc 2026: no requirement -> no share */
    r->baseline_shortage = dalloc(nc * ny, 0);
    r->baseline_exposure = dalloc(nc * ny, 0.9);
    r->stage_baseline = dalloc(ns * ny, 0.9);
    r->stage_baseline[0] = NAN; /* mining 2026: no requirement */
    return r;
}


/* Free the scenario parts of a hand-built result and clear them, so that
 * ckp_result_free never sees them twice. */
static void free_scen(ckp_result *r)
{
    free(r->scenario_plan);
    free(r->scenario_prob);
    free(r->scen_production);
    free(r->scen_requirement);
    free(r->scen_shortage);
    free(r->scen_exposure);
    free(r->scen_baseline_shortage);
    free(r->scen_baseline_exposure);
    free(r->scen_stage_exposure);
    free(r->scen_stage_baseline);
    free(r->scen_value);
    free(r->scen_baseline_value);
    free(r->stockpile_picks);
    free(r->release);
    free(r->idle);
    r->scenario_plan = NULL;
    r->scenario_prob = NULL;
    r->scen_production = NULL;
    r->scen_requirement = NULL;
    r->scen_shortage = NULL;
    r->scen_exposure = NULL;
    r->scen_baseline_shortage = NULL;
    r->scen_baseline_exposure = NULL;
    r->scen_stage_exposure = NULL;
    r->scen_stage_baseline = NULL;
    r->scen_value = NULL;
    r->scen_baseline_value = NULL;
    r->stockpile_picks = NULL;
    r->release = NULL;
    r->idle = NULL;
    r->n_stockpile_picks = 0;
    r->n_idle = 0;
    r->n_scenarios = 0;
}

static void result_free(ckp_result *r)
{
    if (r) free_scen(r);
    ckp_result_free(r);
}

/* The one implicit scenario of a plan solved without scenarios. */
static void implicit_scenario(ckp_result *r)
{
    r->n_scenarios = 1;
    r->scenario_plan = malloc(sizeof *r->scenario_plan);
    r->scenario_plan[0] = -1;
    r->scenario_prob = dalloc(1, 1.0);
}

static ckp_idle idle_entry(int s, int p, int year, ckp_idle_reason why, int c, int k,
                           double price, double be, double cap)
{
    ckp_idle e = {s, p, year, why, c, k, price, be, cap, 0};
    return e;
}

/* The vocabulary plan's two scenarios (calm 0.7, squeeze 0.3) on the
 * fake result: stage shares 0.1 x (s + 1) + year index / 100 (portfolio)
 * and 0.9 (baseline); shortage of magnet 50 t/yr in squeeze 2029-2030;
 * the oxide reserve bought in 2027 releases 100 t/yr in squeeze 2028 and
 * 2029; mag1 idles in squeeze 2027-2028 and 2030 (price below its
 * breakeven, loan without price support) and sep2 in 2028-2029 (export
 * restriction on oxide from CN). */
static void add_scenarios(ckp_result *r)
{
    const ckp_plan *plan = r->plan;
    int ny = r->n_years;
    int nc = plan->n_commodities;
    int ns = plan->n_stages;
    int nk = plan->n_stockpiles;
    int np = r->n_producers;
    assert_int_equal(plan->n_scenarios, 2);
    assert_int_equal(nk, 1);
    r->n_scenarios = 2;
    r->measure = CKP_MEASURE_EXPECTED;
    r->scenario_plan = malloc(2 * sizeof *r->scenario_plan);
    r->scenario_plan[0] = 0;
    r->scenario_plan[1] = 1;
    r->scenario_prob = dalloc(2, 0.7);
    r->scenario_prob[1] = 0.3;
    r->scen_production = dalloc(2 * np * ny, 10);
    r->scen_requirement = dalloc(2 * nc * ny, 1000);
    r->scen_shortage = dalloc(2 * nc * ny, 0);
    r->scen_baseline_shortage = dalloc(2 * nc * ny, 0);
    r->scen_exposure = dalloc(2 * nc * ny, 0.5);
    r->scen_baseline_exposure = dalloc(2 * nc * ny, 0.9);
    r->scen_stage_exposure = dalloc(2 * ns * ny, 0);
    r->scen_stage_baseline = dalloc(2 * ns * ny, 0.9);
    for (int s = 0; s < 2; s++)
        for (int g = 0; g < ns; g++)
            for (int y = 0; y < ny; y++)
                r->scen_stage_exposure[(s * ns + g) * ny + y] = 0.1 * (s + 1) + y / 100.0;
    int magnet = ckp_plan_find_commodity(plan, "magnet");
    int oxide = ckp_plan_find_commodity(plan, "oxide");
    int cn = ckp_plan_find_country(plan, "CN");
    r->scen_shortage[(1 * nc + magnet) * ny + 3] = 50;
    r->scen_shortage[(1 * nc + magnet) * ny + 4] = 50;
    r->scen_baseline_shortage[(1 * nc + magnet) * ny + 4] = 400;
    r->scen_value = dalloc(2, 1.5);
    r->scen_value[1] = 4.25;
    r->scen_baseline_value = dalloc(2, 2.5);
    r->scen_baseline_value[1] = 9.75;
    r->n_stockpile_picks = 1;
    r->stockpile_picks = calloc(1, sizeof *r->stockpile_picks);
    r->stockpile_picks[0] = (ckp_stockpile_pick){0, 2027, 30};
    r->release = dalloc(2 * nk * ny, 0);
    r->release[(1 * nk + 0) * ny + 2] = 100;
    r->release[(1 * nk + 0) * ny + 3] = 100;
    int mag1 = ckp_plan_find_project(plan, "mag1");
    int sep2 = ckp_plan_find_project(plan, "sep2");
    r->n_idle = 5;
    r->idle = calloc(5, sizeof *r->idle);
    r->idle[0] = idle_entry(1, mag1, 2027, CKP_IDLE_PRICE, magnet, -1, 60000, 80000, 250);
    r->idle[1] = idle_entry(1, mag1, 2028, CKP_IDLE_PRICE, magnet, -1, 60000, 80000, 500);
    r->idle[2] = idle_entry(1, mag1, 2030, CKP_IDLE_PRICE, magnet, -1, 60000, 80000, 500);
    r->idle[3] = idle_entry(1, sep2, 2028, CKP_IDLE_EXPORT, oxide, cn, NAN, NAN, 300);
    r->idle[4] = idle_entry(1, sep2, 2029, CKP_IDLE_EXPORT, oxide, cn, NAN, NAN, 300);
    r->idle[4].produced = 1.5;
}


/* A result over any plan: project 0 funded with its first option. */
static ckp_result *fake_like(const ckp_plan *plan)
{
    ckp_result *r = calloc(1, sizeof *r);
    int ny = ckp_plan_n_years(plan);
    int nc = plan->n_commodities;
    int ns = plan->n_stages;
    int np = plan->n_facilities + plan->n_projects;
    r->plan = plan;
    ckp_model_params_init(&r->model_params);
    r->model_params.measure = -1;
    ckp_solve_params_init(&r->solve_params);
    r->budget_total = 100;
    r->shortage_penalty = 10;
    r->status = CKP_MIP_OPTIMAL;
    r->objective_value = 2;
    r->bound = 2;
    r->baseline_objective = 3;
    r->n_years = ny;
    r->n_producers = np;
    r->n_picks = 1;
    r->picks = calloc(1, sizeof *r->picks);
    r->picks[0] = (ckp_pick){0, 0, plan->first_year, plan->first_year + 1, 10, 20};
    r->commitment_total = 10;
    r->capex_total = 20;
    r->private_capital = 10;
    r->spend = dalloc(ny, 0);
    r->budget_limit = dalloc(ny, INFINITY);
    r->production = dalloc(np * ny, 40);
    r->requirement = dalloc(nc * ny, 100);
    r->shortage = dalloc(nc * ny, 0);
    r->exposure = dalloc(nc * ny, 0.4);
    r->baseline_shortage = dalloc(nc * ny, 0);
    r->baseline_exposure = dalloc(nc * ny, 1);
    r->stage_exposure = dalloc(ns * ny, 0.4);
    r->stage_baseline = dalloc(ns * ny, 1);
    r->added_outside = dalloc(ns, 60);
    return r;
}

/* Run a writer into memory. */
typedef ckp_status (*writer)(const ckp_result *, const ckp_report_info *, FILE *);

static ckp_status text_w(const ckp_result *r, const ckp_report_info *i, FILE *f)
{
    (void)i;
    return ckp_report_text(r, f);
}
static ckp_status csv_w(const ckp_result *r, const ckp_report_info *i, FILE *f)
{
    (void)i;
    return ckp_report_csv(r, f);
}

/* Not inlined: GCC's -Wdangling-pointer then mistakes pointers into the
 * returned text for pointers to the local that open_memstream filled. */
static char *capture(writer w, const ckp_result *r, const ckp_report_info *info)
    __attribute__((noinline));
static char *capture(writer w, const ckp_result *r, const ckp_report_info *info)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(w(r, info, f), CKP_OK);
    fclose(f);
    return buf;
}

static const ckp_report_info info = {
    "plans/a \"b\".xml",
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "9.9.9",
    "chokepoint solve 'plans/a \"b\".xml' --budget 600"};

/* Column where the line containing needle has needle's last character. */
static long end_col(const char *text, const char *needle)
{
    const char *at = strstr(text, needle);
    assert_non_null(at);
    const char *bol = at;
    while (bol > text && bol[-1] != '\n') bol--;
    return (long)(at - bol) + (long)strlen(needle);
}

/* ---- text ---- */

static void text_optimal_report(void **state)
{
    (void)state;
    ckp_plan *plan = tricky_plan();
    ckp_result *r = fake_result(plan, CKP_MIP_OPTIMAL);
    char *t = capture(text_w, r, NULL);
    assert_non_null(strstr(t, "Plan: Plan \"A\"\n"));
    assert_non_null(strstr(t, "Horizon: 2026-2030; money in USD m\n"));
    assert_non_null(strstr(t, "Objective: weighted exposure"));
    assert_non_null(strstr(t, "Budget: 600.0 USD m in total\n"));
    assert_non_null(strstr(t, "  status       OPTIMAL (proven, gap 0.00 %)\n"));
    assert_non_null(strstr(t, "  objective    11.500000\n"));
    assert_non_null(strstr(t, "  best bound   11.500000\n"));
    assert_non_null(strstr(t, "  nodes        7\n"));
    assert_non_null(strstr(t, "  pruned       1 funded item that cut no exposure"));
    assert_non_null(strstr(t, "  time         0.250 s (model build 0.010 s)\n"));
    assert_non_null(strstr(t, "Portfolio: 2 projects funded (sources in full"));
    assert_non_null(strstr(t, "  mag1     Magnet, \"Texas\" plant line\\2  magnets     US       loan      "));
    assert_non_null(strstr(t, "eq (equity)"));
    assert_non_null(strstr(t, "Upgrades funded: 1\n"));
    assert_non_null(strstr(t, "30 MW power"));
    /* right-aligned money under its heading (the portfolio table of the
       details; the committee summary above lists the commitments too) */
    const char *det = strstr(t, "\nDetails\n");
    assert_non_null(det);
    assert_int_equal(end_col(det, "commitment USD m"), end_col(det, "200.0"));
    assert_int_equal(end_col(det, "capex USD m"), end_col(det, "300.0"));
    /* budget table: years as columns, "-" where no limit */
    assert_non_null(strstr(t, "Budget used per year (USD m)\n"));
    assert_non_null(strstr(t, "Budget used per year (USD m)\n"
                              "              2026   2027  2028  2029  2030  total\n"
                              "  disbursed  160.0  130.0   0.0   0.0   0.0  290.0\n"
                              "  limit      250.0      -     -     -     -  600.0\n"));
    /* exposure: percentages, "-" when undefined */
    assert_non_null(strstr(t, "  stage                  2026  2027  2028  2029  2030\n"
                              "  mining      baseline      -  90.0  90.0  90.0  90.0\n"
                              "              portfolio  50.0  50.0  50.0  50.0  50.0\n"));
    assert_non_null(strstr(t, "  separation   210\n"));
    assert_non_null(strstr(t, "  magnets      500\n"));
    /* the vocabulary plan has a candidate stockpile: its cost is bank money */
    assert_non_null(strstr(t, "bank commitment (everything funded)                290.0  USD m\n"));
    assert_non_null(strstr(t, "private capital mobilised (private co-financiers)  150.0  USD m\n"));
    assert_non_null(strstr(t, "Shortage: none"));
    /* deterministic */
    char *t2 = capture(text_w, r, NULL);
    assert_string_equal(t, t2);
    free(t2);
    free(t);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

static void text_feasible_never_says_optimal(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/plans/vocabulary.xml");
    ckp_result *r = fake_result(plan, CKP_MIP_FEASIBLE);
    r->solve_params.time_limit = 10;
    r->seconds = 10.01;
    r->bound = 11.13;
    r->gap = 0.0321;
    char *t = capture(text_w, r, NULL);
    assert_non_null(strstr(t, "FEASIBLE - stopped by the time limit (10 s), not "
                              "proven optimal; gap 3.21 %"));
    assert_non_null(strstr(t, "  gap          3.21 %\n"));
    assert_null(strstr(t, "OPTIMAL"));
    assert_null(strstr(t, "(proven"));
    free(t);
    /* a FEASIBLE stop well before the limit is not blamed on it */
    r->seconds = 1.0;
    t = capture(text_w, r, NULL);
    assert_non_null(strstr(t, "FEASIBLE - stopped by the solver, not proven optimal; gap 3.21 %"));
    free(t);

    /* shortage shown when there is one */
    r->shortage[2 * r->n_years + 0] = 123.4;
    t = capture(text_w, r, NULL);
    assert_non_null(strstr(t, "Shortage of final demand (t/yr)\n"));
    assert_non_null(strstr(t, "  magnet     baseline"));
    assert_non_null(strstr(t, "portfolio   123"));
    free(t);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

static void text_without_solution(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/plans/vocabulary.xml");
    const ckp_mip_status sts[] = {CKP_MIP_INFEASIBLE, CKP_MIP_NO_SOLUTION, CKP_MIP_ERROR};
    const char *words[] = {"INFEASIBLE - no portfolio", "NO SOLUTION - stopped by",
                           "ERROR - the solver failed"};
    for (int i = 0; i < 3; i++) {
        ckp_result *r = fake_result(plan, sts[i]);
        char *t = capture(text_w, r, NULL);
        assert_non_null(strstr(t, words[i]));
        assert_non_null(strstr(t, "No portfolio to report."));
        assert_null(strstr(t, "Portfolio:"));
        assert_non_null(strstr(t, "  objective    -\n"));
        assert_null(strstr(t, "OPTIMAL"));
        free(t);
        /* JSON: nulls, empty portfolio, still valid */
        char *j = capture(ckp_report_json, r, &info);
        assert_true(tu_json_valid(j));
        assert_non_null(strstr(j, "\"objective\": null"));
        assert_non_null(strstr(j, "\"portfolio\": []"));
        assert_non_null(strstr(j, "\"proven_optimal\": false"));
        free(j);
        ckp_result_free(r);
    }
    ckp_plan_free(plan);
}


/* The committee summary comes first: budget used of available and what
 * binds (decided from the slack of the total and of each year's limit),
 * the funded items by name and country name, the headline shares in the
 * final year, the exposure, what stays above 50 %; the proof last. */
static void text_committee_summary(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/plans/vocabulary.xml");
    ckp_result *r = fake_result(plan, CKP_MIP_OPTIMAL);
    int ny = r->n_years;
    r->stage_exposure[2 * ny + ny - 1] = 0.6; /* magnets 2030 */
    char *t = capture(text_w, r, NULL);
    const char *cs = strstr(t, "\nCommittee summary\n");
    const char *det = strstr(t, "\nDetails\n");
    const char *proof = strstr(t, "\nProof (solver: GLPK ");
    assert_true(cs && det && proof && cs < det && det < proof);
    /* 290 of 600, 310 left: the cheapest item not funded (the oxide
       reserve, 30) fits, no year limit is used in full (2026: 160 of 250) */
    assert_non_null(strstr(cs, "  Budget: 290.0 of 600.0 USD m committed (48.3 %); what "
                               "binds: nothing: 310.0 USD m left (enough for the cheapest "
                               "item not funded, oxide-reserve at 30.0) and no year limit "
                               "used in full; nothing left is worth funding\n"));
    assert_non_null(strstr(cs, "  Funded: 2 projects, 1 upgrade\n"));
    assert_non_null(strstr(cs, "    Magnet plant  United States  magnets     loan          2028  200.0\n"
                               "    sep2          Malaysia       separation  equity        2028   50.0\n"
                               "    Substation    United States  -           upgrade       2027   40.0\n"));
    assert_non_null(strstr(cs, "  Chokepoint share per stage in 2030, no funding -> with the "
                               "portfolio (%)\n"));
    assert_non_null(strstr(cs, "    magnets     90.0 -> 60.0\n"));
    assert_non_null(strstr(cs, "    mining      90.0 -> 50.0\n"));
    assert_non_null(strstr(cs, "    calm       15.00      11.50  -23 %\n"));
    assert_non_null(strstr(cs, "  A share-year is one commodity's whole requirement"));
    assert_non_null(strstr(cs, "    magnets: 2030 (1 year)\n    policy cap: none"));
    assert_null(strstr(cs, "    mining: "));
    free(t);
    /* the 2026 limit used in full: it binds */
    r->spend[0] = 250;
    t = capture(text_w, r, NULL);
    assert_non_null(strstr(t, "what binds: the year limit of 2026, used in full\n"));
    free(t);
    /* 20 left, less than the reserve's 30: the total binds too */
    r->budget_total = 310;
    r->commitment_total = 290;
    t = capture(text_w, r, NULL);
    assert_non_null(strstr(t, "what binds: the total budget (20.0 USD m left, less than the "
                              "cheapest item not funded, oxide-reserve at 30.0) and the year "
                              "limit of 2026, used in full\n"));
    free(t);
    char *js = capture(ckp_report_json, r, &info);
    assert_true(tu_json_valid(js));
    assert_non_null(strstr(js, "\"schema_version\": 2,\n  \"summary\": {\n    \"budget\": {\n"
                               "      \"available\": 310,\n      \"used\": 290,\n"
                               "      \"left\": 20,\n"));
    assert_non_null(strstr(js, "\"binds\": \"total-and-year-limit\""));
    assert_non_null(strstr(js, "\"year_limits_used_in_full\": [\n        2026\n      ]"));
    assert_non_null(strstr(js, "\"country_name\": \"Malaysia\""));
    assert_non_null(strstr(js, "\"exposed\": [\n      {\n        \"stage\": \"magnets\",\n"
                               "        \"years\": [\n          2030\n        ]"));
    free(js);
    result_free(r);
    ckp_plan_free(plan);
}


/* report.html: one self-contained page written through libxml2's writer:
 * no script, no external reference, the committee summary first with its
 * figures tagged for the browser test, the charts, the proof; with no
 * portfolio only the status. */
static ckp_status html_w(const ckp_result *r, const ckp_report_info *i, FILE *f)
{
    return ckp_report_html(r, i, f);
}

static void html_report(void **state)
{
    (void)state;
    ckp_plan *plan = tricky_plan();
    ckp_result *r = fake_result(plan, CKP_MIP_OPTIMAL);
    char *t = capture(html_w, r, &info);
    assert_true(strncmp(t, "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"/>",
                        strlen("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"/>")) == 0);
    assert_null(strstr(t, "<script"));
    assert_null(strstr(t, "src="));
    assert_null(strstr(t, "href=\"http"));
    assert_null(strstr(t, "url("));
    assert_null(strstr(t, "<link"));
    /* the name with quotes and a newline, escaped by the writer */
    assert_non_null(strstr(t, "<td>Magnet, &quot;Texas&quot; plant\nline\\2<sup>"));
    assert_non_null(strstr(t, "<h1>Plan &quot;A&quot;</h1>"));
    assert_non_null(strstr(t, "data-json=\"summary.budget.used\" data-value=\"290\">290.0</b>"));
    assert_non_null(strstr(t, "data-json=\"summary.funded.1.commitment\" data-value=\"50\">50.0</td>"));
    assert_non_null(strstr(t, "data-json=\"summary.headline.2.cases.0.portfolio_share\" "
                              "data-value=\"0.5\">50.0 %</td>"));
    assert_non_null(strstr(t, "data-json=\"status.nodes\" data-value=\"7\">7</td>"));
    const char *ids[] = {"id=\"summary\"", "id=\"funded\"", "id=\"headline\"",
                         "id=\"exposure\"", "id=\"exposed\"", "id=\"chart-supply-final\"",
                         "id=\"chart-supply-time\"", "id=\"chart-gantt\"", "id=\"chart-budget\"",
                         "id=\"chart-shortage\"", "id=\"proof\"", "id=\"note1\""};
    const char *last = t;
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
        const char *at = strstr(t, ids[i]);
        assert_non_null(at);
        assert_true(at > last); /* in this order: summary first, proof last */
        last = at;
    }
    /* HTML elements are never self-closed (<div/> would open a div) */
    assert_null(strstr(t, "<td/>"));
    assert_null(strstr(t, "<th/>"));
    assert_null(strstr(t, "<p/>"));
    char *t2 = capture(html_w, r, &info);
    assert_string_equal(t, t2); /* deterministic: no wall-clock time */
    free(t2);
    free(t);
    ckp_result_free(r);
    r = fake_result(plan, CKP_MIP_INFEASIBLE);
    t = capture(html_w, r, &info);
    assert_non_null(strstr(t, "INFEASIBLE - no portfolio satisfies the constraints"));
    assert_null(strstr(t, "<svg"));
    free(t);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* ---- CSV ---- */

static void csv_quoting(void **state)
{
    (void)state;
    ckp_plan *plan = tricky_plan();
    ckp_result *r = fake_result(plan, CKP_MIP_OPTIMAL);
    char *c = capture(csv_w, r, NULL);
    assert_string_equal(c,
        "project,name,stage,country,country_name,option,instrument,start,online,"
        "capacity_t_per_year,commitment_usd_m,capex_usd_m,private_capital_usd_m,"
        "public_cofinance_usd_m,multilateral_cofinance_usd_m,source\n"
        "mag1,\"Magnet, \"\"Texas\"\" plant\nline\\2\",magnets,US,United States,loan,loan,"
        "2026,2028,500,200,300,0,0,0,example\n"
        "sep2,,separation,MY,Malaysia,eq,equity,2027,2028,300,50,100,0,0,0,\n");
    free(c);
    ckp_result_free(r);
    ckp_plan_free(plan);

    /* the field rule itself */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    rep_csv_str(f, "plain");
    fputc('|', f);
    rep_csv_str(f, " lead");
    fputc('|', f);
    rep_csv_str(f, "a\r\nb");
    fputc('|', f);
    rep_csv_str(f, "\"");
    fputc('|', f);
    rep_csv_str(f, NULL);
    fputc('|', f);
    rep_csv_num(f, NAN);
    fputc('|', f);
    rep_csv_num(f, -1e-12);
    fputc('|', f);
    rep_csv_num(f, 0.1 + 0.2);
    fclose(f);
    assert_string_equal(buf, "plain|\" lead\"|\"a\r\nb\"|\"\"\"\"|||0|0.3");
    free(buf);
}

/* ---- JSON ---- */

static void json_content_and_escaping(void **state)
{
    (void)state;
    ckp_plan *plan = tricky_plan();
    ckp_result *r = fake_result(plan, CKP_MIP_OPTIMAL);
    r->budget_total = INFINITY;
    const char *force[] = {"mag1"};
    r->model_params.force = force;
    r->model_params.n_force = 1;
    r->model_params.budget_total = 700;
    char *j = capture(ckp_report_json, r, &info);
    assert_true(tu_json_valid(j));
    assert_non_null(strstr(j, "\"name\": \"Magnet, \\\"Texas\\\" plant\\nline\\\\2\""));
    assert_non_null(strstr(j, "\"path\": \"plans/a \\\"b\\\".xml\""));
    assert_non_null(strstr(j, "\"sha256\": \"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad\""));
    assert_non_null(strstr(j, "\"version\": \"9.9.9\""));
    assert_non_null(strstr(j, "\"command_line\": \"chokepoint solve 'plans/a \\\"b\\\".xml' --budget 600\""));
    assert_non_null(strstr(j, "\"name\": \"GLPK\""));
    assert_non_null(strstr(j, "\"budget_total\": null"));
    assert_non_null(strstr(j, "\"budget_total_override\": 700"));
    assert_non_null(strstr(j, "\"force\": [\n        \"mag1\"\n      ]"));
    assert_non_null(strstr(j, "\"exclude\": []"));
    assert_non_null(strstr(j, "\"mip_status\": \"optimal\""));
    assert_non_null(strstr(j, "\"objective\": 11.5"));
    assert_non_null(strstr(j, "\"timing\": {\n    \"solve_seconds\": 0.25,\n"
                              "    \"build_seconds\": 0.01,\n"
                              "    \"post_solve_seconds\": 0.125,\n"
                              "    \"lex_stage1_seconds\": null,\n"
                              "    \"lex_stage2_seconds\": null,\n"
                              "    \"lex_stage3_seconds\": null\n  }"));
    assert_non_null(strstr(j, "\"pruned\": 1,"));
    assert_non_null(strstr(j, "\"private_capital\": 150"));
    assert_non_null(strstr(j, "\"limit\": null"));
    /* no requirement: share is null, not 0 or NaN */
    assert_non_null(strstr(j, "\"requirement\": 0,\n          \"baseline_share\": null,\n"
                              "          \"portfolio_share\": null"));
    /* no NaN or infinity as a value ("nan" inside a word, e.g.
       "cofinance", is fine) */
    for (const char *bad = j; (bad = strstr(bad, "nan")) != NULL; bad++)
        assert_true(bad > j && isalpha((unsigned char)bad[-1]) && isalpha((unsigned char)bad[3]));
    for (const char *bad = j; (bad = strstr(bad, "inf")) != NULL; bad++)
        assert_true(bad > j && isalpha((unsigned char)bad[3]));
    /* timing appears once, as the only wall-clock object */
    assert_null(strstr(strstr(j, "\"timing\"") + 1, "\"timing\""));
    free(j);

    /* control characters and invalid UTF-8 are escaped */
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    jw_escape(f, "a\x01\t\"\\\xc3\xa9\xff");
    fclose(f);
    assert_string_equal(buf, "\"a\\u0001\\t\\\"\\\\\xc3\xa9\\ufffd\"");
    assert_true(tu_json_valid(buf));
    free(buf);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* ---- the --out directory ---- */

/* Number of entries in dir (without . and ..); names joined into list. */
static int dir_entries(const char *dir, char *list, size_t size)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    int n = 0;
    if (list) list[0] = '\0';
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        n++;
        if (list) {
            size_t k = strlen(list);
            snprintf(list + k, size - k, "%s ", e->d_name);
        }
    }
    closedir(d);
    return n;
}

static char *slurp(const char *dir, const char *name)
{
    char p[1100];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    return tu_read_file(p, NULL);
}

static int starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void outdir_writes_four_files(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/plans/vocabulary.xml");
    ckp_result *r = fake_result(plan, CKP_MIP_OPTIMAL);
    char *base = tu_tmpdir("report");
    char dir[512];
    snprintf(dir, sizeof dir, "%s/out", base); /* created: one level */
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_report_write_dir(r, &info, dir, &d), CKP_OK);
    assert_int_equal(d.n, 0);
    char list[512];
    /* three tables, summary.json, report.html, datapackage.json,
       README.txt, stockpiles.csv (the plan has a candidate) and the
       scorecard's three tables */
    assert_int_equal(dir_entries(dir, list, sizeof list), 11);
    char *sp = slurp(dir, "stockpiles.csv");
    assert_string_equal(sp, "stockpile,name,commodity,bought,cost_usd_m,stock_t,"
                            "release_limit_t_per_year,scenario,year,released_t_per_year\n");
    free(sp);
    char *pf = slurp(dir, "portfolio.csv");
    char *want = capture(csv_w, r, NULL);
    assert_string_equal(pf, want);
    free(pf);
    free(want);
    char *js = slurp(dir, "summary.json");
    want = capture(ckp_report_json, r, &info);
    assert_string_equal(js, want);
    assert_true(tu_json_valid(js));
    free(js);
    free(want);
    char *pr = slurp(dir, "production.csv");
    assert_true(starts_with(pr, "producer,kind,country,country_name,commodity,year,"
                                "production_t_per_year\n"
                                "cn-mine,existing,CN,China,conc,2026,100\n"
                                "cn-mine,existing,CN,China,conc,2027,101\n"));
    /* funded projects only: sep1 (not funded) absent */
    assert_non_null(strstr(pr, "mag1,project,US,United States,magnet,2026,115\n"));
    assert_non_null(strstr(pr, "sep2,project,MY,Malaysia,oxide,2030,129\n"));
    assert_null(strstr(pr, "sep1"));
    free(pr);
    char *ex = slurp(dir, "exposure.csv");
    assert_true(starts_with(ex, "commodity,stage,year,requirement_t_per_year,baseline_share,"
                                "portfolio_share,baseline_shortage_t_per_year,"
                                "shortage_t_per_year\n"
                                "conc,mining,2026,0,,,0,0\n"
                                "conc,mining,2027,1000,0.9,0.5,0,0\n"));
    free(ex);
    /* mode of new files: readable like any file the user creates */
    struct stat st;
    char p[600];
    snprintf(p, sizeof p, "%s/summary.json", dir);
    assert_int_equal(stat(p, &st), 0);
    mode_t mask = umask(0);
    umask(mask);
    assert_int_equal(st.st_mode & 0777, 0666 & ~mask);

    /* a second run replaces the files whole */
    r->objective_value = 9.25;
    assert_int_equal(ckp_report_write_dir(r, &info, dir, &d), CKP_OK);
    js = slurp(dir, "summary.json");
    assert_non_null(strstr(js, "\"objective\": 9.25"));
    free(js);
    assert_int_equal(dir_entries(dir, NULL, 0), 11);
    ckp_diag_list_fini(&d);
    tu_tmp_remove(base);
    free(base);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

static void outdir_unwritable(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/plans/vocabulary.xml");
    ckp_result *r = fake_result(plan, CKP_MIP_OPTIMAL);
    char *base = tu_tmpdir("report");
    char path[512];
    ckp_diag_list d;
    ckp_diag_list_init(&d);

    /* DIR cannot be created: its parent is a regular file */
    snprintf(path, sizeof path, "%s/file", base);
    FILE *f = fopen(path, "w");
    fputs("x", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/file/out", base);
    assert_int_equal(ckp_report_write_dir(r, &info, path, &d), CKP_EIO);
    assert_int_equal(d.n_errors, 1);
    char *t = tu_diag_text(&d);
    assert_non_null(strstr(t, "/file/out: error: cannot create output directory: Not a directory"));
    free(t);
    assert_int_equal(dir_entries(base, NULL, 0), 1);

    /* DIR is a regular file */
    snprintf(path, sizeof path, "%s/file", base);
    assert_int_equal(ckp_report_write_dir(r, &info, path, &d), CKP_EIO);
    assert_int_equal(d.n_errors, 2);

    /* one target is a directory: nothing renamed, no temporary left */
    snprintf(path, sizeof path, "%s/out", base);
    assert_int_equal(mkdir(path, 0777), 0);
    snprintf(path, sizeof path, "%s/out/exposure.csv", base);
    assert_int_equal(mkdir(path, 0777), 0);
    snprintf(path, sizeof path, "%s/out", base);
    assert_int_equal(ckp_report_write_dir(r, &info, path, &d), CKP_EIO);
    char list[512];
    assert_int_equal(dir_entries(path, list, sizeof list), 1);
    assert_string_equal(list, "exposure.csv ");
    ckp_diag_list_fini(&d);
    tu_tmp_remove(base);
    free(base);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* Every step (11 creates, 11 closes, 11 renames: three tables,
 * summary.json, report.html, datapackage.json, README.txt, stockpiles.csv
 * and the scorecard's three tables) failing in
 * turn: CKP_EIO, no temporary left; before the
 * first rename nothing at all, and a directory created by the call is
 * removed again; earlier content survives. */
static void outdir_every_io_failure(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/plans/vocabulary.xml");
    ckp_result *r = fake_result(plan, CKP_MIP_OPTIMAL);
    char *base = tu_tmpdir("report");
    char dir[512];
    char list[512];
    for (int k = 1; k <= 33; k++) {
        snprintf(dir, sizeof dir, "%s/run%d", base, k);
        ckp_diag_list d;
        ckp_diag_list_init(&d);
        ckp_atomic_fail_after(k);
        ckp_status st = ckp_report_write_dir(r, &info, dir, &d);
        ckp_atomic_fail_after(0);
        assert_int_equal(st, CKP_EIO);
        assert_int_equal(d.n_errors, 1);
        char *t = tu_diag_text(&d);
        assert_non_null(strstr(t, "Input/output error"));
        free(t);
        int n = dir_entries(dir, list, sizeof list);
        if (k <= 23) {
            assert_int_equal(n, -1); /* no directory left */
        } else {
            assert_int_equal(n, k - 23); /* renamed before the failure */
            assert_null(strstr(list, ".tmp"));
        }
        ckp_diag_list_fini(&d);
    }
    /* a failed rewrite keeps the previous files intact */
    snprintf(dir, sizeof dir, "%s/keep", base);
    assert_int_equal(ckp_report_write_dir(r, &info, dir, NULL), CKP_OK);
    char *before = slurp(dir, "summary.json");
    r->objective_value = 1.0;
    for (int k = 1; k <= 21; k++) {
        ckp_atomic_fail_after(k);
        assert_int_equal(ckp_report_write_dir(r, &info, dir, NULL), CKP_EIO);
        ckp_atomic_fail_after(0);
        char *after = slurp(dir, "summary.json");
        assert_string_equal(before, after);
        free(after);
        assert_int_equal(dir_entries(dir, NULL, 0), 11);
    }
    free(before);
    tu_tmp_remove(base);
    free(base);
    ckp_result_free(r);
    ckp_plan_free(plan);
}

/* What the CLI's signal handler does: every live temporary disappears,
 * committed files stay. */
static void atomic_unlink_active(void **state)
{
    (void)state;
    char *base = tu_tmpdir("report");
    char p[600];
    ckp_atomic_file a;
    ckp_atomic_file b;
    ckp_atomic_file c;
    snprintf(p, sizeof p, "%s/a.csv", base);
    assert_int_equal(ckp_atomic_open(&a, p, NULL), CKP_OK);
    snprintf(p, sizeof p, "%s/b.csv", base);
    assert_int_equal(ckp_atomic_open(&b, p, NULL), CKP_OK);
    snprintf(p, sizeof p, "%s/c.csv", base);
    assert_int_equal(ckp_atomic_open(&c, p, NULL), CKP_OK);
    fputs("x\n", a.f);
    fputs("y\n", c.f);
    assert_int_equal(ckp_atomic_close(&c, NULL), CKP_OK);
    assert_int_equal(ckp_atomic_commit(&c, NULL), CKP_OK);
    assert_int_equal(dir_entries(base, NULL, 0), 3);
    ckp_atomic_unlink_active();
    char list[256];
    assert_int_equal(dir_entries(base, list, sizeof list), 1);
    assert_string_equal(list, "c.csv ");
    ckp_atomic_discard(&a);
    ckp_atomic_discard(&b);
    ckp_atomic_discard(NULL);
    ckp_atomic_unlink_active(); /* nothing left to remove */
    assert_int_equal(dir_entries(base, NULL, 0), 1);
    tu_tmp_remove(base);
    free(base);
}

/* Allocation failures inside ckp_atomic_open leave nothing behind and
 * never touch a file they did not create. */
static void atomic_open_out_of_memory(void **state)
{
    (void)state;
    char *base = tu_tmpdir("report");
    char keep[600];
    snprintf(keep, sizeof keep, "%s/keep.txt", base);
    FILE *f = fopen(keep, "w");
    fputs("keep", f);
    fclose(f);
    char p[600];
    snprintf(p, sizeof p, "%s/new.csv", base);
    for (int k = 1; k <= 2; k++) {
        ckp_atomic_file a;
        ckp_alloc_fail_after(k);
        ckp_status st = ckp_atomic_open(&a, p, NULL);
        ckp_alloc_fail_after(0);
        assert_int_equal(st, CKP_ENOMEM);
        assert_null(a.tmp_path);
        assert_null(a.f);
        ckp_atomic_discard(&a);
        assert_int_equal(dir_entries(base, NULL, 0), 1);
    }
    tu_tmp_remove(base);
    free(base);
}

static void outdir_out_of_memory(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/plans/vocabulary.xml");
    ckp_result *r = fake_result(plan, CKP_MIP_OPTIMAL);
    char *base = tu_tmpdir("report");
    char dir[512];
    int ok = 0;
    for (int k = 1; k < 200 && !ok; k++) {
        snprintf(dir, sizeof dir, "%s/m%d", base, k);
        ckp_diag_list d;
        ckp_diag_list_init(&d);
        ckp_alloc_fail_after(k);
        ckp_status st = ckp_report_write_dir(r, &info, dir, &d);
        ckp_alloc_fail_after(0);
        ckp_diag_list_fini(&d);
        if (st == CKP_OK) {
            ok = 1;
            assert_int_equal(dir_entries(dir, NULL, 0), 11);
        } else {
            assert_true(st == CKP_ENOMEM || st == CKP_EIO);
            assert_int_equal(dir_entries(dir, NULL, 0), -1);
        }
    }
    assert_true(ok);
    tu_tmp_remove(base);
    free(base);
    ckp_result_free(r);
    ckp_plan_free(plan);
}


/* ---- scenarios and stockpiles ---- */

static void text_scenarios(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/plans/vocabulary.xml");
    ckp_result *r = fake_result(plan, CKP_MIP_OPTIMAL);
    add_scenarios(r);
    char *t = capture(text_w, r, NULL);
    assert_non_null(strstr(t, "Scenarios: 2, measure expected (tables are "
                              "probability-weighted expectations"));
    assert_non_null(strstr(t, "baseline = no project funded), probability-weighted "
                              "expectation over the scenarios\n"));
    /* the stockpile beside the portfolio */
    assert_non_null(strstr(t, "\nStockpiles bought: 1\n"
                              "  stockpile      name                commodity  tonnes  "
                              "release t/yr  from  cost USD m  source\n"
                              "  oxide-reserve  NdPr oxide reserve  oxide         200"
                              "           100  2027        30.0  example\n"));
    /* the section comes last, after the concentration table */
    char *sec = strstr(t, "\nScenarios: 2, measure expected (the objective is the "
                          "probability-weighted sum of the scenario values); the "
                          "per-stage, shortage and concentration tables above are "
                          "probability-weighted expectations over the scenarios\n");
    assert_non_null(sec);
    assert_null(strstr(sec, "Capacity added outside"));
    /* one row per scenario, the weighted row (0.7 x 1.5 + 0.3 x 4.25 =
       2.325; 0.7 x 2.5 + 0.3 x 9.75 = 4.675; shortage 0.3 x 100 = 30 t)
       and the worst scenario */
    assert_non_null(strstr(sec, "  scenario  name                                     "
                                "probability %     value  baseline value  shortage t  "
                                "baseline shortage t  idle project-years\n"
                                "  calm      No disruption                                     "
                                "70.0  1.500000        2.500000           0                    "
                                "0                   0\n"
                                "  squeeze   Oxide export cut and magnet price crash           "
                                "30.0  4.250000        9.750000         100                  "
                                "400                   5\n"
                                "  expected  probability-weighted                             "
                                "100.0  2.325000        4.675000          30                  "
                                "120                   -\n"));
    assert_non_null(strstr(sec, "  worst scenario with the portfolio: squeeze (value 4.250000)\n"));
    /* per scenario: value, stage table, shortage, releases, idle */
    char *sq = strstr(sec, "\nScenario squeeze: Oxide export cut and magnet price crash "
                           "(probability 30.0 %)\n"
                           "  value 4.250000 share-years with the portfolio, 9.750000 "
                           "baseline\n"
                           "  Chokepoint share per stage (%)\n"
                           "    stage                  2026  2027  2028  2029  2030\n"
                           "    mining      baseline   90.0  90.0  90.0  90.0  90.0\n"
                           "                portfolio  20.0  21.0  22.0  23.0  24.0\n");
    assert_non_null(sq);
    assert_non_null(strstr(sq, "  Shortage of final demand (t/yr)\n"
                               "    commodity             2026  2027  2028  2029  2030\n"
                               "    magnet     baseline      0     0     0     0   400\n"
                               "               portfolio     0     0     0    50    50\n"));
    assert_non_null(strstr(sq, "  Stockpile releases (t/yr)\n"
                               "    stockpile      2026  2027  2028  2029  2030  total\n"
                               "    oxide-reserve     0     0   100   100     0    200\n"));
    /* consecutive years with the same reason form one line; a gap starts
       another */
    assert_non_null(strstr(sq, "    mag1 (Magnet plant) idle 2027-2028: NdFeB magnet price "
                               "60,000 < breakeven 80,000 USD/t and its loan carries no "
                               "price support\n"
                               "    mag1 (Magnet plant) idle 2030: NdFeB magnet price "
                               "60,000 < breakeven 80,000 USD/t and its loan carries no "
                               "price support\n"
                               "    sep2 idle 2028-2029: export restriction on NdPr oxide "
                               "from CN upstream\n"));
    char *calm = strstr(sec, "\nScenario calm: No disruption (probability 70.0 %)\n");
    assert_non_null(calm);
    assert_true(calm < sq);
    assert_non_null(strstr(calm, "  Shortage: none with the portfolio\n"
                                 "  Stockpile releases: none\n"
                                 "  Idle funded projects: none\n"));
    /* deterministic */
    char *t2 = capture(text_w, r, NULL);
    assert_string_equal(t, t2);
    free(t2);
    free(t);

    /* worst-case measure: the headline says so */
    r->measure = CKP_MEASURE_WORST;
    t = capture(text_w, r, NULL);
    assert_non_null(strstr(t, "Scenarios: 2, measure worst-case (tables are"));
    assert_non_null(strstr(t, "\nScenarios: 2, measure worst-case (the objective is the "
                              "largest scenario value: min over portfolios of the max "
                              "over scenarios)"));
    free(t);

    /* one scenario alone (--scenario squeeze) */
    free_scen(r);
    add_scenarios(r);
    r->n_scenarios = 1;
    r->scenario_plan[0] = 1;
    r->scenario_prob[0] = 1;
    r->n_idle = 0;
    r->model_params.scenario = "squeeze";
    t = capture(text_w, r, NULL);
    assert_non_null(strstr(t, "Scenario: squeeze alone (the one scenario chosen), probability 1, "
                              "of the plan's 2\n"));
    assert_non_null(strstr(t, "\nScenario squeeze alone (the one scenario chosen: probability 1; the "
                              "tables above are this scenario's)\n"));
    assert_null(strstr(t, "probability-weighted"));
    assert_null(strstr(t, "worst scenario"));
    assert_null(strstr(t, "calm"));
    free(t);
    result_free(r);
    ckp_plan_free(plan);
}

/* The price and breakeven of an idle entry in words, and the grouping
 * of large numbers. */
static void idle_reason_words(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/plans/vocabulary.xml");
    ckp_result *r = fake_result(plan, CKP_MIP_OPTIMAL);
    int mag1 = ckp_plan_find_project(plan, "mag1");
    int sep2 = ckp_plan_find_project(plan, "sep2");
    int conc = ckp_plan_find_commodity(plan, "conc");
    int my = ckp_plan_find_country(plan, "MY");
    char b[512];
    ckp_idle e = idle_entry(0, mag1, 2028, CKP_IDLE_PRICE, 2, -1, 1234567.5, 99.5, 1);
    rep_idle_words(r, &e, b, sizeof b);
    assert_string_equal(b, "NdFeB magnet price 1,234,568 < breakeven 99.50 USD/t and "
                           "its loan carries no price support");
    /* an option whose id is not the instrument's name */
    r->picks[1].option = 0;
    e = idle_entry(0, sep2, 2028, CKP_IDLE_PRICE, conc, -1, 0, 100, 1);
    rep_idle_words(r, &e, b, sizeof b);
    assert_string_equal(b, "RE concentrate (REO) price 0 < breakeven 100 USD/t and its "
                           "option 'eq' (equity) carries no price support");
    e = idle_entry(0, sep2, 2028, CKP_IDLE_OWN_EXPORT, -1, my, NAN, NAN, 1);
    rep_idle_words(r, &e, b, sizeof b);
    assert_string_equal(b, "export restriction by MY, its own country, on its output");
    e = idle_entry(0, sep2, 2028, CKP_IDLE_INPUT, conc, -1, NAN, NAN, 1);
    rep_idle_words(r, &e, b, sizeof b);
    assert_string_equal(b, "its input RE concentrate (REO) is short (no export "
                           "restriction on it)");
    e = idle_entry(0, sep2, 2028, CKP_IDLE_NOT_NEEDED, -1, -1, NAN, NAN, 1);
    rep_idle_words(r, &e, b, sizeof b);
    assert_string_equal(b, "not needed: demand is met without it");
    rep_grouped(b, sizeof b, -75000);
    assert_string_equal(b, "-75,000");
    rep_grouped(b, sizeof b, 999.4);
    assert_string_equal(b, "999");
    rep_grouped(b, sizeof b, 12);
    assert_string_equal(b, "12");
    rep_grouped(b, sizeof b, NAN);
    assert_string_equal(b, "-");
    result_free(r);
    ckp_plan_free(plan);
}

static void json_scenarios(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/plans/vocabulary.xml");
    ckp_result *r = fake_result(plan, CKP_MIP_OPTIMAL);
    add_scenarios(r);
    r->model_params.measure = CKP_MEASURE_EXPECTED;
    char *j = capture(ckp_report_json, r, &info);
    assert_true(tu_json_valid(j));
    assert_non_null(strstr(j, "\"scenario_measure\": \"expected\",\n"
                              "      \"scenario_measure_override\": \"expected\",\n"
                              "      \"scenario\": null,\n"
                              "      \"no_scenarios\": false\n"));
    assert_non_null(strstr(j, "\"stockpiles\": [\n    {\n      \"stockpile\": \"oxide-reserve\",\n"
                              "      \"name\": \"NdPr oxide reserve\",\n"
                              "      \"commodity\": \"oxide\",\n      \"tonnes\": 200,\n"
                              "      \"release\": 100,\n      \"year\": 2027,\n"
                              "      \"cost\": 30,\n      \"source\": \"example\",\n"
                              "      \"releases\": [\n        {\n"
                              "          \"scenario\": \"squeeze\",\n"
                              "          \"year\": 2028,\n          \"tonnes\": 100\n"));
    char *sc = strstr(j, "\n  \"scenario_measure\": \"expected\",\n  \"scenarios\": [\n");
    assert_non_null(sc);
    assert_non_null(strstr(sc, "\"scenario\": \"calm\",\n      \"name\": \"No disruption\",\n"
                               "      \"probability\": 0.7,\n      \"source\": \"example\",\n"
                               "      \"value\": 1.5,\n      \"baseline_value\": 2.5,\n"
                               "      \"shortage_tonnes\": 0,\n"
                               "      \"baseline_shortage_tonnes\": 0,\n"));
    char *sq = strstr(sc, "\"scenario\": \"squeeze\"");
    assert_non_null(sq);
    assert_non_null(strstr(sq, "\"shortage_tonnes\": 100,\n"
                               "      \"baseline_shortage_tonnes\": 400,\n"));
    assert_non_null(strstr(sq, "\"year\": 2029,\n              \"baseline_share\": 0.9,\n"
                               "              \"portfolio_share\": 0.23\n"));
    assert_non_null(strstr(sq, "\"releases\": [\n        {\n"
                               "          \"stockpile\": \"oxide-reserve\",\n"
                               "          \"year\": 2028,\n          \"tonnes\": 100\n"));
    assert_non_null(strstr(sq, "\"project\": \"mag1\",\n          \"year\": 2027,\n"
                               "          \"reason\": \"price\",\n"
                               "          \"explanation\": \"NdFeB magnet price 60,000 < "
                               "breakeven 80,000 USD/t and its loan carries no price "
                               "support\",\n"
                               "          \"commodity\": \"magnet\",\n"
                               "          \"country\": null,\n          \"price\": 60000,\n"
                               "          \"breakeven\": 80000,\n"
                               "          \"capacity\": 250,\n          \"produced\": 0\n"));
    assert_non_null(strstr(sq, "\"project\": \"sep2\",\n          \"year\": 2029,\n"));
    assert_non_null(strstr(sq, "\"country\": \"CN\",\n          \"price\": null,\n"));
    /* calm has no idle entry, squeeze five */
    char *calm_idle = strstr(sc, "\"idle\": []");
    assert_non_null(calm_idle);
    assert_true(calm_idle < sq);
    free(j);

    /* --no-scenarios: the implicit scenario, but the choice is recorded */
    free_scen(r);
    implicit_scenario(r);
    r->model_params.measure = -1;
    r->model_params.no_scenarios = 1;
    j = capture(ckp_report_json, r, &info);
    assert_true(tu_json_valid(j));
    assert_non_null(strstr(j, "\"scenario_measure_override\": null,\n"
                              "      \"scenario\": null,\n"
                              "      \"no_scenarios\": true\n"));
    assert_null(strstr(j, "\"scenarios\""));
    assert_non_null(strstr(j, "\"stockpiles\": []"));
    free(j);
    result_free(r);
    ckp_plan_free(plan);
}

/* A result without the plan's scenarios (none in the plan, or
 * --no-scenarios) reports what it reported before scenarios existed: the
 * same text, JSON and CSV with its one implicit scenario as with none. */
static void no_scenarios_unchanged(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/cli/tiny.xml");
    assert_int_equal(plan->n_scenarios, 0);
    assert_int_equal(plan->n_stockpiles, 0);
    ckp_result *a = fake_like(plan);
    ckp_result *b = fake_like(plan);
    implicit_scenario(b);
    /* the implicit scenario's value is the objective (2) and the
       baseline's (3), as in a real run: the committee summary shows them */
    b->scen_value = dalloc(1, 2.0);
    b->scen_baseline_value = dalloc(1, 3.0);
    b->n_idle = 1;
    b->idle = calloc(1, sizeof *b->idle);
    b->idle[0] = idle_entry(0, 0, 2026, CKP_IDLE_NOT_NEEDED, -1, -1, NAN, NAN, 1);
    writer ws[] = {text_w, csv_w, ckp_report_json};
    for (int i = 0; i < 3; i++) {
        char *x = capture(ws[i], a, &info);
        char *y = capture(ws[i], b, &info);
        assert_string_equal(x, y);
        assert_null(strstr(x, "cenario"));
        assert_null(strstr(x, "tockpile"));
        assert_null(strstr(x, "idle"));
        free(x);
        free(y);
    }
    char *base = tu_tmpdir("report");
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_report_write_dir(b, &info, base, &d), CKP_OK);
    char list[512];
    /* 3 tables, summary.json, report.html, datapackage.json, README.txt,
       the scorecard's three tables */
    assert_int_equal(dir_entries(base, list, sizeof list), 10);
    assert_null(strstr(list, "scenarios.csv"));
    assert_null(strstr(list, "idle.csv"));
    assert_null(strstr(list, "stockpiles.csv"));
    ckp_diag_list_fini(&d);
    tu_tmp_remove(base);
    free(base);
    result_free(a);
    result_free(b);
    ckp_plan_free(plan);
}

static void csv_scenarios_idle_stockpiles(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/plans/vocabulary.xml");
    ckp_result *r = fake_result(plan, CKP_MIP_OPTIMAL);
    add_scenarios(r);
    int cn = ckp_plan_find_country(plan, "CN");
    r->max_share = 0.65;
    r->cap_penalty = 100;
    r->n_caps = 2;
    r->caps = calloc(2, sizeof *r->caps);
    r->caps[0] = (ckp_cap_check){0, 1, cn, 2027, 0.6, 0, 0};
    r->caps[1] = (ckp_cap_check){1, 1, cn, 2028, 0.8, 0.15, 150};
    r->n_caps_missed = 1;
    char *base = tu_tmpdir("report");
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_report_write_dir(r, &info, base, &d), CKP_OK);
    char list[512];
    /* three tables, summary.json, report.html, datapackage.json,
       README.txt, policy.csv, scenarios.csv, idle.csv, stockpiles.csv and
       the scorecard's three tables */
    assert_int_equal(dir_entries(base, list, sizeof list), 14);
    char *sc = slurp(base, "scenarios.csv");
    assert_true(starts_with(sc, "scenario,probability,stage,year,baseline_share,"
                                "portfolio_share,baseline_shortage_t_per_year,"
                                "shortage_t_per_year\n"
                                "calm,0.7,mining,2026,0.9,0.1,0,0\n"));
    assert_non_null(strstr(sc, "squeeze,0.3,magnets,2029,0.9,0.23,0,50\n"
                               "squeeze,0.3,magnets,2030,0.9,0.24,400,50\n"));
    /* 2 scenarios x 3 stages x 5 years + the header */
    int lines = 0;
    for (char *c = sc; *c; c++) lines += *c == '\n';
    assert_int_equal(lines, 31);
    free(sc);
    char *id = slurp(base, "idle.csv");
    assert_true(starts_with(id, "scenario,project,year,reason,commodity,country,"
                                "country_name,price_usd_per_t,breakeven_usd_per_t,"
                                "capacity_t_per_year,produced_t_per_year\n"
                                "squeeze,mag1,2027,price,magnet,,,60000,80000,250,0\n"
                                "squeeze,mag1,2028,price,magnet,,,60000,80000,500,0\n"
                                "squeeze,mag1,2030,price,magnet,,,60000,80000,500,0\n"
                                "squeeze,sep2,2028,"));
    assert_non_null(strstr(id, ",oxide,CN,China,,,300,1.5\n"));
    free(id);
    char *sp = slurp(base, "stockpiles.csv");
    assert_true(starts_with(sp, "stockpile,name,commodity,bought,cost_usd_m,stock_t,"
                                "release_limit_t_per_year,scenario,year,"
                                "released_t_per_year\n"
                                "oxide-reserve,NdPr oxide reserve,oxide,2027,30,200,100,"
                                "calm,2026,0\n"));
    assert_non_null(strstr(sp, "oxide-reserve,NdPr oxide reserve,oxide,2027,30,200,100,"
                               "squeeze,2028,100\n"));
    free(sp);
    char *po = slurp(base, "policy.csv");
    assert_string_equal(po, "scenario,stage,commodity,country,country_name,year,share,"
                            "cap,missed_by,missed_t_per_year\n"
                            "calm,separation,oxide,CN,China,2027,0.6,0.65,0,0\n"
                            "squeeze,separation,oxide,CN,China,2028,0.8,0.65,0.15,150\n");
    free(po);
    /* the text policy table names the scenario too */
    char *t = capture(text_w, r, NULL);
    assert_non_null(strstr(t, "  scenario  stage       commodity  country  year  share %"));
    assert_non_null(strstr(t, "  squeeze   separation  oxide      CN       2028     80.0"));
    free(t);
    /* without the plan's scenarios: no scenario column */
    free_scen(r);
    implicit_scenario(r);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(rep_csv_table(r, rep_table_find("policy.csv"), f), CKP_OK);
    fclose(f);
    assert_true(starts_with(buf, "stage,commodity,country,country_name,year,share,cap,"));
    free(buf);
    ckp_diag_list_fini(&d);
    tu_tmp_remove(base);
    free(base);
    result_free(r);
    ckp_plan_free(plan);
}


/* A plan with stockpiles solved without its scenarios: the releases of
 * the one implicit scenario follow the list of stockpiles bought; no
 * scenario section.  And a result without a solution still gives valid
 * JSON with its scenarios. */
static void stockpiles_without_scenarios(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/plans/vocabulary.xml");
    ckp_result *r = fake_result(plan, CKP_MIP_OPTIMAL);
    implicit_scenario(r);
    r->model_params.no_scenarios = 1;
    int ny = r->n_years;
    r->n_stockpile_picks = 1;
    r->stockpile_picks = calloc(1, sizeof *r->stockpile_picks);
    r->stockpile_picks[0] = (ckp_stockpile_pick){0, 2027, 30};
    r->release = dalloc(ny, 0);
    r->release[4] = 62.75;
    char *t = capture(text_w, r, NULL);
    assert_non_null(strstr(t, "Scenarios: ignored (no_scenarios set): the plan as written, "
                              "without its 2 scenarios\n"));
    assert_non_null(strstr(t, "        30.0  example\n\n"
                              "Stockpile releases (t/yr)\n"
                              "  stockpile      2026  2027  2028  2029  2030  total\n"
                              "  oxide-reserve     0     0     0     0    63     63\n"
                              "  (released stock is not counted in the chokepoint shares; "
                              "the value counts it at 1.01 x the chokepoint chain it "
                              "replaces)\n\n"
                              "Budget used per year"));
    assert_null(strstr(t, "Scenario "));
    assert_null(strstr(t, "probability"));
    free(t);
    char *j = capture(ckp_report_json, r, &info);
    assert_true(tu_json_valid(j));
    assert_non_null(strstr(j, "\"releases\": [\n        {\n          \"scenario\": null,\n"
                              "          \"year\": 2030,\n          \"tonnes\": 62.75\n"));
    free(j);
    result_free(r);

    /* no solution: the scenario figures of the portfolio are null */
    r = fake_result(plan, CKP_MIP_INFEASIBLE);
    add_scenarios(r);
    free(r->scen_value);
    free(r->scen_shortage);
    r->scen_value = NULL;
    r->scen_shortage = NULL;
    j = capture(ckp_report_json, r, &info);
    assert_true(tu_json_valid(j));
    assert_non_null(strstr(j, "\"value\": null,\n      \"baseline_value\": 2.5,\n"
                              "      \"shortage_tonnes\": null,\n"));
    free(j);
    t = capture(text_w, r, NULL);
    assert_non_null(strstr(t, "No portfolio to report."));
    assert_null(strstr(t, "Scenario "));
    free(t);
    result_free(r);
    ckp_plan_free(plan);
}

/* ---- SHA-256 (FIPS 180-4 / NIST example vectors) ---- */

static void sha256_vectors(void **state)
{
    (void)state;
    char hex[65];
    ckp_sha256_hex("", 0, hex);
    assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    ckp_sha256_hex("abc", 3, hex);
    assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *m448 = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    ckp_sha256_hex(m448, strlen(m448), hex);
    assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    const char *m896 = "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
                       "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
    ckp_sha256_hex(m896, strlen(m896), hex);
    assert_string_equal(hex, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");

    /* one million 'a', fed in uneven pieces */
    char chunk[1000];
    memset(chunk, 'a', sizeof chunk);
    ckp_sha256 s;
    ckp_sha256_init(&s);
    size_t left = 1000000;
    size_t step = 1;
    while (left > 0) {
        size_t n = step < left ? step : left;
        if (n > sizeof chunk) n = sizeof chunk;
        ckp_sha256_update(&s, chunk, n);
        left -= n;
        step = step * 3 + 1;
    }
    unsigned char dg[32];
    ckp_sha256_final(&s, dg);
    assert_int_equal(dg[0], 0xcd);
    assert_int_equal(dg[1], 0xc7);
    assert_int_equal(dg[31], 0xd0);
    /* the same through the file interface */
    char *tmpl = tu_tmpfile("sha");
    FILE *f = fopen(tmpl, "wb");
    assert_non_null(f);
    for (int i = 0; i < 1000; i++) fwrite(chunk, 1, 1000, f);
    fclose(f);
    assert_int_equal(ckp_sha256_file(tmpl, hex), CKP_OK);
    assert_string_equal(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    tu_tmp_remove(tmpl);
    assert_int_equal(ckp_sha256_file(tmpl, hex), CKP_EIO);
    free(tmpl);
    /* padding edge cases: lengths around one block */
    for (size_t n = 54; n <= 66; n++) {
        char one[65];
        ckp_sha256 a;
        ckp_sha256_init(&a);
        for (size_t i = 0; i < n; i++) ckp_sha256_update(&a, "a", 1);
        unsigned char d1[32];
        ckp_sha256_final(&a, d1);
        ckp_sha256_hex(chunk, n, one);
        char two[65];
        for (int i = 0; i < 32; i++) snprintf(two + 2 * i, 3, "%02x", d1[i]);
        assert_string_equal(one, two);
    }
    ckp_sha256_hex(chunk, 55, hex); /* 55 'a': one block exactly padded */
    assert_string_equal(hex, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text_optimal_report),
        cmocka_unit_test(text_feasible_never_says_optimal),
        cmocka_unit_test(text_without_solution),
        cmocka_unit_test(text_committee_summary),
        cmocka_unit_test(html_report),
        cmocka_unit_test(csv_quoting),
        cmocka_unit_test(json_content_and_escaping),
        cmocka_unit_test(outdir_writes_four_files),
        cmocka_unit_test(outdir_unwritable),
        cmocka_unit_test(outdir_every_io_failure),
        cmocka_unit_test(atomic_unlink_active),
        cmocka_unit_test(atomic_open_out_of_memory),
        cmocka_unit_test(outdir_out_of_memory),
        cmocka_unit_test(text_scenarios),
        cmocka_unit_test(idle_reason_words),
        cmocka_unit_test(json_scenarios),
        cmocka_unit_test(no_scenarios_unchanged),
        cmocka_unit_test(csv_scenarios_idle_stockpiles),
        cmocka_unit_test(stockpiles_without_scenarios),
        cmocka_unit_test(sha256_vectors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
