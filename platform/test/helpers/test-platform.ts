import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Express } from 'express';
import supertest from 'supertest';
import type TestAgent from 'supertest/lib/agent';
import { createApp, createLogger, createPlatform, loadConfig, type Config, type Platform } from '@shopfleet/platform';
import type { SmsSender } from '../../src/integrations/sms';
import type { EmailMessage, EmailSender } from '../../src/integrations/email';

/** An email sender that keeps the messages, as an inbox would. */
export class CapturingEmail implements EmailSender {
  readonly sent: EmailMessage[] = [];
  async send(message: EmailMessage): Promise<void> {
    this.sent.push(message);
  }
}

/** A clock the test moves. */
export class TestClock {
  constructor(public current = new Date()) {}
  now = (): Date => this.current;
  set(iso: string): void {
    this.current = new Date(iso);
  }
}
import { FakeWechatServer } from '../fakes/wechat-server';
import { FakeWechatCi } from '../fakes/wechat-ci-server';
import { FakeWechatPay } from '../fakes/wechatpay-server';
import { FakeAlipay } from '../fakes/alipay-gateway';

/** An SMS sender that keeps the codes and notices, as a phone would. */
export class CapturingSms implements SmsSender {
  readonly sent: Array<{ phone: string; code: string }> = [];
  readonly notices: Array<{ phone: string; text: string }> = [];
  async sendOtp(input: { phone: string; code: string }): Promise<void> {
    this.sent.push({ phone: input.phone, code: input.code });
  }
  async sendNotice(input: { phone: string; text: string }): Promise<void> {
    this.notices.push(input);
  }
  lastCodeFor(phone: string): string {
    const hit = [...this.sent].reverse().find((s) => s.phone === phone);
    if (!hit) throw new Error(`no code sent to ${phone}`);
    return hit.code;
  }
}

export interface TestPlatform {
  platform: Platform;
  app: Express;
  api: TestAgent;
  config: Config;
  wechat: FakeWechatServer;
  /** servicewechat.com for miniprogram-ci (uploads with a merchant's own key). */
  wechatCi: FakeWechatCi;
  wechatpay: FakeWechatPay;
  alipay: FakeAlipay;
  /** The platform's WeChat Pay service-provider account, when started with `serviceProvider`. */
  serviceProvider: { mchid: string; appid: string } | null;
  sms: CapturingSms;
  email: CapturingEmail;
  clock: TestClock;
  close(): Promise<void>;
}

/** The test database and Redis prefix of this jest worker in this run. */
export function testNames(): { database: string; prefix: string; dataDir: string; bucket: string } {
  const run = process.env.SF_TEST_RUN ?? 'local';
  const worker = process.env.JEST_WORKER_ID ?? '0';
  // The object store lives as long as the database does, so rows and the objects they name stay in step.
  return {
    database: `sft_${run}_${worker}`,
    prefix: `sft_${run}_${worker}`,
    dataDir: path.join(os.tmpdir(), `sft-${run}-${worker}`),
    bucket: `sft-${run}-${worker}`,
  };
}

/**
 * The real platform on real MariaDB (a database per jest worker), real Redis (a prefix per worker),
 * an embedded S3 on a free port, and a local fake WeChat server. Nothing of ours is stubbed.
 */
export async function startTestPlatform(
  env: Record<string, string> = {},
  opts: { serviceProvider?: boolean } = {},
): Promise<TestPlatform> {
  const wechat = new FakeWechatServer();
  await wechat.start();
  const wechatCi = new FakeWechatCi();
  await wechatCi.start();
  const clock = new TestClock();
  // The payment fakes sign with the platform's clock, so notifications are fresh whatever time the test set.
  const wechatpay = new FakeWechatPay({ now: clock.now });
  await wechatpay.start();
  const alipay = new FakeAlipay({ now: clock.now });
  await alipay.start();
  let serviceProvider: TestPlatform['serviceProvider'] = null;
  const spEnv: Record<string, string> = {};
  if (opts.serviceProvider) {
    const sp = FakeWechatPay.merchantCredentials();
    wechatpay.registerServiceProvider(sp);
    serviceProvider = { mchid: sp.mchid, appid: 'wx0000000000000sp1' };
    Object.assign(spEnv, {
      WECHATPAY_SP_MCHID: sp.mchid,
      WECHATPAY_SP_APPID: serviceProvider.appid,
      WECHATPAY_SP_SERIAL_NO: sp.serialNo,
      WECHATPAY_SP_PRIVATE_KEY: sp.privateKeyPem.replace(/\n/g, '\\n'),
      WECHATPAY_SP_APIV3_KEY: sp.apiV3Key,
      WECHATPAY_SP_PUBLIC_KEY_ID: wechatpay.publicKeyId,
      WECHATPAY_SP_PUBLIC_KEY: wechatpay.publicKeyPem,
    });
  }
  const names = testNames();
  const dataDir = names.dataDir;
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: `mysql://root@127.0.0.1:3306/${names.database}`,
    // A prefix per platform instance: caches hold URLs of this instance's S3 server, whose port differs.
    REDIS_PREFIX: `${names.prefix}_${randomBytes(3).toString('hex')}`,
    EMBEDDED_S3_PORT: '0',
    DATA_DIR: dataDir,
    S3_BUCKET_PRIVATE: `${names.bucket}-private`,
    S3_BUCKET_PUBLIC: `${names.bucket}-public`,
    WECHAT_API_BASE: wechat.url,
    WECHAT_CI_BASE: wechatCi.url,
    LOGIN_ATTEMPTS_PER_IP_PER_MINUTE: '10000',
    OTP_SENDS_PER_IP_PER_HOUR: '10000',
    WECHAT_COMPONENT_APPID: 'wxcomponent0000001',
    WECHAT_COMPONENT_APPSECRET: 'component-secret-for-tests',
    WECHAT_COMPONENT_TOKEN: 'component-push-token',
    WECHAT_COMPONENT_AES_KEY: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
    WECHATPAY_API_BASE: wechatpay.url,
    ALIPAY_GATEWAY: alipay.gatewayUrl,
    ...spEnv,
    ...env,
  });
  const sms = new CapturingSms();
  const email = new CapturingEmail();
  const platform = await createPlatform(config, { log: createLogger('silent', 'test'), sms, email, now: clock.now });
  const app = createApp(platform);
  return {
    platform,
    app,
    api: supertest(app),
    config,
    wechat,
    wechatCi,
    wechatpay,
    alipay,
    serviceProvider,
    sms,
    email,
    clock,
    async close() {
      await platform.close();
      await Promise.all([wechat.close(), wechatCi.close(), wechatpay.close(), alipay.close()]);
    },
  };
}

/** A short unique suffix for slugs and emails, so test files sharing a database never collide. */
export function uid(): string {
  return randomBytes(4).toString('hex');
}

/** The platform's app listening on a free local port (for a mini-program run that calls the API over HTTP); `close` stops it. */
export async function serveOnPort(t: TestPlatform): Promise<{ origin: string; close: () => Promise<void> }> {
  const server = await new Promise<Server>((resolve) => {
    const s = t.app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
