/* test_sweep.c: budget sweeps end to end (docs/sweeps.md): the budget
 * specifications and their refusals (exit 2, before any solve), the
 * hand-computed frontier of tests/data/sweep/three.xml, a frontier that
 * never rises with the budget, each point equal to a solve at that
 * budget, -j 1 = -j 3 byte for byte (timing column aside), shards merged
 * = the whole sweep (and merge refusing folders that do not belong
 * together), resume after SIGKILL = an uninterrupted run, SIGINT keeping
 * the finished points (exit 7), the shards run by GNU parallel, and the
 * worker pool's own contract (results by job whatever the workers,
 * crashes reported, stop; ckp_run_jobs' records by index). */
#include "testutil.h"

#include <dirent.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ckp/sweep.h"
#include "cli/exit_codes.h"
#include "util/alloc.h"

#define THREE CKP_TESTS_SRC "/data/sweep/three.xml"
#define TINY CKP_TESTS_SRC "/data/build/tiny.xml"
#define GRID "0:300:25"

static char g_tmp[64];

static const char *tmp(const char *name)
{
    static char buf[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%s/%s", g_tmp, name);
    return buf[k];
}

static char *slurp(const char *dir, const char *name)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *t = tu_read_file(path, NULL);
    if (!t) fail_msg("cannot read %s", path);
    return t;
}

/* sweep.csv without its last two columns (nodes and cpu_s, the figures
 * of the search: they depend on where it started, docs/sweeps.md §4). */
static char *sweep_csv_no_time(const char *dir)
{
    char *t = slurp(dir, "sweep.csv");
    char *o = t, *w = t;
    while (*o) {
        char *nl = strchr(o, '\n');
        size_t n = nl ? (size_t)(nl - o) : strlen(o);
        char *comma = NULL, *prev = NULL;
        for (size_t i = 0; i < n; i++)
            if (o[i] == ',') {
                prev = comma;
                comma = o + i;
            }
        comma = prev;
        size_t keep = comma ? (size_t)(comma - o) : n;
        memmove(w, o, keep);
        w += keep;
        *w++ = '\n';
        if (!nl) break;
        o = nl + 1;
    }
    *w = '\0';
    return t;
}

static int n_points(const char *dir)
{
    char p[512];
    snprintf(p, sizeof p, "%s/points", dir);
    DIR *d = opendir(p);
    if (!d) return 0;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] == 'b') n++;
    closedir(d);
    return n;
}

/* A point record without the lines of the search (nodes, cpu, time,
 * stage1, warm): what stays is the answer. */
static void drop_search_lines(char *t)
{
    static const char *const keys[] = {"\nnodes ", "\ncpu ", "\ntime ", "\nstage1 ",
                                       "\nwarm "};
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        char *c = strstr(t, keys[k]);
        if (!c) continue;
        char *e = strchr(c + 1, '\n');
        memmove(c + 1, e + 1, strlen(e + 1) + 1);
    }
}

/* The two sweep folders hold the same results: tables (timing aside) and
 * every point's portfolio.csv and point record (timing line aside). */
static void assert_same_sweep(const char *a, const char *b)
{
    char *x = sweep_csv_no_time(a), *y = sweep_csv_no_time(b);
    assert_string_equal(x, y);
    free(x);
    free(y);
    static const char *const files[] = {"frontier.csv", "no-regret.csv", "sweep.txt"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        x = slurp(a, files[i]);
        y = slurp(b, files[i]);
        if (strcmp(x, y) != 0) fail_msg("%s differs between %s and %s", files[i], a, b);
        free(x);
        free(y);
    }
    assert_int_equal(n_points(a), n_points(b));
    char pa[512];
    snprintf(pa, sizeof pa, "%s/points", a);
    DIR *d = opendir(pa);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] != 'b') continue;
        static const char *const pf[] = {"portfolio.csv", "point.txt"};
        for (size_t i = 0; i < 2; i++) {
            char fa[1024], fb[1024];
            snprintf(fa, sizeof fa, "%s/points/%s/%s", a, e->d_name, pf[i]);
            snprintf(fb, sizeof fb, "%s/points/%s/%s", b, e->d_name, pf[i]);
            x = tu_read_file(fa, NULL);
            y = tu_read_file(fb, NULL);
            if (!x || !y) {
                if (i == 1 || x || y) fail_msg("%s or %s is missing", fa, fb);
                continue;
            }
            if (i == 1) { /* the record's search figures */
                assert_non_null(strstr(x, "\ncpu "));
                assert_non_null(strstr(y, "\ncpu "));
                drop_search_lines(x);
                drop_search_lines(y);
            }
            if (strcmp(x, y) != 0) fail_msg("%s and %s differ", fa, fb);
            free(x);
            free(y);
        }
    }
    closedir(d);
}

/* ------------------------------------------------------------------ */

