/* cmd_export.c: "chokepoint export PLAN.xml (--lp F | --mps F |
 * --mathprog-data F)": write the model GLPK would solve, with readable row
 * and column names, as CPLEX LP and/or free MPS, so any other solver can
 * check it, and/or the data section of its GNU MathProg twin
 * (models/chokepoint.mod).  Takes the same model overrides as solve. */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "ckp/mathprog.h"
#include "ckp/model.h"
#include "ckp/solve.h"
#include "cli/cli.h"
#include "util/atomic.h"

/* Local option key, far above cli.h's shared CLI_OPT_* values. */
#define CLI_OPT_MATHPROG_DATA 0x1000

static const cli_opt export_opts[] = {
    {"lp", required_argument, CLI_OPT_LP, "FILE", "write the model as CPLEX LP"},
    {"mps", required_argument, CLI_OPT_MPS, "FILE", "write the model as free MPS"},
    {"mathprog-data", required_argument, CLI_OPT_MATHPROG_DATA, "FILE",
     "write the data section of models/chokepoint.mod (GNU MathProg)"},
    CLI_MODEL_OPTS,
    {"baseline", no_argument, CLI_OPT_BASELINE, NULL,
     "export the baseline model (no project or upgrade can be funded)"},
    {"quiet", no_argument, 'q', NULL, "print errors only"},
    {"help", no_argument, 'h', NULL, "show this help and exit"},
};

static int export_run(int argc, char **argv, const char *command_line);

/* Write one model file so that it appears whole or not at all: GLPK writes
 * a temporary next to the target, which is renamed over it once complete.
 * A target that exists and is not a regular file (/dev/stdout, a FIFO) is
 * written in place: renaming over it would replace the device itself. */
static ckp_status export_file(const ckp_mip *mip, const char *path, int mps,
                              ckp_diag_list *diag)
{
    struct stat sb;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
        return mps ? ckp_mip_write_mps(mip, path, diag)
                   : ckp_mip_write_lp(mip, path, diag);
    ckp_atomic_file af;
    ckp_status st = ckp_atomic_open(&af, path, diag);
    if (st != CKP_OK) return st;
    st = ckp_atomic_close(&af, diag);
    if (st == CKP_OK)
        st = mps ? ckp_mip_write_mps(mip, af.tmp_path, diag)
                 : ckp_mip_write_lp(mip, af.tmp_path, diag);
    if (st == CKP_OK) st = ckp_atomic_commit(&af, diag);
    ckp_atomic_discard(&af);
    return st;
}

const cli_cmd cli_cmd_export = {
    "export", export_run, "write the model as LP, MPS or MathProg data",
    "PLAN.xml (--lp FILE | --mps FILE | --mathprog-data FILE) [options]",
    "Builds the model exactly as 'solve' would (same overrides) and writes\n"
    "it with named rows and columns (x[project,option,year], q[producer,year],\n"
    "bal[commodity,year], ...; see docs/formulation.md).  Both --lp and --mps\n"
    "may be given.  With scenarios the model holds production, shortage\n"
    "and stockpile releases per scenario (a last index names it, e.g.\n"
    "q(producer,year,scenario)); --scenario ID or --no-scenarios export a\n"
    "one-scenario model.  --mathprog-data writes the plan and these settings\n"
    "as the data of the MathProg twin: glpsol --math models/chokepoint.mod\n"
    "--data FILE solves the same model (docs/formulation.md).  Any of the\n"
    "three may be combined.  The model is the lexicographic solve's first\n"
    "stage (no tie-break weight); --tie-break off writes the one-stage\n"
    "model with its small commitment weight.  Exit status: 0 success, 2 usage, 3 invalid plan, 6 a\n"
    "file could not be written, 1 internal error.",
    export_opts, (int)(sizeof export_opts / sizeof export_opts[0])};

static int export_run(int argc, char **argv, const char *command_line)
{
    (void)command_line;
    cli_model model;
    cli_parser p = {0};
    const char *lp = NULL;
    const char *mps = NULL;
    const char *mpdata = NULL;
    int quiet = 0;
    ckp_plan *plan = NULL;
    ckp_model *m = NULL;
    ckp_diag_list diag;
    ckp_diag_list_init(&diag);
    int rc = cli_model_init(&model, argc);
    if (rc) return rc;
    int c;
    while ((c = cli_next_option(&p, &cli_cmd_export, argc, argv)) != -1) {
        int k = cli_model_option(&model, &cli_cmd_export, c, optarg);
        if (k < 0) {
            rc = CKP_EXIT_USAGE;
            goto done;
        }
        if (k > 0) continue;
        switch (c) {
        case CLI_OPT_LP: lp = optarg; break;
        case CLI_OPT_MPS: mps = optarg; break;
        case CLI_OPT_MATHPROG_DATA: mpdata = optarg; break;
        case CLI_OPT_BASELINE: model.params.no_projects = 1; break;
        case 'q': quiet = 1; break;
        case 'h': cli_help(&cli_cmd_export, stdout); rc = CKP_EXIT_OK; goto done;
        default: rc = CKP_EXIT_USAGE; goto done;
        }
    }
    if (optind >= argc) {
        rc = cli_usage_error(&cli_cmd_export, "no plan file given");
        goto done;
    }
    if (argc - optind > 1) {
        rc = cli_usage_error(&cli_cmd_export, "one plan file expected, got %d",
                             argc - optind);
        goto done;
    }
    if (!lp && !mps && !mpdata) {
        rc = cli_usage_error(&cli_cmd_export,
                             "give --lp FILE, --mps FILE and/or --mathprog-data FILE");
        goto done;
    }
    if ((lp && !*lp) || (mps && !*mps) || (mpdata && !*mpdata)) {
        rc = cli_usage_error(&cli_cmd_export, "empty output file name");
        goto done;
    }
    rc = cli_load_plan(argv[optind], quiet, &plan, NULL, NULL);
    if (rc) goto done;
    rc = cli_model_check_ids(&model, &cli_cmd_export, plan);
    if (rc) goto done;
    if (model.params.min_cost && !model.params.no_projects) {
        /* the library says this in terms of its parameters (target_base) */
        rc = cli_usage_error(&cli_cmd_export, "--objective min-cost cannot be exported: "
                             "its exposure limit needs the baseline, which only "
                             "'chokepoint solve' computes (export with --objective "
                             "weighted)");
        goto done;
    }
    /* the model of the first solve: the lexicographic solve's stage 1 has
       no tie-break weight (docs/formulation.md 7f) */
    if (model.params.lexicographic) model.params.tie_break = 0;
    ckp_status st = ckp_model_build(plan, &model.params, &m, &diag);
    if (st == CKP_OK && lp) st = export_file(&m->mip, lp, 0, &diag);
    if (st == CKP_OK && mps) st = export_file(&m->mip, mps, 1, &diag);
    if (st == CKP_OK && mpdata) st = ckp_mathprog_save_data(m, mpdata, &diag);
    cli_print_diags(&diag, quiet);
    if (st != CKP_OK) {
        if (diag.n_errors == 0)
            fprintf(stderr, "%s export: error: %s\n", CLI_PROG, ckp_status_str(st));
        /* an override the builder refused (e.g. an unknown scenario id) */
        rc = st == CKP_EUSAGE ? cli_usage_hint(&cli_cmd_export) : ckp_exit_for_status(st);
    }

done:
    ckp_model_free(m);
    ckp_plan_free(plan);
    ckp_diag_list_fini(&diag);
    cli_model_fini(&model);
    return rc;
}
