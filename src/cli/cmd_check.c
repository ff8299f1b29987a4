/* cmd_check.c: "chokepoint check PLAN.xml...": load (XML, schema) and
 * check (semantic rules) each plan, print every diagnostic to stderr as
 * file:line: severity: message, and one summary line per file on stdout. */
#include <stdio.h>

#include "cli/cli.h"

static const cli_opt check_opts[] = {
    {"quiet", no_argument, 'q', NULL,
     "print errors only: no warnings, no summary lines"},
    {"help", no_argument, 'h', NULL, "show this help and exit"},
};

static int check_run(int argc, char **argv, const char *command_line);

const cli_cmd cli_cmd_check = {
    "check", check_run, "validate plans and report every problem",
    "PLAN.xml... [options]",
    "Validates each plan: XML well-formedness and safety, the plan schema,\n"
    "then the semantic rules (unknown or duplicate ids, cycles in requires,\n"
    "inputs nothing can produce, years outside the horizon, ramp-up outside\n"
    "[0,1], negative or non-finite numbers, projects that can never come\n"
    "online within the horizon as a warning).  All problems are reported in\n"
    "one run, on stderr, as 'file:line: error: message'.  One summary line\n"
    "per file goes to stdout: 'PLAN.xml: ok' or 'PLAN.xml: N errors, M\n"
    "warnings'.  Exit status 0 when no file has errors (warnings allowed),\n"
    "3 when any has.",
    check_opts, (int)(sizeof check_opts / sizeof check_opts[0])};

static const char *plural(int n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

static int check_run(int argc, char **argv, const char *command_line)
{
    (void)command_line;
    cli_parser p = {0};
    int quiet = 0;
    int c;
    while ((c = cli_next_option(&p, &cli_cmd_check, argc, argv)) != -1) {
        switch (c) {
        case 'q': quiet = 1; break;
        case 'h': cli_help(&cli_cmd_check, stdout); return CKP_EXIT_OK;
        default: return CKP_EXIT_USAGE;
        }
    }
    if (optind >= argc)
        return cli_usage_error(&cli_cmd_check, "no plan file given");
    int rc = CKP_EXIT_OK;
    for (int i = optind; i < argc; i++) {
        ckp_plan *plan = NULL;
        int n_err = 0;
        int n_warn = 0;
        int r = cli_load_plan(argv[i], quiet, &plan, &n_err, &n_warn);
        ckp_plan_free(plan);
        if (r == CKP_EXIT_INPUT && n_err == 0) n_err = 1;
        if (!quiet) {
            if (n_err == 0 && n_warn == 0)
                printf("%s: ok\n", argv[i]);
            else
                printf("%s: %d %s, %d %s\n", argv[i], n_err,
                       plural(n_err, "error", "errors"), n_warn,
                       plural(n_warn, "warning", "warnings"));
        }
        /* the most serious outcome wins: internal over input errors */
        if (r == CKP_EXIT_INTERNAL || (r != CKP_EXIT_OK && rc == CKP_EXIT_OK))
            rc = r;
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "%s check: cannot write to standard output\n", CLI_PROG);
        return CKP_EXIT_OUTPUT;
    }
    return rc;
}
