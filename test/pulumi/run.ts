/**
 * `npm run test:pulumi`: the Pulumi program of stacks/ for real, offline, against the test cluster.
 *
 *   node dist/test/pulumi/run.js                     # up, outputs, no changes on a second run, destroy, nothing left
 *   node dist/test/pulumi/run.js --offline-preview   # no cluster: `pulumi preview` against an unreachable API server
 *
 * The factory's Pulumi CLI, Node.js language host and Kubernetes provider (test/pulumi/recipes.ts; built when not
 * cached, ~40 min cold), a private PULUMI_HOME and a file backend in a temporary folder, the stack in
 * `cluster.mode: existing` with the kubeconfig of OBSERVATORY_KUBECONFIG (default: the one
 * `node dist/test/cluster/cluster.js up` writes), and every Secret given (test/pulumi/stack-config.ts). Not part of
 * `npm test`: its cold build cost does not fit CI. A missing prerequisite fails in CI (CI=true); elsewhere the run
 * is skipped with the reason and what to run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';
import { GRAFANA } from '../../constructs/grafana.js';
import { packageRoot } from '../../model/package-root.js';
import { inCI } from '../helpers/tools.js';
import { imageTag } from '../images/build.js';
import { importImages } from '../cluster/cluster-images.js';
import { clusterLayout, paths } from '../cluster/layout.js';
import { STACK_NAMESPACE, stackImages } from '../cluster/stack-deployment.js';
import { expectedStack, outputProblems, stateProblems } from './checks.js';
import { kubectl, leftovers, missingImages, reachCluster, unreadyWorkloads, type ClusterAccess } from './cluster-access.js';
import { ensurePulumiBinaries, installKubernetesPlugin } from './plugins.js';
import { PULUMI_TEST_NAMESPACE, testStackConfig, type TestStackConfig } from './stack-config.js';
import { Steps } from './steps.js';
import { createWorkspace, pulumi, type PulumiWorkspace } from './workspace.js';

const STACK = 'pulumi-test';
/** An API server address on this machine where nothing listens: the preview's cluster is unreachable, never remote. */
const UNREACHABLE_KUBECONFIG = `apiVersion: v1
kind: Config
clusters: [{ name: nowhere, cluster: { server: "https://127.0.0.1:1" } }]
users: [{ name: nobody, user: { token: none } }]
contexts: [{ name: nowhere, context: { cluster: nowhere, user: nobody } }]
current-context: nowhere
`;

class Prerequisites extends Error {}

function localProblems(): string[] {
  const root = packageRoot();
  const problems: string[] = [];
  if (!fs.existsSync(path.join(root, 'node_modules', '@pulumi', 'kubernetes'))) problems.push('node_modules has no @pulumi/kubernetes: npm ci --ignore-scripts');
  if (!fs.existsSync(path.join(root, 'dist', 'stacks', 'main.js'))) problems.push('dist/stacks/main.js is missing: npm run build');
  return problems;
}

/**
 * The stack's images (pull policy Never) on the node: imported into the test cluster's containerd from the Docker
 * engine like the cluster tests do (skipped when already imported); on another cluster they must be there already.
 */
async function stackImagesProblems(access: ClusterAccess, steps: Steps): Promise<string[]> {
  const tags = stackImages.map((c) => imageTag(c));
  const build = `build them: node dist/test/images/build.js ${stackImages.join(' ')}`;
  const p = paths(clusterLayout());
  if (!fs.existsSync(p.containerdSocket)) {
    const missing = missingImages(access, tags);
    return missing.length > 0 ? [`the node lacks ${missing.join(', ')} (pull policy Never) and is not the test cluster (no ${p.containerdSocket}): load them into it`] : [];
  }
  try {
    await steps.run('the stack images in the node\'s containerd', () => importImages(p.containerdSocket, tags, path.join(p.run, 'imported-images.json'), steps.log));
    return [];
  } catch (error) {
    return [`the factory's images could not be imported (${(error instanceof Error ? error.message : String(error)).split('\n')[0]}): ${build}`];
  }
}

