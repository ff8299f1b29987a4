/* common.c: helpers shared by the chokepoint subcommands (see cli.h). */
#include "cli/cli.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ckp/check.h"
#include "ckp/load.h"
#include "ckp/version.h"
#include "util/atomic.h"

const char *cli_version(void) { return ckp_version(); }

void cli_help(const cli_cmd *cmd, FILE *out)
{
    fprintf(out, "usage: %s %s %s\n\n%s\n", CLI_PROG, cmd->name, cmd->synopsis,
            cmd->description);
    if (cmd->n_opts == 0) return;
    fprintf(out, "\nOptions:\n");
    for (int i = 0; i < cmd->n_opts; i++) {
        const cli_opt *o = &cmd->opts[i];
        char left[96];
        char shortname[8] = "";
        if (o->key < 256) snprintf(shortname, sizeof shortname, "-%c, ", o->key);
        snprintf(left, sizeof left, "%s--%s%s%s", shortname, o->name,
                 o->arg ? " " : "", o->arg ? o->arg : "");
        /* wrap the help text at about 78 columns, indented under column 28 */
        const char *h = o->help;
        int first = 1;
        while (*h || first) {
            size_t room = 50;
            size_t n = strlen(h);
            if (n > room) {
                n = room;
                while (n > 0 && h[n] != ' ') n--;
                if (n == 0) n = room;
            }
            if (first)
                fprintf(out, "  %-*s%.*s\n", 26, left, (int)n, h);
            else
                fprintf(out, "  %-*s%.*s\n", 26, "", (int)n, h);
            h += n;
            while (*h == ' ') h++;
            first = 0;
        }
    }
}

int cli_usage_error(const cli_cmd *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s %s: ", CLI_PROG, cmd->name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return cli_usage_hint(cmd);
}

int cli_usage_hint(const cli_cmd *cmd)
{
    fprintf(stderr, "usage: %s %s %s\n(see '%s %s --help')\n", CLI_PROG, cmd->name,
            cmd->synopsis, CLI_PROG, cmd->name);
    return CKP_EXIT_USAGE;
}

static void build_tables(cli_parser *p, const cli_cmd *cmd)
{
    size_t k = 0;
    p->shorts[k++] = ':'; /* report a missing value as ':' */
    int n = cmd->n_opts < 63 ? cmd->n_opts : 63;
    for (int i = 0; i < n; i++) {
        const cli_opt *o = &cmd->opts[i];
        p->longs[i].name = o->name;
        p->longs[i].has_arg = o->has_arg;
        p->longs[i].flag = NULL;
        p->longs[i].val = o->key;
        if (o->key < 256 && k + 3 < sizeof p->shorts) {
            p->shorts[k++] = (char)o->key;
            if (o->has_arg == required_argument) p->shorts[k++] = ':';
        }
    }
    memset(&p->longs[n], 0, sizeof p->longs[n]);
    p->shorts[k] = '\0';
}

int cli_next_option(cli_parser *p, const cli_cmd *cmd, int argc, char **argv)
{
    if (!p->started) {
        build_tables(p, cmd);
        optind = 1;
        opterr = 0;
        p->started = 1;
    }
    int c = getopt_long(argc, argv, p->shorts, p->longs, NULL);
    /* getopt_long has stepped past the offending element (it permutes
     * operands, so the position before the call would not do) */
    const char *arg = optind - 1 < argc && optind > 1 ? argv[optind - 1] : "?";
    if (c == '?') {
        if (optopt && optopt < 256)
            return cli_usage_error(cmd, "unknown option '-%c'", optopt), '?';
        return cli_usage_error(cmd, "unknown option '%s'", arg), '?';
    }
    if (c == ':') {
        if (optopt && optopt < 256)
            return cli_usage_error(cmd, "option '-%c' needs a value", optopt), '?';
        return cli_usage_error(cmd, "option '%s' needs a value", arg), '?';
    }
    return c;
}

int cli_number(const cli_cmd *cmd, const char *opt, const char *text, double lo,
               int lo_open, double hi, int hi_open, double *out)
{
    char *end = NULL;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || *end != '\0' || errno == ERANGE || !isfinite(v))
        return cli_usage_error(cmd, "invalid value '%s' for --%s: not a finite number",
                               text, opt);
    if (v < lo || (lo_open && v == lo) || v > hi || (hi_open && v == hi))
        return cli_usage_error(cmd, "invalid value '%s' for --%s: must be in %c%g, %g%c",
                               text, opt, lo_open ? '(' : '[', lo, hi,
                               hi_open ? ')' : ']');
    *out = v;
    return 0;
}

