/**
 * What `pulumi up` of the test stack must have produced: the stack outputs and the state, compared with what the
 * program renders for the same config (the chart's objects and Secrets), each difference one line.
 */
import { componentGroups, componentsOf } from '../../constructs/components.js';
import { defaultDashboardFiles } from '../../dashboards/defaults.js';
import { secretsOf } from '../../model/secrets.js';
import { stackEndpoints, type StackEndpoints } from '../../stacks/endpoints.js';
import { renderChart } from '../../stacks/render.js';
import { GRAFANA } from '../../constructs/grafana.js';
import type { TestStackConfig } from './stack-config.js';

export interface ExpectedStack {
  readonly endpoints: StackEndpoints;
  /** Kubernetes resources: every rendered object plus every Secret the program writes. */
  readonly kubernetesResources: number;
  readonly secretNames: readonly string[];
  readonly grafanaPassword: string;
  readonly kubeconfig: string;
}

export function expectedStack(config: TestStackConfig): ExpectedStack {
  const groups = componentGroups({ spec: config.spec, dashboards: defaultDashboardFiles(config.spec) });
  const objects = renderChart(config.spec, groups, { createNamespace: true });
  const secretNames = secretsOf(componentsOf(groups)).map((s) => s.name);
  return {
    endpoints: stackEndpoints(objects),
    kubernetesResources: objects.length + secretNames.length,
    secretNames,
    grafanaPassword: config.secretValues[GRAFANA.adminSecret]?.['password'] ?? '',
    // `pulumi config set` drops one trailing newline of what it reads from stdin.
    kubeconfig: config.kubeconfig.replace(/\r?\n$/, ''),
  };
}

/** `pulumi stack output --json --show-secrets` against the expectation (secret values are never printed). */
export function outputProblems(outputs: Record<string, unknown>, expected: ExpectedStack): string[] {
  const plain: Record<string, unknown> = { ...expected.endpoints };
  const secret: Record<string, string> = { kubeconfig: expected.kubeconfig, grafanaAdminPassword: expected.grafanaPassword };
  const problems: string[] = [];
  for (const [key, value] of Object.entries(plain)) {
    if (outputs[key] !== value) problems.push(`output ${key}: expected ${JSON.stringify(value)}, got ${JSON.stringify(outputs[key]) ?? 'none'}`);
  }
  for (const [key, value] of Object.entries(secret)) {
    if (outputs[key] !== value) problems.push(`output ${key}: ${key in outputs ? 'differs from' : 'missing, expected'} the configured value`);
  }
  const unexpected = Object.keys(outputs).filter((k) => !(k in plain) && !(k in secret));
  for (const key of unexpected) problems.push(`output ${key}: not expected (no ingress; GlitchTip and Umami off), got ${JSON.stringify(outputs[key])}`);
  return problems;
}

interface StateExport {
  deployment?: { resources?: { type: string; urn: string }[] };
}

/** `pulumi stack export` against the expectation: every object in the state once, nothing of random. */
export function stateProblems(state: StateExport, expected: ExpectedStack): string[] {
  const resources = state.deployment?.resources ?? [];
  const problems: string[] = [];
  const random = resources.filter((r) => r.type.startsWith('random:') || r.type === 'pulumi:providers:random');
  if (random.length > 0) problems.push(`random resources in the state: ${random.map((r) => r.urn).join(', ')}`);
  const kubernetes = resources.filter((r) => r.type.startsWith('kubernetes:'));
  if (kubernetes.length !== expected.kubernetesResources) {
    problems.push(`${kubernetes.length} Kubernetes resources in the state, expected ${expected.kubernetesResources} (the rendered objects and Secrets)`);
  }
  for (const name of expected.secretNames) {
    if (!kubernetes.some((r) => r.type === 'kubernetes:core/v1:Secret' && r.urn.endsWith(`/${name}`))) problems.push(`Secret ${name}: not in the state`);
  }
  return problems;
}
