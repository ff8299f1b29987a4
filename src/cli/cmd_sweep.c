/* cmd_sweep.c: "chokepoint sweep PLAN.xml --budgets SPEC [options]": parse
 * the options (every solve override, the budgets, -j, --out, --shard,
 * --resume), run the sweep (src/study/sweep.c) with SIGINT/SIGTERM turned
 * into a stop request, show progress on a terminal, print the frontier
 * table and map the points' statuses to the exit code
 * (docs/exit-codes.md, docs/sweeps.md). */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ckp/sweep.h"
#include "cli/cli.h"
#include "util/alloc.h"

static const cli_opt sweep_opts[] = {
    {"budgets", required_argument, CLI_OPT_BUDGETS, "SPEC",
     "the total budgets to solve: A:B:STEP (A, A+STEP, ... up to B) or a "
     "list A,B,C (millions; at most 10,000 points)"},
    CLI_MODEL_OPTS_SWEPT,
    CLI_SOLVER_OPTS,
    {"out", required_argument, 'o', "DIR",
     "write one folder per point (points/b<budget>: solve's files), "
     "sweep.csv, frontier.csv, no-regret.csv, report.html (the frontier and "
     "no-regret charts) and sweep.txt into DIR"},
    {"jobs", required_argument, 'j', "N",
     "worker processes (default: the number of cores); the results do not "
     "depend on N"},
    {"shard", required_argument, CLI_OPT_SHARD, "K/N",
     "solve only the K-th of N slices of the points (points i with i mod N = "
     "K-1); join the shards' folders with 'chokepoint merge'"},
    {"resume", no_argument, CLI_OPT_RESUME, NULL,
     "with --out: keep the finished points of DIR whose plan and settings "
     "match, solve the rest"},
    {"nested", no_argument, CLI_OPT_NESTED, NULL,
     "portfolios grow with the budget: each point funds every project the "
     "point below funds; reports what nesting costs in exposure"},
    {"frontier", required_argument, CLI_OPT_FRONTIER, "grid|exact",
     "grid (default): the budgets given; exact: every breakpoint of exposure "
     "against commitment between the least and the largest budget"},
    {"no-warm-start", no_argument, CLI_OPT_NO_WARM_START, NULL,
     "solve every point cold: by default a point starts from the best "
     "portfolio of the points already solved that fits its budget, and stops "
     "once it reaches a larger budget's optimum (the same answers, sooner)"},
    {"quiet", no_argument, 'q', NULL, "no progress or notes on stderr"},
    {"verbose", no_argument, 'v', NULL,
     "after the run, where the time went, on stderr: each point's worker "
     "(start and end, wall seconds from the start of the run; CPU seconds by "
     "step) and the workers' time busy, held back by the warm-start order and "
     "idle"},
    {"help", no_argument, 'h', NULL, "show this help and exit"},
};

static int sweep_run(int argc, char **argv, const char *command_line);

const cli_cmd cli_cmd_sweep = {
    "sweep", sweep_run, "solve a plan at many budgets: frontier and no-regret projects",
    "PLAN.xml --budgets A:B:STEP|A,B,C [options]",
    "Solves the plan at each total budget (every other setting as given,\n"
    "the same overrides as solve), each point in its own worker process,\n"
    "and prints the frontier (exposure and commitment per budget, what\n"
    "binds), the marginal value of each further 100 m and the no-regret\n"
    "projects.  With --out each point is written whole the moment it\n"
    "finishes; --resume picks up an interrupted sweep.  SIGINT/SIGTERM stop\n"
    "the workers and keep the finished points (exit 7).\n"
    "Exit status: 0 every point has a portfolio, 1 a point failed, 2 usage,\n"
    "3 invalid plan, 4 some point infeasible, 5 some point without a\n"
    "portfolio within the limits, 6 output error, 7 interrupted\n"
    "(docs/sweeps.md, docs/exit-codes.md).",
    sweep_opts, (int)(sizeof sweep_opts / sizeof sweep_opts[0])};

