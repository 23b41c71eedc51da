import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../model/package-root.js';

const dist = join(packageRoot(), 'dist');
/** Packages only validation needs (`observatory validate`, `kubernetesSchemaProblems`, `composeSchemaProblems`). */
const validationOnly = ['kubernetes-models', '@kubernetes-models', 'ajv', 're2-wasm'];

/** The packages (by node_modules folder) a Node process loaded by the time `script` finished. */
function packagesLoadedBy(script: string): string[] {
  const probe = `${script}\nconst { createRequire } = await import('node:module');\n` +
    `console.log(JSON.stringify(Object.keys(createRequire(import.meta.url).cache)));`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8', cwd: packageRoot() });
  if (result.status !== 0) throw new Error(result.stderr);
  const files = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as string[];
  return [...new Set(files.flatMap((f) => /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f)?.[1] ?? []))].sort();
}
const validationPackagesAmong = (packages: string[]) => packages.filter((p) => validationOnly.some((v) => p === v || p.startsWith(`${v}/`)));

beforeAll(() => {
  if (!existsSync(join(dist, 'cli', 'main.js'))) throw new Error('dist/ is missing: run "npm run build" first (npm test does)');
});

describe('what a consumer loads', () => {
  it('synthesizes the stack from the package root without loading a validation-only package', () => {
    const loaded = packagesLoadedBy(
      `const { App } = await import('cdk8s');\nconst o = await import(${JSON.stringify(pathToFileURL(join(dist, 'index.js')).href)});\n` +
        `const app = new App({ outdir: '/nonexistent-cdk8s-outdir' }); new o.ObservabilityStack(app, 'observability', { spec: { environment: 'prod' } }); app.synthYaml();`,
    );
    expect(loaded).toContain('cdk8s-plus-28');
    expect(validationPackagesAmong(loaded)).toEqual([]);
  });

  it('runs `observatory synth` without loading one either', () => {
    const out = mkdtempSync(join(tmpdir(), 'observatory-load-'));
    try {
      const cli = pathToFileURL(join(dist, 'cli', 'main.js')).href;
      const loaded = packagesLoadedBy(`process.argv = [process.execPath, 'observatory', 'synth', '--env', 'prod', '--out', ${JSON.stringify(out)}];\nawait import(${JSON.stringify(cli)});`);
      expect(loaded).toContain('cdk8s-plus-28');
      expect(validationPackagesAmong(loaded)).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  describe('`observatory synth` through the ES module loader', () => {
    /** What the ES module loader loaded, as `<format> <url>`. */
    let loaded: string[] = [];
    let result: SpawnSyncReturns<string>;
    beforeAll(() => {
      const dir = mkdtempSync(join(tmpdir(), 'observatory-load-'));
      try {
        const hooks = join(dir, 'hooks.mjs');
        writeFileSync(hooks, `import { writeSync } from 'node:fs';\nexport async function load(url, context, next) {\n  const loaded = await next(url, context);\n  writeSync(2, 'esm-loader ' + loaded.format + ' ' + url + '\\n');\n  return loaded;\n}\n`);
        const register = join(dir, 'register.mjs');
        writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
        result = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, join(dist, 'cli', 'main.js'), 'synth', '--env', 'prod', '--out', join(dir, 'out')], { encoding: 'utf8' });
        loaded = result.stderr.split('\n').filter((l) => l.startsWith('esm-loader ')).map((l) => l.slice('esm-loader '.length));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('loads CommonJS packages with require, not through the ES module loader', () => {
      // Imported, a CommonJS package costs Node 20 a scan of every file it re-exports and an ES-module-loader pass for
      // each of its own requires: about a third of a cold synth (docs/ARCHITECTURE.md, "Light to load").
      expect(result.status, result.stderr).toBe(0);
      expect(loaded.filter((l) => l.startsWith('commonjs ')).map((l) => l.replace(/.*\/node_modules\//, ''))).toEqual([]);
    });

    it('does not load the checks only `validate` runs', () => {
      expect(result.status, result.stderr).toBe(0);
      expect(loaded.some((l) => l.endsWith('/dist/cli/render.js'))).toBe(true);
      const validationModules = loaded.filter((l) => /\/dist\/(cli\/validate|[a-z]+\/schema-check|dashboards\/(dashboard-queries|expression-check))\.js$/.test(l));
      expect(validationModules).toEqual([]);
    });
  });

  it('loads them for `observatory validate`, which needs them', () => {
    const cli = pathToFileURL(join(dist, 'cli', 'main.js')).href;
    const loaded = packagesLoadedBy(`process.argv = [process.execPath, 'observatory', 'validate', '--env', 'local'];\nawait import(${JSON.stringify(cli)});`);
    expect(validationPackagesAmong(loaded)).toEqual(expect.arrayContaining(['ajv', 'kubernetes-models']));
  });
});
