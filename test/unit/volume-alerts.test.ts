/**
 * The volume alerts and what feeds them: the agent scrapes its own node's kubelet `/metrics`, keeps only the claims'
 * volume stats (`kubelet_volume_stats_*`, labels `namespace` and `persistentvolumeclaim`), with `nodes/metrics` and
 * nothing broader; StackVolumeAlmostFull and KubePersistentVolumeFillingUp read those, never the kubelet stats'
 * `k8s_volume_*`, where ConfigMaps, Secrets and emptyDirs report the node's filesystem. The rules' behaviour on
 * series is test/validators/alert-rule-cases.ts's (promtool, vmalert-tool).
 */
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { kubernetesAlerts } from '../../alerts/kubernetes-alerts.js';
import { stackAlerts } from '../../alerts/stack-alerts.js';
import { KUBELET_METRICS_JOB, KUBELET_VOLUME_METRICS } from '../../collector/kubernetes.js';
import { renderStack } from '../../cli/render.js';
import { defineStack } from '../../model/define.js';
import { objectsOf } from '../helpers/render.js';

const spec = defineStack({}, { environment: 'dev' });
const rendered = renderStack(spec);
const agent = yaml.load(rendered.components.find((c) => c.name === 'otel-agent')!.configFiles[0]!.content) as any;
const kubeletJob = agent.receivers['prometheus/kubelet'].config.scrape_configs[0];
/** The keep-list as Prometheus applies a relabel regex: anchored at both ends. */
const kept = (name: string) => new RegExp(`^(?:${kubeletJob.metric_relabel_configs[0].regex})$`).test(name);

const alert = (name: string) => [...stackAlerts(spec), ...kubernetesAlerts(spec)].find((a) => a.name === name)!;
const exprsOf = (name: string) => alert(name).variants.map((v) => v.expr);

describe('the agent\'s scrape of its kubelet\'s volume stats', () => {
  it('scrapes its own node\'s kubelet over HTTPS with the ServiceAccount token, trusting it as kubelet_stats does', () => {
    expect(agent.service.pipelines.metrics.receivers).toContain('prometheus/kubelet');
    expect(agent.receivers['prometheus/kubelet'].config.scrape_configs).toHaveLength(1);
    expect(kubeletJob).toMatchObject({
      job_name: KUBELET_METRICS_JOB,
      scheme: 'https',
      metrics_path: '/metrics',
      static_configs: [{ targets: ['${env:K8S_NODE_IP}:10250'] }],
      authorization: { type: 'Bearer', credentials_file: '/var/run/secrets/kubernetes.io/serviceaccount/token' },
    });
    // The same node, port and certificate trust as the kubelet_stats receiver.
    expect(agent.receivers.kubelet_stats.endpoint).toBe(`https://${kubeletJob.static_configs[0].targets[0]}`);
    expect(kubeletJob.tls_config).toEqual({ insecure_skip_verify: agent.receivers.kubelet_stats.insecure_skip_verify });
  });

  it('keeps the six claim volume stats and drops the rest of the kubelet\'s /metrics', () => {
    expect(kubeletJob.metric_relabel_configs).toEqual([{ source_labels: ['__name__'], action: 'keep', regex: KUBELET_VOLUME_METRICS }]);
    const volumeStats = ['capacity_bytes', 'available_bytes', 'used_bytes', 'inodes', 'inodes_free', 'inodes_used'].map((m) => `kubelet_volume_stats_${m}`);
    for (const name of volumeStats) expect(kept(name), name).toBe(true);
    const others = [
      'kubelet_volume_stats_health_status_abnormal',
      'kubelet_running_pods',
      'kubelet_http_requests_total',
      'kubelet_runtime_operations_duration_seconds_bucket',
      'storage_operation_duration_seconds_bucket',
      'volume_manager_total_volumes',
      'kubelet_volume_stats_used_bytes_total',
      'up',
    ];
    for (const name of others) expect(kept(name), name).toBe(false);
  });

  it('may reach the kubelets\' port 10250 (the NetworkPolicy kubelet_stats already needed)', () => {
    const policy = objectsOf(rendered).find((o: any) => o.kind === 'NetworkPolicy' && o.spec.podSelector.matchLabels?.['app.kubernetes.io/name'] === 'otel-agent') as any;
    expect(policy.spec.egress).toContainEqual({ ports: [{ port: 10250, protocol: 'TCP' }], to: [{ ipBlock: { cidr: '0.0.0.0/0' } }] });
  });

  it('holds nodes/metrics (get) beside nodes/stats, and never nodes/proxy', () => {
    const role = objectsOf(rendered).find((o: any) => o.kind === 'ClusterRole' && o.metadata.name === 'observability-otel-agent') as any;
    expect(role.rules).toEqual([
      { apiGroups: [''], resources: ['nodes/stats', 'nodes/metrics'], verbs: ['get'] },
      { apiGroups: [''], resources: ['pods'], verbs: ['list', 'watch'] },
    ]);
    expect(JSON.stringify(role.rules)).not.toMatch(/nodes\/proxy|nodes\/pods|"\*"/);
  });
});