static void budget_specs(void **state)
{
    (void)state;
    double *b = NULL;
    int n = 0;
    char msg[256];
    assert_int_equal(ckp_sweep_parse_budgets("0:300:50", &b, &n, msg, sizeof msg), CKP_OK);
    assert_int_equal(n, 7);
    assert_true(b[0] == 0 && b[6] == 300);
    ckp_free(b);
    assert_int_equal(ckp_sweep_parse_budgets("0:1:0.1", &b, &n, msg, sizeof msg), CKP_OK);
    assert_int_equal(n, 11);
    assert_true(b[3] == 0.3 && b[10] == 1);
    ckp_free(b);
    assert_int_equal(ckp_sweep_parse_budgets("2000,500,1000", &b, &n, msg, sizeof msg),
                     CKP_OK);
    assert_int_equal(n, 3);
    assert_true(b[0] == 500 && b[1] == 1000 && b[2] == 2000);
    ckp_free(b);
    assert_int_equal(ckp_sweep_parse_budgets("0:9999:1", &b, &n, msg, sizeof msg), CKP_OK);
    assert_int_equal(n, 10000);
    ckp_free(b);

    static const struct {
        const char *spec, *msg;
    } bad[] = {
        {"300:0:50", "reversed range 300:0"},
        {"0:300:0", "step 0 must be > 0"},
        {"0:300:-5", "step -5 must be > 0"},
        {"0:10000:1", "10001 points, more than the 10000 allowed"},
        {"-5:300:50", "budget -5 is below zero"},
        {"500,-1", "budget -1 is below zero"},
        {"500,500", "budget 500 is given twice"},
        {"0:300", "is not A:B:STEP"},
        {"500,lots", "'lots' in '500,lots' is not a number"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        b = NULL;
        assert_int_equal(ckp_sweep_parse_budgets(bad[i].spec, &b, &n, msg, sizeof msg),
                         CKP_EUSAGE);
        assert_null(b);
        if (!strstr(msg, bad[i].msg)) fail_msg("%s: %s", bad[i].spec, msg);
        /* the command line: exit 2 before any solve, nothing written */
        assert_int_equal(tu_cli("sweep " THREE " --budgets=%s --out %s", bad[i].spec,
                             tmp("never")), CKP_EXIT_USAGE);
        if (!strstr(tu_err, bad[i].msg)) fail_msg("%s: %s", bad[i].spec, tu_err);
        assert_int_equal(access(tmp("never"), F_OK), -1);
    }
    assert_int_equal(tu_cli("sweep " THREE " --budget 100"), CKP_EXIT_USAGE);
    assert_non_null(strstr(tu_err, "--budgets A:B:STEP or A,B,C"));
    assert_int_equal(tu_cli("sweep " THREE " --budgets 1,2 --budget=100"), CKP_EXIT_USAGE);
    assert_non_null(strstr(tu_err, "--budgets A:B:STEP or A,B,C"));
    /* --help does not offer the --budget it refuses */
    assert_int_equal(tu_cli("sweep --help"), CKP_EXIT_OK);
    assert_non_null(strstr(tu_out, "--budgets SPEC"));
    assert_null(strstr(tu_out, "--budget M"));
    assert_int_equal(tu_cli("sweep " THREE), CKP_EXIT_USAGE);
    assert_non_null(strstr(tu_err, "--budgets is required"));
    assert_int_equal(tu_cli("sweep " THREE " --budgets 1,2 --resume"), CKP_EXIT_USAGE);
    assert_int_equal(tu_cli("sweep " THREE " --budgets 1,2 --shard 3/2"), CKP_EXIT_USAGE);
    assert_int_equal(tu_cli("sweep " THREE " --budgets 1,2 -j 0"), CKP_EXIT_USAGE);
}

/* The frontier of three.xml, computed by hand in the plan's comment. */
static void hand_frontier(void **state)
{
    (void)state;
    const char *dir = tmp("three");
    assert_int_equal(tu_cli("sweep " THREE " --budgets 100,250,300,400 -j 2 --out %s", dir),
                     CKP_EXIT_OK);
    char *f = slurp(dir, "frontier.csv");
    /* three non-dominated points; 400 repeats 300's portfolio */
    double o[3], c[3];
    char line[3][64];
    assert_int_equal(sscanf(f, "budget,objective,cut_pct,commitment,projects\n"
                               "100,%lf,%*[^,],%lf,%63s\n250,%lf,%*[^,],%lf,%63s\n"
                               "300,%lf,%*[^,],%lf,%63s\n",
                            &o[0], &c[0], line[0], &o[1], &c[1], line[1], &o[2], &c[2],
                            line[2]),
                     9);
    assert_null(strstr(f, "\n400,"));
    assert_true(fabs(o[0] - 2.4) < 1e-3 && c[0] == 100);
    assert_true(fabs(o[1] - 2.0) < 1e-3 && c[1] == 200);
    assert_true(fabs(o[2] - 1.4) < 1e-3 && c[2] == 300);
    assert_string_equal(line[0], "a:loan");
    assert_string_equal(line[1], "b:loan");
    assert_string_equal(line[2], "a:loan;b:loan");
    free(f);
    f = slurp(dir, "no-regret.csv");
    assert_non_null(strstr(f, "\na,project,sometimes,100,no,0,100:loan;300:loan;400:loan\n"));
    assert_non_null(strstr(f, "\nb,project,sometimes,250,yes,0,250:loan;300:loan;400:loan\n"));
    assert_non_null(strstr(f, "\nc,project,never,,,0,\n"));
    free(f);
    f = slurp(dir, "sweep.csv");
    assert_non_null(strstr(f, "\n250,optimal,0,"));
    assert_non_null(strstr(f, ",0.5,total,b:loan,"));
    free(f);
    /* stdout: the table, the marginal values, the no-regret list */
    assert_non_null(strstr(tu_out, "Baseline (no project funded): exposure 3.000000"));
    assert_non_null(strstr(tu_out, "  from 250     b (then at every larger budget)"));
    assert_non_null(strstr(tu_out, "  sometimes    a (first at 100"));
    assert_non_null(strstr(tu_out, "250.0 ->      300.0      1.200000"));
}

/* Never rising with the budget (weighted), and each point = solve at b. */
static void points_equal_solve(void **state)
{
    (void)state;
    const char *dir = tmp("grid");
    assert_int_equal(tu_cli("sweep " TINY " --budgets " GRID " -j 2 -q --out %s", dir),
                     CKP_EXIT_OK);
    char *csv = slurp(dir, "sweep.csv");
    ckp_plan *plan = tu_load_checked("data/build/tiny.xml");
    double prev = INFINITY;
    int rows = 0;
    for (char *l = strchr(csv, '\n') + 1; *l; l = strchr(l, '\n') + 1) {
        double budget, obj;
        char status[32], projects[256] = "";
        assert_int_equal(sscanf(l, "%lf,%31[^,],%*[^,],%lf", &budget, status, &obj), 3);
        assert_string_equal(status, "optimal");
        assert_true(obj <= prev + 1e-9);
        prev = obj;
        /* the projects column: the 4th field from the end */
        char *end = strchr(l, '\n');
        char *f[4];
        int k = 0;
        for (char *p = end - 1; p > l && k < 4; p--)
            if (*p == ',') f[k++] = p;
        assert_int_equal(k, 4);
        memcpy(projects, f[2] + 1, (size_t)(f[1] - f[2] - 1));
        projects[f[1] - f[2] - 1] = '\0';
        if (rows % 3 == 0) {
            ckp_model_params mp;
            ckp_model_params_init(&mp);
            mp.budget_total = budget;
            ckp_result *r = tu_solve(plan, &mp, NULL);
            char want[64], got[64];
            snprintf(want, sizeof want, "%.10g", r->objective_value);
            snprintf(got, sizeof got, "%.10g", obj);
            assert_string_equal(got, want);
            char picks[256] = "";
            for (int i = 0; i < r->n_picks; i++) {
                const ckp_project *p = &plan->projects[r->picks[i].project];
                snprintf(picks + strlen(picks), sizeof picks - strlen(picks), "%s%s:%s",
                         i ? ";" : "", p->id, p->options[r->picks[i].option].id);
            }
            for (int i = 0; i < r->n_upgrade_picks; i++)
                snprintf(picks + strlen(picks), sizeof picks - strlen(picks), "%s%s",
                         strlen(picks) ? ";" : "", plan->upgrades[r->upgrade_picks[i].upgrade].id);
            assert_string_equal(projects, picks);
            ckp_result_free(r);
        }
        rows++;
    }
    assert_int_equal(rows, 13);
    ckp_plan_free(plan);
    free(csv);
}

static void jobs_do_not_matter(void **state)
{
    (void)state;
    assert_int_equal(tu_cli("sweep " TINY " --budgets " GRID " -j 1 -q --out %s", tmp("j1")),
                     CKP_EXIT_OK);
    char *t1 = strdup(tu_out);
    assert_int_equal(tu_cli("sweep " TINY " --budgets " GRID " -j 3 -q --out %s", tmp("j3")),
                     CKP_EXIT_OK);
    assert_string_equal(t1, tu_out); /* the table has no timing */
    /* two workers: the chains upwards from the least budget and downwards
       from the largest (docs/sweeps.md §4a) */
    assert_int_equal(tu_cli("sweep " TINY " --budgets " GRID " -j 2 -q --out %s", tmp("j2")),
                     CKP_EXIT_OK);
    assert_string_equal(t1, tu_out);
    free(t1);
    assert_same_sweep(tmp("j1"), tmp("j2"));
    assert_same_sweep(tmp("j1"), tmp("j3"));
    assert_same_sweep(tmp("j1"), tmp("grid"));
}

/* Points of dir that started from another point's portfolio (*from) and
 * that ended at a larger budget's bound (*bound). */
static void warm_counts(const char *dir, int *from, int *bound)
{
    char pa[512];
    snprintf(pa, sizeof pa, "%s/points", dir);
    DIR *d = opendir(pa);
    assert_non_null(d);
    struct dirent *e;
    *from = *bound = 0;
    while ((e = readdir(d))) {
        if (e->d_name[0] != 'b') continue;
        char f[1024];
        snprintf(f, sizeof f, "%s/%s/point.txt", pa, e->d_name);
        char *t = tu_read_file(f, NULL);
        assert_non_null(t);
        char *w = strstr(t, "\nwarm ");
        double b = -1;
        int k = 0;
        if (w && sscanf(w, "\nwarm %lf %d", &b, &k) == 2) {
            *from += b >= 0;
            *bound += k;
        }
        free(t);
    }
    closedir(d);
}

/* Warm starts change nothing but the search: -j 1 and -j 3 (warm, above)
 * = a cold run, also under --scale-year-limits, where a portfolio of a
 * larger budget breaks a smaller one's limit of 2026. */
static void warm_equals_cold(void **state)
{
    (void)state;
    assert_int_equal(tu_cli("sweep " TINY " --budgets " GRID " -j 1 -q --no-warm-start "
                            "--out %s", tmp("cold")), CKP_EXIT_OK);
    char *t1 = strdup(tu_out);
    assert_same_sweep(tmp("j1"), tmp("cold"));
    assert_same_sweep(tmp("j3"), tmp("cold"));
    int from, bound;
    warm_counts(tmp("cold"), &from, &bound);
    assert_int_equal(from + bound, 0);
    warm_counts(tmp("j1"), &from, &bound);
    assert_true(from >= 10); /* every point but the largest and the least */
    assert_true(bound >= 5);  /* the flat part, 100 and above */
    assert_int_equal(tu_cli("sweep " TINY " --budgets " GRID " -j 1 -q --out %s", tmp("w1")),
                     CKP_EXIT_OK);
    assert_string_equal(t1, tu_out);
    free(t1);
    assert_int_equal(tu_cli("sweep " TINY " --budgets " GRID " --scale-year-limits -j 2 -q "
                            "--out %s", tmp("sw")), CKP_EXIT_OK);
    t1 = strdup(tu_out);
    assert_int_equal(tu_cli("sweep " TINY " --budgets " GRID " --scale-year-limits -j 1 -q "
                            "--no-warm-start --out %s", tmp("sc")), CKP_EXIT_OK);
    assert_string_equal(t1, tu_out);
    free(t1);
    assert_same_sweep(tmp("sw"), tmp("sc"));
    warm_counts(tmp("sw"), &from, &bound);
    assert_true(from >= 1);
    /* the year-limit options are part of the settings: resuming the
       scaled sweep without them is refused */
    assert_int_equal(tu_cli("sweep " TINY " --budgets " GRID " -q --resume --out %s",
                            tmp("sw")), CKP_EXIT_USAGE);
    assert_int_equal(tu_cli("sweep " TINY " --budgets " GRID " --scale-year-limits "
                            "--year-limit 2027=50 -q --resume --out %s", tmp("sw")),
                     CKP_EXIT_USAGE);
}

/* Equal doubles, NAN equal to NAN. */
static void assert_same_doubles(const double *a, const double *b, int n)
{
    for (int i = 0; i < n; i++)
        if (!(a[i] == b[i] || (isnan(a[i]) && isnan(b[i]))))
            fail_msg("[%d]: %.17g != %.17g", i, a[i], b[i]);
}

/* ckp_baseline_solve once, then runs at several budgets that take its
 * figures: the same results as runs that solve their own (also under the
 * worst-case measure, whose baseline is pinned by LPs); a baseline of
 * another plan is not taken. */
static void baseline_once(void **state)
{
    (void)state;
    static const char *const plans[] = {"data/build/tiny.xml", "data/cli/scenarios.xml"};
    ckp_plan *other = tu_load_checked("data/sweep/three.xml");
    ckp_baseline *wrong = NULL;
    assert_int_equal(ckp_baseline_solve(other, NULL, NULL, &wrong, NULL), CKP_OK);
    for (int k = 0; k < 2; k++) {
        ckp_plan *plan = tu_load_checked(plans[k]);
        ckp_model_params mp;
        ckp_model_params_init(&mp);
        if (k == 1) mp.measure = CKP_MEASURE_WORST;
        ckp_baseline *bl = NULL;
        assert_int_equal(ckp_baseline_solve(plan, &mp, NULL, &bl, NULL), CKP_OK);
        static const double budgets[] = {0, 50, 300};
        for (int i = 0; i < 3; i++) {
            mp.budget_total = budgets[i];
            ckp_result *own = tu_solve(plan, &mp, NULL);
            for (int w = 0; w < 2; w++) {
                ckp_run_hints h;
                ckp_run_hints_init(&h);
                h.baseline = w ? wrong : bl;
                ckp_result *r = NULL;
                assert_int_equal(ckp_run_hinted(plan, &mp, NULL, &h, &r, NULL), CKP_OK);
                int ncy = plan->n_commodities * r->n_years, nsy = plan->n_stages * r->n_years;
                assert_same_doubles(&own->baseline_objective, &r->baseline_objective, 1);
                assert_same_doubles(own->baseline_exposure, r->baseline_exposure, ncy);
                assert_same_doubles(own->baseline_shortage, r->baseline_shortage, ncy);
                assert_same_doubles(own->stage_baseline, r->stage_baseline, nsy);
                assert_same_doubles(own->scen_baseline_value, r->scen_baseline_value,
                                    r->n_scenarios);
                assert_same_doubles(&own->objective_value, &r->objective_value, 1);
                ckp_result_free(r);
            }
            ckp_result_free(own);
        }
        ckp_baseline_free(bl);
        ckp_plan_free(plan);
    }
    ckp_baseline_free(wrong);
    ckp_baseline_free(NULL);
    ckp_plan_free(other);
}

typedef struct seen {
    int calls, last_done, total, bad, running_seen;
} seen;

static void on_progress(void *ctx, const ckp_sweep_progress_info *in)
{
    seen *s = ctx;
    s->calls++;
    if (in->done < s->last_done || in->done > in->total) s->bad++;
    s->last_done = in->done;
    s->total = in->total;
    for (int i = 0; i < in->n_running; i++) {
        double b = in->running[i].budget, g = in->running[i].gap;
        if (b < 0 || b > 300 || fmod(b, 25) != 0 || (!isnan(g) && !(g >= 0 && g <= 1)))
            s->bad++;
        if (i > 0 && !(in->running[i - 1].budget < b)) s->bad++;
        s->running_seen++;
    }
}

/* The library's progress callback: points done never go back and end at
 * the total; running points are budgets of the grid, in order, with a gap
 * in [0, 1] or none yet; the answers are those of a run without it. */
static void progress_reports(void **state)
{
    (void)state;
    ckp_plan *plan = tu_load_checked("data/build/tiny.xml");
    double *b = NULL;
    int n = 0;
    char msg[128];
    assert_int_equal(ckp_sweep_parse_budgets(GRID, &b, &n, msg, sizeof msg), CKP_OK);
    ckp_sweep_params p;
    ckp_sweep_params_init(&p);
    p.plan_path = TINY;
    p.budgets = b;
    p.n_budgets = n;
    p.workers = 2;
    seen s = {0, 0, 0, 0, 0};
    p.progress = on_progress;
    p.progress_ctx = &s;
    ckp_sweep *sw = NULL, *quiet = NULL;
    assert_int_equal(ckp_sweep_run(plan, &p, &sw, NULL), CKP_OK);
    assert_int_equal(s.bad, 0);
    assert_int_equal(s.total, n);
    assert_int_equal(s.last_done, n);
    assert_true(s.calls >= n + 1);
    p.progress = NULL;
    assert_int_equal(ckp_sweep_run(plan, &p, &quiet, NULL), CKP_OK);
    for (int i = 0; i < n; i++) {
        assert_true(sw->points[i].objective == quiet->points[i].objective);
        assert_int_equal(sw->points[i].n_picks, quiet->points[i].n_picks);
    }
    ckp_sweep_free(sw);
    ckp_sweep_free(quiet);
    ckp_free(b);
    ckp_plan_free(plan);
}

static void shards_merge(void **state)
{
    (void)state;
    for (int k = 1; k <= 3; k++) {
        char name[16];
        snprintf(name, sizeof name, "s%d", k);
        assert_int_equal(tu_cli("sweep " TINY " --budgets " GRID " --shard %d/3 -q --out %s",
                             k, tmp(name)), CKP_EXIT_OK);
    }
    assert_int_equal(n_points(tmp("s1")), 5); /* points 0, 3, 6, 9, 12 */
    assert_int_equal(tu_cli("merge " TINY " --out %s %s %s %s", tmp("merged"), tmp("s1"),
                         tmp("s2"), tmp("s3")), CKP_EXIT_OK);
    assert_same_sweep(tmp("merged"), tmp("j1"));
    /* refused: a missing shard, other settings, another plan */
    assert_int_equal(tu_cli("merge " TINY " --out %s %s %s", tmp("m2"), tmp("s1"), tmp("s2")),
                     CKP_EXIT_USAGE);
    assert_non_null(strstr(tu_err, "no finished point in any of the 2 folders"));
    assert_int_equal(tu_cli("sweep " TINY " --budgets " GRID " --shard 3/3 --max-share 0.9 "
                         "-q --out %s", tmp("other")), CKP_EXIT_OK);
    assert_int_equal(tu_cli("merge " TINY " --out %s %s %s %s", tmp("m3"), tmp("s1"),
                         tmp("s2"), tmp("other")), CKP_EXIT_USAGE);
    assert_non_null(strstr(tu_err, "this folder holds a sweep of other settings"));
    assert_int_equal(tu_cli("merge " THREE " --out %s %s %s %s", tmp("m4"), tmp("s1"),
                         tmp("s2"), tmp("s3")), CKP_EXIT_USAGE);
    assert_non_null(strstr(tu_err, "another plan file"));
    assert_int_equal(access(tmp("m4"), F_OK), -1);
    assert_int_equal(tu_cli("sweep " TINY " --budgets 0:300:50 --shard 2/3 -q --out %s",
                         tmp("budgets")), CKP_EXIT_OK);
    assert_int_equal(tu_cli("merge " TINY " --out %s %s %s", tmp("m5"), tmp("s1"),
                         tmp("budgets")), CKP_EXIT_USAGE);
    assert_non_null(strstr(tu_err, "other budgets"));
}

/* Start a sweep in the background, wait until `want` points are done (or
 * it ended), send sig; returns the exit code (or -signal). */
static int interrupt_sweep(const char *args, const char *dir, int want, int sig)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        char cmd[2048];
        snprintf(cmd, sizeof cmd, "exec '%s' %s --out '%s' >/dev/null 2>&1", CKP_CLI_BIN,
                 args, dir);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    int ws;
    for (;;) {
        if (waitpid(pid, &ws, WNOHANG) == pid) {
            print_message("note: the sweep ended before it could be interrupted\n");
            return WIFEXITED(ws) ? WEXITSTATUS(ws) : -WTERMSIG(ws);
        }
        if (n_points(dir) >= want) break;
        struct timespec ts = {0, 5000000};
        nanosleep(&ts, NULL);
    }
    kill(pid, sig);
    assert_int_equal(waitpid(pid, &ws, 0), pid);
    return WIFEXITED(ws) ? WEXITSTATUS(ws) : -WTERMSIG(ws);
}

