/**
 * The alert rules against the real rule engines: `promtool check rules` (Prometheus' parser and linter),
 * `promtool test rules` and `vmalert-tool unittest` (the same cases under PromQL and MetricsQL semantics),
 * the runbooks' queries through `vmalert -dryRun`, and the Alertmanager routing through `amtool`.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertmanagerConfig } from '../../alerts/alertmanager-config.js';
import { errorBurstExpectation } from '../../alerts/error-burst-expectation.js';
import { alertDefinitions, renderRuleFile, ruleFileModels, stackRuleFiles } from '../../alerts/rule-files.js';
import type { AlertDefinition, AlertVariant, RuleFileModel } from '../../alerts/rule-model.js';
import { FENCE, runbookFiles } from '../../alerts/runbooks.js';
import { WATCHDOG } from '../../alerts/watchdog.js';
import { toYaml } from '../../constructs/describe.js';
import { defineStack } from '../../model/define.js';
import { environments, type StackSpec } from '../../model/spec.js';
import { checkoutBacklog } from '../consumer/app/checkout-alert.js';
import { freePort } from '../harness/ports.js';
import { RunningProcess, waitForHttp } from '../harness/process.js';
import { factoryBinary, runTool, systemBinary } from '../helpers/tools.js';
import { alertCases, recordingCases, type AlertCase } from './alert-rule-cases.js';

const work = mkdtempSync(join(tmpdir(), 'observatory-alert-rules-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
let folders = 0;
function writeAll(files: readonly { name: string; content: string }[]): { dir: string; paths: string[] } {
  const dir = join(work, String(folders++));
  mkdirSync(dir);
  return { dir, paths: files.map((f) => (writeFileSync(join(dir, f.name), f.content), join(dir, f.name))) };
}

const local = defineStack({});
/** The stacks whose rule files every engine checks: the user's own alerts (construct prop `alerts`) the same way as ours. */
const specs: { name: string; spec: StackSpec; alerts?: readonly AlertDefinition[] }[] = [
  ...environments.map((environment) => ({ name: `${environment} preset`, spec: defineStack({}, { environment }) })),
  { name: 'no SLOs, no Jaeger', spec: defineStack({ slos: [], components: { jaeger: { enabled: false } } }) },
  {
    name: 'SLOs of two services, runbooks published',
    spec: defineStack({
      alerting: { receivers: [], runbookBaseUrl: 'https://git.example.com/ops/observatory/-/blob/main/out/runbooks/' },
      slos: [
        { name: 'checkout-availability', service: 'checkout', objective: 99.95, sli: { kind: 'availability' } },
        { name: 'checkout-latency', service: 'checkout', objective: 95, window: '7d', sli: { kind: 'latency', thresholdMs: 250 } },
        { name: 'front-latency', service: 'front.web', objective: 99.5, sli: { kind: 'latency', thresholdMs: 1000 } },
        { name: 'api-requests', service: 'api', objective: 99.9, sli: { kind: 'ratio', good: 'http_requests_total{job="api", code!~"5.."}', total: 'http_requests_total{job="api"}' } },
      ],
    }),
  },
  { name: 'staging preset with a user alert', spec: defineStack({}, { environment: 'staging' }), alerts: [checkoutBacklog] },
];

/** The spec a case's rules come from: the local preset, or the case's own input over it. */
const specOf = (testCase: AlertCase): StackSpec => (testCase.spec ? defineStack(testCase.spec) : local);

/** The variants a case is about: same alert, same severity, and its variant labels. */
function variantsOf(testCase: Pick<AlertCase, 'alert' | 'severity' | 'variantLabels'>, alerts: readonly AlertDefinition[]): AlertVariant[] {
  const alert = alerts.find((a) => a.name === testCase.alert);
  return (alert?.variants ?? []).filter(
    (v) => v.severity === testCase.severity && Object.entries(testCase.variantLabels ?? {}).every(([k, value]) => v.labels[k] === value),
  );
}

/**
 * Rule files for one case: every recording rule, and only the one alert variant the case is about, so that the
 * case's twins (which promtool would report under the same alert name) do not blur what it checks. Annotations
 * other than `summary` are left out: promtool compares all of them, and the case checks the summary.
 */