describe('the volume alerts', () => {
  it('read only the claims\' volume stats, and every series they read is one the agent keeps', () => {
    for (const name of ['StackVolumeAlmostFull', 'KubePersistentVolumeFillingUp']) {
      const exprs = exprsOf(name).join('\n');
      expect(exprs, name).not.toMatch(/k8s_volume_/);
      const metrics = [...new Set(exprs.match(/kubelet_volume_stats_\w+/g))];
      expect(metrics.sort(), name).toEqual(expect.arrayContaining(['kubelet_volume_stats_available_bytes', 'kubelet_volume_stats_capacity_bytes']));
      for (const metric of metrics) expect(kept(metric), `${name} reads ${metric}`).toBe(true);
      for (const query of alert(name).runbook.investigate.filter((q) => q.language === 'MetricsQL')) {
        expect(query.query, `${name}'s runbook`).not.toMatch(/k8s_volume_/);
        for (const metric of query.query.match(/kubelet_volume_stats_\w+/g) ?? []) expect(kept(metric), `${name}'s runbook reads ${metric}`).toBe(true);
      }
    }
  });

  it('StackVolumeAlmostFull: the stack\'s claims only, by claim, naming claim and component', () => {
    const [variant, ...others] = alert('StackVolumeAlmostFull').variants;
    expect(others).toEqual([]);
    const selectors = variant!.expr.match(/kubelet_volume_stats_\w+\{[^}]*\}/g)!;
    expect(selectors.length).toBeGreaterThan(0);
    for (const selector of selectors) expect(selector).toMatch(/\{namespace="observability"\}$/);
    expect(variant!.expr).toMatch(/max by \(namespace, persistentvolumeclaim\)/);
    expect(variant!.expr).toMatch(/> 0\.8$/);
    expect(variant!.summary).toContain('{{ $labels.persistentvolumeclaim }}');
    expect(variant!.summary).toContain('{{ $labels.component }}');
    expect(defineStack({ namespace: 'monitoring' }).namespace).toBe('monitoring');
    const elsewhere = stackAlerts(defineStack({ namespace: 'monitoring' }, { environment: 'dev' })).find((a) => a.name === 'StackVolumeAlmostFull')!;
    expect(elsewhere.variants[0]!.expr).toContain('{namespace="monitoring"}');
  });

  it('KubePersistentVolumeFillingUp: every other namespace\'s claims, full (P1) or filling (P2), naming claim and namespace', () => {
    const variants = alert('KubePersistentVolumeFillingUp').variants;
    expect(variants.map((v) => [v.severity, v.for])).toEqual([['P1', '1m'], ['P2', '1h']]);
    for (const v of variants) {
      for (const selector of v.expr.match(/kubelet_volume_stats_\w+\{[^}]*\}/g)!) expect(selector).toMatch(/\{namespace!="observability"\}$/);
      expect(v.expr).toMatch(/max by \(namespace, persistentvolumeclaim\) \(kubelet_volume_stats_used_bytes\{[^}]*\}\) > 0/);
      expect(v.summary).toContain('{{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }}');
      expect(v.labels.service).toBe('{{ $labels.namespace }}');
    }
    expect(variants[0]!.expr).toMatch(/< 0\.03\n/);
    expect(variants[1]!.expr).toMatch(/< 0\.15\n/);
    expect(variants[1]!.expr).toContain('predict_linear(kubelet_volume_stats_available_bytes{namespace!="observability"}[6h], 4 * 24 * 3600)) < 0');
  });

  it('are left out when the collector gathers nothing from Kubernetes', () => {
    const off = defineStack({ components: { collector: { kubernetes: { enabled: false } } } }, { environment: 'dev' });
    expect(stackAlerts(off).map((a) => a.name)).not.toContain('StackVolumeAlmostFull');
    expect(kubernetesAlerts(off)).toEqual([]);
  });
});
