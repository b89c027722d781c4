export { WechatClient, WechatApiError, type Code2SessionResult } from './wechat.client';
export { ComponentTokenProvider, type ComponentCredentials } from './component-token';
export { WechatMessageCrypto } from './message-crypto';
