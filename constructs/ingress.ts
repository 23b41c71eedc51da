// CommonJS packages load through require: see docs/ARCHITECTURE.md, "Light to load".
import k8s = require('cdk8s-plus-28/lib/imports/k8s.js');
import constructs = require('constructs');
import KubeIngress = k8s.KubeIngress;
import Construct = constructs.Construct;
import { runsOn, type Component } from '../model/component.js';
import type { StackSpec } from '../model/spec.js';
import { componentLabels } from './labels.js';

/** Largest request body the ingress passes on: OTLP batches and Sentry envelopes exceed nginx's 1 MiB default. */
const MAX_BODY = '16m';

/** The Ingress annotations one ingress controller needs, given whether the Ingress terminates TLS. */
export type ControllerAnnotations = (tls: boolean) => Readonly<Record<string, string>>;

/**
 * Annotations per ingress class, for what the chart needs of the controller beyond the Ingress spec. A class
 * not listed gets none.
 * - `nginx` (ingress-nginx, when you bring it with `ingress.controller: none`): lift its 1 MiB body limit, and
 *   redirect HTTP to HTTPS per Ingress.
 * - `traefik`: none. Traefik limits request bodies only through a buffering middleware a router is given
 *   (none by default), and the program's Helm values redirect HTTP to HTTPS for every router at the `web`
 *   entrypoint (stacks/ingress-controller.ts).
 */
export const CONTROLLER_ANNOTATIONS: Readonly<Record<string, ControllerAnnotations>> = {
  nginx: (tls) => ({
    'nginx.ingress.kubernetes.io/proxy-body-size': MAX_BODY,
    ...(tls ? { 'nginx.ingress.kubernetes.io/force-ssl-redirect': 'true' } : {}),
  }),
  traefik: () => ({}),
};

/** The annotations of every Ingress of a stack: its certificate's issuer (with TLS), and its controller's. */
export function ingressAnnotations(spec: StackSpec): Record<string, string> {
  const { className, tls, clusterIssuer } = spec.ingress;
  return {
    ...(tls ? { 'cert-manager.io/cluster-issuer': clusterIssuer } : {}),
    ...(Object.hasOwn(CONTROLLER_ANNOTATIONS, className) ? CONTROLLER_ANNOTATIONS[className]!(tls) : {}),
  };
}

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
    const annotations = ingressAnnotations(spec);
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
