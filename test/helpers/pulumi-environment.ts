import type * as pulumi from '@pulumi/pulumi';
import { beforeAll, describe, expect, it } from 'vitest';
import { COLLECTOR, GRAFANA } from '../../constructs/addresses.js';
import { GLITCHTIP } from '../../constructs/glitchtip.js';
import { UMAMI } from '../../constructs/umami.js';
import { secretsOf } from '../../model/secrets.js';
import { ObservabilityStack } from '../../stacks/component.js';
import { CHARTS, IngressController } from '../../stacks/ingress-controller.js';
import program from '../../stacks/main.js';
import { cpuMillis, memoryMiB } from '../../model/quantity.js';
import { DO_NODE_SIZES, DOKS_NODE_RESERVED, monthlyCost } from './do-prices.js';
import { expectManagedStores } from './pulumi-managed-stores.js';
import {
  claimedGiB,
  componentNamed,
  expectBlockStorage,
  expectDependencies,
  expectedRender,
  expectEveryObjectOnce,
  expectGeneratedSecrets,
  ofType,
} from './pulumi-checks.js';
import { FRESH_KUBECONFIG, isSecretInput, latestPatchOf, LOAD_BALANCER_IP, resolved, runProgram, stackFileConfig, unwrapSecret, type ProgramRun } from './pulumi-mocks.js';

/** What a stack file must create: written out in each environment's test, not read from the file under test. */
export interface EnvironmentExpectation {
  readonly region: string;
  /** Kubernetes minor; the cluster gets the newest patch DigitalOcean offers (mocked). */
  readonly kubernetesMinor: string;
  readonly nodeSize: string;
  readonly nodes: number;
  readonly autoscale: { readonly min: number; readonly max: number };
  readonly haControlPlane: boolean;
  /** The domain the stack is public under, or none. */
  readonly domain?: string;
  /** Monthly list price at `nodes` and at `autoscale.max` nodes must stay under these (USD). */
  readonly budget: { readonly atStart: number; readonly atMax: number };
  /** Secret config the stack file leaves to `pulumi config set --secret` (values made up for the test). */
  readonly secretConfig?: Readonly<Record<string, string>>;
}

const CLUSTER = 'digitalocean:index/kubernetesCluster:KubernetesCluster';