#define LONG_GRID "0:590:10"

static void resume_after_kill(void **state)
{
    (void)state;
    assert_int_equal(tu_cli("sweep " TINY " --budgets " LONG_GRID " -j 2 -q --out %s",
                         tmp("whole")), CKP_EXIT_OK);
    int rc = interrupt_sweep("sweep " TINY " --budgets " LONG_GRID " -j 2 -q",
                             tmp("killed"), 5, SIGKILL);
    if (rc != 0) assert_int_equal(rc, -SIGKILL);
    int done = n_points(tmp("killed"));
    assert_true(done >= 5);
    assert_int_equal(tu_cli("sweep " TINY " --budgets " LONG_GRID " -j 2 --resume --out %s",
                         tmp("killed")), CKP_EXIT_OK);
    if (rc == -SIGKILL) {
        /* every point finished before the kill is kept (a worker may
           still have finished one while the kill reached it) */
        const char *r = strstr(tu_out, " resumed)");
        assert_non_null(r);
        while (r > tu_out && r[-1] != '(') r--;
        int resumed = atoi(r);
        if (resumed < done) fail_msg("%d resumed, %d were done:\n%s", resumed, done, tu_out);
    }
    assert_same_sweep(tmp("killed"), tmp("whole"));
    /* no temporary folder left behind by the kill survives the resume */
    char pts[512];
    snprintf(pts, sizeof pts, "%s/points", tmp("killed"));
    DIR *d = opendir(pts);
    assert_non_null(d);
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] == '.' && strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            fail_msg("left behind: %s/%s", pts, e->d_name);
    closedir(d);
    /* resuming with other settings is refused */
    assert_int_equal(tu_cli("sweep " TINY " --budgets " LONG_GRID " --max-share 0.9 --resume "
                         "--out %s", tmp("killed")), CKP_EXIT_USAGE);
    assert_non_null(strstr(tu_err, "holds a sweep of other settings"));
}

