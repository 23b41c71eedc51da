/** The keys an S3-compatible bucket holds, listed through AWS's own S3 client as Loki's is configured (path style). */
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';

export async function bucketKeys(endpoint: string, bucket: string, credentials: { accessKeyId: string; secretAccessKey: string }): Promise<string[]> {
  const s3 = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials });
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).map((o) => o.Key ?? ''));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}