function ruleFilesFor(spec: StackSpec, testCase: AlertCase): { name: string; content: string }[] {
  const [variant] = variantsOf(testCase, alertDefinitions(spec));
  const recordingsOnly = (file: RuleFileModel): RuleFileModel => ({ ...file, groups: file.groups.map((g) => ({ ...g, alerts: [] })).filter((g) => g.recordings.length > 0) });
  const alert = alertDefinitions(spec).find((a) => a.name === testCase.alert)!;
  const models: RuleFileModel[] = [
    ...ruleFileModels(spec).map(recordingsOnly).filter((f) => f.groups.length > 0),
    { name: 'case.yml', groups: [{ name: 'case', recordings: [], alerts: [{ ...alert, variants: [variant!] }] }] },
  ];
  return models.map((model) => {
    const file = renderRuleFile(spec, model);
    const parsed = yaml.load(file.content) as { groups: { rules: { annotations?: Record<string, string> }[] }[] };
    for (const rule of parsed.groups.flatMap((g) => g.rules)) if (rule.annotations) rule.annotations = { summary: rule.annotations['summary']! };
    return { name: file.name, content: toYaml(parsed) };
  });
}

/** A test file in the format both `promtool test rules` and `vmalert-tool unittest` read. */
function alertTestFile(spec: StackSpec, testCase: AlertCase): { name: string; content: string }[] {
  const rules = ruleFilesFor(spec, testCase);
  const test = {
    rule_files: rules.map((r) => r.name),
    evaluation_interval: spec.components.vmalert.evaluationInterval,
    tests: [
      {
        name: testCase.name,
        interval: testCase.interval,
        input_series: testCase.series,
        alert_rule_test: [
          {
            eval_time: testCase.at,
            alertname: testCase.alert,
            exp_alerts: testCase.fires ? [{ exp_labels: testCase.fires.labels, exp_annotations: { summary: testCase.fires.summary } }] : [],
          },
        ],
      },
    ],
  };
  return [...rules, { name: 'test.yml', content: toYaml(test) }];
}

function recordingTestFile(spec: StackSpec): { name: string; content: string }[] {
  const rules = stackRuleFiles(spec);
  const test = {
    rule_files: rules.map((r) => r.name),
    evaluation_interval: spec.components.vmalert.evaluationInterval,
    tests: recordingCases.map((c) => ({
      name: c.name,
      interval: c.interval,
      input_series: c.series,
      promql_expr_test: [{ expr: c.expr, eval_time: c.at, exp_samples: c.samples }],
    })),
  };
  return [...rules, { name: 'test.yml', content: toYaml(test) }];
}

describe('the alert cases', () => {
  it('each case is about exactly one alert variant of its spec', () => {
    for (const c of alertCases) expect(variantsOf(c, alertDefinitions(specOf(c))), c.name).toHaveLength(1);
  });

  it('every alert variant has at least one firing and one silent case (the Watchdog, which always fires, only a firing one)', () => {
    const uncovered: string[] = [];
    for (const alert of alertDefinitions(local)) {
      for (const variant of alert.variants) {
        const cases = alertCases.filter((c) => variantsOf(c, [alert]).includes(variant));
        const label = `${alert.name} ${variant.severity} ${JSON.stringify(variant.labels)}`;
        if (!cases.some((c) => c.fires)) uncovered.push(`${label}: no firing case`);
        if (!cases.some((c) => !c.fires) && alert.name !== WATCHDOG) uncovered.push(`${label}: no silent case`);
      }
    }
    expect(uncovered).toEqual([]);
  });
});

