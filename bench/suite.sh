#!/bin/sh
# suite.sh: the benchmark family of docs/performance.md ("Benchmark
# family"), run by the `bench-suite` target.  For every plan of the family
# it exports the model as MPS (ckp-bench --no-solve --mps), solves it with
# chokepoint (ckp-bench --row) and with CBC on that MPS (cbc F -sec T
# -solve -quit), both timed as process CPU seconds (user + sys,
# /usr/bin/time), then times the whole run of `chokepoint solve`
# (ckp-bench --run: the MIP, the lexicographic stages 2-3, the baseline,
# the post-solve LPs and the text report) for the share of the work after
# the MIP.  One line per plan, then the geometric mean and the worst of the
# CPU ratios chokepoint / CBC; everything also goes to OUT/suite.csv.
#
# The family: the bundled plans (INPUTS/*.xml) with and without their
# scenarios; the rare-earth plan at budgets 500..4000 step 250;
# ckp-genplan plans of SIZES projects x SEEDS x weighted / min-max x
# without / with 4 scenarios; one plan of 10,000 projects for build time
# and peak RSS (no solve).  The full family takes hours on a loaded
# two-core machine: select a subset with the options below.
#
# Usage: suite.sh --genplan G --bench B --inputs DIR --out DIR
#                 [--parts bundled,sweep,gen,big] [--sizes 50,100,200,300,400,1000]
#                 [--seeds 1-5] [--objectives weighted,min-max] [--scenarios 0,4]
#                 [--budgets 500:4000:250] [--time-limit 120] [--wall-factor 1]
#                 [--no-cbc] [--no-post] [--ckp-opts "OPTS"] [--cbc-cache DIR]
#
# --ckp-opts adds solver options to every ckp-bench solve (not to the MPS
# export), to compare a setting on the whole family; --cbc-cache DIR takes
# CBC's log and CPU time of a plan from DIR (an earlier --out of the same
# family, same plans and limit) instead of running CBC again.
#
# CBC's -sec limit counts CPU seconds, GLPK's time limit wall-clock
# seconds: on a loaded machine chokepoint's limit fires first.
# --wall-factor F gives chokepoint a wall-clock limit of F x the time limit;
# a plan it proves after more CPU seconds than the limit is then reported
# as "late" (proven, but not within the limit), so the comparison stays
# one of CPU seconds on both sides.
set -eu

genplan= bench= inputs= out=
parts=bundled,sweep,gen,big
sizes=50,100,200,300,400,1000
seeds=1-5
objectives=weighted,min-max
scenarios=0,4
budgets=500:4000:250
limit=120
wallf=1
cbc=1 post=1
ckpopts= cbccache=

usage() { sed -n '2,/^set -eu/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case $1 in
    --genplan) genplan=$2; shift ;;
    --bench) bench=$2; shift ;;
    --inputs) inputs=$2; shift ;;
    --out) out=$2; shift ;;
    --parts) parts=$2; shift ;;
    --sizes) sizes=$2; shift ;;
    --seeds) seeds=$2; shift ;;
    --objectives) objectives=$2; shift ;;
    --scenarios) scenarios=$2; shift ;;
    --budgets) budgets=$2; shift ;;
    --time-limit) limit=$2; shift ;;
    --wall-factor) wallf=$2; shift ;;
    --no-cbc) cbc=0 ;;
    --no-post) post=0 ;;
    --ckp-opts) ckpopts=$2; shift ;;
    --cbc-cache) cbccache=$2; shift ;;
    -h|--help) usage ;;
    *) echo "suite.sh: unknown option '$1'" >&2; usage ;;
  esac
  shift
done
[ -n "$genplan" ] && [ -n "$bench" ] && [ -n "$inputs" ] && [ -n "$out" ] || usage
if [ "$cbc" = 1 ] && ! command -v cbc > /dev/null 2>&1; then
  echo "suite.sh: cbc not found (Debian: coinor-cbc); running without it" >&2
  cbc=0
