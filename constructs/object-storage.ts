import type { Value } from '../model/component.js';
import { portOfUrl } from '../model/url-port.js';
import type { StackSpec } from '../model/spec.js';
import { secretRef } from './describe.js';

/**
 * Loki's S3-compatible bucket (`distributed.logs.objectStorage`): what the spec sets is written into the config,
 * the rest (always the keys) comes from the Secret through environment variables that Loki expands
 * (`-config.expand-env=true`), so no credential is ever literal in a config file.
 */
export const OBJECT_STORAGE_ENV = {
  endpoint: 'LOKI_S3_ENDPOINT',
  bucket: 'LOKI_S3_BUCKET',
  accessKeyId: 'LOKI_S3_ACCESS_KEY_ID',
  secretAccessKey: 'LOKI_S3_SECRET_ACCESS_KEY',
} as const;

/** The keys the object storage Secret holds (Secret key → what it must hold). */
export function objectStorageSecretKeys(spec: StackSpec): Record<string, string> {
  const storage = spec.distributed.logs.objectStorage;
  return {
    'access-key-id': 'the S3 access key ID',
    'secret-access-key': 'the S3 secret access key',
    ...(storage.endpoint ? {} : { endpoint: 'the S3 endpoint as host[:port], reached over HTTPS (e.g. nyc3.digitaloceanspaces.com)' }),
    ...(storage.bucket ? {} : { bucket: 'the bucket name' }),
  };
}

/** The environment a Loki process needs for its bucket. */
export function objectStorageEnv(spec: StackSpec): Record<string, Value> {
  const storage = spec.distributed.logs.objectStorage;
  const fromSecret = (key: string) => secretRef(storage.secret, key);
  return {
    [OBJECT_STORAGE_ENV.accessKeyId]: fromSecret('access-key-id'),
    [OBJECT_STORAGE_ENV.secretAccessKey]: fromSecret('secret-access-key'),
    ...(storage.endpoint ? {} : { [OBJECT_STORAGE_ENV.endpoint]: fromSecret('endpoint') }),
    ...(storage.bucket ? {} : { [OBJECT_STORAGE_ENV.bucket]: fromSecret('bucket') }),
  };
}

/** Loki's `common.storage.s3` block. */
export function lokiS3(spec: StackSpec): Record<string, unknown> {
  const storage = spec.distributed.logs.objectStorage;
  const url = storage.endpoint ? new URL(storage.endpoint) : undefined;
  return {
    endpoint: url ? url.host : `\${${OBJECT_STORAGE_ENV.endpoint}}`,
    insecure: url?.protocol === 'http:',
    bucketnames: storage.bucket ?? `\${${OBJECT_STORAGE_ENV.bucket}}`,
    region: storage.region,
    access_key_id: `\${${OBJECT_STORAGE_ENV.accessKeyId}}`,
    secret_access_key: `\${${OBJECT_STORAGE_ENV.secretAccessKey}}`,
    s3forcepathstyle: true,
  };
}

/** HTTPS, where S3 endpoints (DigitalOcean Spaces among them) answer when the Secret holds the endpoint. */
const S3_HTTPS_PORT = 443;

/** The port egress to the object storage is opened on (network policies): `port`, else the endpoint's, else 443. */
export function objectStoragePort(spec: StackSpec): number {
  const { endpoint, port } = spec.distributed.logs.objectStorage;
  return port ?? (endpoint ? portOfUrl(endpoint) : S3_HTTPS_PORT);
}