static void sigint_keeps_points(void **state)
{
    (void)state;
    int rc = interrupt_sweep("sweep " TINY " --budgets " LONG_GRID " -j 2 -q",
                             tmp("int"), 5, SIGINT);
    if (rc == 0) return; /* finished first (noted) */
    assert_int_equal(rc, CKP_EXIT_INTERRUPTED);
    char *csv = slurp(tmp("int"), "sweep.csv");
    int rows = -1;
    for (char *p = csv; *p; p++) rows += *p == '\n';
    free(csv);
    assert_true(rows >= 5 && rows < 60);
    assert_int_equal(rows, n_points(tmp("int")));
    assert_int_equal(tu_cli("sweep " TINY " --budgets " LONG_GRID " -j 2 --resume -q --out %s",
                         tmp("int")), CKP_EXIT_OK);
    assert_same_sweep(tmp("int"), tmp("whole"));
}

static void gnu_parallel_shards(void **state)
{
    (void)state;
    if (system("command -v parallel >/dev/null 2>&1") != 0) {
        print_message("skipped: GNU parallel is not installed (Debian package "
                      "'parallel'; .ci/run installs it)\n");
        skip();
    }
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "parallel --will-cite -j 3 '%s' sweep " TINY " --budgets " GRID
             " --shard {}/3 -q --out '%s/p{}' ::: 1 2 3 >/dev/null && "
             "'%s' merge " TINY " --out '%s/pmerged' '%s'/p1 '%s'/p2 '%s'/p3 >/dev/null",
             CKP_CLI_BIN, g_tmp, CKP_CLI_BIN, g_tmp, g_tmp, g_tmp, g_tmp);
    char *err = NULL;
    int rc = tu_run(cmd, NULL, &err);
    if (rc != 0) fail_msg("parallel + merge failed (%d): %s", rc, err);
    free(err);
    assert_same_sweep(tmp("pmerged"), tmp("j1"));
}

