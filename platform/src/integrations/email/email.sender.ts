import type { Logger } from '../../kernel/logger';

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Sends email. Implementations: the development sender that logs; an SMTP or API gateway plugs in here. */
export interface EmailSender {
  send(message: EmailMessage): Promise<void>;
}

/** Development sender: writes the message to the log instead of sending it. */
export class LogEmailSender implements EmailSender {
  constructor(private readonly log: Logger) {}

  async send(message: EmailMessage): Promise<void> {
    this.log.info(
      { email: { to: message.to, subject: message.subject } },
      `[email] to ${message.to}: ${message.subject}\n${message.text}`,
    );
  }
}
