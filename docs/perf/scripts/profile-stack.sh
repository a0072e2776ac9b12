#!/usr/bin/env bash
# Profiles every JVM of a local stack (the services, the broker, the bench) while `./bulwark bench` offers one rate.
#   docs/perf/scripts/profile-stack.sh OUT_DIR [RATE] [ASYNC_PROFILER_SO]
# async-profiler: mvn dependency:get -Dartifact=tools.profiler:async-profiler:4.2, then unzip linux-x64/ from the jar.
# Writes OUT_DIR/<jvm>.collapsed (CPU, itimer 2 ms, 30 s of the phase), OUT_DIR/top.txt and OUT_DIR/bench.log.
set -u
out=$(mkdir -p "$1" && cd "$1" && pwd)
rate=${2:-200}
ap=${3:-/work/tools/ap/linux-x64/libasyncProfiler.so}
cd "$(dirname "$0")/../.."
data=$(mktemp -d)/stack
./bulwark up --data-dir "$data" > "$out/up.log" 2>&1 &
up=$!
for _ in $(seq 1 240); do grep -q "Ctrl-C stops everything" "$out/up.log" && break; sleep 1; done
./bulwark bench --data-dir "$data" --rates "$rate" --duration 60s --warmup 20s --no-anchors --pool 1000 \
  --join-concurrency 32 > "$out/bench.log" 2>&1 &
bench=$!
for _ in $(seq 1 300); do grep -q "phase: " "$out/bench.log" && break; sleep 1; done
sleep 15
pids=$(pgrep -f "quarkus-run.jar|bulwark-simulator|kafka.Kafka")
for p in $pids; do jcmd "$p" JVMTI.agent_load "$ap" "\"start,event=itimer,interval=2ms\"" > /dev/null; done
top -b -d 30 -n 2 -w 200 > "$out/top.txt"
for p in $pids; do
  name=$(ps -o args= -p "$p" | grep -oE "device-registry|assignment-service|policy-service|compliance-service|gateway|simulator|kafka.Kafka" | head -1)
  jcmd "$p" JVMTI.agent_load "$ap" "\"stop,file=$out/$name.collapsed,collapsed\"" > /dev/null
done
wait "$bench"
kill -TERM "$up"
wait "$up"
