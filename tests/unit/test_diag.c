/* test_diag.c: diagnostic lists and the MIP container's structural check. */
#include "testutil.h"

#include <math.h>
#include <string.h>

#include "ckp/mip.h"

static void diag_format_and_sort(void **state)
{
    (void)state;
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    assert_int_equal(ckp_diag_add(&d, CKP_SEV_ERROR, "b.xml", 3, "x", "late %s", "one"), CKP_OK);
    assert_int_equal(ckp_diag_add(&d, CKP_SEV_WARNING, "a.xml", 9, "y", "first"), CKP_OK);
    assert_int_equal(ckp_diag_add(&d, CKP_SEV_ERROR, "b.xml", 1, "z", "early"), CKP_OK);
    assert_int_equal(d.n_errors, 2);
    assert_int_equal(d.n_warnings, 1);
    ckp_diag_sort(&d);
    char *t = tu_diag_text(&d);
    assert_string_equal(t, "a.xml:9: warning: first\n"
                           "b.xml:1: error: early\n"
                           "b.xml:3: error: late one\n");
    free(t);
    ckp_diag_list_fini(&d);
    ckp_diag_list_fini(NULL);
}

static void mip_check_finds_duplicates(void **state)
{
    (void)state;
    ckp_mip m;
    ckp_mip_init(&m, "t");
    int c0, c1, r0;
    assert_int_equal(ckp_mip_add_col(&m, "x", CKP_COL_BINARY, 0, 1, 1, &c0), CKP_OK);
    assert_int_equal(ckp_mip_add_col(&m, "y", CKP_COL_CONTINUOUS, 0, INFINITY, 0, &c1), CKP_OK);
    assert_int_equal(ckp_mip_add_row(&m, "r", -INFINITY, 4, &r0), CKP_OK);
    assert_int_equal(ckp_mip_add_coef(&m, r0, c0, 2), CKP_OK);
    assert_int_equal(ckp_mip_add_coef(&m, r0, c1, 0), CKP_OK); /* skipped */
    assert_int_equal(m.nnz, 1);
    char msg[256];
    assert_int_equal(ckp_mip_check(&m, msg, sizeof msg), CKP_OK);
    assert_int_equal(ckp_mip_add_coef(&m, r0, c0, 1), CKP_OK);
    assert_int_equal(ckp_mip_check(&m, msg, sizeof msg), CKP_EINTERNAL);
    assert_non_null(strstr(msg, "duplicate"));
    assert_int_equal(ckp_mip_find_col(&m, "y"), c1);
    assert_int_equal(ckp_mip_n_binary(&m), 1);
    ckp_mip_fini(&m);
    ckp_mip_fini(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(diag_format_and_sort),
        cmocka_unit_test(mip_check_finds_duplicates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
