/**
 * The verification ladder's third rung: every config file the stack renders, checked by the upstream binary
 * that will read it (built from the Go module proxy at the pinned version by the local image factory).
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderStack } from '../../cli/render.js';
import { observatoryDistribution } from '../../collector/distribution.js';
import { typeNames } from '../../collector/names.js';
import { SERVICE_ACCOUNT_TOKEN } from '../../collector/kubernetes.js';
import { imageCatalog } from '../../model/catalog.js';
import type { Component, ConfigFile } from '../../model/component.js';
import type { ImageKey } from '../../model/catalog.js';
import { defineStack } from '../../model/define.js';
import { distributedClusterInput } from '../cluster/distributed-deployment.js';
import { distributedStackInput } from '../e2e/support/distributed-stack.js';
import { allCollectorConfigs } from '../helpers/collector-configs.js';
import { presets, renderedPreset } from '../helpers/render.js';
import { factoryBinary, runTool } from '../helpers/tools.js';

const work = mkdtempSync(join(tmpdir(), 'observatory-validators-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

let written = 0;
/** Writes config files to a fresh folder; returns their paths in order. */
function writeFiles(files: readonly Pick<ConfigFile, 'name' | 'content'>[]): string[] {
  const dir = join(work, String(written++));
  mkdirSync(dir);
  return files.map((f) => {
    const path = join(dir, f.name);
    writeFileSync(path, f.content);
    return path;
  });
}

const withReceivers = renderStack(
  defineStack({
    alerting: {
      receivers: [
        { name: 'ops-webhook', type: 'webhook', url: 'https://hooks.example.com/alerts' },
        { name: 'ops-slack', type: 'slack', channel: '#alerts' },
        { name: 'ops-mail', type: 'email', to: ['oncall@example.com'], from: 'alerts@example.com', smarthost: 'smtp.example.com:587' },
        { name: 'ops-mail-auth', type: 'email', to: ['oncall@example.com'], from: 'alerts@example.com', smarthost: 'smtp.example.com:587', authUsername: 'alerts' },
        { name: 'ops-pager', type: 'pagerduty' },
      ],
    },
  }),
);
const renderings = [
  ...presets.map((p) => ({ name: p, rendered: renderedPreset(p) })),
  { name: 'local with every receiver type', rendered: withReceivers },
  // The distributed stacks the end-to-end tests run on their stores (plain-HTTP S3 server and OpenSearch).
  { name: 'distributed e2e (compose)', rendered: renderStack(defineStack(distributedStackInput)) },
  { name: 'distributed e2e (test cluster)', rendered: renderStack(defineStack(distributedClusterInput)) },
];
/** Writes one file to a fresh folder; returns its path. */
const writeFile = (name: string, content: string): string => writeFiles([{ name, content }])[0]!;

/** Every component running an image, in every rendering (`prod loki-write`...). */
const componentsOf = (image: ImageKey): { label: string; component: Component }[] =>
  renderings.flatMap(({ name: label, rendered }) => rendered.components.filter((c) => c.image.key === image).map((component) => ({ label: `${label} ${component.name}`, component })));

/**
 * A component's config files as its Kubernetes pod mounts them: the shared ones (byte-identical in compose,
 * test/unit/parity.test.ts) and the Kubernetes-only ones (vmalert's workload alerts).
 */
const kubernetesFiles = (component: Component): ConfigFile[] => [...component.configFiles, ...(component.kubernetes?.configFiles ?? [])];

/** The process environment a component gets, a placeholder for each secret (values only its runtime has). */
const placeholderEnv = (component: Component, placeholder: (name: string) => string = (name) => `placeholder-for-${name}`) =>
  Object.fromEntries(Object.entries(component.env ?? {}).map(([key, value]) => [key, typeof value === 'string' ? value : placeholder(key)]));

/** The component's own arguments of the given flags (e.g. Loki's `-target=` and `-config.expand-env=`). */
const flagsOf = (component: Component, ...flags: string[]) =>
  (component.args ?? []).filter((a): a is string => typeof a === 'string' && flags.some((f) => a.startsWith(f)));

const otelcol = factoryBinary('otelcol', 'collector');
describe.skipIf(otelcol.skip)('otelcol (our distribution, built from collector/distribution/builder-config.yaml)', () => {
  const kubeEnv = { K8S_NODE_NAME: 'node-1', K8S_NODE_IP: '10.0.0.1' };

  const kubeletStats = typeNames(imageCatalog.collector.tag).kubeletStats;

  // The agent's kubelet scrape names the pod's ServiceAccount token file, which the prometheus receiver checks for
  // when validated and which only a pod has: validated here against a stand-in file at another path.
  const token = join(work, 'serviceaccount-token');
  writeFileSync(token, 'placeholder-token\n');
  const inAPod = (content: string) => content.replaceAll(SERVICE_ACCOUNT_TOKEN, token);

  it.each(allCollectorConfigs(renderings.filter((r) => r.name.startsWith('distributed'))).map((c) => [c.name, c] as const))('validates the %s config', (_, config) => {
    const paths = writeFiles(config.files.map((f) => ({ name: f.name, content: inAPod(f.content) })));
    // The kubelet receiver reads the pod's service account CA when it is created, which only exists in a pod;
    // validating here, it authenticates with nothing instead (the rest of the config is validated as rendered).
    const outsideAPod = kubeletStats in config.merged.receivers ? [`--set=receivers::${kubeletStats}::auth_type=none`] : [];
    const result = runTool(otelcol.path(), ['validate', ...paths.map((p) => `--config=${p}`), ...outsideAPod], { ...kubeEnv, ...config.env });
    expect(result.output).not.toMatch(/error|deprecated/i);
    expect(result.code, result.output).toBe(0);
  });

  it('rejects a config with a component the distribution lacks, naming it', () => {
    const [path] = writeFiles([
      {
        name: 'bad.yaml',
        content: 'receivers: {otlp: {protocols: {grpc: {}}}}\nexporters: {debug: {}}\nservice: {pipelines: {traces: {receivers: [otlp], exporters: [debug]}}}\n',
      },
    ]);
    const result = runTool(otelcol.path(), ['validate', `--config=${path}`]);
    expect(result.code).not.toBe(0);
    expect(result.output).toMatch(/debug/);
  });

  it('registers every component type the manifest lists (the type names collector/distribution.ts assumes)', () => {
    const result = runTool(otelcol.path(), ['components']);
    expect(result.code, result.output).toBe(0);
    for (const [kind, types] of Object.entries(observatoryDistribution().types)) {
      for (const type of types) expect(result.output, `${kind} ${type}`).toMatch(new RegExp(`name: ${type}\\b`));
    }
  });
});

