export { LogEmailSender, type EmailSender, type EmailMessage } from './email.sender';
