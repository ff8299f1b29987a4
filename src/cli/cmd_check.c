/* cmd_check.c: "chokepoint check PLAN.xml...": load (XML, schema) and
 * check (semantic rules) each plan ("-" = standard input).  Text format:
 * every diagnostic on stderr as  file:line: severity: message [code],  one
 * summary line per file on stdout.  JSON format (--format json): one
 * document on stdout with every file's diagnostics as records (file, line,
 * column, severity, code, element, value, message); docs/diagnostics.md. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "report/json.h"

static const cli_opt check_opts[] = {
    {"format", required_argument, CLI_OPT_FORMAT, "FMT",
     "text | json: text (default) prints diagnostics on stderr and a "
     "summary line per file on stdout; json one JSON document on stdout "
     "(docs/diagnostics.md)"},
    {"quiet", no_argument, 'q', NULL,
     "print errors only: no warnings, no summary lines"},
    {"help", no_argument, 'h', NULL, "show this help and exit"},
};

static int check_run(int argc, char **argv, const char *command_line);

const cli_cmd cli_cmd_check = {
    "check", check_run, "validate plans and report every problem",
    "PLAN.xml... [options]",
    "Validates each plan ('-' reads one from standard input): XML\n"
    "well-formedness and safety, the plan schema, then the semantic rules\n"
    "(unknown or duplicate ids with the nearest defined id as a hint,\n"
    "cycles in requires, inputs nothing can produce, years outside the\n"
    "horizon, numbers outside their sane ranges, and warnings for what can\n"
    "never matter).  All problems are reported in one run, on stderr, as\n"
    "'file:line: error: message [code]'; every code is explained, with the\n"
    "fix, in docs/diagnostics.md.  One summary line per file goes to\n"
    "stdout: 'PLAN.xml: ok' or 'PLAN.xml: N errors, M warnings'.  With\n"
    "--format json, one JSON document on stdout instead.  Exit status 0\n"
    "when no file has errors (warnings allowed), 3 when any has.",
    check_opts, (int)(sizeof check_opts / sizeof check_opts[0])};

static const char *plural(int n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* ------------------------------------------------------------------ */
/* element and value of a message, for the JSON records                */

/* Messages start with what they are about: "project 'nolans': ...",
 * "budget: ...", or (loader) "Element 'project', attribute 'capacity':
 * ...".  Copies that into el (empty when the message has no such prefix)
 * and returns where the rest starts. */
static const char *split_element(const char *msg, char *el, size_t n)
{
    el[0] = '\0';
    if (strncmp(msg, "Element '", 9) == 0) {
        const char *q = strchr(msg + 9, '\'');
        if (!q) return msg;
        snprintf(el, n, "%.*s", (int)(q - msg - 9), msg + 9);
        const char *rest = strstr(q, ": ");
        return rest ? rest + 2 : q + 1;
    }
    const char *colon = strstr(msg, ": ");
    if (!colon) return msg;
    /* a word, optionally followed by one quoted id */
    const char *p = msg;
    while (p < colon && ((*p >= 'a' && *p <= 'z') || *p == '-')) p++;
    if (p == msg) return msg;
    if (p < colon) {
        if (p[0] != ' ' || p[1] != '\'') return msg;
        const char *q = memchr(p + 2, '\'', (size_t)(colon - p - 2));
        if (!q || q + 1 != colon) return msg;
    }
    snprintf(el, n, "%.*s", (int)(colon - msg), msg);
    return colon + 2;
}

/* The first quoted token of the rest, else the first number in it. */
static void find_value(const char *rest, char *val, size_t n)
{
    val[0] = '\0';
    const char *q = strchr(rest, '\'');
    if (q) {
        const char *e = strchr(q + 1, '\'');
        if (e) {
            snprintf(val, n, "%.*s", (int)(e - q - 1), q + 1);
            return;
        }
    }
    for (const char *p = rest; *p; p++) {
        if (p != rest && p[-1] != ' ') continue;
        char *end;
        (void)strtod(p, &end);
        if (end != p && (*end == ' ' || *end == '\0' || *end == ',' ||
                         *end == ';' || *end == ')')) {
            snprintf(val, n, "%.*s", (int)(end - p), p);
            return;
        }
    }
}