static volatile sig_atomic_t g_stop;

static void on_stop(int sig)
{
    g_stop = sig;
}

typedef struct progress {
    int on;
    double t0;
    int width; /* of the last line shown, to blank it */
} progress;

static double wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* One line on stderr, redrawn in place: points done / total, each running
 * point's budget and gap (the stage it is in), the ETA from the mean time
 * per finished point. */
static void show_progress(void *ctx, const ckp_sweep_progress_info *in)
{
    progress *p = ctx;
    if (!p->on) return;
    double el = wall() - p->t0;
    char line[512];
    size_t n = 0;
#define ADD(...)                                                                   \
    do {                                                                           \
        int k_ = snprintf(line + n, sizeof line - n, __VA_ARGS__);                 \
        if (k_ > 0) n = n + (size_t)k_ < sizeof line ? n + (size_t)k_ : sizeof line - 1; \
    } while (0)
    if (in->total > 0) ADD("sweep: %d/%d points", in->done, in->total);
    else ADD("sweep: %d points", in->done);
    for (int i = 0; i < in->n_running && i < 4; i++) {
        if (isfinite(in->running[i].gap))
            ADD("%s b%.10g %.2f%%", i ? "," : "; running", in->running[i].budget,
                100.0 * in->running[i].gap);
        else
            ADD("%s b%.10g -", i ? "," : "; running", in->running[i].budget);
    }
    if (in->n_running > 4) ADD(" +%d", in->n_running - 4);
    if (in->total > 0 && in->done > 0 && in->done < in->total) {
        double eta = el / in->done * (in->total - in->done);
        ADD("; ETA %dm%02ds", (int)(eta / 60), (int)fmod(eta, 60));
    } else {
        ADD("; %.0f s", el);
    }
#undef ADD
    int w = (int)n;
    fprintf(stderr, "\r%s%*s", line, p->width > w ? p->width - w : 0, "");
    p->width = w;
    if (in->total > 0 && in->done == in->total) {
        fputc('\n', stderr);
        p->width = 0;
    }
    fflush(stderr);
}

typedef struct sweep_cli {
    cli_model model;
    ckp_sweep_params sp;
    const char *budgets;
    int quiet, verbose;
    const char *path;
} sweep_cli;

static int parse_shard(const char *arg, int *k, int *n)
{
    char *e = NULL;
    long a = strtol(arg, &e, 10);
    if (e == arg || *e != '/') return -1;
    const char *s = e + 1;
    long b = strtol(s, &e, 10);
    if (e == s || *e || b < 1 || b > CKP_SWEEP_MAX_POINTS || a < 1 || a > b) return -1;
    *k = (int)a;
    *n = (int)b;
    return 0;
}

