/* test_cli.c: the chokepoint binary end to end: every exit code and the
 * path that leads to it (usage, invalid input, infeasible, no solution
 * within the limits, output errors), --help everywhere, the JSON and CSV
 * formats, deterministic and atomic --out directories, the scenario
 * options (--scenario-measure, --scenario, --no-scenarios) and the
 * per-scenario reports end to end, and the exit-code mapping itself
 * (src/cli/exit_codes.h). */
#include "testutil.h"

#include <dirent.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/exit_codes.h"
#include "util/sha256.h"

static char g_path[3][1024];
/* Absolute path of a file under tests/ (three rotating buffers). */
static const char *tp(const char *rel)
{
    static int k;
    k = (k + 1) % 3;
    snprintf(g_path[k], sizeof g_path[k], "%s/%s", CKP_TESTS_SRC, rel);
    return g_path[k];
}

#define VOCAB tp("data/plans/vocabulary.xml")
#define TINY tp("data/cli/tiny.xml")

static int n_entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) n++;
    closedir(d);
    return n;
}

static char *slurp(const char *dir, const char *name)
{
    char p[2600];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    char *s = tu_read_file(p, NULL);
    assert_non_null(s);
    return s;
}

static void group_cleanup(void)
{
    tu_cli_free();
}


/* ---- a generated plan hard enough that GLPK needs time ---- */

static unsigned long long g_rng;
static double rnd(void)
{
    g_rng = g_rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (double)(g_rng >> 11) / 9007199254740992.0;
}

/* n candidate projects over three stages, start windows of six years, a
 * budget that funds a small share of them: many fractional LP optima. */
static char *write_generated_plan(const char *dir, int n)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/generated.xml", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    g_rng = 12345;
    fprintf(f, "<?xml version=\"1.0\"?>\n<plan xmlns=\"urn:chokepoint:plan:1\" "
               "version=\"1\" name=\"generated\" currency=\"USD\">\n"
               "<horizon first=\"2026\" last=\"2035\"/>\n<countries>"
               "<country id=\"CN\" risk=\"1\"/>");
    for (int c = 0; c < 5; c++) fprintf(f, "<country id=\"P%d\" risk=\"%.1f\"/>", c, 0.1 * c);
    fprintf(f, "</countries>\n<stages><stage id=\"mining\" order=\"1\"/>"
               "<stage id=\"separation\" order=\"2\"/><stage id=\"magnets\" order=\"3\"/>"
               "</stages>\n<commodities><commodity id=\"conc\" stage=\"mining\"/>"
               "<commodity id=\"oxide\" stage=\"separation\"><made-from commodity=\"conc\" "
               "per-tonne=\"4\"/></commodity><commodity id=\"magnet\" stage=\"magnets\">"
               "<made-from commodity=\"oxide\" per-tonne=\"0.3\"/><demand year=\"2026\" "
               "tonnes=\"10000\"/><demand year=\"2035\" tonnes=\"20000\"/></commodity>"
               "</commodities>\n<facilities><facility id=\"cn-mine\" country=\"CN\" "
               "output=\"conc\" capacity=\"200000\" available=\"1\"/><facility id=\"cn-sep\" "
               "country=\"CN\" output=\"oxide\" capacity=\"20000\" available=\"1\"><input "
               "commodity=\"conc\" per-tonne=\"4\"/></facility><facility id=\"cn-mag\" "
               "country=\"CN\" output=\"magnet\" capacity=\"30000\" available=\"1\"><input "
               "commodity=\"oxide\" per-tonne=\"0.3\"/></facility></facilities>\n<projects>\n");
    const char *out[3] = {"conc", "oxide", "magnet"};
    double tot = 0;
    for (int i = 0; i < n; i++) {
        int s = i % 3;
        double cap = (s == 0 ? 8000 : s == 1 ? 1500 : 2000) * (0.3 + rnd());
        double capex = cap * (s == 0 ? 0.05 : s == 1 ? 0.4 : 0.2) * (0.5 + rnd());
        int by = 1 + (int)(rnd() * 3);
        tot += capex;
        fprintf(f, "<project id=\"p%d\" country=\"P%d\" output=\"%s\" capacity=\"%.0f\" "
                   "capex=\"%.1f\" permit=\"granted\" build-years=\"%d\" "
                   "earliest-start=\"2026\" latest-start=\"2031\">",
                i, i % 5, out[s], cap, capex, by);
        if (s == 1) fprintf(f, "<input commodity=\"conc\" per-tonne=\"4\"/>");
        if (s == 2) fprintf(f, "<input commodity=\"oxide\" per-tonne=\"0.3\"/>");
        fprintf(f, "<option id=\"loan\" instrument=\"loan\" commitment=\"%.1f\" "
                   "schedule=\"0.5 0.5\"/><option id=\"g\" instrument=\"guarantee\" "
                   "commitment=\"%.1f\" schedule=\"1\"/></project>\n",
                capex * 0.5, capex * 0.35);
    }
    fprintf(f, "</projects>\n<budget total=\"%.1f\"><limit year=\"2026\" amount=\"%.1f\"/>"
               "<limit year=\"2027\" amount=\"%.1f\"/></budget>\n</plan>\n",
            tot * 0.08, tot * 0.03, tot * 0.03);
    assert_int_equal(fclose(f), 0);
    return strdup(path);
}

/* ---- help and version ---- */

