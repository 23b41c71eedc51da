import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { alertmanagerConfig, receiverCredentialFiles, receiverPorts } from '../../alerts/alertmanager-config.js';
import { errorBurstExpectation } from '../../alerts/error-burst-expectation.js';
import { alertDefinitions, stackRuleFiles } from '../../alerts/rule-files.js';
import { runbookFiles } from '../../alerts/runbooks.js';
import { errorBudget } from '../../alerts/slo-rules.js';
import { burnFactor, burnRateWindows } from '../../model/burn-rate-windows.js';
import { scrapedStackComponents } from '../../alerts/stack-components.js';
import { renderStack } from '../../cli/render.js';
import { writeRendered } from '../../cli/write.js';
import { scrapeTargetsOf } from '../../constructs/collector.js';
import { stackComponents } from '../../constructs/components.js';
import { defineStack } from '../../model/define.js';
import { parseDuration } from '../../model/duration.js';
import { SPAN_DURATION_BUCKETS_MS } from '../../model/span-metrics.js';
import { environments } from '../../model/spec.js';
import { renderedRules } from '../helpers/rendered-rules.js';

const rulesOf = renderedRules;
const alertRules = (spec: ReturnType<typeof defineStack>) => rulesOf(spec).filter((r) => r.alert);

const local = defineStack({});

