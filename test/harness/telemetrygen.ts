import { spawn } from 'node:child_process';

export interface LoadOptions {
  /** OTLP gRPC `host:port`. */
  readonly endpoint: string;
  readonly workers?: number;
  /** Items per second per worker (spans or log records); 0 = as fast as possible. */
  readonly rate?: number;
  /** How long to send, e.g. `20s` (otherwise `count` items per worker). */
  readonly duration?: string;
  readonly count?: number;
  /** Traces only: the spans' status (`Error` makes every trace one the tail sampler keeps). */
  readonly statusCode?: 'Unset' | 'Error' | 'Ok';
  readonly serviceName?: string;
  /** Items per export request (the OTel SDKs' default batch is 512). */
  readonly batchSize?: number;
  /** Traces only: child spans under each trace's root span (default 1). */
  readonly childSpans?: number;
}

/** Runs telemetrygen (the collector project's load generator) to completion. */
export function telemetrygen(binary: string, signal: 'traces' | 'logs', options: LoadOptions): Promise<{ seconds: number; output: string }> {
  const args = [
    signal,
    '--otlp-endpoint', options.endpoint,
    '--otlp-insecure',
    '--workers', String(options.workers ?? 1),
    '--rate', String(options.rate ?? 0),
    '--service', options.serviceName ?? 'telemetrygen',
    '--batch-size', String(options.batchSize ?? 512),
  ];
  if (options.duration) args.push('--duration', options.duration);
  if (options.count !== undefined) args.push(signal === 'traces' ? '--traces' : '--logs', String(options.count));
  if (signal === 'traces') args.push('--child-spans', String(options.childSpans ?? 1), '--status-code', options.statusCode ?? 'Unset');
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (Date.now() - started) / 1000;
      if (code === 0) resolve({ seconds, output });
      else reject(new Error(`telemetrygen ${args.join(' ')} exited ${code}:\n${output.split('\n').slice(-15).join('\n')}`));
    });
  });
}
