#!/bin/sh
# suite_smoke.sh: the bench_suite_smoke test (label bench-smoke).  Runs
# bench/suite.sh on one 20-project generated plan (weighted, no scenarios)
# without CBC and checks the CSV: its header, one row for the plan with a
# solution and the post-MIP columns filled, and the summary lines of the
# run's output.  No duration is asserted (the limit is far above what
# the plan needs and is never what ends it).
# Usage: suite_smoke.sh SUITE GENPLAN BENCH DIR
set -eu
suite=$1 genplan=$2 bench=$3 dir=$4
fail() { echo "bench_suite_smoke: FAIL: $*" >&2; exit 1; }
rm -rf "$dir"
# An empty inputs directory: the "bundled" part then has nothing to run.
mkdir -p "$dir/inputs"
sh "$suite" --genplan "$genplan" --bench "$bench" --inputs "$dir/inputs" --out "$dir/out" \
  --parts gen --sizes 20 --seeds 1 --objectives weighted --scenarios 0 --no-cbc \
  --time-limit 100 > "$dir/suite.out" 2>&1 || { cat "$dir/suite.out" >&2; fail "suite.sh failed"; }
cat "$dir/suite.out"
csv=$dir/out/suite.csv
[ -f "$csv" ] || fail "no suite.csv"
head -n 1 "$csv" | grep -q '^plan,status,nodes,gap_pct,ckp_cpu_s,cbc_status' || fail "bad CSV header"
[ "$(wc -l < "$csv")" -eq 2 ] || fail "expected one plan row"
row=$(sed -n 2p "$csv")
echo "$row" | grep -Eq '^gen-20-1-w-s0,(optimal|feasible),' || fail "row: $row"
# --no-cbc: the CBC columns are '-'; --run filled the post-MIP columns
echo "$row" | awk -F, '$6 == "-" && $10 == "-" && $13 != "-" && $20 != "-" {ok = 1}
  END {exit !ok}' || fail "columns: $row"
grep -q '^CSV: ' "$dir/suite.out" || fail "no CSV line in the output"
echo "bench_suite_smoke: ok"
