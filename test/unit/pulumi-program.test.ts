import type * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { COLLECTOR, GRAFANA } from '../../constructs/addresses.js';
import { GLITCHTIP } from '../../constructs/glitchtip.js';
import { UMAMI } from '../../constructs/umami.js';
import { ObservabilityStack } from '../../stacks/component.js';
import program from '../../stacks/main.js';
import { componentNamed, expectDependencies, kubernetesChildren, ofType } from '../helpers/pulumi-checks.js';
import { isSecretInput, LOAD_BALANCER_IP, resolved, runProgram, stackFileConfig, unwrapSecret, type ProgramRun } from '../helpers/pulumi-mocks.js';

const KUBECONFIG = 'apiVersion: v1\nkind: Config\n# an existing cluster\n';
const SLACK_URL = 'https://hooks.slack.com/services/T0/B0/secret';

describe('the Pulumi program with an existing cluster, DigitalOcean DNS and a Slack receiver (mocks)', () => {
  let run: ProgramRun;
  let component: pulumi.Resource;
  /** What the program logged as warnings (pulumi.log.warn writes to console.warn without an engine). */
  let warnings: string[];

  beforeAll(async () => {
    const config = {
      ...stackFileConfig('staging'),
      'observatory:cluster': { mode: 'existing' },
      'observatory:kubeconfig': KUBECONFIG,
      'observatory:ingress': { enabled: true, domain: 'obs.example.org', acmeEmail: 'ops@example.org', acmeServer: 'staging', dnsZone: 'example.org' },
      'observatory:alerting': { receivers: [{ name: 'ops', type: 'slack', channel: '#alerts' }] },
      'observatory:alertCredentials': { 'ops-url': SLACK_URL },
    };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    try {
      run = await runProgram(program, { stack: 'staging', config, secretKeys: ['observatory:kubeconfig', 'observatory:alertCredentials'] });
    } finally {
      warnings = warn.mock.calls.map((call) => String(call[0]));
      warn.mockRestore();
    }
    component = componentNamed(run, ObservabilityStack.type, 'observatory');
  });

  it('warns of the alert delivery gap its config leaves: the Slack receiver takes every route, but no heartbeat', () => {
    expect(warnings.filter((w) => w.includes('alert delivery'))).toEqual([expect.stringMatching(/alert delivery: alerting\.heartbeat is off: /)]);
  });

  it('creates no cluster, and deploys through the kubeconfig from secret config', async () => {
    expect(run.registered.filter((r) => r.type.startsWith('digitalocean:') && !r.type.includes('dnsRecord'))).toEqual([]);
    const providers = ofType(run, 'pulumi:providers:kubernetes');
    expect(providers.map((p) => p.registered.name)).toEqual(['existing-cluster']);
    expect(isSecretInput(providers[0]!.registered.inputs['kubeconfig'])).toBe(true);
    expect(await resolved(run.outputs['kubeconfig'])).toEqual({ value: KUBECONFIG, secret: true });
  });

  it('points an A record at the load balancer for every public host', () => {
    const records = ofType(run, 'digitalocean:index/dnsRecord:DnsRecord').map((r) => r.registered.inputs);
    const names = [GRAFANA.host, GLITCHTIP.host, UMAMI.host, COLLECTOR.publicHost].map((host) => `${host}.obs`).sort();
    expect(records.map((r) => r['name']).sort()).toEqual(names);
    for (const record of records) expect(record).toMatchObject({ domain: 'example.org', type: 'A', value: LOAD_BALANCER_IP });
  });

  it("asks Let's Encrypt's staging server when the config says so", () => {
    const [issuer] = ofType(run, 'kubernetes:cert-manager.io/v1:ClusterIssuer');
    expect(issuer!.registered.inputs['spec'].acme.server).toBe('https://acme-staging-v02.api.letsencrypt.org/directory');
  });

  it("writes the receiver's credential into Alertmanager's Secret as a secret, before Alertmanager starts", () => {
    const children = kubernetesChildren(run, component);
    const [secret] = children.get('Secret/observability/alertmanager-receivers') ?? [];
    expect(isSecretInput(secret!.registered.inputs['stringData'])).toBe(true);
    expect(unwrapSecret(secret!.registered.inputs['stringData'])).toEqual({ 'ops-url': SLACK_URL });
    expectDependencies(run, component, {
      ingressNeeds: [componentNamed(run, 'kubernetes:helm.sh/v3:Release', 'ingress:traefik'), componentNamed(run, 'kubernetes:cert-manager.io/v1:ClusterIssuer', 'ingress:ClusterIssuer/letsencrypt')],
    });
  });

  it('hands out the OTLP bearer token for senders outside the cluster, as a secret', async () => {
    const token = await resolved(run.outputs['otlpIngestToken']);
    expect(token.secret).toBe(true);
    expect(token.value?.length).toBeGreaterThanOrEqual(32);
    expect((await resolved(run.outputs['otlpEndpoint'])).value).toBe(`https://${COLLECTOR.publicHost}.obs.example.org`);
  });
});

describe('the Pulumi program with an Ingress controller of your own (ingress.controller: none)', () => {
  it('installs no controller, issuer or load balancer, and renders Ingresses for your class and issuer', async () => {
    const config = {
      ...stackFileConfig('staging'),
      'observatory:ingress': { enabled: true, domain: 'obs.example.org', controller: 'none', className: 'nginx', clusterIssuer: 'corp-ca', controllerNamespace: 'ingress-nginx' },
    };
    const run = await runProgram(program, { stack: 'staging', config });
    expect(run.registered.filter((r) => r.type.startsWith('kubernetes:helm.sh') || r.type.includes('ClusterIssuer') || r.type.includes('dnsRecord'))).toEqual([]);
    const ingresses = run.registered.filter((r) => r.type === 'kubernetes:networking.k8s.io/v1:Ingress').map((r) => r.inputs);
    expect(ingresses).toHaveLength(4);
    for (const ingress of ingresses) {
      expect(ingress['spec'].ingressClassName).toBe('nginx');
      // An ingress-nginx of your own gets its annotations (constructs/ingress.ts).
      expect(ingress['metadata'].annotations).toEqual({
        'cert-manager.io/cluster-issuer': 'corp-ca',
        'nginx.ingress.kubernetes.io/proxy-body-size': '16m',
        'nginx.ingress.kubernetes.io/force-ssl-redirect': 'true',
      });
    }
    expect(Object.keys(run.outputs)).not.toContain('loadBalancerIp');
  });
});
