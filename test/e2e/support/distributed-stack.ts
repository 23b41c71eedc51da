/**
 * The distributed stack as `observatory synth` renders it with `scale: distributed`, sized small, run by Docker
 * Compose from the factory's images beside the stores it is pointed at: an S3-compatible server (gofakes3) for
 * Loki's bucket and OpenSearch for Jaeger (test/images/engines.ts). The stores' credentials go through `.env`, as
 * docs/DISTRIBUTED.md tells a user to set them; no config file holds one. Its own compose project and host ports
 * (+20000), so that it runs beside the local e2e stack and the screenshots' (+10000).
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { ComposeProject } from '../../harness/compose-cli.js';
import { shiftPublishedPorts } from '../../harness/host-ports.js';
import { imageTag } from '../../images/build.js';
import type { ImageComponent } from '../../images/binaries.js';
import { LOKI_BUCKET, testDistributedSizing } from './distributed-sizing.js';
import { localImages, synth } from './local-stack.js';

export const DISTRIBUTED_PROJECT = 'observatory-e2e-distributed';
export const PORT_OFFSET = 20_000;
/** The stack's images (the catalog's components) and the stores beside it. */
export const STACK_IMAGES = ['collector', 'jaeger', 'victoriametrics', 'vmalert', 'loki', 'alertmanager', 'grafana', 'postgres'] as const satisfies readonly ImageComponent[];
export const ENGINE_IMAGES = ['gofakes3', 'opensearch'] as const satisfies readonly ImageComponent[];
export { LOKI_BUCKET };

/** The spec: Loki SSD (2 writers, a read, a backend) on the bucket, 2 Jaeger replicas on OpenSearch, 2 samplers, metrics single-node. */
export const distributedStackInput = {
  environment: 'local',
  scale: 'distributed',
  // No registry ships GlitchTip or Umami here (test/e2e/apps.test.ts runs them when their images are present).
  components: { glitchtip: { enabled: false }, umami: { enabled: false } },
  images: { overrides: localImages(STACK_IMAGES) },
  distributed: testDistributedSizing({ s3: 'http://s3:9000', opensearch: 'http://opensearch:9200' }),
} as const;

/** Host ports the test's own compose file publishes: the S3 server, and each Loki writer (its ingester's /flush). */
const S3_HOST_PORT = 9000 + PORT_OFFSET;
const LOKI_WRITER_HOST_PORT = (replica: number) => 3101 + replica + PORT_OFFSET;

/** Host URLs of what the test reads and sends to. */
export const distributedUrls = {
  otlpHttp: `http://127.0.0.1:${4318 + PORT_OFFSET}`,
  jaeger: `http://127.0.0.1:${16686 + PORT_OFFSET}`,
  victoriametrics: `http://127.0.0.1:${8428 + PORT_OFFSET}`,
  loki: `http://127.0.0.1:${3100 + PORT_OFFSET}`,
  s3: `http://127.0.0.1:${S3_HOST_PORT}`,
  /** Each Loki writer's HTTP API, by replica. */
  lokiWriters: Array.from({ length: distributedStackInput.distributed.logs.write }, (_, i) => `http://127.0.0.1:${LOKI_WRITER_HOST_PORT(i)}`),
} as const;

/** The stores beside the stack, in the same compose project (so on its network), and the stack's waits for them. */
function enginesCompose(services: readonly string[]): unknown {
  const healthy = (name: string) => ({ [name]: { condition: 'service_healthy' } });
  // A component's replicas: `<name>` and `<name>-<i>` (not e.g. jaeger-index-cleaner).
  const waitFor = (component: string, store: string) =>
    Object.fromEntries(services.filter((s) => new RegExp(`^${component}(-\\d+)?$`).test(s)).map((s) => [s, { depends_on: healthy(store) }]));
  return {
    services: {
      s3: {
        image: imageTag('gofakes3'),
        // The image's HEALTHCHECK (busybox wget, ListBuckets) is what compose waits on.
        command: ['-backend', 'fs', '-fs.path', '/data', '-fs.create', '-initialbucket', LOKI_BUCKET, '-host', ':9000'],
        volumes: ['s3-data:/data'],
        ports: [`127.0.0.1:${S3_HOST_PORT}:9000`],
      },
      opensearch: {
        image: imageTag('opensearch'),
        // As Jaeger's own compose example runs OpenSearch: one node, no security plugin, a small heap.
        environment: { 'discovery.type': 'single-node', 'plugins.security.disabled': 'true', OPENSEARCH_JAVA_OPTS: '-Xms512m -Xmx512m' },
        healthcheck: {
          test: ['CMD', 'wget', '-q', '-O', '/dev/null', 'http://127.0.0.1:9200/_cluster/health?wait_for_status=yellow&timeout=1s'],
          interval: '3s',
          timeout: '3s',
          retries: 100,
        },
        volumes: ['opensearch-data:/usr/share/opensearch/data'],
      },
      ...waitFor('jaeger', 'opensearch'),
      ...withWriterPorts(waitFor('loki-write', 's3')),
      ...waitFor('loki-read', 's3'),
      ...waitFor('loki-backend', 's3'),
    },
    volumes: { 's3-data': {}, 'opensearch-data': {} },
  };
}

