export { supportRepository, type SupportRepository } from './support.repository';
export {
  supportService,
  type SupportCards,
  type SupportPeople,
  type SupportService,
  type SupportWechat,
} from './support.service';
export { redisSupportBus, type SupportBus, type SupportEvent } from './support.bus';
export { supportGateway, type SupportGateway } from './support.gateway';
export { merchantSupportHandlers, shopSupportHandlers, wechatCustomerServiceHandler } from './support.routes';
