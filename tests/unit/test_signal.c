/* test_signal.c: SIGINT or SIGTERM during a solve stops the run at once,
 * by the signal (the shell sees 128 + its number: 130, 143;
 * docs/exit-codes.md), and leaves nothing in --out: no report file, no
 * temporary.  The solve is a 200-project generated plan whose search runs
 * for minutes; the signal is sent as soon as GLPK's branch-and-bound log
 * (--verbose, on stderr) shows the search has begun, so the test does not
 * depend on the machine's speed. */
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static char g_dir[64]; /* a fresh directory for this run */
static char g_plan[600];

static int setup(void **state)
{
    (void)state;
    char *dir = tu_tmpdir("signal");
    snprintf(g_dir, sizeof g_dir, "%s", dir);
    free(dir);
    snprintf(g_plan, sizeof g_plan, "%s/g200.xml", g_dir);
    char cmd[2000];
    snprintf(cmd, sizeof cmd, "'%s' --projects 200 --seed 1 --out '%s'", CKP_GENPLAN_BIN,
             g_plan);
    return system(cmd) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    tu_tmp_remove(g_dir);
    return 0;
}

/* Entries of dir other than . and .., or -1 when it does not exist. */
static int entries(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return errno == ENOENT ? -1 : -2;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
            fprintf(stderr, "left in --out: %s\n", e->d_name);
            n++;
        }
    closedir(d);
    return n;
}

/* Start a solve into out/, wait for the search to begin, send sig. */
static void interrupt_solve(int sig, const char *out)
{
    int fd[2];
    assert_int_equal(pipe(fd), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        dup2(fd[1], 2);
        close(fd[0]);
        close(fd[1]);
        int null = open("/dev/null", O_WRONLY);
        if (null >= 0) dup2(null, 1);
        execl(CKP_CLI_BIN, CKP_CLI_BIN, "solve", g_plan, "--verbose", "--out", out,
              (char *)NULL);
        _exit(127);
    }
    close(fd[1]);
    FILE *err = fdopen(fd[0], "r");
    assert_non_null(err);
    char line[4096];
    int started = 0;
    while (!started && fgets(line, sizeof line, err))
        started = line[0] == '+'; /* "+   731: mip = ..." */
    assert_true(started);
    assert_int_equal(kill(pid, sig), 0);
    while (fgets(line, sizeof line, err)) {
    } /* drain until the child is gone */
    fclose(err);
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (!WIFSIGNALED(status))
        fail_msg("the solve exited with %d instead of dying of signal %d",
                 WIFEXITED(status) ? WEXITSTATUS(status) : -1, sig);
    assert_int_equal(WTERMSIG(status), sig);
}

static void sigint_during_solve(void **state)
{
    (void)state;
    char out[700];
    snprintf(out, sizeof out, "%s/out-int", g_dir);
    interrupt_solve(SIGINT, out);
    assert_true(entries(out) <= 0);
}

/* An --out folder that exists already keeps what it had and gains nothing. */
static void sigterm_during_solve(void **state)
{
    (void)state;
    char out[700], keep[800];
    snprintf(out, sizeof out, "%s/out-term", g_dir);
    assert_int_equal(mkdir(out, 0755), 0);
    snprintf(keep, sizeof keep, "%s/notes.txt", out);
    FILE *f = fopen(keep, "w");
    assert_non_null(f);
    fputs("kept\n", f);
    fclose(f);
    interrupt_solve(SIGTERM, out);
    assert_int_equal(entries(out), 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(sigint_during_solve),
        cmocka_unit_test(sigterm_during_solve),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
