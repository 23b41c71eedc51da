/**
 * The Pulumi binaries from the image factory's cache (built when missing: ~40 min cold on 2 cores, most of it
 * the CLI and the Kubernetes provider), and the provider installed into a private PULUMI_HOME from a file.
 */
import * as path from 'node:path';
import { cachedBuild, ensureComponentBinaries, type BuildStamp } from '../images/binaries.js';
import { kubernetesPluginVersion, pulumiComponents, type PulumiComponent } from './recipes.js';
import { pulumi, type PulumiBinaries, type PulumiWorkspace } from './workspace.js';

/** Rough cold build minutes on this machine's 2 cores (measured, printed before a build starts). */
const COLD_MINUTES: Record<PulumiComponent, number> = { pulumi: 16, 'pulumi-language-nodejs': 3, 'pulumi-resource-kubernetes': 22 };

export interface PulumiBuild {
  readonly binaries: PulumiBinaries & { readonly kubernetesProvider: string };
  readonly stamps: Readonly<Record<PulumiComponent, BuildStamp>>;
}

export const unbuiltPulumiComponents = (): PulumiComponent[] => pulumiComponents.filter((c) => !cachedBuild(c));

/** The three binaries, built first if the cache lacks them (with the factory's lock: one Go build at a time). */
export async function ensurePulumiBinaries(log: (line: string) => void): Promise<PulumiBuild> {
  const stamps: Partial<Record<PulumiComponent, BuildStamp>> = {};
  const dirs: Partial<Record<PulumiComponent, string>> = {};
  for (const component of pulumiComponents) {
    if (!cachedBuild(component)) log(`building ${component} (not cached; about ${COLD_MINUTES[component]} min cold)`);
    const result = await ensureComponentBinaries(component, { log });
    if (!result.cached) log(`built ${component} in ${result.seconds.toFixed(0)} s`);
    stamps[component] = result.stamp;
    dirs[component] = result.dir;
  }
  return {
    binaries: {
      pulumi: path.join(dirs.pulumi!, 'pulumi'),
      languageHost: path.join(dirs['pulumi-language-nodejs']!, 'pulumi-language-nodejs'),
      kubernetesProvider: path.join(dirs['pulumi-resource-kubernetes']!, 'pulumi-resource-kubernetes'),
    },
    stamps: stamps as Record<PulumiComponent, BuildStamp>,
  };
}

/**
 * `pulumi plugin install resource kubernetes <version> --file <binary>`: no download. The version is the one the
 * @pulumi/kubernetes SDK asks the engine for; the CLI warns that the file's own version differs, which is expected.
 */
export async function installKubernetesPlugin(ws: PulumiWorkspace, provider: string): Promise<string> {
  const version = kubernetesPluginVersion();
  await pulumi(ws, ['plugin', 'install', 'resource', 'kubernetes', version, '--file', provider]);
  const listed = await pulumi(ws, ['plugin', 'ls', '--json']);
  const plugins = (JSON.parse(listed.stdout) ?? []) as { name: string; kind: string; version: string }[];
  if (!plugins.some((p) => p.name === 'kubernetes' && p.kind === 'resource' && p.version === version)) {
    throw new Error(`pulumi plugin ls does not show resource kubernetes ${version} after installing it: ${listed.stdout}`);
  }
  return version;
}