fi
wlimit=$(awk -v a="$limit" -v f="$wallf" 'BEGIN {print a * f}')
[ -x /usr/bin/time ] || { echo "suite.sh: /usr/bin/time is needed (Debian: time)" >&2; exit 2; }

# "1-3,5" -> "1 2 3 5"; "500:4000:250" -> "500 750 ... 4000"
expand() {
  echo "$1" | tr ',' '\n' | while IFS= read -r item; do
    case $item in
      *:*:*) echo "$item" | awk -F: '{for (v = $1; v <= $2 + 1e-9; v += $3) print v}' ;;
      *-*) seq "${item%-*}" "${item#*-}" ;;
      '') ;;
      *) echo "$item" ;;
    esac
  done | tr '\n' ' '
}
has() { case ",$parts," in *",$1,"*) return 0 ;; esac; return 1; }

mkdir -p "$out"
csv=$out/suite.csv
echo "plan,status,nodes,gap_pct,ckp_cpu_s,cbc_status,cbc_nodes,cbc_gap_pct,cbc_cpu_s,ratio,objective,cbc_objective,run_cpu_s,stage1_s,stage2_s,stage3_s,baseline_s,post_s,report_s,after_pct" > "$csv"
fmt='%-24s %-10s %8s %7s %8s | %-10s %7s %7s %8s | %7s | %8s %6s\n'
printf "$fmt" plan status nodes gap_% cpu_s cbc cbc_nd cbc_gap cbc_cpu ratio run_cpu after%
echo "machine: $(uname -n), $(nproc) CPU, load $(cut -d' ' -f1-3 /proc/loadavg); time limit ${limit} s (chokepoint wall-clock ${wlimit} s); $(date -u '+%Y-%m-%d %H:%M UTC')"

cpu_of() { awk '{printf "%.2f", $1 + $2}' "$1"; }

# run_plan LABEL XML [ckp-bench options...]
run_plan() {
  label=$1 xml=$2
  shift 2
  base=$out/$label
  "$bench" "$xml" --no-solve --mps "$base.mps" "$@" > /dev/null 2> "$base.err" ||
    { echo "$label: export failed: $(tail -n 1 "$base.err")"; return 0; }
  /usr/bin/time -f '%U %S' -o "$base.time" \
    "$bench" "$xml" --row --label "$label" --time-limit "$wlimit" "$@" $ckpopts > "$base.row" 2> "$base.err" ||
    { echo "$label: ckp-bench failed: $(tail -n 1 "$base.err")"; return 0; }
  read -r _l _p _y _ld _ck _bd _gr _ss _cs _rw _cl _bn _nz st obj _bo gap nodes _r < "$base.row"
  cpu=$(cpu_of "$base.time")
  # proven, but after more CPU than the limit (possible with --wall-factor)
  if [ "$st" = optimal ] && awk -v c="$cpu" -v l="$limit" 'BEGIN {exit !(c > l)}'; then
    st=late
  fi
  cst=- cobj=- cgap=- cnodes=- ccpu=- ratio=-
  if [ "$cbc" = 1 ]; then
    if [ -n "$cbccache" ] && [ -f "$cbccache/$label.cbc.time" ] && [ -f "$cbccache/$label.cbc.log" ]; then
      cp "$cbccache/$label.cbc.time" "$base.cbc.time"
      cp "$cbccache/$label.cbc.log" "$base.cbc.log"
    else
      /usr/bin/time -f '%U %S' -o "$base.cbc.time" \
        cbc "$base.mps" -sec "$limit" -solve -quit > "$base.cbc.log" 2>&1 || true
    fi
    case $(sed -n 's/^Result - //p' "$base.cbc.log" | head -n 1) in
      Optimal*) cst=optimal ;;
      Stopped*) cst=limit ;;
      *nfeasible*) cst=infeasible ;;
      *) cst=error ;;
    esac
    cobj=$(sed -n 's/^Objective value: *//p' "$base.cbc.log" | head -n 1)
    cnodes=$(sed -n 's/^Enumerated nodes: *//p' "$base.cbc.log" | head -n 1)
    cgap=$(sed -n 's/^Gap: *//p' "$base.cbc.log" | head -n 1)
    [ -n "$cgap" ] && cgap=$(awk -v g="$cgap" 'BEGIN {printf "%.3f", 100 * g}')
    [ "$cst" = optimal ] && cgap=0.000
    ccpu=$(cpu_of "$base.cbc.time")
    ratio=$(awk -v a="$cpu" -v b="$ccpu" 'BEGIN {printf "%.2f", a / (b > 0.01 ? b : 0.01)}')
  fi
  rtot=- after=- rs="- - - - - -"
  if [ "$post" = 1 ]; then
    if "$bench" "$xml" --run --row --label "$label" --time-limit "$wlimit" "$@" $ckpopts \
         > "$base.run" 2>> "$base.err"; then
      read -r _l _st _ob _nd rtot _bd s1 s2 s3 sb sp sr _as after _r < "$base.run"
      rs="$s1 $s2 $s3 $sb $sp $sr"
    fi
  fi
  printf "$fmt" "$label" "$st" "$nodes" "$gap" "$cpu" "$cst" "${cnodes:--}" "${cgap:--}" \
    "$ccpu" "$ratio" "$rtot" "$after"
  echo "$label,$st,$nodes,$gap,$cpu,$cst,${cnodes:--},${cgap:--},$ccpu,$ratio,$obj,${cobj:--},$rtot,$(echo $rs | tr ' ' ','),$after" >> "$csv"
}