static int parse(sweep_cli *s, int argc, char **argv)
{
    cli_parser p = {0};
    int c;
    double v;
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    s->sp.workers = cores > 0 ? (int)cores : 1;
    /* --budget is not in the table (a sweep sets it per point), but it is
       refused with a word of what to use instead */
    for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
        if (strcmp(argv[i], "--budget") == 0 || strncmp(argv[i], "--budget=", 9) == 0)
            return cli_usage_error(&cli_cmd_sweep, "--budget sets one budget: a sweep "
                                   "takes --budgets A:B:STEP or A,B,C");
    while ((c = cli_next_option(&p, &cli_cmd_sweep, argc, argv)) != -1) {
        int m = cli_model_option(&s->model, &cli_cmd_sweep, c, optarg);
        if (m < 0) return CKP_EXIT_USAGE;
        if (m > 0) continue;
        m = cli_solver_option(&s->sp.solve, &cli_cmd_sweep, c, optarg);
        if (m < 0) return CKP_EXIT_USAGE;
        if (m > 0) continue;
        switch (c) {
        case CLI_OPT_BUDGETS: s->budgets = optarg; break;
        case 'o':
            if (!*optarg)
                return cli_usage_error(&cli_cmd_sweep, "--out needs a directory name");
            s->sp.out_dir = optarg;
            break;
        case 'j':
            if (cli_number(&cli_cmd_sweep, "jobs", optarg, 1, 0, 1024, 0, &v))
                return CKP_EXIT_USAGE;
            if (v != floor(v))
                return cli_usage_error(&cli_cmd_sweep, "invalid value '%s' for --jobs: "
                                       "a whole number expected", optarg);
            s->sp.workers = (int)v;
            break;
        case CLI_OPT_SHARD:
            if (parse_shard(optarg, &s->sp.shard_k, &s->sp.shard_n))
                return cli_usage_error(&cli_cmd_sweep, "invalid value '%s' for --shard: "
                                       "expected K/N with 1 <= K <= N", optarg);
            break;
        case CLI_OPT_RESUME: s->sp.resume = 1; break;
        case CLI_OPT_NESTED: s->sp.nested = 1; break;
        case CLI_OPT_NO_WARM_START: s->sp.no_warm_start = 1; break;
        case CLI_OPT_FRONTIER:
            if (strcmp(optarg, "exact") == 0) s->sp.exact = 1;
            else if (strcmp(optarg, "grid") == 0) s->sp.exact = 0;
            else
                return cli_usage_error(&cli_cmd_sweep, "invalid value '%s' for "
                                       "--frontier: expected grid or exact", optarg);
            break;
        case 'q': s->quiet = 1; break;
        case 'v': s->verbose = 1; break;
        case 'h': cli_help(&cli_cmd_sweep, stdout); return -1;
        default: return CKP_EXIT_USAGE;
        }
    }
    if (s->model.params.min_cost)
        return cli_usage_error(&cli_cmd_sweep, "--objective min-cost is not swept (its "
                               "answer is a budget); use weighted or min-max");
    if (!s->budgets) return cli_usage_error(&cli_cmd_sweep, "--budgets is required");
    if (s->sp.shard_n && (s->sp.nested || s->sp.exact))
        return cli_usage_error(&cli_cmd_sweep, "--shard cannot be combined with %s: "
                               "its points depend on each other",
                               s->sp.nested ? "--nested" : "--frontier exact");
    if (s->sp.nested && s->sp.exact)
        return cli_usage_error(&cli_cmd_sweep, "--nested and --frontier exact exclude "
                               "each other");
    if (s->sp.resume && s->sp.exact)
        return cli_usage_error(&cli_cmd_sweep, "--resume cannot be combined with "
                               "--frontier exact");
    if (s->sp.resume && !s->sp.out_dir)
        return cli_usage_error(&cli_cmd_sweep, "--resume needs --out DIR");
    if (optind >= argc) return cli_usage_error(&cli_cmd_sweep, "no plan file given");
    if (argc - optind > 1)
        return cli_usage_error(&cli_cmd_sweep, "one plan file expected, got %d",
                               argc - optind);
    s->path = argv[optind];
    char msg[256];
    if (ckp_solve_params_check(&s->sp.solve, msg, sizeof msg) != CKP_OK)
        return cli_usage_error(&cli_cmd_sweep, "%s", msg);
    return 0;
}

static double nz(double v)
{
    return isfinite(v) ? v : 0;
}

/* --verbose: where the time went (docs/sweeps.md "Where the time goes"):
 * the points solved by this run in the order they started, then the
 * run's and the workers' account. */