const promtool = systemBinary('promtool', 'apt-get install prometheus (Debian ships promtool in it); npm test does this');
describe.skipIf(promtool.skip)('promtool', () => {
  it.each(specs.map((s) => [s.name, s] as const))('check rules accepts the rule files of the %s', (_, { spec, alerts }) => {
    const { paths } = writeAll(stackRuleFiles(spec, alerts));
    const result = runTool(promtool.path(), ['check', 'rules', '--lint=all', '--lint-fatal', ...paths]);
    expect(result.code, result.output).toBe(0);
    expect(result.output).not.toMatch(/FAILED|lint/i);
  });

  it('check rules rejects a broken expression and twins it cannot tell apart', () => {
    const broken = writeAll([{ name: 'bad.yml', content: 'groups:\n  - name: g\n    rules:\n      - alert: Broken\n        expr: rate(up[5m]\n' }]);
    expect(runTool(promtool.path(), ['check', 'rules', '--lint=all', '--lint-fatal', ...broken.paths]).code).not.toBe(0);
    const twins = writeAll([{ name: 'twins.yml', content: 'groups:\n  - name: g\n    rules:\n      - {alert: A, expr: up == 0, labels: {severity: P2}}\n      - {alert: A, expr: up == 1, labels: {severity: P2}}\n' }]);
    expect(runTool(promtool.path(), ['check', 'rules', '--lint=all', '--lint-fatal', ...twins.paths]).code).not.toBe(0);
  });

  it.each(alertCases.map((c) => [`${c.alert} ${c.severity} ${c.fires ? 'fires' : 'stays silent'}: ${c.name}`, c] as const))('test rules: %s', (_, testCase) => {
    const { dir } = writeAll(alertTestFile(specOf(testCase), testCase));
    const result = runTool(promtool.path(), ['test', 'rules', join(dir, 'test.yml')]);
    expect(result.code, result.output).toBe(0);
  });

  it('test rules: the SLI recording rules compute the ratios they claim', () => {
    const { dir } = writeAll(recordingTestFile(local));
    const result = runTool(promtool.path(), ['test', 'rules', join(dir, 'test.yml')]);
    expect(result.code, result.output).toBe(0);
  });
});

const vmalert = factoryBinary('vmalert', 'vmalert');
describe.skipIf(vmalert.skip)('vmalert', () => {
  it.each(specs.map((s) => [s.name, s] as const))('-dryRun accepts the rule files of the %s', (_, { spec, alerts }) => {
    const { paths } = writeAll(stackRuleFiles(spec, alerts));
    const result = runTool(vmalert.path(), ['-dryRun', ...paths.map((p) => `-rule=${p}`)]);
    expect(result.code, result.output).toBe(0);
  });

  it.each(specs.map((s) => [s.name, s] as const))('-dryRun parses every MetricsQL query of the %s runbooks', (_, { spec, alerts }) => {
    const fence = new RegExp('```' + FENCE.MetricsQL + '\\n([\\s\\S]*?)\\n```', 'g');
    const rules = [...runbookFiles(spec, alerts)].flatMap(([file, markdown]) => [...markdown.matchAll(fence)].map((m, i) => ({ record: `runbook_query_${i}`, expr: m[1]!, labels: { runbook: file } })));
    expect(rules.length).toBeGreaterThan(alertDefinitions(spec, alerts).length);
    const { paths } = writeAll([{ name: 'runbook-queries.yml', content: toYaml({ groups: [{ name: 'runbook-queries', rules }] }) }]);
    const result = runTool(vmalert.path(), ['-dryRun', `-rule=${paths[0]}`, '-remoteWrite.url=http://127.0.0.1:1']);
    expect(result.code, result.output).toBe(0);
  });
});

const vmalertTool = factoryBinary('vmalert-tool', 'vmalert');
describe.skipIf(vmalertTool.skip)('vmalert-tool unittest (MetricsQL semantics)', () => {
  it.each(alertCases.map((c) => [`${c.alert} ${c.severity} ${c.fires ? 'fires' : 'stays silent'}: ${c.name}`, c] as const))('%s', (_, testCase) => {
    const { dir } = writeAll(alertTestFile(specOf(testCase), testCase));
    const result = runTool(vmalertTool.path(), ['unittest', `--files=${join(dir, 'test.yml')}`, '--disableAlertgroupLabel']);
    expect(result.code, result.output).toBe(0);
  });
});

