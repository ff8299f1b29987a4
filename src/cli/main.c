/* main.c: the chokepoint command line.  main() only sets up, dispatches to
 * a subcommand through the table below (one file per subcommand,
 * cmd_<name>.c) and cleans up; the exit codes are those of
 * cli/exit_codes.h (docs/exit-codes.md). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ckp/load.h"
#include "ckp/solve.h"
#include "cli/cli.h"
#include "util/atomic.h"

static const cli_cmd *const commands[] = {
    &cli_cmd_check,
    &cli_cmd_export,
    &cli_cmd_merge,
    &cli_cmd_solve,
    &cli_cmd_evaluate,
    &cli_cmd_compare,
    &cli_cmd_sweep,
};
enum { N_COMMANDS = (int)(sizeof commands / sizeof commands[0]) };

static const cli_cmd *find_command(const char *name)
{
    for (int i = 0; i < N_COMMANDS; i++)
        if (strcmp(commands[i]->name, name) == 0) return commands[i];
    return NULL;
}

static const cli_tool tool = {
    "financing portfolios that cut critical-mineral chokepoint exposure",
    "Finds the financing portfolio of critical-mineral projects that most\n"
    "cuts the bloc's dependence on a dominant supplier country, within a\n"
    "budget, as a mixed-integer program solved with GLPK.\n",
    "Exit status: 0 success, 1 internal error, 2 usage, 3 invalid input,\n"
    "4 infeasible, 5 no solution within the limits, 6 output error,\n"
    "7 interrupted (docs/exit-codes.md).\n",
    commands, N_COMMANDS};

static void global_help(FILE *out)
{
    fprintf(out,
            "usage: %s <command> [options] [args]\n"
            "       %s help <command> | --help | --version\n\n%s\n"
            "Commands:\n",
            CLI_PROG, CLI_PROG, tool.about);
    for (int i = 0; i < N_COMMANDS; i++)
        fprintf(out, "  %-10s%s\n", commands[i]->name, commands[i]->summary);
    fprintf(out, "\nRun '%s <command> --help' for the options of a command.\n%s",
            CLI_PROG, tool.exit_status);
}

static int global_usage(const char *msg)
{
    fprintf(stderr, "%s: %s", CLI_PROG, msg);
    fprintf(stderr, "\nusage: %s <command> [options] [args]  (see '%s --help')\n",
            CLI_PROG, CLI_PROG);
    return CKP_EXIT_USAGE;
}

static int finish_stdout(int rc)
{
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "%s: cannot write to standard output\n", CLI_PROG);
        return CKP_EXIT_OUTPUT;
    }
    return rc;
}

static const char *not_command(char *buf, size_t size, const char *name)
{
    snprintf(buf, size, "'%s' is not a command", name);
    return buf;
}

static int dispatch(int argc, char **argv, const char *command_line)
{
    char msg[512];
    if (argc < 2) {
        global_help(stderr);
        return CKP_EXIT_USAGE;
    }
    const char *a = argv[1];
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0 ||
        (strcmp(a, "help") == 0 && argc == 2)) {
        global_help(stdout);
        return finish_stdout(CKP_EXIT_OK);
    }
    if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
        printf("%s %s (GLPK %s)\n", CLI_PROG, cli_version(), ckp_solver_version());
        return finish_stdout(CKP_EXIT_OK);
    }
    if (strcmp(a, "--generate") == 0) {
        /* hidden: the build writes the man page and completion script */
        if (argc != 3 || cli_generate(&tool, argv[2], stdout) != CKP_EXIT_OK)
            return global_usage("--generate takes 'man' or 'completion'");
        return finish_stdout(CKP_EXIT_OK);
    }
    if (strcmp(a, "help") == 0) {
        if (argc > 3) return global_usage("help takes one command name");
        const cli_cmd *cmd = find_command(argv[2]);
        if (!cmd) return global_usage(not_command(msg, sizeof msg, argv[2]));
        cli_help(cmd, stdout);
        return finish_stdout(CKP_EXIT_OK);
    }
    if (a[0] == '-') {
        snprintf(msg, sizeof msg, "unknown option '%s'", a);
        return global_usage(msg);
    }
    const cli_cmd *cmd = find_command(a);
    if (!cmd) return global_usage(not_command(msg, sizeof msg, a));
    return finish_stdout(cmd->run(argc - 1, argv + 1, command_line));
}

/* Interrupted: remove the temporaries of files being written (finished
 * files are renamed atomically, so none is ever half-written), then die
 * of the signal as usual. */
static void on_signal(int sig)
{
    ckp_atomic_unlink_active();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_signal_handlers(void)
{
    const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        sigaction(sigs[i], &sa, NULL);
}

int main(int argc, char **argv)
{
    install_signal_handlers();
    ckp_solver_process_setup();
    char *command_line = cli_command_line(argc, argv);
    if (!command_line) {
        fprintf(stderr, "%s: out of memory\n", CLI_PROG);
        return CKP_EXIT_INTERNAL;
    }
    int rc = dispatch(argc, argv, command_line);
    free(command_line);
    ckp_load_cleanup();
    return rc;
}
