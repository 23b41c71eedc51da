import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { packageRoot } from '../../model/package-root.js';

/** The bin runs its bundle through V8's code cache (cli/code-cache.ts): a cache must never run code other than the file's. */
let dir: string;
let cacheDir: string;
beforeEach(() => {
  if (!existsSync(join(packageRoot(), 'dist', 'cli', 'code-cache.js'))) throw new Error('dist/ is missing: run "npm run build" first (npm test does)');
  dir = mkdtempSync(join(tmpdir(), 'observatory-code-cache-'));
  cacheDir = join(dir, 'cache');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A CommonJS script whose result says which source ran; `answer` keeps the length the same across versions. */
function script(answer: number): string {
  const file = join(dir, 'program.cjs');
  writeFileSync(file, `const work = (n) => n * 2;\nmodule.exports = { answer: work(${answer}), filename: __filename, require: typeof require };\n`);
  return file;
}
/**
 * One run of the bin's way, in a process of its own: within one process V8 serves a script it compiled before from
 * memory, and would never look at the cache.
 */
function runOnce(file: string, variant = 'synth'): { fromCache: boolean; answer: number; filename: string; require: string } {
  const probe =
    `import { compileWithCodeCache } from ${JSON.stringify(pathToFileURL(join(packageRoot(), 'dist', 'cli', 'code-cache.js')).href)};\n` +
    `const compiled = compileWithCodeCache(${JSON.stringify(file)}, ${JSON.stringify(cacheDir)}, ${JSON.stringify(variant)});\n` +
    `const exports = compiled.run();\ncompiled.save();\nconsole.log(JSON.stringify({ fromCache: compiled.fromCache, ...exports }));`;
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(result.stderr);
  return JSON.parse(result.stdout);
}

describe('the bin\'s code cache', () => {
  it('runs the file as a CommonJS module, and from the cache the next time', () => {
    const file = script(21);
    expect(runOnce(file)).toEqual({ fromCache: false, answer: 42, filename: file, require: 'function' });
    expect(readdirSync(cacheDir)).toHaveLength(1);
    expect(runOnce(file)).toEqual({ fromCache: true, answer: 42, filename: file, require: 'function' });
  });

  it('never runs a cache made from another version of the file, even one of the same length', () => {
    runOnce(script(21));
    expect(runOnce(script(12))).toMatchObject({ fromCache: false, answer: 24 });
    expect(runOnce(script(12))).toMatchObject({ fromCache: true, answer: 24 });
    // One cache per variant: the stale one is gone.
    expect(readdirSync(cacheDir)).toHaveLength(1);
  });

  it('keeps one cache per command', () => {
    const file = script(21);
    runOnce(file, 'synth');
    expect(runOnce(file, 'validate')).toMatchObject({ fromCache: false, answer: 42 });
    expect(readdirSync(cacheDir).sort().map((f) => f.split('-')[0])).toEqual(['synth', 'validate']);
  });

  it('runs without a cache when the cache is damaged or cannot be written', () => {
    const file = script(21);
    runOnce(file);
    const [cacheFile] = readdirSync(cacheDir);
    writeFileSync(join(cacheDir, cacheFile!), 'not a V8 code cache');
    expect(runOnce(file)).toMatchObject({ fromCache: false, answer: 42 });
    rmSync(cacheDir, { recursive: true });
    writeFileSync(cacheDir, 'a file where the cache folder would be');
    expect(runOnce(file)).toMatchObject({ fromCache: false, answer: 42 });
  });
});