int cli_model_init(cli_model *m, int argc)
{
    memset(m, 0, sizeof *m);
    ckp_model_params_init(&m->params);
    m->params.measure = -1; /* the plan's <objective scenario-measure> */
    size_t n = argc > 0 ? (size_t)argc : 1;
    m->force = calloc(n, sizeof *m->force);
    m->exclude = calloc(n, sizeof *m->exclude);
    m->year_limits = calloc(n, sizeof *m->year_limits);
    if (!m->force || !m->exclude || !m->year_limits) {
        cli_model_fini(m);
        return CKP_EXIT_INTERNAL;
    }
    return 0;
}

void cli_model_fini(cli_model *m)
{
    free(m->force);
    free(m->exclude);
    free(m->year_limits);
    m->force = NULL;
    m->exclude = NULL;
    m->year_limits = NULL;
}

/* --year-limit YEAR=M: M a number >= 0 (millions) or "none". */
static int year_limit_option(cli_model *m, const cli_cmd *cmd, const char *arg)
{
    char *end = NULL;
    errno = 0;
    long year = strtol(arg, &end, 10);
    if (end == arg || *end != '=' || errno == ERANGE || year < 1000 || year > 9999) {
        cli_usage_error(cmd, "invalid value '%s' for --year-limit: expected "
                             "YEAR=M (e.g. 2027=600, or 2027=none)", arg);
        return -1;
    }
    double v = INFINITY;
    if (strcmp(end + 1, "none") != 0 &&
        cli_number(cmd, "year-limit", end + 1, 0, 0, 1e15, 0, &v))
        return -1;
    ckp_year_value *yv = &m->year_limits[m->n_year_limits++];
    memset(yv, 0, sizeof *yv);
    yv->year = (int)year;
    yv->value = v;
    m->params.year_limits = m->year_limits;
    m->params.n_year_limits = m->n_year_limits;
    return 1;
}

int cli_model_option(cli_model *m, const cli_cmd *cmd, int key, const char *arg)
{
    double v;
    ckp_objective_kind kind;
    ckp_scenario_measure measure;
    switch (key) {
    case CLI_OPT_BUDGET:
        if (cli_number(cmd, "budget", arg, 0, 0, 1e9, 0, &v)) return -1;
        m->params.budget_total = v;
        return 1;
    case CLI_OPT_OBJECTIVE:
        if (strcmp(arg, "min-cost") == 0) {
            m->params.min_cost = 1;
            m->params.objective = -1;
            return 1;
        }
        if (ckp_objective_parse(arg, &kind) != CKP_OK) {
            cli_usage_error(cmd, "invalid value '%s' for --objective: expected "
                                 "'weighted', 'min-max' or 'min-cost'", arg);
            return -1;
        }
        m->params.objective = (int)kind;
        m->params.min_cost = 0;
        return 1;
    case CLI_OPT_TARGET:
        if (cli_number(cmd, "target", arg, 0, 1, 1, 0, &v)) return -1;
        m->params.target = v;
        return 1;
    case CLI_OPT_FORCE:
        m->force[m->n_force++] = arg;
        m->params.force = m->force;
        m->params.n_force = m->n_force;
        return 1;
    case CLI_OPT_EXCLUDE:
        m->exclude[m->n_exclude++] = arg;
        m->params.exclude = m->exclude;
        m->params.n_exclude = m->n_exclude;
        return 1;
    case CLI_OPT_PENALTY:
        if (cli_number(cmd, "shortage-penalty", arg, 1, 1, 1e9, 0, &v)) return -1;
        m->params.shortage_penalty = v;
        return 1;
    case CLI_OPT_MAX_SHARE:
        if (cli_number(cmd, "max-share", arg, 0, 1, 1, 0, &v)) return -1;
        m->params.max_share = v;
        return 1;
    case CLI_OPT_MEASURE:
        if (ckp_measure_parse(arg, &measure) != CKP_OK) {
            cli_usage_error(cmd, "invalid value '%s' for --scenario-measure: "
                                 "expected 'expected' or 'worst-case'", arg);
            return -1;
        }
        m->params.measure = (int)measure;
        return 1;
    case CLI_OPT_SCENARIO:
        if (!*arg) {
            cli_usage_error(cmd, "--scenario needs a scenario id");
            return -1;
        }
        m->params.scenario = arg;
        return 1;
    case CLI_OPT_NO_SCENARIOS:
        m->params.no_scenarios = 1;
        return 1;
    case CLI_OPT_YEAR_LIMIT:
        return year_limit_option(m, cmd, arg);
    case CLI_OPT_SCALE_YEAR_LIMITS:
        m->params.scale_year_limits = 1;
        return 1;
    case CLI_OPT_TIE_BREAK:
        if (strcmp(arg, "on") != 0 && strcmp(arg, "off") != 0) {
            cli_usage_error(cmd, "invalid value '%s' for --tie-break: expected 'on' or "
                                 "'off'", arg);
            return -1;
        }
        m->params.lexicographic = strcmp(arg, "on") == 0;
        return 1;
    default:
        return 0;
    }
}

