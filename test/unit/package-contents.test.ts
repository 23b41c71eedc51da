import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../model/package-root.js';

const root = packageRoot();
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

/**
 * Files the package reads at run time by path rather than by import (the compose schema for `validate`, the bundle
 * the bin compiles), and the notices of the packages that bundle holds (build/bundle-cli.ts).
 */
const dataFiles = ['compose/schema/compose-spec.json', 'dist/bin/program.cjs', 'dist/bin/THIRD-PARTY-NOTICES.txt'];
/** The bin's esbuild bundle: JavaScript without declarations (nothing imports it). */
const bundled = (file: string) => file.startsWith('dist/bin/');

/** A compiled file and every relative module it imports or re-exports, statically, dynamically or as a type. */
function closureOf(entries: readonly string[]): Set<string> {
  const files = new Set<string>();
  const queue = entries.map((e) => normalize(e));
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const text = readFileSync(join(root, file), 'utf8');
    for (const [, specifier] of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm)) {
      const target = join(dirname(file), specifier!);
      queue.push(file.endsWith('.d.ts') ? target.replace(/\.js$/, '.d.ts') : target);
    }
  }
  return files;
}

/**
 * What the `exports` and the `observatory` bin need: the modules they load, the declarations their types reach,
 * the declaration of every module they load (a consumer's deep type lookups land there), and the data files.
 */
function neededFiles(): Set<string> {
  const exportsOf = Object.values(manifest.exports as Record<string, { types: string; import: string }>);
  const javascript = closureOf([...exportsOf.map((e) => e.import), ...Object.values(manifest.bin as Record<string, string>)]);
  const declarations = closureOf(exportsOf.map((e) => e.types));
  const declarationsOfModules = [...javascript].filter((file) => !bundled(file)).map((file) => file.replace(/\.js$/, '.d.ts'));
  return new Set([...javascript, ...declarations, ...declarationsOfModules, ...dataFiles, 'package.json', 'README.md', 'LICENSE']);
}

let packed: Set<string>;
beforeAll(() => {
  for (const file of Object.values(manifest.bin as Record<string, string>)) {
    if (!existsSync(join(root, file))) throw new Error(`${file} is missing: run "npm run build" first (npm test does)`);
  }
  // --ignore-scripts: `prepare` would rebuild dist/ under the other tests' feet.
  const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
  packed = new Set((JSON.parse(output) as [{ files: { path: string }[] }])[0].files.map((f) => f.path));
});

describe('the npm package', () => {
  it('holds only what its exports and its bin need', () => {
    const needed = neededFiles();
    expect([...packed].filter((file) => !needed.has(file)).sort()).toEqual([]);
  });

  it('holds everything its exports and its bin need', () => {
    expect([...neededFiles()].filter((file) => !packed.has(file)).sort()).toEqual([]);
  });

  it('ships the license its manifest names', () => {
    expect(manifest.license).toBe('Apache-2.0');
    expect(readFileSync(join(root, 'LICENSE'), 'utf8')).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
  });
});
