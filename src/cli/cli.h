/* cli.h: what the chokepoint subcommands share (src/cli only): the command
 * and option tables from which getopt_long's tables and the --help text
 * are both generated, number parsing with range checks, plan loading with
 * diagnostics on stderr, and the model overrides common to solve and
 * export. */
#ifndef CKP_CLI_H
#define CKP_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "ckp/model.h"
#include "ckp/plan.h"
#include "ckp/solve.h"
#include "cli/exit_codes.h"

#define CLI_PROG "chokepoint"

/* One command-line option: the getopt_long entry and its help. */
typedef struct cli_opt {
    const char *name; /* long name without "--" */
    int has_arg;      /* no_argument or required_argument */
    int key;          /* short option letter, or a CLI_OPT_* value >= 256 */
    const char *arg;  /* placeholder in the help ("S"), NULL without arg */
    const char *help;
} cli_opt;

/* Keys of long-only options. */
enum {
    CLI_OPT_BUDGET = 256,
    CLI_OPT_OBJECTIVE,
    CLI_OPT_FORCE,
    CLI_OPT_EXCLUDE,
    CLI_OPT_PENALTY,
    CLI_OPT_BASELINE,
    CLI_OPT_TIME_LIMIT,
    CLI_OPT_GAP,
    CLI_OPT_FORMAT,
    CLI_OPT_NO_HEURISTIC,
    CLI_OPT_LP,
    CLI_OPT_MPS,
    CLI_OPT_BRANCHING,
    CLI_OPT_PRESOLVE,
    CLI_OPT_MIR,
    CLI_OPT_CLIQUE,
    CLI_OPT_ROOT_CUTS,
    CLI_OPT_MAX_SHARE,
    CLI_OPT_TARGET,
    CLI_OPT_MEASURE,
    CLI_OPT_SCENARIO,
    CLI_OPT_NO_SCENARIOS,
    CLI_OPT_NODE_LIMIT,
    CLI_OPT_NO_LP_HEURISTIC,
    CLI_OPT_FUND,
    CLI_OPT_NO_REGRET,
    CLI_OPT_EXPLAIN,
    CLI_OPT_YEAR_LIMIT,
    CLI_OPT_SCALE_YEAR_LIMITS,
    CLI_OPT_BUDGETS,
    CLI_OPT_SHARD,
    CLI_OPT_RESUME,
    CLI_OPT_NESTED,
    CLI_OPT_FRONTIER,
    CLI_OPT_TIE_BREAK,
    CLI_OPT_NO_NEXT,
    CLI_OPT_NO_WARM_START
};

/* The model overrides shared by solve and export (rows of an option
 * table); sweep takes them without --budget (CLI_MODEL_OPTS_SWEPT: it sets
 * the budget per point). */
#define CLI_MODEL_OPTS                                                         \
    {"budget", required_argument, CLI_OPT_BUDGET, "M",                         \
     "total bank budget in millions of the plan currency (overrides the "      \
     "plan's <budget total>)"},                                                \
    CLI_MODEL_OPTS_SWEPT
#define CLI_MODEL_OPTS_SWEPT                                                   \
    {"objective", required_argument, CLI_OPT_OBJECTIVE, "KIND",                \
     "weighted | min-max | min-cost (overrides the plan's <objective kind>; "  \
     "min-cost needs --target)"},                                              \
    {"force", required_argument, CLI_OPT_FORCE, "ID",                          \
     "project ID must be funded (repeatable)"},                                \
    {"exclude", required_argument, CLI_OPT_EXCLUDE, "ID",                      \
     "project ID must not be funded (repeatable)"},                            \
    {"shortage-penalty", required_argument, CLI_OPT_PENALTY, "P",              \
     "penalty per unit of shortage share, > 1 (overrides the plan's)"},        \
    {"max-share", required_argument, CLI_OPT_MAX_SHARE, "S",                   \
     "cap in (0, 1] on any single third country's share of a stage's "         \
     "requirement per year, elastic: misses are reported (e.g. 0.65)"},       \
    {"target", required_argument, CLI_OPT_TARGET, "T",                         \
     "with --objective min-cost: the cheapest portfolio whose weighted "       \
     "exposure (+ shortage) is at most T x the baseline's, T in (0, 1]"},     \
    {"scenario-measure", required_argument, CLI_OPT_MEASURE, "M",              \
     "expected | worst-case: how the objective aggregates over the plan's "    \
     "scenarios, the probability-weighted sum or the worst scenario's value "  \
     "(overrides the plan's <objective scenario-measure>)"},                  \
    {"scenario", required_argument, CLI_OPT_SCENARIO, "ID",                    \
     "solve the plan's scenario ID alone, with probability 1"},               \
    {"no-scenarios", no_argument, CLI_OPT_NO_SCENARIOS, NULL,                  \
     "ignore the plan's scenarios: solve the plan as written"},               \
    {"year-limit", required_argument, CLI_OPT_YEAR_LIMIT, "YEAR=M",            \
     "disbursement limit of YEAR in millions, replacing the plan's <limit> "   \
     "for that year (M = none: no limit that year; repeatable)"},             \
    {"scale-year-limits", no_argument, CLI_OPT_SCALE_YEAR_LIMITS, NULL,        \
     "with --budget: each of the plan's per-year limits grows (or shrinks) "   \
     "in proportion to the total, x budget / plan total"},                    \
    {"tie-break", required_argument, CLI_OPT_TIE_BREAK, "on|off",              \
     "on (default): among portfolios of the best exposure the least "          \
     "commitment, then the earliest starts and plan order, by two more "       \
     "solves; off: one solve with a small commitment weight (faster)"}

