import fs from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';
import S3rverAccount from 's3rver/lib/models/account';
import { S3Gate, type S3Request } from './s3-gate';

export interface EmbeddedS3 {
  endpoint: string;
  /** Stops the server if this process started it. */
  close(): Promise<void>;
}

export interface EmbeddedS3Options {
  port: number;
  directory: string;
  privateBuckets: string[];
  /** The platform's S3 key: every signature is verified with it. */
  accessKeyId: string;
  secretAccessKey: string;
  region: string;
}

/**
 * An S3-compatible server on loopback over a local folder, for machines without S3. When another
 * Shopfleet process on this machine already serves it on the port, that one is used.
 */
export async function startEmbeddedS3(opts: EmbeddedS3Options): Promise<EmbeddedS3> {
  fs.mkdirSync(opts.directory, { recursive: true });
  if (opts.port !== 0 && (await isListening(opts.port))) {
    return { endpoint: `http://127.0.0.1:${opts.port}`, close: async () => {} };
  }
  const server = new S3rver({ address: '127.0.0.1', port: opts.port, directory: opts.directory, silent: true });
  // s3rver serves every bucket to anyone and takes any Signature V4 as valid. The gate runs first and
  // lets through only what real S3 would: anonymous reads of public objects, and genuine signatures.
  server.middleware.unshift(gateway(new S3Gate({ ...opts, privateBuckets: new Set(opts.privateBuckets) })));
  // s3rver knows one key pair (S3RVER/S3RVER) of its own; it must also know the platform's.
  S3rverAccount.DUMMY_ACCOUNT.createKeyPair(opts.accessKeyId, opts.secretAccessKey);
  const address = (await server.run()) as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    close: () => server.close(),
  };
}

function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

type KoaContext = {
  req: S3Request;
  method: string;
  status: number;
  type: string;
  body: unknown;
  set(name: string, value: string): void;
};

function gateway(gate: S3Gate) {
  return async (ctx: KoaContext, next: () => Promise<unknown>) => {
    // No object here is ever a page: a browser must neither guess a type nor run anything it opens.
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Content-Security-Policy', "sandbox; default-src 'none'");
    const decision = await gate.judge({ method: ctx.method, url: ctx.req.url, headers: ctx.req.headers });
    if (!decision.allow) {
      ctx.status = decision.status;
      ctx.type = 'application/xml';
      ctx.body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${decision.code}</Code><Message>${decision.message}</Message></Error>`;
      return;
    }
    await next();
  };
}
