import type { AlertLevel } from './severity.js';

/** A query a runbook tells the reader to run, in the language of the tool that runs it. */
export interface RunbookQuery {
  /**
   * `MetricsQL`: Grafana Explore on the VictoriaMetrics datasource (or vmui); `LogQL`: Explore on Loki (the services'
   * logs; the stack's own components log to stdout, not to Loki); `Jaeger`: the Jaeger UI search; `Shell`: a command.
   */
  readonly language: 'MetricsQL' | 'LogQL' | 'Jaeger' | 'Shell';
  /** What the answer tells you. */
  readonly purpose: string;
  /** The query itself (for Jaeger, the search form's fields). */
  readonly query: string;
}

/** What an on-call engineer reads when the alert fires; rendered to `runbooks/<alert>.md`. */
export interface Runbook {
  readonly meaning: string;
  readonly investigate: readonly RunbookQuery[];
  readonly causes: readonly string[];
  readonly mitigation: readonly string[];
}

/**
 * One rule of an alert. An alert can have several (twins at different severities, or one per SLO);
 * they share the alert name, the runbook and the inhibition.
 */
export interface AlertVariant {
  /** PromQL that both vmalert (MetricsQL) and Prometheus accept. */
  readonly expr: string;
  readonly for: string;
  readonly severity: AlertLevel;
  /** Labels besides `severity`; `service` is required (templated from the series or fixed). */
  readonly labels: { readonly service: string } & Readonly<Record<string, string>>;
  readonly summary: string;
  readonly description: string;
}

/** Alerts that are symptoms of another alert's cause: Alertmanager holds them back while that one fires. */
export interface SymptomOf {
  /** The alert that explains this one. */
  readonly alert: string;
  /** Label values that alert must have (e.g. `component: victoriametrics`); default any. */
  readonly when?: Readonly<Record<string, string>>;
  /** Labels both must share (e.g. the `component` that is down); empty: any firing instance explains it. */
  readonly equal: readonly string[];
}

export interface AlertDefinition {
  /** The `alertname`, in PascalCase; also the runbook's file name. */
  readonly name: string;
  readonly variants: readonly AlertVariant[];
  readonly runbook: Runbook;
  readonly symptomOf?: readonly SymptomOf[];
  /**
   * Labels of the expression's series that tell one firing instance from another (e.g. `namespace` and
   * `persistentvolumeclaim` for an alert per claim). A more severe twin holds back a less severe one only when
   * `alertname`, `service`, `component`, `slo` and these labels are all equal; without them, a P1 on one claim would
   * hold back the P2 of another claim of the same `service`.
   * @default [] (instances differ only by `service`, `component` and `slo`)
   */
  readonly instanceLabels?: readonly string[];
}

export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/** A group of rules vmalert evaluates together, at the stack's evaluation interval. */
export interface RuleGroup {
  readonly name: string;
  readonly recordings: readonly RecordingRule[];
  readonly alerts: readonly AlertDefinition[];
}

/** One rule file: `<name>` under vmalert's rules folder. */
export interface RuleFileModel {
  readonly name: string;
  /** Rules whose series only a Kubernetes deployment of the stack collects: loaded there only. */
  readonly kubernetesOnly?: boolean;
  readonly groups: readonly RuleGroup[];
}
