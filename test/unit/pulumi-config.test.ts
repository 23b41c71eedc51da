import * as pulumi from '@pulumi/pulumi';
import { beforeEach, describe, expect, it } from 'vitest';
import { readDeploymentConfig } from '../../stacks/config.js';
import { configProblems as problemsOf, setStackConfig as setConfig } from '../helpers/pulumi-config-problems.js';
import { resolved, stackFileConfig } from '../helpers/pulumi-mocks.js';

const dev = () => structuredClone(stackFileConfig('dev'));
const slackReceiver = { receivers: [{ name: 'ops', type: 'slack', channel: '#alerts' }] };

describe('the Pulumi config of a stack', () => {
  beforeEach(async () => {
    await pulumi.runtime.setMocks({ newResource: (a) => ({ id: `${a.name}_id`, state: a.inputs }), call: () => ({}) }, 'observatory', 'dev', false);
  });

  // prod is distributed: its Spaces bucket needs keys, set as secrets beside the stack file.
  const spacesKeys = { 'observatory:spacesAccessKeyId': 'DO00EXAMPLE', 'observatory:spacesSecretAccessKey': 'example-secret' };

  it.each(['dev', 'staging', 'prod'])('accepts Pulumi.%s.yaml and resolves its spec', (stack) => {
    if (stack === 'prod') setConfig({ ...stackFileConfig(stack), ...spacesKeys }, Object.keys(spacesKeys));
    else setConfig(stackFileConfig(stack));
    const config = readDeploymentConfig();
    expect(config.environment).toBe(stack);
    expect(config.spec.environment).toBe(stack);
    expect(config.spec.storageClass).toBe('do-block-storage');
    expect(config.cluster).toMatchObject({ mode: 'create', name: 'observatory-dev', region: 'fra1' });
  });

  it('asks a distributed stack that creates its cluster for the Spaces keys, as secrets', () => {
    expect(problemsOf(stackFileConfig('prod'))).toEqual([
      'observatory:spacesAccessKeyId: a distributed stack keeps its logs in a Spaces bucket this program creates: pulumi config set --secret spacesAccessKeyId <value> (a Spaces access key)',
      'observatory:spacesSecretAccessKey: a distributed stack keeps its logs in a Spaces bucket this program creates: pulumi config set --secret spacesSecretAccessKey <value> (a Spaces access key)',
    ]);
    expect(problemsOf({ ...stackFileConfig('prod'), ...spacesKeys }, ['observatory:spacesAccessKeyId'])).toEqual([
      'observatory:spacesSecretAccessKey: must be a secret (pulumi config set --secret spacesSecretAccessKey <value>)',
    ]);
  });

  it('names every problem by its config key, with what was expected and what it got', () => {
    const config = dev();
    const cluster = config['observatory:cluster'] as any;
    cluster.kubernetesVersion = 1.36;
    cluster.region = 'Frankfurt';
    cluster.nodePool.autoscale = { min: 3, max: 2 };
    cluster.haControlPlan = true;
    config['observatory:ingress'] = { enabled: true };
    config['observatory:environment'] = 'local';
    expect(problemsOf(config)).toEqual(
      expect.arrayContaining([
        'observatory:environment: expected one of dev, staging, prod, got "local"',
        'observatory:cluster.region: expected a DigitalOcean region slug like "fra1", got "Frankfurt"',
        'observatory:cluster.kubernetesVersion: expected a version string like "1.36" (quote it in YAML), got 1.36',
        'observatory:cluster.nodePool.autoscale.max: autoscale.max must be at least autoscale.min (3), got 2',
        'observatory:cluster.nodePool.count: count must lie between autoscale.min (3) and autoscale.max (2), got 2',
        'observatory:cluster.haControlPlan: unknown key (did you mean "haControlPlane"?)',
        'observatory:ingress.domain: ingress.enabled needs a domain, e.g. "observability.example.com"',
        "observatory:ingress.acmeEmail: ingress.enabled needs an email for the Let's Encrypt account",
      ]),
    );
  });

  it('reports problems of the stack spec under the config key they were set in', () => {
    const config = dev();
    config['observatory:retention'] = { logs: '36h' };
    config['observatory:spec'] = { components: { lokii: {} }, retention: {} };
    config['observatory:clusterr'] = {};
    const problems = problemsOf(config);
    expect(problems).toContain('observatory:clusterr: unknown key (did you mean "cluster"?)');
    expect(problems).toContain('observatory:spec.retention: set it as observatory:retention, not inside observatory:spec');
    config['observatory:spec'] = { components: { lokii: {} } };
    delete config['observatory:clusterr'];
    expect(problemsOf(config)).toEqual([
      'observatory:spec.components.lokii: unknown key (did you mean "loki"?)',
      'observatory:retention.logs: Loki retention must be a whole number of days (its index period is 24h), got "36h"',
    ]);
  });

  it('takes the kubeconfig of an existing cluster from secret config, and only then', async () => {
    const config = dev();
    config['observatory:cluster'] = { mode: 'existing' };
    expect(problemsOf(config)).toEqual([expect.stringMatching(/^observatory:kubeconfig: cluster.mode "existing" needs the cluster's kubeconfig/)]);
    setConfig({ ...config, 'observatory:kubeconfig': 'apiVersion: v1' }, ['observatory:kubeconfig']);
    const existing = readDeploymentConfig().cluster;
    expect(existing.mode).toBe('existing');
    expect(await resolved(existing.mode === 'existing' ? existing.kubeconfig : undefined)).toEqual({ value: 'apiVersion: v1', secret: true });
    expect(problemsOf({ ...dev(), 'observatory:kubeconfig': 'apiVersion: v1' }, ['observatory:kubeconfig'])).toEqual([
      'observatory:kubeconfig: only read when cluster.mode is "existing"; this stack creates its cluster',
    ]);
  });

  it('wants every credential the receivers need, as a secret, and nothing else', async () => {
    const config = { ...dev(), 'observatory:alerting': slackReceiver };
    expect(problemsOf(config)).toEqual(['observatory:alertCredentials.ops-url: missing: the Slack incoming-webhook URL for receiver ops']);
    const credentials = { 'ops-url': 'https://hooks.slack.com/services/T/B/X', 'pager-routing-key': 'abc' };
    expect(problemsOf({ ...config, 'observatory:alertCredentials': credentials })).toEqual([
      "observatory:alertCredentials: must be a secret (pulumi config set --secret --path 'alertCredentials.<name>' <value>)",
      'observatory:alertCredentials.pager-routing-key: no receiver reads it (expected ops-url)',
    ]);
    setConfig({ ...config, 'observatory:alertCredentials': { 'ops-url': credentials['ops-url'] } }, ['observatory:alertCredentials']);
    const provided = readDeploymentConfig().providedSecrets;
    expect(Object.keys(provided)).toEqual(['alertmanager-receivers']);
    expect(await resolved(provided['alertmanager-receivers']!['ops-url'])).toEqual({ value: credentials['ops-url'], secret: true });
  });
});

describe('the ingress config', () => {
  beforeEach(async () => {
    await pulumi.runtime.setMocks({ newResource: (a) => ({ id: `${a.name}_id`, state: a.inputs }), call: () => ({}) }, 'observatory', 'dev', false);
  });

  it('needs no Let\'s Encrypt email with a controller of your own, but then writes no DNS records', () => {
    const ingress = { enabled: true, domain: 'obs.example.org', controller: 'none', dnsZone: 'example.org' };
    expect(problemsOf({ ...dev(), 'observatory:ingress': ingress })).toEqual([
      'observatory:ingress.dnsZone: DNS records point at the load balancer of the ingress controller this program installs; with controller "none" there is none',
    ]);
    expect(problemsOf({ ...dev(), 'observatory:ingress': { ...ingress, controller: 'traefik', acmeEmail: 'ops@example.org', dnsZone: 'example.com' } })).toEqual([
      'observatory:ingress.dnsZone: the domain "obs.example.org" is not inside the DNS zone "example.com"',
    ]);
  });

  it("installs Traefik unless told otherwise, and wants a Let's Encrypt email for it", () => {
    const ingress = { enabled: true, domain: 'obs.example.org' };
    expect(problemsOf({ ...dev(), 'observatory:ingress': ingress })).toEqual([
      "observatory:ingress.acmeEmail: ingress.enabled needs an email for the Let's Encrypt account",
    ]);
    setConfig({ ...dev(), 'observatory:ingress': { ...ingress, acmeEmail: 'ops@example.org', dnsZone: 'example.org' } });
    const config = readDeploymentConfig();
    expect(config.ingress.controller).toBe('traefik');
    expect(config.spec.ingress).toMatchObject({ className: 'traefik', controllerNamespace: 'traefik' });
  });

  it('refuses ingress-nginx, naming the key, the retirement and what to use instead', () => {
    const ingress = { enabled: true, domain: 'obs.example.org', acmeEmail: 'ops@example.org', controller: 'ingress-nginx' };
    expect(problemsOf({ ...dev(), 'observatory:ingress': ingress })).toEqual([
      'observatory:ingress.controller: expected "traefik" (the default) or "none" (bring your own controller), got "ingress-nginx": it was retired upstream in March 2026 and the program no longer installs it',
    ]);
    expect(problemsOf({ ...dev(), 'observatory:ingress': { ...ingress, controller: 'nginx' } })).toEqual([
      'observatory:ingress.controller: expected "traefik" or "none", got "nginx"',
    ]);
  });
});
