#!/bin/sh
# slurm_sweep.sh: docs/sweeps.md's Slurm recipe on a single-node Slurm
# started here on localhost (munge with a private socket and key, slurmctld
# and slurmd with a generated slurm.conf, proctrack/linuxproc, private
# ports and state in a temporary folder): sbatch --array runs the shards of
# a sweep, then chokepoint merge joins them and the result must equal a
# single run's (tables with the timing column removed, every point's
# portfolio.csv).  When Slurm cannot start here (not installed, not root,
# a daemon refuses), it prints exactly why and exits 77: ctest reports the
# test as skipped, never as passed.
# usage: slurm_sweep.sh CHOKEPOINT_BINARY PLAN
set -u
BIN=$1
PLAN=$2
SKIP=77
T=$(mktemp -d /tmp/ckp-slurm-XXXXXX)
CTLD_PID="" SLURMD_PID="" MUNGE_PID=""

cleanup() {
    [ -n "$SLURMD_PID" ] && kill "$SLURMD_PID" 2>/dev/null
    [ -n "$CTLD_PID" ] && kill "$CTLD_PID" 2>/dev/null
    [ -n "$MUNGE_PID" ] && kill "$MUNGE_PID" 2>/dev/null
    sleep 1
    rm -rf "$T"
}
trap cleanup EXIT

skip() {
    echo "SKIPPED: $*"
    for f in "$T"/munged.log "$T"/slurmctld.log "$T"/slurmd.log; do
        [ -s "$f" ] && { echo "--- last lines of $f"; tail -n 15 "$f"; }
    done
    exit $SKIP
}

for c in munged slurmctld slurmd sbatch sinfo scontrol; do
    command -v "$c" >/dev/null 2>&1 ||
        skip "'$c' is not installed (Debian packages slurm-wlm and munge; .ci/run installs them)"
done
[ "$(id -u)" = 0 ] || skip "starting slurmd and munged for a private cluster needs root (running as uid $(id -u))"

# munge: a private key, socket and state (the system's munged is not touched)
dd if=/dev/urandom of="$T/munge.key" bs=1 count=1024 2>/dev/null
chmod 600 "$T/munge.key"
mkdir -p "$T/munge"
chmod 700 "$T/munge"
munged --force --key-file="$T/munge.key" --socket="$T/munge/munge.sock" \
    --pid-file="$T/munged.pid" --log-file="$T/munged.log" --seed-file="$T/munge.seed" \
    >"$T/munged.out" 2>&1 || skip "munged did not start: $(cat "$T/munged.out")"
MUNGE_PID=$(cat "$T/munged.pid" 2>/dev/null)

# ports that nothing else here uses
base=$(( 20000 + $$ % 20000 ))
CPUS=$(nproc)
mkdir -p "$T/state" "$T/spool"
cat >"$T/slurm.conf" <<CONF
ClusterName=ckptest
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
SlurmctldPort=$base
SlurmdPort=$((base + 1))
AuthType=auth/munge
AuthInfo=socket=$T/munge/munge.sock
CredType=cred/munge
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/slurmctld.log
SlurmdLogFile=$T/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$CPUS State=UNKNOWN
PartitionName=ckp Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$T/slurm.conf"

slurmctld -D -i -f "$SLURM_CONF" >"$T/slurmctld.out" 2>&1 &
CTLD_PID=$!
slurmd -D -N localhost -f "$SLURM_CONF" >"$T/slurmd.out" 2>&1 &
SLURMD_PID=$!

# wait (up to 60 s) for the node to be idle
i=0
until sinfo -h -N -o '%t' 2>/dev/null | grep -q '^idle'; do
    i=$((i + 1))
    kill -0 "$CTLD_PID" 2>/dev/null || skip "slurmctld exited: $(tail -n 5 "$T/slurmctld.out")"
    kill -0 "$SLURMD_PID" 2>/dev/null || skip "slurmd exited: $(tail -n 5 "$T/slurmd.out")"
    [ $i -ge 60 ] && skip "the node did not become idle within 60 s (sinfo: $(sinfo -h -N 2>&1))"
    sleep 1
done

BUDGETS=0:300:25
cd "$T" || exit 1
cat >sweep.sbatch <<JOB
#!/bin/sh
#SBATCH --job-name=ckp-sweep
#SBATCH --array=1-3
#SBATCH --cpus-per-task=1
#SBATCH --output=$T/shard%a.log
"$BIN" sweep "$PLAN" --budgets $BUDGETS \\
    --shard "\$SLURM_ARRAY_TASK_ID/\$SLURM_ARRAY_TASK_COUNT" \\
    -j "\$SLURM_CPUS_PER_TASK" --out "$T/shard\$SLURM_ARRAY_TASK_ID" --quiet
JOB
sbatch --wait sweep.sbatch >"$T/sbatch.out" 2>&1 || {
    echo "FAILED: sbatch --wait: $(cat "$T/sbatch.out")"
    cat "$T"/shard*.log 2>/dev/null
    exit 1
}
"$BIN" merge "$PLAN" --out "$T/merged" "$T/shard1" "$T/shard2" "$T/shard3" >/dev/null ||
    { echo "FAILED: merge"; exit 1; }
"$BIN" sweep "$PLAN" --budgets $BUDGETS -j 2 -q --out "$T/whole" >/dev/null ||
    { echo "FAILED: the single run"; exit 1; }

status=0
for f in sweep.csv frontier.csv no-regret.csv sweep.txt; do
    if [ $f = sweep.csv ]; then
        # without the search's figures, nodes and cpu_s (docs/sweeps.md §4)
        sed 's/,[^,]*,[^,]*$//' "$T/merged/$f" >"$T/a" &&
            sed 's/,[^,]*,[^,]*$//' "$T/whole/$f" >"$T/b"
    else
        cp "$T/merged/$f" "$T/a" && cp "$T/whole/$f" "$T/b"
    fi
    cmp -s "$T/a" "$T/b" || { echo "FAILED: $f differs"; diff "$T/a" "$T/b"; status=1; }
done
for d in "$T"/whole/points/b*; do
    p=$(basename "$d")
    [ -e "$d/portfolio.csv" ] || continue
    cmp -s "$d/portfolio.csv" "$T/merged/points/$p/portfolio.csv" ||
        { echo "FAILED: $p/portfolio.csv differs"; status=1; }
done
[ $status = 0 ] && echo "OK: 3 Slurm array tasks merged = the single run ($(ls "$T/whole/points" | wc -l) points)"
exit $status
