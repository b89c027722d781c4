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
export async function startEmbeddedS3(opts: { port: number; directory: string }): Promise<EmbeddedS3> {
  fs.mkdirSync(opts.directory, { recursive: true });
  if (opts.port !== 0 && (await isListening(opts.port))) {
    return { endpoint: `http://127.0.0.1:${opts.port}`, close: async () => {} };
  }
  const server = new S3rver({ address: '127.0.0.1', port: opts.port, directory: opts.directory, silent: true });
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
