#!/bin/sh
# run-bench.sh: the `bench` target (bench/CMakeLists.txt).  Generates plans
# of 100, 300 and 1,000 projects (seed 1, 10 years, 3 stages x 1
# commodity) and runs ckp-bench on the bundled plan and on each, one table
# row per plan.  Usage: run-bench.sh GENPLAN BENCH BUNDLED_PLAN DIR SECONDS
set -eu
genplan=$1 bench=$2 bundled=$3 dir=$4 limit=$5
mkdir -p "$dir"
"$bench" --header
"$bench" "$bundled" --time-limit "$limit" --row --label bundled
for n in 100 300 1000; do
  "$genplan" --projects "$n" --seed 1 --out "$dir/gen-$n.xml"
  "$bench" "$dir/gen-$n.xml" --time-limit "$limit" --row --label "gen-$n"
done
