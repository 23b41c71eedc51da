/**
 * The S3-compatible server that distributed stacks' tests store Loki's chunks in (test/images/engines.ts: gofakes3
 * built from the Go module proxy, on its `fs` backend), run from its local image and used through AWS's own S3
 * client, the way Loki and the Pulumi program's Spaces bucket are used: path-style requests, signed. gofakes3
 * checks no signature (docs/DISTRIBUTED-ENGINES.md), so what is tested is what Loki relies on: the image's health
 * check, the bucket made at start, objects stored byte for byte, listed by prefix, deleted, and kept across a restart.
 */
import { randomBytes } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageTag } from '../images/build.js';
import { DockerContainer } from './support/container.js';
import { dockerWithImages } from './support/requirements.js';

const requirements = dockerWithImages(['gofakes3']);
const BUCKET = 'observatory-loki-chunks';

function client(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'observatory', secretAccessKey: randomBytes(18).toString('base64url') },
  });
}

describe.skipIf(requirements.skip)('S3-compatible server (local gofakes3 image)', () => {
  let server: DockerContainer | undefined;

  beforeAll(async () => {
    requirements.check();
    server = DockerContainer.start({
      name: 'observatory-e2e-s3',
      image: imageTag('gofakes3'),
      args: ['-backend', 'fs', '-fs.path', '/data', '-fs.create', '-initialbucket', BUCKET, '-host', ':9000'],
      port: 9000,
    });
    const seconds = await server.waitForHealthy({ timeoutMs: 60_000 });
    console.log(`s3 server: healthy in ${seconds.toFixed(1)} s, ${server.memoryMiB().toFixed(0)} MiB resident`);
  }, 120_000);

  afterAll(() => {
    server?.remove();
  });

  it('has the bucket made at start, stores an object and returns it byte for byte, listed by prefix', async () => {
    const s3 = client(server!.url);
    const body = randomBytes(256 * 1024);
    const key = 'fake/chunks/2026-11-30/chunk-1';

    await s3.send(new HeadBucketCommand({ Bucket: BUCKET }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body, ContentType: 'application/octet-stream' }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'index/other', Body: 'x' }));
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }));
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'fake/chunks/' }));

    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(body)).toBe(true);
    expect(got.ContentLength).toBe(body.length);
    expect(listed.Contents?.map((o) => o.Key)).toEqual([key]);
  });

  it('deletes an object, and keeps the others across a restart (the fs backend on its volume)', async () => {
    await client(server!.url).send(new DeleteObjectCommand({ Bucket: BUCKET, Key: 'index/other' }));

    server = server!.restart();
    await server.waitForHealthy({ timeoutMs: 60_000 });
    const s3 = client(server.url);
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: BUCKET }));
    const missing = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'index/other' })).then(
      () => 'found',
      (err: unknown) => (err as { name?: string }).name,
    );

    expect(listed.Contents?.map((o) => o.Key)).toEqual(['fake/chunks/2026-11-30/chunk-1']);
    expect(missing).toBe('NoSuchKey');
  }, 90_000);
});
