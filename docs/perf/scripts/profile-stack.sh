#!/usr/bin/env bash
# Profiles every JVM of a local stack (the services, the broker, the bench) while `./bulwark bench` offers one rate.
#   docs/perf/scripts/profile-stack.sh OUT_DIR [RATE] [ASYNC_PROFILER_SO]
# The join storm instead of a rate: BENCH_ARGS="--rates 200 --duration 5s --warmup 0s --no-anchors --pool 200
#   --join-concurrency 32 --storm 10000" TRIGGER="storm: " WINDOW=40 docs/perf/scripts/profile-stack.sh OUT_DIR
# async-profiler: mvn dependency:get -Dartifact=tools.profiler:async-profiler:4.2, then unzip linux-x64/ from the jar.
# MATCH=compliance-service profiles only the JVMs whose command line matches.
# Writes OUT_DIR/<jvm>.collapsed (CPU, itimer 2 ms, WINDOW s of the phase; EVENT=wall for wall clock), OUT_DIR/top.txt and OUT_DIR/bench.log.
set -u
out=$(mkdir -p "$1" && cd "$1" && pwd)
rate=${2:-200}
ap=${3:-/work/tools/ap/linux-x64/libasyncProfiler.so}
cd "$(dirname "$0")/../../.."
data=$(mktemp -d)/stack
./bulwark up --data-dir "$data" > "$out/up.log" 2>&1 &
up=$!
for _ in $(seq 1 240); do grep -q "Ctrl-C stops everything" "$out/up.log" && break; sleep 1; done
bench_args=${BENCH_ARGS:-"--rates $rate --duration 60s --warmup 20s --no-anchors --pool 1000 --join-concurrency 32"}
trigger=${TRIGGER:-"phase: "}
window=${WINDOW:-30}
# shellcheck disable=SC2086
./bulwark bench --data-dir "$data" $bench_args > "$out/bench.log" 2>&1 &
bench=$!
for _ in $(seq 1 300); do grep -q "$trigger" "$out/bench.log" && break; sleep 1; done
sleep "${DELAY:-15}"
pids=$(pgrep -f "${MATCH:-quarkus-run.jar|bulwark-simulator|kafka.Kafka}")
for p in $pids; do jcmd "$p" JVMTI.agent_load "$ap" "\"start,event=${EVENT:-itimer},interval=2ms\"" > /dev/null; done
top -b -d "$window" -n 2 -w 200 > "$out/top.txt"
for p in $pids; do
  name=$(ps -o args= -p "$p" | grep -oE "device-registry|assignment-service|policy-service|compliance-service|gateway|simulator|kafka.Kafka" | head -1)
  jcmd "$p" JVMTI.agent_load "$ap" "\"stop,file=$out/$name.collapsed,collapsed\"" > /dev/null
done
wait "$bench"
kill -TERM "$up"
wait "$up"
