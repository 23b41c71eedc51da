#!/usr/bin/env bash
# The project's test command (npm test): builds, prepares what the tests need (Docker engine, locally
# built upstream binaries and images; see test/prepare.sh), then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n== %s\n' "$*"; }

step "build (tsc)"
npx tsc -p tsconfig.json

step "type-check the tests (tsc -p tsconfig.test.json)"
npx tsc -p tsconfig.test.json

bash test/prepare.sh

step "tests (vitest)"
npx vitest run

step "tests on a real single-node Kubernetes (vitest.cluster.config.ts; test/cluster/)"
npx vitest run -c vitest.cluster.config.ts
