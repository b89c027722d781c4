import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import type { Config } from '../config';

export type { Knex };

function parseDatabaseUrl(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 3306),
    user: decodeURIComponent(u.username || 'root'),
    password: decodeURIComponent(u.password),
    database: u.pathname.replace(/^\//, ''),
  };
}

export function databaseName(url: string): string {
  return parseDatabaseUrl(url).database;
}

export function databaseAddress(url: string): string {
  const { host, port } = parseDatabaseUrl(url);
  return `${host}:${port}`;
}

/** A knex instance on MySQL/MariaDB. Dates travel as UTC; BIGINT ids come back as numbers (they stay below 2^53). */
export function createKnex(
  config: Pick<Config, 'DATABASE_URL' | 'DATABASE_POOL_MAX'>,
  opts: { withoutDatabase?: boolean; quiet?: boolean } = {},
): Knex {
  const conn = parseDatabaseUrl(config.DATABASE_URL);
  const silent = () => {};
  return knexFactory({
    client: 'mysql2',
    ...(opts.quiet ? { log: { warn: silent, error: silent, debug: silent, deprecate: silent } } : {}),
    connection: {
      host: conn.host,
      port: conn.port,
      user: conn.user,
      password: conn.password,
      database: opts.withoutDatabase ? undefined : conn.database,
      timezone: 'Z',
      dateStrings: false,
      supportBigNumbers: true,
      bigNumberStrings: false,
      charset: 'utf8mb4',
      connectTimeout: 5000,
    },
    pool: {
      min: 0,
      max: config.DATABASE_POOL_MAX,
      // Every session in UTC, so NOW() and the driver agree whatever the server's zone.
      afterCreate: (
        conn: { query: (sql: string, cb: (err: Error | null) => void) => void },
        done: (err: Error | null, conn: unknown) => void,
      ) => {
        conn.query("SET time_zone = '+00:00'", (err) => done(err, conn));
      },
    },
  });
}

/** Creates the database if it is missing (utf8mb4, so Chinese text and emoji round-trip). */
export async function ensureDatabase(config: Pick<Config, 'DATABASE_URL' | 'DATABASE_POOL_MAX'>): Promise<void> {
  const name = databaseName(config.DATABASE_URL);
  if (!/^[a-zA-Z0-9_]+$/.test(name))
    throw new Error(`DATABASE_URL: database name "${name}" must be letters, digits and underscores`);
  const admin = createKnex(config, { withoutDatabase: true });
  try {
    await admin.raw('CREATE DATABASE IF NOT EXISTS ?? CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci', [name]);
  } finally {
    await admin.destroy();
  }
}

const runningFromSource = __filename.endsWith('.ts');
const MIGRATIONS_DIR = path.resolve(__dirname, '../../../../migrations', runningFromSource ? '' : 'dist');

/** Runs every pending migration from migrations/ (compiled ones when running compiled code). */
export async function migrateLatest(knex: Knex): Promise<string[]> {
  const [, applied] = (await knex.migrate.latest({
    directory: MIGRATIONS_DIR,
    loadExtensions: runningFromSource ? ['.ts'] : ['.js'],
    tableName: 'knex_migrations',
  })) as [number, string[]];
  return applied;
}
