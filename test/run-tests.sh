#!/usr/bin/env bash
# The project's test command (npm test): builds, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n== %s\n' "$*"; }

step "build (tsc)"
npx tsc -p tsconfig.json

step "tests (vitest)"
npx vitest run
