import type { ExternalSecret, Template, Value } from '../model/component.js';
import { portOfUrl } from '../model/url-port.js';
import type { StackSpec } from '../model/spec.js';
import { secretRef, template } from './describe.js';

/**
 * The OpenSearch cluster Jaeger stores spans in (`distributed.traces.opensearch`), outside the stack: its URL
 * from the spec or the Secret, its credentials always from the Secret, through environment variables the
 * config expands (`${env:...}`), never literal.
 */
export const OPENSEARCH_ENV = { endpoint: 'OPENSEARCH_URL', username: 'OPENSEARCH_USERNAME', password: 'OPENSEARCH_PASSWORD' } as const;

/** DigitalOcean's Managed OpenSearch answers on 25060; the port when the URL comes from the Secret. */
const MANAGED_OPENSEARCH_PORT = 25060;

/** Prefix of Jaeger's daily indices (`jaeger-span-2026-11-30`...). */
export const JAEGER_INDEX_PREFIX = 'jaeger';

/** Where a private CA's certificate (`privateCa`) appears in Jaeger's and the index cleaner's containers. */
export const OPENSEARCH_CA_DIR = '/etc/opensearch-ca';
const CA_KEY = 'ca.crt';

function openSearchSecretKeys(spec: StackSpec): Record<string, string> {
  const { endpoint, privateCa } = spec.distributed.traces.opensearch;
  return {
    username: 'the OpenSearch user Jaeger writes and reads as',
    password: "that user's password",
    ...(endpoint ? {} : { endpoint: 'the OpenSearch URL, e.g. https://search.example.com:25060' }),
    ...(privateCa ? { [CA_KEY]: "the PEM certificate of the authority that signed OpenSearch's certificate" } : {}),
  };
}

/** The Secret Jaeger and its index cleaner read OpenSearch's URL, credentials and (`privateCa`) CA from. */
export function openSearchSecret(spec: StackSpec): ExternalSecret {
  const { secret, privateCa } = spec.distributed.traces.opensearch;
  return { secret, keys: openSearchSecretKeys(spec), ...(privateCa ? { files: { dir: OPENSEARCH_CA_DIR, keys: [CA_KEY] } } : {}) };
}

/**
 * A private CA joins the system's through Go's `SSL_CERT_DIR` (every certificate file in those folders is added
 * to the system pool, besides the bundle file), which both Jaeger's storage client and the index cleaner use:
 * right whether OpenSearch's certificate comes from that CA or from a public one.
 */
export function openSearchEnv(spec: StackSpec): Record<string, Value> {
  const { endpoint, secret } = spec.distributed.traces.opensearch;
  return {
    [OPENSEARCH_ENV.username]: secretRef(secret, 'username'),
    [OPENSEARCH_ENV.password]: secretRef(secret, 'password'),
    ...(endpoint ? {} : { [OPENSEARCH_ENV.endpoint]: secretRef(secret, 'endpoint') }),
    ...openSearchCaEnv(spec),
  };
}

/** `SSL_CERT_DIR` naming the private CA's folder when `privateCa` (see openSearchEnv). */
export function openSearchCaEnv(spec: StackSpec): Record<string, string> {
  return spec.distributed.traces.opensearch.privateCa ? { SSL_CERT_DIR: OPENSEARCH_CA_DIR } : {};
}

/** The URL as a process argument: literal, or filled in from the Secret. */
export function openSearchUrlArgument(spec: StackSpec): string | Template {
  const { endpoint, secret } = spec.distributed.traces.opensearch;
  return endpoint ?? template('{endpoint}', { endpoint: { secret, key: 'endpoint' } });
}

/** Jaeger's `opensearch` storage backend: daily indices sized by the spec, basic auth from the environment. */
export function jaegerOpenSearchBackend(spec: StackSpec, maxSpanAge: string): Record<string, unknown> {
  const { endpoint, shards, replicas } = spec.distributed.traces.opensearch;
  const daily = { date_layout: '2006-01-02', rollover_frequency: 'day', shards, replicas };
  return {
    server_urls: [endpoint ?? `\${env:${OPENSEARCH_ENV.endpoint}}`],
    auth: { basic: { username: `\${env:${OPENSEARCH_ENV.username}}`, password: `\${env:${OPENSEARCH_ENV.password}}` } },
    // How far back searches look: the retention, since older indices are deleted.
    max_span_age: maxSpanAge,
    indices: { index_prefix: JAEGER_INDEX_PREFIX, spans: daily, services: daily, dependencies: daily, sampling: daily },
  };
}

/** The port egress to OpenSearch is opened on: `port`, else the URL's, else Managed OpenSearch's. */
export function openSearchPort(spec: StackSpec): number {
  const { endpoint, port } = spec.distributed.traces.opensearch;
  return port ?? (endpoint ? portOfUrl(endpoint) : MANAGED_OPENSEARCH_PORT);
}
