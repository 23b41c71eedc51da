#!/usr/bin/env bash
# Prepares what the tests need on a fresh machine, showing progress: Debian packages (Docker engine,
# static busybox for the images' health checks), a running Docker engine, and the local image factory's
# binaries and images (built from the Go module proxy at the pinned versions; cached, so warm runs are fast).
# Run by `npm test` (test/run-tests.sh), which builds the test cluster's binaries (test/prepare-cluster.sh) beside
# the main suite; `--with-cluster` builds them here too. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\n== %s\n' "$*"; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -n "$@"; fi; }

step "Debian packages"
missing=()
command -v dockerd >/dev/null || missing+=(docker.io)
[ -x /bin/busybox ] && file -L /bin/busybox 2>/dev/null | grep -q 'statically linked' || missing+=(busybox-static)
[ -f /etc/ssl/certs/ca-certificates.crt ] || missing+=(ca-certificates)
command -v file >/dev/null || missing+=(file)
# Grafana's SQLite driver needs cgo: a C compiler and the static C library (test/images/binaries.ts).
command -v gcc >/dev/null || missing+=(gcc)
[ -f /usr/lib/x86_64-linux-gnu/libc.a ] || [ -f /usr/lib/aarch64-linux-gnu/libc.a ] || missing+=(libc6-dev)
# promtool checks and unit-tests the alert rules (test/validators/alert-rules.test.ts); Debian ships it in `prometheus`.
command -v promtool >/dev/null || missing+=(prometheus)
# The local postgres image is made of Debian's PostgreSQL 15 and the libraries it loads (test/images/debian.ts).
dpkg-query -W -f='${Status}' postgresql-15 2>/dev/null | grep -q 'install ok installed' || missing+=(postgresql-15)
# The local opensearch image: Maven Central's distribution (fetched with mvn, unpacked with unzip) on Debian's Java 17
# runtime and the libraries it loads (test/images/engines.ts).
dpkg-query -W -f='${Status}' openjdk-17-jre-headless 2>/dev/null | grep -q 'install ok installed' || missing+=(openjdk-17-jre-headless)
command -v mvn >/dev/null || missing+=(maven)
command -v unzip >/dev/null || missing+=(unzip)
# The test cluster (test/cluster/): its own containerd beside the Docker engine's, runc, the CNI plugins, and what
# kube-proxy and kube-router program the firewall with.
command -v containerd >/dev/null || missing+=(containerd)
command -v runc >/dev/null || missing+=(runc)
[ -x /usr/lib/cni/bridge ] || missing+=(containernetworking-plugins)
command -v iptables >/dev/null || missing+=(iptables)
command -v ipset >/dev/null || missing+=(ipset)
command -v conntrack >/dev/null || missing+=(conntrack)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "present: docker.io, busybox-static, ca-certificates, gcc, libc6-dev, prometheus (promtool), postgresql-15, openjdk-17-jre-headless, maven, unzip, containerd, runc, containernetworking-plugins, iptables, ipset, conntrack"
fi

step "Docker engine"
if ! docker info >/dev/null 2>&1; then
  echo "starting dockerd (log: /tmp/dockerd.log)"
  as_root sh -c 'nohup dockerd >/tmp/dockerd.log 2>&1 &'
  for i in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    [ "$i" -eq 60 ] && { echo "dockerd did not come up within 60 s:"; tail -20 /tmp/dockerd.log; exit 1; }
    sleep 1
  done
fi
echo "docker engine $(docker version --format '{{.Server.Version}}')"

step "Go toolchain"
command -v go >/dev/null || { echo "go is missing: the image factory builds the upstream binaries with Go"; exit 1; }
go version

step "local images and binaries (test/images/build.ts; cache: ${OBSERVATORY_CACHE:-~/.cache/observatory})"
node dist/test/images/build.js collector jaeger victoriametrics vmalert loki alertmanager grafana postgres webhook-sink telemetrygen compose

step "the distributed engines' images (test/images/engines.ts: gofakes3 from the Go module proxy, OpenSearch from Maven Central)"
node dist/test/images/build.js gofakes3 opensearch

step "checkers installed with go install (test/images/tools.ts; cached by version)"
node dist/test/images/tools.js

step "Docker Compose v2 CLI plugin (built above from the Go module proxy)"
plugin_dir="${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins"
mkdir -p "$plugin_dir"
install -m 0755 "$(node -e "import('./dist/test/images/binaries.js').then((m) => console.log(m.binaryPath('docker-compose')))")" "$plugin_dir/docker-compose"
docker compose version

if [ "${1:-}" = "--with-cluster" ]; then bash test/prepare-cluster.sh; fi
