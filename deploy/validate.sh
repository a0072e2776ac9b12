#!/usr/bin/env bash
# Offline checks of deploy/ that need tools outside Maven (no Docker engine, registry or cluster is needed):
#   - docker-compose.yml is a valid compose file (`docker-compose config -q`, without a profile and with the monitoring
#     and idp profiles);
#     Debian's docker-compose is installed with apt-get when neither it nor the `docker compose` plugin is there;
#   - every kustomize overlay renders (`kubectl kustomize`);
#   - the alert rules: `promtool check rules` and their unit tests (`promtool test rules`), and compose's Prometheus
#     configuration that loads them (`promtool check config`); Debian's prometheus package, which has promtool, is
#     installed with apt-get when promtool is missing (its server is not started by this script);
#   - the scripts parse, and the image build script's dry run works.
# The deeper checks (strict parsing of every rendered object, probes, users, topics, images) are the deploy module's
# tests, run by `mvn verify`. A tool that cannot be had is reported as skipped, with the reason (a failure when
# CI=true); a failed check makes the script exit 1.
#
#   deploy/validate.sh
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")" || exit 1

passed=0
failed=0
skipped=0
log="$(mktemp)"
trap 'rm -f "$log"' EXIT

check() {
  local name="$1"
  shift
  if "$@" >"$log" 2>&1; then
    echo "ok      $name"
    passed=$((passed + 1))
  else
    echo "FAILED  $name"
    sed 's/^/        /' "$log"
    failed=$((failed + 1))
  fi
}

# A check that cannot run is skipped with its reason on a developer's machine; under CI (CI=true) it is a failure,
# so a missing tool can never turn the run green without checking anything.
skip() {
  if [[ "${CI:-}" == "true" ]]; then
    echo "FAILED  $1: cannot run under CI=true: $2"
    failed=$((failed + 1))
  else
    echo "skipped $1: $2"
    skipped=$((skipped + 1))
  fi
}

# Which compose client to use: Debian's docker-compose (1.29, validates without an engine) or the v2 plugin.
COMPOSE=()
find_compose() {
  if command -v docker-compose >/dev/null 2>&1; then
    COMPOSE=(docker-compose)
  elif command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
    COMPOSE=(docker compose)
  fi
}
find_compose
if [[ ${#COMPOSE[@]} -eq 0 ]] && command -v apt-get >/dev/null 2>&1 && [[ $(id -u) -eq 0 ]]; then
  echo "validate: installing Debian's docker-compose (apt-get) to check the compose file"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -qq docker-compose >/dev/null 2>&1; then
    apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq docker-compose >/dev/null 2>&1
  fi
  find_compose
fi

# Compose interpolates ${BULWARK_*} from the environment; check the file as it is shipped.
unset BULWARK_IMAGE_PREFIX BULWARK_VERSION BULWARK_DB_PASSWORD BULWARK_JWT_PUBLIC_KEY BULWARK_DEVICE_CREDENTIAL_KEY \
  BULWARK_SIGNOUT_BRIDGE_KEYCLOAK_URL BULWARK_SIGNOUT_BRIDGE_KEYCLOAK_REALM BULWARK_SIGNOUT_BRIDGE_KEYCLOAK_CLIENT_ID \
  BULWARK_SIGNOUT_BRIDGE_KEYCLOAK_CLIENT_SECRET BULWARK_GRAFANA_ADMIN_PASSWORD
if [[ ${#COMPOSE[@]} -gt 0 ]]; then
  check "docker-compose.yml (${COMPOSE[*]} config -q)" "${COMPOSE[@]}" -f docker-compose.yml config -q
  check "docker-compose.yml, monitoring profile" "${COMPOSE[@]}" -f docker-compose.yml --profile monitoring config -q
  check "docker-compose.yml, idp profile" "${COMPOSE[@]}" -f docker-compose.yml --profile idp config -q
else
  skip "docker-compose.yml" "no docker-compose or 'docker compose', and apt-get could not install it (not root, or no apt)"
fi

if command -v kubectl >/dev/null 2>&1; then
  for overlay in k8s/overlays/*/; do
    overlay="${overlay%/}"
    check "kubectl kustomize $overlay" kubectl kustomize "$overlay"
  done
else
  skip "kustomize overlays" "kubectl is not on the PATH (it has kustomize built in)"
fi

if ! command -v promtool >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && [[ $(id -u) -eq 0 ]]; then
  echo "validate: installing Debian's prometheus package (apt-get) for promtool, to check the alert rules"
  export DEBIAN_FRONTEND=noninteractive
  if ! apt-get install -y -qq --no-install-recommends prometheus >/dev/null 2>&1; then
    apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq --no-install-recommends prometheus >/dev/null 2>&1
  fi
fi
if command -v promtool >/dev/null 2>&1; then
  check "promtool check rules prometheus/alerts.yml" promtool check rules prometheus/alerts.yml
  check "promtool test rules prometheus/alerts-test.yml" promtool test rules prometheus/alerts-test.yml
  check "promtool check config prometheus/prometheus.yml" promtool check config prometheus/prometheus.yml
else
  skip "alert rules (promtool)" "no promtool, and apt-get could not install Debian's prometheus package (not root, or no apt)"
fi

check "docker/build-images.sh parses" bash -n docker/build-images.sh
check "docker/build-images.sh --dry-run" bash docker/build-images.sh --dry-run
check "docker/create-topics.sh parses" sh -n docker/create-topics.sh
if command -v shellcheck >/dev/null 2>&1; then
  check "shellcheck (bash scripts)" shellcheck -s bash docker/build-images.sh validate.sh
  check "shellcheck (sh scripts)" shellcheck -s sh docker/create-topics.sh
fi

echo "validate: $passed passed, $failed failed, $skipped skipped"
[[ $failed -eq 0 ]]
