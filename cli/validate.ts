import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import yaml from 'js-yaml';
import { replicaServices } from '../compose/render.js';
import { composeSchemaProblems } from '../compose/schema-check.js';
import { allObjects } from '../constructs/manifests.js';
import { kubernetesSchemaProblems } from '../constructs/schema-check.js';
import { queriesOf, queryExpressionProblems } from '../dashboards/dashboard-queries.js';
import { runsOn } from '../model/component.js';
import type { StackSpec } from '../model/spec.js';
import { renderStack, type RenderedStack } from './render.js';

/** Schema problems of everything rendered: Kubernetes 1.28 objects and the compose document. */
export function renderedProblems(rendered: RenderedStack): string[] {
  const compose = yaml.load(rendered.compose.files.get('compose.yaml')!);
  return [...kubernetesSchemaProblems(allObjects(rendered.kubernetes)), ...composeSchemaProblems(compose)];
}

/** `observatory validate`: renders the spec in memory and checks it all; prints the outcome, returns the exit code. */
export function validateStack(spec: StackSpec): number {
  const rendered = renderStack(spec);
  const problems = renderedProblems(rendered);
  if (problems.length) {
    console.error(`observatory: ${problems.length} schema problem(s) in the rendered stack:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    return 1;
  }
  // A single-valued variable without "All" (the Traces dashboard's service) needs some value to be checked with.
  // The dashboards as rendered (what Grafana gets), not built a second time.
  const dashboards = [...rendered.dashboards.values()].map((json) => JSON.parse(json) as Dashboard);
  const queries = queriesOf(dashboards, { fallbacks: { service: 'any-service' } });
  const expressionIssues = queryExpressionProblems(queries);
  if (expressionIssues.length) {
    console.error(`observatory: ${expressionIssues.length} problem(s) in dashboard queries:\n${expressionIssues.map((p) => `  - ${p}`).join('\n')}`);
    return 1;
  }
  const objects = [...rendered.kubernetes.files.values()].flat().length;
  console.log(
    `observatory: spec ok (${spec.environment}); ${objects} Kubernetes objects and ${rendered.components.filter((c) => runsOn(c, 'compose')).flatMap(replicaServices).length} compose services pass their schemas, ` +
      `${queries.length} dashboard queries parse`,
  );
  return 0;
}
