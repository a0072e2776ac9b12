#!/usr/bin/env bash
# Load test of GET /api/v1/me/sign-in (not a timed test): starts policy-service on the local stack, publishes a licence
# and a group membership on bulwark.directory.v1 as device-registry would (SeedDirectory, from the test classes), creates
# a 6-digit-PIN policy for the group, reports the PIN set, then drives the hot path with wrk.
#
#   policy-service/bench/sign-in-bench.sh [duration=30s] [connections=64] [threads=2]
#
# Needs wrk (Debian: apt-get install wrk) and a built module (mvn -B install -pl policy-service).
# BULWARK_SERVICE_JAVA_OPTS replaces the services' JVM options (default here: ParallelGC, 512 MB, full JIT).
set -euo pipefail

DURATION=${1:-30s}
CONNECTIONS=${2:-64}
THREADS=${3:-2}
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DATA=${BULWARK_DATA_DIR:-$(mktemp -d /tmp/bulwark-bench.XXXXXX)}
export BULWARK_SERVICE_JAVA_OPTS=${BULWARK_SERVICE_JAVA_OPTS:-"-XX:+UseParallelGC -Xmx512m"}
POLICY=http://127.0.0.1:8083
APP=com.contoso.mail

command -v wrk >/dev/null || { echo "wrk is not installed" >&2; exit 1; }

"$ROOT/bulwark" up --services policy-service --data-dir "$DATA" >"$DATA/stack.out" 2>&1 &
STACK=$!
trap 'kill $STACK 2>/dev/null; wait $STACK 2>/dev/null || true' EXIT
for _ in $(seq 1 180); do
  curl -sf "$POLICY/q/health/ready" >/dev/null 2>&1 && break
  kill -0 $STACK 2>/dev/null || { cat "$DATA/stack.out"; exit 1; }
  sleep 1
done

ADMIN=$("$ROOT/bulwark" token --tenant bench --role admin --data-dir "$DATA")
USER=$("$ROOT/bulwark" token --tenant bench --role user --subject bench-user --data-dir "$DATA")
call() { curl -sf -H "Authorization: Bearer $1" -H 'Content-Type: application/json' -X "$2" "$3" ${4:+-d "$4"}; }

(cd "$ROOT" && mvn -B -o -q dependency:build-classpath -pl policy-service -Dmdep.includeScope=test \
  -Dmdep.outputFile="$DATA/classpath.txt")
java -cp "$ROOT/policy-service/target/test-classes:$(cat "$DATA/classpath.txt")" \
  dev.bulwark.policy.bench.SeedDirectory 127.0.0.1:19092 bench bench-user bench-group

POLICY_BODY='{"name":"Mail","platform":"ANDROID","appIds":["'$APP'"],"settings":{"pinMinimumLength":6},
  "targets":[{"kind":"USER_GROUP","groupId":"bench-group"}]}'
for _ in $(seq 1 60); do   # the group becomes known once GroupMembershipChanged has been consumed
  call "$ADMIN" POST "$POLICY/api/v1/app-protection-policies" "$POLICY_BODY" >/dev/null 2>&1 && break
  sleep 0.5
done
URL="$POLICY/api/v1/me/sign-in?appId=$APP&registrationId=reg-1"
for _ in $(seq 1 60); do
  call "$USER" GET "$URL" | grep -q '"status":"PROTECTED"' && break
  sleep 0.5
done
call "$USER" POST "$POLICY/api/v1/me/pin-set" '{"appId":"'$APP'","registrationId":"reg-1","pinLength":6}' >/dev/null
echo "Sign-in answer:"; call "$USER" GET "$URL"; echo

echo "Warm-up (10s) ..."
wrk -t"$THREADS" -c"$CONNECTIONS" -d10s -H "Authorization: Bearer $USER" "$URL" >/dev/null
echo "Measured run: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency $URL"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Authorization: Bearer $USER" "$URL"
