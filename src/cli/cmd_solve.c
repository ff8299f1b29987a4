/* cmd_solve.c: "chokepoint solve PLAN.xml [options]": load and check the
 * plan, apply the what-if overrides, build and solve the MIP (and the
 * baseline), print the report on stdout (text, json or csv) and, with
 * --out DIR, write the CSV tables and summary.json atomically (per
 * scenario too when the plan has scenarios).  The exit status follows the MIP status
 * (docs/exit-codes.md). */
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "ckp/report.h"
#include "ckp/result.h"
#include "ckp/study.h"
#include "cli/cli.h"

static const cli_opt solve_opts[] = {
    CLI_MODEL_OPTS,
    CLI_SOLVER_OPTS,
    {"format", required_argument, CLI_OPT_FORMAT, "FMT",
     "text | json | csv: the report on stdout, text (default), json or csv "
     "(the portfolio)"},
    {"out", required_argument, 'o', "DIR",
     "also write report.html (the committee's page: summary, charts, "
     "proof), summary.json, portfolio.csv, production.csv, exposure.csv, "
     "concentration.csv, datapackage.json (every file and column with its "
     "unit) and README.txt into DIR (created if missing), each atomically; "
     "with scenarios also scenarios.csv and idle.csv, with stockpiles "
     "stockpiles.csv, under --max-share policy.csv"},
    {"explain", no_argument, CLI_OPT_EXPLAIN, NULL,
     "explain the portfolio: each funded project excluded and each candidate "
     "forced, re-solved; what 100 M more under each budget limit buys "
     "(docs/study.md); also explain.json under --out"},
    {"no-next", no_argument, CLI_OPT_NO_NEXT, NULL,
     "skip \"what the next 100 M would buy\" in the committee summary (a "
     "second solve at the total budget + 100; it roughly doubles the time)"},
    {"jobs", required_argument, 'j', "N",
     "worker processes for the re-solves of --explain (default 1)"},
    {"verbose", no_argument, 'v', NULL, "show GLPK's own output on stderr"},
    {"quiet", no_argument, 'q', NULL,
     "no progress, warnings or status notes on stderr (errors only)"},
    {"help", no_argument, 'h', NULL, "show this help and exit"},
};

static int solve_run(int argc, char **argv, const char *command_line);

const cli_cmd cli_cmd_solve = {
    "solve", solve_run, "find the financing portfolio that most cuts exposure",
    "PLAN.xml [options]",
    "Builds the plan's mixed-integer program with the overrides given here,\n"
    "solves it with GLPK's branch-and-cut and reports the portfolio, the\n"
    "budget used, and the chokepoint share per stage with no project\n"
    "funded (baseline) and with the portfolio.  A plan with scenarios is\n"
    "solved over all of them at once (one portfolio; production per\n"
    "scenario) and the report adds, per scenario, its value, shortage,\n"
    "chokepoint share per stage, stockpile releases and the funded projects\n"
    "idle in it and why.  The solver status is always printed: OPTIMAL\n"
    "only when proven; a search stopped by --time-limit or --node-limit\n"
    "with a portfolio "
    "in hand is FEASIBLE with its gap (exit status 0).\n"
    "Exit status: 0 success, 1 internal or solver error, 2 usage, 3 invalid\n"
    "plan, 4 infeasible, 5 no portfolio found within the limits, 6 output\n"
    "error.  Progress (incumbent, bound, gap) goes to stderr when it is a\n"
    "terminal.",
    solve_opts, (int)(sizeof solve_opts / sizeof solve_opts[0])};

enum { FMT_TEXT, FMT_JSON, FMT_CSV };

typedef struct solve_cli {
    cli_model model;
    ckp_solve_params sp;
    int format;
    const char *out_dir;
    int quiet;
    int verbose;
    int explain;
    int no_next;
    int jobs;
    const char *path;
} solve_cli;

