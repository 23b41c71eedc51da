import { describe, expect, it } from 'vitest';
import { renderStack } from '../../cli/render.js';
import { allObjects } from '../../constructs/manifests.js';
import { defineStack } from '../../model/define.js';

/** The annotations of the Ingresses a prod stack renders with these ingress settings (all four alike). */
function annotationsOf(ingress: { className?: string; tls?: boolean }): Record<string, string> {
  const rendered = renderStack(defineStack({ ingress: { enabled: true, domain: 'obs.example.com', ...ingress } }, { environment: 'prod' }));
  const ingresses = allObjects(rendered.kubernetes).filter((o) => o.kind === 'Ingress');
  expect(ingresses).toHaveLength(4);
  const [first, ...rest] = ingresses.map((i) => (i.metadata as { annotations?: Record<string, string> }).annotations ?? {});
  for (const other of rest) expect(other).toEqual(first);
  return first!;
}

const ISSUER = { 'cert-manager.io/cluster-issuer': 'letsencrypt' };

describe('Ingress annotations per ingress class', () => {
  it('give Traefik (the default class) only the certificate issuer: it limits no body size and redirects at its entrypoint', () => {
    expect(annotationsOf({})).toEqual(ISSUER);
    expect(annotationsOf({ className: 'traefik', tls: false })).toEqual({});
  });

  it('give an ingress-nginx of your own a 16 MiB body limit and, with TLS, the redirect to HTTPS', () => {
    expect(annotationsOf({ className: 'nginx' })).toEqual({
      ...ISSUER,
      'nginx.ingress.kubernetes.io/proxy-body-size': '16m',
      'nginx.ingress.kubernetes.io/force-ssl-redirect': 'true',
    });
    expect(annotationsOf({ className: 'nginx', tls: false })).toEqual({ 'nginx.ingress.kubernetes.io/proxy-body-size': '16m' });
  });

  it('give a class they know nothing of only the certificate issuer', () => {
    expect(annotationsOf({ className: 'haproxy' })).toEqual(ISSUER);
    expect(annotationsOf({ className: 'haproxy', tls: false })).toEqual({});
  });
});
