/* cmd_evaluate.c: "chokepoint evaluate PLAN.xml --portfolio FILE | --fund
 * ID[:OPTION[:YEAR]] ...": score a given portfolio like solve (the same
 * report, formats and --out files), or list every way it breaks the plan
 * (exit 4); then its regret against the optimum at the same money
 * (ckp_evaluate, docs/study.md). */
#include <stdio.h>
#include <stdlib.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "ckp/report.h"
#include "ckp/study.h"
#include "cli/cli.h"
#include "util/sha256.h"

static const cli_opt evaluate_opts[] = {
    {"portfolio", required_argument, 'p', "FILE",
     "the portfolio: the portfolio.csv or summary.json of `solve --out` (or "
     "that directory), or an XML portfolio (schema/portfolio.xsd); "
     "portfolio.csv holds projects only"},
    {"fund", required_argument, CLI_OPT_FUND, "ID[:OPTION[:YEAR]]",
     "fund project ID (default: its cheapest option, earliest start), "
     "upgrade ID[:YEAR] or stockpile ID (repeatable; adds to --portfolio)"},
    CLI_MODEL_OPTS,
    {"no-regret", no_argument, CLI_OPT_NO_REGRET, NULL,
     "skip the optimum at the same money and the search of single changes"},
    {"explain", no_argument, CLI_OPT_EXPLAIN, NULL,
     "also explain the portfolio: each funded project dropped, each candidate "
     "added, re-solved (docs/study.md)"},
    {"jobs", required_argument, 'j', "N",
     "worker processes for the many solves of the regret search and explain "
     "(default 1)"},
    CLI_SOLVER_OPTS,
    {"format", required_argument, CLI_OPT_FORMAT, "FMT",
     "text | json | csv: the report on stdout, text (default), json (solve's "
     "document with an "
     "\"evaluation\" member, and \"explain\") or csv (the portfolio)"},
    {"out", required_argument, 'o', "DIR",
     "also write solve's files into DIR, and evaluation.json (explain.json); "
     "a portfolio that breaks the plan: only report.html, every violation"},
    {"quiet", no_argument, 'q', NULL, "errors only on stderr"},
    {"help", no_argument, 'h', NULL, "show this help and exit"},
};

static int evaluate_run(int argc, char **argv, const char *command_line);

const cli_cmd cli_cmd_evaluate = {
    "evaluate", evaluate_run, "score a given portfolio and its regret against the optimum",
    "PLAN.xml (--portfolio FILE | --fund ID[:OPTION[:YEAR]] ...) [options]",
    "Fixes the financing decisions to the portfolio given (projects with\n"
    "their option and start year, upgrades, stockpiles) and optimises only\n"
    "production, shortage and stockpile releases, per scenario: the report\n"
    "is solve's, for this portfolio.  A portfolio that breaks the plan (over\n"
    "the total budget or a year's limit, infrastructure missing, requires or\n"
    "excludes broken, a start outside its window, an unknown id or option)\n"
    "gets every violation on stderr, with the portfolio file's line and the\n"
    "plan's, and exit status 4 (with --out, DIR/report.html lists them).\n"
    "Then the regret: the optimum at the same\n"
    "total commitment side by side, and the single changes toward it (drop,\n"
    "add, swap, another option or start), each re-solved, best first.\n"
    "Exit status: 0 success, 1 internal error, 2 usage, 3 invalid plan or\n"
    "portfolio file, 4 the portfolio breaks the plan, 5 no solution within\n"
    "the limits, 6 output error.",
    evaluate_opts, (int)(sizeof evaluate_opts / sizeof evaluate_opts[0])};

enum { FMT_TEXT, FMT_JSON, FMT_CSV };

typedef struct eval_cli {
    cli_model model;
    ckp_solve_params sp;
    ckp_evaluate_params ep;
    int format;
    const char *out_dir;
    const char *portfolio;
    int quiet;
    const char *path;
    const char **funds;
    int n_funds;
} eval_cli;