describe('alert rules', () => {
  it.each(environments)('every alert of the %s preset has a severity P0-P3 (the Watchdog: heartbeat), a service, a summary, a description and a runbook', (environment) => {
    const spec = defineStack({}, { environment });
    const runbooks = runbookFiles(spec);
    for (const rule of alertRules(spec)) {
      expect(rule.alert).toMatch(/^[A-Z][A-Za-z0-9]+$/);
      expect(rule.labels?.['severity'], rule.alert).toMatch(rule.alert === 'Watchdog' ? /^heartbeat$/ : /^P[0-3]$/);
      expect(rule.labels?.['service'], rule.alert).toBeTruthy();
      expect(rule.annotations?.['summary'], rule.alert).toBeTruthy();
      expect(rule.annotations?.['description'], rule.alert).toBeTruthy();
      expect(rule.annotations?.['runbook_url']).toBe(`runbooks/${rule.alert}.md`);
      expect(runbooks.has(`${rule.alert}.md`), `runbook of ${rule.alert}`).toBe(true);
    }
  });

  it('covers what the issue asks for, and counts them', () => {
    const names = alertDefinitions(local).map((a) => a.name);
    expect(names.sort()).toEqual(
      [
        'AlertmanagerNotificationsFailing', 'CollectorDown', 'CollectorDroppingData', 'CollectorExporterSendFailures', 'CollectorPersistentQueueFilling',
        'CollectorRefusingData', 'ServiceEndpointDown', 'ServiceErrorRateHigh', 'ServiceLatencyHigh', 'ServiceTelemetryStopped', 'SloErrorBudgetBurn',
        'SloServiceSilent', 'StackComponentDown', 'StackVolumeAlmostFull', 'VictoriaMetricsDiskAlmostFull', 'VmalertRuleEvaluationErrors', 'Watchdog',
        // The agents' kubelet scrape that the volume alerts read (Kubernetes only).
        'KubeletVolumeStatsUnreadable',
        // Every namespace's workloads and the nodes (Kubernetes only).
        'KubeContainerCrashLooping', 'KubeContainerOOMKilled', 'KubeWorkloadReplicasMissing', 'KubeJobFailed', 'KubeHpaMaxedOut', 'KubeNodeNotReady',
        'KubeNodePressure', 'KubePersistentVolumeFillingUp', 'KubeContainerCpuThrottled',
      ].sort(),
    );
    expect(alertRules(local)).toHaveLength(39);
    expect(rulesOf(local).filter((r) => r.record)).toHaveLength(39);
  });

  it('watches exactly the stack components the collector scrapes', () => {
    const distributed = defineStack({}, { environment: 'prod' });
    for (const spec of [local, distributed, defineStack({ components: { grafana: { enabled: false }, alertmanager: { enabled: false } } })]) {
      const scraped = scrapeTargetsOf(stackComponents({ spec })).map((t) => t.job);
      expect(scrapedStackComponents(spec).sort()).toEqual(scraped.sort());
    }
  });

  it('knows the span duration buckets the collector renders (latency SLO thresholds must be one of them)', () => {
    const collector = stackComponents({ spec: local }).find((c) => c.name === 'otel-sampler')!;
    const config = yaml.load(collector.configFiles.find((f) => f.name === 'config.yaml')!.content) as { connectors: Record<string, { histogram: { explicit: { buckets: string[] } } }> };
    const [spanmetrics] = Object.values(config.connectors);
    expect(spanmetrics!.histogram.explicit.buckets.map((b) => parseDuration(b) * 1000)).toEqual([...SPAN_DURATION_BUCKETS_MS]);
  });

  it('leaves out the alerts of components that are off', () => {
    const names = (input: object) => alertDefinitions(defineStack(input)).map((a) => a.name);
    expect(names({ components: { alertmanager: { enabled: false } } })).not.toContain('AlertmanagerNotificationsFailing');
    const withoutTraces = names({ components: { jaeger: { enabled: false } } });
    expect(withoutTraces).not.toContain('ServiceErrorRateHigh');
    expect(withoutTraces).not.toContain('SloErrorBudgetBurn');
    expect(withoutTraces).toContain('ServiceEndpointDown');
    expect(names({ slos: [] })).not.toContain('SloErrorBudgetBurn');
    expect(stackRuleFiles(defineStack({ slos: [] })).map((f) => f.name)).toEqual(['stack.yml', 'services.yml', 'kubernetes.yml']);
    expect(stackRuleFiles(defineStack({ components: { collector: { kubernetes: { enabled: false } } } })).map((f) => f.name)).not.toContain('kubernetes.yml');
    expect(names({ components: { collector: { kubernetes: { enabled: false } } } }).filter((n) => n.startsWith('Kube'))).toEqual([]);
  });

  it('are the files vmalert loads, evaluated at the spec interval, 30 s in the past like VictoriaMetrics answers', () => {
    const vmalert = stackComponents({ spec: defineStack({ components: { vmalert: { evaluationInterval: '15s' } } }) }).find((c) => c.name === 'vmalert')!;
    expect(vmalert.configFiles.map((f) => `${f.dir}/${f.name}`)).toEqual(['/etc/vmalert/rules/stack.yml', '/etc/vmalert/rules/services.yml', '/etc/vmalert/rules/slos.yml']);
    // The workload alerts read what only the cluster's receivers collect: on Kubernetes only.
    expect(vmalert.kubernetes?.configFiles?.map((f) => `${f.dir}/${f.name}`)).toEqual(['/etc/vmalert/rules/kubernetes.yml']);
    expect(vmalert.args).toEqual(expect.arrayContaining(['-rule=/etc/vmalert/rules/*.yml', '-evaluationInterval=15s', '-rule.evalDelay=30s']));
  });

  it('takes alerting.overrides: a `for` of its own for every rule of the alert, or the alert left out with its runbook', () => {
    const spec = defineStack({ alerting: { overrides: { KubeContainerCrashLooping: { for: '2m' }, ServiceLatencyHigh: { disabled: true } } } });
    const crashLooping = alertRules(spec).filter((r) => r.alert === 'KubeContainerCrashLooping');
    expect(crashLooping.map((r) => r.for)).toEqual(['2m']);
    expect(alertRules(defineStack({})).find((r) => r.alert === 'KubeContainerCrashLooping')?.for).toBe('15m');
    expect(alertRules(spec).map((r) => r.alert)).not.toContain('ServiceLatencyHigh');
    expect([...runbookFiles(spec).keys()]).not.toContain('ServiceLatencyHigh.md');
    expect(alertDefinitions(spec).length).toBe(alertDefinitions(defineStack({})).length - 1);
  });

  it('refuses an override of an alert the stack does not have, or a Watchdog switched off under a heartbeat', () => {
    expect(() => alertDefinitions(defineStack({ alerting: { overrides: { KubeCrashLooping: { for: '2m' } } } }))).toThrow(
      /^invalid stack spec \(1 problem\):\n  - alerting\.overrides\.KubeCrashLooping: no alert of that name in this stack; known: .*KubeContainerCrashLooping/,
    );
    expect(() => alertDefinitions(defineStack({ alerting: { heartbeat: true, overrides: { Watchdog: { disabled: true } } } }))).toThrow(/turn alerting\.heartbeat off first/);
    expect(() => defineStack({ alerting: { overrides: { KubeContainerCrashLooping: { for: 'soon' } } } })).toThrow(/alerting\.overrides\.KubeContainerCrashLooping\.for.*expected a duration like "7d", got "soon"/s);
    // @ts-expect-error severity is not an override (it decides the route: a page is not tuned away by a typo)
    expect(() => defineStack({ alerting: { overrides: { KubeContainerCrashLooping: { severity: 'P1' } } } })).toThrow(/severity/);
  });

  it('links runbooks under alerting.runbookBaseUrl when the spec publishes them', () => {
    const spec = defineStack({ alerting: { receivers: [], runbookBaseUrl: 'https://git.example.com/ops/runbooks/' } });
    for (const rule of alertRules(spec)) expect(rule.annotations?.['runbook_url']).toBe(`https://git.example.com/ops/runbooks/${rule.alert}.md`);
  });
});

