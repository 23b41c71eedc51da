/**
 * The scripts of a Postgres backup component (docs/BACKUP.md), POSIX sh for the postgres image's shell.
 * Both read the connection from libpq's variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE) and
 * the dump folder from BACKUP_DIR; dumps are named `<database>-<UTC time>.dump`, so names sort by age.
 */

/** Dumps the database (custom format), checks the archive reads back, then deletes dumps past the retention. */
export const BACKUP_SCRIPT = `#!/bin/sh
# Observatory Postgres backup: one pg_dump in custom format, then retention (docs/BACKUP.md).
set -eu
: "\${BACKUP_DIR:?}" "\${BACKUP_RETENTION_MINUTES:?}" "\${PGHOST:?}" "\${PGDATABASE:?}"

file="$BACKUP_DIR/$PGDATABASE-$(date -u +%Y%m%dT%H%M%SZ).dump"
partial="$file.partial"
# A failed or interrupted dump leaves no file that a restore could mistake for a good one.
trap 'rm -f "$partial"' EXIT

echo "backup: dumping $PGDATABASE from $PGHOST"
pg_dump --format=custom --file="$partial"
pg_restore --list "$partial" > /dev/null
mv "$partial" "$file"
echo "backup: wrote $file ($(wc -c < "$file") bytes)"

# An assignment fails with its command substitution, so set -e catches a failing find.
expired=$(find "$BACKUP_DIR" -maxdepth 1 -type f -name "$PGDATABASE-*.dump" -mmin "+$BACKUP_RETENTION_MINUTES")
printf '%s\\n' "$expired" | while IFS= read -r old; do
  [ -n "$old" ] || continue
  rm "$old"
  echo "backup: deleted $old (older than $BACKUP_RETENTION_MINUTES minutes)"
done
echo "backup: $(find "$BACKUP_DIR" -maxdepth 1 -type f -name "$PGDATABASE-*.dump" | wc -l) dump(s) kept"
`;

/**
 * Restores a dump into the running server: the file named as the first argument (a name in BACKUP_DIR or a
 * path), else the newest. One transaction: on any error nothing is changed.
 */
export const RESTORE_SCRIPT = `#!/bin/sh
# Observatory Postgres restore: pg_restore --clean --if-exists into the running server (docs/BACKUP.md).
set -eu
: "\${BACKUP_DIR:?}" "\${PGHOST:?}" "\${PGDATABASE:?}"

echo "restore: dumps in $BACKUP_DIR:"
find "$BACKUP_DIR" -maxdepth 1 -type f -name "$PGDATABASE-*.dump" | sort
if [ $# -gt 0 ]; then
  case "$1" in
    */*) file=$1 ;;
    *) file="$BACKUP_DIR/$1" ;;
  esac
else
  file=$(find "$BACKUP_DIR" -maxdepth 1 -type f -name "$PGDATABASE-*.dump" | sort | tail -n 1)
fi
if [ -z "$file" ] || [ ! -f "$file" ]; then
  echo "restore: no dump \${file:-of $PGDATABASE} in $BACKUP_DIR" >&2
  exit 1
fi

echo "restore: $file into $PGDATABASE on $PGHOST"
pg_restore --clean --if-exists --single-transaction --exit-on-error --dbname="$PGDATABASE" "$file"
echo "restore: done"
`;