/** The Loki writers' HTTP API on the host, for the test to flush their ingesters (the stack itself publishes none). */
function withWriterPorts(writers: Record<string, { depends_on: unknown }>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(writers).map(([service, extra]) => {
      const replica = Number(/-(\d+)$/.exec(service)?.[1] ?? 0);
      return [service, { ...extra, ports: [`127.0.0.1:${LOKI_WRITER_HOST_PORT(replica)}:3100`] }];
    }),
  );
}

/** The stores' credentials, set in `.env` as docs/DISTRIBUTED.md says (random: neither test store checks them). */
function storeCredentials(): Record<string, string> {
  return {
    JAEGER_OPENSEARCH_USERNAME: 'observatory',
    JAEGER_OPENSEARCH_PASSWORD: randomBytes(18).toString('base64url'),
    LOKI_OBJECT_STORAGE_ACCESS_KEY_ID: 'observatory',
    LOKI_OBJECT_STORAGE_SECRET_ACCESS_KEY: randomBytes(18).toString('base64url'),
  };
}

export interface DistributedStack {
  readonly compose: ComposeProject;
  readonly dir: string;
  readonly services: readonly string[];
  /** The stores' credentials the test set in the bundle's `.env`. */
  readonly env: Readonly<Record<string, string>>;
  /** Seconds from `docker compose up` to every health check passing and every collector ready. */
  readonly startupSeconds: number;
}

/** Synthesizes the bundle, adds the stores and their credentials, and brings it all up. */
export async function upDistributedStack(): Promise<DistributedStack> {
  const dir = synth(distributedStackInput);
  shiftPublishedPorts(dir, PORT_OFFSET);
  const services = Object.keys((yaml.load(readFileSync(join(dir, 'compose.yaml'), 'utf8')) as { services: Record<string, unknown> }).services);
  writeFileSync(join(dir, 'compose.engines.yaml'), yaml.dump(enginesCompose(services), { lineWidth: -1 }));
  const credentials = storeCredentials();
  appendFileSync(join(dir, '.env'), `${Object.entries(credentials).map(([k, v]) => `${k}=${v}`).join('\n')}\n`);
  const compose = new ComposeProject(dir, DISTRIBUTED_PROJECT, ['compose.yaml', 'compose.engines.yaml']);
  // Left over from an aborted run of this project (never another project's).
  compose.attempt('down', '-v', '--timeout', '10');
  const started = Date.now();
  try {
    await compose.runAsync('up', '-d', '--wait', '--wait-timeout', '420');
    for (const collector of services.filter((s) => /^otel-(collector|sampler|scraper)(-\d+)?$/.test(s))) {
      await waitForLog(compose, collector, /Everything is ready/, 120_000);
    }
  } catch (error) {
    // What failed to come up, with the last lines of every service, before the project is taken down.
    const states = compose.attempt('ps', '-a').stdout;
    const logs = compose.attempt('logs', '--tail', '12').stdout;
    compose.attempt('down', '-v', '--timeout', '10');
    throw new Error(`${error instanceof Error ? error.message : String(error)}\n${states}\n${logs.slice(-12_000)}`);
  }
  return { compose, dir, services: [...services, 's3', 'opensearch'], env: credentials, startupSeconds: (Date.now() - started) / 1000 };
}

async function waitForLog(compose: ComposeProject, service: string, pattern: RegExp, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (pattern.test(compose.attempt('logs', '--no-log-prefix', service).stdout)) return;
    await new Promise((r) => setTimeout(r, 1_000));
  }
  throw new Error(`${service}: no log line matching ${pattern} within ${timeoutMs / 1000} s:\n${compose.attempt('logs', '--tail', '30', service).stdout}`);
}
