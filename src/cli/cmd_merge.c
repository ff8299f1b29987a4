/* cmd_merge.c: "chokepoint merge PLAN.xml --out DIR SHARD_DIR...": join
 * the folders of the shards of one sweep (sweep --shard K/N --out ...)
 * into DIR exactly as the unsharded sweep writes it; folders of another
 * plan, other settings or other budgets are refused by their hashes
 * (docs/sweeps.md). */
#include <stdio.h>
#include <string.h>

#include "ckp/sweep.h"
#include "cli/cli.h"

static const cli_opt merge_opts[] = {
    {"out", required_argument, 'o', "DIR", "the merged sweep folder (required)"},
    {"quiet", no_argument, 'q', NULL, "errors only on stderr, no table on stdout"},
    {"help", no_argument, 'h', NULL, "show this help and exit"},
};

static int merge_run(int argc, char **argv, const char *command_line);

const cli_cmd cli_cmd_merge = {
    "merge", merge_run, "join the folders of a sharded sweep",
    "PLAN.xml --out DIR SWEEP_DIR...",
    "Joins the --out folders of the shards of one sweep (sweep --shard K/N)\n"
    "into DIR, exactly as the unsharded sweep writes it (the point folders,\n"
    "sweep.csv, frontier.csv, no-regret.csv, report.html, sweep.txt), and prints the\n"
    "sweep's table.  The plan must be the file the shards solved: folders\n"
    "of another plan (input hash), other settings or other budgets are\n"
    "refused, as is a set of folders missing a point.\n"
    "Exit status: 0 merged, 2 usage or folders that do not belong\n"
    "together, 3 invalid plan, 6 output error.",
    merge_opts, (int)(sizeof merge_opts / sizeof merge_opts[0])};

static int merge_run(int argc, char **argv, const char *command_line)
{
    (void)command_line;
    cli_parser p = {0};
    int c, quiet = 0;
    const char *out = NULL;
    while ((c = cli_next_option(&p, &cli_cmd_merge, argc, argv)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'q': quiet = 1; break;
        case 'h': cli_help(&cli_cmd_merge, stdout); return CKP_EXIT_OK;
        default: return CKP_EXIT_USAGE;
        }
    }
    if (!out || !*out) return cli_usage_error(&cli_cmd_merge, "--out DIR is required");
    if (argc - optind < 2)
        return cli_usage_error(&cli_cmd_merge, "expected the plan file and at least one "
                               "sweep folder");
    const char *path = argv[optind];
    ckp_plan *plan = NULL;
    int rc = cli_load_plan(path, quiet, &plan, NULL, NULL);
    if (rc) return rc;
    ckp_diag_list diag;
    ckp_diag_list_init(&diag);
    ckp_sweep *sw = NULL;
    const char *const *dirs = (const char *const *)(argv + optind + 1);
    int n_dirs = argc - optind - 1;
    ckp_status st = ckp_sweep_merge(plan, path, dirs, n_dirs, out, &sw, &diag);
    cli_print_diags(&diag, quiet);
    if (st != CKP_OK) {
        if (diag.n_errors == 0) fprintf(stderr, "%s: error: %s\n", out, ckp_status_str(st));
        rc = st == CKP_EUSAGE ? CKP_EXIT_USAGE
             : st == CKP_EIO || st == CKP_EPARSE ? CKP_EXIT_OUTPUT
                                                 : ckp_exit_for_status(st);
    } else if (!quiet && ckp_sweep_report_text(sw, stdout) != CKP_OK) {
        rc = CKP_EXIT_OUTPUT;
    }
    ckp_sweep_free(sw);
    ckp_diag_list_fini(&diag);
    ckp_plan_free(plan);
    return rc;
}
