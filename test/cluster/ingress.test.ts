/**
 * The stack's public entry points through Traefik, the ingress controller the Pulumi program installs: the
 * Ingresses `synth` renders (class `traefik`) route Grafana's and the authenticated OTLP receiver's hosts, the
 * network policies admit the controller's namespace to exactly those ports, and an unknown host goes nowhere.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { defineStack } from '../../model/define.js';
import { clusterLayout } from './layout.js';
import { portForward, type PortForward } from './port-forward.js';
import { clusterStackInput, INGRESS_DOMAIN } from './stack-deployment.js';

const skipReason = inject('clusterSkipReason');
const layout = clusterLayout(inject('clusterDir'));

/** A request with its own Host header (fetch may not set one), answering status and body. */
function request(port: number, host: string, method: string, path: string, body?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers: { host, ...(body ? { 'content-type': 'application/json' } : {}) }, timeout: 10_000 }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`${method} ${host}${path}: no answer within 10 s`)));
    req.end(body);
  });
}

describe.skipIf(skipReason !== '')('the public entry points through Traefik', () => {
  const spec = defineStack(clusterStackInput);
  let web: PortForward | undefined;

  beforeAll(async () => {
    web = await portForward(layout, spec.ingress.controllerNamespace, 'svc/traefik', 80);
  }, 60_000);
  afterAll(() => web?.close());

  it('routes grafana.<domain> to Grafana', async () => {
    const health = await request(web!.port, `grafana.${INGRESS_DOMAIN}`, 'GET', '/api/health');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ database: 'ok' });
    // Grafana asks for a login: the ingress exposes only what authenticates every request.
    const home = await request(web!.port, `grafana.${INGRESS_DOMAIN}`, 'GET', '/api/dashboards/home');
    expect(home.status).toBe(401);
  });

  it('routes otlp.<domain> to the collector\'s authenticated receiver, which refuses a request without the token', async () => {
    const logs = JSON.stringify({ resourceLogs: [] });
    const refused = await request(web!.port, `otlp.${INGRESS_DOMAIN}`, 'POST', '/v1/logs', logs);
    expect(refused.status).toBe(401);
  });

  it('routes nothing else: an unknown host and the stores\' names get 404', async () => {
    for (const host of [`unknown.${INGRESS_DOMAIN}`, `loki.${INGRESS_DOMAIN}`, `victoriametrics.${INGRESS_DOMAIN}`]) {
      expect((await request(web!.port, host, 'GET', '/')).status, host).toBe(404);
    }
  });
});
