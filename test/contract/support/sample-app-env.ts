import type { StandIns } from './stand-ins.js';

export const sampleVersion = '1.4.2';
export const sampleEnvironment = 'contract';
export const umamiWebsiteId = '5c1d9a84-8f4e-4d7b-9d0c-2f6d2e2f3a11';
export const sentryPublicKey = 'f3c2a1b0d9e84c7b8a6f5e4d3c2b1a09';
export const sentryProject = { front: '1', back: '2' } as const;

export function sentryDsn(standIns: StandIns, role: keyof typeof sentryProject): string {
  return `http://${sentryPublicKey}@127.0.0.1:${standIns.glitchtip.port}/${sentryProject[role]}`;
}

/** Environment of a back wired to the stand-ins; short export intervals keep the tests fast. */
export function backEnv(standIns: StandIns, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    SERVICE_NAME: 'sample-back',
    SERVICE_VERSION: sampleVersion,
    ROLE: 'back',
    PORT: '0',
    OTEL_EXPORTER_OTLP_ENDPOINT: standIns.collector.url,
    SENTRY_DSN: sentryDsn(standIns, 'back'),
    DEPLOYMENT_ENVIRONMENT: sampleEnvironment,
    METRIC_EXPORT_INTERVAL_MS: '500',
    TELEMETRY_BATCH_DELAY_MS: '100',
    ...overrides,
  };
}

/** Environment of a front calling `backendUrl`, also sending analytics to the Umami stand-in. */
export function frontEnv(standIns: StandIns, backendUrl: string, overrides: Record<string, string> = {}): Record<string, string> {
  return backEnv(standIns, {
    SERVICE_NAME: 'sample-front',
    ROLE: 'front',
    BACKEND_URL: backendUrl,
    SENTRY_DSN: sentryDsn(standIns, 'front'),
    UMAMI_URL: standIns.umami.url,
    UMAMI_WEBSITE_ID: umamiWebsiteId,
    ...overrides,
  });
}
