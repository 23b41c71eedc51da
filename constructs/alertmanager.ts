import type { Construct } from 'constructs';
import { ALERTMANAGER_RECEIVERS_SECRET, ALERTMANAGER_SECRETS_DIR, alertmanagerConfig, receiverCredentialFiles, receiverPorts } from '../alerts/alertmanager-config.js';
import type { AlertDefinition } from '../alerts/rule-model.js';
import type { Component } from '../model/component.js';
import { resolveImage } from '../model/images.js';
import type { StackSpec } from '../model/spec.js';
import { httpHealth, httpProbe, toYaml } from './describe.js';
import { ComponentGroup } from './workload.js';
import { ALERTMANAGER } from './addresses.js';
import { withPodSettings } from '../model/pod-settings.js';
import { peersHost } from '../model/component.js';
import { ALERTMANAGER_CLUSTER_PORT, alertmanagerReplicas } from './alertmanager-peers.js';

export { ALERTMANAGER } from './addresses.js';

const CONFIG_DIR = '/etc/alertmanager';
const DATA_DIR = '/alertmanager';

export function alertmanagerComponents(spec: StackSpec, userAlerts: readonly AlertDefinition[] = []): Component[] {
  const settings = spec.components.alertmanager;
  if (!settings.enabled) return [];
  const credentials = receiverCredentialFiles(spec);
  const notificationPorts = receiverPorts(spec);
  const replicas = alertmanagerReplicas(spec);
  const cluster =
    replicas > 1
      ? [
          // Gossip among the members: silences and notification log shared, each alert sent once.
          `--cluster.listen-address=0.0.0.0:${ALERTMANAGER_CLUSTER_PORT}`,
          `--cluster.peer=${peersHost(ALERTMANAGER.name)}:${ALERTMANAGER_CLUSTER_PORT}`,
        ]
      : // A single instance: an empty cluster address turns gossip off.
        ['--cluster.listen-address='];
  return [
    {
      name: ALERTMANAGER.name,
      role: 'alert-routing',
      image: resolveImage(spec, 'alertmanager'),
      kind: 'stateful',
      replicas,
      args: [
        `--config.file=${CONFIG_DIR}/alertmanager.yml`,
        `--storage.path=${DATA_DIR}`,
        `--web.listen-address=:${ALERTMANAGER.port}`,
        ...cluster,
        '--log.format=json',
      ],
      ports: [
        { name: 'http', port: ALERTMANAGER.port, publish: true },
        ...(replicas > 1 ? [{ name: 'cluster', port: ALERTMANAGER_CLUSTER_PORT }, { name: 'cluster-udp', port: ALERTMANAGER_CLUSTER_PORT, protocol: 'UDP' as const }] : []),
      ],
      ...(replicas > 1 ? { connectsTo: [{ component: ALERTMANAGER.name, port: ALERTMANAGER_CLUSTER_PORT }] } : {}),
      configFiles: [{ name: 'alertmanager.yml', dir: CONFIG_DIR, content: toYaml(alertmanagerConfig(spec, userAlerts)) }],
      volumes: [{ name: 'data', mountPath: DATA_DIR, kind: 'persistent', size: settings.storage }],
      health: { ...httpHealth(ALERTMANAGER.port, '/-/healthy'), readiness: httpProbe(ALERTMANAGER.port, '/-/ready') },
      metrics: { port: ALERTMANAGER.port, path: '/metrics' },
      resources: settings.resources,
      readOnlyRootFilesystem: true,
      ...(Object.keys(credentials).length > 0
        ? { providedSecretFiles: [{ secret: ALERTMANAGER_RECEIVERS_SECRET, dir: ALERTMANAGER_SECRETS_DIR, files: credentials }] }
        : {}),
      ...(notificationPorts.length > 0 ? { kubernetes: { egress: [{ kind: 'internet', ports: notificationPorts }] } } : {}),
    },
  ];
}

/** Alertmanager: groups, silences and routes alerts to receivers. */
export class Alertmanager extends ComponentGroup {
  constructor(scope: Construct, id: string, props: { readonly spec: StackSpec }) {
    super(scope, id, withPodSettings(props.spec, 'alertmanager', alertmanagerComponents(props.spec)), props.spec);
  }
}
