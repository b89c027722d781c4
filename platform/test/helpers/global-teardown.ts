import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import knexFactory from 'knex';
import { Redis } from 'ioredis';

/** Drops this run's databases, Redis keys and object-store folders. */
export default async function globalTeardown(): Promise<void> {
  const run = process.env.SF_TEST_RUN;
  if (!run) return;
  const knex = knexFactory({
    client: 'mysql2',
    connection: { host: '127.0.0.1', port: 3306, user: 'root', password: '' },
  });
  try {
    const [rows] = (await knex.raw('SHOW DATABASES LIKE ?', [`sft_${run}_%`])) as [Array<Record<string, string>>];
    for (const row of rows) await knex.raw('DROP DATABASE IF EXISTS ??', [Object.values(row)[0]!]);
  } finally {
    await knex.destroy();
  }
  for (const entry of fs.readdirSync(os.tmpdir())) {
    if (entry.startsWith(`sft-${run}-`)) fs.rmSync(path.join(os.tmpdir(), entry), { recursive: true, force: true });
  }
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  try {
    for (const pattern of [`sft_${run}_*`, `{sft_${run}_*`]) {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        if (keys.length) await redis.del(...keys);
      } while (cursor !== '0');
    }
  } finally {
    redis.disconnect();
  }
}
