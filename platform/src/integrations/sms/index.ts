export { LogSmsSender, type SmsSender } from './sms.sender';