/* --nested on three.xml: a stays funded once funded, so 250 keeps a
 * (2.4, the unconstrained optimum b gives 2.0: nesting costs 0.4) and 300
 * adds b; each point's projects contain the point below's. */
static void nested_are_nested(void **state)
{
    (void)state;
    const char *dir = tmp("nested");
    assert_int_equal(tu_cli("sweep " THREE " --budgets 100,250,300,400 --nested -j 2 "
                         "--out %s", dir), CKP_EXIT_OK);
    char *csv = slurp(dir, "sweep.csv");
    assert_non_null(strstr(csv, ",binding,projects,free_objective,nesting_cost,nodes,"));
    char prev[256] = "";
    double cost[4];
    int k = 0;
    for (char *l = strchr(csv, '\n') + 1; *l; l = strchr(l, '\n') + 1) {
        /* ...,binding,projects,free,cost,nodes,cpu */
        char *f[6];
        int n = 0;
        for (char *p = strchr(l, '\n') - 1; p > l && n < 6; p--)
            if (*p == ',') f[n++] = p;
        assert_int_equal(n, 6);
        char projects[256];
        memcpy(projects, f[4] + 1, (size_t)(f[3] - f[4] - 1));
        projects[f[3] - f[4] - 1] = '\0';
        /* nested: every project of the point below is here */
        char *save = NULL, copy[256];
        snprintf(copy, sizeof copy, "%s", prev);
        for (char *t = strtok_r(copy, ";", &save); t; t = strtok_r(NULL, ";", &save))
            if (!strstr(projects, t)) fail_msg("%s funded below, not in %s", t, projects);
        snprintf(prev, sizeof prev, "%s", projects);
        assert_true(k < 4);
        cost[k++] = strtod(f[2] + 1, NULL);
    }
    assert_int_equal(k, 4);
    assert_true(fabs(cost[0]) < 1e-6);
    assert_true(fabs(cost[1] - 0.4) < 1e-3);
    assert_true(fabs(cost[2]) < 1e-6 && fabs(cost[3]) < 1e-6);
    assert_non_null(strstr(csv, "\n250,optimal,0,"));
    assert_non_null(strstr(csv, ",a:loan,"));
    free(csv);
    assert_non_null(strstr(tu_out, "Cost of nesting"));
    assert_non_null(strstr(tu_out, "  always       a\n"));
    /* warm starts (docs/sweeps.md §8a): the same answers as a cold chain;
       the three points whose nesting costs nothing (100, 300, 400) start
       from their free optimum and stop at its bound, 250 does not */
    char *t1 = strdup(tu_out);
    int from, bound;
    warm_counts(dir, &from, &bound);
    assert_int_equal(bound, 3);
    assert_int_equal(tu_cli("sweep " THREE " --budgets 100,250,300,400 --nested -j 1 "
                            "--no-warm-start --out %s", tmp("nested-cold")), CKP_EXIT_OK);
    assert_string_equal(t1, tu_out);
    free(t1);
    assert_same_sweep(dir, tmp("nested-cold"));
    warm_counts(tmp("nested-cold"), &from, &bound);
    assert_int_equal(from + bound, 0);
    /* a longer chain on another plan: -j 2 warm = -j 1 cold */
    assert_int_equal(tu_cli("sweep " TINY " --budgets " GRID " --nested -j 2 -q --out %s",
                            tmp("tn-warm")), CKP_EXIT_OK);
    t1 = strdup(tu_out);
    assert_int_equal(tu_cli("sweep " TINY " --budgets " GRID " --nested -j 1 -q "
                            "--no-warm-start --out %s", tmp("tn-cold")), CKP_EXIT_OK);
    assert_string_equal(t1, tu_out);
    free(t1);
    assert_same_sweep(tmp("tn-warm"), tmp("tn-cold"));
    warm_counts(tmp("tn-warm"), &from, &bound);
    assert_true(from >= 10);
    /* shards cannot split a chain */
    assert_int_equal(tu_cli("sweep " THREE " --budgets 100,250 --nested --shard 1/2"),
                     CKP_EXIT_USAGE);
}

