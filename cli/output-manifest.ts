import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

/**
 * The record of what `synth` wrote into an output folder, so that a later synth removes exactly its own stale
 * files and never a file someone else put there (an infra repo running `synth --out .` keeps its own
 * `k8s/`, `dashboards/` and `runbooks/` files).
 */
export const MANIFEST_FILE = '.observatory-synth.json';

/** Thrown before anything is written: the output folder holds files synth would overwrite but did not write. */
export class ForeignFilesError extends Error {
  constructor(readonly files: readonly string[]) {
    const shownFiles = files.slice(0, 10).join(', ') + (files.length > 10 ? ` and ${files.length - 10} more` : '');
    super(`refusing to overwrite ${files.length} file(s) that synth did not write: ${shownFiles} (move them away, or pass --overwrite)`);
  }
}

/** A manifest that exists but is not one synth wrote: guessing what it lists could delete a user's files. */
export class ManifestError extends Error {}

interface Manifest {
  readonly generatedBy: 'observatory synth';
  /** Paths relative to the output folder, `/`-separated. */
  readonly files: readonly string[];
}

const posix = (path: string) => path.split(sep).join('/');

export function readManifest(outDir: string): ReadonlySet<string> {
  const path = join(outDir, MANIFEST_FILE);
  if (!existsSync(path)) return new Set();
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ManifestError(`${path}: not a synth manifest (${(error as Error).message}); delete it to start over`);
  }
  const files = (parsed as Partial<Manifest> | null)?.files;
  if (!Array.isArray(files) || !files.every((f) => typeof f === 'string' && !f.startsWith('/') && !f.split('/').includes('..'))) {
    throw new ManifestError(`${path}: not a synth manifest (expected "files": a list of relative paths); delete it to start over`);
  }
  return new Set(files);
}

/** Files among `planned` that exist but the previous synth did not write. */
export function foreignFiles(outDir: string, planned: Iterable<string>, previous: ReadonlySet<string>): string[] {
  return [...planned].filter((file) => !previous.has(file) && existsSync(join(outDir, file))).sort();
}

/** Removes what the previous synth wrote and this one does not, and the folders that leaves empty. */
export function removeStale(outDir: string, previous: ReadonlySet<string>, planned: ReadonlySet<string>): void {
  for (const file of previous) {
    if (planned.has(file)) continue;
    const path = join(outDir, file);
    if (!existsSync(path) || !statSync(path).isFile()) continue;
    rmSync(path);
    for (let dir = dirname(path); relative(outDir, dir) !== '' && readdirSync(dir).length === 0; dir = dirname(dir)) rmdirSync(dir);
  }
}

export function writeManifest(outDir: string, written: Iterable<string>): void {
  const manifest: Manifest = { generatedBy: 'observatory synth', files: [...written].map(posix).sort() };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}