static void help_everywhere(void **state)
{
    (void)state;
    const char *cmds[] = {"check", "solve", "export"};
    assert_int_equal(tu_cli("--help"), CKP_EXIT_OK);
    assert_non_null(strstr(tu_out, "usage: chokepoint <command>"));
    for (int i = 0; i < 3; i++) assert_non_null(strstr(tu_out, cmds[i]));
    assert_string_equal(tu_err, "");
    assert_int_equal(tu_cli("-h"), CKP_EXIT_OK);
    assert_int_equal(tu_cli("help"), CKP_EXIT_OK);
    assert_non_null(strstr(tu_out, "Commands:"));
    assert_int_equal(tu_cli("--version"), CKP_EXIT_OK);
    assert_true(strncmp(tu_out, "chokepoint ", 11) == 0);
    assert_non_null(strstr(tu_out, "(GLPK "));
    for (int i = 0; i < 3; i++) {
        char want[64];
        snprintf(want, sizeof want, "usage: chokepoint %s ", cmds[i]);
        assert_int_equal(tu_cli("%s --help", cmds[i]), CKP_EXIT_OK);
        assert_non_null(strstr(tu_out, want));
        assert_non_null(strstr(tu_out, "  -h, --help"));
        assert_string_equal(tu_err, "");
        char *first = strdup(tu_out);
        assert_int_equal(tu_cli("help %s", cmds[i]), CKP_EXIT_OK);
        assert_string_equal(tu_out, first); /* same text both ways */
        assert_int_equal(tu_cli("%s -h", cmds[i]), CKP_EXIT_OK);
        assert_string_equal(tu_out, first);
        free(first);
    }
    /* the help lists every option the parser takes */
    assert_int_equal(tu_cli("solve --help"), 0);
    const char *opts[] = {"--budget M", "--objective KIND", "--force ID", "--exclude ID",
                          "--time-limit S", "--gap G", "--format FMT", "--out DIR",
                          "--verbose", "--quiet", "--no-heuristic", "--shortage-penalty P",
                          "--max-share S", "--scenario-measure M", "--scenario ID",
                          "--no-scenarios"};
    for (size_t i = 0; i < sizeof opts / sizeof *opts; i++)
        assert_non_null(strstr(tu_out, opts[i]));
    assert_int_equal(tu_cli("export --help"), 0);
    assert_non_null(strstr(tu_out, "--lp FILE"));
    assert_non_null(strstr(tu_out, "--mps FILE"));
    assert_non_null(strstr(tu_out, "--baseline"));
    assert_non_null(strstr(tu_out, "--scenario-measure M"));
    assert_non_null(strstr(tu_out, "--scenario ID"));
    assert_non_null(strstr(tu_out, "--no-scenarios"));
}

/* ---- exit 2: usage ---- */