/* --frontier exact on three.xml between 0 and 400: the four distinct
 * portfolios, cheapest first (commitments 0, 100, 200, 300). */
static void exact_frontier(void **state)
{
    (void)state;
    const char *dir = tmp("exact");
    assert_int_equal(tu_cli("sweep " THREE " --budgets 0,400 --frontier exact --out %s", dir),
                     CKP_EXIT_OK);
    char *f = slurp(dir, "frontier.csv");
    double b[4], o[4], c[4];
    assert_int_equal(sscanf(f, "budget,objective,cut_pct,commitment,projects\n"
                               "%lf,%lf,%*[^,],%lf,\n%lf,%lf,%*[^,],%lf,a:loan\n"
                               "%lf,%lf,%*[^,],%lf,b:loan\n%lf,%lf,%*[^,],%lf,a:loan;b:loan\n",
                            &b[0], &o[0], &c[0], &b[1], &o[1], &c[1], &b[2], &o[2], &c[2],
                            &b[3], &o[3], &c[3]),
                     12);
    static const double want_o[4] = {3.0, 2.4, 2.0, 1.4}, want_c[4] = {0, 100, 200, 300};
    for (int i = 0; i < 4; i++) {
        assert_true(fabs(o[i] - want_o[i]) < 1e-3);
        assert_true(c[i] == want_c[i]);
        /* each solved just below the next portfolio's commitment */
        if (i < 3) assert_true(b[i] < want_c[i + 1] && b[i] > want_c[i + 1] - 0.1);
    }
    assert_true(b[3] == 400);
    free(f);
    assert_int_equal(n_points(dir), 4);
    assert_non_null(strstr(tu_out, "(exact frontier)"));
    /* warm starts (docs/sweeps.md §8b): each breakpoint below the first
       starts from the last one's portfolio less what does not fit; the
       same breakpoints as cold, here and on another plan */
    char *t1 = strdup(tu_out);
    int from, bound;
    warm_counts(dir, &from, &bound);
    /* a+b less a -> b at 299.97, b less b (nothing) at 199.98 and a less
       a at 99.99 */
    assert_int_equal(from, 3);
    assert_int_equal(tu_cli("sweep " THREE " --budgets 0,400 --frontier exact --no-warm-start "
                            "--out %s", tmp("exact-cold")), CKP_EXIT_OK);
    assert_string_equal(t1, tu_out);
    free(t1);
    assert_same_sweep(dir, tmp("exact-cold"));
    assert_int_equal(tu_cli("sweep " TINY " --budgets 0,300 --frontier exact -q --out %s",
                            tmp("te-warm")), CKP_EXIT_OK);
    t1 = strdup(tu_out);
    assert_int_equal(tu_cli("sweep " TINY " --budgets 0,300 --frontier exact -q "
                            "--no-warm-start --out %s", tmp("te-cold")), CKP_EXIT_OK);
    assert_string_equal(t1, tu_out);
    free(t1);
    assert_same_sweep(tmp("te-warm"), tmp("te-cold"));
    warm_counts(tmp("te-warm"), &from, &bound);
    assert_true(from >= 1);
    assert_int_equal(bound, 0);
    assert_int_equal(tu_cli("sweep " THREE " --budgets 0,400 --frontier exact --resume --out %s",
                         dir), CKP_EXIT_USAGE);
}

