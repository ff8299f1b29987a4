/* test_outputs.c: the files of real runs checked by outside tools.
 * summary.json of the bundled plan, of a plan with scenarios (under
 * --max-share), of a min-cost goal and of an infeasible run validate
 * against docs/summary.schema.json (python3-jsonschema; skipped, with the
 * reason, when it is missing). */
#include "testutil.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char g_dir[64];     /* a fresh directory for this run */
static char g_bundled[96]; /* --out of the bundled plan */

static int setup(void **state)
{
    (void)state;
    snprintf(g_dir, sizeof g_dir, "/tmp/ckp-outputs-XXXXXX");
    if (!mkdtemp(g_dir)) return -1;
    snprintf(g_bundled, sizeof g_bundled, "%s/bundled", g_dir);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s solve %s/inputs/rare-earth-magnets.xml --quiet --out %s",
             CKP_CLI_BIN, CKP_SOURCE_DIR, g_bundled);
    int rc = tu_run(cmd, NULL, NULL);
    if (rc != 0) fprintf(stderr, "bundled solve: exit %d\n", rc);
    return rc == 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Run the CLI with args, its JSON on stdout into g_dir/name; the exit
 * status must be want. */
static void json_run(const char *args, const char *name, int want)
{
    char cmd[1024];
    char path[256];
    snprintf(path, sizeof path, "%s/%s", g_dir, name);
    snprintf(cmd, sizeof cmd, "{ %s solve %s --quiet --format json >%s; }", CKP_CLI_BIN, args,
             path);
    int rc = tu_run(cmd, NULL, NULL);
    if (rc != want) fail_msg("%s: exit %d, expected %d", cmd, rc, want);
}

static void summary_json_matches_schema(void **state)
{
    (void)state;
    char *out = NULL;
    char *err = NULL;
    int rc = tu_run("python3 -c 'import jsonschema'", NULL, NULL);
    if (rc != 0) {
        fprintf(stderr, "skipped: python3 with the jsonschema package (Debian "
                        "python3-jsonschema) is not available\n");
        skip();
    }
    json_run(CKP_TESTS_SRC "/data/cli/scenarios.xml --max-share 0.5", "scen.json", 0);
    json_run(CKP_TESTS_SRC "/data/cli/scenarios.xml --objective min-cost --target 0.5",
             "goal.json", 0);
    json_run(CKP_TESTS_SRC "/data/cli/scenarios.xml --budget 10 --force us-sep",
             "infeasible.json", 4);
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "python3 %s/support/validate_json.py %s/docs/summary.schema.json "
             "%s/summary.json %s/scen.json %s/goal.json %s/infeasible.json",
             CKP_TESTS_SRC, CKP_SOURCE_DIR, g_bundled, g_dir, g_dir, g_dir);
    rc = tu_run(cmd, &out, &err);
    if (rc == 77) {
        fprintf(stderr, "skipped: %s", err ? err : "");
        free(out);
        free(err);
        skip();
    }
    if (rc != 0) fail_msg("schema validation (exit %d):\n%s%s", rc, out ? out : "", err ? err : "");
    free(out);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(summary_json_matches_schema),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
