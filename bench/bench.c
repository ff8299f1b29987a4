/* bench.c: ckp-bench, the benchmark driver (docs/performance.md).  For one
 * plan file it times each step of the solve path through the library:
 * load (XML + schema), check (semantic rules), build (the MIP), greedy
 * incumbent, and the GLPK solve; then prints the model size (rows,
 * columns, binaries, nonzeros), the solver's status, objective, bound,
 * gap and nodes, and the peak resident set size (getrusage).  --mps F
 * writes the model as free MPS (ckp_mip_write_mps) so CBC can solve the
 * same model.  --row / --header print one table row for bench/run-bench.sh
 * and bench/suite.sh.  --run times the whole run of the CLI instead of the
 * MIP alone (ckp_run: lexicographic stages, baseline, post-solve LPs, then
 * the text report) and splits its CPU time by step. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "ckp/check.h"
#include "ckp/diag.h"
#include "ckp/load.h"
#include "ckp/mip.h"
#include "ckp/model.h"
#include "ckp/plan.h"
#include "ckp/report.h"
#include "ckp/result.h"
#include "ckp/solve.h"

typedef struct bn_args {
    const char *plan;
    const char *mps;
    const char *label;
    double time_limit;
    double gap;
    int row;
    int header;
    int no_heuristic;
    int no_solve;
    int presolve;
    int branching;   /* 0 = the library's default */
    int mir_cuts;    /* -1 = the library's default */
    int clique_cuts; /* -1 = the library's default */
    int dive;        /* -1 = the library's default (on), 0 off, 1 on */
    int fp_heur, gmi_cuts, cov_cuts, ps_heur, knap_cuts, root_cuts, pcost; /* -1 = default */
    int no_scenarios; /* 1 = build the plan without its scenarios */
    int verbose;     /* GLPK's own output on stderr */
    double budget;   /* NAN = the plan's total budget */
    int objective;   /* -1 = the plan's */
    int run;         /* 1 = time ckp_run + the text report (--run) */
} bn_args;

static double bn_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long bn_peak_rss_kib(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0) return -1;
    return ru.ru_maxrss; /* KiB on Linux */
}

/* CPU seconds (user + system) used by this process so far. */
static double bn_cpu_s(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0) return NAN;
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
}

static void bn_usage(FILE *out)
{
    fputs("usage: ckp-bench PLAN.xml [--time-limit S] [--gap G] [--mps FILE]\n"
          "                 [--no-heuristic] [--no-solve] [--row [--label L]]\n"
          "                 [--branching ffv|lfv|mfv|dth|pch] [--mir on|off]\n"
          "                 [--clique on|off] [--presolve] [--dive on|off]\n"
          "                 [--fp on|off] [--gmi on|off] [--cov on|off]\n"
          "                 [--ps on|off] [--knap on|off] [--pcost on|off]\n"
          "                 [--root-cuts off|proof|on]\n"
          "                 [--no-scenarios] [--budget M]\n"
          "                 [--objective weighted|min-max] [--run]\n"
          "                 [--verbose]\n"
          "       ckp-bench --header | --run-header\n"
          "Times load, check, build, greedy and solve of PLAN.xml through the\n"
          "chokepoint library and prints model size, solver status, objective,\n"
          "bound, gap, nodes and peak RSS.  Default time limit 60 s.\n"
          "--verbose shows GLPK's own output on stderr.  --budget and\n"
          "--objective override the plan's total budget and objective (as the\n"
          "CLI's options).  --run times the whole run of `chokepoint solve`\n"
          "instead (model, lexicographic stages, baseline, post-solve LPs, text\n"
          "report to /dev/null) and prints its CPU seconds by step (--row: one\n"
          "line, columns of --run-header).\n",
          out);
}

static int bn_parse_double(const char *s, double lo, double hi, double *out)
{
    char *end = NULL;
    double v;
    errno = 0;
    v = strtod(s, &end);
    if (errno || end == s || *end != '\0' || !(v >= lo) || !(v <= hi))
        return -1;
    *out = v;
    return 0;
}

