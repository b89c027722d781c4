import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import type { Config } from '@shopfleet/platform';

/** Quick to notice a dead worker, so tests do not wait out the production half-minute. */
export const FAST_STALLS = { lockDurationMs: 1500, stalledIntervalMs: 500 };

/** A free loopback port: the test platform's embedded S3 listens there, so a worker process finds the same store. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/**
 * The worker process as production runs it (workers/dist/main.js), on a test platform's database,
 * Redis prefix and S3, in a process group of its own (a template build's `uni build` is its child).
 */
export function workerProcess(config: Config, s3Port: number): ChildProcess {
  return spawn(process.execPath, [path.join(__dirname, '../dist/main.js')], {
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: config.DATABASE_URL,
      REDIS_URL: config.REDIS_URL,
      REDIS_PREFIX: config.REDIS_PREFIX,
      EMBEDDED_S3_PORT: String(s3Port),
      DATA_DIR: config.DATA_DIR,
      S3_BUCKET_PRIVATE: config.S3_BUCKET_PRIVATE,
      S3_BUCKET_PUBLIC: config.S3_BUCKET_PUBLIC,
      TEMPLATE_MINIAPP_DIR: config.TEMPLATE_MINIAPP_DIR,
      WORKER_LOCK_SECONDS: String(FAST_STALLS.lockDurationMs / 1000),
      WORKER_STALLED_CHECK_SECONDS: String(FAST_STALLS.stalledIntervalMs / 1000),
    },
    detached: true,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

/** SIGKILL to the whole group: no shutdown code runs and the job keeps its lock until it expires, as when a machine dies. */
export async function killHard(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  process.kill(-child.pid!, 'SIGKILL');
  await exited;
}
