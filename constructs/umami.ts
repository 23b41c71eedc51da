import type { Construct } from 'constructs';
import type { Component } from '../model/component.js';
import { resolveImage } from '../model/images.js';
import type { StackSpec } from '../model/spec.js';
import { httpHealth, secretRef } from './describe.js';
import { postgresBackupComponent } from './postgres-backup.js';
import { POSTGRES_PORT, postgresComponent, postgresUrl } from './postgres.js';
import { ComponentGroup } from './workload.js';
import { withPodSettings } from '../model/pod-settings.js';

export const UMAMI = { name: 'umami', port: 3000, hostPort: 3001, host: 'analytics', secret: 'umami' } as const;

const database = { name: 'umami-postgres', database: 'umami', user: 'umami', secret: 'umami-postgres' } as const;

export function umamiComponents(spec: StackSpec): Component[] {
  const settings = spec.components.umami;
  if (!settings.enabled) return [];
  return [
    postgresComponent(spec, { ...database, resources: settings.postgres.resources, storage: settings.postgres.storage }),
    postgresBackupComponent(spec, { ...database, resources: settings.postgres.resources, storage: settings.postgres.storage }),
    {
      name: UMAMI.name,
      role: 'analytics',
      image: resolveImage(spec, 'umami'),
      kind: 'service',
      replicas: settings.replicas,
      env: {
        DATABASE_URL: postgresUrl(database, 'postgresql'),
        APP_SECRET: secretRef(UMAMI.secret, 'app-secret'),
        HOSTNAME: '0.0.0.0',
        PORT: String(UMAMI.port),
        DISABLE_TELEMETRY: '1',
        DISABLE_UPDATES: '1',
      },
      ports: [{ name: 'http', port: UMAMI.port, publish: { hostPort: UMAMI.hostPort }, ingress: { host: UMAMI.host } }],
      configFiles: [],
      // Next.js writes its cache under .next/cache; Prisma needs a writable /tmp.
      volumes: [
        { name: 'tmp', mountPath: '/tmp', kind: 'scratch' },
        { name: 'next-cache', mountPath: '/app/.next/cache', kind: 'scratch' },
      ],
      health: httpHealth(UMAMI.port, '/api/heartbeat', 120),
      resources: settings.resources,
      readOnlyRootFilesystem: true,
      secrets: [{ name: UMAMI.secret, keys: { 'app-secret': { length: 32 } } }],
      connectsTo: [{ component: database.name, port: POSTGRES_PORT }],
      dependsOn: [{ name: database.name, condition: 'healthy' }],
    },
  ];
}

/** Umami: privacy-first web analytics (Postgres). */
export class Umami extends ComponentGroup {
  constructor(scope: Construct, id: string, props: { readonly spec: StackSpec }) {
    super(scope, id, withPodSettings(props.spec, 'umami', umamiComponents(props.spec)), props.spec);
  }
}