/* ------------------------------------------------------------------ */
/* The pool itself */

static int sq_work(void *ctx, int job, void **out, size_t *len)
{
    (void)ctx;
    if (job == 5) abort(); /* a crash is reported, not fatal */
    long *v = ckp_malloc(sizeof *v);
    *v = (long)job * job;
    *out = v;
    *len = sizeof *v;
    return job == 7 ? 42 : 0;
}

typedef struct sq_ctx {
    long got[20];
    int status[20];
    int calls;
    int seq[20]; /* jobs in the order done() saw them */
    int mode;    /* order callback: 0 reverse, 1 always -1, 2 a started job */
} sq_ctx;

static int sq_done(void *ctx, int job, int status, const void *data, size_t len)
{
    sq_ctx *c = ctx;
    if (c->calls < 20) c->seq[c->calls] = job;
    c->calls++;
    c->status[job] = status;
    if (status >= 0 && len == sizeof(long)) memcpy(&c->got[job], data, sizeof(long));
    return 0;
}

static void pool_contract(void **state)
{
    (void)state;
    for (int w = 1; w <= 4; w += 3) {
        sq_ctx c;
        memset(&c, 0, sizeof c);
        ckp_pool pool = {w, sq_work, sq_done, &c, NULL, NULL, NULL};
        ckp_pool_stats st;
        assert_int_equal(ckp_pool_run(&pool, 20, &st), CKP_OK);
        assert_int_equal(c.calls, 20);
        assert_int_equal(st.finished, 20);
        assert_int_equal(st.failed, 2);
        assert_int_equal(st.interrupted, 0);
        for (int j = 0; j < 20; j++) {
            if (j == 5) {
                assert_int_equal(c.status[j], CKP_POOL_CRASHED);
                continue;
            }
            assert_int_equal(c.status[j], j == 7 ? 42 : 0);
            assert_int_equal(c.got[j], (long)j * j);
        }
    }
    /* a stop set before the run starts nothing */
    volatile sig_atomic_t stop = 1;
    sq_ctx c;
    memset(&c, 0, sizeof c);
    ckp_pool pool = {2, sq_work, sq_done, &c, &stop, NULL, NULL};
    ckp_pool_stats st;
    assert_int_equal(ckp_pool_run(&pool, 20, &st), CKP_OK);
    assert_int_equal(st.interrupted, 1);
    assert_int_equal(c.calls, 0);
    assert_int_equal(st.not_started, 20);
}

