import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../model/package-root.js';
import { binaryPath, recipeFor } from '../images/binaries.js';
import { kubernetesPluginVersion, PULUMI_VERSION } from '../pulumi/recipes.js';

const packageJson = (file: string) => JSON.parse(readFileSync(join(packageRoot(), file), 'utf8'));

describe('the factory recipes npm run test:pulumi builds its Pulumi from', () => {
  it('builds the CLI at the version of the @pulumi/pulumi SDK the package pins and installs', () => {
    expect(packageJson('package.json').devDependencies['@pulumi/pulumi']).toBe(PULUMI_VERSION.replace(/^v/, ''));
    expect(packageJson('node_modules/@pulumi/pulumi/package.json').version).toBe(PULUMI_VERSION.replace(/^v/, ''));
    expect(recipeFor('pulumi').ldflags).toContain(`version.Version=${PULUMI_VERSION}`);
  });

  it('stamps the Kubernetes provider and its schema with the plugin version @pulumi/kubernetes asks for', () => {
    const requested = packageJson('node_modules/@pulumi/kubernetes/package.json').pulumi.version;
    expect(kubernetesPluginVersion()).toBe(requested);
    const recipe = recipeFor('pulumi-resource-kubernetes');
    expect(recipe.ldflags).toBe(`-X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=${requested}`);
    expect(recipe.generate).toEqual([{ args: ['./generate.go'], dir: 'cmd/pulumi-resource-kubernetes', env: { VERSION: requested } }]);
  });

  it('names every binary by the plugin name the CLI looks for', () => {
    for (const name of ['pulumi', 'pulumi-language-nodejs', 'pulumi-resource-kubernetes']) expect(binaryPath(name).endsWith(`/${name}`)).toBe(true);
  });
});
