import { register } from 'node:module';

/**
 * The modules that the instrumentations in telemetry.ts patch (HttpInstrumentation: http, https;
 * PinoInstrumentation: pino). An instrumentation added there needs its module added here.
 */
const instrumentedModules = ['http', 'https', 'pino'];

/**
 * OpenTelemetry patches ES modules through import-in-the-middle's loader hook, which sees only modules
 * imported after it is registered. Wrapping just the instrumented modules (rather than every module,
 * the hook's default) keeps start-up fast.
 */
export function registerInstrumentationLoader(): void {
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url, { data: { include: instrumentedModules } });
}
