import { toYaml } from '../constructs/describe.js';
import type { StackSpec } from '../model/spec.js';

export interface RuleFile {
  readonly name: string;
  readonly content: string;
}

interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: Record<string, string>;
  readonly annotations: Record<string, string>;
}

/** Rules that watch the stack itself. */
function stackRules(): AlertingRule[] {
  return [
    {
      alert: 'ObservabilityTargetDown',
      expr: 'up == 0',
      for: '2m',
      labels: { severity: 'P1', service: 'observatory' },
      annotations: {
        summary: '{{ $labels.job }} at {{ $labels.instance }} is not answering its metrics scrape',
        description: 'The collector could not scrape {{ $labels.instance }} for 2 minutes: the component is down or unreachable.',
        runbook_url: 'runbooks/ObservabilityTargetDown.md',
      },
    },
  ];
}

/** The rule files vmalert loads (Prometheus rule-file format). */
export function stackRuleFiles(_spec: StackSpec): RuleFile[] {
  return [{ name: 'stack.yml', content: toYaml({ groups: [{ name: 'observatory-stack', interval: '30s', rules: stackRules() }] }) }];
}
