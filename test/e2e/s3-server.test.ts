/**
 * The S3-compatible server that distributed stacks' tests store Loki's chunks in (test/images/engines.ts: MinIO
 * built from the Go module proxy), run from its local image and used through AWS's own S3 client, the way Loki
 * and the Pulumi program's Spaces bucket are used: path-style requests, signed with the root credentials.
 */
import { randomBytes } from 'node:crypto';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageTag } from '../images/build.js';
import { DockerContainer } from './support/container.js';
import { dockerWithImages } from './support/requirements.js';

const requirements = dockerWithImages(['minio']);
const ROOT_USER = 'observatory';
const ROOT_PASSWORD = randomBytes(18).toString('base64url');
const BUCKET = 'observatory-loki-chunks';

function client(endpoint: string, secretAccessKey: string): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: ROOT_USER, secretAccessKey },
  });
}

describe.skipIf(requirements.skip)('S3-compatible server (local minio image)', () => {
  let server: DockerContainer | undefined;
  let s3: S3Client;

  beforeAll(async () => {
    requirements.check();
    server = DockerContainer.start({
      name: 'observatory-e2e-s3',
      image: imageTag('minio'),
      args: ['server', '/data'],
      port: 9000,
      env: { MINIO_ROOT_USER: ROOT_USER, MINIO_ROOT_PASSWORD: ROOT_PASSWORD },
    });
    const seconds = await server.waitForHttp('/minio/health/ready', { timeoutMs: 60_000 });
    console.log(`s3 server: ready in ${seconds.toFixed(1)} s, ${server.memoryMiB().toFixed(0)} MiB resident`);
    s3 = client(server.url, ROOT_PASSWORD);
  }, 120_000);

  afterAll(() => {
    server?.remove();
  });

  it('creates a bucket, stores an object and returns it byte for byte', async () => {
    const body = randomBytes(256 * 1024);
    const key = 'fake/chunks/2026-11-30/chunk-1';

    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ContentType: 'application/octet-stream' }));
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'fake/chunks/' }));

    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body)).toBe(true);
    expect(got.ContentLength).toBe(body.length);
    expect(listed.Contents?.map((o) => o.Key)).toEqual([key]);
  });

  it('refuses a request signed with the wrong secret', async () => {
    const intruder = client(server!.url, `${ROOT_PASSWORD}x`);

    const refusal = await intruder.send(new ListObjectsV2Command({ Bucket: BUCKET })).then(
      () => undefined,
      (err: unknown) => err,
    );

    expect(refusal).toBeInstanceOf(S3ServiceException);
    expect((refusal as S3ServiceException).name).toBe('SignatureDoesNotMatch');
    expect((refusal as S3ServiceException).$metadata.httpStatusCode).toBe(403);
  });
});
