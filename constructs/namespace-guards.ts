// CommonJS packages load through require: see docs/ARCHITECTURE.md, "Light to load".
import cdk8s = require('cdk8s');
import Chart = cdk8s.Chart;
import type { Construct } from 'constructs';

/**
 * Refuses a component construct whose chart puts its objects in another namespace than `spec.namespace`, which
 * the stack's addresses, network policies and cluster-wide names are rendered for.
 */
export function assertChartNamespace(scope: Construct, specNamespace: string): void {
  const chartNamespace = Chart.of(scope).namespace;
  if (chartNamespace !== specNamespace) {
    throw new Error(
      `${scope.node.path}: its chart puts objects in namespace ${chartNamespace === undefined ? '(none)' : `"${chartNamespace}"`} but spec.namespace is "${specNamespace}"; ` +
        `create the chart with { namespace: "${specNamespace}" } or set spec.namespace`,
    );
  }
}
