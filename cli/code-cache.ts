import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import vm from 'node:vm';

/**
 * A CommonJS script compiled with V8's code cache, the cache written after a run so that it holds every function
 * that run compiled (V8 compiles functions lazily, on first call). Node 20 has no compile cache of its own
 * (`module.enableCompileCache` is Node 22), and a cache made right after compiling, as v8-compile-cache makes it,
 * holds little more than the top level: a cold `synth` measured no faster with it, and about a fifth faster with a
 * cache made after the run (docs/ARCHITECTURE.md, "Light to load").
 */
export interface CachedScript {
  /** Runs the script as a CommonJS module; returns its `module.exports`. */
  run(): unknown;
  /** Whether V8 took a cache for this script (false on a first run, or when V8 refused the cache). */
  readonly fromCache: boolean;
  /** Writes the cache of what has been compiled so far, unless the script came from a cache. Never throws. */
  save(): void;
}

/** Where the bin keeps its caches: in the package's own folder, writable only by whoever installed it. */
export const codeCacheDir = (packageDir: string): string => join(packageDir, '.cache', 'code');

/**
 * The cache file of `source` for `variant` (one per command, each holding its own code path): named by the
 * source's hash, Node's version and the architecture, since V8 checks only the source's length, its own version and
 * its flags.
 */
export function codeCacheFile(cacheDir: string, source: string, variant: string, sourceSha256 = sha256(source)): string {
  return join(cacheDir, `${variant}-${sourceSha256.slice(0, 32)}-${process.version}-${process.arch}.bin`);
}

/** The hex sha256 of a source, as `compileWithCodeCache` names its cache by. */
export const sha256 = (source: string): string => createHash('sha256').update(source).digest('hex');

/** Writes `data` to `file` through a temporary file, so that a concurrent run reads the old cache or the new one. */
function writeAtomically(file: string, data: Buffer): void {
  const partial = join(dirname(file), `.${basename(file)}.${process.pid}`);
  try {
    writeFileSync(partial, data);
    renameSync(partial, file);
  } finally {
    rmSync(partial, { force: true });
  }
}

/**
 * `sourceSha256`, when given, must be the file's hash as `sha256` computes it: the bin's loader carries the hash of
 * the program built with it (build/bundle-cli.ts), which spares hashing 2.3 MB on every start (about 2 ms).
 */
export function compileWithCodeCache(file: string, cacheDir: string, variant: string, sourceSha256?: string): CachedScript {
  const source = readFileSync(file, 'utf8');
  const cacheFile = codeCacheFile(cacheDir, source, variant, sourceSha256);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    cachedData = undefined;
  }
  // The same wrapper Node puts around a CommonJS module, so that line and column numbers in stack traces hold.
  const wrapper = `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;
  const script = new vm.Script(wrapper, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const fromCache = cachedData !== undefined && !script.cachedDataRejected;
  return {
    fromCache,
    run() {
      const module = { exports: {} as unknown };
      const compiled = script.runInThisContext() as (e: unknown, r: NodeJS.Require, m: typeof module, f: string, d: string) => void;
      compiled.call(module.exports, module.exports, createRequire(file), module, file, dirname(file));
      return module.exports;
    },
    save() {
      if (fromCache) return;
      // A cache is an optimization: a folder that cannot be written (a read-only install) just means no cache.
      try {
        mkdirSync(cacheDir, { recursive: true });
        writeAtomically(cacheFile, script.createCachedData());
        // The caches of earlier builds (or Node versions) of this variant are stale: one file per variant is kept.
        for (const stale of readdirSync(cacheDir).filter((f) => f.startsWith(`${variant}-`) && f !== basename(cacheFile))) rmSync(join(cacheDir, stale), { force: true });
      } catch {
        // no cache this time
      }
    },
  };
}
