// An infra repo's cdk8s app, as a new user writes it from the README: the observability stack with a spec of its
// own, and the team's own workload in its own chart.
import { App, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-28';
import { dashboardFiles, defaultDashboards, defineStack, metricsQuery, observatoryDashboard, ObservabilityStack, runbookFiles, timeSeriesPanel } from 'observatory';
import { checkoutBacklog } from './checkout-alert.js';

const app = new App({ outdir: process.argv[2] ?? 'manifests', outputFileExtension: '.yaml' });

const spec = defineStack({
  environment: 'staging',
  namespace: 'telemetry',
  retention: { logs: '21d' },
  components: { umami: { enabled: false }, glitchtip: { enabled: false } },
  slos: [{ name: 'checkout-availability', service: 'checkout', objective: 99.5, sli: { kind: 'availability' } }],
  pods: {
    nodeSelector: { 'node-pool': 'observability' },
    tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'observability', effect: 'NoSchedule' }],
    priorityClassName: 'platform-high',
    imagePullSecrets: ['mirror-pull'],
    components: { loki: { nodeSelector: { 'node-pool': 'storage' } } },
  },
});
const checkoutDashboard = observatoryDashboard({
  uid: 'checkout',
  title: 'Checkout',
  description: 'The checkout service.',
  variables: [],
  rows: [{ title: 'Queue', panels: [timeSeriesPanel({ title: 'Queue depth', description: 'Orders waiting.', unit: 'short', queries: [metricsQuery('sum(checkout_queue_depth)')] })] }],
});
const observability = new ObservabilityStack(app, 'observability', {
  spec,
  alerts: [checkoutBacklog],
  dashboards: dashboardFiles([...defaultDashboards(spec).filter((d) => d.uid !== 'observatory-nodejs-runtime'), checkoutDashboard]),
});
const runbooks = runbookFiles(spec, [checkoutBacklog]);

const { otlpHttp, grafanaUrl } = observability.clusterEndpoints;

// The team's service, in its own namespace, sends its telemetry to the stack's collector.
const shop = new Chart(app, 'shop', { namespace: 'shop' });
new kplus.Deployment(shop, 'checkout', {
  containers: [
    {
      image: 'registry.example.com/shop/checkout:1.4.2',
      portNumber: 8080,
      envVariables: {
        OTEL_SERVICE_NAME: kplus.EnvValue.fromValue('checkout'),
        OTEL_EXPORTER_OTLP_ENDPOINT: kplus.EnvValue.fromValue(otlpHttp),
        GRAFANA_URL: kplus.EnvValue.fromValue(grafanaUrl),
      },
      securityContext: { user: 10001, group: 10001 },
    },
  ],
});

// A job of the platform team that runs next to the stack, in its namespace, and reports its own telemetry.
const platform = new Chart(app, 'platform', { namespace: spec.namespace });
const exporter = new kplus.Deployment(platform, 'cost-exporter', {
  containers: [{ image: 'registry.example.com/platform/cost-exporter:0.3.0', envVariables: { OTEL_EXPORTER_OTLP_ENDPOINT: kplus.EnvValue.fromValue(otlpHttp) }, securityContext: { user: 10001, group: 10001 } }],
});
observability.allowTelemetryFrom(exporter);

console.log(JSON.stringify({ stackNamespace: observability.spec.namespace, components: observability.components.map((c) => c.name), runbooks: [...runbooks.keys()] }));
app.synth();
