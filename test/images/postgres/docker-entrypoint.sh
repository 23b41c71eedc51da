#!/bin/sh
# Entrypoint of the image factory's postgres image: what the stack relies on from the upstream image's
# docker-entrypoint.sh (docker-library/postgres), in POSIX sh for busybox. On the first start, an empty PGDATA is
# initialised with the superuser POSTGRES_USER (password POSTGRES_PASSWORD) and the database POSTGRES_DB; local
# socket connections are trusted and network ones need the password (scram-sha-256), as upstream. Then the
# command runs (`postgres` by default); anything else than postgres (e.g. `sh`) runs as given.
set -eu

case "${1:-postgres}" in
  -*) set -- postgres "$@" ;;
  postgres) ;;
  *) exec "$@" ;;
esac
[ $# -gt 0 ] || set -- postgres

: "${PGDATA:=/var/lib/postgresql/data}"
export PGDATA

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  if [ -z "${POSTGRES_PASSWORD:-}" ]; then
    echo "error: database is uninitialized and POSTGRES_PASSWORD is not set" >&2
    exit 1
  fi
  user=${POSTGRES_USER:-postgres}
  db=${POSTGRES_DB:-$user}
  mkdir -p "$PGDATA"
  chmod 700 "$PGDATA"
  pwfile=$(mktemp)
  printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
  # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of arguments, as upstream.
  initdb --username="$user" --pwfile="$pwfile" --encoding=UTF8 --locale=C ${POSTGRES_INITDB_ARGS:-}
  rm -f "$pwfile"
  # Upstream sets this in postgresql.conf.sample: listen on every address of the container.
  printf "\nlisten_addresses = '*'\n" >> "$PGDATA/postgresql.conf"
  printf '\nhost all all all %s\n' "${POSTGRES_HOST_AUTH_METHOD:-$(postgres -C password_encryption)}" >> "$PGDATA/pg_hba.conf"

  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432" -w start
  if [ "$db" != postgres ]; then
    echo 'CREATE DATABASE :"db";' | psql -v ON_ERROR_STOP=1 --no-password --no-psqlrc --username="$user" --dbname=postgres --set db="$db"
  fi
  pg_ctl -D "$PGDATA" -m fast -w stop
  echo "PostgreSQL init process complete; ready for start up."
fi

exec "$@"