static void json_diag(jw *w, const ckp_diag *d)
{
    char el[256], val[256];
    const char *rest = split_element(d->message, el, sizeof el);
    find_value(rest, val, sizeof val);
    jw_object(w, NULL);
    jw_str(w, "file", d->file);
    if (d->line > 0) jw_int(w, "line", d->line);
    else jw_null(w, "line");
    if (d->column > 0) jw_int(w, "column", d->column);
    else jw_null(w, "column");
    jw_str(w, "severity", ckp_severity_str(d->severity));
    jw_str(w, "code", d->code);
    jw_str(w, "element", el[0] ? el : NULL);
    jw_str(w, "value", val[0] ? val : NULL);
    jw_str(w, "message", d->message);
    jw_end_object(w);
}

/* ------------------------------------------------------------------ */

static int check_run(int argc, char **argv, const char *command_line)
{
    (void)command_line;
    cli_parser p = {0};
    int quiet = 0, json = 0;
    int c;
    while ((c = cli_next_option(&p, &cli_cmd_check, argc, argv)) != -1) {
        switch (c) {
        case 'q': quiet = 1; break;
        case 'h': cli_help(&cli_cmd_check, stdout); return CKP_EXIT_OK;
        case CLI_OPT_FORMAT:
            if (strcmp(optarg, "json") == 0) json = 1;
            else if (strcmp(optarg, "text") == 0) json = 0;
            else
                return cli_usage_error(&cli_cmd_check, "invalid value '%s' for "
                                       "--format: expected text or json", optarg);
            break;
        default: return CKP_EXIT_USAGE;
        }
    }
    if (optind >= argc)
        return cli_usage_error(&cli_cmd_check, "no plan file given");
    int rc = CKP_EXIT_OK;
    jw w;
    if (json) {
        jw_init(&w, stdout);
        jw_object(&w, NULL);
        jw_str(&w, "tool", "chokepoint check");
        jw_str(&w, "version", cli_version());
        jw_array(&w, "files");
    }
    for (int i = optind; i < argc; i++) {
        ckp_plan *plan = NULL;
        ckp_diag_list diag;
        ckp_diag_list_init(&diag);
        int r = cli_load_plan_diags(argv[i], &plan, &diag);
        int n_err = diag.n_errors, n_warn = diag.n_warnings;
        if (r == CKP_EXIT_INPUT && n_err == 0) n_err = 1;
        const char *name = cli_input_name(argv[i]);
        if (json) {
            jw_object(&w, NULL);
            jw_str(&w, "file", name);
            jw_str(&w, "sha256", plan ? plan->input_sha256 : NULL);
            jw_int(&w, "errors", n_err);
            jw_int(&w, "warnings", quiet ? 0 : n_warn);
            jw_array(&w, "diagnostics");
            for (int k = 0; k < diag.n; k++)
                if (!quiet || diag.items[k].severity == CKP_SEV_ERROR)
                    json_diag(&w, &diag.items[k]);
            jw_end_array(&w);
            jw_end_object(&w);
        } else {
            cli_print_diags(&diag, quiet);
            if (!quiet) {
                if (n_err == 0 && n_warn == 0)
                    printf("%s: ok\n", name);
                else
                    printf("%s: %d %s, %d %s\n", name, n_err,
                           plural(n_err, "error", "errors"), n_warn,
                           plural(n_warn, "warning", "warnings"));
            }
        }
        ckp_plan_free(plan);
        ckp_diag_list_fini(&diag);
        /* the most serious outcome wins: internal over input errors */
        if (r == CKP_EXIT_INTERNAL || (r != CKP_EXIT_OK && rc == CKP_EXIT_OK))
            rc = r;
    }
    if (json) {
        jw_end_array(&w);
        jw_end_object(&w);
        fputc('\n', stdout);
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "%s check: cannot write to standard output\n", CLI_PROG);
        return CKP_EXIT_OUTPUT;
    }
    return rc;
}
