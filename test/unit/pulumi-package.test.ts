import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../model/package-root.js';

const root = packageRoot();
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/** Every package a source file and the files it imports (transitively, relative imports) import, type-only imports included. */
function packagesImportedFrom(entry: string): Set<string> {
  const packages = new Set<string>();
  const seen = new Set<string>();
  const queue = [resolve(root, entry)];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    for (const [, specifier] of source.matchAll(/(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'/g)) {
      if (specifier!.startsWith('.')) queue.push(resolve(dirname(file), specifier!.replace(/\.js$/, '.ts')));
      else packages.add(specifier!.startsWith('@') ? specifier!.split('/').slice(0, 2).join('/') : specifier!.split('/')[0]!);
    }
  }
  expect(seen.size, `sources reached from ${entry}`).toBeGreaterThan(1);
  return packages;
}

describe('the package and Pulumi', () => {
  it('exports the Pulumi component from the "observatory/pulumi" subpath, compiled from stacks/component.ts', () => {
    expect(manifest.exports['./pulumi']).toEqual({ types: './dist/stacks/component.d.ts', import: './dist/stacks/component.js' });
    expect(existsSync(join(root, 'stacks/component.ts'))).toBe(true);
    expect(JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')).include).toContain('stacks/**/*.ts');
  });

  it('keeps Pulumi out of the package root: teams using the cdk8s constructs need no Pulumi package', () => {
    const imported = [...packagesImportedFrom('index.ts')];
    expect(imported.filter((name) => name.startsWith('@pulumi/'))).toEqual([]);
    expect([...packagesImportedFrom('stacks/component.ts')]).toEqual(expect.arrayContaining(['@pulumi/pulumi', '@pulumi/kubernetes', '@pulumi/random']));
  });

  it('declares the Pulumi packages the component imports as optional peers, and all of them as dev dependencies only', () => {
    const pulumiPackages = [...packagesImportedFrom('stacks/component.ts')].filter((name) => name.startsWith('@pulumi/')).sort();
    expect(Object.keys(manifest.peerDependencies).filter((name) => name.startsWith('@pulumi/')).sort()).toEqual(pulumiPackages);
    for (const name of pulumiPackages) expect(manifest.peerDependenciesMeta[name], name).toEqual({ optional: true });
    for (const name of [...packagesImportedFrom('stacks/main.ts')].filter((n) => n.startsWith('@pulumi/'))) {
      expect(manifest.devDependencies[name], name).toBeDefined();
      expect(manifest.dependencies[name], name).toBeUndefined();
    }
    // 3.249 and later need Node 22; the package supports Node 20.
    expect(manifest.devDependencies['@pulumi/pulumi']).toBe('3.248.0');
  });

  it('declares the construct libraries as required peers, so a consumer app and the stack share one copy of each', () => {
    const constructLibraries = ['cdk8s', 'cdk8s-plus-28', 'constructs'];
    expect([...packagesImportedFrom('index.ts')]).toEqual(expect.arrayContaining(constructLibraries));
    for (const name of constructLibraries) {
      expect(manifest.peerDependencies[name], name).toMatch(/^\^\d+\.\d+\.\d+$/);
      expect(manifest.peerDependenciesMeta[name], name).toBeUndefined();
      expect(manifest.devDependencies[name], name).toBeDefined();
      expect(manifest.dependencies[name], name).toBeUndefined();
    }
  });

  it('points Pulumi.yaml at the compiled program', () => {
    const project = readFileSync(join(root, 'Pulumi.yaml'), 'utf8');
    expect(project).toMatch(/^main: dist\/stacks\/main\.js$/m);
    expect(project).toMatch(/^ {4}typescript: false$/m);
  });
});
