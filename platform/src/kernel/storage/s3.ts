import { Transform, type Readable } from 'node:stream';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  PutBucketPolicyCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';

// Node 20 is this project's runtime (a fixed choice); the SDK's notice about its future Node 22 floor
// would otherwise print on every start. Its own documented switch turns it off.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

export type Visibility = 'private' | 'public';

export interface StorageOptions {
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  privateBucket: string;
  publicBucket: string;
  /** Base URL under which public objects are served (a CDN in production). */
  publicUrl: string;
}

export interface PutInput {
  visibility: Visibility;
  key: string;
  body: Buffer | Readable | string;
  contentType: string;
  cacheControl?: string;
  /** Stored with the object, e.g. `attachment` so that a browser saves a document instead of showing it. */
  contentDisposition?: string;
}

/** Headers a signed URL makes the store answer with (S3 signs them into the URL). */
export interface SignedResponse {
  contentType: string;
  contentDisposition: string;
}

/**
 * Told of every object stored and deleted, with its size: how a shop's stored bytes are known without listing a
 * bucket (the private one is never listed). The usage module keeps the sizes; a meter that fails must not fail the put.
 */
export interface StorageMeter {
  stored(object: { visibility: Visibility; key: string; bytes: number }): Promise<void>;
  deleted(object: { visibility: Visibility; key: string }): Promise<void>;
}

/**
 * The one object-storage wrapper. Private objects (documents) are read only through short-lived
 * signed URLs; public objects (images) have stable URLs under the public base.
 */
export class Storage {
  readonly client: S3Client;

  constructor(
    private readonly opts: StorageOptions,
    private readonly meter: StorageMeter | null = null,
  ) {
    this.client = new S3Client({
      endpoint: opts.endpoint,
      region: opts.region,
      forcePathStyle: true,
      credentials: { accessKeyId: opts.accessKeyId, secretAccessKey: opts.secretAccessKey },
      // Without these, streamed uploads carry aws-chunked framing that some S3-compatible servers store verbatim.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  bucket(visibility: Visibility): string {
    return visibility === 'public' ? this.opts.publicBucket : this.opts.privateBucket;
  }

  /** Creates the buckets if missing; the public one gets an anonymous-read policy. */
  async ensureBuckets(): Promise<void> {
    for (const visibility of ['private', 'public'] as const) {
      const Bucket = this.bucket(visibility);
      try {
        await this.client.send(new HeadBucketCommand({ Bucket }));
      } catch {
        await this.client.send(new CreateBucketCommand({ Bucket }));
      }
      if (visibility === 'public') {
        const policy = {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: '*', Action: ['s3:GetObject'], Resource: [`arn:aws:s3:::${Bucket}/*`] },
          ],
        };
        await this.client.send(new PutBucketPolicyCommand({ Bucket, Policy: JSON.stringify(policy) })).catch(() => {
          // s3rver has no bucket policies: its objects are readable anyway.
        });
      }
    }
  }

  /** Uploads (streaming, multipart when large), tells the meter its size, and returns the key. */
  async put(input: PutInput): Promise<string> {
    let bytes = 0;
    let body = input.body;
    if (typeof body === 'string') bytes = Buffer.byteLength(body);
    else if (Buffer.isBuffer(body)) bytes = body.length;
    else {
      // A stream's size is known once it has been read: counted on its way through.
      const counter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          bytes += chunk.length;
          done(null, chunk);
        },
      });
      // pipe() does not pass a source's error on: the upload would wait forever for the rest.
      body.once('error', (err) => counter.destroy(err));
      body = body.pipe(counter);
    }
    const upload = new Upload({
      client: this.client,
      params: {
        Bucket: this.bucket(input.visibility),
        Key: input.key,
        Body: body,
        ContentType: input.contentType,
        CacheControl: input.cacheControl,
        ContentDisposition: input.contentDisposition,
      },
    });
    await upload.done();
    await this.meter?.stored({ visibility: input.visibility, key: input.key, bytes });
    return input.key;
  }

  async getBuffer(visibility: Visibility, key: string): Promise<Buffer> {
    const res = await this.client.send(new GetObjectCommand({ Bucket: this.bucket(visibility), Key: key }));
    const bytes = await res.Body!.transformToByteArray();
    return Buffer.from(bytes);
  }

  async delete(visibility: Visibility, key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket(visibility), Key: key }));
    await this.meter?.deleted({ visibility, key });
  }

  /**
   * A short-lived URL to read a private object; `response` fixes the type and disposition it is served
   * with, whatever the object's own metadata says.
   */
  async signedGetUrl(key: string, expiresInSeconds = 300, response?: SignedResponse): Promise<string> {
    const command = new GetObjectCommand({
      Bucket: this.opts.privateBucket,
      Key: key,
      ...(response
        ? { ResponseContentType: response.contentType, ResponseContentDisposition: response.contentDisposition }
        : {}),
    });
    return getSignedUrl(this.client, command, { expiresIn: expiresInSeconds });
  }

  publicUrl(key: string): string {
    return `${this.opts.publicUrl.replace(/\/$/, '')}/${key.split('/').map(encodeURIComponent).join('/')}`;
  }

  /** Readiness: both buckets answer. */
  async ping(): Promise<void> {
    await this.client.send(new HeadBucketCommand({ Bucket: this.opts.privateBucket }));
    await this.client.send(new HeadBucketCommand({ Bucket: this.opts.publicBucket }));
  }

  destroy(): void {
    this.client.destroy();
  }
}