function clusterProblems(access: ClusterAccess): string[] {
  const problems: string[] = [];
  const ns = kubectl(access, ['get', 'namespace', PULUMI_TEST_NAMESPACE, '-o', 'name']);
  if (ns.code === 0) problems.push(`namespace ${PULUMI_TEST_NAMESPACE} already exists (left by an earlier run?): kubectl delete namespace ${PULUMI_TEST_NAMESPACE}`);
  return problems;
}

/** The stack with its config: plain values in the stack file, secrets through `pulumi config set --secret` (stdin). */
async function initStack(ws: PulumiWorkspace, config: TestStackConfig): Promise<void> {
  await pulumi(ws, ['login', `file://${path.join(ws.dir, 'state')}`]);
  await pulumi(ws, ['stack', 'init', ws.stack, '--secrets-provider', 'passphrase']);
  const file = path.join(ws.project, `Pulumi.${ws.stack}.yaml`);
  const stackFile = (yaml.load(fs.readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>;
  fs.writeFileSync(file, yaml.dump({ ...stackFile, config: config.plain }));
  await pulumi(ws, ['config', 'set', '--secret', 'kubeconfig'], { input: config.kubeconfig });
  for (const [secret, values] of Object.entries(config.secretValues)) {
    for (const [key, value] of Object.entries(values)) await pulumi(ws, ['config', 'set', '--secret', '--path', `secrets.${secret}.${key}`], { input: value });
  }
}

async function deployAndCheck(ws: PulumiWorkspace, steps: Steps, config: TestStackConfig, access: ClusterAccess): Promise<void> {
  const expected = expectedStack(config);
  await steps.run('pulumi up', () => pulumi(ws, ['up', '--yes'], { stream: true }));
  await steps.run('check the outputs and the state', async () => {
    const outputs = JSON.parse((await pulumi(ws, ['stack', 'output', '--json', '--show-secrets'])).stdout) as Record<string, unknown>;
    const state = JSON.parse((await pulumi(ws, ['stack', 'export'])).stdout);
    const onCluster = kubectl(access, ['get', 'secret', GRAFANA.adminSecret, '-n', PULUMI_TEST_NAMESPACE, '-o', 'jsonpath={.data.password}']);
    const problems = [...outputProblems(outputs, expected), ...stateProblems(state, expected)];
    if (Buffer.from(onCluster.stdout, 'base64').toString('utf8') !== expected.grafanaPassword) problems.push(`Secret ${GRAFANA.adminSecret} on the cluster does not hold the configured password`);
    problems.push(...unreadyWorkloads(access, PULUMI_TEST_NAMESPACE).map((w) => `not Ready after pulumi up: ${w}`));
    if (problems.length > 0) throw new Error(`after pulumi up:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    steps.log(`outputs: ${Object.keys(outputs).sort().join(', ')}; ${expected.kubernetesResources} Kubernetes resources in the state, none of random; every workload Ready`);
  });
  await steps.run('pulumi preview --expect-no-changes', async () => {
    const preview = await pulumi(ws, ['preview', '--expect-no-changes'], { stream: true, allowFailure: true });
    if (preview.code !== 0) {
      await pulumi(ws, ['preview', '--diff'], { stream: true, allowFailure: true });
      throw new Error('a second run would change the stack (diff above)');
    }
  });
  await steps.run('pulumi up --expect-no-changes', () => pulumi(ws, ['up', '--yes', '--expect-no-changes'], { stream: true }));
}

async function destroyAndCheck(ws: PulumiWorkspace, steps: Steps, access: ClusterAccess): Promise<void> {
  await steps.run('pulumi destroy', () => pulumi(ws, ['destroy', '--yes'], { stream: true }));
  await steps.run('nothing of the stack left on the cluster', async () => {
    // The volumes of the StatefulSets' claims are reclaimed (by the provisioner's helper pods) after the namespace
    // is gone, which is after destroy returns: allow that three minutes on the busy 2-core node.
    let left = leftovers(access, PULUMI_TEST_NAMESPACE);
    for (let i = 0; i < 90 && left.length > 0; i++) {
      await new Promise((r) => setTimeout(r, 2000));
      left = leftovers(access, PULUMI_TEST_NAMESPACE);
    }
    if (left.length > 0) throw new Error(`left on the cluster after pulumi destroy:\n${left.map((l) => `  - ${l}`).join('\n')}`);
    steps.log(`namespace ${PULUMI_TEST_NAMESPACE}, its objects, cluster roles and volumes: gone`);
  });
  await pulumi(ws, ['stack', 'rm', '--yes']);
}

async function prepare(steps: Steps, kubeconfig: string): Promise<{ ws: PulumiWorkspace; config: TestStackConfig }> {
  const build = await steps.run('Pulumi binaries (image factory cache)', () => ensurePulumiBinaries(steps.log));
  const ws = createWorkspace(build.binaries, STACK);
  steps.log(`workspace ${ws.dir} (PULUMI_HOME, file backend, project, log)`);
  await steps.run('private PULUMI_HOME: the Kubernetes provider from a file', async () => {
    steps.log(`pulumi ${(await pulumi(ws, ['version'])).stdout.trim()}, language host ${build.stamps['pulumi-language-nodejs'].moduleVersion}`);
    steps.log(`installed resource kubernetes ${await installKubernetesPlugin(ws, build.binaries.kubernetesProvider)} (built from ${build.stamps['pulumi-resource-kubernetes'].moduleVersion})`);
  });
  const config = testStackConfig(kubeconfig);
  await steps.run('file backend, stack and config', () => initStack(ws, config));
  return { ws, config };
}

async function offlinePreview(steps: Steps): Promise<void> {
  const { ws } = await prepare(steps, UNREACHABLE_KUBECONFIG);
  await steps.run('pulumi preview (API server unreachable)', () => pulumi(ws, ['preview'], { stream: true }));
  await pulumi(ws, ['stack', 'rm', '--yes']);
  fs.rmSync(ws.dir, { recursive: true, force: true });
}

async function fullRun(steps: Steps): Promise<void> {
  const problems = localProblems();
  const cluster = reachCluster();
  problems.push(...cluster.problems);
  if (cluster.access) problems.push(...clusterProblems(cluster.access));
  if (cluster.access && problems.length === 0) problems.push(...(await stackImagesProblems(cluster.access, steps)));
  if (problems.length > 0) throw new Prerequisites(problems.map((p) => `  - ${p}`).join('\n'));
  const access = cluster.access!;
  steps.log(`cluster: ${access.kubeconfig} (kubectl ${access.kubectl})`);
  const busy = kubectl(access, ['get', 'pods', '-n', STACK_NAMESPACE, '-o', 'name']).stdout.trim();
  if (busy) steps.log(`note: the cluster tests' stack runs beside (namespace ${STACK_NAMESPACE}); this run adds its own on the same node`);
  const { ws, config } = await prepare(steps, fs.readFileSync(access.kubeconfig, 'utf8'));
  let destroyed = false;
  try {
    await deployAndCheck(ws, steps, config, access);
    await destroyAndCheck(ws, steps, access);
    destroyed = true;
  } finally {
    if (!destroyed) {
      steps.log(`FAILED: destroying what the run made (workspace kept: ${ws.dir})`);
      await pulumi(ws, ['destroy', '--yes'], { stream: true, allowFailure: true });
    }
  }
  fs.rmSync(ws.dir, { recursive: true, force: true });
}

async function main(argv: readonly string[]): Promise<number> {
  const unknown = argv.filter((a) => a !== '--offline-preview');
  if (unknown.length > 0) {
    console.error(`unknown argument(s) ${unknown.join(' ')}; usage: node dist/test/pulumi/run.js [--offline-preview]`);
    return 2;
  }
  const steps = new Steps();
  try {
    if (argv.includes('--offline-preview')) await offlinePreview(steps);
    else await fullRun(steps);
    steps.summary('PASSED');
    return 0;
  } catch (error) {
    if (error instanceof Prerequisites) {
      console.log(`${inCI ? 'FAILED' : 'SKIPPED (not in CI)'}: npm run test:pulumi needs:\n${error.message}`);
      return inCI ? 1 : 0;
    }
    console.error(`\n${error instanceof Error ? error.message : String(error)}`);
    steps.summary('FAILED');
    return 1;
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
