import { spawnSync } from 'node:child_process';
import { observatoryBin } from '../cli/bin-path.js';
import { outputFolders } from './output-folders.js';

/**
 * Median wall time of N cold `observatory synth` processes rendering the whole stack (both renderers), run as the
 * package's bin.
 */
const runs = Number(process.env['BENCH_RUNS'] ?? 5);
const cli = observatoryBin();
const times: number[] = [];
const outputs = outputFolders('observatory-bench-');
for (let i = 0; i < runs; i++) {
  const out = outputs.next();
  const started = performance.now();
  const result = spawnSync(process.execPath, [cli, 'synth', '--env', 'prod', '--out', out], { encoding: 'utf8' });
  const ms = performance.now() - started;
  if (result.status !== 0) {
    outputs.removeAll();
    console.error(result.stderr);
    process.exit(1);
  }
  times.push(ms);
  console.log(`run ${i + 1}/${runs}: ${ms.toFixed(0)} ms`);
}
outputs.removeAll();
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)]!;
console.log(`synth (prod preset, Kubernetes + compose, cold process): median ${median.toFixed(0)} ms over ${runs} runs (min ${times[0]!.toFixed(0)}, max ${times.at(-1)!.toFixed(0)}); target < 1500 ms`);
