import { z } from 'zod';

/** The sample app's configuration, read from environment variables once at start-up. */
export interface SampleAppConfig {
  service: { name: string; version: string; environment: string };
  /** A front answers users and calls its back; a back only answers. */
  role: { name: 'front'; backendUrl: URL } | { name: 'back' };
  listen: { host: string; port: number };
  /** Base URL of the collector's OTLP/HTTP receiver; signals go to `<base>/v1/{traces,metrics,logs}`. */
  otlpEndpoint: URL;
  /** GlitchTip (Sentry protocol) DSN; errors are not reported without it. */
  sentryDsn: URL | undefined;
  /** Umami collector and website; analytics events are not sent without them. */
  umami: { url: URL; websiteId: string } | undefined;
  metricExportIntervalMs: number;
  /** How long spans and log records wait in their batch before export. */
  batchDelayMs: number;
  /** How long SIGTERM waits for in-flight requests before closing their connections. */
  shutdownTimeoutMs: number;
  logLevel: LogLevel;
}

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace'] as const;
export type LogLevel = (typeof logLevels)[number];

export type ConfigResult = { ok: true; config: SampleAppConfig } | { ok: false; problems: string[] };

/** Variables whose values must never be echoed in an error message. */
const secretVariables = new Set(['SENTRY_DSN']);

const httpUrl = (example: string) =>
  z.url({ protocol: /^https?$/, error: `expected an http(s) URL like "${example}"` }).transform((value) => new URL(value));

const integer = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { error: `expected a whole number from ${min} to ${max}` })
    .transform(Number)
    .pipe(z.number().min(min, { error: `expected a whole number from ${min} to ${max}` }).max(max, { error: `expected a whole number from ${min} to ${max}` }));

// Sentry DSN: {PROTOCOL}://{PUBLIC_KEY}@{HOST}{PATH}/{PROJECT_ID} (develop.sentry.dev, "SDK > Overview > Parsing the DSN").
const sentryDsn = httpUrl('http://<key>@glitchtip:8000/1').refine((dsn) => dsn.username !== '' && /\/[^/]+$/.test(dsn.pathname), {
  error: 'expected a DSN like "http://<key>@glitchtip:8000/<project id>"',
});

const environmentSchema = z.object({
  SERVICE_NAME: z.string().regex(/^[a-z][a-z0-9-]{0,62}$/, { error: 'expected a lowercase name like "sample-front"' }),
  SERVICE_VERSION: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}$/, { error: 'expected a version like "1.4.2"' }),
  ROLE: z.enum(['front', 'back'], { error: 'expected "front" or "back"' }),
  PORT: integer(0, 65535).default(8080),
  BIND: z.union([z.ipv4(), z.ipv6(), z.literal('localhost')], { error: 'expected an IP address like "127.0.0.1" or "0.0.0.0"' }).default('127.0.0.1'),
  BACKEND_URL: httpUrl('http://127.0.0.1:8081').optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl('http://127.0.0.1:4318'),
  SENTRY_DSN: sentryDsn.optional(),
  UMAMI_URL: httpUrl('http://127.0.0.1:3001').optional(),
  UMAMI_WEBSITE_ID: z.uuid({ error: 'expected the website ID, a UUID' }).optional(),
  DEPLOYMENT_ENVIRONMENT: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/, { error: 'expected a lowercase name like "local" or "prod"' }).default('local'),
  METRIC_EXPORT_INTERVAL_MS: integer(100, 600_000).default(5_000),
  TELEMETRY_BATCH_DELAY_MS: integer(10, 600_000).default(1_000),
  SHUTDOWN_TIMEOUT_MS: integer(0, 120_000).default(10_000),
  LOG_LEVEL: z.enum(logLevels, { error: `expected one of ${logLevels.join(', ')}` }).default('info'),
});

type ConfigVariable = keyof typeof environmentSchema.shape;
export const configVariables = Object.keys(environmentSchema.shape) as ConfigVariable[];

/** Validates the environment; lists every problem, not just the first. Empty values count as unset. */
export function loadConfig(env: NodeJS.ProcessEnv): ConfigResult {
  const raw = Object.fromEntries(configVariables.flatMap((name) => (env[name] ? [[name, env[name]]] : [])));
  const parsed = environmentSchema.safeParse(raw);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => describeIssue(issue, raw))),
    ...combinationProblems(raw),
  ];
  if (!parsed.success || problems.length > 0) return { ok: false, problems };
  const vars = parsed.data;
  return {
    ok: true,
    config: {
      service: { name: vars.SERVICE_NAME, version: vars.SERVICE_VERSION, environment: vars.DEPLOYMENT_ENVIRONMENT },
      role: vars.ROLE === 'front' ? { name: 'front', backendUrl: vars.BACKEND_URL! } : { name: 'back' },
      listen: { host: vars.BIND, port: vars.PORT },
      otlpEndpoint: vars.OTEL_EXPORTER_OTLP_ENDPOINT,
      sentryDsn: vars.SENTRY_DSN,
      umami: vars.UMAMI_URL && vars.UMAMI_WEBSITE_ID ? { url: vars.UMAMI_URL, websiteId: vars.UMAMI_WEBSITE_ID } : undefined,
      metricExportIntervalMs: vars.METRIC_EXPORT_INTERVAL_MS,
      batchDelayMs: vars.TELEMETRY_BATCH_DELAY_MS,
      shutdownTimeoutMs: vars.SHUTDOWN_TIMEOUT_MS,
      logLevel: vars.LOG_LEVEL,
    },
  };
}

/** Rules across variables, checked on the raw values so they are reported alongside every other problem. */
function combinationProblems(raw: Record<string, string>): string[] {
  const problems: string[] = [];
  if (raw.ROLE === 'front' && !raw.BACKEND_URL) problems.push('BACKEND_URL: required when ROLE is "front" (where the back listens)');
  if (raw.ROLE === 'back' && raw.BACKEND_URL) problems.push('BACKEND_URL: only a front calls a back; unset it or set ROLE=front');
  if (Boolean(raw.UMAMI_URL) !== Boolean(raw.UMAMI_WEBSITE_ID)) {
    problems.push(`${raw.UMAMI_URL ? 'UMAMI_WEBSITE_ID' : 'UMAMI_URL'}: UMAMI_URL and UMAMI_WEBSITE_ID are set together or not at all`);
  }
  return problems;
}

function describeIssue(issue: z.core.$ZodIssue, raw: Record<string, string>): string {
  const name = String(issue.path[0] ?? '(environment)');
  const value = raw[name];
  if (value === undefined) return `${name}: required, not set`;
  return secretVariables.has(name) ? `${name}: ${issue.message}` : `${name}: ${issue.message}, got ${JSON.stringify(value)}`;
}

export function formatConfigProblems(problems: string[]): string {
  const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
  return `sample-app: invalid configuration (${count}):\n${problems.map((problem) => `  - ${problem}`).join('\n')}\n`;
}
