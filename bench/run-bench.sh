#!/bin/sh
# run-bench.sh: the `bench` target (bench/CMakeLists.txt).  Generates plans
# of 100, 300 and 1,000 projects with seeds 1 and 2 (10 years, 3 stages x 1
# commodity) and runs ckp-bench on the bundled plan and on each, one table
# row per plan, exporting each model as MPS.  When `cbc` is on the PATH
# (Debian coinor-cbc), a second table gives CBC's result on the same MPS
# files with the same time limit (`cbc F -sec S -solve -quit`).  These are
# the seven plans of docs/performance.md, then a generated plan with four
# scenarios and two stockpile candidates (100 projects, seed 1).
# Usage: run-bench.sh GENPLAN BENCH BUNDLED_PLAN DIR SECONDS
set -eu
genplan=$1 bench=$2 bundled=$3 dir=$4 limit=$5
mkdir -p "$dir"
cp "$bundled" "$dir/bundled.xml"
plans=bundled
for n in 100 300 1000; do
  for s in 1 2; do
    "$genplan" --projects "$n" --seed "$s" --out "$dir/gen-$n-$s.xml"
    plans="$plans gen-$n-$s"
  done
done
# the scenario plan of docs/performance.md ("Cover cuts")
"$genplan" --projects 100 --seed 1 --scenarios 4 --stockpiles 2 --out "$dir/scen-100-1.xml"
plans="$plans scen-100-1"
echo "chokepoint + GLPK (time limit ${limit} s; solve_s wall, cpu_s CPU of the solve)"
"$bench" --header
for p in $plans; do
  "$bench" "$dir/$p.xml" --time-limit "$limit" --mps "$dir/$p.mps" --row --label "$p"
done
if command -v cbc > /dev/null 2>&1; then
  echo
  echo "CBC on the exported MPS (cbc F -sec ${limit} -solve -quit)"
  printf '%-16s %-34s %14s %8s %8s %8s\n' plan result objective nodes cpu_s wall_s
  for p in $plans; do
    cbc "$dir/$p.mps" -sec "$limit" -solve -quit > "$dir/$p.cbc.log" 2>&1 || true
    result=$(sed -n 's/^Result - //p' "$dir/$p.cbc.log" | head -n 1)
    obj=$(sed -n 's/^Objective value: *//p' "$dir/$p.cbc.log" | head -n 1)
    nodes=$(sed -n 's/^Enumerated nodes: *//p' "$dir/$p.cbc.log" | head -n 1)
    times=$(sed -n 's/^Total time (CPU seconds): *\([0-9.]*\) *(Wallclock seconds): *\([0-9.]*\).*/\1 \2/p' \
            "$dir/$p.cbc.log" | head -n 1)
    printf '%-16s %-34s %14s %8s %8s %8s\n' "$p" "${result:--}" "${obj:--}" \
           "${nodes:--}" ${times:-- -}
  done
fi