int cli_model_check_ids(const cli_model *m, const cli_cmd *cmd, const ckp_plan *plan)
{
    for (int i = 0; i < m->n_force; i++) {
        if (ckp_plan_find_project(plan, m->force[i]) < 0)
            return cli_usage_error(cmd, "--force %s: no project with this id in %s",
                                   m->force[i], plan->path ? plan->path : "the plan");
        for (int j = 0; j < m->n_exclude; j++)
            if (strcmp(m->force[i], m->exclude[j]) == 0)
                return cli_usage_error(cmd, "project '%s' is both forced and excluded",
                                       m->force[i]);
    }
    for (int i = 0; i < m->n_exclude; i++)
        if (ckp_plan_find_project(plan, m->exclude[i]) < 0)
            return cli_usage_error(cmd, "--exclude %s: no project with this id in %s",
                                   m->exclude[i], plan->path ? plan->path : "the plan");
    if (m->params.min_cost && isnan(m->params.target))
        return cli_usage_error(cmd, "--objective min-cost needs --target T");
    if (!m->params.min_cost && !isnan(m->params.target))
        return cli_usage_error(cmd, "--target needs --objective min-cost");
    if (m->params.min_cost && !isnan(m->params.max_share))
        return cli_usage_error(cmd, "--max-share cannot be combined with "
                                    "--objective min-cost");
    for (int i = 0; i < m->n_year_limits; i++)
        if (m->year_limits[i].year < plan->first_year ||
            m->year_limits[i].year > plan->last_year)
            return cli_usage_error(cmd, "--year-limit %d=...: the year is outside "
                                        "the horizon %d-%d of %s",
                                   m->year_limits[i].year, plan->first_year,
                                   plan->last_year, plan->path ? plan->path : "the plan");
    if (m->params.scale_year_limits && !isnan(m->params.budget_total) &&
        !(isfinite(plan->budget.total) && plan->budget.total > 0))
        return cli_usage_error(cmd, "--scale-year-limits: %s has no <budget total> "
                                    "> 0 to scale from",
                               plan->path ? plan->path : "the plan");
    if (m->params.scenario && m->params.no_scenarios)
        return cli_usage_error(cmd, "--scenario %s cannot be combined with "
                                    "--no-scenarios", m->params.scenario);
    if (m->params.scenario && ckp_plan_find_scenario(plan, m->params.scenario) < 0) {
        const char *path = plan->path ? plan->path : "the plan";
        if (plan->n_scenarios == 0)
            return cli_usage_error(cmd, "--scenario %s: %s defines no scenarios",
                                   m->params.scenario, path);
        /* name the scenarios there are (the first few) */
        char known[512];
        size_t k = 0;
        known[0] = '\0';
        for (int i = 0; i < plan->n_scenarios && k + 1 < sizeof known; i++) {
            int n = snprintf(known + k, sizeof known - k, "%s%s", i ? ", " : "",
                             plan->scenarios[i].id);
            if (n < 0 || (size_t)n >= sizeof known - k) {
                k = sizeof known - 1;
                break;
            }
            k += (size_t)n;
        }
        return cli_usage_error(cmd, "--scenario %s: no scenario with this id in %s "
                                    "(scenarios: %s)", m->params.scenario, path, known);
    }
    return 0;
}

void cli_print_diags(ckp_diag_list *diag, int quiet)
{
    ckp_diag_sort(diag);
    for (int i = 0; i < diag->n; i++) {
        const ckp_diag *d = &diag->items[i];
        if (quiet && d->severity != CKP_SEV_ERROR) continue;
        if (d->file && d->line > 0 && d->column > 0)
            fprintf(stderr, "%s:%d:%d: ", d->file, d->line, d->column);
        else if (d->file && d->line > 0)
            fprintf(stderr, "%s:%d: ", d->file, d->line);
        else if (d->file)
            fprintf(stderr, "%s: ", d->file);
        fprintf(stderr, "%s: %s", ckp_severity_str(d->severity), d->message);
        if (d->code && d->code[0]) fprintf(stderr, " [%s]", d->code);
        fputc('\n', stderr);
    }
}

