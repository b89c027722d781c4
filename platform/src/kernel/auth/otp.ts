import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import type { Redis } from '../redis';
import { UnauthenticatedError } from '../errors';
import type { Limiter } from './rate-limit';

export interface OtpLimits {
  /** One code per phone per minute (per scope). */
  perPhone: Limiter;
  /** Codes per phone per day (per scope). */
  daily: Limiter;
  /** Codes per client address per hour. */
  perIp: Limiter;
}

const TTL_SECONDS = 300;
const MAX_ATTEMPTS = 5;
export const OTP_RESEND_SECONDS = 60;

/**
 * One-time codes sent by SMS: six digits, valid five minutes, stored hashed in Redis, spent on first
 * use, burnt after five wrong tries. A scope (a shop, or sign-up) keeps codes of different purposes apart.
 */
export class OtpService {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly limits: OtpLimits,
  ) {}

  private key(scope: string, phone: string): string {
    return `${this.prefix}:otp:${scope}:${phone}`;
  }

  /** Issues a code after the rate limits allow it; the caller sends it. */
  async issue(
    scope: string,
    phone: string,
    ip: string | undefined,
  ): Promise<{ code: string; ttlMinutes: number; retryAfterSeconds: number }> {
    await this.limits.perIp.consume(ip ?? 'unknown', 'Too many codes requested from this address');
    await this.limits.perPhone.consume(`${scope}:${phone}`, 'Wait a minute before asking for another code');
    await this.limits.daily.consume(`${scope}:${phone}`, 'Too many codes for this phone today');
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    await this.redis.set(
      this.key(scope, phone),
      JSON.stringify({ h: hash(code).toString('hex'), a: 0 }),
      'EX',
      TTL_SECONDS,
    );
    return { code, ttlMinutes: TTL_SECONDS / 60, retryAfterSeconds: OTP_RESEND_SECONDS };
  }

  /** Spends a code; throws OTP_INVALID when it is wrong, expired, burnt or already used. */
  async verify(scope: string, phone: string, code: string): Promise<void> {
    const key = this.key(scope, phone);
    const raw = await this.redis.get(key);
    if (!raw)
      throw new UnauthenticatedError('OTP_INVALID', {
        reason: 'OTP_WRONG_OR_EXPIRED',
        message: 'The code is wrong or has expired; ask for a new one',
      });
    const stored = JSON.parse(raw) as { h: string; a: number };
    if (!timingSafeEqual(Buffer.from(stored.h, 'hex'), hash(code))) {
      const attempts = stored.a + 1;
      if (attempts >= MAX_ATTEMPTS) await this.redis.del(key);
      else await this.redis.set(key, JSON.stringify({ h: stored.h, a: attempts }), 'KEEPTTL');
      throw new UnauthenticatedError('OTP_INVALID', {
        reason: 'OTP_WRONG_OR_EXPIRED',
        message: 'The code is wrong or has expired; ask for a new one',
      });
    }
    // Only one request may spend the code.
    if ((await this.redis.del(key)) !== 1)
      throw new UnauthenticatedError('OTP_INVALID', {
        reason: 'OTP_ALREADY_USED',
        message: 'The code was already used',
      });
  }
}

function hash(code: string): Buffer {
  return createHash('sha256').update(code).digest();
}
