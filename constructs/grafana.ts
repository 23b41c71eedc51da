import type { Construct } from 'constructs';
import { datasourceProvisioning, enabledBackends } from '../dashboards/datasources.js';
import { isKubernetesOnly } from '../dashboards/files.js';
import { DASHBOARDS_DIR, dashboardProvider } from '../dashboards/provider.js';
import type { Component, ConfigFile } from '../model/component.js';
import { resolveImage } from '../model/images.js';
import type { StackSpec } from '../model/spec.js';
import { ALERTMANAGER, GRAFANA, JAEGER, LOKI, VICTORIAMETRICS } from './addresses.js';
import { httpHealth, secretRef, toYaml } from './describe.js';
import { publicUrl } from './public-url.js';
import { ComponentGroup } from './workload.js';
import { withPodSettings } from '../model/pod-settings.js';

export { GRAFANA } from './addresses.js';

const PROVISIONING_DIR = '/etc/grafana/provisioning';

/** Dashboards to provision, as file name → JSON text. */
export type DashboardFiles = ReadonlyMap<string, string>;

export function grafanaComponents(spec: StackSpec, dashboards: DashboardFiles = new Map()): Component[] {
  const settings = spec.components.grafana;
  if (!settings.enabled) return [];
  const backends = enabledBackends(spec, {
    metricsUrl: VICTORIAMETRICS.url,
    logsUrl: LOKI.url,
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
  return [
    {
      name: GRAFANA.name,
      role: 'visualization',
      image: resolveImage(spec, 'grafana'),
      kind: 'stateful',
      replicas: 1,
      env: {
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
        { name: 'data', mountPath: '/var/lib/grafana', kind: 'persistent', size: settings.storage },
        { name: 'tmp', mountPath: '/tmp', kind: 'scratch' },
      ],
      health: httpHealth(GRAFANA.port, '/api/health', 60),
      metrics: { port: GRAFANA.port, path: '/metrics' },
      resources: settings.resources,
      readOnlyRootFilesystem: true,
      secrets: [{ name: GRAFANA.adminSecret, keys: { password: { length: 32 } } }],
      ...(onlyOnKubernetes.length > 0 ? { kubernetes: { configFiles: onlyOnKubernetes } } : {}),
      connectsTo: [
        ...(backends.metricsUrl ? [{ component: VICTORIAMETRICS.name, port: VICTORIAMETRICS.port }] : []),
        ...(backends.logsUrl ? [{ component: LOKI.name, port: LOKI.port }] : []),
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
