import { metricsEngine } from '../model/scale-spec.js';
import type { StackSpec } from '../model/spec.js';

/**
 * The stack's components whose `/metrics` the collector scrapes, by the name the scrape gives them
 * (`up{service_name="<component>"}`). test/unit/alerts-stack.test.ts checks this against the rendered scrape targets.
 */
export function scrapedStackComponents(spec: StackSpec): string[] {
  const c = spec.components;
  const distributed = spec.scale === 'distributed';
  const each = (names: readonly string[], enabled: boolean): [string, boolean][] => names.map((name) => [name, enabled]);
  const scraped: [string, boolean][] = [
    // Distributed: the stores' own distributed components (docs/DISTRIBUTED.md); metrics by their engine.
    ...each(metricsEngine(spec) === 'cluster' ? ['vmstorage', 'vminsert', 'vmselect'] : ['victoriametrics'], c.victoriametrics.enabled),
    ['vmalert', c.vmalert.enabled],
    ['jaeger', c.jaeger.enabled],
    ...each(distributed ? ['loki-write', 'loki-read', 'loki-backend'] : ['loki'], c.loki.enabled),
    ['grafana', c.grafana.enabled],
    ['alertmanager', c.alertmanager.enabled],
  ];
  return scraped.filter(([, enabled]) => enabled).map(([name]) => name);
}

/** The compose service / Kubernetes workload name of the collector, the `component` label of its alerts. */
export const COLLECTOR_COMPONENT = 'otel-collector';
/** The collector's sampler tier (tail sampling, span metrics, the stack's scrape). */
export const SAMPLER_COMPONENT = 'otel-sampler';
