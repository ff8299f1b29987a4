#!/usr/bin/env bash
# run_fuzz.sh SOURCE_DIR WORK_DIR RUNS: builds the plan loader's fuzz target
# (tests/fuzz/fuzz_load.c) with clang's libFuzzer, AddressSanitizer and
# UndefinedBehaviorSanitizer -- the library instrumented too, in its own
# build tree under WORK_DIR -- and runs it for RUNS inputs (a count, not a
# time: the same work on every machine) from a fixed seed, starting from
# the test plans as seed corpus.  Any crash, leak, sanitizer report or
# broken invariant fails.  Without clang (or without its libFuzzer runtime)
# it prints why and exits 77, which ctest reports as skipped.
set -euo pipefail
src=$1
work=$2
runs=$3

cc=$(command -v clang || true)
if [ -z "$cc" ]; then
  echo "SKIPPED: clang not found (Debian package 'clang'); the fuzz target needs libFuzzer"
  exit 77
fi
mkdir -p "$work"
probe="$work/probe.c"
printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' > "$probe"
if ! "$cc" -fsanitize=fuzzer "$probe" -o "$work/probe" 2>"$work/probe.log"; then
  echo "SKIPPED: $cc cannot link -fsanitize=fuzzer (libFuzzer runtime missing):"
  cat "$work/probe.log"
  exit 77
fi

flags="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
cmake -S "$src" -B "$work/build" -DCMAKE_C_COMPILER="$cc" -DCKP_TESTS=OFF \
      -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_C_FLAGS=$flags" > "$work/configure.log"
cmake --build "$work/build" --target ckp -j2 > "$work/build.log"
xml_libs=$(pkg-config --libs libxml-2.0 2>/dev/null || xml2-config --libs)
# shellcheck disable=SC2086
"$cc" -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
      -I"$src/include" "$src/tests/fuzz/fuzz_load.c" "$work/build/src/libckp.a" \
      $xml_libs -lglpk -lm -o "$work/fuzz_load"

# New inputs go to a scratch corpus; the seeds stay untouched.
rm -rf "$work/corpus"
mkdir -p "$work/corpus"
ASAN_OPTIONS=detect_leaks=1 "$work/fuzz_load" -runs="$runs" -seed=1 \
  -dict="$src/tests/fuzz/plan.dict" -print_final_stats=1 \
  "$work/corpus" "$src/tests/data/load" "$src/tests/data/plans" \
  "$src/tests/data/check" "$src/tests/data/build"
echo "fuzz_load: $runs runs, no crash"
