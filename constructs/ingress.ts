import { Construct } from 'constructs';
import { KubeIngress } from 'cdk8s-plus-28/lib/imports/k8s.js';
import { runsOn, type Component } from '../model/component.js';
import type { StackSpec } from '../model/spec.js';
import { componentLabels } from './labels.js';

/** Largest request body the ingress passes on: OTLP batches and Sentry envelopes exceed nginx's 1 MiB default. */
const MAX_BODY = '16m';

/** The public hosts of a stack: `<host>.<domain>` for every port a component serves through the ingress. */
export function publicHosts(spec: StackSpec, components: readonly Component[]): { component: Component; port: number; host: string }[] {
  if (!spec.ingress.enabled || !spec.ingress.domain) return [];
  return components
    .filter((c) => runsOn(c, 'kubernetes'))
    .flatMap((component) =>
      component.ports.flatMap((port) => (port.ingress ? [{ component, port: port.port, host: `${port.ingress.host}.${spec.ingress.domain}` }] : [])),
    );
}

/**
 * One Ingress per public port, for the ingress controller of `spec.ingress.className`, with a certificate
 * from cert-manager's ClusterIssuer when TLS is on. Only ports whose component authenticates every request
 * are public; the stores (VictoriaMetrics, Loki, Jaeger, Alertmanager) never are.
 */
export class StackIngresses extends Construct {
  constructor(scope: Construct, id: string, props: { readonly spec: StackSpec; readonly components: readonly Component[] }) {
    super(scope, id);
    const { spec } = props;
    const annotations: Record<string, string> = {
      ...(spec.ingress.tls ? { 'cert-manager.io/cluster-issuer': spec.ingress.clusterIssuer } : {}),
      ...(spec.ingress.className === 'nginx'
        ? {
            'nginx.ingress.kubernetes.io/proxy-body-size': MAX_BODY,
            ...(spec.ingress.tls ? { 'nginx.ingress.kubernetes.io/force-ssl-redirect': 'true' } : {}),
          }
        : {}),
    };
    for (const { component, port, host } of publicHosts(spec, props.components)) {
      const name = component.ports.filter((p) => p.ingress).length > 1 ? `${component.name}-${port}` : component.name;
      new KubeIngress(this, name, {
        metadata: { name, labels: componentLabels(spec, component), annotations },
        spec: {
          ingressClassName: spec.ingress.className,
          rules: [
            {
              host,
              http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: component.name, port: { number: port } } } }] },
            },
          ],
          ...(spec.ingress.tls ? { tls: [{ hosts: [host], secretName: `${name}-tls` }] } : {}),
        },
      });
    }
  }
}