describe('SLO rules', () => {
  const byName = (spec: ReturnType<typeof defineStack>) => alertRules(spec).filter((r) => r.alert === 'SloErrorBudgetBurn');

  it('burn at 14.4× and 6× (page, P1) and 3× and 1× (ticket, P3) of a 30-day budget, long and short window together, with at least 3 bad events', () => {
    const [page, ticket] = byName(local).filter((r) => r.labels?.['slo'] === 'sample-front-availability');
    expect(page!.labels).toEqual({ severity: 'P1', service: 'sample-front', slo: 'sample-front-availability' });
    const slo = 'slo="sample-front-availability"';
    expect(page!.expr).toContain(`slo:sli_error:ratio_rate1h{${slo}} > (14.4 * 0.001)`);
    expect(page!.expr).toContain(`(slo:sli_error:ratio_rate5m{${slo}} > (14.4 * 0.001) or (slo:sli_error:ratio_rate1h{${slo}} unless slo:sli_error:ratio_rate5m{${slo}} >= 0))`);
    expect(page!.expr).toContain(`slo:sli_bad_events:increase1h{${slo}} >= 3`);
    expect(page!.expr).toContain(`slo:sli_error:ratio_rate6h{${slo}} > (6 * 0.001)`);
    expect(page!.expr).toContain(`slo:sli_error:ratio_rate30m{${slo}} > (6 * 0.001)`);
    expect(page!.expr).toContain(`slo:sli_bad_events:increase6h{${slo}} >= 3`);
    expect(ticket!.labels?.['severity']).toBe('P3');
    expect(ticket!.expr).toContain(`ratio_rate1d{${slo}} > (3 * 0.001)`);
    expect(ticket!.expr).toContain(`ratio_rate2h{${slo}} > (3 * 0.001)`);
    expect(ticket!.expr).toContain(`ratio_rate3d{${slo}} > (1 * 0.001)`);
    expect(ticket!.expr).toContain(`ratio_rate6h{${slo}} > (1 * 0.001)`);
    expect(ticket!.expr).toContain(`slo:sli_bad_events:increase3d{${slo}} >= 3`);
  });

  it('derive the burn factors from the SLO window (the same budget share per window), never below 1, and the guard from alerting.minBadEvents', () => {
    const weekly = defineStack({ alerting: { minBadEvents: 5 }, slos: [{ name: 'weekly', service: 'api', objective: 99.9, window: '7d', sli: { kind: 'availability' } }] });
    const [page, ticket] = byName(weekly);
    expect(page!.expr).toContain('slo:sli_error:ratio_rate1h{slo="weekly"} > (3.36 * 0.001)');
    expect(page!.expr).toContain('slo:sli_error:ratio_rate6h{slo="weekly"} > (1.4 * 0.001)');
    expect(page!.expr).toContain('slo:sli_bad_events:increase1h{slo="weekly"} >= 5');
    expect(ticket!.expr).toContain('slo:sli_error:ratio_rate1d{slo="weekly"} > (1 * 0.001)');
    expect(ticket!.expr).toContain('slo:sli_error:ratio_rate3d{slo="weekly"} > (1 * 0.001)');
    const quarterly = defineStack({ slos: [{ name: 'q', service: 'api', objective: 99.9, window: '90d', sli: { kind: 'availability' } }] });
    expect(byName(quarterly)[0]!.expr).toContain('slo:sli_error:ratio_rate1h{slo="q"} > (43.2 * 0.001)');
  });

  it('are documented per SLO window in docs/ALERTS.md as computed', () => {
    const doc = readFileSync(new URL('../../docs/ALERTS.md', import.meta.url), 'utf8');
    const rows = [...doc.matchAll(/^\| (\d+d) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \|$/gm)];
    expect(rows.length).toBeGreaterThanOrEqual(5);
    for (const [, window, ...factors] of rows) expect(factors.map(Number), window).toEqual(burnRateWindows.map((w) => burnFactor(w, window!)));
  });

  it('count the bad events of each SLI kind over the long windows', () => {
    const events = (slo: string, window: string) => rulesOf(local).find((r) => r.record === `slo:sli_bad_events:increase${window}` && r.labels?.['slo'] === slo)!.expr;
    expect(events('sample-front-availability', '1h')).toBe('sum(increase(traces_span_metrics_calls_total{service_name="sample-front", span_kind="SPAN_KIND_SERVER", status_code="STATUS_CODE_ERROR"}[1h])) or vector(0)');
    expect(events('sample-front-latency', '6h')).toContain('le="500"}[6h]))');
    expect(events('sample-front-work-success', '3d')).toContain('sum(increase(sample_app_work_requests_total{service_name="sample-front"}[3d]))');
  });

  it('writes budgets as exact decimals', () => {
    const slo = (objective: number) => ({ name: 'x', service: 'x', objective, window: '30d', sli: { kind: 'availability' as const } });
    expect([99.9, 99, 99.95, 95, 99.999].map((o) => errorBudget(slo(o)))).toEqual(['0.001', '0.01', '0.0005', '0.05', '0.00001']);
  });

  it('records the latency SLI from the threshold bucket of the service server spans', () => {
    const record = rulesOf(local).find((r) => r.record === 'slo:sli_error:ratio_rate5m' && r.labels?.['slo'] === 'sample-front-latency')!;
    expect(record.expr).toContain('traces_span_metrics_duration_milliseconds_bucket{service_name="sample-front", span_kind="SPAN_KIND_SERVER", le="500"}');
  });
});