static void timing(const ckp_sweep *sw)
{
    int n = 0;
    int *ord = ckp_malloc(((size_t)sw->n_points + 1) * sizeof *ord);
    if (!ord) return;
    for (int i = 0; i < sw->n_points; i++) {
        const ckp_sweep_point *pt = &sw->points[i];
        if (!pt->solved || pt->resumed || !isfinite(pt->t_start)) continue;
        int k = n++;
        for (; k > 0 && sw->points[ord[k - 1]].t_start > pt->t_start; k--) ord[k] = ord[k - 1];
        ord[k] = i;
    }
    fprintf(stderr, "sweep: timing (start, end: wall seconds from the start of the run; "
                    "CPU seconds of the worker by step)\n");
    fprintf(stderr, "  %10s %7s %7s %6s %5s %5s %6s %6s %6s %5s %5s %5s %5s %7s  %s\n",
            "budget", "start", "end", "cpu", "hints", "build", "solve", "stage1", "stage2",
            "order", "base", "post", "files", "nodes", "warm");
    double sum[8] = {0};
    for (int j = 0; j < n; j++) {
        const ckp_sweep_point *pt = &sw->points[ord[j]];
        char warm[64];
        if (pt->warm_started)
            snprintf(warm, sizeof warm, "from %.10g%s", pt->warm_from,
                     pt->warm_bound ? ", at the bound" : "");
        else snprintf(warm, sizeof warm, "%s", pt->warm_bound ? "at the bound" : "-");
        fprintf(stderr,
                "  %10.10g %7.2f %7.2f %6.2f %5.2f %5.2f %6.2f %6.2f %6.2f %5.2f %5.2f %5.2f "
                "%5.2f %7ld  %s\n",
                pt->budget, pt->t_start, pt->t_end, pt->cpu_seconds, pt->cpu_hints,
                pt->cpu_build, pt->cpu_solve, pt->cpu_stage[0], pt->cpu_stage[1],
                pt->cpu_stage[2], pt->cpu_baseline, pt->cpu_post, pt->cpu_files, pt->nodes,
                warm);
        double v[8] = {pt->cpu_seconds, pt->cpu_hints, pt->cpu_build, pt->cpu_solve,
                       pt->cpu_baseline, pt->cpu_post, pt->cpu_files, 0};
        for (int k = 0; k < 7; k++) sum[k] += nz(v[k]);
    }
    ckp_free(ord);
    double other = sum[0] - sum[1] - sum[2] - sum[3] - sum[4] - sum[5];
    fprintf(stderr, "sweep: %d solves for %d points; CPU of the points %.2f s + files %.2f: "
                    "solve %.2f, build %.2f, post-solve %.2f, warm-start check %.2f, baseline "
                    "%.2f, the rest %.2f\n",
            sw->timing.solves, n, sum[0], sum[6], sum[3], sum[2], sum[5], sum[1], sum[4], other);
    double ws = sw->timing.capacity;
    fprintf(stderr, "sweep: wall %.2f s: setup %.2f (plan hash, baseline), workers %.2f, "
                    "tables %.2f\n",
            sw->timing.total, sw->timing.setup, sw->timing.wall, sw->timing.tables);
    fprintf(stderr, "sweep: up to %d worker%s over %.2f s: %.2f worker-s, busy %.2f (%.0f%%), "
                    "held by the warm-start order %.2f, idle with nothing left to start %.2f\n",
            sw->timing.workers, sw->timing.workers == 1 ? "" : "s", sw->timing.wall, ws,
            sw->timing.busy, ws > 0 ? 100 * sw->timing.busy / ws : 0, sw->timing.held,
            sw->timing.idle);
}

/* Exit code of a finished sweep: the most serious among its points. */
static int sweep_exit(const ckp_sweep *sw)
{
    if (sw->interrupted) return CKP_EXIT_INTERRUPTED;
    int err = 0, nosol = 0, inf = 0;
    for (int i = 0; i < sw->n_points; i++) {
        const ckp_sweep_point *pt = &sw->points[i];
        if (!pt->solved) continue;
        if (pt->error || pt->status == CKP_MIP_ERROR) err++;
        else if (pt->status == CKP_MIP_NO_SOLUTION) nosol++;
        else if (pt->status == CKP_MIP_INFEASIBLE) inf++;
    }
    return err ? CKP_EXIT_INTERNAL : nosol ? CKP_EXIT_NO_SOLUTION
           : inf ? CKP_EXIT_INFEASIBLE : CKP_EXIT_OK;
}

