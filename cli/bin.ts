#!/usr/bin/env node
// The package's `observatory` bin (dist/bin/observatory.cjs): runs the bundled program (dist/bin/program.cjs,
// written by build/bundle-cli.ts) through V8's code cache (cli/code-cache.ts), kept in the package's .cache/code/.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../model/package-root.js';
import { codeCacheDir, compileWithCodeCache } from './code-cache.js';

const argv = process.argv.slice(2);
/** Each command compiles its own code path, so each keeps its own cache. */
const command = argv.find((arg) => arg === 'synth' || arg === 'validate') ?? 'other';
const program = compileWithCodeCache(join(dirname(fileURLToPath(import.meta.url)), 'program.cjs'), codeCacheDir(packageRoot()), command);
const { main } = program.run() as { main(args: string[]): Promise<number> };
// Built as CommonJS (no top-level await): Node starts a CommonJS entry without its ES module loader, ~10 ms sooner.
void main(argv).then((code) => {
  process.exitCode = code;
  if (code === 0) program.save();
});