/* The order callback: the highest job not started (mode 0), none (1: the
 * pool then starts the first one not started whenever nothing runs), or
 * a job already started (2: ignored the same way). */
static int sq_order(void *ctx, const unsigned char *started, int n)
{
    const sq_ctx *c = ctx;
    if (c->mode == 1) return -1;
    for (int j = n - 1; j >= 0; j--)
        if (c->mode == 0 ? !started[j] : started[j]) return j;
    return c->mode == 0 ? -1 : n; /* out of range: ignored */
}

static void pool_order(void **state)
{
    (void)state;
    for (int mode = 0; mode < 3; mode++)
        for (int w = 1; w <= 3; w += 2) {
            sq_ctx c;
            memset(&c, 0, sizeof c);
            c.mode = mode;
            ckp_pool pool = {w, sq_work, sq_done, &c, NULL, NULL, sq_order};
            ckp_pool_stats st;
            assert_int_equal(ckp_pool_run(&pool, 20, &st), CKP_OK);
            assert_int_equal(c.calls, 20); /* every job ran once */
            assert_int_equal(st.started, 20);
            assert_int_equal(st.finished, 20);
            for (int j = 0; j < 20; j++)
                if (j != 5) assert_int_equal(c.got[j], (long)j * j);
            if (w == 1) /* one at a time: in the order chosen */
                for (int k = 0; k < 20; k++)
                    assert_int_equal(c.seq[k], mode == 0 ? 19 - k : k);
            if (mode == 1) /* never two at a time: in job order */
                for (int k = 0; k < 20; k++) assert_int_equal(c.seq[k], k);
        }
}

/* ckp_run_jobs: fixed-size records by job index, over the same pool. */
static ckp_status rec_job(int i, void *arg, void *rec)
{
    int *fail_at = arg;
    long v[2] = {i, (long)i * i * i};
    memcpy(rec, v, sizeof v);
    return i == *fail_at ? CKP_EINVALID : CKP_OK;
}

static void run_jobs_contract(void **state)
{
    (void)state;
    for (int w = 1; w <= 3; w += 2) {
        long out[17][2];
        int fail_at = -1;
        memset(out, 0xff, sizeof out);
        assert_int_equal(ckp_run_jobs(17, w, rec_job, &fail_at, sizeof out[0], out), CKP_OK);
        for (int i = 0; i < 17; i++) {
            assert_int_equal(out[i][0], i);
            assert_int_equal(out[i][1], (long)i * i * i);
        }
        fail_at = 11;
        assert_int_equal(ckp_run_jobs(17, w, rec_job, &fail_at, sizeof out[0], out),
                         CKP_EINVALID);
    }
}

static int setup(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("sweep");
    snprintf(g_tmp, sizeof g_tmp, "%s", dir);
    free(dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    tu_tmp_remove(g_tmp);
    tu_cli_free();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(pool_contract),
        cmocka_unit_test(pool_order),
        cmocka_unit_test(run_jobs_contract),
        cmocka_unit_test(budget_specs),
        cmocka_unit_test(hand_frontier),
        cmocka_unit_test(points_equal_solve),
        cmocka_unit_test(jobs_do_not_matter),
        cmocka_unit_test(warm_equals_cold),
        cmocka_unit_test(baseline_once),
        cmocka_unit_test(progress_reports),
        cmocka_unit_test(shards_merge),
        cmocka_unit_test(resume_after_kill),
        cmocka_unit_test(sigint_keeps_points),
        cmocka_unit_test(gnu_parallel_shards),
        cmocka_unit_test(nested_are_nested),
        cmocka_unit_test(exact_frontier),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