describe('Alertmanager config', () => {
  const spec = defineStack({
    alerting: {
      receivers: [
        { name: 'ops-webhook', type: 'webhook', url: 'https://hooks.example.com/alerts' },
        { name: 'ops-pager', type: 'pagerduty', routes: ['page'] },
        { name: 'ops-slack', type: 'slack', channel: '#alerts', routes: ['notify', 'ticket'] },
      ],
    },
  });
  type Route = { receiver?: string; matchers?: string[]; routes?: Route[]; continue?: boolean };
  const config = alertmanagerConfig(spec) as { route: Route; inhibit_rules: { source_matchers: string[]; target_matchers: string[]; equal?: string[] }[]; receivers: Record<string, unknown>[] };

  it('routes by severity to the receivers that take each route, grouped by alert name and service', () => {
    expect(config.route.receiver).toBe('default');
    expect(config.route).toMatchObject({ group_by: ['alertname', 'service'] });
    const [heartbeat, ...severityRoutes] = config.route.routes!;
    expect(heartbeat).toEqual({ matchers: ['severity="heartbeat"'], receiver: 'default', group_wait: '0s', group_interval: '1m', repeat_interval: '1m' });
    const routed = severityRoutes.map((r) => [r.matchers, r.routes!.map((c) => c.receiver)]);
    expect(routed).toEqual([
      [['severity=~"P0|P1"'], ['ops-webhook', 'ops-pager']],
      [['severity=~"P2"'], ['ops-webhook', 'ops-slack']],
      [['severity=~"P3"'], ['ops-webhook', 'ops-slack']],
    ]);
  });

  it('holds back a less severe twin, and a symptom while its cause fires', () => {
    expect(config.inhibit_rules).toContainEqual({ source_matchers: ['severity="P1"'], target_matchers: ['severity=~"P2|P3"'], equal: ['alertname', 'service', 'component', 'slo', 'namespace', 'persistentvolumeclaim'] });
    expect(config.inhibit_rules).toContainEqual({
      source_matchers: ['alertname="StackComponentDown"'],
      target_matchers: ['alertname=~"CollectorDroppingData|CollectorExporterSendFailures|CollectorPersistentQueueFilling"'],
      equal: ['component'],
    });
    // A collector that is down explains a service with an SLO sending nothing: no page for the service.
    expect(config.inhibit_rules).toContainEqual({ source_matchers: ['alertname="CollectorDown"'], target_matchers: ['alertname=~"ServiceTelemetryStopped|SloServiceSilent"'] });
  });

  it('sends the Watchdog every minute to the heartbeat webhook, its URL read from the heartbeat-url credential file', () => {
    const beating = defineStack({ alerting: { heartbeat: true, receivers: [{ name: 'ops-pager', type: 'pagerduty', routes: ['page'] }] } });
    const withHeartbeat = alertmanagerConfig(beating) as typeof config;
    expect(withHeartbeat.route.routes![0]).toEqual({ matchers: ['severity="heartbeat"'], receiver: 'heartbeat', group_wait: '0s', group_interval: '1m', repeat_interval: '1m' });
    expect(withHeartbeat.route.routes![0]).not.toHaveProperty('continue');
    expect(withHeartbeat.receivers).toContainEqual({ name: 'heartbeat', webhook_configs: [{ url_file: '/etc/alertmanager/secrets/heartbeat-url', send_resolved: false }] });
    expect(receiverCredentialFiles(beating)).toHaveProperty('heartbeat-url');
    expect(receiverPorts(beating)).toEqual([443]);
    const [watchdog] = alertRules(beating).filter((r) => r.alert === 'Watchdog');
    expect(watchdog).toMatchObject({ expr: 'vector(1)', labels: { severity: 'heartbeat', service: 'observatory' } });
  });

  it('reads credentials from mounted files, never literal', () => {
    const text = JSON.stringify(config.receivers);
    expect(text).toContain('"api_url_file":"/etc/alertmanager/secrets/ops-slack-url"');
    expect(text).toContain('"routing_key_file":"/etc/alertmanager/secrets/ops-pager-routing-key"');
    expect(text).not.toMatch(/"(api_url|routing_key|service_key)":/);
  });
});

