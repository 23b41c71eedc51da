import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { packageRoot } from '../model/package-root.js';
import { componentTypes, type CollectorConfig, type ComponentKind } from './config.js';
import { typeNames } from './names.js';

/** The OCB manifest of Observatory's collector distribution, relative to the package root. */
export const DISTRIBUTION_MANIFEST = 'collector/distribution/builder-config.yaml';

/**
 * The component type each Go module registers (its factory's type name), for the modules a manifest may list.
 * Some types depend on the collector version (collector/names.ts), hence functions.
 */
const typeOfModule: Readonly<Record<string, { kind: ComponentKind; type: (version: string) => string }>> = {
  'go.opentelemetry.io/collector/receiver/otlpreceiver': { kind: 'receivers', type: () => 'otlp' },
  'github.com/open-telemetry/opentelemetry-collector-contrib/receiver/prometheusreceiver': { kind: 'receivers', type: () => 'prometheus' },
  'github.com/open-telemetry/opentelemetry-collector-contrib/receiver/k8sclusterreceiver': { kind: 'receivers', type: () => 'k8s_cluster' },
  'github.com/open-telemetry/opentelemetry-collector-contrib/receiver/kubeletstatsreceiver': { kind: 'receivers', type: (v) => typeNames(v).kubeletStats },
  'github.com/open-telemetry/opentelemetry-collector-contrib/receiver/k8sobjectsreceiver': { kind: 'receivers', type: (v) => typeNames(v).k8sObjects },
  'go.opentelemetry.io/collector/processor/memorylimiterprocessor': { kind: 'processors', type: () => 'memory_limiter' },
  'go.opentelemetry.io/collector/processor/batchprocessor': { kind: 'processors', type: () => 'batch' },
  'github.com/open-telemetry/opentelemetry-collector-contrib/processor/tailsamplingprocessor': { kind: 'processors', type: () => 'tail_sampling' },
  'github.com/open-telemetry/opentelemetry-collector-contrib/processor/k8sattributesprocessor': { kind: 'processors', type: (v) => typeNames(v).k8sAttributes },
  'github.com/open-telemetry/opentelemetry-collector-contrib/processor/resourceprocessor': { kind: 'processors', type: () => 'resource' },
  'github.com/open-telemetry/opentelemetry-collector-contrib/processor/transformprocessor': { kind: 'processors', type: () => 'transform' },
  'go.opentelemetry.io/collector/exporter/otlpexporter': { kind: 'exporters', type: (v) => typeNames(v).otlpGrpc },
  'go.opentelemetry.io/collector/exporter/otlphttpexporter': { kind: 'exporters', type: (v) => typeNames(v).otlpHttp },
  'go.opentelemetry.io/collector/exporter/debugexporter': { kind: 'exporters', type: () => 'debug' },
  'github.com/open-telemetry/opentelemetry-collector-contrib/exporter/loadbalancingexporter': { kind: 'exporters', type: (v) => typeNames(v).loadBalancing },
  'github.com/open-telemetry/opentelemetry-collector-contrib/connector/spanmetricsconnector': { kind: 'connectors', type: (v) => typeNames(v).spanMetrics },
  'github.com/open-telemetry/opentelemetry-collector-contrib/extension/healthcheckextension': { kind: 'extensions', type: () => 'health_check' },
  'github.com/open-telemetry/opentelemetry-collector-contrib/extension/storage/filestorage': { kind: 'extensions', type: () => 'file_storage' },
  'github.com/open-telemetry/opentelemetry-collector-contrib/extension/bearertokenauthextension': { kind: 'extensions', type: () => 'bearertokenauth' },
};

const KINDS: readonly ComponentKind[] = ['receivers', 'processors', 'exporters', 'connectors', 'extensions'];

/** What a distribution contains: its version and the component types it registers, by kind. */
export interface Distribution {
  readonly version: string;
  readonly types: Readonly<Record<ComponentKind, ReadonlySet<string>>>;
  /** Go modules by kind, as listed (`module version`). */
  readonly modules: Readonly<Record<ComponentKind, readonly { module: string; version: string }[]>>;
}

interface Manifest {
  dist?: { version?: string };
  [kind: string]: unknown;
}

/** Reads an OCB manifest; every listed module must be one whose component type is known here. */
export function parseDistribution(text: string, source = DISTRIBUTION_MANIFEST): Distribution {
  const manifest = (yaml.load(text) ?? {}) as Manifest;
  const version = manifest.dist?.version;
  if (!version) throw new Error(`${source}: dist.version is missing`);
  const types = Object.fromEntries(KINDS.map((k) => [k, new Set<string>()])) as Record<ComponentKind, Set<string>>;
  const modules = Object.fromEntries(KINDS.map((k) => [k, [] as { module: string; version: string }[]])) as Record<
    ComponentKind,
    { module: string; version: string }[]
  >;
  for (const kind of KINDS) {
    for (const entry of (manifest[kind] ?? []) as { gomod?: string }[]) {
      const [module = '', moduleVersion = ''] = (entry.gomod ?? '').trim().split(/\s+/);
      const known = typeOfModule[module];
      if (!known) throw new Error(`${source}: ${kind} lists ${module}, whose component type collector/distribution.ts does not know; add it there`);
      if (known.kind !== kind) throw new Error(`${source}: ${module} is listed under ${kind} but is one of the ${known.kind}`);
      types[kind].add(known.type(version));
      modules[kind].push({ module, version: moduleVersion });
    }
  }
  return { version, types, modules };
}

/** Observatory's own distribution, read from the manifest shipped with the package. */
export function observatoryDistribution(): Distribution {
  const path = join(packageRoot(), DISTRIBUTION_MANIFEST);
  return parseDistribution(readFileSync(path, 'utf8'), DISTRIBUTION_MANIFEST);
}

/** One line per component a config uses that the distribution does not contain (empty when it has them all). */
export function missingFromDistribution(config: CollectorConfig, distribution: Distribution, configName = 'collector config'): string[] {
  const used = componentTypes(config);
  return KINDS.flatMap((kind) =>
    used[kind]
      .filter((type) => !distribution.types[kind].has(type))
      .map((type) => `${configName} uses ${kind.slice(0, -1)} '${type}', which ${DISTRIBUTION_MANIFEST} does not list`),
  );
}

/** One line per manifest module pinned at another version than the collector (core modules are v0.x, like the collector). */
export function versionMismatches(distribution: Distribution, collectorVersion: string): string[] {
  const want = collectorVersion.replace(/^v/, '');
  const problems = distribution.version.replace(/^v/, '') === want ? [] : [`dist.version is ${distribution.version}, the catalog pins ${want}`];
  for (const kind of KINDS) {
    for (const { module, version } of distribution.modules[kind]) {
      if (version.replace(/^v/, '') !== want) problems.push(`${module} is ${version}, the catalog pins v${want}`);
    }
  }
  return problems;
}
