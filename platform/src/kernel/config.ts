import path from 'node:path';
import { z } from 'zod';

const REPO_ROOT = path.resolve(__dirname, '../../..');

const DEV_AUTH_SECRET = 'dev-only-auth-secret-change-me-in-production-0123456789';
const DEV_DATA_KEY = 'k1:' + Buffer.alloc(32, 7).toString('base64');

const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** Every environment variable the platform reads, with its default and meaning (README's table is generated from this). */
export const envSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'test', 'production'])
    .default('development')
    .describe('development, test or production; production refuses the development secrets'),
  HOST: z.string().default('0.0.0.0').describe('address the API listens on'),
  API_PROCESSES: z.coerce
    .number()
    .int()
    .min(1)
    .max(64)
    .default(1)
    .describe('API processes sharing the port (node:cluster), one per core a machine gives the API'),
  PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(3000)
    .describe("port of the API, the console (/console/) and the shops' h5 (/s/{slug}/)"),
  PUBLIC_URL: z.url().optional().describe("the platform's public base URL (default http://localhost:PORT)"),
  TRUST_PROXY: bool
    .default(false)
    .describe('trust X-Forwarded-* from a reverse proxy (for client addresses in rate limits and logs)'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info')
    .describe('pino log level'),
  BODY_LIMIT: z
    .string()
    .regex(/^\d+(b|kb|mb)$/i, 'a size like 1mb or 256kb')
    .default('1mb')
    .describe('largest JSON body accepted'),
  DATABASE_URL: z
    .url()
    .refine((u) => u.startsWith('mysql://'), 'a mysql:// URL')
    .default('mysql://root@127.0.0.1:3306/shopfleet')
    .describe('MySQL 8 / MariaDB 10.11; the database is created if missing'),
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10).describe('connections per process'),
  RUN_MIGRATIONS: bool.default(true).describe('run pending migrations when the API starts'),
  REDIS_URL: z
    .url()
    .refine((u) => /^rediss?:\/\//.test(u), 'a redis:// URL')
    .default('redis://127.0.0.1:6379')
    .describe('Redis 7 (cache, rate limits, sessions, queues); needs maxmemory-policy noeviction'),
  REDIS_PREFIX: z
    .string()
    .regex(/^[a-zA-Z0-9_-]+$/)
    .default('sf')
    .describe('prefix of every Redis key, and the hash tag of the queue keys'),
  S3_ENDPOINT: z
    .url()
    .optional()
    .describe('S3-compatible endpoint; unset: an embedded S3 server on loopback over DATA_DIR/s3'),
  S3_REGION: z.string().default('us-east-1').describe('S3 region'),
  S3_ACCESS_KEY_ID: z.string().default('S3RVER').describe('S3 access key'),
  S3_SECRET_ACCESS_KEY: z.string().default('S3RVER').describe('S3 secret key'),
  S3_BUCKET_PRIVATE: z
    .string()
    .default('shopfleet-private')
    .describe('bucket for private objects (documents), read through signed URLs only'),
  S3_BUCKET_PUBLIC: z
    .string()
    .default('shopfleet-public')
    .describe('bucket for public objects (logos, product images)'),
  S3_PUBLIC_URL: z.url().optional().describe('base URL of public objects, e.g. a CDN (default: endpoint/bucket)'),
  EMBEDDED_S3_PORT: z.coerce
    .number()
    .int()
    .min(0)
    .max(65535)
    .default(4568)
    .describe('port of the embedded S3 server (0: any free port)'),
  DATA_DIR: z
    .string()
    .default(path.join(REPO_ROOT, '.data'))
    .describe('local data folder (embedded S3 files); git-ignored'),
  AUTH_SECRET: z
    .string()
    .min(32, 'at least 32 characters')
    .default(DEV_AUTH_SECRET)
    .describe('secret the access-token keys are derived from (one key per audience)'),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(30)
    .max(86_400)
    .default(900)
    .describe('lifetime of access tokens'),
  REFRESH_TOKEN_TTL_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(365)
    .default(30)
    .describe('lifetime of refresh tokens (they rotate on every use)'),
  LOGIN_ATTEMPTS_PER_IP_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1)
    .default(30)
    .describe('staff sign-in attempts per client address per minute'),
  OTP_SENDS_PER_IP_PER_HOUR: z.coerce
    .number()
    .int()
    .min(1)
    .default(30)
    .describe('SMS sign-in codes per client address per hour'),
  SIGNED_URL_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(3600)
    .default(300)
    .describe('lifetime of signed URLs to private files (documents)'),
  QUALIFICATION_REMINDER_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .max(180)
    .default(30)
    .describe('days before a document expires that the merchant is reminded'),
  QUALIFICATION_GRACE_DAYS: z.coerce
    .number()
    .int()
    .min(0)
    .max(180)
    .default(15)
    .describe('days after a document expired before the tenant is suspended'),
  CATALOG_LOCAL_CACHE_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(10_000)
    .default(1000)
    .describe(
      'how long a process keeps shop catalog reads before checking for changes (a change shows within this time)',
    ),
  ORDER_PAYMENT_WINDOW_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(1440)
    .default(15)
    .describe('minutes a shopper has to pay before the order closes and its stock returns'),
  ORDER_MAX_UNPAID: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(5)
    .describe('unpaid orders a shopper may hold in one shop at once'),
  ORDER_PLACEMENT_CONCURRENCY: z.coerce
    .number()
    .int()
    .min(1)
    .max(100)
    .default(2)
    .describe(
      'batches of orders a process places at once; orders arriving meanwhile wait in arrival order for the next batch',
    ),
  ORDER_PLACEMENT_BATCH: z.coerce
    .number()
    .int()
    .min(1)
    .max(500)
    .default(64)
    .describe(
      'orders of one shop placed together in one batch at most (their reads one query each, their writes one transaction)',
    ),
  ORDER_PLACEMENT_QUEUE: z.coerce
    .number()
    .int()
    .min(0)
    .max(100_000)
    .default(2000)
    .describe('orders a process lets wait for a batch before answering 503 BUSY with Retry-After'),
  FLASH_RATE_PER_SHOPPER: z.coerce
    .number()
    .int()
    .min(1)
    .max(1000)
    .default(5)
    .describe('flash-sale purchase attempts a shopper may make per second on one item (more: 429)'),
  FLASH_RATE_PER_ADDRESS: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(200)
    .describe('flash-sale purchase attempts one network address may make per second on one item (more: 429)'),
  SHARE_RATE_PER_SHOPPER: z.coerce
    .number()
    .int()
    .min(1)
    .max(10_000)
    .default(20)
    .describe('new share posters or mini-program codes a shopper may have made per minute (more: 429)'),
  SHARE_RATE_PER_SHOP: z.coerce
    .number()
    .int()
    .min(1)
    .max(1_000_000)
    .default(1000)
    .describe(
      "new share posters or mini-program codes one shop's shoppers may have made per minute, together (more: 429; WeChat makes 5,000 codes a minute per mini-program)",
    ),
  SHARE_WXACODE_ENV_VERSION: z
    .enum(['release', 'trial', 'develop'])
    .default('release')
    .describe("the version of a shop's mini-program its share codes open (wxacode env_version)"),
  ORDER_AUTO_CONFIRM_DAYS: z.coerce
    .number()
    .int()
    .min(3)
    .max(30)
    .default(10)
    .describe('days after shipping an order is confirmed for the shopper (a shop may set its own)'),
  KUAIDI100_API_URL: z
    .url()
    .default('https://poll.kuaidi100.com/poll/query.do')
    .describe("Kuaidi100's real-time tracking query (实时快递查询) URL (tests point it at a local fake)"),
  KUAIDI100_CUSTOMER: z
    .string()
    .optional()
    .describe(
      'Kuaidi100 customer (授权码); with KUAIDI100_KEY turns parcel tracking on (unset: number and carrier page only)',
    ),
  KUAIDI100_KEY: z.string().optional().describe('Kuaidi100 key (授权key) that signs the queries'),
  TRACKING_CACHE_SECONDS: z.coerce
    .number()
    .int()
    .min(10)
    .max(86_400)
    .default(300)
    .describe("seconds a parcel's route is kept before the tracking provider is asked again"),
  PDF_CJK_FONT: z
    .string()
    .default('/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc')
    .describe(
      'the Chinese font packing lists and labels are printed with (.ttc, .otf or .ttf; Debian: fonts-noto-cjk)',
    ),
  PDF_CJK_FONT_FACE: z
    .string()
    .default('NotoSansCJKsc-Regular')
    .describe('the PostScript name of the face to use in a .ttc collection (ignored for .otf/.ttf)'),
  WECHATPAY_API_BASE: z
    .url()
    .default('https://api.mch.weixin.qq.com')
    .describe('WeChat Pay API v3 base URL (tests point it at a local fake)'),
  WECHATPAY_SP_MCHID: z
    .string()
    .regex(/^\d{8,12}$/)
    .optional()
    .describe('service-provider mchid: shops can then pay out as its sub-merchants (all WECHATPAY_SP_* needed)'),
  WECHATPAY_SP_APPID: z.string().optional().describe("the service provider's AppID (sp_appid)"),
  WECHATPAY_SP_SERIAL_NO: z.string().optional().describe("serial number of the service provider's API certificate"),
  WECHATPAY_SP_PRIVATE_KEY: z.string().optional().describe('its API private key, PEM (\\n escapes allowed)'),
  WECHATPAY_SP_APIV3_KEY: z.string().length(32).optional().describe('its APIv3 key (decrypts notifications)'),
  WECHATPAY_SP_PUBLIC_KEY_ID: z
    .string()
    .optional()
    .describe('WeChat Pay public key id of the service provider account'),
  WECHATPAY_SP_PUBLIC_KEY: z.string().optional().describe('that WeChat Pay public key, PEM (\\n escapes allowed)'),
  ALIPAY_GATEWAY: z
    .url()
    .default('https://openapi.alipay.com/gateway.do')
    .describe('Alipay open API gateway (tests point it at a local fake)'),
  UNIONPAY_GATEWAY: z
    .url()
    .default('https://gateway.95516.com')
    .describe('UnionPay online gateway (全渠道) base URL; the test environment is https://gateway.test.95516.com'),
  UNIONPAY_ROOT_CERT: z
    .string()
    .optional()
    .describe("UnionPay's root certificate, PEM (\\n escapes allowed); with the middle one, UnionPay is offered"),
  UNIONPAY_MIDDLE_CERT: z
    .string()
    .optional()
    .describe("UnionPay's middle certificate, PEM (\\n escapes allowed): its signing certificates chain to it"),
  PAYMENT_NOTIFY_BASE_URL: z
    .url()
    .optional()
    .describe('public base URL the payment providers call back (default PUBLIC_URL)'),
  PAYMENT_NOTIFICATION_MAX_AGE_SECONDS: z.coerce
    .number()
    .int()
    .min(30)
    .max(3600)
    .default(300)
    .describe('oldest signed timestamp a payment notification may carry'),
  DATA_ENCRYPTION_KEYS: z
    .string()
    .regex(
      /^[a-zA-Z0-9_-]+:[A-Za-z0-9+/=]{44}(,[a-zA-Z0-9_-]+:[A-Za-z0-9+/=]{44})*$/,
      'kid:base64(32 bytes)[,kid:base64…], the first one encrypts',
    )
    .default(DEV_DATA_KEY)
    .describe('AES-256-GCM keys for secrets at rest: kid:base64[,kid:base64…]; the first encrypts'),
  WECHAT_API_BASE: z
    .url()
    .default('https://api.weixin.qq.com')
    .describe('WeChat API base URL (tests point it at a local fake)'),
  WECHAT_CI_BASE: z
    .url()
    .default('https://servicewechat.com')
    .describe(
      "where miniprogram-ci's calls go, for uploads with a merchant's own code-upload key (tests point it at a local fake)",
    ),
  WECHAT_CI_ROBOT: z.coerce
    .number()
    .int()
    .min(1)
    .max(30)
    .default(1)
    .describe("WeChat's CI robot (1–30) the platform uploads as: the development version shows under its name"),
  WECHAT_SUPPORT_REPLY_TID: z
    .string()
    .regex(/^\d{1,10}$/)
    .optional()
    .describe(
      "the public subscribe-message template (tid) of a customer-service reply notice in WeChat's library, keywords 1–3 being who replied, the reply and its time; each shop's mini-program adds it as its own (unset: no subscribe messages)",
    ),
  WECHAT_COMPONENT_APPID: z.string().optional().describe('appid of our WeChat third-party platform (component)'),
  WECHAT_COMPONENT_APPSECRET: z.string().optional().describe('its secret'),
  WECHAT_COMPONENT_TOKEN: z
    .string()
    .optional()
    .describe('its message token (消息校验Token): signs the pushes WeChat sends to /webhooks/wechat/component'),
  WECHAT_COMPONENT_AES_KEY: z
    .string()
    .length(43)
    .optional()
    .describe('its EncodingAESKey (消息加解密Key, 43 characters): decrypts those pushes'),
  SMS_SENDER: z.enum(['log']).default('log').describe('SMS sender; log writes codes to the log (development only)'),
  CONSOLE_DIST: z
    .string()
    .default(path.join(REPO_ROOT, 'tenant-console/dist'))
    .describe('built tenant console served at /console/'),
  RELEASE_PRIVACY_SCAN_RETRY_SECONDS: z.coerce
    .number()
    .min(0.1)
    .max(3600)
    .default(60)
    .describe("how long a release waits before submitting again while WeChat's privacy scan runs (61039)"),
  RELEASE_AUDIT_POLL_SECONDS: z.coerce
    .number()
    .min(0.1)
    .max(86400)
    .default(1800)
    .describe('how often a release asks WeChat for its audit result when no push came (the push is the main signal)'),
  RELEASE_BULK_DISPATCH_SECONDS: z.coerce
    .number()
    .min(0.1)
    .max(600)
    .default(10)
    .describe('how often a bulk release looks for free slots to start the next shops'),
  WORKER_LOCK_SECONDS: z.coerce
    .number()
    .min(0.5)
    .max(3600)
    .default(30)
    .describe(
      "how long a worker's hold on a running job lasts unless renewed: a job whose worker died runs again (or, the second time, fails) this long after",
    ),
  WORKER_STALLED_CHECK_SECONDS: z.coerce
    .number()
    .min(0.1)
    .max(3600)
    .default(30)
    .describe('how often each worker looks for jobs whose worker died'),
  TEMPLATE_MINIAPP_DIR: z
    .string()
    .default(path.join(REPO_ROOT, 'template-miniapp'))
    .describe('the shop template package the worker builds template versions from'),
  MINIAPP_H5_DIST: z
    .string()
    .default(path.join(REPO_ROOT, 'template-miniapp/dist/build/h5'))
    .describe('built h5 shop template served at /s/{slug}/'),
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
    throw new ConfigError(
      parsed.error.issues.map(
        (i) => `${i.path.join('.')}: ${i.message} (got ${JSON.stringify(env[String(i.path[0])])})`,
      ),
    );
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

/** The README's configuration table, from the schema itself (a test keeps the README in step). */
export function envTable(): string {
  const rows = Object.entries(envSchema.shape).map(([name, field]) => {
    const def = (field as unknown as { def: { type: string; defaultValue?: unknown } }).def;
    let shown = def.type === 'default' ? String(def.defaultValue) : '(unset)';
    if (name.endsWith('_DIR') || name.endsWith('_DIST')) shown = path.relative(REPO_ROOT, String(def.defaultValue));
    if (name === 'AUTH_SECRET' || name === 'DATA_ENCRYPTION_KEYS')
      shown = 'a development value; required in production';
    return `| \`${name}\` | ${shown.startsWith('a development') || shown === '(unset)' ? shown : `\`${shown}\``} | ${field.description ?? ''} |`;
  });
  return ['| Variable | Default | Meaning |', '| --- | --- | --- |', ...rows].join('\n');
}
