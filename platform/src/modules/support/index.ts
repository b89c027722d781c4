export { supportRepository, type SupportRepository } from './support.repository';
export {
  supportService,
  type SupportCards,
  type SupportPeople,
  type SupportService,
} from './support.service';
export { redisSupportBus, type SupportBus, type SupportEvent } from './support.bus';
export { supportGateway, type SupportGateway } from './support.gateway';
export { merchantSupportHandlers, shopSupportHandlers } from './support.routes';
