import { App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import * as observatory from '../../index.js';

describe('the package root', () => {
  it('exports the spec, the constructs and the renderers', () => {
    for (const name of ['defineStack', 'ObservabilityStack', 'Loki', 'Jaeger', 'VictoriaMetrics', 'VmAlert', 'Grafana', 'Alertmanager', 'GlitchTip', 'Umami', 'OtelCollector', 'renderCompose', 'CollectorConfigBuilder']) {
      expect(observatory, name).toHaveProperty(name);
    }
  });

  it('lets another repo compose a single component construct into its own chart', () => {
    const app = new App();
    const chart = new Chart(app, 'theirs', { namespace: 'telemetry' });
    const spec = observatory.defineStack({ environment: 'dev', namespace: 'telemetry' });
    new observatory.Loki(chart, 'loki', { spec });
    const kinds = chart.toJson().map((o: { kind: string }) => o.kind).sort();
    // Two Services: the one clients use and the StatefulSet's headless governing Service.
    expect(kinds).toEqual(['ConfigMap', 'Service', 'Service', 'StatefulSet']);
    expect(observatory.kubernetesSchemaProblems(chart.toJson())).toEqual([]);
  });
});