static void usage_errors(void **state)
{
    (void)state;
    assert_int_equal(tu_cli("%s", ""), CKP_EXIT_USAGE);
    assert_non_null(strstr(tu_err, "usage: chokepoint"));
    assert_string_equal(tu_out, "");
    assert_int_equal(tu_cli("frobnicate"), CKP_EXIT_USAGE);
    assert_non_null(strstr(tu_err, "'frobnicate' is not a command"));
    assert_int_equal(tu_cli("--frob"), CKP_EXIT_USAGE);
    assert_int_equal(tu_cli("help frobnicate"), CKP_EXIT_USAGE);
    assert_int_equal(tu_cli("solve"), CKP_EXIT_USAGE);
    assert_non_null(strstr(tu_err, "no plan file given"));
    assert_int_equal(tu_cli("check"), CKP_EXIT_USAGE);
    assert_int_equal(tu_cli("solve '%s' '%s'", VOCAB, TINY), CKP_EXIT_USAGE);
    assert_non_null(strstr(tu_err, "one plan file expected"));
    assert_int_equal(tu_cli("solve '%s' --bogus", VOCAB), CKP_EXIT_USAGE);
    assert_non_null(strstr(tu_err, "unknown option '--bogus'"));
    assert_int_equal(tu_cli("solve '%s' --budget", VOCAB), CKP_EXIT_USAGE);
    assert_non_null(strstr(tu_err, "option '--budget' needs a value"));

    /* numbers: each message names the option and the value */
    struct { const char *args; const char *msg; } bad[] = {
        {"--budget abc", "invalid value 'abc' for --budget"},
        {"--budget 12x", "invalid value '12x' for --budget"},
        {"--budget -1", "invalid value '-1' for --budget: must be in [0, "},
        {"--budget 1e400", "invalid value '1e400' for --budget"},
        {"--budget nan", "invalid value 'nan' for --budget"},
        {"--budget ''", "invalid value '' for --budget"},
        {"--time-limit -5", "invalid value '-5' for --time-limit"},
        {"--time-limit inf", "invalid value 'inf' for --time-limit"},
        {"--gap 1", "invalid value '1' for --gap: must be in [0, 1)"},
        {"--gap -0.1", "invalid value '-0.1' for --gap"},
        {"--shortage-penalty 1", "invalid value '1' for --shortage-penalty: must be in (1, "},
        {"--objective cheapest", "invalid value 'cheapest' for --objective: expected "
                                 "'weighted', 'min-max' or 'min-cost'"},
        {"--format xml", "invalid value 'xml' for --format"},
        {"--force nope", "--force nope: no project with this id"},
        {"--exclude nope", "--exclude nope: no project with this id"},
        {"--force mag1 --exclude mag1", "project 'mag1' is both forced and excluded"},
        {"--quiet --verbose", "--quiet and --verbose exclude each other"},
        {"--branching best", "invalid value 'best' for --branching"},
        {"--mir-cuts yes", "invalid value 'yes' for --mir-cuts: expected on or off"},
        {"--clique-cuts 1", "invalid value '1' for --clique-cuts"},
        {"--root-cuts maybe", "invalid value 'maybe' for --root-cuts: expected off, proof or on"},
        {"--max-share 0", "invalid value '0' for --max-share: must be in (0, 1]"},
        {"--max-share 1.5", "invalid value '1.5' for --max-share: must be in (0, 1]"},
        {"--max-share x", "invalid value 'x' for --max-share"},
        {"--objective min-cost", "--objective min-cost needs --target T"},
        {"--target 0.5", "--target needs --objective min-cost"},
        {"--objective min-cost --target 0", "invalid value '0' for --target: must be in (0, 1]"},
        {"--objective min-cost --target 0.5 --max-share 0.65",
         "--max-share cannot be combined with --objective min-cost"},
        {"--scenario-measure best", "invalid value 'best' for --scenario-measure: "
                                    "expected 'expected' or 'worst-case'"},
        {"--scenario-measure", "option '--scenario-measure' needs a value"},
        {"--scenario calm --no-scenarios",
         "--scenario calm cannot be combined with --no-scenarios"},
        {"--no-scenarios --scenario squeeze",
         "--scenario squeeze cannot be combined with --no-scenarios"},
        {"--scenario nope", "--scenario nope: no scenario with this id in "},
        {"--scenario ''", "--scenario needs a scenario id"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(tu_cli("solve '%s' %s", VOCAB, bad[i].args), CKP_EXIT_USAGE);
        if (!strstr(tu_err, bad[i].msg))
            fail_msg("%s: stderr lacks \"%s\":\n%s", bad[i].args, bad[i].msg, tu_err);
        assert_non_null(strstr(tu_err, "usage: chokepoint solve"));
        assert_string_equal(tu_out, "");
    }
    assert_int_equal(tu_cli("export '%s'", VOCAB), CKP_EXIT_USAGE);
    assert_non_null(strstr(tu_err, "give --lp FILE, --mps FILE and/or --mathprog-data FILE"));
    assert_int_equal(tu_cli("export '%s' --lp /dev/null --budget x", VOCAB), CKP_EXIT_USAGE);
    assert_int_equal(tu_cli("export '%s' --lp /dev/null --force nope", VOCAB), CKP_EXIT_USAGE);
    assert_int_equal(tu_cli("export '%s' --lp /dev/null --objective min-cost --target 0.5", VOCAB),
                     CKP_EXIT_USAGE);
    assert_non_null(strstr(tu_err, "--objective min-cost cannot be exported"));
    /* scenario ids: the plan's are named; a plan without any says so */
    assert_int_equal(tu_cli("solve '%s' --scenario nope", VOCAB), CKP_EXIT_USAGE);
    assert_non_null(strstr(tu_err, "(scenarios: calm, squeeze)"));
    assert_int_equal(tu_cli("solve '%s' --scenario calm", TINY), CKP_EXIT_USAGE);
    assert_non_null(strstr(tu_err, "--scenario calm: "));
    assert_non_null(strstr(tu_err, "tiny.xml defines no scenarios"));
    assert_int_equal(tu_cli("export '%s' --lp /dev/null --scenario nope", VOCAB), CKP_EXIT_USAGE);
    assert_non_null(strstr(tu_err, "usage: chokepoint export"));
    assert_int_equal(tu_cli("export '%s' --lp /dev/null --scenario-measure x", VOCAB),
                     CKP_EXIT_USAGE);
    assert_int_equal(tu_cli("export '%s' --lp /dev/null --scenario calm --no-scenarios", VOCAB),
                     CKP_EXIT_USAGE);
}

/* ---- exit 3: invalid input ---- */

static void input_errors(void **state)
{
    (void)state;
    assert_int_equal(tu_cli("solve /nonexistent/plan.xml"), CKP_EXIT_INPUT);
    assert_non_null(strstr(tu_err, "/nonexistent/plan.xml"));
    assert_non_null(strstr(tu_err, "error:"));
    assert_string_equal(tu_out, "");

    char invalid[1024];
    char malformed[1024];
    snprintf(invalid, sizeof invalid, "%s", tp("data/cli/invalid.xml"));
    snprintf(malformed, sizeof malformed, "%s", tp("data/cli/malformed.xml"));
    char want[1200];
    snprintf(want, sizeof want, "%s:28: error: ", invalid);
    assert_int_equal(tu_cli("solve '%s'", invalid), CKP_EXIT_INPUT);
    assert_non_null(strstr(tu_err, want));
    assert_non_null(strstr(tu_err, "XX"));
    assert_string_equal(tu_out, "");
    assert_int_equal(tu_cli("export '%s' --lp /dev/null", invalid), CKP_EXIT_INPUT);
    assert_non_null(strstr(tu_err, want));

    snprintf(want, sizeof want, "%s:", malformed);
    assert_int_equal(tu_cli("solve '%s'", malformed), CKP_EXIT_INPUT);
    assert_non_null(strstr(tu_err, want));

    /* check: every file, all problems, summary lines on stdout */
    assert_int_equal(tu_cli("check '%s'", VOCAB), CKP_EXIT_OK);
    snprintf(want, sizeof want, "%s: ok\n", VOCAB);
    assert_string_equal(tu_out, want);
    assert_string_equal(tu_err, "");
    assert_int_equal(tu_cli("check '%s' '%s' '%s'", TINY, invalid, malformed), CKP_EXIT_INPUT);
    snprintf(want, sizeof want, "%s: 1 error, 0 warnings\n", invalid);
    assert_non_null(strstr(tu_out, want));
    snprintf(want, sizeof want, "%s: ok\n", TINY);
    assert_non_null(strstr(tu_out, want));
    snprintf(want, sizeof want, "%s:28: error: ", invalid);
    assert_non_null(strstr(tu_err, want));
    assert_int_equal(tu_cli("check --quiet '%s' '%s'", TINY, invalid), CKP_EXIT_INPUT);
    assert_string_equal(tu_out, "");
    assert_non_null(strstr(tu_err, want));
    assert_int_equal(tu_cli("check /nonexistent.xml"), CKP_EXIT_INPUT);
    assert_non_null(strstr(tu_out, "/nonexistent.xml: 1 error, 0 warnings\n"));
}

/* ---- exit 0 and the formats ---- */

static void solve_text_json_csv(void **state)
{
    (void)state;
    /* text: stdout only; stderr silent when it is not a terminal */
    assert_int_equal(tu_cli("solve '%s'", TINY), CKP_EXIT_OK);
    assert_string_equal(tu_err, "");
    assert_non_null(strstr(tu_out, "Plan: CLI tiny\n"));
    assert_non_null(strstr(tu_out, "status       OPTIMAL (proven"));
    assert_non_null(strstr(tu_out, "Portfolio: 1 project funded"));

    /* JSON: valid, with provenance and the solver's account */
    assert_int_equal(tu_cli("solve '%s' --format json --budget 500", VOCAB), CKP_EXIT_OK);
    assert_true(tu_json_valid(tu_out));
    char sha[65];
    assert_int_equal(ckp_sha256_file(VOCAB, sha), CKP_OK);
    char want[256];
    snprintf(want, sizeof want, "\"sha256\": \"%s\"", sha);
    assert_non_null(strstr(tu_out, want));
    assert_non_null(strstr(tu_out, "\"mip_status\": \"optimal\""));
    assert_non_null(strstr(tu_out, "\"proven_optimal\": true"));
    assert_non_null(strstr(tu_out, "\"name\": \"GLPK\""));
    assert_non_null(strstr(tu_out, "\"budget_total\": 500"));
    assert_non_null(strstr(tu_out, "\"budget_total_override\": 500"));
    assert_non_null(strstr(tu_out, "--format json --budget 500\""));
    assert_non_null(strstr(tu_out, "\"project\": \"mag1\""));
    assert_non_null(strstr(tu_out, "\"timing\": {"));

    /* what-if: excluding the magnet plant changes the portfolio */
    assert_int_equal(tu_cli("solve '%s' --format json --exclude mag1 --objective min-max", VOCAB),
                     CKP_EXIT_OK);
    assert_true(tu_json_valid(tu_out));
    assert_null(strstr(tu_out, "\"project\": \"mag1\""));
    assert_non_null(strstr(tu_out, "\"objective\": \"min-max\""));
    assert_non_null(strstr(tu_out, "\"exclude\": [\n        \"mag1\"\n      ]"));

    /* solver options reach the solver and the JSON parameters */
    assert_int_equal(tu_cli("solve '%s' --format json --branching pch --mir-cuts on "
                         "--clique-cuts off --root-cuts on --gap 0.001 --time-limit 30 "
                         "--no-heuristic",
                         VOCAB),
                     CKP_EXIT_OK);
    assert_non_null(strstr(tu_out, "\"root_cuts\": \"on\""));
    assert_non_null(strstr(tu_out, "\"knap_cuts\": -1"));
    assert_non_null(strstr(tu_out, "\"branching\": \"pch\""));
    assert_non_null(strstr(tu_out, "\"mir_cuts\": 1"));
    assert_non_null(strstr(tu_out, "\"clique_cuts\": 0"));
    assert_non_null(strstr(tu_out, "\"mip_gap\": 0.001"));
    assert_non_null(strstr(tu_out, "\"time_limit\": 30"));
    assert_non_null(strstr(tu_out, "\"heuristic\": false"));
    assert_non_null(strstr(tu_out, "\"heuristic_used\": false"));
    assert_non_null(strstr(tu_out, "\"lp_heuristic\": true"));
    assert_non_null(strstr(tu_out, "\"fp_heur\": -1"));
    assert_non_null(strstr(tu_out, "\"cov_cuts\": -1"));
    assert_int_equal(tu_cli("solve '%s' --format json --presolve", VOCAB), CKP_EXIT_OK);
    assert_non_null(strstr(tu_out, "\"presolve\": true"));
    assert_non_null(strstr(tu_out, "\"root_cuts\": \"default\""));
    assert_non_null(strstr(tu_out, "\"project\": \"mag1\""));
    assert_int_equal(tu_cli("solve '%s' --format json --root-cuts proof", VOCAB), CKP_EXIT_OK);
    assert_non_null(strstr(tu_out, "\"root_cuts\": \"proof\""));
    assert_non_null(strstr(tu_out, "\"project\": \"mag1\""));

    /* CSV: the portfolio, RFC 4180 quoting of the name */
    assert_int_equal(tu_cli("solve '%s' --format csv", TINY), CKP_EXIT_OK);
    assert_string_equal(tu_out,
        "project,name,stage,country,country_name,option,instrument,start,online,"
        "capacity_t_per_year,commitment_usd_m,capex_usd_m,private_capital_usd_m,"
        "public_cofinance_usd_m,multilateral_cofinance_usd_m,source\n"
        "a,\"Plant A, \"\"north\"\"\",magnets,US,United States,loan,loan,2026,2027,60,10,20,"
        "0,0,0,\n");
}

/* ---- exit 4: infeasible ---- */

static void infeasible(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("cli");
    char out[1200];
    snprintf(out, sizeof out, "%s/out", dir);
    /* b excludes a: forcing both is infeasible */
    assert_int_equal(tu_cli("solve '%s' --force a --force b --out '%s'", TINY, out),
                     CKP_EXIT_INFEASIBLE);
    assert_non_null(strstr(tu_err, "INFEASIBLE"));
    assert_non_null(strstr(tu_out, "status       INFEASIBLE"));
    assert_null(strstr(tu_out, "OPTIMAL"));
    assert_int_equal(n_entries(out), -1); /* a failed run writes nothing */
    /* a forced project the budget cannot pay for */
    assert_int_equal(tu_cli("solve '%s' --force a --budget 5 --format json", TINY),
                     CKP_EXIT_INFEASIBLE);
    assert_true(tu_json_valid(tu_out));
    assert_non_null(strstr(tu_out, "\"mip_status\": \"infeasible\""));
    tu_tmp_remove(dir);
    free(dir);
}

/* ---- exit 5 and node limits ---- */

static void assert_same_but_time(const char *a, const char *b);

static void node_limits(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("cli");
    char *plan = write_generated_plan(dir, 90);
    assert_int_equal(tu_cli("check '%s'", plan), CKP_EXIT_OK);

    /* one node, neither the greedy incumbent nor the LP dive: the search
     * stops at the root without a portfolio (a node limit stops at the same
     * point on every machine, loaded or not) */
    assert_int_equal(tu_cli("solve '%s' --node-limit 1 --no-heuristic --no-lp-heuristic "
                         "--format json", plan),
                     CKP_EXIT_NO_SOLUTION);
    assert_non_null(strstr(tu_err, "NO SOLUTION"));
    assert_true(tu_json_valid(tu_out));
    assert_non_null(strstr(tu_out, "\"mip_status\": \"no-solution\""));
    assert_non_null(strstr(tu_out, "\"stopped_by\": \"node-limit\""));
    assert_non_null(strstr(tu_out, "\"node_limit\": 1"));
    assert_non_null(strstr(tu_out, "\"portfolio\": []"));

    /* a node limit with the greedy incumbent: a portfolio that is not
     * proven optimal is reported as FEASIBLE with its gap, exit 0 */
    assert_int_equal(tu_cli("solve '%s' --node-limit 2 --no-next", plan), CKP_EXIT_OK);
    assert_non_null(strstr(tu_out, "status       FEASIBLE"));
    assert_non_null(strstr(tu_out, "FEASIBLE - stopped by the node limit (2 nodes), "
                                  "not proven optimal; gap "));
    assert_null(strstr(tu_out, "OPTIMAL"));
    assert_non_null(strstr(tu_err, "stopped by the node limit"));
    assert_non_null(strstr(tu_err, "not proven optimal"));
    assert_non_null(strstr(tu_out, "Portfolio: "));
    /* the same input stops at the same point: the same portfolio */
    char *first = strdup(tu_out);
    assert_int_equal(tu_cli("solve '%s' --node-limit 2 --no-next", plan), CKP_EXIT_OK);
    assert_same_but_time(first, tu_out);
    free(first);

    /* --quiet keeps stderr silent in the FEASIBLE case */
    assert_int_equal(tu_cli("solve '%s' --node-limit 2 --no-next --quiet --format json", plan),
                     CKP_EXIT_OK);
    assert_true(tu_json_valid(tu_out));
    assert_string_equal(tu_err, "");
    assert_non_null(strstr(tu_out, "\"mip_status\": \"feasible\""));
    assert_non_null(strstr(tu_out, "\"proven_optimal\": false"));
    assert_non_null(strstr(tu_out, "\"stopped_by\": \"node-limit\""));

    /* progress on stderr only when it is a terminal (script(1) gives the
     * binary a pseudo-terminal and copies it to stdout), never with -q;
     * the first line comes at the first callback, so even a short search
     * prints one */
    if (access("/usr/bin/script", X_OK) == 0) {
        char cmd[4096];
        snprintf(cmd, sizeof cmd,
                 "script -qec \"'%s' solve '%s' --node-limit 50 --format csv\" /dev/null",
                 CKP_CLI_BIN, plan);
        char *out = NULL;
        assert_int_equal(tu_run(cmd, &out, NULL), CKP_EXIT_OK);
        assert_non_null(strstr(out, "chokepoint: incumbent "));
        free(out);
        snprintf(cmd, sizeof cmd,
                 "script -qec \"'%s' solve '%s' --node-limit 50 --format csv -q\" /dev/null",
                 CKP_CLI_BIN, plan);
        assert_int_equal(tu_run(cmd, &out, NULL), CKP_EXIT_OK);
        assert_null(strstr(out, "incumbent"));
        assert_non_null(strstr(out, "project,name,stage"));
        free(out);
    }
    assert_int_equal(tu_cli("solve '%s' --node-limit 50 --format csv", plan), CKP_EXIT_OK);
    assert_null(strstr(tu_err, "incumbent")); /* a file is not a terminal */
    free(plan);
    tu_tmp_remove(dir);
    free(dir);
}

/* ---- exit 6: output errors ---- */

static void output_errors(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("cli");
    char path[1200];
    snprintf(path, sizeof path, "%s/file", dir);
    FILE *f = fopen(path, "w");
    fputs("not a directory\n", f);
    fclose(f);
    /* --out below a regular file: nothing written, nothing on stdout */
    assert_int_equal(tu_cli("solve '%s' --out '%s/sub'", TINY, path), CKP_EXIT_OUTPUT);
    assert_non_null(strstr(tu_err, "cannot create output directory"));
    assert_string_equal(tu_out, "");
    assert_int_equal(n_entries(dir), 1);
    /* --out naming a regular file */
    assert_int_equal(tu_cli("solve '%s' --out '%s'", TINY, path), CKP_EXIT_OUTPUT);
    /* stdout that cannot be written */
    assert_int_equal(tu_sh("'%s' solve '%s' >/dev/full", CKP_CLI_BIN, TINY), CKP_EXIT_OUTPUT);
    assert_non_null(strstr(tu_err, "standard output"));
    assert_int_equal(tu_sh("'%s' --help >/dev/full", CKP_CLI_BIN), CKP_EXIT_OUTPUT);
    assert_int_equal(tu_sh("'%s' check '%s' >/dev/full", CKP_CLI_BIN, TINY), CKP_EXIT_OUTPUT);
    /* export to an unwritable place */
    assert_int_equal(tu_cli("export '%s' --lp '%s/sub/model.lp'", TINY, path), CKP_EXIT_OUTPUT);
    assert_int_equal(n_entries(dir), 1);
    tu_tmp_remove(dir);
    free(dir);
}

/* ---- --out: deterministic and atomic ---- */

/* Two text reports that differ at most in their "  time " line. */
static void assert_same_but_time(const char *a, const char *b)
{
    const char *la = strstr(a, "  time ");
    const char *lb = strstr(b, "  time ");
    assert_non_null(la);
    assert_non_null(lb);
    assert_memory_equal(a, b, (size_t)(la - a));
    assert_string_equal(strchr(la, '\n'), strchr(lb, '\n'));
}

/* summary.json without its "timing" object (the only run-dependent part). */
static char *drop_timing(char *json)
{
    char *t = strstr(json, "\"timing\": {");
    assert_non_null(t);
    char *end = strchr(t, '}');
    assert_non_null(end);
    end++;
    if (*end == ',') end++; /* keep the document valid */
    memmove(t, end, strlen(end) + 1);
    assert_null(strstr(json, "seconds"));
    return json;
}

static void out_dir_deterministic(void **state)
{
    (void)state;
    char *base = tu_tmpdir("cli");
    char plan[1024];
    snprintf(plan, sizeof plan, "%s", tp("../inputs/rare-earth-magnets.xml"));
    if (access(plan, R_OK) != 0) snprintf(plan, sizeof plan, "%s", VOCAB);
    char a[1200];
    char b[1200];
    snprintf(a, sizeof a, "%s/A", base);
    snprintf(b, sizeof b, "%s/B", base);
    assert_int_equal(mkdir(a, 0777), 0);
    assert_int_equal(mkdir(b, 0777), 0);
    /* same command line in two working directories: --out out */
    assert_int_equal(tu_sh("cd '%s' && '%s' solve '%s' --out out --quiet", a, CKP_CLI_BIN, plan),
                     CKP_EXIT_OK);
    char *text_a = strdup(tu_out);
    assert_int_equal(tu_sh("cd '%s' && '%s' solve '%s' --out out --quiet", b, CKP_CLI_BIN, plan),
                     CKP_EXIT_OK);
    snprintf(a, sizeof a, "%s/A/out", base);
    snprintf(b, sizeof b, "%s/B/out", base);
    /* the eight files (report.html, datapackage.json, README.txt too), and with scenarios scenarios.csv and idle.csv, with
       stockpiles stockpiles.csv; no temporary */
    const char *files[] = {"portfolio.csv", "production.csv", "exposure.csv",
                           "concentration.csv", "report.html", "datapackage.json",
                           "README.txt", "scorecard.csv", "scorecard_capacity.csv",
                           "scorecard_commodities.csv", "finance.csv", "scenarios.csv",
                           "idle.csv", "stockpiles.csv"};
    int n_files = 1; /* summary.json */
    for (int i = 0; i < 14; i++) {
        char p[1300];
        snprintf(p, sizeof p, "%s/%s", a, files[i]);
        if (i >= 10 && access(p, R_OK) != 0) continue;
        n_files++;
        char *x = slurp(a, files[i]);
        char *y = slurp(b, files[i]);
        assert_string_equal(x, y);
        assert_true(strlen(x) > 40);
        free(x);
        free(y);
    }
    assert_int_equal(n_entries(a), n_files);
    assert_int_equal(n_entries(b), n_files);
    char *x = drop_timing(slurp(a, "summary.json"));
    char *y = drop_timing(slurp(b, "summary.json"));
    assert_string_equal(x, y);
    assert_true(tu_json_valid(x));
    free(x);
    free(y);
    /* the stdout report only differs in its time line */
    assert_same_but_time(text_a, tu_out);
    free(text_a);

    /* the portfolio file agrees with --format csv */
    x = slurp(a, "portfolio.csv");
    assert_int_equal(tu_cli("solve '%s' --format csv", plan), CKP_EXIT_OK);
    assert_string_equal(x, tu_out);
    free(x);
    tu_tmp_remove(base);
    free(base);
}

/* ---- export ---- */

static void export_lp_mps(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("cli");
    assert_int_equal(tu_cli("export '%s' --lp '%s/m.lp' --mps '%s/m.mps' --budget 400", VOCAB, dir,
                         dir),
                     CKP_EXIT_OK);
    assert_string_equal(tu_err, "");
    char *lp = slurp(dir, "m.lp");
    char *mps = slurp(dir, "m.mps");
    assert_non_null(strstr(lp, "mag1"));
    assert_non_null(strstr(mps, "mag1"));
    free(lp);
    free(mps);
    assert_int_equal(tu_cli("export '%s' --baseline --lp '%s/b.lp'", VOCAB, dir), CKP_EXIT_OK);
    lp = slurp(dir, "b.lp");
    assert_null(strstr(lp, "x[mag1"));
    free(lp);
    /* written through a temporary that is renamed: nothing else is left */
    assert_int_equal(tu_sh("ls -A '%s' | tr '\\n' ' '", dir), 0);
    assert_string_equal(tu_out, "b.lp m.lp m.mps ");
    /* a target that cannot be created: exit 6, no file, no temporary */
    assert_int_equal(tu_cli("export '%s' --mps '%s/missing/m.mps'", VOCAB, dir), CKP_EXIT_OUTPUT);
    assert_int_equal(tu_sh("ls -A '%s' | tr '\\n' ' '", dir), 0);
    assert_string_equal(tu_out, "b.lp m.lp m.mps ");
    tu_tmp_remove(dir);
    free(dir);
}

/* An existing non-regular target (a device) is written in place, never
 * renamed over: the device must still be a device afterwards. */
static void export_to_device(void **state)
{
    (void)state;
    assert_int_equal(tu_cli("export '%s' --lp /dev/null --mps /dev/null", VOCAB), CKP_EXIT_OK);
    struct stat sb;
    assert_int_equal(stat("/dev/null", &sb), 0);
    assert_true(S_ISCHR(sb.st_mode));
}

/* ---- exit 1: a GLPK fatal error, caught ---- */

static void solver_fatal_error(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("cli");
    assert_int_equal(tu_sh("CKP_DEBUG_GLPK_FATAL=1 '%s' solve '%s' --out '%s/out'", CKP_CLI_BIN,
                        TINY, dir),
                     CKP_EXIT_INTERNAL);
    assert_non_null(strstr(tu_err, "GLPK fatal error"));
    assert_string_equal(tu_out, "");
    assert_int_equal(n_entries(dir), 0);
    assert_int_equal(tu_sh("CKP_DEBUG_GLPK_FATAL=1 '%s' export '%s' --mps '%s/m.mps'", CKP_CLI_BIN,
                        TINY, dir),
                     CKP_EXIT_INTERNAL);
    assert_non_null(strstr(tu_err, "GLPK fatal error"));
    /* any other value: no effect */
    assert_int_equal(tu_sh("CKP_DEBUG_GLPK_FATAL=0 '%s' solve '%s' -q", CKP_CLI_BIN, TINY),
                     CKP_EXIT_OK);
    tu_tmp_remove(dir);
    free(dir);
}

/* ---- the mapping itself (reaches every code, 5 and 1 included) ---- */

static void exit_code_mapping(void **state)
{
    (void)state;
    assert_int_equal(ckp_exit_for_mip(CKP_MIP_OPTIMAL), 0);
    assert_int_equal(ckp_exit_for_mip(CKP_MIP_FEASIBLE), 0);
    assert_int_equal(ckp_exit_for_mip(CKP_MIP_INFEASIBLE), 4);
    assert_int_equal(ckp_exit_for_mip(CKP_MIP_NO_SOLUTION), 5);
    assert_int_equal(ckp_exit_for_mip(CKP_MIP_ERROR), 1);
    assert_int_equal(ckp_exit_for_status(CKP_OK), 0);
    assert_int_equal(ckp_exit_for_status(CKP_ENOMEM), 1);
    assert_int_equal(ckp_exit_for_status(CKP_EIO), 6);
    assert_int_equal(ckp_exit_for_status(CKP_EPARSE), 3);
    assert_int_equal(ckp_exit_for_status(CKP_ESCHEMA), 3);
    assert_int_equal(ckp_exit_for_status(CKP_EINVALID), 3);
    assert_int_equal(ckp_exit_for_status(CKP_EUSAGE), 2);
    assert_int_equal(ckp_exit_for_status(CKP_EINFEASIBLE), 4);
    assert_int_equal(ckp_exit_for_status(CKP_ELIMIT), 5);
    assert_int_equal(ckp_exit_for_status(CKP_ESOLVER), 1);
    assert_int_equal(ckp_exit_for_status(CKP_EINTERNAL), 1);
    /* the codes are distinct */
    const int codes[] = {CKP_EXIT_OK, CKP_EXIT_INTERNAL, CKP_EXIT_USAGE, CKP_EXIT_INPUT,
                         CKP_EXIT_INFEASIBLE, CKP_EXIT_NO_SOLUTION, CKP_EXIT_OUTPUT};
    for (int i = 0; i < 7; i++) assert_int_equal(codes[i], i);
}

static int teardown(void **state)
{
    (void)state;
    group_cleanup();
    return 0;
}

/* --max-share end to end: the missed cap is reported on stdout and in
 * policy.csv (optimum (l), tests/data/optima/l-max-share-missed.xml), the
 * run still succeeds (exit 0), and export writes the cap rows. */
static void max_share_cli(void **state)
{
    (void)state;
    char plan[1024];
    snprintf(plan, sizeof plan, "%s", tp("data/optima/l-max-share-missed.xml"));
    char *tmpl = tu_tmpdir("cli-cap");
    char out[1100];
    snprintf(out, sizeof out, "%s/out", tmpl);
    assert_int_equal(tu_cli("solve '%s' --max-share 0.65 --out '%s'", plan, out), CKP_EXIT_OK);
    assert_non_null(strstr(tu_out, "Policy cap (max share 65.0 % per third country): MISSED in 2 of 5"));
    assert_non_null(strstr(tu_out, "  sep    oxide      CN       2026     80.0"));
    assert_int_equal(n_entries(out), 13); /* with policy.csv, the scorecard's three, finance.csv */
    char *csv = slurp(out, "policy.csv");
    assert_non_null(strstr(csv, "sep,oxide,CN,Chokepoint,2027,0.8095238095,0.65,0.1595238095,167.5\n"));
    free(csv);
    /* without the cap: no section, no policy.csv */
    char out2[1100];
    snprintf(out2, sizeof out2, "%s/plain", tmpl);
    assert_int_equal(tu_cli("solve '%s' --out '%s'", plan, out2), CKP_EXIT_OK);
    assert_null(strstr(tu_out, "Policy cap"));
    assert_int_equal(n_entries(out2), 12); /* with finance.csv */
    char lp[1100];
    snprintf(lp, sizeof lp, "%s/m.lp", tmpl);
    assert_int_equal(tu_cli("export '%s' --max-share 0.65 --lp '%s'", plan, lp), CKP_EXIT_OK);
    char *text = slurp(tmpl, "m.lp");
    assert_non_null(strstr(text, "cap_share(oxide,CN,2026): - e(oxide,CN,2026) + q(cn~sep,2026) <= 0.65\n"));
    free(text);
    tu_tmp_remove(tmpl);
    free(tmpl);
}

/* --objective min-cost --target T end to end on optimum (n): the
 * cheapest portfolio (exit 0), and an unreachable target: exit 4 with the
 * best reachable value. */
static void min_cost_cli(void **state)
{
    (void)state;
    char plan[1024];
    snprintf(plan, sizeof plan, "%s", tp("data/optima/n-min-cost.xml"));
    assert_int_equal(tu_cli("solve '%s' --objective min-cost --target 0.6", plan), CKP_EXIT_OK);
    assert_non_null(strstr(tu_out, "Objective: min-cost"));
    assert_non_null(strstr(tu_out, "  MID "));
    assert_null(strstr(tu_out, "  SMALL "));
    assert_int_equal(tu_cli("solve '%s' --objective min-cost --target 0.1", plan),
                     CKP_EXIT_INFEASIBLE);
    assert_non_null(strstr(tu_err, "error: INFEASIBLE: no portfolio reaches the exposure "
                                  "target 0.1 x the baseline (0.500000 of 5.000000 "
                                  "share-years) within the budget and constraints; the "
                                  "best reachable is 0.2000 x the baseline (1.000000 "
                                  "share-years)"));
    assert_int_equal(tu_cli("solve '%s' --objective min-cost --target 0.1 --format json", plan),
                     CKP_EXIT_INFEASIBLE);
    assert_non_null(strstr(tu_out, "\"best_reachable\": 1,"));
}


/* Scenarios end to end on tests/data/cli/scenarios.xml (solved by hand in
 * its comment): the portfolio funds the US plant and the oxide reserve;
 * in "ban" the plant idles for the export restriction upstream and the
 * reserve covers the 200 t the baseline leaves short; in "crash" it idles
 * for the price.  --scenario, --no-scenarios, --scenario-measure reach
 * the model and the reports; the --out files of a plan with scenarios and
 * stockpiles; the reports are deterministic. */
static void scenarios_cli(void **state)
{
    (void)state;
    char plan[1024];
    snprintf(plan, sizeof plan, "%s", tp("data/cli/scenarios.xml"));
    char *dir = tu_tmpdir("cli");
    char out[1200];
    snprintf(out, sizeof out, "%s/out", dir);
    assert_int_equal(tu_cli("solve '%s' --out '%s'", plan, out), CKP_EXIT_OK);
    assert_string_equal(tu_err, "");
    assert_non_null(strstr(tu_out, "Scenarios: 3, measure expected (tables are "
                                  "probability-weighted expectations"));
    assert_non_null(strstr(tu_out, "\nStockpiles bought: 1\n"));
    assert_non_null(strstr(tu_out, "  oxide-reserve  Oxide reserve  oxide         200"
                                  "           100  2026        10.0"));
    assert_non_null(strstr(tu_out, "  us-sep   US separation  separation  US       loan"));
    assert_non_null(strstr(tu_out, "bank commitment (everything funded)"
                                  "                50.0  USD m\n"));
    /* the ban: no shortage with the reserve, 2 x 100 t without */
    char *ban = strstr(tu_out, "\nScenario ban: Concentrate export ban (probability 30.0 %)\n");
    assert_non_null(ban);
    assert_non_null(strstr(tu_out, "  ban       Concentrate export ban           30.0  "));
    char *row = strstr(tu_out, "  ban       Concentrate export ban");
    assert_non_null(row);
    assert_non_null(strstr(row, "           0                  200                   2\n"));
    assert_non_null(strstr(ban, "  Shortage: none with the portfolio\n"
                                "  Stockpile releases (t/yr)\n"
                                "    stockpile      2026  2027  2028  2029  total\n"
                                "    oxide-reserve     0     0   100   100    200\n"));
    assert_non_null(strstr(ban, "    us-sep (US separation) idle 2028-2029: export "
                                "restriction on RE concentrate from CN upstream\n"));
    char *crash = strstr(tu_out, "\nScenario crash: Oxide price crash (probability 20.0 %)\n");
    assert_non_null(crash);
    assert_true(crash > ban);
    assert_non_null(strstr(crash, "  Stockpile releases: none\n"));
    assert_non_null(strstr(crash, "    us-sep (US separation) idle 2028-2029: NdPr oxide "
                                  "price 30,000 < breakeven 50,000 USD/t and its loan "
                                  "carries no price support\n"));
    assert_non_null(strstr(tu_out, "\nScenario calm: No disruption (probability 50.0 %)\n"));
    assert_non_null(strstr(tu_out, "  Idle funded projects: none\n"));
    char *text = strdup(tu_out);

    /* the --out files (the scorecard's three and finance.csv among them) */
    assert_int_equal(n_entries(out), 15);
    char *idle = slurp(out, "idle.csv");
    assert_string_equal(idle, "scenario,project,year,reason,commodity,country,country_name,"
                              "price_usd_per_t,breakeven_usd_per_t,capacity_t_per_year,"
                              "produced_t_per_year\n"
                              "ban,us-sep,2028,export-restriction-upstream,conc,CN,China,,,100,0\n"
                              "ban,us-sep,2029,export-restriction-upstream,conc,CN,China,,,100,0\n"
                              "crash,us-sep,2028,price,oxide,,,30000,50000,100,0\n"
                              "crash,us-sep,2029,price,oxide,,,30000,50000,100,0\n");
    free(idle);
    char *sc = slurp(out, "scenarios.csv");
    assert_non_null(strstr(sc, "scenario,probability,stage,year,baseline_share,"
                               "portfolio_share,baseline_shortage_t_per_year,"
                               "shortage_t_per_year\n"
                               "calm,0.5,mining,2026,1,1,0,0\n"));
    assert_non_null(strstr(sc, "calm,0.5,separation,2027,1,0,0,0\n"));
    assert_non_null(strstr(sc, "ban,0.3,separation,2028,0,0,100,0\n"));
    assert_non_null(strstr(sc, "crash,0.2,separation,2028,1,1,0,0\n"));
    free(sc);
    char *sp = slurp(out, "stockpiles.csv");
    assert_non_null(strstr(sp, "oxide-reserve,Oxide reserve,oxide,2026,10,200,100,"
                               "ban,2028,100\n"));
    assert_non_null(strstr(sp, "oxide-reserve,Oxide reserve,oxide,2026,10,200,100,"
                               "calm,2028,0\n"));
    free(sp);
    char *js = slurp(out, "summary.json");
    assert_true(tu_json_valid(js));
    assert_non_null(strstr(js, "\"scenario_measure\": \"expected\",\n"
                               "      \"scenario_measure_override\": null,\n"
                               "      \"scenario\": null,\n"
                               "      \"no_scenarios\": false\n"));
    assert_non_null(strstr(js, "\"reason\": \"export-restriction-upstream\""));
    assert_non_null(strstr(js, "\"stockpiles\": [\n    {\n      \"stockpile\": \"oxide-reserve\""));
    free(js);

    /* deterministic: a second run prints the same report but the time */
    assert_int_equal(tu_cli("solve '%s'", plan), CKP_EXIT_OK);
    assert_same_but_time(text, tu_out);
    free(text);
    /* JSON on stdout is the summary */
    assert_int_equal(tu_cli("solve '%s' --format json", plan), CKP_EXIT_OK);
    assert_true(tu_json_valid(tu_out));
    assert_non_null(strstr(tu_out, "\"scenarios\": [\n"));

    /* one scenario alone */
    assert_int_equal(tu_cli("solve '%s' --scenario crash --format json", plan), CKP_EXIT_OK);
    assert_true(tu_json_valid(tu_out));
    assert_non_null(strstr(tu_out, "\"scenario\": \"crash\",\n      \"no_scenarios\": false"));
    assert_null(strstr(tu_out, "\"scenario\": \"ban\""));
    assert_non_null(strstr(tu_out, "\"probability\": 1,"));
    assert_int_equal(tu_cli("solve '%s' --scenario crash", plan), CKP_EXIT_OK);
    assert_non_null(strstr(tu_out, "Scenario: crash alone (the one scenario chosen), probability 1, "
                                  "of the plan's 3\n"));
    assert_non_null(strstr(tu_out, "idle 2028-2029: NdPr oxide price 30,000"));
    assert_null(strstr(tu_out, "probability-weighted"));

    /* no scenarios: the plan as written, no section, no scenario files */
    snprintf(out, sizeof out, "%s/plain", dir);
    assert_int_equal(tu_cli("solve '%s' --no-scenarios --out '%s'", plan, out), CKP_EXIT_OK);
    assert_non_null(strstr(tu_out, "\nScenarios: ignored (no_scenarios set): the plan as "
                                  "written, without its 3 scenarios\n"));
    assert_null(strstr(tu_out, "Scenario "));
    assert_null(strstr(tu_out, "measure"));
    assert_null(strstr(tu_out, "idle"));
    assert_non_null(strstr(tu_out, "\nStockpiles bought: none\n"));
    assert_int_equal(n_entries(out), 13); /* five files + report.html, datapackage.json, README.txt, stockpiles.csv, the scorecard's three, finance.csv */
    js = slurp(out, "summary.json");
    assert_non_null(strstr(js, "\"no_scenarios\": true"));
    assert_null(strstr(js, "\"scenarios\""));
    free(js);

    /* the worst-case measure reaches the model and the report */
    assert_int_equal(tu_cli("solve '%s' --scenario-measure worst-case", plan), CKP_EXIT_OK);
    assert_non_null(strstr(tu_out, "Scenarios: 3, measure worst-case"));
    assert_non_null(strstr(tu_out, "the objective is the largest scenario value"));
    assert_non_null(strstr(tu_out, "  worst scenario with the portfolio: ban (value "));

    /* export: a model per scenario set */
    char lp[1300];
    snprintf(lp, sizeof lp, "%s/all.lp", dir);
    assert_int_equal(tu_cli("export '%s' --lp '%s'", plan, lp), CKP_EXIT_OK);
    char *all = slurp(dir, "all.lp");
    snprintf(lp, sizeof lp, "%s/one.lp", dir);
    assert_int_equal(tu_cli("export '%s' --scenario ban --lp '%s'", plan, lp), CKP_EXIT_OK);
    char *one = slurp(dir, "one.lp");
    assert_true(strlen(one) < strlen(all));
    free(all);
    free(one);
    tu_tmp_remove(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(help_everywhere),
        cmocka_unit_test(usage_errors),
        cmocka_unit_test(input_errors),
        cmocka_unit_test(solve_text_json_csv),
        cmocka_unit_test(infeasible),
        cmocka_unit_test(node_limits),
        cmocka_unit_test(output_errors),
        cmocka_unit_test(out_dir_deterministic),
        cmocka_unit_test(export_lp_mps),
        cmocka_unit_test(export_to_device),
        cmocka_unit_test(solver_fatal_error),
        cmocka_unit_test(exit_code_mapping),
        cmocka_unit_test(max_share_cli),
        cmocka_unit_test(min_cost_cli),
        cmocka_unit_test(scenarios_cli),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
