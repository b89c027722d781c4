declare module 's3rver' {
  import type { AddressInfo } from 'node:net';
  interface S3rverOptions {
    address?: string;
    port?: number;
    directory: string;
    silent?: boolean;
    resetOnClose?: boolean;
    configureBuckets?: Array<{ name: string; configs?: Array<string | Buffer> }>;
  }
  export default class S3rver {
    constructor(options: S3rverOptions);
    run(): Promise<AddressInfo>;
    /** Koa's middleware stack, composed when the server starts. */
    middleware: Array<(ctx: never, next: () => Promise<unknown>) => unknown>;
    close(): Promise<void>;
  }
}

declare module 's3rver/lib/models/account' {
  /** s3rver's registry of key pairs; a signed request must name one of them. */
  const AWSAccount: { DUMMY_ACCOUNT: { createKeyPair(accessKeyId: string, secretAccessKey: string): void } };
  export = AWSAccount;
}
