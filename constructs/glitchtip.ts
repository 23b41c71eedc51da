import type { Construct } from 'constructs';
import type { Component, Value } from '../model/component.js';
import { parseDuration } from '../model/duration.js';
import { resolveImage } from '../model/images.js';
import type { StackSpec } from '../model/spec.js';
import { execProbe, httpHealth, secretRef } from './describe.js';
import { postgresBackupComponent } from './postgres-backup.js';
import { POSTGRES_PORT, postgresComponent, postgresUrl } from './postgres.js';
import { publicUrl } from './public-url.js';
import { valkeyComponent, valkeyUrl, VALKEY_PORT } from './valkey.js';
import { ComponentGroup } from './workload.js';
import { withPodSettings } from '../model/pod-settings.js';

export const GLITCHTIP = { name: 'glitchtip', port: 8000, host: 'errors', secret: 'glitchtip', webUrl: 'http://glitchtip-web:8000' } as const;

const database = { name: 'glitchtip-postgres', database: 'glitchtip', user: 'glitchtip', secret: 'glitchtip-postgres' } as const;
const valkey = { name: 'glitchtip-valkey', secret: 'glitchtip-valkey' } as const;

function sharedEnv(spec: StackSpec): Record<string, Value> {
  const url = publicUrl(spec, GLITCHTIP.host, GLITCHTIP.port);
  const retentionDays = String(Math.ceil(parseDuration(spec.retention.errors) / 86_400));
  return {
    SECRET_KEY: secretRef(GLITCHTIP.secret, 'secret-key'),
    DATABASE_URL: postgresUrl(database),
    VALKEY_URL: valkeyUrl(valkey),
    GLITCHTIP_DOMAIN: url,
    DEFAULT_FROM_EMAIL: `glitchtip@${spec.ingress.domain ?? 'localhost'}`,
    EMAIL_URL: 'consolemail://',
    ENABLE_USER_REGISTRATION: spec.components.glitchtip.openRegistration ? 'true' : 'false',
    ENABLE_ORGANIZATION_CREATION: 'false',
    ENABLE_ADMIN: 'false',
    GLITCHTIP_RETENTION_DAYS: retentionDays,
    GLITCHTIP_MAX_EVENT_LIFE_DAYS: retentionDays,
    CSRF_TRUSTED_ORIGINS: url,
    SESSION_COOKIE_SECURE: url.startsWith('https://') ? 'true' : 'false',
    PORT: String(GLITCHTIP.port),
  };
}

export function glitchtipComponents(spec: StackSpec): Component[] {
  const settings = spec.components.glitchtip;
  if (!settings.enabled) return [];
  const image = resolveImage(spec, 'glitchtip');
  const env = sharedEnv(spec);
  const scratch = [{ name: 'tmp', mountPath: '/tmp', kind: 'scratch' as const }, { name: 'uploads', mountPath: '/code/uploads', kind: 'scratch' as const }];
  const secrets = [{ name: GLITCHTIP.secret, keys: { 'secret-key': { length: 50 } } }];
  const ready = [
    { name: database.name, condition: 'healthy' as const },
    { name: valkey.name, condition: 'healthy' as const },
  ];
  const toDatabase = { component: database.name, port: POSTGRES_PORT };
  const toQueue = { component: valkey.name, port: VALKEY_PORT };
  // The worker serves no HTTP: it is useful exactly while it can reach its task queue.
  const queueReachable = execProbe('python', '-c', `import socket; socket.create_connection(("${valkey.name}", ${VALKEY_PORT}), 3).close()`);
  return [
    postgresComponent(spec, { ...database, resources: settings.postgres.resources, storage: settings.postgres.storage }),
    postgresBackupComponent(spec, { ...database, resources: settings.postgres.resources, storage: settings.postgres.storage }),
    valkeyComponent(spec, { ...valkey, resources: settings.valkey.resources, storage: settings.valkey.storage }),
    {
      name: 'glitchtip-migrate',
      role: 'errors-migration',
      image,
      kind: 'job',
      replicas: 1,
      command: ['./bin/run-migrate.sh'],
      env,
      ports: [],
      configFiles: [],
      volumes: scratch,
      resources: settings.web.resources,
      readOnlyRootFilesystem: true,
      secrets,
      // Django settings load (and may use) the cache at migration time too.
      connectsTo: [toDatabase, toQueue],
      dependsOn: ready,
    },
    {
      name: 'glitchtip-web',
      role: 'errors',
      image,
      kind: 'service',
      replicas: settings.web.replicas,
      env: { ...env, SERVER_ROLE: 'web' },
      ports: [{ name: 'http', port: GLITCHTIP.port, publish: true, ingress: { host: GLITCHTIP.host } }],
      configFiles: [],
      volumes: scratch,
      health: httpHealth(GLITCHTIP.port, '/_health/', 120),
      resources: settings.web.resources,
      readOnlyRootFilesystem: true,
      secrets,
      connectsTo: [toDatabase, toQueue],
      dependsOn: [...ready, { name: 'glitchtip-migrate', condition: 'completed' }],
    },
    {
      name: 'glitchtip-worker',
      role: 'errors-worker',
      image,
      kind: 'service',
      replicas: settings.worker.replicas,
      command: ['./bin/run-worker.sh'],
      env: { ...env, SERVER_ROLE: 'worker' },
      ports: [],
      configFiles: [],
      volumes: scratch,
      // No liveness: the only check is the queue's reachability, and the queue being away is no reason to restart.
      health: { readiness: queueReachable, startupSeconds: 60 },
      resources: settings.worker.resources,
      readOnlyRootFilesystem: true,
      secrets,
      connectsTo: [toDatabase, toQueue],
      dependsOn: [...ready, { name: 'glitchtip-migrate', condition: 'completed' }],
    },
  ];
}

/** GlitchTip: Sentry-compatible error tracking (web, worker, migration, Postgres, Valkey). */
export class GlitchTip extends ComponentGroup {
  constructor(scope: Construct, id: string, props: { readonly spec: StackSpec }) {
    super(scope, id, withPodSettings(props.spec, 'glitchtip', glitchtipComponents(props.spec)), props.spec);
  }
}
