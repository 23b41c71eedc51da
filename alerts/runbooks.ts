import type { StackSpec } from '../model/spec.js';
import { alertDefinitions } from './rule-files.js';
import type { AlertDefinition, RunbookQuery } from './rule-model.js';
import { runbookFile } from './runbook-url.js';
import { routeNameOf } from './severity.js';

/** The fence language of each query kind: GitHub and most viewers highlight `promql`, `logql` and `sh`. */
export const FENCE: Record<RunbookQuery['language'], string> = { MetricsQL: 'promql', LogQL: 'logql', Jaeger: 'text', Shell: 'sh' };

const WHERE: Record<RunbookQuery['language'], string> = {
  MetricsQL: 'Grafana → Explore → VictoriaMetrics (or vmui, port 8428 `/vmui`)',
  LogQL: 'Grafana → Explore → Loki',
  Jaeger: 'Jaeger UI (port 16686) → Search',
  Shell: 'a shell with access to the cluster or the compose folder',
};

const fence = (language: string, text: string) => `\`\`\`${language}\n${text}\n\`\`\``;
const bullets = (items: readonly string[]) => items.map((i) => `- ${i}`).join('\n');

function variantTable(alert: AlertDefinition): string {
  const rows = alert.variants.map((v) => {
    const extra = Object.entries(v.labels).map(([k, value]) => `${k}=${value}`).join(', ');
    return `| ${v.severity} | ${routeNameOf(v.severity)} | ${v.for} | \`${extra.replace(/\|/g, '\\|')}\` |`;
  });
  const unique = [...new Set(rows)];
  return ['| severity | Alertmanager route | for | labels |', '| --- | --- | --- | --- |', ...unique].join('\n');
}

/** One alert's runbook in Markdown: what it means, what to run, why it happens, what to do, and its rules. */
export function renderRunbook(alert: AlertDefinition): string {
  const { runbook } = alert;
  const capitalized = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
  const steps = runbook.investigate.map((q, i) => `${i + 1}. ${capitalized(q.purpose)} (${WHERE[q.language]}):\n\n${fence(FENCE[q.language], q.query)}`);
  const inhibited = (alert.symptomOf ?? []).map((s) => {
    const when = Object.entries(s.when ?? {}).map(([k, v]) => `${k}="${v}"`);
    const same = s.equal.length > 0 ? ` for the same ${s.equal.join(', ')}` : '';
    return `Alertmanager holds this alert back while \`${s.alert}\`${when.length > 0 ? `{${when.join(', ')}}` : ''} fires${same}: that one is the cause.`;
  });
  const twins = alert.variants.some((v) => v.severity !== alert.variants[0]!.severity)
    ? ['A more severe instance of this alert holds back its less severe twin with the same labels.']
    : [];
  return [
    `# ${alert.name}`,
    variantTable(alert),
    `## What it means\n\n${runbook.meaning}`,
    ...(inhibited.length + twins.length > 0 ? [`## Related alerts\n\n${bullets([...inhibited, ...twins])}`] : []),
    `## Investigate\n\n${steps.join('\n\n')}`,
    `## Common causes\n\n${bullets(runbook.causes)}`,
    `## Mitigation\n\n${bullets(runbook.mitigation)}`,
    `## The rule${alert.variants.length > 1 ? 's' : ''}\n\n${alert.variants.map((v) => fence('promql', `# ${v.severity}, for ${v.for}\n${v.expr}`)).join('\n\n')}`,
  ].join('\n\n') + '\n';
}

/** Runbook files, `<alert>.md` → Markdown, for every alert of the spec. */
export function runbookFiles(spec: StackSpec, userAlerts: readonly AlertDefinition[] = []): Map<string, string> {
  return new Map(alertDefinitions(spec, userAlerts).map((alert) => [runbookFile(alert.name), renderRunbook(alert)]));
}