/** The tests every stack file gets: run the real program (stacks/main.ts) with that file's config under mocks. */
export function environmentSuite(stack: 'dev' | 'staging' | 'prod', expected: EnvironmentExpectation) {
  describe(`Pulumi.${stack}.yaml under Pulumi's mocks`, () => {
    const config = { ...stackFileConfig(stack), ...Object.fromEntries(Object.entries(expected.secretConfig ?? {}).map(([k, v]) => [`observatory:${k}`, v])) };
    const secretKeys = Object.keys(expected.secretConfig ?? {}).map((k) => `observatory:${k}`);
    const render = expectedRender(config);
    let run: ProgramRun;
    let component: pulumi.Resource;
    let provider: pulumi.Resource;

    beforeAll(async () => {
      run = await runProgram(program, { stack, config, secretKeys });
      component = componentNamed(run, ObservabilityStack.type, 'observatory');
      provider = componentNamed(run, 'pulumi:providers:kubernetes', 'doks');
    });

    it(`creates a VPC and a DOKS cluster: ${expected.nodes}× ${expected.nodeSize} autoscaling ${expected.autoscale.min}–${expected.autoscale.max}, HA control plane ${expected.haControlPlane ? 'on' : 'off'}`, () => {
      const [vpc] = ofType(run, 'digitalocean:index/vpc:Vpc');
      const clusters = ofType(run, CLUSTER);
      expect(clusters).toHaveLength(1);
      const cluster = clusters[0]!;
      expect(cluster.registered.inputs).toMatchObject({
        name: `observatory-${stack}`,
        region: expected.region,
        version: latestPatchOf(expected.kubernetesMinor),
        vpcUuid: `${vpc!.registered.name}_id`,
        ha: expected.haControlPlane,
        autoUpgrade: true,
        surgeUpgrade: true,
        maintenancePolicy: { day: 'sunday', startTime: '03:00' },
        nodePool: { size: expected.nodeSize, autoScale: true, nodeCount: expected.nodes, minNodes: expected.autoscale.min, maxNodes: expected.autoscale.max },
      });
      expect(vpc!.registered.inputs).toMatchObject({ region: expected.region });
      expect(cluster.constructed.opts.ignoreChanges).toEqual(['nodePool.nodeCount']);
      expect(run.invokes).toContain('digitalocean:index/getKubernetesVersions:getKubernetesVersions');
    });

    it('reaches the cluster through one Kubernetes provider with a kubeconfig fetched on this run', () => {
      const providers = ofType(run, 'pulumi:providers:kubernetes');
      expect(providers).toHaveLength(1);
      const kubeconfig = providers[0]!.registered.inputs['kubeconfig'];
      expect(isSecretInput(kubeconfig)).toBe(true);
      expect(unwrapSecret(kubeconfig)).toBe(FRESH_KUBECONFIG);
    });

    it('applies every object the cdk8s chart renders exactly once, unchanged, as a child of the component, through that provider', () => {
      expect(render.objects.length).toBeGreaterThan(30);
      const external = render.components.flatMap((c) => c.externalSecrets ?? []).map((e) => e.secret);
      const secretNames = [...new Set([...secretsOf(render.components).map((s) => s.name), ...external])];
      expectEveryObjectOnce(run, component, render.objects, secretNames, provider);
      for (const child of run.constructed.filter((c) => c.name.startsWith('observatory:'))) expect(child.opts.parent, child.name).toBe(component);
    });

    it('generates every Secret the components read, with random values of the asked length, as secrets', () => {
      expectGeneratedSecrets(run, component, render.components);
    });

    it('applies every object after what it needs, and nothing depends on a resource that does not exist', () => {
      const ingressNeeds = expected.domain
        ? [componentNamed(run, 'kubernetes:helm.sh/v3:Release', 'ingress:traefik'), componentNamed(run, 'kubernetes:cert-manager.io/v1:ClusterIssuer', `ingress:ClusterIssuer/${render.spec.ingress.clusterIssuer}`)]
        : [];
      expectDependencies(run, component, { ingressNeeds });
    });

    it(render.spec.scale === 'distributed' ? 'creates Managed OpenSearch in the VPC and a private Spaces bucket, their credentials as the Secrets Jaeger and Loki read' : 'creates no managed stores (scale: single)', () => {
      if (render.spec.scale === 'single') {
        expect(ofType(run, 'digitalocean:index/databaseCluster:DatabaseCluster')).toHaveLength(0);
        expect(ofType(run, 'digitalocean:index/spacesBucket:SpacesBucket')).toHaveLength(0);
        return;
      }
      const secrets = expected.secretConfig ?? {};
      expectManagedStores(run, component, render.spec, { accessKeyId: secrets['spacesAccessKeyId']!, secretAccessKey: secrets['spacesSecretAccessKey']! }, expected.region);
    });

    it('claims DigitalOcean block storage for every volume', () => {
      expectBlockStorage(render.objects);
    });

    it(expected.domain ? 'installs Traefik and cert-manager (pinned) and a Let\'s Encrypt ClusterIssuer' : 'installs no ingress controller', () => {
      const releases = ofType(run, 'kubernetes:helm.sh/v3:Release');
      const issuers = ofType(run, 'kubernetes:cert-manager.io/v1:ClusterIssuer');
      if (!expected.domain) {
        expect(releases).toHaveLength(0);
        expect(issuers).toHaveLength(0);
        expect(run.constructed.filter((c) => c.type === IngressController.type)).toHaveLength(0);
        return;
      }
      expect(releases.map((r) => r.registered.inputs).sort((a, b) => a.name.localeCompare(b.name))).toMatchObject([
        { name: 'cert-manager', chart: 'cert-manager', version: CHARTS.certManager.version, repositoryOpts: { repo: CHARTS.certManager.repo }, values: { crds: { enabled: true } } },
        { name: 'traefik', chart: 'traefik', version: CHARTS.traefik.version, repositoryOpts: { repo: CHARTS.traefik.repo }, namespace: render.spec.ingress.controllerNamespace },
      ]);
      const [traefik] = releases.filter((r) => r.registered.inputs['name'] === 'traefik');
      expect(traefik!.registered.inputs['values']).toEqual({
        fullnameOverride: 'traefik',
        deployment: { replicas: stack === 'prod' ? 2 : 1 },
        ingressClass: { enabled: true, isDefaultClass: false, name: 'traefik' },
        service: { annotations: { 'service.beta.kubernetes.io/do-loadbalancer-name': `observatory-${stack}-ingress` } },
        ports: { web: { redirections: { entryPoint: { to: 'websecure', scheme: 'https', permanent: true } } } },
        resources: { requests: { cpu: '100m', memory: '128Mi' } },
      });
      // The load balancer's address is read from Traefik's Service (fullnameOverride: traefik).
      expect(run.registered.filter((r) => r.type === 'kubernetes:core/v1:Service' && r.readId).map((r) => r.readId)).toEqual([`${render.spec.ingress.controllerNamespace}/traefik`]);
      const ingressConfig = config['observatory:ingress'] as { acmeEmail: string };
      expect(issuers).toHaveLength(1);
      expect(issuers[0]!.registered.inputs).toMatchObject({
        metadata: { name: render.spec.ingress.clusterIssuer },
        spec: { acme: { email: ingressConfig.acmeEmail, server: 'https://acme-v02.api.letsencrypt.org/directory', solvers: [{ http01: { ingress: { ingressClassName: 'traefik' } } }] } },
      });
      for (const r of [...releases, ...issuers]) expect(r.constructed.opts.provider, r.constructed.name).toBe(provider);
    });

    it('outputs the endpoints, and the kubeconfig and credentials as secrets', async () => {
      const outputs = Object.fromEntries(await Promise.all(Object.entries(run.outputs).map(async ([key, value]) => [key, await resolved(value)] as const)));
      const inCluster = (service: string, port: number) => `http://${service}.${render.spec.namespace}.svc.cluster.local:${port}`;
      const url = (host: string) => `https://${host}.${expected.domain}`;
      expect(outputs['grafanaUrl']!.value).toBe(expected.domain ? url(GRAFANA.host) : inCluster('grafana', GRAFANA.port));
      expect(outputs['glitchtipUrl']!.value).toBe(expected.domain ? url(GLITCHTIP.host) : inCluster('glitchtip-web', GLITCHTIP.port));
      expect(outputs['umamiUrl']!.value).toBe(expected.domain ? url(UMAMI.host) : inCluster('umami', UMAMI.port));
      expect(outputs['otlpEndpoint']!.value).toBe(expected.domain ? url(COLLECTOR.publicHost) : inCluster('otel-collector', 4318));
      expect(outputs['kubeconfig']).toEqual({ value: FRESH_KUBECONFIG, secret: true });
      expect(outputs['grafanaAdminPassword']!.secret).toBe(true);
      expect(outputs['grafanaAdminPassword']!.value).toHaveLength(32);
      if (expected.domain) {
        expect(outputs['otlpIngestToken']!.secret).toBe(true);
        expect(outputs['loadBalancerIp']!.value).toBe(LOAD_BALANCER_IP);
      } else {
        expect(Object.keys(run.outputs)).not.toContain('otlpIngestToken');
        expect(Object.keys(run.outputs)).not.toContain('loadBalancerIp');
      }
      expect(run.componentOutputs.get('observatory')).toMatchObject({ namespace: render.spec.namespace, grafanaUrl: outputs['grafanaUrl']!.value, objectCount: render.objects.length });
    });

    it(`starts with nodes enough for what the pods request (${DOKS_NODE_RESERVED.memoryMiB} MiB of each node taken by DOKS, an estimate)`, () => {
      const cluster = ofType(run, CLUSTER)[0]!.registered.inputs as { nodePool: { size: string; nodeCount: number } };
      const size = DO_NODE_SIZES[cluster.nodePool.size]!;
      // Per-node pods (the agent) on every node; the rest once per replica. Jobs and CronJobs run now and then.
      const nodes = cluster.nodePool.nodeCount;
      const running = render.components.filter((c) => c.kind !== 'job' && c.kind !== 'scheduled');
      const total = (amount: (c: (typeof running)[number]) => number) => running.reduce((sum, c) => sum + amount(c) * (c.kind === 'per-node' ? nodes : c.replicas), 0);
      const requested = { cpuMillis: total((c) => cpuMillis(c.resources.requests.cpu)), memoryMiB: total((c) => memoryMiB(c.resources.requests.memory)) };
      const allocatable = { cpuMillis: (size.cpuMillis - DOKS_NODE_RESERVED.cpuMillis) * nodes, memoryMiB: (size.memoryMiB - DOKS_NODE_RESERVED.memoryMiB) * nodes };
      console.log(`Pulumi.${stack}.yaml: pods request ${requested.cpuMillis}m CPU, ${requested.memoryMiB} MiB; ${nodes} nodes offer ${allocatable.cpuMillis}m, ${allocatable.memoryMiB} MiB`);
      expect(requested.cpuMillis).toBeLessThanOrEqual(allocatable.cpuMillis);
      expect(requested.memoryMiB).toBeLessThanOrEqual(allocatable.memoryMiB);
    });

    it(`costs under $${expected.budget.atStart} a month at DigitalOcean list prices (under $${expected.budget.atMax} at the autoscaling maximum)`, () => {
      const cluster = ofType(run, CLUSTER)[0]!.registered.inputs as { ha: boolean; nodePool: { size: string; nodeCount: number; maxNodes: number } };
      const openSearch = ofType(run, 'digitalocean:index/databaseCluster:DatabaseCluster').map((c) => c.registered.inputs as { size: string; nodeCount: number });
      const stores = {
        ...(openSearch[0] ? { openSearch: { size: openSearch[0].size, nodes: openSearch[0].nodeCount } } : {}),
        spaces: ofType(run, 'digitalocean:index/spacesBucket:SpacesBucket').length > 0,
      };
      const items = { size: cluster.nodePool.size, ha: cluster.ha, volumeGiB: claimedGiB(render.objects), stores, loadBalancers: ofType(run, 'kubernetes:helm.sh/v3:Release').some((r) => r.registered.name === 'ingress:traefik') ? 1 : 0 };
      const atStart = monthlyCost({ ...items, nodes: cluster.nodePool.nodeCount });
      const atMax = monthlyCost({ ...items, nodes: cluster.nodePool.maxNodes });
      console.log(`Pulumi.${stack}.yaml: $${atStart.total}/month at start (${JSON.stringify(atStart)}), $${atMax.total} at the autoscaling maximum`);
      expect(atStart.total).toBeLessThan(expected.budget.atStart);
      expect(atMax.total).toBeLessThan(expected.budget.atMax);
    });
  });
}
