#!/usr/bin/env node
// The package's `observatory` bin (dist/bin/observatory.cjs): runs the bundled program (dist/bin/program.cjs,
// written by build/bundle-cli.ts) through V8's code cache (cli/code-cache.ts), kept in the package's .cache/code/.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../model/package-root.js';
import { codeCacheDir, compileWithCodeCache } from './code-cache.js';

/** The sha256 of program.cjs, defined by build/bundle-cli.ts when it bundles this loader beside the program. */
declare const __observatoryProgramSha256: string | undefined;
const programSha256 = typeof __observatoryProgramSha256 === 'string' ? __observatoryProgramSha256 : undefined;

const argv = process.argv.slice(2);
/** Each command compiles its own code path, so each keeps its own cache. */
const command = argv.find((arg) => arg === 'synth' || arg === 'validate') ?? 'other';
const program = compileWithCodeCache(join(dirname(fileURLToPath(import.meta.url)), 'program.cjs'), codeCacheDir(packageRoot()), command, programSha256);
const { main } = program.run() as { main(args: string[]): Promise<number> };
// Built as CommonJS (no top-level await): Node starts a CommonJS entry without its ES module loader, ~10 ms sooner.
void main(argv).then((code) => {
  if (code === 0) program.save();
  // The command is done: exit once stdout and stderr have taken what was written (a write's callback runs after the
  // writes before it), rather than when the event loop runs dry. At that point V8 still finishes the incremental
  // marking the run's heap growth started (a full mark-compact, 5-8 ms of a cold synth) before the process may end.
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
});
