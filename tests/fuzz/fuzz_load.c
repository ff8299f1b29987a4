/* fuzz_load.c: libFuzzer target for the plan loader (ckp_plan_load_memory):
 * any byte string must load or fail with a status and diagnostics, never
 * crash, hang, leak or print; a plan that loads then goes through the
 * semantic checks (ckp_plan_check), under the same rules.  Built only with clang (tests/fuzz/
 * CMakeLists.txt); seed corpus: tests/data/load and tests/data/plans.
 *
 * Build (the library instrumented too), then run:
 *   CC=clang cmake -S . -B build-fuzz -DCKP_TESTS=OFF \
 *         -DCMAKE_C_FLAGS=-fsanitize=fuzzer-no-link,address,undefined
 *   cmake --build build-fuzz --target ckp
 *   clang -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude \
 *         tests/fuzz/fuzz_load.c build-fuzz/src/libckp.a -lxml2 -lglpk -lm \
 *         -o build-fuzz/fuzz_load
 *   mkdir -p build-fuzz/corpus
 *   build-fuzz/fuzz_load -max_total_time=60 -dict=tests/fuzz/plan.dict \
 *         build-fuzz/corpus tests/data/load tests/data/plans
 * (tests/fuzz/CMakeLists.txt does the same inside a clang build tree when
 * tests/CMakeLists.txt includes it; tests/fuzz/run_fuzz.sh, the ctest
 * entry fuzz_load_runs, does all of it with a bounded -runs count.)
 */
#include <stddef.h>
#include <stdint.h>

#include "ckp/check.h"
#include "ckp/load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ckp_diag_list d;
    ckp_diag_list_init(&d);
    ckp_plan *plan = NULL;
    ckp_status st = ckp_plan_load_memory((const char *)data, size, "fuzz.xml",
                                         &plan, &d);
    /* a plan comes back exactly when the load succeeded */
    if ((st == CKP_OK) != (plan != NULL)) __builtin_trap();
    if (st != CKP_OK && d.n_errors == 0 && st != CKP_ENOMEM) __builtin_trap();
    /* the semantic rules on whatever loaded: no crash, a definite status */
    if (plan) {
        ckp_status cs = ckp_plan_check(plan, &d);
        if (cs != CKP_OK && cs != CKP_EINVALID && cs != CKP_ENOMEM) __builtin_trap();
        if (cs == CKP_EINVALID && d.n_errors == 0) __builtin_trap();
    }
    ckp_plan_free(plan);
    ckp_diag_list_fini(&d);
    return 0;
}
