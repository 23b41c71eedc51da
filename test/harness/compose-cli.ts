import { spawn, spawnSync } from 'node:child_process';

/** `docker compose` (the v2 CLI plugin) on one project of a bundle folder. */
export class ComposeProject {
  constructor(
    readonly dir: string,
    readonly project: string,
    /** Compose files merged in this order (default: compose.yaml, compose's own default). */
    readonly files: readonly string[] = [],
  ) {}

  private args(args: readonly string[]): string[] {
    return ['compose', '-p', this.project, ...this.files.flatMap((f) => ['-f', f]), ...args];
  }

  run(...args: string[]): string {
    const result = this.attempt(...args);
    if (result.status !== 0) throw new Error(`docker compose ${args.join(' ')} exited ${result.status}:\n${result.stderr.slice(-2000)}`);
    return result.stdout;
  }

  /** Like `run`, returning the exit status instead of throwing (for commands that are meant to fail). */
  attempt(...args: string[]): { status: number | null; stdout: string; stderr: string } {
    const result = spawnSync('docker', this.args(args), { cwd: this.dir, encoding: 'utf8', timeout: 600_000 });
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  /** Starts everything and waits for each service's health check (or for it to run, where it has none). */
  up(): void {
    this.run('up', '-d', '--wait', '--wait-timeout', '300');
  }

  /** Like `run`, without blocking the event loop (senders keep sending meanwhile). */
  runAsync(...args: string[]): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = spawn('docker', this.args(args), { cwd: this.dir });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`docker compose ${args.join(' ')} exited ${code}:\n${err.slice(-2000)}`))));
    });
  }

  stop(service: string): Promise<string> {
    return this.runAsync('stop', service);
  }

  start(service: string): Promise<string> {
    return this.runAsync('start', service);
  }

  restart(service: string): Promise<string> {
    return this.runAsync('restart', service);
  }

  down(): void {
    this.run('down', '-v', '--timeout', '60');
  }

  /** Resident memory of each running container of the project, in MiB (`docker stats`). */
  memoryMiB(): Record<string, number> {
    const ids = this.run('ps', '-q').split('\n').filter(Boolean);
    const result = spawnSync('docker', ['stats', '--no-stream', '--format', '{{.Name}}\t{{.MemUsage}}', ...ids], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`docker stats: ${result.stderr}`);
    const units: Record<string, number> = { B: 1 / 1048576, KiB: 1 / 1024, kB: 1 / 1024, MiB: 1, MB: 1, GiB: 1024, GB: 1024 };
    return Object.fromEntries(
      result.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => {
          const [name = '', usage = ''] = line.split('\t');
          const match = /^([\d.]+)\s*([A-Za-z]+)/.exec(usage.trim());
          return [name.replace(`${this.project}-`, '').replace(/-1$/, ''), match ? Number(match[1]) * (units[match[2]!] ?? Number.NaN) : Number.NaN];
        }),
    );
  }
}
