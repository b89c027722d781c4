import { Redis } from 'ioredis';
import type { Config } from './config';
import { createKnex, databaseAddress } from './db/knex';

/** A required service is not reachable; the message says which, where, and how to start it. */
export class ServiceUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServiceUnavailableError';
  }
}

/** Checks that MySQL and Redis answer before anything else starts, with a plain-words message if not. */
export async function preflight(
  config: Pick<Config, 'DATABASE_URL' | 'DATABASE_POOL_MAX' | 'REDIS_URL'>,
): Promise<void> {
  const problems: string[] = [];
  const knex = createKnex(config, { withoutDatabase: true, quiet: true });
  try {
    await knex.raw('select 1');
  } catch (err) {
    problems.push(
      `MySQL is not reachable at ${databaseAddress(config.DATABASE_URL)} (DATABASE_URL): ${describe(err)}.\n` +
        '    Start it (MariaDB on this machine): start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd\n' +
        '    or with Docker: docker compose up -d mysql',
    );
  } finally {
    await knex.destroy();
  }
  const url = new URL(config.REDIS_URL);
  const redis = new Redis(config.REDIS_URL, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 3000,
  });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
    const policy = (await redis.config('GET', 'maxmemory-policy').catch(() => [])) as string[];
    if (policy[1] && policy[1] !== 'noeviction') {
      problems.push(
        `Redis at ${url.host} evicts keys (maxmemory-policy ${policy[1]}); queues need noeviction: redis-cli config set maxmemory-policy noeviction`,
      );
    }
  } catch (err) {
    problems.push(
      `Redis is not reachable at ${url.host} (REDIS_URL): ${describe(err)}.\n` +
        '    Start it: redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no\n' +
        '    or with Docker: docker compose up -d redis',
    );
  } finally {
    redis.disconnect();
  }
  if (problems.length) throw new ServiceUnavailableError(problems.join('\n'));
}

function describe(err: unknown): string {
  const e = err as { code?: string; message?: string };
  return e.code ?? e.message ?? String(err);
}
