#!/usr/bin/env bash
# Builds the test cluster's binaries (test/cluster/recipes.ts: Kubernetes, etcd, CoreDNS, kube-router,
# local-path-provisioner, Traefik and our small tools), cached by version like the image factory's. Needs what
# test/prepare.sh installs (Go, the Debian packages). `npm test` runs it at low priority while the main suite runs.
set -euo pipefail
cd "$(dirname "$0")/.."
printf '\n== %s\n' "the test cluster's binaries (test/cluster/recipes.ts; cached by version)"
node dist/test/images/build.js cluster-tools etcd coredns kube-router local-path-provisioner kubernetes traefik