static int parse(solve_cli *s, int argc, char **argv)
{
    cli_parser p = {0};
    int c;
    while ((c = cli_next_option(&p, &cli_cmd_solve, argc, argv)) != -1) {
        int m = cli_model_option(&s->model, &cli_cmd_solve, c, optarg);
        if (m < 0) return CKP_EXIT_USAGE;
        if (m > 0) continue;
        m = cli_solver_option(&s->sp, &cli_cmd_solve, c, optarg);
        if (m < 0) return CKP_EXIT_USAGE;
        if (m > 0) continue;
        switch (c) {
        case CLI_OPT_FORMAT:
            if (strcmp(optarg, "text") == 0) s->format = FMT_TEXT;
            else if (strcmp(optarg, "json") == 0) s->format = FMT_JSON;
            else if (strcmp(optarg, "csv") == 0) s->format = FMT_CSV;
            else
                return cli_usage_error(&cli_cmd_solve, "invalid value '%s' for "
                                       "--format: expected text, json or csv", optarg);
            break;
        case 'o':
            if (!*optarg)
                return cli_usage_error(&cli_cmd_solve, "--out needs a directory name");
            s->out_dir = optarg;
            break;
        case 'v': s->verbose = 1; break;
        case 'q': s->quiet = 1; break;
        case CLI_OPT_EXPLAIN: s->explain = 1; break;
        case CLI_OPT_NO_NEXT: s->no_next = 1; break;
        case 'j': {
            double v;
            if (cli_number(&cli_cmd_solve, "jobs", optarg, 1, 0, 64, 0, &v))
                return CKP_EXIT_USAGE;
            if (v != floor(v))
                return cli_usage_error(&cli_cmd_solve, "invalid value '%s' for --jobs: a "
                                       "whole number", optarg);
            s->jobs = (int)v;
            break;
        }
        case 'h': cli_help(&cli_cmd_solve, stdout); return -1;
        default: return CKP_EXIT_USAGE;
        }
    }
    if (s->quiet && s->verbose)
        return cli_usage_error(&cli_cmd_solve, "--quiet and --verbose exclude each other");
    if (optind >= argc) return cli_usage_error(&cli_cmd_solve, "no plan file given");
    if (argc - optind > 1)
        return cli_usage_error(&cli_cmd_solve, "one plan file expected, got %d",
                               argc - optind);
    if (s->explain && s->model.params.min_cost)
        return cli_usage_error(&cli_cmd_solve, "--explain does not apply with --objective "
                                               "min-cost (it measures exposure)");
    s->path = argv[optind];
    s->sp.verbose = s->verbose;
    s->sp.progress = !s->quiet && isatty(STDERR_FILENO);
    char msg[256];
    if (ckp_solve_params_check(&s->sp, msg, sizeof msg) != CKP_OK)
        return cli_usage_error(&cli_cmd_solve, "%s", msg);
    return 0;
}

typedef struct explained {
    const ckp_explain *e;
    const ckp_plan *plan;
} explained;

static ckp_status explain_json(const void *arg, FILE *out)
{
    const explained *x = arg;
    return ckp_explain_json(x->e, x->plan, out);
}

/* The report's JSON with an "explain" member. */
static ckp_status json_explained(const ckp_result *res, const ckp_report_info *info,
                                 const ckp_explain *ex)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *m = open_memstream(&buf, &size);
    if (!m) return CKP_ENOMEM;
    ckp_status st = ckp_report_json(res, info, m);
    if (fclose(m) != 0 && st == CKP_OK) st = CKP_ENOMEM;
    explained x = {ex, res->plan};
    static const char *const keys[] = {"explain"};
    const cli_json_fn fns[] = {explain_json};
    const void *const args[] = {&x};
    if (st == CKP_OK) st = cli_json_members(stdout, buf, size, 1, keys, fns, args);
    free(buf);
    return st;
}