/* The solver settings shared by every command that solves (rows of an
 * option table; handled by cli_solver_option). */
#define CLI_SOLVER_OPTS                                                        \
    {"time-limit", required_argument, CLI_OPT_TIME_LIMIT, "S",                 \
     "stop the search after S seconds (0 = no limit, the default); the best "  \
     "portfolio found is reported as FEASIBLE with its gap"},                  \
    {"node-limit", required_argument, CLI_OPT_NODE_LIMIT, "N",                 \
     "stop the search once GLPK's tree has N nodes (0 = no limit, the "        \
     "default); like --time-limit, but the same on every machine"},            \
    {"gap", required_argument, CLI_OPT_GAP, "G",                               \
     "stop when the relative gap is at most G, in [0, 1) (default 0: prove "   \
     "optimality)"},                                                           \
    {"no-heuristic", no_argument, CLI_OPT_NO_HEURISTIC, NULL,                  \
     "do not offer the greedy portfolio to GLPK as a first incumbent"},        \
    {"no-lp-heuristic", no_argument, CLI_OPT_NO_LP_HEURISTIC, NULL,            \
     "do not run chokepoint's LP dive for a first incumbent (docs/solver.md)"},\
    {"branching", required_argument, CLI_OPT_BRANCHING, "RULE",                \
     "default | ffv | lfv | mfv | dth | pch: GLPK branching rule (default: "  \
     "chokepoint's measured choice)"},                                         \
    {"presolve", no_argument, CLI_OPT_PRESOLVE, NULL,                          \
     "use GLPK's MIP presolver (the greedy incumbent is then not offered)"},   \
    {"mir-cuts", required_argument, CLI_OPT_MIR, "on|off",                     \
     "mixed-integer rounding cuts (default: chokepoint's measured choice)"},   \
    {"clique-cuts", required_argument, CLI_OPT_CLIQUE, "on|off",               \
     "clique cuts (default: chokepoint's measured choice)"},                   \
    {"root-cuts", required_argument, CLI_OPT_ROOT_CUTS, "off|proof|on",        \
     "chokepoint's tableau MIR cuts on the root LP: proof (default) keeps "    \
     "them only when they prove the best point found optimal at the root, "    \
     "on always keeps the binding ones (docs/solver.md)"}

/* One subcommand. */
typedef struct cli_cmd {
    const char *name;
    /* argv[0] is the command name; command_line is the whole command as
     * run (shell-quoted), for provenance in reports */
    int (*run)(int argc, char **argv, const char *command_line);
    const char *summary;               /* one line for the global help */
    const char *synopsis;              /* after "chokepoint <name> " */
    const char *description;           /* paragraph(s) for --help */
    const cli_opt *opts;
    int n_opts;
} cli_cmd;

extern const cli_cmd cli_cmd_check;
extern const cli_cmd cli_cmd_solve;
extern const cli_cmd cli_cmd_export;
extern const cli_cmd cli_cmd_evaluate;
extern const cli_cmd cli_cmd_compare;
extern const cli_cmd cli_cmd_sweep;
extern const cli_cmd cli_cmd_merge;

/* The whole tool, for the texts generated from its tables. */
typedef struct cli_tool {
    const char *summary;     /* one line: what chokepoint is */
    const char *about;       /* paragraph(s) of the global help */
    const char *exit_status; /* the exit statuses, as in the global help */
    const cli_cmd *const *commands;
    int n_commands;
} cli_tool;

/* Write the man page (what = "man", roff) or the bash completion script
 * ("completion") of the tool to out, from the same tables as --help
 * (generate.c).  Returns CKP_EXIT_OK, or CKP_EXIT_USAGE for another what. */
int cli_generate(const cli_tool *tool, const char *what, FILE *out);

