import { createAnalytics } from './analytics.js';
import type { SampleAppConfig } from './config.js';
import { startErrorReporting } from './error-reporting.js';
import { createLogger } from './logger.js';
import { checkReachable } from './readiness.js';
import { createSampleServer } from './server.js';
import { startTelemetry } from './telemetry.js';
import { createWorkHandlers } from './work.js';

export interface RunningSampleApp {
  /** Base URL the app listens on, e.g. http://127.0.0.1:8080. */
  url: string;
  /** Graceful stop: no new connections, in-flight requests finish (bounded), errors and telemetry flushed. */
  stop(): Promise<void>;
}

/**
 * Starts one instance in this process. OpenTelemetry instruments ES modules only when
 * `registerInstrumentationLoader()` ran before this module was imported (main.ts does that);
 * without it, server spans, trace propagation and log correlation are missing.
 */
export async function startSampleApp(config: SampleAppConfig): Promise<RunningSampleApp> {
  const errors = startErrorReporting(config);
  const telemetry = startTelemetry(config, { isUntracedOutgoingRequest: errors.isOwnRequest });
  const logger = createLogger(config);
  const analytics = createAnalytics(config, logger);
  const server = createSampleServer({
    config,
    logger,
    prometheus: telemetry.prometheus,
    errors,
    work: createWorkHandlers({ config, logger, analytics }),
    readiness: () => checkReachable(config.otlpEndpoint),
  });
  const url = await server.listen();
  logger.info({ url, environment: config.service.environment }, 'listening');

  return {
    url,
    async stop() {
      server.stopAccepting();
      logger.info({ timeoutMs: config.shutdownTimeoutMs }, 'shutting down: new connections refused, finishing in-flight requests');
      const finishedInTime = await server.finishInFlight(config.shutdownTimeoutMs);
      if (finishedInTime) logger.info('in-flight requests finished; flushing errors and telemetry');
      else logger.warn({ timeoutMs: config.shutdownTimeoutMs }, 'in-flight requests cut after the shutdown timeout; flushing errors and telemetry');
      await errors.close(2_000);
      await telemetry.shutdown();
    },
  };
}
