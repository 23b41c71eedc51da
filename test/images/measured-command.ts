/**
 * A long build step run at low priority (`nice -n 10`) under GNU time (`/usr/bin/time -v`), its output appended to
 * a log file, its wall time and peak memory (the largest resident set of the process or any child it waited for)
 * measured, and a progress line printed at most every `progressEverySeconds`.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';

export interface Measured {
  readonly seconds: number;
  /** Maximum resident set size in MB, as GNU time reports it (the biggest single process of the step). */
  readonly peakRssMB: number;
}

export interface MeasuredCommandOptions {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly logFile: string;
  /** Prints progress (the step's name is the caller's to add). */
  readonly log: (line: string) => void;
  /** Picks the line worth showing from the output (e.g. webpack's percentage); default: the last non-empty line. */
  readonly progressLine?: (line: string) => boolean;
  readonly progressEverySeconds?: number;
}

const TIME = '/usr/bin/time';

/** Runs `cmd args` under `nice -n 10 /usr/bin/time -v`; throws with the output's tail when it fails. */
export function runMeasured(cmd: string, args: readonly string[], options: MeasuredCommandOptions): Promise<Measured> {
  if (!fs.existsSync(TIME)) throw new Error(`${TIME} is missing (apt-get install -y time): it measures the build's peak memory`);
  fs.appendFileSync(options.logFile, `\n$ (cd ${options.cwd} && nice -n 10 ${TIME} -v ${cmd} ${args.join(' ')})\n`);
  const started = Date.now();
  const child = spawn('nice', ['-n', '10', TIME, '-v', cmd, ...args], { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const tail: string[] = [];
  let latest = '';
  let pending = '';
  let lastShown = started;
  const every = (options.progressEverySeconds ?? 30) * 1000;
  const onData = (chunk: Buffer): void => {
    fs.appendFileSync(options.logFile, chunk);
    pending += chunk.toString('utf8');
    const lines = pending.split(/\r?\n|\r/);
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (line.trim() === '') continue;
      tail.push(line);
      if (tail.length > 60) tail.shift();
      if (!options.progressLine || options.progressLine(line)) latest = line.trim();
    }
    if (Date.now() - lastShown >= every && latest) {
      lastShown = Date.now();
      options.log(`${Math.round((Date.now() - started) / 1000)} s: ${latest.slice(0, 160)}`);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  return new Promise((resolve, reject) => {
    child.on('error', (err) => reject(new Error(`${cmd}: ${err.message}`)));
    child.on('close', (code) => {
      const seconds = Math.round((Date.now() - started) / 100) / 10;
      const output = tail.join('\n');
      const peak = /Maximum resident set size \(kbytes\): (\d+)/.exec(output);
      if (code !== 0) {
        const shown = tail.filter((l) => !/^\s+(\S.*):\s/.test(l) || /Command being timed|Exit status/.test(l)).slice(-25).join('\n');
        reject(new Error(`'${cmd} ${args.join(' ')}' failed (exit ${code}) in ${options.cwd} after ${seconds} s; log: ${options.logFile}\n${shown}`));
        return;
      }
      resolve({ seconds, peakRssMB: peak ? Math.round(Number(peak[1]) / 1024) : -1 });
    });
  });
}
