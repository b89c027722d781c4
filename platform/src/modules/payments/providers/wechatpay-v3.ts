import { createDecipheriv, createVerify, randomBytes } from 'node:crypto';
import WxPay from 'wechatpay-node-v3';
import {
  header,
  NotificationRejected,
  ProviderRefused,
  ProviderUnavailable,
  type IncomingNotification,
} from './provider';

/** The keys a WeChat Pay API v3 account signs and checks with (a merchant's, or the service provider's). */
export interface WechatPayV3Keys {
  /** An AppID the library wants at construction (any of the account's). */
  appId: string;
  mchId: string;
  serialNo: string;
  privateKeyPem: string;
  apiV3Key: string;
  /** Public-key mode: WeChat Pay signs with the key of publicKeyId. */
  publicKeyId: string;
  publicKeyPem: string;
}

export interface WechatPayV3Options {
  baseUrl: string;
  /** Oldest accepted signature timestamp of a notification or response, in seconds. */
  maxAgeSeconds: number;
  now: () => Date;
  timeoutMs?: number;
}

/** An API answer whose signature checked out. */
export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

const nonce = () => randomBytes(16).toString('hex');

/** A refused call as the caller throws it: WeChat Pay's code and message. */
export function refused(a: Answer): never {
  throw new ProviderRefused(String(a.body.code ?? `HTTP_${a.status}`), String(a.body.message ?? 'refused'));
}

/**
 * WeChat Pay API v3 over HTTP for one account. wechatpay-node-v3 signs our requests and the `wx.requestPayment`
 * parameters; the HTTP, the response and notification verification and the decryption are ours, because the library
 * hard-codes its host, has no service-provider endpoints, never checks the GCM tag and has no timestamp window (see
 * DESIGN.md).
 */
export class WechatPayV3 {
  private readonly signer: WxPay;

  constructor(
    private readonly keys: WechatPayV3Keys,
    private readonly opts: WechatPayV3Options,
  ) {
    this.signer = new WxPay({
      appid: keys.appId,
      mchid: keys.mchId,
      serial_no: keys.serialNo,
      publicKey: Buffer.from(keys.publicKeyPem),
      privateKey: Buffer.from(keys.privateKeyPem),
      key: keys.apiV3Key,
    });
  }

  /** SHA256-with-RSA of `message` by the account's private key, base64 (the paySign of `wx.requestPayment`). */
  sign(message: string): string {
    return this.signer.sha256WithRsa(message);
  }

  /** Signs and sends one API v3 call and checks WeChat Pay's signature on the answer. */
  async call(method: 'GET' | 'POST' | 'PUT', pathWithQuery: string, body?: Record<string, unknown>): Promise<Answer> {
    const text = body === undefined ? '' : JSON.stringify(body);
    const ts = String(Math.floor(this.opts.now().getTime() / 1000));
    const n = nonce();
    const signature = this.signer.getSignature(method, n, ts, pathWithQuery, text || undefined);
    let res: Response;
    try {
      res = await fetch(new URL(pathWithQuery, this.opts.baseUrl), {
        method,
        headers: {
          Authorization: this.signer.getAuthorization(n, ts, signature),
          Accept: 'application/json',
          ...(text ? { 'Content-Type': 'application/json' } : {}),
          'User-Agent': 'shopfleet',
        },
        body: text || undefined,
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 10_000),
      });
    } catch (err) {
      throw new ProviderUnavailable(`WeChat Pay unreachable: ${(err as Error).message}`);
    }
    const raw = await res.text();
    if (!this.verified(res.headers, raw))
      throw new ProviderUnavailable(`WeChat Pay answer to ${method} ${pathWithQuery} failed signature verification`);
    let parsed: Record<string, unknown> = {};
    if (raw) {
      try {
        parsed = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        throw new ProviderUnavailable('WeChat Pay answered something that is not JSON');
      }
    }
    if (res.status >= 500) throw new ProviderUnavailable(`WeChat Pay ${res.status}: ${String(parsed.message ?? '')}`);
    return { status: res.status, body: parsed };
  }

  /** WeChat Pay's signature over `timestamp\nnonce\nbody\n`, by the public key we hold, within the time window. */
  verified(headers: Headers | Record<string, string | undefined>, body: string): boolean {
    const get = (name: string) => (headers instanceof Headers ? headers.get(name) : headers[name]) ?? undefined;
    const ts = get('wechatpay-timestamp');
    const n = get('wechatpay-nonce');
    const signature = get('wechatpay-signature');
    const serial = get('wechatpay-serial');
    if (!ts || !n || !signature || serial !== this.keys.publicKeyId || !/^\d{1,12}$/.test(ts)) return false;
    if (Math.abs(this.opts.now().getTime() / 1000 - Number(ts)) > this.opts.maxAgeSeconds) return false;
    try {
      return createVerify('RSA-SHA256')
        .update(`${ts}\n${n}\n${body}\n`)
        .verify(this.keys.publicKeyPem, signature, 'base64');
    } catch {
      return false;
    }
  }

  /**
   * A notification WeChat Pay posted, opened: its signature, serial and timestamp checked, its envelope read and its
   * resource decrypted. Anything else is `NotificationRejected`.
   */
  open(incoming: IncomingNotification): { id: string; eventType: string; plain: Record<string, unknown> } {
    const h = (name: string) => header(incoming.headers, name);
    const headers = {
      'wechatpay-timestamp': h('wechatpay-timestamp'),
      'wechatpay-nonce': h('wechatpay-nonce'),
      'wechatpay-signature': h('wechatpay-signature'),
      'wechatpay-serial': h('wechatpay-serial'),
    };
    if (!this.verified(headers, incoming.rawBody))
      throw new NotificationRejected('signature, serial or timestamp check failed');
    let envelope: { id?: unknown; event_type?: unknown; resource?: Record<string, unknown> };
    try {
      envelope = JSON.parse(incoming.rawBody) as typeof envelope;
    } catch {
      throw new NotificationRejected('body is not JSON');
    }
    const r = envelope.resource;
    if (
      typeof envelope.id !== 'string' ||
      !r ||
      r.algorithm !== 'AEAD_AES_256_GCM' ||
      typeof r.ciphertext !== 'string' ||
      typeof r.nonce !== 'string'
    )
      throw new NotificationRejected('not a WeChat Pay notification');
    const plain = this.decrypt(r.ciphertext, typeof r.associated_data === 'string' ? r.associated_data : '', r.nonce);
    return { id: envelope.id, eventType: typeof envelope.event_type === 'string' ? envelope.event_type : '', plain };
  }

  /** AEAD_AES_256_GCM with the APIv3 key; the last 16 bytes of the ciphertext are the tag, and a bad tag throws. */
  decrypt(ciphertext: string, associatedData: string, iv: string): Record<string, unknown> {
    try {
      const bytes = Buffer.from(ciphertext, 'base64');
      if (bytes.length < 17) throw new Error('short');
      const decipher = createDecipheriv(
        'aes-256-gcm',
        Buffer.from(this.keys.apiV3Key, 'utf8'),
        Buffer.from(iv, 'utf8'),
      );
      decipher.setAAD(Buffer.from(associatedData, 'utf8'));
      decipher.setAuthTag(bytes.subarray(bytes.length - 16));
      const text = Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]).toString(
        'utf8',
      );
      return JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new NotificationRejected('resource does not decrypt (GCM tag or key)');
    }
  }
}
