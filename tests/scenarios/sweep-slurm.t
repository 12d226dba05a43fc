#!/bin/sh
# tests/scenarios/sweep-slurm.t: a sweep's Slurm array (SW1).  A one-node
# Slurm (Debian's slurm-wlm, installed by make deps) is configured for
# localhost in the scratch folder, started, given tasks 0-2 of the shipped
# sweep's plan through its own sweep.sbatch, and stopped; the results are
# byte for byte those of `crossim sweep run-one` on the same plan.  The
# daemons use auth/none (no munge key to manage: one node, root, loopback
# traffic only), high ports, and are stopped on exit whatever happens.
# Where slurmctld/slurmd are missing or cannot run (not root, no spool),
# the test says why and skips.
. tests/scenarios/tap.sh
echo "1..4"
SW=scenarios/sweeps/ram-storm-quota.json
command -v slurmctld >/dev/null 2>&1 && command -v slurmd >/dev/null 2>&1 && command -v sbatch >/dev/null 2>&1 ||
    skip_all 4 "Slurm is not installed (make deps installs Debian's slurm-wlm)"
[ "$(id -u)" -eq 0 ] || skip_all 4 "slurmd runs jobs as any user only as root; this test runs as $(id -un)"
S="$tmp/slurm"
mkdir -p "$S/state" "$S/spool"
port=$((20000 + ($$ % 2000) * 2))
cat >"$S/slurm.conf" <<EOF
ClusterName=crossim-test
SlurmctldHost=localhost
SlurmctldPort=$port
SlurmdPort=$((port + 1))
AuthType=auth/none
CredType=cred/none
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$S/state
SlurmdSpoolDir=$S/spool
SlurmctldPidFile=$S/ctld.pid
SlurmdPidFile=$S/d.pid
SlurmctldLogFile=$S/ctld.log
SlurmdLogFile=$S/d.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
SchedulerType=sched/builtin
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
MpiDefault=none
NodeName=localhost CPUs=2 State=UNKNOWN
PartitionName=crossim Nodes=localhost Default=YES MaxTime=10 State=UP
EOF
export SLURM_CONF="$S/slurm.conf"
stop() {
    pids=$(cat "$S/d.pid" "$S/ctld.pid" 2>/dev/null)
    [ -n "$pids" ] && kill $pids 2>/dev/null
    i=0
    while [ $i -lt 100 ] && [ -n "$pids" ] && kill -0 $pids 2>/dev/null; do sleep 0.1; i=$((i + 1)); done
    [ -n "$pids" ] && kill -9 $pids 2>/dev/null
    rm -rf "$tmp"
}
trap stop EXIT
slurmctld -f "$S/slurm.conf" -i >"$S/ctld.out" 2>&1
slurmd -f "$S/slurm.conf" -N localhost >"$S/d.out" 2>&1
up=no
i=0
while [ $i -lt 50 ]; do
    sinfo -h -o %t 2>/dev/null | grep -q idle && { up=yes; break; }
    sleep 0.2; i=$((i + 1))
done
if [ $up = no ]; then
    echo "# slurmctld log:"; tail -5 "$S/ctld.log" 2>/dev/null | sed 's/^/#   /'
    echo "# slurmd log:"; tail -5 "$S/d.log" 2>/dev/null | sed 's/^/#   /'
    skip_all 4 "the one-node Slurm did not come up within 10 s (logs above)"
fi

"$CROSSIM" sweep plan $SW --out "$tmp/s" --quiet
timeout 120 sbatch --wait --array=0-2 "$tmp/s/sweep.sbatch" >"$tmp/sbatch.out" 2>&1
st=$?
check "sbatch --array=0-2 of the plan's sweep.sbatch finishes (exit 0)" '[ $st -eq 0 ]'
check "each array task ran its line of tasks.txt" \
    'for k in 0 1 2; do grep -q "^task $k: variant .* digest sha256:" "$tmp"/s/tasks/slurm-*_$k.out || exit 1; done'
"$CROSSIM" sweep plan $SW --out "$tmp/p" --quiet
for k in 0 1 2; do "$CROSSIM" sweep run-one "$tmp/p" $k --quiet; done
check "the array's results are those of run-one on the same plan, byte for byte" \
    'for k in 0 1 2; do cmp -s "$tmp/s/tasks/00000$k/result.json" "$tmp/p/tasks/00000$k/result.json" || exit 1; done'
"$CROSSIM" sweep merge "$tmp/s" >"$tmp/ms"; a=$?
"$CROSSIM" sweep merge "$tmp/p" >"$tmp/mp"; b=$?
check "both merges: 3 of 40 tasks, the same sweep.csv, 37 missing (exit 1)" \
    '[ $a -eq 1 ] && [ $b -eq 1 ] && grep -q "^sweep ram-storm-quota: 3 of 40 tasks finished" "$tmp/ms" && cmp -s "$tmp/s/sweep.csv" "$tmp/p/sweep.csv"'
