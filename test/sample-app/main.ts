// Entry point: `node dist/test/sample-app/main.js`, configured through environment variables (README.md).
import { formatConfigProblems, loadConfig } from './config.js';
import { registerInstrumentationLoader } from './instrumentation-loader.js';

const EXIT_INVALID_CONFIG = 2;

async function main(): Promise<void> {
  const loaded = loadConfig(process.env);
  if (!loaded.ok) {
    process.stderr.write(formatConfigProblems(loaded.problems));
    process.exitCode = EXIT_INVALID_CONFIG;
    return;
  }

  // The app is imported only once the loader hook is in place, so that its modules can be instrumented.
  registerInstrumentationLoader();
  const { startSampleApp } = await import('./app.js');
  const app = await startSampleApp(loaded.config);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`sample-app: graceful stop after ${signal} failed: ${(error as Error).stack ?? String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

await main();
