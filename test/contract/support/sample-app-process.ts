import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../../model/package-root.js';

/** The built entry point: tests run the sample app exactly as deployments do (from the sources or from dist/). */
export const sampleAppMain = join(packageRoot(), 'dist', 'test', 'sample-app', 'main.js');

/** One pino JSON line from the app's stdout. */
export interface AppLog {
  level: number;
  msg: string;
  service?: string;
  version?: string;
  role?: string;
  trace_id?: string;
  span_id?: string;
  [field: string]: unknown;
}

export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface SampleAppProcess {
  url: string;
  /** The app's process ID (what its SDK reports as the resource attribute `process.pid`). */
  pid: number;
  logs: AppLog[];
  waitForLog(what: string, matches: (log: AppLog) => boolean, timeoutMs?: number): Promise<AppLog>;
  signal(name: NodeJS.Signals): void;
  exited: Promise<ProcessExit>;
  /** SIGTERM, then the exit; SIGKILL if it has not exited after `timeoutMs`. */
  stop(timeoutMs?: number): Promise<ProcessExit>;
}

/** Starts `node dist/test/sample-app/main.js` with exactly `env` (plus PATH), and waits for its "listening" log. */
export async function spawnSampleApp(env: Record<string, string>, startTimeoutMs = 20_000): Promise<SampleAppProcess> {
  const child = launch(env);
  const logs: AppLog[] = [];
  const listeners = new Set<() => void>();
  let pending = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines.filter((text) => text.trim() !== '')) logs.push(parseLogLine(line));
    for (const notify of listeners) notify();
  });
  const exited = exitOf(child);

  const waitForLog = (what: string, matches: (log: AppLog) => boolean, timeoutMs = 10_000) =>
    new Promise<AppLog>((resolve, reject) => {
      const check = () => {
        const found = logs.find(matches);
        if (!found) return false;
        finish();
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`no log "${what}" within ${timeoutMs} ms; the app logged:\n${logs.map((log) => JSON.stringify(log)).join('\n')}`));
      }, timeoutMs);
      const finish = () => {
        clearTimeout(timer);
        listeners.delete(check);
      };
      if (!check()) listeners.add(check);
      void exited.then((exit) => {
        if (listeners.has(check) && !check()) {
          finish();
          reject(new Error(`the app exited (code ${exit.code}, signal ${exit.signal}) before logging "${what}"; stderr:\n${exit.stderr}`));
        }
      });
    });

  const listening = await waitForLog('listening', (log) => log.msg === 'listening' && typeof log.url === 'string', startTimeoutMs).catch((error: Error) => {
    child.kill('SIGKILL');
    throw error;
  });

  return {
    url: listening.url as string,
    pid: child.pid!,
    logs,
    waitForLog,
    signal: (name) => child.kill(name),
    exited,
    async stop(timeoutMs = 15_000) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const exit = await exited;
      clearTimeout(killer);
      return exit;
    },
  };
}

/** Runs the app to its exit (for configurations it must refuse); SIGKILL after `timeoutMs`. */
export async function runSampleAppToExit(env: Record<string, string>, timeoutMs = 10_000): Promise<ProcessExit> {
  const child = launch(env);
  const killer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const exit = await exitOf(child);
  clearTimeout(killer);
  return exit;
}

function launch(env: Record<string, string>): ChildProcess {
  if (!existsSync(sampleAppMain)) throw new Error(`${sampleAppMain} is missing: build first (npx tsc -p tsconfig.json)`);
  // A clean environment: no OTEL_* or SENTRY_* variable of the test runner leaks into the app.
  return spawn(process.execPath, [sampleAppMain], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

function exitOf(child: ChildProcess): Promise<ProcessExit> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

function parseLogLine(line: string): AppLog {
  try {
    return JSON.parse(line) as AppLog;
  } catch {
    return { level: -1, msg: line };
  }
}

/**
 * The sample app's two services as the end-to-end runs start them: `sample-back`, then `sample-front` calling it,
 * both with `common` (plus `frontEnv` for the front). Each is pushed onto `started` as soon as it runs, so the
 * caller's cleanup stops it even when the other one fails to start.
 */
export async function spawnFrontAndBack(
  common: Record<string, string>,
  started: SampleAppProcess[],
  frontEnv: Record<string, string> = {},
): Promise<{ front: SampleAppProcess; back: SampleAppProcess }> {
  const back = await spawnSampleApp({ ...common, SERVICE_NAME: 'sample-back', ROLE: 'back' });
  started.push(back);
  const front = await spawnSampleApp({ ...common, SERVICE_NAME: 'sample-front', ROLE: 'front', BACKEND_URL: back.url, ...frontEnv });
  started.push(front);
  return { front, back };
}