static int bn_parse_args(int argc, char **argv, bn_args *a)
{
    static const struct option opts[] = {
        {"time-limit", required_argument, NULL, 't'},
        {"gap", required_argument, NULL, 'g'},
        {"mps", required_argument, NULL, 'm'},
        {"label", required_argument, NULL, 'l'},
        {"row", no_argument, NULL, 'r'},
        {"header", no_argument, NULL, 'H'},
        {"no-heuristic", no_argument, NULL, 'n'},
        {"no-solve", no_argument, NULL, 'N'},
        {"branching", required_argument, NULL, 'B'},
        {"mir", required_argument, NULL, 'M'},
        {"clique", required_argument, NULL, 'C'},
        {"presolve", no_argument, NULL, 'P'},
        {"dive", required_argument, NULL, 'D'},
        {"fp", required_argument, NULL, 'F'},
        {"gmi", required_argument, NULL, 'G'},
        {"cov", required_argument, NULL, 'V'},
        {"ps", required_argument, NULL, 'S'},
        {"knap", required_argument, NULL, 'K'},
        {"pcost", required_argument, NULL, 'W'},
        {"root-cuts", required_argument, NULL, 'T'},
        {"no-scenarios", no_argument, NULL, 'Z'},
        {"budget", required_argument, NULL, 'b'},
        {"objective", required_argument, NULL, 'O'},
        {"run", no_argument, NULL, 'R'},
        {"run-header", no_argument, NULL, 'X'},
        {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    int ch;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (ch) {
        case 't':
            if (bn_parse_double(optarg, 0, 1e6, &a->time_limit)) {
                fprintf(stderr, "ckp-bench: invalid --time-limit '%s'\n", optarg);
                return -1;
            }
            break;
        case 'g':
            if (bn_parse_double(optarg, 0, 0.999999, &a->gap)) {
                fprintf(stderr, "ckp-bench: invalid --gap '%s'\n", optarg);
                return -1;
            }
            break;
        case 'm': a->mps = optarg; break;
        case 'l': a->label = optarg; break;
        case 'r': a->row = 1; break;
        case 'H': a->header = 1; break;
        case 'n': a->no_heuristic = 1; break;
        case 'N': a->no_solve = 1; break;
        case 'P': a->presolve = 1; break;
        case 'v': a->verbose = 1; break;
        case 'Z': a->no_scenarios = 1; break;
        case 'R': a->run = 1; break;
        case 'X': a->header = 2; break;
        case 'b':
            if (bn_parse_double(optarg, 0, 1e12, &a->budget)) {
                fprintf(stderr, "ckp-bench: invalid --budget '%s'\n", optarg);
                return -1;
            }
            break;
        case 'O': {
            ckp_objective_kind k;
            if (ckp_objective_parse(optarg, &k) != CKP_OK) {
                fprintf(stderr, "ckp-bench: invalid --objective '%s'\n", optarg);
                return -1;
            }
            a->objective = (int)k;
            break;
        }
        case 'B': {
            static const char *const names[] = {"ffv", "lfv", "mfv", "dth", "pch"};
            a->branching = -1;
            for (int i = 0; i < 5; i++)
                if (strcmp(optarg, names[i]) == 0) a->branching = i + 1;
            if (a->branching < 0) {
                fprintf(stderr, "ckp-bench: invalid --branching '%s'\n", optarg);
                return -1;
            }
            break;
        }
        case 'M':
        case 'C':
        case 'D':
        case 'F':
        case 'G':
        case 'V':
        case 'T':
            a->root_cuts = ckp_root_cuts_parse(optarg);
            if (a->root_cuts < 0) {
                fprintf(stderr, "ckp-bench: invalid --root-cuts '%s' (off, proof or on)\n",
                        optarg);
                return -1;
            }
            break;
        case 'K':
        case 'W':
        case 'S': {
            int v = strcmp(optarg, "on") == 0 ? 1 : strcmp(optarg, "off") == 0 ? 0 : -1;
            if (v < 0) {
                fprintf(stderr, "ckp-bench: invalid on|off value '%s'\n", optarg);
                return -1;
            }
            switch (ch) {
            case 'M': a->mir_cuts = v; break;
            case 'C': a->clique_cuts = v; break;
            case 'D': a->dive = v; break;
            case 'F': a->fp_heur = v; break;
            case 'G': a->gmi_cuts = v; break;
            case 'V': a->cov_cuts = v; break;
            case 'K': a->knap_cuts = v; break;
            case 'W': a->pcost = v; break;
            default: a->ps_heur = v; break;
            }
            break;
        }
        case 'h': bn_usage(stdout); exit(0);
        default: bn_usage(stderr); return -1;
        }
    }
    if (a->header) return 0;
    if (optind + 1 != argc) {
        bn_usage(stderr);
        return -1;
    }
    a->plan = argv[optind];
    return 0;
}

static const char bn_header_fmt[] =
    "%-16s %6s %5s %8s %6s %6s %6s %7s %7s %6s %6s %7s %8s %-11s %12s %12s "
    "%8s %8s %8s %12s %7s %6s\n";

static void bn_print_header(void)
{
    printf(bn_header_fmt, "plan", "proj", "years", "load_ms", "chk_ms",
           "bld_ms", "grd_ms", "solve_s", "cpu_s", "rows", "cols", "binary", "nnz",
           "status", "objective", "bound", "gap_%", "nodes", "rss_MiB",
           "dive_obj", "dive_s", "sb_lps");
}

static const char bn_run_fmt[] =
    "%-16s %-11s %12s %8s %8s %8s %8s %8s %8s %8s %8s %8s %8s %7s %8s %8s %8s\n";

static void bn_print_run_header(void)
{
    printf(bn_run_fmt, "plan", "status", "objective", "nodes", "total_s", "build_s",
           "stage1_s", "stage2_s", "stage3_s", "base_s", "post_s", "report_s", "after_s",
           "after_%", "rss_MiB", "rc_fixed", "s2_gap_%");
}

/* --run: ckp_run as `chokepoint solve` calls it, then the text report to
 * /dev/null; CPU seconds by step (ckp_result.cpu_*, lex[].cpu_seconds).
 * "After the MIP" is everything after stage 1: stages 2 and 3 of the
 * lexicographic solve, the baseline, the post-solve LPs and the report. */
static int bn_run(const bn_args *a, const ckp_plan *plan, const ckp_model_params *mp,
                  const ckp_solve_params *sp, ckp_diag_list *diag)
{
    ckp_result *r = NULL;
    double c0 = bn_cpu_s();
    ckp_status st = ckp_run(plan, mp, sp, &r, diag);
    double c_run = bn_cpu_s() - c0;
    if (st != CKP_OK) return -1;
    FILE *null = fopen("/dev/null", "w");
    c0 = bn_cpu_s();
    if (null) {
        ckp_report_text(r, null);
        fclose(null);
    }
    double c_rep = bn_cpu_s() - c0;
    double total = c_run + c_rep;
    double s1 = r->lexicographic ? r->lex[0].cpu_seconds : r->cpu_solve;
    double s2 = r->lexicographic ? r->lex[1].cpu_seconds : 0.0;
    double s3 = r->lexicographic ? r->lex[2].cpu_seconds : 0.0;
    double after = total - r->cpu_build - s1;
    char f[15][32];
    double v[10] = {total, r->cpu_build, s1, s2, s3, r->cpu_baseline, r->cpu_post, c_rep,
                    after, total > 0 ? 100.0 * after / total : 0.0};
    for (int i = 0; i < 10; i++) snprintf(f[i], sizeof f[i], i == 9 ? "%.1f" : "%.3f", v[i]);
    snprintf(f[10], sizeof f[10], "%.7g", r->objective_value);
    snprintf(f[11], sizeof f[11], "%ld", r->nodes);
    snprintf(f[12], sizeof f[12], "%.1f", (double)bn_peak_rss_kib() / 1024.0);
    snprintf(f[13], sizeof f[13], "%d", r->lexicographic ? r->lex[1].rc_fixed : 0);
    snprintf(f[14], sizeof f[14], "%.4f",
             r->lexicographic && r->lex[1].ran
                 ? 100.0 * (r->lex[1].objective - r->lex[1].bound) /
                       (fabs(r->lex[1].objective) + 1e-9)
                 : 0.0);
    printf(bn_run_fmt, a->label ? a->label : a->plan, ckp_mip_status_str(r->status), f[10],
           f[11], f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[12], f[13], f[14]);
    ckp_result_free(r);
    return 0;
}

int main(int argc, char **argv)
{
    bn_args a = {NULL, NULL, NULL, 60.0, 0.0, 0, 0, 0, 0, 0, 0, -1, -1, -1, -1, -1, -1,
                 -1, -1, -1, -1, 0, 0, NAN, -1, 0};
    ckp_diag_list diag;
    ckp_plan *plan = NULL;
    ckp_model *model = NULL;
    ckp_solution *sol = NULL;
    double *inc = NULL;
    ckp_model_params mp;
    ckp_solve_params sp;
    ckp_status st;
    double t0, t_load, t_check, t_build, t_greedy = 0, t_solve = 0;
    double c0, c_solve = 0;
    int ret = 1;
    char msg[256];

    if (bn_parse_args(argc, argv, &a)) return 2;
    ckp_solver_process_setup(); /* as the CLI */
    if (a.header) {
        if (a.header == 2)
            bn_print_run_header();
        else
            bn_print_header();
        return 0;
    }
    ckp_diag_list_init(&diag);

    t0 = bn_now();
    st = ckp_plan_load(a.plan, &plan, &diag);
    t_load = bn_now() - t0;
    if (st != CKP_OK) goto fail;

    t0 = bn_now();
    st = ckp_plan_check(plan, &diag);
    t_check = bn_now() - t0;
    if (st != CKP_OK) goto fail;

    ckp_model_params_init(&mp);
    mp.no_scenarios = a.no_scenarios;
    mp.budget_total = a.budget;
    mp.objective = a.objective;
    t0 = bn_now();
    st = ckp_model_build(plan, &mp, &model, &diag);
    t_build = bn_now() - t0;
    if (st != CKP_OK) goto fail;

    if (a.mps) {
        st = ckp_mip_write_mps(&model->mip, a.mps, &diag);
        if (st != CKP_OK) goto fail;
    }

    if (!a.no_solve) {
        ckp_solve_params_init(&sp);
        sp.time_limit = a.time_limit;
        sp.mip_gap = a.gap;
        sp.no_heuristic = a.no_heuristic;
        sp.presolve = a.presolve;
        sp.branching = a.branching;
        if (a.mir_cuts >= 0) sp.mir_cuts = a.mir_cuts;
        if (a.clique_cuts >= 0) sp.clique_cuts = a.clique_cuts;
        if (a.dive >= 0) sp.no_lp_heuristic = !a.dive;
        sp.fp_heur = a.fp_heur;
        sp.gmi_cuts = a.gmi_cuts;
        sp.cov_cuts = a.cov_cuts;
        sp.ps_heur = a.ps_heur;
        sp.knap_cuts = a.knap_cuts;
        sp.pcost = a.pcost;
        sp.root_cuts = a.root_cuts;
        sp.verbose = a.verbose;
        if (ckp_solve_params_check(&sp, msg, (int)sizeof msg) != CKP_OK) {
            fprintf(stderr, "ckp-bench: %s\n", msg);
            goto done;
        }
        if (a.run) {
            /* the model above was only for --mps; ckp_run builds its own */
            if (bn_run(&a, plan, &mp, &sp, &diag)) {
                st = CKP_ESOLVER;
                goto fail;
            }
            ret = 0;
            goto done;
        }
        if (!a.no_heuristic) {
            t0 = bn_now();
            st = ckp_model_greedy(model, &inc);
            t_greedy = bn_now() - t0;
            if (st != CKP_OK) goto fail;
        }
        t0 = bn_now();
        c0 = bn_cpu_s();
        st = ckp_solve(&model->mip, &sp, inc, &sol, &diag);
        t_solve = bn_now() - t0;
        c_solve = bn_cpu_s() - c0;
        if (st != CKP_OK) goto fail;
    }

    {
        const char *status = sol ? ckp_mip_status_str(sol->status) : "not-solved";
        double obj = sol ? sol->objective : NAN;
        double bound = sol ? sol->bound : NAN;
        double gap = sol ? sol->gap : NAN;
        long nodes = sol ? sol->nodes : 0;
        long rss = bn_peak_rss_kib();
        int nbin = ckp_mip_n_binary(&model->mip);
        if (a.row) {
            const char *label = a.label ? a.label : a.plan;
            char gap_s[32];
            if (isnan(gap))
                snprintf(gap_s, sizeof gap_s, "-");
            else
                snprintf(gap_s, sizeof gap_s, "%.3f", 100.0 * gap);
            printf("%-16s %6d %5d %8.1f %6.1f %6.1f %6.1f %7.2f %7.2f %6d %6d "
                   "%7d %8d %-11s %12.6g %12.6g %8s %8ld %8.1f %12.7g %7.2f %6ld\n",
                   label, plan->n_projects, ckp_plan_n_years(plan),
                   1e3 * t_load, 1e3 * t_check, 1e3 * t_build, 1e3 * t_greedy,
                   t_solve, c_solve, model->mip.n_rows, model->mip.n_cols, nbin,
                   model->mip.nnz, status, obj, bound, gap_s, nodes,
                   (double)rss / 1024.0, sol ? sol->dive_objective : NAN,
                   sol ? sol->dive_seconds : 0.0, sol ? sol->pcost_strong : 0L);
        } else {
            printf("plan          %s\n", a.plan);
            printf("projects      %d\n", plan->n_projects);
            printf("years         %d\n", ckp_plan_n_years(plan));
            printf("load_ms       %.2f\n", 1e3 * t_load);
            printf("check_ms      %.2f\n", 1e3 * t_check);
            printf("build_ms      %.2f\n", 1e3 * t_build);
            printf("greedy_ms     %.2f\n", 1e3 * t_greedy);
            printf("solve_s       %.3f\n", t_solve);
            printf("solve_cpu_s   %.3f\n", c_solve);
            printf("rows          %d\n", model->mip.n_rows);
            printf("columns       %d\n", model->mip.n_cols);
            printf("binaries      %d\n", nbin);
            printf("nonzeros      %d\n", model->mip.nnz);
            printf("status        %s\n", status);
            printf("objective     %.9g\n", obj);
            printf("bound         %.9g\n", bound);
            printf("gap           %.6g\n", gap);
            printf("nodes         %ld\n", nodes);
            printf("heuristic     %s\n",
                   sol && sol->heuristic_used ? "accepted" : "not used");
            printf("greedy_obj    %.9g\n", sol ? sol->heuristic_objective : NAN);
            printf("dive_obj      %.9g\n", sol ? sol->dive_objective : NAN);
            printf("dive_s        %.3f\n", sol ? sol->dive_seconds : 0.0);
            printf("dive_lps      %d\n", sol ? sol->dive_lps : 0);
            printf("pcost         %ld branchings, %ld strong-branching LPs\n",
                   sol ? sol->pcost_chosen : 0, sol ? sol->pcost_strong : 0);
            printf("root_cuts     %d (%d kept, %d rounds%s)\n",
                   sol ? sol->root_cuts_added : 0, sol ? sol->root_cuts_kept : 0,
                   sol ? sol->root_cut_rounds : 0,
                   sol && sol->root_cut_rollback ? ", last one undone" : "");
            printf("peak_rss_kib  %ld\n", rss);
            if (a.mps) printf("mps           %s\n", a.mps);
        }
    }
    ret = 0;
    goto done;

fail:
    ckp_diag_sort(&diag);
    ckp_diag_print(&diag, stderr);
    fprintf(stderr, "ckp-bench: %s: %s\n", a.plan, ckp_status_str(st));
done:
    free(inc);
    ckp_solution_free(sol);
    ckp_model_free(model);
    ckp_plan_free(plan);
    ckp_diag_list_fini(&diag);
    ckp_load_cleanup();
    return ret;
}