static int parse(eval_cli *s, int argc, char **argv)
{
    const cli_cmd *cmd = &cli_cmd_evaluate;
    cli_parser p = {0};
    int c;
    double v;
    while ((c = cli_next_option(&p, cmd, argc, argv)) != -1) {
        if (c == CLI_OPT_FORCE || c == CLI_OPT_EXCLUDE)
            return cli_usage_error(cmd, "--force and --exclude do not apply: the "
                                        "portfolio is fixed (use --fund)");
        int m = cli_model_option(&s->model, cmd, c, optarg);
        if (m == 0) m = cli_solver_option(&s->sp, cmd, c, optarg);
        if (m < 0) return CKP_EXIT_USAGE;
        if (m > 0) continue;
        switch (c) {
        case 'p':
            if (s->portfolio) return cli_usage_error(cmd, "one --portfolio file expected");
            s->portfolio = optarg;
            break;
        case CLI_OPT_FUND: s->funds[s->n_funds++] = optarg; break;
        case CLI_OPT_NO_REGRET: s->ep.regret = 0; break;
        case CLI_OPT_EXPLAIN: s->ep.explain = 1; break;
        case 'j':
            if (cli_number(cmd, "jobs", optarg, 1, 0, 64, 0, &v)) return CKP_EXIT_USAGE;
            if (v != floor(v))
                return cli_usage_error(cmd, "invalid value '%s' for --jobs: a whole number",
                                       optarg);
            s->ep.jobs = (int)v;
            break;
        case CLI_OPT_FORMAT:
            if (strcmp(optarg, "text") == 0) s->format = FMT_TEXT;
            else if (strcmp(optarg, "json") == 0) s->format = FMT_JSON;
            else if (strcmp(optarg, "csv") == 0) s->format = FMT_CSV;
            else
                return cli_usage_error(cmd, "invalid value '%s' for --format: expected "
                                            "text, json or csv", optarg);
            break;
        case 'o':
            if (!*optarg) return cli_usage_error(cmd, "--out needs a directory name");
            s->out_dir = optarg;
            break;
        case 'q': s->quiet = 1; break;
        case 'h': cli_help(cmd, stdout); return -1;
        default: return CKP_EXIT_USAGE;
        }
    }
    if (optind >= argc) return cli_usage_error(cmd, "no plan file given");
    if (argc - optind > 1)
        return cli_usage_error(cmd, "one plan file expected, got %d", argc - optind);
    if (!s->portfolio && s->n_funds == 0)
        return cli_usage_error(cmd, "no portfolio: give --portfolio FILE or --fund ID");
    if (s->model.params.min_cost)
        return cli_usage_error(cmd, "--objective min-cost does not apply: a fixed "
                                    "portfolio has no cost to minimise");
    char msg[256];
    if (ckp_solve_params_check(&s->sp, msg, sizeof msg) != CKP_OK)
        return cli_usage_error(cmd, "%s", msg);
    s->path = argv[optind];
    s->sp.progress = !s->quiet && isatty(STDERR_FILENO);
    return 0;
}

static ckp_status eval_json(const void *e, FILE *out)
{
    return ckp_evaluation_json(e, out);
}

static ckp_status explain_json(const void *e, FILE *out)
{
    const ckp_evaluation *ev = e;
    return ckp_explain_json(ev->explain, ev->result->plan, out);
}

/* solve's JSON document with "evaluation" (and "explain") as its last
 * members. */
static ckp_status print_json(const ckp_evaluation *ev, const ckp_report_info *info)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *m = open_memstream(&buf, &size);
    if (!m) return CKP_ENOMEM;
    ckp_status st = ckp_report_json(ev->result, info, m);
    if (fclose(m) != 0 && st == CKP_OK) st = CKP_ENOMEM;
    static const char *const keys[] = {"evaluation", "explain"};
    const cli_json_fn fns[] = {eval_json, explain_json};
    const void *const args[] = {ev, ev};
    if (st == CKP_OK)
        st = cli_json_members(stdout, buf, size, ev->explain ? 2 : 1, keys, fns, args);
    free(buf);
    return st;
}

static int print_report(const eval_cli *s, const ckp_evaluation *ev,
                        const ckp_report_info *info)
{
    ckp_status st;
    switch (s->format) {
    case FMT_JSON: st = print_json(ev, info); break;
    case FMT_CSV: st = ckp_report_csv(ev->result, stdout); break;
    default:
        st = ckp_report_text(ev->result, stdout);
        if (st == CKP_OK) st = ckp_evaluation_text(ev, stdout);
        if (st == CKP_OK && ev->explain)
            st = ckp_explain_text(ev->explain, ev->result->plan, stdout);
        break;
    }
    if (st == CKP_OK && (fflush(stdout) != 0 || ferror(stdout))) st = CKP_EIO;
    if (st != CKP_OK) {
        fprintf(stderr, "%s evaluate: cannot write the report to standard output: %s\n",
                CLI_PROG, ckp_status_str(st));
        return st == CKP_EIO ? CKP_EXIT_OUTPUT : ckp_exit_for_status(st);
    }
    return 0;
}

static int write_out(const eval_cli *s, const ckp_evaluation *ev,
                     const ckp_report_info *info)
{
    ckp_diag_list diag;
    ckp_diag_list_init(&diag);
    static const ckp_report_file files[] = {
        {"evaluation.json", "json",
         "the evaluation of the given portfolio: the optimum at the same commitment, the "
         "regret and the single changes that close most of it (docs/study.md)"},
        {"explain.json", "json",
         "the explanation (--explain) of the fixed portfolio: each funded project dropped, "
         "each candidate added, re-solved (docs/study.md)"}};
    ckp_status st = ckp_evaluation_write_dir(ev, info, files, ev->explain ? 2 : 1,
                                             s->out_dir, &diag);
    if (st == CKP_OK)
        st = cli_write_atomic(s->out_dir, "evaluation.json", eval_json, ev, &diag);
    if (st == CKP_OK && ev->explain)
        st = cli_write_atomic(s->out_dir, "explain.json", explain_json, ev, &diag);
    cli_print_diags(&diag, 0);
    if (st != CKP_OK && diag.n_errors == 0)
        fprintf(stderr, "%s: error: %s\n", s->out_dir, ckp_status_str(st));
    ckp_diag_list_fini(&diag);
    return st == CKP_OK ? 0 : st == CKP_EIO ? CKP_EXIT_OUTPUT : ckp_exit_for_status(st);
}

