import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'cdk8s';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { stackRuleFiles } from '../../alerts/rule-files.js';
import type { AlertDefinition } from '../../alerts/rule-model.js';
import { runbookFiles } from '../../alerts/runbooks.js';
import type { KubeObject } from '../../constructs/schema-check.js';
import { ObservabilityStack } from '../../constructs/stack.js';
import { defineStack } from '../../model/define.js';
import { checkoutBacklog } from '../consumer/app/checkout-alert.js';
import { runTool, systemBinary } from '../helpers/tools.js';

const spec = defineStack({ environment: 'staging', alerting: { runbookBaseUrl: 'https://git.example.com/ops/runbooks' } });
const promtool = systemBinary('promtool', 'apt-get install prometheus (Debian ships promtool in it); npm test does this');

describe('user alerts', () => {
  const stack = new ObservabilityStack(new App({ outdir: '/nonexistent-cdk8s-outdir' }), 'observability', { spec, alerts: [checkoutBacklog] });
  const rulesConfigMap = (stack.toJson() as KubeObject[]).find((o) => o.kind === 'ConfigMap' && JSON.stringify(o).includes('custom.yml')) as { data: Record<string, string> } | undefined;

  it('land in vmalert\'s rule files as custom.yml, with severity, service and runbook_url', () => {
    expect(rulesConfigMap).toBeDefined();
    const groups = (yaml.load(rulesConfigMap!.data['custom.yml']!) as { groups: { name: string; rules: any[] }[] }).groups;
    expect(groups).toEqual([
      {
        name: 'custom',
        rules: [
          {
            alert: 'CheckoutQueueBacklog',
            expr: 'sum(checkout_queue_depth) > 1000',
            for: '10m',
            labels: { severity: 'P2', service: 'checkout' },
            annotations: {
              summary: 'The checkout queue holds more than 1000 orders',
              description: 'Orders wait {{ $value }} deep in the checkout queue.',
              runbook_url: 'https://git.example.com/ops/runbooks/CheckoutQueueBacklog.md',
            },
          },
        ],
      },
    ]);
    expect(Object.keys(rulesConfigMap!.data)).toEqual(expect.arrayContaining(['stack.yml', 'services.yml', 'custom.yml']));
  });

  it('get a runbook like the shipped alerts', () => {
    const runbook = runbookFiles(spec, [checkoutBacklog]).get('CheckoutQueueBacklog.md')!;
    for (const section of ['## What it means', '## Investigate', '## Common causes', '## Mitigation', '## The rule']) expect(runbook).toContain(section);
    expect(runbook).toContain('deriv(sum(checkout_queue_depth)[15m])');
  });

  it('are held back by the cause they name (symptomOf), like the shipped alerts', () => {
    const symptom: AlertDefinition = { ...checkoutBacklog, name: 'CheckoutWorkersSilent', symptomOf: [{ alert: 'CheckoutQueueBacklog', equal: ['service'] }] };
    const withSymptom = new ObservabilityStack(new App({ outdir: '/nonexistent-cdk8s-outdir' }), 'observability', { spec, alerts: [checkoutBacklog, symptom] });
    const config = (withSymptom.toJson() as KubeObject[]).find((o) => o.kind === 'ConfigMap' && JSON.stringify(o).includes('alertmanager.yml')) as unknown as { data: Record<string, string> };
    const inhibitions = (yaml.load(config.data['alertmanager.yml']!) as { inhibit_rules: { source_matchers: string[]; target_matchers: string[]; equal?: string[] }[] }).inhibit_rules;
    expect(inhibitions).toContainEqual({ source_matchers: ['alertname="CheckoutQueueBacklog"'], target_matchers: ['alertname=~"CheckoutWorkersSilent"'], equal: ['service'] });
  });

  it('add their instanceLabels to what a more severe twin must share to hold back a less severe one', () => {
    const perQueue: AlertDefinition = { ...checkoutBacklog, name: 'CheckoutQueueStuck', instanceLabels: ['queue', 'namespace'] };
    const withTwins = new ObservabilityStack(new App({ outdir: '/nonexistent-cdk8s-outdir' }), 'observability', { spec, alerts: [perQueue] });
    const config = (withTwins.toJson() as KubeObject[]).find((o) => o.kind === 'ConfigMap' && JSON.stringify(o).includes('alertmanager.yml')) as unknown as { data: Record<string, string> };
    const inhibitions = (yaml.load(config.data['alertmanager.yml']!) as { inhibit_rules: { source_matchers: string[]; equal?: string[] }[] }).inhibit_rules;
    const twinRule = inhibitions.find((rule) => rule.source_matchers[0] === 'severity="P1"');
    // The shipped alerts' own (a claim's namespace and name) and the user's, each once.
    expect(twinRule?.equal).toEqual(['alertname', 'service', 'component', 'slo', 'namespace', 'persistentvolumeclaim', 'queue']);
  });

  it('are refused with instanceLabels that are not label names, or that name severity', () => {
    expect(() => stackRuleFiles(spec, [{ ...checkoutBacklog, instanceLabels: ['queue-name'] }])).toThrow('alerts: CheckoutQueueBacklog.instanceLabels: expected label names, got "queue-name"');
    expect(() => stackRuleFiles(spec, [{ ...checkoutBacklog, instanceLabels: ['severity'] }])).toThrow('alerts: CheckoutQueueBacklog.instanceLabels: "severity" cannot be one');
  });

  it('are refused when their name is taken or not PascalCase', () => {
    expect(() => stackRuleFiles(spec, [{ ...checkoutBacklog, name: 'ServiceErrorRateHigh' }])).toThrow('alerts: "ServiceErrorRateHigh" is defined twice');
    expect(() => stackRuleFiles(spec, [{ ...checkoutBacklog, name: 'checkout-backlog' }])).toThrow('alerts: expected an alert name in PascalCase');
  });

  it.skipIf(promtool.skip)('pass promtool check rules', () => {
    const dir = mkdtempSync(join(tmpdir(), 'observatory-user-alerts-'));
    try {
      const file = join(dir, 'custom.yml');
      writeFileSync(file, rulesConfigMap!.data['custom.yml']!);
      const result = runTool(promtool.path(), ['check', 'rules', file]);
      expect(result.output).toContain('SUCCESS: 1 rules found');
      expect(result.code).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