if has bundled; then
  for f in "$inputs"/*.xml; do
    [ -f "$f" ] || continue
    name=$(basename "$f" .xml)
    run_plan "$name" "$f"
    run_plan "$name-nosc" "$f" --no-scenarios
  done
fi
if has sweep; then
  for b in $(expand "$budgets"); do
    run_plan "rare-earth-b$b" "$inputs/rare-earth-magnets.xml" --budget "$b"
  done
fi
if has gen; then
  for n in $(expand "$sizes"); do
    for s in $(expand "$seeds"); do
      for sc in $(expand "$scenarios"); do
        xml=$out/gen-$n-$s-s$sc.xml
        if [ "$sc" = 0 ]; then
          "$genplan" --projects "$n" --seed "$s" --out "$xml"
        else
          "$genplan" --projects "$n" --seed "$s" --scenarios "$sc" --out "$xml"
        fi
        for o in $(echo "$objectives" | tr , " "); do
          case $o in min-max) tag=m ;; *) tag=w ;; esac
          run_plan "gen-$n-$s-$tag-s$sc" "$xml" --objective "$o"
        done
      done
    done
  done
fi

# Summary over the plans with a ratio: geometric mean and worst.
awk -F, 'NR > 1 && $10 != "-" {
    n++; s += log($10); if ($10 > w) { w = $10; wp = $1 }
    if ($6 == "optimal" && $2 != "optimal") miss = miss " " $1
    if ($20 != "-" && $20 > amax) { amax = $20; ap = $1 }
  }
  END {
    if (n) printf "family: %d plans, geometric mean ratio %.2f, worst %.2f (%s)\n", n, exp(s / n), w, wp
    if (miss != "") printf "proven by CBC, not by chokepoint:%s\n", miss
    if (ap != "") printf "work after the MIP: at most %.1f %% (%s)\n", amax, ap
  }' "$csv"

if has big; then
  xml=$out/gen-10000-1.xml
  "$genplan" --projects 10000 --seed 1 --out "$xml"
  "$bench" "$xml" --no-solve --row --label gen-10000-1 > "$out/gen-10000-1.row"
  read -r _l _p _y ld ck bd _gr _ss _cs rw cl _bn nz _st _ob _bo _ga _nd rss _r \
    < "$out/gen-10000-1.row"
  echo "gen-10000-1: build $bd ms, load $ld ms, check $ck ms, peak RSS $rss MiB" \
       "($rw rows, $cl columns, $nz nonzeros)"
fi
echo "CSV: $csv"
