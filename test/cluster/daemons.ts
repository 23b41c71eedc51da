/**
 * The cluster's host processes: started detached with their output in logs/<name>.log and their PID in
 * run/<name>.pid, stopped by that PID only (never by name: other processes of this machine are not ours).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { paths, type ClusterLayout } from './layout.js';

/** A failure of one of the cluster's parts: names it and carries the tail of its log. */
export class ClusterError extends Error {
  constructor(
    readonly component: string,
    what: string,
    readonly logTail = '',
  ) {
    super(`${component}: ${what}${logTail ? `\n--- last lines of ${component}'s log ---\n${logTail}` : ''}`);
    this.name = 'ClusterError';
  }
}

export const logFile = (l: ClusterLayout, name: string): string => path.join(paths(l).logs, `${name}.log`);
const pidFile = (l: ClusterLayout, name: string): string => path.join(paths(l).run, `${name}.pid`);

export function logTail(l: ClusterLayout, name: string, lines = 25): string {
  try {
    return fs.readFileSync(logFile(l, name), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export function pidOf(l: ClusterLayout, name: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(pidFile(l, name), 'utf8').trim());
    process.kill(pid, 0);
    return pid;
  } catch {
    return undefined;
  }
}

/** Starts `command` unless the daemon of that name is already running; returns its PID. */
export function startDaemon(l: ClusterLayout, name: string, command: string, args: readonly string[]): number {
  const running = pidOf(l, name);
  if (running) return running;
  fs.mkdirSync(paths(l).logs, { recursive: true });
  fs.mkdirSync(paths(l).run, { recursive: true });
  const out = fs.openSync(logFile(l, name), 'w');
  const child = spawn(command, args, { detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  if (child.pid === undefined) throw new ClusterError(name, `could not start ${command}`);
  child.unref();
  fs.writeFileSync(pidFile(l, name), String(child.pid));
  return child.pid;
}

/** SIGTERM, then SIGKILL after `graceMs`; returns whether it was running. */
export async function stopDaemon(l: ClusterLayout, name: string, graceMs = 10_000): Promise<boolean> {
  const pid = pidOf(l, name);
  fs.rmSync(pidFile(l, name), { force: true });
  if (!pid) return false;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await sleep(200);
  }
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    /* gone meanwhile */
  }
  return true;
}

/**
 * Polls `ready` every 500 ms until it holds; fails naming `component` with its log tail when `timeoutMs` passes
 * or when its process (if `daemon` names one) has exited.
 */
export async function waitFor(l: ClusterLayout, component: string, what: string, timeoutMs: number, ready: () => Promise<boolean> | boolean, daemon?: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if (await ready()) return;
    } catch (err) {
      if (err instanceof ClusterError) throw err;
    }
    if (daemon && !pidOf(l, daemon)) throw new ClusterError(component, `exited while waiting for ${what}`, logTail(l, daemon));
    await sleep(500);
  }
  throw new ClusterError(component, `not ${what} within ${timeoutMs / 1000} s`, daemon ? logTail(l, daemon) : '');
}
