import type { Construct } from 'constructs';
import { datasourceProvisioning, enabledBackends } from '../dashboards/datasources.js';
import { isKubernetesOnly } from '../dashboards/files.js';
import { DASHBOARDS_DIR, dashboardProvider } from '../dashboards/provider.js';
import type { Component, ConfigFile, Value } from '../model/component.js';
import { resolveImage } from '../model/images.js';
import type { StackSpec } from '../model/spec.js';
import { ALERTMANAGER, GRAFANA, JAEGER, logsEndpoints, metricsEndpoints } from './addresses.js';
import { httpHealth, secretRef, toYaml } from './describe.js';
import { publicUrl } from './public-url.js';
import { ComponentGroup } from './workload.js';
import { withPodSettings } from '../model/pod-settings.js';
import { postgresBackupComponent } from './postgres-backup.js';
import { POSTGRES_PORT, postgresComponent } from './postgres.js';

/** Grafana's own Postgres (`scale: distributed`): its replicas share dashboards, users and sessions there. */
const database = { name: 'grafana-postgres', database: 'grafana', user: 'grafana', secret: 'grafana-postgres' } as const;

/** Grafana's database settings: Postgres when it runs replicated, SQLite on its volume otherwise. */
function databaseEnv(): Record<string, Value> {
  return {
    GF_DATABASE_TYPE: 'postgres',
    GF_DATABASE_HOST: `${database.name}:${POSTGRES_PORT}`,
    GF_DATABASE_NAME: database.database,
    GF_DATABASE_USER: database.user,
    GF_DATABASE_PASSWORD: secretRef(database.secret, 'password'),
    GF_DATABASE_SSL_MODE: 'disable',
  };
}

export { GRAFANA } from './addresses.js';

const PROVISIONING_DIR = '/etc/grafana/provisioning';

/** Dashboards to provision, as file name → JSON text. */
export type DashboardFiles = ReadonlyMap<string, string>;

export function grafanaComponents(spec: StackSpec, dashboards: DashboardFiles = new Map()): Component[] {
  const settings = spec.components.grafana;
  if (!settings.enabled) return [];
  const metrics = metricsEndpoints(spec).query;
  const logs = logsEndpoints(spec).query;
  const backends = enabledBackends(spec, {
    metricsUrl: metrics.url,
    logsUrl: logs.url,
    tracesUrl: JAEGER.queryUrl,
    alertsUrl: ALERTMANAGER.url,
  });
  const configFiles: ConfigFile[] = [
    { name: 'datasources.yaml', dir: `${PROVISIONING_DIR}/datasources`, content: toYaml(datasourceProvisioning(backends)) },
  ];
  const onlyOnKubernetes: ConfigFile[] = [];
  if (dashboards.size > 0) {
    configFiles.push({ name: 'dashboards.yaml', dir: `${PROVISIONING_DIR}/dashboards`, content: toYaml(dashboardProvider()) });
    for (const [name, content] of dashboards) {
      (isKubernetesOnly(content) ? onlyOnKubernetes : configFiles).push({ name, dir: DASHBOARDS_DIR, content });
    }
  }
  const replicated = spec.scale === 'distributed';
  const postgres = { ...database, resources: settings.postgres.resources, storage: settings.postgres.storage };
  return [
    ...(replicated ? [postgresComponent(spec, postgres), postgresBackupComponent(spec, postgres)] : []),
    {
      name: GRAFANA.name,
      role: 'visualization',
      image: resolveImage(spec, 'grafana'),
      // Replicated, its state is in Postgres and its folder only a cache.
      kind: replicated ? 'service' : 'stateful',
      replicas: replicated ? spec.distributed.grafana.replicas : 1,
      env: {
        ...(replicated ? databaseEnv() : {}),
        GF_SECURITY_ADMIN_USER: 'admin',
        GF_SECURITY_ADMIN_PASSWORD: secretRef(GRAFANA.adminSecret, 'password'),
        GF_SERVER_ROOT_URL: publicUrl(spec, GRAFANA.host, GRAFANA.port),
        GF_PATHS_PROVISIONING: PROVISIONING_DIR,
        GF_AUTH_ANONYMOUS_ENABLED: 'false',
        GF_USERS_ALLOW_SIGN_UP: 'false',
        GF_AUTH_DISABLE_LOGIN_FORM: 'false',
        GF_ANALYTICS_REPORTING_ENABLED: 'false',
        GF_ANALYTICS_CHECK_FOR_UPDATES: 'false',
        GF_ANALYTICS_CHECK_FOR_PLUGIN_UPDATES: 'false',
        GF_NEWS_NEWS_FEED_ENABLED: 'false',
        GF_LOG_MODE: 'console',
        GF_LOG_CONSOLE_FORMAT: 'json',
      },
      ports: [{ name: 'http', port: GRAFANA.port, publish: true, ingress: { host: GRAFANA.host } }],
      configFiles,
      volumes: [
        replicated
          ? { name: 'data', mountPath: '/var/lib/grafana', kind: 'scratch' }
          : { name: 'data', mountPath: '/var/lib/grafana', kind: 'persistent', size: settings.storage },
        { name: 'tmp', mountPath: '/tmp', kind: 'scratch' },
      ],
      health: httpHealth(GRAFANA.port, '/api/health', 60),
      metrics: { port: GRAFANA.port, path: '/metrics' },
      resources: settings.resources,
      readOnlyRootFilesystem: true,
      secrets: [{ name: GRAFANA.adminSecret, keys: { password: { length: 32 } } }],
      ...(onlyOnKubernetes.length > 0 ? { kubernetes: { configFiles: onlyOnKubernetes } } : {}),
      ...(replicated ? { dependsOn: [{ name: database.name, condition: 'healthy' as const }] } : {}),
      connectsTo: [
        ...(replicated ? [{ component: database.name, port: POSTGRES_PORT }] : []),
        ...(backends.metricsUrl ? [{ component: metrics.component, port: metrics.port }] : []),
        ...(backends.logsUrl ? [{ component: logs.component, port: logs.port }] : []),
        ...(backends.tracesUrl ? [{ component: JAEGER.name, port: JAEGER.queryPort }] : []),
        ...(backends.alertsUrl ? [{ component: ALERTMANAGER.name, port: ALERTMANAGER.port }] : []),
      ],
    },
  ];
}

/** Grafana: dashboards and exploration over metrics, logs, traces and alerts. */
export class Grafana extends ComponentGroup {
  constructor(scope: Construct, id: string, props: { readonly spec: StackSpec; readonly dashboards?: DashboardFiles }) {
    super(scope, id, withPodSettings(props.spec, 'grafana', grafanaComponents(props.spec, props.dashboards)), props.spec);
  }
}