const amtool = factoryBinary('amtool', 'alertmanager');
describe.skipIf(amtool.skip)('amtool: Alertmanager routing', () => {
  const spec = defineStack({
    alerting: {
      receivers: [
        { name: 'e2e-webhook', type: 'webhook', url: 'http://webhook-sink:8080/alerts' },
        { name: 'oncall-pager', type: 'pagerduty', routes: ['page'] },
        { name: 'team-chat', type: 'slack', channel: '#alerts', routes: ['notify'] },
        { name: 'tickets', type: 'email', routes: ['ticket'], to: ['ops@example.com'], from: 'alerts@example.com', smarthost: 'smtp.example.com:587' },
      ],
    },
  });
  const { paths } = writeAll([{ name: 'alertmanager.yml', content: toYaml(alertmanagerConfig(spec)) }]);
  const routesTo = (...labels: string[]) => runTool(amtool.path(), ['config', 'routes', 'test', `--config.file=${paths[0]}`, ...labels]);

  it.each([
    ['P0', 'e2e-webhook,oncall-pager'],
    ['P1', 'e2e-webhook,oncall-pager'],
    ['P2', 'e2e-webhook,team-chat'],
    ['P3', 'e2e-webhook,tickets'],
  ])('routes severity %s to %s', (severity, receivers) => {
    const result = routesTo('alertname=ServiceErrorRateHigh', `severity=${severity}`, 'service=sample-front');
    expect(result.output.trim(), result.output).toBe(receivers);
  });

  it('sends an alert without a known severity to the default receiver, which sends nothing', () => {
    expect(routesTo('alertname=Unlabelled').output.trim()).toBe('default');
    expect(routesTo('alertname=Odd', 'severity=critical').output.trim()).toBe('default');
  });

  it('delivers the e2e error burst to the spec webhook by the page route', () => {
    const expected = errorBurstExpectation(spec);
    expect(expected.receivers).toEqual(['e2e-webhook', 'oncall-pager']);
    const result = routesTo(`alertname=${expected.alertname}`, `severity=${expected.labels.severity}`, `service=${expected.labels.service}`);
    expect(result.output.trim().split(',')).toEqual(expected.receivers);
  });
});

const alertmanager = factoryBinary('alertmanager', 'alertmanager');
describe.skipIf(alertmanager.skip)('Alertmanager itself: inhibition with the generated config', () => {
  let process: RunningProcess;
  let url: string;
  beforeAll(async () => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const spec = defineStack({ alerting: { receivers: [{ name: 'nowhere', type: 'webhook', url: `http://127.0.0.1:${await freePort()}/` }] } });
    const { dir, paths } = writeAll([{ name: 'alertmanager.yml', content: toYaml(alertmanagerConfig(spec)) }]);
    const args = [`--config.file=${paths[0]}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='];
    process = RunningProcess.start('alertmanager', alertmanager.path(), args, join(dir, 'alertmanager.log'));
    await waitForHttp(`${url}/-/ready`, process);
  });
  afterAll(async () => {
    await process?.stop(10_000);
  });

  it('holds back the warning twin and the symptoms of a backend that is down, and nothing else', async () => {
    const fire = (labels: Record<string, string>) => ({ labels, annotations: { summary: labels['alertname']! } });
    const sent = [
      fire({ alertname: 'ServiceErrorRateHigh', severity: 'P1', service: 'sample-front' }),
      fire({ alertname: 'ServiceErrorRateHigh', severity: 'P2', service: 'sample-front' }),
      fire({ alertname: 'ServiceErrorRateHigh', severity: 'P2', service: 'checkout' }),
      fire({ alertname: 'SloErrorBudgetBurn', severity: 'P3', service: 'sample-front', slo: 'sample-front-availability' }),
      fire({ alertname: 'StackComponentDown', severity: 'P1', service: 'observatory', component: 'loki' }),
      fire({ alertname: 'CollectorPersistentQueueFilling', severity: 'P1', service: 'observatory', component: 'loki' }),
      fire({ alertname: 'CollectorPersistentQueueFilling', severity: 'P1', service: 'observatory', component: 'jaeger' }),
      fire({ alertname: 'VmalertRuleEvaluationErrors', severity: 'P2', service: 'observatory', component: 'vmalert' }),
      // Twins per claim: the full claim holds back its own warning, not the warning of another claim of the namespace.
      fire({ alertname: 'KubePersistentVolumeFillingUp', severity: 'P1', service: 'shop', namespace: 'shop', persistentvolumeclaim: 'data-orders' }),
      fire({ alertname: 'KubePersistentVolumeFillingUp', severity: 'P2', service: 'shop', namespace: 'shop', persistentvolumeclaim: 'data-orders' }),
      fire({ alertname: 'KubePersistentVolumeFillingUp', severity: 'P2', service: 'shop', namespace: 'shop', persistentvolumeclaim: 'data-carts' }),
    ];
    const post = await fetch(`${url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(sent) });
    expect(post.status).toBe(200);
    type Listed = { labels: Record<string, string>; status: { inhibitedBy: string[] } };
    const identity = (labels: Record<string, string>) =>
      ['alertname', 'severity', 'service', 'component', 'persistentvolumeclaim'].flatMap((name) => labels[name] ?? []).join(' ');
    const heldOf = (listed: Listed[]) => listed.filter((a) => a.status.inhibitedBy.length > 0).map((a) => identity(a.labels)).sort();
    // Alertmanager's inhibitor learns of posted source alerts asynchronously: read until the held set stops changing.
    let alerts: Listed[] = [];
    for (let previous = '', read = 0; read < 20; read++) {
      alerts = (await (await fetch(`${url}/api/v2/alerts`)).json()) as Listed[];
      const now = JSON.stringify(heldOf(alerts));
      if (now === previous && alerts.length === sent.length) break;
      previous = now;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    const held = heldOf(alerts);
    expect(alerts).toHaveLength(sent.length);
    expect(held).toEqual([
      'CollectorPersistentQueueFilling P1 observatory loki',
      'KubePersistentVolumeFillingUp P2 shop data-orders',
      'ServiceErrorRateHigh P2 sample-front',
    ]);
  });
});

