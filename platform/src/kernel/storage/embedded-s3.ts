import fs from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';

export interface EmbeddedS3 {
  endpoint: string;
  /** Stops the server if this process started it. */
  close(): Promise<void>;
}

/**
 * An S3-compatible server on loopback over a local folder, for machines without S3. When another
 * Shopfleet process on this machine already serves it on the port, that one is used.
 */
export async function startEmbeddedS3(opts: { port: number; directory: string; privateBuckets: string[] }): Promise<EmbeddedS3> {
  fs.mkdirSync(opts.directory, { recursive: true });
  if (opts.port !== 0 && (await isListening(opts.port))) {
    return { endpoint: `http://127.0.0.1:${opts.port}`, close: async () => {} };
  }
  const server = new S3rver({ address: '127.0.0.1', port: opts.port, directory: opts.directory, silent: true });
  // s3rver serves every bucket to anonymous callers; S3 and MinIO do not. Refuse unsigned requests to
  // the private buckets first, so that the embedded store keeps documents as private as real S3 does.
  server.middleware.unshift(requireSignatureFor(new Set(opts.privateBuckets)));
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

type KoaContext = { path: string; query: Record<string, unknown>; headers: Record<string, unknown>; status: number; type: string; body: unknown };

function requireSignatureFor(buckets: Set<string>) {
  return async (ctx: KoaContext, next: () => Promise<unknown>) => {
    const bucket = decodeURIComponent(ctx.path.split('/')[1] ?? '');
    const signed = Boolean(ctx.headers.authorization) || 'X-Amz-Signature' in ctx.query || 'Signature' in ctx.query;
    if (buckets.has(bucket) && !signed) {
      ctx.status = 403;
      ctx.type = 'application/xml';
      ctx.body = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>';
      return;
    }
    await next();
  };
}