/* Print the report in the chosen format; 0 or CKP_EXIT_OUTPUT. */
static int print_report(const solve_cli *s, const ckp_result *res,
                        const ckp_report_info *info, const ckp_explain *ex)
{
    ckp_status st;
    switch (s->format) {
    case FMT_JSON:
        st = ex ? json_explained(res, info, ex) : ckp_report_json(res, info, stdout);
        break;
    case FMT_CSV: st = ckp_report_csv(res, stdout); break;
    default:
        st = ckp_report_text(res, stdout);
        if (st == CKP_OK && ex) st = ckp_explain_text(ex, res->plan, stdout);
        break;
    }
    if (st == CKP_OK && fflush(stdout) != 0) st = CKP_EIO;
    if (st == CKP_OK && ferror(stdout)) st = CKP_EIO;
    if (st != CKP_OK) {
        fprintf(stderr, "%s solve: cannot write the report to standard output: %s\n",
                CLI_PROG, ckp_status_str(st));
        return st == CKP_EIO ? CKP_EXIT_OUTPUT : ckp_exit_for_status(st);
    }
    return 0;
}

/* The least relaxation of an infeasible plan, one line per constraint
 * (docs/formulation.md 7g). */
static void why(const ckp_result *res, const char *path)
{
    char line[1200];
    for (int i = 0; i < res->n_relax; i++) {
        ckp_relaxation_text(res, i, line, sizeof line);
        fprintf(stderr, "%s: note: why: %s\n", path, line);
    }
}

static void status_note(const solve_cli *s, const ckp_result *res)
{
    if (res->status == CKP_MIP_OPTIMAL) return;
    if (res->status == CKP_MIP_FEASIBLE) {
        /* the same rule as the report's status sentence */
        int by_nodes = res->limit == CKP_LIMIT_NODES;
        int by_limit = res->solve_params.time_limit > 0 &&
                       !(res->seconds < 0.5 * res->solve_params.time_limit);
        if (!s->quiet)
            fprintf(stderr, "%s: note: %s: the portfolio is FEASIBLE, not proven "
                            "optimal (gap %.2f %%)\n",
                    s->path,
                    by_nodes   ? "stopped by the node limit"
                    : by_limit ? "stopped by the time limit"
                               : "the solver stopped early",
                    100 * res->gap);
        return;
    }
    if (res->status == CKP_MIP_INFEASIBLE && res->min_cost) {
        if (isfinite(res->best_reachable))
            fprintf(stderr, "%s: error: INFEASIBLE: no portfolio reaches the exposure "
                            "target %g x the baseline (%.6f of %.6f share-years) within "
                            "the budget and constraints; the best reachable is %.4f x "
                            "the baseline (%.6f share-years)\n",
                    s->path, res->target, res->goal_limit, res->goal_base,
                    res->goal_base > 0 ? res->best_reachable / res->goal_base : NAN,
                    res->best_reachable);
        else
            fprintf(stderr, "%s: error: INFEASIBLE: no portfolio satisfies the "
                            "constraints (budget, forced projects, requires/excludes, "
                            "infrastructure), whatever the target\n", s->path);
        why(res, s->path);
        return;
    }
    const char *what = res->status == CKP_MIP_INFEASIBLE
                           ? "INFEASIBLE: no portfolio satisfies the constraints "
                             "(budget, forced projects, requires/excludes, infrastructure)"
                       : res->status == CKP_MIP_NO_SOLUTION
                           ? "NO SOLUTION: a limit stopped the search before any "
                             "feasible portfolio was found"
                           : "ERROR: the solver failed";
    fprintf(stderr, "%s: error: %s\n", s->path, what);
    why(res, s->path);
}

