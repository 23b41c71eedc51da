import type { Construct } from 'constructs';
import { stackRuleFiles, type RuleFile } from '../alerts/rule-files.js';
import type { AlertDefinition } from '../alerts/rule-model.js';
import type { Component } from '../model/component.js';
import { toGoDuration } from '../model/duration.js';
import { resolveImage } from '../model/images.js';
import type { StackSpec } from '../model/spec.js';
import { DATASOURCE_UID } from '../dashboards/datasources.js';
import { ALERTMANAGER, GRAFANA, metricsEndpoints, VMALERT } from './addresses.js';
import { alertmanagerPeers } from './alertmanager-peers.js';
import { publicUrl } from './public-url.js';
import { httpHealth } from './describe.js';
import { ComponentGroup } from './workload.js';
import { withPodSettings } from '../model/pod-settings.js';

export { VMALERT } from './addresses.js';

/**
 * vmalert evaluates each rule this far in the past: VictoriaMetrics hides its newest samples for
 * `-search.latencyOffset` (30 s by default) so that they are complete when queried.
 */
export const VMALERT_EVAL_DELAY_SECONDS = 30;

const RULES_DIR = '/etc/vmalert/rules';

/**
 * Each alert's source link (Alertmanager's "Source" in every notification) opens its expression in Grafana's
 * Explore on the metrics datasource, where people can log in, instead of vmalert's own UI, which is never exposed.
 */
function grafanaSourceLinks(spec: StackSpec): string[] {
  const left = `{"datasource":"${DATASOURCE_UID.metrics}","queries":[{"refId":"A","expr":{{.Expr|jsonEscape|queryEscape}}}],"range":{"from":"now-1h","to":"now"}}`;
  return [`-external.url=${publicUrl(spec, GRAFANA.host, GRAFANA.port)}`, `-external.alert.source=explore?orgId=1&left=${left}`];
}

/** vmalert with the shipped rule files and `custom.yml` with the user's alerts (typed rule model, alerts/rule-model.ts). */
export function vmalertComponents(spec: StackSpec, userAlerts: readonly AlertDefinition[] = []): Component[] {
  const settings = spec.components.vmalert;
  if (!settings.enabled) return [];
  const ruleFile = (file: RuleFile) => ({ name: file.name, dir: RULES_DIR, content: file.content });
  const ruleFiles = stackRuleFiles(spec, userAlerts);
  const onlyOnKubernetes = ruleFiles.filter((f) => f.kubernetesOnly).map(ruleFile);
  // Every Alertmanager of a cluster is notified (they deduplicate); a single one by its Service.
  const notifiers = spec.components.alertmanager.enabled ? alertmanagerPeers(spec).map((url) => `-notifier.url=${url}`) : ['-notifier.blackhole'];
  const metrics = metricsEndpoints(spec);
  const replicas = spec.scale === 'distributed' ? spec.distributed.vmalert.replicas : 1;
  return [
    {
      name: VMALERT.name,
      role: 'alerting',
      image: resolveImage(spec, 'vmalert'),
      kind: 'service',
      replicas,
      args: [
        `-rule=${RULES_DIR}/*.yml`,
        `-datasource.url=${metrics.query.url}`,
        ...notifiers,
        // Recording rules and the ALERTS series are written back; alert state is restored after a restart.
        `-remoteWrite.url=${metrics.remoteWrite.url}`,
        `-remoteRead.url=${metrics.query.url}`,
        `-evaluationInterval=${toGoDuration(settings.evaluationInterval)}`,
        `-rule.evalDelay=${VMALERT_EVAL_DELAY_SECONDS}s`,
        `-httpListenAddr=:${VMALERT.port}`,
        '-loggerFormat=json',
        ...(spec.components.grafana.enabled ? grafanaSourceLinks(spec) : []),
      ],
      ports: [{ name: 'http', port: VMALERT.port, publish: true }],
      configFiles: ruleFiles.filter((f) => !f.kubernetesOnly).map(ruleFile),
      ...(onlyOnKubernetes.length > 0 ? { kubernetes: { configFiles: onlyOnKubernetes } } : {}),
      volumes: [],
      health: httpHealth(VMALERT.port, '/health'),
      metrics: { port: VMALERT.port, path: '/metrics' },
      resources: settings.resources,
      readOnlyRootFilesystem: true,
      connectsTo: [
        ...[metrics.query, metrics.remoteWrite].map(({ component, port }) => ({ component, port })).filter((c, i, all) => all.findIndex((o) => o.component === c.component) === i),
        ...(spec.components.alertmanager.enabled ? [{ component: ALERTMANAGER.name, port: ALERTMANAGER.port }] : []),
      ],
      dependsOn: [
        { name: metrics.query.component, condition: 'healthy' },
        ...(spec.components.alertmanager.enabled ? [{ name: ALERTMANAGER.name, condition: 'healthy' as const }] : []),
      ],
    },
  ];
}

/** vmalert: evaluates alerting and recording rules against VictoriaMetrics, notifies Alertmanager. */
export class VmAlert extends ComponentGroup {
  constructor(scope: Construct, id: string, props: { readonly spec: StackSpec }) {
    super(scope, id, withPodSettings(props.spec, 'vmalert', vmalertComponents(props.spec)), props.spec);
  }
}
