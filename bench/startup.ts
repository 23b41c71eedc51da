import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { observatoryBin } from '../cli/bin-path.js';
import { codeCacheDir } from '../cli/code-cache.js';
import { packageRoot } from '../model/package-root.js';
import { outputFolders } from './output-folders.js';

/**
 * A cold `observatory synth --env prod` (a new process) against a bare `node -e ''`, run in pairs (same moment, same
 * machine load), median of N pairs (7 unless BENCH_PAIRS says otherwise), and the ratio of the medians. The command
 * is the package's `bin` (the bundle `npm run build` writes), as `npx observatory` runs it; the first run after a
 * build, which has no code cache yet, is timed and printed on its own before the pairs.
 */
const pairs = Number(process.env['BENCH_PAIRS'] ?? 7);
const cli = observatoryBin();
const compared = process.env['BENCH_COMPARE'];
if (compared !== undefined && !existsSync(compared)) throw new Error(`BENCH_COMPARE: no such file "${compared}"`);

function timed(args: readonly string[]): number {
  const started = performance.now();
  const result = spawnSync(process.execPath, args, { encoding: 'utf8' });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed:\n${result.stderr}`);
  return ms;
}

/** The machine's load, printed beside the figures: other jobs on the machine skew the pairs, and by how much varies. */
const load = () => `load average ${loadavg().map((l) => l.toFixed(2)).join(', ')}`;
console.log(`start: ${load()}; node ${cli.slice(packageRoot().length + 1)}`);
// The first run after a build compiles everything and leaves the code cache (cli/code-cache.ts) the others run from.
rmSync(codeCacheDir(packageRoot()), { recursive: true, force: true });
const outputs = outputFolders('observatory-startup-');
const first = timed([cli, 'synth', '--env', 'prod', '--out', outputs.next()]);
console.log(`first synth --env prod after a build (no code cache yet; writes it): ${first.toFixed(0)} ms`);
const median = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const bare: number[] = [];
const synth: number[] = [];
const other: number[] = [];
for (let i = 0; i < pairs; i++) {
  bare.push(timed(['-e', '']));
  synth.push(timed([cli, 'synth', '--env', 'prod', '--out', outputs.next()]));
  if (compared !== undefined) other.push(timed([compared, 'synth', '--env', 'prod', '--out', outputs.next()]));
  const otherFigure = compared === undefined ? '' : `, compared build ${other.at(-1)!.toFixed(0)} ms`;
  console.log(`pair ${i + 1}/${pairs}: node -e '' ${bare.at(-1)!.toFixed(0)} ms, synth --env prod ${synth.at(-1)!.toFixed(0)} ms${otherFigure}`);
}
outputs.removeAll();
const ratio = median(synth) / median(bare);
console.log(`end: ${load()}`);
console.log(`cold synth --env prod: median ${median(synth).toFixed(0)} ms; bare node: median ${median(bare).toFixed(0)} ms; ratio ${ratio.toFixed(1)}× (target ≤ 5×)`);
if (compared !== undefined) {
  console.log(`compared build (${compared}): median ${median(other).toFixed(0)} ms; ratio ${(median(other) / median(bare)).toFixed(1)}×`);
}
