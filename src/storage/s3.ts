// Files in an S3-compatible bucket (AWS S3, MinIO, Ceph, R2…), at <prefix><key>. Uploads go up in parts
// from a file stream (lib-storage), so no file is ever held whole in memory; a failed upload is
// aborted and leaves no object. Credentials come from the AWS SDK's default chain (AWS_ACCESS_KEY_ID
// and AWS_SECRET_ACCESS_KEY, a profile, an instance role…), which the SDK reads itself.
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { rm, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  paginateListObjectsV2,
  S3Client,
  type _Object,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import type { FileStore } from './file-store.ts';
import { PRIVATE_FILE_MODE } from './local.ts';

export interface S3Settings {
  bucket: string;
  /** Put before every key: empty, or ending with a slash. */
  prefix: string;
  /** An S3-compatible server's URL (path-style addressing then); null for AWS. */
  endpoint: string | null;
  region: string;
}

/** A health check that waits longer than this for the bucket counts it unreachable. */
const CHECK_TIMEOUT_MS = 5_000;
/** DeleteObjects takes at most this many keys. */
const DELETE_BATCH = 1000;

interface SdkError {
  name?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

const notFound = (error: unknown) =>
  (error as SdkError).$metadata?.httpStatusCode === 404 ||
  (error as SdkError).name === 'NoSuchKey' ||
  (error as SdkError).name === 'NotFound';

/**
 * An S3 failure as it may be logged. The SDK's own errors carry every field of S3's error reply, and
 * those echo the access key id (InvalidAccessKeyId) or the string that was signed and its signature
 * (SignatureDoesNotMatch): only the operation, the error's name, its message, the HTTP status and
 * the request id (for the provider's support) are kept.
 */
export class S3StorageError extends Error {
  readonly status: number | undefined;
  readonly requestId: string | undefined;
  constructor(operation: string, error: unknown) {
    const { name, message, $metadata } = error as SdkError;
    const status = $metadata?.httpStatusCode;
    super(
      `S3 ${operation} failed: ${name ?? 'Error'}${status ? ` (HTTP ${status})` : ''}: ${message ?? String(error)}`,
    );
    this.name = 'S3StorageError';
    this.status = status;
    this.requestId = $metadata?.requestId;
  }
}

/** Runs an S3 operation; its failure becomes an S3StorageError. */
async function s3<T>(operation: string, task: () => Promise<T>): Promise<T> {
  try {
    return await task();
  } catch (error) {
    throw new S3StorageError(operation, error);
  }
}

export function s3FileStore({ bucket, prefix, endpoint, region }: S3Settings): FileStore & { client: S3Client } {
  const client = new S3Client({
    region,
    ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
    // Checksums only where S3 requires them: many S3-compatible servers refuse the newer trailing
    // checksums that the SDK otherwise adds to every upload. TLS already guards the bytes in transit.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const objectKey = (key: string) => prefix + key;

  async function* objectsUnder(keyPrefix: string): AsyncGenerator<_Object> {
    const pages = paginateListObjectsV2({ client }, { Bucket: bucket, Prefix: objectKey(keyPrefix) })[
      Symbol.asyncIterator
    ]();
    for (;;) {
      const page = await s3('ListObjectsV2', () => pages.next());
      if (page.done) return;
      yield* page.value.Contents ?? [];
    }
  }

  async function getObject(key: string, range?: { start: number; end: number }): Promise<Readable> {
    const { Body } = await s3('GetObject', () =>
      client.send(
        new GetObjectCommand({
          Bucket: bucket,
          Key: objectKey(key),
          Range: range ? `bytes=${range.start}-${range.end}` : undefined,
        }),
      ),
    );
    if (!(Body instanceof Readable)) throw new Error('The S3 client returned no readable body');
    return Body;
  }

  return {
    client,
    description: `the bucket ${bucket}`,
    async put(key, localPath) {
      const upload = new Upload({
        client,
        params: { Bucket: bucket, Key: objectKey(key), Body: createReadStream(localPath) },
      });
      await s3('Upload', () => upload.done());
    },
    async size(key) {
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
        return head.ContentLength ?? 0;
      } catch (error) {
        if (notFound(error)) return null;
        throw new S3StorageError('HeadObject', error);
      }
    },
    read: getObject,
    async localCopy(key, tmpDir) {
      const path = join(tmpDir, `${randomUUID()}${extname(key)}`);
      try {
        await pipeline(await getObject(key), createWriteStream(path, { mode: PRIVATE_FILE_MODE }));
        await stat(path);
      } catch (error) {
        await rm(path, { force: true });
        throw error;
      }
      return { path, release: () => rm(path, { force: true }) };
    },
    async remove(key) {
      await s3('DeleteObject', () => client.send(new DeleteObjectCommand({ Bucket: bucket, Key: objectKey(key) })));
    },
    async removeAll(keyPrefix) {
      let batch: string[] = [];
      const flush = async () => {
        if (!batch.length) return;
        const { Errors } = await s3('DeleteObjects', () =>
          client.send(
            new DeleteObjectsCommand({
              Bucket: bucket,
              Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
            }),
          ),
        );
        batch = [];
        if (Errors?.length) {
          throw new Error(
            `${Errors.length} objects could not be deleted (first: ${Errors[0]!.Code} ${Errors[0]!.Key})`,
          );
        }
      };
      for await (const object of objectsUnder(keyPrefix)) {
        batch.push(object.Key!);
        if (batch.length === DELETE_BATCH) await flush();
      }
      await flush();
    },
    async bytesUnder(keyPrefix) {
      let sum = 0;
      for await (const object of objectsUnder(keyPrefix)) sum += object.Size ?? 0;
      return sum;
    },
    async check() {
      await s3('HeadBucket', () =>
        client.send(new HeadBucketCommand({ Bucket: bucket }), { abortSignal: AbortSignal.timeout(CHECK_TIMEOUT_MS) }),
      );
    },
  };
}