const jaeger = factoryBinary('jaeger', 'jaeger');
describe.skipIf(jaeger.skip)('jaeger validate', () => {
  it.each(componentsOf('jaeger').map((c) => [c.label, c.component] as const))('accepts the %s config', (_, component) => {
    const paths = writeFiles(component.configFiles);
    // On OpenSearch its URL and credentials come from the environment (${env:...}); a URL where a URL goes.
    const env = placeholderEnv(component, (name) => (name.endsWith('_URL') ? 'https://opensearch.example.com:25060' : `placeholder-for-${name}`));
    const result = runTool(jaeger.path(), ['validate', ...paths.map((p) => `--config=${p}`)], env);
    expect(result.code, result.output).toBe(0);
  });

  it('rejects a config with an unknown extension', () => {
    const path = writeFile('bad.yaml', 'extensions: {nope: {}}\nservice: {extensions: [nope]}\n');
    expect(runTool(jaeger.path(), ['validate', `--config=${path}`]).code).not.toBe(0);
  });
});

const loki = factoryBinary('loki', 'loki');
describe.skipIf(loki.skip)('loki -verify-config', () => {
  it.each(componentsOf('loki').map((c) => [c.label, c.component] as const))('accepts the %s config', (_, component) => {
    const [path] = writeFiles(component.configFiles);
    // Each target of the simple scalable mode checks the config for what it runs, with the bucket's
    // credentials expanded from the environment as in the pod.
    const flags = flagsOf(component, '-target=', '-config.expand-env=');
    const result = runTool(loki.path(), ['-verify-config', `-config.file=${path}`, ...flags], placeholderEnv(component));
    expect(result.code, result.output).toBe(0);
  });

  it('rejects an unknown key', () => {
    const path = writeFile('bad.yaml', 'auth_enabled: false\nno_such_key: 1\n');
    expect(runTool(loki.path(), ['-verify-config', `-config.file=${path}`]).code).not.toBe(0);
  });
});

describe('the Kubernetes renderings', () => {
  it('carry Kubernetes-only config files only where the checks here read them: collector overlays, vmalert rules (and dashboards)', () => {
    const withOwnFiles = renderings.flatMap(({ rendered }) => rendered.components.filter((c) => (c.kubernetes?.configFiles ?? []).length > 0).map((c) => c.image.key));
    // Grafana's are the Kubernetes dashboards, checked by the dashboard tests (schemas, every query parsed).
    expect([...new Set(withOwnFiles)].sort()).toEqual(['collector', 'grafana', 'vmalert']);
  });
});

const vmalert = factoryBinary('vmalert', 'vmalert');
describe.skipIf(vmalert.skip)('vmalert -dryRun', () => {
  it.each(componentsOf('vmalert').map((c) => [c.label, c.component] as const))('accepts the %s rule files (the Kubernetes-only ones too)', (_, component) => {
    const paths = writeFiles(kubernetesFiles(component));
    expect(paths.length).toBeGreaterThan(0);
    const result = runTool(vmalert.path(), ['-dryRun', ...paths.map((p) => `-rule=${p}`)]);
    expect(result.code, result.output).toBe(0);
  });

  it('rejects a rule with a broken expression', () => {
    const path = writeFile('bad.yml', 'groups:\n  - name: g\n    rules:\n      - alert: Broken\n        expr: rate(up[5m]\n');
    expect(runTool(vmalert.path(), ['-dryRun', `-rule=${path}`]).code).not.toBe(0);
  });
});

const amtool = factoryBinary('amtool', 'alertmanager');
describe.skipIf(amtool.skip)('amtool check-config', () => {
  it.each(componentsOf('alertmanager').map((c) => [c.label, c.component] as const))('accepts the %s config', (_, component) => {
    const paths = writeFiles(component.configFiles);
    const result = runTool(amtool.path(), ['check-config', ...paths]);
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/SUCCESS/);
  });

  it('rejects a route to an undefined receiver', () => {
    const path = writeFile('bad.yml', 'route: {receiver: nobody}\nreceivers: [{name: default}]\n');
    expect(runTool(amtool.path(), ['check-config', path]).code).not.toBe(0);
  });
});
