/** Progress of a long test run: each step announced, timed, and summed up at the end. */
export class Steps {
  private readonly started = Date.now();
  private readonly timings: { name: string; seconds: number; ok: boolean }[] = [];

  readonly log = (line: string): void => {
    const elapsed = ((Date.now() - this.started) / 1000).toFixed(0).padStart(5);
    console.log(`[test:pulumi ${elapsed} s] ${line}`);
  };

  async run<T>(name: string, action: () => Promise<T>): Promise<T> {
    this.log(`${name} ...`);
    const t0 = Date.now();
    try {
      const result = await action();
      this.finish(name, t0, true);
      return result;
    } catch (error) {
      this.finish(name, t0, false);
      throw error;
    }
  }

  private finish(name: string, t0: number, ok: boolean): void {
    const seconds = (Date.now() - t0) / 1000;
    this.timings.push({ name, seconds, ok });
    this.log(`${name}: ${ok ? 'done' : 'FAILED'} in ${seconds.toFixed(1)} s`);
  }

  summary(result: string): void {
    console.log('');
    const width = Math.max(...this.timings.map((t) => t.name.length), 4);
    for (const t of this.timings) console.log(`  ${t.name.padEnd(width)}  ${t.seconds.toFixed(1).padStart(7)} s  ${t.ok ? 'ok' : 'FAILED'}`);
    console.log(`test:pulumi ${result} in ${((Date.now() - this.started) / 1000).toFixed(0)} s`);
  }
}
