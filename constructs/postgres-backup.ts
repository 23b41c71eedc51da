import type { Component } from '../model/component.js';
import { parseDuration } from '../model/duration.js';
import { resolveImage } from '../model/images.js';
import type { StackSpec } from '../model/spec.js';
import { secretRef } from './describe.js';
import { BACKUP_SCRIPT, RESTORE_SCRIPT } from './postgres-backup-scripts.js';
import { POSTGRES_PORT, type PostgresProps } from './postgres.js';

/** Where the scripts appear in the container. */
export const BACKUP_SCRIPTS_DIR = '/etc/postgres-backup';
/** Where the dumps are kept (a volume of the backup component's own). */
export const BACKUP_DIR = '/backups';

/** `umami-postgres` → `umami-postgres-backup`. */
export const backupComponentName = (postgres: string) => `${postgres}-backup`;

/**
 * The scheduled backup of one Postgres server (postgres.ts): `pg_dump` of its database on `spec.backups.schedule`
 * into a volume of its own, dumps older than `spec.retention.backups` deleted. The same image as the server (it
 * ships pg_dump and a shell), the same secret for the password. Running its args `restore.sh` instead of
 * `backup.sh` restores a dump (docs/BACKUP.md).
 */
export function postgresBackupComponent(spec: StackSpec, props: PostgresProps): Component {
  return {
    name: backupComponentName(props.name),
    role: 'backup',
    image: resolveImage(spec, 'postgres'),
    kind: 'scheduled',
    schedule: spec.backups.schedule,
    replicas: 1,
    command: ['/bin/sh'],
    args: [`${BACKUP_SCRIPTS_DIR}/backup.sh`],
    env: {
      PGHOST: props.name,
      PGPORT: String(POSTGRES_PORT),
      PGUSER: props.user,
      PGDATABASE: props.database,
      PGPASSWORD: secretRef(props.secret, 'password'),
      BACKUP_DIR,
      BACKUP_RETENTION_MINUTES: String(Math.round(parseDuration(spec.retention.backups) / 60)),
    },
    ports: [],
    configFiles: [
      { name: 'backup.sh', dir: BACKUP_SCRIPTS_DIR, content: BACKUP_SCRIPT },
      { name: 'restore.sh', dir: BACKUP_SCRIPTS_DIR, content: RESTORE_SCRIPT },
    ],
    volumes: [
      { name: 'backups', mountPath: BACKUP_DIR, kind: 'persistent', size: props.storage },
      { name: 'tmp', mountPath: '/tmp', kind: 'scratch' },
    ],
    resources: props.resources,
    readOnlyRootFilesystem: true,
    connectsTo: [{ component: props.name, port: POSTGRES_PORT }],
    dependsOn: [{ name: props.name, condition: 'healthy' }],
  };
}
