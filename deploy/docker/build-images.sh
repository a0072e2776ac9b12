#!/usr/bin/env bash
# Builds (and with --push, pushes) one container image per Bulwark service (and the gateway and the sign-out bridge)
# from its Quarkus fast-jar.
#
#   deploy/docker/build-images.sh [--push] [--dry-run] [--print-images] [service ...]
#
# Run `mvn -B package -DskipTests` first (or let Maven call this: `mvn -B package -DskipTests -Dbulwark.image.build`,
# add `-Dbulwark.image.push=true` to push). The image names are the ones docker-compose.yml and the Kubernetes
# manifests use, and DeployManifestsTest checks they agree:
#
#   ${BULWARK_IMAGE_PREFIX:-bulwark}/<service>:${BULWARK_VERSION:-<the root pom's version>}
#
# Environment: BULWARK_IMAGE_PREFIX (e.g. ghcr.io/acme/bulwark), BULWARK_VERSION, BULWARK_IMAGE_PUSH=true (same as
# --push), DOCKER (the client to call, default docker; podman works too).
#   --dry-run       print the docker commands instead of running them (needs neither Docker nor the jars)
#   --print-images  print the image names, one a line, and exit
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
DOCKERFILE="$ROOT/deploy/docker/Dockerfile.jvm"

# The services, the gateway and the sign-out bridge, with their HTTP ports (dev.bulwark.deploy.BulwarkService says the
# same; the test compares them).
declare -A PORTS=(
  [device-registry]=8081
  [assignment-service]=8082
  [policy-service]=8083
  [compliance-service]=8084
  [gateway]=8080
  [signout-bridge]=8085
)
SERVICES=(device-registry assignment-service policy-service compliance-service gateway signout-bridge)

project_version() {
  # The first <version> after the parent's artifactId in the root pom (no Maven start-up needed).
  sed -n '/<artifactId>bulwark-parent<\/artifactId>/,/<\/version>/p' "$ROOT/pom.xml" \
    | sed -n 's:.*<version>\(.*\)</version>.*:\1:p' | head -n 1
}

PREFIX="${BULWARK_IMAGE_PREFIX:-bulwark}"
VERSION="${BULWARK_VERSION:-$(project_version)}"
PUSH="${BULWARK_IMAGE_PUSH:-false}"
DOCKER="${DOCKER:-docker}"
DRY_RUN=false
PRINT_ONLY=false
WANTED=()

while [[ $# -gt 0 ]]; do
  case "$1" in
    --push) PUSH=true ;;
    --dry-run) DRY_RUN=true ;;
    --print-images) PRINT_ONLY=true ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"; exit 0 ;;
    -*) echo "build-images: unknown option $1" >&2; exit 2 ;;
    *)
      if [[ -z "${PORTS[$1]:-}" ]]; then
        echo "build-images: unknown service '$1'; known: ${SERVICES[*]}" >&2
        exit 2
      fi
      WANTED+=("$1")
      ;;
  esac
  shift
done
[[ ${#WANTED[@]} -gt 0 ]] || WANTED=("${SERVICES[@]}")

if [[ -z "$VERSION" ]]; then
  echo "build-images: could not read the version from $ROOT/pom.xml; set BULWARK_VERSION" >&2
  exit 1
fi

image_of() { echo "$PREFIX/$1:$VERSION"; }

if $PRINT_ONLY; then
  for service in "${WANTED[@]}"; do image_of "$service"; done
  exit 0
fi

run() {
  if $DRY_RUN; then
    echo "$*"
  else
    echo "+ $*" >&2
    "$@"
  fi
}

if ! $DRY_RUN; then
  if ! command -v "$DOCKER" >/dev/null 2>&1; then
    echo "build-images: '$DOCKER' is not on the PATH; install Docker (or set DOCKER=podman) to build images" >&2
    exit 1
  fi
  for service in "${WANTED[@]}"; do
    if [[ ! -f "$ROOT/$service/target/quarkus-app/quarkus-run.jar" ]]; then
      echo "build-images: $service/target/quarkus-app/quarkus-run.jar is missing; run 'mvn -B package -DskipTests' first" >&2
      exit 1
    fi
  done
fi

for service in "${WANTED[@]}"; do
  run env "DOCKER_BUILDKIT=${DOCKER_BUILDKIT:-1}" "$DOCKER" build \
    -f "$DOCKERFILE" \
    --build-arg "SERVICE=$service" \
    --build-arg "PORT=${PORTS[$service]}" \
    --build-arg "VERSION=$VERSION" \
    -t "$(image_of "$service")" \
    "$ROOT/$service"
done

if [[ "$PUSH" == "true" ]]; then
  for service in "${WANTED[@]}"; do
    run "$DOCKER" push "$(image_of "$service")"
  done
fi
