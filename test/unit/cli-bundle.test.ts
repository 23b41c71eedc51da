import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeCacheDir, codeCacheFile, sha256 } from '../../cli/code-cache.js';
import { packageRoot } from '../../model/package-root.js';
import { environments } from '../../model/spec.js';
import { observatoryBin, unbundledCli } from '../helpers/cli-bin.js';

/**
 * The shipped `observatory` bin is an esbuild bundle (build/bundle-cli.ts); these tests hold it to the unbundled
 * tsc output, which the library is made of and the other tests exercise: same files, byte for byte, same output.
 */
const bin = observatoryBin();
let scratch: string;
beforeAll(() => {
  for (const file of [bin, unbundledCli()]) if (!existsSync(file)) throw new Error(`${file} is missing: run "npm run build" first (npm test does)`);
  // tsc rewrites every output, so a bundle older than tsc's CLI was made from other sources: compare nothing stale.
  const bundle = join(dirname(bin), 'program.cjs');
  if (statSync(bundle).mtimeMs < statSync(unbundledCli()).mtimeMs) {
    throw new Error(`${bundle} is older than ${unbundledCli()}: tsc ran after the bundle was made; run "npm run build" (npm test does)`);
  }
  scratch = mkdtempSync(join(tmpdir(), 'observatory-bundle-'));
});
afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const run = (cli: string, args: readonly string[]) => spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });

/** Every file under `dir` by relative path → content. */
function tree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files.set(relative(dir, join(entry.parentPath, entry.name)), readFileSync(join(entry.parentPath, entry.name), 'utf8'));
  }
  return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
}

/** Credentials are random on every run: these files are compared with their values masked. */
const maskedCredentials: Record<string, (content: string) => unknown> = {
  'compose/.env': (content) => content.replace(/^([A-Za-z_][A-Za-z0-9_]*)=.*$/gm, '$1=<random>'),
  'k8s-secrets.yaml': (content) =>
    yaml.loadAll(content).map((secret) => {
      const { stringData, ...rest } = secret as { stringData: Record<string, string> };
      return { ...rest, stringData: Object.keys(stringData) };
    }),
};
/** The output folder and the render time differ between the two runs and say nothing about the bundle. */
const comparableStdout = (stdout: string, outDir: string) => stdout.replaceAll(outDir, '<out>').replace(/rendered in \d+ ms/, 'rendered in <n> ms');

describe.each(environments)('`synth --env %s` by the bundled bin', (env) => {
  let bundled: { out: string; result: ReturnType<typeof run> };
  let unbundled: { out: string; result: ReturnType<typeof run> };
  beforeAll(() => {
    const synth = (cli: string, name: string) => {
      const out = join(scratch, `${env}-${name}`);
      return { out, result: run(cli, ['synth', '--env', env, '--out', out, '--generate-secrets']) };
    };
    bundled = synth(bin, 'bundled');
    unbundled = synth(unbundledCli(), 'unbundled');
  });

  it('writes the same files, byte for byte, as the unbundled CLI', () => {
    expect(bundled.result.stderr).toBe('');
    expect(bundled.result.status).toBe(0);
    expect(unbundled.result.status, unbundled.result.stderr).toBe(0);
    const [got, want] = [tree(bundled.out), tree(unbundled.out)];
    expect([...got.keys()]).toEqual([...want.keys()]);
    expect(Object.keys(maskedCredentials).every((file) => want.has(file))).toBe(true);
    expect(got.size).toBeGreaterThan(20);
    for (const [file, content] of want) {
      const mask = maskedCredentials[file];
      if (mask) expect(mask(got.get(file)!), file).toEqual(mask(content));
      else expect(got.get(file) === content, `${file} differs`).toBe(true);
    }
  });

  it('prints the same report', () => {
    expect(comparableStdout(bundled.result.stdout, bundled.out)).toBe(comparableStdout(unbundled.result.stdout, unbundled.out));
  });

  it('writes the same files again when run from the code cache the first run left', () => {
    // The first run above wrote the cache for `synth` (or found it): this one runs from it.
    expect(readdirSync(codeCacheDir(packageRoot())).some((f) => f.startsWith('synth-'))).toBe(true);
    const again = join(scratch, `${env}-again`);
    const result = run(bin, ['synth', '--env', env, '--out', again]);
    expect(result.status, result.stderr).toBe(0);
    const [got, want] = [tree(again), tree(unbundled.out)];
    for (const [file, content] of got) if (!maskedCredentials[file]) expect(content === want.get(file), `${file} differs`).toBe(true);
    expect(got.size).toBe(want.size - 1); // no k8s-secrets.yaml without --generate-secrets
  });
});

