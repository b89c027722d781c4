import { createHash, createSecretKey, hkdfSync, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import { LRUCache } from 'lru-cache';
import type { Audience } from '@shopfleet/contracts';
import { UnauthenticatedError } from '../errors';

export interface AccessClaims {
  aud: Audience;
  sub: number;
  /** The tenant, for merchant and shopper tokens. */
  tid: number | null;
  /** The session (refresh-token family), so a logout cuts access tokens too. */
  sid: string;
  role?: string;
}

const ISSUER = 'shopfleet';

/** Signs and verifies short-lived access tokens; each audience has its own derived key and `aud`. */
export class AccessTokens {
  private readonly keys: Record<Audience, KeyObject>;

  constructor(
    secret: string,
    readonly ttlSeconds: number,
  ) {
    // Key objects made once: given raw bytes, jose would import the key again on every sign and verify.
    const derive = (aud: Audience) =>
      createSecretKey(new Uint8Array(hkdfSync('sha256', secret, 'shopfleet-access', `aud:${aud}`, 32)));
    this.keys = { platform: derive('platform'), merchant: derive('merchant'), shopper: derive('shopper') };
  }

  async sign(claims: AccessClaims, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
    const iat = Math.floor(now.getTime() / 1000);
    const exp = iat + this.ttlSeconds;
    const token = await new SignJWT({ tid: claims.tid, sid: claims.sid, ...(claims.role ? { role: claims.role } : {}) })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(ISSUER)
      .setAudience(claims.aud)
      .setSubject(String(claims.sub))
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(this.keys[claims.aud]);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  /**
   * Tokens verified lately, by audience and token, until they expire: a signed-in shopper's every request (a flash
   * sale's rush) verifies the same token again, and its signature cannot have changed. Revocation is checked apart, on
   * every request, by the caller.
   */
  private readonly verified = new LRUCache<string, { claims: AccessClaims; expMs: number }>({ max: 20_000 });

  /** Verifies a token for one audience: a token of another audience fails its signature. */
  async verify(token: string, aud: Audience, now = new Date()): Promise<AccessClaims> {
    const key = `${aud}\n${token}`;
    const seen = this.verified.get(key);
    if (seen && now.getTime() < seen.expMs) return seen.claims;
    try {
      const { payload } = await jwtVerify(token, this.keys[aud], {
        issuer: ISSUER,
        audience: aud,
        algorithms: ['HS256'],
        currentDate: now,
      });
      const sub = Number(payload.sub);
      if (!Number.isSafeInteger(sub) || typeof payload.sid !== 'string')
        throw new UnauthenticatedError('TOKEN_INVALID', 'Invalid token');
      const tid = payload.tid === null || payload.tid === undefined ? null : Number(payload.tid);
      const claims = {
        aud,
        sub,
        tid,
        sid: payload.sid,
        role: typeof payload.role === 'string' ? payload.role : undefined,
      };
      if (typeof payload.exp === 'number') this.verified.set(key, { claims, expMs: payload.exp * 1000 });
      return claims;
    } catch (err) {
      if (err instanceof UnauthenticatedError) throw err;
      if (err instanceof joseErrors.JWTExpired)
        throw new UnauthenticatedError('TOKEN_EXPIRED', 'The access token has expired');
      throw new UnauthenticatedError('TOKEN_INVALID', 'Invalid token');
    }
  }
}

/** A new opaque refresh token: 256 random bits; only its SHA-256 is stored. */
export function newRefreshToken(): { token: string; hash: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashRefreshToken(token) };
}

export function hashRefreshToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newSessionId(): string {
  return randomUUID();
}
