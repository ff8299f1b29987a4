#!/bin/sh
# smoke.sh: the bench_smoke test (label bench-smoke).  A generated plan of
# 20 projects must load, check (chokepoint check exits 0) and solve
# (ckp-bench reports a status with a solution), with and without three
# scenarios and a stockpile candidate; the generator must write
# the same bytes for the same seed and different bytes for another seed.
# Usage: smoke.sh GENPLAN BENCH CHOKEPOINT DIR
set -eu
genplan=$1 bench=$2 cli=$3 dir=$4
mkdir -p "$dir"
fail() { echo "bench_smoke: FAIL: $*" >&2; exit 1; }

"$genplan" --projects 20 --years 8 --seed 7 --out "$dir/a.xml"
"$genplan" --projects 20 --years 8 --seed 7 > "$dir/b.xml"
"$genplan" --projects 20 --years 8 --seed 8 --out "$dir/c.xml"
cmp -s "$dir/a.xml" "$dir/b.xml" || fail "same seed gave different plans"
if cmp -s "$dir/a.xml" "$dir/c.xml"; then fail "different seeds gave the same plan"; fi
n=$(grep -c '<project ' "$dir/a.xml") || true
[ "$n" -eq 20 ] || fail "expected 20 projects, found $n"

"$cli" check "$dir/a.xml" > "$dir/check.out" 2>&1 || { cat "$dir/check.out" >&2; fail "chokepoint check rejected the plan"; }

"$bench" "$dir/a.xml" --time-limit 20 > "$dir/bench.out" || fail "ckp-bench failed"
cat "$dir/bench.out"
grep -Eq '^status +(optimal|feasible)' "$dir/bench.out" || fail "no solution"
grep -Eq '^binaries +[1-9]' "$dir/bench.out" || fail "model has no binaries"

# With scenarios and stockpiles: checks, solves, and the model has them.
"$genplan" --projects 20 --years 8 --seed 7 --scenarios 3 --stockpiles 1 --out "$dir/s.xml"
n=$(grep -c '<scenario ' "$dir/s.xml") || true
[ "$n" -eq 3 ] || fail "expected 3 scenarios, found $n"
"$cli" check "$dir/s.xml" > "$dir/check-s.out" 2>&1 || { cat "$dir/check-s.out" >&2; fail "chokepoint check rejected the scenario plan"; }
"$bench" "$dir/s.xml" --time-limit 20 > "$dir/bench-s.out" || fail "ckp-bench failed on the scenario plan"
cat "$dir/bench-s.out"
grep -Eq '^status +(optimal|feasible)' "$dir/bench-s.out" || fail "no solution with scenarios"

# Bad parameters are refused with a usage exit code.
if "$genplan" --projects 0 > /dev/null 2>&1; then fail "--projects 0 accepted"; fi
if "$genplan" --budget-share abc > /dev/null 2>&1; then fail "--budget-share abc accepted"; fi
echo "bench_smoke: ok"