static void notes(const ckp_sweep *sw)
{
    for (int i = 0; i < sw->n_points; i++) {
        const ckp_sweep_point *pt = &sw->points[i];
        if (!pt->solved) continue;
        const char *what = pt->error ? "the worker failed (see its folder)"
                         : pt->status == CKP_MIP_NO_SOLUTION
                             ? "NO SOLUTION: a limit stopped the search first"
                         : pt->status == CKP_MIP_INFEASIBLE ? "INFEASIBLE"
                         : pt->status == CKP_MIP_FEASIBLE
                             ? "FEASIBLE: stopped by a limit, not proven optimal"
                             : NULL;
        if (what) fprintf(stderr, "sweep: budget %.10g: %s\n", pt->budget, what);
    }
    if (sw->interrupted)
        fprintf(stderr, "sweep: interrupted; the finished points are kept (resume with "
                        "--resume)\n");
}

static int sweep_run(int argc, char **argv, const char *command_line)
{
    sweep_cli s;
    memset(&s, 0, sizeof s);
    ckp_sweep_params_init(&s.sp);
    ckp_plan *plan = NULL;
    ckp_sweep *sw = NULL;
    double *budgets = NULL;
    ckp_diag_list diag;
    ckp_diag_list_init(&diag);
    struct sigaction old_int, old_term, sa;
    int handlers = 0;
    int rc = cli_model_init(&s.model, argc);
    if (rc) goto done;
    rc = parse(&s, argc, argv);
    if (rc == -1) {
        rc = CKP_EXIT_OK;
        goto done;
    }
    if (rc) goto done;
    char msg[512];
    int n = 0;
    ckp_status st = ckp_sweep_parse_budgets(s.budgets, &budgets, &n, msg, sizeof msg);
    if (st != CKP_OK) {
        rc = st == CKP_EUSAGE
                 ? cli_usage_error(&cli_cmd_sweep, "invalid value for --budgets: %s", msg)
                 : CKP_EXIT_INTERNAL;
        goto done;
    }
    rc = cli_load_plan(s.path, s.quiet, &plan, NULL, NULL);
    if (rc) goto done;
    rc = cli_model_check_ids(&s.model, &cli_cmd_sweep, plan);
    if (rc) goto done;

    s.sp.plan_path = s.path;
    s.sp.model = s.model.params;
    s.sp.budgets = budgets;
    s.sp.n_budgets = n;
    s.sp.command_line = command_line;
    s.sp.version = cli_version();
    s.sp.stop = &g_stop;
    progress pr = {!s.quiet && isatty(STDERR_FILENO), wall(), 0};
    s.sp.progress = pr.on ? show_progress : NULL;
    s.sp.progress_ctx = &pr;

    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    handlers = 1;
    st = ckp_sweep_run(plan, &s.sp, &sw, &diag);
    if (pr.on && pr.width > 0) fputc('\n', stderr); /* after the progress line */
    cli_print_diags(&diag, s.quiet);
    if (st != CKP_OK) {
        if (diag.n_errors == 0) fprintf(stderr, "%s: error: %s\n", s.path, ckp_status_str(st));
        rc = st == CKP_EUSAGE ? cli_usage_hint(&cli_cmd_sweep)
             : st == CKP_EIO  ? CKP_EXIT_OUTPUT
                              : ckp_exit_for_status(st);
        goto done;
    }
    if (!s.quiet) notes(sw);
    if (s.verbose) timing(sw);
    st = ckp_sweep_report_text(sw, stdout);
    if (st == CKP_OK && fflush(stdout) != 0) st = CKP_EIO;
    if (st != CKP_OK) {
        fprintf(stderr, "%s sweep: cannot write the report to standard output\n", CLI_PROG);
        rc = CKP_EXIT_OUTPUT;
        goto done;
    }
    rc = sweep_exit(sw);

done:
    if (handlers) {
        sigaction(SIGINT, &old_int, NULL);
        sigaction(SIGTERM, &old_term, NULL);
    }
    ckp_sweep_free(sw);
    ckp_free(budgets);
    ckp_plan_free(plan);
    ckp_diag_list_fini(&diag);
    cli_model_fini(&s.model);
    return rc;
}