static int evaluate_run(int argc, char **argv, const char *command_line)
{
    eval_cli s;
    memset(&s, 0, sizeof s);
    ckp_solve_params_init(&s.sp);
    ckp_evaluate_params_init(&s.ep);
    ckp_plan *plan = NULL;
    ckp_evaluation *ev = NULL;
    ckp_portfolio pf;
    ckp_portfolio_init(&pf);
    ckp_diag_list diag;
    ckp_diag_list_init(&diag);
    s.funds = calloc((size_t)argc + 1, sizeof *s.funds);
    int rc = s.funds ? cli_model_init(&s.model, argc) : CKP_EXIT_INTERNAL;
    if (rc) goto done;
    rc = parse(&s, argc, argv);
    if (rc == -1) {
        rc = CKP_EXIT_OK;
        goto done;
    }
    if (rc) goto done;
    rc = cli_load_plan(s.path, s.quiet, &plan, NULL, NULL);
    if (rc) goto done;
    rc = cli_model_check_ids(&s.model, &cli_cmd_evaluate, plan);
    if (rc) goto done;

    ckp_status st = CKP_OK;
    if (s.portfolio) st = ckp_portfolio_read(s.portfolio, &pf, &diag);
    for (int i = 0; i < s.n_funds && st == CKP_OK; i++)
        st = ckp_portfolio_add_fund(&pf, s.funds[i], &diag);
    if (st != CKP_OK) {
        cli_print_diags(&diag, s.quiet);
        rc = st == CKP_EUSAGE ? cli_usage_hint(&cli_cmd_evaluate)
             : st == CKP_ENOMEM ? CKP_EXIT_INTERNAL : CKP_EXIT_INPUT;
        goto done;
    }
    char sha[65];
    if (ckp_sha256_file(s.path, sha) != CKP_OK) {
        fprintf(stderr, "%s: error: cannot read the file to hash it\n", s.path);
        rc = CKP_EXIT_INPUT;
        goto done;
    }
    ckp_report_info info = {s.path, sha, cli_version(), command_line};
    st = ckp_evaluate(plan, &pf, &s.model.params, &s.sp, &s.ep, &ev, &diag);
    cli_print_diags(&diag, s.quiet);
    if (st == CKP_EINFEASIBLE && ev && ev->portfolio) {
        fprintf(stderr, "%s: error: the portfolio breaks the plan: %d violation%s\n",
                s.portfolio ? s.portfolio : "--fund", ev->portfolio->n_violations,
                ev->portfolio->n_violations == 1 ? "" : "s");
        rc = CKP_EXIT_INFEASIBLE;
        if (s.out_dir) { /* report.html: the page of every violation */
            ckp_diag_list wd;
            ckp_diag_list_init(&wd);
            st = ckp_violations_write(plan, &diag, s.out_dir, &wd);
            cli_print_diags(&wd, 0);
            if (st != CKP_OK && wd.n_errors == 0)
                fprintf(stderr, "%s: error: %s\n", s.out_dir, ckp_status_str(st));
            ckp_diag_list_fini(&wd);
            if (st != CKP_OK) rc = st == CKP_EIO ? CKP_EXIT_OUTPUT : CKP_EXIT_INTERNAL;
        }
        goto done;
    }
    if (st != CKP_OK) {
        if (diag.n_errors == 0) fprintf(stderr, "%s: error: %s\n", s.path, ckp_status_str(st));
        rc = st == CKP_EUSAGE ? cli_usage_hint(&cli_cmd_evaluate) : ckp_exit_for_status(st);
        goto done;
    }
    int has_solution = ev->result->status == CKP_MIP_OPTIMAL ||
                       ev->result->status == CKP_MIP_FEASIBLE;
    if (has_solution && s.out_dir) {
        rc = write_out(&s, ev, &info);
        if (rc) goto done;
    }
    rc = print_report(&s, ev, &info);
    if (rc) goto done;
    rc = ckp_exit_for_mip(ev->result->status);
done:
    ckp_evaluation_free(ev);
    ckp_portfolio_fini(&pf);
    ckp_plan_free(plan);
    ckp_diag_list_fini(&diag);
    cli_model_fini(&s.model);
    free(s.funds);
    return rc;
}
