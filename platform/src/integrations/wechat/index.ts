export { WechatClient, WechatApiError, type Code2SessionResult, type WechatCategory } from './wechat.client';
export { ComponentTokenProvider, type ComponentCredentials } from './component-token';
export { WechatMessageCrypto } from './message-crypto';
