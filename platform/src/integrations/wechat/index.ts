export { WechatClient, WechatApiError, type Code2SessionResult } from './wechat.client';
export { ComponentTokenProvider, type ComponentCredentials } from './component-token';