describe.skipIf(alertmanager.skip)('Alertmanager itself: an error burst on a service with an SLO pages once; the Watchdog beats elsewhere', () => {
  const notifications: { receiver: string; alerts: { labels: Record<string, string> }[] }[] = [];
  let sink: Server;
  let process: RunningProcess;
  let url: string;
  beforeAll(async () => {
    const sinkPort = await freePort();
    sink = createServer((req, res) => {
      let data = '';
      req.on('data', (chunk: Buffer) => (data += chunk.toString()));
      req.on('end', () => {
        notifications.push(JSON.parse(data) as (typeof notifications)[number]);
        res.writeHead(200).end();
      });
    }).listen(sinkPort, '127.0.0.1');
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    const spec = defineStack({ alerting: { heartbeat: true, receivers: [{ name: 'pager', type: 'webhook', url: `http://127.0.0.1:${sinkPort}/page`, routes: ['page'] }] } });
    const config = alertmanagerConfig(spec) as { receivers: { name: string; webhook_configs?: Record<string, unknown>[] }[] };
    // The heartbeat's URL is a credential file: here, one naming the same sink.
    const { dir, paths } = writeAll([{ name: 'heartbeat-url', content: `http://127.0.0.1:${sinkPort}/heartbeat` }]);
    for (const receiver of config.receivers) for (const hook of receiver.webhook_configs ?? []) if (hook['url_file']) hook['url_file'] = paths[0];
    writeFileSync(join(dir, 'alertmanager.yml'), toYaml(config));
    const args = [`--config.file=${join(dir, 'alertmanager.yml')}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='];
    process = RunningProcess.start('alertmanager', alertmanager.path(), args, join(dir, 'alertmanager.log'));
    await waitForHttp(`${url}/-/ready`, process);
  }, 60_000);
  afterAll(async () => {
    await process?.stop(10_000);
    sink?.close();
  });

  it('sends exactly one page notification for the service, and the Watchdog only to the heartbeat', async () => {
    // What the rules fire for a third of sample-front's requests failing: its SLO's page and ticket, the Watchdog.
    const burst = [
      { alertname: 'SloErrorBudgetBurn', severity: 'P1', service: 'sample-front', slo: 'sample-front-availability' },
      { alertname: 'SloErrorBudgetBurn', severity: 'P3', service: 'sample-front', slo: 'sample-front-availability' },
      { alertname: 'Watchdog', severity: 'heartbeat', service: 'observatory', component: 'alertmanager' },
    ].map((labels) => ({ labels, annotations: { summary: labels.alertname } }));
    const post = await fetch(`${url}/api/v2/alerts`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(burst) });
    expect(post.status).toBe(200);
    // The page route waits 10 s (group_wait) and sends again only after group_interval (5 m): 20 s shows the one.
    await new Promise((r) => setTimeout(r, 20_000));
    const pages = notifications.filter((n) => n.receiver === 'pager');
    expect(pages.flatMap((n) => n.alerts.map((a) => `${a.labels['alertname']} ${a.labels['severity']} ${a.labels['service']}`))).toEqual(['SloErrorBudgetBurn P1 sample-front']);
    const beats = notifications.filter((n) => n.receiver === 'heartbeat');
    expect(beats.length).toBeGreaterThanOrEqual(1);
    expect(beats.flatMap((n) => n.alerts.map((a) => a.labels['alertname']))).toEqual(beats.map(() => 'Watchdog'));
  }, 60_000);
});