static int load_exit(ckp_status st)
{
    switch (st) {
    case CKP_ENOMEM:
    case CKP_EINTERNAL:
    case CKP_ESOLVER: return CKP_EXIT_INTERNAL;
    default: return CKP_EXIT_INPUT; /* unreadable, malformed, invalid */
    }
}

const char *cli_input_name(const char *path)
{
    return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

int cli_load_plan_diags(const char *path, ckp_plan **out, ckp_diag_list *diag)
{
    ckp_plan *plan = NULL;
    *out = NULL;
    int is_stdin = strcmp(path, "-") == 0;
    const char *name = cli_input_name(path);
    int errors_before = diag->n_errors;
    ckp_status st = is_stdin ? ckp_plan_load_stream(stdin, name, &plan, diag)
                             : ckp_plan_load(path, &plan, diag);
    if (st == CKP_OK) st = ckp_plan_check(plan, diag);
    if (st != CKP_OK && diag->n_errors == errors_before) {
        if (st == CKP_EIO && !is_stdin) {
            /* ask the system why, for the message */
            FILE *f = fopen(path, "rb");
            int err = f ? EIO : errno;
            if (f) fclose(f);
            ckp_diag_add(diag, CKP_SEV_ERROR, name, 0, "load",
                         "cannot read the file: %s", strerror(err));
        } else {
            ckp_diag_add(diag, CKP_SEV_ERROR, name, 0, "load", "%s",
                         ckp_status_str(st));
        }
    }
    ckp_diag_sort(diag);
    if (st != CKP_OK || diag->n_errors > errors_before) {
        ckp_plan_free(plan);
        return load_exit(st == CKP_OK ? CKP_EINVALID : st);
    }
    *out = plan;
    return 0;
}

int cli_load_plan(const char *path, int quiet, ckp_plan **out, int *n_errors,
                  int *n_warnings)
{
    ckp_diag_list diag;
    ckp_diag_list_init(&diag);
    int rc = cli_load_plan_diags(path, out, &diag);
    cli_print_diags(&diag, quiet);
    if (n_errors) *n_errors = diag.n_errors;
    if (n_warnings) *n_warnings = diag.n_warnings;
    ckp_diag_list_fini(&diag);
    return rc;
}

static int needs_quote(const char *s)
{
    if (!*s) return 1;
    for (; *s; s++)
        if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                    "0123456789_-./:=,+@%", *s))
            return 1;
    return 0;
}

char *cli_command_line(int argc, char **argv)
{
    size_t len = 1;
    for (int i = 0; i < argc; i++) len += 4 * strlen(argv[i]) + 3;
    char *s = malloc(len);
    if (!s) return NULL;
    size_t k = 0;
    for (int i = 0; i < argc; i++) {
        if (i) s[k++] = ' ';
        if (!needs_quote(argv[i])) {
            size_t n = strlen(argv[i]);
            memcpy(s + k, argv[i], n);
            k += n;
            continue;
        }
        s[k++] = '\'';
        for (const char *p = argv[i]; *p; p++) {
            if (*p == '\'') {
                memcpy(s + k, "'\\''", 4);
                k += 4;
            } else {
                s[k++] = *p;
            }
        }
        s[k++] = '\'';
    }
    s[k] = '\0';
    return s;
}

