export { authorizationsRepository, type AuthorizationsRepository } from './authorizations.repository';
export { authorizationsService, type AuthorizationsService, type Authorization } from './authorizations.service';
export {
  wechatAuthorizationService,
  PushRejected,
  type WechatAuthorizationService,
} from './wechat-authorization.service';
export { merchantMiniappHandlers, wechatWebhooks } from './miniapp.routes';
