/**
 * The test's own workloads on the cluster, outside the stack's namespace: the sample app (front and back, the
 * same program the compose end-to-end test runs) sending OTLP to the collector's Service, and the webhook
 * receiver Alertmanager delivers to. All of them satisfy Pod Security "restricted".
 */
import { imageTag } from '../images/build.js';
import { PROBE_IMAGE, SAMPLE_APP_IMAGE } from './cluster-images.js';
import { oneReplicaDeployment, restrictedContainer, restrictedNamespace, restrictedServerPod } from './manifests.js';

export const SAMPLE_NAMESPACE = 'observatory-sample';
export const TEST_NAMESPACE = 'observatory-test';
export const WEBHOOK_URL = `http://webhook-sink.${TEST_NAMESPACE}.svc.cluster.local:8080/hook`;
/** The collector gateway's OTLP/HTTP endpoint as another namespace's workload reaches it. */
export const OTLP_HTTP_IN_CLUSTER = 'http://otel-collector.observability.svc.cluster.local:4318';

function deployment(ns: string, name: string, image: string, uid: number, port: number, env: Record<string, string>, readyPath: string): object[] {
  const labels = { app: name };
  return [
    oneReplicaDeployment(
      name,
      ns,
      labels,
      restrictedServerPod(
        { name, image, uid, ports: [{ containerPort: port, name: 'http' }], ready: { path: readyPath, port }, env: Object.entries(env).map(([k, value]) => ({ name: k, value })) },
        { automountServiceAccountToken: false },
      ),
      labels,
    ),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: ns, labels },
      spec: { selector: labels, ports: [{ name: 'http', port, targetPort: port }] },
    },
  ];
}

export function webhookSinkManifests(): object[] {
  return [restrictedNamespace(TEST_NAMESPACE), ...deployment(TEST_NAMESPACE, 'webhook-sink', imageTag('webhook-sink'), 65534, 8080, {}, '/health')];
}

/** The gateway's OTLP/HTTP endpoint of the stack in `namespace`, as another namespace's workload reaches it. */
export const otlpHttpInCluster = (namespace: string): string => `http://otel-collector.${namespace}.svc.cluster.local:4318`;

/**
 * The sample app (front and back) in `namespace` (default: the dev stack's sample namespace), sending to `otlpEndpoint`
 * (default: the dev stack's gateway).
 */
export function sampleAppManifests(namespace: string = SAMPLE_NAMESPACE, otlpEndpoint: string = OTLP_HTTP_IN_CLUSTER): object[] {
  const common = {
    SERVICE_VERSION: '1.0.0-cluster',
    DEPLOYMENT_ENVIRONMENT: 'cluster',
    BIND: '0.0.0.0',
    PORT: '8080',
    OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint,
    METRIC_EXPORT_INTERVAL_MS: '2000',
  };
  return [
    restrictedNamespace(namespace),
    ...deployment(namespace, 'sample-back', SAMPLE_APP_IMAGE, 10001, 8080, { ...common, SERVICE_NAME: 'sample-back', ROLE: 'back' }, '/ready'),
    ...deployment(
      namespace,
      'sample-front',
      SAMPLE_APP_IMAGE,
      10001,
      8080,
      { ...common, SERVICE_NAME: 'sample-front', ROLE: 'front', BACKEND_URL: `http://sample-back.${namespace}.svc.cluster.local:8080` },
      '/ready',
    ),
  ];
}

/** A one-container pod of the probe image (sleeps unless told otherwise), admitted by Pod Security "restricted". */
export function probePodManifest(name: string, namespace: string, labels: Record<string, string>, command: readonly string[], extra: Record<string, unknown> = {}): object {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: {
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: 0,
      restartPolicy: 'Never',
      containers: [
        {
          name: 'probe',
          image: PROBE_IMAGE,
          imagePullPolicy: 'Never',
          command,
          securityContext: restrictedContainer(65532),
          resources: { requests: { cpu: '5m', memory: '16Mi' }, limits: { cpu: '200m', memory: '64Mi' } },
          ...extra,
        },
      ],
    },
  };
}
