/* consumer.c: a program written against the installed chokepoint library
 * only (<ckp/...> headers, -lckp or find_package(chokepoint)), built by
 * tests/install/install_consumer.sh.  It checks the header and library
 * versions agree, loads, checks and solves the plan given, and prints one
 * line: "chokepoint VERSION: STATUS OBJECTIVE PROJECTS". */
#include <stdio.h>
#include <string.h>

#include <ckp/check.h>
#include <ckp/load.h>
#include <ckp/result.h>
#include <ckp/version.h>

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: consumer PLAN.xml\n");
        return 2;
    }
    if (strcmp(ckp_version(), CKP_VERSION_STRING) != 0) {
        fprintf(stderr, "library %s, headers %s\n", ckp_version(), CKP_VERSION_STRING);
        return 1;
    }
    ckp_diag_list diag;
    ckp_diag_list_init(&diag);
    ckp_plan *plan = NULL;
    ckp_result *r = NULL;
    ckp_model_params mp;
    ckp_solve_params sp;
    ckp_model_params_init(&mp);
    ckp_solve_params_init(&sp);
    ckp_status st = ckp_plan_load(argv[1], &plan, &diag);
    if (st == CKP_OK) st = ckp_plan_check(plan, &diag);
    if (st == CKP_OK) st = ckp_run(plan, &mp, &sp, &r, &diag);
    int rc = 1;
    if (st == CKP_OK) {
        printf("chokepoint %s: %s %.6g %d\n", ckp_version(),
               ckp_mip_status_str(r->status), r->objective_value, r->n_picks);
        rc = r->status == CKP_MIP_OPTIMAL ? 0 : 1;
    } else {
        ckp_diag_print(&diag, stderr);
        fprintf(stderr, "consumer: %s\n", ckp_status_str(st));
    }
    ckp_result_free(r);
    ckp_plan_free(plan);
    ckp_diag_list_fini(&diag);
    ckp_load_cleanup();
    return rc;
}
