/* cmd_compare.c: "chokepoint compare A B": two finished runs (--out
 * directories or their summary.json) side by side, as text or JSON
 * (ckp_compare, docs/study.md); with --out DIR also comparison.json,
 * comparison.txt and report.html, written atomically
 * (ckp_comparison_write).  Exit 0 whether or not they differ. */
#include <stdio.h>
#include <string.h>

#include "ckp/study.h"
#include "cli/cli.h"

static const cli_opt compare_opts[] = {
    {"format", required_argument, CLI_OPT_FORMAT, "FMT",
     "text | json: the comparison on stdout, text (default) or json"},
    {"out", required_argument, 'o', "DIR",
     "also write DIR/comparison.json, comparison.txt and report.html (created when "
     "missing; each file whole or not at all)"},
    {"quiet", no_argument, 'q', NULL, "errors only on stderr"},
    {"help", no_argument, 'h', NULL, "show this help and exit"},
};

static int compare_run(int argc, char **argv, const char *command_line);

const cli_cmd cli_cmd_compare = {
    "compare", compare_run, "compare two finished runs side by side",
    "A B [options]",
    "A and B are two --out directories of solve or evaluate (or their\n"
    "summary.json).  Shows the headline figures, the projects, upgrades and\n"
    "stockpiles added, dropped or with another option or start, the\n"
    "chokepoint share per stage and year, the money disbursed per year and\n"
    "the scenario outcomes that differ.  Different plans (input hash), tool\n"
    "versions or settings are warnings at the top.  A run compared with\n"
    "itself has no differences.  --out DIR writes comparison.json (as\n"
    "--format json), comparison.txt (as the text) and report.html (one\n"
    "self-contained page: inline CSS and SVG, no script).\n"
    "Exit status: 0 success (differences or not), 1 internal error, 2 usage,\n"
    "3 a file unreadable or not a summary.json, 6 output error.",
    compare_opts, (int)(sizeof compare_opts / sizeof compare_opts[0])};

static int compare_run(int argc, char **argv, const char *command_line)
{
    (void)command_line;
    const cli_cmd *cmd = &cli_cmd_compare;
    cli_parser p = {0};
    int c, json = 0, quiet = 0;
    const char *out_dir = NULL;
    while ((c = cli_next_option(&p, cmd, argc, argv)) != -1) {
        switch (c) {
        case CLI_OPT_FORMAT:
            if (strcmp(optarg, "json") == 0) json = 1;
            else if (strcmp(optarg, "text") == 0) json = 0;
            else
                return cli_usage_error(cmd, "invalid value '%s' for --format: expected "
                                            "text or json", optarg);
            break;
        case 'o':
            if (!optarg[0]) return cli_usage_error(cmd, "--out needs a directory name");
            out_dir = optarg;
            break;
        case 'q': quiet = 1; break;
        case 'h': cli_help(cmd, stdout); return CKP_EXIT_OK;
        default: return CKP_EXIT_USAGE;
        }
    }
    if (argc - optind != 2)
        return cli_usage_error(cmd, "two runs expected (A B), got %d", argc - optind);
    ckp_diag_list diag;
    ckp_diag_list_init(&diag);
    ckp_comparison *cmp = NULL;
    ckp_status st = ckp_compare(argv[optind], argv[optind + 1], &cmp, &diag);
    cli_print_diags(&diag, quiet);
    ckp_diag_list_fini(&diag);
    if (st != CKP_OK) {
        ckp_comparison_free(cmp);
        return st == CKP_ENOMEM || st == CKP_EINTERNAL ? CKP_EXIT_INTERNAL : CKP_EXIT_INPUT;
    }
    if (out_dir) {
        ckp_diag_list_init(&diag);
        st = ckp_comparison_write(cmp, out_dir, &diag);
        cli_print_diags(&diag, 0);
        if (st != CKP_OK && diag.n_errors == 0)
            fprintf(stderr, "%s: error: %s\n", out_dir, ckp_status_str(st));
        ckp_diag_list_fini(&diag);
        if (st != CKP_OK) {
            ckp_comparison_free(cmp);
            return st == CKP_EIO ? CKP_EXIT_OUTPUT : CKP_EXIT_INTERNAL;
        }
    }
    st = json ? ckp_comparison_json(cmp, stdout) : ckp_comparison_text(cmp, stdout);
    if (st == CKP_OK && !quiet && ckp_comparison_warnings(cmp) > 0)
        fprintf(stderr, "%s compare: warning: the runs differ in input or settings (see "
                        "the top of the report)\n", CLI_PROG);
    ckp_comparison_free(cmp);
    if (st == CKP_OK && (fflush(stdout) != 0 || ferror(stdout))) st = CKP_EIO;
    if (st != CKP_OK) {
        fprintf(stderr, "%s compare: cannot write the report to standard output: %s\n",
                CLI_PROG, ckp_status_str(st));
        return st == CKP_EIO ? CKP_EXIT_OUTPUT : CKP_EXIT_INTERNAL;
    }
    return CKP_EXIT_OK;
}
