import { toYaml } from '../constructs/describe.js';
import { SpecError } from '../model/errors.js';
import type { StackSpec } from '../model/spec.js';
import type { AlertDefinition, RuleFileModel, RuleGroup } from './rule-model.js';
import { kubernetesAlerts } from './kubernetes-alerts.js';
import { runbookUrl } from './runbook-url.js';
import { serviceAlerts } from './service-alerts.js';
import { sloRuleGroups } from './slo-rules.js';
import { stackAlerts } from './stack-alerts.js';
import { watchdog } from './watchdog.js';

export interface RuleFile {
  readonly name: string;
  readonly content: string;
  /** Loaded only on Kubernetes (its series come from the cluster's receivers). */
  readonly kubernetesOnly: boolean;
}

/**
 * The typed rule files of a spec: the stack's own alerts, the alerts on every service, the SLOs', the cluster's
 * workloads', and the user's own (`custom.yml`). Empty groups and files are left out. A user alert named like
 * another alert is refused.
 */
export function ruleFileModels(spec: StackSpec, userAlerts: readonly AlertDefinition[] = []): RuleFileModel[] {
  const hasAlertmanager = spec.components.vmalert.enabled && spec.components.alertmanager.enabled;
  const files: RuleFileModel[] = [
    { name: 'stack.yml', groups: [{ name: 'observatory-stack', recordings: [], alerts: [...stackAlerts(spec), ...(hasAlertmanager ? [watchdog] : [])] }] },
    { name: 'services.yml', groups: [{ name: 'services', recordings: [], alerts: serviceAlerts(spec) }] },
    { name: 'slos.yml', groups: sloRuleGroups(spec) },
    { name: 'kubernetes.yml', kubernetesOnly: true, groups: [{ name: 'kubernetes-workloads', recordings: [], alerts: kubernetesAlerts(spec) }] },
    { name: 'custom.yml', groups: [{ name: 'custom', recordings: [], alerts: [...userAlerts] }] },
  ];
  const names = new Set<string>();
  for (const alert of files.flatMap((f) => f.groups.flatMap((g) => g.alerts))) {
    if (names.has(alert.name)) throw new Error(`alerts: "${alert.name}" is defined twice (a user alert needs a name of its own)`);
    if (!/^[A-Z][A-Za-z0-9]*$/.test(alert.name)) throw new Error(`alerts: expected an alert name in PascalCase (also its runbook's file name), got "${alert.name}"`);
    for (const label of alert.instanceLabels ?? []) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(label)) throw new Error(`alerts: ${alert.name}.instanceLabels: expected label names, got "${label}"`);
      if (label === 'severity') throw new Error(`alerts: ${alert.name}.instanceLabels: "severity" cannot be one (twins differ by it, so none would hold back another)`);
    }
    names.add(alert.name);
  }
  checkOverrides(spec, names);
  return files
    .map((file) => ({ ...file, groups: file.groups.map((g) => ({ ...g, alerts: g.alerts.flatMap((a) => overridden(spec, a)) })) }))
    .map((file) => ({ ...file, groups: file.groups.filter((g) => g.recordings.length + g.alerts.length > 0) }))
    .filter((file) => file.groups.length > 0);
}

/** The spec's overrides name alerts this stack has; a problem is a `SpecError` led by its path, like the spec's own. */
function checkOverrides(spec: StackSpec, names: ReadonlySet<string>): void {
  const problems: string[] = [];
  for (const [name, override] of Object.entries(spec.alerting.overrides)) {
    if (!names.has(name)) problems.push(`alerting.overrides.${name}: no alert of that name in this stack; known: ${[...names].sort().join(', ')}`);
    if (name === watchdog.name && override.disabled && spec.alerting.heartbeat) {
      problems.push(`alerting.overrides.${name}.disabled: the Watchdog is alerting.heartbeat's beat (its dead man's switch would page); turn alerting.heartbeat off first`);
    }
  }
  if (problems.length > 0) throw new SpecError(problems);
}

/** The alert as `alerting.overrides` tunes it: gone when disabled, every variant's `for` replaced when given. */
function overridden(spec: StackSpec, alert: AlertDefinition): AlertDefinition[] {
  const override = spec.alerting.overrides[alert.name];
  if (!override) return [alert];
  if (override.disabled) return [];
  const holdFor = override.for;
  return [holdFor === undefined ? alert : { ...alert, variants: alert.variants.map((v) => ({ ...v, for: holdFor })) }];
}

/** Every alert the spec defines (and the user's), once per alert name. */
export function alertDefinitions(spec: StackSpec, userAlerts: readonly AlertDefinition[] = []): AlertDefinition[] {
  return ruleFileModels(spec, userAlerts).flatMap((file) => file.groups.flatMap((group) => group.alerts));
}

/** A group in the Prometheus rule-file format; the interval is vmalert's `-evaluationInterval`. */
function renderGroup(spec: StackSpec, group: RuleGroup): Record<string, unknown> {
  return {
    name: group.name,
    rules: [
      ...group.recordings.map((r) => ({ record: r.record, expr: r.expr, ...(r.labels ? { labels: r.labels } : {}) })),
      ...group.alerts.flatMap((alert) =>
        alert.variants.map((v) => ({
          alert: alert.name,
          expr: v.expr,
          for: v.for,
          labels: { severity: v.severity, ...v.labels },
          annotations: { summary: v.summary, description: v.description, runbook_url: runbookUrl(spec, alert.name) },
        })),
      ),
    ],
  };
}

/** A rule file in the Prometheus rule-file format (read by vmalert, Prometheus and `promtool`). */
export function renderRuleFile(spec: StackSpec, file: RuleFileModel): RuleFile {
  return { name: file.name, content: toYaml({ groups: file.groups.map((g) => renderGroup(spec, g)) }), kubernetesOnly: file.kubernetesOnly ?? false };
}

/** The rule files vmalert loads. */
export function stackRuleFiles(spec: StackSpec, userAlerts: readonly AlertDefinition[] = []): RuleFile[] {
  return ruleFileModels(spec, userAlerts).map((file) => renderRuleFile(spec, file));
}
