import type { Platform } from '../platform';

interface Check {
  ok: boolean;
  ms: number;
  error?: string;
}

async function timed(fn: () => Promise<unknown>, timeoutMs = 2000): Promise<Check> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, ms: Date.now() - started };
  } catch (err) {
    return { ok: false, ms: Date.now() - started, error: (err as Error).message || String(err) };
  } finally {
    clearTimeout(timer);
  }
}

/** Readiness: MySQL, Redis and S3, each reported; ready only when all answer. */
export async function readiness(platform: Pick<Platform, 'knex' | 'redis' | 'storage'>) {
  const [mysql, redis, s3] = await Promise.all([
    timed(() => platform.knex.raw('select 1')),
    timed(() => platform.redis.ping()),
    timed(() => platform.storage.ping()),
  ]);
  const checks = { mysql, redis, s3 };
  return { status: Object.values(checks).every((c) => c.ok) ? ('ok' as const) : ('unavailable' as const), checks };
}