/* Help and usage */
void cli_help(const cli_cmd *cmd, FILE *out);
/* Print "usage: ..." + the message to stderr; returns CKP_EXIT_USAGE. */
int cli_usage_error(const cli_cmd *cmd, const char *fmt, ...) CKP_PRINTF(2, 3);
/* Print only the "usage: ..." lines to stderr (after a usage error the
 * library reported as a diagnostic); returns CKP_EXIT_USAGE. */
int cli_usage_hint(const cli_cmd *cmd);

/* Option parsing: getopt_long over the command's table.  Returns the key,
 * -1 at the end, or '?' after printing a usage message (unknown option,
 * missing value).  Resets getopt's state on the first call (*state = 0). */
typedef struct cli_parser {
    struct option longs[64];
    char shorts[128];
    int started;
} cli_parser;
int cli_next_option(cli_parser *p, const cli_cmd *cmd, int argc, char **argv);

/* Parse a number for option opt: strtod with an end check, finite, and
 * lo <= v <= hi (lo_open / hi_open make the bound strict).  Prints a usage
 * error naming the option and value and returns CKP_EXIT_USAGE on
 * failure, 0 on success. */
int cli_number(const cli_cmd *cmd, const char *opt, const char *text, double lo,
               int lo_open, double hi, int hi_open, double *out);

/* Model overrides: init, handle one option (returns 1 when the key was a
 * model option and was accepted, 0 when the key is not a model option,
 * CKP_EXIT_USAGE-coded negative on error: -1), validate ids against the
 * plan (usage error naming the id: projects of --force / --exclude, the
 * scenario of --scenario; --scenario with --no-scenarios).  The id arrays
 * and the scenario id borrow argv; the year limits are owned (fini). */
typedef struct cli_model {
    ckp_model_params params;
    const char **force;
    const char **exclude;
    int n_force;
    int n_exclude;
    ckp_year_value *year_limits; /* --year-limit, owned */
    int n_year_limits;
} cli_model;
int cli_model_init(cli_model *m, int argc);
void cli_model_fini(cli_model *m);
int cli_model_option(cli_model *m, const cli_cmd *cmd, int key, const char *arg);
int cli_model_check_ids(const cli_model *m, const cli_cmd *cmd, const ckp_plan *plan);

/* Solver settings: handle one option of CLI_SOLVER_OPTS into sp.  Returns
 * 1 when the key was a solver option and was accepted, 0 when it is not a
 * solver option, -1 after printing a usage error. */
int cli_solver_option(ckp_solve_params *sp, const cli_cmd *cmd, int key, const char *arg);

/* Load and check a plan, printing every diagnostic to stderr (warnings
 * too unless quiet).  path "-" reads the plan from standard input (named
 * "<stdin>" in diagnostics); the plan records the SHA-256 of the bytes
 * parsed (plan->input_sha256).  Returns 0 with *out set, or an exit code
 * (input errors: CKP_EXIT_INPUT) with *out NULL.  n_errors / n_warnings
 * receive the counts when not NULL. */
int cli_load_plan(const char *path, int quiet, ckp_plan **out, int *n_errors,
                  int *n_warnings);

/* Same, without printing: the diagnostics (sorted) are appended to diag. */
int cli_load_plan_diags(const char *path, ckp_plan **out, ckp_diag_list *diag);

/* The name diagnostics give path: "<stdin>" for "-". */
const char *cli_input_name(const char *path);

/* Print a diagnostic list to stderr (sorted; notes and warnings skipped
 * when quiet), as  file:line:column: severity: message [code]  (column
 * when known). */
void cli_print_diags(ckp_diag_list *diag, int quiet);

/* argv joined with spaces, each argument shell-quoted when needed
 * (malloc'd; NULL on OOM). */
char *cli_command_line(int argc, char **argv);

/* Write dir/name atomically with fn(arg, file) (ckp_atomic_write,
 * util/atomic.h), and when fn fails to write (CKP_EIO) say so: "cannot
 * write: <reason>" naming dir/name.  CKP_EIO on failure. */
ckp_status cli_write_atomic(const char *dir, const char *name,
                            ckp_status (*fn)(const void *arg, FILE *out), const void *arg,
                            ckp_diag_list *diag);

/* A JSON writer of one value (an object) for arg. */
typedef ckp_status (*cli_json_fn)(const void *arg, FILE *out);
/* Print the JSON object doc[0..size) to out with members key[i] = the
 * object fn[i](arg[i]) added at its end (i < n). */
ckp_status cli_json_members(FILE *out, const char *doc, size_t size, int n,
                            const char *const *key, const cli_json_fn *fn,
                            const void *const *arg);

/* The tool's version ("0.1.0"). */
const char *cli_version(void);

#endif
