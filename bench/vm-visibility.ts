/**
 * node dist/bench/vm-visibility.js [extra VictoriaMetrics flags] — how long a sample written to VictoriaMetrics
 * takes to become readable through /api/v1/export, the API bench:e2e measures metrics arrival with, with nothing
 * else in the path (no collector, no network hop but loopback).
 *
 * Runs the pinned victoria-metrics binary on a fresh data folder, writes BENCH_EVENTS samples of one series at
 * BENCH_RATE per second (import API, one sample per request, timestamped now) and polls the export API every
 * 50 ms. Prints the lag over all samples and over those written after the first 12 s (a fresh storage's first
 * samples wait longer once). docs/ARCHITECTURE.md (telemetry path, metrics lag) says what bounds it.
 *
 * Env: BENCH_EVENTS (default 300), BENCH_RATE (default 10).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../test/harness/ports.js';
import { ensureBinary } from '../test/images/binaries.js';

const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 300);
const RATE = Number(process.env['BENCH_RATE'] ?? 10);
const WARM_UP_MS = 12_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function summary(label: string, lags: number[]): string {
  const sorted = [...lags].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!.toFixed(2);
  return `${label.padEnd(24)} ${String(sorted.length).padStart(5)}  p50 ${at(50)} s  p95 ${at(95)} s  max ${at(100)} s`;
}

async function main(): Promise<void> {
  const binary = await ensureBinary('victoria-metrics');
  const dir = mkdtempSync(join(tmpdir(), 'observatory-vm-visibility-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const vm = spawn(binary, [`-storageDataPath=${dir}`, `-httpListenAddr=127.0.0.1:${port}`, '-retentionPeriod=1d', ...process.argv.slice(2)], { stdio: 'ignore' });
  try {
    for (let i = 0; i < 100 && !(await fetch(`${url}/health`).then((r) => r.ok, () => false)); i++) await sleep(100);
    const sentAt = new Map<number, number>();
    const seenAt = new Map<number, number>();
    const start = Date.now();
    const sending = (async () => {
      for (let i = 0; i < EVENTS; i++) {
        await sleep(Math.max(0, start + (i * 1000) / RATE - Date.now()));
        const now = Date.now();
        sentAt.set(i, now);
        await fetch(`${url}/api/v1/import/prometheus`, { method: 'POST', body: `bench_visibility{run="1"} ${i} ${now}\n` });
      }
    })();
    while (seenAt.size < EVENTS && Date.now() - start < (EVENTS / RATE) * 1000 + 30_000) {
      const polledAt = Date.now();
      const lines = (await (await fetch(`${url}/api/v1/export?match[]=bench_visibility`)).text()).split('\n').filter(Boolean);
      for (const line of lines) for (const value of (JSON.parse(line) as { values: number[] }).values) if (!seenAt.has(value)) seenAt.set(value, polledAt);
      await sleep(50);
    }
    await sending;
    const lag = (entries: [number, number][]) => entries.map(([i, at]) => (at - sentAt.get(i)!) / 1000);
    console.log(`VictoriaMetrics ${process.argv.slice(2).join(' ') || '(default flags)'}: ${EVENTS} samples at ${RATE}/s, written → readable through /api/v1/export`);
    console.log(summary('all samples', lag([...seenAt])));
    console.log(summary('after the first 12 s', lag([...seenAt].filter(([i]) => sentAt.get(i)! - start >= WARM_UP_MS))));
  } finally {
    const exited = new Promise((r) => vm.once('exit', r));
    vm.kill();
    await exited;
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
