#!/usr/bin/env bash
# CPU seconds each process of a local stack spends on the join storm, whatever the machine's load: starts a stack from
# the checkout it sits in (or TREE), runs a storm-only bench, and reads /proc at the storm's start and once it drained.
#   docs/perf/scripts/storm-cpu.sh OUT_DIR [SUBJECTS]
# Writes OUT_DIR/bench.log and OUT_DIR/cpu.txt: per JVM (utime+stime of the process), the bench, and the whole
# machine (/proc/stat user+nice+system+irq+softirq); PostgreSQL (the postmaster and the backends alive at both reads); "rest" is the machine less all of
# these: the OS and processes that exited.
set -u
out=$(mkdir -p "$1" && cd "$1" && pwd)
subjects=${2:-10000}
cd "${TREE:-$(dirname "$0")/../../..}"
data=$(mktemp -d)/stack
./bulwark up --data-dir "$data" > "$out/up.log" 2>&1 &
up=$!
for _ in $(seq 1 240); do grep -q "Ctrl-C stops everything" "$out/up.log" && break; sleep 1; done
./bulwark bench --data-dir "$data" --rates 200 --duration 10s --warmup 10s --no-anchors --pool 200 \
  --join-concurrency 32 --storm "$subjects" > "$out/bench.log" 2>&1 &
bench=$!
for _ in $(seq 1 600); do grep -q "storm: " "$out/bench.log" && break; sleep 0.2; done
ticks=$(getconf CLK_TCK)
snapshot() {
  for p in $(pgrep -f "quarkus-run.jar|bulwark-simulator|kafka.Kafka"); do
    name=$(ps -o args= -p "$p" | grep -oE "device-registry|assignment-service|policy-service|compliance-service|gateway|simulator|kafka.Kafka" | head -1)
    echo "$name $(awk '{print $14 + $15}' "/proc/$p/stat")"
  done
  # PostgreSQL: the postmaster and its backends (a backend that exits during the storm is not counted)
  echo "postgresql $(for p in $(pgrep -x postgres); do awk '{print $14 + $15}' "/proc/$p/stat"; done | awk '{s+=$1} END {print s+0}')"
  echo "machine $(awk '/^cpu /{print $2 + $3 + $4 + $7 + $8}' /proc/stat)"
}
snapshot > "$out/before.txt"
# read again as soon as the storm's outcome is printed, while the bench's JVM still runs
while kill -0 "$bench" 2> /dev/null && ! grep -q "joined and first reports" "$out/bench.log"; do sleep 0.2; done
snapshot > "$out/after.txt"
wait "$bench"
awk -v t="$ticks" 'NR==FNR {b[$1]=$2; next} {d=($2-b[$1])/t; printf "%-20s %8.1f s\n", $1, d; if ($1!="machine") j+=d; else m=d} END {printf "%-20s %8.1f s\n", "rest (OS, exited processes)", m-j}' \
  <(sort "$out/before.txt") <(sort "$out/after.txt") > "$out/cpu.txt"
grep -E "joined and|WRONG" "$out/bench.log" >> "$out/cpu.txt"
kill -TERM "$up"
wait "$up"