int cli_solver_option(ckp_solve_params *sp, const cli_cmd *cmd, int key, const char *arg)
{
    double v;
    switch (key) {
    case CLI_OPT_TIME_LIMIT:
        if (cli_number(cmd, "time-limit", arg, 0, 0, 1e7, 0, &v)) return -1;
        sp->time_limit = v;
        return 1;
    case CLI_OPT_NODE_LIMIT:
        if (cli_number(cmd, "node-limit", arg, 0, 0, 1e15, 0, &v)) return -1;
        if (v != floor(v)) {
            cli_usage_error(cmd, "invalid value '%s' for --node-limit: expected a "
                                 "whole number of nodes", arg);
            return -1;
        }
        sp->node_limit = (long)v;
        return 1;
    case CLI_OPT_GAP:
        if (cli_number(cmd, "gap", arg, 0, 0, 1, 1, &v)) return -1;
        sp->mip_gap = v;
        return 1;
    case CLI_OPT_NO_HEURISTIC: sp->no_heuristic = 1; return 1;
    case CLI_OPT_NO_LP_HEURISTIC: sp->no_lp_heuristic = 1; return 1;
    case CLI_OPT_BRANCHING: {
        static const struct { const char *name; int value; } rules[] = {
            {"default", CKP_BRANCH_DEFAULT}, {"ffv", CKP_BRANCH_FFV},
            {"lfv", CKP_BRANCH_LFV},         {"mfv", CKP_BRANCH_MFV},
            {"dth", CKP_BRANCH_DTH},         {"pch", CKP_BRANCH_PCH}};
        for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
            if (strcmp(arg, rules[i].name) == 0) {
                sp->branching = rules[i].value;
                return 1;
            }
        cli_usage_error(cmd, "invalid value '%s' for --branching: expected default, "
                             "ffv, lfv, mfv, dth or pch", arg);
        return -1;
    }
    case CLI_OPT_PRESOLVE: sp->presolve = 1; return 1;
    case CLI_OPT_MIR:
    case CLI_OPT_CLIQUE: {
        int on = strcmp(arg, "on") == 0;
        const char *name = key == CLI_OPT_MIR ? "mir-cuts" : "clique-cuts";
        if (!on && strcmp(arg, "off") != 0) {
            cli_usage_error(cmd, "invalid value '%s' for --%s: expected on or off", arg,
                            name);
            return -1;
        }
        if (key == CLI_OPT_MIR) sp->mir_cuts = on;
        else sp->clique_cuts = on;
        return 1;
    }
    case CLI_OPT_ROOT_CUTS: {
        int rc = ckp_root_cuts_parse(arg);
        if (rc < 0) {
            cli_usage_error(cmd, "invalid value '%s' for --root-cuts: expected off, "
                                 "proof or on", arg);
            return -1;
        }
        sp->root_cuts = rc;
        return 1;
    }
    default: return 0;
    }
}

/* cli_write_atomic's writer: runs fn and keeps its status and errno for
 * the diagnostic (ckp_atomic_write hands the writer a const argument). */
typedef struct cli_writer {
    ckp_status (*fn)(const void *arg, FILE *out);
    const void *arg;
    ckp_status *status;
    int *err;
} cli_writer;

static ckp_status cli_writer_run(const void *arg, FILE *out)
{
    const cli_writer *w = arg;
    *w->status = w->fn(w->arg, out);
    *w->err = errno;
    return *w->status;
}

ckp_status cli_write_atomic(const char *dir, const char *name,
                            ckp_status (*fn)(const void *arg, FILE *out), const void *arg,
                            ckp_diag_list *diag)
{
    ckp_status written = CKP_OK;
    int err = 0;
    const cli_writer w = {fn, arg, &written, &err};
    ckp_status rc = ckp_atomic_write(dir, name, cli_writer_run, &w, diag);
    if (written == CKP_EIO) {
        size_t len = strlen(dir) + strlen(name) + 2;
        char *path = malloc(len);
        if (!path) return CKP_ENOMEM;
        snprintf(path, len, "%s/%s", dir, name);
        ckp_diag_add(diag, CKP_SEV_ERROR, path, 0, "output-error", "cannot write: %s",
                     strerror(err ? err : EIO));
        free(path);
    }
    return rc;
}

ckp_status cli_json_members(FILE *out, const char *doc, size_t size, int n,
                            const char *const *key, const cli_json_fn *fn,
                            const void *const *arg)
{
    size_t k = size;
    while (k > 0 && doc[k - 1] != '}') k--;
    if (k == 0) return CKP_EINTERNAL;
    k--; /* up to the closing brace and the line break before it */
    while (k > 0 && (doc[k - 1] == '\n' || doc[k - 1] == ' ')) k--;
    fwrite(doc, 1, k, out);
    ckp_status rc = CKP_OK;
    for (int i = 0; i < n && rc == CKP_OK; i++) {
        char *buf = NULL;
        size_t len = 0;
        FILE *m = open_memstream(&buf, &len);
        if (!m) return CKP_ENOMEM;
        rc = fn[i](arg[i], m);
        if (fclose(m) != 0 && rc == CKP_OK) rc = CKP_ENOMEM;
        if (rc == CKP_OK) {
            while (len > 0 && buf[len - 1] == '\n') len--;
            fprintf(out, ",\n  \"%s\": ", key[i]);
            /* indent the member's lines by two spaces */
            for (size_t j = 0; j < len; j++) {
                fputc(buf[j], out);
                if (buf[j] == '\n') fputs("  ", out);
            }
        }
        free(buf);
    }
    if (rc == CKP_OK) fputs("\n}\n", out);
    return rc == CKP_OK && ferror(out) ? CKP_EIO : rc;
}
