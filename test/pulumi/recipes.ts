/**
 * Build recipes of what `npm run test:pulumi` needs to run `pulumi up` offline: the Pulumi CLI, the Node.js
 * language host and the Kubernetes resource provider, built from the Go module proxy by the image factory's
 * builder (test/images/binaries.ts) and cached by version under <cache>/bin/<component>-<version>/ like every
 * other binary of the factory. No plugin is downloaded: the CLI's plugin downloads (GitHub, get.pulumi.com) are
 * unreachable here, so the test installs these into a private PULUMI_HOME from the cache.
 *
 * Versions are what the reachable Go module proxy serves; each choice says why.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../../model/package-root.js';
import type { Recipe } from '../images/binaries.js';

/** The CLI: the version of the @pulumi/pulumi SDK package.json pins (the engine and the SDK speak one protocol). */
export const PULUMI_VERSION = 'v3.248.0';
/**
 * The Node.js language host. Its own module (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3)
 * answers 403 on the reachable proxy at every version; up to v3.68.0 it was a package of sdk/v3, which is served.
 * The language host protocol is stable (gRPC, versioned by the engine): v3.68.0 runs programs for CLI v3.248.0.
 */
export const PULUMI_LANGUAGE_NODEJS_VERSION = 'v3.68.0';
/**
 * The Kubernetes provider. The proxy serves github.com/pulumi/pulumi-kubernetes/provider/v4 only as this
 * pseudo-version, a main-branch commit of 2026-01-15 (no v4.x tag is served); it is older than the 4.34.2 the
 * @pulumi/kubernetes SDK asks for, and is installed under the SDK's version (see `kubernetesPluginVersion`).
 */
export const PULUMI_KUBERNETES_VERSION = 'v4.0.0-20260115033456-f47bc2d6f199';

export const pulumiComponents = ['pulumi', 'pulumi-language-nodejs', 'pulumi-resource-kubernetes'] as const;
export type PulumiComponent = (typeof pulumiComponents)[number];

export const pulumiComponentVersion: Record<PulumiComponent, string> = {
  pulumi: PULUMI_VERSION,
  'pulumi-language-nodejs': PULUMI_LANGUAGE_NODEJS_VERSION,
  'pulumi-resource-kubernetes': PULUMI_KUBERNETES_VERSION,
};

/** Where the Pulumi Go SDK's linker-set version lives (`pulumi version`, the language host's --version). */
const sdkVersionFlag = (version: string) => `-X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=${version}`;

interface PluginPackageJson {
  readonly version?: string;
  readonly pulumi?: { readonly resource?: boolean; readonly name?: string; readonly version?: string };
}

/**
 * The plugin version the installed @pulumi/kubernetes SDK requests from the engine (its package.json `pulumi`
 * block, e.g. 4.34.2): the provider is installed under it, whatever commit it was built from.
 */
export function kubernetesPluginVersion(root = packageRoot()): string {
  const file = path.join(root, 'node_modules', '@pulumi', 'kubernetes', 'package.json');
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run npm ci first (the plugin is installed under the version that package requests)`);
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8')) as PluginPackageJson;
  const version = pkg.pulumi?.version ?? pkg.version;
  if (!version) throw new Error(`${file}: no version`);
  return version.replace(/^v/, '');
}

export function pulumiRecipe(component: PulumiComponent, version: string): Recipe {
  switch (component) {
    case 'pulumi':
      return {
        component,
        version,
        module: 'github.com/pulumi/pulumi/pkg/v3',
        moduleVersion: version,
        method: 'copy',
        binaries: [{ name: 'pulumi', pkg: './cmd/pulumi' }],
        ldflags: sdkVersionFlag(version),
        tags: '',
        // go.mod's `replace github.com/pulumi/pulumi/sdk/v3 => ../sdk` (the monorepo's sibling folder) is pointed
        // at sdk/v3 of the same version in the module cache by the builder (fixLocalReplaces).
      };
    case 'pulumi-language-nodejs':
      return {
        component,
        version,
        module: 'github.com/pulumi/pulumi/sdk/v3',
        moduleVersion: version,
        method: 'copy',
        binaries: [{ name: 'pulumi-language-nodejs', pkg: './nodejs/cmd/pulumi-language-nodejs' }],
        ldflags: sdkVersionFlag(version),
        tags: '',
        note: `language host of sdk/v3@${version} (the newest served that contains it) for CLI ${PULUMI_VERSION}`,
      };
    case 'pulumi-resource-kubernetes': {
      const plugin = kubernetesPluginVersion();
      return {
        component,
        version,
        module: 'github.com/pulumi/pulumi-kubernetes/provider/v4',
        moduleVersion: version,
        method: 'copy',
        binaries: [{ name: 'pulumi-resource-kubernetes', pkg: './cmd/pulumi-resource-kubernetes' }],
        // The provider reports (and its schema carries) the version it is installed under, as upstream's release
        // builds do (their Makefile sets VERSION the same way).
        ldflags: `-X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=${plugin}`,
        tags: '',
        // main.go embeds schema-embed.json and terraform-mapping-embed.json, which its `go:generate go run
        // ./generate.go` writes from schema.json (stamped with VERSION) and terraform-mapping.json; the module zip
        // has only the sources.
        generate: [{ args: ['./generate.go'], dir: 'cmd/pulumi-resource-kubernetes', env: { VERSION: plugin } }],
        // go.mod's `replace .../sdk/v4 => ../sdk` is pointed at the module cache by the builder (fixLocalReplaces).
        note: `a main-branch commit of 2026-01-15 (${version}), installed as plugin kubernetes ${plugin}, the version @pulumi/kubernetes requests`,
      };
    }
  }
}
