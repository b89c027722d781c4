import type { Logger } from '../../kernel/logger';

/** Sends text messages. Implementations: the development sender that logs; real gateways plug in here. */
export interface SmsSender {
  sendOtp(input: { phone: string; code: string; shopName: string; ttlMinutes: number }): Promise<void>;
  /** A short notice (review decisions, reminders, invitations). */
  sendNotice(input: { phone: string; text: string }): Promise<void>;
}

/** Development sender: writes the code to the log instead of sending it. Never for production. */
export class LogSmsSender implements SmsSender {
  constructor(private readonly log: Logger) {}

  async sendOtp(input: { phone: string; code: string; shopName: string; ttlMinutes: number }): Promise<void> {
    this.log.info(
      { sms: { phone: input.phone, otp: input.code } },
      `[sms] ${input.shopName}: your sign-in code is ${input.code} (valid ${input.ttlMinutes} min)`,
    );
  }

  async sendNotice(input: { phone: string; text: string }): Promise<void> {
    this.log.info({ sms: { phone: input.phone } }, `[sms] ${input.text}`);
  }
}
