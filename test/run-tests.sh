#!/usr/bin/env bash
# The project's test command (npm test): builds, prepares what the tests need (Docker engine, locally
# built upstream binaries and images; see test/prepare.sh), then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n== %s\n' "$*"; }

step "build (tsc, and the bin's bundle)"
npm run build

step "type-check the tests (tsc -p tsconfig.test.json)"
npx tsc -p tsconfig.test.json

bash test/prepare.sh

# The cluster's Go builds (about 15 minutes cold) soak up the CPU the main suite leaves idle while it waits on
# containers and alert timers: at nice 19 they yield to it, and cost nothing on a warm run.
cluster_log="$(mktemp -t observatory-cluster-build.XXXXXX.log)"
step "the test cluster's binaries: building in the background at low priority (log: $cluster_log)"
setsid nice -n 19 bash test/prepare-cluster.sh >"$cluster_log" 2>&1 &
cluster_build=$!
trap 'kill -- "-$cluster_build" 2>/dev/null || true' EXIT

step "tests (vitest)"
npx vitest run

step "the test cluster's binaries (built beside the main suite; waiting for them if still building)"
if ! wait "$cluster_build"; then
  cat "$cluster_log"
  echo "building the test cluster's binaries failed (log above: $cluster_log)"
  exit 1
fi
trap - EXIT
cat "$cluster_log"

step "tests on a real single-node Kubernetes (vitest.cluster.config.ts; test/cluster/)"
npx vitest run -c vitest.cluster.config.ts