describe('the bundled bin beside the unbundled CLI', () => {
  it('names its code cache by the hash of the program beside it, which the loader carries from the build', () => {
    const result = run(bin, ['synth', '--env', 'local', '--out', join(scratch, 'cache-name')]);
    expect(result.status, result.stderr).toBe(0);
    const program = join(dirname(bin), 'program.cjs');
    const name = basename(codeCacheFile(codeCacheDir(packageRoot()), '', 'synth', sha256(readFileSync(program, 'utf8'))));
    expect(readdirSync(codeCacheDir(packageRoot()))).toContain(name);
    expect(readFileSync(bin, 'utf8')).toContain(JSON.stringify(sha256(readFileSync(program, 'utf8'))));
  });

  it.each(environments)('`validate --env %s`: same verdict, same output', (env) => {
    const [got, want] = [run(bin, ['validate', '--env', env]), run(unbundledCli(), ['validate', '--env', env])];
    expect([got.status, got.stdout, got.stderr]).toEqual([want.status, want.stdout, want.stderr]);
    expect(got.status).toBe(0);
  });

  it('fails the same way on a bad spec and on bad usage', () => {
    const spec = join(scratch, 'bad-spec.yaml');
    writeFileSync(spec, 'environment: stagin\ncomponents: { lokii: {} }\n');
    for (const args of [['synth', '--spec', spec, '--out', join(scratch, 'never')], ['synth', '--nope'], ['frobnicate']]) {
      const [got, want] = [run(bin, args), run(unbundledCli(), args)];
      expect([got.status, got.stdout, got.stderr]).toEqual([want.status, want.stdout, want.stderr]);
      expect(got.status).toBe(2);
    }
    expect(existsSync(join(scratch, 'never'))).toBe(false);
  });

  it('synthesizes from the bundle alone, without a validation-only package', () => {
    // Every module the ES module loader loads, and every file that comes in through require.
    const hooks = join(scratch, 'hooks.mjs');
    writeFileSync(hooks, `import { writeSync } from 'node:fs';\nexport async function load(url, context, next) {\n  writeSync(2, 'esm-loader ' + url + '\\n');\n  return next(url, context);\n}\n`);
    const probe = join(scratch, 'probe.mjs');
    writeFileSync(
      probe,
      `import { register, createRequire } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n` +
        `process.on('exit', () => process.stderr.write('required ' + JSON.stringify(Object.keys(createRequire(import.meta.url).cache)) + '\\n'));\n`,
    );
    const result = spawnSync(process.execPath, ['--import', pathToFileURL(probe).href, bin, 'synth', '--env', 'prod', '--out', join(scratch, 'load')], { encoding: 'utf8' });
    expect(result.status, result.stderr).toBe(0);
    const esm = result.stderr.split('\n').filter((l) => l.startsWith('esm-loader ')).map((l) => l.slice('esm-loader '.length));
    // With loader hooks registered, Node hands even a CommonJS main module to the ES module loader: the bin, alone.
    expect(esm.filter((url) => url.startsWith('file:') && url !== pathToFileURL(hooks).href && url !== pathToFileURL(probe).href)).toEqual([pathToFileURL(bin).href]);
    const required = JSON.parse(result.stderr.split('\n').find((l) => l.startsWith('required '))!.slice('required '.length)) as string[];
    // The bin is CommonJS; the bundle is compiled by it (cli/code-cache.ts), not required: nothing else of the package
    // or its dependencies comes through require.
    expect(required.filter((file) => file.includes('/node_modules/') || file.includes('/dist/'))).toEqual([bin]);
  });
});
