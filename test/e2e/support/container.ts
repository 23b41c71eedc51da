/**
 * One container of a local image, run with the docker CLI for a test: its port published on 127.0.0.1 only (a
 * free host port), waited for over HTTP, measured (resident memory) and removed.
 *
 *   const s3 = DockerContainer.start({ name: 's3', image, args: ['-backend', 'fs', …], port: 9000 });
 *   await s3.waitForHealthy({ timeoutMs: 60_000 });   // the image's HEALTHCHECK, or waitForHttp(path, …)
 *   s3.url;          // http://127.0.0.1:<host port>
 *   s3.remove();
 */
import { spawnSync } from 'node:child_process';

function docker(args: readonly string[]): string {
  const res = spawnSync('docker', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (res.error) throw new Error(`docker ${args[0]}: ${res.error.message}`);
  if (res.status !== 0) throw new Error(`docker ${args.join(' ')} failed (exit ${res.status}): ${res.stderr.trim()}`);
  return res.stdout;
}

export interface ContainerOptions {
  readonly image: string;
  /** Arguments after the image (its CMD). */
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** The container port published on 127.0.0.1 (a free host port). */
  readonly port: number;
  /** Name prefix; the process id is appended so that parallel runs do not collide. */
  readonly name: string;
}

export class DockerContainer {
  private constructor(
    readonly name: string,
    readonly url: string,
    /** When `start` returned (ms since the epoch), for start-up times. */
    readonly startedAt: number,
    private readonly port: number,
  ) {}

  /** `http://127.0.0.1:<host port>` of a container port published on 127.0.0.1. */
  private static publishedUrl(name: string, port: number): string {
    const published = docker(['port', name, `${port}/tcp`]).trim().split('\n')[0] ?? '';
    const hostPort = /:(\d+)$/.exec(published)?.[1];
    if (!hostPort) throw new Error(`docker port ${name} ${port}: no host port in '${published}'`);
    return `http://127.0.0.1:${hostPort}`;
  }

  static start(options: ContainerOptions): DockerContainer {
    const name = `${options.name}-${process.pid}`;
    spawnSync('docker', ['rm', '-f', name], { stdio: 'ignore' });
    const env = Object.entries(options.env ?? {}).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    const startedAt = Date.now();
    docker(['run', '-d', '--name', name, '-p', `127.0.0.1::${options.port}`, ...env, options.image, ...(options.args ?? [])]);
    return new DockerContainer(name, DockerContainer.publishedUrl(name, options.port), startedAt, options.port);
  }

  /** Whether the container still runs. */
  running(): boolean {
    const res = spawnSync('docker', ['inspect', '-f', '{{.State.Running}}', this.name], { encoding: 'utf8' });
    return res.status === 0 && res.stdout.trim() === 'true';
  }

  /** The last lines of the container's output, for failure messages. */
  logs(lines = 40): string {
    const res = spawnSync('docker', ['logs', '--tail', String(lines), this.name], { encoding: 'utf8' });
    return `${res.stdout ?? ''}${res.stderr ?? ''}`.trim();
  }

  /**
   * Polls `path` until it answers 2xx; returns the seconds since the container started. Throws with the
   * container's last log lines when it exits or the time runs out.
   */
  async waitForHttp(path: string, { timeoutMs }: { timeoutMs: number }): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let last = 'no answer yet';
    while (Date.now() < deadline) {
      try {
        const res = await fetch(`${this.url}${path}`, { signal: AbortSignal.timeout(5_000) });
        if (res.ok) return (Date.now() - this.startedAt) / 1000;
        last = `HTTP ${res.status}`;
      } catch (err) {
        last = err instanceof Error ? err.message : String(err);
      }
      if (!this.running()) throw new Error(`${this.name} exited before ${path} answered:\n${this.logs()}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    throw new Error(`${this.name}: ${path} did not answer 2xx within ${timeoutMs / 1000} s (last: ${last}):\n${this.logs()}`);
  }

  /**
   * Waits until Docker reports the image's own HEALTHCHECK healthy; returns the seconds since the container started.
   * Throws when the image has none, the container exits or turns unhealthy, or the time runs out.
   */
  async waitForHealthy({ timeoutMs }: { timeoutMs: number }): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let status = '';
    while (Date.now() < deadline) {
      status = docker(['inspect', '-f', '{{if .State.Health}}{{.State.Health.Status}}{{else}}none{{end}}', this.name]).trim();
      if (status === 'healthy') return (Date.now() - this.startedAt) / 1000;
      if (status === 'none') throw new Error(`${this.name}: its image has no HEALTHCHECK`);
      if (status === 'unhealthy' || !this.running()) throw new Error(`${this.name} is ${this.running() ? 'unhealthy' : 'not running'}:\n${this.logs()}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    throw new Error(`${this.name}: not healthy within ${timeoutMs / 1000} s (last: ${status}):\n${this.logs()}`);
  }

  /** Stops and starts the container again (same volumes; Docker may publish another host port), as a new handle. */
  restart(): DockerContainer {
    const startedAt = Date.now();
    docker(['restart', '-t', '10', this.name]);
    return new DockerContainer(this.name, DockerContainer.publishedUrl(this.name, this.port), startedAt, this.port);
  }

  /** Resident memory of the container now, in MiB (the cgroup's usage as `docker stats` reports it). */
  memoryMiB(): number {
    const usage = docker(['stats', '--no-stream', '--format', '{{.MemUsage}}', this.name]).trim().split('/')[0]!.trim();
    const m = /^([\d.]+)\s*([KMG]i?B|B)$/.exec(usage);
    if (!m) throw new Error(`docker stats ${this.name}: cannot read '${usage}'`);
    const factor: Record<string, number> = { B: 1 / 2 ** 20, KiB: 1 / 1024, KB: 1 / 1024, MiB: 1, MB: 1, GiB: 1024, GB: 1024 };
    return Number(m[1]) * (factor[m[2]!] ?? Number.NaN);
  }

  remove(): void {
    spawnSync('docker', ['rm', '-f', '-v', this.name], { stdio: 'ignore' });
  }
}
