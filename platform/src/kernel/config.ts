import path from 'node:path';
import { z } from 'zod';

const REPO_ROOT = path.resolve(__dirname, '../../..');

const DEV_AUTH_SECRET = 'dev-only-auth-secret-change-me-in-production-0123456789';
const DEV_DATA_KEY = 'k1:' + Buffer.alloc(32, 7).toString('base64');

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** Every environment variable the platform reads, with its default and meaning (README's table is generated from this). */
export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  PUBLIC_URL: z.url().optional(),
  TRUST_PROXY: bool.default(false),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  BODY_LIMIT: z.string().regex(/^\d+(b|kb|mb)$/i, 'a size like 1mb or 256kb').default('1mb'),
  DATABASE_URL: z.url().refine((u) => u.startsWith('mysql://'), 'a mysql:// URL').default('mysql://root@127.0.0.1:3306/shopfleet'),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
  RUN_MIGRATIONS: bool.default(true),
  REDIS_URL: z.url().refine((u) => /^rediss?:\/\//.test(u), 'a redis:// URL').default('redis://127.0.0.1:6379'),
  REDIS_PREFIX: z.string().regex(/^[a-zA-Z0-9_-]+$/).default('sf'),
  S3_ENDPOINT: z.url().optional(),
  S3_REGION: z.string().default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().default('S3RVER'),
  S3_SECRET_ACCESS_KEY: z.string().default('S3RVER'),
  S3_BUCKET_PRIVATE: z.string().default('shopfleet-private'),
  S3_BUCKET_PUBLIC: z.string().default('shopfleet-public'),
  S3_PUBLIC_URL: z.url().optional(),
  EMBEDDED_S3_PORT: z.coerce.number().int().min(0).max(65535).default(4568),
  DATA_DIR: z.string().default(path.join(REPO_ROOT, '.data')),
  AUTH_SECRET: z.string().min(32, 'at least 32 characters').default(DEV_AUTH_SECRET),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  LOGIN_ATTEMPTS_PER_IP_PER_MINUTE: z.coerce.number().int().min(1).default(30),
  OTP_SENDS_PER_IP_PER_HOUR: z.coerce.number().int().min(1).default(30),
  DATA_ENCRYPTION_KEYS: z
    .string()
    .regex(/^[a-zA-Z0-9_-]+:[A-Za-z0-9+/=]{44}(,[a-zA-Z0-9_-]+:[A-Za-z0-9+/=]{44})*$/, 'kid:base64(32 bytes)[,kid:base64…], the first one encrypts')
    .default(DEV_DATA_KEY),
  WECHAT_API_BASE: z.url().default('https://api.weixin.qq.com'),
  WECHAT_COMPONENT_APPID: z.string().optional(),
  WECHAT_COMPONENT_APPSECRET: z.string().optional(),
  SMS_SENDER: z.enum(['log']).default('log'),
  CONSOLE_DIST: z.string().default(path.join(REPO_ROOT, 'tenant-console/dist')),
  MINIAPP_H5_DIST: z.string().default(path.join(REPO_ROOT, 'template-miniapp/dist/build/h5')),
});

export type Env = z.infer<typeof envSchema>;

export interface Config extends Env {
  publicUrl: string;
  repoRoot: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once; names every bad variable. Production refuses the development secrets. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message} (got ${JSON.stringify(env[String(i.path[0])])})`));
  }
  const cfg = parsed.data;
  if (cfg.NODE_ENV === 'production') {
    const problems: string[] = [];
    if (cfg.AUTH_SECRET === DEV_AUTH_SECRET) problems.push('AUTH_SECRET: must be set in production');
    if (cfg.DATA_ENCRYPTION_KEYS === DEV_DATA_KEY) problems.push('DATA_ENCRYPTION_KEYS: must be set in production');
    if (problems.length) throw new ConfigError(problems);
  }
  return {
    ...cfg,
    publicUrl: (cfg.PUBLIC_URL ?? `http://localhost:${cfg.PORT}`).replace(/\/$/, ''),
    repoRoot: REPO_ROOT,
  };
}
