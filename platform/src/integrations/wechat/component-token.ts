import type { Redis } from '../../kernel/redis';
import { AppError } from '../../kernel/errors';
import type { WechatClient } from './wechat.client';

export interface ComponentCredentials {
  appid: string;
  secret: string;
}

/**
 * The third-party platform's component_access_token, shared by every process through Redis and
 * refreshed under a lock so that only one process spends a call on it. The verify ticket it needs is
 * stored by the component_verify_ticket push handler under `ticketKey`.
 */
export class ComponentTokenProvider {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly client: WechatClient,
    private readonly creds: ComponentCredentials | null,
  ) {}

  get componentAppid(): string | null {
    return this.creds?.appid ?? null;
  }

  ticketKey(): string {
    return `${this.prefix}:wechat:component:ticket`;
  }

  private tokenKey(): string {
    return `${this.prefix}:wechat:component:token`;
  }

  /** Stores the latest component_verify_ticket (valid 12 h). */
  async saveTicket(ticket: string): Promise<void> {
    await this.redis.set(this.ticketKey(), ticket, 'EX', 12 * 3600);
  }

  async token(): Promise<string> {
    if (!this.creds) throw new AppError('WECHAT_NOT_CONFIGURED', 'The WeChat third-party platform is not configured', 503);
    const cached = await this.redis.get(this.tokenKey());
    if (cached) return cached;
    const lockKey = `${this.tokenKey()}:lock`;
    for (let attempt = 0; attempt < 50; attempt++) {
      const locked = await this.redis.set(lockKey, '1', 'PX', 10_000, 'NX');
      if (locked === 'OK') {
        try {
          const again = await this.redis.get(this.tokenKey());
          if (again) return again;
          const ticket = await this.redis.get(this.ticketKey());
          if (!ticket) throw new AppError('WECHAT_NOT_CONFIGURED', 'No component_verify_ticket received from WeChat yet', 503);
          const { token, expiresIn } = await this.client.componentAccessToken(this.creds.appid, this.creds.secret, ticket);
          // Renew five minutes early so no caller holds a token that expires mid-request.
          await this.redis.set(this.tokenKey(), token, 'EX', Math.max(60, expiresIn - 300));
          return token;
        } finally {
          await this.redis.del(lockKey);
        }
      }
      await new Promise((r) => setTimeout(r, 100));
      const fresh = await this.redis.get(this.tokenKey());
      if (fresh) return fresh;
    }
    throw new AppError('UPSTREAM_UNAVAILABLE', 'Timed out waiting for the WeChat component token', 503);
  }
}
