#!/bin/sh
# Entrypoint of the local opensearch image (test/images/build.ts): what the stack relies on of upstream's
# opensearch-docker-entrypoint.sh and bin/opensearch, in POSIX sh for busybox (upstream's are bash scripts):
# - `opensearch` (the default command) starts the server; any other command is exec'd as it is;
# - environment variables named like settings (`discovery.type=single-node`, `cluster.name=x`, `processors`)
#   become `-E` settings; OPENSEARCH_JAVA_OPTS (e.g. `-Xms512m -Xmx512m`) comes after config/jvm.options;
# - the JVM options are upstream's own, computed by its JvmOptionsParser from config/jvm.options(.d).
# There is no security plugin in this image: its settings (plugins.security.*) are dropped with a note, since
# the plugin they configure is absent (upstream's image with DISABLE_SECURITY_PLUGIN=true behaves the same).
set -eu

export OPENSEARCH_HOME="${OPENSEARCH_HOME:-/usr/share/opensearch}"
export OPENSEARCH_PATH_CONF="${OPENSEARCH_PATH_CONF:-$OPENSEARCH_HOME/config}"
# Docker mounts the container's cgroup at the root (see upstream's entrypoint).
export OPENSEARCH_JAVA_OPTS="-Dopensearch.cgroups.hierarchy.override=/ ${OPENSEARCH_JAVA_OPTS:-}"

if [ $# -eq 0 ] || [ "${1#-}" != "$1" ]; then
  set -- opensearch "$@"
fi
if [ "$1" != opensearch ]; then
  exec "$@"
fi
shift

if [ "$(id -u)" = 0 ]; then
  echo "OpenSearch cannot run as root. Please start your container as another user." >&2
  exit 1
fi
umask 0002

# From the environment this process was started with: sh keeps no variables whose names have dots, nor passes
# them on to `env`.
while IFS='=' read -r key value; do
  case "$key" in
    plugins.security.*) echo "OpenSearch Security Plugin does not exist in this image: ignoring $key" ;;
    [a-z0-9_]*.[a-z0-9_]* | processors)
      case "$key" in *[!a-z0-9_.-]*) continue ;; esac
      if [ -n "$value" ]; then set -- "$@" "-E$key=$value"; fi
      ;;
  esac
done <<EOF
$(tr '\0' '\n' <"/proc/$$/environ")
EOF

JAVA="$JAVA_HOME/bin/java"
OPENSEARCH_TMPDIR="$(mktemp -d /tmp/opensearch-XXXXXX)"
export OPENSEARCH_TMPDIR
jvm_options="$("$JAVA" -Xshare:auto -cp "$OPENSEARCH_HOME/lib/*" org.opensearch.tools.launchers.JvmOptionsParser "$OPENSEARCH_PATH_CONF")"

cd "$OPENSEARCH_HOME"
# The parser prints the options on one line, split here on purpose as bin/opensearch does.
# shellcheck disable=SC2086
exec "$JAVA" -Xshare:auto $jvm_options \
  -Dopensearch.path.home="$OPENSEARCH_HOME" \
  -Dopensearch.path.conf="$OPENSEARCH_PATH_CONF" \
  -Dopensearch.distribution.type=docker \
  -Dopensearch.bundled_jdk=false \
  -cp "$OPENSEARCH_HOME/lib/*" \
  org.opensearch.bootstrap.OpenSearch "$@"
