import type { Redis } from '../../kernel/redis';
import { AppError } from '../../kernel/errors';
import { sharedToken } from '../../kernel/cached-token';
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
    const creds = this.creds;
    if (!creds)
      throw new AppError(
        'WECHAT_NOT_CONFIGURED',
        { reason: 'WECHAT_NOT_CONFIGURED_PLATFORM', message: 'The WeChat third-party platform is not configured' },
        503,
      );
    return sharedToken(this.redis, this.tokenKey(), async () => {
      const ticket = await this.redis.get(this.ticketKey());
      if (!ticket)
        throw new AppError('WECHAT_NOT_CONFIGURED', 'No component_verify_ticket received from WeChat yet', 503);
      const { token, expiresIn } = await this.client.componentAccessToken(creds.appid, creds.secret, ticket);
      // Renewed five minutes early so no caller holds a token that expires mid-request.
      return { value: token, ttlSeconds: expiresIn - 300 };
    });
  }

  /** Forgets the cached token (WeChat said it is invalid), so the next call fetches a new one. */
  async invalidate(): Promise<void> {
    await this.redis.del(this.tokenKey());
  }
}
