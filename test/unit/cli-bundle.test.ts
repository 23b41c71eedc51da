import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import yaml from 'js-yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
  scratch = mkdtempSync(join(tmpdir(), 'observatory-bundle-'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

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
});

describe('the bundled bin beside the unbundled CLI', () => {
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

  it('does not load what only `validate` needs when it synthesizes', () => {
    // Every module the ES module loader loads, and every package that comes in through require.
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
    expect(esm.filter((url) => url.includes('/dist/bin/')).length).toBeGreaterThan(0);
    // `validate`'s checks are a chunk of their own, which synth never loads.
    expect(readdirSync(dirname(bin)).filter((f) => /^validate-[^/]*\.js$/.test(f))).toHaveLength(1);
    expect(esm.filter((url) => /\/dist\/bin\/validate-[^/]*\.js$/.test(url))).toEqual([]);
    // The bundle is self-contained: no module of the package's own dist/ or node_modules/ through the ES module loader.
    expect(esm.filter((url) => url.startsWith('file:') && !url.includes('/dist/bin/') && url !== pathToFileURL(hooks).href && url !== pathToFileURL(probe).href)).toEqual([]);
    const required = JSON.parse(result.stderr.split('\n').find((l) => l.startsWith('required '))!.slice('required '.length)) as string[];
    expect(required.filter((file) => /node_modules\/(kubernetes-models|@kubernetes-models|ajv|re2-wasm)\//.test(file))).toEqual([]);
  });
});