static int solve_run(int argc, char **argv, const char *command_line)
{
    solve_cli s;
    memset(&s, 0, sizeof s);
    ckp_solve_params_init(&s.sp);
    ckp_plan *plan = NULL;
    ckp_result *res = NULL;
    ckp_explain *ex = NULL;
    ckp_diag_list diag;
    ckp_diag_list_init(&diag);
    int rc = cli_model_init(&s.model, argc);
    if (rc) goto done;
    rc = parse(&s, argc, argv);
    if (rc == -1) {
        rc = CKP_EXIT_OK; /* --help */
        goto done;
    }
    if (rc) goto done;

    rc = cli_load_plan(s.path, s.quiet, &plan, NULL, NULL);
    if (rc) goto done;
    rc = cli_model_check_ids(&s.model, &cli_cmd_solve, plan);
    if (rc) goto done;

    /* the hash of the bytes parsed (standard input too), not of the file
       read again */
    ckp_report_info info = {s.path, plan->input_sha256, cli_version(), command_line};

    ckp_status st = ckp_run(plan, &s.model.params, &s.sp, &res, &diag);
    cli_print_diags(&diag, s.quiet);
    if (st != CKP_OK) {
        if (diag.n_errors == 0)
            fprintf(stderr, "%s: error: %s\n", s.path, ckp_status_str(st));
        /* an override the model builder refused (an unknown scenario id,
           ...): a usage error like those the parser finds */
        rc = st == CKP_EUSAGE ? cli_usage_hint(&cli_cmd_solve) : ckp_exit_for_status(st);
        goto done;
    }
    status_note(&s, res);
    int has_solution = res->status == CKP_MIP_OPTIMAL || res->status == CKP_MIP_FEASIBLE;
    /* "what the next 100 M would buy": a re-solve at the total + 100, for
       the reports that show it (not the portfolio table of --format csv) */
    if (has_solution && !s.no_next && (s.format != FMT_CSV || s.out_dir)) {
        ckp_diag_list_fini(&diag);
        ckp_diag_list_init(&diag);
        st = ckp_next_budget_run(plan, &s.model.params, &s.sp, res, CKP_NEXT_STEP, &diag);
        cli_print_diags(&diag, s.quiet);
        if (st != CKP_OK) {
            if (diag.n_errors == 0)
                fprintf(stderr, "%s: error: the re-solve at the budget + 100: %s\n", s.path,
                        ckp_status_str(st));
            rc = ckp_exit_for_status(st);
            goto done;
        }
    }
    if (has_solution && s.explain) {
        ckp_diag_list_fini(&diag);
        ckp_diag_list_init(&diag);
        st = ckp_explain_run(plan, &s.model.params, &s.sp, res, s.jobs, &ex, &diag);
        cli_print_diags(&diag, s.quiet);
        if (st != CKP_OK) {
            if (diag.n_errors == 0)
                fprintf(stderr, "%s: error: explain: %s\n", s.path, ckp_status_str(st));
            rc = ckp_exit_for_status(st);
            goto done;
        }
    }
    if (has_solution && s.out_dir) {
        ckp_diag_list_fini(&diag);
        ckp_diag_list_init(&diag);
        static const ckp_report_file explain_file = {
            "explain.json", "json",
            "the explanation (--explain): each funded project excluded and each candidate "
            "forced, re-solved; what 100 M more under each budget limit buys (docs/study.md)"};
        st = ckp_report_write_dir_with(res, &info, &explain_file, ex ? 1 : 0, s.out_dir, &diag);
        explained x = {ex, plan};
        if (st == CKP_OK && ex)
            st = cli_write_atomic(s.out_dir, "explain.json", explain_json, &x, &diag);
        cli_print_diags(&diag, 0);
        if (st != CKP_OK) {
            if (diag.n_errors == 0)
                fprintf(stderr, "%s: error: %s\n", s.out_dir, ckp_status_str(st));
            rc = st == CKP_EIO ? CKP_EXIT_OUTPUT : ckp_exit_for_status(st);
            goto done;
        }
    }
    rc = print_report(&s, res, &info, ex);
    if (rc) goto done;
    rc = ckp_exit_for_mip(res->status);

done:
    ckp_explain_free(ex);
    ckp_result_free(res);
    ckp_plan_free(plan);
    ckp_diag_list_fini(&diag);
    cli_model_fini(&s.model);
    return rc;
}