describe('the e2e error burst', () => {
  it('pages once for sample-front, through its availability SLO\'s fast burn (the thresholds leave it to the SLO)', () => {
    const spec = defineStack({ alerting: { receivers: [{ name: 'e2e', type: 'webhook', url: 'http://127.0.0.1:9999/hook' }] } });
    const expected = errorBurstExpectation(spec);
    expect(expected).toMatchObject({ alertname: 'SloErrorBudgetBurn', labels: { severity: 'P1', service: 'sample-front' }, route: 'page', receivers: ['e2e'], windows: ['1h', '5m'], for: '2m', evaluationInterval: '30s', minBadEvents: 3, reads: 'slo:sli_error:ratio_rate1h' });
    // 2 flushes (30) + eval delay (30) + the 1 h window past 1.44 % at a third failing (158) + 2 intervals + for 2m + 1 interval.
    expect(expected.firingWithinSeconds).toBe(30 + 30 + 158 + 60 + 120 + 30);
    expect(expected.deliveredWithinSeconds).toBe(expected.firingWithinSeconds + 10);
    expect(errorBurstExpectation(local).receivers).toEqual(['default']);
    expect(() => errorBurstExpectation(local, 'sample-front', 0.01)).toThrow(/does not exceed the 0.0144 page threshold of SLO sample-front-availability/);
  });

  it('pages through the error-rate threshold for a service without an availability SLO', () => {
    const expected = errorBurstExpectation(defineStack({ slos: [] }));
    expect(expected).toMatchObject({ alertname: 'ServiceErrorRateHigh', labels: { severity: 'P1', service: 'sample-front' }, windows: ['1m'], for: '1m', reads: 'traces_span_metrics_calls_total' });
    expect(expected.firingWithinSeconds).toBe(199);
    expect(() => errorBurstExpectation(defineStack({ slos: [] }), 'sample-front', 0.005)).toThrow(/fires no ServiceErrorRateHigh tier/);
  });
});

describe('runbooks', () => {
  it('give each alert its meaning, its queries, causes and mitigation, and its rules', () => {
    for (const [file, markdown] of runbookFiles(local)) {
      expect(markdown, file).toMatch(new RegExp(`^# ${file.replace('.md', '')}\n`));
      for (const section of ['## What it means', '## Investigate', '## Common causes', '## Mitigation', '## The rule']) expect(markdown, `${file} ${section}`).toContain(section);
      expect(markdown, file).toMatch(/```promql\n/);
    }
  });

  it('are written by synth to DIR/runbooks/, one per alert, and replaced whole', () => {
    const out = mkdtempSync(join(tmpdir(), 'observatory-runbooks-'));
    try {
      const rendered = renderStack(local);
      const report = writeRendered(rendered, { outDir: out, generateSecrets: false });
      const written = readdirSync(join(out, 'runbooks')).sort();
      expect(written).toEqual(alertDefinitions(local).map((a) => `${a.name}.md`).sort());
      expect(report.runbookFiles).toBe(written.length);
      expect(readFileSync(join(out, 'runbooks', 'ServiceErrorRateHigh.md'), 'utf8')).toBe(rendered.runbooks.get('ServiceErrorRateHigh.md'));
      writeRendered(renderStack(defineStack({ slos: [] })), { outDir: out, generateSecrets: false });
      expect(readdirSync(join(out, 'runbooks'))).not.toContain('SloErrorBudgetBurn.md');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe('the package root', () => {
  it('exports the alert builders', async () => {
    const observatory = await import('../../index.js');
    for (const name of ['alertDefinitions', 'stackRuleFiles', 'alertmanagerConfig', 'runbookFiles', 'sloRuleGroups', 'errorBurstExpectation', 'kubernetesAlerts', 'watchdog', 'burnFactor']) expect(observatory, name).toHaveProperty(name);
  });
});
